/* SPDX-License-Identifier: ISC */
/*
 * The relay engine: datagrams from clients to the target and back, each
 * client on its own upstream socket, with impairments, counted and logged.
 */
#include "config.h"

#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <netinet/in.h>
#include <netinet/udp.h>

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "capture.h"
#include "errmsg.h"
#include "impair.h"
#include "log.h"
#include "output.h"
#include "relay.h"
#include "sig.h"
#include "sock.h"
#include "ticks.h"

static const char *const rl_dir_names[RL_NDIR] = {"up", "down"};

static const char *const rl_drop_names[RL_D_N] = {
    "loss", "burst", "mtu", "rate", "queue", "expired", "send_error"};

/* The --pcap comment of a datagram dropped on arrival. */
static const char *const rl_drop_comments[RL_D_N] = {"dropped: loss",
    "dropped: burst", "dropped: mtu", "dropped: rate", "dropped: queue",
    "dropped: expired", "dropped: send_error"};

/* A delayed datagram, owned by the timer heap until it leaves. */
struct rl_pending {
	int slot;
	uint32_t gen;
	enum rl_dir dir;
	size_t len;
	uint8_t data[];
};

static int rl_pcap_interface(
    struct rl_relay *r, const char *role, const struct sockaddr_storage *ss);

/* FNV-1a over the address and port, seeded so no sender can aim at a chain. */
static size_t
rl_hash(const struct rl_relay *r, const struct sockaddr *sa)
{
	const uint8_t *p;
	uint64_t h = 0xcbf29ce484222325ULL ^ r->hseed;
	size_t n, i;

	if (sa->sa_family == AF_INET) {
		p = (const uint8_t *)&(
		    (const struct sockaddr_in *)(const void *)sa)
			->sin_port;
		n = 6; /* port, then address */
	} else {
		p = (const uint8_t *)&(
		    (const struct sockaddr_in6 *)(const void *)sa)
			->sin6_port;
		n = 2 + 4 + 16; /* port, flow info, address */
	}
	for (i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return (size_t)(h ^ (h >> 29)) & r->hmask;
}

int
rl_lookup(const struct rl_relay *r, const struct sockaddr *sa)
{
	int i;

	for (i = r->hash[rl_hash(r, sa)]; i != -1; i = r->cl[i].next) {
		if (addr_same((const struct sockaddr *)&r->cl[i].addr, sa, 1))
			return i;
	}
	return -1;
}

enum rl_event { RL_E_NEW, RL_E_REFUSED, RL_E_EXPIRED };

static const struct {
	const char *type, *before, *after;
} rl_events[] = {
    [RL_E_NEW] = {"client", "new client ", ""},
    [RL_E_REFUSED] = {"client_refused", "client ",
	" refused: the client table is full"},
    [RL_E_EXPIRED] = {"client_expired", "client ", " expired"},
};

/*
 * Says what happened to a client in one line (-v): text on stderr, or a
 * JSON event on stdout.
 */
static void
rl_log_client(struct rl_relay *r, enum rl_event e, const struct sockaddr *sa,
    socklen_t len)
{
	struct out *o = &r->out;
	char a[ADDR_STRLEN];

	if (!r->conf->verbose)
		return;
	addr_format(sa, len, ADDR_FMT_PORT, a, sizeof a);
	if (!o->json) {
		fflush(stdout);
		log_warnx("%s%s%s", rl_events[e].before, a, rl_events[e].after);
		return;
	}
	out_event(o, rl_events[e].type, NULL);
	out_str(o, "from", NULL, a);
	out_obj_close(o);
	out_stdout_flush();
}

/*
 * For --pcap: the relay's address on each side of client c (m holds the
 * address the client sent to, when the relay listens on a wildcard), and
 * an interface for c's upstream socket.
 */
static void
rl_client_pcap(
    struct rl_relay *r, struct rl_client *c, const struct sock_meta *m)
{
	socklen_t len = sizeof c->up_local;

	c->local = r->local;
	if (m != NULL && m->tolen > 0) {
		memcpy(&c->local, &m->to, m->tolen);
		addr_set_port((struct sockaddr *)&c->local,
		    addr_get_port((struct sockaddr *)&r->local));
	}
	if (getsockname(c->fd, (struct sockaddr *)&c->up_local, &len) == -1)
		memset(&c->up_local, 0, sizeof c->up_local);
	c->pcap_if = rl_pcap_interface(r, "upstream", &c->up_local);
}

/* Opens the upstream socket of a new client; returns its slot, or -1. */
int
rl_client_new(struct rl_relay *r, const struct sockaddr *sa, socklen_t len,
    const struct msghdr *mh, uint64_t now)
{
	struct epoll_event ev;
	struct rl_client *c;
	struct sock_meta m;
	size_t h;
	int slot, fd;

	if (r->nfree == 0) {
		r->refused++;
		if (!r->warned_full && !r->conf->json)
			log_warnx("client table full (--max-clients %zu): new "
				  "clients are refused",
			    r->conf->max_clients);
		r->warned_full = 1;
		rl_log_client(r, RL_E_REFUSED, sa, len);
		return -1;
	}
	fd = socket(
	    r->target.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1 ||
	    connect(fd, (struct sockaddr *)&r->target, r->targetlen) == -1) {
		log_warn("cannot open a socket to the target");
		if (fd != -1)
			close(fd);
		r->refused++;
		return -1;
	}
	rl_gro_enable(r, fd);
	slot = r->freelist[--r->nfree];
	memset(&ev, 0, sizeof ev);
	ev.events = EPOLLIN;
	ev.data.u32 = (uint32_t)slot + 1;
	if (epoll_ctl(r->ep, EPOLL_CTL_ADD, fd, &ev) == -1) {
		log_warn("epoll_ctl");
		close(fd);
		r->freelist[r->nfree++] = slot;
		r->refused++;
		return -1;
	}
	c = &r->cl[slot];
	memcpy(&c->addr, sa, len);
	c->addrlen = len;
	c->fd = fd;
	c->last_ns = now;
	memset(c->st, 0, sizeof c->st);
	c->cmsglen = 0;
	if (r->wildcard) {
		memset(&m, 0, sizeof m);
		sock_parse_cmsg(mh, &m);
		c->cmsglen =
		    sock_reply_cmsg(&m, c->cmsg.buf, sizeof c->cmsg.buf);
	}
	if (r->pcap != NULL)
		rl_client_pcap(r, c, r->wildcard ? &m : NULL);
	h = rl_hash(r, sa);
	c->next = r->hash[h];
	r->hash[h] = slot;
	r->clients++;
	rl_log_client(r, RL_E_NEW, sa, len);
	return slot;
}

static void
rl_client_free(struct rl_relay *r, int slot)
{
	struct rl_client *c = &r->cl[slot];
	int *p;

	for (p = &r->hash[rl_hash(r, (struct sockaddr *)&c->addr)]; *p != -1;
	     p = &r->cl[*p].next) {
		if (*p == slot) {
			*p = c->next;
			break;
		}
	}
	close(c->fd); /* also leaves the epoll set */
	c->fd = -1;
	c->gen++;
	r->freelist[r->nfree++] = slot;
}

/* Frees the clients idle for --idle seconds. */
void
rl_sweep(struct rl_relay *r, uint64_t now)
{
	uint64_t idle = (uint64_t)(r->conf->idle * 1e9), step;
	size_t i;

	for (i = 0; i < r->conf->max_clients; i++) {
		if (r->cl[i].fd == -1 || now - r->cl[i].last_ns < idle)
			continue;
		rl_log_client(r, RL_E_EXPIRED,
		    (struct sockaddr *)&r->cl[i].addr, r->cl[i].addrlen);
		rl_client_free(r, (int)i);
		r->expired++;
	}
	step = idle / 4;
	if (step > RL_NS)
		step = RL_NS;
	if (step < RL_NS / 100)
		step = RL_NS / 100;
	r->next_sweep_ns = now + step;
}

/* Stops the capture after a write error, once; the exit status says it. */
static void
rl_pcap_failed(struct rl_relay *r)
{
	log_warn("cannot write to '%s'; the capture stops",
	    ERRMSG_QUOTE(r->conf->pcap));
	capture_close(r->pcap);
	r->pcap = NULL;
	r->failed = 1;
}

/* Adds an interface named "ROLE ADDRESS"; returns its number, 0 on failure. */
static int
rl_pcap_interface(
    struct rl_relay *r, const char *role, const struct sockaddr_storage *ss)
{
	char name[ADDR_STRLEN + 64], a[ADDR_STRLEN];
	int id;

	if (r->pcap == NULL)
		return 0;
	addr_format((const struct sockaddr *)ss,
	    ss->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6)
				      : sizeof(struct sockaddr_in),
	    ADDR_FMT_PORT, a, sizeof a);
	snprintf(name, sizeof name, "%s %s", role, a);
	if ((id = capture_interface(
		 r->pcap, name, (const struct sockaddr *)ss)) == -1) {
		rl_pcap_failed(r);
		return 0;
	}
	return id;
}

