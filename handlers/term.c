/*
 * Terms of an appointment:
 *  - 续聘 <记录号> [起始日期] [聘任文件号]: a new term, record number
 *    unchanged, as long as the jurisdiction's policy says; by default ("-"
 *    or nothing) it starts the day after the current term ends (a term that
 *    ran out without a successor is still in force and may be renewed). The
 *    term is a row of its own with its own document number; earlier terms
 *    keep theirs.
 *  - 考核 <记录号> <合格|基本合格|不合格> [任期序号]: the enterprise's
 *    evaluation of a term (the seeds have it evaluate the CQO at term end);
 *    by default the newest term already begun.
 *  - 解聘 <记录号> <原因> [日期]: the enterprise dismissed its CQO. Two-step:
 *    the first reply states exactly what will happen and asks for 确认 <码>.
 *    The CQO's chat identity is left as it is.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/clock.h"
#include "../store/store.h"
#include "../store/store_appoint.h"
#include "../store/store_audit.h"
#include "../store/store_policy.h"
#include "text/registry.h"
#include "argtext.h"
#include "confirm.h"
#include "record_ref.h"
#include "validate.h"

#define REASON_MAX_CHARS 200
#define DOC_MAX_CHARS 30   /* as the form's 聘任文件号 */
/* A check replied and the handler returns HANDLER_OK (0 means "go on"). */
#define TERM_DONE 1

/* Reads a date argument; false after saying what is wrong with it. */
static bool date_arg(struct cmd_ctx *ctx, const char *s, const char *field, char out[11])
{
	char why[VALIDATE_WHY_MAX];

	if (validate_date(s, out, why, sizeof why) == 0)
		return true;
	reply_add_line(ctx->reply, TXT_APPT_FIELD_WHY, field, why);
	return false;
}

/* Loads the record named by argv[1] for a change: parsed, within reach
 * and in force. 0 to go on, TERM_DONE or a handler result otherwise. */
static int load_active(struct cmd_ctx *ctx, const char *command, struct store_cqo_record *rec)
{
	const char *typed = ctx->args->argv[1];
	int64_t id;

	if (!record_ref_parse(ctx, typed, &id))
		return HANDLER_USAGE;
	int rc = record_ref_load(ctx, id, typed, rec);
	if (rc == -ENOENT)
		return TERM_DONE;
	if (rc < 0)
		return HANDLER_ERROR;
	return record_ref_active(ctx, rec, command) ? 0 : TERM_DONE;
}

static int renew_run(struct cmd_ctx *ctx)
{
	struct store_cqo_record rec;
	struct store_policy policy;
	struct store_actor actor;
	char start[11], term_end[11];
	int64_t day;

	bool start_given = ctx->args->argc >= 3 && strcmp(ctx->args->argv[2], "-") != 0;
	const char *doc = ctx->args->argc == 4 && strcmp(ctx->args->argv[3], "-") != 0
	                          ? ctx->args->argv[3] : NULL;
	int term_no;

	if (start_given && !date_arg(ctx, ctx->args->argv[2], TXT_RENEW_START_FIELD, start))
		return HANDLER_USAGE;
	if (doc && argtext_chars(doc) > DOC_MAX_CHARS) {
		reply_add_line(ctx->reply, TXT_APPT_TOO_LONG, TXT_RENEW_DOC_FIELD, DOC_MAX_CHARS);
		return HANDLER_USAGE;
	}
	int rc = load_active(ctx, TXT_RENEW_NAME, &rec);
	if (rc != 0)
		return rc == TERM_DONE ? HANDLER_OK : rc;
	if (!start_given) {
		if (clock_parse_date(rec.term_end, &day) < 0)
			return HANDLER_ERROR;
		clock_cst_date((day + 1) * 86400, start);
	}
	if (strcmp(start, rec.start_date) <= 0) {
		reply_add_line(ctx->reply, TXT_RENEW_START_ORDER, rec.start_date);
		return HANDLER_USAGE;
	}
	if (store_policy_for_region(ctx->store, rec.region_code, &policy) < 0)
		return HANDLER_ERROR;
	handler_actor(ctx, &actor);
	rc = store_savepoint(ctx->store);
	if (rc == 0)
		rc = store_appoint_renew(ctx->store, &actor, rec.appointment_id, start,
		                         policy.term_months, doc, ctx->now, term_end, &term_no);
	rc = store_savepoint_end(ctx->store, rc);
	if (rc < 0)
		return HANDLER_ERROR;
	reply_set_title(ctx->reply, TXT_RENEW_TITLE, (long long)rec.appointment_id);
	reply_add_field(ctx->reply, TXT_APPT_K_PERSON, "%s", rec.person_name);
	reply_add_field(ctx->reply, TXT_APPT_K_ENTERPRISE, "%s", rec.enterprise_name);
	reply_add_field(ctx->reply, TXT_APPT_K_OLD_TERM, TXT_APPT_TERM_FMT, rec.start_date,
	                rec.term_end);
	reply_add_field(ctx->reply, TXT_APPT_K_NEW_TERM, TXT_APPT_TERM_MONTHS_FMT, start, term_end,
	                policy.term_months);
	reply_add_field(ctx->reply, TXT_RENEW_K_TERM_NO, TXT_RENEW_TERM_NO_FMT, term_no);
	if (doc)
		reply_add_field(ctx->reply, TXT_RENEW_K_DOC, "%s", doc);
	else
		reply_add_line(ctx->reply, TXT_RENEW_NO_DOC);
	return HANDLER_OK;
}

