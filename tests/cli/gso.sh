#!/bin/sh
# SPDX-License-Identifier: ISC
# Segmentation offload (UDP_SEGMENT) in echo-serve's replies and in send's
# traffic generator.
#
# echo-serve's segmented replies: a burst that queues up
# while the server is stopped is read in one batch and answered in
# segmented sends; every client must still get each of its datagrams
# whole, alone and in order.  Over a veth link with a 1500-byte MTU the
# kernel refuses segments larger than the MTU: those replies must go one
# by one and still arrive whole.  send -c N --rate 0 must deliver N whole
# datagrams in fewer calls, and fall back in the same way.
set -eu
. "$(dirname "$0")/lib.sh"
t_need python3

# BURST PID HOST PORT SIZE N [SIZE N ...]: stops the server, sends from two
# sockets (a run from the first, a run from the second, a short datagram
# and a second run from the first) so that the batch holds runs of
# several peers, lets the server go on, and checks what comes back.
BURST='
import os, signal, socket, sys, time
pid, host, port = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
plan = [(int(sys.argv[i]), int(sys.argv[i + 1])) for i in range(4, len(sys.argv), 2)]
fam = socket.AF_INET6 if ":" in host else socket.AF_INET
a = socket.socket(fam, socket.SOCK_DGRAM)
b = socket.socket(fam, socket.SOCK_DGRAM)
for s in (a, b):
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 21)
    s.settimeout(3)
    s.connect((host, port))
os.kill(pid, signal.SIGSTOP)
for _ in range(50):
    with open("/proc/%d/stat" % pid) as f:
        if f.read().rsplit(")", 1)[1].split()[0] == "T":
            break
    time.sleep(0.02)
want = {a: [], b: []}
seq = 0
def send(s, size):
    global seq
    d = (b"%08d" % seq + bytes((seq * 7 + i) & 255 for i in range(size)))[:size]
    seq += 1
    s.send(d)
    want[s].append(d)
