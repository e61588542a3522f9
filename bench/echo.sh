#!/bin/sh
# SPDX-License-Identifier: ISC
# The echo benchmark: udptool echo-serve (and echo-serve --no-gso) beside
# sockperf's server, socat PIPE, ncat --exec cat and a naive
# recvfrom/sendto loop, at 64 and 1400
# bytes with 1 and 64 datagrams in flight, in bracketed runs (sockperf,
# candidate, sockperf); prints the median ratio to sockperf, the lost,
# duplicated, merged and corrupted replies, and echo-serve's memory under a
# flood.  Not part of make check: it takes a few minutes and needs a quiet
# machine to mean much.
#
# The load generator sends each window in segmented sends (UDP_SEGMENT), so
# that one client core keeps one server core busy and the table measures
# the servers; -G makes it send one datagram per call, as most clients do.
#
# usage: bench/echo.sh [-G] [-t seconds-per-run] [-r brackets] [-u udptool]
set -eu

T=1
R=3
LGOPT=
here=$(cd "$(dirname "$0")" && pwd)
UDPTOOL=$here/../udptool
while getopts Gt:r:u: opt; do
	case $opt in
	G) LGOPT=-G ;;
	t) T=$OPTARG ;;
	r) R=$OPTARG ;;
	u) UDPTOOL=$OPTARG ;;
	*) echo "usage: $0 [-G] [-t seconds] [-r brackets] [-u udptool]" >&2; exit 2 ;;
	esac
done
for c in cc sockperf socat ncat taskset awk; do
	command -v "$c" >/dev/null 2>&1 || { echo "echo.sh: $c is needed" >&2; exit 2; }
done
[ -x "$UDPTOOL" ] || { echo "echo.sh: no udptool binary at $UDPTOOL (-u)" >&2; exit 2; }
[ "$(nproc)" -ge 2 ] || { echo "echo.sh: needs two cores to pin client and server apart" >&2; exit 2; }

out=$here/out
mkdir -p "$out"
cc -O2 -Wall -o "$out/loadgen" "$here/loadgen.c"
cc -O2 -Wall -o "$out/naive-echo" "$here/naive-echo.c"

SPID=""
cleanup() {
	[ -n "$SPID" ] && kill -- "-$SPID" 2>/dev/null
	[ -n "$SPID" ] && wait "$SPID" 2>/dev/null
	true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

PORT=39100
# start NAME: starts server NAME on core 1 at a fresh port; sets SPID.
start() {
	PORT=$((PORT + 1))
	case $1 in
	sockperf) setsid taskset -c 1 sockperf sr --ip 127.0.0.1 --port "$PORT" >/dev/null 2>&1 & ;;
	udptool) setsid taskset -c 1 "$UDPTOOL" echo-serve "127.0.0.1:$PORT" >/dev/null 2>&1 & ;;
	udptool-any) setsid taskset -c 1 "$UDPTOOL" echo-serve "$PORT" >/dev/null 2>&1 & ;;
	udptool-nogso) setsid taskset -c 1 "$UDPTOOL" echo-serve --no-gso "127.0.0.1:$PORT" >/dev/null 2>&1 & ;;
	socat) setsid taskset -c 1 socat "UDP4-LISTEN:$PORT,bind=127.0.0.1" PIPE >/dev/null 2>&1 & ;;
	ncat) setsid taskset -c 1 ncat -u -l -k --exec /bin/cat 127.0.0.1 "$PORT" >/dev/null 2>&1 & ;;
	naive) setsid taskset -c 1 "$out/naive-echo" 127.0.0.1 "$PORT" >/dev/null 2>&1 & ;;
	esac
	# Its own process group: ncat --exec leaves children behind.
	SPID=$!
	i=0
	while [ "$i" -lt 40 ]; do
		grep -q ":$(printf '%04X' "$PORT") " /proc/net/udp /proc/net/udp6 2>/dev/null && return 0
		sleep 0.05
		i=$((i + 1))
	done
	echo "echo.sh: $1 did not start" >&2
	return 1
}

stop() {
	kill -- "-$SPID" 2>/dev/null || kill "$SPID" 2>/dev/null || true
	wait "$SPID" 2>/dev/null || true
	SPID=""
}

# run NAME SIZE WINDOW: one measurement; sets LINE to loadgen's line.
# (Not in a command substitution: start must advance PORT here.)
run() {
	run1 "$@" >"$out/line.$$"
	LINE=$(cat "$out/line.$$")
}

run1() {
	start "$1" || { echo "mode=none rate=0 p50_us=0"; return; }
	if [ "$3" -eq 1 ]; then
		timeout $((T * 3 + 10)) taskset -c 0 "$out/loadgen" -l -s "$2" -t "$T" 127.0.0.1 "$PORT" ||
		    echo "mode=none rate=0 p50_us=0"
	else
		timeout $((T * 3 + 10)) taskset -c 0 "$out/loadgen" $LGOPT -s "$2" -w "$3" -t "$T" 127.0.0.1 "$PORT" ||
		    echo "mode=none rate=0 p50_us=0"
	fi
	stop
}

