#!/bin/sh
# SPDX-License-Identifier: ISC
# mask agrees with ipcalc and sipcalc over a generated, deterministic sample
# of IPv4 and IPv6 networks that includes every edge prefix.
#
# Known, deliberate differences (also in udptool-mask(1)):
# - /31 and /32 have no broadcast address in udptool (RFC 3021); Debian's
#   ipcalc agrees and prints none, sipcalc prints the last address.
# - /31 has two usable hosts in udptool and ipcalc; sipcalc prints no
#   usable range for /31 and /32.
# - sipcalc counts 4294967295 addresses in 0.0.0.0/0; there are 2^32.
# --split is compared with sipcalc -s and -S as well.
# memcheck: skip (checks text and peers, the binary barely runs)
set -eu
. "$(dirname "$0")/lib.sh"
t_need ipcalc sipcalc awk

# Debian's ipcalc (0.4x) and the Red Hat one share the name, not the output.
case $(ipcalc -n -b 192.0.2.1/24 2>/dev/null) in
*HostMin:*) ;;
*) t_skip_all "ipcalc is not Debian's ipcalc (no HostMin line)" ;;
esac

# The sample: fixed addresses at every edge prefix, then pseudo-random
# networks from a Park-Miller generator with a fixed seed.
awk 'BEGIN {
	seed = 20261121
	n4 = split("0.0.0.0 255.255.255.255 10.1.2.3 127.0.0.1 172.31.255.255 " \
	    "192.0.2.77 198.51.100.1 203.0.113.254 224.0.0.1 240.1.2.3", a4, " ")
	n6 = split("::1 :: 2001:db8::1 2001:db8:0:1:1:1:1:1 fe80::1:2:3:4 " \
	    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 1:0:0:1:0:0:0:1 " \
	    "2001:db8:abcd:12::8000:1", a6, " ")
	np4 = split("0 1 2 7 8 9 15 16 17 23 24 25 29 30 31 32", p4, " ")
	np6 = split("0 1 2 16 31 32 33 48 63 64 65 96 112 126 127 128", p6, " ")
	for (i = 1; i <= n4; i++)
		for (j = 1; j <= np4; j++)
			print a4[i] "/" p4[j]
	for (i = 1; i <= n6; i++)
		for (j = 1; j <= np6; j++)
			print a6[i] "/" p6[j]
	for (k = 0; k < 120; k++) {
		s = ""
		for (i = 0; i < 4; i++)
			s = s (i ? "." : "") int(rnd() * 256)
		print s "/" int(rnd() * 33)
	}
	for (k = 0; k < 120; k++) {
		s = ""
		for (i = 0; i < 8; i++) {
			# Zero groups often, so that compression is exercised.
			g = rnd() < 0.35 ? 0 : int(rnd() * 65536)
			s = s (i ? ":" : "") sprintf("%x", g)
		}
		print s "/" int(rnd() * 129)
	}
}
function rnd() {
	seed = (seed * 16807) % 2147483647
	return seed / 2147483647
}' >"$T_TMP/sample"

# Any IPv6 text form (with "::" or a dotted tail) to eight groups of four.
EXPAND6_AWK='
function expand6(s,    head, tail, h, t, nh, nt, i, g, out, n, q) {
	if (s ~ /\./) {
		n = split(s, q, ":")
		split(q[n], g, ".")
		sub(/[^:]*$/, sprintf("%x:%x", g[1] * 256 + g[2], g[3] * 256 + g[4]), s)
	}
	nh = nt = 0
	if (index(s, "::")) {
		head = substr(s, 1, index(s, "::") - 1)
		tail = substr(s, index(s, "::") + 2)
		nh = head == "" ? 0 : split(head, h, ":")
		nt = tail == "" ? 0 : split(tail, t, ":")
		for (i = nh + 1; i <= 8 - nt; i++)
			h[i] = "0"
		for (i = 1; i <= nt; i++)
			h[8 - nt + i] = t[i]
	} else if (split(s, h, ":") != 8)
		return "BAD(" s ")"
	out = ""
	for (i = 1; i <= 8; i++)
		out = out (i > 1 ? ":" : "") sprintf("%4s", tolower(h[i]))
	gsub(/ /, "0", out)
	return out
}
'

