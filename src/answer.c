/* SPDX-License-Identifier: ISC */
/*
 * Answering the senders of a listening socket: datagrams, lines and files
 * sent to whom the sender module names, counted, each failure said once.
 */
#include "config.h"

#include <sys/socket.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "answer.h"
#include "linefeed.h"
#include "log.h"
#include "output.h"
#include "prompt.h"
#include "sendline.h"
#include "sock.h"
#include "talk.h"

void
answer_init(struct answer *a, const struct payload_lines *lines, int lock,
    int quiet, void *owner)
{
	memset(a, 0, sizeof *a);
	a->fd = -1;
	a->ttl = a->tos = -1;
	a->peer.lock = lock;
	a->mode = lines->mode;
	a->eol = lines->eol;
	a->quiet = quiet;
	a->owner = owner;
}

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

void
answer_record_in(
    struct answer *a, const struct sock_meta *m, const void *buf, size_t len)
{
	if (a->cap != NULL)
		capture_record(a->cap, 0, 0,
		    m->tolen > 0 ? (const struct sockaddr *)&m->to : NULL,
		    (const struct sockaddr *)&m->from, buf, len,
		    m->has_ts ? &m->ts : NULL);
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

int
answer_set_to_text(struct answer *a, const char *text)
{
	struct addr_spec spec;
	char err[ADDR_ERRLEN];

	if (addr_parse(text, 0, &spec, err, sizeof err) == -1) {
		log_warnx("%s", err);
		errno = EINVAL;
		return -1;
	}
	return answer_set_to(a, &spec, text);
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

void
answer_hold(struct answer *a)
{
	if (a->prompt != NULL)
		prompt_hold(a->prompt);
}

void
answer_set_prompt(struct answer *a)
{
	const struct sockaddr *dst;
	char text[sizeof a->prompt_text], s[ADDR_STRLEN];
	socklen_t len;

	if (a->prompt == NULL)
		return;
	dst = sender_target(&a->peer, &len);
	if (dst == NULL)
		snprintf(text, sizeof text, "(no sender yet)> ");
	else
		snprintf(text, sizeof text, "%s> ",
		    addr_format(dst, len, ADDR_FMT_PORT, s, sizeof s));
	if (strcmp(text, a->prompt_text) == 0)
		return;
	snprintf(a->prompt_text, sizeof a->prompt_text, "%s", text);
	prompt_set(a->prompt, text);
}

/* A one-line notice about who is answered, above the prompt or on stderr. */
static void
answer_notice(struct answer *a, const struct sock_meta *m, const char *pre,
    const char *post)
{
	char s[ADDR_STRLEN];

	if (a->quiet)
		return;
	answer_hold(a);
	log_warnx("%s%s%s", pre,
	    addr_format((const struct sockaddr *)&m->from, m->fromlen,
		ADDR_FMT_PORT, s, sizeof s),
	    post);
}

void
answer_track(struct answer *a, const struct sock_meta *m, int talking)
{
	switch (sender_track(&a->peer, m)) {
	case SENDER_LOCKED_OUT:
		answer_notice(
		    a, m, "", " is not the locked peer: shown, never answered");
		break;
	case SENDER_NEW:
		if (!talking || a->peer.tolen > 0)
			break;
		answer_notice(a, m, "lines now go to ",
		    a->peer.lock ? " (locked: other senders are never answered)"
				 : " (the most recent sender)");
		break;
	case SENDER_SAME:
	case SENDER_LOCKED_OUT_AGAIN:
		break;
	}
}

/*
 * A line from a pipe or a file is always data, never a command (as nc).
 * Before the first sender it waits (the rest stays in the pipe, nothing is
 * dropped).
 */
int
answer_piped_line(void *arg, const char *line, size_t len, int overlong)
{
	struct answer *a = arg;
	socklen_t tlen;

	if (overlong) {
		a->lines++;
		log_warnx("line %llu: longer than %d bytes (not sent)",
		    (unsigned long long)a->lines, ANSWER_LINE_MAX);
		a->badlines++;
		return LINEFEED_DONE;
	}
	/* A canned reply waits for the first sender, not discarded. */
	if (sender_target(&a->peer, &tlen) == NULL)
		return LINEFEED_HOLD;
	a->lines++;
	answer_text(a, line, len, a->mode, a->eol);
	return LINEFEED_DONE;
}

void
answer_piped_end(const struct answer *a, const struct linefeed *lf)
{
	if (lf->held)
		log_warnx("line %llu and the lines after it not sent: no "
			  "sender came",
		    (unsigned long long)a->lines + 1);
}

/* The talk callbacks: arg is the answer. */

static void
answer_talk_typed(void *arg)
{
	struct answer *a = arg;

	a->lines++;
}

static void
answer_talk_text(void *arg, const char *text, size_t len, int hex)
{
	struct answer *a = arg;

	/* /hex spells exact bytes: no line end added. */
	if (hex)
		answer_text(a, text, len, PAYLOAD_HEX, NULL);
	else
		answer_text(a, text, len, a->mode, a->eol);
}

static void
answer_talk_file(void *arg, const char *path)
{
	answer_file(arg, path);
}

static int
answer_talk_repeat_load(void *arg, const struct sendline *c)
{
	struct answer *a = arg;
	char err[PAYLOAD_ERRLEN];
	ssize_t n;

	n = linefeed_datagram(c->arg, c->arglen, a->mode, a->eol, a->repeat_buf,
	    sizeof a->repeat_buf, err, sizeof err);
	if (n == -1) {
		answer_bad_line(a, err);
		return -1;
	}
	/*
	 * Where it goes is fixed now.  A /repeat running has a target, so
	 * this cannot fail then: the running one is never stopped for it.
	 */
	if (answer_dest(a, &a->repeat_dest) == -1)
		return -1;
	a->repeat_len = (size_t)n;
	return 0;
}

static int
answer_talk_repeat_send(void *arg)
{
	struct answer *a = arg;

	return answer_send(a, &a->repeat_dest, a->repeat_buf, a->repeat_len);
}

static void
answer_talk_to(void *arg, const struct sendline *c)
{
	struct answer *a = arg;

	if (c->reset) {
		a->peer.tolen = 0;
	} else if (!c->query) {
		/* A bad address leaves the current target as it was. */
		if (answer_set_to(a, &c->to, c->arg) == -1)
			return;
	}
	if (!c->query && a->talk != NULL)
		talk_repeat_stop(a->talk, "stopped by /to");
	answer_show_target(a);
	answer_set_prompt(a);
}

static void
answer_talk_ttl_tos(void *arg, const struct sendline *c)
{
	answer_ttl_tos(arg, c->kind == SENDLINE_TOS, c->query, c->value);
}

void
answer_talk_ops(struct talk_ops *ops)
{
	ops->typed = answer_talk_typed;
	ops->text = answer_talk_text;
	ops->file = answer_talk_file;
	ops->repeat_load = answer_talk_repeat_load;
	ops->repeat_send = answer_talk_repeat_send;
	ops->to = answer_talk_to;
	ops->ttl_tos = answer_talk_ttl_tos;
}

int
answer_talk_open(
    struct answer *a, struct talk *t, const struct talk_config *cfg)
{
	talk_init(t, cfg);
	a->talk = t;
	a->prompt = talk_open(t);
	if (a->prompt == NULL)
		return -1;
	answer_set_prompt(a);
	if (isatty(STDOUT_FILENO))
		log_warnx("lines go to %s as datagrams; /help lists commands, "
			  "^D leaves",
		    a->peer.tolen > 0  ? "--to"
			: a->peer.lock ? "the first sender (--lock)"
				       : "the most recent sender");
	return 0;
}

void
answer_talk_close(struct answer *a)
{
	talk_close(a->talk);
	a->prompt = NULL;
}

void
answer_talk_config(
    struct answer *a, struct talk_config *cfg, struct talk_ops *ops)
{
	memset(ops, 0, sizeof *ops);
	answer_talk_ops(ops);
	memset(cfg, 0, sizeof *cfg);
	cfg->room = TALK_LISTEN;
	/* Its own file: answers to peers are not requests to a server. */
	cfg->history = "listen-history";
	cfg->fd = a->fd;
	cfg->help_head = "Each line is sent as one datagram to the peer the "
			 "prompt names.  Commands:\n";
	cfg->help_tail =
	    "Keys: Up/Down history, Tab completes commands, ^C discards the\n"
	    "line, ^D leaves with the summary.\n";
	cfg->replaced = "replaced";
	cfg->send_empty = 1;
	cfg->ops = ops;
	cfg->arg = a;
}

int
answer_talk_run(struct answer *a, struct talk *t, const struct talk_config *cfg)
{
	int rc;

	if (answer_talk_open(a, t, cfg) == -1) {
		log_warn("prompt");
		return -1;
	}
	rc = talk_run(t);
	if (rc == -1)
		log_warn("reading the terminal");
	answer_talk_close(a);
	return rc == -1 ? -1 : 0;
}

void
answer_summary(struct out *o, const struct answer *a)
{
	out_uint(o, "sent", ", %llu sent", a->sent);
	out_count(
	    o, "send_errors", ", %llu send %s", a->senderr, "error", "errors");
	out_count(o, "invalid_lines", ", %llu invalid %s", a->badlines, "line",
	    "lines");
}
