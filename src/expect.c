/* SPDX-License-Identifier: ISC */
/*
 * Matching replies against --expect (ERE) or --expect-hex (bytes), the
 * test that decides a client's exit status.
 */
#include "config.h"

#include <sys/types.h>

#include <regex.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "expect.h"
#include "payload.h"

void
expect_init(struct expect *e)
{
	memset(e, 0, sizeof *e);
	e->kind = EXPECT_NONE;
}

int
expect_set_re(struct expect *e, const char *pattern, char *err, size_t errlen)
{
	int rc;

	rc = regcomp(&e->re, pattern, REG_EXTENDED | REG_NOSUB);
	if (rc != 0) {
		regerror(rc, &e->re, err, errlen);
		return -1;
	}
	e->kind = EXPECT_RE;
	e->text = pattern;
	return 0;
}

int
expect_set_hex(struct expect *e, const char *arg, char *err, size_t errlen)
{
	ssize_t n;

	n = payload_decode(arg, strlen(arg), PAYLOAD_HEX, e->bytes,
	    sizeof e->bytes, err, errlen);
	if (n < 0)
		return -1;
	e->len = (size_t)n;
	e->kind = EXPECT_BYTES;
	e->text = arg;
	return 0;
}

int
expect_match(const struct expect *e, const uint8_t *buf, size_t len)
{
	regmatch_t m;
#ifndef REG_STARTEND
	char *copy;
	int rc;
#endif

	if (e->kind == EXPECT_BYTES)
		return e->len == 0 ||
		    memmem(buf, len, e->bytes, e->len) != NULL;
	if (e->kind != EXPECT_RE)
		return 0;
#ifdef REG_STARTEND
	/*
	 * The range is given, so the reply needs no terminating NUL and no
	 * copy, and a NUL byte inside it does not end the match.
	 */
	m.rm_so = 0;
	m.rm_eo = (regoff_t)len;
	return regexec(&e->re, (const char *)buf, 1, &m, REG_STARTEND) == 0;
#else
	copy = malloc(len + 1);
	if (copy == NULL)
		return -1; /* not "no match": the caller says memory ran out */
	memcpy(copy, buf, len);
	copy[len] = '\0';
	rc = regexec(&e->re, copy, 0, &m, 0);
	free(copy);
	return rc == 0;
#endif
}

void
expect_free(struct expect *e)
{
	if (e->kind == EXPECT_RE)
		regfree(&e->re);
	e->kind = EXPECT_NONE;
}
