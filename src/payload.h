/* SPDX-License-Identifier: ISC */
/*
 * One payload syntax for every command: plain text, C escapes, hex, @FILE,
 * and the framing that cuts a byte stream into datagrams.
 */
#ifndef UDPTOOL_PAYLOAD_H
#define UDPTOOL_PAYLOAD_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#define PAYLOAD_MAX 65535 /* the largest datagram a buffer must hold */
#define PAYLOAD_ERRLEN 256

/* How one argument, line or prompt command spells its bytes. */
enum payload_mode {
	PAYLOAD_TEXT, /* the bytes as typed */
	PAYLOAD_ESCAPES, /* -e: \n \t \r \0 \xNN \\ ... */
	PAYLOAD_HEX, /* -X: hex digit pairs, spaces and colons between */
};

/*
 * Decodes len bytes of src in mode into buf (size bytes); returns the
 * number of bytes stored, or -1 with a message naming the position
 * (1-based, in src) in err.  More output than size is an error.
 */
ssize_t payload_decode(const char *src, size_t len, enum payload_mode mode,
    uint8_t *buf, size_t size, char *err, size_t errlen);

/*
 * Reads the whole file at path into buf; a file larger than size is an
 * error, never cut short.  Returns the length, or -1 with err.
 */
ssize_t payload_read_file(
    const char *path, uint8_t *buf, size_t size, char *err, size_t errlen);

/*
 * Decodes a command-line argument: "@FILE" reads FILE as it is, "@@..."
 * stands for text starting with one "@", anything else goes through
 * payload_decode().  Returns the length, or -1 with err.
 */
ssize_t payload_arg(const char *arg, enum payload_mode mode, uint8_t *buf,
    size_t size, char *err, size_t errlen);

/*
 * Decodes n words of a command line joined by single spaces, as nc and
 * echo(1) join them, through payload_arg().  Returns the length, -1 with
 * err, or -2 with errno set when out of memory.
 */
ssize_t payload_args(int n, const char *const *words, enum payload_mode mode,
    uint8_t *buf, size_t size, char *err, size_t errlen);

/*
 * Pads buf (len bytes used) to want bytes with a repeating a-z pattern;
 * returns want, or -1 with err when len is already longer than want or
 * want exceeds size.
 */
ssize_t payload_pad(uint8_t *buf, size_t len, size_t want, size_t size,
    char *err, size_t errlen);

/* How standard input is cut into datagrams (--frame). */
enum payload_frame_kind {
	PAYLOAD_FRAME_LINE, /* one datagram per line, newline removed */
	PAYLOAD_FRAME_NUL, /* one per NUL-terminated record */
	PAYLOAD_FRAME_SIZE, /* fixed-size chunks, the last may be shorter */
	PAYLOAD_FRAME_WHOLE, /* all input as one datagram */
};

struct payload_frame {
	enum payload_frame_kind kind;
	size_t size; /* PAYLOAD_FRAME_SIZE: bytes per datagram */
	size_t max; /* longest record accepted before it is an error */
};

/*
 * Parses "line", "nul", "size:N" (1-65535) or "whole"; max is set to
 * limit, the longest record (before decoding) accepted.  Returns 0, or -1
 * with err.
 */
int payload_frame_parse(const char *spec, size_t limit, struct payload_frame *f,
    char *err, size_t errlen);

/*
 * Finds the next record in buf[0..len).  Returns the number of bytes it
 * consumes (> 0) with the record's length in *reclen (the record starts at
 * buf), 0 when more input is needed (at eof: nothing is left), or -1 with
 * err when a record grows beyond f->max.
 */
ssize_t payload_frame_next(const struct payload_frame *f, const uint8_t *buf,
    size_t len, int eof, size_t *reclen, char *err, size_t errlen);

/* How a command's lines are spelled (-e, -X) and ended (--crlf, --eol). */
struct payload_lines {
	enum payload_mode mode;
	int mode_set; /* -e or -X was given */
	const char *eol; /* "\r\n" (--crlf), "\n" (--eol), or NULL */
};

/*
 * Sets how lines are spelled; returns 0, or -1 with *errstr saying why
 * when another mode was set before (-e and -X exclude each other).
 */
int payload_lines_mode(
    struct payload_lines *l, enum payload_mode mode, const char **errstr);

/*
 * Sets the line end, "\r\n" or "\n"; returns 0, or -1 with *errstr saying
 * why when the other one was set before.
 */
int payload_lines_eol(
    struct payload_lines *l, const char *eol, const char **errstr);

#endif
