/*
 * 通知 <联盟> <正文>: a plain notice to every group the alliance subscribed
 * and every member who takes private notices (the text may go on over the
 * following lines). Above [alliances] confirm_above groups and people
 * together it first shows its reach and waits for 确认 <码>. 通知 报告
 * <批次> tells how one was delivered.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/config.h"
#include "../store/store.h"
#include "../store/store_audit.h"
#include "../store/store_broadcast.h"
#include "text/alliance.h"
#include "alliance_msg.h"
#include "alliance_ref.h"
#include "argtext.h"
#include "confirm.h"

#define NOTICE_MAX 1000   /* characters */

static int send_notice(struct cmd_ctx *ctx, const struct store_alliance *al, const char *body)
{
	struct store_audience aud = {al->id, 0};
	struct store_broadcast b;
	struct store_actor actor;
	struct reply msg;
	struct dest to;
	bool report = alliance_ref_report_dest(ctx, &to);
	int rc = store_savepoint(ctx->store);

	if (rc)
		return HANDLER_ERROR;
	handler_actor(ctx, &actor);
	reply_init(&msg);
	alliance_msg_notice(&msg, al->name, body);
	rc = store_broadcast_open(ctx->store, &actor, BROADCAST_NOTICE, &aud, report ? &to : NULL,
	                          ctx->now, &b);
	if (rc == 0)
		rc = store_broadcast_send(ctx->store, &actor, ctx->cfg, &aud, &b, &msg,
		                          ctx->msg->request_id);
	rc = store_savepoint_end(ctx->store, rc);
	reply_free(&msg);
	if (rc)
		return HANDLER_ERROR;
	reply_add_line(ctx->reply, TXT_NT_SENT, al->name, b.groups, b.people, (long long)b.id,
	               (long long)b.id);
	if (report)
		reply_add_line(ctx->reply, TXT_EV_REPORT_LATER);
	return HANDLER_OK;
}

static int report_run(struct cmd_ctx *ctx)
{
	struct store_broadcast_report rep;
	int64_t id;
	int rc;

	if (ctx->args->argc != 3 || !argtext_id(ctx->args->argv[2], &id))
		return HANDLER_USAGE;
	rc = store_broadcast_report(ctx->store, id, &rep);
	if (rc < 0 && rc != -ENOENT)
		return HANDLER_ERROR;
	if (rc == -ENOENT || !alliance_ref_may_manage(ctx->who, rep.b.alliance_id)) {
		ctx->reply->is_error = true;
		reply_add_line(ctx->reply, TXT_NT_NO_BATCH, ctx->args->argv[2]);
		return HANDLER_OK;
	}
	alliance_msg_report(ctx->reply, &rep);
	return HANDLER_OK;
}

static int notice_run(struct cmd_ctx *ctx)
{
	struct store_audience aud;
	struct store_alliance al;
	size_t groups = 0, people = 0;
	char *body;
	int rc;

	if (ctx->args->argc >= 2 && strcmp(ctx->args->argv[1], TXT_NT_WORD_REPORT) == 0)
		return report_run(ctx);
	if ((rc = alliance_ref_manage(ctx, ctx->args->argv[1], &al)) != 0)
		return alliance_ref_done(rc);
	if (!(body = alliance_ref_text(ctx->args, 2)))
		return HANDLER_ERROR;
	if (!body[0] || argtext_chars(body) > NOTICE_MAX) {
		if (body[0])
			reply_add_line(ctx->reply, TXT_NT_TOO_LONG, NOTICE_MAX);
		free(body);
		return HANDLER_USAGE;
	}
	aud = (struct store_audience){al.id, 0};
	rc = store_broadcast_count(ctx->store, ctx->cfg, &aud, &groups, &people);
	if (rc == 0 && !ctx->confirmed && groups + people > ctx->cfg->alliance_confirm_above) {
		alliance_msg_notice(ctx->reply, al.name, body);
		reply_add_line(ctx->reply, TXT_NT_PREVIEW, groups, people);
		rc = handler_confirm_request(ctx);
	} else if (rc == 0) {
		rc = send_notice(ctx, &al, body);
	} else {
		rc = HANDLER_ERROR;
	}
	free(body);
	return rc;
}

static const char *const notice_aliases[] = {"notice", NULL};

const struct handler_entry handler_notice = {
	.name = TXT_NT_NAME,
	.aliases = notice_aliases,
	.roles = ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_ORGANIZER),
	.usage = TXT_NT_USAGE,
	.help = TXT_NT_HELP,
	.run = notice_run,
	.min_args = 1,
	.max_args = HANDLER_ARGS_ANY,
	.writes = true,
};
