/* SPDX-License-Identifier: ISC */
/*
 * "udptool echo-serve": a fast, safe UDP echo, upper-case, daytime or
 * discard server that answers every sender from the address it was asked.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/time.h>
#include <sys/types.h>

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>

#include <errno.h>
#include <getopt.h>
#include <ifaddrs.h>
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
#include "errmsg.h"
#include "log.h"
#include "num.h"
#include "output.h"
#include "sock.h"
#include "srctab.h"
#include "udptool.h"

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

static const char *const es_mode_names[ES_NMODES] = {
    "echo", "upper", "daytime", "discard", "sockperf"};

/*
 * sockperf's message header, big-endian: a 64-bit sequence number, 16
 * flag bits and the 32-bit message size.  A client sets CLIENT, and
 * PONG_REQUEST on the messages it wants back; the server answers those
 * with CLIENT cleared, so two such servers can never answer each other.
 */
#define ES_SP_HDRLEN 14
#define ES_SP_FLAGS 8 /* offset of the flags */
#define ES_SP_CLIENT 0x0001
#define ES_SP_PONG_REQUEST 0x0002

/*
 * Why a datagram got no reply; the names appear in summaries and logs.
 * The reasons before ES_DROP_ALLOW are judged from the datagram's
 * addresses alone, before its source may enter the table.
 */
enum es_drop {
	ES_DROP_PORT0,
	ES_DROP_OWN_ADDR,
	ES_DROP_OWN_PORT,
	ES_DROP_LOOP,
	ES_DROP_BCAST,
	ES_DROP_MCAST,
	ES_DROP_ALLOW,
	ES_DROP_RATE,
	ES_DROP_SHORT,
	ES_DROP_TRUNC,
	ES_DROP_NOT_SOCKPERF,
	ES_DROP_NO_PONG,
	ES_DROP_N,
};

static const char *const es_drop_names[ES_DROP_N] = {"port-zero", "own-address",
    "own-port", "loop-port", "broadcast", "multicast", "not-allowed", "rate",
    "too-short", "truncated", "not-sockperf", "no-pong-request"};

enum es_senderr {
	ES_SE_NOBUFS, /* ENOBUFS, EAGAIN: a full queue */
	ES_SE_REFUSED,
	ES_SE_UNREACH, /* EHOSTUNREACH, ENETUNREACH */
	ES_SE_PERM, /* EPERM, EACCES: a firewall or broadcast */
	ES_SE_OTHER,
	ES_SE_N,
};

static const char *const es_senderr_names[ES_SE_N] = {
    "no-buffers", "refused", "unreachable", "not-permitted", "other"};

/*
 * Counters written only by the worker that owns them (relaxed atomic
 * stores) and read by the thread that prints reports.
 */
struct es_counters {
	uint64_t in, in_bytes, out, out_bytes;
	uint64_t drop[ES_DROP_N];
	uint64_t senderr[ES_SE_N];
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
	char day[32]; /* daytime line cache */
	time_t day_sec;
};

/*
 * The host's own addresses and its interfaces' IPv4 broadcast addresses,
 * read with getifaddrs(3); IPv4-mapped forms are stored as IPv4.
 */
struct es_ifaddrs {
	struct srctab_key *local;
	size_t nlocal;
	struct in_addr *bcast;
	size_t nbcast;
};

struct es_server {
	const struct es_conf *conf;
	struct srctab tab;
	pthread_mutex_t tab_lock; /* guards tab and ifa */
	struct es_ifaddrs ifa;
	uint64_t ifa_next_ns; /* when worker 0 reads them again */
	uint16_t port; /* the port every worker is bound to */
	int notfound; /* the address to bind did not resolve */
	struct es_worker *w;
	int nworkers;
	pthread_t main_tid;
	struct timespec start;
	struct es_counters last; /* at the previous --stats line */
	struct timespec last_ts;
};

static volatile sig_atomic_t es_stop;
static volatile sig_atomic_t es_report;
static volatile sig_atomic_t es_tick;

static void
es_on_signal(int sig)
{
	switch (sig) {
	case SIGINT:
	case SIGTERM:
		es_stop = 1;
		break;
	case SIGALRM:
		es_tick = 1;
		break;
	case SIGUSR2:
		/* Only interrupts a worker's recvmmsg so it sees es_stop. */
		break;
	default:
		es_report = 1;
		break;
	}
}

static uint64_t
es_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/*
 * UDP services above 1023 known to answer any datagram, most of them
 * listed as amplifiers in CISA's alert TA14-017A; all lie below the
 * ephemeral port ranges (32768 and up on Linux, 49152 and up elsewhere)
 * that clients send from.
 */
static const uint16_t es_loop_ports[] = {
    1434, /* Microsoft SQL Server resolution */
    1604, /* Citrix ICA browser */
    1900, /* SSDP */
    3283, /* Apple Remote Desktop */
    3702, /* WS-Discovery */
    5351, /* NAT-PMP */
    5353, /* multicast DNS */
    5683, /* CoAP */
    10001, /* Ubiquiti discovery */
    11211, /* memcached */
    26000, /* Quake */
    27015, /* Steam and Source game queries */
    32414, /* Plex discovery */
};

/*
 * Returns 1 for a source port that belongs to a service rather than a
 * client: every well-known port (below 1024: echo, chargen, DNS, NTP,
 * SNMP ...) and the reflectors above.  Answering one risks a loop with
 * another server or reflecting into it.
 */
static int
es_is_loop_port(uint16_t port)
{
	size_t i;

	if (port < 1024)
		return 1;
	for (i = 0; i < sizeof es_loop_ports / sizeof es_loop_ports[0]; i++) {
		if (port == es_loop_ports[i])
			return 1;
	}
	return 0;
}

static void
es_ifaddrs_free(struct es_ifaddrs *ifa)
{
	free(ifa->local);
	free(ifa->bcast);
	memset(ifa, 0, sizeof *ifa);
}

/*
 * Reads the host's addresses and broadcast addresses into ifa; returns 0,
 * or -1 with errno set.
 */
