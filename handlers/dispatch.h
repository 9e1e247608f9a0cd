/*
 * Runs one chat message as a command: resolves the sender's identity, tokenizes,
 * finds the handler (and sub-command), checks role and argument count, runs
 * it and fills the reply. Generic
 * policy lives here once so handlers only do their own work.
 */
#ifndef CQOD_DISPATCH_H
#define CQOD_DISPATCH_H

#include "handler.h"

struct dispatch_env {
	struct store *store;
	const struct config *cfg;
	/* When non-NULL, used instead of looking the sender up (the console's
	 * local operator). */
	const struct identity *fixed_identity;
};

/* Fills `out` (initialized by the caller) with the answer to msg, inside
 * the caller's transaction. out->failure tells whether the command met a
 * failure (the store's faults and the reply's own out-of-memory are folded
 * in): dispatch_unit acts on it. A failed answer is never handed back cut
 * short: out then holds only the apology (TXT_INTERNAL_FAULT for a
 * permanent failure, TXT_INTERNAL_ERROR for one that may pass).
 * Returns 0 when a reply was produced (including refusals, usage errors and
 * that apology), or -ENOMEM when not even the apology could be built. */
int dispatch_message(const struct dispatch_env *env, const struct chat_msg *msg,
                     struct reply *out);

/*
 * One message as one unit of the caller's transaction (the exactly-once
 * rule; daemon/inbox.h owns the transaction and its group commit).
 *
 * Under a savepoint: the message id is recorded, the command runs (its
 * writes, audit rows, access-log rows and outbox rows), and the answer is
 * written by the flow's `answer` (claimed outbox rows, or the answer text
 * kept with the id). Guarantee: either all of that stays in the
 * transaction, or none of it does and the id is not recorded:
 *  - DISPATCH_DONE: keep it. Refusals on the command's own terms (bad
 *    argument, not found, not allowed) are DONE with their writes (e.g. a
 *    failed-attempt counter). A permanent internal failure (constraint,
 *    corruption) is DONE too, but with the command's writes rolled back,
 *    the id recorded and an apology as the answer (logged as an error).
 *  - DISPATCH_DUPLICATE: the id was recorded before; nothing ran.
 *  - DISPATCH_RETRY: a failure that may pass (busy, disk full, I/O, out of
 *    memory) met the command, its answer or the savepoint: nothing of it
 *    remains; the platform must be told to send it again.
 */
enum dispatch_outcome {
	DISPATCH_DONE = 0,
	DISPATCH_DUPLICATE = 1,
	DISPATCH_RETRY = 2,
};

/* A command's metrics, noted on a worker thread for the loop to count
 * (the metrics registry is the loop's). Strings are static. */
struct dispatch_tally {
	const char *command;
	const char *outcome;
	double took;                 /* seconds; < 0: the command did not run */
};

/* Whether text names a command declared HANDLER_F_HEAVY_READ (roles are
 * not considered: the run checks them). */
bool dispatch_heavy_read(const char *text);

/* dispatch_message for a worker thread: env->store is a connection of the
 * worker's own (store_open_readonly) inside store_read_begin, env->cfg is
 * NULL. Nothing is written and no metric touched: *tl gets what the loop
 * counts when it commits the answer (dispatch_unit's `ready`). Returns 0
 * when out holds a complete answer; otherwise (the store failed, or the
 * sender's identity needed a write) a negative error, and the caller
 * discards out and runs the message on the loop as any other. */
int dispatch_read(const struct dispatch_env *env, const struct chat_msg *msg, struct reply *out,
                  struct dispatch_tally *tl);

/* Writes the answer r inside the unit's savepoint: 0 or a negative error
 * (then the unit is retried). */
typedef int (*dispatch_answer_fn)(void *arg, struct store *st, const struct reply *r);

/* How a flow wants its message run. Borrowed for the call. */
struct dispatch_unit {
	const char *source;          /* dedupe namespace, "platform:instance" */
	const char *dedupe_id;       /* NULL: nothing to record (the console) */
	bool run_command;            /* false: record the id only (events nobody typed) */
	bool supported;              /* false: answer TXT_UNSUPPORTED_MSG */
	dispatch_answer_fn answer;   /* NULL: the answer is not written */
	void *answer_arg;
	/* Non-NULL: `out` already holds the answer, computed by dispatch_read;
	 * the id is recorded and the answer written as usual, the command is
	 * not run again. Its metrics are counted from here. */
	const struct dispatch_tally *ready;
	/* Optional: runs once the id is recorded (never for a duplicate),
	 * before the command, inside the unit's savepoint: what the message
	 * brings besides its command (a press's fresh card code, which the
	 * command's own card updates then use). 0 or a negative error (then
	 * the unit is retried). */
	int (*before)(void *arg, struct store *st);
	void *before_arg;
};

/* Runs msg as u says, inside the caller's open transaction; `out`
 * (initialized by the caller) gets the answer for DISPATCH_DONE. */
enum dispatch_outcome dispatch_unit(const struct dispatch_env *env, const struct chat_msg *msg,
                                    const struct dispatch_unit *u, struct reply *out);

/* Tokenizes a command text as the dispatcher does (args_tokenize), with a
 * Chinese command word glued to its first argument split off it (查询张三 ->
 * 查询 张三; handler_find_prefix). Same returns and ownership as
 * args_tokenize. */
int dispatch_tokenize(const char *text, struct args *out);

/* Whether the command on the first line of text takes a form (HANDLER_F_FORM
 * on the command or on the sub-command named: 备案, 更换, 活动 发布 …).
 * Roles are not considered. */
bool dispatch_takes_form(const char *text);

/* The console's unit: msg in a transaction of its own (one operator, one
 * line at a time; nothing to deduplicate). out gets the answer once the
 * COMMIT succeeded, else TXT_INTERNAL_ERROR (try again). */
void dispatch_alone(const struct dispatch_env *env, const struct chat_msg *msg,
                    struct reply *out);

/* Resolves the identity of msg's sender (platform, tenant, user; a pending
 * row of its instance takes the tenant, inside the caller's transaction)
 * from the store; guests get ROLE_GUEST. 0 or a negative error. */
int dispatch_identity(struct store *st, const struct chat_msg *msg, struct identity *out);

/* Registers the command metrics (call once at start). */
void dispatch_metrics_init(void);

#endif
