/* SPDX-License-Identifier: ISC */
/*
 * "udptool echo-serve": a fast, safe UDP echo, upper-case, daytime or
 * discard server that answers every sender from the address it was asked;
 * its options, sockets and signals (the engine is echo-serve.c).
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/time.h>
#include <sys/types.h>

#include <netinet/in.h>

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "capture.h"
#include "echo-serve.h"
#include "echo.h"
#include "errmsg.h"
#include "log.h"
#include "num.h"
#include "output.h"
#include "sig.h"
#include "sock.h"
#include "srctab.h"
#include "ticks.h"
#include "udptool.h"

/*
 * SIGINT and SIGTERM stop, SIGUSR1 (SIGINFO) asks for a report, SIGALRM
 * ticks --stats, and SIGUSR2 only interrupts a worker's recvmmsg so that
 * it sees es_stop.  The main thread (worker 0) alone takes them.
 */
static const int es_sigs[] = {SIGINT, SIGTERM, SIGUSR1, SIGUSR2, SIGALRM,
#ifdef SIGINFO
    SIGINFO,
#endif
    0};

enum {
	OPT_THREADS = 256,
	OPT_STATS,
	OPT_ALLOW,
	OPT_RATE,
	OPT_MAX_SOURCES,
	OPT_ALLOW_LOOP,
	OPT_NO_GSO,
	OPT_RCVBUF,
	OPT_ALLOW_BROADCAST,
	OPT_PCAP,
};

static const struct cmd_opt es_options[] = {
    {'4', NULL, no_argument, NULL, "IPv4 only"},
    {'6', NULL, no_argument, NULL, "IPv6 only (default: both, on [::])"},
    {'m', "mode", required_argument, "MODE",
	"echo (default), upper, daytime (RFC 867),\n"
	"discard (RFC 863: count, never reply),\n"
	"sockperf (answer sockperf ping-pong clients)"},
    {'v', "verbose", no_argument, NULL,
	"log every datagram received and written"},
    {'j', "json", no_argument, NULL,
	"logs, reports and the summary as JSON lines"},
    {OPT_THREADS, "threads", required_argument, "N",
	"N workers sharing the port (SO_REUSEPORT)"},
    {OPT_STATS, "stats", required_argument, "SECONDS",
	"print a rate line on stderr every SECONDS"},
    {OPT_ALLOW, "allow", required_argument, "CIDR",
	"answer only these sources (repeatable)"},
    {OPT_RATE, "rate", required_argument, "PPS",
	"at most PPS replies per second per source"},
    {OPT_MAX_SOURCES, "max-sources", required_argument, "N",
	"per-source table size (default 4096; the\n"
	"least recently seen source is evicted)"},
    {OPT_ALLOW_LOOP, "allow-loop", no_argument, NULL,
	"also answer source ports below 1024, known\n"
	"reflector ports and the server's own port"},
    {OPT_ALLOW_BROADCAST, "allow-broadcast", no_argument, NULL,
	"answer datagrams sent to a broadcast or\n"
	"multicast address (once per host)"},
    {OPT_NO_GSO, "no-gso", no_argument, NULL,
	"one send per reply: no segmentation offload\n"
	"(UDP_SEGMENT), for captures that must show\n"
	"each reply as the stack sent it"},
    {OPT_RCVBUF, "rcvbuf", required_argument, "SIZE",
	"the sockets' receive buffer (SO_RCVBUF; K, M)"},
    {OPT_PCAP, "pcap", required_argument, "FILE",
	"record every datagram in and out as pcapng"},
    {0, NULL, 0, NULL, NULL},
};

/* -m MODE: one of es_mode_names; returns 0, or -1 after saying why. */
static int
es_parse_mode(const char *arg, struct es_conf *conf)
{
	int k;

	for (k = 0; k < ES_NMODES; k++) {
		if (strcmp(arg, es_mode_names[k]) == 0) {
			conf->mode = (enum es_mode)k;
			return 0;
		}
	}
	log_warnx("invalid mode '%s' (echo, upper, daytime, discard, sockperf)",
	    ERRMSG_QUOTE(arg));
	return -1;
}

