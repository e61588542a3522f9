/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for the netmask module: mask forms and rejections, IPv4 and
 * IPv6 arithmetic at the edge prefixes, exact counts, containment, splits.
 */
#include "config.h"

#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "netmask.h"

static void
parse_ok(const char *arg, const char *mask, struct netmask *nm)
{
	char err[NETMASK_ERRLEN] = "";

	if (netmask_parse(arg, mask, nm, err, sizeof err) != 0)
		fail_msg("'%s' '%s' rejected: %s", arg, mask ? mask : "", err);
}

static void
parse_bad(const char *arg, const char *mask, const char *msg)
{
	struct netmask nm;
	char err[NETMASK_ERRLEN] = "";

	if (netmask_parse(arg, mask, &nm, err, sizeof err) != -1)
		fail_msg("'%s' '%s' accepted", arg, mask ? mask : "");
	if (strstr(err, msg) == NULL)
		fail_msg("'%s': error '%s' lacks '%s'", arg, err, msg);
}

static const char *
fmt(const struct netmask *nm, const uint8_t *a)
{
	static char buf[4][NETMASK_STRLEN];
	static int n;

	n = (n + 1) % 4;
	return netmask_format(nm->bits, a, buf[n], sizeof buf[n]);
}

struct mask_case {
	const char *mask;
	int family;
	int prefix; /* -1: rejected */
	const char *msg;
};

static const struct mask_case masks[] = {
    {"0", AF_INET, 0, NULL},
    {"1", AF_INET, 1, NULL},
    {"/24", AF_INET, 24, NULL},
    {"024", AF_INET, 24, NULL},
    {"31", AF_INET, 31, NULL},
    {"32", AF_INET, 32, NULL},
    {"33", AF_INET, -1, "invalid prefix length '33' (0-32)"},
    {"128", AF_INET6, 128, NULL},
    {"129", AF_INET6, -1, "invalid prefix length '129' (0-128)"},
    {"1000", AF_INET, -1, "invalid prefix length '1000'"},
    {"255.255.0.0", AF_INET, 16, NULL},
    {"255.255.255.255", AF_INET, 32, NULL},
    {"0.0.0.0", AF_INET, 0, NULL},
    {"255.255.255.254", AF_INET, 31, NULL},
    {"128.0.0.0", AF_INET, 1, NULL},
    {"255.255.254.0", AF_INET, 23, NULL},
    {"255.0.255.0", AF_INET, -1, "non-contiguous netmask '255.0.255.0'"},
    {"255.255.255.253", AF_INET, -1, "non-contiguous netmask"},
    {"0.0.0.255", AF_INET, -1,
	"non-contiguous netmask '0.0.0.255' (a wildcard mask? its inverse "
	"is 255.255.255.0)"},
    {"255.255.0", AF_INET, -1, "invalid netmask '255.255.0'"},
    {"255.255.0.0.0", AF_INET, -1, "invalid netmask"},
    {"256.0.0.0", AF_INET, -1, "invalid netmask '256.0.0.0'"},
    {"ffff0000", AF_INET, 16, NULL},
    {"FFFFFF00", AF_INET, 24, NULL},
    {"0xffffff00", AF_INET, 24, NULL},
    {"0XFFFFFFFE", AF_INET, 31, NULL},
    {"0xffffffff", AF_INET, 32, NULL},
    {"00000000", AF_INET, 0, NULL},
    {"0x0", AF_INET, 0, NULL},
    {"0xffff", AF_INET, -1, "non-contiguous netmask '0xffff'"},
    {"ff00ff00", AF_INET, -1, "non-contiguous netmask 'ff00ff00'"},
    {"0x000000ff", AF_INET, -1,
	"(a wildcard mask? its inverse is 255.255.255.0)"},
    {"ffff000", AF_INET, -1, "invalid netmask 'ffff000'"},
    {"0xffff00000", AF_INET, -1, "invalid netmask"},
    {"0x", AF_INET, -1, "invalid netmask '0x'"},
    {"fffg0000", AF_INET, -1, "invalid netmask 'fffg0000'"},
    {"11111111", AF_INET, -1, "non-contiguous netmask '11111111'"},
    {"12345", AF_INET, -1, "invalid prefix length '12345'"},
    {"0024", AF_INET, 24, NULL},
    {"/0024", AF_INET, 24, NULL},
    {"00000000000000000000000000000032", AF_INET, 32, NULL},
    {"033", AF_INET, -1, "invalid prefix length '033' (0-32)"},
    {"0100", AF_INET6, 100, NULL},
    {"0000128", AF_INET6, 128, NULL},
    {"0129", AF_INET6, -1, "invalid prefix length '0129' (0-128)"},
    {"00000000", AF_INET, 0, NULL},
    {"80000000", AF_INET, 1, NULL},
    {"-1", AF_INET, -1, "invalid netmask '-1'"},
    {"+8", AF_INET, -1, "invalid netmask '+8'"},
    {" 8", AF_INET, -1, "invalid netmask ' 8'"},
    {"8 ", AF_INET, -1, "invalid netmask '8 '"},
    {"", AF_INET, -1, "empty netmask"},
    {"/", AF_INET, -1, "empty netmask"},
    {"ffff:ffff::", AF_INET6, 32, NULL},
    {"ffff:ffff:ffff:ffff::", AF_INET6, 64, NULL},
    {"::", AF_INET6, 0, NULL},
    {"ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe", AF_INET6, 127, NULL},
    {"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", AF_INET6, 128, NULL},
    {"ffff::ffff", AF_INET6, -1, "non-contiguous netmask 'ffff::ffff'"},
    {"ffffffffffffffff0000000000000000", AF_INET6, 64, NULL},
    {"0xffffffffffffffffffffffff00000000", AF_INET6, 96, NULL},
    {"255.255.0.0", AF_INET6, -1, "invalid netmask '255.255.0.0'"},
    {"ffff0000", AF_INET6, -1, "invalid netmask 'ffff0000'"},
    {"ffff:ffff::", AF_INET, -1, "invalid netmask 'ffff:ffff::'"},
    {"ffff:::", AF_INET6, -1, "invalid netmask 'ffff:::'"},
};

