/*
 * What the alliance commands (联盟, 订阅, 退订, 活动, 报名, 通知) share: naming
 * an alliance and checking the asker may act on it, naming a group for
 * people, and where to send the asker a delivery report.
 *
 * Rule: an admin acts on every alliance, an organizer on their own only;
 * an organizer naming another alliance is refused (not told "not found":
 * alliance names are not secret).
 */
#ifndef CQOD_ALLIANCE_REF_H
#define CQOD_ALLIANCE_REF_H

#include <stdbool.h>
#include <stddef.h>

#include "../store/store_alliance.h"
#include "../lib/platform.h"
#include "handler.h"

/* A lookup below (here and in event_ref.h) that answered the asker itself
 * ("no such alliance"): the handler is done and returns HANDLER_OK.
 * Positive, so it never reads as 0 (found) or a handler result. */
#define ALLIANCE_REF_REPLIED 1

/* What a handler returns after a lookup that did not give 0. */
static inline int alliance_ref_done(int rc)
{
	return rc == ALLIANCE_REF_REPLIED ? HANDLER_OK : rc;
}

/* The alliance named by `arg` (name or number), or the organizer's own
 * when arg is NULL, which the asker may manage. Returns 0, or after
 * replying ALLIANCE_REF_REPLIED (no such alliance, is_error set),
 * HANDLER_USAGE (an admin must name one), HANDLER_DENIED (another
 * organizer's) or HANDLER_ERROR. */
int alliance_ref_manage(struct cmd_ctx *ctx, const char *arg, struct store_alliance *out);

/* The alliance named by `arg` for reading; replies "not found" like
 * alliance_ref_manage. Returns 0, ALLIANCE_REF_REPLIED or HANDLER_ERROR. */
int alliance_ref_find(struct cmd_ctx *ctx, const char *arg, struct store_alliance *out);

/* Free text given after the command: argv[from..] joined by spaces, then
 * the lines below the command line (a notice may span lines). A fresh heap
 * string the caller frees; NULL on ENOMEM. */
char *alliance_ref_text(const struct args *a, int from);

/* true when the asker may manage alliance `id` (admin, or its organizer). */
bool alliance_ref_may_manage(const struct identity *who, int64_t id);

/* A group as people name it: its label, else the platform's word for it
 * and its id ("钉钉群 cid123（d1）", "企业微信群机器人 alerts"). */
void alliance_ref_group_name(const struct dest *d, const char *label, char *buf, size_t len);

/* Where the asker is told how a fan-out went: a private message on the
 * platform instance they wrote from; false on platforms cqod cannot push
 * to (generic, console), where 活动 报告 answers on demand instead. */
bool alliance_ref_report_dest(const struct cmd_ctx *ctx, struct dest *out);

#endif