/* --allow CIDR, repeatable up to ES_ALLOW_MAX; returns 0 or -1. */
static int
es_parse_allow(const char *arg, struct es_conf *conf)
{
	char err[ADDR_ERRLEN];

	if (conf->nallow == ES_ALLOW_MAX) {
		log_warnx(
		    "too many --allow prefixes (at most %d)", ES_ALLOW_MAX);
		return -1;
	}
	if (addr_parse_cidr(arg, &conf->allow[conf->nallow], err, sizeof err) ==
	    -1) {
		log_warnx("%s", err);
		return -1;
	}
	conf->nallow++;
	return 0;
}

static int
es_parse(struct cmd_ctx *ctx, int argc, char **argv, struct es_conf *conf,
    int *family, struct addr_spec *spec)
{
	long long n;
	double v;
	int ch, r;

	memset(conf, 0, sizeof *conf);
	conf->max_sources = ES_DEFAULT_SOURCES;
	conf->threads = 1;
	*family = AF_UNSPEC;
	while ((ch = cmd_getopt(ctx, argc, argv)) != -1) {
		switch (ch) {
		case '4':
			*family = AF_INET;
			break;
		case '6':
			*family = AF_INET6;
			break;
		case 'm':
			if (es_parse_mode(optarg, conf) == -1)
				return UT_EXIT_ERROR;
			break;
		case 'v':
			conf->verbose = 1;
			break;
		case 'j':
			conf->json = 1;
			break;
		case OPT_THREADS:
			if (cmd_opt_int(ctx, "thread count", optarg, 1,
				ES_THREADS_MAX, 0, &n) == -1)
				return UT_EXIT_ERROR;
			conf->threads = (int)n;
			break;
		case OPT_STATS:
			if (cmd_opt_seconds(ctx, "stats interval", optarg, 0.1,
				86400, 0, &conf->stats) == -1)
				return UT_EXIT_ERROR;
			break;
		case OPT_ALLOW:
			if (es_parse_allow(optarg, conf) == -1)
				return UT_EXIT_ERROR;
			break;
		case OPT_RATE:
			if (num_double(optarg, 0.001, 1e9, &v, NULL) == -1) {
				log_warnx("invalid rate '%s' (0.001-1000000000 "
					  "datagrams per second)",
				    ERRMSG_QUOTE(optarg));
				return UT_EXIT_ERROR;
			}
			conf->rate = v;
			conf->burst = v < 1 ? 1 : v;
			break;
		case OPT_MAX_SOURCES:
			if (cmd_opt_int(ctx, "source table size", optarg, 1,
				SRCTAB_MAX, 0, &n) == -1)
				return UT_EXIT_ERROR;
			conf->max_sources = (size_t)n;
			break;
		case OPT_ALLOW_LOOP:
			conf->allow_loop = 1;
			break;
		case OPT_RCVBUF:
			if (cmd_opt_int(ctx, "receive buffer size", optarg,
				1024, 1 << 30, CMD_NUM_SIZE, &n) == -1)
				return UT_EXIT_ERROR;
			conf->rcvbuf = (int)n;
			break;
		case OPT_NO_GSO:
			conf->no_gso = 1;
			break;
		case OPT_ALLOW_BROADCAST:
			conf->allow_broadcast = 1;
			break;
		case OPT_PCAP:
			conf->pcap = optarg;
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
	return -1;
}

static int
es_open(struct es_server *srv, const struct addr_spec *spec0, int family)
{
	struct addr_spec spec = *spec0;
	struct timeval tv = {0, 500000};
	char err[ADDR_ERRLEN], name[ADDR_STRLEN];
	struct es_worker *w;
	int i, got, flags = srv->nworkers > 1 ? SOCK_F_REUSEPORT : 0;

	for (i = 0; i < srv->nworkers; i++) {
		srv->w[i].fd =
		    sock_udp_server(&spec, family, flags, err, sizeof err);
		if (srv->w[i].fd == -1) {
			srv->notfound = errno == ENOENT;
			log_warnx("%s", err);
			return -1;
		}
		/*
		 * A socket bound to one address always answers from it; only
		 * a wildcard socket needs each arrival address, and replies
		 * that carry it in a control message cost the kernel about a
		 * sixth more per datagram here.
		 */
		w = &srv->w[i];
		if (srv->conf->rcvbuf > 0) {
			got = sock_rcvbuf(
			    w->fd, srv->conf->rcvbuf, err, sizeof err);
			if (got == -1 || (got == 1 && i == 0))
				log_warnx("%s", err);
			if (got == -1)
				return -1;
		}
		w->locallen = sizeof w->local;
		if (getsockname(w->fd, (struct sockaddr *)&w->local,
			&w->locallen) == -1)
			w->locallen = 0;
		if (echo_is_wildcard(&w->local) &&
		    sock_enable_meta(w->fd, SOCK_META_PKTINFO) == -1) {
			log_warn("cannot ask for arrival addresses");
			return -1;
		}
		if (i == 0) {
			struct sockaddr_storage ss;
			socklen_t len = sizeof ss;

			/* The other workers bind the port the first one got. */
			if (getsockname(srv->w[0].fd, (struct sockaddr *)&ss,
				&len) == 0) {
				srv->port =
				    addr_get_port((struct sockaddr *)&ss);
				snprintf(spec.port, sizeof spec.port, "%u",
				    srv->port);
			}
			log_warnx("listening on %s",
			    sock_local_name(srv->w[0].fd, name, sizeof name));
		}
		/*
		 * A backstop for a signal (stop, report, --stats tick) that
		 * comes between the check of its flag and recvmmsg, which has
		 * no ppoll-like form: an idle server looks again within 0.5 s.
		 */
		setsockopt(w->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	}
	return 0;
}

/*
 * --pcap: one interface per worker's socket, and kernel receive times on
 * each.  Returns 0, or -1 having said why.
 */
static int
es_capture_sockets(struct es_server *srv)
{
	const char *path = srv->conf->pcap;
	int i;

	for (i = 0; i < srv->nworkers; i++) {
		srv->w[i].cap_if =
		    capture_socket(srv->cap, "echo-serve", srv->w[i].fd);
		if (srv->w[i].cap_if == -1) {
			log_warn("cannot write to '%s'", ERRMSG_QUOTE(path));
			return -1;
		}
		if (sock_enable_meta(srv->w[i].fd, SOCK_META_TIMESTAMP) == -1)
			log_warn("cannot ask for receive timestamps");
	}
	return 0;
}

static int
es_signals(const struct es_conf *conf)
{
	/* Without SA_RESTART: a signal interrupts recvmmsg. */
	if (sig_catch(es_sigs) == -1) {
		log_warn("sigaction");
		return -1;
	}
	if (conf->stats > 0 && ticks_alarm(conf->stats) == -1) {
		log_warn("setitimer");
		return -1;
	}
	return 0;
}

static void
es_signals_restore(void)
{
	ticks_alarm(0);
	sig_restore(es_sigs);
}

static int
cmd_echo_serve_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct es_conf conf;
	struct es_server srv;
	struct addr_spec spec;
	char err[ADDR_ERRLEN];
	int family, r, i, status = UT_EXIT_OK;

	r = es_parse(ctx, argc, argv, &conf, &family, &spec);
	if (r != -1)
		return r;
	es_stop_clear();
	memset(&srv, 0, sizeof srv);
	srv.conf = &conf;
	srv.nworkers = conf.threads;
	srv.main_tid = pthread_self();
	pthread_mutex_init(&srv.tab_lock, NULL);
	if (srctab_init(&srv.tab, conf.max_sources, ticks_seed(), err,
		sizeof err) == -1) {
		log_warnx("%s", err);
		return UT_EXIT_ERROR;
	}
	/* Everything the server needs is allocated here, once. */
	srv.w = calloc((size_t)srv.nworkers, sizeof *srv.w);
	if (srv.w == NULL) {
		log_warn("calloc");
		srctab_free(&srv.tab);
		return UT_EXIT_ERROR;
	}
	for (i = 0; i < srv.nworkers; i++) {
		srv.w[i].fd = -1;
		srv.w[i].srv = &srv;
		srv.w[i].index = i;
		out_init(&srv.w[i].out, stdout, conf.json);
		srv.w[i].gso_max = conf.no_gso ? 0 : SOCK_SEGMENT_MAX;
		srv.w[i].buf = malloc((size_t)ES_BATCH * ES_STRIDE);
		if (srv.w[i].buf == NULL) {
			log_warn("malloc");
			status = UT_EXIT_ERROR;
			goto out;
		}
	}
	if (echo_ifaddrs_load(&srv.ifa) == -1) {
		log_warn("cannot read the host's addresses");
		status = UT_EXIT_ERROR;
		goto out;
	}
	srv.ifa_next_ns = ticks_now_ns() + ES_IFADDRS_NS;
	if (conf.pcap != NULL &&
	    (srv.cap = capture_open(conf.pcap, "udptool echo-serve")) == NULL) {
		log_warn("cannot open '%s'", ERRMSG_QUOTE(conf.pcap));
		status = UT_EXIT_ERROR;
		goto out;
	}
	if (es_open(&srv, &spec, family) == -1 || es_signals(&conf) == -1) {
		/* A name that does not resolve is a negative answer. */
		status = srv.notfound ? UT_EXIT_NEGATIVE : UT_EXIT_ERROR;
		goto out;
	}
	if (srv.cap != NULL && es_capture_sockets(&srv) == -1) {
		status = UT_EXIT_ERROR;
		goto out;
	}
	srv.rules.port = srv.port;
	srv.rules.allow_loop = conf.allow_loop;
	srv.rules.allow_broadcast = conf.allow_broadcast;
	srv.rules.allow = conf.allow;
	srv.rules.nallow = conf.nallow;
	srv.rules.ifa = &srv.ifa;
	clock_gettime(CLOCK_MONOTONIC, &srv.start);
	srv.last_ts = srv.start;

	if (es_run(&srv) == -1)
		status = UT_EXIT_ERROR;
	es_print_report(&srv, 1);
out:
	es_signals_restore();
	if (capture_close(srv.cap) == -1) {
		log_warn("cannot write to '%s'", ERRMSG_QUOTE(conf.pcap));
		status = UT_EXIT_ERROR;
	}
	for (i = 0; i < srv.nworkers; i++) {
		if (srv.w[i].fd != -1)
			close(srv.w[i].fd);
		free(srv.w[i].buf);
	}
	free(srv.w);
	echo_ifaddrs_free(&srv.ifa);
	srctab_free(&srv.tab);
	pthread_mutex_destroy(&srv.tab_lock);
	return status;
}

const struct cmd_entry cmd_echo_serve_entry = {
    .name = "echo-serve",
    .usage = "[-46jv] [-m mode] [--threads n] [--stats seconds] "
	     "[--allow cidr] [--rate pps] [--max-sources n] [--allow-loop] "
	     "[--allow-broadcast] [--no-gso] [--rcvbuf size] [--pcap file] "
	     "[address:]port",
    .summary =
	"answer UDP datagrams: echo, upper case, daytime, discard or sockperf",
    .options = es_options,
    .notes =
	"Replies leave from the address the request was sent to and are\n"
	"never larger than the request.  Source port 0 and the server's own\n"
	"port from one of this host's addresses are never answered.  SIGINT\n"
	"or SIGTERM print a summary and exit; SIGUSR1 prints one and goes "
	"on.\n",
    .exec = cmd_echo_serve_exec,
};