static void
test_masks(void **state)
{
	char err[NETMASK_ERRLEN];
	size_t i;
	int prefix, rc;

	(void)state;
	for (i = 0; i < sizeof masks / sizeof masks[0]; i++) {
		err[0] = '\0';
		prefix = -2;
		rc = netmask_parse_mask(
		    masks[i].mask, masks[i].family, &prefix, err, sizeof err);
		if (masks[i].prefix >= 0) {
			if (rc != 0)
				fail_msg("mask '%s' rejected: %s",
				    masks[i].mask, err);
			if (prefix != masks[i].prefix)
				fail_msg("mask '%s': prefix %d, expected %d",
				    masks[i].mask, prefix, masks[i].prefix);
		} else {
			if (rc != -1)
				fail_msg("mask '%s' accepted as /%d",
				    masks[i].mask, prefix);
			if (strstr(err, masks[i].msg) == NULL)
				fail_msg("mask '%s': error '%s' lacks '%s'",
				    masks[i].mask, err, masks[i].msg);
		}
	}
}

/* Every prefix survives the round trip through its dotted and hex forms. */
static void
test_mask_roundtrip(void **state)
{
	char err[NETMASK_ERRLEN], buf[NETMASK_STRLEN], hex[40];
	uint8_t m[16];
	int p, got;

	(void)state;
	for (p = 0; p <= 32; p++) {
		netmask_from_prefix(32, p, m);
		netmask_format(32, m, buf, sizeof buf);
		assert_int_equal(
		    netmask_parse_mask(buf, AF_INET, &got, err, sizeof err), 0);
		assert_int_equal(got, p);
		netmask_hex4(p, hex, sizeof hex);
		assert_int_equal(strlen(hex), 8);
		assert_int_equal(
		    netmask_parse_mask(hex, AF_INET, &got, err, sizeof err), 0);
		assert_int_equal(got, p);
	}
	for (p = 0; p <= 128; p++) {
		netmask_from_prefix(128, p, m);
		netmask_format(128, m, buf, sizeof buf);
		assert_int_equal(
		    netmask_parse_mask(buf, AF_INET6, &got, err, sizeof err),
		    0);
		assert_int_equal(got, p);
	}
	assert_string_equal(netmask_hex4(16, hex, sizeof hex), "ffff0000");
	assert_string_equal(netmask_hex4(0, hex, sizeof hex), "00000000");
	assert_string_equal(netmask_hex4(31, hex, sizeof hex), "fffffffe");
}

