/*
 * The clerks' work lists: 到期 [天数], 逾期, 未培训, 处理名单, 空缺 [类别].
 * Each covers the asker's scope (a clerk's region and everything below it,
 * everywhere for an admin), counts its items in the title and pages with
 * 下一页. Lines name people and enterprises but carry no contact details,
 * so a group chat sees the same as a private one.
 */
#include <stdio.h>

#include "../lib/clock.h"
#include "../store/store_lists.h"
#include "text/lists.h"
#include "text/registry.h"
#include "category.h"
#include "handler.h"
#include "paging.h"
#include "validate.h"

#define EXPIRING_DEFAULT_DAYS 90
#define EXPIRING_MAX_DAYS 3650
#define DEFAULT_CATEGORY "规上"
#define SECONDS_PER_DAY 86400

/* The region prefix the asker's lists cover; false for a clerk without one
 * (never everywhere by mistake). */
static bool list_scope(const struct cmd_ctx *ctx, const char **scope)
{
	if (ctx->who->role == ROLE_ADMIN) {
		*scope = "";
		return true;
	}
	*scope = ctx->who->scope;
	return ctx->who->role == ROLE_CLERK && ctx->who->scope[0];
}

/* The page window, never wider than the caller's array of `cap` rows. */
static void page_window(const struct cmd_ctx *ctx, size_t cap, size_t *offset, size_t *limit)
{
	handler_page_window(ctx, offset, limit);
	if (*limit > cap)
		*limit = cap;
}

static const char *region_label(const char *name, const char *code)
{
	return name[0] ? name : code;
}

/* Days from `date` to today (negative when it lies ahead). */
static long long days_since(const struct cmd_ctx *ctx, const char *date)
{
	int64_t day;
	if (clock_parse_date(date, &day) < 0)
		return 0;
	return (long long)(clock_cst_day(ctx->now) - day);
}

static int expiring_run(struct cmd_ctx *ctx)
{
	struct store_list_cqo rows[PAGE_SIZE];
	char today[11], until[11], why[VALIDATE_WHY_MAX];
	long days = EXPIRING_DEFAULT_DAYS;
	size_t offset, limit, n, total;
	const char *scope;

	if (ctx->args->argc == 2 &&
	    validate_int(ctx->args->argv[1], 1, EXPIRING_MAX_DAYS, &days, TXT_LISTS_DAYS_FIELD,
	                 why, sizeof why) < 0) {
		reply_add_line(ctx->reply, "%s", why);
		return HANDLER_USAGE;
	}
	if (!list_scope(ctx, &scope))
		return HANDLER_DENIED;
	page_window(ctx, PAGE_SIZE, &offset, &limit);
	clock_cst_date(ctx->now, today);
	clock_cst_date(ctx->now + (int64_t)days * SECONDS_PER_DAY, until);
	if (store_list_expiring(ctx->store, scope, today, until, offset, rows, limit, &n, &total) < 0)
		return HANDLER_ERROR;
	if (total == 0) {
		reply_add_line(ctx->reply, TXT_LISTS_EXPIRING_NONE, days);
		handler_page_note(ctx, 0, 0);
		return HANDLER_OK;
	}
	reply_set_title(ctx->reply, TXT_LISTS_EXPIRING_TITLE, days, total);
	for (size_t i = 0; i < n; i++) {
		const struct store_list_cqo *c = &rows[i];
		long long left = -days_since(ctx, c->term_end);
		if (left == 0)
			reply_add_line(ctx->reply, TXT_LISTS_EXPIRING_TODAY, offset + i + 1,
			               (long long)c->appointment_id, c->person_name, c->enterprise_name,
			               region_label(c->region_name, c->region_code), c->term_end);
		else
			reply_add_line(ctx->reply, TXT_LISTS_EXPIRING_LINE, offset + i + 1,
			               (long long)c->appointment_id, c->person_name, c->enterprise_name,
			               region_label(c->region_name, c->region_code), c->term_end, left);
	}
	handler_page_note(ctx, n, total);
	return HANDLER_OK;
}

