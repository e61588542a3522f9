/* SPDX-License-Identifier: ISC */
/*
 * The socket plumbing every command shares, so that binding, connecting
 * and reading control messages behave the same way everywhere.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <arpa/inet.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <netinet/ip.h>
#include <netinet/icmp6.h>
#ifdef __linux__
#include <linux/errqueue.h>
#include <linux/icmp.h>
#endif

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "errmsg.h"
#include "sock.h"

int
sock_resolve(const struct addr_spec *spec, int family, int passive,
    struct addrinfo **res, char *err, size_t errlen)
{
	struct addrinfo hints;
	char host[ADDR_HOST_MAX + ADDR_SCOPE_MAX + 1], portbuf[16],
	    show[ADDR_STRLEN * 2];
	const char *service = NULL;
	int port, rc;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = family;
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_protocol = IPPROTO_UDP;
	hints.ai_flags = AI_NUMERICSERV | (passive ? AI_PASSIVE : 0);
	if (spec->v6)
		hints.ai_flags |= AI_NUMERICHOST;
	if (spec->port[0] != '\0') {
		port =
		    addr_port_number(spec->port, "udp", passive, err, errlen);
		if (port < 0)
			return EAI_SERVICE;
		snprintf(portbuf, sizeof portbuf, "%d", port);
		service = portbuf;
	}
	addr_spec_host(spec, host, sizeof host);
	rc = getaddrinfo(host[0] != '\0' ? host : NULL,
	    service != NULL ? service : (host[0] == '\0' ? "0" : NULL), &hints,
	    res);
	if (rc != 0) {
		addr_spec_format(spec, show, sizeof show);
		if (rc == EAI_SYSTEM)
			snprintf(err, errlen, "%s: %s", show, strerror(errno));
		else if (rc == EAI_FAMILY ||
		    (rc == EAI_ADDRFAMILY && family != AF_UNSPEC))
			snprintf(err, errlen, "%s: no %s address", show,
			    family == AF_INET ? "IPv4" : "IPv6");
		else
			snprintf(err, errlen, "%s: %s", show, gai_strerror(rc));
	}
	return rc;
}

static int
sock_bind_one(const struct sockaddr *sa, socklen_t len, int flags, int dual,
    char *err, size_t errlen)
{
	char a[ADDR_STRLEN];
	int fd, on = 1, off = 0;

	fd = socket(sa->sa_family, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_UDP);
	if (fd == -1) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	if (flags & SOCK_F_REUSEPORT)
		setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on);
	/* Left to the system default, [::] might or might not take IPv4. */
	if (sa->sa_family == AF_INET6 &&
	    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY,
		dual && !(flags & SOCK_F_V6ONLY) ? &off : &on,
		sizeof on) == -1) {
		int saved = errno;

		snprintf(err, errlen, "cannot make %s %s: %s",
		    addr_format(sa, len, ADDR_FMT_PORT, a, sizeof a),
		    dual && !(flags & SOCK_F_V6ONLY) ? "dual-stack"
						     : "IPv6-only",
		    strerror(saved));
		close(fd);
		errno = saved;
		return -1;
	}
	if (bind(fd, sa, len) == -1) {
		int saved = errno;

		snprintf(err, errlen, "bind %s: %s%s",
		    addr_format(sa, len, ADDR_FMT_PORT, a, sizeof a),
		    strerror(saved),
		    saved == EACCES ? " (ports below 1024 need privileges)"
			: saved == EADDRINUSE
			? " (try another port, or 0 for any)"
			: saved == EADDRNOTAVAIL
			? " (not an address of this host)"
			: "");
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

int
sock_eai_not_found(int rc)
{
	switch (rc) {
	case EAI_NONAME:
#ifdef EAI_NODATA
	case EAI_NODATA:
#endif
#ifdef EAI_ADDRFAMILY
	case EAI_ADDRFAMILY:
#endif
		return 1;
	default:
		return 0;
	}
}

int
sock_udp_server(const struct addr_spec *spec, int family, int flags, char *err,
    size_t errlen)
{
	struct addrinfo *res, *ai;
	struct sockaddr_in6 any6;
	struct sockaddr_in any4;
	int fd, port, rc;

	if (spec->host[0] == '\0') {
		port =
		    addr_port_number(spec->port[0] != '\0' ? spec->port : "0",
			"udp", 1, err, errlen);
		if (port < 0)
			return -1;
		if (family != AF_INET) {
			memset(&any6, 0, sizeof any6);
			any6.sin6_family = AF_INET6;
			any6.sin6_addr = in6addr_any;
			any6.sin6_port = htons((uint16_t)port);
			fd =
			    sock_bind_one((struct sockaddr *)&any6, sizeof any6,
				flags, family == AF_UNSPEC, err, errlen);
			if (fd != -1 || family == AF_INET6 ||
			    (errno != EAFNOSUPPORT && errno != EADDRNOTAVAIL))
				return fd;
		}
		memset(&any4, 0, sizeof any4);
		any4.sin_family = AF_INET;
		any4.sin_addr.s_addr = htonl(INADDR_ANY);
		any4.sin_port = htons((uint16_t)port);
		return sock_bind_one((struct sockaddr *)&any4, sizeof any4,
		    flags, 0, err, errlen);
	}
	if ((rc = sock_resolve(spec, family, 1, &res, err, errlen)) != 0) {
		/* Not found is a negative answer; the caller tells it apart. */
		errno = sock_eai_not_found(rc) ? ENOENT : EINVAL;
		return -1;
	}
	fd = -1;
	for (ai = res; ai != NULL && fd == -1; ai = ai->ai_next)
		fd = sock_bind_one(
		    ai->ai_addr, ai->ai_addrlen, flags, 0, err, errlen);
	freeaddrinfo(res);
	return fd;
}

int
sock_udp_client(const struct addr_spec *spec, int family,
    const struct addr_spec *source, int connect_it,
    struct sockaddr_storage *peer, socklen_t *peerlen, int *notfound, char *err,
    size_t errlen)
{
	struct addrinfo *res, *ai, *src = NULL, *s;
	char a[ADDR_STRLEN];
	int fd = -1, rc;

	*notfound = 0;
	rc = sock_resolve(spec, family, 0, &res, err, errlen);
	if (rc != 0) {
		*notfound = rc == EAI_NONAME || rc == EAI_NODATA ||
		    rc == EAI_AGAIN || rc == EAI_FAIL || rc == EAI_ADDRFAMILY;
		return -1;
	}
	if (source != NULL &&
	    sock_resolve(source, family, 1, &src, err, errlen) != 0) {
		freeaddrinfo(res);
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		fd = socket(
		    ai->ai_family, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_UDP);
		if (fd == -1) {
			snprintf(err, errlen, "socket: %s", strerror(errno));
			continue;
		}
		if (src != NULL) {
			for (s = src; s != NULL; s = s->ai_next) {
				if (s->ai_family == ai->ai_family)
					break;
			}
			if (s == NULL) {
				snprintf(err, errlen,
				    "no source address of the "
				    "family of %s",
				    addr_format(ai->ai_addr, ai->ai_addrlen,
					ADDR_FMT_PORT, a, sizeof a));
				close(fd);
				fd = -1;
				continue;
			}
			if (bind(fd, s->ai_addr, s->ai_addrlen) == -1) {
				snprintf(err, errlen, "bind %s: %s",
				    addr_format(s->ai_addr, s->ai_addrlen,
					ADDR_FMT_PORT, a, sizeof a),
				    strerror(errno));
				close(fd);
				fd = -1;
				continue;
			}
		}
		if (connect_it &&
		    connect(fd, ai->ai_addr, ai->ai_addrlen) == -1) {
			snprintf(err, errlen, "connect %s: %s",
			    addr_format(ai->ai_addr, ai->ai_addrlen,
				ADDR_FMT_PORT, a, sizeof a),
			    strerror(errno));
			close(fd);
			fd = -1;
			continue;
		}
		if (peer != NULL) {
			memcpy(peer, ai->ai_addr, ai->ai_addrlen);
			*peerlen = ai->ai_addrlen;
		}
		break;
	}
	freeaddrinfo(res);
	if (src != NULL)
		freeaddrinfo(src);
	return fd;
}

int
sock_family(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;

	if (getsockname(fd, (struct sockaddr *)&ss, &len) == -1)
		return -1;
	return ss.ss_family;
}

int
sock_bind_source(int fd, int family, const char *name, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	socklen_t len;

	memset(&ss, 0, sizeof ss);
	if (family == AF_INET && inet_pton(AF_INET, name, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		len = sizeof *s4;
	} else if (family == AF_INET6 &&
	    inet_pton(AF_INET6, name, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		len = sizeof *s6;
	} else {
		if (if_nametoindex(name) == 0) {
			snprintf(err, errlen,
			    "no such interface, and not an %s address",
			    family == AF_INET6 ? "IPv6" : "IPv4");
			errno = ENODEV;
			return -1;
		}
#ifdef SO_BINDTODEVICE
		if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, name,
			(socklen_t)strlen(name) + 1) == -1) {
			snprintf(err, errlen, "bind to interface '%s': %s",
			    ERRMSG_QUOTE(name), strerror(errno));
			return -1;
		}
		return 0;
#else
		snprintf(err, errlen,
		    "binding to an interface is not supported here");
		errno = EOPNOTSUPP;
		return -1;
#endif
	}
	if (bind(fd, (struct sockaddr *)&ss, len) == -1) {
		snprintf(err, errlen, "bind to '%s': %s", ERRMSG_QUOTE(name),
		    strerror(errno));
		return -1;
	}
	return 0;
}

int
sock_set_pmtu(int fd, int family, int on)
{
#if defined(IP_MTU_DISCOVER) && defined(IPV6_MTU_DISCOVER)
	int v;

	if (family == AF_INET6) {
		v = on ? IPV6_PMTUDISC_DO : IPV6_PMTUDISC_DONT;
		return setsockopt(
		    fd, IPPROTO_IPV6, IPV6_MTU_DISCOVER, &v, sizeof v);
	}
	v = on ? IP_PMTUDISC_DO : IP_PMTUDISC_DONT;
	return setsockopt(fd, IPPROTO_IP, IP_MTU_DISCOVER, &v, sizeof v);
#else
	errno = EOPNOTSUPP;
	return -1;
#endif
}

int
sock_icmp_filter(int fd, int family)
{
	if (family == AF_INET6) {
		struct icmp6_filter f;

		ICMP6_FILTER_SETBLOCKALL(&f);
		ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &f);
		ICMP6_FILTER_SETPASS(ICMP6_DST_UNREACH, &f);
		ICMP6_FILTER_SETPASS(ICMP6_PACKET_TOO_BIG, &f);
		ICMP6_FILTER_SETPASS(ICMP6_TIME_EXCEEDED, &f);
		ICMP6_FILTER_SETPASS(ICMP6_PARAM_PROB, &f);
		return setsockopt(
		    fd, IPPROTO_ICMPV6, ICMP6_FILTER, &f, sizeof f);
	}
#ifdef __linux__
	{
		struct icmp_filter f;

		f.data = ~((1U << ICMP_ECHOREPLY) | (1U << ICMP_DEST_UNREACH) |
		    (1U << ICMP_TIME_EXCEEDED) | (1U << ICMP_PARAMETERPROB));
		return setsockopt(fd, SOL_RAW, ICMP_FILTER, &f, sizeof f);
	}
#else
	return 0; /* no filter: every ICMP message is read and sorted */
#endif
}

