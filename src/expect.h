/* SPDX-License-Identifier: ISC */
/*
 * What a reply must hold to count as the one awaited (--expect,
 * --expect-hex): an extended regular expression, or a run of bytes.
 */
#ifndef UDPTOOL_EXPECT_H
#define UDPTOOL_EXPECT_H

#include <sys/types.h>

#include <regex.h>
#include <stddef.h>
#include <stdint.h>

#define EXPECT_HEX_MAX 256 /* bytes of an --expect-hex pattern */

enum expect_kind {
	EXPECT_NONE,
	EXPECT_RE, /* an ERE, matched across NUL bytes where regexec can */
	EXPECT_BYTES, /* bytes the reply contains somewhere */
};

struct expect {
	enum expect_kind kind;
	regex_t re;
	const char *text; /* the pattern as given */
	uint8_t bytes[EXPECT_HEX_MAX];
	size_t len;
};

/* Starts e with no pattern. */
void expect_init(struct expect *e);

/*
 * Sets an extended regular expression; returns 0, or -1 with regcomp's
 * reason in err.  pattern must outlive e.
 */
int expect_set_re(
    struct expect *e, const char *pattern, char *err, size_t errlen);

/*
 * Sets the bytes spelled in hex by arg (payload hex syntax); returns 0,
 * or -1 with the reason in err.  arg must outlive e.
 */
int expect_set_hex(struct expect *e, const char *arg, char *err, size_t errlen);

/*
 * Returns 1 if buf (len bytes) has what e awaits, 0 if not or without a
 * pattern, -1 if memory ran out (only where regexec() lacks REG_STARTEND).
 */
int expect_match(const struct expect *e, const uint8_t *buf, size_t len);

/* Frees what expect_set_re() took; e has no pattern afterwards. */
void expect_free(struct expect *e);

#endif
