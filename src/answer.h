/* SPDX-License-Identifier: ISC */
/*
 * Answering the senders of a listening socket: datagrams, lines and files
 * sent to whom the sender module names, counted, each failure said once.
 */
#ifndef UDPTOOL_ANSWER_H
#define UDPTOOL_ANSWER_H

#include <stddef.h>
#include <stdint.h>

#include "capture.h"
#include "payload.h"
#include "sender.h"

/* The largest datagram answered: the largest UDP payload (IPv6). */
#define ANSWER_MAX 65527

struct addr_spec;
struct prompt;

struct answer {
	int fd;
	struct sender peer; /* whom answers go to */
	struct prompt *prompt; /* held before a message; NULL: none */
	uint64_t sent, senderr, badlines;
	uint64_t lines; /* lines taken so far: the number a message names */
	int ttl, tos; /* set by answer_ttl_tos(); -1: the system's default */
	struct capture *cap; /* --pcap: records what is sent; NULL: none */
};

/*
 * Fills d with where a datagram sent now goes; returns 0, or -1 after
 * saying that nobody is known yet (a send error).
 */
int answer_dest(struct answer *a, struct sender_dest *d);

/* Sends len bytes of buf to d; returns 0, or -1 after a message. */
int answer_send(
    struct answer *a, const struct sender_dest *d, const void *buf, size_t len);

/* Says that line a->lines is not sent because of err, and counts it. */
void answer_bad_line(struct answer *a, const char *err);

/*
 * Decodes one line (a->lines is its number) as linefeed_datagram() does
 * and sends it where answers go now; a line that does not decode is
 * reported and counted.
 */
void answer_text(struct answer *a, const char *line, size_t len,
    enum payload_mode mode, const char *eol);

/* Sends the file at path as one datagram where answers go now. */
void answer_file(struct answer *a, const char *path);

/*
 * Makes the peer spec names (typed as text) the fixed peer, resolved to an
 * address a->fd can send to, as --to and /to do; returns 0, or -1 after a
 * message (errno ENOENT when the name has no address) and the peer as it
 * was.
 */
int answer_set_to(
    struct answer *a, const struct addr_spec *spec, const char *text);

/*
 * Sets the TTL (or with tos the TOS) of what is sent to value unless
 * query, then says what it is; a value the socket refuses is said and the
 * setting stays as it was.  a->ttl and a->tos start at -1 (default).
 */
void answer_ttl_tos(struct answer *a, int tos, int query, int value);

/* Says where answers go now, on stderr. */
void answer_show_target(const struct answer *a);

#endif
