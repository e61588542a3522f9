#!/bin/sh
# SPDX-License-Identifier: ISC
# The interactive prompt through a real terminal (tmux): a reply arriving
# while a line is half typed leaves the line and cursor intact, history
# survives a restart, Tab completes, ^C discards the line, ^D leaves with a
# summary, and the prompt commands work.  Without libedit only what plain
# line reading promises is checked; the rest is skipped.
# memcheck: skip (terminal timing through tmux)
set -eu
. "$(dirname "$0")/lib.sh"
t_need python3 tmux

PEER="$TOP_SRCDIR/tests/cli/send-peer.py"
EDIT=0
"$UDPTOOL" --version | grep -qx 'prompt: libedit' && EDIT=1

. "$(dirname "$0")/termlib.sh"

t_server late python3 "$PEER" --mode late --delay 1.5 ||
    t_skip_all "the python3 peer did not start"
LP=$T_PORT
t_server echo python3 "$PEER" --mode echo || t_skip_all "the python3 peer did not start"
EP=$T_PORT
STATE="$T_TMP/state"

# start SESSION PORT [STATE [WIDTH]]: runs send to PORT in a new 100x40
# terminal.
start() {
	tm new-session -d -s "$1" -x "${4:-100}" -y 40 \
	    "env XDG_STATE_HOME='${3:-$STATE}' NO_COLOR=1 '$UDPTOOL' send 127.0.0.1:$2; echo EXIT=\$?; sleep 60"
}

# wait_peer NAME HEX: waits (at most 10 s) until peer NAME recorded HEX.
wait_peer() {
	t_until 10 0.1 t_has_word "$T_TMP/$1.out" "$2"
}

hex() {
	printf '%s' "$1" | od -An -tx1 | tr -d ' \n'
}

keys() {
	tm send-keys -t "$@"
}

# capture-pane drops trailing spaces: a bare prompt shows as "...>".
PROMPT="127.0.0.1:$LP> "
BARE="127.0.0.1:$LP>"

# Session 1: typing, live replies, Tab, ^C, ^D.
start s1 "$LP"
t_check "the prompt names the peer" wait_screen s1 "$BARE"
keys s1 -l first
keys s1 Enter
t_check "a line is sent as one datagram" wait_peer late "$(hex first)"
keys s1 -l 'half typed'
if [ "$EDIT" -eq 1 ]; then
	keys s1 Left Left
	t_check "the line is typed" wait_last s1 "${PROMPT}half typed"
	t_check "the reply arrives while the line is half typed" wait_screen s1 "late:first"
	t_check "the reply line has sender, size and RTT" \
	    sh -c 'printf "%s\n" "$1" | grep -Eq "^127\.0\.0\.1:$2 10 bytes time=1[0-9]{3}\.[0-9]{3} ms: late:first$"' \
	    sh "$(screen s1)" "$LP"
	t_check "the half-typed line is intact below the reply" test "$(last s1)" = "${PROMPT}half typed"
	row=$(screen s1 | grep -Fn -- "${PROMPT}half typed" | tail -n 1 | cut -d: -f1)
	want="$((${#PROMPT} + 8)),$((row - 1))"
	got=$(tm display -p -t s1 '#{cursor_x},#{cursor_y}')
	t_check "the cursor stayed where it was ($got, want $want)" test "$got" = "$want"
	keys s1 -l X
	keys s1 Enter
	t_check "editing continued at the cursor" wait_peer late "$(hex 'half typXed')"
	t_check "its reply is shown" wait_screen s1 "late:half typXed"

	keys s1 -l /sta
	keys s1 Tab
	keys s1 -l x
	t_check "Tab completes a prompt command" wait_last s1 "${PROMPT}/stats x"
	keys s1 BSpace Enter
	t_check "/stats shows the counters" wait_screen s1 "--- 127.0.0.1:$LP: 2 sent"

	keys s1 -l junk
	t_check "a line is being typed" wait_last s1 "${PROMPT}junk"
	keys s1 C-c
	t_check "^C starts a fresh line" wait_last s1 "$BARE"
	keys s1 -l after
	keys s1 Enter
	t_check "the line after ^C is sent" wait_peer late "$(hex after)"
	t_check "^C discarded the typed text" \
	    sh -c '! cut -d" " -f1 "$1" | grep -q "^$2"' sh "$T_TMP/late.out" "$(hex junk)"
