#!/bin/sh
# SPDX-License-Identifier: ISC
# send in argument mode against python3 peers: replies in every output
# format, payload syntax, pacing, --expect, refusals, silence, source
# binding, --any-source, the broadcast hint and bad input.
set -eu
. "$(dirname "$0")/lib.sh"
t_need python3

PEER="$TOP_SRCDIR/tests/cli/send-peer.py"

# peer NAME MODE [ARGS...]: starts a peer; sets $T_PORT and $PEER_PID.
peer() {
	name=$1
	mode=$2
	shift 2
	t_server "$name" python3 "$PEER" --mode "$mode" "$@" ||
	    t_skip_all "the python3 peer did not start"
	PEER_PID=$T_PID
}

# mark NAME: remembers how many datagrams peer NAME has recorded so far
# (the file is never truncated under the writing peer).
mark() {
	MARK=$(wc -l <"$T_TMP/$1.out")
}

# since NAME: the lines peer NAME recorded after the mark.
since() {
	tail -n +"$((MARK + 1))" "$T_TMP/$1.out"
}

# recorded NAME: the payloads (hex, one per line) received after the mark.
recorded() {
	since "$1" | cut -d' ' -f1
}

# wait_lines NAME N: waits (bounded) until peer NAME recorded N datagrams
# after the mark.
wait_lines() {
	t_until 5 0.1 has_lines "$1" "$2" || true
}

# has_lines NAME N: peer NAME recorded N datagrams or more after the mark.
has_lines() {
	[ "$(since "$1" | wc -l)" -ge "$2" ]
}

peer echo echo
mark echo
E=$T_PORT
peer upper upper
UP=$T_PORT

# Argument mode: one datagram, the reply with sender, size and RTT.
t_expect_rc "a reply exits 0" 0 "$UDPTOOL" send "127.0.0.1:$E" hello world
t_check "the reply names sender and size" \
    t_contains "$T_OUT" "127.0.0.1:$E 11 bytes time="
t_check "the reply shows the payload" t_contains "$T_OUT" ": hello world"
t_check "the summary is on stderr" \
    t_contains "$T_ERR" "--- 127.0.0.1:$E: 1 sent (11 bytes), 1 reply, 0 refused, 0 timed out, rtt min/avg/max"
t_check "the arguments went as one datagram" \
    test "$(recorded echo)" = "68656c6c6f20776f726c64"

t_expect_rc "-q exits 0" 0 "$UDPTOOL" send -q "127.0.0.1:$E" quiet
t_check "-q silences the summary" test -z "$T_ERR"

t_expect_rc "-r exits 0" 0 "$UDPTOOL" send -q -r "127.0.0.1:$UP" raw
t_check "-r prints the payload only" test "$T_OUT" = "RAW"

t_expect_rc "-x exits 0" 0 "$UDPTOOL" send -q -x "127.0.0.1:$E" hexdump
t_check "-x prints a hexdump" \
    t_contains "$T_OUT" "00000000  68 65 78 64 75 6d 70"

t_expect_rc "-D exits 0" 0 "$UDPTOOL" send -q -D "127.0.0.1:$E" stamp
t_check "-D prefixes epoch seconds" \
    sh -c 'printf "%s\n" "$1" | grep -Eq "^\[[0-9]+\.[0-9]{6}\] 127\.0\.0\.1:"' sh "$T_OUT"

t_expect_rc "-j exits 0" 0 "$UDPTOOL" send -j "127.0.0.1:$E" json
t_check "-j writes a reply and a summary object" python3 -c '
import json, sys
lines = sys.argv[1].splitlines()
r, s = json.loads(lines[0]), json.loads(lines[1])
assert len(lines) == 2
assert r["type"] == "reply" and r["from"] == "127.0.0.1:" + sys.argv[2]
assert r["length"] == 4 and r["hex"] == "6a736f6e" and r["text"] == "json"
assert r["truncated"] is False and r["rtt_ms"] >= 0
assert s["type"] == "summary" and s["sent"] == 1 and s["received"] == 1
assert s["address"] == "127.0.0.1:" + sys.argv[2] and s["time"].endswith("Z")
assert s["refused"] == 0 and s["timed_out"] == 0
' "$T_OUT" "$E"

