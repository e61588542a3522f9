/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for the replay module: a capture written with the pcapng
 * module read back as datagrams, the port filter, skipped packets, the
 * schedule at several speeds and rates, and damaged or missing files.
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

#include "pcapng.h"
#include "replay.h"
#include "sockaddr.h"

#define NS 1000000000ULL

struct capfile {
	char *buf;
	size_t len;
};

static void
put_udp(FILE *fp, const struct sockaddr *src, const struct sockaddr *dst,
    const char *text, uint64_t ts)
{
	uint8_t pkt[PCAPNG_FRAME_MAX];
	size_t n;

	n = pcapng_udp_packet(
	    src, dst, (const uint8_t *)text, strlen(text), pkt, sizeof pkt);
	assert_true(n > 0);
	assert_int_equal(pcapng_write_epb(fp, 0, ts, pkt, n, NULL), 0);
}

/*
 * Four UDP datagrams and one ARP frame: "a" 10.0.0.1:1000 > 10.0.0.2:53
 * at 1 s, "bb" [2001:db8::1]:2000 > [2001:db8::2]:3000 at 1.5 s, the ARP
 * frame at 1.6 s, "ccc" 10.0.0.2:53 > 10.0.0.1:1000 at 3 s, and "dddd"
 * at 2 s (out of order) from port 4000 to 53.
 */
static int
setup(void **state)
{
	struct capfile *c = calloc(1, sizeof *c);
	struct sockaddr_in a, b;
	struct sockaddr_in6 a6, b6;
	uint8_t arp[42];
	FILE *fp;

	assert_non_null(c);
	fp = open_memstream(&c->buf, &c->len);
	assert_non_null(fp);
	assert_int_equal(pcapng_write_shb(fp, "test"), 0);
	assert_int_equal(pcapng_write_idb(fp, "lo"), 0);
	sin4(&a, "10.0.0.1", 1000);
	sin4(&b, "10.0.0.2", 53);
	sin6(&a6, "2001:db8::1", 2000);
	sin6(&b6, "2001:db8::2", 3000);
	put_udp(fp, (struct sockaddr *)&a, (struct sockaddr *)&b, "a", NS);
	put_udp(fp, (struct sockaddr *)&a6, (struct sockaddr *)&b6, "bb",
	    NS + NS / 2);
	memset(arp, 0, sizeof arp);
	arp[12] = 0x08;
	arp[13] = 0x06;
	assert_int_equal(
	    pcapng_write_epb(fp, 0, NS + 6 * NS / 10, arp, sizeof arp, NULL),
	    0);
	put_udp(
	    fp, (struct sockaddr *)&b, (struct sockaddr *)&a, "ccc", 3 * NS);
	sin4(&a, "10.0.0.3", 4000);
	put_udp(
	    fp, (struct sockaddr *)&a, (struct sockaddr *)&b, "dddd", 2 * NS);
	assert_int_equal(fclose(fp), 0);
	*state = c;
	return 0;
}

static int
teardown(void **state)
{
	struct capfile *c = *state;

	free(c->buf);
	free(c);
	return 0;
}

/* Parses the capture of setup() with the port filter; asserts success. */
static void
parse(void **state, int port, struct replay *rp)
{
	struct capfile *c = *state;
	char err[128];

	memset(rp, 0, sizeof *rp);
	assert_int_equal(replay_parse(rp, (const uint8_t *)c->buf, c->len, port,
			     err, sizeof err),
	    0);
}

static void
test_all(void **state)
{
	struct replay rp;

	parse(state, 0, &rp);
	assert_int_equal(rp.n, 4);
	assert_int_equal(rp.packets, 5);
	assert_int_equal(rp.not_udp, 1);
	assert_int_equal(rp.filtered, 0);
	assert_int_equal(rp.d[0].len, 1);
	assert_memory_equal(rp.d[0].payload, "a", 1);
	assert_int_equal(rp.d[1].len, 2);
	assert_memory_equal(rp.d[1].payload, "bb", 2);
	assert_int_equal(rp.d[2].len, 3);
	assert_memory_equal(rp.d[2].payload, "ccc", 3);
	assert_int_equal(rp.d[3].len, 4);
	assert_true(rp.d[2].ts_ns == 3 * NS);
	replay_free(&rp);
	assert_null(rp.d);
}

