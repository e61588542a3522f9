/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for the capture module: datagrams recorded on a dual-stack
 * socket's interface read back with the right addresses and ports, a
 * packet's comment written as pcapng writes it, and a full disk reported
 * when the file is closed.
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
#include <unistd.h>

#include <cmocka.h>

#include "capture.h"
#include "pcapng.h"
#include "sockaddr.h"

/* The address of ss as text, in buf of INET6_ADDRSTRLEN bytes. */
static const char *
ip_text(const struct sockaddr_storage *ss, char *buf)
{
	const void *in = ss->ss_family == AF_INET
	    ? (const void *)&((const struct sockaddr_in *)ss)->sin_addr
	    : (const void *)&((const struct sockaddr_in6 *)ss)->sin6_addr;

	return inet_ntop(ss->ss_family, in, buf, INET6_ADDRSTRLEN);
}

static void
check_udp(struct pcapng_reader *r, const char *src, const char *dst,
    uint16_t sport, uint16_t dport, const char *text, uint64_t ts)
{
	struct pcapng_packet p;
	struct pcapng_udp u;
	char a[INET6_ADDRSTRLEN], err[128];

	assert_int_equal(pcapng_reader_next(r, &p, err, sizeof err), 1);
	assert_true(p.ts_ns == ts || ts == 0);
	assert_int_equal(
	    pcapng_udp_decode(p.linktype, p.data, p.caplen, &u), 0);
	assert_string_equal(ip_text(&u.src, a), src);
	assert_string_equal(ip_text(&u.dst, a), dst);
	assert_int_equal(
	    ntohs(((struct sockaddr_in *)&u.src)->sin_port), sport);
	assert_int_equal(
	    ntohs(((struct sockaddr_in *)&u.dst)->sin_port), dport);
	assert_int_equal(u.len, strlen(text));
	assert_memory_equal(u.payload, text, u.len);
}

/* A socket on [::]:7000: IPv4 and IPv6 peers, known and unknown local sides. */
static void
test_dual_stack(void **state)
{
	char path[] = "/tmp/test-capture.XXXXXX", err[128];
	struct sockaddr_in6 any, mapped, peer6, to6;
	struct sockaddr_in peer4, to4;
	struct sockaddr_storage none;
	struct timespec ts = {5, 7};
	struct pcapng_reader *r;
	struct capture *c;
	uint8_t buf[4096];
	uint64_t rec, lost;
	size_t len;
	FILE *fp;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	sin6(&any, "::", 7000);
	sin6(&mapped, "::ffff:127.0.0.1", 4000);
	sin6(&peer6, "::1", 5000);
	sin6(&to6, "::1", 0);
	sin4(&peer4, "127.0.0.2", 6000);
	sin4(&to4, "127.0.0.1", 0);
	c = capture_open(path, "test");
	assert_non_null(c);
	assert_int_equal(
	    capture_interface(c, "lo", (struct sockaddr *)&any), 0);
	assert_int_equal(capture_record(c, 0, 0, NULL,
			     (struct sockaddr *)&mapped, "in", 2, &ts),
	    0);
	assert_int_equal(capture_record(c, 0, 1, (struct sockaddr *)&to4,
			     (struct sockaddr *)&peer4, "out", 3, &ts),
	    0);
	assert_int_equal(capture_record(c, 0, 0, (struct sockaddr *)&to6,
			     (struct sockaddr *)&peer6, "six", 3, NULL),
	    0);
	/* A local address of no family (none known): the interface's. */
	memset(&none, 0, sizeof none);
	assert_int_equal(capture_record(c, 0, 1, (struct sockaddr *)&none,
			     (struct sockaddr *)&peer6, "none", 4, &ts),
	    0);
	/* No such interface: counted, not written. */
	assert_int_equal(capture_record(c, 1, 0, NULL,
			     (struct sockaddr *)&peer6, "x", 1, NULL),
	    0);
	capture_counts(c, &rec, &lost);
	assert_true(rec == 4 && lost == 1);
	assert_int_equal(capture_close(c), 0);

	fp = fopen(path, "rb");
	assert_non_null(fp);
	len = fread(buf, 1, sizeof buf, fp);
	fclose(fp);
	unlink(path);
	r = malloc(sizeof *r);
	assert_non_null(r);
	assert_int_equal(pcapng_reader_init(r, buf, len, err, sizeof err), 0);
	check_udp(r, "127.0.0.1", "0.0.0.0", 4000, 7000, "in", 5000000007ULL);
	check_udp(
	    r, "127.0.0.1", "127.0.0.2", 7000, 6000, "out", 5000000007ULL);
	check_udp(r, "::1", "::1", 5000, 7000, "six", 0);
	check_udp(r, "::", "::1", 7000, 5000, "none", 5000000007ULL);
	free(r);
}

