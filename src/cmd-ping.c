/* SPDX-License-Identifier: ISC */
/*
 * "udptool ping": ICMP echo as ping(8) does it, without root where the
 * kernel allows, and UDP round trips against any echo server (-u).
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/types.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "errmsg.h"
#include "icmp.h"
#include "log.h"
#include "num.h"
#include "output.h"
#include "pingio.h"
#include "pingout.h"
#include "pingsock.h"
#include "pingstate.h"
#include "priv.h"
#include "probe.h"
#include "sig.h"
#include "sock.h"
#include "stats.h"
#include "udptool.h"

#define PING_DEFAULT_SIZE 56
#define PING_ICMP_TIMEOUT 10000.0 /* ms, ping(8)'s linger time */
#define PING_UDP_TIMEOUT 2000.0
#define PING_RECV_BATCH 64 /* datagrams read per wakeup */

#define OPT_HISTOGRAM 256

struct ping {
	struct pingout out;
	struct pingstate ps;
	struct pingsock_conf sc;
	long long count; /* 0: until interrupted or the deadline */
	struct pingio io;
	double deadline; /* ms; 0: none */
	int adaptive, audible;
	struct ping_fd fds[PINGSOCK_MAX];
	size_t nfds;
};

/*
 * SIGINT and SIGTERM stop, SIGQUIT asks for an interim report.  They stay
 * blocked but inside sig_ppoll(): one that comes between the check of its
 * flag and the wait is not missed (with -i 60 it would wait a minute).
 */
static const int ping_signals[] = {SIGINT, SIGTERM, SIGQUIT, 0};
static int ping_stop; /* a stop signal came, or standard output failed */

/* After a line went out: one that could not stops the run. */
static void
ping_shown(int rc)
{
	/* Nobody can see the lines any more: stop (main() says why). */
	if (rc == -1)
		ping_stop = 1;
}

/* SIGQUIT's report. */
static void
ping_interim_report(struct ping *p)
{
	pingout_interim(&p->out);
}

/* Carries back what pingio saw: -a's bells, and a stop. */
static int
ping_after(struct ping *p, int rc)
{
	/* -a: a bell for each reply, as ping(8); JSON stays JSON. */
	for (; p->io.replies > 0; p->io.replies--) {
		if (p->audible && !p->out.json) {
			fputc('\a', stdout);
			if (out_stdout_flush() == -1)
				ping_stop = 1;
		}
	}
	/* Nobody can see the lines any more: stop (main() says why). */
	if (p->io.gone)
		ping_stop = 1;
	return rc;
}

/* Reads one datagram; returns 1 if there may be more, 0 if drained. */
static int
ping_recv_one(struct ping *p, const struct ping_fd *f)
{
	return ping_after(p, pingio_recv_one(&p->io, f));
}

/* Reads one queued error; returns 1 if there may be more. */
static int
ping_recv_err(struct ping *p, const struct ping_fd *f)
{
	return ping_after(p, pingio_recv_err(&p->io, f));
}

/* Reads what fd f has: a bounded batch, so a flood cannot stop probes. */
static void
ping_drain(struct ping *p, const struct ping_fd *f, short revents)
{
	int batch = 0, more;

	if (revents & POLLERR) {
		while (ping_recv_err(p, f))
			;
	}
	if (revents & (POLLIN | POLLERR)) {
		do {
			more = ping_recv_one(p, f);
			if (f->kind != PING_RAW)
				while (ping_recv_err(p, f))
					;
		} while (more && !ping_stop && ++batch < PING_RECV_BATCH);
	}
}

/*
 * Sends rounds of probes, one to each target in turn, and reads the
 * answers until the count, the deadline or a signal ends the run.
 */
