/* SPDX-License-Identifier: ISC */
/*
 * "udptool mask": netmask arithmetic for IPv4 and IPv6 as ipcalc and
 * sipcalc do it, plus containment tests and splitting into subnets.
 */
#include "config.h"

#include <sys/socket.h>

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "errmsg.h"
#include "log.h"
#include "netmask.h"
#include "output.h"
#include "udptool.h"

enum {
	OPT_CONTAINS = 256,
	OPT_SPLIT,
};

static const struct cmd_opt cmd_mask_options[] = {
    {'j', "json", no_argument, NULL, "one JSON document"},
    {'q', "quiet", no_argument, NULL,
	"with --contains: no output, only the exit status"},
    {OPT_CONTAINS, "contains", required_argument, "ADDR",
	"exit 0 if ADDR (or ADDR/PREFIX) lies inside the network,\n1 if not"},
    {OPT_SPLIT, "split", required_argument, "PREFIX",
	"list the subnets of that longer prefix (at most 65536)"},
    {0, NULL, 0, NULL, NULL},
};

#define MASK_FIELD "%-14s"

/* Says in words why a prefix was chosen when none was given. */
static const char *
cmd_mask_assumed(const struct netmask *nm, char *buf, size_t size)
{
	int cp;
	char cls;

	switch (nm->source) {
	case NETMASK_CLASSFUL:
		cls = netmask_class(nm->addr, &cp);
		snprintf(buf, size,
		    "/%d, the historical class %c default, as "
		    "no netmask was given",
		    nm->prefix, cls);
		break;
	case NETMASK_HOST:
		cls = netmask_class(nm->addr, &cp);
		snprintf(buf, size,
		    "/32, one address, as no netmask was given "
		    "and historical class %c has no default",
		    cls);
		break;
	case NETMASK_V6_SUBNET:
		snprintf(buf, size,
		    "/%d, the usual IPv6 subnet size, as no "
		    "prefix was given",
		    nm->prefix);
		break;
	default:
		buf[0] = '\0';
		break;
	}
	return buf;
}

static const char *
cmd_mask_source_name(enum netmask_source source)
{
	switch (source) {
	case NETMASK_CLASSFUL:
		return "class";
	case NETMASK_HOST:
		return "host";
	case NETMASK_V6_SUBNET:
		return "default";
	default:
		return "given";
	}
}

/*
 * Reports a bad address or mask: the one-line message on stderr and, with
 * -j, an error object on stdout, so a script reading JSON sees why.
 */
static int
cmd_mask_fail(struct out *o, const char *what, const char *err)
{
	char msg[NETMASK_ERRLEN + 16];

	snprintf(msg, sizeof msg, "%s%s", what, err);
	log_warnx("%s", msg);
	if (o->json) {
		out_obj_open(o, NULL);
		out_str(o, "error", NULL, msg);
		out_obj_close(o);
	}
	return UT_EXIT_ERROR;
}

/* The address's kind from the IANA special-purpose registries. */
static void
cmd_mask_type(struct out *o, const struct netmask *nm)
{
	const struct netmask_type *t = netmask_type_of(nm->bits, nm->addr);

	out_text(o, MASK_FIELD "%s (%s)\n", "Type:", t->text, t->rfc);
	out_str(o, "address_type", NULL, t->name);
	out_str(o, "address_type_rfc", NULL, t->rfc);
}

