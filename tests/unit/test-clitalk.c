/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for a client's prompt session over loopback, lines fed to
 * talk_line() without a terminal: text, /hex, /file, /ttl, /tos, /wait,
 * /to onto a second peer on the same descriptor, and /stats.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/types.h>

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

#include "client.h"
#include "clitalk.h"
#include "fdtext.h"

struct fixture {
	struct client c;
	struct clitalk ct;
	struct addr_spec dest;
	int peer[2]; /* two sockets on 127.0.0.1 */
	unsigned port[2];
	char *data; /* what c.out wrote */
	size_t size;
	FILE *fp;
};

static int
peer_open(unsigned *port)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof sin;
	int fd;

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(fd >= 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, len), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	*port = ntohs(sin.sin_port);
	return fd;
}

/* A client connected to the first peer, its prompt session set up. */
static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	char err[256], text[32];
	int i;

	assert_non_null(f);
	for (i = 0; i < 2; i++)
		f->peer[i] = peer_open(&f->port[i]);
	snprintf(text, sizeof text, "127.0.0.1:%u", f->port[0]);
	assert_int_equal(addr_parse(text, 0, &f->dest, err, sizeof err), 0);
	assert_int_equal(client_init(&f->c), 0);
	f->fp = open_memstream(&f->data, &f->size);
	assert_non_null(f->fp);
	out_init(&f->c.out, f->fp, 0);
	assert_int_equal(client_open_peer(&f->c, &f->dest, AF_INET, NULL), 0);
	f->ct.cl = &f->c;
	f->ct.sh.mode = PAYLOAD_ESCAPES;
	f->ct.sh.eol = "\n";
	f->ct.sh.size = -1;
	f->ct.family = AF_INET;
	f->ct.dest = &f->dest;
	assert_int_equal(clitalk_init(&f->ct), 0);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	clitalk_free(&f->ct);
	fclose(f->fp);
	free(f->data);
	client_free(&f->c);
	close(f->peer[0]);
	close(f->peer[1]);
	free(f);
	return 0;
}

struct line_args {
	struct fixture *f;
	char buf[256];
};

static void
line_call(void *arg)
{
	struct line_args *l = arg;

	assert_int_equal(talk_line(&l->f->ct.talk, l->buf, strlen(l->buf)), 0);
}

/*
 * Runs one typed line (copied: the parser writes into it) and returns what
 * it printed on standard output, to free.
 */
static char *
line(struct fixture *f, const char *text)
{
	struct line_args l;

	l.f = f;
	snprintf(l.buf, sizeof l.buf, "%s", text);
	return fdtext_run(stdout, line_call, &l);
}

/* Asserts that peer i has the datagram want (len bytes) waiting. */
static void
expect_datagram(struct fixture *f, int i, const char *want, size_t len)
{
	char buf[256];

	assert_int_equal(
	    recv(f->peer[i], buf, sizeof buf, MSG_DONTWAIT), (ssize_t)len);
	assert_memory_equal(buf, want, len);
}

static void
test_text(void **state)
{
	struct fixture *f = *state;
	char path[] = "/tmp/test-clitalk.XXXXXX";
	int fd;

	/* A line: decoded in the room's mode, with its line end. */
	free(line(f, "a\\tb"));
	expect_datagram(f, 0, "a\tb\n", 4);
	/* /hex: exact bytes, no line end. */
	free(line(f, "/hex 41 42"));
	expect_datagram(f, 0, "AB", 2);
	/* /file: the file as it is, not decoded, no line end. */
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "x\\ty", 4), 4);
	close(fd);
	{
		char cmd[64];

		snprintf(cmd, sizeof cmd, "/file %s", path);
		free(line(f, cmd));
	}
	unlink(path);
	expect_datagram(f, 0, "x\\ty", 4);
	/* A line that does not decode is said and not sent. */
	free(line(f, "bad\\x"));
	assert_int_equal(f->c.t.tot.sent, 3);
}

static void
test_settings(void **state)
{
	struct fixture *f = *state;
	socklen_t len = sizeof(int);
	char *said;
	int v;

	said = line(f, "/ttl");
	assert_string_equal(said, "ttl default\n");
	free(said);
	said = line(f, "/ttl 7");
	assert_string_equal(said, "ttl 7\n");
	free(said);
	assert_int_equal(f->c.so.ttl, 7);
	assert_int_equal(getsockopt(f->c.fd, IPPROTO_IP, IP_TTL, &v, &len), 0);
	assert_int_equal(v, 7);
	said = line(f, "/tos 16");
	assert_string_equal(said, "tos 16\n");
	free(said);
	assert_int_equal(getsockopt(f->c.fd, IPPROTO_IP, IP_TOS, &v, &len), 0);
	assert_int_equal(v, 16);
	said = line(f, "/wait 0.5");
	assert_string_equal(said, "wait 0.5 s\n");
	free(said);
	assert_true(f->c.wait == 0.5);
	said = line(f, "/wait");
	assert_string_equal(said, "wait 0.5 s\n");
	free(said);
}

static void
test_to(void **state)
{
	struct fixture *f = *state;
	char cmd[64], want[64], *said;
	int fd = f->c.fd;

	said = line(f, "/to");
	snprintf(want, sizeof want, "sending to 127.0.0.1:%u\n", f->port[0]);
	assert_string_equal(said, want);
	free(said);
	snprintf(cmd, sizeof cmd, "/to 127.0.0.1:%u", f->port[1]);
	said = line(f, cmd);
	snprintf(want, sizeof want, "sending to 127.0.0.1:%u\n", f->port[1]);
	assert_string_equal(said, want);
	free(said);
	/* The same descriptor, the new peer, the destination as given. */
	assert_int_equal(f->c.fd, fd);
	assert_int_equal(atoi(f->dest.port), (int)f->port[1]);
	free(line(f, "hi"));
	expect_datagram(f, 1, "hi\n", 3);
	assert_int_equal(recv(f->peer[0], cmd, sizeof cmd, MSG_DONTWAIT), -1);
	assert_int_equal(f->c.t.tot.sent, 1);
	assert_int_equal(f->c.t.n, 2);
	/* /stats names the destination /to gave (in JSON: "target"). */
	f->c.out.json = 1;
	said = line(f, "/stats");
	snprintf(want, sizeof want, "\"target\":\"127.0.0.1:%u\"", f->port[1]);
	assert_non_null(strstr(said, want));
	free(said);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_text, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_settings, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_to, setup, teardown),
	};

	return cmocka_run_group_tests_name("clitalk", tests, NULL, NULL);
}
