/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for the sock module's pure parts: the control messages a
 * reply carries (the arrival address, UDP segmentation) and which send
 * errors mean "segmentation refused", and the kernel's drop counters over
 * a real loopback socket.
 */
#include "config.h"

#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <linux/errqueue.h>
#include <linux/icmp.h>

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "sockaddr.h"
#include "sock.h"

int __real_setsockopt(
    int fd, int level, int name, const void *val, socklen_t len);
int __wrap_setsockopt(
    int fd, int level, int name, const void *val, socklen_t len);

/* The one option __wrap_setsockopt() refuses; level -1: none. */
static int fail_level = -1, fail_name = -1;

int
__wrap_setsockopt(int fd, int level, int name, const void *val, socklen_t len)
{
	if (level == fail_level && name == fail_name) {
		errno = ENOPROTOOPT;
		return -1;
	}
	return __real_setsockopt(fd, level, name, val, len);
}

static int
fail_none(void **state)
{
	(void)state;
	fail_level = fail_name = -1;
	return 0;
}

/* A server whose IPv6-only setting fails is an error, not a quiet surprise. */
static void
test_v6only_fails(void **state)
{
	struct addr_spec any;
	char err[256];
	int fd;

	(void)state;
	memset(&any, 0, sizeof any);
	fd = sock_udp_server(&any, AF_INET6, 0, err, sizeof err);
	if (fd == -1)
		skip(); /* no IPv6 here */
	close(fd);
	fail_level = IPPROTO_IPV6;
	fail_name = IPV6_V6ONLY;
	assert_int_equal(
	    sock_udp_server(&any, AF_UNSPEC, 0, err, sizeof err), -1);
	assert_string_equal(
	    err, "cannot make [::]:0 dual-stack: Protocol not available");
	assert_int_equal(errno, ENOPROTOOPT);
	assert_int_equal(
	    sock_udp_server(&any, AF_INET6, SOCK_F_V6ONLY, err, sizeof err),
	    -1);
	assert_string_equal(
	    err, "cannot make [::]:0 IPv6-only: Protocol not available");
	/* IPv4 alone needs no such option. */
	fd = sock_udp_server(&any, AF_INET, 0, err, sizeof err);
	assert_true(fd != -1);
	close(fd);
}

/* sock_enable_meta() says when the socket's own family's option failed. */
static void
test_enable_meta_fails(void **state)
{
	int fd4, fd6;

	(void)state;
	fd4 = socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(fd4 != -1);
	assert_int_equal(sock_enable_meta(fd4, SOCK_META_TTL), 0);
	fail_level = IPPROTO_IP;
	fail_name = IP_RECVTTL;
	assert_int_equal(sock_enable_meta(fd4, SOCK_META_TTL), -1);
	assert_int_equal(sock_enable_meta(fd4, SOCK_META_TIMESTAMP), 0);
	fail_level = SOL_SOCKET;
	fail_name = SO_TIMESTAMPNS;
	assert_int_equal(sock_enable_meta(fd4, SOCK_META_TIMESTAMP), -1);
	close(fd4);
	fd6 = socket(AF_INET6, SOCK_DGRAM, 0);
	if (fd6 == -1)
		return;
	/* A dual-stack socket's IPv4 options are a bonus... */
	fail_level = IPPROTO_IP;
	fail_name = IP_RECVTTL;
	assert_int_equal(sock_enable_meta(fd6, SOCK_META_TTL), 0);
	/* ...its hop limit is not. */
	fail_level = IPPROTO_IPV6;
	fail_name = IPV6_RECVHOPLIMIT;
	assert_int_equal(sock_enable_meta(fd6, SOCK_META_TTL), -1);
	close(fd6);
}

static void
test_set_pmtu(void **state)
{
	socklen_t len = sizeof(int);
	int fd, v = -1;

	(void)state;
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	assert_int_equal(sock_set_pmtu(fd, AF_INET, 1), 0);
	assert_int_equal(
	    getsockopt(fd, IPPROTO_IP, IP_MTU_DISCOVER, &v, &len), 0);
	assert_int_equal(v, IP_PMTUDISC_DO);
	assert_int_equal(sock_set_pmtu(fd, AF_INET, 0), 0);
	assert_int_equal(
	    getsockopt(fd, IPPROTO_IP, IP_MTU_DISCOVER, &v, &len), 0);
	assert_int_equal(v, IP_PMTUDISC_DONT);
	close(fd);
	fd = socket(AF_INET6, SOCK_DGRAM, 0);
	if (fd == -1)
		return;
	assert_int_equal(sock_set_pmtu(fd, AF_INET6, 1), 0);
	assert_int_equal(
	    getsockopt(fd, IPPROTO_IPV6, IPV6_MTU_DISCOVER, &v, &len), 0);
	assert_int_equal(v, IPV6_PMTUDISC_DO);
	close(fd);
}

