/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for the output module: text and JSON from the same calls,
 * JSON escaping, hexdump layout, terminal-safe escaping, colour rules.
 */
#include "config.h"

#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "output.h"

struct buf {
	char *data;
	size_t size;
	FILE *fp;
};

static int
setup(void **state)
{
	struct buf *b = calloc(1, sizeof *b);

	if (b == NULL)
		return -1;
	b->fp = open_memstream(&b->data, &b->size);
	*state = b;
	return b->fp == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	struct buf *b = *state;

	fclose(b->fp);
	free(b->data);
	free(b);
	return 0;
}

static const char *
contents(struct buf *b)
{
	fflush(b->fp);
	return b->data;
}

static void
reset(struct buf *b)
{
	fclose(b->fp);
	free(b->data);
	b->data = NULL;
	b->fp = open_memstream(&b->data, &b->size);
}

static void
fields(struct out *o)
{
	out_obj_open(o, NULL);
	out_str(o, "name", "name %s\n", "a\"b");
	out_uint(o, "count", "count %llu\n", 42);
	out_int(o, "delta", "delta %lld\n", -3);
	out_double(o, "rtt_ms", "rtt %.2f ms\n", 1.5);
	out_bool(o, "ok", "ok %s\n", 1);
	out_arr_open(o, "list");
	out_str(o, NULL, "item %s\n", "x");
	out_str(o, NULL, "item %s\n", "y");
	out_arr_close(o);
	out_null(o, "none");
	out_text(o, "text only\n");
	out_obj_close(o);
}

static void
test_same_calls(void **state)
{
	struct buf *b = *state;
	struct out o;

	out_init(&o, b->fp, 0);
	fields(&o);
	assert_string_equal(contents(b),
	    "name a\"b\ncount 42\ndelta -3\nrtt 1.50 ms\nok yes\n"
	    "item x\nitem y\ntext only\n");
	reset(b);
	out_init(&o, b->fp, 1);
	fields(&o);
	assert_string_equal(contents(b),
	    "{\"name\":\"a\\\"b\",\"count\":42,\"delta\":-3,\"rtt_ms\":1.5,"
	    "\"ok\":true,\"list\":[\"x\",\"y\"],\"none\":null}\n");
}

static void
test_json_escape(void **state)
{
	struct buf *b = *state;

	out_json_string(b->fp, "q\"b\\n\n\t\r\x01\x7f", 10);
	assert_string_equal(
	    contents(b), "\"q\\\"b\\\\n\\n\\t\\r\\u0001\\u007f\"");
	reset(b);
	/* Valid UTF-8 passes; invalid bytes become U+FFFD, one per byte. */
	out_json_string(b->fp, "\xc3\xa9\xff\xc3(\xed\xa0\x80", 8);
	assert_string_equal(
	    contents(b), "\"\xc3\xa9\\ufffd\\ufffd(\\ufffd\\ufffd\\ufffd\"");
	reset(b);
	/* A NUL inside the data is kept, escaped. */
	out_json_string(b->fp, "a\0b", 3);
	assert_string_equal(contents(b), "\"a\\u0000b\"");
	reset(b);
	/* Overlong encodings are invalid. */
	out_json_string(b->fp, "\xc0\xaf", 2);
	assert_string_equal(contents(b), "\"\\ufffd\\ufffd\"");
}

static void
test_json_nan(void **state)
{
	struct buf *b = *state;
	struct out o;

	out_init(&o, b->fp, 1);
	out_obj_open(&o, NULL);
	out_double(&o, "x", NULL, 0.0 / 0.0);
	out_obj_close(&o);
	assert_string_equal(contents(b), "{\"x\":null}\n");
}

static void
test_hexdump(void **state)
{
	struct buf *b = *state;
	const uint8_t data[] = "Hello, UDP world\n\x00\xff";

	out_hexdump(b->fp, data, 19, NULL);
	assert_string_equal(contents(b),
	    "00000000  48 65 6c 6c 6f 2c 20 55  44 50 20 77 6f 72 6c 64  "
	    "|Hello, UDP world|\n"
	    "00000010  0a 00 ff                                          "
	    "|...|\n"
	    "00000013\n");
	reset(b);
	out_hexdump(b->fp, data, 0, "  ");
	assert_string_equal(contents(b), "  00000000\n");
}

