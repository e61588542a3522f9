/* SPDX-License-Identifier: ISC */
/*
 * The send times of datagrams still waiting for a reply, oldest first, so
 * that each reply gives the round trip of the oldest one it can answer.
 */
#ifndef UDPTOOL_RTT_H
#define UDPTOOL_RTT_H

#include <stddef.h>
#include <time.h>

#define RTT_PENDING_MAX 4096 /* send times kept; the oldest go first */

/* A ring of send times, oldest at head; zeroed is empty. */
struct rtt_pending {
	struct timespec sent[RTT_PENDING_MAX];
	size_t head, count;
};

/* Returns a - b in milliseconds. */
double rtt_diff_ms(const struct timespec *a, const struct timespec *b);

/* Records a send at when; a full ring forgets its oldest entry. */
void rtt_pending_push(struct rtt_pending *p, const struct timespec *when);

/*
 * Forgets the send times more than wait seconds before now (none when
 * wait is 0): those datagrams are past answering.
 */
void rtt_pending_expire(
    struct rtt_pending *p, const struct timespec *now, double wait);

/*
 * Takes the oldest send time still within wait seconds of now and returns
 * its round trip in milliseconds, or -1 when none is left.
 */
double rtt_pending_pop(
    struct rtt_pending *p, const struct timespec *now, double wait);

/* Returns the milliseconds since the newest send time, or -1 when empty. */
double rtt_pending_newest_ms(
    const struct rtt_pending *p, const struct timespec *now);

/* Forgets every send time. */
void rtt_pending_clear(struct rtt_pending *p);

#endif