static int
ping_loop(struct ping *p)
{
	struct pollfd pfd[PINGSOCK_MAX];
	double now, next_send, wake;
	uint64_t seq;
	size_t i;
	int timeout_ms, done_sending = 0;
	long long rounds = 0;

	p->ps.start = pingstate_now();
	next_send = p->ps.start;
	for (;;) {
		if (ping_stop)
			break;
		if (sig_take(SIGQUIT)) {
			ping_interim_report(p);
		}
		now = pingstate_now();
		if (p->deadline > 0 && now - p->ps.start >= p->deadline)
			break;
		for (i = 0; i < p->ps.nt; i++)
			while (p->ps.t[i].ok &&
			    stats_expire(
				p->ps.t[i].st, now, p->io.timeout, &seq))
				ping_shown(
				    pingout_timeout(&p->out, &p->ps.t[i], seq));
		/* -A: one round in flight, the next as soon as it is settled. */
		if (!done_sending && now >= next_send &&
		    (!p->adaptive || pingstate_all(&p->ps, 0))) {
			/* -O: what came since the last poll counts first. */
			for (i = 0; p->io.outstanding && i < p->nfds; i++)
				ping_drain(p, &p->fds[i], POLLIN | POLLERR);
			for (i = 0; i < p->ps.nt; i++)
				if (p->ps.t[i].ok)
					ping_after(p,
					    pingio_send(&p->io, &p->ps.t[i]));
			rounds++;
			/* No catching up after a stall: never two rounds closer than -i. */
			next_send = now + p->sc.interval;
			if (p->count > 0 && rounds >= p->count)
				done_sending = 1;
		}
		if (done_sending) {
			if (pingstate_all(&p->ps, 1))
				break;
			if (p->deadline <= 0 && pingstate_all(&p->ps, 0))
				break;
		}
		wake =
		    done_sending || (p->adaptive && !pingstate_all(&p->ps, 0))
		    ? now + 1000
		    : next_send;
		wake = pingstate_wake(&p->ps, p->io.timeout, wake);
		if (p->deadline > 0 && p->ps.start + p->deadline < wake)
			wake = p->ps.start + p->deadline;
		timeout_ms = wake > now ? (int)ceil(wake - now) : 0;
		for (i = 0; i < p->nfds; i++) {
			pfd[i].fd = p->fds[i].fd;
			pfd[i].events = POLLIN;
			pfd[i].revents = 0;
		}
		if (sig_ppoll(pfd, p->nfds, timeout_ms) == -1) {
			/* The stop signals come in only here. */
			if (sig_pending(SIGINT) || sig_pending(SIGTERM))
				ping_stop = 1;
			if (errno == EINTR)
				continue;
			log_warn("poll");
			return -1;
		}
		for (i = 0; i < p->nfds && !ping_stop; i++)
			if (pfd[i].revents != 0)
				ping_drain(p, &p->fds[i], pfd[i].revents);
	}
	return 0;
}

/*
 * Reads the targets: one word each, or with -u HOST:PORT each or one
 * HOST PORT pair.  Returns 0, or the status of a usage error (reported).
 */
static int
ping_parse_targets(struct cmd_ctx *ctx, struct ping *p, int argc, char **argv)
{
	struct ping_target *t;
	char err[ADDR_ERRLEN];
	int used, i;

	if (argc == 0)
		return cmd_usage_error(ctx, "missing host");
	if (argc > PINGSOCK_MAX)
		return cmd_usage_error(
		    ctx, "too many hosts: %d (at most %d)", argc, PINGSOCK_MAX);
	p->ps.t = calloc((size_t)argc, sizeof *p->ps.t);
	if (p->ps.t == NULL) {
		log_warn("out of memory");
		return UT_EXIT_ERROR;
	}
	for (i = 0; i < argc; i += used) {
		t = &p->ps.t[p->ps.nt++];
		t->fd = -1;
		t->name = argv[i];
		/* -u takes HOST:PORT or, as nc does, HOST PORT. */
		used = addr_parse_args(argc - i, (const char *const *)argv + i,
		    p->ps.udp ? 0 : ADDR_F_NO_PORT, &t->spec, err, sizeof err);
		if (used == -1) {
			if (!p->ps.udp &&
			    strstr(err, "unexpected port") != NULL)
				return cmd_usage_error(
				    ctx, "%s (a port means UDP: add -u)", err);
			return cmd_usage_error(ctx, "%s", err);
		}
		if (used == 2 && argc != 2)
			return cmd_usage_error(ctx,
			    "'%s %s': HOST PORT as two words is for one host "
			    "only; write HOST:PORT for several",
			    argv[i], argv[i + 1]);
		if (used == 2)
			t->name = addr_spec_format(
			    &t->spec, t->namebuf, sizeof t->namebuf);
		/* "ping HOST 7" means a port, not host 0.0.0.7. */
		if (!p->ps.udp && argv[i][0] != '\0' &&
		    strspn(argv[i], "0123456789") == strlen(argv[i]))
			return cmd_usage_error(ctx,
			    "invalid host '%s' (a port means UDP: add -u)",
			    ERRMSG_QUOTE(argv[i]));
	}
	p->ps.multi = p->ps.nt > 1;
	return 0;
}

