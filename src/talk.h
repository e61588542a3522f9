/* SPDX-License-Identifier: ISC */
/*
 * The interactive session send and listen share: one table of slash
 * commands drives the parser, /help and Tab completion, and runs /repeat.
 */
#ifndef UDPTOOL_TALK_H
#define UDPTOOL_TALK_H

#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "sendline.h"

#define TALK_SEND 0x1 /* offered at the send prompt */
#define TALK_LISTEN 0x2 /* offered at the listen prompt */
#define TALK_NAMES_MAX 16 /* distinct command names in the table */

struct prompt;

/* What a command does in the room that talks; arg is talk_config.arg. */
struct talk_ops {
	/* A line was typed (before it is parsed); may be NULL. */
	void (*typed)(void *arg);
	/*
	 * Sends text: a line in the room's payload mode with its line end,
	 * or with hex set the exact bytes of a /hex line.
	 */
	void (*text)(void *arg, const char *text, size_t len, int hex);
	/* /file PATH. */
	void (*file)(void *arg, const char *path);
	/* /repeat: builds its datagram; returns 0, or -1 after a message. */
	int (*repeat_load)(void *arg, const struct sendline *c);
	/* Sends one /repeat datagram; returns 0, or -1 after a message. */
	int (*repeat_send)(void *arg);
	/* /to, /ttl and /tos, /wait, /stats with their parsed arguments. */
	void (*to)(void *arg, const struct sendline *c);
	void (*ttl_tos)(void *arg, const struct sendline *c);
	void (*wait)(void *arg, const struct sendline *c);
	void (*stats)(void *arg);
	/* The room's own prompt callbacks (struct prompt_ops); may be NULL. */
	void (*on_ready)(void *arg, int fd, short revents);
	int (*timer_ms)(void *arg);
	void (*on_timer)(void *arg);
};

struct talk_config {
	unsigned room; /* TALK_SEND or TALK_LISTEN */
	const char *history; /* history file name, or NULL */
	int fd; /* the socket the prompt polls */
	const char *help_head; /* /help: the line before the commands */
	const char *help_tail; /* /help: the lines after them */
	const char *replaced; /* why a new /repeat stops the one running */
	const char *hint; /* said once at ^C on an empty line, or NULL */
	int send_empty; /* an empty line is an empty datagram */
	double interval; /* seconds between /repeat datagrams, 0: batches */
	const struct talk_ops *ops;
	void *arg;
};

struct talk {
	struct talk_config cfg;
	struct prompt *prompt; /* NULL until talk_open() */
	const char *names[TALK_NAMES_MAX + 1]; /* Tab completes these */
	unsigned long long repeat_left, repeat_count;
	struct timespec repeat_due;
	int hinted; /* the ^C hint was shown */
};

/*
 * Looks up a command word ("/to"): an exact name, or a prefix of one name
 * only.  Returns its enum sendline_kind, or -1 with a one-line message
 * naming the word (and, when ambiguous, the candidates) in err.
 */
int talk_find(const char *word, char *err, size_t errlen);

/* Sets t up for cfg (copied) without a prompt: lines go to talk_line(). */
void talk_init(struct talk *t, const struct talk_config *cfg);

/*
 * Fills names (size entries and a NULL) with the command names the room
 * offers, sorted, for Tab completion; returns how many.
 */
size_t talk_names(unsigned room, const char **names, size_t size);

/* Writes the room's /help text, generated from the table, to fp. */
void talk_help(const struct talk *t, FILE *fp);

/*
 * Parses one typed line (len bytes, NUL-terminated) and acts on it through
 * the ops.  Returns 0 to go on, or -1 for /quit.
 */
int talk_line(struct talk *t, char *line, size_t len);

/* Stops a /repeat still running, saying why and how far it got. */
void talk_repeat_stop(struct talk *t, const char *why);

/* Returns 1 while a /repeat is running. */
int talk_repeating(const struct talk *t);

/*
 * The prompt's timer: runs the room's on_timer, then sends what of a
 * /repeat is due (one datagram with an interval, else a batch).
 */
void talk_tick(struct talk *t);

/* Opens the prompt on the terminal for t; returns it, or NULL with errno set. */
struct prompt *talk_open(struct talk *t);

/* Runs the prompt until the user leaves; returns prompt_run()'s result. */
int talk_run(struct talk *t);

/* Closes the prompt. */
void talk_close(struct talk *t);

#endif
