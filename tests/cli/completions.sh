#!/bin/sh
# SPDX-License-Identifier: ISC
# Completions in real bash, zsh and fish: commands, each command's options
# with their descriptions, the option values each script lists, and the
# address argument (host names from a private hosts file, services after
# "host:", interfaces after "%").
# memcheck: skip (checks text and peers, the binary barely runs)
set -eu
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/complib.sh"

cmds=$("$UDPTOOL" list-commands | cut -f1)

us=$(printf '\037')

# has LIST WORD: LIST (lines) holds WORD as a whole line.
has() {
	printf '%s\n' "$1" | grep -Fqx -- "$2"
}

# list-options takes each description from the command's option table,
# where --help takes it from too; every option must have one.
for c in $cmds; do
	bad=$("$UDPTOOL" list-options "$c" | awk -F'\t' 'NF != 3 || $3 == "" { print $1 }')
	t_check "list-options describes every option of $c" test -z "$bad"
	[ -z "$bad" ] || printf '#   no description: %s\n' $bad
done
# desc CMD OPTION: the description list-options gives OPTION.
desc() {
	"$UDPTOOL" list-options "$1" | awk -F'\t' -v o="$2" '$1 == o { print $3 }'
}
t_check "ping --pmtudisc description" test "$(desc ping --pmtudisc=)" = "set or clear Don't Fragment"
t_check "listen --join-source description" test "$(desc listen --join-source=)" = "only from this source (SSM, repeatable)"
t_check "send --ipv6 description" test "$(desc send --ipv6)" = "IPv6 only"
# A description --help wraps over two lines is one line, joined by a space.
t_check "ping --interval description" sh -c 'case "$1" in "seconds between probes (default 1; below "?*) ;; *) exit 1 ;; esac' sh "$(desc ping --interval=)"
# An alias has no short letter of its own.
t_check "listen --epoch has no short letter" test "$("$UDPTOOL" list-options listen | awk -F'\t' '$1 == "--epoch" { print $2 }')" = ""
t_check "send --hex description" test "$(desc send --hex)" = "payloads are hex bytes (de:ad be ef)"
t_check "mask --contains description" sh -c 'case "$1" in "exit 0 if ADDR"*) ;; *) exit 1 ;; esac' sh "$(desc mask --contains=)"
t_check "resolve --help description" test "$(desc resolve --help)" = "show this help"

# Host names come from a private hosts file and a private
# ~/.ssh/known_hosts, never from the machine's resolver.
hosts_ok=1
{
	echo "127.0.0.1 localhost"
	echo "192.0.2.7 udptool-test-host.example"
	echo "2001:db8::7 udptool-v6.example"
} >"$T_TMP/hosts"
comp_private_hosts "$T_TMP/hosts" || hosts_ok=0
mkdir -p "$T_TMP/home/.ssh"
echo "udptool-known.example ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB" >"$T_TMP/home/.ssh/known_hosts"

