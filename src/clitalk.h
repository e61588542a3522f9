/* SPDX-License-Identifier: ISC */
/*
 * A UDP client's prompt session: typed lines and the slash commands of the
 * talk module sent over a struct client, /to reopening it to another peer.
 */
#ifndef UDPTOOL_CLITALK_H
#define UDPTOOL_CLITALK_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "addr.h"
#include "frame.h"
#include "talk.h"

struct client;

struct clitalk {
	struct client *cl; /* open, its peer set, the stop signals caught */
	struct frame_shape sh; /* typed lines: mode, line end and --size */
	int family; /* what /to resolves to: AF_UNSPEC or one family */
	const struct addr_spec *source; /* what /to binds to, or NULL */
	struct addr_spec *dest; /* the destination as given; /to replaces it */
	int quiet; /* no greeting, no word about the wait when leaving */
	double interval; /* seconds between /repeat datagrams, 0: batches */

	struct talk talk;
	uint8_t *sbuf; /* PAYLOAD_MAX bytes: the datagram of a line */
	uint8_t *repeat_buf; /* PAYLOAD_MAX bytes: the /repeat datagram */
	size_t repeat_len;
};

/*
 * Sets up ct's talk session and buffers without a prompt: lines go to
 * talk_line(&ct->talk, ...).  Returns 0, or -1 after a message.
 */
int clitalk_init(struct clitalk *ct);

/* Frees what clitalk_init() took. */
void clitalk_free(struct clitalk *ct);

/*
 * Runs the prompt on the terminal until the user leaves, then reads the
 * replies already queued and, after ^D or /quit, waits for those still
 * owed (client_leave_wait()).  Returns 0, or -1 after a message when
 * the prompt could not open or reading the terminal failed.
 */
int clitalk_run(struct clitalk *ct);

#endif
