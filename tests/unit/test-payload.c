/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for the payload module: every escape, hex with separators,
 * errors naming positions, @FILE bounds, padding and stdin framing.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/types.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "payload.h"

struct dec {
	const char *in;
	enum payload_mode mode;
	const char *out;
	size_t outlen;
};

static const struct dec decs[] = {
    {"hello", PAYLOAD_TEXT, "hello", 5},
    {"", PAYLOAD_TEXT, "", 0},
    {"a\\nb", PAYLOAD_TEXT, "a\\nb", 4},
    {"", PAYLOAD_ESCAPES, "", 0},
    {"plain", PAYLOAD_ESCAPES, "plain", 5},
    {"a\\nb", PAYLOAD_ESCAPES, "a\nb", 3},
    {"\\t\\r\\n", PAYLOAD_ESCAPES, "\t\r\n", 3},
    {"\\0", PAYLOAD_ESCAPES, "\0", 1},
    {"a\\0b", PAYLOAD_ESCAPES, "a\0b", 3},
    {"\\\\", PAYLOAD_ESCAPES, "\\", 1},
    {"\\x41\\x7e", PAYLOAD_ESCAPES, "A~", 2},
    {"\\xff", PAYLOAD_ESCAPES, "\xff", 1},
    {"\\xFf", PAYLOAD_ESCAPES, "\xff", 1},
    {"\\x4g", PAYLOAD_ESCAPES, "\x04g", 2},
    {"\\x414", PAYLOAD_ESCAPES, "A4", 2},
    {"\\101\\12", PAYLOAD_ESCAPES, "A\n", 2},
    {"\\377", PAYLOAD_ESCAPES, "\xff", 1},
    {"\\0101", PAYLOAD_ESCAPES,
	"\x08"
	"1",
	2},
    {"\\a\\b\\e\\f\\v", PAYLOAD_ESCAPES, "\a\b\x1b\f\v", 5},
    {"\\'\\\"\\?", PAYLOAD_ESCAPES, "'\"?", 3},
    {"caf\xc3\xa9\\n", PAYLOAD_ESCAPES, "caf\xc3\xa9\n", 6},
    {"", PAYLOAD_HEX, "", 0},
    {"deadbeef", PAYLOAD_HEX, "\xde\xad\xbe\xef", 4},
    {"DE AD be:ef", PAYLOAD_HEX, "\xde\xad\xbe\xef", 4},
    {"de:ad:be:ef", PAYLOAD_HEX, "\xde\xad\xbe\xef", 4},
    {"  00\t01\n02\r\n", PAYLOAD_HEX, "\x00\x01\x02", 3},
    {"0a0b 0c", PAYLOAD_HEX, "\x0a\x0b\x0c", 3},
    {"::", PAYLOAD_HEX, "", 0},
};

static void
test_decode(void **state)
{
	uint8_t buf[64];
	char err[PAYLOAD_ERRLEN];
	size_t i;
	ssize_t n;

	for (i = 0; i < sizeof decs / sizeof decs[0]; i++) {
		err[0] = '\0';
		n = payload_decode(decs[i].in, strlen(decs[i].in), decs[i].mode,
		    buf, sizeof buf, err, sizeof err);
		if (n != (ssize_t)decs[i].outlen)
			fail_msg("'%s' (mode %d): got %zd, want %zu (%s)",
			    decs[i].in, decs[i].mode, n, decs[i].outlen, err);
		assert_memory_equal(buf, decs[i].out, decs[i].outlen);
	}
}

/* A NUL inside the input is just another byte for text and escapes. */
static void
test_decode_embedded_nul(void **state)
{
	uint8_t buf[8];
	char err[PAYLOAD_ERRLEN];

	assert_int_equal(payload_decode("a\0b", 3, PAYLOAD_TEXT, buf,
			     sizeof buf, err, sizeof err),
	    3);
	assert_memory_equal(buf, "a\0b", 3);
	assert_int_equal(payload_decode("a\0\\n", 4, PAYLOAD_ESCAPES, buf,
			     sizeof buf, err, sizeof err),
	    3);
	assert_memory_equal(buf, "a\0\n", 3);
}

struct bad {
	const char *in;
	enum payload_mode mode;
	const char *msg;
};

