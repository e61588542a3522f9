/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for the send and listen prompts' session: command lookup,
 * each slash command reaching its callback, /help and Tab completion
 * generated from the one table, and the errors for unknown commands.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sendline.h"
#include "talk.h"

/* What the fake room was asked to do, one "call(args)" per line. */
struct fake {
	char log[1024];
	int repeat_fail_at; /* repeat_send fails on this call, 0: never */
	int repeat_sent;
};

static void
fake_log(void *arg, const char *fmt, ...)
{
	struct fake *f = arg;
	size_t off = strlen(f->log);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(f->log + off, sizeof f->log - off, fmt, ap);
	va_end(ap);
}

static void
fake_typed(void *arg)
{
	fake_log(arg, "typed;");
}

static void
fake_text(void *arg, const char *text, size_t len, int hex)
{
	fake_log(arg, "text(%.*s,%d);", (int)len, text, hex);
}

static void
fake_file(void *arg, const char *path)
{
	fake_log(arg, "file(%s);", path);
}

static int
fake_repeat_load(void *arg, const struct sendline *c)
{
	fake_log(arg, "repeat_load(%llu,%s);", c->count, c->arg);
	return strcmp(c->arg, "bad") == 0 ? -1 : 0;
}

static int
fake_repeat_send(void *arg)
{
	struct fake *f = arg;

	f->repeat_sent++;
	return f->repeat_sent == f->repeat_fail_at ? -1 : 0;
}

static void
fake_to(void *arg, const struct sendline *c)
{
	fake_log(arg, "to(%s,q%d,r%d);", c->arg, c->query, c->reset);
}

static void
fake_ttl_tos(void *arg, const struct sendline *c)
{
	fake_log(arg, "%s(%d,q%d);", c->kind == SENDLINE_TOS ? "tos" : "ttl",
	    c->value, c->query);
}

static void
fake_wait(void *arg, const struct sendline *c)
{
	fake_log(arg, "wait(%g,q%d);", c->wait, c->query);
}

static void
fake_stats(void *arg)
{
	fake_log(arg, "stats;");
}

static const struct talk_ops fake_ops = {
    .typed = fake_typed,
    .text = fake_text,
    .file = fake_file,
    .repeat_load = fake_repeat_load,
    .repeat_send = fake_repeat_send,
    .to = fake_to,
    .ttl_tos = fake_ttl_tos,
    .wait = fake_wait,
    .stats = fake_stats,
};

static void
fake_talk(struct talk *t, struct fake *f, unsigned room, int send_empty)
{
	struct talk_config cfg;

	memset(f, 0, sizeof *f);
	memset(&cfg, 0, sizeof cfg);
	cfg.room = room;
	cfg.fd = -1;
	cfg.help_head = "head\n";
	cfg.help_tail = "tail\n";
	cfg.replaced = "replaced";
	cfg.send_empty = send_empty;
	cfg.ops = &fake_ops;
	cfg.arg = f;
	talk_init(t, &cfg);
}

/* Runs one line (copied: the parser writes into it); returns talk_line(). */
static int
line(struct talk *t, const char *s)
{
	char buf[256];

	snprintf(buf, sizeof buf, "%s", s);
	return talk_line(t, buf, strlen(buf));
}

static void
test_find(void **state)
{
	char err[SENDLINE_ERRLEN];

	(void)state;
	assert_int_equal(talk_find("/quit", err, sizeof err), SENDLINE_QUIT);
	assert_int_equal(talk_find("/q", err, sizeof err), SENDLINE_QUIT);
	assert_int_equal(talk_find("/?", err, sizeof err), SENDLINE_HELP);
	assert_int_equal(talk_find("/to", err, sizeof err), SENDLINE_TO);
	assert_int_equal(talk_find("/tos", err, sizeof err), SENDLINE_TOS);
	assert_int_equal(talk_find("/ttl", err, sizeof err), SENDLINE_TTL);
	assert_int_equal(talk_find("/wait", err, sizeof err), SENDLINE_WAIT);
	/* A unique prefix names its command. */
	assert_int_equal(talk_find("/rep", err, sizeof err), SENDLINE_REPEAT);
	assert_int_equal(talk_find("/st", err, sizeof err), SENDLINE_STATS);
	assert_int_equal(talk_find("/fi", err, sizeof err), SENDLINE_FILE);
}