static void
test_parse_forms(void **state)
{
	struct netmask nm;

	(void)state;
	parse_ok("192.0.2.77/24", NULL, &nm);
	assert_int_equal(nm.family, AF_INET);
	assert_int_equal(nm.bits, 32);
	assert_int_equal(nm.prefix, 24);
	assert_int_equal(nm.source, NETMASK_GIVEN);
	/* The host bits are kept: the host part needs them. */
	assert_int_equal(nm.addr[3], 77);
	parse_ok("192.0.2.77/255.255.255.0", NULL, &nm);
	assert_int_equal(nm.prefix, 24);
	parse_ok("192.0.2.77/ffffff00", NULL, &nm);
	assert_int_equal(nm.prefix, 24);
	parse_ok("192.0.2.77", "0xfffffe00", &nm);
	assert_int_equal(nm.prefix, 23);
	parse_ok("192.0.2.77", "255.255.0.0", &nm);
	assert_int_equal(nm.prefix, 16);
	parse_ok("192.0.2.77", "8", &nm);
	assert_int_equal(nm.prefix, 8);
	parse_ok("2001:db8::1/48", NULL, &nm);
	assert_int_equal(nm.family, AF_INET6);
	assert_int_equal(nm.bits, 128);
	assert_int_equal(nm.prefix, 48);
	parse_ok("2001:db8::1", "ffff:ffff:ffff::", &nm);
	assert_int_equal(nm.prefix, 48);
	parse_ok("::ffff:192.0.2.1/120", NULL, &nm);
	assert_int_equal(nm.family, AF_INET6);
	assert_int_equal(nm.prefix, 120);
	assert_string_equal(nm.zone, "");
	/* RFC 4007 section 11.7: the zone goes before the prefix. */
	parse_ok("fe80::1%eth0/64", NULL, &nm);
	assert_int_equal(nm.family, AF_INET6);
	assert_int_equal(nm.prefix, 64);
	assert_int_equal(nm.addr[0], 0xfe);
	assert_int_equal(nm.addr[15], 1);
	assert_string_equal(nm.zone, "eth0");
	parse_ok("fe80::1%2", "ffff:ffff:ffff:ffff::", &nm);
	assert_string_equal(nm.zone, "2");
	assert_int_equal(nm.prefix, 64);
	parse_ok("fe80::1%lo", NULL, &nm);
	assert_int_equal(nm.source, NETMASK_V6_SUBNET);
	parse_ok("1.2.3.4/0024", NULL, &nm);
	assert_int_equal(nm.prefix, 24);
	parse_ok("::/0100", NULL, &nm);
	assert_int_equal(nm.prefix, 100);
}

static void
type_is(const char *addr, const char *name, const char *rfc)
{
	uint8_t a[16];
	const struct netmask_type *t;
	int bits = strchr(addr, ':') != NULL ? 128 : 32;

	assert_int_equal(
	    inet_pton(bits == 32 ? AF_INET : AF_INET6, addr, a), 1);
	t = netmask_type_of(bits, a);
	assert_non_null(t);
	if (strcmp(t->name, name) != 0 || strcmp(t->rfc, rfc) != 0)
		fail_msg("%s: %s (%s), expected %s (%s)", addr, t->name, t->rfc,
		    name, rfc);
}

/* The IANA special-purpose registries, most specific entry first. */
static void
test_address_type(void **state)
{
	(void)state;
	type_is("10.1.2.3", "private", "RFC 1918");
	type_is("172.16.0.1", "private", "RFC 1918");
	type_is("172.32.0.1", "global", "RFC 791");
	type_is("192.168.255.255", "private", "RFC 1918");
	type_is("100.64.0.1", "shared", "RFC 6598");
	type_is("127.0.0.53", "loopback", "RFC 1122");
	type_is("169.254.1.1", "link-local", "RFC 3927");
	type_is("192.0.0.5", "ietf-protocol", "RFC 7335");
	type_is("192.0.0.9", "anycast", "RFC 7723");
	type_is("192.0.0.100", "ietf-protocol", "RFC 6890");
	type_is("192.0.2.1", "documentation", "RFC 5737");
	type_is("198.51.100.7", "documentation", "RFC 5737");
	type_is("203.0.113.255", "documentation", "RFC 5737");
	type_is("198.19.255.255", "benchmarking", "RFC 2544");
	type_is("198.20.0.0", "global", "RFC 791");
	type_is("0.0.0.0", "unspecified", "RFC 1122");
	type_is("0.1.2.3", "this-network", "RFC 791");
	type_is("224.0.0.1", "multicast", "RFC 5771");
	type_is("239.255.255.250", "multicast", "RFC 5771");
	type_is("240.0.0.1", "reserved", "RFC 1112");
	type_is("255.255.255.255", "broadcast", "RFC 919");
	type_is("8.8.8.8", "global", "RFC 791");
	type_is("::", "unspecified", "RFC 4291");
	type_is("::1", "loopback", "RFC 4291");
	type_is("::2", "reserved", "RFC 4291");
	type_is("::ffff:10.0.0.1", "ipv4-mapped", "RFC 4291");
	type_is("64:ff9b::192.0.2.1", "nat64", "RFC 6052");
	type_is("64:ff9b:1::1", "nat64", "RFC 8215");
	type_is("100::1", "discard", "RFC 6666");
	type_is("2001::1", "teredo", "RFC 4380");
	type_is("2001:1::1", "anycast", "RFC 7723");
	type_is("2001:1::2", "anycast", "RFC 8155");
	type_is("2001:1::4", "ietf-protocol", "RFC 2928");
	type_is("2001:2::1", "benchmarking", "RFC 5180");
	type_is("2001:db8::1", "documentation", "RFC 3849");
	type_is("3fff:fff::1", "documentation", "RFC 9637");
	type_is("2001:100::1", "ietf-protocol", "RFC 2928");
	type_is("2001:200::1", "global", "RFC 4291");
	type_is("2002:c000:201::1", "6to4", "RFC 3056");
	type_is("fc00::1", "unique-local", "RFC 4193");
	type_is("fdff::1", "unique-local", "RFC 4193");
	type_is("fe80::1", "link-local", "RFC 4291");
	type_is("febf::1", "link-local", "RFC 4291");
	type_is("fec0::1", "reserved", "RFC 4291");
	type_is("ff02::1", "multicast", "RFC 4291");
	type_is("2a00:1450::1", "global", "RFC 4291");
	type_is("4000::1", "reserved", "RFC 4291");
}

