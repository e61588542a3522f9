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

/*
 * One option of a command: its parsing, its --help line and its
 * completion (list-options) all come from this row.  val is the short
 * letter, or a value above 255 for an option with only a long name.
 */
struct cmd_opt {
	int val; /* what cmd_getopt() returns */
	const char *name; /* long name, or NULL for a short option only */
	int has_arg; /* no_argument or required_argument */
	const char *arg; /* the value's name in --help: "N", "SECONDS" */
	const char *help; /* description; '\n' continues it on a new line */
};

/* A row's val for another long name of option v (listen --epoch). */
#define CMD_OPT_ALIAS(v) ((v) | CMD_OPT_ALIAS_BIT)
#define CMD_OPT_ALIAS_BIT 0x10000
#define CMD_OPT_MAX 48 /* rows in one table, -h/--help included */

struct cmd_entry {
	const char *name;
	const char *usage; /* one line after "udptool NAME " */
	const char *summary; /* one line for "udptool help" */
	const char *help; /* free text before the option list in --help */
	const struct cmd_opt *options; /* ended by a row with val 0 */
	const char *notes; /* free text after the option list in --help */
	int (*exec)(struct cmd_ctx *ctx, int argc, char **argv);
	int hidden;
};

struct cmd_ctx {
	const struct cmd_entry *entry;
	FILE *out; /* data */
	FILE *err; /* diagnostics */
	int argc; /* the command's arguments, argv[0] its name */
	char **argv;
	/* getopt_long's view of entry->options, built on first use. */
	struct option longopts[CMD_OPT_MAX + 1];
	char optstring[3 * CMD_OPT_MAX + 2];
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

struct addr_spec;

/*
 * Reads a server's one address from the words after the options:
 * [ADDRESS:]PORT, or ADDRESS PORT as two words.  Returns 0, or an exit
 * status after saying what is wrong (missing: with the usage).
 */
int cmd_server_address(
    struct cmd_ctx *ctx, int argc, char **argv, struct addr_spec *spec);

/* Handles the options every command shares (-h/--help); returns -1 if not one. */
int cmd_common_option(struct cmd_ctx *ctx, int ch);

/* Prints the global usage and the list of visible commands. */
void cmd_help_overview(FILE *fp);

/* Resets getopt so another command can parse a fresh argv. */
void cmd_getopt_reset(void);

/*
 * Builds getopt_long's optstring ("+" first, so a payload starting with
 * '-' stays a payload) and option array from a command's table, with
 * -h/--help added.  Returns 0, or -1 if a short letter or long name
 * appears twice or the table does not fit.
 */
int cmd_opt_build(const struct cmd_opt *options, struct option *longopts,
    size_t nlong, char *optstring, size_t size);

/* -h/--help: cmd_opt_build(), --help and list-options add it to every table. */
extern const struct cmd_opt cmd_opt_help;

/* Returns the row's own short letter, or 0 (long name only, or an alias). */
int cmd_opt_letter(const struct cmd_opt *o);

/* Returns getopt_long()'s next option for the command's table. */
int cmd_getopt(struct cmd_ctx *ctx, int argc, char **argv);

/*
 * Parses an option's whole number in [min, max] (flags as num_int(), or
 * CMD_NUM_SIZE for K, M and G suffixes); returns 0, or -1 after saying
 * "invalid WHAT 'VALUE' (MIN-MAX)".
 */
int cmd_opt_int(struct cmd_ctx *ctx, const char *what, const char *arg,
    long long min, long long max, int flags, long long *out);

#define CMD_NUM_SIZE 0x100 /* cmd_opt_int(): a size with K, M or G */

/*
 * Parses an option's seconds in [min, max] (flags as num_seconds());
 * returns 0, or -1 after saying "invalid WHAT 'VALUE' (seconds, RANGE)".
 */
int cmd_opt_seconds(struct cmd_ctx *ctx, const char *what, const char *arg,
    double min, double max, int flags, double *out);

#endif
