/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for the show module: a datagram's fields from its metadata,
 * the tally and its summary fields, top senders, kernel drop reports, and
 * a datagram counted and written.
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

#include <cmocka.h>

#include "sockaddr.h"

#include "show.h"
#include "fdtext.h"

struct buf {
	char *data;
	size_t size;
	FILE *fp;
};

static void
buf_open(struct buf *b)
{
	memset(b, 0, sizeof *b);
	b->fp = open_memstream(&b->data, &b->size);
	assert_non_null(b->fp);
}

static const char *
buf_text(struct buf *b)
{
	fflush(b->fp);
	return b->data;
}

static void
buf_close(struct buf *b)
{
	fclose(b->fp);
	free(b->data);
}

static void
meta4(struct sock_meta *m, const char *host, int port, size_t len)
{
	memset(m, 0, sizeof *m);
	sin4((struct sockaddr_in *)&m->from, host, (uint16_t)port);
	m->fromlen = sizeof(struct sockaddr_in);
	m->len = len;
	m->ttl = 64;
	m->tos = 16;
}

static void
test_fill(void **state)
{
	struct sock_meta m;
	struct out_dgram d;

	(void)state;
	meta4(&m, "192.0.2.1", 4000, 100);
	m.truncated = 1;
	show_fill(&d, "datagram", &m, 40, 0, 1);
	assert_string_equal(d.event, "datagram");
	assert_ptr_equal(d.from, &m.from);
	assert_int_equal(d.fromlen, sizeof(struct sockaddr_in));
	assert_null(d.to);
	assert_null(d.ts);
	assert_int_equal(d.ttl, -1);
	assert_int_equal(d.tos, -1);
	assert_int_equal(d.len, 100);
	assert_int_equal(d.caplen, 40);
	assert_int_equal(d.truncated, 1);
	assert_true(d.rtt_ms < 0);
	assert_int_equal(d.numeric_time, 1);

	/* With meta: TTL and TOS; a local address and a time when known. */
	m.tolen = sizeof(struct sockaddr_in);
	m.has_ts = 1;
	show_fill(&d, "reply", &m, 100, 1, 0);
	assert_string_equal(d.event, "reply");
	assert_ptr_equal(d.to, &m.to);
	assert_ptr_equal(d.ts, &m.ts);
	assert_int_equal(d.ttl, 64);
	assert_int_equal(d.tos, 16);
	assert_int_equal(d.numeric_time, 0);
}

static void
test_tally(void **state)
{
	struct show_tally t;
	struct sock_meta m;
	char err[128];

	(void)state;
	memset(&t, 0, sizeof t);
	assert_int_equal(srctab_init(&t.tab, 16, 1, err, sizeof err), 0);
	meta4(&m, "192.0.2.1", 4000, 10);
	assert_int_equal(show_tally_add(&t, &m), 0);
	/* The same address from another port is another sender. */
	meta4(&m, "192.0.2.1", 4001, 20);
	m.truncated = 1;
	m.has_drops = 1;
	m.drops = 3;
	assert_int_equal(show_tally_add(&t, &m), 3);
	/* The same running count again: nothing new dropped. */
	assert_int_equal(show_tally_add(&t, &m), 0);
	m.drops = 5;
	assert_int_equal(show_tally_add(&t, &m), 2);
	assert_int_equal(t.dgrams, 4);
	assert_int_equal(t.bytes, 70);
	assert_int_equal(t.truncated, 3);
	assert_int_equal(t.kdrops, 5);
	assert_int_equal(t.tab.inserted, 2);
	/* The socket's count only ever raises what the datagrams said. */
	show_tally_kernel(&t, -1);
	show_tally_kernel(&t, 4);
	assert_int_equal(t.kdrops, 5);
	show_tally_kernel(&t, 9);
	assert_int_equal(t.kdrops, 9);
	srctab_free(&t.tab);
}

static void
summary(struct show_tally *t, int json, struct buf *b)
{
	struct out o;

	buf_open(b);
	out_init(&o, b->fp, json);
	out_obj_open(&o, NULL);
	show_tally_fields(&o, t, "--rcvbuf");
	out_text(&o, "\n");
	show_top_senders(&o, &t->tab, 5);
	out_obj_close(&o);
}

