/*
 * 统计 [地区] [类别] [年份]: the appointment rate of a category's
 * enterprises per region directly below the chosen one, against the
 * configured targets, as a table with a total row. A year is counted as it
 * stood on its last day (today for the current one), the date and any
 * earlier annual list used said above the table (store_stats.h). Arguments come in any
 * order and are told apart by shape: a 4-digit number starting with 20 is a
 * year (no province code starts with 20), other 2/4/6-digit numbers are
 * region codes, words naming a category (规上, 规模以上, 中小企业 …) are
 * categories, and any other word is a region's name (临沂市, 兰山区). A clerk counts within their scope
 * (the default); an admin sees every province unless a region is given.
 *
 * 导出 统计 [地区] [类别] [年份]: the same table as an Excel workbook
 * (handlers/stats_book.h), every category a sheet unless one is named, sent
 * back as a file message through the outbox; a region beyond a clerk's
 * scope is answered as one that does not exist.
 *
 * 目标 <地区> <类别> <年份> [聘任率|培训率|新备案] <目标值> (admins): sets
 * a target those statistics compare against (the appointment rate unless
 * another measure is named); region and category are read as in 统计.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "../lib/clock.h"
#include "../lib/digits.h"
#include "../messages/platforms.h"
#include "../store/store.h"
#include "../store/store_audit.h"
#include "../store/store_outbox.h"
#include "../store/store_stats.h"
#include "../store/store_target.h"
#include "text/lists.h"
#include "text/registry.h"
#include "category.h"
#include "handler.h"
#include "region_ref.h"
#include "validate.h"

#define DEFAULT_CATEGORY "规上"
#define STATS_COLUMNS 10
#define CELL_MAX 128
#define ECHO_MAX 48   /* bytes of an unrecognized argument quoted back */

struct stats_args {
	const char *region, *category, *year_text;
	const char *region_name;   /* a word that names no category */
	int year;
	char code[16];             /* the code region_name resolves to */
};

/* A year argument: "2026" or "2026年" (the suffix is 3 bytes of UTF-8). */
static bool is_year(const char *s)
{
	size_t len = strlen(s);
	if (len == 7 && strcmp(s + 4, "年") == 0)
		len = 4;
	return len == 4 && s[0] == '2' && s[1] == '0' && s[2] >= '0' && s[2] <= '9' &&
	       s[3] >= '0' && s[3] <= '9';
}

/* An argument that is none of region, category and year. */
static int bad_arg(const char *s, char *why, size_t n)
{
	/* Quote a long word only in part, cut between characters (the
	 * tokenizer has checked it is UTF-8). */
	size_t cut = strlen(s);
	if (cut > ECHO_MAX) {
		cut = ECHO_MAX;
		while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
			cut--;
	}
	snprintf(why, n, TXT_STATS_BAD_ARG, (int)cut, s);
	return -EINVAL;
}

/* A region typed by name, into code: 0; HANDLER_USAGE after replying why
 * (a word that names no region is an unrecognized argument, a name several
 * regions share gets the list); HANDLER_ERROR. */
static int region_named(struct cmd_ctx *ctx, const char *name, char code[16])
{
	char why[VALIDATE_WHY_MAX];
	size_t n;

	if (store_regions_by_name(ctx->store, name, 0, NULL, 0, &n) < 0)
		return HANDLER_ERROR;
	if (n == 0) {
		bad_arg(name, why, sizeof why);
		reply_add_line(ctx->reply, "%s", why);
		return HANDLER_USAGE;
	}
	int rc = region_ref_resolve(ctx, name, 0, TXT_STATS_REGION_WHAT, code);
	if (rc == -EINVAL || rc == -ENOENT)
		return HANDLER_USAGE;
	return rc < 0 ? HANDLER_ERROR : 0;
}

/* Sorts one argument into *a; 0, or -EINVAL with the reason in why. */
static int stats_arg(const char *s, struct stats_args *a, char *why, size_t n)
{
	const char **slot;
	size_t len = strlen(s);

	const char *category = category_find(s, true);

	if (is_year(s))
		slot = &a->year_text;
	else if ((len == 2 || len == 4 || len == 6) && digits_only(s))
		slot = &a->region;
	else if (category)
		slot = &a->category;
	else if (validate_region_is_name(s))
		slot = &a->region_name;
	else
		return bad_arg(s, why, n);
	if (*slot || (slot == &a->region_name && a->region) ||
	    (slot == &a->region && a->region_name)) {
		snprintf(why, n, TXT_STATS_REPEATED_ARG, s);
		return -EINVAL;
	}
	*slot = slot == &a->category ? category : s;
	if (slot == &a->year_text)
		a->year = (int)strtol(s, NULL, 10);
	return 0;
}

