#!/bin/sh
# SPDX-License-Identifier: ISC
# --pcap on listen, send and echo-serve read back by tcpdump (and tshark
# when installed) with the right addresses, ports, lengths and payloads,
# over IPv4 and IPv6; send --replay of such a capture to a new listener,
# in order, paced by --speed, filtered by --replay-port; and bad captures.
set -eu
. "$(dirname "$0")/lib.sh"
t_need tcpdump python3

# dump FILE: tcpdump's one line per packet, numeric, in $T_OUT.
dump() {
	t_run tcpdump -r "$1" -nn
}

# line N PATTERN: line N of $T_OUT matches PATTERN (grep -E).
line() {
	printf '%s\n' "$T_OUT" | sed -n "$1p" | grep -Eq -- "$2"
}

# listen: two senders over IPv4 and IPv6, and the line it answers with.
t_bg lsn sh -c 'printf "pong\n" | exec "$1" listen --interactive -q -c 2 --pcap "$2" 0' \
    sh "$UDPTOOL" "$T_TMP/listen.pcapng"
lpid=$T_PID
t_wait_for "$T_TMP/lsn.err" "listening on" || true
lport=$(sed -n 's/.*listening on .*:\([0-9][0-9]*\).*/\1/p' "$T_TMP/lsn.err")
t_run "$UDPTOOL" send -q -w 2 --replies 1 "127.0.0.1:$lport" hello
t_check "listen --pcap: the line went back to the sender" t_contains "$T_OUT" "pong"
t_run "$UDPTOOL" send -q -w 0 "[::1]:$lport" sixsix
t_wait_pid "$lpid" || true
dump "$T_TMP/listen.pcapng"
t_check "listen --pcap: three datagrams" test "$(t_lines "$T_OUT")" -eq 3
t_check "listen --pcap: received over IPv4" line 1 "IP 127\.0\.0\.1\.[0-9]+ > 127\.0\.0\.1\.$lport: UDP, length 5$"
t_check "listen --pcap: sent back from the address written to" line 2 "IP 127\.0\.0\.1\.$lport > 127\.0\.0\.1\.[0-9]+: UDP, length 4$"
t_check "listen --pcap: received over IPv6" line 3 "IP6 ::1\.[0-9]+ > ::1\.$lport: UDP, length 6$"
t_run tcpdump -r "$T_TMP/listen.pcapng" -nn -A
t_check "listen --pcap: the payloads" sh -c 't_p=$1; for w in hello pong sixsix; do case "$t_p" in *"$w"*) ;; *) exit 1 ;; esac; done' sh "$T_OUT"

# echo-serve with two threads, and send, both recording.
t_server es "$UDPTOOL" echo-serve --threads 2 --pcap "$T_TMP/es.pcapng" 0 || true
eport=$T_PORT
epid=$T_PID
t_run "$UDPTOOL" send -q -w 2 -c 2 -i 0.05 --pcap "$T_TMP/send4.pcapng" "127.0.0.1:$eport" abc
t_check "send --pcap: two replies" test "$(t_lines "$T_OUT")" -eq 2
t_run "$UDPTOOL" send -q -w 2 --pcap "$T_TMP/send6.pcapng" "[::1]:$eport" 0123456789
t_stop "$epid"
dump "$T_TMP/send4.pcapng"
t_check "send --pcap: four datagrams" test "$(t_lines "$T_OUT")" -eq 4
t_check "send --pcap: request" line 1 "IP 127\.0\.0\.1\.[0-9]+ > 127\.0\.0\.1\.$eport: UDP, length 3$"
t_check "send --pcap: reply" line 2 "IP 127\.0\.0\.1\.$eport > 127\.0\.0\.1\.[0-9]+: UDP, length 3$"
dump "$T_TMP/send6.pcapng"
t_check "send --pcap over IPv6" line 1 "IP6 ::1\.[0-9]+ > ::1\.$eport: UDP, length 10$"
t_check "send --pcap over IPv6: reply" line 2 "IP6 ::1\.$eport > ::1\.[0-9]+: UDP, length 10$"
dump "$T_TMP/es.pcapng"
t_check "echo-serve --pcap: six datagrams" test "$(t_lines "$T_OUT")" -eq 6
t_check "echo-serve --pcap: IPv4 in and out" test "$(printf '%s\n' "$T_OUT" | grep -Ec "IP 127\.0\.0\.1\.[0-9]+ > 127\.0\.0\.1\.[0-9]+: UDP, length 3$")" -eq 4
t_check "echo-serve --pcap: IPv6 in" test "$(printf '%s\n' "$T_OUT" | grep -Ec "IP6 ::1\.[0-9]+ > ::1\.$eport: UDP, length 10$")" -eq 1
t_check "echo-serve --pcap: IPv6 out" test "$(printf '%s\n' "$T_OUT" | grep -Ec "IP6 ::1\.$eport > ::1\.[0-9]+: UDP, length 10$")" -eq 1
t_run tcpdump -r "$T_TMP/es.pcapng" -nn -vv
t_check "echo-serve --pcap: every UDP checksum verified" test "$(printf '%s\n' "$T_OUT" | grep -c 'udp sum ok')" -eq 6
if command -v tshark >/dev/null 2>&1; then
	t_run tshark -r "$T_TMP/send6.pcapng" -T fields -e ipv6.src -e udp.dstport -e udp.length -e data.data
	t_check "tshark reads send --pcap" line 1 "^::1	$eport	18	30313233343536373839$"
