/* SPDX-License-Identifier: ISC */
/*
 * What one line typed at the send or listen prompt asks for: text to send,
 * or a /command and its checked argument.  Parsing only; the commands act.
 */
#ifndef UDPTOOL_SENDLINE_H
#define UDPTOOL_SENDLINE_H

#include <stddef.h>

#include "addr.h"

#define SENDLINE_ERRLEN 320
#define SENDLINE_REPEAT_MAX 1000000 /* most datagrams one /repeat sends */

enum sendline_kind {
	SENDLINE_NONE, /* an empty line: nothing to do */
	SENDLINE_TEXT, /* send arg (arglen bytes) in the current payload mode */
	SENDLINE_QUIT, /* /quit, /q */
	SENDLINE_HELP, /* /help, /? */
	SENDLINE_HEX, /* /hex BYTES: send arg decoded as hex */
	SENDLINE_FILE, /* /file PATH: send the file at arg */
	SENDLINE_REPEAT, /* /repeat N TEXT: send arg count times */
	SENDLINE_TO, /* /to [HOST:PORT|-]: change peer to "to", or show it */
	SENDLINE_TTL, /* /ttl [N] */
	SENDLINE_TOS, /* /tos [N] */
	SENDLINE_WAIT, /* /wait [SECONDS] */
	SENDLINE_STATS, /* /stats */
};

struct sendline {
	enum sendline_kind kind;
	const char *arg; /* points into the line; "" when there is none */
	size_t arglen; /* bytes at arg (TEXT may hold NUL bytes) */
	int query; /* TO, TTL, TOS, WAIT without argument: show it */
	int reset; /* TO: "/to -", back to the command's default peer */
	unsigned long long count; /* REPEAT: 1-SENDLINE_REPEAT_MAX */
	int value; /* TTL 1-255, TOS 0-255 */
	double wait; /* WAIT: seconds, 0-86400 */
	struct addr_spec to; /* TO: the new peer */
};

/*
 * Parses one prompt line of len bytes (NUL-terminated; a command's word is
 * cut off in place) into c.  A line not starting with '/' is text, and
 * "//" stands for text starting with one '/'; find names the kind of a
 * command word, or returns -1 with a message (talk_find()).  Returns 0,
 * or -1 with a one-line message naming the bad value in err.
 */
int sendline_parse(char *line, size_t len,
    int (*find)(const char *word, char *err, size_t errlen), struct sendline *c,
    char *err, size_t errlen);

#endif
