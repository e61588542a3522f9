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
#include "answer.h"
#include "capture.h"
#include "errmsg.h"
#include "linefeed.h"
#include "log.h"
#include "num.h"
#include "output.h"
#include "payload.h"
#include "prompt.h"
#include "sender.h"
#include "sendline.h"
#include "sig.h"
#include "show.h"
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

struct ls_state {
	int fd;
	const struct ls_conf *conf;
	uint8_t *rbuf; /* LS_BUFSIZE bytes for received datagrams */
	struct out out;
	struct show_tally tally; /* what was received, and from whom */
	struct answer ans; /* whom lines go to, how many went */
	char line[LS_LINE_MAX];
	struct linefeed feed; /* lines from a pipe, when not a terminal */
	uint16_t localport;
	char prompt_text[ADDR_STRLEN + 24];
	double deadline; /* -w: monotonic time to give up, 0: none */
	int status;
	struct talk talk; /* the prompt session: /repeat, ^C */
	struct sender_dest repeat_dest; /* where it goes, fixed when typed */
	size_t repeat_len;
	uint8_t repeat_buf[ANSWER_MAX];
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

/* The summary: one more JSON line on stdout with -j, else a line on stderr. */
static void
ls_print_summary(struct ls_state *st, const struct ls_conf *conf)
{
	struct out o;

	show_tally_kernel(&st->tally, sock_kernel_drops(st->fd));
	out_init(&o, conf->fmt == OUT_FMT_JSON ? stdout : stderr,
	    conf->fmt == OUT_FMT_JSON);
	fflush(stdout);
	out_event(&o, "summary", NULL);
	out_text(&o, "udptool: listen: summary: ");
	show_tally_fields(&o, &st->tally, "--rcvbuf");
	if (conf->interactive) {
		out_uint(&o, "sent", ", %llu sent", st->ans.sent);
		out_count(&o, "send_errors", ", %llu send %s", st->ans.senderr,
		    "error", "errors");
		out_count(&o, "invalid_lines", ", %llu invalid %s",
		    st->ans.badlines, "line", "lines");
	}
	out_text(&o, "\n");
	show_top_senders(&o, &st->tally.tab, LS_TOP);
	out_obj_close(&o);
	fflush(o.fp);
}

/* Counts and prints one datagram received. */
static void
ls_show(struct ls_state *st, const struct ls_conf *conf, const uint8_t *buf,
    size_t caplen, struct sock_meta *m)
{
	struct out_dgram d;
	uint64_t dropped;

	dropped = show_tally_add(&st->tally, m);
	if (dropped > 0)
		show_kernel_drops(conf->fmt == OUT_FMT_JSON ? stdout : stderr,
		    conf->fmt == OUT_FMT_JSON, "udptool: listen: ", "--rcvbuf",
		    dropped, st->tally.kdrops);
	show_fill(&d, "datagram", m, caplen, conf->meta, conf->numeric_time);
	out_datagram(&st->out, conf->fmt, &d, buf);
}

/*
 * A line from a pipe or a file: always data, never a command (as nc).
 * Before the first sender it waits (the rest stays in the pipe, nothing is
 * dropped); an overlong one is reported and dropped.
 */
static int
ls_piped_line(void *arg, const char *line, size_t len, int overlong)
{
	struct ls_state *st = arg;
	socklen_t tlen;

	if (overlong) {
		st->ans.lines++;
		log_warnx("line %llu: longer than %d bytes (not sent)",
		    (unsigned long long)st->ans.lines, LS_LINE_MAX);
		st->ans.badlines++;
		return LINEFEED_DONE;
	}
	/* A canned reply waits for the first sender, not discarded. */
	if (sender_target(&st->ans.peer, &tlen) == NULL)
		return LINEFEED_HOLD;
	st->ans.lines++;
	answer_text(&st->ans, line, len, st->conf->mode, st->conf->eol);
	return LINEFEED_DONE;
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

	if (st->ans.prompt == NULL)
		return;
	dst = sender_target(&st->ans.peer, &len);
	if (dst == NULL)
		snprintf(text, sizeof text, "(no sender yet)> ");
	else
		snprintf(text, sizeof text, "%s> ",
		    addr_format(dst, len, ADDR_FMT_PORT, a, sizeof a));
	if (strcmp(text, st->prompt_text) == 0)
		return;
	snprintf(st->prompt_text, sizeof st->prompt_text, "%s", text);
	prompt_set(st->ans.prompt, text);
}

/* Clears the prompt's line, if there is a prompt, for a line above it. */
static void
ls_hold(struct ls_state *st)
{
	if (st->ans.prompt != NULL)
		prompt_hold(st->ans.prompt);
}

/* A one-line notice about who is answered, above the prompt or on stderr. */
static void
ls_notice(struct ls_state *st, const struct sock_meta *m, const char *pre,
    const char *post)
{
	char a[ADDR_STRLEN];

	if (st->conf->quiet)
		return;
	ls_hold(st);
	log_warnx("%s%s%s", pre,
	    addr_format((const struct sockaddr *)&m->from, m->fromlen,
		ADDR_FMT_PORT, a, sizeof a),
	    post);
}

/* Says when the peer that lines go to changes, or who is not answered. */
static void
ls_track_sender(struct ls_state *st, const struct sock_meta *m)
{
	const struct ls_conf *conf = st->conf;

	switch (sender_track(&st->ans.peer, m)) {
	case SENDER_LOCKED_OUT:
		ls_notice(st, m, "",
		    " is not the locked peer: shown, never answered");
		break;
	case SENDER_NEW:
		if (!conf->interactive || st->ans.peer.tolen > 0)
			break;
		ls_notice(st, m, "lines now go to ",
		    conf->lock ? " (locked: other senders are never answered)"
			       : " (the most recent sender)");
		break;
	case SENDER_SAME:
	case SENDER_LOCKED_OUT_AGAIN:
		break;
	}
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
		ls_hold(st);
		log_warn("recvmsg");
		return -1;
	}
	if (m.tolen > 0)
		addr_set_port((struct sockaddr *)&m.to, st->localport);
	if (st->ans.cap != NULL)
		capture_record(st->ans.cap, 0, 0,
		    m.tolen > 0 ? (struct sockaddr *)&m.to : NULL,
		    (struct sockaddr *)&m.from, buf, (size_t)n,
		    m.has_ts ? &m.ts : NULL);
	ls_hold(st);
	ls_show(st, conf, buf, (size_t)n, &m);
	/* Nobody can see the datagrams any more: stop (main() says why). */
	if (out_stdout_flush() == -1)
		return -2;
	ls_track_sender(st, &m);
	linefeed_release(&st->feed);
	if (conf->wait > 0)
		st->deadline = ls_now() + conf->wait;
	return 1;
}

