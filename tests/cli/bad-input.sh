#!/bin/sh
# SPDX-License-Identifier: ISC
# Every command given malformed addresses, ports, masks, payloads and option
# values exits 2 with one line on stderr that names the bad value, and
# never crashes.  The table is generated: each bad value is tried in every
# place that takes one.
# memcheck: skip (thousands of runs: valgrind would take most of the CI time)
set -eu
. "$(dirname "$0")/lib.sh"

cmds=$("$UDPTOOL" list-commands | cut -f1)
have() { printf '%s\n' "$cmds" | grep -qx "$1"; }

# check NAMED CMD ARGS...: exit 2, one line, the line contains NAMED.
check() {
	named=$1
	shift
	have "$1" || return 0
	t_run "$UDPTOOL" "$@"
	lines=$(t_lines "$T_ERR")
	if [ "$T_RC" -eq 2 ] && [ "$lines" -eq 1 ] && t_contains "$T_ERR" "$named"; then
		t_ok "$* -> exit 2 naming '$named'"
	else
		t_fail "$* -> exit 2 naming '$named'" "exit $T_RC, $lines lines" "stderr: $T_ERR"
	fi
}

# Malformed remote addresses, each with the part the message must name.
while IFS='|' read -r bad named; do
	[ -n "$bad" ] || continue
	check "$named" send "$bad" hello
	check "$named" ping -u -c 1 "$bad"
done <<'TABLE'
127.0.0.1:99999|'99999'
127.0.0.1:0|'0'
127.0.0.1:-1|'-1'
127.0.0.1:+53|'+53'
127.0.0.1: 53|' 53'
127.0.0.1:|127.0.0.1:
:53|':53'
::1:53|'::1:53'
[::1]|'[::1]'
[::1]x|'[::1]x'
[::1|'[::1'
[]:53|'[]'
[fe80::1%]:53|'%'
[1.2.3.4]:53|'1.2.3.4'
ho st:53|'ho st:53'
a:b:c|'a:b:c'
host:no-such-service-xyz|'no-such-service-xyz'
TABLE

# Ports for servers and sources.
for p in 65536 -1 99999999999 1x ' 7'; do
	check "'$p'" send -p "$p" 127.0.0.1:9 x
	check "'$p'" echo-serve "$p"
	check "'$p'" listen "$p"
done

# Masks and prefixes.
while IFS='|' read -r args named; do
	[ -n "$args" ] || continue
	# shellcheck disable=SC2086
	check "$named" mask $args
done <<'TABLE'
10.0.0.0/33|'33'
10.0.0.0/-1|'-1'
10.0.0.0/|'10.0.0.0/'
::/129|'129'
300.1.1.1|'300.1.1.1'
10.0.0.1 255.0.255.0|'255.0.255.0'
10.0.0.1 0xff00ff00|'0xff00ff00'
10.0.0.1 0x1ffffffff|'0x1ffffffff'
10.0.0.1 255.255.255.0.0|'255.255.255.0.0'
--split 99 10.0.0.0/8|'99'
--split 1 10.0.0.0/8|into /1
--contains bogus 10.0.0.0/8|'bogus'
TABLE

# Payloads.
check "'\\q' at position 2" send -e 127.0.0.1:9 'a\q'
check "position 3" send -X 127.0.0.1:9 'abc'
check "'z' at position 1" send -X 127.0.0.1:9 'zz'
check "'\\x' at position 1" send -e 127.0.0.1:9 '\x'
check "/nonexistent/file" send 127.0.0.1:9 @/nonexistent/file
check "'bogus'" send --frame bogus 127.0.0.1:9
check "size '0'" send --frame size:0 127.0.0.1:9
check "'70000'" send --size 70000 127.0.0.1:9

# Numeric option values.
for v in -1 abc 1e999 '' 99999999999999999999; do
	check "'$v'" send -c "$v" 127.0.0.1:9 x
	check "'$v'" send -w "$v" 127.0.0.1:9 x
	check "'$v'" send --ttl "$v" 127.0.0.1:9 x
	check "'$v'" ping -c "$v" 127.0.0.1
	check "'$v'" ping -t "$v" 127.0.0.1
	check "'$v'" ping -s "$v" 127.0.0.1
	check "'$v'" listen -c "$v" 0
	check "'$v'" echo-serve --threads "$v" 0
done
check "'maybe'" ping -M maybe 127.0.0.1
check "'300'" ping -t 300 127.0.0.1
check "'256'" send --tos 256 127.0.0.1:9 x
check "'('" send --expect '(' 127.0.0.1:9 x
check "'zz'" send --expect-hex zz 127.0.0.1:9 x
check "'70000'" lookup-port 70000
check "'5x'" lookup-port 5x
check "prefix length '40'" echo-serve --allow 1.2.3.4/40 0
check "'bogus'" echo-serve -m bogus 0
check "'bogus'" listen --join bogus 0

# Over-long arguments are refused, not truncated.
long=$(printf '%02000d' 0)
check "too long" send "$long:53" x
check "too long" resolve "$long"

# Random garbage addresses never crash any command (exit 0, 1 or 2 only).
i=0
crashes=""
while [ "$i" -lt 200 ]; do
	junk=$(head -c 24 /dev/urandom | tr -d '\000' | tr '\n' ' ')
	for c in "send|$junk x" "resolve|$junk" "mask|$junk" "lookup-port|$junk"; do
		cmd=${c%%|*}
		have "$cmd" || continue
		rc=0
		# shellcheck disable=SC2086
		timeout 5 "$UDPTOOL" $cmd "${c#*|}" </dev/null >/dev/null 2>&1 || rc=$?
		[ "$rc" -le 2 ] || crashes="$crashes $cmd:$rc"
	done
	i=$((i + 1))
done
t_check "200 random arguments per command: no crash or hang" test -z "$crashes"

# Terminal safety: a bad value holding ESC, BEL, a newline or U+202E
# (RIGHT-TO-LEFT OVERRIDE) comes back escaped, in one line, in every place
# that names it; no raw control byte, DEL, bidirectional or zero-width
# character reaches stderr.
ESC=$(printf '\033[2J')
BEL=$(printf 'a\007b')
NL=$(printf 'a\nb')
RLO=$(printf 'txt\342\200\256exe')
ESC1=$(printf '\033')
# The escaped form each one must show.
shown() {
	case "$1" in
	"$ESC") printf '%s\n' '\x1b[2J' ;;
	"$ESC1") printf '%s\n' '\x1b' ;;
	"$BEL") printf '%s\n' 'a\x07b' ;;
	"$NL") printf '%s\n' 'a\x0ab' ;;
	*) printf '%s\n' 'txt\xe2\x80\xaeexe' ;;
	esac
}

