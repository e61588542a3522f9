/* SPDX-License-Identifier: ISC */
/*
 * A UDP client's exchange with its peers: datagrams sent one at a time or
 * in bursts, replies and ICMP errors read, shown and counted per peer.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/types.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "capture.h"
#include "client.h"
#include "icmp.h"
#include "log.h"
#include "output.h"
#include "prompt.h"
#include "show.h"
#include "sig.h"
#include "udptool.h"
#include "xmit.h"

#define CLIENT_ERRLEN 512
#define CLIENT_ERRORS_SHOWN 10 /* ICMP errors printed before only counting */

/* Notes a stop signal that came in (outside the prompt). */
static void
client_check_signals(struct client *c)
{
	if (c->masked && (sig_pending(SIGINT) || sig_pending(SIGTERM)))
		c->stop = 1;
}

/* poll(2), with the stop signals let in while it waits. */
int
client_ppoll(struct client *c, struct pollfd *pfd, nfds_t n, int ms)
{
	int r;

	r = sig_ppoll(pfd, n, ms);
	client_check_signals(c);
	return r;
}

/* Blocks the stop signals but inside client_ppoll(), until client_unblock(). */
void
client_block(struct client *c)
{
	sig_block();
	c->masked = 1;
	client_check_signals(c);
}

void
client_unblock(struct client *c)
{
	c->masked = 0;
	sig_unblock();
}

double
client_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Datagrams answered by a reply or an ICMP error. */
unsigned long long
client_answered(const struct client *c)
{
	return tally_answered(&c->t.tot);
}

/* Makes the peer named c->peername the current one (the summary's "peers"). */
void
client_peer_set(struct client *c)
{
	if (tally_peer_set(&c->t, (struct sockaddr *)&c->peer, c->peerlen,
		c->peername) == 1)
		log_warnx("more than %d peers: the rest are counted together "
			  "as \"other\"",
		    TALLY_PEERS_MAX - 1);
}

void
client_peer_use(
    struct client *c, const struct sockaddr_storage *peer, socklen_t peerlen)
{
	c->peer = *peer;
	c->peerlen = peerlen;
	addr_format((struct sockaddr *)&c->peer, c->peerlen, ADDR_FMT_PORT,
	    c->peername, sizeof c->peername);
	client_peer_set(c);
}

/* Clears the prompt line before anything is printed in interactive mode. */
static void
client_hold(struct client *c)
{
	if (c->prompt != NULL)
		prompt_hold(c->prompt);
}

/* Returns 1 if one more ICMP error may be printed; a flood is only counted. */
static int
client_error_shown(struct client *c)
{
	if (c->prompt != NULL)
		return 1;
	if (c->errors_shown < CLIENT_ERRORS_SHOWN) {
		c->errors_shown++;
		return 1;
	}
	if (c->errors_shown++ == CLIENT_ERRORS_SHOWN)
		log_warnx(
		    "more ICMP errors: counted in the summary, not shown");
	return 0;
}

/*
 * Reads the socket's error queue (IP_RECVERR) and reports each ICMP error
 * with the address that sent it.  Returns the number of errors read.
 */
static int
client_errqueue(struct client *c)
{
	struct xmit_err x;
	struct tally_peer *pp;
	int n = 0;

	while (xmit_err_next(c->fd, &x)) {
		n++;
		/* The error's name is where the datagram in error was going. */
		pp = tally_peer_of(
		    &c->t, x.e.dstlen > 0 ? (struct sockaddr *)&x.e.dst : NULL);
		tally_peer_error(&c->t, pp, x.c.verdict);
		if (!client_error_shown(c))
			continue;
		client_hold(c);
		xmit_err_out(&c->out, &x);
		if (x.c.verdict == ICMP_V_REFUSED)
			log_warnx("refused by %s (%s)", x.from, x.text);
		else
			log_warnx("%s (reported by %s)", x.text, x.from);
	}
	return n;
}

/* Stops the run once standard output fails: nobody sees the replies (main() says why). */
static int
client_check_stdout(struct client *c)
{
	if (out_stdout_flush() == 0)
		return 0;
	c->stop = 1;
	if (c->prompt != NULL)
		prompt_stop(c->prompt);
	return -1;
}

/* Counts a refusal the socket gave without an ICMP message to read. */
static void
client_refused(struct client *c, int show)
{
	tally_peer_error(&c->t, &c->t.peer[c->t.cur], ICMP_V_REFUSED);
	if (show && client_error_shown(c)) {
		client_hold(c);
		log_warnx("refused by %s", c->peername);
	}
}

