/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for the pingout module: ping's reply, error, timeout and
 * summary lines in iputils' wording, and the names of its JSON events.
 */
#include "config.h"

#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "output.h"
#include "pingout.h"
#include "pingstate.h"
#include "stats.h"

struct fixture {
	struct pingstate ps;
	struct ping_target t[2];
	struct pingout po;
	char *data;
	size_t size;
	FILE *fp;
};

static void
set_addr(struct ping_target *t, const char *name, const char *a, int family)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)&t->dst;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&t->dst;

	t->name = name;
	t->family = family;
	t->ok = 1;
	snprintf(t->dstaddr, sizeof t->dstaddr, "%s", a);
	if (family == AF_INET6) {
		s6->sin6_family = AF_INET6;
		assert_int_equal(inet_pton(AF_INET6, a, &s6->sin6_addr), 1);
		t->dstlen = sizeof *s6;
	} else {
		s4->sin_family = AF_INET;
		assert_int_equal(inet_pton(AF_INET, a, &s4->sin_addr), 1);
		t->dstlen = sizeof *s4;
	}
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);

	assert_non_null(f);
	f->fp = open_memstream(&f->data, &f->size);
	assert_non_null(f->fp);
	f->ps.t = f->t;
	f->ps.nt = 1;
	f->ps.size = 56;
	f->ps.start = 1000.0;
	set_addr(&f->t[0], "localhost", "127.0.0.1", AF_INET);
	set_addr(&f->t[1], "six", "::1", AF_INET6);
	f->t[0].st = stats_new();
	f->t[1].st = stats_new();
	assert_non_null(f->t[0].st);
	assert_non_null(f->t[1].st);
	f->po.ps = &f->ps;
	out_init(&f->po.o, f->fp, 0);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	stats_free(f->t[0].st);
	stats_free(f->t[1].st);
	fclose(f->fp);
	free(f->data);
	free(f);
	return 0;
}

/* Switches f to JSON output. */
static void
json(struct fixture *f)
{
	f->po.json = 1;
	out_init(&f->po.o, f->fp, 1);
}

static const char *
contents(struct fixture *f)
{
	fflush(f->fp);
	return f->data;
}

static void
test_fmt_ms(void **state)
{
	char buf[32];

	(void)state;
	assert_string_equal(pingout_fmt_ms(123.4, buf, sizeof buf), "123");
	assert_string_equal(pingout_fmt_ms(12.34, buf, sizeof buf), "12.3");
	assert_string_equal(pingout_fmt_ms(1.234, buf, sizeof buf), "1.23");
	assert_string_equal(pingout_fmt_ms(0.1234, buf, sizeof buf), "0.123");
}

static void
test_reply(void **state)
{
	struct fixture *f = *state;

	/* ICMP numbers wrap at 16 bits, as on the wire. */
	assert_int_equal(pingout_seq_shown(&f->po, 65537), 1);
	assert_int_equal(pingout_reply(&f->po, &f->t[0], 65537, 64,
			     (struct sockaddr *)&f->t[0].dst, f->t[0].dstlen,
			     64, 1.5, STATS_R_DUP),
	    0);
	assert_string_equal(contents(f),
	    "64 bytes from 127.0.0.1: icmp_seq=1 ttl=64 time=1.50 ms "
	    "(DUP!)\n");
	/* -q prints no per-probe line. */
	f->po.quiet = 1;
	pingout_reply(&f->po, &f->t[0], 2, 64, (struct sockaddr *)&f->t[0].dst,
	    f->t[0].dstlen, 64, 1.5, 0);
	pingout_timeout(&f->po, &f->t[0], 2);
	assert_string_equal(contents(f),
	    "64 bytes from 127.0.0.1: icmp_seq=1 ttl=64 time=1.50 ms "
	    "(DUP!)\n");
}

static void
test_timeout(void **state)
{
	struct fixture *f = *state;

	/* As ping(8): silence for ICMP in text, a line with -u. */
	pingout_timeout(&f->po, &f->t[0], 3);
	assert_true(contents(f) == NULL || contents(f)[0] == '\0');
	f->ps.udp = 1;
	f->ps.multi = 1;
	pingout_timeout(&f->po, &f->t[0], 70000);
	pingout_outstanding(&f->po, &f->t[0], 4);
	assert_string_equal(contents(f),
	    "localhost : udp_seq=70000 timeout\n"
	    "localhost : no answer yet for udp_seq=4\n");
}

static void
test_error_text(void **state)
{
	struct fixture *f = *state;

	/* iputils' words, with the router's address or the target's. */
	pingout_error(&f->po, &f->t[0], 3, NULL, 0, 3, 1, 0, 0);
	assert_string_equal(contents(f),
	    "From 127.0.0.1 icmp_seq=3 Destination Host "
	    "Unreachable\n");
}

/* The event type of the JSON line in f. */
static void
assert_type(struct fixture *f, const char *type)
{
	char want[64];

	snprintf(want, sizeof want, "{\"type\":\"%s\"", type);
	assert_non_null(strstr(contents(f), want));
	rewind(f->fp);
	fflush(f->fp);
	memset(f->data, 0, f->size);
}

static void
test_error_events(void **state)
{
	/* The names of udptool-json(7), the same as send's. */
	static const struct {
		int v6, type, code;
		const char *event;
	} cases[] = {
	    {0, 3, 3, "refused"},
	    {0, 3, 2, "unreachable"},
	    {0, 11, 0, "icmp_error"},
	    /* ICMPv6 packet too big is IPv4's fragmentation needed. */
	    {1, 2, 0, "unreachable"},
	    {0, 3, 4, "unreachable"},
	    {1, 3, 0, "icmp_error"},
	};
	struct fixture *f = *state;
	size_t i;

	json(f);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		pingout_error(&f->po, &f->t[cases[i].v6], 1, NULL, 0,
		    cases[i].type, cases[i].code, 1280, 0);
		assert_type(f, cases[i].event);
	}
}

static void
test_summary(void **state)
{
	struct fixture *f = *state;
	double rtt;

	stats_sent(f->t[0].st, 1000.0);
	stats_sent(f->t[0].st, 2000.0);
	stats_reply(f->t[0].st, 1, 1002.0, 10000.0, &rtt);
	pingout_summary(&f->po, &f->t[0], 3000.0);
	assert_non_null(strstr(contents(f),
	    "\n--- localhost ping statistics ---\n"
	    "2 packets transmitted, 1 received, 50% packet loss, "
	    "time 2000ms\n"
	    "rtt min/avg/max/mdev = 2.000/2.000/2.000/0.000 ms\n"));
}

static void
test_summary_lines(void **state)
{
	struct fixture *f = *state;
	double rtt;

	f->ps.nt = 2;
	f->ps.multi = 1;
	stats_sent(f->t[1].st, 1000.0);
	stats_reply(f->t[1].st, 1, 1012.5, 10000.0, &rtt);
	pingout_summary_lines(&f->po);
	assert_string_equal(contents(f),
	    "\n"
	    "localhost : xmt/rcv/%loss = 0/0/0%\n"
	    "six       : xmt/rcv/%loss = 1/1/0%, min/avg/max = "
	    "12.5/12.5/12.5\n");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fmt_ms),
	    cmocka_unit_test_setup_teardown(test_reply, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_timeout, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_error_text, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_error_events, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_summary, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_summary_lines, setup, teardown),
	};

	return cmocka_run_group_tests_name("pingout", tests, NULL, NULL);
}
