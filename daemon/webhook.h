/*
 * What the webhook flows (daemon/webhook_<platform>.c) share: counting and
 * refusing requests, running a message as one unit of the inbox's batch,
 * and delivering its answer. Every flow follows the same order: verify,
 * decode, submit to the inbox (id, command and answer commit together),
 * and only after the COMMIT acknowledge and deliver the answer.
 */
#ifndef CQOD_WEBHOOK_H
#define CQOD_WEBHOOK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../handlers/dispatch.h"
#include "../lib/chat.h"
#include "../lib/platform.h"
#include "../lib/reply.h"

struct app;
struct http_request;

/* Which instance a request is for, for log lines and metrics. Borrowed. */
struct webhook_where {
	const char *platform;   /* "wecom" */
	const char *route;      /* metrics label, "/webhook/wecom" */
	const char *name;       /* instance name from the path */
};

/* Requests stamped further than this from clock_now() are refused as
 * replays. DingTalk documents one hour; WeCom documents no window, so there
 * the hour is our choice (its retries come within it). Feishu retries an
 * event for up to 7.1 hours, so its stamps may be as old as the dedupe
 * window ([inbox] dedupe_hours, at least 8), and no further ahead than this. */
#define WEBHOOK_MAX_SKEW_S 3600

/* Whether `seconds` (unix seconds, 1..12 digits) is within
 * WEBHOOK_MAX_SKEW_S of clock_now(). NULL and malformed are not. */
bool webhook_fresh(const char *seconds);

/* Whether `seconds` is at most past_s before clock_now() and at most
 * WEBHOOK_MAX_SKEW_S after it. NULL and malformed are not. */
bool webhook_fresh_within(const char *seconds, int64_t past_s);

/* Adds one to cqod_inbound_messages_total{platform,outcome}. */
void webhook_count(const char *platform, const char *outcome);

/* Refuses req: logs one warning "req N: platform:name: why (from remote)",
 * counts `outcome`, and answers `status` with "why\n" as text/plain. `why` is
 * a static English phrase: never a secret, never message text. */
void webhook_reject(struct http_request *req, const struct webhook_where *w, int status,
                    const char *outcome, const char *why);

/* "platform:name" into buf: the inbox namespace of one instance, since
 * instances of one platform may share message ids. */
void webhook_source(const struct webhook_where *w, char *buf, size_t len);

/*
 * One inbound message on its way through the inbox (daemon/inbox.h): each
 * flow's job embeds it and fills the top half; the inbox runs it as one
 * unit of the batch (handlers/dispatch.h), then `finish` answers the
 * platform after the COMMIT:
 *  - result INBOX_RETRY: nothing was recorded; answer so the platform
 *    sends it again (a status or a closed connection, per platform);
 *  - INBOX_DUPLICATE: acknowledge; with keep_answer, `answer` holds the
 *    first run's answer;
 *  - INBOX_DONE: acknowledge and deliver the answer: `answer` (keep_answer)
 *    or the claimed outbox rows, sent by webhook_deliver.
 * finish must free the job (webhook_msg_free frees this part).
 */
struct webhook_msg {
	struct app *app;
	struct http_request *req;
	const struct chat_msg *msg;   /* borrowed from the job */
	const char *dedupe_id;        /* borrowed from the job */
	const char *reply_key;        /* the answer's outbox key ends with it; borrowed */
	char source[64];              /* "platform:name", the dedupe namespace */
	bool run_command;             /* false: record the id only (events) */
	bool supported;               /* false: answered TXT_UNSUPPORTED_MSG */
	bool keep_answer;             /* the HTTP response is the answer (generic) */
	char *(*render_answer)(const struct reply *r);   /* keep_answer: heap text */
	bool to_sender;               /* the answer goes to the sender privately (DEST_USER) */
	/* Optional, inside the batch's transaction before the unit runs: what
	 * the message is (a card press's command, from the card it names);
	 * it may clear run_command (the id is only recorded). 0, or a
	 * negative errno: the message is retried. */
	int (*prepare)(struct webhook_msg *wm, struct store *st);
	void (*finish)(struct webhook_msg *wm);
	/* Optional (dispatch_unit's `before`): run with the unit, before its
	 * command, never for a duplicate. */
	int (*before)(void *arg, struct store *st);
	void *before_arg;
	/* Optional: writes what goes with the answer, after its rows, in the
	 * same savepoint (a press's card update for when no passive reply can
	 * be made); 0 or a negative error (then the unit is retried). */
	dispatch_answer_fn answer_more;
	void *answer_more_arg;

	int result;                   /* enum inbox_result, for finish */
	struct reply reply;           /* the command's answer (INBOX_DONE) */
	char *answer;                 /* keep_answer: rendered answer; owned */
	struct dest dest;             /* else: where the answer goes, */
	struct rendered parts;        /* its parts (owned) */
	int64_t *row_ids;             /* and their claimed outbox rows (owned) */
	/* A heavy read computed off the loop (webhook_submit): `reply` holds
	 * its answer and `tally` its metrics, for the unit to commit. */
	bool ready;
	struct dispatch_tally tally;
};

/* Fills the common part of wm (zeroing the rest): source from w, msg and
 * dedupe_id borrowed, run_command and supported true. */
void webhook_msg_init(struct webhook_msg *wm, struct app *app, struct http_request *req,
                      const struct webhook_where *w, const struct chat_msg *msg,
                      const char *dedupe_id);

/* Hands wm to the inbox. 0, or a negative error (finish is never called). */
int webhook_submit(struct webhook_msg *wm);

/* Frees what wm owns (not wm itself). */
void webhook_msg_free(struct webhook_msg *wm);

/* The fast path for an INBOX_DONE answer: sends its claimed rows in order
 * through the sender and settles each with the outbox (daemon/outbox.h);
 * a part that fails ends the fast path, and it and the rest go to the
 * outbox's rules (retried in order, or dead with the first). Takes the
 * parts and row ids from wm. */
void webhook_deliver(struct webhook_msg *wm);

/* Settles the claimed rows of wm as delivered another way (the passive
 * reply in the HTTP response). */
void webhook_delivered(struct webhook_msg *wm);

#endif
