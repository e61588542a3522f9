/* SPDX-License-Identifier: ISC */
/*
 * "udptool ping": ICMP echo as ping(8) does it, without root where the
 * kernel allows, and UDP round trips against any echo server (-u).
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/types.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "errmsg.h"
#include "icmp.h"
#include "log.h"
#include "num.h"
#include "output.h"
#include "pingout.h"
#include "pingstate.h"
#include "priv.h"
#include "probe.h"
#include "sock.h"
#include "stats.h"
#include "udptool.h"

#define PING_DEFAULT_SIZE 56
#define PING_MIN_USER_INTERVAL 2.0 /* ms, as ping(8) */
#define PING_ICMP_TIMEOUT 10000.0 /* ms, ping(8)'s linger time */
#define PING_UDP_TIMEOUT 2000.0
#define PING_RECV_BATCH 64 /* datagrams read per wakeup */

#define OPT_HISTOGRAM 256

#define PING_MAX_TARGETS 256

/* A socket the loop waits on: ICMP's are shared, -u's belong to a target. */
struct ping_fd {
	int fd;
	int family;
	enum ping_sock kind;
	struct ping_target *t; /* -u only */
};

struct ping {
	struct pingout out;
	struct pingstate ps;
	int family; /* -4, -6, or AF_UNSPEC */
	long long count; /* 0: until interrupted or the deadline */
	double interval, timeout, deadline; /* ms; deadline 0: none */
	int ttl, tos, pmtu; /* -1: leave the default */
	const char *iface; /* -I argument */
	int verbose, adaptive, outstanding, audible, broadcast;
	struct ping_fd fds[PING_MAX_TARGETS];
	size_t nfds;
	uint8_t *sbuf, *rbuf, *pbuf;
	size_t rsize;
};

static volatile sig_atomic_t ping_stop;
/*
 * SIGINT, SIGTERM and SIGQUIT stay blocked but inside ppoll(), which waits
 * with this mask: one that comes between the check of its flag and the
 * wait is not missed (with -i 60 it would otherwise wait a minute).
 */
static sigset_t ping_waitmask;
static volatile sig_atomic_t ping_interim;

static void
ping_on_stop(int sig)
{
	ping_stop = 1;
}

static void
ping_on_quit(int sig)
{
	ping_interim = 1;
}

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* After a line went out: one that could not stops the run. */
static void
ping_shown(int rc)
{
	/* Nobody can see the lines any more: stop (main() says why). */
	if (rc == -1)
		ping_stop = 1;
}

/* SIGQUIT's report. */
static void
ping_interim_report(struct ping *p)
{
	pingout_interim(&p->out);
}

/* Gives up every privilege for good and checks that none is left. */
static int
ping_drop_privileges(void)
{
	char err[256];

	if (priv_drop_verified(err, sizeof err) == -1) {
		log_warnx("%s", err);
		return -1;
	}
	return 0;
}

/* An ICMP socket of one family, opened before the targets are resolved. */
struct ping_icmp {
	struct priv_icmp s;
	enum ping_sock kind;
	int used; /* some target's */
};

/* Opens s's socket (see priv_open_icmp()). */
static void
ping_open_icmp(struct ping_icmp *s)
{
	priv_open_icmp(&s->s);
	s->kind = s->s.raw ? PING_RAW : PING_DGRAM;
}

/* Says why no ICMP socket of s's family could be opened. */
static void
ping_icmp_failed(const struct ping_icmp *s)
{
	char msg[640];

	log_warnx("%s", priv_icmp_failed(&s->s, msg, sizeof msg));
}

/* Binds to -I: a source address when it is one, else an interface. */
static int
ping_bind_iface(struct ping *p, int fd, int family)
{
	char err[ERRMSG_QUOTE_MAX + 128];

	if (p->iface == NULL)
		return 0;
	if (sock_bind_source(fd, family, p->iface, err, sizeof err) == -1) {
		if (errno == ENODEV)
			log_warnx("invalid -I value '%s' (%s)",
			    ERRMSG_QUOTE(p->iface), err);
		else
			log_warnx("%s", err);
		return -1;
	}
	return 0;
}

/* Sets -t, -Q, -M and -b and asks for errors and reception metadata. */
static int
ping_sockopts(struct ping *p, int fd, int family, enum ping_sock kind)
{
	int v6 = family == AF_INET6, on = 1;

	if (p->ttl >= 0 &&
	    (v6 ? setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &p->ttl,
		      sizeof p->ttl)
		: setsockopt(fd, IPPROTO_IP, IP_TTL, &p->ttl, sizeof p->ttl)) ==
		-1) {
		log_warn("cannot set ttl %d", p->ttl);
		return -1;
	}
	if (p->tos >= 0 &&
	    (v6 ? setsockopt(
		      fd, IPPROTO_IPV6, IPV6_TCLASS, &p->tos, sizeof p->tos)
		: setsockopt(fd, IPPROTO_IP, IP_TOS, &p->tos, sizeof p->tos)) ==
		-1) {
		log_warn("cannot set tos 0x%x", (unsigned)p->tos);
		return -1;
	}
	if (p->pmtu >= 0 && sock_set_pmtu(fd, family, p->pmtu) == -1) {
		if (errno == EOPNOTSUPP)
			log_warnx("-M is not supported here");
		else
			log_warn("cannot set -M");
		return -1;
	}
	if (p->broadcast && !v6 &&
	    setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &on, sizeof on) == -1) {
		log_warn("cannot set -b");
		return -1;
	}
	/*
	 * Datagram sockets (ICMP and UDP) learn of ICMP errors only through
	 * the error queue; raw sockets receive the error packets themselves.
	 */
	if (kind != PING_RAW && sock_recverr(fd, family) == -1)
		log_warn("cannot ask for ICMP errors (IP_RECVERR)");
	/* Without it every ICMP message on the host wakes us: slower, not wrong. */
	if (kind == PING_RAW && sock_icmp_filter(fd, family) == -1)
		log_warn("cannot filter the raw socket's ICMP types");
	/* Replies then show no ttl: worth a word, not the end of the run. */
	if (kind != PING_UDP && sock_enable_meta(fd, SOCK_META_TTL) == -1)
		log_warn("cannot ask for the ttl of replies");
	return 0;
}

