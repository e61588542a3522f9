/* SPDX-License-Identifier: ISC */
/*
 * "udptool send": a UDP client that sends from arguments, standard input or
 * an interactive prompt, and tells replies, ICMP errors and silence apart.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/types.h>

#include <net/if.h>
#include <netinet/in.h>

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "capture.h"
#include "client.h"
#include "clirun.h"
#include "clitalk.h"
#include "errmsg.h"
#include "expect.h"
#include "frame.h"
#include "log.h"
#include "num.h"
#include "output.h"
#include "payload.h"
#include "replay.h"
#include "sig.h"
#include "udptool.h"

#define SEND_ERRLEN 512

enum {
	OPT_ANY_SOURCE = 256,
	OPT_TTL,
	OPT_TOS,
	OPT_DF,
	OPT_IF,
	OPT_LOOP,
	OPT_RATE,
	OPT_SIZE,
	OPT_REPLIES,
	OPT_EXPECT,
	OPT_EXPECT_HEX,
	OPT_FRAME,
	OPT_NO_GSO,
	OPT_CRLF,
	OPT_EOL,
	OPT_PCAP,
	OPT_REPLAY,
	OPT_SPEED,
	OPT_REPLAY_PORT,
};

static const struct cmd_opt send_options[] = {
    {'4', "ipv4", no_argument, NULL, "IPv4 only"},
    {'6', "ipv6", no_argument, NULL, "IPv6 only"},
    {'b', "broadcast", no_argument, NULL,
	"allow sending to a broadcast address"},
    {'c', "count", required_argument, "N",
	"send N datagrams (1 s apart unless -i/--rate)"},
    {'D', "timestamps", no_argument, NULL,
	"print reply times as epoch seconds"},
    {'e', "escapes", no_argument, NULL,
	"payloads use C escapes (\\n \\t \\0 \\xNN \\\\)"},
    {'X', "hex", no_argument, NULL, "payloads are hex bytes (de:ad be ef)"},
    {'i', "interval", required_argument, "S", "seconds between datagrams"},
    {OPT_RATE, "rate", required_argument, "PPS",
	"datagrams per second, paced (0: no limit)"},
    {'j', "json", no_argument, NULL, "one JSON object per line"},
    {'x', "hexdump", no_argument, NULL, "print replies as a hexdump"},
    {'r', "raw", no_argument, NULL, "print reply payloads only"},
    {'s', "source", required_argument, "A[:P]",
	"bind the source address (and port)"},
    {'p', "port", required_argument, "PORT", "bind the source port"},
    {'q', "quiet", no_argument, NULL, "no summary"},
    {'v', "verbose", no_argument, NULL,
	"report each datagram sent, reply TTL/TOS"},
    {'w', "wait", required_argument, "S",
	"wait S seconds for replies (default 2)"},
    {OPT_ANY_SOURCE, "any-source", no_argument, NULL,
	"accept replies from any address"},
    {OPT_TTL, "ttl", required_argument, "N", "TTL (hop limit), 1-255"},
    {OPT_TOS, "tos", required_argument, "N", "TOS (traffic class), 0-255"},
    {OPT_DF, "df", no_argument, NULL, "set don't-fragment"},
    {OPT_IF, "if", required_argument, "IFACE", "send multicast out of IFACE"},
    {OPT_LOOP, "loop", no_argument, NULL, "receive own multicast datagrams"},
    {OPT_SIZE, "size", required_argument, "N",
	"pad (or generate) payloads to N bytes"},
    {OPT_NO_GSO, "no-gso", no_argument, NULL,
	"-c N --rate 0: one send per datagram, no\n"
	"segmentation offload (UDP_SEGMENT)"},
    {OPT_REPLIES, "replies", required_argument, "N", "stop after N replies"},
    {OPT_EXPECT, "expect", required_argument, "RE",
	"exit 0 only if a reply matches RE (ERE)"},
    {OPT_EXPECT_HEX, "expect-hex", required_argument, "B",
	"exit 0 only if a reply contains bytes B"},
    {OPT_FRAME, "frame", required_argument, "F",
	"stdin framing: line, nul, size:N, whole"},
    {OPT_CRLF, "crlf", no_argument, NULL,
	"end each line sent with \\r\\n (nc -C)"},
    {OPT_EOL, "eol", no_argument, NULL, "keep each line's \\n, as nc sends it"},
    {OPT_PCAP, "pcap", required_argument, "FILE",
	"record every datagram in and out as pcapng"},
    {OPT_REPLAY, "replay", required_argument, "FILE",
	"send the UDP payloads of a pcap or pcapng\n"
	"capture, with its timing"},
    {OPT_SPEED, "speed", required_argument, "X",
	"--replay X times as fast (default 1)"},
    {OPT_REPLAY_PORT, "replay-port", required_argument, "PORT",
	"--replay only datagrams from or to PORT"},
    {0, NULL, 0, NULL, NULL},
};

struct send_state {
	struct cmd_ctx *ctx;
	struct client cl; /* the socket, the peers, what came back */
	int quiet;
	/* -e/-X, --crlf/--eol, --size: how a message or line is made a datagram. */
	struct frame_shape sh;
	struct payload_frame frame;

	int family;
	struct addr_spec dest;
	struct addr_spec source;
	int have_source;

	/* Options. */
	long count;
	int count_set;
	double interval; /* seconds between datagrams; 0: as fast as possible */
	int interval_set;
	uint8_t *sbuf;

	const char *pcap; /* --pcap: the file, opened into cl.cap */
	const char *replay_path; /* --replay */
	struct replay replay;
	double speed; /* -1: no --speed */
	int replay_port;
};

