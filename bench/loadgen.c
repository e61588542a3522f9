/* SPDX-License-Identifier: ISC */
/*
 * The load generator of udptool's echo benchmark: windowed throughput or
 * one-in-flight latency against any UDP echo, checking every reply.
 *
 * Every datagram starts with sockperf's 14-byte header (sequence number,
 * flags, length, in network byte order) so that "sockperf server" answers
 * it too, followed by bytes that depend on the sequence number: a window,
 * starting at an offset taken from the sequence number, of one fixed
 * pseudo-random pattern.  A reply is checked byte for byte (the flags
 * excepted: sockperf clears its client bit), so lost, duplicated, merged
 * (several requests in one reply) and corrupted replies are all counted.
 * Building and checking are a memcpy and a memcmp, so that the client
 * spends its core on the sockets and not on the pattern: a client slower
 * than the server would measure only itself.
 *
 * In throughput mode the requests of a window leave in as few sendmsg
 * calls as UDP segmentation offload (UDP_SEGMENT) allows, -G turns that
 * off: the server still receives one datagram per request, and the client
 * has a core's worth of headroom to spare for the server under test.
 *
 * -R PORT takes the answers on a second socket bound to PORT on the same
 * loopback address family instead of the sending one: a forwarder (udptool
 * relay LISTEN 127.0.0.1:PORT) is then measured over one hop, the same
 * receive and send per datagram as an echo server's.
 *
 * usage: loadgen [-lG] [-R port] [-s size] [-w window] [-t seconds] [-W warmup] host port
 * Prints one line of key=value pairs.
 */
#define _GNU_SOURCE
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/types.h>

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/udp.h>

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LG_BATCH 64
#define LG_HDR 14
#define LG_MAXSIZE 65507
#define LG_MAXSAMPLES 4000000
#define LG_SHIFTS 251 /* distinct pattern offsets; prime */

static uint8_t lg_pattern[LG_MAXSIZE + LG_SHIFTS];

struct lg {
	int fd;
	int rfd; /* where answers come: fd, or the -R socket */
	size_t size;
	unsigned window;
	uint64_t next_seq;
	uint8_t *seen; /* bitmap of sequence numbers answered */
	size_t seen_bytes;
	uint64_t sent, replies, unique, dup, merged, corrupted, timeouts;
	int measuring;
	uint64_t measured;
	int gso; /* send windows with UDP_SEGMENT */
};

static uint64_t
lg_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void
lg_pattern_init(void)
{
	uint32_t x = 2463534242u; /* xorshift32: not periodic within the buffer */
	size_t i;

	for (i = 0; i < sizeof lg_pattern; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		lg_pattern[i] = (uint8_t)(x >> 24);
	}
}

static const uint8_t *
lg_fill(uint64_t seq)
{
	return lg_pattern + seq % LG_SHIFTS;
}

static void
lg_build(uint8_t *p, size_t size, uint64_t seq)
{
	uint64_t s = seq;
	uint16_t flags = htons(3); /* client, pong request */
	uint32_t len = htonl((uint32_t)size);
	size_t i;

	for (i = 0; i < 8; i++)
		p[i] = (uint8_t)(s >> (56 - 8 * i));
	memcpy(p + 8, &flags, 2);
	memcpy(p + 10, &len, 4);
	memcpy(p + LG_HDR, lg_fill(seq) + LG_HDR, size - LG_HDR);
}

/* Checks one request-sized chunk; returns its sequence number or -1. */
static int64_t
lg_check(const struct lg *g, const uint8_t *p)
{
	uint64_t seq = 0;
	uint32_t len;
	size_t i;

	for (i = 0; i < 8; i++)
		seq = seq << 8 | p[i];
	memcpy(&len, p + 10, 4);
	if (seq >= g->next_seq || ntohl(len) != g->size ||
	    memcmp(p + LG_HDR, lg_fill(seq) + LG_HDR, g->size - LG_HDR) != 0)
		return -1;
	return (int64_t)seq;
}

