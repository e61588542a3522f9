/* SPDX-License-Identifier: ISC */
/*
 * "udptool listen": show every datagram from every sender with its kernel
 * timestamp and addresses, join multicast groups, and talk back on request.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/types.h>

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "answer.h"
#include "capture.h"
#include "errmsg.h"
#include "linefeed.h"
#include "log.h"
#include "output.h"
#include "payload.h"
#include "prompt.h"
#include "sendline.h"
#include "sig.h"
#include "show.h"
#include "sock.h"
#include "srctab.h"
#include "talk.h"
#include "ticks.h"
#include "udptool.h"

#define LS_BUFSIZE 65536 /* larger than any UDP payload */
#define LS_TOP 5
#define LS_SOURCES 4096
/* Default SO_RCVBUF: room for a burst of about 4000 small datagrams. */
#define LS_RCVBUF (4 << 20)
#define LS_RCVBUF_MAX (1 << 30)

struct ls_conf {
	struct show_style show; /* -x, -r, -j, -D, --meta */
	unsigned long long count; /* 0: no limit */
	double wait; /* idle seconds, 0: none */
	size_t bufsize;
	int rcvbuf; /* SO_RCVBUF asked for */
	int rcvbuf_set; /* --rcvbuf given: say when it is not granted */
	struct addr_joins joins; /* --join, --join-source */
	int interactive;
	struct payload_lines lines; /* how --interactive lines are spelled */
	const char *to;
	int lock; /* --lock: only the first sender is ever answered */
	int quiet; /* -q: no notices of where lines go */
	const char *pcap; /* --pcap FILE */
};

struct ls_state {
	int fd;
	const struct ls_conf *conf;
	uint8_t rbuf[LS_BUFSIZE]; /* for received datagrams */
	struct out out;
	struct show_tally tally; /* what was received, and from whom */
	struct answer ans; /* whom lines go to, how many went */
	char line[ANSWER_LINE_MAX];
	struct linefeed feed; /* lines from a pipe, when not a terminal */
	uint16_t localport;
	uint64_t deadline; /* -w: ticks_now_ns() to give up at, 0: none */
	int status;
	struct talk talk; /* the prompt session: /repeat, ^C */
};

/* SIGINT and SIGTERM stop, SIGUSR1 asks for a summary. */
static const int ls_signals[] = {SIGINT, SIGTERM, SIGUSR1, 0};

/* The summary: one more JSON line on stdout with -j, else a line on stderr. */
static void
ls_print_summary(struct ls_state *st, const struct ls_conf *conf)
{
	struct out o;

	show_summary_open(
	    &o, &conf->show, &st->tally, sock_kernel_drops(st->fd));
	if (conf->interactive)
		answer_summary(&o, &st->ans);
	show_summary_end(&o, &st->tally, LS_TOP);
}

/*
 * Receives and shows one datagram if one is queued.  Returns 1 when one was
 * shown, 2 when it was the last -c asks for, 0 when none was waiting, -1
 * when receiving or writing to standard output failed (st->status says so).
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
		answer_hold(&st->ans);
		log_warn("recvmsg");
		st->status = UT_EXIT_ERROR;
		return -1;
	}
	if (m.tolen > 0)
		addr_set_port((struct sockaddr *)&m.to, st->localport);
	answer_record_in(&st->ans, &m, buf, (size_t)n);
	answer_hold(&st->ans);
	show_datagram(&st->out, &st->tally, &conf->show, buf, (size_t)n, &m);
	/* Nobody can see the datagrams any more: stop (main() says why). */
	if (out_stdout_flush() == -1) {
		st->status = UT_EXIT_ERROR;
		return -1;
	}
	answer_track(&st->ans, &m, conf->interactive);
	linefeed_release(&st->feed);
	st->deadline = ticks_deadline(conf->wait);
	return conf->count > 0 && st->tally.dgrams >= conf->count ? 2 : 1;
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
	struct ls_state *st = ((struct answer *)arg)->owner;

	ls_print_summary(st, st->conf);
}

