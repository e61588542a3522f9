/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for the pcapng module: synthesised IPv4 and IPv6 UDP packets
 * with valid checksums, a written capture read back whole, old pcap files
 * in both byte orders, and damaged files refused.
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
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pcapng.h"
#include "sockaddr.h"

/* The one's-complement sum of p, folded: 0xffff when a checksum holds. */
static unsigned
sum16(const uint8_t *p, size_t len, unsigned sum)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (unsigned)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (unsigned)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

static void
test_packet_v4(void **state)
{
	struct sockaddr_in a, b;
	struct sockaddr_in6 m;
	uint8_t frame[128], *pkt = frame + 14;
	unsigned pseudo;
	size_t n;

	(void)state;
	sin4(&a, "192.0.2.1", 5000);
	sin4(&b, "198.51.100.7", 53);
	n = pcapng_udp_packet((struct sockaddr *)&a, (struct sockaddr *)&b,
	    (const uint8_t *)"hello", 5, frame, sizeof frame);
	assert_int_equal(n, 14 + 20 + 8 + 5);
	assert_int_equal(frame[12] << 8 | frame[13], 0x0800);
	assert_int_equal(pkt[0], 0x45);
	assert_int_equal(pkt[2] << 8 | pkt[3], 33);
	assert_int_equal(sum16(pkt, 20, 0), 0xffff);
	assert_int_equal(pkt[20] << 8 | pkt[21], 5000);
	assert_int_equal(pkt[22] << 8 | pkt[23], 53);
	assert_int_equal(pkt[24] << 8 | pkt[25], 13);
	pseudo = sum16(pkt + 12, 8, 0) + 17 + 13;
	assert_int_equal(sum16(pkt + 20, 13, pseudo), 0xffff);
	assert_memory_equal(pkt + 28, "hello", 5);
	/* IPv4-mapped is IPv4; mixed families and small buffers are not. */
	sin6(&m, "::ffff:192.0.2.1", 5000);
	assert_int_equal(
	    pcapng_udp_packet((struct sockaddr *)&m, (struct sockaddr *)&b,
		NULL, 0, frame, sizeof frame),
	    14 + 28);
	sin6(&m, "2001:db8::1", 5000);
	assert_int_equal(
	    pcapng_udp_packet((struct sockaddr *)&m, (struct sockaddr *)&b,
		NULL, 0, frame, sizeof frame),
	    0);
	assert_int_equal(pcapng_udp_packet((struct sockaddr *)&a,
			     (struct sockaddr *)&b, pkt, 10, frame, 14 + 37),
	    0);
}

static void
test_packet_v6(void **state)
{
	struct sockaddr_in6 a, b;
	uint8_t frame[128], *pkt = frame + 14;
	unsigned pseudo;
	size_t n;

	(void)state;
	sin6(&a, "2001:db8::1", 40000);
	sin6(&b, "2001:db8::2", 7);
	n = pcapng_udp_packet((struct sockaddr *)&a, (struct sockaddr *)&b,
	    (const uint8_t *)"xyz", 3, frame, sizeof frame);
	assert_int_equal(n, 14 + 40 + 8 + 3);
	assert_int_equal(frame[12] << 8 | frame[13], 0x86dd);
	assert_int_equal(pkt[0] >> 4, 6);
	assert_int_equal(pkt[4] << 8 | pkt[5], 11);
	assert_int_equal(pkt[6], 17);
	pseudo = sum16(pkt + 8, 32, 0) + 17 + 11;
	assert_int_equal(sum16(pkt + 40, 11, pseudo), 0xffff);
}

