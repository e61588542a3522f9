/* SPDX-License-Identifier: ISC */
/*
 * "udptool ping": ICMP echo as ping(8) does it, without root where the
 * kernel allows, and UDP round trips against any echo server (-u).
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/types.h>

#include <net/if.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#ifdef __linux__
#include <linux/errqueue.h>
#include <linux/icmp.h>
#endif

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
#include "output.h"
#include "priv.h"
#include "sock.h"
#include "stats.h"
#include "udptool.h"

#define PING_DEFAULT_SIZE 56
#define PING_MIN_USER_INTERVAL 2.0 /* ms, as ping(8) */
#define PING_ICMP_TIMEOUT 10000.0 /* ms, ping(8)'s linger time */
#define PING_UDP_TIMEOUT 2000.0
#define PING_HIST_BINS 10
#define PING_HIST_WIDTH 40
#define PING_RECV_BATCH 64 /* datagrams read per wakeup */

/* UDP probe header: magic, run cookie, sequence, send time. */
#define UDP_MAGIC "UTPG"
#define UDP_HDRLEN 24

#define OPT_HISTOGRAM 256

enum ping_sock { PING_DGRAM, PING_RAW, PING_UDP };

struct ping {
	struct out o;
	int family;
	int udp;
	enum ping_sock kind;
	int fd;
	long long count; /* 0: until interrupted or the deadline */
	double interval, timeout, deadline; /* ms; deadline 0: none */
	size_t size;
	int ttl, tos, pmtu; /* -1: leave the default */
	const char *iface; /* -I argument */
	int quiet, timestamps, json, histogram, verbose, adaptive;
	const char *target; /* as typed */
	struct sockaddr_storage dst;
	socklen_t dstlen;
	char dstaddr[ADDR_STRLEN];
	uint16_t ident;
	uint32_t cookie;
	struct stats *st;
	double start;
	uint8_t *sbuf, *rbuf, *pbuf;
	size_t rsize;
	uint64_t invalid; /* replies that failed validation */
};

static volatile sig_atomic_t ping_stop;
/*
 * SIGINT, SIGTERM and SIGQUIT stay blocked but inside ppoll(), which waits
 * with this mask: one that comes between the check of its flag and the
 * wait is not missed (with -i 60 it would otherwise wait a minute).
 */
static sigset_t ping_waitmask;
static volatile sig_atomic_t ping_interim;

static void
ping_on_stop(int sig)
{
	ping_stop = 1;
}

static void
ping_on_quit(int sig)
{
	ping_interim = 1;
}

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* The payload's timestamp, derived from the recorded send time so that it can be regenerated. */
static void
ms_to_ts(double ms, struct timespec *ts)
{
	double sec = floor(ms / 1e3);

	ts->tv_sec = (time_t)sec;
	ts->tv_nsec = (long)((ms - sec * 1e3) * 1e6);
	if (ts->tv_nsec < 0)
		ts->tv_nsec = 0;
	if (ts->tv_nsec > 999999999)
		ts->tv_nsec = 999999999;
}

static void
put_be(uint8_t *p, uint64_t v, int n)
{
	while (n-- > 0) {
		p[n] = (uint8_t)v;
		v >>= 8;
	}
}

static uint64_t
get_be(const uint8_t *p, int n)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

/* Writes the UDP probe for seq: header, then a pattern that depends on seq. */
static void
ping_udp_payload(
    uint8_t *p, size_t len, uint32_t cookie, uint64_t seq, double sent)
{
	size_t i;

	memcpy(p, UDP_MAGIC, 4);
	put_be(p + 4, cookie, 4);
	put_be(p + 8, seq, 8);
	put_be(p + 16, (uint64_t)llround(sent * 1e6), 8);
	for (i = UDP_HDRLEN; i < len; i++)
		p[i] = (uint8_t)(i + seq);
}

/* Formats a round trip as ping(8) does: three significant digits or so. */
static char *
ping_fmt_ms(double ms, char *buf, size_t size)
{
	if (ms >= 99.95)
		snprintf(buf, size, "%.0f", ms);
	else if (ms >= 9.995)
		snprintf(buf, size, "%.1f", ms);
	else if (ms >= 0.9995)
		snprintf(buf, size, "%.2f", ms);
	else
		snprintf(buf, size, "%.3f", ms);
	return buf;
}

static int
ping_parse_seconds(
    struct cmd_ctx *ctx, int opt, const char *arg, double *ms, int zero_ok)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (end == arg || *end != '\0' || errno != 0 || !isfinite(v) || v < 0 ||
	    (!zero_ok && v == 0) || v > 2147483.0) {
		cmd_usage_error(ctx, "invalid -%c value '%s' (seconds, %s)",
		    opt, ERRMSG_QUOTE(arg),
		    zero_ok ? "0 or more" : "more than 0");
		return -1;
	}
	*ms = v * 1e3;
	return 0;
}

static int
ping_parse_int(struct cmd_ctx *ctx, int opt, const char *arg, long long min,
    long long max, long long *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(arg, &end, 0);
	if (end == arg || *end != '\0' || errno != 0 || v < min || v > max) {
		cmd_usage_error(ctx, "invalid -%c value '%s' (%lld-%lld)", opt,
		    ERRMSG_QUOTE(arg), min, max);
		return -1;
	}
	*out = v;
	return 0;
}

/* Gives up every privilege for good and checks that none is left. */
static int
ping_drop_privileges(void)
{
	char err[160];

	if (priv_drop() == -1) {
		log_warn("cannot drop privileges");
		return -1;
	}
	if (priv_verify(err, sizeof err) == -1) {
		log_warnx("privileges still held after dropping them: %s", err);
		return -1;
	}
	return 0;
}

/* Reads net.ipv4.ping_group_range for the error message. */
static void
ping_group_range(char *buf, size_t size)
{
	FILE *fp = fopen("/proc/sys/net/ipv4/ping_group_range", "r");
	char *p;

	snprintf(buf, size, "?");
	if (fp == NULL)
		return;
	if (fgets(buf, (int)size, fp) == NULL)
		snprintf(buf, size, "?");
	fclose(fp);
	for (p = buf; *p != '\0'; p++) {
		if (*p == '\t')
			*p = ' ';
		if (*p == '\n')
			*p = '\0';
	}
}

/* An ICMP socket of one family, opened before the target is resolved. */
struct ping_icmp {
	int family;
	int fd;
	enum ping_sock kind;
	int e_dgram, e_raw; /* why each socket could not be opened */
};

