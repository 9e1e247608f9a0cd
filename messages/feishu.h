/*
 * Feishu/Lark event subscription, webhook mode (PROTOCOLS.md §3.1-3.4).
 *
 *   encrypted body  {"encrypt":"<Base64>"}: key = SHA-256(encrypt_key),
 *                   raw = Base64Decode, IV = raw[0:16], AES-256-CBC with
 *                   16-byte PKCS#7 (strictly checked), plaintext JSON
 *   signature       X-Lark-Signature = hex SHA-256(timestamp || nonce ||
 *                   encrypt_key || raw body), over the bytes as received. The
 *                   Node SDK hashes JSON.stringify(parsed body) instead, which
 *                   is the same bytes only for compact bodies; the raw bytes
 *                   are what Feishu signs.
 *   authentication  the verification token (header.token in schema 2.0, the
 *                   top-level token in the challenge and schema 1.0)
 */
#ifndef CQOD_FEISHU_H
#define CQOD_FEISHU_H

#include <stddef.h>
#include <stdint.h>

#include "chat.h"

#define FEISHU_KEY_LEN 32

/* key = SHA-256(encrypt_key). 0 or -EIO. */
int feishu_key(const char *encrypt_key, uint8_t key[FEISHU_KEY_LEN]);

/* Decrypts the Base64 text of "encrypt" into *out (NUL-terminated, *out_len
 * bytes; caller frees). Returns 0; -EBADMSG (bad Base64, shorter than IV plus
 * one block, not whole blocks, bad padding); -ENOMEM or -EIO. */
int feishu_decrypt(const uint8_t key[FEISHU_KEY_LEN], const char *b64, size_t b64_len,
                   char **out, size_t *out_len);

/* 0 when `signature` (hex, either case) is the X-Lark-Signature of the
 * request, compared in constant time; -EACCES otherwise (NULL included). */
int feishu_verify_signature(const char *timestamp, const char *nonce, const char *encrypt_key,
                            const char *body, size_t len, const char *signature);

/* The "encrypt" member of a body: 0 and *encrypt (caller frees) when the body
 * is an encrypted envelope; -ENOENT when it is a JSON object without one;
 * -EINVAL when it is not a JSON object or "encrypt" is not a string; -ENOMEM. */
int feishu_envelope(const char *body, size_t len, char **encrypt);

enum feishu_kind {
	FEISHU_CHALLENGE = 0,    /* url_verification: answer {"challenge":...} */
	FEISHU_MESSAGE = 1,      /* im.message.receive_v1 text from a user: a command */
	FEISHU_UNSUPPORTED = 2,  /* im.message.receive_v1 of another type: polite refusal */
	FEISHU_IGNORED = 3,      /* any other event, schema 1.0, or a bot's message */
};

/* A decoded event. Owns its JSON trees and the rewritten text; the pointers
 * below and msg borrow from them. */
struct feishu_event {
	enum feishu_kind kind;
	const char *token;       /* verification token carried by the event; may be NULL */
	const char *challenge;   /* FEISHU_CHALLENGE */
	const char *event_id;    /* schema 2.0 header.event_id (dedupe key); NULL otherwise */
	struct chat_msg msg;     /* FEISHU_MESSAGE and FEISHU_UNSUPPORTED */
	void *json;
	void *content;
	char *text;
};

/* Parses a plaintext event (or decrypted payload). For text messages the
 * content's JSON-in-JSON is decoded and its @_user_N placeholders rewritten:
 * the bot's own (in a group, the placeholder the text starts with — the bot
 * only receives group messages that @-mention it, and a command starts by
 * addressing it; Feishu does not tell which mention is the bot) is removed,
 * every other becomes "@<open_id>" so commands can name users by id.
 * msg: platform "feishu", `instance` (borrowed), tenant = header.tenant_key
 * (required for a message), sender_id = the sender's open_id (per app: the
 * same person under two apps is two identities), msg_id = event_id,
 * reply_handle = message_id (reply API).
 * On error returns -EINVAL with *why a static English reason, or -ENOMEM;
 * free with feishu_event_free either way. */
int feishu_decode(const char *json, size_t len, const char *instance,
                  struct feishu_event *out, const char **why);
void feishu_event_free(struct feishu_event *ev);

/* 0 when ev carries `token`, compared in constant time; -EACCES otherwise. */
int feishu_check_token(const struct feishu_event *ev, const char *token);

/* {"challenge":"..."}; caller frees; NULL on ENOMEM. */
char *feishu_render_challenge(const struct feishu_event *ev);

#endif
