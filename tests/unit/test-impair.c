/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for the impair module: seeded determinism, rates within
 * bounds over many draws, Gilbert-Elliott burst lengths, the rate limit,
 * delay sampling, the parsers and the timer heap's order.
 */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "impair.h"

#define DRAWS 100000
#define MS 1000000ULL

static void
test_seed_repeats(void **state)
{
	struct impair_rng a, b, c;
	int i, differ = 0;

	(void)state;
	impair_rng_seed(&a, 42);
	impair_rng_seed(&b, 42);
	impair_rng_seed(&c, 43);
	for (i = 0; i < 1000; i++) {
		uint64_t x = impair_rng_next(&a);

		assert_true(x == impair_rng_next(&b));
		differ += x != impair_rng_next(&c);
	}
	assert_true(differ > 990);
}

/* Runs DRAWS decisions with conf and counts each fate. */
static void
run(const struct impair_conf *conf, uint64_t seed, unsigned fates[5],
    unsigned *dups, unsigned *reorders, unsigned *corrupts)
{
	struct impair_state st;
	struct impair_rng rng;
	struct impair_verdict v;
	int i;

	memset(&st, 0, sizeof st);
	memset(fates, 0, 5 * sizeof fates[0]);
	*dups = *reorders = *corrupts = 0;
	impair_rng_seed(&rng, seed);
	for (i = 0; i < DRAWS; i++) {
		impair_decide(conf, &st, &rng, (uint64_t)i * MS, 100, &v);
		fates[v.fate]++;
		*dups += v.copies == 2;
		*reorders += v.reordered;
		*corrupts += v.corrupt_bit >= 0;
		if (v.corrupt_bit >= 0)
			assert_true(v.corrupt_bit < 800);
	}
}

static void
test_rates(void **state)
{
	struct impair_conf c;
	unsigned f[5], dups, reorders, corrupts;

	(void)state;
	memset(&c, 0, sizeof c);
	c.loss = 0.2;
	c.dup = 0.05;
	c.reorder = 0.1;
	c.reorder_ns = 10 * MS;
	c.corrupt = 0.01;
	run(&c, 7, f, &dups, &reorders, &corrupts);
	/* 20% of 100k: sd about 126, so +-1000 is far beyond chance. */
	assert_in_range(f[IMPAIR_DROP_LOSS], 19000, 21000);
	assert_in_range(dups, 3600, 4400); /* 5% of the 80k that pass */
	assert_in_range(reorders, 7200, 8800);
	assert_in_range(corrupts, 600, 1000);
	memset(&c, 0, sizeof c);
	run(&c, 7, f, &dups, &reorders, &corrupts);
	assert_int_equal(f[IMPAIR_PASS], DRAWS);
	assert_int_equal(dups + reorders + corrupts, 0);
}

static void
test_same_seed_same_fates(void **state)
{
	struct impair_conf c;
	struct impair_state s1, s2;
	struct impair_rng r1, r2;
	struct impair_verdict v1, v2;
	int i;

	(void)state;
	memset(&c, 0, sizeof c);
	memset(&s1, 0, sizeof s1);
	memset(&s2, 0, sizeof s2);
	c.loss = 0.3;
	c.delay_ns = 20 * MS;
	c.jitter_ns = 5 * MS;
	c.dup = 0.1;
	impair_rng_seed(&r1, 99);
	impair_rng_seed(&r2, 99);
	for (i = 0; i < 10000; i++) {
		impair_decide(&c, &s1, &r1, (uint64_t)i, 64, &v1);
		impair_decide(&c, &s2, &r2, (uint64_t)i, 64, &v2);
		assert_memory_equal(&v1, &v2, sizeof v1);
	}
}

static void
test_burst_length(void **state)
{
	struct impair_conf c;
	struct impair_state st;
	struct impair_rng rng;
	struct impair_verdict v;
	unsigned bursts = 0, lost = 0;
	int i, prev = 0;

	(void)state;
	memset(&c, 0, sizeof c);
	memset(&st, 0, sizeof st);
	c.burst_enter = 0.01;
	c.burst_leave = 0.25; /* mean burst 4 datagrams */
	impair_rng_seed(&rng, 5);
	for (i = 0; i < DRAWS; i++) {
		impair_decide(&c, &st, &rng, 0, 10, &v);
		if (v.fate == IMPAIR_DROP_BURST) {
			lost++;
			bursts += !prev;
		}
		prev = v.fate == IMPAIR_DROP_BURST;
	}
	assert_true(bursts > 500);
	assert_true((double)lost / bursts > 3.5 && (double)lost / bursts < 4.5);
	/* Stationary loss p / (p + r) = 0.01 / 0.26, about 3.8%. */
	assert_in_range(lost, 3000, 4700);
}