static void
test_parse_defaults(void **state)
{
	struct netmask nm;

	(void)state;
	parse_ok("10.1.2.3", NULL, &nm);
	assert_int_equal(nm.prefix, 8);
	assert_int_equal(nm.source, NETMASK_CLASSFUL);
	parse_ok("127.0.0.1", NULL, &nm);
	assert_int_equal(nm.prefix, 8);
	parse_ok("0.0.0.0", NULL, &nm);
	assert_int_equal(nm.prefix, 8);
	parse_ok("128.0.0.1", NULL, &nm);
	assert_int_equal(nm.prefix, 16);
	parse_ok("191.255.255.255", NULL, &nm);
	assert_int_equal(nm.prefix, 16);
	parse_ok("192.0.2.1", NULL, &nm);
	assert_int_equal(nm.prefix, 24);
	assert_int_equal(nm.source, NETMASK_CLASSFUL);
	parse_ok("223.255.255.255", NULL, &nm);
	assert_int_equal(nm.prefix, 24);
	parse_ok("224.0.0.1", NULL, &nm);
	assert_int_equal(nm.prefix, 32);
	assert_int_equal(nm.source, NETMASK_HOST);
	parse_ok("255.255.255.255", NULL, &nm);
	assert_int_equal(nm.prefix, 32);
	assert_int_equal(nm.source, NETMASK_HOST);
	parse_ok("2001:db8::1", NULL, &nm);
	assert_int_equal(nm.prefix, NETMASK_V6_DEFAULT);
	assert_int_equal(nm.source, NETMASK_V6_SUBNET);
}

static void
test_parse_errors(void **state)
{
	char longarg[300];

	(void)state;
	parse_bad("", NULL, "empty address");
	parse_bad(NULL, NULL, "empty address");
	parse_bad("10.0.0", NULL, "invalid address '10.0.0'");
	parse_bad("10.0.0.256/8", NULL, "invalid address '10.0.0.256'");
	parse_bad("example.org/24", NULL, "invalid address 'example.org'");
	parse_bad("/24", NULL, "missing address before '/' in '/24'");
	parse_bad(
	    "10.0.0.1/", NULL, "missing netmask after '/' in '10.0.0.1/'");
	parse_bad("10.0.0.1/33", NULL, "invalid prefix length '33' (0-32)");
	parse_bad("10.0.0.1/24/8", NULL, "invalid netmask '24/8'");
	parse_bad("10.0.0.1/24", "255.0.0.0",
	    "netmask given twice: '24' and '255.0.0.0'");
	parse_bad("10.0.0.1/255.0.255.0", NULL,
	    "non-contiguous netmask '255.0.255.0'");
	parse_bad("10.0.0.1", "0.255.255.255", "its inverse is 255.0.0.0");
	parse_bad(
	    "2001:db8::1/129", NULL, "invalid prefix length '129' (0-128)");
	parse_bad("2001:db8::1/-1", NULL, "invalid netmask '-1'");
	parse_bad(
	    "10.0.0.1%lo", NULL, "a zone needs an IPv6 address: '10.0.0.1%lo'");
	parse_bad("fe80::1%/64", NULL, "missing scope after '%' in");
	parse_bad("fe80::1%a b/64", NULL, "invalid scope 'a b'");
	parse_bad("fe80::1%lo%lo/64", NULL, "invalid scope 'lo%lo'");
	parse_bad("fe80::1%abcdefghijklmnopq/64", NULL, "scope too long");
	parse_bad("fe80::zz%lo/64", NULL, "invalid address 'fe80::zz%lo/64'");
	parse_bad("::1::2/64", NULL, "invalid address '::1::2'");
	parse_bad("10.0.0.1\n/8", NULL, "invalid address '10.0.0.1\\x0a'");
	memset(longarg, '1', sizeof longarg - 1);
	longarg[sizeof longarg - 1] = '\0';
	parse_bad(longarg, NULL, "...'");
}

