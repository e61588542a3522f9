/* SPDX-License-Identifier: ISC */
/*
 * The send and listen prompts' session: the slash command table, the
 * dispatch of each typed line, /help, Tab completion, /repeat and ^C.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "errmsg.h"
#include "log.h"
#include "prompt.h"
#include "sendline.h"
#include "talk.h"

#define TALK_ALL (TALK_SEND | TALK_LISTEN)
#define TALK_HELP_COLUMN 18 /* where the help line starts after the usage */
#define TALK_REPEAT_BATCH 256 /* /repeat datagrams per turn of the prompt */

typedef int talk_handler(struct talk *, const struct sendline *);

static talk_handler talk_do_text, talk_do_quit, talk_do_help, talk_do_hex,
    talk_do_file, talk_do_repeat, talk_do_to, talk_do_ttl_tos, talk_do_wait,
    talk_do_stats;

/*
 * One row per line of /help; a name on several rows (the rooms word it
 * differently, or /to has several forms) runs the same handler.  Rows the
 * room does not offer are still parsed: their handler says why not.
 */
static const struct talk_cmd {
	const char *name;
	const char *hint; /* the argument as typed after the name */
	const char *help; /* NULL: an alias, never listed */
	unsigned rooms; /* listed in /help and completed by Tab */
	enum sendline_kind kind;
	talk_handler *run;
} talk_cmds[] = {
    {"/help", "", "this list", TALK_ALL, SENDLINE_HELP, talk_do_help},
    {"/hex", " BYTES", "send bytes given in hex (de:ad be ef)", TALK_ALL,
	SENDLINE_HEX, talk_do_hex},
    {"/file", " PATH", "send a file as one datagram", TALK_ALL, SENDLINE_FILE,
	talk_do_file},
    {"/repeat", " N TEXT", "send TEXT N times (at the -i interval)", TALK_SEND,
	SENDLINE_REPEAT, talk_do_repeat},
    {"/repeat", " N TEXT", "send TEXT N times (^C stops it)", TALK_LISTEN,
	SENDLINE_REPEAT, talk_do_repeat},
    {"/to", " HOST:PORT", "send to another peer from now on", TALK_SEND,
	SENDLINE_TO, talk_do_to},
    {"/to", " HOST:PORT", "send to this address from now on", TALK_LISTEN,
	SENDLINE_TO, talk_do_to},
    {"/to", " -", "answer the most recent sender again", TALK_LISTEN,
	SENDLINE_TO, talk_do_to},
    {"/to", "", "show where lines go", TALK_LISTEN, SENDLINE_TO, talk_do_to},
    {"/ttl", " N", "set the TTL (hop limit)", TALK_SEND, SENDLINE_TTL,
	talk_do_ttl_tos},
    {"/ttl", " [N]", "set or show the TTL (hop limit)", TALK_LISTEN,
	SENDLINE_TTL, talk_do_ttl_tos},
    {"/tos", " N", "set the TOS (traffic class)", TALK_SEND, SENDLINE_TOS,
	talk_do_ttl_tos},
    {"/tos", " [N]", "set or show the TOS (traffic class)", TALK_LISTEN,
	SENDLINE_TOS, talk_do_ttl_tos},
    {"/wait", " SECONDS", "set how long a datagram waits for its reply",
	TALK_SEND, SENDLINE_WAIT, talk_do_wait},
    {"/stats", "", "show the counters so far", TALK_SEND, SENDLINE_STATS,
	talk_do_stats},
    {"/stats", "", "show the summary so far", TALK_LISTEN, SENDLINE_STATS,
	talk_do_stats},
    {"/quit", "", "leave (as ^D does)", TALK_ALL, SENDLINE_QUIT, talk_do_quit},
    {"//", "TEXT", "send TEXT starting with one slash", TALK_ALL, SENDLINE_TEXT,
	talk_do_text},
    {"/q", "", NULL, 0, SENDLINE_QUIT, talk_do_quit},
    {"/?", "", NULL, 0, SENDLINE_HELP, talk_do_help},
};

#define TALK_NCMDS (sizeof talk_cmds / sizeof talk_cmds[0])

/* Returns 1 if row i is the first one with its name. */
static int
talk_first_of_name(size_t i)
{
	size_t k;

	for (k = 0; k < i; k++) {
		if (strcmp(talk_cmds[k].name, talk_cmds[i].name) == 0)
			return 0;
	}
	return 1;
}

