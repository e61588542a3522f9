/* SPDX-License-Identifier: ISC */
/*
 * The sockets of a ping run: ICMP sockets opened and set up before every
 * privilege is dropped, the targets resolved and given theirs, -u's own.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/types.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "errmsg.h"
#include "log.h"
#include "pingsock.h"
#include "pingstate.h"
#include "priv.h"
#include "sock.h"
#include "udptool.h"

#define PING_MIN_USER_INTERVAL 2.0 /* ms, as ping(8) */

/* What the setup works on: the options, the targets and the loop's sockets. */
struct pingsock_run {
	struct pingsock_conf *sc;
	struct pingstate *ps;
	struct ping_fd *fds;
	size_t *nfds;
};

/* Refuses -i below 2 ms without privileges; returns 0, or -1 (reported). */
static int
pingsock_flood(const struct pingsock_run *p, int privileged)
{
	if (p->sc->interval < PING_MIN_USER_INTERVAL && !privileged) {
		log_warnx("cannot flood: interval %.3g ms is below the 2 ms "
			  "allowed without privileges (root or CAP_NET_RAW)",
		    p->sc->interval);
		return -1;
	}
	return 0;
}

/* Gives up every privilege for good and checks that none is left. */
static int
pingsock_drop_privileges(void)
{
	char err[256];

	if (priv_drop_verified(err, sizeof err) == -1) {
		log_warnx("%s", err);
		return -1;
	}
	return 0;
}

/* An ICMP socket of one family, opened before the targets are resolved. */
struct pingsock_icmp {
	struct priv_icmp s;
	enum ping_sock kind;
	int used; /* some target's */
};

/* Opens s's socket (see priv_open_icmp()). */
static void
pingsock_open_icmp(struct pingsock_icmp *s)
{
	priv_open_icmp(&s->s);
	s->kind = s->s.raw ? PING_RAW : PING_DGRAM;
}

/* Says why no ICMP socket of s's family could be opened. */
static void
pingsock_icmp_failed(const struct pingsock_icmp *s)
{
	char msg[640];

	log_warnx("%s", priv_icmp_failed(&s->s, msg, sizeof msg));
}

/* Binds to -I: a source address when it is one, else an interface. */
static int
pingsock_bind_iface(struct pingsock_run *p, int fd, int family)
{
	char err[ERRMSG_QUOTE_MAX + 128];

	if (p->sc->iface == NULL)
		return 0;
	if (sock_bind_source(fd, family, p->sc->iface, err, sizeof err) == -1) {
		if (errno == ENODEV)
			log_warnx("invalid -I value '%s' (%s)",
			    ERRMSG_QUOTE(p->sc->iface), err);
		else
			log_warnx("%s", err);
		return -1;
	}
	return 0;
}

/* Sets -t, -Q, -M and -b and asks for errors and reception metadata. */
static int
pingsock_sockopts(
    struct pingsock_run *p, int fd, int family, enum ping_sock kind)
{
	int v6 = family == AF_INET6, on = 1;

