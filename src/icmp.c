/* SPDX-License-Identifier: ISC */
/*
 * ICMP echo packets for ping: checksum, requests, and the validation of
 * replies and errors, all bounds-checked against the received length.
 */
#include "config.h"

#include <sys/socket.h>

#include <netinet/in.h>

#include <stdio.h>
#include <string.h>

#include "icmp.h"
#include "num.h"

/* Message types (RFC 792, RFC 4443); spelled out to stay portable. */
#define T4_ECHO_REPLY 0
#define T4_UNREACH 3
#define T4_ECHO 8
#define T4_TIMXCEED 11
#define T4_PARAMPROB 12
#define T6_UNREACH 1
#define T6_TOOBIG 2
#define T6_TIMXCEED 3
#define T6_PARAMPROB 4
#define T6_ECHO 128
#define T6_ECHO_REPLY 129

#define IP4_MINHDR 20
#define IP6_HDRLEN 40
#define PROTO_ICMP 1
#define PROTO_ICMPV6 58

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static int
icmp_fail(char *err, size_t errlen, const char *msg, size_t len)
{
	snprintf(err, errlen, "%s (%zu bytes)", msg, len);
	return -1;
}

uint16_t
icmp_checksum(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint64_t sum = 0;

	/*
	 * Pair bytes from the first one: the seed program started at byte 1
	 * and dropped an odd last byte, which RFC 1071 pads with zero instead.
	 */
	while (len > 1) {
		sum += (uint32_t)p[0] << 8 | p[1];
		p += 2;
		len -= 2;
	}
	if (len == 1)
		sum += (uint32_t)p[0] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

void
icmp_fill_payload(
    uint8_t *payload, size_t len, uint16_t seq, const struct timespec *sent)
{
	icmp_fill_payload_pattern(payload, len, seq, sent, NULL, 0);
}

/* The payload byte at offset i (past the send time). */
static uint8_t
icmp_fill_byte(size_t i, uint16_t seq, const uint8_t *pat, size_t patlen)
{
	return patlen > 0 ? pat[i % patlen] : (uint8_t)(i + seq);
}

void
icmp_fill_payload_pattern(uint8_t *payload, size_t len, uint16_t seq,
    const struct timespec *sent, const uint8_t *pat, size_t patlen)
{
	size_t i = 0;

	if (len >= ICMP_TSLEN) {
		put32(payload, (uint32_t)sent->tv_sec);
		put32(payload + 4, (uint32_t)sent->tv_nsec);
		i = ICMP_TSLEN;
	}
	for (; i < len; i++)
		payload[i] = icmp_fill_byte(i, seq, pat, patlen);
}

int
icmp_parse_pattern(const char *s, uint8_t *pat)
{
	size_t len = strlen(s), i, n = 0;

	if (len == 0 || len > 2 * ICMP_PATTERN_MAX)
		return -1;
	for (i = 0; i < len; i++)
		if (num_hexval((unsigned char)s[i]) == -1)
			return -1;
	for (i = 0; i < len; i += 2) {
		if (i + 1 < len)
			pat[n++] =
			    (uint8_t)(num_hexval((unsigned char)s[i]) << 4 |
				num_hexval((unsigned char)s[i + 1]));
		else
			pat[n++] = (uint8_t)num_hexval((unsigned char)s[i]);
	}
	return (int)n;
}

size_t
icmp_build_echo(int family, uint16_t id, uint16_t seq, const uint8_t *payload,
    size_t plen, uint8_t *buf, size_t size)
{
	size_t len = ICMP_HDRLEN + plen;

	if (plen > ICMP_PAYLOAD_MAX || len > size)
		return 0;
	buf[0] = family == AF_INET6 ? T6_ECHO : T4_ECHO;
	buf[1] = 0;
	put16(buf + 2, 0);
	put16(buf + 4, id);
	put16(buf + 6, seq);
	if (plen > 0)
		memcpy(buf + ICMP_HDRLEN, payload, plen);
	if (family != AF_INET6)
		put16(buf + 2, icmp_checksum(buf, len));
	return len;
}

/* Parses the probe an ICMPv4 error quotes: an IPv4 header and 8+ bytes. */
static int
icmp_parse_quote4(const uint8_t *q, size_t qlen, struct icmp_msg *m)
{
	size_t ihl;

	if (qlen < IP4_MINHDR || (q[0] >> 4) != 4)
		return 0;
	ihl = (size_t)(q[0] & 0x0f) * 4;
	if (ihl < IP4_MINHDR || qlen < ihl + ICMP_HDRLEN)
		return 0;
	if (q[9] != PROTO_ICMP || q[ihl] != T4_ECHO)
		return 0;
	memcpy(m->dst, q + 16, 4);
	m->has_dst = 1;
	m->id = get16(q + ihl + 4);
	m->seq = get16(q + ihl + 6);
	return 1;
}

/* Parses the probe an ICMPv6 error quotes: an IPv6 header and 8+ bytes. */
static int
icmp_parse_quote6(const uint8_t *q, size_t qlen, struct icmp_msg *m)
{
	/* Extension headers before ICMPv6 are not followed: ping sends none. */
	if (qlen < IP6_HDRLEN + ICMP_HDRLEN || (q[0] >> 4) != 6)
		return 0;
	if (q[6] != PROTO_ICMPV6 || q[IP6_HDRLEN] != T6_ECHO)
		return 0;
	memcpy(m->dst, q + 24, 16);
	m->has_dst = 1;
	m->id = get16(q + IP6_HDRLEN + 4);
	m->seq = get16(q + IP6_HDRLEN + 6);
	return 1;
}

int
icmp_parse(int family, int flags, const uint8_t *buf, size_t len,
    struct icmp_msg *m, char *err, size_t errlen)
{
	const uint8_t *p = buf;
	size_t ihl, n = len;
	int v6 = family == AF_INET6;

	memset(m, 0, sizeof *m);
	m->family = v6 ? AF_INET6 : AF_INET;
	m->kind = ICMP_MSG_OTHER;
	m->ttl = -1;
	if (!v6 && (flags & ICMP_F_IPHDR)) {
		if (n < IP4_MINHDR)
			return icmp_fail(err, errlen, "short IPv4 header", len);
		if ((p[0] >> 4) != 4)
			return icmp_fail(
			    err, errlen, "not an IPv4 packet", len);
		ihl = (size_t)(p[0] & 0x0f) * 4;
		if (ihl < IP4_MINHDR || ihl > n)
			return icmp_fail(
			    err, errlen, "bad IPv4 header length", len);
		if (p[9] != PROTO_ICMP)
			return icmp_fail(
			    err, errlen, "not an ICMP packet", len);
		m->ttl = p[8];
		memcpy(m->src, p + 12, 4);
		m->has_src = 1;
		p += ihl;
		n -= ihl;
	}
	if (n < ICMP_HDRLEN)
		return icmp_fail(err, errlen, "short ICMP message", len);
	/*
	 * The ICMPv6 checksum covers a pseudo-header with both addresses,
	 * which only the kernel has; it verifies it before delivery.
	 */
	if (!v6 && !(flags & ICMP_F_NOCSUM) && icmp_checksum(p, n) != 0)
		return icmp_fail(err, errlen, "bad ICMP checksum", len);
	m->type = p[0];
	m->code = p[1];
	m->icmplen = n;
	if ((!v6 && p[0] == T4_ECHO_REPLY) || (v6 && p[0] == T6_ECHO_REPLY) ||
	    (!v6 && p[0] == T4_ECHO) || (v6 && p[0] == T6_ECHO)) {
		m->kind = (p[0] == T4_ECHO_REPLY && !v6) ||
			(p[0] == T6_ECHO_REPLY && v6)
		    ? ICMP_MSG_REPLY
		    : ICMP_MSG_REQUEST;
		m->id = get16(p + 4);
		m->seq = get16(p + 6);
		m->data = p + ICMP_HDRLEN;
		m->datalen = n - ICMP_HDRLEN;
		return 0;
	}
	if (!v6 &&
	    (p[0] == T4_UNREACH || p[0] == T4_TIMXCEED ||
		p[0] == T4_PARAMPROB)) {
		if (p[0] == T4_UNREACH && p[1] == 4)
			m->mtu = get16(p + 6);
		if (icmp_parse_quote4(p + ICMP_HDRLEN, n - ICMP_HDRLEN, m))
			m->kind = ICMP_MSG_ERROR;
		return 0;
	}
	if (v6 &&
	    (p[0] == T6_UNREACH || p[0] == T6_TOOBIG || p[0] == T6_TIMXCEED ||
		p[0] == T6_PARAMPROB)) {
		if (p[0] == T6_TOOBIG)
			m->mtu = get32(p + 4);
		if (icmp_parse_quote6(p + ICMP_HDRLEN, n - ICMP_HDRLEN, m))
			m->kind = ICMP_MSG_ERROR;
		return 0;
	}
	return 0;
}

/* Returns 1 if the probe an error quotes went to dst. */
static int
icmp_quotes_dst(const struct icmp_msg *m, const struct sockaddr *dst)
{
	const struct sockaddr_in *s4 = (const struct sockaddr_in *)dst;
	const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)dst;

	if (!m->has_dst || dst->sa_family != m->family)
		return 0;
	if (m->family == AF_INET6)
		return memcmp(m->dst, &s6->sin6_addr, 16) == 0;
	return memcmp(m->dst, &s4->sin_addr, 4) == 0;
}

