/* SPDX-License-Identifier: ISC */
/*
 * Netmask arithmetic for IPv4 and IPv6 on byte arrays, so that /0 and 2^128
 * need no wide integer type; no I/O, errors are returned as messages.
 */
#include "config.h"

#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "errmsg.h"
#include "netmask.h"
#include "num.h"

#define NETMASK_INPUT_MAX 128 /* longer arguments are not addresses */

static int
netmask_bit(const uint8_t *a, int i)
{
	return (a[i / 8] >> (7 - i % 8)) & 1;
}

static void
netmask_set_bit(uint8_t *a, int i)
{
	a[i / 8] |= (uint8_t)(0x80 >> (i % 8));
}

void
netmask_from_prefix(int bits, int prefix, uint8_t *mask)
{
	int i;

	memset(mask, 0, (size_t)bits / 8);
	for (i = 0; i < prefix && i < bits; i++)
		netmask_set_bit(mask, i);
}

/* Returns the prefix length of a contiguous mask, or -1 if it has holes. */
static int
netmask_mask_prefix(const uint8_t *mask, int bits)
{
	int i, n;

	for (n = 0; n < bits && netmask_bit(mask, n); n++)
		;
	for (i = n; i < bits; i++) {
		if (netmask_bit(mask, i))
			return -1;
	}
	return n;
}

/*
 * Reads a hex mask: "0x" and 1 to bits/4 digits (a number, so short forms
 * are padded on the left), or exactly bits/4 digits without "0x" (the form
 * Go's IPMask.String prints).  Returns 0, or -1 if s is not one.
 */
static int
netmask_read_hex(const char *s, int bits, uint8_t *mask)
{
	const char *p = s;
	size_t n, i, width = (size_t)bits / 4;
	int v;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		p += 2;
	n = strlen(p);
	if (n == 0 || n > width || (p == s && n != width))
		return -1;
	memset(mask, 0, (size_t)bits / 8);
	for (i = 0; i < n; i++) {
		v = num_hexval((unsigned char)p[i]);
		if (v < 0)
			return -1;
		/* Digit i counted from the right lands in nibble width-n+i. */
		mask[(width - n + i) / 2] |=
		    (uint8_t)((width - n + i) % 2 == 0 ? v << 4 : v);
	}
	return 0;
}

int
netmask_parse_mask(
    const char *s, int family, int *prefix, char *err, size_t errlen)
{
	uint8_t mask[16], inv[16];
	char show[96], good[NETMASK_STRLEN];
	int bits = family == AF_INET ? 32 : 128;
	int i, n, all_digits = 1;
	size_t len;

	if (s[0] == '/')
		s++;
	len = strlen(s);
	if (len == 0)
		return errmsg_set(err, errlen, "empty netmask");
	if (len > NETMASK_INPUT_MAX)
		return errmsg_set(err, errlen, "invalid netmask '%s'",
		    errmsg_quote(s, show, sizeof show));
	for (i = 0; s[i] != '\0'; i++) {
		if (!isdigit((unsigned char)s[i]))
			all_digits = 0;
	}
	/*
	 * Digits alone are a decimal prefix length, leading zeros and all
	 * ("0024" is 24, as Python's ipaddress reads it), unless there are
	 * exactly bits/4 of them: that is the hex mask Go prints
	 * ("80000000" is /1).
	 */
	if (all_digits && len != (size_t)bits / 4) {
		n = 0;
		for (i = 0; s[i] != '\0' && n <= bits; i++)
			n = n * 10 + (s[i] - '0');
		if (n > bits)
			return errmsg_set(err, errlen,
			    "invalid prefix length '%s' (0-%d)",
			    errmsg_quote(s, show, sizeof show), bits);
		*prefix = n;
		return 0;
	}
	if (family == AF_INET && strchr(s, '.') != NULL) {
		if (inet_pton(AF_INET, s, mask) != 1)
			return errmsg_set(err, errlen, "invalid netmask '%s'",
			    errmsg_quote(s, show, sizeof show));
	} else if (family == AF_INET6 && strchr(s, ':') != NULL) {
		if (inet_pton(AF_INET6, s, mask) != 1)
			return errmsg_set(err, errlen, "invalid netmask '%s'",
			    errmsg_quote(s, show, sizeof show));
	} else if (netmask_read_hex(s, bits, mask) != 0) {
		return errmsg_set(err, errlen,
		    family == AF_INET
			? "invalid netmask '%s' (a prefix length, "
			  "255.255.0.0 or ffff0000)"
			: "invalid netmask '%s' (a prefix length or "
			  "ffff:ffff::)",
		    errmsg_quote(s, show, sizeof show));
	}
	n = netmask_mask_prefix(mask, bits);
	if (n >= 0) {
		*prefix = n;
		return 0;
	}
	/* A Cisco wildcard (inverse) mask is a common slip: name the fix. */
	for (i = 0; i < bits / 8; i++)
		inv[i] = (uint8_t)~mask[i];
	if (netmask_mask_prefix(inv, bits) >= 0)
		return errmsg_set(err, errlen,
		    "non-contiguous netmask '%s' "
		    "(a wildcard mask? its inverse is %s)",
		    errmsg_quote(s, show, sizeof show),
		    netmask_format(bits, inv, good, sizeof good));
	return errmsg_set(err, errlen, "non-contiguous netmask '%s'",
	    errmsg_quote(s, show, sizeof show));
}

