/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for the tally module: round-trip figures, what counts as
 * answered and timed out, and the summary fields in text and JSON.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <sys/socket.h>

#include <netinet/in.h>

#include "output.h"
#include "tally.h"

/* Writes t's summary fields as text or JSON; returns a string to free. */
static char *
render(const struct tally *t, int json)
{
	struct out o;
	char *data = NULL;
	size_t size = 0;
	FILE *fp = open_memstream(&data, &size);

	assert_non_null(fp);
	out_init(&o, fp, json);
	out_obj_open(&o, NULL);
	tally_out_counts(&o, t);
	tally_out_rtt(&o, t);
	out_obj_close(&o);
	fclose(fp);
	return data;
}

static void
test_rtt(void **state)
{
	struct tally t;

	(void)state;
	memset(&t, 0, sizeof t);
	tally_rtt(&t, 2.0);
	tally_rtt(&t, 0.5);
	tally_rtt(&t, 3.5);
	assert_int_equal(t.rtt_n, 3);
	assert_float_equal(t.rtt_min, 0.5, 1e-9);
	assert_float_equal(t.rtt_max, 3.5, 1e-9);
	assert_float_equal(t.rtt_sum, 6.0, 1e-9);
}

static void
test_answered(void **state)
{
	struct tally t;

	(void)state;
	memset(&t, 0, sizeof t);
	t.sent = 10;
	t.replies = 4;
	t.refused = 1;
	t.unreachable = 1;
	t.icmp_other = 1;
	assert_int_equal(tally_answered(&t), 7);
	assert_int_equal(tally_timed_out(&t), 3);
	/* Owed at exit is unanswered, not timed out. */
	t.unanswered = 2;
	assert_int_equal(tally_timed_out(&t), 1);
	t.unanswered = 5;
	assert_int_equal(tally_timed_out(&t), 0);
	/* More answers than datagrams (duplicates) never go negative. */
	t.unanswered = 0;
	t.replies = 20;
	assert_int_equal(tally_timed_out(&t), 0);
}

static void
test_text(void **state)
{
	struct tally t;
	char *s;

	(void)state;
	memset(&t, 0, sizeof t);
	t.sent = 3;
	t.sent_bytes = 15;
	t.replies = 1;
	t.recv_bytes = 5;
	t.refused = 1;
	s = render(&t, 0);
	assert_string_equal(
	    s, "3 sent (15 bytes), 1 reply, 1 refused, 1 timed out");
	free(s);
	t.sent = 1;
	t.sent_bytes = 1;
	t.replies = 2;
	t.refused = 0;
	t.unreachable = 1;
	t.icmp_other = 2;
	t.unanswered = 1;
	tally_rtt(&t, 1.0);
	tally_rtt(&t, 2.0);
	s = render(&t, 0);
	assert_string_equal(s,
	    "1 sent (1 byte), 2 replies, 0 refused, 1 unreachable, "
	    "2 other ICMP errors, 0 timed out, 1 unanswered, "
	    "rtt min/avg/max 1.000/1.500/2.000 ms");
	free(s);
}

static void
test_json(void **state)
{
	struct tally t;
	char *s;

	(void)state;
	memset(&t, 0, sizeof t);
	t.sent = 2;
	t.sent_bytes = 8;
	t.replies = 1;
	t.recv_bytes = 4;
	tally_rtt(&t, 0.25);
	s = render(&t, 1);
	assert_string_equal(s,
	    "{\"sent\":2,\"sent_bytes\":8,\"received\":1,"
	    "\"received_bytes\":4,\"refused\":0,\"unreachable\":0,"
	    "\"icmp_other\":0,\"timed_out\":1,\"unanswered\":0,"
	    "\"rtt_min_ms\":0.25,\"rtt_avg_ms\":0.25,\"rtt_max_ms\":0.25}\n");
	free(s);
}

/* Returns 127.0.0.1:port as a sockaddr_in. */
static struct sockaddr_in
loop4(unsigned port)
{
	struct sockaddr_in sin;

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(0x7f000001);
	sin.sin_port = htons((uint16_t)port);
	return sin;
}

