# SPDX-License-Identifier: ISC
# Shared helpers for the CLI tests: TAP output, bounded waits, servers on
# port 0 whose real port is read from their "listening on" line, and a trap
# that kills every background process started here.
#
# Tests set -eu, source this file, call t_* helpers, and end with t_done.

: "${UDPTOOL:?UDPTOOL must name the binary under test}"
: "${TOP_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
T_N=0
T_FAILED=0
T_PIDS=""
T_TMP=$(mktemp -d "${TMPDIR:-/tmp}/udptool-test.XXXXXX")

T_NETNS=""

t_cleanup() {
	for p in $T_PIDS; do
		kill "$p" 2>/dev/null || true
	done
	for p in $T_PIDS; do
		wait "$p" 2>/dev/null || true
	done
	for n in $T_NETNS; do
		ip netns del "$n" 2>/dev/null || true
	done
	rm -rf "$T_TMP"
}

# t_netns_try NAME...: creates network namespaces, loopback up, that the
# exit trap deletes; returns 1 where that is not possible (not root, no ip).
t_netns_try() {
	[ "$(id -u)" -eq 0 ] || return 1
	command -v ip >/dev/null 2>&1 || return 1
	for t_netns_n in "$@"; do
		ip netns add "$t_netns_n" 2>/dev/null || return 1
		T_NETNS="$T_NETNS $t_netns_n"
		ip -n "$t_netns_n" link set lo up
	done
}

# t_netns NAME...: t_netns_try, or skips the whole test saying why.
t_netns() {
	[ "$(id -u)" -eq 0 ] || t_skip_all "creating network namespaces needs root"
	command -v ip >/dev/null 2>&1 || t_skip_all "ip is not installed"
	t_netns_try "$@" || t_skip_all "cannot create network namespace $*"
}

# t_in NS CMD...: runs CMD in namespace NS ("" for this one).  For the
# foreground only: a background process is "t_bg NAME ip netns exec NS ...",
# so that its PID is the process itself.
t_in() {
	if [ -n "$1" ]; then
		ip netns exec "$@"
	else
		shift
		"$@"
	fi
}

# t_veth NSA IFA NSB IFB: a veth pair, IFA in namespace NSA and IFB in NSB
# ("" for this one); returns non-zero if the kernel refuses it.
t_veth() {
	if [ -n "$1" ]; then set -- "$2 netns $1" "$3" "$4"; else set -- "$2" "$3" "$4"; fi
	if [ -n "$2" ]; then set -- "$1" "$3 netns $2"; else set -- "$1" "$3"; fi
	# shellcheck disable=SC2086
	ip link add $1 type veth peer name $2
}

# t_addr NS IF ADDR...: adds each address to IF in NS; IPv6 ones "nodad",
# usable at once.  An ADDR may carry more words ("10.0.0.1/24 broadcast
# 10.0.0.255").
t_addr() {
	t_addr_ns=$1
	t_addr_dev=$2
	shift 2
	for t_addr_a in "$@"; do
		t_addr_nodad=""
		case $t_addr_a in *:*) t_addr_nodad=nodad ;; esac
		# shellcheck disable=SC2086
		ip -n "$t_addr_ns" addr add $t_addr_a dev "$t_addr_dev" $t_addr_nodad
	done
}

# t_link_ready NS IF: IF has its carrier and no global address still in
# IPv6 duplicate address detection.
t_link_ready() {
	ip -n "$1" link show dev "$2" | grep -q 'LOWER_UP' &&
	    [ -z "$(ip -n "$1" -6 addr show dev "$2" scope global tentative)" ]
}

# t_up NS IF [NS IF ...]: brings each link up, then waits (bounded, 5 s)
# until each one is ready (t_link_ready); returns 1 on timeout.
t_up() {
	t_up_l=""
	while [ "$#" -ge 2 ]; do
		ip -n "$1" link set "$2" up
		t_up_l="$t_up_l $1/$2"
		shift 2
	done
	for t_up_nl in $t_up_l; do
		t_until 5 0.05 t_link_ready "${t_up_nl%%/*}" "${t_up_nl#*/}" || return 1
	done
}

trap t_cleanup EXIT
trap 'exit 130' INT TERM

# With UDPTOOL_MEMCHECK set, every run of the binary goes through valgrind
# memcheck; t_done fails the script if any run reported an error or leak.
if [ -n "${UDPTOOL_MEMCHECK:-}" ]; then
	command -v valgrind >/dev/null 2>&1 || { echo "1..0 # SKIP valgrind is not installed"; exit 0; }
	T_REAL=$UDPTOOL
	UDPTOOL=$T_TMP/udptool
	cat >"$UDPTOOL" <<EOF
#!/bin/sh
exec valgrind -q --error-exitcode=99 --leak-check=full \\
    --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \\
    --log-file="$T_TMP/memcheck.%p" "$T_REAL" "\$@"
EOF
	chmod +x "$UDPTOOL"
	export UDPTOOL
fi

t_ok() {
	T_N=$((T_N + 1))
	echo "ok $T_N - $1"
}

t_fail() {
	T_N=$((T_N + 1))
	T_FAILED=$((T_FAILED + 1))
	echo "not ok $T_N - $1"
	shift
	for line in "$@"; do
		printf '#   %s\n' "$line"
	done
}

t_skip_all() {
	echo "1..0 # SKIP $1"
	exit 0
}

