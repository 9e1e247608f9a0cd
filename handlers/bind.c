/*
 * Binding a chat identity to a CQO's record:
 *  - 绑定 <绑定码>: anyone not yet staff redeems a one-time code in a private
 *    chat and becomes the CQO of the code's person. A wrong, expired or used
 *    code gets one answer, so trying codes teaches nothing.
 *  - 解绑: a CQO drops the binding and is a guest again.
 *  - 绑定码 <记录号>: staff issue a fresh code for a record's person (the
 *    unused ones expire), shown only in a private chat.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../daemon/log.h"
#include "../daemon/store.h"
#include "../daemon/store_audit.h"
#include "../daemon/store_bind.h"
#include "../daemon/store_identity.h"
#include "../daemon/store_policy.h"
#include "../messages/text.h"
#include "bindcode.h"
#include "record_ref.h"

/* A code typed with spaces ("ABCD EFGH") arrives as several arguments. */
#define TYPED_CODE_MAX 64

static int bind_invalid(struct cmd_ctx *ctx)
{
	log_info("bind: code refused");
	ctx->reply->is_error = true;
	reply_add_line(ctx->reply, TXT_BIND_INVALID);
	return HANDLER_OK;
}

static int bind_run(struct cmd_ctx *ctx)
{
	char typed[TYPED_CODE_MAX] = "", hash[BINDCODE_HASH_LEN + 1], name[64];
	enum role role = ctx->who->role;
	struct store_actor actor;
	int64_t person_id;
	size_t used = 0;

	if (ctx->args->argc < 2)
		return HANDLER_USAGE;
	if (role == ROLE_ADMIN || role == ROLE_CLERK || role == ROLE_ORGANIZER) {
		ctx->reply->is_error = true;
		reply_add_line(ctx->reply, TXT_BIND_STAFF, role_display(role));
		return HANDLER_OK;
	}
	if (ctx->msg->kind != CHAT_PRIVATE) {
		ctx->reply->is_error = true;
		reply_add_line(ctx->reply, TXT_BIND_GROUP);
		return HANDLER_OK;
	}
	for (int i = 1; i < ctx->args->argc && used < sizeof typed; i++)
		used += (size_t)snprintf(typed + used, sizeof typed - used, "%s", ctx->args->argv[i]);
	if (used >= sizeof typed || bindcode_hash(typed, hash) < 0)
		return bind_invalid(ctx);

	handler_actor(ctx, &actor);
	int rc = store_savepoint(ctx->store);
	if (rc == 0)
		rc = store_bind_redeem(ctx->store, &actor, ctx->msg->sender_name, hash, ctx->now,
		                       &person_id, name);
	/* Reminders go back through the instance the code came in on. */
	if (rc == 0)
		rc = store_identity_set_instance(ctx->store, ctx->msg->platform, ctx->msg->sender_id,
		                                 ctx->msg->instance);
	rc = store_savepoint_end(ctx->store, rc);
	if (rc == -ENOENT)
		return bind_invalid(ctx);
	if (rc < 0)
		return HANDLER_ERROR;
	reply_add_line(ctx->reply, TXT_BIND_DONE, name);
	return HANDLER_OK;
}

static int unbind_run(struct cmd_ctx *ctx)
{
	struct store_actor actor;

	if (ctx->args->argc != 1)
		return HANDLER_USAGE;
	handler_actor(ctx, &actor);
	int rc = store_savepoint(ctx->store);
	if (rc == 0)
		rc = store_bind_remove(ctx->store, &actor);
	rc = store_savepoint_end(ctx->store, rc);
	if (rc == -ENOENT) {
		ctx->reply->is_error = true;
		reply_add_line(ctx->reply, TXT_UNBIND_NONE);
		return HANDLER_OK;
	}
	if (rc < 0)
		return HANDLER_ERROR;
	reply_add_line(ctx->reply, TXT_UNBIND_DONE);
	return HANDLER_OK;
}

static int bindcode_run(struct cmd_ctx *ctx)
{
	char code[BINDCODE_LEN + 1], expires[BINDCODE_EXPIRES_LEN];
	struct store_cqo_record rec;
	struct store_policy policy;
	struct store_actor actor;
	int64_t id;

	if (ctx->args->argc != 2)
		return HANDLER_USAGE;
	const char *typed = ctx->args->argv[1];
	if (!record_ref_parse(ctx, typed, &id))
		return HANDLER_USAGE;
	/* Before the lookup: a group learns nothing about the record. */
	if (ctx->msg->kind != CHAT_PRIVATE) {
		ctx->reply->is_error = true;
		reply_add_line(ctx->reply, TXT_BINDCODE_GROUP, typed);
		return HANDLER_OK;
	}
	int rc = record_ref_load(ctx, id, typed, &rec);
	if (rc == -ENOENT)
		return HANDLER_OK;
	if (rc < 0)
		return HANDLER_ERROR;
	if (!record_ref_active(ctx, &rec, TXT_BINDCODE_NAME))
		return HANDLER_OK;
	if (store_policy_for_region(ctx->store, rec.region_code, &policy) < 0)
		return HANDLER_ERROR;

	handler_actor(ctx, &actor);
	rc = store_savepoint(ctx->store);
	if (rc == 0)
		rc = bindcode_issue(ctx->store, &actor, rec.person_id, rec.appointment_id,
		                    policy.bind_code_days, ctx->now, code, expires);
	rc = store_savepoint_end(ctx->store, rc);
	if (rc < 0)
		return HANDLER_ERROR;
	reply_set_title(ctx->reply, TXT_BINDCODE_TITLE, (long long)rec.appointment_id,
	                rec.person_name);
	reply_add_line(ctx->reply, TXT_APPT_BINDCODE, code, expires, code);
	reply_add_line(ctx->reply, TXT_BINDCODE_REVOKED);
	return HANDLER_OK;
}

static const char *const bind_aliases[] = {"bind", NULL};
static const char *const unbind_aliases[] = {"unbind", NULL};
static const char *const bindcode_aliases[] = {"bindcode", NULL};

const struct handler_entry handler_bind = {
	.name = TXT_BIND_NAME,
	.aliases = bind_aliases,
	.roles = ROLES_ANY,
	.usage = TXT_BIND_USAGE,
	.help = TXT_BIND_HELP,
	.run = bind_run,
	.writes = true,
};

const struct handler_entry handler_unbind = {
	.name = TXT_UNBIND_NAME,
	.aliases = unbind_aliases,
	.roles = ROLE_BIT(ROLE_CQO),
	.usage = TXT_UNBIND_USAGE,
	.help = TXT_UNBIND_HELP,
	.run = unbind_run,
	.writes = true,
};

const struct handler_entry handler_bindcode = {
	.name = TXT_BINDCODE_NAME,
	.aliases = bindcode_aliases,
	.roles = ROLES_STAFF,
	.usage = TXT_BINDCODE_USAGE,
	.help = TXT_BINDCODE_HELP,
	.run = bindcode_run,
	.writes = true,
};
