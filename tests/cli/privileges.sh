#!/bin/sh
# SPDX-License-Identifier: ISC
# A setuid-root copy and file-capability copies of udptool, run as nobody:
# no command but ping keeps a privilege (no root file read, no port below
# 1024, /proc shows no capability and nobody's ids), and ping drops its
# own once its raw socket is open.  ICMP runs in a network namespace of
# the test, where net.ipv4.ping_group_range can be closed.
# memcheck: skip (setuid and file-capability copies of the binary itself)
set -eu
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" -eq 0 ] || t_skip_all "needs root to make setuid and setcap copies"
t_need setpriv ip
id nobody >/dev/null 2>&1 || t_skip_all "no user nobody"
NOGROUP=$(id -gn nobody)
NOBODY_UID=$(id -u nobody)

# The copies need a file system that honours setuid bits and file
# capabilities, in a directory nobody can reach.
nosuid() {
	findmnt -n -o OPTIONS -T "$1" 2>/dev/null | tr ',' '\n' | grep -qx nosuid
}
BASE=${TMPDIR:-/tmp}
if nosuid "$BASE"; then
	BASE=$(dirname "$UDPTOOL")
	nosuid "$BASE" && t_skip_all "no file system here honours setuid bits"
fi
BIN=$(mktemp -d "$BASE/udptool-priv.XXXXXX")
NS="utp-priv-$$"
priv_cleanup() {
	rm -rf "$BIN"
	t_cleanup
}
trap priv_cleanup EXIT
chmod 755 "$BIN"
if ! setpriv --reuid=nobody --regid="$NOGROUP" --clear-groups test -x "$UDPTOOL"; then
	t_skip_all "user nobody cannot reach $BIN"
fi
AS_NOBODY="setpriv --reuid=nobody --regid=$NOGROUP --clear-groups"

# A secret only root may read.
SECRET="$BIN/secret"
echo "udptool-secret-$$" >"$SECRET"
chmod 600 "$SECRET"

COPIES="suid"
cp "$UDPTOOL" "$BIN/ut-suid"
chown root:root "$BIN/ut-suid"
chmod 4755 "$BIN/ut-suid"
cp "$UDPTOOL" "$BIN/ut-plain"
if command -v setcap >/dev/null 2>&1; then
	for form in ep p; do
		cp "$UDPTOOL" "$BIN/ut-cap$form"
		if setcap "cap_net_raw+$form" "$BIN/ut-cap$form" 2>/dev/null; then
			COPIES="$COPIES cap$form"
		else
			t_skip "setcap cap_net_raw+$form copy" "this file system refuses file capabilities"
		fi
	done
else
	t_skip "setcap copies" "setcap is not installed (Debian: libcap2-bin)"
fi

# The copies really are privileged: otherwise every check below passes on
# an unprivileged binary too.
t_check "the setuid copy is setuid root" test -u "$BIN/ut-suid"
for c in $COPIES; do
	case $c in
	cap*) t_check "the $c copy has its capability" sh -c 'getcap "$1" | grep -q cap_net_raw' sh "$BIN/ut-$c" ;;
	esac
done

# A sink that would show what got through.
t_server sink "$UDPTOOL" listen 127.0.0.1:0
SINK=$T_PORT
SINK_PID=$T_PID

