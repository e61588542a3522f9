/* SPDX-License-Identifier: ISC */
/*
 * The send and listen prompts' line parser, kept apart from the sockets so
 * that every command and argument check can be tested and fuzzed on its own.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "errmsg.h"
#include "num.h"
#include "sendline.h"

/* Splits "/cmd rest" into the command word and its argument. */
static const char *
sendline_split(char *line, char **word)
{
	char *sp = strchr(line, ' ');

	*word = line;
	if (sp == NULL)
		return "";
	*sp++ = '\0';
	while (*sp == ' ')
		sp++;
	return sp;
}

static int
sendline_ttl_tos(struct sendline *c, const char *arg, char *err, size_t errlen)
{
	int tos = c->kind == SENDLINE_TOS;
	const char *errstr;
	char show[96];
	long long v;

	/* As on the command line: decimal ("010" is ten), 0x for a TOS. */
	if (num_int(arg, tos ? 0 : 1, 255, tos ? NUM_HEX : 0, &v, &errstr) ==
	    -1) {
		snprintf(err, errlen, "invalid %s '%s' (%d-255)",
		    tos ? "TOS" : "TTL", errmsg_quote(arg, show, sizeof show),
		    tos ? 0 : 1);
		return -1;
	}
	c->value = (int)v;
	return 0;
}

static int
sendline_repeat(struct sendline *c, const char *arg, char *err, size_t errlen)
{
	const char *text;
	char *end;

	errno = 0;
	c->count = strtoull(arg, &end, 10);
	if (arg[0] < '0' || arg[0] > '9' || (*end != ' ' && *end != '\0') ||
	    errno != 0 || c->count < 1 || c->count > SENDLINE_REPEAT_MAX) {
		snprintf(err, errlen, "usage: /repeat N TEXT (N 1-%d)",
		    SENDLINE_REPEAT_MAX);
		return -1;
	}
	text = end;
	while (*text == ' ')
		text++;
	c->arg = text;
	c->arglen = strlen(text);
	return 0;
}

static int
sendline_wait(struct sendline *c, const char *arg, char *err, size_t errlen)
{
	const char *errstr;
	char show[96];

	if (num_double(arg, 0, 86400, &c->wait, &errstr) == -1) {
		snprintf(err, errlen, "invalid wait '%s' (seconds, 0-86400)",
		    errmsg_quote(arg, show, sizeof show));
		return -1;
	}
	return 0;
}

int
sendline_parse(char *line, size_t len,
    int (*find)(const char *word, char *err, size_t errlen), struct sendline *c,
    char *err, size_t errlen)
{
	const char *rest;
	char *word;
	int kind;

	memset(c, 0, sizeof *c);
	c->kind = SENDLINE_NONE;
	c->arg = "";
	if (len == 0)
		return 0;
	if (line[0] != '/' || (len > 1 && line[1] == '/')) {
		c->kind = SENDLINE_TEXT;
		c->arg = line[0] == '/' ? line + 1 : line;
		c->arglen = line[0] == '/' ? len - 1 : len;
		return 0;
	}
	if (memchr(line, '\0', len) != NULL) {
		snprintf(
		    err, errlen, "a prompt command cannot contain NUL bytes");
		return -1;
	}
	rest = sendline_split(line, &word);
	if ((kind = find(word, err, errlen)) == -1)
		return -1;
	c->kind = (enum sendline_kind)kind;
	c->arg = rest;
	c->arglen = strlen(rest);
	switch (c->kind) {
	case SENDLINE_FILE:
		if (rest[0] == '\0') {
			snprintf(err, errlen, "/file needs a path");
			return -1;
		}
		return 0;
	case SENDLINE_REPEAT:
		return sendline_repeat(c, rest, err, errlen);
	case SENDLINE_TO:
		c->query = rest[0] == '\0';
		/* "-" is never an address: the default peer, as for files. */
		c->reset = strcmp(rest, "-") == 0;
		if (!c->query && !c->reset &&
		    addr_parse(rest, 0, &c->to, err, errlen) == -1)
			return -1;
		return 0;
	case SENDLINE_TTL:
	case SENDLINE_TOS:
		c->query = rest[0] == '\0';
		return c->query ? 0 : sendline_ttl_tos(c, rest, err, errlen);
	case SENDLINE_WAIT:
		c->query = rest[0] == '\0';
		return c->query ? 0 : sendline_wait(c, rest, err, errlen);
	default:
		return 0;
	}
}
