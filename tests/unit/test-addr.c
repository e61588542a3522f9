/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for the addr module: every accepted form, every rejection and
 * its message, formatting back, and CIDR matching.
 */
#include "config.h"

#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "addr.h"

struct good {
	const char *input;
	int flags;
	const char *host, *port, *scope;
	int v6;
};

static const struct good goods[] = {
    {"example.org:53", 0, "example.org", "53", "", 0},
    {"127.0.0.1:7", 0, "127.0.0.1", "7", "", 0},
    {"localhost:domain", 0, "localhost", "domain", "", 0},
    {"[::1]:53", 0, "::1", "53", "", 1},
    {"[fe80::1%eth0]:5353", 0, "fe80::1", "5353", "eth0", 1},
    {"[fe80::1%2]:1", 0, "fe80::1", "1", "2", 1},
    {"[::]:65535", 0, "::", "65535", "", 1},
    {":9000", ADDR_F_SERVER, "", "9000", "", 0},
    {"9000", ADDR_F_SERVER, "", "9000", "", 0},
    {"0", ADDR_F_SERVER, "", "0", "", 0},
    {":0", ADDR_F_SERVER, "", "0", "", 0},
    {"127.0.0.2:0", ADDR_F_SERVER, "127.0.0.2", "0", "", 0},
    {"[::1]:0", ADDR_F_SERVER, "::1", "0", "", 1},
    {"echo", ADDR_F_SERVER, "", "echo", "", 0},
    {"example.org", ADDR_F_PORT_OPTIONAL, "example.org", "", "", 0},
    {"::1", ADDR_F_PORT_OPTIONAL, "::1", "", "", 1},
    {"fe80::1%lo", ADDR_F_PORT_OPTIONAL, "fe80::1", "", "lo", 1},
    {"[::1]", ADDR_F_PORT_OPTIONAL, "::1", "", "", 1},
    {"::1:53", ADDR_F_PORT_OPTIONAL, "::1:53", "", "", 1},
    {"host:80", ADDR_F_PORT_OPTIONAL, "host", "80", "", 0},
    {"::1", ADDR_F_PORT_OPTIONAL | ADDR_F_V6_AMBIGUOUS, "::1", "", "", 1},
    {"2001:db8:0:0:0:0:5:1", ADDR_F_PORT_OPTIONAL | ADDR_F_V6_AMBIGUOUS,
	"2001:db8:0:0:0:0:5:1", "", "", 1},
    {"fe80::1%lo", ADDR_F_PORT_OPTIONAL | ADDR_F_V6_AMBIGUOUS, "fe80::1", "",
	"lo", 1},
    {"::1:abc", ADDR_F_PORT_OPTIONAL | ADDR_F_V6_AMBIGUOUS, "::1:abc", "", "",
	1},
    {"[::1:53]", ADDR_F_PORT_OPTIONAL | ADDR_F_V6_AMBIGUOUS, "::1:53", "", "",
	1},
    {"10.0.0.1", ADDR_F_NO_PORT, "10.0.0.1", "", "", 0},
    {"::ffff:10.0.0.1", ADDR_F_NO_PORT, "::ffff:10.0.0.1", "", "", 1},
    {"a_b-c.d:053", 0, "a_b-c.d", "053", "", 0},
};

static void
test_accepts(void **state)
{
	struct addr_spec spec;
	char err[ADDR_ERRLEN];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof goods / sizeof goods[0]; i++) {
		err[0] = '\0';
		if (addr_parse(goods[i].input, goods[i].flags, &spec, err,
			sizeof err) != 0)
			fail_msg("'%s' rejected: %s", goods[i].input, err);
		assert_string_equal(spec.host, goods[i].host);
		assert_string_equal(spec.port, goods[i].port);
		assert_string_equal(spec.scope, goods[i].scope);
		assert_int_equal(spec.v6, goods[i].v6);
	}
}

