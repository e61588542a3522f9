/* SPDX-License-Identifier: ISC */
/*
 * One call per field for text and JSON (after iproute2's json_print), so
 * the two outputs cannot drift; escaping for JSON and for terminals.
 */
#include "config.h"

#include <sys/socket.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "errmsg.h"
#include "log.h"
#include "output.h"

int
out_color_wanted(FILE *fp, int json)
{
	const char *term = getenv("TERM");

	if (json || getenv("NO_COLOR") != NULL)
		return 0;
	if (term != NULL && strcmp(term, "dumb") == 0)
		return 0;
	return isatty(fileno(fp));
}

void
out_init(struct out *o, FILE *fp, int json)
{
	memset(o, 0, sizeof *o);
	o->fp = fp;
	o->json = json;
	o->color = out_color_wanted(fp, json);
}

const char *
out_c(const struct out *o, enum out_color c)
{
	if (!o->color)
		return "";
	switch (c) {
	case OUT_C_ADDR:
		return "\033[36m";
	case OUT_C_OK:
		return "\033[32m";
	case OUT_C_WARN:
		return "\033[33m";
	case OUT_C_BAD:
		return "\033[31m";
	case OUT_C_DIM:
		return "\033[2m";
	case OUT_C_RESET:
	default:
		return "\033[0m";
	}
}

/* Writes the separator and key for the next JSON member. */
static void
out_key(struct out *o, const char *key)
{
	if (o->depth > 0 && o->count[o->depth - 1]++ > 0)
		fputc(',', o->fp);
	if (key != NULL && o->depth > 0) {
		out_json_string(o->fp, key, strlen(key));
		fputc(':', o->fp);
	}
}

static void
out_open(struct out *o, const char *key, int ch)
{
	if (!o->json)
		return;
	out_key(o, key);
	fputc(ch, o->fp);
	if (o->depth < OUT_DEPTH_MAX)
		o->count[o->depth] = 0;
	o->depth++;
}

static void
out_close(struct out *o, int ch)
{
	if (!o->json || o->depth == 0)
		return;
	fputc(ch, o->fp);
	o->depth--;
	if (o->depth == 0) {
		fputc('\n', o->fp);
		fflush(o->fp);
	}
}

void
out_obj_open(struct out *o, const char *key)
{
	out_open(o, key, '{');
}

void
out_obj_close(struct out *o)
{
	out_close(o, '}');
}

void
out_arr_open(struct out *o, const char *key)
{
	out_open(o, key, '[');
}

void
out_arr_close(struct out *o)
{
	out_close(o, ']');
}

/*
 * The text formats come from the callers as literals; they are printf
 * formats by design, the way iproute2's print_* take them.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"

/* Returns 1 if out_escape() would write buf unchanged. */
static int
out_is_plain(const uint8_t *buf, size_t len)
{
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		n = errmsg_utf8(buf + i, len - i, &cp);
		if (n == 0 || cp == '\\' || !errmsg_cp_safe(cp))
			return 0;
		i += n;
	}
	return 1;
}

const char *
out_escaped(const char *val, char **tmp)
{
	size_t len, size;
	FILE *fp;

	*tmp = NULL;
	if (val == NULL)
		return "-";
	len = strlen(val);
	if (out_is_plain((const uint8_t *)val, len))
		return val;
	fp = open_memstream(tmp, &size);
	if (fp == NULL)
		return "?";
	out_escape(fp, (const uint8_t *)val, len);
	if (fclose(fp) != 0) {
		free(*tmp);
		*tmp = NULL;
		return "?";
	}
	return *tmp;
}

void
out_str(struct out *o, const char *key, const char *fmt, const char *val)
{
	char *tmp = NULL;

	if (o->json) {
		out_key(o, key);
		if (val == NULL)
			fputs("null", o->fp);
		else
			out_json_string(o->fp, val, strlen(val));
	} else if (fmt != NULL)
		fprintf(o->fp, fmt, out_escaped(val, &tmp));
	free(tmp);
}

