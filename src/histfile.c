/* SPDX-License-Identifier: ISC */
/*
 * The prompt history file, kept safe from other users who can write near
 * it: no symbolic link followed, no FIFO waited on, no file of theirs read,
 * bounded reads, and whole-file writes by rename(2).
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "histfile.h"

const char *
histfile_dir_check(const struct stat *st, uid_t uid)
{
	if (!S_ISDIR(st->st_mode))
		return "its directory is not a directory";
	if (st->st_uid != uid && st->st_uid != 0)
		return "its directory belongs to another user";
	/* In a sticky directory others may add files but not replace ours. */
	if ((st->st_mode & (S_IWGRP | S_IWOTH)) != 0 &&
	    (st->st_mode & S_ISVTX) == 0)
		return "its directory is writable by group or others";
	return NULL;
}

const char *
histfile_file_check(const struct stat *st, uid_t uid)
{
	if (!S_ISREG(st->st_mode))
		return "not a regular file";
	if (st->st_uid != uid)
		return "owned by another user";
	return NULL;
}

size_t
histfile_encode(const char *s, char *out, size_t size)
{
	const unsigned char *u = (const unsigned char *)s;
	char tmp[5];
	size_t n = 0, k, i;

	for (; *u != '\0'; u++) {
		if (*u > ' ' && *u < 0x7f && *u != '\\') {
			tmp[0] = (char)*u;
			k = 1;
		} else {
			tmp[0] = '\\';
			tmp[1] = (char)('0' + ((*u >> 6) & 7));
			tmp[2] = (char)('0' + ((*u >> 3) & 7));
			tmp[3] = (char)('0' + (*u & 7));
			k = 4;
		}
		for (i = 0; i < k; i++, n++) {
			if (n + 1 < size)
				out[n] = tmp[i];
		}
	}
	if (size > 0)
		out[n < size ? n : size - 1] = '\0';
	return n;
}

/* Decodes one escape after the backslash at *sp; returns the byte or -1. */
static int
histfile_unescape(const char **sp)
{
	const char *s = *sp;
	int c, meta = 0, i;

	if (s[0] == 'M' && (s[1] == '-' || s[1] == '^')) {
		meta = 0x80;
		s++;
		if (*s == '-') {
			s++;
			if (*s == '\0')
				return -1;
			*sp = s + 1;
			return meta | (unsigned char)*s;
		}
	}
	if (*s == '^') {
		s++;
		if (*s == '\0')
			return -1;
		c = *s == '?' ? 0x7f : (unsigned char)*s & 0x1f;
		*sp = s + 1;
		return meta | c;
	}
	if (meta)
		return -1;
	if (*s >= '0' && *s <= '7') {
		for (c = 0, i = 0; i < 3 && s[i] >= '0' && s[i] <= '7'; i++)
			c = c * 8 + (s[i] - '0');
		if (c > 0xff)
			return -1;
		*sp = s + i;
		return c;
	}
	switch (*s) {
	case 'n':
		c = '\n';
		break;
	case 't':
		c = '\t';
		break;
	case 'r':
		c = '\r';
		break;
	case 'b':
		c = '\b';
		break;
	case 'a':
		c = '\a';
		break;
	case 'v':
		c = '\v';
		break;
	case 'f':
		c = '\f';
		break;
	case 's':
		c = ' ';
		break;
	case 'E':
		c = 033;
		break;
	case '\\':
	case '$':
	case '"':
		c = (unsigned char)*s;
		break;
	default:
		return -1;
	}
	*sp = s + 1;
	return c;
}

int
histfile_decode(char *s)
{
	const char *r = s;
	char *w = s;
	int c;

	while (*r != '\0') {
		if (*r != '\\') {
			*w++ = *r++;
			continue;
		}
		r++;
		c = histfile_unescape(&r);
		if (c <= 0)
			return -1;
		*w++ = (char)c;
	}
	*w = '\0';
	return 0;
}

/* Splits path into its directory (in dir) and last name; returns it or NULL. */
static const char *
histfile_split(const char *path, char *dir, size_t size)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL || slash[1] == '\0' ||
	    (size_t)(slash - path) + 2 > size) {
		errno = EINVAL;
		return NULL;
	}
	if (slash == path)
		strcpy(dir, "/");
	else
		snprintf(dir, size, "%.*s", (int)(slash - path), path);
	return slash + 1;
}

/* Opens and checks path's directory; returns its descriptor or -1. */
static int
histfile_open_dir(const char *path, const char **base, const char **why)
{
	char dir[PATH_MAX];
	struct stat st;
	int dfd;

	*base = histfile_split(path, dir, sizeof dir);
	if (*base == NULL) {
		*why = "not a file name";
		return -1;
	}
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd == -1) {
		*why = "cannot open its directory";
		return -1;
	}
	if (fstat(dfd, &st) == -1) {
		*why = "cannot stat its directory";
		close(dfd);
		return -1;
	}
	if ((*why = histfile_dir_check(&st, getuid())) != NULL) {
		close(dfd);
		errno = EPERM;
		return -1;
	}
	return dfd;
}

