/* Feishu/Lark event subscription; see feishu.h. */
#include "feishu.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "../lib/crypto.h"
#include "../lib/strbuf.h"

/* The platform's name, here once: the codec row (platforms.c) and every
 * decoded message carry it. */
const char feishu_platform_name[] = "feishu";

#define IV_LEN 16
#define AES_BLOCK 16
#define ID_MAX 256
#define MAX_CIPHERTEXT (16u << 20)

int feishu_key(const char *encrypt_key, uint8_t key[FEISHU_KEY_LEN])
{
	return crypto_sha256(encrypt_key, strlen(encrypt_key), key);
}

int feishu_decrypt(const uint8_t key[FEISHU_KEY_LEN], const char *b64, size_t b64_len,
                   char **out, size_t *out_len)
{
	uint8_t *raw = NULL, *pt = NULL;
	size_t raw_len, ct_len, pt_len;
	EVP_CIPHER_CTX *ctx = NULL;
	int n1 = 0, n2 = 0;
	int rc;

	*out = NULL;
	*out_len = 0;
	if (b64_len > MAX_CIPHERTEXT)
		return -EBADMSG;
	rc = crypto_base64_decode(b64, b64_len, &raw, &raw_len);
	if (rc < 0)
		return rc == -ENOMEM ? rc : -EBADMSG;
	rc = -EBADMSG;
	if (raw_len < IV_LEN + AES_BLOCK || (raw_len - IV_LEN) % AES_BLOCK != 0)
		goto done;
	ct_len = raw_len - IV_LEN;
	rc = -ENOMEM;
	pt = malloc(ct_len + 1);
	ctx = EVP_CIPHER_CTX_new();
	if (!pt || !ctx)
		goto done;
	/* Padding is checked below, strictly, rather than by OpenSSL. */
	rc = -EIO;
	if (EVP_DecryptInit_ex(ctx, EVP_aes_256_cbc(), NULL, key, raw) != 1 ||
	    EVP_CIPHER_CTX_set_padding(ctx, 0) != 1 ||
	    EVP_DecryptUpdate(ctx, pt, &n1, raw + IV_LEN, (int)ct_len) != 1 ||
	    EVP_DecryptFinal_ex(ctx, pt + n1, &n2) != 1 || (size_t)(n1 + n2) != ct_len)
		goto done;
	rc = crypto_pkcs7_unpad(pt, ct_len, AES_BLOCK, &pt_len);
	if (rc < 0)
		goto done;
	pt[pt_len] = '\0';
	*out = (char *)pt;
	*out_len = pt_len;
	pt = NULL;
	rc = 0;
done:
	if (pt) {
		OPENSSL_cleanse(pt, ct_len);
		free(pt);
	}
	EVP_CIPHER_CTX_free(ctx);
	free(raw);
	return rc;
}

int feishu_verify_signature(const char *timestamp, const char *nonce, const char *encrypt_key,
                            const char *body, size_t len, const char *signature)
{
	uint8_t want[CRYPTO_SHA256_LEN], got[CRYPTO_SHA256_LEN];
	EVP_MD_CTX *ctx;
	unsigned int n = 0;
	bool ok;

	if (!timestamp || !nonce || !signature ||
	    crypto_unhex(signature, strlen(signature), got, sizeof got) < 0)
		return -EACCES;
	ctx = EVP_MD_CTX_new();
	if (!ctx)
		return -EACCES;
	ok = EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1 &&
	     EVP_DigestUpdate(ctx, timestamp, strlen(timestamp)) == 1 &&
	     EVP_DigestUpdate(ctx, nonce, strlen(nonce)) == 1 &&
	     EVP_DigestUpdate(ctx, encrypt_key, strlen(encrypt_key)) == 1 &&
	     EVP_DigestUpdate(ctx, body, len) == 1 && EVP_DigestFinal_ex(ctx, want, &n) == 1 &&
	     n == sizeof want;
	EVP_MD_CTX_free(ctx);
	return ok && crypto_equal(want, got, sizeof want) ? 0 : -EACCES;
}

