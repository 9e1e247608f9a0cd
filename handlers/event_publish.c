/*
 * 活动 发布, 活动 修改 <编号>, 活动 取消 <编号>: each first shows what will be
 * sent and to how many groups and people, and acts only after 确认 <码>.
 * Then, in one transaction: the event row, its audit row, the fan-out's
 * record and one outbox row per group and person (store_broadcast.h). A
 * change or cancellation also reaches everyone signed up; a change that
 * makes room moves the waiting list up and tells those moved up.
 *
 * The cards of the announcement already sent show the event as changed, or
 * its cancellation without buttons (event_cards_refresh).
 *
 * The organizer is told how delivery went once every message is settled
 * (a private message, on the platforms that have them) and can ask with
 * 活动 报告 <编号> at any time.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "../store/store.h"
#include "../store/store_audit.h"
#include "../store/store_broadcast.h"
#include "../store/store_card.h"
#include "../store/store_event.h"
#include "../store/store_signup.h"
#include "text/alliance.h"
#include "alliance_msg.h"
#include "alliance_ref.h"
#include "confirm.h"
#include "event_cmd.h"
#include "event_form.h"
#include "event_ref.h"

#define PROMOTE_MAX 64   /* moved up by one change; the rest at the next */

/* Reads the form; HANDLER_OK (0) when it is good, else the handler result
 * (the form described when it was empty). */
static int read_form(struct cmd_ctx *ctx, bool creating, struct store_event *ev,
                     char *alliance, size_t len, unsigned *changed)
{
	int rc = event_form_read(ctx->args->body, creating, ctx->now, ev, alliance, len, changed,
	                         ctx->reply);

	if (rc == -ENODATA) {
		event_form_describe(creating, ctx->reply);
		return HANDLER_USAGE;
	}
	if (rc == -EINVAL)
		return HANDLER_USAGE;
	return rc < 0 ? HANDLER_ERROR : HANDLER_OK;
}

/* The preview: the message as it will go out, its reach, the 确认 line. */
static int preview(struct cmd_ctx *ctx, const struct store_event *ev,
                   enum store_broadcast_kind kind, unsigned changed,
                   const struct store_audience *aud)
{
	size_t groups = 0, people = 0;

	if (store_broadcast_count(ctx->store, ctx->cfg, aud, &groups, &people) < 0)
		return HANDLER_ERROR;
	alliance_msg_event(ctx->reply, ev, false, kind, changed);
	reply_add_line(ctx->reply, kind == BROADCAST_PUBLISH ? TXT_EV_PREVIEW_PUBLISH
	               : kind == BROADCAST_UPDATE ? TXT_EV_PREVIEW_CHANGE : TXT_EV_PREVIEW_CANCEL,
	               groups, people);
	if (kind != BROADCAST_PUBLISH && ev->confirmed + ev->waitlist)
		reply_add_line(ctx->reply, TXT_EV_PREVIEW_SIGNED, ev->confirmed + ev->waitlist);
	return handler_confirm_request(ctx);
}

int event_tell_promoted(struct cmd_ctx *ctx, const struct store_event *ev,
                        const int64_t *people, size_t n)
{
	struct reply msg;
	int rc = 0;

	if (n == 0)
		return 0;
	reply_init(&msg);
	alliance_msg_promoted(&msg, ev);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		char prefix[96];

		snprintf(prefix, sizeof prefix,
		         "event:%" PRId64 ":promoted:%" PRId64 ":%" PRId64 ":", ev->id, people[i],
		         ctx->now);
		rc = store_broadcast_person(ctx->store, ctx->cfg, people[i], prefix, &msg,
		                            ctx->msg->request_id, NULL);
	}
	reply_free(&msg);
	return rc;
}

int event_cards_refresh(struct cmd_ctx *ctx, int64_t event_id, enum store_broadcast_kind why)
{
	struct store_event ev;
	struct reply msg;
	int rc = store_event_get(ctx->store, event_id, &ev);

	/* A sign-up changes only the places, which a card without a capacity
	 * does not show. */
	if (rc || (why == BROADCAST_PUBLISH && !ev.capacity))
		return rc == -ENOENT ? 0 : rc;
	reply_init(&msg);
	/* Changed: the card shows the event as it is now; cancelled: the
	 * cancellation, without buttons. */
	alliance_msg_event(&msg, &ev, true, why == BROADCAST_CANCEL ? why : BROADCAST_PUBLISH, 0);
	rc = msg.failure ? -ENOMEM
	                 : store_card_update(ctx->store, event_id, &msg, ctx->msg->request_id);
	reply_free(&msg);
	return rc;
}

/* Fans ev's announcement out inside the open transaction. */
static int fan_out(struct cmd_ctx *ctx, const struct store_event *ev,
                   enum store_broadcast_kind kind, unsigned changed, struct store_broadcast *b)
{
	struct store_audience aud = {ev->alliance_id, ev->id};
	struct store_actor actor;
	struct dest to;
	struct reply msg;
	bool report = alliance_ref_report_dest(ctx, &to);
	int rc;

	handler_actor(ctx, &actor);
	rc = store_broadcast_open(ctx->store, &actor, kind, &aud, report ? &to : NULL, ctx->now, b);
	if (rc)
		return rc;
	reply_init(&msg);
	alliance_msg_event(&msg, ev, true, kind, changed);
	rc = store_broadcast_send(ctx->store, &actor, ctx->cfg, &aud, b, &msg,
	                          ctx->msg->request_id);
	reply_free(&msg);
	return rc;
}

