#!/bin/sh
# SPDX-License-Identifier: ISC
# ping beside iputils ping: loopback in both families, usage errors, JSON,
# signals, and (in namespaces this test creates) a silent address and ICMP
# errors from a router.
set -eu
. "$(dirname "$0")/lib.sh"

# Usage errors need no network.
t_expect_rc "no host is a usage error" 2 "$UDPTOOL" ping
t_expect_rc "-M takes do or dont" 2 "$UDPTOOL" ping -M maybe 127.0.0.1
t_check "-M error names the value" t_contains "$T_ERR" "invalid -M value 'maybe' (do or dont)"
t_expect_rc "-c 0 is rejected" 2 "$UDPTOOL" ping -c 0 127.0.0.1
t_check "-c error names the value" t_contains "$T_ERR" "invalid -c value '0'"
t_expect_rc "-s beyond 65527 is rejected" 2 "$UDPTOOL" ping -s 70000 127.0.0.1
t_expect_rc "-i must be a number" 2 "$UDPTOOL" ping -i soon 127.0.0.1
t_expect_rc "-t 0 is rejected" 2 "$UDPTOOL" ping -t 0 127.0.0.1
t_expect_rc "a port without -u is rejected" 2 "$UDPTOOL" ping 127.0.0.1:7
t_check "and -u is suggested" t_contains "$T_ERR" "add -u"
t_expect_rc "an unknown interface is an error" 2 "$UDPTOOL" ping -c 1 -I nosuchif0 127.0.0.1
t_check "the error names the interface" t_contains "$T_ERR" "'nosuchif0'"
t_expect_rc "--help exits 0" 0 "$UDPTOOL" ping --help
t_check "--help lists -M" t_contains "$T_OUT" "--pmtudisc do|dont"

if [ "$(id -u)" -ne 0 ]; then
	t_skip "ICMP on loopback" "needs root (raw sockets) on this host"
	t_done
	exit
fi
t_need ping

# stats_line FILE: "N packets transmitted, N received[, +N ...], N% packet loss"
stats_line() {
	sed -n 's/^\([0-9]* packets transmitted, .*packet loss\).*/\1/p' "$1"
}

for host in 127.0.0.1 ::1; do
	rc_ref=0
	timeout 20 ping -c 3 -i 0.2 "$host" >"$T_TMP/ref" 2>&1 || rc_ref=$?
	t_run "$UDPTOOL" ping -c 3 -i 0.2 "$host"
	printf '%s\n' "$T_OUT" >"$T_TMP/ours"
	ref=$(stats_line "$T_TMP/ref")
	ours=$(stats_line "$T_TMP/ours")
	t_check "$host: same counts as iputils ping ($ref)" test "$ours" = "$ref"
	t_check "$host: zero loss" t_contains "$ours" "3 received, 0% packet loss"
	t_check "$host: same exit status as iputils ($rc_ref)" test "$T_RC" -eq "$rc_ref"
	t_check "$host: three reply lines" test "$(grep -c "bytes from $host: icmp_seq=[123] ttl=[0-9]* time=" "$T_TMP/ours")" -eq 3
	t_check "$host: rtt line" grep -Eq '^rtt min/avg/max/mdev = [0-9.]+/[0-9.]+/[0-9.]+/[0-9.]+ ms$' "$T_TMP/ours"
	t_check "$host: percentile line" grep -Eq '^rtt p50/p90/p99 = [0-9.]+/[0-9.]+/[0-9.]+ ms, jitter [0-9.]+ ms$' "$T_TMP/ours"
done

t_expect_rc "-q prints only the summary" 0 "$UDPTOOL" ping -q -c 2 -i 0.2 127.0.0.1
t_check "-q: no reply lines" sh -c '! printf "%s\n" "$1" | grep -q "bytes from"' sh "$T_OUT"
t_check "-q: the summary" t_contains "$T_OUT" "2 packets transmitted, 2 received, 0% packet loss"