int
icmp_is_ours(
    const struct icmp_msg *m, int raw, uint16_t id, const struct sockaddr *dst)
{
	if (m->kind != ICMP_MSG_REPLY && m->kind != ICMP_MSG_ERROR)
		return 0;
	if (raw && m->id != id)
		return 0;
	return m->kind != ICMP_MSG_ERROR || dst == NULL ||
	    icmp_quotes_dst(m, dst);
}

int
icmp_payload_ok(
    const struct icmp_msg *m, size_t plen, const struct timespec *sent)
{
	return icmp_payload_ok_pattern(m, plen, sent, NULL, 0);
}

int
icmp_payload_ok_pattern(const struct icmp_msg *m, size_t plen,
    const struct timespec *sent, const uint8_t *pat, size_t patlen)
{
	uint8_t want[256];
	size_t off, chunk, i;

	if (m->data == NULL || m->datalen != plen)
		return 0;
	/* Compare in chunks against the regenerated payload: no allocation. */
	for (off = 0; off < plen; off += chunk) {
		chunk = plen - off < sizeof want ? plen - off : sizeof want;
		if (off == 0) {
			icmp_fill_payload_pattern(
			    want, chunk, m->seq, sent, pat, patlen);
		} else {
			for (i = 0; i < chunk; i++)
				want[i] = icmp_fill_byte(
				    off + i, m->seq, pat, patlen);
		}
		if (memcmp(want, m->data + off, chunk) != 0)
			return 0;
	}
	return 1;
}

