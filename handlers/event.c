/*
 * 活动: alliance events (沙龙, 论坛, 围炉会, 大会, 现场会, 研讨会, 首席质量官日,
 * 质量月).
 *   活动 列表                upcoming events the asker may see (event_ref.h)
 *   活动 查看 <编号>         one event, with the asker's sign-up
 *   活动 发布 / 修改 / 取消  handlers/event_publish.c (organizer, admin)
 *   活动 报告 <编号>         how its announcements were delivered (organizer, admin)
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../store/store_broadcast.h"
#include "../store/store_event.h"
#include "../store/store_signup.h"
#include "../messages/text.h"
#include "alliance_msg.h"
#include "event_cmd.h"
#include "event_ref.h"
#include "paging.h"
#include "timefmt.h"

#define REPORTS_MAX 5
#define LIST_PAGE 10

/* "（您已报名）", "（您在候补第 2 位）" or "" for the asker's sign-up. */
static int my_signup(struct cmd_ctx *ctx, int64_t event_id, char *buf, size_t len)
{
	struct store_signup_state s;

	buf[0] = '\0';
	if (ctx->who->role != ROLE_CQO || !ctx->who->person_id)
		return 0;
	if (store_signup_get(ctx->store, event_id, ctx->who->person_id, &s) < 0)
		return -EIO;
	if (strcmp(s.status, "confirmed") == 0)
		snprintf(buf, len, "%s", TXT_EV_MINE_CONFIRMED);
	else if (strcmp(s.status, "waitlist") == 0)
		snprintf(buf, len, TXT_EV_MINE_WAITING, s.rank);
	return 0;
}

/* "12/40" or "12" (no limit), and waiting. */
static void counts(const struct store_event *ev, char *buf, size_t len)
{
	int n = ev->capacity ? snprintf(buf, len, TXT_EV_COUNT_CAP, ev->confirmed,
	                                (long long)ev->capacity)
	                     : snprintf(buf, len, TXT_EV_COUNT, ev->confirmed);

	if (ev->waitlist && n > 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, TXT_EV_COUNT_WAITING, ev->waitlist);
}

static void list_filter(const struct identity *who, struct store_event_filter *f)
{
	memset(f, 0, sizeof *f);
	if (who->role == ROLE_CLERK)
		f->scope = who->scope;
	else if (who->role == ROLE_ORGANIZER)
		f->alliance_id = who->alliance_id ? who->alliance_id : -1;
	else if (who->role == ROLE_CQO)
		f->person_id = who->person_id ? who->person_id : -1;
}

static int list_run(struct cmd_ctx *ctx)
{
	struct store_event rows[LIST_PAGE];
	struct store_event_filter f;
	size_t offset, limit, n, total;

	if (ctx->args->argc > 2)
		return HANDLER_USAGE;
	list_filter(ctx->who, &f);
	handler_page_window(ctx, &offset, &limit);
	if (limit > LIST_PAGE)
		limit = LIST_PAGE;
	if (store_event_list(ctx->store, &f, ctx->now, offset, rows, limit, &n, &total) < 0)
		return HANDLER_ERROR;
	if (total == 0) {
		reply_add_line(ctx->reply, TXT_EV_LIST_NONE);
		return HANDLER_OK;
	}
	reply_set_title(ctx->reply, TXT_EV_LIST_TITLE, total);
	for (size_t i = 0; i < n; i++) {
		char at[32], count[64], mine[64];

		if (my_signup(ctx, rows[i].id, mine, sizeof mine) < 0)
			return HANDLER_ERROR;
		timefmt_cst_minute(rows[i].starts_at, at, sizeof at);
		counts(&rows[i], count, sizeof count);
		reply_add_line(ctx->reply, TXT_EV_LIST_LINE, (long long)rows[i].id, rows[i].kind,
		               rows[i].title, at, rows[i].alliance_name, count, mine);
	}
	handler_page_note(ctx, n, total);
	return HANDLER_OK;
}

