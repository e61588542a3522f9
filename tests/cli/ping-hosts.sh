#!/bin/sh
# SPDX-License-Identifier: ISC
# ping with several hosts (ICMP and -u), an unknown name among them, the
# ping(8) options -p, -O, -a and -b, and the EACCES and EMSGSIZE messages
# shared with send.  Traffic goes to loopback and to namespaces created
# here; names come from a private hosts file with no DNS at all.
# memcheck: skip (hundreds of targets and timing bounds)
set -eu
. "$(dirname "$0")/lib.sh"

# Usage errors need no network.
i=0
set --
while [ "$i" -lt 257 ]; do
	set -- "$@" 127.0.0.1
	i=$((i + 1))
done
t_expect_rc "257 hosts are too many" 2 "$UDPTOOL" ping -c 1 "$@"
t_check "the limit is named" t_contains "$T_ERR" "too many hosts: 257 (at most 256)"
set --
t_expect_rc "-p with a non-hex value exits 2" 2 "$UDPTOOL" ping -c 1 -p zz 127.0.0.1
t_check "-p: the value is named" t_contains "$T_ERR" "invalid -p value 'zz'"
t_expect_rc "-p with 17 bytes exits 2" 2 "$UDPTOOL" ping -c 1 -p 0102030405060708090a0b0c0d0e0f1011 127.0.0.1
t_check "-p: the limit is named" t_contains "$T_ERR" "1 to 16 bytes"
t_expect_rc "HOST PORT with several -u hosts exits 2" 2 "$UDPTOOL" ping -u -c 1 127.0.0.1:9 ::1 9
t_check "and says to write HOST:PORT" t_contains "$T_ERR" "write HOST:PORT for several"
t_expect_rc "a bare number without -u exits 2" 2 "$UDPTOOL" ping -c 1 127.0.0.1 7
t_check "and suggests -u" t_contains "$T_ERR" "add -u"
t_expect_rc "--help" 0 "$UDPTOOL" ping --help
for o in "--pattern HEX" --outstanding --audible --broadcast; do
	t_check "--help lists $o" t_contains "$T_OUT" "$o"
done

[ "$(id -u)" -eq 0 ] || {
	t_skip "hosts on loopback" "needs root (raw sockets, namespaces)"
	t_done
	exit
}
t_need ping python3 unshare ip

# Several hosts in turns: a reply line per probe naming the host, and one
# summary line per host at the end, as fping -c.
t_expect_rc "three hosts answer: exit 0" 0 "$UDPTOOL" ping -c 3 -i 0.2 127.0.0.1 127.0.0.2 ::1
printf '%s\n' "$T_OUT" >"$T_TMP/multi"
for h in 127.0.0.1 127.0.0.2 ::1; do
	t_check "$h: three replies from it, named" test "$(grep -c "^$h *: 64 bytes from $h: icmp_seq=[123] ttl=" "$T_TMP/multi")" -eq 3
	t_check "$h: a summary line" grep -Eq "^$h *: xmt/rcv/%loss = 3/3/0%, min/avg/max = [0-9.]+/[0-9.]+/[0-9.]+$" "$T_TMP/multi"
done
t_check "a PING line per host" test "$(grep -c '^PING ' "$T_TMP/multi")" -eq 3
t_check "in turns: the first three replies are icmp_seq=1" \
    test "$(grep 'bytes from' "$T_TMP/multi" | head -n 3 | grep -c 'icmp_seq=1 ')" -eq 3
t_check "no iputils summary with several hosts" sh -c '! grep -q "packets transmitted" "$1"' sh "$T_TMP/multi"

t_expect_rc "-q with several hosts" 0 "$UDPTOOL" ping -q -c 2 -i 0.2 127.0.0.1 ::1
t_check "-q: only the PING and summary lines" test "$(printf '%s\n' "$T_OUT" | grep -c 'xmt/rcv')" -eq 2
t_check "-q: no reply lines" sh -c '! printf "%s\n" "$1" | grep -q "bytes from"' sh "$T_OUT"