field() {
	printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"
}

median() {
	sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) printf "%.3f", v[(NR + 1) / 2]; else printf "%.3f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

CANDIDATES="udptool udptool-any udptool-nogso naive socat ncat"
res=$out/results.$$
: >"$res"
rm -f "$out"/line.*
echo "udptool echo benchmark: $R brackets of ${T}s runs per case, client on core 0, server on core 1"
if [ -n "$LGOPT" ]; then
	echo "client: one datagram per send call (-G)"
else
	echo "client: windows sent in segmented sends (UDP_SEGMENT); the servers receive one datagram per request"
fi
echo "udptool: $UDPTOOL ($("$UDPTOOL" --version | head -n 1)); $(sockperf --version 2>&1 | head -n 1)"
for size in 64 1400; do
	for win in 1 64; do
		metric=rate
		[ "$win" -eq 1 ] && metric=p50_us
		r=1
		while [ "$r" -le "$R" ]; do
			run sockperf "$size" "$win"
			s0=$LINE
			for c in $CANDIDATES; do
				run "$c" "$size" "$win"
				x=$LINE
				run sockperf "$size" "$win"
				s1=$LINE
				a=$(field "$s0" "$metric")
				b=$(field "$s1" "$metric")
				v=$(field "$x" "$metric")
				printf '%s %s %s %s %s %s %s %s %s %s %s\n' "$size" "$win" "$c" \
				    "${a:-0}" "${v:-0}" "${b:-0}" "$(field "$x" lost)" \
				    "$(field "$x" dup)" "$(field "$x" merged)" \
				    "$(field "$x" corrupted)" "$(field "$x" rate)" >>"$res"
				s0=$s1
			done
			r=$((r + 1))
		done
	done
done

# Memory: echo-serve's resident size idle, under a 64-byte flood and
# under a flood of the largest datagrams.
start udptool
rss() { awk '/^VmRSS/ { print $2 }' "/proc/$SPID/status"; }
hwm() { awk '/^VmHWM/ { print $2 }' "/proc/$SPID/status"; }
rss0=$(rss)
taskset -c 0 "$out/loadgen" -s 64 -w 64 -t 2 127.0.0.1 "$PORT" >/dev/null
rss1=$(rss)
taskset -c 0 "$out/loadgen" -s 64 -w 64 -t 2 127.0.0.1 "$PORT" >/dev/null
rss2=$(rss)
taskset -c 0 "$out/loadgen" -s 65507 -w 64 -t 1 127.0.0.1 "$PORT" >/dev/null
rss3=$(rss)
peak=$(hwm)
stop

echo
printf '%-6s %-6s %-13s %-8s %-14s %-9s %6s %6s %7s %9s\n' size flight server metric "median/sockperf" brackets lost dup merged corrupted
for size in 64 1400; do
	for win in 1 64; do
		metric="dgram/s"
		[ "$win" -eq 1 ] && metric="p50 rtt"
		for c in $CANDIDATES; do
			# Brackets whose two sockperf runs differ by more than a
			# quarter were taken in a fast/slow swing: dropped.
			ratios=$(awk -v s="$size" -v w="$win" -v c="$c" '
			    $1 == s && $2 == w && $3 == c && $4 > 0 && $6 > 0 {
				d = ($4 > $6 ? $4 - $6 : $6 - $4) / ($4 > $6 ? $4 : $6)
				if (d <= 0.25) print $5 / (($4 + $6) / 2)
			    }' "$res")
			kept=$(printf '%s\n' "$ratios" | grep -c . || true)
			med=$(printf '%s\n' "$ratios" | grep . | median || true)
			sums=$(awk -v s="$size" -v w="$win" -v c="$c" '
			    $1 == s && $2 == w && $3 == c { l += $7; d += $8; m += $9; x += $10 }
			    END { printf "%d %d %d %d", l, d, m, x }' "$res")
			# shellcheck disable=SC2086
			set -- $sums
			printf '%-6s %-6s %-13s %-8s %-14s %-9s %6s %6s %7s %9s\n' "$size" "$win" "$c" \
			    "$metric" "${med:--}" "$kept/$R" "$1" "$2" "$3" "$4"
		done
	done
done
echo
echo "Ratios: datagrams per second (higher is better) with 64 in flight;"
echo "p50 round trip (lower is better) with one in flight.  Every server is"
echo "bound to 127.0.0.1 but udptool-any, echo-serve on the dual-stack wildcard"
echo "[::], which must read each arrival address and send it back with the reply;"
echo "udptool-nogso is echo-serve --no-gso, one send per reply."
echo "echo-serve RSS: idle ${rss0} KiB, after 64-byte floods ${rss1} and ${rss2} KiB,"
echo "after a 65507-byte flood ${rss3} KiB, peak ${peak} KiB."
echo "raw runs: $res (size window server sockperf-before candidate sockperf-after lost dup merged corrupted rate)"
