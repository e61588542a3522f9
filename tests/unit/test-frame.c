/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for the frame module: records of a stream read as it comes
 * through a pipe, a CRLF line's \r dropped only when asked and only for
 * lines, end of input, a record over the limit, and records made into
 * datagrams.
 */
#include "config.h"

#include <sys/types.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "frame.h"
#include "payload.h"

struct fx {
	int fd[2];
	struct frame_in fi;
};

static int
setup(void **state)
{
	struct fx *x = calloc(1, sizeof *x);

	if (x == NULL || pipe(x->fd) == -1)
		return -1;
	*state = x;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *x = *state;

	if (x->fd[1] != -1)
		close(x->fd[1]);
	close(x->fd[0]);
	frame_in_free(&x->fi);
	free(x);
	return 0;
}

static void
start(struct fx *x, const char *spec, size_t limit, int strip_cr)
{
	struct payload_frame f;
	char err[PAYLOAD_ERRLEN];

	assert_int_equal(
	    payload_frame_parse(spec, limit, &f, err, sizeof err), 0);
	assert_int_equal(frame_in_init(&x->fi, &f, strip_cr), 0);
}

static void
feed(struct fx *x, const void *buf, size_t len)
{
	assert_int_equal(write(x->fd[1], buf, len), (ssize_t)len);
	assert_int_equal(frame_in_read(&x->fi, x->fd[0]), (ssize_t)len);
}

static void
end(struct fx *x)
{
	close(x->fd[1]);
	x->fd[1] = -1;
	assert_int_equal(frame_in_read(&x->fi, x->fd[0]), 0);
	assert_true(x->fi.eof);
}

/* The next record must be want (wantlen bytes); it is consumed. */
static void
expect_record(struct fx *x, const char *want, size_t wantlen)
{
	char err[PAYLOAD_ERRLEN];
	const uint8_t *rec;
	size_t len;

	assert_int_equal(frame_in_next(&x->fi, &rec, &len, err, sizeof err), 1);
	assert_int_equal(len, wantlen);
	assert_memory_equal(rec, want, wantlen);
	frame_in_consume(&x->fi);
}

static void
expect_none(struct fx *x)
{
	char err[PAYLOAD_ERRLEN];
	const uint8_t *rec;
	size_t len;

	assert_int_equal(frame_in_next(&x->fi, &rec, &len, err, sizeof err), 0);
}

static void
test_lines_strip_cr(void **state)
{
	struct fx *x = *state;

	start(x, "line", 100, 1);
	feed(x, "a\r\nb\n\r\nc\r\r", 10);
	expect_record(x, "a", 1);
	expect_record(x, "b", 1);
	expect_record(x, "", 0);
	/* The last line lacks its new line: still one \r less. */
	expect_none(x);
	end(x);
	expect_record(x, "c\r", 2);
	expect_none(x);
}

static void
test_lines_keep_cr(void **state)
{
	struct fx *x = *state;

	start(x, "line", 100, 0);
	feed(x, "a\r\nb\n", 5);
	expect_record(x, "a\r", 2);
	expect_record(x, "b", 1);
	expect_none(x);
}

static void
test_nul_keeps_cr(void **state)
{
	struct fx *x = *state;

	/* Only lines have a line end to replace. */
	start(x, "nul", 100, 1);
	feed(x, "x\r\0y\r", 5);
	expect_record(x, "x\r", 2);
	end(x);
	expect_record(x, "y\r", 2);
}

static void
test_incremental(void **state)
{
	struct fx *x = *state;

	start(x, "size:4", 100, 1);
	feed(x, "ab", 2);
	expect_none(x);
	feed(x, "c\rdefg", 6);
	expect_record(x, "abc\r", 4);
	expect_record(x, "defg", 4);
	expect_none(x);
	end(x);
	expect_none(x);
}