/* Port 53 is the destination of one datagram and the source of another. */
static void
test_port(void **state)
{
	struct replay rp;

	parse(state, 53, &rp);
	assert_int_equal(rp.n, 3);
	assert_int_equal(rp.filtered, 1);
	assert_memory_equal(rp.d[0].payload, "a", 1);
	assert_memory_equal(rp.d[1].payload, "ccc", 3);
	assert_memory_equal(rp.d[2].payload, "dddd", 4);
	replay_free(&rp);
	parse(state, 3000, &rp);
	assert_int_equal(rp.n, 1);
	assert_memory_equal(rp.d[0].payload, "bb", 2);
	replay_free(&rp);
}

static void
test_schedule(void **state)
{
	struct replay rp;

	parse(state, 0, &rp);
	/* The capture's own spacing. */
	assert_true(replay_due_ns(&rp, 0, 1, -1) == 0);
	assert_true(replay_due_ns(&rp, 1, 1, -1) == NS / 2);
	assert_true(replay_due_ns(&rp, 2, 1, -1) == 2 * NS);
	assert_true(replay_due_ns(&rp, 3, 1, -1) == NS);
	/* Twice and half as fast. */
	assert_true(replay_due_ns(&rp, 1, 2, -1) == NS / 4);
	assert_true(replay_due_ns(&rp, 2, 2, -1) == NS);
	assert_true(replay_due_ns(&rp, 2, 0.5, -1) == 4 * NS);
	/* A fixed interval (-i, --rate) replaces it; 0 is no wait at all. */
	assert_true(replay_due_ns(&rp, 2, 1, 0.1) == 2 * NS / 10);
	assert_true(replay_due_ns(&rp, 3, 1, 0) == 0);
	replay_free(&rp);
}

static void
test_damaged(void **state)
{
	struct capfile *c = *state;
	struct replay rp;
	char err[128];

	memset(&rp, 0, sizeof rp);
	assert_int_equal(replay_parse(&rp, (const uint8_t *)c->buf, c->len - 3,
			     0, err, sizeof err),
	    -1);
	replay_free(&rp);
	memset(&rp, 0, sizeof rp);
	assert_int_equal(
	    replay_parse(&rp, (const uint8_t *)"GIF89a", 6, 0, err, sizeof err),
	    -1);
	assert_string_equal(err, "not a pcap or pcapng file");
	replay_free(&rp);
}

static void
test_load(void **state)
{
	struct capfile *c = *state;
	struct replay rp;
	char path[] = "/tmp/test-replay.XXXXXX", err[128];
	int fd;

	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, c->buf, c->len), (ssize_t)c->len);
	close(fd);
	assert_int_equal(replay_load(&rp, path, 1000, err, sizeof err), 0);
	assert_int_equal(rp.n, 2);
	assert_memory_equal(rp.d[1].payload, "ccc", 3);
	replay_free(&rp);
	unlink(path);
	assert_int_equal(replay_load(&rp, path, 0, err, sizeof err), -1);
	assert_string_equal(err, "No such file or directory");
	assert_int_equal(replay_load(&rp, "/", 0, err, sizeof err), -1);
	assert_string_equal(err, "not a regular file");
}

/* The line send says about a capture: what was kept, what skipped. */
static void
test_describe(void **state)
{
	struct replay rp;
	char buf[256];

	parse(state, 53, &rp);
	assert_string_equal(replay_describe(&rp, "in.pcap", buf, sizeof buf),
	    "replay 'in.pcap': 3 datagrams of 5 packets; skipped 1 not UDP, "
	    "0 cut short, 1 on other ports");
	replay_free(&rp);
	parse(state, 3000, &rp);
	assert_string_equal(replay_describe(&rp, "a\nb", buf, sizeof buf),
	    "replay 'a\\x0ab': 1 datagram of 5 packets; skipped 1 not UDP, "
	    "0 cut short, 3 on other ports");
	/* Cut to fit. */
	assert_string_equal(replay_describe(&rp, "x", buf, 10), "replay 'x");
	replay_free(&rp);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_all, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_port, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_schedule, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_damaged, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_load, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_describe, setup, teardown),
	};

	return cmocka_run_group_tests_name("replay", tests, NULL, NULL);
}
