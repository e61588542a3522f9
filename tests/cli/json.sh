#!/bin/sh
# SPDX-License-Identifier: ISC
# One JSON dialect: every command's -j output, events and summaries alike,
# checked against the schema of udptool-json(7) (tests/cli/json-check.py),
# with times that jq reads, summaries on stdout and none on stderr.
set -eu
. "$(dirname "$0")/lib.sh"
t_need python3 jq
CHECK="$TOP_SRCDIR/tests/cli/json-check.py"

# checked NAME DESC: the JSON in $T_TMP/NAME.json fits the schema, every
# "time" parses with jq's fromdate (fraction cut: jq 1.6 takes none), and
# $T_TMP/NAME.err holds no summary.
checked() {
	if out=$(python3 "$CHECK" "$T_TMP/$1.json" 2>&1); then
		t_ok "$2: fits udptool-json(7)"
	else
		t_fail "$2: fits udptool-json(7)" "$out"
	fi
	if jq 'select(.time != null) | .time | sub("\\.[0-9]+Z$"; "Z") | fromdate' \
	    "$T_TMP/$1.json" >/dev/null 2>"$T_TMP/jq.err"; then
		t_ok "$2: every time parses with jq fromdate"
	else
		t_fail "$2: every time parses with jq fromdate" "$(cat "$T_TMP/jq.err")"
	fi
	t_check "$2: no summary on stderr under -j" sh -c \
	    '! grep -qi "summary" "$1"' sh "$T_TMP/$1.err"
}

# run NAME CMD...: runs a one-shot command, stdout to NAME.json.
run() {
	name=$1
	shift
	timeout 20 "$@" >"$T_TMP/$name.json" 2>"$T_TMP/$name.err" </dev/null || :
}

t_server echo "$UDPTOOL" echo-serve -j -v --stats 0.2 127.0.0.1:0 || t_skip_all "echo-serve did not start"
ECHO=$T_PORT
ECHO_PID=$T_PID
t_server sink "$UDPTOOL" listen -j --meta -c 3 -w 10 127.0.0.1:0 || t_skip_all "listen did not start"
SINK=$T_PORT
SINK_PID=$T_PID

run send "$UDPTOOL" send -j -v -w 1 "127.0.0.1:$ECHO" hello
t_check "send -j: a sent event, a reply and the summary" test \
    "$(jq -r .type "$T_TMP/send.json" | tr '\n' ' ')" = "sent reply summary "
checked send "send -j"
run refused "$UDPTOOL" send -j -w 1 127.0.0.1:9 x
t_check "send -j to a closed port: a refused event" test \
    "$(jq -r .type "$T_TMP/refused.json" | tr '\n' ' ')" = "refused summary "
checked refused "send -j, refused"
run sink1 "$UDPTOOL" send -j -w 0 -c 3 "127.0.0.1:$SINK" x
checked sink1 "send -j, no reply"

run pingu "$UDPTOOL" ping -j -u -c 2 -i 0.2 "127.0.0.1:$ECHO"
checked pingu "ping -j -u"
run pingc "$UDPTOOL" ping -j -u -c 2 -i 0.2 -W 0.2 -O 127.0.0.1:9
checked pingc "ping -j -u, closed port"
t_server silent "$UDPTOOL" listen -w 10 127.0.0.1:0 || t_skip_all "listen did not start"
run pingo "$UDPTOOL" ping -j -u -c 2 -i 0.2 -W 0.5 -O "127.0.0.1:$T_PORT"
t_check "ping -j -u -O, silent peer: an outstanding event" test \
    "$(jq -r .type "$T_TMP/pingo.json" | tr '\n' ' ')" = "outstanding timeout timeout summary "
checked pingo "ping -j -u -O, silent peer"
t_stop "$T_PID"
run pingi "$UDPTOOL" ping -j -c 2 -i 0.2 127.0.0.1 ::1
t_check "ping -j to two hosts: two summaries, each with its target" test \
    "$(jq -r 'select(.type == "summary") | .target' "$T_TMP/pingi.json" | tr '\n' ' ')" = "127.0.0.1 ::1 "
checked pingi "ping -j, two hosts"

t_wait_pid "$SINK_PID" || :
cp "$T_TMP/sink.out" "$T_TMP/listen.json"
cp "$T_TMP/sink.err" "$T_TMP/listen.err"
t_check "listen -j: three datagrams then the summary" test \
    "$(jq -r .type "$T_TMP/listen.json" | tr '\n' ' ')" = "datagram datagram datagram summary "
checked listen "listen -j"

sleep 0.3
kill -USR1 "$ECHO_PID"
t_wait_for "$T_TMP/echo.out" '"final":false' || :
kill -INT "$ECHO_PID"
t_wait_pid "$ECHO_PID" || :
cp "$T_TMP/echo.out" "$T_TMP/echo-serve.json"
cp "$T_TMP/echo.err" "$T_TMP/echo-serve.err"
t_check "echo-serve -j -v: datagram and reply events, stats and both summaries" sh -c '
	t=$(jq -r .type "$1" | sort -u | tr "\n" " ")
	test "$t" = "datagram reply stats summary " &&
	    test "$(jq -r "select(.type == \"summary\") | .final" "$1" | tr "\n" " ")" = "false true "' \
    sh "$T_TMP/echo-serve.json"
checked echo-serve "echo-serve -j"

run mask "$UDPTOOL" mask -j fe80::1%lo/64
checked mask "mask -j"
run maskerr "$UDPTOOL" mask -j 10.0.0.0/40
checked maskerr "mask -j, an error"
run lp "$UDPTOOL" lookup-port -j 53 no-such-service-here
checked lp "lookup-port -j"
# resolve reads only a private hosts file, in a mount namespace of its own.
printf '127.0.0.1 json-test-host.example\n::1 json-test-host.example\n' >"$T_TMP/hosts"
if unshare -m sh -c 'mount --bind "$1" /etc/hosts' sh "$T_TMP/hosts" 2>/dev/null; then
	run resolve unshare -m sh -c 'mount --bind "$1" /etc/hosts && shift && exec "$@"' \
	    sh "$T_TMP/hosts" "$UDPTOOL" resolve -j json-test-host.example:53
	t_check "resolve -j: both families, spelt as everywhere" test \
	    "$(jq -r '.results[0].addresses[].family' "$T_TMP/resolve.json" | sort | tr '\n' ' ')" = "ipv4 ipv6 "
	checked resolve "resolve -j"
else
	t_skip "resolve -j fits the schema" "cannot bind-mount a private hosts file"
fi

# The schema check itself catches drift: an old-style line fails it.
printf '%s\n' '{"type":"summary","time":"2026-12-01T01:48:05.759320Z","timestamp":1,"datagrams":1}' \
    '{"type":"reply","time":"2026-12-01T01:48:05.759320+0000","timestamp":1,"bytes":3}' >"$T_TMP/old.json"
t_check "json-check.py refuses names and times outside the schema" sh -c \
    '! python3 "$1" "$2" >/dev/null' sh "$CHECK" "$T_TMP/old.json"

t_done
