#!/bin/sh
# SPDX-License-Identifier: ISC
# echo-serve against real clients (socat, nc, python3 sockets) over
# loopback: every size, many senders, replies from the arrival address,
# modes, safety rules, signal summaries and bad input.
set -eu
. "$(dirname "$0")/lib.sh"
t_need python3 socat nc

# py SCRIPT ARGS...: runs a python3 client with a time bound.
py() {
	script=$1
	shift
	timeout 20 python3 -c "$script" "$@"
}

# Sends each argument as one datagram from a socket bound to $1 (address
# or address:port) to $2:$3 and prints each reply as "FROMADDR:FROMPORT HEX".
PY_EXCHANGE='
import socket, sys
bind, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
fam = socket.AF_INET6 if ":" in host else socket.AF_INET
s = socket.socket(fam, socket.SOCK_DGRAM)
if bind != "-":
    h, _, p = bind.rpartition(":") if bind.count(":") == 1 else (bind, "", "0")
    s.bind((h or bind, int(p or 0)))
s.settimeout(1.5)
for a in sys.argv[4:]:
    data = bytes.fromhex(a[1:]) if a.startswith("x") else (b"A" * int(a[1:]) if a.startswith("n") else a.encode())
    s.sendto(data, (host, port))
    try:
        d, src = s.recvfrom(70000)
        print("%s:%d %s" % (src[0], src[1], d.hex()))
    except socket.timeout:
        print("none")
'

hex() {
	printf '%s' "$1" | od -An -tx1 | tr -d ' \n'
}

