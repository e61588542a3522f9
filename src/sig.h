/* SPDX-License-Identifier: ISC */
/*
 * Signals in one place: handlers that only set flags, and waits that let
 * the blocked signals in atomically, so a signal is never missed.
 */
#ifndef UDPTOOL_SIG_H
#define UDPTOOL_SIG_H

#include <poll.h>
#include <signal.h>

/*
 * Catches each signal of the list, which ends with 0: its handler sets the
 * signal's flag, without SA_RESTART, so that a blocking call returns EINTR.
 * Catches nest: a signal caught already keeps its flag, and its previous
 * action comes back only when every catch of it is released.  A signal
 * caught while sig_block() is in force is blocked too.  Returns 0, or -1
 * with errno set.
 */
int sig_catch(const int *signals);

/* Releases sig_catch(signals): the last release restores each action. */
void sig_restore(const int *signals);

/* Returns 1 if signo came since its flag was last cleared. */
int sig_pending(int signo);

/* Returns sig_pending(signo) and clears the flag. */
int sig_take(int signo);

/* Sets the flag of signo as its signal would (a stop from the program). */
void sig_set(int signo);

/*
 * Blocks every signal caught, in this thread, until sig_unblock(); only
 * sig_ppoll() lets them in.  Blocks nest.
 */
void sig_block(void);

/* Ends a sig_block(): the last one restores the mask from before. */
void sig_unblock(void);

/*
 * poll(2) for at most timeout_ms (-1: no limit) that, inside sig_block(),
 * lets the caught signals in while it waits and only then: a signal sent
 * after its flag was checked makes it return -1 with errno EINTR at once.
 */
int sig_ppoll(struct pollfd *pfd, nfds_t n, int timeout_ms);

/*
 * Returns the mask for a wait of another kind (epoll_pwait) that lets the
 * caught signals in as sig_ppoll() does, or NULL outside sig_block().
 */
const sigset_t *sig_waitset(void);

#endif
