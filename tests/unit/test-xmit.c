/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for the xmit module over loopback: one datagram with its
 * send stamp, bursts with and without segmentation offload arriving as
 * separate datagrams of the right size, and the pacing schedule.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/types.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "sockaddr.h"
#include "output.h"
#include "xmit.h"

struct fx {
	int rx, tx;
	struct sockaddr_in to;
};

static int
setup(void **state)
{
	struct fx *x = calloc(1, sizeof *x);
	socklen_t len = sizeof x->to;
	int big = 4 << 20;

	if (x == NULL)
		return -1;
	x->rx = socket(AF_INET, SOCK_DGRAM, 0);
	x->tx = socket(AF_INET, SOCK_DGRAM, 0);
	if (x->rx == -1 || x->tx == -1)
		return -1;
	setsockopt(x->rx, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
	x->to.sin_family = AF_INET;
	x->to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(x->rx, (struct sockaddr *)&x->to, sizeof x->to) == -1 ||
	    getsockname(x->rx, (struct sockaddr *)&x->to, &len) == -1)
		return -1;
	*state = x;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *x = *state;

	close(x->rx);
	close(x->tx);
	free(x);
	return 0;
}

static void
connect_tx(struct fx *x)
{
	assert_int_equal(
	    connect(x->tx, (struct sockaddr *)&x->to, sizeof x->to), 0);
}

/* Reads n datagrams, each of len bytes equal to want. */
static void
expect_datagrams(struct fx *x, unsigned n, const uint8_t *want, size_t len)
{
	uint8_t buf[2048];
	unsigned i;
	ssize_t r;

	for (i = 0; i < n; i++) {
		r = recv(x->rx, buf, sizeof buf, MSG_DONTWAIT);
		assert_int_equal(r, (ssize_t)len);
		assert_memory_equal(buf, want, len);
	}
	r = recv(x->rx, buf, sizeof buf, MSG_DONTWAIT);
	assert_int_equal(r, -1);
}

static void
test_one(void **state)
{
	struct fx *x = *state;
	struct timespec before, stamp, after;

	clock_gettime(CLOCK_REALTIME, &before);
	assert_int_equal(xmit_one(x->tx, (struct sockaddr *)&x->to,
			     sizeof x->to, "hello", 5, &stamp),
	    5);
	clock_gettime(CLOCK_REALTIME, &after);
	assert_true(stamp.tv_sec > before.tv_sec ||
	    (stamp.tv_sec == before.tv_sec && stamp.tv_nsec >= before.tv_nsec));
	assert_true(stamp.tv_sec < after.tv_sec ||
	    (stamp.tv_sec == after.tv_sec && stamp.tv_nsec <= after.tv_nsec));
	connect_tx(x);
	assert_int_equal(xmit_one(x->tx, NULL, 0, "hello", 5, &stamp), 5);
	expect_datagrams(x, 2, (const uint8_t *)"hello", 5);
	/* Unconnected with no address: the error comes back in errno. */
	close(x->tx);
	x->tx = socket(AF_INET, SOCK_DGRAM, 0);
	assert_int_equal(xmit_one(x->tx, NULL, 0, "x", 1, &stamp), -1);
	assert_int_equal(errno, EDESTADDRREQ);
}

static void
burst(struct fx *x, int gso, int connected, unsigned count)
{
	struct xmit_burst b;
	uint8_t payload[100];
	unsigned long long left = count;
	long long done;
	int calls = 0;

	memset(payload, 'p', sizeof payload);
	payload[0] = (uint8_t)gso;
	if (connected)
		connect_tx(x);
	xmit_burst_init(&b, payload, sizeof payload, gso,
	    connected ? NULL : (struct sockaddr *)&x->to, sizeof x->to);
	if (!gso)
		assert_int_equal(b.per, 1);
	while (left > 0) {
		done = xmit_burst_send(&b, x->tx, left);
		assert_true(done > 0);
		assert_true((unsigned long long)done <= left);
		left -= (unsigned long long)done;
		assert_true(++calls < 1000);
	}
	/* The receiver sees each copy apart, whatever went in one message. */
	expect_datagrams(x, count, payload, sizeof payload);
}