else
	t_skip "tshark reads send --pcap" "tshark is not installed"
fi

# new_listener: forgets the last listener named "new", whose "listening
# on" line t_server could otherwise read before the next one's truncates it.
new_listener() {
	rm -f "$T_TMP/new.out" "$T_TMP/new.err"
}

# Replay a capture of listen: "one" "two" "three" 0.3 s apart.
t_server cap "$UDPTOOL" listen -c 3 --pcap "$T_TMP/three.pcapng" 0 || true
cport=$T_PORT
cpid=$T_PID
for w in one two three; do
	"$UDPTOOL" send -q -w 0 "127.0.0.1:$cport" "$w"
	sleep 0.3
done
t_wait_pid "$cpid" || true
# replay SPEED: replays three.pcapng to a new listener; $T_OUT is what it
# showed, $ms how long send took.
replay() {
	new_listener
	t_server new "$UDPTOOL" listen -r -c 3 -w 5 0 || true
	rs=$(($(date +%s%N) / 1000000))
	"$UDPTOOL" send -q -w 0 --replay "$T_TMP/three.pcapng" --speed "$1" "127.0.0.1:$T_PORT" || true
	ms=$(($(date +%s%N) / 1000000 - rs))
	t_wait_pid "$T_PID" || true
	T_OUT=$(cat "$T_TMP/new.out")
}
replay 1
t_check "--replay: the payloads in order" test "$T_OUT" = "onetwothree"
t_check "--replay: the capture's pace (about 0.6 s, took $ms ms)" test "$ms" -ge 450
ms1=$ms
replay 20
t_check "--replay --speed 20: the payloads in order" test "$T_OUT" = "onetwothree"
# Compared with the run at speed 1, so that a slow start (valgrind) cancels:
# the 0.6 s of the capture shrink to 30 ms.
t_check "--replay --speed 20: faster (took $ms ms, $ms1 at speed 1)" test "$ms" -lt $((ms1 - 300))

# --replay-port: only the datagrams of one sender's port.
t_server two "$UDPTOOL" listen -c 2 --pcap "$T_TMP/two.pcapng" 0 || true
tpid=$T_PID
"$UDPTOOL" send -q -w 0 "127.0.0.1:$T_PORT" first
"$UDPTOOL" send -q -w 0 "127.0.0.1:$T_PORT" second
t_wait_pid "$tpid" || true
sport=$(sed -n 's/.* 127\.0\.0\.1:\([0-9]*\) > .*second$/\1/p' "$T_TMP/two.out")
new_listener
t_server new "$UDPTOOL" listen -r -c 1 -w 5 0 || true
t_expect_rc "--replay-port: exit 0" 0 "$UDPTOOL" send -w 0 --replay "$T_TMP/two.pcapng" --replay-port "$sport" "127.0.0.1:$T_PORT"
t_check "--replay-port: one datagram, one other port skipped" t_contains "$T_ERR" "1 datagram of 2 packets; skipped 0 not UDP, 0 cut short, 1 on other ports"
t_wait_pid "$T_PID" || true
t_check "--replay-port: only that sender's datagram" test "$(cat "$T_TMP/new.out")" = "second"

