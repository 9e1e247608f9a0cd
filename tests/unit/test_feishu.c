/* Feishu/Lark events: the documented decryption example, strict padding,
 * X-Lark-Signature over the raw body, authentication before decryption with
 * one refusal for every failure (feishu_open), event decoding with @_user_N
 * mentions and who among them is the bot, and the verification token. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>

#include "../../lib/crypto.h"
#include "../../messages/feishu.h"

/* Feishu's documented example: encrypt key "test key". */
#define DOC_KEY "test key"
#define DOC_CIPHER "P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk="

static void test_decrypt_documented_example(void **state)
{
	uint8_t key[FEISHU_KEY_LEN];
	char *out;
	size_t len;

	(void)state;
	assert_int_equal(feishu_key(DOC_KEY, key), 0);
	assert_int_equal(feishu_decrypt(key, DOC_CIPHER, strlen(DOC_CIPHER), &out, &len), 0);
	assert_int_equal(len, 11);
	assert_string_equal(out, "hello world");
	free(out);
}

/* IV || AES-256-CBC(pt) without padding (pt already whole blocks). */
static char *forge(const uint8_t key[FEISHU_KEY_LEN], const uint8_t *pt, size_t len)
{
	uint8_t buf[16 + 128];
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int n1 = 0, n2 = 0;
	char *b64;

	assert_true(len <= 128 && len % 16 == 0);
	memset(buf, 0x5a, 16);
	assert_int_equal(EVP_EncryptInit_ex(ctx, EVP_aes_256_cbc(), NULL, key, buf), 1);
	EVP_CIPHER_CTX_set_padding(ctx, 0);
	assert_int_equal(EVP_EncryptUpdate(ctx, buf + 16, &n1, pt, (int)len), 1);
	assert_int_equal(EVP_EncryptFinal_ex(ctx, buf + 16 + n1, &n2), 1);
	EVP_CIPHER_CTX_free(ctx);
	assert_int_equal(crypto_base64_encode(buf, 16 + len, &b64), 0);
	return b64;
}

static void expect_bad_cipher(const uint8_t key[FEISHU_KEY_LEN], const char *b64)
{
	char *out = (char *)1;
	size_t len = 1;

	assert_int_equal(feishu_decrypt(key, b64, strlen(b64), &out, &len), -EBADMSG);
	assert_null(out);
	assert_int_equal(len, 0);
}

static void test_decrypt_padding(void **state)
{
	uint8_t key[FEISHU_KEY_LEN], pt[48];
	char *b64, *out;
	size_t len;

	(void)state;
	assert_int_equal(feishu_key(DOC_KEY, key), 0);
	/* A whole block of padding is fine. */
	memset(pt, 'a', 16);
	memset(pt + 16, 16, 16);
	b64 = forge(key, pt, 32);
	assert_int_equal(feishu_decrypt(key, b64, strlen(b64), &out, &len), 0);
	assert_int_equal(len, 16);
	free(out);
	free(b64);
	/* Pad 1. */
	memset(pt, 'b', 32);
	pt[31] = 1;
	b64 = forge(key, pt, 32);
	assert_int_equal(feishu_decrypt(key, b64, strlen(b64), &out, &len), 0);
	assert_int_equal(len, 31);
	free(out);
	free(b64);
	/* Pad 0, pad 17 (more than a block), pad bytes that disagree. */
	pt[31] = 0;
	b64 = forge(key, pt, 32);
	expect_bad_cipher(key, b64);
	free(b64);
	pt[31] = 17;
	b64 = forge(key, pt, 32);
	expect_bad_cipher(key, b64);
	free(b64);
	memset(pt + 26, 6, 6);
	pt[27] = 5;
	b64 = forge(key, pt, 32);
	expect_bad_cipher(key, b64);
	free(b64);

	expect_bad_cipher(key, "");
	expect_bad_cipher(key, "not base64");
	expect_bad_cipher(key, "P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk");   /* no '=' */
	expect_bad_cipher(key, "P37w+VZImNgPEO1RBhJ6Rg==");                     /* IV only */
	/* IV plus a block and a half. */
	memset(pt, 0, sizeof pt);
	assert_int_equal(crypto_base64_encode(pt, 16 + 24, &b64), 0);
	expect_bad_cipher(key, b64);
	free(b64);
	/* Another key: the padding does not survive. */
	assert_int_equal(feishu_key("test kez", key), 0);
	expect_bad_cipher(key, DOC_CIPHER);
}

#define BODY "{\"encrypt\":\"" DOC_CIPHER "\"}"

