#!/bin/sh
# SPDX-License-Identifier: ISC
# ping -u against real echo peers: a python3 echo, socat, a closed port,
# and a misbehaving peer that drops, duplicates, swaps and holds replies,
# with every count checked exactly.
set -eu
. "$(dirname "$0")/lib.sh"

t_expect_rc "-u needs a port" 2 "$UDPTOOL" ping -u 127.0.0.1
t_check "-u: missing port named" t_contains "$T_ERR" "missing port in '127.0.0.1'"
t_expect_rc "-u: -s below the probe header" 2 "$UDPTOOL" ping -u -s 10 127.0.0.1:7
t_check "-u: -s error names the value" t_contains "$T_ERR" "invalid -s value '10' (24-65507"

t_need python3

# A closed port: bind one, close it, ping it.
port=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
t_expect_rc "closed port: exit 1" 1 "$UDPTOOL" ping -u -c 3 -i 0.1 -W 1 "127.0.0.1:$port"
t_check "closed port: a refused verdict per probe" test "$(printf '%s\n' "$T_OUT" | grep -c "^From 127.0.0.1 udp_seq=[123] refused (Destination Port Unreachable)$")" -eq 3
t_check "closed port: no timeouts" sh -c '! printf "%s\n" "$1" | grep -q timeout' sh "$T_OUT"
t_check "closed port: summary" t_contains "$T_OUT" "3 packets transmitted, 0 received, +3 refused, 100% packet loss"
t_run "$UDPTOOL" ping -u -j -c 1 "127.0.0.1:$port"
t_check "closed port: JSON refused object" t_contains "$T_OUT" '"from":"127.0.0.1","seq":1,"icmp_type":3,"icmp_code":3,"message":"Destination Port Unreachable"}'
# -O: a refusal answers a probe, even one read in the round the next goes out.
t_expect_rc "closed port -O: exit 1" 1 "$UDPTOOL" ping -u -O -c 3 -i 0.1 -W 1 "127.0.0.1:$port"
t_check "closed port -O: three refusals" test "$(printf '%s\n' "$T_OUT" | grep -c "refused (Destination Port Unreachable)$")" -eq 3
t_check "closed port -O: no probe called unanswered" sh -c '! printf "%s\n" "$1" | grep -q "no answer yet"' sh "$T_OUT"
t_expect_rc "closed port -O -i 0.002: exit 1" 1 "$UDPTOOL" ping -u -O -c 50 -i 0.002 -W 1 "127.0.0.1:$port"
t_check "closed port -O -i 0.002: no probe called unanswered" sh -c '! printf "%s\n" "$1" | grep -q "no answer yet"' sh "$T_OUT"
# A peer that never answers: -O names the probe.
if t_server silent "$UDPTOOL" listen -w 10 127.0.0.1:0; then
	t_expect_rc "silent peer -O: exit 1" 1 "$UDPTOOL" ping -u -O -c 2 -i 0.2 -W 0.5 "127.0.0.1:$T_PORT"
	t_check "silent peer -O: no answer yet for udp_seq=1" t_contains "$T_OUT" "no answer yet for udp_seq=1"
	t_stop "$T_PID"
else
	t_skip "silent peer -O" "listen did not start"
fi

# A well-behaved echo peer, in both families.
cat >"$T_TMP/echo.py" <<'EOF'
import socket, sys
fam = socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET
s = socket.socket(fam, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 0))
host = "[%s]" % sys.argv[1] if fam == socket.AF_INET6 else sys.argv[1]
print("listening on %s:%d" % (host, s.getsockname()[1]), file=sys.stderr, flush=True)
while True:
    d, a = s.recvfrom(65535)
    s.sendto(d, a)
