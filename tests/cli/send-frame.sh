#!/bin/sh
# SPDX-License-Identifier: ISC
# send from standard input: every --frame mode against a python3 peer that
# records datagram boundaries, decoding per record, and bounded records.
set -eu
. "$(dirname "$0")/lib.sh"
t_need python3

t_server echo python3 "$TOP_SRCDIR/tests/cli/send-peer.py" --mode echo ||
    t_skip_all "the python3 peer did not start"
E=$T_PORT
MARK=0

mark() {
	MARK=$(wc -l <"$T_TMP/echo.out")
}

# got: the datagrams (hex, one per line) the peer recorded after the mark,
# joined by '|' so that boundaries and empty datagrams are visible.
got() {
	# The replies end send's wait, so the peer has recorded them all; the
	# wait only covers the peer's stdout buffering.
	t_until 2 0.1 sh -c '[ "$(tail -n +"$1" "$2" | wc -l)" -ge "$3" ]' \
	    sh "$((MARK + 1))" "$T_TMP/echo.out" "${1:-0}" || true
	tail -n +"$((MARK + 1))" "$T_TMP/echo.out" | cut -d' ' -f1 | paste -sd'|' -
}

# feed DESC INPUT(printf format) EXPECTED-DATAGRAMS COUNT ARGS...: sends the input
# through send ARGS, checks exit 0 and the datagrams the peer recorded.
feed() {
	desc=$1
	input=$2
	expect=$3
	count=$4
	shift 4
	mark
	# shellcheck disable=SC2059
	printf "$input" >"$T_TMP/in"
	rc=0
	timeout 20 "$UDPTOOL" send -q -w 2 "$@" "127.0.0.1:$E" <"$T_TMP/in" \
	    >"$T_TMP/out" 2>"$T_TMP/err" || rc=$?
	T_OUT=$(cat "$T_TMP/out")
	T_ERR=$(cat "$T_TMP/err")
	t_check "$desc: exit 0" test "$rc" -eq 0
	g=$(got "$count")
	t_check "$desc: datagrams $expect" test "$g" = "$expect"
}

feed "line (default)" 'a\nbb\n\nccc' '61|6262||636363' 4
feed "--frame line" 'one\r\ntwo\n' '6f6e650d|74776f' 2 --frame line
feed "--frame nul" 'a\000b\nc\000' '61|620a63' 2 --frame nul
feed "--frame nul, last record unterminated" 'x\000y' '78|79' 2 --frame nul
feed "--frame size:3" 'abcdefgh' '616263|646566|6768' 3 --frame size:3
feed "--frame size:1" 'a\nb' '61|0a|62' 3 --frame size:1
feed "--frame whole" 'x\ny\000z\n' '780a79007a0a' 1 --frame whole
feed "line with -X" 'de ad\n01:02\n' 'dead|0102' 2 -X
feed "line with -e" 'a\\tb\nc\\x00\n' '610962|6300' 2 -e
feed "whole with -X across lines" 'de ad\nbe ef\n' 'deadbeef' 1 -X --frame whole
feed "-c 2 stops after two" 'a\nb\nc\n' '61|62' 2 -c 2
feed "--rate paces stdin" 'a\nb\nc\n' '61|62|63' 3 --rate 50
feed "--crlf ends each line with CR LF" 'ab\ncd' '61620d0a|63640d0a' 2 --crlf
feed "--eol keeps the LF" 'ab\ncd\n' '61620a|63640a' 2 --eol
feed "--eol after -X decoding" 'de ad\n' 'dead0a' 1 -X --eol
# A CRLF file: the line end replaces CR LF, never CR CR LF.
feed "--crlf on CRLF input sends one CR" 'ab\r\ncd\r\n' '61620d0a|63640d0a' 2 --crlf
feed "--eol on CRLF input ends with LF alone" 'ab\r\n\r\n' '61620a|0a' 2 --eol
feed "without --crlf or --eol the CR stays" 'ab\r\n' '61620d' 1
feed "--crlf: only the last CR goes" 'a\r\r\n' '610d0d0a' 1 --crlf
t_expect_rc "--crlf with --frame nul is a usage error" 2 "$UDPTOOL" send --crlf --frame nul "127.0.0.1:$E"
t_check "it says why" t_contains "$T_ERR" "--crlf ends lines: it needs --frame line"
t_expect_rc "--crlf and --eol exclude each other" 2 "$UDPTOOL" send --crlf --eol "127.0.0.1:$E"
mark
T_RC=0
timeout 20 "$UDPTOOL" send -w 0.3 "127.0.0.1:$E" </dev/null >"$T_TMP/out" 2>"$T_TMP/err" || T_RC=$?
T_ERR=$(cat "$T_TMP/err")
t_check "empty input sends nothing and exits 1 (no reply)" test "$T_RC" -eq 1
t_check "empty input: nothing recorded" test -z "$(got 0)"
t_check "empty input: the summary says 0 sent" t_contains "$T_ERR" ": 0 sent (0 bytes)"
t_check "empty input: says so" t_contains "$T_ERR" "nothing sent: standard input was empty"

mark
printf 'r1\nr2\n' >"$T_TMP/in"
T_RC=0
timeout 20 "$UDPTOOL" send "127.0.0.1:$E" <"$T_TMP/in" >"$T_TMP/out" 2>"$T_TMP/err" || T_RC=$?
T_OUT=$(cat "$T_TMP/out")
T_ERR=$(cat "$T_TMP/err")
t_check "stdin: two replies printed" test "$(t_lines "$T_OUT")" -eq 2
t_check "stdin: the summary counts both" t_contains "$T_ERR" "2 sent (4 bytes), 2 replies"

# A record longer than one datagram is an error, not a cut.
head -c 70000 /dev/zero | tr '\0' a >"$T_TMP/big"
T_RC=0
timeout 20 "$UDPTOOL" send -q --frame whole "127.0.0.1:$E" <"$T_TMP/big" >"$T_TMP/out" 2>"$T_TMP/err" || T_RC=$?
T_ERR=$(cat "$T_TMP/err")
t_check "whole over 65535 bytes exits 2" test "$T_RC" -eq 2
t_check "whole over 65535 bytes names the limit" \
    t_contains "$T_ERR" "standard input, record 1: input longer than 65535 bytes (one datagram)"
T_RC=0
timeout 20 "$UDPTOOL" send -q "127.0.0.1:$E" <"$T_TMP/big" >"$T_TMP/out" 2>"$T_TMP/err" || T_RC=$?
T_ERR=$(cat "$T_TMP/err")
t_check "a line over 65535 bytes exits 2" test "$T_RC" -eq 2
t_check "a long line names the limit" t_contains "$T_ERR" "line longer than 65535 bytes"

# A bad record stops with exit 2 and names the record and position.
mark
printf '0102\nabc\n0304\n' >"$T_TMP/in"
T_RC=0
timeout 20 "$UDPTOOL" send -q -X "127.0.0.1:$E" <"$T_TMP/in" >"$T_TMP/out" 2>"$T_TMP/err" || T_RC=$?
T_ERR=$(cat "$T_TMP/err")
t_check "a bad hex record exits 2" test "$T_RC" -eq 2
t_check "the error names record and position" \
    t_contains "$T_ERR" "standard input, record 2: invalid payload: odd number of hex digits: 'c' at position 3 has no pair"
t_check "records before the bad one were sent, none after" test "$(got 1)" = "0102"

t_done
