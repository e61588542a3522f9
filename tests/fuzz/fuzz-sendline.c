/* SPDX-License-Identifier: ISC */
/*
 * libFuzzer target for the send and listen prompts' line parser: any line parses into
 * a command with in-range values, or fails with one clean line; what parsed
 * reads back the same when written out again.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sendline.h"
#include "talk.h"
#include "fuzz.h"

/* Parses the canonical spelling in buf and checks it means the same as c. */
static void
check_again(const struct sendline *c, char *buf)
{
	struct sendline back;
	char err[SENDLINE_ERRLEN];

	if (sendline_parse(
		buf, strlen(buf), talk_find, &back, err, sizeof err) != 0 ||
	    back.kind != c->kind || back.query != c->query ||
	    back.reset != c->reset || back.count != c->count ||
	    back.value != c->value)
		abort();
	/* A value is written back in its canonical form, text as it was. */
	if ((c->kind == SENDLINE_REPEAT || c->kind == SENDLINE_HEX ||
		c->kind == SENDLINE_FILE) &&
	    (back.arglen != c->arglen ||
		memcmp(back.arg, c->arg, c->arglen) != 0))
		abort();
	if (c->kind == SENDLINE_WAIT && !c->query && back.wait != c->wait)
		abort();
	if (c->kind == SENDLINE_TO && !c->query && !c->reset &&
	    (strcmp(back.to.host, c->to.host) != 0 ||
		strcmp(back.to.port, c->to.port) != 0))
		abort();
}

static void
check(const struct sendline *c, const char *line, size_t len)
{
	char *buf;
	size_t size = len + 64;
	int n = 0;

	/* The argument lies inside the line (an empty one may be ""). */
	if (c->arg == NULL ||
	    (c->arglen > 0 &&
		(c->arg < line || c->arg > line + len ||
		    c->arglen > (size_t)(line + len - c->arg))))
		abort();
	if (c->kind != SENDLINE_TEXT && c->kind != SENDLINE_NONE &&
	    strlen(c->arg) != c->arglen)
		abort();
	buf = malloc(size);
	if (buf == NULL)
		abort();
	switch (c->kind) {
	case SENDLINE_NONE:
		if (len != 0)
			abort();
		break;
	case SENDLINE_TEXT:
		if (c->arglen != (line[0] == '/' ? len - 1 : len))
			abort();
		break;
	case SENDLINE_REPEAT:
		if (c->count < 1 || c->count > SENDLINE_REPEAT_MAX)
			abort();
		n = snprintf(buf, size, "/repeat %llu %s", c->count, c->arg);
		break;
	case SENDLINE_TTL:
	case SENDLINE_TOS:
		if (c->query) {
			n = snprintf(buf, size, "/t%s",
			    c->kind == SENDLINE_TTL ? "tl" : "os");
			break;
		}
		if (c->value < (c->kind == SENDLINE_TTL ? 1 : 0) ||
		    c->value > 255)
			abort();
		n = snprintf(buf, size, "/t%s %d",
		    c->kind == SENDLINE_TTL ? "tl" : "os", c->value);
		break;
	case SENDLINE_WAIT:
		if (!c->query && !(c->wait >= 0 && c->wait <= 86400))
			abort();
		if (c->query)
			n = snprintf(buf, size, "/wait");
		else
			n = snprintf(buf, size, "/wait %.17g", c->wait);
		break;
	case SENDLINE_TO:
		if (c->query)
			n = snprintf(buf, size, "/to");
		else if (c->reset)
			n = snprintf(buf, size, "/to -");
		else {
			char spec[ADDR_STRLEN * 4];

			addr_spec_format(&c->to, spec, sizeof spec);
			n = snprintf(buf, size, "/to %s", spec);
		}
		break;
	case SENDLINE_FILE:
		if (c->arglen == 0)
			abort();
		n = snprintf(buf, size, "/file %s", c->arg);
		break;
	case SENDLINE_HEX:
		n = snprintf(buf, size, "/hex %s", c->arg);
		break;
	case SENDLINE_QUIT:
	case SENDLINE_HELP:
	case SENDLINE_STATS:
		if (c->arglen != 0)
			break;
		n = snprintf(buf, size, "%s",
		    c->kind == SENDLINE_QUIT	   ? "/q"
			: c->kind == SENDLINE_HELP ? "/?"
						   : "/stats");
		break;
	default:
		abort();
	}
	if (n > 0 && (size_t)n < size)
		check_again(c, buf);
	free(buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sendline c;
	char err[SENDLINE_ERRLEN], *line;

	line = fuzz_strndup(data, size);
	if (line == NULL)
		return 0;
	if (sendline_parse(line, size, talk_find, &c, err, sizeof err) == 0)
		check(&c, line, size);
	else
		fuzz_check_line(err, sizeof err);
	free(line);
	return 0;
}
