/* SPDX-License-Identifier: ISC */
/*
 * The prompt history file: checked before it is read, read with bounded
 * memory, written whole through a temporary file renamed over it.
 */
#ifndef UDPTOOL_HISTFILE_H
#define UDPTOOL_HISTFILE_H

#include <sys/types.h>
#include <sys/stat.h>

#include <stddef.h>

#define HISTFILE_COOKIE "_HiStOrY_V2_" /* libedit's first line */
#define HISTFILE_READ_MAX (1024 * 1024) /* only the file's last MiB is read */
#define HISTFILE_LINE_MAX 65536 /* longer encoded lines are skipped */

/*
 * Returns NULL if a directory with these attributes may hold uid's history
 * (a directory owned by uid or root, not writable by group or others unless
 * sticky), else why not.
 */
const char *histfile_dir_check(const struct stat *st, uid_t uid);

/* Returns NULL if st is a regular file owned by uid, else why not. */
const char *histfile_file_check(const struct stat *st, uid_t uid);

/*
 * Encodes s as one line of the file (no newline): graphic ASCII but the
 * backslash as it is, every other byte as \ooo, as vis(3) does.  Writes
 * at most size bytes with a NUL; returns the length of the whole encoding.
 */
size_t histfile_encode(const char *s, char *out, size_t size);

/*
 * Decodes one line in place: \ooo, \^X, \M-X, \M^X, the C escapes and
 * any other bytes as they are (what libedit's H_SAVE and histfile_encode
 * write).  Returns 0, or -1 for a malformed escape or a NUL byte.
 */
int histfile_decode(char *s);

/*
 * Opens the history file path for reading after checking its directory
 * and the file itself, without following a symbolic link or blocking on a
 * FIFO.  Returns 1 with *fdp set, 0 when there is no file yet, or -1 with
 * *why saying why it is not used (errno set).
 */
int histfile_open(const char *path, int *fdp, const char **why);

/*
 * Reads at most the last HISTFILE_READ_MAX bytes of fd and calls add with
 * each decoded line, oldest first, skipping the header, over-long lines
 * and lines that do not decode.  Returns the number of lines, or -1 with
 * errno set.
 */
int histfile_read(int fd, void (*add)(void *arg, const char *line), void *arg);

/*
 * Writes every entry next returns (oldest first, NULL ends) into a new
 * file, mode 0600, in path's directory and renames it over path.  Returns
 * 0, or -1 with errno set and *why naming the step that failed.
 */
int histfile_write(const char *path, const char *(*next)(void *arg), void *arg,
    const char **why);

#endif
