/* SPDX-License-Identifier: ISC */
/*
 * Time for the servers' loops: the monotonic clock, elapsed seconds,
 * deadlines, a seed and the --stats interval timer.
 */
#include "config.h"

#include <sys/time.h>

#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "ticks.h"

uint64_t
ticks_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

double
ticks_elapsed(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) +
	    (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

uint64_t
ticks_deadline(double seconds)
{
	if (!(seconds > 0))
		return 0;
	return ticks_now_ns() + (uint64_t)(seconds * 1e9);
}

int
ticks_left_ms(uint64_t deadline)
{
	uint64_t now, ms;

	if (deadline == 0)
		return -1;
	now = ticks_now_ns();
	if (now >= deadline)
		return 0;
	ms = (deadline - now) / 1000000 + 1;
	return ms > INT_MAX ? INT_MAX : (int)ms;
}

uint64_t
ticks_seed(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_nsec * 0x9e3779b97f4a7c15ULL ^
	    (uint64_t)ts.tv_sec ^ ((uint64_t)getpid() << 32);
}

int
ticks_alarm(double seconds)
{
	struct itimerval it;

	memset(&it, 0, sizeof it);
	it.it_interval.tv_sec = (time_t)seconds;
	it.it_interval.tv_usec =
	    (suseconds_t)((seconds - (double)(time_t)seconds) * 1e6);
	it.it_value = it.it_interval;
	return setitimer(ITIMER_REAL, &it, NULL);
}
