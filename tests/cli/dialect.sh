#!/bin/sh
# SPDX-License-Identifier: ISC
# One tool, not seven: walks every command for each shared rule of the
# address syntax, so a command that drifts from the others fails here.
set -eu
. "$(dirname "$0")/lib.sh"

# A sink that shows each datagram's sender, and an echo server to answer.
t_server sink "$UDPTOOL" listen -w 20 127.0.0.1:0 || t_skip_all "listen did not start"
SINK=$T_PORT
SINK_PID=$T_PID
t_server echo "$UDPTOOL" echo-serve 127.0.0.1:0 || t_skip_all "echo-serve did not start"
ECHO=$T_PORT

# HOST PORT as two words, as nc takes them, in every command with a port.
t_expect_rc "send HOST PORT MESSAGE" 0 "$UDPTOOL" send -w 2 127.0.0.1 "$ECHO" two-words
t_check "send HOST PORT: the reply to the message, not to '$ECHO'" \
    t_contains "$T_OUT" ": two-words"
t_expect_rc "send HOST:PORT PORT sends the second word" 0 "$UDPTOOL" send -w 2 127.0.0.1:"$ECHO" "$ECHO"
t_check "send HOST:PORT PORT: '$ECHO' is the message" t_contains "$T_OUT" ": $ECHO"
t_expect_rc "send [v6] PORT" 1 "$UDPTOOL" send -w 0.2 ::1 "$ECHO" x
t_check "send ::1 PORT is [::1]:PORT" t_contains "$T_ERR$T_OUT" "[::1]:$ECHO"
t_expect_rc "ping -u HOST PORT" 0 "$UDPTOOL" ping -u -c 1 127.0.0.1 "$ECHO"
t_check "ping -u HOST PORT names HOST:PORT" t_contains "$T_OUT" "127.0.0.1:$ECHO"
t_expect_rc "ping -u HOST PORT EXTRA is too many" 2 "$UDPTOOL" ping -u -c 1 127.0.0.1 "$ECHO" x
for cmd in listen echo-serve; do
	t_server "$cmd-2" "$UDPTOOL" "$cmd" 127.0.0.2 0 || true
	t_check "$cmd ADDRESS PORT binds ADDRESS and reports the port" \
	    grep -q "listening on 127.0.0.2:[1-9]" "$T_TMP/$cmd-2.err"
	t_stop "$T_PID"
	t_expect_rc "$cmd ADDRESS PORT EXTRA is too many" 2 "$UDPTOOL" "$cmd" 127.0.0.2 0 x
	t_check "$cmd names the extra word" t_contains "$T_ERR" "got 'x'"
done

# A bare IPv6 address with a port is ambiguous everywhere a port is taken.
for cmd in "send" "ping -u" "resolve" "listen" "echo-serve"; do
	# shellcheck disable=SC2086
	t_expect_rc "$cmd ::1:53 exits 2" 2 "$UDPTOOL" $cmd ::1:53
	t_check "$cmd ::1:53 is ambiguous, with the bracketed fix, in one line" sh -c \
	    'printf "%s\n" "$1" | grep -qF "ambiguous address '"'"'::1:53'"'"': write [::1]:53" &&
	     [ "$(printf "%s\n" "$1" | wc -l)" -eq 1 ]' sh "$T_ERR"
done

# -s ADDRESS without a port binds the address (port chosen by the kernel).
t_expect_rc "send -s 127.0.0.2 (no port)" 0 "$UDPTOOL" send -w 0 -s 127.0.0.2 127.0.0.1:"$SINK" from-two
t_expect_rc "send -s [::1] (no port) to a v4 sink is a family error" 2 "$UDPTOOL" send -w 0 -s '[::1]' 127.0.0.1:"$SINK" x
t_expect_rc "send -s 127.0.0.3:0" 0 "$UDPTOOL" send -w 0 -s 127.0.0.3:0 127.0.0.1:"$SINK" from-three
t_wait_for "$T_TMP/sink.out" "from-three" 30 || :
t_check "the sink saw 127.0.0.2 as the sender of 'from-two'" \
    grep -Eq '127\.0\.0\.2:[0-9]+ > .*from-two' "$T_TMP/sink.out"
t_check "the sink saw 127.0.0.3 as the sender of 'from-three'" \
    grep -Eq '127\.0\.0\.3:[0-9]+ > .*from-three' "$T_TMP/sink.out"
t_expect_rc "send -s with a bad host names it" 2 "$UDPTOOL" send -w 0 -s 'bad*host' 127.0.0.1:"$SINK" x
t_check "the bad source is quoted" t_contains "$T_ERR" "'bad*host'"

