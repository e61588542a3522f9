/* SPDX-License-Identifier: ISC */
/*
 * Shared by the leaf modules (addr, netmask, ...) so that every parser
 * quotes bad input the same way and never echoes terminal controls.
 */
#include "config.h"

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

/* Appends \xNN for c to buf at *o if it fits; returns 0, or -1 if full. */
static int
errmsg_hex(char *buf, size_t size, size_t *o, unsigned char c)
{
	static const char digits[] = "0123456789abcdef";

	if (*o + 4 >= size)
		return -1;
	buf[(*o)++] = '\\';
	buf[(*o)++] = 'x';
	buf[(*o)++] = digits[c >> 4];
	buf[(*o)++] = digits[c & 0xf];
	return 0;
}

const char *
errmsg_quote(const char *s, char *buf, size_t size)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i, o = 0;

	if (size == 0)
		return buf;
	/* Room for one escape and "..." is kept, so the cut is visible. */
	for (i = 0; p[i] != '\0' && o + 8 < size; i++) {
		if (i == 60)
			break;
		if (p[i] == '\\') {
			buf[o++] = '\\';
			buf[o++] = '\\';
		} else if (p[i] >= 0x20 && p[i] < 0x7f)
			buf[o++] = (char)p[i];
		else
			(void)errmsg_hex(buf, size, &o, p[i]);
	}
	if (p[i] != '\0' && o + 3 < size) {
		buf[o++] = '.';
		buf[o++] = '.';
		buf[o++] = '.';
	}
	buf[o < size ? o : size - 1] = '\0';
	return buf;
}

const char *
errmsg_sanitize(const char *s, char *buf, size_t size)
{
	const uint8_t *p = (const uint8_t *)s;
	size_t i = 0, o = 0, n, len;
	uint32_t cp;

	if (size == 0)
		return buf;
	for (len = 0; p[len] != '\0'; len++)
		;
	while (i < len) {
		n = errmsg_utf8(p + i, len - i, &cp);
		if (n > 0 && errmsg_cp_safe(cp)) {
			if (o + n >= size)
				break;
			while (n-- > 0)
				buf[o++] = (char)p[i++];
			continue;
		}
		/* One byte at a time: the rest of a bad sequence is escaped too. */
		if (errmsg_hex(buf, size, &o, p[i]) == -1)
			break;
		i++;
	}
	buf[o] = '\0';
	return buf;
}

size_t
errmsg_utf8(const uint8_t *s, size_t len, uint32_t *cp)
{
	size_t n, i;
	uint32_t c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		c = s[0] & 0x07;
	} else
		return 0;
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) || c > 0x10ffff ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

int
errmsg_cp_safe(uint32_t cp)
{
	/* C0, DEL and C1: terminal commands (ESC, CSI, BEL, ...). */
	if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
		return 0;
	/*
	 * Format characters a reader cannot see: the Arabic letter mark,
	 * Mongolian vowel separator, zero-width space and joiners, LRM and
	 * RLM, line and paragraph separators, the bidirectional embeddings,
	 * overrides and isolates, word joiner and invisible operators, the
	 * byte order mark, and the interlinear annotation controls.  An
	 * override can make "txt.exe" look like "exe.txt" in a name or a
	 * payload.
	 */
	if (cp == 0x061c || cp == 0x180e || (cp >= 0x200b && cp <= 0x200f) ||
	    (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x206f) ||
	    cp == 0xfeff || (cp >= 0xfff9 && cp <= 0xfffb))
		return 0;
	return 1;
}
