/* SPDX-License-Identifier: ISC */
/*
 * Address parsing and formatting without I/O (but for service-name and
 * interface-name lookups), so every rule here has a unit test.
 */
#include "config.h"

#include <sys/socket.h>

#include <arpa/inet.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "errmsg.h"
#include "num.h"

static int
addr_all_digits(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++) {
		if (!isdigit((unsigned char)*s))
			return 0;
	}
	return 1;
}

int
addr_check_port(const char *port, int allow_zero, char *err, size_t errlen)
{
	char show[96];
	const char *p;
	unsigned long v;

	if (*port == '\0')
		return errmsg_set(err, errlen, "missing port");
	if (addr_all_digits(port)) {
		if (strlen(port) > 5)
			v = 65536;
		else
			v = strtoul(port, NULL, 10);
		if (v > 65535 || (v == 0 && !allow_zero))
			return errmsg_set(err, errlen,
			    "invalid port '%s' (%s-65535)",
			    errmsg_quote(port, show, sizeof show),
			    allow_zero ? "0" : "1");
		return 0;
	}
	/* A service name: letters first, then letters, digits, - _ + . / */
	if (!isalpha((unsigned char)port[0]) || strlen(port) >= ADDR_PORT_MAX)
		goto bad;
	for (p = port; *p != '\0'; p++) {
		if (!isalnum((unsigned char)*p) && strchr("-_+./", *p) == NULL)
			goto bad;
	}
	return 0;
bad:
	return errmsg_set(err, errlen,
	    "invalid port '%s' (%s-65535 or a service name)",
	    errmsg_quote(port, show, sizeof show), allow_zero ? "0" : "1");
}

int
addr_port_number(const char *port, const char *proto, int allow_zero, char *err,
    size_t errlen)
{
	struct servent *se;
	char show[96];

	if (addr_check_port(port, allow_zero, err, errlen) == -1)
		return -1;
	if (addr_all_digits(port))
		return (int)strtoul(port, NULL, 10);
	se = getservbyname(port, proto);
	if (se == NULL)
		return errmsg_set(err, errlen, "unknown service '%s' for %s",
		    errmsg_quote(port, show, sizeof show), proto);
	return ntohs((uint16_t)se->s_port);
}

int
addr_check_scope(const char *scope, const char *input, char *err, size_t errlen)
{
	char show[96];
	const char *p;

	if (*scope == '\0')
		return errmsg_set(err, errlen,
		    "missing scope after '%%' in '%s'",
		    errmsg_quote(input, show, sizeof show));
	if (strlen(scope) >= ADDR_SCOPE_MAX)
		return errmsg_set(err, errlen, "scope too long in '%s'",
		    errmsg_quote(input, show, sizeof show));
	for (p = scope; *p != '\0'; p++) {
		if (!isalnum((unsigned char)*p) && strchr("-_.@:", *p) == NULL)
			return errmsg_set(err, errlen, "invalid scope '%s'",
			    errmsg_quote(scope, show, sizeof show));
	}
	return 0;
}

int
addr_is_v6_literal(const char *s)
{
	struct in6_addr a;
	char buf[INET6_ADDRSTRLEN + ADDR_SCOPE_MAX];
	char *pct;

	if (strlen(s) >= sizeof buf)
		return 0;
	strcpy(buf, s);
	if ((pct = strchr(buf, '%')) != NULL) {
		/* The scope may be checked later, but never holds odd bytes. */
		*pct++ = '\0';
		for (; *pct != '\0'; pct++) {
			if (!isalnum((unsigned char)*pct) &&
			    strchr("-_.@", *pct) == NULL)
				return 0;
		}
	}
	return inet_pton(AF_INET6, buf, &a) == 1;
}

