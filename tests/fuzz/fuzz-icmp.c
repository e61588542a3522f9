/* SPDX-License-Identifier: ISC */
/*
 * libFuzzer target for ICMP and ICMPv6 parsing: whatever a raw or datagram
 * socket hands over, the parsed message stays inside the packet.
 */
#include "config.h"

#include <sys/socket.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "icmp.h"
#include "fuzz.h"

static void
check_msg(const struct icmp_msg *m, int family, const uint8_t *buf, size_t len,
    uint16_t id)
{
	struct timespec ts;
	char desc[128], tiny[8];
	int ours;

	if (m->family != family || m->icmplen < ICMP_HDRLEN || m->icmplen > len)
		abort();
	/* The payload lies inside the packet, and ends where it ends. */
	if (m->data != NULL &&
	    (m->data < buf || m->datalen > len ||
		(size_t)(m->data - buf) > len - m->datalen ||
		m->data + m->datalen != buf + len))
		abort();
	switch (m->kind) {
	case ICMP_MSG_REPLY:
	case ICMP_MSG_REQUEST:
		if (m->data == NULL || m->datalen != m->icmplen - ICMP_HDRLEN)
			abort();
		break;
	case ICMP_MSG_ERROR:
		if (!m->has_dst || m->data != NULL)
			abort();
		break;
	case ICMP_MSG_OTHER:
		if (m->data != NULL)
			abort();
		break;
	default:
		abort();
	}
	if (m->ttl < -1 || m->ttl > 255 || (m->ttl >= 0) != (m->has_src != 0))
		abort();
	ours = icmp_is_ours(m, 1, id, NULL);
	if (ours &&
	    (m->id != id ||
		(m->kind != ICMP_MSG_REPLY && m->kind != ICMP_MSG_ERROR)))
		abort();
	if (icmp_is_ours(m, 0, id, NULL) !=
	    (m->kind == ICMP_MSG_REPLY || m->kind == ICMP_MSG_ERROR))
		abort();
	ts.tv_sec = (time_t)id;
	ts.tv_nsec = 0;
	if (icmp_payload_ok(m, m->datalen, &ts) && m->data == NULL)
		abort();
	(void)icmp_payload_ok(m, m->datalen + 1, &ts);
	fuzz_check_line(
	    icmp_describe(family, m->type, m->code, m->mtu, desc, sizeof desc),
	    sizeof desc);
	fuzz_check_line(
	    icmp_describe(family, m->type, m->code, m->mtu, tiny, sizeof tiny),
	    sizeof tiny);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int families[] = {AF_INET, AF_INET6};
	static const int flags[] = {
	    0, ICMP_F_IPHDR, ICMP_F_NOCSUM, ICMP_F_IPHDR | ICMP_F_NOCSUM};
	struct icmp_msg m;
	char err[128];
	uint8_t *buf, *pkt;
	size_t f, i, plen;
	uint16_t id;

	if (size < 2)
		return 0;
	id = (uint16_t)(data[0] << 8 | data[1]);
	/* An exact copy, so a read past the end is caught. */
	buf = malloc(size - 2 > 0 ? size - 2 : 1);
	if (buf == NULL)
		return 0;
	memcpy(buf, data + 2, size - 2);
	for (f = 0; f < 2; f++) {
		for (i = 0; i < sizeof flags / sizeof flags[0]; i++) {
			if (icmp_parse(families[f], flags[i], buf, size - 2, &m,
				err, sizeof err) == 0)
				check_msg(&m, families[f], buf, size - 2, id);
			else
				fuzz_check_line(err, sizeof err);
		}
	}
	free(buf);

	/* The input as a payload: our own request parses back to it. */
	plen = size - 2;
	if (plen > ICMP_PAYLOAD_MAX)
		return 0;
	pkt = malloc(plen + ICMP_HDRLEN);
	if (pkt == NULL)
		return 0;
	for (f = 0; f < 2; f++) {
		size_t n = icmp_build_echo(families[f], id, (uint16_t)~id,
		    data + 2, plen, pkt, plen + ICMP_HDRLEN);

		if (n != plen + ICMP_HDRLEN)
			abort();
		if (icmp_parse(families[f], 0, pkt, n, &m, err, sizeof err) !=
			0 ||
		    m.kind != ICMP_MSG_REQUEST || m.id != id ||
		    m.seq != (uint16_t)~id || m.datalen != plen ||
		    memcmp(m.data, data + 2, plen) != 0)
			abort();
		check_msg(&m, families[f], pkt, n, id);
	}
	free(pkt);
	return 0;
}
