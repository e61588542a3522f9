/* SPDX-License-Identifier: ISC */
/*
 * Parsing and formatting of every address form udptool accepts: host:port,
 * [v6]:port, %scope, :port and bare ports for servers, and CIDR prefixes.
 */
#ifndef UDPTOOL_ADDR_H
#define UDPTOOL_ADDR_H

#include <sys/socket.h>

#include <netinet/in.h>

#include <stddef.h>
#include <stdint.h>

#define ADDR_ERRLEN 320
#define ADDR_INPUT_MAX 1024 /* longer input is rejected */
#define ADDR_HOST_MAX 254 /* a DNS name is at most 253 characters */
#define ADDR_PORT_MAX 33 /* service names are short (IANA: 15) */
#define ADDR_SCOPE_MAX 16 /* IF_NAMESIZE */
#define ADDR_STRLEN 80 /* enough for "[v6%scope]:port" */

/* addr_parse() flags */
#define ADDR_F_SERVER 0x01 /* ":port" and a bare port; port 0 allowed */
#define ADDR_F_PORT_OPTIONAL 0x02 /* "host" alone is fine */
#define ADDR_F_NO_PORT 0x04 /* a port is an error (ping, mask) */
/* With ADDR_F_PORT_OPTIONAL: "::1:53" could be a port; refuse it (resolve). */
#define ADDR_F_V6_AMBIGUOUS 0x08
/* With ADDR_F_SERVER: a bare word is a port only if it is a number (-s). */
#define ADDR_F_BARE_HOST 0x10

struct addr_spec {
	char host[ADDR_HOST_MAX]; /* empty: the wildcard address */
	char port[ADDR_PORT_MAX]; /* number or service name; empty: none */
	char scope[ADDR_SCOPE_MAX]; /* interface name or number; empty: none */
	int v6; /* host is an IPv6 literal */
};

/* Parses one address argument; returns 0, or -1 with a message naming the bad value in err. */
int addr_parse(const char *input, int flags, struct addr_spec *spec, char *err,
    size_t errlen);

/*
 * Parses the address at the head of argv (argc words): one HOST:PORT word,
 * or, nc style, HOST and PORT as two words when the first is no address
 * alone (for a server, flags with ADDR_F_SERVER, exactly two words are
 * always HOST PORT).  Returns the number of words used (1 or 2), or -1
 * with err naming the bad value.
 */
int addr_parse_args(int argc, const char *const argv[], int flags,
    struct addr_spec *spec, char *err, size_t errlen);

/* Parses host and port given as two arguments (nc style); returns 0 or -1 with err. */
int addr_parse_pair(const char *host, const char *port, int flags,
    struct addr_spec *spec, char *err, size_t errlen);

/* Checks a port argument (number or service name syntax); returns 0 or -1 with err. */
int addr_check_port(const char *port, int allow_zero, char *err, size_t errlen);

/*
 * Reads a client's source from -s (source: ADDR or ADDR:PORT, or NULL)
 * and -p (port, or NULL) into spec.  Returns 1 when there is one, 0 when
 * neither was given, or -1 with err (a bad address or port, or two
 * different ports).
 */
int addr_source_opts(const char *source, const char *port,
    struct addr_spec *spec, char *err, size_t errlen);

/*
 * Turns a port argument into a number, looking service names up for proto
 * ("udp" or "tcp"); returns the port, or -1 with err.
 */
int addr_port_number(const char *port, const char *proto, int allow_zero,
    char *err, size_t errlen);

/* Writes "host%scope" (what getaddrinfo takes) into buf; returns buf. */
char *addr_spec_host(const struct addr_spec *spec, char *buf, size_t size);

/* Formats spec back as it would be typed ("[::1]:53", "host:port", ":53"). */
char *addr_spec_format(const struct addr_spec *spec, char *buf, size_t size);

