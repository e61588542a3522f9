#!/bin/sh
# SPDX-License-Identifier: ISC
# udptool mask end to end: exact text and JSON, mask forms, assumed
# prefixes, the seed programs, --contains, --split and every error path.
# memcheck: skip (pure arithmetic, which the unit tests, ASan and the fuzzer cover; 150 runs)
set -eu
. "$(dirname "$0")/lib.sh"

# t_same DESC EXPECTED: compares $T_OUT with EXPECTED.
t_same() {
	if [ "$T_OUT" = "$2" ]; then
		t_ok "$1"
	else
		t_fail "$1" "got:" "$T_OUT" "expected:" "$2"
	fi
}

# t_err DESC MESSAGE ARGS...: exit 2, nothing on stdout, one stderr line
# containing MESSAGE.
t_err() {
	desc=$1
	msg=$2
	shift 2
	t_run "$UDPTOOL" mask "$@"
	if [ "$T_RC" -eq 2 ] && [ -z "$T_OUT" ] && t_contains "$T_ERR" "$msg" &&
	    [ "$(t_lines "$T_ERR")" -eq 1 ]; then
		t_ok "$desc"
	else
		t_fail "$desc" "exit $T_RC (want 2)" "stdout: $T_OUT" "stderr: $T_ERR" \
		    "wanted one line with: $msg"
	fi
}

# field LABEL: the value of a "Label:" line of $T_OUT.
field() {
	printf '%s\n' "$T_OUT" | sed -n "s|^$1: *||p"
}

t_expect_rc "IPv4 network" 0 "$UDPTOOL" mask 192.0.2.77/24
t_same "IPv4 text output" "Address:      192.0.2.77
Type:         documentation, TEST-NET-1 (RFC 5737)
Netmask:      255.255.255.0 = 24
Netmask hex:  ffffff00
Wildcard:     0.0.0.255
Network:      192.0.2.0/24
Broadcast:    192.0.2.255
HostMin:      192.0.2.1
HostMax:      192.0.2.254
Hosts/Net:    254
Addresses:    256
Host part:    0.0.0.77
Class:        C (historical; default mask 255.255.255.0 = 24)"

t_run "$UDPTOOL" mask -j 192.0.2.77/24
t_same "IPv4 JSON output" '{"family":"ipv4","address":"192.0.2.77","address_type":"documentation","address_type_rfc":"RFC 5737","prefix":24,"prefix_source":"given","netmask":"255.255.255.0","netmask_hex":"ffffff00","wildcard":"0.0.0.255","network":"192.0.2.0","broadcast":"192.0.2.255","host_min":"192.0.2.1","host_max":"192.0.2.254","hosts":254,"addresses":256,"host_part":"0.0.0.77","class":"C","class_netmask":"255.255.255.0","class_prefix":24}'

t_run "$UDPTOOL" mask 2001:db8::1:2/64
t_same "IPv6 text output" "Address:      2001:db8::1:2
Type:         documentation (RFC 3849)
Expanded:     2001:0db8:0000:0000:0000:0000:0001:0002
Netmask:      ffff:ffff:ffff:ffff:: = 64
Network:      2001:db8::/64
First:        2001:db8::
Last:         2001:db8::ffff:ffff:ffff:ffff
Addresses:    2^64 = 18446744073709551616
Host part:    ::1:2
Interface ID: 0:0:1:2"

t_run "$UDPTOOL" mask --json ::/0
t_same "IPv6 JSON output, 2^128 as a string" '{"family":"ipv6","address":"::","zone":null,"address_type":"unspecified","address_type_rfc":"RFC 4291","expanded":"0000:0000:0000:0000:0000:0000:0000:0000","prefix":0,"prefix_source":"given","netmask":"::","network":"::","first":"::","last":"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff","first_expanded":"0000:0000:0000:0000:0000:0000:0000:0000","last_expanded":"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff","addresses":"340282366920938463463374607431768211456","addresses_log2":128,"host_part":"::","interface_id":"0:0:0:0"}'

