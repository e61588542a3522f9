/* SPDX-License-Identifier: ISC */
/*
 * The echo-serve engine: workers that read batches, judge and answer them
 * in segmented sends, count what happened and print reports.
 */
#ifndef UDPTOOL_ECHO_SERVE_H
#define UDPTOOL_ECHO_SERVE_H

#include <sys/socket.h>
#include <sys/types.h>

#include <pthread.h>
#include <stdint.h>
#include <time.h>

#include "addr.h"
#include "capture.h"
#include "echo.h"
#include "output.h"
#include "sock.h"
#include "srctab.h"

#define ES_BATCH 32 /* datagrams per recvmmsg/sendmmsg */
#define ES_BUFSIZE 65536 /* larger than any UDP payload */
/*
 * Buffers 64 KiB apart would all start in the same cache set; 17 more
 * lines each spread the heads of a batch over the whole cache.
 */
#define ES_STRIDE (ES_BUFSIZE + 17 * 64)
#define ES_ALLOW_MAX 64 /* --allow entries */
#define ES_THREADS_MAX 64
#define ES_TOP 5 /* top senders in a summary */
#define ES_DEFAULT_SOURCES 4096
#define ES_GSO_FAILS 16 /* refused segmented sends before giving up on them */
/* How often the host's addresses are read again (getifaddrs). */
#define ES_IFADDRS_NS (5 * 1000000000ULL)

enum es_mode {
	ES_ECHO,
	ES_UPPER,
	ES_DAYTIME,
	ES_DISCARD,
	ES_SOCKPERF,
	ES_NMODES,
};

extern const char *const es_mode_names[ES_NMODES];

/*
 * Counters written only by the worker that owns them (relaxed atomic
 * stores) and read by the thread that prints reports.
 */
struct es_counters {
	uint64_t in, in_bytes, out, out_bytes;
	uint64_t drop[ECHO_DROP_N];
	uint64_t senderr[ECHO_SE_N];
	/* Segmented sends, the replies they carried, and those refused. */
	uint64_t seg_sends, seg_replies, seg_refused;
} __attribute__((aligned(64)));

#define ES_LOAD(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define ES_ADD(x, v) __atomic_store_n(&(x), (x) + (v), __ATOMIC_RELAXED)

struct es_conf {
	enum es_mode mode;
	int verbose;
	int json;
	int allow_loop;
	int allow_broadcast;
	double rate; /* per-source datagrams per second, 0: no limit */
	double burst; /* tokens a quiet source may save up */
	struct addr_cidr allow[ES_ALLOW_MAX];
	int nallow;
	size_t max_sources;
	int threads;
	double stats;
	int no_gso; /* one sendmsg per reply */
	int rcvbuf; /* --rcvbuf: SO_RCVBUF per socket, 0: the default */
	const char *pcap; /* --pcap FILE */
};

struct es_server;

struct es_worker {
	struct es_server *srv;
	int fd;
	int index;
	struct sockaddr_storage local; /* bound address */
	socklen_t locallen;
	pthread_t tid;
	int running;
	int failed;
	struct es_counters c;
	struct out out;
	uint8_t *buf; /* ES_BATCH buffers of ES_BUFSIZE */
	struct mmsghdr rmsg[ES_BATCH], smsg[ES_BATCH];
	struct iovec riov[ES_BATCH], siov[ES_BATCH];
	struct sockaddr_storage from[ES_BATCH];
	union {
		struct cmsghdr align;
		char buf[SOCK_CMSG_SPACE];
	} rcbuf[ES_BATCH], scbuf[ES_BATCH];
	int slot[ES_BATCH]; /* request behind each reply */
	int senderrno[ES_BATCH]; /* errno of each reply, 0 when sent */
	/* What goes to sendmmsg: runs of replies, each one message (GSO). */
	struct mmsghdr gmsg[ES_BATCH];
	int gfirst[ES_BATCH], gcount[ES_BATCH];
	size_t gso_max; /* largest segment a run may have; 0: no runs */
	int gso_fails;
	struct echo_day day; /* daytime line cache */
	int cap_if; /* --pcap: this socket's interface */
};

struct es_server {
	const struct es_conf *conf;
	struct srctab tab;
	pthread_mutex_t tab_lock; /* guards tab and ifa; no stdio lock inside */
	struct echo_ifaddrs ifa;
	struct echo_rules rules; /* point at conf and ifa */
	uint64_t ifa_next_ns; /* when worker 0 reads them again */
	uint16_t port; /* the port every worker is bound to */
	int notfound; /* the address to bind did not resolve */
	struct es_worker *w;
	int nworkers;
	pthread_t main_tid;
	struct timespec start;
	struct capture *cap; /* --pcap, or NULL */
	struct es_counters last; /* at the previous --stats line */
	struct timespec last_ts;
};

/* Clears the stop every worker looks at, before a run. */
void es_stop_clear(void);

/*
 * Runs the workers of srv, opened and bound: threads for all but worker 0,
 * which runs in the calling thread, until the run stops.  Returns 0, or -1
 * when a thread could not start or a worker failed (reported).
 */
int es_run(struct es_server *srv);

/*
 * Prints the summary (final) or a report: totals, top senders, drops and
 * send errors by reason; one JSON line on stdout with -j, else stderr.
 */
void es_print_report(struct es_server *srv, int final);

#endif