# A pcap file with an ARP frame and one UDP datagram: the frame is skipped.
python3 - "$T_TMP/arp.pcap" <<'PY'
import struct, sys
udp = bytes.fromhex("45000020000000004011" "0000" "7f000001" "7f000001") \
    + struct.pack(">HHHH", 1234, 5678, 12, 0) + b"ping"
arp = b"\xff" * 6 + b"\0" * 6 + b"\x08\x06" + b"\0" * 28
eth = b"\0" * 12 + b"\x08\x00"
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for i, p in enumerate((arp, eth + udp)):
        f.write(struct.pack("<IIII", 1, i, len(p), len(p)) + p)
PY
new_listener
t_server new "$UDPTOOL" listen -r -c 1 -w 5 0 || true
t_expect_rc "--replay of a pcap file with ARP: exit 0" 0 "$UDPTOOL" send -w 0 --replay "$T_TMP/arp.pcap" "127.0.0.1:$T_PORT"
t_check "--replay: the ARP frame skipped and counted" t_contains "$T_ERR" "1 datagram of 2 packets; skipped 1 not UDP"
t_wait_pid "$T_PID" || true
t_check "--replay: the UDP payload of a pcap file" test "$(cat "$T_TMP/new.out")" = "ping"

# Bad input: one line naming the value, exit 2.
# bad DESC WORD CMD...: exit 2 with one line on stderr containing WORD.
bad() {
	b_desc=$1
	b_word=$2
	shift 2
	t_expect_rc "$b_desc: exit 2" 2 "$@"
	t_check "$b_desc: one line naming '$b_word'" sh -c 'test "$(printf "%s\n" "$1" | wc -l)" -eq 1 && case "$1" in *"$2"*) ;; *) exit 1 ;; esac' sh "$T_ERR" "$b_word"
}
head -c 100 "$T_TMP/three.pcapng" >"$T_TMP/cut.pcapng"
printf 'not a capture at all\n' >"$T_TMP/junk"
bad "--replay of a missing file" "'$T_TMP/none'" "$UDPTOOL" send --replay "$T_TMP/none" 127.0.0.1:9
bad "--replay of a corrupt file" "'$T_TMP/junk': not a pcap" "$UDPTOOL" send --replay "$T_TMP/junk" 127.0.0.1:9
bad "--replay of a truncated file" "'$T_TMP/cut.pcapng'" "$UDPTOOL" send --replay "$T_TMP/cut.pcapng" 127.0.0.1:9
for v in 0 -1 abc; do
	bad "--speed $v" "'$v'" "$UDPTOOL" send --replay "$T_TMP/three.pcapng" --speed "$v" 127.0.0.1:9
done
bad "--replay-port 0" "'0'" "$UDPTOOL" send --replay "$T_TMP/three.pcapng" --replay-port 0 127.0.0.1:9
bad "--speed with --rate" "--speed" "$UDPTOOL" send --replay "$T_TMP/three.pcapng" --speed 2 --rate 10 127.0.0.1:9
bad "--replay with a message" "--replay" "$UDPTOOL" send --replay "$T_TMP/three.pcapng" 127.0.0.1:9 hello
bad "--speed without --replay" "--replay" "$UDPTOOL" send --speed 2 127.0.0.1:9 hello
for cmd in listen echo-serve; do
	bad "$cmd --pcap in a missing directory" "'$T_TMP/no/such'" "$UDPTOOL" "$cmd" --pcap "$T_TMP/no/such" 0
done
# A burst (-c with no interval) goes out in batches: each copy is recorded.
t_server burst "$UDPTOOL" echo-serve 0 || true
bport=$T_PORT
bpid=$T_PID
t_run "$UDPTOOL" send -q -c 5 -i 0 -w 2 --pcap "$T_TMP/burst.pcapng" "127.0.0.1:$bport" abc
t_check "send --pcap, a burst: sent" test "$T_RC" -eq 0
t_stop "$bpid"
dump "$T_TMP/burst.pcapng"
t_check "send --pcap, a burst: five requests" test "$(printf '%s\n' "$T_OUT" | grep -Ec "> 127\.0\.0\.1\.$bport: UDP, length 3$")" -eq 5
bad "send --pcap in a missing directory" "'$T_TMP/no/such'" "$UDPTOOL" send -w 0 --pcap "$T_TMP/no/such" 127.0.0.1:9 x

t_done
