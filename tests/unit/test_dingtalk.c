/* DingTalk app robot, HTTP mode: the timestamp signature against an
 * independent computation (openssl dgst), the freshness window, one message
 * per sign, body decoding with @mentions, and which sessionWebhook URLs are
 * used. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../messages/dingtalk.h"

#define SECRET "dt-app-secret_0123456789"
#define NOW_MS 1700000000000LL

/* Base64(HMAC-SHA256(key = secret, msg = ts "\n" secret)) by the openssl tool. */
static void openssl_sign(const char *ts, const char *secret, char *out, size_t len)
{
	char cmd[512];
	FILE *p;

	snprintf(cmd, sizeof cmd,
	         "printf '%%s\\n%%s' '%s' '%s' | openssl dgst -sha256 -hmac '%s' -binary | "
	         "openssl base64 -A",
	         ts, secret, secret);
	p = popen(cmd, "r");
	assert_non_null(p);
	assert_non_null(fgets(out, (int)len, p));
	pclose(p);
	out[strcspn(out, "\n")] = '\0';
	assert_int_equal(strlen(out), 44);
}

static void test_verify_independent(void **state)
{
	char sign[128];

	(void)state;
	openssl_sign("1700000000000", SECRET, sign, sizeof sign);
	assert_int_equal(dingtalk_verify(SECRET, "1700000000000", sign, NOW_MS), 0);
	/* Anywhere within the hour, either side. */
	openssl_sign("1699996400000", SECRET, sign, sizeof sign);
	assert_int_equal(dingtalk_verify(SECRET, "1699996400000", sign, NOW_MS), 0);
	openssl_sign("1700003600000", SECRET, sign, sizeof sign);
	assert_int_equal(dingtalk_verify(SECRET, "1700003600000", sign, NOW_MS), 0);
}

static void test_verify_rejects(void **state)
{
	char sign[128], bad[128];

	(void)state;
	openssl_sign("1700000000000", SECRET, sign, sizeof sign);
	assert_int_equal(dingtalk_verify("other", "1700000000000", sign, NOW_MS), -EACCES);
	assert_int_equal(dingtalk_verify(SECRET, "1700000000001", sign, NOW_MS), -EACCES);
	assert_int_equal(dingtalk_verify(SECRET, "1700000000000", NULL, NOW_MS), -EACCES);
	assert_int_equal(dingtalk_verify(SECRET, "1700000000000", "", NOW_MS), -EACCES);
	assert_int_equal(dingtalk_verify(SECRET, "1700000000000", "!!!!", NOW_MS), -EACCES);
	snprintf(bad, sizeof bad, "%s", sign);
	bad[0] = bad[0] == 'A' ? 'B' : 'A';
	assert_int_equal(dingtalk_verify(SECRET, "1700000000000", bad, NOW_MS), -EACCES);
	/* URL-encoded or truncated Base64 is not the signature. */
	snprintf(bad, sizeof bad, "%.43s%%3D", sign);
	assert_int_equal(dingtalk_verify(SECRET, "1700000000000", bad, NOW_MS), -EACCES);
	snprintf(bad, sizeof bad, "%.40s", sign);
	assert_int_equal(dingtalk_verify(SECRET, "1700000000000", bad, NOW_MS), -EACCES);

	/* Stale or from the future by more than an hour, even when well signed. */
	openssl_sign("1699996399999", SECRET, sign, sizeof sign);
	assert_int_equal(dingtalk_verify(SECRET, "1699996399999", sign, NOW_MS), -ETIME);
	openssl_sign("1700003600001", SECRET, sign, sizeof sign);
	assert_int_equal(dingtalk_verify(SECRET, "1700003600001", sign, NOW_MS), -ETIME);
	/* Seconds instead of milliseconds are decades stale. */
	openssl_sign("1700000000", SECRET, sign, sizeof sign);
	assert_int_equal(dingtalk_verify(SECRET, "1700000000", sign, NOW_MS), -ETIME);
	assert_int_equal(dingtalk_verify(SECRET, NULL, sign, NOW_MS), -ETIME);
	assert_int_equal(dingtalk_verify(SECRET, "", sign, NOW_MS), -ETIME);
	assert_int_equal(dingtalk_verify(SECRET, "-1700000000000", sign, NOW_MS), -ETIME);
	assert_int_equal(dingtalk_verify(SECRET, "1700000000000 ", sign, NOW_MS), -ETIME);
	assert_int_equal(dingtalk_verify(SECRET, "99999999999999999999", sign, NOW_MS), -ETIME);
}

