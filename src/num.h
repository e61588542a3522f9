/* SPDX-License-Identifier: ISC */
/*
 * Numbers on the command line and at the prompt: one grammar for every
 * command (decimal, leading zeros and all; 0x hex only where a byte or
 * flag value is meant), in the manner of OpenBSD's strtonum(3).
 */
#ifndef UDPTOOL_NUM_H
#define UDPTOOL_NUM_H

#define NUM_HEX 0x01 /* also "0x10": a byte or flag value such as a TOS */
#define NUM_NONZERO 0x02 /* num_seconds(): more than 0, even when min is 0 */

/*
 * Parses a whole number in [min, max]: decimal digits ("010" is ten, never
 * octal), or with NUM_HEX "0x" and hex digits.  No sign, no spaces, no
 * trailing text.  Returns 0 with *out set, or -1 with *errstr "invalid",
 * "too small" or "too large".
 */
int num_int(const char *s, long long min, long long max, int flags,
    long long *out, const char **errstr);

/*
 * Parses a decimal number ("0.5", "2", "1e3") in [min, max]; no hex, inf
 * or nan.  Returns 0 with *out set, or -1 with *errstr as num_int().
 */
int num_double(
    const char *s, double min, double max, double *out, const char **errstr);

/*
 * Parses a size in bytes: a whole number with an optional K, M or G
 * (powers of 1024, either case), in [min, max].  Returns 0 or -1 with
 * *errstr as num_int().
 */
int num_size(const char *s, long long min, long long max, long long *out,
    const char **errstr);

/*
 * Parses a duration in seconds as num_double() ("0.5", "2") in [min, max];
 * with NUM_NONZERO, 0 is "too small".  Returns 0 with *out set, or -1
 * with *errstr as num_int().
 */
int num_seconds(const char *s, double min, double max, int flags, double *out,
    const char **errstr);

/* Returns the value of hex digit c (either case), or -1. */
int num_hexval(int c);

#endif
