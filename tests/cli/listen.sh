#!/bin/sh
# SPDX-License-Identifier: ISC
# listen over loopback with real senders (socat, nc, python3 sockets):
# every sender shown, every format, truncation reported, -c and -w,
# the SIGINT summary, --interactive and --to with -e and -X payload lines,
# which peer piped lines go to (with and without --lock), and bad input.
set -eu
. "$(dirname "$0")/lib.sh"
t_need python3 socat nc

py() {
	script=$1
	shift
	timeout 20 python3 -c "$script" "$@"
}

# Sends each argument (x-prefixed: hex, n-prefixed: that many bytes) from
# a fresh socket to $1:$2.
PY_SEND='
import socket, sys, time
host, port = sys.argv[1], int(sys.argv[2])
fam = socket.AF_INET6 if ":" in host else socket.AF_INET
for a in sys.argv[3:]:
    s = socket.socket(fam, socket.SOCK_DGRAM)
    data = bytes.fromhex(a[1:]) if a.startswith("x") else (b"B" * int(a[1:]) if a.startswith("n") else a.encode())
    s.sendto(data, (host, port))
    time.sleep(0.02)
'

# --- bad input ---
for args in "--join 10.0.0.1 0|'10.0.0.1' is not a multicast" \
    "--join 239.1.1.1%nosuchif0 0|nosuchif0" "--join frob 0|'frob'" \
    "--join-source 192.0.2.1 0|needs a --join" "-c 0 0|'0'" "-w -3 0|'-3'" \
    "--buffer 70000 0|'70000'" "65536|'65536'" "|missing" \
    "-e 0|--interactive" "-X 0|--interactive" "-e -X --interactive 0|-e and -X"; do
	a=${args%%|*}
	needle=${args#*|}
	# shellcheck disable=SC2086
	t_expect_rc "bad input '$a' exits 2" 2 "$UDPTOOL" listen $a
	t_check "bad input '$a' names the value" t_contains "$T_ERR" "$needle"
	if [ -z "$a" ]; then
		# A missing argument is a usage error: the message, then usage.
		t_check "no address: the message and the usage line" test \
		    "$(t_lines "$T_ERR") $(printf '%s\n' "$T_ERR" | sed -n 2p | cut -c1-21)" = \
		    "2 usage: udptool listen"
	else
		t_check "bad input '$a' is one line" test "$(t_lines "$T_ERR")" -eq 1
	fi
done
t_expect_rc "--help exits 0" 0 "$UDPTOOL" listen --help

# --- every datagram from every sender, text ---
t_server txt "$UDPTOOL" listen -c 4 --meta 0 || true
P=$T_PORT
t_check "listens on [::] by default" grep -q "listening on \[::\]:$P" "$T_TMP/txt.err"
printf 'from socat' | timeout 5 socat -u - "UDP4:127.0.0.1:$P"
printf 'from nc\n' | timeout 5 nc -u -w1 127.0.0.2 "$P" || true
py "$PY_SEND" ::1 "$P" "x00ff41" n0
t_until 5 0.1 sh -c '! kill -0 "$1" 2>/dev/null' sh "$T_PID" || true
rc=0
kill -0 "$T_PID" 2>/dev/null && rc=124
t_stop "$T_PID"
t_check "-c 4 exits by itself after four datagrams" test "$rc" -eq 0
T_OUT=$(cat "$T_TMP/txt.out")
t_check "four lines, one per datagram" test "$(t_lines "$T_OUT")" -eq 4
t_check "socat's datagram with sender and local address" \
    sh -c 'printf "%s\n" "$1" | grep -Eq "^[0-9:.]+ 127\.0\.0\.1:[0-9]+ > 127\.0\.0\.1:$2 10 bytes ttl=64 tos=0x00: from socat$"' sh "$T_OUT" "$P"
t_check "nc's datagram to 127.0.0.2 shows that local address, newline escaped" \
    sh -c 'printf "%s\n" "$1" | grep -Eq " > 127\.0\.0\.2:$2 8 bytes .*: from nc\\\\n$"' sh "$T_OUT" "$P"
t_check "IPv6 sender with binary bytes escaped" \
    sh -c 'printf "%s\n" "$1" | grep -Eq "^[0-9:.]+ \[::1\]:[0-9]+ > \[::1\]:$2 3 bytes .*: \\\\x00\\\\xffA$"' sh "$T_OUT" "$P"
t_check "a 0-byte datagram is shown" \
    sh -c 'printf "%s\n" "$1" | grep -Eq " 0 bytes ttl=64 tos=0x00: $"' sh "$T_OUT"
t_check "summary counts four datagrams from four senders (address and port)" \
    grep -q "summary: 4 datagrams (21 bytes) from 4 senders" "$T_TMP/txt.err"

# --- JSON, hexdump, raw ---
t_server js "$UDPTOOL" listen -j -c 2 127.0.0.1:0 || true
py "$PY_SEND" 127.0.0.1 "$T_PORT" "hello json" "x00010203"
t_wait_for "$T_TMP/js.out" "summary" || true
t_check "-j prints one valid JSON object per datagram, then the summary" py '
import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) == 3, lines
a, b, s = [json.loads(l) for l in lines]
# Each datagram came from a socket of its own: two senders.
assert s["type"] == "summary" and s["received"] == 2 and s["senders"] == 2, s
assert a["time"].endswith("Z") and s["time"].endswith("Z"), (a, s)
assert a["type"] == "datagram" and a["text"] == "hello json" and a["length"] == 10, a
assert a["from"].startswith("127.0.0.1:") and a["to"] == "127.0.0.1:" + sys.argv[2], a
assert isinstance(a["timestamp"], float) and a["truncated"] is False, a
assert b["hex"] == "00010203" and "text" not in b, b
' "$T_TMP/js.out" "$T_PORT"
t_check "-j: no summary on stderr" sh -c '! grep -q summary "$1"' sh "$T_TMP/js.err"

