# SPDX-License-Identifier: ISC
# Runs the completion scripts in their real shells: comp_bash, comp_zsh and
# comp_fish take the words of a command line (the last one is being
# completed) and print one candidate per line; comp_zsh_desc and
# comp_fish_desc print "candidate<TAB>description" lines.  With COMP_WRAP
# set, each shell runs under that command (comp_private_hosts sets one).

PATH="$(cd "$(dirname "$UDPTOOL")" && pwd):$PATH"
export PATH
COMP_WRAP=""

# comp_private_hosts FILE: the shells see FILE as /etc/hosts (a bind mount
# in a mount namespace of their own, so the machine's resolver is never
# asked) and $T_TMP/home as $HOME.  Returns 1 if that cannot be done.
comp_private_hosts() {
	mkdir -p "$T_TMP/home"
	{
		echo '#!/bin/sh'
		printf 'HOME=%s\nexport HOME\n' "$T_TMP/home"
		# shellcheck disable=SC2016
		printf 'exec unshare -m sh -c %s sh %s "$@"\n' \
		    "'mount --bind \"\$1\" /etc/hosts && shift && exec \"\$@\"'" "$1"
	} >"$T_TMP/with-hosts"
	chmod +x "$T_TMP/with-hosts"
	"$T_TMP/with-hosts" true 2>/dev/null || return 1
	COMP_WRAP=$T_TMP/with-hosts
}

# bash: COMP_WORDS split at ":" and "=" as bash splits them (its default
# COMP_WORDBREAKS), and each candidate printed as the whole word it makes
# once readline puts it in place of the text after the last break.
comp_bash() {
	${COMP_WRAP:+"$COMP_WRAP"} bash --norc --noprofile -c '
		. /usr/share/bash-completion/bash_completion
		. "$1"
		shift
		# Outside a real completion compopt only complains.
		compopt() { :; }
		COMP_WORDS=()
		for a in "$@"; do
			[[ -z $a ]] && COMP_WORDS+=("")
			while [[ -n $a ]]; do
				if [[ $a == [:=]* ]]; then
					t=${a%%[!:=]*}
				else
					t=${a%%[:=]*}
				fi
				COMP_WORDS+=("$t")
				a=${a#"$t"}
			done
		done
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMP_LINE="$*"
		COMP_POINT=${#COMP_LINE}
		last=${!#}
		pre=${last%"${last##*[:=]}"}
		_udptool
		for r in ${COMPREPLY[@]+"${COMPREPLY[@]}"}; do
			printf "%s\n" "$pre$r"
		done' bash "$TOP_SRCDIR/completions/udptool" "$@"
}

# zsh: an interactive zsh on a pseudo-terminal (zpty) with compinit loads
# the completion from fpath and completes the line at a Tab.  compadd is
# wrapped to print each match (with its suffix) and its display string (the description
# _describe formats) instead of adding it.  A word starting with "[" is
# typed behind a quote, as zsh users must (unquoted, zsh reads a subscript).
cat >"$T_TMP/zsh-setup" <<'ZSH'
PS1= PROMPT= RPROMPT=
COLUMNS=400
unsetopt prompt_sp
autoload -U compinit && compinit -u -D
zstyle ':completion:*' list-grouped false
zstyle ':completion:*' insert-tab false
bindkey '^I' complete-word
compadd() {
	if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then
		builtin compadd "$@"
		return
	fi
	local -a __hits __dscr
	local __tmp __i
	if (( $@[(I)-d] )); then
		__tmp=${@[$(( ${@[(i)-d]} + 1 ))]}
		if [[ $__tmp == \(* ]]; then
			eval "__dscr=$__tmp"
		else
			__dscr=("${(@P)__tmp}")
		fi
	fi
	builtin compadd -A __hits -D __dscr "$@"
	local -A __p __ip __s
	zparseopts -E P:=__p p:=__ip S:=__s
	for (( __i = 1; __i <= $#__hits; __i++ )); do
		print -r -- "<CAND>$IPREFIX$__ip[-p]$__p[-P]$__hits[__i]$__s[-S]	${__dscr[__i]}"
	done
}
comp_done() { print -r -- "<DONE>"; exit }
comppostfuncs=(comp_done)
ZSH
cat >"$T_TMP/zsh-capture" <<'ZSH'
# $1 completion directory, $2 setup file, $3 the line to complete at a Tab
zmodload zsh/zpty || exit 1
zpty z zsh -f -i
zpty -w z "fpath=(${(q)1} \$fpath); source ${(q)2}"
zpty -w z "$3"$'\t'
while zpty -r z line; do
	case $line in
	*'<DONE>'*) break ;;
	*'<CAND>'*) print -r -- "${${line#*<CAND>}%%$'\r'*}" ;;
	esac
done
zpty -d z
ZSH

comp_zsh_desc() {
	line=""
	n=$#
	for w in "$@"; do
		n=$((n - 1))
		case "$w" in
		*'['*) if [ "$n" -eq 0 ]; then w="'$w"; else w="'$w'"; fi ;;
		esac
		line="$line${line:+ }$w"
	done
	${COMP_WRAP:+"$COMP_WRAP"} timeout 30 zsh -f "$T_TMP/zsh-capture" \
	    "$TOP_SRCDIR/completions" "$T_TMP/zsh-setup" "$line"
}

comp_zsh() {
	comp_zsh_desc "$@" | cut -f1
}

comp_fish_desc() {
	${COMP_WRAP:+"$COMP_WRAP"} fish --no-config -c \
	    "source '$TOP_SRCDIR/completions/udptool.fish'; complete -C '$*'"
}

comp_fish() {
	comp_fish_desc "$@" | cut -f1
}
