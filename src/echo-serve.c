/* SPDX-License-Identifier: ISC */
/*
 * The echo-serve engine: batches read with recvmmsg, judged by the rules
 * of echo.c, answered with sendmmsg in segmented runs, and counted.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/types.h>

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "echo-serve.h"
#include "echo.h"
#include "log.h"
#include "output.h"
#include "sig.h"
#include "sock.h"
#include "srctab.h"
#include "ticks.h"

const char *const es_mode_names[ES_NMODES] = {
    "echo", "upper", "daytime", "discard", "sockperf"};

/*
 * Set by any thread, read by every worker: an atomic, not a signal flag,
 * which is only safe between a handler and the thread it interrupted.
 */
static int es_stop;

void
es_stop_clear(void)
{
	__atomic_store_n(&es_stop, 0, __ATOMIC_RELAXED);
}

static int
es_stopping(void)
{
	return __atomic_load_n(&es_stop, __ATOMIC_ACQUIRE);
}

/* Stops every worker; from another worker, wakes the main one too. */
static void
es_stop_all(const struct es_worker *w)
{
	__atomic_store_n(&es_stop, 1, __ATOMIC_RELEASE);
	if (w != NULL && w->index != 0)
		pthread_kill(w->srv->main_tid, SIGUSR2);
}

/*
 * Worker 0 reads the addresses again every few seconds: getifaddrs is a
 * netlink dump, too dear per datagram, and addresses rarely change.  On
 * failure the old ones stay.
 */
static void
es_ifaddrs_refresh(struct es_server *srv, uint64_t now)
{
	struct echo_ifaddrs fresh, old;

	srv->ifa_next_ns = now + ES_IFADDRS_NS;
	if (echo_ifaddrs_load(&fresh) == -1)
		return;
	pthread_mutex_lock(&srv->tab_lock);
	old = srv->ifa;
	srv->ifa = fresh;
	pthread_mutex_unlock(&srv->tab_lock);
	echo_ifaddrs_free(&old);
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
	} else if (w->locallen > 0 && !echo_is_wildcard(&w->local))
		addr_format((const struct sockaddr *)&w->local, w->locallen,
		    o->json ? ADDR_FMT_PORT : 0, b, sizeof b);
	flockfile(o->fp);
	/* After a failed write nobody reads the log, and the server is stopping. */
	if (ferror(o->fp)) {
		funlockfile(o->fp);
		return;
	}
	/* One call per field; JSON names the event as every command does. */
	out_event(o,
	    !reply				? "datagram"
		: strcmp(event, "written") == 0 ? "reply"
						: "unsent",
	    NULL);
	out_text(o, "%s %zu %s ", event, len, out_plural(len, "byte", "bytes"));
	out_str(o, reply ? "to" : "from", reply ? "to %s" : "from %s", a);
	if (b[0] != '\0')
		out_str(
		    o, reply ? "from" : "to", reply ? " from %s" : " to %s", b);
	out_uint(o, "length", NULL, len);
	if (reason != NULL)
		out_str(o, "reason", " (%s)", reason);
	out_text(o, "\n");
	out_obj_close(o);
	/* -v is for someone watching: stop when nobody can (main() says why). */
	if (out_stdout_flush() == -1)
		es_stop_all(w);
	funlockfile(o->fp);
}

/*
 * Decides what happens to request i of a batch, sent to a group address
 * if group is a drop reason (echo_group_kind); returns a drop reason or
 * -1.  The address rules come first (echo_judge_addr), then the table.
 */
static int
es_judge(struct es_worker *w, int i, size_t len, uint64_t now, int group,
    struct srctab_entry **ep)
{
	const struct es_conf *conf = w->srv->conf;
	struct srctab_key key;
	struct srctab_entry *e;
	uint64_t evicted;
	int created, drop;