# --- bad input: exit 2 and one line naming the value ---
for args in "-m frob 0|invalid mode 'frob'" "99999|'99999'" \
    "--allow 10.0.0.300/8 0|10.0.0.300" "--rate -1 0|'-1'" \
    "--threads 0 0|'0'" "--max-sources 0 0|'0'" "--stats x 0|'x'" \
    "[::1 |[::1" "|missing"; do
	a=${args%%|*}
	needle=${args#*|}
	# shellcheck disable=SC2086
	t_expect_rc "bad input '$a' exits 2" 2 "$UDPTOOL" echo-serve $a
	t_check "bad input '$a' names the value" t_contains "$T_ERR" "$needle"
	if [ -z "$a" ]; then
		# A missing argument is a usage error: the message, then usage.
		t_check "no address: the message and the usage line" test \
		    "$(t_lines "$T_ERR") $(printf '%s\n' "$T_ERR" | sed -n 2p | cut -c1-25)" = \
		    "2 usage: udptool echo-serve"
	else
		t_check "bad input '$a' is one line" test "$(t_lines "$T_ERR")" -eq 1
	fi
done
t_expect_rc "unknown option exits 2" 2 "$UDPTOOL" echo-serve --frob 0
t_expect_rc "--help exits 0" 0 "$UDPTOOL" echo-serve --help
t_check "--help lists --max-sources" t_contains "$T_OUT" "--max-sources"

# --- the default server: dual-stack, verbose ---
t_server es "$UDPTOOL" echo-serve -v 0 || true
P=$T_PORT
ES=$T_PID
t_check "listens on [::] by default" grep -q "listening on \[::\]:$P" "$T_TMP/es.err"

got=$(printf 'hello socat' | timeout 5 socat -t2 - "UDP4:127.0.0.1:$P" || true)
t_check "socat IPv4 gets its datagram back" test "$got" = "hello socat"
got=$(printf 'hello six' | timeout 5 socat -t2 - "UDP6:[::1]:$P" || true)
t_check "socat IPv6 gets its datagram back" test "$got" = "hello six"
got=$(printf 'netcat' | timeout 5 nc -u -w1 127.0.0.1 "$P" || true)
t_check "nc gets its datagram back" test "$got" = "netcat"

T_OUT=$(py "$PY_EXCHANGE" - 127.0.0.1 "$P" x n65507)
first=$(printf '%s\n' "$T_OUT" | sed -n 1p)
t_check "0-byte datagram echoed as 0 bytes (IPv4)" test "$first" = "127.0.0.1:$P "
big=$(printf '%s\n' "$T_OUT" | sed -n 2p | cut -d' ' -f2)
t_check "65507-byte datagram echoed whole (IPv4)" test "${#big}" -eq $((65507 * 2))
T_OUT=$(py "$PY_EXCHANGE" - ::1 "$P" n65527 x00ff0a)
big=$(printf '%s\n' "$T_OUT" | sed -n 1p | cut -d' ' -f2)
t_check "65527-byte datagram echoed whole (IPv6)" test "${#big}" -eq $((65527 * 2))
t_check "binary bytes echoed exactly" t_contains "$T_OUT" "::1:$P 00ff0a"

# Replies leave from the address the request was sent to.
T_OUT=$(py "$PY_EXCHANGE" 127.0.0.1 127.0.0.2 "$P" multi)
t_check "request to 127.0.0.2 is answered from 127.0.0.2" \
    test "$T_OUT" = "127.0.0.2:$P $(hex multi)"
T_OUT=$(py "$PY_EXCHANGE" 127.0.0.1 127.0.0.1 "$P" multi)
t_check "request to 127.0.0.1 is answered from 127.0.0.1" \
    test "$T_OUT" = "127.0.0.1:$P $(hex multi)"

t_server one "$UDPTOOL" echo-serve -v 127.0.0.2:0 || true
T_OUT=$(py "$PY_EXCHANGE" 127.0.0.1 127.0.0.2 "$T_PORT" bound)
t_check "a server bound to 127.0.0.2 answers from it" \
    test "$T_OUT" = "127.0.0.2:$T_PORT $(hex bound)"
t_check "and logs it as the local address" \
    grep -Eq "^received 5 bytes from 127\.0\.0\.1:[0-9]+ to 127\.0\.0\.2$" "$T_TMP/one.out"
t_stop "$T_PID"

# Many senders at once, each getting exactly its own replies.
T_OUT=$(py '
import socket, sys, select
port = int(sys.argv[1])
socks = []
for i in range(40):
    fam, host = (socket.AF_INET6, "::1") if i % 2 else (socket.AF_INET, "127.0.0.1")
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.bind((host, 0))
    socks.append((s, host))
for k in range(5):
    for i, (s, host) in enumerate(socks):
        s.sendto(b"sender %d message %d" % (i, k), (host, port))
bad = 0
for i, (s, host) in enumerate(socks):
    s.settimeout(2)
    got = []
    for k in range(5):
        try:
            got.append(s.recv(100))
        except socket.timeout:
            break
    want = [b"sender %d message %d" % (i, k) for k in range(5)]
    if sorted(got) != want:
        bad += 1
        print("sender", i, "got", got)
print("bad", bad)
' "$P")
t_check "40 concurrent senders each get their own 5 replies" t_contains "$T_OUT" "bad 0"

t_check "-v logs each datagram received" \
    grep -Eq "^received 11 bytes from 127\.0\.0\.1:[0-9]+ to 127\.0\.0\.1" "$T_TMP/es.out"
t_check "-v logs each datagram written" \
    grep -Eq "^written 11 bytes to 127\.0\.0\.1:[0-9]+ from 127\.0\.0\.1" "$T_TMP/es.out"

# SIGUSR1: a report, and the server goes on.
kill -USR1 "$ES"
t_check "SIGUSR1 prints a report" t_wait_for "$T_TMP/es.err" "report after"
got=$(printf 'still there' | timeout 5 socat -t2 - "UDP4:127.0.0.1:$P" || true)
t_check "server answers after SIGUSR1" test "$got" = "still there"
kill -TERM "$ES"
rc=0
t_wait_pid "$ES" || rc=$?
t_check "SIGTERM exits 0" test "$rc" -eq 0
T_ERR=$(cat "$T_TMP/es.err")
t_check "summary counts datagrams in and out" \
    sh -c 'grep "summary after" "$1" | grep -Eq "[0-9]+ datagrams in \([0-9]+ bytes\), [0-9]+ out"' sh "$T_TMP/es.err"
t_check "summary names senders and top senders" \
    sh -c 'grep -q "top sender 127.0.0.1:" "$1" && grep -Eq "[0-9]+ sender address" "$1"' sh "$T_TMP/es.err"

# --- modes ---
t_server up "$UDPTOOL" echo-serve -m upper 127.0.0.1:0 || true
T_OUT=$(py "$PY_EXCHANGE" - 127.0.0.1 "$T_PORT" "hello, World 1")
t_check "upper mode upper-cases" test "$T_OUT" = "127.0.0.1:$T_PORT $(hex "HELLO, WORLD 1")"
t_stop "$T_PID"

t_server day "$UDPTOOL" echo-serve -m daytime 127.0.0.1:0 || true
T_OUT=$(py "$PY_EXCHANGE" - 127.0.0.1 "$T_PORT" anything n40 abc)
l1=$(printf '%s\n' "$T_OUT" | sed -n 1p | cut -d' ' -f2)
l1=$(py 'import sys; print(bytes.fromhex(sys.argv[1]).decode())' "$l1" || true)
t_check "daytime answers an 8-byte request with the time of day" \
    sh -c 'printf "%s\n" "$1" | grep -Eqx "[0-2][0-9]:[0-5][0-9]:[0-6][0-9]"' sh "$l1"
l2=$(printf '%s\n' "$T_OUT" | sed -n 2p | cut -d' ' -f2)
t_check "daytime answers a long request with the 26-byte ctime line" \
    sh -c 'test ${#1} -eq 52 && case "$1" in *0d0a) true ;; *) false ;; esac' sh "$l2"
t_check "daytime never answers a request shorter than 8 bytes" \
    test "$(printf '%s\n' "$T_OUT" | sed -n 3p)" = none
kill -INT "$T_PID"
t_wait_pid "$T_PID" || true
t_check "daytime drop counted as too-short" grep -q "dropped (too-short): 1" "$T_TMP/day.err"

# sockperf mode: a 14-byte header (sequence, flags, size, big-endian); a
# request with the client and pong-request flags set comes back with the
# client flag cleared, the rest get no reply.
t_server sp "$UDPTOOL" echo-serve -m sockperf 127.0.0.1:0 || true
seq=0000000000000007
T_OUT=$(py "$PY_EXCHANGE" - 127.0.0.1 "$T_PORT" x${seq}000300000010abcd x${seq}000200000010abcd \
    x${seq}000100000010abcd x${seq}0003 x${seq}000700000010)
t_check "sockperf mode answers a ping with the client flag cleared, only that" test "$T_OUT" = \
    "127.0.0.1:$T_PORT ${seq}000200000010abcd
none
none
none
127.0.0.1:$T_PORT ${seq}000600000010"
kill -INT "$T_PID"
t_wait_pid "$T_PID" || true
t_check "sockperf mode counts why it did not answer" sh -c \
    'grep -q "dropped (not-sockperf): 1" "$1" && grep -q "dropped (no-pong-request): 1" "$1" &&
     grep -q "dropped (too-short): 1" "$1"' sh "$T_TMP/sp.err"
if command -v sockperf >/dev/null 2>&1; then
	t_server sp2 "$UDPTOOL" echo-serve -m sockperf 127.0.0.1:0 || true
	t_run timeout 20 sockperf ping-pong -i 127.0.0.1 -p "$T_PORT" -t 1 -m 64
	t_check "sockperf ping-pong runs against echo-serve -m sockperf, nothing dropped" sh -c \
	    'printf "%s\n" "$1" | grep -q "Summary: Latency is" &&
	     printf "%s\n" "$1" | grep -q "# dropped messages = 0;"' sh "$T_OUT"
	t_run timeout 20 sockperf under-load -i 127.0.0.1 -p "$T_PORT" -t 1 -m 64 --mps 1000
	t_check "sockperf under-load gets its replies" sh -c \
	    'printf "%s\n" "$1" | grep -q "Summary: Latency is"' sh "$T_OUT"
	t_stop "$T_PID"
else
	t_skip "sockperf ping-pong against echo-serve -m sockperf" "sockperf is not installed"
	t_skip "sockperf under-load" "sockperf is not installed"
fi

t_server disc "$UDPTOOL" echo-serve -m discard -v -j 127.0.0.1:0 || true
DISC_PORT=$T_PORT
T_OUT=$(py "$PY_EXCHANGE" - 127.0.0.1 "$T_PORT" one two)
t_check "discard mode never replies" test "$T_OUT" = "none
none"
kill -INT "$T_PID"
t_wait_pid "$T_PID" || true
t_check "-v -j logs each datagram as a JSON object" py '
import json, sys
d = [json.loads(l) for l in open(sys.argv[1])]
assert [x["type"] for x in d] == ["datagram", "datagram", "summary"], d
assert all(x["time"].endswith("Z") and x["timestamp"] > 0 for x in d), d
assert d[0]["from"].startswith("127.0.0.1:") and d[0]["to"] == "127.0.0.1:" + sys.argv[2] and d[0]["length"] == 3, d
' "$T_TMP/disc.out" "$DISC_PORT"
T_OUT=$(grep '"type":"summary"' "$T_TMP/disc.out" || true)
t_check "-j summary is one JSON object with the counts" py '
import json, sys
d = json.loads(sys.argv[1])
assert d["received"] == 2 and d["sent"] == 0 and d["final"], d
assert d["top_senders"][0]["address"] == "127.0.0.1", d
assert d["drops"]["rate"] == 0
' "$T_OUT"

# --- safety ---
t_server allow "$UDPTOOL" echo-serve --allow 127.0.0.2/32 --allow ::1 0 || true
# No answer proves nothing by itself: the server must count the drop, and
# still answer a listed source right after it.
T_OUT=$(py "$PY_EXCHANGE" 127.0.0.1 127.0.0.1 "$T_PORT" denied)
kill -USR1 "$T_PID" 2>/dev/null || true
T_ERR=$(py "$PY_EXCHANGE" 127.0.0.2 127.0.0.1 "$T_PORT" after)
t_check "--allow drops other sources" \
    sh -c 'test "$1" = none && test "$2" = "127.0.0.1:$3 $4" &&
    grep -q "dropped (not-allowed): 1" "$5"' sh "$T_OUT" "$T_ERR" "$T_PORT" \
    "$(hex after)" "$T_TMP/allow.err"
T_OUT=$(py "$PY_EXCHANGE" 127.0.0.2 127.0.0.1 "$T_PORT" allowed)
t_check "--allow answers listed sources" test "$T_OUT" = "127.0.0.1:$T_PORT $(hex allowed)"
T_OUT=$(py "$PY_EXCHANGE" ::1 ::1 "$T_PORT" six)
t_check "--allow takes IPv6 hosts" test "$T_OUT" = "::1:$T_PORT $(hex six)"
kill -INT "$T_PID"
t_wait_pid "$T_PID" || true
t_check "not-allowed drops counted" grep -q "dropped (not-allowed): 1" "$T_TMP/allow.err"

t_server rate "$UDPTOOL" echo-serve --rate 5 127.0.0.1:0 || true
T_OUT=$(py '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(50):
    s.sendto(b"r%d" % i, ("127.0.0.1", int(sys.argv[1])))
s.settimeout(1)
n = 0
try:
    while True:
        s.recv(100)
        n += 1
except socket.timeout:
    pass
print(n)
' "$T_PORT")
t_check "--rate 5 answers a burst of 50 about 5 times ($T_OUT)" \
    test "$T_OUT" -ge 4 -a "$T_OUT" -le 8
kill -INT "$T_PID"
t_wait_pid "$T_PID" || true
t_check "rate drops counted" grep -Eq "dropped \(rate\): (4[2-6])$" "$T_TMP/rate.err"

# Cycling through more sources than the table holds must not reset their
# buckets: 64 addresses, 10 rounds, 8 table slots, 5 per second each.
t_server rate2 "$UDPTOOL" echo-serve --rate 5 --max-sources 8 0.0.0.0:0 || true
T_OUT=$(py '
import socket, sys
socks = []
for i in range(64):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.%d" % (i + 1), 0))
    socks.append(s)
for r in range(10):
    for s in socks:
        s.sendto(b"x", ("127.0.0.1", int(sys.argv[1])))
n = 0
for s in socks:
    s.settimeout(0.02)
    try:
        while True:
            s.recv(100)
            n += 1
    except socket.timeout:
        pass
print(n)
' "$T_PORT")
t_check "--rate holds while 64 sources cycle through 8 slots ($T_OUT of 640 answered)" \
    test "$T_OUT" -le 64
kill -INT "$T_PID"
t_wait_pid "$T_PID" || true

# Source ports that belong to services: every port below 1024 and known
# reflectors above it.  Each is tried from 127.0.0.1 where it is free.
LOOPPORTS="7 19 53 123 1023 1434 1900 3702 5353 5683 11211 32414"
t_server loop "$UDPTOOL" echo-serve 127.0.0.1:0 || true
LP=$T_PORT
LPID=$T_PID
t_server loop2 "$UDPTOOL" echo-serve --allow-loop 127.0.0.1:0 || true
LP2=$T_PORT
T_OUT=$(py '
import socket, sys
port, port2 = int(sys.argv[1]), int(sys.argv[2])
for p in [int(x) for x in sys.argv[3].split()] + [1024, 1901, 32415]:
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        u.bind(("127.0.0.1", p))
    except OSError:
        continue
    u.settimeout(0.3)
    res = []
    for dst in (port, port2):
        u.sendto(b"loop", ("127.0.0.1", dst))
        try:
            res.append("yes" if u.recv(10) == b"loop" else "bad")
        except socket.timeout:
            res.append("no")
    print(p, *res)
    u.close()
' "$LP" "$LP2" "$LOOPPORTS")
echo "# source port, answered by the default server, by --allow-loop:"
printf '%s\n' "$T_OUT" | sed 's/^/#   /'
refused=$(printf '%s\n' "$T_OUT" | awk '$2 == "no" && $3 == "yes" { n++ } END { print n + 0 }')
wrong=$(printf '%s\n' "$T_OUT" | awk -v l=" $LOOPPORTS " '
    index(l, " " $1 " ") && !($2 == "no" && $3 == "yes") { print $1 }
    !index(l, " " $1 " ") && !($2 == "yes" && $3 == "yes") { print $1 }')
if [ "$refused" -gt 0 ]; then
	t_check "service and reflector source ports refused unless --allow-loop, others answered (wrong: ${wrong:-none})" \
	    test -z "$wrong"
	kill -INT "$LPID"
	t_wait_pid "$LPID" || true
	t_check "each counted as loop-port" \
	    grep -q "dropped (loop-port): $refused$" "$T_TMP/loop.err"
else
	t_skip "no reply to loop ports" "cannot bind any of ports $LOOPPORTS (not root, or in use)"
fi
t_stop "$T_PID"
# A bounded source table: more senders than --max-sources still works.
t_server tab "$UDPTOOL" echo-serve --max-sources 4 127.0.0.1:0 || true
T_OUT=$(py '
import socket, sys
ok = 0
for i in range(1, 21):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.%d" % i, 0))
    s.settimeout(1.5)
    s.sendto(b"t", ("127.0.0.1", int(sys.argv[1])))
    try:
        s.recv(10); ok += 1
    except socket.timeout:
        pass
print(ok)
' "$T_PORT")
t_check "20 sources through a 4-entry table all answered" test "$T_OUT" = 20
kill -INT "$T_PID"
t_wait_pid "$T_PID" || true
t_check "summary reports the evictions" grep -q "20 sender addresses (16 evicted" "$T_TMP/tab.err"

# Refused sources never enter the table: a flood from 199 addresses outside
# --allow must not push the allowed one out of 8 slots (which would also
# empty its token bucket) nor show up among the senders.
t_server flood "$UDPTOOL" echo-serve -j --max-sources 8 --allow 127.0.0.1/32 \
    --rate 100 127.0.0.1:0 || true
T_OUT=$(py '
import socket, sys
port = int(sys.argv[1])
bad = []
for i in range(2, 201):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.%d" % i, 0))
    bad.append(s)
good = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
good.bind(("127.0.0.1", 0))
good.settimeout(0.3)
ok = 0
for r in range(20):
    for s in bad:
        s.sendto(b"flood", ("127.0.0.1", port))
    good.sendto(b"good %d" % r, ("127.0.0.1", port))
    try:
        ok += good.recv(100) == b"good %d" % r
    except socket.timeout:
        pass
print(ok)
' "$T_PORT")
t_check "the allowed source is answered through a flood from 199 others ($T_OUT of 20)" \
    test "$T_OUT" = 20
kill -INT "$T_PID"
t_wait_pid "$T_PID" || true
T_OUT=$(grep '"type":"summary"' "$T_TMP/flood.out" || true)
t_check "refused sources are counted by reason, not as senders" py '
import json, sys
d = json.loads(sys.argv[1])
assert d["senders"] == 1 and d["senders_evicted"] == 0, d
assert [t["address"] for t in d["top_senders"]] == ["127.0.0.1"], d
assert d["drops"]["not-allowed"] == 199 * 20 and d["sent"] == 20, d
' "$T_OUT"

# --- threads and periodic statistics ---
t_server thr "$UDPTOOL" echo-serve --threads 3 --stats 0.2 0 || true
T_OUT=$(py '
import socket, sys
port = int(sys.argv[1])
ok = 0
for i in range(30):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(1.5)
    s.sendto(b"thread %d" % i, ("127.0.0.1", port))
    try:
        ok += s.recv(100) == b"thread %d" % i
    except socket.timeout:
        pass
print(ok)
' "$T_PORT")
t_check "--threads 3 answers 30 senders" test "$T_OUT" = 30
t_check "--stats prints rate lines" t_wait_for "$T_TMP/thr.err" "stats: .* in/s"
kill -TERM "$T_PID"
rc=0
t_wait_pid "$T_PID" || rc=$?
t_check "--threads 3 stops on SIGTERM with status 0" test "$rc" -eq 0
t_check "--threads summary adds up all workers" \
    grep -q "summary after .*: 30 datagrams in" "$T_TMP/thr.err"

t_server v4 "$UDPTOOL" echo-serve -4 0 || true
t_check "-4 listens on 0.0.0.0" grep -q "listening on 0\.0\.0\.0:$T_PORT" "$T_TMP/v4.err"
T_OUT=$(py "$PY_EXCHANGE" - 127.0.0.1 "$T_PORT" four)
t_check "-4 answers IPv4" test "$T_OUT" = "127.0.0.1:$T_PORT $(hex four)"
t_stop "$T_PID"
t_server v6 "$UDPTOOL" echo-serve -6 0 || true
T_OUT=$(py "$PY_EXCHANGE" - 127.0.0.1 "$T_PORT" four)
t_check "-6 does not answer IPv4" test "$T_OUT" = none
T_OUT=$(py "$PY_EXCHANGE" - ::1 "$T_PORT" six)
t_check "-6 answers IPv6" test "$T_OUT" = "::1:$T_PORT $(hex six)"
t_stop "$T_PID"

# A port already taken is a local error.
t_server busy "$UDPTOOL" echo-serve 127.0.0.1:0 || true
t_expect_rc "bind failure exits 2" 2 "$UDPTOOL" echo-serve "127.0.0.1:$T_PORT"
t_check "bind failure is one line naming the address" \
    sh -c 'test "$(printf "%s\n" "$1" | wc -l)" -eq 1 && case "$1" in *"127.0.0.1:$2"*) true ;; *) false ;; esac' sh "$T_ERR" "$T_PORT"
t_stop "$T_PID"

# Datagrams the kernel dropped (receive buffer full) are counted, never silent.
t_server kd "$UDPTOOL" echo-serve -j -m discard --rcvbuf 1K 127.0.0.1:0 || true
kill -STOP "$T_PID"
py '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(300):
    s.sendto(b"k%05d" % i, ("127.0.0.1", int(sys.argv[1])))
' "$T_PORT"
kill -CONT "$T_PID"
sleep 0.3
kill -INT "$T_PID"
t_wait_pid "$T_PID" || true
t_check "the summary counts the kernel's drops, and they add up to 300" py '
import json, sys
d = [json.loads(l) for l in open(sys.argv[1])][-1]
assert d["type"] == "summary" and d["kernel_drops"] > 0, d
assert d["received"] + d["kernel_drops"] == 300, d
' "$T_TMP/kd.out"
t_expect_rc "--rcvbuf 12Q is refused" 2 "$UDPTOOL" echo-serve --rcvbuf 12Q 0
t_check "--rcvbuf 12Q is named" t_contains "$T_ERR" "invalid receive buffer size '12Q'"

t_done
