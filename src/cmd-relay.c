/* SPDX-License-Identifier: ISC */
/*
 * "udptool relay": a UDP proxy with one upstream socket per client that
 * loses, delays, duplicates, reorders, corrupts and rate-limits datagrams.
 */
#include "config.h"

#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <netinet/in.h>

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "errmsg.h"
#include "impair.h"
#include "log.h"
#include "num.h"
#include "output.h"
#include "relay.h"
#include "sig.h"
#include "sock.h"
#include "ticks.h"
#include "udptool.h"

#define RL_DEFAULT_IDLE 60
#define RL_DEFAULT_CLIENTS 1024
#define RL_CLIENTS_MAX 65536
#define RL_DEFAULT_QUEUE 1024
#define RL_QUEUE_MAX 1000000
#define RL_DEFAULT_HOLD_NS 20000000ULL /* --reorder without a time */
#define RL_SEED_MASK ((1ULL << 53) - 1) /* exact in a JSON number */

enum {
	OPT_IDLE = 256,
	OPT_MAX_CLIENTS,
	OPT_STATS,
	OPT_SEED,
	OPT_QUEUE,
	OPT_PCAP,
	OPT_NO_GSO,
	OPT_IMPAIR, /* then three per impairment: both, up, down */
};

enum rl_imp {
	RL_I_LOSS,
	RL_I_BURST,
	RL_I_DELAY,
	RL_I_DIST,
	RL_I_DUP,
	RL_I_REORDER,
	RL_I_RATE,
	RL_I_CORRUPT,
	RL_I_MTU,
};

#define RL_IMP_OPTION(name, kind, arg, help)                                   \
	{OPT_IMPAIR + 3 * (kind), name, required_argument, arg, help},         \
	    {OPT_IMPAIR + 3 * (kind) + 1, "up-" name, required_argument, arg,  \
		"the same, client to target only"},                            \
	{                                                                      \
		OPT_IMPAIR + 3 * (kind) + 2, "down-" name, required_argument,  \
		    arg, "the same, target to client only"                     \
	}

static const struct cmd_opt rl_options[] = {
    {'4', NULL, no_argument, NULL, "IPv4 only"},
    {'6', NULL, no_argument, NULL, "IPv6 only"},
    {'j', "json", no_argument, NULL,
	"client events, stats and the summary as JSON lines"},
    {'v', "verbose", no_argument, NULL,
	"log each client as it comes, is refused or expires"},
    {OPT_IDLE, "idle", required_argument, "SECONDS",
	"forget a client after SECONDS without traffic (60)"},
    {OPT_MAX_CLIENTS, "max-clients", required_argument, "N",
	"at most N clients at once (1024); more are refused"},
    {OPT_QUEUE, "queue", required_argument, "N",
	"at most N delayed datagrams held (1024)"},
    {OPT_STATS, "stats", required_argument, "SECONDS",
	"print a rate line every SECONDS"},
    {OPT_SEED, "seed", required_argument, "N",
	"seed of the random choices: a run repeats exactly"},
    {OPT_PCAP, "pcap", required_argument, "FILE",
	"record every datagram in and out, both sides,\nas pcapng (dropped "
	"ones with a comment)"},
    {OPT_NO_GSO, "no-gso", no_argument, NULL,
	"one datagram per send and per receive: no\nsegmentation offload"},
    RL_IMP_OPTION("loss", RL_I_LOSS, "P%", "lose P percent of the datagrams"),
    RL_IMP_OPTION("loss-burst", RL_I_BURST, "P%:R%",
	"lose in bursts (Gilbert-Elliott): enter one\nwith chance P, leave it "
	"with chance R"),
    RL_IMP_OPTION("delay", RL_I_DELAY, "TIME[+-JITTER]",
	"delay each datagram (50ms, 0.1s, 50ms+-10ms)"),
    RL_IMP_OPTION("delay-dist", RL_I_DIST, "DIST",
	"how the jitter is spread: uniform (default)\nor normal"),
    RL_IMP_OPTION(
	"dup", RL_I_DUP, "P%", "send P percent of the datagrams twice"),
    RL_IMP_OPTION("reorder", RL_I_REORDER, "P%[:TIME]",
	"hold P percent back by TIME (20ms), so\nthat later ones overtake "
	"them"),
    RL_IMP_OPTION("rate", RL_I_RATE, "RATE",
	"a link of RATE: 100pps, 64kbit, 1mbit;\nwhat would wait over 1 s is "
	"dropped"),
    RL_IMP_OPTION("corrupt", RL_I_CORRUPT, "P%",
	"flip one bit in P percent of the datagrams"),
    RL_IMP_OPTION(
	"mtu", RL_I_MTU, "BYTES", "drop datagrams with a larger payload"),
    {0, NULL, 0, NULL, NULL},
};

