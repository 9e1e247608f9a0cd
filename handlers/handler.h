/*
 * The command framework: every command family lives in handlers/<family>.c and
 * exports one or more `const struct handler_entry`; handlers/table.c lists
 * them. The dispatcher (handlers/dispatch.c) tokenizes, looks the command
 * and its sub-command up, checks the asker's role and the argument count
 * against the entries before the handler runs, and turns the handler's
 * result into a reply (usage line on HANDLER_USAGE).
 */
#ifndef CQOD_HANDLER_H
#define CQOD_HANDLER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../lib/chat.h"
#include "../lib/reply.h"
#include "args.h"

struct store;
struct handler_entry;
struct config;
struct dispatch_tally;

enum role {
	ROLE_GUEST = 0,
	ROLE_CQO = 1,
	ROLE_ORGANIZER = 2,
	ROLE_CLERK = 3,
	ROLE_ADMIN = 4,
	/* An enterprise's contact (企业联系人), bound by a code issued for the
	 * enterprise: sees its own enterprise's records and gets its notices. */
	ROLE_CONTACT = 5,
};

#define ROLE_BIT(r) (1u << (r))
#define ROLES_ANY (ROLE_BIT(ROLE_GUEST) | ROLE_BIT(ROLE_CQO) | ROLE_BIT(ROLE_ORGANIZER) | \
                   ROLE_BIT(ROLE_CLERK) | ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_CONTACT))
#define ROLES_STAFF (ROLE_BIT(ROLE_CLERK) | ROLE_BIT(ROLE_ADMIN))

/* Who is asking, resolved from the store before the handler runs. */
struct identity {
	enum role role;
	char scope[16];        /* clerk: GB/T 2260 region code (2, 4 or 6 digits); else "" */
	int64_t person_id;     /* cqo: bound person record; else 0 */
	int64_t alliance_id;   /* organizer: alliance; else 0 */
	int64_t enterprise_id; /* contact: their enterprise; else 0 */
};

struct cmd_ctx {
	struct store *store;
	const struct config *cfg;
	const struct chat_msg *msg;
	const struct identity *who;
	const struct args *args;   /* argv[0] is the command word as typed */
	const struct handler_entry *entry;   /* the command being run */
	const struct handler_entry *sub;     /* its sub-command being run, or NULL */
	struct reply *reply;       /* the handler fills it */
	int64_t now;               /* unix seconds, from clock_now() */
	const char *text;          /* the command text being run (msg->text, or the
	                            * stored text on 确认 / 下一页) */
	bool confirmed;            /* re-run by 确认 <码>: perform, do not ask again */
	size_t page_offset;        /* re-run by 下一页: first item of the page */
	/* Set when the command runs on a worker thread (dispatch_read): the
	 * metrics, which are not thread-safe, are noted here for the loop. */
	struct dispatch_tally *tally;
};

/* Handler results besides 0 (done, reply filled). */
enum {
	HANDLER_OK = 0,
	HANDLER_USAGE = -1000,   /* bad arguments: the dispatcher adds the usage line */
	HANDLER_DENIED = -1001,  /* role or scope refused: the dispatcher says so */
	HANDLER_ERROR = -1002,   /* internal failure (store): generic apology */
};

typedef int (*handler_fn)(struct cmd_ctx *ctx);

/* An upper bound that is no bound: the tokenizer caps argc anyway. */
#define HANDLER_ARGS_ANY ARGS_MAX_ARGC

/*
 * One command, or one sub-command of a command (联盟 新建). The dispatcher
 * applies the declarations before `run` is called: the asker's role must be
 * in `roles` (a sub-command's are checked as well as its command's), and the
 * number of arguments after the command word (after the sub-command word for
 * a sub-command) must lie in [min_args, max_args], else the answer is
 * "用法：" + usage. A handler checks only what the table cannot say (the
 * shape or value of an argument).
 *
 * A command with `subs` has no `run` of its own: its first sub-command runs
 * when no sub-command word is given (联盟 = 联盟 列表), and an unknown word is
 * answered with the sub-commands the asker may use. A sub-command's handler
 * sees ctx->args unchanged (argv[1] is the sub-command word).
 */
struct handler_entry {
	const char *name;               /* Chinese command word, e.g. "查询"; a
	                                 * sub-command's own word, e.g. "新建" */
	const char *const *aliases;     /* NULL-terminated, English first, e.g. {"query", NULL} */
	unsigned roles;                 /* ROLE_BIT mask of roles allowed to run it */
	const char *usage;              /* "查询 <姓名|企业名|统一社会信用代码|记录号>";
	                                 * a sub-command's starts with its command's word */
	const char *help;               /* one line */
	handler_fn run;                 /* NULL exactly when subs is set */
	int min_args, max_args;         /* arguments after the (sub-)command word */
	unsigned flags;                 /* HANDLER_F_* */
	/* The command changes the registry (records, roles, sanctions, the
	 * outbox...). Conversation state (confirmations, paging) and access-log
	 * rows do not count. The dispatcher checks the claim after each run;
	 * sub-commands declare their own. */
	bool writes;
	/* Sub-commands, ended by an entry whose name is NULL; NULL: none. */
	const struct handler_entry *subs;
};

/* The sub-command of e that `word` names (its name or an alias), or NULL. */
const struct handler_entry *handler_sub_find(const struct handler_entry *e, const char *word);

/* Whether e (a command or sub-command) takes `nargs` arguments. */
bool handler_args_fit(const struct handler_entry *e, int nargs);

/* The command acts on a pending question (确认, 取消, 下一页) and so is never
 * re-run from stored text. */
#define HANDLER_F_NO_RERUN 1u
/* The command takes a form, a "字段：值" line per field after the command
 * line (args.body): the console collects those lines up to an empty line
 * before running it. (通知's body is optional, so it stays one line there.) */
#define HANDLER_F_FORM 2u
/* The command only reads, and its query may take long on a large registry
 * (a nationwide aggregate): the daemon runs it on a worker thread with a
 * read-only connection (daemon/webhook.c), so the loop keeps serving. Its
 * handler must touch nothing but the store, its reply and the paging
 * cursors (which are locked), and must not use ctx->cfg (NULL there). */
#define HANDLER_F_HEAVY_READ 4u

struct store_actor;

/* Who did it, for the audit log: platform, tenant, user and chat of
 * ctx->msg and the command word. The strings are borrowed from ctx. */
void handler_actor(const struct cmd_ctx *ctx, struct store_actor *out);

/* Re-runs `text` as a command for the same asker with the given flags (used
 * by 确认 and 下一页), under the table's checks like a typed command; its
 * whole answer, refusals and usage included, goes into ctx->reply, so this
 * returns HANDLER_OK. Commands that only make sense typed (确认, 取消,
 * 下一页) are not re-run. */
int handler_rerun(struct cmd_ctx *ctx, const char *text, bool confirmed, size_t page_offset);

/* Role names (handlers/role_text.c). Display name of a role (管理员,
 * 工作人员, ...). */
const char *role_display(enum role r);

/* Name of a role as stored and shown ("admin", "clerk", ...). */
const char *role_name(enum role r);
/* Parses a role name (English or Chinese); 0 or -EINVAL. */
int role_parse(const char *name, enum role *out);

#endif