static int
es_ifaddrs_load(struct es_ifaddrs *ifa)
{
	struct ifaddrs *list, *i;
	struct in_addr a, b, m;
	size_t n = 0;

	memset(ifa, 0, sizeof *ifa);
	if (getifaddrs(&list) == -1)
		return -1;
	for (i = list; i != NULL; i = i->ifa_next)
		n++;
	ifa->local = calloc(n + 1, sizeof *ifa->local);
	ifa->bcast = calloc(2 * n + 1, sizeof *ifa->bcast);
	if (ifa->local == NULL || ifa->bcast == NULL) {
		freeifaddrs(list);
		es_ifaddrs_free(ifa);
		errno = ENOMEM;
		return -1;
	}
	for (i = list; i != NULL; i = i->ifa_next) {
		if (i->ifa_addr == NULL)
			continue;
		if (srctab_key_from(i->ifa_addr, &ifa->local[ifa->nlocal]) == 0)
			ifa->nlocal++;
		if (i->ifa_addr->sa_family != AF_INET)
			continue;
		/*
		 * Linux takes the top of every prefix shorter than /31 as a
		 * broadcast address, whether or not one was configured; a
		 * configured one (brd) may lie elsewhere.  Without one,
		 * getifaddrs reports the address itself.
		 */
		a = ((struct sockaddr_in *)(void *)i->ifa_addr)->sin_addr;
		if (i->ifa_netmask != NULL &&
		    i->ifa_netmask->sa_family == AF_INET) {
			m = ((struct sockaddr_in *)(void *)i->ifa_netmask)
				->sin_addr;
			if ((ntohl(m.s_addr) & 3) == 0) {
				ifa->bcast[ifa->nbcast].s_addr =
				    a.s_addr | ~m.s_addr;
				ifa->nbcast++;
			}
		}
		if ((i->ifa_flags & IFF_BROADCAST) &&
		    i->ifa_broadaddr != NULL &&
		    i->ifa_broadaddr->sa_family == AF_INET) {
			b = ((struct sockaddr_in *)(void *)i->ifa_broadaddr)
				->sin_addr;
			if (b.s_addr != a.s_addr)
				ifa->bcast[ifa->nbcast++] = b;
		}
	}
	freeifaddrs(list);
	return 0;
}

/*
 * Worker 0 reads the addresses again every few seconds: getifaddrs is a
 * netlink dump, too dear per datagram, and addresses rarely change.  On
 * failure the old ones stay.
 */
static void
es_ifaddrs_refresh(struct es_server *srv, uint64_t now)
{
	struct es_ifaddrs fresh, old;

	srv->ifa_next_ns = now + ES_IFADDRS_NS;
	if (es_ifaddrs_load(&fresh) == -1)
		return;
	pthread_mutex_lock(&srv->tab_lock);
	old = srv->ifa;
	srv->ifa = fresh;
	pthread_mutex_unlock(&srv->tab_lock);
	es_ifaddrs_free(&old);
}

/*
 * Returns 1 if k is an address of this host: one an interface has, any
 * of 127.0.0.0/8 (all local on Linux), ::1, or an unspecified address,
 * which the kernel delivers to the host itself.
 */
static int
es_is_local(const struct es_ifaddrs *ifa, const struct srctab_key *k)
{
	static const uint8_t zero[16], one6[16] = {[15] = 1};
	size_t i;

	if (k->family == AF_INET &&
	    (k->addr[0] == 127 || memcmp(k->addr, zero, 4) == 0))
		return 1;
	if (k->family == AF_INET6 &&
	    (memcmp(k->addr, zero, 16) == 0 || memcmp(k->addr, one6, 16) == 0))
		return 1;
	for (i = 0; i < ifa->nlocal; i++) {
		if (ifa->local[i].family == k->family &&
		    memcmp(ifa->local[i].addr, k->addr, 16) == 0)
			return 1;
	}
	return 0;
}

static enum es_senderr
es_senderr_class(int e)
{
	switch (e) {
	case ENOBUFS:
	case EAGAIN:
		return ES_SE_NOBUFS;
	case ECONNREFUSED:
		return ES_SE_REFUSED;
	case EHOSTUNREACH:
	case ENETUNREACH:
		return ES_SE_UNREACH;
	case EPERM:
	case EACCES:
		return ES_SE_PERM;
	default:
		return ES_SE_OTHER;
	}
}

/*
 * The daytime reply (RFC 867) that fits in len bytes: the ctime(3) line
 * inetd sends, without CRLF when that does not fit, the time of day alone
 * for shorter requests, or 0 (no reply) below 8 bytes, so that a reply is
 * never larger than its request.
 */
static size_t
es_daytime(struct es_worker *w, size_t len, uint8_t *out)
{
	time_t now = time(NULL);
	struct tm tm;

	if (now != w->day_sec || w->day[0] == '\0') {
		localtime_r(&now, &tm);
		strftime(
		    w->day, sizeof w->day, "%a %b %e %H:%M:%S %Y\r\n", &tm);
		w->day_sec = now;
	}
	if (len >= 26) {
		memcpy(out, w->day, 26);
		return 26;
	}
	if (len >= 24) {
		memcpy(out, w->day, 24);
		return 24;
	}
	if (len >= 8) {
		memcpy(out, w->day + 11, 8);
		return 8;
	}
	return 0;
}

/*
 * Returns ES_DROP_BCAST or ES_DROP_MCAST if a datagram with metadata m
 * was sent to a broadcast or multicast address (the header's destination,
 * from IP_PKTINFO, or else the address the socket is bound to), -1 for a
 * unicast one.
 */
static int
es_group_kind(const struct es_worker *w, const struct sock_meta *m)
{
	const struct es_ifaddrs *ifa = &w->srv->ifa;
	struct srctab_key k;
	uint32_t a;
	size_t i;

	if (srctab_key_from(
		(const struct sockaddr *)(m->tolen > 0 ? &m->to : &w->local),
		&k) == -1)
		return -1;
	if (k.family == AF_INET6)
		return k.addr[0] == 0xff ? ES_DROP_MCAST : -1;
	memcpy(&a, k.addr, 4);
	if (IN_MULTICAST(ntohl(a)))
		return ES_DROP_MCAST;
	if (a == htonl(INADDR_BROADCAST))
		return ES_DROP_BCAST;
	for (i = 0; i < ifa->nbcast; i++) {
		if (ifa->bcast[i].s_addr == a)
			return ES_DROP_BCAST;
	}
	return -1;
}

