# SPDX-License-Identifier: ISC
# Terminal helpers for the prompt tests: a private tmux server (killed by
# the trap), screen captures, and bounded waits for what the screen shows.
# Source after lib.sh.

TSOCK="$T_TMP/tmux.sock"
tm() {
	tmux -S "$TSOCK" -f /dev/null "$@"
}
trap 'tm kill-server 2>/dev/null || true; t_cleanup' EXIT

screen() {
	tm capture-pane -p -t "$1"
}

# wait_screen SESSION TEXT: waits (at most 10 s) until TEXT is on the screen.
wait_screen() {
	i=0
	while [ "$i" -lt 100 ]; do
		screen "$1" | grep -Fq -- "$2" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# last SESSION: the last non-empty line of the screen.
last() {
	screen "$1" | sed '/^ *$/d' | tail -n 1
}

# wait_last SESSION TEXT: waits (at most 10 s) until the last line is TEXT.
wait_last() {
	i=0
	while [ "$i" -lt 100 ]; do
		[ "$(last "$1")" = "$2" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