char
netmask_class(const uint8_t *addr4, int *default_prefix)
{
	if (addr4[0] < 128) {
		*default_prefix = 8;
		return 'A';
	}
	if (addr4[0] < 192) {
		*default_prefix = 16;
		return 'B';
	}
	if (addr4[0] < 224) {
		*default_prefix = 24;
		return 'C';
	}
	*default_prefix = -1;
	return addr4[0] < 240 ? 'D' : 'E';
}

int
netmask_parse(const char *arg, const char *mask, struct netmask *nm, char *err,
    size_t errlen)
{
	char buf[NETMASK_INPUT_MAX + 1], show[96], show2[96], *zone;
	const char *slash;
	size_t alen;
	int cp;

	memset(nm, 0, sizeof *nm);
	if (arg == NULL || *arg == '\0')
		return errmsg_set(err, errlen, "empty address");
	if (strlen(arg) > NETMASK_INPUT_MAX)
		return errmsg_set(err, errlen, "invalid address '%s'",
		    errmsg_quote(arg, show, sizeof show));
	slash = strchr(arg, '/');
	alen = slash != NULL ? (size_t)(slash - arg) : strlen(arg);
	memcpy(buf, arg, alen);
	buf[alen] = '\0';
	/*
	 * RFC 4007 section 11.7: fe80::1%eth0/64.  The zone names a link, not
	 * a network, so it changes no arithmetic; it is kept for display.
	 */
	if ((zone = strchr(buf, '%')) != NULL) {
		*zone++ = '\0';
		if (inet_pton(AF_INET6, buf, nm->addr) != 1)
			return errmsg_set(err, errlen,
			    strchr(buf, ':') == NULL
				? "a zone needs an IPv6 address: '%s'"
				: "invalid address '%s'",
			    errmsg_quote(arg, show, sizeof show));
		if (addr_check_scope(zone, arg, err, errlen) != 0)
			return -1;
		snprintf(nm->zone, sizeof nm->zone, "%s", zone);
		nm->family = AF_INET6;
		nm->bits = 128;
	} else if (inet_pton(AF_INET, buf, nm->addr) == 1) {
		nm->family = AF_INET;
		nm->bits = 32;
	} else if (inet_pton(AF_INET6, buf, nm->addr) == 1) {
		nm->family = AF_INET6;
		nm->bits = 128;
	} else if (alen == 0)
		return errmsg_set(err, errlen,
		    "missing address before '/' in '%s'",
		    errmsg_quote(arg, show, sizeof show));
	else
		return errmsg_set(err, errlen, "invalid address '%s'",
		    errmsg_quote(buf, show, sizeof show));

	if (slash != NULL && mask != NULL)
		return errmsg_set(err, errlen,
		    "netmask given twice: '%s' and '%s'",
		    errmsg_quote(slash + 1, show, sizeof show),
		    errmsg_quote(mask, show2, sizeof show2));
	if (slash != NULL && slash[1] == '\0')
		return errmsg_set(err, errlen,
		    "missing netmask after '/' in '%s'",
		    errmsg_quote(arg, show, sizeof show));
	if (slash != NULL || mask != NULL) {
		if (netmask_parse_mask(slash != NULL ? slash + 1 : mask,
			nm->family, &nm->prefix, err, errlen) != 0)
			return -1;
		nm->source = NETMASK_GIVEN;
		return 0;
	}
	if (nm->family == AF_INET6) {
		nm->prefix = NETMASK_V6_DEFAULT;
		nm->source = NETMASK_V6_SUBNET;
		return 0;
	}
	netmask_class(nm->addr, &cp);
	if (cp < 0) {
		/* Classes D and E never had a network/host split. */
		nm->prefix = 32;
		nm->source = NETMASK_HOST;
	} else {
		nm->prefix = cp;
		nm->source = NETMASK_CLASSFUL;
	}
	return 0;
}

