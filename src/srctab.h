/* SPDX-License-Identifier: ISC */
/*
 * Bounded per-source state for servers: a fixed-size hash table with
 * least-recently-used eviction, per-source counters and token buckets.
 */
#ifndef UDPTOOL_SRCTAB_H
#define UDPTOOL_SRCTAB_H

#include <sys/socket.h>

#include <stddef.h>
#include <stdint.h>

#define SRCTAB_MAX 16777216 /* largest --max-sources accepted */

/* A token bucket: rate tokens per second, at most burst saved up. */
struct tbucket {
	double tokens;
	uint64_t last_ns;
};

/* A source address; IPv4-mapped IPv6 addresses are stored as IPv4. */
struct srctab_key {
	int family; /* AF_INET or AF_INET6 */
	uint8_t addr[16];
	uint16_t port; /* 0 in a table kept per address */
};

struct srctab_entry {
	struct srctab_key key;
	uint64_t dgrams; /* datagrams received */
	uint64_t bytes; /* bytes received */
	uint64_t replies; /* replies sent */
	uint64_t dropped; /* datagrams not answered by policy */
	struct tbucket bucket;
	uint32_t hnext, hprev; /* hash chain */
	uint32_t lnext, lprev; /* LRU list, most recent first */
};

struct srctab {
	struct srctab_entry *e;
	uint32_t *bucket;
	uint32_t max, used, mask;
	uint32_t head, tail; /* most and least recently used */
	uint64_t seed;
	uint64_t inserted; /* entries ever created */
	uint64_t evicted; /* entries pushed out to make room */
};

/*
 * Sets up t for at most max sources (1..SRCTAB_MAX), allocating all memory
 * now; seed keys the hash.  Returns 0, or -1 with a message in err.
 */
int srctab_init(
    struct srctab *t, size_t max, uint64_t seed, char *err, size_t errlen);

/* Frees the memory srctab_init() allocated. */
void srctab_free(struct srctab *t);

/* Fills k from an AF_INET or AF_INET6 address; returns 0, or -1 for other families. */
int srctab_key_from(const struct sockaddr *sa, struct srctab_key *k);

/*
 * As srctab_key_from, but the key holds the port too: a table of senders
 * (address and port) rather than of source addresses.
 */
int srctab_key_from_port(const struct sockaddr *sa, struct srctab_key *k);

/* Writes k as a socket address with port 0 into ss; returns its length. */
socklen_t srctab_key_sockaddr(
    const struct srctab_key *k, struct sockaddr_storage *ss);

/*
 * Returns the entry for k, creating a zeroed one (and evicting the least
 * recently used when full) if needed; *created tells which.  The entry
 * becomes the most recently used.  Never fails.
 */
struct srctab_entry *srctab_get(
    struct srctab *t, const struct srctab_key *k, int *created);

/* Returns the entry for k without creating or reordering, or NULL. */
struct srctab_entry *srctab_find(
    const struct srctab *t, const struct srctab_key *k);

/*
 * Stores in out up to n entries with the most datagrams (ties: more
 * bytes), largest first; returns how many were stored.
 */
size_t srctab_top(
    const struct srctab *t, const struct srctab_entry **out, size_t n);

/* Fills b with burst tokens as of now_ns. */
void tbucket_init(struct tbucket *b, double burst, uint64_t now_ns);

/*
 * Refills b at rate tokens per second up to burst and takes one token;
 * returns 1 if there was one, 0 if the source is over its rate.
 */
int tbucket_take(struct tbucket *b, double rate, double burst, uint64_t now_ns);

#endif