else
	t_check "the reply is printed" wait_screen s1 "late:first"
	# The terminal holds the typed text; ^U (its kill character) drops it,
	# else ^D would only hand over the partial line.
	keys s1 C-u
	for d in "the half-typed line is intact" "the cursor stayed" "Tab completes" \
	    "^C discards the line"; do
		t_skip "$d" "built without libedit (prompt: plain line reading)"
	done
fi
HINT="(^D or /quit leaves; ^C discards the line)"
if [ "$EDIT" -eq 1 ]; then
	t_check "^C on a typed line gives no hint" \
	    sh -c '! printf "%s\n" "$1" | grep -Fq -- "$2"' sh "$(screen s1)" "$HINT"
fi
keys s1 C-c
t_check "^C at an empty prompt says how to leave" wait_screen s1 "$HINT"
t_check "the prompt is back after the hint" wait_last s1 "$BARE"
keys s1 C-c
keys s1 -l z
t_check "a second ^C starts a fresh line" wait_last s1 "${PROMPT}z"
keys s1 C-u
t_check "the hint is shown once" test "$(screen s1 | grep -cF -- "$HINT")" -eq 1
keys s1 C-d
t_check "^D leaves" wait_screen s1 "EXIT="
t_check "^D exits 0 after replies" wait_screen s1 "EXIT=0"
t_check "^D prints the summary" wait_screen s1 "--- 127.0.0.1:$LP: "

# hsession NAME DIR: starts send with XDG_STATE_HOME=DIR and waits for it.
hsession() {
	# Wide: a warning naming a long path stays on one line.
	start "$1" "$LP" "$2" 200
	wait_screen "$1" "$BARE"
}

# hline NAME TEXT: types TEXT at session NAME and waits until the peer has it.
hline() {
	keys "$1" -l "$2"
	keys "$1" Enter
	wait_peer late "$(hex "$2")"
}

# hquit NAME: leaves session NAME with ^D and waits for it to end.
hquit() {
	keys "$1" C-d
	wait_screen "$1" "EXIT="
}

