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
 *   authentication  with an encrypt_key, the signature (feishu_open); the
 *                   verification token (header.token in schema 2.0, the
 *                   top-level token in the challenge and schema 1.0) is
 *                   checked as well, and is all there is without one
 */
#ifndef CQOD_FEISHU_H
#define CQOD_FEISHU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../lib/chat.h"
#include "../lib/reply.h"

/* "feishu": Feishu's name in chat_msg.platform, dests and the config. */
extern const char feishu_platform_name[];

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
	FEISHU_IGNORED = 3,      /* any other event, schema 1.0, a bot's message, or a
	                          * group message that does not mention the bot */
	FEISHU_CARD_ACTION = 4,  /* card.action.trigger with value.cmd: a button of one of
	                          * our cards pressed, a command from the presser */
};

/* A decoded event. Owns its JSON trees and the rewritten text; the pointers
 * below and msg borrow from them. */
struct feishu_event {
	enum feishu_kind kind;
	const char *token;       /* verification token carried by the event; may be NULL */
	const char *challenge;   /* FEISHU_CHALLENGE */
	const char *event_id;    /* schema 2.0 header.event_id (dedupe key); NULL otherwise */
	bool card_shared;        /* FEISHU_CARD_ACTION: value.card is "shared", the pressed
	                          * card is everyone's (an event's) and stays as it is */
	struct chat_msg msg;     /* FEISHU_MESSAGE and FEISHU_UNSUPPORTED */
	void *json;
	void *content;
	char *text;
};

/* Parses a plaintext event (or decrypted payload) for the bot whose open_id
 * is `bot_open_id` (NULL when not known).
 *
 * Who is addressed: in a private chat every message is for the bot; in a
 * group only one that mentions it (the app may be allowed to receive all
 * group messages). A mentions[] entry is the bot when its id.open_id is
 * bot_open_id; without an open_id to compare, when its mentioned_type is
 * "bot". A group message that mentions nobody is not for the bot.
 *
 * Text messages: the content's JSON-in-JSON is decoded and its @_user_N
 * placeholders rewritten: the bot's own are removed wherever they stand,
 * every other becomes "@<open_id>" so commands can name users by id.
 * msg: platform "feishu", `instance` (borrowed), tenant = header.tenant_key
 * (required for a message), sender_id = the sender's open_id (per app: the
 * same person under two apps is two identities), msg_id = event_id,
 * reply_handle = message_id (reply API).
 *
 * A button press (card.action.trigger, schema 2.0; over HTTP the same
 * verification as events): msg.text = event.action.value.cmd, the command
 * the button stands for; sender_id = event.operator.open_id (who pressed),
 * tenant = header.tenant_key, msg_id = event_id, chat_id =
 * context.open_chat_id, reply_handle = context.open_message_id (the answer
 * replies to the card), card_shared = value.card is "shared". The callback
 * does not say whether the chat is a group, so it counts as one (personal
 * data stays masked). A press without
 * value.cmd (not one of cqod's buttons) is FEISHU_IGNORED.
 *
 * Returns 0; -EAGAIN when a group message mentions someone, none of the
 * mentions says its type and bot_open_id is NULL: only the bot's open_id
 * can tell (the rest of the event, its token included, is decoded, but not
 * its kind); -EINVAL
 * with *why a static English reason; -ENOMEM. Free with feishu_event_free
 * whatever it returned. */
int feishu_decode(const char *json, size_t len, const char *instance, const char *bot_open_id,
                  struct feishu_event *out, const char **why);
void feishu_event_free(struct feishu_event *ev);

/* 0 when ev carries `token`, compared in constant time; -EACCES otherwise. */
int feishu_check_token(const struct feishu_event *ev, const char *token);

/* The answer to a card.action.trigger callback once its command ran: a
 * toast with the first line of the reply (its title, or its first line),
 * "success", or "error" when r->is_error:
 * {"toast":{"type":"success","content":"..."}}, then with `card` (JSON, or
 * NULL) "card":{"type":"raw","data":<card>}, which replaces the pressed
 * card. Caller frees; NULL on ENOMEM. */
char *feishu_render_card_answer(const struct reply *r, const char *card);

/* A Feishu card (JSON) showing r whole, buttons included (if any), to
 * replace one cqod sent with buttons: shared (update_multi) like that one,
 * with a note naming done_by (an open_id; NULL or not an open_id: no
 * note). NULL when r takes more than one card, or on ENOMEM. Caller frees.
 * (render_feishu.c) */
char *render_feishu_card(const struct reply *r, const char *done_by);

/* The answer to a press whose command ran (feishu_render_card_answer):
 * unless r is a refusal or an error, or done_by is NULL (a shared card,
 * card_shared: an event's, everyone's), the pressed card is replaced by
 * r (render_feishu_card), so whoever sees it sees what was done and by
 * whom; an answer too long for one card leaves it. Caller frees; NULL on
 * ENOMEM. (render_feishu.c) */
char *feishu_press_answer(const struct reply *r, const char *done_by);

/* {"challenge":"..."}; caller frees; NULL on ENOMEM. */
char *feishu_render_challenge(const struct feishu_event *ev);

/* A request to an instance with an encrypt_key, as received. Borrowed. */
struct feishu_request {
	const char *timestamp;   /* X-Lark-Request-Timestamp, or NULL */
	const char *nonce;       /* X-Lark-Request-Nonce, or NULL */
	const char *signature;   /* X-Lark-Signature, or NULL */
	const char *body;
	size_t len;
};

#define FEISHU_OPENED_EVENT 0
#define FEISHU_OPENED_CHALLENGE 1

/*
 * Opens a request to an instance with an encrypt_key, authenticating it
 * before anything is answered from its ciphertext.
 *
 * Guarantee: before authentication there are two outcomes only, a URL
 * challenge that carries `token`, and -EACCES for everything else, whatever
 * failed (signature, envelope, Base64, padding, JSON, not a challenge, the
 * token): an answer built from it cannot serve as a padding oracle. A
 * request with X-Lark-Signature is decrypted only once the signature holds;
 * one without is decrypted only to be taken as a URL challenge (Feishu does
 * not sign those). *why (a static English phrase) says what failed, for the
 * log only.
 *
 * Returns FEISHU_OPENED_EVENT: signed; *plain is the decrypted event JSON
 *   (*plain_len bytes, NUL-terminated; caller frees), still to be decoded
 *   and its token checked;
 * FEISHU_OPENED_CHALLENGE: unsigned, a URL challenge carrying `token`,
 *   decoded into *challenge;
 * -EACCES: refused: not authenticated, or a plaintext body (an instance
 *   with an encrypt_key takes encrypted ones only);
 * -EBADMSG: signed, but the envelope is malformed or its ciphertext is not
 *   valid (the sender holds the key, so *why may be answered);
 * -ENOMEM or -EIO.
 * *challenge holds nothing unless FEISHU_OPENED_CHALLENGE is returned (free
 * it with feishu_event_free either way).
 */
int feishu_open(const struct feishu_request *rq, const char *encrypt_key, const char *token,
                char **plain, size_t *plain_len, struct feishu_event *challenge,
                const char **why);

#endif
