/* SPDX-License-Identifier: ISC */
/*
 * Network impairments for the relay, decided without I/O: a seeded PRNG,
 * loss (plain and Gilbert-Elliott bursts), delay with jitter, duplication,
 * reordering, corruption, a rate limit, an MTU, and the timer heap that
 * holds delayed datagrams.
 */
#ifndef UDPTOOL_IMPAIR_H
#define UDPTOOL_IMPAIR_H

#include <stddef.h>
#include <stdint.h>

/* xoshiro256** seeded through splitmix64: small, fast, repeatable. */
struct impair_rng {
	uint64_t s[4];
};

/* Seeds rng from seed; the same seed gives the same sequence. */
void impair_rng_seed(struct impair_rng *rng, uint64_t seed);

/* Returns the next 64 random bits. */
uint64_t impair_rng_next(struct impair_rng *rng);

/* Returns a uniform double in [0, 1). */
double impair_rng_double(struct impair_rng *rng);

/* Returns a standard normal deviate (mean 0, deviation 1). */
double impair_rng_normal(struct impair_rng *rng);

enum impair_dist {
	IMPAIR_DIST_UNIFORM, /* delay uniform in [delay - jitter, delay + jitter] */
	IMPAIR_DIST_NORMAL, /* normal, deviation jitter, cut at +-3 jitter */
};

/* One direction's impairments; all zero means none. */
struct impair_conf {
	double loss; /* probability of losing a datagram, 0-1 */
	double burst_enter; /* Gilbert-Elliott: good to bad, per datagram */
	double burst_leave; /* bad to good; 0 with burst_enter 0: no bursts */
	uint64_t delay_ns;
	uint64_t jitter_ns;
	enum impair_dist dist;
	double dup; /* probability of one extra copy */
	double reorder; /* probability of holding a datagram back */
	uint64_t reorder_ns; /* how long it is held back */
	double corrupt; /* probability of flipping one bit */
	double rate; /* datagrams or bits per second, 0: no limit */
	int rate_bits; /* rate counts bits (payload bytes * 8), not datagrams */
	size_t mtu; /* larger datagrams are dropped, 0: no limit */
};

/* The state one flow keeps per direction. */
struct impair_state {
	int burst_bad; /* in the Gilbert-Elliott bad state */
	uint64_t link_free_ns; /* when the rate-limited link is free again */
};

enum impair_fate {
	IMPAIR_PASS,
	IMPAIR_DROP_MTU,
	IMPAIR_DROP_LOSS,
	IMPAIR_DROP_BURST,
	IMPAIR_DROP_RATE,
};

/* What becomes of one datagram. */
struct impair_verdict {
	enum impair_fate fate;
	uint64_t send_ns; /* when it leaves (now, or later) */
	int copies; /* 1, or 2 with a duplicate */
	int reordered; /* held back so that later ones overtake it */
	long corrupt_bit; /* bit to flip, -1 none */
};

/* The most a rate-limited link queues before it drops, in time. */
#define IMPAIR_RATE_BACKLOG_NS 1000000000ULL

/* Returns 1 if conf impairs anything at all. */
int impair_active(const struct impair_conf *conf);

/*
 * Decides the fate of a datagram of len bytes arriving at now_ns, with
 * random draws from rng and the flow's state st.  Never fails.
 */
void impair_decide(const struct impair_conf *conf, struct impair_state *st,
    struct impair_rng *rng, uint64_t now_ns, size_t len,
    struct impair_verdict *v);

/*
 * Parses a probability, "5%", "0.5%" or "5" (percent, 0-100), into *p in
 * [0, 1]; returns 0, or -1 with err naming the value.
 */
int impair_parse_percent(const char *s, double *p, char *err, size_t errlen);

/*
 * Parses a Gilbert-Elliott burst model "P%:R%": P the chance of entering
 * a burst per datagram, R of leaving it (mean burst length 1/R datagrams).
 * Returns 0, or -1 with err.
 */
int impair_parse_burst(
    const char *s, double *enter, double *leave, char *err, size_t errlen);

/*
 * Parses a time, "50", "50ms", "0.5s" or "500us" (milliseconds without a
 * unit), up to 60 s, into nanoseconds; returns 0, or -1 with err.
 */
int impair_parse_time(const char *s, uint64_t *ns, char *err, size_t errlen);

/*
 * Parses a delay "TIME[+-JITTER]" (or the sign U+00B1 for +-); returns 0,
 * or -1 with err.
 */
int impair_parse_delay(const char *s, uint64_t *delay_ns, uint64_t *jitter_ns,
    char *err, size_t errlen);

/*
 * Parses "P%[:TIME]" for reordering: the chance and how long a datagram
 * is held back (default reorder_ns as given).  Returns 0, or -1 with err.
 */
int impair_parse_reorder(
    const char *s, double *p, uint64_t *hold_ns, char *err, size_t errlen);

/*
 * Parses a rate: "100pps" datagrams per second, or bits per second as
 * "64kbit", "1mbit", "1gbit" or "9600bit".  Returns 0, or -1 with err.
 */
int impair_parse_rate(
    const char *s, double *rate, int *bits, char *err, size_t errlen);

/* Parses "uniform" or "normal"; returns 0, or -1 with err. */
int impair_parse_dist(
    const char *s, enum impair_dist *dist, char *err, size_t errlen);

/* A binary min-heap of timers, ordered by time, then by insertion. */
struct impair_timer {
	uint64_t when_ns;
	uint64_t seq;
	void *data;
};

struct impair_heap {
	struct impair_timer *t;
	size_t n;
	size_t cap; /* fixed at init: the heap never grows */
	uint64_t seq;
};

/* Allocates room for cap timers; returns 0, or -1 with errno set. */
int impair_heap_init(struct impair_heap *h, size_t cap);

/* Frees the heap's array (not the data pointers). */
void impair_heap_free(struct impair_heap *h);

/* Adds a timer; returns 0, or -1 when the heap is full. */
int impair_heap_push(struct impair_heap *h, uint64_t when_ns, void *data);

/* Returns the earliest timer without removing it, or NULL when empty. */
const struct impair_timer *impair_heap_peek(const struct impair_heap *h);

/* Removes the earliest timer into *t; returns 0, or -1 when empty. */
int impair_heap_pop(struct impair_heap *h, struct impair_timer *t);

#endif