t_server hx "$UDPTOOL" listen -x -c 1 127.0.0.1:0 || true
py "$PY_SEND" 127.0.0.1 "$T_PORT" "hexdump me please"
t_wait_for "$T_TMP/hx.err" "summary" || true
t_check "-x prints a hexdump" grep -q "|hexdump me pleas|" "$T_TMP/hx.out"

t_server raw "$UDPTOOL" listen -r -c 2 127.0.0.1:0 || true
py "$PY_SEND" 127.0.0.1 "$T_PORT" "x610062" "x0a7a"
t_wait_for "$T_TMP/raw.err" "summary" || true
t_check "-r writes the payload bytes only" \
    test "$(od -An -tx1 "$T_TMP/raw.out" | tr -d ' \n')" = "6100620a7a"

# --- sizes and truncation ---
t_server big "$UDPTOOL" listen -j -c 2 0 || true
py "$PY_SEND" 127.0.0.1 "$T_PORT" n65507
py "$PY_SEND" ::1 "$T_PORT" n65527
t_wait_for "$T_TMP/big.out" "summary" || true
t_check "65507 and 65527 bytes arrive whole, not truncated" py '
import json, sys
d = [json.loads(l) for l in open(sys.argv[1])]
d = [x for x in d if x["type"] == "datagram"]
assert [x["length"] for x in d] == [65507, 65527], [x["length"] for x in d]
assert all(not x["truncated"] and len(x["hex"]) == 2 * x["length"] for x in d)
' "$T_TMP/big.out"

t_server tr "$UDPTOOL" listen --buffer 16 -c 1 127.0.0.1:0 || true
py "$PY_SEND" 127.0.0.1 "$T_PORT" n100
t_wait_for "$T_TMP/tr.err" "summary" || true
t_check "a datagram longer than the buffer is reported truncated" \
    grep -q " 100 bytes (truncated to 16): BBBBBBBBBBBBBBBB$" "$T_TMP/tr.out"