# raw_free FILE: no byte below 0x20 but the newline ending each line, no
# DEL, no C1 control, and none of the bidirectional, zero-width or
# separator characters, nor U+FEFF or U+061C.
raw_free() {
	rest=$(LC_ALL=C tr -d '\n\040-\176\200-\377' <"$1" | od -An -c | tr -d ' \n')
	[ -z "$rest" ] || return 1
	! LC_ALL=C grep -q "$(printf '\342\200[\213-\217\250-\256]\\|\342\201[\240-\257]\\|\357\273\277\\|\330\234\\|\302[\200-\237]')" "$1"
}

# check_escaped VALUE CMD ARGS...: exit 2, one line, VALUE shown escaped,
# nothing raw.
check_escaped() {
	v=$1
	shift
	case "$1" in
	-* | "$v") ;;
	*) have "$1" || return 0 ;;
	esac
	want=$(shown "$v")
	rc=0
	timeout 20 "$UDPTOOL" "$@" </dev/null >/dev/null 2>"$T_TMP/esc.err" || rc=$?
	lines=$(wc -l <"$T_TMP/esc.err" | tr -d ' ')
	desc="$(printf '%s' "$*" | LC_ALL=C tr '\001-\037\177-\377' '[?*]' | cut -c1-70): exit 2, one escaped line"
	if [ "$rc" -eq 2 ] && [ "$lines" -eq 1 ] && raw_free "$T_TMP/esc.err" &&
	    grep -qF -- "$want" "$T_TMP/esc.err"; then
		t_ok "$desc"
	else
		t_fail "$desc" "exit $rc, $lines lines, want $want" \
		    "stderr: $(od -An -c "$T_TMP/esc.err" | head -n 6)"
	fi
}

for v in "$ESC" "$BEL" "$NL" "$RLO"; do
	mkdir "$T_TMP/$v"
	check_escaped "$v" "$v"
	check_escaped "$v" "--$v"
	check_escaped "$v" help "$v"
	check_escaped "$v" list-options "$v"
	for c in $cmds; do
		[ "$c" = help ] || check_escaped "$v" "$c" "--$v"
	done
	# Addresses and ports.
	check_escaped "$v" send "127.0.0.1:$v" x
	check_escaped "$v" send "$v:53" x
	check_escaped "$v" ping -u -c 1 "127.0.0.1:$v"
	check_escaped "$v" listen "$v"
	check_escaped "$v" listen "127.0.0.1:$v"
	check_escaped "$v" echo-serve "$v"
	check_escaped "$v" resolve "$v"
	check_escaped "$v" resolve "localhost:$v"
	check_escaped "$v" lookup-port "$v"
	check_escaped "$v" mask "$v"
	check_escaped "$v" mask 10.0.0.1 "$v"
	check_escaped "$v" mask 10.0.0.0/8 "-$v"
	# Option values.
	check_escaped "$v" send -c "$v" 127.0.0.1:9 x
	check_escaped "$v" send -w "$v" 127.0.0.1:9 x
	check_escaped "$v" send --rate "$v" 127.0.0.1:9 x
	check_escaped "$v" send --if "$v" 127.0.0.1:9 x
	check_escaped "$v" send --expect-hex "$v" 127.0.0.1:9 x
	check_escaped "$v" send --frame "$v" 127.0.0.1:9
	check_escaped "$v" send -p "$v" 127.0.0.1:9 x
	check_escaped "$v" ping -c "$v" 127.0.0.1
	check_escaped "$v" ping -i "$v" 127.0.0.1
	check_escaped "$v" ping -M "$v" 127.0.0.1
	check_escaped "$v" ping -I "$v" 127.0.0.1
	check_escaped "$v" listen -c "$v" 0
	check_escaped "$v" listen -w "$v" 0
	check_escaped "$v" listen --join "$v" 0
	check_escaped "$v" listen --join "224.0.0.1%$v" 0
	check_escaped "$v" echo-serve -m "$v" 0
	check_escaped "$v" echo-serve --threads "$v" 0
	check_escaped "$v" echo-serve --rate "$v" 0
	check_escaped "$v" echo-serve --allow "$v" 0
	check_escaped "$v" mask --contains "$v" 10.0.0.0/8
	# A payload file in a directory whose name holds the value.
	check_escaped "$v" send 127.0.0.1:9 "@$T_TMP/$v/missing"
