/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for the services module: lookup-port's argument syntax, the
 * IANA ranges at their edges, the ephemeral range text and the built-in table.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "services.h"

static void
test_query_good(void **state)
{
	struct services_query q;
	char err[320];

	(void)state;
	assert_int_equal(
	    services_parse_query("domain", "udp", &q, err, sizeof err), 0);
	assert_string_equal(q.name, "domain");
	assert_int_equal(q.port, -1);
	assert_string_equal(q.proto, "udp");

	assert_int_equal(
	    services_parse_query("53", "tcp", &q, err, sizeof err), 0);
	assert_string_equal(q.name, "");
	assert_int_equal(q.port, 53);
	assert_string_equal(q.proto, "tcp");

	assert_int_equal(
	    services_parse_query("53/tcp", "udp", &q, err, sizeof err), 0);
	assert_int_equal(q.port, 53);
	assert_string_equal(q.proto, "tcp");

	assert_int_equal(
	    services_parse_query("www/tcp", "udp", &q, err, sizeof err), 0);
	assert_string_equal(q.name, "www");
	assert_string_equal(q.proto, "tcp");

	/* The edges of the port space are ports, not errors. */
	assert_int_equal(
	    services_parse_query("0", "udp", &q, err, sizeof err), 0);
	assert_int_equal(q.port, 0);
	assert_int_equal(
	    services_parse_query("65535/udp", "tcp", &q, err, sizeof err), 0);
	assert_int_equal(q.port, 65535);
	assert_int_equal(
	    services_parse_query("00053", "udp", &q, err, sizeof err), 0);
	assert_int_equal(q.port, 53);
	assert_int_equal(
	    services_parse_query("x11-1", "udp", &q, err, sizeof err), 0);
	assert_string_equal(q.name, "x11-1");
}

struct bad {
	const char *input;
	const char *message;
};

static const struct bad bads[] = {
    {"65536", "invalid port '65536' (0-65535)"},
    {"99999", "invalid port '99999' (0-65535)"},
    {"000000053", "invalid port '000000053' (0-65535)"},
    {"-1", "invalid port '-1' (0-65535 or a service name)"},
    {"+53", "invalid port '+53' (0-65535 or a service name)"},
    {"53x", "invalid port '53x' (0-65535 or a service name)"},
    {" 53", "invalid port ' 53' (0-65535 or a service name)"},
    {"do main", "invalid port 'do main' (0-65535 or a service name)"},
    {"", "missing service or port in ''"},
    {"/udp", "missing service or port in '/udp'"},
    {"53/", "invalid protocol '' in '53/' (udp or tcp)"},
    {"53/sctp", "invalid protocol 'sctp' in '53/sctp' (udp or tcp)"},
    {"53/UDP", "invalid protocol 'UDP' in '53/UDP' (udp or tcp)"},
    {"53/udp/tcp", "invalid protocol 'udp/tcp' in '53/udp/tcp' (udp or tcp)"},
    {"a-very-long-service-name-beyond-the-limit",
	"invalid port 'a-very-long-service-name-beyond-the-limit...'"},
    /* Found by fuzz-services: control bytes were echoed raw. */
    {"/tcu\xf7\xff\xff\xff\xff\xff"
     "cp",
	"missing service or port in '/tcu\\xf7\\xff\\xff\\xff\\xff\\xffcp'"},
    {"53/\x1b[2J", "invalid protocol '\\x1b[2J' in '53/\\x1b[2J' (udp or tcp)"},
    {"a-very-long-service-name\n-beyond-the-limit",
	"invalid port 'a-very-long-service-name\\x0a-beyond-the-limit...'"},
};

static void
test_query_bad(void **state)
{
	struct services_query q;
	char err[320];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bads / sizeof bads[0]; i++) {
		err[0] = '\0';
		if (services_parse_query(
			bads[i].input, "udp", &q, err, sizeof err) != -1)
			fail_msg("accepted '%s'", bads[i].input);
		if (strstr(err, bads[i].message) == NULL)
			fail_msg("'%s': got \"%s\", want \"%s\"", bads[i].input,
			    err, bads[i].message);
	}
}

static void
test_ranges(void **state)
{
	(void)state;
	assert_int_equal(services_range_of(0), SERVICES_WELL_KNOWN);
	assert_int_equal(services_range_of(1023), SERVICES_WELL_KNOWN);
	assert_int_equal(services_range_of(1024), SERVICES_REGISTERED);
	assert_int_equal(services_range_of(49151), SERVICES_REGISTERED);
	assert_int_equal(services_range_of(49152), SERVICES_DYNAMIC);
	assert_int_equal(services_range_of(65535), SERVICES_DYNAMIC);
	assert_string_equal(
	    services_range_name(SERVICES_WELL_KNOWN), "well-known");
	assert_string_equal(
	    services_range_name(SERVICES_REGISTERED), "registered");
	assert_string_equal(services_range_name(SERVICES_DYNAMIC), "dynamic");
}

