/* SPDX-License-Identifier: ISC */
/*
 * The traffic of a ping run: each probe sent to its target, and what the
 * sockets bring back read, matched to a probe, counted and shown.
 */
#ifndef UDPTOOL_PINGIO_H
#define UDPTOOL_PINGIO_H

#include <stddef.h>
#include <stdint.h>

#include "pingout.h"
#include "pingsock.h"
#include "pingstate.h"

struct pingio {
	struct pingstate *ps; /* the targets and their probes */
	struct pingout *out; /* where the lines go */
	const struct pingsock_conf *sc; /* -b and -M, for the hints */
	double timeout; /* ms: a later reply is late */
	int outstanding; /* -O */
	uint8_t *sbuf, *rbuf, *pbuf; /* from pingio_alloc() */
	size_t rsize;
	int replies; /* replies counted, for the caller to take (-a) */
	int gone; /* a line could not be written: the run should stop */
};

/* Allocates the buffers for ps's probes; returns 0, or -1 with errno set. */
int pingio_alloc(struct pingio *p);

/* Frees the buffers. */
void pingio_free(struct pingio *p);

/*
 * Sends the next probe to t (after the -O line for the last one); returns
 * 0, or -1 after a send error (reported, and counted as the probe's).
 */
int pingio_send(struct pingio *p, struct ping_target *t);

/*
 * Reads one datagram from f, and counts and shows what it answers.
 * Returns 1 if there may be more, 0 if drained.
 */
int pingio_recv_one(struct pingio *p, const struct ping_fd *f);

/*
 * Reads one error from f's error queue, and counts and shows the probe it
 * answers.  Returns 1 if there may be more, 0 if drained.
 */
int pingio_recv_err(struct pingio *p, const struct ping_fd *f);

#endif
