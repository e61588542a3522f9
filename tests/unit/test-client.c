/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for the client module (client.c, clirun.c) over loopback: a
 * datagram and its reply, a burst, a refusal from a closed port, the
 * summary, the runners, and the exit status and last word of a run.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/types.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "client.h"
#include "clirun.h"
#include "fdtext.h"
#include "replay.h"

struct fixture {
	struct client c;
	int echo; /* the peer: a socket on 127.0.0.1 */
	struct sockaddr_in echo_sin;
	char *data; /* what c->out wrote */
	size_t size;
	FILE *fp;
};

/* Opens a client connected to a fresh loopback socket, text output. */
static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	socklen_t len = sizeof f->echo_sin;

	assert_non_null(f);
	f->echo = socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(f->echo >= 0);
	f->echo_sin.sin_family = AF_INET;
	f->echo_sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(
	    bind(f->echo, (struct sockaddr *)&f->echo_sin, len), 0);
	assert_int_equal(
	    getsockname(f->echo, (struct sockaddr *)&f->echo_sin, &len), 0);
	assert_int_equal(client_init(&f->c), 0);
	assert_int_equal(f->c.wait, 2);
	assert_int_equal(f->c.fd, -1);
	f->c.fd = socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(f->c.fd >= 0);
	assert_int_equal(sock_recverr(f->c.fd, AF_INET), 0);
	memcpy(&f->c.peer, &f->echo_sin, sizeof f->echo_sin);
	f->c.peerlen = sizeof f->echo_sin;
	snprintf(f->c.peername, sizeof f->c.peername, "127.0.0.1:%u",
	    ntohs(f->echo_sin.sin_port));
	assert_int_equal(
	    connect(f->c.fd, (struct sockaddr *)&f->c.peer, f->c.peerlen), 0);
	f->fp = open_memstream(&f->data, &f->size);
	assert_non_null(f->fp);
	out_init(&f->c.out, f->fp, 0);
	client_peer_set(&f->c);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	fclose(f->fp);
	free(f->data);
	client_free(&f->c);
	if (f->echo >= 0)
		close(f->echo);
	free(f);
	return 0;
}

/* Sends back each datagram waiting on the echo socket; returns how many. */
static int
echo_back(struct fixture *f)
{
	struct sockaddr_storage from;
	socklen_t fromlen;
	char buf[2048];
	ssize_t n;
	int count = 0;

	for (;;) {
		fromlen = sizeof from;
		n = recvfrom(f->echo, buf, sizeof buf, MSG_DONTWAIT,
		    (struct sockaddr *)&from, &fromlen);
		if (n < 0)
			return count;
		assert_int_equal(sendto(f->echo, buf, (size_t)n, 0,
				     (struct sockaddr *)&from, fromlen),
		    n);
		count++;
	}
}

static void
test_one_reply(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(client_one(&f->c, (const uint8_t *)"hello", 5), 0);
	assert_int_equal(f->c.t.tot.sent, 1);
	assert_int_equal(client_satisfied(&f->c), 0);
	usleep(10000);
	assert_int_equal(echo_back(f), 1);
	client_poll(&f->c, client_now() + 2, 0);
	assert_int_equal(f->c.t.tot.replies, 1);
	assert_int_equal(f->c.t.tot.recv_bytes, 5);
	assert_int_equal(f->c.t.tot.rtt_n, 1);
	assert_int_equal(client_answered(&f->c), 1);
	assert_int_equal(client_satisfied(&f->c), 1);
	fflush(f->fp);
	assert_non_null(strstr(f->data, "hello"));
}

