#!/bin/sh
# SPDX-License-Identifier: ISC
# Installs the Debian packages udptool's build and tests need, if missing.
# Usage: tools/deps.sh [build|test|bench|ci]   (default: build)
# This is the one package list: .ci/run installs "ci", which is "test" plus
# what its sanitizer, fuzz and format stages build with.
# "tools/deps.sh --list WHAT" prints the list and installs nothing.
set -eu
list=0
if [ "${1:-}" = --list ]; then
	list=1
	shift
fi
what=${1:-build}
build="autoconf automake autoconf-archive pkg-config make gcc libedit-dev libcmocka-dev libcap-dev"
test="bash-completion zsh fish mandoc socat python3 tcpdump netcat-openbsd ncat tmux iputils-ping iproute2 ipcalc sipcalc util-linux procps valgrind strace libcap2-bin jq sockperf"
bench="sockperf iperf3 socat ncat util-linux procps python3"
case $what in
build) pkgs=$build ;;
test) pkgs="$build $test" ;;
bench) pkgs="$build $bench" ;;
ci) pkgs="$build $test $bench clang clang-format" ;;
*)
	echo "usage: tools/deps.sh [build|test|bench|ci]" >&2
	exit 2
	;;
esac
if [ "$list" -eq 1 ]; then
	echo "$pkgs"
	exit 0
fi
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages:$missing (run as root, or install them)" >&2
	exit 1
fi
echo "deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
# A fresh machine often runs unattended-upgrades at boot: wait for its
# dpkg lock (up to 10 minutes) instead of failing at once.
lock="-o DPkg::Lock::Timeout=600"
# shellcheck disable=SC2086
apt-get $lock update -q >/dev/null
# shellcheck disable=SC2086
apt-get $lock install -y -q --no-install-recommends $missing >/dev/null
