/* SPDX-License-Identifier: ISC */
/*
 * A UDP client's runs: the message sent count times, standard input cut
 * into datagrams, a capture replayed, the wait when a prompt is left, and
 * the last word and exit status of a run.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/types.h>

#include <errno.h>
#include <math.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "client.h"
#include "clirun.h"
#include "errmsg.h"
#include "frame.h"
#include "log.h"
#include "output.h"
#include "replay.h"
#include "rtt.h"
#include "udptool.h"
#include "xmit.h"

void
client_run_args(struct client *c, const uint8_t *buf, size_t len,
    unsigned long long count, double interval)
{
	unsigned long long done = 0;
	double due = client_now();

	if (count > 1 && interval == 0) {
		client_burst(c, buf, len, count);
		done = count;
	}
	while (done < count && !c->stop && !c->local_error) {
		if (client_now() >= due) {
			if (client_one(c, buf, len) == -1)
				break;
			done++;
			due = xmit_next_due(due, interval, client_now());
			if (c->replies_max > 0 && client_satisfied(c))
				break;
			continue;
		}
		client_poll(c, due, 0);
		if (c->replies_max > 0 && client_satisfied(c))
			return;
	}
	if (c->local_error)
		return;
	client_wait_replies(c, 0);
}

/*
 * Sends one record of standard input as a datagram.  Returns 1 when it
 * went, 0 when it is not due yet, -1 at a bad record, -2 when the send
 * failed (reported).
 */
static int
client_record(struct client *c, const struct frame_shape *sh, double interval,
    struct frame_in *fi, const uint8_t *rec, size_t reclen,
    unsigned long long *records, double *due, uint8_t *dg)
{
	char err[PAYLOAD_ERRLEN];
	size_t dlen;

	if (client_now() < *due) {
		client_poll(c, *due, 0);
		return 0;
	}
	(*records)++;
	if (frame_build(sh, rec, reclen, dg, &dlen, err, sizeof err) == -1) {
		log_warnx("standard input, record %llu: invalid payload: %s",
		    *records, err);
		return -1;
	}
	frame_in_consume(fi);
	if (client_one(c, dg, dlen) == -1)
		return -2;
	*due = xmit_next_due(*due, interval, client_now());
	return 1;
}

int
client_run_stdin(struct client *c, const struct payload_frame *frame,
    const struct frame_shape *sh, unsigned long long max, double interval)
{
	struct frame_in fi;
	const uint8_t *rec;
	uint8_t *dg;
	char err[PAYLOAD_ERRLEN];
	size_t reclen;
	unsigned long long records = 0;
	double due = client_now();
	ssize_t r;
	int found, status = 0;

	dg = malloc(PAYLOAD_MAX);
	/* --crlf and --eol replace a CRLF line end, never add to its CR. */
	if (dg == NULL || frame_in_init(&fi, frame, sh->eol != NULL) == -1) {
		log_warn("malloc");
		free(dg);
		return -1;
	}
	while (!c->stop && !c->local_error) {
		if (max > 0 && c->t.tot.sent >= max)
			break;
		found = frame_in_next(&fi, &rec, &reclen, err, sizeof err);
		if (found == -1) {
			log_warnx("standard input, record %llu: %s",
			    records + 1, err);
			status = -1;
			break;
		}
		if (found) {
			r = client_record(c, sh, interval, &fi, rec, reclen,
			    &records, &due, dg);
			if (r == -1)
				status = -1;
			if (r < 0 ||
			    (r > 0 && c->replies_max > 0 &&
				client_satisfied(c)))
				break;
			continue;
		}
		if (fi.eof)
			break;
		/* Serve replies while waiting for more input. */
		{
			struct pollfd pfd[2];

			pfd[0].fd = STDIN_FILENO;
			pfd[0].events = POLLIN;
			pfd[1].fd = c->fd;
			pfd[1].events = POLLIN;
			if (client_ppoll(c, pfd, 2, -1) == -1) {
				if (errno == EINTR)
					continue;
				log_warn("poll");
				status = -1;
				break;
			}
			if (pfd[1].revents != 0)
				client_serve(c, pfd[1].revents);
			if (pfd[0].revents == 0)
				continue;
		}
		r = frame_in_read(&fi, STDIN_FILENO);
		if (r == -1) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			log_warn("read standard input");
			status = -1;
			break;
		}
	}
	frame_in_free(&fi);
	free(dg);
	if (status == -1 || c->local_error)
		return -1;
	/* Nothing sent, nothing to wait for. */
	client_wait_replies(c, 1);
	return 0;
}

