/* SPDX-License-Identifier: ISC */
/*
 * Privileges: the one place that reads and sets capabilities (with libcap,
 * or with capget(2)/capset(2) directly) and ids, and checks in
 * /proc/self/status that nothing privileged is left after a drop.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#ifdef __linux__
#include <sys/auxv.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#endif

#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef HAVE_LIBCAP
#include <sys/capability.h>
#elif defined(__linux__)
#include <linux/capability.h>
#endif

#include "priv.h"

#define PRIV_NET_RAW 13 /* CAP_NET_RAW, the same number everywhere */

/* The three capability sets of this process as bit masks. */
struct priv_caps {
	uint64_t inh, prm, eff;
};

#ifdef HAVE_LIBCAP
static int
priv_caps_get(struct priv_caps *c)
{
	cap_flag_value_t v;
	cap_value_t i;
	cap_t caps;

	memset(c, 0, sizeof *c);
	if ((caps = cap_get_proc()) == NULL)
		return -1;
	for (i = 0; i < 64; i++) {
		if (cap_get_flag(caps, i, CAP_INHERITABLE, &v) == 0 &&
		    v == CAP_SET)
			c->inh |= 1ULL << i;
		if (cap_get_flag(caps, i, CAP_PERMITTED, &v) == 0 &&
		    v == CAP_SET)
			c->prm |= 1ULL << i;
		if (cap_get_flag(caps, i, CAP_EFFECTIVE, &v) == 0 &&
		    v == CAP_SET)
			c->eff |= 1ULL << i;
	}
	cap_free(caps);
	return 0;
}

static int
priv_caps_set(const struct priv_caps *c)
{
	cap_value_t i;
	cap_t caps;
	int rc, e;

	if ((caps = cap_init()) == NULL) /* the empty set */
		return -1;
	for (i = 0; i < 64; i++) {
		if ((c->inh >> i & 1) &&
		    cap_set_flag(caps, CAP_INHERITABLE, 1, &i, CAP_SET) == -1)
			goto fail;
		if ((c->prm >> i & 1) &&
		    cap_set_flag(caps, CAP_PERMITTED, 1, &i, CAP_SET) == -1)
			goto fail;
		if ((c->eff >> i & 1) &&
		    cap_set_flag(caps, CAP_EFFECTIVE, 1, &i, CAP_SET) == -1)
			goto fail;
	}
	rc = cap_set_proc(caps);
	e = errno;
	cap_free(caps);
	errno = e;
	return rc;
fail:
	cap_free(caps);
	errno = EINVAL;
	return -1;
}

static int
priv_ambient_clear(void)
{
	/* A kernel without ambient capabilities (before 4.3) has none to clear. */
	if (!CAP_AMBIENT_SUPPORTED())
		return 0;
	return cap_reset_ambient();
}
#elif defined(__linux__)
static int
priv_caps_get(struct priv_caps *c)
{
	struct __user_cap_header_struct h;
	struct __user_cap_data_struct d[2];

	memset(c, 0, sizeof *c);
	memset(&h, 0, sizeof h);
	memset(d, 0, sizeof d);
	h.version = _LINUX_CAPABILITY_VERSION_3;
	if (syscall(SYS_capget, &h, d) == -1)
		return -1;
	c->inh = (uint64_t)d[1].inheritable << 32 | d[0].inheritable;
	c->prm = (uint64_t)d[1].permitted << 32 | d[0].permitted;
	c->eff = (uint64_t)d[1].effective << 32 | d[0].effective;
	return 0;
}

static int
priv_caps_set(const struct priv_caps *c)
{
	struct __user_cap_header_struct h;
	struct __user_cap_data_struct d[2];
	int i;

	memset(&h, 0, sizeof h);
	h.version = _LINUX_CAPABILITY_VERSION_3;
	for (i = 0; i < 2; i++) {
		d[i].inheritable = (uint32_t)(c->inh >> (32 * i));
		d[i].permitted = (uint32_t)(c->prm >> (32 * i));
		d[i].effective = (uint32_t)(c->eff >> (32 * i));
	}
	return (int)syscall(SYS_capset, &h, d);
}

static int
priv_ambient_clear(void)
{
#ifdef PR_CAP_AMBIENT
	/* EINVAL: a kernel without ambient capabilities (before 4.3). */
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) == -1 &&
	    errno != EINVAL)
		return -1;
#endif
	return 0;
}
#else
static int
priv_caps_get(struct priv_caps *c)
{
	memset(c, 0, sizeof *c);
	return 0;
}