char *
netmask_pow2_dec(int n, char *buf, size_t size)
{
	uint8_t d[NETMASK_DECLEN]; /* little-endian decimal digits */
	int len = 1, i, carry, v;

	if (n < 0 || n > 128)
		return NULL;
	d[0] = 1;
	while (n-- > 0) {
		carry = 0;
		for (i = 0; i < len; i++) {
			v = d[i] * 2 + carry;
			d[i] = (uint8_t)(v % 10);
			carry = v / 10;
		}
		if (carry)
			d[len++] = (uint8_t)carry;
	}
	if ((size_t)len + 1 > size)
		return NULL;
	for (i = 0; i < len; i++)
		buf[i] = (char)('0' + d[len - 1 - i]);
	buf[len] = '\0';
	return buf;
}

char *
netmask_format(int bits, const uint8_t *addr, char *buf, size_t size)
{
	struct in6_addr a6;

	if (bits == 128) {
		memcpy(&a6, addr, sizeof a6);
		return addr_format_in6(&a6, buf, size);
	}
	snprintf(buf, size, "%u.%u.%u.%u", addr[0], addr[1], addr[2], addr[3]);
	return buf;
}

char *
netmask_expand6(const uint8_t *a, char *buf, size_t size)
{
	snprintf(buf, size,
	    "%02x%02x:%02x%02x:%02x%02x:%02x%02x:"
	    "%02x%02x:%02x%02x:%02x%02x:%02x%02x",
	    a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10],
	    a[11], a[12], a[13], a[14], a[15]);
	return buf;
}

char *
netmask_hex4(int prefix, char *buf, size_t size)
{
	uint8_t m[4];

	netmask_from_prefix(32, prefix, m);
	snprintf(buf, size, "%02x%02x%02x%02x", m[0], m[1], m[2], m[3]);
	return buf;
}

