/* SPDX-License-Identifier: ISC */
/*
 * The echo server's rules and replies as pure functions: datagrams judged
 * by their addresses, the host's own addresses, and each mode's reply.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/types.h>

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>

#include <errno.h>
#include <ifaddrs.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "echo.h"

const char *const echo_drop_names[ECHO_DROP_N] = {"port-zero", "own-address",
    "own-port", "loop-port", "broadcast", "multicast", "not-allowed", "rate",
    "too-short", "truncated", "not-sockperf", "no-pong-request"};

const char *const echo_senderr_names[ECHO_SE_N] = {
    "no-buffers", "refused", "unreachable", "not-permitted", "other"};

/*
 * UDP services above 1023 known to answer any datagram, most of them
 * listed as amplifiers in CISA's alert TA14-017A; all lie below the
 * ephemeral port ranges (32768 and up on Linux, 49152 and up elsewhere)
 * that clients send from.
 */
static const uint16_t echo_loop_ports[] = {
    1434, /* Microsoft SQL Server resolution */
    1604, /* Citrix ICA browser */
    1900, /* SSDP */
    3283, /* Apple Remote Desktop */
    3702, /* WS-Discovery */
    5351, /* NAT-PMP */
    5353, /* multicast DNS */
    5683, /* CoAP */
    10001, /* Ubiquiti discovery */
    11211, /* memcached */
    26000, /* Quake */
    27015, /* Steam and Source game queries */
    32414, /* Plex discovery */
};

/*
 * Returns 1 for a source port that belongs to a service rather than a
 * client: every well-known port (below 1024: echo, chargen, DNS, NTP,
 * SNMP ...) and the reflectors above.  Answering one risks a loop with
 * another server or reflecting into it.
 */
int
echo_is_loop_port(uint16_t port)
{
	size_t i;

	if (port < 1024)
		return 1;
	for (i = 0; i < sizeof echo_loop_ports / sizeof echo_loop_ports[0];
	     i++) {
		if (port == echo_loop_ports[i])
			return 1;
	}
	return 0;
}

void
echo_ifaddrs_free(struct echo_ifaddrs *ifa)
{
	free(ifa->local);
	free(ifa->bcast);
	memset(ifa, 0, sizeof *ifa);
}

/*
 * Reads the host's addresses and broadcast addresses into ifa; returns 0,
 * or -1 with errno set.
 */
int
echo_ifaddrs_load(struct echo_ifaddrs *ifa)
{
	struct ifaddrs *list, *i;
	struct in_addr a, b, m;
	size_t n = 0;

	memset(ifa, 0, sizeof *ifa);
	if (getifaddrs(&list) == -1)
		return -1;
	for (i = list; i != NULL; i = i->ifa_next)
		n++;
	ifa->local = calloc(n + 1, sizeof *ifa->local);
	ifa->bcast = calloc(2 * n + 1, sizeof *ifa->bcast);
	if (ifa->local == NULL || ifa->bcast == NULL) {
		freeifaddrs(list);
		echo_ifaddrs_free(ifa);
		errno = ENOMEM;
		return -1;
	}
	for (i = list; i != NULL; i = i->ifa_next) {
		if (i->ifa_addr == NULL)
			continue;
		if (srctab_key_from(i->ifa_addr, &ifa->local[ifa->nlocal]) == 0)
			ifa->nlocal++;
		if (i->ifa_addr->sa_family != AF_INET)
			continue;
		/*
		 * Linux takes the top of every prefix shorter than /31 as a
		 * broadcast address, whether or not one was configured; a
		 * configured one (brd) may lie elsewhere.  Without one,
		 * getifaddrs reports the address itself.
		 */
		a = ((struct sockaddr_in *)(void *)i->ifa_addr)->sin_addr;
		if (i->ifa_netmask != NULL &&
		    i->ifa_netmask->sa_family == AF_INET) {
			m = ((struct sockaddr_in *)(void *)i->ifa_netmask)
				->sin_addr;
			if ((ntohl(m.s_addr) & 3) == 0) {
				ifa->bcast[ifa->nbcast].s_addr =
				    a.s_addr | ~m.s_addr;
				ifa->nbcast++;
			}
		}
		if ((i->ifa_flags & IFF_BROADCAST) &&
		    i->ifa_broadaddr != NULL &&
		    i->ifa_broadaddr->sa_family == AF_INET) {
			b = ((struct sockaddr_in *)(void *)i->ifa_broadaddr)
				->sin_addr;
			if (b.s_addr != a.s_addr)
				ifa->bcast[ifa->nbcast++] = b;
		}
	}
	freeifaddrs(list);
	return 0;
}

/*
 * Returns 1 if k is an address of this host: one an interface has, any
 * of 127.0.0.0/8 (all local on Linux), ::1, or an unspecified address,
 * which the kernel delivers to the host itself.
 */
int
echo_is_local(const struct echo_ifaddrs *ifa, const struct srctab_key *k)
{
	static const uint8_t zero[16], one6[16] = {[15] = 1};
	size_t i;

	if (k->family == AF_INET &&
	    (k->addr[0] == 127 || memcmp(k->addr, zero, 4) == 0))
		return 1;
	if (k->family == AF_INET6 &&
	    (memcmp(k->addr, zero, 16) == 0 || memcmp(k->addr, one6, 16) == 0))
		return 1;
	for (i = 0; i < ifa->nlocal; i++) {
		if (ifa->local[i].family == k->family &&
		    memcmp(ifa->local[i].addr, k->addr, 16) == 0)
			return 1;
	}
	return 0;
}