/*
 * Opens the ICMP socket: a datagram ("ping") socket first, then a raw one.
 * Why each can fail:
 *   datagram EACCES           our group is outside net.ipv4.ping_group_range
 *   datagram EPROTONOSUPPORT  a kernel without ping sockets
 *   raw EPERM                 no CAP_NET_RAW
 *   either EAFNOSUPPORT       no IPv6 (or IPv4) in this kernel
 */
static void
ping_open_icmp(struct ping_icmp *s)
{
	int proto = s->family == AF_INET6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;

	s->fd = socket(s->family, SOCK_DGRAM | SOCK_CLOEXEC, proto);
	if (s->fd != -1) {
		s->kind = PING_DGRAM;
		return;
	}
	s->e_dgram = errno;
	/* "setcap cap_net_raw+p" grants it only in the permitted set. */
	priv_raise_net_raw();
	s->fd = socket(s->family, SOCK_RAW | SOCK_CLOEXEC, proto);
	if (s->fd != -1) {
		s->kind = PING_RAW;
		return;
	}
	s->e_raw = errno;
}

/* Says why no ICMP socket of s's family could be opened. */
static void
ping_icmp_failed(const struct ping_icmp *s)
{
	char range[64];

	if (s->e_dgram == EAFNOSUPPORT || s->e_raw == EAFNOSUPPORT) {
		log_warnx("cannot open an %s socket: %s",
		    s->family == AF_INET6 ? "ICMPv6" : "ICMP",
		    strerror(EAFNOSUPPORT));
		return;
	}
	ping_group_range(range, sizeof range);
	log_warnx(
	    "cannot open an ICMP socket: unprivileged ICMP is off for "
	    "group %u (%s: sysctl net.ipv4.ping_group_range is '%s', allow it "
	    "with sysctl -w net.ipv4.ping_group_range='0 2147483647') and a "
	    "raw "
	    "socket needs CAP_NET_RAW (%s: run as root or setcap cap_net_raw+p "
	    "on udptool); or measure a UDP echo service with -u HOST:PORT",
	    (unsigned)getgid(), strerror(s->e_dgram), range,
	    strerror(s->e_raw));
}

/* Binds to -I: a source address when it is one, else an interface. */
static int
ping_bind_iface(struct ping *p)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	socklen_t len;

	if (p->iface == NULL)
		return 0;
	memset(&ss, 0, sizeof ss);
	if (p->family == AF_INET &&
	    inet_pton(AF_INET, p->iface, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		len = sizeof *s4;
	} else if (p->family == AF_INET6 &&
	    inet_pton(AF_INET6, p->iface, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		len = sizeof *s6;
	} else {
		if (if_nametoindex(p->iface) == 0) {
			log_warnx(
			    "invalid -I value '%s' (no such interface, and "
			    "not an %s address)",
			    ERRMSG_QUOTE(p->iface),
			    p->family == AF_INET6 ? "IPv6" : "IPv4");
			return -1;
		}
#ifdef SO_BINDTODEVICE
		if (setsockopt(p->fd, SOL_SOCKET, SO_BINDTODEVICE, p->iface,
			(socklen_t)strlen(p->iface) + 1) == -1) {
			log_warn(
			    "bind to interface '%s'", ERRMSG_QUOTE(p->iface));
			return -1;
		}
		return 0;
#else
		log_warnx("binding to an interface is not supported here");
		return -1;
#endif
	}
	if (bind(p->fd, (struct sockaddr *)&ss, len) == -1) {
		log_warn("bind to '%s'", ERRMSG_QUOTE(p->iface));
		return -1;
	}
	return 0;
}

/* Sets -t, -Q and -M and asks for errors and reception metadata. */
static int
ping_sockopts(struct ping *p)
{
	int v6 = p->family == AF_INET6, on = 1, v;

	if (p->ttl >= 0 &&
	    (v6 ? setsockopt(p->fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &p->ttl,
		      sizeof p->ttl)
		: setsockopt(p->fd, IPPROTO_IP, IP_TTL, &p->ttl,
		      sizeof p->ttl)) == -1) {
		log_warn("cannot set ttl %d", p->ttl);
		return -1;
	}
	if (p->tos >= 0 &&
	    (v6 ? setsockopt(
		      p->fd, IPPROTO_IPV6, IPV6_TCLASS, &p->tos, sizeof p->tos)
		: setsockopt(p->fd, IPPROTO_IP, IP_TOS, &p->tos,
		      sizeof p->tos)) == -1) {
		log_warn("cannot set tos 0x%x", (unsigned)p->tos);
		return -1;
	}
	if (p->pmtu >= 0) {
#if defined(IP_MTU_DISCOVER) && defined(IPV6_MTU_DISCOVER)
		if (v6) {
			v = p->pmtu ? IPV6_PMTUDISC_DO : IPV6_PMTUDISC_DONT;
			if (setsockopt(p->fd, IPPROTO_IPV6, IPV6_MTU_DISCOVER,
				&v, sizeof v) == -1) {
				log_warn("cannot set -M");
				return -1;
			}
		} else {
			v = p->pmtu ? IP_PMTUDISC_DO : IP_PMTUDISC_DONT;
			if (setsockopt(p->fd, IPPROTO_IP, IP_MTU_DISCOVER, &v,
				sizeof v) == -1) {
				log_warn("cannot set -M");
				return -1;
			}
		}
#else
		log_warnx("-M is not supported here");
		return -1;
#endif
	}
	/*
	 * Datagram sockets (ICMP and UDP) learn of ICMP errors only through
	 * the error queue; raw sockets receive the error packets themselves.
	 */
	if (p->kind != PING_RAW) {
		if (v6)
			setsockopt(
			    p->fd, IPPROTO_IPV6, IPV6_RECVERR, &on, sizeof on);
		else
			setsockopt(
			    p->fd, IPPROTO_IP, IP_RECVERR, &on, sizeof on);
	}
#ifdef __linux__
	if (p->kind == PING_RAW && !v6) {
		struct icmp_filter f;

		/* Only replies and errors wake us, not every request on the host. */
		f.data = ~((1U << ICMP_ECHOREPLY) | (1U << ICMP_DEST_UNREACH) |
		    (1U << ICMP_TIME_EXCEEDED) | (1U << ICMP_PARAMETERPROB));
		setsockopt(p->fd, SOL_RAW, ICMP_FILTER, &f, sizeof f);
	}
#endif
	if (p->kind == PING_RAW && v6) {
		struct icmp6_filter f;

		ICMP6_FILTER_SETBLOCKALL(&f);
		ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &f);
		ICMP6_FILTER_SETPASS(ICMP6_DST_UNREACH, &f);
		ICMP6_FILTER_SETPASS(ICMP6_PACKET_TOO_BIG, &f);
		ICMP6_FILTER_SETPASS(ICMP6_TIME_EXCEEDED, &f);
		ICMP6_FILTER_SETPASS(ICMP6_PARAM_PROB, &f);
		setsockopt(p->fd, IPPROTO_ICMPV6, ICMP6_FILTER, &f, sizeof f);
	}
	if (p->kind != PING_UDP)
		sock_enable_meta(p->fd, SOCK_META_TTL);
	return 0;
}

