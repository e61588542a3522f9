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
#include "addr.h"
#include "payload.h"
#include "prompt.h"
#include "sender.h"
#include "sock.h"

/* The largest datagram answered: the largest UDP payload (IPv6). */
#define ANSWER_MAX 65527
/*
 * The longest line taken from standard input: the prompt's limit, which
 * leaves room for the largest datagram spelled in hex or escapes.
 */
#define ANSWER_LINE_MAX PROMPT_LINE_MAX
/* The prompt that names the peer: "ADDRESS> ". */
#define ANSWER_PROMPT_MAX (ADDR_STRLEN + 24)

struct out;
struct prompt;
struct talk;
struct talk_config;
struct talk_ops;

struct answer {
	int fd;
	struct sender peer; /* whom answers go to */
	struct prompt *prompt; /* held before a message; NULL: none */
	uint64_t sent, senderr, badlines;
	uint64_t lines; /* lines taken so far: the number a message names */
	int ttl, tos; /* set by answer_ttl_tos(); -1: the system's default */
	struct capture *cap; /* --pcap: records what is sent; NULL: none */
	enum payload_mode mode; /* how typed and piped lines spell bytes */
	const char *eol; /* appended to each line sent, or NULL */
	int quiet; /* no notices of where lines go */
	struct talk *talk; /* the prompt session, for /to; NULL: none */
	void *owner; /* the room's state, for its own talk callbacks */
	char prompt_text[ANSWER_PROMPT_MAX]; /* the prompt as last set */
	struct sender_dest
	    repeat_dest; /* where /repeat goes, fixed when typed */
	size_t repeat_len;
	uint8_t repeat_buf[ANSWER_MAX];
};

/*
 * Sets a up to answer nobody yet, with the system's TTL and TOS, lines
 * spelled and ended as lines says, the first sender kept with lock, no
 * notices with quiet; owner is the room's state.  The room sets a->fd.
 */
void answer_init(struct answer *a, const struct payload_lines *lines, int lock,
    int quiet, void *owner);

/*
 * Fills d with where a datagram sent now goes; returns 0, or -1 after
 * saying that nobody is known yet (a send error).
 */
int answer_dest(struct answer *a, struct sender_dest *d);

/*
 * Records in a->cap, when --pcap asked for one, the datagram m describes
 * (len bytes of buf received): from its sender to the local address it
 * came to.
 */
void answer_record_in(
    struct answer *a, const struct sock_meta *m, const void *buf, size_t len);

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
 * answer_set_to() for a peer given as text, "HOST:PORT" (--to); returns 0,
 * or -1 after a message with errno ENOENT when the name has no address,
 * else EINVAL.
 */
int answer_set_to_text(struct answer *a, const char *text);

/*
 * Sets the TTL (or with tos the TOS) of what is sent to value unless
 * query, then says what it is; a value the socket refuses is said and the
 * setting stays as it was.  a->ttl and a->tos start at -1 (default).
 */
void answer_ttl_tos(struct answer *a, int tos, int query, int value);

/* Says where answers go now, on stderr. */
void answer_show_target(const struct answer *a);

/* Clears the prompt's line, if there is a prompt, for a line above it. */
void answer_hold(struct answer *a);

/* Names the peer answered in the prompt, when there is one and it changed. */
void answer_set_prompt(struct answer *a);

/*
 * Takes the sender of m into account (sender_track()) and says, unless
 * a->quiet, when the peer lines go to changes (only with talking set) or
 * that a sender is not the locked peer.
 */
void answer_track(struct answer *a, const struct sock_meta *m, int talking);

/*
 * The linefeed_fn for lines from a pipe (arg is the answer): each is data
 * in a->mode with a->eol, held until there is somebody to answer; an
 * overlong one is reported, counted and dropped.
 */
int answer_piped_line(void *arg, const char *line, size_t len, int overlong);

struct linefeed;

/*
 * Says, when lf still holds a line for answer_piped_line(), that it and
 * the lines after it were never sent: no sender came.
 */
void answer_piped_end(const struct answer *a, const struct linefeed *lf);

/*
 * Fills the talk callbacks that answer (typed, text, file, repeat_load,
 * repeat_send, to, ttl_tos), which take the answer as their arg; the room
 * sets the others, and finds its own state in a->owner.
 */
void answer_talk_ops(struct talk_ops *ops);

/*
 * Opens the prompt of t for cfg (whose arg is a), that names the peer
 * answered, and says on a terminal where lines go; a->talk and a->prompt
 * are set.  Returns 0, or -1 with errno set.
 */
int answer_talk_open(
    struct answer *a, struct talk *t, const struct talk_config *cfg);

/* Closes the prompt answer_talk_open() opened. */
void answer_talk_close(struct answer *a);

/*
 * Fills cfg for the prompt that answers on a->fd (its help, its own
 * history file, empty lines sent as datagrams) and ops with the callbacks
 * of answer_talk_ops(), which take a as their arg; the room adds its own
 * to ops (/wait, /stats, the prompt's callbacks), which must outlive it.
 */
void answer_talk_config(
    struct answer *a, struct talk_config *cfg, struct talk_ops *ops);

/*
 * Runs the prompt of t for cfg from answer_talk_open() to
 * answer_talk_close() until the user leaves; returns 0, or -1 after a
 * message when the prompt could not open or reading the terminal failed.
 */
int answer_talk_run(
    struct answer *a, struct talk *t, const struct talk_config *cfg);

/* Writes the summary fields of what was answered: sent, errors, bad lines. */
void answer_summary(struct out *o, const struct answer *a);

#endif
