/* SPDX-License-Identifier: ISC */
/*
 * What lookup-port knows without asking the system: argument syntax, port
 * ranges, and well-known services for hosts that have no /etc/services.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "errmsg.h"
#include "services.h"

/*
 * Minimal containers often ship without /etc/services.  These entries are
 * the common services of the IANA registry, with the names and aliases
 * Debian's netbase uses, sorted by port so the first match by port is the
 * one getservbyport(3) would give.
 */
static const struct services_entry services_builtin[] = {
    {"echo", 7, "tcp", {NULL}},
    {"echo", 7, "udp", {NULL}},
    {"discard", 9, "tcp", {"sink", "null", NULL}},
    {"discard", 9, "udp", {"sink", "null", NULL}},
    {"daytime", 13, "tcp", {NULL}},
    {"daytime", 13, "udp", {NULL}},
    {"chargen", 19, "tcp", {"ttytst", "source", NULL}},
    {"chargen", 19, "udp", {"ttytst", "source", NULL}},
    {"ftp-data", 20, "tcp", {NULL}},
    {"ftp", 21, "tcp", {NULL}},
    {"ssh", 22, "tcp", {NULL}},
    {"telnet", 23, "tcp", {NULL}},
    {"smtp", 25, "tcp", {"mail", NULL}},
    {"time", 37, "tcp", {"timserver", NULL}},
    {"time", 37, "udp", {"timserver", NULL}},
    {"whois", 43, "tcp", {"nicname", NULL}},
    {"tacacs", 49, "tcp", {NULL}},
    {"tacacs", 49, "udp", {NULL}},
    {"domain", 53, "tcp", {NULL}},
    {"domain", 53, "udp", {NULL}},
    {"bootps", 67, "udp", {NULL}},
    {"bootpc", 68, "udp", {NULL}},
    {"tftp", 69, "udp", {NULL}},
    {"gopher", 70, "tcp", {NULL}},
    {"finger", 79, "tcp", {NULL}},
    {"http", 80, "tcp", {"www", NULL}},
    {"kerberos", 88, "tcp", {"kerberos5", "krb5", "kerberos-sec", NULL}},
    {"kerberos", 88, "udp", {"kerberos5", "krb5", "kerberos-sec", NULL}},
    {"pop3", 110, "tcp", {"pop-3", NULL}},
    {"sunrpc", 111, "tcp", {"portmapper", NULL}},
    {"sunrpc", 111, "udp", {"portmapper", NULL}},
    {"auth", 113, "tcp", {"authentication", "tap", "ident", NULL}},
    {"nntp", 119, "tcp", {"readnews", "untp", NULL}},
    {"ntp", 123, "udp", {NULL}},
    {"netbios-ns", 137, "udp", {NULL}},
    {"netbios-dgm", 138, "udp", {NULL}},
    {"netbios-ssn", 139, "tcp", {NULL}},
    {"imap2", 143, "tcp", {"imap", NULL}},
    {"snmp", 161, "tcp", {NULL}},
    {"snmp", 161, "udp", {NULL}},
    {"snmp-trap", 162, "tcp", {"snmptrap", NULL}},
    {"snmp-trap", 162, "udp", {"snmptrap", NULL}},
    {"bgp", 179, "tcp", {NULL}},
    {"ldap", 389, "tcp", {NULL}},
    {"ldap", 389, "udp", {NULL}},
    {"https", 443, "tcp", {NULL}},
    {"https", 443, "udp", {NULL}},
    {"microsoft-ds", 445, "tcp", {NULL}},
    {"kpasswd", 464, "tcp", {NULL}},
    {"kpasswd", 464, "udp", {NULL}},
    {"submissions", 465, "tcp", {"ssmtp", "smtps", "urd", NULL}},
    {"isakmp", 500, "udp", {NULL}},
    {"syslog", 514, "udp", {NULL}},
    {"route", 520, "udp", {"router", "routed", NULL}},
    {"submission", 587, "tcp", {NULL}},
    {"ipp", 631, "tcp", {NULL}},
    {"ldaps", 636, "tcp", {NULL}},
    {"ldaps", 636, "udp", {NULL}},
    {"domain-s", 853, "tcp", {NULL}},
    {"domain-s", 853, "udp", {NULL}},
    {"rsync", 873, "tcp", {NULL}},
    {"imaps", 993, "tcp", {NULL}},
    {"pop3s", 995, "tcp", {NULL}},
    {"openvpn", 1194, "tcp", {NULL}},
    {"openvpn", 1194, "udp", {NULL}},
    {"l2f", 1701, "udp", {"l2tp", NULL}},
    {"radius", 1812, "tcp", {NULL}},
    {"radius", 1812, "udp", {NULL}},
    {"radius-acct", 1813, "tcp", {"radacct", NULL}},
    {"radius-acct", 1813, "udp", {"radacct", NULL}},
    {"nfs", 2049, "tcp", {NULL}},
    {"nfs", 2049, "udp", {NULL}},
    {"mysql", 3306, "tcp", {NULL}},
    {"ipsec-nat-t", 4500, "udp", {NULL}},
    {"sip", 5060, "tcp", {NULL}},
    {"sip", 5060, "udp", {NULL}},
    {"sip-tls", 5061, "tcp", {NULL}},
    {"sip-tls", 5061, "udp", {NULL}},
    {"mdns", 5353, "udp", {NULL}},
    {"postgresql", 5432, "tcp", {"postgres", NULL}},
};

