/* SPDX-License-Identifier: ISC */
/*
 * Per-source state with a hard memory bound, so that a flood from spoofed
 * addresses costs a fixed table and evictions, never more memory.
 */
#include "config.h"

#include <sys/socket.h>

#include <netinet/in.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srctab.h"

#define SRCTAB_NIL UINT32_MAX

int
srctab_init(
    struct srctab *t, size_t max, uint64_t seed, char *err, size_t errlen)
{
	size_t nb = 1;

	memset(t, 0, sizeof *t);
	if (max < 1 || max > SRCTAB_MAX) {
		snprintf(err, errlen, "invalid table size '%zu' (1-%d)", max,
		    SRCTAB_MAX);
		return -1;
	}
	/* Twice as many buckets as entries keeps chains short. */
	while (nb < max * 2)
		nb <<= 1;
	t->e = calloc(max, sizeof *t->e);
	t->bucket = malloc(nb * sizeof *t->bucket);
	if (t->e == NULL || t->bucket == NULL) {
		snprintf(err, errlen, "out of memory for %zu sources", max);
		srctab_free(t);
		return -1;
	}
	memset(t->bucket, 0xff, nb * sizeof *t->bucket);
	t->max = (uint32_t)max;
	t->mask = (uint32_t)(nb - 1);
	t->head = t->tail = SRCTAB_NIL;
	t->seed = seed | 1;
	return 0;
}

void
srctab_free(struct srctab *t)
{
	free(t->e);
	free(t->bucket);
	t->e = NULL;
	t->bucket = NULL;
	t->max = t->used = 0;
}

int
srctab_key_from(const struct sockaddr *sa, struct srctab_key *k)
{
	const struct sockaddr_in6 *s6;

	memset(k, 0, sizeof *k);
	if (sa->sa_family == AF_INET) {
		k->family = AF_INET;
		memcpy(k->addr,
		    &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
		    4);
		return 0;
	}
	if (sa->sa_family != AF_INET6)
		return -1;
	s6 = (const struct sockaddr_in6 *)(const void *)sa;
	if (IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr)) {
		k->family = AF_INET;
		memcpy(k->addr, &s6->sin6_addr.s6_addr[12], 4);
	} else {
		k->family = AF_INET6;
		memcpy(k->addr, &s6->sin6_addr, 16);
	}
	return 0;
}

int
srctab_key_from_port(const struct sockaddr *sa, struct srctab_key *k)
{
	if (srctab_key_from(sa, k) == -1)
		return -1;
	k->port = sa->sa_family == AF_INET
	    ? ntohs(((const struct sockaddr_in *)(const void *)sa)->sin_port)
	    : ntohs(((const struct sockaddr_in6 *)(const void *)sa)->sin6_port);
	return 0;
}

socklen_t
srctab_key_sockaddr(const struct srctab_key *k, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof *ss);
	if (k->family == AF_INET) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(k->port);
		memcpy(&s4->sin_addr, k->addr, 4);
		return sizeof *s4;
	} else {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(k->port);
		memcpy(&s6->sin6_addr, k->addr, 16);
		return sizeof *s6;
	}
}

/* A keyed multiplicative mix: cheap, and the random seed keeps remote
 * senders from choosing addresses that all land in one chain. */
static uint32_t
srctab_hash(const struct srctab *t, const struct srctab_key *k)
{
	uint64_t h = t->seed ^ (uint64_t)k->family ^ (uint64_t)k->port << 16, w;
	int i;

	for (i = 0; i < 16; i += 8) {
		memcpy(&w, k->addr + i, 8);
		h ^= w;
		h *= 0x9e3779b97f4a7c15ULL;
		h ^= h >> 29;
	}
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 32;
	return (uint32_t)h & t->mask;
}

static int
srctab_key_equal(const struct srctab_key *a, const struct srctab_key *b)
{
	return a->family == b->family && a->port == b->port &&
	    memcmp(a->addr, b->addr, 16) == 0;
}

static void
srctab_lru_unlink(struct srctab *t, uint32_t i)
{
	struct srctab_entry *e = &t->e[i];

	if (e->lprev != SRCTAB_NIL)
		t->e[e->lprev].lnext = e->lnext;
	else
		t->head = e->lnext;
	if (e->lnext != SRCTAB_NIL)
		t->e[e->lnext].lprev = e->lprev;
	else
		t->tail = e->lprev;
}