/* Accounts one reply; returns how many requests it answered. */
static unsigned
lg_reply(struct lg *g, const uint8_t *p, size_t n)
{
	unsigned k, count = 0;
	int64_t seq;
	size_t off;

	g->replies++;
	if (n == 0 || n % g->size != 0) {
		g->corrupted++;
		return 1;
	}
	if (n > g->size)
		g->merged++;
	for (off = 0, k = 0; off < n; off += g->size, k++) {
		seq = lg_check(g, p + off);
		count++;
		if (seq < 0) {
			g->corrupted++;
			continue;
		}
		if ((size_t)(seq >> 3) >= g->seen_bytes)
			continue;
		if (g->seen[seq >> 3] & (1u << (seq & 7))) {
			g->dup++;
			continue;
		}
		g->seen[seq >> 3] |= (uint8_t)(1u << (seq & 7));
		g->unique++;
		if (g->measuring)
			g->measured++;
	}
	return count;
}

static int
lg_grow(struct lg *g, uint64_t seq)
{
	size_t need = (size_t)(seq >> 3) + 1, nsize;
	uint8_t *p;

	if (need <= g->seen_bytes)
		return 0;
	nsize = g->seen_bytes ? g->seen_bytes : 65536;
	while (nsize < need)
		nsize *= 2;
	p = realloc(g->seen, nsize);
	if (p == NULL)
		return -1;
	memset(p + g->seen_bytes, 0, nsize - g->seen_bytes);
	g->seen = p;
	g->seen_bytes = nsize;
	return 0;
}

/*
 * Sends k requests of g->size bytes in runs of UDP_SEGMENT sends; returns
 * how many went, or -1.  Falls back to one send each where the kernel
 * refuses segmentation.
 */
static int
lg_send_gso(struct lg *g, struct iovec *iov, unsigned k)
{
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(uint16_t))];
	} cbuf;
	struct msghdr msg;
	struct cmsghdr *c;
	uint16_t seg = (uint16_t)g->size;
	unsigned per = (unsigned)(LG_MAXSIZE / g->size), done = 0, n;

	while (done < k) {
		n = k - done < per ? k - done : per;
		memset(&msg, 0, sizeof msg);
		memset(&cbuf, 0, sizeof cbuf);
		msg.msg_iov = iov + done;
		msg.msg_iovlen = n;
		if (n > 1) {
			msg.msg_control = cbuf.buf;
			msg.msg_controllen = sizeof cbuf.buf;
			c = CMSG_FIRSTHDR(&msg);
			c->cmsg_level = SOL_UDP;
			c->cmsg_type = UDP_SEGMENT;
			c->cmsg_len = CMSG_LEN(sizeof seg);
			memcpy(CMSG_DATA(c), &seg, sizeof seg);
		}
		if (sendmsg(g->fd, &msg, 0) == -1) {
			if (errno == EINVAL || errno == EIO ||
			    errno == ENOPROTOOPT)
				g->gso = 0;
			return done > 0 ? (int)done : -1;
		}
		done += n;
	}
	return (int)done;
}

