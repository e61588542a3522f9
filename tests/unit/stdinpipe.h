/* SPDX-License-Identifier: ISC */
/*
 * Unit test helper: standard input from a pipe that holds a text and then
 * ends, for code that reads lines as from a pipe.  Include after <cmocka.h>.
 */
#ifndef UDPTOOL_TEST_STDINPIPE_H
#define UDPTOOL_TEST_STDINPIPE_H

#include <string.h>
#include <unistd.h>

/*
 * Makes standard input a pipe that holds text and then ends; returns the
 * descriptor for stdinpipe_end() to put the one before back.
 */
static inline int
stdinpipe_begin(const char *text)
{
	size_t len = strlen(text);
	int p[2], saved;

	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], text, len), (ssize_t)len);
	close(p[1]);
	saved = dup(STDIN_FILENO);
	assert_true(saved >= 0);
	assert_int_equal(dup2(p[0], STDIN_FILENO), STDIN_FILENO);
	close(p[0]);
	return saved;
}

/* Puts back the standard input stdinpipe_begin() saved. */
static inline void
stdinpipe_end(int saved)
{
	assert_int_equal(dup2(saved, STDIN_FILENO), STDIN_FILENO);
	close(saved);
}

#endif
