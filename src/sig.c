/* SPDX-License-Identifier: ISC */
/*
 * Signals in one place: one handler that sets a flag per signal, and the
 * blocking and ppoll(2) waiting that keep a check and a wait race-free.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <time.h>

#include "sig.h"

static volatile sig_atomic_t sig_flags[NSIG];
static int sig_refs[NSIG];
static struct sigaction sig_old[NSIG];
static sigset_t sig_caught; /* every signal sig_catch() holds */
static sigset_t sig_waitmask; /* the mask from before sig_block() */
static int sig_depth;

static void
sig_handler(int signo)
{
	if (signo > 0 && signo < NSIG)
		sig_flags[signo] = 1;
}

static int
sig_valid(int signo)
{
	return signo > 0 && signo < NSIG;
}

int
sig_catch(const int *signals)
{
	struct sigaction sa;
	sigset_t one;
	size_t i;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = sig_handler;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: poll, recvmmsg and read must return EINTR. */
	sa.sa_flags = 0;
	for (i = 0; signals[i] != 0; i++) {
		if (!sig_valid(signals[i])) {
			errno = EINVAL;
			return -1;
		}
		if (sig_refs[signals[i]]++ > 0)
			continue;
		sig_flags[signals[i]] = 0;
		if (sig_depth > 0) {
			sigemptyset(&one);
			sigaddset(&one, signals[i]);
			pthread_sigmask(SIG_BLOCK, &one, NULL);
		}
		if (sigaction(signals[i], &sa, &sig_old[signals[i]]) == -1) {
			sig_refs[signals[i]]--;
			return -1;
		}
		sigaddset(&sig_caught, signals[i]);
	}
	return 0;
}

void
sig_restore(const int *signals)
{
	size_t i;

	for (i = 0; signals[i] != 0; i++) {
		if (!sig_valid(signals[i]) || sig_refs[signals[i]] == 0 ||
		    --sig_refs[signals[i]] > 0)
			continue;
		sigaction(signals[i], &sig_old[signals[i]], NULL);
		sigdelset(&sig_caught, signals[i]);
	}
}

int
sig_pending(int signo)
{
	return sig_valid(signo) && sig_flags[signo] != 0;
}

int
sig_take(int signo)
{
	if (!sig_pending(signo))
		return 0;
	sig_flags[signo] = 0;
	return 1;
}

void
sig_set(int signo)
{
	if (sig_valid(signo))
		sig_flags[signo] = 1;
}

void
sig_block(void)
{
	if (sig_depth++ == 0)
		pthread_sigmask(SIG_BLOCK, &sig_caught, &sig_waitmask);
	else
		pthread_sigmask(SIG_BLOCK, &sig_caught, NULL);
}

void
sig_unblock(void)
{
	if (sig_depth > 0 && --sig_depth == 0)
		pthread_sigmask(SIG_SETMASK, &sig_waitmask, NULL);
}

int
sig_ppoll(struct pollfd *pfd, nfds_t n, int timeout_ms)
{
	struct timespec ts;

	ts.tv_sec = timeout_ms / 1000;
	ts.tv_nsec = (long)(timeout_ms % 1000) * 1000000;
	return ppoll(pfd, n, timeout_ms < 0 ? NULL : &ts,
	    sig_depth > 0 ? &sig_waitmask : NULL);
}

const sigset_t *
sig_waitset(void)
{
	return sig_depth > 0 ? &sig_waitmask : NULL;
}
