/* SPDX-License-Identifier: ISC */
/*
 * The transmit path of a UDP client: one datagram stamped as it leaves,
 * bursts of copies through sendmmsg() with segmentation offload, and the
 * schedule that paces datagrams.
 */
#ifndef UDPTOOL_XMIT_H
#define UDPTOOL_XMIT_H

#include <sys/types.h>
#include <sys/socket.h>

#include <stddef.h>
#include <time.h>

#include "addr.h"
#include "icmp.h"
#include "sock.h"

struct out;

#define XMIT_BATCH 64 /* messages per sendmmsg() */
#define XMIT_SEGMENTS 64 /* datagrams per segmented message */

/*
 * Sends buf as one datagram on fd, to to (NULL: the connected peer), and
 * stores in *stamp (CLOCK_REALTIME) the moment just before the call: on
 * loopback the reply can arrive before the call returns.  Returns the
 * bytes sent, or -1 with errno set.
 */
ssize_t xmit_one(int fd, const struct sockaddr *to, socklen_t tolen,
    const void *buf, size_t len, struct timespec *stamp);

/* Copies of one datagram, sent XMIT_BATCH messages per call. */
struct xmit_burst {
	union {
		struct cmsghdr align;
		char buf[SOCK_CMSG_SPACE];
	} cbuf;
	struct mmsghdr msgs[XMIT_BATCH];
	struct iovec iov[XMIT_SEGMENTS];
	size_t clen; /* the UDP_SEGMENT control message, 0: none */
	unsigned per; /* datagrams per message */
};

/*
 * Prepares copies of buf (len bytes, which must outlive b) to to (NULL:
 * the connected peer), up to XMIT_SEGMENTS per message in one
 * segmented send when gso is set and the system offers it.
 */
void xmit_burst_init(struct xmit_burst *b, const void *buf, size_t len, int gso,
    const struct sockaddr *to, socklen_t tolen);

/*
 * Sends up to left copies in one sendmmsg() call; a segmented send the
 * kernel refuses is sent again one datagram per message, and so is the
 * rest of the burst.  Returns the datagrams sent (> 0), or -1 with errno
 * set (EINTR, ENOBUFS and EAGAIN included: the caller waits and retries).
 */
long long xmit_burst_send(
    struct xmit_burst *b, int fd, unsigned long long left);

/*
 * Returns the time after due, interval later, without letting a late
 * start turn into a burst: a schedule more than one interval behind now
 * restarts at now.
 */
double xmit_next_due(double due, double interval, double now);

/* One error from a socket's error queue, classified and put in words. */
struct xmit_err {
	struct sock_err e;
	struct icmp_class c; /* c.verdict: refused, unreachable or other */
	const char
	    *reason; /* "refused", "frag-needed", ...; "local": this host */
	char text[128]; /* "port unreachable", "message too long ..." */
	char from[ADDR_STRLEN]; /* who reported it, or "this host" */
};

/*
 * Reads the next error from fd's error queue (IP_RECVERR) without
 * waiting.  Returns 1 with *x filled, or 0 when the queue is empty.
 */
int xmit_err_next(int fd, struct xmit_err *x);

/*
 * Writes x as one JSON object of its verdict's event (ping's "refused",
 * "unreachable", "icmp_error"): reason, sender, text, ICMP type and code
 * and the path MTU where they are known.  Writes nothing as text.
 */
void xmit_err_out(struct out *o, const struct xmit_err *x);

#endif
