/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for the sender module: the most recent sender, the lock on
 * the first one and the naming of others, and a fixed peer.
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

#include <cmocka.h>

#include "sender.h"

static void
meta(struct sock_meta *m, const char *host, int port)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)&m->from;

	memset(m, 0, sizeof *m);
	sin->sin_family = AF_INET;
	sin->sin_port = htons((uint16_t)port);
	assert_int_equal(inet_pton(AF_INET, host, &sin->sin_addr), 1);
	m->fromlen = sizeof *sin;
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_recent),
	    cmocka_unit_test(test_lock),
	    cmocka_unit_test(test_fixed),
	};

	return cmocka_run_group_tests_name("sender", tests, NULL, NULL);
}
