#!/bin/sh
# SPDX-License-Identifier: ISC
# relay: bad input, refusing to relay to itself, several clients each with
# its own replies, idle expiry, the client table's bound, and each
# impairment as ping -u sees it through the relay, seeded so runs repeat,
# and datagram boundaries kept through segmented sends.
set -eu
. "$(dirname "$0")/lib.sh"

# bad_value DESC NEEDLE ARGS...: exit 2 and one line naming the value.
bad_value() {
	desc=$1
	needle=$2
	shift 2
	t_expect_rc "$desc: exit 2" 2 "$UDPTOOL" relay "$@"
	t_check "$desc: one line naming '$needle'" \
	    sh -c '[ "$(printf "%s\n" "$1" | wc -l)" -eq 1 ] && case "$1" in *"$2"*) ;; *) exit 1 ;; esac' \
	    sh "$T_ERR" "$needle"
}

bad_value "--loss 101%" "invalid percentage '101%'" --loss 101% 0 127.0.0.1:7
bad_value "--up-loss abc" "invalid percentage 'abc'" --up-loss abc 0 127.0.0.1:7
bad_value "--down-dup -1" "invalid percentage '-1'" --down-dup -1 0 127.0.0.1:7
bad_value "--mtu 0" "invalid MTU '0'" --mtu 0 0 127.0.0.1:7
bad_value "--delay 5x" "invalid delay '5x'" --delay 5x 0 127.0.0.1:7
bad_value "--delay 50ms+-" "invalid delay '50ms+-'" --delay 50ms+- 0 127.0.0.1:7
bad_value "--rate 100" "invalid rate '100'" --rate 100 0 127.0.0.1:7
bad_value "--loss-burst 1%" "invalid burst loss '1%'" --loss-burst 1% 0 127.0.0.1:7
bad_value "--reorder 5%:0" "invalid reordering '5%:0'" --reorder 5%:0 0 127.0.0.1:7
bad_value "--delay-dist pareto" "invalid distribution 'pareto'" --delay-dist pareto 0 127.0.0.1:7
bad_value "--max-clients 0" "invalid client table size '0'" --max-clients 0 0 127.0.0.1:7
bad_value "--queue 0" "invalid queue length '0' (1-1000000)" --queue 0 0 127.0.0.1:7
bad_value "--idle 0" "invalid idle timeout '0' (seconds, 0.01-86400)" --idle 0 0 127.0.0.1:7
bad_value "--stats 0" "invalid stats interval '0' (seconds, 0.1-86400)" --stats 0 0 127.0.0.1:7
bad_value "--seed x" "invalid seed 'x'" --seed x 0 127.0.0.1:7
bad_value "bad listen port" "99999" 99999 127.0.0.1:7
bad_value "target without a port" "127.0.0.1" 0 127.0.0.1
bad_value "extra argument" "extra" 0 127.0.0.1:7 extra
t_expect_rc "no target: exit 2" 2 "$UDPTOOL" relay 0
t_check "no target: named, with the usage" t_contains "$T_ERR" "missing HOST:PORT to relay to"
t_check "no target: the usage line" t_contains "$T_ERR" "usage: udptool relay"

t_need python3
free=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
bad_value "target is the listening address" "refusing to relay to '127.0.0.1'" "127.0.0.1:$free" "127.0.0.1:$free"
bad_value "target is a local address of a wildcard listener" "refusing to relay to '127.0.0.2'" "$free" "127.0.0.2:$free"

t_server echo "$UDPTOOL" echo-serve -m upper 127.0.0.1:0 || true
eport=$T_PORT
t_server echo6 "$UDPTOOL" echo-serve '[::1]:0' || true
eport6=$T_PORT

# relay NAME ARGS...: starts a relay to the upper-case echo; sets $rport, $rpid.
relay() {
	name=$1
	shift
	# A name used before: the old "listening on" line must not be read.
	rm -f "$T_TMP/$name.err"
	t_server "$name" "$UDPTOOL" relay "$@" 127.0.0.1:0 "127.0.0.1:$eport" || true
	rport=$T_PORT
	rpid=$T_PID
}

# Clients: N sockets send M messages each; every reply must be the upper
# case of what that socket sent.  Prints "ok R" with R replies in all.
cat >"$T_TMP/clients.py" <<'EOF'
import select, socket, sys, time
port, n, m = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
wait = float(sys.argv[4]) if len(sys.argv) > 4 else 3
socks = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(n)]
for k in range(m):
    for i, s in enumerate(socks):
        s.sendto(b"client %d message %d" % (i, k), ("127.0.0.1", port))