/* Splits "v6%scope" into spec; the address part must be an IPv6 literal. */
static int
addr_set_v6(struct addr_spec *spec, const char *lit, size_t len,
    const char *input, char *err, size_t errlen)
{
	char buf[ADDR_HOST_MAX], show[96];
	struct in6_addr a;
	char *pct;

	if (len >= sizeof buf)
		return errmsg_set(err, errlen, "address too long: '%s'",
		    errmsg_quote(input, show, sizeof show));
	memcpy(buf, lit, len);
	buf[len] = '\0';
	if ((pct = strchr(buf, '%')) != NULL) {
		*pct++ = '\0';
		if (addr_check_scope(pct, input, err, errlen) == -1)
			return -1;
		strcpy(spec->scope, pct);
	}
	if (inet_pton(AF_INET6, buf, &a) != 1)
		return errmsg_set(err, errlen, "invalid IPv6 address '%s'",
		    errmsg_quote(buf, show, sizeof show));
	strcpy(spec->host, buf);
	spec->v6 = 1;
	return 0;
}

static int
addr_set_host(struct addr_spec *spec, const char *host, size_t len,
    const char *input, char *err, size_t errlen)
{
	char show[96];
	size_t i;

	if (len >= ADDR_HOST_MAX)
		return errmsg_set(err, errlen, "host name too long in '%s'",
		    errmsg_quote(input, show, sizeof show));
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)host[i];

		if (c == '%')
			return errmsg_set(err, errlen,
			    "a scope needs an IPv6 address: '%s'",
			    errmsg_quote(input, show, sizeof show));
		if (!isalnum(c) && c != '.' && c != '-' && c != '_')
			return errmsg_set(err, errlen,
			    "invalid character '%s' in host '%s'",
			    errmsg_quote(
				(char[]){(char)c, '\0'}, show, sizeof show),
			    errmsg_quote(input, show + 48, sizeof show - 48));
	}
	memcpy(spec->host, host, len);
	spec->host[len] = '\0';
	return 0;
}

static int
addr_spec_port(struct addr_spec *spec, const char *port, int flags,
    const char *input, char *err, size_t errlen)
{
	char show[96];

	if (flags & ADDR_F_NO_PORT)
		return errmsg_set(err, errlen, "unexpected port in '%s'",
		    errmsg_quote(input, show, sizeof show));
	if (*port == '\0')
		return errmsg_set(err, errlen, "missing port after ':' in '%s'",
		    errmsg_quote(input, show, sizeof show));
	if (addr_check_port(port, flags & ADDR_F_SERVER, err, errlen) == -1)
		return -1;
	strcpy(spec->port, port);
	return 0;
}

