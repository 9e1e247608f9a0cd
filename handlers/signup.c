/*
 * 报名 <编号>, 取消报名 <编号> (a CQO for themself) and 报名名单 <编号> (the
 * event's organizer, admins).
 *
 * A CQO may sign up for events of the alliances they are a member of, and
 * for open events; never after the sign-up deadline or once the event has
 * started, nor while removed or blacklisted. Past the capacity they join
 * the waiting list, which moves up in order when someone holding a place
 * cancels — in the same transaction, with a message to whoever moved up.
 * A place taken or freed shows on the event's cards (event_cards_refresh).
 * 报名名单 shows names and enterprises only, so a group chat sees the same
 * as a private one.
 */
#include <errno.h>
#include <string.h>

#include "../store/store.h"
#include "../store/store_alliance.h"
#include "../store/store_audit.h"
#include "../store/store_signup.h"
#include "text/alliance.h"
#include "text/registry.h"
#include "event_cmd.h"
#include "event_ref.h"
#include "paging.h"
#include "timefmt.h"

#define PROMOTE_MAX 8   /* one cancellation frees one place; capacity changes more */

/* 1 after replying why the asker may not sign up for ev now, 0 when they
 * may. */
static int refused(struct cmd_ctx *ctx, const struct store_event *ev)
{
	char at[32];

	if (event_ref_closed(ctx, ev))
		return 1;
	if (!ev->signup_deadline || ctx->now <= ev->signup_deadline)
		return 0;
	timefmt_cst_minute(ev->signup_deadline, at, sizeof at);
	reply_add_line(ctx->reply, TXT_SU_DEADLINE, (long long)ev->id, at);
	ctx->reply->is_error = true;
	return 1;
}

static int signup_run(struct cmd_ctx *ctx)
{
	struct store_signup_state st;
	struct store_event ev;
	struct store_actor actor;
	bool barred = false;
	int rc;

	if (!ctx->who->person_id)
		return HANDLER_DENIED;
	/* Before the event: a barred person is no member any more, and would
	 * otherwise hear of a members' event only that it does not exist. */
	if (store_alliance_person_barred(ctx->store, ctx->who->person_id, &barred) < 0)
		return HANDLER_ERROR;
	if (barred) {
		ctx->reply->is_error = true;
		reply_add_line(ctx->reply, TXT_SU_BARRED);
		return HANDLER_OK;
	}
	if ((rc = event_ref_load(ctx, ctx->args->argv[1], &ev)) != 0)
		return alliance_ref_done(rc);
	if (refused(ctx, &ev))
		return HANDLER_OK;
	handler_actor(ctx, &actor);
	rc = store_signup_add(ctx->store, &actor, ev.id, ctx->who->person_id, ev.capacity, ctx->now,
	                      &st);
	if (rc == -EEXIST) {
		ctx->reply->is_error = true;
		if (strcmp(st.status, "waitlist") == 0)
			reply_add_line(ctx->reply, TXT_SU_ALREADY_WAITING, (long long)ev.id,
			               st.rank);
		else
			reply_add_line(ctx->reply, TXT_SU_ALREADY, (long long)ev.id);
		return HANDLER_OK;
	}
	/* A place taken: the event's cards show one fewer left. */
	if (rc == 0 && strcmp(st.status, "waitlist") != 0)
		rc = event_cards_refresh(ctx, ev.id, BROADCAST_PUBLISH);
	if (rc < 0)
		return HANDLER_ERROR;
	if (strcmp(st.status, "waitlist") == 0) {
		reply_set_title(ctx->reply, TXT_SU_WAITING_TITLE, ev.kind, ev.title);
		reply_add_line(ctx->reply, TXT_SU_WAITING, (long long)ev.capacity, st.rank);
	} else {
		char at[32];

		timefmt_cst_minute(ev.starts_at, at, sizeof at);
		reply_set_title(ctx->reply, TXT_SU_DONE_TITLE, ev.kind, ev.title);
		reply_add_field(ctx->reply, TXT_EV_K_TIME, "%s", at);
		if (ev.place[0])
			reply_add_field(ctx->reply, TXT_EV_K_PLACE, "%s", ev.place);
		if (ev.link[0])
			reply_add_field(ctx->reply, TXT_EV_K_LINK, "%s", ev.link);
	}
	reply_add_line(ctx->reply, TXT_SU_HOW_CANCEL, (long long)ev.id);
	return HANDLER_OK;
}

