/* SPDX-License-Identifier: ISC */
/*
 * What an echo server answers and how: the rules that judge a datagram by
 * its addresses, the host's own addresses, and the reply of each mode.
 */
#ifndef UDPTOOL_ECHO_H
#define UDPTOOL_ECHO_H

#include <sys/socket.h>

#include <netinet/in.h>

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "addr.h"
#include "srctab.h"

/*
 * Why a datagram got no reply; the names appear in summaries and logs.
 * The reasons before ECHO_DROP_ALLOW are judged from the datagram's
 * addresses alone, before its source may enter the table.
 */
enum echo_drop {
	ECHO_DROP_PORT0,
	ECHO_DROP_OWN_ADDR,
	ECHO_DROP_OWN_PORT,
	ECHO_DROP_LOOP,
	ECHO_DROP_BCAST,
	ECHO_DROP_MCAST,
	ECHO_DROP_ALLOW,
	ECHO_DROP_RATE,
	ECHO_DROP_SHORT,
	ECHO_DROP_TRUNC,
	ECHO_DROP_NOT_SOCKPERF,
	ECHO_DROP_NO_PONG,
	ECHO_DROP_N,
};

extern const char *const echo_drop_names[ECHO_DROP_N];

/* Why a reply could not be sent, by errno. */
enum echo_senderr {
	ECHO_SE_NOBUFS, /* ENOBUFS, EAGAIN: a full queue */
	ECHO_SE_REFUSED,
	ECHO_SE_UNREACH, /* EHOSTUNREACH, ENETUNREACH */
	ECHO_SE_PERM, /* EPERM, EACCES: a firewall or broadcast */
	ECHO_SE_OTHER,
	ECHO_SE_N,
};

extern const char *const echo_senderr_names[ECHO_SE_N];

/* Returns the kind of send error errno e is. */
enum echo_senderr echo_senderr_class(int e);

/*
 * The host's own addresses and its interfaces' IPv4 broadcast addresses,
 * read with getifaddrs(3); IPv4-mapped forms are stored as IPv4.
 */
struct echo_ifaddrs {
	struct srctab_key *local;
	size_t nlocal;
	struct in_addr *bcast;
	size_t nbcast;
};

/* Reads the host's addresses into ifa; returns 0, or -1 with errno set. */
int echo_ifaddrs_load(struct echo_ifaddrs *ifa);

/* Frees what echo_ifaddrs_load() allocated and empties ifa. */
void echo_ifaddrs_free(struct echo_ifaddrs *ifa);

/*
 * Returns 1 if k is an address of this host: one in ifa, any of
 * 127.0.0.0/8 (all local on Linux), ::1, or an unspecified address, which
 * the kernel delivers to the host itself.
 */
int echo_is_local(const struct echo_ifaddrs *ifa, const struct srctab_key *k);

/*
 * Returns 1 for a source port that belongs to a service rather than a
 * client: every port below 1024 and the known reflectors above.
 */
int echo_is_loop_port(uint16_t port);

/*
 * Returns ECHO_DROP_BCAST or ECHO_DROP_MCAST if dst, where a datagram was
 * sent, is a broadcast (one of ifa's, or 255.255.255.255) or multicast
 * address, -1 for a unicast one or another family.
 */
int echo_group_kind(const struct echo_ifaddrs *ifa, const struct sockaddr *dst);

/* Returns 1 for an unspecified address (0.0.0.0, ::) or another family. */
int echo_is_wildcard(const struct sockaddr_storage *ss);

/* What the address rules allow; the server's port and addresses. */
struct echo_rules {
	uint16_t port; /* the server's own port */
	int allow_loop; /* --allow-loop */
	int allow_broadcast; /* --allow-broadcast */
	const struct addr_cidr *allow; /* --allow, nallow entries */
	int nallow;
	const struct echo_ifaddrs *ifa;
};

/*
 * Judges a datagram from src by the address rules alone, sent to a group
 * address if group is a drop reason (echo_group_kind()); returns a drop
 * reason, or -1 with *key set to the source for the table.
 */
int echo_judge_addr(const struct echo_rules *r, const struct sockaddr *src,
    int group, struct srctab_key *key);

/* The daytime line of one second, kept so a busy second formats it once. */
struct echo_day {
	char line[32];
	time_t sec;
};

/*
 * Writes the daytime reply (RFC 867) for a request of len bytes at time
 * now to out: the ctime(3) line inetd sends, without CRLF when that does
 * not fit, the time of day alone for shorter requests; returns its length,
 * or 0 (no reply) below 8 bytes, so a reply is never larger than its
 * request.  out has room for 26 bytes when len allows them.
 */
size_t echo_daytime(struct echo_day *d, time_t now, size_t len, uint8_t *out);

/* Turns ASCII lower-case letters upper case in place; other bytes stay. */
void echo_upper(uint8_t *p, size_t len);

/* sockperf's 14-byte message header, big-endian, and its flags. */
#define ECHO_SP_HDRLEN 14
#define ECHO_SP_FLAGS 8 /* offset of the flags */
#define ECHO_SP_CLIENT 0x0001
#define ECHO_SP_PONG_REQUEST 0x0002

/*
 * Turns a sockperf request at p into its reply in place; returns -1 when
 * it is to be answered, else the reason it is not.
 */
int echo_sockperf(uint8_t *p, size_t len);

#endif
