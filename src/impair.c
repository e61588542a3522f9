/* SPDX-License-Identifier: ISC */
/*
 * Network impairments for the relay: the decisions and the timer heap,
 * pure functions of their inputs and a seeded PRNG, so runs repeat.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "impair.h"
#include "num.h"

#define IMPAIR_TIME_MAX_NS (60ULL * 1000000000ULL)

static uint64_t
impair_splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void
impair_rng_seed(struct impair_rng *rng, uint64_t seed)
{
	int i;

	for (i = 0; i < 4; i++)
		rng->s[i] = impair_splitmix(&seed);
}

static uint64_t
impair_rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t
impair_rng_next(struct impair_rng *rng)
{
	uint64_t *s = rng->s;
	uint64_t r = impair_rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = impair_rotl(s[3], 45);
	return r;
}

double
impair_rng_double(struct impair_rng *rng)
{
	return (double)(impair_rng_next(rng) >> 11) * 0x1.0p-53;
}

double
impair_rng_normal(struct impair_rng *rng)
{
	double u1, u2;

	/* Box-Muller; u1 in (0, 1] keeps log() finite. */
	u1 = 1.0 - impair_rng_double(rng);
	u2 = impair_rng_double(rng);
	return sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}

/* A draw that consumes no randomness when p is 0, so zero options cost nothing. */
static int
impair_chance(struct impair_rng *rng, double p)
{
	if (p <= 0)
		return 0;
	if (p >= 1)
		return 1;
	return impair_rng_double(rng) < p;
}

int
impair_active(const struct impair_conf *c)
{
	return c->loss > 0 || c->burst_enter > 0 || c->delay_ns > 0 ||
	    c->jitter_ns > 0 || c->dup > 0 || c->reorder > 0 ||
	    c->corrupt > 0 || c->rate > 0 || c->mtu > 0;
}

static uint64_t
impair_delay(const struct impair_conf *c, struct impair_rng *rng)
{
	double d = (double)c->delay_ns, j = (double)c->jitter_ns, x;

	if (c->jitter_ns == 0)
		return c->delay_ns;
	if (c->dist == IMPAIR_DIST_NORMAL) {
		x = impair_rng_normal(rng);
		if (x > 3)
			x = 3;
		if (x < -3)
			x = -3;
		d += x * j;
	} else
		d += (2 * impair_rng_double(rng) - 1) * j;
	return d <= 0 ? 0 : (uint64_t)d;
}

/*
 * The rate limit as a link that sends one datagram at a time: it leaves
 * when the link is free, which is then busy for the datagram's time on
 * the wire (a token bucket one datagram deep).  Sets *when to the time
 * it leaves and returns 0, or returns -1 when the queue in front of it is
 * longer than the backlog.
 */
static int
impair_rate(const struct impair_conf *c, struct impair_state *st,
    uint64_t now_ns, size_t len, uint64_t *when)
{
	uint64_t start, cost;
	double units = c->rate_bits ? (double)len * 8 : 1;

	start = st->link_free_ns > now_ns ? st->link_free_ns : now_ns;
	if (start - now_ns > IMPAIR_RATE_BACKLOG_NS)
		return -1;
	cost = (uint64_t)(units / c->rate * 1e9);
	st->link_free_ns = start + cost;
	*when = start;
	return 0;
}

void
impair_decide(const struct impair_conf *c, struct impair_state *st,
    struct impair_rng *rng, uint64_t now_ns, size_t len,
    struct impair_verdict *v)
{
	memset(v, 0, sizeof *v);
	v->fate = IMPAIR_PASS;
	v->send_ns = now_ns;
	v->copies = 1;
	v->corrupt_bit = -1;
	if (c->mtu > 0 && len > c->mtu) {
		v->fate = IMPAIR_DROP_MTU;
		return;
	}
	if (c->burst_enter > 0) {
		if (st->burst_bad)
			st->burst_bad = !impair_chance(rng, c->burst_leave);
		else
			st->burst_bad = impair_chance(rng, c->burst_enter);
		if (st->burst_bad) {
			v->fate = IMPAIR_DROP_BURST;
			return;
		}
	}
	if (impair_chance(rng, c->loss)) {
		v->fate = IMPAIR_DROP_LOSS;
		return;
	}
	if (c->rate > 0 && impair_rate(c, st, now_ns, len, &v->send_ns) == -1) {
		v->fate = IMPAIR_DROP_RATE;
		return;
	}
	v->send_ns += impair_delay(c, rng);
	if (impair_chance(rng, c->reorder)) {
		v->reordered = 1;
		v->send_ns += c->reorder_ns;
	}
	if (impair_chance(rng, c->dup))
		v->copies = 2;
	if (len > 0 && impair_chance(rng, c->corrupt))
		v->corrupt_bit =
		    (long)(impair_rng_next(rng) % ((uint64_t)len * 8));
}