struct v4_case {
	const char *input;
	const char *network, *broadcast, *min, *max, *mask, *wildcard, *part;
	unsigned long long hosts, addresses;
};

static const struct v4_case v4[] = {
    {"192.0.2.77/24", "192.0.2.0", "192.0.2.255", "192.0.2.1", "192.0.2.254",
	"255.255.255.0", "0.0.0.255", "0.0.0.77", 254, 256},
    {"198.51.100.200/0", "0.0.0.0", "255.255.255.255", "0.0.0.1",
	"255.255.255.254", "0.0.0.0", "255.255.255.255", "198.51.100.200",
	4294967294ULL, 4294967296ULL},
    {"198.51.100.200/1", "128.0.0.0", "255.255.255.255", "128.0.0.1",
	"255.255.255.254", "128.0.0.0", "127.255.255.255", "70.51.100.200",
	2147483646ULL, 2147483648ULL},
    {"10.0.0.7/30", "10.0.0.4", "10.0.0.7", "10.0.0.5", "10.0.0.6",
	"255.255.255.252", "0.0.0.3", "0.0.0.3", 2, 4},
    {"10.0.0.7/31", "10.0.0.6", NULL, "10.0.0.6", "10.0.0.7", "255.255.255.254",
	"0.0.0.1", "0.0.0.1", 2, 2},
    {"10.0.0.7/32", "10.0.0.7", NULL, "10.0.0.7", "10.0.0.7", "255.255.255.255",
	"0.0.0.0", "0.0.0.0", 1, 1},
    {"172.16.5.4/12", "172.16.0.0", "172.31.255.255", "172.16.0.1",
	"172.31.255.254", "255.240.0.0", "0.15.255.255", "0.0.5.4", 1048574,
	1048576},
    {"127.0.0.1", "127.0.0.0", "127.255.255.255", "127.0.0.1",
	"127.255.255.254", "255.0.0.0", "0.255.255.255", "0.0.0.1", 16777214,
	16777216},
};

static void
test_v4(void **state)
{
	struct netmask nm;
	struct netmask_info in;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof v4 / sizeof v4[0]; i++) {
		parse_ok(v4[i].input, NULL, &nm);
		netmask_compute(&nm, &in);
		assert_string_equal(fmt(&nm, in.network), v4[i].network);
		if (v4[i].broadcast != NULL) {
			assert_true(in.has_broadcast);
			assert_string_equal(fmt(&nm, in.last), v4[i].broadcast);
		} else
			assert_false(in.has_broadcast);
		assert_string_equal(fmt(&nm, in.host_min), v4[i].min);
		assert_string_equal(fmt(&nm, in.host_max), v4[i].max);
		assert_string_equal(fmt(&nm, in.mask), v4[i].mask);
		assert_string_equal(fmt(&nm, in.wildcard), v4[i].wildcard);
		assert_string_equal(fmt(&nm, in.host_part), v4[i].part);
		assert_int_equal(in.hosts, v4[i].hosts);
		assert_int_equal((unsigned long long)1 << in.addresses_log2,
		    v4[i].addresses);
		{
			char dec[NETMASK_DECLEN];

			snprintf(dec, sizeof dec, "%llu", v4[i].addresses);
			assert_string_equal(in.addresses, dec);
		}
	}
}

static void
test_class(void **state)
{
	static const struct {
		uint8_t first;
		char cls;
		int prefix;
	} c[] = {
	    {0, 'A', 8},
	    {10, 'A', 8},
	    {127, 'A', 8},
	    {128, 'B', 16},
	    {191, 'B', 16},
	    {192, 'C', 24},
	    {223, 'C', 24},
	    {224, 'D', -1},
	    {239, 'D', -1},
	    {240, 'E', -1},
	    {255, 'E', -1},
	};
	uint8_t a[4] = {0, 1, 2, 3};
	size_t i;
	int p;

	(void)state;
	for (i = 0; i < sizeof c / sizeof c[0]; i++) {
		a[0] = c[i].first;
		assert_int_equal(netmask_class(a, &p), c[i].cls);
		assert_int_equal(p, c[i].prefix);
	}
}

struct v6_case {
	const char *input;
	const char *network, *last, *mask, *part;
	int log2;
	const char *count;
};