/* The longest -i, -W or -w: what an int of milliseconds holds. */
#define PING_SECONDS_MAX 2147483.0

static const struct cmd_opt ping_options[] = {
    {'4', "ipv4", no_argument, NULL, "IPv4 only"},
    {'6', "ipv6", no_argument, NULL, "IPv6 only"},
    {'A', "adaptive", no_argument, NULL,
	"send the next probe as soon as the last one\n"
	"is answered (one in flight, -i the minimum)"},
    {'a', "audible", no_argument, NULL,
	"ring the terminal bell (BEL) on each reply"},
    {'b', "broadcast", no_argument, NULL, "allow pinging a broadcast address"},
    {'c', "count", required_argument, "N", "stop after N probes"},
    {'i', "interval", required_argument, "SEC",
	"seconds between probes (default 1; below\n"
	"0.002 only for root or CAP_NET_RAW)"},
    {'W', "timeout", required_argument, "SEC",
	"reply timeout (default 10, 2 with -u)"},
    {'w', "deadline", required_argument, "SEC",
	"stop after SEC seconds whatever happened"},
    {'s', "size", required_argument, "BYTES",
	"payload size (default 56; at least 24 with -u)"},
    {'t', "ttl", required_argument, "N", "IP time to live / hop limit"},
    {'Q', "tos", required_argument, "N", "IP type of service / traffic class"},
    {'M', "pmtudisc", required_argument, "do|dont",
	"set or clear Don't Fragment"},
    {'I', "interface", required_argument, "IF",
	"send from an interface or a source address"},
    {'O', "outstanding", no_argument, NULL,
	"say when a probe is still unanswered as the\n"
	"next one goes out"},
    {'p', "pattern", required_argument, "HEX",
	"fill the payload with up to 16 bytes, in hex"},
    {'q', "quiet", no_argument, NULL, "only the summary"},
    {'D', "timestamps", no_argument, NULL,
	"print a Unix time before each line"},
    {'j', "json", no_argument, NULL, "one JSON object per probe and a summary"},
    {'u', "udp", no_argument, NULL, "UDP round trips against an echo server"},
    {OPT_HISTOGRAM, "histogram", no_argument, NULL,
	"draw a histogram of round-trip times"},
    {'n', "numeric", no_argument, NULL, "numeric output (the default)"},
    {'v', "verbose", no_argument, NULL,
	"say which socket is used, and why replies\n"
	"are ignored"},
    {0, NULL, 0, NULL, NULL},
};

/* The exit status of a run: 1 when a target had no reply (see ping(8)). */
static int
ping_status(struct ping *p)
{
	return pingstate_negative(&p->ps, p->deadline, p->count)
	    ? UT_EXIT_NEGATIVE
	    : UT_EXIT_OK;
}

/* Numbers the run and each target, and gives each its statistics. */
static int
ping_new_targets(struct ping *p)
{
	struct timespec ts;
	uint16_t ident;

	clock_gettime(CLOCK_REALTIME, &ts);
	ident = (uint16_t)((unsigned)getpid() ^ (unsigned)(ts.tv_nsec >> 8));
	if (pingstate_number(&p->ps, ident,
		(uint32_t)getpid() * 2654435761U ^ (uint32_t)ts.tv_nsec) ==
	    -1) {
		log_warn("out of memory");
		return -1;
	}
	return 0;
}

/* -s against the largest datagram of each target's family. */
static int
ping_check_size(struct cmd_ctx *ctx, struct ping *p)
{
	size_t i, maxsize;

	for (i = 0; i < p->ps.nt; i++) {
		if (!p->ps.t[i].ok)
			continue;
		maxsize = pingstate_max_size(p->ps.t[i].family);
		if (p->ps.size > maxsize)
			return cmd_usage_error(ctx,
			    "invalid -s value '%zu' (%d-%zu for "
			    "%s)",
			    p->ps.size, p->ps.udp ? PROBE_HDRLEN : 0, maxsize,
			    p->ps.t[i].family == AF_INET6 ? "IPv6" : "IPv4");
	}
	return 0;
}

/* The summaries: a block per target, or a line each for several. */
static void
ping_report(struct ping *p)
{
	size_t i;

	if (!p->ps.multi || p->out.json) {
		for (i = 0; i < p->ps.nt; i++)
			if (p->ps.t[i].ok)
				pingout_summary(
				    &p->out, &p->ps.t[i], pingstate_now());
		return;
	}
	pingout_summary_lines(&p->out);
}

