/*
 * Naming an event by its 编号 in the 活动, 报名 and 报名名单 commands, with
 * who may see or manage it: admins every event; clerks those of alliances
 * overlapping their scope; an organizer their alliance's; a CQO those of
 * the alliances they are a member of, and open events. An event the asker
 * may not see gets the answer of a missing one.
 */
#ifndef CQOD_EVENT_REF_H
#define CQOD_EVENT_REF_H

#include <stdbool.h>

#include "../store/store_event.h"
#include "alliance_ref.h"
#include "handler.h"

/* Loads event `typed` for reading. Returns 0, or after replying
 * HANDLER_USAGE (not a number), ALLIANCE_REF_REPLIED (not found: the
 * handler returns alliance_ref_done(rc)) or HANDLER_ERROR. */
int event_ref_load(struct cmd_ctx *ctx, const char *typed, struct store_event *ev);

/* Loads it for changing: admins, or the organizer of its alliance (others
 * are refused with HANDLER_DENIED). Same results otherwise. */
int event_ref_manage(struct cmd_ctx *ctx, const char *typed, struct store_event *ev);

/* true when a CQO may take part: a member of its alliance, or the event is
 * open. *member tells which (may be NULL). Negative on store failure. */
int event_ref_may_join(struct cmd_ctx *ctx, const struct store_event *ev, bool *member);

/* Replies why a published event can no longer be changed or signed up for
 * (cancelled, or started at ctx->now) and returns true; false when it can. */
bool event_ref_closed(struct cmd_ctx *ctx, const struct store_event *ev);

#endif