static const struct v6_case v6[] = {
    {"2001:db8:1:2:3:4:5:6/0", "::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
	"::", "2001:db8:1:2:3:4:5:6", 128,
	"340282366920938463463374607431768211456"},
    {"2001:db8:1:2:3:4:5:6/1", "::", "7fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
	"8000::", "2001:db8:1:2:3:4:5:6", 127,
	"170141183460469231731687303715884105728"},
    {"2001:db8:1:2:3:4:5:6/32",
	"2001:db8::", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff",
	"ffff:ffff::", "::1:2:3:4:5:6", 96, "79228162514264337593543950336"},
    {"2001:db8:1:2:3:4:5:6/64",
	"2001:db8:1:2::", "2001:db8:1:2:ffff:ffff:ffff:ffff",
	"ffff:ffff:ffff:ffff::", "::3:4:5:6", 64, "18446744073709551616"},
    {"2001:db8:1:2:3:4:5:6/127", "2001:db8:1:2:3:4:5:6", "2001:db8:1:2:3:4:5:7",
	"ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe", "::", 1, "2"},
    {"2001:db8:1:2:3:4:5:7/127", "2001:db8:1:2:3:4:5:6", "2001:db8:1:2:3:4:5:7",
	"ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe", "::1", 1, "2"},
    {"2001:db8:1:2:3:4:5:6/128", "2001:db8:1:2:3:4:5:6", "2001:db8:1:2:3:4:5:6",
	"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "::", 0, "1"},
    {"2001:db8::1:2", "2001:db8::", "2001:db8::ffff:ffff:ffff:ffff",
	"ffff:ffff:ffff:ffff::", "::1:2", 64, "18446744073709551616"},
    {"fe80::1/10", "fe80::", "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
	"ffc0::", "::1", 118, "332306998946228968225951765070086144"},
};

static void
test_v6(void **state)
{
	struct netmask nm;
	struct netmask_info in;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof v6 / sizeof v6[0]; i++) {
		parse_ok(v6[i].input, NULL, &nm);
		netmask_compute(&nm, &in);
		assert_string_equal(fmt(&nm, in.network), v6[i].network);
		assert_string_equal(fmt(&nm, in.last), v6[i].last);
		assert_string_equal(fmt(&nm, in.mask), v6[i].mask);
		assert_string_equal(fmt(&nm, in.host_part), v6[i].part);
		assert_int_equal(in.addresses_log2, v6[i].log2);
		assert_string_equal(in.addresses, v6[i].count);
		assert_int_equal(in.cls, 0);
	}
}

static void
test_pow2(void **state)
{
	char buf[NETMASK_DECLEN], want[32];
	int n;

	(void)state;
	for (n = 0; n < 64; n++) {
		snprintf(want, sizeof want, "%llu", 1ULL << n);
		assert_string_equal(netmask_pow2_dec(n, buf, sizeof buf), want);
	}
	assert_string_equal(
	    netmask_pow2_dec(64, buf, sizeof buf), "18446744073709551616");
	assert_string_equal(netmask_pow2_dec(127, buf, sizeof buf),
	    "170141183460469231731687303715884105728");
	assert_string_equal(netmask_pow2_dec(128, buf, sizeof buf),
	    "340282366920938463463374607431768211456");
	assert_null(netmask_pow2_dec(129, buf, sizeof buf));
	assert_null(netmask_pow2_dec(-1, buf, sizeof buf));
	/* 39 digits and the NUL do not fit in 39 bytes. */
	assert_null(netmask_pow2_dec(128, buf, 39));
}

static void
test_format(void **state)
{
	static const char *const same[] = {
	    "::",
	    "::1",
	    "1::",
	    "2001:db8::1",
	    "2001:db8:0:1:1:1:1:1",
	    "1:0:0:1::1",
	    "2001:0:0:1::1",
	    "2001:db8::1:0:0:1",
	    "::ffff:192.0.2.1",
	    "::ffff:0.0.0.0",
	    "::1:2",
	    "::a00:1",
	    "fe80::1:2:3:4",
	    "1:2:3:4:5:6:7:8",
	    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
	};
	uint8_t a[16];
	char buf[NETMASK_STRLEN];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof same / sizeof same[0]; i++) {
		assert_int_equal(inet_pton(AF_INET6, same[i], a), 1);
		assert_string_equal(
		    netmask_format(128, a, buf, sizeof buf), same[i]);
	}
	/* RFC 5952: leading zeros dropped, lower case, first longest run. */
	inet_pton(AF_INET6, "2001:0DB8:0:0:1:0:0:1", a);
	assert_string_equal(
	    netmask_format(128, a, buf, sizeof buf), "2001:db8::1:0:0:1");
	inet_pton(AF_INET6, "0:0:0:0:0:0:0:1", a);
	assert_string_equal(netmask_format(128, a, buf, sizeof buf), "::1");
	/* glibc would print these two as ::0.1.0.2 and ::192.0.2.1. */
	inet_pton(AF_INET6, "::1:2", a);
	assert_string_equal(netmask_format(128, a, buf, sizeof buf), "::1:2");
	inet_pton(AF_INET6, "::c000:201", a);
	assert_string_equal(
	    netmask_format(128, a, buf, sizeof buf), "::c000:201");
	assert_string_equal(netmask_expand6(a, buf, sizeof buf),
	    "0000:0000:0000:0000:0000:0000:c000:0201");
	inet_pton(AF_INET, "192.0.2.1", a);
	assert_string_equal(
	    netmask_format(32, a, buf, sizeof buf), "192.0.2.1");
}