t_check "the summary counts it" grep -q "1 truncated" "$T_TMP/tr.err"
t_server trj "$UDPTOOL" listen -j --buffer 16 -c 1 127.0.0.1:0 || true
py "$PY_SEND" 127.0.0.1 "$T_PORT" n100
t_wait_for "$T_TMP/trj.err" "summary" || true
t_check "-j marks truncation with the length on the wire" \
    grep -q '"length":100,"truncated":true' "$T_TMP/trj.out"

# --- -w and signals ---
t_expect_rc "-w exits 1 when nothing arrives" 1 "$UDPTOOL" listen -w 0.3 127.0.0.1:0
t_check "-w still prints the summary" t_contains "$T_ERR" "summary: 0 datagrams"
t_server w "$UDPTOOL" listen -w 1 127.0.0.1:0 || true
py "$PY_SEND" 127.0.0.1 "$T_PORT" "one"
rc=0
t_wait_pid "$T_PID" || rc=$?
t_check "-w exits 0 once something arrived" test "$rc" -eq 0

t_server sig "$UDPTOOL" listen 127.0.0.1:0 || true
py "$PY_SEND" 127.0.0.1 "$T_PORT" "a" "b" "c"
t_wait_for "$T_TMP/sig.out" "c$" || true
kill -USR1 "$T_PID"
t_check "SIGUSR1 prints a summary" t_wait_for "$T_TMP/sig.err" "summary: 3 datagrams"
kill -INT "$T_PID"
rc=0
t_wait_pid "$T_PID" || rc=$?
t_check "SIGINT exits 0" test "$rc" -eq 0
t_check "SIGINT summary with the top sender" \
    sh -c 'test "$(grep -c "summary: 3 datagrams (3 bytes) from 3 senders," "$1")" -eq 2 && grep -Eq "top sender 127.0.0.1:[0-9]+: 1 datagram, 1 byte" "$1"' sh "$T_TMP/sig.err"

# --- two-way: --interactive answers the last sender, --to a fixed peer ---
# A FIFO on stdin: the line is typed only once the datagram was shown.
mkfifo "$T_TMP/in"
"$UDPTOOL" listen --interactive 127.0.0.1:0 <"$T_TMP/in" \
    >"$T_TMP/ib.out" 2>"$T_TMP/ib.err" &
IB=$!
T_PIDS="$T_PIDS $IB"
exec 9>"$T_TMP/in"
t_wait_for "$T_TMP/ib.err" "listening on" || true
IP=$(sed -n 's/.*listening on .*:\([0-9][0-9]*\)$/\1/p' "$T_TMP/ib.err")
timeout 20 python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(5)
s.sendto(b"hello listener", ("127.0.0.1", int(sys.argv[1])))
d, src = s.recvfrom(100)
print(d.decode(), src[1] == int(sys.argv[1]))
' "$IP" >"$T_TMP/ib.reply" 2>&1 &
PYP=$!
t_wait_for "$T_TMP/ib.out" "hello listener" || true
printf 'answer from stdin\n' >&9
wait "$PYP" || true
exec 9>&-
t_stop "$IB"
t_check "--interactive sends a stdin line to the last sender, from the listening port" \
    test "$(cat "$T_TMP/ib.reply")" = "answer from stdin True"

# --- which peer a piped line goes to, with and without --lock ---
# A peer: prints its own port, sends its name to port $1, then prints
# every datagram it gets for 8 s.
PY_PEER='
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1], flush=True)
s.sendto(sys.argv[2].encode(), ("127.0.0.1", int(sys.argv[1])))
s.settimeout(0.2)
end = time.time() + 8
while time.time() < end:
    try:
        print(s.recv(100).decode(), flush=True)
    except socket.timeout:
        pass