/* Reports a failed send of probe seq to t, with a hint where one helps. */
static void
ping_send_failed(struct ping *p, struct ping_target *t, uint64_t seq, int e)
{
	char hint[256], what[64];
	int mtu;

	snprintf(what, sizeof what, "%s_seq=%llu", p->ps.udp ? "udp" : "icmp",
	    pingout_seq_shown(&p->out, seq));
	if (e == EACCES) {
		log_warnx("%s (%s)",
		    sock_eacces_hint((struct sockaddr *)&t->dst, t->dstlen,
			t->dstaddr, p->broadcast, "-b", hint, sizeof hint),
		    what);
		return;
	}
	if (e == EMSGSIZE && p->pmtu == 1) {
		mtu = t->kind == PING_UDP
		    ? sock_mtu(t->fd, t->family)
		    : sock_path_mtu((struct sockaddr *)&t->dst, t->dstlen);
		if (mtu > 0) {
			log_warnx("send to %s (%s): %s: %s", t->dstaddr, what,
			    strerror(e),
			    sock_mtu_hint(t->family, mtu, p->ps.size, "-M do",
				hint, sizeof hint));
			return;
		}
	}
	log_warnx("send to %s (%s): %s", t->dstaddr, what, strerror(e));
}

/* Sends the next probe to t; returns 0, or -1 after a send error (reported). */
static int
ping_send(struct ping *p, struct ping_target *t)
{
	double now = now_ms();
	uint64_t seq;
	struct timespec ts;
	size_t len;
	ssize_t n;

	if (p->outstanding && (seq = pingstate_unanswered(t)) != 0)
		ping_shown(pingout_outstanding(&p->out, t, seq));
	seq = stats_sent(t->st, now);
	if (p->ps.udp) {
		probe_build(p->sbuf, p->ps.size, p->ps.cookie, seq, now,
		    p->ps.pattern, p->ps.patlen);
		len = p->ps.size;
		n = send(t->fd, p->sbuf, len, 0);
	} else {
		pingstate_ms_to_ts(now, &ts);
		icmp_fill_payload_pattern(p->pbuf, p->ps.size, (uint16_t)seq,
		    &ts, p->ps.pattern, p->ps.patlen);
		len = icmp_build_echo(t->family, t->ident, (uint16_t)seq,
		    p->pbuf, p->ps.size, p->sbuf, p->ps.size + ICMP_HDRLEN);
		n = sendto(t->fd, p->sbuf, len, 0, (struct sockaddr *)&t->dst,
		    t->dstlen);
	}
	if (n == -1) {
		if (p->ps.udp && errno == ECONNREFUSED) {
			/* The answer to an earlier probe; this one may still go out. */
			n = send(t->fd, p->sbuf, len, 0);
			if (n != -1)
				return 0;
		}
		ping_send_failed(p, t, seq, errno);
		stats_error(t->st, seq, 0);
		return -1;
	}
	return 0;
}

static void
ping_note(struct ping *p, struct ping_target *t, const char *what,
    const struct sockaddr *from, socklen_t fromlen)
{
	char a[ADDR_STRLEN];

	if (t != NULL)
		t->invalid++;
	if (p->verbose)
		log_warnx("ignored from %s: %s",
		    addr_format(from, fromlen, p->ps.udp ? ADDR_FMT_PORT : 0, a,
			sizeof a),
		    what);
}

static void
ping_handle_reply(struct ping *p, struct ping_target *t, uint64_t seq,
    size_t bytes, const struct sock_meta *m, int ttl, double now)
{
	double rtt;
	int flags;

	flags = stats_reply(t->st, seq, now, p->timeout, &rtt);
	if (flags & STATS_R_UNKNOWN) {
		ping_note(p, t, "reply to no probe in flight",
		    (const struct sockaddr *)&m->from, m->fromlen);
		return;
	}
	ping_shown(pingout_reply(&p->out, t, seq, bytes,
	    (const struct sockaddr *)&m->from, m->fromlen, ttl, rtt, flags));
	/* -a: a bell for each reply, as ping(8); JSON stays JSON. */
	if (p->audible && !p->out.json) {
		fputc('\a', stdout);
		if (out_stdout_flush() == -1)
			ping_stop = 1;
	}
}

