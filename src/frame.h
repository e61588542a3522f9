/* SPDX-License-Identifier: ISC */
/*
 * A byte stream (standard input) read into a buffer and cut into records
 * by a payload framing (--frame), one datagram per record; and the
 * datagram of a command line's message words.
 */
#ifndef UDPTOOL_FRAME_H
#define UDPTOOL_FRAME_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#include "payload.h"

struct frame_in {
	struct payload_frame f;
	int strip_cr; /* lines lose a final \r before their new line end */
	uint8_t *buf; /* f.max + 1 bytes: the longest record and one more */
	size_t cap, len;
	size_t used; /* bytes of the record frame_in_next() found last */
	int eof;
};

/* Prepares fi for framing f; returns 0, or -1 with errno set. */
int frame_in_init(
    struct frame_in *fi, const struct payload_frame *f, int strip_cr);

/* Frees fi's buffer. */
void frame_in_free(struct frame_in *fi);

/*
 * Finds the next record in what was read: returns 1 with it in *rec and
 * *reclen (valid until the next read or consume), 0 when more input is
 * needed (at end of input: nothing is left), or -1 with err when a record
 * is too long.  With strip_cr, a line ending in \r is returned without it
 * (a CRLF line end, which --crlf or --eol replaces).
 */
int frame_in_next(struct frame_in *fi, const uint8_t **rec, size_t *reclen,
    char *err, size_t errlen);

/* Drops the record frame_in_next() returned last. */
void frame_in_consume(struct frame_in *fi);

/*
 * Reads what fd has into the free part of the buffer.  Returns the number
 * of bytes read, 0 at end of input (fi->eof is set), or -1 with errno set.
 */
ssize_t frame_in_read(struct frame_in *fi, int fd);

/* How a record becomes a datagram. */
struct frame_shape {
	int decode; /* 0: the record's bytes as they are */
	enum payload_mode mode; /* how to decode them */
	const char *eol; /* a line end to append (--crlf, --eol), or NULL */
	long size; /* the length to pad to (--size), or -1 */
};

/*
 * Makes the datagram of in (inlen bytes) into out (PAYLOAD_MAX bytes):
 * decoded, then the line end, then padded.  Returns 0 with its length in
 * *outlen, or -1 with err.
 */
int frame_build(const struct frame_shape *sh, const uint8_t *in, size_t inlen,
    uint8_t *out, size_t *outlen, char *err, size_t errlen);

/*
 * Makes the datagram of a command line's message words (nwords of them,
 * joined by spaces as payload_args() joins them) into out (PAYLOAD_MAX
 * bytes), padded to size unless size is -1 (with no words: the padding
 * alone).  Returns its length, -1 with err, or -2 with errno set when out
 * of memory.
 */
ssize_t frame_message(int nwords, const char *const *words,
    enum payload_mode mode, long size, uint8_t *out, char *err, size_t errlen);

#endif
