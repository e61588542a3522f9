/* SPDX-License-Identifier: ISC */
/*
 * Whom a listener answers: a fixed peer (--to), else the most recent
 * sender, or with a lock the first one, while others are only named.
 */
#ifndef UDPTOOL_SENDER_H
#define UDPTOOL_SENDER_H

#include <sys/socket.h>
#include <sys/types.h>

#include <stddef.h>

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

/* Where one datagram goes, fixed when it is decided. */
struct sender_dest {
	int reply; /* 1: answer last from the address it wrote to */
	struct sockaddr_storage to;
	socklen_t tolen;
	struct sock_meta last;
};

/*
 * Fills d with where answers go now (the fixed peer, else a reply to the
 * sender answered); returns 0, or -1 when there is nobody yet.
 */
int sender_dest(const struct sender *s, struct sender_dest *d);

/*
 * Sends buf to d on fd, a reply from the local address its sender wrote
 * to; returns as sendto(2) does, with the address it went to in *dst.
 */
ssize_t sender_send(int fd, const struct sender_dest *d, const void *buf,
    size_t len, const struct sockaddr **dst, socklen_t *dstlen);

#endif