/* Reads one datagram; returns 1 if there may be more, 0 if drained. */
static int
ping_recv_one(struct ping *p, const struct ping_fd *f)
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
	now = now_ms();
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
		ping_note(p, f->t, "truncated datagram",
		    (struct sockaddr *)&m.from, m.fromlen);
		return 1;
	}
	if (p->ps.udp) {
		seq = pingstate_udp_check(&p->ps, f->t, p->rbuf, (size_t)n);
		if (seq == 0) {
			ping_note(p, f->t,
			    "not a probe of this run, or corrupted",
			    (struct sockaddr *)&m.from, m.fromlen);
			return 1;
		}
		ping_handle_reply(p, f->t, seq, (size_t)n, &m, -1, now);
		return 1;
	}
	if (icmp_parse(f->family, raw4 ? ICMP_F_IPHDR : 0, p->rbuf, (size_t)n,
		&im, err, sizeof err) == -1) {
		ping_note(p, NULL, err, (struct sockaddr *)&m.from, m.fromlen);
		return 1;
	}
	t = pingstate_icmp_match(&p->ps, f->fd, f->kind == PING_RAW, &im,
	    (struct sockaddr *)&m.from, &seq, &why);
	if (t == NULL) {
		/* Another process's traffic is not ours to count. */
		if (why != NULL)
			ping_note(p, NULL, why, (struct sockaddr *)&m.from,
			    m.fromlen);
		return 1;
	}
	if (im.kind == ICMP_MSG_ERROR) {
		if (stats_error(t->st, seq, 0) == 0)
			ping_shown(pingout_error(&p->out, t, seq,
			    (struct sockaddr *)&m.from, m.fromlen, im.type,
			    im.code, im.mtu, 0));
		return 1;
	}
	ping_handle_reply(
	    p, t, seq, im.icmplen, &m, raw4 ? im.ttl : m.ttl, now);
	return 1;
}

/* Reports an error this host raised for probe seq of t (if known). */
static void
ping_local_err(struct ping *p, struct ping_target *t, uint64_t seq,
    const struct sock_err *e)
{
	char hint[256];

	if (e->err == EMSGSIZE && t != NULL)
		log_warnx("local error: %s: %s", strerror(e->err),
		    sock_mtu_hint(t->family, (int)e->info, p->ps.size, "-M do",
			hint, sizeof hint));
	else
		log_warnx("local error: %s%s%u", strerror(e->err),
		    e->err == EMSGSIZE ? ", mtu=" : ", info=",
		    (unsigned)e->info);
	if (seq != 0 && t != NULL)
		stats_error(t->st, seq, 0);
}

/* Reads one error from the error queue; returns 1 if there may be more. */
static int
ping_recv_err(struct ping *p, const struct ping_fd *f)
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
	seq = pingstate_err_seq(&p->ps, f->fd, f->family,
	    (const struct sockaddr *)&e.dst, p->rbuf, (size_t)n, &t);
	if (e.origin == SOCK_ERR_LOCAL) {
		ping_local_err(p, t, seq, &e);
		return 1;
	}
	if (e.origin != SOCK_ERR_ICMP && e.origin != SOCK_ERR_ICMP6)
		return 1;
	if (t == NULL || seq == 0 || stats_sent_at(t->st, seq) < 0)
		return 1;
	icmp_classify(e.origin == SOCK_ERR_ICMP6 ? AF_INET6 : AF_INET, e.type,
	    e.code, &c);
	/* Only -u's probes go to a port: for them a refusal is the answer. */
	refused = p->ps.udp && c.verdict == ICMP_V_REFUSED;
	if (stats_error(t->st, seq, refused) == 0)
		ping_shown(pingout_error(&p->out, t, seq,
		    e.fromlen > 0 ? (struct sockaddr *)&e.from : NULL,
		    e.fromlen, e.type, e.code, e.info, refused));
	return 1;
}

/* Reads what fd f has: a bounded batch, so a flood cannot stop probes. */
static void
ping_drain(struct ping *p, const struct ping_fd *f, short revents)
{
	int batch = 0, more;

	if (revents & POLLERR) {
		while (ping_recv_err(p, f))
			;
	}
	if (revents & (POLLIN | POLLERR)) {
		do {
			more = ping_recv_one(p, f);
			if (f->kind != PING_RAW)
				while (ping_recv_err(p, f))
					;
		} while (more && !ping_stop && ++batch < PING_RECV_BATCH);
	}
}

/*
 * Sends rounds of probes, one to each target in turn, and reads the
 * answers until the count, the deadline or a signal ends the run.
 */
static int
ping_loop(struct ping *p)
{
	struct pollfd pfd[PING_MAX_TARGETS];
	struct timespec ts;
	double now, next_send, wake;
	uint64_t seq;
	size_t i;
	int timeout_ms, done_sending = 0;
	long long rounds = 0;

	p->ps.start = now_ms();
	next_send = p->ps.start;
	for (;;) {
		if (ping_stop)
			break;
		if (ping_interim) {
			ping_interim = 0;
			ping_interim_report(p);
		}
		now = now_ms();
		if (p->deadline > 0 && now - p->ps.start >= p->deadline)
			break;
		for (i = 0; i < p->ps.nt; i++)
			while (p->ps.t[i].ok &&
			    stats_expire(p->ps.t[i].st, now, p->timeout, &seq))
				ping_shown(
				    pingout_timeout(&p->out, &p->ps.t[i], seq));
		/* -A: one round in flight, the next as soon as it is settled. */
		if (!done_sending && now >= next_send &&
		    (!p->adaptive || pingstate_all(&p->ps, 0))) {
			/* -O: what came since the last poll counts first. */
			for (i = 0; p->outstanding && i < p->nfds; i++)
				ping_drain(p, &p->fds[i], POLLIN | POLLERR);
			for (i = 0; i < p->ps.nt; i++)
				if (p->ps.t[i].ok)
					ping_send(p, &p->ps.t[i]);
			rounds++;
			/* No catching up after a stall: never two rounds closer than -i. */
			next_send = now + p->interval;
			if (p->count > 0 && rounds >= p->count)
				done_sending = 1;
		}
		if (done_sending) {
			if (pingstate_all(&p->ps, 1))
				break;
			if (p->deadline <= 0 && pingstate_all(&p->ps, 0))
				break;
		}
		wake =
		    done_sending || (p->adaptive && !pingstate_all(&p->ps, 0))
		    ? now + 1000
		    : next_send;
		wake = pingstate_wake(&p->ps, p->timeout, wake);
		if (p->deadline > 0 && p->ps.start + p->deadline < wake)
			wake = p->ps.start + p->deadline;
		timeout_ms = wake > now ? (int)ceil(wake - now) : 0;
		for (i = 0; i < p->nfds; i++) {
			pfd[i].fd = p->fds[i].fd;
			pfd[i].events = POLLIN;
			pfd[i].revents = 0;
		}
		ts.tv_sec = timeout_ms / 1000;
		ts.tv_nsec = (long)(timeout_ms % 1000) * 1000000;
		if (ppoll(pfd, p->nfds, &ts, &ping_waitmask) == -1) {
			if (errno == EINTR)
				continue;
			log_warn("poll");
			return -1;
		}
		for (i = 0; i < p->nfds && !ping_stop; i++)
			if (pfd[i].revents != 0)
				ping_drain(p, &p->fds[i], pfd[i].revents);
	}
	return 0;
}