static const struct bad bads[] = {
    {"abc\\q", PAYLOAD_ESCAPES, "invalid escape '\\q' at position 4"},
    {"\\", PAYLOAD_ESCAPES, "incomplete escape '\\' at position 1"},
    {"ab\\", PAYLOAD_ESCAPES, "incomplete escape '\\' at position 3"},
    {"\\x", PAYLOAD_ESCAPES, "invalid escape '\\x' at position 1"},
    {"x\\xg1", PAYLOAD_ESCAPES, "invalid escape '\\x' at position 2"},
    {"\\777", PAYLOAD_ESCAPES,
	"octal escape '\\777' out of range at position 1"},
    {"\\400", PAYLOAD_ESCAPES, "out of range at position 1"},
    {"\\ ", PAYLOAD_ESCAPES, "invalid escape '\\\\x20' at position 1"},
    {"\\\x01", PAYLOAD_ESCAPES, "invalid escape '\\\\x01' at position 1"},
    {"abc", PAYLOAD_HEX,
	"odd number of hex digits: 'c' at position 3 has no pair"},
    {"a", PAYLOAD_HEX, "'a' at position 1 has no pair"},
    {"de:a:be", PAYLOAD_HEX, "'a' at position 4 has no pair"},
    {"d e", PAYLOAD_HEX, "'d' at position 1 has no pair"},
    {"0g", PAYLOAD_HEX, "invalid hex digit 'g' at position 2"},
    {"0x41", PAYLOAD_HEX, "invalid hex digit 'x' at position 2"},
    {"41-42", PAYLOAD_HEX, "invalid hex digit '-' at position 3"},
    {"41\x01", PAYLOAD_HEX, "invalid hex digit '\\x01' at position 3"},
};

static void
test_decode_errors(void **state)
{
	uint8_t buf[64];
	char err[PAYLOAD_ERRLEN];
	size_t i;

	for (i = 0; i < sizeof bads / sizeof bads[0]; i++) {
		err[0] = '\0';
		if (payload_decode(bads[i].in, strlen(bads[i].in), bads[i].mode,
			buf, sizeof buf, err, sizeof err) != -1)
			fail_msg("'%s' was accepted", bads[i].in);
		if (strstr(err, bads[i].msg) == NULL)
			fail_msg("'%s': message '%s' lacks '%s'", bads[i].in,
			    err, bads[i].msg);
	}
}

/* Output is bounded by the buffer in every mode, never cut silently. */
static void
test_decode_bounds(void **state)
{
	uint8_t buf[4];
	char err[PAYLOAD_ERRLEN];

	assert_int_equal(
	    payload_decode("abcd", 4, PAYLOAD_TEXT, buf, 4, err, sizeof err),
	    4);
	assert_int_equal(
	    payload_decode("abcde", 5, PAYLOAD_TEXT, buf, 4, err, sizeof err),
	    -1);
	assert_non_null(strstr(err, "payload longer than 4 bytes"));
	assert_int_equal(payload_decode("ab\\n\\x00", 8, PAYLOAD_ESCAPES, buf,
			     4, err, sizeof err),
	    4);
	assert_int_equal(payload_decode("abcd\\n", 6, PAYLOAD_ESCAPES, buf, 4,
			     err, sizeof err),
	    -1);
	assert_int_equal(payload_decode("abcde", 5, PAYLOAD_ESCAPES, buf, 4,
			     err, sizeof err),
	    -1);
	assert_int_equal(
	    payload_decode("01020304", 8, PAYLOAD_HEX, buf, 4, err, sizeof err),
	    4);
	assert_int_equal(payload_decode("0102030405", 10, PAYLOAD_HEX, buf, 4,
			     err, sizeof err),
	    -1);
	assert_non_null(strstr(err, "payload longer than 4 bytes"));
	assert_int_equal(
	    payload_decode("", 0, PAYLOAD_TEXT, buf, 0, err, sizeof err), 0);
}

static char tmpdir[64];

static int
setup_dir(void **state)
{
	strcpy(tmpdir, "/tmp/test-payload.XXXXXX");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	return 0;
}