static void
test_rate_limit(void **state)
{
	struct impair_conf c;
	struct impair_state st;
	struct impair_rng rng;
	struct impair_verdict v;
	int i, passed = 0;

	(void)state;
	memset(&c, 0, sizeof c);
	memset(&st, 0, sizeof st);
	impair_rng_seed(&rng, 1);
	c.rate = 100; /* pps: one every 10 ms */
	for (i = 0; i < 5; i++) {
		impair_decide(&c, &st, &rng, 0, 10, &v);
		assert_int_equal(v.fate, IMPAIR_PASS);
		assert_true(v.send_ns == (uint64_t)i * 10 * MS);
	}
	/* 1000 at once: a second of backlog passes, the rest is dropped. */
	memset(&st, 0, sizeof st);
	for (i = 0; i < 1000; i++) {
		impair_decide(&c, &st, &rng, 0, 10, &v);
		passed += v.fate == IMPAIR_PASS;
	}
	assert_int_equal(passed, 101);
	/* Bits: 1000 bytes at 80 kbit take 100 ms. */
	memset(&st, 0, sizeof st);
	c.rate = 80000;
	c.rate_bits = 1;
	impair_decide(&c, &st, &rng, 5, 1000, &v);
	impair_decide(&c, &st, &rng, 5, 1000, &v);
	assert_true(v.send_ns == 5 + 100 * MS);
}

static void
test_delay_and_mtu(void **state)
{
	struct impair_conf c;
	struct impair_state st;
	struct impair_rng rng;
	struct impair_verdict v;
	double sum = 0, sq = 0, d;
	int i;

	(void)state;
	memset(&c, 0, sizeof c);
	memset(&st, 0, sizeof st);
	impair_rng_seed(&rng, 3);
	c.delay_ns = 50 * MS;
	c.jitter_ns = 10 * MS;
	for (i = 0; i < DRAWS; i++) {
		impair_decide(&c, &st, &rng, 1000, 10, &v);
		d = (double)(v.send_ns - 1000) / (double)MS;
		assert_true(d >= 40 && d <= 60);
		sum += d;
	}
	assert_true(fabs(sum / DRAWS - 50) < 0.2);
	c.dist = IMPAIR_DIST_NORMAL;
	sum = 0;
	for (i = 0; i < DRAWS; i++) {
		impair_decide(&c, &st, &rng, 0, 10, &v);
		d = (double)v.send_ns / (double)MS;
		assert_true(d >= 20 && d <= 80);
		sum += d;
		sq += (d - 50) * (d - 50);
	}
	assert_true(fabs(sum / DRAWS - 50) < 0.2);
	assert_true(fabs(sqrt(sq / DRAWS) - 10) < 0.3);
	c.mtu = 100;
	impair_decide(&c, &st, &rng, 0, 101, &v);
	assert_int_equal(v.fate, IMPAIR_DROP_MTU);
	impair_decide(&c, &st, &rng, 0, 100, &v);
	assert_int_equal(v.fate, IMPAIR_PASS);
}

