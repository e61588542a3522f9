/* SPDX-License-Identifier: ISC */
/*
 * Lines from a pipe or a file, each handed on as it completes; a line that
 * nobody can take yet is held, and reading stops until it is released.
 */
#ifndef UDPTOOL_LINEFEED_H
#define UDPTOOL_LINEFEED_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#include "payload.h"

/* Bytes read ahead of a held line. */
#define LINEFEED_PEND_MAX 4096

/* What a line callback returns. */
#define LINEFEED_DONE 0
#define LINEFEED_HOLD 1 /* nobody to take it yet: keep it, stop reading */

/*
 * Called with each complete line (its newline included, if it had one).
 * overlong is set when the line did not fit the buffer: line holds its
 * start only, and such a line cannot be held.
 */
typedef int (*linefeed_fn)(
    void *arg, const char *line, size_t len, int overlong);

struct linefeed {
	int fd;
	int open; /* not at the end of input yet */
	char *line; /* the line being read, size bytes */
	size_t size, len;
	int overlong;
	int held; /* line[] is complete and waits for linefeed_release() */
	char pend[LINEFEED_PEND_MAX];
	size_t pendlen, pendoff;
	linefeed_fn fn;
	void *arg;
};

/* Sets up lf to read lines from fd into line (size bytes) and hand them to fn. */
void linefeed_init(struct linefeed *lf, int fd, char *line, size_t size,
    linefeed_fn fn, void *arg);

/* Returns 1 when lf's descriptor is to be read: open, and no line held. */
int linefeed_wanted(const struct linefeed *lf);

/*
 * Reads what the descriptor has and hands on each complete line.  At the
 * end of input a last line without a newline goes too, unless overlong.
 * EINTR and EAGAIN are not errors; any other read error ends input as
 * the end of input does.
 */
void linefeed_read(struct linefeed *lf);

/*
 * Waits as sig_ppoll() does, at most timeout_ms (-1: no limit), for fd to
 * be readable or, when linefeed_wanted(), lf's descriptor; reads lf's
 * lines when that one is ready.  Returns 1 when fd is readable, 0 when it
 * is not, or -1 with errno set (EINTR: a caught signal came).
 */
int linefeed_poll(struct linefeed *lf, int fd, int timeout_ms);

/* Hands on the held line, if any, and the lines read ahead after it. */
void linefeed_release(struct linefeed *lf);

/*
 * Turns one line into the datagram to send: the line without its newline
 * (and a carriage return before it), decoded in mode as payload_decode()
 * does, then eol if not NULL.  Returns the length in out, or -1 with err.
 */
ssize_t linefeed_datagram(const char *line, size_t len, enum payload_mode mode,
    const char *eol, uint8_t *out, size_t size, char *err, size_t errlen);

#endif