t_expect_rc "-j with several hosts" 0 "$UDPTOOL" ping -j -c 2 -i 0.2 127.0.0.1 ::1
t_check "-j: every line parses, one summary per host" python3 -c '
import json, sys
objs = [json.loads(l) for l in sys.argv[1].splitlines()]
s = [o for o in objs if o["type"] == "summary"]
assert [o["target"] for o in s] == ["127.0.0.1", "::1"], s
assert all(o["received"] == 2 for o in s), s
r = [o for o in objs if o["type"] == "reply"]
assert len(r) == 4 and all(o["target"] == o["from"] for o in r), r
' "$T_OUT"

# The same address twice: each copy gets its own replies.
t_expect_rc "one address twice" 0 "$UDPTOOL" ping -c 2 -i 0.2 127.0.0.1 127.0.0.1
t_check "each copy 2/2" test "$(printf '%s\n' "$T_OUT" | grep -c '^127.0.0.1 : xmt/rcv/%loss = 2/2/0%')" -eq 2
t_check "no DUP!" sh -c '! printf "%s\n" "$1" | grep -q DUP' sh "$T_OUT"

# The limit itself works.
set --
i=0
while [ "$i" -lt 256 ]; do
	set -- "$@" 127.0.0.$((i % 200 + 1))
	i=$((i + 1))
done
t_expect_rc "256 hosts" 0 "$UDPTOOL" ping -q -c 1 "$@"
t_check "256 summary lines" test "$(printf '%s\n' "$T_OUT" | grep -c ' : xmt/rcv/%loss = 1/1/0%')" -eq 256
set --

# -u against echo servers, and a closed port among them.
t_server e4 "$UDPTOOL" echo-serve 127.0.0.1:0 || t_skip_all "echo-serve did not start"
P4=$T_PORT
t_server e6 "$UDPTOOL" echo-serve "[::1]:0" || t_skip_all "echo-serve did not start"
P6=$T_PORT
t_expect_rc "-u: two echo servers answer" 0 "$UDPTOOL" ping -u -c 3 -i 0.2 "127.0.0.1:$P4" "[::1]:$P6"
printf '%s\n' "$T_OUT" >"$T_TMP/udp"
t_check "-u: replies named by host:port" test "$(grep -c "^127.0.0.1:$P4 *: 56 bytes from 127.0.0.1:$P4: udp_seq=" "$T_TMP/udp")" -eq 3
t_check "-u: IPv6 summary" grep -q "^\[::1\]:$P6 *: xmt/rcv/%loss = 3/3/0%, min/avg/max = " "$T_TMP/udp"
t_expect_rc "-u: a closed port among them exits 1" 1 "$UDPTOOL" ping -u -c 2 -i 0.2 "127.0.0.1:$P4" 127.0.0.1:9
t_check "-u: the server still answered" t_contains "$T_OUT" "127.0.0.1:$P4 : xmt/rcv/%loss = 2/2/0%"
t_check "-u: the closed port had no reply" sh -c 'printf "%s\n" "$1" | grep -Eq "^127\.0\.0\.1:9 +: xmt/rcv/%loss = 2/0/100%$"' sh "$T_OUT"
t_expect_rc "-u HOST PORT for one host still works" 0 "$UDPTOOL" ping -u -c 1 127.0.0.1 "$P4"

# -a: a bell per reply, none in JSON.
t_run "$UDPTOOL" ping -a -c 2 -i 0.2 127.0.0.1
t_check "-a: two BEL bytes on stdout" test "$(tr -cd '\007' <"$T_TMP/out" | wc -c)" -eq 2
t_run "$UDPTOOL" ping -j -a -c 2 -i 0.2 127.0.0.1
t_check "-a -j: no BEL" test "$(tr -cd '\007' <"$T_TMP/out" | wc -c)" -eq 0

