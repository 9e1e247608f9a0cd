/*
 * The sub-commands of 活动 that change events (handlers/event_publish.c),
 * and telling people moved up from a waiting list;
 * handlers/event.c lists them in its table of sub-commands, whose roles and
 * argument counts the dispatcher applies before they run. They see
 * ctx->args unchanged (argv[1] is the sub-command). Each returns like a
 * handler.
 */
#ifndef CQOD_EVENT_CMD_H
#define CQOD_EVENT_CMD_H

#include <stddef.h>
#include <stdint.h>

#include "../store/store_broadcast.h"
#include "../store/store_event.h"
#include "handler.h"

/* 活动 发布 (form) */
int event_publish_run(struct cmd_ctx *ctx);
/* 活动 修改 <编号> (form of the fields to change) */
int event_change_run(struct cmd_ctx *ctx);
/* 活动 取消 <编号> */
int event_cancel_run(struct cmd_ctx *ctx);

/* Inside the transaction that moved them up: tells people[0..n) that their
 * place on the waiting list of ev became a place (also 取消报名). */
int event_tell_promoted(struct cmd_ctx *ctx, const struct store_event *ev,
                        const int64_t *people, size_t n);

/* Inside the transaction that changed event_id: queues its announcement
 * as it is now to every card of it sent (store_card_update), `why` saying
 * what changed: BROADCAST_PUBLISH a sign-up (the places left; nothing when
 * the event has no capacity), BROADCAST_UPDATE the event, BROADCAST_CANCEL
 * its cancellation (the notice, no buttons). 0 or a negative errno. */
int event_cards_refresh(struct cmd_ctx *ctx, int64_t event_id, enum store_broadcast_kind why);

#endif