	*ep = NULL;
	drop = echo_judge_addr(
	    &w->srv->rules, (const struct sockaddr *)&w->from[i], group, &key);
	if (drop != -1)
		return drop;
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
		return ECHO_DROP_TRUNC;
	if (conf->rate > 0 &&
	    !tbucket_take(&e->bucket, conf->rate, conf->burst, now))
		return ECHO_DROP_RATE;
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
			if (!sock_segment_fits(
				seg, total, w->siov[i + k].iov_len) ||
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
		ES_ADD(w->c.senderr[echo_senderr_class(e)], 1);
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

/* --pcap: records the n datagrams recvmmsg read, before any is changed. */
static void
es_capture_in(struct es_worker *w, int n)
{
	struct sock_meta m;
	int i;

	for (i = 0; i < n; i++) {
		sock_parse_cmsg(&w->rmsg[i].msg_hdr, &m);
		capture_record(w->srv->cap, w->cap_if, 0,
		    m.tolen > 0 ? (struct sockaddr *)&m.to : NULL,
		    (struct sockaddr *)&w->from[i],
		    w->buf + (size_t)i * ES_STRIDE, w->rmsg[i].msg_len,
		    m.has_ts ? &m.ts : NULL);
	}
}

/* --pcap: records the replies of a batch that left. */
static void
es_capture_out(struct es_worker *w, int nsend)
{
	struct sock_meta m;
	int i;

	for (i = 0; i < nsend; i++) {
		if (w->senderrno[i] != 0)
			continue;
		/* A reply without a source control message left from any. */
		m.tolen = 0;
		if (w->smsg[i].msg_hdr.msg_controllen > 0)
			sock_parse_cmsg(&w->rmsg[w->slot[i]].msg_hdr, &m);
		capture_record(w->srv->cap, w->cap_if, 1,
		    m.tolen > 0 ? (struct sockaddr *)&m.to : NULL,
		    (struct sockaddr *)&w->from[w->slot[i]],
		    w->siov[i].iov_base, w->siov[i].iov_len, NULL);
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
	int i, nsend = 0, drop, group, why[ES_BATCH];

	if (w->srv->cap != NULL)
		es_capture_in(w, n);
	if (conf->rate > 0)
		now = ticks_now_ns();
	pthread_mutex_lock(&w->srv->tab_lock);
	for (i = 0; i < n; i++) {
		len = w->rmsg[i].msg_len;
		p = w->buf + (size_t)i * ES_STRIDE;
		/* sock_parse_cmsg sets every field sock_reply_cmsg reads. */
		sock_parse_cmsg(&w->rmsg[i].msg_hdr, &m);
		group = echo_group_kind(&w->srv->ifa,
		    (const struct sockaddr *)(m.tolen > 0 ? &m.to : &w->local));
		/*
		 * Every worker's socket gets its own copy of a broadcast or
		 * multicast datagram: the first worker alone counts and
		 * answers it, so that one host answers once.
		 */
		why[i] = ECHO_DROP_N; /* not this worker's: not logged */
		if (group != -1 && w->index != 0)
			continue;
		nin++;
		bytes += len;
		drop = es_judge(w, i, len, now, group, &e);
		rlen = len;
		if (drop == -1 && conf->mode == ES_DAYTIME) {
			rlen = echo_daytime(&w->day, time(NULL), len, p);
			if (rlen == 0)
				drop = ECHO_DROP_SHORT;
		}
		if (drop == -1 && conf->mode == ES_SOCKPERF)
			drop = echo_sockperf(p, len);
		why[i] = drop;
		if (drop != -1) {
			ES_ADD(w->c.drop[drop], 1);
			if (e != NULL)
				e->dropped++;
			continue;
		}
		if (conf->mode == ES_DISCARD)
			continue;
		if (conf->mode == ES_UPPER)
			echo_upper(p, len);
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
	/* Logged after tab_lock: it is never held with a stream lock. */
	for (i = 0; conf->verbose && i < n; i++) {
		if (why[i] == ECHO_DROP_N)
			continue;
		sock_parse_cmsg(&w->rmsg[i].msg_hdr, &m);
		es_log(w, "received", (struct sockaddr *)&w->from[i],
		    w->rmsg[i].msg_hdr.msg_namelen, &m, w->rmsg[i].msg_len,
		    why[i] != -1 ? echo_drop_names[why[i]] : NULL);
	}
	if (nsend > 0)
		es_send_batch(w, nsend);
	if (w->srv->cap != NULL)
		es_capture_out(w, nsend);
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
	while (!es_stopping()) {
		if (w->index == 0) {
			if (sig_pending(SIGINT) || sig_pending(SIGTERM)) {
				es_stop_all(w);
				break;
			}
			now = ticks_now_ns();
			if (now >= w->srv->ifa_next_ns)
				es_ifaddrs_refresh(w->srv, now);
#ifdef SIGINFO
			if (sig_take(SIGINFO))
				sig_set(SIGUSR1);
#endif
			if (sig_take(SIGUSR1))
				es_print_report(w->srv, 0);
			if (sig_take(SIGALRM))
				es_print_stats(w->srv);
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
			/* The main thread may sleep in recvmmsg: wake it. */
			es_stop_all(w);
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
		for (k = 0; k < ECHO_DROP_N; k++)
			t->drop[k] += ES_LOAD(c->drop[k]);
		for (k = 0; k < ECHO_SE_N; k++)
			t->senderr[k] += ES_LOAD(c->senderr[k]);
		t->seg_sends += ES_LOAD(c->seg_sends);
		t->seg_replies += ES_LOAD(c->seg_replies);
		t->seg_refused += ES_LOAD(c->seg_refused);
	}
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

/* The report's drops, segmented sends and send errors, by kind. */
static void
es_print_kinds(struct out *o, const struct es_counters *t)
{
	int k;

	out_obj_open(o, "drops");
	for (k = 0; k < ECHO_DROP_N; k++) {
		if (t->drop[k] > 0 || o->json) {
			out_text(o, "  dropped (%s):", echo_drop_names[k]);
			out_uint(o, echo_drop_names[k], " %llu\n", t->drop[k]);
		}
	}
	out_obj_close(o);
	if (t->seg_sends > 0 || t->seg_refused > 0 || o->json) {
		out_uint(o, "segmented_sends",
		    "  segmented sends: %llu, carrying", t->seg_sends);
		out_count(o, "segmented_replies", " %llu %s", t->seg_replies,
		    "reply", "replies");
		out_uint(o, "segmented_refused", " (%llu refused)\n",
		    t->seg_refused);
	}
	out_obj_open(o, "send_errors_by_kind");
	for (k = 0; k < ECHO_SE_N; k++) {
		if (t->senderr[k] > 0 || o->json) {
			out_text(
			    o, "  send errors (%s):", echo_senderr_names[k]);
			out_uint(
			    o, echo_senderr_names[k], " %llu\n", t->senderr[k]);
		}
	}
	out_obj_close(o);
}

/*
 * One summary (final) or report (SIGUSR1): totals, sender addresses, top
 * senders, drops and send errors by reason.  With -j it is one JSON line
 * on stdout, as every command's summary is; else text on stderr.
 */
void
es_print_report(struct es_server *srv, int final)
{
	const struct srctab_entry *top[ES_TOP];
	struct srctab_entry topc[ES_TOP];
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
	for (k = 0; k < ECHO_DROP_N; k++)
		drops += t.drop[k];
	for (k = 0; k < ECHO_SE_N; k++)
		errs += t.senderr[k];
	/* A copy: tab_lock is never held with a stream's lock. */
	pthread_mutex_lock(&srv->tab_lock);
	distinct = srv->tab.inserted;
	evicted = srv->tab.evicted;
	ntop = srctab_top(&srv->tab, top, ES_TOP);
	for (i = 0; i < ntop; i++)
		topc[i] = *top[i];
	pthread_mutex_unlock(&srv->tab_lock);
	out_init(&o, srv->conf->json ? stdout : stderr, srv->conf->json);
	fflush(stdout);
	flockfile(o.fp);
	out_event(&o, "summary", NULL);
	out_bool(&o, "final", NULL, final);
	out_double(&o, "elapsed_s", NULL, ticks_elapsed(&srv->start, &now));
	out_text(&o, "udptool: echo-serve: %s after %.1f s: ",
	    final ? "summary" : "report", ticks_elapsed(&srv->start, &now));
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
		len = srctab_key_sockaddr(&topc[i].key, &ss);
		addr_format((struct sockaddr *)&ss, len, 0, a, sizeof a);
		out_obj_open(&o, NULL);
		out_str(&o, "address", "  top sender %s:", a);
		out_count(&o, "received", " %llu %s", topc[i].dgrams,
		    "datagram", "datagrams");
		out_count(&o, "received_bytes", ", %llu %s", topc[i].bytes,
		    "byte", "bytes");
		out_count(&o, "sent", ", %llu %s", topc[i].replies, "reply",
		    "replies");
		out_uint(&o, "dropped", ", %llu dropped\n", topc[i].dropped);
		out_obj_close(&o);
	}
	out_arr_close(&o);
	es_print_kinds(&o, &t);
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
	dt = ticks_elapsed(&srv->last_ts, &now);
	if (dt <= 0)
		dt = 1e-9;
	for (k = 0; k < ECHO_DROP_N; k++)
		drops += t.drop[k];
	for (k = 0; k < ECHO_SE_N; k++)
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

int
es_run(struct es_server *srv)
{
	sigset_t block, old;
	int i, status = 0;

	/* Workers leave every signal but the wake-up to the main thread. */
	sigfillset(&block);
	sigdelset(&block, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	for (i = 1; i < srv->nworkers; i++) {
		if (pthread_create(
			&srv->w[i].tid, NULL, es_worker_run, &srv->w[i]) != 0) {
			log_warnx("cannot start worker thread %d", i);
			es_stop_all(NULL);
			status = -1;
			break;
		}
		srv->w[i].running = 1;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!es_stopping())
		es_worker_run(&srv->w[0]);
	for (i = 1; i < srv->nworkers; i++) {
		if (srv->w[i].running) {
			pthread_kill(srv->w[i].tid, SIGUSR2);
			pthread_join(srv->w[i].tid, NULL);
		}
	}
	for (i = 0; i < srv->nworkers; i++) {
		if (srv->w[i].failed)
			status = -1;
	}
	return status;
}