# Numbers: decimal everywhere ("010" is ten), 0x hex only for byte values.
t_server meta "$UDPTOOL" listen -j --meta -c 1 -w 10 127.0.0.1:0 || true
t_expect_rc "send --ttl 010 --tos 0x10" 0 "$UDPTOOL" send -w 0 --ttl 010 --tos 0x10 127.0.0.1:"$T_PORT" n
t_wait_pid "$T_PID" || true
t_check "--ttl 010 is ten and --tos 0x10 sixteen on the wire" sh -c \
    'grep -q "\"ttl\":10," "$1" && grep -q "\"tos\":16" "$1"' sh "$T_TMP/meta.out"
t_expect_rc "--ttl 0x10 is not a TTL" 2 "$UDPTOOL" send -w 0 --ttl 0x10 127.0.0.1:"$SINK" n
t_check "--ttl 0x10 is named" t_contains "$T_ERR" "invalid TTL '0x10' (1-255)"
t_expect_rc "--ttl ' 5' is refused" 2 "$UDPTOOL" send -w 0 --ttl ' 5' 127.0.0.1:"$SINK" n
# Every command names a bad number one way: invalid WHAT 'VALUE' (RANGE),
# a count a whole number ("1e3" is not one), seconds a decimal.
numbad() {
	nb_want=$1
	shift
	t_expect_rc "$* is refused" 2 "$UDPTOOL" "$@"
	t_check "$*: '$nb_want'" test "$T_ERR" = "udptool: $1: $nb_want"
}
numbad "invalid count '1e3' (1 or more)" send -c 1e3 127.0.0.1:"$SINK" n
numbad "invalid count '1e3' (1 or more)" listen -c 1e3 127.0.0.1:0
numbad "invalid -c value '1e3' (1 or more)" ping -c 1e3 127.0.0.1
numbad "invalid thread count '2.0' (1-64)" echo-serve --threads 2.0 127.0.0.1:0
numbad "invalid wait '1s' (seconds, 0-86400)" send -w 1s 127.0.0.1:"$SINK" n
numbad "invalid wait '1s' (seconds, 0.001-1000000)" listen -w 1s 127.0.0.1:0
numbad "invalid -W value '0' (seconds, more than 0 to 2147483)" ping -W 0 127.0.0.1
numbad "invalid stats interval '1s' (seconds, 0.1-86400)" echo-serve --stats 1s 127.0.0.1:0
numbad "invalid receive buffer size '1X' (1K-1024M bytes, K and M allowed)" listen --rcvbuf 1X 127.0.0.1:0

# An unknown host is a negative answer, exit 1, in every command.  The
# lookups see only a private hosts file ("hosts: files") inside a network
# namespace of their own, so no name server is ever asked.
printf 'hosts: files\n' >"$T_TMP/nsswitch.conf"
printf '127.0.0.1 localhost\n' >"$T_TMP/hosts"
# private CMD...: runs CMD with that resolver and no network.
private() {
	unshare -m -n sh -c 'mount --bind "$1/nsswitch.conf" /etc/nsswitch.conf &&
	    mount --bind "$1/hosts" /etc/hosts && ip link set lo up && shift &&
	    exec "$@"' sh "$T_TMP" "$@"
}
if private true 2>/dev/null; then
	for c in "send -w 0.2 nohost.example:9 x" "send -w 0.2 nohost.example 9 x" \
	    "ping -c 1 nohost.example" "ping -u -c 1 nohost.example:9" \
	    "resolve nohost.example" "listen -w 0.2 --to nohost.example:9 127.0.0.1:0" \
	    "listen -w 0.2 nohost.example:0" "echo-serve nohost.example:0" \
	    "relay 127.0.0.1:0 nohost.example:9" "relay nohost.example:0 127.0.0.1:9"; do
		rc=0
		# shellcheck disable=SC2086
		private "$UDPTOOL" $c >/dev/null 2>"$T_TMP/unknown.err" </dev/null || rc=$?
		T_ERR=$(cat "$T_TMP/unknown.err")
		t_check "unknown host: $c exits 1" test "$rc" -eq 1
		t_check "unknown host: $c names it in one line" sh -c \
		    'printf "%s\n" "$1" | grep -q nohost.example && [ "$(printf "%s\n" "$1" | wc -l)" -eq 1 ]' \
		    sh "$T_ERR"
	done
else
	t_skip "unknown hosts exit 1" "cannot make a private mount and network namespace"
fi

# No command exits 255 from its option parser: usage errors are 2.
for cmd in echo-serve send listen resolve lookup-port mask ping relay help; do
	t_expect_rc "$cmd --no-such-option exits 2" 2 "$UDPTOOL" $cmd --no-such-option
	t_expect_rc "$cmd -% exits 2" 2 "$UDPTOOL" $cmd -%
done

t_stop "$SINK_PID"
t_done
