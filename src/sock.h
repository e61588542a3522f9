/* SPDX-License-Identifier: ISC */
/*
 * Sockets: getaddrinfo loops, binding servers (dual-stack by default) and
 * connecting clients, per-datagram metadata from control messages, and
 * replies sent from the address a request arrived at.
 */
#ifndef UDPTOOL_SOCK_H
#define UDPTOOL_SOCK_H

#include <sys/socket.h>
#include <sys/types.h>

#include <netdb.h>

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "addr.h"

/* What the kernel tells about one received datagram. */
struct sock_meta {
	struct sockaddr_storage from;
	socklen_t fromlen;
	struct sockaddr_storage to; /* local address the datagram was sent to */
	socklen_t tolen; /* 0: unknown */
	int ifindex; /* arrival interface, 0 unknown */
	struct timespec ts; /* kernel receive time */
	int has_ts;
	int ttl; /* TTL or hop limit, -1 unknown */
	int tos; /* TOS or traffic class, -1 unknown */
	size_t len; /* length on the wire (may exceed the buffer) */
	int truncated; /* MSG_TRUNC */
	uint32_t drops; /* SO_RXQ_OVFL: the socket's drops so far */
	int has_drops;
};

/* Space for the control messages sock_enable_meta() asks for. */
#define SOCK_CMSG_SPACE 256

#define SOCK_META_PKTINFO 0x01 /* local address and interface */
#define SOCK_META_TIMESTAMP 0x02
#define SOCK_META_TTL 0x04 /* TTL/hop limit and TOS/traffic class */
#define SOCK_META_DROPS 0x08 /* SO_RXQ_OVFL: datagrams the kernel dropped */

/* sock_udp_server() flags */
#define SOCK_F_REUSEPORT 0x01
#define SOCK_F_V6ONLY 0x02

/*
 * Resolves spec for UDP.  family is AF_UNSPEC, AF_INET or AF_INET6; passive
 * asks for a wildcard when the host is empty.  Returns 0, or a getaddrinfo
 * error code (EAI_*) with a message in err; EAI_NONAME and EAI_NODATA mean
 * "not found", EAI_AGAIN a temporary failure.
 */
int sock_resolve(const struct addr_spec *spec, int family, int passive,
    struct addrinfo **res, char *err, size_t errlen);

/*
 * Returns 1 if getaddrinfo's rc says the name has no address (at all, or
 * of the family asked for): a negative answer rather than a failure.
 */
int sock_eai_not_found(int rc);

/*
 * Binds a UDP server socket for spec: an empty host binds [::] with
 * IPv6-only off (IPv4 peers too), falling back to 0.0.0.0 where IPv6 is
 * missing.  Returns the socket, or -1 with a message in err and errno
 * ENOENT when the host name does not resolve.
 */
int sock_udp_server(const struct addr_spec *spec, int family, int flags,
    char *err, size_t errlen);

/*
 * Opens a UDP socket to spec, connected when connect_it is set, else with
 * the resolved peer copied to peer.  Tries each address in order.  Returns
 * the socket, or -1 with err; *notfound is set when the name did not resolve.
 */
int sock_udp_client(const struct addr_spec *spec, int family,
    const struct addr_spec *source, int connect_it,
    struct sockaddr_storage *peer, socklen_t *peerlen, int *notfound, char *err,
    size_t errlen);

/* Where an error from the error queue (IP_RECVERR) came from. */
enum sock_err_origin {
	SOCK_ERR_NONE, /* a queued message without an extended error */
	SOCK_ERR_LOCAL, /* this host (EMSGSIZE above the local MTU, ...) */
	SOCK_ERR_ICMP, /* an ICMP error: type and code are set */
	SOCK_ERR_ICMP6, /* an ICMPv6 error: type and code are set */
	SOCK_ERR_OTHER,
};

/* One error read from a socket's error queue. */
struct sock_err {
	enum sock_err_origin origin;
	int err; /* the errno it stands for */
	uint8_t type, code; /* ICMP type and code */
	uint32_t info; /* the MTU of "fragmentation needed"/"too big" */
	struct sockaddr_storage from; /* who sent it; AF_UNSPEC: not known */
	socklen_t fromlen;
	struct sockaddr_storage dst; /* where the datagram in error went */
	socklen_t dstlen; /* 0: not known */
};

/*
 * Path MTU discovery on a socket of family: on, datagrams never fragment
 * and sends above the path MTU fail with EMSGSIZE (IP_PMTUDISC_DO); off,
 * the kernel fragments them (IP_PMTUDISC_DONT).  Returns 0, or -1 with
 * errno set (EOPNOTSUPP where the system has no such option).
 */
int sock_set_pmtu(int fd, int family, int on);

/*
 * Lets only echo replies and the errors that quote a probe (unreachable,
 * time exceeded, parameter problem, ICMPv6 packet too big) wake raw ICMP
 * socket fd of family.  Returns 0, or -1 with errno set.
 */
int sock_icmp_filter(int fd, int family);

/*
 * Connects a throwaway UDP socket to dst, with SO_BROADCAST when bcast, to
 * learn whether there is a route; returns 0, or the errno connect(2) or
 * socket(2) gave (ENETUNREACH, EACCES for a broadcast without bcast, ...).
 */
