/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for the echo server's rules and replies: the address rules
 * in their order, loop ports, group addresses, the host's own addresses,
 * send-error kinds and the daytime, upper and sockperf replies.
 */
#include "config.h"

#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "addr.h"
#include "echo.h"

static struct sockaddr_in
sin4(const char *a, uint16_t port)
{
	struct sockaddr_in s;

	memset(&s, 0, sizeof s);
	s.sin_family = AF_INET;
	s.sin_port = htons(port);
	assert_int_equal(inet_pton(AF_INET, a, &s.sin_addr), 1);
	return s;
}

static struct sockaddr_in6
sin6(const char *a, uint16_t port)
{
	struct sockaddr_in6 s;

	memset(&s, 0, sizeof s);
	s.sin6_family = AF_INET6;
	s.sin6_port = htons(port);
	assert_int_equal(inet_pton(AF_INET6, a, &s.sin6_addr), 1);
	return s;
}

/* Judges a datagram from IPv4 address a, port port, under rules r. */
static int
judge4(const struct echo_rules *r, const char *a, uint16_t port, int group)
{
	struct sockaddr_in s = sin4(a, port);
	struct srctab_key k;

	return echo_judge_addr(r, (struct sockaddr *)&s, group, &k);
}

static void
test_judge_order(void **state)
{
	static const struct echo_ifaddrs none;
	struct echo_rules r;
	struct addr_cidr allow;
	char err[ADDR_ERRLEN];

	(void)state;
	memset(&r, 0, sizeof r);
	r.port = 7777;
	r.ifa = &none;
	assert_int_equal(judge4(&r, "192.0.2.1", 40000, -1), -1);
	assert_int_equal(judge4(&r, "192.0.2.1", 0, -1), ECHO_DROP_PORT0);
	/* The server's own port: from this host never, else not by default. */
	assert_int_equal(judge4(&r, "127.0.0.5", 7777, -1), ECHO_DROP_OWN_ADDR);
	assert_int_equal(judge4(&r, "192.0.2.1", 7777, -1), ECHO_DROP_OWN_PORT);
	assert_int_equal(judge4(&r, "192.0.2.1", 53, -1), ECHO_DROP_LOOP);
	assert_int_equal(judge4(&r, "192.0.2.1", 1900, -1), ECHO_DROP_LOOP);
	assert_int_equal(
	    judge4(&r, "192.0.2.1", 40000, ECHO_DROP_BCAST), ECHO_DROP_BCAST);
	r.allow_loop = 1;
	assert_int_equal(judge4(&r, "127.0.0.5", 7777, -1), ECHO_DROP_OWN_ADDR);
	assert_int_equal(judge4(&r, "192.0.2.1", 7777, -1), -1);
	assert_int_equal(judge4(&r, "192.0.2.1", 53, -1), -1);
	r.allow_broadcast = 1;
	assert_int_equal(judge4(&r, "192.0.2.1", 40000, ECHO_DROP_MCAST), -1);
	assert_int_equal(
	    addr_parse_cidr("198.51.100.0/24", &allow, err, sizeof err), 0);
	r.allow = &allow;
	r.nallow = 1;
	assert_int_equal(judge4(&r, "198.51.100.9", 40000, -1), -1);
	assert_int_equal(judge4(&r, "192.0.2.1", 40000, -1), ECHO_DROP_ALLOW);
	/* Port zero is judged before --allow. */
	assert_int_equal(judge4(&r, "192.0.2.1", 0, -1), ECHO_DROP_PORT0);
}

static void
test_loop_ports(void **state)
{
	(void)state;
	assert_true(echo_is_loop_port(7));
	assert_true(echo_is_loop_port(1023));
	assert_true(echo_is_loop_port(11211));
	assert_true(echo_is_loop_port(5353));
	assert_false(echo_is_loop_port(1024));
	assert_false(echo_is_loop_port(40000));
	assert_false(echo_is_loop_port(65535));
}

static void
test_group_kind(void **state)
{
	struct echo_ifaddrs ifa;
	struct in_addr b;
	struct sockaddr_in s;
	struct sockaddr_in6 s6;

	(void)state;
	memset(&ifa, 0, sizeof ifa);
	inet_pton(AF_INET, "192.0.2.255", &b);
	ifa.bcast = &b;
	ifa.nbcast = 1;
	s = sin4("192.0.2.255", 1);
	assert_int_equal(
	    echo_group_kind(&ifa, (struct sockaddr *)&s), ECHO_DROP_BCAST);
	s = sin4("255.255.255.255", 1);
	assert_int_equal(
	    echo_group_kind(&ifa, (struct sockaddr *)&s), ECHO_DROP_BCAST);
	s = sin4("224.0.0.251", 1);
	assert_int_equal(
	    echo_group_kind(&ifa, (struct sockaddr *)&s), ECHO_DROP_MCAST);
	s = sin4("192.0.2.1", 1);
	assert_int_equal(echo_group_kind(&ifa, (struct sockaddr *)&s), -1);
	s6 = sin6("ff02::1", 1);
	assert_int_equal(
	    echo_group_kind(&ifa, (struct sockaddr *)&s6), ECHO_DROP_MCAST);
	s6 = sin6("2001:db8::1", 1);
	assert_int_equal(echo_group_kind(&ifa, (struct sockaddr *)&s6), -1);
}