got, bad, deadline = 0, 0, time.time() + wait
while got < n * m and time.time() < deadline:
    r, _, _ = select.select(socks, [], [], 0.5)
    for s in r:
        d, a = s.recvfrom(65535)
        i = socks.index(s)
        if not d.startswith(b"CLIENT %d MESSAGE " % i) or a[1] != port:
            bad += 1
        got += 1
print("ok" if bad == 0 else "bad", got)
EOF

relay plain -v
t_run python3 "$T_TMP/clients.py" "$rport" 5 20
t_check "five clients: each gets its own 20 replies" test "$T_OUT" = "ok 100"
t_stop "$rpid"
t_check "five clients: five mappings" t_contains "$(cat "$T_TMP/plain.err")" "summary after"
t_check "five clients: counted" t_contains "$(cat "$T_TMP/plain.err")" "5 clients (5 active, 0 expired, 0 refused)"
t_check "five clients: -v names each" test "$(grep -c 'relay: new client 127.0.0.1:' "$T_TMP/plain.err")" -eq 5
t_check "five clients: 100 up, 100 down" sh -c 'grep -q "up: *100 datagrams in .*, 100 out" "$1" && grep -q "down: 100 datagrams in .*, 100 out" "$1"' sh "$T_TMP/plain.err"

# The table's bound: the third client is refused and never answered.
relay bound --max-clients 2
t_run python3 "$T_TMP/clients.py" "$rport" 3 1 1
t_check "--max-clients 2: two of three answered" test "$T_OUT" = "ok 2"
t_stop "$rpid"
t_check "--max-clients 2: one refused" t_contains "$(cat "$T_TMP/bound.err")" "2 clients (2 active, 0 expired, 1 refused)"
t_check "--max-clients 2: said once" test "$(grep -c 'client table full (--max-clients 2)' "$T_TMP/bound.err")" -eq 1

# A wildcard relay answers each client from the address it sent to.
cat >"$T_TMP/from.py" <<'EOF'
import socket, sys
fam = socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET
s = socket.socket(fam, socket.SOCK_DGRAM)
s.settimeout(2)
s.sendto(b"x", (sys.argv[1], int(sys.argv[2])))
print("%s:%d" % s.recvfrom(100)[1][:2])
EOF
t_server wild "$UDPTOOL" relay 0 "127.0.0.1:$eport" || true
wport=$T_PORT
wpid=$T_PID
t_run python3 "$T_TMP/from.py" 127.0.0.2 "$wport"
t_check "wildcard: the reply comes from 127.0.0.2, where it was sent" test "$T_OUT" = "127.0.0.2:$wport"
t_run python3 "$T_TMP/from.py" ::1 "$wport"
t_check "wildcard: and from ::1 over IPv6" test "$T_OUT" = "::1:$wport"
t_stop "$wpid"

# --pcap: every datagram on both sides, read back by tcpdump with its
# addresses, ports and length.
if command -v tcpdump >/dev/null 2>&1; then
	t_server cap "$UDPTOOL" relay --pcap "$T_TMP/cap.pcapng" 0 "127.0.0.1:$eport" || true
	cport=$T_PORT
	t_run python3 "$T_TMP/from.py" 127.0.0.2 "$cport"
	t_stop "$T_PID"
	t_run tcpdump -r "$T_TMP/cap.pcapng" -nn
	t_check "--pcap: tcpdump reads four datagrams" test "$(t_lines "$T_OUT")" -eq 4
	# line N PATTERN: line N of $T_OUT matches PATTERN (grep -E).
	line() {
		printf '%s\n' "$T_OUT" | sed -n "$1p" | grep -Eq "$2"
	}
	p=": UDP, length 1$"
	t_check "--pcap: client to relay" line 1 "IP 127\.0\.0\.1\.[0-9]+ > 127\.0\.0\.2\.$cport$p"
	t_check "--pcap: relay to target" line 2 "IP 127\.0\.0\.1\.[0-9]+ > 127\.0\.0\.1\.$eport$p"
	t_check "--pcap: target to relay" line 3 "IP 127\.0\.0\.1\.$eport > 127\.0\.0\.1\.[0-9]+$p"
	t_check "--pcap: relay to client, from 127.0.0.2" line 4 "IP 127\.0\.0\.2\.$cport > 127\.0\.0\.1\.[0-9]+$p"
	t_run tcpdump -r "$T_TMP/cap.pcapng" -nn -vv
	t_check "--pcap: every UDP checksum verified" test "$(printf '%s\n' "$T_OUT" | grep -c 'udp sum ok')" -eq 4
	t_expect_rc "--pcap in a missing directory: exit 2" 2 "$UDPTOOL" relay --pcap "$T_TMP/no/such" 0 "127.0.0.1:$eport"
	t_check "--pcap in a missing directory: named" t_contains "$T_ERR" "cannot open '$T_TMP/no/such'"
