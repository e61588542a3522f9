/* SPDX-License-Identifier: ISC */
/*
 * What a client sent and what came back (replies, ICMP errors, round
 * trips), and the summary fields that print it in text and JSON.
 */
#ifndef UDPTOOL_TALLY_H
#define UDPTOOL_TALLY_H

#include <sys/socket.h>

#include <stddef.h>

#include "addr.h"
#include "icmp.h"

#define TALLY_PEERS_MAX 64 /* peers counted apart; the last sums the rest */

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

/* The counters of one peer talked to. */
struct tally_peer {
	struct sockaddr_storage addr;
	socklen_t addrlen; /* 0 for the entry that sums the rest */
	char name[ADDR_STRLEN]; /* "other" for the entry that sums the rest */
	struct tally c;
};

/* The totals and each peer's counters, in the order first talked to. */
struct tally_peers {
	struct tally tot;
	struct tally_peer peer[TALLY_PEERS_MAX];
	size_t n, cur; /* cur: the peer sent to */
};

/*
 * Returns the entry of the peer at sa: the one talked to, or the current
 * peer's when sa (or NULL) is none of them.  The table must not be empty.
 */
struct tally_peer *tally_peer_of(
    struct tally_peers *tp, const struct sockaddr *sa);

/*
 * Makes the peer at sa (salen bytes, named name) the current one, adding
 * it if new.  Returns 1 when this filled the table, so that the rest is
 * now counted as "other", else 0.
 */
int tally_peer_set(struct tally_peers *tp, const struct sockaddr *sa,
    socklen_t salen, const char *name);

/* Counts done datagrams of len bytes sent to the current peer. */
void tally_peer_sent(
    struct tally_peers *tp, unsigned long long done, size_t len);

/* Counts an ICMP error of verdict v against the totals and peer p. */
void tally_peer_error(
    struct tally_peers *tp, struct tally_peer *p, enum icmp_verdict v);

/*
 * Counts a reply of len bytes from sa with its round trip (ms, negative:
 * unknown) against the totals and its peer.
 */
void tally_peer_reply(struct tally_peers *tp, const struct sockaddr *sa,
    size_t len, double rtt_ms);

/*
 * With more than one peer, writes a "peers" array of each one's counts
 * (a line each in text) and current, the address sent to, as "address";
 * else only the "address" as "--- CURRENT: ".  The totals' fields follow.
 */
void tally_out_peers(
    struct out *o, const struct tally_peers *tp, const char *current);

#endif