static void
cmd_mask_show4(struct out *o, const struct netmask *nm,
    const struct netmask_info *in, const char *assumed)
{
	char a[NETMASK_STRLEN], b[NETMASK_STRLEN], hex[16];
	uint8_t cm[4];

	out_str(o, "address", "Address:      %s\n",
	    netmask_format(32, nm->addr, a, sizeof a));
	cmd_mask_type(o, nm);
	out_uint(o, "prefix", NULL, (unsigned long long)nm->prefix);
	out_str(o, "prefix_source", NULL, cmd_mask_source_name(nm->source));
	netmask_format(32, in->mask, a, sizeof a);
	out_text(o, MASK_FIELD "%s = %d\n", "Netmask:", a, nm->prefix);
	out_str(o, "netmask", NULL, a);
	if (*assumed != '\0')
		out_text(o, MASK_FIELD "%s\n", "Assumed:", assumed);
	out_str(o, "netmask_hex", "Netmask hex:  %s\n",
	    netmask_hex4(nm->prefix, hex, sizeof hex));
	out_str(o, "wildcard", "Wildcard:     %s\n",
	    netmask_format(32, in->wildcard, a, sizeof a));
	netmask_format(32, in->network, a, sizeof a);
	out_text(o, MASK_FIELD "%s/%d\n", "Network:", a, nm->prefix);
	out_str(o, "network", NULL, a);
	if (in->has_broadcast)
		out_str(o, "broadcast", "Broadcast:    %s\n",
		    netmask_format(32, in->last, a, sizeof a));
	else {
		out_null(o, "broadcast");
		out_text(o, MASK_FIELD "none (%s)\n", "Broadcast:",
		    nm->prefix == 31 ? "point-to-point link, RFC 3021"
				     : "single host");
	}
	out_str(o, "host_min", "HostMin:      %s\n",
	    netmask_format(32, in->host_min, a, sizeof a));
	out_str(o, "host_max", "HostMax:      %s\n",
	    netmask_format(32, in->host_max, b, sizeof b));
	out_uint(o, "hosts", "Hosts/Net:    %llu\n", in->hosts);
	out_uint(o, "addresses", "Addresses:    %llu\n",
	    (unsigned long long)1 << in->addresses_log2);
	out_str(o, "host_part", "Host part:    %s\n",
	    netmask_format(32, in->host_part, a, sizeof a));
	out_str(o, "class", NULL, (char[]){in->cls, '\0'});
	if (in->class_prefix >= 0) {
		netmask_from_prefix(32, in->class_prefix, cm);
		netmask_format(32, cm, a, sizeof a);
		out_text(o,
		    MASK_FIELD "%c (historical; default mask %s = %d)"
			       "\n",
		    "Class:", in->cls, a, in->class_prefix);
		out_str(o, "class_netmask", NULL, a);
		out_uint(o, "class_prefix", NULL,
		    (unsigned long long)in->class_prefix);
	} else {
		out_text(o, MASK_FIELD "%c (historical; %s, no default mask)\n",
		    "Class:", in->cls,
		    in->cls == 'D' ? "multicast" : "reserved");
		out_null(o, "class_netmask");
		out_null(o, "class_prefix");
	}
}

