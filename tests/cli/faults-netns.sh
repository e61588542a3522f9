#!/bin/sh
# SPDX-License-Identifier: ISC
# Two hosts this test creates (network namespaces A and B joined by a veth
# pair, IPv4 and IPv6): send, ping -u, ICMP ping and listen across the
# link to echo-serve on B, then loss, duplication and reordering injected
# on the path (tc netem where the kernel has it, else a misbehaving relay
# on B in front of echo-serve) with ping's counts checked exactly.
# memcheck: skip (timing and rate bounds that valgrind's slowdown breaks)
set -eu
. "$(dirname "$0")/lib.sh"
t_need ip python3

A=ufa-$$
B=ufb-$$
VA=fva$$
VB=fvb$$
t_netns "$A" "$B"
t_veth "$A" "$VA" "$B" "$VB" || t_skip_all "the kernel refused a veth pair"
t_addr "$A" "$VA" 10.234.0.1/24 fd34::1/64
t_addr "$B" "$VB" 10.234.0.2/24 fd34::2/64
t_up "$A" "$VA" "$B" "$VB"

inA() {
	t_run ip netns exec "$A" "$UDPTOOL" "$@"
}

t_server es ip netns exec "$B" "$UDPTOOL" echo-serve 0 ||
    t_skip_all "echo-serve did not start in B"
P=$T_PORT
ES=$T_PID

# The link comes up asynchronously: retry the first exchange briefly.
link_works() {
	inA send -q -w 0.3 "10.234.0.2:$P" up
	[ "$T_RC" -eq 0 ]
}
t_until 12 0.1 link_works || true

for t in "10.234.0.2" "[fd34::2]"; do
	inA send -w 2 "$t:$P" "across the link"
	t_check "send $t: exit 0" test "$T_RC" -eq 0
	t_check "send $t: the reply comes from B" t_contains "$T_OUT" "$t:$P 15 bytes time="
	t_check "send $t: the reply is the request" t_contains "$T_OUT" ": across the link"
	inA ping -u -c 5 -i 0.05 "$t:$P"
	t_check "ping -u $t: exit 0" test "$T_RC" -eq 0
	t_check "ping -u $t: 0% loss" t_contains "$T_OUT" "5 packets transmitted, 5 received, 0% packet loss"
	t_check "ping -u $t: nothing lost, duplicated or reordered" t_contains "$T_OUT" "lost 0, reordered 0, late 0"
done
for h in 10.234.0.2 fd34::2; do
	inA ping -c 3 -i 0.2 -W 2 "$h"
	t_check "ICMP ping $h: exit 0" test "$T_RC" -eq 0
	t_check "ICMP ping $h: 0% loss" t_contains "$T_OUT" "3 packets transmitted, 3 received, 0% packet loss"
	t_check "ICMP ping $h: replies from B" t_contains "$T_OUT" "bytes from $h: icmp_seq=3"
done

# listen on B sees A's datagrams with A's addresses.
t_server ls ip netns exec "$B" "$UDPTOOL" listen -j -c 2 -w 5 0 || true
LS=$T_PID
inA send -q -w 0 -p 40001 "10.234.0.2:$T_PORT" "from A, four"
inA send -q -w 0 -p 40002 "[fd34::2]:$T_PORT" "from A, six"
t_wait_pid "$LS" || true
t_check "listen on B: both datagrams with A's address and port" python3 -c '
import json, sys
d = [json.loads(l) for l in open(sys.argv[1])]
got = sorted((x["from"], x["to"], x["text"]) for x in d if x["type"] == "datagram")
p = sys.argv[2]
want = sorted([("10.234.0.1:40001", "10.234.0.2:" + p, "from A, four"),
               ("[fd34::1]:40002", "[fd34::2]:" + p, "from A, six")])
assert got == want, got
' "$T_TMP/ls.out" "$T_PORT"