/*
 * Opens the --pcap file: its section, and interface 0 for the listening
 * socket.  Returns 0, or -1 having said why.
 */
int
rl_pcap_open(struct rl_relay *r)
{
	char comment[2 * ADDR_STRLEN + 64], a[ADDR_STRLEN], b[ADDR_STRLEN];

	if (r->conf->pcap == NULL)
		return 0;
	snprintf(comment, sizeof comment, "udptool relay %s %s",
	    sock_local_name(r->lfd, a, sizeof a),
	    addr_format((struct sockaddr *)&r->target, r->targetlen,
		ADDR_FMT_PORT, b, sizeof b));
	if ((r->pcap = capture_open(r->conf->pcap, comment)) == NULL) {
		log_warn("cannot open '%s'", ERRMSG_QUOTE(r->conf->pcap));
		return -1;
	}
	rl_pcap_interface(r, "relay", &r->local);
	return r->pcap != NULL ? 0 : -1;
}

/*
 * Records a datagram in the --pcap file, as it arrived (sent 0) or as it
 * left, on the listening socket's interface or the client's upstream one.
 */
static void
rl_pcap(struct rl_relay *r, int slot, enum rl_dir dir, int sent,
    const uint8_t *buf, size_t len, const char *comment)
{
	const struct rl_client *c = &r->cl[slot];
	int client_side = (dir == RL_UP) != sent;

	if (r->pcap == NULL)
		return;
	if (capture_record_note(r->pcap, client_side ? 0 : c->pcap_if, sent,
		(const struct sockaddr *)(client_side ? &c->local
						      : &c->up_local),
		(const struct sockaddr *)(client_side ? &c->addr : &r->target),
		buf, len, NULL, comment) == -1)
		rl_pcap_failed(r);
}

