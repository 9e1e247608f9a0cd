/*
 * 查询 <姓名|企业名|统一社会信用代码|记录号> [简历]: one match gives the record
 * card (the 信息表's fields; the long 工作简历 only when asked for), several a
 * numbered short list. A clerk searches only inside their region
 * scope, a CQO only their own record, an organizer only their alliance's
 * members; all are told "not found" alike for a record that exists outside
 * their reach, so the answer leaks nothing.
 *
 * Personal details (phone, e-mail, birth date) are shown in full only in a
 * private chat, to staff entitled to the record or to the person themself;
 * in a group chat they are masked. An organizer sees names and enterprises
 * only. Every full display is queued for the access log (batched by the
 * daemon, so it costs the query no disk flush).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../lib/clock.h"
#include "../lib/industry.h"
#include "../store/store.h"
#include "../store/store_alliance.h"
#include "../store/store_appoint.h"
#include "../store/store_audit.h"
#include "text/identity.h"
#include "text/registry.h"
#include "handler.h"
#include "hours_text.h"
#include "mask.h"
#include "record_ref.h"

#define QUERY_LIST_MAX 10

static const char *or_dash(const char *s)
{
	return s && s[0] ? s : TXT_UNKNOWN_VALUE;
}

static void card_term(struct cmd_ctx *ctx, const struct store_cqo_record *rec)
{
	int64_t end, today = clock_cst_day(ctx->now);
	struct reply *r = ctx->reply;

	reply_add_field(r, TXT_CARD_TERM, TXT_CARD_TERM_FMT, or_dash(rec->start_date),
	                or_dash(rec->term_end));
	if (strcmp(rec->status, "active") != 0 || clock_parse_date(rec->term_end, &end) < 0)
		reply_add_field(r, TXT_CARD_STATUS, "%s",
		                record_ref_status(rec->status, rec->blacklisted));
	else if (end > today)
		reply_add_field(r, TXT_CARD_STATUS, TXT_STATUS_ACTIVE TXT_CARD_DAYS_LEFT,
		                (long long)(end - today));
	else if (end == today)
		reply_add_field(r, TXT_CARD_STATUS, TXT_STATUS_ACTIVE TXT_CARD_DAYS_TODAY);
	else
		reply_add_field(r, TXT_CARD_STATUS, TXT_CARD_DAYS_OVER, (long long)(today - end));
}

/* How the record ended (解聘, 更换, 除名 ...) and every term it had, oldest
 * first, each with its own document and evaluation. */
static int card_history(struct cmd_ctx *ctx, int64_t id)
{
	struct store_appoint_history h;
	struct reply *r = ctx->reply;

	if (store_appoint_history(ctx->store, id, &h) < 0)
		return -EIO;
	if (h.ended_on[0])
		reply_add_field(r, TXT_CARD_ENDED, TXT_CARD_ENDED_FMT, h.ended_on,
		                or_dash(h.end_reason));
	for (size_t i = 0; i < h.n_terms; i++) {
		const struct store_appoint_term *t = &h.terms[i];

		reply_add_field(r, TXT_CARD_TERMS, TXT_CARD_TERMS_LINE, t->term_no, t->start_date,
		                t->term_end, or_dash(t->doc_no),
		                t->evaluation[0] ? t->evaluation : TXT_CARD_NOT_EVALUATED);
	}
	if (h.total_terms > h.n_terms)
		reply_add_field(r, TXT_CARD_TERMS, TXT_CARD_TERMS_EARLIER,
		                h.total_terms - h.n_terms);
	return 0;
}

/* How much of the card the asker gets. */
enum card_detail {
	CARD_NAMES,    /* organizer: name and enterprise only */
	CARD_MASKED,   /* group chat: personal details masked */
	CARD_FULL,     /* private chat to staff in scope or the person themself */
};

/* Whoever reaches the card is staff in scope (the search was scoped) or the person
 * themself, who get full details in private; or an organizer; or the
 * enterprise's contact, who is not the person: personal details masked. */
static enum card_detail card_detail(const struct cmd_ctx *ctx)
{
	if (ctx->who->role == ROLE_ORGANIZER)
		return CARD_NAMES;
	if (ctx->who->role == ROLE_CONTACT)
		return CARD_MASKED;
	return ctx->msg->kind == CHAT_PRIVATE ? CARD_FULL : CARD_MASKED;
}

/* 性别, 出生日期, 手机 and 邮箱, masked unless `full`. */
static void card_personal(struct reply *r, const struct store_cqo_record *rec, bool full)
{
	char birth[32], phone[40], email[136];

	reply_add_field(r, TXT_CARD_GENDER, "%s", or_dash(rec->gender));
	if (full || !rec->birth_date[0])
		snprintf(birth, sizeof birth, "%s", or_dash(rec->birth_date));
	else
		mask_birth_date(rec->birth_date, birth, sizeof birth);
	if (full || !rec->phone[0])
		snprintf(phone, sizeof phone, "%s", or_dash(rec->phone));
	else
		mask_phone(rec->phone, phone, sizeof phone);
	if (full || !rec->email[0])
		snprintf(email, sizeof email, "%s", or_dash(rec->email));
	else
		mask_email(rec->email, email, sizeof email);
	reply_add_field(r, TXT_CARD_BIRTH, "%s", birth);
	reply_add_field(r, TXT_CARD_PHONE, "%s", phone);
	reply_add_field(r, TXT_CARD_EMAIL, "%s", email);
}

