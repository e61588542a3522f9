/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for the linefeed module: lines read from a pipe, a last line
 * without a newline, overlong lines, held lines and their release, the
 * wait for them and a socket, and turning a line into a datagram.
 */
#include "config.h"

#include <sys/socket.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "linefeed.h"

struct rec {
	int hold; /* answer LINEFEED_HOLD to lines that are not overlong */
	int n, overlong;
	char got[8][64];
};

static int
rec_line(void *arg, const char *line, size_t len, int overlong)
{
	struct rec *r = arg;

	if (overlong) {
		r->overlong++;
		return LINEFEED_HOLD; /* an overlong line is never held */
	}
	if (r->hold)
		return LINEFEED_HOLD;
	assert_true(r->n < 8 && len < sizeof r->got[0]);
	memcpy(r->got[r->n], line, len);
	r->got[r->n][len] = '\0';
	r->n++;
	return LINEFEED_DONE;
}

struct fx {
	int p[2];
	char line[16];
	struct linefeed lf;
	struct rec r;
};

static void
fx_open(struct fx *f)
{
	memset(f, 0, sizeof *f);
	assert_int_equal(pipe(f->p), 0);
	linefeed_init(
	    &f->lf, f->p[0], f->line, sizeof f->line, rec_line, &f->r);
}

static void
fx_write(struct fx *f, const char *s)
{
	assert_int_equal(write(f->p[1], s, strlen(s)), (ssize_t)strlen(s));
}

static void
fx_close(struct fx *f)
{
	close(f->p[0]);
	if (f->p[1] != -1)
		close(f->p[1]);
}

static void
test_lines(void **state)
{
	struct fx f;

	(void)state;
	fx_open(&f);
	assert_true(linefeed_wanted(&f.lf));
	fx_write(&f, "one\ntwo\r\nthr");
	linefeed_read(&f.lf);
	assert_int_equal(f.r.n, 2);
	assert_string_equal(f.r.got[0], "one\n");
	assert_string_equal(f.r.got[1], "two\r\n");
	fx_write(&f, "ee");
	linefeed_read(&f.lf);
	assert_int_equal(f.r.n, 2);
	/* At the end of input the last line goes without a newline. */
	close(f.p[1]);
	f.p[1] = -1;
	linefeed_read(&f.lf);
	assert_int_equal(f.r.n, 3);
	assert_string_equal(f.r.got[2], "three");
	assert_false(f.lf.open);
	assert_false(linefeed_wanted(&f.lf));
	fx_close(&f);
}

static void
test_overlong(void **state)
{
	struct fx f;

	(void)state;
	fx_open(&f);
	/* 20 bytes do not fit 16: reported, never held; the next line goes. */
	fx_write(&f, "aaaaaaaaaaaaaaaaaaa\nok\nbbbbbbbbbbbbbbbbbbbbbbbb");
	linefeed_read(&f.lf);
	assert_int_equal(f.r.overlong, 1);
	assert_int_equal(f.r.n, 1);
	assert_string_equal(f.r.got[0], "ok\n");
	assert_false(f.lf.held);
	/* An overlong last line without a newline is dropped unsaid. */
	close(f.p[1]);
	f.p[1] = -1;
	linefeed_read(&f.lf);
	assert_int_equal(f.r.overlong, 1);
	assert_int_equal(f.r.n, 1);
	fx_close(&f);
}

static void
test_hold(void **state)
{
	struct fx f;

	(void)state;
	fx_open(&f);
	f.r.hold = 1;
	fx_write(&f, "a\nb\nc\n");
	linefeed_read(&f.lf);
	assert_true(f.lf.held);
	assert_int_equal(f.r.n, 0);
	/* Reading stops while a line is held; the rest stays read ahead. */
	assert_false(linefeed_wanted(&f.lf));
	/* Still nobody: the line stays held. */
	linefeed_release(&f.lf);
	assert_true(f.lf.held);
	f.r.hold = 0;
	linefeed_release(&f.lf);
	assert_false(f.lf.held);
	assert_int_equal(f.r.n, 3);
	assert_string_equal(f.r.got[0], "a\n");
	assert_string_equal(f.r.got[2], "c\n");
	assert_true(linefeed_wanted(&f.lf));
	/* Releasing with nothing held does nothing. */
	linefeed_release(&f.lf);
	assert_int_equal(f.r.n, 3);
	fx_close(&f);
}

