/* SPDX-License-Identifier: ISC */
/*
 * "udptool listen": show every datagram from every sender with its kernel
 * timestamp and addresses, join multicast groups, and talk back on request.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/types.h>

#include <netinet/in.h>

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "capture.h"
#include "errmsg.h"
#include "log.h"
#include "num.h"
#include "output.h"
#include "payload.h"
#include "prompt.h"
#include "sendline.h"
#include "sig.h"
#include "sock.h"
#include "srctab.h"
#include "talk.h"
#include "udptool.h"

#define LS_BUFSIZE 65536 /* larger than any UDP payload */
#define LS_JOIN_MAX 32
#define LS_TOP 5
#define LS_SOURCES 4096
/* Default SO_RCVBUF: room for a burst of about 4000 small datagrams. */
#define LS_RCVBUF (4 << 20)
#define LS_RCVBUF_MAX (1 << 30)
/*
 * The longest stdin line taken in --interactive: the prompt's limit, which
 * leaves room for the largest datagram spelled in hex or escapes.
 */
#define LS_LINE_MAX PROMPT_LINE_MAX
#define LS_SEND_MAX 65527 /* the largest UDP payload (IPv6) */
/* Bytes of stdin read ahead of a line that waits for the first sender. */
#define LS_PEND_MAX 4096

struct ls_conf {
	enum out_format fmt;
	int meta;
	int numeric_time;
	unsigned long long count; /* 0: no limit */
	double wait; /* idle seconds, 0: none */
	size_t bufsize;
	int rcvbuf; /* SO_RCVBUF asked for */
	int rcvbuf_set; /* --rcvbuf given: say when it is not granted */
	struct addr_group join[LS_JOIN_MAX];
	int njoin;
	struct sockaddr_storage source[LS_JOIN_MAX];
	int nsource;
	int interactive;
	enum payload_mode mode; /* how --interactive lines spell their bytes */
	int mode_set;
	const char
	    *eol; /* --crlf, --eol: appended to each line sent, or NULL */
	const char *to;
	int lock; /* --lock: only the first sender is ever answered */
	int quiet; /* -q: no notices of where lines go */
	const char *pcap; /* --pcap FILE */
};

/* Where a datagram goes: a fixed address, or back to a sender. */
struct ls_dest {
	int reply; /* 1: answer "last" from the address it wrote to */
	struct sockaddr_storage to;
	socklen_t tolen;
	struct sock_meta last;
};

struct ls_state {
	int fd;
	const struct ls_conf *conf;
	uint8_t *rbuf; /* LS_BUFSIZE bytes for received datagrams */
	struct out out;
	struct srctab tab;
	uint64_t dgrams, bytes, truncated, sent, senderr, badlines, lines;
	uint64_t kdrops; /* datagrams the kernel dropped, as far as known */
	struct sock_meta last; /* most recent sender, for --interactive */
	int have_last;
	struct sockaddr_storage other; /* --lock: last other sender named */
	int have_other;
	struct sockaddr_storage to;
	socklen_t tolen;
	char line[LS_LINE_MAX];
	size_t linelen;
	int overlong;
	int stdin_open;
	/*
	 * Piped lines wait for the first sender: a complete line in line[]
	 * is held, and reading stops with what was read after it in pend[].
	 */
	int held;
	char pend[LS_PEND_MAX];
	size_t pendlen, pendoff;
	uint16_t localport;
	struct prompt *prompt; /* stdin is a terminal */
	char prompt_text[ADDR_STRLEN + 24];
	double deadline; /* -w: monotonic time to give up, 0: none */
	int status;
	int ttl, tos; /* set at the prompt; -1: the system's default */
	struct talk talk; /* the prompt session: /repeat, ^C */
	struct ls_dest repeat_dest; /* where it goes, fixed when typed */
	struct capture *cap; /* --pcap */
	size_t repeat_len;
	uint8_t repeat_buf[LS_SEND_MAX];
};

/* SIGINT and SIGTERM stop, SIGUSR1 asks for a summary. */
static const int ls_signals[] = {SIGINT, SIGTERM, SIGUSR1, 0};

/* Joins every group, source-specific where sources of its family were given. */
static int
ls_join(int fd, const struct ls_conf *conf)
{
	const struct addr_group *g;
	int i, bad;

	for (i = 0; i < conf->njoin; i++) {
		g = &conf->join[i];
		if (sock_join_group(fd, g, conf->source, conf->nsource, &bad) !=
		    -1)
			continue;
		if (bad >= 0)
			log_warn("join %s from source %d", g->text, bad + 1);
		else
			log_warn("join %s%s", g->text,
			    errno == ENODEV || errno == EADDRNOTAVAIL
				? " (name an interface: "
				  "GROUP%IF)"
				: "");
		return -1;
	}
	return 0;
}

/*
 * Says that the kernel dropped datagrams since the last one it reported:
 * total is its running count (SO_RXQ_OVFL) when this datagram was queued.
 */
static void
ls_kernel_dropped(struct ls_state *st, uint64_t total)
{
	struct out o;
	uint64_t n = total - st->kdrops;

	st->kdrops = total;
	if (st->conf->fmt == OUT_FMT_JSON) {
		out_init(&o, stdout, 1);
		out_event(&o, "kernel_drops", NULL);
		out_uint(&o, "dropped", NULL, n);
		out_uint(&o, "kernel_drops", NULL, total);
		out_obj_close(&o);
		return;
	}
	fflush(stdout);
	log_warnx("the kernel dropped %llu %s before the next one "
		  "(receive buffer full: raise --rcvbuf)",
	    (unsigned long long)n, out_plural(n, "datagram", "datagrams"));
}

