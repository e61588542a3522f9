/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for the history file: the directory and file checks over
 * stat values, the line encoder and decoder (libedit's own escapes too),
 * the bounded reader, and the write by rename.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/types.h>

#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "histfile.h"

static struct stat
mkstat(mode_t mode, uid_t uid)
{
	struct stat st;

	memset(&st, 0, sizeof st);
	st.st_mode = mode;
	st.st_uid = uid;
	return st;
}

static void
test_dir_check(void **state)
{
	struct stat st;

	(void)state;
	st = mkstat(S_IFDIR | 0700, 1000);
	assert_null(histfile_dir_check(&st, 1000));
	st = mkstat(S_IFDIR | 0755, 0);
	assert_null(histfile_dir_check(&st, 1000));
	st = mkstat(S_IFDIR | 0700, 1001);
	assert_string_equal(histfile_dir_check(&st, 1000),
	    "its directory belongs to another user");
	st = mkstat(S_IFDIR | 0777, 1000);
	assert_string_equal(histfile_dir_check(&st, 1000),
	    "its directory is writable by group or others");
	st = mkstat(S_IFDIR | 0720, 1000);
	assert_non_null(histfile_dir_check(&st, 1000));
	/* Sticky, like /tmp: others cannot replace what we own. */
	st = mkstat(S_IFDIR | S_ISVTX | 0777, 0);
	assert_null(histfile_dir_check(&st, 1000));
	st = mkstat(S_IFDIR | S_ISVTX | 0777, 1001);
	assert_non_null(histfile_dir_check(&st, 1000));
	st = mkstat(S_IFREG | 0700, 1000);
	assert_non_null(histfile_dir_check(&st, 1000));
}

static void
test_file_check(void **state)
{
	struct stat st;

	(void)state;
	st = mkstat(S_IFREG | 0600, 1000);
	assert_null(histfile_file_check(&st, 1000));
	st = mkstat(S_IFREG | 0600, 0);
	assert_string_equal(
	    histfile_file_check(&st, 1000), "owned by another user");
	st = mkstat(S_IFIFO | 0600, 1000);
	assert_string_equal(
	    histfile_file_check(&st, 1000), "not a regular file");
	st = mkstat(S_IFLNK | 0777, 1000);
	assert_non_null(histfile_file_check(&st, 1000));
	st = mkstat(S_IFCHR | 0600, 1000);
	assert_non_null(histfile_file_check(&st, 1000));
}

static void
test_encode(void **state)
{
	char out[64];

	(void)state;
	assert_int_equal(histfile_encode("plain", out, sizeof out), 5);
	assert_string_equal(out, "plain");
	assert_int_equal(histfile_encode("a b\\c\td\n", out, sizeof out), 20);
	assert_string_equal(out, "a\\040b\\134c\\011d\\012");
	assert_int_equal(
	    histfile_encode("\x01\x7f\xc3\xa9", out, sizeof out), 16);
	assert_string_equal(out, "\\001\\177\\303\\251");
	/* Truncated like snprintf: the length is still the whole encoding. */
	assert_int_equal(histfile_encode("a b", out, 4), 6);
	assert_string_equal(out, "a\\0");
	assert_int_equal(histfile_encode("a b", NULL, 0), 6);
}

static void
test_decode(void **state)
{
	char s[64];

	(void)state;
	/* What libedit's H_SAVE wrote (checked against libedit 3.1). */
	strcpy(s, "a\\040b\\134c\\011d");
	assert_int_equal(histfile_decode(s), 0);
	assert_string_equal(s, "a b\\c\td");
	strcpy(s, "x\\^Ay\\^?\\M-C\\M-)z\\012");
	assert_int_equal(histfile_decode(s), 0);
	assert_string_equal(s, "x\001y\177\303\251z\n");
	strcpy(s, "\\M^A\\s\\n\\t\\E\\\\");
	assert_int_equal(histfile_decode(s), 0);
	assert_string_equal(s, "\201 \n\t\033\\");
	strcpy(s, "raw \xc3\xa9 utf-8");
	assert_int_equal(histfile_decode(s), 0);
	assert_string_equal(s, "raw \xc3\xa9 utf-8");
	/* Malformed: a lone backslash, an unknown escape, a NUL, \400. */
	strcpy(s, "end\\");
	assert_int_equal(histfile_decode(s), -1);
	strcpy(s, "\\q");
	assert_int_equal(histfile_decode(s), -1);
	strcpy(s, "a\\000b");
	assert_int_equal(histfile_decode(s), -1);
	strcpy(s, "\\400");
	assert_int_equal(histfile_decode(s), -1);
	strcpy(s, "\\M-");
	assert_int_equal(histfile_decode(s), -1);
}

static void
test_roundtrip(void **state)
{
	char in[256], out[1024];
	int i;

	(void)state;
	for (i = 1; i < 256; i++)
		in[i - 1] = (char)i;
	in[255] = '\0';
	histfile_encode(in, out, sizeof out);
	assert_null(strchr(out, ' '));
	assert_null(strchr(out, '\n'));
	assert_int_equal(histfile_decode(out), 0);
	assert_string_equal(out, in);
}

struct lines {
	char got[8][64];
	int n;
};

static void
add(void *arg, const char *line)
{
	struct lines *l = arg;

	assert_true(l->n < 8);
	snprintf(l->got[l->n++], sizeof l->got[0], "%s", line);
}

static const char *entries[] = {"first", "with space", "back\\slash", NULL};

static const char *
next(void *arg)
{
	int *i = arg;

	return entries[*i] == NULL ? NULL : entries[(*i)++];
}

/* Writes through histfile_write() and reads back with histfile_read(). */
static void
test_write_read(void **state)
{
	char dir[] = "/tmp/test-histfile.XXXXXX", path[PATH_MAX];
	const char *why;
	struct lines l;
	struct stat st;
	ino_t ino;
	int fd, i = 0;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/history", dir);
	/* A planted link is replaced, its target untouched. */
	assert_int_equal(symlink("/nonexistent/target", path), 0);
	assert_int_equal(histfile_open(path, &fd, &why), -1);
	assert_string_equal(why, "a symbolic link");
	assert_int_equal(histfile_write(path, next, &i, &why), 0);
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0600);
	ino = st.st_ino;
	assert_int_equal(histfile_open(path, &fd, &why), 1);
	memset(&l, 0, sizeof l);
	assert_int_equal(histfile_read(fd, add, &l), 3);
	close(fd);
	assert_string_equal(l.got[0], "first");
	assert_string_equal(l.got[1], "with space");
	assert_string_equal(l.got[2], "back\\slash");
	i = 0;
	assert_int_equal(histfile_write(path, next, &i, &why), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_true(st.st_ino != ino);
	unlink(path);
	/* Missing: no history yet, not an error. */
	assert_int_equal(histfile_open(path, &fd, &why), 0);
	assert_int_equal(rmdir(dir), 0);
}

/* Over-long lines are skipped; only the last HISTFILE_READ_MAX is read. */
static void
test_read_bounds(void **state)
{
	char path[] = "/tmp/test-histfile-big.XXXXXX";
	struct lines l;
	char *big;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd != -1);
	unlink(path);
	big = malloc(HISTFILE_LINE_MAX + 2);
	assert_non_null(big);
	memset(big, 'x', HISTFILE_LINE_MAX + 1);
	big[HISTFILE_LINE_MAX + 1] = '\n';
	assert_int_equal(write(fd, HISTFILE_COOKIE "\nold\n", 17), 17);
	assert_int_equal(
	    write(fd, big, HISTFILE_LINE_MAX + 2), HISTFILE_LINE_MAX + 2);
	assert_int_equal(write(fd, "kept\n", 5), 5);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	memset(&l, 0, sizeof l);
	assert_int_equal(histfile_read(fd, add, &l), 2);
	assert_string_equal(l.got[0], "old");
	assert_string_equal(l.got[1], "kept");
	/* Past the read limit the head, header included, is never seen. */
	assert_int_equal(ftruncate(fd, 0), 0);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	assert_int_equal(write(fd, "head\n", 5), 5);
	assert_int_equal(
	    lseek(fd, HISTFILE_READ_MAX, SEEK_SET), HISTFILE_READ_MAX);
	assert_int_equal(write(fd, "\ntail\n", 6), 6);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	memset(&l, 0, sizeof l);
	assert_int_equal(histfile_read(fd, add, &l), 1);
	assert_string_equal(l.got[0], "tail");
	free(big);
	close(fd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_dir_check),
	    cmocka_unit_test(test_file_check),
	    cmocka_unit_test(test_encode),
	    cmocka_unit_test(test_decode),
	    cmocka_unit_test(test_roundtrip),
	    cmocka_unit_test(test_write_read),
	    cmocka_unit_test(test_read_bounds),
	};

	return cmocka_run_group_tests_name("histfile", tests, NULL, NULL);
}
