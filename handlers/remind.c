/*
 * What people do with the reminders the daily sweep sends them:
 *   收到                       a CQO acknowledges their reminders and sanction
 *                              notices; a clerk their digests (a weekly notice
 *                              acknowledged is not repeated until the situation
 *                              changes)
 *   未确认                     staff list who has not acknowledged, in scope
 *   提醒 [关闭|开启 <类别>]    a CQO shows or sets the categories they receive;
 *                              sanction notices cannot be turned off
 * Lines name people and enterprises but carry no contact details, so a group
 * chat sees the same as a private one.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../lib/clock.h"
#include "../lib/remind.h"
#include "../store/store_audit.h"
#include "../store/store_remind.h"
#include "../store/store_remind_ack.h"
#include "text/remind.h"
#include "handler.h"
#include "paging.h"

/* 未确认 lists reminders this recent; sanctions stay until acknowledged. */
#define UNACKED_DAYS 60

static int ack_run(struct cmd_ctx *ctx)
{
	struct store_actor actor;
	int reminders = 0, sanctions = 0, rc;

	handler_actor(ctx, &actor);
	if (ctx->who->role == ROLE_CQO)
		rc = store_remind_ack_person(ctx->store, &actor, ctx->who->person_id, ctx->now,
		                             &reminders, &sanctions);
	else
		rc = store_remind_ack_scope(ctx->store, &actor, ctx->who->scope, ctx->now, &reminders);
	if (rc < 0)
		return HANDLER_ERROR;
	if (reminders + sanctions == 0)
		reply_add_line(ctx->reply, TXT_ACK_NONE);
	else if (sanctions)
		reply_add_line(ctx->reply, TXT_ACK_DONE_SANCTIONS, reminders, sanctions);
	else
		reply_add_line(ctx->reply, TXT_ACK_DONE, reminders);
	return HANDLER_OK;
}

/* How 未确认 names a reminder's rule. */
static const char *rule_text(const char *rule)
{
	static const struct {
		const char *rule, *text;
	} names[] = {
		{"term", TXT_UNACKED_TERM},       {"term_overdue", TXT_UNACKED_OVERDUE},
		{"training", TXT_UNACKED_TRAINING}, {"summons", TXT_UNACKED_SUMMONS},
		{"rectify", TXT_UNACKED_RECTIFY},
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(rule, names[i].rule) == 0)
			return names[i].text;
	return rule;
}

static int unacked_run(struct cmd_ctx *ctx)
{
	struct store_remind_unacked rows[PAGE_SIZE];
	size_t offset, limit, n, total;
	char since[11], what[64];
	const char *scope = ctx->who->role == ROLE_ADMIN ? "" : ctx->who->scope;

	/* A clerk always has a scope; never everywhere by mistake. */
	if (ctx->who->role != ROLE_ADMIN && !scope[0])
		return HANDLER_DENIED;
	handler_page_window(ctx, &offset, &limit);
	if (limit > PAGE_SIZE)
		limit = PAGE_SIZE;
	remind_day_str(clock_cst_day(ctx->now) - UNACKED_DAYS, since);
	if (store_remind_unacked(ctx->store, scope, since, offset, rows, limit, &n, &total) < 0)
		return HANDLER_ERROR;
	if (total == 0) {
		reply_add_line(ctx->reply, TXT_UNACKED_NONE);
		handler_page_note(ctx, 0, 0);
		return HANDLER_OK;
	}
	reply_set_title(ctx->reply, TXT_UNACKED_TITLE, total);
	for (size_t i = 0; i < n; i++) {
		const struct store_remind_unacked *u = &rows[i];

		if (u->sanction_id)
			snprintf(what, sizeof what, TXT_UNACKED_SANCTION, u->kind,
			         (long long)u->sanction_id);
		else
			snprintf(what, sizeof what, "%s", rule_text(u->rule));
		reply_add_line(ctx->reply, TXT_UNACKED_LINE, offset + i + 1, u->person_name,
		               u->enterprise_name, (long long)u->appointment_id, what, u->date);
	}
	handler_page_note(ctx, n, total);
	return HANDLER_OK;
}

/* The categories as typed and shown, in remind_mute_categories order. */
static const struct {
	const char *word, *alias;
} category_words[REMIND_N_CATEGORIES] = {
	{TXT_RMDSET_TERM, "term"},
	{TXT_RMDSET_TRAINING, "training"},
	{TXT_RMDSET_HOURS, "hours"},
	{TXT_RMDSET_EVENT, "event"},
};