t_expect_rc "-D timestamps" 0 "$UDPTOOL" ping -D -c 1 127.0.0.1
t_check "-D: Unix time before the line" sh -c 'printf "%s\n" "$1" | grep -Eq "^\[[0-9]+\.[0-9]{6}\] 64 bytes from"' sh "$T_OUT"

t_expect_rc "-s 7 (odd payload)" 0 "$UDPTOOL" ping -c 1 -s 7 127.0.0.1
t_check "-s 7: 15 bytes back" t_contains "$T_OUT" "15 bytes from 127.0.0.1: icmp_seq=1"
t_expect_rc "-s 0 (the seed program's empty echo)" 0 "$UDPTOOL" ping -c 1 -s 0 127.0.0.1
t_check "-s 0: 8 bytes back" t_contains "$T_OUT" "8 bytes from 127.0.0.1: icmp_seq=1"
t_expect_rc "-t, -Q and -M do are accepted" 0 "$UDPTOOL" ping -c 1 -t 9 -Q 0x10 -M do 127.0.0.1
t_expect_rc "-I lo" 0 "$UDPTOOL" ping -c 1 -I lo 127.0.0.1
t_expect_rc "-I with a source address" 0 "$UDPTOOL" ping -c 1 -I 127.0.0.1 127.0.0.1
t_expect_rc "-i below 2 ms as root" 0 "$UDPTOOL" ping -c 5 -i 0.001 -q 127.0.0.1