/* HOST:PORT in one word, or HOST PORT in two, as nc takes them. */
static void
test_parse_args(void **state)
{
	struct addr_spec spec;
	char err[ADDR_ERRLEN];
	const char *one[] = {"127.0.0.1:53", "9000"};
	const char *two[] = {"127.0.0.1", "9000", "hello"};
	const char *v6[] = {"::1", "53"};
	const char *srv[] = {"127.0.0.2", "0"};
	const char *srv1[] = {"9000"};
	const char *badport[] = {"127.0.0.1", "99999"};
	const char *word[] = {"127.0.0.1", "no-such-service-word"};
	const char *amb[] = {"::1:53", "hello"};
	const char *none[] = {"host"};

	(void)state;
	assert_int_equal(addr_parse_args(2, one, 0, &spec, err, sizeof err), 1);
	assert_string_equal(spec.port, "53");
	assert_int_equal(addr_parse_args(3, two, 0, &spec, err, sizeof err), 2);
	assert_string_equal(spec.host, "127.0.0.1");
	assert_string_equal(spec.port, "9000");
	assert_int_equal(addr_parse_args(2, v6, 0, &spec, err, sizeof err), 2);
	assert_string_equal(spec.host, "::1");
	assert_int_equal(spec.v6, 1);
	assert_int_equal(
	    addr_parse_args(2, srv, ADDR_F_SERVER, &spec, err, sizeof err), 2);
	assert_string_equal(spec.host, "127.0.0.2");
	assert_string_equal(spec.port, "0");
	assert_int_equal(
	    addr_parse_args(1, srv1, ADDR_F_SERVER, &spec, err, sizeof err), 1);
	assert_string_equal(spec.host, "");
	assert_string_equal(spec.port, "9000");
	/* A number meant as the port is named when it is bad. */
	assert_int_equal(
	    addr_parse_args(2, badport, 0, &spec, err, sizeof err), -1);
	assert_non_null(strstr(err, "invalid port '99999'"));
	/* A word that is no service is a message: the first word's fault. */
	assert_int_equal(
	    addr_parse_args(2, word, 0, &spec, err, sizeof err), -1);
	assert_non_null(strstr(err, "missing port in '127.0.0.1'"));
	assert_int_equal(
	    addr_parse_args(2, amb, 0, &spec, err, sizeof err), -1);
	assert_non_null(strstr(err, "ambiguous address '::1:53'"));
	assert_int_equal(
	    addr_parse_args(1, none, 0, &spec, err, sizeof err), -1);
	assert_non_null(strstr(err, "missing port in 'host'"));
	assert_int_equal(
	    addr_parse_args(0, none, 0, &spec, err, sizeof err), -1);
}

/* One peer (address, port, scope) or one host (address alone). */
static void
test_same(void **state)
{
	struct sockaddr_in a4, b4;
	struct sockaddr_in6 a6, b6;

	(void)state;
	memset(&a4, 0, sizeof a4);
	a4.sin_family = AF_INET;
	a4.sin_port = htons(7);
	inet_pton(AF_INET, "127.0.0.1", &a4.sin_addr);
	b4 = a4;
	assert_true(
	    addr_same((struct sockaddr *)&a4, (struct sockaddr *)&b4, 1));
	b4.sin_port = htons(8);
	assert_false(
	    addr_same((struct sockaddr *)&a4, (struct sockaddr *)&b4, 1));
	assert_true(
	    addr_same((struct sockaddr *)&a4, (struct sockaddr *)&b4, 0));
	inet_pton(AF_INET, "127.0.0.2", &b4.sin_addr);
	assert_false(
	    addr_same((struct sockaddr *)&a4, (struct sockaddr *)&b4, 0));
	memset(&a6, 0, sizeof a6);
	a6.sin6_family = AF_INET6;
	a6.sin6_port = htons(7);
	inet_pton(AF_INET6, "fe80::1", &a6.sin6_addr);
	a6.sin6_scope_id = 1;
	b6 = a6;
	assert_true(
	    addr_same((struct sockaddr *)&a6, (struct sockaddr *)&b6, 1));
	b6.sin6_scope_id = 2;
	assert_false(
	    addr_same((struct sockaddr *)&a6, (struct sockaddr *)&b6, 1));
	assert_true(
	    addr_same((struct sockaddr *)&a6, (struct sockaddr *)&b6, 0));
	assert_false(
	    addr_same((struct sockaddr *)&a4, (struct sockaddr *)&a6, 0));
}

