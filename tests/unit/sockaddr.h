/* SPDX-License-Identifier: ISC */
/*
 * Unit test helpers: IPv4 and IPv6 socket addresses from text, and a
 * closed loopback port.  Include after <cmocka.h>.
 */
#ifndef UDPTOOL_TEST_SOCKADDR_H
#define UDPTOOL_TEST_SOCKADDR_H

#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <stdint.h>
#include <string.h>
#include <unistd.h>

/* Fills s with address a (dotted quad) and port. */
static inline void
sin4(struct sockaddr_in *s, const char *a, uint16_t port)
{
	memset(s, 0, sizeof *s);
	s->sin_family = AF_INET;
	s->sin_port = htons(port);
	assert_int_equal(inet_pton(AF_INET, a, &s->sin_addr), 1);
}

/* Fills s with IPv6 address a and port. */
static inline void
sin6(struct sockaddr_in6 *s, const char *a, uint16_t port)
{
	memset(s, 0, sizeof *s);
	s->sin6_family = AF_INET6;
	s->sin6_port = htons(port);
	assert_int_equal(inet_pton(AF_INET6, a, &s->sin6_addr), 1);
}

/*
 * Fills s with 127.0.0.1 and a port bound and closed again: for a moment a
 * closed port, which answers with an ICMP port unreachable.
 */
static inline void
closed_port4(struct sockaddr_in *s)
{
	socklen_t len = sizeof *s;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	assert_true(fd != -1);
	memset(s, 0, sizeof *s);
	s->sin_family = AF_INET;
	s->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)s, sizeof *s), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)s, &len), 0);
	close(fd);
}

#endif