static void
test_summary(void **state)
{
	struct show_tally t;
	struct sock_meta m;
	struct buf b;
	char err[128];
	int i;

	(void)state;
	memset(&t, 0, sizeof t);
	assert_int_equal(srctab_init(&t.tab, 16, 1, err, sizeof err), 0);
	meta4(&m, "192.0.2.1", 4000, 1);
	show_tally_add(&t, &m);
	meta4(&m, "192.0.2.2", 53, 5);
	for (i = 0; i < 2; i++)
		show_tally_add(&t, &m);
	summary(&t, 0, &b);
	assert_string_equal(buf_text(&b),
	    "3 datagrams (11 bytes) from 2 senders, 0 truncated\n"
	    "  top sender 192.0.2.2:53: 2 datagrams, 10 bytes\n"
	    "  top sender 192.0.2.1:4000: 1 datagram, 1 byte\n");
	buf_close(&b);
	summary(&t, 1, &b);
	assert_string_equal(buf_text(&b),
	    "{\"received\":3,\"received_bytes\":11,\"senders\":2,"
	    "\"truncated\":0,\"kernel_drops\":0,\"top_senders\":["
	    "{\"address\":\"192.0.2.2:53\",\"received\":2,"
	    "\"received_bytes\":10},"
	    "{\"address\":\"192.0.2.1:4000\",\"received\":1,"
	    "\"received_bytes\":1}]}\n");
	buf_close(&b);
	/* Kernel drops are named in text only when there were some. */
	show_tally_kernel(&t, 1);
	summary(&t, 0, &b);
	assert_non_null(strstr(buf_text(&b),
	    ", 0 truncated, 1 dropped by the kernel (receive buffer full: "
	    "raise --rcvbuf)\n"));
	buf_close(&b);
	srctab_free(&t.tab);
}

/* Starts t with one datagram from 192.0.2.1:4000, described in m. */
static void
tally_one(struct show_tally *t, struct sock_meta *m)
{
	char err[128];

	memset(t, 0xff, sizeof *t);
	assert_int_equal(show_tally_init(t, 16, err, sizeof err), 0);
	assert_int_equal(t->dgrams + t->bytes + t->truncated + t->kdrops, 0);
	assert_int_equal(t->tab.inserted, 0);
	meta4(m, "192.0.2.1", 4000, 1);
	show_tally_add(t, m);
}

/* A summary with a field of the caller's between the tally and the top. */
static void
test_summary_begin_end(void **state)
{
	struct show_tally t;
	struct sock_meta m;
	struct buf b;
	struct out o;

	(void)state;
	tally_one(&t, &m);
	buf_open(&b);
	show_summary_begin(&o, b.fp, 0, "x: summary: ", &t, "--rcvbuf");
	out_uint(&o, "sent", ", %llu sent", 7);
	show_summary_end(&o, &t, 5);
	assert_string_equal(buf_text(&b),
	    "x: summary: 1 datagram (1 byte) from 1 sender, 0 truncated, "
	    "7 sent\n"
	    "  top sender 192.0.2.1:4000: 1 datagram, 1 byte\n");
	buf_close(&b);
	buf_open(&b);
	show_summary_begin(&o, b.fp, 1, "x: summary: ", &t, "--rcvbuf");
	out_uint(&o, "sent", ", %llu sent", 7);
	show_summary_end(&o, &t, 0);
	/* The event carries the time it was written: only its name is fixed. */
	assert_int_equal(
	    strncmp(buf_text(&b), "{\"type\":\"summary\",\"time\":", 25), 0);
	assert_non_null(strstr(buf_text(&b),
	    ",\"received\":1,\"received_bytes\":1,\"senders\":1,"
	    "\"truncated\":0,\"kernel_drops\":0,\"sent\":7,"
	    "\"top_senders\":[]}\n"));
	buf_close(&b);
	srctab_free(&t.tab);
}