static int
lg_throughput(struct lg *g, double seconds, double warmup)
{
	static uint8_t sbuf[LG_BATCH][LG_MAXSIZE], rbuf[LG_BATCH][LG_MAXSIZE + 1];
	struct mmsghdr smsg[LG_BATCH], rmsg[LG_BATCH];
	struct iovec siov[LG_BATCH], riov[LG_BATCH];
	struct pollfd pfd;
	uint64_t start = lg_now_ns(), mstart = 0, mend = 0, end;
	unsigned inflight = 0, k, i, c;
	int n, r;

	memset(smsg, 0, sizeof smsg);
	memset(rmsg, 0, sizeof rmsg);
	for (i = 0; i < LG_BATCH; i++) {
		siov[i].iov_base = sbuf[i];
		smsg[i].msg_hdr.msg_iov = &siov[i];
		smsg[i].msg_hdr.msg_iovlen = 1;
		riov[i].iov_base = rbuf[i];
		riov[i].iov_len = sizeof rbuf[i];
		rmsg[i].msg_hdr.msg_iov = &riov[i];
		rmsg[i].msg_hdr.msg_iovlen = 1;
	}
	end = start + (uint64_t)((warmup + seconds) * 1e9);
	pfd.fd = g->rfd;
	pfd.events = POLLIN;
	for (;;) {
		uint64_t now = lg_now_ns();

		if (!g->measuring && mstart == 0 &&
		    now >= start + (uint64_t)(warmup * 1e9)) {
			g->measuring = 1;
			mstart = now;
		}
		if (now >= end) {
			mend = now;
			g->measuring = 0;
			break;
		}
		k = g->window - inflight;
		if (k > LG_BATCH)
			k = LG_BATCH;
		if (k > 0) {
			if (lg_grow(g, g->next_seq + k) == -1)
				return -1;
			for (i = 0; i < k; i++) {
				lg_build(sbuf[i], g->size, g->next_seq + i);
				siov[i].iov_len = g->size;
			}
			r = g->gso ? lg_send_gso(g, siov, k) :
				     sendmmsg(g->fd, smsg, k, 0);
			if (r > 0) {
				g->next_seq += (uint64_t)r;
				g->sent += (uint64_t)r;
				inflight += (unsigned)r;
			}
		}
		/* A window with no answer for 100 ms is written off as lost. */
		if (poll(&pfd, 1, 100) == 0) {
			g->timeouts++;
			inflight = 0;
			continue;
		}
		n = recvmmsg(g->rfd, rmsg, LG_BATCH, MSG_DONTWAIT, NULL);
		for (i = 0; n > 0 && i < (unsigned)n; i++) {
			c = lg_reply(g, rbuf[i], rmsg[i].msg_len);
			inflight = c > inflight ? 0 : inflight - c;
		}
	}
	/* Let stragglers in for the loss count. */
	while (poll(&pfd, 1, 200) > 0) {
		n = recvmmsg(g->rfd, rmsg, LG_BATCH, MSG_DONTWAIT, NULL);
		for (i = 0; n > 0 && i < (unsigned)n; i++)
			lg_reply(g, rbuf[i], rmsg[i].msg_len);
	}
	printf("mode=throughput size=%zu window=%u seconds=%.3f rate=%.0f "
	    "sent=%llu replies=%llu lost=%llu dup=%llu merged=%llu "
	    "corrupted=%llu timeouts=%llu\n", g->size, g->window,
	    (double)(mend - mstart) / 1e9,
	    (double)g->measured / ((double)(mend - mstart) / 1e9),
	    (unsigned long long)g->sent, (unsigned long long)g->replies,
	    (unsigned long long)(g->sent - g->unique),
	    (unsigned long long)g->dup, (unsigned long long)g->merged,
	    (unsigned long long)g->corrupted, (unsigned long long)g->timeouts);
	return 0;
}

