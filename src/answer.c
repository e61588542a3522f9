/* SPDX-License-Identifier: ISC */
/*
 * Answering the senders of a listening socket: datagrams, lines and files
 * sent to whom the sender module names, counted, each failure said once.
 */
#include "config.h"

#include <sys/socket.h>

#include <errno.h>

#include "addr.h"
#include "answer.h"
#include "linefeed.h"
#include "log.h"
#include "prompt.h"
#include "sock.h"

int
answer_dest(struct answer *a, struct sender_dest *d)
{
	if (sender_dest(&a->peer, d) == 0)
		return 0;
	log_warnx("no sender yet to answer: not sent (%s)",
	    a->prompt != NULL ? "or name a peer with /to HOST:PORT"
			      : "or give --to ADDRESS");
	a->senderr++;
	return -1;
}

int
answer_send(
    struct answer *a, const struct sender_dest *d, const void *buf, size_t len)
{
	const struct sockaddr *dst;
	char s[ADDR_STRLEN];
	socklen_t dstlen;

	if (sender_send(a->fd, d, buf, len, &dst, &dstlen) == -1) {
		if (a->prompt != NULL)
			prompt_hold(a->prompt);
		log_warn("send to %s",
		    addr_format(dst, dstlen, ADDR_FMT_PORT, s, sizeof s));
		a->senderr++;
		return -1;
	}
	a->sent++;
	if (a->cap != NULL)
		capture_record(a->cap, 0, 1,
		    d->reply ? (const struct sockaddr *)&d->last.to : NULL, dst,
		    buf, len, NULL);
	return 0;
}

void
answer_bad_line(struct answer *a, const char *err)
{
	/* One bad line is reported; the session goes on. */
	log_warnx("line %llu: invalid payload: %s (not sent)",
	    (unsigned long long)a->lines, err);
	a->badlines++;
}

void
answer_text(struct answer *a, const char *line, size_t len,
    enum payload_mode mode, const char *eol)
{
	static uint8_t dgram[ANSWER_MAX];
	char err[PAYLOAD_ERRLEN];
	struct sender_dest d;
	ssize_t n;

	n = linefeed_datagram(
	    line, len, mode, eol, dgram, sizeof dgram, err, sizeof err);
	if (n == -1) {
		answer_bad_line(a, err);
		return;
	}
	if (answer_dest(a, &d) == 0)
		answer_send(a, &d, dgram, (size_t)n);
}

void
answer_file(struct answer *a, const char *path)
{
	static uint8_t dgram[ANSWER_MAX];
	char err[PAYLOAD_ERRLEN];
	struct sender_dest d;
	ssize_t n;

	/* Bounded by one datagram; a longer file is an error naming it. */
	n = payload_read_file(path, dgram, sizeof dgram, err, sizeof err);
	if (n == -1) {
		log_warnx("%s (not sent)", err);
		return;
	}
	if (answer_dest(a, &d) == 0)
		answer_send(a, &d, dgram, (size_t)n);
}

int
answer_set_to(struct answer *a, const struct addr_spec *spec, const char *text)
{
	struct sockaddr_storage ss;
	char err[ADDR_ERRLEN];
	socklen_t len;
	int e;

	if (sock_resolve_peer(a->fd, spec, text, &ss, &len, err, sizeof err) ==
	    -1) {
		e = errno;
		log_warnx("%s", err);
		errno = e;
		return -1;
	}
	a->peer.to = ss;
	a->peer.tolen = len;
	return 0;
}

void
answer_ttl_tos(struct answer *a, int tos, int query, int value)
{
	int *cur = tos ? &a->tos : &a->ttl;
	const char *name = tos ? "tos" : "ttl";

	if (!query) {
		if ((tos ? sock_set_tos(a->fd, value)
			 : sock_set_ttl(a->fd, value)) == -1) {
			log_warn(
			    "cannot set %s %d", tos ? "TOS" : "TTL", value);
			return;
		}
		*cur = value;
	}
	if (*cur < 0)
		log_warnx("%s default", name);
	else
		log_warnx("%s %d", name, *cur);
}

void
answer_show_target(const struct answer *a)
{
	const struct sender *p = &a->peer;
	char s[ADDR_STRLEN];

	if (p->tolen > 0)
		log_warnx("sending to %s",
		    addr_format((const struct sockaddr *)&p->to, p->tolen,
			ADDR_FMT_PORT, s, sizeof s));
	else if (p->have_last)
		log_warnx(p->lock ? "sending to the locked peer %s"
				  : "sending to the most recent sender "
				    "(now %s)",
		    addr_format((const struct sockaddr *)&p->last.from,
			p->last.fromlen, ADDR_FMT_PORT, s, sizeof s));
	else
		log_warnx("sending to the %s sender (none yet)",
		    p->lock ? "first" : "most recent");
}