/* -s: a bare number is a port, any other bare word a host. */
static void
test_bare_host(void **state)
{
	struct addr_spec spec;
	char err[ADDR_ERRLEN];
	int f = ADDR_F_PORT_OPTIONAL | ADDR_F_SERVER | ADDR_F_BARE_HOST;

	(void)state;
	assert_int_equal(addr_parse("127.0.0.2", f, &spec, err, sizeof err), 0);
	assert_string_equal(spec.host, "127.0.0.2");
	assert_string_equal(spec.port, "");
	assert_int_equal(addr_parse("myhost", f, &spec, err, sizeof err), 0);
	assert_string_equal(spec.host, "myhost");
	assert_string_equal(spec.port, "");
	assert_int_equal(addr_parse("8081", f, &spec, err, sizeof err), 0);
	assert_string_equal(spec.host, "");
	assert_string_equal(spec.port, "8081");
	assert_int_equal(addr_parse(":domain", f, &spec, err, sizeof err), 0);
	assert_string_equal(spec.port, "domain");
	assert_int_equal(addr_parse("[::1]", f, &spec, err, sizeof err), 0);
	assert_string_equal(spec.host, "::1");
	/* Without the flag a bare word stays a service name, as for servers. */
	assert_int_equal(
	    addr_parse("domain", ADDR_F_SERVER, &spec, err, sizeof err), 0);
	assert_string_equal(spec.port, "domain");
}

struct bad {
	const char *input;
	int flags;
	const char *msg; /* substring of the error */
};

static const struct bad bads[] = {
    {"", 0, "empty address"},
    {":53", 0, "missing host in ':53'"},
    {"host:", 0, "missing port after ':' in 'host:'"},
    {"host", 0, "missing port in 'host' (use host:PORT)"},
    {"[::1]", 0, "missing port in '[::1]' (use [::1]:PORT)"},
    {"[::1]x", 0, "unexpected 'x' after ']' in '[::1]x'"},
    {"[::1]:", 0, "missing port after ':'"},
    {"[::1", 0, "missing ']' in '[::1'"},
    {"[]:53", 0, "empty address in '[]'"},
    {"[1.2.3.4]:53", 0, "invalid IPv6 address '1.2.3.4'"},
    {"[fe80::1%]:53", 0, "missing scope after '%'"},
    {"fe80::1%", ADDR_F_PORT_OPTIONAL, "missing scope after '%'"},
    {"host%eth0:53", 0, "a scope needs an IPv6 address"},
    {"::1:53", 0, "ambiguous address '::1:53': write [::1]:53"},
    {"::1:53", ADDR_F_PORT_OPTIONAL | ADDR_F_V6_AMBIGUOUS,
	"ambiguous address '::1:53': write [::1]:53 for port 53, or "
	"[::1:53] for the address"},
    {"2001:db8::5:1", ADDR_F_PORT_OPTIONAL | ADDR_F_V6_AMBIGUOUS,
	"ambiguous address '2001:db8::5:1'"},
    {"fe80::1", 0,
	"missing port for IPv6 address 'fe80::1' (use [fe80::1]:PORT)"},
    {"host:0", 0, "invalid port '0' (1-65535)"},
    {"host:65536", 0, "invalid port '65536' (1-65535)"},
    {"host:99999999999", 0, "invalid port '99999999999' (1-65535)"},
    {":65536", ADDR_F_SERVER, "invalid port '65536' (0-65535)"},
    {"host:-1", 0, "invalid port '-1' (1-65535 or a service name)"},
    {"host:+53", 0, "invalid port '+53'"},
    {"host: 53", 0, "invalid port ' 53'"},
    {"host:53 ", 0, "invalid port '53 '"},
    {"ho st:53", 0, "invalid character ' ' in host 'ho st:53'"},
    {"host\n:53", 0, "invalid character '\\x0a'"},
    {"a:b:c", 0, "invalid address 'a:b:c'"},
    {"10.0.0.1:53", ADDR_F_NO_PORT, "unexpected port in '10.0.0.1:53'"},
    {"-5", ADDR_F_SERVER, "invalid port '-5'"},
    {"[fe80::1%e th0]:5", 0, "invalid scope 'e th0'"},
    /* Found by fuzzing: the tail was echoed raw, newline included. */
    {"::%_0:2:_0:2;$\004\012", 0, "invalid address '::%_0:2:_0:2;$\\x04\\x0a'"},
    {"::1:2:x y", 0, "invalid address '::1:2:x y'"},
    {"[fe80::1%eth0]\n:[fe8", 0, "unexpected '\\x0a' after ']'"},
    {"::1%a\nb:53", 0, "invalid address '::1%a\\x0ab:53'"},
};