# The history file is opened only if it is the user's own regular file in
# a directory nobody else can write; otherwise one warning and no history.
history_files() {
	# A file written by libedit's H_SAVE (vis(3) escapes) still loads.
	d=$T_TMP/h-old
	mkdir -p "$d/udptool"
	chmod 700 "$d/udptool"
	printf '_HiStOrY_V2_\nolder\nold\\040line\\134x\\^A\n' >"$d/udptool/history"
	t_check "old format: the prompt starts" hsession h1 "$d"
	keys h1 Up
	t_check "old format: Up shows the decoded line" wait_last h1 "${PROMPT}old line\\x^A"
	keys h1 C-u
	t_check "old format: the session ends" hquit h1

	# A symbolic link named history: not followed, neither read nor written.
	d=$T_TMP/h-link
	mkdir -p "$d/udptool"
	chmod 700 "$d/udptool"
	printf 'precious\n' >"$T_TMP/target"
	ln -s "$T_TMP/target" "$d/udptool/history"
	t_check "symlink: the prompt starts" hsession h2 "$d"
	t_check "symlink: one warning names the file" \
	    wait_screen h2 "not using history '$d/udptool/history': a symbolic link"
	t_check "symlink: a line is still sent" hline h2 "via link"
	t_check "symlink: the session ends" hquit h2
	t_check "symlink: the target is untouched" test "$(cat "$T_TMP/target")" = precious
	t_check "symlink: the link is still a link" test -L "$d/udptool/history"
	t_check "symlink: the warning came once" \
	    test "$(screen h2 | grep -c 'history')" -eq 1

	# A FIFO: no hang (O_NONBLOCK), refused by the fstat check.
	d=$T_TMP/h-fifo
	mkdir -p "$d/udptool"
	chmod 700 "$d/udptool"
	mkfifo "$d/udptool/history"
	t_check "FIFO: the prompt starts, no hang" hsession h3 "$d"
	t_check "FIFO: refused as not a regular file" \
	    wait_screen h3 "not using history '$d/udptool/history': not a regular file"
	t_check "FIFO: a line is still sent" hline h3 "via fifo"
	t_check "FIFO: the session ends" hquit h3
	t_check "FIFO: still a FIFO" test -p "$d/udptool/history"

	# Another user's file: refused, left as it was.
	d=$T_TMP/h-owner
	mkdir -p "$d/udptool"
	chmod 700 "$d/udptool"
	printf '_HiStOrY_V2_\ntheirs\n' >"$d/udptool/history"
	chown nobody "$d/udptool/history"
	t_check "another user's file: the prompt starts" hsession h4 "$d"
	t_check "another user's file: refused" \
	    wait_screen h4 "not using history '$d/udptool/history': owned by another user"
	keys h4 Up
	t_check "another user's file: not loaded" wait_last h4 "$BARE"
	t_check "another user's file: a line is still sent" hline h4 "not theirs"
	t_check "another user's file: the session ends" hquit h4
	t_check "another user's file: unchanged" \
	    test "$(stat -c %U "$d/udptool/history"):$(tail -n 1 "$d/udptool/history")" = nobody:theirs

	# A directory others can write: refused, nothing created there.
	d=$T_TMP/h-dir
	mkdir -p "$d/udptool"
	chmod 777 "$d/udptool"
	t_check "mode 0777 directory: the prompt starts" hsession h5 "$d"
	t_check "mode 0777 directory: refused" wait_screen h5 \
	    "not using history '$d/udptool/history': its directory is writable by group or others"
	t_check "mode 0777 directory: a line is still sent" hline h5 "no dir"
	t_check "mode 0777 directory: the session ends" hquit h5
	t_check "mode 0777 directory: no file written" test ! -e "$d/udptool/history"

	# A 200 MB file with one 200 MB line: only the last MiB is read, the
	# long line is skipped, memory stays small.
	d=$T_TMP/h-big
	mkdir -p "$d/udptool"
	chmod 700 "$d/udptool"
	printf '_HiStOrY_V2_\n' >"$d/udptool/history"
	truncate -s 200M "$d/udptool/history"
	printf '\nrecent\n' >>"$d/udptool/history"
	t_check "200 MB line: the prompt starts" hsession h6 "$d"
	pid=$(pgrep -P "$(tm display -p -t h6 '#{pane_pid}')" udptool || true)
	hwm=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB$/\1/p' "/proc/$pid/status" 2>/dev/null || true)
	t_check "200 MB line: peak memory ${hwm:-?} kB < 20 MB" \
	    test -n "$hwm" -a "${hwm:-99999}" -lt 20480
	keys h6 Up
	t_check "200 MB line: the line after it is loaded" wait_last h6 "${PROMPT}recent"
	keys h6 Up
	t_check "200 MB line: the long line is not" wait_last h6 "${PROMPT}recent"
	keys h6 C-u
	t_check "200 MB line: a line is still sent" hline h6 "after big"
	t_check "200 MB line: the session ends" hquit h6
	t_check "200 MB line: the file is rewritten small" \
	    test "$(stat -c %s "$d/udptool/history")" -lt 100
}

# History: kept across runs, private.
HIST="$STATE/udptool/history"
if [ "$EDIT" -eq 1 ]; then
	t_check "the history file exists" test -f "$HIST"
	t_check "the history file is private (0600)" test "$(stat -c %a "$HIST")" = 600
	t_check "its directory is private (0700)" test "$(stat -c %a "$STATE/udptool")" = 700
	start s2 "$LP"
	t_check "a second run starts" wait_screen s2 "$BARE"
	ino=$(stat -c %i "$HIST")
	keys s2 Up
	t_check "Up recalls the last line of the previous run" wait_last s2 "${PROMPT}after"
	keys s2 Up
	t_check "Up again goes further back" wait_last s2 "${PROMPT}/stats"
	keys s2 Down Enter
	# The peer writes what it gets: wait (bounded) for the second copy.
	t_until 10 0.1 sh -c '[ "$(cut -d" " -f1 "$1" | grep -cx "$2")" -ge 2 ]' \
	    sh "$T_TMP/late.out" "$(hex after)" || true
	t_check "the recalled line is sent" sh -c \
	    '[ "$(cut -d" " -f1 "$1" | grep -cx "$2")" -ge 2 ]' sh "$T_TMP/late.out" "$(hex after)"
	keys s2 C-d
	t_check "the second run leaves on ^D" wait_screen s2 "EXIT="
	t_check "the history is written anew and renamed (inode $ino changed)" \
	    test "$(stat -c %i "$HIST")" != "$ino"
	t_check "the new history file is private (0600)" test "$(stat -c %a "$HIST")" = 600
	t_check "no temporary file is left" \
	    test "$(find "$STATE/udptool" -name '.history.*' | wc -l)" -eq 0
	history_files