# Everything below runs without any network but its own: a fresh network
# namespace (lo only) and, for names, a private hosts file, nsswitch.conf
# with files only and a resolv.conf pointing where nothing listens.
printf '127.0.0.2 pinghost\n::1 pinghost6\n' >"$T_TMP/hosts"
printf 'hosts: files\n' >"$T_TMP/nsswitch"
printf 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n' >"$T_TMP/resolv"
cat >"$T_TMP/private.sh" <<'EOF'
ip link set lo up
mount --bind "$T_TMP/hosts" /etc/hosts
mount --bind "$T_TMP/nsswitch" /etc/nsswitch.conf
mount --bind "$T_TMP/resolv" /etc/resolv.conf
exec "$@"
EOF
private() {
	t_run env T_TMP="$T_TMP" unshare -m -n sh "$T_TMP/private.sh" "$@"
}
private "$UDPTOOL" ping -c 1 nonexistent.invalid
t_check "unknown host: exit 1 (a negative answer)" test "$T_RC" -eq 1
t_check "unknown host: one line naming it" test "$T_ERR" = "udptool: ping: unknown host 'nonexistent.invalid' (Name or service not known)"
rc_ref=0
env T_TMP="$T_TMP" unshare -m -n sh "$T_TMP/private.sh" ping -c 1 nonexistent.invalid >/dev/null 2>&1 || rc_ref=$?
t_check "iputils ping exits 2 for it (the page's CAVEATS say so)" test "$rc_ref" -eq 2
private "$UDPTOOL" ping -c 2 -i 0.2 pinghost nonexistent.invalid pinghost6
t_check "unknown among several: exit 1" test "$T_RC" -eq 1
t_check "unknown among several: reported once" test "$(printf '%s\n' "$T_ERR" | grep -c "unknown host 'nonexistent.invalid'")" -eq 1
t_check "unknown among several: the others ran" t_contains "$T_OUT" "pinghost  : xmt/rcv/%loss = 2/2/0%"
t_check "unknown among several: by name, IPv6" t_contains "$T_OUT" "pinghost6 : xmt/rcv/%loss = 2/2/0%"
t_check "unknown among several: reply from the hosts file's address" t_contains "$T_OUT" "pinghost : 64 bytes from 127.0.0.2: icmp_seq=1"
private "$UDPTOOL" ping -u -c 1 "127.0.0.1:$P4" nonexistent.invalid:7
t_check "-u: unknown host exits 1" test "$T_RC" -eq 1
t_check "-u: unknown host named" t_contains "$T_ERR" "unknown host 'nonexistent.invalid'"

# -p: the pattern fills the payload after the send time, as iputils does;
# the capture may take seconds to start on a loaded host (20 s bound);
# a packet socket on the namespace's lo sees the request.
cat >"$T_TMP/cap.py" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0800))
s.bind(("lo", 0))
s.settimeout(8)
print("ready", flush=True)
while True:
    f = s.recv(65535)
    ip = f[14:]
    ihl = (ip[0] & 15) * 4
    if ip[9] == 1 and ip[ihl] == 8:
        print(ip[ihl + 8:].hex(), flush=True)
        break