static void
ls_on_ready(void *arg, int fd, short revents)
{
	struct ls_state *st = ((struct answer *)arg)->owner;
	int i, r;

	(void)fd;
	(void)revents;
	/* A bounded batch, so that typing stays responsive under a flood. */
	for (i = 0, r = 1; i < 64 && r == 1; i++)
		r = ls_receive(st);
	if (r < 0 || r == 2)
		prompt_stop(st->ans.prompt);
	if (r >= 0)
		answer_set_prompt(&st->ans);
}

static int
ls_timer_ms(void *arg)
{
	struct ls_state *st = ((struct answer *)arg)->owner;

	return sig_pending(SIGUSR1) ? 0 : ticks_left_ms(st->deadline);
}

/*
 * What the wait brings besides datagrams: the SIGUSR1 summary, and the end
 * of -w (status 1 if nothing arrived at all); returns 1 when -w is over.
 */
static int
ls_tick(struct ls_state *st)
{
	if (sig_take(SIGUSR1)) {
		answer_hold(&st->ans);
		ls_print_summary(st, st->conf);
	}
	if (ticks_left_ms(st->deadline) != 0)
		return 0;
	if (st->tally.dgrams == 0)
		st->status = UT_EXIT_NEGATIVE;
	st->deadline = 0;
	return 1;
}

static void
ls_on_timer(void *arg)
{
	struct ls_state *st = ((struct answer *)arg)->owner;

	if (ls_tick(st))
		prompt_stop(st->ans.prompt);
}

