/* SPDX-License-Identifier: ISC */
/*
 * "udptool listen": show every datagram from every sender with its kernel
 * timestamp and addresses, join multicast groups, and talk back on request.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/types.h>

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>

#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "log.h"
#include "output.h"
#include "payload.h"
#include "prompt.h"
#include "sock.h"
#include "srctab.h"
#include "udptool.h"

#define LS_BUFSIZE 65536 /* larger than any UDP payload */
#define LS_JOIN_MAX 32
#define LS_TOP 5
#define LS_SOURCES 4096
/*
 * The longest stdin line taken in --interactive: the prompt's limit, which
 * leaves room for the largest datagram spelled in hex or escapes.
 */
#define LS_LINE_MAX PROMPT_LINE_MAX
#define LS_SEND_MAX 65527 /* the largest UDP payload (IPv6) */

struct ls_group {
	struct sockaddr_storage group;
	unsigned ifindex;
	char text[ADDR_INPUT_MAX];
};

struct ls_conf {
	enum out_format fmt;
	int meta;
	int numeric_time;
	unsigned long long count; /* 0: no limit */
	double wait; /* idle seconds, 0: none */
	size_t bufsize;
	struct ls_group join[LS_JOIN_MAX];
	int njoin;
	struct sockaddr_storage source[LS_JOIN_MAX];
	int nsource;
	int interactive;
	enum payload_mode mode; /* how --interactive lines spell their bytes */
	int mode_set;
	const char *to;
};

struct ls_state {
	int fd;
	const struct ls_conf *conf;
	uint8_t *rbuf; /* LS_BUFSIZE bytes for received datagrams */
	struct out out;
	struct srctab tab;
	uint64_t dgrams, bytes, truncated, sent, senderr, badlines, lines;
	struct sock_meta last; /* most recent sender, for --interactive */
	int have_last;
	struct sockaddr_storage to;
	socklen_t tolen;
	char line[LS_LINE_MAX];
	size_t linelen;
	int overlong;
	int stdin_open;
	uint16_t localport;
	struct prompt *prompt; /* stdin is a terminal */
	char prompt_text[ADDR_STRLEN + 24];
	double deadline; /* -w: monotonic time to give up, 0: none */
	int status;
};

static volatile sig_atomic_t ls_stop;
static volatile sig_atomic_t ls_report;

static void
ls_on_signal(int sig)
{
	if (sig == SIGUSR1)
		ls_report = 1;
	else
		ls_stop = 1;
}

