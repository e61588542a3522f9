/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for the relay engine: the client table's lookup, bound and
 * idle expiry, how long the loop may sleep, and coalesced receives.
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
#include "sock.h"

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

/*
 * Three datagrams sent as one segmented send reach a socket with UDP_GRO
 * as one buffer whose size rl_gro_size() finds; without it, one by one.
 */
static void
test_gro(void **state)
{
	union {
		struct cmsghdr align;
		uint8_t buf[256];
	} sc, rc;
	struct sockaddr_in to;
	socklen_t len = sizeof to;
	uint8_t data[250], in[1000];
	struct iovec iov = {data, sizeof data}, riov = {in, sizeof in};
	struct msghdr mh;
	ssize_t n;
	int s, rx, gro;

	(void)state;
	memset(data, 'x', sizeof data);
	for (gro = 1; gro >= 0; gro--) {
		assert_true((rx = socket(AF_INET, SOCK_DGRAM, 0)) >= 0);
		assert_true((s = socket(AF_INET, SOCK_DGRAM, 0)) >= 0);
		set_addr(&to, "127.0.0.1", 0);
		assert_int_equal(bind(rx, (struct sockaddr *)&to, len), 0);
		assert_int_equal(
		    getsockname(rx, (struct sockaddr *)&to, &len), 0);
		fx.r.gro = 0;
		if (gro) {
			rl_gro_enable(&fx.r, rx);
			assert_int_equal(fx.r.gro, 1);
		}
		memset(&mh, 0, sizeof mh);
		mh.msg_name = &to;
		mh.msg_namelen = len;
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		mh.msg_control = sc.buf;
		mh.msg_controllen =
		    sock_segment_cmsg(sc.buf, sizeof sc.buf, 100);
		assert_true(mh.msg_controllen > 0);
		assert_int_equal(sendmsg(s, &mh, 0), (ssize_t)sizeof data);
		memset(&mh, 0, sizeof mh);
		mh.msg_iov = &riov;
		mh.msg_iovlen = 1;
		mh.msg_control = rc.buf;
		mh.msg_controllen = sizeof rc.buf;
		n = recvmsg(rx, &mh, 0);
		assert_int_equal(n, gro ? 250 : 100);
		assert_int_equal(rl_gro_size(&mh), gro ? 100 : 0);
		close(s);
		close(rx);
	}
}

/* --no-gso: no coalesced receives either. */
static void
test_no_gro(void **state)
{
	int fd;

	(void)state;
	fx.conf.no_gso = 1;
	fx.r.gro = 0;
	assert_true((fd = socket(AF_INET, SOCK_DGRAM, 0)) >= 0);
	rl_gro_enable(&fx.r, fd);
	assert_int_equal(fx.r.gro, 0);
	close(fd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_lookup, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_table_full, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_sweep, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_timeout, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_gro, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_no_gro, setup, teardown),
	};

	return cmocka_run_group_tests_name("relay", tests, NULL, NULL);
}
