/*
 * 我的 (CQOs): the asker's own record — enterprise, term and days left,
 * this year's training hours against the jurisdiction's requirement, open
 * sanctions and honours. Contact details are not shown, so nothing here
 * needs masking in a group chat.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../lib/clock.h"
#include "../store/store.h"
#include "../store/store_honour.h"
#include "../store/store_mine.h"
#include "../store/store_sanction.h"
#include "../store/store_training.h"
#include "text/records.h"
#include "handler.h"
#include "hours_text.h"
#include "record_ref.h"
#include "timefmt.h"

#define MINE_LIST_MAX 8   /* sanctions or honours listed */

static void mine_term(struct cmd_ctx *ctx, const struct store_cqo_record *rec)
{
	int64_t end, today = clock_cst_day(ctx->now);
	struct reply *r = ctx->reply;

	reply_add_field(r, TXT_MINE_TERM, TXT_MINE_TERM_FMT, rec->start_date, rec->term_end);
	if (clock_parse_date(rec->term_end, &end) < 0)
		return;
	if (end > today)
		reply_add_field(r, TXT_MINE_LEFT, TXT_MINE_DAYS_LEFT, (long long)(end - today));
	else if (end == today)
		reply_add_field(r, TXT_MINE_STATE, TXT_MINE_DAYS_TODAY);
	else
		reply_add_field(r, TXT_MINE_STATE, TXT_MINE_DAYS_OVER, (long long)(today - end));
}

static int mine_training(struct cmd_ctx *ctx, const struct store_cqo_record *rec)
{
	struct reply *r = ctx->reply;
	char key[32], date[11], hours[256];

	snprintf(key, sizeof key, TXT_MINE_HOURS, clock_cst_year(ctx->now));
	hours_text(hours, sizeof hours, rec->hours_this_year, rec->hours_required,
	           rec->hours_kinds);
	reply_add_field(r, key, "%s", hours);
	int rc = store_training_first_appointment(ctx->store, rec->person_id, date);
	if (rc == 0)
		reply_add_field(r, TXT_MINE_INDUCTION, TXT_MINE_INDUCTION_DONE, date);
	else if (rc == -ENOENT)
		reply_add_field(r, TXT_MINE_INDUCTION, TXT_MINE_INDUCTION_NONE);
	return rc == -ENOENT ? 0 : rc;
}

static int mine_sanctions(struct cmd_ctx *ctx, int64_t appointment_id)
{
	struct store_sanction list[MINE_LIST_MAX];
	struct reply *r = ctx->reply;
	char reason[400], when[32], summons[400];
	size_t n, total;

	if (store_sanction_list_open(ctx->store, appointment_id, list, MINE_LIST_MAX, &n,
	                             &total) < 0)
		return -EIO;
	if (total == 0)
		reply_add_field(r, TXT_MINE_SANCTIONS, TXT_MINE_NONE_ITEM);
	for (size_t i = 0; i < n; i++) {
		const struct store_sanction *s = &list[i];

		if (s->reason[0])
			snprintf(reason, sizeof reason, TXT_SAN_REASON_FMT, s->ground, s->reason);
		else
			snprintf(reason, sizeof reason, "%s", s->ground);
		summons[0] = '\0';
		if (s->scheduled_at) {
			timefmt_cst_minute(s->scheduled_at, when, sizeof when);
			snprintf(summons, sizeof summons, TXT_MINE_SUMMON_AT, when, s->place);
		}
		reply_add_field(r, TXT_MINE_SANCTIONS, TXT_MINE_SANCTION_LINE "%s", s->kind,
		                s->issued_on, (long long)s->id, reason, summons);
	}
	if (total > n)
		reply_add_field(r, TXT_MINE_SANCTIONS, TXT_MINE_MORE, total - n);
	return 0;
}

static int mine_honours(struct cmd_ctx *ctx, int64_t person_id)
{
	struct store_honour list[MINE_LIST_MAX];
	struct reply *r = ctx->reply;
	size_t n, total;

	if (store_honour_list(ctx->store, person_id, list, MINE_LIST_MAX, &n, &total) < 0)
		return -EIO;
	if (total == 0)
		reply_add_field(r, TXT_MINE_HONOURS, TXT_MINE_NONE_ITEM);
	for (size_t i = 0; i < n; i++)
		reply_add_field(r, TXT_MINE_HONOURS, TXT_HONOUR_ITEM_FMT, list[i].year, list[i].name);
	if (total > n)
		reply_add_field(r, TXT_MINE_HONOURS, TXT_MINE_MORE, total - n);
	return 0;
}

static int mine_run(struct cmd_ctx *ctx)
{
	struct store_cqo_record rec;
	int64_t id;
	int rc;

	rc = ctx->who->person_id ? store_mine_record(ctx->store, ctx->who->person_id, &id)
	                         : -ENOENT;
	if (rc == 0)
		rc = store_cqo_record_get(ctx->store, id, clock_cst_year(ctx->now), &rec);
	if (rc == -ENOENT) {
		reply_add_line(ctx->reply, TXT_MINE_NONE);
		return HANDLER_OK;
	}
	if (rc < 0)
		return HANDLER_ERROR;
	if (strcmp(rec.status, "active") != 0) {
		reply_add_line(ctx->reply, TXT_MINE_NONE);
		reply_add_line(ctx->reply, TXT_MINE_LAST, (long long)id, rec.enterprise_name,
		               record_ref_status(rec.status, rec.blacklisted));
		return HANDLER_OK;
	}
	reply_set_title(ctx->reply, TXT_MINE_TITLE, (long long)id);
	reply_add_field(ctx->reply, TXT_MINE_PERSON, "%s", rec.person_name);
	reply_add_field(ctx->reply, TXT_MINE_ENTERPRISE, "%s", rec.enterprise_name);
	mine_term(ctx, &rec);
	rc = mine_training(ctx, &rec);
	if (rc == 0)
		rc = mine_sanctions(ctx, id);
	if (rc == 0)
		rc = mine_honours(ctx, rec.person_id);
	return rc == 0 ? HANDLER_OK : HANDLER_ERROR;
}

static const char *const mine_aliases[] = {"mine", NULL};

const struct handler_entry handler_mine = {
	.name = TXT_MINE_NAME,
	.aliases = mine_aliases,
	.roles = ROLE_BIT(ROLE_CQO),
	.usage = TXT_MINE_USAGE,
	.help = TXT_MINE_HELP,
	.run = mine_run,
};