static const char *const unreach4[] = {
    "Destination Net Unreachable",
    "Destination Host Unreachable",
    "Destination Protocol Unreachable",
    "Destination Port Unreachable",
    "Frag needed and DF set",
    "Source Route Failed",
    "Destination Net Unknown",
    "Destination Host Unknown",
    "Source Host Isolated",
    "Destination Net Prohibited",
    "Destination Host Prohibited",
    "Destination Net Unreachable for Type of Service",
    "Destination Host Unreachable for Type of Service",
    "Packet filtered",
    "Precedence Violation",
    "Precedence Cutoff",
};

static const char *const unreach6[] = {
    "No route",
    "Administratively prohibited",
    "Beyond scope of source address",
    "Address unreachable",
    "Port unreachable",
    "Source address failed ingress/egress policy",
    "Reject route to destination",
};

char *
icmp_describe(int family, uint8_t type, uint8_t code, uint32_t mtu, char *buf,
    size_t size)
{
	if (family != AF_INET6) {
		switch (type) {
		case T4_UNREACH:
			if (code == 4)
				snprintf(buf, size, "%s (mtu = %u)",
				    unreach4[4], (unsigned)mtu);
			else if (code < sizeof unreach4 / sizeof unreach4[0])
				snprintf(buf, size, "%s", unreach4[code]);
			else
				snprintf(buf, size,
				    "Dest Unreachable, Bad Code: %u", code);
			return buf;
		case T4_TIMXCEED:
			snprintf(buf, size, "%s",
			    code == 0	    ? "Time to live exceeded"
				: code == 1 ? "Frag reassembly time exceeded"
					    : "Time exceeded, Bad Code");
			return buf;
		case T4_PARAMPROB:
			snprintf(buf, size, "Parameter problem");
			return buf;
		}
	} else {
		switch (type) {
		case T6_UNREACH:
			if (code < sizeof unreach6 / sizeof unreach6[0])
				snprintf(buf, size,
				    "Destination unreachable: %s",
				    unreach6[code]);
			else
				snprintf(buf, size,
				    "Destination unreachable: "
				    "Unknown code %u",
				    code);
			return buf;
		case T6_TOOBIG:
			snprintf(
			    buf, size, "Packet too big: mtu=%u", (unsigned)mtu);
			return buf;
		case T6_TIMXCEED:
			snprintf(buf, size, "Time exceeded: %s",
			    code == 0	    ? "Hop limit"
				: code == 1 ? "Defragmentation failure"
					    : "unknown code");
			return buf;
		case T6_PARAMPROB:
			snprintf(buf, size, "Parameter problem");
			return buf;
		}
	}
	snprintf(buf, size, "ICMP type %u code %u", type, code);
	return buf;
}