for size, n in plan:
    for _ in range(n):
        send(a, size)
    for _ in range(max(1, n // 4)):
        send(b, size)
    send(a, max(1, size // 3))
    for _ in range(n // 2):
        send(a, size)
os.kill(pid, signal.SIGCONT)
bad = 0
for s, name in ((a, "first"), (b, "second")):
    got = []
    try:
        while len(got) < len(want[s]):
            got.append(s.recv(70000))
    except socket.timeout:
        pass
    if got != want[s]:
        bad += 1
        sizes = [len(x) for x in got]
        print("%s socket: %d of %d replies, sizes %s" % (name, len(got), len(want[s]), sizes[:40]))
print("ok %d" % seq if bad == 0 else "bad")
'

# burst NAME LABEL HOST PORT SIZE N...: runs BURST against server NAME's pid.
burst() {
	pid=$1
	label=$2
	shift 2
	T_OUT=$(timeout 20 python3 -c "$BURST" "$pid" "$@" 2>&1 || true)
	t_check "$label: every reply whole, alone, in order, to its own socket ($(echo "$T_OUT" | tail -n 1))" \
	    t_contains "$T_OUT" "ok "
	[ "${T_OUT#ok }" = "$T_OUT" ] && echo "# $T_OUT"
	kill -CONT "$pid" 2>/dev/null || true
}

# summary NAME PID: stops the server and leaves its summary in $T_TMP/NAME.err.
summary() {
	kill -INT "$2"
	t_wait_pid "$2" || true
}

t_server lo "$UDPTOOL" echo-serve 127.0.0.1:0 || true
LP=$T_PID
burst "$LP" "IPv4, 1400 bytes" 127.0.0.1 "$T_PORT" 1400 20
burst "$LP" "IPv4, 64 and 9000 bytes" 127.0.0.1 "$T_PORT" 64 24 9000 6
burst "$LP" "IPv4, the largest that fit two to a send" 127.0.0.1 "$T_PORT" 32000 2
burst "$LP" "IPv4, one byte" 127.0.0.1 "$T_PORT" 1 30
summary lo "$LP"
t_check "the summary counts segmented sends" \
    grep -Eq "^  segmented sends: [1-9][0-9]*, carrying [0-9]+ replies \(0 refused\)$" "$T_TMP/lo.err"
t_check "the summary counts every datagram out" \
    grep -Eq " ([0-9]+) datagrams? in .*, \1 out " "$T_TMP/lo.err"

t_server any "$UDPTOOL" echo-serve -j 0 || true
AP=$T_PID
burst "$AP" "dual-stack, IPv4 client" 127.0.0.1 "$T_PORT" 1400 20
burst "$AP" "dual-stack, IPv6 client" ::1 "$T_PORT" 1400 20 200 30
summary any "$AP"
t_check "a wildcard server segments too (with the arrival address)" \
    grep -Eq '"segmented_sends":[1-9]' "$T_TMP/any.out"

t_server upper "$UDPTOOL" echo-serve -m upper '[::1]:0' || true
UP=$T_PID
T_OUT=$(timeout 10 python3 -c '
import socket, sys, os, signal
pid, port = int(sys.argv[1]), int(sys.argv[2])
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.settimeout(3)
os.kill(pid, signal.SIGSTOP)
for i in range(10):
    s.sendto(b"hello %d" % i, ("::1", port))
os.kill(pid, signal.SIGCONT)
print(" ".join(s.recv(100).decode() for i in range(10)))
' "$UP" "$T_PORT" || true)
t_check "upper-case replies in a batch ($T_OUT)" test "$T_OUT" = \
    "HELLO 0 HELLO 1 HELLO 2 HELLO 3 HELLO 4 HELLO 5 HELLO 6 HELLO 7 HELLO 8 HELLO 9"
t_stop "$UP"

t_server off "$UDPTOOL" echo-serve --no-gso 127.0.0.1:0 || true
OP=$T_PID
burst "$OP" "--no-gso" 127.0.0.1 "$T_PORT" 1400 20
summary off "$OP"
# The summary must be there (the burst's datagrams all answered) for its
# silence about segmented sends to mean anything.
t_check "--no-gso makes no segmented send" sh -c \
    'grep -Eq " ([1-9][0-9]*) datagrams? in .*, \1 out " "$1" && ! grep -q segmented "$1"' \
    sh "$T_TMP/off.err"

# --- send's traffic generator ---
# RECV BIND QUIET: counts datagrams until QUIET seconds pass without one
# (the first may take 10 s: a loaded machine starts strace slowly); prints
# its port first, then "COUNT [SIZES] DISTINCT-PAYLOADS".
RECV='
import socket, sys
fam = socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET
s = socket.socket(fam, socket.SOCK_DGRAM)
try:
    s.setsockopt(socket.SOL_SOCKET, 33, 1 << 23)  # SO_RCVBUFFORCE
except OSError:
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 23)
s.bind((sys.argv[1], 0))
print(s.getsockname()[1], flush=True)
n, sizes, payloads = 0, set(), set()
try:
    while n < 100000:
        s.settimeout(10 if n == 0 else float(sys.argv[2]))
        d = s.recv(70000)
        n += 1
        sizes.add(len(d))
        payloads.add(d)
except socket.timeout:
    pass
print(n, sorted(sizes), len(payloads), flush=True)
'
# gen LABEL WANT NS BIND HOST SEND-ARGS...: runs a receiver (in namespace NS,
# or "-"), sends to it, and checks its count line against WANT.
gen() {
	label=$1
	want=$2
	ns=$3
	bind=$4
	host=$5
	shift 5
	if [ "$ns" = - ]; then
		t_bg recv timeout 20 python3 -c "$RECV" "$bind" 1
	else
		t_bg recv timeout 20 ip netns exec "$ns" python3 -c "$RECV" "$bind" 1
	fi
	rp=$T_PID
	t_wait_for "$T_TMP/recv.out" '^[0-9]+$' || true
	port=$(head -n 1 "$T_TMP/recv.out")
	case $host in *:*) host="[$host]" ;; esac
	if [ "$GEN_NS" = - ]; then
		t_run "$@" "$host:$port"
	else
		t_run ip netns exec "$GEN_NS" "$@" "$host:$port"
	fi
	t_wait_pid "$rp" || true
	got=$(sed -n 2p "$T_TMP/recv.out")
	t_check "$label: $want wanted, got $got" test "$got" = "$want"
}
GEN_NS=-
gen "send -c 300 --rate 0 --size 64" "300 [64] 1" - 127.0.0.1 127.0.0.1 \
    "$UDPTOOL" send -q -w 0 -c 300 --rate 0 --size 64
gen "send -c 300 --rate 0 --size 1400 over IPv6" "300 [1400] 1" - ::1 ::1 \
    "$UDPTOOL" send -q -w 0 -c 300 --rate 0 --size 1400
gen "send --no-gso -c 300 --rate 0" "300 [64] 1" - 127.0.0.1 127.0.0.1 \
    "$UDPTOOL" send --no-gso -q -w 0 -c 300 --rate 0 --size 64
if command -v strace >/dev/null 2>&1 &&
    strace -qq -e trace=sendmmsg -o /dev/null true 2>/dev/null; then
	# 300 datagrams: five messages of up to 64 datagrams in one call, or
	# five calls of 64 datagrams each.
	gen "traced send" "300 [64] 1" - 127.0.0.1 127.0.0.1 \
	    strace -qq -e trace=sendmmsg -o "$T_TMP/gso.trace" \
	    "$UDPTOOL" send -q -w 0 -c 300 --rate 0 --size 64
	t_check "300 datagrams leave in one sendmmsg of 5 segmented messages" \
	    sh -c '[ "$(grep -c "^sendmmsg" "$1")" -eq 1 ] && grep -q "= 5$" "$1"' sh "$T_TMP/gso.trace"
	gen "traced send --no-gso" "300 [64] 1" - 127.0.0.1 127.0.0.1 \
	    strace -qq -e trace=sendmmsg -o "$T_TMP/nogso.trace" \
	    "$UDPTOOL" send --no-gso -q -w 0 -c 300 --rate 0 --size 64
	t_check "--no-gso: five sendmmsg calls" \
	    test "$(grep -c "^sendmmsg" "$T_TMP/nogso.trace")" -eq 5
else
	t_skip "the sendmmsg count" "it needs strace"
fi

# --- a real link: veth with a 1500-byte MTU ---
S=ueg-s-$$
C=ueg-c-$$
if ! t_netns_try "$S" "$C"; then
	t_skip "segmented replies over veth" "they need root, ip and network namespaces"
	t_done
	exit
fi
t_veth "$S" "ega$$" "$C" "eca$$"
t_addr "$S" "ega$$" 10.232.1.1/24 fd32:1::1/64
t_addr "$C" "eca$$" 10.232.1.2/24 fd32:1::2/64
ip -n "$S" link set "ega$$" mtu 1500
ip -n "$C" link set "eca$$" mtu 1500
t_up "$S" "ega$$" "$C" "eca$$"

t_server veth ip netns exec "$S" "$UDPTOOL" echo-serve 0 || true
VP=$T_PID
VPORT=$T_PORT
nsburst() {
	label=$1
	shift
	T_OUT=$(timeout 20 ip netns exec "$C" python3 -c "$BURST" "$VP" "$@" 2>&1 || true)
	t_check "veth, $label: every reply whole, alone, in order ($(echo "$T_OUT" | tail -n 1))" \
	    t_contains "$T_OUT" "ok "
	[ "${T_OUT#ok }" = "$T_OUT" ] && echo "# $T_OUT"
	kill -CONT "$VP" 2>/dev/null || true
}
nsburst "IPv4, 1400 bytes" 10.232.1.1 "$VPORT" 1400 16
nsburst "IPv4, 3000 bytes (segments larger than the MTU)" 10.232.1.1 "$VPORT" 3000 8
nsburst "IPv4, 1400 bytes after a refusal" 10.232.1.1 "$VPORT" 1400 16
nsburst "IPv6, 1200 and 5000 bytes" fd32:1::1 "$VPORT" 1200 16 5000 6
summary veth "$VP"
GEN_NS=$C
gen "veth: send -c 200 --rate 0 --size 1400" "200 [1400] 1" "$S" 10.232.1.1 10.232.1.1 \
    "$UDPTOOL" send -q -w 0 -c 200 --rate 0 --size 1400
gen "veth: send -c 50 --rate 0 --size 3000 (over the MTU: one by one)" "50 [3000] 1" "$S" 10.232.1.1 10.232.1.1 \
    "$UDPTOOL" send -q -w 0 -c 50 --rate 0 --size 3000
t_check "segmented sends crossed the link" \
    grep -Eq "^  segmented sends: [1-9][0-9]*, carrying [0-9]+ replies \([1-9][0-9]* refused\)$" "$T_TMP/veth.err"
t_check "no send errors, every datagram answered" \
    grep -Eq " ([0-9]+) datagrams? in .*, \1 out .* 0 send errors$" "$T_TMP/veth.err"

t_done
