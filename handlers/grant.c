/*
 * 授权 <用户> <角色> [范围] and 撤销授权 <用户>: who may do what in cqod.
 *
 * An admin grants any role; a clerk only the clerk role inside their own
 * scope, and only to someone who is a guest or already a clerk there, so a
 * clerk can never demote an admin or re-scope a colleague elsewhere. The
 * same rule decides whom a clerk may revoke. Nobody changes their own role,
 * and the store refuses to remove the last admin. The target is named in
 * the asker's platform and tenant, as "@<user id>" (how adapters deliver
 * mentions) or bare: a WeCom admin of one corp grants to users of that corp
 * only.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../store/store.h"
#include "../store/store_alliance.h"
#include "../store/store_audit.h"
#include "../store/store_identity.h"
#include "text/identity.h"
#include "handler.h"
#include "record_ref.h"
#include "validate.h"

#define USER_ID_MAX 127   /* what the 角色 list and audit rows hold */

/* "@u1" or "u1" -> "u1"; NULL when empty or too long. */
static const char *target_user(const char *arg)
{
	if (arg[0] == '@')
		arg++;
	size_t n = strlen(arg);
	return n > 0 && n <= USER_ID_MAX ? arg : NULL;
}

static bool is_self(const struct cmd_ctx *ctx, const char *user)
{
	return strcmp(user, ctx->msg->sender_id) == 0;
}

/* The target's identity: the asker's platform and tenant, reached through
 * the asker's instance. */
static struct store_identity_key target_key(const struct cmd_ctx *ctx, const char *user)
{
	return (struct store_identity_key){.platform = ctx->msg->platform,
	                                   .tenant = ctx->msg->tenant, .user_id = user,
	                                   .instance = ctx->msg->instance};
}

/* A clerk may act on a guest or on a clerk inside their own scope. */
static bool clerk_may_touch(const struct identity *who, const struct store_identity *cur,
                            bool exists)
{
	return !exists || (strcmp(cur->role, "clerk") == 0 &&
	                   store_region_in_scope(cur->scope, who->scope));
}

static int deny_clerk(struct cmd_ctx *ctx)
{
	reply_add_line(ctx->reply, TXT_GRANT_CLERK_ONLY, ctx->who->scope);
	return HANDLER_DENIED;
}

/* Fills id and detail (shown in the reply) from the role's argument.
 * Returns 0, HANDLER_USAGE (the reason added to the reply), HANDLER_DENIED
 * or HANDLER_ERROR. */
static int resolve_scope(struct cmd_ctx *ctx, enum role r, const char *arg,
                         struct store_identity *id, char *detail, size_t len)
{
	char why[VALIDATE_WHY_MAX], name[128];
	struct reply *out = ctx->reply;
	int rc;

	switch (r) {
	case ROLE_ADMIN:
		snprintf(detail, len, "%s", TXT_ROLE_DETAIL_ALL);
		return 0;
	case ROLE_CLERK:
		if (validate_region_code(arg, why, sizeof why) < 0) {
			reply_add_line(out, "%s", why);
			return HANDLER_USAGE;
		}
		rc = store_region_name(ctx->store, arg, name, sizeof name);
		if (rc == -ENOENT) {
			reply_add_line(out, TXT_GRANT_NO_REGION, arg);
			return HANDLER_USAGE;
		}
		if (rc < 0)
			return HANDLER_ERROR;
		if (ctx->who->role != ROLE_ADMIN && !store_region_in_scope(arg, ctx->who->scope))
			return deny_clerk(ctx);
		snprintf(id->scope, sizeof id->scope, "%s", arg);
		snprintf(detail, len, TXT_ROLE_DETAIL_REGION, name, arg);
		return 0;
	case ROLE_ORGANIZER: {
		struct store_alliance al;

		rc = store_alliance_find(ctx->store, arg, &al);
		if (rc == -ENOENT) {
			reply_add_line(out, TXT_GRANT_NO_ALLIANCE, arg);
			return HANDLER_USAGE;
		}
		if (rc < 0)
			return HANDLER_ERROR;
		id->alliance_id = al.id;
		snprintf(detail, len, TXT_ROLE_DETAIL_ALLIANCE, al.name, (long long)al.id);
		return 0;
	}
	case ROLE_CQO: {
		struct store_cqo_record rec;
		int64_t n;

		/* Only admins get here, so every record is within reach. */
		if (!record_ref_parse(ctx, arg, &n))
			return HANDLER_USAGE;
		rc = record_ref_load(ctx, n, arg, &rec);
		if (rc == -ENOENT)
			return HANDLER_USAGE;
		if (rc < 0)
			return HANDLER_ERROR;
		id->person_id = rec.person_id;
		snprintf(detail, len, TXT_ROLE_DETAIL_PERSON, rec.person_name, (long long)n);
		return 0;
	}
	default:
		return HANDLER_USAGE;
	}
}

/* Checks the argument count for the role; adds the reason when wrong. */
static bool arg_count_ok(struct cmd_ctx *ctx, enum role r)
{
	bool has_arg = ctx->args->argc == 4;

	if (r == ROLE_ADMIN && has_arg)
		reply_add_line(ctx->reply, TXT_GRANT_ADMIN_NO_ARG);
	else if (r == ROLE_CLERK && !has_arg)
		reply_add_line(ctx->reply, TXT_GRANT_NEED_REGION);
	else if (r == ROLE_ORGANIZER && !has_arg)
		reply_add_line(ctx->reply, TXT_GRANT_NEED_ALLIANCE);
	else if (r == ROLE_CQO && !has_arg)
		reply_add_line(ctx->reply, TXT_GRANT_NEED_RECORD);
	else
		return true;
	return false;
}

