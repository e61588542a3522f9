/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for the expect module: an ERE over replies with NUL bytes,
 * hex bytes anywhere in a reply, no pattern matching nothing, and the
 * reasons for a bad pattern.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "expect.h"

#define M(e, s) expect_match(e, (const uint8_t *)(s), sizeof(s) - 1)

static void
test_none(void **state)
{
	struct expect e;

	(void)state;
	expect_init(&e);
	assert_int_equal(e.kind, EXPECT_NONE);
	assert_int_equal(M(&e, "anything"), 0);
	expect_free(&e);
}

static void
test_re(void **state)
{
	struct expect e;
	char err[256];

	(void)state;
	expect_init(&e);
	assert_int_equal(
	    expect_set_re(&e, "^pong [0-9]+$", err, sizeof err), 0);
	assert_int_equal(e.kind, EXPECT_RE);
	assert_string_equal(e.text, "^pong [0-9]+$");
	assert_int_equal(M(&e, "pong 42"), 1);
	assert_int_equal(M(&e, "ping 42"), 0);
	assert_int_equal(M(&e, ""), 0);
	expect_free(&e);
	assert_int_equal(e.kind, EXPECT_NONE);
#ifdef REG_STARTEND
	/* A NUL byte does not end the reply. */
	assert_int_equal(expect_set_re(&e, "b$", err, sizeof err), 0);
	assert_int_equal(M(&e, "a\0b"), 1);
	expect_free(&e);
#endif
}

static void
test_re_error(void **state)
{
	struct expect e;
	char err[256] = "";

	(void)state;
	expect_init(&e);
	assert_int_equal(expect_set_re(&e, "(", err, sizeof err), -1);
	assert_true(err[0] != '\0');
	assert_int_equal(e.kind, EXPECT_NONE);
	expect_free(&e);
}

static void
test_hex(void **state)
{
	struct expect e;
	char err[256];

	(void)state;
	expect_init(&e);
	assert_int_equal(expect_set_hex(&e, "00:ff", err, sizeof err), 0);
	assert_int_equal(e.kind, EXPECT_BYTES);
	assert_int_equal(e.len, 2);
	assert_int_equal(M(&e,
			     "a\0\xff"
			     "b"),
	    1);
	assert_int_equal(M(&e, "a\xff\0b"), 0);
	assert_int_equal(M(&e, "\0"), 0);
	expect_free(&e);
	/* No bytes: every reply has them. */
	assert_int_equal(expect_set_hex(&e, "", err, sizeof err), 0);
	assert_int_equal(M(&e, ""), 1);
	expect_free(&e);
}

static void
test_hex_error(void **state)
{
	struct expect e;
	char err[256] = "";

	(void)state;
	expect_init(&e);
	assert_int_equal(expect_set_hex(&e, "zz", err, sizeof err), -1);
	assert_non_null(strstr(err, "invalid hex digit 'z' at position 1"));
	assert_int_equal(e.kind, EXPECT_NONE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_none),
	    cmocka_unit_test(test_re),
	    cmocka_unit_test(test_re_error),
	    cmocka_unit_test(test_hex),
	    cmocka_unit_test(test_hex_error),
	};

	return cmocka_run_group_tests_name("expect", tests, NULL, NULL);
}
