/* messages/sign.c and messages/dest.c: the DingTalk and Feishu robot
 * signatures checked against an independent computation (Python's hmac and
 * base64 modules), percent-encoding, and destinations: the text form's round
 * trip and the reply destination of each platform. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/clock.h"
#include "../../lib/platform.h"
#include "../../messages/platforms.h"
#include "../../messages/sign.h"

/* Runs python3 with the HMAC computed from hex-encoded key and message
 * (so no shell quoting matters); returns the Base64 in out. */
static void python_hmac_b64(const char *key, const char *msg, char *out, size_t len)
{
	char cmd[1024], hk[256] = "", hm[256] = "";
	FILE *p;

	for (size_t i = 0; key[i]; i++)
		snprintf(hk + 2 * i, sizeof hk - 2 * i, "%02x", (unsigned char)key[i]);
	for (size_t i = 0; msg[i]; i++)
		snprintf(hm + 2 * i, sizeof hm - 2 * i, "%02x", (unsigned char)msg[i]);
	snprintf(cmd, sizeof cmd,
	         "python3 -c 'import hmac,hashlib,base64;"
	         "print(base64.b64encode(hmac.new(bytes.fromhex(\"%s\"),bytes.fromhex(\"%s\"),"
	         "hashlib.sha256).digest()).decode())'",
	         hk, hm);
	p = popen(cmd, "r");
	assert_non_null(p);
	assert_non_null(fgets(out, (int)len, p));
	out[strcspn(out, "\n")] = '\0';
	assert_int_equal(pclose(p), 0);
}

static void test_dingtalk_sign(void **state)
{
	static const char *const secrets[] = {
		"SEC0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd",
		"SECx", "SEC+/=中",
	};
	static const int64_t times[] = {1700000000000LL, 1577836800123LL, 1LL};
	char want[128], msg[256];
	char *sig;

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		snprintf(msg, sizeof msg, "%" PRId64 "\n%s", times[i], secrets[i]);
		/* key = secret, message = timestamp "\n" secret */
		python_hmac_b64(secrets[i], msg, want, sizeof want);
		assert_int_equal(sign_dingtalk_robot(secrets[i], times[i], &sig), 0);
		assert_string_equal(sig, want);
		free(sig);
	}
}

static void test_feishu_sign(void **state)
{
	static const char *const secrets[] = {"demo-secret", "Qx7+/=", "飞书"};
	static const int64_t times[] = {1599360473, 1700000000, 0};
	char want[128], key[256];
	char *sig;

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		snprintf(key, sizeof key, "%" PRId64 "\n%s", times[i], secrets[i]);
		/* key = timestamp "\n" secret, message empty */
		python_hmac_b64(key, "", want, sizeof want);
		assert_int_equal(sign_feishu_bot(secrets[i], times[i], &sig), 0);
		assert_string_equal(sig, want);
		free(sig);
	}
	/* The two schemes differ: DingTalk's with the same inputs is another value. */
	assert_int_equal(sign_feishu_bot("s", 1, &sig), 0);
	{
		char *other;

		assert_int_equal(sign_dingtalk_robot("s", 1, &other), 0);
		assert_string_not_equal(sig, other);
		free(other);
	}
	free(sig);
}

static void test_urlencode(void **state)
{
	struct strbuf sb;
	char *s;

	(void)state;
	strbuf_init(&sb);
	sign_urlencode(&sb, "aZ09-._~ +/=&?%中");
	s = strbuf_detach(&sb);
	assert_string_equal(s, "aZ09-._~%20%2B%2F%3D%26%3F%25%E4%B8%AD");
	free(s);
}

