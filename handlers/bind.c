/*
 * Binding a chat identity to a CQO's record or to an enterprise:
 *  - 绑定 <绑定码>: anyone not yet staff redeems a one-time code in a private
 *    chat and becomes the CQO of the code's person, or the contact
 *    (企业联系人) of the code's enterprise, who is then sent the enterprise's
 *    建议解聘 that could not be delivered before. A wrong, expired or used
 *    code gets one answer, so trying codes teaches nothing, and guessing is
 *    rate limited (below).
 *  - 解绑: a CQO or contact drops the binding and is a guest again.
 *  - 绑定码 <记录号>: staff issue a fresh code for a record's person (the
 *    unused ones expire); 绑定码 企业 <记录号|信用代码> one for the
 *    enterprise's contact. Shown only in a private chat.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/config.h"
#include "../lib/log.h"
#include "remind_dest.h"
#include "../store/store.h"
#include "../store/store_audit.h"
#include "../store/store_bind.h"
#include "../store/store_identity.h"
#include "../store/store_outbox.h"
#include "../store/store_policy.h"
#include "../store/store_remind.h"
#include "../lib/platform.h"
#include "text/identity.h"
#include "text/records.h"
#include "text/registry.h"
#include "bindcode.h"
#include "argtext.h"
#include "record_ref.h"
#include "sanction_notice.h"
#include "timefmt.h"

/* A code typed with spaces ("ABCD EFGH") arrives as several arguments. */
#define TYPED_CODE_MAX 64

/*
 * Bind-code rate limits. Guarantee: a code is checked only while neither
 * limit holds, so one identity (platform, tenant, user) gets at most
 * BIND_FAIL_MAX wrong codes per BIND_FAIL_WINDOW_S and is then locked out
 * for BIND_LOCK_S, and everyone together at most BIND_PAUSE_AFTER per
 * BIND_PAUSE_WINDOW_S, after which 绑定 is paused for all for BIND_PAUSE_S
 * and the admins are told through the outbox. The counters commit with the
 * refusal (a refusal on the command's own terms keeps its writes,
 * dispatch.h), so retrying, restarting or crashing does not reset them.
 * Every refused code is logged with the sender, never the code.
 */
#define BIND_FAIL_MAX 5
#define BIND_FAIL_WINDOW_S 600
#define BIND_LOCK_S 3600
#define BIND_PAUSE_AFTER 100
#define BIND_PAUSE_WINDOW_S 3600
#define BIND_PAUSE_S 3600

/* The admins' notice of a pause: to [outbox] admin_dest when set, else to
 * every admin a chat reaches (as the calendar warning). 0 or an error. */
static int tell_admins(struct cmd_ctx *ctx, int failures, int64_t until)
{
	struct store_remind_identity *admins = NULL;   /* owned here */
	struct remind_instances inst = {0};
	char when[32], key[640];
	size_t n_admins = 0, told = 0;
	struct reply r;
	struct dest d;
	int rc;

	timefmt_cst_minute(until, when, sizeof when);
	reply_init(&r);
	rc = reply_set_title(&r, TXT_BIND_PAUSE_TITLE);
	if (rc == 0)
		rc = reply_add_line(&r, TXT_BIND_PAUSE_COUNT, failures);
	if (rc == 0)
		rc = reply_add_line(&r, TXT_BIND_PAUSE_UNTIL, when);
	if (rc == 0)
		rc = reply_add_line(&r, TXT_BIND_PAUSE_HINT);
	if (rc == 0 && ctx->cfg && ctx->cfg->outbox_admin_dest &&
	    dest_parse(ctx->cfg->outbox_admin_dest, &d) == 0) {
		snprintf(key, sizeof key, "bind:paused:%lld", (long long)ctx->now);
		rc = store_outbox_enqueue(ctx->store, &d, &r, key, 0, ctx->msg->request_id);
		told += rc == 0;
	} else if (rc == 0) {
		rc = remind_instances_from_config(ctx->cfg, &inst);
		if (rc == 0)
			rc = store_remind_role_identities(ctx->store, "admin", &admins, &n_admins);
		for (size_t i = 0; rc == 0 && i < n_admins; i++) {
			if (remind_dest_for(&inst, &admins[i], &d) < 0)
				continue;
			snprintf(key, sizeof key, "bind:paused:%lld:%s:%s:%s", (long long)ctx->now,
			         d.platform, d.instance, d.target);
			rc = store_outbox_enqueue(ctx->store, &d, &r, key, 0, ctx->msg->request_id);
			if (rc == -EEXIST || rc == -EINVAL)
				rc = 0;
			else if (rc == 0)
				told++;
		}
	}
	if (rc == 0 && told == 0)
		log_warn("bind: no admin can be told in a chat that 绑定 is paused; set [outbox]"
		         " admin_dest");
	free(admins);
	remind_instances_free(&inst);
	reply_free(&r);
	return rc;
}