static void
test_rejects(void **state)
{
	struct addr_spec spec;
	char err[ADDR_ERRLEN];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bads / sizeof bads[0]; i++) {
		err[0] = '\0';
		if (addr_parse(bads[i].input, bads[i].flags, &spec, err,
			sizeof err) == 0)
			fail_msg("'%s' accepted", bads[i].input);
		if (strstr(err, bads[i].msg) == NULL)
			fail_msg("'%s': got '%s', want '%s'", bads[i].input,
			    err, bads[i].msg);
		assert_null(strchr(err, '\n'));
	}
}

static void
test_overlong(void **state)
{
	char input[ADDR_INPUT_MAX + 64], err[ADDR_ERRLEN];
	struct addr_spec spec;

	(void)state;
	memset(input, 'a', sizeof input);
	input[sizeof input - 1] = '\0';
	assert_int_equal(addr_parse(input, 0, &spec, err, sizeof err), -1);
	assert_non_null(strstr(err, "address too long"));
	/* A 300-character host with a port: too long for DNS, message short. */
	memset(input, 'a', 300);
	strcpy(input + 300, ":53");
	assert_int_equal(addr_parse(input, 0, &spec, err, sizeof err), -1);
	assert_non_null(strstr(err, "host name too long"));
	assert_true(strlen(err) < 120);
	/* A tiny error buffer is never overrun. */
	assert_int_equal(addr_parse("host:0", 0, &spec, err, 8), -1);
	assert_int_equal(strlen(err), 7);
}

static void
test_pair(void **state)
{
	struct addr_spec spec;
	char err[ADDR_ERRLEN];

	(void)state;
	assert_int_equal(
	    addr_parse_pair("::1", "53", 0, &spec, err, sizeof err), 0);
	assert_string_equal(spec.host, "::1");
	assert_true(spec.v6);
	assert_int_equal(
	    addr_parse_pair("[fe80::1%lo]", "7", 0, &spec, err, sizeof err), 0);
	assert_string_equal(spec.scope, "lo");
	assert_int_equal(
	    addr_parse_pair("example.org", "domain", 0, &spec, err, sizeof err),
	    0);
	assert_string_equal(spec.port, "domain");
	assert_int_equal(
	    addr_parse_pair("example.org", "0", 0, &spec, err, sizeof err), -1);
	assert_non_null(strstr(err, "invalid port '0'"));
	assert_int_equal(
	    addr_parse_pair("", "53", 0, &spec, err, sizeof err), -1);
	assert_int_equal(
	    addr_parse_pair("1::2::3", "53", 0, &spec, err, sizeof err), -1);
	assert_non_null(strstr(err, "invalid IPv6 address '1::2::3'"));
}

