/* SPDX-License-Identifier: ISC */
/*
 * The baseline of udptool's echo benchmark: the textbook recvfrom/sendto
 * loop, one datagram per system call.
 *
 * usage: naive-echo address port
 */
#include <sys/socket.h>
#include <sys/types.h>

#include <netdb.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	static char buf[65536];
	struct sockaddr_storage ss;
	struct addrinfo hints, *res;
	socklen_t len;
	ssize_t n;
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: naive-echo address port\n");
		return 2;
	}
	memset(&hints, 0, sizeof hints);
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
	if (getaddrinfo(argv[1], argv[2], &hints, &res) != 0) {
		fprintf(stderr, "naive-echo: bad address\n");
		return 2;
	}
	fd = socket(res->ai_family, SOCK_DGRAM, 0);
	if (fd == -1 || bind(fd, res->ai_addr, res->ai_addrlen) == -1) {
		perror("naive-echo: bind");
		return 2;
	}
	freeaddrinfo(res);
	fprintf(stderr, "listening on %s:%s\n", argv[1], argv[2]);
	for (;;) {
		len = sizeof ss;
		n = recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&ss, &len);
		if (n < 0)
			continue;
		sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&ss, len);
	}
}
