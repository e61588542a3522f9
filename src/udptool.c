/* SPDX-License-Identifier: ISC */
/*
 * main(): global options, dispatch to the command table, and the one place
 * that exits, after checking that stdout really got its data.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "output.h"
#include "priv.h"
#include "udptool.h"

static int
udptool_close_stdout(int status)
{
	/* A full disk is an error; a reader that went away is not. */
	if (out_stdout_flush() == -1 && errno != EPIPE)
		return UT_EXIT_ERROR;
	return status;
}

/*
 * Keeps descriptors 0, 1 and 2 taken.  With stdout closed, the first
 * socket would become descriptor 1 and everything printed would be sent
 * to the peer.  /dev/null opened the other way round holds the number and
 * still fails every use (EBADF), as the closed descriptor would have.
 */
static int
udptool_hold_stdio(void)
{
	int fd;

	for (fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
			continue;
		/* The lowest free number: fd itself, the ones below are open. */
		if (open("/dev/null", fd == 0 ? O_WRONLY : O_RDONLY) != fd)
			return -1;
	}
	return 0;
}

/*
 * A setuid or file-capability copy gives its privileges up here, before
 * any command reads a file, the environment or the network: only ping,
 * which drops them itself once its socket is open, keeps them.  The
 * command is found as cmd_run() will find it, unique prefixes included.
 * Privileges the caller had already (root, ambient capabilities) are the
 * caller's to use and stay.  Returns 0, or -1 after a one-line message.
 */
static int
udptool_drop_privileges(int argc, char **argv)
{
	const struct cmd_entry *entry = NULL;
	char err[160];
	int ambiguous;

	if (argc >= 2 && argv[1][0] != '-')
		entry = cmd_find(argv[1], &ambiguous);
	if (entry != NULL && strcmp(entry->name, "ping") == 0)
		return 0;
	if (!priv_borrowed())
		return 0;
	if (priv_drop() == -1) {
		fprintf(stderr, "udptool: cannot drop privileges: %s\n",
		    strerror(errno));
		return -1;
	}
	if (priv_verify(err, sizeof err) == -1) {
		fprintf(stderr,
		    "udptool: privileges still held after dropping them: "
		    "%s\n",
		    err);
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	const char *a;
	char show[256];

	if (udptool_hold_stdio() == -1)
		return UT_EXIT_ERROR;
	if (udptool_drop_privileges(argc, argv) == -1)
		return UT_EXIT_ERROR;
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
		printf("privileges: %s\n", priv_backend());
		return udptool_close_stdout(UT_EXIT_OK);
	}
	if (a[0] == '-') {
		fprintf(stderr,
		    "udptool: unknown option '%s' "
		    "(options go after the command: udptool COMMAND --help)\n",
		    errmsg_quote(a, show, sizeof show));
		return UT_EXIT_ERROR;
	}
	return udptool_close_stdout(cmd_run(argc - 1, argv + 1));
}