done
# An unknown short option is one control byte.
check_escaped "$ESC1" send "-$ESC1" 127.0.0.1:9 x
check_escaped "$ESC1" listen "-x$ESC1" 0

# --expect with no match names the pattern escaped, on a line of its own.
if t_server esc-echo "$UDPTOOL" echo-serve 127.0.0.1:0; then
	for v in "$BEL" "$NL" "$RLO"; do
		rc=0
		timeout 20 "$UDPTOOL" send -w 0.5 --expect "$v" "127.0.0.1:$T_PORT" hello \
		    </dev/null >/dev/null 2>"$T_TMP/esc.err" || rc=$?
		want="no reply matched '$(shown "$v")'"
		if [ "$rc" -eq 1 ] && raw_free "$T_TMP/esc.err" &&
		    grep -qxF -- "udptool: send: $want" "$T_TMP/esc.err"; then
			t_ok "send --expect without a match: exit 1, \"$want\""
		else
			t_fail "send --expect without a match: exit 1, \"$want\"" "exit $rc" \
			    "stderr: $(od -An -c "$T_TMP/esc.err" | head -n 8)"
		fi
	done
	t_stop "$T_PID"
else
	t_fail "echo-serve starts for the --expect test" "$(cat "$T_TMP/esc-echo.err")"
fi

# Names from the resolver are escaped in text output: a hosts file (the
# test's own, over /etc/hosts in a private mount namespace with no network,
# so no name server is asked) gives names holding ESC, BEL and U+202E.
if command -v unshare >/dev/null 2>&1 && unshare -m -n true 2>/dev/null; then
	printf '127.0.0.1 localhost\n192.0.2.77 evil\033[2J\007\342\200\256gro.test\n192.0.2.78 two\033]0;x\007.test twoalias\n' >"$T_TMP/hosts"
	printf 'hosts: files\n' >"$T_TMP/nsswitch.conf"
	cat >"$T_TMP/ns.sh" <<'EOF'
mount --bind "$1/hosts" /etc/hosts
mount --bind "$1/nsswitch.conf" /etc/nsswitch.conf
shift
exec "$@"
EOF
	for q in '192.0.2.77|evil\x1b[2J\x07\xe2\x80\xaegro.test' \
	    '-r 192.0.2.78|two\x1b]0;x\x07.test' \
	    'twoalias|canonical name two\x1b]0;x\x07.test' \
	    '--canonical twoalias|two\x1b]0;x\x07.test'; do
		args=${q%%|*}
		want=${q#*|}
		rc=0
		# shellcheck disable=SC2086
		timeout 20 unshare -m -n sh "$T_TMP/ns.sh" "$T_TMP" "$UDPTOOL" resolve $args \
		    </dev/null >"$T_TMP/res.out" 2>"$T_TMP/res.err" || rc=$?
		if [ "$rc" -eq 0 ] && raw_free "$T_TMP/res.out" && [ ! -s "$T_TMP/res.err" ] &&
		    grep -qF -- "$want" "$T_TMP/res.out"; then
			t_ok "resolve $args: the name from the hosts file is escaped"
		else
			t_fail "resolve $args: the name from the hosts file is escaped" "exit $rc" \
			    "stdout: $(od -An -c "$T_TMP/res.out" | head -n 8)" "stderr: $(cat "$T_TMP/res.err")"
		fi
	done
	timeout 20 unshare -m -n sh "$T_TMP/ns.sh" "$T_TMP" "$UDPTOOL" resolve -j 192.0.2.77 \
	    </dev/null >"$T_TMP/res.out" 2>/dev/null || true
	t_check "resolve -j: the name is JSON-escaped, U+202E as \\u202e" \
	    grep -qF '"reverse":"evil\u001b[2J\u0007\u202egro.test"' "$T_TMP/res.out"
else
	t_skip "resolve with names holding escapes" "unshare -m -n is not permitted here"
fi

t_done
