#!/bin/sh
# SPDX-License-Identifier: ISC
# The relay benchmark: the load generator against udptool echo-serve
# directly, and against the same echo-serve through udptool relay with no
# impairment, in bracketed runs (direct, relayed, hop, direct), at 64 and
# 1400 bytes with 64 datagrams in flight and the p50 round trip with one.
# Prints the median ratio relayed/direct, and the lost, duplicated, merged
# and corrupted replies.  Not part of make check.
#
# A relayed round trip crosses the relay twice and echo-serve once.  The
# hop runs measure the relay's own forwarding speed against echo-serve's:
# the relay's target is the load generator's second socket, so a datagram
# crosses the relay once, as it crosses echo-serve once in a direct run.
#
# Beside the rates it prints the server side's work per round trip: the CPU
# time of echo-serve (and of the relay, relayed) from /proc/PID/schedstat
# over the run, divided by the round trips.  The rates swing with whatever
# else the machine runs; the work per round trip is what the relay adds,
# and it holds still while they swing.
#
# The client runs on core 0 and echo-serve on core 1.  A relay needs a core
# too: it shares core 1 with echo-serve (-c 1, the default: the server side
# gets no more CPU than the direct run had) or core 0 with the client (-c 0).
#
# -e 0 moves echo-serve to the client's core 0, so that with -c 1 the relay
# has core 1 to itself, as a relay in front of a server has in deployment;
# the direct runs then have client and server on core 0 alike.
#
# usage: bench/relay.sh [-G] [-t seconds-per-run] [-r brackets] [-c core] [-e core] [-u udptool]
set -eu

T=1
R=5
CORE=1
ECORE=1
LGOPT=
here=$(cd "$(dirname "$0")" && pwd)
UDPTOOL=$here/../udptool
while getopts Gt:r:c:e:u: opt; do
	case $opt in
	G) LGOPT=-G ;;
	t) T=$OPTARG ;;
	r) R=$OPTARG ;;
	c) CORE=$OPTARG ;;
	e) ECORE=$OPTARG ;;
	u) UDPTOOL=$OPTARG ;;
	*) echo "usage: $0 [-G] [-t seconds] [-r brackets] [-c core] [-e core] [-u udptool]" >&2; exit 2 ;;
	esac
done
for c in cc taskset awk; do
	command -v "$c" >/dev/null 2>&1 || { echo "relay.sh: $c is needed" >&2; exit 2; }
done
[ -x "$UDPTOOL" ] || { echo "relay.sh: no udptool binary at $UDPTOOL (-u)" >&2; exit 2; }
[ "$(nproc)" -ge 2 ] || { echo "relay.sh: needs two cores to pin client and server apart" >&2; exit 2; }

out=$here/out
mkdir -p "$out"
cc -O2 -Wall -o "$out/loadgen" "$here/loadgen.c"

