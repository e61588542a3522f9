/* SPDX-License-Identifier: ISC */
/*
 * Number parsing for every command.  strtol(3) with base 0 reads "010" as
 * eight and accepts spaces, signs and "0x" anywhere; strtonum(3) is not
 * in glibc 2.36.  So the grammar is written out here, once.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "num.h"

static int
num_fail(const char **errstr, const char *why)
{
	if (errstr != NULL)
		*errstr = why;
	errno = EINVAL;
	return -1;
}

static int
num_range(long long v, long long min, long long max, long long *out,
    const char **errstr)
{
	if (v < min)
		return num_fail(errstr, "too small");
	if (v > max)
		return num_fail(errstr, "too large");
	*out = v;
	return 0;
}

/* Reads digits of base at *sp into *v, stopping at the first non-digit. */
static int
num_digits(const char **sp, int base, unsigned long long *v)
{
	const char *s = *sp;
	unsigned long long acc = 0;
	int d, any = 0, big = 0;

	for (;; s++) {
		if (isdigit((unsigned char)*s))
			d = *s - '0';
		else if (base == 16 && isxdigit((unsigned char)*s))
			d = tolower((unsigned char)*s) - 'a' + 10;
		else
			break;
		any = 1;
		if (acc > (~0ULL - (unsigned)d) / (unsigned)base)
			big = 1;
		else
			acc = acc * (unsigned)base + (unsigned)d;
	}
	*sp = s;
	*v = big ? ~0ULL : acc;
	return any;
}

int
num_int(const char *s, long long min, long long max, int flags, long long *out,
    const char **errstr)
{
	unsigned long long v;
	int base = 10;

	if (s == NULL)
		return num_fail(errstr, "invalid");
	if ((flags & NUM_HEX) && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!num_digits(&s, base, &v) || *s != '\0')
		return num_fail(errstr, "invalid");
	if (v > (unsigned long long)max || v > (unsigned long long)LLONG_MAX)
		return num_fail(errstr, "too large");
	return num_range((long long)v, min, max, out, errstr);
}

int
num_double(
    const char *s, double min, double max, double *out, const char **errstr)
{
	const char *p;
	char *end;
	double v;

	if (s == NULL || *s == '\0')
		return num_fail(errstr, "invalid");
	/* Digits, one point, an exponent: nothing strtod takes beyond that. */
	for (p = s; *p != '\0'; p++) {
		if (!isdigit((unsigned char)*p) && strchr(".eE+-", *p) == NULL)
			return num_fail(errstr, "invalid");
	}
	if (!isdigit((unsigned char)s[0]) && s[0] != '.')
		return num_fail(errstr, "invalid");
	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end != '\0' || !isfinite(v))
		return num_fail(
		    errstr, errno == ERANGE ? "too large" : "invalid");
	if (v < min)
		return num_fail(errstr, "too small");
	if (v > max)
		return num_fail(errstr, "too large");
	*out = v;
	return 0;
}

int
num_seconds(const char *s, double min, double max, int flags, double *out,
    const char **errstr)
{
	double v;

	if (num_double(s, min, max, &v, errstr) == -1)
		return -1;
	if ((flags & NUM_NONZERO) && v == 0)
		return num_fail(errstr, "too small");
	*out = v;
	return 0;
}

int
num_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
num_size(const char *s, long long min, long long max, long long *out,
    const char **errstr)
{
	unsigned long long v;
	unsigned shift = 0;
	const char *p = s;

	if (s == NULL || !num_digits(&p, 10, &v))
		return num_fail(errstr, "invalid");
	switch (*p) {
	case '\0':
		break;
	case 'k':
	case 'K':
		shift = 10;
		break;
	case 'm':
	case 'M':
		shift = 20;
		break;
	case 'g':
	case 'G':
		shift = 30;
		break;
	default:
		return num_fail(errstr, "invalid");
	}
	if (*p != '\0' && p[1] != '\0')
		return num_fail(errstr, "invalid");
	if (v > ((unsigned long long)LLONG_MAX >> shift))
		return num_fail(errstr, "too large");
	v <<= shift;
	if (v > (unsigned long long)max)
		return num_fail(errstr, "too large");
	return num_range((long long)v, min, max, out, errstr);
}
