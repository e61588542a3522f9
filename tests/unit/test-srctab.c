/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for the srctab module: lookup and insertion, LRU eviction at
 * the bound, IPv4-mapped keys, top senders and the token bucket.
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
#include <string.h>

#include <cmocka.h>

#include "srctab.h"

static void
key4(struct srctab_key *k, const char *s)
{
	struct sockaddr_in sin;

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	assert_int_equal(inet_pton(AF_INET, s, &sin.sin_addr), 1);
	assert_int_equal(srctab_key_from((struct sockaddr *)&sin, k), 0);
}

static void
key6(struct srctab_key *k, const char *s)
{
	struct sockaddr_in6 sin6;

	memset(&sin6, 0, sizeof sin6);
	sin6.sin6_family = AF_INET6;
	assert_int_equal(inet_pton(AF_INET6, s, &sin6.sin6_addr), 1);
	assert_int_equal(srctab_key_from((struct sockaddr *)&sin6, k), 0);
}

static void
test_init_bounds(void **state)
{
	struct srctab t;
	char err[128];

	assert_int_equal(srctab_init(&t, 0, 1, err, sizeof err), -1);
	assert_non_null(strstr(err, "'0'"));
	assert_int_equal(
	    srctab_init(&t, SRCTAB_MAX + 1, 1, err, sizeof err), -1);
	assert_int_equal(srctab_init(&t, 1, 1, err, sizeof err), 0);
	srctab_free(&t);
}

static void
test_get_and_find(void **state)
{
	struct srctab t;
	struct srctab_key a, b;
	struct srctab_entry *e, *e2;
	char err[128];
	int created;

	assert_int_equal(srctab_init(&t, 8, 42, err, sizeof err), 0);
	key4(&a, "192.0.2.1");
	key6(&b, "2001:db8::1");
	assert_null(srctab_find(&t, &a));
	e = srctab_get(&t, &a, &created);
	assert_true(created);
	e->dgrams = 5;
	e2 = srctab_get(&t, &a, &created);
	assert_false(created);
	assert_ptr_equal(e, e2);
	assert_int_equal(e2->dgrams, 5);
	e = srctab_get(&t, &b, &created);
	assert_true(created);
	assert_int_equal(e->dgrams, 0);
	assert_ptr_equal(srctab_find(&t, &b), e);
	assert_int_equal(t.used, 2);
	assert_int_equal(t.inserted, 2);
	srctab_free(&t);
}

static void
test_mapped_is_ipv4(void **state)
{
	struct srctab_key a, m;
	struct sockaddr_storage ss;
	struct sockaddr_un_like {
		sa_family_t family;
	} other = {AF_UNIX};

	key4(&a, "198.51.100.7");
	key6(&m, "::ffff:198.51.100.7");
	assert_int_equal(m.family, AF_INET);
	assert_memory_equal(&a, &m, sizeof a);
	assert_int_equal(
	    srctab_key_sockaddr(&m, &ss), sizeof(struct sockaddr_in));
	assert_int_equal(ss.ss_family, AF_INET);
	assert_int_equal(
	    srctab_key_from((struct sockaddr *)(void *)&other, &m), -1);
}

static void
test_lru_eviction(void **state)
{
	struct srctab t;
	struct srctab_key k[5];
	char err[128], s[32];
	int created, i;

	assert_int_equal(srctab_init(&t, 3, 7, err, sizeof err), 0);
	for (i = 0; i < 5; i++) {
		snprintf(s, sizeof s, "203.0.113.%d", i + 1);
		key4(&k[i], s);
	}
	srctab_get(&t, &k[0], &created);
	srctab_get(&t, &k[1], &created);
	srctab_get(&t, &k[2], &created);
	/* Touch 0 so that 1 is now the least recently used. */
	srctab_get(&t, &k[0], &created);
	assert_false(created);
	srctab_get(&t, &k[3], &created);
	assert_true(created);
	assert_int_equal(t.used, 3);
	assert_int_equal(t.evicted, 1);
	assert_null(srctab_find(&t, &k[1]));
	assert_non_null(srctab_find(&t, &k[0]));
	assert_non_null(srctab_find(&t, &k[2]));
	assert_non_null(srctab_find(&t, &k[3]));
	/* Next out is 2, then 0. */
	srctab_get(&t, &k[4], &created);
	assert_null(srctab_find(&t, &k[2]));
	srctab_get(&t, &k[1], &created);
	assert_true(created);
	assert_null(srctab_find(&t, &k[0]));
	assert_int_equal(t.evicted, 3);
	assert_int_equal(t.inserted, 6);
	srctab_free(&t);
}