/* Points msg at one buffer, a name and a control buffer, for recvmsg(). */
static void
sock_msg_init(struct msghdr *msg, struct iovec *iov, void *buf, size_t size,
    void *name, socklen_t namelen, void *cbuf, size_t clen)
{
	iov->iov_base = buf;
	iov->iov_len = size;
	memset(msg, 0, sizeof *msg);
	msg->msg_name = name;
	msg->msg_namelen = namelen;
	msg->msg_iov = iov;
	msg->msg_iovlen = 1;
	msg->msg_control = cbuf;
	msg->msg_controllen = clen;
}

int
sock_recverr(int fd, int family)
{
	int on = 1;

	if (family == AF_INET6)
		return setsockopt(
		    fd, IPPROTO_IPV6, IPV6_RECVERR, &on, sizeof on);
	return setsockopt(fd, IPPROTO_IP, IP_RECVERR, &on, sizeof on);
}

#ifdef __linux__
static void
sock_err_fill(const struct sock_extended_err *ee, struct sock_err *e)
{
	const struct sockaddr *off = SO_EE_OFFENDER(ee);

	switch (ee->ee_origin) {
	case SO_EE_ORIGIN_LOCAL:
		e->origin = SOCK_ERR_LOCAL;
		break;
	case SO_EE_ORIGIN_ICMP:
		e->origin = SOCK_ERR_ICMP;
		break;
	case SO_EE_ORIGIN_ICMP6:
		e->origin = SOCK_ERR_ICMP6;
		break;
	default:
		e->origin = SOCK_ERR_OTHER;
		break;
	}
	e->err = (int)ee->ee_errno;
	e->type = ee->ee_type;
	e->code = ee->ee_code;
	e->info = ee->ee_info;
	/* The offender follows the error, as long as its family says. */
	e->fromlen = 0;
	e->from.ss_family = AF_UNSPEC;
	if (e->origin != SOCK_ERR_LOCAL &&
	    (off->sa_family == AF_INET || off->sa_family == AF_INET6)) {
		e->fromlen = off->sa_family == AF_INET6
		    ? sizeof(struct sockaddr_in6)
		    : sizeof(struct sockaddr_in);
		memcpy(&e->from, off, e->fromlen);
	}
}