int feishu_envelope(const char *body, size_t len, char **encrypt)
{
	cJSON *root = cJSON_ParseWithLength(body, len);
	const cJSON *enc = cJSON_GetObjectItemCaseSensitive(root, "encrypt");
	int rc;

	*encrypt = NULL;
	if (!cJSON_IsObject(root))
		rc = -EINVAL;
	else if (!enc)
		rc = -ENOENT;
	else if (!cJSON_IsString(enc))
		rc = -EINVAL;
	else
		rc = (*encrypt = strdup(enc->valuestring)) ? 0 : -ENOMEM;
	cJSON_Delete(root);
	return rc;
}

static const char *str(const cJSON *obj, const char *name, size_t max)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

	if (!cJSON_IsString(v) || !v->valuestring[0] || strlen(v->valuestring) > max)
		return NULL;
	return v->valuestring;
}

/* The mention whose key starts `p`; the longest wins, so "@_user_1" never
 * takes the front of "@_user_10". */
static const cJSON *mention_at(const cJSON *mentions, const char *p, size_t *key_len)
{
	const cJSON *best = NULL, *m;
	size_t best_len = 0;

	cJSON_ArrayForEach(m, mentions) {
		const char *key = str(m, "key", 64);
		size_t n = key && key[0] == '@' ? strlen(key) : 0;

		if (n > best_len && strncmp(p, key, n) == 0) {
			best = m;
			best_len = n;
		}
	}
	*key_len = best_len;
	return best;
}

/* Whether mention m is the bot: 1 or 0, or -1 when only the bot's open_id
 * (bot_open_id NULL) could tell. */
static int mention_is_bot(const cJSON *m, const char *bot_open_id)
{
	const char *open_id = str(cJSON_GetObjectItemCaseSensitive(m, "id"), "open_id", ID_MAX);
	const char *type = str(m, "mentioned_type", 32);

	if (open_id && bot_open_id)
		return strcmp(open_id, bot_open_id) == 0;
	if (type)
		return strcmp(type, "bot") == 0;
	return bot_open_id ? 0 : -1;
}

/* Whether a message mentions the bot: 1, 0, or -EAGAIN when only the bot's
 * open_id could tell. */
static int mentions_bot(const cJSON *mentions, const char *bot_open_id)
{
	const cJSON *m;
	bool unsure = false;

	if (!cJSON_IsArray(mentions))
		return 0;
	cJSON_ArrayForEach(m, mentions) {
		int r = mention_is_bot(m, bot_open_id);

		if (r == 1)
			return 1;
		unsure |= r < 0;
	}
	return unsure ? -EAGAIN : 0;
}

/* The text with placeholders rewritten (see feishu.h); NULL on ENOMEM. */
static char *rewrite_mentions(const char *text, const cJSON *mentions, const char *bot_open_id)
{
	struct strbuf sb;
	const char *p;

	if (!cJSON_IsArray(mentions))
		mentions = NULL;
	text += strspn(text, " \t\r\n");
	strbuf_init(&sb);
	for (p = text; *p;) {
		size_t n = 0;
		const cJSON *m = *p == '@' && mentions ? mention_at(mentions, p, &n) : NULL;

		if (!m) {
			strbuf_append(&sb, p, 1);
			p++;
			continue;
		}
		if (mention_is_bot(m, bot_open_id) != 1) {
			const cJSON *id = cJSON_GetObjectItemCaseSensitive(m, "id");
			const char *open_id = str(id, "open_id", ID_MAX);

			if (open_id) {
				strbuf_appendf(&sb, "@%s", open_id);
			} else {
				strbuf_append(&sb, p, n);
			}
		}
		p += n;
	}
	return strbuf_detach(&sb);
}

