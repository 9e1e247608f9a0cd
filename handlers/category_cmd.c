/*
 * 企业类别 <记录号|统一社会信用代码> [加|删 <类别>…]: an enterprise's categories
 * (规上, 专精特新 …, what 统计 and 目标 count), shown, or some added or
 * dropped. Staff act on enterprises in their scope only, and one out of
 * scope is answered as one that does not exist. The change and its audit
 * row are one savepoint (store_enterprise_tags_change).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../lib/names.h"
#include "../store/store.h"
#include "../store/store_appoint.h"
#include "../store/store_audit.h"
#include "text/records.h"
#include "text/registry.h"
#include "argtext.h"
#include "category.h"
#include "handler.h"
#include "record_ref.h"
#include "validate.h"

/* The enterprise the asker names. */
struct target {
	int64_t enterprise_id, record_id;    /* record_id 0 when named by credit code */
	char label[192];                     /* its name, or the credit code */
};

static bool in_scope(const struct identity *who, const char *region)
{
	return who->role == ROLE_ADMIN ||
	       (who->role == ROLE_CLERK && store_region_in_scope(region, who->scope));
}

/* 0; -ENOENT after replying "not found" (also out of scope); HANDLER_USAGE
 * for neither a record number nor a credit code; other negatives on store
 * failure. */
static int find_target(struct cmd_ctx *ctx, const char *typed, struct target *t)
{
	char code[19], why[VALIDATE_WHY_MAX], region[16];
	struct store_cqo_record rec;
	int64_t id;

	memset(t, 0, sizeof *t);
	if (argtext_id(typed, &id)) {
		int rc = record_ref_load(ctx, id, typed, &rec);
		if (rc < 0)
			return rc;
		t->enterprise_id = rec.enterprise_id;
		t->record_id = rec.appointment_id;
		snprintf(t->label, sizeof t->label, "%s", rec.enterprise_name);
		return 0;
	}
	if (validate_credit_code(typed, code, why, sizeof why) < 0) {
		reply_add_line(ctx->reply, TXT_ENTCAT_BAD_REF);
		return HANDLER_USAGE;
	}
	int rc = store_appoint_enterprise_find(ctx->store, code, &t->enterprise_id, region);
	if (rc == 0 && !in_scope(ctx->who, region))
		rc = -ENOENT;
	if (rc == -ENOENT) {
		ctx->reply->is_error = true;
		reply_add_line(ctx->reply, TXT_ENTCAT_NONE, code);
	}
	snprintf(t->label, sizeof t->label, "%s", code);
	return rc;
}

static int category_run(struct cmd_ctx *ctx)
{
	const struct args *a = ctx->args;
	struct target t;
	struct store_actor actor;
	unsigned bits = 0, now = 0;
	char bad[64], list[256];
	bool add = false;

	if (a->argc > 2) {
		add = names_has(TXT_ENTCAT_ADD, a->argv[2], strlen(a->argv[2]));
		if ((!add && !names_has(TXT_ENTCAT_DROP, a->argv[2], strlen(a->argv[2]))) || a->argc < 4)
			return HANDLER_USAGE;
		for (int i = 3; i < a->argc; i++) {
			unsigned more;
			if (category_parse_list(a->argv[i], &more, bad, sizeof bad) < 0) {
				reply_add_line(ctx->reply, TXT_ENTCAT_BAD, bad);
				return HANDLER_USAGE;
			}
			bits |= more;
		}
	}
	int rc = find_target(ctx, a->argv[1], &t);
	if (rc == -ENOENT)
		return HANDLER_OK;
	if (rc < 0)
		return rc == HANDLER_USAGE ? rc : HANDLER_ERROR;
	handler_actor(ctx, &actor);
	/* Showing is a change of nothing: no audit row, the same read. */
	rc = store_enterprise_tags_change(ctx->store, &actor, t.enterprise_id, t.record_id,
	                                  add ? bits : 0, add ? 0 : bits, &now);
	if (rc < 0)
		return HANDLER_ERROR;
	category_join(now, list, sizeof list);
	reply_add_line(ctx->reply, TXT_ENTCAT_SHOW, t.label, list[0] ? list : TXT_ENTCAT_EMPTY);
	return HANDLER_OK;
}

static const char *const category_aliases[] = {"category", "categories", NULL};

const struct handler_entry handler_category = {
	.name = TXT_ENTCAT_NAME,
	.aliases = category_aliases,
	.roles = ROLES_STAFF,
	.usage = TXT_ENTCAT_USAGE,
	.help = TXT_ENTCAT_HELP,
	.run = category_run,
	.min_args = 1,
	.max_args = 12,
	.writes = true,
};