/* A raw socket (root only) lets replies and errors through, not requests. */
static void
test_icmp_filter(void **state)
{
	struct icmp_filter f;
	socklen_t len = sizeof f;
	int fd;

	(void)state;
	fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
	if (fd == -1)
		skip();
	assert_int_equal(sock_icmp_filter(fd, AF_INET), 0);
	assert_int_equal(getsockopt(fd, SOL_RAW, ICMP_FILTER, &f, &len), 0);
	assert_false(f.data & (1U << ICMP_ECHOREPLY));
	assert_false(f.data & (1U << ICMP_DEST_UNREACH));
	assert_true(f.data & (1U << ICMP_ECHO));
	close(fd);
}

/* -I's two meanings: a source address, else an interface. */
static void
test_bind_source(void **state)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof sin;
	char err[256], a[INET_ADDRSTRLEN];
	int fd;

	(void)state;
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	assert_int_equal(
	    sock_bind_source(fd, AF_INET, "127.0.0.2", err, sizeof err), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	assert_string_equal(
	    inet_ntop(AF_INET, &sin.sin_addr, a, sizeof a), "127.0.0.2");
	close(fd);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	assert_int_equal(
	    sock_bind_source(fd, AF_INET, "lo", err, sizeof err), 0);
	errno = 0;
	assert_int_equal(
	    sock_bind_source(fd, AF_INET, "nosuch0", err, sizeof err), -1);
	assert_int_equal(errno, ENODEV);
	assert_string_equal(err, "no such interface, and not an IPv4 address");
	/* An IPv6 address is no IPv4 source: it is taken for a name. */
	assert_int_equal(
	    sock_bind_source(fd, AF_INET, "::1", err, sizeof err), -1);
	assert_int_equal(errno, ENODEV);
	close(fd);
	/* An address this host does not have. */
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	assert_int_equal(
	    sock_bind_source(fd, AF_INET, "192.0.2.1", err, sizeof err), -1);
	assert_string_equal(
	    err, "bind to '192.0.2.1': Cannot assign requested address");
	close(fd);
}

/* The /proc/net/udp line format, as Linux 6.1 writes it. */
static void
test_parse_proc_drops(void **state)
{
	const char *text =
	    "   sl  local_address rem_address   st tx_queue rx_queue tr "
	    "tm->when retrnsmt   uid  timeout inode ref pointer drops\n"
	    "  123: 0100007F:0035 00000000:0000 07 00000000:00000000 "
	    "00:00000000 00000000   101        0 15871 2 000000007f6d8b2c 0\n"
	    " 4409: 0100007F:B0F2 00000000:0000 07 00000000:00034000 "
	    "00:00000000 00000000     0        0 99120 2 00000000a1b2c3d4 "
	    "1234\n";

	(void)state;
	assert_int_equal(sock_parse_proc_drops(text, 15871), 0);
	assert_int_equal(sock_parse_proc_drops(text, 99120), 1234);
	assert_int_equal(sock_parse_proc_drops(text, 4242), -1);
	assert_int_equal(sock_parse_proc_drops("", 1), -1);
	assert_int_equal(sock_parse_proc_drops("garbage\n\n", 1), -1);
}

/*
 * A socket that is not read overflows: the kernel's count, from
 * /proc/net/udp and from SO_RXQ_OVFL on the next datagram queued, says
 * how many were lost, exactly.
 */
static void
test_kernel_drops(void **state)
{
	struct sockaddr_in sin;
	struct sock_meta m;
	socklen_t len = sizeof sin;
	char buf[64];
	int rx, tx, i, sent = 0, got = 0, small = 2048;
	long long drops;

	(void)state;
	rx = socket(AF_INET, SOCK_DGRAM, 0);
	tx = socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(rx >= 0 && tx >= 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(
	    setsockopt(rx, SOL_SOCKET, SO_RCVBUF, &small, sizeof small), 0);
	assert_int_equal(bind(rx, (struct sockaddr *)&sin, sizeof sin), 0);
	assert_int_equal(getsockname(rx, (struct sockaddr *)&sin, &len), 0);
	assert_int_equal(sock_enable_meta(rx, SOCK_META_DROPS), 0);
	assert_int_equal(sock_kernel_drops(rx), 0);
	for (i = 0; i < 200; i++) {
		if (sendto(tx, "x", 1, 0, (struct sockaddr *)&sin,
			sizeof sin) == 1)
			sent++;
	}
	while (sock_recv_meta(rx, buf, sizeof buf, MSG_DONTWAIT, &m) >= 0)
		got++;
	drops = sock_kernel_drops(rx);
	assert_true(got > 0 && got < sent);
	assert_int_equal(drops, sent - got);
	/* The next datagram queued carries the total so far. */
	assert_int_equal(
	    sendto(tx, "y", 1, 0, (struct sockaddr *)&sin, sizeof sin), 1);
	assert_true(sock_recv_meta(rx, buf, sizeof buf, 0, &m) == 1);
	assert_int_equal(m.has_drops, 1);
	assert_int_equal((long long)m.drops, drops);
	close(rx);
	close(tx);
	assert_int_equal(sock_kernel_drops(rx), -1);
}

/* The receive buffer grows at least to what was asked where allowed. */
static void
test_set_rcvbuf(void **state)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0), got;

	(void)state;
	assert_true(fd >= 0);
	got = sock_set_rcvbuf(fd, 65536);
	assert_true(got >= 65536);
	close(fd);
	assert_int_equal(sock_set_rcvbuf(fd, 65536), -1);
}