static int decode_message(struct feishu_event *out, const cJSON *event, const char *bot_open_id,
                          const char **why)
{
	const cJSON *sender = cJSON_GetObjectItemCaseSensitive(event, "sender");
	const cJSON *sid = cJSON_GetObjectItemCaseSensitive(sender, "sender_id");
	const cJSON *message = cJSON_GetObjectItemCaseSensitive(event, "message");
	const cJSON *mentions = cJSON_GetObjectItemCaseSensitive(message, "mentions");
	const char *sender_type = str(sender, "sender_type", 32);
	const char *chat_type, *msg_type, *content;
	struct chat_msg *m = &out->msg;

	m->sender_id = str(sid, "open_id", ID_MAX);
	m->chat_id = str(message, "chat_id", ID_MAX);
	m->reply_handle = str(message, "message_id", ID_MAX);
	chat_type = str(message, "chat_type", 32);
	msg_type = str(message, "message_type", 32);
	content = str(message, "content", SIZE_MAX);
	if (!m->sender_id || !m->chat_id || !m->reply_handle || !chat_type || !msg_type) {
		*why = "sender open_id, chat_id, message_id, chat_type and message_type are required";
		return -EINVAL;
	}
	/* Other apps' messages are not commands, and answering them could loop. */
	if (sender_type && strcmp(sender_type, "user") != 0) {
		out->kind = FEISHU_IGNORED;
		return 0;
	}
	/* Anything but p2p ("group", and "topic_group", which may exist) is a
	 * chat of many people. */
	m->kind = strcmp(chat_type, "p2p") == 0 ? CHAT_PRIVATE : CHAT_GROUP;
	m->sender_name = "";
	m->text = "";
	if (m->kind == CHAT_GROUP) {
		int rc = mentions_bot(mentions, bot_open_id);

		if (rc == -EAGAIN) {
			*why = "a group message mentions someone, and the bot's open_id is not known";
			return rc;
		}
		if (rc == 0) {
			/* Talk among people, received with the all-group-messages
			 * permission: not a command. */
			out->kind = FEISHU_IGNORED;
			return 0;
		}
	}
	if (strcmp(msg_type, "text") != 0) {
		out->kind = FEISHU_UNSUPPORTED;
		return 0;
	}
	cJSON *inner = content ? cJSON_Parse(content) : NULL;
	const cJSON *text = cJSON_GetObjectItemCaseSensitive(inner, "text");
	out->content = inner;
	if (!cJSON_IsString(text)) {
		*why = "text message content is not {\"text\":\"...\"}";
		return -EINVAL;
	}
	out->text = rewrite_mentions(text->valuestring, mentions, bot_open_id);
	if (!out->text)
		return -ENOMEM;
	m->text = out->text;
	out->kind = FEISHU_MESSAGE;
	return 0;
}

#define CMD_MAX 1024

/* A press of one of our buttons: its value.cmd is the command. */
static int decode_card_action(struct feishu_event *out, const cJSON *event, const char **why)
{
	const cJSON *op = cJSON_GetObjectItemCaseSensitive(event, "operator");
	const cJSON *action = cJSON_GetObjectItemCaseSensitive(event, "action");
	const cJSON *context = cJSON_GetObjectItemCaseSensitive(event, "context");
	const cJSON *value = cJSON_GetObjectItemCaseSensitive(action, "value");
	const char *cmd = str(value, "cmd", CMD_MAX);
	const char *card = str(value, "card", CMD_MAX);
	struct chat_msg *m = &out->msg;

	m->sender_id = str(op, "open_id", ID_MAX);
	m->chat_id = str(context, "open_chat_id", ID_MAX);
	m->reply_handle = str(context, "open_message_id", ID_MAX);
	if (!m->sender_id || !m->chat_id || !m->reply_handle) {
		*why = "operator open_id, context open_chat_id and open_message_id are required";
		return -EINVAL;
	}
	if (!cmd) {
		out->kind = FEISHU_IGNORED;
		return 0;
	}
	m->kind = CHAT_GROUP;
	m->sender_name = "";
	m->text = cmd;
	out->card_shared = card && strcmp(card, "shared") == 0;
	out->kind = FEISHU_CARD_ACTION;
	return 0;
}

/* A challenge is echoed to a sender not yet authenticated: printable ASCII
 * only, so no decrypted bytes but the challenge's own go back. */
