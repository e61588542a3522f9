#!/bin/sh
# SPDX-License-Identifier: ISC
# Which ICMP socket ping opens: a datagram socket for a user inside
# net.ipv4.ping_group_range, a raw socket for root outside it, and one
# error naming both ways out for a user with neither.  Each case runs in a
# network namespace of its own, where the sysctl can be set.
# memcheck: skip (traces the binary's own system calls with strace)
set -eu
. "$(dirname "$0")/lib.sh"

t_need ip setpriv
id nobody >/dev/null 2>&1 || t_skip_all "no user nobody"
NS="utp-s-$$"
t_netns "$NS"

# The binary must be reachable for nobody.
if ! setpriv --reuid=nobody --regid=nogroup --clear-groups test -x "$UDPTOOL"; then
	t_skip_all "user nobody cannot run $UDPTOOL"
fi
NOBODY_GID=$(setpriv --reuid=nobody --regid=nogroup --clear-groups id -g)

innobody() {
	ip netns exec "$NS" setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"
}
# shellcheck disable=SC2086
AS_NOBODY="ip netns exec $NS setpriv --reuid=nobody --regid=nogroup --clear-groups"
# shellcheck disable=SC2086
AS_ROOT="ip netns exec $NS"
have_strace=0
command -v strace >/dev/null 2>&1 && strace -o /dev/null true 2>/dev/null && have_strace=1

# 1. Unprivileged ICMP allowed: the datagram socket, in both families.
ip netns exec "$NS" sysctl -qw net.ipv4.ping_group_range="$NOBODY_GID $NOBODY_GID"
for host in 127.0.0.1 ::1; do
	t_expect_rc "nobody, range open: ping $host" 0 $AS_NOBODY "$UDPTOOL" ping -v -c 2 -i 0.2 "$host"
	t_check "nobody, range open: $host over a datagram socket" t_contains "$T_ERR" "using an ICMP datagram socket"
	t_check "nobody, range open: $host counts" t_contains "$T_OUT" "2 packets transmitted, 2 received, 0% packet loss"
	t_check "nobody, range open: $host ttl shown" sh -c 'printf "%s\n" "$1" | grep -Eq "icmp_seq=1 ttl=[0-9]+ time="' sh "$T_OUT"
	if command -v ping >/dev/null 2>&1; then
		rc_ref=0
		innobody timeout 20 ping -c 2 -i 0.2 "$host" >"$T_TMP/ref" 2>&1 || rc_ref=$?
		t_check "nobody, range open: $host exit as iputils ($rc_ref)" test "$T_RC" -eq "$rc_ref"
	fi
done
t_expect_rc "nobody, range open: JSON names the socket" 0 $AS_NOBODY "$UDPTOOL" ping -j -c 1 127.0.0.1
t_check "nobody: \"socket\":\"dgram\"" t_contains "$T_OUT" '"socket":"dgram"'
t_expect_rc "nobody: -i below 2 ms is refused" 2 $AS_NOBODY "$UDPTOOL" ping -c 2 -i 0.001 127.0.0.1
t_check "nobody: the flood message" t_contains "$T_ERR" "cannot flood"
if [ "$have_strace" -eq 1 ]; then
	# strace runs as root and follows setpriv into udptool.
	ip netns exec "$NS" strace -f -e trace=socket -o "$T_TMP/st" \
	    setpriv --reuid=nobody --regid=nogroup --clear-groups \
	    "$UDPTOOL" ping -c 1 127.0.0.1 >/dev/null 2>&1 || true
	t_check "strace: socket(AF_INET, SOCK_DGRAM..., IPPROTO_ICMP)" grep -Eq 'socket\(AF_INET, SOCK_DGRAM(\|SOCK_CLOEXEC)?, IPPROTO_ICMP\) = [0-9]' "$T_TMP/st"
	t_check "strace: no raw socket tried" sh -c '! grep -q SOCK_RAW "$1"' sh "$T_TMP/st"
else
	t_skip "strace: datagram socket" "strace is not usable here"
fi

