/* SPDX-License-Identifier: ISC */
/*
 * "udptool resolve": what the system resolver (getaddrinfo, so /etc/hosts
 * and NSS apply) answers for a name or an address, in connect() order.
 */
#include "config.h"

#include <sys/socket.h>

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "errmsg.h"
#include "log.h"
#include "output.h"
#include "sock.h"
#include "udptool.h"

enum {
	RS_OPT_FIRST = 256,
	RS_OPT_CANONICAL,
};

enum rs_view {
	RS_ALL, /* every address (the seed's LookupHost) */
	RS_FIRST, /* the first address (ResolveIPAddr, ResolveUDPAddr) */
	RS_CANONICAL, /* the canonical name (LookupCNAME) */
};

struct rs_state {
	struct out o;
	int family;
	int reverse;
	enum rs_view view;
};

static const struct cmd_opt rs_options[] = {
    {'4', "ipv4", no_argument, NULL, "IPv4 addresses only"},
    {'6', "ipv6", no_argument, NULL, "IPv6 addresses only"},
    {'j', "json", no_argument, NULL, "print one JSON document"},
    {'r', "reverse", no_argument, NULL, "add the reverse name of each address"},
    {RS_OPT_FIRST, "first", no_argument, NULL, "print only the first address"},
    {RS_OPT_CANONICAL, "canonical", no_argument, NULL,
	"print only the canonical name"},
    {0, NULL, 0, NULL, NULL},
};

/* What a getaddrinfo or getnameinfo error means for the user. */
static const char *
rs_status_name(int rc)
{
	if (rc == 0)
		return "ok";
	if (sock_eai_not_found(rc) || rc == EAI_SERVICE)
		return "not_found";
	return rc == EAI_AGAIN ? "temporary_failure" : "failure";
}

/* Exit status for a resolver error: local trouble is 2, any answer 1. */
static int
rs_status_exit(int rc)
{
	if (rc == 0)
		return UT_EXIT_OK;
	if (rc == EAI_SYSTEM || rc == EAI_MEMORY)
		return UT_EXIT_ERROR;
	return UT_EXIT_NEGATIVE;
}

/* The resolver's reason, with EAI_SYSTEM's errno spelled out. */
static const char *
rs_reason(int rc, int saved_errno)
{
	if (rc == EAI_SYSTEM)
		return strerror(saved_errno);
	return gai_strerror(rc);
}

/* Tells "no such name" and "could not ask" apart in one line on stderr. */
static void
rs_report(const char *query, int rc, int saved_errno)
{
	char what[256];

	/* "name: reason", as warn(3) puts it; the name is escaped all the same. */
	errmsg_quote(query, what, sizeof what);
	switch (rc) {
	case EAI_AGAIN:
		log_warnx("%s: temporary failure, no answer from the name "
			  "servers (the name may exist; try again): %s",
		    what, rs_reason(rc, saved_errno));
		break;
	case EAI_FAIL:
		log_warnx("%s: the name servers failed: %s", what,
		    rs_reason(rc, saved_errno));
		break;
	case EAI_SYSTEM:
	case EAI_MEMORY:
		log_warnx("%s: %s", what, rs_reason(rc, saved_errno));
		break;
	default:
		log_warnx(
		    "%s: not found: %s", what, rs_reason(rc, saved_errno));
		break;
	}
}

/* Returns the family of a numeric address, or AF_UNSPEC for a name. */
static int
rs_numeric_family(const char *host)
{
	struct addrinfo hints, *res;
	int family;

	memset(&hints, 0, sizeof hints);
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_flags = AI_NUMERICHOST;
	if (getaddrinfo(host, NULL, &hints, &res) != 0)
		return AF_UNSPEC;
	family = res->ai_family;
	freeaddrinfo(res);
	return family;
}

/* Returns 1 if ai repeats an address earlier in the list. */
static int
rs_seen(const struct addrinfo *head, const struct addrinfo *ai)
{
	const struct addrinfo *p;

	for (p = head; p != ai; p = p->ai_next) {
		if (p->ai_addrlen == ai->ai_addrlen &&
		    memcmp(p->ai_addr, ai->ai_addr, ai->ai_addrlen) == 0)
			return 1;
	}
	return 0;
}