# One payload syntax: escapes, hex, @FILE, @@, --size.
mark echo
t_expect_rc "-e sends C escapes" 0 "$UDPTOOL" send -q -e "127.0.0.1:$E" 'a\tb\x00\\\n'
t_check "-e decoded the escapes" test "$(recorded echo)" = "610962005c0a"
mark echo
t_expect_rc "-X sends hex" 0 "$UDPTOOL" send -q -X "127.0.0.1:$E" 'de:ad' 'BE ef'
t_check "-X decoded hex with colons and spaces" test "$(recorded echo)" = "deadbeef"
printf 'line one\n\000two' >"$T_TMP/file.bin"
mark echo
t_expect_rc "@FILE sends a file" 0 "$UDPTOOL" send -q "127.0.0.1:$E" "@$T_TMP/file.bin"
t_check "@FILE sent the file as it is" \
    test "$(recorded echo)" = "6c696e65206f6e650a0074776f"
mark echo
t_expect_rc "@@ sends a leading @" 0 "$UDPTOOL" send -q "127.0.0.1:$E" "@@home"
t_check "@@ became one @" test "$(recorded echo)" = "40686f6d65"
mark echo
t_expect_rc "--size pads" 0 "$UDPTOOL" send -q --size 10 "127.0.0.1:$E" ab
t_check "--size padded to 10 bytes" test "$(recorded echo)" = "6162636465666768696a"
mark echo
t_expect_rc "an empty message is an empty datagram" 0 "$UDPTOOL" send -q "127.0.0.1:$E" ''
one_empty() {
	[ "$(since echo | wc -l)" -eq 1 ] && [ -z "$(recorded echo)" ]
}
t_check "the peer got one empty datagram" one_empty

# Repetition: -c with -i, and the sendmmsg generator with --rate 0.
mark echo
t_expect_rc "-c 3 -i 0.05 exits 0" 0 "$UDPTOOL" send -c 3 -i 0.05 "127.0.0.1:$E" rep
t_check "-c 3 printed three replies" test "$(t_lines "$T_OUT")" -eq 3
t_check "-c 3 summary" t_contains "$T_ERR" "3 sent (9 bytes), 3 replies"
mark echo
# Few enough that the peer's receive buffer cannot overflow.
t_expect_rc "-c 50 --rate 0 --size 64 exits 0" 0 "$UDPTOOL" send -q -c 50 --rate 0 --size 64 "127.0.0.1:$E"
wait_lines echo 50
t_check "the generator sent 50 datagrams of 64 bytes" \
    test "$(recorded echo | awk 'length($0) == 128' | wc -l)" -eq 50
start=$(date +%s%N)
t_expect_rc "--rate 20 -c 5 exits 0" 0 "$UDPTOOL" send -q --rate 20 -c 5 "127.0.0.1:$E" paced
elapsed=$((($(date +%s%N) - start) / 1000000))
# Five datagrams at 20/s span at least four intervals of 50 ms.
t_check "--rate paces by the clock (took ${elapsed} ms)" test "$elapsed" -ge 190

# --replies, --expect, --expect-hex.
peer twice twice
TW=$T_PORT
t_expect_rc "--replies 1 exits 0" 0 "$UDPTOOL" send -q --replies 1 -w 2 "127.0.0.1:$TW" one
t_check "--replies 1 stops after one reply" test "$(t_lines "$T_OUT")" -eq 1
t_expect_rc "--replies 2 exits 0" 0 "$UDPTOOL" send -q --replies 2 -w 2 "127.0.0.1:$TW" two
t_check "--replies 2 waits for the second reply" test "$(t_lines "$T_OUT")" -eq 2
t_expect_rc "--expect matching exits 0" 0 "$UDPTOOL" send --expect '^HEL+O$' "127.0.0.1:$UP" hello
t_check "--expect counts the match" t_contains "$T_ERR" "1 matched"
t_expect_rc "--expect not matching exits 1" 1 "$UDPTOOL" send --expect '^hello' -w 0.5 "127.0.0.1:$UP" hello
t_check "--expect names the pattern" t_contains "$T_ERR" "no reply matched '^hello'"
t_check "the reply that did not match is still shown" t_contains "$T_OUT" ": HELLO"
t_expect_rc "--expect-hex matching exits 0" 0 "$UDPTOOL" send -q --expect-hex '4c:4c' "127.0.0.1:$UP" hello
t_expect_rc "--expect-hex not matching exits 1" 1 "$UDPTOOL" send --expect-hex '00' -w 0.5 "127.0.0.1:$UP" hello
t_check "--expect-hex says why" t_contains "$T_ERR" "no reply contained the --expect-hex bytes"

