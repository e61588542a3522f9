/* SPDX-License-Identifier: ISC */
/*
 * pcapng writing with synthesised IP and UDP headers, and pcap and pcapng
 * reading; why by hand is in pcapng.h.
 */
#include "config.h"

#include <sys/socket.h>

#include <netinet/in.h>

#include <errno.h>
#include <string.h>

#include "addr.h"
#include "errmsg.h"
#include "pcapng.h"

#define PCAPNG_SHB 0x0a0d0d0aU
#define PCAPNG_IDB 0x00000001U
#define PCAPNG_SPB 0x00000003U
#define PCAPNG_EPB 0x00000006U
#define PCAPNG_BOM 0x1a2b3c4dU
#define PCAPNG_OPT_END 0
#define PCAPNG_OPT_COMMENT 1
#define PCAPNG_OPT_IF_NAME 2
#define PCAPNG_OPT_IF_TSRESOL 9
#define PCAPNG_BLOCK_MAX (16U << 20) /* a larger block is damage */
#define PCAP_MAGIC_US 0xa1b2c3d4U
#define PCAP_MAGIC_NS 0xa1b23c4dU

/* Sums 16-bit big-endian words (RFC 1071), carrying into sum. */
static uint32_t
pcapng_sum(uint32_t sum, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static uint16_t
pcapng_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void
pcapng_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* Copies an AF_INET or AF_INET6 address, IPv4-mapped ones as IPv4. */
static int
pcapng_addr(const struct sockaddr *sa, struct sockaddr_storage *ss)
{
	socklen_t len;

	if (sa->sa_family == AF_INET)
		len = sizeof(struct sockaddr_in);
	else if (sa->sa_family == AF_INET6)
		len = sizeof(struct sockaddr_in6);
	else
		return -1;
	memset(ss, 0, sizeof *ss);
	memcpy(ss, sa, len);
	addr_unmap(ss, &len);
	return ss->ss_family;
}

size_t
pcapng_udp_packet(const struct sockaddr *src, const struct sockaddr *dst,
    const uint8_t *payload, size_t len, uint8_t *out, size_t size)
{
	struct sockaddr_storage s, d;
	const uint8_t *sa, *da;
	size_t hdr, alen, udplen = len + 8;
	uint32_t sum;
	uint8_t *udp;
	int fam;

	if ((fam = pcapng_addr(src, &s)) == -1 || pcapng_addr(dst, &d) != fam)
		return 0;
	hdr = fam == AF_INET ? 20 : 40;
	alen = fam == AF_INET ? 4 : 16;
	if (len > 65535 - 8 - (fam == AF_INET ? hdr : 0) ||
	    PCAPNG_ETHER_HDR + hdr + udplen > size)
		return 0;
	/* Ethernet: no addresses, then the type of what follows. */
	memset(out, 0, PCAPNG_ETHER_HDR);
	pcapng_put16(out + 12, fam == AF_INET ? 0x0800 : 0x86dd);
	out += PCAPNG_ETHER_HDR;
	if (fam == AF_INET) {
		sa = (const uint8_t *)&((struct sockaddr_in *)&s)->sin_addr;
		da = (const uint8_t *)&((struct sockaddr_in *)&d)->sin_addr;
	} else {
		sa = (const uint8_t *)&((struct sockaddr_in6 *)&s)->sin6_addr;
		da = (const uint8_t *)&((struct sockaddr_in6 *)&d)->sin6_addr;
	}
	memset(out, 0, hdr + 8);
	if (fam == AF_INET) {
		out[0] = 0x45;
		pcapng_put16(out + 2, (uint16_t)(hdr + udplen));
		out[8] = 64; /* TTL */
		out[9] = IPPROTO_UDP;
		memcpy(out + 12, sa, 4);
		memcpy(out + 16, da, 4);
		pcapng_put16(out + 10, pcapng_fold(pcapng_sum(0, out, 20)));
	} else {
		out[0] = 0x60;
		pcapng_put16(out + 4, (uint16_t)udplen);
		out[6] = IPPROTO_UDP;
		out[7] = 64; /* hop limit */
		memcpy(out + 8, sa, 16);
		memcpy(out + 24, da, 16);
	}
	udp = out + hdr;
	pcapng_put16(udp, addr_get_port((struct sockaddr *)&s));
	pcapng_put16(udp + 2, addr_get_port((struct sockaddr *)&d));
	pcapng_put16(udp + 4, (uint16_t)udplen);
	if (len > 0) /* an empty datagram may come with no buffer */
		memcpy(udp + 8, payload, len);
	/* The pseudo-header: addresses, protocol and UDP length. */
	sum = pcapng_sum(0, sa, alen);
	sum = pcapng_sum(sum, da, alen);
	sum += IPPROTO_UDP + (uint32_t)(udplen & 0xffff) +
	    (uint32_t)(udplen >> 16);
	sum = pcapng_fold(pcapng_sum(sum, udp, udplen));
	pcapng_put16(udp + 6, sum == 0 ? 0xffff : (uint16_t)sum);
	return PCAPNG_ETHER_HDR + hdr + udplen;
}

static size_t
pcapng_pad(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

/* Bytes an option of len bytes takes, its header and padding included. */
static size_t
pcapng_optlen(const char *s)
{
	return s != NULL ? 4 + pcapng_pad(strlen(s)) : 0;
}

static int
pcapng_write(FILE *fp, const void *p, size_t len)
{
	if (len == 0) /* fwrite() must not see the NULL of an empty option */
		return 0;
	return fwrite(p, 1, len, fp) == len ? 0 : -1;
}

static int
pcapng_write_u32(FILE *fp, uint32_t v)
{
	return pcapng_write(fp, &v, 4);
}

/* Writes option code with value (len bytes), padded to 32 bits. */
static int
pcapng_write_opt(FILE *fp, uint16_t code, const void *val, size_t len)
{
	static const uint8_t zero[4];
	uint16_t h[2] = {code, (uint16_t)len};

	if (pcapng_write(fp, h, 4) == -1 || pcapng_write(fp, val, len) == -1)
		return -1;
	return pcapng_write(fp, zero, pcapng_pad(len) - len);
}

/* Writes the comment option, if any, and the end of options. */
static int
pcapng_write_tail(FILE *fp, const char *comment, int any)
{
	if (comment != NULL &&
	    pcapng_write_opt(
		fp, PCAPNG_OPT_COMMENT, comment, strlen(comment)) == -1)
		return -1;
	if ((comment != NULL || any) &&
	    pcapng_write_opt(fp, PCAPNG_OPT_END, NULL, 0) == -1)
		return -1;
	return 0;
}

int
pcapng_write_shb(FILE *fp, const char *comment)
{
	uint32_t len =
	    28 + (uint32_t)(comment != NULL ? pcapng_optlen(comment) + 4 : 0);
	uint32_t hdr[3] = {PCAPNG_SHB, len, PCAPNG_BOM};
	int64_t unknown = -1; /* section length */

	if (comment != NULL && strlen(comment) > 65535)
		return errno = EINVAL, -1;
	if (pcapng_write(fp, hdr, 12) == -1 ||
	    pcapng_write(fp, (uint16_t[2]){1, 0}, 4) == -1 || /* version 1.0 */
	    pcapng_write(fp, &unknown, 8) == -1 ||
	    pcapng_write_tail(fp, comment, 0) == -1 ||
	    pcapng_write_u32(fp, len) == -1)
		return -1;
	return 0;
}

int
pcapng_write_idb(FILE *fp, const char *name)
{
	uint32_t len = 20 + 8 + (uint32_t)pcapng_optlen(name) + 4;
	uint16_t lt[2] = {PCAPNG_LINKTYPE_ETHERNET, 0};
	uint8_t nanoseconds = 9;

	if (name != NULL && strlen(name) > 65535)
		return errno = EINVAL, -1;
	if (pcapng_write_u32(fp, PCAPNG_IDB) == -1 ||
	    pcapng_write_u32(fp, len) == -1 || pcapng_write(fp, lt, 4) == -1 ||
	    pcapng_write_u32(fp, 0) == -1 || /* no snapshot length */
	    pcapng_write_opt(fp, PCAPNG_OPT_IF_TSRESOL, &nanoseconds, 1) ==
		-1 ||
	    (name != NULL &&
		pcapng_write_opt(fp, PCAPNG_OPT_IF_NAME, name, strlen(name)) ==
		    -1) ||
	    pcapng_write_tail(fp, NULL, 1) == -1 ||
	    pcapng_write_u32(fp, len) == -1)
		return -1;
	return 0;
}

int
pcapng_write_epb(FILE *fp, uint32_t ifid, uint64_t ts_ns, const uint8_t *packet,
    size_t len, const char *comment)
{
	static const uint8_t zero[4];
	uint32_t blen, h[7];

	if (len > PCAPNG_FRAME_MAX ||
	    (comment != NULL && strlen(comment) > 65535))
		return errno = EINVAL, -1;
	blen = 32 + (uint32_t)pcapng_pad(len) +
	    (uint32_t)(comment != NULL ? pcapng_optlen(comment) + 4 : 0);
	h[0] = PCAPNG_EPB;
	h[1] = blen;
	h[2] = ifid;
	h[3] = (uint32_t)(ts_ns >> 32);
	h[4] = (uint32_t)ts_ns;
	h[5] = (uint32_t)len;
	h[6] = (uint32_t)len;
	if (pcapng_write(fp, h, sizeof h) == -1 ||
	    pcapng_write(fp, packet, len) == -1 ||
	    pcapng_write(fp, zero, pcapng_pad(len) - len) == -1 ||
	    pcapng_write_tail(fp, comment, 0) == -1 ||
	    pcapng_write_u32(fp, blen) == -1)
		return -1;
	return 0;
}

static uint32_t
pcapng_get32(const struct pcapng_reader *r, const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return r->swapped ? __builtin_bswap32(v) : v;
}

static uint16_t
pcapng_get16(const struct pcapng_reader *r, const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return r->swapped ? __builtin_bswap16(v) : v;
}

int
pcapng_reader_init(struct pcapng_reader *r, const uint8_t *buf, size_t len,
    char *err, size_t errlen)
{
	uint32_t magic;

	memset(r, 0, sizeof *r);
	r->buf = buf;
	r->len = len;
	if (len < 4)
		return errmsg_set(err, errlen, "not a capture: too short");
	memcpy(&magic, buf, 4);
	if (magic == PCAPNG_SHB) {
		r->ng = 1;
		return 0; /* the byte order comes with each section header */
	}
	if (magic != PCAP_MAGIC_US && magic != PCAP_MAGIC_NS) {
		magic = __builtin_bswap32(magic);
		r->swapped = 1;
	}
	if (magic != PCAP_MAGIC_US && magic != PCAP_MAGIC_NS)
		return errmsg_set(err, errlen, "not a pcap or pcapng file");
	if (len < 24)
		return errmsg_set(err, errlen, "pcap header cut short");
	r->ts_scale = magic == PCAP_MAGIC_NS ? 1 : 1000;
	r->linktype = (int)(pcapng_get32(r, buf + 20) & 0xffff);
	r->off = 24;
	return 0;
}

static int
pcapng_read_pcap(
    struct pcapng_reader *r, struct pcapng_packet *p, char *err, size_t errlen)
{
	const uint8_t *h = r->buf + r->off;
	uint32_t caplen;

	if (r->len - r->off < 16)
		return errmsg_set(err, errlen, "packet header cut short");
	caplen = pcapng_get32(r, h + 8);
	if (caplen > r->len - r->off - 16)
		return errmsg_set(err, errlen, "packet cut short");
	p->ifid = 0;
	p->linktype = r->linktype;
	p->ts_ns = (uint64_t)pcapng_get32(r, h) * 1000000000ULL +
	    (uint64_t)pcapng_get32(r, h + 4) * r->ts_scale;
	p->data = h + 16;
	p->caplen = caplen;
	p->origlen = pcapng_get32(r, h + 12);
	r->off += 16 + caplen;
	return 1;
}

/* Reads an interface's link type and if_tsresol option. */
static int
pcapng_read_idb(struct pcapng_reader *r, const uint8_t *b, uint32_t blen)
{
	size_t o = 16, olen;
	uint16_t code;

	if (blen < 20 || r->nif == PCAPNG_IF_MAX)
		return -1;
	r->ifs[r->nif].linktype = pcapng_get16(r, b + 8);
	r->ifs[r->nif].tsresol = 6; /* microseconds unless said */
	while (o + 4 <= blen - 4) {
		code = pcapng_get16(r, b + o);
		olen = pcapng_get16(r, b + o + 2);
		if (code == PCAPNG_OPT_END || o + 4 + olen > blen - 4)
			break;
		if (code == PCAPNG_OPT_IF_TSRESOL && olen >= 1)
			r->ifs[r->nif].tsresol = b[o + 4];
		o += 4 + pcapng_pad(olen);
	}
	r->nif++;
	return 0;
}

/* Turns a timestamp in an interface's units into nanoseconds. */
static uint64_t
pcapng_ts_ns(uint64_t ts, uint8_t resol)
{
	uint64_t scale = 1;
	int n = resol & 0x7f, i;

	if (resol & 0x80) /* a power of two */
		return n >= 64 ? 0
			       : (uint64_t)((long double)ts * 1e9L /
				     (long double)(1ULL << n));
	if (n > 9 + 19) /* 10^19 is the largest power of ten in 64 bits */
		return 0;
	for (i = n < 9 ? n : 9; i < (n < 9 ? 9 : n); i++)
		scale *= 10;
	return n <= 9 ? ts * scale : ts / scale;
}

/* An enhanced or simple packet block into p. */
static int
pcapng_read_packet(struct pcapng_reader *r, const uint8_t *b, uint32_t type,
    uint32_t blen, struct pcapng_packet *p)
{
	uint32_t caplen, ifid = 0;
	size_t hdr = type == PCAPNG_EPB ? 28 : 12;

	if (blen < hdr + 4 || r->nif == 0)
		return -1;
	if (type == PCAPNG_EPB) {
		ifid = pcapng_get32(r, b + 8);
		caplen = pcapng_get32(r, b + 20);
		p->origlen = pcapng_get32(r, b + 24);
		p->ts_ns =
		    pcapng_ts_ns((uint64_t)pcapng_get32(r, b + 12) << 32 |
			    pcapng_get32(r, b + 16),
			ifid < r->nif ? r->ifs[ifid].tsresol : 6);
	} else {
		p->origlen = pcapng_get32(r, b + 8);
		caplen = (uint32_t)(blen - 16);
		if (p->origlen < caplen)
			caplen = (uint32_t)p->origlen;
		p->ts_ns = 0;
	}
	if (ifid >= r->nif || caplen > blen - hdr - 4)
		return -1;
	p->ifid = ifid;
	p->linktype = r->ifs[ifid].linktype;
	p->data = b + hdr;
	p->caplen = caplen;
	return 1;
}

/* Reads one pcapng block; returns 1 for a packet, 0 for another block. */
static int
pcapng_read_block(
    struct pcapng_reader *r, struct pcapng_packet *p, char *err, size_t errlen)
{
	const uint8_t *b = r->buf + r->off;
	uint32_t type, blen, bom;
	int rc = 0;

	if (r->len - r->off < 12)
		return errmsg_set(err, errlen, "block cut short");
	memcpy(&type, b, 4);
	if (type == PCAPNG_SHB) {
		memcpy(&bom, b + 8, 4);
		if (bom != PCAPNG_BOM && bom != __builtin_bswap32(PCAPNG_BOM))
			return errmsg_set(err, errlen, "bad byte-order magic");
		r->swapped = bom != PCAPNG_BOM;
		r->nif = 0; /* interfaces belong to their section */
	}
	type = pcapng_get32(r, b);
	blen = pcapng_get32(r, b + 4);
	if (blen < 12 || blen % 4 != 0 || blen > r->len - r->off ||
	    blen > PCAPNG_BLOCK_MAX || pcapng_get32(r, b + blen - 4) != blen)
		return errmsg_set(err, errlen, "bad block length");
	if (type == PCAPNG_IDB && pcapng_read_idb(r, b, blen) == -1)
		return errmsg_set(err, errlen, "bad interface block");
	if (type == PCAPNG_EPB || type == PCAPNG_SPB) {
		rc = pcapng_read_packet(r, b, type, blen, p);
		if (rc == -1)
			return errmsg_set(err, errlen, "bad packet block");
	}
	r->off += blen;
	return rc;
}

int
pcapng_reader_next(
    struct pcapng_reader *r, struct pcapng_packet *p, char *err, size_t errlen)
{
	int rc;

	while (r->off < r->len) {
		if (!r->ng)
			return pcapng_read_pcap(r, p, err, errlen);
		if ((rc = pcapng_read_block(r, p, err, errlen)) != 0)
			return rc;
	}
	return 0;
}

int
pcapng_udp_decode(
    int linktype, const uint8_t *d, size_t len, struct pcapng_udp *u)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)&u->src,
			   *d4 = (struct sockaddr_in *)&u->dst;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&u->src,
			    *d6 = (struct sockaddr_in6 *)&u->dst;
	size_t hdr, ulen;

	memset(u, 0, sizeof *u);
	if (linktype == PCAPNG_LINKTYPE_ETHERNET) {
		if (len < 14 || (d[12] != 0x08 && d[12] != 0x86))
			return -1;
		d += 14;
		len -= 14;
	} else if (linktype != PCAPNG_LINKTYPE_RAW)
		return -1;
	if (len >= 20 && d[0] >> 4 == 4) {
		hdr = (size_t)(d[0] & 0x0f) * 4;
		/* Not UDP, or a fragment: no datagram of its own. */
		if (hdr < 20 || len < hdr + 8 || d[9] != IPPROTO_UDP ||
		    ((d[6] & 0x3f) | d[7]) != 0)
			return -1;
		s4->sin_family = d4->sin_family = AF_INET;
		memcpy(&s4->sin_addr, d + 12, 4);
		memcpy(&d4->sin_addr, d + 16, 4);
		u->addrlen = sizeof *s4;
	} else if (len >= 48 && d[0] >> 4 == 6 && d[6] == IPPROTO_UDP) {
		hdr = 40;
		s6->sin6_family = d6->sin6_family = AF_INET6;
		memcpy(&s6->sin6_addr, d + 8, 16);
		memcpy(&d6->sin6_addr, d + 24, 16);
		u->addrlen = sizeof *s6;
	} else
		return -1;
	d += hdr;
	len -= hdr;
	addr_set_port((struct sockaddr *)&u->src, (uint16_t)(d[0] << 8 | d[1]));
	addr_set_port((struct sockaddr *)&u->dst, (uint16_t)(d[2] << 8 | d[3]));
	ulen = (size_t)(d[4] << 8 | d[5]);
	if (ulen < 8)
		return -1;
	u->payload = d + 8;
	u->len = ulen - 8 < len - 8 ? ulen - 8 : len - 8;
	return 0;
}
