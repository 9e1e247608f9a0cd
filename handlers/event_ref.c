/* Naming events; see event_ref.h. */
#include "event_ref.h"

#include <errno.h>
#include <string.h>

#include "../store/store_alliance.h"
#include "text/alliance.h"
#include "alliance_ref.h"
#include "argtext.h"

int event_ref_may_join(struct cmd_ctx *ctx, const struct store_event *ev, bool *member)
{
	bool m = false;

	if (ctx->who->role == ROLE_CQO && ctx->who->person_id &&
	    store_alliance_person_member(ctx->store, ev->alliance_id, ctx->who->person_id, &m) < 0)
		return -EIO;
	if (member)
		*member = m;
	return m || ev->is_open;
}

static int visible(struct cmd_ctx *ctx, const struct store_event *ev)
{
	switch (ctx->who->role) {
	case ROLE_ADMIN:
		return 1;
	case ROLE_CLERK:
		return store_alliance_region_overlaps(ev->alliance_region, ctx->who->scope);
	case ROLE_ORGANIZER:
		return ctx->who->alliance_id == ev->alliance_id;
	case ROLE_CQO:
		return event_ref_may_join(ctx, ev, NULL);
	default:
		return 0;
	}
}

static int not_found(struct cmd_ctx *ctx, const char *typed)
{
	ctx->reply->is_error = true;
	reply_add_line(ctx->reply, TXT_EV_NONE, typed);
	return ALLIANCE_REF_REPLIED;
}

/* Loads without a visibility check. */
static int load(struct cmd_ctx *ctx, const char *typed, struct store_event *ev)
{
	int64_t id;
	int rc;

	if (!argtext_id(typed, &id)) {
		reply_add_line(ctx->reply, TXT_EV_BAD_ID);
		return HANDLER_USAGE;
	}
	rc = store_event_get(ctx->store, id, ev);
	if (rc == -ENOENT)
		return not_found(ctx, typed);
	return rc < 0 ? HANDLER_ERROR : 0;
}

int event_ref_load(struct cmd_ctx *ctx, const char *typed, struct store_event *ev)
{
	int rc = load(ctx, typed, ev);

	if (rc != 0)
		return rc;
	rc = visible(ctx, ev);
	if (rc < 0)
		return HANDLER_ERROR;
	return rc ? 0 : not_found(ctx, typed);
}

int event_ref_manage(struct cmd_ctx *ctx, const char *typed, struct store_event *ev)
{
	int rc = load(ctx, typed, ev);

	if (rc != 0)
		return rc;
	if (alliance_ref_may_manage(ctx->who, ev->alliance_id))
		return 0;
	if (ctx->who->role != ROLE_ORGANIZER)
		return not_found(ctx, typed);
	reply_add_line(ctx->reply, TXT_EV_NOT_YOURS, (long long)ev->id, ev->alliance_name);
	return HANDLER_DENIED;
}

bool event_ref_closed(struct cmd_ctx *ctx, const struct store_event *ev)
{
	if (strcmp(ev->status, "cancelled") == 0)
		reply_add_line(ctx->reply, TXT_EV_CANCELLED, (long long)ev->id);
	else if (ev->starts_at <= ctx->now)
		reply_add_line(ctx->reply, TXT_EV_STARTED, (long long)ev->id);
	else
		return false;
	ctx->reply->is_error = true;
	return true;
}