else
	t_skip "--pcap read back by tcpdump" "tcpdump is not installed"
fi

# --pcap with an impairment: a dropped datagram is recorded as it arrived,
# with a comment saying why it went no further.
t_server capdrop "$UDPTOOL" relay --pcap "$T_TMP/drop.pcapng" --up-loss 100% 0 "127.0.0.1:$eport" || true
t_run python3 -c 'import socket, sys; socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"x", ("127.0.0.1", int(sys.argv[1])))' "$T_PORT"
t_until 5 0.1 sh -c 'kill -USR1 "$1" && grep -q "up: *1 datagram in.* 1 dropped" "$2"' sh "$T_PID" "$T_TMP/capdrop.err" || true
t_stop "$T_PID"
t_check "--pcap --up-loss 100%: one datagram, commented 'dropped: loss'" test "$(grep -ac 'dropped: loss' "$T_TMP/drop.pcapng")" -eq 1

# Idle expiry: a client silent for longer than --idle is forgotten, and
# the same client later gets a new mapping that works.
cat >"$T_TMP/twice.py" <<'EOF'
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(2)
for k in range(2):
    s.sendto(b"x", ("127.0.0.1", int(sys.argv[1])))
    print(s.recvfrom(100)[0].decode())
    time.sleep(float(sys.argv[2]))
EOF
relay idle -v --idle 0.2
t_run python3 "$T_TMP/twice.py" "$rport" 0.8
t_check "--idle: answered before and after expiry" test "$(printf '%s\n' "$T_OUT" | tr '\n' ' ')" = "X X "
t_check "--idle: the expiry is logged" t_wait_for "$T_TMP/idle.err" "relay: client 127.0.0.1:[0-9]+ expired"
t_stop "$rpid"
t_check "--idle: two mappings, both expired" t_contains "$(cat "$T_TMP/idle.err")" "2 clients (0 active, 2 expired, 0 refused)"
relay noidle -v --idle 5
t_run python3 "$T_TMP/twice.py" "$rport" 0.5
t_stop "$rpid"
t_check "--idle 5: one mapping kept" t_contains "$(cat "$T_TMP/noidle.err")" "1 client (1 active, 0 expired, 0 refused)"

# ping_through ARGS -- PING_ARGS: ping -u through a relay with ARGS; $T_OUT
# holds ping's output, $RELAY_ERR the relay's.
ping_through() {
	args=""
	while [ "$1" != -- ]; do
		args="$args $1"
		shift
	done
	shift
	# shellcheck disable=SC2086
	relay ping $args
	t_run "$UDPTOOL" ping -u "$@" "127.0.0.1:$rport"
	t_stop "$rpid"
	RELAY_ERR=$(cat "$T_TMP/ping.err")
}

# number PATTERN: the number sed finds in $T_OUT with PATTERN (\1).
number() {
	printf '%s\n' "$T_OUT" | sed -n "s/$1/\\1/p" | head -n 1
}

t_server echolc "$UDPTOOL" echo-serve 127.0.0.1:0 || true
eport=$T_PORT

ping_through --up-loss 20% --seed 7 -- -q -c 500 -i 0.001 -W 0.3
recv=$(number '.* transmitted, \([0-9]*\) received.*')
t_check "--up-loss 20%: 350-450 of 500 answered ($recv)" test "${recv:-0}" -ge 350 -a "${recv:-0}" -le 450
t_check "--up-loss 20%: the relay counts the rest as lost" t_contains "$RELAY_ERR" "dropped (loss): $((500 - ${recv:-0}))"
t_check "--up-loss 20%: the seed in the summary" t_contains "$RELAY_ERR" "(seed 7)"

ping_through --loss 20% --seed 8 -- -q -c 500 -i 0.001 -W 0.3
recv=$(number '.* transmitted, \([0-9]*\) received.*')
t_check "--loss 20% both ways: 270-370 of 500 answered ($recv)" test "${recv:-0}" -ge 270 -a "${recv:-0}" -le 370

ping_through --loss-burst 2%:25% --seed 9 -- -q -c 500 -i 0.001 -W 0.3
t_check "--loss-burst: drops counted as bursts" sh -c 'printf "%s\n" "$1" | grep -Eq "dropped \(burst\): [1-9]"' sh "$RELAY_ERR"

