/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for the probe module: the layout of a "ping -u" probe, reading
 * its number back, and rejecting short, foreign and corrupted payloads.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "probe.h"

#define COOKIE 0x01020304U

static void
test_be(void **state)
{
	uint8_t b[8];

	(void)state;
	probe_put_be(b, 0x0102030405060708ULL, 8);
	assert_int_equal(b[0], 1);
	assert_int_equal(b[7], 8);
	assert_true(probe_get_be(b, 8) == 0x0102030405060708ULL);
	probe_put_be(b, 0xaabbccddeeULL, 4);
	assert_int_equal(b[0], 0xbb);
	assert_int_equal(probe_get_be(b, 4), 0xbbccddee);
	assert_int_equal(probe_get_be(b, 0), 0);
}

static void
test_layout(void **state)
{
	uint8_t p[32];

	(void)state;
	probe_build(p, sizeof p, COOKIE, 7, 1.5, NULL, 0);
	assert_memory_equal(p, "UTPG\x01\x02\x03\x04", 8);
	assert_int_equal(probe_get_be(p + 8, 8), 7);
	assert_int_equal(probe_get_be(p + 16, 8), 1500000);
	/* Without a pattern the fill is (offset + seq) & 0xff. */
	assert_int_equal(p[24], 31);
	assert_int_equal(p[31], 38);
}

static void
test_pattern(void **state)
{
	const uint8_t pat[] = {0xab, 0xcd, 0xef};
	uint8_t p[30];

	(void)state;
	probe_build(p, sizeof p, COOKIE, 9, 0, pat, sizeof pat);
	/* Aligned to the payload's offset, as ping(8) -p. */
	assert_int_equal(p[24], 0xab);
	assert_int_equal(p[25], 0xcd);
	assert_int_equal(p[26], 0xef);
	assert_int_equal(p[29], 0xef);
	assert_int_equal(
	    probe_verify(p, sizeof p, COOKIE, 9, 0, pat, sizeof pat), 1);
	assert_int_equal(probe_verify(p, sizeof p, COOKIE, 9, 0, NULL, 0), 0);
}

static void
test_round_trip(void **state)
{
	uint8_t p[100];
	uint64_t seq = 0;

	(void)state;
	probe_build(p, sizeof p, COOKIE, 0x123456789ULL, 2500.25, NULL, 0);
	assert_int_equal(probe_parse(p, sizeof p, COOKIE, &seq), 0);
	assert_true(seq == 0x123456789ULL);
	assert_int_equal(
	    probe_verify(p, sizeof p, COOKIE, seq, 2500.25, NULL, 0), 1);
	/* The smallest probe is its header. */
	probe_build(p, PROBE_HDRLEN, COOKIE, 1, 3, NULL, 0);
	assert_int_equal(
	    probe_verify(p, PROBE_HDRLEN, COOKIE, 1, 3, NULL, 0), 1);
}

static void
test_reject(void **state)
{
	uint8_t p[40];
	uint64_t seq = 99;

	(void)state;
	probe_build(p, sizeof p, COOKIE, 5, 10, NULL, 0);
	/* Short: the error queue may hold a cut probe; 16 bytes still number it. */
	assert_int_equal(probe_parse(p, PROBE_IDLEN - 1, COOKIE, &seq), -1);
	assert_int_equal(seq, 99);
	assert_int_equal(probe_parse(p, PROBE_IDLEN, COOKIE, &seq), 0);
	assert_int_equal(seq, 5);
	assert_int_equal(
	    probe_verify(p, PROBE_HDRLEN - 1, COOKIE, 5, 10, NULL, 0), 0);
	/* Foreign: another run's cookie, another program's magic. */
	assert_int_equal(probe_parse(p, sizeof p, COOKIE + 1, &seq), -1);
	assert_int_equal(
	    probe_verify(p, sizeof p, COOKIE + 1, 5, 10, NULL, 0), 0);
	p[0] = 'X';
	assert_int_equal(probe_parse(p, sizeof p, COOKIE, &seq), -1);
	p[0] = 'U';
	/* Another probe number or send time than the one asked about. */
	assert_int_equal(probe_verify(p, sizeof p, COOKIE, 6, 10, NULL, 0), 0);
	assert_int_equal(probe_verify(p, sizeof p, COOKIE, 5, 11, NULL, 0), 0);
	/* Corrupted: one bit of the fill or of the time. */
	assert_int_equal(probe_verify(p, sizeof p, COOKIE, 5, 10, NULL, 0), 1);
	p[sizeof p - 1] ^= 1;
	assert_int_equal(probe_verify(p, sizeof p, COOKIE, 5, 10, NULL, 0), 0);
	p[sizeof p - 1] ^= 1;
	p[20] ^= 0x80;
	assert_int_equal(probe_verify(p, sizeof p, COOKIE, 5, 10, NULL, 0), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_be),
	    cmocka_unit_test(test_layout),
	    cmocka_unit_test(test_pattern),
	    cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_reject),
	};

	return cmocka_run_group_tests_name("probe", tests, NULL, NULL);
}