/*
 * Reports a target whose name did not resolve (sock_resolve() gave rc
 * and err); returns the exit status it calls for: 1 for a name that is
 * not found (a negative answer, as for resolve), 2 for a local error.
 */
static int
ping_unknown(struct ping_target *t, int rc, const char *err)
{
	char show[ADDR_STRLEN * 2], q[80];
	const char *why = err;
	size_t len;

	addr_spec_format(&t->spec, show, sizeof show);
	len = strlen(show);
	if (strncmp(err, show, len) == 0 && err[len] == ':' &&
	    err[len + 1] == ' ')
		why = err + len + 2;
	/* No address, or no answer from the resolver: a negative answer. */
	if (sock_eai_not_found(rc) || rc == EAI_FAMILY || rc == EAI_AGAIN ||
	    rc == EAI_FAIL) {
		log_warnx("unknown host '%s' (%s)",
		    errmsg_quote(t->spec.host, q, sizeof q), why);
		return UT_EXIT_NEGATIVE;
	}
	log_warnx("%s", err);
	return UT_EXIT_ERROR;
}

/* Opens t's UDP socket, connected to its echo server. */
static int
ping_setup_udp(struct ping *p, struct ping_target *t)
{
	struct addr_spec src;
	struct addrinfo *res;
	char err[ADDR_ERRLEN];
	int rc, notfound, is_addr = 0;
	unsigned char tmp[16];

	rc = sock_resolve(&t->spec, p->family, 0, &res, err, sizeof err);
	if (rc != 0)
		return ping_unknown(t, rc, err);
	freeaddrinfo(res);
	memset(&src, 0, sizeof src);
	if (p->iface != NULL) {
		is_addr = inet_pton(AF_INET, p->iface, tmp) == 1 ||
		    inet_pton(AF_INET6, p->iface, tmp) == 1;
		if (is_addr) {
			snprintf(src.host, sizeof src.host, "%s", p->iface);
			src.v6 = strchr(p->iface, ':') != NULL;
		}
	}
	t->fd = sock_udp_client(&t->spec, p->family, is_addr ? &src : NULL, 1,
	    &t->dst, &t->dstlen, &notfound, err, sizeof err);
	if (t->fd == -1) {
		log_warnx("%s", err);
		/*
		 * The name resolved a moment ago: not found now is the
		 * resolver changing its mind, a negative answer as above;
		 * the rest (socket, -I address, connect) is local.
		 */
		return notfound ? UT_EXIT_NEGATIVE : UT_EXIT_ERROR;
	}
	t->kind = PING_UDP;
	t->family = t->dst.ss_family;
	p->fds[p->nfds].fd = t->fd;
	p->fds[p->nfds].family = t->family;
	p->fds[p->nfds].kind = PING_UDP;
	p->fds[p->nfds].t = t;
	p->nfds++;
	if (p->iface != NULL && !is_addr) {
		if (ping_bind_iface(p, t->fd, t->family) == -1)
			return UT_EXIT_ERROR;
		/* Rebinding the device drops the route: connect again. */
		if (connect(t->fd, (struct sockaddr *)&t->dst, t->dstlen) ==
		    -1) {
			log_warn("connect %s", t->name);
			return UT_EXIT_ERROR;
		}
	}
	if (ping_sockopts(p, t->fd, t->family, PING_UDP) == -1)
		return UT_EXIT_ERROR;
	addr_format((struct sockaddr *)&t->dst, t->dstlen, ADDR_FMT_PORT,
	    t->dstaddr, sizeof t->dstaddr);
	t->ok = 1;
	return 0;
}

/* Returns 0 if the kernel has a route to t, else -1 (reported). */
static int
ping_route_check(struct ping *p, struct ping_target *t)
{
	char hint[256];
	int e;

	/* A socket that cannot be opened gives no verdict: ICMP's will speak. */
	e = sock_try_connect(
	    (struct sockaddr *)&t->dst, t->dstlen, p->broadcast);
	if (e == ENETUNREACH || e == EHOSTUNREACH || e == EADDRNOTAVAIL) {
		errno = e;
		log_warn("connect %s", t->name);
		return -1;
	}
	if (e == EACCES) {
		log_warnx("%s",
		    sock_eacces_hint((struct sockaddr *)&t->dst, t->dstlen,
			t->dstaddr, p->broadcast, "-b", hint, sizeof hint));
		return -1;
	}
	return 0;
}

/*
 * Resolves t and gives it the ICMP socket of its family from s (n of
 * them, already open); returns 0 or the exit status its failure calls for.
 */
static int
ping_setup_icmp_target(
    struct ping *p, struct ping_target *t, struct ping_icmp *s, int n)
{
	struct addrinfo *res, *ai;
	char err[ADDR_ERRLEN];
	int i, rc;

