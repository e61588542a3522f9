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

/*
 * Prints one line per long option: "--name" ("--name=" when it takes a
 * value), a tab, its short form if it has one, a tab, and its description
 * from the command's option table, where --help takes it from too, its
 * lines joined by spaces (shells cut descriptions at the terminal's width
 * themselves).  Completions read the first column for names and the third
 * for descriptions.
 */
static int
cmd_list_options_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry *entry;
	const struct cmd_opt *o;
	const char *h;
	char show[256];
	int ambiguous;

	if (argc != 2)
		return cmd_usage_error(ctx, "expected one command name");
	entry = cmd_find(argv[1], &ambiguous);
	if (entry == NULL) {
		fprintf(stderr, "udptool: list-options: unknown command '%s'\n",
		    errmsg_quote(argv[1], show, sizeof show));
		return UT_EXIT_ERROR;
	}
	if (entry->options == NULL)
		return UT_EXIT_OK;
	for (o = entry->options;; o++) {
		if (o->val == 0)
			o = &cmd_opt_help;
		if (o->name != NULL && o->help != NULL) {
			printf("--%s%s\t", o->name,
			    o->has_arg == required_argument ? "=" : "");
			if (cmd_opt_letter(o) != 0)
				printf("-%c", o->val);
			putchar('\t');
			for (h = o->help; *h != '\0'; h++)
				putchar(*h == '\n' ? ' ' : *h);
			putchar('\n');
		}
		if (o == &cmd_opt_help)
			break;
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