static int
inside(const struct netmask *nm, const char *arg)
{
	char err[NETMASK_ERRLEN];

	return netmask_contains(nm, arg, err, sizeof err);
}

static void
test_contains(void **state)
{
	struct netmask nm;
	char err[NETMASK_ERRLEN];

	(void)state;
	parse_ok("192.0.2.77/24", NULL, &nm);
	assert_int_equal(inside(&nm, "192.0.2.0"), 1);
	assert_int_equal(inside(&nm, "192.0.2.255"), 1);
	assert_int_equal(inside(&nm, "192.0.3.0"), 0);
	assert_int_equal(inside(&nm, "192.0.1.255"), 0);
	assert_int_equal(inside(&nm, "192.0.2.128/25"), 1);
	assert_int_equal(inside(&nm, "192.0.2.0/24"), 1);
	assert_int_equal(inside(&nm, "192.0.0.0/23"), 0);
	assert_int_equal(inside(&nm, "::ffff:192.0.2.9"), 1);
	assert_int_equal(inside(&nm, "::ffff:192.0.3.9"), 0);
	assert_int_equal(inside(&nm, "2001:db8::1"), 0);
	assert_int_equal(netmask_contains(&nm, "192.0.2", err, sizeof err), -1);
	assert_non_null(strstr(err, "'192.0.2'"));
	assert_int_equal(
	    netmask_contains(&nm, "192.0.2.1/33", err, sizeof err), -1);
	assert_non_null(strstr(err, "'33'"));

	parse_ok("0.0.0.0/0", NULL, &nm);
	assert_int_equal(inside(&nm, "255.255.255.255"), 1);
	assert_int_equal(inside(&nm, "0.0.0.0/0"), 1);
	parse_ok("10.0.0.1/32", NULL, &nm);
	assert_int_equal(inside(&nm, "10.0.0.1"), 1);
	assert_int_equal(inside(&nm, "10.0.0.0"), 0);
	parse_ok("10.0.0.1/31", NULL, &nm);
	assert_int_equal(inside(&nm, "10.0.0.0"), 1);
	assert_int_equal(inside(&nm, "10.0.0.2"), 0);

	parse_ok("2001:db8::/32", NULL, &nm);
	assert_int_equal(inside(&nm, "2001:db8:ffff::1"), 1);
	assert_int_equal(inside(&nm, "2001:db9::"), 0);
	assert_int_equal(inside(&nm, "2001:db8:1::/48"), 1);
	assert_int_equal(inside(&nm, "2001::/16"), 0);
	assert_int_equal(inside(&nm, "192.0.2.1"), 0);
	parse_ok("::/0", NULL, &nm);
	assert_int_equal(inside(&nm, "ffff::1"), 1);
	parse_ok("2001:db8::1/128", NULL, &nm);
	assert_int_equal(inside(&nm, "2001:db8::1"), 1);
	assert_int_equal(inside(&nm, "2001:db8::2"), 0);
	parse_ok("2001:db8::1/127", NULL, &nm);
	assert_int_equal(inside(&nm, "2001:db8::"), 1);
	assert_int_equal(inside(&nm, "2001:db8::2"), 0);
	parse_ok("::ffff:0:0/96", NULL, &nm);
	assert_int_equal(inside(&nm, "::ffff:10.0.0.1"), 1);
	assert_int_equal(inside(&nm, "::fffe:10.0.0.1"), 0);
}

