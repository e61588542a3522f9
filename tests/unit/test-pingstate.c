/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for the pingstate module: numbering a run, matching UDP and
 * ICMP replies and queued errors to probes, and the verdicts of a run.
 */
#include "config.h"

#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "icmp.h"
#include "pingstate.h"
#include "probe.h"
#include "stats.h"

#define COOKIE 0x0badcafeU
#define SIZE 32

/* Points t at address a (IPv4 or IPv6 text) on socket fd, ready. */
static void
set_target(struct ping_target *t, const char *a, int fd)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)&t->dst;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&t->dst;

	memset(&t->dst, 0, sizeof t->dst);
	if (strchr(a, ':') != NULL) {
		s6->sin6_family = AF_INET6;
		assert_int_equal(inet_pton(AF_INET6, a, &s6->sin6_addr), 1);
		t->dstlen = sizeof *s6;
		t->family = AF_INET6;
	} else {
		s4->sin_family = AF_INET;
		assert_int_equal(inet_pton(AF_INET, a, &s4->sin_addr), 1);
		t->dstlen = sizeof *s4;
		t->family = AF_INET;
	}
	t->fd = fd;
	t->ok = 1;
}

/* A run of n targets, numbered, each of SIZE-byte probes. */
static int
setup(void **state)
{
	struct pingstate *ps = calloc(1, sizeof *ps);

	assert_non_null(ps);
	ps->nt = 2;
	ps->multi = 1;
	ps->size = SIZE;
	ps->t = calloc(ps->nt, sizeof *ps->t);
	assert_non_null(ps->t);
	assert_int_equal(pingstate_number(ps, 0xffff, COOKIE), 0);
	set_target(&ps->t[0], "127.0.0.2", 5);
	set_target(&ps->t[1], "127.0.0.3", 5);
	*state = ps;
	return 0;
}

static int
teardown(void **state)
{
	struct pingstate *ps = *state;

	pingstate_free(ps);
	assert_null(ps->t);
	free(ps);
	return 0;
}

static void
test_number(void **state)
{
	struct pingstate *ps = *state;

	assert_int_equal(ps->cookie, COOKIE);
	/* Each target its own identifier, wrapping at 16 bits. */
	assert_int_equal(ps->t[0].ident, 0xffff);
	assert_int_equal(ps->t[1].ident, 0);
	assert_non_null(ps->t[0].st);
	assert_non_null(ps->t[1].st);
	assert_int_equal(stats_last_seq(ps->t[1].st), 0);
}

static void
test_ms_to_ts(void **state)
{
	struct timespec ts;

	(void)state;
	pingstate_ms_to_ts(1500.25, &ts);
	assert_int_equal(ts.tv_sec, 1);
	assert_int_equal(ts.tv_nsec, 500250000);
	pingstate_ms_to_ts(0, &ts);
	assert_int_equal(ts.tv_sec, 0);
	assert_int_equal(ts.tv_nsec, 0);
	assert_int_equal(pingstate_max_size(AF_INET), 65507);
	assert_int_equal(pingstate_max_size(AF_INET6), 65527);
}

static void
test_udp_check(void **state)
{
	struct pingstate *ps = *state;
	struct ping_target *t = &ps->t[0];
	uint8_t buf[SIZE];
	uint64_t seq;

	ps->udp = 1;
	seq = stats_sent(t->st, 1000.0);
	assert_int_equal(seq, 1);
	probe_build(buf, SIZE, COOKIE, 1, 1000.0, NULL, 0);
	assert_int_equal(pingstate_udp_check(ps, t, buf, SIZE), 1);
	/* Another length, a changed byte, another run, a probe never sent. */
	assert_int_equal(pingstate_udp_check(ps, t, buf, SIZE - 1), 0);
	buf[SIZE - 1] ^= 1;
	assert_int_equal(pingstate_udp_check(ps, t, buf, SIZE), 0);
	probe_build(buf, SIZE, COOKIE + 1, 1, 1000.0, NULL, 0);
	assert_int_equal(pingstate_udp_check(ps, t, buf, SIZE), 0);
	probe_build(buf, SIZE, COOKIE, 2, 1000.0, NULL, 0);
	assert_int_equal(pingstate_udp_check(ps, t, buf, SIZE), 0);
	/* The error queue's copy names the probe by its header alone. */
	probe_build(buf, SIZE, COOKIE, 1, 1000.0, NULL, 0);
	assert_int_equal(
	    pingstate_err_seq(ps, 5, AF_INET, NULL, buf, PROBE_IDLEN, NULL), 1);
	probe_build(buf, SIZE, COOKIE + 1, 1, 1000.0, NULL, 0);
	assert_int_equal(
	    pingstate_err_seq(ps, 5, AF_INET, NULL, buf, SIZE, NULL), 0);
}