static void
ls_print_summary(struct ls_state *st, const struct ls_conf *conf)
{
	const struct srctab_entry *top[LS_TOP];
	struct sockaddr_storage ss;
	struct out o;
	char a[ADDR_STRLEN];
	size_t n, i;
	socklen_t len;
	long long kd;

	kd = sock_kernel_drops(st->fd);
	if (kd > 0 && (uint64_t)kd > st->kdrops)
		st->kdrops = (uint64_t)kd;
	/* With -j the summary is one more JSON line on stdout. */
	out_init(&o, conf->fmt == OUT_FMT_JSON ? stdout : stderr,
	    conf->fmt == OUT_FMT_JSON);
	fflush(stdout);
	out_event(&o, "summary", NULL);
	out_text(&o, "udptool: listen: summary: ");
	out_count(
	    &o, "received", "%llu %s", st->dgrams, "datagram", "datagrams");
	out_count(
	    &o, "received_bytes", " (%llu %s)", st->bytes, "byte", "bytes");
	out_count(&o, "senders", " from %llu %s", st->tab.inserted, "sender",
	    "senders");
	out_uint(&o, "truncated", ", %llu truncated", st->truncated);
	out_uint(&o, "kernel_drops",
	    st->kdrops > 0 ? ", %llu dropped by the kernel (receive buffer "
			     "full: raise --rcvbuf)"
			   : NULL,
	    st->kdrops);
	if (conf->interactive) {
		out_uint(&o, "sent", ", %llu sent", st->sent);
		out_count(&o, "send_errors", ", %llu send %s", st->senderr,
		    "error", "errors");
		out_count(&o, "invalid_lines", ", %llu invalid %s",
		    st->badlines, "line", "lines");
	}
	out_text(&o, "\n");
	n = srctab_top(&st->tab, top, LS_TOP);
	out_arr_open(&o, "top_senders");
	for (i = 0; i < n; i++) {
		len = srctab_key_sockaddr(&top[i]->key, &ss);
		addr_format(
		    (struct sockaddr *)&ss, len, ADDR_FMT_PORT, a, sizeof a);
		out_obj_open(&o, NULL);
		out_str(&o, "address", "  top sender %s:", a);
		out_count(&o, "received", " %llu %s", top[i]->dgrams,
		    "datagram", "datagrams");
		out_count(&o, "received_bytes", ", %llu %s\n", top[i]->bytes,
		    "byte", "bytes");
		out_obj_close(&o);
	}
	out_arr_close(&o);
	out_obj_close(&o);
	fflush(o.fp);
}

static void
ls_show(struct ls_state *st, const struct ls_conf *conf, const uint8_t *buf,
    size_t caplen, struct sock_meta *m)
{
	struct srctab_key key;
	struct srctab_entry *e;
	struct out_dgram d;
	int created;

	st->dgrams++;
	st->bytes += m->len;
	if (m->truncated)
		st->truncated++;
	if (m->has_drops && m->drops > st->kdrops)
		ls_kernel_dropped(st, m->drops);
	/* A sender is an address and a port, as a peer of nc is. */
	if (srctab_key_from_port((struct sockaddr *)&m->from, &key) == 0) {
		e = srctab_get(&st->tab, &key, &created);
		e->dgrams++;
		e->bytes += m->len;
	}
	memset(&d, 0, sizeof d);
	d.event = "datagram";
	d.from = (struct sockaddr *)&m->from;
	d.fromlen = m->fromlen;
	if (m->tolen > 0) {
		d.to = (struct sockaddr *)&m->to;
		d.tolen = m->tolen;
	}
	if (m->has_ts)
		d.ts = &m->ts;
	d.ttl = conf->meta ? m->ttl : -1;
	d.tos = conf->meta ? m->tos : -1;
	d.len = m->len;
	d.caplen = caplen;
	d.truncated = m->truncated;
	d.rtt_ms = -1;
	d.numeric_time = conf->numeric_time;
	out_datagram(&st->out, conf->fmt, &d, buf);
}

/*
 * Turns one line typed or piped in --interactive into the datagram to send:
 * the line without its newline (and a carriage return before it), decoded
 * in mode as send decodes its lines, then eol (--crlf, --eol) if not NULL.
 * Returns the length, or -1 with err.
 */
static ssize_t
ls_line_to_datagram(const char *line, size_t len, enum payload_mode mode,
    const char *eol, uint8_t *out, size_t size, char *err, size_t errlen)
{
	size_t elen = eol != NULL ? strlen(eol) : 0;
	ssize_t n;

	if (len > 0 && line[len - 1] == '\n')
		len--;
	if (len > 0 && line[len - 1] == '\r')
		len--;
	n = payload_decode(line, len, mode, out, size, err, errlen);
	if (n < 0 || elen == 0)
		return n;
	if ((size_t)n + elen > size) {
		snprintf(err, errlen, "%zd bytes and the line end exceed %zu",
		    n, size);
		return -1;
	}
	memcpy(out + n, eol, elen);
	return n + (ssize_t)elen;
}

/* Returns the address lines go to (--to, else the last sender), or NULL. */
static const struct sockaddr *
ls_target(const struct ls_state *st, socklen_t *len)
{
	if (st->tolen > 0) {
		*len = st->tolen;
		return (const struct sockaddr *)&st->to;
	}
	if (st->have_last) {
		*len = st->last.fromlen;
		return (const struct sockaddr *)&st->last.from;
	}
	return NULL;
}

/*
 * Fills d with where a line typed now goes; returns 0, or -1 after saying
 * that nobody is known yet.
 */