/* Parses one impairment's value into c; returns 0, or -1 with err. */
static int
rl_parse_impair(
    enum rl_imp kind, const char *arg, struct impair_conf *c, char *err)
{
	const char *errstr;
	long long v;

	switch (kind) {
	case RL_I_LOSS:
		return impair_parse_percent(arg, &c->loss, err, ADDR_ERRLEN);
	case RL_I_BURST:
		return impair_parse_burst(
		    arg, &c->burst_enter, &c->burst_leave, err, ADDR_ERRLEN);
	case RL_I_DELAY:
		return impair_parse_delay(
		    arg, &c->delay_ns, &c->jitter_ns, err, ADDR_ERRLEN);
	case RL_I_DIST:
		return impair_parse_dist(arg, &c->dist, err, ADDR_ERRLEN);
	case RL_I_DUP:
		return impair_parse_percent(arg, &c->dup, err, ADDR_ERRLEN);
	case RL_I_REORDER:
		return impair_parse_reorder(
		    arg, &c->reorder, &c->reorder_ns, err, ADDR_ERRLEN);
	case RL_I_RATE:
		return impair_parse_rate(
		    arg, &c->rate, &c->rate_bits, err, ADDR_ERRLEN);
	case RL_I_CORRUPT:
		return impair_parse_percent(arg, &c->corrupt, err, ADDR_ERRLEN);
	case RL_I_MTU:
		if (num_int(arg, 1, 65535, 0, &v, &errstr) == -1)
			return errmsg_set(err, ADDR_ERRLEN,
			    "invalid MTU '%s' (1-65535 bytes of payload)",
			    ERRMSG_QUOTE(arg));
		c->mtu = (size_t)v;
		return 0;
	}
	return -1;
}

/* The options that are neither impairments nor flags. */
static int
rl_parse_number(
    struct cmd_ctx *ctx, int ch, const char *arg, struct rl_conf *conf)
{
	long long n;

	switch (ch) {
	case OPT_IDLE:
		return cmd_opt_seconds(
		    ctx, "idle timeout", arg, 0.01, 86400, 0, &conf->idle);
	case OPT_STATS:
		return cmd_opt_seconds(
		    ctx, "stats interval", arg, 0.1, 86400, 0, &conf->stats);
	case OPT_MAX_CLIENTS:
		if (cmd_opt_int(ctx, "client table size", arg, 1,
			RL_CLIENTS_MAX, 0, &n) == -1)
			return -1;
		conf->max_clients = (size_t)n;
		return 0;
	case OPT_QUEUE:
		if (cmd_opt_int(
			ctx, "queue length", arg, 1, RL_QUEUE_MAX, 0, &n) == -1)
			return -1;
		conf->queue = (size_t)n;
		return 0;
	default: /* OPT_SEED */
		if (cmd_opt_int(ctx, "seed", arg, 0, (long long)RL_SEED_MASK, 0,
			&n) == -1)
			return -1;
		conf->seed = (uint64_t)n;
		conf->seeded = 1;
		return 0;
	}
}

/* LISTEN, then TARGET, each one word. */
static int
rl_parse_addresses(
    struct cmd_ctx *ctx, int argc, char **argv, struct rl_conf *conf)
{
	char err[ADDR_ERRLEN];

	if (argc < 2)
		return cmd_usage_error(ctx,
		    argc == 0 ? "missing [ADDRESS:]PORT to listen on"
			      : "missing HOST:PORT to relay to");
	if (argc > 2)
		return cmd_usage_error(ctx,
		    "too many arguments (expected LISTEN TARGET, got '%s')",
		    ERRMSG_QUOTE(argv[2]));
	if (addr_parse(
		argv[0], ADDR_F_SERVER, &conf->listen, err, sizeof err) == -1 ||
	    addr_parse(argv[1], 0, &conf->target, err, sizeof err) == -1) {
		log_warnx("%s", err);
		return UT_EXIT_ERROR;
	}
	return 0;
}