/* Parses the n bytes at s, a number with an optional '%', into [0, 1]. */
static int
impair_percent(const char *s, size_t n, double *p)
{
	char buf[64];
	double v;

	if (n > 0 && s[n - 1] == '%')
		n--;
	if (n == 0 || n >= sizeof buf)
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (num_double(buf, 0, 100, &v, NULL) == -1)
		return -1;
	*p = v / 100;
	return 0;
}

int
impair_parse_percent(const char *s, double *p, char *err, size_t errlen)
{
	if (impair_percent(s, strlen(s), p) == -1)
		return errmsg_set(err, errlen,
		    "invalid percentage '%s' (0-100%%)", ERRMSG_QUOTE(s));
	return 0;
}

int
impair_parse_burst(
    const char *s, double *enter, double *leave, char *err, size_t errlen)
{
	const char *colon = strchr(s, ':');

	if (colon == NULL ||
	    impair_percent(s, (size_t)(colon - s), enter) == -1 ||
	    impair_percent(colon + 1, strlen(colon + 1), leave) == -1 ||
	    *leave <= 0)
		return errmsg_set(err, errlen,
		    "invalid burst loss '%s' (P%%:R%%, enter and leave "
		    "chances, R above 0)",
		    ERRMSG_QUOTE(s));
	return 0;
}

static int
impair_time(const char *s, size_t n, uint64_t *ns)
{
	static const struct {
		const char *unit;
		double scale;
	} units[] = {{"us", 1e3}, {"ms", 1e6}, {"s", 1e9}, {"", 1e6}};
	char buf[64];
	size_t i, u;
	double v;

	for (i = 0; i < sizeof units / sizeof units[0]; i++) {
		u = strlen(units[i].unit);
		if (n < u || strncmp(s + n - u, units[i].unit, u) != 0)
			continue;
		if (n - u == 0 || n - u >= sizeof buf)
			return -1;
		memcpy(buf, s, n - u);
		buf[n - u] = '\0';
		if (num_double(buf, 0,
			(double)IMPAIR_TIME_MAX_NS / units[i].scale, &v,
			NULL) == -1)
			return -1;
		*ns = (uint64_t)(v * units[i].scale + 0.5);
		return 0;
	}
	return -1;
}

int
impair_parse_time(const char *s, uint64_t *ns, char *err, size_t errlen)
{
	if (impair_time(s, strlen(s), ns) == -1)
		return errmsg_set(err, errlen,
		    "invalid time '%s' (0-60 s: 50, 50ms, 0.5s, 500us)",
		    ERRMSG_QUOTE(s));
	return 0;
}

int
impair_parse_delay(const char *s, uint64_t *delay_ns, uint64_t *jitter_ns,
    char *err, size_t errlen)
{
	const char *pm;
	size_t skip = 2;

	*jitter_ns = 0;
	/* "+-", or U+00B1 in UTF-8 */
	if ((pm = strstr(s, "+-")) == NULL &&
	    (pm = strstr(s, "\xc2\xb1")) == NULL)
		pm = s + strlen(s), skip = 0;
	if (impair_time(s, (size_t)(pm - s), delay_ns) == -1 ||
	    (skip > 0 &&
		impair_time(pm + skip, strlen(pm + skip), jitter_ns) == -1))
		return errmsg_set(err, errlen,
		    "invalid delay '%s' (TIME[+-JITTER], 0-60 s each: 50ms, "
		    "50ms+-10ms)",
		    ERRMSG_QUOTE(s));
	return 0;
}