void
netmask_compute(const struct netmask *nm, struct netmask_info *info)
{
	int i, n = nm->bits / 8, host_bits = nm->bits - nm->prefix;

	memset(info, 0, sizeof *info);
	netmask_from_prefix(nm->bits, nm->prefix, info->mask);
	for (i = 0; i < n; i++) {
		info->wildcard[i] = (uint8_t)~info->mask[i];
		info->network[i] = nm->addr[i] & info->mask[i];
		info->last[i] = nm->addr[i] | info->wildcard[i];
		info->host_part[i] = nm->addr[i] & info->wildcard[i];
	}
	info->addresses_log2 = host_bits;
	netmask_pow2_dec(host_bits, info->addresses, sizeof info->addresses);
	memcpy(info->host_min, info->network, (size_t)n);
	memcpy(info->host_max, info->last, (size_t)n);
	if (nm->family != AF_INET)
		return;
	info->cls = netmask_class(nm->addr, &info->class_prefix);
	if (host_bits >= 2) {
		/* The network and broadcast addresses are not hosts. */
		info->has_broadcast = 1;
		info->host_min[3]++;
		info->host_max[3]--;
		info->hosts = ((uint64_t)1 << host_bits) - 2;
	} else {
		/* RFC 3021: both addresses of a /31 are hosts; a /32 is one. */
		info->hosts = (uint64_t)1 << host_bits;
	}
}

long
netmask_split_count(
    const struct netmask *nm, int newprefix, char *err, size_t errlen)
{
	int extra = newprefix - nm->prefix;

	if (newprefix < 0 || newprefix > nm->bits)
		return errmsg_set(err, errlen,
		    "invalid split prefix /%d (0-%d)", newprefix, nm->bits);
	if (extra < 0)
		return errmsg_set(err, errlen,
		    "cannot split a /%d into /%d: the new prefix must not be "
		    "shorter",
		    nm->prefix, newprefix);
	if (extra > NETMASK_SPLIT_BITS)
		return errmsg_set(err, errlen,
		    "splitting a /%d into /%d gives 2^%d subnets, more than "
		    "the %d listed at most (use a prefix up to /%d)",
		    nm->prefix, newprefix, extra, NETMASK_SPLIT_MAX,
		    nm->prefix + NETMASK_SPLIT_BITS);
	return 1L << extra;
}

void
netmask_subnet(
    const struct netmask *nm, int newprefix, long index, uint8_t *out)
{
	uint8_t mask[16];
	int i, b;

	netmask_from_prefix(nm->bits, nm->prefix, mask);
	for (i = 0; i < nm->bits / 8; i++)
		out[i] = nm->addr[i] & mask[i];
	/* The index fills the bits between the old and the new prefix. */
	for (b = 0; b < newprefix - nm->prefix && b < 63; b++) {
		if (index & (1L << b))
			netmask_set_bit(out, newprefix - 1 - b);
	}
}

int
netmask_contains(
    const struct netmask *nm, const char *arg, char *err, size_t errlen)
{
	struct addr_cidr net, in;
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	uint8_t mask[16];
	int i;

	if (addr_parse_cidr(arg, &in, err, errlen) != 0)
		return -1;
	/* An IPv4-mapped IPv6 network is its IPv4 network. */
	if (in.family == AF_INET6 && nm->family == AF_INET &&
	    IN6_IS_ADDR_V4MAPPED((const struct in6_addr *)(void *)in.addr) &&
	    in.prefix >= 96) {
		in.family = AF_INET;
		memmove(in.addr, in.addr + 12, 4);
		in.prefix -= 96;
	}
	if (in.family != nm->family || in.prefix < nm->prefix)
		return 0;
	memset(&net, 0, sizeof net);
	net.family = nm->family;
	net.prefix = nm->prefix;
	netmask_from_prefix(nm->bits, nm->prefix, mask);
	for (i = 0; i < nm->bits / 8; i++)
		net.addr[i] = nm->addr[i] & mask[i];
	memset(&ss, 0, sizeof ss);
	if (in.family == AF_INET) {
		sin->sin_family = AF_INET;
		memcpy(&sin->sin_addr, in.addr, 4);
	} else {
		sin6->sin6_family = AF_INET6;
		memcpy(&sin6->sin6_addr, in.addr, 16);
		/* addr_cidr_contains would read a mapped address as IPv4. */
		if (IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr)) {
			for (i = 0; i < 16 && i * 8 < nm->prefix; i++) {
				if ((in.addr[i] & mask[i]) != net.addr[i])
					return 0;
			}
			return 1;
		}
	}
	return addr_cidr_contains(&net, (struct sockaddr *)&ss);
}