	rc = sock_resolve(&t->spec, p->family, 0, &res, err, sizeof err);
	if (rc != 0)
		return ping_unknown(t, rc, err);
	/* The first address of a family with a socket open. */
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		for (i = 0; i < n; i++)
			if (s[i].s.family == ai->ai_family && s[i].s.fd != -1)
				break;
		if (i < n)
			break;
	}
	if (ai == NULL) {
		for (i = 0; i < n - 1 && s[i].s.family != res->ai_family; i++)
			;
		freeaddrinfo(res);
		ping_icmp_failed(&s[i]);
		return UT_EXIT_ERROR;
	}
	memcpy(&t->dst, ai->ai_addr, ai->ai_addrlen);
	t->dstlen = ai->ai_addrlen;
	freeaddrinfo(res);
	addr_set_port((struct sockaddr *)&t->dst, 0);
	t->fd = s[i].s.fd;
	t->family = s[i].s.family;
	t->kind = s[i].kind;
	addr_format((struct sockaddr *)&t->dst, t->dstlen, 0, t->dstaddr,
	    sizeof t->dstaddr);
	pingstate_anysrc(t);
	if (sock_is_broadcast((struct sockaddr *)&t->dst)) {
		/* As ping(8): a broadcast is asked for, never an accident. */
		if (!p->broadcast) {
			log_warnx("%s is a broadcast address: do you want to "
				  "ping broadcast? Then -b",
			    t->dstaddr);
			return UT_EXIT_ERROR;
		}
		log_warnx("pinging broadcast address %s", t->dstaddr);
	}
	/*
	 * As ping(8): a route check first, so that an unreachable network is
	 * a local error (exit 2) rather than a run of failed sends.
	 */
	if (p->iface == NULL && ping_route_check(p, t) == -1)
		return UT_EXIT_ERROR;
	s[i].used = 1;
	t->ok = 1;
	return 0;
}

/*
 * Opens the ICMP sockets, sets the options that may need privileges, and
 * drops every privilege before any target's name is resolved: a socket
 * for each family the targets may need, the ones left unused closed
 * afterwards.  Returns 0 when every target is ready, else the worst exit
 * status of those that are not (reported); *nok counts the ready ones.
 */
static int
ping_setup_icmp(struct ping *p, int privileged, size_t *nok)
{
	struct ping_icmp s[2];
	unsigned char tmp[16];
	int i, n = 0, need4 = 0, need6 = 0, status = 0, rc;
	size_t j;

	*nok = 0;
	/* -I with an address, or numeric targets, pick the family. */
	if (p->family == AF_UNSPEC && p->iface != NULL) {
		if (inet_pton(AF_INET, p->iface, tmp) == 1)
			p->family = AF_INET;
		else if (inet_pton(AF_INET6, p->iface, tmp) == 1)
			p->family = AF_INET6;
	}
	if (p->family == AF_INET)
		need4 = 1;
	else if (p->family == AF_INET6)
		need6 = 1;
	else {
		for (j = 0; j < p->ps.nt; j++) {
			if (p->ps.t[j].spec.v6)
				need6 = 1;
			else if (inet_pton(
				     AF_INET, p->ps.t[j].spec.host, tmp) == 1)
				need4 = 1;
			else
				need4 = need6 = 1;
		}
	}
	if (p->interval < PING_MIN_USER_INTERVAL && !privileged) {
		log_warnx(
		    "cannot flood: interval %.3g ms is below the 2 ms allowed "
		    "without privileges (root or CAP_NET_RAW)",
		    p->interval);
		return UT_EXIT_ERROR;
	}
	memset(s, 0, sizeof s);
	s[0].s.fd = s[1].s.fd = -1;
	if (need4)
		s[n++].s.family = AF_INET;
	if (need6)
		s[n++].s.family = AF_INET6;
	for (i = 0; i < n; i++) {
		ping_open_icmp(&s[i]);
		if (s[i].s.fd == -1)
			continue;
		/* Options that may need privileges go before they are dropped. */
		if (ping_bind_iface(p, s[i].s.fd, s[i].s.family) == -1 ||
		    ping_sockopts(p, s[i].s.fd, s[i].s.family, s[i].kind) ==
			-1) {
			status = UT_EXIT_ERROR;
			goto out;
		}
	}
	if (ping_drop_privileges() == -1) {
		status = UT_EXIT_ERROR;
		goto out;
	}
	for (j = 0; j < p->ps.nt; j++) {
		rc = ping_setup_icmp_target(p, &p->ps.t[j], s, n);
		if (rc > status)
			status = rc;
		if (rc == 0)
			(*nok)++;
	}
	for (i = 0; i < n; i++) {
		if (!s[i].used)
			continue;
		p->fds[p->nfds].fd = s[i].s.fd;
		p->fds[p->nfds].family = s[i].s.family;
		p->fds[p->nfds].kind = s[i].kind;
		p->fds[p->nfds].t = NULL;
		p->nfds++;
		s[i].s.fd = -1; /* closed by cmd_ping_exec() */
		if (p->verbose)
			log_warnx("using %s",
			    s[i].kind == PING_DGRAM
				? "an ICMP datagram socket (unprivileged)"
				: "a raw ICMP socket (CAP_NET_RAW), "
				  "privileges dropped");
	}
out:
	for (i = 0; i < n; i++)
		if (s[i].s.fd != -1)
			close(s[i].s.fd);
	return status;
}

/*
 * Reads the targets: one word each, or with -u HOST:PORT each or one
 * HOST PORT pair.  Returns 0, or the status of a usage error (reported).
 */
