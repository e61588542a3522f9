/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for the priv module: the check of /proc/self/status text that
 * decides whether a drop really left nothing privileged.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "priv.h"

/* /proc/self/status of uid 65534, gid 65534 after a drop (Linux 6.1). */
static const char dropped[] = "Name:\tudptool\n"
			      "Umask:\t0022\n"
			      "State:\tR (running)\n"
			      "Tgid:\t4242\n"
			      "Uid:\t65534\t65534\t65534\t65534\n"
			      "Gid:\t65534\t65534\t65534\t65534\n"
			      "FDSize:\t64\n"
			      "Groups:\t\n"
			      "CapInh:\t0000000000000000\n"
			      "CapPrm:\t0000000000000000\n"
			      "CapEff:\t0000000000000000\n"
			      "CapBnd:\t000001ffffffffff\n"
			      "CapAmb:\t0000000000000000\n"
			      "NoNewPrivs:\t0\n";

/* Replaces the first occurrence of from (which must be there) with to. */
static void
edit(char *buf, size_t size, const char *from, const char *to)
{
	char tmp[2048];
	char *p = strstr(dropped, from);

	assert_non_null(p);
	snprintf(tmp, sizeof tmp, "%.*s%s%s", (int)(p - dropped), dropped, to,
	    p + strlen(from));
	snprintf(buf, size, "%s", tmp);
}

static void
test_clean(void **state)
{
	char err[128];

	assert_int_equal(
	    priv_status_check(dropped, 65534, 65534, err, sizeof err), 0);
}

static void
test_capabilities_left(void **state)
{
	static const char *const lines[][3] = {
	    {"CapPrm:\t0000000000000000", "CapPrm:\t0000000000002000",
		"CapPrm"},
	    {"CapEff:\t0000000000000000", "CapEff:\t0000000000002000",
		"CapEff"},
	    {"CapInh:\t0000000000000000", "CapInh:\t0000000000000001",
		"CapInh"},
	    {"CapAmb:\t0000000000000000", "CapAmb:\t0000000000000400",
		"CapAmb"},
	    /* 64-bit masks, the highest capability included. */
	    {"CapPrm:\t0000000000000000", "CapPrm:\t8000000000000000",
		"CapPrm"},
	};
	char buf[2048], err[128];
	size_t i;

	for (i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		edit(buf, sizeof buf, lines[i][0], lines[i][1]);
		assert_int_equal(
		    priv_status_check(buf, 65534, 65534, err, sizeof err), -1);
		/* The message names the set. */
		assert_non_null(strstr(err, lines[i][2]));
	}
	/* The bounding set is not ours to empty: it does not matter. */
	assert_int_equal(
	    priv_status_check(dropped, 65534, 65534, err, sizeof err), 0);
}

static void
test_ids(void **state)
{
	char buf[2048], err[128];

	/* A saved set-user-id of root left behind (setuid() without setresuid()). */
	edit(buf, sizeof buf, "Uid:\t65534\t65534\t65534\t65534",
	    "Uid:\t65534\t65534\t0\t65534");
	assert_int_equal(
	    priv_status_check(buf, 65534, 65534, err, sizeof err), -1);
	assert_non_null(strstr(err, "Uid"));
	/* The file-system uid counts too. */
	edit(buf, sizeof buf, "Uid:\t65534\t65534\t65534\t65534",
	    "Uid:\t65534\t65534\t65534\t0");
	assert_int_equal(
	    priv_status_check(buf, 65534, 65534, err, sizeof err), -1);
	edit(buf, sizeof buf, "Gid:\t65534\t65534\t65534\t65534",
	    "Gid:\t65534\t0\t65534\t65534");
	assert_int_equal(
	    priv_status_check(buf, 65534, 65534, err, sizeof err), -1);
	assert_non_null(strstr(err, "Gid"));
	/* The real ids are what the fields are compared with. */
	assert_int_equal(
	    priv_status_check(dropped, 1000, 65534, err, sizeof err), -1);
	assert_int_equal(
	    priv_status_check(dropped, 65534, 1000, err, sizeof err), -1);
}