/* 所属行业 (with its 门类's name), 企业规模, 职工人数, 企业性质, 主要产品. */
static void card_enterprise(struct reply *r, const struct store_cqo_record *rec)
{
	const char *section = industry_section_name(rec->industry_code[0]);

	if (section)
		reply_add_field(r, TXT_CARD_INDUSTRY, "%s（%s）", rec->industry_code, section);
	else
		reply_add_field(r, TXT_CARD_INDUSTRY, "%s", or_dash(rec->industry_code));
	reply_add_field(r, TXT_CARD_SIZE, "%s", or_dash(rec->size));
	if (rec->employees >= 0)
		reply_add_field(r, TXT_CARD_EMPLOYEES, TXT_CARD_EMPLOYEES_FMT,
		                (long long)rec->employees);
	else
		reply_add_field(r, TXT_CARD_EMPLOYEES, "%s", TXT_UNKNOWN_VALUE);
	reply_add_field(r, TXT_CARD_NATURE, "%s", or_dash(rec->nature));
	reply_add_field(r, TXT_CARD_PRODUCTS, "%s", or_dash(rec->main_products));
}

/* The 工作简历, asked for with 查询 … 简历: in full in a private chat only,
 * since it is a life story; a group is told where to read it. */
static int card_resume(struct cmd_ctx *ctx, const struct store_cqo_record *rec, bool full)
{
	char *resume;

	if (!full) {
		reply_add_field(ctx->reply, TXT_CARD_RESUME, TXT_CARD_RESUME_PRIVATE);
		return 0;
	}
	int rc = store_person_resume(ctx->store, rec->person_id, &resume);
	if (rc < 0)
		return rc;
	reply_add_field(ctx->reply, TXT_CARD_RESUME, "%s", or_dash(resume));
	free(resume);
	return 0;
}

/* 0, or a negative error when the display could not be logged or read
 * (then the card is not shown). `with_resume`: 查询 … 简历. */
static int card_fill(struct cmd_ctx *ctx, const struct store_cqo_record *rec, bool with_resume)
{
	struct reply *r = ctx->reply;
	enum card_detail detail = card_detail(ctx);
	char key[64], hours[256];

	reply_set_title(r, TXT_CARD_TITLE, (long long)rec->appointment_id);
	reply_add_field(r, TXT_CARD_PERSON, "%s", rec->person_name);
	if (detail == CARD_NAMES) {
		reply_add_field(r, TXT_CARD_ENTERPRISE, "%s", rec->enterprise_name);
		return 0;
	}
	if (detail == CARD_FULL) {
		struct store_actor actor;
		int rc;

		handler_actor(ctx, &actor);
		rc = store_access_log_add(ctx->store, &actor, rec->person_id, rec->appointment_id,
		                          ctx->now);
		if (rc < 0)
			return rc;
	}
	card_personal(r, rec, detail == CARD_FULL);
	reply_add_field(r, TXT_CARD_EDUCATION, "%s / %s", or_dash(rec->education),
	                or_dash(rec->title));
	reply_add_field(r, TXT_CARD_MAJOR, "%s", or_dash(rec->major));
	if (rec->quality_years >= 0)
		reply_add_field(r, TXT_CARD_YEARS, TXT_CARD_YEARS_FMT, rec->quality_years);
	else
		reply_add_field(r, TXT_CARD_YEARS, "%s", TXT_UNKNOWN_VALUE);
	reply_add_field(r, TXT_CARD_POSITION, "%s", or_dash(rec->position));
	reply_add_field(r, TXT_CARD_ENTERPRISE, "%s", rec->enterprise_name);
	reply_add_field(r, TXT_CARD_CREDIT, "%s", rec->credit_code);
	reply_add_field(r, TXT_CARD_REGION, "%s（%s）", or_dash(rec->region_name),
	                rec->region_code);
	card_enterprise(r, rec);
	reply_add_field(r, TXT_CARD_DOC, "%s", or_dash(rec->doc_no));
	card_term(ctx, rec);
	if (card_history(ctx, rec->appointment_id) < 0)
		return -EIO;
	snprintf(key, sizeof key, TXT_CARD_HOURS, clock_cst_year(ctx->now));
	hours_text(hours, sizeof hours, rec->hours_this_year, rec->hours_required,
	           rec->hours_kinds);
	reply_add_field(r, key, "%s", hours);
	if (rec->n_sanctions == 0)
		reply_add_field(r, TXT_CARD_SANCTIONS, TXT_CARD_SANCTION_NONE);
	for (int i = 0; i < rec->n_sanctions; i++)
		reply_add_field(r, TXT_CARD_SANCTIONS, TXT_CARD_SANCTION_LINE,
		                rec->sanctions[i].kind, rec->sanctions[i].issued_on,
		                rec->sanctions[i].reason);
	return with_resume ? card_resume(ctx, rec, detail == CARD_FULL) : 0;
}