/* Prints one address line (or JSON object); returns the reverse lookup's code. */
static int
rs_print_address(struct rs_state *st, const struct addrinfo *ai, int has_port,
    int want_reverse, int width, const char *query)
{
	struct out *o = &st->o;
	char addr[ADDR_STRLEN], name[NI_MAXHOST];
	int rc = 0, saved;
	size_t len;

	/* Text shows the address as typed; JSON keeps the port apart. */
	addr_format(ai->ai_addr, ai->ai_addrlen, has_port ? ADDR_FMT_PORT : 0,
	    addr, sizeof addr);
	len = strlen(addr);
	out_obj_open(o, NULL);
	out_text(o, "%s%s%*s", st->view == RS_FIRST ? "" : "  ", addr,
	    width > (int)len ? width - (int)len : 0, "");
	out_str(o, "address", NULL,
	    addr_format(ai->ai_addr, ai->ai_addrlen, 0, addr, sizeof addr));
	if (has_port)
		out_int(o, "port", NULL, addr_get_port(ai->ai_addr));
	/* People read IPv4; JSON spells families as every command does. */
	out_text(o, "  %s", ai->ai_family == AF_INET6 ? "IPv6" : "IPv4");
	out_str(o, "family", NULL, ai->ai_family == AF_INET6 ? "ipv6" : "ipv4");
	if (want_reverse) {
		rc = getnameinfo(ai->ai_addr, ai->ai_addrlen, name, sizeof name,
		    NULL, 0, NI_NAMEREQD);
		saved = errno;
		out_str(o, "reverse", "  %s", rc == 0 ? name : NULL);
		out_str(o, "reverse_status", NULL, rs_status_name(rc));
		if (rc != 0 && rc != EAI_NONAME)
			rs_report(query, rc, saved);
	}
	out_text(o, "\n");
	out_obj_close(o);
	return rc;
}

/*
 * Resolves one argument and prints its answer; returns an exit status.
 * The argument has been checked by addr_parse() already.
 */
static int
rs_one(struct rs_state *st, const char *arg)
{
	struct out *o = &st->o;
	struct addr_spec spec;
	struct addrinfo hints, *res = NULL, *ai;
	char err[ADDR_ERRLEN], host[ADDR_HOST_MAX + ADDR_SCOPE_MAX + 1];
	char portbuf[16], a[ADDR_STRLEN], show[256];
	int rc, saved, port = -1, is_addr, width = 0, status = UT_EXIT_OK;
	int want_reverse;

	addr_parse(arg, ADDR_F_PORT_OPTIONAL | ADDR_F_V6_AMBIGUOUS, &spec, err,
	    sizeof err);
	addr_spec_host(&spec, host, sizeof host);

	out_obj_open(o, NULL);
	out_str(o, "query", NULL, arg);
	out_str(o, "host", NULL, host);
	if (spec.port[0] != '\0') {
		port = addr_port_number(spec.port, "udp", 0, err, sizeof err);
		if (port < 0) {
			log_warnx("%s: not found: %s",
			    errmsg_quote(arg, show, sizeof show), err);
			out_null(o, "port");
			out_str(o, "status", NULL, "not_found");
			out_str(o, "error", NULL, err);
			out_obj_close(o);
			return UT_EXIT_NEGATIVE;
		}
		out_int(o, "port", NULL, port);
	} else
		out_null(o, "port");
	snprintf(portbuf, sizeof portbuf, "%d", port < 0 ? 0 : port);

	memset(&hints, 0, sizeof hints);
	hints.ai_family = st->family;
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_protocol = IPPROTO_UDP;
	/* A numeric address is answered without asking any name server. */
	is_addr = rs_numeric_family(host) != AF_UNSPEC;
	hints.ai_flags =
	    AI_NUMERICSERV | (is_addr ? AI_NUMERICHOST : AI_CANONNAME);
	rc = getaddrinfo(host, portbuf, &hints, &res);
	saved = errno;
	out_bool(o, "is_address", NULL, is_addr);
	out_str(o, "status", NULL, rs_status_name(rc));
	if (rc != 0) {
		rs_report(arg, rc, saved);
		out_str(o, "error", NULL, rs_reason(rc, saved));
		out_obj_close(o);
		return rs_status_exit(rc);
	}

	/* With an address as the question, its name is the answer. */
	want_reverse = st->reverse || is_addr;
	/* getaddrinfo gives a numeric address as its own canonical name. */
	if (st->view == RS_CANONICAL)
		out_str(o, "canonical_name", "%s\n",
		    res->ai_canonname != NULL ? res->ai_canonname : host);
	else if (st->view == RS_ALL) {
		out_text(o, "%s: ", arg);
		if (is_addr)
			out_text(o, "address\n");
		out_str(o, "canonical_name",
		    is_addr ? NULL : "canonical name %s\n",
		    res->ai_canonname != NULL ? res->ai_canonname : host);
	} else
		out_str(o, "canonical_name", NULL,
		    res->ai_canonname != NULL ? res->ai_canonname : host);
	if (st->view != RS_CANONICAL) {
		for (ai = res; ai != NULL; ai = ai->ai_next) {
			size_t len =
			    strlen(addr_format(ai->ai_addr, ai->ai_addrlen,
				port >= 0 ? ADDR_FMT_PORT : 0, a, sizeof a));

			if ((int)len > width)
				width = (int)len;
		}
		out_arr_open(o, "addresses");
		for (ai = res; ai != NULL; ai = ai->ai_next) {
			if (rs_seen(res, ai))
				continue;
			rc = rs_print_address(
			    st, ai, port >= 0, want_reverse, width, arg);
			if (is_addr && rc != 0) {
				if (rc == EAI_NONAME)
					log_warnx("%s: no reverse name: %s",
					    errmsg_quote(
						arg, show, sizeof show),
					    gai_strerror(rc));
				status = UT_EXIT_NEGATIVE;
			}
			if (st->view == RS_FIRST)
				break;
		}
		out_arr_close(o);
	}
	out_obj_close(o);
	freeaddrinfo(res);
	return status;
}