void
out_uint(
    struct out *o, const char *key, const char *fmt, unsigned long long val)
{
	if (o->json) {
		out_key(o, key);
		fprintf(o->fp, "%llu", val);
	} else if (fmt != NULL)
		fprintf(o->fp, fmt, val);
}

void
out_int(struct out *o, const char *key, const char *fmt, long long val)
{
	if (o->json) {
		out_key(o, key);
		fprintf(o->fp, "%lld", val);
	} else if (fmt != NULL)
		fprintf(o->fp, fmt, val);
}

void
out_double(struct out *o, const char *key, const char *fmt, double val)
{
	if (o->json) {
		out_key(o, key);
		/* JSON has no NaN or infinity. */
		if (val != val || val > 1e300 || val < -1e300)
			fputs("null", o->fp);
		else
			fprintf(o->fp, "%.15g", val);
	} else if (fmt != NULL)
		fprintf(o->fp, fmt, val);
}

void
out_bool(struct out *o, const char *key, const char *fmt, int val)
{
	if (o->json) {
		out_key(o, key);
		fputs(val ? "true" : "false", o->fp);
	} else if (fmt != NULL)
		fprintf(o->fp, fmt, val ? "yes" : "no");
}

void
out_count(struct out *o, const char *key, const char *fmt, unsigned long long n,
    const char *one, const char *many)
{
	if (o->json) {
		out_key(o, key);
		fprintf(o->fp, "%llu", n);
	} else if (fmt != NULL)
		fprintf(o->fp, fmt, n, out_plural(n, one, many));
}

#pragma GCC diagnostic pop

const char *
out_plural(unsigned long long n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

void
out_event(struct out *o, const char *type, const struct timespec *ts)
{
	struct timespec now;
	char t[40];

	if (!o->json)
		return;
	if (ts == NULL) {
		clock_gettime(CLOCK_REALTIME, &now);
		ts = &now;
	}
	out_obj_open(o, NULL);
	out_str(o, "type", NULL, type);
	out_str(o, "time", NULL, out_rfc3339(ts, t, sizeof t));
	/* A double holds only microseconds of an epoch time; print it exactly. */
	out_key(o, "timestamp");
	fprintf(o->fp, "%lld.%09ld", (long long)ts->tv_sec, ts->tv_nsec);
}

void
out_null(struct out *o, const char *key)
{
	if (o->json) {
		out_key(o, key);
		fputs("null", o->fp);
	}
}

void
out_text(struct out *o, const char *fmt, ...)
{
	va_list ap;

	if (o->json)
		return;
	va_start(ap, fmt);
	vfprintf(o->fp, fmt, ap);
	va_end(ap);
}

void
out_json_string(FILE *fp, const char *s, size_t len)
{
	const uint8_t *p = (const uint8_t *)s;
	size_t i = 0, n;
	uint32_t cp;

	fputc('"', fp);
	while (i < len) {
		n = errmsg_utf8(p + i, len - i, &cp);
		if (n == 0) {
			fputs("\\ufffd", fp);
			i++;
			continue;
		}
		switch (cp) {
		case '"':
			fputs("\\\"", fp);
			break;
		case '\\':
			fputs("\\\\", fp);
			break;
		case '\n':
			fputs("\\n", fp);
			break;
		case '\r':
			fputs("\\r", fp);
			break;
		case '\t':
			fputs("\\t", fp);
			break;
		case '\b':
			fputs("\\b", fp);
			break;
		case '\f':
			fputs("\\f", fp);
			break;
		default:
			/*
			 * Valid JSON either way, but a document shown on a
			 * terminal must not reorder or hide text.  Every
			 * code point errmsg_cp_safe() refuses is in the BMP.
			 */
			if (!errmsg_cp_safe(cp))
				fprintf(fp, "\\u%04x", (unsigned)cp);
			else
				fwrite(p + i, 1, n, fp);
		}
		i += n;
	}
	fputc('"', fp);
}

void
out_hex(FILE *fp, const uint8_t *buf, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < len; i++) {
		fputc(digits[buf[i] >> 4], fp);
		fputc(digits[buf[i] & 0xf], fp);
	}
}

