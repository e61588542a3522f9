/* SPDX-License-Identifier: ISC */
/*
 * The traffic of a ping run: probes out, and replies and ICMP errors in,
 * matched to their probes (pingstate), counted and shown (pingout).
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/types.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "icmp.h"
#include "log.h"
#include "pingio.h"
#include "pingout.h"
#include "pingsock.h"
#include "pingstate.h"
#include "probe.h"
#include "sock.h"
#include "stats.h"

/* Notes a line that could not be written: the run should stop. */
static void
pingio_shown(struct pingio *p, int rc)
{
	if (rc == -1)
		p->gone = 1;
}

/* Reports a failed send of probe seq to t, with a hint where one helps. */
static void
pingio_send_failed(struct pingio *p, struct ping_target *t, uint64_t seq, int e)
{
	char hint[256], what[64];
	int mtu;

	snprintf(what, sizeof what, "%s_seq=%llu", p->ps->udp ? "udp" : "icmp",
	    pingout_seq_shown(p->out, seq));
	if (e == EACCES) {
		log_warnx("%s (%s)",
		    sock_eacces_hint((struct sockaddr *)&t->dst, t->dstlen,
			t->dstaddr, p->sc->broadcast, "-b", hint, sizeof hint),
		    what);
		return;
	}
	if (e == EMSGSIZE && p->sc->pmtu == 1) {
		mtu = t->kind == PING_UDP
		    ? sock_mtu(t->fd, t->family)
		    : sock_path_mtu((struct sockaddr *)&t->dst, t->dstlen);
		if (mtu > 0) {
			log_warnx("send to %s (%s): %s: %s", t->dstaddr, what,
			    strerror(e),
			    sock_mtu_hint(t->family, mtu, p->ps->size, "-M do",
				hint, sizeof hint));
			return;
		}
	}
	log_warnx("send to %s (%s): %s", t->dstaddr, what, strerror(e));
}

/* Sends the next probe to t; returns 0, or -1 after a send error (reported). */
int
pingio_send(struct pingio *p, struct ping_target *t)
{
	double now = pingstate_now();
	uint64_t seq;
	struct timespec ts;
	size_t len;
	ssize_t n;

	if (p->outstanding && (seq = pingstate_unanswered(t)) != 0)
		pingio_shown(p, pingout_outstanding(p->out, t, seq));
	seq = stats_sent(t->st, now);
	if (p->ps->udp) {
		probe_build(p->sbuf, p->ps->size, p->ps->cookie, seq, now,
		    p->ps->pattern, p->ps->patlen);
		len = p->ps->size;
		n = send(t->fd, p->sbuf, len, 0);
	} else {
		pingstate_ms_to_ts(now, &ts);
		icmp_fill_payload_pattern(p->pbuf, p->ps->size, (uint16_t)seq,
		    &ts, p->ps->pattern, p->ps->patlen);
		len = icmp_build_echo(t->family, t->ident, (uint16_t)seq,
		    p->pbuf, p->ps->size, p->sbuf, p->ps->size + ICMP_HDRLEN);
		n = sendto(t->fd, p->sbuf, len, 0, (struct sockaddr *)&t->dst,
		    t->dstlen);
	}
	if (n == -1) {
		if (p->ps->udp && errno == ECONNREFUSED) {
			/* The answer to an earlier probe; this one may still go out. */
			n = send(t->fd, p->sbuf, len, 0);
			if (n != -1)
				return 0;
		}
		pingio_send_failed(p, t, seq, errno);
		stats_error(t->st, seq, 0);
		return -1;
	}
	return 0;
}

static void
pingio_note(struct pingio *p, struct ping_target *t, const char *what,
    const struct sockaddr *from, socklen_t fromlen)
{
	char a[ADDR_STRLEN];

	if (t != NULL)
		t->invalid++;
	if (p->sc->verbose)
		log_warnx("ignored from %s: %s",
		    addr_format(from, fromlen, p->ps->udp ? ADDR_FMT_PORT : 0,
			a, sizeof a),
		    what);
}

static void
pingio_handle_reply(struct pingio *p, struct ping_target *t, uint64_t seq,
    size_t bytes, const struct sock_meta *m, int ttl, double now)
{
	double rtt;
	int flags;

	flags = stats_reply(t->st, seq, now, p->timeout, &rtt);
	if (flags & STATS_R_UNKNOWN) {
		pingio_note(p, t, "reply to no probe in flight",
		    (const struct sockaddr *)&m->from, m->fromlen);
		return;
	}
	pingio_shown(p,
	    pingout_reply(p->out, t, seq, bytes,
		(const struct sockaddr *)&m->from, m->fromlen, ttl, rtt,
		flags));
	p->replies++;
}

