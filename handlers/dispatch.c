/* The command dispatcher; see dispatch.h. */
#include "dispatch.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../daemon/clock.h"
#include "../daemon/log.h"
#include "../daemon/metrics.h"
#include "../daemon/store.h"
#include "../messages/text.h"
#include "table.h"

#define SUGGEST_MAX 3

int dispatch_identity(struct store *st, const char *platform, const char *user_id,
                      struct identity *out)
{
	struct store_identity si;
	enum role r;

	memset(out, 0, sizeof *out);
	out->role = ROLE_GUEST;
	int rc = store_identity_get(st, platform, user_id, &si);
	if (rc == -ENOENT)
		return 0;
	if (rc < 0)
		return rc;
	if (role_parse(si.role, &r) < 0) {
		log_warn("identity with unknown role \"%s\" treated as guest", si.role);
		return 0;
	}
	out->role = r;
	snprintf(out->scope, sizeof out->scope, "%s", si.scope);
	out->person_id = si.person_id;
	out->alliance_id = si.alliance_id;
	return 0;
}

static void count(const char *command, const char *outcome)
{
	char labels[160];

	snprintf(labels, sizeof labels, "command=\"%s\",outcome=\"%s\"", command, outcome);
	metrics_add("cqod_commands_total", labels, 1);
}

static void reply_unknown(struct reply *out, const char *word, unsigned roles)
{
	const struct handler_entry *near[SUGGEST_MAX];
	size_t n = handler_suggest(word, roles, near, SUGGEST_MAX);

	out->is_error = true;
	reply_add_line(out, TXT_HELP_UNKNOWN, word);
	if (n == 0) {
		reply_add_line(out, TXT_HELP_SEE_ALL);
		return;
	}
	reply_add_line(out, TXT_HELP_SUGGEST);
	for (size_t i = 0; i < n; i++)
		reply_add_line(out, TXT_HELP_LINE, near[i]->usage, near[i]->help);
}

/* Turns a handler's result into the reply the user sees. */
static const char *finish(int rc, const struct handler_entry *e, struct reply *out)
{
	switch (rc) {
	case HANDLER_OK:
		return out->is_error ? "invalid" : "ok";
	case HANDLER_USAGE:
		out->is_error = true;
		reply_add_line(out, "%s%s", TXT_USAGE_PREFIX, e->usage);
		return "usage";
	case HANDLER_DENIED:
		out->is_error = true;
		if (out->n_items == 0)
			reply_add_line(out, TXT_DENIED, e->name);
		return "denied";
	default:
		out->is_error = true;
		reply_add_line(out, TXT_INTERNAL_ERROR);
		return "error";
	}
}

int dispatch_message(const struct dispatch_env *env, const struct chat_msg *msg,
                     struct reply *out)
{
	struct identity who;
	struct args args = {0};
	const char *outcome;
	int rc;

	if (env->fixed_identity)
		who = *env->fixed_identity;
	else if (dispatch_identity(env->store, msg->platform, msg->sender_id, &who) < 0)
		goto internal;

	rc = args_tokenize(msg->text, &args);
	if (rc < 0 || args.argc == 0) {
		out->is_error = rc < 0;
		reply_add_line(out, "%s", rc == -E2BIG ? TXT_TOO_LONG :
		                          rc < 0 ? TXT_BAD_INPUT : TXT_EMPTY);
		count("-", rc < 0 ? "invalid" : "empty");
		args_free(&args);
		return 0;
	}

	const struct handler_entry *e = handler_find(args.argv[0]);
	unsigned mine = ROLE_BIT(who.role);
	if (!e || !(e->roles & mine)) {
		if (!e) {
			reply_unknown(out, args.argv[0], mine);
			count("-", "unknown");
		} else {
			out->is_error = true;
			reply_add_line(out, TXT_DENIED, e->name);
			if (who.role == ROLE_GUEST)
				reply_add_line(out, TXT_GUEST_HINT);
			count(e->name, "denied");
		}
		args_free(&args);
		return 0;
	}

	struct cmd_ctx ctx = {
		.store = env->store,
		.cfg = env->cfg,
		.msg = msg,
		.who = &who,
		.args = &args,
		.reply = out,
		.now = clock_now(),
	};
	uint64_t t0 = clock_mono_ms();
	rc = e->run(&ctx);
	outcome = finish(rc, e, out);
	count(e->name, outcome);
	log_info("req %llu: %s:%s ran %s (%s, %llu ms)", (unsigned long long)msg->request_id,
	         msg->platform, msg->instance ? msg->instance : "-", e->name, outcome,
	         (unsigned long long)(clock_mono_ms() - t0));
	args_free(&args);
	return 0;

internal:
	out->is_error = true;
	reply_add_line(out, TXT_INTERNAL_ERROR);
	count("-", "error");
	return 0;
}

void dispatch_metrics_init(void)
{
	metrics_describe("cqod_commands_total", "counter", "Commands run, by command and outcome.");
}
