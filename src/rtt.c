/* SPDX-License-Identifier: ISC */
/*
 * The send times of datagrams still waiting for a reply: a bounded ring
 * that turns each reply into the round trip of the oldest send.
 */
#include "config.h"

#include <stddef.h>
#include <time.h>

#include "rtt.h"

double
rtt_diff_ms(const struct timespec *a, const struct timespec *b)
{
	return (double)(a->tv_sec - b->tv_sec) * 1e3 +
	    (double)(a->tv_nsec - b->tv_nsec) / 1e6;
}

static void
rtt_pending_drop(struct rtt_pending *p)
{
	p->head = (p->head + 1) % RTT_PENDING_MAX;
	p->count--;
}

void
rtt_pending_push(struct rtt_pending *p, const struct timespec *when)
{
	/* The oldest has waited longest; forget it rather than grow. */
	if (p->count == RTT_PENDING_MAX)
		rtt_pending_drop(p);
	p->sent[(p->head + p->count) % RTT_PENDING_MAX] = *when;
	p->count++;
}

void
rtt_pending_expire(
    struct rtt_pending *p, const struct timespec *now, double wait)
{
	while (p->count > 0 && wait > 0 &&
	    rtt_diff_ms(now, &p->sent[p->head]) > wait * 1e3)
		rtt_pending_drop(p);
}

double
rtt_pending_pop(struct rtt_pending *p, const struct timespec *now, double wait)
{
	double ms;

	rtt_pending_expire(p, now, wait);
	if (p->count == 0)
		return -1;
	ms = rtt_diff_ms(now, &p->sent[p->head]);
	rtt_pending_drop(p);
	return ms;
}

double
rtt_pending_newest_ms(const struct rtt_pending *p, const struct timespec *now)
{
	if (p->count == 0)
		return -1;
	return rtt_diff_ms(
	    now, &p->sent[(p->head + p->count - 1) % RTT_PENDING_MAX]);
}

void
rtt_pending_clear(struct rtt_pending *p)
{
	p->head = 0;
	p->count = 0;
}
