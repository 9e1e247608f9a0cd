/*
 * The generic webhook adapter: a JSON body
 *   {"msg_id","chat_id","chat_type":"private"|"group","sender_id","sender_name","text"}
 * authenticated by two headers:
 *   X-Cqod-Timestamp: <unix seconds>
 *   X-Cqod-Signature: sha256=<hex of HMAC-SHA256(secret, "<timestamp>.<body>")>
 * The reply travels back in the HTTP response as JSON.
 *
 * Replays: the signature binds the body to its timestamp, and a timestamp
 * more than GENERIC_MAX_SKEW_S from our clock is refused, so a captured
 * request is accepted only within that window; within it the message id
 * is a duplicate (the inbox keeps ids dedupe_hours, at least 8 h, far
 * longer than the window).
 */
#ifndef CQOD_GENERIC_H
#define CQOD_GENERIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../lib/chat.h"
#include "../lib/reply.h"

/* "generic": the generic adapter's name in chat_msg.platform, dests and the config. */
extern const char generic_platform_name[];

#define GENERIC_MAX_SKEW_S 300

/* Checks a request's headers against body at unix time `now`: 0 when
 * `signature` is "sha256=<hex>" of the HMAC of `timestamp` "." body and
 * `timestamp` (1 to 12 decimal digits) is within GENERIC_MAX_SKEW_S of now;
 * -ETIME when the timestamp is missing or malformed, or well signed but
 * too old or too far ahead; -EACCES when the signature is missing,
 * malformed or wrong (constant-time compare); -ENOMEM. */
int generic_verify(const char *secret, const char *timestamp, const char *signature,
                   const char *body, size_t len, int64_t now);

/* A decoded generic message. Owns its strings (a cJSON tree); msg borrows them. */
struct generic_msg {
	struct chat_msg msg;
	void *json;   /* cJSON tree the msg strings point into */
};

/* Parses and checks the body. On error returns -EINVAL and points *why at a
 * static English explanation fit for the HTTP error body (no input echoed).
 * On success free with generic_msg_free. platform/instance are borrowed;
 * the tenant is the instance (its secret vouches for the senders). */
int generic_decode(const char *body, size_t len, const char *instance,
                   struct generic_msg *out, const char **why);
void generic_msg_free(struct generic_msg *m);

/* {"title":..,"lines":[..],"fields":[{..}],"table":[[..]],"text":".."}: the
 * reply object, as kept with the message id; caller frees; NULL on ENOMEM. */
char *generic_render_reply_body(const struct reply *r);
/* {"ok":true,"duplicate":<duplicate>,"reply":<body>} around a reply object
 * from generic_render_reply_body (a retry of a handled message gets the
 * first answer again, marked duplicate); the body is copied in as it is,
 * not parsed; caller frees; NULL on ENOMEM or a body that is not an object
 * ({…}). */
char *generic_render_answer(const char *body, bool duplicate);
/* generic_render_answer(generic_render_reply_body(r), false). */
char *generic_render_reply(const struct reply *r);
/* {"ok":false,"error":why}; caller frees. */
char *generic_render_error(const char *why);

#endif