ping_through --down-dup 20% --seed 10 -- -q -c 300 -i 0.001 -W 0.3
dups=$(number '.* received, +\([0-9]*\) duplicates.*')
t_check "--down-dup 20%: 30-90 duplicates seen by ping (${dups:-none})" test "${dups:-0}" -ge 30 -a "${dups:-0}" -le 90
t_check "--down-dup 20%: as many as the relay made" t_contains "$RELAY_ERR" "$dups duplicated"

ping_through --up-reorder 20%:20ms --seed 11 -- -q -c 300 -i 0.002 -W 0.5
reord=$(number '.*reordered \([0-9]*\), .*')
t_check "--up-reorder 20%: ping sees reordering (${reord:-none})" test "${reord:-0}" -ge 20
t_check "--up-reorder 20%: nothing lost" t_contains "$T_OUT" "300 received, 0% packet loss"

ping_through --up-delay 40ms --down-delay 10ms+-2ms --delay-dist normal -- -q -c 20 -i 0.005
min=$(number '^rtt min\/avg\/max\/mdev = \([0-9]*\)\..*')
t_check "--delay 40ms up, 10ms+-2ms down: rtt at least 44 ms ($min)" test "${min:-0}" -ge 44
t_check "--delay: every datagram delayed, both ways" sh -c 'printf "%s\n" "$1" | grep -Eq "up: +20 datagrams in .* 20 delayed" && printf "%s\n" "$1" | grep -Eq "down: 20 datagrams in .* 20 delayed"' sh "$RELAY_ERR"
t_check "--delay: delayed, not lost" t_contains "$T_OUT" "20 received, 0% packet loss"

ping_through --mtu 100 -- -q -c 3 -i 0.01 -s 200 -W 0.3
t_check "--mtu 100: 200 bytes never pass" t_contains "$T_OUT" "3 packets transmitted, 0 received"
t_check "--mtu 100: counted" t_contains "$RELAY_ERR" "dropped (mtu): 3"

ping_through --up-corrupt 100% -- -q -c 5 -i 0.01 -W 0.3
t_check "--up-corrupt 100%: every one corrupted" t_contains "$RELAY_ERR" "5 corrupted"
t_check "--up-corrupt 100%: ping finds no valid reply" t_contains "$T_OUT" "5 packets transmitted, 0 received"

ping_through --rate 100pps -- -q -c 50 -i 0 -A -W 1
t_check "--rate 100pps: 50 round trips take at least 0.45 s" sh -c 'printf "%s\n" "$1" | grep -Eq "time ([4-9][0-9]{2}|[0-9]{4,})ms"' sh "$T_OUT"

ping_through --queue 5 --up-delay 100ms -- -q -c 20 -i 0.001 -W 0.5
t_check "--queue 5: the rest dropped, counted" t_contains "$RELAY_ERR" "dropped (queue): 15"

# The same seed gives the same losses; another seed others.
pattern() {
	ping_through --up-loss 30% --seed "$1" -- -c 100 -i 0.002 -W 0.3
	printf '%s\n' "$T_OUT" | sed -n 's/.*udp_seq=\([0-9]*\) time=.*/\1/p' | tr '\n' ' '
}
p1=$(pattern 42)
p2=$(pattern 42)
p3=$(pattern 43)
t_check "--seed 42 twice: the same probes answered" test -n "$p1" -a "$p1" = "$p2"
t_check "--seed 43: other probes answered" test "$p1" != "$p3"

# IPv6 on both sides.
t_server relay6 "$UDPTOOL" relay '[::1]:0' "[::1]:$eport6" || true
t_run "$UDPTOOL" ping -u -q -c 3 -i 0.01 "[::1]:$T_PORT"
t_check "IPv6: three replies" t_contains "$T_OUT" "3 packets transmitted, 3 received"
t_stop "$T_PID"

# SIGUSR1 reports and goes on; --stats prints rate lines.
relay report --stats 0.2
t_run "$UDPTOOL" ping -u -q -c 3 -i 0.01 "127.0.0.1:$rport"
kill -USR1 "$rpid"
t_check "SIGUSR1: a report" t_wait_for "$T_TMP/report.err" "relay: report after"
t_check "--stats: a rate line" t_wait_for "$T_TMP/report.err" "relay: stats: up [0-9]+ in/s"
t_check "SIGUSR1: still running" kill -0 "$rpid"
t_stop "$rpid"

