/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for the answer module: lines, files and datagrams sent over
 * loopback to the fixed peer or the sender, and what each failure counts.
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

#include "answer.h"

struct fx {
	struct answer a;
	struct sockaddr_in peer;
	int pfd; /* the peer's socket */
};

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

static int
setup(void **state)
{
	struct sockaddr_in self;
	struct fx *f = calloc(1, sizeof *f);

	if (f == NULL)
		return -1;
	f->a.fd = bound(&self);
	f->pfd = bound(&f->peer);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	close(f->a.fd);
	close(f->pfd);
	free(f);
	return 0;
}

static void
fixed_peer(struct fx *f)
{
	memcpy(&f->a.peer.to, &f->peer, sizeof f->peer);
	f->a.peer.tolen = sizeof f->peer;
}

/* Returns what the peer received next (len bytes), NUL-terminated in buf. */
static ssize_t
peer_recv(struct fx *f, char *buf, size_t size)
{
	ssize_t n;

	n = recv(f->pfd, buf, size - 1, MSG_DONTWAIT);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

static void
test_nobody(void **state)
{
	struct fx *f = *state;
	struct sender_dest d;
	char got[16];

	/* Nobody to answer yet: not sent, a send error. */
	assert_int_equal(answer_dest(&f->a, &d), -1);
	answer_text(&f->a, "hi\n", 3, PAYLOAD_TEXT, NULL);
	assert_int_equal(f->a.senderr, 2);
	assert_int_equal(f->a.sent, 0);
	assert_int_equal(peer_recv(f, got, sizeof got), -1);
}

static void
test_text(void **state)
{
	struct fx *f = *state;
	char got[16];

	fixed_peer(f);
	f->a.lines = 1;
	answer_text(&f->a, "hi\r\n", 4, PAYLOAD_TEXT, "\r\n");
	assert_int_equal(peer_recv(f, got, sizeof got), 4);
	assert_string_equal(got, "hi\r\n");
	answer_text(&f->a, "41 42\n", 6, PAYLOAD_HEX, NULL);
	assert_int_equal(peer_recv(f, got, sizeof got), 2);
	assert_string_equal(got, "AB");
	/* A line that does not decode is counted, never sent. */
	answer_text(&f->a, "zz\n", 3, PAYLOAD_HEX, NULL);
	assert_int_equal(peer_recv(f, got, sizeof got), -1);
	assert_int_equal(f->a.sent, 2);
	assert_int_equal(f->a.badlines, 1);
	assert_int_equal(f->a.senderr, 0);
	answer_bad_line(&f->a, "made up");
	assert_int_equal(f->a.badlines, 2);
}

static void
test_file(void **state)
{
	struct fx *f = *state;
	char path[] = "/tmp/udptool-test-answer-XXXXXX", got[16];
	int fd;

	fixed_peer(f);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "file\n", 5), 5);
	close(fd);
	answer_file(&f->a, path);
	assert_int_equal(peer_recv(f, got, sizeof got), 5);
	assert_string_equal(got, "file\n");
	unlink(path);
	/* A file that is gone is said, not sent and not a send error. */
	answer_file(&f->a, path);
	assert_int_equal(peer_recv(f, got, sizeof got), -1);
	assert_int_equal(f->a.sent, 1);
	assert_int_equal(f->a.senderr, 0);
}

static void
test_send_error(void **state)
{
	struct fx *f = *state;
	struct sender_dest d;

	/* An IPv6 peer on an IPv4 socket: the send fails and is counted. */
	memset(&d, 0, sizeof d);
	d.to.ss_family = AF_INET6;
	d.tolen = sizeof(struct sockaddr_in6);
	assert_int_equal(answer_send(&f->a, &d, "x", 1), -1);
	assert_int_equal(f->a.senderr, 1);
	assert_int_equal(f->a.sent, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_nobody, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_text, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_file, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_send_error, setup, teardown),
	};

	return cmocka_run_group_tests_name("answer", tests, NULL, NULL);
}
