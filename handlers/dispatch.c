/* The command dispatcher; see dispatch.h. */
#include "dispatch.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../lib/clock.h"
#include "../lib/log.h"
#include "../lib/metrics.h"
#include "../store/store.h"
#include "../store/store_audit.h"
#include "text/common.h"
#include "../messages/text.h"
#include "../lib/textclean.h"
#include "table.h"

#define SUGGEST_MAX 3
/* Room for a sender's display name once cleaned; longer ones are cut. */
#define SENDER_NAME_MAX 128

int dispatch_identity(struct store *st, const struct chat_msg *msg, struct identity *out)
{
	struct store_identity_key key = {.platform = msg->platform, .tenant = msg->tenant,
	                                 .user_id = msg->sender_id, .instance = msg->instance};
	struct store_identity si;
	enum role r;

	memset(out, 0, sizeof *out);
	out->role = ROLE_GUEST;
	int rc = store_identity_get(st, &key, &si);
	if (rc == -ENOENT)
		return 0;
	if (rc < 0)
		return rc;
	/* A pending identity takes the tenant of its first message through
	 * its instance (store.h); from then on no other tenant matches it. */
	if (!si.tenant[0] && key.tenant && key.instance) {
		rc = store_identity_adopt(st, &key, msg->chat_id);
		if (rc == 0)
			log_info("req %llu: %s:%s:%s: identity takes the tenant of its first"
			         " message through %s", (unsigned long long)msg->request_id,
			         key.platform, key.tenant, key.user_id, key.instance);
		else if (rc != -ENOENT && rc != -EEXIST)
			return rc;
	}
	if (role_parse(si.role, &r) < 0) {
		log_warn("identity with unknown role \"%s\" treated as guest", si.role);
		return 0;
	}
	out->role = r;
	snprintf(out->scope, sizeof out->scope, "%s", si.scope);
	out->person_id = si.person_id;
	out->alliance_id = si.alliance_id;
	out->enterprise_id = si.enterprise_id;
	return 0;
}

static void count(const char *command, const char *outcome)
{
	char labels[160];

	snprintf(labels, sizeof labels, "command=\"%s\",outcome=\"%s\"", command, outcome);
	metrics_add("cqod_commands_total", labels, 1);
}

/* Handlers run on the loop thread against the store, so this is mostly
 * store time: the latency a command's queries and transaction cost. */
static void observe(const char *command, double seconds)
{
	char labels[96];

	snprintf(labels, sizeof labels, "command=\"%s\"", command);
	metrics_observe("cqod_command_duration_seconds", labels, seconds);
}

/* Counts a command (took < 0: it did not run); on a worker thread, notes
 * it for the loop instead (dispatch_read). */
static void tally(const struct cmd_ctx *ctx, const char *command, const char *outcome,
                  double took)
{
	if (ctx->tally) {
		*ctx->tally = (struct dispatch_tally){.command = command, .outcome = outcome,
		                                      .took = took};
		return;
	}
	count(command, outcome);
	if (took >= 0)
		observe(command, took);
}

/* Suggestions for a Chinese word that may be a mistyped command glued to
 * its argument (查讯张三): those for its first 4, 3 or 2 characters, the
 * longest that gets any. */
static size_t suggest_glued(const char *word, unsigned roles, const struct handler_entry **near)
{
	size_t cut[5], n = 0, got = 0;
	char head[32];

	if ((unsigned char)word[0] < 0x80)
		return 0;
	for (size_t i = 1; word[i - 1] && n < 5; i++) {
		if ((word[i] & 0xC0) != 0x80)
			cut[n++] = i;   /* the first n characters end before word[i] */
	}
	for (size_t k = n < 5 ? n : 4; k >= 2 && !got; k--) {
		if (!word[cut[k - 1]] || cut[k - 1] >= sizeof head)
			continue;
		memcpy(head, word, cut[k - 1]);
		head[cut[k - 1]] = '\0';
		got = handler_suggest(head, roles, near, SUGGEST_MAX);
	}
	return got;
}