/* What the options say that is checked once all are read. */
struct send_args {
	const char *source, *port, *frame;
	double rate; /* -1: no --rate */
	int mode_set; /* -e or -X given */
};

/*
 * send_opt_*() return 0, SEND_OPT_OTHER for an option of another group,
 * or else an error they reported.
 */
#define SEND_OPT_OTHER (-2)

/* The options of what is sent: payload syntax, framing, line ends, size. */
static int
send_opt_payload(struct send_state *s, struct send_args *a, int ch)
{
	struct cmd_ctx *ctx = s->ctx;
	enum payload_mode mode;
	long long v;

	switch (ch) {
	case 'e':
	case 'X':
		mode = ch == 'e' ? PAYLOAD_ESCAPES : PAYLOAD_HEX;
		if (a->mode_set && s->sh.mode != mode)
			return cmd_usage_error(
			    ctx, "-e and -X exclude each other");
		s->sh.mode = mode;
		a->mode_set = 1;
		return 0;
	case OPT_SIZE:
		if (cmd_opt_int(ctx, "size", optarg, 0, PAYLOAD_MAX, 0, &v) ==
		    -1)
			return -1;
		s->sh.size = (long)v;
		return 0;
	case OPT_FRAME:
		a->frame = optarg;
		return 0;
	case OPT_CRLF:
	case OPT_EOL:
		if (s->sh.eol != NULL &&
		    strcmp(s->sh.eol, ch == OPT_CRLF ? "\r\n" : "\n") != 0)
			return cmd_usage_error(
			    ctx, "--crlf and --eol exclude each other");
		s->sh.eol = ch == OPT_CRLF ? "\r\n" : "\n";
		return 0;
	}
	return SEND_OPT_OTHER;
}