'

# fifo_listen TAG OPTION...: starts listen OPTION... 127.0.0.1:0 reading
# a FIFO that descriptor 9 writes; sets LPID and port.
fifo_listen() {
	tag=$1
	shift
	rm -f "$T_TMP/in"
	mkfifo "$T_TMP/in"
	"$UDPTOOL" listen "$@" 127.0.0.1:0 <"$T_TMP/in" \
	    >"$T_TMP/$tag.out" 2>"$T_TMP/$tag.err" &
	LPID=$!
	T_PIDS="$T_PIDS $LPID"
	exec 9>"$T_TMP/in"
	t_wait_for "$T_TMP/$tag.err" "listening on" || true
	port=$(sed -n 's/.*listening on .*:\([0-9][0-9]*\)$/\1/p' "$T_TMP/$tag.err")
}

# two_peers TAG [OPTION]: a listen fed by a FIFO; a line before any sender,
# then peer A speaks, a line, then peer B speaks, a line.
two_peers() {
	tag=$1
	shift
	fifo_listen "$tag" --interactive "$@"
	printf 'early\n' >&9
	sleep 0.3
	t_bg "$tag-a" timeout 20 python3 -c "$PY_PEER" "$port" peerA
	t_wait_for "$T_TMP/$tag-a.out" '^early$' 50 || true
	printf 'to-first\n' >&9
	t_wait_for "$T_TMP/$tag-a.out" '^to-first$' 50 || true
	t_bg "$tag-b" timeout 20 python3 -c "$PY_PEER" "$port" peerB
	t_wait_for "$T_TMP/$tag.out" ': peerB$' 50 || true
	printf 'after-second\n' >&9
	t_wait_for "$T_TMP/$tag-a.out" '^after-second$' 30 ||
	    t_wait_for "$T_TMP/$tag-b.out" '^after-second$' 30 || true
	exec 9>&-
	t_stop "$LPID"
	PA=$(head -n 1 "$T_TMP/$tag-a.out")
	PB=$(head -n 1 "$T_TMP/$tag-b.out")
}

two_peers mr
t_check "a piped line read before any sender waits and goes to the first sender" \
    grep -qx early "$T_TMP/mr-a.out"
t_check "the next line goes to that sender" grep -qx to-first "$T_TMP/mr-a.out"
t_check "after a second sender speaks, lines go to it" \
    grep -qx after-second "$T_TMP/mr-b.out"
t_check "and no longer to the first" sh -c '! grep -qx after-second "$1"' sh "$T_TMP/mr-a.out"
t_check "the change of peer is said on stderr, once per change" sh -c '
	grep -c "lines now go to 127.0.0.1:$2 (the most recent sender)$" "$1" | grep -qx 1 &&
	grep -c "lines now go to 127.0.0.1:$3 (the most recent sender)$" "$1" | grep -qx 1' \
    sh "$T_TMP/mr.err" "$PA" "$PB"

two_peers lk --lock
t_check "--lock: the waiting line goes to the first sender" grep -qx early "$T_TMP/lk-a.out"
t_check "--lock: lines keep going to the first sender" grep -qx after-second "$T_TMP/lk-a.out"
t_check "--lock: the second sender gets nothing" test "$(sed 1d "$T_TMP/lk-b.out" | wc -l)" -eq 0
t_check "--lock: the second sender's datagram is still shown" grep -q ": peerB$" "$T_TMP/lk.out"
t_check "--lock: it is marked as never answered" \
    grep -q "127.0.0.1:$PB is not the locked peer: shown, never answered$" "$T_TMP/lk.err"
t_check "--lock: the lock is said once" \
    test "$(grep -c "lines now go to" "$T_TMP/lk.err")" -eq 1

T_RC=0
printf 'lonely\n' | timeout 10 "$UDPTOOL" listen --interactive -w 0.5 127.0.0.1:0 \
    >"$T_TMP/ns.out" 2>"$T_TMP/ns.err" || T_RC=$?