static void
cmd_mask_show6(struct out *o, const struct netmask *nm,
    const struct netmask_info *in, const char *assumed)
{
	char a[NETMASK_STRLEN], x[NETMASK_STRLEN], iid[24];
	const uint8_t *p = nm->addr + 8;

	netmask_format(128, nm->addr, a, sizeof a);
	if (nm->zone[0] != '\0')
		out_text(o, MASK_FIELD "%s%%%s\n", "Address:", a, nm->zone);
	else
		out_text(o, MASK_FIELD "%s\n", "Address:", a);
	out_str(o, "address", NULL, a);
	if (nm->zone[0] != '\0')
		out_str(o, "zone", NULL, nm->zone);
	else
		out_null(o, "zone");
	cmd_mask_type(o, nm);
	out_str(o, "expanded", "Expanded:     %s\n",
	    netmask_expand6(nm->addr, x, sizeof x));
	out_uint(o, "prefix", NULL, (unsigned long long)nm->prefix);
	out_str(o, "prefix_source", NULL, cmd_mask_source_name(nm->source));
	netmask_format(128, in->mask, a, sizeof a);
	out_text(o, MASK_FIELD "%s = %d\n", "Netmask:", a, nm->prefix);
	out_str(o, "netmask", NULL, a);
	if (*assumed != '\0')
		out_text(o, MASK_FIELD "%s\n", "Assumed:", assumed);
	netmask_format(128, in->network, a, sizeof a);
	out_text(o, MASK_FIELD "%s/%d\n", "Network:", a, nm->prefix);
	out_str(o, "network", NULL, a);
	out_str(o, "first", "First:        %s\n",
	    netmask_format(128, in->network, a, sizeof a));
	out_str(o, "last", "Last:         %s\n",
	    netmask_format(128, in->last, a, sizeof a));
	out_str(o, "first_expanded", NULL,
	    netmask_expand6(in->network, x, sizeof x));
	out_str(
	    o, "last_expanded", NULL, netmask_expand6(in->last, x, sizeof x));
	/* Counts up to 2^128 do not fit a JSON number parsers keep exact. */
	out_text(o, MASK_FIELD "2^%d = %s\n", "Addresses:", in->addresses_log2,
	    in->addresses);
	out_str(o, "addresses", NULL, in->addresses);
	out_uint(
	    o, "addresses_log2", NULL, (unsigned long long)in->addresses_log2);
	out_str(o, "host_part", "Host part:    %s\n",
	    netmask_format(128, in->host_part, a, sizeof a));
	/* RFC 4291: the interface identifier is the low 64 bits. */
	snprintf(iid, sizeof iid, "%x:%x:%x:%x", p[0] << 8 | p[1],
	    p[2] << 8 | p[3], p[4] << 8 | p[5], p[6] << 8 | p[7]);
	out_text(o, MASK_FIELD "%s\n", "Interface ID:", iid);
	out_str(o, "interface_id", NULL, iid);
}

static int
cmd_mask_contains(struct out *o, const struct netmask *nm, const char *arg,
    const char *assumed, int quiet)
{
	char err[NETMASK_ERRLEN], a[NETMASK_STRLEN], net[NETMASK_STRLEN + 8];
	struct netmask_info in;
	int inside;

	inside = netmask_contains(nm, arg, err, sizeof err);
	if (inside < 0) {
		return cmd_mask_fail(o, "--contains: ", err);
	}
	netmask_compute(nm, &in);
	snprintf(net, sizeof net, "%s/%d",
	    netmask_format(nm->bits, in.network, a, sizeof a), nm->prefix);
	if (!quiet) {
		out_obj_open(o, NULL);
		out_str(o, "address", "%s", arg);
		out_text(o, " is %s ", inside ? "inside" : "outside");
		out_str(o, "network", "%s", net);
		out_str(
		    o, "prefix_source", NULL, cmd_mask_source_name(nm->source));
		if (*assumed != '\0')
			out_text(o, " (assumed %s)", assumed);
		out_bool(o, "inside", NULL, inside);
		out_text(o, "\n");
		out_obj_close(o);
	}
	return inside ? UT_EXIT_OK : UT_EXIT_NEGATIVE;
}

static int
cmd_mask_split(struct out *o, const struct netmask *nm, const char *arg,
    const char *assumed)
{
	char err[NETMASK_ERRLEN], a[NETMASK_STRLEN], cidr[NETMASK_STRLEN + 8];
	uint8_t sub[16];
	long count, i;
	int newprefix;

	if (netmask_parse_mask(arg, nm->family, &newprefix, err, sizeof err) !=
	    0) {
		return cmd_mask_fail(o, "--split: ", err);
	}
	count = netmask_split_count(nm, newprefix, err, sizeof err);
	if (count < 0) {
		return cmd_mask_fail(o, "--split: ", err);
	}
	/* Keep stdout a clean list; the assumption is a diagnostic here. */
	if (*assumed != '\0')
		log_warnx("assuming %s", assumed);
	netmask_subnet(nm, nm->prefix, 0, sub);
	out_obj_open(o, NULL);
	out_str(o, "network", NULL, netmask_format(nm->bits, sub, a, sizeof a));
	out_uint(o, "prefix", NULL, (unsigned long long)nm->prefix);
	out_uint(o, "split_prefix", NULL, (unsigned long long)newprefix);
	out_uint(o, "count", NULL, (unsigned long long)count);
	out_arr_open(o, "subnets");
	for (i = 0; i < count; i++) {
		netmask_subnet(nm, newprefix, i, sub);
		snprintf(cidr, sizeof cidr, "%s/%d",
		    netmask_format(nm->bits, sub, a, sizeof a), newprefix);
		out_str(o, NULL, "%s\n", cidr);
	}
	out_arr_close(o);
	out_obj_close(o);
	return UT_EXIT_OK;
}