# Edge prefixes: /0, /1, /31 (RFC 3021), /32.
t_run "$UDPTOOL" mask 198.51.100.7/0
t_check "/0: 2^32 addresses, 2^32-2 hosts" test "$(field Addresses) $(field Hosts/Net)" = "4294967296 4294967294"
t_run "$UDPTOOL" mask 198.51.100.7/1
t_check "/1: network 128.0.0.0/1" test "$(field Network)" = "128.0.0.0/1"
t_run "$UDPTOOL" mask 198.51.100.7/31
t_check "/31: both addresses are hosts, no broadcast" test \
    "$(field HostMin) $(field HostMax) $(field Hosts/Net) $(field Broadcast)" = \
    "198.51.100.6 198.51.100.7 2 none (point-to-point link, RFC 3021)"
t_run "$UDPTOOL" mask 198.51.100.7/32
t_check "/32: one host" test \
    "$(field HostMin) $(field HostMax) $(field Hosts/Net) $(field Broadcast)" = \
    "198.51.100.7 198.51.100.7 1 none (single host)"
t_run "$UDPTOOL" mask -j 198.51.100.7/31
t_check "/31 JSON: broadcast null" t_contains "$T_OUT" '"broadcast":null,'
t_run "$UDPTOOL" mask 2001:db8::7/127
t_check "IPv6 /127: two addresses" test "$(field First) $(field Last) $(field Addresses)" = \
    "2001:db8::6 2001:db8::7 2^1 = 2"
t_run "$UDPTOOL" mask 2001:db8::7/128
t_check "IPv6 /128: one address" test "$(field First) $(field Last) $(field Addresses)" = \
    "2001:db8::7 2001:db8::7 2^0 = 1"

# Exact counts for every IPv6 prefix, checked against Python's integers.
if command -v python3 >/dev/null 2>&1; then
	want=$(python3 -c 'for p in range(129): print(p, 2 ** (128 - p))')
	got=$(p=0; while [ "$p" -le 128 ]; do
		printf '%s %s\n' "$p" "$("$UDPTOOL" mask "2001:db8::/$p" | sed -n 's/^Addresses:.*= //p')"
		p=$((p + 1))
	done)
	t_check "IPv6 address counts for /0-/128 match python3" test "$got" = "$want"
	n=0
	bad=""
	for a in 192.0.2.77/24 10.0.0.1/31 2001:db8::/0 ::ffff:192.0.2.1/120 224.0.0.1; do
		"$UDPTOOL" mask -j "$a" | python3 -c 'import json,sys; json.load(sys.stdin)' ||
		    bad="$bad $a"
		n=$((n + 1))
	done
	t_check "JSON parses with python3 ($n documents)" test -z "$bad"
	"$UDPTOOL" mask -j --split 26 192.0.2.0/24 | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["count"] == 4 and d["subnets"][3] == "192.0.2.192/26"' &&
	    t_ok "--split JSON parses" || t_fail "--split JSON parses"
else
	t_skip "IPv6 address counts against python3" "python3 is not installed"
	t_skip "JSON parses with python3" "python3 is not installed"
	t_skip "--split JSON parses" "python3 is not installed"
fi

# Every way of writing a mask gives the same network.
for m in "/16" "/255.255.0.0" "/ffff0000" "/0xffff0000" "/0XFFFF0000" " 16" " 255.255.0.0" " ffff0000" " 0xffff0000"; do
	# shellcheck disable=SC2086
	t_run "$UDPTOOL" mask 10.1.2.3$m
	t_check "mask written '10.1.2.3$m'" test "$(field Network) $(field 'Netmask hex')" = "10.1.0.0/16 ffff0000"
done
t_run "$UDPTOOL" mask 2001:db8::1 ffff:ffff:ffff::
t_check "IPv6 mask written as an address" test "$(field Network)" = "2001:db8::/48"
t_run "$UDPTOOL" mask 2001:db8::1/ffffffffffff00000000000000000000
t_check "IPv6 mask in hex" test "$(field Network)" = "2001:db8::/48"

# No mask: the historical class (IPv4) or /64 (IPv6), and the output says so.
t_run "$UDPTOOL" mask 10.1.2.3
t_check "class A assumed /8 and said" test "$(field Network) $(field Assumed)" = \
    "10.0.0.0/8 /8, the historical class A default, as no netmask was given"
t_run "$UDPTOOL" mask 172.16.1.1
t_check "class B assumed /16" test "$(field Network)" = "172.16.0.0/16"
t_run "$UDPTOOL" mask 192.0.2.1
t_check "class C assumed /24" test "$(field Network)" = "192.0.2.0/24"
t_run "$UDPTOOL" mask 224.0.0.251
t_check "class D assumed one address" test "$(field Network) $(field Class)" = \
    "224.0.0.251/32 D (historical; multicast, no default mask)"