static int overdue_run(struct cmd_ctx *ctx)
{
	struct store_list_cqo rows[PAGE_SIZE];
	char today[11];
	size_t offset, limit, n, total;
	const char *scope;

	if (!list_scope(ctx, &scope))
		return HANDLER_DENIED;
	page_window(ctx, PAGE_SIZE, &offset, &limit);
	clock_cst_date(ctx->now, today);
	if (store_list_overdue(ctx->store, scope, today, offset, rows, limit, &n, &total) < 0)
		return HANDLER_ERROR;
	if (total == 0) {
		reply_add_line(ctx->reply, TXT_LISTS_OVERDUE_NONE);
		handler_page_note(ctx, 0, 0);
		return HANDLER_OK;
	}
	reply_set_title(ctx->reply, TXT_LISTS_OVERDUE_TITLE, total);
	for (size_t i = 0; i < n; i++) {
		const struct store_list_cqo *c = &rows[i];
		reply_add_line(ctx->reply, TXT_LISTS_OVERDUE_LINE, offset + i + 1,
		               (long long)c->appointment_id, c->person_name, c->enterprise_name,
		               region_label(c->region_name, c->region_code), c->term_end,
		               days_since(ctx, c->term_end));
	}
	handler_page_note(ctx, n, total);
	return HANDLER_OK;
}

static void untrained_line(struct cmd_ctx *ctx, size_t number,
                           const struct store_list_untrained *u)
{
	char hours[64] = "";

	if (u->hours_short)
		snprintf(hours, sizeof hours, TXT_LISTS_HOURS_SHORT, u->hours, u->required_hours);
	reply_add_line(ctx->reply, TXT_LISTS_UNTRAINED_LINE, number,
	               (long long)u->cqo.appointment_id, u->cqo.person_name,
	               u->cqo.enterprise_name, region_label(u->cqo.region_name, u->cqo.region_code),
	               u->no_appointment_training ? TXT_LISTS_NO_INDUCTION : "",
	               u->no_appointment_training && u->hours_short ? TXT_LISTS_REASON_SEP : "",
	               hours);
}

static int untrained_run(struct cmd_ctx *ctx)
{
	struct store_list_untrained rows[PAGE_SIZE];
	size_t offset, limit, n, total;
	int year = clock_cst_year(ctx->now);
	const char *scope;

	if (!list_scope(ctx, &scope))
		return HANDLER_DENIED;
	page_window(ctx, PAGE_SIZE, &offset, &limit);
	if (store_list_untrained(ctx->store, scope, year, offset, rows, limit, &n, &total) < 0)
		return HANDLER_ERROR;
	if (total == 0) {
		reply_add_line(ctx->reply, TXT_LISTS_UNTRAINED_NONE, year);
		handler_page_note(ctx, 0, 0);
		return HANDLER_OK;
	}
	reply_set_title(ctx->reply, TXT_LISTS_UNTRAINED_TITLE, year, total);
	for (size_t i = 0; i < n; i++)
		untrained_line(ctx, offset + i + 1, &rows[i]);
	handler_page_note(ctx, n, total);
	return HANDLER_OK;
}

static int sanctions_run(struct cmd_ctx *ctx)
{
	struct store_list_sanction rows[PAGE_SIZE];
	size_t offset, limit, n, total;
	const char *scope;

	if (!list_scope(ctx, &scope))
		return HANDLER_DENIED;
	page_window(ctx, PAGE_SIZE, &offset, &limit);
	if (store_list_sanctions(ctx->store, scope, offset, rows, limit, &n, &total) < 0)
		return HANDLER_ERROR;
	if (total == 0) {
		reply_add_line(ctx->reply, TXT_LISTS_SANCTIONS_NONE);
		handler_page_note(ctx, 0, 0);
		return HANDLER_OK;
	}
	reply_set_title(ctx->reply, TXT_LISTS_SANCTIONS_TITLE, total);
	for (size_t i = 0; i < n; i++) {
		const struct store_list_sanction *s = &rows[i];
		reply_add_line(ctx->reply, TXT_LISTS_SANCTIONS_LINE, offset + i + 1,
		               (long long)s->sanction_id, s->kind, s->issued_on,
		               s->ground[0] ? s->ground : TXT_UNKNOWN_VALUE,
		               (long long)s->cqo.appointment_id, s->cqo.person_name,
		               s->cqo.enterprise_name,
		               region_label(s->cqo.region_name, s->cqo.region_code));
	}
	handler_page_note(ctx, n, total);
	return HANDLER_OK;
}

