/* SPDX-License-Identifier: ISC */
/*
 * The command table and what drives it: lookup by name or unique prefix,
 * dispatch, usage and help text.
 */
#include "config.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "errmsg.h"
#include "log.h"
#include "num.h"
#include "udptool.h"

extern const struct cmd_entry cmd_echo_serve_entry;
extern const struct cmd_entry cmd_help_entry;
extern const struct cmd_entry cmd_listen_entry;
extern const struct cmd_entry cmd_list_commands_entry;
extern const struct cmd_entry cmd_list_options_entry;
extern const struct cmd_entry cmd_lookup_port_entry;
extern const struct cmd_entry cmd_mask_entry;
extern const struct cmd_entry cmd_ping_entry;
extern const struct cmd_entry cmd_relay_entry;
extern const struct cmd_entry cmd_resolve_entry;
extern const struct cmd_entry cmd_send_entry;

/* Sorted by name; hidden entries serve completions and tests. */
const struct cmd_entry *cmd_table[] = {
    &cmd_echo_serve_entry,
    &cmd_help_entry,
    &cmd_listen_entry,
    &cmd_list_commands_entry,
    &cmd_list_options_entry,
    &cmd_lookup_port_entry,
    &cmd_mask_entry,
    &cmd_ping_entry,
    &cmd_relay_entry,
    &cmd_resolve_entry,
    &cmd_send_entry,
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

const struct cmd_opt cmd_opt_help = {
    'h', "help", no_argument, NULL, "show this help"};

int
cmd_opt_letter(const struct cmd_opt *o)
{
	if (o->val > ' ' && o->val < 127)
		return o->val;
	return 0;
}

/* Writes a row's option column ("-c, --count N") to buf; returns its length. */
static int
cmd_opt_column(const struct cmd_opt *o, char *buf, size_t size)
{
	char s[8] = "    ";

	if (cmd_opt_letter(o))
		snprintf(
		    s, sizeof s, "-%c%s", o->val, o->name != NULL ? ", " : "");
	return snprintf(buf, size, "%s%s%s%s%s", s, o->name != NULL ? "--" : "",
	    o->name != NULL ? o->name : "", o->arg != NULL ? " " : "",
	    o->arg != NULL ? o->arg : "");
}

#define CMD_HELP_COLUMN 28 /* descriptions start here at the latest */

/* Prints one row: the option column, then its description at col. */
static void
cmd_help_row_print(const struct cmd_opt *o, int col, FILE *fp)
{
	char opt[96];
	const char *p, *nl;
	int len;

	len = cmd_opt_column(o, opt, sizeof opt) + 2;
	fprintf(fp, "  %s", opt);
	if (len + 2 > col)
		fprintf(fp, "\n%*s", col, "");
	else
		fprintf(fp, "%*s", col - len, "");
	for (p = o->help; (nl = strchr(p, '\n')) != NULL; p = nl + 1)
		fprintf(fp, "%.*s\n%*s", (int)(nl - p), p, col, "");
	fprintf(fp, "%s\n", p);
}

/* Prints the option list of the command's table, -h/--help last. */
static void
cmd_help_options(const struct cmd_opt *options, FILE *fp)
{
	const struct cmd_opt *o;
	char opt[96];
	int col = 0, len;

	for (o = options; o->val != 0; o++) {
		len = cmd_opt_column(o, opt, sizeof opt) + 4;
		if (o->help != NULL && len > col && len <= CMD_HELP_COLUMN)
			col = len;
	}
	fputs("\nOptions:\n", fp);
	for (o = options; o->val != 0; o++) {
		if (o->help != NULL)
			cmd_help_row_print(o, col, fp);
	}
	cmd_help_row_print(&cmd_opt_help, col, fp);
}

void
cmd_help(const struct cmd_entry *entry, FILE *fp)
{
	fprintf(fp, "udptool %s: %s\n\n", entry->name, entry->summary);
	cmd_usage(entry, fp);
	if (entry->help != NULL)
		fprintf(fp, "\n%s", entry->help);
	if (entry->options != NULL)
		cmd_help_options(entry->options, fp);
	if (entry->notes != NULL)
		fprintf(fp, "\n%s", entry->notes);
	fputs("\nExit status: 0 success, 1 negative answer, 2 usage or local "
	      "error.\n",
	    fp);
	fprintf(fp, "See udptool-%s(1).\n", entry->name);
}

/*
 * Returns 1 if msg is about the shape of the command line (an argument
 * missing or too many), where the usage line helps; a message that quotes
 * a value is about that value.
 */
static int
cmd_is_shape_error(const char *msg)
{
	static const char *const shapes[] = {"missing ", "too many ",
	    "expected ", "take one ", "unexpected option"};
	size_t i;

	if (strchr(msg, '\'') != NULL)
		return 0;
	for (i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
		if (strncmp(msg, shapes[i], strlen(shapes[i])) == 0)
			return 1;
	}
	return 0;
}

int
cmd_server_address(
    struct cmd_ctx *ctx, int argc, char **argv, struct addr_spec *spec)
{
	char err[ADDR_ERRLEN], show[96];
	int used;

	if (argc == 0)
		return cmd_usage_error(
		    ctx, "missing [ADDRESS:]PORT to listen on");
	used = addr_parse_args(argc, (const char *const *)argv, ADDR_F_SERVER,
	    spec, err, sizeof err);
	if (used == -1) {
		log_warnx("%s", err);
		return UT_EXIT_ERROR;
	}
	if (argc > used) {
		log_warnx("too many arguments (expected [ADDRESS:]PORT or "
			  "ADDRESS PORT, got '%s')",
		    errmsg_quote(argv[used], show, sizeof show));
		return UT_EXIT_ERROR;
	}
	return 0;
}

int
cmd_usage_error(struct cmd_ctx *ctx, const char *fmt, ...)
{
	char msg[512], safe[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	fflush(stdout);
	/* A bad value gets one line naming it; a missing argument the usage too. */
	fprintf(stderr, "udptool: %s: %s\n", ctx->entry->name,
	    errmsg_sanitize(msg, safe, sizeof safe));
	if (cmd_is_shape_error(msg))
		cmd_usage(ctx->entry, stderr);
	return UT_EXIT_ERROR;
}

/* Returns 1 if the command takes opt (a short option letter or long value) with a required argument. */
static int
cmd_option_needs_value(const struct cmd_entry *entry, int opt)
{
	const struct cmd_opt *o;

	for (o = entry->options; o != NULL && o->val != 0; o++) {
		if ((o->val & ~CMD_OPT_ALIAS_BIT) == opt &&
		    o->has_arg == required_argument)
			return 1;
	}
	return 0;
}

int
cmd_common_option(struct cmd_ctx *ctx, int ch)
{
	const char *arg;
	char name[128], show[256];
	int needs;

	switch (ch) {
	case 'h':
		cmd_help(ctx->entry, stdout);
		return UT_EXIT_OK;
	case '?':
	case ':':
		/*
		 * getopt is silenced (opterr = 0) so that this is one line,
		 * and so that the option, quoted here, never reaches the
		 * terminal raw the way getopt's own message would print it.
		 */
		arg = optind > 0 && optind <= ctx->argc ? ctx->argv[optind - 1]
							: "?";
		fflush(stdout);
		needs = optopt != 0 &&
		    cmd_option_needs_value(ctx->entry, optopt) &&
		    (strncmp(arg, "--", 2) == 0 ||
			arg[strlen(arg) - 1] == optopt);
		if (arg[0] == '-' && arg[1] == '-')
			snprintf(name, sizeof name, "%.*s",
			    (int)strcspn(arg, "="), arg);
		else if (optopt != 0)
			snprintf(name, sizeof name, "-%c", optopt);
		else
			snprintf(name, sizeof name, "%s", arg);
		fprintf(stderr,
		    "udptool: %s: %s '%s'%s (see 'udptool %s --help')\n",
		    ctx->entry->name, needs ? "option" : "unknown option",
		    errmsg_quote(name, show, sizeof show),
		    needs ? " needs a value" : "", ctx->entry->name);
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
	/* cmd_common_option() reports bad options itself, in one line. */
	opterr = 0;
}

/* Adds one row to the getopt_long view; returns 0 or -1 (a duplicate). */
static int
cmd_opt_add(const struct cmd_opt *o, struct option *longopts, size_t *nl,
    size_t nlong, char *optstring, size_t *ns, size_t size)
{
	size_t i;

	if (cmd_opt_letter(o)) {
		if (strchr(optstring, o->val) != NULL || *ns + 3 >= size)
			return -1;
		optstring[(*ns)++] = (char)o->val;
		if (o->has_arg == required_argument)
			optstring[(*ns)++] = ':';
		optstring[*ns] = '\0';
	}
	if (o->name == NULL)
		return cmd_opt_letter(o) ? 0 : -1;
	for (i = 0; i < *nl; i++) {
		if (strcmp(longopts[i].name, o->name) == 0)
			return -1;
	}
	if (*nl + 1 >= nlong)
		return -1;
	longopts[*nl].name = o->name;
	longopts[*nl].has_arg = o->has_arg;
	longopts[*nl].flag = NULL;
	longopts[*nl].val = o->val & ~CMD_OPT_ALIAS_BIT;
	(*nl)++;
	return 0;
}

int
cmd_opt_build(const struct cmd_opt *options, struct option *longopts,
    size_t nlong, char *optstring, size_t size)
{
	const struct cmd_opt *o;
	size_t nl = 0, ns = 1;

	if (size < 2 || nlong < 1)
		return -1;
	strcpy(optstring, "+");
	for (o = options; o != NULL && o->val != 0; o++) {
		if (cmd_opt_add(
			o, longopts, &nl, nlong, optstring, &ns, size) == -1)
			return -1;
	}
	if (cmd_opt_add(&cmd_opt_help, longopts, &nl, nlong, optstring, &ns,
		size) == -1)
		return -1;
	memset(&longopts[nl], 0, sizeof longopts[nl]);
	return 0;
}

int
cmd_getopt(struct cmd_ctx *ctx, int argc, char **argv)
{
	if (ctx->optstring[0] == '\0' &&
	    cmd_opt_build(ctx->entry->options, ctx->longopts,
		sizeof ctx->longopts / sizeof ctx->longopts[0], ctx->optstring,
		sizeof ctx->optstring) == -1) {
		/* tests/unit/test-cmd checks every table; this cannot happen. */
		log_warnx("option table: a letter or name twice, or too many");
		abort();
	}
	return getopt_long(argc, argv, ctx->optstring, ctx->longopts, NULL);
}

/* Says "invalid WHAT 'VALUE' (RANGE)" as a usage error; returns -1. */
static int
cmd_opt_invalid(
    struct cmd_ctx *ctx, const char *what, const char *arg, const char *range)
{
	char show[256];

	cmd_usage_error(ctx, "invalid %s '%s' (%s)", what,
	    errmsg_quote(arg, show, sizeof show), range);
	return -1;
}

int
cmd_opt_int(struct cmd_ctx *ctx, const char *what, const char *arg,
    long long min, long long max, int flags, long long *out)
{
	const char *errstr;
	char range[96];
	int rc;

	if (flags & CMD_NUM_SIZE)
		rc = num_size(arg, min, max, out, &errstr);
	else
		rc = num_int(arg, min, max, flags, out, &errstr);
	if (rc == 0)
		return 0;
	if (flags & CMD_NUM_SIZE)
		snprintf(range, sizeof range,
		    "%lldK-%lldM bytes, K and M allowed", min >> 10, max >> 20);
	else if (max == LLONG_MAX)
		snprintf(range, sizeof range, "%lld or more", min);
	else
		snprintf(range, sizeof range, "%lld-%lld", min, max);
	return cmd_opt_invalid(ctx, what, arg, range);
}

int
cmd_opt_seconds(struct cmd_ctx *ctx, const char *what, const char *arg,
    double min, double max, int flags, double *out)
{
	const char *errstr;
	char range[96];

	if (num_seconds(arg, min, max, flags, out, &errstr) == 0)
		return 0;
	if ((flags & NUM_NONZERO) && min == 0)
		snprintf(
		    range, sizeof range, "seconds, more than 0 to %.15g", max);
	else
		snprintf(range, sizeof range, "seconds, %.15g-%.15g", min, max);
	return cmd_opt_invalid(ctx, what, arg, range);
}

int
cmd_run(int argc, char **argv)
{
	const struct cmd_entry *entry, **e;
	struct cmd_ctx ctx;
	char show[256];
	int ambiguous, status;

	entry = cmd_find(argv[0], &ambiguous);
	if (entry == NULL) {
		if (ambiguous) {
			fprintf(stderr,
			    "udptool: ambiguous command '%s', could be:",
			    errmsg_quote(argv[0], show, sizeof show));
			for (e = cmd_table; *e != NULL; e++) {
				if (!(*e)->hidden &&
				    strncmp((*e)->name, argv[0],
					strlen(argv[0])) == 0)
					fprintf(stderr, " %s", (*e)->name);
			}
			fputc('\n', stderr);
		} else {
			fprintf(stderr,
			    "udptool: unknown command '%s' "
			    "(try 'udptool help' for the list)\n",
			    errmsg_quote(argv[0], show, sizeof show));
		}
		return UT_EXIT_ERROR;
	}
	memset(&ctx, 0, sizeof ctx);
	ctx.entry = entry;
	ctx.out = stdout;
	ctx.err = stderr;
	ctx.argc = argc;
	ctx.argv = argv;
	log_set_command(entry->name);
	cmd_getopt_reset();
	status = entry->exec(&ctx, argc, argv);
	log_set_command(NULL);
	return status;
}
