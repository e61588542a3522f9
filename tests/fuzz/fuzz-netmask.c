/* SPDX-License-Identifier: ISC */
/*
 * libFuzzer target for netmask arithmetic: ADDRESS[/MASK] with an optional
 * separate mask, masks of both families, containment and splitting, and
 * what formats back from a parsed network.
 */
#include "config.h"

#include <sys/socket.h>

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netmask.h"
#include "fuzz.h"

/* Aborts unless the text form of a in nm's family is inside nm. */
static void
check_inside(const struct netmask *nm, const uint8_t *a, int prefix)
{
	char err[NETMASK_ERRLEN], buf[NETMASK_STRLEN + 8];
	size_t n;

	netmask_format(nm->bits, a, buf, NETMASK_STRLEN);
	fuzz_check_line(buf, NETMASK_STRLEN);
	if (netmask_contains(nm, buf, err, sizeof err) != 1)
		abort();
	n = strlen(buf);
	snprintf(buf + n, sizeof buf - n, "/%d", prefix);
	if (netmask_contains(nm, buf, err, sizeof err) != 1)
		abort();
}

/* Checks a mask accepted for family: its other spellings parse the same. */
static void
check_mask(const char *s, int family)
{
	char err[NETMASK_ERRLEN], buf[NETMASK_STRLEN + 4];
	uint8_t mask[16];
	int prefix, again, bits = family == AF_INET ? 32 : 128;

	if (netmask_parse_mask(s, family, &prefix, err, sizeof err) != 0) {
		fuzz_check_line(err, sizeof err);
		return;
	}
	if (prefix < 0 || prefix > bits)
		abort();
	netmask_from_prefix(bits, prefix, mask);
	netmask_format(bits, mask, buf, sizeof buf);
	if (netmask_parse_mask(buf, family, &again, err, sizeof err) != 0 ||
	    again != prefix)
		abort();
	snprintf(buf, sizeof buf, "/%d", prefix);
	if (netmask_parse_mask(buf, family, &again, err, sizeof err) != 0 ||
	    again != prefix)
		abort();
	if (family == AF_INET) {
		netmask_hex4(prefix, buf, sizeof buf);
		if (netmask_parse_mask(buf, family, &again, err, sizeof err) !=
			0 ||
		    again != prefix)
			abort();
	}
}

static void
check_network(const struct netmask *nm, int newprefix, const char *other)
{
	struct netmask_info info;
	struct netmask back;
	char err[NETMASK_ERRLEN], buf[NETMASK_STRLEN + 8], dec[NETMASK_DECLEN];
	uint8_t sub[16];
	size_t bytes = (size_t)nm->bits / 8, n;
	long count;
	int r;

	if (!((nm->family == AF_INET && nm->bits == 32) ||
		(nm->family == AF_INET6 && nm->bits == 128)) ||
	    nm->prefix < 0 || nm->prefix > nm->bits)
		abort();
	netmask_compute(nm, &info);
	if (info.addresses_log2 != nm->bits - nm->prefix ||
	    netmask_pow2_dec(info.addresses_log2, dec, sizeof dec) == NULL ||
	    strcmp(dec, info.addresses) != 0)
		abort();
	if (memcmp(info.network, nm->addr, bytes) > 0 ||
	    memcmp(nm->addr, info.last, bytes) > 0)
		abort();
	/* The network formats back to itself. */
	netmask_format(nm->bits, info.network, buf, NETMASK_STRLEN);
	n = strlen(buf);
	snprintf(buf + n, sizeof buf - n, "/%d", nm->prefix);
	if (netmask_parse(buf, NULL, &back, err, sizeof err) != 0 ||
	    back.family != nm->family || back.prefix != nm->prefix ||
	    memcmp(back.addr, info.network, bytes) != 0)
		abort();
	check_inside(nm, nm->addr, nm->bits);
	check_inside(nm, info.network, nm->prefix);
	check_inside(nm, info.last, nm->bits);

	count = netmask_split_count(nm, newprefix, err, sizeof err);
	if (count < 0) {
		fuzz_check_line(err, sizeof err);
	} else {
		if (count < 1 || count > NETMASK_SPLIT_MAX ||
		    newprefix < nm->prefix || newprefix > nm->bits)
			abort();
		netmask_subnet(nm, newprefix, 0, sub);
		if (memcmp(sub, info.network, bytes) != 0)
			abort();
		check_inside(nm, sub, newprefix);
		netmask_subnet(nm, newprefix, count - 1, sub);
		check_inside(nm, sub, newprefix);
	}

	r = netmask_contains(nm, other, err, sizeof err);
	if (r < 0)
		fuzz_check_line(err, sizeof err);
	else if (r > 1)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct netmask nm;
	char err[NETMASK_ERRLEN], empty[1] = "", *s, *mask, *other;
	int newprefix;

	if (size < 1)
		return 0;
	/* The first byte is a split prefix; then ADDR[\nMASK[\nOTHER]]. */
	newprefix = data[0] % 140 - 4;
	s = fuzz_strndup(data + 1, size - 1);
	if (s == NULL)
		return 0;
	mask = strchr(s, '\n');
	other = empty;
	if (mask != NULL) {
		*mask++ = '\0';
		other = strchr(mask, '\n');
		if (other != NULL)
			*other++ = '\0';
		else
			other = mask;
	}

	if (netmask_parse(s, mask, &nm, err, sizeof err) == 0)
		check_network(&nm, newprefix, other);
	else
		fuzz_check_line(err, sizeof err);
	if (netmask_parse(s, NULL, &nm, err, sizeof err) == 0)
		check_network(&nm, newprefix, other);
	else
		fuzz_check_line(err, sizeof err);
	check_mask(s, AF_INET);
	check_mask(s, AF_INET6);
	if (mask != NULL) {
		check_mask(mask, AF_INET);
		check_mask(mask, AF_INET6);
	}
	free(s);
	return 0;
}
