# SPDX-License-Identifier: ISC
# Runs the completion scripts in their real shells: comp_bash, comp_zsh and
# comp_fish take the words of a command line (the last one is being
# completed) and print one candidate per line.

PATH="$(cd "$(dirname "$UDPTOOL")" && pwd):$PATH"
export PATH

comp_bash() {
	bash --norc --noprofile -c '
		. /usr/share/bash-completion/bash_completion
		. "$1"
		shift
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"
		COMP_POINT=${#COMP_LINE}
		_udptool
		printf "%s\n" "${COMPREPLY[@]}"' bash "$TOP_SRCDIR/completions/udptool" "$@"
}

# zsh: the completion function runs in real zsh; the completion system's
# output builtins are replaced by ones that print what they were given.
comp_zsh() {
	zsh -f -c '
		compadd() {
			while (( $# )); do
				case $1 in
				-S|-t|-J|-X) shift 2 ;;
				--) shift; break ;;
				-*) shift ;;
				*) break ;;
				esac
			done
			# Like the real builtins, offer only what matches the word.
			print -rl -- ${(M)@:#${words[CURRENT]}*}
		}
		_describe() { shift 3; print -rl -- ${(M)${${(P)1}%%:*}:#${words[CURRENT]}*} }
		_files() { print -r -- "<files>" }
		f=$1
		shift
		words=("$@")
		CURRENT=$#
		# Sourcing runs the function once, as autoloading it does.
		source "$f"' zsh "$TOP_SRCDIR/completions/_udptool" "$@" | sed '/^$/d'
}

comp_fish() {
	fish --no-config -c "source '$TOP_SRCDIR/completions/udptool.fish'; complete -C '$*'" |
	    cut -f1
}
