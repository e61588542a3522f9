/* SPDX-License-Identifier: ISC */
/*
 * Checks shared by the libFuzzer targets: what every error message and
 * every formatted string must look like, whatever the input was.
 */
#ifndef UDPTOOL_FUZZ_H
#define UDPTOOL_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * Aborts unless msg is a non-empty NUL-terminated line of printable ASCII
 * inside a buffer of size bytes: bad input is shown escaped, never raw.
 */
static inline void
fuzz_check_line(const char *msg, size_t size)
{
	size_t i;

	if (memchr(msg, '\0', size) == NULL || msg[0] == '\0')
		abort();
	for (i = 0; msg[i] != '\0'; i++) {
		if ((unsigned char)msg[i] < 0x20 ||
		    (unsigned char)msg[i] > 0x7e)
			abort();
	}
}

/* Returns a NUL-terminated copy of data (malloc), or NULL. */
static inline char *
fuzz_strndup(const unsigned char *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s != NULL) {
		memcpy(s, data, size);
		s[size] = '\0';
	}
	return s;
}

#endif