int
sock_parse_err(const struct msghdr *msg, struct sock_err *e)
{
	union {
		struct sock_extended_err ee;
		char b[sizeof(struct sock_extended_err) +
		    sizeof(struct sockaddr_in6)];
	} u;
	struct cmsghdr *c;
	size_t len;

	memset(e, 0, sizeof *e);
	e->origin = SOCK_ERR_NONE;
	for (c = CMSG_FIRSTHDR((struct msghdr *)(uintptr_t)msg); c != NULL;
	     c = CMSG_NXTHDR((struct msghdr *)(uintptr_t)msg, c)) {
		if (!((c->cmsg_level == IPPROTO_IP &&
			  c->cmsg_type == IP_RECVERR) ||
			(c->cmsg_level == IPPROTO_IPV6 &&
			    c->cmsg_type == IPV6_RECVERR)))
			continue;
		if (c->cmsg_len < CMSG_LEN(sizeof(struct sock_extended_err)))
			continue;
		/* Copied out: the data need not be aligned for the struct. */
		len = c->cmsg_len - CMSG_LEN(0);
		memset(&u, 0, sizeof u);
		memcpy(u.b, CMSG_DATA(c), len < sizeof u ? len : sizeof u);
		sock_err_fill(&u.ee, e);
		if (msg->msg_name != NULL && msg->msg_namelen > 0 &&
		    msg->msg_namelen <= sizeof e->dst) {
			memcpy(&e->dst, msg->msg_name, msg->msg_namelen);
			e->dstlen = msg->msg_namelen;
		}
		return 0;
	}
	return -1;
}

ssize_t
sock_recv_err(int fd, void *buf, size_t size, struct sock_err *e)
{
	union {
		struct cmsghdr align;
		char buf[512];
	} cbuf;
	struct sockaddr_storage name;
	struct msghdr msg;
	struct iovec iov;
	ssize_t n;

	memset(&name, 0, sizeof name);
	sock_msg_init(&msg, &iov, buf, size, &name, sizeof name, cbuf.buf,
	    sizeof cbuf.buf);
	n = recvmsg(fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT);
	if (n == -1)
		return -1;
	sock_parse_err(&msg, e);
	return n;
}
#else
int
sock_parse_err(const struct msghdr *msg, struct sock_err *e)
{
	memset(e, 0, sizeof *e);
	return -1;
}