static int withdraw(struct cmd_ctx *ctx, const struct store_event *ev)
{
	int64_t promoted[PROMOTE_MAX];
	struct store_actor actor;
	bool held = false;
	size_t n = 0;
	int rc = store_savepoint(ctx->store);

	if (rc)
		return HANDLER_ERROR;
	handler_actor(ctx, &actor);
	rc = store_signup_cancel(ctx->store, &actor, ev->id, ctx->who->person_id, &held);
	if (rc == 0 && held)
		rc = store_signup_promote(ctx->store, &actor, ev->id, ev->capacity, promoted,
		                          PROMOTE_MAX, &n);
	if (rc == 0)
		rc = event_tell_promoted(ctx, ev, promoted, n);
	/* A place freed and nobody waiting for it: one more left. */
	if (rc == 0 && held && n == 0)
		rc = event_cards_refresh(ctx, ev->id, BROADCAST_PUBLISH);
	rc = store_savepoint_end(ctx->store, rc);
	if (rc) {
		if (rc != -ENOENT)
			return HANDLER_ERROR;
		ctx->reply->is_error = true;
		reply_add_line(ctx->reply, TXT_SU_NOT_SIGNED, (long long)ev->id);
		return HANDLER_OK;
	}
	reply_add_line(ctx->reply, TXT_SU_CANCELLED, (long long)ev->id, ev->kind, ev->title);
	return HANDLER_OK;
}

static int withdraw_run(struct cmd_ctx *ctx)
{
	struct store_event ev;
	int rc;

	if (!ctx->who->person_id)
		return HANDLER_DENIED;
	if ((rc = event_ref_load(ctx, ctx->args->argv[1], &ev)) != 0)
		return alliance_ref_done(rc);
	if (event_ref_closed(ctx, &ev))
		return HANDLER_OK;
	return withdraw(ctx, &ev);
}

static int roster_run(struct cmd_ctx *ctx)
{
	struct store_signup_row rows[PAGE_SIZE];
	size_t offset, limit, n, total;
	struct store_event ev;
	int rc;

	if ((rc = event_ref_manage(ctx, ctx->args->argv[1], &ev)) != 0)
		return alliance_ref_done(rc);
	handler_page_window(ctx, &offset, &limit);
	if (limit > PAGE_SIZE)
		limit = PAGE_SIZE;
	if (store_signup_list(ctx->store, ev.id, offset, rows, limit, &n, &total) < 0)
		return HANDLER_ERROR;
	reply_set_title(ctx->reply, TXT_SU_ROSTER_TITLE, (long long)ev.id, ev.title, ev.confirmed,
	                ev.waitlist);
	if (total == 0) {
		reply_add_line(ctx->reply, TXT_SU_ROSTER_NONE);
		return HANDLER_OK;
	}
	for (size_t i = 0; i < n; i++) {
		const struct store_signup_row *r = &rows[i];

		reply_add_line(ctx->reply, TXT_SU_ROSTER_LINE, offset + i + 1, r->person_name,
		               r->enterprise_name[0] ? r->enterprise_name : TXT_UNKNOWN_VALUE,
		               r->waiting ? TXT_SU_ROSTER_WAITING : "",
		               r->barred ? TXT_SU_ROSTER_BARRED : "");
	}
	handler_page_note(ctx, n, total);
	return HANDLER_OK;
}

static const char *const signup_aliases[] = {"signup", "join", NULL};
static const char *const withdraw_aliases[] = {"withdraw", NULL};
static const char *const roster_aliases[] = {"signups", "roster", NULL};

const struct handler_entry handler_signup = {
	.name = TXT_SU_NAME,
	.aliases = signup_aliases,
	.roles = ROLE_BIT(ROLE_CQO),
	.usage = TXT_SU_USAGE,
	.help = TXT_SU_HELP,
	.run = signup_run,
	.min_args = 1,
	.max_args = 1,
	.writes = true,
};

const struct handler_entry handler_withdraw = {
	.name = TXT_SU_WITHDRAW_NAME,
	.aliases = withdraw_aliases,
	.roles = ROLE_BIT(ROLE_CQO),
	.usage = TXT_SU_WITHDRAW_USAGE,
	.help = TXT_SU_WITHDRAW_HELP,
	.run = withdraw_run,
	.min_args = 1,
	.max_args = 1,
	.writes = true,
};

const struct handler_entry handler_roster = {
	.name = TXT_SU_ROSTER_NAME,
	.aliases = roster_aliases,
	.roles = ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_ORGANIZER),
	.usage = TXT_SU_ROSTER_USAGE,
	.help = TXT_SU_ROSTER_HELP,
	.run = roster_run,
	.min_args = 1,
	.max_args = 1,
};
