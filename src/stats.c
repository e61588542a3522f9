/* SPDX-License-Identifier: ISC */
/*
 * Round-trip statistics and probe accounting in bounded memory: a ring of
 * recent probes, the first samples kept exactly, and a log histogram.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

#define SLOT_RECEIVED 0x01
#define SLOT_ERROR 0x02
#define SLOT_EXPIRED 0x04

struct stats {
	/* Probe accounting */
	uint64_t next_seq; /* the next probe's number */
	uint64_t expire_seq; /* probes below this have had their verdict */
	uint64_t received, dups, reordered, late, errors, refused;
	uint64_t settled; /* probes with a reply, an error or a timeout */
	uint64_t max_seen;
	double sent_at[STATS_WINDOW];
	uint8_t state[STATS_WINDOW];

	/* Round trips (ms) */
	uint64_t n;
	double min, max, sum, sum2;
	double jitter, last_rtt;
	int has_last;
	size_t nsamples;
	double samples[STATS_SAMPLES_MAX];
	uint64_t hist[STATS_HIST_BUCKETS];
};

struct stats *
stats_new(void)
{
	struct stats *s = calloc(1, sizeof *s);

	if (s != NULL)
		s->next_seq = 1;
	return s;
}

void
stats_free(struct stats *s)
{
	free(s);
}

/* Returns 1 if probe seq was sent and is still inside the window. */
static int
stats_known(const struct stats *s, uint64_t seq)
{
	return seq >= 1 && seq < s->next_seq &&
	    s->next_seq - seq <= STATS_WINDOW;
}

uint64_t
stats_sent(struct stats *s, double now)
{
	uint64_t seq = s->next_seq++;
	size_t slot = seq % STATS_WINDOW;

	if (s->expire_seq == 0)
		s->expire_seq = seq;
	/* The slot is reused: its old probe gets no verdict any more. */
	while (s->next_seq - s->expire_seq > STATS_WINDOW) {
		if (!(s->state[s->expire_seq % STATS_WINDOW] &
			(SLOT_RECEIVED | SLOT_ERROR | SLOT_EXPIRED)))
			s->settled++;
		s->expire_seq++;
	}
	s->sent_at[slot] = now;
	s->state[slot] = 0;
	return seq;
}

uint64_t
stats_last_seq(const struct stats *s)
{
	return s->next_seq - 1;
}

int
stats_unwrap16(const struct stats *s, uint16_t wire, uint64_t *seq)
{
	uint64_t last = s->next_seq - 1;
	uint16_t back = (uint16_t)((uint16_t)last - wire);

	if (last == 0 || back >= last)
		return -1;
	*seq = last - back;
	return 0;
}

double
stats_sent_at(const struct stats *s, uint64_t seq)
{
	if (!stats_known(s, seq))
		return -1;
	return s->sent_at[seq % STATS_WINDOW];
}

/* Returns the histogram bucket of a round trip of ms milliseconds. */
static size_t
stats_bucket(double ms)
{
	double us = ms * 1000.0, m;
	int e;
	size_t b;

	if (!(us >= 1.0))
		return 0;
	m = frexp(us, &e); /* us = m * 2^e, m in [0.5, 1) */
	if (e - 1 >= STATS_HIST_OCTAVES)
		return STATS_HIST_BUCKETS - 1;
	b = 1 + (size_t)(e - 1) * STATS_HIST_SUB +
	    (size_t)((m * 2.0 - 1.0) * STATS_HIST_SUB);
	return b < STATS_HIST_BUCKETS ? b : STATS_HIST_BUCKETS - 1;
}

/* Returns the middle of bucket b in ms. */
static double
stats_bucket_mid(size_t b)
{
	size_t oct, sub;

	if (b == 0)
		return 0.0005;
	oct = (b - 1) / STATS_HIST_SUB;
	sub = (b - 1) % STATS_HIST_SUB;
	return ldexp(1.0 + (sub + 0.5) / STATS_HIST_SUB, (int)oct) / 1000.0;
}

