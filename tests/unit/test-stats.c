/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for the stats module: ping's figures, percentiles inside and
 * beyond the exact cap, RFC 3550 jitter and the probe accounting.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "stats.h"

static int
setup(void **state)
{
	*state = stats_new();
	return *state == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	stats_free(*state);
	return 0;
}

static void
test_figures(void **state)
{
	struct stats *s = *state;
	struct stats_summary sum;

	stats_summarize(s, &sum);
	assert_int_equal(sum.sent, 0);
	assert_int_equal(sum.n, 0);
	assert_true(sum.loss_pct == 0);

	stats_add_rtt(s, 1);
	stats_add_rtt(s, 2);
	stats_add_rtt(s, 3);
	stats_add_rtt(s, 4);
	stats_summarize(s, &sum);
	assert_int_equal(sum.n, 4);
	assert_float_equal(sum.min, 1, 1e-9);
	assert_float_equal(sum.max, 4, 1e-9);
	assert_float_equal(sum.avg, 2.5, 1e-9);
	/* sqrt(mean of squares - square of mean) = sqrt(7.5 - 6.25) */
	assert_float_equal(sum.mdev, 1.118033988749895, 1e-9);
	/* nearest rank: ceil(0.5 * 4) = 2nd, ceil(0.9 * 4) = 4th */
	assert_float_equal(sum.p50, 2, 1e-9);
	assert_float_equal(sum.p90, 4, 1e-9);
	assert_float_equal(sum.p99, 4, 1e-9);
}

static void
test_one_sample(void **state)
{
	struct stats *s = *state;
	struct stats_summary sum;

	stats_add_rtt(s, 0.042);
	stats_summarize(s, &sum);
	assert_float_equal(sum.mdev, 0, 1e-12);
	assert_float_equal(sum.p50, 0.042, 1e-12);
	assert_float_equal(sum.p99, 0.042, 1e-12);
	assert_float_equal(sum.jitter, 0, 1e-12);
}

static void
test_percentiles_exact(void **state)
{
	struct stats *s = *state;
	struct stats_summary sum;
	int i;

	/* Added out of order: percentiles sort. */
	for (i = 100; i >= 1; i--)
		stats_add_rtt(s, i);
	stats_summarize(s, &sum);
	assert_float_equal(sum.p50, 50, 1e-9);
	assert_float_equal(sum.p90, 90, 1e-9);
	assert_float_equal(sum.p99, 99, 1e-9);
	assert_float_equal(sum.avg, 50.5, 1e-9);
}

static void
test_percentiles_histogram(void **state)
{
	struct stats *s = *state;
	struct stats_summary sum;
	int i;

	/* Beyond the exact cap the log histogram answers within a bucket. */
	for (i = 1; i <= 20000; i++)
		stats_add_rtt(s, i * 0.005); /* 5 us .. 100 ms */
	stats_summarize(s, &sum);
	assert_int_equal(sum.n, 20000);
	assert_float_equal(sum.p50, 50, 50 * 0.008);
	assert_float_equal(sum.p90, 90, 90 * 0.008);
	assert_float_equal(sum.p99, 99, 99 * 0.008);
	assert_float_equal(sum.min, 0.005, 1e-12);
	assert_float_equal(sum.max, 100, 1e-9);
	/* Not the exact answer: the histogram really was used. */
	assert_true(sum.p50 != 50);
}

static void
test_jitter(void **state)
{
	struct stats *s = *state;
	struct stats_summary sum;

	/* |D| = 2 each time: J = 2/16, then J += (2 - J)/16 twice. */
	stats_add_rtt(s, 10);
	stats_add_rtt(s, 12);
	stats_add_rtt(s, 10);
	stats_add_rtt(s, 12);
	stats_summarize(s, &sum);
	assert_float_equal(sum.jitter, 0.35205078125, 1e-12);
}

/*
 * Ten probes, 10 ms apart, reply timeout 25 ms, answered like the
 * misbehaving peer of the CLI tests: 5 dropped, 3 duplicated, 7 and 8
 * swapped, 10 held for 40 ms.
 */
