/* SPDX-License-Identifier: ISC */
/*
 * What ping prints: a line per reply, error, timeout and outstanding probe,
 * the header and the summaries, as ping(8) words them or as JSON events.
 */
#ifndef UDPTOOL_PINGOUT_H
#define UDPTOOL_PINGOUT_H

#include <sys/socket.h>

#include <stddef.h>
#include <stdint.h>

#include "output.h"
#include "pingstate.h"

struct pingout {
	struct out o;
	const struct pingstate *ps; /* the run whose lines these are */
	int json, quiet, timestamps, histogram;
	int namew; /* the longest name pinged, for the summary lines */
};

/* Formats a round trip as ping(8) does: three significant digits or so. */
char *pingout_fmt_ms(double ms, char *buf, size_t size);

/* Returns probe seq's number as the lines show it: 16 bits for ICMP. */
unsigned long long pingout_seq_shown(const struct pingout *po, uint64_t seq);

/*
 * The per-probe lines of target t (none with -q).  Each returns 0, or -1
 * when standard output can no longer be written.
 */
/* A reply of bytes from from, with its ttl (-1: unknown), rtt and STATS_R_* flags. */
int pingout_reply(struct pingout *po, struct ping_target *t, uint64_t seq,
    size_t bytes, const struct sockaddr *from, socklen_t fromlen, int ttl,
    double rtt, int flags);

/*
 * An ICMP error (type, code, path mtu) from from (NULL: the target) about
 * probe seq; refused: the port unreachable that answers a -u probe.
 */
int pingout_error(struct pingout *po, struct ping_target *t, uint64_t seq,
    const struct sockaddr *from, socklen_t fromlen, int type, int code,
    uint32_t mtu, int refused);

/* Probe seq had no answer in time (said with -u and -j only, as ping(8)). */
int pingout_timeout(struct pingout *po, struct ping_target *t, uint64_t seq);

/* -O: probe seq still has no answer as the next one goes out. */
int pingout_outstanding(
    struct pingout *po, struct ping_target *t, uint64_t seq);

/* Prints the first lines, as ping(8): the pattern, then one per target. */
void pingout_header(struct pingout *po);

/* The summary of t, whose run ended at end (ms): iputils' lines, or JSON. */
void pingout_summary(struct pingout *po, struct ping_target *t, double end);

/* Several targets in text: a line each, as fping -c, names aligned. */
void pingout_summary_lines(struct pingout *po);

/* SIGQUIT: a one-line interim report per target on stderr, as ping(8). */
void pingout_interim(struct pingout *po);

#endif