/* One datagram counted and written, after the drops it reveals. */
static void
test_datagram(void **state)
{
	struct show_style st = {OUT_FMT_JSON, 1, 0, "x: ", "--rcvbuf"};
	struct show_tally t;
	struct sock_meta m;
	struct buf b;
	struct out o;
	const char *s, *d;

	(void)state;
	tally_one(&t, &m);
	buf_open(&b);
	out_init(&o, b.fp, 1);
	m.len = 2;
	m.has_drops = 1;
	m.drops = 3;
	show_datagram(&o, &t, &st, (const uint8_t *)"hi", 2, &m);
	s = buf_text(&b);
	assert_int_equal(t.dgrams, 2);
	assert_int_equal(t.bytes, 3);
	assert_int_equal(t.kdrops, 3);
	assert_int_equal(
	    strncmp(s, "{\"type\":\"kernel_drops\",\"time\":", 25), 0);
	assert_non_null(strstr(s, "\"dropped\":3,\"kernel_drops\":3}\n"));
	d = strstr(s, "}\n{\"type\":\"datagram\"");
	assert_non_null(d);
	assert_non_null(strstr(d, "\"from\":\"192.0.2.1:4000\""));
	assert_non_null(strstr(d, "\"ttl\":64"));
	assert_non_null(strstr(d, "\"text\":\"hi\""));
	buf_close(&b);
	/* Known drops are not reported again; without meta, no TTL. */
	buf_open(&b);
	out_init(&o, b.fp, 1);
	st.meta = 0;
	show_datagram(&o, &t, &st, (const uint8_t *)"hi", 2, &m);
	s = buf_text(&b);
	assert_int_equal(strncmp(s, "{\"type\":\"datagram\"", 18), 0);
	assert_null(strstr(s, "ttl"));
	assert_int_equal(t.dgrams, 3);
	buf_close(&b);
	srctab_free(&t.tab);
}

struct summary_open {
	const struct show_style *st;
	struct show_tally *t;
};

static void
summary_open_call(void *arg)
{
	struct summary_open *so = arg;
	struct out o;

	show_summary_open(&o, so->st, so->t, 4);
	show_summary_end(&o, so->t, 5);
}

/* A summary in a receiver's style: text on stderr, after the prefix. */
static void
test_summary_open(void **state)
{
	struct show_style st = {OUT_FMT_TEXT, 0, 0, "x: ", "--rcvbuf"};
	struct show_tally t;
	struct summary_open so = {&st, &t};
	struct sock_meta m;
	char *text;

	(void)state;
	tally_one(&t, &m);
	text = fdtext_run(stderr, summary_open_call, &so);
	assert_int_equal(t.kdrops, 4);
	assert_string_equal(text,
	    "x: summary: 1 datagram (1 byte) from 1 sender, 0 truncated, "
	    "4 dropped by the kernel (receive buffer full: raise --rcvbuf)\n"
	    "  top sender 192.0.2.1:4000: 1 datagram, 1 byte\n");
	free(text);
	srctab_free(&t.tab);
}

static void
test_kernel_drops(void **state)
{
	struct buf b;
	const char *s;

	(void)state;
	buf_open(&b);
	show_kernel_drops(b.fp, 0, "udptool: listen: ", "--rcvbuf", 1, 7);
	assert_string_equal(buf_text(&b),
	    "udptool: listen: the kernel dropped 1 datagram before the next "
	    "one (receive buffer full: raise --rcvbuf)\n");
	buf_close(&b);
	buf_open(&b);
	show_kernel_drops(b.fp, 1, "udptool: listen: ", "--rcvbuf", 3, 7);
	s = buf_text(&b);
	assert_true(
	    strncmp(s, "{\"type\":\"kernel_drops\",\"time\":\"", 31) == 0);
	assert_non_null(strstr(s, ",\"dropped\":3,\"kernel_drops\":7}\n"));
	assert_null(strstr(s, "udptool"));
	buf_close(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fill),
	    cmocka_unit_test(test_tally),
	    cmocka_unit_test(test_summary),
	    cmocka_unit_test(test_summary_begin_end),
	    cmocka_unit_test(test_datagram),
	    cmocka_unit_test(test_summary_open),
	    cmocka_unit_test(test_kernel_drops),
	};

	return cmocka_run_group_tests_name("show", tests, NULL, NULL);
}
