/*
 * 备案 (file an appointment from the 信息表 form) and 更换 <记录号> (file a
 * successor and end the predecessor). Everything a filing changes — the
 * enterprise, the person, the appointment(s), the binding code and their
 * audit rows — is one transaction, so a failure anywhere leaves the
 * registry as it was.
 *
 * A filing that looks wrong is not taken silently: a term already over, a
 * start more than FILING_AHEAD_DAYS ahead, a person who is the active CQO
 * of another enterprise or on a blacklist, in any region, are named and the
 * filing waits for 确认 <码>. A blacklist is named by region and date only:
 * the other region's record is not the filer's to read. Without such a
 * finding a filing is one step.
 *
 * The reply gives the record number, the term, unmet eligibility criteria
 * (warnings, recorded with the appointment, never a refusal) and the CQO's
 * one-time binding code. The code lets its holder act as the CQO, so it is
 * drawn and shown only in a private chat; a group is told to ask privately.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../lib/clock.h"
#include "../store/store.h"
#include "../store/store_appoint.h"
#include "../store/store_audit.h"
#include "../store/store_policy.h"
#include "text/registry.h"
#include "appoint_form.h"
#include "bindcode.h"
#include "confirm.h"
#include "eligibility.h"
#include "record_ref.h"
#include "region_ref.h"

/* A check replied and the handler returns HANDLER_OK (0 means "go on"). */
#define APPOINT_DONE 1
/* A start further ahead than this is more likely a typo than a plan. */
#define FILING_AHEAD_DAYS 90

static bool in_scope(const struct identity *who, const char *region)
{
	return who->role == ROLE_ADMIN ||
	       (who->role == ROLE_CLERK && store_region_in_scope(region, who->scope));
}

/* The region must exist and lie within the asker's scope. */
static int region_check(struct cmd_ctx *ctx, const char *region)
{
	char name[96];
	int rc = store_region_name(ctx->store, region, name, sizeof name);

	if (rc == -ENOENT) {
		reply_add_line(ctx->reply, TXT_APPT_REGION_UNKNOWN, region);
		return HANDLER_USAGE;
	}
	if (rc < 0)
		return HANDLER_ERROR;
	if (!in_scope(ctx->who, region)) {
		ctx->reply->is_error = true;
		reply_add_line(ctx->reply, TXT_APPT_REGION_SCOPE, region, name, ctx->who->scope);
		return APPOINT_DONE;
	}
	return 0;
}

/* 所在地 typed as a name: its county's code, or a reply why not. */
static int region_resolve(struct cmd_ctx *ctx, struct appoint_form *f)
{
	if (!f->region_name)
		return 0;
	int rc = region_ref_resolve(ctx, f->region_name, 3, TXT_APPT_REGION_WHAT, f->region);
	if (rc == -ENOENT || rc == -EINVAL)
		return HANDLER_USAGE;
	if (rc < 0)
		return HANDLER_ERROR;
	f->filing.enterprise.region_code = f->region;
	return 0;
}

/* A registered enterprise must be within scope too: filing would move it. */
static int enterprise_check(struct cmd_ctx *ctx, const char *credit_code)
{
	char region[16];
	int64_t id;
	int rc = store_appoint_enterprise_find(ctx->store, credit_code, &id, region);

	if (rc == -ENOENT)
		return 0;
	if (rc < 0)
		return HANDLER_ERROR;
	if (!in_scope(ctx->who, region)) {
		ctx->reply->is_error = true;
		reply_add_line(ctx->reply, TXT_APPT_ENT_SCOPE, credit_code);
		return APPOINT_DONE;
	}
	return 0;
}

/* The enterprise already has an active CQO: name it and point to 更换. */
static int has_active(struct cmd_ctx *ctx, int64_t active_id)
{
	struct store_cqo_record rec;
	int rc = store_cqo_record_get(ctx->store, active_id, clock_cst_year(ctx->now),
	                              &rec);

	if (rc < 0)
		return HANDLER_ERROR;
	ctx->reply->is_error = true;
	reply_add_line(ctx->reply, TXT_APPT_HAS_ACTIVE, (long long)active_id, rec.person_name,
	               (long long)active_id);
	return APPOINT_DONE;
}