/* Checks the region: it must exist and, for a clerk, lie in their scope.
 * With `hide`, a region out of scope is answered as one that does not
 * exist (导出 tells nothing about regions beyond the asker's). */
static int stats_region(struct cmd_ctx *ctx, const char *region, bool hide)
{
	char name[96];
	const struct identity *who = ctx->who;
	int rc = store_region_name(ctx->store, region, name, sizeof name);
	bool out = who->role != ROLE_ADMIN &&
	           !(who->scope[0] && store_region_in_scope(region, who->scope));

	if (rc == -ENOENT || (rc == 0 && out && hide)) {
		reply_add_line(ctx->reply, TXT_STATS_REGION_UNKNOWN, region);
		return HANDLER_USAGE;
	}
	if (rc < 0)
		return HANDLER_ERROR;
	if (out) {
		reply_add_line(ctx->reply, TXT_STATS_OUT_OF_SCOPE, region, who->scope);
		return HANDLER_DENIED;
	}
	return HANDLER_OK;
}

static void percent(char *buf, double fraction)
{
	snprintf(buf, CELL_MAX, TXT_STATS_PERCENT, fraction * 100.0);
}

static void add_row(struct reply *r, const char *label, const struct store_stats_row *row)
{
	char cells[STATS_COLUMNS][CELL_MAX];
	const char *ptr[STATS_COLUMNS];

	snprintf(cells[0], CELL_MAX, "%s", label);
	snprintf(cells[1], CELL_MAX, "%lld", (long long)row->enterprises);
	snprintf(cells[2], CELL_MAX, "%lld", (long long)row->appointed);
	if (row->enterprises > 0)
		percent(cells[3], store_stats_rate(row));
	else
		snprintf(cells[3], CELL_MAX, "%s", TXT_UNKNOWN_VALUE);
	if (!row->has_target) {
		snprintf(cells[4], CELL_MAX, "%s", TXT_STATS_NO_TARGET);
		snprintf(cells[5], CELL_MAX, "%s", TXT_UNKNOWN_VALUE);
	} else {
		percent(cells[4], row->target);
		double gap = store_stats_gap(row);
		if (gap > 0)
			snprintf(cells[5], CELL_MAX, TXT_STATS_GAP, gap * 100.0);
		else
			snprintf(cells[5], CELL_MAX, "%s", TXT_STATS_MET);
	}
	if (row->appointed > 0)
		percent(cells[6], store_stats_trained_share(row));
	else
		snprintf(cells[6], CELL_MAX, "%s", TXT_UNKNOWN_VALUE);
	snprintf(cells[7], CELL_MAX, "%lld", (long long)row->new_filings);
	snprintf(cells[8], CELL_MAX, "%lld", (long long)row->renewals);
	snprintf(cells[9], CELL_MAX, "%lld", (long long)row->replacements);
	for (size_t i = 0; i < STATS_COLUMNS; i++)
		ptr[i] = cells[i];
	reply_table_add_row(r, ptr);
}

/* The chosen region's targets other than the rate, with their gap. */
static void goal_lines(struct reply *r, const struct store_stats_row *t)
{
	char now[CELL_MAX], gap[CELL_MAX];

	if (t->trained_goal.set) {
		double g = store_stats_trained_gap(t);
		if (t->appointed > 0)
			percent(now, store_stats_trained_share(t));
		else
			snprintf(now, CELL_MAX, "%s", TXT_UNKNOWN_VALUE);
		if (g > 0)
			snprintf(gap, CELL_MAX, TXT_STATS_GAP, g * 100.0);
		else
			snprintf(gap, CELL_MAX, "%s", TXT_STATS_MET);
		reply_add_line(r, TXT_STATS_GOAL_TRAINED, t->trained_goal.value * 100.0, now, gap);
	}
	if (t->new_goal.set) {
		int64_t g = store_stats_new_gap(t);
		if (g > 0)
			snprintf(gap, CELL_MAX, TXT_STATS_GAP_COUNT, (long long)g);
		else
			snprintf(gap, CELL_MAX, "%s", TXT_STATS_MET);
		reply_add_line(r, TXT_STATS_GOAL_NEW, (long long)t->new_goal.value,
		               (long long)t->new_filings, gap);
	}
}