static void
test_write_read(void **state)
{
	struct pcapng_reader *r = malloc(sizeof *r);
	struct pcapng_packet p;
	struct pcapng_udp u;
	struct sockaddr_in a, b;
	struct sockaddr_in6 c, d;
	uint8_t pkt[128];
	char *buf, err[128];
	size_t len, n;
	FILE *fp;

	(void)state;
	assert_non_null(r);
	fp = open_memstream(&buf, &len);
	assert_non_null(fp);
	sin4(&a, "127.0.0.1", 1111);
	sin4(&b, "127.0.0.2", 2222);
	sin6(&c, "::1", 3333);
	sin6(&d, "::1", 4444);
	assert_int_equal(pcapng_write_shb(fp, "a test"), 0);
	assert_int_equal(pcapng_write_idb(fp, "clients"), 0);
	assert_int_equal(pcapng_write_idb(fp, NULL), 0);
	n = pcapng_udp_packet((struct sockaddr *)&a, (struct sockaddr *)&b,
	    (const uint8_t *)"abcde", 5, pkt, sizeof pkt);
	assert_int_equal(pcapng_write_epb(fp, 0, 1234567890123456789ULL, pkt, n,
			     "dropped: loss"),
	    0);
	n = pcapng_udp_packet((struct sockaddr *)&c, (struct sockaddr *)&d,
	    (const uint8_t *)"", 0, pkt, sizeof pkt);
	assert_int_equal(pcapng_write_epb(fp, 1, 5, pkt, n, NULL), 0);
	fclose(fp);
	assert_int_equal(len % 4, 0);
	assert_int_equal(
	    pcapng_reader_init(r, (uint8_t *)buf, len, err, sizeof err), 0);
	assert_int_equal(pcapng_reader_next(r, &p, err, sizeof err), 1);
	assert_int_equal(p.ifid, 0);
	assert_int_equal(p.linktype, PCAPNG_LINKTYPE_ETHERNET);
	assert_true(p.ts_ns == 1234567890123456789ULL);
	assert_int_equal(p.caplen, 14 + 33);
	assert_int_equal(
	    pcapng_udp_decode(p.linktype, p.data, p.caplen, &u), 0);
	assert_memory_equal(
	    &((struct sockaddr_in *)&u.src)->sin_addr, &a.sin_addr, 4);
	assert_int_equal(ntohs(((struct sockaddr_in *)&u.dst)->sin_port), 2222);
	assert_int_equal(u.len, 5);
	assert_memory_equal(u.payload, "abcde", 5);
	assert_int_equal(pcapng_reader_next(r, &p, err, sizeof err), 1);
	assert_int_equal(p.ifid, 1);
	assert_true(p.ts_ns == 5);
	assert_int_equal(
	    pcapng_udp_decode(p.linktype, p.data, p.caplen, &u), 0);
	assert_int_equal(u.src.ss_family, AF_INET6);
	assert_int_equal(
	    ntohs(((struct sockaddr_in6 *)&u.src)->sin6_port), 3333);
	assert_int_equal(u.len, 0);
	assert_int_equal(pcapng_reader_next(r, &p, err, sizeof err), 0);
	/* Cut anywhere inside a block, the file is damaged, never overread. */
	assert_int_equal(
	    pcapng_reader_init(r, (uint8_t *)buf, len - 4, err, sizeof err), 0);
	assert_int_equal(pcapng_reader_next(r, &p, err, sizeof err), 1);
	assert_int_equal(pcapng_reader_next(r, &p, err, sizeof err), -1);
	assert_string_equal(err, "bad block length");
	free(buf);
	free(r);
}

static void
put32(uint8_t *p, uint32_t v, int big)
{
	int i;

	for (i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (big ? 24 - 8 * i : 8 * i));
}

static void
test_pcap(void **state)
{
	struct pcapng_reader *r = malloc(sizeof *r);
	struct pcapng_packet p;
	uint8_t f[24 + 16 + 4];
	char err[128];
	int big;

	(void)state;
	assert_non_null(r);
	for (big = 0; big < 2; big++) {
		memset(f, 0, sizeof f);
		put32(f, 0xa1b2c3d4, big);
		put32(f + 16, 65535, big);
		put32(f + 20, PCAPNG_LINKTYPE_ETHERNET, big);
		put32(f + 24, 7, big);
		put32(f + 28, 250, big); /* microseconds */
		put32(f + 32, 4, big);
		put32(f + 36, 60, big);
		assert_int_equal(
		    pcapng_reader_init(r, f, sizeof f, err, sizeof err), 0);
		assert_int_equal(pcapng_reader_next(r, &p, err, sizeof err), 1);
		assert_int_equal(p.linktype, PCAPNG_LINKTYPE_ETHERNET);
		assert_true(p.ts_ns == 7000250000ULL);
		assert_int_equal(p.caplen, 4);
		assert_int_equal(p.origlen, 60);
		assert_int_equal(pcapng_reader_next(r, &p, err, sizeof err), 0);
		/* A packet longer than the file. */
		assert_int_equal(
		    pcapng_reader_init(r, f, sizeof f - 1, err, sizeof err), 0);
		assert_int_equal(
		    pcapng_reader_next(r, &p, err, sizeof err), -1);
	}
	assert_int_equal(pcapng_reader_init(
			     r, (const uint8_t *)"GIF89a", 6, err, sizeof err),
	    -1);
	assert_string_equal(err, "not a pcap or pcapng file");
	free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_packet_v4),
	    cmocka_unit_test(test_packet_v6),
	    cmocka_unit_test(test_write_read),
	    cmocka_unit_test(test_pcap),
	};

	return cmocka_run_group_tests_name("pcapng", tests, NULL, NULL);
}