void
client_run_replay(
    struct client *c, const struct replay *rp, double speed, double interval)
{
	double start = client_now(), due;
	size_t i;

	for (i = 0; i < rp->n && !c->stop; i++) {
		due =
		    start + (double)replay_due_ns(rp, i, speed, interval) / 1e9;
		while (!c->stop && client_now() < due)
			client_poll(c, due, 0);
		if (c->stop ||
		    client_one(c, rp->d[i].payload, rp->d[i].len) == -1)
			break;
		if (c->replies_max > 0 && client_satisfied(c))
			return;
	}
	if (!c->local_error)
		client_wait_replies(c, 0);
}

void
client_leave_wait(struct client *c, int quiet)
{
	struct timespec now;
	struct pollfd pfd[2];
	unsigned long long owed, base;
	double deadline, newest_ms;
	char buf[256];
	ssize_t r;

	clock_gettime(CLOCK_REALTIME, &now);
	/* Those past their wait timed out during the session. */
	rtt_pending_expire(&c->pending, &now, c->wait);
	/* ICMP errors answer datagrams without leaving the ring. */
	owed = c->t.tot.sent > client_answered(c)
	    ? c->t.tot.sent - client_answered(c)
	    : 0;
	if (owed > c->pending.count)
		owed = c->pending.count;
	if (owed == 0)
		return;
	newest_ms = rtt_pending_newest_ms(&c->pending, &now);
	deadline = client_now() + c->wait - newest_ms / 1e3;
	base = client_answered(c);
	if (c->wait > 0 && !quiet) {
		log_warnx("waiting up to %.1f s for %llu %s still owed "
			  "(^D again leaves now)",
		    deadline - client_now() > 0 ? deadline - client_now() : 0,
		    owed, out_plural(owed, "reply", "replies"));
	}
	client_block(c);
	while (c->wait > 0 && !c->stop && client_answered(c) - base < owed &&
	    client_now() < deadline) {
		double left = deadline - client_now();

		pfd[0].fd = c->fd;
		pfd[0].events = POLLIN;
		pfd[1].fd = STDIN_FILENO;
		pfd[1].events = POLLIN;
		if (client_ppoll(c, pfd, 2, (int)ceil(left * 1e3)) <= 0)
			continue;
		if (pfd[0].revents != 0)
			client_serve(c, pfd[0].revents);
		if (pfd[1].revents != 0) {
			/* The terminal is back in its own mode: ^D reads 0. */
			r = read(STDIN_FILENO, buf, sizeof buf);
			if (r == 0 ||
			    (r == -1 && errno != EINTR && errno != EAGAIN))
				break;
		}
	}
	client_unblock(c);
	if (client_answered(c) - base < owed) {
		c->t.tot.unanswered = owed - (client_answered(c) - base);
		/* What is owed at exit was sent since the last /to. */
		c->t.peer[c->t.cur].c.unanswered = c->t.tot.unanswered;
	}
}

void
client_verdict(const struct client *c, int quiet, int interactive)
{
	char show[256];

	if (c->local_error || quiet)
		return;
	if (c->expect.kind != EXPECT_NONE && c->matched == 0)
		log_warnx(c->expect.kind == EXPECT_RE
			? "no reply matched '%s'"
			: "no reply contained the --expect-hex bytes%s",
		    c->expect.kind == EXPECT_RE
			? errmsg_quote(c->expect.text, show, sizeof show)
			: "");
	else if (c->t.tot.sent == 0 && !interactive)
		log_warnx("nothing sent: standard input was empty");
	else if (c->t.tot.replies == 0 && c->t.tot.refused == 0 &&
	    !interactive && c->wait > 0)
		/*
		 * A connected socket never sees a datagram from another port
		 * (the kernel answers it with port unreachable), so the one
		 * case this cannot tell from silence gets a hint.
		 */
		log_warnx("no reply from %s within %g s%s", c->peername,
		    c->wait,
		    c->any_source || c->t.tot.unreachable > 0 ||
			    c->t.tot.icmp_other > 0
			? ""
			: " (a server that answers from another port needs "
			  "--any-source)");
}

int
client_exit_status(const struct client *c)
{
	if (c->local_error)
		return UT_EXIT_ERROR;
	if (c->expect.kind != EXPECT_NONE)
		return c->matched > 0 ? UT_EXIT_OK : UT_EXIT_NEGATIVE;
	if (c->wait == 0 && c->prompt == NULL && c->t.tot.sent > 0 &&
	    c->t.tot.refused == 0)
		return UT_EXIT_OK;
	return c->t.tot.replies > 0 ? UT_EXIT_OK : UT_EXIT_NEGATIVE;
}
