/* WeCom intelligent robot long connection: our frames are what the official
 * @wecom/aibot-node-sdk 1.0.7 sends, member for member and in its order (subscribe, ping, a finished
 * stream reply on the pushed req_id, an unprompted markdown message); pushed
 * messages, answers and the kick event decode; bad frames are refused. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/config.h"
#include "../../lib/platform.h"
#include "../../lib/reply.h"
#include "../../messages/platforms.h"
#include "../../messages/wecom_aibot.h"

static int decode(const char *s, struct wecom_aibot_frame *f)
{
	return wecom_aibot_decode(s, strlen(s), f);
}

static void test_outgoing_frames(void **state)
{
	char id[64], *out;

	(void)state;
	assert_int_equal(wecom_aibot_req_id("ping", 1700000000000LL, 7, id, sizeof id), 0);
	assert_string_equal(id, "ping_1700000000000_7");
	assert_int_equal(wecom_aibot_req_id("aibot_send_msg", 1700000000000LL, 7, id, 10), -ENOSPC);

	assert_int_equal(wecom_aibot_subscribe("aibot_subscribe_1_1", "aibBOT", "s3cret", &out), 0);
	assert_string_equal(out, "{\"cmd\":\"aibot_subscribe\","
	                         "\"headers\":{\"req_id\":\"aibot_subscribe_1_1\"},"
	                         "\"body\":{\"bot_id\":\"aibBOT\",\"secret\":\"s3cret\"}}");
	free(out);
	assert_int_equal(wecom_aibot_subscribe("r", "aibBOT", "", &out), -EINVAL);
	assert_null(out);

	assert_int_equal(wecom_aibot_ping("ping_1_2", &out), 0);
	assert_string_equal(out, "{\"cmd\":\"ping\",\"headers\":{\"req_id\":\"ping_1_2\"}}");
	free(out);

	assert_int_equal(wecom_aibot_respond("req-9", "msgid-2", "**收到**", &out), 0);
	assert_string_equal(out, "{\"cmd\":\"aibot_respond_msg\",\"headers\":{\"req_id\":\"req-9\"},"
	                         "\"body\":{\"msgtype\":\"stream\",\"stream\":{\"id\":\"msgid-2\","
	                         "\"finish\":true,\"content\":\"**收到**\"}}}");
	free(out);
	assert_int_equal(wecom_aibot_respond("", "s", "x", &out), -EINVAL);

	assert_int_equal(wecom_aibot_send("aibot_send_msg_1_3", "wrgroup01", "通知", &out), 0);
	assert_string_equal(out, "{\"cmd\":\"aibot_send_msg\","
	                         "\"headers\":{\"req_id\":\"aibot_send_msg_1_3\"},\"body\":{"
	                         "\"chatid\":\"wrgroup01\",\"msgtype\":\"markdown\","
	                         "\"markdown\":{\"content\":\"通知\"}}}");
	free(out);
	assert_int_equal(wecom_aibot_send("r", NULL, "x", &out), -EINVAL);
}

static void test_messages(void **state)
{
	struct wecom_aibot_frame f;
	struct chat_msg m;

	(void)state;
	assert_int_equal(decode("{\"cmd\":\"aibot_msg_callback\",\"headers\":{\"req_id\":\"req-1\"},"
	                        "\"body\":{\"msgid\":\"msgid-2\",\"aibotid\":\"aibBOT\","
	                        "\"chattype\":\"single\",\"from\":{\"userid\":\"zhangsan\"},"
	                        "\"create_time\":1700000000,\"msgtype\":\"text\","
	                        "\"text\":{\"content\":\"  查询 甲公司\"}}}", &f), 0);
	assert_int_equal(f.kind, WECOM_AIBOT_MSG);
	assert_string_equal(f.req_id, "req-1");
	assert_string_equal(f.msgid, "msgid-2");
	assert_string_equal(f.aibotid, "aibBOT");
	assert_int_equal(f.chat_kind, CHAT_PRIVATE);
	assert_null(f.chatid);
	assert_string_equal(f.from_userid, "zhangsan");
	assert_int_equal(wecom_aibot_chat_msg(&f, "w1", "wwcorp", &m), 0);
	assert_string_equal(m.platform, "wecom_aibot");
	assert_string_equal(m.instance, "w1");
	assert_string_equal(m.tenant, "wwcorp");
	assert_string_equal(m.chat_id, "zhangsan");
	assert_string_equal(m.sender_id, "zhangsan");
	assert_string_equal(m.text, "查询 甲公司");
	assert_string_equal(m.msg_id, "msgid-2");
	assert_string_equal(m.reply_handle, "req-1");
	wecom_aibot_frame_free(&f);

	assert_int_equal(decode("{\"cmd\":\"aibot_msg_callback\",\"headers\":{\"req_id\":\"req-3\"},"
	                        "\"body\":{\"msgid\":\"msgid-4\",\"aibotid\":\"aibBOT\","
	                        "\"chatid\":\"wrgroup01\",\"chattype\":\"group\","
	                        "\"from\":{\"userid\":\"lisi\"},\"msgtype\":\"text\","
	                        "\"text\":{\"content\":\"@机器人 帮助\"}}}", &f), 0);
	assert_int_equal(wecom_aibot_chat_msg(&f, "w1", "wwcorp", &m), 0);
	assert_int_equal(m.kind, CHAT_GROUP);
	assert_string_equal(m.chat_id, "wrgroup01");
	assert_string_equal(m.text, "@机器人 帮助");
	wecom_aibot_frame_free(&f);

	/* Other msgtypes decode, without text. */
	assert_int_equal(decode("{\"cmd\":\"aibot_msg_callback\",\"headers\":{\"req_id\":\"r\"},"
	                        "\"body\":{\"msgid\":\"m\",\"aibotid\":\"b\",\"chattype\":\"single\","
	                        "\"from\":{\"userid\":\"u\"},\"msgtype\":\"image\","
	                        "\"image\":{\"url\":\"https://x\"}}}", &f), 0);
	assert_string_equal(f.msgtype, "image");
	assert_null(f.text);
	wecom_aibot_frame_free(&f);
}

