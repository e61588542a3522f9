/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for the icmp module: the checksum (odd lengths, the seed
 * program's mistake), requests, and crafted replies and errors.
 */
#include "config.h"

#include <sys/socket.h>

#include <netinet/in.h>

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "icmp.h"

static const struct timespec sent_ts = {1700000000, 123456789};

/* Writes a 20-byte IPv4 header (protocol ICMP) before an ICMP message. */
static size_t
ip4_wrap(uint8_t *out, const uint8_t *icmp, size_t len, uint8_t ttl,
    const uint8_t src[4], const uint8_t dst[4])
{
	memset(out, 0, 20);
	out[0] = 0x45;
	out[2] = (uint8_t)((20 + len) >> 8);
	out[3] = (uint8_t)(20 + len);
	out[8] = ttl;
	out[9] = 1;
	memcpy(out + 12, src, 4);
	memcpy(out + 16, dst, 4);
	memcpy(out + 20, icmp, len);
	return 20 + len;
}

/* The seed program's loop: starts at byte 1, drops the last byte. */
static uint16_t
seed_checksum(const uint8_t *msg, size_t len)
{
	uint32_t sum = 0;
	size_t n;

	for (n = 1; n + 1 < len; n += 2)
		sum += (uint32_t)msg[n] * 256 + msg[n + 1];
	sum = (sum >> 16) + (sum & 0xffff);
	sum += sum >> 16;
	return (uint16_t)~sum;
}

static void
test_checksum(void **state)
{
	/* RFC 1071 section 3 example: the sum is ddf2, so the checksum 220d. */
	static const uint8_t rfc[] = {
	    0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
	static const uint8_t odd[] = {0x01, 0x02, 0x03};
	/* The seed program's request: echo, id 13, seq 37, no payload. */
	uint8_t seed[8] = {8, 0, 0, 0, 0, 13, 0, 37};
	uint8_t one = 0xab;

	assert_int_equal(icmp_checksum(rfc, sizeof rfc), 0x220d);
	/* An odd last byte is the high half of a zero-padded word. */
	assert_int_equal(icmp_checksum(odd, sizeof odd), 0xfbfd);
	assert_int_equal(icmp_checksum(&one, 1), (uint16_t)~0xab00);
	assert_int_equal(icmp_checksum(NULL, 0), 0xffff);

	assert_int_equal(icmp_checksum(seed, sizeof seed), 0xf7cd);
	assert_int_not_equal(seed_checksum(seed, sizeof seed), 0xf7cd);
	seed[2] = 0xf7;
	seed[3] = 0xcd;
	assert_int_equal(icmp_checksum(seed, sizeof seed), 0);
}

static void
test_build(void **state)
{
	uint8_t payload[64], buf[128], small[10];
	size_t len, plen;

	for (plen = 0; plen <= 9; plen++) {
		icmp_fill_payload(payload, plen, 5, &sent_ts);
		len = icmp_build_echo(
		    AF_INET, 0x1234, 5, payload, plen, buf, sizeof buf);
		assert_int_equal(len, 8 + plen);
		assert_int_equal(buf[0], 8);
		assert_int_equal(buf[4], 0x12);
		assert_int_equal(buf[5], 0x34);
		assert_int_equal(buf[7], 5);
		/* Odd and even lengths both verify to zero. */
		assert_int_equal(icmp_checksum(buf, len), 0);
	}
	len = icmp_build_echo(AF_INET6, 1, 2, payload, 4, buf, sizeof buf);
	assert_int_equal(len, 12);
	assert_int_equal(buf[0], 128);
	assert_int_equal(buf[2] | buf[3], 0);
	/* Too small a buffer is refused, not overrun. */
	assert_int_equal(
	    icmp_build_echo(AF_INET, 1, 2, payload, 3, small, sizeof small), 0);
	assert_int_equal(
	    icmp_build_echo(AF_INET, 1, 2, payload, 2, small, sizeof small),
	    10);
}

/* Builds an echo reply to a request: type 0, checksum fixed. */
static size_t
make_reply4(uint8_t *buf, uint16_t id, uint16_t seq, size_t plen)
{
	uint8_t payload[600];
	size_t len;

	icmp_fill_payload(payload, plen, seq, &sent_ts);
	len = icmp_build_echo(AF_INET, id, seq, payload, plen, buf, 700);
	buf[0] = 0;
	buf[2] = buf[3] = 0;
	buf[2] = (uint8_t)(icmp_checksum(buf, len) >> 8);
	buf[3] = (uint8_t)icmp_checksum(buf, len);
	return len;
}

static const uint8_t lo[4] = {127, 0, 0, 1};
static const uint8_t router[4] = {192, 0, 2, 1};
static const uint8_t target[4] = {198, 51, 100, 7};

static void
test_reply_raw(void **state)
{
	uint8_t icmp[700], pkt[800];
	struct icmp_msg m;
	char err[128];
	size_t len;

	len = make_reply4(icmp, 0x4242, 7, 56);
	len = ip4_wrap(pkt, icmp, len, 63, lo, lo);
	assert_int_equal(
	    icmp_parse(AF_INET, ICMP_F_IPHDR, pkt, len, &m, err, sizeof err),
	    0);
	assert_int_equal(m.kind, ICMP_MSG_REPLY);
	assert_int_equal(m.id, 0x4242);
	assert_int_equal(m.seq, 7);
	assert_int_equal(m.ttl, 63);
	assert_int_equal(m.icmplen, 64);
	assert_int_equal(m.datalen, 56);
	assert_true(m.has_src);
	assert_memory_equal(m.src, lo, 4);
	assert_true(icmp_is_ours(&m, 1, 0x4242, NULL));
	assert_true(icmp_payload_ok(&m, 56, &sent_ts));

	/* Another process's reply: other identifier, ignored on raw. */
	len = make_reply4(icmp, 0x4243, 7, 56);
	len = ip4_wrap(pkt, icmp, len, 64, lo, lo);
	assert_int_equal(
	    icmp_parse(AF_INET, ICMP_F_IPHDR, pkt, len, &m, err, sizeof err),
	    0);
	assert_false(icmp_is_ours(&m, 1, 0x4242, NULL));
	/* On a datagram socket the kernel rewrote it: any id is ours. */
	assert_true(icmp_is_ours(&m, 0, 0x4242, NULL));
}

static void
test_bad_checksum(void **state)
{
	uint8_t icmp[700], pkt[800];
	struct icmp_msg m;
	char err[128];
	size_t len;

	len = make_reply4(icmp, 1, 1, 57);
	icmp[20] ^= 0x01; /* payload corrupted in flight */
	assert_int_equal(
	    icmp_parse(AF_INET, 0, icmp, len, &m, err, sizeof err), -1);
	assert_non_null(strstr(err, "bad ICMP checksum"));
	len = ip4_wrap(pkt, icmp, len, 64, lo, lo);
	assert_int_equal(
	    icmp_parse(AF_INET, ICMP_F_IPHDR, pkt, len, &m, err, sizeof err),
	    -1);
	/* Quoted copies may be cut short, so their checksum is not checked. */
	assert_int_equal(icmp_parse(AF_INET, ICMP_F_NOCSUM, icmp, len - 20, &m,
			     err, sizeof err),
	    0);
}

static void
test_short(void **state)
{
	uint8_t icmp[700], pkt[800], *copy;
	struct icmp_msg m;
	char err[128];
	size_t len, i;

	len = make_reply4(icmp, 1, 1, 0);
	assert_int_equal(
	    icmp_parse(AF_INET, 0, icmp, 7, &m, err, sizeof err), -1);
	assert_non_null(strstr(err, "short ICMP message"));
	assert_int_equal(
	    icmp_parse(AF_INET, 0, icmp, len, &m, err, sizeof err), 0);
	assert_int_equal(m.datalen, 0);

	len = ip4_wrap(pkt, icmp, len, 64, lo, lo);
	assert_int_equal(
	    icmp_parse(AF_INET, ICMP_F_IPHDR, pkt, 19, &m, err, sizeof err),
	    -1);
	assert_non_null(strstr(err, "short IPv4 header"));
	pkt[0] = 0x4f; /* header length 60 > packet */
	assert_int_equal(
	    icmp_parse(AF_INET, ICMP_F_IPHDR, pkt, len, &m, err, sizeof err),
	    -1);
	assert_non_null(strstr(err, "bad IPv4 header length"));
	pkt[0] = 0x65;
	assert_int_equal(
	    icmp_parse(AF_INET, ICMP_F_IPHDR, pkt, len, &m, err, sizeof err),
	    -1);
	pkt[0] = 0x45;
	pkt[9] = 17;
	assert_int_equal(
	    icmp_parse(AF_INET, ICMP_F_IPHDR, pkt, len, &m, err, sizeof err),
	    -1);

	/* Every prefix, in an exactly sized heap copy (ASan sees overreads). */
	pkt[9] = 1;
	for (i = 0; i <= len; i++) {
		copy = malloc(i ? i : 1);
		assert_non_null(copy);
		memcpy(copy, pkt, i);
		(void)icmp_parse(
		    AF_INET, ICMP_F_IPHDR, copy, i, &m, err, sizeof err);
		free(copy);
	}
}

/* An ICMPv4 error of type/code quoting the IPv4 header and 8 bytes of a probe. */
static size_t
make_error4(uint8_t *out, uint8_t type, uint8_t code, const uint8_t *probe,
    size_t quoted)
{
	uint8_t msg[200], qip[100];
	size_t qlen, len;
	uint16_t c;

	qlen = ip4_wrap(qip, probe, quoted, 1, target + 0, target);
	memcpy(qip + 12, (const uint8_t[]){10, 0, 0, 1}, 4);
	memset(msg, 0, 8);
	msg[0] = type;
	msg[1] = code;
	if (type == 3 && code == 4)
		msg[7] = 0xdc; /* mtu 1500 = 0x05dc */
	if (type == 3 && code == 4)
		msg[6] = 0x05;
	memcpy(msg + 8, qip, qlen);
	len = 8 + qlen;
	c = icmp_checksum(msg, len);
	msg[2] = (uint8_t)(c >> 8);
	msg[3] = (uint8_t)c;
	return ip4_wrap(
	    out, msg, len, 250, router, (const uint8_t[]){10, 0, 0, 1});
}

static void
test_errors4(void **state)
{
	uint8_t probe[100], payload[56], pkt[300], *copy;
	struct icmp_msg m;
	char err[128], desc[96];
	size_t plen, len, i;

	icmp_fill_payload(payload, sizeof payload, 9, &sent_ts);
	plen = icmp_build_echo(
	    AF_INET, 0x7777, 9, payload, sizeof payload, probe, sizeof probe);

	len = make_error4(pkt, 3, 1, probe, 8);
	assert_int_equal(
	    icmp_parse(AF_INET, ICMP_F_IPHDR, pkt, len, &m, err, sizeof err),
	    0);
	assert_int_equal(m.kind, ICMP_MSG_ERROR);
	assert_int_equal(m.id, 0x7777);
	assert_int_equal(m.seq, 9);
	assert_memory_equal(m.src, router, 4);
	assert_true(m.has_dst);
	assert_memory_equal(m.dst, target, 4);
	assert_true(icmp_is_ours(&m, 1, 0x7777, NULL));
	assert_false(icmp_is_ours(&m, 1, 0x7778, NULL));
	assert_string_equal(
	    icmp_describe(AF_INET, m.type, m.code, m.mtu, desc, sizeof desc),
	    "Destination Host Unreachable");

	len = make_error4(pkt, 11, 0, probe, plen);
	assert_int_equal(
	    icmp_parse(AF_INET, ICMP_F_IPHDR, pkt, len, &m, err, sizeof err),
	    0);
	assert_int_equal(m.kind, ICMP_MSG_ERROR);
	assert_string_equal(
	    icmp_describe(AF_INET, m.type, m.code, m.mtu, desc, sizeof desc),
	    "Time to live exceeded");

	len = make_error4(pkt, 3, 4, probe, 8);
	assert_int_equal(
	    icmp_parse(AF_INET, ICMP_F_IPHDR, pkt, len, &m, err, sizeof err),
	    0);
	assert_int_equal(m.mtu, 1500);
	assert_string_equal(
	    icmp_describe(AF_INET, m.type, m.code, m.mtu, desc, sizeof desc),
	    "Frag needed and DF set (mtu = 1500)");

	/* A quote cut inside the probe's ICMP header is not ours to claim. */
	len = make_error4(pkt, 3, 1, probe, 6);
	assert_int_equal(
	    icmp_parse(AF_INET, ICMP_F_IPHDR, pkt, len, &m, err, sizeof err),
	    0);
	assert_int_equal(m.kind, ICMP_MSG_OTHER);
	assert_false(icmp_is_ours(&m, 0, 0, NULL));

	/* An error about someone's UDP datagram is not about a probe. */
	len = make_error4(pkt, 3, 3, probe, 8);
	pkt[20 + 8 + 9] = 17;
	/* fix the error's checksum after the edit */
	pkt[22] = pkt[23] = 0;
	{
		uint16_t c = icmp_checksum(pkt + 20, len - 20);

		pkt[22] = (uint8_t)(c >> 8);
		pkt[23] = (uint8_t)c;
	}
	assert_int_equal(
	    icmp_parse(AF_INET, ICMP_F_IPHDR, pkt, len, &m, err, sizeof err),
	    0);
	assert_int_equal(m.kind, ICMP_MSG_OTHER);

	/* Every prefix of an error parses without reading past it. */
	len = make_error4(pkt, 11, 0, probe, plen);
	for (i = 0; i <= len; i++) {
		copy = malloc(i ? i : 1);
		assert_non_null(copy);
		memcpy(copy, pkt, i);
		(void)icmp_parse(AF_INET, ICMP_F_IPHDR | ICMP_F_NOCSUM, copy, i,
		    &m, err, sizeof err);
		free(copy);
	}
}

static void
test_dgram_quoted(void **state)
{
	uint8_t probe[100], payload[16];
	struct icmp_msg m;
	char err[128];
	size_t plen;

	/* IP_RECVERR on a ping socket hands back our own request. */
	icmp_fill_payload(payload, sizeof payload, 3, &sent_ts);
	plen = icmp_build_echo(
	    AF_INET, 99, 3, payload, sizeof payload, probe, sizeof probe);
	assert_int_equal(icmp_parse(AF_INET, ICMP_F_NOCSUM, probe, plen, &m,
			     err, sizeof err),
	    0);
	assert_int_equal(m.kind, ICMP_MSG_REQUEST);
	assert_int_equal(m.seq, 3);
	assert_false(
	    icmp_is_ours(&m, 0, 99, NULL)); /* a request is not a reply */
}

static void
test_payload(void **state)
{
	uint8_t icmp[700];
	struct icmp_msg m;
	struct timespec other = sent_ts;
	char err[128];
	size_t len, plen;
	static const size_t sizes[] = {
	    0, 1, 7, 8, 9, 55, 56, 255, 256, 257, 599};
	size_t i;

	for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		plen = sizes[i];
		len = make_reply4(icmp, 1, 300, plen);
		assert_int_equal(
		    icmp_parse(AF_INET, 0, icmp, len, &m, err, sizeof err), 0);
		assert_true(icmp_payload_ok(&m, plen, &sent_ts));
		/* Wrong length sent */
		assert_false(icmp_payload_ok(&m, plen + 1, &sent_ts));
		if (plen >= 8) {
			other.tv_nsec = sent_ts.tv_nsec + 1;
			assert_false(icmp_payload_ok(&m, plen, &other));
		}
		if (plen > 0) {
			/* one byte changed at the end (past a 256-byte chunk too) */
			icmp[len - 1] ^= 0x80;
			m.data = icmp + 8;
			assert_false(icmp_payload_ok(&m, plen, &sent_ts));
		}
	}
}

/* -p: hex parsing as ping(8), and a patterned payload filled and checked. */
static void
test_pattern(void **state)
{
	uint8_t pat[ICMP_PATTERN_MAX], payload[600], buf[700];
	struct icmp_msg m;
	char err[128];
	size_t i, len;
	int n;

	assert_int_equal(icmp_parse_pattern("ff", pat), 1);
	assert_int_equal(pat[0], 0xff);
	assert_int_equal(icmp_parse_pattern("0aB1c", pat), 3);
	assert_int_equal(pat[0], 0x0a);
	assert_int_equal(pat[1], 0xb1);
	assert_int_equal(pat[2], 0x0c); /* an odd last digit is a byte */
	assert_int_equal(
	    icmp_parse_pattern("000102030405060708090a0b0c0d0e0f", pat), 16);
	assert_int_equal(pat[15], 0x0f);
	assert_int_equal(
	    icmp_parse_pattern("000102030405060708090a0b0c0d0e0f1", pat), -1);
	assert_int_equal(icmp_parse_pattern("", pat), -1);
	assert_int_equal(icmp_parse_pattern("zz", pat), -1);
	assert_int_equal(icmp_parse_pattern("0x12", pat), -1);
	assert_int_equal(icmp_parse_pattern("12 ", pat), -1);

	n = icmp_parse_pattern("abcd", pat);
	icmp_fill_payload_pattern(
	    payload, sizeof payload, 7, &sent_ts, pat, (size_t)n);
	/* The send time first, then pat[i % 2] at offset i, as ping(8). */
	for (i = ICMP_TSLEN; i < sizeof payload; i++)
		assert_int_equal(payload[i], i % 2 ? 0xcd : 0xab);
	len = icmp_build_echo(
	    AF_INET, 1, 7, payload, sizeof payload, buf, sizeof buf);
	buf[0] = 0; /* an echo reply */
	buf[2] = buf[3] = 0;
	buf[2] = (uint8_t)(icmp_checksum(buf, len) >> 8);
	buf[3] = (uint8_t)icmp_checksum(buf, len);
	assert_int_equal(icmp_checksum(buf, len), 0);
	assert_int_equal(
	    icmp_parse(AF_INET, 0, buf, len, &m, err, sizeof err), 0);
	assert_true(icmp_payload_ok_pattern(
	    &m, sizeof payload, &sent_ts, pat, (size_t)n));
	/* Not the default pattern, nor another one. */
	assert_false(icmp_payload_ok(&m, sizeof payload, &sent_ts));
	pat[1] = 0xce;
	assert_false(icmp_payload_ok_pattern(
	    &m, sizeof payload, &sent_ts, pat, (size_t)n));
	/* patlen 0 is icmp_fill_payload(). */
	icmp_fill_payload_pattern(payload, 100, 7, &sent_ts, NULL, 0);
	icmp_fill_payload(buf, 100, 7, &sent_ts);
	assert_memory_equal(payload, buf, 100);
}

/* ICMPv6: no IP header on the socket, the checksum is the kernel's. */
static void
test_icmp6(void **state)
{
	uint8_t payload[56], probe[100], msg[200];
	struct icmp_msg m;
	char err[128], desc[96];
	size_t plen, len;

	icmp_fill_payload(payload, sizeof payload, 4, &sent_ts);
	plen = icmp_build_echo(
	    AF_INET6, 0x1111, 4, payload, sizeof payload, probe, sizeof probe);
	memcpy(msg, probe, plen);
	msg[0] = 129;
	assert_int_equal(
	    icmp_parse(AF_INET6, 0, msg, plen, &m, err, sizeof err), 0);
	assert_int_equal(m.kind, ICMP_MSG_REPLY);
	assert_int_equal(m.seq, 4);
	assert_int_equal(m.ttl, -1);
	assert_true(icmp_payload_ok(&m, 56, &sent_ts));
	/* An ICMPv4 type number means nothing here. */
	msg[0] = 0;
	assert_int_equal(
	    icmp_parse(AF_INET6, 0, msg, plen, &m, err, sizeof err), 0);
	assert_int_equal(m.kind, ICMP_MSG_OTHER);

	/* Time exceeded quoting the IPv6 header and our request. */
	memset(msg, 0, sizeof msg);
	msg[0] = 3;
	msg[8] = 0x60;
	msg[8 + 6] = 58;
	msg[8 + 7] = 1;
	msg[8 + 24] = 0x20;
	msg[8 + 25] = 0x01;
	msg[8 + 26] = 0x0d;
	msg[8 + 27] = 0xb8;
	msg[8 + 39] = 7;
	memcpy(msg + 48, probe, 8);
	len = 56;
	assert_int_equal(
	    icmp_parse(AF_INET6, 0, msg, len, &m, err, sizeof err), 0);
	assert_int_equal(m.kind, ICMP_MSG_ERROR);
	assert_int_equal(m.id, 0x1111);
	assert_int_equal(m.seq, 4);
	assert_int_equal(m.dst[0], 0x20);
	assert_int_equal(m.dst[15], 7);
	assert_string_equal(
	    icmp_describe(AF_INET6, m.type, m.code, m.mtu, desc, sizeof desc),
	    "Time exceeded: Hop limit");
	/* One byte short of the quoted echo header. */
	assert_int_equal(
	    icmp_parse(AF_INET6, 0, msg, len - 1, &m, err, sizeof err), 0);
	assert_int_equal(m.kind, ICMP_MSG_OTHER);

	/* Packet too big carries a 32-bit MTU. */
	msg[0] = 2;
	msg[6] = 0x05;
	msg[7] = 0x00;
	assert_int_equal(
	    icmp_parse(AF_INET6, 0, msg, len, &m, err, sizeof err), 0);
	assert_int_equal(m.kind, ICMP_MSG_ERROR);
	assert_int_equal(m.mtu, 1280);
	assert_string_equal(
	    icmp_describe(AF_INET6, m.type, m.code, m.mtu, desc, sizeof desc),
	    "Packet too big: mtu=1280");

	msg[0] = 1;
	msg[1] = 4;
	assert_string_equal(icmp_describe(AF_INET6, 1, 4, 0, desc, sizeof desc),
	    "Destination unreachable: Port unreachable");
	assert_int_equal(
	    icmp_parse(AF_INET6, 0, msg, 7, &m, err, sizeof err), -1);
}

/*
 * On a raw socket the kernel hands every ICMP error to every raw socket: an
 * error quoting a probe with our identifier but sent to another host (by
 * another ping that drew the same identifier) is not ours.
 */
static void
test_error_dst4(void **state)
{
	uint8_t probe[100], payload[56], pkt[300];
	struct sockaddr_in ours, other;
	struct icmp_msg m;
	char err[128];
	size_t len;

	icmp_fill_payload(payload, sizeof payload, 9, &sent_ts);
	icmp_build_echo(
	    AF_INET, 0x7777, 9, payload, sizeof payload, probe, sizeof probe);
	len = make_error4(pkt, 3, 1, probe, 8);
	assert_int_equal(
	    icmp_parse(AF_INET, ICMP_F_IPHDR, pkt, len, &m, err, sizeof err),
	    0);
	assert_int_equal(m.kind, ICMP_MSG_ERROR);

	memset(&ours, 0, sizeof ours);
	ours.sin_family = AF_INET;
	memcpy(&ours.sin_addr, target, 4);
	other = ours;
	memcpy(&other.sin_addr, (const uint8_t[]){198, 51, 100, 8}, 4);
	assert_true(icmp_is_ours(&m, 1, 0x7777, (struct sockaddr *)&ours));
	assert_false(icmp_is_ours(&m, 1, 0x7777, (struct sockaddr *)&other));
	/* The same on a datagram socket, should one ever see it. */
	assert_false(icmp_is_ours(&m, 0, 0, (struct sockaddr *)&other));
	/* Our identifier to our target, from the other family: not ours. */
	{
		struct sockaddr_in6 s6;

		memset(&s6, 0, sizeof s6);
		s6.sin6_family = AF_INET6;
		assert_false(
		    icmp_is_ours(&m, 1, 0x7777, (struct sockaddr *)&s6));
	}
	/* A reply carries no quote: the destination is not asked. */
	len = make_reply4(pkt, 0x7777, 9, 56);
	assert_int_equal(
	    icmp_parse(AF_INET, 0, pkt, len, &m, err, sizeof err), 0);
	assert_int_equal(m.kind, ICMP_MSG_REPLY);
	assert_true(icmp_is_ours(&m, 1, 0x7777, (struct sockaddr *)&other));
}

static void
test_error_dst6(void **state)
{
	uint8_t payload[16], probe[100], msg[200];
	static const uint8_t doc7[16] = {
	    0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7};
	struct sockaddr_in6 ours, other;
	struct icmp_msg m;
	char err[128];

	icmp_fill_payload(payload, sizeof payload, 4, &sent_ts);
	icmp_build_echo(
	    AF_INET6, 0x1111, 4, payload, sizeof payload, probe, sizeof probe);
	/* Destination unreachable quoting a probe to 2001:db8::7. */
	memset(msg, 0, sizeof msg);
	msg[0] = 1;
	msg[1] = 3;
	msg[8] = 0x60;
	msg[8 + 6] = 58;
	msg[8 + 7] = 64;
	memcpy(msg + 8 + 24, doc7, 16);
	memcpy(msg + 48, probe, 8);
	assert_int_equal(
	    icmp_parse(AF_INET6, 0, msg, 56, &m, err, sizeof err), 0);
	assert_int_equal(m.kind, ICMP_MSG_ERROR);

	memset(&ours, 0, sizeof ours);
	ours.sin6_family = AF_INET6;
	memcpy(&ours.sin6_addr, doc7, 16);
	other = ours;
	other.sin6_addr.s6_addr[15] = 8;
	assert_true(icmp_is_ours(&m, 1, 0x1111, (struct sockaddr *)&ours));
	assert_false(icmp_is_ours(&m, 1, 0x1111, (struct sockaddr *)&other));
	assert_false(icmp_is_ours(&m, 1, 0x1112, (struct sockaddr *)&ours));
}

static void
test_classify(void **state)
{
	struct icmp_class c;
	char buf[128];

	(void)state;
	icmp_classify(AF_INET, 3, 3, &c);
	assert_int_equal(c.verdict, ICMP_V_REFUSED);
	assert_string_equal(c.reason, "refused");
	assert_string_equal(icmp_event(c.verdict), "refused");
	assert_string_equal(
	    icmp_class_text(&c, AF_INET, 3, 3, 0, 111, buf, sizeof buf),
	    "port unreachable");
	icmp_classify(AF_INET6, 1, 4, &c);
	assert_int_equal(c.verdict, ICMP_V_REFUSED);
	assert_true(c.unreach);

	icmp_classify(AF_INET, 3, 4, &c);
	assert_int_equal(c.verdict, ICMP_V_UNREACHABLE);
	assert_string_equal(c.reason, "frag-needed");
	assert_true(c.has_mtu);
	assert_string_equal(
	    icmp_class_text(&c, AF_INET, 3, 4, 1400, 90, buf, sizeof buf),
	    "fragmentation needed, path MTU 1400");
	/* ICMPv6 "packet too big" is no destination unreachable. */
	icmp_classify(AF_INET6, 2, 0, &c);
	assert_string_equal(c.reason, "frag-needed");
	assert_false(c.unreach);
	/* The same thing as IPv4's fragmentation needed: the same name. */
	assert_string_equal(icmp_event(c.verdict), "unreachable");

	icmp_classify(AF_INET, 3, 7, &c);
	assert_string_equal(c.reason, "host-unreachable");
	icmp_classify(AF_INET6, 1, 3, &c);
	assert_string_equal(c.reason, "host-unreachable");
	icmp_classify(AF_INET, 3, 6, &c);
	assert_string_equal(c.reason, "net-unreachable");
	icmp_classify(AF_INET6, 1, 0, &c);
	assert_string_equal(c.reason, "net-unreachable");
	icmp_classify(AF_INET, 3, 13, &c);
	assert_string_equal(c.reason, "prohibited");
	assert_string_equal(icmp_event(c.verdict), "unreachable");
	icmp_classify(AF_INET6, 1, 1, &c);
	assert_string_equal(c.reason, "prohibited");

	icmp_classify(AF_INET, 11, 1, &c);
	assert_int_equal(c.verdict, ICMP_V_OTHER);
	assert_string_equal(c.reason, "ttl-exceeded");
	assert_string_equal(icmp_event(c.verdict), "icmp_error");
	icmp_classify(AF_INET6, 3, 0, &c);
	assert_string_equal(c.reason, "ttl-exceeded");
	/* The same numbers mean other things in the other family. */
	icmp_classify(AF_INET, 1, 4, &c);
	assert_string_equal(c.reason, "icmp");
	assert_false(c.unreach);

	/* Protocol unreachable: unreachable by type, no class of its own. */
	icmp_classify(AF_INET, 3, 2, &c);
	assert_int_equal(c.verdict, ICMP_V_UNREACHABLE);
	assert_string_equal(icmp_event(c.verdict), "unreachable");
	assert_string_equal(c.reason, "icmp");
	assert_true(c.unreach);
	assert_string_equal(icmp_class_text(&c, AF_INET, 3, 2, 0, ECONNREFUSED,
				buf, sizeof buf),
	    "ICMP type 3 code 2: Connection refused");
	icmp_classify(AF_INET6, 4, 0, &c);
	assert_string_equal(icmp_event(c.verdict), "icmp_error");
	assert_string_equal(
	    icmp_class_text(&c, AF_INET6, 4, 0, 0, EPROTO, buf, sizeof buf),
	    "ICMPv6 type 4 code 0: Protocol error");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_checksum),
	    cmocka_unit_test(test_build),
	    cmocka_unit_test(test_reply_raw),
	    cmocka_unit_test(test_bad_checksum),
	    cmocka_unit_test(test_short),
	    cmocka_unit_test(test_errors4),
	    cmocka_unit_test(test_error_dst4),
	    cmocka_unit_test(test_error_dst6),
	    cmocka_unit_test(test_dgram_quoted),
	    cmocka_unit_test(test_payload),
	    cmocka_unit_test(test_pattern),
	    cmocka_unit_test(test_icmp6),
	    cmocka_unit_test(test_classify),
	};

	return cmocka_run_group_tests_name("icmp", tests, NULL, NULL);
}