static int
cmd_resolve_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct addr_spec spec;
	struct rs_state st;
	char err[ADDR_ERRLEN], host[ADDR_HOST_MAX + ADDR_SCOPE_MAX + 1];
	char show[256];
	int ch, rc, json = 0, i, family, status = UT_EXIT_OK;

	memset(&st, 0, sizeof st);
	st.family = AF_UNSPEC;
	st.view = RS_ALL;
	while ((ch = cmd_getopt(ctx, argc, argv)) != -1) {
		switch (ch) {
		case '4':
			st.family = AF_INET;
			break;
		case '6':
			st.family = AF_INET6;
			break;
		case 'j':
			json = 1;
			break;
		case 'r':
			st.reverse = 1;
			break;
		case RS_OPT_FIRST:
			st.view = RS_FIRST;
			break;
		case RS_OPT_CANONICAL:
			st.view = RS_CANONICAL;
			break;
		default:
			if ((rc = cmd_common_option(ctx, ch)) != -1)
				return rc;
			return cmd_usage_error(ctx, "unexpected option");
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		return cmd_usage_error(ctx, "missing name or address");

	/* Every argument is checked before any name server is asked. */
	for (i = 0; i < argc; i++) {
		if (addr_parse(argv[i],
			ADDR_F_PORT_OPTIONAL | ADDR_F_V6_AMBIGUOUS, &spec, err,
			sizeof err) == -1) {
			log_warnx("%s", err);
			return UT_EXIT_ERROR;
		}
		/* No host name starts with '-'; it is a misplaced option. */
		if (spec.host[0] == '-') {
			log_warnx("invalid name '%s' (options go before names)",
			    errmsg_quote(spec.host, show, sizeof show));
			return UT_EXIT_ERROR;
		}
		addr_spec_host(&spec, host, sizeof host);
		family = rs_numeric_family(host);
		if (family != AF_UNSPEC && st.family != AF_UNSPEC &&
		    family != st.family) {
			log_warnx("'%s' is an %s address, but -%c asks for %s",
			    errmsg_quote(argv[i], show, sizeof show),
			    family == AF_INET ? "IPv4" : "IPv6",
			    st.family == AF_INET ? '4' : '6',
			    st.family == AF_INET ? "IPv4" : "IPv6");
			return UT_EXIT_ERROR;
		}
	}

	out_init(&st.o, stdout, json);
	out_obj_open(&st.o, NULL);
	out_arr_open(&st.o, "results");
	for (i = 0; i < argc; i++) {
		rc = rs_one(&st, argv[i]);
		if (rc > status)
			status = rc;
	}
	out_arr_close(&st.o);
	out_obj_close(&st.o);
	return status;
}

const struct cmd_entry cmd_resolve_entry = {
    .name = "resolve",
    .usage = "[-46jr] [--first | --canonical] name|address[:port] ...",
    .summary = "resolve names and addresses as the system resolver does",
    .help =
	"Prints every address the system resolver (getaddrinfo, so\n"
	"/etc/hosts and NSS apply) returns for each name, once each, in the\n"
	"order connect() tries them, with family and canonical name.\n"
	"An address is answered with its reverse name; host:port resolves\n"
	"the port (a number or a service name) too.\n",
    .options = rs_options,
    .exec = cmd_resolve_exec,
};
