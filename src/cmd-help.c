/* SPDX-License-Identifier: ISC */
/*
 * "udptool help [COMMAND]" and the hidden listings that completions and
 * tests read, all driven by the command table.
 */
#include "config.h"

#include <sys/wait.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "errmsg.h"
#include "udptool.h"

void
cmd_help_overview(FILE *fp)
{
	const struct cmd_entry **e;

	fputs("usage: udptool [-hV] command [options] [arguments]\n\n"
	      "A toolkit for UDP: servers, clients, name and port lookup,\n"
	      "netmask arithmetic and ping, in one binary.\n\n"
	      "Commands:\n",
	    fp);
	for (e = cmd_table; *e != NULL; e++) {
		if (!(*e)->hidden)
			fprintf(fp, "  %-13s %s\n", (*e)->name, (*e)->summary);
	}
	fputs("\nOptions:\n"
	      "  -h, --help     show this help\n"
	      "  -V, --version  show the version\n\n"
	      "A unique prefix selects a command.  'udptool help COMMAND' or\n"
	      "'udptool COMMAND --help' describes one.\n"
	      "Exit status: 0 success, 1 negative answer (no reply, timeout,\n"
	      "refused, not found), 2 usage or local error.\n",
	    fp);
}

/* Shows the installed man page on a terminal; returns 0 if it did. */
static int
cmd_help_man(const char *name)
{
	char page[64];
	pid_t pid;
	int status, devnull;

	if (!isatty(STDOUT_FILENO) || getenv("UDPTOOL_NO_MAN") != NULL)
		return -1;
	snprintf(page, sizeof page, "udptool-%s", name);
	pid = fork();
	if (pid == -1)
		return -1;
	if (pid == 0) {
		devnull = open("/dev/null", O_WRONLY);
		if (devnull != -1) {
			dup2(devnull, STDOUT_FILENO);
			dup2(devnull, STDERR_FILENO);
		}
		execlp("man", "man", "-w", page, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) == -1 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		return -1;
	fflush(stdout);
	pid = fork();
	if (pid == -1)
		return -1;
	if (pid == 0) {
		execlp("man", "man", page, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) == -1 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		return -1;
	return 0;
}

static int
cmd_help_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry *entry;
	char show[256];
	int ambiguous;

	if (argc > 2)
		return cmd_usage_error(ctx, "too many arguments");
	if (argc == 2 &&
	    (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		cmd_help(ctx->entry, stdout);
		return UT_EXIT_OK;
	}
	if (argc == 2) {
		entry = cmd_find(argv[1], &ambiguous);
		if (entry == NULL || entry->hidden) {
			fprintf(stderr,
			    "udptool: help: %s command '%s' "
			    "(try 'udptool help' for the list)\n",
			    ambiguous ? "ambiguous" : "unknown",
			    errmsg_quote(argv[1], show, sizeof show));
			return UT_EXIT_ERROR;
		}
		if (cmd_help_man(entry->name) == 0)
			return UT_EXIT_OK;
		cmd_help(entry, stdout);
		return UT_EXIT_OK;
	}
	cmd_help_overview(stdout);
	return UT_EXIT_OK;
}

static int
cmd_list_commands_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry **e;
	int all = argc > 1 && strcmp(argv[1], "--all") == 0;

	for (e = cmd_table; *e != NULL; e++) {
		if (!(*e)->hidden || all)
			printf("%s\t%s\n", (*e)->name, (*e)->summary);
	}
	return UT_EXIT_OK;
}

/* Returns the length of the first run of spaces at p, up to end. */
static size_t
cmd_help_spaces(const char *p, const char *end)
{
	const char *q = p;

	while (q < end && *q == ' ')
		q++;
	return q - p;
}

/*
 * Returns where the first run of two or more spaces after the option at
 * line + indent ends (the description, when the line has one), or end.
 */
static const char *
cmd_help_after_option(const char *p, const char *end)
{
	size_t n;

	for (; p < end; p++) {
		n = cmd_help_spaces(p, end);
		if (n >= 2)
			return p + n;
	}
	return end;
}

/* Returns 1 if the line is an option line: indented, then '-'. */
static int
cmd_help_is_option_line(const char *line, const char *end)
{
	size_t indent = cmd_help_spaces(line, end);

	return indent > 0 && line + indent < end && line[indent] == '-';
}

#define CMD_HELP_MAXCOL 64

/*
 * Returns the column where the descriptions of a --help option list start:
 * the most common start of the text after the option column.  A line whose
 * option and argument fill the column up to one space ("-M, --pmtudisc=do|dont
 * set ...") still has its description at that column.
 */
static size_t
cmd_help_desc_column(const char *help)
{
	size_t count[CMD_HELP_MAXCOL] = {0}, col, best = 0;
	const char *line, *end;

	for (line = help; *line != '\0'; line = *end != '\0' ? end + 1 : end) {
		end = line + strcspn(line, "\n");
		if (!cmd_help_is_option_line(line, end))
			continue;
		col = cmd_help_after_option(
			  line + cmd_help_spaces(line, end), end) -
		    line;
		if (col < CMD_HELP_MAXCOL && line + col < end)
			count[col]++;
	}
	for (col = 1; col < CMD_HELP_MAXCOL; col++) {
		if (count[col] > count[best])
			best = col;
	}
	return best;
}

/* Returns 1 if the option column [p, end) names the option tok. */
static int
cmd_help_names(const char *p, const char *end, const char *tok)
{
	size_t len = strlen(tok);
	const char *q;

	for (q = p; q + len <= end; q++) {
		if (strncmp(q, tok, len) != 0 || (q > p && q[-1] != ' '))
			continue;
		if (q + len == end || strchr(" ,=[", q[len]) != NULL)
			return 1;
	}
	return 0;
}

/*
 * Finds the description of the option named tok ("--json" or "-j") in a
 * --help text: the text after the option column on the option's line, or
 * on the next line when the option fills its own.  Sets *desc and returns
 * its length, or returns 0.
 */
static size_t
cmd_help_describe(const char *help, const char *tok, const char **desc)
{
	size_t col = cmd_help_desc_column(help), len;
	const char *line, *end, *opt, *p, *next;

	for (line = help; *line != '\0'; line = *end != '\0' ? end + 1 : end) {
		end = line + strcspn(line, "\n");
		if (!cmd_help_is_option_line(line, end))
			continue;
		opt = line + cmd_help_spaces(line, end);
		if (col > 0 && line + col < end && line[col - 1] == ' ' &&
		    line[col] != ' ' && opt < line + col)
			p = line + col;
		else
			p = cmd_help_after_option(opt, end);
		if (!cmd_help_names(opt, p, tok))
			continue;
		if (p == end && *end == '\n') {
			next = end + 1;
			end = next + strcspn(next, "\n");
			if (cmd_help_is_option_line(next, end))
				return 0;
			p = next + cmd_help_spaces(next, end);
		}
		len = end - p;
		while (len > 0 && p[len - 1] == ' ')
			len--;
		*desc = p;
		return len;
	}
	return 0;
}

/*
 * Prints one line per long option: "--name" ("--name=" when it takes a
 * value), a tab, its short form if it has one, a tab, and its description
 * from the command's --help text (so the two cannot drift; empty if the
 * help text does not list the option).  Completions read the first column
 * for names and the third for descriptions.
 */
static int
cmd_list_options_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry *entry;
	const struct option *o;
	char show[256];
	const char *help, *desc = "";
	char tok[64];
	size_t len;
	int ambiguous;

	if (argc != 2)
		return cmd_usage_error(ctx, "expected one command name");
	entry = cmd_find(argv[1], &ambiguous);
	if (entry == NULL) {
		fprintf(stderr, "udptool: list-options: unknown command '%s'\n",
		    errmsg_quote(argv[1], show, sizeof show));
		return UT_EXIT_ERROR;
	}
	help = entry->help != NULL ? entry->help : "";
	for (o = entry->longopts; o != NULL && o->name != NULL; o++) {
		printf("--%s%s\t", o->name,
		    o->has_arg == required_argument ? "=" : "");
		if (o->flag == NULL && o->val > ' ' && o->val < 127)
			printf("-%c", o->val);
		snprintf(tok, sizeof tok, "--%s", o->name);
		len = cmd_help_describe(help, tok, &desc);
		if (len == 0 && o->flag == NULL && o->val > ' ' &&
		    o->val < 127) {
			snprintf(tok, sizeof tok, "-%c", o->val);
			len = cmd_help_describe(help, tok, &desc);
		}
		/* cmd.c adds --help to every command; few texts list it. */
		if (len == 0 && strcmp(o->name, "help") == 0) {
			desc = "show this help";
			len = strlen(desc);
		}
		printf("\t%.*s\n", (int)len, desc);
	}
	return UT_EXIT_OK;
}

const struct cmd_entry cmd_help_entry = {
    .name = "help",
    .usage = "[command]",
    .summary = "describe udptool or one of its commands",
    .help =
	"Shows the command's manual page when installed and on a terminal,\n"
	"else its help text.\n",
    .exec = cmd_help_exec,
};

const struct cmd_entry cmd_list_commands_entry = {
    .name = "list-commands",
    .usage = "[--all]",
    .summary = "list commands (for completions)",
    .exec = cmd_list_commands_exec,
    .hidden = 1,
};

const struct cmd_entry cmd_list_options_entry = {
    .name = "list-options",
    .usage = "command",
    .summary = "list a command's long options (for completions)",
    .exec = cmd_list_options_exec,
    .hidden = 1,
};
