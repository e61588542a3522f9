/* SPDX-License-Identifier: ISC */
/*
 * Round-trip statistics for ping: per-probe accounting (lost, duplicated,
 * reordered, late, refused), min/avg/max/mdev, percentiles and jitter.
 */
#ifndef UDPTOOL_STATS_H
#define UDPTOOL_STATS_H

#include <stddef.h>
#include <stdint.h>

/*
 * Percentiles are exact (nearest rank) while at most STATS_SAMPLES_MAX
 * round trips have been recorded.  Every sample also goes into a fixed
 * log-linear histogram (STATS_HIST_SUB buckets per power of two of
 * microseconds, so a bucket is at most 1/128 = 0.8% wide and its middle
 * within 0.4% of any value in it; 35 KB), which answers
 * for longer runs: memory stays bounded however long ping runs, and the
 * error stays relative, which is what matters for latencies spanning
 * microseconds to seconds.
 */
#define STATS_SAMPLES_MAX 4096
#define STATS_HIST_SUB 128
#define STATS_HIST_OCTAVES 34 /* 1 us to about 4.7 hours */
#define STATS_HIST_BUCKETS (1 + STATS_HIST_SUB * STATS_HIST_OCTAVES)

/*
 * Probes whose replies are still recognised: a reply to a probe sent more
 * than STATS_WINDOW probes ago is ignored, as the kernel ignores ancient
 * TCP segments.
 */
#define STATS_WINDOW 16384

/* stats_reply() results, combined as flags */
#define STATS_R_UNKNOWN 0x01 /* not a probe we sent (or too old): ignore */
#define STATS_R_DUP 0x02 /* a further reply to an answered probe */
#define STATS_R_REORDERED 0x04 /* lower sequence than one already seen */
#define STATS_R_LATE 0x08 /* round trip longer than the reply timeout */

/*
 * Definitions (written out in udptool-ping(1)):
 *  received   probes with at least one valid reply;
 *  lost       transmitted - received;
 *  duplicate  every reply after the first for the same probe;
 *  reordered  a first reply whose sequence number is lower than the highest
 *             one received before it (RFC 4737 section 3.3);
 *  late       a first reply that came after the reply timeout (it counts as
 *             received too, as in ping(8));
 *  refused    probes answered by ICMP port unreachable;
 *  errors     probes answered by another ICMP error.
 * Duplicates are left out of the round-trip figures.  Jitter is the RFC 3550
 * interarrival jitter (section 6.4.1) over first replies in arrival order,
 * where the transit time difference of two replies is the difference of
 * their round trips: J += (|D| - J) / 16.
 */
struct stats_summary {
	uint64_t sent, received, duplicates, lost, reordered, late;
	uint64_t errors, refused;
	double loss_pct;
	uint64_t n; /* round trips in the figures below */
	double min, avg, max, mdev, p50, p90, p99, jitter; /* ms */
};

struct stats_bin {
	double lo, hi; /* ms, [lo, hi) (the last bin includes hi) */
	uint64_t count;
};

struct stats;

/* Returns new, empty statistics, or NULL when out of memory. */
struct stats *stats_new(void);

/* Frees s (NULL is fine). */
void stats_free(struct stats *s);

/* Records a probe sent at now (ms, monotonic); returns its sequence number, from 1. */
uint64_t stats_sent(struct stats *s, double now);

/* Returns the number of the last probe sent (0 before the first). */
uint64_t stats_last_seq(const struct stats *s);

/*
 * Maps a 16-bit wire sequence number to the most recent probe that carries
 * it; returns 0, or -1 when no such probe was sent.
 */
int stats_unwrap16(const struct stats *s, uint16_t wire, uint64_t *seq);

/* Returns the send time (ms) of probe seq, or -1 when it is unknown. */
double stats_sent_at(const struct stats *s, uint64_t seq);

/*
 * Records a reply to probe seq arriving at now; timeout (ms, <= 0: none)
 * decides lateness.  Stores the round trip in *rtt and returns STATS_R_*
 * flags (0: an in-order first reply).
 */
int stats_reply(
    struct stats *s, uint64_t seq, double now, double timeout, double *rtt);

/*
 * Records an ICMP error for probe seq (refused when port unreachable);
 * returns 0, or -1 when seq is unknown.
 */
int stats_error(struct stats *s, uint64_t seq, int refused);

/*
 * Finds the next probe whose reply timeout passed at now without any
 * answer; returns 1 with its number in *seq (once per probe), else 0.
 */
int stats_expire(struct stats *s, double now, double timeout, uint64_t *seq);

/*
 * Returns the send time (ms) of the oldest probe still waiting for a
 * timeout verdict, or -1 when none is.
 */
double stats_oldest_pending(const struct stats *s);

/* Returns 1 if probe seq has had a reply, else 0 (unknown probes too). */
int stats_has_reply(const struct stats *s, uint64_t seq);

/* Returns 1 if probe seq has had an error (a refusal too), else 0. */
int stats_has_error(const struct stats *s, uint64_t seq);

/* Returns the number of probes with a reply or an error so far. */
uint64_t stats_answered(const struct stats *s);

/* Returns 1 when every probe sent has a reply, an error or a timeout verdict. */
int stats_settled(const struct stats *s);

/* Fills sum from s. */
void stats_summarize(const struct stats *s, struct stats_summary *sum);

/* Adds one round trip to the figures (stats_reply() does it for first replies). */
void stats_add_rtt(struct stats *s, double rtt);

/*
 * Spreads the round trips over up to nbins equal-width bins from the
 * minimum to the maximum, for a terminal histogram; returns the number of
 * bins filled (0 when there are no round trips).
 */
size_t stats_histogram(
    const struct stats *s, struct stats_bin *bins, size_t nbins);

/*
 * Returns the length of bin i's bar when the fullest of the n bins is
 * width long: its count scaled and rounded up, so no sample goes unseen.
 */
size_t stats_bin_bar(
    const struct stats_bin *bins, size_t n, size_t i, size_t width);

#endif