static int
lg_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static int
lg_latency(struct lg *g, double seconds, double warmup)
{
	static uint8_t sbuf[LG_MAXSIZE], rbuf[LG_MAXSIZE + 1];
	struct timeval tv = { 0, 100000 };
	uint32_t *ns;
	size_t nsamp = 0;
	uint64_t start = lg_now_ns(), t0, t1, end;
	ssize_t n;

	ns = malloc(LG_MAXSAMPLES * sizeof *ns);
	if (ns == NULL)
		return -1;
	setsockopt(g->rfd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	end = start + (uint64_t)((warmup + seconds) * 1e9);
	for (;;) {
		t0 = lg_now_ns();
		if (t0 >= end)
			break;
		if (lg_grow(g, g->next_seq + 1) == -1)
			return -1;
		lg_build(sbuf, g->size, g->next_seq);
		g->next_seq++;
		if (send(g->fd, sbuf, g->size, 0) == -1)
			continue;
		g->sent++;
		g->measuring = t0 >= start + (uint64_t)(warmup * 1e9);
		/* A late reply to an earlier request is not this one's answer. */
		for (;;) {
			n = recv(g->rfd, rbuf, sizeof rbuf, 0);
			t1 = lg_now_ns();
			if (n < 0 || (size_t)n < 8 ||
			    lg_check(g, rbuf) == (int64_t)(g->next_seq - 1))
				break;
			lg_reply(g, rbuf, (size_t)n);
		}
		if (n < 0) {
			g->timeouts++;
			continue;
		}
		lg_reply(g, rbuf, (size_t)n);
		if (g->measuring && nsamp < LG_MAXSAMPLES)
			ns[nsamp++] = (uint32_t)(t1 - t0 > UINT32_MAX ?
			    UINT32_MAX : t1 - t0);
	}
	if (nsamp == 0) {
		printf("mode=latency size=%zu samples=0 sent=%llu lost=%llu\n",
		    g->size, (unsigned long long)g->sent,
		    (unsigned long long)(g->sent - g->unique));
		free(ns);
		return 0;
	}
	qsort(ns, nsamp, sizeof *ns, lg_cmp);
	printf("mode=latency size=%zu samples=%zu rate=%.0f p50_us=%.2f "
	    "p90_us=%.2f p99_us=%.2f p999_us=%.2f max_us=%.2f sent=%llu "
	    "lost=%llu dup=%llu merged=%llu corrupted=%llu timeouts=%llu\n",
	    g->size, nsamp, (double)nsamp / seconds, ns[nsamp / 2] / 1e3,
	    ns[nsamp * 9 / 10] / 1e3, ns[nsamp * 99 / 100] / 1e3,
	    ns[nsamp * 999 / 1000] / 1e3, ns[nsamp - 1] / 1e3,
	    (unsigned long long)g->sent,
	    (unsigned long long)(g->sent - g->unique),
	    (unsigned long long)g->dup, (unsigned long long)g->merged,
	    (unsigned long long)g->corrupted, (unsigned long long)g->timeouts);
	free(ns);
	return 0;
}

int
main(int argc, char **argv)
{
	struct addrinfo hints, *res;
	struct sockaddr_storage rss;
	struct lg g;
	double seconds = 2, warmup = 0.3;
	const char *rport = NULL;
	int ch, latency = 0, rc;

	memset(&g, 0, sizeof g);
	g.size = 64;
	g.window = 1;
	g.gso = 1;
	while ((ch = getopt(argc, argv, "GlR:s:t:w:W:")) != -1) {
		switch (ch) {
		case 'G':
			g.gso = 0;
			break;
		case 'R':
			rport = optarg;
			break;
		case 'l':
			latency = 1;
			break;
		case 's':
			g.size = (size_t)strtoul(optarg, NULL, 10);
			break;
		case 't':
			seconds = strtod(optarg, NULL);
			break;
		case 'w':
			g.window = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case 'W':
			warmup = strtod(optarg, NULL);
			break;
		default:
			goto usage;
		}
	}
	if (argc - optind != 2 || g.size < LG_HDR || g.size > LG_MAXSIZE ||
	    g.window < 1 || g.window > 4096 || !(seconds > 0) ||
	    !(seconds <= 600) || !(warmup >= 0))
		goto usage;
	memset(&hints, 0, sizeof hints);
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	if ((rc = getaddrinfo(argv[optind], argv[optind + 1], &hints, &res)) != 0) {
		fprintf(stderr, "loadgen: %s: %s\n", argv[optind], gai_strerror(rc));
		return 2;
	}
	g.fd = socket(res->ai_family, SOCK_DGRAM, 0);
	if (g.fd == -1 || connect(g.fd, res->ai_addr, res->ai_addrlen) == -1) {
		perror("loadgen: socket");
		return 2;
	}
	g.rfd = g.fd;
	if (rport != NULL) {
		/* The loopback address of the destination's family, at rport. */
		memset(&rss, 0, sizeof rss);
		memcpy(&rss, res->ai_addr, res->ai_addrlen);
		if (rss.ss_family == AF_INET) {
			((struct sockaddr_in *)&rss)->sin_addr.s_addr =
			    htonl(INADDR_LOOPBACK);
			((struct sockaddr_in *)&rss)->sin_port =
			    htons((uint16_t)strtoul(rport, NULL, 10));
		} else {
			((struct sockaddr_in6 *)&rss)->sin6_addr = in6addr_loopback;
			((struct sockaddr_in6 *)&rss)->sin6_port =
			    htons((uint16_t)strtoul(rport, NULL, 10));
		}
		g.rfd = socket(rss.ss_family, SOCK_DGRAM, 0);
		if (g.rfd == -1 || bind(g.rfd, (struct sockaddr *)&rss,
		    res->ai_addrlen) == -1) {
			perror("loadgen: -R");
			return 2;
		}
	}
	freeaddrinfo(res);
	lg_pattern_init();
	if (g.size * 2 > LG_MAXSIZE)
		g.gso = 0; /* one datagram per send anyway */
	rc = latency ? lg_latency(&g, seconds, warmup) :
	    lg_throughput(&g, seconds, warmup);
	if (rc == -1) {
		fprintf(stderr, "loadgen: out of memory\n");
		return 2;
	}
	free(g.seen);
	return 0;
usage:
	fprintf(stderr, "usage: loadgen [-lG] [-R port] [-s size 14-65507] [-w window] "
	    "[-t seconds] [-W warmup] host port\n");
	return 2;
}