static int
es_is_wildcard(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return ((const struct sockaddr_in *)(const void *)ss)
			   ->sin_addr.s_addr == htonl(INADDR_ANY);
	if (ss->ss_family == AF_INET6)
		return IN6_IS_ADDR_UNSPECIFIED(
		    &((const struct sockaddr_in6 *)(const void *)ss)
			 ->sin6_addr);
	return 1;
}

static void
es_upper(uint8_t *p, size_t len)
{
	size_t i;

	/* ASCII letters only: multibyte UTF-8 passes through unchanged. */
	for (i = 0; i < len; i++) {
		if (p[i] >= 'a' && p[i] <= 'z')
			p[i] = (uint8_t)(p[i] - ('a' - 'A'));
	}
}

static void
es_log(struct es_worker *w, const char *event, const struct sockaddr *peer,
    socklen_t peerlen, const struct sock_meta *m, size_t len,
    const char *reason)
{
	struct out *o = &w->out;
	struct sockaddr_storage local;
	char a[ADDR_STRLEN], b[ADDR_STRLEN];
	int reply = strcmp(event, "received") != 0;

	addr_format(peer, peerlen, ADDR_FMT_PORT, a, sizeof a);
	b[0] = '\0';
	/* Text names the local address; JSON its port too, as listen's "to". */
	if (m != NULL && m->tolen > 0) {
		local = m->to;
		addr_set_port((struct sockaddr *)&local, w->srv->port);
		addr_format((const struct sockaddr *)&local, m->tolen,
		    o->json ? ADDR_FMT_PORT : 0, b, sizeof b);
	} else if (w->locallen > 0 && !es_is_wildcard(&w->local))
		addr_format((const struct sockaddr *)&w->local, w->locallen,
		    o->json ? ADDR_FMT_PORT : 0, b, sizeof b);
	flockfile(o->fp);
	/* After a failed write nobody reads the log, and the server is stopping. */
	if (ferror(o->fp)) {
		funlockfile(o->fp);
		return;
	}
	if (o->json) {
		/* JSON names the event as every command does. */
		out_event(o,
		    !reply				? "datagram"
			: strcmp(event, "written") == 0 ? "reply"
							: "unsent",
		    NULL);
		out_str(o, reply ? "to" : "from", NULL, a);
		if (b[0] != '\0')
			out_str(o, reply ? "from" : "to", NULL, b);
		out_uint(o, "length", NULL, len);
		if (reason != NULL)
			out_str(o, "reason", NULL, reason);
		out_obj_close(o);
	} else if (reply) {
		fprintf(o->fp, "%s %zu %s to %s%s%s%s%s%s\n", event, len,
		    out_plural(len, "byte", "bytes"), a,
		    b[0] != '\0' ? " from " : "", b, reason != NULL ? " (" : "",
		    reason != NULL ? reason : "", reason != NULL ? ")" : "");
	} else {
		fprintf(o->fp, "%s %zu %s from %s%s%s%s%s%s\n", event, len,
		    out_plural(len, "byte", "bytes"), a,
		    b[0] != '\0' ? " to " : "", b, reason != NULL ? " (" : "",
		    reason != NULL ? reason : "", reason != NULL ? ")" : "");
	}
	/* -v is for someone watching: stop when nobody can (main() says why). */
	if (out_stdout_flush() == -1) {
		es_stop = 1;
		if (w->index != 0)
			pthread_kill(w->srv->main_tid, SIGUSR2);
	}
	funlockfile(o->fp);
}

/*
 * Turns a sockperf request at p into its reply in place; returns -1 when
 * it is to be answered, else the reason it is not.
 */
static int
es_sockperf(uint8_t *p, size_t len)
{
	unsigned flags;

	if (len < ES_SP_HDRLEN)
		return ES_DROP_SHORT;
	flags = (unsigned)p[ES_SP_FLAGS] << 8 | p[ES_SP_FLAGS + 1];
	if (!(flags & ES_SP_CLIENT))
		return ES_DROP_NOT_SOCKPERF;
	/* Throughput tests ask for a reply only now and then. */
	if (!(flags & ES_SP_PONG_REQUEST))
		return ES_DROP_NO_PONG;
	p[ES_SP_FLAGS + 1] &= (uint8_t)~ES_SP_CLIENT;
	return -1;
}

/*
 * Decides what happens to request i of a batch, sent to a group address
 * if group is a drop reason (es_group_kind); returns a drop reason or -1.
 * Every rule on the addresses comes first, so that a refused source never
 * enters the table and never pushes an answered one out of it.
 */
static int
es_judge(struct es_worker *w, int i, size_t len, uint64_t now, int group,
    struct srctab_entry **ep)
{
	const struct es_conf *conf = w->srv->conf;
	const struct sockaddr *sa = (const struct sockaddr *)&w->from[i];
	struct srctab_key key;
	struct srctab_entry *e;
	uint16_t port = addr_get_port(sa);
	uint64_t evicted;
	int created, k, allowed;

	*ep = NULL;
	if (port == 0)
		return ES_DROP_PORT0;
	if (srctab_key_from(sa, &key) == -1)
		return ES_DROP_ALLOW;
	/*
	 * A source with the server's own port is another copy of this server
	 * or the server itself: answering starts a loop.  From one of this
	 * host's addresses it is refused even with --allow-loop.
	 */
	if (port == w->srv->port) {
		if (es_is_local(&w->srv->ifa, &key))
			return ES_DROP_OWN_ADDR;
		if (!conf->allow_loop)
			return ES_DROP_OWN_PORT;
	}
	if (!conf->allow_loop && es_is_loop_port(port))
		return ES_DROP_LOOP;
	if (group != -1 && !conf->allow_broadcast)
		return group;
	if (conf->nallow > 0) {
		allowed = 0;
		for (k = 0; k < conf->nallow && !allowed; k++)
			allowed = addr_cidr_contains(&conf->allow[k], sa);
		if (!allowed)
			return ES_DROP_ALLOW;
	}
	evicted = w->srv->tab.evicted;
	e = srctab_get(&w->srv->tab, &key, &created);
	/*
	 * A source that had to push another out starts with an empty
	 * bucket: otherwise cycling through more sources than the table
	 * holds would hand each a fresh burst and void --rate.
	 */
	if (created && conf->rate > 0)
		tbucket_init(&e->bucket,
		    w->srv->tab.evicted != evicted ? 0.0 : conf->burst, now);
	e->dgrams++;
	e->bytes += len;
	*ep = e;
	if (w->rmsg[i].msg_hdr.msg_flags & MSG_TRUNC)
		return ES_DROP_TRUNC;
	if (conf->rate > 0 &&
	    !tbucket_take(&e->bucket, conf->rate, conf->burst, now))
		return ES_DROP_RATE;
	return -1;
}