static int
cmd_mask_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct netmask nm;
	struct netmask_info in;
	struct out o;
	char err[NETMASK_ERRLEN], assumed[128], show[256];
	const char *contains = NULL, *split = NULL;
	int ch, rc, i, json = 0, quiet = 0;

	while ((ch = cmd_getopt(ctx, argc, argv)) != -1) {
		switch (ch) {
		case 'j':
			json = 1;
			break;
		case 'q':
			quiet = 1;
			break;
		case OPT_CONTAINS:
			contains = optarg;
			break;
		case OPT_SPLIT:
			split = optarg;
			break;
		default:
			if ((rc = cmd_common_option(ctx, ch)) >= 0)
				return rc;
			return cmd_usage_error(ctx, "unexpected option");
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		return cmd_usage_error(ctx, "missing address");
	/* "+" stops at the address, so a late option arrives as an argument. */
	for (i = 0; i < argc; i++) {
		if (argv[i][0] == '-' && argv[i][1] != '\0')
			return cmd_usage_error(ctx,
			    "options go before the "
			    "address: '%s'",
			    errmsg_quote(argv[i], show, sizeof show));
	}
	if (argc > 2)
		return cmd_usage_error(ctx, "too many arguments");
	if (contains != NULL && split != NULL)
		return cmd_usage_error(
		    ctx, "--contains and --split cannot be combined");
	if (quiet && contains == NULL)
		return cmd_usage_error(ctx, "-q only applies to --contains");
	if (netmask_parse(argv[0], argc == 2 ? argv[1] : NULL, &nm, err,
		sizeof err) != 0) {
		out_init(&o, ctx->out, json);
		return cmd_mask_fail(&o, "", err);
	}
	cmd_mask_assumed(&nm, assumed, sizeof assumed);
	out_init(&o, ctx->out, json);
	if (contains != NULL)
		return cmd_mask_contains(&o, &nm, contains, assumed, quiet);
	if (split != NULL)
		return cmd_mask_split(&o, &nm, split, assumed);

	netmask_compute(&nm, &in);
	out_obj_open(&o, NULL);
	out_str(&o, "family", NULL, nm.family == AF_INET ? "ipv4" : "ipv6");
	if (nm.family == AF_INET)
		cmd_mask_show4(&o, &nm, &in, assumed);
	else
		cmd_mask_show6(&o, &nm, &in, assumed);
	out_obj_close(&o);
	return UT_EXIT_OK;
}

const struct cmd_entry cmd_mask_entry = {
    .name = "mask",
    .usage = "[-jq] [--contains addr | --split prefix] "
	     "address[/prefix|/netmask] [netmask]",
    .summary = "netmask arithmetic: networks, ranges, containment, subnets",
    .options = cmd_mask_options,
    .notes =
	"A netmask is a prefix length (24 or 0024), dotted (255.255.255.0) "
	"or hex\n(ffffff00, 0xffffff00); IPv6 takes a prefix length or "
	"ffff:ffff::.\nWithout one, IPv4 uses the historical class "
	"default and IPv6 /64.\nAn IPv6 zone goes before the prefix: "
	"fe80::1%eth0/64.\n",
    .exec = cmd_mask_exec,
};