ssize_t
sock_recv_err(int fd, void *buf, size_t size, struct sock_err *e)
{
	/* No error queue: errors arrive as errno on the next call. */
	memset(e, 0, sizeof *e);
	errno = EAGAIN;
	return -1;
}
#endif

int
sock_enable_meta(int fd, int what)
{
	int on = 1, family = sock_family(fd), rc = 0;

	if (what & SOCK_META_PKTINFO) {
		/* A dual-stack socket reports IPv4 arrivals through IP_PKTINFO. */
		if (setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &on, sizeof on) ==
			-1 &&
		    family == AF_INET)
			rc = -1;
		if (family == AF_INET6 &&
		    setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on,
			sizeof on) == -1)
			rc = -1;
	}
	if ((what & SOCK_META_TIMESTAMP) &&
	    setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on) == -1)
		rc = -1;
#ifdef SO_RXQ_OVFL
	if ((what & SOCK_META_DROPS) &&
	    setsockopt(fd, SOL_SOCKET, SO_RXQ_OVFL, &on, sizeof on) == -1)
		rc = -1;
#endif
	if (what & SOCK_META_TTL) {
		/*
		 * The IPv4 options serve a dual-stack socket's IPv4 peers; only
		 * those of the socket's own family must work.
		 */
		if ((setsockopt(fd, IPPROTO_IP, IP_RECVTTL, &on, sizeof on) ==
			    -1 ||
			setsockopt(fd, IPPROTO_IP, IP_RECVTOS, &on,
			    sizeof on) == -1) &&
		    family == AF_INET)
			rc = -1;
		if (family == AF_INET6 &&
		    (setsockopt(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &on,
			 sizeof on) == -1 ||
			setsockopt(fd, IPPROTO_IPV6, IPV6_RECVTCLASS, &on,
			    sizeof on) == -1))
			rc = -1;
	}
	return rc;
}

void
sock_parse_cmsg(const struct msghdr *msg, struct sock_meta *m)
{
	struct cmsghdr *c;
	int v;

	m->tolen = 0;
	m->ifindex = 0;
	m->has_ts = 0;
	m->ttl = -1;
	m->tos = -1;
	m->has_drops = 0;
	m->truncated = (msg->msg_flags & MSG_TRUNC) != 0;
	for (c = CMSG_FIRSTHDR((struct msghdr *)(uintptr_t)msg); c != NULL;
	     c = CMSG_NXTHDR((struct msghdr *)(uintptr_t)msg, c)) {
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo pi;
			struct sockaddr_in *s4 = (struct sockaddr_in *)&m->to;

			memcpy(&pi, CMSG_DATA(c), sizeof pi);
			memset(&m->to, 0, sizeof m->to);
			s4->sin_family = AF_INET;
			s4->sin_addr = pi.ipi_addr;
			m->tolen = sizeof *s4;
			m->ifindex = pi.ipi_ifindex;
		} else if (c->cmsg_level == IPPROTO_IPV6 &&
		    c->cmsg_type == IPV6_PKTINFO) {
			struct in6_pktinfo pi;
			struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&m->to;

			memcpy(&pi, CMSG_DATA(c), sizeof pi);
			memset(&m->to, 0, sizeof m->to);
			s6->sin6_family = AF_INET6;
			s6->sin6_addr = pi.ipi6_addr;
			if (IN6_IS_ADDR_LINKLOCAL(&pi.ipi6_addr))
				s6->sin6_scope_id = pi.ipi6_ifindex;
			m->tolen = sizeof *s6;
			m->ifindex = (int)pi.ipi6_ifindex;
#ifdef SO_RXQ_OVFL
		} else if (c->cmsg_level == SOL_SOCKET &&
		    c->cmsg_type == SO_RXQ_OVFL) {
			memcpy(&m->drops, CMSG_DATA(c), sizeof m->drops);
			m->has_drops = 1;
#endif
		} else if (c->cmsg_level == SOL_SOCKET &&
		    c->cmsg_type == SCM_TIMESTAMPNS) {
			memcpy(&m->ts, CMSG_DATA(c), sizeof m->ts);
			m->has_ts = 1;
		} else if (c->cmsg_level == IPPROTO_IP &&
		    c->cmsg_type == IP_TTL) {
			memcpy(&v, CMSG_DATA(c), sizeof v);
			m->ttl = v;
		} else if (c->cmsg_level == IPPROTO_IP &&
		    c->cmsg_type == IP_TOS) {
			m->tos = *(const unsigned char *)CMSG_DATA(c);
		} else if (c->cmsg_level == IPPROTO_IPV6 &&
		    c->cmsg_type == IPV6_HOPLIMIT) {
			memcpy(&v, CMSG_DATA(c), sizeof v);
			m->ttl = v;
		} else if (c->cmsg_level == IPPROTO_IPV6 &&
		    c->cmsg_type == IPV6_TCLASS) {
			memcpy(&v, CMSG_DATA(c), sizeof v);
			m->tos = v;
		}
	}
}

