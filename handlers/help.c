/*
 * 帮助: lists the commands the asker may run, or details one of them. A
 * command the asker may not run is answered exactly like one that does not
 * exist, so help never reveals what other roles can do.
 */
#include "table.h"

#include <errno.h>
#include <stdlib.h>

#include "../lib/strbuf.h"
#include "text/common.h"
#include "../messages/text.h"

#define HELP_MAX_SUGGEST 3

static const char *const help_aliases[] = { "help", "?", NULL };

/* Display order for "可用角色": most privileged first. */
static const struct {
	enum role role;
	const char *label;
} role_labels[] = {
	{ ROLE_ADMIN, TXT_ROLE_ADMIN },
	{ ROLE_CLERK, TXT_ROLE_CLERK },
	{ ROLE_ORGANIZER, TXT_ROLE_ORGANIZER },
	{ ROLE_CQO, TXT_ROLE_CQO },
	{ ROLE_CONTACT, TXT_ROLE_CONTACT },
	{ ROLE_GUEST, TXT_ROLE_GUEST },
};

static int help_list(struct reply *r, unsigned asker)
{
	int rc = reply_set_title(r, TXT_HELP_TITLE, TXT_BOT_NAME);

	for (const struct handler_entry *const *e = handler_table; !rc && *e; e++) {
		if ((*e)->roles & asker)
			rc = reply_add_line(r, TXT_HELP_LINE, (*e)->usage, (*e)->help);
	}
	if (!rc)
		rc = reply_add_line(r, "%s", TXT_HELP_FOOTER);
	return rc;
}

static int help_unknown(struct reply *r, const char *word, unsigned asker)
{
	const struct handler_entry *near[HELP_MAX_SUGGEST];
	size_t n = handler_suggest(word, asker, near, HELP_MAX_SUGGEST);
	int rc;

	r->is_error = true;
	rc = reply_set_title(r, "%s", TXT_HELP_UNKNOWN_TITLE);
	if (!rc)
		rc = reply_add_line(r, TXT_HELP_UNKNOWN, word);
	if (!rc)
		rc = reply_add_line(r, "%s", n ? TXT_HELP_SUGGEST : TXT_HELP_SEE_ALL);
	for (size_t i = 0; !rc && i < n; i++)
		rc = reply_add_line(r, TXT_HELP_LINE, near[i]->usage, near[i]->help);
	return rc;
}

/* Adds the field `key` listing `items` joined by TXT_LIST_SEP. */
static int add_list_field(struct reply *r, const char *key, const char *const *items, size_t n)
{
	struct strbuf sb;
	char *text;
	int rc;

	strbuf_init(&sb);
	for (size_t i = 0; i < n; i++) {
		if (i)
			strbuf_appends(&sb, TXT_LIST_SEP);
		strbuf_appends(&sb, items[i]);
	}
	text = strbuf_detach(&sb);
	if (!text)
		return -ENOMEM;
	rc = reply_add_field(r, key, "%s", text);
	free(text);
	return rc;
}

/* The details of e, then its sub-commands the asker may use, one
 * "usage — help" line each. */
static int help_detail(struct reply *r, const struct handler_entry *e, unsigned asker)
{
	const char *labels[sizeof role_labels / sizeof role_labels[0]];
	size_t n_aliases = 0, n_labels = 0;
	int rc;

	for (const char *const *a = e->aliases; a && *a; a++)
		n_aliases++;
	if ((e->roles & ROLES_ANY) == ROLES_ANY) {
		labels[n_labels++] = TXT_HELP_ROLES_ANY;
	} else {
		for (size_t i = 0; i < sizeof role_labels / sizeof role_labels[0]; i++) {
			if (e->roles & ROLE_BIT(role_labels[i].role))
				labels[n_labels++] = role_labels[i].label;
		}
	}

	rc = reply_set_title(r, TXT_HELP_CMD_TITLE, e->name);
	if (!rc)
		rc = reply_add_field(r, TXT_HELP_KEY_USAGE, "%s", e->usage);
	if (!rc)
		rc = reply_add_field(r, TXT_HELP_KEY_DESC, "%s", e->help);
	if (!rc && n_aliases)
		rc = add_list_field(r, TXT_HELP_KEY_ALIASES, e->aliases, n_aliases);
	if (!rc)
		rc = add_list_field(r, TXT_HELP_KEY_ROLES, labels, n_labels);
	for (const struct handler_entry *s = e->subs; !rc && s && s->name; s++) {
		if (s->roles & asker)
			rc = reply_add_line(r, TXT_HELP_LINE, s->usage, s->help);
	}
	return rc;
}

static int help_run(struct cmd_ctx *ctx)
{
	unsigned asker = ROLE_BIT(ctx->who->role);
	const struct handler_entry *e;
	int rc;

	if (ctx->args->argc < 2) {
		rc = help_list(ctx->reply, asker);
	} else {
		e = handler_find(ctx->args->argv[1]);
		if (e && (e->roles & asker))
			rc = help_detail(ctx->reply, e, asker);
		else
			rc = help_unknown(ctx->reply, ctx->args->argv[1], asker);
	}
	return rc ? HANDLER_ERROR : HANDLER_OK;
}

const struct handler_entry handler_help = {
	.name = TXT_HELP_NAME,
	.aliases = help_aliases,
	.roles = ROLES_ANY,
	.usage = TXT_HELP_USAGE,
	.help = TXT_HELP_HELP,
	.run = help_run,
	.max_args = 1,
};