/* Counts one send attempt's outcome, and records what left. */
static void
rl_count_sent(struct rl_relay *r, int slot, enum rl_dir dir, const uint8_t *buf,
    size_t len, int ok)
{
	if (ok) {
		rl_pcap(r, slot, dir, 1, buf, len, NULL);
		r->c[dir].out++;
		r->c[dir].out_bytes += len;
	} else
		r->c[dir].drop[RL_D_SEND]++;
}

/*
 * Sends the datagrams from i on that go to one client the same way and
 * have one size (the last may be shorter, as sock_segment_fits() allows)
 * as one segmented send (UDP_SEGMENT), which the kernel cuts into the same
 * datagrams but routes once.  Returns how many it sent, 0 when that is
 * not worth it or failed (a refusal turns it off for good).
 */
static int
rl_send_segmented(struct rl_relay *r, int i, int j)
{
	union {
		struct cmsghdr align;
		uint8_t buf[CMSG_SPACE(sizeof(uint16_t))];
	} cb;
	struct msghdr mh = r->smsg[i].msg_hdr;
	size_t seg = r->siov[i].iov_len, total = 0, clen;
	int k;

	if (!r->gso || mh.msg_controllen != 0 || seg == 0)
		return 0;
	for (k = i;
	     k < j && r->sslot[k] == r->sslot[i] && r->sdir[k] == r->sdir[i] &&
	     sock_segment_fits(seg, total, r->siov[k].iov_len);
	     k++) {
		total += r->siov[k].iov_len;
		if (r->siov[k].iov_len < seg) {
			k++;
			break;
		}
	}
	if (k - i < 2 ||
	    (clen = sock_segment_cmsg(cb.buf, sizeof cb.buf, seg)) == 0)
		return 0;
	mh.msg_iov = &r->siov[i];
	mh.msg_iovlen = (size_t)(k - i);
	mh.msg_control = cb.buf;
	mh.msg_controllen = clen;
	if (sendmsg(r->sfd[i], &mh, 0) == -1) {
		if (sock_segment_refused(errno))
			r->gso = 0;
		return 0;
	}
	for (j = i; j < k; j++)
		rl_count_sent(r, r->sslot[j], r->sdir[j], r->siov[j].iov_base,
		    r->siov[j].iov_len, 1);
	return k - i;
}

