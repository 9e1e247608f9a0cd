/*
 * 角色: the identities cqod knows, with role and scope, a page at a time.
 * An admin sees everyone; a clerk sees the clerks inside their own scope
 * (the people they may grant to or revoke), nobody else.
 */
#include "../store/store_identity.h"
#include "text/identity.h"
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
		char line[ROLE_LINE_MAX];

		role_line(&rows[i], offset + i + 1, line, sizeof line);
		reply_add_line(ctx->reply, "%s", line);
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