/* Opens a per-probe line: JSON object, type, and the -D timestamp. */
static void
ping_line_open(struct ping *p, const char *type)
{
	struct timespec ts;

	out_obj_open(&p->o, NULL);
	out_str(&p->o, "type", NULL, type);
	if (p->timestamps) {
		clock_gettime(CLOCK_REALTIME, &ts);
		out_uint(&p->o, "time_us", NULL,
		    (unsigned long long)ts.tv_sec * 1000000ULL +
			(unsigned long long)ts.tv_nsec / 1000);
		out_text(&p->o, "[%lld.%06ld] ", (long long)ts.tv_sec,
		    ts.tv_nsec / 1000);
	}
}

static void
ping_line_close(struct ping *p)
{
	out_text(&p->o, "\n");
	out_obj_close(&p->o);
	/* Nobody can see the lines any more: stop (main() says why). */
	if (out_stdout_flush() == -1)
		ping_stop = 1;
}

/* Whether per-probe events are printed: not with -q, in text or JSON. */
static int
ping_show(const struct ping *p)
{
	return !p->quiet;
}

static void
ping_show_reply(struct ping *p, uint64_t seq, size_t bytes,
    const struct sockaddr *from, socklen_t fromlen, int ttl, double rtt,
    int flags)
{
	char a[ADDR_STRLEN], t[32];

	if (!ping_show(p))
		return;
	addr_format(from, fromlen, p->udp ? ADDR_FMT_PORT : 0, a, sizeof a);
	ping_line_open(p, "reply");
	out_uint(&p->o, "bytes", "%llu bytes from ", bytes);
	out_str(&p->o, "from", "%s: ", a);
	out_uint(&p->o, "seq", p->udp ? "udp_seq=%llu " : "icmp_seq=%llu ",
	    p->udp ? seq : (seq & 0xffff));
	if (ttl >= 0)
		out_int(&p->o, "ttl", "ttl=%lld ", ttl);
	out_double(&p->o, "rtt_ms", NULL, rtt);
	out_text(&p->o, "time=%s ms", ping_fmt_ms(rtt, t, sizeof t));
	out_bool(&p->o, "dup", NULL, (flags & STATS_R_DUP) != 0);
	if (!(flags & STATS_R_DUP)) {
		out_bool(&p->o, "late", NULL, (flags & STATS_R_LATE) != 0);
		out_bool(
		    &p->o, "reordered", NULL, (flags & STATS_R_REORDERED) != 0);
	}
	if (flags & STATS_R_DUP)
		out_text(&p->o, " (DUP!)");
	if (flags & STATS_R_REORDERED)
		out_text(&p->o, " (reordered)");
	if (flags & STATS_R_LATE)
		out_text(&p->o, " (late)");
	ping_line_close(p);
}

static void
ping_show_error(struct ping *p, uint64_t seq, const struct sockaddr *from,
    socklen_t fromlen, int type, int code, uint32_t mtu, int refused)
{
	char a[ADDR_STRLEN], d[96];

	if (!ping_show(p))
		return;
	if (from != NULL)
		addr_format(from, fromlen, 0, a, sizeof a);
	else
		snprintf(a, sizeof a, "%s", p->dstaddr);
	icmp_describe(
	    p->family, (uint8_t)type, (uint8_t)code, mtu, d, sizeof d);
	ping_line_open(p, refused ? "refused" : "error");
	out_str(&p->o, "from", "From %s ", a);
	out_uint(&p->o, "seq", p->udp ? "udp_seq=%llu " : "icmp_seq=%llu ",
	    p->udp ? seq : (seq & 0xffff));
	if (refused)
		out_text(&p->o, "refused (");
	out_int(&p->o, "icmp_type", NULL, type);
	out_int(&p->o, "icmp_code", NULL, code);
	out_str(&p->o, "error", "%s", d);
	if (refused)
		out_text(&p->o, ")");
	ping_line_close(p);
}

static void
ping_show_timeout(struct ping *p, uint64_t seq)
{
	/* ping(8) stays silent about unanswered probes; -u and -j say so. */
	if (!ping_show(p) || (!p->udp && !p->json))
		return;
	ping_line_open(p, "timeout");
	out_uint(&p->o, "seq", p->udp ? "udp_seq=%llu " : "icmp_seq=%llu ",
	    p->udp ? seq : (seq & 0xffff));
	out_text(&p->o, "timeout");
	ping_line_close(p);
}

/* Sends the next probe; returns 0, or -1 after a send error (reported). */
static int
ping_send(struct ping *p)
{
	double t = now_ms();
	uint64_t seq = stats_sent(p->st, t);
	struct timespec ts;
	size_t len;
	ssize_t n;

	if (p->udp) {
		ping_udp_payload(p->sbuf, p->size, p->cookie, seq, t);
		len = p->size;
		n = send(p->fd, p->sbuf, len, 0);
	} else {
		ms_to_ts(t, &ts);
		icmp_fill_payload(p->pbuf, p->size, (uint16_t)seq, &ts);
		len = icmp_build_echo(p->family, p->ident, (uint16_t)seq,
		    p->pbuf, p->size, p->sbuf, p->size + ICMP_HDRLEN);
		n = sendto(p->fd, p->sbuf, len, 0, (struct sockaddr *)&p->dst,
		    p->dstlen);
	}
	if (n == -1) {
		if (p->udp && errno == ECONNREFUSED) {
			/* The answer to an earlier probe; this one may still go out. */
			n = send(p->fd, p->sbuf, len, 0);
			if (n != -1)
				return 0;
		}
		log_warn("send to %s (%s_seq=%llu)", p->dstaddr,
		    p->udp ? "udp" : "icmp", (unsigned long long)seq);
		stats_error(p->st, seq, 0);
		return -1;
	}
	return 0;
}