static void
test_poll(void **state)
{
	struct fx f;
	int i, sp[2];

	(void)state;
	fx_open(&f);
	assert_int_equal(socketpair(AF_UNIX, SOCK_DGRAM, 0, sp), 0);
	/* Nothing anywhere: the time runs out. */
	assert_int_equal(linefeed_poll(&f.lf, sp[0], 10), 0);
	/* A line and no datagram: the line is read, fd is not ready. */
	fx_write(&f, "a\n");
	assert_int_equal(linefeed_poll(&f.lf, sp[0], 1000), 0);
	assert_int_equal(f.r.n, 1);
	assert_string_equal(f.r.got[0], "a\n");
	assert_int_equal(write(sp[1], "x", 1), 1);
	assert_int_equal(linefeed_poll(&f.lf, sp[0], 1000), 1);
	/* A held line stops reading: fd alone is waited for. */
	f.r.hold = 1;
	fx_write(&f, "b\n");
	assert_int_equal(linefeed_poll(&f.lf, sp[0], 1000), 1);
	assert_true(f.lf.held);
	fx_write(&f, "c\n");
	assert_int_equal(recv(sp[0], f.line, 1, 0), 1);
	assert_int_equal(linefeed_poll(&f.lf, sp[0], 10), 0);
	assert_int_equal(f.r.n, 1);
	/* The end of input is read too, and then only fd is waited for. */
	f.r.hold = 0;
	linefeed_release(&f.lf);
	close(f.p[1]);
	f.p[1] = -1;
	for (i = 0; i < 3 && linefeed_wanted(&f.lf); i++)
		assert_int_equal(linefeed_poll(&f.lf, sp[0], 1000), 0);
	assert_false(linefeed_wanted(&f.lf));
	assert_int_equal(f.r.n, 3);
	assert_int_equal(linefeed_poll(&f.lf, -1, 10), 0);
	close(sp[0]);
	close(sp[1]);
	fx_close(&f);
}

static void
test_hold_at_end(void **state)
{
	struct fx f;

	(void)state;
	fx_open(&f);
	f.r.hold = 1;
	fx_write(&f, "last");
	close(f.p[1]);
	f.p[1] = -1;
	linefeed_read(&f.lf);
	linefeed_read(&f.lf);
	assert_true(f.lf.held);
	assert_false(f.lf.open);
	f.r.hold = 0;
	linefeed_release(&f.lf);
	assert_int_equal(f.r.n, 1);
	assert_string_equal(f.r.got[0], "last");
	fx_close(&f);
}

static void
test_datagram(void **state)
{
	uint8_t out[8];
	char err[PAYLOAD_ERRLEN];

	(void)state;
	assert_int_equal(linefeed_datagram("hi\r\n", 4, PAYLOAD_TEXT, NULL, out,
			     sizeof out, err, sizeof err),
	    2);
	assert_memory_equal(out, "hi", 2);
	assert_int_equal(linefeed_datagram("hi\n", 3, PAYLOAD_TEXT, "\r\n", out,
			     sizeof out, err, sizeof err),
	    4);
	assert_memory_equal(out, "hi\r\n", 4);
	assert_int_equal(linefeed_datagram("de ad\n", 6, PAYLOAD_HEX, "\n", out,
			     sizeof out, err, sizeof err),
	    3);
	assert_memory_equal(out, "\xde\xad\n", 3);
	/* The line end must fit too. */
	assert_int_equal(linefeed_datagram("1234567\n", 8, PAYLOAD_TEXT, "\r\n",
			     out, sizeof out, err, sizeof err),
	    -1);
	assert_non_null(strstr(err, "line end"));
	assert_int_equal(linefeed_datagram("zz", 2, PAYLOAD_HEX, NULL, out,
			     sizeof out, err, sizeof err),
	    -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lines),
	    cmocka_unit_test(test_overlong),
	    cmocka_unit_test(test_hold),
	    cmocka_unit_test(test_poll),
	    cmocka_unit_test(test_hold_at_end),
	    cmocka_unit_test(test_datagram),
	};

	return cmocka_run_group_tests_name("linefeed", tests, NULL, NULL);
}