/* Counts and prints one reply (n bytes of it in rbuf); returns -1 once stdout fails. */
static int
client_reply(struct client *c, const struct sock_meta *m, ssize_t n)
{
	struct out_dgram d;
	struct timespec now;

	/*
	 * The kernel's receive stamp and the send stamp share
	 * CLOCK_REALTIME, so scheduling delays here do not count.
	 */
	if (m->has_ts)
		now = m->ts;
	else
		clock_gettime(CLOCK_REALTIME, &now);
	show_fill(&d, "reply", m, (size_t)n, c->verbose, c->timestamps);
	d.ts = c->timestamps || c->out.json ? &now : NULL;
	if (c->cap != NULL)
		capture_record(c->cap, 0, 0, NULL,
		    (const struct sockaddr *)&m->from, c->rbuf, (size_t)n,
		    &now);
	d.rtt_ms = rtt_pending_pop(&c->pending, &now, c->wait);
	tally_peer_reply(
	    &c->t, (const struct sockaddr *)&m->from, m->len, d.rtt_ms);
	switch (expect_match(&c->expect, c->rbuf, (size_t)n)) {
	case 1:
		c->matched++;
		break;
	case -1:
		log_warn("--expect");
		c->local_error = 1;
		return -1;
	}
	client_hold(c);
	out_datagram(&c->out, c->fmt, &d, c->rbuf);
	return client_check_stdout(c);
}

/* Reads every datagram waiting on the socket and prints it; returns how many. */
int
client_receive(struct client *c)
{
	struct sock_meta m;
	ssize_t n;
	int got = 0;

	for (;;) {
		/* --replies N: the N+1st reply stays unread. */
		if (c->replies_max > 0 && c->t.tot.replies >= c->replies_max)
			break;
		memset(&m, 0, sizeof m);
		n = sock_recv_meta(
		    c->fd, c->rbuf, CLIENT_RECV_MAX, MSG_DONTWAIT, &m);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			/* A pending ICMP error: the error queue says more. */
			if (client_errqueue(c) == 0 && errno == ECONNREFUSED)
				client_refused(c, 1);
			continue;
		}
		got++;
		if (client_reply(c, &m, n) == -1)
			break;
		if (c->prompt != NULL && c->replies_max > 0 &&
		    c->t.tot.replies >= c->replies_max)
			prompt_stop(c->prompt);
	}
	return got;
}

/* Reports a local send error with a hint where one helps. */
static void
client_report_error(struct client *c, int err, size_t len)
{
	char text[CLIENT_ERRLEN];

	c->send_errors++;
	c->local_error = 1;
	client_hold(c);
	log_warnx("%s",
	    sock_send_error_text(c->fd, err, (struct sockaddr *)&c->peer,
		c->peerlen, c->peername, !c->any_source, c->so.broadcast,
		c->so.df, len, text, sizeof text));
}

/* -v: says that len bytes went to the current peer. */
static void
client_report_sent(struct client *c, size_t len)
{
	client_hold(c);
	if (c->out.json) {
		out_event(&c->out, "sent", NULL);
		out_str(&c->out, "to", NULL, c->peername);
		out_uint(&c->out, "length", NULL, len);
		out_obj_close(&c->out);
		client_check_stdout(c);
	} else {
		fflush(stdout);
		fprintf(stderr, "sent %zu byte%s to %s\n", len,
		    len == 1 ? "" : "s", c->peername);
	}
}

/* The address to send to: NULL on a connected socket. */
static const struct sockaddr *
client_dest_sa(struct client *c)
{
	return c->any_source ? (const struct sockaddr *)&c->peer : NULL;
}

/*
 * After a send of len bytes failed with errno: an ICMP error for an
 * earlier datagram fails the next send call without sending, so it is
 * read and reported (EHOSTDOWN too when hostdown), or a bare refusal
 * counted (shown when show).  Returns 0 to send again, or -1 after
 * reporting a local error.
 */
static int
client_send_failed(struct client *c, int hostdown, int show, size_t len)
{
	if ((errno == ECONNREFUSED || errno == EHOSTUNREACH ||
		errno == ENETUNREACH || (hostdown && errno == EHOSTDOWN)) &&
	    client_errqueue(c) > 0)
		return 0;
	if (errno == ECONNREFUSED) {
		client_refused(c, show);
		return 0;
	}
	client_report_error(c, errno, len);
	return -1;
}

