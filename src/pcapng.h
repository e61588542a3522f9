/* SPDX-License-Identifier: ISC */
/*
 * Captures as pcapng files (RFC draft-ietf-opsawg-pcapng): a writer of
 * UDP datagrams with synthesised IPv4 or IPv6 and UDP headers, and a
 * reader of pcap and pcapng for replaying them.
 *
 * Written by hand because libpcap's dump API writes only the old pcap
 * format (libpcap 1.10, Debian 12: pcap_dump_open() and nothing for
 * pcapng), which has no interface per socket, no nanosecond resolution
 * without a second magic number, and no comments; and because a capture
 * of what the relay did needs no capture device, no privilege and no
 * library beyond libc.
 */
#ifndef UDPTOOL_PCAPNG_H
#define UDPTOOL_PCAPNG_H

#include <sys/socket.h>

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define PCAPNG_LINKTYPE_ETHERNET 1
#define PCAPNG_LINKTYPE_RAW 101 /* an IPv4 or IPv6 packet, nothing before */
#define PCAPNG_ETHER_HDR 14
/* The longest frame written: Ethernet, IPv6 and a whole UDP datagram. */
#define PCAPNG_FRAME_MAX (PCAPNG_ETHER_HDR + 40 + 65535)

/* The most interfaces a reader keeps; packets on later ones are errors. */
#define PCAPNG_IF_MAX 1024

/*
 * Builds an Ethernet frame (MAC addresses zero) with an IPv4 or IPv6
 * packet carrying one UDP datagram from src to dst (one family;
 * IPv4-mapped IPv6 addresses count as IPv4), with correct lengths and
 * checksums, in out.  Returns its length, or 0 when it does not fit in
 * size or the addresses are not of one IP family.
 *
 * Ethernet rather than raw IP: libpcap 1.10 refuses a pcapng file with a
 * second raw-IP interface ("an interface has a type 101 different from
 * the type of the first interface"), as it compares the second's link
 * type with the first's DLT value, and the two differ only for raw IP.
 */
size_t pcapng_udp_packet(const struct sockaddr *src, const struct sockaddr *dst,
    const uint8_t *payload, size_t len, uint8_t *out, size_t size);

/*
 * Writes the section header block, with comment as its opt_comment when
 * not NULL, to fp.  Returns 0, or -1 with errno set.
 */
int pcapng_write_shb(FILE *fp, const char *comment);

/*
 * Writes an interface description block for Ethernet frames with
 * nanosecond timestamps and no snapshot length, named name (if_name) when not NULL.  The first
 * one written is interface 0, the next 1, and so on.  Returns 0 or -1.
 */
int pcapng_write_idb(FILE *fp, const char *name);

/*
 * Writes an enhanced packet block: packet (len bytes) on interface ifid
 * at ts_ns nanoseconds since the epoch, with comment when not NULL.
 * Returns 0, or -1 with errno set.
 */
int pcapng_write_epb(FILE *fp, uint32_t ifid, uint64_t ts_ns,
    const uint8_t *packet, size_t len, const char *comment);

/* One packet read back. */
struct pcapng_packet {
	uint32_t ifid; /* 0 in a pcap file */
	int linktype;
	uint64_t ts_ns; /* since the epoch */
	const uint8_t *data; /* inside the reader's buffer */
	size_t caplen;
	size_t origlen;
};

struct pcapng_reader {
	const uint8_t *buf;
	size_t len, off;
	int ng; /* pcapng, else pcap */
	int swapped; /* the file's byte order is not ours */
	int linktype; /* pcap */
	uint32_t ts_scale; /* pcap: nanoseconds per unit (1000 or 1) */
	size_t nif;
	struct {
		int linktype;
		uint8_t tsresol;
	} ifs[PCAPNG_IF_MAX];
};

/*
 * Starts reading the capture in buf (pcap in either byte order with
 * microsecond or nanosecond times, or pcapng).  Returns 0, or -1 with err.
 */
int pcapng_reader_init(struct pcapng_reader *r, const uint8_t *buf, size_t len,
    char *err, size_t errlen);

/*
 * Reads the next packet into p, skipping blocks that carry none.  Returns
 * 1, 0 at the end, or -1 with err for a damaged file.
 */
int pcapng_reader_next(
    struct pcapng_reader *r, struct pcapng_packet *p, char *err, size_t errlen);

/* A UDP datagram found in a packet. */
struct pcapng_udp {
	struct sockaddr_storage src, dst;
	socklen_t addrlen;
	const uint8_t *payload; /* inside the packet */
	size_t len; /* payload bytes captured */
};

/*
 * Finds the UDP datagram in a packet of linktype (raw IP or Ethernet, not
 * a fragment).  Returns 0, or -1 when the packet holds none.
 */
int pcapng_udp_decode(
    int linktype, const uint8_t *data, size_t caplen, struct pcapng_udp *u);

#endif
