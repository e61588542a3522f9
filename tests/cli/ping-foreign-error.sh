#!/bin/sh
# SPDX-License-Identifier: ISC
# An ICMP error about another process's probe is not ours, even when that
# probe carried our identifier and sequence number: on a raw socket the
# kernel hands every error to every raw socket, so ping compares the
# destination in the quoted header with its target.
#
# Two namespaces joined by a veth pair: "here" pings the router, which
# answers; a forger in "here" copies the identifier and sequence number of
# each reply into a request to 198.51.100.9, for which the router has an
# unreachable route and answers "Destination Host Unreachable".
# memcheck: skip (network namespaces and relays with timing bounds)
set -eu
. "$(dirname "$0")/lib.sh"

t_need ip python3
HERE="utp-fe-h-$$"
ROUTER="utp-fe-r-$$"
t_netns "$HERE" "$ROUTER"
t_veth "$HERE" veth0 "$ROUTER" veth1 || t_skip_all "veth pairs are not available"
t_addr "$HERE" veth0 10.9.0.1/24
t_addr "$ROUTER" veth1 10.9.0.2/24
t_up "$HERE" veth0 "$ROUTER" veth1
ip -n "$HERE" route add 198.51.100.0/24 via 10.9.0.2
ip -n "$ROUTER" route add unreachable 198.51.100.0/24
# The router answers for an unreachable route only when it forwards.
ip netns exec "$ROUTER" sysctl -qw net.ipv4.ip_forward=1
# The raw socket: unprivileged ICMP off where ping runs.
ip netns exec "$HERE" sysctl -qw net.ipv4.ping_group_range="1 0"

cat >"$T_TMP/forge.py" <<'EOF'
import signal, socket, struct, sys, time

signal.signal(signal.SIGINT, signal.SIG_DFL)

def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff

s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
s.settimeout(0.5)
print("ready", file=sys.stderr, flush=True)
forged = errors = 0
seen = set()
end = time.monotonic() + 8
while time.monotonic() < end and (forged < 3 or errors < forged):
    try:
        pkt, addr = s.recvfrom(65535)
    except socket.timeout:
        continue
    ihl = (pkt[0] & 15) * 4
    t, code = pkt[ihl], pkt[ihl + 1]
    if t == 0 and addr[0] == "10.9.0.2" and forged < 3:
        ident, seq = struct.unpack("!HH", pkt[ihl + 4:ihl + 8])
        if (ident, seq) in seen:
            continue
        seen.add((ident, seq))
        data = pkt[ihl + 8:]
        hdr = struct.pack("!BBHHH", 8, 0, 0, ident, seq)
        c = csum(hdr + data)
        s.sendto(struct.pack("!BBHHH", 8, 0, c, ident, seq) + data,
                 ("198.51.100.9", 0))
        forged += 1
        print("forged id=%d seq=%d" % (ident, seq), flush=True)
    elif t == 3:
        q = pkt[ihl + 8:]
        if len(q) >= 20 and socket.inet_ntoa(q[16:20]) == "198.51.100.9":
            errors += 1
            print("error about 198.51.100.9", flush=True)
EOF

t_bg forge ip netns exec "$HERE" python3 "$T_TMP/forge.py"
FORGE=$T_PID
t_wait_for "$T_TMP/forge.err" "ready" || echo "# forger did not start"
t_expect_rc "ping the router while another probe is refused" 0 \
    ip netns exec "$HERE" "$UDPTOOL" ping -v -c 4 -i 0.3 10.9.0.2
t_check "ping used a raw socket" t_contains "$T_ERR" "raw ICMP socket"
t_check "all 4 probes answered" t_contains "$T_OUT" "4 packets transmitted, 4 received, 0% packet loss"
t_wait_pid "$FORGE" >/dev/null 2>&1 || true
FORGED=$(grep -c '^forged' "$T_TMP/forge.out" || true)
ERRS=$(grep -c '^error about' "$T_TMP/forge.out" || true)
t_check "probes with ping's identifier went to another host ($FORGED)" test "$FORGED" -ge 1
t_check "the router answered them with errors ($ERRS)" test "$ERRS" -ge 1
t_check "no error line in ping's output" sh -c '! printf "%s\n" "$1" | grep -q "Unreachable"' sh "$T_OUT"
t_check "no error in ping's summary" sh -c '! printf "%s\n" "$1" | grep -q "errors"' sh "$T_OUT"

t_done