static void
test_escape(void **state)
{
	struct buf *b = *state;
	const uint8_t in[] = "ok\n\t\\\x1b[2J\xc2\x9b\xc3\xa9\xff";

	out_escape(b->fp, in, sizeof in - 1);
	/* ESC and the C1 CSI never reach the terminal raw. */
	assert_string_equal(
	    contents(b), "ok\\n\\t\\\\\\x1b[2J\\xc2\\x9b\xc3\xa9\\xff");
	assert_true(out_is_text((const uint8_t *)"hi there\n", 9));
	assert_true(out_is_text((const uint8_t *)"\xc3\xa9t\xc3\xa9", 5));
	assert_false(out_is_text((const uint8_t *)"a\x1b", 2));
	assert_false(out_is_text((const uint8_t *)"a\0", 2));
	assert_false(out_is_text((const uint8_t *)"\xff", 1));
	assert_true(out_is_text((const uint8_t *)"", 0));
}

/* Escapes in (len bytes) with out_escape and compares with want. */
static void
escape_is(struct buf *b, const char *in, size_t len, const char *want)
{
	reset(b);
	out_escape(b->fp, (const uint8_t *)in, len);
	assert_string_equal(contents(b), want);
}

static void
test_escape_classes(void **state)
{
	struct buf *b = *state;

	escape_is(b, "\x1b[2J", 4, "\\x1b[2J");
	escape_is(b, "\a", 1, "\\x07");
	escape_is(b, "a\nb", 3, "a\\nb");
	escape_is(b, "a\rb", 3, "a\\rb");
	escape_is(b, "\x7f", 1, "\\x7f");
	/* C1: NEL and CSI. */
	escape_is(b, "\xc2\x85\xc2\x9b", 4, "\\xc2\\x85\\xc2\\x9b");
	/* U+202E RIGHT-TO-LEFT OVERRIDE: "txt<RLO>exe" would show "txtexe" backwards. */
	escape_is(b,
	    "txt\xe2\x80\xae"
	    "exe",
	    9,
	    "txt\\xe2\\x80\\xae"
	    "exe");
	/* U+202A..U+202D, U+2066..U+2069, U+061C. */
	escape_is(
	    b, "\xe2\x80\xaa\xe2\x80\xad", 6, "\\xe2\\x80\\xaa\\xe2\\x80\\xad");
	escape_is(
	    b, "\xe2\x81\xa6\xe2\x81\xa9", 6, "\\xe2\\x81\\xa6\\xe2\\x81\\xa9");
	escape_is(b, "\xd8\x9c", 2, "\\xd8\\x9c");
	/* U+200B ZERO WIDTH SPACE and U+200F RLM. */
	escape_is(b,
	    "a\xe2\x80\x8b"
	    "b\xe2\x80\x8f",
	    8,
	    "a\\xe2\\x80\\x8b"
	    "b\\xe2\\x80\\x8f");
	/* U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR. */
	escape_is(
	    b, "\xe2\x80\xa8\xe2\x80\xa9", 6, "\\xe2\\x80\\xa8\\xe2\\x80\\xa9");
	/* U+FEFF BYTE ORDER MARK. */
	escape_is(b,
	    "\xef\xbb\xbf"
	    "x",
	    4,
	    "\\xef\\xbb\\xbf"
	    "x");
	/* Invalid UTF-8: a lone lead byte, a cut sequence, a surrogate. */
	escape_is(b, "\xff\xe2\x80", 3, "\\xff\\xe2\\x80");
	escape_is(b, "\xed\xa0\x80", 3, "\\xed\\xa0\\x80");
	/* Ordinary UTF-8, Hebrew letters included, passes as it is. */
	escape_is(b, "caf\xc3\xa9 \xd7\xa9\xd7\x9c", 10,
	    "caf\xc3\xa9 \xd7\xa9\xd7\x9c");
}

