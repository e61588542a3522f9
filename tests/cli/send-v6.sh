#!/bin/sh
# SPDX-License-Identifier: ISC
# send over IPv6: ::1, and a link-local address with its %scope across a
# veth pair between two network namespaces this test creates (link-local
# addresses need a real link; lo has none).
# memcheck: skip (network namespaces and relays with timing bounds)
set -eu
. "$(dirname "$0")/lib.sh"
t_need python3

PEER="$TOP_SRCDIR/tests/cli/send-peer.py"

if python3 -c 'import socket; s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); s.bind(("::1", 0))' 2>/dev/null; then
	t_server v6 python3 "$PEER" --bind ::1 --mode echo
	P=$T_PORT
	t_expect_rc "[::1]: a reply exits 0" 0 "$UDPTOOL" send "[::1]:$P" hello6
	t_check "[::1]: the reply is from [::1]" t_contains "$T_OUT" "[::1]:$P 6 bytes time="
	t_check "[::1]: the summary names the peer" t_contains "$T_ERR" "--- [::1]:$P: 1 sent"
	t_expect_rc "-6 with [::1] exits 0" 0 "$UDPTOOL" send -q -6 "[::1]:$P" x
	t_expect_rc "-4 with [::1] exits 2" 2 "$UDPTOOL" send -q -4 "[::1]:$P" x
	t_check "-4 with [::1] names the problem" t_contains "$T_ERR" "no IPv4 address"
	t_expect_rc "[::1] --ttl (hop limit) --tos (traffic class) exit 0" 0 \
	    "$UDPTOOL" send -q --ttl 9 --tos 16 "[::1]:$P" x
	t_check "the peer saw hop limit 9 and traffic class 16" \
	    sh -c 'tail -n 1 "$1" | cut -d" " -f3,4 | grep -qx "9 16"' sh "$T_TMP/v6.out"
	t_stop "$T_PID"
	t_expect_rc "[::1] refused exits 1" 1 "$UDPTOOL" send -w 1 "[::1]:$P" x
	t_check "[::1] refused names ::1" t_contains "$T_ERR" "refused by ::1 (port unreachable)"
else
	t_skip "IPv6 on ::1" "::1 is not configured on this host"
fi

# Link-local with scope: needs root and network namespaces.
skip_scope() {
	for d in "scoped reply exits 0" "reply shows the scope" "refused over the link" \
	    "a link-local address without its scope exits 2"; do
		t_skip "$d" "$1"
	done
	t_done
	exit 0
}
[ "$(id -u)" -eq 0 ] || skip_scope "needs root to create network namespaces"
command -v ip >/dev/null 2>&1 || skip_scope "ip (iproute2) is not installed"
NSA="udptool-send-a-$$"
NSB="udptool-send-b-$$"
cleanup_ns() {
	ip netns del "$NSA" 2>/dev/null || true
	ip netns del "$NSB" 2>/dev/null || true
}
trap 'cleanup_ns; t_cleanup' EXIT
ip netns add "$NSA" 2>/dev/null || skip_scope "cannot create a network namespace (ip netns add failed)"
ip netns add "$NSB" || skip_scope "cannot create a second network namespace"
if ! ip link add va netns "$NSA" type veth peer name vb netns "$NSB" 2>/dev/null; then
	skip_scope "cannot create a veth pair"
fi
for ns in "$NSA" "$NSB"; do
	ip netns exec "$ns" ip link set lo up
done
# nodad: the addresses are usable at once instead of after duplicate detection.
ip -n "$NSA" addr add fe80::a/64 dev va nodad
ip -n "$NSB" addr add fe80::b/64 dev vb nodad
ip -n "$NSA" link set va up
ip -n "$NSB" link set vb up

t_bg scoped ip netns exec "$NSB" python3 "$PEER" --bind 'fe80::b%vb' --mode echo
T_PIDS="$T_PIDS $T_PID"
SPID=$T_PID
if ! t_wait_for "$T_TMP/scoped.err" "listening on"; then
	skip_scope "the peer could not bind fe80::b%vb: $(cat "$T_TMP/scoped.err")"
fi
SP=$(sed -n 's/.*listening on .*:\([0-9][0-9]*\).*/\1/p' "$T_TMP/scoped.err" | head -n 1)
# The link needs a moment to come up (carrier); retry the first send.
i=0
while [ "$i" -lt 30 ]; do
	T_RC=0
	timeout 20 ip netns exec "$NSA" "$UDPTOOL" send -w 0.5 "[fe80::b%va]:$SP" hello-link \
	    >"$T_TMP/out" 2>"$T_TMP/err" </dev/null || T_RC=$?
	[ "$T_RC" -eq 0 ] && break
	sleep 0.2
	i=$((i + 1))
done
T_OUT=$(cat "$T_TMP/out")
T_ERR=$(cat "$T_TMP/err")
t_check "scoped reply exits 0" test "$T_RC" -eq 0
t_check "reply shows the scope" t_contains "$T_OUT" "[fe80::b%va]:$SP 10 bytes time="
t_stop "$SPID"
t_expect_rc "refused over the link" 1 ip netns exec "$NSA" "$UDPTOOL" send -w 1 "[fe80::b%va]:$SP" x
t_check "the refusal names fe80::b" t_contains "$T_ERR" "refused by fe80::b"
t_expect_rc "a link-local address without its scope exits 2" 2 \
    ip netns exec "$NSA" "$UDPTOOL" send -w 0 "[fe80::b]:$SP" x
t_check "the error names the address and the fix" \
    t_contains "$T_ERR" "connect [fe80::b]:$SP: Invalid argument (a link-local address needs its interface"

t_done
