/*
 * Dynamic management (动态管理) of a record in the asker's reach:
 *   约谈 <记录号> <时间> <地点> <事由> [整改期限 <日期>]
 *   警示 <记录号> <事由> [整改期限 <日期>]
 *   除名 <记录号> <事由>                  黑名单 <记录号> <事由>
 *   建议解聘 <记录号> <事由>
 * The 事由 starts with one of the grounds the policy texts name and may go
 * on with details; ground and details are stored apart. A summons may also
 * be for 其他 (another reason), which then must be described: the seeds
 * name the grounds of the measures, but a bureau summons for more than
 * those. 约谈 and 警示 may set a rectification deadline (reminded the day
 * before). 除名 and 黑名单 take the CQO out of the talent pool and so ask for
 * 确认 first.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/clock.h"
#include "sanction_notice.h"
#include "../store/store.h"
#include "../store/store_audit.h"
#include "../store/store_remind.h"
#include "../store/store_sanction.h"
#include "text/records.h"
#include "argtext.h"
#include "confirm.h"
#include "handler.h"
#include "record_ref.h"
#include "timefmt.h"
#include "validate.h"

#define DETAIL_MAX 80   /* characters of details after the ground */
#define PLACE_MAX 64    /* characters of a summons' place */

struct sanction_kind {
	const char *kind;   /* the schema's value, also shown */
	const char *done;   /* the title of the reply once issued */
	bool summons;       /* 约谈: a time and a place come before the 事由 */
	bool removal;       /* 除名, 黑名单: confirm, then out of the talent pool */
	bool blacklist;     /* 黑名单: may also follow a record no longer in force */
	bool other;         /* 约谈: the ground 其他, with details, is accepted too */
	bool rectify;       /* 约谈, 警示: an optional 整改期限 <日期> at the end */
	bool enterprise;    /* 建议解聘: the notice goes to the enterprise too */
};

/* The schema's grounds (sanctions.ground), as the policy texts name them. */
static const char *const grounds[] = {
	"违法违规", "知情不报", "拖延缓报", "虚假报告", "未完成继续教育", "重大质量事故",
};

/* What may stand between the ground and its details. */
static const char *const separators[] = {
	" ", ":", ",", ";", "-", "\u3001", "\u3002", "\u2014",
};

static const char *skip_separators(const char *p)
{
	for (;;) {
		size_t i, n = sizeof separators / sizeof separators[0];

		for (i = 0; i < n; i++) {
			size_t len = strlen(separators[i]);
			if (strncmp(p, separators[i], len) == 0) {
				p += len;
				break;
			}
		}
		if (i == n)
			return p;
	}
}

/* The parsed command; strings borrowed from ctx->args or `reason_text`. */
struct sanction_args {
	int64_t id;
	int64_t scheduled_at;
	const char *place;
	const char *ground;
	const char *details;
	char rectify_by[11];   /* YYYY-MM-DD, or "" */
	char *reason_text;   /* owned: the 事由 arguments joined */
};

static bool details_fit(struct cmd_ctx *ctx, const struct sanction_args *s)
{
	if (argtext_chars(s->details) <= DETAIL_MAX)
		return true;
	reply_add_line(ctx->reply, TXT_RECREF_TOO_LONG, TXT_SAN_DETAIL, DETAIL_MAX);
	return false;
}

/* 其他 as a word of its own ("其他 …", "其他：…"; "其他原因" is no ground),
 * with its details; -1 when it is not there, else whether it is well
 * formed (false after replying). */
static int parse_other(struct cmd_ctx *ctx, struct sanction_args *s)
{
	size_t len = strlen(TXT_SAN_OTHER);
	const char *after = s->reason_text + len, *details;

	if (strncmp(s->reason_text, TXT_SAN_OTHER, len) != 0)
		return -1;
	details = skip_separators(after);
	if (details == after && *after)
		return -1;
	if (!*details) {
		reply_add_line(ctx->reply, TXT_SAN_OTHER_DETAIL);
		return false;
	}
	s->ground = TXT_SAN_OTHER;
	s->details = details;
	return details_fit(ctx, s);
}

/* Splits the 事由 into ground and details; false after replying with the
 * list of grounds. */
static bool parse_reason(struct cmd_ctx *ctx, const struct sanction_kind *k,
                         struct sanction_args *s)
{
	int other = k->other ? parse_other(ctx, s) : -1;

	if (other >= 0)
		return other;
	for (size_t i = 0; i < sizeof grounds / sizeof grounds[0]; i++) {
		size_t len = strlen(grounds[i]);
		if (strncmp(s->reason_text, grounds[i], len) == 0) {
			s->ground = grounds[i];
			s->details = skip_separators(s->reason_text + len);
			return details_fit(ctx, s);
		}
	}
	reply_add_line(ctx->reply, k->other ? TXT_SAN_GROUNDS_OTHER : TXT_SAN_GROUNDS);
	return false;
}