/* Validates a UDP reply; returns its probe number, or 0. */
static uint64_t
ping_udp_check(struct ping *p, const uint8_t *buf, size_t len)
{
	uint64_t seq;
	double sent;

	if (len != p->size || memcmp(buf, UDP_MAGIC, 4) != 0 ||
	    get_be(buf + 4, 4) != p->cookie)
		return 0;
	seq = get_be(buf + 8, 8);
	sent = stats_sent_at(p->st, seq);
	if (sent < 0)
		return 0;
	ping_udp_payload(p->pbuf, p->size, p->cookie, seq, sent);
	return memcmp(p->pbuf, buf, len) == 0 ? seq : 0;
}

static void
ping_note(struct ping *p, const char *what, const struct sockaddr *from,
    socklen_t fromlen)
{
	char a[ADDR_STRLEN];

	p->invalid++;
	if (p->verbose)
		log_warnx("ignored from %s: %s",
		    addr_format(
			from, fromlen, p->udp ? ADDR_FMT_PORT : 0, a, sizeof a),
		    what);
}

static void
ping_handle_reply(struct ping *p, uint64_t seq, size_t bytes,
    const struct sock_meta *m, int ttl, double now)
{
	double rtt;
	int flags;

	flags = stats_reply(p->st, seq, now, p->timeout, &rtt);
	if (flags & STATS_R_UNKNOWN) {
		ping_note(p, "reply to no probe in flight",
		    (const struct sockaddr *)&m->from, m->fromlen);
		return;
	}
	ping_show_reply(p, seq, bytes, (const struct sockaddr *)&m->from,
	    m->fromlen, ttl, rtt, flags);
}

/* Reads one datagram; returns 1 if there may be more, 0 if drained. */
static int
ping_recv_one(struct ping *p)
{
	struct sock_meta m;
	struct icmp_msg im;
	struct timespec ts;
	char err[128];
	uint64_t seq;
	double now, sent;
	ssize_t n;
	int raw4 = p->kind == PING_RAW && p->family == AF_INET;

	memset(&m, 0, sizeof m);
	n = sock_recv_meta(p->fd, p->rbuf, p->rsize, MSG_DONTWAIT, &m);
	now = now_ms();
	if (n == -1) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
			return 0;
		if (errno == ECONNREFUSED || errno == EHOSTUNREACH ||
		    errno == ENETUNREACH) {
			/* The error queue tells which probe, if IP_RECVERR works. */
			return 1;
		}
		log_warn("receive");
		return 0;
	}
	if (m.truncated) {
		ping_note(p, "truncated datagram", (struct sockaddr *)&m.from,
		    m.fromlen);
		return 1;
	}
	if (p->udp) {
		seq = ping_udp_check(p, p->rbuf, (size_t)n);
		if (seq == 0) {
			ping_note(p, "not a probe of this run, or corrupted",
			    (struct sockaddr *)&m.from, m.fromlen);
			return 1;
		}
		ping_handle_reply(p, seq, (size_t)n, &m, -1, now);
		return 1;
	}
	if (icmp_parse(p->family, raw4 ? ICMP_F_IPHDR : 0, p->rbuf, (size_t)n,
		&im, err, sizeof err) == -1) {
		ping_note(p, err, (struct sockaddr *)&m.from, m.fromlen);
		return 1;
	}
	if (!icmp_is_ours(
		&im, p->kind == PING_RAW, p->ident, (struct sockaddr *)&p->dst))
		return 1; /* another process's traffic: not ours to count */
	if (stats_unwrap16(p->st, im.seq, &seq) == -1) {
		ping_note(p, "sequence number never sent",
		    (struct sockaddr *)&m.from, m.fromlen);
		return 1;
	}
	if (im.kind == ICMP_MSG_ERROR) {
		if (stats_error(p->st, seq, 0) == 0)
			ping_show_error(p, seq, (struct sockaddr *)&m.from,
			    m.fromlen, im.type, im.code, im.mtu, 0);
		return 1;
	}
	sent = stats_sent_at(p->st, seq);
	ms_to_ts(sent, &ts);
	if (sent < 0 || !icmp_payload_ok(&im, p->size, &ts)) {
		ping_note(p, "reply payload differs from the probe's",
		    (struct sockaddr *)&m.from, m.fromlen);
		return 1;
	}
	ping_handle_reply(p, seq, im.icmplen, &m, raw4 ? im.ttl : m.ttl, now);
	return 1;
}

#ifdef __linux__
/* Reads one error from the error queue; returns 1 if there may be more. */
static int
ping_recv_err(struct ping *p)
{
	union {
		struct cmsghdr align;
		char buf[512];
	} cbuf;
	struct sockaddr_storage name;
	struct sock_extended_err *ee = NULL;
	const struct sockaddr *off = NULL;
	struct cmsghdr *c;
	struct msghdr msg;
	struct iovec iov;
	struct icmp_msg im;
	char err[128];
	uint64_t seq = 0;
	ssize_t n;
	int refused;

	iov.iov_base = p->rbuf;
	iov.iov_len = p->rsize;
	memset(&msg, 0, sizeof msg);
	msg.msg_name = &name;
	msg.msg_namelen = sizeof name;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cbuf.buf;
	msg.msg_controllen = sizeof cbuf.buf;
	n = recvmsg(p->fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT);
	if (n == -1)
		return 0;
	for (c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c)) {
		if ((c->cmsg_level == IPPROTO_IP &&
			c->cmsg_type == IP_RECVERR) ||
		    (c->cmsg_level == IPPROTO_IPV6 &&
			c->cmsg_type == IPV6_RECVERR)) {
			ee = (struct sock_extended_err *)(void *)CMSG_DATA(c);
			off = (const struct sockaddr *)SO_EE_OFFENDER(ee);
		}
	}
	if (ee == NULL)
		return 1;
	/* The queued data is the probe the error is about: find its number. */
	if (p->udp) {
		if ((size_t)n >= 16 && memcmp(p->rbuf, UDP_MAGIC, 4) == 0 &&
		    get_be(p->rbuf + 4, 4) == p->cookie)
			seq = get_be(p->rbuf + 8, 8);
	} else if (icmp_parse(p->family, ICMP_F_NOCSUM, p->rbuf, (size_t)n, &im,
		       err, sizeof err) == 0 &&
	    im.kind == ICMP_MSG_REQUEST) {
		if (stats_unwrap16(p->st, im.seq, &seq) == -1)
			seq = 0;
	}
	if (ee->ee_origin == SO_EE_ORIGIN_LOCAL) {
		log_warnx("local error: %s%s%u", strerror((int)ee->ee_errno),
		    ee->ee_errno == EMSGSIZE ? ", mtu=" : ", info=",
		    (unsigned)ee->ee_info);
		if (seq != 0)
			stats_error(p->st, seq, 0);
		return 1;
	}
	if (ee->ee_origin != SO_EE_ORIGIN_ICMP &&
	    ee->ee_origin != SO_EE_ORIGIN_ICMP6)
		return 1;
	if (seq == 0 || stats_sent_at(p->st, seq) < 0)
		return 1;
	refused = p->udp &&
	    ((ee->ee_origin == SO_EE_ORIGIN_ICMP && ee->ee_type == 3 &&
		 ee->ee_code == 3) ||
		(ee->ee_origin == SO_EE_ORIGIN_ICMP6 && ee->ee_type == 1 &&
		    ee->ee_code == 4));
	if (stats_error(p->st, seq, refused) == 0)
		ping_show_error(p, seq,
		    off->sa_family == AF_UNSPEC ? NULL : off,
		    off->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
					       : sizeof(struct sockaddr_in),
		    ee->ee_type, ee->ee_code, ee->ee_info, refused);
	return 1;
}
#else
static int
ping_recv_err(struct ping *p)
{
	return 0;
}
#endif