static void test_answers_and_events(void **state)
{
	struct wecom_aibot_frame f;
	struct chat_msg m;

	(void)state;
	assert_int_equal(decode("{\"headers\":{\"req_id\":\"aibot_subscribe_1_1\"},\"errcode\":0,"
	                        "\"errmsg\":\"ok\"}", &f), 0);
	assert_int_equal(f.kind, WECOM_AIBOT_ANSWER);
	assert_int_equal(f.errcode, 0);
	assert_string_equal(f.errmsg, "ok");
	assert_int_equal(wecom_aibot_chat_msg(&f, "w1", "c", &m), -EINVAL);
	wecom_aibot_frame_free(&f);
	assert_int_equal(decode("{\"headers\":{\"req_id\":\"s\"},\"errcode\":40001,"
	                        "\"errmsg\":\"invalid secret\"}", &f), 0);
	assert_int_equal(f.errcode, 40001);
	wecom_aibot_frame_free(&f);

	assert_int_equal(decode("{\"cmd\":\"aibot_event_callback\",\"headers\":{\"req_id\":\"e1\"},"
	                        "\"body\":{\"msgid\":\"k1\",\"aibotid\":\"aibBOT\","
	                        "\"msgtype\":\"event\",\"event\":{\"eventtype\":"
	                        "\"disconnected_event\"}}}", &f), 0);
	assert_int_equal(f.kind, WECOM_AIBOT_KICKED);
	wecom_aibot_frame_free(&f);
	assert_int_equal(decode("{\"cmd\":\"aibot_event_callback\",\"headers\":{\"req_id\":\"e2\"},"
	                        "\"body\":{\"msgtype\":\"event\",\"event\":{\"eventtype\":"
	                        "\"enter_chat\"}}}", &f), 0);
	assert_int_equal(f.kind, WECOM_AIBOT_EVENT);
	assert_string_equal(f.event_type, "enter_chat");
	wecom_aibot_frame_free(&f);
}

static void test_refused(void **state)
{
	static const char *const bad[] = {
		"",
		"null",
		"{\"cmd\":\"aibot_msg_callback\"",
		"{\"cmd\":\"ping\",\"headers\":{\"req_id\":\"r\"}}",
		"{\"cmd\":\"aibot_unknown\",\"headers\":{\"req_id\":\"r\"},\"body\":{}}",
		"{\"headers\":{\"req_id\":\"r\"},\"errcode\":\"0\"}",
		"{\"headers\":{},\"errcode\":0}",
		"{\"cmd\":\"aibot_msg_callback\",\"headers\":{\"req_id\":\"r\"},\"body\":{\"msgid\":"
		"\"m\",\"aibotid\":\"b\",\"chattype\":\"group\",\"from\":{\"userid\":\"u\"},"
		"\"msgtype\":\"text\",\"text\":{\"content\":\"x\"}}}",
		"{\"cmd\":\"aibot_msg_callback\",\"headers\":{\"req_id\":\"r\"},\"body\":{\"msgid\":"
		"\"m\",\"aibotid\":\"b\",\"chattype\":\"channel\",\"from\":{\"userid\":\"u\"},"
		"\"msgtype\":\"text\",\"text\":{\"content\":\"x\"}}}",
		"{\"cmd\":\"aibot_msg_callback\",\"headers\":{\"req_id\":\"r\"},\"body\":{\"msgid\":"
		"\"m\",\"aibotid\":\"b\",\"chattype\":\"single\",\"from\":{\"userid\":\"u\"},"
		"\"msgtype\":\"text\"}}",
		"{\"cmd\":\"aibot_msg_callback\",\"headers\":{\"req_id\":\"r\"},\"body\":{\"msgid\":"
		"\"m\",\"chattype\":\"single\",\"from\":{\"userid\":\"u\"},\"msgtype\":\"text\","
		"\"text\":{\"content\":\"x\"}}}",
		"{\"cmd\":\"aibot_msg_callback\",\"headers\":{\"req_id\":\"r\"},\"body\":{\"msgid\":"
		"\"m\",\"aibotid\":\"b\",\"chattype\":\"single\",\"from\":{\"userid\":\"u\"},"
		"\"msgtype\":\"text\",\"text\":{\"content\":\"\xed\xa0\x80\"}}}",
		"{\"cmd\":\"aibot_event_callback\",\"headers\":{\"req_id\":\"r\"},\"body\":{}}",
	};
	struct wecom_aibot_frame f;
	char *big;

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(decode(bad[i], &f), -EINVAL);
		wecom_aibot_frame_free(&f);
	}
	big = malloc(WECOM_AIBOT_MAX + 2);
	assert_non_null(big);
	memset(big, ' ', WECOM_AIBOT_MAX + 1);
	big[WECOM_AIBOT_MAX + 1] = '\0';
	assert_int_equal(decode(big, &f), -EMSGSIZE);
	wecom_aibot_frame_free(&f);
	free(big);
}

