/*
 * An alliance's groups: the chats and group robots its notices go to
 * (subscriptions). A chat is an app group chat on a platform instance
 * (DEST_CHAT); a robot is a configured send-only group robot (DEST_ROBOT,
 * instance = the robot section's name, no chat id). Changes run in the
 * caller's transaction with a "subscription" audit row.
 */
#ifndef CQOD_STORE_SUBSCRIPTION_H
#define CQOD_STORE_SUBSCRIPTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../lib/platform.h"

struct store;
struct store_actor;

struct store_subscription {
	int64_t id;
	int64_t alliance_id;
	struct dest dest;        /* DEST_CHAT or DEST_ROBOT */
	char label[64];          /* a name given when subscribing; "" if none */
};

/* Subscribes d (DEST_CHAT or DEST_ROBOT) to the alliance; label may be ""
 * or NULL. -EEXIST when it is subscribed already (the label is kept). */
int store_subscription_add(struct store *st, const struct store_actor *who,
                           int64_t alliance_id, const struct dest *d, const char *label,
                           int64_t now, int64_t *id);

/* Unsubscribes d; -ENOENT when it was not subscribed. */
int store_subscription_remove(struct store *st, const struct store_actor *who,
                              int64_t alliance_id, const struct dest *d);

/* The alliance's subscriptions by id, from `offset`; *total counts all. */
int store_subscription_list(struct store *st, int64_t alliance_id, size_t offset,
                            struct store_subscription *out, size_t max, size_t *n,
                            size_t *total);

/* The subscription of the alliance reaching d; -ENOENT if none. */
int store_subscription_find(struct store *st, int64_t alliance_id, const struct dest *d,
                            struct store_subscription *out);

#endif