static int
ls_dest_now(struct ls_state *st, struct ls_dest *d)
{
	memset(d, 0, sizeof *d);
	if (st->tolen > 0) {
		d->to = st->to;
		d->tolen = st->tolen;
		return 0;
	}
	if (st->have_last) {
		d->reply = 1;
		d->last = st->last;
		return 0;
	}
	log_warnx("no sender yet to answer: not sent (%s)",
	    st->prompt != NULL ? "or name a peer with /to HOST:PORT"
			       : "or give --to ADDRESS");
	st->senderr++;
	return -1;
}

/* Sends one datagram to d; returns 0, or -1 after a message. */
static int
ls_send_dgram(struct ls_state *st, const struct ls_dest *d, const uint8_t *buf,
    size_t len)
{
	const struct sockaddr *dst;
	char a[ADDR_STRLEN];
	socklen_t dstlen;
	ssize_t r;

	if (d->reply) {
		/* From the address the peer wrote to, like echo-serve's replies. */
		r = sock_send_reply(st->fd, buf, len, &d->last);
		dst = (const struct sockaddr *)&d->last.from;
		dstlen = d->last.fromlen;
	} else {
		dst = (const struct sockaddr *)&d->to;
		dstlen = d->tolen;
		r = sendto(st->fd, buf, len, 0, dst, dstlen);
	}
	if (r == -1) {
		if (st->prompt != NULL)
			prompt_hold(st->prompt);
		log_warn("send to %s",
		    addr_format(dst, dstlen, ADDR_FMT_PORT, a, sizeof a));
		st->senderr++;
		return -1;
	}
	st->sent++;
	if (st->cap != NULL)
		capture_record(st->cap, 0, 1,
		    d->reply ? (const struct sockaddr *)&d->last.to : NULL, dst,
		    buf, len, NULL);
	return 0;
}

/*
 * Decodes one line (st->lines is its number) in mode and sends it where
 * lines go now; a line that does not decode is reported and counted.
 */
static void
ls_send_text(struct ls_state *st, const char *line, size_t len,
    enum payload_mode mode, const char *eol)
{
	static uint8_t dgram[LS_BUFSIZE];
	char err[PAYLOAD_ERRLEN];
	struct ls_dest d;
	ssize_t n;

	n = ls_line_to_datagram(
	    line, len, mode, eol, dgram, LS_SEND_MAX, err, sizeof err);
	if (n == -1) {
		/* One bad line is reported; the session goes on. */
		log_warnx("line %llu: invalid payload: %s (not sent)",
		    (unsigned long long)st->lines, err);
		st->badlines++;
		return;
	}
	if (ls_dest_now(st, &d) == 0)
		ls_send_dgram(st, &d, dgram, (size_t)n);
}

/* A line from a pipe or a file: always data, never a command (as nc). */
static void
ls_send_line(struct ls_state *st, const char *line, size_t len)
{
	st->lines++;
	ls_send_text(st, line, len, st->conf->mode, st->conf->eol);
}

/*
 * Sends the complete line in st->line, or holds it when nobody is known
 * to send it to; returns 1 when it is held.
 */
static int
ls_line_done(struct ls_state *st)
{
	socklen_t len;

	if (st->overlong) {
		st->lines++;
		log_warnx("line %llu: longer than %d bytes (not sent)",
		    (unsigned long long)st->lines, LS_LINE_MAX);
		st->badlines++;
	} else if (ls_target(st, &len) == NULL) {
		/* A canned reply waits for the first sender, not discarded. */
		st->held = 1;
		return 1;
	} else {
		ls_send_line(st, st->line, st->linelen);
	}
	st->linelen = 0;
	st->overlong = 0;
	return 0;
}

/* Takes lines from the bytes read ahead until one has to wait. */
static void
ls_feed(struct ls_state *st)
{
	char c;

	while (!st->held && st->pendoff < st->pendlen) {
		c = st->pend[st->pendoff++];
		if (st->linelen < sizeof st->line)
			st->line[st->linelen++] = c;
		else
			st->overlong = 1;
		if (c == '\n')
			ls_line_done(st);
	}
}

/* Returns 1 when stdin is to be read: open, and no line waiting. */
static int
ls_stdin_wanted(const struct ls_state *st)
{
	return st->stdin_open && !st->held && st->pendoff == st->pendlen;
}

/*
 * Reads what a non-terminal stdin has and sends each complete line.  Unlike
 * the prompt, the end of input does not end listening: answers to the
 * lines sent may still be on their way.  Before the first sender a line
 * waits (ls_release() sends it), and reading stops meanwhile: the rest
 * stays in the pipe, memory stays bounded, nothing is dropped.
 */
static void
ls_read_stdin(struct ls_state *st)
{
	ssize_t n;

	n = read(STDIN_FILENO, st->pend, sizeof st->pend);
	if (n == -1 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		st->stdin_open = 0;
		/* A last line without a newline still goes out. */
		if (st->linelen > 0 && !st->overlong) {
			ls_line_done(st);
			return;
		}
		st->linelen = 0;
		return;
	}
	st->pendlen = (size_t)n;
	st->pendoff = 0;
	ls_feed(st);
}

/* A sender is known now: the line waiting for one goes, then the rest. */
static void
ls_release(struct ls_state *st)
{
	if (!st->held)
		return;
	st->held = 0;
	ls_line_done(st);
	ls_feed(st);
}