t_check "a line that never found a sender is reported at the end (status $T_RC)" sh -c \
    'test "$1" -eq 1 && grep -q "line 1 and the lines after it not sent: no sender came$" "$2"' \
    sh "$T_RC" "$T_TMP/ns.err"
t_expect_rc "--lock without --interactive exits 2" 2 "$UDPTOOL" listen --lock 0
t_check "--lock without --interactive says what is missing" t_contains "$T_ERR" "add --interactive"

# -q: the same wait, without the notice.
fifo_listen q -q --interactive -c 1 -w 10
QPID=$LPID
printf 'quietly\n' >&9
t_bg q-a timeout 20 python3 -c "$PY_PEER" "$port" peerQ
t_wait_for "$T_TMP/q-a.out" '^quietly$' 50 || true
exec 9>&-
t_stop "$QPID"
t_check "-q: the waiting line is sent" grep -qx quietly "$T_TMP/q-a.out"
t_check "-q: no notice of the peer" sh -c '! grep -q "lines now go to" "$1"' sh "$T_TMP/q.err"

t_server echo "$UDPTOOL" echo-serve 127.0.0.1:0 || true
EP=$T_PORT
T_RC=0
printf 'line one\nline two\n' | timeout 10 "$UDPTOOL" listen -c 2 -w 5 \
    --to "127.0.0.1:$EP" 127.0.0.1:0 >"$T_TMP/to.out" 2>"$T_TMP/to.err" || T_RC=$?
t_check "--to sends each line as one datagram and shows the answers" \
    sh -c 'test "$1" -eq 0 && grep -q "127.0.0.1:$2 > .* 8 bytes: line one$" "$3" && grep -q " 8 bytes: line two$" "$3"' \
    sh "$T_RC" "$EP" "$T_TMP/to.out"
printf 'dual\n' | timeout 10 "$UDPTOOL" listen -c 1 -w 5 \
    --to "127.0.0.1:$EP" 0 >"$T_TMP/to6.out" 2>"$T_TMP/to6.err" || true
t_check "--to an IPv4 peer works from a dual-stack socket" \
    grep -q "127.0.0.1:$EP > .* 4 bytes: dual$" "$T_TMP/to6.out"

# --- line ends on the wire: none by default, --crlf as nc -C, --eol as nc ---
t_server wire python3 "$TOP_SRCDIR/tests/cli/send-peer.py" --mode record || true
WP=$T_PORT
# wire OPTIONS: pipes two lines through listen OPTIONS --to the recording
# peer; prints the hex of the datagrams it got, space-separated.
wire() {
	before=$(wc -l <"$T_TMP/wire.out")
	printf 'ab\ncd\n' | timeout 10 "$UDPTOOL" listen -q -w 1 "$@" \
	    --to "127.0.0.1:$WP" 127.0.0.1:0 >/dev/null 2>&1 || true
	t_until 5 0.1 sh -c '[ "$(wc -l <"$1")" -ge "$2" ]' sh "$T_TMP/wire.out" $((before + 2)) || true
	tail -n +$((before + 1)) "$T_TMP/wire.out" | cut -d' ' -f1 | tr '\n' ' '
}
t_check "a line goes without its newline by default" test "$(wire)" = "6162 6364 "
t_check "--crlf ends each line with CR LF" test "$(wire --crlf)" = "61620d0a 63640d0a "
t_check "--eol keeps each line's LF" test "$(wire --eol)" = "61620a 63640a "
t_check "--eol with -X: the LF follows the decoded bytes" test "$(wire -X --eol)" = "ab0a cd0a "
t_expect_rc "--crlf and --eol exclude each other" 2 "$UDPTOOL" listen --crlf --eol --to 127.0.0.1:9 0
t_expect_rc "--crlf without --interactive is an error" 2 "$UDPTOOL" listen --crlf 0
t_check "the error names what is missing" t_contains "$T_ERR" "--crlf ends the lines --interactive sends: add --interactive or --to"