static void test_signature(void **state)
{
	/* sha256("1700000000" "nonce-1" "test key" BODY), by Python's hashlib. */
	const char *want = "002a272a435d056759149cce18e88064ff320d38d91a09432445c344c4296949";
	char upper[65];

	(void)state;
	assert_int_equal(feishu_verify_signature("1700000000", "nonce-1", DOC_KEY, BODY,
	                                         strlen(BODY), want), 0);
	for (size_t i = 0; i < 65; i++)
		upper[i] = (char)(want[i] >= 'a' && want[i] <= 'f' ? want[i] - 32 : want[i]);
	assert_int_equal(feishu_verify_signature("1700000000", "nonce-1", DOC_KEY, BODY,
	                                         strlen(BODY), upper), 0);
	/* The raw bytes are signed: one more space is another body. */
	static const char spaced[] = "{\"encrypt\": \"" DOC_CIPHER "\"}";
	assert_int_equal(feishu_verify_signature("1700000000", "nonce-1", DOC_KEY, spaced,
	                                         strlen(spaced), want), -EACCES);
	assert_int_equal(feishu_verify_signature("1700000001", "nonce-1", DOC_KEY, BODY,
	                                         strlen(BODY), want), -EACCES);
	assert_int_equal(feishu_verify_signature("1700000000", "nonce-2", DOC_KEY, BODY,
	                                         strlen(BODY), want), -EACCES);
	assert_int_equal(feishu_verify_signature("1700000000", "nonce-1", "other", BODY,
	                                         strlen(BODY), want), -EACCES);
	assert_int_equal(feishu_verify_signature(NULL, "nonce-1", DOC_KEY, BODY, strlen(BODY), want),
	                 -EACCES);
	assert_int_equal(feishu_verify_signature("1700000000", NULL, DOC_KEY, BODY, strlen(BODY),
	                                         want), -EACCES);
	assert_int_equal(feishu_verify_signature("1700000000", "nonce-1", DOC_KEY, BODY,
	                                         strlen(BODY), NULL), -EACCES);
	assert_int_equal(feishu_verify_signature("1700000000", "nonce-1", DOC_KEY, BODY,
	                                         strlen(BODY), "002a"), -EACCES);
}

static void test_envelope(void **state)
{
	char *enc;

	(void)state;
	assert_int_equal(feishu_envelope(BODY, strlen(BODY), &enc), 0);
	assert_string_equal(enc, DOC_CIPHER);
	free(enc);
	assert_int_equal(feishu_envelope("{\"type\":\"x\"}", 12, &enc), -ENOENT);
	assert_null(enc);
	assert_int_equal(feishu_envelope("{\"encrypt\":1}", 13, &enc), -EINVAL);
	assert_int_equal(feishu_envelope("[1]", 3, &enc), -EINVAL);
	assert_int_equal(feishu_envelope("{\"encrypt\":", 11, &enc), -EINVAL);
	assert_int_equal(feishu_envelope("", 0, &enc), -EINVAL);
}

static void test_challenge(void **state)
{
	static const char body[] =
		"{\"challenge\":\"ajls384kdjx98XX\",\"token\":\"vtok\",\"type\":\"url_verification\"}";
	struct feishu_event ev;
	const char *why = NULL;
	char *s;

	(void)state;
	assert_int_equal(feishu_decode(body, strlen(body), "f", NULL, &ev, &why), 0);
	assert_int_equal(ev.kind, FEISHU_CHALLENGE);
	assert_string_equal(ev.challenge, "ajls384kdjx98XX");
	assert_int_equal(feishu_check_token(&ev, "vtok"), 0);
	assert_int_equal(feishu_check_token(&ev, "vtok2"), -EACCES);
	assert_int_equal(feishu_check_token(&ev, "vto"), -EACCES);
	assert_int_equal(feishu_check_token(&ev, ""), -EACCES);
	s = feishu_render_challenge(&ev);
	assert_string_equal(s, "{\"challenge\":\"ajls384kdjx98XX\"}");
	free(s);
	feishu_event_free(&ev);

	static const char no_token[] = "{\"challenge\":\"c\",\"type\":\"url_verification\"}";
	assert_int_equal(feishu_decode(no_token, strlen(no_token), "f", NULL, &ev, &why), 0);
	assert_int_equal(feishu_check_token(&ev, "vtok"), -EACCES);
	feishu_event_free(&ev);
}

/* A schema 2.0 im.message.receive_v1 event around the given parts. */
static char *message_event(const char *chat_type, const char *msg_type, const char *content,
                           const char *mentions, const char *sender_type)
{
	static const char fmt[] =
		"{\"schema\":\"2.0\",\"header\":{\"event_id\":\"5e3702a84e847582be8db7fb73283c02\","
		"\"event_type\":\"im.message.receive_v1\",\"create_time\":\"1608725989000\","
		"\"token\":\"vtok\",\"app_id\":\"cli_x\",\"tenant_key\":\"t\"},\"event\":{\"sender\":"
		"{\"sender_id\":{\"open_id\":\"ou_sender\",\"user_id\":\"e33ggbyz\",\"union_id\":"
		"\"on_s\"},\"sender_type\":\"%s\",\"tenant_key\":\"t\"},\"message\":{\"message_id\":"
		"\"om_msg1\",\"create_time\":\"1609073151345\",\"chat_id\":\"oc_chat\",\"chat_type\":"
		"\"%s\",\"message_type\":\"%s\",\"content\":%s,\"mentions\":%s}}}";
	size_t n = sizeof fmt + strlen(chat_type) + strlen(msg_type) + strlen(content) +
	           strlen(mentions) + strlen(sender_type);
	char *s = malloc(n);

	assert_non_null(s);
	snprintf(s, n, fmt, sender_type, chat_type, msg_type, content, mentions);
	return s;
}

