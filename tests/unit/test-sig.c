/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for the signal module: a signal raised while blocked waits
 * for sig_ppoll(), which returns EINTR at once with the flag set.
 */
#include "config.h"

#include <sys/epoll.h>

#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "sig.h"

static const int test_sigs[] = {SIGUSR1, SIGTERM, 0};

static double
test_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
setup(void **state)
{
	(void)state;
	return sig_catch(test_sigs);
}

static int
teardown(void **state)
{
	(void)state;
	sig_take(SIGUSR1);
	sig_take(SIGTERM);
	sig_restore(test_sigs);
	return 0;
}

static void
test_blocked_signal_waits_for_ppoll(void **state)
{
	double t0;
	int r;

	(void)state;
	sig_block();
	raise(SIGTERM);
	/* Blocked: the handler has not run, so a check here sees nothing. */
	assert_false(sig_pending(SIGTERM));
	t0 = test_now();
	r = sig_ppoll(NULL, 0, 5000);
	assert_int_equal(r, -1);
	assert_int_equal(errno, EINTR);
	assert_true(test_now() - t0 < 1.0);
	assert_true(sig_pending(SIGTERM));
	assert_false(sig_pending(SIGUSR1));
	sig_unblock();
}

static void
test_timeout_without_signal(void **state)
{
	double t0, dt;

	(void)state;
	sig_block();
	t0 = test_now();
	assert_int_equal(sig_ppoll(NULL, 0, 100), 0);
	dt = test_now() - t0;
	assert_true(dt >= 0.09 && dt < 2.0);
	assert_false(sig_pending(SIGTERM));
	assert_false(sig_pending(SIGUSR1));
	sig_unblock();
}

static void
test_take_clears(void **state)
{
	(void)state;
	raise(SIGUSR1);
	assert_true(sig_pending(SIGUSR1));
	assert_true(sig_take(SIGUSR1));
	assert_false(sig_pending(SIGUSR1));
	assert_false(sig_take(SIGUSR1));
	sig_set(SIGUSR1);
	assert_true(sig_take(SIGUSR1));
}

static void
test_nested_catch(void **state)
{
	static const int more[] = {SIGTERM, SIGHUP, 0};
	struct sigaction sa;

	(void)state;
	/* SIGTERM is caught already: a nested catch keeps its flag. */
	raise(SIGTERM);
	assert_int_equal(sig_catch(more), 0);
	assert_true(sig_pending(SIGTERM));
	sig_restore(more);
	/* The outer catch still holds SIGTERM; SIGHUP is back to default. */
	sigaction(SIGHUP, NULL, &sa);
	assert_true(sa.sa_handler == SIG_DFL);
	sigaction(SIGTERM, NULL, &sa);
	assert_true(sa.sa_handler != SIG_DFL);
}

static void
test_catch_while_blocked(void **state)
{
	static const int hup[] = {SIGHUP, 0};

	(void)state;
	sig_block();
	assert_int_equal(sig_catch(hup), 0);
	raise(SIGHUP);
	assert_false(sig_pending(SIGHUP));
	assert_int_equal(sig_ppoll(NULL, 0, 5000), -1);
	assert_true(sig_take(SIGHUP));
	sig_restore(hup);
	sig_unblock();
}

/* epoll_pwait() with sig_waitset() lets a blocked signal in as ppoll does. */
static void
test_waitset_for_epoll(void **state)
{
	struct epoll_event ev;
	int ep;

	(void)state;
	assert_null(sig_waitset());
	assert_true((ep = epoll_create1(EPOLL_CLOEXEC)) >= 0);
	sig_block();
	assert_non_null(sig_waitset());
	assert_false(sigismember(sig_waitset(), SIGUSR1));
	raise(SIGUSR1);
	assert_false(sig_pending(SIGUSR1));
	assert_int_equal(epoll_pwait(ep, &ev, 1, 5000, sig_waitset()), -1);
	assert_int_equal(errno, EINTR);
	assert_true(sig_pending(SIGUSR1));
	sig_unblock();
	assert_null(sig_waitset());
	close(ep);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
		test_blocked_signal_waits_for_ppoll, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_timeout_without_signal, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_take_clears, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_nested_catch, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_catch_while_blocked, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_waitset_for_epoll, setup, teardown),
	};

	return cmocka_run_group_tests_name("sig", tests, NULL, NULL);
}