static int
rl_parse(struct cmd_ctx *ctx, int argc, char **argv, struct rl_conf *conf)
{
	struct impair_conf *dir[RL_NDIR];
	char err[ADDR_ERRLEN];
	int ch, r, d, k;

	memset(conf, 0, sizeof *conf);
	conf->family = AF_UNSPEC;
	conf->idle = RL_DEFAULT_IDLE;
	conf->max_clients = RL_DEFAULT_CLIENTS;
	conf->queue = RL_DEFAULT_QUEUE;
	for (d = 0; d < RL_NDIR; d++) {
		conf->imp[d].reorder_ns = RL_DEFAULT_HOLD_NS;
		dir[d] = &conf->imp[d];
	}
	while ((ch = cmd_getopt(ctx, argc, argv)) != -1) {
		if (ch >= OPT_IMPAIR) {
			k = (ch - OPT_IMPAIR) / 3;
			d = (ch - OPT_IMPAIR) % 3;
			/* d 0 sets both directions, 1 up, 2 down. */
			for (r = 0; r < RL_NDIR; r++) {
				if ((d == 0 || d == r + 1) &&
				    rl_parse_impair((enum rl_imp)k, optarg,
					dir[r], err) == -1) {
					log_warnx("%s", err);
					return UT_EXIT_ERROR;
				}
			}
			continue;
		}
		switch (ch) {
		case '4':
			conf->family = AF_INET;
			break;
		case '6':
			conf->family = AF_INET6;
			break;
		case 'j':
			conf->json = 1;
			break;
		case 'v':
			conf->verbose = 1;
			break;
		case OPT_PCAP:
			conf->pcap = optarg;
			break;
		case OPT_NO_GSO:
			conf->no_gso = 1;
			break;
		case OPT_IDLE:
		case OPT_STATS:
		case OPT_MAX_CLIENTS:
		case OPT_QUEUE:
		case OPT_SEED:
			if (rl_parse_number(ctx, ch, optarg, conf) == -1)
				return UT_EXIT_ERROR;
			break;
		default:
			r = cmd_common_option(ctx, ch);
			return r == -1 ? UT_EXIT_ERROR : r;
		}
	}
	if ((r = rl_parse_addresses(ctx, argc - optind, argv + optind, conf)) !=
	    0)
		return r;
	return -1;
}

/*
 * Returns 1 if the target is the relay's own socket: the same port, and
 * the same address or, for a wildcard listener, any address of this host.
 */
