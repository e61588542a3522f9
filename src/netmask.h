/* SPDX-License-Identifier: ISC */
/*
 * Netmask arithmetic for IPv4 and IPv6: parsing ADDRESS[/MASK] in every mask
 * form, networks, ranges, exact counts, historical classes and splitting.
 */
#ifndef UDPTOOL_NETMASK_H
#define UDPTOOL_NETMASK_H

#include <stddef.h>
#include <stdint.h>

#define NETMASK_ERRLEN 256
#define NETMASK_DECLEN 40 /* 2^128 has 39 decimal digits */
#define NETMASK_STRLEN 46 /* INET6_ADDRSTRLEN */
#define NETMASK_SPLIT_MAX 65536 /* most subnets --split lists */
#define NETMASK_SPLIT_BITS 16 /* log2 of NETMASK_SPLIT_MAX */
#define NETMASK_V6_DEFAULT 64 /* prefix assumed for a bare IPv6 address */
#define NETMASK_ZONE_MAX 16 /* ADDR_SCOPE_MAX: IF_NAMESIZE */

/* How the prefix length was chosen. */
enum netmask_source {
	NETMASK_GIVEN, /* written by the user */
	NETMASK_CLASSFUL, /* IPv4 without a mask: class A/B/C default */
	NETMASK_HOST, /* IPv4 class D or E without a mask: one address */
	NETMASK_V6_SUBNET, /* IPv6 without a prefix: /64 */
};

struct netmask {
	int family; /* AF_INET or AF_INET6 */
	int bits; /* 32 or 128 */
	uint8_t addr[16]; /* the address as given, host bits kept */
	int prefix;
	enum netmask_source source;
	char zone[NETMASK_ZONE_MAX]; /* IPv6 zone after '%' (RFC 4007); "" */
};

/* Everything derived from one struct netmask; byte arrays hold bits/8 bytes. */
struct netmask_info {
	uint8_t mask[16];
	uint8_t wildcard[16]; /* NOT mask */
	uint8_t network[16]; /* first address */
	uint8_t last[16]; /* last address (the IPv4 broadcast) */
	uint8_t host_min[16]; /* first usable host (IPv4) */
	uint8_t host_max[16]; /* last usable host (IPv4) */
	uint8_t host_part[16]; /* address AND NOT mask */
	int has_broadcast; /* IPv4 0-30; /31 (RFC 3021) and /32 have none */
	uint64_t hosts; /* IPv4 usable hosts */
	int addresses_log2; /* the network holds 2^this addresses */
	char addresses[NETMASK_DECLEN]; /* the same in decimal */
	char cls; /* IPv4 historical class 'A'-'E', else 0 */
	int class_prefix; /* its default prefix (8, 16, 24); -1 for D, E */
};

/*
 * Parses a mask for family (AF_INET or AF_INET6): a prefix length ("24",
 * "/24"), an IPv4 dotted mask ("255.255.0.0"), an IPv6 mask written as an
 * address ("ffff:ffff::") or hex ("ffff0000", "0xffff0000"); non-contiguous
 * masks are rejected.  Returns 0 with *prefix set, or -1 with err.
 */
int netmask_parse_mask(
    const char *s, int family, int *prefix, char *err, size_t errlen);

/*
 * Parses ADDRESS[/MASK] and an optional separate MASK (NULL when absent)
 * into nm, choosing and recording a prefix when none is given; returns 0,
 * or -1 with a message naming the bad value in err.
 */
int netmask_parse(const char *arg, const char *mask, struct netmask *nm,
    char *err, size_t errlen);

/* Fills the mask of prefix ones for a bits-wide address into mask. */
void netmask_from_prefix(int bits, int prefix, uint8_t *mask);

/* Returns the historical class of addr4; sets its default prefix (-1: D, E). */
char netmask_class(const uint8_t *addr4, int *default_prefix);

/* One entry of the IANA special-purpose address registries. */
struct netmask_type {
	const char *name; /* short, for JSON: "private", "loopback", ... */
	const char *text; /* for people: "private-use networks" */
	const char *rfc; /* where it is defined: "RFC 1918" */
};

/*
 * Returns what kind of address a bits-wide addr is: the most specific
 * entry of the IANA IPv4 and IPv6 special-purpose address registries
 * (plus multicast, and global unicast for the rest).  Never NULL.
 */
const struct netmask_type *netmask_type_of(int bits, const uint8_t *addr);

/* Computes every derived value of nm into info. */
void netmask_compute(const struct netmask *nm, struct netmask_info *info);

/* Writes 2^n (0 <= n <= 128) in decimal; returns buf, or NULL if too small. */
char *netmask_pow2_dec(int n, char *buf, size_t size);

/* Formats a bits-wide address (RFC 5952 for IPv6); returns buf. */
char *netmask_format(int bits, const uint8_t *addr, char *buf, size_t size);

/* Formats an IPv6 address with all eight groups of four digits; returns buf. */
char *netmask_expand6(const uint8_t *addr, char *buf, size_t size);

/* Formats an IPv4 prefix's mask as 8 hex digits ("ffff0000"); returns buf. */
char *netmask_hex4(int prefix, char *buf, size_t size);

/*
 * Checks that nm's network can be listed as subnets of newprefix (not
 * shorter than nm's, at most NETMASK_SPLIT_MAX of them); returns their
 * number, or -1 with err.
 */
long netmask_split_count(
    const struct netmask *nm, int newprefix, char *err, size_t errlen);

/* Writes the network address of subnet index (of newprefix) in nm's network. */
void netmask_subnet(
    const struct netmask *nm, int newprefix, long index, uint8_t *out);

/*
 * Tells whether ADDR or ADDR/PREFIX (the whole network) lies inside nm's
 * network; an IPv4-mapped IPv6 address counts as IPv4.  Returns 1 inside,
 * 0 outside, or -1 with err when arg is not an address.
 */
int netmask_contains(
    const struct netmask *nm, const char *arg, char *err, size_t errlen);

#endif