struct netmask_type_entry {
	uint8_t prefix[16];
	int len;
	struct netmask_type type;
};

/*
 * The IANA IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890 and
 * the RFCs each row names), plus the multicast and limited-broadcast
 * blocks, which the registries leave to their own documents.  The lookup
 * takes the longest matching prefix, so nested rows (192.0.0.0/24 and
 * 192.0.0.9/32, 2001::/23 and 2001:db8::/32) may come in any order.
 */
static const struct netmask_type_entry netmask_types4[] = {
    {{0}, 8, {"this-network", "\"this network\"", "RFC 791"}},
    {{0, 0, 0, 0}, 32, {"unspecified", "unspecified", "RFC 1122"}},
    {{10}, 8, {"private", "private", "RFC 1918"}},
    {{100, 64}, 10, {"shared", "shared address space, CGN", "RFC 6598"}},
    {{127}, 8, {"loopback", "loopback", "RFC 1122"}},
    {{169, 254}, 16, {"link-local", "link-local", "RFC 3927"}},
    {{172, 16}, 12, {"private", "private", "RFC 1918"}},
    {{192, 0, 0}, 24,
	{"ietf-protocol", "IETF protocol assignments", "RFC 6890"}},
    {{192, 0, 0, 0}, 29,
	{"ietf-protocol", "IPv4 service continuity prefix", "RFC 7335"}},
    {{192, 0, 0, 8}, 32, {"ietf-protocol", "IPv4 dummy address", "RFC 7600"}},
    {{192, 0, 0, 9}, 32,
	{"anycast", "port control protocol anycast", "RFC 7723"}},
    {{192, 0, 0, 10}, 32,
	{"anycast", "traversal using relays around NAT anycast", "RFC 8155"}},
    {{192, 0, 0, 170}, 31,
	{"ietf-protocol", "NAT64/DNS64 discovery", "RFC 8880"}},
    {{192, 0, 2}, 24,
	{"documentation", "documentation, TEST-NET-1", "RFC 5737"}},
    {{192, 31, 196}, 24, {"as112", "AS112-v4", "RFC 7535"}},
    {{192, 52, 193}, 24, {"amt", "automatic multicast tunneling", "RFC 7450"}},
    {{192, 88, 99}, 24,
	{"6to4-relay", "deprecated 6to4 relay anycast", "RFC 7526"}},
    {{192, 168}, 16, {"private", "private", "RFC 1918"}},
    {{192, 175, 48}, 24,
	{"as112", "direct delegation AS112 service", "RFC 7534"}},
    {{198, 18}, 15, {"benchmarking", "benchmarking", "RFC 2544"}},
    {{198, 51, 100}, 24,
	{"documentation", "documentation, TEST-NET-2", "RFC 5737"}},
    {{203, 0, 113}, 24,
	{"documentation", "documentation, TEST-NET-3", "RFC 5737"}},
    {{224}, 4, {"multicast", "multicast", "RFC 5771"}},
    {{224, 0, 0}, 24, {"multicast", "link-local multicast", "RFC 5771"}},
    {{233, 252, 0}, 24,
	{"documentation", "multicast documentation, MCAST-TEST-NET",
	    "RFC 5771"}},
    {{240}, 4, {"reserved", "reserved", "RFC 1112"}},
    {{255, 255, 255, 255}, 32, {"broadcast", "limited broadcast", "RFC 919"}},
};

