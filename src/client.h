/* SPDX-License-Identifier: ISC */
/*
 * A UDP client's exchange with its peers: datagrams sent one at a time or
 * in bursts, replies and ICMP errors read, shown and counted per peer.
 */
#ifndef UDPTOOL_CLIENT_H
#define UDPTOOL_CLIENT_H

#include <sys/socket.h>
#include <sys/types.h>

#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "addr.h"
#include "expect.h"
#include "output.h"
#include "rtt.h"
#include "sock.h"
#include "tally.h"

#define CLIENT_RECV_MAX 65536 /* larger than any UDP payload */

struct capture;
struct prompt;

/* The socket, where it sends, how replies are shown, and the counts. */
struct client {
	int fd;
	struct sockaddr_storage peer; /* the current peer */
	socklen_t peerlen;
	char peername[ADDR_STRLEN];
	int any_source; /* unconnected: replies from any address count */
	struct sock_opts so;

	struct out out; /* replies and errors, text or JSON */
	enum out_format fmt;
	int verbose; /* say each datagram sent; replies' TTL and TOS */
	int timestamps; /* replies' times as epoch seconds */
	int no_gso; /* bursts send one datagram per message */
	double wait; /* seconds a datagram waits for its reply */
	unsigned long long replies_max; /* stop after so many; 0: no limit */
	struct expect expect; /* what a reply must hold to be matched */

	struct tally_peers t;
	unsigned long long matched, send_errors;
	int local_error; /* a send failed here, not on the way */
	unsigned errors_shown;
	struct rtt_pending pending; /* send times still owed a reply */
	uint8_t *rbuf; /* CLIENT_RECV_MAX bytes */

	struct capture
	    *cap; /* --pcap: records what goes and comes; NULL: none */
	struct prompt *prompt; /* held before printing; NULL: none */
	int stop; /* a stop signal came, or standard output failed */
	int masked; /* the stop signals are blocked but inside client_ppoll() */
};

/*
 * Asks fd (of family) for ICMP errors and sets c->so on it.  Returns 0,
 * or -1 after a message.
 */
int client_sockopts(struct client *c, int fd, int family);

/*
 * Opens a UDP socket to dest (family AF_UNSPEC or the one to use; bound
 * to source unless NULL) with client_sockopts() and, unless
 * c->any_source, connected; its address goes to peer and peerlen.
 * Returns the socket, or -1 after a message with *notfound set when the
 * name had no address.
 */
int client_open(struct client *c, const struct addr_spec *dest, int family,
    const struct addr_spec *source, int *notfound,
    struct sockaddr_storage *peer, socklen_t *peerlen);

/*
 * client_open() to dest into c->fd, with its address the current peer
 * (client_peer_use()).  Returns 0, or after a message the exit status: 1
 * when the name has no address, else 2 (a literal address of the other
 * family among them).
 */
int client_open_peer(struct client *c, const struct addr_spec *dest, int family,
    const struct addr_spec *source);

/*
 * Asks c->fd for receive timestamps and, with c->verbose, the TTL; says
 * when it cannot.
 */
void client_ask_meta(struct client *c);

/*
 * Catches SIGINT and SIGTERM for client_block() and clears c->stop, until
 * client_release().  Returns 0, or -1 after a message.
 */
int client_catch(struct client *c);
void client_release(void);

/*
 * Sets c to the defaults: no socket, a wait of 2 s, the system's TTL and
 * TOS, text output, no expectation, and a receive buffer.  Returns 0, or
 * -1 with errno set when out of memory.
 */
int client_init(struct client *c);

/* Closes c's socket, if any, and frees what client_init() took. */
void client_free(struct client *c);

/* Returns the monotonic clock in seconds. */
double client_now(void);

/*
 * Blocks SIGINT and SIGTERM but inside client_ppoll(), which sets c->stop
 * when one came, until client_unblock().
 */
void client_block(struct client *c);
void client_unblock(struct client *c);

/* poll(2), with the stop signals let in while it waits; returns as poll. */
int client_ppoll(struct client *c, struct pollfd *pfd, nfds_t n, int ms);

/* Returns the datagrams answered by a reply or an ICMP error. */
unsigned long long client_answered(const struct client *c);

/* Makes c->peer (named c->peername) the current peer, adding it if new. */
void client_peer_set(struct client *c);

/*
 * Makes peer (peerlen bytes) the current peer: c->peer, its name in
 * c->peername, and client_peer_set().
 */
void client_peer_use(
    struct client *c, const struct sockaddr_storage *peer, socklen_t peerlen);

/*
 * Reads every datagram waiting on the socket, shows and counts it;
 * returns how many.  A pending ICMP error is read and reported instead.
 */
int client_receive(struct client *c);

/* Serves the socket poll(2) found ready (revents): its error queue on POLLERR, then replies. */
void client_serve(struct client *c, short revents);

/*
 * Sends buf as one datagram to the current peer, reporting ICMP errors
 * for earlier ones on the way.  Returns 0, or -1 after reporting a local
 * error (c->local_error set).
 */
int client_one(struct client *c, const uint8_t *buf, size_t len);

/*
 * The traffic generator: count copies of buf as fast as the socket takes
 * them (xmit_burst_send()), serving replies between batches, until done
 * or c->stop.  Returns 0, or -1 after reporting a local error.
 */
int client_burst(
    struct client *c, const uint8_t *buf, size_t len, unsigned long long count);

/*
 * Returns 1 once the replies waited for have arrived: --replies N of
 * them, a match of the expectation, else one per datagram sent.
 */
int client_satisfied(struct client *c);

/*
 * Waits for replies until until (client_now() seconds) and serves the
 * socket if it becomes ready; with_stdin returns as soon as standard
 * input is readable too.
 */
void client_poll(struct client *c, double until, int with_stdin);

/*
 * After the last send: waits up to c->wait for the replies still owed
 * (none when need_sent and nothing went out), then reads those already
 * queued, which count even with a wait of 0, unless enough came.
 */
void client_wait_replies(struct client *c, int need_sent);

/*
 * Writes the summary for target: one JSON line on stdout when c->out is
 * JSON, else text on fp; with more than one peer, each one's line first.
 */
void client_summary(struct client *c, const char *target, FILE *fp);

/* client_summary() for the destination as given (dest). */
void client_summary_dest(
    struct client *c, const struct addr_spec *dest, FILE *fp);

#endif