void
out_hexdump(FILE *fp, const uint8_t *buf, size_t len, const char *indent)
{
	size_t off, i;

	if (indent == NULL)
		indent = "";
	for (off = 0; off < len; off += 16) {
		fprintf(fp, "%s%08zx  ", indent, off);
		for (i = 0; i < 16; i++) {
			if (off + i < len)
				fprintf(fp, "%02x ", buf[off + i]);
			else
				fputs("   ", fp);
			if (i == 7)
				fputc(' ', fp);
		}
		fputs(" |", fp);
		for (i = 0; i < 16 && off + i < len; i++) {
			uint8_t c = buf[off + i];

			fputc(c >= 0x20 && c < 0x7f ? c : '.', fp);
		}
		fputs("|\n", fp);
	}
	fprintf(fp, "%s%08zx\n", indent, len);
}

void
out_escape(FILE *fp, const uint8_t *buf, size_t len)
{
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		n = errmsg_utf8(buf + i, len - i, &cp);
		/*
		 * C1 controls are terminal commands too, and bidirectional and
		 * invisible characters would reorder or hide what is shown:
		 * they are escaped byte by byte, like invalid UTF-8.
		 */
		if (n > 1 && errmsg_cp_safe(cp)) {
			fwrite(buf + i, 1, n, fp);
			i += n;
			continue;
		}
		switch (buf[i]) {
		case '\n':
			fputs("\\n", fp);
			break;
		case '\r':
			fputs("\\r", fp);
			break;
		case '\t':
			fputs("\\t", fp);
			break;
		case '\\':
			fputs("\\\\", fp);
			break;
		default:
			if (buf[i] >= 0x20 && buf[i] < 0x7f)
				fputc(buf[i], fp);
			else
				fprintf(fp, "\\x%02x", buf[i]);
		}
		i++;
	}
}

int
out_is_text(const uint8_t *buf, size_t len)
{
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		n = errmsg_utf8(buf + i, len - i, &cp);
		if (n == 0)
			return 0;
		if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') ||
		    (cp >= 0x7f && cp < 0xa0))
			return 0;
		i += n;
	}
	return 1;
}

char *
out_time(const struct timespec *ts, int iso, char *buf, size_t size)
{
	struct tm tm;
	char date[40];
	time_t t = ts->tv_sec;

	localtime_r(&t, &tm);
	if (iso)
		strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm);
	else
		strftime(date, sizeof date, "%H:%M:%S", &tm);
	snprintf(buf, size, "%s.%06ld", date, ts->tv_nsec / 1000);
	if (iso) {
		char zone[8];

		strftime(zone, sizeof zone, "%z", &tm);
		strncat(buf, zone, size - strlen(buf) - 1);
	}
	return buf;
}

char *
out_rfc3339(const struct timespec *ts, char *buf, size_t size)
{
	struct tm tm;
	char date[24];
	time_t t = ts->tv_sec;

	gmtime_r(&t, &tm);
	strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, size, "%s.%06ldZ", date,
	    (long)((unsigned long)ts->tv_nsec % 1000000000UL / 1000));
	return buf;
}