/*
 * Sends the batch: segmented sends where datagrams allow, else one
 * sendmmsg per run of datagrams to the same socket.
 */
static void
rl_flush(struct rl_relay *r)
{
	int i = 0, j, k, n;

	while (i < r->nout) {
		for (j = i + 1; j < r->nout && r->sfd[j] == r->sfd[i]; j++)
			;
		if ((n = rl_send_segmented(r, i, j)) > 0) {
			i += n;
			continue;
		}
		n = sendmmsg(r->sfd[i], &r->smsg[i], (unsigned)(j - i), 0);
		if (n <= 0) {
			/* The first one failed: count it, go on after it. */
			rl_count_sent(r, r->sslot[i], r->sdir[i], NULL, 0, 0);
			i++;
			continue;
		}
		for (k = i; k < i + n; k++)
			rl_count_sent(r, r->sslot[k], r->sdir[k],
			    r->siov[k].iov_base, r->smsg[k].msg_len, 1);
		i += n;
	}
	r->nout = 0;
}

/* Sets up one send of buf to where dir goes for client c. */
static void
rl_msg(struct rl_relay *r, struct rl_client *c, enum rl_dir dir,
    struct msghdr *mh, struct iovec *iov, const uint8_t *buf, size_t len)
{
	memset(mh, 0, sizeof *mh);
	iov->iov_base = (void *)(uintptr_t)buf;
	iov->iov_len = len;
	mh->msg_iov = iov;
	mh->msg_iovlen = 1;
	if (dir == RL_DOWN) {
		mh->msg_name = &c->addr;
		mh->msg_namelen = c->addrlen;
		if (c->cmsglen > 0) {
			mh->msg_control = c->cmsg.buf;
			mh->msg_controllen = c->cmsglen;
		}
	}
	(void)r;
}

static void
rl_queue_send(struct rl_relay *r, struct rl_client *c, enum rl_dir dir,
    const uint8_t *buf, size_t len)
{
	if (r->nout == RL_OUT)
		rl_flush(r);
	rl_msg(
	    r, c, dir, &r->smsg[r->nout].msg_hdr, &r->siov[r->nout], buf, len);
	r->sfd[r->nout] = dir == RL_UP ? c->fd : r->lfd;
	r->sslot[r->nout] = (int)(c - r->cl);
	r->sdir[r->nout] = dir;
	r->nout++;
}

/* Holds a copy of buf on the timer heap until when_ns. */
static void
rl_hold(struct rl_relay *r, int slot, enum rl_dir dir, const uint8_t *buf,
    size_t len, uint64_t when_ns)
{
	struct rl_pending *p;

	if (r->heap.n == r->heap.cap || (p = malloc(sizeof *p + len)) == NULL) {
		r->c[dir].drop[RL_D_QUEUE]++;
		return;
	}
	p->slot = slot;
	p->gen = r->cl[slot].gen;
	p->dir = dir;
	p->len = len;
	memcpy(p->data, buf, len);
	impair_heap_push(&r->heap, when_ns, p);
	r->c[dir].delayed++;
}

