/* SPDX-License-Identifier: ISC */
/*
 * libFuzzer target for the output escapers: the JSON string writer must
 * always produce valid JSON, and terminal escaping must never let an ESC
 * or other control byte through.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Checks that s is one JSON string with only legal escapes and no raw controls. */
static void
check_json(const char *s, size_t len)
{
	size_t i;

	if (len < 2 || s[0] != '"' || s[len - 1] != '"')
		abort();
	for (i = 1; i < len - 1; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f)
			abort();
		if (c == '"')
			abort();
		if (c == '\\') {
			i++;
			if (i >= len - 1 || strchr("\"\\/bfnrtu", s[i]) == NULL)
				abort();
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = NULL;
	size_t len = 0, i;
	FILE *fp;

	fp = open_memstream(&buf, &len);
	if (fp == NULL)
		return 0;
	out_json_string(fp, (const char *)data, size);
	fflush(fp);
	check_json(buf, len);
	fclose(fp);
	free(buf);

	buf = NULL;
	fp = open_memstream(&buf, &len);
	if (fp == NULL)
		return 0;
	out_escape(fp, data, size);
	fflush(fp);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)buf[i];

		if (c < 0x20 || c == 0x7f)
			abort();
		/* C1 controls arrive as UTF-8 c2 80..9f; they must not pass. */
		if (c == 0xc2 && i + 1 < len &&
		    (unsigned char)buf[i + 1] >= 0x80 &&
		    (unsigned char)buf[i + 1] <= 0x9f)
			abort();
	}
	fclose(fp);
	free(buf);

	fp = fopen("/dev/null", "w");
	if (fp != NULL) {
		out_hexdump(fp, data, size, "  ");
		(void)out_is_text(data, size);
		fclose(fp);
	}
	return 0;
}