static void
ping_free(struct ping *p)
{
	size_t i;

	for (i = 0; i < p->nfds; i++)
		close(p->fds[i].fd);
	pingstate_free(&p->ps);
	pingio_free(&p->io);
}

/* ping_parse(): the options are read, the run goes on. */
#define PING_GO (-1)

/*
 * Reads the option ch that takes a value (optarg) into p.  Returns
 * PING_GO, or the exit status of a bad value (reported).
 */
static int
ping_parse_value(struct cmd_ctx *ctx, struct ping *p, int ch)
{
	char q[80];
	long long v;
	int n;

	switch (ch) {
	case 'c':
		if (cmd_opt_int(ctx, "-c value", optarg, 1, LLONG_MAX, 0,
			&p->count) == -1)
			return UT_EXIT_ERROR;
		break;
	case 'i':
		if (cmd_opt_seconds(ctx, "-i value", optarg, 0,
			PING_SECONDS_MAX, 0, &p->sc.interval) == -1)
			return UT_EXIT_ERROR;
		p->sc.interval *= 1e3;
		break;
	case 'W':
		if (cmd_opt_seconds(ctx, "-W value", optarg, 0,
			PING_SECONDS_MAX, NUM_NONZERO, &p->io.timeout) == -1)
			return UT_EXIT_ERROR;
		p->io.timeout *= 1e3;
		break;
	case 'w':
		if (cmd_opt_seconds(ctx, "-w value", optarg, 0,
			PING_SECONDS_MAX, NUM_NONZERO, &p->deadline) == -1)
			return UT_EXIT_ERROR;
		p->deadline *= 1e3;
		break;
	case 's':
		if (cmd_opt_int(ctx, "-s value", optarg, 0, 65527, 0, &v) == -1)
			return UT_EXIT_ERROR;
		p->ps.size = (size_t)v;
		break;
	case 't':
		if (cmd_opt_int(ctx, "-t value", optarg, 1, 255, 0, &v) == -1)
			return UT_EXIT_ERROR;
		p->sc.ttl = (int)v;
		break;
	case 'Q':
		/* -Q is a byte: 0x allowed, as for send --tos. */
		if (cmd_opt_int(ctx, "-Q value", optarg, 0, 255, NUM_HEX, &v) ==
		    -1)
			return UT_EXIT_ERROR;
		p->sc.tos = (int)v;
		break;
	case 'M':
		if (strcmp(optarg, "do") == 0)
			p->sc.pmtu = 1;
		else if (strcmp(optarg, "dont") == 0)
			p->sc.pmtu = 0;
		else
			return cmd_usage_error(ctx,
			    "invalid -M value '%s' (do or dont)",
			    errmsg_quote(optarg, q, sizeof q));
		break;
	case 'I':
		if (optarg[0] == '\0')
			return cmd_usage_error(ctx, "empty -I value");
		p->sc.iface = optarg;
		break;
	case 'p':
		n = icmp_parse_pattern(optarg, p->ps.pattern);
		if (n == -1)
			return cmd_usage_error(ctx,
			    "invalid -p value '%s' (1 to %d bytes in "
			    "hex digits, as ff or 0a1b2c)",
			    errmsg_quote(optarg, q, sizeof q),
			    ICMP_PATTERN_MAX);
		p->ps.patlen = (size_t)n;
		break;
	default:
		n = cmd_common_option(ctx, ch);
		return n >= 0 ? n : UT_EXIT_ERROR;
	}
	return PING_GO;
}

/* Sets the flag of option ch; returns 1, or 0 when ch is no flag. */
static int
ping_parse_flag(struct ping *p, int ch)
{
	switch (ch) {
	case '4':
		p->sc.family = AF_INET;
		break;
	case '6':
		p->sc.family = AF_INET6;
		break;
	case 'A':
		p->adaptive = 1;
		break;
	case 'a':
		p->audible = 1;
		break;
	case 'b':
		p->sc.broadcast = 1;
		break;
	case 'O':
		p->io.outstanding = 1;
		break;
	case 'q':
		p->out.quiet = 1;
		break;
	case 'D':
		p->out.timestamps = 1;
		break;
	case 'j':
		p->out.json = 1;
		break;
	case 'u':
		p->ps.udp = 1;
		break;
	case 'n':
		break; /* addresses are never looked up in reverse anyway */
	case 'v':
		p->sc.verbose = 1;
		break;
	case OPT_HISTOGRAM:
		p->out.histogram = 1;
		break;
	default:
		return 0;
	}
	return 1;
}

