/* SPDX-License-Identifier: ISC */
/*
 * The hosts one ping run probes and the bookkeeping of their probes:
 * numbering, matching replies and errors to probes, and the verdicts.
 */
#include "config.h"

#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "icmp.h"
#include "pingstate.h"
#include "probe.h"
#include "sock.h"
#include "stats.h"

double
pingstate_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* The payload's timestamp, derived from the recorded send time so that it can be regenerated. */
void
pingstate_ms_to_ts(double ms, struct timespec *ts)
{
	double sec = floor(ms / 1e3);

	ts->tv_sec = (time_t)sec;
	ts->tv_nsec = (long)((ms - sec * 1e3) * 1e6);
	if (ts->tv_nsec < 0)
		ts->tv_nsec = 0;
	if (ts->tv_nsec > 999999999)
		ts->tv_nsec = 999999999;
}

int
pingstate_number(struct pingstate *ps, uint16_t ident, uint32_t cookie)
{
	size_t i;

	ps->cookie = cookie;
	for (i = 0; i < ps->nt; i++) {
		/* Raw sockets see every reply: each target its own identifier. */
		ps->t[i].ident = (uint16_t)(ident + i);
		ps->t[i].st = stats_new();
		if (ps->t[i].st == NULL)
			return -1;
	}
	return 0;
}

void
pingstate_free(struct pingstate *ps)
{
	size_t i;

	for (i = 0; i < ps->nt; i++)
		stats_free(ps->t[i].st);
	free(ps->t);
	ps->t = NULL;
	ps->nt = 0;
}

uint64_t
pingstate_udp_check(const struct pingstate *ps, const struct ping_target *t,
    const uint8_t *buf, size_t len)
{
	uint64_t seq;
	double sent;

	if (len != ps->size || probe_parse(buf, len, ps->cookie, &seq) == -1)
		return 0;
	sent = stats_sent_at(t->st, seq);
	if (sent < 0 ||
	    !probe_verify(
		buf, len, ps->cookie, seq, sent, ps->pattern, ps->patlen))
		return 0;
	return seq;
}

struct ping_target *
pingstate_icmp_match(const struct pingstate *ps, int fd, int raw,
    const struct icmp_msg *im, const struct sockaddr *from, uint64_t *seqp,
    const char **why)
{
	struct ping_target *t;
	struct timespec ts;
	double sent;
	size_t i;

	*why = NULL;
	for (i = 0; i < ps->nt; i++) {
		t = &ps->t[i];
		if (!t->ok || t->fd != fd)
			continue;
		if (!icmp_is_ours(
			im, raw, t->ident, (struct sockaddr *)&t->dst))
			continue;
		if (im->kind == ICMP_MSG_REPLY && !t->anysrc &&
		    !addr_same(from, (struct sockaddr *)&t->dst, 0))
			continue;
		if (stats_unwrap16(t->st, im->seq, seqp) == -1) {
			*why = "sequence number never sent";
			continue;
		}
		if (im->kind == ICMP_MSG_ERROR)
			return t;
		sent = stats_sent_at(t->st, *seqp);
		pingstate_ms_to_ts(sent, &ts);
		if (sent < 0 ||
		    !icmp_payload_ok_pattern(
			im, ps->size, &ts, ps->pattern, ps->patlen)) {
			*why = "reply payload differs from the probe's";
			continue;
		}
		return t;
	}
	return NULL;
}

struct ping_target *
pingstate_err_target(const struct pingstate *ps, int fd,
    const struct sockaddr *name, uint16_t wire, uint64_t *seq)
{
	struct ping_target *t;
	size_t i;

	for (i = 0; i < ps->nt; i++) {
		t = &ps->t[i];
		if (!t->ok || t->fd != fd)
			continue;
		if (ps->multi &&
		    !addr_same(name, (struct sockaddr *)&t->dst, 0))
			continue;
		if (stats_unwrap16(t->st, wire, seq) == 0)
			return t;
	}
	return NULL;
}

uint64_t
pingstate_err_seq(const struct pingstate *ps, int fd, int family,
    const struct sockaddr *name, const uint8_t *buf, size_t n,
    struct ping_target **tp)
{
	struct icmp_msg im;
	char err[128];
	uint64_t seq = 0;

	if (ps->udp) {
		if (probe_parse(buf, n, ps->cookie, &seq) == -1)
			seq = 0;
	} else if (icmp_parse(family, ICMP_F_NOCSUM, buf, n, &im, err,
		       sizeof err) == 0 &&
	    im.kind == ICMP_MSG_REQUEST) {
		*tp = pingstate_err_target(ps, fd, name, im.seq, &seq);
		if (*tp == NULL)
			seq = 0;
	}
	return seq;
}

void
pingstate_anysrc(struct ping_target *t)
{
	const struct sockaddr_in *s4 = (const struct sockaddr_in *)&t->dst;
	const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)&t->dst;

	if (t->family == AF_INET)
		t->anysrc = s4->sin_addr.s_addr == htonl(INADDR_ANY) ||
		    IN_MULTICAST(ntohl(s4->sin_addr.s_addr)) ||
		    sock_is_broadcast((const struct sockaddr *)s4);
	else
		t->anysrc = IN6_IS_ADDR_UNSPECIFIED(&s6->sin6_addr) ||
		    IN6_IS_ADDR_MULTICAST(&s6->sin6_addr);
}

int
pingstate_all(const struct pingstate *ps, int answered)
{
	size_t i;

	for (i = 0; i < ps->nt; i++) {
		if (!ps->t[i].ok)
			continue;
		if (answered ? stats_answered(ps->t[i].st) <
			    stats_last_seq(ps->t[i].st)
			     : !stats_settled(ps->t[i].st))
			return 0;
	}
	return 1;
}

int
pingstate_negative(const struct pingstate *ps, double deadline, long long count)
{
	struct stats_summary s;
	size_t i;

	for (i = 0; i < ps->nt; i++) {
		if (!ps->t[i].ok)
			continue;
		stats_summarize(ps->t[i].st, &s);
		/* As ping(8): with a deadline and a count, every probe must be answered. */
		if (s.received == 0 ||
		    (deadline > 0 && count > 0 &&
			(long long)s.received < count))
			return 1;
	}
	return 0;
}

uint64_t
pingstate_unanswered(const struct ping_target *t)
{
	uint64_t last = stats_last_seq(t->st);

	/* An error (a refusal) answers a probe as well as a reply does. */
	if (last > 0 && !stats_has_reply(t->st, last) &&
	    !stats_has_error(t->st, last))
		return last;
	return 0;
}

double
pingstate_wake(const struct pingstate *ps, double timeout, double wake)
{
	double oldest;
	size_t i;

	for (i = 0; i < ps->nt; i++) {
		if (!ps->t[i].ok)
			continue;
		oldest = stats_oldest_pending(ps->t[i].st);
		if (oldest >= 0 && oldest + timeout < wake)
			wake = oldest + timeout;
	}
	return wake;
}

size_t
pingstate_max_size(int family)
{
	return family == AF_INET6 ? 65527 : 65507;
}