int
talk_find(const char *word, char *err, size_t errlen)
{
	size_t i, len = strlen(word), n = 0, found = 0, off;
	char show[96];

	for (i = 0; i < TALK_NCMDS; i++) {
		if (talk_cmds[i].kind != SENDLINE_TEXT &&
		    strcmp(talk_cmds[i].name, word) == 0)
			return (int)talk_cmds[i].kind;
	}
	/* A bare "/" is a prefix of everything and names nothing. */
	for (i = 0; len > 1 && i < TALK_NCMDS; i++) {
		if (talk_cmds[i].help != NULL &&
		    talk_cmds[i].kind != SENDLINE_TEXT &&
		    strncmp(talk_cmds[i].name, word, len) == 0 &&
		    talk_first_of_name(i)) {
			found = i;
			n++;
		}
	}
	if (n == 1)
		return (int)talk_cmds[found].kind;
	errmsg_quote(word, show, sizeof show);
	if (n == 0) {
		snprintf(err, errlen,
		    "unknown command '%s' (try /help; // sends a line "
		    "starting with /)",
		    show);
		return -1;
	}
	off = (size_t)snprintf(
	    err, errlen, "ambiguous command '%s', could be:", show);
	for (i = 0; i < TALK_NCMDS && off < errlen; i++) {
		if (talk_cmds[i].help != NULL &&
		    talk_cmds[i].kind != SENDLINE_TEXT &&
		    strncmp(talk_cmds[i].name, word, len) == 0 &&
		    talk_first_of_name(i))
			off += (size_t)snprintf(
			    err + off, errlen - off, " %s", talk_cmds[i].name);
	}
	return -1;
}

static int
talk_name_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

size_t
talk_names(unsigned room, const char **names, size_t size)
{
	size_t i, k, n = 0;

	for (i = 0; i < TALK_NCMDS && n < size; i++) {
		if ((talk_cmds[i].rooms & room) == 0 ||
		    talk_cmds[i].kind == SENDLINE_TEXT)
			continue;
		for (k = 0; k < n && strcmp(names[k], talk_cmds[i].name); k++)
			;
		if (k == n)
			names[n++] = talk_cmds[i].name;
	}
	qsort(names, n, sizeof names[0], talk_name_cmp);
	names[n] = NULL;
	return n;
}

void
talk_help(const struct talk *t, FILE *fp)
{
	char usage[64];
	size_t i;

	fputs(t->cfg.help_head, fp);
	for (i = 0; i < TALK_NCMDS; i++) {
		if ((talk_cmds[i].rooms & t->cfg.room) == 0)
			continue;
		snprintf(usage, sizeof usage, "%s%s", talk_cmds[i].name,
		    talk_cmds[i].hint);
		fprintf(fp, "  %-*s%s\n", TALK_HELP_COLUMN, usage,
		    talk_cmds[i].help);
	}
	fputs(t->cfg.help_tail, fp);
}

void
talk_init(struct talk *t, const struct talk_config *cfg)
{
	memset(t, 0, sizeof *t);
	t->cfg = *cfg;
	talk_names(cfg->room, t->names, TALK_NAMES_MAX);
}

static void
talk_hold(struct talk *t)
{
	if (t->prompt != NULL)
		prompt_hold(t->prompt);
}

int
talk_repeating(const struct talk *t)
{
	return t->repeat_left > 0;
}

void
talk_repeat_stop(struct talk *t, const char *why)
{
	if (t->repeat_left == 0)
		return;
	talk_hold(t);
	log_warnx("/repeat %s: %llu of %llu sent", why,
	    t->repeat_count - t->repeat_left, t->repeat_count);
	t->repeat_left = 0;
}

static int
talk_do_text(struct talk *t, const struct sendline *c)
{
	t->cfg.ops->text(t->cfg.arg, c->arg, c->arglen, 0);
	return 0;
}

static int
talk_do_quit(struct talk *t, const struct sendline *c)
{
	(void)t;
	(void)c;
	return -1;
}

static int
talk_do_help(struct talk *t, const struct sendline *c)
{
	(void)c;
	talk_help(t, stdout);
	return 0;
}

static int
talk_do_hex(struct talk *t, const struct sendline *c)
{
	/* /hex spells exact bytes: no line end added. */
	t->cfg.ops->text(t->cfg.arg, c->arg, c->arglen, 1);
	return 0;
}

static int
talk_do_file(struct talk *t, const struct sendline *c)
{
	t->cfg.ops->file(t->cfg.arg, c->arg);
	return 0;
}

static int
talk_do_repeat(struct talk *t, const struct sendline *c)
{
	if (t->cfg.ops->repeat_load(t->cfg.arg, c) == -1)
		return 0;
	talk_repeat_stop(t, t->cfg.replaced);
	/* The prompt's timer sends it, so typing and ^C go on working. */
	t->repeat_count = t->repeat_left = c->count;
	clock_gettime(CLOCK_MONOTONIC, &t->repeat_due);
	return 0;
}

static int
talk_do_to(struct talk *t, const struct sendline *c)
{
	t->cfg.ops->to(t->cfg.arg, c);
	return 0;
}

static int
talk_do_ttl_tos(struct talk *t, const struct sendline *c)
{
	t->cfg.ops->ttl_tos(t->cfg.arg, c);
	return 0;
}

static int
talk_do_wait(struct talk *t, const struct sendline *c)
{
	t->cfg.ops->wait(t->cfg.arg, c);
	return 0;
}

