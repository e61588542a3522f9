/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for the number grammar every command shares: decimal with
 * leading zeros, hex only where asked, sizes with K/M/G, and the three
 * errors of strtonum(3).
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "num.h"

static void
int_ok(const char *s, long long min, long long max, int flags, long long want)
{
	const char *errstr = NULL;
	long long v = -12345;

	if (num_int(s, min, max, flags, &v, &errstr) != 0)
		fail_msg("'%s' rejected: %s", s, errstr);
	if (v != want)
		fail_msg("'%s' gave %lld, expected %lld", s, v, want);
}

static void
int_bad(const char *s, long long min, long long max, int flags, const char *why)
{
	const char *errstr = NULL;
	long long v = -12345;

	if (num_int(s, min, max, flags, &v, &errstr) != -1)
		fail_msg("'%s' accepted as %lld", s, v);
	assert_string_equal(errstr, why);
	assert_int_equal(v, -12345);
}

static void
test_int(void **state)
{
	(void)state;
	int_ok("0", 0, 255, 0, 0);
	int_ok("64", 1, 255, 0, 64);
	/* Leading zeros are decimal everywhere: --ttl 010 is ten. */
	int_ok("010", 1, 255, 0, 10);
	int_ok("010", 1, 255, NUM_HEX, 10);
	int_ok("0x10", 0, 255, NUM_HEX, 16);
	int_ok("0XfF", 0, 255, NUM_HEX, 255);
	int_ok("9223372036854775807", 0, 9223372036854775807LL, 0,
	    9223372036854775807LL);
	int_bad("0x10", 0, 255, 0, "invalid");
	int_bad("0x", 0, 255, NUM_HEX, "invalid");
	int_bad("", 0, 255, 0, "invalid");
	int_bad(NULL, 0, 255, 0, "invalid");
	int_bad("-1", 0, 255, 0, "invalid");
	int_bad("+1", 0, 255, 0, "invalid");
	int_bad(" 1", 0, 255, 0, "invalid");
	int_bad("1 ", 0, 255, 0, "invalid");
	int_bad("1.5", 0, 255, 0, "invalid");
	int_bad("12abc", 0, 255, 0, "invalid");
	int_bad("256", 0, 255, 0, "too large");
	int_bad("0x100", 0, 255, NUM_HEX, "too large");
	int_bad("0", 1, 255, 0, "too small");
	int_bad("99999999999999999999999", 0, 255, 0, "too large");
}

static void
dbl_ok(const char *s, double min, double max, double want)
{
	const char *errstr = NULL;
	double v = -1;

	if (num_double(s, min, max, &v, &errstr) != 0)
		fail_msg("'%s' rejected: %s", s, errstr);
	assert_true(v == want);
}

static void
dbl_bad(const char *s, double min, double max, const char *why)
{
	const char *errstr = NULL;
	double v = -1;

	if (num_double(s, min, max, &v, &errstr) != -1)
		fail_msg("'%s' accepted as %g", s, v);
	assert_string_equal(errstr, why);
}

static void
test_double(void **state)
{
	(void)state;
	dbl_ok("0.5", 0, 10, 0.5);
	dbl_ok("2", 0, 10, 2);
	dbl_ok(".25", 0, 10, 0.25);
	dbl_ok("1e1", 0, 10, 10);
	dbl_ok("007", 0, 10, 7);
	dbl_bad("inf", 0, 1e9, "invalid");
	dbl_bad("nan", 0, 1e9, "invalid");
	dbl_bad("0x10", 0, 1e9, "invalid");
	dbl_bad("-1", 0, 10, "invalid");
	dbl_bad("", 0, 10, "invalid");
	dbl_bad("1s", 0, 10, "invalid");
	dbl_bad("11", 0, 10, "too large");
	dbl_bad("0.001", 0.01, 10, "too small");
	dbl_bad("1e999", 0, 1e9, "too large");
}

static void
test_size(void **state)
{
	const char *errstr = NULL;
	long long v;

	(void)state;
	assert_int_equal(num_size("4096", 1, 1LL << 40, &v, &errstr), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(num_size("64k", 1, 1LL << 40, &v, &errstr), 0);
	assert_int_equal(v, 65536);
	assert_int_equal(num_size("4M", 1, 1LL << 40, &v, &errstr), 0);
	assert_int_equal(v, 4194304);
	assert_int_equal(num_size("1G", 1, 1LL << 40, &v, &errstr), 0);
	assert_int_equal(v, 1073741824);
	assert_int_equal(num_size("4MB", 1, 1LL << 40, &v, &errstr), -1);
	assert_string_equal(errstr, "invalid");
	assert_int_equal(num_size("M", 1, 1LL << 40, &v, &errstr), -1);
	assert_string_equal(errstr, "invalid");
	assert_int_equal(num_size("3G", 1, 1LL << 31, &v, &errstr), -1);
	assert_string_equal(errstr, "too large");
	assert_int_equal(
	    num_size("99999999999999G", 1, 1LL << 40, &v, &errstr), -1);
	assert_string_equal(errstr, "too large");
	assert_int_equal(num_size("0", 1, 10, &v, &errstr), -1);
	assert_string_equal(errstr, "too small");
}

static void
test_seconds(void **state)
{
	const char *errstr = NULL;
	double v = -1;

	(void)state;
	assert_int_equal(num_seconds("0.5", 0, 86400, 0, &v, &errstr), 0);
	assert_true(v == 0.5);
	assert_int_equal(num_seconds("0", 0, 86400, 0, &v, &errstr), 0);
	assert_true(v == 0);
	assert_int_equal(num_seconds("010", 0, 86400, 0, &v, &errstr), 0);
	assert_true(v == 10);
	assert_int_equal(
	    num_seconds("0", 0, 86400, NUM_NONZERO, &v, &errstr), -1);
	assert_string_equal(errstr, "too small");
	assert_int_equal(
	    num_seconds("0.000", 0, 86400, NUM_NONZERO, &v, &errstr), -1);
	assert_string_equal(errstr, "too small");
	assert_int_equal(
	    num_seconds("0.001", 0, 86400, NUM_NONZERO, &v, &errstr), 0);
	assert_int_equal(num_seconds("86401", 0, 86400, 0, &v, &errstr), -1);
	assert_string_equal(errstr, "too large");
	assert_int_equal(num_seconds("0.05", 0.1, 86400, 0, &v, &errstr), -1);
	assert_string_equal(errstr, "too small");
	assert_int_equal(num_seconds("1s", 0, 86400, 0, &v, &errstr), -1);
	assert_string_equal(errstr, "invalid");
	assert_int_equal(num_seconds("-1", 0, 86400, 0, &v, &errstr), -1);
	assert_string_equal(errstr, "invalid");
	assert_int_equal(num_seconds(NULL, 0, 86400, 0, &v, &errstr), -1);
	assert_string_equal(errstr, "invalid");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_int),
	    cmocka_unit_test(test_double),
	    cmocka_unit_test(test_size),
	    cmocka_unit_test(test_seconds),
	};

	return cmocka_run_group_tests_name("num", tests, NULL, NULL);
}
