/* SPDX-License-Identifier: ISC */
/*
 * The hosts one ping run probes: each target's address, socket and
 * statistics, and the matching of replies and ICMP errors to its probes.
 */
#ifndef UDPTOOL_PINGSTATE_H
#define UDPTOOL_PINGSTATE_H

#include <sys/socket.h>

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "addr.h"
#include "icmp.h"

enum ping_sock { PING_DGRAM, PING_RAW, PING_UDP };

/* One host being pinged, with its own numbering and statistics. */
struct ping_target {
	const char *name; /* as typed (HOST:PORT for -u HOST PORT) */
	char namebuf[ADDR_STRLEN];
	struct addr_spec spec;
	int ok; /* resolved and ready: probes go out */
	int family;
	enum ping_sock kind;
	int fd; /* -u: its own socket; ICMP: its family's, shared */
	int anysrc; /* broadcast, multicast, unspecified: any source replies */
	struct sockaddr_storage dst;
	socklen_t dstlen;
	char dstaddr[ADDR_STRLEN];
	uint16_t ident; /* raw sockets: the ICMP identifier */
	struct stats *st;
	uint64_t invalid; /* replies that failed validation */
};

/* The targets of a run and what every probe of it carries. */
struct pingstate {
	struct ping_target *t;
	size_t nt;
	int multi; /* several targets: lines name theirs */
	int udp; /* -u: UDP probes (probe.h), else ICMP echo requests */
	size_t size; /* payload bytes */
	uint8_t pattern[ICMP_PATTERN_MAX];
	size_t patlen;
	uint32_t cookie; /* -u: names the run in every probe */
	double start; /* ms, monotonic: the first probe */
};

/* Returns the monotonic clock in milliseconds, the time base of a run. */
double pingstate_now(void);

/* Converts ms (milliseconds) to a timespec, as ICMP payloads carry it. */
void pingstate_ms_to_ts(double ms, struct timespec *ts);

/*
 * Numbers the run (a cookie) and each target (an ICMP identifier, ident
 * up) and gives each target empty statistics.  Returns 0, or -1 with
 * errno set when out of memory.
 */
int pingstate_number(struct pingstate *ps, uint16_t ident, uint32_t cookie);

/* Frees every target's statistics and the targets. */
void pingstate_free(struct pingstate *ps);

/*
 * Validates a -u reply of len bytes to t; returns the number of the probe
 * it copies byte for byte, or 0.
 */
uint64_t pingstate_udp_check(const struct pingstate *ps,
    const struct ping_target *t, const uint8_t *buf, size_t len);

/*
 * Finds the target an ICMP message im from from on shared socket fd (raw
 * or not) is about: its identifier (raw sockets), the reply's source or
 * the quoted probe's destination, a sequence number it sent, and for
 * replies a payload equal to the probe's.  Returns the target with the
 * probe number in *seqp, or NULL with the reason in *why (NULL: another
 * process's).
 */
struct ping_target *pingstate_icmp_match(const struct pingstate *ps, int fd,
    int raw, const struct icmp_msg *im, const struct sockaddr *from,
    uint64_t *seqp, const char **why);

/*
 * Finds the target of an error queued on datagram ICMP socket fd: the
 * probe's destination (name, the error's) and its sequence number wire.
 * Returns it with the probe number in *seq, or NULL.
 */
struct ping_target *pingstate_err_target(const struct pingstate *ps, int fd,
    const struct sockaddr *name, uint16_t wire, uint64_t *seq);

/*
 * The probe an error is about, from the n-byte copy of it the error queue
 * of socket fd (of family) keeps: its number, 0 when it is not one of
 * ours.  An ICMP error sets *tp to the target; a -u one leaves *tp alone.
 */
uint64_t pingstate_err_seq(const struct pingstate *ps, int fd, int family,
    const struct sockaddr *name, const uint8_t *buf, size_t n,
    struct ping_target **tp);

/* Sets t->anysrc for targets whose replies come from other addresses. */
void pingstate_anysrc(struct ping_target *t);

/*
 * Returns 1 when every ready target's every probe is answered (answered)
 * or settled, answered or timed out (!answered), else 0.
 */
int pingstate_all(const struct pingstate *ps, int answered);

/*
 * Returns 1 when the run is a negative answer (ping(8)'s exit status 1):
 * a ready target had no reply, or with a deadline and a count (both > 0)
 * fewer replies than count.
 */
int pingstate_negative(
    const struct pingstate *ps, double deadline, long long count);

/*
 * Returns the number of t's last probe when it has neither a reply nor
 * an error yet (-O), else 0.
 */
uint64_t pingstate_unanswered(const struct ping_target *t);

/*
 * Returns the earlier of wake and the time (ms) the oldest probe still
 * waiting for an answer times out after timeout ms.
 */
double pingstate_wake(const struct pingstate *ps, double timeout, double wake);

/* Returns the largest payload a datagram of family can carry. */
size_t pingstate_max_size(int family);

#endif