static void
test_burst(void **state)
{
	struct fixture *f = *state;
	int got = 0, i;

	assert_int_equal(client_burst(&f->c, (const uint8_t *)"x", 1, 20), 0);
	assert_int_equal(f->c.t.tot.sent, 20);
	assert_int_equal(f->c.t.peer[0].c.sent_bytes, 20);
	for (i = 0; i < 100 && got < 20; i++) {
		got += echo_back(f);
		usleep(1000);
	}
	assert_int_equal(got, 20);
	for (i = 0; i < 100 && !client_satisfied(&f->c); i++)
		client_poll(&f->c, client_now() + 0.05, 0);
	assert_int_equal(f->c.t.tot.replies, 20);
}

static void
test_refused(void **state)
{
	struct fixture *f = *state;
	int i;

	/* The peer's port closed: a port unreachable answers. */
	close(f->echo);
	f->echo = -1;
	assert_int_equal(client_one(&f->c, (const uint8_t *)"ping", 4), 0);
	for (i = 0; i < 100 && client_answered(&f->c) == 0; i++)
		client_poll(&f->c, client_now() + 0.05, 0);
	assert_int_equal(f->c.t.tot.refused, 1);
	assert_int_equal(f->c.t.peer[0].c.refused, 1);
	assert_int_equal(f->c.t.tot.replies, 0);
	assert_int_equal(f->c.local_error, 0);
}

static void
test_summary(void **state)
{
	struct fixture *f = *state;
	char *data = NULL;
	size_t size = 0;
	FILE *fp = open_memstream(&data, &size);

	assert_non_null(fp);
	f->c.t.tot.sent = 3;
	f->c.t.tot.replies = 2;
	client_summary(&f->c, "localhost:7", fp);
	fclose(fp);
	assert_non_null(strstr(data, "3 sent"));
	assert_non_null(strstr(data, "2 replies"));
	assert_non_null(strstr(data, "--- 127.0.0.1:"));
	free(data);
}

static void
test_run_args(void **state)
{
	struct fixture *f = *state;
	char buf[16];

	f->c.wait = 0;
	client_run_args(&f->c, (const uint8_t *)"abc", 3, 3, 0.01);
	assert_int_equal(f->c.t.tot.sent, 3);
	assert_int_equal(f->c.t.tot.sent_bytes, 9);
	assert_int_equal(recv(f->echo, buf, sizeof buf, MSG_DONTWAIT), 3);
	assert_int_equal(recv(f->echo, buf, sizeof buf, MSG_DONTWAIT), 3);
	assert_int_equal(recv(f->echo, buf, sizeof buf, MSG_DONTWAIT), 3);
	assert_int_equal(recv(f->echo, buf, sizeof buf, MSG_DONTWAIT), -1);
}

/* Standard input, one line a datagram, decoded as hex; at most max. */
static void
test_run_stdin(void **state)
{
	struct fixture *f = *state;
	struct payload_frame frame;
	struct frame_shape sh = {
	    .decode = 1, .mode = PAYLOAD_HEX, .eol = NULL, .size = -1};
	char err[256], buf[16];
	int p[2], saved;

	assert_int_equal(
	    payload_frame_parse("line", PAYLOAD_MAX, &frame, err, sizeof err),
	    0);
	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], "41 42\n43\n44\n", 12), 12);
	close(p[1]);
	saved = dup(STDIN_FILENO);
	assert_int_equal(dup2(p[0], STDIN_FILENO), STDIN_FILENO);
	close(p[0]);
	f->c.wait = 0;
	assert_int_equal(client_run_stdin(&f->c, &frame, &sh, 2, 0), 0);
	dup2(saved, STDIN_FILENO);
	close(saved);
	assert_int_equal(f->c.t.tot.sent, 2);
	assert_int_equal(recv(f->echo, buf, sizeof buf, MSG_DONTWAIT), 2);
	assert_memory_equal(buf, "AB", 2);
	assert_int_equal(recv(f->echo, buf, sizeof buf, MSG_DONTWAIT), 1);
	assert_memory_equal(buf, "C", 1);
	assert_int_equal(recv(f->echo, buf, sizeof buf, MSG_DONTWAIT), -1);
}

