/*
 * DingTalk app robot, HTTP mode (PROTOCOLS.md §2.1): a JSON body with the
 * headers `timestamp` (milliseconds) and `sign` =
 * Base64(HMAC-SHA256(key = AppSecret, msg = timestamp "\n" AppSecret)).
 * The signature covers the timestamp only, so the body is trusted no further
 * than that: dedupe on msgId blunts replays, and the sessionWebhook a body
 * names is used only when it points at DingTalk (or the configured api_base).
 */
#ifndef CQOD_DINGTALK_H
#define CQOD_DINGTALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chat.h"

/* Requests more than this far from our clock are refused (DingTalk's rule). */
#define DINGTALK_MAX_SKEW_MS (3600LL * 1000)

/* 0 when `sign` is right for `timestamp` and the timestamp is within
 * DINGTALK_MAX_SKEW_MS of now_ms; -EACCES when the signature is missing, not
 * Base64 or wrong (constant-time compare); -ETIME when the timestamp is
 * missing, malformed or stale. */
int dingtalk_verify(const char *app_secret, const char *timestamp, const char *sign,
                    int64_t now_ms);

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
 * cut the @bot; a leftover @name is skipped by the tokenizer);
 * reply_handle/reply_handle_expires are sessionWebhook and its expiry in
 * seconds (NULL/0 when absent). On error returns -EINVAL with *why a static
 * English reason, or -ENOMEM; free with dingtalk_msg_free either way. */
int dingtalk_decode(const char *body, size_t len, const char *instance,
                    struct dingtalk_msg *out, const char **why);
void dingtalk_msg_free(struct dingtalk_msg *m);

#endif