/*
 * Replies that go to one peer from one local address, all of one size
 * (the last may be shorter), leave in one sendmsg with a UDP_SEGMENT
 * control message: the kernel, or the network card, cuts it into exactly
 * the datagrams one sendmsg each would have sent, but routes it and walks
 * the stack down once.  That is most of what a reply costs when a client
 * keeps many requests in flight.  Returns the number of messages in gmsg.
 */
static int
es_group(struct es_worker *w, int nsend)
{
	struct msghdr *a, *b;
	size_t seg, total;
	int i = 0, k, ng = 0;

	while (i < nsend) {
		a = &w->smsg[i].msg_hdr;
		seg = w->siov[i].iov_len;
		total = seg;
		k = 1;
		while (seg > 0 && seg <= w->gso_max && i + k < nsend &&
		    w->siov[i + k - 1].iov_len == seg) {
			b = &w->smsg[i + k].msg_hdr;
			if (w->siov[i + k].iov_len > seg ||
			    w->siov[i + k].iov_len == 0 ||
			    total + w->siov[i + k].iov_len > SOCK_SEGMENT_MAX ||
			    b->msg_namelen != a->msg_namelen ||
			    memcmp(b->msg_name, a->msg_name, a->msg_namelen) !=
				0 ||
			    b->msg_controllen != a->msg_controllen ||
			    (a->msg_controllen > 0 &&
				memcmp(b->msg_control, a->msg_control,
				    a->msg_controllen) != 0))
				break;
			total += w->siov[i + k].iov_len;
			k++;
		}
		w->gmsg[ng].msg_hdr = *a; /* one datagram */
		if (k > 1) {
			/* After the reply's own control message, in its buffer. */
			char *cb = w->scbuf[i].buf;
			size_t clen = sock_segment_cmsg(cb + a->msg_controllen,
			    sizeof w->scbuf[i].buf - a->msg_controllen, seg);

			if (clen == 0)
				k = 1;
			else {
				w->gmsg[ng].msg_hdr.msg_iovlen = (size_t)k;
				w->gmsg[ng].msg_hdr.msg_control = cb;
				w->gmsg[ng].msg_hdr.msg_controllen =
				    a->msg_controllen + clen;
			}
		}
		w->gfirst[ng] = i;
		w->gcount[ng] = k;
		ng++;
		i += k;
	}
	return ng;
}

/* Counts the fate of reply i: sent (e == 0) or failed with errno e. */
static void
es_sent(struct es_worker *w, int i, int e)
{
	w->senderrno[i] = e;
	if (e != 0) {
		ES_ADD(w->c.senderr[es_senderr_class(e)], 1);
		return;
	}
	ES_ADD(w->c.out, 1);
	ES_ADD(w->c.out_bytes, w->siov[i].iov_len);
}

/*
 * A segmented send the kernel refused (sock_segment_refused): its replies
 * go one by one.  Later runs stay below a segment size the route refused
 * (its MTU), and stop altogether after ES_GSO_FAILS refusals or one for
 * any other reason.
 */
static void
es_ungroup(struct es_worker *w, int g, int e)
{
	int i, first = w->gfirst[g];
	ssize_t r;

	ES_ADD(w->c.seg_refused, 1);
	if (sock_segment_refused(e) == 2 && w->siov[first].iov_len > 1 &&
	    ++w->gso_fails < ES_GSO_FAILS)
		w->gso_max = w->siov[first].iov_len - 1;
	else
		w->gso_max = 0;
	for (i = first; i < first + w->gcount[g]; i++) {
		do
			r = sendmsg(w->fd, &w->smsg[i].msg_hdr, 0);
		while (r == -1 && errno == EINTR);
		es_sent(w, i, r == -1 ? errno : 0);
	}
}

/* Sends nsend replies, skipping over any that fail; errors are counted. */
static void
es_send_batch(struct es_worker *w, int nsend)
{
	int done = 0, ng, r, i, k, e;

	ng = es_group(w, nsend);
	while (done < ng) {
		r = sendmmsg(w->fd, w->gmsg + done, (unsigned)(ng - done), 0);
		if (r == -1) {
			e = errno;
			if (e == EINTR)
				continue;
			/* The first message of the rest failed: count it, go on. */
			if (w->gcount[done] > 1 && sock_segment_refused(e))
				es_ungroup(w, done, e);
			else
				for (k = 0; k < w->gcount[done]; k++)
					es_sent(w, w->gfirst[done] + k, e);
			done++;
			continue;
		}
		for (i = done; i < done + r; i++) {
			for (k = 0; k < w->gcount[i]; k++)
				es_sent(w, w->gfirst[i] + k, 0);
			if (w->gcount[i] > 1) {
				ES_ADD(w->c.seg_sends, 1);
				ES_ADD(
				    w->c.seg_replies, (uint64_t)w->gcount[i]);
			}
		}
		done += r;
	}
}

