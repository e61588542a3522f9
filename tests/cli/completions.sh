#!/bin/sh
# SPDX-License-Identifier: ISC
# Completions in real bash, zsh and fish: commands, each command's options,
# and the option values each script lists.
set -eu
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/complib.sh"

cmds=$("$UDPTOOL" list-commands | cut -f1)

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
		t_check "$sh completes command $c" sh -c 'printf "%s\n" "$1" | grep -qx "$2"' sh "$got" "$c"
	done
	t_check "$sh hides list-commands" sh -c '! printf "%s\n" "$1" | grep -qx list-commands' sh "$got"
	got=$(comp_$sh udptool he)
	t_check "$sh completes a prefix" test "$got" = "help"
	got=$(comp_$sh udptool help "")
	t_check "$sh completes commands after help" sh -c 'printf "%s\n" "$1" | grep -qx help' sh "$got"
	for c in $cmds; do
		[ "$c" = help ] && continue
		for opt in $("$UDPTOOL" list-options "$c" | cut -f1); do
			got=$(comp_$sh udptool "$c" "${opt%=}")
			# fish lists "--opt" where bash and zsh list "--opt=".
			t_check "$sh completes $c ${opt%=}" sh -c 'printf "%s\n" "$1" | grep -qx -e "$2" -e "$3"' sh "$got" "$opt" "${opt%=}"
		done
	done
	# Values each command's options take, listed in tests/cli/completion-values.
	while IFS='|' read -r words want; do
		case "$words" in '#'* | '') continue ;; esac
		c=${words%% *}
		printf '%s\n' "$cmds" | grep -qx "$c" || continue
		# shellcheck disable=SC2086
		got=$(comp_$sh udptool $words "")
		for w in $want; do
			t_check "$sh completes '$w' after '$words'" sh -c 'printf "%s\n" "$1" | grep -qx -- "$2"' sh "$got" "$w"
		done
	done <"$TOP_SRCDIR/tests/cli/completion-values"
done

t_done
