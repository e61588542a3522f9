/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for the rtt module: round trips of the oldest send, sends
 * past the wait forgotten, a full ring dropping its oldest, and the
 * newest send's age.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "rtt.h"

static struct timespec
ms(long long v)
{
	struct timespec ts;

	ts.tv_sec = (time_t)(v / 1000);
	ts.tv_nsec = (long)(v % 1000) * 1000000;
	return ts;
}

static int
setup(void **state)
{
	*state = calloc(1, sizeof(struct rtt_pending));
	return *state == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	free(*state);
	return 0;
}

static void
test_diff(void **state)
{
	struct timespec a = {5, 250000000}, b = {3, 750000000};

	(void)state;
	assert_float_equal(rtt_diff_ms(&a, &b), 1500.0, 1e-9);
	assert_float_equal(rtt_diff_ms(&b, &a), -1500.0, 1e-9);
}

static void
test_oldest_first(void **state)
{
	struct rtt_pending *p = *state;
	struct timespec t;

	t = ms(1000);
	rtt_pending_push(p, &t);
	t = ms(1100);
	rtt_pending_push(p, &t);
	t = ms(1300);
	assert_float_equal(rtt_pending_pop(p, &t, 2), 300.0, 1e-9);
	assert_float_equal(rtt_pending_pop(p, &t, 2), 200.0, 1e-9);
	assert_float_equal(rtt_pending_pop(p, &t, 2), -1.0, 0);
	assert_int_equal(p->count, 0);
}

static void
test_expired(void **state)
{
	struct rtt_pending *p = *state;
	struct timespec t;

	t = ms(0);
	rtt_pending_push(p, &t);
	t = ms(1500);
	rtt_pending_push(p, &t);
	/* The first was sent 2.5 s ago, past a 2 s wait: the reply is the second's. */
	t = ms(2500);
	assert_float_equal(rtt_pending_pop(p, &t, 2), 1000.0, 1e-9);
	assert_int_equal(p->count, 0);
	/* Without a wait nothing expires. */
	t = ms(0);
	rtt_pending_push(p, &t);
	t = ms(99000);
	rtt_pending_expire(p, &t, 0);
	assert_int_equal(p->count, 1);
	rtt_pending_expire(p, &t, 100);
	assert_int_equal(p->count, 1);
	rtt_pending_expire(p, &t, 10);
	assert_int_equal(p->count, 0);
}

static void
test_full(void **state)
{
	struct rtt_pending *p = *state;
	struct timespec t;
	long long i;

	for (i = 0; i < RTT_PENDING_MAX + 2; i++) {
		t = ms(i);
		rtt_pending_push(p, &t);
	}
	assert_int_equal(p->count, RTT_PENDING_MAX);
	/* Sends 0 and 1 were forgotten: the oldest left is send 2. */
	t = ms(RTT_PENDING_MAX + 10);
	assert_float_equal(
	    rtt_pending_pop(p, &t, 0), (double)(RTT_PENDING_MAX + 8), 1e-9);
	assert_float_equal(rtt_pending_newest_ms(p, &t), 9.0, 1e-9);
	rtt_pending_clear(p);
	assert_int_equal(p->count, 0);
	assert_float_equal(rtt_pending_newest_ms(p, &t), -1.0, 0);
	assert_float_equal(rtt_pending_pop(p, &t, 0), -1.0, 0);
}

static void
test_newest(void **state)
{
	struct rtt_pending *p = *state;
	struct timespec t;

	t = ms(100);
	rtt_pending_push(p, &t);
	t = ms(400);
	rtt_pending_push(p, &t);
	t = ms(1000);
	assert_float_equal(rtt_pending_newest_ms(p, &t), 600.0, 1e-9);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_diff),
	    cmocka_unit_test_setup_teardown(test_oldest_first, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_expired, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_full, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_newest, setup, teardown),
	};

	return cmocka_run_group_tests_name("rtt", tests, NULL, NULL);
}