#define GROUP_BODY                                                                             \
	"{\"conversationId\":\"cidABC==\",\"atUsers\":[{\"dingtalkId\":\"$:LWCP_v1:$bot\"}],"      \
	"\"chatbotCorpId\":\"dingcorp\",\"chatbotUserId\":\"$:LWCP_v1:$bot\",\"msgId\":"           \
	"\"msgXYZ==\",\"senderNick\":\"张三\",\"isAdmin\":true,\"senderStaffId\":\"manager4220\","  \
	"\"sessionWebhookExpiredTime\":1700005400000,\"createAt\":1700000000000,"                 \
	"\"senderCorpId\":\"dingcorp\",\"conversationType\":\"2\",\"senderId\":\"$:LWCP_v1:$u\","  \
	"\"conversationTitle\":\"质量群\",\"isInAtList\":true,\"sessionWebhook\":"                  \
	"\"https://oapi.dingtalk.com/robot/sendBySession?session=abc\",\"text\":{\"content\":"     \
	"\" \\u3000查询 张三\"},\"robotCode\":\"dingrobot\",\"msgtype\":\"text\"}"

static void test_decode_group_text(void **state)
{
	struct dingtalk_msg m;
	const char *why = NULL;

	(void)state;
	assert_int_equal(dingtalk_decode(GROUP_BODY, strlen(GROUP_BODY), "office", &m, &why), 0);
	assert_true(m.is_text);
	assert_string_equal(m.msg.platform, "dingtalk");
	assert_string_equal(m.msg.instance, "office");
	assert_string_equal(m.msg.msg_id, "msgXYZ==");
	assert_string_equal(m.msg.chat_id, "cidABC==");
	assert_int_equal(m.msg.kind, CHAT_GROUP);
	assert_string_equal(m.msg.sender_id, "manager4220");
	assert_string_equal(m.msg.sender_name, "张三");
	/* ASCII space trimmed; the full-width one is the tokenizer's job. */
	assert_string_equal(m.msg.text, "\u3000查询 张三");
	assert_string_equal(m.msg.reply_handle,
	                    "https://oapi.dingtalk.com/robot/sendBySession?session=abc");
	assert_int_equal(m.msg.reply_handle_expires, 1700005400);
	assert_string_equal(m.robot_code, "dingrobot");
	dingtalk_msg_free(&m);
}

static void test_decode_private_and_outsider(void **state)
{
	struct dingtalk_msg m;
	const char *why = NULL;
	static const char body[] =
		"{\"msgId\":\"m1\",\"conversationId\":\"cid1\",\"conversationType\":\"1\","
		"\"senderId\":\"$:LWCP_v1:$outsider\",\"msgtype\":\"text\","
		"\"text\":{\"content\":\"\\n\\t whoami\"}}";

	(void)state;
	assert_int_equal(dingtalk_decode(body, strlen(body), "o", &m, &why), 0);
	assert_int_equal(m.msg.kind, CHAT_PRIVATE);
	assert_string_equal(m.msg.sender_id, "$:LWCP_v1:$outsider");
	assert_string_equal(m.msg.sender_name, "");
	assert_string_equal(m.msg.text, "whoami");
	assert_null(m.msg.reply_handle);
	assert_int_equal(m.msg.reply_handle_expires, 0);
	assert_null(m.robot_code);
	dingtalk_msg_free(&m);
}

static void test_decode_non_text(void **state)
{
	struct dingtalk_msg m;
	const char *why = NULL;
	static const char body[] =
		"{\"msgId\":\"m2\",\"conversationId\":\"cid1\",\"conversationType\":\"1\","
		"\"senderStaffId\":\"u1\",\"msgtype\":\"picture\",\"content\":{\"downloadCode\":\"x\"}}";

	(void)state;
	assert_int_equal(dingtalk_decode(body, strlen(body), "o", &m, &why), 0);
	assert_false(m.is_text);
	assert_string_equal(m.msg.text, "");
	dingtalk_msg_free(&m);
}

static void expect_bad(const char *body)
{
	struct dingtalk_msg m;
	const char *why = NULL;

	assert_int_equal(dingtalk_decode(body, strlen(body), "o", &m, &why), -EINVAL);
	assert_non_null(why);
	dingtalk_msg_free(&m);
}

