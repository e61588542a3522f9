/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for the command option tables: every command's table builds
 * (no letter or name twice), every usage line names what its table holds
 * and nothing else, and --help lays a table out as expected.
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

#include "udptool.h"

static const struct cmd_opt test_options[] = {
    {'c', "count", required_argument, "N", "stop after N"},
    {'D', "timestamps", no_argument, NULL, "epoch times"},
    {CMD_OPT_ALIAS('D'), "epoch", no_argument, NULL, NULL},
    {'4', NULL, no_argument, NULL, "IPv4 only"},
    {300, "long-only", required_argument, "SECONDS", "wait\nthis long"},
    {0, NULL, 0, NULL, NULL},
};

static const struct cmd_entry test_entry = {
    .name = "test",
    .usage = "[-4D] [-c count]",
    .summary = "a test",
    .help = "Before.\n",
    .options = test_options,
    .notes = "After.\n",
};

static void
test_every_table_builds(void **state)
{
	const struct cmd_entry **e;
	const struct cmd_opt *o;
	struct option longopts[CMD_OPT_MAX + 1];
	char optstring[3 * CMD_OPT_MAX + 2];

	(void)state;
	for (e = cmd_table; *e != NULL; e++) {
		if ((*e)->options == NULL)
			continue;
		if (cmd_opt_build((*e)->options, longopts, CMD_OPT_MAX + 1,
			optstring, sizeof optstring) != 0)
			fail_msg("%s: a letter or name twice", (*e)->name);
		for (o = (*e)->options; o->val != 0; o++) {
			/* A hidden row must be an alias, and a value has a name. */
			if (o->help == NULL && cmd_opt_letter(o) != 0)
				fail_msg(
				    "%s: -%c has no help", (*e)->name, o->val);
			if (o->help != NULL &&
			    (o->has_arg == required_argument) !=
				(o->arg != NULL))
				fail_msg("%s: %s: value and its name differ",
				    (*e)->name, o->name);
		}
	}
}

static void
test_build(void **state)
{
	struct option longopts[CMD_OPT_MAX + 1];
	char optstring[3 * CMD_OPT_MAX + 2];

	(void)state;
	assert_int_equal(cmd_opt_build(test_options, longopts, CMD_OPT_MAX + 1,
			     optstring, sizeof optstring),
	    0);
	assert_string_equal(optstring, "+c:D4h");
	assert_string_equal(longopts[0].name, "count");
	assert_int_equal(longopts[0].has_arg, required_argument);
	assert_int_equal(longopts[0].val, 'c');
	assert_string_equal(longopts[2].name, "epoch");
	assert_int_equal(longopts[2].val, 'D');
	assert_string_equal(longopts[3].name, "long-only");
	assert_int_equal(longopts[3].val, 300);
	assert_string_equal(longopts[4].name, "help");
	assert_null(longopts[5].name);
	/* Too small an array is an error, not an overflow. */
	assert_int_equal(cmd_opt_build(test_options, longopts, 3, optstring,
			     sizeof optstring),
	    -1);
	assert_int_equal(cmd_opt_build(test_options, longopts, CMD_OPT_MAX + 1,
			     optstring, 4),
	    -1);
}

static void
test_duplicates(void **state)
{
	static const struct cmd_opt letter[] = {
	    {'c', "count", required_argument, "N", "a"},
	    {'c', "cork", no_argument, NULL, "b"},
	    {0, NULL, 0, NULL, NULL},
	};
	static const struct cmd_opt name[] = {
	    {'c', "count", required_argument, "N", "a"},
	    {256, "count", no_argument, NULL, "b"},
	    {0, NULL, 0, NULL, NULL},
	};
	static const struct cmd_opt help[] = {
	    {'h', "hex", no_argument, NULL, "a"},
	    {0, NULL, 0, NULL, NULL},
	};
	struct option longopts[CMD_OPT_MAX + 1];
	char optstring[3 * CMD_OPT_MAX + 2];

	(void)state;
	assert_int_equal(cmd_opt_build(letter, longopts, CMD_OPT_MAX + 1,
			     optstring, sizeof optstring),
	    -1);
	assert_int_equal(cmd_opt_build(name, longopts, CMD_OPT_MAX + 1,
			     optstring, sizeof optstring),
	    -1);
	/* -h is every command's --help. */
	assert_int_equal(cmd_opt_build(help, longopts, CMD_OPT_MAX + 1,
			     optstring, sizeof optstring),
	    -1);
}

