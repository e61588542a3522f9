/* SPDX-License-Identifier: ISC */
/*
 * Unit test helper: what a call writes on standard output or standard
 * error, read back as text.  Include after <cmocka.h>.
 */
#ifndef UDPTOOL_TEST_FDTEXT_H
#define UDPTOOL_TEST_FDTEXT_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define FDTEXT_MAX 1024 /* bytes kept of what was written */

/*
 * Runs fn(arg) with stream (stdout or stderr) going to a temporary file
 * and returns what it wrote there, NUL-terminated, to free.
 */
static inline char *
fdtext_run(FILE *stream, void (*fn)(void *), void *arg)
{
	FILE *tmp = tmpfile();
	char *text = calloc(1, FDTEXT_MAX);
	int fd = fileno(stream), saved;

	assert_non_null(tmp);
	assert_non_null(text);
	fflush(stream);
	saved = dup(fd);
	assert_true(saved >= 0);
	assert_true(dup2(fileno(tmp), fd) >= 0);
	fn(arg);
	fflush(stream);
	assert_true(dup2(saved, fd) >= 0);
	close(saved);
	rewind(tmp);
	(void)fread(text, 1, FDTEXT_MAX - 1, tmp);
	fclose(tmp);
	return text;
}

#endif
