/* SPDX-License-Identifier: ISC */
/*
 * The echo server bench/ping.sh measures udptool ping -u and sockperf
 * ping-pong against: one recvfrom/sendto loop, the same for both clients.
 *
 * sockperf's client drops any reply that still carries its "client" flag
 * (bit 0 of the 16-bit flags at bytes 8-9 of its 14-byte header, network
 * order), which sockperf's own server clears.  So this server clears bit 0
 * of byte 9 in every datagram of 14 bytes or more.  For udptool's probes
 * byte 9 is the second byte of a big-endian 64-bit sequence number, zero in
 * any run shorter than 2^48 probes, so they come back byte for byte: both
 * clients meet exactly the same code path and system calls.
 *
 * Usage: echo-server [port]   (default 0: any free port)
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
main(int argc, char **argv)
{
	struct sockaddr_in sin, from;
	socklen_t len;
	unsigned char buf[65536];
	ssize_t n;
	int fd;

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd == -1) {
		perror("socket");
		return 2;
	}
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons((unsigned short)(argc > 1 ? atoi(argv[1]) : 0));
	if (bind(fd, (struct sockaddr *)&sin, sizeof sin) == -1) {
		perror("bind");
		return 2;
	}
	len = sizeof sin;
	getsockname(fd, (struct sockaddr *)&sin, &len);
	fprintf(stderr, "listening on 127.0.0.1:%u\n", ntohs(sin.sin_port));
	fflush(stderr);
	for (;;) {
		len = sizeof from;
		n = recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &len);
		if (n < 0)
			continue;
		if (n >= 14)
			buf[9] &= (unsigned char)~1u;
		sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&from, len);
	}
}
