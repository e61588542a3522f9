/* SPDX-License-Identifier: ISC */
/*
 * The lines "udptool ping" prints, one output call per field so that its
 * text (iputils' wording) and its JSON events never drift apart.
 */
#include "config.h"

#include <sys/socket.h>

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "addr.h"
#include "icmp.h"
#include "output.h"
#include "pingout.h"
#include "pingstate.h"
#include "stats.h"

#define PING_HIST_BINS 10
#define PING_HIST_WIDTH 40

/* Formats a round trip as ping(8) does: three significant digits or so. */
char *
pingout_fmt_ms(double ms, char *buf, size_t size)
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

/*
 * Opens a per-probe line: JSON object, type, the target when there are
 * several, and the -D timestamp.
 */
static void
pingout_line_open(
    struct pingout *po, const struct ping_target *t, const char *type)
{
	struct timespec ts;

	/* Every JSON event has its time (RFC 3339), -D or not. */
	clock_gettime(CLOCK_REALTIME, &ts);
	if (po->json)
		out_event(&po->o, type, &ts);
	else
		out_obj_open(&po->o, NULL);
	if (po->ps->multi)
		out_str(&po->o, "target", "%s : ", t->name);
	if (po->timestamps)
		out_text(&po->o, "[%lld.%06ld] ", (long long)ts.tv_sec,
		    ts.tv_nsec / 1000);
}

/* Ends a per-probe line; returns 0, or -1 when stdout is gone. */
static int
pingout_line_close(struct pingout *po)
{
	out_text(&po->o, "\n");
	out_obj_close(&po->o);
	return out_stdout_flush();
}

/* Whether per-probe events are printed: not with -q, in text or JSON. */
static int
pingout_show(const struct pingout *po)
{
	return !po->quiet;
}

static const char *
pingout_seq_fmt(const struct pingout *po)
{
	return po->ps->udp ? "udp_seq=%llu " : "icmp_seq=%llu ";
}

unsigned long long
pingout_seq_shown(const struct pingout *po, uint64_t seq)
{
	return po->ps->udp ? seq : (seq & 0xffff);
}

int
pingout_reply(struct pingout *po, struct ping_target *t, uint64_t seq,
    size_t bytes, const struct sockaddr *from, socklen_t fromlen, int ttl,
    double rtt, int flags)
{
	char a[ADDR_STRLEN], tb[32];

	if (!pingout_show(po))
		return 0;
	addr_format(
	    from, fromlen, po->ps->udp ? ADDR_FMT_PORT : 0, a, sizeof a);
	pingout_line_open(po, t, "reply");
	out_uint(&po->o, "length", "%llu bytes from ", bytes);
	out_str(&po->o, "from", "%s: ", a);
	out_uint(
	    &po->o, "seq", pingout_seq_fmt(po), pingout_seq_shown(po, seq));
	if (ttl >= 0)
		out_int(&po->o, "ttl", "ttl=%lld ", ttl);
	out_double(&po->o, "rtt_ms", NULL, rtt);
	out_text(&po->o, "time=%s ms", pingout_fmt_ms(rtt, tb, sizeof tb));
	out_bool(&po->o, "duplicate", NULL, (flags & STATS_R_DUP) != 0);
	if (!(flags & STATS_R_DUP)) {
		out_bool(&po->o, "late", NULL, (flags & STATS_R_LATE) != 0);
		out_bool(&po->o, "reordered", NULL,
		    (flags & STATS_R_REORDERED) != 0);
	}
	if (flags & STATS_R_DUP)
		out_text(&po->o, " (DUP!)");
	if (flags & STATS_R_REORDERED)
		out_text(&po->o, " (reordered)");
	if (flags & STATS_R_LATE)
		out_text(&po->o, " (late)");
	return pingout_line_close(po);
}

int
pingout_error(struct pingout *po, struct ping_target *t, uint64_t seq,
    const struct sockaddr *from, socklen_t fromlen, int type, int code,
    uint32_t mtu, int refused)
{
	char a[ADDR_STRLEN], d[96];
	struct icmp_class c;

	if (!pingout_show(po))
		return 0;
	if (from != NULL)
		addr_format(from, fromlen, 0, a, sizeof a);
	else
		snprintf(a, sizeof a, "%s", t->dstaddr);
	icmp_describe(
	    t->family, (uint8_t)type, (uint8_t)code, mtu, d, sizeof d);
	icmp_classify(t->family, (uint8_t)type, (uint8_t)code, &c);
	/* The text is iputils'; the event name is the one send writes. */
	pingout_line_open(po, t, icmp_event(c.verdict));
	out_str(&po->o, "from", "From %s ", a);
	out_uint(
	    &po->o, "seq", pingout_seq_fmt(po), pingout_seq_shown(po, seq));
	if (refused)
		out_text(&po->o, "refused (");
	out_int(&po->o, "icmp_type", NULL, type);
	out_int(&po->o, "icmp_code", NULL, code);
	out_str(&po->o, "message", "%s", d);
	if (refused)
		out_text(&po->o, ")");
	return pingout_line_close(po);
}

