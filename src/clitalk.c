/* SPDX-License-Identifier: ISC */
/*
 * The prompt of a UDP client: what the talk session asks (send a line, a
 * file, a /repeat datagram, go /to another peer, set /ttl, /tos, /wait)
 * done over the client's socket.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/types.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client.h"
#include "clirun.h"
#include "clitalk.h"
#include "log.h"
#include "payload.h"
#include "prompt.h"
#include "rtt.h"
#include "sendline.h"
#include "talk.h"

static void
clitalk_set_prompt(struct clitalk *ct)
{
	char text[ADDR_STRLEN + 8];

	if (ct->cl->prompt == NULL)
		return;
	snprintf(text, sizeof text, "%s> ", ct->cl->peername);
	prompt_set(ct->cl->prompt, text);
}

/*
 * Makes the datagram of text as a line is made but in mode, with eol
 * (NULL: none), decoded unless decode is 0, and sends it.
 */
static void
clitalk_send(struct clitalk *ct, const char *text, size_t len, int decode,
    enum payload_mode mode, const char *eol)
{
	char err[PAYLOAD_ERRLEN];
	struct frame_shape sh = ct->sh;
	size_t dlen;

	sh.decode = decode;
	sh.mode = mode;
	sh.eol = eol;
	if (frame_build(&sh, (const uint8_t *)text, len, ct->sbuf, &dlen, err,
		sizeof err) == -1) {
		log_warnx("invalid payload: %s", err);
		return;
	}
	client_one(ct->cl, ct->sbuf, dlen);
	/* A send error is reported and the prompt goes on. */
	ct->cl->local_error = 0;
}

static void
clitalk_text(void *arg, const char *text, size_t len, int hex)
{
	struct clitalk *ct = arg;

	/* /hex and /file name exact bytes: no line end added. */
	if (hex)
		clitalk_send(ct, text, len, 1, PAYLOAD_HEX, NULL);
	else
		clitalk_send(ct, text, len, 1, ct->sh.mode, ct->sh.eol);
}

static void
clitalk_file(void *arg, const char *path)
{
	struct clitalk *ct = arg;
	char err[PAYLOAD_ERRLEN];
	ssize_t r;

	r = payload_read_file(path, ct->sbuf, PAYLOAD_MAX, err, sizeof err);
	if (r < 0) {
		log_warnx("%s", err);
		return;
	}
	clitalk_send(
	    ct, (const char *)ct->sbuf, (size_t)r, 0, ct->sh.mode, NULL);
}

static int
clitalk_repeat_load(void *arg, const struct sendline *c)
{
	struct clitalk *ct = arg;
	char err[PAYLOAD_ERRLEN];
	struct frame_shape sh = ct->sh;

	sh.decode = 1;
	if (frame_build(&sh, (const uint8_t *)c->arg, c->arglen, ct->repeat_buf,
		&ct->repeat_len, err, sizeof err) == -1) {
		log_warnx("invalid payload: %s", err);
		return -1;
	}
	return 0;
}

static int
clitalk_repeat_send(void *arg)
{
	struct clitalk *ct = arg;

	if (client_one(ct->cl, ct->repeat_buf, ct->repeat_len) == -1) {
		ct->cl->local_error = 0;
		return -1;
	}
	return 0;
}

/* /to HOST:PORT: a new socket to spec, on the descriptor the prompt polls. */
static void
clitalk_retarget(struct clitalk *ct, const struct addr_spec *spec)
{
	struct client *cl = ct->cl;
	struct sockaddr_storage peer;
	socklen_t peerlen;
	int fd, notfound;

	fd = client_open(
	    cl, spec, ct->family, ct->source, &notfound, &peer, &peerlen);
	if (fd == -1)
		return;
	if (dup2(fd, cl->fd) == -1) {
		log_warn("dup2");
		close(fd);
		return;
	}
	close(fd);
	*ct->dest = *spec;
	client_peer_use(cl, &peer, peerlen);
	rtt_pending_clear(&cl->pending);
	talk_repeat_stop(&ct->talk, "stopped by /to");
	clitalk_set_prompt(ct);
	printf("sending to %s\n", cl->peername);
}

static void
clitalk_to(void *arg, const struct sendline *c)
{
	struct clitalk *ct = arg;

	if (c->query)
		printf("sending to %s\n", ct->cl->peername);
	else if (c->reset)
		/* listen's "back to the most recent sender". */
		log_warnx("send has no most recent sender to go back "
			  "to: /to HOST:PORT");
	else
		clitalk_retarget(ct, &c->to);
}

