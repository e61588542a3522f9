#!/bin/sh
# SPDX-License-Identifier: ISC
# echo-serve against forged sources and group destinations, between two
# network namespaces: a datagram forged with the server's own address and
# port (IPv4 and IPv6, from raw sockets), two servers on one port aimed
# at each other, broadcasts and multicasts, and --allow-broadcast with
# --threads answering once per host.
# memcheck: skip (timing and rate bounds that valgrind's slowdown breaks)
set -eu
. "$(dirname "$0")/lib.sh"
t_need ip python3

S=uel-s-$$
C=uel-c-$$
t_netns "$S" "$C"
VS=els$$
VC=elc$$
t_veth "$S" "$VS" "$C" "$VC" || t_skip_all "the kernel refused a veth pair"
t_addr "$S" "$VS" 10.241.0.1/24 fd41::1/64
t_addr "$C" "$VC" 10.241.0.2/24 fd41::2/64
t_up "$S" "$VS" "$C" "$VC"
# Linux drops an IPv4 datagram from outside whose source is one of its own
# addresses; let it through so that the server's own rule is what is tested.
ip netns exec "$S" sysctl -qw net.ipv4.conf.all.accept_local=1 \
    "net.ipv4.conf.$VS.accept_local=1" net.ipv4.conf.all.rp_filter=0 \
    "net.ipv4.conf.$VS.rp_filter=0"
# 255.255.255.255 and 224.0.0.1 need a route out of the client.
ip -n "$C" route add default dev "$VC"

# Sends one UDP datagram with any source, from a raw socket:
# raw.py SRC SPORT DST DPORT PAYLOAD
cat >"$T_TMP/raw.py" <<'EOF'
import socket, struct, sys
src, sport, dst, dport, pay = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), sys.argv[5].encode()
def csum(b):
    if len(b) % 2:
        b += b"\0"
    t = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    t = (t >> 16) + (t & 0xffff)
    t += t >> 16
    return ~t & 0xffff
fam = socket.AF_INET6 if ":" in dst else socket.AF_INET
s, d = socket.inet_pton(fam, src), socket.inet_pton(fam, dst)
udp = struct.pack("!HHHH", sport, dport, 8 + len(pay), 0) + pay
if fam == socket.AF_INET:
    ph = s + d + struct.pack("!BBH", 0, 17, len(udp))
else:
    ph = s + d + struct.pack("!I", len(udp)) + b"\0\0\0\x11"
udp = udp[:6] + struct.pack("!H", csum(ph + udp) or 0xffff) + udp[8:]
if fam == socket.AF_INET:
    pkt = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 1, 0, 64, 17, 0, s, d) + udp
else:
    pkt = struct.pack("!IHBB16s16s", 6 << 28, len(udp), 17, 64, s, d) + udp
# IPPROTO_RAW: the header is ours (IPv4: IP_HDRINCL implied; IPv6 too).
r = socket.socket(fam, socket.SOCK_RAW, socket.IPPROTO_RAW)
r.sendto(pkt, (dst, 0))
EOF

# Sends each destination one datagram from one socket and prints every
# reply that comes within a second as "FROM PAYLOAD", sorted:
# group.py PORT IFACE DST...
cat >"$T_TMP/group.py" <<'EOF'
import select, socket, sys, time
port, iface = int(sys.argv[1]), sys.argv[2]
s4 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s4.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
s6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
idx = socket.if_nametoindex(iface)
for d in sys.argv[3:]:
    if ":" in d:
        s6.sendto(d.encode(), (d, port, 0, idx if d.startswith("ff02") else 0))
    else:
        s4.sendto(d.encode(), (d, port))
got = []
end = time.time() + 1
while time.time() < end:
    for s in select.select([s4, s6], [], [], max(0, end - time.time()))[0]:
        data, a = s.recvfrom(100)
        got.append("%s %s" % (a[0], data.decode()))
print("\n".join(sorted(got)))
EOF

inS() {
	t_in "$S" "$@"
}
inC() {
	t_in "$C" "$@"
}