/* The codec row: its section's keys, the answer on the pushed req_id and
 * the unprompted destinations, markdown made inert. */
static void test_row_dest_render(void **state)
{
	const struct platform_codec *p;
	struct chat_msg m = {.platform = "wecom_aibot", .instance = "bot", .tenant = "wwcorp",
	                     .kind = CHAT_GROUP, .chat_id = "wrgroup", .sender_id = "zhangsan",
	                     .reply_handle = "req-1"};
	struct reply r;
	struct rendered out = {0};
	struct dest d;
	char *frame;

	(void)state;
	assert_int_equal(platforms_register(), 0);
	p = platform_find("wecom_aibot");
	assert_non_null(p);
	assert_true(platform_has_dest("wecom_aibot"));
	assert_string_equal(p->section->name, "wecom_aibot");
	assert_int_equal(p->tenant, TENANT_FROM_KEY);
	assert_string_equal(p->tenant_key, "corp_id");

	assert_int_equal(wecom_aibot_url_check("wss://openws.work.weixin.qq.com"), 0);
	assert_int_equal(wecom_aibot_url_check("ws://127.0.0.1:8080"), 0);
	assert_int_equal(wecom_aibot_url_check("https://openws.work.weixin.qq.com"), -EINVAL);
	assert_int_equal(wecom_aibot_ping_check("30"), 0);
	assert_int_equal(wecom_aibot_ping_check("0"), -EINVAL);
	assert_int_equal(wecom_aibot_ping_check("3x"), -EINVAL);

	/* The answer goes on the pushed frame's req_id. */
	assert_int_equal(dest_for_reply(&m, &d), 0);
	assert_int_equal(d.kind, DEST_REPLY);
	assert_string_equal(d.target, "req-1");
	reply_init(&r);
	reply_add_line(&r, "%s", "a *b* <@all>");
	assert_int_equal(render_message(&d, &r, NULL, &out), 0);
	assert_int_equal(out.n, 1);
	assert_string_equal(out.bodies[0], "{\"msgtype\":\"stream\",\"stream\":{\"id\":\"req-1-1\","
	                                   "\"finish\":true,\"content\":\"a ＊b＊ ＜@all＞\"}}");
	assert_int_equal(wecom_aibot_wrap("aibot_respond_msg", d.target, out.bodies[0], &frame), 0);
	assert_string_equal(frame, "{\"cmd\":\"aibot_respond_msg\",\"headers\":{\"req_id\":"
	                           "\"req-1\"},\"body\":{\"msgtype\":\"stream\",\"stream\":"
	                           "{\"id\":\"req-1-1\",\"finish\":true,"
	                           "\"content\":\"a ＊b＊ ＜@all＞\"}}}");
	free(frame);
	assert_int_equal(wecom_aibot_wrap("aibot_send_msg", "r", "[1]", &frame), -EINVAL);
	assert_null(frame);
	rendered_free(&out);

	/* Without the handle (a message the daemon starts): the group, or the
	 * user in a single chat, by aibot_send_msg's chatid. */
	m.reply_handle = NULL;
	assert_int_equal(dest_for_reply(&m, &d), 0);
	assert_int_equal(d.kind, DEST_CHAT);
	assert_string_equal(d.target, "wrgroup");
	assert_int_equal(render_message(&d, &r, NULL, &out), 0);
	assert_string_equal(out.bodies[0], "{\"chatid\":\"wrgroup\",\"msgtype\":\"markdown\","
	                                   "\"markdown\":{\"content\":\"a ＊b＊ ＜@all＞\"}}");
	rendered_free(&out);
	m.kind = CHAT_PRIVATE;
	assert_int_equal(dest_for_reply(&m, &d), 0);
	assert_int_equal(d.kind, DEST_USER);
	assert_string_equal(d.target, "zhangsan");
	d.kind = DEST_ROBOT;
	assert_int_equal(render_message(&d, &r, NULL, &out), -EINVAL);
	rendered_free(&out);
	reply_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_outgoing_frames),
		cmocka_unit_test(test_messages),
		cmocka_unit_test(test_answers_and_events),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_row_dest_render),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
