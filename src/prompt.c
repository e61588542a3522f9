/* SPDX-License-Identifier: ISC */
/*
 * A prompt that keeps the user's half-typed line intact while datagrams
 * arrive: libedit's el_gets() with a read hook that polls the terminal and
 * the sockets, or plain line reading without libedit or a terminal.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#ifdef HAVE_LIBEDIT
#include <histedit.h>
#endif

#include "errmsg.h"
#include "histfile.h"
#include "log.h"
#include "prompt.h"
#include "sig.h"

struct prompt {
	struct prompt_config cfg;
	char *text;
	int editing; /* libedit in use */
	int tty_out; /* stdout is a terminal: the prompt is shown */
	int shown; /* plain mode: the prompt is on the screen */
	int held; /* a callback cleared the line; redraw it */
	int in_read; /* inside the read hook: a line is on the screen */
	int stopping;
	int eof;
	char *buf; /* plain mode: bytes read, not yet a full line */
	size_t len;
	int discarding; /* plain mode: skipping the rest of an overlong line */
#ifdef HAVE_LIBEDIT
	EditLine *el;
	History *hist;
	HistEvent ev;
	char histfile[PATH_MAX];
	int hist_warned;
	int hist_iter; /* prompt_history_next(): entries returned so far */
	mbstate_t mbs;
#endif
};

/* ^C discards the line; SIGTERM and SIGHUP leave; SIGWINCH redraws. */
static const int prompt_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGWINCH, 0};

static int
prompt_sigterm(void)
{
	return sig_pending(SIGTERM) || sig_pending(SIGHUP);
}

char *
prompt_history_path(const char *name, char *buf, size_t size)
{
	const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	int n;

	/* The XDG specification ignores relative paths. */
	if (state != NULL && state[0] == '/')
		n = snprintf(buf, size, "%s/udptool/%s", state, name);
	else if (home != NULL && home[0] == '/')
		n = snprintf(
		    buf, size, "%s/.local/state/udptool/%s", home, name);
	else
		return NULL;
	if (n < 0 || (size_t)n >= size)
		return NULL;
	return buf;
}

#ifdef HAVE_LIBEDIT
/* Creates every directory above path, private to the user; returns 0 or -1. */
static int
prompt_mkdirs(const char *path)
{
	char dir[PATH_MAX], *s;

	if (strlen(path) >= sizeof dir)
		return -1;
	strcpy(dir, path);
	s = strrchr(dir, '/');
	if (s == NULL || s == dir)
		return 0;
	*s = '\0';
	for (s = dir + 1; *s != '\0'; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(dir, 0700) == -1 && errno != EEXIST)
			return -1;
		*s = '/';
	}
	if (mkdir(dir, 0700) == -1 && errno != EEXIST)
		return -1;
	return 0;
}
#endif

/* Tells the caller about ^C, which may also stop work it has running. */
static void
prompt_interrupted(struct prompt *p, int empty)
{
	if (p->cfg.ops->on_interrupt == NULL)
		return;
	p->cfg.ops->on_interrupt(p->cfg.arg, empty);
	fflush(stdout);
	fflush(stderr);
}

static int
prompt_timeout(struct prompt *p)
{
	if (p->cfg.ops->timer_ms == NULL)
		return -1;
	return p->cfg.ops->timer_ms(p->cfg.arg);
}

void
prompt_hold(struct prompt *p)
{
	if (p->held)
		return;
	if (p->editing && p->in_read) {
		fputs("\r\033[K", stdout);
		p->held = 1;
	} else if (!p->editing && p->shown && p->tty_out) {
		fputs("\r\033[K", stdout);
		p->held = 1;
		p->shown = 0;
	}
}

void
prompt_stop(struct prompt *p)
{
	p->stopping = 1;
}

void
prompt_set(struct prompt *p, const char *text)
{
	char *t = strdup(text);

	if (t == NULL)
		return;
	free(p->text);
	p->text = t;
}

/* Shows the prompt in plain mode, where nothing else draws it. */
static void
prompt_show(struct prompt *p)
{
	if (p->editing || !p->tty_out || p->shown || p->stopping)
		return;
	fputs(p->text, stdout);
	fflush(stdout);
	p->shown = 1;
}

static void
prompt_redraw(struct prompt *p)
{
	if (!p->held)
		return;
	p->held = 0;
	fflush(stdout);
	fflush(stderr);
#ifdef HAVE_LIBEDIT
	if (p->editing) {
		el_set(p->el, EL_REFRESH);
		return;
	}
#endif
	prompt_show(p);
}

/*
 * Waits for the terminal (when want_stdin) while serving the timer and the
 * other descriptors.  Returns 1 when stdin is readable, 0 when a signal or
 * prompt_stop() needs the caller's attention, -1 on error.
 */
