/* SPDX-License-Identifier: ISC */
/*
 * --pcap: datagrams of listen, send and echo-serve as pcapng frames with
 * synthesised headers, written under one lock so worker threads may share it.
 */
#include "config.h"

#include <sys/socket.h>

#include <netinet/in.h>

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "capture.h"
#include "pcapng.h"

struct capture {
	FILE *fp;
	pthread_mutex_t lock;
	struct sockaddr_storage *ifs; /* each interface's local address */
	int nif;
	int err; /* errno of the first failed write, 0: none */
	uint64_t recorded, lost;
	uint8_t pkt[PCAPNG_FRAME_MAX];
};

struct capture *
capture_open(const char *path, const char *comment)
{
	struct capture *c;
	int e;

	if ((c = calloc(1, sizeof *c)) == NULL)
		return NULL;
	if ((c->fp = fopen(path, "wbe")) == NULL) {
		free(c);
		return NULL;
	}
	if (pcapng_write_shb(c->fp, comment) == -1) {
		e = errno;
		fclose(c->fp);
		free(c);
		errno = e;
		return NULL;
	}
	pthread_mutex_init(&c->lock, NULL);
	return c;
}

int
capture_interface(
    struct capture *c, const char *name, const struct sockaddr *local)
{
	struct sockaddr_storage *n;
	int id = -1;

	pthread_mutex_lock(&c->lock);
	n = realloc(c->ifs, (size_t)(c->nif + 1) * sizeof *n);
	if (n != NULL) {
		c->ifs = n;
		memset(&n[c->nif], 0, sizeof *n);
		memcpy(&n[c->nif], local,
		    local->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
						 : sizeof(struct sockaddr_in));
		if (pcapng_write_idb(c->fp, name) == 0)
			id = c->nif++;
	}
	pthread_mutex_unlock(&c->lock);
	return id;
}

int
capture_socket(struct capture *c, const char *role, int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	char name[ADDR_STRLEN + 64], a[ADDR_STRLEN];

	if (getsockname(fd, (struct sockaddr *)&ss, &len) == -1)
		return -1;
	snprintf(name, sizeof name, "%s %s", role,
	    addr_format(
		(struct sockaddr *)&ss, len, ADDR_FMT_PORT, a, sizeof a));
	return capture_interface(c, name, (struct sockaddr *)&ss);
}

struct capture *
capture_open_socket(const char *path, const char *cmd, int fd)
{
	struct capture *c;
	char comment[64];
	int e;

	snprintf(comment, sizeof comment, "udptool %s", cmd);
	if ((c = capture_open(path, comment)) == NULL)
		return NULL;
	if (capture_socket(c, cmd, fd) == -1) {
		e = errno;
		capture_close(c);
		errno = e;
		return NULL;
	}
	return c;
}

/* Whether sa is IPv4, or IPv6 carrying IPv4 (::ffff:a.b.c.d). */
static int
capture_is4(const struct sockaddr *sa)
{
	const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)sa;

	return sa->sa_family == AF_INET ||
	    (sa->sa_family == AF_INET6 && IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr));
}

/*
 * Our side of a datagram with peer: local (when it holds an address) or
 * the interface's address, as the wildcard of peer's family when the two
 * families differ (a dual-stack socket), with the interface's port when
 * local has none.
 */
static void
capture_local(const struct capture *c, int ifid, const struct sockaddr *local,
    const struct sockaddr *peer, struct sockaddr_storage *out)
{
	const struct sockaddr *ifa = (const struct sockaddr *)&c->ifs[ifid];
	uint16_t port;

	if (local == NULL ||
	    (local->sa_family != AF_INET && local->sa_family != AF_INET6))
		local = ifa;
	memset(out, 0, sizeof *out);
	memcpy(out, local,
	    local->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
					 : sizeof(struct sockaddr_in));
	port = addr_get_port(local);
	if (port == 0)
		port = addr_get_port(ifa);
	if (capture_is4(local) != capture_is4(peer)) {
		memset(out, 0, sizeof *out);
		out->ss_family = capture_is4(peer) ? AF_INET : AF_INET6;
	}
	addr_set_port((struct sockaddr *)out, port);
}

int
capture_record(struct capture *c, int ifid, int sent,
    const struct sockaddr *local, const struct sockaddr *peer, const void *buf,
    size_t len, const struct timespec *ts)
{
	return capture_record_note(
	    c, ifid, sent, local, peer, buf, len, ts, NULL);
}

int
capture_record_note(struct capture *c, int ifid, int sent,
    const struct sockaddr *local, const struct sockaddr *peer, const void *buf,
    size_t len, const struct timespec *ts, const char *comment)
{
	struct sockaddr_storage me;
	struct timespec now;
	size_t n;
	int r = 0;

	if (ts == NULL) {
		clock_gettime(CLOCK_REALTIME, &now);
		ts = &now;
	}
	pthread_mutex_lock(&c->lock);
	if (ifid < 0 || ifid >= c->nif || c->err != 0) {
		c->lost++;
		goto out;
	}
	capture_local(c, ifid, local, peer, &me);
	n = pcapng_udp_packet(sent ? (const struct sockaddr *)&me : peer,
	    sent ? peer : (const struct sockaddr *)&me, buf, len, c->pkt,
	    sizeof c->pkt);
	if (n == 0) {
		c->lost++;
		goto out;
	}
	if (pcapng_write_epb(c->fp, (uint32_t)ifid,
		(uint64_t)ts->tv_sec * 1000000000ULL + (uint64_t)ts->tv_nsec,
		c->pkt, n, comment) == -1) {
		c->err = errno != 0 ? errno : EIO;
		c->lost++;
		r = -1;
		goto out;
	}
	c->recorded++;
out:
	pthread_mutex_unlock(&c->lock);
	return r;
}

void
capture_counts(const struct capture *c, uint64_t *recorded, uint64_t *lost)
{
	*recorded = c->recorded;
	*lost = c->lost;
}

int
capture_close(struct capture *c)
{
	int e;

	if (c == NULL)
		return 0;
	e = c->err;
	if (fclose(c->fp) == EOF && e == 0)
		e = errno != 0 ? errno : EIO;
	pthread_mutex_destroy(&c->lock);
	free(c->ifs);
	free(c);
	if (e != 0) {
		errno = e;
		return -1;
	}
	return 0;
}
