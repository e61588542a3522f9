/* SPDX-License-Identifier: ISC */
/*
 * The payload decoder shared by arguments, standard input and prompt
 * commands, so that "\x00" or "de:ad" mean the same bytes everywhere.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "errmsg.h"
#include "num.h"
#include "payload.h"

/* Shows one input byte in a message: printable as is, else as \xNN. */
static const char *
payload_show(int c, char *buf, size_t size)
{
	if (c > 0x20 && c < 0x7f)
		snprintf(buf, size, "%c", c);
	else
		snprintf(buf, size, "\\x%02x", (unsigned)(c & 0xff));
	return buf;
}

static ssize_t
payload_too_long(size_t size, char *err, size_t errlen)
{
	snprintf(err, errlen, "payload longer than %zu bytes", size);
	return -1;
}

static ssize_t
payload_decode_escapes(const uint8_t *s, size_t len, uint8_t *buf, size_t size,
    char *err, size_t errlen)
{
	char show[8];
	size_t i = 0, n = 0, start, k;
	int c, v, d;

	while (i < len) {
		c = s[i];
		if (c != '\\') {
			if (n >= size)
				return payload_too_long(size, err, errlen);
			buf[n++] = (uint8_t)c;
			i++;
			continue;
		}
		start = i;
		if (++i >= len) {
			snprintf(err, errlen,
			    "incomplete escape '\\' at "
			    "position %zu (end of input; write \\\\ for a "
			    "backslash)",
			    start + 1);
			return -1;
		}
		c = s[i++];
		switch (c) {
		case 'a':
			v = '\a';
			break;
		case 'b':
			v = '\b';
			break;
		case 'e':
			v = 0x1b;
			break;
		case 'f':
			v = '\f';
			break;
		case 'n':
			v = '\n';
			break;
		case 'r':
			v = '\r';
			break;
		case 't':
			v = '\t';
			break;
		case 'v':
			v = '\v';
			break;
		case '\\':
			v = '\\';
			break;
		case '\'':
			v = '\'';
			break;
		case '"':
			v = '"';
			break;
		case '?':
			v = '?';
			break;
		case 'x':
			v = 0;
			for (k = 0;
			     k < 2 && i < len && (d = num_hexval(s[i])) >= 0;
			     k++, i++)
				v = v * 16 + d;
			if (k == 0) {
				snprintf(err, errlen,
				    "invalid escape '\\x' at "
				    "position %zu (expected hex digits)",
				    start + 1);
				return -1;
			}
			break;
		case '0':
		case '1':
		case '2':
		case '3':
		case '4':
		case '5':
		case '6':
		case '7':
			v = c - '0';
			for (k = 1;
			     k < 3 && i < len && s[i] >= '0' && s[i] <= '7';
			     k++, i++)
				v = v * 8 + (s[i] - '0');
			if (v > 0xff) {
				snprintf(err, errlen,
				    "octal escape '\\%.*s' out "
				    "of range at position %zu (at most \\377)",
				    (int)k, (const char *)s + start + 1,
				    start + 1);
				return -1;
			}
			break;
		default:
			snprintf(err, errlen,
			    "invalid escape '\\%s' at "
			    "position %zu",
			    payload_show(c, show, sizeof show), start + 1);
			return -1;
		}
		if (n >= size)
			return payload_too_long(size, err, errlen);
		buf[n++] = (uint8_t)v;
	}
	return (ssize_t)n;
}

static int
payload_is_hexsep(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ':';
}

