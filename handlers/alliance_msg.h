/*
 * The messages alliances push to groups and members (through the outbox)
 * and the delivery reports their organizers get: built here once, for the
 * commands (活动, 报名, 通知) and for the daemon's own sends (automatic
 * reports, annual campaigns: daemon/alliance_tick.c). Each fills a fresh
 * struct reply the caller owns.
 */
#ifndef CQOD_ALLIANCE_MSG_H
#define CQOD_ALLIANCE_MSG_H

#include "../store/store_broadcast.h"
#include "../store/store_campaign.h"
#include "../store/store_event.h"
#include "../lib/reply.h"

#include <stdbool.h>

/* The event as its announcement shows it: published, changed (`changed`
 * holds event_form.h's EVENT_F_* bits) or cancelled. With `buttons` (the
 * announcement itself, not its preview) an open event offers 报名 and
 * 取消报名 as actions, the places left shown beside them; else the line
 * saying what to type is part of the text. */
void alliance_msg_event(struct reply *r, const struct store_event *ev, bool buttons,
                        enum store_broadcast_kind kind, unsigned changed);

/* To someone whose place on the waiting list turned into a place. */
void alliance_msg_promoted(struct reply *r, const struct store_event *ev);

/* A plain notice of alliance `alliance_name`. */
void alliance_msg_notice(struct reply *r, const char *alliance_name, const char *body);

/* A yearly campaign. */
void alliance_msg_campaign(struct reply *r, const struct store_campaign *c);

/* A delivery report as a message of its own (titled), or as lines of a
 * reply listing several: what was sent when, to how many, how many were
 * delivered, are pending, failed, and the failed groups named. */
void alliance_msg_report(struct reply *r, const struct store_broadcast_report *rep);
void alliance_msg_report_lines(struct reply *r, const struct store_broadcast_report *rep);

/* What a fan-out was, for reports: "活动 3（发布）", "通知（批次 12）". */
void alliance_msg_what(const struct store_broadcast *b, char *buf, size_t len);

#endif