static void
test_find_errors(void **state)
{
	char err[SENDLINE_ERRLEN];

	(void)state;
	assert_int_equal(talk_find("/nonsense", err, sizeof err), -1);
	assert_string_equal(err,
	    "unknown command '/nonsense' (try /help; "
	    "// sends a line starting with /)");
	/* A bare slash is a prefix of everything and names nothing. */
	assert_int_equal(talk_find("/", err, sizeof err), -1);
	assert_non_null(strstr(err, "unknown command '/'"));
	/* The word is quoted with its control bytes escaped. */
	assert_int_equal(talk_find("/\x1b[2J", err, sizeof err), -1);
	assert_non_null(strstr(err, "unknown command '/\\x1b[2J'"));
	assert_int_equal(talk_find("/t", err, sizeof err), -1);
	assert_string_equal(
	    err, "ambiguous command '/t', could be: /to /ttl /tos");
	assert_int_equal(talk_find("/h", err, sizeof err), -1);
	assert_string_equal(
	    err, "ambiguous command '/h', could be: /help /hex");
}

static void
test_commands(void **state)
{
	struct talk t;
	struct fake f;

	(void)state;
	fake_talk(&t, &f, TALK_SEND, 0);
	assert_int_equal(line(&t, "hello"), 0);
	assert_int_equal(line(&t, "//slash"), 0);
	assert_int_equal(line(&t, ""), 0);
	assert_int_equal(line(&t, "/hex de ad"), 0);
	assert_int_equal(line(&t, "/file /tmp/x"), 0);
	assert_int_equal(line(&t, "/to 127.0.0.1:9"), 0);
	assert_int_equal(line(&t, "/to -"), 0);
	assert_int_equal(line(&t, "/to"), 0);
	assert_int_equal(line(&t, "/ttl 7"), 0);
	assert_int_equal(line(&t, "/tos"), 0);
	assert_int_equal(line(&t, "/wait 1.5"), 0);
	assert_int_equal(line(&t, "/stats"), 0);
	assert_string_equal(f.log,
	    "typed;text(hello,0);typed;text(/slash,0);typed;typed;"
	    "text(de ad,1);typed;file(/tmp/x);typed;to(127.0.0.1:9,q0,r0);"
	    "typed;to(-,q0,r1);typed;to(,q1,r0);typed;ttl(7,q0);"
	    "typed;tos(0,q1);typed;wait(1.5,q0);typed;stats;");
	assert_int_equal(line(&t, "/quit"), -1);
	assert_int_equal(line(&t, "/q"), -1);
}

static void
test_empty_and_errors(void **state)
{
	struct talk t;
	struct fake f;

	(void)state;
	/* listen sends an empty line as an empty datagram. */
	fake_talk(&t, &f, TALK_LISTEN, 1);
	assert_int_equal(line(&t, ""), 0);
	assert_string_equal(f.log, "typed;text(,0);");
	/* A bad command or argument reaches no callback but "typed". */
	f.log[0] = '\0';
	assert_int_equal(line(&t, "/nonsense"), 0);
	assert_int_equal(line(&t, "/ttl 0"), 0);
	assert_int_equal(line(&t, "/t"), 0);
	assert_string_equal(f.log, "typed;typed;typed;");
}

static void
test_repeat(void **state)
{
	struct talk t;
	struct fake f;

	(void)state;
	fake_talk(&t, &f, TALK_SEND, 0);
	assert_false(talk_repeating(&t));
	assert_int_equal(line(&t, "/repeat 3 bad"), 0);
	assert_false(talk_repeating(&t));
	assert_int_equal(line(&t, "/repeat 300 x"), 0);
	assert_string_equal(
	    f.log, "typed;repeat_load(3,bad);typed;repeat_load(300,x);");
	assert_true(talk_repeating(&t));
	assert_int_equal(f.repeat_sent, 0);
	/* Without an interval the timer sends batches of 256. */
	talk_tick(&t);
	assert_int_equal(f.repeat_sent, 256);
	assert_true(talk_repeating(&t));
	talk_tick(&t);
	assert_int_equal(f.repeat_sent, 300);
	assert_false(talk_repeating(&t));
	talk_tick(&t);
	assert_int_equal(f.repeat_sent, 300);

	/* A send error ends it; ^C-style stops end it too. */
	f.repeat_fail_at = 310;
	assert_int_equal(line(&t, "/repeat 100 x"), 0);
	talk_tick(&t);
	assert_int_equal(f.repeat_sent, 310);
	assert_false(talk_repeating(&t));
	assert_int_equal(line(&t, "/repeat 5 x"), 0);
	talk_repeat_stop(&t, "stopped by the test");
	assert_false(talk_repeating(&t));
	talk_tick(&t);
	assert_int_equal(f.repeat_sent, 310);
}