/* The port a socket is bound to, 0 when there is none to know. */
static void
test_local_port(void **state)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof sin;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	(void)state;
	assert_true(fd >= 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof sin), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	assert_int_not_equal(sin.sin_port, 0);
	assert_int_equal(sock_local_port(fd), ntohs(sin.sin_port));
	close(fd);
	assert_int_equal(sock_local_port(fd), 0);
}

/* sock_rcvbuf() says when it got less, and names a failure. */
static void
test_rcvbuf(void **state)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	char err[ADDR_ERRLEN];

	(void)state;
	assert_true(fd >= 0);
	err[0] = '\0';
	assert_int_equal(sock_rcvbuf(fd, 65536, err, sizeof err), 0);
	assert_string_equal(err, "");
	close(fd);
	assert_int_equal(sock_rcvbuf(fd, 65536, err, sizeof err), -1);
	assert_int_equal(errno, EBADF);
	assert_non_null(strstr(err, "cannot set the receive buffer: "));
}

union cbuf {
	struct cmsghdr align;
	char buf[SOCK_CMSG_SPACE];
};

static void
test_segment_cmsg(void **state)
{
	union cbuf cb;
	struct msghdr msg;
	struct cmsghdr *c;
	uint16_t v;
	size_t len;

	(void)state;
	memset(&cb, 0xa5, sizeof cb);
	len = sock_segment_cmsg(cb.buf, sizeof cb.buf, 1400);
#ifdef UDP_SEGMENT
	assert_int_equal(len, CMSG_SPACE(sizeof(uint16_t)));
	memset(&msg, 0, sizeof msg);
	msg.msg_control = cb.buf;
	msg.msg_controllen = len;
	c = CMSG_FIRSTHDR(&msg);
	if (c == NULL) {
		fail_msg("no control message");
		return;
	}
	assert_int_equal(c->cmsg_level, SOL_UDP);
	assert_int_equal(c->cmsg_type, UDP_SEGMENT);
	assert_int_equal(c->cmsg_len, CMSG_LEN(sizeof v));
	memcpy(&v, CMSG_DATA(c), sizeof v);
	assert_int_equal(v, 1400);
	/* Nothing of the old contents is left in the padding. */
	for (size_t i = CMSG_LEN(sizeof v); i < len; i++)
		assert_int_equal(cb.buf[i], 0);
	assert_null(CMSG_NXTHDR(&msg, c));
#else
	assert_int_equal(len, 0);
	(void)msg;
	(void)c;
	(void)v;
#endif
}

static void
test_segment_cmsg_bounds(void **state)
{
	union cbuf cb;

	(void)state;
	assert_int_equal(sock_segment_cmsg(cb.buf, sizeof cb.buf, 0), 0);
	assert_int_equal(sock_segment_cmsg(cb.buf, sizeof cb.buf, 65536), 0);
	assert_int_equal(sock_segment_cmsg(cb.buf, 4, 1400), 0);
}