static void
ping_print_histogram(struct ping *p)
{
	struct stats_bin bins[PING_HIST_BINS];
	uint64_t maxc = 0;
	size_t n, i, w;
	char bar[PING_HIST_WIDTH + 1];

	n = stats_histogram(p->st, bins, PING_HIST_BINS);
	for (i = 0; i < n; i++)
		if (bins[i].count > maxc)
			maxc = bins[i].count;
	if (p->json) {
		out_arr_open(&p->o, "histogram");
		for (i = 0; i < n; i++) {
			out_obj_open(&p->o, NULL);
			out_double(&p->o, "lo_ms", NULL, bins[i].lo);
			out_double(&p->o, "hi_ms", NULL, bins[i].hi);
			out_uint(&p->o, "count", NULL, bins[i].count);
			out_obj_close(&p->o);
		}
		out_arr_close(&p->o);
		return;
	}
	if (n == 0)
		return;
	fprintf(p->o.fp, "rtt histogram (ms):\n");
	for (i = 0; i < n; i++) {
		w = maxc
		    ? (size_t)((bins[i].count * PING_HIST_WIDTH + maxc - 1) /
			  maxc)
		    : 0;
		memset(bar, '#', w);
		bar[w] = '\0';
		fprintf(p->o.fp, "  %9.3f - %9.3f |%-*s| %llu\n", bins[i].lo,
		    bins[i].hi, PING_HIST_WIDTH, bar,
		    (unsigned long long)bins[i].count);
	}
}

static void
ping_summary(struct ping *p, double end)
{
	struct stats_summary s;
	struct out *o = &p->o;

	stats_summarize(p->st, &s);
	if (!p->json)
		fprintf(o->fp, "\n--- %s %sping statistics ---\n", p->target,
		    p->udp ? "udp " : "");
	out_obj_open(o, NULL);
	out_str(o, "type", NULL, "summary");
	out_str(o, "target", NULL, p->target);
	out_str(o, "address", NULL, p->dstaddr);
	out_str(o, "socket", NULL,
	    p->kind == PING_DGRAM     ? "dgram"
		: p->kind == PING_RAW ? "raw"
				      : "udp");
	out_uint(o, "transmitted", "%llu packets transmitted, ", s.sent);
	out_uint(o, "received", "%llu received, ", s.received);
	if (s.duplicates || p->json)
		out_uint(o, "duplicates", "+%llu duplicates, ", s.duplicates);
	if (s.errors || p->json)
		out_uint(o, "errors", "+%llu errors, ", s.errors);
	if (p->udp && (s.refused || p->json))
		out_uint(o, "refused", "+%llu refused, ", s.refused);
	out_double(o, "loss_pct", "%g%% packet loss, ", s.loss_pct);
	out_uint(o, "time_ms", "time %llums\n",
	    (unsigned long long)llround(end - p->start));
	if (p->udp) {
		out_uint(o, "lost", "lost %llu, ", s.lost);
		out_uint(o, "reordered", "reordered %llu, ", s.reordered);
		out_uint(o, "late", "late %llu", s.late);
		/* Replies that were not an exact copy of a probe of this run. */
		if (p->invalid || p->json)
			out_uint(o, "invalid", ", invalid %llu",
			    (unsigned long long)p->invalid);
		out_text(o, "\n");
	}
	if (s.n > 0) {
		out_double(
		    o, "rtt_min_ms", "rtt min/avg/max/mdev = %.3f/", s.min);
		out_double(o, "rtt_avg_ms", "%.3f/", s.avg);
		out_double(o, "rtt_max_ms", "%.3f/", s.max);
		out_double(o, "rtt_mdev_ms", "%.3f ms\n", s.mdev);
		out_double(o, "rtt_p50_ms", "rtt p50/p90/p99 = %.3f/", s.p50);
		out_double(o, "rtt_p90_ms", "%.3f/", s.p90);
		out_double(o, "rtt_p99_ms", "%.3f ms, ", s.p99);
		out_double(o, "jitter_ms", "jitter %.3f ms\n", s.jitter);
	}
	if (p->histogram)
		ping_print_histogram(p);
	out_obj_close(o);
	fflush(o->fp);
}

/* SIGQUIT: a one-line interim report on stderr, as ping(8). */
static void
ping_interim_report(struct ping *p)
{
	struct stats_summary s;

	stats_summarize(p->st, &s);
	fflush(stdout);
	fprintf(stderr, "%llu/%llu packets, %.0f%% loss",
	    (unsigned long long)s.received, (unsigned long long)s.sent,
	    s.loss_pct);
	if (s.n > 0)
		fprintf(stderr, ", min/avg/max/mdev = %.3f/%.3f/%.3f/%.3f ms",
		    s.min, s.avg, s.max, s.mdev);
	fputc('\n', stderr);
}

