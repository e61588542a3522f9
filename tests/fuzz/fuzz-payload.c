/* SPDX-License-Identifier: ISC */
/*
 * libFuzzer target for the payload syntax: every decoding mode against
 * small and full buffers, framing specs, cutting streams and padding.
 */
#include "config.h"

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "payload.h"
#include "fuzz.h"

/* Decodes what enc() wrote in mode and checks the bytes come back. */
static void
check_round_trip(const uint8_t *out, size_t n, enum payload_mode mode)
{
	char err[PAYLOAD_ERRLEN];
	uint8_t *back;
	char *enc;
	size_t i, o = 0;
	ssize_t r;

	enc = malloc(n * 4 + 1);
	back = malloc(n + 1);
	if (enc == NULL || back == NULL)
		abort();
	for (i = 0; i < n; i++) {
		o += (size_t)snprintf(enc + o, 5,
		    mode == PAYLOAD_HEX ? "%02x:" : "\\x%02x", out[i]);
	}
	r = payload_decode(enc, o, mode, back, n, err, sizeof err);
	if (r != (ssize_t)n || memcmp(back, out, n) != 0)
		abort();
	free(enc);
	free(back);
}

/* Cuts buf into records under f the way send does and checks each one. */
static void
check_frames(
    const struct payload_frame *f, const uint8_t *buf, size_t len, int eof)
{
	char err[PAYLOAD_ERRLEN];
	size_t off = 0, rec;
	ssize_t r;

	while (off < len) {
		r = payload_frame_next(
		    f, buf + off, len - off, eof, &rec, err, sizeof err);
		if (r < 0) {
			fuzz_check_line(err, sizeof err);
			return;
		}
		if (r == 0) {
			/* At end of input every byte left is a record. */
			if (eof)
				abort();
			return;
		}
		if ((size_t)r > len - off || rec > (size_t)r)
			abort();
		switch (f->kind) {
		case PAYLOAD_FRAME_SIZE:
			if (rec != (size_t)r || rec > f->size ||
			    (rec < f->size && !(eof && rec == len - off)))
				abort();
			break;
		case PAYLOAD_FRAME_WHOLE:
			if (rec != len || !eof || rec > f->max)
				abort();
			break;
		default:
			if (rec > f->max ||
			    memchr(buf + off,
				f->kind == PAYLOAD_FRAME_NUL ? '\0' : '\n',
				rec) != NULL)
				abort();
			/* A record is cut at its separator or at end of input. */
			if (rec == (size_t)r && !(eof && rec == len - off))
				abort();
			break;
		}
		off += (size_t)r;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum payload_mode modes[] = {
	    PAYLOAD_TEXT, PAYLOAD_ESCAPES, PAYLOAD_HEX};
	static const char *const specs[] = {
	    "line", "nul", "whole", "size:1", "size:3", "size:64", NULL};
	struct payload_frame f;
	char err[PAYLOAD_ERRLEN], *spec;
	uint8_t *full, *small;
	size_t cap, limit, i, j, want;
	ssize_t n, m;
	const char *src;

	if (size < 2)
		return 0;
	/* The first two bytes choose buffer sizes; the rest is the input. */
	cap = data[0] & 0x7f;
	limit = 1 + data[1];
	want = (size_t)data[0] * 3;
	src = (const char *)data + 2;
	size -= 2;

	full = malloc(PAYLOAD_MAX);
	small = malloc(cap > 0 ? cap : 1);
	if (full == NULL || small == NULL)
		abort();
	for (i = 0; i < sizeof modes / sizeof modes[0]; i++) {
		n = payload_decode(
		    src, size, modes[i], full, PAYLOAD_MAX, err, sizeof err);
		if (n < 0)
			fuzz_check_line(err, sizeof err);
		else if ((size_t)n > size ||
		    (modes[i] == PAYLOAD_TEXT && (size_t)n != size) ||
		    (modes[i] == PAYLOAD_HEX && (size_t)n > size / 2))
			abort();
		/* A smaller buffer gives the same bytes or a clean error. */
		m = payload_decode(
		    src, size, modes[i], small, cap, err, sizeof err);
		if (m < 0) {
			fuzz_check_line(err, sizeof err);
			if (n >= 0 && (size_t)n <= cap)
				abort();
		} else if (n < 0 || m != n ||
		    memcmp(small, full, (size_t)m) != 0)
			abort();
		if (n >= 0 && modes[i] != PAYLOAD_TEXT)
			check_round_trip(full, (size_t)n, modes[i]);
		if (n >= 0 && (size_t)n <= cap) {
			memcpy(small, full, (size_t)n);
			m = payload_pad(
			    small, (size_t)n, want, cap, err, sizeof err);
			if (m < 0) {
				fuzz_check_line(err, sizeof err);
				if (want <= cap && (size_t)n <= want)
					abort();
			} else {
				if ((size_t)m != want || want > cap)
					abort();
				for (j = (size_t)n; j < want; j++)
					if (small[j] < 'a' || small[j] > 'z')
						abort();
			}
		}
	}

	/* The input as a --frame spec, then the fixed specs over the input. */
	spec = fuzz_strndup((const uint8_t *)src, size < 32 ? size : 32);
	if (spec == NULL)
		abort();
	if (payload_frame_parse(spec, limit, &f, err, sizeof err) == 0) {
		if (f.max < limit ||
		    (f.kind == PAYLOAD_FRAME_SIZE &&
			(f.size < 1 || f.size > PAYLOAD_MAX || f.max < f.size)))
			abort();
		check_frames(&f, (const uint8_t *)src, size, 1);
	} else
		fuzz_check_line(err, sizeof err);
	free(spec);
	for (i = 0; specs[i] != NULL; i++) {
		if (payload_frame_parse(specs[i], limit, &f, err, sizeof err) !=
		    0)
			abort();
		check_frames(&f, (const uint8_t *)src, size, 0);
		check_frames(&f, (const uint8_t *)src, size, 1);
	}
	free(full);
	free(small);
	return 0;
}