EOF
for host in 127.0.0.1 ::1; do
	t_server "echo$host" python3 "$T_TMP/echo.py" "$host" || true
	[ "$host" = ::1 ] && target="[::1]:$T_PORT" || target="$host:$T_PORT"
	t_expect_rc "python3 echo $target: exit 0" 0 "$UDPTOOL" ping -u -c 5 -i 0.05 "$target"
	t_check "python3 echo $target: five replies" test "$(printf '%s\n' "$T_OUT" | grep -c "^56 bytes from .*: udp_seq=[1-5] time=[0-9.]* ms$")" -eq 5
	t_check "python3 echo $target: from the server" t_contains "$T_OUT" "56 bytes from $target: udp_seq=5 time="
	[ "$host" = 127.0.0.1 ] && port4=$T_PORT
	t_check "python3 echo $target: summary" t_contains "$T_OUT" "5 packets transmitted, 5 received, 0% packet loss"
	t_check "python3 echo $target: nothing lost" t_contains "$T_OUT" "lost 0, reordered 0, late 0"
	t_check "python3 echo $target: percentiles" sh -c 'printf "%s\n" "$1" | grep -Eq "^rtt p50/p90/p99 = [0-9.]+/[0-9.]+/[0-9.]+ ms, jitter [0-9.]+ ms$"' sh "$T_OUT"
done

t_expect_rc "-I with a source address" 0 "$UDPTOOL" ping -u -c 1 -I 127.0.0.2 "127.0.0.1:$port4"
t_expect_rc "-I lo" 0 "$UDPTOOL" ping -u -c 1 -I lo "127.0.0.1:$port4"
t_expect_rc "-I with an unknown interface" 2 "$UDPTOOL" ping -u -c 1 -I nosuch0 "127.0.0.1:$port4"
t_check "-I: the bad value is named" t_contains "$T_ERR" "invalid -I value 'nosuch0'"

t_expect_rc "--histogram" 0 "$UDPTOOL" ping -u -c 20 -i 0.01 -s 100 --histogram "127.0.0.1:$port4"
t_check "--histogram: a title and ten bins" test "$(printf '%s\n' "$T_OUT" | sed -n '/^rtt histogram (ms):$/,$p' | grep -c '^ *[0-9.]* - *[0-9.]* |[# ]*| [0-9]*$')" -eq 10
t_check "--histogram: the bins add up to 20" test "$(printf '%s\n' "$T_OUT" | sed -n 's/^ *[0-9.]* - *[0-9.]* |[# ]*| \([0-9]*\)$/\1/p' | awk '{s += $1} END {print s}')" -eq 20
t_expect_rc "-q -j --histogram" 0 "$UDPTOOL" ping -u -q -j -c 3 -i 0.01 --histogram "127.0.0.1:$port4"
t_check "-j: histogram array in the summary" t_contains "$T_OUT" '"histogram":[{"lo_ms":'
t_check "-q -j: only the summary line" test "$(t_lines "$T_OUT")" -eq 1
t_expect_rc "-A: one probe in flight, back to back" 0 "$UDPTOOL" ping -u -A -i 0 -q -c 300 "127.0.0.1:$port4"
t_check "-A: all 300 answered" t_contains "$T_OUT" "300 packets transmitted, 300 received, 0% packet loss"

# A peer that corrupts every fourth reply and sends a stray datagram.
cat >"$T_TMP/corrupt.py" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
print("listening on 127.0.0.1:%d" % s.getsockname()[1], file=sys.stderr, flush=True)
k = 0
while True:
    d, a = s.recvfrom(65535)
    k += 1
    if k % 4 == 0:
        d = d[:-1] + bytes([d[-1] ^ 1])
    s.sendto(d, a)
    if k == 2:
        s.sendto(b"hello", a)
EOF
t_server corrupt python3 "$T_TMP/corrupt.py" || true
t_run "$UDPTOOL" ping -u -c 8 -i 0.05 -W 0.5 -v "127.0.0.1:$T_PORT"
t_check "corrupting peer: corrupted replies do not count" t_contains "$T_OUT" "8 packets transmitted, 6 received, 25% packet loss"
t_check "corrupting peer: three invalid replies" t_contains "$T_OUT" "lost 2, reordered 0, late 0, invalid 3"
t_check "corrupting peer: -v says why" t_contains "$T_ERR" "not a probe of this run, or corrupted"

# socat as the echo server (one peer, datagram boundaries kept).
if command -v socat >/dev/null 2>&1; then
	t_server socat socat -d -d UDP4-LISTEN:0,bind=127.0.0.1 PIPE || true
	t_expect_rc "socat echo: exit 0" 0 "$UDPTOOL" ping -u -c 4 -i 0.05 "127.0.0.1:$T_PORT"
	t_check "socat echo: all answered" t_contains "$T_OUT" "4 packets transmitted, 4 received, 0% packet loss"
	# socat answers only its first peer: a new one for the next run.
	t_server socat2 socat -d -d UDP4-LISTEN:0,bind=127.0.0.1 PIPE || true
	t_expect_rc "socat echo: odd size" 0 "$UDPTOOL" ping -u -c 2 -i 0.05 -s 1001 "127.0.0.1:$T_PORT"
	t_check "socat echo: 1001 bytes back" t_contains "$T_OUT" "1001 bytes from 127.0.0.1:$T_PORT: udp_seq=2"