static int grant_run(struct cmd_ctx *ctx)
{
	const struct args *a = ctx->args;
	struct store_identity id = {0}, cur;
	struct store_actor actor;
	char detail[256];
	const char *user;
	enum role r;
	int rc;

	if (!(user = target_user(a->argv[1]))) {
		reply_add_line(ctx->reply, TXT_GRANT_BAD_USER, USER_ID_MAX);
		return HANDLER_USAGE;
	}
	if (role_parse(a->argv[2], &r) < 0 || r == ROLE_GUEST) {
		reply_add_line(ctx->reply, TXT_GRANT_BAD_ROLE, a->argv[2]);
		return HANDLER_USAGE;
	}
	/* A contact is whoever the enterprise hands its code to. */
	if (r == ROLE_CONTACT) {
		ctx->reply->is_error = true;
		reply_add_line(ctx->reply, TXT_GRANT_CONTACT_BY_CODE);
		return HANDLER_OK;
	}
	if (!arg_count_ok(ctx, r))
		return HANDLER_USAGE;
	if (is_self(ctx, user)) {
		reply_add_line(ctx->reply, TXT_GRANT_SELF);
		return HANDLER_DENIED;
	}
	if (ctx->who->role != ROLE_ADMIN && r != ROLE_CLERK)
		return deny_clerk(ctx);
	rc = resolve_scope(ctx, r, a->argc == 4 ? a->argv[3] : "", &id, detail, sizeof detail);
	if (rc != 0)
		return rc;

	struct store_identity_key key = target_key(ctx, user);
	rc = store_identity_get(ctx->store, &key, &cur);
	if (rc < 0 && rc != -ENOENT)
		return HANDLER_ERROR;
	if (ctx->who->role != ROLE_ADMIN && !clerk_may_touch(ctx->who, &cur, rc == 0))
		return deny_clerk(ctx);

	snprintf(id.role, sizeof id.role, "%s", role_name(r));
	/* The grantee is in this message's platform and tenant: reminders
	 * reach them through the same instance. */
	snprintf(id.instance, sizeof id.instance, "%s", ctx->msg->instance ? ctx->msg->instance : "");
	handler_actor(ctx, &actor);
	rc = store_identity_grant(ctx->store, &actor, &key, &id);
	if (rc == -EPERM) {
		reply_add_line(ctx->reply, TXT_GRANT_LAST_ADMIN, user);
		return HANDLER_DENIED;
	}
	if (rc < 0)
		return HANDLER_ERROR;
	reply_add_line(ctx->reply, TXT_GRANT_DONE, user, role_display(r), detail);
	return HANDLER_OK;
}

static int revoke_run(struct cmd_ctx *ctx)
{
	struct store_identity cur;
	struct store_actor actor;
	enum role r;
	const char *user;
	int rc;

	if (!(user = target_user(ctx->args->argv[1]))) {
		reply_add_line(ctx->reply, TXT_GRANT_BAD_USER, USER_ID_MAX);
		return HANDLER_USAGE;
	}
	if (is_self(ctx, user)) {
		reply_add_line(ctx->reply, TXT_GRANT_SELF);
		return HANDLER_DENIED;
	}
	struct store_identity_key key = target_key(ctx, user);
	rc = store_identity_get(ctx->store, &key, &cur);
	if (rc < 0 && rc != -ENOENT)
		return HANDLER_ERROR;
	if (ctx->who->role != ROLE_ADMIN && !(rc == 0 && clerk_may_touch(ctx->who, &cur, true)))
		return deny_clerk(ctx);
	if (rc == -ENOENT) {
		ctx->reply->is_error = true;
		reply_add_line(ctx->reply, TXT_REVOKE_NONE, user);
		return HANDLER_OK;
	}

	handler_actor(ctx, &actor);
	rc = store_identity_revoke(ctx->store, &actor, &key);
	if (rc == -EPERM) {
		reply_add_line(ctx->reply, TXT_GRANT_LAST_ADMIN, user);
		return HANDLER_DENIED;
	}
	if (rc == -ENOENT) {
		ctx->reply->is_error = true;
		reply_add_line(ctx->reply, TXT_REVOKE_NONE, user);
		return HANDLER_OK;
	}
	if (rc < 0)
		return HANDLER_ERROR;
	reply_add_line(ctx->reply, TXT_REVOKE_DONE, user,
	               role_parse(cur.role, &r) == 0 ? role_display(r) : cur.role);
	return HANDLER_OK;
}

static const char *const grant_aliases[] = {"grant", NULL};
static const char *const revoke_aliases[] = {"revoke-role", NULL};

const struct handler_entry handler_grant = {
	.name = TXT_GRANT_NAME,
	.aliases = grant_aliases,
	.roles = ROLES_STAFF,
	.usage = TXT_GRANT_USAGE,
	.help = TXT_GRANT_HELP,
	.run = grant_run,
	.min_args = 2,
	.max_args = 3,
	.writes = true,
};

const struct handler_entry handler_revoke = {
	.name = TXT_REVOKE_NAME,
	.aliases = revoke_aliases,
	.roles = ROLES_STAFF,
	.usage = TXT_REVOKE_USAGE,
	.help = TXT_REVOKE_HELP,
	.run = revoke_run,
	.min_args = 1,
	.max_args = 1,
	.writes = true,
};
