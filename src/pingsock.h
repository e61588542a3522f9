/* SPDX-License-Identifier: ISC */
/*
 * The sockets of a ping run: opened, bound (-I), given their options and
 * connected or matched to the targets, with privileges dropped in time.
 */
#ifndef UDPTOOL_PINGSOCK_H
#define UDPTOOL_PINGSOCK_H

#include <stddef.h>

#include "pingstate.h"

#define PINGSOCK_MAX 256 /* sockets, and targets */

/* A socket the loop waits on: ICMP's are shared, -u's belong to a target. */
struct ping_fd {
	int fd;
	int family;
	enum ping_sock kind;
	struct ping_target *t; /* -u only */
};

/* The options of ping that shape its sockets. */
struct pingsock_conf {
	int family; /* -4, -6, or AF_UNSPEC */
	const char *iface; /* -I: a source address or an interface */
	int ttl, tos, pmtu; /* -t, -Q, -M; -1: leave the default */
	int broadcast; /* -b */
	int verbose; /* -v: say which socket is used */
	double interval; /* ms: below 2 only with privileges */
};

/*
 * Opens the sockets of ps's targets (ICMP ones before any name is
 * resolved, with every privilege dropped in between; -u ones after),
 * sets sc's options on them, and adds each to fds (*nfds of them, at most
 * PINGSOCK_MAX); a ready target gets ok set.  -I with an address may set
 * sc->family.  Returns 0, or the worst exit status of the targets that
 * are not ready (reported), with the number of ready ones in *nok.
 */
int pingsock_setup(struct pingsock_conf *sc, struct pingstate *ps,
    struct ping_fd *fds, size_t *nfds, size_t *nok);

#endif