/* Sends the delayed datagrams that are due. */
static void
rl_run_timers(struct rl_relay *r, uint64_t now)
{
	const struct impair_timer *t;
	struct impair_timer tm;
	struct rl_pending *p;
	struct rl_client *c;
	struct msghdr mh;
	struct iovec iov;

	while ((t = impair_heap_peek(&r->heap)) != NULL && t->when_ns <= now) {
		impair_heap_pop(&r->heap, &tm);
		p = tm.data;
		c = &r->cl[p->slot];
		if (c->fd == -1 || c->gen != p->gen)
			r->c[p->dir].drop[RL_D_EXPIRED]++;
		else {
			rl_msg(r, c, p->dir, &mh, &iov, p->data, p->len);
			rl_count_sent(r, p->slot, p->dir, p->data, p->len,
			    sendmsg(p->dir == RL_UP ? c->fd : r->lfd, &mh, 0) !=
				-1);
		}
		free(p);
	}
}

/* Applies dir's impairments to one datagram and sends or holds what is left. */
static void
rl_forward(struct rl_relay *r, int slot, enum rl_dir dir, uint8_t *buf,
    size_t len, uint64_t now)
{
	static const enum rl_drop why[] = {
	    [IMPAIR_DROP_MTU] = RL_D_MTU,
	    [IMPAIR_DROP_LOSS] = RL_D_LOSS,
	    [IMPAIR_DROP_BURST] = RL_D_BURST,
	    [IMPAIR_DROP_RATE] = RL_D_RATE,
	};
	struct rl_counters *k = &r->c[dir];
	struct rl_client *c = &r->cl[slot];
	struct impair_verdict v;
	int i;

	k->in++;
	k->in_bytes += len;
	c->last_ns = now;
	if (!r->impaired[dir]) {
		rl_pcap(r, slot, dir, 0, buf, len, NULL);
		rl_queue_send(r, c, dir, buf, len);
		return;
	}
	impair_decide(&r->conf->imp[dir], &c->st[dir], &r->rng, now, len, &v);
	rl_pcap(r, slot, dir, 0, buf, len,
	    v.fate != IMPAIR_PASS ? rl_drop_comments[why[v.fate]] : NULL);
	if (v.fate != IMPAIR_PASS) {
		k->drop[why[v.fate]]++;
		return;
	}
	if (v.corrupt_bit >= 0) {
		buf[v.corrupt_bit / 8] ^= (uint8_t)(1u << (v.corrupt_bit % 8));
		k->corrupted++;
	}
	k->duplicated += v.copies > 1;
	k->reordered += v.reordered != 0;
	for (i = 0; i < v.copies; i++) {
		if (v.send_ns <= now)
			rl_queue_send(r, c, dir, buf, len);
		else
			rl_hold(r, slot, dir, buf, len, v.send_ns);
	}
}

/* Receives one batch on fd; returns how many, 0 when none or on a soft error. */
static int
rl_recv(struct rl_relay *r, int fd, int with_meta)
{
	int i, n;

	with_meta |= r->gro;
	for (i = 0; i < RL_BATCH; i++) {
		r->rmsg[i].msg_hdr.msg_namelen = sizeof r->from[i];
		r->rmsg[i].msg_hdr.msg_control =
		    with_meta ? r->rcbuf[i].buf : NULL;
		r->rmsg[i].msg_hdr.msg_controllen =
		    with_meta ? sizeof r->rcbuf[i].buf : 0;
	}
	n = recvmmsg(fd, r->rmsg, RL_BATCH, MSG_DONTWAIT, NULL);
	if (n >= 0)
		return n;
	/* ECONNREFUSED: an ICMP error from the target, for one datagram. */
	if (errno == EAGAIN || errno == EINTR || errno == ECONNREFUSED ||
	    errno == ENOBUFS || errno == EHOSTUNREACH || errno == ENETUNREACH)
		return 0;
	log_warn("recvmmsg");
	r->failed = 1;
	r->stop = 1;
	return 0;
}

void
rl_gro_enable(struct rl_relay *r, int fd)
{
	int one = 1;

	if (r->conf->no_gso)
		return;
	if (setsockopt(fd, SOL_UDP, UDP_GRO, &one, sizeof one) == 0)
		r->gro = 1;
}

