#!/bin/sh
# SPDX-License-Identifier: ISC
# listen over loopback with real senders (socat, nc, python3 sockets):
# every sender shown, every format, truncation reported, -c and -w,
# the SIGINT summary, --interactive and --to with -e and -X payload lines,
# and bad input.
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
	t_check "bad input '$a' is one line" test "$(t_lines "$T_ERR")" -eq 1
done
t_expect_rc "--help exits 0" 0 "$UDPTOOL" listen --help

# --- every datagram from every sender, text ---
t_server txt "$UDPTOOL" listen -c 4 --meta 0 || true
P=$T_PORT
t_check "listens on [::] by default" grep -q "listening on \[::\]:$P" "$T_TMP/txt.err"
printf 'from socat' | timeout 5 socat -u - "UDP4:127.0.0.1:$P"
printf 'from nc\n' | timeout 5 nc -u -w1 127.0.0.2 "$P" || true
py "$PY_SEND" ::1 "$P" "x00ff41" n0
i=0
while kill -0 "$T_PID" 2>/dev/null && [ "$i" -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
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
t_check "summary counts four datagrams from two sender addresses" \
    grep -q "summary: 4 datagrams (21 bytes) from 2 senders" "$T_TMP/txt.err"

# --- JSON, hexdump, raw ---
t_server js "$UDPTOOL" listen -j -c 2 127.0.0.1:0 || true
py "$PY_SEND" 127.0.0.1 "$T_PORT" "hello json" "x00010203"
t_wait_for "$T_TMP/js.err" "summary" || true
t_check "-j prints one valid JSON object per datagram" py '
import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) == 2, lines
a, b = [json.loads(l) for l in lines]
assert a["type"] == "datagram" and a["text"] == "hello json" and a["length"] == 10, a
assert a["from"].startswith("127.0.0.1:") and a["to"] == "127.0.0.1:" + sys.argv[2], a
assert isinstance(a["timestamp"], float) and a["truncated"] is False, a
assert b["hex"] == "00010203" and "text" not in b, b
' "$T_TMP/js.out" "$T_PORT"
t_check "-j summary is JSON" grep -q '^{"type":"summary","datagrams":2,' "$T_TMP/js.err"

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
t_wait_for "$T_TMP/big.err" "summary" || true
t_check "65507 and 65527 bytes arrive whole, not truncated" py '
import json, sys
d = [json.loads(l) for l in open(sys.argv[1])]
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
    sh -c 'test "$(grep -c "summary: 3 datagrams (3 bytes) from 1 senders" "$1")" -eq 2 && grep -q "top sender 127.0.0.1: 3 datagrams" "$1"' sh "$T_TMP/sig.err"

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

# --- -e and -X: lines in send's payload syntax; a bad line is reported ---
# hexes FILE: the hex payloads of the JSON lines in FILE, one per line.
hexes() {
	py 'import json, sys
for l in open(sys.argv[1]):
    print(json.loads(l)["hex"])' "$1"
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
    grep -q '"sent":2,"send_errors":0,"invalid_lines":1' "$T_TMP/e.err"

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
    grep -q '"sent":2,"send_errors":0,"invalid_lines":2' "$T_TMP/X.err"

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

t_done
