/* SPDX-License-Identifier: ISC */
/*
 * Sending datagrams: one at a time with its send stamp, or as bursts of
 * copies through sendmmsg() and UDP segmentation offload; and pacing.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "addr.h"
#include "icmp.h"
#include "output.h"
#include "sock.h"
#include "xmit.h"

ssize_t
xmit_one(int fd, const struct sockaddr *to, socklen_t tolen, const void *buf,
    size_t len, struct timespec *stamp)
{
	clock_gettime(CLOCK_REALTIME, stamp);
	if (to != NULL)
		return sendto(fd, buf, len, 0, to, tolen);
	return send(fd, buf, len, 0);
}

void
xmit_burst_init(struct xmit_burst *b, const void *buf, size_t len, int gso,
    const struct sockaddr *to, socklen_t tolen)
{
	unsigned i;

	memset(b, 0, sizeof *b);
	for (i = 0; i < XMIT_SEGMENTS; i++) {
		b->iov[i].iov_base = (void *)(uintptr_t)buf;
		b->iov[i].iov_len = len;
	}
	if (gso && len > 0 && len <= SOCK_SEGMENT_MAX / 2)
		b->clen =
		    sock_segment_cmsg(b->cbuf.buf, sizeof b->cbuf.buf, len);
	b->per = 1;
	if (b->clen > 0)
		b->per = (unsigned)(SOCK_SEGMENT_MAX / len) < XMIT_SEGMENTS
		    ? (unsigned)(SOCK_SEGMENT_MAX / len)
		    : XMIT_SEGMENTS;
	for (i = 0; i < XMIT_BATCH; i++) {
		b->msgs[i].msg_hdr.msg_iov = b->iov;
		if (to != NULL) {
			b->msgs[i].msg_hdr.msg_name = (void *)(uintptr_t)to;
			b->msgs[i].msg_hdr.msg_namelen = tolen;
		}
	}
}

long long
xmit_burst_send(struct xmit_burst *b, int fd, unsigned long long left)
{
	unsigned long long planned, done;
	unsigned nmsg, k, i;
	int r;

	for (;;) {
		for (nmsg = 0, planned = 0; nmsg < XMIT_BATCH && planned < left;
		     nmsg++) {
			k = left - planned < b->per ? (unsigned)(left - planned)
						    : b->per;
			b->msgs[nmsg].msg_hdr.msg_iovlen = k;
			b->msgs[nmsg].msg_hdr.msg_control =
			    k > 1 ? b->cbuf.buf : NULL;
			b->msgs[nmsg].msg_hdr.msg_controllen =
			    k > 1 ? b->clen : 0;
			planned += k;
		}
		r = sendmmsg(fd, b->msgs, nmsg, 0);
		if (r != -1)
			break;
		if (b->per > 1 && sock_segment_refused(errno)) {
			b->per = 1;
			continue;
		}
		return -1;
	}
	for (done = 0, i = 0; i < (unsigned)r; i++)
		done += b->msgs[i].msg_hdr.msg_iovlen;
	return (long long)done;
}

double
xmit_next_due(double due, double interval, double now)
{
	due += interval;
	if (due < now - interval)
		due = now;
	return due;
}

/* Classifies x->e and writes its text; sets its reason ("local" for this host's own). */
static void
xmit_err_text(struct xmit_err *x)
{
	const struct sock_err *e = &x->e;
	int family = e->origin == SOCK_ERR_ICMP6 ? AF_INET6 : AF_INET;

	if (e->origin == SOCK_ERR_LOCAL) {
		x->c.verdict = ICMP_V_OTHER;
		if (e->err == EMSGSIZE)
			snprintf(x->text, sizeof x->text,
			    "message too long for the local MTU %u", e->info);
		else
			snprintf(
			    x->text, sizeof x->text, "%s", strerror(e->err));
		x->reason = "local";
		return;
	}
	icmp_classify(family, e->type, e->code, &x->c);
	icmp_class_text(&x->c, family, e->type, e->code, e->info, e->err,
	    x->text, sizeof x->text);
	x->reason = x->c.reason;
}

int
xmit_err_next(int fd, struct xmit_err *x)
{
	uint8_t data[64];

	memset(x, 0, sizeof *x);
	while (sock_recv_err(fd, data, sizeof data, &x->e) != -1) {
		if (x->e.origin == SOCK_ERR_NONE)
			continue;
		xmit_err_text(x);
		if (x->e.fromlen == 0)
			snprintf(x->from, sizeof x->from, "this host");
		else
			addr_format((struct sockaddr *)&x->e.from, x->e.fromlen,
			    0, x->from, sizeof x->from);
		return 1;
	}
	return 0;
}

void
xmit_err_out(struct out *o, const struct xmit_err *x)
{
	if (!o->json)
		return;
	out_event(o, icmp_event(x->c.verdict), NULL);
	out_str(o, "reason", NULL, x->reason);
	out_str(o, "from", NULL, x->from);
	out_str(o, "message", NULL, x->text);
	if (x->e.origin == SOCK_ERR_ICMP || x->e.origin == SOCK_ERR_ICMP6) {
		out_int(o, "icmp_type", NULL, x->e.type);
		out_int(o, "icmp_code", NULL, x->e.code);
	}
	if (x->c.verdict == ICMP_V_UNREACHABLE && x->c.has_mtu)
		out_uint(o, "mtu", NULL, x->e.info);
	out_obj_close(o);
}
