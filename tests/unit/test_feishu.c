/* Feishu/Lark events: the documented decryption example, strict padding,
 * X-Lark-Signature over the raw body, event decoding with @_user_N mentions,
 * and the verification token. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>

#include "../../messages/crypto.h"
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
	assert_int_equal(feishu_decode(body, strlen(body), "f", &ev, &why), 0);
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
	assert_int_equal(feishu_decode(no_token, strlen(no_token), "f", &ev, &why), 0);
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

static void decode_text(const char *chat_type, const char *content, const char *want)
{
	char *body = message_event(chat_type, "text", content, MENTIONS, "user");
	struct feishu_event ev;
	const char *why = NULL;

	assert_int_equal(feishu_decode(body, strlen(body), "f", &ev, &why), 0);
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
	assert_int_equal(feishu_decode(body, strlen(body), "fx", &ev, &why), 0);
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
	decode_text("group", "\"{\\\"text\\\":\\\"@_user_1 授权 @_user_2 办事员 @_user_10\\\"}\"",
	            " 授权 @ou_wang 办事员 @ou_ten");
	/* In a private chat nothing is the bot's. */
	decode_text("p2p", "\"{\\\"text\\\":\\\"授权 @_user_1\\\"}\"", "授权 @ou_bot");
	/* A placeholder without a mention entry stays as typed. */
	decode_text("p2p", "\"{\\\"text\\\":\\\"@_user_3 @_all\\\"}\"", "@_user_3 @_all");
	/* The bot's placeholder later in the text goes too. */
	decode_text("group", "\"{\\\"text\\\":\\\"  @_user_2 whoami @_user_2\\\"}\"", " whoami ");
}

static void test_message_kinds(void **state)
{
	struct feishu_event ev;
	const char *why = NULL;
	char *body;

	(void)state;
	body = message_event("p2p", "image", "\"{\\\"image_key\\\":\\\"img_1\\\"}\"", "[]", "user");
	assert_int_equal(feishu_decode(body, strlen(body), "f", &ev, &why), 0);
	assert_int_equal(ev.kind, FEISHU_UNSUPPORTED);
	assert_int_equal(ev.msg.kind, CHAT_PRIVATE);
	assert_string_equal(ev.msg.reply_handle, "om_msg1");
	feishu_event_free(&ev);
	free(body);

	/* Another app's message is never answered. */
	body = message_event("group", "text", "\"{\\\"text\\\":\\\"hi\\\"}\"", "[]", "app");
	assert_int_equal(feishu_decode(body, strlen(body), "f", &ev, &why), 0);
	assert_int_equal(ev.kind, FEISHU_IGNORED);
	feishu_event_free(&ev);
	free(body);

	static const char other[] =
		"{\"schema\":\"2.0\",\"header\":{\"event_id\":\"e2\",\"event_type\":"
		"\"im.chat.member.bot.added_v1\",\"token\":\"vtok\"},\"event\":{}}";
	assert_int_equal(feishu_decode(other, strlen(other), "f", &ev, &why), 0);
	assert_int_equal(ev.kind, FEISHU_IGNORED);
	assert_string_equal(ev.event_id, "e2");
	assert_int_equal(feishu_check_token(&ev, "vtok"), 0);
	feishu_event_free(&ev);

	static const char v1[] = "{\"uuid\":\"u1\",\"token\":\"vtok\",\"ts\":\"1.0\","
	                         "\"type\":\"event_callback\",\"event\":{\"type\":\"message\"}}";
	assert_int_equal(feishu_decode(v1, strlen(v1), "f", &ev, &why), 0);
	assert_int_equal(ev.kind, FEISHU_IGNORED);
	assert_int_equal(feishu_check_token(&ev, "vtok"), 0);
	feishu_event_free(&ev);
}

static void expect_bad(const char *body)
{
	struct feishu_event ev;
	const char *why = NULL;

	assert_int_equal(feishu_decode(body, strlen(body), "f", &ev, &why), -EINVAL);
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
		cmocka_unit_test(test_rejects),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