static void test_decode_rejects(void **state)
{
	(void)state;
	expect_bad("");
	expect_bad("[]");
	expect_bad("{\"msgId\":\"m\"");
	expect_bad("{\"conversationId\":\"c\",\"conversationType\":\"1\",\"senderStaffId\":\"u\","
	           "\"msgtype\":\"text\",\"text\":{\"content\":\"x\"}}");
	expect_bad("{\"msgId\":\"m\",\"conversationId\":\"c\",\"conversationType\":\"3\","
	           "\"senderStaffId\":\"u\",\"msgtype\":\"text\",\"text\":{\"content\":\"x\"}}");
	expect_bad("{\"msgId\":\"m\",\"conversationId\":\"c\",\"conversationType\":1,"
	           "\"senderStaffId\":\"u\",\"msgtype\":\"text\",\"text\":{\"content\":\"x\"}}");
	expect_bad("{\"msgId\":\"m\",\"conversationId\":\"c\",\"conversationType\":\"1\","
	           "\"msgtype\":\"text\",\"text\":{\"content\":\"x\"}}");
	expect_bad("{\"msgId\":\"m\",\"conversationId\":\"c\",\"conversationType\":\"1\","
	           "\"senderStaffId\":\"u\",\"msgtype\":\"text\",\"text\":\"x\"}");
	expect_bad("{\"msgId\":\"m\",\"conversationId\":\"c\",\"conversationType\":\"1\","
	           "\"senderStaffId\":\"u\",\"text\":{\"content\":\"x\"}}");
	expect_bad("{\"msgId\":\"\",\"conversationId\":\"c\",\"conversationType\":\"1\","
	           "\"senderStaffId\":\"u\",\"msgtype\":\"text\",\"text\":{\"content\":\"x\"}}");
}

/* A group message whose text is `content` (a JSON string's inside) and whose
 * atUsers is `at` (a JSON array, or NULL for none); returns m.msg.text. */
static char *decoded_text(const char *content, const char *at)
{
	char body[2048];
	struct dingtalk_msg m;
	const char *why = NULL;
	char *text;

	snprintf(body, sizeof body,
	         "{\"msgId\":\"m1\",\"conversationId\":\"cid1\",\"conversationType\":\"2\","
	         "\"senderStaffId\":\"u1\",\"chatbotUserId\":\"$:bot\",\"msgtype\":\"text\","
	         "\"text\":{\"content\":\"%s\"}%s%s}",
	         content, at ? ",\"atUsers\":" : "", at ? at : "");
	assert_int_equal(dingtalk_decode(body, strlen(body), "o", &m, &why), 0);
	text = strdup(m.msg.text);
	assert_non_null(text);
	dingtalk_msg_free(&m);
	return text;
}

static void expect_text(const char *content, const char *at, const char *want)
{
	char *got = decoded_text(content, at);

	assert_string_equal(got, want);
	free(got);
}

#define BOT "{\"dingtalkId\":\"$:bot\"}"
#define ZS "{\"dingtalkId\":\"$:zs\",\"staffId\":\"zhangsan01\"}"
#define LS "{\"dingtalkId\":\"$:ls\",\"staffId\":\"lisi02\"}"
#define OUT "{\"dingtalkId\":\"$:out\"}"

static void test_mentions_become_staff_ids(void **state)
{
	(void)state;
	/* DingTalk cut the bot's @name; its atUsers entry is not an @name. */
	expect_text(" 授权 @张三 办事员 371302", "[" BOT "," ZS "]",
	            "授权 @zhangsan01 办事员 371302");
	/* In order, wherever the bot's entry is. */
	expect_text("@张三 @李四 查询", "[" ZS "," BOT "," LS "]", "@zhangsan01 @lisi02 查询");
	expect_text("@李四 @张三 查询", "[" LS "," ZS "," BOT "]", "@lisi02 @zhangsan01 查询");
	/* Full-width and U+2005 spaces end and start an @name too. */
	expect_text("授权\u3000@张三\u2005办事员", "[" ZS "]", "授权\u3000@zhangsan01\u2005办事员");
	/* An @ inside a word is no mention: an e-mail address stays. */
	expect_text("查询 a@b.cn @张三", "[" BOT "," ZS "]", "查询 a@b.cn @zhangsan01");
	/* A name may hold any byte but white space. */
	expect_text("授权 @Zhang.San(质量) 办事员", "[" ZS "]", "授权 @zhangsan01 办事员");
}