/* The rest of word after "整改期限" (and a colon), or NULL when word does
 * not start so. */
static const char *after_rectify_word(const char *word)
{
	size_t len = strlen(TXT_FIELD_RECTIFY_BY);

	if (strncmp(word, TXT_FIELD_RECTIFY_BY, len) != 0)
		return NULL;
	return word + len + (word[len] == ':');
}

/* A trailing "整改期限 <日期>" (also "整改期限：<日期>", or the two glued)
 * among argv[first..): its date into s->rectify_by and *end to where the
 * 事由 stops. false after replying when the date is wrong or not after
 * today. */
static bool parse_rectify(struct cmd_ctx *ctx, int first, int *end, struct sanction_args *s)
{
	const struct args *a = ctx->args;
	char why[VALIDATE_WHY_MAX], today[11];
	const char *rest, *date = NULL;

	*end = a->argc;
	if (a->argc - 2 >= first && (rest = after_rectify_word(a->argv[a->argc - 2])) && !*rest) {
		date = a->argv[a->argc - 1];
		*end = a->argc - 2;
	} else if (a->argc - 1 >= first && (rest = after_rectify_word(a->argv[a->argc - 1]))) {
		date = rest;
		*end = a->argc - 1;
	}
	if (!date)
		return true;
	if (validate_date(date, s->rectify_by, why, sizeof why) < 0) {
		reply_add_line(ctx->reply, "%s：%s", TXT_FIELD_RECTIFY_BY, why);
		return false;
	}
	clock_cst_date(ctx->now, today);
	if (strcmp(s->rectify_by, today) <= 0) {
		reply_add_line(ctx->reply, TXT_SAN_RECTIFY_PAST);
		return false;
	}
	return true;
}

/* 约谈's time, written as one argument ("2026-11-25 14:30" in quotes) or as
 * a date and a time; *next gets the index of the place. */
static bool parse_time(struct cmd_ctx *ctx, struct sanction_args *s, int *next)
{
	const struct args *a = ctx->args;
	char why[VALIDATE_WHY_MAX], joined[64];
	long long at;
	int rc;

	*next = 3;
	if (!strchr(a->argv[2], ':') && a->argc > 3 && strchr(a->argv[3], ':') &&
	    snprintf(joined, sizeof joined, "%s %s", a->argv[2], a->argv[3]) < (int)sizeof joined) {
		rc = validate_datetime(joined, &at, why, sizeof why);
		*next = 4;
	} else {
		rc = validate_datetime(a->argv[2], &at, why, sizeof why);
	}
	if (rc < 0) {
		reply_add_line(ctx->reply, "%s", why);
		return false;
	}
	if (at <= ctx->now) {
		reply_add_line(ctx->reply, TXT_SAN_PAST);
		return false;
	}
	s->scheduled_at = at;
	return true;
}

/* Reads the arguments after the 记录号. Returns HANDLER_OK or
 * HANDLER_USAGE (reason lines added), HANDLER_ERROR on ENOMEM. */
static int parse_args(struct cmd_ctx *ctx, const struct sanction_kind *k,
                      struct sanction_args *s)
{
	const struct args *a = ctx->args;
	struct args reason;
	int first = 2, end = a->argc;
	bool ok = record_ref_parse(ctx, a->argv[1], &s->id);

	if (k->summons) {
		if (a->argc < 3)
			return HANDLER_USAGE;
		if (!parse_time(ctx, s, &first))
			ok = false;
		if (first >= a->argc)
			return HANDLER_USAGE;
		s->place = a->argv[first++];
		if (argtext_chars(s->place) > PLACE_MAX) {
			reply_add_line(ctx->reply, TXT_RECREF_TOO_LONG, TXT_SAN_PLACE, PLACE_MAX);
			ok = false;
		}
	}
	if (k->rectify && !parse_rectify(ctx, first, &end, s))
		ok = false;
	if (first >= end) {
		reply_add_line(ctx->reply, k->other ? TXT_SAN_GROUNDS_OTHER : TXT_SAN_GROUNDS);
		return HANDLER_USAGE;
	}
	reason = *a;
	reason.argc = end;
	s->reason_text = argtext_join(&reason, first);
	if (!s->reason_text)
		return HANDLER_ERROR;
	if (!parse_reason(ctx, k, s))
		ok = false;
	return ok ? HANDLER_OK : HANDLER_USAGE;
}