/* client_open() sets the options and connects; a refused connect says why. */
static void
test_open(void **state)
{
	struct fixture *f = *state;
	struct addr_spec spec;
	struct sockaddr_storage peer, got;
	socklen_t peerlen, len = sizeof got;
	char text[64], err[256];
	int fd, notfound = -1, v;

	snprintf(
	    text, sizeof text, "127.0.0.1:%u", ntohs(f->echo_sin.sin_port));
	assert_int_equal(addr_parse(text, 0, &spec, err, sizeof err), 0);
	f->c.so.ttl = 5;
	fd = client_open(
	    &f->c, &spec, AF_UNSPEC, NULL, &notfound, &peer, &peerlen);
	assert_true(fd >= 0);
	assert_int_equal(notfound, 0);
	assert_int_equal(getpeername(fd, (struct sockaddr *)&got, &len), 0);
	assert_memory_equal(&got, &f->echo_sin, sizeof f->echo_sin);
	len = sizeof v;
	assert_int_equal(getsockopt(fd, IPPROTO_IP, IP_TTL, &v, &len), 0);
	assert_int_equal(v, 5);
	close(fd);
	/* A broadcast address without SO_BROADCAST cannot be connected. */
	assert_int_equal(
	    addr_parse("255.255.255.255:9", 0, &spec, err, sizeof err), 0);
	f->c.so.ttl = -1;
	fd = client_open(
	    &f->c, &spec, AF_INET, NULL, &notfound, &peer, &peerlen);
	assert_int_equal(fd, -1);
	assert_int_equal(notfound, 0);
}

/* The exit status: a reply, silence, no wait, a refusal, a match, an error. */
static void
test_exit_status(void **state)
{
	struct fixture *f = *state;
	char err[256];

	/* Sent and unanswered: 1; answered: 0. */
	f->c.t.tot.sent = 1;
	assert_int_equal(client_exit_status(&f->c), 1);
	f->c.t.tot.replies = 1;
	assert_int_equal(client_exit_status(&f->c), 0);
	/* -w 0 asks no reply, but a refusal is still an answer: 1. */
	f->c.t.tot.replies = 0;
	f->c.wait = 0;
	assert_int_equal(client_exit_status(&f->c), 0);
	f->c.t.tot.refused = 1;
	assert_int_equal(client_exit_status(&f->c), 1);
	/* With nothing sent, -w 0 is no success. */
	f->c.t.tot.refused = 0;
	f->c.t.tot.sent = 0;
	assert_int_equal(client_exit_status(&f->c), 1);
	/* An expectation decides alone, replies or not. */
	f->c.t.tot.sent = 1;
	f->c.t.tot.replies = 1;
	assert_int_equal(
	    expect_set_re(&f->c.expect, "^ok", err, sizeof err), 0);
	assert_int_equal(client_exit_status(&f->c), 1);
	f->c.matched = 1;
	assert_int_equal(client_exit_status(&f->c), 0);
	/* A local error beats everything. */
	f->c.local_error = 1;
	assert_int_equal(client_exit_status(&f->c), 2);
}

struct verdict_args {
	struct fixture *f;
	int quiet, interactive;
};

static void
verdict_call(void *arg)
{
	struct verdict_args *v = arg;

	client_verdict(&v->f->c, v->quiet, v->interactive);
}

/* Runs client_verdict() and returns what it wrote to stderr (to free). */
static char *
verdict(struct fixture *f, int quiet, int interactive)
{
	struct verdict_args v = {f, quiet, interactive};

	return fdtext_run(stderr, verdict_call, &v);
}