int
impair_parse_reorder(
    const char *s, double *p, uint64_t *hold_ns, char *err, size_t errlen)
{
	const char *colon = strchr(s, ':');
	size_t n = colon != NULL ? (size_t)(colon - s) : strlen(s);

	if (impair_percent(s, n, p) == -1 ||
	    (colon != NULL &&
		(impair_time(colon + 1, strlen(colon + 1), hold_ns) == -1 ||
		    *hold_ns == 0)))
		return errmsg_set(err, errlen,
		    "invalid reordering '%s' (P%%[:TIME], TIME above 0)",
		    ERRMSG_QUOTE(s));
	return 0;
}

int
impair_parse_rate(
    const char *s, double *rate, int *bits, char *err, size_t errlen)
{
	static const struct {
		const char *unit;
		double scale;
		int bits;
	} units[] = {{"pps", 1, 0}, {"kbit", 1e3, 1}, {"mbit", 1e6, 1},
	    {"gbit", 1e9, 1}, {"bit", 1, 1}};
	char buf[64];
	size_t i, n = strlen(s), u;
	double v;

	for (i = 0; i < sizeof units / sizeof units[0]; i++) {
		u = strlen(units[i].unit);
		if (n <= u || strcmp(s + n - u, units[i].unit) != 0 ||
		    n - u >= sizeof buf)
			continue;
		memcpy(buf, s, n - u);
		buf[n - u] = '\0';
		if (num_double(buf, 0.001, 1e12, &v, NULL) == -1)
			break;
		*rate = v * units[i].scale;
		*bits = units[i].bits;
		return 0;
	}
	return errmsg_set(err, errlen,
	    "invalid rate '%s' (a number and pps, bit, kbit, mbit or gbit)",
	    ERRMSG_QUOTE(s));
}

int
impair_parse_dist(
    const char *s, enum impair_dist *dist, char *err, size_t errlen)
{
	if (strcmp(s, "uniform") == 0)
		*dist = IMPAIR_DIST_UNIFORM;
	else if (strcmp(s, "normal") == 0)
		*dist = IMPAIR_DIST_NORMAL;
	else
		return errmsg_set(err, errlen,
		    "invalid distribution '%s' (uniform, normal)",
		    ERRMSG_QUOTE(s));
	return 0;
}

int
impair_heap_init(struct impair_heap *h, size_t cap)
{
	memset(h, 0, sizeof *h);
	if (cap == 0)
		cap = 1;
	if ((h->t = calloc(cap, sizeof *h->t)) == NULL)
		return -1;
	h->cap = cap;
	return 0;
}

void
impair_heap_free(struct impair_heap *h)
{
	free(h->t);
	memset(h, 0, sizeof *h);
}

static int
impair_before(const struct impair_timer *a, const struct impair_timer *b)
{
	if (a->when_ns != b->when_ns)
		return a->when_ns < b->when_ns;
	return a->seq < b->seq;
}

int
impair_heap_push(struct impair_heap *h, uint64_t when_ns, void *data)
{
	struct impair_timer t = {when_ns, h->seq++, data};
	size_t i, parent;

	if (h->n == h->cap)
		return -1;
	for (i = h->n++; i > 0; i = parent) {
		parent = (i - 1) / 2;
		if (!impair_before(&t, &h->t[parent]))
			break;
		h->t[i] = h->t[parent];
	}
	h->t[i] = t;
	return 0;
}

const struct impair_timer *
impair_heap_peek(const struct impair_heap *h)
{
	return h->n > 0 ? &h->t[0] : NULL;
}

int
impair_heap_pop(struct impair_heap *h, struct impair_timer *out)
{
	struct impair_timer last;
	size_t i = 0, c;

	if (h->n == 0)
		return -1;
	*out = h->t[0];
	last = h->t[--h->n];
	while ((c = 2 * i + 1) < h->n) {
		if (c + 1 < h->n && impair_before(&h->t[c + 1], &h->t[c]))
			c++;
		if (!impair_before(&h->t[c], &last))
			break;
		h->t[i] = h->t[c];
		i = c;
	}
	if (h->n > 0)
		h->t[i] = last;
	return 0;
}