static int
ping_parse_targets(struct cmd_ctx *ctx, struct ping *p, int argc, char **argv)
{
	struct ping_target *t;
	char err[ADDR_ERRLEN];
	int used, i;

	if (argc == 0)
		return cmd_usage_error(ctx, "missing host");
	if (argc > PING_MAX_TARGETS)
		return cmd_usage_error(ctx, "too many hosts: %d (at most %d)",
		    argc, PING_MAX_TARGETS);
	p->ps.t = calloc((size_t)argc, sizeof *p->ps.t);
	if (p->ps.t == NULL) {
		log_warn("out of memory");
		return UT_EXIT_ERROR;
	}
	for (i = 0; i < argc; i += used) {
		t = &p->ps.t[p->ps.nt++];
		t->fd = -1;
		t->name = argv[i];
		/* -u takes HOST:PORT or, as nc does, HOST PORT. */
		used = addr_parse_args(argc - i, (const char *const *)argv + i,
		    p->ps.udp ? 0 : ADDR_F_NO_PORT, &t->spec, err, sizeof err);
		if (used == -1) {
			if (!p->ps.udp &&
			    strstr(err, "unexpected port") != NULL)
				return cmd_usage_error(
				    ctx, "%s (a port means UDP: add -u)", err);
			return cmd_usage_error(ctx, "%s", err);
		}
		if (used == 2 && argc != 2)
			return cmd_usage_error(ctx,
			    "'%s %s': HOST PORT as two words is for one host "
			    "only; write HOST:PORT for several",
			    argv[i], argv[i + 1]);
		if (used == 2)
			t->name = addr_spec_format(
			    &t->spec, t->namebuf, sizeof t->namebuf);
		/* "ping HOST 7" means a port, not host 0.0.0.7. */
		if (!p->ps.udp && argv[i][0] != '\0' &&
		    strspn(argv[i], "0123456789") == strlen(argv[i]))
			return cmd_usage_error(ctx,
			    "invalid host '%s' (a port means UDP: add -u)",
			    ERRMSG_QUOTE(argv[i]));
	}
	p->ps.multi = p->ps.nt > 1;
	return 0;
}

/* The longest -i, -W or -w: what an int of milliseconds holds. */
#define PING_SECONDS_MAX 2147483.0

static const struct cmd_opt ping_options[] = {
    {'4', "ipv4", no_argument, NULL, "IPv4 only"},
    {'6', "ipv6", no_argument, NULL, "IPv6 only"},
    {'A', "adaptive", no_argument, NULL,
	"send the next probe as soon as the last one\n"
	"is answered (one in flight, -i the minimum)"},
    {'a', "audible", no_argument, NULL,
	"ring the terminal bell (BEL) on each reply"},
    {'b', "broadcast", no_argument, NULL, "allow pinging a broadcast address"},
    {'c', "count", required_argument, "N", "stop after N probes"},
    {'i', "interval", required_argument, "SEC",
	"seconds between probes (default 1; below\n"
	"0.002 only for root or CAP_NET_RAW)"},
    {'W', "timeout", required_argument, "SEC",
	"reply timeout (default 10, 2 with -u)"},
    {'w', "deadline", required_argument, "SEC",
	"stop after SEC seconds whatever happened"},
    {'s', "size", required_argument, "BYTES",
	"payload size (default 56; at least 24 with -u)"},
    {'t', "ttl", required_argument, "N", "IP time to live / hop limit"},
    {'Q', "tos", required_argument, "N", "IP type of service / traffic class"},
    {'M', "pmtudisc", required_argument, "do|dont",
	"set or clear Don't Fragment"},
    {'I', "interface", required_argument, "IF",
	"send from an interface or a source address"},
    {'O', "outstanding", no_argument, NULL,
	"say when a probe is still unanswered as the\n"
	"next one goes out"},
    {'p', "pattern", required_argument, "HEX",
	"fill the payload with up to 16 bytes, in hex"},
    {'q', "quiet", no_argument, NULL, "only the summary"},
    {'D', "timestamps", no_argument, NULL,
	"print a Unix time before each line"},
    {'j', "json", no_argument, NULL, "one JSON object per probe and a summary"},
    {'u', "udp", no_argument, NULL, "UDP round trips against an echo server"},
    {OPT_HISTOGRAM, "histogram", no_argument, NULL,
	"draw a histogram of round-trip times"},
    {'n', "numeric", no_argument, NULL, "numeric output (the default)"},
    {'v', "verbose", no_argument, NULL,
	"say which socket is used, and why replies\n"
	"are ignored"},
    {0, NULL, 0, NULL, NULL},
};

/* The exit status of a run: 1 when a target had no reply (see ping(8)). */
static int
ping_status(struct ping *p)
{
	return pingstate_negative(&p->ps, p->deadline, p->count)
	    ? UT_EXIT_NEGATIVE
	    : UT_EXIT_OK;
}

/* Numbers the run and each target, and gives each its statistics. */
static int
ping_new_targets(struct ping *p)
{
	struct timespec ts;
	uint16_t ident;

	clock_gettime(CLOCK_REALTIME, &ts);
	ident = (uint16_t)((unsigned)getpid() ^ (unsigned)(ts.tv_nsec >> 8));
	if (pingstate_number(&p->ps, ident,
		(uint32_t)getpid() * 2654435761U ^ (uint32_t)ts.tv_nsec) ==
	    -1) {
		log_warn("out of memory");
		return -1;
	}
	return 0;
}

/*
 * Opens the sockets, drops privileges and resolves the targets.  Returns
 * the worst status of the targets that failed (reported), with the number
 * of those ready in *nok.
 */