static double
ls_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Names the reply target in the prompt, when it changed. */
static void
ls_set_prompt(struct ls_state *st)
{
	const struct sockaddr *dst;
	char text[sizeof st->prompt_text], a[ADDR_STRLEN];
	socklen_t len;

	if (st->prompt == NULL)
		return;
	dst = ls_target(st, &len);
	if (dst == NULL)
		snprintf(text, sizeof text, "(no sender yet)> ");
	else
		snprintf(text, sizeof text, "%s> ",
		    addr_format(dst, len, ADDR_FMT_PORT, a, sizeof a));
	if (strcmp(text, st->prompt_text) == 0)
		return;
	snprintf(st->prompt_text, sizeof st->prompt_text, "%s", text);
	prompt_set(st->prompt, text);
}

/*
 * Resolves spec (typed as text) to an address the listening socket fd can
 * send to, as --to and /to do; returns 0, or -1 after a message (errno
 * ENOENT when the name has no address).
 */
static int
ls_resolve(int fd, const struct addr_spec *spec, const char *text,
    struct sockaddr_storage *ss, socklen_t *sslen)
{
	char err[ADDR_ERRLEN];
	int e;

	if (sock_resolve_peer(fd, spec, text, ss, sslen, err, sizeof err) == 0)
		return 0;
	e = errno;
	log_warnx("%s", err);
	errno = e;
	return -1;
}

/* A one-line notice about who is answered, above the prompt or on stderr. */
static void
ls_notice(struct ls_state *st, const struct sock_meta *m, const char *pre,
    const char *post)
{
	char a[ADDR_STRLEN];

	if (st->conf->quiet)
		return;
	if (st->prompt != NULL)
		prompt_hold(st->prompt);
	log_warnx("%s%s%s", pre,
	    addr_format((const struct sockaddr *)&m->from, m->fromlen,
		ADDR_FMT_PORT, a, sizeof a),
	    post);
}

/*
 * Takes the sender of m as the reply target unless --lock keeps the
 * first one; says so when the peer that lines go to changes.
 */
static void
ls_track_sender(struct ls_state *st, const struct sock_meta *m)
{
	const struct ls_conf *conf = st->conf;
	int same = st->have_last &&
	    addr_same((const struct sockaddr *)&st->last.from,
		(const struct sockaddr *)&m->from, 1);

	if (conf->lock && st->have_last && !same) {
		/*
		 * Shown, never answered: said when another sender than the
		 * one last said speaks, not at every datagram.
		 */
		if (!st->have_other ||
		    !addr_same((const struct sockaddr *)&st->other,
			(const struct sockaddr *)&m->from, 1)) {
			st->other = m->from;
			st->have_other = 1;
			ls_notice(st, m, "",
			    " is not the locked peer: shown, never answered");
		}
		return;
	}
	st->last = *m;
	st->have_last = 1;
	if (same || !conf->interactive || st->tolen > 0)
		return;
	ls_notice(st, m, "lines now go to ",
	    conf->lock ? " (locked: other senders are never answered)"
		       : " (the most recent sender)");
}

/*
 * Receives and shows one datagram if one is queued.  Returns 1 when one was
 * shown, 0 when none was waiting, -1 on a fatal receive error, -2 when
 * standard output failed.
 */
static int
ls_receive(struct ls_state *st)
{
	const struct ls_conf *conf = st->conf;
	uint8_t *buf = st->rbuf;
	struct sock_meta m;
	ssize_t n;

	memset(&m, 0, sizeof m);
	n = sock_recv_meta(st->fd, buf, conf->bufsize, MSG_DONTWAIT, &m);
	if (n == -1) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ||
		    errno == ECONNREFUSED)
			return 0;
		if (st->prompt != NULL)
			prompt_hold(st->prompt);
		log_warn("recvmsg");
		return -1;
	}
	if (m.tolen > 0)
		addr_set_port((struct sockaddr *)&m.to, st->localport);
	if (st->cap != NULL)
		capture_record(st->cap, 0, 0,
		    m.tolen > 0 ? (struct sockaddr *)&m.to : NULL,
		    (struct sockaddr *)&m.from, buf, (size_t)n,
		    m.has_ts ? &m.ts : NULL);
	if (st->prompt != NULL)
		prompt_hold(st->prompt);
	ls_show(st, conf, buf, (size_t)n, &m);
	/* Nobody can see the datagrams any more: stop (main() says why). */
	if (out_stdout_flush() == -1)
		return -2;
	ls_track_sender(st, &m);
	ls_release(st);
	if (conf->wait > 0)
		st->deadline = ls_now() + conf->wait;
	return 1;
}

/* Prompt callbacks: stdin is a terminal; the talk session asks these. */

static void
ls_talk_typed(void *arg)
{
	struct ls_state *st = arg;

	st->lines++;
}

static void
ls_talk_text(void *arg, const char *text, size_t len, int hex)
{
	struct ls_state *st = arg;

	/* /hex spells exact bytes: no line end added. */
	if (hex)
		ls_send_text(st, text, len, PAYLOAD_HEX, NULL);
	else
		ls_send_text(st, text, len, st->conf->mode, st->conf->eol);
}

static int
ls_talk_repeat_send(void *arg)
{
	struct ls_state *st = arg;

	return ls_send_dgram(
	    st, &st->repeat_dest, st->repeat_buf, st->repeat_len);
}

static void
ls_show_target(struct ls_state *st)
{
	char a[ADDR_STRLEN];

	if (st->tolen > 0)
		log_warnx("sending to %s",
		    addr_format((const struct sockaddr *)&st->to, st->tolen,
			ADDR_FMT_PORT, a, sizeof a));
	else if (st->have_last)
		log_warnx(st->conf->lock ? "sending to the locked peer %s"
					 : "sending to the most recent sender "
					   "(now %s)",
		    addr_format((const struct sockaddr *)&st->last.from,
			st->last.fromlen, ADDR_FMT_PORT, a, sizeof a));
	else
		log_warnx("sending to the %s sender (none yet)",
		    st->conf->lock ? "first" : "most recent");
}