int
addr_parse(const char *input, int flags, struct addr_spec *spec, char *err,
    size_t errlen)
{
	char show[96];
	const char *close, *colon;
	size_t colons;

	memset(spec, 0, sizeof *spec);
	if (input == NULL || *input == '\0')
		return errmsg_set(err, errlen, "empty address");
	if (strlen(input) > ADDR_INPUT_MAX)
		return errmsg_set(err, errlen,
		    "address too long (%zu characters)", strlen(input));

	if (input[0] == '[') {
		close = strchr(input, ']');
		if (close == NULL)
			return errmsg_set(err, errlen, "missing ']' in '%s'",
			    errmsg_quote(input, show, sizeof show));
		if (close == input + 1)
			return errmsg_set(err, errlen, "empty address in '[]'");
		if (addr_set_v6(spec, input + 1, (size_t)(close - input - 1),
			input, err, errlen) == -1)
			return -1;
		if (close[1] == '\0') {
			if (flags & (ADDR_F_PORT_OPTIONAL | ADDR_F_NO_PORT))
				return 0;
			return errmsg_set(err, errlen,
			    "missing port in '%s' (use %s:PORT)",
			    errmsg_quote(input, show, sizeof show), show);
		}
		if (close[1] != ':')
			return errmsg_set(err, errlen,
			    "unexpected '%s' after ']' in '%s' (use "
			    "[ADDRESS]:PORT)",
			    errmsg_quote((char[]){close[1], '\0'}, show, 48),
			    errmsg_quote(input, show + 48, sizeof show - 48));
		return addr_spec_port(
		    spec, close + 2, flags, input, err, errlen);
	}

	colons = 0;
	for (colon = input; (colon = strchr(colon, ':')) != NULL; colon++)
		colons++;

	if (colons == 0) {
		if ((flags & ADDR_F_SERVER) &&
		    (!(flags & ADDR_F_BARE_HOST) ||
			strspn(input, "0123456789") == strlen(input)))
			return addr_spec_port(spec, input,
			    flags & ~ADDR_F_NO_PORT, input, err, errlen);
		if (strchr(input, '%') != NULL)
			return errmsg_set(err, errlen,
			    "a scope needs an IPv6 address: '%s'",
			    errmsg_quote(input, show, sizeof show));
		if (addr_set_host(
			spec, input, strlen(input), input, err, errlen) == -1)
			return -1;
		if (flags & (ADDR_F_PORT_OPTIONAL | ADDR_F_NO_PORT))
			return 0;
		return errmsg_set(err, errlen,
		    "missing port in '%s' (use %s:PORT)",
		    errmsg_quote(input, show, sizeof show), show);
	}

	if (colons == 1) {
		colon = strchr(input, ':');
		if (colon == input) {
			if (!(flags & ADDR_F_SERVER))
				return errmsg_set(err, errlen,
				    "missing host in '%s'",
				    errmsg_quote(input, show, sizeof show));
		} else if (addr_set_host(spec, input, (size_t)(colon - input),
			       input, err, errlen) == -1)
			return -1;
		return addr_spec_port(
		    spec, colon + 1, flags, input, err, errlen);
	}

	/* Two or more colons without brackets: an IPv6 address and no port. */
	if (addr_is_v6_literal(input)) {
		if ((flags & ADDR_F_NO_PORT) ||
		    ((flags & ADDR_F_PORT_OPTIONAL) &&
			!(flags & ADDR_F_V6_AMBIGUOUS)))
			return addr_set_v6(
			    spec, input, strlen(input), input, err, errlen);
		colon = strrchr(input, ':');
		/* Where a port is optional, only digits make a port of it. */
		if (colon[1] != '\0' &&
		    addr_check_port(colon + 1, 1, NULL, 0) == 0 &&
		    (!(flags & ADDR_F_PORT_OPTIONAL) ||
			strspn(colon + 1, "0123456789") == strlen(colon + 1)) &&
		    colon > input && colon[-1] != ':') {
			char head[ADDR_HOST_MAX];
			size_t hl = (size_t)(colon - input);

			if (hl < sizeof head) {
				memcpy(head, input, hl);
				head[hl] = '\0';
				if (addr_is_v6_literal(head))
					return errmsg_set(err, errlen,
					    "ambiguous address '%s': write "
					    "[%s]:%s for "
					    "port %s, or [%s]%s",
					    errmsg_quote(
						input, show, sizeof show),
					    head, colon + 1, colon + 1, input,
					    flags & ADDR_F_PORT_OPTIONAL
						? " for the address"
						: ":PORT");
			}
		}
		if (flags & ADDR_F_PORT_OPTIONAL)
			return addr_set_v6(
			    spec, input, strlen(input), input, err, errlen);
		return errmsg_set(err, errlen,
		    "missing port for IPv6 address '%s' (use [%s]:PORT)",
		    errmsg_quote(input, show, sizeof show), show);
	}
	colon = strrchr(input, ':');
	{
		char head[ADDR_HOST_MAX];
		size_t hl = (size_t)(colon - input);

		/* Suggest brackets only when what follows looks like a port. */
		if (hl < sizeof head &&
		    addr_check_port(colon + 1, 1, NULL, 0) == 0) {
			memcpy(head, input, hl);
			head[hl] = '\0';
			if (addr_is_v6_literal(head))
				return errmsg_set(err, errlen,
				    "ambiguous address '%s' (use [%s]:%s)",
				    errmsg_quote(input, show, sizeof show),
				    head, colon + 1);
		}
	}
	return errmsg_set(err, errlen, "invalid address '%s'",
	    errmsg_quote(input, show, sizeof show));
}