static void
test_port_range_text(void **state)
{
	int lo = -1, hi = -1;

	(void)state;
	assert_int_equal(
	    services_parse_port_range("32768\t60999\n", &lo, &hi), 0);
	assert_int_equal(lo, 32768);
	assert_int_equal(hi, 60999);
	assert_int_equal(services_parse_port_range("1024 65535", &lo, &hi), 0);
	assert_int_equal(lo, 1024);
	assert_int_equal(hi, 65535);
	assert_int_equal(
	    services_parse_port_range("5000\t5000\n", &lo, &hi), 0);
	assert_int_equal(lo, 5000);
	assert_int_equal(hi, 5000);

	lo = hi = 7;
	assert_int_equal(services_parse_port_range("", &lo, &hi), -1);
	assert_int_equal(services_parse_port_range("32768", &lo, &hi), -1);
	assert_int_equal(services_parse_port_range("32768\t", &lo, &hi), -1);
	assert_int_equal(
	    services_parse_port_range("60999\t32768\n", &lo, &hi), -1);
	assert_int_equal(services_parse_port_range("1\t65536\n", &lo, &hi), -1);
	assert_int_equal(services_parse_port_range("1\t2\t3\n", &lo, &hi), -1);
	assert_int_equal(services_parse_port_range("a\tb\n", &lo, &hi), -1);
	assert_int_equal(services_parse_port_range("-1\t5\n", &lo, &hi), -1);
	assert_int_equal(
	    services_parse_port_range("0000001\t5\n", &lo, &hi), -1);
	/* A failed parse leaves the outputs alone. */
	assert_int_equal(lo, 7);
	assert_int_equal(hi, 7);
}

static void
test_builtin(void **state)
{
	const struct services_entry *e;
	size_t i, j;

	(void)state;
	e = services_builtin_by_name("domain", "udp");
	assert_non_null(e);
	assert_int_equal(e->port, 53);
	assert_string_equal(e->proto, "udp");

	/* Aliases find the entry, which keeps its official name. */
	e = services_builtin_by_name("www", "tcp");
	assert_non_null(e);
	assert_string_equal(e->name, "http");
	assert_int_equal(e->port, 80);
	e = services_builtin_by_name("krb5", "udp");
	assert_non_null(e);
	assert_string_equal(e->name, "kerberos");

	/* The protocol matters: ssh is TCP only, tftp and ntp UDP only. */
	assert_null(services_builtin_by_name("ssh", "udp"));
	assert_non_null(services_builtin_by_name("ssh", "tcp"));
	assert_null(services_builtin_by_name("tftp", "tcp"));
	assert_null(services_builtin_by_name("no-such-service", "udp"));

	e = services_builtin_by_port(123, "udp");
	assert_non_null(e);
	assert_string_equal(e->name, "ntp");
	e = services_builtin_by_port(53, "tcp");
	assert_non_null(e);
	assert_string_equal(e->name, "domain");
	assert_null(services_builtin_by_port(22, "udp"));
	assert_null(services_builtin_by_port(40000, "udp"));

	/* Every entry is well formed and sorted by port. */
	assert_non_null(services_builtin_at(0));
	for (i = 0; (e = services_builtin_at(i)) != NULL; i++) {
		assert_true(e->port > 0 && e->port <= 65535);
		assert_true(services_proto_ok(e->proto));
		assert_true(
		    strlen(e->name) > 0 && strlen(e->name) < SERVICES_NAME_MAX);
		if (i > 0)
			assert_true(
			    services_builtin_at(i - 1)->port <= e->port);
		/* by_port finds an entry for the same port and protocol. */
		assert_non_null(services_builtin_by_port(e->port, e->proto));
		assert_ptr_equal(
		    services_builtin_by_name(e->name, e->proto), e);
		for (j = 0; j < SERVICES_ALIAS_MAX && e->aliases[j] != NULL;
		     j++)
			assert_true(strlen(e->aliases[j]) > 0);
		assert_true(j < SERVICES_ALIAS_MAX);
	}
	assert_true(i > 40);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_query_good),
	    cmocka_unit_test(test_query_bad),
	    cmocka_unit_test(test_ranges),
	    cmocka_unit_test(test_port_range_text),
	    cmocka_unit_test(test_builtin),
	};

	return cmocka_run_group_tests_name("services", tests, NULL, NULL);
}
