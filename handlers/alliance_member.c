/*
 * 联盟 成员 [联盟] and 联盟 成员 加入|移出 <记录号> [联盟]: an alliance's
 * members are registry records, managed by its organizer (or an admin).
 * Organizers see names and enterprises only, as 查询 shows them. A record
 * joins only while it is in force, its person not removed or blacklisted,
 * and — for an alliance tied to a region — its enterprise in that region.
 */
#include <errno.h>
#include <string.h>

#include "../lib/clock.h"
#include "../store/store.h"
#include "../store/store_alliance.h"
#include "../store/store_audit.h"
#include "text/alliance.h"
#include "text/records.h"
#include "alliance_cmd.h"
#include "alliance_ref.h"
#include "paging.h"
#include "record_ref.h"

static int list_members(struct cmd_ctx *ctx, const struct store_alliance *al)
{
	struct store_alliance_member rows[PAGE_SIZE];
	size_t offset, limit, n, total;

	handler_page_window(ctx, &offset, &limit);
	if (limit > PAGE_SIZE)
		limit = PAGE_SIZE;
	if (store_alliance_members(ctx->store, al->id, offset, rows, limit, &n, &total) < 0)
		return HANDLER_ERROR;
	if (total == 0) {
		reply_add_line(ctx->reply, TXT_AL_MEMBERS_NONE, al->name);
		return HANDLER_OK;
	}
	reply_set_title(ctx->reply, TXT_AL_MEMBERS_TITLE, al->name, total);
	for (size_t i = 0; i < n; i++)
		reply_add_line(ctx->reply, TXT_AL_MEMBERS_LINE, (long long)rows[i].appointment_id,
		               rows[i].person_name, rows[i].enterprise_name);
	handler_page_note(ctx, n, total);
	return HANDLER_OK;
}

/* A check replied and the handler returns HANDLER_OK. */
#define JOIN_REFUSED 1

/* 0 when the record may join; JOIN_REFUSED after saying why not. */
static int join_check(struct cmd_ctx *ctx, const struct store_alliance *al,
                      const struct store_cqo_record *rec)
{
	bool barred = false;

	if (store_alliance_person_barred(ctx->store, rec->person_id, &barred) < 0)
		return HANDLER_ERROR;
	if (barred)
		reply_add_line(ctx->reply, TXT_AL_JOIN_BARRED, (long long)rec->appointment_id);
	else if (strcmp(rec->status, "active") != 0)
		reply_add_line(ctx->reply, TXT_AL_JOIN_INACTIVE, (long long)rec->appointment_id,
		               record_ref_status(rec->status, rec->blacklisted));
	else if (al->region_code[0] && !store_region_in_scope(rec->region_code, al->region_code))
		reply_add_line(ctx->reply, TXT_AL_JOIN_REGION, (long long)rec->appointment_id,
		               al->name);
	else
		return 0;
	ctx->reply->is_error = true;
	return JOIN_REFUSED;
}

static int change(struct cmd_ctx *ctx, const struct store_alliance *al, bool join,
                  const char *typed)
{
	struct store_cqo_record rec;
	struct store_actor actor;
	int64_t id;
	int rc;

	if (!record_ref_parse(ctx, typed, &id))
		return HANDLER_USAGE;
	rc = store_cqo_record_get(ctx->store, id, clock_cst_year(ctx->now), &rec);
	if (rc == -ENOENT) {
		ctx->reply->is_error = true;
		reply_add_line(ctx->reply, TXT_RECREF_NONE, typed);
		return HANDLER_OK;
	}
	if (rc < 0)
		return HANDLER_ERROR;
	if (join && (rc = join_check(ctx, al, &rec)) != 0)
		return rc == JOIN_REFUSED ? HANDLER_OK : rc;
	handler_actor(ctx, &actor);
	rc = join ? store_alliance_member_add(ctx->store, &actor, al->id, id, ctx->now)
	          : store_alliance_member_remove(ctx->store, &actor, al->id, id);
	if (rc == -EEXIST || rc == -ENOENT) {
		ctx->reply->is_error = true;
		reply_add_line(ctx->reply, join ? TXT_AL_ALREADY_MEMBER : TXT_AL_NOT_MEMBER,
		               (long long)id, rec.person_name, al->name);
		return HANDLER_OK;
	}
	if (rc < 0)
		return HANDLER_ERROR;
	reply_add_line(ctx->reply, join ? TXT_AL_JOINED : TXT_AL_LEFT, rec.person_name,
	               rec.enterprise_name, (long long)id, al->name);
	return HANDLER_OK;
}

int alliance_member_run(struct cmd_ctx *ctx)
{
	const struct args *a = ctx->args;
	struct store_alliance al;
	bool join, leave;
	int rc;

	join = a->argc >= 3 && strcmp(a->argv[2], TXT_AL_WORD_JOIN) == 0;
	leave = a->argc >= 3 && strcmp(a->argv[2], TXT_AL_WORD_LEAVE) == 0;
	if (!join && !leave) {
		if (a->argc > 3)
			return HANDLER_USAGE;   /* 联盟 成员 <联盟> <more> */
		rc = alliance_ref_manage(ctx, a->argc == 3 ? a->argv[2] : NULL, &al);
		return rc != 0 ? alliance_ref_done(rc) : list_members(ctx, &al);
	}
	if (a->argc < 4 || a->argc > 5)
		return HANDLER_USAGE;
	rc = alliance_ref_manage(ctx, a->argc == 5 ? a->argv[4] : NULL, &al);
	return rc != 0 ? alliance_ref_done(rc) : change(ctx, &al, join, a->argv[3]);
}