ssize_t
sock_recv_meta(int fd, void *buf, size_t size, int flags, struct sock_meta *m)
{
	union {
		struct cmsghdr align;
		char buf[SOCK_CMSG_SPACE];
	} cbuf;
	struct msghdr msg;
	struct iovec iov;
	ssize_t n;

	sock_msg_init(&msg, &iov, buf, size, &m->from, sizeof m->from, cbuf.buf,
	    sizeof cbuf.buf);
	/* MSG_TRUNC makes the kernel return the real length of a long datagram. */
	n = recvmsg(fd, &msg, flags | MSG_TRUNC);
	if (n == -1)
		return -1;
	m->fromlen = msg.msg_namelen;
	sock_parse_cmsg(&msg, m);
	m->len = (size_t)n;
	if ((size_t)n > size) {
		m->truncated = 1;
		n = (ssize_t)size;
	}
	return n;
}

size_t
sock_reply_cmsg(const struct sock_meta *m, void *cbuf, size_t size)
{
	struct msghdr msg;
	struct cmsghdr *c;

	if (m->tolen == 0)
		return 0;
	memset(&msg, 0, sizeof msg);
	msg.msg_control = cbuf;
	msg.msg_controllen = size;
	c = CMSG_FIRSTHDR(&msg);
	if (c == NULL)
		return 0;
	if (m->to.ss_family == AF_INET) {
		struct in_pktinfo pi;

		if (size < CMSG_SPACE(sizeof pi))
			return 0;
		/* The padding goes to the kernel too: no stack garbage. */
		memset(cbuf, 0, CMSG_SPACE(sizeof pi));
		memset(&pi, 0, sizeof pi);
		pi.ipi_spec_dst =
		    ((const struct sockaddr_in *)&m->to)->sin_addr;
		c->cmsg_level = IPPROTO_IP;
		c->cmsg_type = IP_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof pi);
		memcpy(CMSG_DATA(c), &pi, sizeof pi);
		return CMSG_SPACE(sizeof pi);
	} else {
		struct in6_pktinfo pi;

		if (size < CMSG_SPACE(sizeof pi))
			return 0;
		/* The padding goes to the kernel too: no stack garbage. */
		memset(cbuf, 0, CMSG_SPACE(sizeof pi));
		memset(&pi, 0, sizeof pi);
		pi.ipi6_addr = ((const struct sockaddr_in6 *)&m->to)->sin6_addr;
		pi.ipi6_ifindex = (unsigned)m->ifindex;
		c->cmsg_level = IPPROTO_IPV6;
		c->cmsg_type = IPV6_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof pi);
		memcpy(CMSG_DATA(c), &pi, sizeof pi);
		return CMSG_SPACE(sizeof pi);
	}
}

int
sock_segment_fits(size_t seg, size_t total, size_t len)
{
	return len > 0 && len <= seg && total + len <= SOCK_SEGMENT_MAX;
}

size_t
sock_segment_cmsg(void *cbuf, size_t size, size_t seg)
{
#ifdef UDP_SEGMENT
	struct cmsghdr *c = cbuf;
	uint16_t v = (uint16_t)seg;

	if (size < CMSG_SPACE(sizeof v) || seg == 0 || seg > UINT16_MAX)
		return 0;
	/* The padding goes to the kernel too: no stack garbage. */
	memset(cbuf, 0, CMSG_SPACE(sizeof v));
	c->cmsg_level = SOL_UDP;
	c->cmsg_type = UDP_SEGMENT;
	c->cmsg_len = CMSG_LEN(sizeof v);
	memcpy(CMSG_DATA(c), &v, sizeof v);
	return CMSG_SPACE(sizeof v);
#else
	(void)cbuf;
	(void)size;
	(void)seg;
	return 0;
#endif
}

int
sock_segment_refused(int e)
{
	switch (e) {
	case EMSGSIZE: /* a segment over the MTU (EINVAL before Linux 6.x) */
	case EINVAL:
		return 2;
	case EIO: /* no checksum offload, or IPsec */
	case ENOPROTOOPT: /* no UDP_SEGMENT */
	case EOPNOTSUPP:
		return 1;
	default:
		return 0;
	}
}

ssize_t
sock_send_reply(int fd, const void *buf, size_t len, const struct sock_meta *m)
{
	union {
		struct cmsghdr align;
		char buf[SOCK_CMSG_SPACE];
	} cbuf;
	struct msghdr msg;
	struct iovec iov;
	size_t clen;

	iov.iov_base = (void *)(uintptr_t)buf;
	iov.iov_len = len;
	memset(&msg, 0, sizeof msg);
	msg.msg_name = (void *)(uintptr_t)&m->from;
	msg.msg_namelen = m->fromlen;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	clen = sock_reply_cmsg(m, cbuf.buf, sizeof cbuf.buf);
	if (clen > 0) {
		msg.msg_control = cbuf.buf;
		msg.msg_controllen = clen;
	}
	return sendmsg(fd, &msg, 0);
}

/*
 * Returns 1 when fd is an IPv6 socket that also sends to IPv4 peers
 * (through mapped addresses), whose IPv4 header takes the IPv4 options.
 */
static int
sock_dual_stack(int fd)
{
	int v6only = 1;
	socklen_t len = sizeof v6only;

	if (getsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, &len) == -1)
		return 0;
	return !v6only;
}

int
sock_set_ttl(int fd, int ttl)
{
	int family = sock_family(fd);

	if (family == AF_INET6) {
		if (setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &ttl,
			sizeof ttl) == -1 ||
		    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &ttl,
			sizeof ttl) == -1)
			return -1;
		if (!sock_dual_stack(fd))
			return 0;
	} else if (family != AF_INET) {
		errno = EAFNOSUPPORT;
		return -1;
	}
	if (setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof ttl) == -1 ||
	    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof ttl) ==
		-1)
		return -1;
	return 0;
}