	if (p->sc->ttl >= 0 &&
	    (v6 ? setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &p->sc->ttl,
		      sizeof p->sc->ttl)
		: setsockopt(fd, IPPROTO_IP, IP_TTL, &p->sc->ttl,
		      sizeof p->sc->ttl)) == -1) {
		log_warn("cannot set ttl %d", p->sc->ttl);
		return -1;
	}
	if (p->sc->tos >= 0 &&
	    (v6 ? setsockopt(fd, IPPROTO_IPV6, IPV6_TCLASS, &p->sc->tos,
		      sizeof p->sc->tos)
		: setsockopt(fd, IPPROTO_IP, IP_TOS, &p->sc->tos,
		      sizeof p->sc->tos)) == -1) {
		log_warn("cannot set tos 0x%x", (unsigned)p->sc->tos);
		return -1;
	}
	if (p->sc->pmtu >= 0 && sock_set_pmtu(fd, family, p->sc->pmtu) == -1) {
		if (errno == EOPNOTSUPP)
			log_warnx("-M is not supported here");
		else
			log_warn("cannot set -M");
		return -1;
	}
	if (p->sc->broadcast && !v6 &&
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

/*
 * Reports a target whose name did not resolve (sock_resolve() gave rc
 * and err); returns the exit status it calls for: 1 for a name that is
 * not found (a negative answer, as for resolve), 2 for a local error.
 */
static int
pingsock_unknown(struct ping_target *t, int rc, const char *err)
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
pingsock_setup_udp(struct pingsock_run *p, struct ping_target *t)
{
	struct addr_spec src;
	struct addrinfo *res;
	char err[ADDR_ERRLEN];
	int rc, notfound, is_addr = 0;
	unsigned char tmp[16];

	rc = sock_resolve(&t->spec, p->sc->family, 0, &res, err, sizeof err);
	if (rc != 0)
		return pingsock_unknown(t, rc, err);
	freeaddrinfo(res);
	memset(&src, 0, sizeof src);
	if (p->sc->iface != NULL) {
		is_addr = inet_pton(AF_INET, p->sc->iface, tmp) == 1 ||
		    inet_pton(AF_INET6, p->sc->iface, tmp) == 1;
		if (is_addr) {
			snprintf(src.host, sizeof src.host, "%s", p->sc->iface);
			src.v6 = strchr(p->sc->iface, ':') != NULL;
		}
	}
	t->fd = sock_udp_client(&t->spec, p->sc->family, is_addr ? &src : NULL,
	    1, &t->dst, &t->dstlen, &notfound, err, sizeof err);
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
	p->fds[*p->nfds].fd = t->fd;
	p->fds[*p->nfds].family = t->family;
	p->fds[*p->nfds].kind = PING_UDP;
	p->fds[*p->nfds].t = t;
	(*p->nfds)++;
	if (p->sc->iface != NULL && !is_addr) {
		if (pingsock_bind_iface(p, t->fd, t->family) == -1)
			return UT_EXIT_ERROR;
		/* Rebinding the device drops the route: connect again. */
		if (connect(t->fd, (struct sockaddr *)&t->dst, t->dstlen) ==
		    -1) {
			log_warn("connect %s", t->name);
			return UT_EXIT_ERROR;
		}
	}
	if (pingsock_sockopts(p, t->fd, t->family, PING_UDP) == -1)
		return UT_EXIT_ERROR;
	addr_format((struct sockaddr *)&t->dst, t->dstlen, ADDR_FMT_PORT,
	    t->dstaddr, sizeof t->dstaddr);
	t->ok = 1;
	return 0;
}

/* Returns 0 if the kernel has a route to t, else -1 (reported). */
static int
pingsock_route_check(struct pingsock_run *p, struct ping_target *t)
{
	char hint[256];
	int e;

	/* A socket that cannot be opened gives no verdict: ICMP's will speak. */
	e = sock_try_connect(
	    (struct sockaddr *)&t->dst, t->dstlen, p->sc->broadcast);
	if (e == ENETUNREACH || e == EHOSTUNREACH || e == EADDRNOTAVAIL) {
		errno = e;
		log_warn("connect %s", t->name);
		return -1;
	}
	if (e == EACCES) {
		log_warnx("%s",
		    sock_eacces_hint((struct sockaddr *)&t->dst, t->dstlen,
			t->dstaddr, p->sc->broadcast, "-b", hint, sizeof hint));
		return -1;
	}
	return 0;
}

/*
 * Resolves t and gives it the ICMP socket of its family from s (n of
 * them, already open); returns 0 or the exit status its failure calls for.
 */
static int
pingsock_setup_icmp_target(struct pingsock_run *p, struct ping_target *t,
    struct pingsock_icmp *s, int n)
{
	struct addrinfo *res, *ai;
	char err[ADDR_ERRLEN];
	int i, rc;

	rc = sock_resolve(&t->spec, p->sc->family, 0, &res, err, sizeof err);
	if (rc != 0)
		return pingsock_unknown(t, rc, err);
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
		pingsock_icmp_failed(&s[i]);
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
		if (!p->sc->broadcast) {
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
	if (p->sc->iface == NULL && pingsock_route_check(p, t) == -1)
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
pingsock_setup_icmp(struct pingsock_run *p, int privileged, size_t *nok)
{
	struct pingsock_icmp s[2];
	unsigned char tmp[16];
	int i, n = 0, need4 = 0, need6 = 0, status = 0, rc;
	size_t j;

	*nok = 0;
	/* -I with an address, or numeric targets, pick the family. */
	if (p->sc->family == AF_UNSPEC && p->sc->iface != NULL) {
		if (inet_pton(AF_INET, p->sc->iface, tmp) == 1)
			p->sc->family = AF_INET;
		else if (inet_pton(AF_INET6, p->sc->iface, tmp) == 1)
			p->sc->family = AF_INET6;
	}
	if (p->sc->family == AF_INET)
		need4 = 1;
	else if (p->sc->family == AF_INET6)
		need6 = 1;
	else {
		for (j = 0; j < p->ps->nt; j++) {
			if (p->ps->t[j].spec.v6)
				need6 = 1;
			else if (inet_pton(
				     AF_INET, p->ps->t[j].spec.host, tmp) == 1)
				need4 = 1;
			else
				need4 = need6 = 1;
		}
	}
	if (pingsock_flood(p, privileged) == -1)
		return UT_EXIT_ERROR;
	memset(s, 0, sizeof s);
	s[0].s.fd = s[1].s.fd = -1;
	if (need4)
		s[n++].s.family = AF_INET;
	if (need6)
		s[n++].s.family = AF_INET6;
	for (i = 0; i < n; i++) {
		pingsock_open_icmp(&s[i]);
		if (s[i].s.fd == -1)
			continue;
		/* Options that may need privileges go before they are dropped. */
		if (pingsock_bind_iface(p, s[i].s.fd, s[i].s.family) == -1 ||
		    pingsock_sockopts(p, s[i].s.fd, s[i].s.family, s[i].kind) ==
			-1) {
			status = UT_EXIT_ERROR;
			goto out;
		}
	}
	if (pingsock_drop_privileges() == -1) {
		status = UT_EXIT_ERROR;
		goto out;
	}
	for (j = 0; j < p->ps->nt; j++) {
		rc = pingsock_setup_icmp_target(p, &p->ps->t[j], s, n);
		if (rc > status)
			status = rc;
		if (rc == 0)
			(*nok)++;
	}
	for (i = 0; i < n; i++) {
		if (!s[i].used)
			continue;
		p->fds[*p->nfds].fd = s[i].s.fd;
		p->fds[*p->nfds].family = s[i].s.family;
		p->fds[*p->nfds].kind = s[i].kind;
		p->fds[*p->nfds].t = NULL;
		(*p->nfds)++;
		s[i].s.fd = -1; /* closed by cmd_ping_exec() */
		if (p->sc->verbose)
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

int
pingsock_setup(struct pingsock_conf *sc, struct pingstate *ps,
    struct ping_fd *fds, size_t *nfds, size_t *nok)
{
	struct pingsock_run run = {sc, ps, fds, nfds}, *p = &run;
	int privileged, rc, setup = 0;
	size_t i;

	*nok = 0;
	/* Whether -i may go below 2 ms, asked while the answer is true. */
	privileged = priv_net_raw();
	if (!p->ps->udp)
		return pingsock_setup_icmp(p, privileged, nok);
	/* UDP needs no privilege at all: it goes before anything else. */
	if (pingsock_drop_privileges() == -1)
		return UT_EXIT_ERROR;
	if (pingsock_flood(p, privileged) == -1)
		return UT_EXIT_ERROR;
	for (i = 0; i < p->ps->nt; i++) {
		rc = pingsock_setup_udp(p, &p->ps->t[i]);
		if (rc > setup)
			setup = rc;
		if (rc != 0)
			p->ps->t[i].ok = 0;
		else
			(*nok)++;
	}
	return setup;
}
