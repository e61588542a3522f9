/* SPDX-License-Identifier: ISC */
/*
 * Sent, answered and round-trip counters of a client, and their summary
 * fields through one output call each, so text and JSON never drift.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "output.h"
#include "tally.h"

void
tally_rtt(struct tally *t, double ms)
{
	if (t->rtt_n == 0 || ms < t->rtt_min)
		t->rtt_min = ms;
	if (t->rtt_n == 0 || ms > t->rtt_max)
		t->rtt_max = ms;
	t->rtt_sum += ms;
	t->rtt_n++;
}

unsigned long long
tally_answered(const struct tally *t)
{
	return t->replies + t->refused + t->unreachable + t->icmp_other;
}

unsigned long long
tally_timed_out(const struct tally *t)
{
	unsigned long long answered = tally_answered(t);
	unsigned long long left = t->sent > answered ? t->sent - answered : 0;

	return left > t->unanswered ? left - t->unanswered : 0;
}

void
tally_out_counts(struct out *o, const struct tally *t)
{
	out_uint(o, "sent", "%llu sent", t->sent);
	out_count(
	    o, "sent_bytes", " (%llu %s)", t->sent_bytes, "byte", "bytes");
	out_count(o, "received", ", %llu %s", t->replies, "reply", "replies");
	out_uint(o, "received_bytes", NULL, t->recv_bytes);
	out_uint(o, "refused", ", %llu refused", t->refused);
	out_uint(o, "unreachable",
	    t->unreachable > 0 ? ", %llu unreachable" : NULL, t->unreachable);
	out_count(o, "icmp_other",
	    t->icmp_other > 0 ? ", %llu other ICMP %s" : NULL, t->icmp_other,
	    "error", "errors");
	out_uint(o, "timed_out", ", %llu timed out", tally_timed_out(t));
	out_uint(o, "unanswered",
	    t->unanswered > 0 ? ", %llu unanswered" : NULL, t->unanswered);
}

void
tally_out_rtt(struct out *o, const struct tally *t)
{
	if (t->rtt_n == 0)
		return;
	out_double(o, "rtt_min_ms", ", rtt min/avg/max %.3f", t->rtt_min);
	out_double(o, "rtt_avg_ms", "/%.3f", t->rtt_sum / (double)t->rtt_n);
	out_double(o, "rtt_max_ms", "/%.3f ms", t->rtt_max);
}

struct tally_peer *
tally_peer_of(struct tally_peers *tp, const struct sockaddr *sa)
{
	size_t i;

	for (i = 0; sa != NULL && i < tp->n; i++)
		if (tp->peer[i].addrlen > 0 &&
		    addr_same(
			(const struct sockaddr *)&tp->peer[i].addr, sa, 1))
			return &tp->peer[i];
	return &tp->peer[tp->cur];
}

int
tally_peer_set(struct tally_peers *tp, const struct sockaddr *sa,
    socklen_t salen, const char *name)
{
	struct tally_peer *p;
	size_t i;

	for (i = 0; i < tp->n; i++)
		if (tp->peer[i].addrlen > 0 &&
		    addr_same(
			(const struct sockaddr *)&tp->peer[i].addr, sa, 1)) {
			tp->cur = i;
			return 0;
		}
	if (tp->n == TALLY_PEERS_MAX) {
		tp->cur = TALLY_PEERS_MAX - 1;
		return 0;
	}
	p = &tp->peer[tp->n];
	tp->cur = tp->n++;
	if (tp->n == TALLY_PEERS_MAX) {
		/* Bounded: the last entry sums every peer from here on. */
		snprintf(p->name, sizeof p->name, "other");
		return 1;
	}
	memcpy(&p->addr, sa, salen);
	p->addrlen = salen;
	snprintf(p->name, sizeof p->name, "%s", name);
	return 0;
}

void
tally_peer_sent(struct tally_peers *tp, unsigned long long done, size_t len)
{
	tp->tot.sent += done;
	tp->tot.sent_bytes += done * len;
	tp->peer[tp->cur].c.sent += done;
	tp->peer[tp->cur].c.sent_bytes += done * len;
}

/* Counts an error of verdict v in t. */
static void
tally_error(struct tally *t, enum icmp_verdict v)
{
	if (v == ICMP_V_REFUSED)
		t->refused++;
	else if (v == ICMP_V_UNREACHABLE)
		t->unreachable++;
	else
		t->icmp_other++;
}

void
tally_peer_error(
    struct tally_peers *tp, struct tally_peer *p, enum icmp_verdict v)
{
	tally_error(&tp->tot, v);
	tally_error(&p->c, v);
}

void
tally_peer_reply(struct tally_peers *tp, const struct sockaddr *sa, size_t len,
    double rtt_ms)
{
	struct tally_peer *p = tally_peer_of(tp, sa);

	tp->tot.replies++;
	tp->tot.recv_bytes += len;
	p->c.replies++;
	p->c.recv_bytes += len;
	if (rtt_ms >= 0) {
		tally_rtt(&tp->tot, rtt_ms);
		tally_rtt(&p->c, rtt_ms);
	}
}

void
tally_out_peers(
    struct out *o, const struct tally_peers *tp, const char *current)
{
	size_t i;

	if (tp->n <= 1) {
		out_str(o, "address", "--- %s: ", current);
		return;
	}
	out_arr_open(o, "peers");
	for (i = 0; i < tp->n; i++) {
		out_obj_open(o, NULL);
		out_str(o, "address", "    %s: ", tp->peer[i].name);
		tally_out_counts(o, &tp->peer[i].c);
		tally_out_rtt(o, &tp->peer[i].c);
		out_text(o, "\n");
		out_obj_close(o);
	}
	out_arr_close(o);
	out_str(o, "address", NULL, current);
	out_text(o, "--- all peers: ");
}
