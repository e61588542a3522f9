/* SPDX-License-Identifier: ISC */
/*
 * Error messages for leaf modules, which never print: a formatted message
 * in the caller's buffer, and bad values quoted so one line stays one line.
 */
#ifndef UDPTOOL_ERRMSG_H
#define UDPTOOL_ERRMSG_H

#include <stddef.h>

/* Formats a message into err (if not NULL), sets errno to EINVAL, returns -1. */
int errmsg_set(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Copies s into buf for quoting in a message: non-printable bytes as \xNN,
 * at most 60 characters then "..."; returns buf.
 */
const char *errmsg_quote(const char *s, char *buf, size_t size);

#endif
