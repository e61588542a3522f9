/* SPDX-License-Identifier: ISC */
/*
 * The relay engine: a client table with an upstream socket per client,
 * impairments per direction, delayed datagrams, batched sends, counters.
 */
#ifndef UDPTOOL_RELAY_H
#define UDPTOOL_RELAY_H

#include <sys/socket.h>
#include <sys/types.h>

#include <stdint.h>
#include <time.h>

#include "addr.h"
#include "capture.h"
#include "impair.h"
#include "output.h"
#include "sock.h"

#define RL_BATCH 32 /* datagrams per recvmmsg */
#define RL_BUFSIZE 65536 /* larger than any UDP payload */
#define RL_OUT (2 * RL_BATCH) /* sends per flush: each datagram, a copy */
#define RL_EVENTS 64
#define RL_NS 1000000000ULL

enum rl_dir { RL_UP, RL_DOWN, RL_NDIR };

enum rl_drop {
	RL_D_LOSS,
	RL_D_BURST,
	RL_D_MTU,
	RL_D_RATE,
	RL_D_QUEUE,
	RL_D_EXPIRED,
	RL_D_SEND,
	RL_D_N,
};

struct rl_counters {
	uint64_t in, in_bytes, out, out_bytes;
	uint64_t duplicated, reordered, corrupted, delayed;
	uint64_t drop[RL_D_N];
};

union rl_cmsg {
	struct cmsghdr align;
	uint8_t buf[64];
};

struct rl_client {
	struct sockaddr_storage addr;
	socklen_t addrlen;
	int fd; /* -1: a free slot */
	uint32_t gen; /* changes when the slot is freed */
	int next; /* hash chain, -1 at its end */
	uint64_t last_ns;
	struct impair_state st[RL_NDIR];
	union rl_cmsg cmsg; /* reply source for a wildcard listener */
	size_t cmsglen;
	/* for --pcap: the relay's address on each side, and the interface */
	struct sockaddr_storage local, up_local;
	int pcap_if;
};

struct rl_conf {
	struct impair_conf imp[RL_NDIR];
	int json, verbose, family;
	double idle, stats;
	size_t max_clients, queue;
	uint64_t seed;
	int seeded;
	const char *pcap; /* --pcap FILE */
	int no_gso;
	struct addr_spec listen, target;
};

struct rl_relay {
	const struct rl_conf *conf;
	int lfd, ep, wildcard, failed;
	int stop; /* a receive failed: the loop ends */
	int gso; /* segmented sends, until the kernel refuses one */
	int gro; /* a socket receives coalesced datagrams (UDP_GRO) */
	struct sockaddr_storage target;
	socklen_t targetlen;
	struct rl_client *cl;
	int *hash, *freelist;
	size_t hmask, nfree;
	uint64_t hseed;
	struct impair_heap heap;
	struct impair_rng rng;
	int impaired[RL_NDIR];
	struct rl_counters c[RL_NDIR], last[RL_NDIR];
	uint64_t clients, refused, expired, next_sweep_ns;
	int warned_full;
	struct timespec start, last_ts;
	struct out out;
	/* one batch in, and the sends it makes */
	uint8_t *buf;
	struct mmsghdr rmsg[RL_BATCH];
	struct iovec riov[RL_BATCH];
	struct sockaddr_storage from[RL_BATCH];
	/* room for IPV6_PKTINFO and IP_PKTINFO together, on a dual-stack socket */
	union {
		struct cmsghdr align;
		uint8_t buf[SOCK_CMSG_SPACE];
	} rcbuf[RL_BATCH];
	struct mmsghdr smsg[RL_OUT];
	struct iovec siov[RL_OUT];
	int sfd[RL_OUT];
	int sslot[RL_OUT];
	enum rl_dir sdir[RL_OUT];
	int nout;
	/* --pcap */
	struct capture *pcap;
	struct sockaddr_storage local; /* the listening socket's address */
};

/*
 * Allocates the client table, the batch buffers and the timer heap for
 * r->conf, and seeds the random choices.  Returns 0, or -1 having said why.
 */
int rl_alloc(struct rl_relay *r);

/*
 * Opens the --pcap file, if any: its section, and interface 0 for the
 * listening socket.  Returns 0, or -1 having said why.
 */
int rl_pcap_open(struct rl_relay *r);

/*
 * Relays until SIGINT or SIGTERM, or a receive error (r->failed); prints a
 * report on SIGUSR1 and a rate line on SIGALRM.  Signals caught by
 * sig_catch() come in only while it waits, when sig_block() is in force.
 */
void rl_loop(struct rl_relay *r);

/*
 * The summary (final) or a report: one JSON line on stdout with -j, else
 * text on stderr.
 */
void rl_print_report(struct rl_relay *r, int final);

/* Returns the client table slot of sa, or -1. */
int rl_lookup(const struct rl_relay *r, const struct sockaddr *sa);

/*
 * Opens the upstream socket of a new client from sa (mh: the datagram,
 * for its arrival address); returns its slot, or -1.
 */
int rl_client_new(struct rl_relay *r, const struct sockaddr *sa, socklen_t len,
    const struct msghdr *mh, uint64_t now);

/* Frees the clients idle for --idle seconds at now. */
void rl_sweep(struct rl_relay *r, uint64_t now);

/* Returns the milliseconds the loop may sleep at now, rounded up. */
int rl_timeout(const struct rl_relay *r, uint64_t now);

/*
 * Lets fd receive datagrams the kernel would cut apart as one buffer
 * (UDP_GRO), which the relay cuts itself; not with --no-gso.
 */
void rl_gro_enable(struct rl_relay *r, int fd);

/* Returns the datagram size of a coalesced receive mh (UDP_GRO), or 0. */
size_t rl_gro_size(const struct msghdr *mh);

/* Closes and frees what rl_alloc() and the setup opened. */
void rl_release(struct rl_relay *r);

#endif