#define MENTIONS                                                                               \
	"[{\"key\":\"@_user_1\",\"id\":{\"open_id\":\"ou_bot\"},\"name\":\"CQO\"},"                \
	"{\"key\":\"@_user_10\",\"id\":{\"open_id\":\"ou_ten\"},\"name\":\"十\"},"                  \
	"{\"key\":\"@_user_2\",\"id\":{\"open_id\":\"ou_wang\",\"user_id\":\"w\"},\"name\":\"王\"}]"

/* Decodes a text message for the bot `bot` (NULL: its open_id unknown). */
static void decode_text(const char *chat_type, const char *bot, const char *content,
                        const char *want)
{
	char *body = message_event(chat_type, "text", content, MENTIONS, "user");
	struct feishu_event ev;
	const char *why = NULL;

	assert_int_equal(feishu_decode(body, strlen(body), "f", bot, &ev, &why), 0);
	assert_int_equal(ev.kind, FEISHU_MESSAGE);
	assert_string_equal(ev.msg.text, want);
	feishu_event_free(&ev);
	free(body);
}

static void test_message(void **state)
{
	char *body = message_event("group", "text", "\"{\\\"text\\\":\\\"@_user_1 查询 张三\\\"}\"",
	                           MENTIONS, "user");
	struct feishu_event ev;
	const char *why = NULL;

	(void)state;
	assert_int_equal(feishu_decode(body, strlen(body), "fx", "ou_bot", &ev, &why), 0);
	assert_int_equal(ev.kind, FEISHU_MESSAGE);
	assert_string_equal(ev.event_id, "5e3702a84e847582be8db7fb73283c02");
	assert_int_equal(feishu_check_token(&ev, "vtok"), 0);
	assert_string_equal(ev.msg.platform, "feishu");
	assert_string_equal(ev.msg.instance, "fx");
	assert_string_equal(ev.msg.msg_id, "5e3702a84e847582be8db7fb73283c02");
	assert_string_equal(ev.msg.sender_id, "ou_sender");
	assert_string_equal(ev.msg.chat_id, "oc_chat");
	assert_int_equal(ev.msg.kind, CHAT_GROUP);
	assert_string_equal(ev.msg.reply_handle, "om_msg1");
	assert_string_equal(ev.msg.text, " 查询 张三");
	feishu_event_free(&ev);
	free(body);

	/* Other mentions name users by open_id; @_user_1 never eats @_user_10. */
	decode_text("group", "ou_bot",
	            "\"{\\\"text\\\":\\\"@_user_1 授权 @_user_2 办事员 @_user_10\\\"}\"",
	            " 授权 @ou_wang 办事员 @ou_ten");
	/* A private chat needs no bot to be named: unless its open_id is known,
	 * every mention is a user's. */
	decode_text("p2p", NULL, "\"{\\\"text\\\":\\\"授权 @_user_1\\\"}\"", "授权 @ou_bot");
	decode_text("p2p", "ou_bot", "\"{\\\"text\\\":\\\"授权 @_user_1\\\"}\"", "授权 ");
	/* A placeholder without a mention entry stays as typed. */
	decode_text("p2p", NULL, "\"{\\\"text\\\":\\\"@_user_3 @_all\\\"}\"", "@_user_3 @_all");
	/* The bot's placeholder later in the text goes too. */
	decode_text("group", "ou_bot", "\"{\\\"text\\\":\\\"  @_user_1 whoami @_user_1\\\"}\"",
	            " whoami ");
}

static void test_message_kinds(void **state)
{
	struct feishu_event ev;
	const char *why = NULL;
	char *body;

	(void)state;
	body = message_event("p2p", "image", "\"{\\\"image_key\\\":\\\"img_1\\\"}\"", "[]", "user");
	assert_int_equal(feishu_decode(body, strlen(body), "f", NULL, &ev, &why), 0);
	assert_int_equal(ev.kind, FEISHU_UNSUPPORTED);
	assert_int_equal(ev.msg.kind, CHAT_PRIVATE);
	assert_string_equal(ev.msg.reply_handle, "om_msg1");
	feishu_event_free(&ev);
	free(body);

	/* Another app's message is never answered. */
	body = message_event("group", "text", "\"{\\\"text\\\":\\\"hi\\\"}\"", "[]", "app");
	assert_int_equal(feishu_decode(body, strlen(body), "f", NULL, &ev, &why), 0);
	assert_int_equal(ev.kind, FEISHU_IGNORED);
	feishu_event_free(&ev);
	free(body);

	static const char other[] =
		"{\"schema\":\"2.0\",\"header\":{\"event_id\":\"e2\",\"event_type\":"
		"\"im.chat.member.bot.added_v1\",\"token\":\"vtok\"},\"event\":{}}";
	assert_int_equal(feishu_decode(other, strlen(other), "f", NULL, &ev, &why), 0);
	assert_int_equal(ev.kind, FEISHU_IGNORED);
	assert_string_equal(ev.event_id, "e2");
	assert_int_equal(feishu_check_token(&ev, "vtok"), 0);
	feishu_event_free(&ev);

	static const char v1[] = "{\"uuid\":\"u1\",\"token\":\"vtok\",\"ts\":\"1.0\","
	                         "\"type\":\"event_callback\",\"event\":{\"type\":\"message\"}}";
	assert_int_equal(feishu_decode(v1, strlen(v1), "f", NULL, &ev, &why), 0);
	assert_int_equal(ev.kind, FEISHU_IGNORED);
	assert_int_equal(feishu_check_token(&ev, "vtok"), 0);
	feishu_event_free(&ev);
}