int
sock_set_tos(int fd, int tos)
{
	int family = sock_family(fd);

	if (family == AF_INET6) {
		if (setsockopt(
			fd, IPPROTO_IPV6, IPV6_TCLASS, &tos, sizeof tos) == -1)
			return -1;
		if (!sock_dual_stack(fd))
			return 0;
	} else if (family != AF_INET) {
		errno = EAFNOSUPPORT;
		return -1;
	}
	return setsockopt(fd, IPPROTO_IP, IP_TOS, &tos, sizeof tos);
}

/* Sets multicast out of interface ifindex on fd; returns as setsockopt(2). */
static int
sock_set_mcast_if(int fd, int family, unsigned ifindex)
{
	struct ip_mreqn mr;
	int v = (int)ifindex;

	if (family == AF_INET6)
		return setsockopt(
		    fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &v, sizeof v);
	memset(&mr, 0, sizeof mr);
	mr.imr_ifindex = v;
	return setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mr, sizeof mr);
}

/*
 * Don't-fragment on fd.  IPv6 never fragments on the way; IPV6_DONTFRAG
 * also keeps this host from fragmenting, so path MTU discovery there is
 * a bonus.  Returns as setsockopt(2).
 */
static int
sock_set_df(int fd, int family)
{
	int on = 1;

	if (sock_set_pmtu(fd, family, 1) == -1 && family == AF_INET)
		return -1;
	if (family == AF_INET6)
		return setsockopt(
		    fd, IPPROTO_IPV6, IPV6_DONTFRAG, &on, sizeof on);
	return 0;
}

int
sock_set_opts(
    int fd, int family, const struct sock_opts *o, char *err, size_t errlen)
{
	char show[ERRMSG_QUOTE_MAX];
	int on = 1, v = o->loop, saved;

	if (o->broadcast &&
	    setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &on, sizeof on) == -1) {
		saved = errno;
		snprintf(err, errlen, "setsockopt SO_BROADCAST");
		goto fail;
	}
	if (o->ttl >= 0 && sock_set_ttl(fd, o->ttl) == -1) {
		saved = errno;
		snprintf(err, errlen,
		    family == AF_INET ? "cannot set TTL %d"
				      : "cannot set hop limit %d",
		    o->ttl);
		goto fail;
	}
	if (o->tos >= 0 && sock_set_tos(fd, o->tos) == -1) {
		saved = errno;
		snprintf(err, errlen, "cannot set TOS %d", o->tos);
		goto fail;
	}
	if (o->df && sock_set_df(fd, family) == -1) {
		saved = errno;
		snprintf(err, errlen, "cannot set don't-fragment");
		goto fail;
	}
	if (o->ifindex != 0 &&
	    sock_set_mcast_if(fd, family, o->ifindex) == -1) {
		saved = errno;
		snprintf(err, errlen, "cannot send multicast on '%s'",
		    errmsg_quote(o->ifname, show, sizeof show));
		goto fail;
	}
	/* Off unless asked: a sender rarely wants its own multicast back. */
	if (family == AF_INET)
		setsockopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &v, sizeof v);
	else
		setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, &v, sizeof v);
	return 0;
fail:
	errno = saved;
	return -1;
}

long long
sock_parse_proc_drops(const char *text, unsigned long ino)
{
	const char *line, *nl;
	char buf[512];
	unsigned long long drops;
	unsigned long inode;
	size_t len;

	/*
	 * "sl local rem st tx:rx tr:when retrnsmt uid timeout inode ref
	 * pointer drops": after the colon-joined fields, inode is the 10th
	 * field and drops the 13th.
	 */
	for (line = text; line != NULL && *line != '\0';
	     line = nl != NULL ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		len = nl != NULL ? (size_t)(nl - line) : strlen(line);
		if (len >= sizeof buf)
			continue;
		memcpy(buf, line, len);
		buf[len] = '\0';
		if (sscanf(buf,
			" %*s %*s %*s %*s %*s %*s %*s %*s %*s %lu %*s %*s "
			"%llu",
			&inode, &drops) == 2 &&
		    inode == ino)
			return (long long)drops;
	}
	return -1;
}

long long
sock_kernel_drops(int fd)
{
	static const char *const files[] = {"/proc/net/udp", "/proc/net/udp6"};
	struct stat st;
	char *line = NULL;
	size_t i, cap = 0;
	long long d = -1;
	FILE *fp;

	if (fstat(fd, &st) == -1)
		return -1;
	for (i = 0; i < sizeof files / sizeof files[0] && d < 0; i++) {
		if ((fp = fopen(files[i], "re")) == NULL)
			continue;
		/* Line by line: a host may have many sockets. */
		while (d < 0 && getline(&line, &cap, fp) != -1)
			d = sock_parse_proc_drops(
			    line, (unsigned long)st.st_ino);
		fclose(fp);
	}
	free(line);
	if (d < 0)
		errno = ENOENT;
	return d;
}

int
sock_set_rcvbuf(int fd, int bytes)
{
	int got = 0;
	socklen_t len = sizeof got;

	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes) == -1)
		return -1;
	if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &got, &len) == -1)
		return -1;
#ifdef SO_RCVBUFFORCE
	/* The kernel doubles what it is asked for; rmem_max capped it. */
	if (got < bytes &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof bytes) ==
		0) {
		len = sizeof got;
		if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &got, &len) == -1)
			return -1;
	}