for c in $COPIES; do
	b="$BIN/ut-$c"
	t_expect_rc "$c: send @secret fails" 2 $AS_NOBODY "$b" send -w 0.2 "127.0.0.1:$SINK" "@$SECRET"
	t_check "$c: the reason is the file's permission" t_contains "$T_ERR" "Permission denied"
	if [ -r /etc/shadow ]; then
		t_expect_rc "$c: send @/etc/shadow fails" 2 $AS_NOBODY "$b" send -w 0.2 "127.0.0.1:$SINK" @/etc/shadow
	fi
	t_expect_rc "$c: echo-serve cannot bind port 7" 2 $AS_NOBODY "$b" echo-serve 127.0.0.1:7
	t_check "$c: echo-serve says so" t_contains "$T_ERR" "ermission denied"
	t_expect_rc "$c: listen cannot bind port 7" 2 $AS_NOBODY "$b" listen 127.0.0.1:7
	# A unique prefix selects the command as cmd_find() does.
	t_expect_rc "$c: 'listen' by prefix cannot bind port 7 either" 2 $AS_NOBODY "$b" lis 127.0.0.1:7

	for cmd in listen echo-serve; do
		t_server "$c-$cmd" $AS_NOBODY "$b" "$cmd" 127.0.0.1:0 || true
		pid=$T_PID
		st=$(cat "/proc/$pid/status" 2>/dev/null || true)
		t_check "$c: $cmd is the process read" t_contains "$st" "ut-$c"
		t_check "$c: $cmd runs with CapPrm 0" t_contains "$st" "CapPrm:	0000000000000000"
		t_check "$c: $cmd runs with CapEff 0" t_contains "$st" "CapEff:	0000000000000000"
		t_check "$c: $cmd runs as nobody" t_contains "$st" "Uid:	$NOBODY_UID	$NOBODY_UID	$NOBODY_UID	$NOBODY_UID"
		t_stop "$pid"
	done
done
# The sink must still be listening for its silence to mean anything.
t_run "$UDPTOOL" send -q -w 0 "127.0.0.1:$SINK" sink-canary
t_wait_for "$T_TMP/sink.out" "sink-canary" || true
t_stop "$SINK_PID"
t_check "the sink got nothing of the secret" sh -c \
    'grep -q sink-canary "$1" && ! grep -q udptool-secret "$1"' sh "$T_TMP/sink.out"

# ICMP: the raw socket, in a namespace where unprivileged ICMP is off.
if ! t_netns_try "$NS"; then
	t_skip "ping through the privileged copies" "ip netns is not available"
	t_done
	exit
fi
ip netns exec "$NS" sysctl -qw net.ipv4.ping_group_range="1 0"
for c in $COPIES; do
	b="$BIN/ut-$c"
	t_bg "ping-$c" ip netns exec "$NS" $AS_NOBODY "$b" ping -v -c 3 -i 0.5 127.0.0.1
	pid=$T_PID
	st=""
	if t_wait_for "$T_TMP/ping-$c.out" "icmp_seq=1 "; then
		st=$(cat "/proc/$pid/status" 2>/dev/null || true)
	fi
	t_check "$c: ping is the process read" t_contains "$st" "ut-$c"
	t_check "$c: ping runs with CapPrm 0" t_contains "$st" "CapPrm:	0000000000000000"
	t_check "$c: ping runs with CapEff 0" t_contains "$st" "CapEff:	0000000000000000"
	t_check "$c: ping runs as nobody" t_contains "$st" "Uid:	$NOBODY_UID	$NOBODY_UID	$NOBODY_UID	$NOBODY_UID"
	rc=0
	t_wait_pid "$pid" || rc=$?
	T_OUT=$(cat "$T_TMP/ping-$c.out")
	T_ERR=$(cat "$T_TMP/ping-$c.err")
	t_check "$c: ping exits 0" test "$rc" -eq 0
	t_check "$c: ping got 3 replies" t_contains "$T_OUT" "3 packets transmitted, 3 received"
	t_check "$c: over a raw socket, privileges dropped" t_contains "$T_ERR" "a raw ICMP socket (CAP_NET_RAW), privileges dropped"
done

# The hint names a setcap form, and that form works (checked above).
t_expect_rc "an unprivileged copy cannot ping" 2 ip netns exec "$NS" $AS_NOBODY "$BIN/ut-plain" ping -c 1 127.0.0.1
t_check "its hint names setcap cap_net_raw+p" t_contains "$T_ERR" "setcap cap_net_raw+p on udptool"
case " $COPIES " in
*" capp "*) t_check "the cap_net_raw+p copy pinged (the hint's form works)" \
    grep -q "3 packets transmitted, 3 received" "$T_TMP/ping-capp.out" ;;
*) t_skip "the hint's form works" "no cap_net_raw+p copy" ;;
esac

t_done
