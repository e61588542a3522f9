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
	t_until 10 0.1 on_screen "$1" "$2"
}

# on_screen SESSION TEXT: TEXT is on the screen.
on_screen() {
	screen "$1" | grep -Fq -- "$2"
}

# last SESSION: the last non-empty line of the screen.
last() {
	screen "$1" | sed '/^ *$/d' | tail -n 1
}

# wait_last SESSION TEXT: waits (at most 10 s) until the last line is TEXT.
wait_last() {
	t_until 10 0.1 last_is "$1" "$2"
}

# last_is SESSION TEXT: the last non-empty line of the screen is TEXT.
last_is() {
	[ "$(last "$1")" = "$2" ]
}

# start_sink: starts a UDP socket on 127.0.0.1 that writes "first" to
# $T_TMP/sink.out when the first datagram comes and then never reads
# again (a peer a long /repeat can fill); sets SINK_PORT (empty on failure).
start_sink() {
	t_bg sink timeout 50 python3 -c '
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
s.settimeout(45)
print(s.getsockname()[1], flush=True)
s.recv(70000)
print("first", flush=True)
time.sleep(45)
'
	t_wait_for "$T_TMP/sink.out" '^[0-9]+$' 100 || true
	SINK_PORT=$(head -n 1 "$T_TMP/sink.out")
}
