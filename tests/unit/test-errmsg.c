/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for errmsg: quoting bad values so that no control byte,
 * bidirectional or invisible character reaches a terminal raw.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "errmsg.h"

/* Quotes s and compares with want. */
static void
quote_is(const char *s, const char *want)
{
	char buf[256];

	assert_string_equal(errmsg_quote(s, buf, sizeof buf), want);
}

static void
test_quote_controls(void **state)
{
	(void)state;
	quote_is("plain value 1.2.3.4:53", "plain value 1.2.3.4:53");
	quote_is("\x1b[2J", "\\x1b[2J");
	quote_is("a\ab", "a\\x07b");
	quote_is("one\ntwo", "one\\x0atwo");
	quote_is("cr\rx", "cr\\x0dx");
	quote_is("del\x7f", "del\\x7f");
	quote_is("tab\t", "tab\\x09");
	/* A backslash is doubled, so "\x1b" typed is not ESC quoted. */
	quote_is("\\x1b", "\\\\x1b");
}

static void
test_quote_unicode(void **state)
{
	(void)state;
	/* C1 CSI, U+202E, U+200B, U+2028, U+FEFF, U+2066, U+061C. */
	quote_is("\xc2\x9b", "\\xc2\\x9b");
	quote_is("txt\xe2\x80\xae"
		 "exe",
	    "txt\\xe2\\x80\\xae"
	    "exe");
	quote_is("a\xe2\x80\x8b", "a\\xe2\\x80\\x8b");
	quote_is("\xe2\x80\xa8", "\\xe2\\x80\\xa8");
	quote_is("\xef\xbb\xbfx", "\\xef\\xbb\\xbfx");
	quote_is("\xe2\x81\xa6", "\\xe2\\x81\\xa6");
	quote_is("\xd8\x9c", "\\xd8\\x9c");
	/* Invalid UTF-8 and ordinary UTF-8 alike: bytes, never raw. */
	quote_is("\xff\xc3(", "\\xff\\xc3(");
	quote_is("caf\xc3\xa9", "caf\\xc3\\xa9");
}

static void
test_quote_truncate(void **state)
{
	char in[200], buf[256], small[12];

	(void)state;
	memset(in, 'a', sizeof in - 1);
	in[sizeof in - 1] = '\0';
	errmsg_quote(in, buf, sizeof buf);
	assert_int_equal(strlen(buf), 63);
	assert_string_equal(buf + 60, "...");
	/* 60 bytes exactly: nothing cut, no dots. */
	in[60] = '\0';
	errmsg_quote(in, buf, sizeof buf);
	assert_int_equal(strlen(buf), 60);
	/* Escapes that fill a small buffer end in "..." and never split. */
	memset(in, '\x1b', 20);
	in[20] = '\0';
	errmsg_quote(in, small, sizeof small);
	assert_string_equal(small, "\\x1b...");
	errmsg_quote("ab", small, 1);
	assert_string_equal(small, "");
}

static void
test_sanitize(void **state)
{
	char buf[128];

	(void)state;
	/* Quoted text passes unchanged: no second level of escaping. */
	assert_string_equal(
	    errmsg_sanitize("invalid port '\\x1b' (1-65535)", buf, sizeof buf),
	    "invalid port '\\x1b' (1-65535)");
	assert_string_equal(errmsg_sanitize("a\x1b[2J\nb\x7f", buf, sizeof buf),
	    "a\\x1b[2J\\x0ab\\x7f");
	/* Safe UTF-8 stays; bidi, zero-width, C1 and invalid bytes do not. */
	assert_string_equal(
	    errmsg_sanitize("caf\xc3\xa9 \xe2\x80\xae\xe2\x80\x8b\xc2\x85\xff",
		buf, sizeof buf),
	    "caf\xc3\xa9 \\xe2\\x80\\xae\\xe2\\x80\\x8b\\xc2\\x85\\xff");
	/* Truncation never leaves half an escape. */
	assert_string_equal(
	    errmsg_sanitize("\x1b\x1b\x1b", buf, 10), "\\x1b\\x1b");
}

static void
test_cp_safe(void **state)
{
	static const uint32_t bad[] = {0x00, 0x07, 0x0a, 0x0d, 0x1b, 0x7f, 0x80,
	    0x85, 0x9b, 0x9f, 0x061c, 0x180e, 0x200b, 0x200c, 0x200d, 0x200e,
	    0x200f, 0x2028, 0x2029, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e,
	    0x2060, 0x2066, 0x2067, 0x2068, 0x2069, 0xfeff, 0xfff9, 0xfffb};
	static const uint32_t good[] = {' ', 'a', '~', 0xa0, 0xe9, 0x05d0,
	    0x200a, 0x2010, 0x2027, 0x202f, 0x2070, 0xfeff - 1, 0xfffd,
	    0x1f600};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (errmsg_cp_safe(bad[i]))
			fail_msg("U+%04X passes as safe", (unsigned)bad[i]);
	}
	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		if (!errmsg_cp_safe(good[i]))
			fail_msg("U+%04X is refused", (unsigned)good[i]);
	}
}

static void
test_utf8(void **state)
{
	uint32_t cp;

	(void)state;
	assert_int_equal(errmsg_utf8((const uint8_t *)"A", 1, &cp), 1);
	assert_int_equal(cp, 'A');
	assert_int_equal(
	    errmsg_utf8((const uint8_t *)"\xe2\x80\xae", 3, &cp), 3);
	assert_int_equal(cp, 0x202e);
	assert_int_equal(
	    errmsg_utf8((const uint8_t *)"\xf0\x9f\x98\x80", 4, &cp), 4);
	assert_int_equal(cp, 0x1f600);
	/* Cut short, overlong, surrogate, stray continuation, too high. */
	assert_int_equal(errmsg_utf8((const uint8_t *)"\xe2\x80", 2, &cp), 0);
	assert_int_equal(errmsg_utf8((const uint8_t *)"\xc0\xaf", 2, &cp), 0);
	assert_int_equal(
	    errmsg_utf8((const uint8_t *)"\xed\xa0\x80", 3, &cp), 0);
	assert_int_equal(errmsg_utf8((const uint8_t *)"\x80", 1, &cp), 0);
	assert_int_equal(
	    errmsg_utf8((const uint8_t *)"\xf4\x90\x80\x80", 4, &cp), 0);
}

static void
test_set(void **state)
{
	char err[32];

	(void)state;
	errno = 0;
	assert_int_equal(errmsg_set(err, sizeof err, "bad '%s'", "x"), -1);
	assert_int_equal(errno, EINVAL);
	assert_string_equal(err, "bad 'x'");
	assert_int_equal(errmsg_set(NULL, 0, "bad"), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_quote_controls),
	    cmocka_unit_test(test_quote_unicode),
	    cmocka_unit_test(test_quote_truncate),
	    cmocka_unit_test(test_sanitize),
	    cmocka_unit_test(test_cp_safe),
	    cmocka_unit_test(test_utf8),
	    cmocka_unit_test(test_set),
	};

	return cmocka_run_group_tests_name("errmsg", tests, NULL, NULL);
}
