/*
 * 人才库 (talent pool; store/store_pool.h says who is in it): 列表 lists the
 * asker's jurisdiction, 查询 <编号|姓名> shows one person, 加入 enters someone
 * trained but never filed (a form, with their 任职培训), 移出 <编号> <原因>
 * takes a person out. Staff only, within their region scope; a person
 * outside it is "not found" like one who does not exist. Appointment from
 * the pool is 备案 with the same name and phone (the person and their
 * training are reused, and the appointment takes them out of the list).
 *
 * Phone and birth date are shown in full only in a private chat, and then
 * logged in the access log, as the record card does.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../lib/clock.h"
#include "../lib/names.h"
#include "../store/store.h"
#include "../store/store_audit.h"
#include "../store/store_pool.h"
#include "text/pool.h"
#include "argtext.h"
#include "form.h"
#include "handler.h"
#include "mask.h"
#include "paging.h"
#include "validate.h"

#define POOL_MATCH_MAX 10
#define POOL_TEXT_MAX 60      /* characters of a free-text field */
#define POOL_REASON_MAX 200

/* "" for everywhere (admin), else the clerk's region. */
static const char *scope_of(const struct cmd_ctx *ctx)
{
	return ctx->who->role == ROLE_ADMIN ? "" : ctx->who->scope;
}

static const char *or_none(const char *s)
{
	return s && *s ? s : TXT_POOL_NONE;
}

static int list_run(struct cmd_ctx *ctx)
{
	struct store_pool_person rows[PAGE_SIZE];
	size_t offset, limit, n, total;

	handler_page_window(ctx, &offset, &limit);
	if (limit > PAGE_SIZE)
		limit = PAGE_SIZE;
	if (store_pool_list(ctx->store, scope_of(ctx), 0, NULL, offset, rows, limit, &n,
	                    &total) < 0)
		return HANDLER_ERROR;
	if (total == 0) {
		reply_add_line(ctx->reply, TXT_POOL_LIST_EMPTY);
		return HANDLER_OK;
	}
	reply_set_title(ctx->reply, TXT_POOL_LIST_TITLE, total);
	for (size_t i = 0; i < n; i++)
		reply_add_line(ctx->reply, TXT_POOL_LIST_LINE, (long long)rows[i].person_id,
		               rows[i].name, or_none(rows[i].region_name), rows[i].trained_on,
		               or_none(rows[i].enterprise));
	handler_page_note(ctx, n, total);
	reply_add_line(ctx->reply, TXT_POOL_LIST_HINT);
	return HANDLER_OK;
}

static int card(struct cmd_ctx *ctx, const struct store_pool_person *p)
{
	struct reply *r = ctx->reply;
	bool full = ctx->msg->kind == CHAT_PRIVATE;
	char phone[32], birth[16];

	if (full) {
		struct store_actor actor;

		handler_actor(ctx, &actor);
		if (store_access_log_add(ctx->store, &actor, p->person_id, p->last_record,
		                         ctx->now) < 0)
			return HANDLER_ERROR;
		snprintf(phone, sizeof phone, "%s", p->phone);
		snprintf(birth, sizeof birth, "%s", p->birth_date);
	} else {
		mask_phone(p->phone, phone, sizeof phone);
		mask_birth_date(p->birth_date, birth, sizeof birth);
	}
	reply_set_title(r, TXT_POOL_CARD_TITLE, (long long)p->person_id);
	reply_add_field(r, TXT_POOL_K_NAME, "%s", p->name);
	reply_add_field(r, TXT_POOL_K_PHONE, "%s", or_none(phone));
	reply_add_field(r, TXT_POOL_K_BIRTH, "%s", or_none(birth));
	reply_add_field(r, TXT_POOL_K_EDU, "%s / %s", or_none(p->education), or_none(p->title));
	reply_add_field(r, TXT_POOL_K_POSITION, "%s", or_none(p->position));
	reply_add_field(r, TXT_POOL_K_REGION, "%s（%s）", or_none(p->region_name), p->region_code);
	reply_add_field(r, TXT_POOL_K_UNIT, "%s", or_none(p->enterprise));
	reply_add_field(r, TXT_POOL_K_TRAINED, TXT_POOL_TRAINED_FMT, p->trained_on,
	                or_none(p->certificate_no));
	if (p->last_record)
		reply_add_field(r, TXT_POOL_K_LAST, "%lld", (long long)p->last_record);
	reply_add_line(r, TXT_POOL_LIST_HINT);
	return HANDLER_OK;
}