/* Prompt callbacks: stdin is a terminal; the talk session asks these. */

static void
ls_talk_typed(void *arg)
{
	struct ls_state *st = arg;

	st->ans.lines++;
}

static void
ls_talk_text(void *arg, const char *text, size_t len, int hex)
{
	struct ls_state *st = arg;

	/* /hex spells exact bytes: no line end added. */
	if (hex)
		answer_text(&st->ans, text, len, PAYLOAD_HEX, NULL);
	else
		answer_text(&st->ans, text, len, st->conf->mode, st->conf->eol);
}

static int
ls_talk_repeat_send(void *arg)
{
	struct ls_state *st = arg;

	return answer_send(
	    &st->ans, &st->repeat_dest, st->repeat_buf, st->repeat_len);
}

static void
ls_talk_to(void *arg, const struct sendline *c)
{
	struct ls_state *st = arg;

	if (c->reset) {
		st->ans.peer.tolen = 0;
	} else if (!c->query) {
		/* A bad address leaves the current target as it was. */
		if (answer_set_to(&st->ans, &c->to, c->arg) == -1)
			return;
	}
	if (!c->query)
		talk_repeat_stop(&st->talk, "stopped by /to");
	answer_show_target(&st->ans);
	ls_set_prompt(st);
}

static void
ls_talk_ttl_tos(void *arg, const struct sendline *c)
{
	struct ls_state *st = arg;

	answer_ttl_tos(&st->ans, c->kind == SENDLINE_TOS, c->query, c->value);
}