static void
clitalk_ttl_tos(void *arg, const struct sendline *c)
{
	struct clitalk *ct = arg;
	struct client *cl = ct->cl;
	int tos = c->kind == SENDLINE_TOS;
	const char *name = tos ? "tos" : "ttl";
	int *cur = tos ? &cl->so.tos : &cl->so.ttl;

	if (c->query) {
		if (*cur < 0)
			printf("%s default\n", name);
		else
			printf("%s %d\n", name, *cur);
		return;
	}
	*cur = c->value;
	if (client_sockopts(cl, cl->fd, cl->peer.ss_family) == -1)
		return;
	printf("%s %d\n", name, c->value);
}

static void
clitalk_wait(void *arg, const struct sendline *c)
{
	struct clitalk *ct = arg;

	if (!c->query)
		ct->cl->wait = c->wait;
	printf("wait %g s\n", ct->cl->wait);
}

static void
clitalk_stats(void *arg)
{
	struct clitalk *ct = arg;

	client_summary_dest(ct->cl, ct->dest, stdout);
}

static void
clitalk_on_ready(void *arg, int fd, short revents)
{
	struct clitalk *ct = arg;

	(void)fd;
	client_serve(ct->cl, revents);
}

int
clitalk_init(struct clitalk *ct)
{
	static const struct talk_ops ops = {
	    .text = clitalk_text,
	    .file = clitalk_file,
	    .repeat_load = clitalk_repeat_load,
	    .repeat_send = clitalk_repeat_send,
	    .to = clitalk_to,
	    .ttl_tos = clitalk_ttl_tos,
	    .wait = clitalk_wait,
	    .stats = clitalk_stats,
	    .on_ready = clitalk_on_ready,
	};
	struct talk_config cfg;

	memset(&cfg, 0, sizeof cfg);
	cfg.room = TALK_SEND;
	cfg.history = "history";
	cfg.fd = ct->cl->fd;
	cfg.help_head = "Each line is sent as one datagram.  Commands:\n";
	cfg.help_tail =
	    "Keys: Up/Down history, Tab completes commands, ^C discards the\n"
	    "line, ^D leaves with a summary.\n";
	cfg.replaced = "replaced by the new one";
	cfg.hint = "(^D or /quit leaves; ^C discards the line)";
	cfg.interval = ct->interval;
	cfg.ops = &ops;
	cfg.arg = ct;
	talk_init(&ct->talk, &cfg);
	ct->sbuf = malloc(PAYLOAD_MAX);
	ct->repeat_buf = malloc(PAYLOAD_MAX);
	if (ct->sbuf == NULL || ct->repeat_buf == NULL) {
		log_warn("malloc");
		return -1;
	}
	return 0;
}

void
clitalk_free(struct clitalk *ct)
{
	free(ct->sbuf);
	free(ct->repeat_buf);
	ct->sbuf = ct->repeat_buf = NULL;
}

/* Opens the prompt and runs it; returns talk_run()'s result, or -1. */
static int
clitalk_session(struct clitalk *ct)
{
	struct client *cl = ct->cl;
	int rc, leave;

	cl->prompt = talk_open(&ct->talk);
	if (cl->prompt == NULL) {
		log_warn("prompt");
		return -1;
	}
	clitalk_set_prompt(ct);
	if (!ct->quiet && isatty(STDOUT_FILENO)) {
		printf("sending to %s; /help lists commands, ^D leaves\n",
		    cl->peername);
		fflush(stdout);
	}
	rc = talk_run(&ct->talk);
	if (rc == -1)
		log_warn("reading the terminal");
	leave = rc == 0 && !prompt_terminated(cl->prompt) && !cl->stop &&
	    !(cl->replies_max > 0 && cl->t.tot.replies >= cl->replies_max);
	talk_close(&ct->talk);
	cl->prompt = NULL;
	/* Replies that arrived while leaving still count. */
	client_receive(cl);
	if (leave)
		client_leave_wait(cl, ct->quiet);
	return rc;
}

int
clitalk_run(struct clitalk *ct)
{
	int rc = -1;

	if (clitalk_init(ct) == 0)
		rc = clitalk_session(ct);
	clitalk_free(ct);
	return rc;
}