static void
test_json_unicode(void **state)
{
	struct buf *b = *state;

	/* Valid JSON either way; escaped so a document on a terminal is safe. */
	out_json_string(b->fp,
	    "a\xe2\x80\xae"
	    "b\xe2\x80\x8b\xef\xbb\xbf\xc2\x9b",
	    13);
	assert_string_equal(contents(b), "\"a\\u202eb\\u200b\\ufeff\\u009b\"");
	reset(b);
	out_json_string(b->fp, "\xe2\x80\xa8\xe2\x81\xa6\xd8\x9c\xc3\xa9", 10);
	assert_string_equal(contents(b), "\"\\u2028\\u2066\\u061c\xc3\xa9\"");
}

static void
test_str_text_escaped(void **state)
{
	struct buf *b = *state;
	struct out o;
	char *tmp;

	/* A reverse name from a PTR record may hold any byte. */
	out_init(&o, b->fp, 0);
	out_str(&o, "reverse", "  %s\n", "evil\x1b[2J\xe2\x80\xae.test\n");
	out_str(&o, "reverse", "[%s]", "plain.test");
	out_str(&o, "reverse", "[%s]", NULL);
	assert_string_equal(contents(b),
	    "  evil\\x1b[2J\\xe2\\x80\\xae.test\\n\n[plain.test][-]");
	assert_string_equal(out_escaped("a\\b", &tmp), "a\\\\b");
	free(tmp);
	assert_string_equal(out_escaped("ok", &tmp), "ok");
	assert_null(tmp);
}

static void
test_hex(void **state)
{
	struct buf *b = *state;
	const uint8_t in[] = {0x00, 0xab, 0x10, 0xff};

	out_hex(b->fp, in, sizeof in);
	assert_string_equal(contents(b), "00ab10ff");
}

static void
test_color(void **state)
{
	struct buf *b = *state;
	struct out o;

	(void)state;
	/* A memory stream is not a terminal. */
	out_init(&o, b->fp, 0);
	assert_false(o.color);
	assert_string_equal(out_c(&o, OUT_C_BAD), "");
	setenv("NO_COLOR", "1", 1);
	assert_false(out_color_wanted(stdout, 0));
	unsetenv("NO_COLOR");
	assert_false(out_color_wanted(stdout, 1));
	o.color = 1;
	assert_string_equal(out_c(&o, OUT_C_RESET), "\033[0m");
}