/* Sends one datagram; returns 0, or -1 after reporting a local error. */
int
client_one(struct client *c, const uint8_t *buf, size_t len)
{
	struct timespec stamp;
	ssize_t n;
	int attempt;

	for (attempt = 0; attempt < 3; attempt++) {
		n = xmit_one(
		    c->fd, client_dest_sa(c), c->peerlen, buf, len, &stamp);
		if (n >= 0)
			break;
		if (errno == EINTR)
			continue;
		if (client_send_failed(c, 1, 1, len) == -1)
			return -1;
	}
	if (n < 0) {
		client_report_error(c, errno, len);
		return -1;
	}
	tally_peer_sent(&c->t, 1, len);
	if (c->cap != NULL)
		capture_record(c->cap, 0, 1, NULL,
		    (const struct sockaddr *)&c->peer, buf, len, &stamp);
	rtt_pending_push(&c->pending, &stamp);
	if (c->verbose)
		client_report_sent(c, len);
	return 0;
}

/*
 * The traffic generator: count copies of buf as fast as the socket takes
 * them (xmit_burst_send(): batches of messages, each a segmented send
 * where the system offers it).  Returns 0 or -1 on a local error.
 */
int
client_burst(
    struct client *c, const uint8_t *buf, size_t len, unsigned long long count)
{
	struct xmit_burst b;
	struct pollfd pfd;
	unsigned long long left = count;
	long long done;

	xmit_burst_init(
	    &b, buf, len, !c->no_gso, client_dest_sa(c), c->peerlen);
	while (left > 0 && !c->stop) {
		done = xmit_burst_send(&b, c->fd, left);
		if (done == -1) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS || errno == EAGAIN) {
				/* The queue is full: wait for room, do not spin. */
				pfd.fd = c->fd;
				pfd.events = POLLOUT;
				client_ppoll(c, &pfd, 1, 10);
				continue;
			}
			if (client_send_failed(c, 0, 0, len) == -1)
				return -1;
			continue;
		}
		left -= (unsigned long long)done;
		tally_peer_sent(&c->t, (unsigned long long)done, len);
		while (c->cap != NULL && done-- > 0)
			capture_record(c->cap, 0, 1, NULL,
			    (const struct sockaddr *)&c->peer, buf, len, NULL);
		client_receive(c);
		client_errqueue(c);
		/* Lets a pending ^C in: nothing else here waits. */
		client_ppoll(c, NULL, 0, 0);
	}
	return 0;
}

/* Returns 1 once the replies the user waits for have arrived. */
int
client_satisfied(struct client *c)
{
	if (c->replies_max > 0)
		return c->t.tot.replies >= c->replies_max;
	if (c->expect.kind != EXPECT_NONE)
		return c->matched > 0;
	return c->t.tot.sent > 0 && c->t.tot.replies >= c->t.tot.sent;
}

/*
 * Waits for replies on the socket until deadline (monotonic seconds, or
 * until the next send when that comes first).  Returns when the socket was
 * served or the time came.
 */
void
client_poll(struct client *c, double until, int with_stdin)
{
	struct pollfd pfd[2];
	double left = until - client_now();
	int ms, n = 1;

	if (left < 0)
		left = 0;
	ms = left > 86400 ? 86400000 : (int)ceil(left * 1e3);
	pfd[0].fd = c->fd;
	pfd[0].events = POLLIN;
	if (with_stdin) {
		pfd[1].fd = STDIN_FILENO;
		pfd[1].events = POLLIN;
		n = 2;
	}
	if (client_ppoll(c, pfd, (nfds_t)n, ms) > 0 && pfd[0].revents != 0)
		client_serve(c, pfd[0].revents);
}

/*
 * After the last send: waits up to c->wait for the replies still owed (none
 * when need_sent and nothing went out), then reads those already queued,
 * which count even with a wait of 0, unless enough came.
 */
void
client_wait_replies(struct client *c, int need_sent)
{
	double deadline = client_now() + c->wait;

	while ((!need_sent || c->t.tot.sent > 0) && !c->stop &&
	    !client_satisfied(c) && client_now() < deadline && c->wait > 0)
		client_poll(c, deadline, 0);
	if (!(c->replies_max > 0 && client_satisfied(c)))
		client_receive(c);
}

/*
 * The summary: one JSON line on stdout with -j, else text on fp.  After
 * /to, one line (a "peers" array in JSON) per peer talked to comes first.
 * One set of calls writes both, so the two never drift.
 */