static void
test_peers(void **state)
{
	static struct tally_peers tp;
	struct sockaddr_in a = loop4(7), b = loop4(9), c = loop4(11);
	struct out o;
	char *data = NULL;
	size_t size = 0;
	FILE *fp;

	(void)state;
	memset(&tp, 0, sizeof tp);
	assert_int_equal(
	    tally_peer_set(&tp, (struct sockaddr *)&a, sizeof a, "127.0.0.1:7"),
	    0);
	tally_peer_sent(&tp, 3, 10);
	tally_peer_reply(&tp, (struct sockaddr *)&a, 4, 2.0);
	assert_int_equal(
	    tally_peer_set(&tp, (struct sockaddr *)&b, sizeof b, "127.0.0.1:9"),
	    0);
	assert_int_equal(tp.n, 2);
	assert_int_equal(tp.cur, 1);
	tally_peer_sent(&tp, 1, 5);
	/* An error for a datagram to a counts against a, not the current. */
	tally_peer_error(
	    &tp, tally_peer_of(&tp, (struct sockaddr *)&a), ICMP_V_REFUSED);
	/* A reply from a stranger counts against the current peer. */
	tally_peer_reply(&tp, (struct sockaddr *)&c, 6, -1);
	assert_ptr_equal(tally_peer_of(&tp, NULL), &tp.peer[1]);
	assert_int_equal(tp.tot.sent, 4);
	assert_int_equal(tp.tot.sent_bytes, 35);
	assert_int_equal(tp.tot.replies, 2);
	assert_int_equal(tp.tot.refused, 1);
	assert_int_equal(tp.peer[0].c.refused, 1);
	assert_int_equal(tp.peer[1].c.replies, 1);
	assert_int_equal(tp.peer[1].c.recv_bytes, 6);
	assert_int_equal(tp.peer[0].c.rtt_n, 1);
	assert_int_equal(tp.peer[1].c.rtt_n, 0);
	/* Back to a known peer adds none. */
	assert_int_equal(
	    tally_peer_set(&tp, (struct sockaddr *)&a, sizeof a, "127.0.0.1:7"),
	    0);
	assert_int_equal(tp.n, 2);
	assert_int_equal(tp.cur, 0);

	fp = open_memstream(&data, &size);
	assert_non_null(fp);
	out_init(&o, fp, 0);
	tally_out_peers(&o, &tp, "127.0.0.1:7");
	fclose(fp);
	assert_non_null(
	    strstr(data, "    127.0.0.1:7: 3 sent (30 bytes), 1 reply"));
	assert_non_null(
	    strstr(data, "    127.0.0.1:9: 1 sent (5 bytes), 1 reply"));
	assert_non_null(strstr(data, "--- all peers: "));
	free(data);
}

static void
test_peers_bounded(void **state)
{
	static struct tally_peers tp;
	struct sockaddr_in a;
	unsigned i;
	int full = 0;

	(void)state;
	memset(&tp, 0, sizeof tp);
	for (i = 0; i < TALLY_PEERS_MAX + 5; i++) {
		a = loop4(1000 + i);
		full +=
		    tally_peer_set(&tp, (struct sockaddr *)&a, sizeof a, "x");
		tally_peer_sent(&tp, 1, 1);
	}
	/* Said once; the last entry sums the rest. */
	assert_int_equal(full, 1);
	assert_int_equal(tp.n, TALLY_PEERS_MAX);
	assert_string_equal(tp.peer[TALLY_PEERS_MAX - 1].name, "other");
	assert_int_equal(tp.peer[TALLY_PEERS_MAX - 1].c.sent, 6);
	assert_int_equal(tp.peer[0].c.sent, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rtt),
	    cmocka_unit_test(test_answered),
	    cmocka_unit_test(test_text),
	    cmocka_unit_test(test_json),
	    cmocka_unit_test(test_peers),
	    cmocka_unit_test(test_peers_bounded),
	};

	return cmocka_run_group_tests_name("tally", tests, NULL, NULL);
}