/* Decodes a group or private message with `mentions` for the bot `bot`;
 * returns decode's answer, and the kind and text in *ev (caller frees). */
static int decode_with(const char *chat_type, const char *msg_type, const char *text,
                       const char *mentions, const char *bot, struct feishu_event *ev)
{
	char content[256];
	char *body;
	const char *why = NULL;
	int rc;

	if (strcmp(msg_type, "text") == 0)
		snprintf(content, sizeof content, "\"{\\\"text\\\":\\\"%s\\\"}\"", text);
	else
		snprintf(content, sizeof content, "\"{\\\"image_key\\\":\\\"img\\\"}\"");
	body = message_event(chat_type, msg_type, content, mentions, "user");
	rc = feishu_decode(body, strlen(body), "f", bot, ev, &why);
	if (rc < 0)
		assert_non_null(why);
	free(body);
	return rc;
}

static void expect_text(const char *chat_type, const char *text, const char *mentions,
                        const char *bot, const char *want)
{
	struct feishu_event ev;

	assert_int_equal(decode_with(chat_type, "text", text, mentions, bot, &ev), 0);
	assert_int_equal(ev.kind, FEISHU_MESSAGE);
	assert_string_equal(ev.msg.text, want);
	feishu_event_free(&ev);
}

static void expect_kind(const char *chat_type, const char *msg_type, const char *text,
                        const char *mentions, const char *bot, enum feishu_kind want)
{
	struct feishu_event ev;

	assert_int_equal(decode_with(chat_type, msg_type, text, mentions, bot, &ev), 0);
	assert_int_equal(ev.kind, want);
	feishu_event_free(&ev);
}

/* Mentions that say their type, as Feishu may: the bot is ou_bot. */
#define TYPED                                                                                  \
	"[{\"key\":\"@_user_1\",\"id\":{\"open_id\":\"ou_bot\"},\"name\":\"CQO\","                 \
	"\"mentioned_type\":\"bot\"},"                                                             \
	"{\"key\":\"@_user_2\",\"id\":{\"open_id\":\"ou_wang\"},\"name\":\"王\","                   \
	"\"mentioned_type\":\"user\"}]"
/* One person mentioned, untyped. */
#define WANG "[{\"key\":\"@_user_2\",\"id\":{\"open_id\":\"ou_wang\"},\"name\":\"王\"}]"
/* Another app's bot, typed: ours is ou_bot. */
#define OTHER_BOT                                                                              \
	"[{\"key\":\"@_user_1\",\"id\":{\"open_id\":\"ou_other_bot\"},\"name\":\"别的\","          \
	"\"mentioned_type\":\"bot\"}]"

/* Who a group message is for: the bot's mention wherever it stands, never a
 * guess from the first placeholder. */