void
client_summary(struct client *c, const char *target, FILE *fp)
{
	long long kd = c->fd >= 0 ? sock_kernel_drops(c->fd) : -1;
	struct out o;

	out_init(&o, c->out.json ? stdout : fp, c->out.json);
	fflush(stdout);
	out_event(&o, "summary", NULL);
	out_str(&o, "target", NULL, target);
	tally_out_peers(&o, &c->t, c->peername);
	tally_out_counts(&o, &c->t.tot);
	if (c->expect.kind != EXPECT_NONE)
		out_uint(&o, "matched", ", %llu matched", c->matched);
	if (kd >= 0)
		out_uint(&o, "kernel_drops",
		    kd > 0 ? ", %llu replies dropped by the kernel" : NULL,
		    (unsigned long long)kd);
	tally_out_rtt(&o, &c->t.tot);
	out_text(&o, "\n");
	out_obj_close(&o);
	fflush(o.fp);
}

void
client_summary_dest(struct client *c, const struct addr_spec *dest, FILE *fp)
{
	char target[ADDR_STRLEN];

	client_summary(c, addr_spec_format(dest, target, sizeof target), fp);
}

void
client_serve(struct client *c, short revents)
{
	if (revents & POLLERR)
		client_errqueue(c);
	client_receive(c);
}

int
client_sockopts(struct client *c, int fd, int family)
{
	char err[CLIENT_ERRLEN];

	/* Without it ICMP errors are a bare errno, for a connected socket only. */
	if (sock_recverr(fd, family) == -1)
		log_warn("cannot ask for ICMP errors (IP_RECVERR)");
	if (sock_set_opts(fd, family, &c->so, err, sizeof err) == -1) {
		log_warn("%s", err);
		return -1;
	}
	return 0;
}

int
client_open(struct client *c, const struct addr_spec *dest, int family,
    const struct addr_spec *source, int *notfound,
    struct sockaddr_storage *peer, socklen_t *peerlen)
{
	char err[CLIENT_ERRLEN];
	int fd;

	*notfound = 0;
	/* Options such as SO_BROADCAST must be set before connect(). */
	fd = sock_udp_client(
	    dest, family, source, 0, peer, peerlen, notfound, err, sizeof err);
	if (fd == -1) {
		log_warnx("%s", err);
		return -1;
	}
	*notfound = 0;
	if (client_sockopts(c, fd, peer->ss_family) == -1) {
		close(fd);
		return -1;
	}
	if (!c->any_source &&
	    sock_connect_peer(fd, (struct sockaddr *)peer, *peerlen,
		c->so.broadcast, "-b", err, sizeof err) == -1) {
		log_warnx("%s", err);
		close(fd);
		return -1;
	}
	return fd;
}

int
client_open_peer(struct client *c, const struct addr_spec *dest, int family,
    const struct addr_spec *source)
{
	struct sockaddr_storage peer;
	socklen_t peerlen;
	struct in_addr a4;
	int notfound;

	c->fd =
	    client_open(c, dest, family, source, &notfound, &peer, &peerlen);
	if (c->fd == -1) {
		/* A literal of the other family is a usage error, not "not found". */
		if (notfound && !dest->v6 &&
		    inet_pton(AF_INET, dest->host, &a4) != 1)
			return UT_EXIT_NEGATIVE;
		return UT_EXIT_ERROR;
	}
	client_peer_use(c, &peer, peerlen);
	return 0;
}

void
client_ask_meta(struct client *c)
{
	/* Round trips then come from the clock after recvmsg(): later. */
	if (sock_enable_meta(c->fd,
		SOCK_META_TIMESTAMP | (c->verbose ? SOCK_META_TTL : 0)) == -1)
		log_warn("cannot ask for receive timestamps%s",
		    c->verbose ? " and the ttl" : "");
}

/*
 * Outside the prompt SIGINT and SIGTERM stay blocked but inside
 * client_ppoll(): a signal between the check of the stop flag and the
 * wait cannot be missed.  At the prompt, the prompt owns ^C.
 */
static const int client_signals[] = {SIGINT, SIGTERM, 0};

int
client_catch(struct client *c)
{
	c->stop = 0;
	if (sig_catch(client_signals) == -1) {
		log_warn("sigaction");
		return -1;
	}
	return 0;
}

void
client_release(void)
{
	sig_restore(client_signals);
}

int
client_init(struct client *c)
{
	memset(c, 0, sizeof *c);
	c->fd = -1;
	c->wait = 2;
	c->so.ttl = -1;
	c->so.tos = -1;
	c->fmt = OUT_FMT_TEXT;
	expect_init(&c->expect);
	c->rbuf = malloc(CLIENT_RECV_MAX);
	return c->rbuf == NULL ? -1 : 0;
}

void
client_free(struct client *c)
{
	if (c->fd != -1)
		close(c->fd);
	c->fd = -1;
	expect_free(&c->expect);
	free(c->rbuf);
	c->rbuf = NULL;
}