static int query_run(struct cmd_ctx *ctx)
{
	struct store_pool_person rows[POOL_MATCH_MAX];
	const char *what = ctx->args->argv[2];
	int64_t id = 0;
	size_t n, total;
	bool by_id = argtext_id(what, &id);

	if (store_pool_list(ctx->store, scope_of(ctx), by_id ? id : 0, by_id ? NULL : what, 0,
	                    rows, POOL_MATCH_MAX, &n, &total) < 0)
		return HANDLER_ERROR;
	if (n == 0) {
		ctx->reply->is_error = true;
		reply_add_line(ctx->reply, TXT_POOL_NOT_FOUND, what);
		return HANDLER_OK;
	}
	if (n == 1)
		return card(ctx, &rows[0]);
	reply_add_line(ctx->reply, TXT_POOL_MATCHES, total, what);
	for (size_t i = 0; i < n; i++)
		reply_add_line(ctx->reply, TXT_POOL_LIST_LINE, (long long)rows[i].person_id,
		               rows[i].name, or_none(rows[i].region_name), rows[i].trained_on,
		               or_none(rows[i].enterprise));
	return HANDLER_OK;
}

static const struct form_spec add_spec[] = {
	{"name", TXT_POOL_F_NAME, true},         {"phone", TXT_POOL_F_PHONE, true},
	{"gender", TXT_POOL_F_GENDER, false},    {"birth_date", TXT_POOL_F_BIRTH, false},
	{"education", TXT_POOL_F_EDU, false},    {"title", TXT_POOL_F_TITLE, false},
	{"position", TXT_POOL_F_POSITION, false}, {"quality_years", TXT_POOL_F_YEARS, false},
	{"region", TXT_POOL_F_REGION, true},     {"enterprise", TXT_POOL_F_UNIT, false},
	{"date", TXT_POOL_F_DATE, true},         {"hours", TXT_POOL_F_HOURS, true},
	{"certificate", TXT_POOL_F_CERT, false}, {"institution", TXT_POOL_F_INST, false},
};
#define N_ADD (sizeof add_spec / sizeof add_spec[0])

struct add_values {
	char phone[32], gender[8], birth[11], date[11];
	long years;
	double hours;
};

/* The field's name as on the form (before the first '|'). */
static void bad_field(struct cmd_ctx *ctx, const char *key, const char *why)
{
	for (size_t i = 0; i < N_ADD; i++) {
		if (strcmp(add_spec[i].key, key) == 0) {
			reply_add_line(ctx->reply, TXT_POOL_FIELD_BAD,
			               (int)names_first_len(add_spec[i].names), add_spec[i].names, why);
			return;
		}
	}
}