static void test_dest_round_trip(void **state)
{
	static const char *const good[] = {
		"wecom|office|user|0|zhangsan",
		"wecom|a_b-C9|robot|0|",
		"dingtalk|d|session|1700000000|https://oapi.dingtalk.com/robot/sendBySession?session=a|b",
		"dingtalk|d|chat|0|cidAbC==",
		"feishu|f|reply|0|om_123",
		"feishu|f|user|0|ou_x",
	};
	static const char *const bad[] = {
		"", "wecom", "wecom|office|user|0", "slack|x|user|0|u", "wecom||user|0|u",
		"wecom|a b|user|0|u", "wecom|x|friend|0|u", "wecom|x|user||u", "wecom|x|user|-1|u",
		"wecom|x|user|1x|u", "wecom|x|user|0|", "wecom|x|robot|0|target",
		"wecom|abcdefghijklmnopqrstuvwxyz0123456|user|0|u",
		"wecom|x|user|99999999999999999999|u",
	};
	struct dest d;
	char buf[600];

	(void)state;
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		assert_int_equal(dest_parse(good[i], &d), 0);
		assert_int_equal(dest_format(&d, buf, sizeof buf), 0);
		assert_string_equal(buf, good[i]);
	}
	assert_int_equal(dest_parse(good[2], &d), 0);
	assert_string_equal(d.platform, "dingtalk");
	assert_string_equal(d.instance, "d");
	assert_int_equal(d.kind, DEST_SESSION);
	assert_int_equal(d.expires_at, 1700000000);
	assert_string_equal(d.target, "https://oapi.dingtalk.com/robot/sendBySession?session=a|b");
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (dest_parse(bad[i], &d) != -EINVAL)
			fprintf(stderr, "accepted: %s\n", bad[i]);
		assert_int_equal(dest_parse(bad[i], &d), -EINVAL);
	}
	/* The longest target is 511 bytes. */
	memcpy(buf, "wecom|x|user|0|", 15);
	memset(buf + 15, 'a', 512);
	buf[15 + 511] = '\0';
	assert_int_equal(dest_parse(buf, &d), 0);
	buf[15 + 511] = 'a';
	buf[15 + 512] = '\0';
	assert_int_equal(dest_parse(buf, &d), -EINVAL);
	assert_int_equal(dest_parse(good[0], &d), 0);
	assert_int_equal(dest_format(&d, buf, 10), -ENOSPC);
	d.kind = (enum dest_kind)9;
	assert_int_equal(dest_format(&d, buf, sizeof buf), -EINVAL);
}

static void test_dest_for_reply(void **state)
{
	struct chat_msg m = {
		.platform = "wecom", .instance = "office", .chat_id = "c1", .kind = CHAT_PRIVATE,
		.sender_id = "zhangsan", .sender_name = "", .text = "帮助", .msg_id = "1",
	};
	struct dest d;
	int64_t now = clock_now();

	(void)state;
	assert_int_equal(dest_for_reply(&m, &d), 0);
	assert_string_equal(d.platform, "wecom");
	assert_string_equal(d.instance, "office");
	assert_int_equal(d.kind, DEST_USER);
	assert_string_equal(d.target, "zhangsan");

	/* DingTalk: the sessionWebhook while it lasts, then the OpenAPI. */
	m.platform = "dingtalk";
	m.reply_handle = "https://oapi.dingtalk.com/robot/sendBySession?session=s";
	m.reply_handle_expires = now + 5400;
	assert_int_equal(dest_for_reply(&m, &d), 0);
	assert_int_equal(d.kind, DEST_SESSION);
	assert_string_equal(d.target, m.reply_handle);
	assert_int_equal(d.expires_at, now + 5400);
	m.reply_handle_expires = now + 10;
	assert_int_equal(dest_for_reply(&m, &d), 0);
	assert_int_equal(d.kind, DEST_USER);
	assert_string_equal(d.target, "zhangsan");
	assert_int_equal(d.expires_at, 0);
	m.kind = CHAT_GROUP;
	assert_int_equal(dest_for_reply(&m, &d), 0);
	assert_int_equal(d.kind, DEST_CHAT);
	assert_string_equal(d.target, "c1");
	m.reply_handle = NULL;
	assert_int_equal(dest_for_reply(&m, &d), 0);
	assert_int_equal(d.kind, DEST_CHAT);

	/* Feishu: the reply API on the message, else the chat. */
	m.platform = "feishu";
	m.reply_handle = "om_1";
	assert_int_equal(dest_for_reply(&m, &d), 0);
	assert_int_equal(d.kind, DEST_REPLY);
	assert_string_equal(d.target, "om_1");
	m.reply_handle = NULL;
	assert_int_equal(dest_for_reply(&m, &d), 0);
	assert_int_equal(d.kind, DEST_CHAT);
	assert_string_equal(d.target, "c1");

	m.platform = "generic";
	assert_int_equal(dest_for_reply(&m, &d), -ENOTSUP);
	m.platform = "console";
	assert_int_equal(dest_for_reply(&m, &d), -ENOTSUP);
	m.platform = "wecom";
	m.sender_id = "";
	assert_int_equal(dest_for_reply(&m, &d), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dingtalk_sign),
		cmocka_unit_test(test_feishu_sign),
		cmocka_unit_test(test_urlencode),
		cmocka_unit_test(test_dest_round_trip),
		cmocka_unit_test(test_dest_for_reply),
	};
	if (clock_init() < 0 || platforms_register() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