int sock_try_connect(const struct sockaddr *dst, socklen_t dstlen, int bcast);

/*
 * Asks for errors on fd's error queue (IP_RECVERR or IPV6_RECVERR by
 * family), so that ICMP errors reach sock_recv_err().  Returns 0 or -1.
 */
int sock_recverr(int fd, int family);

/*
 * Fills e from the IP_RECVERR or IPV6_RECVERR control message of msg (its
 * msg_name, when set, is the datagram's destination).  Returns 0, or -1
 * with e->origin SOCK_ERR_NONE when msg carries none.
 */
int sock_parse_err(const struct msghdr *msg, struct sock_err *e);

/*
 * Reads one message from fd's error queue without waiting: the datagram in
 * error (as much as fits) into buf, the error into e.  Returns the bytes
 * stored, or -1 with errno set (EAGAIN: the queue is empty).
 */
ssize_t sock_recv_err(int fd, void *buf, size_t size, struct sock_err *e);

/*
 * Binds fd (of family) to name: to that source address when name is an
 * address of family, else to the interface of that name.  Returns 0, or
 * -1 with err; errno is ENODEV when name is neither (err then says so).
 */
int sock_bind_source(
    int fd, int family, const char *name, char *err, size_t errlen);

/*
 * Enables the control messages in what (SOCK_META_*); returns 0, or -1
 * with errno set when one of them could not be enabled (the others are).
 */
int sock_enable_meta(int fd, int what);

/* Fills m from the control messages and flags of a received msg. */
void sock_parse_cmsg(const struct msghdr *msg, struct sock_meta *m);

/*
 * Receives one datagram with its metadata; returns the bytes stored in buf
 * (m->len has the length on the wire), or -1 with errno set.
 */
ssize_t sock_recv_meta(
    int fd, void *buf, size_t size, int flags, struct sock_meta *m);

/*
 * Builds, in cbuf, the control message that makes a reply leave from the
 * local address in m (IP_PKTINFO or IPV6_PKTINFO); returns its length,
 * 0 when m has no local address.
 */
size_t sock_reply_cmsg(const struct sock_meta *m, void *cbuf, size_t size);

/*
 * UDP generic segmentation offload: one send of several datagrams of seg
 * bytes each (the last may be shorter), cut apart by the kernel or the
 * network card.  SOCK_SEGMENT_MAX is the most bytes one such send may carry.
 */
#define SOCK_SEGMENT_MAX 65507

/*
 * Writes the UDP_SEGMENT control message for segments of seg bytes at
 * cbuf, which must be aligned as a struct cmsghdr; returns its length, 0
 * when size is too small or the system has no UDP_SEGMENT.
 */
size_t sock_segment_cmsg(void *cbuf, size_t size, size_t seg);

/*
 * Returns 1 if a datagram of len bytes may join a segmented send of seg
 * byte segments that carries total bytes so far: not larger than seg, not
 * empty (the kernel cuts no datagram for an empty segment: it would be
 * lost), and within SOCK_SEGMENT_MAX.  One shorter than seg must end the
 * run; that is the caller's to see to.
 */
int sock_segment_fits(size_t seg, size_t total, size_t len);

/*
 * Returns 1 if errno e from a segmented send means the kernel refused the
 * segmentation (a segment over the route's MTU, no checksum offload, a
 * kernel without it) so that the datagrams should go one by one; 2 if
 * smaller segments may still be accepted (EMSGSIZE, EINVAL); 0 otherwise.
 */
int sock_segment_refused(int e);

/* Sends buf to the sender of m from the address m arrived at; returns as sendmsg(2). */
ssize_t sock_send_reply(
    int fd, const void *buf, size_t len, const struct sock_meta *m);

/*
 * Sets the TTL (hop limit) of the unicast and multicast datagrams fd sends;
 * an IPv6 socket that carries IPv4 too (IPv6-only off) gets the IPv4 TTL
 * as well.  Returns 0, or -1 with errno set.
 */
int sock_set_ttl(int fd, int ttl);

/*
 * Sets the TOS (traffic class) of the datagrams fd sends, for both
 * families on a dual-stack socket.  Returns 0, or -1 with errno set.
 */
int sock_set_tos(int fd, int tos);

/* What a client asks of its socket's datagrams. */
struct sock_opts {
	int broadcast; /* SO_BROADCAST */
	int ttl, tos; /* -1: the system's */
	int df; /* don't fragment */
	unsigned ifindex; /* send multicast out of it; 0: the system's */
	const char *ifname; /* its name, for the message */
	int loop; /* multicast loopback: set either way */
};

/*
 * Sets o on fd, a socket of family.  Returns 0, or -1 with errno set and
 * in err what could not be set ("cannot set TTL 7"), errno's text left
 * for the caller.
 */
int sock_set_opts(
    int fd, int family, const struct sock_opts *o, char *err, size_t errlen);

/*
 * Returns how many datagrams the kernel dropped on UDP socket fd because
 * its receive buffer was full (the "drops" column of /proc/net/udp and
 * udp6 for fd's inode), or -1 with errno set when that cannot be read.
 */