static void
ls_talk_to(void *arg, const struct sendline *c)
{
	struct ls_state *st = arg;
	struct sockaddr_storage ss;
	socklen_t len;

	if (c->reset) {
		st->tolen = 0;
	} else if (!c->query) {
		/* A bad address leaves the current target as it was. */
		if (ls_resolve(st->fd, &c->to, c->arg, &ss, &len) == -1)
			return;
		st->to = ss;
		st->tolen = len;
	}
	if (!c->query)
		talk_repeat_stop(&st->talk, "stopped by /to");
	ls_show_target(st);
	ls_set_prompt(st);
}

static void
ls_talk_ttl_tos(void *arg, const struct sendline *c)
{
	struct ls_state *st = arg;
	int tos = c->kind == SENDLINE_TOS, *cur = tos ? &st->tos : &st->ttl;
	const char *name = tos ? "tos" : "ttl";

	if (!c->query) {
		if ((tos ? sock_set_tos(st->fd, c->value)
			 : sock_set_ttl(st->fd, c->value)) == -1) {
			log_warn(
			    "cannot set %s %d", tos ? "TOS" : "TTL", c->value);
			return;
		}
		*cur = c->value;
	}
	if (*cur < 0)
		log_warnx("%s default", name);
	else
		log_warnx("%s %d", name, *cur);
}

static void
ls_talk_file(void *arg, const char *path)
{
	static uint8_t dgram[LS_SEND_MAX];
	struct ls_state *st = arg;
	char err[PAYLOAD_ERRLEN];
	struct ls_dest d;
	ssize_t n;

	/* Bounded by one datagram; a longer file is an error naming it. */
	n = payload_read_file(path, dgram, sizeof dgram, err, sizeof err);
	if (n == -1) {
		log_warnx("%s (not sent)", err);
		return;
	}
	if (ls_dest_now(st, &d) == 0)
		ls_send_dgram(st, &d, dgram, (size_t)n);
}

static int
ls_talk_repeat_load(void *arg, const struct sendline *c)
{
	struct ls_state *st = arg;
	char err[PAYLOAD_ERRLEN];
	ssize_t n;

	n = ls_line_to_datagram(c->arg, c->arglen, st->conf->mode,
	    st->conf->eol, st->repeat_buf, sizeof st->repeat_buf, err,
	    sizeof err);
	if (n == -1) {
		log_warnx("line %llu: invalid payload: %s (not sent)",
		    (unsigned long long)st->lines, err);
		st->badlines++;
		return -1;
	}
	/*
	 * Where it goes is fixed now.  A /repeat running has a target, so
	 * this cannot fail then: the running one is never stopped for it.
	 */
	if (ls_dest_now(st, &st->repeat_dest) == -1)
		return -1;
	st->repeat_len = (size_t)n;
	return 0;
}

static void
ls_talk_wait(void *arg, const struct sendline *c)
{
	(void)arg;
	(void)c;
	/* One wait is listen's: -w, given when it starts. */
	log_warnx("/wait belongs to send (use -w SECONDS to stop "
		  "listen when nothing arrives)");
}

static void
ls_talk_stats(void *arg)
{
	struct ls_state *st = arg;

	ls_print_summary(st, st->conf);
}

static void
ls_on_ready(void *arg, int fd, short revents)
{
	struct ls_state *st = arg;
	int i, r;

	(void)fd;
	(void)revents;
	/* A bounded batch, so that typing stays responsive under a flood. */
	for (i = 0; i < 64; i++) {
		r = ls_receive(st);
		if (r < 0) {
			st->status = UT_EXIT_ERROR;
			prompt_stop(st->prompt);
			return;
		}
		if (r == 0)
			break;
		if (st->conf->count > 0 && st->dgrams >= st->conf->count) {
			prompt_stop(st->prompt);
			break;
		}
	}
	ls_set_prompt(st);
}

static int
ls_timer_ms(void *arg)
{
	struct ls_state *st = arg;
	double left;

	if (sig_pending(SIGUSR1))
		return 0;
	if (st->deadline == 0)
		return -1;
	left = st->deadline - ls_now();
	return left <= 0 ? 0 : (int)(left * 1000) + 1;
}

static void
ls_on_timer(void *arg)
{
	struct ls_state *st = arg;

	if (sig_take(SIGUSR1)) {
		prompt_hold(st->prompt);
		ls_print_summary(st, st->conf);
	}
	if (st->deadline != 0 && ls_now() >= st->deadline) {
		if (st->dgrams == 0)
			st->status = UT_EXIT_NEGATIVE;
		st->deadline = 0;
		prompt_stop(st->prompt);
	}
}