static void
test_parse(void **state)
{
	char err[256];
	double p, q;
	uint64_t a, b;
	int bits;
	enum impair_dist dist;

	(void)state;
	assert_int_equal(impair_parse_percent("5%", &p, err, sizeof err), 0);
	assert_true(fabs(p - 0.05) < 1e-12);
	assert_int_equal(impair_parse_percent("0.5", &p, err, sizeof err), 0);
	assert_true(fabs(p - 0.005) < 1e-12);
	assert_int_equal(impair_parse_percent("101%", &p, err, sizeof err), -1);
	assert_string_equal(err, "invalid percentage '101%' (0-100%)");
	assert_int_equal(impair_parse_percent("%", &p, err, sizeof err), -1);
	assert_int_equal(impair_parse_percent("-1%", &p, err, sizeof err), -1);
	assert_int_equal(
	    impair_parse_burst("1%:25%", &p, &q, err, sizeof err), 0);
	assert_true(fabs(p - 0.01) < 1e-12 && fabs(q - 0.25) < 1e-12);
	assert_int_equal(
	    impair_parse_burst("1%:0%", &p, &q, err, sizeof err), -1);
	assert_int_equal(impair_parse_burst("1%", &p, &q, err, sizeof err), -1);
	assert_int_equal(
	    impair_parse_delay("50ms", &a, &b, err, sizeof err), 0);
	assert_true(a == 50 * MS && b == 0);
	assert_int_equal(
	    impair_parse_delay("50+-10", &a, &b, err, sizeof err), 0);
	assert_true(a == 50 * MS && b == 10 * MS);
	assert_int_equal(impair_parse_delay("0.1s\xc2\xb1"
					    "500us",
			     &a, &b, err, sizeof err),
	    0);
	assert_true(a == 100 * MS && b == 500000);
	assert_int_equal(
	    impair_parse_delay("61s", &a, &b, err, sizeof err), -1);
	assert_int_equal(
	    impair_parse_delay("5ms+-", &a, &b, err, sizeof err), -1);
	assert_int_equal(impair_parse_delay("x", &a, &b, err, sizeof err), -1);
	assert_string_equal(err,
	    "invalid delay 'x' (TIME[+-JITTER], 0-60 s each: 50ms, "
	    "50ms+-10ms)");
	b = 7;
	assert_int_equal(
	    impair_parse_reorder("10%", &p, &b, err, sizeof err), 0);
	assert_true(b == 7);
	assert_int_equal(
	    impair_parse_reorder("10%:30ms", &p, &b, err, sizeof err), 0);
	assert_true(b == 30 * MS);
	assert_int_equal(
	    impair_parse_reorder("10%:0", &p, &b, err, sizeof err), -1);
	assert_int_equal(
	    impair_parse_rate("100pps", &p, &bits, err, sizeof err), 0);
	assert_true(p == 100 && bits == 0);
	assert_int_equal(
	    impair_parse_rate("1mbit", &p, &bits, err, sizeof err), 0);
	assert_true(p == 1e6 && bits == 1);
	assert_int_equal(
	    impair_parse_rate("64kbit", &p, &bits, err, sizeof err), 0);
	assert_true(p == 64e3 && bits == 1);
	assert_int_equal(
	    impair_parse_rate("100", &p, &bits, err, sizeof err), -1);
	assert_int_equal(
	    impair_parse_rate("0pps", &p, &bits, err, sizeof err), -1);
	assert_int_equal(
	    impair_parse_rate("pps", &p, &bits, err, sizeof err), -1);
	assert_int_equal(
	    impair_parse_dist("normal", &dist, err, sizeof err), 0);
	assert_int_equal(dist, IMPAIR_DIST_NORMAL);
	assert_int_equal(
	    impair_parse_dist("pareto", &dist, err, sizeof err), -1);
}

static void
test_heap_order(void **state)
{
	struct impair_heap h;
	struct impair_timer t;
	struct impair_rng rng;
	uint64_t prev = 0, prevseq = 0;
	int i, tags[8];

	(void)state;
	assert_int_equal(impair_heap_init(&h, 1000), 0);
	assert_null(impair_heap_peek(&h));
	assert_int_equal(impair_heap_pop(&h, &t), -1);
	impair_rng_seed(&rng, 11);
	for (i = 0; i < 1000; i++)
		assert_int_equal(
		    impair_heap_push(&h, impair_rng_next(&rng) % 50, NULL), 0);
	assert_int_equal(impair_heap_push(&h, 1, NULL), -1);
	for (i = 0; i < 1000; i++) {
		assert_int_equal(impair_heap_pop(&h, &t), 0);
		assert_true(t.when_ns >= prev);
		/* Equal times come out in the order they went in. */
		if (i > 0 && t.when_ns == prev)
			assert_true(t.seq > prevseq);
		prev = t.when_ns;
		prevseq = t.seq;
	}
	assert_int_equal(h.n, 0);
	for (i = 0; i < 8; i++) {
		tags[i] = i;
		impair_heap_push(&h, 5, &tags[i]);
	}
	for (i = 0; i < 8; i++) {
		impair_heap_pop(&h, &t);
		assert_ptr_equal(t.data, &tags[i]);
	}
	impair_heap_free(&h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_seed_repeats),
	    cmocka_unit_test(test_rates),
	    cmocka_unit_test(test_same_seed_same_fates),
	    cmocka_unit_test(test_burst_length),
	    cmocka_unit_test(test_rate_limit),
	    cmocka_unit_test(test_delay_and_mtu),
	    cmocka_unit_test(test_parse),
	    cmocka_unit_test(test_heap_order),
	};

	return cmocka_run_group_tests_name("impair", tests, NULL, NULL);
}