# One file with every tool's answer for every network, compared in one pass.
while read -r net; do
	echo "@case $net"
	echo "@ours"
	"$UDPTOOL" mask "$net" 2>&1 || echo "exit status $?"
	echo "@ipcalc"
	ipcalc -n -b "$net" 2>&1 || true
	echo "@sipcalc"
	sipcalc "$net" 2>&1 || true
done <"$T_TMP/sample" >"$T_TMP/answers"

awk -v min4=280 -v min6=240 "$EXPAND6_AWK"'
function trim(s) {
	gsub(/^[ \t]+|[ \t]+$/, "", s)
	gsub(/[ \t]+/, " ", s)
	return s
}
function first(s) {
	sub(/ .*/, "", s)
	return s
}
function hexstrip(s) {
	s = toupper(s)
	sub(/^0+/, "", s)
	return s == "" ? "0" : s
}
function want(what, got, expect) {
	if (got != expect)
		bad = bad sprintf("%s: udptool \"%s\", expected \"%s\"; ", what, got, expect)
}
function check(    p, net, v6, ip, last, a, r) {
	if (cs == "")
		return
	p = cs
	sub(/.*\//, "", p)
	p = p + 0
	v6 = index(cs, ":") > 0
	bad = ""
	if (v6) {
		n6++
		net = O["Network"]
		want("network prefix", net, substr(net, 1, index(net, "/")) p)
		sub(/\/.*/, "", net)
		# ipcalc: the prefix, its length
		ip = first(I["Prefix"])
		# (the prefix length can run into the binary column of ipcalc)
		want("ipcalc Prefix", expand6(net), expand6(substr(ip, 1, index(ip, "/") - 1)))
		want("ipcalc Netmask", p, first(I["Netmask"]))
		# sipcalc: every field it prints
		want("sipcalc Expanded Address", O["Expanded"], S["Expanded Address"])
		want("sipcalc Compressed address (expanded)", expand6(O["Address"]), expand6(S["Compressed address"]))
		a = S["Subnet prefix (masked)"]
		want("sipcalc Subnet prefix", expand6(net) "/" p, expand6(substr(a, 1, index(a, "/") - 1)) substr(a, index(a, "/")))
		a = S["Address ID (masked)"]
		want("sipcalc Address ID", expand6(O["Host part"]), expand6(substr(a, 1, index(a, "/") - 1)))
		want("sipcalc Prefix address", expand6(first(O["Netmask"])), expand6(S["Prefix address"]))
		want("sipcalc Prefix length", p, S["Prefix length"])
		want("sipcalc Network range", expand6(O["First"]) " - " expand6(O["Last"]), S["Network range"])
		if (O["Address"] != S["Compressed address"])
			compress_diff = compress_diff " " O["Address"] "|" S["Compressed address"]
	} else {
		n4++
		net = O["Network"]
		sub(/\/.*/, "", net)
		last = p >= 31 ? O["HostMax"] : O["Broadcast"]
		# Debian ipcalc
		want("ipcalc Netmask", O["Netmask"], I["Netmask"])
		want("ipcalc Wildcard", O["Wildcard"], I["Wildcard"])
		if (p == 32) {
			want("ipcalc Hostroute", O["HostMin"], I["Hostroute"])
			want("ipcalc Hostroute (max)", O["HostMax"], I["Hostroute"])
			want("ipcalc Hostroute (network)", O["Network"], I["Hostroute"] "/32")
		} else {
			want("ipcalc Network", O["Network"], I["Network"])
			want("ipcalc HostMin", O["HostMin"], I["HostMin"])
			want("ipcalc HostMax", O["HostMax"], I["HostMax"])
		}
		if (p >= 31) {
			want("no broadcast", substr(O["Broadcast"], 1, 4), "none")
			want("ipcalc prints no broadcast either", I["Broadcast"], "")
		} else
			want("ipcalc Broadcast", O["Broadcast"], I["Broadcast"])
		want("ipcalc Hosts/Net", O["Hosts/Net"], first(I["Hosts/Net"]))
		# sipcalc
		want("sipcalc Network address", net, S["Network address"])
		want("sipcalc Network mask", first(O["Netmask"]), S["Network mask"])
		want("sipcalc Network mask (bits)", p, S["Network mask (bits)"])
		want("sipcalc Network mask (hex)", hexstrip(O["Netmask hex"]), S["Network mask (hex)"])
		want("sipcalc Cisco wildcard", O["Wildcard"], S["Cisco wildcard"])
		want("sipcalc Broadcast address (last address)", last, S["Broadcast address"])
		a = S["Addresses in network"]
		if (p == 0 && a == "4294967295")
			a = "4294967296"
		want("sipcalc Addresses in network", O["Addresses"], a)
		want("sipcalc Network range", net " - " last, S["Network range"])
		if (p <= 30)
			want("sipcalc Usable range", O["HostMin"] " - " O["HostMax"], S["Usable range"])
	}
	if (bad == "")
		print "ok\t" cs
	else
		print "fail\t" cs "\t" bad
	cs = ""
}
/^@case / { check(); cs = $2; split("", O); split("", I); split("", S); next }
/^@ours$/ { src = "O"; next }
/^@ipcalc$/ { src = "I"; next }
/^@sipcalc$/ { src = "S"; next }
src == "O" && /^[A-Za-z][A-Za-z \/]*:/ {
	k = substr($0, 1, index($0, ":") - 1)
	O[k] = trim(substr($0, index($0, ":") + 1))
	next
}
src == "I" && /^[A-Za-z\/]+:/ {
	k = substr($0, 1, index($0, ":") - 1)
	I[k] = trim(substr($0, index($0, ":") + 1))
	next
}
src == "S" && /\t- / {
	k = trim(substr($0, 1, index($0, "\t- ") - 1))
	v = trim(substr($0, index($0, "\t- ") + 3))
	if (v ~ / -$/) {
		getline cont
		v = v " " trim(cont)
	}
	S[k] = v
	next
}
END {
	check()
	print "count\t" n4 "\t" n6 "\t" min4 "\t" min6
	print "compress\t" compress_diff
}' "$T_TMP/answers" >"$T_TMP/verdicts"

while IFS='	' read -r verdict net detail; do
	case $verdict in
	ok) t_ok "$net agrees with ipcalc and sipcalc" ;;
	fail) t_fail "$net agrees with ipcalc and sipcalc" "$detail" ;;
	count)
		n6=${detail%%	*}
		t_check "compared at least 280 IPv4 networks ($net)" test "$net" -ge 280
		t_check "compared at least 240 IPv6 networks ($n6)" test "$n6" -ge 240
		;;
	compress)
		# RFC 5952 compression (udptool) versus sipcalc's, listed for the record.
		[ -n "$net" ] && echo "# compressed forms differing from sipcalc's:$net"
		;;
	esac
