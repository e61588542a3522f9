#!/bin/sh
# SPDX-License-Identifier: ISC
# ICMP errors from a real router: three network namespaces this test
# creates, A -- R -- B, R forwarding with a 1280-byte MTU towards B.  send
# in A must report fragmentation needed (with the MTU), network and host
# unreachable and TTL exceeded, each with R's address, count them, and go
# on (never fatal).  Addresses are documentation ranges, inside the
# namespaces only.
# memcheck: skip (network namespaces and relays with timing bounds)
set -eu
. "$(dirname "$0")/lib.sh"
t_need python3 ip

A="udptool-icmp-a-$$"
R="udptool-icmp-r-$$"
B="udptool-icmp-b-$$"
t_netns "$A" "$R" "$B"
t_veth "$A" veth-a "$R" veth-ra || t_skip_all "cannot create a veth pair"
t_veth "$R" veth-rb "$B" veth-b
t_addr "$A" veth-a 192.0.2.1/24
t_addr "$R" veth-ra 192.0.2.254/24
t_addr "$R" veth-rb 198.51.100.254/24
t_addr "$B" veth-b 198.51.100.1/24
ip -n "$R" link set veth-rb mtu 1280
ip -n "$B" link set veth-b mtu 1280
t_up "$A" veth-a "$R" veth-ra "$R" veth-rb "$B" veth-b
ip -n "$A" route add default via 192.0.2.254
ip -n "$B" route add default via 198.51.100.254
ip netns exec "$R" sysctl -qw net.ipv4.ip_forward=1
# Give up on a missing neighbour after one quick try, not three seconds.
ip netns exec "$R" sysctl -qw net.ipv4.neigh.veth-rb.mcast_solicit=1 \
    net.ipv4.neigh.veth-rb.retrans_time_ms=200 2>/dev/null || true

t_bg peer ip netns exec "$B" python3 "$TOP_SRCDIR/tests/cli/send-peer.py" \
    --bind 198.51.100.1 --mode echo
t_wait_for "$T_TMP/peer.err" "listening on" || t_skip_all "the peer did not start in B"
P=$(sed -n 's/.*listening on .*:\([0-9][0-9]*\).*/\1/p' "$T_TMP/peer.err" | head -n 1)

inA() {
	t_run ip netns exec "$A" "$UDPTOOL" "$@"
}

# The path works (retried while the veth links come up).
crosses() {
	inA send -q -w 0.5 "198.51.100.1:$P" through
	[ "$T_RC" -eq 0 ]
}
t_until 21 0.2 crosses || true
t_check "a small datagram crosses the router" test "$T_RC" -eq 0

inA send --df --size 1400 -w 1 "198.51.100.1:$P"
t_check "--df over a 1280 link: exit 1 (no reply)" test "$T_RC" -eq 1
t_check "fragmentation needed names the MTU and the router" \
    t_contains "$T_ERR" "fragmentation needed, path MTU 1280 (reported by 192.0.2.254)"
t_check "the summary counts it" t_contains "$T_ERR" "1 unreachable"
inA send --df --size 1400 -w 0 "198.51.100.1:$P"
t_check "once the path MTU is known, --df is a local error (exit 2)" test "$T_RC" -eq 2
t_check "the local error names the MTU" t_contains "$T_ERR" "1400 bytes do not fit the path MTU 1280 with --df"
inA send -q --size 1400 -w 2 "198.51.100.1:$P"
t_check "without --df the datagram is fragmented and answered" test "$T_RC" -eq 0

inA send -w 1 203.0.113.5:9 x
t_check "no route at the router: exit 1" test "$T_RC" -eq 1
t_check "network unreachable names the router" \
    t_contains "$T_ERR" "network unreachable (reported by 192.0.2.254)"

inA send -w 3 198.51.100.77:9 x
t_check "no such host behind the router: exit 1" test "$T_RC" -eq 1
t_check "host unreachable names the router" \
    t_contains "$T_ERR" "host unreachable (reported by 192.0.2.254)"

inA send --ttl 1 -w 1 "198.51.100.1:$P" x
t_check "--ttl 1 dies at the router: exit 1" test "$T_RC" -eq 1
t_check "TTL exceeded names the router" \
    t_contains "$T_ERR" "time to live exceeded in transit (reported by 192.0.2.254)"
t_check "the summary counts it apart" t_contains "$T_ERR" "0 refused, 1 other ICMP error, 0 timed out"

inA send -j --ttl 1 -w 1 "198.51.100.1:$P" x
t_check "-j reports the ICMP error as an object" python3 -c '
import json, sys
objs = [json.loads(l) for l in sys.argv[1].splitlines()]
e = [o for o in objs if o["type"] == "icmp_error"][0]
assert e["reason"] == "ttl-exceeded" and e["from"] == "192.0.2.254"
assert e["icmp_type"] == 11
' "$T_OUT"

# Errors are counted, never fatal: the next datagrams still go out.
inA send -c 3 -i 0.2 -w 2 --ttl 1 "198.51.100.1:$P" x
t_check "-c 3 with errors sends all three" t_contains "$T_ERR" "3 sent (3 bytes)"

t_done
