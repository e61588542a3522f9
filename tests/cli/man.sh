#!/bin/sh
# SPDX-License-Identifier: ISC
# Every manual page lints clean, and every command has one; udptool(1) and
# the README list exactly the commands udptool list-commands gives.
# memcheck: skip (checks text and peers, the binary barely runs)
set -eu
. "$(dirname "$0")/lib.sh"
t_need mandoc

for page in "$TOP_SRCDIR"/man/*.1 "$TOP_SRCDIR"/man/*.7; do
	name=$(basename "$page")
	# -Wwarning fails on warnings; missing cross-references to pages that
	# are not installed yet are reported as style, which -Wwarning ignores.
	if out=$(mandoc -Tlint -Wwarning "$page" 2>&1); then
		t_ok "$name lints clean"
	else
		t_fail "$name lints clean" "$out"
	fi
	t_check "$name renders" sh -c 'mandoc -Tutf8 "$1" >/dev/null' sh "$page"
done

# documents PAGE LONG [SHORT]: the page names the option in an mdoc macro,
# "Fl Fl long" (or "Fl -long") and "Fl s", not merely the word somewhere.
documents() {
	grep -Eq -- "^\\.(.* )?Fl (Fl |-)$2( |\$)" "$1" || return 1
	[ -z "${3:-}" ] || grep -Eq -- "^\\.(.* )?Fl ${3#-}( |\$)" "$1"
}

for c in $("$UDPTOOL" list-commands | cut -f1); do
	page="$TOP_SRCDIR/man/udptool-$c.1"
	t_check "$c has a manual page" test -f "$page"
	if [ "$c" != help ]; then
		# Every option the command takes is documented on its page: each
		# line of list-options is "--long[=]<TAB>-s<TAB>text", -s optional.
		for o in $("$UDPTOOL" list-options "$c" |
		    awk -F'\t' '{ sub(/=$/, "", $1); sub(/^--/, "", $1); print $1 ":" $2 }'); do
			long=${o%%:*}
			short=${o#*:}
			[ "$long" = help ] && continue
			t_check "udptool-$c.1 documents --$long${short:+ and $short}" \
			    documents "$page" "$long" "$short"
		done
	fi
done

# The lists written by hand, held to the command table.
cmds=$("$UDPTOOL" list-commands | cut -f1 | sort)
inman=$(sed -n 's/^\.It Cm \([a-z-]*\).*/\1/p' "$TOP_SRCDIR/man/udptool.1" | sort)
t_check "udptool.1 lists exactly the commands" test "$inman" = "$cmds"
inreadme=$(sed -n 's/^### \([a-z-]*\)$/\1/p' "$TOP_SRCDIR/README" | sort)
t_check "the README has a section for each command but help" \
    test "$inreadme" = "$(printf '%s\n' "$cmds" | grep -vx help)"

t_done
