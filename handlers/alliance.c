/*
 * 联盟: CQO alliances (首席质量官联盟, 之家, 协会).
 *   联盟 列表                          the alliances the asker may see
 *   联盟 新建 <名称> [地区代码]         admin
 *   联盟 成员 … / 联盟 年度 …           handlers/alliance_member.c, alliance_campaign.c
 *   联盟 群 [联盟]                      the groups its notices go to (admin, organizer)
 *   联盟 私信 开启|关闭 [联盟]          a member's own private notices (cqo)
 *
 * Who sees which alliances: admins all, clerks those whose region overlaps
 * their scope, an organizer their own, a CQO the ones they are a member of.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../store/store.h"
#include "../store/store_alliance.h"
#include "../store/store_audit.h"
#include "../store/store_subscription.h"
#include "text/alliance.h"
#include "alliance_cmd.h"
#include "alliance_ref.h"
#include "argtext.h"
#include "paging.h"
#include "validate.h"

#define ALLIANCE_NAME_MAX 40   /* characters */

static void page_window(const struct cmd_ctx *ctx, size_t cap, size_t *offset, size_t *limit)
{
	handler_page_window(ctx, offset, limit);
	if (*limit > cap)
		*limit = cap;
}

static int create_run(struct cmd_ctx *ctx)
{
	const struct args *a = ctx->args;
	const char *name, *region = "";
	char why[VALIDATE_WHY_MAX], region_name[96];
	struct store_actor actor;
	int64_t id;
	int rc;

	name = a->argv[2];
	if (argtext_chars(name) > ALLIANCE_NAME_MAX) {
		reply_add_line(ctx->reply, TXT_AL_NAME_LONG, ALLIANCE_NAME_MAX);
		return HANDLER_USAGE;
	}
	if (argtext_id(name, &id)) {
		reply_add_line(ctx->reply, TXT_AL_NAME_DIGITS);
		return HANDLER_USAGE;
	}
	if (a->argc == 4) {
		region = a->argv[3];
		if (validate_region_code(region, why, sizeof why) < 0) {
			reply_add_line(ctx->reply, "%s", why);
			return HANDLER_USAGE;
		}
	}
	handler_actor(ctx, &actor);
	rc = store_alliance_create(ctx->store, &actor, name, region, ctx->now, &id);
	if (rc == -EEXIST || rc == -EINVAL) {
		ctx->reply->is_error = true;
		reply_add_line(ctx->reply, rc == -EEXIST ? TXT_AL_EXISTS : TXT_AL_NO_REGION,
		               rc == -EEXIST ? name : region);
		return HANDLER_OK;
	}
	if (rc < 0)
		return HANDLER_ERROR;
	reply_set_title(ctx->reply, TXT_AL_CREATED, name, (long long)id);
	if (region[0] &&
	    store_region_name(ctx->store, region, region_name, sizeof region_name) == 0)
		reply_add_field(ctx->reply, TXT_AL_K_REGION, "%s（%s）", region_name, region);
	reply_add_line(ctx->reply, TXT_AL_CREATED_NEXT, (long long)id, (long long)id);
	return HANDLER_OK;
}

/* What 联盟 列表 shows the asker. */
static void list_filter(const struct identity *who, struct store_alliance_filter *f)
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
	struct store_alliance_row rows[PAGE_SIZE];
	struct store_alliance_filter f;
	size_t offset, limit, n, total;

	list_filter(ctx->who, &f);
	page_window(ctx, PAGE_SIZE, &offset, &limit);
	if (store_alliance_list(ctx->store, &f, offset, rows, limit, &n, &total) < 0)
		return HANDLER_ERROR;
	if (total == 0) {
		reply_add_line(ctx->reply, ctx->who->role == ROLE_CQO ? TXT_AL_LIST_NONE_MEMBER
		                                                      : TXT_AL_LIST_NONE);
		return HANDLER_OK;
	}
	reply_set_title(ctx->reply, TXT_AL_LIST_TITLE, total);
	for (size_t i = 0; i < n; i++) {
		const struct store_alliance_row *r = &rows[i];
		char region[96] = "";

		if (r->al.region_code[0] &&
		    store_region_name(ctx->store, r->al.region_code, region, sizeof region) < 0)
			snprintf(region, sizeof region, "%s", r->al.region_code);
		if (ctx->who->role == ROLE_CQO)
			reply_add_line(ctx->reply, TXT_AL_LIST_LINE_MEMBER, (long long)r->al.id,
			               r->al.name, r->private_notices ? TXT_AL_ON : TXT_AL_OFF);
		else
			reply_add_line(ctx->reply, TXT_AL_LIST_LINE, (long long)r->al.id,
			               r->al.name, region[0] ? region : TXT_AL_NO_REGION_TEXT,
			               r->members, r->groups);
	}
	handler_page_note(ctx, n, total);
	return HANDLER_OK;
}