static int
priv_caps_set(const struct priv_caps *c)
{
	return 0;
}

static int
priv_ambient_clear(void)
{
	return 0;
}
#endif

const char *
priv_backend(void)
{
#ifdef HAVE_LIBCAP
	return "libcap";
#elif defined(__linux__)
	return "capset";
#else
	return "set-id only";
#endif
}

int
priv_borrowed(void)
{
	uid_t ru, eu, su;
	gid_t rg, eg, sg;

#ifdef __linux__
	/* Set by the kernel when exec gave ids or capabilities the caller lacked. */
	if (getauxval(AT_SECURE) != 0)
		return 1;
	if (getresuid(&ru, &eu, &su) == -1 || getresgid(&rg, &eg, &sg) == -1)
		return 1;
#else
	ru = getuid();
	su = eu = geteuid();
	rg = getgid();
	sg = eg = getegid();
#endif
	return eu != ru || su != ru || eg != rg || sg != rg;
}

int
priv_net_raw(void)
{
	struct priv_caps c;

	if (getuid() == 0 && geteuid() == 0)
		return 1;
	if (priv_caps_get(&c) == -1)
		return 0;
	return (c.prm >> PRIV_NET_RAW & 1) != 0;
}

int
priv_raise_net_raw(void)
{
	struct priv_caps c;

	if (priv_caps_get(&c) == -1)
		return -1;
	if (!(c.prm >> PRIV_NET_RAW & 1) || (c.eff >> PRIV_NET_RAW & 1))
		return 0;
	c.eff |= 1ULL << PRIV_NET_RAW;
	return priv_caps_set(&c);
}

int
priv_drop(void)
{
	struct priv_caps none;
	uid_t uid = getuid();
	gid_t gid = getgid();

	/*
	 * Groups first, while the ids may still allow it.  The supplementary
	 * groups are left alone: exec never changes them, so even in a setuid
	 * root process they are the caller's own.
	 */
#ifdef __linux__
	if (setresgid(gid, gid, gid) == -1 || setresuid(uid, uid, uid) == -1)
		return -1;
#else
	if (setgid(gid) == -1 || setuid(uid) == -1)
		return -1;
#endif
	/* Leaving uid 0 clears the sets already; a root caller keeps them. */
	if (priv_ambient_clear() == -1)
		return -1;
	memset(&none, 0, sizeof none);
	return priv_caps_set(&none);
}

/*
 * Finds "Name:" at the start of a line of text and reads up to max
 * numbers (base 16 or 10) after it; returns how many, or -1 if absent.
 */
static int
priv_status_field(const char *text, const char *name, int base,
    unsigned long long *v, int max)
{
	size_t nlen = strlen(name);
	const char *p = text;
	char *end;
	int n;

	for (;;) {
		if (strncmp(p, name, nlen) == 0 && p[nlen] == ':')
			break;
		if ((p = strchr(p, '\n')) == NULL)
			return -1;
		p++;
	}
	p += nlen + 1;
	for (n = 0; n < max; n++) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\n' || *p == '\0')
			break;
		errno = 0;
		v[n] = strtoull(p, &end, base);
		if (end == p || errno != 0 ||
		    (*end != ' ' && *end != '\t' && *end != '\n' &&
			*end != '\0'))
			return -1;
		p = end;
	}
	return n;
}

int
priv_status_check(
    const char *text, uid_t uid, gid_t gid, char *err, size_t errlen)
{
	static const char *const sets[] = {
	    "CapInh", "CapPrm", "CapEff", "CapAmb"};
	unsigned long long v[4];
	size_t i;
	int n, j;

	for (i = 0; i < sizeof sets / sizeof sets[0]; i++) {
		n = priv_status_field(text, sets[i], 16, v, 1);
		/* CapAmb exists since Linux 4.3; the other three always. */
		if (n == -1 && i == 3)
			continue;
		if (n != 1) {
			snprintf(err, errlen, "no readable %s line", sets[i]);
			return -1;
		}
		if (v[0] != 0) {
			snprintf(
			    err, errlen, "%s is %016llx, not 0", sets[i], v[0]);
			return -1;
		}
	}
	for (i = 0; i < 2; i++) {
		n = priv_status_field(text, i == 0 ? "Uid" : "Gid", 10, v, 4);
		if (n != 4) {
			snprintf(err, errlen, "no readable %s line",
			    i == 0 ? "Uid" : "Gid");
			return -1;
		}
		for (j = 0; j < 4; j++) {
			if (v[j] !=
			    (i == 0 ? (unsigned long long)uid
				    : (unsigned long long)gid)) {
				snprintf(err, errlen,
				    "%s is %llu %llu %llu %llu, not all %llu",
				    i == 0 ? "Uid" : "Gid", v[0], v[1], v[2],
				    v[3],
				    i == 0 ? (unsigned long long)uid
					   : (unsigned long long)gid);
				return -1;
			}
		}
	}
	return 0;
}

