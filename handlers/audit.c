/*
 * 审计 <记录号>: the history of one registry record, newest first, a page at a
 * time: when (China Standard Time), who (platform:user), from which chat,
 * which command, and which fields changed. Admins see every record, clerks
 * those in their scope; a record outside the scope gets the same answer as
 * one that does not exist.
 */
#include <errno.h>

#include "../store/store.h"
#include "../store/store_audit.h"
#include "text/records.h"
#include "text/registry.h"
#include "audit_diff.h"
#include "handler.h"
#include "paging.h"
#include "record_ref.h"
#include "timefmt.h"

static void add_row(struct reply *r, const struct store_audit_row *row)
{
	char when[32], what[AUDIT_SUMMARY_MAX];

	timefmt_cst_minute(row->at, when, sizeof when);
	audit_summary(row->entity, row->before_json, row->after_json, what, sizeof what);
	reply_add_line(r, TXT_AUDIT_LINE, when, row->actor_platform, row->actor_user,
	               row->chat_id[0] ? row->chat_id : TXT_UNKNOWN_VALUE,
	               row->command[0] ? row->command : TXT_UNKNOWN_VALUE, what);
}

static int audit_run(struct cmd_ctx *ctx)
{
	struct store_audit_row rows[PAGE_SIZE];
	struct store_cqo_record rec;
	size_t offset, limit, n, total;
	int64_t id;
	int rc;

	const char *arg = ctx->args->argv[1];
	if (!record_ref_parse(ctx, arg, &id))
		return HANDLER_USAGE;
	rc = record_ref_load(ctx, id, arg, &rec);
	if (rc == -ENOENT)
		return HANDLER_OK;
	if (rc < 0)
		return HANDLER_ERROR;

	handler_page_window(ctx, &offset, &limit);
	if (limit > PAGE_SIZE)
		limit = PAGE_SIZE;
	if (store_audit_list(ctx->store, id, offset, rows, limit, &n, &total) < 0)
		return HANDLER_ERROR;
	reply_set_title(ctx->reply, TXT_AUDIT_TITLE, (long long)id, rec.person_name,
	                rec.enterprise_name);
	if (total == 0)
		reply_add_line(ctx->reply, TXT_AUDIT_EMPTY);
	for (size_t i = 0; i < n; i++)
		add_row(ctx->reply, &rows[i]);
	handler_page_note(ctx, n, total);
	return HANDLER_OK;
}

static const char *const audit_aliases[] = {"audit", NULL};

const struct handler_entry handler_audit = {
	.name = TXT_AUDIT_NAME,
	.aliases = audit_aliases,
	.roles = ROLES_STAFF,
	.usage = TXT_AUDIT_USAGE,
	.help = TXT_AUDIT_HELP,
	.run = audit_run,
	.min_args = 1,
	.max_args = 1,
};