static void
test_port_number(void **state)
{
	char err[ADDR_ERRLEN];

	(void)state;
	assert_int_equal(addr_port_number("53", "udp", 0, err, sizeof err), 53);
	assert_int_equal(
	    addr_port_number("00053", "udp", 0, err, sizeof err), 53);
	assert_int_equal(addr_port_number("0", "udp", 1, err, sizeof err), 0);
	assert_int_equal(addr_port_number("0", "udp", 0, err, sizeof err), -1);
	assert_int_equal(
	    addr_port_number("no-such-service-x", "udp", 0, err, sizeof err),
	    -1);
	assert_non_null(
	    strstr(err, "unknown service 'no-such-service-x' for udp"));
}

static void
test_format(void **state)
{
	struct sockaddr_in6 s6;
	struct sockaddr_in s4;
	char buf[ADDR_STRLEN];

	(void)state;
	memset(&s6, 0, sizeof s6);
	s6.sin6_family = AF_INET6;
	inet_pton(AF_INET6, "0:0:0:0:0:0:0:1", &s6.sin6_addr);
	s6.sin6_port = htons(53);
	assert_string_equal(addr_format((struct sockaddr *)&s6, sizeof s6,
				ADDR_FMT_PORT, buf, sizeof buf),
	    "[::1]:53");
	assert_string_equal(
	    addr_format((struct sockaddr *)&s6, sizeof s6, 0, buf, sizeof buf),
	    "::1");
	inet_pton(AF_INET6, "2001:DB8:0:0:1:0:0:1", &s6.sin6_addr);
	assert_string_equal(
	    addr_format((struct sockaddr *)&s6, sizeof s6, 0, buf, sizeof buf),
	    "2001:db8::1:0:0:1");
	inet_pton(AF_INET6, "2001:db8:0:1:1:1:1:1", &s6.sin6_addr);
	assert_string_equal(
	    addr_format((struct sockaddr *)&s6, sizeof s6, 0, buf, sizeof buf),
	    "2001:db8:0:1:1:1:1:1");
	{
		static const char *const v6[][2] = {
		    {"::1:53", "::1:53"},
		    {"::", "::"},
		    {"::1", "::1"},
		    {"1::", "1::"},
		    {"0:0:1:0:0:0:1:0", "0:0:1::1:0"},
		    {"1:0:0:1:0:0:1:1", "1::1:0:0:1:1"},
		    {"1:0:1:0:1:0:1:0", "1:0:1:0:1:0:1:0"},
		    {"::192.0.2.1", "::c000:201"},
		    {"FFFF:0:0:0:0:0:0:ABCD", "ffff::abcd"},
		    {"::ffff:192.0.2.1", "::ffff:192.0.2.1"},
		    {"::ffff:0:0", "::ffff:0.0.0.0"},
		};
		size_t i;

		for (i = 0; i < sizeof v6 / sizeof v6[0]; i++) {
			struct in6_addr a;

			assert_int_equal(inet_pton(AF_INET6, v6[i][0], &a), 1);
			assert_string_equal(
			    addr_format_in6(&a, buf, sizeof buf), v6[i][1]);
		}
	}
	inet_pton(AF_INET6, "::ffff:192.0.2.7", &s6.sin6_addr);
	assert_string_equal(addr_format((struct sockaddr *)&s6, sizeof s6,
				ADDR_FMT_PORT, buf, sizeof buf),
	    "192.0.2.7:53");
	inet_pton(AF_INET6, "fe80::1", &s6.sin6_addr);
	s6.sin6_scope_id = 1;
	assert_string_equal(addr_format((struct sockaddr *)&s6, sizeof s6,
				ADDR_FMT_PORT, buf, sizeof buf),
	    "[fe80::1%lo]:53");
	assert_string_equal(addr_format((struct sockaddr *)&s6, sizeof s6,
				ADDR_FMT_NUMSCOPE, buf, sizeof buf),
	    "fe80::1%1");
	assert_string_equal(addr_format((struct sockaddr *)&s6, sizeof s6,
				ADDR_FMT_NOSCOPE, buf, sizeof buf),
	    "fe80::1");
	memset(&s4, 0, sizeof s4);
	s4.sin_family = AF_INET;
	s4.sin_port = htons(7);
	inet_pton(AF_INET, "127.0.0.2", &s4.sin_addr);
	assert_string_equal(addr_format((struct sockaddr *)&s4, sizeof s4,
				ADDR_FMT_PORT, buf, sizeof buf),
	    "127.0.0.2:7");
	assert_int_equal(addr_get_port((struct sockaddr *)&s4), 7);
	addr_set_port((struct sockaddr *)&s4, 9);
	assert_int_equal(addr_get_port((struct sockaddr *)&s4), 9);
	/* A short length is not read past. */
	assert_string_equal(
	    addr_format((struct sockaddr *)&s6, 4, 0, buf, sizeof buf), "?");
}