# report NAME PID: asks a -j server for a report (SIGUSR1) and prints it.
report() {
	before=$(grep -c '"final":false' "$T_TMP/$1.out" || true)
	kill -USR1 "$2"
	t_until 5 0.1 sh -c '[ "$(grep -c "\"final\":false" "$1" || true)" -gt "$2" ]' \
	    sh "$T_TMP/$1.out" "$before" || true
	grep '"final":false' "$T_TMP/$1.out" | tail -n 1
}

# received NAME PID N: a report says N datagrams or more came in.
received() {
	[ "$(jget "$(report "$1" "$2")" 'd["received"]')" -ge "$3" ]
}

# settle NAME PID N: reports (at most 5 s) until N datagrams came in, and
# prints the report half a second later.
settle() {
	t_until 5 0.2 received "$1" "$2" "$3" || true
	sleep 0.5
	report "$1" "$2"
}

# jget JSON EXPR: prints a python expression over the object d.
jget() {
	python3 -c 'import json, sys; d = json.loads(sys.argv[1]); print(eval(sys.argv[2]))' "$1" "$2"
}

# --- a datagram forged with the server's own address and port ---
t_server self ip netns exec "$S" "$UDPTOOL" echo-serve -v -j 0 || t_skip_all "echo-serve did not start"
SELF=$T_PID
P=$T_PORT
inC python3 "$T_TMP/raw.py" 10.241.0.1 "$P" 10.241.0.1 "$P" self4
inC python3 "$T_TMP/raw.py" fd41::1 "$P" fd41::1 "$P" self6
r2=$(settle self "$SELF" 2)
t_check "own address and port, IPv4 and IPv6: two datagrams in, none out ($r2)" \
    test "$(jget "$r2" '(d["received"], d["sent"])')" = "(2, 0)"
t_check "both counted as own-address" \
    test "$(jget "$r2" 'd["drops"]["own-address"]')" = 2
t_check "no refused source in the table (senders 0)" \
    test "$(jget "$r2" '(d["senders"], d["top_senders"])')" = "(0, [])"
t_check "-v logs the IPv4 forgery, as the dual-stack socket sees it, with the reason" \
    grep -q '"type":"datagram",.*"from":"10.241.0.1:'"$P"'","to":"10.241.0.1:'"$P"'","length":5,"reason":"own-address"' "$T_TMP/self.out"
t_check "-v logs the IPv6 forgery with the reason" \
    grep -q '"type":"datagram",.*"from":"\[fd41::1\]:'"$P"'","to":"\[fd41::1\]:'"$P"'","length":5,"reason":"own-address"' "$T_TMP/self.out"
t_check "-v logs no reply" sh -c '! grep -q written "$1"' sh "$T_TMP/self.out"

# --allow-loop does not lift the rule for the server's own address.
t_server selfl ip netns exec "$S" "$UDPTOOL" echo-serve -j --allow-loop 0 || true
SELFL=$T_PID
PL=$T_PORT
inC python3 "$T_TMP/raw.py" 10.241.0.1 "$PL" 10.241.0.1 "$PL" self4
r=$(settle selfl "$SELFL" 1)
t_check "--allow-loop: own address and port still refused ($r)" \
    test "$(jget "$r" '(d["received"], d["sent"], d["drops"]["own-address"])')" = "(1, 0, 1)"
t_stop "$SELFL"

# --- two servers on one port on two hosts, aimed at each other ---
t_server b ip netns exec "$C" "$UDPTOOL" echo-serve -j "$P" || true
B=$T_PID
inC python3 "$T_TMP/raw.py" 10.241.0.2 "$P" 10.241.0.1 "$P" pingpong
r1=$(settle self "$SELF" 3)
rb=$(report b "$B")
t_check "a datagram from the other server's port: refused as own-port ($r1)" \
    test "$(jget "$r1" '(d["received"], d["sent"], d["drops"]["own-port"])')" = "(3, 0, 1)"
t_check "so the other server never hears of it ($rb)" \
    test "$(jget "$rb" 'd["received"]')" = 0
t_stop "$B"
t_stop "$SELF"
T_ERR=$(cat "$T_TMP/self.err")
t_check "the -j summary counts each reason" \
    sh -c 'grep -q "\"own-address\":2" "$1" && grep -q "\"own-port\":1" "$1"' sh "$T_TMP/self.out"