static void
ls_talk_file(void *arg, const char *path)
{
	struct ls_state *st = arg;

	answer_file(&st->ans, path);
}

static int
ls_talk_repeat_load(void *arg, const struct sendline *c)
{
	struct ls_state *st = arg;
	char err[PAYLOAD_ERRLEN];
	ssize_t n;

	n = linefeed_datagram(c->arg, c->arglen, st->conf->mode, st->conf->eol,
	    st->repeat_buf, sizeof st->repeat_buf, err, sizeof err);
	if (n == -1) {
		answer_bad_line(&st->ans, err);
		return -1;
	}
	/*
	 * Where it goes is fixed now.  A /repeat running has a target, so
	 * this cannot fail then: the running one is never stopped for it.
	 */
	if (answer_dest(&st->ans, &st->repeat_dest) == -1)
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
			prompt_stop(st->ans.prompt);
			return;
		}
		if (r == 0)
			break;
		if (st->conf->count > 0 &&
		    st->tally.dgrams >= st->conf->count) {
			prompt_stop(st->ans.prompt);
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
		prompt_hold(st->ans.prompt);
		ls_print_summary(st, st->conf);
	}
	if (st->deadline != 0 && ls_now() >= st->deadline) {
		if (st->tally.dgrams == 0)
			st->status = UT_EXIT_NEGATIVE;
		st->deadline = 0;
		prompt_stop(st->ans.prompt);
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
	st->ans.prompt = talk_open(&st->talk);
	if (st->ans.prompt == NULL) {
		log_warn("prompt");
		return UT_EXIT_ERROR;
	}
	ls_set_prompt(st);
	if (isatty(STDOUT_FILENO))
		log_warnx("lines go to %s as datagrams; /help lists commands, "
			  "^D leaves",
		    st->ans.peer.tolen > 0 ? "--to"
			: st->conf->lock   ? "the first sender (--lock)"
					   : "the most recent sender");
	rc = talk_run(&st->talk);
	if (rc == -1) {
		log_warn("reading the terminal");
		st->status = UT_EXIT_ERROR;
	}
	talk_close(&st->talk);
	st->ans.prompt = NULL;
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

/* --join and --join-source: at most LS_JOIN_MAX each; returns 0 or -1. */
static int
ls_opt_join(struct ls_conf *conf, int ch, const char *arg)
{
	int join = ch == OPT_JOIN, *n = join ? &conf->njoin : &conf->nsource;
	char err[ADDR_ERRLEN];

	if (*n == LS_JOIN_MAX) {
		log_warnx("too many %s (at most %d)",
		    join ? "--join groups" : "--join-source addresses",
		    LS_JOIN_MAX);
		return -1;
	}
	if ((join ? addr_parse_group(arg, &conf->join[*n], err, sizeof err)
		  : addr_parse_source(
			arg, &conf->source[*n], err, sizeof err)) == -1) {
		log_warnx("%s", err);
		return -1;
	}
	(*n)++;
	return 0;
}

/* How lines are spelled (-e, -X) and ended (--crlf, --eol); 0 or -1. */
static int
ls_opt_line(struct ls_conf *conf, int ch)
{
	enum payload_mode mode;
	const char *eol;

	if (ch == 'e' || ch == 'X') {
		mode = ch == 'e' ? PAYLOAD_ESCAPES : PAYLOAD_HEX;
		if (conf->mode_set && conf->mode != mode) {
			log_warnx("-e and -X exclude each other");
			return -1;
		}
		conf->mode = mode;
		conf->mode_set = 1;
		return 0;
	}
	eol = ch == OPT_CRLF ? "\r\n" : "\n";
	if (conf->eol != NULL && strcmp(conf->eol, eol) != 0) {
		log_warnx("--crlf and --eol exclude each other");
		return -1;
	}
	conf->eol = eol;
	return 0;
}

/* The options that only mean something with another; 0 or -1. */
static int
ls_check(const struct ls_conf *conf)
{
	if (conf->mode_set && !conf->interactive) {
		log_warnx("-%c decodes the lines --interactive sends: add "
			  "--interactive or --to",
		    conf->mode == PAYLOAD_HEX ? 'X' : 'e');
		return -1;
	}
	if (conf->eol != NULL && !conf->interactive) {
		log_warnx("--%s ends the lines --interactive sends: add "
			  "--interactive or --to",
		    conf->eol[0] == '\r' ? "crlf" : "eol");
		return -1;
	}
	if (conf->lock && !conf->interactive) {
		log_warnx("--lock chooses whom --interactive answers: add "
			  "--interactive");
		return -1;
	}
	if (conf->nsource > 0 && conf->njoin == 0) {
		log_warnx("--join-source needs a --join GROUP");
		return -1;
	}
	return 0;
}

/* The options that take a number; returns 0 or -1 after a message. */
static int
ls_opt_number(
    struct cmd_ctx *ctx, struct ls_conf *conf, int ch, const char *arg)
{
	long long n;

	switch (ch) {
	case 'c':
		if (cmd_opt_int(ctx, "count", arg, 1, LLONG_MAX, 0, &n) == -1)
			return -1;
		conf->count = (unsigned long long)n;
		return 0;
	case 'w':
		return cmd_opt_seconds(
		    ctx, "wait", arg, 0.001, 1e6, 0, &conf->wait);
	case OPT_RCVBUF:
		if (cmd_opt_int(ctx, "receive buffer size", arg, 1024,
			LS_RCVBUF_MAX, CMD_NUM_SIZE, &n) == -1)
			return -1;
		conf->rcvbuf = (int)n;
		conf->rcvbuf_set = 1;
		return 0;
	default: /* OPT_BUFFER */
		if (cmd_opt_int(
			ctx, "buffer size", arg, 1, LS_BUFSIZE, 0, &n) == -1)
			return -1;
		conf->bufsize = (size_t)n;
		return 0;
	}
}

/*
 * Parses the command line into conf, family and spec; returns -1 to go on,
 * or the exit status (--help, or an error already reported).
 */
static int
ls_parse(struct cmd_ctx *ctx, int argc, char **argv, struct ls_conf *conf,
    int *family, struct addr_spec *spec)
{
	int ch, r = 0;

	memset(conf, 0, sizeof *conf);
	conf->fmt = OUT_FMT_TEXT;
	conf->mode = PAYLOAD_TEXT;
	conf->bufsize = LS_BUFSIZE;
	conf->rcvbuf = LS_RCVBUF;
	*family = AF_UNSPEC;
	while (r == 0 && (ch = cmd_getopt(ctx, argc, argv)) != -1) {
		switch (ch) {
		case '4':
		case '6':
			*family = ch == '4' ? AF_INET : AF_INET6;
			break;
		case 'c':
		case 'w':
		case OPT_RCVBUF:
		case OPT_BUFFER:
			r = ls_opt_number(ctx, conf, ch, optarg);
			break;
		case 'D':
			conf->numeric_time = 1;
			break;
		case 'x':
			conf->fmt = OUT_FMT_HEX;
			break;
		case 'r':
			conf->fmt = OUT_FMT_RAW;
			break;
		case 'j':
			conf->fmt = OUT_FMT_JSON;
			break;
		case 'e':
		case 'X':
		case OPT_CRLF:
		case OPT_EOL:
			r = ls_opt_line(conf, ch);
			break;
		case OPT_META:
			conf->meta = 1;
			break;
		case OPT_JOIN:
		case OPT_JOIN_SOURCE:
			r = ls_opt_join(conf, ch, optarg);
			break;
		case OPT_TO:
			conf->to = optarg;
			/* FALLTHROUGH */
		case OPT_INTERACTIVE:
			conf->interactive = 1;
			break;
		case OPT_LOCK:
			conf->lock = 1;
			break;
		case OPT_PCAP:
			conf->pcap = optarg;
			break;
		case 'q':
			conf->quiet = 1;
			break;
		default:
			r = cmd_common_option(ctx, ch);
			return r == -1 ? UT_EXIT_ERROR : r;
		}
	}
	if (r == -1)
		return UT_EXIT_ERROR;
	argc -= optind;
	argv += optind;
	if ((r = cmd_server_address(ctx, argc, argv, spec)) != 0)
		return r;
	return ls_check(conf) == -1 ? UT_EXIT_ERROR : -1;
}

/*
 * Opens the listening socket with its receive buffer, metadata, groups and
 * --to peer, says where it listens, and sets up stdout and the stdin lines;
 * returns the exit status so far.
 */
static int
ls_open(struct ls_state *st, int family, const struct addr_spec *spec)
{
	const struct ls_conf *conf = st->conf;
	struct addr_spec tospec;
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	char err[ADDR_ERRLEN], name[ADDR_STRLEN];
	int got;

	if (srctab_init(&st->tally.tab, LS_SOURCES,
		(uint64_t)time(NULL) ^ (uint64_t)getpid() << 20, err,
		sizeof err) == -1) {
		log_warnx("%s", err);
		return UT_EXIT_ERROR;
	}
	st->fd = sock_udp_server(spec, family, 0, err, sizeof err);
	st->ans.fd = st->fd;
	if (st->fd == -1) {
		/* A name that does not resolve is a negative answer. */
		log_warnx("%s", err);
		return errno == ENOENT ? UT_EXIT_NEGATIVE : UT_EXIT_ERROR;
	}
	/*
	 * The default receive buffer (net.core.rmem_default, 208 KiB) holds
	 * a few hundred small datagrams; a burst of thousands needs more.
	 */
	got = sock_set_rcvbuf(st->fd, conf->rcvbuf);
	if (got == -1) {
		log_warn("cannot set the receive buffer");
		return UT_EXIT_ERROR;
	}
	if (got < conf->rcvbuf && conf->rcvbuf_set)
		log_warnx("receive buffer is %d bytes, not %d "
			  "(net.core.rmem_max limits it; root may exceed it)",
		    got, conf->rcvbuf);
	if (sock_enable_meta(st->fd,
		SOCK_META_PKTINFO | SOCK_META_TIMESTAMP | SOCK_META_DROPS |
		    (conf->meta ? SOCK_META_TTL : 0)) == -1) {
		log_warn("cannot ask for datagram metadata");
		return UT_EXIT_ERROR;
	}
	if (ls_join(st->fd, conf) == -1)
		return UT_EXIT_ERROR;
	if (conf->to != NULL) {
		if (addr_parse(conf->to, 0, &tospec, err, sizeof err) == -1) {
			log_warnx("%s", err);
			return UT_EXIT_ERROR;
		}
		if (answer_set_to(&st->ans, &tospec, conf->to) == -1)
			return errno == ENOENT ? UT_EXIT_NEGATIVE
					       : UT_EXIT_ERROR;
	}
	if (conf->pcap != NULL &&
	    (st->ans.cap = capture_open_socket(conf->pcap, "listen", st->fd)) ==
		NULL) {
		log_warn("cannot open '%s'", ERRMSG_QUOTE(conf->pcap));
		return UT_EXIT_ERROR;
	}
	log_warnx(
	    "listening on %s", sock_local_name(st->fd, name, sizeof name));
	if (getsockname(st->fd, (struct sockaddr *)&ss, &len) == 0)
		st->localport = addr_get_port((struct sockaddr *)&ss);
	out_init(&st->out, stdout, conf->fmt == OUT_FMT_JSON);
	if (conf->interactive)
		linefeed_init(&st->feed, STDIN_FILENO, st->line,
		    sizeof st->line, ls_piped_line, st);
	return UT_EXIT_OK;
}

/* Returns the milliseconds -w leaves, -1 without -w, -2 when it is over. */
static int
ls_left_ms(const struct ls_state *st)
{
	double left;

	if (st->conf->wait <= 0)
		return -1;
	left = st->deadline - ls_now();
	return left <= 0 ? -2 : (int)(left * 1000) + 1;
}

/* Fills pfd with the socket, and stdin when it is to be read; returns how many. */
static int
ls_pollfds(const struct ls_state *st, struct pollfd *pfd)
{
	pfd[0].fd = st->fd;
	pfd[0].events = POLLIN;
	if (!linefeed_wanted(&st->feed))
		return 1;
	pfd[1].fd = STDIN_FILENO;
	pfd[1].events = POLLIN;
	return 2;
}

/*
 * Reads stdin and the socket as poll found them ready; returns 0 to go on,
 * 1 when -c is reached, -1 on an error.
 */
static int
ls_ready(struct ls_state *st, const struct pollfd *pfd, int nfd)
{
	int r;

	if (nfd == 2 && (pfd[1].revents & (POLLIN | POLLHUP | POLLERR)))
		linefeed_read(&st->feed);
	if (!(pfd[0].revents & POLLIN))
		return 0;
	r = ls_receive(st);
	if (r < 0)
		return -1;
	if (st->conf->count > 0 && st->tally.dgrams >= st->conf->count)
		return 1;
	return 0;
}

/* Says what was never sent, and prints the summary. */
static void
ls_finish(struct ls_state *st)
{
	if (st->feed.held)
		log_warnx("line %llu and the lines after it not sent: no "
			  "sender came",
		    (unsigned long long)st->ans.lines + 1);
	ls_print_summary(st, st->conf);
}

static int
cmd_listen_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static uint8_t buf[LS_BUFSIZE];
	static struct ls_state st;
	struct ls_conf *conf;
	struct addr_spec spec;
	struct pollfd pfd[2];
	int family, r, status, nfd, timeout, prompted = 0;

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
	st.ans.ttl = st.ans.tos = -1;
	st.ans.peer.lock = conf->lock;
	if ((status = ls_open(&st, family, &spec)) != UT_EXIT_OK)
		goto out;

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
		timeout = ls_left_ms(&st);
		if (timeout == -2) {
			if (st.tally.dgrams == 0)
				status = UT_EXIT_NEGATIVE;
			break;
		}
		nfd = ls_pollfds(&st, pfd);
		r = sig_ppoll(pfd, (nfds_t)nfd, timeout);
		if (r == -1) {
			if (errno == EINTR)
				continue;
			log_warn("poll");
			status = UT_EXIT_ERROR;
			break;
		}
		r = ls_ready(&st, pfd, nfd);
		if (r == -1)
			status = UT_EXIT_ERROR;
		if (r != 0)
			break;
	}
	sig_unblock();
	ls_finish(&st);
out:
	sig_restore(ls_signals);
	if (capture_close(st.ans.cap) == -1) {
		log_warn("cannot write to '%s'", ERRMSG_QUOTE(conf->pcap));
		status = UT_EXIT_ERROR;
	}
	if (st.fd > 0)
		close(st.fd);
	srctab_free(&st.tally.tab);
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