static int
ping_loop(struct ping *p)
{
	struct pollfd pfd;
	struct timespec ts;
	double now, next_send, wake, oldest;
	uint64_t seq;
	int timeout_ms, done_sending = 0, more, batch;
	long long sent = 0;

	p->start = now_ms();
	next_send = p->start;
	for (;;) {
		if (ping_stop)
			break;
		if (ping_interim) {
			ping_interim = 0;
			ping_interim_report(p);
		}
		now = now_ms();
		if (p->deadline > 0 && now - p->start >= p->deadline)
			break;
		while (stats_expire(p->st, now, p->timeout, &seq))
			ping_show_timeout(p, seq);
		/* -A: one probe in flight, the next as soon as it is settled. */
		if (!done_sending && now >= next_send &&
		    (!p->adaptive || stats_settled(p->st))) {
			ping_send(p);
			sent++;
			/* No catching up after a stall: never two probes closer than -i. */
			next_send = now + p->interval;
			if (p->count > 0 && sent >= p->count)
				done_sending = 1;
		}
		if (done_sending) {
			if (stats_answered(p->st) >= stats_last_seq(p->st))
				break;
			if (p->deadline <= 0 && stats_settled(p->st))
				break;
		}
		wake = done_sending || (p->adaptive && !stats_settled(p->st))
		    ? now + 1000
		    : next_send;
		oldest = stats_oldest_pending(p->st);
		if (oldest >= 0 && oldest + p->timeout < wake)
			wake = oldest + p->timeout;
		if (p->deadline > 0 && p->start + p->deadline < wake)
			wake = p->start + p->deadline;
		timeout_ms = wake > now ? (int)ceil(wake - now) : 0;
		pfd.fd = p->fd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		ts.tv_sec = timeout_ms / 1000;
		ts.tv_nsec = (long)(timeout_ms % 1000) * 1000000;
		if (ppoll(&pfd, 1, &ts, &ping_waitmask) == -1) {
			if (errno == EINTR)
				continue;
			log_warn("poll");
			return -1;
		}
		if (pfd.revents & POLLERR) {
			while (ping_recv_err(p))
				;
		}
		if (pfd.revents & (POLLIN | POLLERR)) {
			/* A bounded batch: a flood of datagrams must not stop probes. */
			batch = 0;
			do {
				more = ping_recv_one(p);
				if (p->kind != PING_RAW)
					while (ping_recv_err(p))
						;
			} while (
			    more && !ping_stop && ++batch < PING_RECV_BATCH);
		}
	}
	return 0;
}

static int
ping_setup_udp(struct ping *p, const struct addr_spec *spec)
{
	struct addr_spec src;
	char err[ADDR_ERRLEN];
	int notfound, is_addr = 0;
	unsigned char tmp[16];

	memset(&src, 0, sizeof src);
	if (p->iface != NULL) {
		is_addr = inet_pton(AF_INET, p->iface, tmp) == 1 ||
		    inet_pton(AF_INET6, p->iface, tmp) == 1;
		if (is_addr) {
			snprintf(src.host, sizeof src.host, "%s", p->iface);
			src.v6 = strchr(p->iface, ':') != NULL;
		}
	}
	p->fd = sock_udp_client(spec, p->family, is_addr ? &src : NULL, 1,
	    &p->dst, &p->dstlen, &notfound, err, sizeof err);
	if (p->fd == -1) {
		log_warnx("%s", err);
		return notfound ? UT_EXIT_ERROR : UT_EXIT_ERROR;
	}
	p->kind = PING_UDP;
	p->family = p->dst.ss_family;
	if (p->iface != NULL && !is_addr) {
		if (ping_bind_iface(p) == -1)
			return UT_EXIT_ERROR;
		/* Rebinding the device drops the route: connect again. */
		if (connect(p->fd, (struct sockaddr *)&p->dst, p->dstlen) ==
		    -1) {
			log_warn("connect %s", p->target);
			return UT_EXIT_ERROR;
		}
	}
	if (ping_sockopts(p) == -1)
		return UT_EXIT_ERROR;
	return 0;
}

/* Returns 0 if the kernel has a route to the target, else -1 (reported). */
static int
ping_route_check(struct ping *p)
{
	struct sockaddr_storage ss;
	int fd, rc = 0;

	fd = socket(p->family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return 0; /* no verdict: let the ICMP socket speak */
	memcpy(&ss, &p->dst, p->dstlen);
	addr_set_port((struct sockaddr *)&ss, 1025);
	if (connect(fd, (struct sockaddr *)&ss, p->dstlen) == -1 &&
	    (errno == ENETUNREACH || errno == EHOSTUNREACH ||
		errno == EADDRNOTAVAIL)) {
		log_warn("connect %s", p->target);
		rc = -1;
	}
	close(fd);
	return rc;
}

/*
 * Opens the ICMP socket, sets the options that may need privileges, and
 * drops every privilege before the target's name is resolved: a socket
 * for each family when the family is not known yet, the one not needed
 * closed afterwards.
 */
static int
ping_setup_icmp(struct ping *p, const struct addr_spec *spec, int privileged)
{
	struct ping_icmp s[2];
	struct addrinfo *res, *ai;
	char err[ADDR_ERRLEN];
	unsigned char tmp[16];
	int i, n = 0, family, status = UT_EXIT_ERROR;

	/* -I with an address, or a numeric target, picks the family. */
	if (p->family == AF_UNSPEC && p->iface != NULL) {
		if (inet_pton(AF_INET, p->iface, tmp) == 1)
			p->family = AF_INET;
		else if (inet_pton(AF_INET6, p->iface, tmp) == 1)
			p->family = AF_INET6;
	}
	if (p->family == AF_UNSPEC) {
		if (spec->v6)
			p->family = AF_INET6;
		else if (inet_pton(AF_INET, spec->host, tmp) == 1)
			p->family = AF_INET;
	}
	if (p->interval < PING_MIN_USER_INTERVAL && !privileged) {
		log_warnx(
		    "cannot flood: interval %.3g ms is below the 2 ms allowed "
		    "without privileges (root or CAP_NET_RAW)",
		    p->interval);
		return UT_EXIT_ERROR;
	}
	memset(s, 0, sizeof s);
	if (p->family != AF_INET6)
		s[n++].family = AF_INET;
	if (p->family != AF_INET)
		s[n++].family = AF_INET6;
	family = p->family;
	for (i = 0; i < n; i++) {
		ping_open_icmp(&s[i]);
		if (s[i].fd == -1)
			continue;
		/* Options that may need privileges go before they are dropped. */
		p->fd = s[i].fd;
		p->family = s[i].family;
		p->kind = s[i].kind;
		if (ping_bind_iface(p) == -1 || ping_sockopts(p) == -1) {
			p->fd = -1; /* closed below */
			goto out;
		}
	}
	p->fd = -1;
	p->family = family;
	if (ping_drop_privileges() == -1)
		goto out;

	if (sock_resolve(spec, p->family, 0, &res, err, sizeof err) != 0) {
		log_warnx("%s", err);
		goto out;
	}
	/* The first address of a family with a socket open. */
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		for (i = 0; i < n; i++)
			if (s[i].family == ai->ai_family && s[i].fd != -1)
				break;
		if (i < n)
			break;
	}
	if (ai == NULL) {
		for (i = 0; i < n - 1 && s[i].family != res->ai_family; i++)
			;
		freeaddrinfo(res);
		ping_icmp_failed(&s[i]);
		goto out;
	}
	memcpy(&p->dst, ai->ai_addr, ai->ai_addrlen);
	p->dstlen = ai->ai_addrlen;
	freeaddrinfo(res);
	addr_set_port((struct sockaddr *)&p->dst, 0);
	p->fd = s[i].fd;
	p->family = s[i].family;
	p->kind = s[i].kind;
	s[i].fd = -1;

	/*
	 * As ping(8): a route check first, so that an unreachable network is
	 * a local error (exit 2) rather than a run of failed sends.
	 */
	if (p->iface == NULL && ping_route_check(p) == -1)
		goto out;
	if (p->verbose)
		log_warnx("using %s",
		    p->kind == PING_DGRAM
			? "an ICMP datagram socket (unprivileged)"
			: "a raw ICMP socket (CAP_NET_RAW), privileges "
			  "dropped");
	status = 0;
out:
	for (i = 0; i < n; i++)
		if (s[i].fd != -1)
			close(s[i].fd);
	return status;
}

