#!/bin/sh
# SPDX-License-Identifier: ISC
# listen --interactive through a real terminal (tmux): the prompt names the
# reply target, a datagram arriving while a line is half typed leaves the
# line and cursor intact, typed lines (with -e) go back to the sender, a bad
# line is reported and the prompt goes on, SIGUSR1 prints the summary above
# the line, ^C discards the line, history survives a restart, -w ends it,
# ^D leaves with the summary, the slash commands act on the wire (two
# peers and a sink that never reads), and a change of reply target is
# announced (with --lock: other senders marked, never answered).  Without
# libedit only what plain line reading promises is checked; the rest is
# skipped.
# memcheck: skip (terminal timing through tmux)
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
	t_until 10 0.1 t_has_word "$T_TMP/got" "$1"
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
	t_check "SIGUSR1 prints the summary at the prompt" wait_screen s1 "summary: 1 datagram (12 bytes)"
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
    sh -c 'printf "%s\n" "$1" | grep -q "summary: 1 datagram (12 bytes) from 1 sender, 0 truncated, 2 sent, 0 send errors, 1 invalid line$"' \
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

# Session 4: the prompt commands, checked on the wire.  listen binds the
# dual-stack [::] here, so /ttl and /tos must reach IPv4 peers too.
RECORD="$TOP_SRCDIR/tests/cli/send-peer.py"
t_server peerb python3 "$RECORD" --mode record || true
BP=$T_PORT
start_sink
CP=$SINK_PORT
t_check "the second peer and the sink started" test "$BP" -gt 0 -a -n "$CP"

# wait_in FILE HEX: waits (at most 10 s) until FILE has a line starting HEX.
wait_in() {
	t_until 10 0.1 t_has_word "$1" "$2"
}

# wait_joined SESSION TEXT: wait_screen for TEXT longer than a screen line.
wait_joined() {
	t_until 10 0.1 joined_has "$1" "$2"
}

# joined_has SESSION TEXT: TEXT is on the screen, wrapped lines joined.
joined_has() {
	tm capture-pane -p -J -t "$1" | grep -Fq -- "$2"
}

# count_in FILE HEX: how many lines of FILE start with HEX.
count_in() {
	cut -d' ' -f1 "$1" 2>/dev/null | grep -cx -- "$2" || true
}

# cmd SESSION LINE: types LINE and Enter.
cmd() {
	keys "$1" -l "$2"
	keys "$1" Enter
}

A="$T_TMP/gotA"
B="$T_TMP/peerb.out"
start s4 --interactive 0
t_check "commands: the prompt starts" wait_screen s4 "(no sender yet)>"
LP4=$(screen s4 | sed -n 's/.*listening on .*:\([0-9][0-9]*\)$/\1/p' | head -n 1)
cmd s4 /to
t_check "/to with nobody known says so" \
    wait_screen s4 "sending to the most recent sender (none yet)"
cmd s4 '/hex 41'
t_check "a command with nobody to answer is refused" \
    wait_screen s4 "no sender yet to answer: not sent (or name a peer with /to HOST:PORT)"
t_bg peera timeout 45 python3 -c "$PEER" "${LP4:-9}" "$T_TMP/go4" "$A"
t_wait_for "$T_TMP/peera.out" '^[0-9]+$' 100 || true
AP=$(head -n 1 "$T_TMP/peera.out")
: >"$T_TMP/go4"
APROMPT="127.0.0.1:$AP>"
t_check "the prompt names peer A" wait_last s4 "$APROMPT"

if [ "$EDIT" -eq 1 ]; then
	keys s4 -l /rep
	keys s4 Tab
	keys s4 -l 2
	t_check "Tab completes a prompt command" wait_last s4 "$APROMPT /repeat 2"
	keys s4 C-u
else
	t_skip "Tab completes a prompt command" "$NOEDIT"
fi

cmd s4 '/hex 00 ff:10 41'
t_check "/hex sends exactly the bytes" wait_in "$A" 00ff1041
printf 'line one\nline\000two' >"$T_TMP/file.bin"
cmd s4 "/file $T_TMP/file.bin"
t_check "/file sends the file, newline and NUL included" \
    wait_in "$A" 6c696e65206f6e650a6c696e650074776f
cmd s4 "/file $T_TMP/missing"
t_check "/file names the path it cannot read" \
    wait_screen s4 "udptool: listen: $T_TMP/missing: No such file or directory (not sent)"