static ssize_t
payload_decode_hex(const uint8_t *s, size_t len, uint8_t *buf, size_t size,
    char *err, size_t errlen)
{
	char show[8];
	size_t i = 0, n = 0, first = 0;
	int hi = -1, d;

	for (i = 0; i < len; i++) {
		if (payload_is_hexsep(s[i])) {
			/* A separator may not split the two digits of a byte. */
			if (hi >= 0)
				goto odd;
			continue;
		}
		d = num_hexval(s[i]);
		if (d < 0) {
			snprintf(err, errlen,
			    "invalid hex digit '%s' at "
			    "position %zu",
			    payload_show(s[i], show, sizeof show), i + 1);
			return -1;
		}
		if (hi < 0) {
			hi = d;
			first = i;
			continue;
		}
		if (n >= size)
			return payload_too_long(size, err, errlen);
		buf[n++] = (uint8_t)(hi << 4 | d);
		hi = -1;
	}
	if (hi < 0)
		return (ssize_t)n;
odd:
	snprintf(err, errlen,
	    "odd number of hex digits: '%c' at position %zu "
	    "has no pair",
	    s[first], first + 1);
	return -1;
}

ssize_t
payload_decode(const char *src, size_t len, enum payload_mode mode,
    uint8_t *buf, size_t size, char *err, size_t errlen)
{
	const uint8_t *s = (const uint8_t *)src;

	switch (mode) {
	case PAYLOAD_ESCAPES:
		return payload_decode_escapes(s, len, buf, size, err, errlen);
	case PAYLOAD_HEX:
		return payload_decode_hex(s, len, buf, size, err, errlen);
	case PAYLOAD_TEXT:
	default:
		if (len > size)
			return payload_too_long(size, err, errlen);
		memcpy(buf, s, len);
		return (ssize_t)len;
	}
}

ssize_t
payload_read_file(
    const char *path, uint8_t *buf, size_t size, char *err, size_t errlen)
{
	struct stat st;
	char show[256];
	size_t n = 0;
	ssize_t r;
	uint8_t extra;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1) {
		snprintf(err, errlen, "%s: %s",
		    errmsg_quote(path, show, sizeof show), strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s: %s",
		    errmsg_quote(path, show, sizeof show), strerror(EISDIR));
		close(fd);
		return -1;
	}
	/* Read until end of file, whatever stat says (pipes, /proc files). */
	for (;;) {
		if (n == size)
			r = read(fd, &extra, 1);
		else
			r = read(fd, buf + n, size - n);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			snprintf(err, errlen, "%s: %s",
			    errmsg_quote(path, show, sizeof show),
			    strerror(errno));
			close(fd);
			return -1;
		}
		if (r == 0)
			break;
		if (n == size) {
			snprintf(err, errlen,
			    "%s: file larger than %zu bytes "
			    "(one datagram)",
			    errmsg_quote(path, show, sizeof show), size);
			close(fd);
			return -1;
		}
		n += (size_t)r;
	}
	close(fd);
	return (ssize_t)n;
}

ssize_t
payload_arg(const char *arg, enum payload_mode mode, uint8_t *buf, size_t size,
    char *err, size_t errlen)
{
	if (arg[0] == '@' && arg[1] == '@')
		arg++;
	else if (arg[0] == '@') {
		if (arg[1] == '\0') {
			snprintf(err, errlen, "missing file name after '@'");
			return -1;
		}
		return payload_read_file(arg + 1, buf, size, err, errlen);
	}
	return payload_decode(arg, strlen(arg), mode, buf, size, err, errlen);
}

ssize_t
payload_pad(uint8_t *buf, size_t len, size_t want, size_t size, char *err,
    size_t errlen)
{
	size_t i;

	if (want > size) {
		snprintf(
		    err, errlen, "size %zu larger than %zu bytes", want, size);
		return -1;
	}
	if (len > want) {
		snprintf(err, errlen,
		    "payload of %zu bytes longer than size %zu", len, want);
		return -1;
	}
	for (i = len; i < want; i++)
		buf[i] = (uint8_t)('a' + i % 26);
	return (ssize_t)want;
}

