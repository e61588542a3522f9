/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for the send and listen prompts' line parser: text and "//"
 * lines, every command with and without its argument, and the bad values
 * each rejects.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "sendline.h"
#include "talk.h"

/* Parses a copy of s (the parser writes into its line). */
static int
parse(const char *s, size_t len, struct sendline *c, char *err)
{
	static char line[512];

	assert_true(len < sizeof line);
	memcpy(line, s, len);
	line[len] = '\0';
	err[0] = '\0';
	return sendline_parse(line, len, talk_find, c, err, SENDLINE_ERRLEN);
}

#define PARSE(s, c, err) parse((s), strlen(s), (c), (err))

static void
test_text(void **state)
{
	struct sendline c;
	char err[SENDLINE_ERRLEN];

	(void)state;
	assert_int_equal(PARSE("", &c, err), 0);
	assert_int_equal(c.kind, SENDLINE_NONE);
	assert_int_equal(PARSE("hello world", &c, err), 0);
	assert_int_equal(c.kind, SENDLINE_TEXT);
	assert_int_equal(c.arglen, 11);
	assert_memory_equal(c.arg, "hello world", 11);
	assert_int_equal(PARSE("//etc/passwd", &c, err), 0);
	assert_int_equal(c.kind, SENDLINE_TEXT);
	assert_int_equal(c.arglen, 11);
	assert_memory_equal(c.arg, "/etc/passwd", 11);
	/* Text keeps its NUL bytes; only commands refuse them. */
	assert_int_equal(parse("a\0b", 3, &c, err), 0);
	assert_int_equal(c.kind, SENDLINE_TEXT);
	assert_int_equal(c.arglen, 3);
	assert_int_equal(parse("/to\0x", 5, &c, err), -1);
	assert_string_equal(err, "a prompt command cannot contain NUL bytes");
}

static void
test_commands(void **state)
{
	struct sendline c;
	char err[SENDLINE_ERRLEN];

	(void)state;
	assert_int_equal(PARSE("/quit", &c, err), 0);
	assert_int_equal(c.kind, SENDLINE_QUIT);
	assert_int_equal(PARSE("/q", &c, err), 0);
	assert_int_equal(c.kind, SENDLINE_QUIT);
	assert_int_equal(PARSE("/?", &c, err), 0);
	assert_int_equal(c.kind, SENDLINE_HELP);
	assert_int_equal(PARSE("/stats", &c, err), 0);
	assert_int_equal(c.kind, SENDLINE_STATS);
	assert_int_equal(PARSE("/hex   de:ad be ef", &c, err), 0);
	assert_int_equal(c.kind, SENDLINE_HEX);
	assert_string_equal(c.arg, "de:ad be ef");
	assert_int_equal(PARSE("/file /tmp/x y", &c, err), 0);
	assert_int_equal(c.kind, SENDLINE_FILE);
	assert_string_equal(c.arg, "/tmp/x y");
	assert_int_equal(PARSE("/repeat 3  two words", &c, err), 0);
	assert_int_equal(c.kind, SENDLINE_REPEAT);
	assert_int_equal(c.count, 3);
	assert_string_equal(c.arg, "two words");
	assert_int_equal(c.arglen, 9);
	assert_int_equal(PARSE("/repeat 1000000", &c, err), 0);
	assert_int_equal(c.count, SENDLINE_REPEAT_MAX);
	assert_string_equal(c.arg, "");
	assert_int_equal(PARSE("/to", &c, err), 0);
	assert_int_equal(c.kind, SENDLINE_TO);
	assert_true(c.query);
	assert_false(c.reset);
	assert_int_equal(PARSE("/to -", &c, err), 0);
	assert_int_equal(c.kind, SENDLINE_TO);
	assert_false(c.query);
	assert_true(c.reset);
	assert_int_equal(PARSE("/to [::1]:7", &c, err), 0);
	assert_false(c.query);
	assert_false(c.reset);
	assert_string_equal(c.to.host, "::1");
	assert_string_equal(c.to.port, "7");
	assert_int_equal(PARSE("/ttl", &c, err), 0);
	assert_int_equal(c.kind, SENDLINE_TTL);
	assert_true(c.query);
	/* Decimal, as --ttl reads it: 010 is ten, never octal eight. */
	assert_int_equal(PARSE("/ttl 010", &c, err), 0);
	assert_false(c.query);
	assert_int_equal(c.value, 10);
	assert_int_equal(PARSE("/ttl 0x40", &c, err), -1);
	assert_int_equal(PARSE("/tos 0", &c, err), 0);
	assert_int_equal(c.kind, SENDLINE_TOS);
	assert_int_equal(c.value, 0);
	/* A TOS is a byte value: 0x hex too, as --tos takes it. */
	assert_int_equal(PARSE("/tos 0x10", &c, err), 0);
	assert_int_equal(c.value, 16);
	assert_int_equal(PARSE("/tos 010", &c, err), 0);
	assert_int_equal(c.value, 10);
	assert_int_equal(PARSE("/wait 0.25", &c, err), 0);
	assert_int_equal(c.kind, SENDLINE_WAIT);
	assert_true(c.wait == 0.25);
	assert_int_equal(PARSE("/wait", &c, err), 0);
	assert_true(c.query);
}