/* Turns an IPv4-mapped IPv6 socket address into a plain IPv4 one, in place. */
void addr_unmap(struct sockaddr_storage *ss, socklen_t *len);

#define ADDR_FMT_PORT 0x01 /* "1.2.3.4:53", "[::1]:53" */
#define ADDR_FMT_NOSCOPE 0x02 /* leave out %scope */
#define ADDR_FMT_NUMSCOPE 0x04 /* %2 instead of %eth0 */

/*
 * Formats a socket address (RFC 5952 for IPv6, IPv4-mapped shown as IPv4,
 * scope kept); returns buf, which always holds a string.
 */
char *addr_format(const struct sockaddr *sa, socklen_t len, int flags,
    char *buf, size_t size);

/* Formats an IPv6 address in RFC 5952 form (hex only, longest zero run compressed); returns buf. */
char *addr_format_in6(const struct in6_addr *a, char *buf, size_t size);

/* Returns the port of an AF_INET or AF_INET6 address in host order, else 0. */
uint16_t addr_get_port(const struct sockaddr *sa);

/* Sets the port of an AF_INET or AF_INET6 address. */
void addr_set_port(struct sockaddr *sa, uint16_t port);

/*
 * Checks an IPv6 zone (the part after '%' in input): an interface name or
 * number of letters, digits and "-_.@:"; returns 0, or -1 with err.
 */
int addr_check_scope(
    const char *scope, const char *input, char *err, size_t errlen);

/*
 * Returns 1 if a and b hold the same IP address; with ports set, the same
 * port and IPv6 scope too (one peer), else the address alone (one host).
 */
int addr_same(const struct sockaddr *a, const struct sockaddr *b, int ports);

/* Returns 1 if s is an IPv6 literal, optionally with %scope. */
int addr_is_v6_literal(const char *s);

struct addr_cidr {
	int family; /* AF_INET or AF_INET6 */
	uint8_t addr[16];
	int prefix;
};

/* Parses "ADDR[/PREFIX]" (no prefix: a single host); returns 0 or -1 with err. */
int addr_parse_cidr(
    const char *input, struct addr_cidr *cidr, char *err, size_t errlen);

/* Returns 1 if sa (IPv4-mapped counts as IPv4) lies inside cidr. */
int addr_cidr_contains(const struct addr_cidr *cidr, const struct sockaddr *sa);

#define ADDR_GROUP_MAX 128 /* longer multicast groups are rejected */

/* A multicast group to join, and where. */
struct addr_group {
	struct sockaddr_storage group;
	unsigned ifindex; /* 0: the kernel picks the interface */
	char text[ADDR_GROUP_MAX]; /* as given, for messages */
};

/*
 * Parses "GROUP[%IF]": an IPv4 or IPv6 multicast literal and an optional
 * interface name or number.  Returns 0, or -1 with err naming the value.
 */
int addr_parse_group(
    const char *s, struct addr_group *g, char *err, size_t errlen);

/*
 * Parses a source address for a source-specific join (an IPv4 or IPv6
 * literal); returns 0, or -1 with err naming the value.
 */
int addr_parse_source(
    const char *s, struct sockaddr_storage *ss, char *err, size_t errlen);

#define ADDR_JOIN_MAX 32 /* groups, and sources, one socket joins */

/* The multicast groups to join and the sources of source-specific joins. */
struct addr_joins {
	struct addr_group group[ADDR_JOIN_MAX];
	int ngroups;
	struct sockaddr_storage source[ADDR_JOIN_MAX];
	int nsources;
};

/*
 * Adds s to j: a group as addr_parse_group() takes it, or with source set
 * a source as addr_parse_source() does.  Returns 0, or -1 with errno
 * EINVAL and err naming the value, or errno E2BIG (err untouched) when j
 * holds ADDR_JOIN_MAX of that kind already.
 */
int addr_joins_add(
    struct addr_joins *j, int source, const char *s, char *err, size_t errlen);

#endif