# --- -e and -X: lines in send's payload syntax; a bad line is reported ---
# hexes FILE: the hex payloads of the JSON lines in FILE, one per line.
hexes() {
	py 'import json, sys
for l in open(sys.argv[1]):
    d = json.loads(l)
    if d["type"] == "datagram":
        print(d["hex"])' "$1"
}
T_RC=0
printf 'a\\tb\\x00\\n\nbad \\q here\n\\\\ok\\101\r\n' | timeout 10 "$UDPTOOL" listen -e -j \
    -c 2 -w 5 --to "127.0.0.1:$EP" 127.0.0.1:0 >"$T_TMP/e.out" 2>"$T_TMP/e.err" || T_RC=$?
t_check "-e: exits 0 after the two answers" test "$T_RC" -eq 0
t_check "-e: escapes decoded, CRLF taken as a newline" \
    test "$(hexes "$T_TMP/e.out" | tr '\n' ' ')" = "610962000a 5c6f6b41 "
t_check "-e: a bad line is one message naming the line and the position" \
    test "$(grep -c "line 2: invalid payload: invalid escape '\\\\q' at position 5 (not sent)$" "$T_TMP/e.err")" -eq 1
t_check "-e: the session went on; the summary counts the bad line" \
    grep -q '"sent":2,"send_errors":0,"invalid_lines":1' "$T_TMP/e.out"

T_RC=0
printf 'de:ad be ef\nabc\n00 0g\n41\n' | timeout 10 "$UDPTOOL" listen -X -j \
    -c 2 -w 5 --to "127.0.0.1:$EP" 127.0.0.1:0 >"$T_TMP/X.out" 2>"$T_TMP/X.err" || T_RC=$?
t_check "-X: exits 0 after the two answers" test "$T_RC" -eq 0
t_check "-X: hex lines with spaces and colons become bytes" \
    test "$(hexes "$T_TMP/X.out" | tr '\n' ' ')" = "deadbeef 41 "
t_check "-X: an odd digit count names its position" \
    grep -q "line 2: invalid payload: odd number of hex digits: 'c' at position 3 has no pair (not sent)$" "$T_TMP/X.err"
t_check "-X: a bad digit names its position" \
    grep -q "line 3: invalid payload: invalid hex digit 'g' at position 5 (not sent)$" "$T_TMP/X.err"
t_check "-X: two lines rejected, two sent" \
    grep -q '"sent":2,"send_errors":0,"invalid_lines":2' "$T_TMP/X.out"

# The largest IPv4 datagram spelled in hex is a 131014-byte line.
py 'import sys; sys.stdout.write("42" * 65507 + "\n")' >"$T_TMP/bighex"
T_RC=0
timeout 10 "$UDPTOOL" listen -X -j -c 1 -w 5 --to "127.0.0.1:$EP" 127.0.0.1:0 \
    <"$T_TMP/bighex" >"$T_TMP/bx.out" 2>"$T_TMP/bx.err" || T_RC=$?
t_check "-X: a 65507-byte datagram in one hex line goes out and comes back whole" \
    sh -c 'test "$1" -eq 0 && grep -q "\"length\":65507,\"truncated\":false" "$2"' sh "$T_RC" "$T_TMP/bx.out"

# A FIFO, answering the last sender with -X.
rm -f "$T_TMP/in"
mkfifo "$T_TMP/in"
"$UDPTOOL" listen --interactive -X 127.0.0.1:0 <"$T_TMP/in" \
    >"$T_TMP/fx.out" 2>"$T_TMP/fx.err" &