/* "违法违规：详情" or just the ground. */
static void reason_display(const struct sanction_args *s, char *buf, size_t len)
{
	if (s->details[0])
		snprintf(buf, len, TXT_SAN_REASON_FMT, s->ground, s->details);
	else
		snprintf(buf, len, "%s", s->ground);
}

/* The first step of 除名 / 黑名单: say exactly what will happen, store the
 * command for 确认. */
static int ask_confirmation(struct cmd_ctx *ctx, const struct sanction_kind *k,
                            const struct store_cqo_record *rec, const char *reason)
{
	char who[320];

	snprintf(who, sizeof who, TXT_RECREF_WHO, rec->person_name, rec->enterprise_name);
	if (!k->blacklist)
		reply_add_line(ctx->reply, TXT_SAN_CONFIRM_REMOVE, (long long)rec->appointment_id,
		               who, reason);
	else if (strcmp(rec->status, "active") == 0 || strcmp(rec->status, "removed") == 0)
		/* A removed record then reads 已列入黑名单 too. */
		reply_add_line(ctx->reply, TXT_SAN_CONFIRM_BLACK, (long long)rec->appointment_id,
		               who, reason);
	else
		reply_add_line(ctx->reply, TXT_SAN_CONFIRM_BLACK_KEEP,
		               (long long)rec->appointment_id, who, record_ref_status(rec->status, rec->blacklisted),
		               reason);
	return handler_confirm_request(ctx);
}

/* Whether the notice reached the enterprise's contacts (its ledger row),
 * or waits for one to bind. */
static int enterprise_delivery(struct cmd_ctx *ctx, int64_t sanction_id, int64_t record,
                               const char *today)
{
	struct remind_item it = {.rule = REMIND_SANCTION_ENTERPRISE, .record_id = sanction_id};
	bool sent = false;

	if (clock_parse_date(today, &it.milestone) < 0 ||
	    store_remind_ledger_exists(ctx->store, &it, &sent) < 0)
		return HANDLER_ERROR;
	if (sent)
		reply_add_field(ctx->reply, TXT_SAN_ENTERPRISE, TXT_SAN_ENTERPRISE_SENT);
	else
		reply_add_field(ctx->reply, TXT_SAN_ENTERPRISE, TXT_SAN_ENTERPRISE_PENDING,
		                (long long)record);
	return HANDLER_OK;
}

static int issue(struct cmd_ctx *ctx, const struct sanction_kind *k,
                 const struct sanction_args *s, const struct store_cqo_record *rec,
                 const char *reason)
{
	struct store_actor actor;
	struct reply *r = ctx->reply;
	char today[11], when[32];
	bool removed = false;
	int64_t id;

	clock_cst_date(ctx->now, today);
	handler_actor(ctx, &actor);
	struct store_sanction_new row = {
		.appointment_id = s->id,
		.kind = k->kind,
		.ground = s->ground,
		.reason = s->details,
		.issued_on = today,
		.scheduled_at = s->scheduled_at,
		.place = s->place,
		.rectify_by = s->rectify_by[0] ? s->rectify_by : NULL,
		.now = ctx->now,
		.on_issued = sanction_notice_sanction,
		.on_issued_arg = ctx->cfg,
	};
	if (store_sanction_issue(ctx->store, &actor, &row, &id, &removed) < 0)
		return HANDLER_ERROR;

	reply_set_title(r, TXT_SAN_DONE_TITLE, k->done, (long long)id);
	reply_add_field(r, TXT_RECREF_RECORD, TXT_SAN_RECORD_FMT, (long long)s->id,
	                rec->person_name);
	reply_add_field(r, TXT_MINE_ENTERPRISE, "%s", rec->enterprise_name);
	reply_add_field(r, TXT_SAN_REASON, "%s", reason);
	reply_add_field(r, TXT_SAN_DATE, "%s", today);
	if (k->summons) {
		timefmt_cst_minute(s->scheduled_at, when, sizeof when);
		reply_add_field(r, TXT_SAN_TIME, "%s", when);
		reply_add_field(r, TXT_SAN_PLACE, "%s", s->place);
	}
	if (s->rectify_by[0])
		reply_add_field(r, TXT_FIELD_RECTIFY_BY, "%s", s->rectify_by);
	if (removed)
		reply_add_field(r, TXT_SAN_STATUS, "%s", k->blacklist ? TXT_SAN_STATUS_BLACKLISTED
		                                                     : TXT_SAN_STATUS_REMOVED);
	if (k->enterprise)
		return enterprise_delivery(ctx, id, s->id, today);
	return HANDLER_OK;
}