/* --interactive on a terminal: the prompt, with datagrams shown above it. */
static int
ls_prompt_run(struct ls_state *st)
{
	static struct talk_ops ops;
	struct talk_config cfg;

	/* What answers is shared; the wait, stats and timers are listen's. */
	answer_talk_config(&st->ans, &cfg, &ops);
	ops.wait = ls_talk_wait;
	ops.stats = ls_talk_stats;
	ops.on_ready = ls_on_ready;
	ops.timer_ms = ls_timer_ms;
	ops.on_timer = ls_on_timer;
	if (answer_talk_run(&st->ans, &st->talk, &cfg) == -1)
		st->status = UT_EXIT_ERROR;
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

/* --join and --join-source: at most ADDR_JOIN_MAX each; returns 0 or -1. */
static int
ls_opt_join(struct ls_conf *conf, int ch, const char *arg)
{
	char err[ADDR_ERRLEN];

	if (addr_joins_add(
		&conf->joins, ch == OPT_JOIN_SOURCE, arg, err, sizeof err) == 0)
		return 0;
	if (errno == E2BIG)
		log_warnx("too many %s (at most %d)",
		    ch == OPT_JOIN ? "--join groups"
				   : "--join-source addresses",
		    ADDR_JOIN_MAX);
	else
		log_warnx("%s", err);
	return -1;
}

/* How lines are spelled (-e, -X) and ended (--crlf, --eol); 0 or -1. */
static int
ls_opt_line(struct ls_conf *conf, int ch)
{
	const char *errstr;
	int r;

	if (ch == 'e' || ch == 'X')
		r = payload_lines_mode(&conf->lines,
		    ch == 'e' ? PAYLOAD_ESCAPES : PAYLOAD_HEX, &errstr);
	else
		r = payload_lines_eol(
		    &conf->lines, ch == OPT_CRLF ? "\r\n" : "\n", &errstr);
	if (r == -1)
		log_warnx("%s", errstr);
	return r;
}

/* The options that only mean something with another; 0 or -1. */
static int
ls_check(const struct ls_conf *conf)
{
	if (conf->lines.mode_set && !conf->interactive) {
		log_warnx("-%c decodes the lines --interactive sends: add "
			  "--interactive or --to",
		    conf->lines.mode == PAYLOAD_HEX ? 'X' : 'e');
		return -1;
	}
	if (conf->lines.eol != NULL && !conf->interactive) {
		log_warnx("--%s ends the lines --interactive sends: add "
			  "--interactive or --to",
		    conf->lines.eol[0] == '\r' ? "crlf" : "eol");
		return -1;
	}
	if (conf->lock && !conf->interactive) {
		log_warnx("--lock chooses whom --interactive answers: add "
			  "--interactive");
		return -1;
	}
	if (conf->joins.nsources > 0 && conf->joins.ngroups == 0) {
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
	conf->show.fmt = OUT_FMT_TEXT;
	conf->show.prefix = "udptool: listen: ";
	conf->show.fix = "--rcvbuf";
	conf->lines.mode = PAYLOAD_TEXT;
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
			conf->show.numeric_time = 1;
			break;
		case 'x':
		case 'r':
		case 'j':
			conf->show.fmt = ch == 'j' ? OUT_FMT_JSON
			    : ch == 'x'		   ? OUT_FMT_HEX
						   : OUT_FMT_RAW;
			break;
		case 'e':
		case 'X':
		case OPT_CRLF:
		case OPT_EOL:
			r = ls_opt_line(conf, ch);
			break;
		case OPT_META:
			conf->show.meta = 1;
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
	char err[ADDR_ERRLEN + 64], name[ADDR_STRLEN];
	int r;

	if (show_tally_init(&st->tally, LS_SOURCES, err, sizeof err) == -1) {
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
	r = sock_rcvbuf(st->fd, conf->rcvbuf, err, sizeof err);
	if (r == -1 || (r == 1 && conf->rcvbuf_set))
		log_warnx("%s", err);
	if (r == -1)
		return UT_EXIT_ERROR;
	if (sock_enable_meta(st->fd,
		SOCK_META_PKTINFO | SOCK_META_TIMESTAMP | SOCK_META_DROPS |
		    (conf->show.meta ? SOCK_META_TTL : 0)) == -1) {
		log_warn("cannot ask for datagram metadata");
		return UT_EXIT_ERROR;
	}
	if (sock_join_groups(st->fd, &conf->joins, err, sizeof err) == -1) {
		log_warnx("%s", err);
		return UT_EXIT_ERROR;
	}
	if (conf->pcap != NULL &&
	    (st->ans.cap = capture_open_socket(conf->pcap, "listen", st->fd)) ==
		NULL) {
		log_warn("cannot open '%s'", ERRMSG_QUOTE(conf->pcap));
		return UT_EXIT_ERROR;
	}
	if (conf->to != NULL && answer_set_to_text(&st->ans, conf->to) == -1)
		return errno == ENOENT ? UT_EXIT_NEGATIVE : UT_EXIT_ERROR;
	log_warnx(
	    "listening on %s", sock_local_name(st->fd, name, sizeof name));
	st->localport = sock_local_port(st->fd);
	out_init(&st->out, stdout, conf->show.fmt == OUT_FMT_JSON);
	if (conf->interactive)
		linefeed_init(&st->feed, STDIN_FILENO, st->line,
		    sizeof st->line, answer_piped_line, &st->ans);
	return UT_EXIT_OK;
}

/*
 * Without a prompt: datagrams, and lines from a pipe with --interactive;
 * returns the exit status.
 */
static int
ls_pipe_run(struct ls_state *st)
{
	int r;

	/*
	 * The stop and report signals stay blocked but inside sig_ppoll(),
	 * so one that comes between the check of its flag and the wait
	 * cannot be missed (and leave a listen without -w waiting forever).
	 */
	sig_block();
	while (!sig_pending(SIGINT) && !sig_pending(SIGTERM) && !ls_tick(st)) {
		r = linefeed_poll(
		    &st->feed, st->fd, ticks_left_ms(st->deadline));
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			log_warn("poll");
			st->status = UT_EXIT_ERROR;
			break;
		}
		if (r == 0)
			continue;
		r = ls_receive(st);
		if (r < 0 || r == 2)
			break;
	}
	sig_unblock();
	return st->status;
}

static int
cmd_listen_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static struct ls_state st;
	struct ls_conf *conf;
	struct addr_spec spec;
	int family, r, status;

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
	answer_init(&st.ans, &conf->lines, conf->lock, conf->quiet, &st);
	if ((status = ls_open(&st, family, &spec)) != UT_EXIT_OK)
		goto out;

	if (sig_catch(ls_signals) == -1) {
		log_warn("sigaction");
		status = UT_EXIT_ERROR;
		goto out;
	}

	st.deadline = ticks_deadline(conf->wait);
	if (conf->interactive && isatty(STDIN_FILENO))
		status = ls_prompt_run(&st);
	else
		status = ls_pipe_run(&st);
	answer_piped_end(&st.ans, &st.feed);
	ls_print_summary(&st, conf);
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
	     "[--crlf | --eol] [--buffer bytes] [--rcvbuf size] [--pcap file] "
	     "[address:]port",
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
