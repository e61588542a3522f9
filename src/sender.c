/* SPDX-License-Identifier: ISC */
/*
 * Whom a listener answers: a fixed peer (--to), else the most recent
 * sender, or with a lock the first one, while others are only named.
 */
#include "config.h"

#include <sys/socket.h>

#include <string.h>

#include "addr.h"
#include "sender.h"

enum sender_news
sender_track(struct sender *s, const struct sock_meta *m)
{
	const struct sockaddr *from = (const struct sockaddr *)&m->from;
	int same = s->have_last &&
	    addr_same((const struct sockaddr *)&s->last.from, from, 1);

	if (s->lock && s->have_last && !same) {
		/* Named when another than the one last named speaks. */
		if (s->have_other &&
		    addr_same((const struct sockaddr *)&s->other, from, 1))
			return SENDER_LOCKED_OUT_AGAIN;
		s->other = m->from;
		s->have_other = 1;
		return SENDER_LOCKED_OUT;
	}
	/* Also for the same sender: the local address it wrote to may change. */
	s->last = *m;
	s->have_last = 1;
	return same ? SENDER_SAME : SENDER_NEW;
}

const struct sockaddr *
sender_target(const struct sender *s, socklen_t *len)
{
	if (s->tolen > 0) {
		*len = s->tolen;
		return (const struct sockaddr *)&s->to;
	}
	if (s->have_last) {
		*len = s->last.fromlen;
		return (const struct sockaddr *)&s->last.from;
	}
	return NULL;
}

int
sender_dest(const struct sender *s, struct sender_dest *d)
{
	memset(d, 0, sizeof *d);
	if (s->tolen > 0) {
		d->to = s->to;
		d->tolen = s->tolen;
		return 0;
	}
	if (s->have_last) {
		d->reply = 1;
		d->last = s->last;
		return 0;
	}
	return -1;
}

ssize_t
sender_send(int fd, const struct sender_dest *d, const void *buf, size_t len,
    const struct sockaddr **dst, socklen_t *dstlen)
{
	if (d->reply) {
		/* From the address the peer wrote to, like echo-serve's replies. */
		*dst = (const struct sockaddr *)&d->last.from;
		*dstlen = d->last.fromlen;
		return sock_send_reply(fd, buf, len, &d->last);
	}
	*dst = (const struct sockaddr *)&d->to;
	*dstlen = d->tolen;
	return sendto(fd, buf, len, 0, *dst, *dstlen);
}