static void
test_burst_gso(void **state)
{
	burst(*state, 1, 1, 200);
}

static void
test_burst_plain(void **state)
{
	burst(*state, 0, 0, 130);
}

static void
test_burst_segments(void **state)
{
	struct fx *x = *state;
	struct xmit_burst b;
	static uint8_t big[40000];

	/* Over half the largest segmented send: one datagram per message. */
	xmit_burst_init(&b, big, sizeof big, 1, NULL, 0);
	assert_int_equal(b.per, 1);
	assert_int_equal(b.clen, 0);
	xmit_burst_init(&b, big, 1000, 1, NULL, 0);
	if (b.clen > 0)
		assert_int_equal(b.per, XMIT_SEGMENTS);
	xmit_burst_init(&b, big, 2000, 1, NULL, 0);
	if (b.clen > 0)
		assert_int_equal(b.per, 65507 / 2000);
	(void)x;
}

static void
test_next_due(void **state)
{
	(void)state;
	/* On time: one interval later. */
	assert_float_equal(xmit_next_due(10.0, 0.5, 10.1), 10.5, 1e-9);
	/* Behind by less than an interval: catch up, keep the schedule. */
	assert_float_equal(xmit_next_due(10.0, 0.5, 10.9), 10.5, 1e-9);
	/* Far behind: start again from now, no burst of late sends. */
	assert_float_equal(xmit_next_due(10.0, 0.5, 20.0), 20.0, 1e-9);
	/* No interval: always due now. */
	assert_float_equal(xmit_next_due(10.0, 0, 12.0), 12.0, 1e-9);
}

/* An ICMP port unreachable from loopback, read, classified and written. */
static void
test_err_next(void **state)
{
	struct sockaddr_in sin;
	struct xmit_err x;
	struct out o;
	char *data = NULL;
	size_t size = 0;
	FILE *fp;
	int fd, i, got = 0;

	(void)state;
	closed_port4(&sin);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(fd != -1);
	assert_int_equal(sock_recverr(fd, AF_INET), 0);
	assert_int_equal(xmit_err_next(fd, &x), 0);
	assert_int_equal(
	    sendto(fd, "probe", 5, 0, (struct sockaddr *)&sin, sizeof sin), 5);
	for (i = 0; i < 100 && !got; i++)
		if (!(got = xmit_err_next(fd, &x)))
			usleep(10000);
	assert_int_equal(got, 1);
	assert_int_equal(x.c.verdict, ICMP_V_REFUSED);
	assert_string_equal(x.reason, "refused");
	assert_string_equal(x.from, "127.0.0.1");
	assert_int_equal(x.e.dstlen, sizeof sin);
	assert_non_null(strstr(x.text, "port unreachable"));
	assert_int_equal(xmit_err_next(fd, &x), 0);
	close(fd);

	/* As JSON one "refused" object; as text nothing. */
	fp = open_memstream(&data, &size);
	assert_non_null(fp);
	x.c.verdict = ICMP_V_REFUSED;
	x.reason = "refused";
	snprintf(x.from, sizeof x.from, "127.0.0.1");
	snprintf(x.text, sizeof x.text, "port unreachable");
	x.e.origin = SOCK_ERR_ICMP;
	x.e.type = 3;
	x.e.code = 3;
	out_init(&o, fp, 0);
	xmit_err_out(&o, &x);
	fflush(fp);
	assert_int_equal(size, 0);
	out_init(&o, fp, 1);
	xmit_err_out(&o, &x);
	fclose(fp);
	assert_non_null(strstr(data, "\"refused\""));
	assert_non_null(strstr(data, "\"from\":\"127.0.0.1\""));
	assert_non_null(strstr(data, "\"icmp_type\":3"));
	assert_non_null(strstr(data, "\"icmp_code\":3"));
	assert_null(strstr(data, "\"mtu\""));
	free(data);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_one, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_burst_gso, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_burst_plain, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_burst_segments, setup, teardown),
	    cmocka_unit_test(test_next_due),
	    cmocka_unit_test(test_err_next),
	};

	return cmocka_run_group_tests_name("xmit", tests, NULL, NULL);
}
