/* SPDX-License-Identifier: ISC */
/*
 * The command table and what drives it: lookup by name or unique prefix,
 * dispatch, usage and help text.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "udptool.h"

extern const struct cmd_entry cmd_echo_serve_entry;
extern const struct cmd_entry cmd_help_entry;
extern const struct cmd_entry cmd_list_commands_entry;
extern const struct cmd_entry cmd_list_options_entry;
extern const struct cmd_entry cmd_listen_entry;

/* Sorted by name; hidden entries serve completions and tests. */
const struct cmd_entry *cmd_table[] = {
	&cmd_echo_serve_entry,
	&cmd_help_entry,
	&cmd_list_commands_entry,
	&cmd_list_options_entry,
	&cmd_listen_entry,
	NULL,
};

const struct cmd_entry *
cmd_find(const char *name, int *ambiguous)
{
	const struct cmd_entry **e, *found = NULL;
	size_t len = strlen(name);
	int matches = 0;

	*ambiguous = 0;
	if (len == 0)
		return NULL;
	for (e = cmd_table; *e != NULL; e++) {
		if (strcmp((*e)->name, name) == 0)
			return *e;
		if ((*e)->hidden)
			continue;
		if (strncmp((*e)->name, name, len) == 0) {
			found = *e;
			matches++;
		}
	}
	if (matches > 1) {
		*ambiguous = 1;
		return NULL;
	}
	return found;
}

void
cmd_usage(const struct cmd_entry *entry, FILE *fp)
{
	fprintf(fp, "usage: udptool %s %s\n", entry->name, entry->usage);
}

void
cmd_help(const struct cmd_entry *entry, FILE *fp)
{
	fprintf(fp, "udptool %s: %s\n\n", entry->name, entry->summary);
	cmd_usage(entry, fp);
	if (entry->help != NULL && entry->help[0] != '\0')
		fprintf(fp, "\n%s", entry->help);
	fputs("\nExit status: 0 success, 1 negative answer, 2 usage or local error.\n",
	    fp);
	fprintf(fp, "See udptool-%s(1).\n", entry->name);
}

int
cmd_usage_error(struct cmd_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "udptool: %s: ", ctx->entry->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	cmd_usage(ctx->entry, stderr);
	return UT_EXIT_ERROR;
}

int
cmd_common_option(struct cmd_ctx *ctx, int ch)
{
	switch (ch) {
	case 'h':
		cmd_help(ctx->entry, stdout);
		return UT_EXIT_OK;
	case '?':
	case ':':
		/* getopt has already named the bad option. */
		cmd_usage(ctx->entry, stderr);
		return UT_EXIT_ERROR;
	default:
		return -1;
	}
}

void
cmd_getopt_reset(void)
{
#ifdef __GLIBC__
	optind = 0;
#else
	optreset = 1;
	optind = 1;
#endif
	opterr = 1;
}

int
cmd_run(int argc, char **argv)
{
	const struct cmd_entry *entry, **e;
	struct cmd_ctx ctx;
	int ambiguous, status;

	entry = cmd_find(argv[0], &ambiguous);
	if (entry == NULL) {
		if (ambiguous) {
			fprintf(stderr, "udptool: ambiguous command '%s', could be:",
			    argv[0]);
			for (e = cmd_table; *e != NULL; e++) {
				if (!(*e)->hidden &&
				    strncmp((*e)->name, argv[0], strlen(argv[0])) == 0)
					fprintf(stderr, " %s", (*e)->name);
			}
			fputc('\n', stderr);
		} else {
			fprintf(stderr, "udptool: unknown command '%s' "
			    "(try 'udptool help' for the list)\n", argv[0]);
		}
		return UT_EXIT_ERROR;
	}
	memset(&ctx, 0, sizeof ctx);
	ctx.entry = entry;
	ctx.out = stdout;
	ctx.err = stderr;
	log_set_command(entry->name);
	cmd_getopt_reset();
	status = entry->exec(&ctx, argc, argv);
	log_set_command(NULL);
	return status;
}
