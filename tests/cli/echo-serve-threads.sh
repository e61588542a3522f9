#!/bin/sh
# SPDX-License-Identifier: ISC
# echo-serve -v --threads 2 under load from two senders, with a report
# asked for every 50 ms, keeps answering and stops on SIGTERM within a
# bound (10 s): the workers' logging and the reports take the standard I/O and
# source-table locks in one order, so neither can wait for the other.
set -eu
. "$(dirname "$0")/lib.sh"
t_need python3

# Sends datagrams to 127.0.0.1:$1 for $2 seconds, never reading the replies.
LOAD='
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setblocking(False)
end = time.monotonic() + float(sys.argv[2])
n = 0
while time.monotonic() < end:
    try:
        s.sendto(b"load %d" % n, ("127.0.0.1", int(sys.argv[1])))
        n += 1
    except (BlockingIOError, ConnectionRefusedError):
        time.sleep(0.0005)
print(n)
'

for opts in "-v -j" "-v"; do
	name=$(echo "es$opts" | tr -d ' -')
	# The logs go to /dev/null: as fast as they can be written.
	t_bg "$name" sh -c 'exec "$0" echo-serve "$@" >/dev/null' "$UDPTOOL" \
	    $opts --threads 2 127.0.0.1:0
	ES=$T_PID
	if ! t_wait_for "$T_TMP/$name.err" "listening on" 100; then
		t_fail "echo-serve $opts --threads 2 started" "$(cat "$T_TMP/$name.err")"
		continue
	fi
	PORT=$(sed -n 's/.*listening on .*:\([0-9][0-9]*\).*/\1/p' "$T_TMP/$name.err" | head -n 1)
	t_bg "${name}l1" timeout 10 python3 -c "$LOAD" "$PORT" 2
	L1=$T_PID
	t_bg "${name}l2" timeout 10 python3 -c "$LOAD" "$PORT" 2
	L2=$T_PID
	i=0
	while [ "$i" -lt 40 ] && kill -0 "$L1" 2>/dev/null; do
		kill -USR1 "$ES" 2>/dev/null || true
		sleep 0.05
		i=$((i + 1))
	done
	t_wait_pid "$L1" || true
	t_wait_pid "$L2" || true
	t_check "echo-serve $opts --threads 2 is alive after the load" kill -0 "$ES"
	# An answer proves the workers still get through.
	T_OUT=$(timeout 10 python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(0.5)
for i in range(10):
    s.sendto(b"ping", ("127.0.0.1", int(sys.argv[1])))
    try:
        print(s.recv(100).decode())
        break
    except socket.timeout:
        pass
' "$PORT" || true)
	t_check "echo-serve $opts --threads 2 answers after the load" \
	    test "$T_OUT" = ping
	kill -TERM "$ES" 2>/dev/null || true
	# t_wait_pid kills it after 10 s: a deadlocked server exits 137.
	rc=0
	t_wait_pid "$ES" || rc=$?
	t_check "echo-serve $opts --threads 2 stops within 10 s of SIGTERM (exit $rc)" \
	    [ "$rc" -eq 0 ]
done
t_done