size_t
rl_gro_size(const struct msghdr *mh)
{
	struct cmsghdr *c;
	int seg;

	for (c = CMSG_FIRSTHDR(mh); c != NULL;
	     c = CMSG_NXTHDR((struct msghdr *)(uintptr_t)mh, c)) {
		if (c->cmsg_level == SOL_UDP && c->cmsg_type == UDP_GRO &&
		    c->cmsg_len >= CMSG_LEN(sizeof seg)) {
			memcpy(&seg, CMSG_DATA(c), sizeof seg);
			return seg > 0 ? (size_t)seg : 0;
		}
	}
	return 0;
}

/*
 * Forwards message i of the batch: the datagrams the kernel coalesced
 * into it (UDP_GRO) one by one, so impairments, counts and the capture
 * see each datagram as it was sent.
 */
static void
rl_forward_msg(
    struct rl_relay *r, int slot, enum rl_dir dir, int i, uint64_t now)
{
	uint8_t *p = r->riov[i].iov_base;
	size_t len = r->rmsg[i].msg_len, n;
	size_t seg = rl_gro_size(&r->rmsg[i].msg_hdr);

	if (seg == 0 || seg >= len) {
		rl_forward(r, slot, dir, p, len, now);
		return;
	}
	for (; len > 0; p += n, len -= n) {
		n = len < seg ? len : seg;
		rl_forward(r, slot, dir, p, n, now);
	}
}

/* Datagrams from clients, to the target. */
static void
rl_from_clients(struct rl_relay *r)
{
	struct msghdr *mh;
	uint64_t now;
	int i, n, slot;

	n = rl_recv(r, r->lfd, r->wildcard);
	now = ticks_now_ns();
	for (i = 0; i < n; i++) {
		mh = &r->rmsg[i].msg_hdr;
		slot = rl_lookup(r, (struct sockaddr *)&r->from[i]);
		if (slot == -1)
			slot = rl_client_new(r, (struct sockaddr *)&r->from[i],
			    mh->msg_namelen, mh, now);
		if (slot == -1)
			continue;
		rl_forward_msg(r, slot, RL_UP, i, now);
	}
	rl_flush(r);
}

/* Datagrams from the target, to the client of slot. */
static void
rl_from_target(struct rl_relay *r, int slot)
{
	uint64_t now;
	int i, n;

	if (r->cl[slot].fd == -1)
		return;
	n = rl_recv(r, r->cl[slot].fd, 0);
	now = ticks_now_ns();
	for (i = 0; i < n; i++)
		rl_forward_msg(r, slot, RL_DOWN, i, now);
	rl_flush(r);
}

static void
rl_sum(const struct rl_relay *r, uint64_t *drops)
{
	int d, k;

	for (d = 0; d < RL_NDIR; d++) {
		drops[d] = 0;
		for (k = 0; k < RL_D_N; k++)
			drops[d] += r->c[d].drop[k];
	}
}

/* One direction's counts in the summary. */
static void
rl_print_dir(
    struct out *o, enum rl_dir d, const struct rl_counters *k, uint64_t drops)
{
	int i;

	out_obj_open(o, rl_dir_names[d]);
	out_text(o, "  %-5s ", d == RL_UP ? "up:" : "down:");
	out_count(o, "received", "%llu %s in", k->in, "datagram", "datagrams");
	out_count(
	    o, "received_bytes", " (%llu %s), ", k->in_bytes, "byte", "bytes");
	out_uint(o, "sent", "%llu out", k->out);
	out_count(
	    o, "sent_bytes", " (%llu %s), ", k->out_bytes, "byte", "bytes");
	out_uint(o, "dropped", "%llu dropped", drops);
	out_uint(o, "duplicated", ", %llu duplicated", k->duplicated);
	out_uint(o, "reordered", ", %llu reordered", k->reordered);
	out_uint(o, "corrupted", ", %llu corrupted", k->corrupted);
	out_uint(o, "delayed", ", %llu delayed\n", k->delayed);
	out_obj_open(o, "drops");
	for (i = 0; i < RL_D_N; i++) {
		if (k->drop[i] > 0 || o->json) {
			out_text(o, "        dropped (%s):", rl_drop_names[i]);
			out_uint(o, rl_drop_names[i], " %llu\n", k->drop[i]);
		}
	}
	out_obj_close(o);
	out_obj_close(o);
}

