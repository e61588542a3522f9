/* SPDX-License-Identifier: ISC */
/*
 * Privileges: what a setuid or file-capability copy of udptool holds, how
 * it gives all of it up, and the check in /proc that it really did.
 */
#ifndef UDPTOOL_PRIV_H
#define UDPTOOL_PRIV_H

#include <sys/types.h>

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

#endif
