/* SPDX-License-Identifier: ISC */
/*
 * Privileges: what a setuid or file-capability copy of udptool holds, how
 * it gives all of it up, and the check in /proc that it really did.
 */
#ifndef UDPTOOL_PRIV_H
#define UDPTOOL_PRIV_H

#include <sys/types.h>
#include <sys/socket.h>

#include <stddef.h>

/* Returns "libcap" or "capset": how capabilities are dropped. */
const char *priv_backend(void);

/*
 * Returns 1 if the process runs with privileges it borrowed from the file
 * it was started from (setuid, setgid or file capabilities: AT_SECURE), or
 * with an effective or saved id other than its real one; else 0.
 */
int priv_borrowed(void);

/* Returns 1 if the process may open raw sockets (root or CAP_NET_RAW permitted). */
int priv_net_raw(void);

/*
 * Raises CAP_NET_RAW from the permitted into the effective set, as a copy
 * given "setcap cap_net_raw+p" must before it opens a raw socket.
 * Returns 0 (also when there is nothing to raise) or -1 with errno set.
 */
int priv_raise_net_raw(void);

/*
 * Gives up for good every capability (permitted, effective, inheritable,
 * ambient) and any set-uid or set-gid identity (all ids set to the real
 * ones).  Returns 0 or -1 with errno set.
 */
int priv_drop(void);

/*
 * Checks the text of /proc/self/status: CapPrm, CapEff and CapInh (and
 * CapAmb when the kernel has it) all zero, every Uid field uid and every
 * Gid field gid.  Returns 0, or -1 with the first offending line in err.
 */
int priv_status_check(
    const char *text, uid_t uid, gid_t gid, char *err, size_t errlen);

/*
 * Reads /proc/self/status and checks it with priv_status_check() against
 * the real ids.  Returns 0, or -1 with the reason in err.
 */
int priv_verify(char *err, size_t errlen);

/*
 * priv_drop() then priv_verify(): every privilege given up for good and
 * checked.  Returns 0, or -1 with the reason in err.
 */
int priv_drop_verified(char *err, size_t errlen);

/* An ICMP socket of one family as priv_open_icmp() opened it. */
struct priv_icmp {
	int family; /* AF_INET or AF_INET6, set by the caller */
	int fd; /* -1 when neither kind could be opened */
	int raw; /* 1: a raw socket, 0: a datagram ("ping") socket */
	int e_dgram, e_raw; /* why each kind could not be opened */
};

/*
 * Opens an ICMP socket of s->family: a datagram ("ping") socket first,
 * then a raw one with CAP_NET_RAW raised for it.  Sets s->fd (-1 when both
 * failed), s->raw and the errno of each failure.
 */
void priv_open_icmp(struct priv_icmp *s);

/* Writes net.ipv4.ping_group_range ("?" if unreadable) on one line into buf. */
void priv_group_range(char *buf, size_t size);

/*
 * Writes why priv_open_icmp() could open no socket for s, with the sysctl
 * and capability that would allow one, into buf; returns buf.
 */
char *priv_icmp_failed(const struct priv_icmp *s, char *buf, size_t size);

#endif