for sh in bash zsh fish; do
	if ! command -v "$sh" >/dev/null 2>&1; then
		t_skip "$sh completions" "$sh is not installed"
		continue
	fi
	if [ "$sh" = bash ] && [ ! -f /usr/share/bash-completion/bash_completion ]; then
		t_skip "bash completions" "bash-completion is not installed"
		continue
	fi
	got=$(comp_$sh udptool "")
	for c in $cmds; do
		t_check "$sh completes command $c" has "$got" "$c"
	done
	t_check "$sh hides list-commands" sh -c '! printf "%s\n" "$1" | grep -qx list-commands' sh "$got"
	got=$(comp_$sh udptool he)
	t_check "$sh completes a prefix" test "$got" = "help"
	got=$(comp_$sh udptool help "")
	t_check "$sh completes commands after help" has "$got" help
	got=$(comp_$sh udptool send --fr)
	t_check "$sh completes an option prefix" sh -c 'test "$1" = --frame= || test "$1" = --frame' sh "$got"
	for c in $cmds; do
		[ "$c" = help ] && continue
		if [ "$sh" = bash ]; then
			got=$(comp_$sh udptool "$c" --)
		else
			got=$(comp_${sh}_desc udptool "$c" --)
		fi
		# A tab is whitespace to read(1), so an empty second column would
		# vanish: split the columns at a unit separator instead.
		"$UDPTOOL" list-options "$c" | awk -F'\t' '{ print $1 "\037" $3 }' >"$T_TMP/opts"
		while IFS=$us read -r opt text; do
			# fish lists "--opt" where bash and zsh list "--opt=".
			t_check "$sh completes $c ${opt%=}" sh -c 'printf "%s\n" "$1" | cut -f1 | grep -qx -e "$2" -e "$3"' sh "$got" "$opt" "${opt%=}"
			[ "$sh" = bash ] && continue
			# zsh shows "--opt  -- text", fish "--opt<TAB>text"; zsh
			# cuts a long text at the terminal's width, so the first 40
			# characters are looked for.
			text=$(printf '%s' "$text" | cut -c1-40)
			t_check "$sh describes $c ${opt%=}" sh -c 'test -n "$4" && printf "%s\n" "$1" | grep -F -- "$4" | cut -f1 | grep -qx -e "$2" -e "$3"' sh "$got" "$opt" "${opt%=}" "$text"
		done <"$T_TMP/opts"
	done
	# Values each command's options take, listed in tests/cli/completion-values.
	while IFS='|' read -r words want; do
		case "$words" in '#'* | '') continue ;; esac
		c=${words%% *}
		has "$cmds" "$c" || continue
		# shellcheck disable=SC2086
		got=$(comp_$sh udptool $words "")
		for w in $want; do
			t_check "$sh completes '$w' after '$words'" has "$got" "$w"
		done
	done <"$TOP_SRCDIR/tests/cli/completion-values"

	# Capture files after --pcap and send --replay.
	mkdir -p "$T_TMP/caps"
	: >"$T_TMP/caps/trace.pcapng"
	for words in "send --replay" "send --pcap" "listen --pcap" "echo-serve --pcap"; do
		# shellcheck disable=SC2086
		got=$(comp_$sh udptool $words "$T_TMP/caps/tr")
		t_check "$sh completes a file after '$words'" has "$got" "$T_TMP/caps/trace.pcapng"
	done

	# The address argument.  bash splits words at ":" (COMP_WORDBREAKS),
	# so these also check that a completed word keeps what came before.
	got=$(comp_$sh udptool listen --join ff02:)
	t_check "$sh completes a group after 'ff02:'" has "$got" ff02::fb
	got=$(comp_$sh udptool send "[fe80::1%l")
	t_check "$sh completes an interface after '[fe80::1%'" has "$got" "[fe80::1%lo"
	got=$(comp_$sh udptool ping "fe80::1%l")
	t_check "$sh completes an interface after 'fe80::1%'" has "$got" "fe80::1%lo"
	got=$(comp_$sh udptool send "[::1]:domai")
	t_check "$sh completes a service after '[::1]:'" has "$got" "[::1]:domain"
	if [ "$hosts_ok" -eq 0 ]; then
		t_skip "$sh host names" "cannot bind-mount a private /etc/hosts (unshare -m needs root)"
		continue
	fi
	for c in send ping listen echo-serve relay; do
		got=$(comp_$sh udptool $c udptool-te)
		t_check "$sh completes a host for $c" has "$got" udptool-test-host.example
	done
	got=$(comp_$sh udptool relay --idle 5 0 udptool-te)
	t_check "$sh completes a host for relay's target" has "$got" udptool-test-host.example
	got=$(comp_$sh udptool relay 0 udptool-test-host.example:domai)
	t_check "$sh completes a service after relay's 'host:'" has "$got" udptool-test-host.example:domain
	got=$(comp_$sh udptool relay 0 127.0.0.1:7 udptool-te)
	t_check "$sh completes no third word for relay" sh -c '! printf "%s\n" "$1" | grep -q udptool-test-host' sh "$got"
	got=$(comp_$sh udptool send udptool-kn)
	t_check "$sh completes a host from known_hosts" has "$got" udptool-known.example
	got=$(comp_$sh udptool send -c 3 -w 1 udptool-te)
	t_check "$sh completes a host after options with values" has "$got" udptool-test-host.example
	got=$(comp_$sh udptool send -c udptool-te)
	t_check "$sh completes no host as an option's value" test -z "$got"
	got=$(comp_$sh udptool send udptool-test-host.example:domai)
	t_check "$sh completes a service after 'host:'" has "$got" udptool-test-host.example:domain
	got=$(comp_$sh udptool send udptool-test-host.example domai)
	t_check "$sh completes a service as the second word" has "$got" domain
	got=$(comp_$sh udptool send udptool-test-host.example:7 domai)
	t_check "$sh completes no service after host:port" sh -c '! printf "%s\n" "$1" | grep -qx domain' sh "$got"
	got=$(comp_$sh udptool send "[")
	t_check "$sh completes an IPv6 address after '['" has "$got" "[2001:db8::7]:"
done

t_done