# JSON: client events, stats and the summary in the shared dialect.
relay json -j -v --idle 0.2 --stats 0.2 --up-loss 10%
t_run "$UDPTOOL" ping -u -q -c 20 -i 0.01 "127.0.0.1:$rport"
t_wait_for "$T_TMP/json.out" '"type":"client_expired"' || true
t_stop "$rpid"
t_check "-j: a client event" t_contains "$(cat "$T_TMP/json.out")" '"type":"client","time":'
t_check "-j: an expiry" t_contains "$(cat "$T_TMP/json.out")" '"type":"client_expired"'
t_check "-j: a stats line" t_contains "$(cat "$T_TMP/json.out")" '"type":"stats"'
t_check "-j: the summary with both directions" t_contains "$(cat "$T_TMP/json.out")" '"up":{"received":20,'
t_run python3 "$TOP_SRCDIR/tests/cli/json-check.py" "$T_TMP/json.out"
t_check "-j: the output keeps udptool-json(7)" test "$T_RC" -eq 0

# One segmented send of 250 bytes (UDP_SEGMENT 100) is three datagrams:
# the relay, which may receive it in one buffer (UDP_GRO), passes three on
# and counts three each way; the echo sends them back as three.
cat >"$T_TMP/gso.py" <<'EOF'
import select, socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_UDP, 103, 100)  # UDP_SEGMENT
s.sendto(b"a" * 100 + b"b" * 100 + b"c" * 50, ("127.0.0.1", int(sys.argv[1])))
got = []
while select.select([s], [], [], 1)[0]:
    got.append(s.recv(65535))
print(" ".join("%d%s" % (len(d), chr(d[0])) for d in got))
EOF
for g in "" --no-gso; do
	relay "gso$g" $g
	t_run python3 "$T_TMP/gso.py" "$rport"
	t_check "segmented send ${g:-with GRO}: three datagrams back" test "$T_OUT" = "100a 100b 50c"
	t_stop "$rpid"
	t_check "segmented send ${g:-with GRO}: three each way" sh -c 'grep -q "up: *3 datagrams in (250 bytes), 3 out" "$1" && grep -q "down: 3 datagrams in (250 bytes), 3 out" "$1"' sh "$T_TMP/gso$g.err"
done

# Runs of datagrams leave the relay as segmented sends: a receiver without
# UDP_GRO must still get every datagram, in order, with its own size.
# "run": 240 numbered datagrams of 1000 bytes in segmented sends of 40.
# "burst SIZES": one datagram of each size while the relay is stopped, so
# that one receive takes them all; an empty datagram after a run of equal
# ones must not vanish into the run's segmented send.
cat >"$T_TMP/runs.py" <<'EOF'
import os, select, signal, socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.connect(("127.0.0.1", int(sys.argv[1])))
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
got = []
if sys.argv[3] == "run":
    # One send of 40 at a time, its replies read before the next: 40 kB
    # fit any receive buffer on the way, so none is lost to a full one.
    want = [b"%06d" % i + b"." * 994 for i in range(240)]
    s.setsockopt(socket.SOL_UDP, 103, 1000)  # UDP_SEGMENT
    for i in range(0, len(want), 40):
        s.send(b"".join(want[i:i + 40]))
        while len(got) < i + 40 and select.select([s], [], [], 2)[0]:
            got.append(s.recv(65535))
else:
    s.send(b"w")  # the client's upstream socket is open before the stop
    select.select([s], [], [], 2)
    s.recv(65535)
    os.kill(int(sys.argv[2]), signal.SIGSTOP)
    want = [bytes([65 + i]) * int(n) for i, n in enumerate(sys.argv[4].split(","))]
    for d in want:
        s.send(d)
    time.sleep(0.2)
    os.kill(int(sys.argv[2]), signal.SIGCONT)
while len(got) < len(want) and select.select([s], [], [], 2)[0]:
    got.append(s.recv(65535))
print("%d of %d in order with their sizes" % (sum(a == b for a, b in zip(got, want)), len(want)))
EOF
for g in "" --no-gso; do
	relay "runs$g" $g
	t_run python3 "$T_TMP/runs.py" "$rport" "$rpid" run
	t_check "runs ${g:-segmented}: 240 datagrams of 1000 bytes back in order" test "$T_OUT" = "240 of 240 in order with their sizes"
	t_run python3 "$T_TMP/runs.py" "$rport" "$rpid" burst 100,100,0,100,50,0,1400,1400,7
	t_check "runs ${g:-segmented}: a mixed burst back in order with its sizes" test "$T_OUT" = "9 of 9 in order with their sizes"
	t_stop "$rpid"
	t_check "runs ${g:-segmented}: each datagram counted once each way" sh -c 'grep -q "up: *250 datagrams in (243158 bytes), 250 out (243158 bytes)" "$1" && grep -q "down: 250 datagrams in (243158 bytes), 250 out" "$1"' sh "$T_TMP/runs$g.err"
done

t_done