static void
test_repeat_interval(void **state)
{
	struct talk t;
	struct fake f;

	(void)state;
	fake_talk(&t, &f, TALK_SEND, 0);
	/* With an interval, one datagram per turn and the next due later. */
	t.cfg.interval = 60;
	assert_int_equal(line(&t, "/repeat 3 x"), 0);
	talk_tick(&t);
	assert_int_equal(f.repeat_sent, 1);
	talk_tick(&t);
	assert_int_equal(f.repeat_sent, 1);
	assert_true(talk_repeating(&t));
}

static void
test_help(void **state)
{
	struct talk t;
	struct fake f;
	char *buf = NULL;
	size_t size = 0;
	FILE *fp;

	(void)state;
	fake_talk(&t, &f, TALK_SEND, 0);
	fp = open_memstream(&buf, &size);
	assert_non_null(fp);
	talk_help(&t, fp);
	fclose(fp);
	assert_non_null(strstr(buf, "head\n  /help             this list\n"));
	assert_non_null(strstr(buf,
	    "  /repeat N TEXT    send TEXT N times "
	    "(at the -i interval)\n"));
	assert_non_null(strstr(buf, "  /wait SECONDS     "));
	assert_non_null(strstr(buf,
	    "  //TEXT            send TEXT starting with one "
	    "slash\ntail\n"));
	/* Aliases and the other room's wording are not listed. */
	assert_null(strstr(buf, "/q "));
	assert_null(strstr(buf, "/to -"));
	free(buf);

	buf = NULL;
	fake_talk(&t, &f, TALK_LISTEN, 1);
	fp = open_memstream(&buf, &size);
	assert_non_null(fp);
	talk_help(&t, fp);
	fclose(fp);
	assert_non_null(strstr(
	    buf, "  /to -             answer the most recent sender again\n"));
	assert_non_null(strstr(buf, "  /ttl [N]          set or show"));
	assert_null(strstr(buf, "/wait"));
	free(buf);
}

static void
test_names(void **state)
{
	const char *names[TALK_NAMES_MAX + 1];
	struct talk t;
	struct fake f;
	size_t n;

	(void)state;
	n = talk_names(TALK_SEND, names, TALK_NAMES_MAX);
	assert_int_equal(n, 10);
	assert_string_equal(names[0], "/file");
	assert_string_equal(names[1], "/help");
	assert_string_equal(names[2], "/hex");
	assert_string_equal(names[3], "/quit");
	assert_string_equal(names[4], "/repeat");
	assert_string_equal(names[5], "/stats");
	assert_string_equal(names[6], "/to");
	assert_string_equal(names[7], "/tos");
	assert_string_equal(names[8], "/ttl");
	assert_string_equal(names[9], "/wait");
	assert_null(names[10]);
	n = talk_names(TALK_LISTEN, names, TALK_NAMES_MAX);
	assert_int_equal(n, 9);
	assert_string_equal(names[8], "/ttl");
	assert_null(names[9]);
	/* The session hands the prompt the same list. */
	fake_talk(&t, &f, TALK_LISTEN, 1);
	assert_string_equal(t.names[0], "/file");
	assert_null(t.names[9]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_find),
	    cmocka_unit_test(test_find_errors),
	    cmocka_unit_test(test_commands),
	    cmocka_unit_test(test_empty_and_errors),
	    cmocka_unit_test(test_repeat),
	    cmocka_unit_test(test_repeat_interval),
	    cmocka_unit_test(test_help),
	    cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests_name("talk", tests, NULL, NULL);
}
