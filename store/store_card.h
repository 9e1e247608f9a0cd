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

/* store_card_sent for a WeCom template card sent with buttons, whose send
 * answered with `code` (its response_code, good once within 72 hours): a
 * kept card also keeps that code as its freshest unused one (at now), the
 * user it went to and its task_id. 0, -EINVAL, -EIO, -ENOMEM. */
int store_card_sent_code(struct store *st, int64_t outbox_id, const char *handle,
                         const char *code, int64_t now);

/* A press of a button of the card `task_id` (instance of platform) came
 * with a fresh code: it becomes the card's freshest unused one, replacing
 * an older one. A card not kept changes nothing. Inside the press's
 * transaction, before its command runs (so the command's own update can
 * use it). 0, -EINVAL, -EIO. */
int store_card_code(struct store *st, const char *platform, const char *instance,
                    const char *task_id, const char *code, int64_t now);

/* Queues r as the new face of every kept card of event_id: one outbox row
 * per card (destination DEST_CARD), replacing that card's update still
 * pending, so a burst of sign-ups sends the latest count rather than each
 * (the outbox paces each card's updates like any destination's sends). A
 * card r cannot be rendered for (too long for one card) is left as it is.
 * A WeCom card takes its code along (render_wecom_card_update): the
 * freshest unused one, or the one of the update it replaces; the update
 * waits a few seconds for the changes after it, since each code serves
 * once; with no code left the update is skipped and counted
 * (cqod_card_updates_skipped_total).
 * Inside the caller's transaction. 0 or -EIO / -ENOMEM. */
int store_card_update(struct store *st, int64_t event_id, const struct reply *r,
                      uint64_t request_id);

#endif
