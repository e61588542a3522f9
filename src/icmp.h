/* SPDX-License-Identifier: ISC */
/*
 * ICMP and ICMPv6 echo packets: the RFC 1071 checksum, building requests,
 * and parsing and validating what raw and datagram ICMP sockets return.
 */
#ifndef UDPTOOL_ICMP_H
#define UDPTOOL_ICMP_H

#include <sys/socket.h>

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define ICMP_HDRLEN 8 /* type, code, checksum, identifier, sequence */
#define ICMP_TSLEN 8 /* send time at the start of the payload */
#define ICMP_PAYLOAD_MAX 65507 /* 65535 - 20 (IPv4) - 8 (ICMP) */
#define ICMP_PATTERN_MAX 16 /* bytes of a fill pattern, as ping(8) -p */

/* icmp_parse() flags */
#define ICMP_F_IPHDR 0x01 /* buf starts with an IPv4 header (raw IPv4 socket) */
#define ICMP_F_NOCSUM 0x02 /* do not check the checksum (quoted, maybe cut) */

enum icmp_kind {
	ICMP_MSG_OTHER, /* anything a ping ignores */
	ICMP_MSG_REPLY, /* echo reply */
	ICMP_MSG_REQUEST, /* echo request (our own, seen on loopback) */
	ICMP_MSG_ERROR, /* an error quoting an echo request */
};

/* One parsed ICMP or ICMPv6 message; pointers point into the caller's buffer. */
struct icmp_msg {
	int family; /* AF_INET or AF_INET6 */
	enum icmp_kind kind;
	uint8_t type, code;
	uint16_t id, seq; /* of the echo, or of the quoted echo for errors */
	const uint8_t *data; /* echo payload (replies and requests) */
	size_t datalen;
	size_t icmplen; /* length of the ICMP message itself */
	int ttl; /* from the IPv4 header, -1 when there is none */
	uint8_t
	    src[16]; /* IPv4 header source (the error's sender), if has_src */
	int has_src;
	uint8_t
	    dst[16]; /* destination of the quoted probe (errors), if has_dst */
	int has_dst;
	uint32_t mtu; /* next-hop MTU of "fragmentation needed"/"too big" */
};

/*
 * Returns the RFC 1071 internet checksum of buf: the one's complement of the
 * one's complement sum of 16-bit big-endian words, an odd last byte padded
 * with zero.  Store it big-endian; a packet with a correct checksum sums to 0.
 */
uint16_t icmp_checksum(const void *buf, size_t len);

/*
 * Fills a payload of len bytes for probe seq sent at sent: the send time
 * (when it fits) then a pattern that depends on seq, so a reply can be
 * compared byte for byte with what was sent.
 */
void icmp_fill_payload(
    uint8_t *payload, size_t len, uint16_t seq, const struct timespec *sent);

/*
 * As icmp_fill_payload(), but the bytes after the send time repeat the
 * patlen bytes of pat, aligned as ping(8) -p aligns them (pat[i % patlen]
 * at payload offset i); patlen 0 gives icmp_fill_payload()'s pattern.
 */
void icmp_fill_payload_pattern(uint8_t *payload, size_t len, uint16_t seq,
    const struct timespec *sent, const uint8_t *pat, size_t patlen);

/*
 * Parses a ping(8) -p pattern: 1 to 2 * ICMP_PATTERN_MAX hex digits, two
 * per byte (an odd last digit is a byte of its own).  Returns the number
 * of bytes stored in pat (which holds ICMP_PATTERN_MAX), or -1.
 */
int icmp_parse_pattern(const char *s, uint8_t *pat);

/*
 * Builds an echo request (ICMP for AF_INET, ICMPv6 for AF_INET6) with
 * payload in buf; returns its length, or 0 when it does not fit in size.
 * The ICMPv6 checksum is left 0: the kernel computes it over the
 * pseudo-header it alone knows.
 */
size_t icmp_build_echo(int family, uint16_t id, uint16_t seq,
    const uint8_t *payload, size_t plen, uint8_t *buf, size_t size);

/*
 * Parses one message received on an ICMP socket of family: echo replies,
 * echo requests, and destination unreachable, time exceeded, packet too big
 * and parameter problem errors that quote an echo request.  Returns 0 with m
 * filled (kind ICMP_MSG_OTHER for the rest), or -1 with the reason in err
 * for a short, malformed or badly checksummed packet.  Never reads past len.
 */
int icmp_parse(int family, int flags, const uint8_t *buf, size_t len,
    struct icmp_msg *m, char *err, size_t errlen);

/*
 * Returns 1 if m answers or reports one of our probes.  On a raw socket
 * every process sees every ICMP message, so the identifier must be id; on
 * a datagram socket the kernel owns the identifier and has already matched
 * it, so any reply or error is ours.  An error must also quote a probe sent
 * to dst (the target, AF_INET or AF_INET6), unless dst is NULL: the kernel
 * hands every error to every raw socket, and another ping may use the same
 * identifier for another host.
 */
int icmp_is_ours(
    const struct icmp_msg *m, int raw, uint16_t id, const struct sockaddr *dst);

/*
 * Returns 1 if a reply's payload is exactly what icmp_fill_payload() wrote
 * for its sequence number and sent time, with the length sent (plen).
 */
int icmp_payload_ok(
    const struct icmp_msg *m, size_t plen, const struct timespec *sent);

/* As icmp_payload_ok(), for a payload icmp_fill_payload_pattern() wrote. */
int icmp_payload_ok_pattern(const struct icmp_msg *m, size_t plen,
    const struct timespec *sent, const uint8_t *pat, size_t patlen);

/*
 * Describes an ICMP (family AF_INET) or ICMPv6 error type and code the way
 * ping(8) does ("Destination Host Unreachable"); writes into buf, returns buf.
 */
char *icmp_describe(int family, uint8_t type, uint8_t code, uint32_t mtu,
    char *buf, size_t size);

/* What an ICMP error says about the datagram it quotes. */
enum icmp_verdict {
	ICMP_V_OTHER, /* a router on the way spoke (ttl exceeded, ...) */
	ICMP_V_REFUSED, /* port unreachable: the host is there, the port closed */
	ICMP_V_UNREACHABLE, /* the destination cannot be reached */
};

/* The class of an ICMP or ICMPv6 error, from icmp_classify(). */
struct icmp_class {
	enum icmp_verdict verdict;
	const char *reason; /* "refused", "frag-needed", ..., "icmp" */
	const char *text; /* "port unreachable", ...; NULL for "icmp" */
	int has_mtu; /* the text goes on with the path MTU */
	int unreach; /* a destination unreachable (ICMP 3, ICMPv6 1) */
};

/*
 * Classifies an ICMP (family AF_INET) or ICMPv6 error by type and code
 * from one table: port unreachable is refused; net, host, prohibited,
 * fragmentation needed (packet too big) and every other destination
 * unreachable are unreachable; the rest other.
 */
void icmp_classify(
    int family, uint8_t type, uint8_t code, struct icmp_class *c);

/*
 * Returns the JSON event name of a verdict, as udptool-json(7) defines it:
 * "refused", "unreachable", "icmp_error".  Every command names ICMP errors
 * through icmp_classify() and this.
 */
const char *icmp_event(enum icmp_verdict v);

/*
 * Writes c's text into buf ("fragmentation needed, path MTU 1400"), or for
 * a class without one "ICMP type 5 code 1: " and strerror(err); returns buf.
 */
char *icmp_class_text(const struct icmp_class *c, int family, uint8_t type,
    uint8_t code, uint32_t mtu, int err, char *buf, size_t size);

#endif
