#!/bin/sh
# SPDX-License-Identifier: ISC
# Traffic generator benchmark: "udptool send -c N --rate 0 --size 64"
# datagrams per second next to "iperf3 -u -b 0 -l 64", each to a reading
# sink on loopback, in bracketed runs (iperf3, udptool, udptool --no-gso,
# iperf3).  Brackets whose two iperf3 runs differ by more than a quarter are
# dropped; the median ratios udptool/iperf3 of the rest are reported, with
# segmentation offload (the default) and without (--no-gso).  Both tools
# count what they hand to the kernel: at these rates the sink reads only a
# part of it, as with any UDP flood.
#
# Usage: bench/send.sh            (from a build directory, or UDPTOOL=...)
# Environment: UDPTOOL (./udptool), N (datagrams per udptool run, 1000000),
# SECS (iperf3 seconds, 3), ROUNDS (brackets, 5).  Not part of make check;
# every command is bounded by timeout(1).
set -eu
UDPTOOL=${UDPTOOL:-./udptool}
N=${N:-1000000}
SECS=${SECS:-3}
ROUNDS=${ROUNDS:-5}
for c in iperf3 socat python3 taskset timeout; do
	command -v "$c" >/dev/null 2>&1 || { echo "bench: $c is not installed" >&2; exit 77; }
done
[ -x "$UDPTOOL" ] || { echo "bench: no udptool at $UDPTOOL (set UDPTOOL)" >&2; exit 2; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/udptool-bench.XXXXXX")
PIDS=""
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null || true; done
	for p in $PIDS; do wait "$p" 2>/dev/null || true; done
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

freeport() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Client on core 0, sinks on core 1 (two cores: the client is the limit).
SINKPORT=$(freeport)
taskset -c 1 socat -u "UDP4-RECV:$SINKPORT,bind=127.0.0.1,rcvbuf=4194304" /dev/null &
PIDS="$PIDS $!"
IPORT=$(freeport)
taskset -c 1 iperf3 -s -B 127.0.0.1 -p "$IPORT" >/dev/null 2>&1 &
PIDS="$PIDS $!"
sleep 0.5

# iperf_pps: sender datagrams per second of one iperf3 run.
iperf_pps() {
	timeout $((SECS + 20)) taskset -c 0 iperf3 -c 127.0.0.1 -p "$IPORT" -u -b 0 -l 64 \
	    -t "$SECS" -J >"$TMP/iperf.json" 2>/dev/null || true
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
s = d["end"]["sum"]
print("%.0f" % (s["packets"] / s["seconds"]))' "$TMP/iperf.json" 2>/dev/null || echo 0
}

# udptool_pps: datagrams per second of one generator run.
udptool_pps() {
	start=$(date +%s%N)
	timeout 120 taskset -c 0 "$UDPTOOL" send $1 -q -w 0 -c "$N" --rate 0 --size 64 \
	    "127.0.0.1:$SINKPORT" >/dev/null 2>"$TMP/err" || { cat "$TMP/err" >&2; echo 0; return; }
	end=$(date +%s%N)
	python3 -c 'import sys; print("%.0f" % (int(sys.argv[1]) / ((int(sys.argv[3]) - int(sys.argv[2])) / 1e9)))' \
	    "$N" "$start" "$end"
}

echo "bench: udptool send -c $N --rate 0 --size 64 vs iperf3 -u -b 0 -l 64 -t $SECS, $ROUNDS brackets"
ratios=""
nogso=""
r=1
while [ "$r" -le "$ROUNDS" ]; do
	a=$(iperf_pps)
	u=$(udptool_pps "")
	g=$(udptool_pps --no-gso)
	b=$(iperf_pps)
	verdict=$(python3 -c '
import sys
a, u, g, b = (float(x) for x in sys.argv[1:5])
if a <= 0 or b <= 0 or u <= 0 or g <= 0:
    print("failed")
elif abs(a - b) / max(a, b) > 0.25:
    print("dropped")
else:
    print("%.3f/%.3f" % (u / ((a + b) / 2), g / ((a + b) / 2)))' "$a" "$u" "$g" "$b")
	printf 'bracket %d: iperf3 %s pps, udptool %s pps, udptool --no-gso %s pps, iperf3 %s pps -> %s\n' \
	    "$r" "$a" "$u" "$g" "$b" "$verdict"
	case $verdict in
	failed | dropped) ;;
	*)
		ratios="$ratios ${verdict%/*}"
		nogso="$nogso ${verdict#*/}"
		;;
	esac
	r=$((r + 1))
done
if [ -z "$ratios" ]; then
	echo "bench: no bracket was steady enough; rerun on a quieter machine"
	exit 1
fi
# shellcheck disable=SC2086
python3 -c '
import statistics, sys
r = [float(x) for x in sys.argv[2:]]
print("median ratio udptool%s/iperf3: %.3f over %d brackets (%s)" % (sys.argv[1], statistics.median(r), len(r), " ".join(sys.argv[2:])))' "" $ratios
# shellcheck disable=SC2086
python3 -c '
import statistics, sys
r = [float(x) for x in sys.argv[2:]]
print("median ratio udptool%s/iperf3: %.3f over %d brackets (%s)" % (sys.argv[1], statistics.median(r), len(r), " ".join(sys.argv[2:])))' " --no-gso" $nogso