int
addr_parse_pair(const char *host, const char *port, int flags,
    struct addr_spec *spec, char *err, size_t errlen)
{
	char show[96];

	memset(spec, 0, sizeof *spec);
	if (host == NULL || *host == '\0')
		return errmsg_set(err, errlen, "empty host");
	if (strlen(host) > ADDR_INPUT_MAX)
		return errmsg_set(err, errlen, "host too long (%zu characters)",
		    strlen(host));
	if (host[0] == '[') {
		size_t len = strlen(host);

		if (len < 3 || host[len - 1] != ']')
			return errmsg_set(err, errlen, "invalid address '%s'",
			    errmsg_quote(host, show, sizeof show));
		if (addr_set_v6(spec, host + 1, len - 2, host, err, errlen) ==
		    -1)
			return -1;
	} else if (strchr(host, ':') != NULL) {
		if (addr_set_v6(spec, host, strlen(host), host, err, errlen) ==
		    -1)
			return -1;
	} else if (addr_set_host(spec, host, strlen(host), host, err, errlen) ==
	    -1)
		return -1;
	return addr_spec_port(spec, port, flags, port, err, errlen);
}

int
addr_same(const struct sockaddr *a, const struct sockaddr *b, int ports)
{
	const struct sockaddr_in
	    *a4 = (const struct sockaddr_in *)(const void *)a,
	    *b4 = (const struct sockaddr_in *)(const void *)b;
	const struct sockaddr_in6
	    *a6 = (const struct sockaddr_in6 *)(const void *)a,
	    *b6 = (const struct sockaddr_in6 *)(const void *)b;

	if (a->sa_family != b->sa_family)
		return 0;
	if (a->sa_family == AF_INET)
		return a4->sin_addr.s_addr == b4->sin_addr.s_addr &&
		    (!ports || a4->sin_port == b4->sin_port);
	if (a->sa_family == AF_INET6)
		return memcmp(&a6->sin6_addr, &b6->sin6_addr,
			   sizeof a6->sin6_addr) == 0 &&
		    (!ports ||
			(a6->sin6_port == b6->sin6_port &&
			    a6->sin6_scope_id == b6->sin6_scope_id));
	return 0;
}

int
addr_parse_args(int argc, const char *const argv[], int flags,
    struct addr_spec *spec, char *err, size_t errlen)
{
	char err2[ADDR_ERRLEN];
	const char *p;

	if (argc < 1)
		return errmsg_set(err, errlen, "missing address");
	/* A server takes one address: two words can only be HOST PORT. */
	if (argc == 2 && (flags & ADDR_F_SERVER) &&
	    addr_parse_pair(argv[0], argv[1], flags, spec, err2, sizeof err2) ==
		0)
		return 2;
	if (addr_parse(argv[0], flags, spec, err, errlen) == 0)
		return 1;
	if (argc < 2 || (flags & ADDR_F_NO_PORT))
		return -1;
	/*
	 * The second word is a port only if it is a number or a known UDP
	 * service: "send ::1:53 hello" keeps its ambiguity hint rather than
	 * become host "::1:53", service "hello".
	 */
	for (p = argv[1]; *p >= '0' && *p <= '9'; p++)
		;
	if ((*p != '\0' || p == argv[1]) &&
	    (addr_check_port(argv[1], 0, NULL, 0) == -1 ||
		getservbyname(argv[1], "udp") == NULL))
		return -1;
	if (addr_parse_pair(argv[0], argv[1], flags, spec, err2, sizeof err2) ==
	    0)
		return 2;
	/* Name the port's fault when the second word was meant as one. */
	if (*p == '\0')
		snprintf(err, errlen, "%s", err2);
	return -1;
}

char *
addr_spec_host(const struct addr_spec *spec, char *buf, size_t size)
{
	if (spec->scope[0] != '\0')
		snprintf(buf, size, "%s%%%s", spec->host, spec->scope);
	else
		snprintf(buf, size, "%s", spec->host);
	return buf;
}

