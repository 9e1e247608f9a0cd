/*
 * The table that counts each client address's connections and proxied
 * requests, for the HTTP intake's per-address limits (addresses: netaddr.h).
 *
 * The table is a chained hash table whose slots double when it holds more
 * entries than slots; an entry lives while it counts something, so its size
 * follows the clients connected now, not every client ever seen.
 */
#include "http_internal.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define MIN_SLOTS 64

/* FNV-1a over the address bytes. */
static size_t addr_hash(const struct netaddr *a)
{
	uint64_t h = 1469598103934665603ull;

	for (size_t i = 0; i < a->len; i++) {
		h ^= a->b[i];
		h *= 1099511628211ull;
	}
	return (size_t)h;
}

/* Doubles the slots (or makes the first ones); on ENOMEM the table stays as
 * it was, only longer chains. */
static void peers_grow(struct http_peers *t)
{
	size_t n = t->n_slots ? t->n_slots * 2 : MIN_SLOTS;
	struct http_peer **slots = calloc(n, sizeof *slots);

	if (!slots)
		return;
	for (size_t i = 0; i < t->n_slots; i++) {
		struct http_peer *p = t->slots[i], *next;

		for (; p; p = next) {
			size_t k = addr_hash(&p->addr) & (n - 1);

			next = p->next;
			p->next = slots[k];
			slots[k] = p;
		}
	}
	free(t->slots);
	t->slots = slots;
	t->n_slots = n;
}

struct http_peer *http_peers_get(struct http_peers *t, const struct netaddr *a)
{
	struct http_peer *p;
	size_t k;

	if (t->n >= t->n_slots)
		peers_grow(t);
	if (!t->n_slots)
		return NULL;
	k = addr_hash(a) & (t->n_slots - 1);
	for (p = t->slots[k]; p; p = p->next)
		if (netaddr_equal(&p->addr, a))
			return p;
	p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	p->addr = *a;
	p->next = t->slots[k];
	t->slots[k] = p;
	t->n++;
	return p;
}

void http_peers_put(struct http_peers *t, struct http_peer *p)
{
	struct http_peer **link;

	if (p->conns || p->requests)
		return;
	link = &t->slots[addr_hash(&p->addr) & (t->n_slots - 1)];
	while (*link != p)
		link = &(*link)->next;
	*link = p->next;
	free(p);
	t->n--;
}

void http_peers_free(struct http_peers *t)
{
	for (size_t i = 0; i < t->n_slots; i++) {
		struct http_peer *p = t->slots[i], *next;

		for (; p; p = next) {
			next = p->next;
			free(p);
		}
	}
	free(t->slots);
	memset(t, 0, sizeof *t);
}
