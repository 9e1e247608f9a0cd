/* Text-keyed hash map with open addressing; see keyset.h. */
#include "keyset.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void keyset_init(struct keyset *ks)
{
	memset(ks, 0, sizeof *ks);
}

void keyset_free(struct keyset *ks)
{
	for (size_t i = 0; i < ks->cap; i++)
		free(ks->slots[i].key);
	free(ks->slots);
	keyset_init(ks);
}

/* FNV-1a. */
static uint64_t hash(const char *s)
{
	uint64_t h = 14695981039346656037ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static struct keyset_slot *slot_for(struct keyset_slot *slots, size_t cap, const char *key)
{
	size_t i = (size_t)hash(key) & (cap - 1);
	while (slots[i].key && strcmp(slots[i].key, key) != 0)
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

bool keyset_get(const struct keyset *ks, const char *key, size_t *value)
{
	if (!ks->cap)
		return false;
	const struct keyset_slot *s = slot_for(ks->slots, ks->cap, key);
	if (!s->key)
		return false;
	*value = s->value;
	return true;
}

static int grow(struct keyset *ks)
{
	size_t cap = ks->cap ? ks->cap * 2 : 64;
	struct keyset_slot *slots = calloc(cap, sizeof *slots);

	if (!slots)
		return -ENOMEM;
	for (size_t i = 0; i < ks->cap; i++)
		if (ks->slots[i].key)
			*slot_for(slots, cap, ks->slots[i].key) = ks->slots[i];
	free(ks->slots);
	ks->slots = slots;
	ks->cap = cap;
	return 0;
}

int keyset_put(struct keyset *ks, const char *key, size_t value)
{
	/* At most half full keeps probe runs short. */
	if ((ks->n + 1) * 2 > ks->cap && grow(ks) < 0)
		return -ENOMEM;
	struct keyset_slot *s = slot_for(ks->slots, ks->cap, key);
	if (!s->key) {
		if (!(s->key = strdup(key)))
			return -ENOMEM;
		ks->n++;
	}
	s->value = value;
	return 0;
}
