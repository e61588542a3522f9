/* SPDX-License-Identifier: ISC */
/*
 * Error messages for leaf modules, which never print: a formatted message
 * in the caller's buffer, and bad values quoted so one line stays one line.
 */
#ifndef UDPTOOL_ERRMSG_H
#define UDPTOOL_ERRMSG_H

#include <stddef.h>
#include <stdint.h>

/* Formats a message into err (if not NULL), sets errno to EINVAL, returns -1. */
int errmsg_set(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Copies s into buf for quoting in a message: printable ASCII as it is,
 * a backslash as \\, every other byte (controls, DEL, and all of UTF-8,
 * so no bidirectional or invisible character) as \xNN; at most 60 input
 * bytes, then "..."; returns buf.
 */
const char *errmsg_quote(const char *s, char *buf, size_t size);

#define ERRMSG_QUOTE_MAX 256

/*
 * errmsg_quote(s) into a buffer that lives until the end of the enclosing
 * block, for a value quoted right in a message's argument list.
 */
#define ERRMSG_QUOTE(s)                                                        \
	errmsg_quote((s), (char[ERRMSG_QUOTE_MAX]){0}, ERRMSG_QUOTE_MAX)

/*
 * Copies a whole message s into buf for a terminal: like out_escape(),
 * controls, DEL, invalid UTF-8 and the code points errmsg_cp_safe()
 * refuses become \xNN; a backslash and safe UTF-8 stay as they are, so
 * text quoted already is not quoted twice.  Truncates to fit; returns buf.
 */
const char *errmsg_sanitize(const char *s, char *buf, size_t size);

/*
 * Returns the length (1-4) of the valid UTF-8 sequence at s and stores its
 * code point in *cp, or returns 0 if s does not start one (overlong forms,
 * surrogates and code points beyond U+10FFFF are invalid).  len > 0.
 */
size_t errmsg_utf8(const uint8_t *s, size_t len, uint32_t *cp);

/*
 * Returns 1 if code point cp may reach a terminal as it is, 0 for the C0
 * and C1 controls, DEL, and the format characters that reorder or hide
 * text: U+061C, U+180E, U+200B-U+200F, U+2028-U+202E, U+2060-U+206F,
 * U+FEFF and U+FFF9-U+FFFB.
 */
int errmsg_cp_safe(uint32_t cp);

#endif
