/* SPDX-License-Identifier: ISC */
/*
 * Diagnostics on stderr with the program and command name, so that a message
 * from a pipeline says where it came from.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "errmsg.h"
#include "log.h"

static const char *log_command;

void
log_set_command(const char *name)
{
	log_command = name;
}

static void log_vprint(int with_errno, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

static void
log_vprint(int with_errno, const char *fmt, va_list ap)
{
	char msg[1024], safe[2048];
	int saved = errno;

	/*
	 * Values are quoted by the callers (errmsg_quote); this is the net
	 * under them, so no control byte or bidirectional character reaches
	 * the terminal even from a message that forgot to quote.
	 */
	vsnprintf(msg, sizeof msg, fmt, ap);
	fflush(stdout);
	if (log_command != NULL)
		fprintf(stderr, "udptool: %s: ", log_command);
	else
		fputs("udptool: ", stderr);
	fputs(errmsg_sanitize(msg, safe, sizeof safe), stderr);
	if (with_errno)
		fprintf(stderr, ": %s", strerror(saved));
	fputc('\n', stderr);
	errno = saved;
}

void
log_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vprint(1, fmt, ap);
	va_end(ap);
}

void
log_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vprint(0, fmt, ap);
	va_end(ap);
}
