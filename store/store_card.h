/*
 * Cards cqod sent and shows anew later (sent_cards): an event's
 * announcement, whose places left change with every sign-up. What a card
 * is updated by is kept with it (Feishu: the message id), so an update
 * survives a restart.
 *
 * Ownership: all pointers are borrowed for the call.
 */
#ifndef CQOD_STORE_CARD_H
#define CQOD_STORE_CARD_H

#include <stdint.h>

#include "../lib/reply.h"

struct store;

/* Outbox row `outbox_id` went out as the platform's message `handle`: when
 * the row is an event's announcement of one part (key "event:<id>:publish:"
 * or "event:<id>:update:", "#1", no "#2"), the card is kept for updates;
 * other rows, and a card already kept, change nothing. Inside the dispatcher's transaction.
 * 0, -EINVAL (empty handle), -EIO. */
int store_card_sent(struct store *st, int64_t outbox_id, const char *handle, int64_t now);

/* Queues r as the new face of every kept card of event_id: one outbox row
 * per card (destination DEST_CARD), replacing that card's update still
 * pending, so a burst of sign-ups sends the latest count rather than each
 * (the outbox paces each card's updates like any destination's sends). A
 * card r cannot be rendered for (too long for one card) is left as it is.
 * Inside the caller's transaction. 0 or -EIO / -ENOMEM. */
int store_card_update(struct store *st, int64_t event_id, const struct reply *r,
                      uint64_t request_id);

#endif
