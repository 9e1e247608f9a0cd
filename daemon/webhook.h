/*
 * What the webhook flows (daemon/webhook_<platform>.c) share: counting and
 * refusing requests, running a message as a command, and answering it out of
 * band through the sender. Every flow follows the same order: verify, decode,
 * record the message id in the inbox (group commit), acknowledge, run, answer.
 */
#ifndef CQOD_WEBHOOK_H
#define CQOD_WEBHOOK_H

#include <stdbool.h>
#include <stddef.h>

#include "../messages/chat.h"
#include "../messages/reply.h"

struct app;
struct http_request;

/* Which instance a request is for, for log lines and metrics. Borrowed. */
struct webhook_where {
	const char *platform;   /* "wecom" */
	const char *route;      /* metrics label, "/webhook/wecom" */
	const char *name;       /* instance name from the path */
};

/* Requests stamped further than this from clock_now() are refused as
 * replays. DingTalk documents one hour; WeCom and Feishu document no window,
 * so there the hour is our choice (their retries come within it). */
#define WEBHOOK_MAX_SKEW_S 3600

/* Whether `seconds` (unix seconds, 1..12 digits) is within
 * WEBHOOK_MAX_SKEW_S of clock_now(). NULL and malformed are not. */
bool webhook_fresh(const char *seconds);

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

/* The answer to msg into out (initialized by the caller): the command's
 * reply when `supported`, else the polite TXT_UNSUPPORTED_MSG for message
 * types cqod cannot read. Returns 0 or -ENOMEM. */
int webhook_run(struct app *app, const struct chat_msg *msg, bool supported,
                struct reply *out);

/* Sends r to msg's conversation out of band: dest_for_reply, render_message
 * (idem_key may be NULL), then sender_send of each part in order, the next
 * after the previous one is done. Delivery failures are logged (never the
 * text). Returns 0 once sending has started, or a negative error (logged)
 * when nothing could be sent. msg and r are only read during the call. */
int webhook_send_reply(struct app *app, const struct chat_msg *msg, const struct reply *r,
                       const char *idem_key);

#endif
