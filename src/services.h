/* SPDX-License-Identifier: ISC */
/*
 * Port and service-name logic for lookup-port: argument parsing, the port
 * ranges, the ephemeral range and a built-in table of well-known services.
 */
#ifndef UDPTOOL_SERVICES_H
#define UDPTOOL_SERVICES_H

#include <stddef.h>

#define SERVICES_ALIAS_MAX 4
#define SERVICES_NAME_MAX 33 /* as ADDR_PORT_MAX */

/* One entry of a services database (built-in or the system's). */
struct services_entry {
	const char *name;
	int port;
	const char *proto; /* "udp" or "tcp" */
	const char *aliases[SERVICES_ALIAS_MAX]; /* NULL-terminated */
};

/* One lookup-port argument: a service name or a port, and a protocol. */
struct services_query {
	char name[SERVICES_NAME_MAX]; /* empty when a port was given */
	int port; /* -1 when a name was given */
	char proto[4]; /* "udp" or "tcp" */
};

/* IANA's three port ranges (RFC 6335). */
enum services_range {
	SERVICES_WELL_KNOWN, /* 0-1023, system ports */
	SERVICES_REGISTERED, /* 1024-49151, user ports */
	SERVICES_DYNAMIC, /* 49152-65535, dynamic or private ports */
};

/* Returns 1 if proto is "udp" or "tcp", the protocols lookup-port knows. */
int services_proto_ok(const char *proto);

/*
 * Parses "NAME", "PORT", "NAME/PROTO" or "PORT/PROTO" (port 0-65535, proto
 * udp or tcp, defproto when absent); returns 0, or -1 with err naming the
 * bad value.
 */
int services_parse_query(const char *arg, const char *defproto,
    struct services_query *q, char *err, size_t errlen);

/* Returns the IANA range port (0-65535) falls in. */
enum services_range services_range_of(int port);

/* Returns the range's label: "well-known", "registered" or "dynamic". */
const char *services_range_name(enum services_range r);

/*
 * Parses the text of ip_local_port_range ("32768\t60999\n"); returns 0 with
 * *low and *high set, or -1 when it is not two ports with low <= high.
 */
int services_parse_port_range(const char *text, int *low, int *high);

/* Returns the built-in entry named name (or with it as an alias) for proto, or NULL. */
const struct services_entry *services_builtin_by_name(
    const char *name, const char *proto);

/* Returns the first built-in entry for port and proto, or NULL. */
const struct services_entry *services_builtin_by_port(
    int port, const char *proto);

/* Returns the i-th built-in entry, or NULL past the end. */
const struct services_entry *services_builtin_at(size_t i);

#endif
