/*
 * The dispatcher's memory of destinations: each one's pacing (outbox_policy.h),
 * by its text form. Entries are made when a destination is first seen and
 * forgotten once idle long enough that the database alone (its last attempt)
 * restores them exactly as well.
 *
 * Ownership: the table owns its entries and their keys; pointers returned
 * stay valid until outbox_dests_prune or outbox_dests_free.
 */
#ifndef CQOD_OUTBOX_DESTS_H
#define CQOD_OUTBOX_DESTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "outbox_policy.h"

struct outbox_dest {
	struct outbox_dest *next;   /* hash chain */
	struct outbox_pace pace;
	char key[];                 /* the destination text */
};

struct outbox_dests {
	struct outbox_dest **buckets;
	size_t n_buckets, n;
};

/* The entry for `key`, created (pace zeroed, *created true) when missing;
 * NULL on ENOMEM. */
struct outbox_dest *outbox_dests_get(struct outbox_dests *t, const char *key, bool *created);

/* The entry for `key`, NULL when there is none. */
struct outbox_dest *outbox_dests_find(const struct outbox_dests *t, const char *key);

/* Forgets entries that are not busy and whose token came back before
 * `before_ms`. */
void outbox_dests_prune(struct outbox_dests *t, uint64_t before_ms);

void outbox_dests_free(struct outbox_dests *t);

#endif