static void
test_spec_format(void **state)
{
	struct addr_spec spec;
	char err[ADDR_ERRLEN], buf[ADDR_STRLEN * 2];
	const char *round[] = {"[fe80::1%eth0]:53", "host:domain", "1.2.3.4:9"};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof round / sizeof round[0]; i++) {
		assert_int_equal(
		    addr_parse(round[i], 0, &spec, err, sizeof err), 0);
		assert_string_equal(
		    addr_spec_format(&spec, buf, sizeof buf), round[i]);
	}
}

static void
test_cidr(void **state)
{
	struct addr_cidr c;
	struct sockaddr_in6 s6;
	struct sockaddr_in s4;
	char err[ADDR_ERRLEN];

	(void)state;
	memset(&s4, 0, sizeof s4);
	s4.sin_family = AF_INET;
	memset(&s6, 0, sizeof s6);
	s6.sin6_family = AF_INET6;

	assert_int_equal(
	    addr_parse_cidr("127.0.0.0/8", &c, err, sizeof err), 0);
	inet_pton(AF_INET, "127.1.2.3", &s4.sin_addr);
	assert_true(addr_cidr_contains(&c, (struct sockaddr *)&s4));
	inet_pton(AF_INET, "128.0.0.1", &s4.sin_addr);
	assert_false(addr_cidr_contains(&c, (struct sockaddr *)&s4));
	inet_pton(AF_INET6, "::ffff:127.0.0.9", &s6.sin6_addr);
	assert_true(addr_cidr_contains(&c, (struct sockaddr *)&s6));

	assert_int_equal(
	    addr_parse_cidr("10.1.2.3/23", &c, err, sizeof err), 0);
	inet_pton(AF_INET, "10.1.3.255", &s4.sin_addr);
	assert_true(addr_cidr_contains(&c, (struct sockaddr *)&s4));
	inet_pton(AF_INET, "10.1.4.0", &s4.sin_addr);
	assert_false(addr_cidr_contains(&c, (struct sockaddr *)&s4));

	assert_int_equal(addr_parse_cidr("0.0.0.0/0", &c, err, sizeof err), 0);
	assert_true(addr_cidr_contains(&c, (struct sockaddr *)&s4));
	assert_false(addr_cidr_contains(&c, (struct sockaddr *)&s6) &&
	    !IN6_IS_ADDR_V4MAPPED(&s6.sin6_addr));

	assert_int_equal(
	    addr_parse_cidr("2001:db8::/33", &c, err, sizeof err), 0);
	inet_pton(AF_INET6, "2001:db8:7fff::1", &s6.sin6_addr);
	assert_true(addr_cidr_contains(&c, (struct sockaddr *)&s6));
	inet_pton(AF_INET6, "2001:db8:8000::1", &s6.sin6_addr);
	assert_false(addr_cidr_contains(&c, (struct sockaddr *)&s6));
	assert_false(addr_cidr_contains(&c, (struct sockaddr *)&s4));

	assert_int_equal(addr_parse_cidr("::1", &c, err, sizeof err), 0);
	assert_int_equal(c.prefix, 128);

	assert_int_equal(
	    addr_parse_cidr("10.0.0.0/33", &c, err, sizeof err), -1);
	assert_non_null(strstr(err, "invalid prefix length '33' (0-32)"));
	assert_int_equal(addr_parse_cidr("::/129", &c, err, sizeof err), -1);
	assert_int_equal(addr_parse_cidr("10.0.0.0/", &c, err, sizeof err), -1);
	assert_int_equal(
	    addr_parse_cidr("10.0.0.0/-1", &c, err, sizeof err), -1);
	assert_int_equal(addr_parse_cidr("10.0.0/8", &c, err, sizeof err), -1);
	assert_non_null(strstr(err, "invalid network address '10.0.0'"));
	assert_int_equal(addr_parse_cidr("", &c, err, sizeof err), -1);
}