static void stats_render(struct cmd_ctx *ctx, const struct store_stats *s)
{
	static const char *const header[STATS_COLUMNS] = {
		TXT_STATS_COL_REGION, TXT_STATS_COL_ENTERPRISES, TXT_STATS_COL_APPOINTED,
		TXT_STATS_COL_RATE, TXT_STATS_COL_TARGET, TXT_STATS_COL_GAP,
		TXT_STATS_COL_TRAINED, TXT_STATS_COL_NEW, TXT_STATS_COL_RENEWED,
		TXT_STATS_COL_REPLACED,
	};
	struct reply *r = ctx->reply;
	char place[160];

	if (s->region_code[0])
		snprintf(place, sizeof place, TXT_STATS_REGION_FMT, s->total.region_name,
		         s->region_code);
	else
		snprintf(place, sizeof place, "%s", TXT_STATS_ALL_REGIONS);
	reply_set_title(r, TXT_STATS_TITLE, place, category_stem(s->category), s->year);
	reply_add_line(r, TXT_STATS_AS_OF, s->as_of);
	if (s->list_year && s->list_year != s->year)
		reply_add_line(r, TXT_STATS_LIST_EARLIER, s->year, category_stem(s->category),
		               s->list_year);
	goal_lines(r, &s->total);
	if (s->n_rows == 0) {
		reply_add_line(r, TXT_STATS_NO_DATA, category_stem(s->category));
		return;
	}
	reply_table_begin(r, STATS_COLUMNS, header);
	for (size_t i = 0; i < s->n_rows; i++) {
		const struct store_stats_row *row = &s->rows[i];
		add_row(r, row->region_name[0] ? row->region_name : row->region_code, row);
	}
	/* A county's one row is the county itself: no total to add. */
	if (strlen(s->region_code) < 6)
		add_row(r, TXT_STATS_TOTAL, &s->total);
}

/* Reads arguments argv[first..] into *a, resolves and checks the region
 * (the asker's scope when none is given) and fills in the year: HANDLER_OK,
 * or the handler's answer after replying why. */
static int stats_resolve(struct cmd_ctx *ctx, int first, bool hide, struct stats_args *a)
{
	char why[VALIDATE_WHY_MAX];

	for (int i = first; i < ctx->args->argc; i++) {
		if (stats_arg(ctx->args->argv[i], a, why, sizeof why) < 0) {
			reply_add_line(ctx->reply, "%s", why);
			return HANDLER_USAGE;
		}
	}
	if (ctx->who->role == ROLE_CLERK && !ctx->who->scope[0])
		return HANDLER_DENIED;
	if (a->region_name) {
		int rc = region_named(ctx, a->region_name, a->code);
		if (rc != 0)
			return rc;
		a->region = a->code;
	}
	if (!a->region)
		a->region = ctx->who->role == ROLE_ADMIN ? "" : ctx->who->scope;
	else {
		int rc = stats_region(ctx, a->region, hide);
		if (rc != HANDLER_OK)
			return rc;
	}
	if (!a->year_text)
		a->year = clock_cst_year(ctx->now);
	return HANDLER_OK;
}

static int stats_run(struct cmd_ctx *ctx)
{
	struct stats_args a = {0};
	struct store_stats s;
	char today[11];
	int rc = stats_resolve(ctx, 1, false, &a);

	if (rc != HANDLER_OK)
		return rc;
	clock_cst_date(ctx->now, today);
	if (store_stats_compute(ctx->store, a.region, a.category ? a.category : DEFAULT_CATEGORY,
	                        a.year, today, &s) < 0)
		return HANDLER_ERROR;
	stats_render(ctx, &s);
	store_stats_free(&s);
	return HANDLER_OK;
}

/* The spec of the workbook for the file worker (daemon/outbox_file.h):
 * what 导出 统计 asked, and the day it was asked, so a retry builds the
 * same table. The request's key is in it too: the workbook's file is named
 * after the row's id and spec, and ids are reused after a drop, so a file
 * a dropped row left behind must never match a later request for the same
 * table. Caller frees; NULL on ENOMEM. */