char *
addr_spec_format(const struct addr_spec *spec, char *buf, size_t size)
{
	char host[ADDR_HOST_MAX + ADDR_SCOPE_MAX + 1];

	addr_spec_host(spec, host, sizeof host);
	if (spec->port[0] == '\0')
		snprintf(buf, size, "%s", host);
	else if (spec->v6)
		snprintf(buf, size, "[%s]:%s", host, spec->port);
	else
		snprintf(buf, size, "%s:%s", host, spec->port);
	return buf;
}

void
addr_unmap(struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in s4;

	if (ss->ss_family != AF_INET6 || !IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr))
		return;
	memset(&s4, 0, sizeof s4);
	s4.sin_family = AF_INET;
	s4.sin_port = s6->sin6_port;
	memcpy(&s4.sin_addr, &s6->sin6_addr.s6_addr[12], 4);
	memset(ss, 0, sizeof *ss);
	memcpy(ss, &s4, sizeof s4);
	if (len != NULL)
		*len = sizeof s4;
}

char *
addr_format_in6(const struct in6_addr *a, char *buf, size_t size)
{
	unsigned int w[8];
	int i, best = -1, bestlen = 0, run = -1, runlen = 0, mapped;
	size_t o = 0;

	/*
	 * inet_ntop() prints the deprecated IPv4-compatible form (::1:53
	 * becomes ::0.1.0.83); RFC 5952 keeps hex for all but IPv4-mapped
	 * addresses, which keep the dotted tail (section 5).
	 */
	mapped = IN6_IS_ADDR_V4MAPPED(a);
	for (i = 0; i < 8; i++) {
		w[i] = (unsigned int)a->s6_addr[2 * i] << 8 |
		    a->s6_addr[2 * i + 1];
		if (w[i] == 0) {
			if (run == -1) {
				run = i;
				runlen = 0;
			}
			if (++runlen > bestlen) {
				best = run;
				bestlen = runlen;
			}
		} else
			run = -1;
	}
	if (bestlen < 2)
		best = -1;
	if (size > 0)
		buf[0] = '\0';
	for (i = 0; i < (mapped ? 6 : 8) && o < size; i++) {
		if (i == best) {
			o += (size_t)snprintf(buf + o, size - o, "::");
			i += bestlen - 1;
			continue;
		}
		o += (size_t)snprintf(buf + o, size - o, "%s%x",
		    i > 0 && i != best + bestlen ? ":" : "", w[i]);
	}
	if (mapped && o < size)
		snprintf(buf + o, size - o, ":%u.%u.%u.%u", a->s6_addr[12],
		    a->s6_addr[13], a->s6_addr[14], a->s6_addr[15]);
	return buf;
}

char *
addr_format(
    const struct sockaddr *sa, socklen_t len, int flags, char *buf, size_t size)
{
	struct sockaddr_storage ss;
	char host[INET6_ADDRSTRLEN], scope[IF_NAMESIZE + 1];
	const struct sockaddr_in *s4;
	const struct sockaddr_in6 *s6;

	if (size == 0)
		return buf;
	buf[0] = '\0';
	if (sa == NULL || len > sizeof ss ||
	    (sa->sa_family == AF_INET && len < sizeof(struct sockaddr_in)) ||
	    (sa->sa_family == AF_INET6 && len < sizeof(struct sockaddr_in6))) {
		snprintf(buf, size, "?");
		return buf;
	}
	memset(&ss, 0, sizeof ss);
	memcpy(&ss, sa, len);
	addr_unmap(&ss, &len);
	if (ss.ss_family == AF_INET) {
		s4 = (const struct sockaddr_in *)&ss;
		inet_ntop(AF_INET, &s4->sin_addr, host, sizeof host);
		if (flags & ADDR_FMT_PORT)
			snprintf(buf, size, "%s:%u", host, ntohs(s4->sin_port));
		else
			snprintf(buf, size, "%s", host);
	} else if (ss.ss_family == AF_INET6) {
		s6 = (const struct sockaddr_in6 *)&ss;
		addr_format_in6(&s6->sin6_addr, host, sizeof host);
		scope[0] = '\0';
		if (s6->sin6_scope_id != 0 && !(flags & ADDR_FMT_NOSCOPE)) {
			char name[IF_NAMESIZE];

			if (!(flags & ADDR_FMT_NUMSCOPE) &&
			    if_indextoname(s6->sin6_scope_id, name) != NULL)
				snprintf(scope, sizeof scope, "%%%s", name);
			else
				snprintf(scope, sizeof scope, "%%%u",
				    (unsigned)s6->sin6_scope_id);
		}
		if (flags & ADDR_FMT_PORT)
			snprintf(buf, size, "[%s%s]:%u", host, scope,
			    ntohs(s6->sin6_port));
		else
			snprintf(buf, size, "%s%s", host, scope);
	} else {
		snprintf(buf, size, "(family %d)", ss.ss_family);
	}
	return buf;
}

