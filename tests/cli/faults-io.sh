#!/bin/sh
# SPDX-License-Identifier: ISC
# Local faults over loopback: standard output full or closed under every
# streaming command, signals that must not end a blocking wait, empty,
# largest and truncated datagrams in the middle of a run, and a peer that
# goes away and comes back between datagrams.
# memcheck: skip (kills and stops the binary mid-write; valgrind's own signals interfere)
set -eu
. "$(dirname "$0")/lib.sh"
t_need python3 mkfifo

PEER="$TOP_SRCDIR/tests/cli/send-peer.py"

now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

# Sends each argument (x: hex, n: that many bytes) from a fresh socket.
PY_SEND='
import socket, sys, time
host, port = sys.argv[1], int(sys.argv[2])
fam = socket.AF_INET6 if ":" in host else socket.AF_INET
for a in sys.argv[3:]:
    s = socket.socket(fam, socket.SOCK_DGRAM)
    data = bytes.fromhex(a[1:]) if a.startswith("x") else (b"B" * int(a[1:]) if a.startswith("n") else a.encode())
    s.sendto(data, (host, port))
    time.sleep(0.05)
'
pysend() {
	timeout 10 python3 -c "$PY_SEND" "$@"
}

t_server echo "$UDPTOOL" echo-serve 0 || t_skip_all "echo-serve did not start"
E=$T_PORT

# --- standard output full (/dev/full) or closed (>&-) ---
full_ok=0
[ -w /dev/full ] && full_ok=1
for how in full closed; do
	if [ "$how" = full ]; then
		if [ "$full_ok" -eq 0 ]; then
			t_skip "stdout on /dev/full" "/dev/full is not writable here"
			continue
		fi
		why="No space left on device"
	else
		if [ -n "${UDPTOOL_MEMCHECK:-}" ]; then
			t_skip "stdout closed" "valgrind's log file would take descriptor 1"
			continue
		fi
		why="Bad file descriptor"
	fi
	# out CMD...: runs CMD with stdout full or closed, bounded; sets T_RC, T_ERR.
	out() {
		T_RC=0
		if [ "$how" = full ]; then
			timeout 10 "$@" >/dev/full 2>"$T_TMP/err" </dev/null || T_RC=$?
		else
			timeout 10 "$@" >&- 2>"$T_TMP/err" </dev/null || T_RC=$?
		fi
		T_ERR=$(cat "$T_TMP/err")
	}
	said() {
		t_check "$1: exit 2 (got $T_RC)" test "$T_RC" -eq 2
		t_check "$1: says why" t_contains "$T_ERR" "write error on standard output: $why"
		t_check "$1: says it once" test "$(printf '%s\n' "$T_ERR" | grep -c 'write error')" -eq 1
	}

	out "$UDPTOOL" send "127.0.0.1:$E" reply
	said "stdout $how: send printing a reply"
	t0=$(now_ms)
	out "$UDPTOOL" send -c 5 -i 0.3 "127.0.0.1:$E" reply
	t1=$(now_ms)
	said "stdout $how: send -c 5"
	t_check "stdout $how: send stops at the first failed reply (1 sent, $((t1 - t0)) ms)" \
	    t_contains "$T_ERR" " 1 sent (5 bytes), 1 reply"
	t0=$(now_ms)
	out "$UDPTOOL" ping -u -c 5 -i 0.3 "127.0.0.1:$E"
	t1=$(now_ms)
	said "stdout $how: ping -u"
	t_check "stdout $how: ping stops at once ($((t1 - t0)) ms, not 1.2 s)" test "$((t1 - t0))" -lt 1000

	# listen and echo-serve -v have no end of their own: they must stop.
	# (A file per round: the last round's port must not be read.)
	T_RC=0
	if [ "$how" = full ]; then
		timeout 10 "$UDPTOOL" listen 127.0.0.1:0 >/dev/full 2>"$T_TMP/ls-$how.err" </dev/null &
	else
		timeout 10 "$UDPTOOL" listen 127.0.0.1:0 >&- 2>"$T_TMP/ls-$how.err" </dev/null &
	fi
	LS=$!
	T_PIDS="$T_PIDS $LS"
	t_wait_for "$T_TMP/ls-$how.err" "listening on" || true
	LP=$(sed -n 's/.*listening on .*:\([0-9][0-9]*\)$/\1/p' "$T_TMP/ls-$how.err")
	pysend 127.0.0.1 "${LP:-9}" "one datagram"
	t_wait_pid "$LS" || T_RC=$?
	T_ERR=$(grep -v 'listening on\|summary\|top sender' "$T_TMP/ls-$how.err" || true)
	said "stdout $how: listen receiving a datagram"

	T_RC=0
	if [ "$how" = full ]; then
		timeout 10 "$UDPTOOL" echo-serve -v 127.0.0.1:0 >/dev/full 2>"$T_TMP/ev-$how.err" </dev/null &
	else
		timeout 10 "$UDPTOOL" echo-serve -v 127.0.0.1:0 >&- 2>"$T_TMP/ev-$how.err" </dev/null &
	fi
	EV=$!
	T_PIDS="$T_PIDS $EV"
	t_wait_for "$T_TMP/ev-$how.err" "listening on" || true
	EVP=$(sed -n 's/.*listening on .*:\([0-9][0-9]*\)$/\1/p' "$T_TMP/ev-$how.err")
	pysend 127.0.0.1 "${EVP:-9}" "logged"
	t_wait_pid "$EV" || T_RC=$?
	T_ERR=$(grep -v 'listening on\|summary\|top sender' "$T_TMP/ev-$how.err" || true)
	said "stdout $how: echo-serve -v logging"