static int
ping_setup(struct ping *p, size_t *nok)
{
	int privileged, rc, setup = 0;
	size_t i;

	*nok = 0;
	/* Whether -i may go below 2 ms, asked while the answer is true. */
	privileged = priv_net_raw();
	if (!p->ps.udp)
		return ping_setup_icmp(p, privileged, nok);
	/* UDP needs no privilege at all: it goes before anything else. */
	if (ping_drop_privileges() == -1)
		return UT_EXIT_ERROR;
	if (p->interval < PING_MIN_USER_INTERVAL && !privileged) {
		log_warnx("cannot flood: interval %.3g ms is below the 2 ms "
			  "allowed without privileges (root or CAP_NET_RAW)",
		    p->interval);
		return UT_EXIT_ERROR;
	}
	for (i = 0; i < p->ps.nt; i++) {
		rc = ping_setup_udp(p, &p->ps.t[i]);
		if (rc > setup)
			setup = rc;
		if (rc != 0)
			p->ps.t[i].ok = 0;
		else
			(*nok)++;
	}
	return setup;
}

/* -s against the largest datagram of each target's family. */
static int
ping_check_size(struct cmd_ctx *ctx, struct ping *p)
{
	size_t i, maxsize;

	for (i = 0; i < p->ps.nt; i++) {
		if (!p->ps.t[i].ok)
			continue;
		maxsize = pingstate_max_size(p->ps.t[i].family);
		if (p->ps.size > maxsize)
			return cmd_usage_error(ctx,
			    "invalid -s value '%zu' (%d-%zu for "
			    "%s)",
			    p->ps.size, p->ps.udp ? PROBE_HDRLEN : 0, maxsize,
			    p->ps.t[i].family == AF_INET6 ? "IPv6" : "IPv4");
	}
	return 0;
}

/* The send, receive and comparison buffers; returns 0, or -1 (reported). */
static int
ping_alloc(struct ping *p)
{
	p->rsize = p->ps.size + 512 > 4096 ? p->ps.size + 512 : 4096;
	p->sbuf = malloc(p->ps.size + ICMP_HDRLEN);
	p->pbuf = malloc(p->ps.size + 1);
	p->rbuf = malloc(p->rsize);
	if (p->sbuf == NULL || p->pbuf == NULL || p->rbuf == NULL) {
		log_warn("out of memory");
		return -1;
	}
	return 0;
}

/* The summaries: a block per target, or a line each for several. */
static void
ping_report(struct ping *p)
{
	size_t i;

	if (!p->ps.multi || p->out.json) {
		for (i = 0; i < p->ps.nt; i++)
			if (p->ps.t[i].ok)
				pingout_summary(&p->out, &p->ps.t[i], now_ms());
		return;
	}
	pingout_summary_lines(&p->out);
}

static void
ping_free(struct ping *p)
{
	size_t i;

	for (i = 0; i < p->nfds; i++)
		close(p->fds[i].fd);
	pingstate_free(&p->ps);
	free(p->sbuf);
	free(p->pbuf);
	free(p->rbuf);
}

/* ping_parse(): the options are read, the run goes on. */
#define PING_GO (-1)

/*
 * Reads the option ch that takes a value (optarg) into p.  Returns
 * PING_GO, or the exit status of a bad value (reported).
 */
static int
ping_parse_value(struct cmd_ctx *ctx, struct ping *p, int ch)
{
	char q[80];
	long long v;
	int n;

	switch (ch) {
	case 'c':
		if (cmd_opt_int(ctx, "-c value", optarg, 1, LLONG_MAX, 0,
			&p->count) == -1)
			return UT_EXIT_ERROR;
		break;
	case 'i':
		if (cmd_opt_seconds(ctx, "-i value", optarg, 0,
			PING_SECONDS_MAX, 0, &p->interval) == -1)
			return UT_EXIT_ERROR;
		p->interval *= 1e3;
		break;
	case 'W':
		if (cmd_opt_seconds(ctx, "-W value", optarg, 0,
			PING_SECONDS_MAX, NUM_NONZERO, &p->timeout) == -1)
			return UT_EXIT_ERROR;
		p->timeout *= 1e3;
		break;
	case 'w':
		if (cmd_opt_seconds(ctx, "-w value", optarg, 0,
			PING_SECONDS_MAX, NUM_NONZERO, &p->deadline) == -1)
			return UT_EXIT_ERROR;
		p->deadline *= 1e3;
		break;
	case 's':
		if (cmd_opt_int(ctx, "-s value", optarg, 0, 65527, 0, &v) == -1)
			return UT_EXIT_ERROR;
		p->ps.size = (size_t)v;
		break;
	case 't':
		if (cmd_opt_int(ctx, "-t value", optarg, 1, 255, 0, &v) == -1)
			return UT_EXIT_ERROR;
		p->ttl = (int)v;
		break;
	case 'Q':
		/* -Q is a byte: 0x allowed, as for send --tos. */
		if (cmd_opt_int(ctx, "-Q value", optarg, 0, 255, NUM_HEX, &v) ==
		    -1)
			return UT_EXIT_ERROR;
		p->tos = (int)v;
		break;
	case 'M':
		if (strcmp(optarg, "do") == 0)
			p->pmtu = 1;
		else if (strcmp(optarg, "dont") == 0)
			p->pmtu = 0;
		else
			return cmd_usage_error(ctx,
			    "invalid -M value '%s' (do or dont)",
			    errmsg_quote(optarg, q, sizeof q));
		break;
	case 'I':
		if (optarg[0] == '\0')
			return cmd_usage_error(ctx, "empty -I value");
		p->iface = optarg;
		break;
	case 'p':
		n = icmp_parse_pattern(optarg, p->ps.pattern);
		if (n == -1)
			return cmd_usage_error(ctx,
			    "invalid -p value '%s' (1 to %d bytes in "
			    "hex digits, as ff or 0a1b2c)",
			    errmsg_quote(optarg, q, sizeof q),
			    ICMP_PATTERN_MAX);
		p->ps.patlen = (size_t)n;
		break;
	default:
		n = cmd_common_option(ctx, ch);
		return n >= 0 ? n : UT_EXIT_ERROR;
	}
	return PING_GO;
}