#endif
	return got;
}

int
sock_rcvbuf(int fd, int bytes, char *err, size_t errlen)
{
	int got, e;

	got = sock_set_rcvbuf(fd, bytes);
	if (got == -1) {
		e = errno;
		snprintf(err, errlen, "cannot set the receive buffer: %s",
		    strerror(e));
		errno = e;
		return -1;
	}
	if (got >= bytes)
		return 0;
	snprintf(err, errlen,
	    "receive buffer is %d bytes, not %d (net.core.rmem_max limits it; "
	    "root may exceed it)",
	    got, bytes);
	return 1;
}

char *
sock_local_name(int fd, char *buf, size_t size)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;

	if (getsockname(fd, (struct sockaddr *)&ss, &len) == -1)
		snprintf(buf, size, "?");
	else
		addr_format(
		    (struct sockaddr *)&ss, len, ADDR_FMT_PORT, buf, size);
	return buf;
}

uint16_t
sock_local_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;

	if (getsockname(fd, (struct sockaddr *)&ss, &len) == -1)
		return 0;
	return addr_get_port((struct sockaddr *)&ss);
}

int
sock_try_connect(const struct sockaddr *dst, socklen_t dstlen, int bcast)
{
	struct sockaddr_storage ss;
	int fd, rc = 0;

	if (dstlen > sizeof ss)
		return EINVAL;
	fd = socket(dst->sa_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return errno;
	if (bcast)
		setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &bcast, sizeof bcast);
	memcpy(&ss, dst, dstlen);
	addr_set_port((struct sockaddr *)&ss, 9);
	if (connect(fd, (struct sockaddr *)&ss, dstlen) == -1)
		rc = errno;
	close(fd);
	return rc;
}

int
sock_is_broadcast(const struct sockaddr *dst)
{
	const struct sockaddr_in *d = (const struct sockaddr_in *)dst;

	if (dst->sa_family != AF_INET)
		return 0;
	if (d->sin_addr.s_addr == htonl(INADDR_BROADCAST))
		return 1;
	/*
	 * The kernel's route lookup knows its broadcast addresses: a connect
	 * fails with EACCES without SO_BROADCAST and succeeds with it (a
	 * prohibit route refuses both).  No datagram is sent.
	 */
	return sock_try_connect(dst, sizeof *d, 0) == EACCES &&
	    sock_try_connect(dst, sizeof *d, 1) == 0;
}

int
sock_mtu(int fd, int family)
{
	int mtu = 0;
	socklen_t len = sizeof mtu;

	if (getsockopt(fd, family == AF_INET6 ? IPPROTO_IPV6 : IPPROTO_IP,
		family == AF_INET6 ? IPV6_MTU : IP_MTU, &mtu, &len) == -1)
		return -1;
	return mtu;
}

