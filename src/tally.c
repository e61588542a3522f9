/* SPDX-License-Identifier: ISC */
/*
 * Sent, answered and round-trip counters of a client, and their summary
 * fields through one output call each, so text and JSON never drift.
 */
#include "config.h"

#include <stdio.h>

#include "output.h"
#include "tally.h"

void
tally_rtt(struct tally *t, double ms)
{
	if (t->rtt_n == 0 || ms < t->rtt_min)
		t->rtt_min = ms;
	if (t->rtt_n == 0 || ms > t->rtt_max)
		t->rtt_max = ms;
	t->rtt_sum += ms;
	t->rtt_n++;
}

unsigned long long
tally_answered(const struct tally *t)
{
	return t->replies + t->refused + t->unreachable + t->icmp_other;
}

unsigned long long
tally_timed_out(const struct tally *t)
{
	unsigned long long answered = tally_answered(t);
	unsigned long long left = t->sent > answered ? t->sent - answered : 0;

	return left > t->unanswered ? left - t->unanswered : 0;
}

void
tally_out_counts(struct out *o, const struct tally *t)
{
	out_uint(o, "sent", "%llu sent", t->sent);
	out_count(
	    o, "sent_bytes", " (%llu %s)", t->sent_bytes, "byte", "bytes");
	out_count(o, "received", ", %llu %s", t->replies, "reply", "replies");
	out_uint(o, "received_bytes", NULL, t->recv_bytes);
	out_uint(o, "refused", ", %llu refused", t->refused);
	out_uint(o, "unreachable",
	    t->unreachable > 0 ? ", %llu unreachable" : NULL, t->unreachable);
	out_count(o, "icmp_other",
	    t->icmp_other > 0 ? ", %llu other ICMP %s" : NULL, t->icmp_other,
	    "error", "errors");
	out_uint(o, "timed_out", ", %llu timed out", tally_timed_out(t));
	out_uint(o, "unanswered",
	    t->unanswered > 0 ? ", %llu unanswered" : NULL, t->unanswered);
}

void
tally_out_rtt(struct out *o, const struct tally *t)
{
	if (t->rtt_n == 0)
		return;
	out_double(o, "rtt_min_ms", ", rtt min/avg/max %.3f", t->rtt_min);
	out_double(o, "rtt_avg_ms", "/%.3f", t->rtt_sum / (double)t->rtt_n);
	out_double(o, "rtt_max_ms", "/%.3f ms", t->rtt_max);
}