/* Sets the flag of option ch; returns 1, or 0 when ch is no flag. */
static int
ping_parse_flag(struct ping *p, int ch)
{
	switch (ch) {
	case '4':
		p->family = AF_INET;
		break;
	case '6':
		p->family = AF_INET6;
		break;
	case 'A':
		p->adaptive = 1;
		break;
	case 'a':
		p->audible = 1;
		break;
	case 'b':
		p->broadcast = 1;
		break;
	case 'O':
		p->outstanding = 1;
		break;
	case 'q':
		p->out.quiet = 1;
		break;
	case 'D':
		p->out.timestamps = 1;
		break;
	case 'j':
		p->out.json = 1;
		break;
	case 'u':
		p->ps.udp = 1;
		break;
	case 'n':
		break; /* addresses are never looked up in reverse anyway */
	case 'v':
		p->verbose = 1;
		break;
	case OPT_HISTOGRAM:
		p->out.histogram = 1;
		break;
	default:
		return 0;
	}
	return 1;
}

/*
 * Reads the options and the targets into p.  Returns PING_GO, or the
 * exit status to end with (-h, or a usage error, reported).
 */
static int
ping_parse(struct cmd_ctx *ctx, struct ping *p, int argc, char **argv)
{
	int ch, rc;

	p->family = AF_UNSPEC;
	p->interval = 1000;
	p->ps.size = PING_DEFAULT_SIZE;
	p->ttl = p->tos = p->pmtu = -1;
	while ((ch = cmd_getopt(ctx, argc, argv)) != -1) {
		if (ping_parse_flag(p, ch))
			continue;
		rc = ping_parse_value(ctx, p, ch);
		if (rc != PING_GO)
			return rc;
	}
	rc = ping_parse_targets(ctx, p, argc - optind, argv + optind);
	if (rc != 0)
		return rc;
	if (p->ps.udp && p->ps.size < PROBE_HDRLEN)
		return cmd_usage_error(ctx,
		    "invalid -s value '%zu' (%d-65507 "
		    "with -u: a probe carries its number and send time)",
		    p->ps.size, PROBE_HDRLEN);
	/* -W 0 is refused, so 0 means not given. */
	if (p->timeout == 0)
		p->timeout = p->ps.udp ? PING_UDP_TIMEOUT : PING_ICMP_TIMEOUT;
	return PING_GO;
}

static int
cmd_ping_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct ping p;
	struct sigaction sa;
	sigset_t stopset;
	size_t nok = 0;
	int rc, status, setup = 0;

	memset(&p, 0, sizeof p);
	p.out.ps = &p.ps;
	status = ping_parse(ctx, &p, argc, argv);
	if (status != PING_GO)
		goto out;
	if (ping_new_targets(&p) == -1) {
		status = UT_EXIT_ERROR;
		goto out;
	}
	setup = ping_setup(&p, &nok);
	/* Hosts that cannot be pinged are reported; the others still are. */
	if (nok == 0) {
		status = setup != 0 ? setup : UT_EXIT_ERROR;
		goto out;
	}
	status = ping_check_size(ctx, &p);
	if (status != 0)
		goto out;
	status = UT_EXIT_ERROR;
	if (ping_alloc(&p) == -1)
		goto out;

	out_init(&p.out.o, stdout, p.out.json);
	if (!p.out.json) {
		pingout_header(&p.out);
		/* Nobody would see the replies: no probe is sent. */
		if (out_stdout_flush() == -1) {
			status =
			    errno == EPIPE ? UT_EXIT_NEGATIVE : UT_EXIT_ERROR;
			goto out;
		}
	}

	ping_stop = ping_interim = 0;
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = ping_on_stop; /* no SA_RESTART: poll() returns */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = ping_on_quit;
	sigaction(SIGQUIT, &sa, NULL);

	sigemptyset(&stopset);
	sigaddset(&stopset, SIGINT);
	sigaddset(&stopset, SIGTERM);
	sigaddset(&stopset, SIGQUIT);
	sigprocmask(SIG_BLOCK, &stopset, &ping_waitmask);
	rc = ping_loop(&p);
	sigprocmask(SIG_SETMASK, &ping_waitmask, NULL);
	if (rc == -1)
		goto out;
	ping_report(&p);
	status = ping_status(&p);
	if (setup > status)
		status = setup;
out:
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
	ping_free(&p);
	return status;
}

const struct cmd_entry cmd_ping_entry = {
    .name = "ping",
    .usage = "[-46AabDjnOqv] [-c count] [-i interval] [-W timeout] "
	     "[-w deadline] [-s size] [-t ttl] [-Q tos] [-M do|dont] "
	     "[-p pattern] [-I interface|address] [--histogram] host ... | "
	     "-u host:port ...",
    .summary = "ICMP echo without root, or UDP round trips with statistics",
    .options = ping_options,
    .notes =
	"Several hosts (at most 256) are pinged in turns, one probe to each "
	"per\n"
	"interval, and summed up one line each; HOST PORT as two words is for\n"
	"one -u host only.\n"
	"SIGQUIT prints interim statistics; SIGINT ends with the summary.\n",
    .exec = cmd_ping_exec,
};