/* A reply's arrival address and the segmentation follow each other. */
static void
test_reply_then_segment(void **state)
{
	union cbuf cb;
	struct sock_meta m;
	struct sockaddr_in *to = (struct sockaddr_in *)&m.to;
	struct msghdr msg;
	struct cmsghdr *c;
	struct in_pktinfo pi;
	size_t a, b;

	(void)state;
	memset(&m, 0, sizeof m);
	to->sin_family = AF_INET;
	inet_pton(AF_INET, "127.0.0.2", &to->sin_addr);
	m.tolen = sizeof *to;
	a = sock_reply_cmsg(&m, cb.buf, sizeof cb.buf);
	assert_int_equal(a, CMSG_SPACE(sizeof pi));
	b = sock_segment_cmsg(cb.buf + a, sizeof cb.buf - a, 64);
	memset(&msg, 0, sizeof msg);
	msg.msg_control = cb.buf;
	msg.msg_controllen = a + b;
	c = CMSG_FIRSTHDR(&msg);
	if (c == NULL) {
		fail_msg("no control message");
		return;
	}
	assert_int_equal(c->cmsg_level, IPPROTO_IP);
	assert_int_equal(c->cmsg_type, IP_PKTINFO);
	memcpy(&pi, CMSG_DATA(c), sizeof pi);
	assert_int_equal(pi.ipi_spec_dst.s_addr, to->sin_addr.s_addr);
	c = CMSG_NXTHDR(&msg, c);
#ifdef UDP_SEGMENT
	if (c == NULL) {
		fail_msg("no control message");
		return;
	}
	assert_int_equal(c->cmsg_type, UDP_SEGMENT);
#else
	assert_null(c);
#endif
	/* No arrival address: no control message at all. */
	m.tolen = 0;
	assert_int_equal(sock_reply_cmsg(&m, cb.buf, sizeof cb.buf), 0);
}

static void
test_segment_fits(void **state)
{
	(void)state;
	assert_int_equal(sock_segment_fits(1400, 0, 1400), 1);
	assert_int_equal(sock_segment_fits(1400, 1400, 7), 1);
	assert_int_equal(sock_segment_fits(1400, 1400, 1401), 0);
	/* An empty segment makes no datagram: it never joins a run. */
	assert_int_equal(sock_segment_fits(1400, 1400, 0), 0);
	assert_int_equal(
	    sock_segment_fits(1400, SOCK_SEGMENT_MAX - 1000, 1000), 1);
	assert_int_equal(
	    sock_segment_fits(1400, SOCK_SEGMENT_MAX - 999, 1000), 0);
}

static void
test_segment_refused(void **state)
{
	(void)state;
	assert_int_equal(sock_segment_refused(EMSGSIZE), 2);
	assert_int_equal(sock_segment_refused(EINVAL), 2);
	assert_int_equal(sock_segment_refused(EIO), 1);
	assert_int_equal(sock_segment_refused(ENOPROTOOPT), 1);
	assert_int_equal(sock_segment_refused(EOPNOTSUPP), 1);
	/* Errors of the destination are not about segmentation. */
	assert_int_equal(sock_segment_refused(ECONNREFUSED), 0);
	assert_int_equal(sock_segment_refused(ENOBUFS), 0);
	assert_int_equal(sock_segment_refused(EHOSTUNREACH), 0);
	assert_int_equal(sock_segment_refused(EPERM), 0);
}

/* The DF hint: the path MTU, the header bytes, the largest payload. */
static void
test_mtu_hint(void **state)
{
	char buf[256];

	assert_string_equal(
	    sock_mtu_hint(AF_INET, 1400, 1373, "-M do", buf, sizeof buf),
	    "1373 bytes do not fit the path MTU 1400 with -M do (at most 1372 "
	    "bytes of payload: 28 of the 1400 are IPv4 headers)");
	assert_string_equal(
	    sock_mtu_hint(AF_INET6, 1280, 1400, "--df", buf, sizeof buf),
	    "1400 bytes do not fit the path MTU 1280 with --df (at most 1232 "
	    "bytes of payload: 48 of the 1280 are IPv6 headers)");
	/* A nonsense MTU gives no negative payload. */
	assert_non_null(
	    strstr(sock_mtu_hint(AF_INET, 20, 100, "--df", buf, sizeof buf),
		"at most 0 bytes"));
	/* Cut to the buffer, still terminated. */
	sock_mtu_hint(AF_INET, 1500, 2000, "--df", buf, 16);
	assert_int_equal(strlen(buf), 15);
}

/* Broadcast as the kernel's routes see it, over loopback's 127.0.0.0/8. */
static void
test_is_broadcast(void **state)
{
	struct sockaddr_in s4;
	struct sockaddr_in6 s6;

	memset(&s4, 0, sizeof s4);
	s4.sin_family = AF_INET;
	s4.sin_addr.s_addr = htonl(INADDR_BROADCAST);
	assert_int_equal(sock_is_broadcast((struct sockaddr *)&s4), 1);
	inet_pton(AF_INET, "127.0.0.1", &s4.sin_addr);
	assert_int_equal(sock_is_broadcast((struct sockaddr *)&s4), 0);
	inet_pton(AF_INET, "127.255.255.255", &s4.sin_addr);
	assert_int_equal(sock_is_broadcast((struct sockaddr *)&s4), 1);
	memset(&s6, 0, sizeof s6);
	s6.sin6_family = AF_INET6;
	s6.sin6_addr = in6addr_loopback;
	assert_int_equal(sock_is_broadcast((struct sockaddr *)&s6), 0);
}