int
pingout_timeout(struct pingout *po, struct ping_target *t, uint64_t seq)
{
	/* ping(8) stays silent about unanswered probes; -u and -j say so. */
	if (!pingout_show(po) || (!po->ps->udp && !po->json))
		return 0;
	pingout_line_open(po, t, "timeout");
	out_uint(
	    &po->o, "seq", pingout_seq_fmt(po), pingout_seq_shown(po, seq));
	out_text(&po->o, "timeout");
	return pingout_line_close(po);
}

/* -O: the probe before the one going out has no reply yet. */
int
pingout_outstanding(struct pingout *po, struct ping_target *t, uint64_t seq)
{
	if (!pingout_show(po))
		return 0;
	pingout_line_open(po, t, "outstanding");
	out_text(&po->o, "no answer yet for ");
	out_uint(&po->o, "seq", po->ps->udp ? "udp_seq=%llu" : "icmp_seq=%llu",
	    pingout_seq_shown(po, seq));
	return pingout_line_close(po);
}

/* --histogram: bars in text, an array of bins in JSON. */
static void
pingout_histogram(struct pingout *po, struct ping_target *t)
{
	struct stats_bin bins[PING_HIST_BINS];
	struct out *o = &po->o;
	size_t n, i, w;
	char bar[PING_HIST_WIDTH + 1];

	n = stats_histogram(t->st, bins, PING_HIST_BINS);
	/* JSON says "no round trips" with an empty array; text says nothing. */
	if (n == 0 && !po->json)
		return;
	out_arr_open(o, "histogram");
	out_text(o, "rtt histogram (ms)%s%s:\n", po->ps->multi ? " for " : "",
	    po->ps->multi ? t->name : "");
	for (i = 0; i < n; i++) {
		w = stats_bin_bar(bins, n, i, PING_HIST_WIDTH);
		memset(bar, '#', w);
		bar[w] = '\0';
		out_obj_open(o, NULL);
		out_double(o, "lo_ms", "  %9.3f - ", bins[i].lo);
		out_double(o, "hi_ms", "%9.3f ", bins[i].hi);
		out_text(o, "|%-*s| ", PING_HIST_WIDTH, bar);
		out_uint(o, "count", "%llu\n", bins[i].count);
		out_obj_close(o);
	}
	out_arr_close(o);
}