else
	for d in "history file" "Up recalls history after a restart"; do
		t_skip "$d" "built without libedit (prompt: plain line reading)"
	done
fi

# Prompt commands (both builds).
EPROMPT="127.0.0.1:$EP>"
start s3 "$EP"
t_check "the command session starts" wait_screen s3 "$EPROMPT"
keys s3 -l /help
keys s3 Enter
t_check "/help lists the commands" wait_screen s3 "/repeat N TEXT"
keys s3 -l '/hex 41:42 43'
keys s3 Enter
t_check "/hex sends bytes" wait_peer echo 414243
keys s3 -l '//slash'
keys s3 Enter
t_check "// sends a line starting with one slash" wait_peer echo "$(hex /slash)"
printf 'from a file\n' >"$T_TMP/msg"
keys s3 -l "/file $T_TMP/msg"
keys s3 Enter
t_check "/file sends the file" wait_peer echo "$(hex 'from a file
')"
keys s3 -l '/repeat 3 rep'
keys s3 Enter
t_until 10 0.1 sh -c '[ "$(cut -d" " -f1 "$1" | grep -cx "$2")" -ge 3 ]' \
    sh "$T_TMP/echo.out" "$(hex rep)" || true
t_check "/repeat sends N datagrams" sh -c \
    '[ "$(cut -d" " -f1 "$1" | grep -cx "$2")" -eq 3 ]' sh "$T_TMP/echo.out" "$(hex rep)"
# A long /repeat runs from the prompt's timer: ^C stops it, the prompt goes on.
start_sink
CP=$SINK_PORT
keys s3 -l "/to 127.0.0.1:$CP"
keys s3 Enter
t_check "/to the sink" wait_last s3 "127.0.0.1:$CP>"
keys s3 -l '/repeat 1000000 a long run of datagrams to a socket that never reads'
keys s3 Enter
t_check "the /repeat is running" t_wait_for "$T_TMP/sink.out" '^first$' 100
keys s3 C-c
t_check "^C stops the /repeat" wait_screen s3 "/repeat stopped by ^C: "
t_check "it stopped short of 1000000" sh -c \
    'n=$(printf "%s\n" "$1" | sed -n "s/.*stopped by ^C: \([0-9]*\) of 1000000 sent$/\1/p");
	[ -n "$n" ] && [ "$n" -lt 1000000 ]' sh "$(screen s3)"
keys s3 -l "/to 127.0.0.1:$EP"
keys s3 Enter
t_check "the prompt goes on after ^C" wait_last s3 "$EPROMPT"
keys s3 -l '/ttl 5'
keys s3 Enter
t_check "/ttl sets the TTL" wait_screen s3 "ttl 5"
keys s3 -l ttlcheck
keys s3 Enter
t_check "the next datagram carries TTL 5" \
    t_until 10 0.1 t_has "$T_TMP/echo.out" "^$(hex ttlcheck) [0-9]* 5 "
keys s3 -l '/hex abc'
keys s3 Enter
t_check "a bad payload is reported, the prompt goes on" \
    wait_screen s3 "invalid payload: odd number of hex digits: 'c' at position 3 has no pair"
keys s3 -l /nonsense
keys s3 Enter
t_check "an unknown command is named" wait_screen s3 "unknown command '/nonsense'"
keys s3 -l "/to 127.0.0.1:$LP"
keys s3 Enter
t_check "/to switches the peer" wait_screen s3 "sending to 127.0.0.1:$LP"
keys s3 -l switched
keys s3 Enter
t_check "after /to lines go to the new peer" wait_peer late "$(hex switched)"
keys s3 -l /quit
keys s3 Enter
t_check "/quit leaves" wait_screen s3 "EXIT=0"

# The textbook client: prompt for one line, print the reply, exit.
tm new-session -d -s s4 -x 100 -y 40 \
    "env XDG_STATE_HOME='$STATE' NO_COLOR=1 '$UDPTOOL' send --replies 1 127.0.0.1:$EP; echo EXIT=\$?; sleep 60"
t_check "--replies 1: the prompt appears" wait_screen s4 "$EPROMPT"
keys s4 -l 'one line'
keys s4 Enter
t_check "--replies 1: the reply is printed" wait_screen s4 "127.0.0.1:$EP 8 bytes time="
t_check "--replies 1: it exits 0 after the reply" wait_screen s4 "EXIT=0"
t_check "--replies 1: the summary counts one reply" wait_screen s4 "1 sent (8 bytes), 1 reply"