static void
test_accounting(void **state)
{
	struct stats *s = *state;
	struct stats_summary sum;
	double rtt;
	uint64_t seq;
	int i;

	for (i = 0; i < 10; i++)
		assert_int_equal(stats_sent(s, i * 10.0), (uint64_t)i + 1);
	assert_int_equal(stats_last_seq(s), 10);
	assert_false(stats_settled(s));

	assert_int_equal(stats_reply(s, 1, 1, 25, &rtt), 0);
	assert_float_equal(rtt, 1, 1e-9);
	assert_int_equal(stats_reply(s, 2, 11, 25, &rtt), 0);
	assert_int_equal(stats_reply(s, 3, 21, 25, &rtt), 0);
	assert_int_equal(stats_reply(s, 3, 21.5, 25, &rtt), STATS_R_DUP);
	assert_int_equal(stats_reply(s, 4, 31, 25, &rtt), 0);
	/* 5 never answered */
	assert_int_equal(stats_reply(s, 6, 51, 25, &rtt), 0);
	assert_int_equal(stats_reply(s, 8, 71, 25, &rtt), 0);
	assert_int_equal(stats_reply(s, 7, 71.5, 25, &rtt), STATS_R_REORDERED);
	assert_int_equal(stats_reply(s, 9, 81, 25, &rtt), 0);
	/* A reply to what was never sent, and a duplicate of an old one. */
	assert_int_equal(stats_reply(s, 11, 90, 25, &rtt), STATS_R_UNKNOWN);
	assert_int_equal(stats_reply(s, 0, 90, 25, &rtt), STATS_R_UNKNOWN);
	assert_int_equal(stats_reply(s, 1, 95, 25, &rtt), STATS_R_DUP);
	assert_int_equal(stats_reply(s, 10, 130, 25, &rtt), STATS_R_LATE);
	assert_float_equal(rtt, 40, 1e-9);

	/* Only 5 is still waiting; its verdict comes once. */
	assert_int_equal(stats_expire(s, 140, 25, &seq), 1);
	assert_int_equal(seq, 5);
	assert_int_equal(stats_expire(s, 140, 25, &seq), 0);
	assert_true(stats_settled(s));

	stats_summarize(s, &sum);
	assert_int_equal(sum.sent, 10);
	assert_int_equal(sum.received, 9);
	assert_int_equal(sum.lost, 1);
	assert_int_equal(sum.duplicates, 2);
	assert_int_equal(sum.reordered, 1);
	assert_int_equal(sum.late, 1);
	assert_float_equal(sum.loss_pct, 10, 1e-9);
	assert_int_equal(sum.n, 9); /* duplicates left out */
	assert_float_equal(sum.max, 40, 1e-9);
}

static void
test_expire_and_errors(void **state)
{
	struct stats *s = *state;
	struct stats_summary sum;
	double rtt;
	uint64_t seq;

	stats_sent(s, 0);
	stats_sent(s, 10);
	stats_sent(s, 20);
	stats_sent(s, 30);
	assert_int_equal(stats_reply(s, 2, 15, 1000, &rtt), 0);
	assert_int_equal(stats_error(s, 3, 1), 0);
	assert_int_equal(stats_error(s, 9, 0), -1);
	/* -O asks: answered by a reply, or by an error? */
	assert_true(stats_has_reply(s, 2));
	assert_false(stats_has_error(s, 2));
	assert_true(stats_has_error(s, 3));
	assert_false(stats_has_reply(s, 3));
	assert_false(stats_has_error(s, 4));
	assert_false(stats_has_error(s, 9));
	assert_int_equal(stats_expire(s, 999, 1000, &seq), 0);
	assert_int_equal(stats_expire(s, 1005, 1000, &seq), 1);
	assert_int_equal(seq, 1);
	assert_int_equal(stats_expire(s, 1005, 1000, &seq), 0);
	assert_false(stats_settled(s));
	/* 2 answered and 3 refused get no timeout verdict; 4 does. */
	assert_int_equal(stats_expire(s, 1100, 1000, &seq), 1);
	assert_int_equal(seq, 4);
	assert_true(stats_settled(s));
	/* A reply after the verdict is late but still received. */
	assert_int_equal(stats_reply(s, 4, 1200, 1000, &rtt), STATS_R_LATE);
	assert_int_equal(stats_error(s, 1, 0), 0);
	stats_summarize(s, &sum);
	assert_int_equal(sum.received, 2);
	assert_int_equal(sum.refused, 1);
	assert_int_equal(sum.errors, 1);
	assert_int_equal(sum.lost, 2);
	assert_int_equal(sum.reordered, 0);
}

