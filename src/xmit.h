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

#include "sock.h"

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

#endif