static int
rl_is_self(const struct rl_relay *r)
{
	struct sockaddr_storage local, probe;
	socklen_t len = sizeof local;
	int fd, local_addr;

	if (getsockname(r->lfd, (struct sockaddr *)&local, &len) == -1)
		return 0;
	addr_unmap(&local, &len);
	if (addr_get_port((struct sockaddr *)&local) !=
	    addr_get_port((const struct sockaddr *)&r->target))
		return 0;
	if (!r->wildcard)
		return addr_same((struct sockaddr *)&local,
		    (const struct sockaddr *)&r->target, 0);
	/* A local address is one a socket can bind. */
	memcpy(&probe, &r->target, r->targetlen);
	addr_set_port((struct sockaddr *)&probe, 0);
	if ((fd = socket(probe.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return 0;
	local_addr = bind(fd, (struct sockaddr *)&probe, r->targetlen) == 0;
	close(fd);
	return local_addr;
}

/* Resolves TARGET once; every client's socket connects to that address. */
static int
rl_resolve_target(struct rl_relay *r, int *status)
{
	struct addrinfo *res;
	char err[ADDR_ERRLEN];
	int rc;

	rc = sock_resolve(
	    &r->conf->target, r->conf->family, 0, &res, err, sizeof err);
	if (rc != 0) {
		log_warnx("%s", err);
		*status =
		    sock_eai_not_found(rc) ? UT_EXIT_NEGATIVE : UT_EXIT_ERROR;
		return -1;
	}
	memcpy(&r->target, res->ai_addr, res->ai_addrlen);
	r->targetlen = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

/* Makes room for a socket per client; returns 0, or -1 having said why. */
static int
rl_fd_limit(size_t clients)
{
	struct rlimit rl;
	rlim_t want = (rlim_t)clients + 64;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1 || rl.rlim_cur >= want)
		return 0;
	rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > want
	    ? want
	    : rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) == -1 || rl.rlim_cur < want) {
		log_warnx("--max-clients %zu needs %llu file descriptors, the "
			  "limit is %llu (ulimit -n)",
		    clients, (unsigned long long)want,
		    (unsigned long long)rl.rlim_cur);
		return -1;
	}
	return 0;
}

/* Opens the listening socket and the epoll set; returns 0, or -1 with *status. */
static int
rl_open(struct rl_relay *r, int *status)
{
	struct epoll_event ev;
	struct sockaddr_storage *ss = &r->local;
	socklen_t len = sizeof r->local;
	char err[ADDR_ERRLEN], name[ADDR_STRLEN];

	*status = UT_EXIT_ERROR;
	if (rl_resolve_target(r, status) == -1)
		return -1;
	r->lfd = sock_udp_server(
	    &r->conf->listen, r->conf->family, 0, err, sizeof err);
	if (r->lfd == -1) {
		if (errno == ENOENT)
			*status = UT_EXIT_NEGATIVE;
		log_warnx("%s", err);
		return -1;
	}
	if (getsockname(r->lfd, (struct sockaddr *)ss, &len) == 0) {
		if (ss->ss_family == AF_INET)
			r->wildcard =
			    ((struct sockaddr_in *)ss)->sin_addr.s_addr ==
			    htonl(INADDR_ANY);
		else
			r->wildcard = IN6_IS_ADDR_UNSPECIFIED(
			    &((struct sockaddr_in6 *)ss)->sin6_addr);
	}
	if (rl_is_self(r)) {
		log_warnx("refusing to relay to '%s', the relay's own address",
		    ERRMSG_QUOTE(r->conf->target.host));
		return -1;
	}
	if (r->wildcard && sock_enable_meta(r->lfd, SOCK_META_PKTINFO) == -1) {
		log_warn("cannot ask for arrival addresses");
		return -1;
	}
	rl_gro_enable(r, r->lfd);
	if ((r->ep = epoll_create1(EPOLL_CLOEXEC)) == -1) {
		log_warn("epoll_create1");
		return -1;
	}
	memset(&ev, 0, sizeof ev);
	ev.events = EPOLLIN;
	ev.data.u32 = 0;
	if (epoll_ctl(r->ep, EPOLL_CTL_ADD, r->lfd, &ev) == -1) {
		log_warn("epoll_ctl");
		return -1;
	}
	log_warnx(
	    "listening on %s", sock_local_name(r->lfd, name, sizeof name));
	log_warnx("relaying to %s",
	    addr_format((struct sockaddr *)&r->target, r->targetlen,
		ADDR_FMT_PORT, name, sizeof name));
	return 0;
}

static const int rl_signals[] = {
    SIGINT,
    SIGTERM,
    SIGUSR1,
    SIGALRM,
#ifdef SIGINFO
    SIGINFO,
#endif
    0,
};

/*
 * Catches the signals the relay handles and blocks them, so that they
 * arrive only while the loop waits, and starts the --stats timer.
 */
static int
rl_signals_set(const struct rl_conf *conf)
{
	if (sig_catch(rl_signals) == -1) {
		log_warn("sigaction");
		return -1;
	}
	sig_block();
	if (conf->stats > 0 && ticks_alarm(conf->stats) == -1) {
		log_warn("setitimer");
		return -1;
	}
	return 0;
}

static void
rl_signals_restore(int caught)
{
	ticks_alarm(0);
	if (!caught)
		return;
	sig_unblock();
	sig_restore(rl_signals);
}

static int
cmd_relay_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct rl_conf conf;
	struct rl_relay r;
	int status, caught = 0;

	status = rl_parse(ctx, argc, argv, &conf);
	if (status != -1)
		return status;
	if (!conf.seeded)
		conf.seed = ticks_seed() & RL_SEED_MASK;
	memset(&r, 0, sizeof r);
	r.conf = &conf;
	r.lfd = r.ep = -1;
	r.gso = !conf.no_gso;
	out_init(&r.out, stdout, conf.json);
	status = UT_EXIT_ERROR;
	if (rl_fd_limit(conf.max_clients) == -1 || rl_alloc(&r) == -1 ||
	    rl_open(&r, &status) == -1 || rl_pcap_open(&r) == -1)
		goto out;
	caught = 1;
	if (rl_signals_set(&conf) == -1)
		goto out;
	status = UT_EXIT_OK;
	clock_gettime(CLOCK_MONOTONIC, &r.start);
	r.last_ts = r.start;
	r.next_sweep_ns = ticks_now_ns();
	rl_loop(&r);
	if (r.failed)
		status = UT_EXIT_ERROR;
	rl_print_report(&r, 1);
out:
	rl_signals_restore(caught);
	rl_release(&r);
	return status;
}

const struct cmd_entry cmd_relay_entry = {
    .name = "relay",
    .usage =
	"[-46jv] [--idle seconds] [--max-clients n] [--queue n] "
	"[--stats seconds] [--seed n] [--pcap file] [--no-gso] "
	"[--[up-|down-]loss p%] "
	"[--[up-|down-]loss-burst p%:r%] [--[up-|down-]delay time[+-jitter]] "
	"[--[up-|down-]delay-dist uniform|normal] [--[up-|down-]dup p%] "
	"[--[up-|down-]reorder p%[:time]] [--[up-|down-]rate rate] "
	"[--[up-|down-]corrupt p%] [--[up-|down-]mtu bytes] "
	"[address:]port host:port",
    .summary = "relay UDP between clients and a server, with loss, delay, "
	       "duplication and reordering",
    .help = "Impairments apply to both directions, or with up- (client to "
	    "target) or\n"
	    "down- (target to client) to one; a later option wins.\n",
    .options = rl_options,
    .notes =
	"Each client gets its own socket to the target, so replies go back to\n"
	"the client that asked.  SIGINT or SIGTERM print a summary and exit;\n"
	"SIGUSR1 prints one and goes on.\n",
    .exec = cmd_relay_exec,
};