/* Writes t's echo request seq (sent at sent ms) into buf; returns its length. */
static size_t
make_echo(const struct pingstate *ps, const struct ping_target *t, uint16_t seq,
    double sent, uint8_t *buf, size_t size)
{
	uint8_t payload[SIZE];
	struct timespec ts;

	pingstate_ms_to_ts(sent, &ts);
	icmp_fill_payload_pattern(
	    payload, SIZE, seq, &ts, ps->pattern, ps->patlen);
	return icmp_build_echo(
	    AF_INET, t->ident, seq, payload, SIZE, buf, size);
}

/* Turns the IPv4 echo request in buf into its reply. */
static void
make_reply(uint8_t *buf, size_t len)
{
	uint16_t c;

	buf[0] = 0;
	buf[2] = buf[3] = 0;
	c = icmp_checksum(buf, len);
	buf[2] = (uint8_t)(c >> 8);
	buf[3] = (uint8_t)c;
}

static void
test_icmp_match(void **state)
{
	struct pingstate *ps = *state;
	struct ping_target *t = &ps->t[1];
	struct sockaddr_in from;
	struct icmp_msg im;
	uint8_t buf[SIZE + ICMP_HDRLEN];
	const char *why;
	char err[128];
	uint64_t seq = 0;
	size_t len;

	memcpy(ps->pattern, "\xab\xcd", 2);
	ps->patlen = 2;
	assert_int_equal(stats_sent(t->st, 2000.0), 1);
	len = make_echo(ps, t, 1, 2000.0, buf, sizeof buf);
	make_reply(buf, len);
	assert_int_equal(
	    icmp_parse(AF_INET, 0, buf, len, &im, err, sizeof err), 0);
	assert_int_equal(im.kind, ICMP_MSG_REPLY);
	memcpy(&from, &t->dst, sizeof from);
	assert_ptr_equal(pingstate_icmp_match(ps, 5, 1, &im,
			     (struct sockaddr *)&from, &seq, &why),
	    t);
	assert_int_equal(seq, 1);
	/* Another socket, or a reply from another host, is not t's. */
	assert_null(pingstate_icmp_match(
	    ps, 6, 1, &im, (struct sockaddr *)&from, &seq, &why));
	assert_null(why);
	from.sin_addr.s_addr = htonl(INADDR_LOOPBACK + 9);
	assert_null(pingstate_icmp_match(
	    ps, 5, 1, &im, (struct sockaddr *)&from, &seq, &why));
	/* A broadcast target takes replies from anyone. */
	t->anysrc = 1;
	assert_ptr_equal(pingstate_icmp_match(ps, 5, 1, &im,
			     (struct sockaddr *)&from, &seq, &why),
	    t);
	memcpy(&from, &t->dst, sizeof from);
	/* A payload other than the probe's, a number never sent. */
	ps->pattern[0] = 0;
	assert_null(pingstate_icmp_match(
	    ps, 5, 1, &im, (struct sockaddr *)&from, &seq, &why));
	assert_string_equal(why, "reply payload differs from the probe's");
	im.seq = 7;
	assert_null(pingstate_icmp_match(
	    ps, 5, 1, &im, (struct sockaddr *)&from, &seq, &why));
	assert_string_equal(why, "sequence number never sent");
}