/* May a CQO, an organizer or a contact see this record? A CQO their own,
 * an organizer their alliance's members, a contact their enterprise's
 * (admins and clerks are scoped by the search).
 * 1 yes, 0 no, negative on error. */
static int may_see(struct store *st, const struct identity *who,
                   const struct store_cqo_record *rec)
{
	bool member;

	switch (who->role) {
	case ROLE_CQO:
		return who->person_id != 0 && rec->person_id == who->person_id;
	case ROLE_CONTACT:
		return who->enterprise_id != 0 && rec->enterprise_id == who->enterprise_id;
	case ROLE_ORGANIZER:
		if (who->alliance_id == 0)
			return 0;
		if (store_alliance_has_member(st, who->alliance_id, rec->appointment_id, &member) < 0)
			return -1;
		return member;
	default:
		return 0;
	}
}

static int query_run(struct cmd_ctx *ctx)
{
	struct store_cqo_hit hits[QUERY_LIST_MAX];
	struct store_cqo_record rec;
	size_t n, total, shown = 0;
	const char *scope = ctx->who->role == ROLE_CLERK ? ctx->who->scope : "";
	int year = clock_cst_year(ctx->now);

	const char *term = ctx->args->argv[1];
	bool with_resume = ctx->args->argc > 2;
	if (with_resume && strcmp(ctx->args->argv[2], TXT_QUERY_RESUME) != 0 &&
	    strcasecmp(ctx->args->argv[2], "resume") != 0)
		return HANDLER_USAGE;
	if (store_cqo_search(ctx->store, term, scope, hits, QUERY_LIST_MAX, &total) < 0)
		return HANDLER_ERROR;
	n = total < QUERY_LIST_MAX ? total : QUERY_LIST_MAX;

	/* Admins and clerks were scoped by the search itself. A CQO's scope is
	 * their own person, an organizer's their alliance's members and a
	 * contact's their enterprise, which only the card tells: keep the hits
	 * they may see. rec_id names the card held in rec, so a single hit is
	 * not read twice. */
	bool filter = ctx->who->role == ROLE_CQO || ctx->who->role == ROLE_ORGANIZER ||
	              ctx->who->role == ROLE_CONTACT;
	int64_t rec_id = 0;
	for (size_t i = 0; i < n; i++) {
		if (!filter) {
			hits[shown++] = hits[i];
			continue;
		}
		int rc = store_cqo_record_get(ctx->store, hits[i].appointment_id, year, &rec);
		if (rc == -ENOENT)
			continue;
		if (rc < 0)
			return HANDLER_ERROR;
		rec_id = hits[i].appointment_id;
		rc = may_see(ctx->store, ctx->who, &rec);
		if (rc < 0)
			return HANDLER_ERROR;
		if (rc)
			hits[shown++] = hits[i];
	}
	if (filter)
		total = shown;

	if (shown == 0) {
		reply_add_line(ctx->reply, TXT_QUERY_NONE, term);
		return HANDLER_OK;
	}
	if (shown == 1 && total == 1) {
		if (rec_id != hits[0].appointment_id &&
		    store_cqo_record_get(ctx->store, hits[0].appointment_id, year, &rec) < 0)
			return HANDLER_ERROR;
		return card_fill(ctx, &rec, with_resume) < 0 ? HANDLER_ERROR : HANDLER_OK;
	}
	reply_set_title(ctx->reply, TXT_QUERY_MANY_TITLE, total);
	for (size_t i = 0; i < shown; i++)
		reply_add_line(ctx->reply, TXT_QUERY_MANY_LINE, i + 1,
		               (long long)hits[i].appointment_id, hits[i].person_name,
		               hits[i].enterprise_name,
		               record_ref_status(hits[i].status, hits[i].blacklisted));
	if (total > shown)
		reply_add_line(ctx->reply, TXT_QUERY_MORE, total - shown);
	return HANDLER_OK;
}

static const char *const query_aliases[] = {"query", "find", NULL};

const struct handler_entry handler_query = {
	.name = TXT_QUERY_NAME,
	.aliases = query_aliases,
	.roles = ROLES_STAFF | ROLE_BIT(ROLE_CQO) | ROLE_BIT(ROLE_ORGANIZER) |
	         ROLE_BIT(ROLE_CONTACT),
	.usage = TXT_QUERY_USAGE,
	.help = TXT_QUERY_HELP,
	.run = query_run,
	.min_args = 1,
	.max_args = 2,
};
