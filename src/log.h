/* SPDX-License-Identifier: ISC */
/*
 * Diagnostics on stderr, prefixed "udptool: COMMAND: ", in the style of
 * warn(3) and warnx(3).
 */
#ifndef UDPTOOL_LOG_H
#define UDPTOOL_LOG_H

/* Sets the command name used in the prefix (NULL for none). */
void log_set_command(const char *name);

/* Prints a message followed by strerror(errno). */
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints a message. */
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
