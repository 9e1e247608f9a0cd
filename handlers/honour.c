/*
 * 荣誉 <记录号> <名称> <年份>: records an honour (优秀首席质量官, 质量专家
 * 人才库, 典型选树, 市长质量奖个人奖 ...) for the CQO of a record in the
 * asker's reach. Any name is accepted, since programmes differ by place;
 * honours of past terms may be recorded, so the record need not be in force.
 */
#include <errno.h>

#include "../lib/clock.h"
#include "../store/store_audit.h"
#include "../store/store_honour.h"
#include "text/records.h"
#include "argtext.h"
#include "handler.h"
#include "record_ref.h"
#include "validate.h"

#define HONOUR_NAME_MAX 64   /* characters */
#define HONOUR_FIRST_YEAR 2000

static bool parse_args(struct cmd_ctx *ctx, int64_t *id, long *year)
{
	const char *name = ctx->args->argv[2];
	char why[VALIDATE_WHY_MAX];
	bool ok = record_ref_parse(ctx, ctx->args->argv[1], id);

	if (!name[0]) {
		reply_add_line(ctx->reply, TXT_HONOUR_EMPTY);
		ok = false;
	} else if (argtext_chars(name) > HONOUR_NAME_MAX) {
		reply_add_line(ctx->reply, TXT_RECREF_TOO_LONG, TXT_HONOUR_TITLE_FIELD,
		               HONOUR_NAME_MAX);
		ok = false;
	}
	if (validate_int(ctx->args->argv[3], HONOUR_FIRST_YEAR, clock_cst_year(ctx->now) + 1, year,
	                 TXT_HONOUR_YEAR, why, sizeof why) < 0) {
		reply_add_line(ctx->reply, "%s", why);
		ok = false;
	}
	return ok;
}

static int honour_run(struct cmd_ctx *ctx)
{
	struct store_cqo_record rec;
	struct store_actor actor;
	const char *name;
	int64_t id, honour_id;
	long year;

	if (!parse_args(ctx, &id, &year))
		return HANDLER_USAGE;
	name = ctx->args->argv[2];
	int rc = record_ref_load(ctx, id, ctx->args->argv[1], &rec);
	if (rc < 0)
		return rc == -ENOENT ? HANDLER_OK : HANDLER_ERROR;

	handler_actor(ctx, &actor);
	rc = store_honour_add(ctx->store, &actor, id, name, (int)year, ctx->now, &honour_id);
	if (rc == -EEXIST) {
		ctx->reply->is_error = true;
		reply_add_line(ctx->reply, TXT_HONOUR_DUP, rec.person_name, (int)year, name);
		return HANDLER_OK;
	}
	if (rc < 0)
		return HANDLER_ERROR;
	reply_set_title(ctx->reply, TXT_HONOUR_DONE_TITLE, (long long)id);
	reply_add_field(ctx->reply, TXT_TRAIN_PERSON, TXT_RECREF_WHO, rec.person_name,
	                rec.enterprise_name);
	reply_add_field(ctx->reply, TXT_HONOUR_ITEM, TXT_HONOUR_ITEM_FMT, (int)year, name);
	return HANDLER_OK;
}

static const char *const honour_aliases[] = {"honour", "honor", NULL};

const struct handler_entry handler_honour = {
	.name = TXT_HONOUR_NAME,
	.aliases = honour_aliases,
	.roles = ROLES_STAFF,
	.usage = TXT_HONOUR_USAGE,
	.help = TXT_HONOUR_HELP,
	.run = honour_run,
	.min_args = 3,
	.max_args = 3,
	.writes = true,
};