done

# A closed stdout must not become the socket: nothing printed reaches the peer.
t_server rec python3 "$PEER" --mode echo || t_skip_all "the python3 peer did not start"
REC=$T_PORT
if [ -n "${UDPTOOL_MEMCHECK:-}" ]; then
	t_skip "stdout closed: the peer got only the payload" "valgrind's log file would take descriptor 1"
	t_skip "stdout closed: exit 2" "valgrind's log file would take descriptor 1"
else
	T_RC=0
	timeout 10 "$UDPTOOL" send -c 2 -i 0.1 "127.0.0.1:$REC" payload >&- 2>"$T_TMP/err" </dev/null || T_RC=$?
	sleep 0.3
	t_check "stdout closed: the peer got only the payload ($(wc -l <"$T_TMP/rec.out") datagrams)" \
	    test "$(cut -d' ' -f1 "$T_TMP/rec.out" | sort -u)" = "7061796c6f6164"
	t_check "stdout closed: exit 2" test "$T_RC" -eq 2
fi
before=$(wc -l <"$T_TMP/rec.out")
T_RC=0
timeout 10 "$UDPTOOL" send -w 0.5 "127.0.0.1:$REC" 2>"$T_TMP/err" >"$T_TMP/out" <&- || T_RC=$?
t_check "stdin closed: exit 2" test "$T_RC" -eq 2
t_check "stdin closed: said so" grep -q "read standard input: Bad file descriptor" "$T_TMP/err"
t_check "stdin closed: nothing was sent" test "$(wc -l <"$T_TMP/rec.out")" -eq "$before"

# A reader that goes away is not an error: the run just ends.
T_RC=0
sh -c '"$1" ping -u -i 0.05 "127.0.0.1:$2" | head -n 2 >/dev/null; exit 0' sh "$UDPTOOL" "$E" &
PP=$!
t_wait_pid "$PP" || T_RC=$?
t_check "ping -u into a pipe whose reader left ends by itself" test "$T_RC" -eq 0

# --- signals that do not end a command, during its blocking wait ---
t_server ls "$UDPTOOL" listen -j -c 2 127.0.0.1:0 || true
LS=$T_PID
pysend 127.0.0.1 "$T_PORT" first
t_wait_for "$T_TMP/ls.out" '"text":"first"' || true
for sig in USR1 WINCH CONT; do
	kill -"$sig" "$LS"
	sleep 0.1
done
kill -STOP "$LS"
sleep 0.3
kill -CONT "$LS"
t_check "listen survives SIGUSR1, SIGWINCH, SIGSTOP and SIGCONT" kill -0 "$LS"
pysend 127.0.0.1 "$T_PORT" second
rc=0
t_wait_pid "$LS" || rc=$?
t_check "listen then takes its second datagram and exits 0" \
    sh -c 'test "$1" -eq 0 && grep -q "\"text\":\"second\"" "$2"' sh "$rc" "$T_TMP/ls.out"
t_check "the SIGUSR1 summary counted one datagram" \
    grep -q '"type":"summary",.*"received":1,' "$T_TMP/ls.out"

t_server late python3 "$PEER" --mode late --delay 1 || true
LATE=$T_PORT
t_bg sendlate "$UDPTOOL" send -w 4 "127.0.0.1:$LATE" slow
SL=$T_PID
sleep 0.2
kill -WINCH "$SL"
kill -STOP "$SL"
sleep 1.2
kill -CONT "$SL"
rc=0
t_wait_pid "$SL" || rc=$?
t_check "send waiting for a reply survives SIGWINCH, SIGSTOP and SIGCONT" test "$rc" -eq 0
t_check "and prints the late reply" grep -q ": late:slow$" "$T_TMP/sendlate.out"

t_bg pg "$UDPTOOL" ping -u -c 4 -i 0.3 "127.0.0.1:$E"
PG=$T_PID
sleep 0.2
kill -WINCH "$PG"
kill -STOP "$PG"
sleep 0.5
kill -CONT "$PG"
rc=0
t_wait_pid "$PG" || rc=$?
t_check "ping -u survives SIGWINCH, SIGSTOP and SIGCONT: exit 0" test "$rc" -eq 0
t_check "ping -u: every probe answered" grep -q "4 packets transmitted, 4 received, 0% packet loss" "$T_TMP/pg.out"

