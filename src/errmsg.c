/* SPDX-License-Identifier: ISC */
/*
 * Shared by the leaf modules (addr, netmask, ...) so that every parser
 * quotes bad input the same way and never echoes terminal controls.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include "errmsg.h"

int
errmsg_set(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	errno = EINVAL;
	return -1;
}

const char *
errmsg_quote(const char *s, char *buf, size_t size)
{
	size_t i, o = 0;

	if (size == 0)
		return buf;
	for (i = 0; s[i] != '\0' && o + 5 < size; i++) {
		if (i == 60) {
			buf[o++] = '.';
			buf[o++] = '.';
			buf[o++] = '.';
			break;
		}
		if (isprint((unsigned char)s[i]))
			buf[o++] = s[i];
		else
			o += (size_t)snprintf(
			    buf + o, size - o, "\\x%02x", (unsigned char)s[i]);
	}
	buf[o < size ? o : size - 1] = '\0';
	return buf;
}