static void
test_unwrap(void **state)
{
	struct stats *s = *state;
	uint64_t seq;
	double rtt;
	int i;

	assert_int_equal(stats_unwrap16(s, 1, &seq), -1);
	stats_sent(s, 0);
	assert_int_equal(stats_unwrap16(s, 1, &seq), 0);
	assert_int_equal(seq, 1);
	assert_int_equal(stats_unwrap16(s, 2, &seq), -1);
	assert_int_equal(stats_unwrap16(s, 0, &seq), -1);
	for (i = 1; i < 70000; i++)
		stats_sent(s, i);
	assert_int_equal(stats_unwrap16(s, (uint16_t)70000, &seq), 0);
	assert_int_equal(seq, 70000);
	assert_int_equal(stats_unwrap16(s, 65535, &seq), 0);
	assert_int_equal(seq, 65535);
	assert_int_equal(stats_reply(s, 65535, 70001, 0, &rtt), 0);
	/* Out of the window: recognised as a number, ignored as a reply. */
	assert_int_equal(stats_unwrap16(s, 50000, &seq), 0);
	assert_int_equal(seq, 50000);
	assert_int_equal(
	    stats_reply(s, 50000, 70001, 0, &rtt), STATS_R_UNKNOWN);
	assert_int_equal(stats_reply(s, 70000, 70001, 0, &rtt), 0);
	assert_int_equal(stats_reply(s, 70000, 70002, 0, &rtt), STATS_R_DUP);
	assert_float_equal(stats_sent_at(s, 69999), 69998, 1e-9);
	assert_true(stats_sent_at(s, 1) < 0);
	/* Probes pushed out of the window are settled without a verdict. */
	assert_false(stats_settled(s));
}

static void
test_histogram(void **state)
{
	struct stats *s = *state;
	struct stats_bin bins[5];
	size_t n, i;
	int v;

	assert_int_equal(stats_histogram(s, bins, 5), 0);
	for (v = 1; v <= 10; v++)
		stats_add_rtt(s, v);
	n = stats_histogram(s, bins, 5);
	assert_int_equal(n, 5);
	for (i = 0; i < n; i++)
		assert_int_equal(bins[i].count, 2);
	assert_float_equal(bins[0].lo, 1, 1e-9);
	assert_float_equal(bins[4].hi, 10, 1e-9);
}

static void
test_histogram_flat(void **state)
{
	struct stats *s = *state;
	struct stats_bin bins[8];

	stats_add_rtt(s, 3);
	stats_add_rtt(s, 3);
	assert_int_equal(stats_histogram(s, bins, 8), 1);
	assert_int_equal(bins[0].count, 2);
}

static void
test_bin_bar(void **state)
{
	struct stats_bin bins[3] = {{0, 1, 10}, {1, 2, 1}, {2, 3, 0}};

	(void)state;
	assert_int_equal(stats_bin_bar(bins, 3, 0, 40), 40);
	/* One sample of ten still shows: rounded up. */
	assert_int_equal(stats_bin_bar(bins, 3, 1, 40), 4);
	assert_int_equal(stats_bin_bar(bins, 3, 2, 40), 0);
	bins[0].count = 0;
	bins[1].count = 0;
	assert_int_equal(stats_bin_bar(bins, 3, 0, 40), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_figures, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_one_sample, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_percentiles_exact, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_percentiles_histogram, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_jitter, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_accounting, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_expire_and_errors, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unwrap, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_histogram, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_histogram_flat, setup, teardown),
	    cmocka_unit_test(test_bin_bar),
	};

	return cmocka_run_group_tests_name("stats", tests, NULL, NULL);
}
