/* SPDX-License-Identifier: ISC */
/*
 * The payload of a "ping -u" probe: building one, reading its number back
 * from an echo or an error, and checking that an echo came back unchanged.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "probe.h"

void
probe_put_be(uint8_t *p, uint64_t v, int n)
{
	while (n-- > 0) {
		p[n] = (uint8_t)v;
		v >>= 8;
	}
}

uint64_t
probe_get_be(const uint8_t *p, int n)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

static uint8_t
probe_fill(size_t i, uint64_t seq, const uint8_t *pat, size_t patlen)
{
	return patlen > 0 ? pat[i % patlen] : (uint8_t)(i + seq);
}

static uint64_t
probe_stamp(double sent_ms)
{
	return (uint64_t)llround(sent_ms * 1e6);
}

void
probe_build(uint8_t *p, size_t len, uint32_t cookie, uint64_t seq,
    double sent_ms, const uint8_t *pat, size_t patlen)
{
	size_t i;

	memcpy(p, PROBE_MAGIC, 4);
	probe_put_be(p + 4, cookie, 4);
	probe_put_be(p + 8, seq, 8);
	probe_put_be(p + 16, probe_stamp(sent_ms), 8);
	for (i = PROBE_HDRLEN; i < len; i++)
		p[i] = probe_fill(i, seq, pat, patlen);
}

int
probe_parse(const uint8_t *p, size_t len, uint32_t cookie, uint64_t *seq)
{
	if (len < PROBE_IDLEN || memcmp(p, PROBE_MAGIC, 4) != 0 ||
	    probe_get_be(p + 4, 4) != cookie)
		return -1;
	*seq = probe_get_be(p + 8, 8);
	return 0;
}

int
probe_verify(const uint8_t *p, size_t len, uint32_t cookie, uint64_t seq,
    double sent_ms, const uint8_t *pat, size_t patlen)
{
	uint64_t got;
	size_t i;

	if (len < PROBE_HDRLEN || probe_parse(p, len, cookie, &got) == -1 ||
	    got != seq || probe_get_be(p + 16, 8) != probe_stamp(sent_ms))
		return 0;
	for (i = PROBE_HDRLEN; i < len; i++)
		if (p[i] != probe_fill(i, seq, pat, patlen))
			return 0;
	return 1;
}