else
	t_skip "socat echo" "socat is not installed"
fi

# The misbehaving peer, by request number k: k%10 == 5 dropped, k%10 == 3
# answered twice, k%10 == 7 held until k+1 is answered, k == 10 held until
# request 16 is answered (6 probe intervals: always past the 0.5 s timeout).
cat >"$T_TMP/bad.py" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
print("listening on 127.0.0.1:%d" % s.getsockname()[1], file=sys.stderr, flush=True)
k = 0
held = {}
while True:
    d, a = s.recvfrom(65535)
    k += 1
    if k % 10 == 5:
        continue
    if k % 10 == 7 or k == 10:
        held[k] = (d, a)
        continue
    s.sendto(d, a)
    if k % 10 == 3:
        s.sendto(d, a)
    # after answering k, release what waited for it
    release = 10 if k == 16 else k - 1 if k % 10 == 8 else None
    if release in held:
        hd, ha = held.pop(release)
        s.sendto(hd, ha)
EOF
t_server bad python3 "$T_TMP/bad.py" || true
t_run "$UDPTOOL" ping -u -j -c 20 -i 0.1 -W 0.5 "127.0.0.1:$T_PORT"
t_check "misbehaving peer: exit 0 (replies came)" test "$T_RC" -eq 0
summary=$(printf '%s\n' "$T_OUT" | grep '"type":"summary"' || true)
for want in '"sent":20' '"received":18' '"duplicates":2' '"errors":0' \
    '"refused":0' '"loss_pct":10' '"lost":2' '"reordered":3' '"late":1'; do
	t_check "misbehaving peer: $want" t_contains "$summary" "$want"
done
t_check "misbehaving peer: DUP marks on 3 and 13" test "$(printf '%s\n' "$T_OUT" | grep '"duplicate":true' | sed -n 's/.*"seq":\([0-9]*\).*/\1/p' | tr '\n' ' ')" = "3 13 "
t_check "misbehaving peer: reordered 7, 10, 17" test "$(printf '%s\n' "$T_OUT" | grep '"reordered":true' | sed -n 's/.*"seq":\([0-9]*\).*/\1/p' | tr '\n' ' ')" = "7 10 17 "
t_check "misbehaving peer: late 10" test "$(printf '%s\n' "$T_OUT" | grep '"late":true' | sed -n 's/.*"seq":\([0-9]*\).*/\1/p' | tr '\n' ' ')" = "10 "
t_check "misbehaving peer: timeouts for 5, 10, 15" test "$(printf '%s\n' "$T_OUT" | grep '"type":"timeout"' | sed -n 's/.*"seq":\([0-9]*\).*/\1/p' | tr '\n' ' ')" = "5 10 15 "

# Text mode against a fresh misbehaving peer: the same story for people.
t_server bad2 python3 "$T_TMP/bad.py" || true
t_run "$UDPTOOL" ping -u -c 20 -i 0.1 -W 0.5 "127.0.0.1:$T_PORT"
t_check "text: summary line" t_contains "$T_OUT" "20 packets transmitted, 18 received, +2 duplicates, 10% packet loss"
t_check "text: counts line" t_contains "$T_OUT" "lost 2, reordered 3, late 1"
t_check "text: DUP! marked" t_contains "$T_OUT" "udp_seq=13 time="
t_check "text: (DUP!) twice" test "$(printf '%s\n' "$T_OUT" | grep -c '(DUP!)$')" -eq 2
t_check "text: the late one" sh -c 'printf "%s\n" "$1" | grep -Eq "udp_seq=10 time=[0-9.]+ ms \(reordered\) \(late\)$"' sh "$T_OUT"
t_check "text: timeout lines" test "$(printf '%s\n' "$T_OUT" | grep -c '^udp_seq=[0-9]* timeout$')" -eq 3

t_done
