/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for the pingio module: -u probes over loopback to a socket
 * the test answers from, the reply matched and shown, a corrupted one
 * ignored, and a closed port read from the error queue as a refusal.
 */
#include "config.h"

#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "output.h"
#include "pingio.h"
#include "pingout.h"
#include "pingsock.h"
#include "pingstate.h"
#include "sock.h"
#include "stats.h"

#define SIZE 32

struct fixture {
	struct pingsock_conf sc;
	struct pingstate ps;
	struct ping_target t;
	struct pingout out;
	struct pingio io;
	struct ping_fd f;
	int srv; /* the echo server's socket: the test answers */
	char *data;
	size_t size;
	FILE *fp;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	struct sockaddr_in a;
	socklen_t len = sizeof a;

	assert_non_null(f);
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	f->srv = socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(f->srv != -1);
	assert_int_equal(bind(f->srv, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(getsockname(f->srv, (struct sockaddr *)&a, &len), 0);
	f->t.fd = socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(f->t.fd != -1);
	assert_int_equal(connect(f->t.fd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(sock_recverr(f->t.fd, AF_INET), 0);
	memcpy(&f->t.dst, &a, sizeof a);
	f->t.dstlen = sizeof a;
	f->t.family = AF_INET;
	f->t.kind = PING_UDP;
	f->t.ok = 1;
	f->t.name = "echo";
	snprintf(f->t.dstaddr, sizeof f->t.dstaddr, "127.0.0.1:%u",
	    (unsigned)ntohs(a.sin_port));
	f->ps.t = &f->t;
	f->ps.nt = 1;
	f->ps.udp = 1;
	f->ps.size = SIZE;
	assert_int_equal(pingstate_number(&f->ps, 1, 0x5eed), 0);
	f->fp = open_memstream(&f->data, &f->size);
	assert_non_null(f->fp);
	f->out.ps = &f->ps;
	out_init(&f->out.o, f->fp, 0);
	f->sc.ttl = f->sc.tos = f->sc.pmtu = -1;
	f->io.ps = &f->ps;
	f->io.out = &f->out;
	f->io.sc = &f->sc;
	f->io.timeout = 2000;
	assert_int_equal(pingio_alloc(&f->io), 0);
	f->f.fd = f->t.fd;
	f->f.family = AF_INET;
	f->f.kind = PING_UDP;
	f->f.t = &f->t;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	pingio_free(&f->io);
	stats_free(f->t.st);
	close(f->t.fd);
	if (f->srv != -1)
		close(f->srv);
	fclose(f->fp);
	free(f->data);
	free(f);
	return 0;
}

/* Waits for fd to have something (a datagram or an error), 2 s at most. */
static void
wait_for(int fd)
{
	struct pollfd pfd = {fd, POLLIN, 0};

	assert_int_equal(poll(&pfd, 1, 2000), 1);
}

/* The server reads the probe and returns it, with byte i changed if i >= 0. */
static void
echo(struct fixture *f, int i)
{
	uint8_t buf[SIZE + 8];
	struct sockaddr_storage from;
	socklen_t len = sizeof from;
	ssize_t n;

	wait_for(f->srv);
	n = recvfrom(
	    f->srv, buf, sizeof buf, 0, (struct sockaddr *)&from, &len);
	assert_int_equal(n, SIZE);
	if (i >= 0)
		buf[i] ^= 0xff;
	assert_int_equal(
	    sendto(f->srv, buf, (size_t)n, 0, (struct sockaddr *)&from, len),
	    n);
	wait_for(f->t.fd);
}

static void
test_reply(void **state)
{
	struct fixture *f = *state;
	struct stats_summary s;
	char want[160];

	assert_int_equal(pingio_send(&f->io, &f->t), 0);
	echo(f, -1);
	assert_int_equal(pingio_recv_one(&f->io, &f->f), 1);
	assert_int_equal(f->io.replies, 1);
	/* Drained: nothing more to read. */
	assert_int_equal(pingio_recv_one(&f->io, &f->f), 0);
	stats_summarize(f->t.st, &s);
	assert_int_equal(s.sent, 1);
	assert_int_equal(s.received, 1);
	fflush(f->fp);
	snprintf(want, sizeof want,
	    "32 bytes from %s: udp_seq=1 time=", f->t.dstaddr);
	assert_non_null(strstr(f->data, want));
	assert_int_equal(f->io.gone, 0);
}

static void
test_corrupted(void **state)
{
	struct fixture *f = *state;
	struct stats_summary s;

	/* A payload byte changed on the way: not a reply to the probe. */
	assert_int_equal(pingio_send(&f->io, &f->t), 0);
	echo(f, SIZE - 1);
	assert_int_equal(pingio_recv_one(&f->io, &f->f), 1);
	assert_int_equal(f->io.replies, 0);
	assert_int_equal(f->t.invalid, 1);
	stats_summarize(f->t.st, &s);
	assert_int_equal(s.received, 0);
	fflush(f->fp);
	assert_true(f->data == NULL || f->data[0] == '\0');
}

static void
test_refused(void **state)
{
	struct fixture *f = *state;
	struct stats_summary s;

	/* Nobody at the port: the kernel's port unreachable answers it. */
	close(f->srv);
	f->srv = -1;
	assert_int_equal(pingio_send(&f->io, &f->t), 0);
	wait_for(f->t.fd);
	assert_int_equal(pingio_recv_err(&f->io, &f->f), 1);
	stats_summarize(f->t.st, &s);
	assert_int_equal(s.refused, 1);
	assert_int_equal(s.received, 0);
	fflush(f->fp);
	assert_non_null(strstr(
	    f->data, "udp_seq=1 refused (Destination Port Unreachable)\n"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_reply, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_corrupted, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
	};

	return cmocka_run_group_tests_name("pingio", tests, NULL, NULL);
}
