/* SPDX-License-Identifier: ISC */
/*
 * Human text and JSON from one call per field, JSON string escaping, the
 * hexdump, payload escaping and the datagram line shared by listen and send.
 */
#ifndef UDPTOOL_OUTPUT_H
#define UDPTOOL_OUTPUT_H

#include <sys/socket.h>

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#define OUT_DEPTH_MAX 16

struct out {
	FILE *fp;
	int json;
	int color;
	int depth;
	int count[OUT_DEPTH_MAX]; /* members written at each depth */
};

enum out_color {
	OUT_C_RESET,
	OUT_C_ADDR,
	OUT_C_OK,
	OUT_C_WARN,
	OUT_C_BAD,
	OUT_C_DIM,
};

/* Sets up o for fp; colour only on a terminal, never with NO_COLOR or JSON. */
void out_init(struct out *o, FILE *fp, int json);

/* Returns 1 if colour should be used on fp (a terminal, no NO_COLOR, not JSON). */
int out_color_wanted(FILE *fp, int json);

/*
 * Structure.  In JSON these open and close objects and arrays (key NULL
 * inside arrays and at the top); in text they print nothing.  Closing the
 * outermost object in JSON ends the line.
 */
void out_obj_open(struct out *o, const char *key);
void out_obj_close(struct out *o);
void out_arr_open(struct out *o, const char *key);
void out_arr_close(struct out *o);

/*
 * Fields: in JSON, "key": value; in text, fmt printed with the value
 * (nothing when fmt is NULL).  fmt takes exactly one conversion of the
 * field's type (%s, %llu, %lld, %f/%g, %s for bool).  A string value is
 * escaped as out_escape() does it in text, and as JSON in JSON.
 */
void out_str(struct out *o, const char *key, const char *fmt, const char *val);
void out_uint(
    struct out *o, const char *key, const char *fmt, unsigned long long val);
void out_int(struct out *o, const char *key, const char *fmt, long long val);
void out_double(struct out *o, const char *key, const char *fmt, double val);
void out_bool(struct out *o, const char *key, const char *fmt, int val);
void out_null(struct out *o, const char *key);

/*
 * A count and its noun: in JSON "key": n; in text fmt with n and the noun
 * in the right number ("%llu %s" gives "1 datagram" and "2 datagrams").
 */
void out_count(struct out *o, const char *key, const char *fmt,
    unsigned long long n, const char *one, const char *many);

/* Returns one when n is 1, else many. */
const char *out_plural(unsigned long long n, const char *one, const char *many);

/*
 * Opens one event of a stream: in JSON an object with "type", "time" (RFC
 * 3339 in UTC) and "timestamp" (epoch seconds to the nanosecond) of ts, or
 * of now when ts is NULL; in text nothing.  out_obj_close() ends it.
 */
void out_event(struct out *o, const char *type, const struct timespec *ts);

/* Text only: printf-style output that JSON mode leaves out. */
void out_text(struct out *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Returns the escape sequence for c, or "" when colour is off. */
const char *out_c(const struct out *o, enum out_color c);

/*
 * Writes s (len bytes) as a quoted JSON string; invalid UTF-8 becomes
 * U+FFFD, and controls and the characters errmsg_cp_safe() refuses are
 * written as \uXXXX.
 */
void out_json_string(FILE *fp, const char *s, size_t len);

/* Writes buf as lowercase hex digits. */
void out_hex(FILE *fp, const uint8_t *buf, size_t len);

/* Writes a hexdump: offset, 16 hex bytes in two groups, |ASCII|. */
void out_hexdump(FILE *fp, const uint8_t *buf, size_t len, const char *indent);

/*
 * Writes buf with anything that is not printable (or would move the
 * terminal) escaped as \n, \t, \r, \\ or \xNN: C0 and C1 controls, DEL,
 * invalid UTF-8, and the bidirectional and invisible format characters
 * errmsg_cp_safe() refuses, each byte of their UTF-8 as \xNN (the payload
 * syntax of -e, so the text can be typed back).  Other valid UTF-8 stays.
 */
void out_escape(FILE *fp, const uint8_t *buf, size_t len);

/*
 * Returns val as out_escape() writes it, in a string in *tmp that the
 * caller frees when val needed escaping (*tmp is NULL otherwise), "-" for
 * NULL.  Names come from resolvers and service files, and a PTR record
 * may hold any byte.
 */
const char *out_escaped(const char *val, char **tmp);

/* Returns 1 if buf is valid UTF-8 text with no control characters but \t \n \r. */
int out_is_text(const uint8_t *buf, size_t len);

/* Formats ts as local "HH:MM:SS.uuuuuu" (or full ISO 8601 date when iso). */
char *out_time(const struct timespec *ts, int iso, char *buf, size_t size);

/*
 * Formats the wall-clock time ts as RFC 3339 in UTC with microseconds,
 * "2026-12-01T01:48:05.759320Z"; returns buf (at least 28 bytes).
 */
char *out_rfc3339(const struct timespec *ts, char *buf, size_t size);

enum out_format {
	OUT_FMT_TEXT, /* one line, payload escaped */
	OUT_FMT_HEX, /* header line and hexdump */
	OUT_FMT_RAW, /* payload bytes only */
	OUT_FMT_JSON, /* one JSON object per line */
};

/* What is known about one datagram received. */
struct out_dgram {
	const char *event; /* JSON "type": "datagram", "reply", ... */
	const struct sockaddr *from;
	socklen_t fromlen;
	const struct sockaddr *to; /* local address it was sent to, or NULL */
	socklen_t tolen;
	const struct timespec *ts; /* receive time, or NULL */
	int ttl; /* -1 unknown */
	int tos; /* -1 unknown */
	size_t len; /* length on the wire */
	size_t caplen; /* bytes in buf */
	int truncated;
	double rtt_ms; /* < 0: none */
	int numeric_time; /* -D: epoch seconds instead of clock time */
};

/*
 * Flushes standard output; returns 0, or -1 with errno set once any write
 * to it has failed.  The first failure is reported on stderr, once, unless
 * it was EPIPE (a reader that went away is not an error).  Streaming
 * commands stop on -1; main() turns it into exit status 2.
 */
int out_stdout_flush(void);

/* Prints one datagram in fmt. */
void out_datagram(struct out *o, enum out_format fmt, const struct out_dgram *d,
    const uint8_t *buf);

#endif