static int groups_run(struct cmd_ctx *ctx)
{
	struct store_subscription rows[PAGE_SIZE];
	struct store_alliance al;
	size_t offset, limit, n, total;
	int rc;

	rc = alliance_ref_manage(ctx, ctx->args->argc == 3 ? ctx->args->argv[2] : NULL, &al);
	if (rc != 0)
		return alliance_ref_done(rc);
	page_window(ctx, PAGE_SIZE, &offset, &limit);
	if (store_subscription_list(ctx->store, al.id, offset, rows, limit, &n, &total) < 0)
		return HANDLER_ERROR;
	if (total == 0) {
		reply_add_line(ctx->reply, TXT_AL_GROUPS_NONE, al.name, (long long)al.id);
		return HANDLER_OK;
	}
	reply_set_title(ctx->reply, TXT_AL_GROUPS_TITLE, al.name, total);
	for (size_t i = 0; i < n; i++) {
		char name[640];

		alliance_ref_group_name(&rows[i].dest, rows[i].label, name, sizeof name);
		reply_add_line(ctx->reply, TXT_AL_GROUPS_LINE, offset + i + 1, name);
	}
	handler_page_note(ctx, n, total);
	return HANDLER_OK;
}

static int private_run(struct cmd_ctx *ctx)
{
	const struct args *a = ctx->args;
	struct store_alliance al = {0};
	struct store_actor actor;
	int changed = 0, rc;
	bool on;

	if (!ctx->who->person_id)
		return HANDLER_DENIED;
	if (strcmp(a->argv[2], TXT_AL_WORD_ON) == 0 || strcmp(a->argv[2], "on") == 0)
		on = true;
	else if (strcmp(a->argv[2], TXT_AL_WORD_OFF) == 0 || strcmp(a->argv[2], "off") == 0)
		on = false;
	else
		return HANDLER_USAGE;
	if (a->argc == 4 && (rc = alliance_ref_find(ctx, a->argv[3], &al)) != 0)
		return alliance_ref_done(rc);
	handler_actor(ctx, &actor);
	rc = store_alliance_private_set(ctx->store, &actor, ctx->who->person_id, al.id, on,
	                                &changed);
	if (rc == -ENOENT) {
		ctx->reply->is_error = true;
		if (al.id)
			reply_add_line(ctx->reply, TXT_AL_PRIVATE_NOT_MEMBER, al.name);
		else
			reply_add_line(ctx->reply, TXT_AL_LIST_NONE_MEMBER);
		return HANDLER_OK;
	}
	if (rc < 0)
		return HANDLER_ERROR;
	if (al.id)
		reply_add_line(ctx->reply, on ? TXT_AL_PRIVATE_ON_ONE : TXT_AL_PRIVATE_OFF_ONE,
		               al.name);
	else
		reply_add_line(ctx->reply, on ? TXT_AL_PRIVATE_ON_ALL : TXT_AL_PRIVATE_OFF_ALL);
	return HANDLER_OK;
}

static const char *const list_aliases[] = {"list", NULL};
static const char *const create_aliases[] = {"new", NULL};
static const char *const members_aliases[] = {"members", NULL};
static const char *const groups_aliases[] = {"groups", NULL};
static const char *const private_aliases[] = {"private", NULL};
static const char *const yearly_aliases[] = {"yearly", NULL};

#define MANAGERS (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_ORGANIZER))

/* 成员, 群, 私信 and 年度 list without arguments and change with them:
 * declared as writing, the stricter claim. 列表 comes first: it is what a
 * bare 联盟 runs. */
static const struct handler_entry alliance_subs[] = {
	{.name = TXT_AL_SUB_LIST, .aliases = list_aliases,
	 .roles = ROLES_STAFF | ROLE_BIT(ROLE_ORGANIZER) | ROLE_BIT(ROLE_CQO),
	 .usage = TXT_AL_LIST_USAGE, .help = TXT_AL_LIST_HELP, .run = list_run},
	{.name = TXT_AL_SUB_CREATE, .aliases = create_aliases, .roles = ROLE_BIT(ROLE_ADMIN),
	 .usage = TXT_AL_CREATE_USAGE, .help = TXT_AL_CREATE_HELP, .run = create_run,
	 .min_args = 1, .max_args = 2, .writes = true},
	{.name = TXT_AL_SUB_MEMBERS, .aliases = members_aliases, .roles = MANAGERS,
	 .usage = TXT_AL_MEMBERS_USAGE, .help = TXT_AL_MEMBERS_HELP, .run = alliance_member_run,
	 .max_args = 3, .writes = true},
	{.name = TXT_AL_SUB_GROUPS, .aliases = groups_aliases, .roles = MANAGERS,
	 .usage = TXT_AL_GROUPS_USAGE, .help = TXT_AL_GROUPS_HELP, .run = groups_run,
	 .max_args = 1, .writes = true},
	{.name = TXT_AL_SUB_PRIVATE, .aliases = private_aliases, .roles = ROLE_BIT(ROLE_CQO),
	 .usage = TXT_AL_PRIVATE_USAGE, .help = TXT_AL_PRIVATE_HELP, .run = private_run,
	 .min_args = 1, .max_args = 2, .writes = true},
	{.name = TXT_AL_SUB_YEARLY, .aliases = yearly_aliases, .roles = ROLE_BIT(ROLE_ADMIN),
	 .usage = TXT_AL_YEARLY_USAGE, .help = TXT_AL_YEARLY_HELP, .run = alliance_campaign_run,
	 .min_args = 1, .max_args = HANDLER_ARGS_ANY, .writes = true},
	{.name = NULL},
};

static const char *const alliance_aliases[] = {"alliance", NULL};

const struct handler_entry handler_alliance = {
	.name = TXT_AL_NAME,
	.aliases = alliance_aliases,
	.roles = ROLES_STAFF | ROLE_BIT(ROLE_ORGANIZER) | ROLE_BIT(ROLE_CQO),
	.usage = TXT_AL_USAGE,
	.help = TXT_AL_HELP,
	.subs = alliance_subs,
};