static void
test_local(void **state)
{
	struct echo_ifaddrs ifa;
	struct srctab_key k, own;
	struct sockaddr_in s;
	struct sockaddr_in6 s6;

	(void)state;
	memset(&ifa, 0, sizeof ifa);
	s = sin4("192.0.2.7", 0);
	assert_int_equal(srctab_key_from((struct sockaddr *)&s, &own), 0);
	ifa.local = &own;
	ifa.nlocal = 1;
	assert_true(echo_is_local(&ifa, &own));
	s = sin4("127.1.2.3", 0);
	srctab_key_from((struct sockaddr *)&s, &k);
	assert_true(echo_is_local(&ifa, &k));
	s = sin4("0.0.0.0", 0);
	srctab_key_from((struct sockaddr *)&s, &k);
	assert_true(echo_is_local(&ifa, &k));
	s6 = sin6("::1", 0);
	srctab_key_from((struct sockaddr *)&s6, &k);
	assert_true(echo_is_local(&ifa, &k));
	s = sin4("192.0.2.8", 0);
	srctab_key_from((struct sockaddr *)&s, &k);
	assert_false(echo_is_local(&ifa, &k));
	/* The real table has loopback in it. */
	assert_int_equal(echo_ifaddrs_load(&ifa), 0);
	assert_true(ifa.nlocal > 0);
	echo_ifaddrs_free(&ifa);
	assert_null(ifa.local);
}

static void
test_senderr(void **state)
{
	(void)state;
	assert_int_equal(echo_senderr_class(ENOBUFS), ECHO_SE_NOBUFS);
	assert_int_equal(echo_senderr_class(EAGAIN), ECHO_SE_NOBUFS);
	assert_int_equal(echo_senderr_class(ECONNREFUSED), ECHO_SE_REFUSED);
	assert_int_equal(echo_senderr_class(ENETUNREACH), ECHO_SE_UNREACH);
	assert_int_equal(echo_senderr_class(EACCES), ECHO_SE_PERM);
	assert_int_equal(echo_senderr_class(EIO), ECHO_SE_OTHER);
	assert_string_equal(echo_senderr_names[ECHO_SE_PERM], "not-permitted");
	assert_string_equal(
	    echo_drop_names[ECHO_DROP_NO_PONG], "no-pong-request");
}

static void
test_daytime(void **state)
{
	struct echo_day d;
	uint8_t out[64];
	/* 2001-09-09 01:46:40 UTC */
	time_t t = 1000000000;

	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	memset(&d, 0, sizeof d);
	memset(out, 'x', sizeof out);
	assert_int_equal(echo_daytime(&d, t, 100, out), 26);
	assert_memory_equal(out, "Sun Sep  9 01:46:40 2001\r\nx", 27);
	assert_int_equal(echo_daytime(&d, t, 25, out), 24);
	assert_int_equal(echo_daytime(&d, t, 23, out), 8);
	assert_memory_equal(out, "01:46:40", 8);
	memset(out, 'x', sizeof out);
	assert_int_equal(echo_daytime(&d, t, 7, out), 0);
	assert_int_equal(out[0], 'x');
	/* The next second formats a new line. */
	assert_int_equal(echo_daytime(&d, t + 1, 8, out), 8);
	assert_memory_equal(out, "01:46:41", 8);
}

static void
test_upper(void **state)
{
	uint8_t p[] = "abc XYZ \xc3\xa9 z{";

	(void)state;
	echo_upper(p, sizeof p - 1);
	assert_string_equal((char *)p, "ABC XYZ \xc3\xa9 Z{");
}

static void
test_sockperf(void **state)
{
	uint8_t m[ECHO_SP_HDRLEN + 2];

	(void)state;
	memset(m, 0, sizeof m);
	assert_int_equal(echo_sockperf(m, ECHO_SP_HDRLEN - 1), ECHO_DROP_SHORT);
	assert_int_equal(echo_sockperf(m, sizeof m), ECHO_DROP_NOT_SOCKPERF);
	m[ECHO_SP_FLAGS + 1] = ECHO_SP_CLIENT;
	assert_int_equal(echo_sockperf(m, sizeof m), ECHO_DROP_NO_PONG);
	m[ECHO_SP_FLAGS + 1] = ECHO_SP_CLIENT | ECHO_SP_PONG_REQUEST;
	assert_int_equal(echo_sockperf(m, sizeof m), -1);
	/* The reply is no client's: two servers never answer each other. */
	assert_int_equal(m[ECHO_SP_FLAGS + 1], ECHO_SP_PONG_REQUEST);
	assert_int_equal(echo_sockperf(m, sizeof m), ECHO_DROP_NOT_SOCKPERF);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_judge_order),
	    cmocka_unit_test(test_loop_ports),
	    cmocka_unit_test(test_group_kind),
	    cmocka_unit_test(test_local),
	    cmocka_unit_test(test_senderr),
	    cmocka_unit_test(test_daytime),
	    cmocka_unit_test(test_upper),
	    cmocka_unit_test(test_sockperf),
	};

	return cmocka_run_group_tests_name("echo", tests, NULL, NULL);
}
