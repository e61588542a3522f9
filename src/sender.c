/* SPDX-License-Identifier: ISC */
/*
 * Whom a listener answers: a fixed peer (--to), else the most recent
 * sender, or with a lock the first one, while others are only named.
 */
#include "config.h"

#include <sys/socket.h>

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