static void
test_datagram(void **state)
{
	struct buf *b = *state;
	struct sockaddr_in from, to;
	struct out_dgram d;
	struct out o;
	const uint8_t payload[] = "hi\x01";

	memset(&from, 0, sizeof from);
	from.sin_family = AF_INET;
	from.sin_port = htons(4000);
	inet_pton(AF_INET, "127.0.0.1", &from.sin_addr);
	to = from;
	to.sin_port = htons(7);
	memset(&d, 0, sizeof d);
	d.from = (struct sockaddr *)&from;
	d.fromlen = sizeof from;
	d.to = (struct sockaddr *)&to;
	d.tolen = sizeof to;
	d.len = 3;
	d.caplen = 3;
	d.ttl = 64;
	d.tos = -1;
	d.rtt_ms = -1;

	out_init(&o, b->fp, 0);
	out_datagram(&o, OUT_FMT_TEXT, &d, payload);
	assert_string_equal(contents(b),
	    "127.0.0.1:4000 > 127.0.0.1:7 3 bytes ttl=64: hi\\x01\n");
	reset(b);
	out_init(&o, b->fp, 1);
	{
		/* Every event carries its time, RFC 3339 in UTC. */
		struct timespec ts = {1796089685, 759320123};

		d.ts = &ts;
		out_datagram(&o, OUT_FMT_JSON, &d, payload);
		d.ts = NULL;
	}
	assert_string_equal(contents(b),
	    "{\"type\":\"datagram\",\"time\":\"2026-12-01T01:48:05.759320Z\","
	    "\"timestamp\":1796089685.759320123,"
	    "\"from\":\"127.0.0.1:4000\",\"to\":\"127.0."
	    "0.1:7\","
	    "\"length\":3,\"truncated\":false,\"ttl\":64,\"hex\":\"686901\"}"
	    "\n");
	reset(b);
	{
		struct timespec ts = {1795300000, 123456789};

		d.ts = &ts;
		out_init(&o, b->fp, 1);
		out_datagram(&o, OUT_FMT_JSON, &d, payload);
		assert_non_null(
		    strstr(contents(b), "\"timestamp\":1795300000.123456789,"));
		d.ts = NULL;
		reset(b);
	}
	d.caplen = 2;
	d.truncated = 1;
	d.rtt_ms = 0.25;
	out_init(&o, b->fp, 0);
	out_datagram(&o, OUT_FMT_TEXT, &d, payload);
	assert_string_equal(contents(b),
	    "127.0.0.1:4000 > 127.0.0.1:7 3 bytes (truncated to 2) time=0.250 "
	    "ms "
	    "ttl=64: hi\n");
	reset(b);
	out_init(&o, b->fp, 0);
	out_datagram(&o, OUT_FMT_RAW, &d, payload);
	fflush(b->fp);
	assert_int_equal(b->size, 2);
	assert_memory_equal(b->data, "hi", 2);
	reset(b);
	out_init(&o, b->fp, 1);
	out_datagram(&o, OUT_FMT_JSON, &d, payload);
	assert_non_null(
	    strstr(contents(b), "\"truncated\":true,\"rtt_ms\":0.25"));
	assert_non_null(
	    strstr(contents(b), "\"hex\":\"6869\",\"text\":\"hi\"}"));
}

/* Times in RFC 3339, counts with their noun in the right number. */
static void
test_rfc3339_count(void **state)
{
	struct buf *b = *state;
	struct timespec ts = {0, 5000};
	struct out o;
	char t[40];

	assert_string_equal(
	    out_rfc3339(&ts, t, sizeof t), "1970-01-01T00:00:00.000005Z");
	ts.tv_sec = 1796089685;
	ts.tv_nsec = 999999999;
	assert_string_equal(
	    out_rfc3339(&ts, t, sizeof t), "2026-12-01T01:48:05.999999Z");
	assert_string_equal(out_plural(1, "byte", "bytes"), "byte");
	assert_string_equal(out_plural(0, "byte", "bytes"), "bytes");
	assert_string_equal(out_plural(2, "byte", "bytes"), "bytes");
	out_init(&o, b->fp, 0);
	out_count(&o, "n", "%llu %s, ", 1, "datagram", "datagrams");
	out_count(&o, "n", "%llu %s", 2, "datagram", "datagrams");
	assert_string_equal(contents(b), "1 datagram, 2 datagrams");
	reset(b);
	out_init(&o, b->fp, 1);
	out_event(&o, "summary", &ts);
	out_count(&o, "received", "%llu %s", 1, "datagram", "datagrams");
	out_obj_close(&o);
	assert_string_equal(contents(b),
	    "{\"type\":\"summary\",\"time\":\"2026-12-01T01:48:05.999999Z\","
	    "\"timestamp\":1796089685.999999999,\"received\":1}\n");
	reset(b);
	/* Without a time, the event gets the current one. */
	out_init(&o, b->fp, 1);
	out_event(&o, "stats", NULL);
	out_obj_close(&o);
	assert_non_null(strstr(contents(b), "\"time\":\"20"));
	assert_non_null(strstr(contents(b), "Z\",\"timestamp\":"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_same_calls, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_json_escape, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_json_nan, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_hexdump, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_escape, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_escape_classes, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_json_unicode, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_str_text_escaped, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_hex, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_color, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_datagram, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_rfc3339_count, setup, teardown),
	};

	return cmocka_run_group_tests_name("output", tests, NULL, NULL);
}