static const struct netmask_type_entry netmask_types6[] = {
    {{0}, 128, {"unspecified", "unspecified", "RFC 4291"}},
    {{[15] = 1}, 128, {"loopback", "loopback", "RFC 4291"}},
    {{[10] = 0xff, [11] = 0xff}, 96,
	{"ipv4-mapped", "IPv4-mapped", "RFC 4291"}},
    {{0, 0x64, 0xff, 0x9b}, 96, {"nat64", "IPv4-IPv6 translation", "RFC 6052"}},
    {{0, 0x64, 0xff, 0x9b, 0, 1}, 48,
	{"nat64", "local-use IPv4-IPv6 translation", "RFC 8215"}},
    {{1}, 64, {"discard", "discard-only", "RFC 6666"}},
    {{0x20, 0x01}, 23,
	{"ietf-protocol", "IETF protocol assignments", "RFC 2928"}},
    {{0x20, 0x01}, 32, {"teredo", "TEREDO", "RFC 4380"}},
    {{0x20, 0x01, 0, 1, [15] = 1}, 128,
	{"anycast", "port control protocol anycast", "RFC 7723"}},
    {{0x20, 0x01, 0, 1, [15] = 2}, 128,
	{"anycast", "traversal using relays around NAT anycast", "RFC 8155"}},
    {{0x20, 0x01, 0, 1, [15] = 3}, 128,
	{"anycast", "DNS-SD service registration protocol anycast",
	    "RFC 9665"}},
    {{0x20, 0x01, 0, 2}, 48, {"benchmarking", "benchmarking", "RFC 5180"}},
    {{0x20, 0x01, 0, 3}, 32,
	{"amt", "automatic multicast tunneling", "RFC 7450"}},
    {{0x20, 0x01, 0, 4, 1, 0x12}, 48, {"as112", "AS112-v6", "RFC 7535"}},
    {{0x20, 0x01, 0, 0x20}, 28, {"orchid", "ORCHIDv2", "RFC 7343"}},
    {{0x20, 0x01, 0, 0x30}, 28,
	{"drone-remote-id", "drone remote ID protocol entity tags",
	    "RFC 9374"}},
    {{0x20, 0x01, 0x0d, 0xb8}, 32,
	{"documentation", "documentation", "RFC 3849"}},
    {{0x20, 0x02}, 16, {"6to4", "6to4", "RFC 3056"}},
    {{0x26, 0x20, 0, 0x4f, 0x80, 0}, 48,
	{"as112", "direct delegation AS112 service", "RFC 7534"}},
    {{0x3f, 0xff}, 20, {"documentation", "documentation", "RFC 9637"}},
    {{0x5f, 0}, 16, {"srv6", "segment routing (SRv6) SIDs", "RFC 9602"}},
    {{0xfc}, 7, {"unique-local", "unique local", "RFC 4193"}},
    {{0xfe, 0x80}, 10, {"link-local", "link-local unicast", "RFC 4291"}},
    {{0xff}, 8, {"multicast", "multicast", "RFC 4291"}},
};

static const struct netmask_type netmask_global = {
    "global", "global unicast", "RFC 4291"};
static const struct netmask_type netmask_global4 = {
    "global", "global unicast", "RFC 791"};
static const struct netmask_type netmask_types6_reserved = {
    "reserved", "reserved by the IETF", "RFC 4291"};

const struct netmask_type *
netmask_type_of(int bits, const uint8_t *addr)
{
	const struct netmask_type_entry *t, *best = NULL;
	size_t n, i;
	uint8_t mask[16];
	int k, match;

	t = bits == 32 ? netmask_types4 : netmask_types6;
	n = bits == 32 ? sizeof netmask_types4 / sizeof netmask_types4[0]
		       : sizeof netmask_types6 / sizeof netmask_types6[0];
	for (i = 0; i < n; i++) {
		netmask_from_prefix(bits, t[i].len, mask);
		match = 1;
		for (k = 0; k < bits / 8 && match; k++)
			match = (addr[k] & mask[k]) == t[i].prefix[k];
		if (match && (best == NULL || t[i].len > best->len))
			best = &t[i];
	}
	if (best != NULL)
		return &best->type;
	/* Outside 2000::/3 nothing unicast has been allocated (RFC 4291). */
	if (bits == 128 && (addr[0] & 0xe0) != 0x20)
		return &netmask_types6_reserved;
	return bits == 32 ? &netmask_global4 : &netmask_global;
}