/* --interactive on a terminal: the prompt, with datagrams shown above it. */
static int
ls_prompt_run(struct ls_state *st)
{
	static const struct talk_ops ops = {
	    .typed = ls_talk_typed,
	    .text = ls_talk_text,
	    .file = ls_talk_file,
	    .repeat_load = ls_talk_repeat_load,
	    .repeat_send = ls_talk_repeat_send,
	    .to = ls_talk_to,
	    .ttl_tos = ls_talk_ttl_tos,
	    .wait = ls_talk_wait,
	    .stats = ls_talk_stats,
	    .on_ready = ls_on_ready,
	    .timer_ms = ls_timer_ms,
	    .on_timer = ls_on_timer,
	};
	struct talk_config cfg;
	int rc;

	memset(&cfg, 0, sizeof cfg);
	cfg.room = TALK_LISTEN;
	/* Its own file: answers to peers are not requests to a server. */
	cfg.history = "listen-history";
	cfg.fd = st->fd;
	cfg.help_head = "Each line is sent as one datagram to the peer the "
			"prompt names.  Commands:\n";
	cfg.help_tail =
	    "Keys: Up/Down history, Tab completes commands, ^C discards the\n"
	    "line, ^D leaves with the summary.\n";
	cfg.replaced = "replaced";
	cfg.send_empty = 1;
	cfg.ops = &ops;
	cfg.arg = st;
	talk_init(&st->talk, &cfg);
	st->prompt = talk_open(&st->talk);
	if (st->prompt == NULL) {
		log_warn("prompt");
		return UT_EXIT_ERROR;
	}
	ls_set_prompt(st);
	if (isatty(STDOUT_FILENO))
		log_warnx("lines go to %s as datagrams; /help lists commands, "
			  "^D leaves",
		    st->tolen > 0	 ? "--to"
			: st->conf->lock ? "the first sender (--lock)"
					 : "the most recent sender");
	rc = talk_run(&st->talk);
	if (rc == -1) {
		log_warn("reading the terminal");
		st->status = UT_EXIT_ERROR;
	}
	talk_close(&st->talk);
	st->prompt = NULL;
	return st->status;
}

enum {
	OPT_META = 256,
	OPT_JOIN,
	OPT_JOIN_SOURCE,
	OPT_INTERACTIVE,
	OPT_TO,
	OPT_BUFFER,
	OPT_LOCK,
	OPT_RCVBUF,
	OPT_CRLF,
	OPT_EOL,
	OPT_PCAP,
};

static const struct cmd_opt ls_options[] = {
    {'4', NULL, no_argument, NULL, "IPv4 only"},
    {'6', NULL, no_argument, NULL, "IPv6 only (default: both, on [::])"},
    {'c', "count", required_argument, "N", "exit after N datagrams"},
    {'w', "wait", required_argument, "SECONDS",
	"exit when nothing arrives for SECONDS\n"
	"(status 1 if nothing arrived at all)"},
    {'x', "hexdump", no_argument, NULL, "header line and hexdump per datagram"},
    {'r', "raw", no_argument, NULL, "payload bytes only"},
    {'j', "json", no_argument, NULL, "one JSON object per datagram"},
    {'D', "timestamps", no_argument, NULL, "times as seconds since the epoch"},
    {CMD_OPT_ALIAS('D'), "epoch", no_argument, NULL,
	"the same as -D (its older name)"},
    {OPT_META, "meta", no_argument, NULL,
	"add TTL/hop limit and TOS/traffic class"},
    {OPT_JOIN, "join", required_argument, "GROUP[%IF]",
	"join a multicast group (repeatable)"},
    {OPT_JOIN_SOURCE, "join-source", required_argument, "ADDR",
	"only from this source (SSM, repeatable)"},
    {OPT_INTERACTIVE, "interactive", no_argument, NULL,
	"send each stdin line to the most recent\n"
	"sender (a prompt when stdin is a terminal;\n"
	"piped lines wait for the first sender)"},
    {OPT_TO, "to", required_argument, "ADDRESS",
	"send stdin lines here instead"},
    {OPT_LOCK, "lock", no_argument, NULL,
	"answer only the first sender; others are\n"
	"shown, never answered"},
    {'q', "quiet", no_argument, NULL, "no notices of where lines go"},
    {'e', "escapes", no_argument, NULL,
	"lines use C escapes (\\n \\t \\r \\0 \\xNN \\\\)"},
    {'X', "hex", no_argument, NULL, "lines are hex bytes (de:ad be ef)"},
    {OPT_CRLF, "crlf", no_argument, NULL,
	"end each line sent with \\r\\n (nc -C)"},
    {OPT_EOL, "eol", no_argument, NULL, "keep each line's \\n, as nc sends it"},
    {OPT_BUFFER, "buffer", required_argument, "BYTES",
	"read into a buffer of BYTES (default and most 65536),\n"
	"to see what a smaller one truncates"},
    {OPT_RCVBUF, "rcvbuf", required_argument, "SIZE",
	"the socket's receive buffer (SO_RCVBUF; default 4M)"},
    {OPT_PCAP, "pcap", required_argument, "FILE",
	"record every datagram in and out as pcapng"},
    {0, NULL, 0, NULL, NULL},
};