static void
es_batch(struct es_worker *w, int n)
{
	const struct es_conf *conf = w->srv->conf;
	struct srctab_entry *e;
	struct sock_meta m;
	uint64_t now = 0, bytes = 0, nin = 0;
	uint8_t *p;
	size_t len, rlen, clen;
	int i, nsend = 0, drop, group;

	if (conf->rate > 0)
		now = es_now_ns();
	pthread_mutex_lock(&w->srv->tab_lock);
	for (i = 0; i < n; i++) {
		len = w->rmsg[i].msg_len;
		p = w->buf + (size_t)i * ES_STRIDE;
		/* sock_parse_cmsg sets every field sock_reply_cmsg reads. */
		sock_parse_cmsg(&w->rmsg[i].msg_hdr, &m);
		group = es_group_kind(w, &m);
		/*
		 * Every worker's socket gets its own copy of a broadcast or
		 * multicast datagram: the first worker alone counts and
		 * answers it, so that one host answers once.
		 */
		if (group != -1 && w->index != 0)
			continue;
		nin++;
		bytes += len;
		drop = es_judge(w, i, len, now, group, &e);
		rlen = len;
		if (drop == -1 && conf->mode == ES_DAYTIME) {
			rlen = es_daytime(w, len, p);
			if (rlen == 0)
				drop = ES_DROP_SHORT;
		}
		if (drop == -1 && conf->mode == ES_SOCKPERF)
			drop = es_sockperf(p, len);
		if (conf->verbose)
			es_log(w, "received", (struct sockaddr *)&w->from[i],
			    w->rmsg[i].msg_hdr.msg_namelen, &m, len,
			    drop != -1 ? es_drop_names[drop] : NULL);
		if (drop != -1) {
			ES_ADD(w->c.drop[drop], 1);
			if (e != NULL)
				e->dropped++;
			continue;
		}
		if (conf->mode == ES_DISCARD)
			continue;
		if (conf->mode == ES_UPPER)
			es_upper(p, len);
		/* No reply may leave from a group address: the host's own. */
		if (group != -1)
			m.tolen = 0;
		clen = sock_reply_cmsg(
		    &m, w->scbuf[nsend].buf, sizeof w->scbuf[nsend].buf);
		w->siov[nsend].iov_base = p;
		w->siov[nsend].iov_len = rlen;
		w->smsg[nsend].msg_hdr.msg_name = &w->from[i];
		w->smsg[nsend].msg_hdr.msg_namelen =
		    w->rmsg[i].msg_hdr.msg_namelen;
		w->smsg[nsend].msg_hdr.msg_control =
		    clen > 0 ? w->scbuf[nsend].buf : NULL;
		w->smsg[nsend].msg_hdr.msg_controllen = clen;
		w->slot[nsend] = i;
		if (e != NULL)
			e->replies++;
		nsend++;
	}
	pthread_mutex_unlock(&w->srv->tab_lock);
	ES_ADD(w->c.in, nin);
	ES_ADD(w->c.in_bytes, bytes);
	if (nsend > 0)
		es_send_batch(w, nsend);
	if (conf->verbose) {
		for (i = 0; i < nsend; i++) {
			int s = w->slot[i];

			sock_parse_cmsg(&w->rmsg[s].msg_hdr, &m);
			es_log(w, w->senderrno[i] == 0 ? "written" : "unsent",
			    (struct sockaddr *)&w->from[s],
			    w->rmsg[s].msg_hdr.msg_namelen, &m,
			    w->siov[i].iov_len,
			    w->senderrno[i] == 0 ? NULL
						 : strerror(w->senderrno[i]));
		}
	}
}

static void es_print_report(struct es_server *srv, int final);
static void es_print_stats(struct es_server *srv);

/* The receive loop; the main worker (index 0) also prints reports. */
static void *
es_worker_run(void *arg)
{
	struct es_worker *w = arg;
	uint64_t now;
	int i, n, last = ES_BATCH;

	for (i = 0; i < ES_BATCH; i++) {
		w->riov[i].iov_base = w->buf + (size_t)i * ES_STRIDE;
		w->riov[i].iov_len = ES_BUFSIZE;
		w->rmsg[i].msg_hdr.msg_name = &w->from[i];
		w->rmsg[i].msg_hdr.msg_iov = &w->riov[i];
		w->rmsg[i].msg_hdr.msg_iovlen = 1;
		w->rmsg[i].msg_hdr.msg_control = w->rcbuf[i].buf;
		w->smsg[i].msg_hdr.msg_iov = &w->siov[i];
		w->smsg[i].msg_hdr.msg_iovlen = 1;
	}
	while (!es_stop) {
		if (w->index == 0) {
			now = es_now_ns();
			if (now >= w->srv->ifa_next_ns)
				es_ifaddrs_refresh(w->srv, now);
			if (es_report) {
				es_report = 0;
				es_print_report(w->srv, 0);
			}
			if (es_tick) {
				es_tick = 0;
				es_print_stats(w->srv);
			}
		}
		/* recvmmsg rewrites these; reset only the slots it used. */
		for (i = 0; i < last; i++) {
			w->rmsg[i].msg_hdr.msg_namelen = sizeof w->from[i];
			w->rmsg[i].msg_hdr.msg_controllen =
			    sizeof w->rcbuf[i].buf;
		}
		n = recvmmsg(w->fd, w->rmsg, ES_BATCH, MSG_WAITFORONE, NULL);
		if (n == -1) {
			if (errno == EINTR || errno == EAGAIN ||
			    errno == ENOBUFS || errno == ECONNREFUSED)
				continue;
			log_warn("recvmmsg");
			w->failed = 1;
			es_stop = 1;
			/* The main thread may sleep in recvmmsg: wake it. */
			if (w->index != 0)
				pthread_kill(w->srv->main_tid, SIGUSR2);
			break;
		}
		last = n;
		es_batch(w, n);
	}
	return NULL;
}

static void
es_sum(const struct es_server *srv, struct es_counters *t)
{
	const struct es_counters *c;
	int i, k;

	memset(t, 0, sizeof *t);
	for (i = 0; i < srv->nworkers; i++) {
		c = &srv->w[i].c;
		t->in += ES_LOAD(c->in);
		t->in_bytes += ES_LOAD(c->in_bytes);
		t->out += ES_LOAD(c->out);
		t->out_bytes += ES_LOAD(c->out_bytes);
		for (k = 0; k < ES_DROP_N; k++)
			t->drop[k] += ES_LOAD(c->drop[k]);
		for (k = 0; k < ES_SE_N; k++)
			t->senderr[k] += ES_LOAD(c->senderr[k]);
		t->seg_sends += ES_LOAD(c->seg_sends);
		t->seg_replies += ES_LOAD(c->seg_replies);
		t->seg_refused += ES_LOAD(c->seg_refused);
	}
}