static bool challenge_ok(const char *c)
{
	for (; *c; c++)
		if (*c < 0x21 || *c > 0x7e)
			return false;
	return true;
}

int feishu_decode(const char *json, size_t len, const char *instance, const char *bot_open_id,
                  struct feishu_event *out, const char **why)
{
	cJSON *root = cJSON_ParseWithLength(json, len);
	const cJSON *header, *schema;
	const char *type;

	memset(out, 0, sizeof *out);
	out->json = root;
	out->msg.platform = feishu_platform_name;
	out->msg.instance = instance;
	if (!cJSON_IsObject(root)) {
		*why = "event is not a JSON object";
		return -EINVAL;
	}
	type = str(root, "type", 64);
	if (type && strcmp(type, "url_verification") == 0) {
		out->kind = FEISHU_CHALLENGE;
		out->token = str(root, "token", ID_MAX);
		out->challenge = str(root, "challenge", ID_MAX);
		if (!out->challenge || !challenge_ok(out->challenge)) {
			*why = "url_verification without a printable challenge";
			return -EINVAL;
		}
		return 0;
	}
	schema = cJSON_GetObjectItemCaseSensitive(root, "schema");
	if (!schema) {
		/* Schema 1.0: authenticated by its top-level token, then ignored. */
		out->kind = FEISHU_IGNORED;
		out->token = str(root, "token", ID_MAX);
		return 0;
	}
	header = cJSON_GetObjectItemCaseSensitive(root, "header");
	if (!cJSON_IsString(schema) || strcmp(schema->valuestring, "2.0") != 0) {
		*why = "schema is not \"2.0\"";
		return -EINVAL;
	}
	out->token = str(header, "token", ID_MAX);
	out->event_id = str(header, "event_id", ID_MAX);
	type = str(header, "event_type", 128);
	if (!out->event_id || !type) {
		*why = "header.event_id and header.event_type are required";
		return -EINVAL;
	}
	out->msg.msg_id = out->event_id;
	bool card = strcmp(type, "card.action.trigger") == 0;
	if (!card && strcmp(type, "im.message.receive_v1") != 0) {
		out->kind = FEISHU_IGNORED;
		return 0;
	}
	/* The tenant the sender belongs to (chat.h): with the open_id, who it is. */
	out->msg.tenant = str(header, "tenant_key", ID_MAX);
	if (!out->msg.tenant) {
		*why = "header.tenant_key is required for a message";
		return -EINVAL;
	}
	const cJSON *event = cJSON_GetObjectItemCaseSensitive(root, "event");
	if (card)
		return decode_card_action(out, event, why);
	return decode_message(out, event, bot_open_id, why);
}

void feishu_event_free(struct feishu_event *ev)
{
	cJSON_Delete(ev->json);
	cJSON_Delete(ev->content);
	free(ev->text);
	memset(ev, 0, sizeof *ev);
}

int feishu_check_token(const struct feishu_event *ev, const char *token)
{
	uint8_t a[CRYPTO_SHA256_LEN], b[CRYPTO_SHA256_LEN];

	/* Hashing first makes the compare independent of where lengths differ. */
	if (!ev->token || crypto_sha256(ev->token, strlen(ev->token), a) < 0 ||
	    crypto_sha256(token, strlen(token), b) < 0)
		return -EACCES;
	return crypto_equal(a, b, sizeof a) ? 0 : -EACCES;
}

/* A toast is one short line. */
#define TOAST_MAX 300

/* Adds "card":{"type":"raw","data":<card>} to o; nothing when card is
 * not JSON or on ENOMEM (the toast is answer enough). */
static void add_card(cJSON *o, const char *json)
{
	cJSON *data = cJSON_Parse(json);
	cJSON *card = data ? cJSON_CreateObject() : NULL;

	if (card && cJSON_AddStringToObject(card, "type", "raw") &&
	    cJSON_AddItemToObject(card, "data", data)) {
		data = NULL;
		if (cJSON_AddItemToObject(o, "card", card))
			card = NULL;
	}
	cJSON_Delete(card);
	cJSON_Delete(data);
}