static int
teardown_dir(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
write_file(const char *path, const uint8_t *data, size_t len)
{
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

static void
test_file(void **state)
{
	static uint8_t big[PAYLOAD_MAX + 1], buf[PAYLOAD_MAX];
	char path[128], arg[140], err[PAYLOAD_ERRLEN];
	size_t i;

	for (i = 0; i < sizeof big; i++)
		big[i] = (uint8_t)i;
	snprintf(path, sizeof path, "%s/small", tmpdir);
	write_file(path, (const uint8_t *)"a\0\\n\n", 5);
	assert_int_equal(
	    payload_read_file(path, buf, sizeof buf, err, sizeof err), 5);
	assert_memory_equal(buf, "a\0\\n\n", 5);

	/* @FILE sends the file as it is, whatever the mode. */
	snprintf(arg, sizeof arg, "@%s", path);
	assert_int_equal(
	    payload_arg(arg, PAYLOAD_HEX, buf, sizeof buf, err, sizeof err), 5);
	assert_memory_equal(buf, "a\0\\n\n", 5);

	snprintf(path, sizeof path, "%s/empty", tmpdir);
	write_file(path, big, 0);
	assert_int_equal(
	    payload_read_file(path, buf, sizeof buf, err, sizeof err), 0);

	/* Exactly one datagram fits; one byte more is an error. */
	snprintf(path, sizeof path, "%s/max", tmpdir);
	write_file(path, big, PAYLOAD_MAX);
	assert_int_equal(
	    payload_read_file(path, buf, sizeof buf, err, sizeof err),
	    PAYLOAD_MAX);
	assert_memory_equal(buf, big, PAYLOAD_MAX);
	snprintf(path, sizeof path, "%s/big", tmpdir);
	write_file(path, big, PAYLOAD_MAX + 1);
	assert_int_equal(
	    payload_read_file(path, buf, sizeof buf, err, sizeof err), -1);
	assert_non_null(strstr(err, "file larger than 65535 bytes"));
	assert_non_null(strstr(err, path));
	assert_int_equal(payload_read_file(path, buf, 10, err, sizeof err), -1);
	assert_non_null(strstr(err, "larger than 10 bytes"));

	snprintf(path, sizeof path, "%s/missing", tmpdir);
	assert_int_equal(
	    payload_read_file(path, buf, sizeof buf, err, sizeof err), -1);
	assert_non_null(strstr(err, "No such file"));
	assert_non_null(strstr(err, "missing"));
	assert_int_equal(
	    payload_read_file(tmpdir, buf, sizeof buf, err, sizeof err), -1);
	assert_non_null(strstr(err, "directory"));
}

static void
test_arg(void **state)
{
	uint8_t buf[16];
	char err[PAYLOAD_ERRLEN];

	assert_int_equal(payload_arg("@@home", PAYLOAD_TEXT, buf, sizeof buf,
			     err, sizeof err),
	    5);
	assert_memory_equal(buf, "@home", 5);
	assert_int_equal(
	    payload_arg("@", PAYLOAD_TEXT, buf, sizeof buf, err, sizeof err),
	    -1);
	assert_non_null(strstr(err, "missing file name after '@'"));
	assert_int_equal(
	    payload_arg("a@b", PAYLOAD_TEXT, buf, sizeof buf, err, sizeof err),
	    3);
	assert_int_equal(payload_arg("\\x40", PAYLOAD_ESCAPES, buf, sizeof buf,
			     err, sizeof err),
	    1);
	assert_int_equal(buf[0], '@');
	assert_int_equal(
	    payload_arg("4041", PAYLOAD_HEX, buf, sizeof buf, err, sizeof err),
	    2);
	assert_int_equal(
	    payload_arg("404", PAYLOAD_HEX, buf, sizeof buf, err, sizeof err),
	    -1);
}

static void
test_pad(void **state)
{
	uint8_t buf[8];
	char err[PAYLOAD_ERRLEN];

	memcpy(buf, "xy", 2);
	assert_int_equal(
	    payload_pad(buf, 2, 5, sizeof buf, err, sizeof err), 5);
	assert_memory_equal(buf, "xycde", 5);
	assert_int_equal(
	    payload_pad(buf, 0, 3, sizeof buf, err, sizeof err), 3);
	assert_memory_equal(buf, "abc", 3);
	assert_int_equal(
	    payload_pad(buf, 2, 2, sizeof buf, err, sizeof err), 2);
	assert_int_equal(
	    payload_pad(buf, 0, 0, sizeof buf, err, sizeof err), 0);
	assert_int_equal(
	    payload_pad(buf, 4, 3, sizeof buf, err, sizeof err), -1);
	assert_non_null(strstr(err, "payload of 4 bytes longer than size 3"));
	assert_int_equal(
	    payload_pad(buf, 0, 9, sizeof buf, err, sizeof err), -1);
	assert_non_null(strstr(err, "size 9 larger than 8 bytes"));
}

static void
test_frame_parse(void **state)
{
	struct payload_frame f;
	char err[PAYLOAD_ERRLEN];

	assert_int_equal(
	    payload_frame_parse("line", 100, &f, err, sizeof err), 0);
	assert_int_equal(f.kind, PAYLOAD_FRAME_LINE);
	assert_int_equal(f.max, 100);
	assert_int_equal(
	    payload_frame_parse("nul", 100, &f, err, sizeof err), 0);
	assert_int_equal(f.kind, PAYLOAD_FRAME_NUL);
	assert_int_equal(
	    payload_frame_parse("whole", 100, &f, err, sizeof err), 0);
	assert_int_equal(f.kind, PAYLOAD_FRAME_WHOLE);
	assert_int_equal(
	    payload_frame_parse("size:512", 100, &f, err, sizeof err), 0);
	assert_int_equal(f.kind, PAYLOAD_FRAME_SIZE);
	assert_int_equal(f.size, 512);
	assert_int_equal(f.max, 512);
	assert_int_equal(
	    payload_frame_parse("size:1", 100, &f, err, sizeof err), 0);
	assert_int_equal(
	    payload_frame_parse("size:65535", 100, &f, err, sizeof err), 0);

	assert_int_equal(
	    payload_frame_parse("size:0", 100, &f, err, sizeof err), -1);
	assert_non_null(strstr(err, "invalid frame size '0' (1-65535)"));
	assert_int_equal(
	    payload_frame_parse("size:65536", 100, &f, err, sizeof err), -1);
	assert_int_equal(
	    payload_frame_parse("size:", 100, &f, err, sizeof err), -1);
	assert_int_equal(
	    payload_frame_parse("size:-1", 100, &f, err, sizeof err), -1);
	assert_int_equal(
	    payload_frame_parse("size:1k", 100, &f, err, sizeof err), -1);
	assert_int_equal(
	    payload_frame_parse("size: 1", 100, &f, err, sizeof err), -1);
	assert_int_equal(payload_frame_parse("size:99999999999999999999", 100,
			     &f, err, sizeof err),
	    -1);
	assert_int_equal(
	    payload_frame_parse("lines", 100, &f, err, sizeof err), -1);
	assert_non_null(strstr(
	    err, "invalid framing 'lines' (line, nul, size:N or whole)"));
	assert_int_equal(payload_frame_parse("", 100, &f, err, sizeof err), -1);

	/* Found by fuzz-payload: the bad spec was echoed with raw control bytes. */
	assert_int_equal(
	    payload_frame_parse(" 0a:0B\t0c\r\n", 100, &f, err, sizeof err),
	    -1);
	assert_string_equal(err,
	    "invalid framing ' 0a:0B\\x090c\\x0d\\x0a' "
	    "(line, nul, size:N or whole)");
	assert_int_equal(
	    payload_frame_parse("size:1\x1b[2J", 100, &f, err, sizeof err), -1);
	assert_string_equal(err, "invalid frame size '1\\x1b[2J' (1-65535)");
}

/* Cuts all of in (given in one piece) into records joined by '|'. */
static int
frame_all(const char *spec, size_t max, const char *in, size_t len, char *out,
    size_t outsize)
{
	struct payload_frame f;
	char err[PAYLOAD_ERRLEN];
	size_t off = 0, o = 0, reclen;
	ssize_t used;

	assert_int_equal(
	    payload_frame_parse(spec, max, &f, err, sizeof err), 0);
	out[0] = '\0';
	for (;;) {
		used = payload_frame_next(&f, (const uint8_t *)in + off,
		    len - off, 1, &reclen, err, sizeof err);
		if (used < 0)
			return -1;
		if (used == 0)
			break;
		assert_true((size_t)used >= reclen);
		assert_true(o + reclen + 2 < outsize);
		memcpy(out + o, in + off, reclen);
		o += reclen;
		out[o++] = '|';
		out[o] = '\0';
		off += (size_t)used;
	}
	assert_int_equal(off, len);
	return 0;
}

static void
test_frame_eof(void **state)
{
	char out[256];

	assert_int_equal(
	    frame_all("line", 100, "a\nbb\n", 5, out, sizeof out), 0);
	assert_string_equal(out, "a|bb|");
	assert_int_equal(
	    frame_all("line", 100, "a\n\nc", 4, out, sizeof out), 0);
	assert_string_equal(out, "a||c|");
	assert_int_equal(
	    frame_all("line", 100, "a\r\n", 3, out, sizeof out), 0);
	assert_string_equal(out, "a\r|");
	assert_int_equal(frame_all("line", 100, "", 0, out, sizeof out), 0);
	assert_string_equal(out, "");
	assert_int_equal(frame_all("line", 100, "\n", 1, out, sizeof out), 0);
	assert_string_equal(out, "|");
	assert_int_equal(
	    frame_all("nul", 100, "a\nb\0c\0", 6, out, sizeof out), 0);
	assert_string_equal(out, "a\nb|c|");
	assert_int_equal(frame_all("nul", 100, "x\0y", 3, out, sizeof out), 0);
	assert_string_equal(out, "x|y|");
	assert_int_equal(
	    frame_all("size:3", 100, "abcdefgh", 8, out, sizeof out), 0);
	assert_string_equal(out, "abc|def|gh|");
	assert_int_equal(
	    frame_all("size:2", 100, "a\nb\n", 4, out, sizeof out), 0);
	assert_string_equal(out, "a\n|b\n|");
	assert_int_equal(
	    frame_all("whole", 100, "a\nb\0c\n", 6, out, sizeof out), 0);
	assert_memory_equal(out, "a\nb\0c\n|", 7);
	assert_int_equal(frame_all("whole", 100, "", 0, out, sizeof out), 0);
	assert_string_equal(out, "");
}

static void
test_frame_incremental(void **state)
{
	struct payload_frame f;
	char err[PAYLOAD_ERRLEN];
	size_t reclen;
	const uint8_t *in = (const uint8_t *)"abc\nde";

	assert_int_equal(
	    payload_frame_parse("line", 100, &f, err, sizeof err), 0);
	/* Without a newline and before eof, more input is needed. */
	assert_int_equal(
	    payload_frame_next(&f, in, 3, 0, &reclen, err, sizeof err), 0);
	assert_int_equal(
	    payload_frame_next(&f, in, 4, 0, &reclen, err, sizeof err), 4);
	assert_int_equal(reclen, 3);
	assert_int_equal(
	    payload_frame_next(&f, in + 4, 2, 0, &reclen, err, sizeof err), 0);
	assert_int_equal(
	    payload_frame_next(&f, in + 4, 2, 1, &reclen, err, sizeof err), 2);
	assert_int_equal(reclen, 2);

	assert_int_equal(
	    payload_frame_parse("whole", 100, &f, err, sizeof err), 0);
	assert_int_equal(
	    payload_frame_next(&f, in, 6, 0, &reclen, err, sizeof err), 0);
	assert_int_equal(
	    payload_frame_next(&f, in, 6, 1, &reclen, err, sizeof err), 6);

	assert_int_equal(
	    payload_frame_parse("size:4", 100, &f, err, sizeof err), 0);
	assert_int_equal(
	    payload_frame_next(&f, in, 3, 0, &reclen, err, sizeof err), 0);
	assert_int_equal(
	    payload_frame_next(&f, in, 6, 0, &reclen, err, sizeof err), 4);
	assert_int_equal(reclen, 4);
}

/* Records are bounded: a longer one is an error, not a cut. */
static void
test_frame_limits(void **state)
{
	struct payload_frame f;
	char err[PAYLOAD_ERRLEN];
	size_t reclen;
	const uint8_t *in = (const uint8_t *)"abcdef\n";

	assert_int_equal(
	    payload_frame_parse("line", 6, &f, err, sizeof err), 0);
	assert_int_equal(
	    payload_frame_next(&f, in, 7, 0, &reclen, err, sizeof err), 7);
	assert_int_equal(reclen, 6);
	assert_int_equal(
	    payload_frame_parse("line", 5, &f, err, sizeof err), 0);
	assert_int_equal(
	    payload_frame_next(&f, in, 7, 0, &reclen, err, sizeof err), -1);
	assert_non_null(strstr(err, "line longer than 5 bytes"));
	assert_int_equal(
	    payload_frame_next(&f, in, 5, 0, &reclen, err, sizeof err), 0);
	assert_int_equal(
	    payload_frame_next(&f, in, 6, 0, &reclen, err, sizeof err), -1);
	assert_int_equal(payload_frame_parse("nul", 2, &f, err, sizeof err), 0);
	assert_int_equal(
	    payload_frame_next(&f, in, 6, 1, &reclen, err, sizeof err), -1);
	assert_non_null(strstr(err, "record longer than 2 bytes"));
	assert_int_equal(
	    payload_frame_parse("whole", 5, &f, err, sizeof err), 0);
	assert_int_equal(
	    payload_frame_next(&f, in, 5, 1, &reclen, err, sizeof err), 5);
	assert_int_equal(
	    payload_frame_next(&f, in, 6, 0, &reclen, err, sizeof err), -1);
	assert_non_null(
	    strstr(err, "input longer than 5 bytes (one datagram)"));
}

/* -e and -X, and --crlf and --eol, exclude each other; a repeat is fine. */
static void
test_lines(void **state)
{
	struct payload_lines l = {PAYLOAD_TEXT, 0, NULL};
	const char *errstr = NULL;

	(void)state;
	assert_int_equal(payload_lines_mode(&l, PAYLOAD_HEX, &errstr), 0);
	assert_int_equal(payload_lines_mode(&l, PAYLOAD_HEX, &errstr), 0);
	assert_int_equal(l.mode, PAYLOAD_HEX);
	assert_int_equal(l.mode_set, 1);
	assert_null(errstr);
	assert_int_equal(payload_lines_mode(&l, PAYLOAD_ESCAPES, &errstr), -1);
	assert_string_equal(errstr, "-e and -X exclude each other");
	assert_int_equal(l.mode, PAYLOAD_HEX);
	/* Text is the default, not a choice: -e after it is no conflict. */
	l.mode = PAYLOAD_TEXT;
	l.mode_set = 0;
	assert_int_equal(payload_lines_mode(&l, PAYLOAD_ESCAPES, &errstr), 0);
	errstr = NULL;
	assert_int_equal(payload_lines_eol(&l, "\r\n", &errstr), 0);
	assert_int_equal(payload_lines_eol(&l, "\r\n", &errstr), 0);
	assert_null(errstr);
	assert_int_equal(payload_lines_eol(&l, "\n", &errstr), -1);
	assert_string_equal(errstr, "--crlf and --eol exclude each other");
	assert_string_equal(l.eol, "\r\n");
}

/* Words join with single spaces, then decode as one argument. */
static void
test_args(void **state)
{
	const char *words[] = {"a\\x41", "b", "", "c"};
	const char *at[] = {"@@x", "y"};
	char err[256];
	uint8_t buf[64];

	(void)state;
	assert_int_equal(payload_args(4, words, PAYLOAD_ESCAPES, buf,
			     sizeof buf, err, sizeof err),
	    7);
	assert_memory_equal(buf, "aA b  c", 7);
	assert_int_equal(payload_args(0, words, PAYLOAD_TEXT, buf, sizeof buf,
			     err, sizeof err),
	    0);
	assert_int_equal(
	    payload_args(2, at, PAYLOAD_TEXT, buf, sizeof buf, err, sizeof err),
	    4);
	assert_memory_equal(buf, "@x y", 4);
	assert_int_equal(payload_args(1, words, PAYLOAD_HEX, buf, sizeof buf,
			     err, sizeof err),
	    -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_decode),
	    cmocka_unit_test(test_decode_embedded_nul),
	    cmocka_unit_test(test_decode_errors),
	    cmocka_unit_test(test_decode_bounds),
	    cmocka_unit_test(test_file),
	    cmocka_unit_test(test_arg),
	    cmocka_unit_test(test_pad),
	    cmocka_unit_test(test_frame_parse),
	    cmocka_unit_test(test_frame_eof),
	    cmocka_unit_test(test_frame_incremental),
	    cmocka_unit_test(test_frame_limits),
	    cmocka_unit_test(test_lines),
	    cmocka_unit_test(test_args),
	};

	return cmocka_run_group_tests_name(
	    "payload", tests, setup_dir, teardown_dir);
}
