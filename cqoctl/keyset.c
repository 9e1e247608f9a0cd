/* Text-keyed hash map with open addressing; see keyset.h. */
#include "keyset.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK_BYTES 65536

struct keyset_block {
	struct keyset_block *next;
	size_t used, size;
	char bytes[];
};

void keyset_init(struct keyset *ks)
{
	memset(ks, 0, sizeof *ks);
}

void keyset_free(struct keyset *ks)
{
	while (ks->blocks) {
		struct keyset_block *next = ks->blocks->next;
		free(ks->blocks);
		ks->blocks = next;
	}
	free(ks->slots);
	keyset_init(ks);
}

/* A copy of key in the newest block, or in a new one; NULL on ENOMEM. */
static char *key_copy(struct keyset *ks, const char *key)
{
	size_t len = strlen(key) + 1;
	struct keyset_block *b = ks->blocks;

	if (!b || b->size - b->used < len) {
		size_t size = len > BLOCK_BYTES ? len : BLOCK_BYTES;
		if (!(b = malloc(sizeof *b + size)))
			return NULL;
		b->next = ks->blocks;
		b->used = 0;
		b->size = size;
		ks->blocks = b;
	}
	char *copy = memcpy(b->bytes + b->used, key, len);
	b->used += len;
	return copy;
}

/* FNV-1a. */
static uint64_t hash(const char *s)
{
	uint64_t h = 14695981039346656037ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

/* The slot of `key` (hash h), or the empty one where it would go: keys
 * are compared only when their hashes are equal. */
static struct keyset_slot *slot_for(struct keyset_slot *slots, size_t cap, uint64_t h,
                                    const char *key)
{
	size_t i = (size_t)h & (cap - 1);
	while (slots[i].key && (slots[i].hash != h || strcmp(slots[i].key, key) != 0))
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

/* The first empty slot from h's: the keys of a table being rebuilt are
 * distinct, so they are placed without being compared. */
static struct keyset_slot *empty_for(struct keyset_slot *slots, size_t cap, uint64_t h)
{
	size_t i = (size_t)h & (cap - 1);
	while (slots[i].key)
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

bool keyset_get(const struct keyset *ks, const char *key, size_t *value)
{
	if (!ks->cap)
		return false;
	const struct keyset_slot *s = slot_for(ks->slots, ks->cap, hash(key), key);
	if (!s->key)
		return false;
	*value = s->value;
	return true;
}

/* Moves the keys into `cap` slots (a power of two). */
static int rebuild(struct keyset *ks, size_t cap)
{
	struct keyset_slot *slots = calloc(cap, sizeof *slots);

	if (!slots)
		return -ENOMEM;
	for (size_t i = 0; i < ks->cap; i++)
		if (ks->slots[i].key)
			*empty_for(slots, cap, ks->slots[i].hash) = ks->slots[i];
	free(ks->slots);
	ks->slots = slots;
	ks->cap = cap;
	return 0;
}

int keyset_reserve(struct keyset *ks, size_t n)
{
	size_t cap = ks->cap ? ks->cap : 64;

	/* At most half full keeps probe runs short. */
	while (cap / 2 < n) {
		if (cap > SIZE_MAX / 4 / sizeof *ks->slots)
			return -ENOMEM;
		cap *= 2;
	}
	return cap == ks->cap ? 0 : rebuild(ks, cap);
}

/* The slot of `key`, added (empty value) when it was not there: *added.
 * NULL on ENOMEM. */
static struct keyset_slot *slot_add(struct keyset *ks, const char *key, bool *added)
{
	if ((ks->n + 1) * 2 > ks->cap && keyset_reserve(ks, ks->n + 1) < 0)
		return NULL;
	uint64_t h = hash(key);
	struct keyset_slot *s = slot_for(ks->slots, ks->cap, h, key);
	*added = !s->key;
	if (*added) {
		if (!(s->key = key_copy(ks, key)))
			return NULL;
		s->hash = h;
		ks->n++;
	}
	return s;
}

int keyset_put(struct keyset *ks, const char *key, size_t value)
{
	bool added;
	struct keyset_slot *s = slot_add(ks, key, &added);

	if (!s)
		return -ENOMEM;
	s->value = value;
	return 0;
}

int keyset_add(struct keyset *ks, const char *key, size_t value, size_t *found)
{
	bool added;
	struct keyset_slot *s = slot_add(ks, key, &added);

	if (!s)
		return -ENOMEM;
	if (added)
		s->value = value;
	else
		*found = s->value;
	return added;
}