char *feishu_render_card_answer(const struct reply *r, const char *card)
{
	char *text = reply_render_text(r);
	cJSON *o = cJSON_CreateObject();
	cJSON *toast = o ? cJSON_AddObjectToObject(o, "toast") : NULL;
	char *s = NULL;

	if (text && toast) {
		size_t n = strcspn(text, "\n");

		if (n > TOAST_MAX)
			n = TOAST_MAX;
		/* Back to a character boundary. */
		while (n && ((unsigned char)text[n] & 0xc0) == 0x80)
			n--;
		text[n] = '\0';
		if (cJSON_AddStringToObject(toast, "type", r->is_error ? "error" : "success") &&
		    cJSON_AddStringToObject(toast, "content", text)) {
			if (card)
				add_card(o, card);
			s = cJSON_PrintUnformatted(o);
		}
	}
	cJSON_Delete(o);
	free(text);
	return s;
}

char *feishu_render_challenge(const struct feishu_event *ev)
{
	cJSON *o = cJSON_CreateObject();
	char *s;

	if (!o || !cJSON_AddStringToObject(o, "challenge", ev->challenge)) {
		cJSON_Delete(o);
		return NULL;
	}
	s = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return s;
}

int feishu_open(const struct feishu_request *rq, const char *encrypt_key, const char *token,
                char **plain, size_t *plain_len, struct feishu_event *challenge,
                const char **why)
{
	uint8_t key[FEISHU_KEY_LEN];
	const char *ignored;
	char *encrypt = NULL;
	int rc;

	*plain = NULL;
	*plain_len = 0;
	memset(challenge, 0, sizeof *challenge);
	if (rq->signature && feishu_verify_signature(rq->timestamp, rq->nonce, encrypt_key, rq->body,
	                                             rq->len, rq->signature) < 0) {
		*why = "bad X-Lark-Signature";
		return -EACCES;
	}
	rc = feishu_envelope(rq->body, rq->len, &encrypt);
	if (rc == -ENOMEM) {
		*why = "out of memory";
		return rc;
	}
	if (rc == -ENOENT) {
		*why = "plaintext body, but an encrypt_key is set";
		return -EACCES;
	}
	if (rc < 0) {
		*why = rq->signature ? "body is not a JSON object with an \"encrypt\" string"
		                     : "unsigned body that is not an encrypted envelope";
		return rq->signature ? -EBADMSG : -EACCES;
	}
	rc = feishu_key(encrypt_key, key);
	if (rc == 0)
		rc = feishu_decrypt(key, encrypt, strlen(encrypt), plain, plain_len);
	OPENSSL_cleanse(key, sizeof key);
	free(encrypt);
	if (rc == -EBADMSG) {
		*why = rq->signature ? "encrypt is not valid ciphertext"
		                     : "unsigned body whose ciphertext is not valid";
		return rq->signature ? -EBADMSG : -EACCES;
	}
	if (rc < 0) {
		*why = rc == -ENOMEM ? "out of memory" : "cannot decrypt now";
		return rc;
	}
	if (rq->signature)
		return FEISHU_OPENED_EVENT;
	/* Unsigned: a URL challenge, or nothing. */
	rc = feishu_decode(*plain, *plain_len, NULL, NULL, challenge, &ignored);
	OPENSSL_cleanse(*plain, *plain_len);
	free(*plain);
	*plain = NULL;
	*plain_len = 0;
	if (rc == 0 && challenge->kind == FEISHU_CHALLENGE && feishu_check_token(challenge, token) == 0)
		return FEISHU_OPENED_CHALLENGE;
	if (rc == -ENOMEM)
		*why = "out of memory";
	else if (rc < 0 || challenge->kind != FEISHU_CHALLENGE)
		*why = "unsigned body that is not a URL challenge";
	else
		*why = "URL challenge without the verification token";
	feishu_event_free(challenge);
	return rc == -ENOMEM ? rc : -EACCES;
}