# Two servers on unrelated ports are not recognised as a loop, but --rate
# ends one: the first datagram over the limit is the loop's last.
t_server ra ip netns exec "$S" "$UDPTOOL" echo-serve -j --rate 50 0 || true
RA=$T_PID
PA=$T_PORT
t_server rb ip netns exec "$C" "$UDPTOOL" echo-serve -j --rate 50 0 || true
RB=$T_PID
PB=$T_PORT
inC python3 "$T_TMP/raw.py" 10.241.0.2 "$PB" 10.241.0.1 "$PA" loop
r1=$(settle ra "$RA" 1)
sleep 1
r2=$(report ra "$RA")
n1=$(jget "$r1" 'd["received"]')
n2=$(jget "$r2" 'd["received"]')
t_check "--rate 50 ends a loop between two servers ($n1 then $n2 datagrams)" \
    test "$n1" -eq "$n2" -a "$n1" -ge 2 -a "$n1" -le 200
t_stop "$RA"
t_stop "$RB"

# --- broadcast and multicast destinations ---
t_server g ip netns exec "$S" "$UDPTOOL" echo-serve -v 0 || true
G=$T_PID
PG=$T_PORT
t_server g4 ip netns exec "$S" "$UDPTOOL" echo-serve -4 0 || true
G4=$T_PID
PG4=$T_PORT
T_OUT=$(inC timeout 10 python3 "$T_TMP/group.py" "$PG" "$VC" \
    10.241.0.255 255.255.255.255 ff02::1 10.241.0.1 fd41::1)
t_check "no reply to subnet broadcast, 255.255.255.255 or ff02::1; unicast answered" \
    test "$T_OUT" = "10.241.0.1 10.241.0.1
fd41::1 fd41::1"
T_OUT=$(inC timeout 10 python3 "$T_TMP/group.py" "$PG4" "$VC" 224.0.0.1)
t_check "no reply to 224.0.0.1 (-4)" test -z "$T_OUT"
t_stop "$G"
t_stop "$G4"
t_check "broadcasts counted" grep -q "dropped (broadcast): 2$" "$T_TMP/g.err"
t_check "multicast counted" grep -q "dropped (multicast): 1$" "$T_TMP/g.err"
t_check "224.0.0.1 counted as multicast" grep -q "dropped (multicast): 1$" "$T_TMP/g4.err"
t_check "-v logs the broadcast with the reason" \
    grep -Eq "^received 12 bytes from 10\.241\.0\.2:[0-9]+ to 10\.241\.0\.255 \(broadcast\)$" "$T_TMP/g.out"

# --allow-broadcast with two workers: each socket gets a copy, one answers.
t_server gb ip netns exec "$S" "$UDPTOOL" echo-serve --threads 2 --allow-broadcast 0 || true
GB=$T_PID
PGB=$T_PORT
t_server gb4 ip netns exec "$S" "$UDPTOOL" echo-serve -4 --threads 2 --allow-broadcast 0 || true
GB4=$T_PID
PGB4=$T_PORT
T_OUT=$(inC timeout 10 python3 "$T_TMP/group.py" "$PGB" "$VC" \
    10.241.0.255 255.255.255.255 ff02::1)
t_check "--threads 2 --allow-broadcast: one reply to each, from the host's address" \
    sh -c 'printf "%s\n" "$1" | sed -E "s/^(fe80::[^ ]*|fd41::1) ff02/HOST ff02/" | tr "\n" "|" | grep -qx "10.241.0.1 10.241.0.255|10.241.0.1 255.255.255.255|HOST ff02::1|"' sh "$T_OUT"
T_OUT=$(inC timeout 10 python3 "$T_TMP/group.py" "$PGB4" "$VC" 224.0.0.1)
t_check "--threads 2 --allow-broadcast: one reply to 224.0.0.1" \
    test "$T_OUT" = "10.241.0.1 224.0.0.1"
t_stop "$GB"
t_stop "$GB4"
t_check "the summary counts each broadcast once" \
    grep -q "summary after .*: 3 datagrams in ([0-9]* bytes), 3 out" "$T_TMP/gb.err"

t_done