long long sock_kernel_drops(int fd);

/*
 * Parses the text of /proc/net/udp or udp6 for the socket with inode ino;
 * returns its drops column, or -1 when no line has that inode.
 */
long long sock_parse_proc_drops(const char *text, unsigned long ino);

/*
 * Sets fd's receive buffer to at least bytes (SO_RCVBUF, then
 * SO_RCVBUFFORCE when net.core.rmem_max is lower and we may).  Returns
 * the size the kernel really gave (which counts its own overhead), or -1
 * with errno set.
 */
int sock_set_rcvbuf(int fd, int bytes);

/*
 * sock_set_rcvbuf() as a --rcvbuf option asks it.  Returns 0 when fd got
 * at least bytes; 1 when it got less, with err saying so and what limits
 * it; -1 with errno set and err naming the failure.
 */
int sock_rcvbuf(int fd, int bytes, char *err, size_t errlen);

/* Formats the address fd is bound to; returns buf. */
char *sock_local_name(int fd, char *buf, size_t size);

/* Returns the port fd is bound to, or 0 when that is not known. */
uint16_t sock_local_port(int fd);

/* Returns the family of fd's local address, or -1. */
int sock_family(int fd);

/*
 * Returns 1 if dst is an IPv4 broadcast address as the kernel's routes
 * see it (255.255.255.255, a local prefix's broadcast address); else 0.
 * IPv6 has no broadcast.  Nothing is sent.
 */
int sock_is_broadcast(const struct sockaddr *dst);

/*
 * Returns the path MTU the kernel knows for connected socket fd of family
 * (IP_MTU, IPV6_MTU), or -1 with errno set.
 */
int sock_mtu(int fd, int family);

/*
 * Returns the path MTU the kernel knows for dst, asked through a UDP
 * socket connected to it and closed again, or -1 with errno set.
 */
int sock_path_mtu(const struct sockaddr *dst, socklen_t dstlen);

/* IP and UDP (or ICMP) header bytes in front of a payload. */
#define SOCK_HDR4 28
#define SOCK_HDR6 48

/*
 * Explains an EMSGSIZE with Don't Fragment set (option names it, "--df"
 * or "-M do"): len bytes of payload against the path MTU mtu, and the
 * largest payload that fits once the family's header bytes are counted.
 * Writes into buf and returns it.
 */
char *sock_mtu_hint(int family, int mtu, size_t len, const char *option,
    char *buf, size_t size);

/*
 * Explains an EACCES from sending to dst (named as name): a broadcast
 * address without permission (broadcast_ok 0; the fix is option), a
 * route of type prohibit (asked again with a route lookup), or else a
 * local firewall or policy.  Writes a whole message into buf, returns buf.
 */
char *sock_eacces_hint(const struct sockaddr *dst, socklen_t dstlen,
    const char *name, int broadcast_ok, const char *option, char *buf,
    size_t size);

/*
 * Joins multicast group g on fd: source-specific from each of the
 * nsources sources of its family, or from any source when none is.
 * Returns 0, or -1 with errno set and *bad the index of the source whose
 * join failed (-1: the any-source join).
 */
int sock_join_group(int fd, const struct addr_group *g,
    const struct sockaddr_storage *sources, int nsources, int *bad);

/*
 * Joins every group of j on fd, as sock_join_group() does with j's
 * sources.  Returns 0, or -1 with errno set and err naming the group, the
 * source whose join failed, the error and, where the kernel could not pick
 * one, a hint to name the interface.
 */
int sock_join_groups(
    int fd, const struct addr_joins *j, char *err, size_t errlen);

/*
 * Resolves spec (typed as text, for the message) to an address the bound
 * socket fd can send to: one of its family, or IPv4 mapped for a dual-stack
 * IPv6 socket.  Returns 0, or -1 with err (errno ENOENT when the name has
 * no address, EINVAL when it cannot be resolved).
 */
int sock_resolve_peer(int fd, const struct addr_spec *spec, const char *text,
    struct sockaddr_storage *ss, socklen_t *sslen, char *err, size_t errlen);

/*
 * Connects fd to peer (peerlen bytes).  Returns 0, or -1 with errno set
 * and a whole message in err: the broadcast hint naming option for
 * EACCES, the interface a link-local IPv6 address needs for EINVAL.
 */
int sock_connect_peer(int fd, const struct sockaddr *peer, socklen_t peerlen,
    int broadcast_ok, const char *option, char *err, size_t errlen);

/*
 * Explains a failed send of len bytes on fd to peer (named name) with
 * error e: sock_eacces_hint() naming -b for EACCES, with df set and a known path
 * MTU too small sock_mtu_hint() naming "--df", the family's limit for
 * another EMSGSIZE.  connected: fd is connected, so its path MTU is
 * peer's.  Writes a whole message into buf and returns it.
 */
char *sock_send_error_text(int fd, int e, const struct sockaddr *peer,
    socklen_t peerlen, const char *name, int connected, int broadcast_ok,
    int df, size_t len, char *buf, size_t size);

#endif