static char *export_spec(const struct stats_args *a, const char *today, const char *name,
                         const char *key)
{
	cJSON *o = cJSON_CreateObject();
	char *text = NULL;

	if (o && cJSON_AddStringToObject(o, "what", "stats") &&
	    cJSON_AddStringToObject(o, "region", a->region) &&
	    (!a->category || cJSON_AddStringToObject(o, "category", a->category)) &&
	    cJSON_AddNumberToObject(o, "year", a->year) &&
	    cJSON_AddStringToObject(o, "today", today) &&
	    cJSON_AddStringToObject(o, "name", name) &&
	    cJSON_AddStringToObject(o, "request", key))
		text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return text;
}

/* 导出 统计 [地区] [类别] [年份]: the 统计表 as an Excel file, sent back
 * to the asker's chat through the outbox (a row of kind file, built and
 * uploaded off the loop by the daemon), committed with the message. */
static int export_stats_run(struct cmd_ctx *ctx)
{
	struct stats_args a = {0};
	struct store_actor actor;
	struct dest d;
	char today[11], place[96], kind[48] = "", name[256], key[640];
	int64_t id;
	/* 导出 alone runs this sub-command with no sub-command word. */
	int first = ctx->args->argc > 1 && handler_sub_find(ctx->entry, ctx->args->argv[1]) ? 2 : 1;
	int rc = stats_resolve(ctx, first, true, &a);

	if (rc != HANDLER_OK)
		return rc;
	rc = dest_for_file(ctx->msg, &d);
	if (rc == -ENOTSUP) {
		reply_add_line(ctx->reply, "%s", TXT_EXPORT_NO_FILE);
		return HANDLER_OK;
	}
	if (rc < 0)
		return HANDLER_ERROR;
	if (!a.region[0])
		snprintf(place, sizeof place, "%s", TXT_STATS_ALL_REGIONS);
	else if (store_region_name(ctx->store, a.region, place, sizeof place) < 0)
		return HANDLER_ERROR;
	if (a.category)
		snprintf(kind, sizeof kind, TXT_EXPORT_CATEGORY, category_stem(a.category));
	snprintf(name, sizeof name, TXT_EXPORT_FILE_NAME, place, kind, a.year);
	clock_cst_date(ctx->now, today);
	if (ctx->msg->msg_id)
		snprintf(key, sizeof key, "export:%s:%s:%s", d.platform, d.instance, ctx->msg->msg_id);
	else   /* the console: its request ids start again with each run */
		snprintf(key, sizeof key, "export:%s:%s:%ld:%lld:%llu", d.platform, d.instance,
		         (long)getpid(), (long long)ctx->now, (unsigned long long)ctx->msg->request_id);
	char *spec = export_spec(&a, today, name, key);
	if (!spec)
		return HANDLER_ERROR;
	handler_actor(ctx, &actor);
	rc = store_outbox_enqueue_file(ctx->store, &d, spec, key, ctx->msg->request_id, &id);
	if (rc == 0)
		rc = store_audit_add(ctx->store, &actor, "export", id, 0, NULL, spec);
	free(spec);
	if (rc < 0)
		return HANDLER_ERROR;
	reply_add_line(ctx->reply, TXT_EXPORT_STARTED, name);
	return HANDLER_OK;
}

/* The target's value: a share for the rates, a whole number of filings;
 * 0, or HANDLER_USAGE after replying why. */
static int target_value(struct cmd_ctx *ctx, int metric, const char *text, double *value)
{
	char why[VALIDATE_WHY_MAX];
	long n;

	if (metric != STORE_TARGET_NEW_FILINGS) {
		if (validate_rate(text, value) == 0)
			return 0;
		reply_add_line(ctx->reply, "%s", TXT_TARGET_RATE_BAD);
		return HANDLER_USAGE;
	}
	if (validate_int(text, 0, STORE_TARGET_COUNT_MAX, &n, TXT_TARGET_COUNT_FIELD, why,
	                 sizeof why) < 0) {
		reply_add_line(ctx->reply, "%s", TXT_TARGET_COUNT_BAD);
		return HANDLER_USAGE;
	}
	*value = (double)n;
	return 0;
}

static void target_done(struct cmd_ctx *ctx, int metric, const char *name, const char *region,
                        const char *category, int year, double value, bool had_old,
                        double old)
{
	const char *stem = category_stem(category);

	if (metric == STORE_TARGET_NEW_FILINGS) {
		reply_add_line(ctx->reply, TXT_TARGET_DONE_NEW, name, region, stem, year,
		               (long long)value);
		if (had_old)
			reply_add_line(ctx->reply, TXT_TARGET_REPLACED_NEW, (long long)old);
		return;
	}
	if (metric == STORE_TARGET_TRAINED)
		reply_add_line(ctx->reply, TXT_TARGET_DONE_TRAINED, name, region, stem, year,
		               value * 100.0);
	else
		reply_add_line(ctx->reply, TXT_TARGET_DONE, name, region, stem, year, value * 100.0);
	if (had_old)
		reply_add_line(ctx->reply, TXT_TARGET_REPLACED, old * 100.0);
}

