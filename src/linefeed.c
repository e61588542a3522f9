/* SPDX-License-Identifier: ISC */
/*
 * Lines from a pipe or a file, each handed on as it completes; a line that
 * nobody can take yet is held, and reading stops until it is released.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "linefeed.h"
#include "sig.h"

void
linefeed_init(struct linefeed *lf, int fd, char *line, size_t size,
    linefeed_fn fn, void *arg)
{
	memset(lf, 0, sizeof *lf);
	lf->fd = fd;
	lf->open = 1;
	lf->line = line;
	lf->size = size;
	lf->fn = fn;
	lf->arg = arg;
}

/* Hands on the complete line in lf->line; returns 1 when it is held. */
static int
linefeed_done(struct linefeed *lf)
{
	if (lf->fn(lf->arg, lf->line, lf->len, lf->overlong) == LINEFEED_HOLD &&
	    !lf->overlong) {
		lf->held = 1;
		return 1;
	}
	lf->len = 0;
	lf->overlong = 0;
	return 0;
}

/* Takes lines from the bytes read ahead until one has to wait. */
static void
linefeed_feed(struct linefeed *lf)
{
	char c;

	while (!lf->held && lf->pendoff < lf->pendlen) {
		c = lf->pend[lf->pendoff++];
		if (lf->len < lf->size)
			lf->line[lf->len++] = c;
		else
			lf->overlong = 1;
		if (c == '\n')
			linefeed_done(lf);
	}
}

int
linefeed_wanted(const struct linefeed *lf)
{
	return lf->open && !lf->held && lf->pendoff == lf->pendlen;
}

void
linefeed_read(struct linefeed *lf)
{
	ssize_t n;

	n = read(lf->fd, lf->pend, sizeof lf->pend);
	if (n == -1 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		lf->open = 0;
		/* A last line without a newline still goes out. */
		if (lf->len > 0 && !lf->overlong) {
			linefeed_done(lf);
			return;
		}
		lf->len = 0;
		return;
	}
	lf->pendlen = (size_t)n;
	lf->pendoff = 0;
	linefeed_feed(lf);
}

int
linefeed_poll(struct linefeed *lf, int fd, int timeout_ms)
{
	struct pollfd pfd[2];
	nfds_t n = 1;

	pfd[0].fd = fd;
	pfd[0].events = POLLIN;
	if (linefeed_wanted(lf)) {
		pfd[1].fd = lf->fd;
		pfd[1].events = POLLIN;
		n = 2;
	}
	if (sig_ppoll(pfd, n, timeout_ms) == -1)
		return -1;
	/* The end of input or an error there: linefeed_read() says which. */
	if (n == 2 && (pfd[1].revents & (POLLIN | POLLHUP | POLLERR)))
		linefeed_read(lf);
	return (pfd[0].revents & POLLIN) != 0;
}

void
linefeed_release(struct linefeed *lf)
{
	if (!lf->held)
		return;
	lf->held = 0;
	if (linefeed_done(lf))
		return;
	linefeed_feed(lf);
}

ssize_t
linefeed_datagram(const char *line, size_t len, enum payload_mode mode,
    const char *eol, uint8_t *out, size_t size, char *err, size_t errlen)
{
	size_t elen = eol != NULL ? strlen(eol) : 0;
	ssize_t n;

	if (len > 0 && line[len - 1] == '\n')
		len--;
	if (len > 0 && line[len - 1] == '\r')
		len--;
	n = payload_decode(line, len, mode, out, size, err, errlen);
	if (n < 0 || elen == 0)
		return n;
	if ((size_t)n + elen > size) {
		snprintf(err, errlen, "%zd bytes and the line end exceed %zu",
		    n, size);
		return -1;
	}
	memcpy(out + n, eol, elen);
	return n + (ssize_t)elen;
}