/*
 * The summary (final) or a report (SIGUSR1): one JSON line on stdout
 * with -j, else text on stderr.
 */
void
rl_print_report(struct rl_relay *r, int final)
{
	struct timespec now;
	struct out o;
	uint64_t drops[RL_NDIR];
	long long kd;
	int d;

	rl_sum(r, drops);
	clock_gettime(CLOCK_MONOTONIC, &now);
	kd = sock_kernel_drops(r->lfd);
	out_init(&o, r->conf->json ? stdout : stderr, r->conf->json);
	fflush(stdout);
	out_event(&o, "summary", NULL);
	out_bool(&o, "final", NULL, final);
	out_double(&o, "elapsed_s", NULL, ticks_elapsed(&r->start, &now));
	out_text(&o, "udptool: relay: %s after %.1f s ",
	    final ? "summary" : "report", ticks_elapsed(&r->start, &now));
	out_uint(&o, "seed", "(seed %llu): ", r->conf->seed);
	out_count(&o, "clients", "%llu %s", r->clients, "client", "clients");
	out_uint(&o, "clients_active", " (%llu active",
	    r->conf->max_clients - r->nfree);
	out_uint(&o, "clients_expired", ", %llu expired", r->expired);
	out_uint(&o, "clients_refused", ", %llu refused)", r->refused);
	out_uint(&o, "kernel_drops",
	    kd > 0 ? ", %llu dropped by the kernel (receive buffer full)"
		   : NULL,
	    kd > 0 ? (unsigned long long)kd : 0);
	out_text(&o, "\n");
	for (d = 0; d < RL_NDIR; d++)
		rl_print_dir(&o, (enum rl_dir)d, &r->c[d], drops[d]);
	out_obj_close(&o);
	fflush(o.fp);
}

/* The --stats line: rates since the previous line and totals. */
static void
rl_print_stats(struct rl_relay *r)
{
	struct timespec now;
	struct out o;
	uint64_t drops[RL_NDIR];
	double dt;
	int d;

	rl_sum(r, drops);
	clock_gettime(CLOCK_MONOTONIC, &now);
	dt = ticks_elapsed(&r->last_ts, &now);
	if (dt <= 0)
		dt = 1e-9;
	out_init(&o, r->conf->json ? stdout : stderr, r->conf->json);
	fflush(stdout);
	out_event(&o, "stats", NULL);
	out_text(&o, "udptool: relay: stats:");
	for (d = 0; d < RL_NDIR; d++) {
		out_obj_open(&o, rl_dir_names[d]);
		out_text(&o, " %s", rl_dir_names[d]);
		out_double(&o, "received_per_s", " %.0f in/s",
		    (double)(r->c[d].in - r->last[d].in) / dt);
		out_double(&o, "sent_per_s", ", %.0f out/s",
		    (double)(r->c[d].out - r->last[d].out) / dt);
		out_uint(&o, "received", " (total %llu in", r->c[d].in);
		out_uint(&o, "sent", ", %llu out", r->c[d].out);
		out_uint(&o, "dropped", ", %llu dropped);", drops[d]);
		out_obj_close(&o);
	}
	out_uint(&o, "clients_active", " %llu active clients\n",
	    r->conf->max_clients - r->nfree);
	/* Totals of both directions, the names every stats line has. */
	out_uint(&o, "received", NULL, r->c[RL_UP].in + r->c[RL_DOWN].in);
	out_uint(&o, "sent", NULL, r->c[RL_UP].out + r->c[RL_DOWN].out);
	out_uint(&o, "dropped", NULL, drops[RL_UP] + drops[RL_DOWN]);
	out_obj_close(&o);
	fflush(o.fp);
	memcpy(r->last, r->c, sizeof r->last);
	r->last_ts = now;
}

/* Milliseconds epoll may sleep: until the next timer or sweep, rounded up. */
int
rl_timeout(const struct rl_relay *r, uint64_t now)
{
	const struct impair_timer *t = impair_heap_peek(&r->heap);
	uint64_t until = r->next_sweep_ns;

	if (t != NULL && t->when_ns < until)
		until = t->when_ns;
	if (until <= now)
		return 0;
	return (int)((until - now + 999999) / 1000000);
}