/* The path MTU of loopback, asked by address and on a connected socket. */
static void
test_path_mtu(void **state)
{
	struct sockaddr_in s4;
	int fd, mtu;

	memset(&s4, 0, sizeof s4);
	s4.sin_family = AF_INET;
	s4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	s4.sin_port = htons(9);
	mtu = sock_path_mtu((struct sockaddr *)&s4, sizeof s4);
	/* lo's MTU is 65536; the route caps it at 65535. */
	assert_true(mtu >= 1280);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(fd != -1);
	assert_int_equal(sock_mtu(fd, AF_INET), -1); /* not connected */
	assert_int_equal(connect(fd, (struct sockaddr *)&s4, sizeof s4), 0);
	assert_int_equal(sock_mtu(fd, AF_INET), mtu);
	close(fd);
}

static void
test_join_group(void **state)
{
	struct sockaddr_storage src[2];
	struct addr_group g;
	char err[ADDR_ERRLEN];
	int fd, bad;

	(void)state;
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(
	    addr_parse_group("239.7.7.7%lo", &g, err, sizeof err), 0);
	assert_int_equal(sock_join_group(fd, &g, NULL, 0, &bad), 0);
	assert_int_equal(bad, -1);
	/* Joined already: the second any-source join fails and says so. */
	assert_int_equal(sock_join_group(fd, &g, NULL, 0, &bad), -1);
	assert_int_equal(bad, -1);
	/* Sources of the other family leave the join any-source. */
	assert_int_equal(
	    addr_parse_source("2001:db8::1", &src[0], err, sizeof err), 0);
	assert_int_equal(
	    addr_parse_source("192.0.2.9", &src[1], err, sizeof err), 0);
	/* The interface does not exist: the IPv4 source (index 1) fails. */
	g.ifindex = 0x7fffffff;
	assert_int_equal(sock_join_group(fd, &g, src, 2, &bad), -1);
	assert_int_equal(bad, 1);
	assert_int_equal(sock_join_group(fd, &g, src, 1, &bad), -1);
	assert_int_equal(bad, -1);
	assert_int_equal(errno, ENODEV);
	close(fd);
}

/* Every group is joined; a failure names the group, source and hint. */
static void
test_join_groups(void **state)
{
	struct addr_joins j;
	char err[ADDR_ERRLEN];
	int fd;

	(void)state;
	memset(&j, 0, sizeof j);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(sock_join_groups(fd, &j, err, sizeof err), 0);
	assert_int_equal(
	    addr_joins_add(&j, 0, "239.7.7.8%lo", err, sizeof err), 0);
	assert_int_equal(
	    addr_joins_add(&j, 0, "239.7.7.9%lo", err, sizeof err), 0);
	assert_int_equal(sock_join_groups(fd, &j, err, sizeof err), 0);
	/* Joined already: the first group fails again. */
	assert_int_equal(sock_join_groups(fd, &j, err, sizeof err), -1);
	assert_string_equal(err, "join 239.7.7.8%lo: Address already in use");
	/* No such interface: the hint to name one. */
	j.group[0].ifindex = 0x7fffffff;
	assert_int_equal(sock_join_groups(fd, &j, err, sizeof err), -1);
	assert_int_equal(errno, ENODEV);
	assert_string_equal(err,
	    "join 239.7.7.8%lo (name an interface: "
	    "GROUP%IF): No such device");
	assert_int_equal(
	    addr_joins_add(&j, 1, "192.0.2.9", err, sizeof err), 0);
	assert_int_equal(sock_join_groups(fd, &j, err, sizeof err), -1);
	assert_string_equal(
	    err, "join 239.7.7.8%lo from source 1: No such device");
	close(fd);
}

static void
test_resolve_peer(void **state)
{
	struct sockaddr_storage ss;
	struct addr_spec spec;
	const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)&ss;
	char err[ADDR_ERRLEN];
	socklen_t len;
	int fd4, fd6;

	(void)state;
	fd4 = socket(AF_INET, SOCK_DGRAM, 0);
	fd6 = socket(AF_INET6, SOCK_DGRAM, 0);
	assert_true(fd4 >= 0 && fd6 >= 0);
	assert_int_equal(
	    addr_parse("127.0.0.1:9", 0, &spec, err, sizeof err), 0);
	assert_int_equal(sock_resolve_peer(fd4, &spec, "127.0.0.1:9", &ss, &len,
			     err, sizeof err),
	    0);
	assert_int_equal(ss.ss_family, AF_INET);
	assert_int_equal(len, sizeof(struct sockaddr_in));
	/* A dual-stack socket reaches IPv4 through a mapped address. */
	assert_int_equal(sock_resolve_peer(fd6, &spec, "127.0.0.1:9", &ss, &len,
			     err, sizeof err),
	    0);
	assert_int_equal(ss.ss_family, AF_INET6);
	assert_true(IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr));
	assert_int_equal(ntohs(s6->sin6_port), 9);
	assert_memory_equal(&s6->sin6_addr.s6_addr[12], "\x7f\0\0\x01", 4);
	/* An IPv4 socket cannot send to an IPv6 address. */
	assert_int_equal(addr_parse("[::1]:9", 0, &spec, err, sizeof err), 0);
	assert_int_equal(sock_resolve_peer(
			     fd4, &spec, "[::1]:9", &ss, &len, err, sizeof err),
	    -1);
	assert_true(err[0] != '\0');
	close(fd4);
	close(fd6);
}

