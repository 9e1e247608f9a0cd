/*
 * 联盟 年度 <联盟>                                 the alliance's yearly campaigns
 * 联盟 年度 <联盟> 质量月|首席质量官日 <月-日> <正文>  set one (admin)
 * 联盟 年度 <联盟> <类型> 删除                      drop one (admin)
 *
 * A campaign goes out every year on its day (from 09:00 China Standard
 * Time, or as soon as cqod runs within a week after) to the alliance's
 * groups and the members who take private notices (daemon/alliance_tick.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../store/store_alliance.h"
#include "../store/store_audit.h"
#include "../store/store_campaign.h"
#include "text/alliance.h"
#include "alliance_cmd.h"
#include "alliance_ref.h"
#include "argtext.h"
#include "validate.h"

#define CAMPAIGN_BODY_MAX 500   /* characters */
#define CAMPAIGNS_MAX 4

static const char *const kinds[] = {"质量月", "首席质量官日"};

static const char *kind_of(const char *word)
{
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(word, kinds[i]) == 0)
			return kinds[i];
	return NULL;
}

/* "9-1", "09-01", "9月1日" -> "09-01" (a day that exists in a leap year). */
static bool parse_month_day(const char *s, char out[6])
{
	char date[32], norm[11], why[VALIDATE_WHY_MAX];
	int n = snprintf(date, sizeof date, strstr(s, "月") ? "2000年%s" : "2000-%s", s);

	if (n < 0 || (size_t)n >= sizeof date || validate_date(date, norm, why, sizeof why) < 0)
		return false;
	memcpy(out, norm + 5, 6);
	return true;
}

static int list(struct cmd_ctx *ctx, const struct store_alliance *al)
{
	struct store_campaign rows[CAMPAIGNS_MAX];
	size_t n;

	if (store_campaign_list(ctx->store, al->id, rows, CAMPAIGNS_MAX, &n) < 0)
		return HANDLER_ERROR;
	if (n == 0) {
		reply_add_line(ctx->reply, TXT_CP_NONE, al->name);
		return HANDLER_OK;
	}
	reply_set_title(ctx->reply, TXT_CP_TITLE, al->name);
	for (size_t i = 0; i < n; i++)
		reply_add_field(ctx->reply, rows[i].kind, TXT_CP_LINE, rows[i].month_day,
		                rows[i].body);
	return HANDLER_OK;
}

static int set(struct cmd_ctx *ctx, const struct store_alliance *al, const char *kind)
{
	const struct args *a = ctx->args;
	struct store_actor actor;
	char day[6];
	char *body;
	int rc;

	if (a->argc < 5 || (a->argc == 5 && !a->body[0]))
		return HANDLER_USAGE;
	if (!parse_month_day(a->argv[4], day)) {
		reply_add_line(ctx->reply, TXT_CP_BAD_DAY);
		return HANDLER_USAGE;
	}
	if (!(body = alliance_ref_text(a, 5)))
		return HANDLER_ERROR;
	if (argtext_chars(body) > CAMPAIGN_BODY_MAX) {
		free(body);
		reply_add_line(ctx->reply, TXT_CP_TOO_LONG, CAMPAIGN_BODY_MAX);
		return HANDLER_USAGE;
	}
	handler_actor(ctx, &actor);
	rc = store_campaign_set(ctx->store, &actor, al->id, kind, day, body, ctx->now);
	free(body);
	if (rc < 0)
		return HANDLER_ERROR;
	reply_add_line(ctx->reply, TXT_CP_SET, al->name, kind, day);
	return HANDLER_OK;
}

int alliance_campaign_run(struct cmd_ctx *ctx)
{
	const struct args *a = ctx->args;
	struct store_alliance al;
	struct store_actor actor;
	const char *kind;
	int rc;

	if ((rc = alliance_ref_find(ctx, a->argv[2], &al)) != 0)
		return alliance_ref_done(rc);
	if (a->argc == 3)
		return list(ctx, &al);
	if (!(kind = kind_of(a->argv[3]))) {
		reply_add_line(ctx->reply, TXT_CP_BAD_KIND);
		return HANDLER_USAGE;
	}
	if (a->argc != 5 || strcmp(a->argv[4], TXT_AL_WORD_DELETE) != 0)
		return set(ctx, &al, kind);
	handler_actor(ctx, &actor);
	rc = store_campaign_delete(ctx->store, &actor, al.id, kind);
	if (rc == -ENOENT) {
		ctx->reply->is_error = true;
		reply_add_line(ctx->reply, TXT_CP_NOT_SET, al.name, kind);
		return HANDLER_OK;
	}
	if (rc < 0)
		return HANDLER_ERROR;
	reply_add_line(ctx->reply, TXT_CP_DELETED, al.name, kind);
	return HANDLER_OK;
}
