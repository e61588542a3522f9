/* SPDX-License-Identifier: ISC */
/*
 * Reads a byte stream into one buffer and hands out its records, cut by
 * payload_frame_next(), so that the stream can be read as it comes; and
 * makes each record a datagram.
 */
#include "config.h"

#include <sys/types.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "frame.h"
#include "payload.h"

int
frame_in_init(struct frame_in *fi, const struct payload_frame *f, int strip_cr)
{
	memset(fi, 0, sizeof *fi);
	fi->f = *f;
	fi->strip_cr = strip_cr && f->kind == PAYLOAD_FRAME_LINE;
	fi->cap = f->max + 1;
	fi->buf = malloc(fi->cap);
	return fi->buf == NULL ? -1 : 0;
}

void
frame_in_free(struct frame_in *fi)
{
	free(fi->buf);
	fi->buf = NULL;
}

int
frame_in_next(struct frame_in *fi, const uint8_t **rec, size_t *reclen,
    char *err, size_t errlen)
{
	ssize_t used;

	used = payload_frame_next(
	    &fi->f, fi->buf, fi->len, fi->eof, reclen, err, errlen);
	if (used <= 0)
		return used == 0 ? 0 : -1;
	fi->used = (size_t)used;
	if (fi->strip_cr && *reclen > 0 && fi->buf[*reclen - 1] == '\r')
		(*reclen)--;
	*rec = fi->buf;
	return 1;
}

void
frame_in_consume(struct frame_in *fi)
{
	memmove(fi->buf, fi->buf + fi->used, fi->len - fi->used);
	fi->len -= fi->used;
	fi->used = 0;
}

ssize_t
frame_in_read(struct frame_in *fi, int fd)
{
	ssize_t r;

	r = read(fd, fi->buf + fi->len, fi->cap - fi->len);
	if (r == 0)
		fi->eof = 1;
	if (r > 0)
		fi->len += (size_t)r;
	return r;
}

int
frame_build(const struct frame_shape *sh, const uint8_t *in, size_t inlen,
    uint8_t *out, size_t *outlen, char *err, size_t errlen)
{
	size_t elen = sh->eol != NULL ? strlen(sh->eol) : 0;
	ssize_t n;

	if (sh->decode) {
		n = payload_decode((const char *)in, inlen, sh->mode, out,
		    PAYLOAD_MAX, err, errlen);
		if (n < 0)
			return -1;
	} else {
		memcpy(out, in, inlen);
		n = (ssize_t)inlen;
	}
	if (elen > 0) {
		if ((size_t)n + elen > PAYLOAD_MAX) {
			snprintf(err, errlen,
			    "%zd bytes and the line end exceed %d", n,
			    PAYLOAD_MAX);
			return -1;
		}
		memcpy(out + n, sh->eol, elen);
		n += (ssize_t)elen;
	}
	if (sh->size >= 0) {
		n = payload_pad(
		    out, (size_t)n, (size_t)sh->size, PAYLOAD_MAX, err, errlen);
		if (n < 0)
			return -1;
	}
	*outlen = (size_t)n;
	return 0;
}

ssize_t
frame_message(int nwords, const char *const *words, enum payload_mode mode,
    long size, uint8_t *out, char *err, size_t errlen)
{
	ssize_t n = 0;

	if (nwords > 0) {
		n = payload_args(
		    nwords, words, mode, out, PAYLOAD_MAX, err, errlen);
		if (n < 0)
			return n;
	}
	if (size >= 0)
		n = payload_pad(
		    out, (size_t)n, (size_t)size, PAYLOAD_MAX, err, errlen);
	return n;
}
