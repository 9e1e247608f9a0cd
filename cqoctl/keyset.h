/*
 * A small hash map from text keys to numbers, for cqoctl's checks across
 * the rows of a file (the first line of each enterprise, CQO ...) and its
 * caches of region lookups.
 */
#ifndef CQOCTL_KEYSET_H
#define CQOCTL_KEYSET_H

#include <stdbool.h>
#include <stddef.h>

struct keyset_slot {
	char *key;         /* owned; NULL = empty slot */
	size_t value;
};

struct keyset {
	struct keyset_slot *slots;   /* owned; power-of-two size */
	size_t n, cap;
};

void keyset_init(struct keyset *ks);
void keyset_free(struct keyset *ks);
/* true and *value when `key` is present. */
bool keyset_get(const struct keyset *ks, const char *key, size_t *value);
/* Adds `key` (copied) or replaces its value. 0 or -ENOMEM. */
int keyset_put(struct keyset *ks, const char *key, size_t value);

#endif