/* Returns 1 if SIGINT or SIGTERM came. */
static int
rl_stopped(const struct rl_relay *r)
{
	return r->stop || sig_pending(SIGINT) || sig_pending(SIGTERM);
}

/* Returns 1 if a signal asked for a report, and clears it. */
static int
rl_report_asked(void)
{
	int asked = sig_take(SIGUSR1);

#ifdef SIGINFO
	asked |= sig_take(SIGINFO);
#endif
	return asked;
}

void
rl_loop(struct rl_relay *r)
{
	struct epoll_event ev[RL_EVENTS];
	uint64_t now;
	int i, n;

	while (!rl_stopped(r)) {
		now = ticks_now_ns();
		rl_run_timers(r, now);
		if (now >= r->next_sweep_ns)
			rl_sweep(r, now);
		if (rl_report_asked())
			rl_print_report(r, 0);
		if (sig_take(SIGALRM))
			rl_print_stats(r);
		n = epoll_pwait(
		    r->ep, ev, RL_EVENTS, rl_timeout(r, now), sig_waitset());
		if (n == -1) {
			if (errno == EINTR)
				continue;
			log_warn("epoll_wait");
			r->failed = 1;
			break;
		}
		for (i = 0; i < n; i++) {
			if (ev[i].data.u32 == 0)
				rl_from_clients(r);
			else
				rl_from_target(r, (int)ev[i].data.u32 - 1);
		}
	}
}

/* Allocates everything the relay needs, once; returns 0 or -1. */
int
rl_alloc(struct rl_relay *r)
{
	const struct rl_conf *conf = r->conf;
	size_t i, hsize = 1;
	int d;

	while (hsize < 2 * conf->max_clients)
		hsize <<= 1;
	r->hmask = hsize - 1;
	r->cl = calloc(conf->max_clients, sizeof *r->cl);
	r->hash = malloc(hsize * sizeof *r->hash);
	r->freelist = malloc(conf->max_clients * sizeof *r->freelist);
	r->buf = malloc((size_t)RL_BATCH * RL_BUFSIZE);
	if (r->cl == NULL || r->hash == NULL || r->freelist == NULL ||
	    r->buf == NULL || impair_heap_init(&r->heap, conf->queue) == -1) {
		log_warn("cannot allocate the client table");
		return -1;
	}
	for (i = 0; i < hsize; i++)
		r->hash[i] = -1;
	for (i = 0; i < conf->max_clients; i++) {
		r->cl[i].fd = -1;
		r->freelist[conf->max_clients - 1 - i] = (int)i;
	}
	r->nfree = conf->max_clients;
	for (i = 0; i < RL_BATCH; i++) {
		r->riov[i].iov_base = r->buf + i * RL_BUFSIZE;
		r->riov[i].iov_len = RL_BUFSIZE;
		r->rmsg[i].msg_hdr.msg_name = &r->from[i];
		r->rmsg[i].msg_hdr.msg_iov = &r->riov[i];
		r->rmsg[i].msg_hdr.msg_iovlen = 1;
	}
	for (d = 0; d < RL_NDIR; d++)
		r->impaired[d] = impair_active(&conf->imp[d]);
	impair_rng_seed(&r->rng, conf->seed);
	/* Not from --seed: a known seed must not let a sender aim at a chain. */
	r->hseed = ticks_seed();
	return 0;
}

void
rl_release(struct rl_relay *r)
{
	struct impair_timer t;
	size_t i;

	while (impair_heap_pop(&r->heap, &t) == 0)
		free(t.data);
	impair_heap_free(&r->heap);
	if (r->cl != NULL) {
		for (i = 0; i < r->conf->max_clients; i++) {
			if (r->cl[i].fd != -1)
				close(r->cl[i].fd);
		}
	}
	if (r->lfd != -1)
		close(r->lfd);
	if (r->ep != -1)
		close(r->ep);
	if (r->pcap != NULL && capture_close(r->pcap) == -1)
		log_warn("cannot write to '%s'", ERRMSG_QUOTE(r->conf->pcap));
	free(r->cl);
	free(r->hash);
	free(r->freelist);
	free(r->buf);
}