static void vacant_line(struct cmd_ctx *ctx, size_t number, const struct store_list_vacant *v)
{
	char history[192];

	if (v->last_appointment_id == 0)
		snprintf(history, sizeof history, "%s", TXT_LISTS_VACANT_NEVER);
	else
		snprintf(history, sizeof history, TXT_LISTS_VACANT_LAST, v->last_person,
		         (long long)v->last_appointment_id,
		         v->last_ended_on[0] ? v->last_ended_on : TXT_UNKNOWN_VALUE);
	reply_add_line(ctx->reply, TXT_LISTS_VACANT_LINE, number, v->enterprise_name,
	               v->credit_code, region_label(v->region_name, v->region_code), history);
}

static int vacant_run(struct cmd_ctx *ctx)
{
	struct store_list_vacant rows[PAGE_SIZE];
	size_t offset, limit, n, total;
	const char *scope, *category = DEFAULT_CATEGORY;

	if (ctx->args->argc == 2)
		category = category_find(ctx->args->argv[1], false);
	if (!category) {
		reply_add_line(ctx->reply, "%s", TXT_LISTS_CATEGORY_BAD);
		return HANDLER_USAGE;
	}
	if (!list_scope(ctx, &scope))
		return HANDLER_DENIED;
	page_window(ctx, PAGE_SIZE, &offset, &limit);
	if (store_list_vacant(ctx->store, scope, category, offset, rows, limit, &n, &total) < 0)
		return HANDLER_ERROR;
	if (total == 0) {
		reply_add_line(ctx->reply, TXT_LISTS_VACANT_NONE, category_full(category));
		handler_page_note(ctx, 0, 0);
		return HANDLER_OK;
	}
	reply_set_title(ctx->reply, TXT_LISTS_VACANT_TITLE, category_full(category), total);
	for (size_t i = 0; i < n; i++)
		vacant_line(ctx, offset + i + 1, &rows[i]);
	handler_page_note(ctx, n, total);
	return HANDLER_OK;
}

static const char *const expiring_aliases[] = {"expiring", NULL};
static const char *const overdue_aliases[] = {"overdue", NULL};
static const char *const untrained_aliases[] = {"untrained", NULL};
static const char *const sanctions_aliases[] = {"sanctions", NULL};
static const char *const vacant_aliases[] = {"vacant", NULL};

const struct handler_entry handler_expiring = {
	.name = TXT_LISTS_EXPIRING_NAME,
	.aliases = expiring_aliases,
	.roles = ROLES_STAFF,
	.usage = TXT_LISTS_EXPIRING_USAGE,
	.help = TXT_LISTS_EXPIRING_HELP,
	.run = expiring_run,
	.max_args = 1,
};

const struct handler_entry handler_overdue = {
	.name = TXT_LISTS_OVERDUE_NAME,
	.aliases = overdue_aliases,
	.roles = ROLES_STAFF,
	.usage = TXT_LISTS_OVERDUE_USAGE,
	.help = TXT_LISTS_OVERDUE_HELP,
	.run = overdue_run,
};

const struct handler_entry handler_untrained = {
	.name = TXT_LISTS_UNTRAINED_NAME,
	.aliases = untrained_aliases,
	.roles = ROLES_STAFF,
	.usage = TXT_LISTS_UNTRAINED_USAGE,
	.help = TXT_LISTS_UNTRAINED_HELP,
	.run = untrained_run,
	.flags = HANDLER_F_HEAVY_READ,
};

const struct handler_entry handler_sanction_list = {
	.name = TXT_LISTS_SANCTIONS_NAME,
	.aliases = sanctions_aliases,
	.roles = ROLES_STAFF,
	.usage = TXT_LISTS_SANCTIONS_USAGE,
	.help = TXT_LISTS_SANCTIONS_HELP,
	.run = sanctions_run,
};

const struct handler_entry handler_vacant = {
	.name = TXT_LISTS_VACANT_NAME,
	.aliases = vacant_aliases,
	.roles = ROLES_STAFF,
	.usage = TXT_LISTS_VACANT_USAGE,
	.help = TXT_LISTS_VACANT_HELP,
	.run = vacant_run,
	.max_args = 1,
};