static void
test_malformed(void **state)
{
	char buf[2048], err[128];

	/* A missing line is never taken for a clean one. */
	edit(buf, sizeof buf, "CapEff:\t0000000000000000\n", "");
	assert_int_equal(
	    priv_status_check(buf, 65534, 65534, err, sizeof err), -1);
	assert_non_null(strstr(err, "CapEff"));
	edit(buf, sizeof buf, "Uid:\t65534\t65534\t65534\t65534\n", "");
	assert_int_equal(
	    priv_status_check(buf, 65534, 65534, err, sizeof err), -1);
	edit(buf, sizeof buf, "Uid:\t65534\t65534\t65534\t65534",
	    "Uid:\t65534\t65534\t65534");
	assert_int_equal(
	    priv_status_check(buf, 65534, 65534, err, sizeof err), -1);
	edit(buf, sizeof buf, "CapPrm:\t0000000000000000", "CapPrm:\tzz");
	assert_int_equal(
	    priv_status_check(buf, 65534, 65534, err, sizeof err), -1);
	edit(
	    buf, sizeof buf, "CapPrm:\t0000000000000000", "CapPrm:\t00000000x");
	assert_int_equal(
	    priv_status_check(buf, 65534, 65534, err, sizeof err), -1);
	/* A name inside another line is not the line. */
	edit(buf, sizeof buf, "CapInh:\t0000000000000000\n",
	    "XCapInh:\t0000000000000000\n");
	assert_int_equal(
	    priv_status_check(buf, 65534, 65534, err, sizeof err), -1);
	/* Kernels before 4.3 have no ambient set: nothing to check. */
	edit(buf, sizeof buf, "CapAmb:\t0000000000000000\n", "");
	assert_int_equal(
	    priv_status_check(buf, 65534, 65534, err, sizeof err), 0);
	assert_int_equal(priv_status_check("", 0, 0, err, sizeof err), -1);
}

static void
test_self(void **state)
{
	char err[160];
	pid_t pid;
	int status;

	/* This test binary holds no borrowed privilege. */
	assert_int_equal(priv_borrowed(), 0);
	assert_true(strcmp(priv_backend(), "libcap") == 0 ||
	    strcmp(priv_backend(), "capset") == 0);
	/* A real drop in a child, root or not, passes the real check. */
	pid = fork();
	assert_true(pid != -1);
	if (pid == 0) {
		if (priv_drop() == -1)
			_exit(3);
		_exit(priv_verify(err, sizeof err) == 0 ? 0 : 4);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void
test_icmp_failed(void **state)
{
	struct priv_icmp s;
	char buf[640];

	(void)state;
	memset(&s, 0, sizeof s);
	s.family = AF_INET6;
	s.fd = -1;
	s.e_dgram = EAFNOSUPPORT;
	s.e_raw = EAFNOSUPPORT;
	priv_icmp_failed(&s, buf, sizeof buf);
	assert_string_equal(buf,
	    "cannot open an ICMPv6 socket: Address "
	    "family not supported by protocol");
	s.family = AF_INET;
	s.e_dgram = EACCES;
	s.e_raw = EPERM;
	priv_icmp_failed(&s, buf, sizeof buf);
	/* Both ways to allow it, and the way around it. */
	assert_non_null(strstr(buf, "net.ipv4.ping_group_range is '"));
	assert_non_null(strstr(buf, "(Permission denied: sysctl"));
	assert_non_null(strstr(buf, "CAP_NET_RAW (Operation not permitted"));
	assert_non_null(strstr(buf, "-u HOST:PORT"));
}

static void
test_group_range(void **state)
{
	char buf[64];

	(void)state;
	priv_group_range(buf, sizeof buf);
	/* One line, tabs made spaces: "?" only without /proc. */
	assert_null(strchr(buf, '\n'));
	assert_null(strchr(buf, '\t'));
	assert_true(strlen(buf) > 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_clean),
	    cmocka_unit_test(test_capabilities_left),
	    cmocka_unit_test(test_ids),
	    cmocka_unit_test(test_malformed),
	    cmocka_unit_test(test_self),
	    cmocka_unit_test(test_icmp_failed),
	    cmocka_unit_test(test_group_range),
	};

	return cmocka_run_group_tests_name("priv", tests, NULL, NULL);
}