t_run "$UDPTOOL" mask 2001:db8::1
t_check "IPv6 assumed /64 and said" test "$(field Network) $(field Assumed)" = \
    "2001:db8::/64 /64, the usual IPv6 subnet size, as no prefix was given"
t_run "$UDPTOOL" mask 192.0.2.1/24
t_check "no Assumed line when a mask is given" sh -c \
    'printf "%s\n" "$1" | grep -q "^Network" && ! printf "%s\n" "$1" | grep -q Assumed' sh "$T_OUT"
t_run "$UDPTOOL" mask -j 10.1.2.3
t_check "JSON names the prefix source" t_contains "$T_OUT" '"prefix":8,"prefix_source":"class"'

# The seed programs: IP prints the canonical form, Mask the default mask.
t_run "$UDPTOOL" mask 0:0:0:0:0:0:0:1
t_check "seed IP: 0:0:0:0:0:0:0:1 is ::1" test "$(field Address)" = "::1"
t_run "$UDPTOOL" mask 127.0.0.1
t_check "seed Mask 127.0.0.1: ff000000, /8, network 127.0.0.0" test \
    "$(field 'Netmask hex') $(field Netmask) $(field Network)" = \
    "ff000000 255.0.0.0 = 8 127.0.0.0/8"

# --contains
t_expect_rc "--contains inside: exit 0" 0 "$UDPTOOL" mask --contains 192.0.2.200 192.0.2.0/24
t_same "--contains inside says so" "192.0.2.200 is inside 192.0.2.0/24"
t_expect_rc "--contains outside: exit 1" 1 "$UDPTOOL" mask --contains 192.0.3.1 192.0.2.0/24
t_same "--contains outside says so" "192.0.3.1 is outside 192.0.2.0/24"
t_expect_rc "--contains network edge (broadcast)" 0 "$UDPTOOL" mask --contains 192.0.2.255 192.0.2.77/24
t_expect_rc "--contains a subnet" 0 "$UDPTOOL" mask --contains 192.0.2.128/25 192.0.2.0/24
t_expect_rc "--contains a supernet: outside" 1 "$UDPTOOL" mask --contains 192.0.0.0/16 192.0.2.0/24
t_expect_rc "--contains an IPv4-mapped address" 0 "$UDPTOOL" mask --contains ::ffff:192.0.2.9 192.0.2.0/24
t_expect_rc "--contains IPv6 in IPv4: outside" 1 "$UDPTOOL" mask --contains 2001:db8::1 192.0.2.0/24
t_expect_rc "--contains IPv6 inside" 0 "$UDPTOOL" mask --contains 2001:db8:ffff::1 2001:db8::/32
t_expect_rc "--contains IPv6 outside" 1 "$UDPTOOL" mask --contains 2001:db9::1 2001:db8::/32
t_expect_rc "--contains with a hex mask" 0 "$UDPTOOL" mask --contains 10.1.200.1 10.1.2.3 0xffff0000
t_expect_rc "-q --contains: inside, quiet" 0 "$UDPTOOL" mask -q --contains 10.1.2.3 10.0.0.0/8
t_check "-q prints nothing" test -z "$T_OUT$T_ERR"
t_expect_rc "-q --contains: outside, quiet" 1 "$UDPTOOL" mask -q --contains 11.1.2.3 10.0.0.0/8
t_check "-q prints nothing when outside" test -z "$T_OUT$T_ERR"
t_run "$UDPTOOL" mask --contains 10.200.0.1 10.1.2.3
t_check "--contains names the assumed prefix" t_contains "$T_OUT" \
    "10.200.0.1 is inside 10.0.0.0/8 (assumed /8, the historical class A default"
t_run "$UDPTOOL" mask -j --contains 192.0.3.1 192.0.2.0/24
t_same "--contains JSON" '{"address":"192.0.3.1","network":"192.0.2.0/24","prefix_source":"given","inside":false}'
t_err "--contains a bad address" "--contains: invalid network address '192.0.2'" --contains 192.0.2 192.0.2.0/24