static void
test_split(void **state)
{
	struct netmask nm;
	struct netmask_info in;
	char err[NETMASK_ERRLEN];
	uint8_t sub[16];
	long n, i;

	(void)state;
	parse_ok("192.0.2.77/24", NULL, &nm);
	assert_int_equal(netmask_split_count(&nm, 26, err, sizeof err), 4);
	netmask_subnet(&nm, 26, 0, sub);
	assert_string_equal(fmt(&nm, sub), "192.0.2.0");
	netmask_subnet(&nm, 26, 3, sub);
	assert_string_equal(fmt(&nm, sub), "192.0.2.192");
	assert_int_equal(netmask_split_count(&nm, 24, err, sizeof err), 1);
	netmask_subnet(&nm, 24, 0, sub);
	assert_string_equal(fmt(&nm, sub), "192.0.2.0");
	assert_int_equal(netmask_split_count(&nm, 32, err, sizeof err), 256);
	netmask_subnet(&nm, 32, 255, sub);
	assert_string_equal(fmt(&nm, sub), "192.0.2.255");
	assert_int_equal(netmask_split_count(&nm, 23, err, sizeof err), -1);
	assert_non_null(strstr(err, "cannot split a /24 into /23"));
	assert_int_equal(netmask_split_count(&nm, 33, err, sizeof err), -1);
	assert_non_null(strstr(err, "invalid split prefix /33 (0-32)"));

	/* The largest split allowed and the first one refused. */
	parse_ok("10.0.0.0/8", NULL, &nm);
	assert_int_equal(netmask_split_count(&nm, 24, err, sizeof err), 65536);
	netmask_subnet(&nm, 24, 65535, sub);
	assert_string_equal(fmt(&nm, sub), "10.255.255.0");
	netmask_subnet(&nm, 24, 258, sub);
	assert_string_equal(fmt(&nm, sub), "10.1.2.0");
	assert_int_equal(netmask_split_count(&nm, 25, err, sizeof err), -1);
	assert_non_null(strstr(err, "2^17 subnets, more than the 65536"));
	assert_non_null(strstr(err, "up to /24"));
	parse_ok("0.0.0.0/0", NULL, &nm);
	assert_int_equal(netmask_split_count(&nm, 32, err, sizeof err), -1);
	assert_non_null(strstr(err, "2^32"));
	assert_int_equal(netmask_split_count(&nm, 1, err, sizeof err), 2);
	netmask_subnet(&nm, 1, 1, sub);
	assert_string_equal(fmt(&nm, sub), "128.0.0.0");

	/* Every subnet lies inside the network and they tile it in order. */
	parse_ok("2001:db8:abcd::/48", NULL, &nm);
	n = netmask_split_count(&nm, 56, err, sizeof err);
	assert_int_equal(n, 256);
	for (i = 0; i < n; i++) {
		char want[NETMASK_STRLEN];

		netmask_subnet(&nm, 56, i, sub);
		snprintf(want, sizeof want, "2001:db8:abcd:%lx00::", i);
		if (i == 0)
			snprintf(want, sizeof want, "2001:db8:abcd::");
		assert_string_equal(fmt(&nm, sub), want);
	}
	parse_ok("::/0", NULL, &nm);
	assert_int_equal(netmask_split_count(&nm, 128, err, sizeof err), -1);
	assert_non_null(strstr(err, "2^128 subnets"));
	assert_int_equal(netmask_split_count(&nm, 16, err, sizeof err), 65536);
	netmask_subnet(&nm, 16, 65535, sub);
	assert_string_equal(fmt(&nm, sub), "ffff::");
	parse_ok("2001:db8::1/127", NULL, &nm);
	assert_int_equal(netmask_split_count(&nm, 128, err, sizeof err), 2);
	netmask_subnet(&nm, 128, 1, sub);
	assert_string_equal(fmt(&nm, sub), "2001:db8::1");
	parse_ok("2001:db8::1/64", NULL, &nm);
	assert_int_equal(netmask_split_count(&nm, 80, err, sizeof err), 65536);
	netmask_subnet(&nm, 80, 65535, sub);
	assert_string_equal(fmt(&nm, sub), "2001:db8:0:0:ffff::");
	assert_int_equal(netmask_split_count(&nm, 81, err, sizeof err), -1);
	assert_int_equal(netmask_split_count(&nm, 129, err, sizeof err), -1);
	netmask_compute(&nm, &in);
	assert_string_equal(fmt(&nm, in.network), "2001:db8::");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_masks),
	    cmocka_unit_test(test_mask_roundtrip),
	    cmocka_unit_test(test_parse_forms),
	    cmocka_unit_test(test_address_type),
	    cmocka_unit_test(test_parse_defaults),
	    cmocka_unit_test(test_parse_errors),
	    cmocka_unit_test(test_v4),
	    cmocka_unit_test(test_class),
	    cmocka_unit_test(test_v6),
	    cmocka_unit_test(test_pow2),
	    cmocka_unit_test(test_format),
	    cmocka_unit_test(test_contains),
	    cmocka_unit_test(test_split),
	};

	return cmocka_run_group_tests_name("netmask", tests, NULL, NULL);
}
