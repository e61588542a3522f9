/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for the answer module: lines, files and datagrams sent over
 * loopback to the fixed peer or the sender, what each failure counts, the
 * fixed peer set by address, the start state, the note on lines never sent,
 * the answering prompt run over piped input, and --pcap records.
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "addr.h"
#include "answer.h"
#include "linefeed.h"
#include "sendline.h"
#include "talk.h"
#include "sock.h"
#include "fdtext.h"
#include "stdinpipe.h"

struct fx {
	struct answer a;
	struct sockaddr_in peer;
	int pfd; /* the peer's socket */
};

/* Returns a UDP socket on 127.0.0.1 and a free port, as listen opens one. */
static int
server(struct sockaddr_in *sin)
{
	struct addr_spec spec;
	socklen_t len = sizeof *sin;
	char err[ADDR_ERRLEN];
	int fd;

	assert_int_equal(
	    addr_parse("127.0.0.1:0", ADDR_F_SERVER, &spec, err, sizeof err),
	    0);
	fd = sock_udp_server(&spec, AF_INET, 0, err, sizeof err);
	assert_true(fd >= 0);
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
	f->a.fd = server(&self);
	f->pfd = server(&f->peer);
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

static void
test_set_to(void **state)
{
	struct fx *f = *state;
	struct addr_spec spec;
	char err[ADDR_ERRLEN], text[32], got[16];

	snprintf(text, sizeof text, "127.0.0.1:%d", ntohs(f->peer.sin_port));
	assert_int_equal(addr_parse(text, 0, &spec, err, sizeof err), 0);
	assert_int_equal(answer_set_to(&f->a, &spec, text), 0);
	assert_int_equal(f->a.peer.tolen, sizeof f->peer);
	answer_text(&f->a, "to\n", 3, PAYLOAD_TEXT, NULL);
	assert_int_equal(peer_recv(f, got, sizeof got), 2);
	assert_string_equal(got, "to");
	/* An IPv6 peer for an IPv4 socket: refused, the peer stays. */
	assert_int_equal(addr_parse("[::1]:9", 0, &spec, err, sizeof err), 0);
	assert_int_equal(answer_set_to(&f->a, &spec, "[::1]:9"), -1);
	assert_int_equal(f->a.peer.tolen, sizeof f->peer);
	assert_int_equal(f->a.peer.to.ss_family, AF_INET);
	/* As text: what does not parse is EINVAL, the peer stays. */
	assert_int_equal(answer_set_to_text(&f->a, "127.0.0.1:99999"), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(f->a.peer.tolen, sizeof f->peer);
	f->a.peer.tolen = 0;
	assert_int_equal(answer_set_to_text(&f->a, text), 0);
	answer_text(&f->a, "again\n", 6, PAYLOAD_TEXT, NULL);
	assert_int_equal(peer_recv(f, got, sizeof got), 5);
	assert_string_equal(got, "again");
}

static void
test_ttl_tos(void **state)
{
	struct fx *f = *state;
	socklen_t len = sizeof(int);
	int v = 0;

	f->a.ttl = f->a.tos = -1;
	answer_ttl_tos(&f->a, 0, 1, 0);
	assert_int_equal(f->a.ttl, -1);
	answer_ttl_tos(&f->a, 0, 0, 7);
	assert_int_equal(f->a.ttl, 7);
	assert_int_equal(getsockopt(f->a.fd, IPPROTO_IP, IP_TTL, &v, &len), 0);
	assert_int_equal(v, 7);
	answer_ttl_tos(&f->a, 1, 0, 0x10);
	assert_int_equal(f->a.tos, 0x10);
	/* A TTL the kernel refuses leaves the one set before. */
	answer_ttl_tos(&f->a, 0, 0, 300);
	assert_int_equal(f->a.ttl, 7);
}

/* The meta of a datagram from the peer, as sock_recv_meta() fills it. */
static void
peer_meta(struct fx *f, struct sock_meta *m)
{
	memset(m, 0, sizeof *m);
	memcpy(&m->from, &f->peer, sizeof f->peer);
	m->fromlen = sizeof f->peer;
}

static void
test_piped_line(void **state)
{
	struct fx *f = *state;
	struct sock_meta m;
	char got[16];

	f->a.mode = PAYLOAD_HEX;
	f->a.eol = NULL;
	/* Nobody to answer: held, not counted, not sent. */
	assert_int_equal(answer_piped_line(&f->a, "41\n", 3, 0), LINEFEED_HOLD);
	assert_int_equal(f->a.lines, 0);
	assert_int_equal(f->a.senderr, 0);
	/* An overlong line is dropped and counted even then. */
	assert_int_equal(answer_piped_line(&f->a, "", 0, 1), LINEFEED_DONE);
	assert_int_equal(f->a.lines, 1);
	assert_int_equal(f->a.badlines, 1);
	/* The first sender takes the held line, in the answer's mode. */
	peer_meta(f, &m);
	f->a.quiet = 1;
	answer_track(&f->a, &m, 1);
	assert_int_equal(answer_piped_line(&f->a, "41\n", 3, 0), LINEFEED_DONE);
	assert_int_equal(f->a.lines, 2);
	assert_int_equal(peer_recv(f, got, sizeof got), 1);
	assert_string_equal(got, "A");
	assert_int_equal(f->a.sent, 1);
}

static void
test_talk_ops(void **state)
{
	struct fx *f = *state;
	struct talk_ops ops;
	struct sendline c;
	char got[16];

	memset(&ops, 0, sizeof ops);
	answer_talk_ops(&ops);
	assert_null(ops.wait);
	assert_null(ops.stats);
	fixed_peer(f);
	f->a.eol = "\r\n";
	ops.typed(&f->a);
	assert_int_equal(f->a.lines, 1);
	/* A line gets the line end; /hex spells exact bytes. */
	ops.text(&f->a, "hi", 2, 0);
	assert_int_equal(peer_recv(f, got, sizeof got), 4);
	assert_string_equal(got, "hi\r\n");
	ops.text(&f->a, "41 42", 5, 1);
	assert_int_equal(peer_recv(f, got, sizeof got), 2);
	assert_string_equal(got, "AB");
	/* /repeat fixes its datagram and target when typed. */
	memset(&c, 0, sizeof c);
	c.arg = "rep";
	c.arglen = 3;
	assert_int_equal(ops.repeat_load(&f->a, &c), 0);
	assert_int_equal(ops.repeat_send(&f->a), 0);
	assert_int_equal(ops.repeat_send(&f->a), 0);
	assert_int_equal(peer_recv(f, got, sizeof got), 5);
	assert_string_equal(got, "rep\r\n");
	assert_int_equal(peer_recv(f, got, sizeof got), 5);
	assert_int_equal(f->a.sent, 4);
	/* /to with no address: back to the sender, of whom there is none. */
	c.reset = 1;
	ops.to(&f->a, &c);
	assert_int_equal(f->a.peer.tolen, 0);
	assert_int_equal(ops.repeat_load(&f->a, &c), -1);
	assert_int_equal(f->a.senderr, 1);
}

static void
test_track(void **state)
{
	struct fx *f = *state;
	struct sock_meta m, other;
	char got[16];

	peer_meta(f, &m);
	other = m;
	((struct sockaddr_in *)&other.from)->sin_port = htons(9);
	f->a.peer.lock = 1;
	answer_track(&f->a, &m, 1);
	answer_track(&f->a, &other, 1);
	/* Locked: answers go to the first sender, not the latest one. */
	answer_text(&f->a, "x\n", 2, PAYLOAD_TEXT, NULL);
	assert_int_equal(peer_recv(f, got, sizeof got), 1);
	assert_string_equal(got, "x");
	/* Without a prompt the prompt is left alone. */
	answer_set_prompt(&f->a);
	assert_string_equal(f->a.prompt_text, "");
}

static void
test_init(void **state)
{
	struct payload_lines l = {PAYLOAD_HEX, 1, "\r\n"};
	struct fx *f = *state;
	int owner, fd = f->a.fd;

	f->a.sent = 3;
	answer_init(&f->a, &l, 1, 1, &owner);
	assert_int_equal(f->a.fd, -1);
	assert_int_equal(f->a.ttl, -1);
	assert_int_equal(f->a.tos, -1);
	assert_int_equal(f->a.peer.lock, 1);
	assert_int_equal(f->a.mode, PAYLOAD_HEX);
	assert_string_equal(f->a.eol, "\r\n");
	assert_int_equal(f->a.quiet, 1);
	assert_ptr_equal(f->a.owner, &owner);
	assert_int_equal(f->a.sent, 0);
	assert_null(f->a.prompt);
	assert_null(f->a.cap);
	f->a.fd = fd; /* for teardown to close */
}

struct piped_end {
	const struct answer *a;
	const struct linefeed *lf;
};

static void
piped_end_call(void *arg)
{
	struct piped_end *pe = arg;

	answer_piped_end(pe->a, pe->lf);
}

static void
test_piped_end(void **state)
{
	struct fx *f = *state;
	struct linefeed lf;
	struct piped_end pe = {&f->a, &lf};
	char *text;

	memset(&lf, 0, sizeof lf);
	f->a.lines = 2;
	text = fdtext_run(stderr, piped_end_call, &pe);
	assert_string_equal(text, "");
	free(text);
	lf.held = 1;
	text = fdtext_run(stderr, piped_end_call, &pe);
	assert_non_null(strstr(
	    text, "line 3 and the lines after it not sent: no sender came\n"));
	free(text);
}

/* The answering prompt over piped input: each line one datagram. */
static void
test_talk_run(void **state)
{
	struct fx *f = *state;
	struct talk_config cfg;
	struct talk_ops ops;
	struct talk t;
	char got[16];
	int saved;

	answer_talk_config(&f->a, &cfg, &ops);
	assert_int_equal(cfg.room, TALK_LISTEN);
	assert_string_equal(cfg.history, "listen-history");
	assert_int_equal(cfg.fd, f->a.fd);
	assert_int_equal(cfg.send_empty, 1);
	assert_ptr_equal(cfg.ops, &ops);
	assert_ptr_equal(cfg.arg, &f->a);
	assert_non_null(ops.text);
	assert_null(ops.wait);
	assert_null(ops.on_ready);
	/* No history file from a test. */
	cfg.history = NULL;
	fixed_peer(f);
	saved = stdinpipe_begin("hi\n\n");
	assert_int_equal(answer_talk_run(&f->a, &t, &cfg), 0);
	stdinpipe_end(saved);
	assert_null(f->a.prompt);
	assert_int_equal(f->a.lines, 2);
	assert_int_equal(peer_recv(f, got, sizeof got), 2);
	assert_string_equal(got, "hi");
	/* An empty line is an empty datagram. */
	assert_int_equal(peer_recv(f, got, sizeof got), 0);
	assert_int_equal(f->a.sent, 2);
}

/* --pcap: a datagram received is recorded, and nothing without a file. */
static void
test_record_in(void **state)
{
	struct fx *f = *state;
	struct sock_meta m;
	char path[] = "/tmp/test-answer-XXXXXX";
	uint64_t rec, lost;
	int fd;

	peer_meta(f, &m);
	answer_record_in(&f->a, &m, "x", 1);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	f->a.cap = capture_open_socket(path, "listen", f->a.fd);
	assert_non_null(f->a.cap);
	answer_record_in(&f->a, &m, "x", 1);
	m.has_ts = 1;
	answer_record_in(&f->a, &m, "yz", 2);
	capture_counts(f->a.cap, &rec, &lost);
	assert_int_equal(rec, 2);
	assert_int_equal(lost, 0);
	assert_int_equal(capture_close(f->a.cap), 0);
	f->a.cap = NULL;
	unlink(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_nobody, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_text, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_file, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_send_error, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_set_to, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_ttl_tos, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_piped_line, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_talk_ops, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_track, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_init, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_piped_end, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_talk_run, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_record_in, setup, teardown),
	};

	return cmocka_run_group_tests_name("answer", tests, NULL, NULL);
}