static void
test_err_target(void **state)
{
	struct pingstate *ps = *state;
	struct ping_target *tp = NULL;
	uint8_t buf[SIZE + ICMP_HDRLEN];
	uint64_t seq = 0;
	size_t len;

	stats_sent(ps->t[0].st, 10.0);
	stats_sent(ps->t[1].st, 10.0);
	stats_sent(ps->t[1].st, 20.0);
	/* Several targets share the socket: the error's name picks one. */
	assert_ptr_equal(pingstate_err_target(
			     ps, 5, (struct sockaddr *)&ps->t[1].dst, 2, &seq),
	    &ps->t[1]);
	assert_int_equal(seq, 2);
	assert_null(pingstate_err_target(
	    ps, 5, (struct sockaddr *)&ps->t[0].dst, 2, &seq));
	assert_null(pingstate_err_target(
	    ps, 4, (struct sockaddr *)&ps->t[1].dst, 2, &seq));
	/* The queued copy of an echo request names target and probe. */
	len = make_echo(ps, &ps->t[1], 2, 20.0, buf, sizeof buf);
	assert_int_equal(pingstate_err_seq(ps, 5, AF_INET,
			     (struct sockaddr *)&ps->t[1].dst, buf, len, &tp),
	    2);
	assert_ptr_equal(tp, &ps->t[1]);
	assert_int_equal(pingstate_err_seq(ps, 5, AF_INET,
			     (struct sockaddr *)&ps->t[0].dst, buf, len, &tp),
	    0);
	assert_null(tp);
}

static void
test_verdicts(void **state)
{
	struct pingstate *ps = *state;
	struct ping_target *a = &ps->t[0], *b = &ps->t[1];
	double rtt;

	/* Nothing sent: everything settled, and no reply is a negative answer. */
	assert_int_equal(pingstate_all(ps, 1), 1);
	assert_int_equal(pingstate_negative(ps, 0, 0), 1);
	assert_int_equal(pingstate_unanswered(a), 0);
	stats_sent(a->st, 100.0);
	stats_sent(a->st, 200.0);
	stats_sent(b->st, 150.0);
	assert_true(pingstate_wake(ps, 1000.0, 5000.0) == 1100.0);
	assert_true(pingstate_wake(ps, 1000.0, 900.0) == 900.0);
	assert_int_equal(pingstate_unanswered(a), 2);
	stats_reply(a->st, 2, 210.0, 1000.0, &rtt);
	assert_int_equal(pingstate_unanswered(a), 0);
	assert_int_equal(pingstate_all(ps, 1), 0);
	/* An error answers a probe as a reply does. */
	stats_error(b->st, 1, 1);
	assert_int_equal(pingstate_unanswered(b), 0);
	assert_int_equal(pingstate_negative(ps, 0, 0), 1);
	stats_reply(a->st, 1, 220.0, 1000.0, &rtt);
	assert_int_equal(pingstate_all(ps, 1), 1);
	/* b had no reply; a target that is not ready does not count. */
	b->ok = 0;
	assert_int_equal(pingstate_negative(ps, 0, 0), 0);
	/* With a deadline and a count, every probe must be answered. */
	assert_int_equal(pingstate_negative(ps, 5000, 3), 1);
	assert_int_equal(pingstate_negative(ps, 0, 3), 0);
	assert_int_equal(pingstate_negative(ps, 5000, 2), 0);
}

static void
test_anysrc(void **state)
{
	/* Broadcast, multicast and unspecified: any source may reply. */
	static const struct {
		const char *addr;
		int anysrc;
	} cases[] = {
	    {"127.0.0.1", 0},
	    {"224.0.0.1", 1},
	    {"255.255.255.255", 1},
	    {"0.0.0.0", 1},
	    {"::1", 0},
	    {"ff02::1", 1},
	    {"::", 1},
	};
	struct ping_target t;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		memset(&t, 0, sizeof t);
		set_target(&t, cases[i].addr, 3);
		pingstate_anysrc(&t);
		assert_int_equal(t.anysrc, cases[i].anysrc);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_number, setup, teardown),
	    cmocka_unit_test(test_ms_to_ts),
	    cmocka_unit_test_setup_teardown(test_udp_check, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_icmp_match, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_err_target, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_verdicts, setup, teardown),
	    cmocka_unit_test(test_anysrc),
	};

	return cmocka_run_group_tests_name("pingstate", tests, NULL, NULL);
}