/* Every value checked, one line per problem; false when any is bad. */
static bool add_check(struct cmd_ctx *ctx, const struct form *f, struct add_values *v)
{
	static const char *const texts[] = {"name", "education", "title", "position",
	                                    "enterprise", "certificate", "institution"};
	char why[VALIDATE_WHY_MAX], today[11];
	const char *s;
	bool ok = true;

	v->years = -1;
	for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
		if ((s = form_get(f, texts[i])) && argtext_chars(s) > POOL_TEXT_MAX) {
			snprintf(why, sizeof why, TXT_POOL_TEXT_LONG, POOL_TEXT_MAX);
			bad_field(ctx, texts[i], why);
			ok = false;
		}
	}
	if ((s = form_get(f, "phone")) && validate_phone(s, v->phone, why, sizeof why) < 0) {
		bad_field(ctx, "phone", why);
		ok = false;
	}
	if ((s = form_get(f, "gender")) && validate_gender(s, v->gender, why, sizeof why) < 0) {
		bad_field(ctx, "gender", why);
		ok = false;
	}
	if ((s = form_get(f, "birth_date")) && validate_date(s, v->birth, why, sizeof why) < 0) {
		bad_field(ctx, "birth_date", why);
		ok = false;
	}
	if ((s = form_get(f, "quality_years")) &&
	    validate_int(s, 0, 80, &v->years, TXT_POOL_YEARS_FIELD, why, sizeof why) < 0) {
		bad_field(ctx, "quality_years", why);
		ok = false;
	}
	if ((s = form_get(f, "region")) && validate_region_code(s, why, sizeof why) < 0) {
		bad_field(ctx, "region", why);
		ok = false;
	}
	clock_cst_date(ctx->now, today);
	if ((s = form_get(f, "date")) && validate_date(s, v->date, why, sizeof why) < 0) {
		bad_field(ctx, "date", why);
		ok = false;
	} else if (s && strcmp(v->date, today) > 0) {
		bad_field(ctx, "date", TXT_POOL_DATE_FUTURE);
		ok = false;
	}
	if ((s = form_get(f, "hours")) && validate_hours(s, &v->hours, why, sizeof why) < 0) {
		bad_field(ctx, "hours", why);
		ok = false;
	}
	return ok;
}

/* The region exists and is the asker's. */
static int region_ok(struct cmd_ctx *ctx, const char *region)
{
	char name[96];
	int rc = store_region_name(ctx->store, region, name, sizeof name);

	if (rc == -ENOENT || (rc == 0 && !store_region_in_scope(region, scope_of(ctx)))) {
		ctx->reply->is_error = true;
		reply_add_line(ctx->reply, TXT_POOL_REGION_BAD, region);
		return HANDLER_OK;
	}
	return rc < 0 ? HANDLER_ERROR : 0;
}

static int add_commit(struct cmd_ctx *ctx, const struct form *f, const struct add_values *v)
{
	const struct store_pool_entry in = {
		.person = {.name = form_get(f, "name"), .gender = v->gender[0] ? v->gender : NULL,
		           .birth_date = v->birth[0] ? v->birth : NULL,
		           .education = form_get(f, "education"), .position = form_get(f, "position"),
		           .title = form_get(f, "title"), .phone = v->phone,
		           .quality_years = v->years},
		.region_code = form_get(f, "region"),
		.enterprise = form_get(f, "enterprise"),
		.trained_on = v->date,
		.hours = v->hours,
		.certificate_no = form_get(f, "certificate"),
		.institution = form_get(f, "institution"),
		.scope = scope_of(ctx),
		.now = ctx->now,
	};
	struct store_actor actor;
	int64_t id = 0;
	bool reused = false;

	handler_actor(ctx, &actor);
	int rc = store_pool_add(ctx->store, &actor, &in, &id, &reused);
	if (rc == -EEXIST || rc == -EBUSY || rc == -EPERM) {
		ctx->reply->is_error = true;
		if (rc == -EEXIST)
			reply_add_line(ctx->reply, TXT_POOL_EXISTS, in.person.name, (long long)id);
		else
			reply_add_line(ctx->reply, rc == -EBUSY ? TXT_POOL_IN_OFFICE : TXT_POOL_BARRED,
			               in.person.name);
		return HANDLER_OK;
	}
	if (rc < 0)
		return HANDLER_ERROR;
	reply_set_title(ctx->reply, TXT_POOL_ADDED_TITLE, (long long)id);
	reply_add_field(ctx->reply, TXT_POOL_K_NAME, "%s", in.person.name);
	reply_add_field(ctx->reply, TXT_POOL_K_TRAINED, TXT_POOL_TRAINED_FMT, in.trained_on,
	                or_none(in.certificate_no));
	if (reused)
		reply_add_line(ctx->reply, TXT_POOL_REUSED);
	reply_add_line(ctx->reply, TXT_POOL_LIST_HINT);
	return HANDLER_OK;
}