#ifndef __linux__
int
priv_verify(char *err, size_t errlen)
{
	/* No /proc/self/status: the ids are all there is to check. */
	if (geteuid() != getuid() || getegid() != getgid()) {
		snprintf(err, errlen, "effective ids differ from real ones");
		return -1;
	}
	return 0;
}
#else
int
priv_verify(char *err, size_t errlen)
{
	char buf[8192];
	size_t len = 0;
	ssize_t n;
	int fd;

	fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	if (fd == -1) {
		snprintf(err, errlen, "cannot read /proc/self/status: %s",
		    strerror(errno));
		return -1;
	}
	while (len < sizeof buf - 1 &&
	    (n = read(fd, buf + len, sizeof buf - 1 - len)) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			snprintf(err, errlen,
			    "cannot read /proc/self/status: %s",
			    strerror(errno));
			close(fd);
			return -1;
		}
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	return priv_status_check(buf, getuid(), getgid(), err, errlen);
}
#endif

int
priv_drop_verified(char *err, size_t errlen)
{
	char why[160];

	if (priv_drop() == -1) {
		snprintf(
		    err, errlen, "cannot drop privileges: %s", strerror(errno));
		return -1;
	}
	if (priv_verify(why, sizeof why) == -1) {
		snprintf(err, errlen,
		    "privileges still held after dropping them: %s", why);
		return -1;
	}
	return 0;
}

/*
 * Why each socket can fail:
 *   datagram EACCES           our group is outside net.ipv4.ping_group_range
 *   datagram EPROTONOSUPPORT  a kernel without ping sockets
 *   raw EPERM                 no CAP_NET_RAW
 *   either EAFNOSUPPORT       no IPv6 (or IPv4) in this kernel
 */
void
priv_open_icmp(struct priv_icmp *s)
{
	int proto = s->family == AF_INET6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;

	s->raw = 0;
	s->e_dgram = s->e_raw = 0;
	s->fd = socket(s->family, SOCK_DGRAM | SOCK_CLOEXEC, proto);
	if (s->fd != -1)
		return;
	s->e_dgram = errno;
	/* "setcap cap_net_raw+p" grants it only in the permitted set. */
	priv_raise_net_raw();
	s->fd = socket(s->family, SOCK_RAW | SOCK_CLOEXEC, proto);
	if (s->fd != -1) {
		s->raw = 1;
		return;
	}
	s->e_raw = errno;
}

void
priv_group_range(char *buf, size_t size)
{
	FILE *fp = fopen("/proc/sys/net/ipv4/ping_group_range", "r");
	char *p;

	snprintf(buf, size, "?");
	if (fp == NULL)
		return;
	if (fgets(buf, (int)size, fp) == NULL)
		snprintf(buf, size, "?");
	fclose(fp);
	for (p = buf; *p != '\0'; p++) {
		if (*p == '\t')
			*p = ' ';
		if (*p == '\n')
			*p = '\0';
	}
}

char *
priv_icmp_failed(const struct priv_icmp *s, char *buf, size_t size)
{
	char range[64];

	if (s->e_dgram == EAFNOSUPPORT || s->e_raw == EAFNOSUPPORT) {
		snprintf(buf, size, "cannot open an %s socket: %s",
		    s->family == AF_INET6 ? "ICMPv6" : "ICMP",
		    strerror(EAFNOSUPPORT));
		return buf;
	}
	priv_group_range(range, sizeof range);
	snprintf(buf, size,
	    "cannot open an ICMP socket: unprivileged ICMP is off for "
	    "group %u (%s: sysctl net.ipv4.ping_group_range is '%s', allow it "
	    "with sysctl -w net.ipv4.ping_group_range='0 2147483647') and a "
	    "raw socket needs CAP_NET_RAW (%s: run as root or setcap "
	    "cap_net_raw+p on udptool); or measure a UDP echo service with "
	    "-u HOST:PORT",
	    (unsigned)getgid(), strerror(s->e_dgram), range,
	    strerror(s->e_raw));
	return buf;
}