static void test_mentions_outsiders_and_doubt(void **state)
{
	(void)state;
	/* An outsider (no staffId) keeps the typed @name and its place. */
	expect_text("@外援 授权 @张三 办事员", "[" BOT "," OUT "," ZS "]",
	            "@外援 授权 @zhangsan01 办事员");
	/* A staffId that would split the command is not used. */
	expect_text("授权 @张三 办事员",
	            "[{\"dingtalkId\":\"$:x\",\"staffId\":\"a b\"}]", "授权 @张三 办事员");
	/* Counts that differ leave the text as typed: a typed "@" that names
	 * nobody would otherwise shift every mention after it. */
	expect_text("授权 @张三 @李四", "[" BOT "," ZS "]", "授权 @张三 @李四");
	expect_text("授权 @张三", "[" ZS "," LS "]", "授权 @张三");
	/* No atUsers, or only the bot: nothing to rewrite. */
	expect_text("授权 @张三", NULL, "授权 @张三");
	expect_text("授权 @张三", "[" BOT "]", "授权 @张三");
	expect_text("授权 @张三", "{}", "授权 @张三");
	expect_text("授权 @张三", "[5,\"x\"]", "授权 @张三");
	expect_text("查询 @", "[" ZS "]", "查询 @");
}

/* The header pair of a sign at ts_ms, by the openssl tool. */
static void pair(int64_t ts_ms, char *ts, size_t ts_len, char *sign, size_t len)
{
	snprintf(ts, ts_len, "%lld", (long long)ts_ms);
	openssl_sign(ts, SECRET, sign, len);
}

static void test_signs_one_message_per_sign(void **state)
{
	struct dingtalk_signs *s = dingtalk_signs_new(16);
	char ts[32], sign[128], alias[128];
	bool dropped = true;
	const char *b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

	(void)state;
	assert_non_null(s);
	pair(NOW_MS, ts, sizeof ts, sign, sizeof sign);
	assert_int_equal(dingtalk_signs_claim(s, ts, sign, "dingtalk:d1", "m1", NOW_MS, &dropped), 0);
	assert_false(dropped);
	/* The same pair with the same message: a retry. */
	assert_int_equal(dingtalk_signs_claim(s, ts, sign, "dingtalk:d1", "m1", NOW_MS + 5, NULL), 0);
	/* With another message, or the same id at another instance: a replay. */
	assert_int_equal(dingtalk_signs_claim(s, ts, sign, "dingtalk:d1", "m2", NOW_MS, NULL),
	                 -EEXIST);
	assert_int_equal(dingtalk_signs_claim(s, ts, sign, "dingtalk:d2", "m1", NOW_MS, NULL),
	                 -EEXIST);
	/* Another Base64 spelling of the same MAC is the same sign. */
	snprintf(alias, sizeof alias, "%s", sign);
	alias[42] = b64[(strchr(b64, sign[42]) - b64) ^ 1];
	assert_string_not_equal(alias, sign);
	assert_int_equal(dingtalk_signs_claim(s, ts, alias, "dingtalk:d1", "m2", NOW_MS, NULL),
	                 -EEXIST);
	assert_int_equal(dingtalk_signs_claim(s, ts, alias, "dingtalk:d1", "m1", NOW_MS, NULL), 0);
	/* Kept while the timestamp passes dingtalk_verify, forgotten after. */
	assert_int_equal(dingtalk_verify(SECRET, ts, sign, NOW_MS + DINGTALK_MAX_SKEW_MS), 0);
	assert_int_equal(dingtalk_signs_claim(s, ts, sign, "dingtalk:d1", "m2",
	                                      NOW_MS + DINGTALK_MAX_SKEW_MS, NULL), -EEXIST);
	assert_int_equal(dingtalk_verify(SECRET, ts, sign, NOW_MS + DINGTALK_MAX_SKEW_MS + 1),
	                 -ETIME);
	assert_int_equal(dingtalk_signs_claim(s, ts, sign, "dingtalk:d1", "m2",
	                                      NOW_MS + DINGTALK_MAX_SKEW_MS + 1, NULL), 0);
	/* Malformed pairs (dingtalk_verify refuses them first). */
	assert_int_equal(dingtalk_signs_claim(s, "x", sign, "dingtalk:d1", "m1", NOW_MS, NULL),
	                 -EINVAL);
	assert_int_equal(dingtalk_signs_claim(s, ts, "AAAA", "dingtalk:d1", "m1", NOW_MS, NULL),
	                 -EINVAL);
	assert_int_equal(dingtalk_signs_claim(s, ts, NULL, "dingtalk:d1", "m1", NOW_MS, NULL),
	                 -EINVAL);
	dingtalk_signs_free(s);
	dingtalk_signs_free(NULL);
}