/* Reads all of path into buf; returns its length. */
static size_t
slurp(const char *path, uint8_t *buf, size_t size)
{
	FILE *fp;
	size_t len;

	fp = fopen(path, "rb");
	assert_non_null(fp);
	len = fread(buf, 1, size, fp);
	fclose(fp);
	unlink(path);
	return len;
}

/*
 * capture_record_note(): the same blocks pcapng writes for the packet
 * with its comment, and without one capture_record()'s.
 */
static void
test_note(void **state)
{
	char got[] = "/tmp/test-capture.XXXXXX",
	     want[] = "/tmp/test-capture.XXXXXX";
	static uint8_t a[8192], b[8192], pkt[PCAPNG_FRAME_MAX];
	struct sockaddr_in local, peer;
	struct timespec ts = {5, 7};
	struct capture *c;
	size_t alen, blen, n;
	FILE *fp;
	int fd;

	(void)state;
	assert_true((fd = mkstemp(got)) >= 0);
	close(fd);
	assert_true((fd = mkstemp(want)) >= 0);
	sin4(&local, "127.0.0.1", 7000);
	sin4(&peer, "127.0.0.2", 8000);
	c = capture_open(got, "test");
	assert_non_null(c);
	assert_int_equal(
	    capture_interface(c, "lo", (struct sockaddr *)&local), 0);
	assert_int_equal(
	    capture_record_note(c, 0, 0, NULL, (struct sockaddr *)&peer, "in",
		2, &ts, "dropped: loss"),
	    0);
	assert_int_equal(capture_record_note(c, 0, 1, NULL,
			     (struct sockaddr *)&peer, "out", 3, &ts, NULL),
	    0);
	assert_int_equal(capture_record(c, 0, 1, NULL, (struct sockaddr *)&peer,
			     "out", 3, &ts),
	    0);
	assert_int_equal(capture_close(c), 0);

	fp = fdopen(fd, "wb");
	assert_non_null(fp);
	assert_int_equal(pcapng_write_shb(fp, "test"), 0);
	assert_int_equal(pcapng_write_idb(fp, "lo"), 0);
	n = pcapng_udp_packet((struct sockaddr *)&peer,
	    (struct sockaddr *)&local, (const uint8_t *)"in", 2, pkt,
	    sizeof pkt);
	assert_int_equal(
	    pcapng_write_epb(fp, 0, 5000000007ULL, pkt, n, "dropped: loss"), 0);
	n = pcapng_udp_packet((struct sockaddr *)&local,
	    (struct sockaddr *)&peer, (const uint8_t *)"out", 3, pkt,
	    sizeof pkt);
	assert_int_equal(
	    pcapng_write_epb(fp, 0, 5000000007ULL, pkt, n, NULL), 0);
	assert_int_equal(
	    pcapng_write_epb(fp, 0, 5000000007ULL, pkt, n, NULL), 0);
	assert_int_equal(fclose(fp), 0);

	alen = slurp(got, a, sizeof a);
	blen = slurp(want, b, sizeof b);
	assert_int_equal(alen, blen);
	assert_memory_equal(a, b, alen);
	assert_non_null(memmem(a, alen, "dropped: loss", 13));
}

/* Write errors surface at the latest when the file is closed. */
static void
test_full(void **state)
{
	struct sockaddr_in local, peer;
	struct capture *c;
	static char big[60000];
	int i;

	(void)state;
	if (access("/dev/full", W_OK) != 0)
		skip();
	sin4(&local, "127.0.0.1", 7000);
	sin4(&peer, "127.0.0.1", 8000);
	c = capture_open("/dev/full", NULL);
	assert_non_null(c);
	assert_int_equal(
	    capture_interface(c, "lo", (struct sockaddr *)&local), 0);
	for (i = 0; i < 10; i++)
		capture_record(c, 0, 1, NULL, (struct sockaddr *)&peer, big,
		    sizeof big, NULL);
	assert_int_equal(capture_close(c), -1);
	assert_null(capture_open("/nonexistent/dir/file", NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_dual_stack),
	    cmocka_unit_test(test_note),
	    cmocka_unit_test(test_full),
	};

	return cmocka_run_group_tests_name("capture", tests, NULL, NULL);
}
