/* SPDX-License-Identifier: ISC */
/*
 * libFuzzer target for lookup-port's parsers: NAME[/PROTO] and PORT[/PROTO]
 * queries, and the kernel's ephemeral port range text.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "services.h"
#include "fuzz.h"

static void
check_query(const char *s, const char *defproto)
{
	struct services_query q, back;
	char err[256], buf[SERVICES_NAME_MAX + 16];

	if (services_parse_query(s, defproto, &q, err, sizeof err) != 0) {
		fuzz_check_line(err, sizeof err);
		return;
	}
	if (!services_proto_ok(q.proto))
		abort();
	if (q.port >= 0) {
		if (q.port > 65535 || q.name[0] != '\0')
			abort();
		(void)services_range_name(services_range_of(q.port));
		snprintf(buf, sizeof buf, "%d/%s", q.port, q.proto);
	} else {
		if (q.port != -1 || q.name[0] == '\0' ||
		    memchr(q.name, '\0', sizeof q.name) == NULL ||
		    strchr(q.name, '/') != NULL)
			abort();
		fuzz_check_line(q.name, sizeof q.name);
		snprintf(buf, sizeof buf, "%s/%s", q.name, q.proto);
	}
	/* What parsed reads the same when written out in full. */
	if (services_parse_query(buf, "tcp", &back, err, sizeof err) != 0 ||
	    back.port != q.port || strcmp(back.name, q.name) != 0 ||
	    strcmp(back.proto, q.proto) != 0)
		abort();
	(void)services_builtin_by_name(q.name, q.proto);
	(void)services_builtin_by_port(q.port, q.proto);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char buf[32], *s;
	int low, high, l2, h2;

	s = fuzz_strndup(data, size);
	if (s == NULL)
		return 0;
	check_query(s, "udp");
	check_query(s, "tcp");
	if (services_parse_port_range(s, &low, &high) == 0) {
		if (low < 0 || low > high || high > 65535)
			abort();
		snprintf(buf, sizeof buf, "%d\t%d\n", low, high);
		if (services_parse_port_range(buf, &l2, &h2) != 0 ||
		    l2 != low || h2 != high)
			abort();
	}
	free(s);
	return 0;
}