/* --expect and --expect-hex: what a reply must hold. */
static int
send_opt_expect(struct send_state *s, int ch)
{
	char err[SEND_ERRLEN], show[256];

	if (ch != OPT_EXPECT && ch != OPT_EXPECT_HEX)
		return SEND_OPT_OTHER;
	if (s->cl.expect.kind != EXPECT_NONE)
		return cmd_usage_error(s->ctx,
		    "--expect and --expect-hex take one pattern between them");
	if (ch == OPT_EXPECT &&
	    expect_set_re(&s->cl.expect, optarg, err, sizeof err) == -1)
		return cmd_usage_error(s->ctx,
		    "invalid --expect regular expression '%s': %s",
		    errmsg_quote(optarg, show, sizeof show), err);
	if (ch == OPT_EXPECT_HEX &&
	    expect_set_hex(&s->cl.expect, optarg, err, sizeof err) == -1)
		return cmd_usage_error(s->ctx, "invalid --expect-hex '%s': %s",
		    errmsg_quote(optarg, show, sizeof show), err);
	return 0;
}

/* The options of how many, how fast, how long, and what is printed. */
static int
send_opt_flow(struct send_state *s, struct send_args *a, int ch)
{
	struct cmd_ctx *ctx = s->ctx;
	char show[256];
	long long v;

	switch (ch) {
	case 'c':
		if (cmd_opt_int(ctx, "count", optarg, 1, LONG_MAX, 0, &v) == -1)
			return -1;
		s->count = (long)v;
		s->count_set = 1;
		return 0;
	case 'i':
		if (cmd_opt_seconds(ctx, "interval", optarg, 0, 86400, 0,
			&s->interval) == -1)
			return -1;
		s->interval_set = 1;
		return 0;
	case OPT_RATE:
		if (num_double(optarg, 0, 1e9, &a->rate, NULL) == -1)
			return cmd_usage_error(ctx,
			    "invalid rate '%s' "
			    "(datagrams per second, 0 for no limit)",
			    errmsg_quote(optarg, show, sizeof show));
		return 0;
	case 'w':
		return cmd_opt_seconds(
		    ctx, "wait", optarg, 0, 86400, 0, &s->cl.wait);
	case OPT_REPLIES:
		if (cmd_opt_int(
			ctx, "reply count", optarg, 1, LONG_MAX, 0, &v) == -1)
			return -1;
		s->cl.replies_max = (unsigned long long)v;
		return 0;
	case OPT_NO_GSO:
		s->cl.no_gso = 1;
		return 0;
	case 'j':
	case 'x':
	case 'r':
		s->cl.fmt = ch == 'j' ? OUT_FMT_JSON
		    : ch == 'x'	      ? OUT_FMT_HEX
				      : OUT_FMT_RAW;
		return 0;
	case 'q':
		s->quiet = 1;
		return 0;
	case 'v':
		s->cl.verbose = 1;
		return 0;
	case 'D':
		s->cl.timestamps = 1;
		return 0;
	}
	return SEND_OPT_OTHER;
}

/* The options of the socket: family, addresses, IP header, multicast. */
static int
send_opt_net(struct send_state *s, struct send_args *a, int ch)
{
	struct cmd_ctx *ctx = s->ctx;
	char show[256];
	long long v;

	switch (ch) {
	case '4':
	case '6':
		s->family = ch == '4' ? AF_INET : AF_INET6;
		return 0;
	case 'b':
		s->cl.so.broadcast = 1;
		return 0;
	case 'p':
		a->port = optarg;
		return 0;
	case 's':
		a->source = optarg;
		return 0;
	case OPT_ANY_SOURCE:
		s->cl.any_source = 1;
		return 0;
	case OPT_TTL:
		if (cmd_opt_int(ctx, "TTL", optarg, 1, 255, 0, &v) == -1)
			return -1;
		s->cl.so.ttl = (int)v;
		return 0;
	case OPT_TOS:
		if (cmd_opt_int(ctx, "TOS", optarg, 0, 255, NUM_HEX, &v) == -1)
			return -1;
		s->cl.so.tos = (int)v;
		return 0;
	case OPT_DF:
		s->cl.so.df = 1;
		return 0;
	case OPT_IF:
		s->cl.so.ifname = optarg;
		s->cl.so.ifindex = if_nametoindex(optarg);
		if (s->cl.so.ifindex == 0)
			return cmd_usage_error(ctx, "unknown interface '%s'",
			    errmsg_quote(optarg, show, sizeof show));
		return 0;
	case OPT_LOOP:
		s->cl.so.loop = 1;
		return 0;
	}
	return SEND_OPT_OTHER;
}