static const char *const eval_results[] = {"合格", "基本合格", "不合格"};

static int evaluate_run(struct cmd_ctx *ctx)
{
	struct store_appoint_history hist;
	struct store_cqo_record rec;
	struct store_actor actor;
	const char *result = NULL, *typed = ctx->args->argv[1];
	char today[11];
	long term = 0;
	int64_t id;
	int term_no;

	for (size_t i = 0; i < sizeof eval_results / sizeof eval_results[0]; i++)
		if (strcmp(ctx->args->argv[2], eval_results[i]) == 0)
			result = eval_results[i];
	if (!result) {
		reply_add_line(ctx->reply, TXT_EVAL_RESULT_BAD);
		return HANDLER_USAGE;
	}
	if (ctx->args->argc == 4) {
		char *end;

		term = strtol(ctx->args->argv[3], &end, 10);
		if (*end || end == ctx->args->argv[3] || term < 1 || term > 1000) {
			reply_add_line(ctx->reply, TXT_EVAL_TERM_BAD);
			return HANDLER_USAGE;
		}
	}
	if (!record_ref_parse(ctx, typed, &id))
		return HANDLER_USAGE;
	int rc = record_ref_load(ctx, id, typed, &rec);
	if (rc == -ENOENT)
		return HANDLER_OK;
	if (rc < 0)
		return HANDLER_ERROR;
	clock_cst_date(ctx->now, today);
	term_no = (int)term;
	handler_actor(ctx, &actor);
	rc = store_savepoint(ctx->store);
	if (rc == 0)
		rc = store_appoint_evaluate(ctx->store, &actor, id, &term_no, result, today,
		                            ctx->now);
	rc = store_savepoint_end(ctx->store, rc);
	if (rc == -ENOENT || rc == -EAGAIN) {
		ctx->reply->is_error = true;
		if (rc == -EAGAIN)
			reply_add_line(ctx->reply, TXT_EVAL_NOT_BEGUN, (long long)id, (int)term);
		else if (term)
			reply_add_line(ctx->reply, TXT_EVAL_NO_TERM, (long long)id, (int)term);
		else
			reply_add_line(ctx->reply, TXT_EVAL_NO_CURRENT, (long long)id);
		return HANDLER_OK;
	}
	if (rc < 0 || store_appoint_history(ctx->store, id, &hist) < 0)
		return HANDLER_ERROR;
	for (size_t i = 0; i < hist.n_terms; i++)
		if (hist.terms[i].term_no == term_no)
			reply_add_line(ctx->reply, TXT_EVAL_DONE, (long long)id, rec.person_name,
			               term_no, hist.terms[i].start_date, hist.terms[i].term_end,
			               result);
	return HANDLER_OK;
}

/* "2026-11-21", "2026/11/21", "2026年11月21日": a trailing argument shaped
 * like this is the date, not the end of the reason. */
