/* SPDX-License-Identifier: ISC */
/*
 * How a receiver shows what arrives: a datagram's line from its metadata,
 * the tally of datagrams and senders, kernel drops, and the top senders.
 */
#include "config.h"

#include <sys/socket.h>

#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "show.h"
#include "ticks.h"

#define SHOW_TOP_MAX 32
#define SHOW_PREFIX_MAX 128 /* a summary's text prefix */

void
show_fill(struct out_dgram *d, const char *event, const struct sock_meta *m,
    size_t caplen, int meta, int numeric_time)
{
	memset(d, 0, sizeof *d);
	d->event = event;
	d->from = (const struct sockaddr *)&m->from;
	d->fromlen = m->fromlen;
	if (m->tolen > 0) {
		d->to = (const struct sockaddr *)&m->to;
		d->tolen = m->tolen;
	}
	if (m->has_ts)
		d->ts = &m->ts;
	d->ttl = meta ? m->ttl : -1;
	d->tos = meta ? m->tos : -1;
	d->len = m->len;
	d->caplen = caplen;
	d->truncated = m->truncated;
	d->rtt_ms = -1;
	d->numeric_time = numeric_time;
}

int
show_tally_init(struct show_tally *t, size_t max, char *err, size_t errlen)
{
	memset(t, 0, sizeof *t);
	return srctab_init(&t->tab, max, ticks_seed(), err, errlen);
}

uint64_t
show_tally_add(struct show_tally *t, const struct sock_meta *m)
{
	struct srctab_key key;
	struct srctab_entry *e;
	uint64_t n = 0;
	int created;

	t->dgrams++;
	t->bytes += m->len;
	if (m->truncated)
		t->truncated++;
	if (m->has_drops && m->drops > t->kdrops) {
		n = m->drops - t->kdrops;
		t->kdrops = m->drops;
	}
	/* A sender is an address and a port, as a peer of nc is. */
	if (srctab_key_from_port((const struct sockaddr *)&m->from, &key) ==
	    0) {
		e = srctab_get(&t->tab, &key, &created);
		e->dgrams++;
		e->bytes += m->len;
	}
	return n;
}

void
show_datagram(struct out *o, struct show_tally *t, const struct show_style *s,
    const uint8_t *buf, size_t caplen, const struct sock_meta *m)
{
	struct out_dgram d;
	uint64_t dropped;
	int json = s->fmt == OUT_FMT_JSON;

	dropped = show_tally_add(t, m);
	if (dropped > 0)
		show_kernel_drops(json ? o->fp : stderr, json, s->prefix,
		    s->fix, dropped, t->kdrops);
	show_fill(&d, "datagram", m, caplen, s->meta, s->numeric_time);
	out_datagram(o, s->fmt, &d, buf);
}

void
show_tally_kernel(struct show_tally *t, long long kd)
{
	if (kd > 0 && (uint64_t)kd > t->kdrops)
		t->kdrops = (uint64_t)kd;
}

void
show_tally_fields(struct out *o, const struct show_tally *t, const char *fix)
{
	out_count(o, "received", "%llu %s", t->dgrams, "datagram", "datagrams");
	out_count(o, "received_bytes", " (%llu %s)", t->bytes, "byte", "bytes");
	out_count(o, "senders", " from %llu %s", t->tab.inserted, "sender",
	    "senders");
	out_uint(o, "truncated", ", %llu truncated", t->truncated);
	out_uint(o, "kernel_drops",
	    t->kdrops > 0 ? ", %llu dropped by the kernel" : NULL, t->kdrops);
	if (t->kdrops > 0)
		out_text(o, " (receive buffer full: raise %s)", fix);
}

void
show_top_senders(struct out *o, const struct srctab *tab, size_t n)
{
	const struct srctab_entry *top[SHOW_TOP_MAX];
	struct sockaddr_storage ss;
	char a[ADDR_STRLEN];
	socklen_t len;
	size_t i;

	if (n > SHOW_TOP_MAX)
		n = SHOW_TOP_MAX;
	n = srctab_top(tab, top, n);
	out_arr_open(o, "top_senders");
	for (i = 0; i < n; i++) {
		len = srctab_key_sockaddr(&top[i]->key, &ss);
		addr_format(
		    (struct sockaddr *)&ss, len, ADDR_FMT_PORT, a, sizeof a);
		out_obj_open(o, NULL);
		out_str(o, "address", "  top sender %s:", a);
		out_count(o, "received", " %llu %s", top[i]->dgrams, "datagram",
		    "datagrams");
		out_count(o, "received_bytes", ", %llu %s\n", top[i]->bytes,
		    "byte", "bytes");
		out_obj_close(o);
	}
	out_arr_close(o);
}

void
show_kernel_drops(FILE *fp, int json, const char *prefix, const char *fix,
    uint64_t n, uint64_t total)
{
	struct out o;

	out_init(&o, fp, json);
	/* The line goes after the datagrams shown before it. */
	if (!json)
		fflush(stdout);
	out_event(&o, "kernel_drops", NULL);
	out_text(&o, "%s", prefix);
	out_count(&o, "dropped",
	    "the kernel dropped %llu %s before the next one", n, "datagram",
	    "datagrams");
	out_uint(&o, "kernel_drops", NULL, total);
	out_text(&o, " (receive buffer full: raise %s)\n", fix);
	out_obj_close(&o);
	fflush(fp);
}

void
show_summary_begin(struct out *o, FILE *fp, int json, const char *prefix,
    const struct show_tally *t, const char *fix)
{
	out_init(o, fp, json);
	/* Datagrams shown before it come first. */
	fflush(stdout);
	out_event(o, "summary", NULL);
	out_text(o, "%s", prefix);
	show_tally_fields(o, t, fix);
}

void
show_summary_open(struct out *o, const struct show_style *s,
    struct show_tally *t, long long kd)
{
	char prefix[SHOW_PREFIX_MAX];
	int json = s->fmt == OUT_FMT_JSON;

	show_tally_kernel(t, kd);
	snprintf(prefix, sizeof prefix, "%ssummary: ", s->prefix);
	show_summary_begin(o, json ? stdout : stderr, json, prefix, t, s->fix);
}

void
show_summary_end(struct out *o, const struct show_tally *t, size_t n)
{
	out_text(o, "\n");
	show_top_senders(o, &t->tab, n);
	out_obj_close(o);
	fflush(o->fp);
}