done <"$T_TMP/verdicts"


# --split against sipcalc -s (IPv4) and -S (IPv6): the same subnets in order.
for c in "192.0.2.0/24 26" "10.0.0.0/8 16" "198.51.100.77/30 32" \
    "0.0.0.0/0 4" "192.0.2.0/24 24" "2001:db8::/48 52" "2001:db8::/64 68" \
    "2001:db8::1/126 128" "::/0 3"; do
	# shellcheck disable=SC2086
	set -- $c
	opt=-s
	case $1 in *:*) opt=-S ;; esac
	ours=$("$UDPTOOL" mask --split "$2" "$1" | awk "$EXPAND6_AWK"'{
		a = $0
		sub(/\/.*/, "", a)
		print index(a, ":") ? expand6(a) : a
	}')
	theirs=$(sipcalc "$opt" "$2" "$1" | awk '/^Network/ {
		sub(/^Network[ \t]*- /, "")
		print $1
	}')
	if [ -n "$ours" ] && [ "$ours" = "$theirs" ]; then
		t_ok "--split $2 of $1 agrees with sipcalc $opt ($(t_lines "$ours") subnets)"
	else
		t_fail "--split $2 of $1 agrees with sipcalc $opt" "udptool: $ours" "sipcalc: $theirs"
	fi
done

t_done
