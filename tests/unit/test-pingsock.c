/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for the pingsock module: the sockets of a ping run, -u and
 * ICMP, with their options, and targets refused before any probe.  Each
 * case runs in a child, since the setup drops every privilege for good.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <netinet/in.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "addr.h"
#include "pingsock.h"
#include "pingstate.h"

struct run {
	struct pingsock_conf sc;
	struct pingstate ps;
	struct ping_target t;
	struct ping_fd fds[PINGSOCK_MAX];
	size_t nfds, nok;
};

/* A run of one target, text, with the default options. */
static void
run_init(struct run *r, const char *text, int udp)
{
	char err[ADDR_ERRLEN];

	memset(r, 0, sizeof *r);
	r->sc.family = AF_UNSPEC;
	r->sc.ttl = r->sc.tos = r->sc.pmtu = -1;
	r->sc.interval = 1000;
	r->ps.t = &r->t;
	r->ps.nt = 1;
	r->ps.udp = udp;
	r->t.fd = -1;
	r->t.name = text;
	if (addr_parse(text, udp ? 0 : ADDR_F_NO_PORT, &r->t.spec, err,
		sizeof err) == -1)
		_exit(90);
}

/* Runs fn in a child; returns its exit status (0: every check held). */
static int
in_child(int (*fn)(void))
{
	pid_t pid;
	int status;

	fflush(NULL);
	pid = fork();
	assert_true(pid != -1);
	if (pid == 0)
		_exit(fn());
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static int
udp_case(void)
{
	struct run r;
	int ttl = 0;
	socklen_t len = sizeof ttl;

	run_init(&r, "127.0.0.1:9", 1);
	r.sc.ttl = 7;
	if (pingsock_setup(&r.sc, &r.ps, r.fds, &r.nfds, &r.nok) != 0)
		return 1;
	if (r.nok != 1 || r.nfds != 1 || !r.t.ok || r.fds[0].t != &r.t ||
	    r.fds[0].fd != r.t.fd || r.t.kind != PING_UDP)
		return 2;
	if (strcmp(r.t.dstaddr, "127.0.0.1:9") != 0 || r.t.family != AF_INET)
		return 3;
	/* -t is set on the socket. */
	if (getsockopt(r.t.fd, IPPROTO_IP, IP_TTL, &ttl, &len) == -1 ||
	    ttl != 7)
		return 4;
	return 0;
}

static void
test_udp(void **state)
{
	(void)state;
	assert_int_equal(in_child(udp_case), 0);
}

static int
icmp_case(void)
{
	struct run r;

	run_init(&r, "127.0.0.1", 0);
	if (pingsock_setup(&r.sc, &r.ps, r.fds, &r.nfds, &r.nok) != 0)
		return 1;
	/* One shared socket, the target's, with no port in its address. */
	if (r.nok != 1 || r.nfds != 1 || r.fds[0].t != NULL ||
	    r.fds[0].fd != r.t.fd || r.fds[0].kind != r.t.kind)
		return 2;
	if (r.t.kind == PING_UDP || strcmp(r.t.dstaddr, "127.0.0.1") != 0)
		return 3;
	return r.t.anysrc ? 4 : 0;
}

static void
test_icmp(void **state)
{
	(void)state;
	assert_int_equal(in_child(icmp_case), 0);
}

static int
broadcast_case(void)
{
	struct run r;

	/* As ping(8): a broadcast needs -b, and is a local error without. */
	run_init(&r, "255.255.255.255", 0);
	if (pingsock_setup(&r.sc, &r.ps, r.fds, &r.nfds, &r.nok) != 2)
		return 1;
	if (r.nok != 0 || r.t.ok || r.nfds != 0)
		return 2;
	return 0;
}

static void
test_broadcast(void **state)
{
	(void)state;
	assert_int_equal(in_child(broadcast_case), 0);
}

static int
family_case(void)
{
	struct run r;

	/* -I with an IPv6 address picks the family: no IPv4 socket. */
	run_init(&r, "::1", 0);
	r.sc.iface = "::1";
	if (pingsock_setup(&r.sc, &r.ps, r.fds, &r.nfds, &r.nok) != 0)
		return 1;
	if (r.sc.family != AF_INET6 || r.nfds != 1 ||
	    r.fds[0].family != AF_INET6)
		return 2;
	return 0;
}

static void
test_family(void **state)
{
	(void)state;
	assert_int_equal(in_child(family_case), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_udp),
	    cmocka_unit_test(test_icmp),
	    cmocka_unit_test(test_broadcast),
	    cmocka_unit_test(test_family),
	};

	return cmocka_run_group_tests_name("pingsock", tests, NULL, NULL);
}