t_expect_rc "-j" 0 "$UDPTOOL" ping -j -c 2 -i 0.2 127.0.0.1
t_check "-j: one reply object per probe" test "$(printf '%s\n' "$T_OUT" | grep -c '^{"type":"reply","time":"[^"]*Z","timestamp":[0-9.]*,"length":64,"from":"127.0.0.1","seq":[12],"ttl":[0-9]*,"rtt_ms":[0-9.e-]*,"duplicate":false,"late":false,"reordered":false}$')" -eq 2
t_check "-j: one summary" test "$(printf '%s\n' "$T_OUT" | grep -c '^{"type":"summary","time":"[^"]*Z","timestamp":[0-9.]*,"target":"127.0.0.1","address":"127.0.0.1","socket":"raw","sent":2,"received":2,"duplicates":0,"errors":0,"loss_pct":0,')" -eq 1
t_check "-j: nothing else" test "$(t_lines "$T_OUT")" -eq 3
if command -v python3 >/dev/null 2>&1; then
	t_check "-j: every line parses" sh -c 'printf "%s\n" "$1" | python3 -c "import json,sys; [json.loads(l) for l in sys.stdin]"' sh "$T_OUT"
fi

# Another process pinging the same address at the same time: on raw
# sockets both see every reply, and each counts only its own.
t_bg other ping -c 20 -i 0.02 127.0.0.1
t_run "$UDPTOOL" ping -c 20 -i 0.02 127.0.0.1
t_check "beside another ping: all of ours, no more" t_contains "$T_OUT" "20 packets transmitted, 20 received, 0% packet loss"
t_check "beside another ping: no DUP!" sh -c '! printf "%s\n" "$1" | grep -q DUP' sh "$T_OUT"
t_check "beside another ping: twenty reply lines" test "$(printf '%s\n' "$T_OUT" | grep -c 'bytes from 127.0.0.1')" -eq 20

# Signals: SIGQUIT prints interim figures and goes on; SIGINT ends with the summary.
t_bg sig "$UDPTOOL" ping -i 0.2 127.0.0.1
pid=$T_PID
t_wait_for "$T_TMP/sig.out" "icmp_seq=2" || true
kill -QUIT "$pid"
t_wait_for "$T_TMP/sig.err" "packets, 0% loss" || true
t_check "SIGQUIT: interim statistics on stderr" grep -Eq '^[0-9]+/[0-9]+ packets, 0% loss, min/avg/max/mdev = ' "$T_TMP/sig.err"
t_check "SIGQUIT: still running" kill -0 "$pid"
kill -INT "$pid"
rc=0
t_until 5 0.1 sh -c '! kill -0 "$1" 2>/dev/null' sh "$pid" || true
wait "$pid" || rc=$?
t_check "SIGINT: exit 0 after replies" test "$rc" -eq 0
t_check "SIGINT: summary printed" grep -q "packets transmitted, .* received, 0% packet loss" "$T_TMP/sig.out"

# Namespaces: a silent address, and a router that answers with errors.
NSA="utp-a-$$"
NSB="utp-b-$$"
if ! t_netns_try "$NSA" "$NSB"; then
	t_skip "namespaces" "ip netns is not available"
	t_done
	exit
fi
t_veth "$NSA" va "$NSB" vb
t_addr "$NSA" va 10.78.0.1/24
t_addr "$NSB" vb 10.78.0.2/24
t_up "$NSA" va "$NSB" vb
# 10.78.0.9 answers nothing: its frames reach B, which has no such address.
ip -n "$NSA" neigh add 10.78.0.9 lladdr 02:00:00:00:00:09 dev va nud permanent
# B routes for A: TEST-NET-2 is unreachable, TEST-NET-3 goes back out.
ip -n "$NSA" route add default via 10.78.0.2
ip netns exec "$NSB" sysctl -qw net.ipv4.ip_forward=1
ip netns exec "$NSB" sysctl -qw net.ipv4.icmp_ratelimit=0
ip -n "$NSB" route add unreachable 198.51.100.0/24
ip -n "$NSB" route add 203.0.113.0/24 dev vb
sleep 0.3

# shellcheck disable=SC2086
INNS="ip netns exec $NSA"

rc_ref=0
$INNS timeout 20 ping -c 2 -i 0.2 -W 1 10.78.0.9 >"$T_TMP/ref" 2>&1 || rc_ref=$?
t_run $INNS "$UDPTOOL" ping -c 2 -i 0.2 -W 1 10.78.0.9
printf '%s\n' "$T_OUT" >"$T_TMP/ours"
t_check "silent address: iputils exits 1" test "$rc_ref" -eq 1
t_check "silent address: exit 1 as iputils" test "$T_RC" -eq 1
t_check "silent address: same counts ($(stats_line "$T_TMP/ref"))" test "$(stats_line "$T_TMP/ours")" = "$(stats_line "$T_TMP/ref")"
t_check "silent address: 100% loss" t_contains "$T_OUT" "2 packets transmitted, 0 received, 100% packet loss"
t_run $INNS "$UDPTOOL" ping -j -c 1 -W 0.3 10.78.0.9
t_check "silent address: a timeout object in JSON" sh -c 'printf "%s\n" "$1" | grep -Eq "^\{\"type\":\"timeout\",\"time\":\"[^\"]*Z\",\"timestamp\":[0-9.]+,\"seq\":1\}$"' sh "$T_OUT"
t_run $INNS "$UDPTOOL" ping -c 20 -i 0.05 -w 0.5 10.78.0.9
t_check "-w: the deadline ends the run, exit 1" test "$T_RC" -eq 1
t_check "-w: fewer probes than -c" sh -c 'printf "%s\n" "$1" | grep -Eq "^1?[0-9] packets transmitted"' sh "$T_OUT"

# B has no default route: no route is a local error for both.
rc_ref=0
ip netns exec "$NSB" timeout 20 ping -c 1 -W 1 192.0.2.99 >"$T_TMP/ref" 2>&1 || rc_ref=$?
t_run ip netns exec "$NSB" "$UDPTOOL" ping -c 1 -W 1 192.0.2.99
t_check "no route: exit $rc_ref as iputils" test "$T_RC" -eq "$rc_ref"
t_check "no route: said so" t_contains "$T_ERR" "connect 192.0.2.99: Network is unreachable"

rc_ref=0
$INNS timeout 20 ping -c 1 -W 1 -M do -s 2000 10.78.0.2 >"$T_TMP/ref" 2>&1 || rc_ref=$?
t_run $INNS "$UDPTOOL" ping -c 1 -W 1 -M do -s 2000 10.78.0.2
t_check "-M do over the veth MTU: exit $rc_ref as iputils" test "$T_RC" -eq "$rc_ref"
t_check "-M do: the local error is reported" t_contains "$T_ERR" "Message too long"
t_expect_rc "-M dont: fragmented and answered" 0 $INNS "$UDPTOOL" ping -c 1 -W 1 -M dont -s 2000 10.78.0.2
t_check "-M dont: 2008 bytes back" t_contains "$T_OUT" "2008 bytes from 10.78.0.2"

# B's unreachable route answers through ip_error(), which allows one error
# per second per source (net.ipv4.route.error_cost, a global sysctl): one
# probe per run, and a pause before each run lets the bucket refill.
rc_ref=0
sleep 1.2
$INNS timeout 20 ping -c 1 -W 1 198.51.100.1 >"$T_TMP/ref" 2>&1 || rc_ref=$?
sleep 1.2
t_run $INNS "$UDPTOOL" ping -c 1 -W 1 198.51.100.1
printf '%s\n' "$T_OUT" >"$T_TMP/ours"
t_check "unreachable: same exit status as iputils ($rc_ref)" test "$T_RC" -eq "$rc_ref"
t_check "unreachable: same counts ($(stats_line "$T_TMP/ref"))" test "$(stats_line "$T_TMP/ours")" = "$(stats_line "$T_TMP/ref")"
t_check "unreachable: the error and its sender, as iputils" sh -c 'grep -q "From 10.78.0.2 icmp_seq=1 Destination Host Unreachable" "$1" && grep -q "From 10.78.0.2 icmp_seq=1 Destination Host Unreachable" "$2"' sh "$T_TMP/ref" "$T_TMP/ours"

rc_ref=0
$INNS timeout 20 ping -c 1 -t 1 -W 1 203.0.113.5 >"$T_TMP/ref" 2>&1 || rc_ref=$?
t_run $INNS "$UDPTOOL" ping -j -c 1 -t 1 -W 1 203.0.113.5
t_check "ttl exceeded: exit $rc_ref as iputils" test "$T_RC" -eq "$rc_ref"
t_check "ttl exceeded: iputils says so" grep -q "From 10.78.0.2 icmp_seq=1 Time to live exceeded" "$T_TMP/ref"
t_check "ttl exceeded: JSON error with its sender" t_contains "$T_OUT" '"from":"10.78.0.2","seq":1,"icmp_type":11,"icmp_code":0,"message":"Time to live exceeded"}'

# The same errors through a datagram socket's error queue, as nobody.
if command -v setpriv >/dev/null 2>&1 && id nobody >/dev/null 2>&1 &&
    setpriv --reuid=nobody --regid=nogroup --clear-groups test -x "$UDPTOOL"; then
	gid=$(setpriv --reuid=nobody --regid=nogroup --clear-groups id -g)
	ip netns exec "$NSA" sysctl -qw net.ipv4.ping_group_range="$gid $gid"
	# shellcheck disable=SC2086
	NOBODY="ip netns exec $NSA setpriv --reuid=nobody --regid=nogroup --clear-groups"
	# Let B's error bucket refill first (see above).
	sleep 1.2
	t_run $NOBODY "$UDPTOOL" ping -v -c 1 -W 1 198.51.100.1
	t_check "datagram socket: unreachable, exit 1" test "$T_RC" -eq 1
	t_check "datagram socket: used" t_contains "$T_ERR" "ICMP datagram socket"
	t_check "datagram socket: the error and its sender" t_contains "$T_OUT" "From 10.78.0.2 icmp_seq=1 Destination Host Unreachable"
	t_check "datagram socket: counted as errors" t_contains "$T_OUT" "1 packets transmitted, 0 received, +1 errors, 100% packet loss"
	t_run $NOBODY "$UDPTOOL" ping -j -c 1 -t 1 -W 1 203.0.113.5
	t_check "datagram socket: ttl exceeded with its sender" t_contains "$T_OUT" '"from":"10.78.0.2","seq":1,"icmp_type":11,"icmp_code":0,"message":"Time to live exceeded"}'
	t_check "datagram socket: JSON names it" t_contains "$T_OUT" '"socket":"dgram"'
else
	t_skip "datagram socket errors" "no setpriv or no user nobody"
fi

t_done