static void test_signs_bounded(void **state)
{
	struct dingtalk_signs *s = dingtalk_signs_new(8);
	char ts[32], sign[128], msg[16], first_ts[32], first_sign[128];
	bool dropped = false;

	(void)state;
	assert_non_null(s);
	/* Eight fresh signs fill it; every one is still refused for another message. */
	for (int i = 0; i < 8; i++) {
		pair(NOW_MS + i, ts, sizeof ts, sign, sizeof sign);
		snprintf(msg, sizeof msg, "m%d", i);
		assert_int_equal(dingtalk_signs_claim(s, ts, sign, "d", msg, NOW_MS + i, &dropped), 0);
		assert_false(dropped);
		if (i == 0) {
			snprintf(first_ts, sizeof first_ts, "%s", ts);
			snprintf(first_sign, sizeof first_sign, "%s", sign);
		}
	}
	for (int i = 0; i < 8; i++) {
		pair(NOW_MS + i, ts, sizeof ts, sign, sizeof sign);
		assert_int_equal(dingtalk_signs_claim(s, ts, sign, "d", "other", NOW_MS + 8, NULL),
		                 -EEXIST);
	}
	/* A ninth drops the one closest to expiry (the oldest timestamp). */
	pair(NOW_MS + 8, ts, sizeof ts, sign, sizeof sign);
	assert_int_equal(dingtalk_signs_claim(s, ts, sign, "d", "m8", NOW_MS + 8, &dropped), 0);
	assert_true(dropped);
	assert_int_equal(dingtalk_signs_claim(s, first_ts, first_sign, "d", "other", NOW_MS + 8,
	                                      &dropped), 0);
	assert_true(dropped);
	/* Once they expire, room comes back without dropping anything. */
	for (int i = 0; i < 8; i++) {
		int64_t later = NOW_MS + 3 * DINGTALK_MAX_SKEW_MS;

		pair(later + i, ts, sizeof ts, sign, sizeof sign);
		snprintf(msg, sizeof msg, "n%d", i);
		assert_int_equal(dingtalk_signs_claim(s, ts, sign, "d", msg, later, &dropped), 0);
		assert_false(dropped);
	}
	dingtalk_signs_free(s);
}

static void test_webhook_allowed(void **state)
{
	(void)state;
	assert_true(dingtalk_webhook_allowed("https://oapi.dingtalk.com/robot/sendBySession?s=1",
	                                     NULL, NULL));
	assert_false(dingtalk_webhook_allowed("http://oapi.dingtalk.com/robot/sendBySession", NULL,
	                                      NULL));
	assert_false(dingtalk_webhook_allowed("https://oapi.dingtalk.com.evil/x", NULL, NULL));
	assert_false(dingtalk_webhook_allowed("https://evil.example/robot", NULL, NULL));
	assert_false(dingtalk_webhook_allowed("http://127.0.0.1:9/robot", NULL, NULL));
	assert_true(dingtalk_webhook_allowed("http://127.0.0.1:9/robot/sendBySession?s=1",
	                                     "http://127.0.0.1:9", NULL));
	assert_true(dingtalk_webhook_allowed("http://127.0.0.1:9/robot/sendBySession?s=1", NULL,
	                                     "http://127.0.0.1:9/"));
	assert_false(dingtalk_webhook_allowed("http://127.0.0.1:99/robot", "http://127.0.0.1:9",
	                                      NULL));
	assert_false(dingtalk_webhook_allowed("http://127.0.0.1:9", "http://127.0.0.1:9", NULL));
	assert_false(dingtalk_webhook_allowed("https://oapi.dingtalk.com/a b", NULL, NULL));
	assert_false(dingtalk_webhook_allowed("https://oapi.dingtalk.com/a\r\nHost: x", NULL, NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verify_independent),
		cmocka_unit_test(test_verify_rejects),
		cmocka_unit_test(test_decode_group_text),
		cmocka_unit_test(test_decode_private_and_outsider),
		cmocka_unit_test(test_decode_non_text),
		cmocka_unit_test(test_decode_rejects),
		cmocka_unit_test(test_mentions_become_staff_ids),
		cmocka_unit_test(test_mentions_outsiders_and_doubt),
		cmocka_unit_test(test_signs_one_message_per_sign),
		cmocka_unit_test(test_signs_bounded),
		cmocka_unit_test(test_webhook_allowed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
