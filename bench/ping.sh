#!/bin/sh
# SPDX-License-Identifier: ISC
# UDP round-trip latency, one probe in flight: udptool ping -u -A beside
# sockperf ping-pong, against the same echo server in the same run.
#
# Usage: bench/ping.sh [seconds per run (5)] [brackets (3)]
# Environment: UDPTOOL (default ./udptool), CC (default cc), SIZE (64).
#
# The echo server is bench/echo-server.c: one recvfrom/sendto loop that
# also clears sockperf's "client" flag, a no-op on udptool's probes (see
# the file), so both clients meet the same server code.  It runs on core 1,
# the clients on core 0.  Each bracket runs sockperf, udptool, sockperf;
# a bracket whose two sockperf runs differ by more than a quarter is
# dropped, and the median ratio over the rest is reported.  Both tools
# report full round trips (sockperf --full-rtt) from user space.  udptool
# runs for the same time (-w); the one probe in flight when that deadline
# strikes counts as lost, as in ping(8).  Not part of make check.
set -eu

T=${1:-5}
B=${2:-3}
SIZE=${SIZE:-64}
UDPTOOL=${UDPTOOL:-./udptool}
CC=${CC:-cc}
here=$(cd "$(dirname "$0")" && pwd)

for c in sockperf taskset "$CC" awk; do
	command -v "$c" >/dev/null 2>&1 || { echo "bench: $c is not installed" >&2; exit 77; }
done
[ -x "$UDPTOOL" ] || { echo "bench: $UDPTOOL is not built" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/udptool-bench.XXXXXX")
spid=""
cleanup() {
	[ -n "$spid" ] && kill "$spid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$CC" -O2 -o "$tmp/echo-server" "$here/echo-server.c"
taskset -c 1 "$tmp/echo-server" 2>"$tmp/server.err" &
spid=$!
i=0
while ! grep -q "listening on" "$tmp/server.err" 2>/dev/null; do
	i=$((i + 1))
	[ "$i" -gt 50 ] && { echo "bench: echo server did not start" >&2; exit 2; }
	sleep 0.1
done
port=$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$tmp/server.err")
bound=$((T + 10))

# sockperf_run: prints "p50 p99 received dropped duplicated out-of-order" (us)
sockperf_run() {
	timeout "$bound" taskset -c 0 sockperf ping-pong -i 127.0.0.1 -p "$port" \
	    -m "$SIZE" -t "$T" --full-rtt >"$tmp/sp" 2>&1 || true
	sed 's/\x1b\[[0-9;]*m//g' "$tmp/sp" | awk '
	    /percentile 50.000/ { p50 = $NF }
	    /percentile 99.000/ { p99 = $NF }
	    /\[Valid Duration\]/ { sub(/.*ReceivedMessages=/, ""); rx = $1 }
	    /# dropped messages/ { gsub(/;/, ""); d = $6; u = $11; o = $16 }
	    END { print p50, p99, rx, d, u, o }'
}

# udptool_run: prints "p50 p99 received lost duplicates reordered late invalid" (us)
udptool_run() {
	timeout "$bound" taskset -c 0 "$UDPTOOL" ping -u -A -i 0 -q -j -s "$SIZE" \
	    -w "$T" "127.0.0.1:$port" >"$tmp/ut" 2>&1 || true
	# One JSON summary line; pick the fields out by name.
	awk '
	    function get(k,   r) {
	        if (match($0, "\"" k "\":[0-9.e+-]+")) {
	            r = substr($0, RSTART, RLENGTH); sub(/.*:/, "", r); return r
	        }
	        return "?"
	    }
	    /"type":"summary"/ {
	        printf "%.3f %.3f %s %s %s %s %s %s\n", get("rtt_p50_ms") * 1000,
	            get("rtt_p99_ms") * 1000, get("received"), get("lost"),
	            get("duplicates"), get("reordered"), get("late"), get("invalid")
	    }' "$tmp/ut"
}

echo "UDP round trip, one in flight, ${SIZE}-byte payload, ${T} s per run, 127.0.0.1:$port"
echo "(us)      sockperf p50/p99       udptool p50/p99        sockperf p50/p99"
ratios50=""
ratios99=""
b=1
while [ "$b" -le "$B" ]; do
	set -- $(sockperf_run)
	s1_50=$1 s1_99=$2 s1_rx=$3 s1_d=$4 s1_u=$5 s1_o=$6
	set -- $(udptool_run)
	u_50=$1 u_99=$2 u_rx=$3 u_lost=$4 u_dup=$5 u_reo=$6 u_late=$7 u_bad=$8
	set -- $(sockperf_run)
	s2_50=$1 s2_99=$2 s2_rx=$3 s2_d=$4 s2_u=$5 s2_o=$6
	verdict=$(awk -v a="$s1_50" -v b="$s2_50" -v u="$u_50" -v a9="$s1_99" -v b9="$s2_99" -v u9="$u_99" 'BEGIN {
	    if (a <= 0 || b <= 0 || u <= 0) { print "bad"; exit }
	    hi = a > b ? a : b; lo = a < b ? a : b
	    if (hi / lo > 1.25) { print "drop"; exit }
	    printf "%.3f %.3f\n", u / ((a + b) / 2), u9 / ((a9 + b9) / 2) }')
	printf 'bracket %d  %7s/%-9s      %7s/%-9s      %7s/%-9s  ' "$b" \
	    "$s1_50" "$s1_99" "$u_50" "$u_99" "$s2_50" "$s2_99"
	case "$verdict" in
	drop) echo "dropped: sockperf runs differ by more than 25%" ;;
	bad) echo "dropped: a run gave no figures" ;;
	*)
		set -- $verdict
		echo "ratio p50 $1, p99 $2"
		ratios50="$ratios50 $1"
		ratios99="$ratios99 $2"
		;;
	esac
	echo "          sockperf: received $s1_rx/$s2_rx, dropped $s1_d/$s2_d, duplicated $s1_u/$s2_u, out-of-order $s1_o/$s2_o"
	echo "          udptool:  received $u_rx, lost $u_lost, duplicates $u_dup, reordered $u_reo, late $u_late, invalid $u_bad"
	b=$((b + 1))
done

median() {
	printf '%s\n' $1 | sort -n | awk '{ v[NR] = $1 } END {
	    if (NR == 0) print "none"; else if (NR % 2) print v[(NR + 1) / 2];
	    else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
echo "median ratio udptool/sockperf: p50 $(median "$ratios50"), p99 $(median "$ratios99") (target: p50 within 1.10)"
