/* SPDX-License-Identifier: ISC */
/*
 * What a client sent and what came back (replies, ICMP errors, round
 * trips), and the summary fields that print it in text and JSON.
 */
#ifndef UDPTOOL_TALLY_H
#define UDPTOOL_TALLY_H

struct out;

/* Counters of one peer, or of all; zeroed is empty. */
struct tally {
	unsigned long long sent, sent_bytes, replies, recv_bytes, refused,
	    unreachable, icmp_other;
	unsigned long long
	    unanswered; /* still owed when the wait at exit ran out */
	double rtt_min, rtt_max, rtt_sum; /* ms */
	unsigned long long rtt_n;
};

/* Adds one round trip of ms milliseconds. */
void tally_rtt(struct tally *t, double ms);

/* Returns the datagrams answered by a reply or an ICMP error. */
unsigned long long tally_answered(const struct tally *t);

/*
 * Returns the datagrams that timed out: sent, never answered, and not
 * among those still owed (unanswered) when the run ended.
 */
unsigned long long tally_timed_out(const struct tally *t);

/* Writes the counts: "N sent (B bytes), N replies, N refused, ...". */
void tally_out_counts(struct out *o, const struct tally *t);

/* Writes ", rtt min/avg/max A/B/C ms", nothing without a round trip. */
void tally_out_rtt(struct out *o, const struct tally *t);

#endif