cmd s4 '/repeat 3 rr'
cmd s4 //x
t_check "//x sends \"/x\"" wait_in "$A" 2f78
t_check "/repeat 3 sent three datagrams (got $(count_in "$A" 7272))" \
    test "$(count_in "$A" 7272)" -eq 3

cmd s4 "/to 127.0.0.1:$BP"
t_check "/to names the new target" wait_screen s4 "sending to 127.0.0.1:$BP"
t_check "the prompt names the new target" wait_last s4 "127.0.0.1:$BP>"
cmd s4 '/ttl 7'
t_check "/ttl 7 is confirmed" wait_screen s4 "udptool: listen: ttl 7"
cmd s4 '/tos 32'
t_check "/tos 32 is confirmed" wait_screen s4 "udptool: listen: tos 32"
cmd s4 tob
t_check "after /to, peer B receives the line" wait_in "$B" "$(hex tob)"
t_check "peer B saw TTL 7 and TOS 32 (mapped IPv4 from [::])" \
    grep -q "^$(hex tob) $LP4 7 32$" "$B"
t_check "peer A did not receive it" test "$(count_in "$A" "$(hex tob)")" -eq 0
cmd s4 /ttl
t_check "/ttl alone shows the TTL" wait_last s4 "127.0.0.1:$BP>"
t_check "/ttl alone printed it" sh -c \
    '[ "$(printf "%s\n" "$1" | grep -c "^udptool: listen: ttl 7$")" -eq 2 ]' sh "$(screen s4)"
cmd s4 /to
# The answer is the second such line: wait for it (bounded) before looking.
answered_twice() {
	[ "$(tm capture-pane -p -J -S - -t s4 |
	    grep -c "^udptool: listen: sending to 127.0.0.1:$BP$")" -ge 2 ]
}
t_until 10 0.1 answered_twice || true
t_check "/to alone shows the fixed target" sh -c \
    '[ "$(printf "%s\n" "$1" | grep -c "^udptool: listen: sending to 127.0.0.1:$2$")" -ge 2 ]' \
    sh "$(tm capture-pane -p -J -S - -t s4)" "$BP"
cmd s4 '/to 127.0.0.1:99999'
t_check "a bad /to address is one error" wait_screen s4 "invalid port '99999'"
t_check "the target stays after a bad /to" wait_last s4 "127.0.0.1:$BP>"
cmd s4 '/to -'
t_check "/to - goes back to the most recent sender" \
    wait_screen s4 "sending to the most recent sender (now 127.0.0.1:$AP)"
t_check "the prompt names peer A again" wait_last s4 "$APROMPT"
cmd s4 back
t_check "after /to -, peer A receives the line" wait_in "$A" "$(hex back)"
t_check "peer B did not receive it" test "$(count_in "$B" "$(hex back)")" -eq 0

cmd s4 /nonsense
t_check "an unknown command is named" wait_screen s4 "unknown command '/nonsense'"
t_check "the prompt goes on after an unknown command" wait_last s4 "$APROMPT"
t_check "an unknown command prints one line" sh -c \
    'printf "%s\n" "$1" | grep -A2 "> /nonsense$" | sed -n 2,3p | tr "\n" "|" |
	grep -qx "udptool: listen: unknown command .*|$2|"' \
    sh "$(screen s4)" "$APROMPT"
cmd s4 /wait
t_check "/wait says it belongs to send" wait_screen s4 "/wait belongs to send (use -w"
cmd s4 /stats
t_check "/stats prints the summary so far" wait_joined s4 \
    "summary: 1 datagram (12 bytes) from 1 sender, 0 truncated, 8 sent, 1 send error, 0 invalid lines"
t_check "/stats does not stop listen" wait_last s4 "$APROMPT"
cmd s4 /help
t_check "/help lists the commands" wait_screen s4 "/to -             answer the most recent sender again"

# A long /repeat runs in batches: the prompt takes typing, ^C stops it.
cmd s4 "/to 127.0.0.1:$CP"
t_check "/to the sink" wait_last s4 "127.0.0.1:$CP>"
cmd s4 '/repeat 1000000 a long run of datagrams to a socket that never reads'
t_check "the /repeat is running" t_wait_for "$T_TMP/sink.out" '^first$' 100
keys s4 -l typed
# Batches that print nothing leave the line alone, so what was typed stays
# on the screen in both builds.
t_check "the prompt takes typing while /repeat runs" \
    wait_last s4 "127.0.0.1:$CP> typed"