# 2. Root outside the range: the datagram socket is refused, the raw one works.
ip netns exec "$NS" sysctl -qw net.ipv4.ping_group_range="1 0"
for host in 127.0.0.1 ::1; do
	t_expect_rc "root, range closed: ping $host" 0 $AS_ROOT "$UDPTOOL" ping -v -c 2 -i 0.2 "$host"
	t_check "root, range closed: $host over a raw socket" t_contains "$T_ERR" "using a raw ICMP socket (CAP_NET_RAW), privileges dropped"
	t_check "root, range closed: $host counts" t_contains "$T_OUT" "2 packets transmitted, 2 received, 0% packet loss"
done
if [ "$have_strace" -eq 1 ]; then
	ip netns exec "$NS" strace -f -e trace=socket,capset,setuid -o "$T_TMP/st" "$UDPTOOL" ping -c 1 127.0.0.1 >/dev/null 2>&1 || true
	t_check "strace: the datagram socket is refused first" grep -Eq 'socket\(AF_INET, SOCK_DGRAM(\|SOCK_CLOEXEC)?, IPPROTO_ICMP\) = -1 EACCES' "$T_TMP/st"
	t_check "strace: then a raw socket" grep -Eq 'socket\(AF_INET, SOCK_RAW(\|SOCK_CLOEXEC)?, IPPROTO_ICMP\) = [0-9]' "$T_TMP/st"
	# With libcap or without (capset(2) called directly), the same call.
	backend=$("$UDPTOOL" --version | sed -n 's/^privileges: //p')
	t_check "strace: capabilities dropped after the socket ($backend)" sh -c 'awk "/SOCK_RAW/ {s=1} s && /capset\\(.*effective=0, permitted=0, inheritable=0/ {f=1} END {exit !f}" "$1"' sh "$T_TMP/st"
	# A name is looked up only after the drop: a private /etc/hosts in a
	# mount namespace of its own names the target.
	printf '127.0.0.1 pingtarget.test\n' >"$T_TMP/hosts"
	rc=0
	# LeakSanitizer cannot run under ptrace and fails the exit status of
	# a sanitizer build; the leak checks run in the other tests.
	ip netns exec "$NS" unshare -m sh -c 'mount --bind "$1" /etc/hosts && shift && exec "$@"' sh "$T_TMP/hosts" \
	    env ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	    strace -f -e trace=socket,capset,openat -o "$T_TMP/st2" "$UDPTOOL" ping -c 1 pingtarget.test >"$T_TMP/out2" 2>&1 || rc=$?
	t_check "ping by name from a private hosts file exits 0" test "$rc" -eq 0
	t_check "strace: /etc/hosts is read" grep -q '"/etc/hosts"' "$T_TMP/st2"
	t_check "strace: no file is opened between the raw socket and the drop" sh -c 'awk "/SOCK_RAW.* = [0-9]/ {s=1} /capset\\(.*effective=0, permitted=0/ {s=0} s && /openat/ {f=1} END {exit f}" "$1"' sh "$T_TMP/st2"
	t_check "strace: the name is resolved after the drop" sh -c 'awk "/capset\\(.*effective=0, permitted=0/ && !c {c=NR} /\"\/etc\/(hosts|nsswitch.conf|resolv.conf|host.conf)\"/ && !h {h=NR} END {exit !(c && h && c < h)}" "$1"' sh "$T_TMP/st2"
else
	t_skip "strace: raw socket" "strace is not usable here"
fi

# 3. Neither: one error that names the sysctl and the capability, and -u.
t_expect_rc "nobody, range closed: exit 2" 2 $AS_NOBODY "$UDPTOOL" ping -c 1 127.0.0.1
t_check "the error is one line" test "$(t_lines "$T_ERR")" -eq 1
t_check "the error names net.ipv4.ping_group_range" t_contains "$T_ERR" "net.ipv4.ping_group_range is '1 0'"
t_check "the error names CAP_NET_RAW" t_contains "$T_ERR" "CAP_NET_RAW"
t_check "the error suggests -u" t_contains "$T_ERR" "-u HOST:PORT"
t_check "the error names the group" t_contains "$T_ERR" "group $NOBODY_GID"

t_done