static int view_run(struct cmd_ctx *ctx)
{
	struct store_event ev;
	char count[64], mine[64];
	int rc;

	if (ctx->args->argc != 3)
		return HANDLER_USAGE;
	if ((rc = event_ref_load(ctx, ctx->args->argv[2], &ev)) != 0)
		return alliance_ref_done(rc);
	alliance_msg_event(ctx->reply, &ev, BROADCAST_PUBLISH, 0);
	counts(&ev, count, sizeof count);
	reply_add_field(ctx->reply, TXT_EV_K_SIGNUPS, "%s", count);
	if (strcmp(ev.status, "cancelled") == 0)
		reply_add_line(ctx->reply, TXT_EV_CANCELLED, (long long)ev.id);
	if (my_signup(ctx, ev.id, mine, sizeof mine) < 0)
		return HANDLER_ERROR;
	if (mine[0])
		reply_add_line(ctx->reply, "%s", mine);
	return HANDLER_OK;
}

static int report_run(struct cmd_ctx *ctx)
{
	struct store_broadcast_report rep;
	struct store_event ev;
	int64_t ids[REPORTS_MAX];
	size_t n;
	int rc;

	if (ctx->args->argc != 3)
		return HANDLER_USAGE;
	if ((rc = event_ref_manage(ctx, ctx->args->argv[2], &ev)) != 0)
		return alliance_ref_done(rc);
	if (store_broadcast_of_event(ctx->store, ev.id, ids, REPORTS_MAX, &n) < 0)
		return HANDLER_ERROR;
	reply_set_title(ctx->reply, TXT_EV_REPORT_TITLE, (long long)ev.id, ev.title);
	if (n == 0)
		reply_add_line(ctx->reply, TXT_EV_REPORT_NONE);
	for (size_t i = 0; i < n; i++) {
		if (store_broadcast_report(ctx->store, ids[i], &rep) < 0)
			return HANDLER_ERROR;
		alliance_msg_report_lines(ctx->reply, &rep);
	}
	return HANDLER_OK;
}

static int staff_only(struct cmd_ctx *ctx, const char *sub, unsigned roles,
                      int (*run)(struct cmd_ctx *ctx))
{
	if (!(roles & ROLE_BIT(ctx->who->role))) {
		reply_add_line(ctx->reply, TXT_EV_SUB_DENIED, sub);
		return HANDLER_DENIED;
	}
	return run(ctx);
}

/* Organizers and admins only. */
#define MANAGERS (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_ORGANIZER))

static const struct handler_sub event_subs[] = {
	{TXT_EV_SUB_LIST, "list", list_run, 0, false},
	{TXT_EV_SUB_VIEW, "show", view_run, 0, false},
	{TXT_EV_SUB_PUBLISH, "publish", event_publish_run, MANAGERS, true},
	{TXT_EV_SUB_CHANGE, "change", event_change_run, MANAGERS, true},
	{TXT_EV_SUB_CANCEL, "cancel", event_cancel_run, MANAGERS, true},
	{TXT_EV_SUB_REPORT, "report", report_run, MANAGERS, false},
	{NULL, NULL, NULL, 0, false},
};

static int event_run(struct cmd_ctx *ctx)
{
	const struct handler_sub *s;
	int rc = HANDLER_USAGE;

	if (ctx->args->argc == 1)
		return list_run(ctx);
	s = handler_sub_find(ctx->entry, ctx->args->argv[1]);
	if (s)
		rc = s->roles ? staff_only(ctx, s->word, s->roles, s->run) : s->run(ctx);
	/* A sub-command that said what was wrong needs no list of them all. */
	if (rc == HANDLER_USAGE && ctx->reply->n_items == 0)
		reply_add_line(ctx->reply, TXT_EV_SUBS);
	return rc;
}

static const char *const event_aliases[] = {"event", NULL};

const struct handler_entry handler_event = {
	.name = TXT_EV_NAME,
	.aliases = event_aliases,
	.roles = ROLES_STAFF | ROLE_BIT(ROLE_ORGANIZER) | ROLE_BIT(ROLE_CQO),
	.usage = TXT_EV_USAGE,
	.help = TXT_EV_HELP,
	.run = event_run,
	.subs = event_subs,
};