uint16_t
addr_get_port(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)sa)->sin_port);
	if (sa->sa_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)sa)->sin6_port);
	return 0;
}

void
addr_set_port(struct sockaddr *sa, uint16_t port)
{
	if (sa->sa_family == AF_INET)
		((struct sockaddr_in *)sa)->sin_port = htons(port);
	else if (sa->sa_family == AF_INET6)
		((struct sockaddr_in6 *)sa)->sin6_port = htons(port);
}

int
addr_parse_cidr(
    const char *input, struct addr_cidr *cidr, char *err, size_t errlen)
{
	char buf[INET6_ADDRSTRLEN + 8], show[96];
	const char *slash;
	size_t alen;
	int max, i;

	memset(cidr, 0, sizeof *cidr);
	if (input == NULL || *input == '\0')
		return errmsg_set(err, errlen, "empty network");
	slash = strchr(input, '/');
	alen = slash != NULL ? (size_t)(slash - input) : strlen(input);
	if (alen == 0 || alen >= sizeof buf)
		return errmsg_set(err, errlen, "invalid network '%s'",
		    errmsg_quote(input, show, sizeof show));
	memcpy(buf, input, alen);
	buf[alen] = '\0';
	if (inet_pton(AF_INET, buf, cidr->addr) == 1) {
		cidr->family = AF_INET;
		max = 32;
	} else if (inet_pton(AF_INET6, buf, cidr->addr) == 1) {
		cidr->family = AF_INET6;
		max = 128;
	} else
		return errmsg_set(err, errlen, "invalid network address '%s'",
		    errmsg_quote(buf, show, sizeof show));
	cidr->prefix = max;
	if (slash != NULL) {
		if (!addr_all_digits(slash + 1) || strlen(slash + 1) > 3 ||
		    atoi(slash + 1) > max)
			return errmsg_set(err, errlen,
			    "invalid prefix length '%s' (0-%d)",
			    errmsg_quote(slash + 1, show, sizeof show), max);
		cidr->prefix = atoi(slash + 1);
	}
	/* Clear host bits so that comparisons are plain. */
	for (i = cidr->prefix; i < max; i++)
		cidr->addr[i / 8] &= (uint8_t) ~(0x80 >> (i % 8));
	return 0;
}

int
addr_cidr_contains(const struct addr_cidr *cidr, const struct sockaddr *sa)
{
	const uint8_t *a;
	int i, family = sa->sa_family;

	if (family == AF_INET) {
		a = (const uint8_t *)&((const struct sockaddr_in *)sa)
			->sin_addr;
	} else if (family == AF_INET6) {
		const struct in6_addr *in6 =
		    &((const struct sockaddr_in6 *)sa)->sin6_addr;

		if (IN6_IS_ADDR_V4MAPPED(in6)) {
			family = AF_INET;
			a = &in6->s6_addr[12];
		} else
			a = in6->s6_addr;
	} else
		return 0;
	if (family != cidr->family)
		return 0;
	for (i = 0; i < cidr->prefix / 8; i++) {
		if (a[i] != cidr->addr[i])
			return 0;
	}
	if (cidr->prefix % 8 != 0) {
		uint8_t m = (uint8_t)(0xff << (8 - cidr->prefix % 8));

		if ((a[i] & m) != cidr->addr[i])
			return 0;
	}
	return 1;
}