/* A control message buffer as the kernel fills it for an ICMP error. */
static void
build_err(struct msghdr *msg, void *cbuf, size_t csize, int level, int type,
    const struct sock_extended_err *ee, const void *off, size_t offlen)
{
	struct cmsghdr *c;

	memset(cbuf, 0, csize);
	msg->msg_control = cbuf;
	msg->msg_controllen = CMSG_SPACE(sizeof *ee + offlen);
	assert_true(msg->msg_controllen <= csize);
	/* The first header sits at the start of the (aligned) buffer. */
	c = cbuf;
	assert_ptr_equal(CMSG_FIRSTHDR(msg), c);
	c->cmsg_level = level;
	c->cmsg_type = type;
	c->cmsg_len = CMSG_LEN(sizeof *ee + offlen);
	memcpy(CMSG_DATA(c), ee, sizeof *ee);
	memcpy(CMSG_DATA(c) + sizeof *ee, off, offlen);
}

static void
test_parse_err(void **state)
{
	union {
		struct cmsghdr align;
		char b[256];
	} cbuf;
	struct sock_extended_err ee;
	struct sockaddr_in off, dst;
	struct sockaddr_in6 off6;
	struct msghdr msg;
	struct sock_err e;

	(void)state;
	memset(&msg, 0, sizeof msg);
	memset(&ee, 0, sizeof ee);
	memset(&off, 0, sizeof off);
	memset(&dst, 0, sizeof dst);
	ee.ee_errno = ECONNREFUSED;
	ee.ee_origin = SO_EE_ORIGIN_ICMP;
	ee.ee_type = 3;
	ee.ee_code = 3;
	off.sin_family = AF_INET;
	inet_pton(AF_INET, "192.0.2.1", &off.sin_addr);
	dst.sin_family = AF_INET;
	dst.sin_port = htons(9);
	inet_pton(AF_INET, "192.0.2.7", &dst.sin_addr);
	msg.msg_name = &dst;
	msg.msg_namelen = sizeof dst;
	build_err(&msg, cbuf.b, sizeof cbuf.b, IPPROTO_IP, IP_RECVERR, &ee,
	    &off, sizeof off);
	assert_int_equal(sock_parse_err(&msg, &e), 0);
	assert_int_equal(e.origin, SOCK_ERR_ICMP);
	assert_int_equal(e.err, ECONNREFUSED);
	assert_int_equal(e.type, 3);
	assert_int_equal(e.code, 3);
	assert_int_equal(e.fromlen, sizeof(struct sockaddr_in));
	assert_memory_equal(&e.from, &off, sizeof off);
	assert_int_equal(e.dstlen, sizeof dst);
	assert_memory_equal(&e.dst, &dst, sizeof dst);

	/* ICMPv6 with its MTU; no name: the destination is not known. */
	memset(&off6, 0, sizeof off6);
	off6.sin6_family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8::1", &off6.sin6_addr);
	ee.ee_errno = EMSGSIZE;
	ee.ee_origin = SO_EE_ORIGIN_ICMP6;
	ee.ee_type = 2;
	ee.ee_code = 0;
	ee.ee_info = 1280;
	msg.msg_name = NULL;
	msg.msg_namelen = 0;
	build_err(&msg, cbuf.b, sizeof cbuf.b, IPPROTO_IPV6, IPV6_RECVERR, &ee,
	    &off6, sizeof off6);
	assert_int_equal(sock_parse_err(&msg, &e), 0);
	assert_int_equal(e.origin, SOCK_ERR_ICMP6);
	assert_int_equal(e.info, 1280);
	assert_int_equal(e.fromlen, sizeof(struct sockaddr_in6));
	assert_memory_equal(&e.from, &off6, sizeof off6);
	assert_int_equal(e.dstlen, 0);

	/* This host's own error names no sender, whatever follows it. */
	ee.ee_origin = SO_EE_ORIGIN_LOCAL;
	build_err(&msg, cbuf.b, sizeof cbuf.b, IPPROTO_IPV6, IPV6_RECVERR, &ee,
	    &off6, sizeof off6);
	assert_int_equal(sock_parse_err(&msg, &e), 0);
	assert_int_equal(e.origin, SOCK_ERR_LOCAL);
	assert_int_equal(e.fromlen, 0);
	assert_int_equal(e.from.ss_family, AF_UNSPEC);

	/* An offender of no family (the kernel's "unknown"). */
	ee.ee_origin = SO_EE_ORIGIN_ICMP;
	memset(&off, 0, sizeof off);
	build_err(&msg, cbuf.b, sizeof cbuf.b, IPPROTO_IP, IP_RECVERR, &ee,
	    &off, sizeof off);
	assert_int_equal(sock_parse_err(&msg, &e), 0);
	assert_int_equal(e.fromlen, 0);

	/* Another control message is not an error. */
	build_err(&msg, cbuf.b, sizeof cbuf.b, IPPROTO_IP, IP_TTL, &ee, &off,
	    sizeof off);
	assert_int_equal(sock_parse_err(&msg, &e), -1);
	assert_int_equal(e.origin, SOCK_ERR_NONE);
	msg.msg_controllen = 0;
	assert_int_equal(sock_parse_err(&msg, &e), -1);
}

