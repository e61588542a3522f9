/* SPDX-License-Identifier: ISC */
/*
 * What every command shares: exit statuses, the command table entry and the
 * run context handed to each command.
 */
#ifndef UDPTOOL_H
#define UDPTOOL_H

#include <getopt.h>
#include <stdio.h>

/* One exit status table for every command. */
#define UT_EXIT_OK 0 /* success */
#define UT_EXIT_NEGATIVE 1 /* no reply, timeout, refused, not found */
#define UT_EXIT_ERROR 2 /* usage or local error */

struct cmd_ctx;

struct cmd_entry {
	const char *name;
	const char *usage; /* one line after "udptool NAME " */
	const char *summary; /* one line for "udptool help" */
	const char *help; /* option list for "udptool NAME --help" */
	const struct option *longopts; /* for completions (list-options) */
	int (*exec)(struct cmd_ctx *ctx, int argc, char **argv);
	int hidden;
};

struct cmd_ctx {
	const struct cmd_entry *entry;
	FILE *out; /* data */
	FILE *err; /* diagnostics */
	int argc; /* the command's arguments, argv[0] its name */
	char **argv;
};

extern const struct cmd_entry *cmd_table[];

/* Returns the entry named exactly or by a unique prefix, or NULL (*ambiguous set when several match). */
const struct cmd_entry *cmd_find(const char *name, int *ambiguous);

/* Runs a command by name with argv[0] the command name; returns an exit status. */
int cmd_run(int argc, char **argv);

/* Prints "usage: udptool NAME USAGE" to fp. */
void cmd_usage(const struct cmd_entry *entry, FILE *fp);

/* Prints the command's full --help text to fp. */
void cmd_help(const struct cmd_entry *entry, FILE *fp);

/*
 * Reports a bad value in one line naming it (a missing or extra argument
 * adds the usage line) and returns UT_EXIT_ERROR.
 */
int cmd_usage_error(struct cmd_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Handles the options every command shares (-h/--help); returns -1 if not one. */
struct addr_spec;

/*
 * Reads a server's one address from the words after the options:
 * [ADDRESS:]PORT, or ADDRESS PORT as two words.  Returns 0, or an exit
 * status after saying what is wrong (missing: with the usage).
 */
int cmd_server_address(
    struct cmd_ctx *ctx, int argc, char **argv, struct addr_spec *spec);

int cmd_common_option(struct cmd_ctx *ctx, int ch);

/* Prints the global usage and the list of visible commands. */
void cmd_help_overview(FILE *fp);

/* Resets getopt so another command can parse a fresh argv. */
void cmd_getopt_reset(void);

/* Long options every command accepts; spliced into each command's list. */
#define CMD_HELP_OPTION                                                        \
	{                                                                      \
		"help", no_argument, NULL, 'h'                                 \
	}

#endif
