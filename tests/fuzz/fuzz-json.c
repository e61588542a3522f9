/* SPDX-License-Identifier: ISC */
/*
 * libFuzzer target for the output escapers: the JSON string writer must
 * always produce valid JSON, and neither it, terminal escaping nor message
 * quoting may let a control, bidirectional or invisible character through.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "output.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * Aborts if s holds a raw byte below 0x20, DEL, or a valid UTF-8 sequence
 * errmsg_cp_safe() refuses (C1, bidirectional and invisible characters).
 */
static void
check_terminal(const char *s, size_t len)
{
	const uint8_t *p = (const uint8_t *)s;
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		if (p[i] < 0x20 || p[i] == 0x7f)
			abort();
		n = errmsg_utf8(p + i, len - i, &cp);
		if (n > 1 && !errmsg_cp_safe(cp))
			abort();
		i += n > 0 ? n : 1;
	}
}

/* Checks that s is one JSON string with only legal escapes and no raw controls. */
static void
check_json(const char *s, size_t len)
{
	size_t i;

	if (len < 2 || s[0] != '"' || s[len - 1] != '"')
		abort();
	check_terminal(s, len);
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
	char *buf = NULL, *str, q[512];
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
	check_terminal(buf, len);
	fclose(fp);
	free(buf);

	/* The message quoting, on the same bytes as one C string. */
	str = malloc(size + 1);
	if (str != NULL) {
		memcpy(str, data, size);
		str[size] = '\0';
		errmsg_quote(str, q, sizeof q);
		for (i = 0; q[i] != '\0'; i++) {
			if ((unsigned char)q[i] < 0x20 ||
			    (unsigned char)q[i] >= 0x7f)
				abort();
		}
		errmsg_sanitize(str, q, sizeof q);
		check_terminal(q, strlen(q));
		free(str);
	}

	fp = fopen("/dev/null", "w");
	if (fp != NULL) {
		out_hexdump(fp, data, size, "  ");
		(void)out_is_text(data, size);
		fclose(fp);
	}
	return 0;
}