EOF
cat >"$T_TMP/pattern.sh" <<'EOF'
python3 "$T_TMP/cap.py" >"$T_TMP/cap.out" &
cap=$!
i=0
while ! grep -q ready "$T_TMP/cap.out" 2>/dev/null && [ "$i" -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
"$@" >/dev/null
wait "$cap"
EOF
t_run unshare -n sh -c 'ip link set lo up && T_TMP=$1 && export T_TMP && shift && exec sh "$T_TMP/pattern.sh" "$@"' sh "$T_TMP" "$UDPTOOL" ping -c 1 -s 20 -p abcd 127.0.0.1
ours=$(cat "$T_TMP/cap.out" 2>/dev/null | tail -n 1)
# iputils' request was now and then not seen at all (the capture timed
# out): up to three tries, each bounded by the capture's own timeout.
for try in 1 2 3; do
	t_run unshare -n sh -c 'ip link set lo up && T_TMP=$1 && export T_TMP && shift && exec sh "$T_TMP/pattern.sh" "$@"' sh "$T_TMP" ping -c 1 -s 20 -p abcd 127.0.0.1
	ref=$(cat "$T_TMP/cap.out" 2>/dev/null | tail -n 1)
	[ "$ref" = ready ] || break
done
t_check "-p: the payload after our 8-byte send time is the pattern ($ours)" \
    test "$(printf '%s' "$ours" | cut -c17-)" = "abcdabcdabcdabcdabcdabcd"
t_check "-p: iputils puts the pattern at the same offsets ($ref)" \
    test "$(printf '%s' "$ref" | cut -c33-)" = "$(printf '%s' "$ours" | cut -c33-)"
t_expect_rc "-p: the replies check out" 0 "$UDPTOOL" ping -c 2 -i 0.2 -p 0f1 127.0.0.1
t_check "-p: PATTERN line as iputils" t_contains "$T_OUT" "PATTERN: 0x0f01"

# Namespaces: A and B on a veth, 10.79.0.0/24, MTU 1400 and 1280 for IPv6.
NSA="utp-ha-$$"
NSB="utp-hb-$$"
t_netns_try "$NSA" "$NSB" || { t_skip "namespaces" "ip netns is not available"; t_done; exit; }
t_veth "$NSA" va "$NSB" vb
t_addr "$NSA" va 10.79.0.1/24 fd00:79::1/64
t_addr "$NSB" vb 10.79.0.2/24 fd00:79::2/64
t_up "$NSA" va "$NSB" vb
ip netns exec "$NSB" sysctl -qw net.ipv4.icmp_echo_ignore_broadcasts=0
# 10.79.0.9 answers nothing: its frames reach B, which has no such address.
ip -n "$NSA" neigh add 10.79.0.9 lladdr 02:00:00:00:00:09 dev va nud permanent
ip -n "$NSA" route add prohibit 198.51.100.0/24
ip -n "$NSA" -6 route add prohibit fd00:99::/64
inA() {
	t_run ip netns exec "$NSA" "$@"
}
veth_works() {
	inA "$UDPTOOL" ping -q -c 1 -W 0.5 10.79.0.2 fd00:79::2
	[ "$T_RC" -eq 0 ]
}
t_until 21 0.2 veth_works || true
t_check "the veth works in both families" test "$T_RC" -eq 0

# -O: the next probe goes out before the previous one is answered.
inA "$UDPTOOL" ping -O -c 2 -i 0.3 -W 0.5 10.79.0.9
t_check "-O: exit 1, no reply" test "$T_RC" -eq 1
t_check "-O: no answer yet for icmp_seq=1" t_contains "$T_OUT" "no answer yet for icmp_seq=1"
ip netns exec "$NSA" timeout 20 ping -O -c 2 -i 0.3 -W 0.5 10.79.0.9 >"$T_TMP/ref" 2>&1 || true
t_check "-O: iputils says the same" grep -q "^no answer yet for icmp_seq=1$" "$T_TMP/ref"
inA "$UDPTOOL" ping -O -c 2 -i 0.3 -W 0.5 10.79.0.2 10.79.0.9
t_check "-O with several: only the silent one is named" test "$(printf '%s\n' "$T_OUT" | grep -c 'no answer yet')" -eq 1
t_check "-O with several: its name first" t_contains "$T_OUT" "10.79.0.9 : no answer yet for icmp_seq=1"
t_check "-O with several: exit 1 (one had no reply)" test "$T_RC" -eq 1

# -b: a broadcast is refused unless asked for, as iputils refuses it.
rc_ref=0
ip netns exec "$NSA" timeout 20 ping -c 1 10.79.0.255 >"$T_TMP/ref" 2>&1 || rc_ref=$?
inA "$UDPTOOL" ping -c 1 10.79.0.255
t_check "broadcast without -b: exit 2 as iputils ($rc_ref)" test "$T_RC" -eq 2 -a "$rc_ref" -eq 2
t_check "broadcast without -b: says -b" t_contains "$T_ERR" "10.79.0.255 is a broadcast address: do you want to ping broadcast? Then -b"
t_check "broadcast without -b: no probe sent" test -z "$T_OUT"
inA "$UDPTOOL" ping -c 1 255.255.255.255
t_check "255.255.255.255 without -b: exit 2" test "$T_RC" -eq 2
inA "$UDPTOOL" ping -b -c 2 -i 0.3 -W 1 10.79.0.255
t_check "-b: exit 0" test "$T_RC" -eq 0
t_check "-b: B answers the broadcast" t_contains "$T_OUT" "bytes from 10.79.0.2: icmp_seq=1"
t_check "-b: a warning on stderr" t_contains "$T_ERR" "pinging broadcast address 10.79.0.255"

# EACCES: a prohibit route is named as such, in ping and send alike.
inA "$UDPTOOL" ping -c 1 198.51.100.1
t_check "prohibit route: ping exits 2" test "$T_RC" -eq 2
t_check "prohibit route: ping names it" t_contains "$T_ERR" "sending to 198.51.100.1 is prohibited by a route (ip route: prohibit)"
t_check "prohibit route: not blamed on broadcast" sh -c '! printf "%s" "$1" | grep -q broadcast' sh "$T_ERR"
inA "$UDPTOOL" ping -c 1 fd00:99::1
t_check "prohibit route, IPv6: ping names it" t_contains "$T_ERR" "sending to fd00:99::1 is prohibited by a route (ip route: prohibit)"
inA "$UDPTOOL" send -w 0 198.51.100.1:9 x
t_check "prohibit route: send exits 2" test "$T_RC" -eq 2
t_check "prohibit route: send names it" t_contains "$T_ERR" "sending to 198.51.100.1:9 is prohibited by a route (ip route: prohibit)"
inA "$UDPTOOL" send -w 0 10.79.0.255:9 x
t_check "broadcast: send still says -b" t_contains "$T_ERR" "Permission denied (a broadcast address needs -b)"

# EMSGSIZE with DF: the path MTU and the largest payload that fits.
ip -n "$NSA" link set va mtu 1400
ip -n "$NSB" link set vb mtu 1400
inA "$UDPTOOL" ping -c 1 -W 0.5 -M do -s 1373 10.79.0.2
t_check "-M do over MTU 1400: exit 1" test "$T_RC" -eq 1
t_check "-M do: path MTU and the largest payload" t_contains "$T_ERR" "1373 bytes do not fit the path MTU 1400 with -M do (at most 1372 bytes of payload: 28 of the 1400 are IPv4 headers)"
t_expect_rc "-M do -s 1372 fits" 0 ip netns exec "$NSA" "$UDPTOOL" ping -c 1 -W 1 -M do -s 1372 10.79.0.2
inA "$UDPTOOL" send --df --size 1373 -w 0 10.79.0.2:9
t_check "send --df: the same numbers" t_contains "$T_ERR" "1373 bytes do not fit the path MTU 1400 with --df (at most 1372 bytes of payload: 28 of the 1400 are IPv4 headers)"
ip -n "$NSA" link set va mtu 1280
ip -n "$NSB" link set vb mtu 1280
inA "$UDPTOOL" ping -c 1 -W 0.5 -M do -s 1233 fd00:79::2
t_check "IPv6 -M do over MTU 1280: exit 1" test "$T_RC" -eq 1
t_check "IPv6 -M do: 48 header bytes" t_contains "$T_ERR" "1233 bytes do not fit the path MTU 1280 with -M do (at most 1232 bytes of payload: 48 of the 1280 are IPv6 headers)"
t_expect_rc "IPv6 -M do -s 1232 fits" 0 ip netns exec "$NSA" "$UDPTOOL" ping -c 1 -W 1 -M do -s 1232 fd00:79::2
inA "$UDPTOOL" send --df --size 1233 -w 0 "[fd00:79::2]:9"
t_check "IPv6 send --df: the same numbers" t_contains "$T_ERR" "1233 bytes do not fit the path MTU 1280 with --df (at most 1232 bytes of payload: 48 of the 1280 are IPv6 headers)"

t_done
