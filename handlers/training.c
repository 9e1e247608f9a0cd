/*
 * 培训 <记录号> <类型> <日期> <学时> [证书号] [机构] [级别] [层次]: records a
 * training for the CQO of a record in the asker's reach and answers with
 * this year's hours against the jurisdiction's annual requirement. Every
 * malformed argument is reported, not only the first.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../lib/clock.h"
#include "../store/store.h"
#include "../store/store_audit.h"
#include "../store/store_training.h"
#include "text/records.h"
#include "argtext.h"
#include "handler.h"
#include "hours_text.h"
#include "record_ref.h"
#include "validate.h"

#define TRAIN_TEXT_MAX 64   /* characters of a certificate number or institution */

/* A word users type and the value stored for it (the schema's CHECK lists). */
struct word_map {
	const char *word, *value;
};

static const struct word_map kinds[] = {
	{"任职培训", "任职培训"}, {"继续教育", "继续教育"}, {"年度继续教育", "继续教育"},
	{"线上自学", "线上自学"}, {"在线自学", "线上自学"}, {"网络自学", "线上自学"},
};

static const struct word_map levels[] = {
	{"国家", "国家"}, {"国家级", "国家"}, {"省", "省"}, {"省级", "省"},
	{"市", "市"}, {"市级", "市"}, {"县", "县"}, {"县级", "县"},
};

static const struct word_map tiers[] = {
	{"高级", "高级"}, {"提升", "提升"},
};

static const char *map_word(const struct word_map *map, size_t n, const char *word)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(word, map[i].word) == 0)
			return map[i].value;
	return NULL;
}

#define MAP(m, w) map_word((m), sizeof (m) / sizeof (m)[0], (w))

/* The validated arguments; strings borrowed from ctx->args or static. */
struct train_args {
	int64_t id;
	const char *kind;
	char date[11];
	double hours;
	const char *cert, *institution, *level, *tier;
};

/* An optional argument at index i: NULL when absent or skipped ("-"). */
static const char *optional_arg(const struct args *a, int i)
{
	return i < a->argc && !argtext_skipped(a->argv[i]) ? a->argv[i] : NULL;
}

static bool check_length(struct cmd_ctx *ctx, const char *value, const char *field)
{
	if (!value || argtext_chars(value) <= TRAIN_TEXT_MAX)
		return true;
	reply_add_line(ctx->reply, TXT_RECREF_TOO_LONG, field, TRAIN_TEXT_MAX);
	return false;
}

/* Checks every argument; false after one reason line per problem. */
static bool parse_args(struct cmd_ctx *ctx, struct train_args *t)
{
	const struct args *a = ctx->args;
	char why[VALIDATE_WHY_MAX], today[11];
	bool ok = record_ref_parse(ctx, a->argv[1], &t->id);

	t->kind = MAP(kinds, a->argv[2]);
	if (!t->kind) {
		reply_add_line(ctx->reply, TXT_TRAIN_BAD_KIND, a->argv[2]);
		ok = false;
	}
	clock_cst_date(ctx->now, today);
	if (validate_date(a->argv[3], t->date, why, sizeof why) < 0) {
		reply_add_line(ctx->reply, "%s", why);
		ok = false;
	} else if (strcmp(t->date, today) > 0) {
		reply_add_line(ctx->reply, TXT_TRAIN_FUTURE, today);
		ok = false;
	}
	if (validate_hours(a->argv[4], &t->hours, why, sizeof why) < 0) {
		reply_add_line(ctx->reply, "%s", why);
		ok = false;
	}
	t->cert = optional_arg(a, 5);
	t->institution = optional_arg(a, 6);
	ok = check_length(ctx, t->cert, TXT_TRAIN_CERT) && ok;
	ok = check_length(ctx, t->institution, TXT_TRAIN_INSTITUTION) && ok;
	const char *level = optional_arg(a, 7), *tier = optional_arg(a, 8);
	t->level = level ? MAP(levels, level) : NULL;
	t->tier = tier ? MAP(tiers, tier) : NULL;
	if (level && !t->level) {
		reply_add_line(ctx->reply, TXT_TRAIN_BAD_LEVEL, level);
		ok = false;
	}
	if (tier && !t->tier) {
		reply_add_line(ctx->reply, TXT_TRAIN_BAD_TIER, tier);
		ok = false;
	}
	return ok;
}

/* "2026年累计：28.0 学时，年度要求 30.0 学时，还差 2.0 学时（计入：…）". */
static int reply_year_hours(struct cmd_ctx *ctx, const struct store_cqo_record *rec)
{
	struct store_hours h;
	int year = clock_cst_year(ctx->now);
	char key[32], text[256];

	if (store_training_year(ctx->store, rec->person_id, rec->region_code, rec->start_date,
	                        year, &h) < 0)
		return HANDLER_ERROR;
	snprintf(key, sizeof key, TXT_TRAIN_YEAR, year);
	hours_text(text, sizeof text, h.done, h.required, h.kinds);
	reply_add_field(ctx->reply, key, "%s", text);
	return HANDLER_OK;
}

static int train_run(struct cmd_ctx *ctx)
{
	struct store_cqo_record rec;
	struct store_actor actor;
	struct train_args t;
	struct reply *r = ctx->reply;
	int64_t training_id;

	if (!parse_args(ctx, &t))
		return HANDLER_USAGE;
	int rc = record_ref_load(ctx, t.id, ctx->args->argv[1], &rec);
	if (rc < 0)
		return rc == -ENOENT ? HANDLER_OK : HANDLER_ERROR;
	if (!record_ref_active(ctx, &rec, TXT_TRAIN_NAME))
		return HANDLER_OK;

	handler_actor(ctx, &actor);
	struct store_training_new row = {
		.appointment_id = t.id,
		.kind = t.kind,
		.date = t.date,
		.hours = t.hours,
		.certificate_no = t.cert,
		.institution = t.institution,
		.level = t.level,
		.tier = t.tier,
		.created_at = ctx->now,
	};
	if (store_training_add(ctx->store, &actor, &row, &training_id) < 0)
		return HANDLER_ERROR;

	reply_set_title(r, TXT_TRAIN_DONE_TITLE, (long long)t.id);
	reply_add_field(r, TXT_TRAIN_PERSON, TXT_RECREF_WHO, rec.person_name, rec.enterprise_name);
	reply_add_field(r, TXT_TRAIN_ITEM, TXT_TRAIN_ITEM_FMT, t.kind, t.date, t.hours);
	if (t.cert)
		reply_add_field(r, TXT_TRAIN_CERT, "%s", t.cert);
	if (t.institution)
		reply_add_field(r, TXT_TRAIN_INSTITUTION, "%s", t.institution);
	if (t.level)
		reply_add_field(r, TXT_TRAIN_LEVEL, TXT_TRAIN_LEVEL_FMT, t.level);
	if (t.tier)
		reply_add_field(r, TXT_TRAIN_TIER, "%s", t.tier);
	return reply_year_hours(ctx, &rec);
}

static const char *const train_aliases[] = {"train", NULL};

const struct handler_entry handler_train = {
	.name = TXT_TRAIN_NAME,
	.aliases = train_aliases,
	.roles = ROLES_STAFF,
	.usage = TXT_TRAIN_USAGE,
	.help = TXT_TRAIN_HELP,
	.run = train_run,
	.min_args = 4,
	.max_args = 8,
	.writes = true,
};
