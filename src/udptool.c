/* SPDX-License-Identifier: ISC */
/*
 * main(): global options, dispatch to the command table, and the one place
 * that exits, after checking that stdout really got its data.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "udptool.h"

static int
udptool_close_stdout(int status)
{
	/* A full disk is an error; a reader that went away is not. */
	if (fflush(stdout) == EOF || ferror(stdout)) {
		if (errno != EPIPE) {
			fprintf(stderr, "udptool: write error on standard output: %s\n",
			    strerror(errno));
			return UT_EXIT_ERROR;
		}
	}
	return status;
}

int
main(int argc, char **argv)
{
	const char *a;

	signal(SIGPIPE, SIG_IGN);
	if (argc < 2) {
		cmd_help_overview(stderr);
		return UT_EXIT_ERROR;
	}
	a = argv[1];
	if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
		cmd_help_overview(stdout);
		return udptool_close_stdout(UT_EXIT_OK);
	}
	if (strcmp(a, "-V") == 0 || strcmp(a, "--version") == 0) {
		printf("udptool %s\n", PACKAGE_VERSION);
#ifdef HAVE_LIBEDIT
		puts("prompt: libedit");
#else
		puts("prompt: plain line reading");
#endif
		return udptool_close_stdout(UT_EXIT_OK);
	}
	if (a[0] == '-') {
		fprintf(stderr, "udptool: unknown option '%s' "
		    "(options go after the command: udptool COMMAND --help)\n", a);
		return UT_EXIT_ERROR;
	}
	return udptool_close_stdout(cmd_run(argc - 1, argv + 1));
}
