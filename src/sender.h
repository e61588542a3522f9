/* SPDX-License-Identifier: ISC */
/*
 * Whom a listener answers: a fixed peer (--to), else the most recent
 * sender, or with a lock the first one, while others are only named.
 */
#ifndef UDPTOOL_SENDER_H
#define UDPTOOL_SENDER_H

#include <sys/socket.h>

#include "sock.h"

struct sender {
	int lock; /* the first sender stays the one answered */
	struct sockaddr_storage to; /* a fixed peer, when tolen > 0 */
	socklen_t tolen;
	struct sock_meta last; /* the sender answered, with its local address */
	int have_last;
	struct sockaddr_storage other; /* with lock: the last other one named */
	int have_other;
};

/* What a datagram's sender means for whom is answered. */
enum sender_news {
	SENDER_SAME, /* the sender answered already */
	SENDER_NEW, /* answered from now on */
	SENDER_LOCKED_OUT, /* another than the locked one, new since last said */
	SENDER_LOCKED_OUT_AGAIN, /* the same other one as last time */
};

/*
 * Takes the sender of m as the one answered, unless a lock keeps the
 * first one; returns what changed.  A fixed peer does not change this.
 */
enum sender_news sender_track(struct sender *s, const struct sock_meta *m);

/*
 * Returns the address answers go to (the fixed peer, else the sender
 * answered) with its length in *len, or NULL when there is none yet.
 */
const struct sockaddr *sender_target(const struct sender *s, socklen_t *len);

#endif