/* --pcap, and --replay with its pace and port. */
static int
send_opt_capture(struct send_state *s, int ch)
{
	char show[256];
	long long v;

	switch (ch) {
	case OPT_PCAP:
		s->pcap = optarg;
		return 0;
	case OPT_REPLAY:
		s->replay_path = optarg;
		return 0;
	case OPT_SPEED:
		if (num_double(optarg, 1e-6, 1e6, &s->speed, NULL) == -1)
			return cmd_usage_error(s->ctx,
			    "invalid speed '%s' (a factor above 0: 2 replays "
			    "twice as fast)",
			    errmsg_quote(optarg, show, sizeof show));
		return 0;
	case OPT_REPLAY_PORT:
		if (cmd_opt_int(
			s->ctx, "--replay-port", optarg, 1, 65535, 0, &v) == -1)
			return -1;
		s->replay_port = (int)v;
		return 0;
	}
	return SEND_OPT_OTHER;
}

/*
 * Reads the options into s and a.  Returns -1 to go on, or the exit
 * status to leave with (--help, or an error already reported).
 */
static int
send_parse_options(
    struct send_state *s, struct send_args *a, int argc, char **argv)
{
	int ch, rc;

	while ((ch = cmd_getopt(s->ctx, argc, argv)) != -1) {
		rc = send_opt_payload(s, a, ch);
		if (rc == SEND_OPT_OTHER)
			rc = send_opt_expect(s, ch);
		if (rc == SEND_OPT_OTHER)
			rc = send_opt_flow(s, a, ch);
		if (rc == SEND_OPT_OTHER)
			rc = send_opt_net(s, a, ch);
		if (rc == SEND_OPT_OTHER)
			rc = send_opt_capture(s, ch);
		if (rc == SEND_OPT_OTHER)
			return cmd_common_option(s->ctx, ch);
		if (rc != 0)
			return UT_EXIT_ERROR;
	}
	return -1;
}

/*
 * Checks the options together and reads the destination from the words
 * after them, *usedp the number it took.  Returns 0, or 2 after a message.
 */
static int
send_settle(struct send_state *s, const struct send_args *a, int argc,
    char **argv, int *usedp)
{
	char err[SEND_ERRLEN];
	int limit, used, r;

	if (argc < 1)
		return cmd_usage_error(s->ctx, "missing HOST:PORT");
	if (a->rate >= 0 && s->interval_set)
		return cmd_usage_error(s->ctx,
		    "-i and --rate are two ways of saying the same thing; "
		    "give one");
	if (a->rate >= 0) {
		s->interval = a->rate > 0 ? 1.0 / a->rate : 0;
		s->interval_set = 1;
	}
	limit = s->sh.mode == PAYLOAD_TEXT ? PAYLOAD_MAX : 4 * PAYLOAD_MAX + 64;
	if (payload_frame_parse(
		a->frame, (size_t)limit, &s->frame, err, sizeof err) == -1)
		return cmd_usage_error(s->ctx, "%s", err);
	if (s->sh.eol != NULL && s->frame.kind != PAYLOAD_FRAME_LINE)
		return cmd_usage_error(s->ctx,
		    "--%s ends lines: it needs --frame line",
		    s->sh.eol[0] == '\r' ? "crlf" : "eol");
	/*
	 * HOST:PORT, or HOST PORT as nc takes it when the first word is no
	 * address alone: "send host:9000 9000" sends "9000".
	 */
	used = addr_parse_args(
	    argc, (const char *const *)argv, 0, &s->dest, err, sizeof err);
	if (used == -1)
		return cmd_usage_error(s->ctx, "%s", err);
	*usedp = used;
	/* -s and -p: the source address and port. */
	r = addr_source_opts(a->source, a->port, &s->source, err, sizeof err);
	if (r == -1)
		return cmd_usage_error(s->ctx, "%s", err);
	s->have_source = r;
	return 0;
}