static void test_addressed(void **state)
{
	struct feishu_event ev;

	(void)state;
	/* The bot mentioned in the middle or at the end: the command runs, the
	 * bot's placeholder removed where it stood. */
	expect_text("group", "查询 @_user_1 张三", MENTIONS, "ou_bot", "查询  张三");
	expect_text("group", "查询 张三 @_user_1", MENTIONS, "ou_bot", "查询 张三 ");
	expect_text("group", "@_user_2 授权 @_user_1", MENTIONS, "ou_bot", "@ou_wang 授权 ");
	/* Starting with another person's mention, the bot not mentioned: not a
	 * command (the old guess took @_user_2 for the bot and ran "whoami"). */
	expect_kind("group", "text", "@_user_2 whoami", WANG, "ou_bot", FEISHU_IGNORED);
	expect_kind("group", "text", "@_user_2 whoami",
	            "[{\"key\":\"@_user_2\",\"id\":{\"open_id\":\"ou_wang\"},"
	            "\"mentioned_type\":\"user\"}]",
	            NULL, FEISHU_IGNORED);
	/* Mentioning nobody, in a group: talk among people. */
	expect_kind("group", "text", "whoami", "[]", NULL, FEISHU_IGNORED);
	expect_kind("group", "text", "whoami", "{}", "ou_bot", FEISHU_IGNORED);
	/* mentioned_type tells without the open_id ... */
	expect_text("group", "查询 张三 @_user_1", TYPED, NULL, "查询 张三 ");
	expect_text("group", "@_user_2 查询 @_user_1 张三", TYPED, NULL, "@ou_wang 查询  张三");
	/* ... but when the open_id is known, another app's bot is not ours. */
	expect_kind("group", "text", "@_user_1 whoami", OTHER_BOT, "ou_bot", FEISHU_IGNORED);
	expect_text("group", "@_user_1 whoami", OTHER_BOT, NULL, " whoami");
	/* Untyped mentions and no open_id: only the bot's open_id can tell. The
	 * rest is decoded, the token included. */
	assert_int_equal(decode_with("group", "text", "@_user_2 whoami", WANG, NULL, &ev), -EAGAIN);
	assert_int_equal(feishu_check_token(&ev, "vtok"), 0);
	assert_int_equal(ev.msg.kind, CHAT_GROUP);
	feishu_event_free(&ev);
	/* A private chat never needs it. */
	expect_text("p2p", "whoami", MENTIONS, NULL, "whoami");
	/* Other message types follow the same rule. */
	expect_kind("group", "image", "", "[]", "ou_bot", FEISHU_IGNORED);
	expect_kind("group", "image", "", MENTIONS, "ou_bot", FEISHU_UNSUPPORTED);
	expect_kind("p2p", "image", "", "[]", NULL, FEISHU_UNSUPPORTED);
}

/* ---- feishu_open: authentication before decryption ---- */

#define TOKEN "vtok"
#define STAMP "1700000000"
#define NONCE "nonce-1"

/* Base64(IV || AES-256-CBC(PKCS#7(pt))) under DOC_KEY; caller frees. */
static char *seal(const char *pt)
{
	uint8_t key[FEISHU_KEY_LEN];
	size_t len = strlen(pt), n = 16 - len % 16;
	uint8_t *buf = malloc(16 + len + n), *padded = malloc(len + n);
	char *b64;

	assert_non_null(buf);
	assert_non_null(padded);
	assert_int_equal(feishu_key(DOC_KEY, key), 0);
	memcpy(padded, pt, len);
	memset(padded + len, (int)n, n);
	memset(buf, 0x3c, 16);
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int n1 = 0, n2 = 0;
	assert_int_equal(EVP_EncryptInit_ex(ctx, EVP_aes_256_cbc(), NULL, key, buf), 1);
	EVP_CIPHER_CTX_set_padding(ctx, 0);
	assert_int_equal(EVP_EncryptUpdate(ctx, buf + 16, &n1, padded, (int)(len + n)), 1);
	assert_int_equal(EVP_EncryptFinal_ex(ctx, buf + 16 + n1, &n2), 1);
	EVP_CIPHER_CTX_free(ctx);
	assert_int_equal(crypto_base64_encode(buf, 16 + len + n, &b64), 0);
	free(buf);
	free(padded);
	return b64;
}

/* {"encrypt":"<b64>"}; caller frees. */
static char *envelope(const char *b64)
{
	char *s;

	assert_true(asprintf(&s, "{\"encrypt\":\"%s\"}", b64) > 0);
	return s;
}

/* The X-Lark-Signature of body under DOC_KEY (hex into sig[65]). */
static void lark_sign(const char *body, char sig[65])
{
	char *all;
	uint8_t d[CRYPTO_SHA256_LEN];

	assert_true(asprintf(&all, STAMP NONCE DOC_KEY "%s", body) > 0);
	assert_int_equal(crypto_sha256(all, strlen(all), d), 0);
	crypto_hex(d, sizeof d, sig);
	free(all);
}

/* feishu_open of body, signed (sig "" = a good signature, NULL = none). */
static int open_body(const char *body, const char *sig, char **plain, struct feishu_event *ch,
                     const char **why)
{
	struct feishu_request rq = {.timestamp = STAMP, .nonce = NONCE, .body = body,
	                            .len = strlen(body)};
	char good[65];
	size_t len = 7;

	if (sig && !*sig) {
		lark_sign(body, good);
		sig = good;
	}
	rq.signature = sig;
	return feishu_open(&rq, DOC_KEY, TOKEN, plain, &len, ch, why);
}

/* The one refusal: -EACCES, nothing decrypted or decoded handed out. */
static void expect_refused(const char *body, const char *sig, const char *want_why)
{
	struct feishu_event ch;
	char *plain = (char *)1;
	const char *why = NULL;

	assert_int_equal(open_body(body, sig, &plain, &ch, &why), -EACCES);
	assert_null(plain);
	assert_null(ch.json);
	assert_null(ch.challenge);
	assert_non_null(why);
	if (want_why)
		assert_string_equal(why, want_why);
	feishu_event_free(&ch);
}

/* expect_refused of the sealed plaintext pt, unsigned. */
static void expect_sealed_refused(const char *pt, const char *want_why)
{
	char *b64 = seal(pt), *body = envelope(b64);

	expect_refused(body, NULL, want_why);
	free(body);
	free(b64);
}

