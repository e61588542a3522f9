#!/bin/sh
# SPDX-License-Identifier: ISC
# echo-serve's segmented replies (UDP_SEGMENT): a burst that queues up
# while the server is stopped is read in one batch and answered in
# segmented sends; every client must still get each of its datagrams
# whole, alone and in order.  Over a veth link with a 1500-byte MTU the
# kernel refuses segments larger than the MTU: those replies must go one
# by one and still arrive whole.
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
    grep -Eq " ([0-9]+) datagrams in .*, \1 out " "$T_TMP/lo.err"

t_server any "$UDPTOOL" echo-serve -j 0 || true
AP=$T_PID
burst "$AP" "dual-stack, IPv4 client" 127.0.0.1 "$T_PORT" 1400 20
burst "$AP" "dual-stack, IPv6 client" ::1 "$T_PORT" 1400 20 200 30
summary any "$AP"
t_check "a wildcard server segments too (with the arrival address)" \
    grep -Eq '"segmented_sends":[1-9]' "$T_TMP/any.err"

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
t_check "--no-gso makes no segmented send" \
    sh -c "! grep -q segmented '$T_TMP/off.err'"

# --- a real link: veth with a 1500-byte MTU ---
if [ "$(id -u)" -ne 0 ] || ! command -v ip >/dev/null 2>&1; then
	t_skip "segmented replies over veth need root and ip"
	t_done
fi
S=ueg-s-$$
C=ueg-c-$$
ns_cleanup() {
	t_cleanup
	ip netns del "$S" 2>/dev/null || true
	ip netns del "$C" 2>/dev/null || true
}
trap ns_cleanup EXIT
if ! ip netns add "$S" 2>/dev/null; then
	t_skip "cannot create a network namespace"
	t_done
fi
ip netns add "$C"
ip link add "ega$$" type veth peer name "eca$$"
ip link set "ega$$" netns "$S"
ip link set "eca$$" netns "$C"
ip -n "$S" addr add 10.232.1.1/24 dev "ega$$"
ip -n "$C" addr add 10.232.1.2/24 dev "eca$$"
ip -n "$S" addr add fd32:1::1/64 dev "ega$$" nodad
ip -n "$C" addr add fd32:1::2/64 dev "eca$$" nodad
for n in "$S" "$C"; do
	ip -n "$n" link set lo up
done
ip -n "$S" link set "ega$$" mtu 1500 up
ip -n "$C" link set "eca$$" mtu 1500 up

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
t_check "segmented sends crossed the link" \
    grep -Eq "^  segmented sends: [1-9][0-9]*, carrying [0-9]+ replies \([1-9][0-9]* refused\)$" "$T_TMP/veth.err"
t_check "no send errors, every datagram answered" \
    grep -Eq " ([0-9]+) datagrams in .*, \1 out .* 0 send errors$" "$T_TMP/veth.err"

t_done