/* Counts a refused code of the asker, locks them or pauses 绑定 when a
 * limit is reached, and answers. The counters stay whatever the answer. */
static int bind_refused(struct cmd_ctx *ctx, const struct store_actor *who)
{
	int64_t locked = 0, paused = 0;
	int recent = 0, total = 0;
	int rc = store_savepoint(ctx->store);

	if (rc == 0)
		rc = store_bind_fail(ctx->store, who, ctx->now, BIND_FAIL_WINDOW_S,
		                     BIND_PAUSE_WINDOW_S, &recent, &total);
	if (rc == 0 && recent >= BIND_FAIL_MAX) {
		locked = ctx->now + BIND_LOCK_S;
		rc = store_bind_lock(ctx->store, who, locked);
	}
	if (rc == 0 && total >= BIND_PAUSE_AFTER) {
		paused = ctx->now + BIND_PAUSE_S;
		rc = store_bind_pause(ctx->store, ctx->now, paused, total);
		if (rc == 0)
			rc = tell_admins(ctx, total, paused);
	}
	rc = store_savepoint_end(ctx->store, rc);
	if (rc < 0)
		return HANDLER_ERROR;
	log_info("req %llu: bind: code refused for %s:%s:%s (%d in %d min, %d in all in %d min)",
	         (unsigned long long)ctx->msg->request_id, who->platform,
	         who->tenant ? who->tenant : "", who->user_id, recent, BIND_FAIL_WINDOW_S / 60,
	         total, BIND_PAUSE_WINDOW_S / 60);
	if (locked)
		log_warn("req %llu: bind: %s:%s:%s locked out of 绑定 for %d min after %d refused"
		         " codes", (unsigned long long)ctx->msg->request_id, who->platform,
		         who->tenant ? who->tenant : "", who->user_id, BIND_LOCK_S / 60, recent);
	if (paused)
		log_warn("req %llu: bind: 绑定 paused for everyone for %d min after %d refused codes"
		         " in %d min", (unsigned long long)ctx->msg->request_id, BIND_PAUSE_S / 60,
		         total, BIND_PAUSE_WINDOW_S / 60);
	ctx->reply->is_error = true;
	reply_add_line(ctx->reply, TXT_BIND_INVALID);
	if (locked) {
		char when[32];

		timefmt_cst_minute(locked, when, sizeof when);
		reply_add_line(ctx->reply, TXT_BIND_LOCKED, when);
	}
	return HANDLER_OK;
}

/* Answers an asker who may not try a code now; false when they may. */
static bool bind_gated(struct cmd_ctx *ctx, const struct store_actor *who, int *rc)
{
	int64_t locked, paused;
	char when[32];

	*rc = store_bind_gate(ctx->store, who, ctx->now, &locked, &paused);
	if (*rc < 0) {
		*rc = HANDLER_ERROR;
		return true;
	}
	*rc = HANDLER_OK;
	if (!locked && !paused)
		return false;
	log_info("req %llu: bind: %s:%s:%s may not try a code now (%s)",
	         (unsigned long long)ctx->msg->request_id, who->platform,
	         who->tenant ? who->tenant : "", who->user_id, paused ? "paused" : "locked");
	timefmt_cst_minute(paused ? paused : locked, when, sizeof when);
	ctx->reply->is_error = true;
	reply_add_line(ctx->reply, paused ? TXT_BIND_PAUSED : TXT_BIND_LOCKED, when);
	return true;
}

static int bind_run(struct cmd_ctx *ctx)
{
	char typed[TYPED_CODE_MAX] = "", hash[BINDCODE_HASH_LEN + 1];
	enum role role = ctx->who->role;
	struct store_bind_redeemed got;
	struct store_actor actor;
	size_t used = 0, sent = 0;

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
	handler_actor(ctx, &actor);
	int rc;
	if (bind_gated(ctx, &actor, &rc))
		return rc;
	for (int i = 1; i < ctx->args->argc && used < sizeof typed; i++)
		used += (size_t)snprintf(typed + used, sizeof typed - used, "%s", ctx->args->argv[i]);
	if (used >= sizeof typed || bindcode_hash(typed, hash) < 0)
		return bind_refused(ctx, &actor);

	rc = store_savepoint(ctx->store);
	if (rc == 0)
		rc = store_bind_redeem(ctx->store, &actor, ctx->msg->instance,
		                       ctx->msg->sender_name, hash, ctx->now, &got);
	/* In the binding's savepoint: the contact is sent what waited for one. */
	if (rc == 0 && got.enterprise_id)
		rc = sanction_notice_enterprise(ctx->store, got.enterprise_id, ctx->cfg, &sent);
	rc = store_savepoint_end(ctx->store, rc);
	if (rc == -ENOENT)
		return bind_refused(ctx, &actor);
	if (rc < 0)
		return HANDLER_ERROR;
	if (!got.enterprise_id) {
		reply_add_line(ctx->reply, TXT_BIND_DONE, got.name);
		return HANDLER_OK;
	}
	reply_add_line(ctx->reply, TXT_BIND_CONTACT_DONE, got.name);
	if (sent)
		reply_add_line(ctx->reply, TXT_BIND_CONTACT_SENT, sent);
	return HANDLER_OK;
}