/* The summary of one target: iputils' lines in text, an object in JSON. */
void
pingout_summary(struct pingout *po, struct ping_target *t, double end)
{
	struct stats_summary s;
	struct out *o = &po->o;

	stats_summarize(t->st, &s);
	out_text(o, "\n--- %s %sping statistics ---\n", t->name,
	    po->ps->udp ? "udp " : "");
	if (po->json)
		out_event(o, "summary", NULL);
	else
		out_obj_open(o, NULL);
	out_str(o, "target", NULL, t->name);
	out_str(o, "address", NULL, t->dstaddr);
	out_str(o, "socket", NULL,
	    t->kind == PING_DGRAM     ? "dgram"
		: t->kind == PING_RAW ? "raw"
				      : "udp");
	out_uint(o, "sent", "%llu packets transmitted, ", s.sent);
	out_uint(o, "received", "%llu received, ", s.received);
	if (s.duplicates || po->json)
		out_uint(o, "duplicates", "+%llu duplicates, ", s.duplicates);
	if (s.errors || po->json)
		out_uint(o, "errors", "+%llu errors, ", s.errors);
	if (po->ps->udp && (s.refused || po->json))
		out_uint(o, "refused", "+%llu refused, ", s.refused);
	out_double(o, "loss_pct", "%g%% packet loss, ", s.loss_pct);
	out_text(o, "time %llums\n",
	    (unsigned long long)llround(end - po->ps->start));
	out_double(o, "elapsed_s", NULL, (end - po->ps->start) / 1e3);
	if (po->ps->udp) {
		out_uint(o, "lost", "lost %llu, ", s.lost);
		out_uint(o, "reordered", "reordered %llu, ", s.reordered);
		out_uint(o, "late", "late %llu", s.late);
		/* Replies that were not an exact copy of a probe of this run. */
		if (t->invalid || po->json)
			out_uint(o, "invalid", ", invalid %llu",
			    (unsigned long long)t->invalid);
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
	if (po->histogram)
		pingout_histogram(po, t);
	out_obj_close(o);
	fflush(o->fp);
}

/* Several targets in text: one line each, as fping -c. */
static void
pingout_summary_line(struct pingout *po, struct ping_target *t)
{
	struct stats_summary s;
	struct out *o = &po->o;
	char a[32], b[32], c[32];

	stats_summarize(t->st, &s);
	out_text(o, "%-*s : ", po->namew, t->name);
	out_uint(o, "sent", "xmt/rcv/%%loss = %llu/", s.sent);
	out_uint(o, "received", "%llu/", s.received);
	out_uint(o, "loss_pct", "%llu%%",
	    s.sent > 0 ? (s.sent - s.received) * 100 / s.sent : 0);
	if (s.n > 0) {
		out_str(o, "rtt_min_ms", ", min/avg/max = %s/",
		    pingout_fmt_ms(s.min, a, sizeof a));
		out_str(
		    o, "rtt_avg_ms", "%s/", pingout_fmt_ms(s.avg, b, sizeof b));
		out_str(
		    o, "rtt_max_ms", "%s", pingout_fmt_ms(s.max, c, sizeof c));
	}
	out_text(o, "\n");
	if (po->histogram)
		pingout_histogram(po, t);
}

/* SIGQUIT: a one-line interim report per target on stderr, as ping(8). */
void
pingout_interim(struct pingout *po)
{
	struct stats_summary s;
	struct out e;
	size_t i;

	fflush(stdout);
	out_init(&e, stderr, 0);
	for (i = 0; i < po->ps->nt; i++) {
		if (!po->ps->t[i].ok)
			continue;
		stats_summarize(po->ps->t[i].st, &s);
		if (po->ps->multi)
			out_text(&e, "%s : ", po->ps->t[i].name);
		out_uint(&e, "received", "%llu/", s.received);
		out_uint(&e, "sent", "%llu packets, ", s.sent);
		out_double(&e, "loss_pct", "%.0f%% loss", s.loss_pct);
		if (s.n > 0) {
			out_double(&e, "rtt_min_ms",
			    ", min/avg/max/mdev = %.3f/", s.min);
			out_double(&e, "rtt_avg_ms", "%.3f/", s.avg);
			out_double(&e, "rtt_max_ms", "%.3f/", s.max);
			out_double(&e, "rtt_mdev_ms", "%.3f ms", s.mdev);
		}
		out_text(&e, "\n");
	}
}

/* Prints the first lines, as ping(8): the pattern, then one per target. */
void
pingout_header(struct pingout *po)
{
	struct ping_target *t;
	size_t i;

	if (po->ps->patlen > 0) {
		fprintf(po->o.fp, "PATTERN: 0x");
		for (i = 0; i < po->ps->patlen; i++)
			fprintf(po->o.fp, "%02x", po->ps->pattern[i]);
		fprintf(po->o.fp, "\n");
	}
	for (i = 0; i < po->ps->nt; i++) {
		t = &po->ps->t[i];
		if (!t->ok)
			continue;
		if (po->ps->udp)
			fprintf(po->o.fp,
			    "UDP PING %s (%s): %zu bytes of data.\n", t->name,
			    t->dstaddr, po->ps->size);
		else if (t->family == AF_INET6)
			fprintf(po->o.fp, "PING %s(%s) %zu data bytes\n",
			    t->name, t->dstaddr, po->ps->size);
		else
			fprintf(po->o.fp,
			    "PING %s (%s) %zu(%zu) bytes of data.\n", t->name,
			    t->dstaddr, po->ps->size, po->ps->size + 28);
	}
}

void
pingout_summary_lines(struct pingout *po)
{
	const struct pingstate *ps = po->ps;
	size_t i;

	if (!po->quiet)
		fputc('\n', po->o.fp);
	for (i = 0; i < ps->nt; i++)
		if (ps->t[i].ok && strlen(ps->t[i].name) > (size_t)po->namew)
			po->namew = (int)strlen(ps->t[i].name);
	for (i = 0; i < ps->nt; i++)
		if (ps->t[i].ok)
			pingout_summary_line(po, &ps->t[i]);
	fflush(po->o.fp);
}