t_skip() {
	T_N=$((T_N + 1))
	echo "ok $T_N - $1 # SKIP $2"
}

t_done() {
	if [ -n "${UDPTOOL_MEMCHECK:-}" ]; then
		bad=$(find "$T_TMP" -name 'memcheck.*' -size +0 2>/dev/null)
		if [ -z "$bad" ]; then
			t_ok "memcheck: no errors and no leaks"
		else
			# shellcheck disable=SC2086
			t_fail "memcheck: no errors and no leaks" "$(head -n 40 $bad)"
		fi
	fi
	echo "1..$T_N"
	[ "$T_FAILED" -eq 0 ]
}

# t_run CMD...: runs CMD with stdin closed and a 20 s bound; sets $T_OUT,
# $T_ERR (file contents) and $T_RC.
t_run() {
	T_RC=0
	timeout 20 "$@" >"$T_TMP/out" 2>"$T_TMP/err" </dev/null || T_RC=$?
	T_OUT=$(cat "$T_TMP/out")
	T_ERR=$(cat "$T_TMP/err")
}

# t_expect_rc DESC RC CMD...: runs CMD, checks the exit status.
t_expect_rc() {
	desc=$1
	want=$2
	shift 2
	t_run "$@"
	if [ "$T_RC" -eq "$want" ]; then
		t_ok "$desc"
	else
		t_fail "$desc" "command: $*" "exit $T_RC, expected $want" \
		    "stdout: $T_OUT" "stderr: $T_ERR"
	fi
}

# t_check DESC COND...: passes if the shell test succeeds.
t_check() {
	desc=$1
	shift
	if "$@"; then
		t_ok "$desc"
	else
		t_fail "$desc" "failed: $*" "stdout: ${T_OUT:-}" "stderr: ${T_ERR:-}"
	fi
}

# t_contains HAYSTACK NEEDLE
t_contains() {
	case "$1" in
	*"$2"*) return 0 ;;
	*) return 1 ;;
	esac
}

# t_lines TEXT: number of lines in TEXT
t_lines() {
	if [ -z "$1" ]; then echo 0; else printf '%s\n' "$1" | wc -l | tr -d ' '; fi
}

# t_need CMD...: skips the whole test unless every CMD exists.
t_need() {
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || t_skip_all "$c is not installed"
	done
}

# t_bg NAME CMD...: starts CMD in the background with stdout and stderr in
# $T_TMP/NAME.out and $T_TMP/NAME.err; sets $T_PID.
t_bg() {
	name=$1
	shift
	"$@" >"$T_TMP/$name.out" 2>"$T_TMP/$name.err" </dev/null &
	T_PID=$!
	T_PIDS="$T_PIDS $T_PID"
}

# t_until SECS STEP CMD...: runs CMD every STEP seconds until it succeeds
# (returns 0) or SECS seconds have passed (returns 1); bounded both in
# time and in the number of tries, however long CMD takes.
t_until() {
	tu_n=$(awk -v t="$1" -v s="$2" 'BEGIN { n = int(t / s); if (n * s < t) n++; print n }')
	tu_end=$(($(date +%s%N) / 1000000 + $(awk -v t="$1" 'BEGIN { print int(t * 1000) }')))
	tu_step=$2
	shift 2
	tu_i=0
	while :; do
		"$@" && return 0
		tu_i=$((tu_i + 1))
		[ "$tu_i" -le "$tu_n" ] || return 1
		[ "$(($(date +%s%N) / 1000000))" -lt "$tu_end" ] || return 1
		sleep "$tu_step"
	done
}

# t_has FILE PATTERN: FILE has a line matching PATTERN (grep -E).
t_has() {
	grep -Eq -- "$2" "$1" 2>/dev/null
}

# t_has_word FILE WORD: FILE has a line whose first field (up to a space)
# is WORD.
t_has_word() {
	cut -d' ' -f1 "$1" 2>/dev/null | grep -qx -- "$2"
}

# t_wait_for FILE PATTERN [TENTHS]: waits (bounded, default 5 s) until FILE
# has a line matching PATTERN (grep -E); returns 1 on timeout.
t_wait_for() {
	t_until "$(awk -v t="${3:-50}" 'BEGIN { print t / 10 }')" 0.1 t_has "$1" "$2"
}

# t_server NAME CMD...: starts a server that prints "listening on ADDR:PORT"
# on stderr and sets $T_PORT to the port it really bound.
t_server() {
	name=$1
	shift
	t_bg "$name" "$@"
	if ! t_wait_for "$T_TMP/$name.err" "listening on"; then
		echo "# server $name did not start: $(cat "$T_TMP/$name.err")"
		T_PORT=0
		return 1
	fi
	T_PORT=$(sed -n 's/.*listening on .*:\([0-9][0-9]*\).*/\1/p' \
	    "$T_TMP/$name.err" | head -n 1)
}

# t_stop PID: stops a background process and waits (bounded) for it.
t_stop() {
	kill -INT "$1" 2>/dev/null || true
	t_until 5 0.1 sh -c '! kill -0 "$1" 2>/dev/null' sh "$1" || true
	kill -KILL "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
}

# t_wait_pid PID: waits at most 10 s for PID to end (then kills it) and
# returns its exit status.
t_wait_pid() {
	t_until 10 0.1 sh -c '! kill -0 "$1" 2>/dev/null' sh "$1" || true
	kill -KILL "$1" 2>/dev/null || true
	wait "$1"
}
