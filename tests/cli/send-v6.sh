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
NSA="udptool-send-a-$$"
NSB="udptool-send-b-$$"
t_netns_try "$NSA" "$NSB" || skip_scope "cannot create network namespaces (needs root and ip)"
t_veth "$NSA" va "$NSB" vb || skip_scope "cannot create a veth pair"
# t_addr adds them nodad: usable at once instead of after duplicate detection.
t_addr "$NSA" va fe80::a/64
t_addr "$NSB" vb fe80::b/64
t_up "$NSA" va "$NSB" vb

t_bg scoped ip netns exec "$NSB" python3 "$PEER" --bind 'fe80::b%vb' --mode echo
T_PIDS="$T_PIDS $T_PID"
SPID=$T_PID
if ! t_wait_for "$T_TMP/scoped.err" "listening on"; then
	skip_scope "the peer could not bind fe80::b%vb: $(cat "$T_TMP/scoped.err")"
fi
SP=$(sed -n 's/.*listening on .*:\([0-9][0-9]*\).*/\1/p' "$T_TMP/scoped.err" | head -n 1)
# The link needs a moment to come up (carrier); retry the first send.
scoped_reply() {
	t_run ip netns exec "$NSA" "$UDPTOOL" send -w 0.5 "[fe80::b%va]:$SP" hello-link
	[ "$T_RC" -eq 0 ]
}
t_until 21 0.2 scoped_reply || true
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