int
sock_path_mtu(const struct sockaddr *dst, socklen_t dstlen)
{
	struct sockaddr_storage ss;
	int fd, mtu = -1, saved;

	if (dstlen > sizeof ss) {
		errno = EINVAL;
		return -1;
	}
	memcpy(&ss, dst, dstlen);
	addr_set_port((struct sockaddr *)&ss, 9);
	fd = socket(dst->sa_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return -1;
	if (connect(fd, (struct sockaddr *)&ss, dstlen) == 0)
		mtu = sock_mtu(fd, dst->sa_family);
	saved = errno;
	close(fd);
	errno = saved;
	return mtu;
}

char *
sock_mtu_hint(
    int family, int mtu, size_t len, const char *option, char *buf, size_t size)
{
	int hdr = family == AF_INET6 ? SOCK_HDR6 : SOCK_HDR4;

	snprintf(buf, size,
	    "%zu bytes do not fit the path MTU %d with %s (at most %d bytes of "
	    "payload: %d of the %d are %s headers)",
	    len, mtu, option, mtu > hdr ? mtu - hdr : 0, hdr, mtu,
	    family == AF_INET6 ? "IPv6" : "IPv4");
	return buf;
}

char *
sock_eacces_hint(const struct sockaddr *dst, socklen_t dstlen, const char *name,
    int broadcast_ok, const char *option, char *buf, size_t size)
{
	int prohibited;

	if (!broadcast_ok && sock_is_broadcast(dst)) {
		snprintf(buf, size,
		    "send to %s: %s (a broadcast address needs %s)", name,
		    strerror(EACCES), option);
		return buf;
	}
	/* Connecting looks the route up without any firewall in the way. */
	prohibited = sock_try_connect(dst, dstlen, 1) == EACCES;
	if (prohibited)
		snprintf(buf, size,
		    "sending to %s is prohibited by a route (ip route: "
		    "prohibit)",
		    name);
	else
		snprintf(buf, size,
		    "send to %s: %s (refused by a local firewall or security "
		    "policy)",
		    name, strerror(EACCES));
	return buf;
}

int
sock_join_group(int fd, const struct addr_group *g,
    const struct sockaddr_storage *sources, int nsources, int *bad)
{
	struct group_source_req gsr;
	struct group_req gr;
	int k, level, joined = 0;

	level = g->group.ss_family == AF_INET ? IPPROTO_IP : IPPROTO_IPV6;
	*bad = -1;
	for (k = 0; k < nsources; k++) {
		if (sources[k].ss_family != g->group.ss_family)
			continue;
		memset(&gsr, 0, sizeof gsr);
		gsr.gsr_interface = g->ifindex;
		memcpy(&gsr.gsr_group, &g->group, sizeof g->group);
		memcpy(&gsr.gsr_source, &sources[k], sizeof sources[k]);
		if (setsockopt(fd, level, MCAST_JOIN_SOURCE_GROUP, &gsr,
			sizeof gsr) == -1) {
			*bad = k;
			return -1;
		}
		joined = 1;
	}
	if (joined)
		return 0;
	memset(&gr, 0, sizeof gr);
	gr.gr_interface = g->ifindex;
	memcpy(&gr.gr_group, &g->group, sizeof g->group);
	return setsockopt(fd, level, MCAST_JOIN_GROUP, &gr, sizeof gr);
}

int
sock_join_groups(int fd, const struct addr_joins *j, char *err, size_t errlen)
{
	const struct addr_group *g;
	int i, bad, e;

	for (i = 0; i < j->ngroups; i++) {
		g = &j->group[i];
		if (sock_join_group(fd, g, j->source, j->nsources, &bad) == 0)
			continue;
		e = errno;
		if (bad >= 0)
			snprintf(err, errlen, "join %s from source %d: %s",
			    g->text, bad + 1, strerror(e));
		else
			snprintf(err, errlen, "join %s%s: %s", g->text,
			    e == ENODEV || e == EADDRNOTAVAIL
				? " (name an interface: GROUP%IF)"
				: "",
			    strerror(e));
		errno = e;
		return -1;
	}
	return 0;
}

int
sock_resolve_peer(int fd, const struct addr_spec *spec, const char *text,
    struct sockaddr_storage *ss, socklen_t *sslen, char *err, size_t errlen)
{
	struct addrinfo *res, *ai;
	int sockfamily = sock_family(fd), rc;

	if ((rc = sock_resolve(spec,
		 sockfamily == AF_INET ? AF_INET : AF_UNSPEC, 0, &res, err,
		 errlen)) != 0) {
		errno = sock_eai_not_found(rc) ? ENOENT : EINVAL;
		return -1;
	}
	*sslen = 0;
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		if (ai->ai_family == sockfamily)
			break;
	}
	if (ai != NULL) {
		memcpy(ss, ai->ai_addr, ai->ai_addrlen);
		*sslen = ai->ai_addrlen;
	} else if (sockfamily == AF_INET6 && res->ai_family == AF_INET) {
		/* A dual-stack socket reaches IPv4 through a mapped address. */
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
		const struct sockaddr_in *s4 =
		    (const struct sockaddr_in *)(const void *)res->ai_addr;

		memset(ss, 0, sizeof *ss);
		s6->sin6_family = AF_INET6;
		s6->sin6_port = s4->sin_port;
		s6->sin6_addr.s6_addr[10] = 0xff;
		s6->sin6_addr.s6_addr[11] = 0xff;
		memcpy(&s6->sin6_addr.s6_addr[12], &s4->sin_addr, 4);
		*sslen = sizeof *s6;
	}
	freeaddrinfo(res);
	if (*sslen == 0) {
		snprintf(
		    err, errlen, "%s: no address of the socket's family", text);
		return -1;
	}
	return 0;
}

int
sock_connect_peer(int fd, const struct sockaddr *peer, socklen_t peerlen,
    int broadcast_ok, const char *option, char *err, size_t errlen)
{
	const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)peer;
	char a[ADDR_STRLEN];
	int saved;

	if (connect(fd, peer, peerlen) == 0)
		return 0;
	saved = errno;
	addr_format(peer, peerlen, ADDR_FMT_PORT, a, sizeof a);
	if (saved == EACCES)
		sock_eacces_hint(
		    peer, peerlen, a, broadcast_ok, option, err, errlen);
	else
		snprintf(err, errlen, "connect %s: %s%s", a, strerror(saved),
		    saved == EINVAL && peer->sa_family == AF_INET6 &&
			    IN6_IS_ADDR_LINKLOCAL(&s6->sin6_addr) &&
			    s6->sin6_scope_id == 0
			? " (a link-local address needs its interface: "
			  "[fe80::1%eth0]:port)"
			: "");
	errno = saved;
	return -1;
}

char *
sock_send_error_text(int fd, int e, const struct sockaddr *peer,
    socklen_t peerlen, const char *name, int connected, int broadcast_ok,
    int df, size_t len, char *buf, size_t size)
{
	char hint[256];
	int family = peer->sa_family, mtu;

	if (e == EACCES)
		return sock_eacces_hint(
		    peer, peerlen, name, broadcast_ok, "-b", buf, size);
	if (e == EMSGSIZE && connected && df &&
	    (mtu = sock_mtu(fd, family)) > 0 &&
	    (size_t)mtu < len + (family == AF_INET ? SOCK_HDR4 : SOCK_HDR6))
		snprintf(buf, size, "send to %s: %s", name,
		    sock_mtu_hint(family, mtu, len, "--df", hint, sizeof hint));
	else if (e == EMSGSIZE)
		snprintf(buf, size,
		    "send to %s: %zu bytes: %s (at most %d for %s)", name, len,
		    strerror(e), family == AF_INET ? 65507 : 65527,
		    family == AF_INET ? "IPv4" : "IPv6");
	else
		snprintf(buf, size, "send to %s: %s", name, strerror(e));
	return buf;
}