void
stats_add_rtt(struct stats *s, double rtt)
{
	double d;

	if (rtt < 0)
		rtt = 0;
	if (s->n == 0 || rtt < s->min)
		s->min = rtt;
	if (s->n == 0 || rtt > s->max)
		s->max = rtt;
	s->n++;
	s->sum += rtt;
	s->sum2 += rtt * rtt;
	if (s->has_last) {
		d = fabs(rtt - s->last_rtt);
		s->jitter += (d - s->jitter) / 16.0;
	}
	s->last_rtt = rtt;
	s->has_last = 1;
	if (s->nsamples < STATS_SAMPLES_MAX)
		s->samples[s->nsamples++] = rtt;
	s->hist[stats_bucket(rtt)]++;
}

int
stats_reply(
    struct stats *s, uint64_t seq, double now, double timeout, double *rtt)
{
	size_t slot = seq % STATS_WINDOW;
	int flags = 0;

	if (!stats_known(s, seq))
		return STATS_R_UNKNOWN;
	*rtt = now - s->sent_at[slot];
	if (s->state[slot] & SLOT_RECEIVED) {
		s->dups++;
		return STATS_R_DUP;
	}
	if (!(s->state[slot] & (SLOT_ERROR | SLOT_EXPIRED)))
		s->settled++;
	s->state[slot] |= SLOT_RECEIVED;
	s->received++;
	if (s->received > 1 && seq < s->max_seen) {
		s->reordered++;
		flags |= STATS_R_REORDERED;
	}
	if (seq > s->max_seen)
		s->max_seen = seq;
	if (timeout > 0 && *rtt > timeout) {
		s->late++;
		flags |= STATS_R_LATE;
	}
	stats_add_rtt(s, *rtt);
	return flags;
}

int
stats_has_reply(const struct stats *s, uint64_t seq)
{
	return stats_known(s, seq) &&
	    (s->state[seq % STATS_WINDOW] & SLOT_RECEIVED) != 0;
}

int
stats_has_error(const struct stats *s, uint64_t seq)
{
	return stats_known(s, seq) &&
	    (s->state[seq % STATS_WINDOW] & SLOT_ERROR) != 0;
}

int
stats_error(struct stats *s, uint64_t seq, int refused)
{
	size_t slot = seq % STATS_WINDOW;

	if (!stats_known(s, seq))
		return -1;
	if (!(s->state[slot] & (SLOT_RECEIVED | SLOT_ERROR | SLOT_EXPIRED)))
		s->settled++;
	s->state[slot] |= SLOT_ERROR;
	if (refused)
		s->refused++;
	else
		s->errors++;
	return 0;
}

int
stats_expire(struct stats *s, double now, double timeout, uint64_t *seq)
{
	size_t slot;
	uint8_t st;

	while (s->expire_seq != 0 && s->expire_seq < s->next_seq) {
		slot = s->expire_seq % STATS_WINDOW;
		if (now - s->sent_at[slot] < timeout)
			return 0;
		st = s->state[slot];
		s->state[slot] |= SLOT_EXPIRED;
		*seq = s->expire_seq++;
		if (!(st & (SLOT_RECEIVED | SLOT_ERROR))) {
			s->settled++;
			return 1;
		}
	}
	return 0;
}

double
stats_oldest_pending(const struct stats *s)
{
	if (s->expire_seq == 0 || s->expire_seq >= s->next_seq)
		return -1;
	return s->sent_at[s->expire_seq % STATS_WINDOW];
}

uint64_t
stats_answered(const struct stats *s)
{
	return s->received + s->errors + s->refused;
}

int
stats_settled(const struct stats *s)
{
	return s->settled >= s->next_seq - 1;
}