int
payload_frame_parse(const char *spec, size_t limit, struct payload_frame *f,
    char *err, size_t errlen)
{
	unsigned long v;
	char *end, show[96];

	memset(f, 0, sizeof *f);
	f->max = limit;
	if (strcmp(spec, "line") == 0)
		f->kind = PAYLOAD_FRAME_LINE;
	else if (strcmp(spec, "nul") == 0)
		f->kind = PAYLOAD_FRAME_NUL;
	else if (strcmp(spec, "whole") == 0)
		f->kind = PAYLOAD_FRAME_WHOLE;
	else if (strncmp(spec, "size:", 5) == 0) {
		errno = 0;
		if (spec[5] < '0' || spec[5] > '9' ||
		    (v = strtoul(spec + 5, &end, 10), *end != '\0') ||
		    errno != 0 || v < 1 || v > PAYLOAD_MAX) {
			snprintf(err, errlen, "invalid frame size '%s' (1-%d)",
			    errmsg_quote(spec + 5, show, sizeof show),
			    PAYLOAD_MAX);
			return -1;
		}
		f->kind = PAYLOAD_FRAME_SIZE;
		f->size = v;
		if (f->max < v)
			f->max = v;
	} else {
		snprintf(err, errlen,
		    "invalid framing '%s' (line, nul, "
		    "size:N or whole)",
		    errmsg_quote(spec, show, sizeof show));
		return -1;
	}
	return 0;
}

ssize_t
payload_frame_next(const struct payload_frame *f, const uint8_t *buf,
    size_t len, int eof, size_t *reclen, char *err, size_t errlen)
{
	const uint8_t *p;
	int sep;

	*reclen = 0;
	switch (f->kind) {
	case PAYLOAD_FRAME_SIZE:
		if (len >= f->size) {
			*reclen = f->size;
			return (ssize_t)f->size;
		}
		if (eof && len > 0) {
			*reclen = len;
			return (ssize_t)len;
		}
		return 0;
	case PAYLOAD_FRAME_WHOLE:
		if (len > f->max) {
			snprintf(err, errlen,
			    "input longer than %zu bytes "
			    "(one datagram)",
			    f->max);
			return -1;
		}
		if (eof && len > 0) {
			*reclen = len;
			return (ssize_t)len;
		}
		return 0;
	case PAYLOAD_FRAME_LINE:
	case PAYLOAD_FRAME_NUL:
	default:
		sep = f->kind == PAYLOAD_FRAME_NUL ? '\0' : '\n';
		p = memchr(buf, sep, len > f->max ? f->max + 1 : len);
		if (p != NULL) {
			*reclen = (size_t)(p - buf);
			return (ssize_t)(*reclen + 1);
		}
		if (len > f->max) {
			snprintf(err, errlen, "%s longer than %zu bytes",
			    sep == '\n' ? "line" : "record", f->max);
			return -1;
		}
		/* The last record may lack its terminator. */
		if (eof && len > 0) {
			*reclen = len;
			return (ssize_t)len;
		}
		return 0;
	}
}

int
payload_lines_mode(
    struct payload_lines *l, enum payload_mode mode, const char **errstr)
{
	if (l->mode_set && l->mode != mode) {
		*errstr = "-e and -X exclude each other";
		return -1;
	}
	l->mode = mode;
	l->mode_set = 1;
	return 0;
}

int
payload_lines_eol(struct payload_lines *l, const char *eol, const char **errstr)
{
	if (l->eol != NULL && strcmp(l->eol, eol) != 0) {
		*errstr = "--crlf and --eol exclude each other";
		return -1;
	}
	l->eol = eol;
	return 0;
}

ssize_t
payload_args(int n, const char *const *words, enum payload_mode mode,
    uint8_t *buf, size_t size, char *err, size_t errlen)
{
	size_t len = 1, at = 0, w;
	char *joined;
	ssize_t r;
	int i;

	for (i = 0; i < n; i++)
		len += strlen(words[i]) + 1;
	joined = malloc(len);
	if (joined == NULL)
		return -2;
	for (i = 0; i < n; i++) {
		if (i > 0)
			joined[at++] = ' ';
		w = strlen(words[i]);
		memcpy(joined + at, words[i], w);
		at += w;
	}
	joined[at] = '\0';
	r = payload_arg(joined, mode, buf, size, err, errlen);
	free(joined);
	return r;
}