# --- loss, duplication and reordering ---
if ip netns exec "$A" tc qdisc add dev "$VA" root netem delay 0ms 2>/dev/null; then
	# Deterministic settings only: every packet or none.
	ip netns exec "$A" tc qdisc change dev "$VA" root netem duplicate 100%
	inA ping -u -j -q -c 5 -i 0.1 -W 1 "10.234.0.2:$P"
	# ping ends with the last reply: its twin may come too late to count.
	t_check "netem duplicate 100%: 5 received, 4 or 5 duplicates" \
	    sh -c 'printf "%s\n" "$1" | grep -Eq "\"transmitted\":5,\"received\":5,\"duplicates\":[45],"' sh "$T_OUT"
	ip netns exec "$A" tc qdisc change dev "$VA" root netem loss 100%
	inA ping -u -j -q -c 3 -i 0.1 -W 0.5 "10.234.0.2:$P"
	t_check "netem loss 100%: exit 1, every probe lost" \
	    sh -c 'test "$2" -eq 1 && printf "%s\n" "$1" | grep -q "\"transmitted\":3,\"received\":0,.*\"lost\":3,"' sh "$T_OUT" "$T_RC"
	ip netns exec "$A" tc qdisc change dev "$VA" root netem delay 100ms
	inA ping -u -j -q -c 3 -i 0.1 -W 2 "10.234.0.2:$P"
	t_check "netem delay 100ms: every rtt at least 100 ms" python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert d["received"] == 3 and d["rtt_min_ms"] >= 100, d
' "$T_OUT"
	ip netns exec "$A" tc qdisc del dev "$VA" root
else
	t_skip "tc netem on the link" "tc qdisc add ... netem failed (no netem in this kernel, or no tc): the relay below injects the faults"
fi

# The relay on B, in front of echo-serve, misbehaves by request number k:
# k%10 == 4 is dropped, k%10 == 6 is answered twice, the answer to
# k%10 == 8 is held back until the answer to k+1 has gone out.
cat >"$T_TMP/relay.py" <<'EOF'
import select, socket, sys
upstream = int(sys.argv[1])
r = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
r.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
r.bind(("::", 0))
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.connect(("127.0.0.1", upstream))
print("listening on [::]:%d" % r.getsockname()[1], file=sys.stderr, flush=True)
k = 0
pending = []
held = None
client = None
while True:
    ready = select.select([r, u], [], [])[0]
    if r in ready:
        d, client = r.recvfrom(65535)
        k += 1
        if k % 10 != 4:
            u.send(d)
            pending.append(k)
    if u in ready:
        d = u.recv(65535)
        j = pending.pop(0)
        if j % 10 == 8:
            held = d
            continue
        r.sendto(d, client)
        if j % 10 == 6:
            r.sendto(d, client)
        if held is not None:
            r.sendto(held, client)
            held = None
EOF
n=0
for t in "10.234.0.2" "[fd34::2]"; do
	n=$((n + 1))
	t_server "relay$n" ip netns exec "$B" python3 "$T_TMP/relay.py" "$P" ||
	    t_skip_all "the relay did not start in B"
	inA ping -u -j -c 20 -i 0.1 -W 1 "$t:$T_PORT"
	t_check "relay $t: exit 0" test "$T_RC" -eq 0
	summary=$(printf '%s\n' "$T_OUT" | grep '"type":"summary"' || true)
	for want in '"sent":20' '"received":18' '"duplicates":2' \
	    '"loss_pct":10' '"lost":2' '"reordered":2' '"late":0' '"invalid":0'; do
		t_check "relay $t: $want" t_contains "$summary" "$want"
	done
	t_check "relay $t: timeouts for probes 4 and 14" \
	    test "$(printf '%s\n' "$T_OUT" | grep '"type":"timeout"' | sed -n 's/.*"seq":\([0-9]*\).*/\1/p' | tr '\n' ' ')" = "4 14 "
	t_check "relay $t: duplicates of 6 and 16" \
	    test "$(printf '%s\n' "$T_OUT" | grep '"duplicate":true' | sed -n 's/.*"seq":\([0-9]*\).*/\1/p' | tr '\n' ' ')" = "6 16 "
	t_check "relay $t: 8 and 18 reordered" \
	    test "$(printf '%s\n' "$T_OUT" | grep '"reordered":true' | sed -n 's/.*"seq":\([0-9]*\).*/\1/p' | tr '\n' ' ')" = "8 18 "
	t_stop "$T_PID"
done

# echo-serve on B ends cleanly, having dropped nothing.
kill -TERM "$ES"
rc=0
t_wait_pid "$ES" || rc=$?
t_check "echo-serve on B: SIGTERM exits 0" test "$rc" -eq 0
t_check "echo-serve on B: nothing dropped, no send errors" \
    grep -q "summary after .* 0 dropped, 0 send errors$" "$T_TMP/es.err"
t_done
