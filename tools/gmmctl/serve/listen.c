// SPDX-License-Identifier: GPL-2.0
/*
 * listen.c - the address `gmmctl serve` listens on.
 *
 * 127.0.0.1 unless --listen says otherwise; an address that is not a
 * loopback one (127.0.0.0/8, ::1, ::ffff:127.x) is refused unless
 * --allow-remote says the user means it: the page shows a heap's
 * insides to whoever can reach the port, and there is no login.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "serve.h"

bool listen_is_loopback(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const void *)sa;

		return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const void *)sa;
		const uint8_t *b = in6->sin6_addr.s6_addr;

		if (IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr))
			return true;
		return IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr) && b[12] == 127;
	}
	return false;
}

int listen_parse(struct listen_addr *la, const char *addr, uint16_t port,
		 bool allow_remote)
{
	struct sockaddr_in *in = (void *)&la->sa;
	struct sockaddr_in6 *in6 = (void *)&la->sa;
	char buf[INET6_ADDRSTRLEN + 2];
	size_t n;

	memset(la, 0, sizeof(*la));
	if (!addr)
		addr = "127.0.0.1";
	/* "[::1]" as in URLs, or "::1" */
	n = strlen(addr);
	if (n >= sizeof(buf))
		return -EINVAL;
	if (addr[0] == '[' && n > 2 && addr[n - 1] == ']') {
		memcpy(buf, addr + 1, n - 2);
		buf[n - 2] = 0;
	} else {
		memcpy(buf, addr, n + 1);
	}
	if (inet_pton(AF_INET, buf, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		in->sin_port = htons(port);
		la->len = sizeof(*in);
		snprintf(la->text, sizeof(la->text), "%s", buf);
	} else if (inet_pton(AF_INET6, buf, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(port);
		la->len = sizeof(*in6);
		snprintf(la->text, sizeof(la->text), "[%s]", buf);
	} else {
		return -EINVAL;
	}
	if (!allow_remote && !listen_is_loopback((struct sockaddr *)&la->sa))
		return -EPERM;
	return 0;
}