t_server es2 "$UDPTOOL" echo-serve 127.0.0.1:0 || true
ES=$T_PID
for sig in USR1 WINCH CONT; do
	kill -"$sig" "$ES"
done
kill -STOP "$ES"
sleep 0.2
kill -CONT "$ES"
t_expect_rc "echo-serve answers after SIGUSR1, SIGWINCH, SIGSTOP and SIGCONT" 0 \
    "$UDPTOOL" send -q -w 2 "127.0.0.1:$T_PORT" still
kill -TERM "$ES"
rc=0
t_wait_pid "$ES" || rc=$?
t_check "echo-serve then exits 0 on SIGTERM" test "$rc" -eq 0
t_check "its summary counts the request" grep -q "summary after .*: 1 datagram in (5 bytes), 1 out" "$T_TMP/es2.err"

# --- empty, largest and truncated datagrams in the middle of one run ---
t_server sz "$UDPTOOL" listen -j --buffer 1000 -c 6 0 || true
pysend 127.0.0.1 "$T_PORT" a n0 n65507
pysend ::1 "$T_PORT" n65527 n1000 z
rc=0
t_wait_pid "$T_PID" || rc=$?
t_check "listen --buffer 1000 takes all six and exits 0" test "$rc" -eq 0
t_check "lengths on the wire, truncation flags and captured bytes" python3 -c '
import json, sys
d = [json.loads(l) for l in open(sys.argv[1])]
got = [(x["length"], x["truncated"], len(x["hex"]) // 2) for x in d if x["type"] == "datagram"]
want = [(1, False, 1), (0, False, 0), (65507, True, 1000), (65527, True, 1000),
        (1000, False, 1000), (1, False, 1)]
assert got == want, got
' "$T_TMP/sz.out"
t_check "the summary counts two truncated" \
    grep -q '"type":"summary",.*"received":6,"received_bytes":132036,.*"truncated":2' "$T_TMP/sz.out"

big=$(head -c 65507 /dev/zero | tr '\0' A)
T_RC=0
printf 'one\n\n%s\ntwo\n' "$big" | timeout 10 "$UDPTOOL" send -j -w 2 "127.0.0.1:$E" \
    >"$T_TMP/out" 2>"$T_TMP/err" || T_RC=$?
t_check "send: a short, an empty, a 65507-byte and a short reply in one run" python3 -c '
import json, sys
d = [json.loads(l) for l in open(sys.argv[1])]
got = [(x["length"], x["truncated"]) for x in d if x["type"] == "reply"]
assert got == [(3, False), (0, False), (65507, False), (3, False)], got
assert d[-1]["sent"] == 4 and d[-1]["received"] == 4, d[-1]
' "$T_TMP/out"
t_expect_rc "send: a 65527-byte reply over IPv6" 0 "$UDPTOOL" send -q -j --size 65527 "[::1]:$E"
t_check "send: 65527 bytes back, whole" t_contains "$T_OUT" '"length":65527,"truncated":false'
T_OUT=

# --- the peer goes away between datagrams and comes back ---
# Lines come through a FIFO so that each is written only once the effect
# of the previous one was seen.
PEERP=$(python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$T_TMP/fixed.py" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", int(sys.argv[1])))
print("listening on 127.0.0.1:%d" % s.getsockname()[1], file=sys.stderr, flush=True)
while True:
    d, a = s.recvfrom(65535)
    s.sendto(d, a)
EOF
t_server p1 python3 "$T_TMP/fixed.py" "$PEERP" || true
P1=$T_PID
mkfifo "$T_TMP/in"
timeout 20 "$UDPTOOL" send -w 1 "127.0.0.1:$PEERP" <"$T_TMP/in" \
    >"$T_TMP/away.out" 2>"$T_TMP/away.err" &
SA=$!
T_PIDS="$T_PIDS $SA"
exec 9>"$T_TMP/in"
printf 'before\n' >&9
t_wait_for "$T_TMP/away.out" ": before$" || true
t_stop "$P1"
printf 'while away\n' >&9
t_wait_for "$T_TMP/away.err" "refused by 127.0.0.1" || true
t_check "send reports the refusal mid-run" grep -q "refused by 127.0.0.1" "$T_TMP/away.err"
t_check "and goes on running" kill -0 "$SA"
# Not holding the FIFO open: send must see the end of its input.
t_server p2 python3 "$T_TMP/fixed.py" "$PEERP" 9>&- || true
printf 'after\n' >&9
t_wait_for "$T_TMP/away.out" ": after$" || true
exec 9>&-
rc=0
t_wait_pid "$SA" || rc=$?
t_check "the reply after the peer came back is shown" grep -q ": after$" "$T_TMP/away.out"
t_check "exit 0: replies came" test "$rc" -eq 0
t_check "the summary: 3 sent, 2 replies, 1 refused, 0 timed out" \
    grep -q -- "--- 127.0.0.1:$PEERP: 3 sent (21 bytes), 2 replies, 1 refused, 0 timed out" "$T_TMP/away.err"

t_done
