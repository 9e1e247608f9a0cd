/* The record a command acts on; see record_ref.h. */
#include "record_ref.h"

#include <errno.h>
#include <string.h>

#include "../lib/clock.h"
#include "text/records.h"
#include "text/registry.h"
#include "argtext.h"

bool record_ref_parse(struct cmd_ctx *ctx, const char *arg, int64_t *id)
{
	if (argtext_id(arg, id))
		return true;
	reply_add_line(ctx->reply, TXT_RECREF_BAD_ID);
	return false;
}

static bool within_reach(const struct identity *who, const struct store_cqo_record *rec)
{
	if (who->role == ROLE_ADMIN)
		return true;
	return who->role == ROLE_CLERK && store_region_in_scope(rec->region_code, who->scope);
}

int record_ref_load(struct cmd_ctx *ctx, int64_t id, const char *typed,
                    struct store_cqo_record *rec)
{
	int rc = store_cqo_record_get(ctx->store, id, clock_cst_year(ctx->now), rec);

	if (rc == 0 && !within_reach(ctx->who, rec))
		rc = -ENOENT;
	if (rc == -ENOENT) {
		ctx->reply->is_error = true;
		reply_add_line(ctx->reply, TXT_RECREF_NONE, typed);
	}
	return rc;
}

bool record_ref_active(struct cmd_ctx *ctx, const struct store_cqo_record *rec,
                       const char *command)
{
	if (strcmp(rec->status, "active") == 0)
		return true;
	ctx->reply->is_error = true;
	reply_add_line(ctx->reply, TXT_RECREF_NOT_ACTIVE, (long long)rec->appointment_id,
	               record_ref_status(rec->status, rec->blacklisted), command);
	return false;
}

const char *record_ref_status(const char *status, bool blacklisted)
{
	static const struct {
		const char *status, *text;
	} names[] = {
		{"active", TXT_STATUS_ACTIVE},
		{"ended", TXT_STATUS_ENDED},
		{"dismissed", TXT_STATUS_DISMISSED},
		{"removed", TXT_STATUS_REMOVED},
	};
	if (blacklisted && strcmp(status, "removed") == 0)
		return TXT_STATUS_BLACKLISTED;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(status, names[i].status) == 0)
			return names[i].text;
	return status;
}
