#!/bin/sh
# SPDX-License-Identifier: ISC
# Duplicate ICMP replies, beside iputils ping: two namespaces on one bridge
# both own the target address, and the pinger's neighbour entry for it is
# the broadcast MAC, so every probe reaches both and is answered twice.
# memcheck: skip (network namespaces and relays with timing bounds)
set -eu
. "$(dirname "$0")/lib.sh"

t_need ip ping
A="utp-da-$$" B="utp-db-$$" C="utp-dc-$$" D="utp-dd-$$"
t_netns "$B"
ip -n "$B" link add br0 type bridge 2>/dev/null || t_skip_all "no bridge support"
t_netns "$A" "$C" "$D"
ip -n "$B" link set br0 up
for pair in "$A:pa" "$C:pc" "$D:pd"; do
	n=${pair%:*}
	port=${pair#*:}
	t_veth "$n" eth0 "$B" "$port"
	ip -n "$B" link set "$port" master br0
done
t_addr "$A" eth0 10.80.0.1/24
t_addr "$C" eth0 10.80.0.2/24
t_addr "$D" eth0 10.80.0.2/24
t_up "$B" pa "$B" pc "$B" pd "$A" eth0 "$C" eth0 "$D" eth0
ip -n "$A" neigh add 10.80.0.2 lladdr ff:ff:ff:ff:ff:ff dev eth0 nud permanent
forwarding() {
	for port in pa pc pd; do
		ip -n "$B" -d link show "$port" | grep -q 'state forwarding' || return 1
	done
}
t_until 5 0.05 forwarding

rc_ref=0
ip netns exec "$A" timeout 20 ping -c 3 -i 0.2 -W 1 10.80.0.2 >"$T_TMP/ref" 2>&1 || rc_ref=$?
t_check "iputils sees the duplicates" grep -q "DUP!" "$T_TMP/ref"
t_run ip netns exec "$A" "$UDPTOOL" ping -c 3 -i 0.2 -W 1 10.80.0.2
printf '%s\n' "$T_OUT" >"$T_TMP/ours"
t_check "raw socket: exit $rc_ref as iputils" test "$T_RC" -eq "$rc_ref"
# Both tools stop once every probe has a reply, so the duplicate of the
# last one may come too late to count: compare what is certain.
t_check "iputils: 3 received, 2 or 3 duplicates" grep -Eq "^3 packets transmitted, 3 received, \+[23] duplicates, 0% packet loss" "$T_TMP/ref"
t_check "raw socket: 3 received, 2 or 3 duplicates, as iputils" grep -Eq "^3 packets transmitted, 3 received, \+[23] duplicates, 0% packet loss" "$T_TMP/ours"
t_check "raw socket: DUP! on probes 1 and 2" test "$(grep -c 'icmp_seq=[12] ttl=[0-9]* time=.* ms (DUP!)$' "$T_TMP/ours")" -eq 2

if command -v setpriv >/dev/null 2>&1 && id nobody >/dev/null 2>&1 &&
    setpriv --reuid=nobody --regid=nogroup --clear-groups test -x "$UDPTOOL"; then
	gid=$(setpriv --reuid=nobody --regid=nogroup --clear-groups id -g)
	ip netns exec "$A" sysctl -qw net.ipv4.ping_group_range="$gid $gid"
	t_run ip netns exec "$A" setpriv --reuid=nobody --regid=nogroup --clear-groups \
	    "$UDPTOOL" ping -j -c 2 -i 0.2 -W 1 10.80.0.2
	t_check "datagram socket: exit 0" test "$T_RC" -eq 0
	t_check "datagram socket: a reply to probe 1" t_contains "$T_OUT" '"seq":1,"ttl":64,'
	t_check "datagram socket: a dup object for probe 1" sh -c 'printf "%s\n" "$1" | grep "\"duplicate\":true" | grep -q "\"seq\":1,"' sh "$T_OUT"
	t_check "datagram socket: summary" sh -c 'printf "%s\n" "$1" | grep -Eq "\"socket\":\"dgram\",\"sent\":2,\"received\":2,\"duplicates\":[12],"' sh "$T_OUT"
else
	t_skip "datagram socket duplicates" "no setpriv or no user nobody"
fi

t_done