static int target_run(struct cmd_ctx *ctx)
{
	struct store_actor actor;
	char why[VALIDATE_WHY_MAX], name[96];
	long year;
	double value, old = 0;
	bool had_old = false;
	int metric = STORE_TARGET_RATE;
	const char *value_text = ctx->args->argv[ctx->args->argc - 1];

	const char *region = ctx->args->argv[1];
	const char *category = category_find(ctx->args->argv[2], true);
	char code[16];
	if ((!validate_region_is_name(region) && validate_region_code(region, why, sizeof why) < 0) ||
	    validate_int(ctx->args->argv[3], 2000, 2200, &year, TXT_TARGET_YEAR_FIELD, why,
	                 sizeof why) < 0) {
		reply_add_line(ctx->reply, "%s", why);
		return HANDLER_USAGE;
	}
	if (!category) {
		reply_add_line(ctx->reply, "%s", TXT_STATS_CATEGORY_BAD);
		return HANDLER_USAGE;
	}
	if (validate_region_is_name(region)) {
		int rc = region_ref_resolve(ctx, region, 0, TXT_STATS_REGION_WHAT, code);
		if (rc == -ENOENT || rc == -EINVAL)
			return HANDLER_USAGE;
		if (rc < 0)
			return HANDLER_ERROR;
		region = code;
	}
	if (ctx->args->argc == 6 && (metric = category_target_metric(ctx->args->argv[4])) < 0) {
		reply_add_line(ctx->reply, TXT_TARGET_METRIC_BAD, ctx->args->argv[4]);
		return HANDLER_USAGE;
	}
	int rc = target_value(ctx, metric, value_text, &value);
	if (rc != 0)
		return rc;
	rc = store_region_name(ctx->store, region, name, sizeof name);
	if (rc == -ENOENT) {
		reply_add_line(ctx->reply, TXT_STATS_REGION_UNKNOWN, region);
		return HANDLER_USAGE;
	}
	if (rc < 0)
		return HANDLER_ERROR;
	handler_actor(ctx, &actor);
	if (store_target_set(ctx->store, &actor, region, category, (int)year,
	                     (enum store_target_metric)metric, value, &had_old, &old) < 0)
		return HANDLER_ERROR;
	target_done(ctx, metric, name, region, category, (int)year, value, had_old, old);
	return HANDLER_OK;
}

static const char *const stats_aliases[] = {"stats", NULL};
static const char *const target_aliases[] = {"target", NULL};

const struct handler_entry handler_stats = {
	.name = TXT_STATS_NAME,
	.aliases = stats_aliases,
	.roles = ROLES_STAFF,
	.usage = TXT_STATS_USAGE,
	.help = TXT_STATS_HELP,
	.run = stats_run,
	.max_args = 3,
	.flags = HANDLER_F_HEAVY_READ,
};

const struct handler_entry handler_target = {
	.name = TXT_TARGET_NAME,
	.aliases = target_aliases,
	.roles = ROLE_BIT(ROLE_ADMIN),
	.usage = TXT_TARGET_USAGE,
	.help = TXT_TARGET_HELP,
	.run = target_run,
	.min_args = 4,
	.max_args = 5,
	.writes = true,
};

static const char *const export_aliases[] = {"export", NULL};
static const char *const export_stats_aliases[] = {"stats", NULL};

static const struct handler_entry export_subs[] = {
	{.name = TXT_EXPORT_SUB_STATS, .aliases = export_stats_aliases, .roles = ROLES_STAFF,
	 .usage = TXT_EXPORT_USAGE, .help = TXT_EXPORT_STATS_HELP, .run = export_stats_run,
	 .max_args = 3, .writes = true},
	{.name = NULL},
};

const struct handler_entry handler_export = {
	.name = TXT_EXPORT_NAME,
	.aliases = export_aliases,
	.roles = ROLES_STAFF,
	.usage = TXT_EXPORT_USAGE,
	.help = TXT_EXPORT_HELP,
	.subs = export_subs,
};