FX=$!
T_PIDS="$T_PIDS $FX"
exec 9>"$T_TMP/in"
t_wait_for "$T_TMP/fx.err" "listening on" || true
FP=$(sed -n 's/.*listening on .*:\([0-9][0-9]*\)$/\1/p' "$T_TMP/fx.err")
timeout 20 python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(5)
s.sendto(b"ping", ("127.0.0.1", int(sys.argv[1])))
d, src = s.recvfrom(100)
print(d.hex())
' "$FP" >"$T_TMP/fx.reply" 2>&1 &
PYP=$!
t_wait_for "$T_TMP/fx.out" "ping$" || true
printf 'zz\n00:ff 0a\n' >&9
wait "$PYP" || true
exec 9>&-
t_check "--interactive -X over a FIFO: the bad line is skipped, the next one answers" \
    sh -c 'test "$(cat "$1")" = "00ff0a" && grep -q "line 1: invalid payload: invalid hex digit .z. at position 1" "$2"' \
    sh "$T_TMP/fx.reply" "$T_TMP/fx.err"
t_stop "$FX"
t_stop "$T_PID"

# --- kernel drops are never silent; the default buffer takes a burst ---
PY_BURST='
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(int(sys.argv[3])):
    s.sendto(b"b%05d" % i, (sys.argv[1], int(sys.argv[2])))
'
if [ "$(id -u)" -eq 0 ]; then
	# Stopped, listen reads nothing: the burst must all fit the buffer.
	t_server burst "$UDPTOOL" listen -c 2000 -w 10 127.0.0.1:0 || true
	kill -STOP "$T_PID"
	py "$PY_BURST" 127.0.0.1 "$T_PORT" 2000
	kill -CONT "$T_PID"
	rc=0
	t_wait_pid "$T_PID" || rc=$?
	t_check "a burst of 2000 while stopped: all 2000 shown (default --rcvbuf 4M)" \
	    test "$rc $(wc -l <"$T_TMP/burst.out" | tr -d ' ')" = "0 2000"
else
	t_skip "a burst of 2000 while stopped" "SO_RCVBUFFORCE above rmem_max needs root"
fi
# overflow NAME OPTION...: 300 datagrams into a stopped listen with a 1K
# buffer, then one more once it runs again.
overflow() {
	name=$1
	shift
	t_server "$name" "$UDPTOOL" listen "$@" --rcvbuf 1K -w 2 127.0.0.1:0 || true
	kill -STOP "$T_PID"
	py "$PY_BURST" 127.0.0.1 "$T_PORT" 300
	kill -CONT "$T_PID"
	sleep 0.3
	py "$PY_SEND" 127.0.0.1 "$T_PORT" after
	t_wait_pid "$T_PID" || true
}
overflow kd -j
t_check "-j: the drops are an event and in the summary, and add up to 301" py '
import json, sys
d = [json.loads(l) for l in open(sys.argv[1])]
got = sum(1 for x in d if x["type"] == "datagram")
ev = [x for x in d if x["type"] == "kernel_drops"]
s = d[-1]
assert s["type"] == "summary" and s["kernel_drops"] > 0, s
assert ev and sum(x["dropped"] for x in ev) == s["kernel_drops"], (ev, s)
assert got + s["kernel_drops"] == 301, (got, s)
' "$T_TMP/kd.out"
overflow kdt
t_check "text: a line says how many the kernel dropped, the summary too" sh -c \
    'grep -Eq "^udptool: listen: the kernel dropped [0-9]+ datagrams before the next one \(receive buffer full: raise --rcvbuf\)$" "$1" &&
     grep -Eq "summary: .*, [0-9]+ dropped by the kernel \(receive buffer full: raise --rcvbuf\)$" "$1"' sh "$T_TMP/kdt.err"
t_expect_rc "--rcvbuf 1X is refused" 2 "$UDPTOOL" listen --rcvbuf 1X 0
t_check "--rcvbuf 1X is named" t_contains "$T_ERR" "invalid receive buffer size '1X'"

t_done