static void
test_group(void **state)
{
	struct addr_group g;
	struct sockaddr_storage ss;
	char err[ADDR_ERRLEN], longer[ADDR_GROUP_MAX + 1];
	const struct sockaddr_in *s4 = (const struct sockaddr_in *)&g.group;
	const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)&g.group;

	(void)state;
	assert_int_equal(addr_parse_group("239.1.2.3", &g, err, sizeof err), 0);
	assert_int_equal(g.group.ss_family, AF_INET);
	assert_int_equal(ntohl(s4->sin_addr.s_addr), 0xef010203);
	assert_int_equal(g.ifindex, 0);
	assert_string_equal(g.text, "239.1.2.3");
	assert_int_equal(
	    addr_parse_group("ff02::1%lo", &g, err, sizeof err), 0);
	assert_int_equal(g.group.ss_family, AF_INET6);
	assert_true(IN6_IS_ADDR_MULTICAST(&s6->sin6_addr));
	assert_int_not_equal(g.ifindex, 0);
	assert_string_equal(g.text, "ff02::1%lo");
	/* An interface number stands for itself. */
	assert_int_equal(
	    addr_parse_group("224.0.0.1%7", &g, err, sizeof err), 0);
	assert_int_equal(g.ifindex, 7);

	assert_int_equal(addr_parse_group("10.0.0.1", &g, err, sizeof err), -1);
	assert_string_equal(err,
	    "'10.0.0.1' is not a multicast address "
	    "(224.0.0.0/4, ff00::/8)");
	assert_int_equal(addr_parse_group("::1", &g, err, sizeof err), -1);
	assert_non_null(strstr(err, "'::1' is not a multicast address"));
	assert_int_equal(addr_parse_group("group", &g, err, sizeof err), -1);
	assert_string_equal(err, "invalid multicast group 'group'");
	assert_int_equal(
	    addr_parse_group("239.1.1.1%no\x01if", &g, err, sizeof err), -1);
	assert_string_equal(
	    err, "unknown interface 'no\\x01if' in '239.1.1.1%no\\x01if'");
	assert_int_equal(
	    addr_parse_group("239.1.1.1%0", &g, err, sizeof err), -1);
	assert_int_equal(
	    addr_parse_group("239.1.1.1%", &g, err, sizeof err), -1);
	memset(longer, 'a', sizeof longer - 1);
	longer[sizeof longer - 1] = '\0';
	assert_int_equal(addr_parse_group(longer, &g, err, sizeof err), -1);
	assert_string_equal(err, "multicast group too long");

	assert_int_equal(
	    addr_parse_source("192.0.2.1", &ss, err, sizeof err), 0);
	assert_int_equal(ss.ss_family, AF_INET);
	assert_int_equal(
	    addr_parse_source("2001:db8::1", &ss, err, sizeof err), 0);
	assert_int_equal(ss.ss_family, AF_INET6);
	assert_int_equal(addr_parse_source("host", &ss, err, sizeof err), -1);
	assert_string_equal(
	    err, "invalid source address 'host' (an IPv4 or IPv6 literal)");
}

