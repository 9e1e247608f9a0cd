/* DingTalk app robot, HTTP mode: the timestamp signature against an
 * independent computation (openssl dgst), the freshness window, body
 * decoding, and which sessionWebhook URLs are used. */
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
		cmocka_unit_test(test_webhook_allowed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
