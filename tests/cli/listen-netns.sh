#!/bin/sh
# SPDX-License-Identifier: ISC
# listen and multicast and broadcast, in namespaces this test creates:
# --join on loopback and on a veth link, IPv4 and IPv6, source-specific
# joins that filter, and broadcast datagrams.
# memcheck: skip (network namespaces and relays with timing bounds)
set -eu
. "$(dirname "$0")/lib.sh"
t_need ip python3

S=uls-s-$$
C=uls-c-$$
t_netns "$S" "$C"
t_veth "$S" "lsa$$" "$C" "lca$$" || t_skip_all "the kernel refused a veth pair"
# Loopback carries multicast only when told to; this is our own namespace.
ip -n "$S" link set lo multicast on
t_addr "$S" "lsa$$" "10.232.1.1/24 broadcast 10.232.1.255" fd32:1::1/64
t_addr "$C" "lca$$" "10.232.1.2/24 broadcast 10.232.1.255" 10.232.1.3/24 fd32:1::2/64
t_up "$S" "lsa$$" "$C" "lca$$"

# Sends "payload" to group:port from source address src out of interface
# ifname (multicast) or as a broadcast (group "bcast:ADDR").
SEND='
import socket, sys
src, dst, port, ifname, payload = sys.argv[1:6]
port = int(port)
if ":" in dst and not dst.startswith("bcast:"):
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.bind((src, 0))
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, socket.if_nametoindex(ifname))
    s.sendto(payload.encode(), (dst, port))
elif dst.startswith("bcast:"):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((src, 0))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    s.sendto(payload.encode(), (dst[6:], port))
else:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((src, 0))
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(src))
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 1)
    s.sendto(payload.encode(), (dst, port))
'
send() {
	ns=$1
	shift
	timeout 10 ip netns exec "$ns" python3 -c "$SEND" "$@"
}

# Loopback, inside the server namespace.
t_server lo ip netns exec "$S" "$UDPTOOL" listen -c 1 -w 5 --join 239.1.2.3%lo 0 || true
send "$S" 127.0.0.1 239.1.2.3 "$T_PORT" lo "on loopback"
rc=0
t_wait_pid "$T_PID" || rc=$?
t_check "IPv4 multicast joined on loopback is received" \
    sh -c 'test "$1" -eq 0 && grep -q "> 239.1.2.3:$2 11 bytes: on loopback$" "$3"' \
    sh "$rc" "$T_PORT" "$T_TMP/lo.out"

# Across a link, IPv4 and IPv6 on one dual-stack socket.
t_server mc ip netns exec "$S" "$UDPTOOL" listen -j -c 2 -w 5 \
    --join "239.1.2.3%lsa$$" --join "ff15::1234%lsa$$" 0 || true
send "$C" 10.232.1.2 239.1.2.3 "$T_PORT" "lca$$" "group four"
send "$C" fd32:1::2 ff15::1234 "$T_PORT" "lca$$" "group six"
rc=0
t_wait_pid "$T_PID" || rc=$?
py_ok=$(timeout 10 python3 -c '
import json, sys
d = [json.loads(l) for l in open(sys.argv[1])]
d = [x for x in d if x["type"] == "datagram"]
got = sorted((x["to"].rsplit(":", 1)[0], x["text"]) for x in d)
print(got == [("239.1.2.3", "group four"), ("[ff15::1234]", "group six")] and sys.argv[2] == "0")
' "$T_TMP/mc.out" "$rc" 2>&1 || true)
t_check "IPv4 and IPv6 groups joined on one socket are both received ($py_ok)" \
    test "$py_ok" = True

# Source-specific: only 10.232.1.2 is wanted, 10.232.1.3 is filtered.
t_server ssm ip netns exec "$S" "$UDPTOOL" listen -w 1.5 \
    --join "232.1.1.1%lsa$$" --join-source 10.232.1.2 0 || true
send "$C" 10.232.1.3 232.1.1.1 "$T_PORT" "lca$$" "unwanted"
send "$C" 10.232.1.2 232.1.1.1 "$T_PORT" "lca$$" "wanted"
t_wait_pid "$T_PID" || true
t_check "--join-source receives the chosen source" grep -q "^.* 10.232.1.2:[0-9]* > 232.1.1.1:.*: wanted$" "$T_TMP/ssm.out"
t_check "--join-source filters other sources" test "$(t_lines "$(cat "$T_TMP/ssm.out")")" -eq 1

# Broadcast to the link's broadcast address reaches a wildcard socket.
t_server bc ip netns exec "$S" "$UDPTOOL" listen -c 1 -w 5 0 || true
send "$C" 10.232.1.2 bcast:10.232.1.255 "$T_PORT" "lca$$" "to everyone"
t_wait_pid "$T_PID" || true
t_check "broadcast datagrams are received" \
    grep -q "10.232.1.2:[0-9]* > 10.232.1.255:$T_PORT 11 bytes: to everyone$" "$T_TMP/bc.out"

t_done