# ^D with replies still owed: the wait at exit.
t_server silent python3 "$PEER" --mode record || t_skip_all "the python3 peer did not start"
SP=$T_PORT
# sess NAME PORT OPTIONS: send OPTIONS to PORT in a 250-column terminal.
sess() {
	tm new-session -d -s "$1" -x 250 -y 40 \
	    "env XDG_STATE_HOME='$STATE' NO_COLOR=1 '$UDPTOOL' send $3 127.0.0.1:$2; echo EXIT=\$?; sleep 60"
	wait_screen "$1" "127.0.0.1:$2>"
}
t_check "-w 5: the prompt starts" sess w1 "$LP" "-w 5"
keys w1 -l owed
keys w1 Enter
t_check "-w 5: the line is sent" wait_peer late "$(hex owed)"
keys w1 C-d
t_check "^D with a reply owed says it waits" wait_screen w1 "waiting up to "
t_check "the late reply is printed after ^D" wait_screen w1 "late:owed"
t_check "it then leaves, exit 0" wait_screen w1 "EXIT=0"
t_check "the reply counts, nothing timed out" \
    wait_screen w1 "1 sent (4 bytes), 1 reply, 0 refused, 0 timed out, rtt"
t_check "it left once the reply came, not after -w" \
    sh -c '! printf "%s\n" "$1" | grep -q unanswered' sh "$(screen w1)"

t_check "silent peer: the prompt starts" sess w2 "$SP" "-w 1"
keys w2 -l early
keys w2 Enter
t_check "silent peer: the first line is sent" wait_peer silent "$(hex early)"
sleep 1.5
keys w2 -l late
keys w2 Enter
t_check "silent peer: the second line is sent" wait_peer silent "$(hex late)"
keys w2 C-d
t_check "silent peer: it leaves when -w runs out" wait_screen w2 "EXIT=1"
t_check "timed out during the session, unanswered at exit" \
    wait_screen w2 "2 sent (9 bytes), 0 replies, 0 refused, 1 timed out, 1 unanswered"

t_check "-j: the prompt starts" sess w3 "$SP" "-j -w 1"
keys w3 -l json
keys w3 Enter
t_check "-j: the line is sent" wait_peer silent "$(hex json)"
keys w3 C-d
t_check "-j: the summary has unanswered" wait_screen w3 '"unanswered":1'

n=0
for k in C-d C-c; do
	n=$((n + 1))
	t_check "then $k: the prompt starts" sess "x$n" "$SP" "-w 30"
	keys "x$n" -l "line$n"
	keys "x$n" Enter
	t_check "then $k: the line is sent" wait_peer silent "$(hex "line$n")"
	keys "x$n" C-d
	t_check "then $k: the wait begins" wait_screen "x$n" "s for 1 reply still owed (^D again leaves now)"
	keys "x$n" "$k"
	t_check "then $k: leaves at once, not after 30 s" wait_screen "x$n" "EXIT=1"
	t_check "then $k: counted as unanswered" wait_screen "x$n" "0 timed out, 1 unanswered"
done

