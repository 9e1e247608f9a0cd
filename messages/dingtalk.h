/*
 * DingTalk app robot, HTTP mode (PROTOCOLS.md §2.1): a JSON body with the
 * headers `timestamp` (milliseconds) and `sign` =
 * Base64(HMAC-SHA256(key = AppSecret, msg = timestamp "\n" AppSecret)).
 * The signature covers the timestamp only, so the body is trusted no further
 * than that: a sign is accepted with one message only (struct
 * dingtalk_signs), dedupe on msgId answers retries, and the sessionWebhook a
 * body names is used only when it points at DingTalk (or the configured
 * api_base).
 */
#ifndef CQOD_DINGTALK_H
#define CQOD_DINGTALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../lib/chat.h"

/* "dingtalk": DingTalk's name in chat_msg.platform, dests and the config. */
extern const char dingtalk_platform_name[];

/* Requests more than this far from our clock are refused (DingTalk's rule). */
#define DINGTALK_MAX_SKEW_MS (3600LL * 1000)

/* 0 when `sign` is right for `timestamp` and the timestamp is within
 * DINGTALK_MAX_SKEW_MS of now_ms; -EACCES when the signature is missing, not
 * Base64 or wrong (constant-time compare); -ETIME when the timestamp is
 * missing, malformed or stale. */
int dingtalk_verify(const char *app_secret, const char *timestamp, const char *sign,
                    int64_t now_ms);

/*
 * The signs seen, with the message each came with. DingTalk's sign is a
 * function of the timestamp alone, so a captured header pair would
 * authenticate any body for as long as its timestamp is fresh: up to two
 * hours, as a timestamp may be an hour ahead.
 *
 * Guarantee: while its entry is kept, a sign is accepted with one message
 * only (instance and msgId); the same sign with the same message again is
 * a platform retry, left to the inbox's dedupe. An entry is kept until its
 * timestamp is too old for dingtalk_verify, so nothing that could still
 * pass is forgotten, unless more than `max` signs are fresh at once: then
 * the one closest to expiry is dropped (and the caller told). Entries are
 * keyed by the decoded MAC, so another Base64 spelling of one sign (the last
 * digit has two unused bits) is the same sign. In memory only: after a
 * restart, the dedupe table still answers retries of handled messages.
 * The price: a genuine message stamped in the same millisecond as another
 * carries the same sign and is refused too, since nothing signed tells
 * the two apart.
 */
#define DINGTALK_SIGNS_MAX 65536

struct dingtalk_signs;

/* A registry for at most `max` signs; NULL on ENOMEM. Free with
 * dingtalk_signs_free (NULL is fine). */
struct dingtalk_signs *dingtalk_signs_new(size_t max);
void dingtalk_signs_free(struct dingtalk_signs *s);

/* Claims the header pair `timestamp`/`sign` (already verified) for message
 * `msg_id` of instance `source` at now_ms: 0 when the sign is new (now
 * kept) or was claimed by this same message; -EEXIST when another message
 * claimed it; -EINVAL when the pair is malformed; -ENOMEM. *dropped (may be
 * NULL) is set when keeping it dropped a fresh sign (the registry is full). */
int dingtalk_signs_claim(struct dingtalk_signs *s, const char *timestamp, const char *sign,
                         const char *source, const char *msg_id, int64_t now_ms,
                         bool *dropped);

/* Whether a sessionWebhook URL may be posted to: it must start with
 * "https://oapi.dingtalk.com/" or with one of the configured bases (each may
 * be NULL) followed by '/', and hold no space or control bytes. */
bool dingtalk_webhook_allowed(const char *url, const char *api_base, const char *oapi_base);

/* A decoded message. Owns its strings (a cJSON tree and the trimmed text);
 * msg borrows them. */
struct dingtalk_msg {
	struct chat_msg msg;
	bool is_text;        /* msgtype "text"; other types get a polite refusal */
	const char *robot_code;  /* may be NULL */
	void *json;
	char *text;
};

/* Parses the body. msg: platform "dingtalk", `instance` (borrowed); tenant
 * is senderCorpId (NULL when absent: the flow falls back, chat.h);
 * sender_id is senderStaffId (the org's userid) or, for outsiders, senderId; text is
 * text.content without leading whitespace (DingTalk leaves a space where it
 * cut the @bot; a leftover @name is skipped by the tokenizer), its @mentions
 * naming users by staff id: the k-th "@name" (an '@' at the start or after
 * white space, up to white space) is the k-th user of atUsers other than
 * the bot (chatbotUserId) and becomes "@<staffId>"; an outsider's (no
 * staffId) stays as typed, never naming them by another id. When the
 * counts differ, which @name is which is unknown and the text stays as
 * typed.
 * reply_handle/reply_handle_expires are sessionWebhook and its expiry in
 * seconds (NULL/0 when absent). On error returns -EINVAL with *why a static
 * English reason, or -ENOMEM; free with dingtalk_msg_free either way. */
int dingtalk_decode(const char *body, size_t len, const char *instance,
                    struct dingtalk_msg *out, const char **why);
void dingtalk_msg_free(struct dingtalk_msg *m);

#endif