static void reply_unknown(struct reply *out, const char *word, unsigned roles)
{
	const struct handler_entry *near[SUGGEST_MAX];
	size_t n = handler_suggest(word, roles, near, SUGGEST_MAX);

	if (n == 0)
		n = suggest_glued(word, roles, near);

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

/* "联盟 新建" for a sub-command, else the command's name: what refusals
 * name. */
static const char *shown_name(const struct handler_entry *e, const struct handler_entry *sub,
                              char *buf, size_t len)
{
	if (!sub)
		return e->name;
	snprintf(buf, len, "%s %s", e->name, sub->name);
	return buf;
}

/* Turns a handler's result into the reply the user sees: e ran, or its
 * sub-command sub when not NULL. */
static const char *finish(int rc, const struct handler_entry *e,
                          const struct handler_entry *sub, struct reply *out)
{
	const struct handler_entry *run = sub ? sub : e;
	char name[64];

	switch (rc) {
	case HANDLER_OK:
		return out->is_error ? "invalid" : "ok";
	case HANDLER_USAGE:
		out->is_error = true;
		reply_add_line(out, "%s%s", TXT_USAGE_PREFIX, run->usage);
		return "usage";
	case HANDLER_DENIED:
		out->is_error = true;
		if (out->n_items == 0)
			reply_add_line(out, TXT_DENIED, shown_name(e, sub, name, sizeof name));
		return "denied";
	default:
		/* Which apology, if any, dispatch_unit decides from the failure:
		 * a transient one is retried, a permanent one rolled back. */
		out->is_error = true;
		reply_fail(out, REPLY_FAIL_PERMANENT);
		reply_add_line(out, TXT_INTERNAL_ERROR);
		return "error";
	}
}

/* A sub-command word e does not know: the ones the asker may use, then
 * the command's usage. */
static void reply_subs(struct reply *out, const struct handler_entry *e, unsigned mine)
{
	out->is_error = true;
	for (const struct handler_entry *s = e->subs; s->name; s++) {
		if (s->roles & mine)
			reply_add_line(out, "%s", s->usage);
	}
	reply_add_line(out, "%s%s", TXT_USAGE_PREFIX, e->usage);
}

/* A command declared read-only that changed the registry is a bug in its
 * table entry: said loudly, since the declaration is what lets a reader
 * (and later a read-only connection) trust it. */
static void check_declaration(const struct cmd_ctx *ctx, const struct handler_entry *e,
                              bool writes, int64_t before)
{
	int64_t changed = store_effects(ctx->store) - before;

	if (!writes && changed > 0) {
		log_error("req %llu: %s is declared read-only but changed %lld row(s)",
		          (unsigned long long)ctx->msg->request_id, e->name, (long long)changed);
		metrics_add("cqod_command_undeclared_writes_total", "", 1);
	}
}

/* The refusal of e (or its sub-command) to this asker. */
static void reply_denied(struct cmd_ctx *ctx, const struct handler_entry *e,
                         const struct handler_entry *sub)
{
	char name[64];

	ctx->reply->is_error = true;
	reply_add_line(ctx->reply, TXT_DENIED, shown_name(e, sub, name, sizeof name));
	if (ctx->who->role == ROLE_GUEST)
		reply_add_line(ctx->reply, TXT_GUEST_HINT);
}

/* Applies the table's declarations to args: finds the command and its
 * sub-command and checks roles and argument counts. Returns the entry to
 * run, or NULL once the refusal is in the reply (*outcome says which). */
static const struct handler_entry *resolve(struct cmd_ctx *ctx, const struct args *args,
                                           bool rerun, const struct handler_entry **e_out,
                                           const struct handler_entry **sub_out,
                                           const char **outcome)
{
	const struct handler_entry *e = handler_find(args->argv[0]), *sub = NULL, *run;
	unsigned mine = ROLE_BIT(ctx->who->role);
	int nargs = args->argc - 1;

	*e_out = e;
	*sub_out = NULL;
	if (!e) {
		reply_unknown(ctx->reply, args->argv[0], mine);
		*outcome = "unknown";
		return NULL;
	}
	if (!(e->roles & mine) || (rerun && (e->flags & HANDLER_F_NO_RERUN))) {
		reply_denied(ctx, e, NULL);
		*outcome = "denied";
		return NULL;
	}
	if (e->subs) {
		sub = nargs == 0 ? &e->subs[0] : handler_sub_find(e, args->argv[1]);
		if (!sub) {
			reply_subs(ctx->reply, e, mine);
			*outcome = "usage";
			return NULL;
		}
		*sub_out = sub;
		if (!(sub->roles & mine)) {
			reply_denied(ctx, e, sub);
			*outcome = "denied";
			return NULL;
		}
		nargs = nargs ? nargs - 1 : 0;
	}
	run = sub ? sub : e;
	if (!handler_args_fit(run, nargs)) {
		ctx->reply->is_error = true;
		reply_add_line(ctx->reply, "%s%s", TXT_USAGE_PREFIX, run->usage);
		*outcome = "usage";
		return NULL;
	}
	return run;
}

int dispatch_tokenize(const char *text, struct args *out)
{
	const char *cmd;
	int rc = args_tokenize(text, out);

	if (rc < 0 || out->argc == 0 || handler_find(out->argv[0]) ||
	    !handler_find_prefix(out->argv[0], &cmd))
		return rc;
	args_free(out);
	return args_tokenize_cmd(text, cmd, out);
}

bool dispatch_takes_form(const char *text)
{
	struct args a;
	const struct handler_entry *e, *sub = NULL;
	bool form = false;

	if (dispatch_tokenize(text, &a) < 0)
		return false;
	e = a.argc > 0 ? handler_find(a.argv[0]) : NULL;
	if (e && e->subs)
		sub = a.argc > 1 ? handler_sub_find(e, a.argv[1]) : &e->subs[0];
	if (e)
		form = ((e->flags | (sub ? sub->flags : 0)) & HANDLER_F_FORM) != 0;
	args_free(&a);
	return form;
}

/* Tokenizes ctx->text, applies the table's declarations and runs the
 * command. */
static void run_command(struct cmd_ctx *ctx, bool rerun)
{
	const struct handler_entry *e, *sub, *run;
	struct args args = {0};
	struct reply *out = ctx->reply;
	const char *outcome;
	int rc = dispatch_tokenize(ctx->text, &args);

	if (rc < 0 || args.argc == 0) {
		out->is_error = rc < 0;
		reply_add_line(out, "%s", rc == -E2BIG ? TXT_TOO_LONG :
		                          rc < 0 ? TXT_BAD_INPUT : TXT_EMPTY);
		tally(ctx, "-", rc < 0 ? "invalid" : "empty", -1);
		args_free(&args);
		return;
	}

	run = resolve(ctx, &args, rerun, &e, &sub, &outcome);
	if (!run) {
		tally(ctx, e ? e->name : "-", outcome, -1);
		args_free(&args);
		return;
	}

	ctx->args = &args;
	ctx->entry = e;
	ctx->sub = sub;
	int64_t effects = store_effects(ctx->store);
	uint64_t t0 = clock_mono_ns();
	rc = run->run(ctx);
	double took = metrics_since(t0);
	check_declaration(ctx, e, run->writes, effects);
	outcome = finish(rc, e, sub, out);
	tally(ctx, e->name, outcome, took);
	log_info("req %llu: %s:%s ran %s (%s, %.1f ms)", (unsigned long long)ctx->msg->request_id,
	         ctx->msg->platform, ctx->msg->instance ? ctx->msg->instance : "-", e->name,
	         outcome, took * 1000);
	ctx->args = NULL;
	args_free(&args);
}

int handler_rerun(struct cmd_ctx *ctx, const char *text, bool confirmed, size_t page_offset)
{
	struct cmd_ctx again = *ctx;

	again.text = text;
	again.confirmed = confirmed;
	again.page_offset = page_offset;
	run_command(&again, true);
	return HANDLER_OK;
}

/* Replaces whatever a failed command put into out (a reply that ran out
 * of memory half-way must not go out cut short) with the apology for its
 * failure, which stays marked. 0, or -ENOMEM when not even that fits. */
static int apology(struct reply *out)
{
	enum reply_failure f = out->failure;

	reply_free(out);
	out->is_error = true;
	int rc = reply_add_line(out, "%s", f == REPLY_FAIL_PERMANENT ? TXT_INTERNAL_FAULT
	                                                             : TXT_INTERNAL_ERROR);
	reply_fail(out, f);
	return rc;
}

bool dispatch_heavy_read(const char *text)
{
	struct args a;
	const struct handler_entry *e;
	bool heavy = false;

	if (dispatch_tokenize(text, &a) < 0)
		return false;
	e = a.argc > 0 ? handler_find(a.argv[0]) : NULL;
	/* No heavy command has sub-commands: its own flag decides. */
	if (e && !e->subs)
		heavy = (e->flags & HANDLER_F_HEAVY_READ) != 0;
	args_free(&a);
	return heavy;
}

/* dispatch_message; on a worker thread when tl is set (see dispatch_read). */
static int message_run(const struct dispatch_env *env, const struct chat_msg *msg,
                       struct reply *out, struct dispatch_tally *tl)
{
	char name[SENDER_NAME_MAX];
	struct chat_msg clean = *msg;
	struct identity who;

	/* Handlers echo and store the display name: one line, whatever was sent. */
	if (msg->sender_name) {
		textclean_line(name, sizeof name, msg->sender_name);
		clean.sender_name = name;
	}
	msg = &clean;

	if (env->fixed_identity) {
		who = *env->fixed_identity;
	} else if (dispatch_identity(env->store, msg, &who) < 0) {
		reply_fail(out, REPLY_FAIL_PERMANENT);
		if (tl)
			*tl = (struct dispatch_tally){.command = "-", .outcome = "error", .took = -1};
		else
			count("-", "error");
		return apology(out);
	}
	struct cmd_ctx ctx = {
		.store = env->store,
		.cfg = env->cfg,
		.msg = msg,
		.who = &who,
		.reply = out,
		.now = clock_now(),
		.text = msg->text,
		.tally = tl,
	};
	run_command(&ctx, false);
	/* What the store met decides over what the handler made of it: a
	 * handler that turned a busy database into "not found" must not be
	 * acknowledged as done. */
	switch (store_fault_take(env->store)) {
	case STORE_FAULT_TRANSIENT:
		reply_fail(out, REPLY_FAIL_TRANSIENT);
		break;
	case STORE_FAULT_PERMANENT:
		reply_fail(out, REPLY_FAIL_PERMANENT);
		break;
	case STORE_FAULT_NONE:
		break;
	}
	return out->failure ? apology(out) : 0;
}

int dispatch_message(const struct dispatch_env *env, const struct chat_msg *msg,
                     struct reply *out)
{
	return message_run(env, msg, out, NULL);
}

int dispatch_read(const struct dispatch_env *env, const struct chat_msg *msg, struct reply *out,
                  struct dispatch_tally *tl)
{
	*tl = (struct dispatch_tally){.command = "-", .outcome = "error", .took = -1};
	int rc = message_run(env, msg, out, tl);

	if (rc == 0 && out->failure)
		rc = out->failure == REPLY_FAIL_PERMANENT ? -EIO : -EAGAIN;
	return rc;
}

/* Records the id (when there is one); 0, -EEXIST or an error. */
static int record(const struct dispatch_env *env, const struct dispatch_unit *u,
                  int64_t now)
{
	return u->dedupe_id ? store_inbound_record(env->store, u->source, u->dedupe_id, now) : 0;
}

/* The permanent-failure path: the command's work is rolled back (the
 * savepoint already was), the id recorded alone, the apology answered. */
static int apologize(const struct dispatch_env *env, const struct chat_msg *msg,
                     const struct dispatch_unit *u, struct reply *out, int64_t now)
{
	int rc = store_savepoint(env->store);

	log_error("req %llu: %s: the command failed for good; its changes were rolled back",
	          (unsigned long long)msg->request_id, u->source ? u->source : msg->platform);
	reply_free(out);
	reply_init(out);
	out->is_error = true;
	if (rc == 0)
		rc = record(env, u, now);
	if (rc == 0)
		rc = reply_add_line(out, TXT_INTERNAL_FAULT);
	if (rc == 0 && u->answer)
		rc = u->answer(u->answer_arg, env->store, out);
	return store_savepoint_end(env->store, rc);
}

enum dispatch_outcome dispatch_unit(const struct dispatch_env *env, const struct chat_msg *msg,
                                    const struct dispatch_unit *u, struct reply *out)
{
	int64_t now = clock_now();
	int rc;

	store_fault_take(env->store);
	rc = store_savepoint(env->store);
	if (rc)
		return DISPATCH_RETRY;
	rc = record(env, u, now);
	if (rc == -EEXIST) {
		store_savepoint_end(env->store, 0);
		return DISPATCH_DUPLICATE;
	}
	if (rc == 0 && u->before)
		rc = u->before(u->before_arg, env->store);
	if (rc == 0 && u->run_command) {
		if (u->ready) {
			count(u->ready->command, u->ready->outcome);
			if (u->ready->took >= 0)
				observe(u->ready->command, u->ready->took);
		} else if (u->supported) {
			rc = dispatch_message(env, msg, out);
		} else {
			rc = reply_add_line(out, TXT_UNSUPPORTED_MSG);
		}
		if (rc == -ENOMEM)
			reply_fail(out, REPLY_FAIL_TRANSIENT);
		if (out->failure == REPLY_FAIL_PERMANENT) {
			store_savepoint_end(env->store, -EIO);
			rc = apologize(env, msg, u, out, now);
			return rc == 0 ? DISPATCH_DONE : DISPATCH_RETRY;
		}
		if (out->failure == REPLY_FAIL_TRANSIENT)
			rc = -EAGAIN;
	}
	if (rc == 0 && u->answer && u->run_command)
		rc = u->answer(u->answer_arg, env->store, out);
	rc = store_savepoint_end(env->store, rc);
	/* An answer that could not be written, or a savepoint that could not be
	 * released, leaves nothing behind: the platform sends it again. */
	return rc == 0 ? DISPATCH_DONE : DISPATCH_RETRY;
}

void dispatch_alone(const struct dispatch_env *env, const struct chat_msg *msg,
                    struct reply *out)
{
	struct dispatch_unit u = {.source = msg->platform, .run_command = true, .supported = true};
	int rc = store_begin(env->store);

	if (rc == 0 && dispatch_unit(env, msg, &u, out) != DISPATCH_DONE)
		rc = -EAGAIN;
	if (rc == 0)
		rc = store_commit(env->store);
	if (rc) {
		store_rollback(env->store);
		reply_free(out);
		reply_init(out);
		out->is_error = true;
		reply_add_line(out, TXT_INTERNAL_ERROR);
	}
}

void handler_actor(const struct cmd_ctx *ctx, struct store_actor *out)
{
	*out = (struct store_actor){.platform = ctx->msg->platform, .tenant = ctx->msg->tenant,
	                            .user_id = ctx->msg->sender_id, .chat_id = ctx->msg->chat_id,
	                            .command = ctx->entry ? ctx->entry->name : ""};
}

void dispatch_metrics_init(void)
{
	metrics_describe("cqod_commands_total", "counter", "Commands run, by command and outcome.");
	metrics_histogram("cqod_command_duration_seconds", "Time commands took to run, by command.");
}
