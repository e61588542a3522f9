/* SPDX-License-Identifier: ISC */
/*
 * send --replay: the datagrams of a capture and their schedule, read with
 * the pcapng module's reader; no sockets, no output.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "errmsg.h"
#include "pcapng.h"
#include "replay.h"

/* A capture larger than this is refused rather than read into memory. */
#define REPLAY_FILE_MAX (1024ULL * 1024 * 1024)

/* Appends one datagram; returns 0, or -1 with errno set. */
static int
replay_add(
    struct replay *rp, size_t *cap, uint64_t ts, const uint8_t *p, size_t len)
{
	struct replay_dgram *n;

	if (rp->n == *cap) {
		*cap = *cap == 0 ? 64 : *cap * 2;
		if ((n = realloc(rp->d, *cap * sizeof *n)) == NULL)
			return -1;
		rp->d = n;
	}
	rp->d[rp->n].ts_ns = ts;
	rp->d[rp->n].payload = p;
	rp->d[rp->n].len = len;
	rp->n++;
	return 0;
}

int
replay_parse(struct replay *rp, const uint8_t *buf, size_t len, int port,
    char *err, size_t errlen)
{
	struct pcapng_reader *r;
	struct pcapng_packet p;
	struct pcapng_udp u;
	size_t cap = 0;
	int got;

	if ((r = malloc(sizeof *r)) == NULL) {
		snprintf(err, errlen, "%s", strerror(errno));
		return -1;
	}
	if (pcapng_reader_init(r, buf, len, err, errlen) == -1) {
		free(r);
		return -1;
	}
	while ((got = pcapng_reader_next(r, &p, err, errlen)) == 1) {
		rp->packets++;
		if (pcapng_udp_decode(p.linktype, p.data, p.caplen, &u) == -1) {
			rp->not_udp++;
			continue;
		}
		if (p.caplen < p.origlen) {
			rp->cut++;
			continue;
		}
		if (port != 0 &&
		    addr_get_port((struct sockaddr *)&u.src) != port &&
		    addr_get_port((struct sockaddr *)&u.dst) != port) {
			rp->filtered++;
			continue;
		}
		if (replay_add(rp, &cap, p.ts_ns, u.payload, u.len) == -1) {
			snprintf(err, errlen, "%s", strerror(errno));
			got = -1;
			break;
		}
	}
	free(r);
	return got == -1 ? -1 : 0;
}

int
replay_load(
    struct replay *rp, const char *path, int port, char *err, size_t errlen)
{
	struct stat sb;
	FILE *fp;
	size_t len;

	memset(rp, 0, sizeof *rp);
	if ((fp = fopen(path, "rbe")) == NULL) {
		snprintf(err, errlen, "%s", strerror(errno));
		return -1;
	}
	if (fstat(fileno(fp), &sb) == -1) {
		snprintf(err, errlen, "%s", strerror(errno));
		fclose(fp);
		return -1;
	}
	if (!S_ISREG(sb.st_mode) ||
	    (unsigned long long)sb.st_size > REPLAY_FILE_MAX) {
		snprintf(err, errlen, "%s",
		    S_ISREG(sb.st_mode) ? "larger than 1 GiB"
					: "not a regular file");
		fclose(fp);
		return -1;
	}
	len = (size_t)sb.st_size;
	if ((rp->file = malloc(len > 0 ? len : 1)) == NULL ||
	    fread(rp->file, 1, len, fp) != len) {
		snprintf(err, errlen, "cannot read it");
		fclose(fp);
		replay_free(rp);
		return -1;
	}
	fclose(fp);
	if (replay_parse(rp, rp->file, len, port, err, errlen) == -1) {
		replay_free(rp);
		return -1;
	}
	return 0;
}

uint64_t
replay_due_ns(const struct replay *rp, size_t i, double speed, double interval)
{
	if (interval >= 0)
		return (uint64_t)((double)i * interval * 1e9);
	if (i >= rp->n || rp->d[i].ts_ns <= rp->d[0].ts_ns || speed <= 0)
		return 0;
	return (uint64_t)((double)(rp->d[i].ts_ns - rp->d[0].ts_ns) / speed);
}

const char *
replay_describe(
    const struct replay *rp, const char *path, char *buf, size_t size)
{
	snprintf(buf, size,
	    "replay '%s': %zu datagram%s of %llu packets; skipped %llu not "
	    "UDP, %llu cut short, %llu on other ports",
	    ERRMSG_QUOTE(path), rp->n, rp->n == 1 ? "" : "s",
	    (unsigned long long)rp->packets, (unsigned long long)rp->not_udp,
	    (unsigned long long)rp->cut, (unsigned long long)rp->filtered);
	return buf;
}

void
replay_free(struct replay *rp)
{
	free(rp->file);
	free(rp->d);
	memset(rp, 0, sizeof *rp);
}