/*
 * Whether usage names letter c: in a cluster of flags ("[-46jv]") or as
 * an option with its value ("-c count").
 */
static int
usage_has_letter(const char *usage, int c)
{
	const char *p;
	size_t n;

	for (p = usage; (p = strstr(p, "[-")) != NULL; p += 2) {
		if (p[2] == '-')
			continue;
		n = strcspn(p + 2, "] ");
		if (p[2 + n] == ']' && memchr(p + 2, c, n) != NULL)
			return 1;
	}
	for (p = usage; (p = strchr(p, '-')) != NULL; p++) {
		if (p[1] == c && p[2] == ' ' && (p == usage || p[-1] != '-'))
			return 1;
	}
	return 0;
}

/*
 * Whether usage names long option name: "--name", relay's
 * "--[up-|down-]name" for up-name and down-name too, or send's catch-all
 * "[options]".
 */
static int
usage_has_name(const char *usage, const char *name)
{
	char want[64];

	if (strstr(usage, "[options]") != NULL)
		return 1;
	if (strncmp(name, "up-", 3) == 0)
		name += 3;
	else if (strncmp(name, "down-", 5) == 0)
		name += 5;
	snprintf(want, sizeof want, "--%s", name);
	if (strstr(usage, want) != NULL)
		return 1;
	snprintf(want, sizeof want, "]%s", name);
	return strstr(usage, want) != NULL;
}

/* The letters of one cluster "[-abc]" of usage must all be options of e. */
static void
usage_check_cluster(
    const struct cmd_entry *e, const char *p, size_t n, int *bad)
{
	const struct cmd_opt *o;
	size_t i;

	for (i = 0; i < n; i++) {
		for (o = e->options; o->val != 0; o++) {
			if (cmd_opt_letter(o) == p[i])
				break;
		}
		if (o->val == 0) {
			print_message(
			    "%s: usage names -%c, which is no option\n",
			    e->name, p[i]);
			(*bad)++;
		}
	}
}

static void
test_usage_matches_table(void **state)
{
	const struct cmd_entry **e;
	const struct cmd_opt *o;
	const char *u, *p;
	size_t n;
	int bad = 0;

	(void)state;
	for (e = cmd_table; *e != NULL; e++) {
		if ((*e)->options == NULL || (*e)->hidden)
			continue;
		u = (*e)->usage;
		for (o = (*e)->options; o->val != 0; o++) {
			/* An alias is named by the option it stands for. */
			if (o->help == NULL || (o->val & CMD_OPT_ALIAS_BIT))
				continue;
			if (cmd_opt_letter(o) != 0) {
				if (!usage_has_letter(u, o->val)) {
					print_message("%s: usage lacks -%c\n",
					    (*e)->name, o->val);
					bad++;
				}
			} else if (!usage_has_name(u, o->name)) {
				print_message("%s: usage lacks --%s\n",
				    (*e)->name, o->name);
				bad++;
			}
		}
		for (p = u; (p = strstr(p, "[-")) != NULL; p += 2) {
			n = strcspn(p + 2, "] ");
			if (p[2] != '-' && p[2 + n] == ']')
				usage_check_cluster(*e, p + 2, n, &bad);
		}
	}
	assert_int_equal(bad, 0);
}

static void
test_help_layout(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;

	(void)state;
	fp = open_memstream(&buf, &len);
	assert_non_null(fp);
	cmd_help(&test_entry, fp);
	fclose(fp);
	assert_string_equal(buf,
	    "udptool test: a test\n"
	    "\n"
	    "usage: udptool test [-4D] [-c count]\n"
	    "\n"
	    "Before.\n"
	    "\n"
	    "Options:\n"
	    "  -c, --count N            stop after N\n"
	    "  -D, --timestamps         epoch times\n"
	    "  -4                       IPv4 only\n"
	    "      --long-only SECONDS  wait\n"
	    "                           this long\n"
	    "  -h, --help               show this help\n"
	    "\n"
	    "After.\n"
	    "\n"
	    "Exit status: 0 success, 1 negative answer, 2 usage or local "
	    "error.\n"
	    "See udptool-test(1).\n");
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_table_builds),
	    cmocka_unit_test(test_build),
	    cmocka_unit_test(test_duplicates),
	    cmocka_unit_test(test_usage_matches_table),
	    cmocka_unit_test(test_help_layout),
	};

	return cmocka_run_group_tests_name("cmd", tests, NULL, NULL);
}
