/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for the relay engine's client table: lookup by address,
 * the bound on clients, idle expiry, and how long the loop may sleep.
 */
#include "config.h"

#include <sys/epoll.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "relay.h"

#define NS 1000000000ULL

struct fixture {
	struct rl_conf conf;
	struct rl_relay r;
};

static struct fixture fx;

static void
set_addr(struct sockaddr_in *sin, const char *ip, uint16_t port)
{
	memset(sin, 0, sizeof *sin);
	sin->sin_family = AF_INET;
	sin->sin_port = htons(port);
	assert_int_equal(inet_pton(AF_INET, ip, &sin->sin_addr), 1);
}

static int
setup(void **state)
{
	struct sockaddr_in *t;

	memset(&fx, 0, sizeof fx);
	fx.conf.idle = 10;
	fx.conf.max_clients = 2;
	fx.conf.queue = 4;
	fx.r.conf = &fx.conf;
	fx.r.lfd = -1;
	if (rl_alloc(&fx.r) == -1 ||
	    (fx.r.ep = epoll_create1(EPOLL_CLOEXEC)) == -1)
		return -1;
	/* Upstream sockets connect to a loopback port nothing needs to hold. */
	t = (struct sockaddr_in *)&fx.r.target;
	set_addr(t, "127.0.0.1", 9);
	fx.r.targetlen = sizeof *t;
	*state = &fx;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	rl_release(&fx.r);
	return 0;
}

static int
add_client(const char *ip, uint16_t port, uint64_t now)
{
	struct sockaddr_in sin;

	set_addr(&sin, ip, port);
	return rl_client_new(
	    &fx.r, (struct sockaddr *)&sin, sizeof sin, NULL, now);
}

static int
find_client(const char *ip, uint16_t port)
{
	struct sockaddr_in sin;

	set_addr(&sin, ip, port);
	return rl_lookup(&fx.r, (struct sockaddr *)&sin);
}

static void
test_lookup(void **state)
{
	int a, b;

	(void)state;
	assert_int_equal(find_client("127.0.0.1", 1000), -1);
	a = add_client("127.0.0.1", 1000, 0);
	b = add_client("127.0.0.2", 1000, 0);
	assert_true(a >= 0 && b >= 0 && a != b);
	assert_int_equal(find_client("127.0.0.1", 1000), a);
	assert_int_equal(find_client("127.0.0.2", 1000), b);
	/* The port counts as much as the address. */
	assert_int_equal(find_client("127.0.0.1", 1001), -1);
	assert_true(fx.r.cl[a].fd >= 0);
	assert_int_equal(fx.r.clients, 2);
}

static void
test_table_full(void **state)
{
	(void)state;
	assert_true(add_client("127.0.0.1", 1, 0) >= 0);
	assert_true(add_client("127.0.0.1", 2, 0) >= 0);
	assert_int_equal(add_client("127.0.0.1", 3, 0), -1);
	assert_int_equal(fx.r.refused, 1);
	assert_int_equal(find_client("127.0.0.1", 3), -1);
}

static void
test_sweep(void **state)
{
	int a, b;

	(void)state;
	a = add_client("127.0.0.1", 1, 0);
	b = add_client("127.0.0.1", 2, 5 * NS);
	rl_sweep(&fx.r, 12 * NS);
	/* a was idle 12 s, more than --idle 10; b only 7 s. */
	assert_int_equal(find_client("127.0.0.1", 1), -1);
	assert_int_equal(find_client("127.0.0.1", 2), b);
	assert_int_equal(fx.r.cl[a].fd, -1);
	assert_int_equal(fx.r.expired, 1);
	/* Its slot serves the next client. */
	assert_int_equal(add_client("127.0.0.1", 3, 12 * NS), a);
	/* The next sweep within a quarter of --idle, at most a second. */
	assert_true(fx.r.next_sweep_ns > 12 * NS);
	assert_true(fx.r.next_sweep_ns <= 13 * NS);
}

static void
test_timeout(void **state)
{
	(void)state;
	fx.r.next_sweep_ns = 5 * NS;
	assert_int_equal(rl_timeout(&fx.r, 5 * NS), 0);
	assert_int_equal(rl_timeout(&fx.r, 6 * NS), 0);
	/* Rounded up, so the loop never wakes just before it is due. */
	assert_int_equal(rl_timeout(&fx.r, 5 * NS - 1), 1);
	assert_int_equal(rl_timeout(&fx.r, 4 * NS), 1000);
	impair_heap_push(&fx.r.heap, 4 * NS + 2500000, NULL);
	assert_int_equal(rl_timeout(&fx.r, 4 * NS), 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_lookup, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_table_full, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_sweep, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_timeout, setup, teardown),
	};

	return cmocka_run_group_tests_name("relay", tests, NULL, NULL);
}
