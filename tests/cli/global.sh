#!/bin/sh
# SPDX-License-Identifier: ISC
# The global interface: help, version, the command table, prefixes, errors.
set -eu
. "$(dirname "$0")/lib.sh"

t_expect_rc "--help exits 0" 0 "$UDPTOOL" --help
t_check "--help lists commands" t_contains "$T_OUT" "Commands:"
t_check "--help has nothing on stderr" test -z "$T_ERR"

t_expect_rc "--version exits 0" 0 "$UDPTOOL" --version
first=$(printf '%s\n' "$T_OUT" | head -n 1)
t_check "--version first line is 'udptool X.Y.Z'" \
    sh -c 'printf "%s\n" "$1" | grep -Eq "^udptool [0-9]+\.[0-9]+\.[0-9]+$"' sh "$first"

t_expect_rc "no arguments is a usage error" 2 "$UDPTOOL"
t_check "no arguments prints usage on stderr" t_contains "$T_ERR" "usage: udptool"

t_expect_rc "unknown command exits 2" 2 "$UDPTOOL" frobnicate
t_check "unknown command is named with a hint" \
    t_contains "$T_ERR" "unknown command 'frobnicate' (try 'udptool help'"
t_check "unknown command message is one line" test "$(t_lines "$T_ERR")" -eq 1

t_expect_rc "unknown global option exits 2" 2 "$UDPTOOL" --frob
t_check "unknown global option is named" t_contains "$T_ERR" "'--frob'"

t_expect_rc "help exits 0" 0 "$UDPTOOL" help
t_check "help matches --help" test "$T_OUT" = "$("$UDPTOOL" --help)"

t_expect_rc "list-commands exits 0" 0 "$UDPTOOL" list-commands
cmds=$(printf '%s\n' "$T_OUT" | cut -f1)
t_check "list-commands lists help" t_contains "$cmds" "help"
t_check "list-commands hides itself" sh -c '! printf "%s\n" "$1" | grep -qx list-commands' sh "$cmds"

for c in $cmds; do
	t_expect_rc "$c --help exits 0" 0 "$UDPTOOL" "$c" --help
	t_check "$c --help shows its usage" t_contains "$T_OUT" "usage: udptool $c"
	t_expect_rc "help $c exits 0 without a terminal" 0 "$UDPTOOL" help "$c"
	t_check "help $c shows the help text" t_contains "$T_OUT" "usage: udptool $c"
	t_check "--help lists $c" sh -c '"$1" --help | grep -q "^  $2 "' sh "$UDPTOOL" "$c"
	if [ "$c" != help ]; then
		t_expect_rc "$c with a bad option exits 2" 2 "$UDPTOOL" "$c" --no-such-option
		t_check "$c bad option is named in one line" test "$T_ERR" = \
		    "udptool: $c: unknown option '--no-such-option' (see 'udptool $c --help')"
		t_expect_rc "$c with an unknown short option exits 2" 2 "$UDPTOOL" "$c" -Z
		t_check "$c names the unknown short option" test "$T_ERR" = \
		    "udptool: $c: unknown option '-Z' (see 'udptool $c --help')"
		# An option that takes a value, given none, says so.
		vopt=$("$UDPTOOL" list-options "$c" | awk -F'\t' '$1 ~ /=$/ && $2 != "" { print $2; exit }')
		if [ -n "$vopt" ]; then
			t_expect_rc "$c $vopt without its value exits 2" 2 "$UDPTOOL" "$c" "$vopt"
			t_check "$c $vopt without its value says so" test "$T_ERR" = \
			    "udptool: $c: option '$vopt' needs a value (see 'udptool $c --help')"
		fi
	fi
done

# A unique prefix selects the command.
t_expect_rc "a unique prefix runs the command" 0 "$UDPTOOL" hel --help
t_check "the prefix ran help" t_contains "$T_OUT" "usage: udptool help"

t_expect_rc "help of an unknown command exits 2" 2 "$UDPTOOL" help frobnicate
t_check "help names the unknown command" t_contains "$T_ERR" "'frobnicate'"

# An ambiguous prefix lists the candidates (needs two commands sharing a letter).
amb=""
for c in $cmds; do
	p=$(printf '%s' "$c" | cut -c1)
	n=$(printf '%s\n' "$cmds" | grep -c "^$p" || true)
	if [ "$n" -gt 1 ]; then amb=$p; break; fi
done
if [ -n "$amb" ]; then
	t_expect_rc "ambiguous prefix '$amb' exits 2" 2 "$UDPTOOL" "$amb"
	t_check "ambiguous prefix lists candidates" t_contains "$T_ERR" "ambiguous command '$amb', could be:"
else
	t_skip "ambiguous prefix" "no two commands share a first letter yet"
fi

# Output that cannot be written is an error, not a silent success.
if [ -w /dev/full ]; then
	rc=0
	"$UDPTOOL" --help >/dev/full 2>"$T_TMP/full.err" || rc=$?
	t_check "--help to a full disk exits 2" test "$rc" -eq 2
	t_check "a full disk is reported" grep -q "write error" "$T_TMP/full.err"
fi

t_done
