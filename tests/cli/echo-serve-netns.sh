#!/bin/sh
# SPDX-License-Identifier: ISC
# The multi-homed reply test on a real two-interface host: a server
# namespace with two veth links and a client namespace that sends to the
# "other" address, so the reply must leave from the address it was sent to.
set -eu
. "$(dirname "$0")/lib.sh"
t_need ip python3

S=ues-s-$$
C=ues-c-$$
t_netns "$S" "$C"
t_veth "$S" "esa$$" "$C" "eca$$" || t_skip_all "the kernel refused a veth pair"
t_veth "$S" "esb$$" "$C" "ecb$$"
for n in "$S" "$C"; do
	# Replies from the other subnet must not be filtered on the way back.
	ip netns exec "$n" sysctl -qw net.ipv4.conf.all.rp_filter=0
	ip netns exec "$n" sysctl -qw net.ipv4.conf.default.rp_filter=0
done
t_addr "$S" "esa$$" 10.231.1.1/24 fd31:1::1/64
t_addr "$S" "esb$$" 10.231.2.1/24 fd31:2::1/64
t_addr "$C" "eca$$" 10.231.1.2/24 fd31:1::2/64
t_addr "$C" "ecb$$" 10.231.2.2/24 fd31:2::2/64
for i in "esa$$" "esb$$"; do
	ip netns exec "$S" sysctl -qw "net.ipv4.conf.$i.rp_filter=0"
done
for i in "eca$$" "ecb$$"; do
	ip netns exec "$C" sysctl -qw "net.ipv4.conf.$i.rp_filter=0"
done
t_up "$S" "esa$$" "$S" "esb$$" "$C" "eca$$" "$C" "ecb$$"

t_server es ip netns exec "$S" "$UDPTOOL" echo-serve -v 0 || true
P=$T_PORT

# From the first link's address to the second link's address: the reply
# is routed out of the first link, and must still come from 10.231.2.1.
EXCHANGE='
import socket, sys
src, dst, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
fam = socket.AF_INET6 if ":" in dst else socket.AF_INET
s = socket.socket(fam, socket.SOCK_DGRAM)
s.bind((src, 0))
s.settimeout(3)
s.sendto(b"multi-homed", (dst, port))
try:
    d, a = s.recvfrom(100)
    print(a[0], d.decode())
except socket.timeout:
    print("none")
'
T_OUT=$(timeout 10 ip netns exec "$C" python3 -c "$EXCHANGE" 10.231.1.2 10.231.2.1 "$P")
t_check "IPv4: request to the second address answered from it ($T_OUT)" \
    test "$T_OUT" = "10.231.2.1 multi-homed"
T_OUT=$(timeout 10 ip netns exec "$C" python3 -c "$EXCHANGE" 10.231.2.2 10.231.1.1 "$P")
t_check "IPv4: request to the first address answered from it ($T_OUT)" \
    test "$T_OUT" = "10.231.1.1 multi-homed"
T_OUT=$(timeout 10 ip netns exec "$C" python3 -c "$EXCHANGE" fd31:1::2 fd31:2::1 "$P")
t_check "IPv6: request to the second address answered from it ($T_OUT)" \
    test "$T_OUT" = "fd31:2::1 multi-homed"
T_OUT=$(timeout 10 ip netns exec "$C" python3 -c "$EXCHANGE" fd31:2::2 fd31:1::1 "$P")
t_check "IPv6: request to the first address answered from it ($T_OUT)" \
    test "$T_OUT" = "fd31:1::1 multi-homed"
t_check "the log names the local address each request arrived at" \
    grep -q "^received 11 bytes from 10.231.1.2:[0-9]* to 10.231.2.1$" "$T_TMP/es.out"

# A reply the kernel refuses to route is counted and the server goes on.
ip -n "$S" route add unreachable 10.231.1.2/32
T_OUT=$(timeout 10 ip netns exec "$C" python3 -c "$EXCHANGE" 10.231.1.2 10.231.2.1 "$P")
t_check "no reply while the client is unreachable" test "$T_OUT" = none
ip -n "$S" route del unreachable 10.231.1.2/32
T_OUT=$(timeout 10 ip netns exec "$C" python3 -c "$EXCHANGE" 10.231.1.2 10.231.2.1 "$P")
t_check "the server survives the send error" test "$T_OUT" = "10.231.2.1 multi-homed"
t_check "-v logs the reply that could not be sent, with the reason" \
    grep -q "^unsent 11 bytes to 10.231.1.2:[0-9]* from 10.231.2.1 (No route to host)$" "$T_TMP/es.out"
kill -INT "$T_PID"
t_wait_pid "$T_PID" || true
t_check "the summary counts the send error by kind" \
    grep -q "send errors (unreachable): 1$" "$T_TMP/es.err"

t_done