static void
test_flood_stays_bounded(void **state)
{
	struct srctab t;
	struct srctab_key k;
	struct srctab_entry *e;
	char err[128];
	int created;
	uint32_t i, v;

	assert_int_equal(srctab_init(&t, 100, 99, err, sizeof err), 0);
	for (i = 0; i < 100000; i++) {
		memset(&k, 0, sizeof k);
		k.family = AF_INET6;
		v = i;
		memcpy(k.addr + 12, &v, 4);
		e = srctab_get(&t, &k, &created);
		assert_true(created);
		e->dgrams++;
	}
	assert_int_equal(t.used, 100);
	assert_int_equal(t.evicted, 100000 - 100);
	/* The last 100 are the ones left, each findable. */
	for (i = 100000 - 100; i < 100000; i++) {
		memset(&k, 0, sizeof k);
		k.family = AF_INET6;
		v = i;
		memcpy(k.addr + 12, &v, 4);
		assert_non_null(srctab_find(&t, &k));
	}
	srctab_free(&t);
}

static void
test_top(void **state)
{
	struct srctab t;
	struct srctab_key k;
	const struct srctab_entry *top[3];
	struct srctab_entry *e;
	char err[128], s[32];
	int created, i;
	static const uint64_t counts[6] = {3, 9, 1, 9, 4, 0};

	assert_int_equal(srctab_init(&t, 16, 1, err, sizeof err), 0);
	assert_int_equal(srctab_top(&t, top, 3), 0);
	for (i = 0; i < 6; i++) {
		snprintf(s, sizeof s, "192.0.2.%d", i);
		key4(&k, s);
		e = srctab_get(&t, &k, &created);
		e->dgrams = counts[i];
		e->bytes = (uint64_t)i;
	}
	assert_int_equal(srctab_top(&t, top, 3), 3);
	/* 9 and 9 tie on datagrams; more bytes (index 3) comes first. */
	assert_int_equal(top[0]->dgrams, 9);
	assert_int_equal(top[0]->bytes, 3);
	assert_int_equal(top[1]->dgrams, 9);
	assert_int_equal(top[1]->bytes, 1);
	assert_int_equal(top[2]->dgrams, 4);
	assert_int_equal(srctab_top(&t, top, 0), 0);
	srctab_free(&t);
}

static void
test_tbucket(void **state)
{
	struct tbucket b;
	uint64_t now = 1000000000ULL;
	int i, n = 0;

	tbucket_init(&b, 5, now);
	for (i = 0; i < 20; i++)
		n += tbucket_take(&b, 5, 5, now);
	assert_int_equal(n, 5);
	/* 0.1 s at 5/s is half a token: still nothing. */
	assert_int_equal(tbucket_take(&b, 5, 5, now + 100000000ULL), 0);
	/* Another 0.1 s completes one token. */
	assert_int_equal(tbucket_take(&b, 5, 5, now + 200000000ULL), 1);
	assert_int_equal(tbucket_take(&b, 5, 5, now + 200000000ULL), 0);
	/* A long pause refills only up to the burst. */
	now += 100ULL * 1000000000ULL;
	n = 0;
	for (i = 0; i < 20; i++)
		n += tbucket_take(&b, 5, 5, now);
	assert_int_equal(n, 5);
	/* A clock going backwards neither refills nor breaks later refills. */
	assert_int_equal(
	    tbucket_take(&b, 5, 5, now - 50ULL * 1000000000ULL), 0);
	assert_int_equal(tbucket_take(&b, 5, 5, now + 200000000ULL), 1);
	assert_int_equal(tbucket_take(&b, 5, 5, now + 200000000ULL), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_init_bounds),
	    cmocka_unit_test(test_get_and_find),
	    cmocka_unit_test(test_mapped_is_ipv4),
	    cmocka_unit_test(test_lru_eviction),
	    cmocka_unit_test(test_flood_stays_bounded),
	    cmocka_unit_test(test_top),
	    cmocka_unit_test(test_tbucket),
	};

	return cmocka_run_group_tests_name("srctab", tests, NULL, NULL);
}
