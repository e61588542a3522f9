/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for the sock module's pure parts: the control messages a
 * reply carries (the arrival address, UDP segmentation) and which send
 * errors mean "segmentation refused".  Sockets themselves are tested
 * through the commands, over real loopback sockets.
 */
#include "config.h"

#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/udp.h>

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "sock.h"

union cbuf {
	struct cmsghdr align;
	char buf[SOCK_CMSG_SPACE];
};

static void
test_segment_cmsg(void **state)
{
	union cbuf cb;
	struct msghdr msg;
	struct cmsghdr *c;
	uint16_t v;
	size_t len;

	(void)state;
	memset(&cb, 0xa5, sizeof cb);
	len = sock_segment_cmsg(cb.buf, sizeof cb.buf, 1400);
#ifdef UDP_SEGMENT
	assert_int_equal(len, CMSG_SPACE(sizeof(uint16_t)));
	memset(&msg, 0, sizeof msg);
	msg.msg_control = cb.buf;
	msg.msg_controllen = len;
	c = CMSG_FIRSTHDR(&msg);
	if (c == NULL) {
		fail_msg("no control message");
		return;
	}
	assert_int_equal(c->cmsg_level, SOL_UDP);
	assert_int_equal(c->cmsg_type, UDP_SEGMENT);
	assert_int_equal(c->cmsg_len, CMSG_LEN(sizeof v));
	memcpy(&v, CMSG_DATA(c), sizeof v);
	assert_int_equal(v, 1400);
	/* Nothing of the old contents is left in the padding. */
	for (size_t i = CMSG_LEN(sizeof v); i < len; i++)
		assert_int_equal(cb.buf[i], 0);
	assert_null(CMSG_NXTHDR(&msg, c));
#else
	assert_int_equal(len, 0);
	(void)msg;
	(void)c;
	(void)v;
#endif
}

static void
test_segment_cmsg_bounds(void **state)
{
	union cbuf cb;

	(void)state;
	assert_int_equal(sock_segment_cmsg(cb.buf, sizeof cb.buf, 0), 0);
	assert_int_equal(sock_segment_cmsg(cb.buf, sizeof cb.buf, 65536), 0);
	assert_int_equal(sock_segment_cmsg(cb.buf, 4, 1400), 0);
}

/* A reply's arrival address and the segmentation follow each other. */
static void
test_reply_then_segment(void **state)
{
	union cbuf cb;
	struct sock_meta m;
	struct sockaddr_in *to = (struct sockaddr_in *)&m.to;
	struct msghdr msg;
	struct cmsghdr *c;
	struct in_pktinfo pi;
	size_t a, b;

	(void)state;
	memset(&m, 0, sizeof m);
	to->sin_family = AF_INET;
	inet_pton(AF_INET, "127.0.0.2", &to->sin_addr);
	m.tolen = sizeof *to;
	a = sock_reply_cmsg(&m, cb.buf, sizeof cb.buf);
	assert_int_equal(a, CMSG_SPACE(sizeof pi));
	b = sock_segment_cmsg(cb.buf + a, sizeof cb.buf - a, 64);
	memset(&msg, 0, sizeof msg);
	msg.msg_control = cb.buf;
	msg.msg_controllen = a + b;
	c = CMSG_FIRSTHDR(&msg);
	if (c == NULL) {
		fail_msg("no control message");
		return;
	}
	assert_int_equal(c->cmsg_level, IPPROTO_IP);
	assert_int_equal(c->cmsg_type, IP_PKTINFO);
	memcpy(&pi, CMSG_DATA(c), sizeof pi);
	assert_int_equal(pi.ipi_spec_dst.s_addr, to->sin_addr.s_addr);
	c = CMSG_NXTHDR(&msg, c);
#ifdef UDP_SEGMENT
	if (c == NULL) {
		fail_msg("no control message");
		return;
	}
	assert_int_equal(c->cmsg_type, UDP_SEGMENT);
#else
	assert_null(c);
#endif
	/* No arrival address: no control message at all. */
	m.tolen = 0;
	assert_int_equal(sock_reply_cmsg(&m, cb.buf, sizeof cb.buf), 0);
}

static void
test_segment_refused(void **state)
{
	(void)state;
	assert_int_equal(sock_segment_refused(EMSGSIZE), 2);
	assert_int_equal(sock_segment_refused(EINVAL), 2);
	assert_int_equal(sock_segment_refused(EIO), 1);
	assert_int_equal(sock_segment_refused(ENOPROTOOPT), 1);
	assert_int_equal(sock_segment_refused(EOPNOTSUPP), 1);
	/* Errors of the destination are not about segmentation. */
	assert_int_equal(sock_segment_refused(ECONNREFUSED), 0);
	assert_int_equal(sock_segment_refused(ENOBUFS), 0);
	assert_int_equal(sock_segment_refused(EHOSTUNREACH), 0);
	assert_int_equal(sock_segment_refused(EPERM), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_segment_cmsg),
	    cmocka_unit_test(test_segment_cmsg_bounds),
	    cmocka_unit_test(test_reply_then_segment),
	    cmocka_unit_test(test_segment_refused),
	};

	return cmocka_run_group_tests_name("sock", tests, NULL, NULL);
}