#define ICMP_ANY_CODE (-1)

/* One row per class; the first that matches wins. */
static const struct icmp_row {
	int family;
	uint8_t type;
	int code[3]; /* up to three codes, ICMP_ANY_CODE for all; 0 pads */
	int ncodes;
	struct icmp_class c;
} icmp_rows[] = {
    {AF_INET, T4_UNREACH, {3}, 1,
	{ICMP_V_REFUSED, "refused", "port unreachable", 0, 1}},
    {AF_INET6, T6_UNREACH, {4}, 1,
	{ICMP_V_REFUSED, "refused", "port unreachable", 0, 1}},
    {AF_INET, T4_UNREACH, {4}, 1,
	{ICMP_V_UNREACHABLE, "frag-needed", "fragmentation needed, path MTU", 1,
	    1}},
    {AF_INET6, T6_TOOBIG, {ICMP_ANY_CODE}, 1,
	{ICMP_V_UNREACHABLE, "frag-needed", "fragmentation needed, path MTU", 1,
	    0}},
    {AF_INET, T4_UNREACH, {1, 7}, 2,
	{ICMP_V_UNREACHABLE, "host-unreachable", "host unreachable", 0, 1}},
    {AF_INET6, T6_UNREACH, {3}, 1,
	{ICMP_V_UNREACHABLE, "host-unreachable", "host unreachable", 0, 1}},
    {AF_INET, T4_UNREACH, {0, 6}, 2,
	{ICMP_V_UNREACHABLE, "net-unreachable", "network unreachable", 0, 1}},
    {AF_INET6, T6_UNREACH, {0}, 1,
	{ICMP_V_UNREACHABLE, "net-unreachable", "network unreachable", 0, 1}},
    {AF_INET, T4_UNREACH, {9, 10, 13}, 3,
	{ICMP_V_UNREACHABLE, "prohibited", "administratively prohibited", 0,
	    1}},
    {AF_INET6, T6_UNREACH, {1}, 1,
	{ICMP_V_UNREACHABLE, "prohibited", "administratively prohibited", 0,
	    1}},
    {AF_INET, T4_TIMXCEED, {ICMP_ANY_CODE}, 1,
	{ICMP_V_OTHER, "ttl-exceeded", "time to live exceeded in transit", 0,
	    0}},
    {AF_INET6, T6_TIMXCEED, {ICMP_ANY_CODE}, 1,
	{ICMP_V_OTHER, "ttl-exceeded", "time to live exceeded in transit", 0,
	    0}},
};

static int
icmp_row_matches(
    const struct icmp_row *r, int family, uint8_t type, uint8_t code)
{
	int i;

	if (r->family != family || r->type != type)
		return 0;
	for (i = 0; i < r->ncodes; i++)
		if (r->code[i] == ICMP_ANY_CODE || r->code[i] == code)
			return 1;
	return 0;
}

void
icmp_classify(int family, uint8_t type, uint8_t code, struct icmp_class *c)
{
	size_t i;

	family = family == AF_INET6 ? AF_INET6 : AF_INET;
	for (i = 0; i < sizeof icmp_rows / sizeof icmp_rows[0]; i++) {
		if (icmp_row_matches(&icmp_rows[i], family, type, code)) {
			*c = icmp_rows[i].c;
			return;
		}
	}
	c->reason = "icmp";
	c->text = NULL;
	c->has_mtu = 0;
	c->unreach = type == (family == AF_INET6 ? T6_UNREACH : T4_UNREACH);
	/* udptool-json(7): any other destination unreachable is unreachable. */
	c->verdict = c->unreach ? ICMP_V_UNREACHABLE : ICMP_V_OTHER;
}

const char *
icmp_event(enum icmp_verdict v)
{
	switch (v) {
	case ICMP_V_REFUSED:
		return "refused";
	case ICMP_V_UNREACHABLE:
		return "unreachable";
	default:
		return "icmp_error";
	}
}

char *
icmp_class_text(const struct icmp_class *c, int family, uint8_t type,
    uint8_t code, uint32_t mtu, int err, char *buf, size_t size)
{
	if (c->text == NULL)
		snprintf(buf, size, "ICMP%s type %u code %u: %s",
		    family == AF_INET6 ? "v6" : "", type, code, strerror(err));
	else if (c->has_mtu)
		snprintf(buf, size, "%s %u", c->text, (unsigned)mtu);
	else
		snprintf(buf, size, "%s", c->text);
	return buf;
}