# --split
t_expect_rc "--split /24 into /26" 0 "$UDPTOOL" mask --split 26 192.0.2.77/24
t_same "--split lists the four subnets" "192.0.2.0/26
192.0.2.64/26
192.0.2.128/26
192.0.2.192/26"
t_run "$UDPTOOL" mask --split /255.255.255.192 192.0.2.0/24
t_check "--split takes a dotted mask" test "$(t_lines "$T_OUT")" -eq 4
t_run "$UDPTOOL" mask --split 24 192.0.2.0/24
t_same "--split into the same prefix: itself" "192.0.2.0/24"
t_run "$UDPTOOL" mask --split 32 192.0.2.0/31
t_same "--split /31 into /32" "192.0.2.0/32
192.0.2.1/32"
t_run "$UDPTOOL" mask --split 50 2001:db8::/48
t_same "--split IPv6" "2001:db8::/50
2001:db8:0:4000::/50
2001:db8:0:8000::/50
2001:db8:0:c000::/50"
t_run "$UDPTOOL" mask --split 128 2001:db8::/127
t_same "--split IPv6 /127 into /128" "2001:db8::/128
2001:db8::1/128"
t_expect_rc "--split at the limit: 65536 subnets" 0 "$UDPTOOL" mask --split 24 10.0.0.0/8
t_check "--split at the limit lists all 65536" test \
    "$(t_lines "$T_OUT") $(printf '%s\n' "$T_OUT" | head -n 1) $(printf '%s\n' "$T_OUT" | tail -n 1)" = \
    "65536 10.0.0.0/24 10.255.255.0/24"
t_err "--split over the limit is refused" "splitting a /8 into /25 gives 2^17 subnets, more than the 65536 listed at most (use a prefix up to /24)" --split 25 10.0.0.0/8
t_err "--split of ::/0 into /128 is refused" "gives 2^128 subnets" --split 128 ::/0
t_err "--split into a shorter prefix" "cannot split a /24 into /16" --split 16 192.0.2.0/24
t_err "--split with a bad prefix" "--split: invalid prefix length '33' (0-32)" --split 33 192.0.2.0/24
t_err "--split with a non-contiguous mask" "non-contiguous netmask '255.0.255.0'" --split 255.0.255.0 10.0.0.0/8
t_run "$UDPTOOL" mask --split 10 10.1.2.3
t_check "--split on an assumed prefix says so on stderr" test \
    "$(t_lines "$T_OUT") $T_ERR" = \
    "4 udptool: mask: assuming /8, the historical class A default, as no netmask was given"

# Errors: exit 2, one line naming the bad value.
t_err "prefix too long" "invalid prefix length '33' (0-32)" 10.0.0.1/33
t_err "IPv6 prefix too long" "invalid prefix length '129' (0-128)" 2001:db8::/129
t_err "non-contiguous dotted mask" "non-contiguous netmask '255.0.255.0'" 10.0.0.1 255.0.255.0
t_err "non-contiguous hex mask" "non-contiguous netmask 'ff00ff00'" 10.0.0.1/ff00ff00
t_err "wildcard mask gets a hint" "non-contiguous netmask '0.0.0.255' (a wildcard mask? its inverse is 255.255.255.0)" 10.0.0.1 0.0.0.255
t_err "non-contiguous IPv6 mask" "non-contiguous netmask 'ffff::ffff'" 2001:db8::1 ffff::ffff
t_err "short hex mask" "invalid netmask 'ffff000'" 10.0.0.1/ffff000
t_err "garbage mask" "invalid netmask 'abc'" 10.0.0.1/abc
t_err "bad address" "invalid address '10.0.0.256'" 10.0.0.256/8
t_err "a name is not an address" "invalid address 'localhost'" localhost
t_err "empty mask after /" "missing netmask after '/' in '10.0.0.1/'" 10.0.0.1/
t_err "mask given twice" "netmask given twice: '8' and '255.0.0.0'" 10.0.0.1/8 255.0.0.0
t_err "dotted mask for IPv6" "invalid netmask '255.255.0.0'" 2001:db8::1 255.255.0.0
t_err "empty address" "empty address" ""
t_expect_rc "no address: usage error" 2 "$UDPTOOL" mask
t_check "no address: says what is missing" t_contains "$T_ERR" "missing address"
t_expect_rc "three arguments: usage error" 2 "$UDPTOOL" mask 10.0.0.1 8 9
t_expect_rc "an option after the address" 2 "$UDPTOOL" mask 10.0.0.0/8 --split 9
t_check "an option after the address is named" t_contains "$T_ERR" "options go before the address: '--split'"
# RFC 4007 section 11.7: ADDRESS%ZONE/PREFIX; the zone changes no arithmetic.
t_run "$UDPTOOL" mask fe80::1%lo/64
t_check "an IPv6 zone is taken and shown" test \
    "$T_RC $(field Address) $(field Network) $(field Type)" = \
    "0 fe80::1%lo fe80::/64 link-local unicast (RFC 4291)"