struct bad {
	const char *line;
	const char *message;
};

static const struct bad bads[] = {
    {"/", "unknown command '/' (try /help; // sends a line starting with /)"},
    {"/quitx", "unknown command '/quitx'"},
    {"/file", "/file needs a path"},
    {"/file   ", "/file needs a path"},
    {"/repeat", "usage: /repeat N TEXT (N 1-1000000)"},
    {"/repeat 0 x", "usage: /repeat N TEXT (N 1-1000000)"},
    {"/repeat 1000001 x", "usage: /repeat N TEXT (N 1-1000000)"},
    {"/repeat -1 x", "usage: /repeat N TEXT (N 1-1000000)"},
    {"/repeat 3x", "usage: /repeat N TEXT (N 1-1000000)"},
    {"/repeat 99999999999999999999999 x", "usage: /repeat N TEXT"},
    {"/to 127.0.0.1", "127.0.0.1"},
    {"/to --", "--"},
    {"/ttl 0", "invalid TTL '0' (1-255)"},
    {"/ttl 256", "invalid TTL '256' (1-255)"},
    {"/ttl 1 2", "invalid TTL '1 2' (1-255)"},
    {"/tos -1", "invalid TOS '-1' (0-255)"},
    {"/wait -1", "invalid wait '-1' (seconds, 0-86400)"},
    {"/wait nan", "invalid wait 'nan' (seconds, 0-86400)"},
    {"/wait 86401", "invalid wait '86401' (seconds, 0-86400)"},
    /* Found by fuzz-prompt: bad values were echoed with raw control bytes. */
    {"/he/w\xfe"
     "aix t de.",
	"unknown command '/he/w\\xfeaix'"},
    {"/\x1b[2J", "unknown command '/\\x1b[2J'"},
    {"/ttl 1\r", "invalid TTL '1\\x0d' (1-255)"},
    {"/tos \x9b"
     "1m",
	"invalid TOS '\\x9b1m' (0-255)"},
    {"/wait 1\n", "invalid wait '1\\x0a' (seconds, 0-86400)"},
};

static void
test_bad(void **state)
{
	struct sendline c;
	char err[SENDLINE_ERRLEN];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bads / sizeof bads[0]; i++) {
		if (PARSE(bads[i].line, &c, err) != -1)
			fail_msg("accepted '%s'", bads[i].line);
		if (strstr(err, bads[i].message) == NULL)
			fail_msg("'%s': got \"%s\", want \"%s\"", bads[i].line,
			    err, bads[i].message);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_text),
	    cmocka_unit_test(test_commands),
	    cmocka_unit_test(test_bad),
	};

	return cmocka_run_group_tests_name("sendline", tests, NULL, NULL);
}
