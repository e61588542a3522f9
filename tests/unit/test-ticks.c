/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for the ticks module: the clock moves forward, elapsed
 * seconds, deadlines, seeds differ, and the interval timer raises SIGALRM
 * and stops.
 */
#include "config.h"

#include <sys/time.h>

#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "ticks.h"

static volatile sig_atomic_t alarms;

static void
on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static void
test_now_and_elapsed(void **state)
{
	struct timespec a = {10, 900000000}, b = {12, 100000000};
	uint64_t t0, t1;

	(void)state;
	t0 = ticks_now_ns();
	usleep(2000);
	t1 = ticks_now_ns();
	assert_true(t1 - t0 >= 2000000);
	assert_true(
	    ticks_elapsed(&a, &b) > 1.19 && ticks_elapsed(&a, &b) < 1.21);
	assert_true(ticks_elapsed(&b, &a) < 0);
}

static void
test_deadline(void **state)
{
	uint64_t d;
	int ms;

	(void)state;
	assert_true(ticks_deadline(0) == 0);
	assert_true(ticks_deadline(-1) == 0);
	assert_int_equal(ticks_left_ms(0), -1);
	d = ticks_deadline(2.5);
	ms = ticks_left_ms(d);
	/* Rounded up: never less than what is left. */
	assert_true(ms > 2400 && ms <= 2501);
	d = ticks_deadline(0.002);
	assert_true(ticks_left_ms(d) >= 1);
	usleep(5000);
	assert_int_equal(ticks_left_ms(d), 0);
	/* Under a millisecond left: a wait of 1 ms, never one of 0 before. */
	assert_in_range(ticks_left_ms(ticks_now_ns() + 500000), 0, 1);
	assert_int_equal(ticks_left_ms(ticks_deadline(1e7)), INT_MAX);
}

static void
test_seed_differs(void **state)
{
	uint64_t a, b;

	(void)state;
	a = ticks_seed();
	usleep(1000);
	b = ticks_seed();
	assert_true(a != b);
}

static void
test_alarm(void **state)
{
	struct itimerval it;
	int i;

	(void)state;
	signal(SIGALRM, on_alarm);
	alarms = 0;
	assert_int_equal(ticks_alarm(0.01), 0);
	for (i = 0; i < 100 && alarms < 2; i++)
		usleep(10000);
	assert_true(alarms >= 2);
	assert_int_equal(ticks_alarm(0), 0);
	getitimer(ITIMER_REAL, &it);
	assert_true(it.it_value.tv_sec == 0 && it.it_value.tv_usec == 0);
	signal(SIGALRM, SIG_DFL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_now_and_elapsed),
	    cmocka_unit_test(test_deadline),
	    cmocka_unit_test(test_seed_differs),
	    cmocka_unit_test(test_alarm),
	};

	return cmocka_run_group_tests_name("ticks", tests, NULL, NULL);
}