static void
srctab_lru_push(struct srctab *t, uint32_t i)
{
	struct srctab_entry *e = &t->e[i];

	e->lprev = SRCTAB_NIL;
	e->lnext = t->head;
	if (t->head != SRCTAB_NIL)
		t->e[t->head].lprev = i;
	t->head = i;
	if (t->tail == SRCTAB_NIL)
		t->tail = i;
}

static void
srctab_hash_unlink(struct srctab *t, uint32_t i)
{
	struct srctab_entry *e = &t->e[i];

	if (e->hprev != SRCTAB_NIL)
		t->e[e->hprev].hnext = e->hnext;
	else
		t->bucket[srctab_hash(t, &e->key)] = e->hnext;
	if (e->hnext != SRCTAB_NIL)
		t->e[e->hnext].hprev = e->hprev;
}

static uint32_t
srctab_lookup(const struct srctab *t, const struct srctab_key *k, uint32_t h)
{
	uint32_t i;

	for (i = t->bucket[h]; i != SRCTAB_NIL; i = t->e[i].hnext) {
		if (srctab_key_equal(&t->e[i].key, k))
			return i;
	}
	return SRCTAB_NIL;
}

struct srctab_entry *
srctab_find(const struct srctab *t, const struct srctab_key *k)
{
	uint32_t i = srctab_lookup(t, k, srctab_hash(t, k));

	return i == SRCTAB_NIL ? NULL : &t->e[i];
}

struct srctab_entry *
srctab_get(struct srctab *t, const struct srctab_key *k, int *created)
{
	uint32_t h = srctab_hash(t, k), i;
	struct srctab_entry *e;

	i = srctab_lookup(t, k, h);
	if (i != SRCTAB_NIL) {
		*created = 0;
		if (t->head != i) {
			srctab_lru_unlink(t, i);
			srctab_lru_push(t, i);
		}
		return &t->e[i];
	}
	if (t->used < t->max) {
		i = t->used++;
	} else {
		i = t->tail;
		srctab_lru_unlink(t, i);
		srctab_hash_unlink(t, i);
		t->evicted++;
	}
	e = &t->e[i];
	memset(e, 0, sizeof *e);
	e->key = *k;
	e->hprev = SRCTAB_NIL;
	e->hnext = t->bucket[h];
	if (e->hnext != SRCTAB_NIL)
		t->e[e->hnext].hprev = i;
	t->bucket[h] = i;
	srctab_lru_push(t, i);
	t->inserted++;
	*created = 1;
	return e;
}

static int
srctab_more(const struct srctab_entry *a, const struct srctab_entry *b)
{
	return a->dgrams > b->dgrams ||
	    (a->dgrams == b->dgrams && a->bytes > b->bytes);
}

size_t
srctab_top(const struct srctab *t, const struct srctab_entry **out, size_t n)
{
	size_t got = 0, j;
	uint32_t i;

	/* Insertion into a short sorted list: n is a handful. */
	for (i = 0; i < t->used && n > 0; i++) {
		const struct srctab_entry *e = &t->e[i];

		if (got == n && !srctab_more(e, out[n - 1]))
			continue;
		j = got < n ? got++ : n - 1;
		while (j > 0 && srctab_more(e, out[j - 1])) {
			out[j] = out[j - 1];
			j--;
		}
		out[j] = e;
	}
	return got;
}

void
tbucket_init(struct tbucket *b, double burst, uint64_t now_ns)
{
	b->tokens = burst;
	b->last_ns = now_ns;
}

int
tbucket_take(struct tbucket *b, double rate, double burst, uint64_t now_ns)
{
	if (now_ns > b->last_ns) {
		b->tokens += (double)(now_ns - b->last_ns) * rate / 1e9;
		if (b->tokens > burst)
			b->tokens = burst;
		/* A clock that goes backwards refills nothing. */
		b->last_ns = now_ns;
	}
	if (b->tokens >= 1.0) {
		b->tokens -= 1.0;
		return 1;
	}
	return 0;
}