static int category_of(const char *word)
{
	for (int i = 0; i < REMIND_N_CATEGORIES; i++)
		if (strcmp(word, category_words[i].word) == 0 ||
		    strcasecmp(word, category_words[i].alias) == 0)
			return i;
	return -1;
}

static bool is_sanction_word(const char *word)
{
	return strcmp(word, TXT_RMDSET_SANCTION) == 0 || strcmp(word, "处理") == 0 ||
	       strcasecmp(word, "sanction") == 0;
}

static int remind_status(struct cmd_ctx *ctx)
{
	unsigned mask;

	if (store_remind_mutes(ctx->store, ctx->who->person_id, &mask) < 0)
		return HANDLER_ERROR;
	reply_set_title(ctx->reply, TXT_RMDSET_TITLE);
	for (int i = 0; i < REMIND_N_CATEGORIES; i++)
		reply_add_field(ctx->reply, category_words[i].word, "%s",
		                mask & (1u << i) ? TXT_RMDSET_OFF : TXT_RMDSET_ON);
	reply_add_field(ctx->reply, TXT_RMDSET_SANCTION, "%s", TXT_RMDSET_ALWAYS);
	reply_add_line(ctx->reply, TXT_RMDSET_HINT);
	return HANDLER_OK;
}

static int remind_run(struct cmd_ctx *ctx)
{
	const struct args *a = ctx->args;
	struct store_actor actor;
	bool mute, changed;
	int c;

	if (a->argc == 1)
		return remind_status(ctx);
	if (a->argc != 3)
		return HANDLER_USAGE;
	if (strcmp(a->argv[1], "关闭") == 0 || strcasecmp(a->argv[1], "off") == 0) {
		mute = true;
	} else if (strcmp(a->argv[1], "开启") == 0 || strcasecmp(a->argv[1], "on") == 0) {
		mute = false;
	} else {
		reply_add_line(ctx->reply, TXT_RMDSET_BAD_ACTION);
		return HANDLER_USAGE;
	}
	if (is_sanction_word(a->argv[2])) {
		ctx->reply->is_error = mute;
		reply_add_line(ctx->reply, mute ? TXT_RMDSET_NO_MUTE : TXT_RMDSET_ALWAYS);
		return HANDLER_OK;
	}
	if ((c = category_of(a->argv[2])) < 0) {
		reply_add_line(ctx->reply, TXT_RMDSET_BAD_CATEGORY);
		return HANDLER_USAGE;
	}
	handler_actor(ctx, &actor);
	if (store_remind_mute_set(ctx->store, &actor, ctx->who->person_id,
	                          remind_mute_categories[c], mute, ctx->now, &changed) < 0)
		return HANDLER_ERROR;
	const char *word = category_words[c].word;
	if (!changed)
		reply_add_line(ctx->reply, mute ? TXT_RMDSET_WAS_MUTED : TXT_RMDSET_WAS_ON, word);
	else if (mute)
		reply_add_line(ctx->reply, TXT_RMDSET_MUTED, word, word);
	else
		reply_add_line(ctx->reply, TXT_RMDSET_UNMUTED, word);
	return HANDLER_OK;
}

static const char *const ack_aliases[] = {"ack", NULL};
static const char *const unacked_aliases[] = {"unacked", NULL};
static const char *const remind_aliases[] = {"remind", NULL};

const struct handler_entry handler_ack = {
	.name = TXT_ACK_NAME,
	.aliases = ack_aliases,
	.roles = ROLE_BIT(ROLE_CQO) | ROLE_BIT(ROLE_CLERK),
	.usage = TXT_ACK_USAGE,
	.help = TXT_ACK_HELP,
	.run = ack_run,
	.max_args = HANDLER_ARGS_ANY,
	.writes = true,
};

const struct handler_entry handler_unacked = {
	.name = TXT_UNACKED_NAME,
	.aliases = unacked_aliases,
	.roles = ROLES_STAFF,
	.usage = TXT_UNACKED_USAGE,
	.help = TXT_UNACKED_HELP,
	.run = unacked_run,
};

const struct handler_entry handler_remind = {
	.name = TXT_RMDSET_NAME,
	.aliases = remind_aliases,
	.roles = ROLE_BIT(ROLE_CQO),
	.usage = TXT_RMDSET_USAGE,
	.help = TXT_RMDSET_HELP,
	.run = remind_run,
	.max_args = 2,
	.writes = true,
};
