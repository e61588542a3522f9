#!/bin/sh
# SPDX-License-Identifier: ISC
# listen --interactive through a real terminal (tmux): the prompt names the
# reply target, a datagram arriving while a line is half typed leaves the
# line and cursor intact, typed lines (with -e) go back to the sender, a bad
# line is reported and the prompt goes on, SIGUSR1 prints the summary above
# the line, ^C discards the line, history survives a restart, -w ends it,
# ^D leaves with the summary.  Without libedit only what plain line reading
# promises is checked; the rest is skipped.
set -eu
. "$(dirname "$0")/lib.sh"
t_need python3 tmux

EDIT=0
"$UDPTOOL" --version | grep -qx 'prompt: libedit' && EDIT=1
NOEDIT="built without libedit (prompt: plain line reading)"

. "$(dirname "$0")/termlib.sh"
STATE="$T_TMP/state"

# start SESSION ARGS...: runs listen ARGS in a new 100x40 terminal.
start() {
	s=$1
	shift
	tm new-session -d -s "$s" -x 100 -y 40 \
	    "env XDG_STATE_HOME='$STATE' NO_COLOR=1 '$UDPTOOL' listen $*; echo EXIT=\$?; sleep 60"
}

# wait_got HEX: waits (at most 10 s) until the peer received HEX.
wait_got() {
	i=0
	while [ "$i" -lt 100 ]; do
		cut -d' ' -f1 "$T_TMP/got" 2>/dev/null | grep -qx -- "$1" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

hex() {
	printf '%s' "$1" | od -An -tx1 | tr -d ' \n'
}

keys() {
	tm send-keys -t "$@"
}

# listen_port SESSION: the port from the "listening on" line on the screen.
listen_port() {
	screen "$1" | sed -n 's/.*listening on 127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p' | head -n 1
}

# The peer: prints its own port, sends one datagram to the listener when
# the file "go" appears, and records every answer (hex, sender port) in
# the file "got".
PEER='
import os, socket, sys, time
port, go, out = int(sys.argv[1]), sys.argv[2], sys.argv[3]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
s.settimeout(0.1)
print(s.getsockname()[1], flush=True)
end = time.time() + 40
while not os.path.exists(go) and time.time() < end:
    time.sleep(0.05)
s.sendto(b"hello prompt", ("127.0.0.1", port))
while time.time() < end:
    try:
        d, a = s.recvfrom(70000)
    except socket.timeout:
        continue
    with open(out, "a") as f:
        f.write("%s %d\n" % (d.hex() or "-", a[1]))
'

# Session 1: the prompt before and after a sender, typing, -e, ^C, ^D.
start s1 --interactive -e 127.0.0.1:0
t_check "the prompt says no sender is known yet" wait_screen s1 "(no sender yet)>"
LP=$(listen_port s1)
t_check "listen reports its port on the terminal" test -n "$LP"
t_bg peer timeout 45 python3 -c "$PEER" "${LP:-9}" "$T_TMP/go" "$T_TMP/got"
t_wait_for "$T_TMP/peer.out" '^[0-9]+$' 100 || true
PP=$(head -n 1 "$T_TMP/peer.out")
t_check "the peer started" test -n "$PP"
NOBODY="(no sender yet)> "
PROMPT="127.0.0.1:$PP> "
BARE="127.0.0.1:$PP>"

keys s1 -l 'half typed'
if [ "$EDIT" -eq 1 ]; then
	keys s1 Left Left
	t_check "the line is typed" wait_last s1 "${NOBODY}half typed"
fi
: >"$T_TMP/go"
t_check "the datagram is shown while the line is half typed" wait_screen s1 ": hello prompt"
t_check "the datagram line names sender, local address and size" \
    sh -c 'printf "%s\n" "$1" | grep -Eq "^[0-9:.]+ 127\.0\.0\.1:$2 > 127\.0\.0\.1:$3 12 bytes: hello prompt$"' \
    sh "$(screen s1)" "$PP" "$LP"
if [ "$EDIT" -eq 1 ]; then
	t_check "the prompt now names the sender, the half-typed line intact" \
	    wait_last s1 "${PROMPT}half typed"
	row=$(screen s1 | grep -Fn -- "${PROMPT}half typed" | tail -n 1 | cut -d: -f1)
	want="$((${#PROMPT} + 8)),$((row - 1))"
	got=$(tm display -p -t s1 '#{cursor_x},#{cursor_y}')
	t_check "the cursor stayed where it was ($got, want $want)" test "$got" = "$want"
	keys s1 -l '\x41'
	keys s1 Enter
	t_check "editing went on at the cursor; the line went back, -e decoded" \
	    wait_got "$(hex 'half typAed')"
else
	t_check "the prompt now names the sender" wait_screen s1 "$BARE"
	for d in "the half-typed line is intact" "the cursor stayed"; do
		t_skip "$d" "$NOEDIT"
	done
	keys s1 -l ' \x41'
	keys s1 Enter
	t_check "the line went back to the sender, -e decoded" \
	    wait_got "$(hex 'half typed A')"
fi
t_check "the answer left from the listening port" \
    sh -c 'tail -n 1 "$1" | grep -q " $2$"' sh "$T_TMP/got" "$LP"

keys s1 -l 'bad \q'
keys s1 Enter
t_check "a bad line names the line and the position" \
    wait_screen s1 "line 2: invalid payload: invalid escape '\\q' at position 5 (not sent)"
t_check "the prompt goes on after a bad line" wait_last s1 "$BARE"

# Plain line reading gets ^C's discarding from the terminal itself.
keys s1 -l junk
t_check "a line is being typed" wait_last s1 "${PROMPT}junk"
LPID=$(pgrep -P "$(tm display -p -t s1 '#{pane_pid}')" | head -n 1 || true)
if [ -n "$LPID" ]; then
	kill -USR1 "$LPID"
	t_check "SIGUSR1 prints the summary at the prompt" wait_screen s1 "summary: 1 datagrams (12 bytes)"
	if [ "$EDIT" -eq 1 ]; then
		t_check "the half-typed line is intact below the summary" wait_last s1 "${PROMPT}junk"
	else
		t_skip "the half-typed line is intact below the summary" "$NOEDIT"
	fi
else
	t_fail "the listen process under the terminal was found"
fi
keys s1 C-c
t_check "^C starts a fresh line" wait_last s1 "$BARE"
keys s1 -l 'after\tC'
keys s1 Enter
t_check "the next line is sent" wait_got "$(hex 'after	C')"
t_check "^C discarded the typed text" \
    sh -c '! grep -q "^$2" "$1"' sh "$T_TMP/got" "$(hex junk)"
keys s1 C-d
t_check "^D leaves with status 0" wait_screen s1 "EXIT=0"
t_check "^D prints the summary with the lines sent and rejected" \
    sh -c 'printf "%s\n" "$1" | grep -q "summary: 1 datagrams (12 bytes) from 1 senders, 0 truncated, 2 sent, 0 send errors, 1 invalid lines$"' \
    sh "$(tm capture-pane -p -J -t s1)"

# History: its own file, private, recalled after a restart.
HIST="$STATE/udptool/listen-history"
if [ "$EDIT" -eq 1 ]; then
	t_check "the history file exists" test -f "$HIST"
	t_check "the history file is private (0600)" test "$(stat -c %a "$HIST")" = 600
	t_check "send's history file is left alone" test ! -e "$STATE/udptool/history"
	start s2 --interactive --to "127.0.0.1:$PP" 127.0.0.1:0
	t_check "--to: the prompt names the target at once" wait_last s2 "$BARE"
	keys s2 Up
	t_check "Up recalls the last line of the previous run" wait_last s2 "${PROMPT}after\\tC"
	keys s2 Up
	t_check "Up again goes further back" wait_last s2 "${PROMPT}bad \\q"
	keys s2 Down Enter
	t_check "the recalled line is sent (to --to, as text)" wait_got "$(hex 'after\tC')"
	keys s2 C-d
	t_check "the second run leaves on ^D" wait_screen s2 "EXIT=0"
else
	for d in "history file" "Up recalls history after a restart"; do
		t_skip "$d" "$NOEDIT"
	done
fi

# -w on the prompt: nothing arrives, status 1 with the summary.
start s3 --interactive -w 0.5 127.0.0.1:0
t_check "-w ends the prompt when nothing arrives (status 1)" wait_screen s3 "EXIT=1"
t_check "-w prints the summary" wait_screen s3 "summary: 0 datagrams"

t_done