#define CHALLENGE "{\"challenge\":\"c-42\",\"token\":\"" TOKEN "\",\"type\":\"url_verification\"}"
#define EVENT                                                                                  \
	"{\"schema\":\"2.0\",\"header\":{\"event_id\":\"e1\",\"event_type\":\"x\",\"token\":\""   \
	TOKEN "\"}}"

/* body with byte i of its Base64-decoded ciphertext xored with x; caller frees. */
static char *tamper(const char *b64, size_t i, uint8_t x)
{
	uint8_t *raw;
	size_t len;
	char *out, *env;

	assert_int_equal(crypto_base64_decode(b64, strlen(b64), &raw, &len), 0);
	assert_true(i < len);
	raw[i] ^= x;
	assert_int_equal(crypto_base64_encode(raw, len, &out), 0);
	env = envelope(out);
	free(raw);
	free(out);
	return env;
}

static void test_open(void **state)
{
	char *ev_b64 = seal(EVENT), *ch_b64 = seal(CHALLENGE), *body, *plain;
	char *ev_body = envelope(ev_b64), *ch_body = envelope(ch_b64);
	struct feishu_event ch;
	const char *why;
	uint8_t *raw;
	size_t raw_len;

	(void)state;
	assert_int_equal(crypto_base64_decode(ev_b64, strlen(ev_b64), &raw, &raw_len), 0);
	free(raw);
	/* Signed: decrypted once the signature holds. */
	assert_int_equal(open_body(ev_body, "", &plain, &ch, &why), FEISHU_OPENED_EVENT);
	assert_string_equal(plain, EVENT);
	free(plain);
	feishu_event_free(&ch);
	/* Unsigned: the URL challenge with our token, and nothing else. */
	assert_int_equal(open_body(ch_body, NULL, &plain, &ch, &why), FEISHU_OPENED_CHALLENGE);
	assert_null(plain);
	assert_string_equal(ch.challenge, "c-42");
	feishu_event_free(&ch);

	/* A padding-oracle probe, unsigned: the last byte of the block before
	 * the last, through all its values, so the padding is sometimes good
	 * (the plaintext then garbage) and mostly not. One answer for all. */
	assert_int_equal(raw_len % 16, 0);
	for (unsigned x = 1; x < 256; x++) {
		body = tamper(ev_b64, raw_len - 17, (uint8_t)x);
		expect_refused(body, NULL, NULL);
		/* Signed wrongly: refused on the signature, before any decryption. */
		expect_refused(body, "00", "bad X-Lark-Signature");
		free(body);
	}
	/* Every byte of the last block; the IV's first byte of a challenge. */
	for (size_t i = 0; i < 16; i++) {
		body = tamper(ev_b64, raw_len - 1 - i, 0x5a);
		expect_refused(body, NULL, NULL);
		free(body);
	}
	body = tamper(ch_b64, 0, 0x01);
	expect_refused(body, NULL, NULL);
	free(body);
	/* Whatever the body, unsigned and not a challenge: the same refusal. */
	expect_refused(ev_body, NULL, "unsigned body that is not a URL challenge");
	expect_refused("{\"encrypt\":\"***\"}", NULL, NULL);
	expect_refused("{\"encrypt\":\"\"}", NULL, NULL);
	expect_refused("{\"encrypt\":1}", NULL, NULL);
	expect_refused("{oops", NULL, NULL);
	expect_refused("", NULL, NULL);
	expect_refused(CHALLENGE, NULL, "plaintext body, but an encrypt_key is set");
	expect_sealed_refused("not json", NULL);
	expect_sealed_refused("{\"challenge\":\"c\",\"token\":\"other\",\"type\":\"url_verification\"}",
	                      "URL challenge without the verification token");
	expect_sealed_refused("{\"challenge\":\"c\",\"type\":\"url_verification\"}",
	                      "URL challenge without the verification token");
	/* A challenge echoes printable ASCII only. */
	expect_sealed_refused("{\"challenge\":\"a\\u0001b\",\"token\":\"" TOKEN
	                      "\",\"type\":\"url_verification\"}",
	                      "unsigned body that is not a URL challenge");
	/* Signed wrongly, or without the timestamp it covers: refused before
	 * decryption, even when the ciphertext is good. */
	expect_refused(ev_body, "00", "bad X-Lark-Signature");
	expect_refused("{\"encrypt\":\"***\"}", "0000", "bad X-Lark-Signature");
	{
		struct feishu_request rq = {.nonce = NONCE, .body = ev_body, .len = strlen(ev_body)};
		char good[65];
		size_t len;

		lark_sign(ev_body, good);
		rq.signature = good;
		assert_int_equal(feishu_open(&rq, DOC_KEY, TOKEN, &plain, &len, &ch, &why), -EACCES);
		assert_string_equal(why, "bad X-Lark-Signature");
		assert_null(plain);
		feishu_event_free(&ch);
	}
	/* Signed by the key holder: the detail may be told. */
	assert_int_equal(open_body("{\"encrypt\":\"***\"}", "", &plain, &ch, &why), -EBADMSG);
	assert_null(plain);
	feishu_event_free(&ch);
	assert_int_equal(open_body("[1]", "", &plain, &ch, &why), -EBADMSG);
	feishu_event_free(&ch);
	expect_refused(EVENT, "", "plaintext body, but an encrypt_key is set");
	free(ev_b64);
	free(ch_b64);
	free(ev_body);
	free(ch_body);
}