static double
es_elapsed(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) +
	    (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

/* The datagrams the kernel dropped before any worker could read them. */
static uint64_t
es_kernel_drops(const struct es_server *srv)
{
	uint64_t sum = 0;
	long long d;
	int i;

	for (i = 0; i < srv->conf->threads; i++) {
		if (srv->w[i].fd >= 0 &&
		    (d = sock_kernel_drops(srv->w[i].fd)) > 0)
			sum += (uint64_t)d;
	}
	return sum;
}

/*
 * One summary (final) or report (SIGUSR1): totals, sender addresses, top
 * senders, drops and send errors by reason.  With -j it is one JSON line
 * on stdout, as every command's summary is; else text on stderr.
 */
static void
es_print_report(struct es_server *srv, int final)
{
	const struct srctab_entry *top[ES_TOP];
	struct es_counters t;
	struct sockaddr_storage ss;
	struct timespec now;
	struct out o;
	uint64_t drops = 0, errs = 0, distinct, evicted, kdrops;
	char a[ADDR_STRLEN];
	size_t ntop, i;
	socklen_t len;
	int k;

	es_sum(srv, &t);
	kdrops = es_kernel_drops(srv);
	clock_gettime(CLOCK_MONOTONIC, &now);
	for (k = 0; k < ES_DROP_N; k++)
		drops += t.drop[k];
	for (k = 0; k < ES_SE_N; k++)
		errs += t.senderr[k];
	out_init(&o, srv->conf->json ? stdout : stderr, srv->conf->json);
	fflush(stdout);
	flockfile(o.fp);
	pthread_mutex_lock(&srv->tab_lock);
	distinct = srv->tab.inserted;
	evicted = srv->tab.evicted;
	ntop = srctab_top(&srv->tab, top, ES_TOP);
	out_event(&o, "summary", NULL);
	out_bool(&o, "final", NULL, final);
	out_double(&o, "elapsed_s", NULL, es_elapsed(&srv->start, &now));
	out_text(&o, "udptool: echo-serve: %s after %.1f s: ",
	    final ? "summary" : "report", es_elapsed(&srv->start, &now));
	out_count(&o, "received", "%llu %s in", t.in, "datagram", "datagrams");
	out_count(
	    &o, "received_bytes", " (%llu %s), ", t.in_bytes, "byte", "bytes");
	out_uint(&o, "sent", "%llu out", t.out);
	out_count(
	    &o, "sent_bytes", " (%llu %s), ", t.out_bytes, "byte", "bytes");
	out_count(
	    &o, "senders", "%llu sender %s", distinct, "address", "addresses");
	out_uint(&o, "senders_evicted",
	    evicted > 0 ? " (%llu evicted from the table)" : NULL, evicted);
	out_uint(&o, "dropped", ", %llu dropped", drops);
	out_count(&o, "send_errors", ", %llu send %s", errs, "error", "errors");
	out_uint(&o, "kernel_drops",
	    kdrops > 0 ? ", %llu dropped by the kernel (receive buffer full: "
			 "raise --buffer)"
		       : NULL,
	    kdrops);
	out_text(&o, "\n");
	out_arr_open(&o, "top_senders");
	for (i = 0; i < ntop; i++) {
		len = srctab_key_sockaddr(&top[i]->key, &ss);
		addr_format((struct sockaddr *)&ss, len, 0, a, sizeof a);
		out_obj_open(&o, NULL);
		out_str(&o, "address", "  top sender %s:", a);
		out_count(&o, "received", " %llu %s", top[i]->dgrams,
		    "datagram", "datagrams");
		out_count(&o, "received_bytes", ", %llu %s", top[i]->bytes,
		    "byte", "bytes");
		out_count(&o, "sent", ", %llu %s", top[i]->replies, "reply",
		    "replies");
		out_uint(&o, "dropped", ", %llu dropped\n", top[i]->dropped);
		out_obj_close(&o);
	}
	out_arr_close(&o);
	pthread_mutex_unlock(&srv->tab_lock);
	out_obj_open(&o, "drops");
	for (k = 0; k < ES_DROP_N; k++) {
		if (t.drop[k] > 0 || o.json) {
			out_text(&o, "  dropped (%s):", es_drop_names[k]);
			out_uint(&o, es_drop_names[k], " %llu\n", t.drop[k]);
		}
	}
	out_obj_close(&o);
	if (t.seg_sends > 0 || t.seg_refused > 0 || o.json) {
		out_uint(&o, "segmented_sends",
		    "  segmented sends: %llu, carrying", t.seg_sends);
		out_count(&o, "segmented_replies", " %llu %s", t.seg_replies,
		    "reply", "replies");
		out_uint(&o, "segmented_refused", " (%llu refused)\n",
		    t.seg_refused);
	}
	out_obj_open(&o, "send_errors_by_kind");
	for (k = 0; k < ES_SE_N; k++) {
		if (t.senderr[k] > 0 || o.json) {
			out_text(
			    &o, "  send errors (%s):", es_senderr_names[k]);
			out_uint(
			    &o, es_senderr_names[k], " %llu\n", t.senderr[k]);
		}
	}
	out_obj_close(&o);
	out_obj_close(&o);
	fflush(o.fp);
	funlockfile(o.fp);
}

/* The --stats line: rates since the previous line and totals. */
static void
es_print_stats(struct es_server *srv)
{
	struct es_counters t;
	struct timespec now;
	struct out o;
	uint64_t drops = 0, errs = 0;
	double dt;
	int k;

	es_sum(srv, &t);
	clock_gettime(CLOCK_MONOTONIC, &now);
	dt = es_elapsed(&srv->last_ts, &now);
	if (dt <= 0)
		dt = 1e-9;
	for (k = 0; k < ES_DROP_N; k++)
		drops += t.drop[k];
	for (k = 0; k < ES_SE_N; k++)
		errs += t.senderr[k];
	out_init(&o, srv->conf->json ? stdout : stderr, srv->conf->json);
	fflush(stdout);
	flockfile(o.fp);
	out_event(&o, "stats", NULL);
	out_text(&o, "udptool: echo-serve: stats: ");
	out_double(&o, "received_per_s", "%.0f in/s",
	    (double)(t.in - srv->last.in) / dt);
	out_double(&o, "sent_per_s", ", %.0f out/s",
	    (double)(t.out - srv->last.out) / dt);
	out_double(&o, "received_bytes_per_s", ", %.0f bytes/s in",
	    (double)(t.in_bytes - srv->last.in_bytes) / dt);
	out_uint(&o, "received", "; total %llu in", t.in);
	out_uint(&o, "sent", ", %llu out", t.out);
	out_uint(&o, "dropped", ", %llu dropped", drops);
	out_count(
	    &o, "send_errors", ", %llu send %s\n", errs, "error", "errors");
	out_obj_close(&o);
	fflush(o.fp);
	funlockfile(o.fp);
	srv->last = t;
	srv->last_ts = now;
}

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
};

