/* SPDX-License-Identifier: ISC */
/*
 * Time for the servers' loops: the monotonic clock in nanoseconds, elapsed
 * seconds, deadlines, a seed from the clock, and the timer behind --stats.
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
 * Returns the monotonic time (as ticks_now_ns()) seconds from now, a
 * deadline for ticks_left_ms(); 0, no deadline, when seconds is not above 0.
 */
uint64_t ticks_deadline(double seconds);

/*
 * Returns the milliseconds left until deadline, rounded up so that a wait
 * for them ends after it; 0 once it has passed, -1 when deadline is 0.
 */
int ticks_left_ms(uint64_t deadline);

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
