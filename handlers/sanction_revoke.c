/*
 * 撤销 <处理号> [说明] (admins): revokes a sanction. Revoking the last open
 * 除名/黑名单 of a record puts the record back in force, unless the
 * enterprise has filed a successor since; the reply says which happened.
 */
#include <errno.h>
#include <stdlib.h>

#include "../lib/clock.h"
#include "../store/store.h"
#include "../store/store_audit.h"
#include "../store/store_sanction.h"
#include "text/records.h"
#include "argtext.h"
#include "handler.h"
#include "record_ref.h"

#define NOTE_MAX 80   /* characters of the explanation */

static int reply_effect(struct cmd_ctx *ctx, enum store_revoke_effect effect, int64_t record)
{
	struct reply *r = ctx->reply;
	struct store_cqo_record rec;

	switch (effect) {
	case STORE_REVOKE_RESTORED:
		reply_add_line(r, TXT_SANREV_RESTORED, (long long)record);
		break;
	case STORE_REVOKE_OTHER_REMOVAL:
		/* The removal left in force says which: 已除名 or 已列入黑名单. */
		if (store_cqo_record_get(ctx->store, record, clock_cst_year(ctx->now), &rec) < 0)
			return -EIO;
		reply_add_line(r, TXT_SANREV_OTHER, (long long)record,
		               record_ref_status(rec.status, rec.blacklisted));
		break;
	case STORE_REVOKE_SUCCESSOR:
		reply_add_line(r, TXT_SANREV_SUCCESSOR, (long long)record);
		break;
	case STORE_REVOKE_PLAIN:
		break;
	}
	return 0;
}

static int revoke_run(struct cmd_ctx *ctx)
{
	const struct args *a = ctx->args;
	enum store_revoke_effect effect;
	struct store_sanction old;
	struct store_actor actor;
	int64_t id;
	char *note;   /* owned here */

	if (!argtext_id(a->argv[1], &id)) {
		reply_add_line(ctx->reply, TXT_SANREV_BAD_ID);
		return HANDLER_USAGE;
	}
	if (!(note = argtext_join(a, 2)))
		return HANDLER_ERROR;
	if (argtext_chars(note) > NOTE_MAX) {
		free(note);
		reply_add_line(ctx->reply, TXT_RECREF_TOO_LONG, TXT_SANREV_NOTE, NOTE_MAX);
		return HANDLER_USAGE;
	}
	handler_actor(ctx, &actor);
	int rc = store_sanction_revoke(ctx->store, &actor, id, note, ctx->now, &old, &effect);
	free(note);
	if (rc == -ENOENT || rc == -EALREADY) {
		ctx->reply->is_error = true;
		reply_add_line(ctx->reply, rc == -ENOENT ? TXT_SANREV_NONE : TXT_SANREV_ALREADY,
		               a->argv[1]);
		return HANDLER_OK;
	}
	if (rc < 0)
		return HANDLER_ERROR;
	reply_add_line(ctx->reply, TXT_SANREV_DONE, (long long)id, old.kind,
	               (long long)old.appointment_id);
	return reply_effect(ctx, effect, old.appointment_id) < 0 ? HANDLER_ERROR : HANDLER_OK;
}

static const char *const revoke_aliases[] = {"revoke", NULL};

const struct handler_entry handler_revoke_sanction = {
	.name = TXT_SANREV_NAME,
	.aliases = revoke_aliases,
	.roles = ROLE_BIT(ROLE_ADMIN),
	.usage = TXT_SANREV_USAGE,
	.help = TXT_SANREV_HELP,
	.run = revoke_run,
	.min_args = 1,
	.max_args = HANDLER_ARGS_ANY,
	.writes = true,
};