# Refused, silence, fire and forget.
peer closed record
CLOSED=$T_PORT
t_stop "$PEER_PID"
t_expect_rc "a closed port exits 1" 1 "$UDPTOOL" send -w 1 "127.0.0.1:$CLOSED" anyone
t_check "the refusal names the sender of the ICMP error" \
    t_contains "$T_ERR" "udptool: send: refused by 127.0.0.1 (port unreachable)"
t_check "the summary counts the refusal" t_contains "$T_ERR" "1 sent (6 bytes), 0 replies, 1 refused"
t_expect_rc "a refusal is not fatal: -c 3 goes on" 1 "$UDPTOOL" send -c 3 -i 0.05 -w 0.5 "127.0.0.1:$CLOSED" again
t_check "-c 3 to a closed port sent all three" t_contains "$T_ERR" "3 sent (15 bytes), 0 replies, 3 refused"
t_expect_rc "-j reports the refusal as an object" 1 "$UDPTOOL" send -j -w 1 "127.0.0.1:$CLOSED" x
t_check "the JSON error names type and sender" python3 -c '
import json, sys
objs = [json.loads(l) for l in sys.argv[1].splitlines()]
e = [o for o in objs if o["type"] == "refused"][0]
assert e["reason"] == "refused" and e["from"] == "127.0.0.1"
assert e["icmp_type"] == 3 and e["icmp_code"] == 3
assert objs[-1]["type"] == "summary" and objs[-1]["refused"] == 1
' "$T_OUT"

peer silent record
SILENT=$T_PORT
t_expect_rc "silence exits 1" 1 "$UDPTOOL" send -w 0.3 "127.0.0.1:$SILENT" hello
t_check "silence is named" t_contains "$T_ERR" "no reply from 127.0.0.1:$SILENT within 0.3 s"
t_check "silence is counted as timed out" t_contains "$T_ERR" "0 replies, 0 refused, 1 timed out"
t_expect_rc "-w 0 sends without waiting and exits 0" 0 "$UDPTOOL" send -w 0 "127.0.0.1:$SILENT" fire