/* A real refusal over loopback: the queue holds the probe and the error. */
static void
test_recv_err(void **state)
{
	struct sockaddr_in sin;
	struct sock_err e;
	uint8_t buf[64];
	ssize_t n = -1;
	int fd, i;

	(void)state;
	closed_port4(&sin);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(fd != -1);
	assert_int_equal(sock_recverr(fd, AF_INET), 0);
	assert_int_equal(sock_recv_err(fd, buf, sizeof buf, &e), -1);
	assert_int_equal(errno, EAGAIN);
	assert_int_equal(
	    sendto(fd, "probe", 5, 0, (struct sockaddr *)&sin, sizeof sin), 5);
	for (i = 0; i < 100 && n == -1; i++) {
		n = sock_recv_err(fd, buf, sizeof buf, &e);
		if (n == -1)
			usleep(10000);
	}
	assert_int_equal(n, 5);
	assert_memory_equal(buf, "probe", 5);
	assert_int_equal(e.origin, SOCK_ERR_ICMP);
	assert_int_equal(e.type, 3);
	assert_int_equal(e.code, 3);
	assert_int_equal(e.err, ECONNREFUSED);
	assert_int_equal(e.fromlen, sizeof(struct sockaddr_in));
	assert_int_equal(e.dstlen, sizeof sin);
	assert_memory_equal(&e.dst, &sin, sizeof sin);
	close(fd);
}

/* sock_set_opts() sets what it is given and names what failed. */
static void
test_set_opts(void **state)
{
	struct sock_opts o;
	char err[256];
	socklen_t len;
	int fd, v;

	(void)state;
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(fd >= 0);
	memset(&o, 0, sizeof o);
	o.broadcast = 1;
	o.ttl = 7;
	o.tos = 32;
	o.df = 1;
	o.ifindex = 1; /* lo */
	o.ifname = "lo";
	o.loop = 1;
	assert_int_equal(sock_set_opts(fd, AF_INET, &o, err, sizeof err), 0);
	len = sizeof v;
	assert_int_equal(getsockopt(fd, SOL_SOCKET, SO_BROADCAST, &v, &len), 0);
	assert_int_equal(v, 1);
	assert_int_equal(getsockopt(fd, IPPROTO_IP, IP_TTL, &v, &len), 0);
	assert_int_equal(v, 7);
	assert_int_equal(getsockopt(fd, IPPROTO_IP, IP_TOS, &v, &len), 0);
	assert_int_equal(v, 32);
	assert_int_equal(
	    getsockopt(fd, IPPROTO_IP, IP_MTU_DISCOVER, &v, &len), 0);
	assert_int_equal(v, IP_PMTUDISC_DO);
	assert_int_equal(
	    getsockopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &v, &len), 0);
	assert_int_equal(v, 1);
	/* Multicast loopback is set off when not asked for. */
	o.loop = 0;
	o.ttl = -1;
	assert_int_equal(sock_set_opts(fd, AF_INET, &o, err, sizeof err), 0);
	assert_int_equal(
	    getsockopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &v, &len), 0);
	assert_int_equal(v, 0);
	assert_int_equal(getsockopt(fd, IPPROTO_IP, IP_TTL, &v, &len), 0);
	assert_int_equal(v, 7);
	/* An interface that is not there is named, errno kept. */
	o.ifindex = 999999;
	o.ifname = "nope\n";
	assert_int_equal(sock_set_opts(fd, AF_INET, &o, err, sizeof err), -1);
	assert_int_not_equal(errno, 0);
	assert_string_equal(err, "cannot send multicast on 'nope\\x0a'");
	close(fd);

	fd = socket(AF_INET6, SOCK_DGRAM, 0);
	assert_true(fd >= 0);
	memset(&o, 0, sizeof o);
	o.ttl = 9;
	o.tos = -1;
	o.df = 1;
	assert_int_equal(sock_set_opts(fd, AF_INET6, &o, err, sizeof err), 0);
	assert_int_equal(
	    getsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &v, &len), 0);
	assert_int_equal(v, 9);
	assert_int_equal(
	    getsockopt(fd, IPPROTO_IPV6, IPV6_DONTFRAG, &v, &len), 0);
	assert_int_equal(v, 1);
	close(fd);
}