EPID=""
RPID=""
cleanup() {
	for p in $RPID $EPID; do
		kill "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# waitport PORT: waits (bounded) until a socket is bound to PORT.
waitport() {
	i=0
	while [ "$i" -lt 40 ]; do
		grep -q ":$(printf '%04X' "$1") " /proc/net/udp /proc/net/udp6 2>/dev/null && return 0
		sleep 0.05
		i=$((i + 1))
	done
	echo "relay.sh: nothing listens on port $1" >&2
	return 1
}

PORT=39300
EPORT=$PORT
taskset -c "$ECORE" "$UDPTOOL" echo-serve "127.0.0.1:$EPORT" >/dev/null 2>&1 &
EPID=$!
waitport "$EPORT"

# cpu_ns PID: nanoseconds PID's threads have run, or 0 when it is gone.
cpu_ns() {
	cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{ s += $1 } END { printf "%.0f", s }'
}

# per_answer NS: NS nanoseconds divided by the datagrams LINE got answered.
per_answer() {
	awk -v c="$1" -v n="$(field "$LINE" sent)" -v l="$(field "$LINE" lost)" \
	    'BEGIN { n -= l; printf "%.0f", (n > 0 ? c / n : 0) }'
}

# run MODE SIZE WINDOW: one measurement, direct, relayed or hop; sets
# LINE, CPU, the server side's CPU nanoseconds per round trip, and RCPU,
# the relay's own share of it (0 direct).  A hop run sends through a relay
# whose target is the load generator's second socket (loadgen -R): each
# datagram crosses the relay once, one receive and one send, as it crosses
# echo-serve once in a direct run.
run() {
	port=$EPORT
	hop=
	if [ "$1" != direct ]; then
		PORT=$((PORT + 2))
		port=$PORT
		target=127.0.0.1:$EPORT
		if [ "$1" = hop ]; then
			hop="-R $((PORT + 1))"
			target=127.0.0.1:$((PORT + 1))
		fi
		taskset -c "$CORE" "$UDPTOOL" relay "127.0.0.1:$port" "$target" >/dev/null 2>&1 &
		RPID=$!
		waitport "$port"
	fi
	c0=$(cpu_ns "$EPID")
	if [ "$3" -eq 1 ]; then
		# shellcheck disable=SC2086
		LINE=$(timeout $((T * 3 + 10)) taskset -c 0 "$out/loadgen" $hop -l -s "$2" -t "$T" 127.0.0.1 "$port" ||
		    echo "mode=none rate=0 p50_us=0")
	else
		# shellcheck disable=SC2086
		LINE=$(timeout $((T * 3 + 10)) taskset -c 0 "$out/loadgen" $LGOPT $hop -s "$2" -w "$3" -t "$T" 127.0.0.1 "$port" ||
		    echo "mode=none rate=0 p50_us=0")
	fi
	c1=$(($(cpu_ns "$EPID") - c0))
	cr=0
	[ -n "$RPID" ] && cr=$(cpu_ns "$RPID")
	CPU=$(per_answer "$((c1 + cr))")
	RCPU=$(per_answer "$cr")
	if [ -n "$RPID" ]; then
		kill "$RPID" 2>/dev/null || true
		wait "$RPID" 2>/dev/null || true
		RPID=""
	fi
}

field() {
	printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"
}

median() {
	sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) printf "%.3f", v[(NR + 1) / 2]; else printf "%.3f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

res=$out/relay.$$
: >"$res"
echo "udptool relay benchmark: $R brackets of ${T}s runs per case; client on core 0, echo-serve on core $ECORE, relay on core $CORE"
for size in 64 1400; do
	for win in 1 64; do
		metric=rate
		[ "$win" -eq 1 ] && metric=p50_us
		r=1
		run direct "$size" "$win"
		d0=$LINE
		k0=$CPU
		while [ "$r" -le "$R" ]; do
			run relay "$size" "$win"
			x=$LINE
			kx=$CPU
			rx=$RCPU
			run hop "$size" "$win"
			h=$LINE
			hx=$RCPU
			run direct "$size" "$win"
			d1=$LINE
			printf '%s %s %s %s %s %s %s %s %s %s %s %s %s %s %s %s\n' "$size" "$win" \
			    "$(field "$d0" "$metric")" "$(field "$x" "$metric")" \
			    "$(field "$d1" "$metric")" "$(field "$x" lost)" \
			    "$(field "$x" dup)" "$(field "$x" merged)" \
			    "$(field "$x" corrupted)" "$k0" "$kx" "$CPU" "$rx" \
			    "$(field "$h" "$metric")" "$(field "$h" lost)" "$hx" >>"$res"
			d0=$d1
			k0=$CPU
			r=$((r + 1))
		done
	done
done

echo
printf '%-6s %-7s %-9s %-16s %-9s %6s %6s %7s %9s\n' size flight metric "median relay/direct" brackets lost dup merged corrupted
for size in 64 1400; do
	for win in 1 64; do
		metric="dgram/s"
		[ "$win" -eq 1 ] && metric="p50 rtt"
		# Brackets whose two direct runs differ by more than a quarter
		# were taken in a fast/slow swing: dropped.
		ratios=$(awk -v s="$size" -v w="$win" '
		    $1 == s && $2 == w && $3 > 0 && $5 > 0 {
			d = ($3 > $5 ? $3 - $5 : $5 - $3) / ($3 > $5 ? $3 : $5)
			if (d <= 0.25) print $4 / (($3 + $5) / 2)
		    }' "$res")
		kept=$(printf '%s\n' "$ratios" | grep -c . || true)
		med=$(printf '%s\n' "$ratios" | grep . | median || true)
		sums=$(awk -v s="$size" -v w="$win" '
		    $1 == s && $2 == w { l += $6; d += $7; m += $8; x += $9 }
		    END { printf "%d %d %d %d", l, d, m, x }' "$res")
		# shellcheck disable=SC2086
		set -- $sums
		printf '%-6s %-7s %-9s %-19s %-9s %6s %6s %7s %9s\n' "$size" "$win" \
		    "$metric" "${med:--}" "$kept/$R" "$1" "$2" "$3" "$4"
	done
done
echo
echo "One hop: the relay forwarding (client -> relay -> the client's second socket)"
echo "beside echo-serve echoing (client -> echo-serve -> client), one receive and one"
echo "send per datagram each; and the CPU per datagram of each, every bracket:"
printf '%-6s %-7s %-9s %-17s %-9s %6s   %-12s %-9s %s\n' size flight metric "median hop/direct" brackets lost "echo-serve us" "relay us" "median echo-serve/relay"
for size in 64 1400; do
	for win in 1 64; do
		metric="dgram/s"
		[ "$win" -eq 1 ] && metric="p50 rtt"
		ratios=$(awk -v s="$size" -v w="$win" '
		    $1 == s && $2 == w && $3 > 0 && $5 > 0 && $14 > 0 {
			d = ($3 > $5 ? $3 - $5 : $5 - $3) / ($3 > $5 ? $3 : $5)
			if (d <= 0.25) print $14 / (($3 + $5) / 2)
		    }' "$res")
		kept=$(printf '%s\n' "$ratios" | grep -c . || true)
		med=$(printf '%s\n' "$ratios" | grep . | median || true)
		lost=$(awk -v s="$size" -v w="$win" '$1 == s && $2 == w { l += $15 } END { printf "%d", l }' "$res")
		awk -v s="$size" -v w="$win" '$1 == s && $2 == w && $10 > 0 && $12 > 0 && $16 > 0 {
			print ($10 + $12) / 2000, $16 / 1000, (($10 + $12) / 2) / $16 }' "$res" >"$res.cpu"
		printf '%-6s %-7s %-9s %-17s %-9s %6s   %-13s %-9s %s\n' "$size" "$win" \
		    "$metric" "${med:--}" "$kept/$R" "$lost" \
		    "$(cut -d' ' -f1 "$res.cpu" | median)" \
		    "$(cut -d' ' -f2 "$res.cpu" | median)" \
		    "$(cut -d' ' -f3 "$res.cpu" | median)"
	done
done
echo
echo "Server-side CPU per round trip (echo-serve, and the relay when relayed), every bracket;"
echo "the last column is the relay's speed beside echo-serve's with a core each: echo-serve's"
echo "CPU per round trip direct over the relay's own CPU per round trip relayed (higher is better):"
printf '%-6s %-7s %-10s %-11s %-22s %-9s %s\n' size flight "direct us" "relayed us" "median relayed/direct" "relay us" "median echo-serve/relay"
for size in 64 1400; do
	for win in 1 64; do
		awk -v s="$size" -v w="$win" '$1 == s && $2 == w && $10 > 0 && $12 > 0 && $13 > 0 {
			print ($10 + $12) / 2000, $11 / 1000, $11 / (($10 + $12) / 2),
			    $13 / 1000, (($10 + $12) / 2) / $13 }' "$res" >"$res.cpu"
		printf '%-6s %-7s %-10s %-11s %-22s %-9s %s\n' "$size" "$win" \
		    "$(cut -d' ' -f1 "$res.cpu" | median)" \
		    "$(cut -d' ' -f2 "$res.cpu" | median)" \
		    "$(cut -d' ' -f3 "$res.cpu" | median)" \
		    "$(cut -d' ' -f4 "$res.cpu" | median)" \
		    "$(cut -d' ' -f5 "$res.cpu" | median)"
	done
done
rm -f "$res.cpu"
echo
echo "Ratios: datagrams per second (higher is better) with 64 in flight;"
echo "p50 round trip (lower is better) with one in flight.  The rates are"
echo "bound by the round trips, not by the server's core, as long as the"
echo "CPU per round trip fits in what that core has to spare."
echo "raw runs: $res (size window direct-before relayed direct-after lost dup"
echo "merged corrupted, then CPU ns per round trip direct-before relayed direct-after,"
echo "the relay's own share of the relayed, then the hop run's metric, lost and"
echo "the relay's CPU ns per datagram)"