static int sanction_run(struct cmd_ctx *ctx, const struct sanction_kind *k)
{
	struct sanction_args s = {0};
	struct store_cqo_record rec;
	char reason[512];
	int rc;

	rc = parse_args(ctx, k, &s);
	if (rc != HANDLER_OK)
		goto done;
	rc = record_ref_load(ctx, s.id, ctx->args->argv[1], &rec);
	if (rc < 0) {
		rc = rc == -ENOENT ? HANDLER_OK : HANDLER_ERROR;
		goto done;
	}
	if (!k->blacklist && !record_ref_active(ctx, &rec, k->kind))
		goto done;
	reason_display(&s, reason, sizeof reason);
	if (k->removal && !ctx->confirmed)
		rc = ask_confirmation(ctx, k, &rec, reason);
	else
		rc = issue(ctx, k, &s, &rec, reason);
done:
	free(s.reason_text);
	return rc;
}

static const struct sanction_kind summon_kind = {.kind = "约谈", .done = TXT_SAN_DONE_SUMMON,
                                                 .summons = true, .other = true,
                                                 .rectify = true};
static const struct sanction_kind warn_kind = {.kind = "警示", .done = TXT_SAN_DONE_WARN,
                                               .rectify = true};
static const struct sanction_kind remove_kind = {.kind = "除名", .done = TXT_SAN_DONE_REMOVE,
                                                 .removal = true};
static const struct sanction_kind blacklist_kind = {.kind = "黑名单",
                                                    .done = TXT_SAN_DONE_BLACKLIST,
                                                    .removal = true, .blacklist = true};
static const struct sanction_kind advise_kind = {.kind = "建议解聘", .done = TXT_SAN_DONE_ADVISE,
                                                 .enterprise = true};

static int summon_run(struct cmd_ctx *ctx)
{
	return sanction_run(ctx, &summon_kind);
}

static int warn_run(struct cmd_ctx *ctx)
{
	return sanction_run(ctx, &warn_kind);
}

static int remove_run(struct cmd_ctx *ctx)
{
	return sanction_run(ctx, &remove_kind);
}

static int blacklist_run(struct cmd_ctx *ctx)
{
	return sanction_run(ctx, &blacklist_kind);
}

static int advise_run(struct cmd_ctx *ctx)
{
	return sanction_run(ctx, &advise_kind);
}

static const char *const summon_aliases[] = {"summon", NULL};
static const char *const warn_aliases[] = {"warn", NULL};
static const char *const remove_aliases[] = {"remove", NULL};
static const char *const blacklist_aliases[] = {"blacklist", NULL};
static const char *const advise_aliases[] = {"advise-dismissal", NULL};

const struct handler_entry handler_summon = {
	.name = TXT_SAN_SUMMON_NAME,
	.aliases = summon_aliases,
	.roles = ROLES_STAFF,
	.usage = TXT_SAN_SUMMON_USAGE,
	.help = TXT_SAN_SUMMON_HELP,
	.run = summon_run,
	.min_args = 1,
	.max_args = HANDLER_ARGS_ANY,
	.writes = true,
};

const struct handler_entry handler_warn = {
	.name = TXT_SAN_WARN_NAME,
	.aliases = warn_aliases,
	.roles = ROLES_STAFF,
	.usage = TXT_SAN_WARN_USAGE,
	.help = TXT_SAN_WARN_HELP,
	.run = warn_run,
	.min_args = 1,
	.max_args = HANDLER_ARGS_ANY,
	.writes = true,
};

const struct handler_entry handler_remove = {
	.name = TXT_SAN_REMOVE_NAME,
	.aliases = remove_aliases,
	.roles = ROLES_STAFF,
	.usage = TXT_SAN_REMOVE_USAGE,
	.help = TXT_SAN_REMOVE_HELP,
	.run = remove_run,
	.min_args = 1,
	.max_args = HANDLER_ARGS_ANY,
	.writes = true,
};

const struct handler_entry handler_blacklist = {
	.name = TXT_SAN_BLACKLIST_NAME,
	.aliases = blacklist_aliases,
	.roles = ROLES_STAFF,
	.usage = TXT_SAN_BLACKLIST_USAGE,
	.help = TXT_SAN_BLACKLIST_HELP,
	.run = blacklist_run,
	.min_args = 1,
	.max_args = HANDLER_ARGS_ANY,
	.writes = true,
};

const struct handler_entry handler_advise_dismissal = {
	.name = TXT_SAN_ADVISE_NAME,
	.aliases = advise_aliases,
	.roles = ROLES_STAFF,
	.usage = TXT_SAN_ADVISE_USAGE,
	.help = TXT_SAN_ADVISE_HELP,
	.run = advise_run,
	.min_args = 1,
	.max_args = HANDLER_ARGS_ANY,
	.writes = true,
};
