/*
 * What the buttons of a card stand for (card_tracks), for platforms whose
 * card callbacks name the card and the button rather than a command
 * (DingTalk's interactive cards: outTrackId and an action id). Each face of
 * a card (sent, shown anew) is written with its outbox row and replaces
 * the last; a press is run only as a command its card shows.
 *
 * Ownership: all pointers are borrowed for the call.
 */
#ifndef CQOD_STORE_CARD_TRACK_H
#define CQOD_STORE_CARD_TRACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../lib/platform.h"

struct store;

/* Keeps t as the face of card t->id sent through d's platform and
 * instance (replacing the one kept). Inside the caller's transaction.
 * 0, -EINVAL (no id), -EIO. */
int store_card_track_keep(struct store *st, const struct dest *d, const struct card_track *t,
                          int64_t now);

/* The command of button `slot` (1..REPLY_ACTIONS_MAX) of card `track_id`
 * of platform/instance into cmd (len bytes), and whether the card is
 * shared. When `want` is not NULL (the command the press says it stands
 * for), it must be that button's. 0; -ENOENT when there is no such card,
 * no such button, or want differs; -ENOSPC (cmd too small); -EIO. */
int store_card_track_command(struct store *st, const char *platform, const char *instance,
                             const char *track_id, int slot, const char *want, char *cmd,
                             size_t len, bool *shared);

#endif