static void reply_sent(struct cmd_ctx *ctx, const struct store_broadcast *b, int64_t event_id)
{
	struct dest to;

	reply_add_line(ctx->reply, TXT_EV_SENT, b->groups, b->people, (long long)event_id);
	if (alliance_ref_report_dest(ctx, &to))
		reply_add_line(ctx->reply, TXT_EV_REPORT_LATER);
}

static int publish(struct cmd_ctx *ctx, struct store_event *ev)
{
	struct store_broadcast b;
	struct store_actor actor;
	int rc = store_savepoint(ctx->store);

	if (rc)
		return HANDLER_ERROR;
	handler_actor(ctx, &actor);
	rc = store_event_insert(ctx->store, &actor, ev, ctx->now, &ev->id);
	if (rc == 0)
		rc = fan_out(ctx, ev, BROADCAST_PUBLISH, 0, &b);
	rc = store_savepoint_end(ctx->store, rc);
	if (rc)
		return HANDLER_ERROR;
	reply_set_title(ctx->reply, TXT_EV_PUBLISHED, (long long)ev->id, ev->kind, ev->title);
	reply_sent(ctx, &b, ev->id);
	return HANDLER_OK;
}

int event_publish_run(struct cmd_ctx *ctx)
{
	struct store_event ev;
	struct store_alliance al;
	char alliance[128];
	unsigned changed;
	int rc;

	if ((rc = read_form(ctx, true, &ev, alliance, sizeof alliance, &changed)) != HANDLER_OK)
		return rc;
	if (ctx->who->role == ROLE_ADMIN && !alliance[0]) {
		reply_add_line(ctx->reply, TXT_EV_NAME_ALLIANCE);
		return HANDLER_USAGE;
	}
	if ((rc = alliance_ref_manage(ctx, alliance[0] ? alliance : NULL, &al)) != 0)
		return alliance_ref_done(rc);
	ev.alliance_id = al.id;
	snprintf(ev.alliance_name, sizeof ev.alliance_name, "%s", al.name);
	if (!ctx->confirmed) {
		struct store_audience aud = {al.id, 0};

		return preview(ctx, &ev, BROADCAST_PUBLISH, 0, &aud);
	}
	return publish(ctx, &ev);
}

static int change(struct cmd_ctx *ctx, const struct store_event *old, struct store_event *ev,
                  unsigned changed)
{
	int64_t promoted[PROMOTE_MAX];
	struct store_broadcast b;
	struct store_actor actor;
	size_t n = 0;
	int rc = store_savepoint(ctx->store);

	if (rc)
		return HANDLER_ERROR;
	handler_actor(ctx, &actor);
	rc = store_event_update(ctx->store, &actor, ev, ctx->now);
	/* More room: the waiting list moves up now, not at the next cancellation. */
	if (rc == 0 && ev->capacity != old->capacity)
		rc = store_signup_promote(ctx->store, &actor, ev->id, ev->capacity, promoted,
		                          PROMOTE_MAX, &n);
	if (rc == 0)
		rc = fan_out(ctx, ev, BROADCAST_UPDATE, changed, &b);
	if (rc == 0)
		rc = event_tell_promoted(ctx, ev, promoted, n);
	if (rc == 0)
		rc = event_cards_refresh(ctx, ev->id, BROADCAST_UPDATE);
	rc = store_savepoint_end(ctx->store, rc);
	if (rc)
		return HANDLER_ERROR;
	reply_set_title(ctx->reply, TXT_EV_CHANGED, (long long)ev->id, ev->kind, ev->title);
	reply_sent(ctx, &b, ev->id);
	if (n)
		reply_add_line(ctx->reply, TXT_EV_PROMOTED, n);
	return HANDLER_OK;
}

int event_change_run(struct cmd_ctx *ctx)
{
	struct store_event old, ev;
	char alliance[128];
	unsigned changed;
	int rc;

	if ((rc = event_ref_manage(ctx, ctx->args->argv[2], &old)) != 0)
		return alliance_ref_done(rc);
	if (event_ref_closed(ctx, &old))
		return HANDLER_OK;
	ev = old;
	if ((rc = read_form(ctx, false, &ev, alliance, sizeof alliance, &changed)) != HANDLER_OK)
		return rc;
	if (!ctx->confirmed) {
		struct store_audience aud = {ev.alliance_id, ev.id};

		return preview(ctx, &ev, BROADCAST_UPDATE, changed, &aud);
	}
	return change(ctx, &old, &ev, changed);
}

int event_cancel_run(struct cmd_ctx *ctx)
{
	struct store_broadcast b;
	struct store_event ev;
	struct store_actor actor;
	int rc;

	if ((rc = event_ref_manage(ctx, ctx->args->argv[2], &ev)) != 0)
		return alliance_ref_done(rc);
	if (event_ref_closed(ctx, &ev))
		return HANDLER_OK;
	if (!ctx->confirmed) {
		struct store_audience aud = {ev.alliance_id, ev.id};

		return preview(ctx, &ev, BROADCAST_CANCEL, 0, &aud);
	}
	if (store_savepoint(ctx->store))
		return HANDLER_ERROR;
	handler_actor(ctx, &actor);
	rc = store_event_cancel(ctx->store, &actor, ev.id, ctx->now);
	if (rc == 0)
		rc = fan_out(ctx, &ev, BROADCAST_CANCEL, 0, &b);
	if (rc == 0)
		rc = event_cards_refresh(ctx, ev.id, BROADCAST_CANCEL);
	rc = store_savepoint_end(ctx->store, rc);
	if (rc)
		return HANDLER_ERROR;
	reply_set_title(ctx->reply, TXT_EV_CANCEL_DONE, (long long)ev.id, ev.kind, ev.title);
	reply_sent(ctx, &b, ev.id);
	return HANDLER_OK;
}
