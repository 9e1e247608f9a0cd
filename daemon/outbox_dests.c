/* Destinations the dispatcher paces; see outbox_dests.h. */
#include "outbox_dests.h"

#include <stdlib.h>
#include <string.h>

/* FNV-1a. */
static size_t hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
	return (size_t)h;
}

static int grow(struct outbox_dests *t)
{
	size_t n = t->n_buckets ? t->n_buckets * 2 : 64;
	struct outbox_dest **b = calloc(n, sizeof *b);

	if (!b)
		return -1;
	for (size_t i = 0; i < t->n_buckets; i++) {
		struct outbox_dest *e = t->buckets[i];

		while (e) {
			struct outbox_dest *next = e->next;
			size_t j = hash(e->key) & (n - 1);

			e->next = b[j];
			b[j] = e;
			e = next;
		}
	}
	free(t->buckets);
	t->buckets = b;
	t->n_buckets = n;
	return 0;
}

struct outbox_dest *outbox_dests_find(const struct outbox_dests *t, const char *key)
{
	if (!t->n_buckets)
		return NULL;
	for (struct outbox_dest *e = t->buckets[hash(key) & (t->n_buckets - 1)]; e; e = e->next)
		if (strcmp(e->key, key) == 0)
			return e;
	return NULL;
}

struct outbox_dest *outbox_dests_get(struct outbox_dests *t, const char *key, bool *created)
{
	struct outbox_dest *e = outbox_dests_find(t, key);
	size_t len = strlen(key);

	*created = false;
	if (e)
		return e;
	if (t->n >= t->n_buckets && grow(t) < 0)
		return NULL;
	e = calloc(1, sizeof *e + len + 1);
	if (!e)
		return NULL;
	memcpy(e->key, key, len + 1);
	size_t i = hash(key) & (t->n_buckets - 1);
	e->next = t->buckets[i];
	t->buckets[i] = e;
	t->n++;
	*created = true;
	return e;
}

void outbox_dests_prune(struct outbox_dests *t, uint64_t before_ms)
{
	for (size_t i = 0; i < t->n_buckets; i++) {
		struct outbox_dest **link = &t->buckets[i];

		while (*link) {
			struct outbox_dest *e = *link;

			if (!e->pace.busy && e->pace.ready_ms < before_ms) {
				*link = e->next;
				free(e);
				t->n--;
			} else {
				link = &e->next;
			}
		}
	}
}

void outbox_dests_free(struct outbox_dests *t)
{
	for (size_t i = 0; i < t->n_buckets; i++) {
		struct outbox_dest *e = t->buckets[i];

		while (e) {
			struct outbox_dest *next = e->next;

			free(e);
			e = next;
		}
	}
	free(t->buckets);
	memset(t, 0, sizeof *t);
}