static void
out_datagram_json(struct out *o, const struct out_dgram *d, const uint8_t *buf)
{
	char a[ADDR_STRLEN];

	out_event(o, d->event != NULL ? d->event : "datagram", d->ts);
	out_str(o, "from", NULL,
	    addr_format(d->from, d->fromlen, ADDR_FMT_PORT, a, sizeof a));
	if (d->to != NULL)
		out_str(o, "to", NULL,
		    addr_format(d->to, d->tolen, ADDR_FMT_PORT, a, sizeof a));
	out_uint(o, "length", NULL, d->len);
	out_bool(o, "truncated", NULL, d->truncated);
	if (d->rtt_ms >= 0)
		out_double(o, "rtt_ms", NULL, d->rtt_ms);
	if (d->ttl >= 0)
		out_int(o, "ttl", NULL, d->ttl);
	if (d->tos >= 0)
		out_int(o, "tos", NULL, d->tos);
	out_key(o, "hex");
	fputc('"', o->fp);
	out_hex(o->fp, buf, d->caplen);
	fputc('"', o->fp);
	if (out_is_text(buf, d->caplen)) {
		out_key(o, "text");
		out_json_string(o->fp, (const char *)buf, d->caplen);
	}
	out_obj_close(o);
}

/* The header every text and hexdump line starts with. */
static void
out_datagram_head(struct out *o, const struct out_dgram *d)
{
	char a[ADDR_STRLEN], t[64];

	if (d->ts != NULL) {
		if (d->numeric_time)
			fprintf(o->fp, "[%lld.%06ld] ",
			    (long long)d->ts->tv_sec, d->ts->tv_nsec / 1000);
		else
			fprintf(o->fp, "%s%s%s ", out_c(o, OUT_C_DIM),
			    out_time(d->ts, 0, t, sizeof t),
			    out_c(o, OUT_C_RESET));
	}
	fprintf(o->fp, "%s%s%s", out_c(o, OUT_C_ADDR),
	    addr_format(d->from, d->fromlen, ADDR_FMT_PORT, a, sizeof a),
	    out_c(o, OUT_C_RESET));
	if (d->to != NULL)
		fprintf(o->fp, " > %s",
		    addr_format(d->to, d->tolen, ADDR_FMT_PORT, a, sizeof a));
	fprintf(o->fp, " %zu byte%s", d->len, d->len == 1 ? "" : "s");
	if (d->truncated)
		fprintf(o->fp, " %s(truncated to %zu)%s", out_c(o, OUT_C_WARN),
		    d->caplen, out_c(o, OUT_C_RESET));
	if (d->rtt_ms >= 0)
		fprintf(o->fp, " time=%.3f ms", d->rtt_ms);
	if (d->ttl >= 0)
		fprintf(o->fp, " ttl=%d", d->ttl);
	if (d->tos >= 0)
		fprintf(o->fp, " tos=0x%02x", d->tos);
}

void
out_datagram(struct out *o, enum out_format fmt, const struct out_dgram *d,
    const uint8_t *buf)
{
	switch (fmt) {
	case OUT_FMT_JSON:
		out_datagram_json(o, d, buf);
		return;
	case OUT_FMT_RAW:
		fwrite(buf, 1, d->caplen, o->fp);
		break;
	case OUT_FMT_HEX:
		out_datagram_head(o, d);
		fputs(":\n", o->fp);
		out_hexdump(o->fp, buf, d->caplen, "  ");
		break;
	case OUT_FMT_TEXT:
	default:
		out_datagram_head(o, d);
		fputs(": ", o->fp);
		out_escape(o->fp, buf, d->caplen);
		fputc('\n', o->fp);
		break;
	}
	fflush(o->fp);
}

/*
 * The first failed write to standard output.  stdio keeps only a flag and
 * drops the buffer after a failure, so the reason is kept here, where
 * every check of standard output comes through.
 */
static int out_stdout_errno;

int
out_stdout_flush(void)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return 0;
	if (out_stdout_errno == 0) {
		/* Checked right after each write, errno is still the write's. */
		out_stdout_errno = errno != 0 ? errno : EIO;
		if (out_stdout_errno != EPIPE)
			log_warnx("write error on standard output: %s",
			    strerror(out_stdout_errno));
	}
	errno = out_stdout_errno;
	return -1;
}
