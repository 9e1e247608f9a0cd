/* 我是谁 / whoami: the asker's identity, role and scope as cqod sees them. */
#include <stdio.h>

#include "../store/store.h"
#include "../store/store_alliance.h"
#include "../store/store_bind.h"
#include "text/common.h"
#include "text/identity.h"
#include "text/registry.h"
#include "../lib/textclean.h"
#include "handler.h"

/* The bound person's name and newest record; the bare id if unreadable. */
static void show_person(struct cmd_ctx *ctx)
{
	char name[64];
	int64_t record;

	if (store_person_brief(ctx->store, ctx->who->person_id, name, sizeof name, &record) == 0)
		reply_add_field(ctx->reply, TXT_WHOAMI_PERSON, TXT_ROLE_DETAIL_PERSON, name,
		                (long long)record);
	else
		reply_add_field(ctx->reply, TXT_WHOAMI_PERSON, "%lld", (long long)ctx->who->person_id);
}

/* The organizer's alliance by name; the bare id if unreadable. */
static void show_alliance(struct cmd_ctx *ctx)
{
	struct store_alliance al;

	if (store_alliance_get(ctx->store, ctx->who->alliance_id, &al) == 0)
		reply_add_field(ctx->reply, TXT_WHOAMI_ALLIANCE, TXT_ROLE_DETAIL_ALLIANCE, al.name,
		                (long long)al.id);
	else
		reply_add_field(ctx->reply, TXT_WHOAMI_ALLIANCE, "%lld",
		                (long long)ctx->who->alliance_id);
}

/* The contact's enterprise and credit code; the bare id if unreadable. */
static void show_enterprise(struct cmd_ctx *ctx)
{
	struct store_bind_enterprise ent;

	if (store_bind_enterprise_get(ctx->store, ctx->who->enterprise_id, NULL, &ent) == 0)
		reply_add_field(ctx->reply, TXT_WHOAMI_ENTERPRISE, TXT_ROLE_DETAIL_ENTERPRISE,
		                ent.name, ent.credit_code);
	else
		reply_add_field(ctx->reply, TXT_WHOAMI_ENTERPRISE, "%lld",
		                (long long)ctx->who->enterprise_id);
}

static int whoami_run(struct cmd_ctx *ctx)
{
	const struct chat_msg *m = ctx->msg;
	const struct identity *who = ctx->who;
	struct reply *r = ctx->reply;
	char region[96], user[256];

	reply_set_title(r, TXT_WHOAMI_TITLE);
	reply_add_field(r, TXT_WHOAMI_PLATFORM, "%s%s%s", m->platform, m->instance ? ":" : "",
	                m->instance ? m->instance : "");
	/* The dispatcher cleaned the name; the generic adapter's ids are the
	 * client's choice, so they are cleaned here. */
	textclean_line(user, sizeof user, m->sender_id);
	/* The organisation the platform vouched for: with the user id, who
	 * this person is to cqod (an admin grants by both). */
	if (m->tenant)
		reply_add_field(r, TXT_WHOAMI_TENANT, "%s", m->tenant);
	if (m->sender_name && m->sender_name[0])
		reply_add_field(r, TXT_WHOAMI_USER, "%s（%s）", m->sender_name, user);
	else
		reply_add_field(r, TXT_WHOAMI_USER, "%s", user);
	reply_add_field(r, TXT_WHOAMI_CHAT, "%s",
	                m->kind == CHAT_PRIVATE ? TXT_WHOAMI_PRIVATE : TXT_WHOAMI_GROUP);
	reply_add_field(r, TXT_WHOAMI_ROLE, "%s", role_display(who->role));
	if (who->role == ROLE_ADMIN) {
		reply_add_field(r, TXT_WHOAMI_SCOPE, TXT_WHOAMI_SCOPE_ALL);
	} else if (who->role == ROLE_CLERK) {
		if (store_region_name(ctx->store, who->scope, region, sizeof region) < 0)
			snprintf(region, sizeof region, "%s", TXT_UNKNOWN_VALUE);
		reply_add_field(r, TXT_WHOAMI_SCOPE, "%s（%s）", region, who->scope);
	}
	if (who->role == ROLE_CQO)
		show_person(ctx);
	else if (who->role == ROLE_ORGANIZER)
		show_alliance(ctx);
	else if (who->role == ROLE_CONTACT)
		show_enterprise(ctx);
	else if (who->role == ROLE_GUEST)
		reply_add_line(r, TXT_GUEST_HINT);
	return HANDLER_OK;
}

static const char *const whoami_aliases[] = {"whoami", NULL};

const struct handler_entry handler_whoami = {
	.name = TXT_WHOAMI_NAME,
	.aliases = whoami_aliases,
	.roles = ROLES_ANY,
	.usage = TXT_WHOAMI_USAGE,
	.help = TXT_WHOAMI_HELP,
	.run = whoami_run,
};