static void reply_filed(struct cmd_ctx *ctx, const struct appoint_form *f,
                        const struct store_cqo_record *old, const struct store_appoint_filed *out,
                        const char *code, const char *expires)
{
	struct reply *r = ctx->reply;
	const struct store_appoint_filing *in = &f->filing;

	reply_set_title(r, old ? TXT_APPT_REPLACED_TITLE : TXT_APPT_FILED_TITLE,
	                (long long)out->id);
	reply_add_field(r, TXT_APPT_K_PERSON, "%s", in->person.name);
	reply_add_field(r, TXT_APPT_K_ENTERPRISE, "%s",
	                in->enterprise.name ? in->enterprise.name : old->enterprise_name);
	reply_add_field(r, TXT_APPT_K_TERM, TXT_APPT_TERM_MONTHS_FMT, in->start_date, out->term_end,
	                in->term_months);
	if (old)
		reply_add_line(r, TXT_APPT_REPLACED, (long long)old->appointment_id, old->person_name,
		               out->ended_on);
	if (out->person_reused)
		reply_add_line(r, TXT_APPT_PERSON_REUSED);
	if (in->warnings)
		reply_add_line(r, TXT_APPT_WARNINGS, in->warnings);
	if (code)
		reply_add_line(r, TXT_APPT_BINDCODE, code, expires, code);
	else
		reply_add_line(r, TXT_APPT_BINDCODE_GROUP, (long long)out->id);
}

/* What the filer should confirm (see the top); APPOINT_DONE after asking
 * for 确认, 0 when there is nothing to confirm. */
static int flags_check(struct cmd_ctx *ctx, const struct store_appoint_filing *in,
                       const struct store_cqo_record *old)
{
	char today[11], over[160], ahead[160], active[320], black[256];
	struct store_appoint_flags fl;
	struct reply *r = ctx->reply;
	const char *lines[4];
	size_t n = 0;
	int64_t start;

	if (store_appoint_flags(ctx->store, in, &fl) < 0 ||
	    clock_parse_date(in->start_date, &start) < 0)
		return HANDLER_ERROR;
	clock_cst_date(ctx->now, today);
	if (strcmp(fl.term_end, today) < 0) {
		snprintf(over, sizeof over, TXT_APPT_FLAG_OVER, in->start_date, fl.term_end);
		lines[n++] = over;
	}
	if (start - clock_cst_day(ctx->now) > FILING_AHEAD_DAYS) {
		snprintf(ahead, sizeof ahead, TXT_APPT_FLAG_AHEAD, in->start_date, FILING_AHEAD_DAYS);
		lines[n++] = ahead;
	}
	if (fl.active_id) {
		if (in_scope(ctx->who, fl.active_region))
			snprintf(active, sizeof active, TXT_APPT_FLAG_ACTIVE_REC,
			         fl.active_region_name, (long long)fl.active_id);
		else
			snprintf(active, sizeof active, TXT_APPT_FLAG_ACTIVE, fl.active_region_name);
		lines[n++] = active;
	}
	if (fl.blacklist_region[0]) {
		snprintf(black, sizeof black, TXT_APPT_FLAG_BLACKLIST, fl.blacklist_on,
		         fl.blacklist_region);
		lines[n++] = black;
	}
	if (n == 0)
		return 0;
	reply_add_line(r, TXT_APPT_FLAGS_INTRO, old ? TXT_REPLACE_NAME : TXT_FILE_NAME);
	for (size_t i = 0; i < n; i++)
		reply_add_line(r, TXT_APPT_FLAG_LINE, lines[i]);
	reply_add_field(r, TXT_APPT_K_PERSON, "%s", in->person.name);
	reply_add_field(r, TXT_APPT_K_ENTERPRISE, "%s",
	                in->enterprise.name ? in->enterprise.name : old->enterprise_name);
	reply_add_field(r, TXT_APPT_K_TERM, TXT_APPT_TERM_MONTHS_FMT, in->start_date, fl.term_end,
	                in->term_months);
	return handler_confirm_request(ctx) == HANDLER_OK ? APPOINT_DONE : HANDLER_ERROR;
}

/* Eligibility, term and the one transaction; `old` is the record 更换
 * replaces (NULL for 备案). */
