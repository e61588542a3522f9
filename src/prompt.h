/* SPDX-License-Identifier: ISC */
/*
 * The interactive prompt: libedit line editing with history and Tab
 * completion on a terminal, plain line reading elsewhere, and live output
 * from other descriptors printed above the line being typed.
 */
#ifndef UDPTOOL_PROMPT_H
#define UDPTOOL_PROMPT_H

#include <stddef.h>

#define PROMPT_LINE_MAX (4 * 65536) /* longer plain lines are refused */
#define PROMPT_FDS_MAX 8
#define PROMPT_HISTORY_SIZE 500

struct prompt;

/* What the prompt calls back; arg is prompt_config.arg. */
struct prompt_ops {
	/*
	 * A line the user entered, without its newline (len bytes, also
	 * NUL-terminated); returns 0 to go on, or -1 to end prompt_run().
	 */
	int (*on_line)(void *arg, char *line, size_t len);
	/*
	 * A descriptor from prompt_config.fds is ready (poll revents).  It
	 * must call prompt_hold() before printing anything; the prompt then
	 * redraws the line being typed when it returns.
	 */
	void (*on_ready)(void *arg, int fd, short revents);
	/* Milliseconds until on_timer wants to run, -1 for never (may be NULL). */
	int (*timer_ms)(void *arg);
	/* The time came; like on_ready, it calls prompt_hold() before printing. */
	void (*on_timer)(void *arg);
	/*
	 * ^C discarded the line being typed (empty: nothing was typed, as
	 * far as the prompt knows); may be NULL.
	 */
	void (*on_interrupt)(void *arg, int empty);
};

struct prompt_config {
	const char *prog; /* name for ~/.editrc sections */
	const char
	    *history; /* file under the udptool state directory, or NULL */
	const char *const *commands; /* Tab completes these, NULL-terminated */
	int fds[PROMPT_FDS_MAX]; /* polled for POLLIN next to the terminal */
	size_t nfds;
	const struct prompt_ops *ops;
	void *arg;
};

/* Opens the prompt on stdin and stdout; returns it, or NULL with errno set. */
struct prompt *prompt_open(const struct prompt_config *cfg);

/* Sets the prompt text shown before each line (copied). */
void prompt_set(struct prompt *p, const char *text);

/*
 * Clears the half-typed line from the screen before a callback prints;
 * the prompt redraws it when the callback returns.  Idempotent.
 */
void prompt_hold(struct prompt *p);

/* Asks prompt_run() to return after the current callback (safe in callbacks). */
void prompt_stop(struct prompt *p);

/*
 * Reads and dispatches lines until end of input (^D), prompt_stop(), an
 * on_line() that returns -1, or SIGTERM/SIGHUP; ^C discards the line being
 * typed.  Returns 0, or -1 with errno set on a read error.
 */
int prompt_run(struct prompt *p);

/* Returns 1 if prompt_run() ended on SIGTERM or SIGHUP. */
int prompt_terminated(const struct prompt *p);

/* Closes the prompt, restoring the terminal and signal handlers. */
void prompt_close(struct prompt *p);

/*
 * Writes the history file name (${XDG_STATE_HOME:-~/.local/state}/udptool/
 * name) into buf; returns buf, or NULL when no home is known.
 */
char *prompt_history_path(const char *name, char *buf, size_t size);

#endif