enum echo_senderr
echo_senderr_class(int e)
{
	switch (e) {
	case ENOBUFS:
	case EAGAIN:
		return ECHO_SE_NOBUFS;
	case ECONNREFUSED:
		return ECHO_SE_REFUSED;
	case EHOSTUNREACH:
	case ENETUNREACH:
		return ECHO_SE_UNREACH;
	case EPERM:
	case EACCES:
		return ECHO_SE_PERM;
	default:
		return ECHO_SE_OTHER;
	}
}

size_t
echo_daytime(struct echo_day *d, time_t now, size_t len, uint8_t *out)
{
	struct tm tm;

	if (now != d->sec || d->line[0] == '\0') {
		localtime_r(&now, &tm);
		strftime(
		    d->line, sizeof d->line, "%a %b %e %H:%M:%S %Y\r\n", &tm);
		d->sec = now;
	}
	if (len >= 26) {
		memcpy(out, d->line, 26);
		return 26;
	}
	if (len >= 24) {
		memcpy(out, d->line, 24);
		return 24;
	}
	if (len >= 8) {
		memcpy(out, d->line + 11, 8);
		return 8;
	}
	return 0;
}

int
echo_group_kind(const struct echo_ifaddrs *ifa, const struct sockaddr *dst)
{
	struct srctab_key k;
	uint32_t a;
	size_t i;

	if (srctab_key_from(dst, &k) == -1)
		return -1;
	if (k.family == AF_INET6)
		return k.addr[0] == 0xff ? ECHO_DROP_MCAST : -1;
	memcpy(&a, k.addr, 4);
	if (IN_MULTICAST(ntohl(a)))
		return ECHO_DROP_MCAST;
	if (a == htonl(INADDR_BROADCAST))
		return ECHO_DROP_BCAST;
	for (i = 0; i < ifa->nbcast; i++) {
		if (ifa->bcast[i].s_addr == a)
			return ECHO_DROP_BCAST;
	}
	return -1;
}

/*
 * Every rule on the addresses comes before the table, so that a refused
 * source never enters it and never pushes an answered one out of it.
 */
int
echo_judge_addr(const struct echo_rules *r, const struct sockaddr *src,
    int group, struct srctab_key *key)
{
	uint16_t port = addr_get_port(src);
	int k;

	if (port == 0)
		return ECHO_DROP_PORT0;
	if (srctab_key_from(src, key) == -1)
		return ECHO_DROP_ALLOW;
	/*
	 * A source with the server's own port is another copy of this server
	 * or the server itself: answering starts a loop.  From one of this
	 * host's addresses it is refused even with --allow-loop.
	 */
	if (port == r->port) {
		if (echo_is_local(r->ifa, key))
			return ECHO_DROP_OWN_ADDR;
		if (!r->allow_loop)
			return ECHO_DROP_OWN_PORT;
	}
	if (!r->allow_loop && echo_is_loop_port(port))
		return ECHO_DROP_LOOP;
	if (group != -1 && !r->allow_broadcast)
		return group;
	if (r->nallow == 0)
		return -1;
	for (k = 0; k < r->nallow; k++) {
		if (addr_cidr_contains(&r->allow[k], src))
			return -1;
	}
	return ECHO_DROP_ALLOW;
}

int
echo_is_wildcard(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return ((const struct sockaddr_in *)(const void *)ss)
			   ->sin_addr.s_addr == htonl(INADDR_ANY);
	if (ss->ss_family == AF_INET6)
		return IN6_IS_ADDR_UNSPECIFIED(
		    &((const struct sockaddr_in6 *)(const void *)ss)
			 ->sin6_addr);
	return 1;
}

void
echo_upper(uint8_t *p, size_t len)
{
	size_t i;

	/* ASCII letters only: multibyte UTF-8 passes through unchanged. */
	for (i = 0; i < len; i++) {
		if (p[i] >= 'a' && p[i] <= 'z')
			p[i] = (uint8_t)(p[i] - ('a' - 'A'));
	}
}

/*
 * Turns a sockperf request at p into its reply in place; returns -1 when
 * it is to be answered, else the reason it is not.
 */
int
echo_sockperf(uint8_t *p, size_t len)
{
	unsigned flags;

	if (len < ECHO_SP_HDRLEN)
		return ECHO_DROP_SHORT;
	flags = (unsigned)p[ECHO_SP_FLAGS] << 8 | p[ECHO_SP_FLAGS + 1];
	if (!(flags & ECHO_SP_CLIENT))
		return ECHO_DROP_NOT_SOCKPERF;
	/* Throughput tests ask for a reply only now and then. */
	if (!(flags & ECHO_SP_PONG_REQUEST))
		return ECHO_DROP_NO_PONG;
	p[ECHO_SP_FLAGS + 1] &= (uint8_t)~ECHO_SP_CLIENT;
	return -1;
}