/*
 * Decodes the message words (nwords of them) or the --size payload into
 * s->sbuf, before the network is touched: bad input is exit 2.  Returns
 * 0 with the length in *len, or 2 after a message.
 */
static int
send_message(struct send_state *s, int nwords, char **words, size_t *len)
{
	char err[SEND_ERRLEN];
	ssize_t n;

	n = frame_message(nwords, (const char *const *)words, s->sh.mode,
	    s->sh.size, s->sbuf, err, sizeof err);
	if (n == -2) {
		log_warn("malloc");
		return UT_EXIT_ERROR;
	}
	if (n < 0)
		return cmd_usage_error(s->ctx, "invalid payload: %s", err);
	*len = (size_t)n;
	/* ping's habit: repeated probes are a second apart. */
	if (s->count > 1 && !s->interval_set)
		s->interval = 1;
	return 0;
}

/*
 * Checks the --replay options against the rest (nwords message words) and
 * loads the capture.  Returns 0, or 2 having said why.
 */
static int
send_replay_check(struct send_state *s, int nwords)
{
	char err[SEND_ERRLEN];
	struct replay *rp = &s->replay;

	if (s->replay_path == NULL) {
		if (s->speed < 0 && s->replay_port == 0)
			return 0;
		return cmd_usage_error(s->ctx, "--%s needs --replay FILE",
		    s->speed >= 0 ? "speed" : "replay-port");
	}
	if (nwords > 0 || s->sh.size >= 0 || s->count_set)
		return cmd_usage_error(s->ctx,
		    "--replay sends the datagrams of its file: no message, "
		    "-c or --size");
	if (s->speed >= 0 && s->interval_set)
		return cmd_usage_error(s->ctx,
		    "--speed scales the capture's timing, -i and --rate "
		    "replace it: give one");
	if (replay_load(rp, s->replay_path, s->replay_port, err, sizeof err) ==
	    -1) {
		log_warnx("cannot replay '%s': %s",
		    ERRMSG_QUOTE(s->replay_path), err);
		return UT_EXIT_ERROR;
	}
	if (s->speed < 0)
		s->speed = 1;
	if (!s->quiet || rp->n == 0)
		log_warnx(
		    "%s", replay_describe(rp, s->replay_path, err, sizeof err));
	if (rp->n > 0)
		return 0;
	log_warnx("nothing to replay in '%s'", ERRMSG_QUOTE(s->replay_path));
	return UT_EXIT_ERROR;
}

static void
send_state_free(struct send_state *s)
{
	replay_free(&s->replay);
	client_free(&s->cl);
	free(s->sbuf);
	free(s);
}

/*
 * Sends as the options say: at the prompt when interactive (/to
 * reopening the socket as send opened it), else the capture (--replay), the message (len bytes, of nwords words) or
 * standard input.  Returns 0, or -1 after a local error.
 */
static int
send_run(struct send_state *s, int interactive, int nwords, size_t len)
{
	struct clitalk ct = {.cl = &s->cl,
	    .sh = s->sh,
	    .family = s->family,
	    .source = s->have_source ? &s->source : NULL,
	    .dest = &s->dest, /* /to replaces it */
	    .quiet = s->quiet,
	    .interval = s->interval};
	int rc = 0;

	if (interactive)
		return clitalk_run(&ct);
	client_block(&s->cl);
	if (s->replay_path != NULL)
		client_run_replay(&s->cl, &s->replay, s->speed,
		    s->interval_set ? s->interval : -1);
	else if (nwords > 0 || s->sh.size >= 0)
		client_run_args(&s->cl, s->sbuf, len,
		    (unsigned long long)s->count, s->interval);
	else
		rc = client_run_stdin(&s->cl, &s->frame, &s->sh,
		    s->count_set ? (unsigned long long)s->count : 0,
		    s->interval);
	client_unblock(&s->cl);
	return rc;
}