static int file_commit(struct cmd_ctx *ctx, struct appoint_form *f,
                       const struct store_cqo_record *old)
{
	struct store_appoint_filing *in = &f->filing;
	const char *region = in->enterprise.region_code ? in->enterprise.region_code
	                                                : old->region_code;
	struct eligibility_input el = {
		.quality_years = in->person.quality_years,
		.education = in->person.education,
		.title = in->person.title,
		.position = in->person.position,
		/* validate_size writes 小型 and 微型 as 小微. */
		.small = in->enterprise.size && strcmp(in->enterprise.size, "小微") == 0,
		.disqualify = form_get(&f->raw, "disqualify"),
	};
	char warnings[2048], code[BINDCODE_LEN + 1], expires[BINDCODE_EXPIRES_LEN] = "";
	bool show_code = ctx->msg->kind == CHAT_PRIVATE;
	struct store_appoint_filed out = {0};
	struct store_policy policy;
	struct store_actor actor;

	if (store_policy_for_region(ctx->store, region, &policy) < 0)
		return HANDLER_ERROR;
	in->warnings = eligibility_check(&policy, &el, warnings, sizeof warnings) ? warnings : NULL;
	in->term_months = f->term_years > 0 ? (int)f->term_years * 12 : policy.term_months;
	in->replaces = old ? old->appointment_id : 0;
	in->now = ctx->now;
	in->scope = ctx->who->role == ROLE_ADMIN ? "" : ctx->who->scope;
	handler_actor(ctx, &actor);

	int rc = ctx->confirmed ? 0 : flags_check(ctx, in, old);
	if (rc != 0)
		return rc;
	rc = store_savepoint(ctx->store);
	if (rc == 0)
		rc = store_appoint_file(ctx->store, &actor, in, &out);
	if (rc == 0 && show_code)
		rc = bindcode_issue(ctx->store, &actor, out.person_id, out.id, policy.bind_code_days,
		                    ctx->now, code, expires);
	rc = store_savepoint_end(ctx->store, rc);
	if (rc == -EEXIST && out.active_id)
		return has_active(ctx, out.active_id);
	if (rc < 0)
		return HANDLER_ERROR;
	reply_filed(ctx, f, old, &out, show_code ? code : NULL, expires);
	return 0;
}

static int file_run(struct cmd_ctx *ctx)
{
	struct appoint_form f;

	int rc = appoint_form_read(ctx, false, &f);
	if (rc == 0)
		rc = region_resolve(ctx, &f);
	if (rc == 0)
		rc = region_check(ctx, f.filing.enterprise.region_code);
	if (rc == 0)
		rc = enterprise_check(ctx, f.filing.enterprise.credit_code);
	if (rc == 0)
		rc = file_commit(ctx, &f, NULL);
	appoint_form_free(&f);
	return rc == APPOINT_DONE ? HANDLER_OK : rc;
}

/* 更换 stays within the enterprise and starts after the old term began. */
static int replace_check(struct cmd_ctx *ctx, struct appoint_form *f,
                         const struct store_cqo_record *old)
{
	struct store_appoint_filing *in = &f->filing;

	if (in->enterprise.credit_code && strcmp(in->enterprise.credit_code, old->credit_code)) {
		reply_add_line(ctx->reply, TXT_APPT_CODE_MISMATCH, (long long)old->appointment_id,
		               old->enterprise_name);
		return HANDLER_USAGE;
	}
	in->enterprise.credit_code = old->credit_code;
	if (strcmp(in->start_date, old->start_date) <= 0) {
		reply_add_line(ctx->reply, TXT_APPT_START_ORDER, old->start_date);
		return HANDLER_USAGE;
	}
	return in->enterprise.region_code ? region_check(ctx, in->enterprise.region_code) : 0;
}

static int replace_run(struct cmd_ctx *ctx)
{
	struct store_cqo_record old;
	struct appoint_form f;
	int64_t id;

	const char *typed = ctx->args->argv[1];
	if (!record_ref_parse(ctx, typed, &id))
		return HANDLER_USAGE;
	int rc = record_ref_load(ctx, id, typed, &old);
	if (rc == -ENOENT)
		return HANDLER_OK;
	if (rc < 0)
		return HANDLER_ERROR;
	if (!record_ref_active(ctx, &old, TXT_REPLACE_NAME))
		return HANDLER_OK;
	rc = appoint_form_read(ctx, true, &f);
	if (rc == 0)
		rc = region_resolve(ctx, &f);
	if (rc == 0)
		rc = replace_check(ctx, &f, &old);
	if (rc == 0)
		rc = file_commit(ctx, &f, &old);
	appoint_form_free(&f);
	return rc == APPOINT_DONE ? HANDLER_OK : rc;
}

static const char *const file_aliases[] = {"file", NULL};
static const char *const replace_aliases[] = {"replace", NULL};

const struct handler_entry handler_file = {
	.name = TXT_FILE_NAME,
	.aliases = file_aliases,
	.roles = ROLES_STAFF,
	.usage = TXT_FILE_USAGE,
	.help = TXT_FILE_HELP,
	.run = file_run,
	.flags = HANDLER_F_FORM,
	.writes = true,
};

const struct handler_entry handler_replace = {
	.name = TXT_REPLACE_NAME,
	.aliases = replace_aliases,
	.roles = ROLES_STAFF,
	.usage = TXT_REPLACE_USAGE,
	.help = TXT_REPLACE_HELP,
	.run = replace_run,
	.min_args = 1,
	.max_args = 1,
	.flags = HANDLER_F_FORM,
	.writes = true,
};