/*
 * Reads the options and the targets into p.  Returns PING_GO, or the
 * exit status to end with (-h, or a usage error, reported).
 */
static int
ping_parse(struct cmd_ctx *ctx, struct ping *p, int argc, char **argv)
{
	int ch, rc;

	p->sc.family = AF_UNSPEC;
	p->sc.interval = 1000;
	p->ps.size = PING_DEFAULT_SIZE;
	p->sc.ttl = p->sc.tos = p->sc.pmtu = -1;
	while ((ch = cmd_getopt(ctx, argc, argv)) != -1) {
		if (ping_parse_flag(p, ch))
			continue;
		rc = ping_parse_value(ctx, p, ch);
		if (rc != PING_GO)
			return rc;
	}
	rc = ping_parse_targets(ctx, p, argc - optind, argv + optind);
	if (rc != 0)
		return rc;
	if (p->ps.udp && p->ps.size < PROBE_HDRLEN)
		return cmd_usage_error(ctx,
		    "invalid -s value '%zu' (%d-65507 "
		    "with -u: a probe carries its number and send time)",
		    p->ps.size, PROBE_HDRLEN);
	/* -W 0 is refused, so 0 means not given. */
	if (p->io.timeout == 0)
		p->io.timeout =
		    p->ps.udp ? PING_UDP_TIMEOUT : PING_ICMP_TIMEOUT;
	return PING_GO;
}

static int
cmd_ping_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct ping p;
	size_t nok = 0;
	int rc, status, setup = 0;

	memset(&p, 0, sizeof p);
	p.out.ps = &p.ps;
	p.io.ps = &p.ps;
	p.io.out = &p.out;
	p.io.sc = &p.sc;
	status = ping_parse(ctx, &p, argc, argv);
	if (status != PING_GO)
		goto out;
	if (ping_new_targets(&p) == -1) {
		status = UT_EXIT_ERROR;
		goto out;
	}
	setup = pingsock_setup(&p.sc, &p.ps, p.fds, &p.nfds, &nok);
	/* Hosts that cannot be pinged are reported; the others still are. */
	if (nok == 0) {
		status = setup != 0 ? setup : UT_EXIT_ERROR;
		goto out;
	}
	status = ping_check_size(ctx, &p);
	if (status != 0)
		goto out;
	status = UT_EXIT_ERROR;
	if (pingio_alloc(&p.io) == -1) {
		log_warn("out of memory");
		goto out;
	}

	out_init(&p.out.o, stdout, p.out.json);
	if (!p.out.json) {
		pingout_header(&p.out);
		/* Nobody would see the replies: no probe is sent. */
		if (out_stdout_flush() == -1) {
			status =
			    errno == EPIPE ? UT_EXIT_NEGATIVE : UT_EXIT_ERROR;
			goto out;
		}
	}

	ping_stop = 0;
	if (sig_catch(ping_signals) == -1) {
		log_warn("sigaction");
		status = UT_EXIT_ERROR;
		goto out;
	}
	sig_block();
	rc = ping_loop(&p);
	sig_unblock();
	if (rc == -1)
		goto out;
	ping_report(&p);
	status = ping_status(&p);
	if (setup > status)
		status = setup;
out:
	sig_restore(ping_signals);
	ping_free(&p);
	return status;
}

const struct cmd_entry cmd_ping_entry = {
    .name = "ping",
    .usage = "[-46AabDjnOqv] [-c count] [-i interval] [-W timeout] "
	     "[-w deadline] [-s size] [-t ttl] [-Q tos] [-M do|dont] "
	     "[-p pattern] [-I interface|address] [--histogram] host ... | "
	     "-u host:port ...",
    .summary = "ICMP echo without root, or UDP round trips with statistics",
    .options = ping_options,
    .notes =
	"Several hosts (at most 256) are pinged in turns, one probe to each "
	"per\n"
	"interval, and summed up one line each; HOST PORT as two words is for\n"
	"one -u host only.\n"
	"SIGQUIT prints interim statistics; SIGINT ends with the summary.\n",
    .exec = cmd_ping_exec,
};