static const struct option es_longopts[] = {
    {"mode", required_argument, NULL, 'm'},
    {"verbose", no_argument, NULL, 'v'},
    {"json", no_argument, NULL, 'j'},
    {"threads", required_argument, NULL, OPT_THREADS},
    {"stats", required_argument, NULL, OPT_STATS},
    {"allow", required_argument, NULL, OPT_ALLOW},
    {"rate", required_argument, NULL, OPT_RATE},
    {"max-sources", required_argument, NULL, OPT_MAX_SOURCES},
    {"allow-loop", no_argument, NULL, OPT_ALLOW_LOOP},
    {"allow-broadcast", no_argument, NULL, OPT_ALLOW_BROADCAST},
    {"no-gso", no_argument, NULL, OPT_NO_GSO},
    {"rcvbuf", required_argument, NULL, OPT_RCVBUF},
    CMD_HELP_OPTION,
    {NULL, 0, NULL, 0},
};

static int
es_parse(struct cmd_ctx *ctx, int argc, char **argv, struct es_conf *conf,
    int *family, struct addr_spec *spec)
{
	char err[ADDR_ERRLEN];
	const char *errstr;
	long long sz;
	double v;
	int ch, r, k;

	memset(conf, 0, sizeof *conf);
	conf->max_sources = ES_DEFAULT_SOURCES;
	conf->threads = 1;
	*family = AF_UNSPEC;
	while ((ch = getopt_long(argc, argv, "+46hjm:v", es_longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case '4':
			*family = AF_INET;
			break;
		case '6':
			*family = AF_INET6;
			break;
		case 'm':
			for (k = 0; k < ES_NMODES; k++) {
				if (strcmp(optarg, es_mode_names[k]) == 0)
					break;
			}
			if (k == ES_NMODES) {
				log_warnx("invalid mode '%s' (echo, upper, "
					  "daytime, discard, sockperf)",
				    ERRMSG_QUOTE(optarg));
				return UT_EXIT_ERROR;
			}
			conf->mode = (enum es_mode)k;
			break;
		case 'v':
			conf->verbose = 1;
			break;
		case 'j':
			conf->json = 1;
			break;
		case OPT_THREADS:
			if (num_double(optarg, 1, ES_THREADS_MAX, &v, NULL) ==
				-1 ||
			    v != (int)v) {
				log_warnx("invalid thread count '%s' (1-%d)",
				    ERRMSG_QUOTE(optarg), ES_THREADS_MAX);
				return UT_EXIT_ERROR;
			}
			conf->threads = (int)v;
			break;
		case OPT_STATS:
			if (num_double(optarg, 0.1, 86400, &v, NULL) == -1) {
				log_warnx("invalid stats interval '%s' "
					  "(0.1-86400 seconds)",
				    ERRMSG_QUOTE(optarg));
				return UT_EXIT_ERROR;
			}
			conf->stats = v;
			break;
		case OPT_ALLOW:
			if (conf->nallow == ES_ALLOW_MAX) {
				log_warnx(
				    "too many --allow prefixes (at most %d)",
				    ES_ALLOW_MAX);
				return UT_EXIT_ERROR;
			}
			if (addr_parse_cidr(optarg, &conf->allow[conf->nallow],
				err, sizeof err) == -1) {
				log_warnx("%s", err);
				return UT_EXIT_ERROR;
			}
			conf->nallow++;
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
			if (num_double(optarg, 1, SRCTAB_MAX, &v, NULL) == -1 ||
			    v != (double)(size_t)v) {
				log_warnx(
				    "invalid source table size '%s' (1-%d)",
				    ERRMSG_QUOTE(optarg), SRCTAB_MAX);
				return UT_EXIT_ERROR;
			}
			conf->max_sources = (size_t)v;
			break;
		case OPT_ALLOW_LOOP:
			conf->allow_loop = 1;
			break;
		case OPT_RCVBUF:
			if (num_size(optarg, 1024, 1 << 30, &sz, &errstr) ==
			    -1) {
				log_warnx("invalid receive buffer size '%s' "
					  "(1K-1024M bytes, K and M allowed)",
				    ERRMSG_QUOTE(optarg));
				return UT_EXIT_ERROR;
			}
			conf->rcvbuf = (int)sz;
			break;
		case OPT_NO_GSO:
			conf->no_gso = 1;
			break;
		case OPT_ALLOW_BROADCAST:
			conf->allow_broadcast = 1;
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
			got = sock_set_rcvbuf(w->fd, srv->conf->rcvbuf);
			if (got == -1) {
				log_warn("cannot set the receive buffer");
				return -1;
			}
			if (got < srv->conf->rcvbuf && i == 0)
				log_warnx("receive buffer is %d bytes, not %d "
					  "(net.core.rmem_max limits it; root "
					  "may exceed it)",
				    got, srv->conf->rcvbuf);
		}
		w->locallen = sizeof w->local;
		if (getsockname(w->fd, (struct sockaddr *)&w->local,
			&w->locallen) == -1)
			w->locallen = 0;
		if (es_is_wildcard(&w->local) &&
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

static int
es_signals(const struct es_conf *conf)
{
	struct sigaction sa;
	struct itimerval it;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = es_on_signal;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: a signal must interrupt recvmmsg. */
	sa.sa_flags = 0;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
#ifdef SIGINFO
	sigaction(SIGINFO, &sa, NULL);
#endif
	if (conf->stats > 0) {
		memset(&it, 0, sizeof it);
		it.it_interval.tv_sec = (time_t)conf->stats;
		it.it_interval.tv_usec =
		    (suseconds_t)((conf->stats - (double)(time_t)conf->stats) *
			1e6);
		it.it_value = it.it_interval;
		if (setitimer(ITIMER_REAL, &it, NULL) == -1) {
			log_warn("setitimer");
			return -1;
		}
	}
	return 0;
}

static void
es_signals_restore(void)
{
	struct itimerval it;

	memset(&it, 0, sizeof it);
	setitimer(ITIMER_REAL, &it, NULL);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGUSR1, SIG_DFL);
	signal(SIGUSR2, SIG_DFL);
	signal(SIGALRM, SIG_DFL);
#ifdef SIGINFO
	signal(SIGINFO, SIG_DFL);
#endif
}

static uint64_t
es_seed(void)
{
	struct timespec ts;
	uint64_t s;

	clock_gettime(CLOCK_REALTIME, &ts);
	s = (uint64_t)ts.tv_nsec * 0x9e3779b97f4a7c15ULL ^ (uint64_t)ts.tv_sec ^
	    ((uint64_t)getpid() << 32);
	return s;
}

static int
cmd_echo_serve_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct es_conf conf;
	struct es_server srv;
	struct addr_spec spec;
	sigset_t block, old;
	char err[ADDR_ERRLEN];
	int family, r, i, status = UT_EXIT_OK;

	r = es_parse(ctx, argc, argv, &conf, &family, &spec);
	if (r != -1)
		return r;
	es_stop = es_report = es_tick = 0;
	memset(&srv, 0, sizeof srv);
	srv.conf = &conf;
	srv.nworkers = conf.threads;
	srv.main_tid = pthread_self();
	pthread_mutex_init(&srv.tab_lock, NULL);
	if (srctab_init(
		&srv.tab, conf.max_sources, es_seed(), err, sizeof err) == -1) {
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
	if (es_ifaddrs_load(&srv.ifa) == -1) {
		log_warn("cannot read the host's addresses");
		status = UT_EXIT_ERROR;
		goto out;
	}
	srv.ifa_next_ns = es_now_ns() + ES_IFADDRS_NS;
	if (es_open(&srv, &spec, family) == -1 || es_signals(&conf) == -1) {
		/* A name that does not resolve is a negative answer. */
		status = srv.notfound ? UT_EXIT_NEGATIVE : UT_EXIT_ERROR;
		goto out;
	}
	clock_gettime(CLOCK_MONOTONIC, &srv.start);
	srv.last_ts = srv.start;

	/* Workers leave every signal but the wake-up to the main thread. */
	sigfillset(&block);
	sigdelset(&block, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	for (i = 1; i < srv.nworkers; i++) {
		if (pthread_create(
			&srv.w[i].tid, NULL, es_worker_run, &srv.w[i]) != 0) {
			log_warnx("cannot start worker thread %d", i);
			es_stop = 1;
			status = UT_EXIT_ERROR;
			break;
		}
		srv.w[i].running = 1;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!es_stop)
		es_worker_run(&srv.w[0]);
	for (i = 1; i < srv.nworkers; i++) {
		if (srv.w[i].running) {
			pthread_kill(srv.w[i].tid, SIGUSR2);
			pthread_join(srv.w[i].tid, NULL);
		}
	}
	for (i = 0; i < srv.nworkers; i++) {
		if (srv.w[i].failed)
			status = UT_EXIT_ERROR;
	}
	es_print_report(&srv, 1);
out:
	es_signals_restore();
	for (i = 0; i < srv.nworkers; i++) {
		if (srv.w[i].fd != -1)
			close(srv.w[i].fd);
		free(srv.w[i].buf);
	}
	free(srv.w);
	es_ifaddrs_free(&srv.ifa);
	srctab_free(&srv.tab);
	pthread_mutex_destroy(&srv.tab_lock);
	return status;
}

const struct cmd_entry cmd_echo_serve_entry = {
    .name = "echo-serve",
    .usage = "[-46jv] [-m mode] [--threads n] [--stats seconds] "
	     "[--allow cidr] [--rate pps] [--max-sources n] [--allow-loop] "
	     "[--allow-broadcast] [--no-gso] [--rcvbuf size] [address:]port",
    .summary =
	"answer UDP datagrams: echo, upper case, daytime, discard or sockperf",
    .help =
	"Options:\n"
	"  -4, -6               IPv4 or IPv6 only (default: both, on [::])\n"
	"  -m, --mode MODE      echo (default), upper, daytime (RFC 867),\n"
	"                       discard (RFC 863: count, never reply),\n"
	"                       sockperf (answer sockperf ping-pong clients)\n"
	"  -v, --verbose        log every datagram received and written\n"
	"  -j, --json           logs, reports and the summary as JSON lines\n"
	"      --threads N      N workers sharing the port (SO_REUSEPORT)\n"
	"      --stats SECONDS  print a rate line on stderr every SECONDS\n"
	"      --allow CIDR     answer only these sources (repeatable)\n"
	"      --rate PPS       at most PPS replies per second per source\n"
	"      --max-sources N  per-source table size (default 4096; the\n"
	"                       least recently seen source is evicted)\n"
	"      --allow-loop     also answer source ports below 1024, known\n"
	"                       reflector ports and the server's own port\n"
	"      --allow-broadcast  answer datagrams sent to a broadcast or\n"
	"                       multicast address (once per host)\n"
	"      --no-gso         one send per reply: no segmentation offload\n"
	"      --rcvbuf SIZE    the sockets' receive buffer (SO_RCVBUF; K, M)\n"
	"                       (UDP_SEGMENT), for captures that must show\n"
	"                       each reply as the stack sent it\n"
	"\n"
	"Replies leave from the address the request was sent to and are\n"
	"never larger than the request.  Source port 0 and the server's own\n"
	"port from one of this host's addresses are never answered.  SIGINT\n"
	"or SIGTERM print a summary and exit; SIGUSR1 prints one and goes "
	"on.\n",
    .longopts = es_longopts,
    .exec = cmd_echo_serve_exec,
};
