/* SPDX-License-Identifier: ISC */
/*
 * How a receiver shows what arrives: a datagram's line from its metadata,
 * the tally of datagrams and senders, kernel drops, and the top senders.
 */
#ifndef UDPTOOL_SHOW_H
#define UDPTOOL_SHOW_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "output.h"
#include "sock.h"
#include "srctab.h"

/* What a receiver counted; tab holds one entry per sender address and port. */
struct show_tally {
	uint64_t dgrams, bytes, truncated;
	uint64_t kdrops; /* datagrams the kernel dropped, as far as known */
	struct srctab tab;
};

/* How a receiver shows its datagrams. */
struct show_style {
	enum out_format fmt;
	int meta; /* TTL and TOS too */
	int numeric_time; /* times as seconds since the epoch */
	const char *prefix; /* starts a text notice: "udptool: listen: " */
	const char *fix; /* the option that raises the receive buffer */
};

/*
 * Fills d for the datagram m describes (caplen bytes of it received): the
 * event name, addresses, receive time, and TTL and TOS only when meta is
 * set.  Callers that know more (a round-trip time) set it afterwards.
 */
void show_fill(struct out_dgram *d, const char *event,
    const struct sock_meta *m, size_t caplen, int meta, int numeric_time);

/*
 * Starts t empty, with room for max senders (srctab_init() with a seed
 * of ticks_seed()); returns 0, or -1 with a message in err.
 */
int show_tally_init(struct show_tally *t, size_t max, char *err, size_t errlen);

/*
 * Counts the datagram m describes in t and under its sender; returns how
 * many datagrams the kernel dropped before it that t did not know of.
 */
uint64_t show_tally_add(struct show_tally *t, const struct sock_meta *m);

/*
 * Takes the socket's kernel drop count (negative: unknown) into t when it
 * is higher than what the datagrams said.
 */
void show_tally_kernel(struct show_tally *t, long long kd);

/*
 * Counts the datagram m describes in t and writes it, caplen bytes of buf
 * received, to o in s's format; kernel drops that it reveals are reported
 * before it, as show_kernel_drops() does on o's file with JSON, else on
 * stderr.
 */
void show_datagram(struct out *o, struct show_tally *t,
    const struct show_style *s, const uint8_t *buf, size_t caplen,
    const struct sock_meta *m);

/*
 * Writes the tally's fields of a summary: received datagrams and bytes,
 * senders, truncated, and kernel drops with fix, the option that raises
 * the receive buffer, when there were any.
 */
void show_tally_fields(
    struct out *o, const struct show_tally *t, const char *fix);

/* Writes the "top_senders" array: at most n senders with the most datagrams. */
void show_top_senders(struct out *o, const struct srctab *tab, size_t n);

/*
 * Reports that the kernel dropped n datagrams before the next one shown,
 * total so far: to fp a "kernel_drops" event when json, else a line that
 * starts with prefix and names fix, the option that raises the buffer.
 */
void show_kernel_drops(FILE *fp, int json, const char *prefix, const char *fix,
    uint64_t n, uint64_t total);

/*
 * Starts a summary on o for fp: a "summary" object when json, else a
 * line that starts with prefix; then the tally's fields as
 * show_tally_fields() writes them.  The caller may add fields and ends it
 * with show_summary_end().
 */
void show_summary_begin(struct out *o, FILE *fp, int json, const char *prefix,
    const struct show_tally *t, const char *fix);

/*
 * show_summary_begin() in s's style, after taking the socket's kernel drop
 * count kd (negative: unknown) into t: on stdout with JSON, else on stderr
 * after s's prefix and "summary: ".
 */
void show_summary_open(struct out *o, const struct show_style *s,
    struct show_tally *t, long long kd);

/* Ends a summary: the line, the top n senders, and flushes it. */
void show_summary_end(struct out *o, const struct show_tally *t, size_t n);

#endif