static bool looks_like_date(const char *s)
{
	for (int i = 0; i < 4; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return s[4] == '-' || s[4] == '/' || s[4] == '.' || strncmp(s + 4, "年", 3) == 0;
}

/* Checks everything 解聘 needs; fills the date and the reason (heap,
 * caller frees). 0 to go on, TERM_DONE or a handler result otherwise. */
static int dismiss_prepare(struct cmd_ctx *ctx, struct store_cqo_record *rec, char date[11],
                           char **reason)
{
	struct args words = *ctx->args;
	char today[11];

	*reason = NULL;
	clock_cst_date(ctx->now, today);
	memcpy(date, today, 11);
	if (words.argc >= 4 && looks_like_date(words.argv[words.argc - 1])) {
		if (!date_arg(ctx, words.argv[words.argc - 1], TXT_DISMISS_DATE_FIELD, date))
			return HANDLER_USAGE;
		words.argc--;
	}
	if (!(*reason = argtext_join(&words, 2)))
		return HANDLER_ERROR;
	if (argtext_chars(*reason) > REASON_MAX_CHARS) {
		reply_add_line(ctx->reply, TXT_APPT_TOO_LONG, TXT_DISMISS_REASON_FIELD,
		               REASON_MAX_CHARS);
		return HANDLER_USAGE;
	}
	if (strcmp(date, today) > 0) {
		reply_add_line(ctx->reply, TXT_DISMISS_FUTURE);
		return HANDLER_USAGE;
	}
	int rc = load_active(ctx, TXT_DISMISS_NAME, rec);
	if (rc != 0)
		return rc;
	if (strcmp(date, rec->start_date) < 0) {
		reply_add_line(ctx->reply, TXT_DISMISS_BEFORE_START, rec->start_date);
		return HANDLER_USAGE;
	}
	return 0;
}

static int dismiss_run(struct cmd_ctx *ctx)
{
	struct store_cqo_record rec;
	struct store_actor actor;
	char date[11], *reason;   /* reason: owned here */

	int rc = dismiss_prepare(ctx, &rec, date, &reason);
	if (rc != 0) {
		free(reason);
		return rc == TERM_DONE ? HANDLER_OK : rc;
	}
	if (!ctx->confirmed) {
		reply_add_line(ctx->reply, TXT_DISMISS_PREVIEW, (long long)rec.appointment_id,
		               rec.person_name, date, reason);
		reply_add_field(ctx->reply, TXT_APPT_K_ENTERPRISE, "%s", rec.enterprise_name);
		free(reason);
		return handler_confirm_request(ctx);
	}
	handler_actor(ctx, &actor);
	rc = store_savepoint(ctx->store);
	if (rc == 0)
		rc = store_appoint_dismiss(ctx->store, &actor, rec.appointment_id, date, reason,
		                           ctx->now);
	rc = store_savepoint_end(ctx->store, rc);
	if (rc < 0) {
		free(reason);
		return HANDLER_ERROR;
	}
	reply_add_line(ctx->reply, TXT_DISMISS_DONE, (long long)rec.appointment_id,
	               rec.person_name, date, reason);
	free(reason);
	return HANDLER_OK;
}

static const char *const renew_aliases[] = {"renew", NULL};
static const char *const dismiss_aliases[] = {"dismiss", NULL};

const struct handler_entry handler_renew = {
	.name = TXT_RENEW_NAME,
	.aliases = renew_aliases,
	.roles = ROLES_STAFF,
	.usage = TXT_RENEW_USAGE,
	.help = TXT_RENEW_HELP,
	.run = renew_run,
	.min_args = 1,
	.max_args = 3,
	.writes = true,
};

static const char *const evaluate_aliases[] = {"evaluate", NULL};

const struct handler_entry handler_evaluate = {
	.name = TXT_EVAL_NAME,
	.aliases = evaluate_aliases,
	.roles = ROLES_STAFF,
	.usage = TXT_EVAL_USAGE,
	.help = TXT_EVAL_HELP,
	.run = evaluate_run,
	.min_args = 2,
	.max_args = 3,
	.writes = true,
};

const struct handler_entry handler_dismiss = {
	.name = TXT_DISMISS_NAME,
	.aliases = dismiss_aliases,
	.roles = ROLES_STAFF,
	.usage = TXT_DISMISS_USAGE,
	.help = TXT_DISMISS_HELP,
	.run = dismiss_run,
	.min_args = 2,
	.max_args = HANDLER_ARGS_ANY,
	.writes = true,
};