static int unbind_run(struct cmd_ctx *ctx)
{
	struct store_actor actor;

	handler_actor(ctx, &actor);
	int rc = store_savepoint(ctx->store);
	if (rc == 0)
		rc = store_bind_remove(ctx->store, &actor, ctx->msg->instance);
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

/* 绑定码 企业 <记录号|信用代码>: the enterprise of a record in reach, or the
 * enterprise registered under a credit code in reach; "not found" alike
 * for both otherwise. */
static int bindcode_enterprise(struct cmd_ctx *ctx, const char *typed)
{
	char code[BINDCODE_LEN + 1], expires[BINDCODE_EXPIRES_LEN];
	struct store_bind_enterprise ent;
	struct store_cqo_record rec;
	struct store_policy policy;
	struct store_actor actor;
	int64_t id;
	int rc;

	if (argtext_id(typed, &id)) {
		rc = record_ref_load(ctx, id, typed, &rec);
		if (rc == -ENOENT)
			return HANDLER_OK;
		if (rc == 0)
			rc = store_bind_enterprise_get(ctx->store, rec.enterprise_id, NULL, &ent);
	} else {
		rc = store_bind_enterprise_get(ctx->store, 0, typed, &ent);
		if (rc == 0 && ctx->who->role != ROLE_ADMIN &&
		    !store_region_in_scope(ent.region_code, ctx->who->scope))
			rc = -ENOENT;
		if (rc == -ENOENT) {
			ctx->reply->is_error = true;
			reply_add_line(ctx->reply, TXT_BINDCODE_NO_ENTERPRISE, typed);
			return HANDLER_OK;
		}
	}
	if (rc < 0 || store_policy_for_region(ctx->store, ent.region_code, &policy) < 0)
		return HANDLER_ERROR;

	handler_actor(ctx, &actor);
	rc = store_savepoint(ctx->store);
	if (rc == 0)
		rc = bindcode_issue_enterprise(ctx->store, &actor, ent.id, policy.bind_code_days,
		                               ctx->now, code, expires);
	rc = store_savepoint_end(ctx->store, rc);
	if (rc < 0)
		return HANDLER_ERROR;
	reply_set_title(ctx->reply, TXT_BINDCODE_ENT_TITLE, ent.name);
	reply_add_line(ctx->reply, TXT_BINDCODE_ENT_CODE, code, expires, code);
	reply_add_line(ctx->reply, TXT_BINDCODE_REVOKED);
	return HANDLER_OK;
}

static int bindcode_run(struct cmd_ctx *ctx)
{
	char code[BINDCODE_LEN + 1], expires[BINDCODE_EXPIRES_LEN];
	struct store_cqo_record rec;
	struct store_policy policy;
	struct store_actor actor;
	int64_t id;

	bool enterprise = ctx->args->argc == 3;
	if (enterprise && strcmp(ctx->args->argv[1], TXT_BINDCODE_ENTERPRISE) != 0)
		return HANDLER_USAGE;
	const char *typed = ctx->args->argv[enterprise ? 2 : 1];
	if (!enterprise && !record_ref_parse(ctx, typed, &id))
		return HANDLER_USAGE;
	/* Before the lookup: a group learns nothing about the record. */
	if (ctx->msg->kind != CHAT_PRIVATE) {
		ctx->reply->is_error = true;
		reply_add_line(ctx->reply, enterprise ? TXT_BINDCODE_ENT_GROUP : TXT_BINDCODE_GROUP,
		               typed);
		return HANDLER_OK;
	}
	if (enterprise)
		return bindcode_enterprise(ctx, typed);
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
	.min_args = 1,
	.max_args = HANDLER_ARGS_ANY,
	.writes = true,
};

const struct handler_entry handler_unbind = {
	.name = TXT_UNBIND_NAME,
	.aliases = unbind_aliases,
	.roles = ROLE_BIT(ROLE_CQO) | ROLE_BIT(ROLE_CONTACT),
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
	.min_args = 1,
	.max_args = 2,
	.writes = true,
};
