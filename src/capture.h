/* SPDX-License-Identifier: ISC */
/*
 * --pcap: what a command sends and receives, recorded as pcapng with one
 * interface per socket; shared by listen, send, echo-serve and relay.
 */
#ifndef UDPTOOL_CAPTURE_H
#define UDPTOOL_CAPTURE_H

#include <sys/socket.h>

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct capture;

/*
 * Creates (or truncates) path and writes its section header, with comment
 * when not NULL.  Returns the capture, or NULL with errno set.
 */
struct capture *capture_open(const char *path, const char *comment);

/*
 * capture_open() with the comment "udptool CMD", then capture_socket() of
 * fd as interface 0.  Returns the capture, or NULL with errno set.
 */
struct capture *capture_open_socket(const char *path, const char *cmd, int fd);

/*
 * Adds an interface for a socket bound to local (its port is the one a
 * datagram gets when the local address recorded has none), named name.
 * Returns its number, or -1 with errno set.
 */
int capture_interface(
    struct capture *c, const char *name, const struct sockaddr *local);

/*
 * Adds an interface for socket fd, named "ROLE ADDRESS:PORT" after its
 * bound address.  Returns its number, or -1 with errno set.
 */
int capture_socket(struct capture *c, const char *role, int fd);

/*
 * Records one datagram on interface ifid: sent (1) from local to peer, or
 * received (0) from peer at local; local NULL means the interface's
 * address.  ts NULL means now.  Safe from several threads.  Returns 0, or
 * -1 the first time a write fails (later datagrams are only counted).
 */
int capture_record(struct capture *c, int ifid, int sent,
    const struct sockaddr *local, const struct sockaddr *peer, const void *buf,
    size_t len, const struct timespec *ts);

/*
 * capture_record() with comment, when not NULL, as the packet's comment
 * (what befell the datagram, say).
 */
int capture_record_note(struct capture *c, int ifid, int sent,
    const struct sockaddr *local, const struct sockaddr *peer, const void *buf,
    size_t len, const struct timespec *ts, const char *comment);

/* Datagrams recorded, and those lost to write errors. */
void capture_counts(
    const struct capture *c, uint64_t *recorded, uint64_t *lost);

/*
 * Flushes and closes the file and frees c.  Returns 0, or -1 with errno
 * set when any write failed.
 */
int capture_close(struct capture *c);

#endif
