/* SPDX-License-Identifier: ISC */
/*
 * send --replay: the UDP payloads of a pcap or pcapng capture, in order,
 * with the times they should leave at.
 */
#ifndef UDPTOOL_REPLAY_H
#define UDPTOOL_REPLAY_H

#include <stddef.h>
#include <stdint.h>

/* One datagram to send again. */
struct replay_dgram {
	uint64_t ts_ns; /* when it was captured, since the epoch */
	const uint8_t *payload; /* inside the capture */
	size_t len;
};

struct replay {
	uint8_t *file; /* the capture, when replay_load() read it */
	struct replay_dgram *d;
	size_t n;
	uint64_t packets; /* packets in the capture */
	uint64_t not_udp; /* packets that carry no whole UDP datagram */
	uint64_t cut; /* UDP datagrams captured shorter than they were */
	uint64_t filtered; /* UDP datagrams the port filter left out */
};

/*
 * Collects the UDP datagrams of the capture in buf (which must outlive
 * rp) whose source or destination port is port (0: every one).  Packets
 * without one, and datagrams the capture cut short, are skipped and
 * counted.  Returns 0, or -1 with err for a damaged capture.
 */
int replay_parse(struct replay *rp, const uint8_t *buf, size_t len, int port,
    char *err, size_t errlen);

/* Reads the capture at path and parses it as replay_parse() does. */
int replay_load(
    struct replay *rp, const char *path, int port, char *err, size_t errlen);

/*
 * When datagram i is due, in nanoseconds after the first: every interval
 * seconds when interval >= 0, else the capture's own spacing divided by
 * speed (a time before the first's counts as 0).
 */
uint64_t replay_due_ns(
    const struct replay *rp, size_t i, double speed, double interval);

/*
 * Writes into buf (size bytes) and returns it: what a capture loaded
 * from path holds, the datagrams kept and the packets skipped and why,
 * with path quoted for a message.
 */
const char *replay_describe(
    const struct replay *rp, const char *path, char *buf, size_t size);

/* Frees what rp holds. */
void replay_free(struct replay *rp);

#endif
