/* SPDX-License-Identifier: ISC */
/*
 * "udptool lookup-port": service names to ports and back through the
 * system's services database, with IANA range and ephemeral-range labels.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netdb.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "addr.h"
#include "errmsg.h"
#include "log.h"
#include "output.h"
#include "services.h"
#include "udptool.h"

#define LP_RANGE_FILE "/proc/sys/net/ipv4/ip_local_port_range"

struct lp_state {
	struct out o;
	int builtin; /* the system has no services database */
	int raw; /* -r: only the answer */
	int eph_low; /* ephemeral range, -1 unknown */
	int eph_high;
};

/* One answer, from the system's database or the built-in table. */
struct lp_answer {
	const char *name; /* NULL: no service on this port */
	int port;
	const char *proto;
	const char *const *aliases; /* NULL-terminated, or NULL */
};

static const struct cmd_opt lp_options[] = {
    {'j', "json", no_argument, NULL, "print one JSON document"},
    {'l', "list", no_argument, NULL, "list every service of the protocol"},
    {'r', "raw", no_argument, NULL,
	"print only the answer, the port or the name: one\n"
	"line per query, empty when it is not found"},
    {0, NULL, 0, NULL, NULL},
};

/* Reads this host's ephemeral port range; leaves -1 when unknown. */
static void
lp_read_ephemeral(struct lp_state *st)
{
	char buf[64];
	FILE *fp;
	size_t n;

	st->eph_low = st->eph_high = -1;
	if ((fp = fopen(LP_RANGE_FILE, "re")) == NULL)
		return;
	n = fread(buf, 1, sizeof buf - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	if (services_parse_port_range(buf, &st->eph_low, &st->eph_high) == -1)
		st->eph_low = st->eph_high = -1;
}

/*
 * Returns 1 if the system's services database has no entries at all: no
 * /etc/services (minimal containers) or an empty one.  Asking through
 * getservent() keeps NSS in charge of where the database lives.
 */
static int
lp_database_empty(void)
{
	struct servent *se;

	setservent(0);
	se = getservent();
	endservent();
	return se == NULL;
}

static void
lp_from_builtin(const struct services_entry *e, struct lp_answer *a)
{
	a->name = e->name;
	a->port = e->port;
	a->proto = e->proto;
	a->aliases = e->aliases;
}

static void
lp_from_servent(const struct servent *se, struct lp_answer *a)
{
	a->name = se->s_name;
	a->port = ntohs((uint16_t)se->s_port);
	a->proto = se->s_proto;
	a->aliases = (const char *const *)se->s_aliases;
}

/* Looks q up; returns 1 with *a filled, or 0 when not found. */
static int
lp_lookup(
    struct lp_state *st, const struct services_query *q, struct lp_answer *a)
{
	const struct services_entry *e;
	struct servent *se;

	memset(a, 0, sizeof *a);
	a->port = q->port;
	a->proto = q->proto;
	if (st->builtin) {
		e = q->port >= 0 ? services_builtin_by_port(q->port, q->proto)
				 : services_builtin_by_name(q->name, q->proto);
		if (e == NULL)
			return 0;
		lp_from_builtin(e, a);
		return 1;
	}
	se = q->port >= 0 ? getservbyport(htons((uint16_t)q->port), q->proto)
			  : getservbyname(q->name, q->proto);
	if (se == NULL)
		return 0;
	lp_from_servent(se, a);
	return 1;
}

/*
 * Prints one answer, or only its query when a->port < 0 (an unknown name).
 * by_port says which way the question went, for --raw.
 */
/* With a miss: what the other protocol has ("other_protocol" in JSON). */
static void
lp_print_other(struct out *o, const struct lp_answer *other)
{
	if (!o->json)
		return;
	if (other == NULL || other->name == NULL) {
		out_null(o, "other_protocol");
		return;
	}
	out_obj_open(o, "other_protocol");
	out_str(o, "name", NULL, other->name);
	out_int(o, "port", NULL, other->port);
	out_str(o, "protocol", NULL, other->proto);
	out_obj_close(o);
}

static void
lp_print(struct lp_state *st, const char *query, int by_port,
    const struct lp_answer *a, const struct lp_answer *other)
{
	struct out *o = &st->o;
	char pp[16], *tmp = NULL;
	int eph, i;

	out_obj_open(o, NULL);
	if (query != NULL)
		out_str(o, "query", NULL, query);
	out_bool(o, "found", NULL, a->name != NULL);
	/* One line per query, empty for a miss, so scripts stay in step. */
	if (st->raw) {
		if (a->name == NULL)
			out_text(o, "\n");
		else if (by_port) {
			out_text(o, "%s\n", out_escaped(a->name, &tmp));
			free(tmp);
		} else
			out_text(o, "%d\n", a->port);
	}
	if (a->port < 0) {
		out_str(o, "protocol", NULL, a->proto);
		lp_print_other(o, other);
		out_obj_close(o);
		return;
	}
	snprintf(pp, sizeof pp, "%d/%s", a->port, a->proto);
	if (!st->raw) {
		out_text(o, "%-15s %-9s ", out_escaped(a->name, &tmp), pp);
		free(tmp);
	}
	out_str(o, "name", NULL, a->name);
	out_int(o, "port", NULL, a->port);
	out_str(o, "protocol", NULL, a->proto);
	out_str(o, "range", st->raw ? NULL : "%s",
	    services_range_name(services_range_of(a->port)));
	eph = st->eph_low >= 0 && a->port >= st->eph_low &&
	    a->port <= st->eph_high;
	if (st->eph_low >= 0)
		out_bool(o, "ephemeral", NULL, eph);
	else
		out_null(o, "ephemeral");
	if (eph && !st->raw)
		out_text(o, " ephemeral");
	out_arr_open(o, "aliases");
	for (i = 0; a->aliases != NULL && a->aliases[i] != NULL; i++) {
		if (!st->raw)
			out_text(o, "%s", i == 0 ? "  aliases:" : "");
		out_str(o, NULL, st->raw ? NULL : " %s", a->aliases[i]);
	}
	out_arr_close(o);
	if (a->name == NULL)
		lp_print_other(o, other);
	if (!st->raw)
		out_text(o, "\n");
	out_obj_close(o);
}

/*
 * Returns 1 if word names an IP protocol other than udp and tcp (sctp,
 * dccp, udplite...) and no service: in the protocol's place, as in
 * "lookup-port sctp domain", it is a protocol this command cannot serve.
 */
static int
lp_other_protocol(const char *word)
{
	static const char *const known[] = {
	    "sctp", "dccp", "udplite", "icmp", "ipv6-icmp", "raw"};
	size_t i;

	if (getservbyname(word, "udp") != NULL ||
	    getservbyname(word, "tcp") != NULL ||
	    services_builtin_by_name(word, "udp") != NULL ||
	    services_builtin_by_name(word, "tcp") != NULL)
		return 0;
	if (getprotobyname(word) != NULL)
		return 1;
	/* Without /etc/protocols, the ones people try. */
	for (i = 0; i < sizeof known / sizeof known[0]; i++) {
		if (strcasecmp(word, known[i]) == 0)
			return 1;
	}
	return 0;
}

/*
 * Reports a miss, naming what the other protocol has: "http" is only
 * 80/tcp in most databases, and someone asking for it over UDP should
 * learn that rather than think the name is unknown.  Fills *other (name
 * NULL when the other protocol has nothing either).
 */
static void
lp_miss(struct lp_state *st, const struct services_query *q,
    struct lp_answer *other)
{
	struct services_query oq = *q;
	char show[64];

	snprintf(oq.proto, sizeof oq.proto, "%s",
	    strcmp(q->proto, "udp") == 0 ? "tcp" : "udp");
	if (!lp_lookup(st, &oq, other))
		other->name = NULL;
	if (q->port >= 0 && other->name != NULL)
		log_warnx("no %s service on port %d (%s has %s)", q->proto,
		    q->port, oq.proto, other->name);
	else if (q->port >= 0)
		log_warnx("no %s service on port %d", q->proto, q->port);
	else if (other->name != NULL)
		log_warnx("unknown %s service '%s' (it exists as %d/%s)",
		    q->proto, errmsg_quote(q->name, show, sizeof show),
		    other->port, oq.proto);
	else
		log_warnx("unknown %s service '%s'", q->proto,
		    errmsg_quote(q->name, show, sizeof show));
}

/* Lists every entry of the database for proto. */
static void
lp_list(struct lp_state *st, const char *proto)
{
	const struct services_entry *e;
	struct lp_answer a;
	struct servent *se;
	size_t i;

	if (st->builtin) {
		for (i = 0; (e = services_builtin_at(i)) != NULL; i++) {
			if (strcmp(e->proto, proto) != 0)
				continue;
			lp_from_builtin(e, &a);
			lp_print(st, NULL, 1, &a, NULL);
		}
		return;
	}
	setservent(1);
	while ((se = getservent()) != NULL) {
		if (strcmp(se->s_proto, proto) != 0)
			continue;
		lp_from_servent(se, &a);
		lp_print(st, NULL, 1, &a, NULL);
	}
	endservent();
}

static int
cmd_lookup_port_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct services_query q;
	struct lp_answer a;
	struct lp_state st;
	char err[ADDR_ERRLEN], show[256];
	const char *proto = "udp";
	struct lp_answer other;
	int ch, rc, json = 0, list = 0, i, found, status = UT_EXIT_OK;

	memset(&st, 0, sizeof st);
	while ((ch = cmd_getopt(ctx, argc, argv)) != -1) {
		switch (ch) {
		case 'j':
			json = 1;
			break;
		case 'l':
			list = 1;
			break;
		case 'r':
			st.raw = 1;
			break;
		default:
			if ((rc = cmd_common_option(ctx, ch)) != -1)
				return rc;
			return cmd_usage_error(ctx, "unexpected option");
		}
	}
	argc -= optind;
	argv += optind;
	/* The seed programs' order: protocol first ("lookup-port udp domain"). */
	if (argc > 0 && services_proto_ok(argv[0])) {
		proto = argv[0];
		argc--;
		argv++;
	} else if (argc > 1 && lp_other_protocol(argv[0])) {
		log_warnx("invalid protocol '%s' (udp or tcp)",
		    errmsg_quote(argv[0], show, sizeof show));
		return UT_EXIT_ERROR;
	}
	if (argc == 0 && !list)
		return cmd_usage_error(ctx, "missing service name or port");
	if (argc > 0 && list)
		return cmd_usage_error(ctx, "--list takes no services");
	if (st.raw && json)
		return cmd_usage_error(
		    ctx, "--raw and --json exclude each other");

	/* Every argument is checked before anything is printed. */
	for (i = 0; i < argc; i++) {
		if (services_parse_query(argv[i], proto, &q, err, sizeof err) ==
		    -1) {
			log_warnx("%s", err);
			return UT_EXIT_ERROR;
		}
	}

	st.builtin = lp_database_empty();
	if (st.builtin)
		log_warnx(
		    "no services database (/etc/services is missing or "
		    "empty); using the built-in table of well-known services");
	lp_read_ephemeral(&st);

	out_init(&st.o, stdout, json);
	out_obj_open(&st.o, NULL);
	out_str(&st.o, "protocol", NULL, proto);
	out_str(&st.o, "database", NULL, st.builtin ? "built-in" : "system");
	if (st.eph_low >= 0) {
		out_obj_open(&st.o, "ephemeral_range");
		out_int(&st.o, "low", NULL, st.eph_low);
		out_int(&st.o, "high", NULL, st.eph_high);
		out_obj_close(&st.o);
	} else
		out_null(&st.o, "ephemeral_range");
	out_arr_open(&st.o, "services");
	if (list)
		lp_list(&st, proto);
	if (!st.builtin)
		setservent(1);
	for (i = 0; i < argc; i++) {
		services_parse_query(argv[i], proto, &q, err, sizeof err);
		found = lp_lookup(&st, &q, &a);
		if (!found) {
			lp_miss(&st, &q, &other);
			status = UT_EXIT_NEGATIVE;
		}
		lp_print(&st, argv[i], q.port >= 0, &a, found ? NULL : &other);
	}
	if (!st.builtin)
		endservent();
	out_arr_close(&st.o);
	out_obj_close(&st.o);
	return status;
}

const struct cmd_entry cmd_lookup_port_entry = {
    .name = "lookup-port",
    .usage = "[-jlr] [udp|tcp] service|port[/proto] ...",
    .summary = "look up service names and port numbers",
    .help =
	"Looks service names up as ports and ports up as service names\n"
	"in the services database (/etc/services), with their aliases,\n"
	"and labels each port well-known (0-1023), registered\n"
	"(1024-49151) or dynamic (49152-65535), and ephemeral when it lies\n"
	"inside this host's ephemeral port range.  The protocol is udp\n"
	"unless tcp is given first or after a slash (53/tcp).\n",
    .options = lp_options,
    .exec = cmd_lookup_port_exec,
};