# After /to: one summary line per peer, replies and ICMP errors counted
# for the peer they concern.
CLOSED=$(python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
t_check "peers: the prompt starts" sess p1 "$EP" "-w 1"
keys p1 -l pa
keys p1 Enter
t_check "peers: the echo replies" wait_screen p1 "127.0.0.1:$EP 2 bytes"
keys p1 -l "/to 127.0.0.1:$SP"
keys p1 Enter
keys p1 -l pbb
keys p1 Enter
t_check "peers: the silent peer has its line" wait_peer silent "$(hex pbb)"
keys p1 -l "/to 127.0.0.1:$CLOSED"
keys p1 Enter
keys p1 -l pccc
keys p1 Enter
t_check "peers: the closed port refuses" wait_screen p1 "refused by"
keys p1 -l /stats
keys p1 Enter
t_check "/stats: a line for the echo peer" wait_screen p1 \
    "    127.0.0.1:$EP: 1 sent (2 bytes), 1 reply, 0 refused, 0 timed out, rtt min/avg/max"
t_check "/stats: a line for the silent peer" wait_screen p1 \
    "    127.0.0.1:$SP: 1 sent (3 bytes), 0 replies, 0 refused, 1 timed out"
t_check "/stats: a line for the closed port" wait_screen p1 \
    "    127.0.0.1:$CLOSED: 1 sent (4 bytes), 0 replies, 1 refused, 0 timed out"
t_check "/stats: the total line" wait_screen p1 \
    "--- all peers: 3 sent (9 bytes), 1 reply, 1 refused, 1 timed out, rtt min/avg/max"
keys p1 C-d
t_check "peers: the session ends" wait_screen p1 "EXIT=0"
t_check "peers: the final summary has them too" \
    test "$(screen p1 | grep -c "^    127.0.0.1:$CLOSED: 1 sent")" -eq 2

# jcheck SESSION PROGRAM: PROGRAM (python3) checks the summary object of a
# -j session, joined from its wrapped lines, history included.
jcheck() {
	tm capture-pane -p -J -S - -t "$1" | grep '"type":"summary"' | tail -n 1 >"$T_TMP/$1.json"
	python3 -c "$2" "$T_TMP/$1.json"
}
t_check "-j peers: the prompt starts" sess p2 "$EP" "-j -w 1"
keys p2 -l ja
keys p2 Enter
t_check "-j peers: the echo replies" wait_screen p2 '"type":"reply"'
keys p2 -l "/to 127.0.0.1:$CLOSED"
keys p2 Enter
keys p2 -l jbb
keys p2 Enter
t_check "-j peers: the closed port refuses" wait_screen p2 '"type":"refused"'
keys p2 C-d
t_check "-j peers: the session ends" wait_screen p2 "EXIT=0"
t_check "-j: the summary has a peers array with each peer's counters" jcheck p2 "
import json, sys
s = json.load(open(sys.argv[1]))
p = s['peers']
assert [x['address'] for x in p] == ['127.0.0.1:$EP', '127.0.0.1:$CLOSED'], p
assert (p[0]['sent'], p[0]['received'], p[0]['refused'], p[0]['timed_out']) == (1, 1, 0, 0), p[0]
assert 'rtt_avg_ms' in p[0] and 'rtt_avg_ms' not in p[1], p
assert (p[1]['sent'], p[1]['sent_bytes'], p[1]['received'], p[1]['refused']) == (1, 3, 0, 1), p[1]
assert (s['sent'], s['received'], s['refused']) == (2, 1, 1), s
"

# More peers than kept: the rest are summed into "other".  The 70 ports
# are BASE+1 to BASE+70, clear of the first peer's own (ephemeral) port.
BASE=40000
if [ "$SP" -gt "$BASE" ] && [ "$SP" -le $((BASE + 70)) ]; then
	BASE=41000
fi
t_check "70 peers: the prompt starts" sess p3 "$SP" "-j -w 0"
i=1
while [ "$i" -le 70 ]; do
	keys p3 -l "/to 127.0.0.1:$((BASE + i))"
	keys p3 Enter
	keys p3 -l "m$i"
	keys p3 Enter
	i=$((i + 1))
done
t_check "70 peers: the last /to is done" wait_screen p3 "127.0.0.1:$((BASE + 70))>"
keys p3 C-d
t_check "70 peers: the session ends" wait_screen p3 "EXIT="
t_check "70 peers: the bound is announced once" test "$(tm capture-pane -p -J -S - -t p3 |
    grep -cF 'more than 63 peers: the rest are counted together as "other"')" -eq 1
t_check "70 peers: 64 entries, the last one \"other\" with the rest" jcheck p3 "
import json, sys
s = json.load(open(sys.argv[1]))
p = s['peers']
assert len(p) == 64, len(p)
assert p[0]['address'] == '127.0.0.1:$SP' and p[0]['sent'] == 0, p[0]
assert p[1]['address'] == '127.0.0.1:$((BASE + 1))' and p[1]['sent'] == 1, p[1]
assert p[63]['address'] == 'other' and p[63]['sent'] == 8, p[63]
assert s['sent'] == 70 and sum(x['sent'] for x in p) == 70, s
"

# --crlf at the prompt: text lines end with CR LF, /hex sends its bytes alone.
t_check "--crlf: the prompt starts" sess c1 "$EP" "--crlf"
keys c1 -l crlf
keys c1 Enter
t_check "--crlf: a typed line ends with CR LF" wait_peer echo 63726c660d0a
keys c1 -l '/hex 7e7e'
keys c1 Enter
t_check "--crlf: /hex adds nothing" wait_peer echo 7e7e
keys c1 C-d
t_check "--crlf: the session ends" wait_screen c1 "EXIT=0"

t_done
