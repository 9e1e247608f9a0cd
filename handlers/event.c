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
#include "text/alliance.h"
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

	if ((rc = event_ref_load(ctx, ctx->args->argv[2], &ev)) != 0)
		return alliance_ref_done(rc);
	alliance_msg_event(ctx->reply, &ev, false, BROADCAST_PUBLISH, 0);
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

static const char *const list_aliases[] = {"list", NULL};
static const char *const view_aliases[] = {"show", NULL};
static const char *const publish_aliases[] = {"publish", NULL};
static const char *const change_aliases[] = {"change", NULL};
static const char *const cancel_aliases[] = {"cancel", NULL};
static const char *const report_aliases[] = {"report", NULL};

#define EVERYONE (ROLES_STAFF | ROLE_BIT(ROLE_ORGANIZER) | ROLE_BIT(ROLE_CQO))
/* Organizers and admins only. */
#define MANAGERS (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_ORGANIZER))

/* 列表 comes first: it is what a bare 活动 runs. */
static const struct handler_entry event_subs[] = {
	{.name = TXT_EV_SUB_LIST, .aliases = list_aliases, .roles = EVERYONE,
	 .usage = TXT_EV_LIST_USAGE, .help = TXT_EV_LIST_HELP, .run = list_run},
	{.name = TXT_EV_SUB_VIEW, .aliases = view_aliases, .roles = EVERYONE,
	 .usage = TXT_EV_VIEW_USAGE, .help = TXT_EV_VIEW_HELP, .run = view_run,
	 .min_args = 1, .max_args = 1},
	{.name = TXT_EV_SUB_PUBLISH, .aliases = publish_aliases, .roles = MANAGERS,
	 .usage = TXT_EV_PUBLISH_USAGE, .help = TXT_EV_PUBLISH_HELP, .run = event_publish_run,
	 .flags = HANDLER_F_FORM, .writes = true},
	{.name = TXT_EV_SUB_CHANGE, .aliases = change_aliases, .roles = MANAGERS,
	 .usage = TXT_EV_CHANGE_USAGE, .help = TXT_EV_CHANGE_HELP, .run = event_change_run,
	 .min_args = 1, .max_args = 1, .flags = HANDLER_F_FORM, .writes = true},
	{.name = TXT_EV_SUB_CANCEL, .aliases = cancel_aliases, .roles = MANAGERS,
	 .usage = TXT_EV_CANCEL_USAGE, .help = TXT_EV_CANCEL_HELP, .run = event_cancel_run,
	 .min_args = 1, .max_args = 1, .writes = true},
	{.name = TXT_EV_SUB_REPORT, .aliases = report_aliases, .roles = MANAGERS,
	 .usage = TXT_EV_REPORT_USAGE, .help = TXT_EV_REPORT_HELP, .run = report_run,
	 .min_args = 1, .max_args = 1},
	{.name = NULL},
};

static const char *const event_aliases[] = {"event", NULL};

const struct handler_entry handler_event = {
	.name = TXT_EV_NAME,
	.aliases = event_aliases,
	.roles = EVERYONE,
	.usage = TXT_EV_USAGE,
	.help = TXT_EV_HELP,
	.subs = event_subs,
};