static int
ls_parse(struct cmd_ctx *ctx, int argc, char **argv, struct ls_conf *conf,
    int *family, struct addr_spec *spec)
{
	char err[ADDR_ERRLEN];
	long long n;
	int ch, r;

	memset(conf, 0, sizeof *conf);
	conf->fmt = OUT_FMT_TEXT;
	conf->mode = PAYLOAD_TEXT;
	conf->bufsize = LS_BUFSIZE;
	conf->rcvbuf = LS_RCVBUF;
	*family = AF_UNSPEC;
	while ((ch = cmd_getopt(ctx, argc, argv)) != -1) {
		switch (ch) {
		case '4':
			*family = AF_INET;
			break;
		case '6':
			*family = AF_INET6;
			break;
		case 'c':
			if (cmd_opt_int(ctx, "count", optarg, 1, LLONG_MAX, 0,
				&n) == -1)
				return UT_EXIT_ERROR;
			conf->count = (unsigned long long)n;
			break;
		case 'w':
			if (cmd_opt_seconds(ctx, "wait", optarg, 0.001, 1e6, 0,
				&conf->wait) == -1)
				return UT_EXIT_ERROR;
			break;
		case 'D':
			conf->numeric_time = 1;
			break;
		case 'x':
			conf->fmt = OUT_FMT_HEX;
			break;
		case 'e':
		case 'X':
			if (conf->mode_set &&
			    conf->mode !=
				(ch == 'e' ? PAYLOAD_ESCAPES : PAYLOAD_HEX)) {
				log_warnx("-e and -X exclude each other");
				return UT_EXIT_ERROR;
			}
			conf->mode = ch == 'e' ? PAYLOAD_ESCAPES : PAYLOAD_HEX;
			conf->mode_set = 1;
			break;
		case 'r':
			conf->fmt = OUT_FMT_RAW;
			break;
		case 'j':
			conf->fmt = OUT_FMT_JSON;
			break;
		case OPT_META:
			conf->meta = 1;
			break;
		case OPT_JOIN:
			if (conf->njoin == LS_JOIN_MAX) {
				log_warnx("too many --join groups (at most %d)",
				    LS_JOIN_MAX);
				return UT_EXIT_ERROR;
			}
			if (addr_parse_group(optarg, &conf->join[conf->njoin],
				err, sizeof err) == -1) {
				log_warnx("%s", err);
				return UT_EXIT_ERROR;
			}
			conf->njoin++;
			break;
		case OPT_JOIN_SOURCE:
			if (conf->nsource == LS_JOIN_MAX) {
				log_warnx(
				    "too many --join-source addresses (at "
				    "most %d)",
				    LS_JOIN_MAX);
				return UT_EXIT_ERROR;
			}
			if (addr_parse_source(optarg,
				&conf->source[conf->nsource], err,
				sizeof err) == -1) {
				log_warnx("%s", err);
				return UT_EXIT_ERROR;
			}
			conf->nsource++;
			break;
		case OPT_INTERACTIVE:
			conf->interactive = 1;
			break;
		case OPT_TO:
			conf->to = optarg;
			conf->interactive = 1;
			break;
		case OPT_CRLF:
		case OPT_EOL:
			if (conf->eol != NULL &&
			    strcmp(conf->eol, ch == OPT_CRLF ? "\r\n" : "\n") !=
				0) {
				log_warnx(
				    "--crlf and --eol exclude each other");
				return UT_EXIT_ERROR;
			}
			conf->eol = ch == OPT_CRLF ? "\r\n" : "\n";
			break;
		case OPT_LOCK:
			conf->lock = 1;
			break;
		case 'q':
			conf->quiet = 1;
			break;
		case OPT_RCVBUF:
			if (cmd_opt_int(ctx, "receive buffer size", optarg,
				1024, LS_RCVBUF_MAX, CMD_NUM_SIZE, &n) == -1)
				return UT_EXIT_ERROR;
			conf->rcvbuf = (int)n;
			conf->rcvbuf_set = 1;
			break;
		case OPT_PCAP:
			conf->pcap = optarg;
			break;
		case OPT_BUFFER:
			if (cmd_opt_int(ctx, "buffer size", optarg, 1,
				LS_BUFSIZE, 0, &n) == -1)
				return UT_EXIT_ERROR;
			conf->bufsize = (size_t)n;
			break;
		default:
			r = cmd_common_option(ctx, ch);
			return r == -1 ? UT_EXIT_ERROR : r;
		}
	}
	argc -= optind;
	argv += optind;
	if ((r = cmd_server_address(ctx, argc, argv, spec)) != 0)
		return r;
	if (conf->mode_set && !conf->interactive) {
		log_warnx("-%c decodes the lines --interactive sends: add "
			  "--interactive or --to",
		    conf->mode == PAYLOAD_HEX ? 'X' : 'e');
		return UT_EXIT_ERROR;
	}
	if (conf->eol != NULL && !conf->interactive) {
		log_warnx("--%s ends the lines --interactive sends: add "
			  "--interactive or --to",
		    conf->eol[0] == '\r' ? "crlf" : "eol");
		return UT_EXIT_ERROR;
	}
	if (conf->lock && !conf->interactive) {
		log_warnx("--lock chooses whom --interactive answers: add "
			  "--interactive");
		return UT_EXIT_ERROR;
	}
	if (conf->nsource > 0 && conf->njoin == 0) {
		log_warnx("--join-source needs a --join GROUP");
		return UT_EXIT_ERROR;
	}
	return -1;
}

