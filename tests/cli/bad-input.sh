#!/bin/sh
# SPDX-License-Identifier: ISC
# Every command given malformed addresses, ports, masks, payloads and option
# values exits 2 with one line on stderr that names the bad value, and
# never crashes.  The table is generated: each bad value is tried in every
# place that takes one.
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

t_done