#define CARD_ACTION(value) \
	"{\"schema\":\"2.0\",\"header\":{\"event_id\":\"ev-card-1\",\"token\":\"v\"," \
	"\"event_type\":\"card.action.trigger\",\"tenant_key\":\"tk\"},\"event\":{" \
	"\"operator\":{\"open_id\":\"ou_presser\",\"user_id\":\"u1\"},\"token\":\"c-1\"," \
	"\"action\":{\"tag\":\"button\",\"value\":" value "}," \
	"\"context\":{\"open_message_id\":\"om_card\",\"open_chat_id\":\"oc_chat\"}}}"

/* A press of one of our buttons is its command, from the presser. */
static void test_card_action(void **state)
{
	static const char pressed[] = CARD_ACTION("{\"cmd\":\"确认 123456\"}");
	static const char shared[] = CARD_ACTION("{\"cmd\":\"报名 12\",\"card\":\"shared\"}");
	static const char foreign[] = CARD_ACTION("{\"other\":\"x\"}");
	static const char no_operator[] =
		"{\"schema\":\"2.0\",\"header\":{\"event_id\":\"e\",\"token\":\"v\","
		"\"event_type\":\"card.action.trigger\",\"tenant_key\":\"tk\"},\"event\":{"
		"\"action\":{\"value\":{\"cmd\":\"收到\"}}}}";
	struct feishu_event ev;
	const char *why = NULL;

	(void)state;
	assert_int_equal(feishu_decode(pressed, strlen(pressed), "f", NULL, &ev, &why), 0);
	assert_int_equal(ev.kind, FEISHU_CARD_ACTION);
	assert_int_equal(feishu_check_token(&ev, "v"), 0);
	assert_string_equal(ev.msg.text, "确认 123456");
	assert_string_equal(ev.msg.sender_id, "ou_presser");
	assert_string_equal(ev.msg.tenant, "tk");
	assert_string_equal(ev.msg.msg_id, "ev-card-1");
	assert_string_equal(ev.msg.chat_id, "oc_chat");
	assert_string_equal(ev.msg.reply_handle, "om_card");
	assert_int_equal(ev.msg.kind, CHAT_GROUP);
	assert_false(ev.card_shared);
	feishu_event_free(&ev);
	/* An event's card says it is everyone's. */
	assert_int_equal(feishu_decode(shared, strlen(shared), "f", NULL, &ev, &why), 0);
	assert_int_equal(ev.kind, FEISHU_CARD_ACTION);
	assert_string_equal(ev.msg.text, "报名 12");
	assert_true(ev.card_shared);
	feishu_event_free(&ev);
	assert_int_equal(feishu_decode(foreign, strlen(foreign), "f", NULL, &ev, &why), 0);
	assert_int_equal(ev.kind, FEISHU_IGNORED);
	feishu_event_free(&ev);
	assert_int_equal(feishu_decode(no_operator, strlen(no_operator), "f", NULL, &ev, &why),
	                 -EINVAL);
	assert_non_null(why);
	feishu_event_free(&ev);
}

/* The callback's answer: a toast with the reply's first line. */
static void test_card_answer(void **state)
{
	struct reply r;
	char *s;

	(void)state;
	reply_init(&r);
	reply_set_title(&r, "已作出除名决定 · 处理号 3");
	reply_add_line(&r, "第二行不在提示里");
	s = feishu_render_card_answer(&r, NULL);
	assert_string_equal(s, "{\"toast\":{\"type\":\"success\",\"content\":"
	                       "\"已作出除名决定 · 处理号 3\"}}");
	free(s);
	reply_free(&r);
	reply_init(&r);
	reply_add_line(&r, "没有待确认的操作。");
	r.is_error = true;
	s = feishu_render_card_answer(&r, NULL);
	assert_string_equal(s, "{\"toast\":{\"type\":\"error\",\"content\":\"没有待确认的操作。\"}}");
	free(s);
	/* A card that is not JSON is left out. */
	s = feishu_render_card_answer(&r, "{\"elements\":");
	assert_string_equal(s, "{\"toast\":{\"type\":\"error\",\"content\":\"没有待确认的操作。\"}}");
	free(s);
	/* A refusal leaves the pressed card as it is, whoever pressed. */
	s = feishu_press_answer(&r, "ou_presser");
	assert_string_equal(s, "{\"toast\":{\"type\":\"error\",\"content\":\"没有待确认的操作。\"}}");
	free(s);
	reply_free(&r);
}