static void
test_too_long(void **state)
{
	struct fx *x = *state;
	char err[PAYLOAD_ERRLEN];
	const uint8_t *rec;
	size_t len;

	start(x, "line", 4, 1);
	assert_int_equal(x->fi.cap, 5);
	feed(x, "abcde", 5);
	assert_int_equal(
	    frame_in_next(&x->fi, &rec, &len, err, sizeof err), -1);
	assert_non_null(strstr(err, "line longer than 4 bytes"));
}

static void
test_build(void **state)
{
	static uint8_t out[PAYLOAD_MAX];
	static uint8_t big[PAYLOAD_MAX];
	struct frame_shape sh = {1, PAYLOAD_ESCAPES, "\r\n", -1};
	char err[PAYLOAD_ERRLEN];
	size_t len;

	(void)state;
	assert_int_equal(frame_build(&sh, (const uint8_t *)"a\\tb", 4, out,
			     &len, err, sizeof err),
	    0);
	assert_int_equal(len, 5);
	assert_memory_equal(out, "a\tb\r\n", 5);
	/* Copied as it is, then padded after the line end. */
	sh.decode = 0;
	sh.eol = "\n";
	sh.size = 6;
	assert_int_equal(frame_build(&sh, (const uint8_t *)"a\\t", 3, out, &len,
			     err, sizeof err),
	    0);
	assert_int_equal(len, 6);
	/* The pattern runs on from where the datagram ends. */
	assert_memory_equal(out, "a\\t\nef", 6);
	/* Too long with its line end, or for its --size. */
	sh.size = -1;
	memset(big, 'x', sizeof big);
	assert_int_equal(
	    frame_build(&sh, big, sizeof big, out, &len, err, sizeof err), -1);
	assert_non_null(strstr(err, "65535 bytes and the line end exceed"));
	sh.size = 2;
	assert_int_equal(frame_build(&sh, (const uint8_t *)"abc", 3, out, &len,
			     err, sizeof err),
	    -1);
	sh.decode = 1;
	sh.mode = PAYLOAD_HEX;
	sh.size = -1;
	assert_int_equal(frame_build(&sh, (const uint8_t *)"zz", 2, out, &len,
			     err, sizeof err),
	    -1);
}

/* A command line's words: joined, decoded, padded; or the padding alone. */
static void
test_message(void **state)
{
	static uint8_t out[PAYLOAD_MAX];
	const char *words[] = {"@@x", "a\\tb", "c"};
	char err[PAYLOAD_ERRLEN];

	(void)state;
	assert_int_equal(
	    frame_message(3, words, PAYLOAD_ESCAPES, -1, out, err, sizeof err),
	    8);
	assert_memory_equal(out, "@x a\tb c", 8);
	/* Padded after the words, the pattern running on. */
	assert_int_equal(
	    frame_message(1, words + 2, PAYLOAD_TEXT, 4, out, err, sizeof err),
	    4);
	assert_memory_equal(out, "cbcd", 4);
	/* No words: --size alone generates the payload. */
	assert_int_equal(
	    frame_message(0, NULL, PAYLOAD_TEXT, 3, out, err, sizeof err), 3);
	assert_memory_equal(out, "abc", 3);
	assert_int_equal(
	    frame_message(0, NULL, PAYLOAD_TEXT, -1, out, err, sizeof err), 0);
	/* Longer than --size, or not hex. */
	err[0] = '\0';
	assert_int_equal(
	    frame_message(3, words, PAYLOAD_TEXT, 2, out, err, sizeof err), -1);
	assert_true(err[0] != '\0');
	err[0] = '\0';
	assert_int_equal(
	    frame_message(1, words + 1, PAYLOAD_HEX, -1, out, err, sizeof err),
	    -1);
	assert_true(err[0] != '\0');
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
		test_lines_strip_cr, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_lines_keep_cr, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_nul_keeps_cr, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_incremental, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_too_long, setup, teardown),
	    cmocka_unit_test(test_build),
	    cmocka_unit_test(test_message),
	};

	return cmocka_run_group_tests_name("frame", tests, NULL, NULL);
}
