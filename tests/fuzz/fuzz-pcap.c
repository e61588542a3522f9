/* SPDX-License-Identifier: ISC */
/*
 * libFuzzer target for the pcap and pcapng reader: whatever the file
 * holds, every packet and every UDP payload found lies inside it, and a
 * damaged file ends with an error message, never a read beyond it.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "pcapng.h"

static void
check_inside(const uint8_t *p, size_t len, const uint8_t *buf, size_t size)
{
	if (p < buf || len > size || (size_t)(p - buf) > size - len)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pcapng_reader *r;
	struct pcapng_packet p;
	struct pcapng_udp u;
	char err[128];
	uint8_t *copy;
	int rc, n = 0;

	/* A copy of exactly size bytes, so that ASan sees any overread. */
	if ((copy = malloc(size > 0 ? size : 1)) == NULL ||
	    (r = malloc(sizeof *r)) == NULL) {
		free(copy);
		return 0;
	}
	memcpy(copy, data, size);
	if (pcapng_reader_init(r, copy, size, err, sizeof err) == -1) {
		fuzz_check_line(err, sizeof err);
		goto out;
	}
	while ((rc = pcapng_reader_next(r, &p, err, sizeof err)) == 1) {
		check_inside(p.data, p.caplen, copy, size);
		if (pcapng_udp_decode(p.linktype, p.data, p.caplen, &u) == 0)
			check_inside(u.payload, u.len, p.data, p.caplen);
		if (++n > 100000)
			abort(); /* each packet moves the reader on */
	}
	if (rc == -1)
		fuzz_check_line(err, sizeof err);
out:
	free(r);
	free(copy);
	return 0;
}
