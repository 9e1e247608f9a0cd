/*
 * Network addresses (IPv4 in 4 bytes, IPv4-mapped IPv6 included; IPv6 in 16)
 * and lists of networks such as the trusted_proxies setting.
 */
#ifndef CQOD_NETADDR_H
#define CQOD_NETADDR_H

#include <stdbool.h>
#include <stddef.h>

struct sockaddr;

struct netaddr {
	unsigned char len;
	unsigned char b[16];
};

/* An address and how many leading bits of it a network shares. */
struct netaddr_net {
	struct netaddr addr;
	unsigned bits;
};

struct netaddr_nets {
	struct netaddr_net *v;      /* owned */
	size_t n;
};

/* 0, or -EAFNOSUPPORT for a family other than AF_INET/AF_INET6. */
int netaddr_from_sockaddr(const struct sockaddr *sa, struct netaddr *out);
/* A bare IPv4 or IPv6 address s[0..n) (no brackets, port or prefix). */
bool netaddr_parse(const char *s, size_t n, struct netaddr *out);
void netaddr_format(const struct netaddr *a, char *buf, size_t len);
bool netaddr_equal(const struct netaddr *a, const struct netaddr *b);

/* Whether `list` is valid: IPv4 and IPv6 addresses or networks
 * ("10.0.0.0/8", "fd00::/8") separated by commas and/or blanks; "" is the
 * empty list. */
bool netaddr_list_valid(const char *list);
/* Such a list into *out (caller frees with netaddr_nets_free); NULL is the
 * empty list. 0, -EINVAL or -ENOMEM. */
int netaddr_nets_parse(const char *list, struct netaddr_nets *out);
void netaddr_nets_free(struct netaddr_nets *nets);
bool netaddr_nets_contain(const struct netaddr_nets *nets, const struct netaddr *a);

#endif