#define ANSWER_TOAST \
	"{\"toast\":{\"type\":\"success\",\"content\":\"已作出除名决定 · 处理号 3\"},"
#define ANSWER_NOTE \
	",{\"tag\":\"note\",\"elements\":[{\"tag\":\"lark_md\"," \
	"\"content\":\"办理人：<at id=ou_presser></at>\"}]}"
#define ANSWER_CARD(elements) \
	"\"card\":{\"type\":\"raw\",\"data\":{\"config\":{\"wide_screen_mode\":true," \
	"\"update_multi\":true},\"header\":{\"template\":\"blue\",\"title\":{\"tag\":" \
	"\"plain_text\",\"content\":\"已作出除名决定 · 处理号 3\"}},\"elements\":[{\"tag\":" \
	"\"div\",\"text\":{\"tag\":\"lark_md\",\"content\":\"第二行也在卡片上\"}}" \
	elements "]}}}"

/* A card that is not shared shows the answer after the press, and who
 * pressed; its buttons are the answer's own. */
static void test_card_answer_replaces_card(void **state)
{
	struct reply r;
	char *s;

	(void)state;
	reply_init(&r);
	reply_set_title(&r, "已作出除名决定 · 处理号 3");
	reply_add_line(&r, "第二行也在卡片上");
	s = feishu_press_answer(&r, "ou_presser");
	assert_string_equal(s, ANSWER_TOAST ANSWER_CARD(ANSWER_NOTE));
	free(s);
	/* With buttons: they end the card, and the fallback is not shown. */
	reply_add_fallback(&r, "回复“下一页”查看后续。");
	reply_add_action(&r, "下一页", "下一页", REPLY_ACTION_DEFAULT);
	s = feishu_press_answer(&r, "ou_presser");
	assert_non_null(strstr(s, "办理人：<at id=ou_presser></at>\"}]},{\"tag\":\"action\","
	                          "\"actions\":[{\"tag\":\"button\",\"text\":{\"tag\":"
	                          "\"plain_text\",\"content\":\"下一页\"},\"type\":\"default\","
	                          "\"value\":{\"cmd\":\"下一页\"}}]}]}}}"));
	assert_null(strstr(s, "回复"));
	free(s);
	/* Not an open_id: no note rather than markup from the callback. */
	s = feishu_press_answer(&r, "ou_x></at><at id=all");
	assert_non_null(strstr(s, "\"card\":"));
	assert_null(strstr(s, "办理人"));
	free(s);
	reply_free(&r);
	/* An answer longer than one card: the toast alone. */
	reply_init(&r);
	reply_set_title(&r, "名单");
	for (int i = 0; i < 60; i++)
		reply_add_line(&r, "%01000d", i);
	s = feishu_press_answer(&r, "ou_presser");
	assert_string_equal(s, "{\"toast\":{\"type\":\"success\",\"content\":\"名单\"}}");
	free(s);
	reply_free(&r);
}

static void expect_bad(const char *body)
{
	struct feishu_event ev;
	const char *why = NULL;

	assert_int_equal(feishu_decode(body, strlen(body), "f", NULL, &ev, &why), -EINVAL);
	assert_non_null(why);
	feishu_event_free(&ev);
}

static void test_rejects(void **state)
{
	char *body;

	(void)state;
	expect_bad("");
	expect_bad("\"x\"");
	expect_bad("{\"type\":\"url_verification\",\"token\":\"t\"}");
	expect_bad("{\"schema\":\"3.0\",\"header\":{\"event_id\":\"e\",\"event_type\":\"x\"}}");
	expect_bad("{\"schema\":\"2.0\",\"header\":{\"event_type\":\"x\"}}");
	expect_bad("{\"schema\":\"2.0\",\"header\":{\"event_id\":\"e\"}}");
	expect_bad("{\"schema\":\"2.0\",\"header\":{\"event_id\":\"e\","
	           "\"event_type\":\"im.message.receive_v1\"}}");
	/* content that is not JSON, or not {"text": string}. */
	body = message_event("p2p", "text", "\"not json\"", "[]", "user");
	expect_bad(body);
	free(body);
	body = message_event("p2p", "text", "\"{\\\"text\\\":1}\"", "[]", "user");
	expect_bad(body);
	free(body);
	body = message_event("p2p", "text", "{\"text\":\"object, not a string\"}", "[]", "user");
	expect_bad(body);
	free(body);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decrypt_documented_example),
		cmocka_unit_test(test_decrypt_padding),
		cmocka_unit_test(test_signature),
		cmocka_unit_test(test_envelope),
		cmocka_unit_test(test_challenge),
		cmocka_unit_test(test_message),
		cmocka_unit_test(test_message_kinds),
		cmocka_unit_test(test_addressed),
		cmocka_unit_test(test_open),
		cmocka_unit_test(test_rejects),
		cmocka_unit_test(test_card_action),
		cmocka_unit_test(test_card_answer),
		cmocka_unit_test(test_card_answer_replaces_card),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