#define SERVICES_NBUILTIN (sizeof services_builtin / sizeof services_builtin[0])

int
services_proto_ok(const char *proto)
{
	return strcmp(proto, "udp") == 0 || strcmp(proto, "tcp") == 0;
}

int
services_parse_query(const char *arg, const char *defproto,
    struct services_query *q, char *err, size_t errlen)
{
	char what[SERVICES_NAME_MAX], aerr[ADDR_ERRLEN], show[96], show2[96];
	const char *slash, *proto;
	size_t len;

	memset(q, 0, sizeof *q);
	q->port = -1;
	slash = strchr(arg, '/');
	len = slash != NULL ? (size_t)(slash - arg) : strlen(arg);
	proto = slash != NULL ? slash + 1 : defproto;
	if (len == 0) {
		snprintf(err, errlen, "missing service or port in '%s'",
		    errmsg_quote(arg, show, sizeof show));
		errno = EINVAL;
		return -1;
	}
	if (!services_proto_ok(proto)) {
		snprintf(err, errlen,
		    "invalid protocol '%s' in '%s' (udp or tcp)",
		    errmsg_quote(proto, show, 32),
		    errmsg_quote(arg, show2, sizeof show2));
		errno = EINVAL;
		return -1;
	}
	if (len >= sizeof what) {
		snprintf(err, errlen,
		    "invalid port '%s...' (0-65535 or a service name)",
		    errmsg_quote(arg, show, sizeof show));
		errno = EINVAL;
		return -1;
	}
	memcpy(what, arg, len);
	what[len] = '\0';
	/* addr decides what a port or a service name may look like. */
	if (addr_check_port(what, 1, aerr, sizeof aerr) == -1) {
		snprintf(err, errlen, "%s", aerr);
		errno = EINVAL;
		return -1;
	}
	if (isdigit((unsigned char)what[0]))
		q->port = (int)strtol(what, NULL, 10);
	else
		snprintf(q->name, sizeof q->name, "%s", what);
	snprintf(q->proto, sizeof q->proto, "%s", proto);
	return 0;
}

enum services_range
services_range_of(int port)
{
	if (port < 1024)
		return SERVICES_WELL_KNOWN;
	if (port < 49152)
		return SERVICES_REGISTERED;
	return SERVICES_DYNAMIC;
}

const char *
services_range_name(enum services_range r)
{
	switch (r) {
	case SERVICES_WELL_KNOWN:
		return "well-known";
	case SERVICES_REGISTERED:
		return "registered";
	case SERVICES_DYNAMIC:
	default:
		return "dynamic";
	}
}

/* Reads one port number at *pp; returns it, or -1. */
static long
services_read_port(const char **pp)
{
	const char *p = *pp;
	long v = 0;
	int digits = 0;

	while (*p == ' ' || *p == '\t')
		p++;
	while (isdigit((unsigned char)*p)) {
		if (++digits > 5)
			return -1;
		v = v * 10 + (*p++ - '0');
	}
	if (digits == 0 || v > 65535)
		return -1;
	*pp = p;
	return v;
}

int
services_parse_port_range(const char *text, int *low, int *high)
{
	const char *p = text;
	long lo, hi;

	if ((lo = services_read_port(&p)) < 0)
		return -1;
	if (*p != ' ' && *p != '\t')
		return -1;
	if ((hi = services_read_port(&p)) < 0)
		return -1;
	while (*p == ' ' || *p == '\t' || *p == '\n')
		p++;
	if (*p != '\0' || lo > hi)
		return -1;
	*low = (int)lo;
	*high = (int)hi;
	return 0;
}

const struct services_entry *
services_builtin_by_name(const char *name, const char *proto)
{
	const struct services_entry *e;
	size_t i, j;

	for (i = 0; i < SERVICES_NBUILTIN; i++) {
		e = &services_builtin[i];
		if (strcmp(e->proto, proto) != 0)
			continue;
		if (strcmp(e->name, name) == 0)
			return e;
		for (j = 0; j < SERVICES_ALIAS_MAX && e->aliases[j] != NULL;
		     j++) {
			if (strcmp(e->aliases[j], name) == 0)
				return e;
		}
	}
	return NULL;
}

const struct services_entry *
services_builtin_by_port(int port, const char *proto)
{
	size_t i;

	for (i = 0; i < SERVICES_NBUILTIN; i++) {
		if (services_builtin[i].port == port &&
		    strcmp(services_builtin[i].proto, proto) == 0)
			return &services_builtin[i];
	}
	return NULL;
}

const struct services_entry *
services_builtin_at(size_t i)
{
	return i < SERVICES_NBUILTIN ? &services_builtin[i] : NULL;
}