static void
test_verdict(void **state)
{
	struct fixture *f = *state;
	char *t;

	f->c.t.tot.sent = 1;
	t = verdict(f, 0, 0);
	assert_non_null(strstr(t, "no reply from 127.0.0.1:"));
	assert_non_null(strstr(t,
	    "within 2 s (a server that answers from "
	    "another port needs --any-source)"));
	free(t);
	/* An ICMP error explains the silence: no hint. */
	f->c.t.tot.unreachable = 1;
	t = verdict(f, 0, 0);
	assert_non_null(strstr(t, "within 2 s\n"));
	free(t);
	/* Quiet, interactive, or after a local error: nothing. */
	t = verdict(f, 1, 0);
	assert_string_equal(t, "");
	free(t);
	t = verdict(f, 0, 1);
	assert_string_equal(t, "");
	free(t);
	f->c.local_error = 1;
	t = verdict(f, 0, 0);
	assert_string_equal(t, "");
	free(t);
	f->c.local_error = 0;
	f->c.t.tot.sent = 0;
	t = verdict(f, 0, 0);
	assert_non_null(strstr(t, "nothing sent: standard input was empty"));
	free(t);
	f->c.expect.kind = EXPECT_BYTES;
	t = verdict(f, 0, 1);
	assert_non_null(strstr(t, "no reply contained the --expect-hex bytes"));
	free(t);
	f->c.expect.kind = EXPECT_NONE;
}

/* A capture's datagrams go out in order, at its pace. */
static void
test_run_replay(void **state)
{
	struct fixture *f = *state;
	struct replay_dgram d[2] = {
	    {1000000000ULL, (const uint8_t *)"one", 3},
	    {1100000000ULL, (const uint8_t *)"two!", 4},
	};
	struct replay rp;
	char buf[16];
	double start;

	memset(&rp, 0, sizeof rp);
	rp.d = d;
	rp.n = 2;
	f->c.wait = 0;
	start = client_now();
	client_run_replay(&f->c, &rp, 1, -1);
	assert_true(client_now() - start >= 0.09);
	assert_int_equal(f->c.t.tot.sent, 2);
	assert_int_equal(f->c.t.tot.sent_bytes, 7);
	assert_int_equal(recv(f->echo, buf, sizeof buf, MSG_DONTWAIT), 3);
	assert_memory_equal(buf, "one", 3);
	assert_int_equal(recv(f->echo, buf, sizeof buf, MSG_DONTWAIT), 4);
	assert_memory_equal(buf, "two!", 4);
	/* A fixed interval of 0 replaces the capture's pace. */
	start = client_now();
	client_run_replay(&f->c, &rp, 1, 0);
	assert_true(client_now() - start < 0.09);
	assert_int_equal(f->c.t.tot.sent, 4);
}

/* A destination opened as the client's peer, and the status of a failure. */
static void
test_open_peer(void **state)
{
	struct fixture *f = *state;
	struct addr_spec spec;
	char text[64], err[256];
	int old = f->c.fd;

	snprintf(text, sizeof text, "127.0.0.1:%u",
	    ntohs(f->echo_sin.sin_port) + 0U);
	assert_int_equal(addr_parse(text, 0, &spec, err, sizeof err), 0);
	assert_int_equal(client_open_peer(&f->c, &spec, AF_UNSPEC, NULL), 0);
	assert_true(f->c.fd >= 0 && f->c.fd != old);
	close(old);
	assert_string_equal(f->c.peername, text);
	assert_int_equal(f->c.t.n, 1);
	/* A literal of the other family is a usage error, not "not found". */
	old = f->c.fd;
	assert_int_equal(addr_parse("[::1]:9", 0, &spec, err, sizeof err), 0);
	assert_int_equal(client_open_peer(&f->c, &spec, AF_INET, NULL), 2);
	assert_int_equal(f->c.fd, -1);
	assert_int_equal(
	    addr_parse("127.0.0.1:9", 0, &spec, err, sizeof err), 0);
	assert_int_equal(client_open_peer(&f->c, &spec, AF_INET6, NULL), 2);
	f->c.fd = old;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_one_reply, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_burst, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_summary, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_run_args, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_run_stdin, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_open, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_open_peer, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_run_replay, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_exit_status, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_verdict, setup, teardown),
	};

	return cmocka_run_group_tests_name("client", tests, NULL, NULL);
}
