/* SPDX-License-Identifier: ISC */
/*
 * A UDP client's runs over the exchange of client.h: what is sent, the
 * wait for the replies owed, and what the run's end says.
 */
#ifndef UDPTOOL_CLIRUN_H
#define UDPTOOL_CLIRUN_H

#include <stddef.h>
#include <stdint.h>

#include "frame.h"

struct client;
struct replay;

/*
 * Sends buf count times, interval seconds apart (0: as one burst), then
 * waits for the replies owed; stops early on c->stop, a local error, or
 * once --replies N came.
 */
void client_run_args(struct client *c, const uint8_t *buf, size_t len,
    unsigned long long count, double interval);

/*
 * Sends standard input: records cut by frame, each made a datagram by sh,
 * interval seconds apart, at most max of them (0: all), serving replies
 * while input is awaited; then waits for the replies owed.  Returns 0, or
 * -1 after reporting bad input or a local error.
 */
int client_run_stdin(struct client *c, const struct payload_frame *frame,
    const struct frame_shape *sh, unsigned long long max, double interval);

/*
 * Sends the datagrams of a capture in order, each when replay_due_ns()
 * says for speed and interval (-1: the capture's own timing), serving
 * replies between them; then waits for the replies owed.  Stops early as
 * client_run_args() does.
 */
void client_run_replay(
    struct client *c, const struct replay *rp, double speed, double interval);

/*
 * Leaving a prompt: datagrams sent less than c->wait ago are still owed a
 * reply.  Waits until the last of them has had its wait, printing replies
 * as they come, unless all are answered first or a second ^D on standard
 * input or a stop signal says to leave now; those still owed then count
 * as unanswered, not timed out.  quiet: no word about the wait.
 */
void client_leave_wait(struct client *c, int quiet);

/*
 * The last word on a run that did not get what it waited for: no reply
 * matched, nothing was sent (not interactive), or no reply came within
 * the wait (not interactive), with a hint where it helps.  Nothing after
 * a local error or when quiet.
 */
void client_verdict(const struct client *c, int quiet, int interactive);

/*
 * Returns the exit status of the run: 2 after a local error; with an
 * expectation, 0 when a reply matched, else 1; 0 when sending without a
 * wait (-w 0) met no refusal; else 0 when a reply came, otherwise 1.
 */
int client_exit_status(const struct client *c);

#endif
