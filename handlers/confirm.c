/* 确认 <码> and 取消: the second step of two-step commands; see confirm.h. */
#include "confirm.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../store/store_confirm.h"
#include "../lib/crypto.h"
#include "text/common.h"

#define CODE_TRIES 5

/* The asker's tenant as the confirmations table keys it. */
static const char *tenant(const struct chat_msg *m)
{
	return m->tenant ? m->tenant : "";
}

int handler_confirm_request(struct cmd_ctx *ctx)
{
	const struct chat_msg *m = ctx->msg;
	char code[8];

	for (int i = 0; i < CODE_TRIES; i++) {
		uint32_t r;
		if (crypto_random(&r, sizeof r) < 0)
			return HANDLER_ERROR;
		snprintf(code, sizeof code, "%06u", (unsigned)(r % 1000000u));
		int rc = store_confirm_put(ctx->store, m->platform, tenant(m), m->sender_id, code,
		                           ctx->text,
		                           ctx->now, ctx->now + CONFIRM_TTL_SECONDS);
		if (rc == 0) {
			char command[sizeof TXT_CONFIRM_NAME + sizeof code];

			snprintf(command, sizeof command, "%s %s", TXT_CONFIRM_NAME, code);
			reply_add_fallback(ctx->reply, TXT_CONFIRM_ASK, code,
			                   CONFIRM_TTL_SECONDS / 60);
			reply_add_action(ctx->reply, TXT_CONFIRM_NAME, command,
			                 REPLY_ACTION_PRIMARY);
			reply_add_action(ctx->reply, TXT_CANCEL_NAME, TXT_CANCEL_NAME,
			                 REPLY_ACTION_DEFAULT);
			return HANDLER_OK;
		}
		if (rc != -EEXIST)
			return HANDLER_ERROR;
	}
	return HANDLER_ERROR;
}

static int confirm_run(struct cmd_ctx *ctx)
{
	const struct chat_msg *m = ctx->msg;
	char *command = NULL;

	int rc = store_confirm_take(ctx->store, m->platform, tenant(m), m->sender_id,
	                            ctx->args->argv[1], ctx->now, &command);
	if (rc == -ENOENT) {
		ctx->reply->is_error = true;
		reply_add_line(ctx->reply, TXT_CONFIRM_NONE);
		return HANDLER_OK;
	}
	if (rc < 0)
		return HANDLER_ERROR;
	rc = handler_rerun(ctx, command, true, 0);
	free(command);
	return rc;
}

static int cancel_run(struct cmd_ctx *ctx)
{
	int dropped = 0;

	if (store_confirm_drop(ctx->store, ctx->msg->platform, tenant(ctx->msg),
	                       ctx->msg->sender_id, ctx->now, &dropped) < 0)
		return HANDLER_ERROR;
	reply_add_line(ctx->reply, dropped ? TXT_CANCEL_DONE : TXT_CANCEL_NONE);
	return HANDLER_OK;
}

static const char *const confirm_aliases[] = {"confirm", NULL};
static const char *const cancel_aliases[] = {"cancel", NULL};

const struct handler_entry handler_confirm = {
	.name = TXT_CONFIRM_NAME,
	.aliases = confirm_aliases,
	.roles = ROLES_ANY & ~(ROLE_BIT(ROLE_GUEST) | ROLE_BIT(ROLE_CONTACT)),
	.usage = TXT_CONFIRM_USAGE,
	.help = TXT_CONFIRM_HELP,
	.run = confirm_run,
	.min_args = 1,
	.max_args = 1,
	.flags = HANDLER_F_NO_RERUN,
	.writes = true,
};

const struct handler_entry handler_cancel = {
	.name = TXT_CANCEL_NAME,
	.aliases = cancel_aliases,
	.roles = ROLES_ANY & ~(ROLE_BIT(ROLE_GUEST) | ROLE_BIT(ROLE_CONTACT)),
	.usage = TXT_CANCEL_USAGE,
	.help = TXT_CANCEL_HELP,
	.run = cancel_run,
	.flags = HANDLER_F_NO_RERUN,
};