/* Groups and sources are counted apart, each up to ADDR_JOIN_MAX. */
static void
test_joins(void **state)
{
	struct addr_joins *j = calloc(1, sizeof *j);
	char err[ADDR_ERRLEN];
	int i;

	(void)state;
	assert_non_null(j);
	assert_int_equal(addr_joins_add(j, 0, "239.1.2.3", err, sizeof err), 0);
	assert_int_equal(addr_joins_add(j, 1, "192.0.2.1", err, sizeof err), 0);
	assert_int_equal(j->ngroups, 1);
	assert_int_equal(j->nsources, 1);
	assert_string_equal(j->group[0].text, "239.1.2.3");
	assert_int_equal(j->source[0].ss_family, AF_INET);
	/* A bad value is named and not counted. */
	assert_int_equal(addr_joins_add(j, 0, "10.0.0.1", err, sizeof err), -1);
	assert_int_equal(errno, EINVAL);
	assert_non_null(strstr(err, "'10.0.0.1' is not a multicast address"));
	assert_int_equal(addr_joins_add(j, 1, "ff02::1x", err, sizeof err), -1);
	assert_int_equal(errno, EINVAL);
	assert_non_null(strstr(err, "invalid source address 'ff02::1x'"));
	assert_int_equal(j->ngroups, 1);
	assert_int_equal(j->nsources, 1);
	for (i = 1; i < ADDR_JOIN_MAX; i++)
		assert_int_equal(
		    addr_joins_add(j, 1, "::1", err, sizeof err), 0);
	/* Full of sources: one more is refused, a group still fits. */
	assert_int_equal(addr_joins_add(j, 1, "::1", err, sizeof err), -1);
	assert_int_equal(errno, E2BIG);
	assert_int_equal(j->nsources, ADDR_JOIN_MAX);
	assert_int_equal(addr_joins_add(j, 0, "ff02::1", err, sizeof err), 0);
	assert_int_equal(j->ngroups, 2);
	free(j);
}

/* -s and -p together: one source, at most one port. */
static void
test_source_opts(void **state)
{
	struct addr_spec spec;
	char err[512];

	(void)state;
	memset(&spec, 0, sizeof spec);
	assert_int_equal(
	    addr_source_opts(NULL, NULL, &spec, err, sizeof err), 0);
	assert_int_equal(
	    addr_source_opts("127.0.0.2", NULL, &spec, err, sizeof err), 1);
	assert_string_equal(spec.host, "127.0.0.2");
	assert_string_equal(spec.port, "");
	assert_int_equal(
	    addr_source_opts("127.0.0.2", "4000", &spec, err, sizeof err), 1);
	assert_string_equal(spec.port, "4000");
	memset(&spec, 0, sizeof spec);
	assert_int_equal(
	    addr_source_opts(NULL, "4000", &spec, err, sizeof err), 1);
	assert_string_equal(spec.port, "4000");
	assert_int_equal(
	    addr_source_opts("127.0.0.2:4000", "4000", &spec, err, sizeof err),
	    1);
	assert_int_equal(
	    addr_source_opts("127.0.0.2:4001", "4000", &spec, err, sizeof err),
	    -1);
	assert_string_equal(
	    err, "-p '4000' and -s '127.0.0.2:4001' name two source ports");
	assert_int_equal(
	    addr_source_opts("[::1", NULL, &spec, err, sizeof err), -1);
	assert_non_null(strstr(err, "invalid source: "));
	assert_int_equal(
	    addr_source_opts(NULL, "99999", &spec, err, sizeof err), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_accepts),
	    cmocka_unit_test(test_parse_args),
	    cmocka_unit_test(test_bare_host),
	    cmocka_unit_test(test_same),
	    cmocka_unit_test(test_rejects),
	    cmocka_unit_test(test_overlong),
	    cmocka_unit_test(test_pair),
	    cmocka_unit_test(test_port_number),
	    cmocka_unit_test(test_format),
	    cmocka_unit_test(test_spec_format),
	    cmocka_unit_test(test_cidr),
	    cmocka_unit_test(test_group),
	    cmocka_unit_test(test_joins),
	    cmocka_unit_test(test_source_opts),
	};

	return cmocka_run_group_tests_name("addr", tests, NULL, NULL);
}