keys s4 C-c
t_check "^C stops the /repeat" wait_screen s4 "/repeat stopped by ^C: "
t_check "it stopped short of 1000000" sh -c \
    'n=$(printf "%s\n" "$1" | sed -n "s/.*stopped by ^C: \([0-9]*\) of 1000000 sent$/\1/p");
	[ -n "$n" ] && [ "$n" -lt 1000000 ]' sh "$(screen s4)"
t_check "the prompt goes on after ^C" wait_last s4 "127.0.0.1:$CP>"
cmd s4 /q
t_check "/q leaves with status 0" wait_screen s4 "EXIT=0"

# From a pipe every line is data, commands included, as nc sends them.
printf '/hex 41\n//x\n' >"$T_TMP/lines"
timeout 20 "$UDPTOOL" listen --to "127.0.0.1:$BP" -w 1 127.0.0.1:0 \
    <"$T_TMP/lines" >/dev/null 2>&1 || true
t_check "piped: a /command line is sent as it is" wait_in "$B" "$(hex '/hex 41')"
t_check "piped: // is not collapsed" wait_in "$B" "$(hex '//x')"

# A change of reply target is said above the prompt and the prompt follows;
# with --lock the first sender stays the target and others are marked.
# peer_go NAME SESSION: starts a PEER sending to SESSION's port; sets PP.
peer_go() {
	t_bg "$1" timeout 45 python3 -c "$PEER" "$(listen_port "$2")" \
	    "$T_TMP/go-$1" "$T_TMP/got-$1"
	PEER_PIDS="${PEER_PIDS:-} $T_PID"
	t_wait_for "$T_TMP/$1.out" '^[0-9]+$' 100 || true
	PP=$(head -n 1 "$T_TMP/$1.out")
	: >"$T_TMP/go-$1"
}
for lock in "" --lock; do
	start s5 --interactive $lock 127.0.0.1:0
	wait_screen s5 "(no sender yet)>" || true
	peer_go p1 s5
	P1=$PP
	t_check "${lock:-last}: the first sender is announced" \
	    wait_screen s5 "lines now go to 127.0.0.1:$P1 ("
	t_check "${lock:-last}: the prompt names it" wait_last s5 "127.0.0.1:$P1>"
	peer_go p2 s5
	P2=$PP
	t_check "${lock:-last}: the second sender's datagram is shown" \
	    wait_screen s5 "127.0.0.1:$P2 > "
	if [ -z "$lock" ]; then
		t_check "last: a second sender is announced" \
		    wait_screen s5 "lines now go to 127.0.0.1:$P2 (the most recent sender)"
		t_check "last: the prompt names the second sender" wait_last s5 "127.0.0.1:$P2>"
	else
		t_check "--lock: the other sender is marked" \
		    wait_screen s5 "127.0.0.1:$P2 is not the locked peer: shown, never answered"
		t_check "--lock: the prompt still names the first" wait_last s5 "127.0.0.1:$P1>"
		cmd s5 locked-line
		t_check "--lock: a typed line goes to the first sender" \
		    wait_in "$T_TMP/got-p1" "$(hex locked-line)"
		cmd s5 "/to 127.0.0.1:$P2"
		cmd s5 explicit
		t_check "--lock: /to still overrides" wait_in "$T_TMP/got-p2" "$(hex explicit)"
		t_check "--lock: the second sender got only that" \
		    test "$(wc -l <"$T_TMP/got-p2")" -eq 1
	fi
	cmd s5 /q
	wait_screen s5 "EXIT=" || true
	tm kill-session -t s5 2>/dev/null || true
	# The next round's peers must not meet this round's.
	for p in $PEER_PIDS; do
		t_stop "$p"
	done
	PEER_PIDS=""
	rm -f "$T_TMP/go-p1" "$T_TMP/go-p2" "$T_TMP/got-p1" "$T_TMP/got-p2"
done

# -w on the prompt: nothing arrives, status 1 with the summary.
start s3 --interactive -w 0.5 127.0.0.1:0
t_check "-w ends the prompt when nothing arrives (status 1)" wait_screen s3 "EXIT=1"
t_check "-w prints the summary" wait_screen s3 "summary: 0 datagrams"

t_done