static int add_run(struct cmd_ctx *ctx)
{
	const char *body = ctx->args->body;
	struct add_values v = {0};
	struct form f = {0};

	if (!body || !*body) {
		reply_add_line(ctx->reply, TXT_POOL_FORM_INTRO);
		form_describe(add_spec, N_ADD, ctx->reply);
		return HANDLER_USAGE;
	}
	int rc = form_parse(body, add_spec, N_ADD, &f, ctx->reply);
	bool ok = add_check(ctx, &f, &v);
	if (rc == -ENOMEM)
		rc = HANDLER_ERROR;
	else if (rc < 0 || !ok)
		rc = HANDLER_USAGE;
	else if ((rc = region_ok(ctx, form_get(&f, "region"))) == 0 && !ctx->reply->is_error)
		rc = add_commit(ctx, &f, &v);
	form_free(&f);
	return rc;
}

static int remove_run(struct cmd_ctx *ctx)
{
	const char *what = ctx->args->argv[2], *reason = ctx->args->argv[3];
	struct store_pool_person p;
	struct store_actor actor;
	size_t n, total;
	int64_t id;

	if (!argtext_id(what, &id))
		return HANDLER_USAGE;
	if (!reason[0] || argtext_chars(reason) > POOL_REASON_MAX) {
		reply_add_line(ctx->reply, TXT_POOL_REASON_EMPTY);
		return HANDLER_USAGE;
	}
	if (store_pool_list(ctx->store, scope_of(ctx), id, NULL, 0, &p, 1, &n, &total) < 0)
		return HANDLER_ERROR;
	if (n == 0) {
		ctx->reply->is_error = true;
		reply_add_line(ctx->reply, TXT_POOL_NOT_FOUND, what);
		return HANDLER_OK;
	}
	handler_actor(ctx, &actor);
	if (store_pool_remove(ctx->store, &actor, id, scope_of(ctx), reason, ctx->now) < 0)
		return HANDLER_ERROR;
	reply_add_line(ctx->reply, TXT_POOL_REMOVED, (long long)id, p.name, reason);
	return HANDLER_OK;
}

static const char *const list_aliases[] = {"list", NULL};
static const char *const query_aliases[] = {"query", "find", NULL};
static const char *const add_aliases[] = {"add", NULL};
static const char *const remove_aliases[] = {"remove", NULL};

static const struct handler_entry pool_subs[] = {
	{.name = TXT_POOL_SUB_LIST, .aliases = list_aliases, .roles = ROLES_STAFF,
	 .usage = TXT_POOL_LIST_USAGE, .help = TXT_POOL_LIST_HELP, .run = list_run},
	{.name = TXT_POOL_SUB_QUERY, .aliases = query_aliases, .roles = ROLES_STAFF,
	 .usage = TXT_POOL_QUERY_USAGE, .help = TXT_POOL_QUERY_HELP, .run = query_run,
	 .min_args = 1, .max_args = 1},
	{.name = TXT_POOL_SUB_ADD, .aliases = add_aliases, .roles = ROLES_STAFF,
	 .usage = TXT_POOL_ADD_USAGE, .help = TXT_POOL_ADD_HELP, .run = add_run,
	 .flags = HANDLER_F_FORM, .writes = true},
	{.name = TXT_POOL_SUB_REMOVE, .aliases = remove_aliases, .roles = ROLES_STAFF,
	 .usage = TXT_POOL_REMOVE_USAGE, .help = TXT_POOL_REMOVE_HELP, .run = remove_run,
	 .min_args = 2, .max_args = 2, .writes = true},
	{.name = NULL},
};

static const char *const pool_aliases[] = {"pool", NULL};

const struct handler_entry handler_pool = {
	.name = TXT_POOL_NAME,
	.aliases = pool_aliases,
	.roles = ROLES_STAFF,
	.usage = TXT_POOL_USAGE,
	.help = TXT_POOL_HELP,
	.subs = pool_subs,
};
