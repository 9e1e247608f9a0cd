/*
 * A small hash map from text keys to numbers, for cqoctl's checks across
 * the rows of a file (the first line of each enterprise, CQO ...) and its
 * caches of region lookups.
 */
#ifndef CQOCTL_KEYSET_H
#define CQOCTL_KEYSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct keyset_slot {
	char *key;         /* in one of the set's blocks; NULL = empty slot */
	uint64_t hash;     /* of key, kept for lookups and rebuilding */
	size_t value;
};

/* Keys are copied into blocks, freed together with the set: a file's
 * hundreds of thousands of keys cost a few allocations, not one each. */
struct keyset_block;

struct keyset {
	struct keyset_slot *slots;   /* owned; power-of-two size */
	size_t n, cap;
	struct keyset_block *blocks; /* owned; the newest first */
};

void keyset_init(struct keyset *ks);
void keyset_free(struct keyset *ks);
/* true and *value when `key` is present. */
bool keyset_get(const struct keyset *ks, const char *key, size_t *value);
/* Makes room for n keys in all, so that adding up to n rehashes nothing.
 * 0 or -ENOMEM. */
int keyset_reserve(struct keyset *ks, size_t n);
/* Adds `key` (copied) or replaces its value. 0 or -ENOMEM. */
int keyset_put(struct keyset *ks, const char *key, size_t value);
/* Adds `key` (copied) with `value` unless it is there: 1 when added, 0
 * when it was there (*found: its value, kept), or -ENOMEM. One probe
 * where keyset_get then keyset_put take two. */
int keyset_add(struct keyset *ks, const char *key, size_t value, size_t *found);

#endif