/* Parses "GROUP[%IF]"; returns 0 or -1 with err. */
static int
ls_parse_group(const char *s, struct ls_group *g, char *err, size_t errlen)
{
	char host[ADDR_INPUT_MAX], *pct;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&g->group;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&g->group;
	unsigned long v;
	char *end;

	memset(g, 0, sizeof *g);
	if (strlen(s) >= 128) {
		snprintf(err, errlen, "multicast group too long");
		return -1;
	}
	snprintf(g->text, sizeof g->text, "%s", s);
	snprintf(host, sizeof host, "%s", s);
	pct = strchr(host, '%');
	if (pct != NULL) {
		*pct++ = '\0';
		g->ifindex = if_nametoindex(pct);
		if (g->ifindex == 0) {
			errno = 0;
			v = strtoul(pct, &end, 10);
			if (*pct == '\0' || *end != '\0' || errno != 0 ||
			    v == 0 || v > 0x7fffffff) {
				snprintf(err, errlen,
				    "unknown interface '%.*s' "
				    "in '%.*s'",
				    32, pct, 128, s);
				return -1;
			}
			g->ifindex = (unsigned)v;
		}
	}
	if (inet_pton(AF_INET, host, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		if (!IN_MULTICAST(ntohl(s4->sin_addr.s_addr)))
			goto notgroup;
	} else if (inet_pton(AF_INET6, host, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		if (!IN6_IS_ADDR_MULTICAST(&s6->sin6_addr))
			goto notgroup;
	} else {
		snprintf(err, errlen, "invalid multicast group '%.*s'", 128, s);
		return -1;
	}
	return 0;
notgroup:
	snprintf(err, errlen,
	    "'%.*s' is not a multicast address "
	    "(224.0.0.0/4, ff00::/8)",
	    64, host);
	return -1;
}

static int
ls_parse_source(
    const char *s, struct sockaddr_storage *ss, char *err, size_t errlen)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof *ss);
	if (inet_pton(AF_INET, s, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		return 0;
	}
	snprintf(err, errlen,
	    "invalid source address '%.*s' (an IPv4 or "
	    "IPv6 literal)",
	    128, s);
	return -1;
}

/* Joins every group, source-specific where sources of its family were given. */
static int
ls_join(int fd, const struct ls_conf *conf)
{
	struct group_source_req gsr;
	struct group_req gr;
	int i, k, level, joined;

	for (i = 0; i < conf->njoin; i++) {
		const struct ls_group *g = &conf->join[i];

		level =
		    g->group.ss_family == AF_INET ? IPPROTO_IP : IPPROTO_IPV6;
		joined = 0;
		for (k = 0; k < conf->nsource; k++) {
			if (conf->source[k].ss_family != g->group.ss_family)
				continue;
			memset(&gsr, 0, sizeof gsr);
			gsr.gsr_interface = g->ifindex;
			memcpy(&gsr.gsr_group, &g->group, sizeof g->group);
			memcpy(&gsr.gsr_source, &conf->source[k],
			    sizeof conf->source[k]);
			if (setsockopt(fd, level, MCAST_JOIN_SOURCE_GROUP, &gsr,
				sizeof gsr) == -1) {
				log_warn(
				    "join %s from source %d", g->text, k + 1);
				return -1;
			}
			joined = 1;
		}
		if (joined)
			continue;
		memset(&gr, 0, sizeof gr);
		gr.gr_interface = g->ifindex;
		memcpy(&gr.gr_group, &g->group, sizeof g->group);
		if (setsockopt(fd, level, MCAST_JOIN_GROUP, &gr, sizeof gr) ==
		    -1) {
			log_warn("join %s%s", g->text,
			    errno == ENODEV || errno == EADDRNOTAVAIL
				? " (name an interface: "
				  "GROUP%IF)"
				: "");
			return -1;
		}
	}
	return 0;
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

	out_init(&o, stderr, conf->fmt == OUT_FMT_JSON);
	fflush(stdout);
	out_obj_open(&o, NULL);
	out_str(&o, "type", NULL, "summary");
	out_text(&o, "udptool: listen: summary: ");
	out_uint(&o, "datagrams", "%llu datagrams", st->dgrams);
	out_uint(&o, "bytes", " (%llu bytes)", st->bytes);
	out_uint(&o, "senders", " from %llu senders", st->tab.inserted);
	out_uint(&o, "truncated", ", %llu truncated", st->truncated);
	if (conf->interactive) {
		out_uint(&o, "sent", ", %llu sent", st->sent);
		out_uint(&o, "send_errors", ", %llu send errors", st->senderr);
		out_uint(
		    &o, "invalid_lines", ", %llu invalid lines", st->badlines);
	}
	out_text(&o, "\n");
	n = srctab_top(&st->tab, top, LS_TOP);
	out_arr_open(&o, "top_senders");
	for (i = 0; i < n; i++) {
		len = srctab_key_sockaddr(&top[i]->key, &ss);
		addr_format((struct sockaddr *)&ss, len, 0, a, sizeof a);
		out_obj_open(&o, NULL);
		out_str(&o, "address", "  top sender %s:", a);
		out_uint(&o, "datagrams", " %llu datagrams", top[i]->dgrams);
		out_uint(&o, "bytes", ", %llu bytes\n", top[i]->bytes);
		out_obj_close(&o);
	}
	out_arr_close(&o);
	out_obj_close(&o);
	fflush(stderr);
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
	if (srctab_key_from((struct sockaddr *)&m->from, &key) == 0) {
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
 * in mode as send decodes its lines.  Returns the length, or -1 with err.
 */
static ssize_t
ls_line_to_datagram(const char *line, size_t len, enum payload_mode mode,
    uint8_t *out, size_t size, char *err, size_t errlen)
{
	if (len > 0 && line[len - 1] == '\n')
		len--;
	if (len > 0 && line[len - 1] == '\r')
		len--;
	return payload_decode(line, len, mode, out, size, err, errlen);
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

static void
ls_send_line(struct ls_state *st, const char *line, size_t len)
{
	static uint8_t dgram[LS_BUFSIZE];
	const struct sockaddr *dst;
	char err[PAYLOAD_ERRLEN], a[ADDR_STRLEN];
	socklen_t dstlen;
	ssize_t n, r;

	st->lines++;
	n = ls_line_to_datagram(
	    line, len, st->conf->mode, dgram, LS_SEND_MAX, err, sizeof err);
	if (n == -1) {
		/* One bad line is reported; the session goes on. */
		log_warnx("line %llu: invalid payload: %s (not sent)",
		    (unsigned long long)st->lines, err);
		st->badlines++;
		return;
	}
	dst = ls_target(st, &dstlen);
	if (dst == NULL) {
		log_warnx("no sender yet to answer: line not sent "
			  "(or give --to ADDRESS)");
		st->senderr++;
		return;
	}
	if (st->tolen > 0)
		r = sendto(st->fd, dgram, (size_t)n, 0, dst, dstlen);
	else
		/* From the address the peer wrote to, like echo-serve's replies. */
		r = sock_send_reply(st->fd, dgram, (size_t)n, &st->last);
	if (r == -1) {
		log_warn("send to %s",
		    addr_format(dst, dstlen, ADDR_FMT_PORT, a, sizeof a));
		st->senderr++;
		return;
	}
	st->sent++;
}

/*
 * Reads what a non-terminal stdin has and sends each complete line.  Unlike
 * the prompt, the end of input does not end listening: answers to the
 * lines sent may still be on their way.
 */
static void
ls_read_stdin(struct ls_state *st)
{
	char chunk[4096];
	ssize_t n, i;

	n = read(STDIN_FILENO, chunk, sizeof chunk);
	if (n == -1 && errno == EINTR)
		return;
	if (n <= 0) {
		/* A last line without a newline still goes out. */
		if (st->linelen > 0 && !st->overlong)
			ls_send_line(st, st->line, st->linelen);
		st->linelen = 0;
		st->stdin_open = 0;
		return;
	}
	for (i = 0; i < n; i++) {
		if (st->linelen < sizeof st->line)
			st->line[st->linelen++] = chunk[i];
		else
			st->overlong = 1;
		if (chunk[i] != '\n')
			continue;
		if (st->overlong) {
			st->lines++;
			log_warnx("line %llu: longer than %d bytes (not sent)",
			    (unsigned long long)st->lines, LS_LINE_MAX);
			st->badlines++;
		} else {
			ls_send_line(st, st->line, st->linelen);
		}
		st->linelen = 0;
		st->overlong = 0;
	}
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
	if (st->prompt != NULL)
		prompt_hold(st->prompt);
	ls_show(st, conf, buf, (size_t)n, &m);
	/* Nobody can see the datagrams any more: stop (main() says why). */
	if (out_stdout_flush() == -1)
		return -2;
	st->last = m;
	st->have_last = 1;
	if (conf->wait > 0)
		st->deadline = ls_now() + conf->wait;
	return 1;
}

/* Prompt callbacks: stdin is a terminal. */

static int
ls_on_line(void *arg, char *line, size_t len)
{
	struct ls_state *st = arg;

	ls_send_line(st, line, len);
	return 0;
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

	if (ls_report)
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

	if (ls_report) {
		ls_report = 0;
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
	static const struct prompt_ops ops = {
	    .on_line = ls_on_line,
	    .on_ready = ls_on_ready,
	    .timer_ms = ls_timer_ms,
	    .on_timer = ls_on_timer,
	};
	struct prompt_config cfg;
	int rc;

	memset(&cfg, 0, sizeof cfg);
	cfg.prog = "udptool";
	/* Its own file: answers to peers are not requests to a server. */
	cfg.history = "listen-history";
	cfg.fds[0] = st->fd;
	cfg.nfds = 1;
	cfg.ops = &ops;
	cfg.arg = st;
	st->prompt = prompt_open(&cfg);
	if (st->prompt == NULL) {
		log_warn("prompt");
		return UT_EXIT_ERROR;
	}
	ls_set_prompt(st);
	if (isatty(STDOUT_FILENO))
		log_warnx("lines go to %s as datagrams; ^D leaves",
		    st->tolen > 0 ? "--to" : "the most recent sender");
	rc = prompt_run(st->prompt);
	if (rc == -1) {
		log_warn("reading the terminal");
		st->status = UT_EXIT_ERROR;
	}
	prompt_close(st->prompt);
	st->prompt = NULL;
	return st->status;
}

static int
ls_resolve_to(struct ls_state *st, const char *to, int sockfamily)
{
	struct addr_spec spec;
	struct addrinfo *res, *ai;
	char err[ADDR_ERRLEN];

	if (addr_parse(to, 0, &spec, err, sizeof err) == -1) {
		log_warnx("%s", err);
		return -1;
	}
	if (sock_resolve(&spec, sockfamily == AF_INET ? AF_INET : AF_UNSPEC, 0,
		&res, err, sizeof err) != 0) {
		log_warnx("%s", err);
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		if (ai->ai_family == sockfamily)
			break;
	}
	if (ai != NULL) {
		memcpy(&st->to, ai->ai_addr, ai->ai_addrlen);
		st->tolen = ai->ai_addrlen;
	} else if (sockfamily == AF_INET6 && res->ai_family == AF_INET) {
		/* A dual-stack socket reaches IPv4 through a mapped address. */
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&st->to;
		const struct sockaddr_in *s4 =
		    (const struct sockaddr_in *)(const void *)res->ai_addr;

		memset(&st->to, 0, sizeof st->to);
		s6->sin6_family = AF_INET6;
		s6->sin6_port = s4->sin_port;
		s6->sin6_addr.s6_addr[10] = 0xff;
		s6->sin6_addr.s6_addr[11] = 0xff;
		memcpy(&s6->sin6_addr.s6_addr[12], &s4->sin_addr, 4);
		st->tolen = sizeof *s6;
	}
	freeaddrinfo(res);
	if (st->tolen == 0) {
		log_warnx("%s: no address of the socket's family", to);
		return -1;
	}
	return 0;
}

static int
ls_parse_number(const char *s, double min, double max, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (s[0] == '\0' || *end != '\0' || errno != 0 || !(v >= min) ||
	    !(v <= max))
		return -1;
	*out = v;
	return 0;
}

enum {
	OPT_META = 256,
	OPT_JOIN,
	OPT_JOIN_SOURCE,
	OPT_INTERACTIVE,
	OPT_TO,
	OPT_BUFFER,
};

static const struct option ls_longopts[] = {
    {"count", required_argument, NULL, 'c'},
    {"wait", required_argument, NULL, 'w'},
    {"hexdump", no_argument, NULL, 'x'},
    {"raw", no_argument, NULL, 'r'},
    {"json", no_argument, NULL, 'j'},
    {"epoch", no_argument, NULL, 'D'},
    {"escapes", no_argument, NULL, 'e'},
    {"hex", no_argument, NULL, 'X'},
    {"meta", no_argument, NULL, OPT_META},
    {"join", required_argument, NULL, OPT_JOIN},
    {"join-source", required_argument, NULL, OPT_JOIN_SOURCE},
    {"interactive", no_argument, NULL, OPT_INTERACTIVE},
    {"to", required_argument, NULL, OPT_TO},
    {"buffer", required_argument, NULL, OPT_BUFFER},
    CMD_HELP_OPTION,
    {NULL, 0, NULL, 0},
};

static int
ls_parse(struct cmd_ctx *ctx, int argc, char **argv, struct ls_conf *conf,
    int *family, struct addr_spec *spec)
{
	char err[ADDR_ERRLEN];
	double v;
	int ch, r;

	memset(conf, 0, sizeof *conf);
	conf->fmt = OUT_FMT_TEXT;
	conf->mode = PAYLOAD_TEXT;
	conf->bufsize = LS_BUFSIZE;
	*family = AF_UNSPEC;
	while ((ch = getopt_long(
		    argc, argv, "+46c:Dehjrw:xX", ls_longopts, NULL)) != -1) {
		switch (ch) {
		case '4':
			*family = AF_INET;
			break;
		case '6':
			*family = AF_INET6;
			break;
		case 'c':
			if (ls_parse_number(optarg, 1, 1e15, &v) == -1 ||
			    v != (double)(unsigned long long)v) {
				log_warnx(
				    "invalid count '%s' (a positive whole "
				    "number)",
				    optarg);
				return UT_EXIT_ERROR;
			}
			conf->count = (unsigned long long)v;
			break;
		case 'w':
			if (ls_parse_number(optarg, 0.001, 1e6, &v) == -1) {
				log_warnx("invalid wait '%s' (0.001-1000000 "
					  "seconds)",
				    optarg);
				return UT_EXIT_ERROR;
			}
			conf->wait = v;
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
			if (ls_parse_group(optarg, &conf->join[conf->njoin],
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
			if (ls_parse_source(optarg,
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
		case OPT_BUFFER:
			if (ls_parse_number(optarg, 1, LS_BUFSIZE, &v) == -1 ||
			    v != (int)v) {
				log_warnx(
				    "invalid buffer size '%s' (1-%d bytes)",
				    optarg, LS_BUFSIZE);
				return UT_EXIT_ERROR;
			}
			conf->bufsize = (size_t)v;
			break;
		default:
			r = cmd_common_option(ctx, ch);
			return r == -1 ? UT_EXIT_ERROR : r;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 1) {
		log_warnx(argc == 0 ? "missing [ADDRESS:]PORT to listen on%s"
				    : "too many arguments (expected one "
				      "[ADDRESS:]PORT, got '%s')",
		    argc == 0 ? "" : argv[1]);
		return UT_EXIT_ERROR;
	}
	if (conf->mode_set && !conf->interactive) {
		log_warnx("-%c decodes the lines --interactive sends: add "
			  "--interactive or --to",
		    conf->mode == PAYLOAD_HEX ? 'X' : 'e');
		return UT_EXIT_ERROR;
	}
	if (conf->nsource > 0 && conf->njoin == 0) {
		log_warnx("--join-source needs a --join GROUP");
		return UT_EXIT_ERROR;
	}
	if (addr_parse(argv[0], ADDR_F_SERVER, spec, err, sizeof err) == -1) {
		log_warnx("%s", err);
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
	struct addr_spec spec;
	struct sigaction sa;
	struct pollfd pfd[2];
	char err[ADDR_ERRLEN], name[ADDR_STRLEN];
	int family, r, status = UT_EXIT_OK, nfd, timeout, prompted = 0;

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
	ls_stop = ls_report = 0;
	if (srctab_init(&st.tab, LS_SOURCES,
		(uint64_t)time(NULL) ^ (uint64_t)getpid() << 20, err,
		sizeof err) == -1) {
		log_warnx("%s", err);
		free(conf);
		return UT_EXIT_ERROR;
	}
	st.fd = sock_udp_server(&spec, family, 0, err, sizeof err);
	if (st.fd == -1) {
		log_warnx("%s", err);
		status = UT_EXIT_ERROR;
		goto out;
	}
	if (sock_enable_meta(st.fd,
		SOCK_META_PKTINFO | SOCK_META_TIMESTAMP |
		    (conf->meta ? SOCK_META_TTL : 0)) == -1) {
		log_warn("cannot ask for datagram metadata");
		status = UT_EXIT_ERROR;
		goto out;
	}
	if (ls_join(st.fd, conf) == -1 ||
	    (conf->to != NULL &&
		ls_resolve_to(&st, conf->to, sock_family(st.fd)) == -1)) {
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

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = ls_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);

	if (conf->wait > 0)
		st.deadline = ls_now() + conf->wait;
	if (conf->interactive && isatty(STDIN_FILENO)) {
		status = ls_prompt_run(&st);
		prompted = 1;
	}
	while (!prompted && !ls_stop) {
		if (ls_report) {
			ls_report = 0;
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
		if (st.stdin_open) {
			pfd[1].fd = STDIN_FILENO;
			pfd[1].events = POLLIN;
			nfd = 2;
		}
		r = poll(pfd, (nfds_t)nfd, timeout);
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
	ls_print_summary(&st, conf);
out:
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGUSR1, SIG_DFL);
	if (st.fd > 0)
		close(st.fd);
	srctab_free(&st.tab);
	free(conf);
	return status;
}

const struct cmd_entry cmd_listen_entry = {
    .name = "listen",
    .usage = "[-46DejrXx] [-c count] [-w wait] [--meta] [--join group[%if]] "
	     "[--join-source address] [--interactive] [--to address] "
	     "[--buffer bytes] [address:]port",
    .summary = "show every datagram from every sender",
    .help =
	"Options:\n"
	"  -4, -6                 IPv4 or IPv6 only (default: both, on [::])\n"
	"  -c, --count N          exit after N datagrams\n"
	"  -w, --wait SECONDS     exit when nothing arrives for SECONDS\n"
	"                         (status 1 if nothing arrived at all)\n"
	"  -x, --hexdump          header line and hexdump per datagram\n"
	"  -r, --raw              payload bytes only\n"
	"  -j, --json             one JSON object per datagram\n"
	"  -D, --epoch            times as seconds since the epoch\n"
	"      --meta             add TTL/hop limit and TOS/traffic class\n"
	"      --join GROUP[%IF]  join a multicast group (repeatable)\n"
	"      --join-source ADDR only from this source (SSM, repeatable)\n"
	"      --interactive      send each stdin line to the last sender\n"
	"                         (a prompt when stdin is a terminal)\n"
	"      --to ADDRESS       send stdin lines here instead\n"
	"  -e, --escapes          lines use C escapes (\\n \\t \\r \\0 \\xNN "
	"\\\\)\n"
	"  -X, --hex              lines are hex bytes (de:ad be ef)\n"
	"      --buffer BYTES     receive buffer (default and most 65536)\n"
	"\n"
	"SIGINT prints a summary and exits; SIGUSR1 prints one and goes on.\n"
	"At the prompt: Up/Down history, ^C discards the line, ^D leaves\n"
	"with the summary.\n",
    .longopts = ls_longopts,
    .exec = cmd_listen_exec,
};