/* Reads one datagram; returns 1 if there may be more, 0 if drained. */
int
pingio_recv_one(struct pingio *p, const struct ping_fd *f)
{
	struct sock_meta m;
	struct icmp_msg im;
	struct ping_target *t;
	char err[128];
	const char *why;
	uint64_t seq;
	double now;
	ssize_t n;
	int raw4 = f->kind == PING_RAW && f->family == AF_INET;

	memset(&m, 0, sizeof m);
	n = sock_recv_meta(f->fd, p->rbuf, p->rsize, MSG_DONTWAIT, &m);
	now = pingstate_now();
	if (n == -1) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
			return 0;
		if (errno == ECONNREFUSED || errno == EHOSTUNREACH ||
		    errno == ENETUNREACH) {
			/* The error queue tells which probe, if IP_RECVERR works. */
			return 1;
		}
		log_warn("receive");
		return 0;
	}
	if (m.truncated) {
		pingio_note(p, f->t, "truncated datagram",
		    (struct sockaddr *)&m.from, m.fromlen);
		return 1;
	}
	if (p->ps->udp) {
		seq = pingstate_udp_check(p->ps, f->t, p->rbuf, (size_t)n);
		if (seq == 0) {
			pingio_note(p, f->t,
			    "not a probe of this run, or corrupted",
			    (struct sockaddr *)&m.from, m.fromlen);
			return 1;
		}
		pingio_handle_reply(p, f->t, seq, (size_t)n, &m, -1, now);
		return 1;
	}
	if (icmp_parse(f->family, raw4 ? ICMP_F_IPHDR : 0, p->rbuf, (size_t)n,
		&im, err, sizeof err) == -1) {
		pingio_note(
		    p, NULL, err, (struct sockaddr *)&m.from, m.fromlen);
		return 1;
	}
	t = pingstate_icmp_match(p->ps, f->fd, f->kind == PING_RAW, &im,
	    (struct sockaddr *)&m.from, &seq, &why);
	if (t == NULL) {
		/* Another process's traffic is not ours to count. */
		if (why != NULL)
			pingio_note(p, NULL, why, (struct sockaddr *)&m.from,
			    m.fromlen);
		return 1;
	}
	if (im.kind == ICMP_MSG_ERROR) {
		if (stats_error(t->st, seq, 0) == 0)
			pingio_shown(p,
			    pingout_error(p->out, t, seq,
				(struct sockaddr *)&m.from, m.fromlen, im.type,
				im.code, im.mtu, 0));
		return 1;
	}
	pingio_handle_reply(
	    p, t, seq, im.icmplen, &m, raw4 ? im.ttl : m.ttl, now);
	return 1;
}

/* Reports an error this host raised for probe seq of t (if known). */
static void
pingio_local_err(struct pingio *p, struct ping_target *t, uint64_t seq,
    const struct sock_err *e)
{
	char hint[256];

	if (e->err == EMSGSIZE && t != NULL)
		log_warnx("local error: %s: %s", strerror(e->err),
		    sock_mtu_hint(t->family, (int)e->info, p->ps->size, "-M do",
			hint, sizeof hint));
	else
		log_warnx("local error: %s%s%u", strerror(e->err),
		    e->err == EMSGSIZE ? ", mtu=" : ", info=",
		    (unsigned)e->info);
	if (seq != 0 && t != NULL)
		stats_error(t->st, seq, 0);
}

/* Reads one error from the error queue; returns 1 if there may be more. */
int
pingio_recv_err(struct pingio *p, const struct ping_fd *f)
{
	struct sock_err e;
	struct icmp_class c;
	struct ping_target *t = f->t;
	uint64_t seq;
	ssize_t n;
	int refused;

	n = sock_recv_err(f->fd, p->rbuf, p->rsize, &e);
	if (n == -1)
		return 0;
	if (e.origin == SOCK_ERR_NONE)
		return 1;
	seq = pingstate_err_seq(p->ps, f->fd, f->family,
	    (const struct sockaddr *)&e.dst, p->rbuf, (size_t)n, &t);
	if (e.origin == SOCK_ERR_LOCAL) {
		pingio_local_err(p, t, seq, &e);
		return 1;
	}
	if (e.origin != SOCK_ERR_ICMP && e.origin != SOCK_ERR_ICMP6)
		return 1;
	if (t == NULL || seq == 0 || stats_sent_at(t->st, seq) < 0)
		return 1;
	icmp_classify(e.origin == SOCK_ERR_ICMP6 ? AF_INET6 : AF_INET, e.type,
	    e.code, &c);
	/* Only -u's probes go to a port: for them a refusal is the answer. */
	refused = p->ps->udp && c.verdict == ICMP_V_REFUSED;
	if (stats_error(t->st, seq, refused) == 0)
		pingio_shown(p,
		    pingout_error(p->out, t, seq,
			e.fromlen > 0 ? (struct sockaddr *)&e.from : NULL,
			e.fromlen, e.type, e.code, e.info, refused));
	return 1;
}

/* The send, receive and comparison buffers; returns 0, or -1 (reported). */
int
pingio_alloc(struct pingio *p)
{
	p->rsize = p->ps->size + 512 > 4096 ? p->ps->size + 512 : 4096;
	p->sbuf = malloc(p->ps->size + ICMP_HDRLEN);
	p->pbuf = malloc(p->ps->size + 1);
	p->rbuf = malloc(p->rsize);
	if (p->sbuf == NULL || p->pbuf == NULL || p->rbuf == NULL)
		return -1;
	return 0;
}

void
pingio_free(struct pingio *p)
{
	free(p->sbuf);
	free(p->pbuf);
	free(p->rbuf);
	p->sbuf = p->pbuf = p->rbuf = NULL;
}