static int
prompt_wait(struct prompt *p, int want_stdin)
{
	struct pollfd pfd[PROMPT_FDS_MAX + 1];
	size_t i, n;
	int rc, ms, stdin_ready;

	for (;;) {
		if (sig_pending(SIGINT) || prompt_sigterm() || p->stopping)
			return 0;
#ifdef HAVE_LIBEDIT
		if (sig_take(SIGWINCH) && p->editing)
			el_resize(p->el);
#endif
		n = 0;
		if (want_stdin) {
			pfd[n].fd = STDIN_FILENO;
			pfd[n].events = POLLIN;
			n++;
		}
		for (i = 0; i < p->cfg.nfds; i++) {
			pfd[n].fd = p->cfg.fds[i];
			pfd[n].events = POLLIN;
			n++;
		}
		ms = prompt_timeout(p);
		/* Blocked since prompt_run(): a signal can come only here. */
		rc = sig_ppoll(pfd, n, ms);
		if (rc == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (ms >= 0 && prompt_timeout(p) == 0) {
			/*
			 * Held by the callback only when it prints: a /repeat
			 * that runs for minutes must not wipe and redraw the
			 * line being typed at every batch.
			 */
			p->cfg.ops->on_timer(p->cfg.arg);
			prompt_redraw(p);
		}
		stdin_ready = 0;
		for (i = 0; i < n; i++) {
			if (pfd[i].revents == 0)
				continue;
			if (want_stdin && i == 0) {
				stdin_ready = 1;
				continue;
			}
			if (p->cfg.ops->on_ready == NULL)
				continue;
			/*
			 * The callback decides whether it prints; holding first
			 * would flicker the line for datagrams it filters out.
			 */
			p->cfg.ops->on_ready(
			    p->cfg.arg, pfd[i].fd, pfd[i].revents);
			prompt_redraw(p);
		}
		if (p->stopping)
			return 0;
		if (stdin_ready)
			return 1;
	}
}

#ifdef HAVE_LIBEDIT
static char *
prompt_el_prompt(EditLine *el)
{
	struct prompt *p;

	el_get(el, EL_CLIENTDATA, &p);
	return p->text;
}

/* The read hook: one character from the terminal, serving sockets meanwhile. */
static int
prompt_el_getc(EditLine *el, wchar_t *wc)
{
	struct prompt *p;
	unsigned char c;
	wchar_t w;
	ssize_t r;
	size_t m;
	int rc;

	el_get(el, EL_CLIENTDATA, &p);
	for (;;) {
		p->in_read = 1;
		rc = prompt_wait(p, 1);
		p->in_read = 0;
		if (rc == 0) {
			/* ^C, a termination signal or a stop: el_gets() returns. */
			errno = EINTR;
			return -1;
		}
		if (rc == -1)
			return -1;
		r = read(STDIN_FILENO, &c, 1);
		if (r == -1 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (r == -1)
			return -1;
		if (r == 0) {
			p->eof = 1;
			return 0;
		}
		m = mbrtowc(&w, (const char *)&c, 1, &p->mbs);
		if (m == (size_t)-2)
			continue;
		if (m == (size_t)-1) {
			/* Not valid in this locale: take the byte as it is. */
			memset(&p->mbs, 0, sizeof p->mbs);
			w = c;
		}
		*wc = w;
		return 1;
	}
}

/* Tab: completes the prompt command before the cursor. */
static unsigned char
prompt_el_complete(EditLine *el, int ch)
{
	const char *const *c, *match = NULL;
	const LineInfo *li = el_line(el);
	struct prompt *p;
	size_t len = (size_t)(li->cursor - li->buffer), common = 0, i;
	char add[64];
	int matches = 0;

	el_get(el, EL_CLIENTDATA, &p);
	if (len == 0 || li->buffer[0] != '/' || p->cfg.commands == NULL ||
	    memchr(li->buffer, ' ', len) != NULL)
		return CC_ERROR;
	for (c = p->cfg.commands; *c != NULL; c++) {
		if (strncmp(*c, li->buffer, len) != 0)
			continue;
		if (matches++ == 0) {
			match = *c;
			common = strlen(*c);
		} else {
			for (i = len; i < common && (*c)[i] == match[i]; i++)
				;
			common = i;
		}
	}
	if (matches == 0)
		return CC_ERROR;
	if (matches == 1) {
		snprintf(add, sizeof add, "%s ", match + len);
		el_insertstr(el, add);
		return CC_REFRESH;
	}
	if (common > len) {
		snprintf(
		    add, sizeof add, "%.*s", (int)(common - len), match + len);
		el_insertstr(el, add);
		return CC_REFRESH;
	}
	/* Several candidates and nothing to add: list them under the line. */
	fputc('\n', stdout);
	for (c = p->cfg.commands; *c != NULL; c++) {
		if (strncmp(*c, li->buffer, len) == 0)
			fprintf(stdout, "%s  ", *c);
	}
	fputc('\n', stdout);
	fflush(stdout);
	return CC_REDISPLAY;
}

/* The history entries oldest first, for histfile_write(). */
static const char *
prompt_history_next(void *arg)
{
	struct prompt *p = arg;

	if (history(p->hist, &p->ev, p->hist_iter++ == 0 ? H_LAST : H_PREV) ==
	    -1)
		return NULL;
	return p->ev.str;
}

/* Says once, on one line, why the history file is not used or saved. */
static void
prompt_history_warn(struct prompt *p, const char *what, const char *why)
{
	char q[128];
	int e = errno;

	if (p->hist_warned)
		return;
	p->hist_warned = 1;
	prompt_hold(p);
	/* A refusal (EPERM, ELOOP) is the reason itself; a failure adds errno. */
	log_warnx("%s history '%s': %s%s%s", what,
	    errmsg_quote(p->histfile, q, sizeof q), why,
	    e == EPERM || e == ELOOP ? "" : ": ",
	    e == EPERM || e == ELOOP ? "" : strerror(e));
}

static void
prompt_history_save(struct prompt *p)
{
	const char *why = NULL;

	if (p->hist == NULL || p->histfile[0] == '\0')
		return;
	p->hist_iter = 0;
	/* Written whole and renamed over the old file, never written through it. */
	if (histfile_write(p->histfile, prompt_history_next, p, &why) == -1)
		prompt_history_warn(p, "cannot save", why);
}

static void
prompt_history_add(void *arg, const char *line)
{
	struct prompt *p = arg;

	history(p->hist, &p->ev, H_ENTER, line);
}

/*
 * Loads the history file through a descriptor checked first (libedit's
 * H_LOAD follows links and reads without bound); a file that fails the
 * checks turns history saving off for this session.
 */
static void
prompt_history_load(struct prompt *p)
{
	const char *why = NULL;
	int fd, rc;

	/* A missing directory is made private; a bad one is refused below. */
	prompt_mkdirs(p->histfile);
	rc = histfile_open(p->histfile, &fd, &why);
	if (rc == -1) {
		prompt_history_warn(p, "not using", why);
		p->histfile[0] = '\0';
		return;
	}
	if (rc == 0)
		return;
	if (histfile_read(fd, prompt_history_add, p) == -1)
		prompt_history_warn(p, "cannot read", "read error");
	close(fd);
}

static int
prompt_el_open(struct prompt *p)
{
	setlocale(LC_CTYPE, "");
	p->el = el_init(p->cfg.prog, stdin, stdout, stderr);
	if (p->el == NULL)
		return -1;
	p->hist = history_init();
	if (p->hist != NULL) {
		history(p->hist, &p->ev, H_SETSIZE, PROMPT_HISTORY_SIZE);
		history(p->hist, &p->ev, H_SETUNIQUE, 1);
		if (p->cfg.history != NULL &&
		    prompt_history_path(p->cfg.history, p->histfile,
			sizeof p->histfile) != NULL)
			prompt_history_load(p);
		el_set(p->el, EL_HIST, history, p->hist);
	}
	el_set(p->el, EL_EDITOR, "emacs");
	el_set(p->el, EL_CLIENTDATA, p);
	el_set(p->el, EL_PROMPT, prompt_el_prompt);
	el_set(p->el, EL_GETCFN, prompt_el_getc);
	/*
	 * The wide call: the narrow el_set() copies name and help with
	 * wcsdup() and never frees them.
	 */
	el_wset(p->el, EL_ADDFN, L"udptool-complete",
	    L"complete a prompt command", prompt_el_complete);
	el_set(p->el, EL_BIND, "^I", "udptool-complete", NULL);
	/* The user's ~/.editrc applies, as in every libedit program. */
	el_source(p->el, NULL);
	return 0;
}

static int
prompt_el_run(struct prompt *p)
{
	const char *line;
	char *copy;
	size_t len;
	int count, rc;

	while (!p->stopping && !prompt_sigterm()) {
		memset(&p->mbs, 0, sizeof p->mbs);
		errno = 0;
		line = el_gets(p->el, &count);
		if (line == NULL || count <= 0) {
			if (sig_take(SIGINT)) {
				const LineInfo *li = el_line(p->el);
				int empty = li->lastchar == li->buffer;

				/* ^C: drop the line, start a fresh one. */
				el_reset(p->el);
				fputs("^C\n", stdout);
				fflush(stdout);
				prompt_interrupted(p, empty);
				continue;
			}
			if (p->stopping || prompt_sigterm()) {
				/* Leave the prompt line behind, not under the summary. */
				fputc('\n', stdout);
				fflush(stdout);
				break;
			}
			if (p->eof || count == 0) {
				fputc('\n', stdout);
				fflush(stdout);
				return 0;
			}
			return -1;
		}
		len = strlen(line);
		if (len > 0 && line[len - 1] == '\n')
			len--;
		copy = strndup(line, len);
		if (copy == NULL)
			return -1;
		if (len > 0 && p->hist != NULL) {
			history(p->hist, &p->ev, H_ENTER, copy);
			prompt_history_save(p);
		}
		rc = p->cfg.ops->on_line(p->cfg.arg, copy, len);
		free(copy);
		fflush(stdout);
		if (rc == -1)
			break;
	}
	return 0;
}
#endif

/* Plain mode: dispatches each complete line in p->buf. */
static int
prompt_plain_lines(struct prompt *p, int eof)
{
	char *nl;
	size_t used;
	int rc;

	for (;;) {
		nl = memchr(p->buf, '\n', p->len);
		if (nl == NULL && !(eof && p->len > 0))
			break;
		used = nl != NULL ? (size_t)(nl - p->buf) + 1 : p->len;
		if (p->discarding) {
			p->discarding = 0;
		} else {
			p->buf[used - (nl != NULL)] = '\0';
			p->shown = 0;
			rc = p->cfg.ops->on_line(
			    p->cfg.arg, p->buf, used - (nl != NULL));
			fflush(stdout);
			if (rc == -1)
				return -1;
		}
		memmove(p->buf, p->buf + used, p->len - used);
		p->len -= used;
		if (p->stopping)
			return -1;
	}
	if (p->len == PROMPT_LINE_MAX) {
		/* Bounded: an endless line is reported once and skipped. */
		if (!p->discarding)
			log_warnx("input line longer than %d bytes ignored",
			    PROMPT_LINE_MAX);
		p->discarding = 1;
		p->len = 0;
	}
	return 0;
}

static int
prompt_plain_run(struct prompt *p)
{
	ssize_t r;
	int rc;

	while (!p->stopping && !prompt_sigterm()) {
		prompt_show(p);
		rc = prompt_wait(p, 1);
		if (rc == -1)
			return -1;
		if (rc == 0) {
			if (sig_take(SIGINT)) {
				/*
				 * The terminal already dropped its typed input;
				 * only bytes read so far tell of a line.
				 */
				int empty = p->len == 0;

				p->len = 0;
				p->discarding = 0;
				if (p->tty_out) {
					/* The terminal has echoed ^C itself. */
					fputs("\n", stdout);
					p->shown = 0;
				}
				prompt_interrupted(p, empty);
				continue;
			}
			break;
		}
		r = read(
		    STDIN_FILENO, p->buf + p->len, PROMPT_LINE_MAX - p->len);
		if (r == -1 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (r == -1)
			return -1;
		if (r == 0) {
			prompt_plain_lines(p, 1);
			if (p->shown)
				fputc('\n', stdout);
			fflush(stdout);
			return 0;
		}
		p->len += (size_t)r;
		if (prompt_plain_lines(p, 0) == -1)
			break;
	}
	return 0;
}

struct prompt *
prompt_open(const struct prompt_config *cfg)
{
	struct prompt *p;

	p = calloc(1, sizeof *p);
	if (p == NULL)
		return NULL;
	p->cfg = *cfg;
	p->text = strdup("> ");
	p->tty_out = isatty(STDOUT_FILENO);
	if (p->text == NULL)
		goto fail;
#ifdef HAVE_LIBEDIT
	/* Line editing only between two terminals; escape codes never go to a file. */
	if (isatty(STDIN_FILENO) && p->tty_out && prompt_el_open(p) == 0)
		p->editing = 1;
#endif
	if (!p->editing) {
		p->buf = malloc(PROMPT_LINE_MAX + 1);
		if (p->buf == NULL)
			goto fail;
	}
	return p;
fail:
	free(p->text);
	free(p);
	errno = ENOMEM;
	return NULL;
}

int
prompt_run(struct prompt *p)
{
	int rc;

	if (sig_catch(prompt_signals) == -1)
		return -1;
	/*
	 * Blocked but inside sig_ppoll(): a signal that comes between the
	 * check of its flag and the wait cannot be missed.
	 */
	sig_block();
#ifdef HAVE_LIBEDIT
	if (p->editing)
		rc = prompt_el_run(p);
	else
#endif
		rc = prompt_plain_run(p);
	sig_unblock();
	sig_restore(prompt_signals);
	return rc;
}

int
prompt_terminated(const struct prompt *p)
{
	(void)p;
	return prompt_sigterm();
}

void
prompt_close(struct prompt *p)
{
	if (p == NULL)
		return;
#ifdef HAVE_LIBEDIT
	if (p->el != NULL)
		el_end(p->el);
	if (p->hist != NULL)
		history_end(p->hist);
#endif
	free(p->buf);
	free(p->text);
	free(p);
}
