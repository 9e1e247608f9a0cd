/*
 * 角色: the identities cqod knows, with role and scope, a page at a time.
 * An admin sees everyone; a clerk sees the clerks inside their own scope
 * (the people they may grant to or revoke), nobody else.
 */
#include <stdio.h>

#include "../store/store_identity.h"
#include "text/identity.h"
#include "../lib/textclean.h"
#include "handler.h"
#include "paging.h"
#include "role_text.h"

static int roles_run(struct cmd_ctx *ctx)
{
	struct store_identity_row rows[PAGE_SIZE];
	size_t offset, limit, n, total;
	bool admin = ctx->who->role == ROLE_ADMIN;

	handler_page_window(ctx, &offset, &limit);
	if (limit > PAGE_SIZE)
		limit = PAGE_SIZE;
	if (store_identity_list(ctx->store, admin ? "" : "clerk", admin ? "" : ctx->who->scope,
	                        offset, rows, limit, &n, &total) < 0)
		return HANDLER_ERROR;
	if (total == 0) {
		reply_add_line(ctx->reply, TXT_ROLES_NONE);
		return HANDLER_OK;
	}
	reply_set_title(ctx->reply, TXT_ROLES_TITLE, total);
	for (size_t i = 0; i < n; i++) {
		char name[96] = "", shown[sizeof rows[i].display_name];
		char user[sizeof rows[i].user_id], detail[256], tenant[256];
		enum role r = ROLE_GUEST;

		role_parse(rows[i].id.role, &r);
		role_detail(&rows[i], r, detail, sizeof detail);
		role_tenant_note(&rows[i], tenant, sizeof tenant);
		/* One row per identity: names stored before they were cleaned on
		 * arrival, and ids from the generic adapter, may hold line breaks. */
		if (textclean_line(shown, sizeof shown, rows[i].display_name))
			snprintf(name, sizeof name, TXT_ROLES_USER_NAME, shown);
		textclean_line(user, sizeof user, rows[i].user_id);
		reply_add_line(ctx->reply, TXT_ROLES_LINE, offset + i + 1, rows[i].platform, user,
		               name, role_display(r), detail, tenant);
	}
	handler_page_note(ctx, n, total);
	return HANDLER_OK;
}

static const char *const roles_aliases[] = {"roles", NULL};

const struct handler_entry handler_roles = {
	.name = TXT_ROLES_NAME,
	.aliases = roles_aliases,
	.roles = ROLES_STAFF,
	.usage = TXT_ROLES_USAGE,
	.help = TXT_ROLES_HELP,
	.run = roles_run,
};