# Source binding: -p (the raw syscall client binds its port) and -s.
freeport=$(python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mark silent
t_expect_rc "-p binds the source port" 0 "$UDPTOOL" send -q -w 0 -p "$freeport" "127.0.0.1:$SILENT" 'hello world!'
wait_lines silent 1
t_check "the peer saw source port $freeport" \
    test "$(since silent | cut -d' ' -f2)" = "$freeport"
mark silent
t_expect_rc "-s ADDR:PORT binds address and port" 0 "$UDPTOOL" send -q -w 0 -s "127.0.0.1:$freeport" "127.0.0.1:$SILENT" x
wait_lines silent 1
t_check "-s bound port $freeport" test "$(since silent | cut -d' ' -f2)" = "$freeport"
t_expect_rc "-s with a foreign address exits 2" 2 "$UDPTOOL" send -s 192.0.2.1 "127.0.0.1:$SILENT" x
t_check "-s names the address" t_contains "$T_ERR" "192.0.2.1"

# --ttl and --tos reach the wire.
mark silent
t_expect_rc "--ttl --tos exit 0" 0 "$UDPTOOL" send -q -w 0 --ttl 7 --tos 32 "127.0.0.1:$SILENT" x
wait_lines silent 1
t_check "the peer saw TTL 7 and TOS 32" \
    test "$(since silent | cut -d' ' -f3,4)" = "7 32"

# --any-source: a server that answers from another socket.
peer other other
OT=$T_PORT
t_expect_rc "a reply from another address is ignored when connected" 1 "$UDPTOOL" send -w 0.5 "127.0.0.1:$OT" x
t_check "nothing printed" test -z "$T_OUT"
t_check "the silence names --any-source" t_contains "$T_ERR" \
    "no reply from 127.0.0.1:$OT within 0.5 s (a server that answers from another port needs --any-source)"
t_expect_rc "--any-source accepts it" 0 "$UDPTOOL" send -q --any-source -w 2 "127.0.0.1:$OT" x
other=$(sed -n 's/^other port //p' "$T_TMP/other.err")
t_check "--any-source shows the real sender" t_contains "$T_OUT" "127.0.0.1:$other 1 byte"

# Broadcast: a bare "permission denied" would not say what to do.
t_expect_rc "a broadcast address without -b exits 2" 2 "$UDPTOOL" send -w 0 127.255.255.255:9 x
t_check "the error explains -b" t_contains "$T_ERR" "Permission denied (a broadcast address needs -b)"
t_check "the error is one line" test "$(t_lines "$T_ERR")" -eq 1
t_expect_rc "-b allows it" 0 "$UDPTOOL" send -q -b -w 0 127.255.255.255:9 x

# Too large for IPv4.
t_expect_rc "65535 bytes over IPv4 exits 2" 2 "$UDPTOOL" send -q --size 65535 "127.0.0.1:$SILENT"
t_check "the error gives the IPv4 limit" t_contains "$T_ERR" "at most 65507 for IPv4"

# Bad payloads and options: exit 2, one message naming the problem.
bad() {
	bad_desc=$1
	bad_msg=$2
	shift 2
	t_expect_rc "$bad_desc exits 2" 2 "$UDPTOOL" send "$@"
	t_check "$bad_desc: message names the problem" t_contains "$T_ERR" "$bad_msg"
}
bad "odd hex" "invalid payload: odd number of hex digits: 'c' at position 3 has no pair" -X "127.0.0.1:$E" abc
bad "bad hex digit" "invalid hex digit 'z' at position 2" -X "127.0.0.1:$E" 0z
bad "bad escape" "invalid payload: invalid escape '\\q' at position 2" -e "127.0.0.1:$E" 'a\q'
bad "trailing backslash" "incomplete escape" -e "127.0.0.1:$E" 'a\'
bad "missing @FILE" "$T_TMP/missing: No such file or directory" "127.0.0.1:$E" "@$T_TMP/missing"
head -c 65536 /dev/zero >"$T_TMP/big.bin"
bad "@FILE over one datagram" "file larger than 65535 bytes" "127.0.0.1:$E" "@$T_TMP/big.bin"
bad "message longer than --size" "payload of 5 bytes longer than size 2" --size 2 "127.0.0.1:$E" hello
bad "-c 0" "invalid count '0'" -c 0 "127.0.0.1:$E" x
bad "--ttl 300" "invalid TTL '300' (1-255)" --ttl 300 "127.0.0.1:$E" x
bad "--tos x" "invalid TOS 'x' (0-255)" --tos x "127.0.0.1:$E" x
bad "--size 70000" "invalid size '70000' (0-65535)" --size 70000 "127.0.0.1:$E"
bad "-w abc" "invalid wait 'abc'" -w abc "127.0.0.1:$E" x
bad "--rate -1" "invalid rate '-1'" --rate -1 "127.0.0.1:$E" x
bad "-i with --rate" "-i and --rate" -i 1 --rate 5 "127.0.0.1:$E" x
bad "--frame lines" "invalid framing 'lines' (line, nul, size:N or whole)" --frame lines "127.0.0.1:$E"
bad "--frame size:0" "invalid frame size '0' (1-65535)" --frame size:0 "127.0.0.1:$E"
bad "--expect (" "invalid --expect regular expression '('" --expect '(' "127.0.0.1:$E" x
bad "--expect-hex odd" "invalid --expect-hex 'abc'" --expect-hex abc "127.0.0.1:$E" x
bad "-e with -X" "-e and -X exclude each other" -e -X "127.0.0.1:$E" x
bad "--if unknown" "unknown interface 'nosuchif0'" --if nosuchif0 "127.0.0.1:$E" x
bad "a missing port" "missing port" 127.0.0.1 x
bad "a bad port" "invalid port '99999'" 127.0.0.1:99999 x
bad "no address" "missing HOST:PORT"

# The seed clients as one command line each.
printf 'hello from go' >"$T_TMP/go.in"
T_RC=0
timeout 20 "$UDPTOOL" send --frame whole -v -w 5 "127.0.0.1:$E" <"$T_TMP/go.in" \
    >"$T_TMP/out" 2>"$T_TMP/err" || T_RC=$?
T_OUT=$(cat "$T_TMP/out")
T_ERR=$(cat "$T_TMP/err")
t_check "Go echo client: exit 0" test "$T_RC" -eq 0
t_check "Go echo client: bytes written" t_contains "$T_ERR" "sent 13 bytes to 127.0.0.1:$E"
t_check "Go echo client: the reply with its sender" \
    t_contains "$T_OUT" "127.0.0.1:$E 13 bytes time="
t_expect_rc "daytime client: exit 0" 0 "$UDPTOOL" send -q -r "127.0.0.1:$UP" anything
t_check "daytime client: the answer alone" test "$T_OUT" = "ANYTHING"

t_done
