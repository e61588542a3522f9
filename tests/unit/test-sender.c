/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for the sender module: the most recent sender, the lock on
 * the first one and the naming of others, a fixed peer, and sending to
 * them over loopback.
 */
#include "config.h"

#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "sockaddr.h"

#include "sender.h"

static void
meta(struct sock_meta *m, const char *host, int port)
{
	memset(m, 0, sizeof *m);
	sin4((struct sockaddr_in *)&m->from, host, (uint16_t)port);
	m->fromlen = sizeof(struct sockaddr_in);
}

static int
target_port(const struct sender *s)
{
	const struct sockaddr *sa;
	socklen_t len = 0;

	sa = sender_target(s, &len);
	if (sa == NULL)
		return -1;
	assert_int_equal(len, sizeof(struct sockaddr_in));
	return ntohs(((const struct sockaddr_in *)sa)->sin_port);
}

static void
test_recent(void **state)
{
	struct sender s;
	struct sock_meta m;

	(void)state;
	memset(&s, 0, sizeof s);
	assert_int_equal(target_port(&s), -1);
	meta(&m, "127.0.0.1", 1000);
	assert_int_equal(sender_track(&s, &m), SENDER_NEW);
	assert_int_equal(target_port(&s), 1000);
	m.ifindex = 7;
	assert_int_equal(sender_track(&s, &m), SENDER_SAME);
	/* The same sender still updates what is known of it. */
	assert_int_equal(s.last.ifindex, 7);
	/* The same address from another port is another sender. */
	meta(&m, "127.0.0.1", 1001);
	assert_int_equal(sender_track(&s, &m), SENDER_NEW);
	assert_int_equal(target_port(&s), 1001);
}

static void
test_lock(void **state)
{
	struct sender s;
	struct sock_meta m;

	(void)state;
	memset(&s, 0, sizeof s);
	s.lock = 1;
	meta(&m, "127.0.0.1", 1000);
	assert_int_equal(sender_track(&s, &m), SENDER_NEW);
	meta(&m, "127.0.0.2", 1000);
	assert_int_equal(sender_track(&s, &m), SENDER_LOCKED_OUT);
	assert_int_equal(sender_track(&s, &m), SENDER_LOCKED_OUT_AGAIN);
	meta(&m, "127.0.0.3", 1000);
	assert_int_equal(sender_track(&s, &m), SENDER_LOCKED_OUT);
	/* Named again when it speaks after another one. */
	meta(&m, "127.0.0.2", 1000);
	assert_int_equal(sender_track(&s, &m), SENDER_LOCKED_OUT);
	meta(&m, "127.0.0.1", 1000);
	assert_int_equal(sender_track(&s, &m), SENDER_SAME);
	assert_int_equal(target_port(&s), 1000);
	assert_int_equal(((struct sockaddr_in *)&s.last.from)->sin_addr.s_addr,
	    htonl(0x7f000001));
}

static void
test_fixed(void **state)
{
	struct sender s;
	struct sock_meta m;

	(void)state;
	memset(&s, 0, sizeof s);
	meta(&m, "127.0.0.9", 53);
	memcpy(&s.to, &m.from, sizeof s.to);
	s.tolen = m.fromlen;
	assert_int_equal(target_port(&s), 53);
	/* Senders are still tracked, but the fixed peer is answered. */
	meta(&m, "127.0.0.1", 1000);
	assert_int_equal(sender_track(&s, &m), SENDER_NEW);
	assert_int_equal(target_port(&s), 53);
	s.tolen = 0;
	assert_int_equal(target_port(&s), 1000);
}

/* Returns a UDP socket bound to 127.0.0.1 on a free port, its address in sin. */
static int
bound(struct sockaddr_in *sin)
{
	socklen_t len = sizeof *sin;
	int fd;

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(fd >= 0);
	memset(sin, 0, sizeof *sin);
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)sin, sizeof *sin), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)sin, &len), 0);
	return fd;
}

static void
test_send(void **state)
{
	struct sockaddr_in a, b, from;
	const struct sockaddr *dst;
	struct sender_dest d;
	struct sender s;
	struct sock_meta m;
	socklen_t dstlen, fromlen = sizeof from;
	char got[8];
	int fa, fb;

	(void)state;
	fa = bound(&a);
	fb = bound(&b);
	assert_int_equal(sock_enable_meta(fa, SOCK_META_PKTINFO), 0);
	memset(&s, 0, sizeof s);
	assert_int_equal(sender_dest(&s, &d), -1);
	/* b writes to a; a answers the sender it learnt, from where it was hit. */
	assert_int_equal(
	    sendto(fb, "hi", 2, 0, (struct sockaddr *)&a, sizeof a), 2);
	memset(&m, 0, sizeof m);
	assert_int_equal(sock_recv_meta(fa, got, sizeof got, 0, &m), 2);
	assert_true(m.tolen > 0);
	assert_int_equal(sender_track(&s, &m), SENDER_NEW);
	assert_int_equal(sender_dest(&s, &d), 0);
	assert_int_equal(d.reply, 1);
	assert_int_equal(sender_send(fa, &d, "yo", 2, &dst, &dstlen), 2);
	assert_int_equal(dstlen, sizeof b);
	assert_memory_equal(dst, &b, sizeof b);
	assert_int_equal(recvfrom(fb, got, sizeof got, 0,
			     (struct sockaddr *)&from, &fromlen),
	    2);
	assert_memory_equal(got, "yo", 2);
	assert_int_equal(from.sin_port, a.sin_port);
	/* A fixed peer wins over the sender, and is sent to plainly. */
	memcpy(&s.to, &a, sizeof a);
	s.tolen = sizeof a;
	assert_int_equal(sender_dest(&s, &d), 0);
	assert_int_equal(d.reply, 0);
	assert_int_equal(sender_send(fb, &d, "ok", 2, &dst, &dstlen), 2);
	assert_memory_equal(dst, &a, sizeof a);
	assert_int_equal(recv(fa, got, sizeof got, 0), 2);
	assert_memory_equal(got, "ok", 2);
	close(fa);
	close(fb);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_recent),
	    cmocka_unit_test(test_lock),
	    cmocka_unit_test(test_fixed),
	    cmocka_unit_test(test_send),
	};

	return cmocka_run_group_tests_name("sender", tests, NULL, NULL);
}
