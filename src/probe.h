/* SPDX-License-Identifier: ISC */
/*
 * The payload of a "ping -u" probe: a header naming the run and the probe,
 * then bytes that depend on it, so an echo can be checked byte for byte.
 */
#ifndef UDPTOOL_PROBE_H
#define UDPTOOL_PROBE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Layout, all numbers big-endian:
 *   0  4  magic "UTPG"
 *   4  4  cookie, one per run
 *   8  8  sequence number (1 is the first probe)
 *  16  8  send time in nanoseconds of the sender's monotonic clock
 *  24     fill: pat[i % patlen], or (i + seq) & 0xff without a pattern
 */
#define PROBE_MAGIC "UTPG"
#define PROBE_HDRLEN 24 /* the smallest probe */
#define PROBE_IDLEN 16 /* magic, cookie and sequence: enough to number one */

/* Stores n bytes of v big-endian at p (n at most 8). */
void probe_put_be(uint8_t *p, uint64_t v, int n);

/* Returns the n bytes (at most 8) at p read big-endian. */
uint64_t probe_get_be(const uint8_t *p, int n);

/*
 * Writes the len-byte probe seq of run cookie, sent at sent_ms (milliseconds),
 * into p; len is at least PROBE_HDRLEN.
 */
void probe_build(uint8_t *p, size_t len, uint32_t cookie, uint64_t seq,
    double sent_ms, const uint8_t *pat, size_t patlen);

/*
 * Reads the sequence number of a probe of run cookie from its first len
 * bytes (at least PROBE_IDLEN).  Returns 0 with *seq set, or -1 for a short
 * buffer, another magic or another run's cookie.
 */
int probe_parse(const uint8_t *p, size_t len, uint32_t cookie, uint64_t *seq);

/*
 * Returns 1 if the len bytes at p are exactly the probe probe_build() wrote
 * for seq of run cookie sent at sent_ms with pattern pat, else 0.
 */
int probe_verify(const uint8_t *p, size_t len, uint32_t cookie, uint64_t seq,
    double sent_ms, const uint8_t *pat, size_t patlen);

#endif