static int
stats_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Fills the nearest-rank percentiles p (of np) into out. */
static void
stats_percentiles(
    const struct stats *s, const double *p, double *out, size_t np)
{
	double *sorted;
	uint64_t rank, cum;
	size_t i, b;

	for (i = 0; i < np; i++)
		out[i] = 0;
	if (s->n == 0)
		return;
	if (s->n <= STATS_SAMPLES_MAX) {
		sorted = malloc(s->nsamples * sizeof *sorted);
		if (sorted != NULL) {
			memcpy(
			    sorted, s->samples, s->nsamples * sizeof *sorted);
			qsort(sorted, s->nsamples, sizeof *sorted, stats_cmp);
			for (i = 0; i < np; i++) {
				rank =
				    (uint64_t)ceil(p[i] / 100.0 * (double)s->n);
				if (rank < 1)
					rank = 1;
				out[i] = sorted[rank - 1];
			}
			free(sorted);
			return;
		}
	}
	for (i = 0; i < np; i++) {
		rank = (uint64_t)ceil(p[i] / 100.0 * (double)s->n);
		if (rank < 1)
			rank = 1;
		cum = 0;
		for (b = 0; b < STATS_HIST_BUCKETS; b++) {
			cum += s->hist[b];
			if (cum >= rank)
				break;
		}
		out[i] = stats_bucket_mid(
		    b < STATS_HIST_BUCKETS ? b : STATS_HIST_BUCKETS - 1);
		/* The bucket middle may lie outside what was measured. */
		if (out[i] < s->min)
			out[i] = s->min;
		if (out[i] > s->max)
			out[i] = s->max;
	}
}

void
stats_summarize(const struct stats *s, struct stats_summary *sum)
{
	static const double p[3] = {50, 90, 99};
	double pv[3], var;

	memset(sum, 0, sizeof *sum);
	sum->sent = s->next_seq - 1;
	sum->received = s->received;
	sum->duplicates = s->dups;
	sum->lost = sum->sent - sum->received;
	sum->reordered = s->reordered;
	sum->late = s->late;
	sum->errors = s->errors;
	sum->refused = s->refused;
	if (sum->sent > 0)
		sum->loss_pct = 100.0 * (double)sum->lost / (double)sum->sent;
	sum->n = s->n;
	if (s->n == 0)
		return;
	sum->min = s->min;
	sum->max = s->max;
	sum->avg = s->sum / (double)s->n;
	/* As ping(8): the square root of the mean square minus the square mean. */
	var = s->sum2 / (double)s->n - sum->avg * sum->avg;
	sum->mdev = var > 0 ? sqrt(var) : 0;
	sum->jitter = s->jitter;
	stats_percentiles(s, p, pv, 3);
	sum->p50 = pv[0];
	sum->p90 = pv[1];
	sum->p99 = pv[2];
}

size_t
stats_histogram(const struct stats *s, struct stats_bin *bins, size_t nbins)
{
	double width, v;
	size_t i, k, b;

	if (s->n == 0 || nbins == 0)
		return 0;
	if (s->max <= s->min)
		nbins = 1;
	width = (s->max - s->min) / (double)nbins;
	for (i = 0; i < nbins; i++) {
		bins[i].lo = s->min + width * (double)i;
		bins[i].hi =
		    i + 1 == nbins ? s->max : s->min + width * (double)(i + 1);
		bins[i].count = 0;
	}
	/* Exact samples while they are all kept, else the log histogram. */
	if (s->n <= STATS_SAMPLES_MAX) {
		for (k = 0; k < s->nsamples; k++) {
			v = s->samples[k];
			i = width > 0 ? (size_t)((v - s->min) / width) : 0;
			bins[i < nbins ? i : nbins - 1].count++;
		}
		return nbins;
	}
	for (b = 0; b < STATS_HIST_BUCKETS; b++) {
		if (s->hist[b] == 0)
			continue;
		v = stats_bucket_mid(b);
		if (v < s->min)
			v = s->min;
		if (v > s->max)
			v = s->max;
		i = width > 0 ? (size_t)((v - s->min) / width) : 0;
		bins[i < nbins ? i : nbins - 1].count += s->hist[b];
	}
	return nbins;
}

size_t
stats_bin_bar(const struct stats_bin *bins, size_t n, size_t i, size_t width)
{
	uint64_t maxc = 0;
	size_t j;

	for (j = 0; j < n; j++)
		if (bins[j].count > maxc)
			maxc = bins[j].count;
	if (maxc == 0)
		return 0;
	return (size_t)((bins[i].count * width + maxc - 1) / maxc);
}
