/*
 * The generic webhook adapter: a JSON body
 *   {"msg_id","chat_id","chat_type":"private"|"group","sender_id","sender_name","text"}
 * authenticated by "X-Cqod-Signature: sha256=<hex of HMAC-SHA256(secret, raw body)>".
 * The reply travels back in the HTTP response as JSON.
 */
#ifndef CQOD_GENERIC_H
#define CQOD_GENERIC_H

#include <stdbool.h>
#include <stddef.h>

#include "chat.h"
#include "reply.h"

/* 0 when `header` carries the right signature of body; -EACCES otherwise
 * (missing, malformed, or wrong: constant-time compare). */
int generic_verify(const char *secret, const char *header, const char *body, size_t len);

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
 * first answer again, marked duplicate); caller frees; NULL on ENOMEM or a
 * body that is not JSON. */
char *generic_render_answer(const char *body, bool duplicate);
/* generic_render_answer(generic_render_reply_body(r), false). */
char *generic_render_reply(const struct reply *r);
/* {"ok":false,"error":why}; caller frees. */
char *generic_render_error(const char *why);

#endif