static int
talk_do_stats(struct talk *t, const struct sendline *c)
{
	(void)c;
	t->cfg.ops->stats(t->cfg.arg);
	return 0;
}

int
talk_line(struct talk *t, char *line, size_t len)
{
	struct sendline c;
	char err[SENDLINE_ERRLEN];
	size_t i;

	if (t->cfg.ops->typed != NULL)
		t->cfg.ops->typed(t->cfg.arg);
	if (sendline_parse(line, len, talk_find, &c, err, sizeof err) == -1) {
		log_warnx("%s", err);
		return 0;
	}
	if (c.kind == SENDLINE_NONE) {
		/* In listen an empty line is an empty datagram, as from a pipe. */
		if (t->cfg.send_empty)
			t->cfg.ops->text(t->cfg.arg, c.arg, 0, 0);
		return 0;
	}
	for (i = 0; i < TALK_NCMDS; i++) {
		if (talk_cmds[i].kind == c.kind)
			return talk_cmds[i].run(t, &c);
	}
	return 0;
}

/* Prompt callbacks. */

static int
talk_on_line(void *arg, char *line, size_t len)
{
	return talk_line(arg, line, len);
}

static void
talk_on_ready(void *arg, int fd, short revents)
{
	struct talk *t = arg;

	t->cfg.ops->on_ready(t->cfg.arg, fd, revents);
}

/* Milliseconds until the next /repeat datagram is due, -1 for none. */
static int
talk_repeat_ms(const struct talk *t)
{
	struct timespec now;
	double ms;

	if (t->repeat_left == 0)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (double)(t->repeat_due.tv_sec - now.tv_sec) * 1e3 +
	    (double)(t->repeat_due.tv_nsec - now.tv_nsec) / 1e6;
	return ms <= 0 ? 0 : (int)ceil(ms);
}

static int
talk_timer_ms(void *arg)
{
	struct talk *t = arg;
	int a = talk_repeat_ms(t), b = -1;

	if (t->cfg.ops->timer_ms != NULL)
		b = t->cfg.ops->timer_ms(t->cfg.arg);
	if (a < 0 || (b >= 0 && b < a))
		return b;
	return a;
}

/*
 * Sends what of a /repeat is due: with an interval one datagram, then the
 * next is due an interval later; without, a batch, and the rest at once
 * after the prompt has had its turn.  A send error ends it.
 */
static void
talk_repeat_run(struct talk *t)
{
	long long ns;
	int i;

	for (i = 0; i < TALK_REPEAT_BATCH && t->repeat_left > 0; i++) {
		if (t->cfg.ops->repeat_send(t->cfg.arg) == -1) {
			talk_repeat_stop(t, "stopped by the send error");
			return;
		}
		t->repeat_left--;
		if (t->cfg.interval > 0)
			break;
	}
	ns = (long long)(t->cfg.interval * 1e9);
	t->repeat_due.tv_sec += ns / 1000000000;
	t->repeat_due.tv_nsec += ns % 1000000000;
	if (t->repeat_due.tv_nsec >= 1000000000) {
		t->repeat_due.tv_sec++;
		t->repeat_due.tv_nsec -= 1000000000;
	}
}

void
talk_tick(struct talk *t)
{
	if (t->cfg.ops->on_timer != NULL)
		t->cfg.ops->on_timer(t->cfg.arg);
	if (talk_repeat_ms(t) == 0)
		talk_repeat_run(t);
}

static void
talk_on_timer(void *arg)
{
	talk_tick(arg);
}

static void
talk_on_interrupt(void *arg, int empty)
{
	struct talk *t = arg;

	if (t->repeat_left > 0) {
		talk_repeat_stop(t, "stopped by ^C");
		return;
	}
	/* nc users press ^C to leave: say once how, then keep quiet. */
	if (empty && t->cfg.hint != NULL && !t->hinted) {
		t->hinted = 1;
		printf("%s\n", t->cfg.hint);
	}
}

struct prompt *
talk_open(struct talk *t)
{
	static const struct prompt_ops ops = {
	    .on_line = talk_on_line,
	    .on_ready = talk_on_ready,
	    .timer_ms = talk_timer_ms,
	    .on_timer = talk_on_timer,
	    .on_interrupt = talk_on_interrupt,
	};
	struct prompt_config cfg;

	memset(&cfg, 0, sizeof cfg);
	cfg.prog = "udptool";
	cfg.history = t->cfg.history;
	cfg.commands = t->names;
	cfg.fds[0] = t->cfg.fd;
	cfg.nfds = 1;
	cfg.ops = &ops;
	cfg.arg = t;
	t->prompt = prompt_open(&cfg);
	return t->prompt;
}

int
talk_run(struct talk *t)
{
	return prompt_run(t->prompt);
}

void
talk_close(struct talk *t)
{
	prompt_close(t->prompt);
	t->prompt = NULL;
}
