/* SPDX-License-Identifier: ISC */
/*
 * Time for the servers' loops: the monotonic clock in nanoseconds, elapsed
 * seconds, a seed from the clock, and the interval timer behind --stats.
 */
#ifndef UDPTOOL_TICKS_H
#define UDPTOOL_TICKS_H

#include <stdint.h>
#include <time.h>

/* Returns the monotonic clock in nanoseconds. */
uint64_t ticks_now_ns(void);

/* Returns the seconds from a to b (negative when b is earlier). */
double ticks_elapsed(const struct timespec *a, const struct timespec *b);

/*
 * Returns 64 bits from the wall clock's nanoseconds and the process id:
 * different in each run, not secret.
 */
uint64_t ticks_seed(void);

/*
 * Raises SIGALRM every seconds (ITIMER_REAL), or stops it when seconds is
 * 0.  Returns 0, or -1 with errno set.
 */
int ticks_alarm(double seconds);

#endif