t_run "$UDPTOOL" mask -j fe80::1%eth0/10
t_check "JSON names the zone apart from the address" t_contains "$T_OUT" \
    '"address":"fe80::1","zone":"eth0","address_type":"link-local"'
t_err "a zone on an IPv4 address" "a zone needs an IPv6 address: '10.0.0.1%lo/8'" 10.0.0.1%lo/8
t_err "an empty zone" "missing scope after '%' in 'fe80::1%/64'" fe80::1%/64
t_err "a zone with a space" "invalid scope 'l o'" "fe80::1%l o/64"

# Prefix lengths with leading zeros are decimal, as Python's ipaddress reads them.
t_run "$UDPTOOL" mask 1.2.3.4/0024
t_check "1.2.3.4/0024 is a /24" test "$T_RC $(field Network)" = "0 1.2.3.0/24"
t_run "$UDPTOOL" mask ::/0100
t_check "::/0100 is a /100" test "$T_RC $(field Network)" = "0 ::/100"
t_run "$UDPTOOL" mask 10.0.0.0 010
t_check "a separate mask 010 is /10" test "$(field Network)" = "10.0.0.0/10"
t_err "/033 is out of range, named as written" "invalid prefix length '033' (0-32)" 1.2.3.4/033
if command -v python3 >/dev/null 2>&1; then
	t_check "python3 ipaddress agrees on 1.2.3.4/0024" test \
	    "$(python3 -c 'import ipaddress; print(ipaddress.ip_interface("1.2.3.4/0024").network)')" = "1.2.3.0/24"
else
	t_skip "python3 ipaddress agrees on 1.2.3.4/0024" "python3 is not installed"
fi

# The address type, from the IANA special-purpose registries.
for pair in 10.0.0.1=private 127.0.0.1=loopback 169.254.3.4=link-local \
    192.0.2.9=documentation 224.0.0.251=multicast 100.64.0.1=shared \
    ::ffff:10.0.0.1=ipv4-mapped fe80::1=link-local 2001:db8::5=documentation \
    fd12::1=unique-local ff05::2=multicast ::1=loopback 2606:4700::1=global; do
	t_run "$UDPTOOL" mask -j "${pair%%=*}"
	t_check "address type of ${pair%%=*} is ${pair#*=}" t_contains "$T_OUT" \
	    "\"address_type\":\"${pair#*=}\""
done

# Errors under -j: the message on stderr and an error object on stdout.
t_run "$UDPTOOL" mask -j 1.2.3.4/33
t_check "-j error: exit 2, one stderr line" test "$T_RC $(t_lines "$T_ERR")" = "2 1"
t_same "-j error: an error object on stdout" '{"error":"invalid prefix length '"'33'"' (0-32)"}'
t_run "$UDPTOOL" mask -j --split 40 10.0.0.0/8
t_same "-j --split error: an error object" '{"error":"--split: invalid prefix length '"'40'"' (0-32)"}'
t_run "$UDPTOOL" mask -j --contains nonsense 10.0.0.0/8
t_check "-j --contains error: exit 2 and an error object" test \
    "$T_RC $(printf '%s' "$T_OUT" | cut -c1-9)" = '2 {"error":'
t_expect_rc "--contains with --split" 2 "$UDPTOOL" mask --contains 10.0.0.1 --split 9 10.0.0.0/8
t_expect_rc "-q without --contains" 2 "$UDPTOOL" mask -q 10.0.0.0/8
t_expect_rc "unknown option" 2 "$UDPTOOL" mask --bogus 10.0.0.0/8
t_expect_rc "--help" 0 "$UDPTOOL" mask --help
for o in --json --quiet --contains --split; do
	t_check "--help lists $o" t_contains "$T_OUT" "$o"
done

t_done
