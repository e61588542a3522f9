#!/bin/sh
# SPDX-License-Identifier: ISC
# listen --interactive through a real terminal (tmux) leaves promptly on
# SIGTERM, wherever the signal finds it: before the prompt is up, as it
# comes up, or while it waits.  A signal that came after listen caught it
# but before the prompt was up, or between the check of its flag and the
# wait, used to be lost, leaving the prompt up until the next key.  Under
# strace, each sigaction(2) returns 0.3 s late, which holds that first
# window open long enough to send the signal into it every time.
# memcheck: skip (terminal timing through tmux)
set -eu
. "$(dirname "$0")/lib.sh"
t_need tmux

. "$(dirname "$0")/termlib.sh"

ROUNDS=12
# Killing the last session ends the tmux server, and a new session started
# while it shuts down fails: one idle session keeps it up throughout.
tm new-session -d -s keep "sleep 300"

# listen_pid SESSION: the PID of the listen under the session's shell
# (empty until it has started; bounded at 5 s).
listen_pid() {
	i=0
	while [ "$i" -lt 50 ]; do
		pp=$(tm display -p -t "$1" '#{pane_pid}' 2>/dev/null || true)
		if [ -n "$pp" ]; then
			lp=$(pgrep -P "$pp" -x udptool 2>/dev/null | head -n 1 || true)
			[ -n "$lp" ] && { echo "$lp"; return 0; }
		fi
		sleep 0.01
		i=$((i + 1))
	done
	return 1
}

# wait_exit SESSION: waits (at most 10 s) until listen has left.
wait_exit() {
	wait_screen "$1" "EXIT="
}

r=0
late=0
while [ "$r" -lt "$ROUNDS" ]; do
	s="t$r"
	tm new-session -d -s "$s" -x 100 -y 20 \
	    "env XDG_STATE_HOME='$T_TMP/state' NO_COLOR=1 '$UDPTOOL' listen --interactive 127.0.0.1:0; echo EXIT=\$?; sleep 60"
	if ! lp=$(listen_pid "$s"); then
		t_fail "round $r: listen started" "$(screen "$s")"
		r=$((r + 1))
		continue
	fi
	# Early rounds signal as soon as the process exists or its socket
	# is bound, later ones once the prompt waits.
	case $r in
	0 | 1 | 2 | 3) ;;
	4 | 5 | 6 | 7) wait_screen "$s" "listening on" || true ;;
	*) wait_screen "$s" "listening on" || true; sleep 0.2 ;;
	esac
	kill -TERM "$lp" 2>/dev/null || true
	if ! wait_exit "$s"; then
		late=$((late + 1))
		echo "# round $r: still running 10 s after SIGTERM:"
		screen "$s" | sed 's/^/#   /'
	fi
	tm kill-session -t "$s" 2>/dev/null || true
	r=$((r + 1))
done
t_check "listen --interactive left within 10 s of SIGTERM in all $ROUNDS rounds" \
    [ "$late" -eq 0 ]

# The window between listen's catch and the prompt's, held open by strace.
if command -v strace >/dev/null 2>&1 &&
    strace -qq -e trace=rt_sigaction -e inject=rt_sigaction:delay_exit=1 \
    -o /dev/null true 2>/dev/null; then
	tm new-session -d -s slow -x 100 -y 20 \
	    "env XDG_STATE_HOME='$T_TMP/state' NO_COLOR=1 strace -qq -o /dev/null -e trace=rt_sigaction -e inject=rt_sigaction:delay_exit=300000 '$UDPTOOL' listen --interactive 127.0.0.1:0; echo EXIT=\$?; sleep 60"
	sp=""
	i=0
	while [ -z "$sp" ] && [ "$i" -lt 100 ]; do
		sp=$(pgrep -x udptool -P "$(pgrep -x strace -P "$(tm display -p -t slow '#{pane_pid}')" | head -n 1)" 2>/dev/null | head -n 1 || true)
		[ -n "$sp" ] || sleep 0.05
		i=$((i + 1))
	done
	# Catching SIGINT, SIGTERM and SIGUSR1 takes 0.9 s from here.
	wait_screen slow "listening on" || true
	sleep 0.5
	[ -n "$sp" ] && kill -TERM "$sp"
	t_check "SIGTERM between listen's catch and the prompt's is not lost" \
	    wait_exit slow
	tm kill-session -t slow 2>/dev/null || true
else
	t_skip "SIGTERM between listen's catch and the prompt's is not lost" \
	    "strace cannot delay system calls here"
fi

# At the prompt, SIGTERM leaves with the summary and a negative status.
tm new-session -d -s last -x 100 -y 20 \
    "env XDG_STATE_HOME='$T_TMP/state' NO_COLOR=1 '$UDPTOOL' listen --interactive 127.0.0.1:0; echo EXIT=\$?; sleep 60"
lp=$(listen_pid last || true)
wait_screen last "listening on" || true
sleep 0.2
[ -n "$lp" ] && kill -TERM "$lp"
t_check "SIGTERM at the prompt ends listen" wait_exit last
t_check "the summary is printed" wait_screen last "summary: "
t_done