/* Returns a run state with every option at its default, or NULL. */
static struct send_state *
send_state_new(struct cmd_ctx *ctx)
{
	struct send_state *s;

	s = calloc(1, sizeof *s);
	if (s == NULL)
		return NULL;
	s->ctx = ctx;
	s->family = AF_UNSPEC;
	s->count = 1;
	s->sh.decode = 1;
	s->sh.mode = PAYLOAD_TEXT;
	s->sh.size = -1;
	s->speed = -1;
	s->sbuf = malloc(PAYLOAD_MAX);
	if (client_init(&s->cl) == -1 || s->sbuf == NULL) {
		send_state_free(s);
		return NULL;
	}
	return s;
}

static int
cmd_send_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct send_state *s;
	struct send_args a = {NULL, NULL, "line", -1, 0};
	int rc, status = UT_EXIT_ERROR, interactive = 0, used = 0;
	size_t len = 0;

	s = send_state_new(ctx);
	if (s == NULL) {
		log_warn("malloc");
		goto out;
	}
	if ((status = send_parse_options(s, &a, argc, argv)) != -1)
		goto out;
	status = UT_EXIT_ERROR;
	argc -= optind;
	argv += optind;
	if (send_settle(s, &a, argc, argv, &used) != 0)
		goto out;
	argc -= used - 1;
	argv += used - 1;
	if (send_replay_check(s, argc - 1) != 0)
		goto out;
	if (s->replay_path == NULL && (argc > 1 || s->sh.size >= 0)) {
		if (send_message(s, argc - 1, argv + 1, &len) != 0)
			goto out;
	} else if (s->replay_path == NULL)
		interactive = isatty(STDIN_FILENO);
	out_init(&s->cl.out, stdout, s->cl.fmt == OUT_FMT_JSON);

	status = client_open_peer(
	    &s->cl, &s->dest, s->family, s->have_source ? &s->source : NULL);
	if (status != 0)
		goto out;
	status = UT_EXIT_ERROR;
	if (s->pcap != NULL &&
	    (s->cl.cap = capture_open_socket(s->pcap, "send", s->cl.fd)) ==
		NULL) {
		log_warn("cannot open '%s'", ERRMSG_QUOTE(s->pcap));
		goto out;
	}
	client_ask_meta(&s->cl);
	if (client_catch(&s->cl) == -1)
		goto out;
	rc = send_run(s, interactive, argc - 1, len);
	client_release();
	if (!s->quiet)
		client_summary_dest(&s->cl, &s->dest, stderr);
	if (rc == -1)
		s->cl.local_error = 1;
	client_verdict(&s->cl, s->quiet, interactive);
	status = client_exit_status(&s->cl);
out:
	if (s != NULL && capture_close(s->cl.cap) == -1) {
		log_warn("cannot write to '%s'", ERRMSG_QUOTE(s->pcap));
		status = UT_EXIT_ERROR;
	}
	if (s != NULL)
		send_state_free(s);
	return status;
}

const struct cmd_entry cmd_send_entry = {
    .name = "send",
    .usage = "[-46bDejqrvxX] [-c count] [-i interval] [-w wait] "
	     "[-s source] [-p port] [options] host:port [message ...]",
    .summary = "send datagrams, interactively or from stdin, and show replies",
    .help = "Sends MESSAGE (the arguments joined by spaces) as one datagram;\n"
	    "without one, sends standard input (one datagram per line), or\n"
	    "opens a prompt when standard input is a terminal.\n",
    .options = send_options,
    .notes =
	"A message \"@FILE\" sends the file; \"@@...\" is text starting with "
	"@.\n"
	"Prompt commands: /help /hex /file /repeat /to /ttl /tos /wait\n"
	"/stats /quit; // sends a line starting with a slash.\n",
    .exec = cmd_send_exec,
};