int
addr_parse_group(const char *s, struct addr_group *g, char *err, size_t errlen)
{
	char host[ADDR_GROUP_MAX], *pct;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&g->group;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&g->group;
	long long v;

	memset(g, 0, sizeof *g);
	if (strlen(s) >= ADDR_GROUP_MAX) {
		snprintf(err, errlen, "multicast group too long");
		return -1;
	}
	snprintf(g->text, sizeof g->text, "%s", s);
	snprintf(host, sizeof host, "%s", s);
	pct = strchr(host, '%');
	if (pct != NULL) {
		*pct++ = '\0';
		g->ifindex = if_nametoindex(pct);
		if (g->ifindex == 0) {
			/* Or an interface index, as ip-link(8) prints it. */
			if (num_int(pct, 1, 0x7fffffff, 0, &v, NULL) == -1) {
				snprintf(err, errlen,
				    "unknown interface '%s' in '%s'",
				    ERRMSG_QUOTE(pct), ERRMSG_QUOTE(s));
				return -1;
			}
			g->ifindex = (unsigned)v;
		}
	}
	if (inet_pton(AF_INET, host, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		if (!IN_MULTICAST(ntohl(s4->sin_addr.s_addr)))
			goto notgroup;
	} else if (inet_pton(AF_INET6, host, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		if (!IN6_IS_ADDR_MULTICAST(&s6->sin6_addr))
			goto notgroup;
	} else {
		snprintf(err, errlen, "invalid multicast group '%s'",
		    ERRMSG_QUOTE(s));
		return -1;
	}
	return 0;
notgroup:
	snprintf(err, errlen,
	    "'%s' is not a multicast address "
	    "(224.0.0.0/4, ff00::/8)",
	    ERRMSG_QUOTE(host));
	return -1;
}

int
addr_parse_source(
    const char *s, struct sockaddr_storage *ss, char *err, size_t errlen)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof *ss);
	if (inet_pton(AF_INET, s, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		return 0;
	}
	snprintf(err, errlen,
	    "invalid source address '%s' (an IPv4 or "
	    "IPv6 literal)",
	    ERRMSG_QUOTE(s));
	return -1;
}

int
addr_joins_add(
    struct addr_joins *j, int source, const char *s, char *err, size_t errlen)
{
	int *n = source ? &j->nsources : &j->ngroups;

	if (*n == ADDR_JOIN_MAX) {
		errno = E2BIG;
		return -1;
	}
	if ((source ? addr_parse_source(s, &j->source[*n], err, errlen)
		    : addr_parse_group(s, &j->group[*n], err, errlen)) == -1) {
		errno = EINVAL;
		return -1;
	}
	(*n)++;
	return 0;
}

int
addr_source_opts(const char *source, const char *port, struct addr_spec *spec,
    char *err, size_t errlen)
{
	char e[ADDR_ERRLEN], show[ERRMSG_QUOTE_MAX], show2[ERRMSG_QUOTE_MAX];

	if (source != NULL &&
	    addr_parse(source,
		ADDR_F_PORT_OPTIONAL | ADDR_F_SERVER | ADDR_F_BARE_HOST, spec,
		e, sizeof e) == -1) {
		snprintf(err, errlen, "invalid source: %s", e);
		return -1;
	}
	if (port == NULL)
		return source != NULL;
	if (addr_check_port(port, 1, err, errlen) == -1)
		return -1;
	if (source != NULL && spec->port[0] != '\0' &&
	    strcmp(spec->port, port) != 0) {
		snprintf(err, errlen,
		    "-p '%s' and -s '%s' name two source ports",
		    errmsg_quote(port, show, sizeof show),
		    errmsg_quote(source, show2, sizeof show2));
		return -1;
	}
	snprintf(spec->port, sizeof spec->port, "%s", port);
	return 1;
}