static const struct option ping_longopts[] = {
    {"ipv4", no_argument, NULL, '4'},
    {"ipv6", no_argument, NULL, '6'},
    {"adaptive", no_argument, NULL, 'A'},
    {"count", required_argument, NULL, 'c'},
    {"interval", required_argument, NULL, 'i'},
    {"timeout", required_argument, NULL, 'W'},
    {"deadline", required_argument, NULL, 'w'},
    {"size", required_argument, NULL, 's'},
    {"ttl", required_argument, NULL, 't'},
    {"tos", required_argument, NULL, 'Q'},
    {"pmtudisc", required_argument, NULL, 'M'},
    {"interface", required_argument, NULL, 'I'},
    {"quiet", no_argument, NULL, 'q'},
    {"timestamps", no_argument, NULL, 'D'},
    {"json", no_argument, NULL, 'j'},
    {"udp", no_argument, NULL, 'u'},
    {"numeric", no_argument, NULL, 'n'},
    {"verbose", no_argument, NULL, 'v'},
    {"histogram", no_argument, NULL, OPT_HISTOGRAM},
    CMD_HELP_OPTION,
    {NULL, 0, NULL, 0},
};

static int
cmd_ping_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct ping p;
	struct addr_spec spec;
	struct sigaction sa;
	sigset_t stopset;
	struct stats_summary s;
	struct timespec ts;
	char err[ADDR_ERRLEN], target[ADDR_STRLEN];
	long long v;
	size_t maxsize;
	int ch, rc, status, privileged, used;
	int timeout_set = 0;

	memset(&p, 0, sizeof p);
	p.family = AF_UNSPEC;
	p.interval = 1000;
	p.size = PING_DEFAULT_SIZE;
	p.ttl = p.tos = p.pmtu = -1;
	p.fd = -1;
	while ((ch = getopt_long(argc, argv, "+46Ac:i:W:w:s:t:Q:M:I:qDjunvh",
		    ping_longopts, NULL)) != -1) {
		switch (ch) {
		case '4':
			p.family = AF_INET;
			break;
		case '6':
			p.family = AF_INET6;
			break;
		case 'A':
			p.adaptive = 1;
			break;
		case 'c':
			if (ping_parse_int(
				ctx, ch, optarg, 1, LLONG_MAX, &p.count) == -1)
				return UT_EXIT_ERROR;
			break;
		case 'i':
			if (ping_parse_seconds(
				ctx, ch, optarg, &p.interval, 1) == -1)
				return UT_EXIT_ERROR;
			break;
		case 'W':
			if (ping_parse_seconds(
				ctx, ch, optarg, &p.timeout, 0) == -1)
				return UT_EXIT_ERROR;
			timeout_set = 1;
			break;
		case 'w':
			if (ping_parse_seconds(
				ctx, ch, optarg, &p.deadline, 0) == -1)
				return UT_EXIT_ERROR;
			break;
		case 's':
			if (ping_parse_int(ctx, ch, optarg, 0, 65527, &v) == -1)
				return UT_EXIT_ERROR;
			p.size = (size_t)v;
			break;
		case 't':
			if (ping_parse_int(ctx, ch, optarg, 1, 255, &v) == -1)
				return UT_EXIT_ERROR;
			p.ttl = (int)v;
			break;
		case 'Q':
			if (ping_parse_int(ctx, ch, optarg, 0, 255, &v) == -1)
				return UT_EXIT_ERROR;
			p.tos = (int)v;
			break;
		case 'M':
			if (strcmp(optarg, "do") == 0)
				p.pmtu = 1;
			else if (strcmp(optarg, "dont") == 0)
				p.pmtu = 0;
			else
				return cmd_usage_error(ctx,
				    "invalid -M value '%s' (do or dont)",
				    ERRMSG_QUOTE(optarg));
			break;
		case 'I':
			if (optarg[0] == '\0')
				return cmd_usage_error(ctx, "empty -I value");
			p.iface = optarg;
			break;
		case 'q':
			p.quiet = 1;
			break;
		case 'D':
			p.timestamps = 1;
			break;
		case 'j':
			p.json = 1;
			break;
		case 'u':
			p.udp = 1;
			break;
		case 'n':
			break; /* addresses are never looked up in reverse anyway */
		case 'v':
			p.verbose = 1;
			break;
		case OPT_HISTOGRAM:
			p.histogram = 1;
			break;
		default:
			rc = cmd_common_option(ctx, ch);
			return rc >= 0 ? rc : UT_EXIT_ERROR;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		return cmd_usage_error(ctx, "missing host");
	p.target = argv[0];
	/* -u takes HOST:PORT or, as nc does, HOST PORT. */
	used = addr_parse_args(argc, (const char *const *)argv,
	    p.udp ? 0 : ADDR_F_NO_PORT, &spec, err, sizeof err);
	if (used == -1) {
		if (!p.udp && strstr(err, "unexpected port") != NULL)
			return cmd_usage_error(
			    ctx, "%s (a port means UDP: add -u)", err);
		return cmd_usage_error(ctx, "%s", err);
	}
	if (argc > used)
		return cmd_usage_error(ctx, "too many arguments");
	if (used == 2)
		p.target = addr_spec_format(&spec, target, sizeof target);
	if (p.udp && p.size < UDP_HDRLEN)
		return cmd_usage_error(ctx,
		    "invalid -s value '%zu' (%d-65507 "
		    "with -u: a probe carries its number and send time)",
		    p.size, UDP_HDRLEN);
	if (!timeout_set)
		p.timeout = p.udp ? PING_UDP_TIMEOUT : PING_ICMP_TIMEOUT;

	/* Whether -i may go below 2 ms, asked while the answer is true. */
	privileged = priv_net_raw();
	if (p.udp) {
		/* UDP needs no privilege at all: it goes before anything else. */
		if (ping_drop_privileges() == -1)
			return UT_EXIT_ERROR;
		if (p.interval < PING_MIN_USER_INTERVAL && !privileged) {
			log_warnx(
			    "cannot flood: interval %.3g ms is below the 2 ms "
			    "allowed without privileges (root or CAP_NET_RAW)",
			    p.interval);
			return UT_EXIT_ERROR;
		}
		status = ping_setup_udp(&p, &spec);
	} else {
		status = ping_setup_icmp(&p, &spec, privileged);
	}
	if (status != 0)
		goto out;
	maxsize = p.family == AF_INET6 ? 65527 : 65507;
	if (p.size > maxsize) {
		status = cmd_usage_error(ctx,
		    "invalid -s value '%zu' (%d-%zu for "
		    "%s)",
		    p.size, p.udp ? UDP_HDRLEN : 0, maxsize,
		    p.family == AF_INET6 ? "IPv6" : "IPv4");
		goto out;
	}
	addr_format((struct sockaddr *)&p.dst, p.dstlen,
	    p.udp ? ADDR_FMT_PORT : 0, p.dstaddr, sizeof p.dstaddr);

	status = UT_EXIT_ERROR;
	p.st = stats_new();
	p.rsize = p.size + 512 > 4096 ? p.size + 512 : 4096;
	p.sbuf = malloc(p.size + ICMP_HDRLEN);
	p.pbuf = malloc(p.size + 1);
	p.rbuf = malloc(p.rsize);
	if (p.st == NULL || p.sbuf == NULL || p.pbuf == NULL ||
	    p.rbuf == NULL) {
		log_warn("out of memory");
		goto out;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	p.ident = (uint16_t)((unsigned)getpid() ^ (unsigned)(ts.tv_nsec >> 8));
	p.cookie = (uint32_t)getpid() * 2654435761U ^ (uint32_t)ts.tv_nsec;

	out_init(&p.o, stdout, p.json);
	if (!p.json) {
		if (p.udp)
			printf("UDP PING %s (%s): %zu bytes of data.\n",
			    p.target, p.dstaddr, p.size);
		else if (p.family == AF_INET6)
			printf("PING %s(%s) %zu data bytes\n", p.target,
			    p.dstaddr, p.size);
		else
			printf("PING %s (%s) %zu(%zu) bytes of data.\n",
			    p.target, p.dstaddr, p.size, p.size + 28);
		/* Nobody would see the replies: no probe is sent. */
		if (out_stdout_flush() == -1) {
			status =
			    errno == EPIPE ? UT_EXIT_NEGATIVE : UT_EXIT_ERROR;
			goto out;
		}
	}

	ping_stop = ping_interim = 0;
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = ping_on_stop; /* no SA_RESTART: poll() returns */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = ping_on_quit;
	sigaction(SIGQUIT, &sa, NULL);

	sigemptyset(&stopset);
	sigaddset(&stopset, SIGINT);
	sigaddset(&stopset, SIGTERM);
	sigaddset(&stopset, SIGQUIT);
	sigprocmask(SIG_BLOCK, &stopset, &ping_waitmask);
	rc = ping_loop(&p);
	sigprocmask(SIG_SETMASK, &ping_waitmask, NULL);
	if (rc == -1)
		goto out;
	ping_summary(&p, now_ms());
	stats_summarize(p.st, &s);
	/* As ping(8): with a deadline and a count, every probe must be answered. */
	if (s.received == 0 ||
	    (p.deadline > 0 && p.count > 0 && (long long)s.received < p.count))
		status = UT_EXIT_NEGATIVE;
	else
		status = UT_EXIT_OK;
out:
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
	if (p.fd != -1)
		close(p.fd);
	stats_free(p.st);
	free(p.sbuf);
	free(p.pbuf);
	free(p.rbuf);
	return status;
}

const struct cmd_entry cmd_ping_entry = {
    .name = "ping",
    .usage = "[-46ADjnqv] [-c count] [-i interval] [-W timeout] "
	     "[-w deadline] [-s size] [-t ttl] [-Q tos] [-M do|dont] "
	     "[-I interface|address] [--histogram] host | -u host:port",
    .summary = "ICMP echo without root, or UDP round trips with statistics",
    .help =
	"  -4, --ipv4             IPv4 only\n"
	"  -6, --ipv6             IPv6 only\n"
	"  -A, --adaptive         send the next probe as soon as the last one\n"
	"                         is answered (one in flight, -i the minimum)\n"
	"  -c, --count=N          stop after N probes\n"
	"  -i, --interval=SEC     seconds between probes (default 1; below\n"
	"                         0.002 only for root or CAP_NET_RAW)\n"
	"  -W, --timeout=SEC      reply timeout (default 10, 2 with -u)\n"
	"  -w, --deadline=SEC     stop after SEC seconds whatever happened\n"
	"  -s, --size=BYTES       payload size (default 56; at least 24 with "
	"-u)\n"
	"  -t, --ttl=N            IP time to live / hop limit\n"
	"  -Q, --tos=N            IP type of service / traffic class\n"
	"  -M, --pmtudisc=do|dont set or clear Don't Fragment\n"
	"  -I, --interface=IF     send from an interface or a source address\n"
	"  -q, --quiet            only the summary\n"
	"  -D, --timestamps       print a Unix time before each line\n"
	"  -j, --json             one JSON object per probe and a summary\n"
	"  -u, --udp              UDP round trips against an echo server\n"
	"      --histogram        draw a histogram of round-trip times\n"
	"  -n, --numeric          numeric output (the default)\n"
	"  -v, --verbose          say which socket is used, and why replies\n"
	"                         are ignored\n"
	"  -h, --help             show this help\n"
	"\n"
	"SIGQUIT prints interim statistics; SIGINT ends with the summary.\n",
    .longopts = ping_longopts,
    .exec = cmd_ping_exec,
};