/* sock_connect_peer() connects, or says why not with the hint that helps. */
static void
test_connect_peer(void **state)
{
	struct sockaddr_in sin;
	struct sockaddr_in6 s6;
	char err[512];
	int fd;

	(void)state;
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(fd >= 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons(9);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(sock_connect_peer(fd, (struct sockaddr *)&sin,
			     sizeof sin, 0, "-b", err, sizeof err),
	    0);
	close(fd);
	fd = socket(AF_INET6, SOCK_DGRAM, 0);
	assert_true(fd >= 0);
	memset(&s6, 0, sizeof s6);
	s6.sin6_family = AF_INET6;
	s6.sin6_port = htons(9);
	assert_int_equal(inet_pton(AF_INET6, "fe80::1", &s6.sin6_addr), 1);
	assert_int_equal(sock_connect_peer(fd, (struct sockaddr *)&s6,
			     sizeof s6, 0, "-b", err, sizeof err),
	    -1);
	assert_int_equal(errno, EINVAL);
	assert_non_null(strstr(err, "connect [fe80::1]:9: "));
	assert_non_null(
	    strstr(err, "a link-local address needs its interface"));
	close(fd);
}

/* sock_send_error_text() names the peer, the size and the limit. */
static void
test_send_error_text(void **state)
{
	struct sockaddr_in sin;
	char buf[512];

	(void)state;
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons(9);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_string_equal(
	    sock_send_error_text(-1, EMSGSIZE, (struct sockaddr *)&sin,
		sizeof sin, "127.0.0.1:9", 0, 0, 0, 70000, buf, sizeof buf),
	    "send to 127.0.0.1:9: 70000 bytes: Message too long (at most "
	    "65507 for IPv4)");
	assert_string_equal(
	    sock_send_error_text(-1, ENOBUFS, (struct sockaddr *)&sin,
		sizeof sin, "127.0.0.1:9", 1, 0, 0, 5, buf, sizeof buf),
	    "send to 127.0.0.1:9: No buffer space available");
	sin.sin_addr.s_addr = htonl(INADDR_BROADCAST);
	sock_send_error_text(-1, EACCES, (struct sockaddr *)&sin, sizeof sin,
	    "255.255.255.255:9", 1, 0, 0, 5, buf, sizeof buf);
	assert_non_null(strstr(buf, "-b"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_segment_cmsg),
	    cmocka_unit_test(test_parse_proc_drops),
	    cmocka_unit_test(test_kernel_drops),
	    cmocka_unit_test(test_set_rcvbuf),
	    cmocka_unit_test(test_rcvbuf),
	    cmocka_unit_test(test_local_port),
	    cmocka_unit_test(test_segment_cmsg_bounds),
	    cmocka_unit_test(test_reply_then_segment),
	    cmocka_unit_test(test_segment_fits),
	    cmocka_unit_test(test_segment_refused),
	    cmocka_unit_test(test_mtu_hint),
	    cmocka_unit_test(test_is_broadcast),
	    cmocka_unit_test(test_path_mtu),
	    cmocka_unit_test(test_join_group),
	    cmocka_unit_test(test_join_groups),
	    cmocka_unit_test(test_resolve_peer),
	    cmocka_unit_test(test_parse_err),
	    cmocka_unit_test(test_recv_err),
	    cmocka_unit_test(test_bind_source),
	    cmocka_unit_test(test_set_pmtu),
	    cmocka_unit_test(test_icmp_filter),
	    cmocka_unit_test(test_set_opts),
	    cmocka_unit_test(test_connect_peer),
	    cmocka_unit_test(test_send_error_text),
	    cmocka_unit_test_teardown(test_v6only_fails, fail_none),
	    cmocka_unit_test_teardown(test_enable_meta_fails, fail_none),
	};

	return cmocka_run_group_tests_name("sock", tests, NULL, NULL);
}
