/*
 * Network addresses as the HTTP intake's limits and the trusted_proxies
 * setting need them: parsing, formatting, comparing, and lists of networks.
 *
 * An IPv4 address reached through an IPv4-mapped IPv6 socket (::ffff:a.b.c.d,
 * on a listener bound to [::]) is the same client as plain a.b.c.d, so both
 * are kept as the 4-byte form.
 */
#include "netaddr.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const unsigned char v4_mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

static void addr_set_v6(struct netaddr *a, const unsigned char b[16])
{
	if (memcmp(b, v4_mapped, sizeof v4_mapped) == 0) {
		a->len = 4;
		memcpy(a->b, b + 12, 4);
	} else {
		a->len = 16;
		memcpy(a->b, b, 16);
	}
}

int netaddr_from_sockaddr(const struct sockaddr *sa, struct netaddr *out)
{
	memset(out, 0, sizeof *out);
	if (sa->sa_family == AF_INET) {
		out->len = 4;
		memcpy(out->b, &((const struct sockaddr_in *)sa)->sin_addr, 4);
		return 0;
	}
	if (sa->sa_family == AF_INET6) {
		addr_set_v6(out, ((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr);
		return 0;
	}
	return -EAFNOSUPPORT;
}

bool netaddr_parse(const char *s, size_t n, struct netaddr *out)
{
	char text[INET6_ADDRSTRLEN];
	unsigned char b[16];

	if (n == 0 || n >= sizeof text)
		return false;
	memcpy(text, s, n);
	text[n] = '\0';
	memset(out, 0, sizeof *out);
	if (inet_pton(AF_INET, text, b) == 1) {
		out->len = 4;
		memcpy(out->b, b, 4);
		return true;
	}
	if (inet_pton(AF_INET6, text, b) == 1) {
		addr_set_v6(out, b);
		return true;
	}
	return false;
}

void netaddr_format(const struct netaddr *a, char *buf, size_t len)
{
	if (!inet_ntop(a->len == 4 ? AF_INET : AF_INET6, a->b, buf, (socklen_t)len) && len)
		buf[0] = '\0';
}

bool netaddr_equal(const struct netaddr *a, const struct netaddr *b)
{
	return a->len == b->len && memcmp(a->b, b->b, a->len) == 0;
}

/* Whether the first `bits` bits of a and b agree (same family assumed). */
static bool prefix_equal(const unsigned char *a, const unsigned char *b, unsigned bits)
{
	unsigned whole = bits / 8, rest = bits % 8;

	if (memcmp(a, b, whole) != 0)
		return false;
	return rest == 0 || ((a[whole] ^ b[whole]) & (0xff << (8 - rest))) == 0;
}

/* "a.b.c.d", "a.b.c.d/n", "v6" or "v6/n" (n[0..n)), into net. */
static bool net_parse(const char *s, size_t n, struct netaddr_net *net)
{
	const char *slash = memchr(s, '/', n);
	size_t alen = slash ? (size_t)(slash - s) : n;
	unsigned bits = 0;

	if (!netaddr_parse(s, alen, &net->addr))
		return false;
	if (!slash) {
		net->bits = net->addr.len * 8u;
		return true;
	}
	if (slash + 1 == s + n || n - alen - 1 > 3)
		return false;
	for (const char *p = slash + 1; p < s + n; p++) {
		if (!isdigit((unsigned char)*p))
			return false;
		bits = bits * 10 + (unsigned)(*p - '0');
	}
	if (bits > net->addr.len * 8u)
		return false;
	net->bits = bits;
	return true;
}

/* Calls fn on each item of a list separated by commas and/or blanks; stops
 * at the first that fails. */
static bool list_each(const char *list, bool (*fn)(const char *s, size_t n, void *arg),
                      void *arg)
{
	const char *p = list;

	while (*p) {
		size_t n;

		while (*p == ',' || isspace((unsigned char)*p))
			p++;
		n = strcspn(p, ", \t\r\n\f\v");
		if (n && !fn(p, n, arg))
			return false;
		p += n;
	}
	return true;
}

static bool count_net(const char *s, size_t n, void *arg)
{
	struct netaddr_net net;

	(*(size_t *)arg)++;
	return net_parse(s, n, &net);
}

static bool add_net(const char *s, size_t n, void *arg)
{
	struct netaddr_nets *nets = arg;

	return net_parse(s, n, &nets->v[nets->n++]);
}

int netaddr_nets_parse(const char *list, struct netaddr_nets *out)
{
	size_t n = 0;

	memset(out, 0, sizeof *out);
	if (!list)
		return 0;
	if (!list_each(list, count_net, &n))
		return -EINVAL;
	if (n == 0)
		return 0;
	out->v = calloc(n, sizeof *out->v);
	if (!out->v)
		return -ENOMEM;
	list_each(list, add_net, out);
	return 0;
}

void netaddr_nets_free(struct netaddr_nets *nets)
{
	free(nets->v);
	memset(nets, 0, sizeof *nets);
}

bool netaddr_nets_contain(const struct netaddr_nets *nets, const struct netaddr *a)
{
	for (size_t i = 0; i < nets->n; i++) {
		const struct netaddr_net *net = &nets->v[i];

		if (net->addr.len == a->len && prefix_equal(net->addr.b, a->b, net->bits))
			return true;
	}
	return false;
}

bool netaddr_list_valid(const char *list)
{
	size_t n = 0;

	return list_each(list, count_net, &n);
}