int
histfile_open(const char *path, int *fdp, const char **why)
{
	const char *base;
	struct stat st;
	int dfd, fd, saved;

	*why = NULL;
	if ((dfd = histfile_open_dir(path, &base, why)) == -1)
		return -1;
	/* Non-blocking: a FIFO planted here must not hang the prompt. */
	fd = openat(dfd, base, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	saved = errno;
	close(dfd);
	if (fd == -1) {
		errno = saved;
		if (errno == ENOENT)
			return 0;
		*why = errno == ELOOP ? "a symbolic link" : "cannot open it";
		return -1;
	}
	if (fstat(fd, &st) == -1) {
		*why = "cannot stat it";
		goto fail;
	}
	if ((*why = histfile_file_check(&st, getuid())) != NULL) {
		errno = EPERM;
		goto fail;
	}
	*fdp = fd;
	return 1;
fail:
	saved = errno;
	close(fd);
	errno = saved;
	return -1;
}

int
histfile_read(int fd, void (*add)(void *arg, const char *line), void *arg)
{
	char chunk[8192], *line;
	struct stat st;
	size_t len = 0, total = 0;
	ssize_t r, i;
	int skip = 0, first = 1, n = 0, saved;

	if (fstat(fd, &st) == -1)
		return -1;
	if (st.st_size > HISTFILE_READ_MAX) {
		/* Only the tail; its first, partial line is skipped. */
		if (lseek(fd, st.st_size - HISTFILE_READ_MAX, SEEK_SET) == -1)
			return -1;
		skip = 1;
		first = 0;
	}
	line = malloc(HISTFILE_LINE_MAX + 1);
	if (line == NULL)
		return -1;
	/* Bounded even if the file grows while it is read. */
	while (total < HISTFILE_READ_MAX) {
		r = read(fd, chunk, sizeof chunk);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			saved = errno;
			free(line);
			errno = saved;
			return -1;
		}
		if (r == 0)
			break;
		total += (size_t)r;
		for (i = 0; i < r; i++) {
			if (chunk[i] != '\n') {
				if (len < HISTFILE_LINE_MAX)
					line[len++] = chunk[i];
				else
					skip = 1;
				continue;
			}
			line[len] = '\0';
			if (!skip &&
			    !(first && strcmp(line, HISTFILE_COOKIE) == 0) &&
			    memchr(line, '\0', len) == NULL &&
			    histfile_decode(line) == 0 && line[0] != '\0') {
				add(arg, line);
				n++;
			}
			first = skip = 0;
			len = 0;
		}
	}
	free(line);
	return n;
}

int
histfile_write(const char *path, const char *(*next)(void *arg), void *arg,
    const char **why)
{
	char tmp[PATH_MAX], *enc = NULL, *grown;
	const char *base, *s;
	size_t need, encsize = 0;
	FILE *fp = NULL;
	int dfd, fd, saved;

	if ((dfd = histfile_open_dir(path, &base, why)) == -1)
		return -1;
	close(dfd);
	if (snprintf(tmp, sizeof tmp, "%.*s.%s.XXXXXX", (int)(base - path),
		path, base) >= (int)sizeof tmp) {
		*why = "name too long";
		errno = ENAMETOOLONG;
		return -1;
	}
	/* mkstemp(3) creates it 0600 with O_EXCL: nothing is followed. */
	if ((fd = mkstemp(tmp)) == -1) {
		*why = "cannot create a temporary file";
		return -1;
	}
	if (fchmod(fd, 0600) == -1 || (fp = fdopen(fd, "w")) == NULL) {
		*why = "cannot write a temporary file";
		goto fail;
	}
	fd = -1;
	*why = "cannot write a temporary file";
	if (fputs(HISTFILE_COOKIE "\n", fp) == EOF)
		goto fail;
	while ((s = next(arg)) != NULL) {
		need = histfile_encode(s, NULL, 0);
		/* What histfile_read would skip is not written. */
		if (need == 0 || need > HISTFILE_LINE_MAX)
			continue;
		if (need + 1 > encsize) {
			if ((grown = realloc(enc, need + 1)) == NULL)
				goto fail;
			enc = grown;
			encsize = need + 1;
		}
		histfile_encode(s, enc, encsize);
		if (fputs(enc, fp) == EOF || putc('\n', fp) == EOF)
			goto fail;
	}
	if (fflush(fp) == EOF || fsync(fileno(fp)) == -1)
		goto fail;
	if (fclose(fp) == EOF) {
		fp = NULL;
		goto fail;
	}
	fp = NULL;
	/* Replaces whatever the name holds, a planted link included. */
	if (rename(tmp, path) == -1) {
		*why = "cannot rename the temporary file over it";
		goto fail;
	}
	free(enc);
	*why = NULL;
	return 0;
fail:
	saved = errno;
	if (fp != NULL)
		fclose(fp);
	if (fd != -1)
		close(fd);
	unlink(tmp);
	free(enc);
	errno = saved;
	return -1;
}