static int
cmd_listen_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static uint8_t buf[LS_BUFSIZE];
	static struct ls_state st;
	struct ls_conf *conf;
	struct addr_spec spec, tospec;
	struct pollfd pfd[2];
	char err[ADDR_ERRLEN], name[ADDR_STRLEN];
	int family, r, status = UT_EXIT_OK, nfd, timeout, prompted = 0, got;

	conf = calloc(1, sizeof *conf);
	if (conf == NULL) {
		log_warn("calloc");
		return UT_EXIT_ERROR;
	}
	r = ls_parse(ctx, argc, argv, conf, &family, &spec);
	if (r != -1) {
		free(conf);
		return r;
	}
	memset(&st, 0, sizeof st);
	st.conf = conf;
	st.rbuf = buf;
	st.ttl = st.tos = -1;
	if (srctab_init(&st.tab, LS_SOURCES,
		(uint64_t)time(NULL) ^ (uint64_t)getpid() << 20, err,
		sizeof err) == -1) {
		log_warnx("%s", err);
		free(conf);
		return UT_EXIT_ERROR;
	}
	st.fd = sock_udp_server(&spec, family, 0, err, sizeof err);
	if (st.fd == -1) {
		/* A name that does not resolve is a negative answer. */
		status = errno == ENOENT ? UT_EXIT_NEGATIVE : UT_EXIT_ERROR;
		log_warnx("%s", err);
		goto out;
	}
	/*
	 * The default receive buffer (net.core.rmem_default, 208 KiB) holds
	 * a few hundred small datagrams; a burst of thousands needs more.
	 */
	got = sock_set_rcvbuf(st.fd, conf->rcvbuf);
	if (got == -1) {
		log_warn("cannot set the receive buffer");
		status = UT_EXIT_ERROR;
		goto out;
	}
	if (got < conf->rcvbuf && conf->rcvbuf_set)
		log_warnx("receive buffer is %d bytes, not %d "
			  "(net.core.rmem_max limits it; root may exceed it)",
		    got, conf->rcvbuf);
	if (sock_enable_meta(st.fd,
		SOCK_META_PKTINFO | SOCK_META_TIMESTAMP | SOCK_META_DROPS |
		    (conf->meta ? SOCK_META_TTL : 0)) == -1) {
		log_warn("cannot ask for datagram metadata");
		status = UT_EXIT_ERROR;
		goto out;
	}
	if (ls_join(st.fd, conf) == -1) {
		status = UT_EXIT_ERROR;
		goto out;
	}
	if (conf->to != NULL) {
		if (addr_parse(conf->to, 0, &tospec, err, sizeof err) == -1) {
			log_warnx("%s", err);
			status = UT_EXIT_ERROR;
			goto out;
		}
		if (ls_resolve(st.fd, &tospec, conf->to, &st.to, &st.tolen) ==
		    -1) {
			status =
			    errno == ENOENT ? UT_EXIT_NEGATIVE : UT_EXIT_ERROR;
			goto out;
		}
	}
	if (conf->pcap != NULL &&
	    (st.cap = capture_open_socket(conf->pcap, "listen", st.fd)) ==
		NULL) {
		log_warn("cannot open '%s'", ERRMSG_QUOTE(conf->pcap));
		status = UT_EXIT_ERROR;
		goto out;
	}
	log_warnx("listening on %s", sock_local_name(st.fd, name, sizeof name));
	{
		struct sockaddr_storage ss;
		socklen_t len = sizeof ss;

		if (getsockname(st.fd, (struct sockaddr *)&ss, &len) == 0)
			st.localport = addr_get_port((struct sockaddr *)&ss);
	}
	out_init(&st.out, stdout, conf->fmt == OUT_FMT_JSON);
	st.stdin_open = conf->interactive;

	if (sig_catch(ls_signals) == -1) {
		log_warn("sigaction");
		status = UT_EXIT_ERROR;
		goto out;
	}

	if (conf->wait > 0)
		st.deadline = ls_now() + conf->wait;
	if (conf->interactive && isatty(STDIN_FILENO)) {
		status = ls_prompt_run(&st);
		prompted = 1;
	}
	/*
	 * The stop and report signals stay blocked but inside sig_ppoll(),
	 * so one that comes between the check of its flag and the wait
	 * cannot be missed (and leave a listen without -w waiting forever).
	 */
	sig_block();
	while (!prompted && !sig_pending(SIGINT) && !sig_pending(SIGTERM)) {
		if (sig_take(SIGUSR1)) {
			ls_print_summary(&st, conf);
		}
		timeout = -1;
		if (conf->wait > 0) {
			double left = st.deadline - ls_now();

			if (left <= 0) {
				if (st.dgrams == 0)
					status = UT_EXIT_NEGATIVE;
				break;
			}
			timeout = (int)(left * 1000) + 1;
		}
		pfd[0].fd = st.fd;
		pfd[0].events = POLLIN;
		nfd = 1;
		if (ls_stdin_wanted(&st)) {
			pfd[1].fd = STDIN_FILENO;
			pfd[1].events = POLLIN;
			nfd = 2;
		}
		r = sig_ppoll(pfd, (nfds_t)nfd, timeout);
		if (r == -1) {
			if (errno == EINTR)
				continue;
			log_warn("poll");
			status = UT_EXIT_ERROR;
			break;
		}
		if (nfd == 2 && (pfd[1].revents & (POLLIN | POLLHUP | POLLERR)))
			ls_read_stdin(&st);
		if (!(pfd[0].revents & POLLIN))
			continue;
		r = ls_receive(&st);
		if (r < 0) {
			status = UT_EXIT_ERROR;
			break;
		}
		if (conf->count > 0 && st.dgrams >= conf->count)
			break;
	}
	sig_unblock();
	if (st.held)
		log_warnx("line %llu and the lines after it not sent: no "
			  "sender came",
		    (unsigned long long)st.lines + 1);
	ls_print_summary(&st, conf);
out:
	sig_restore(ls_signals);
	if (capture_close(st.cap) == -1) {
		log_warn("cannot write to '%s'", ERRMSG_QUOTE(conf->pcap));
		status = UT_EXIT_ERROR;
	}
	if (st.fd > 0)
		close(st.fd);
	srctab_free(&st.tab);
	free(conf);
	return status;
}

const struct cmd_entry cmd_listen_entry = {
    .name = "listen",
    .usage = "[-46DejqrXx] [-c count] [-w wait] [--meta] [--join group[%if]] "
	     "[--join-source address] [--interactive] [--to address] [--lock] "
	     "[--buffer bytes] [--rcvbuf size] [--pcap file] [address:]port",
    .summary = "show every datagram from every sender",
    .options = ls_options,
    .notes =
	"SIGINT prints a summary and exits; SIGUSR1 prints one and goes on.\n"
	"At the prompt: Up/Down history, ^C discards the line, ^D leaves\n"
	"with the summary.  Prompt commands: /help /hex /file /repeat /to\n"
	"/ttl /tos /stats /quit; //TEXT sends TEXT with one slash.  Lines\n"
	"from a pipe are all data.\n",
    .exec = cmd_listen_exec,
};
