/* Replies with actions (lib/reply.h): the text fallback, and byte-exact
 * cards per platform (Feishu interactive card, WeCom template_card,
 * DingTalk actionCard), with the fallback where a destination has no
 * cards (robots, group chats, the intelligent robot). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../lib/config.h"
#include "../../lib/platform.h"
#include "../../messages/dingtalk_card.h"
#include "../../messages/platforms.h"

static struct dest mkdest(const char *platform, enum dest_kind kind, const char *target)
{
	struct dest d;

	memset(&d, 0, sizeof d);
	snprintf(d.platform, sizeof d.platform, "%s", platform);
	snprintf(d.instance, sizeof d.instance, "x");
	d.kind = kind;
	snprintf(d.target, sizeof d.target, "%s", target);
	return d;
}

/* A confirmation as confirm.c makes it: a line, the fallback, two buttons. */
static void confirm_reply(struct reply *r)
{
	reply_init(r);
	assert_int_equal(reply_add_line(r, "将除名：张三（记录号 4）"), 0);
	assert_int_equal(reply_add_fallback(r, "请回复“确认 123456”执行；回复“取消”放弃（10 分钟内有效）。"), 0);
	assert_int_equal(reply_add_action(r, "确认", "确认 123456", REPLY_ACTION_PRIMARY), 0);
	assert_int_equal(reply_add_action(r, "取消", "取消", REPLY_ACTION_DEFAULT), 0);
}

/* A reminder: a title, a line, one button. */
static void ack_reply(struct reply *r)
{
	reply_init(r);
	assert_int_equal(reply_set_title(r, "任期提醒"), 0);
	assert_int_equal(reply_add_line(r, "张三 任期将于 2026-07-01 届满"), 0);
	assert_int_equal(reply_add_fallback(r, "回复“收到”确认已阅。"), 0);
	assert_int_equal(reply_add_action(r, "收到", "收到", REPLY_ACTION_PRIMARY), 0);
}

static void expect_bodies(const struct dest *d, const struct reply *r, const char *key,
                          const char *const *want, size_t n)
{
	struct rendered out;

	assert_int_equal(render_message(d, r, key, &out), 0);
	if (out.n != n)
		fprintf(stderr, "got %zu bodies, want %zu\n", out.n, n);
	assert_int_equal(out.n, n);
	for (size_t i = 0; i < n; i++) {
		cJSON *j = cJSON_Parse(out.bodies[i]);

		if (strcmp(out.bodies[i], want[i]) != 0)
			fprintf(stderr, "body %zu:\n got: %s\nwant: %s\n", i, out.bodies[i], want[i]);
		assert_string_equal(out.bodies[i], want[i]);
		assert_non_null(j);
		cJSON_Delete(j);
	}
	rendered_free(&out);
}

static void expect_one(const struct dest *d, const struct reply *r, const char *key,
                       const char *want)
{
	expect_bodies(d, r, key, &want, 1);
}

static void test_actions_and_text(void **state)
{
	struct reply r;
	char *text;

	(void)state;
	confirm_reply(&r);
	assert_int_equal(r.n_actions, 2);
	assert_string_equal(r.actions[0].command, "确认 123456");
	assert_int_equal(r.actions[0].style, REPLY_ACTION_PRIMARY);
	/* The fallback ends the text, after any table. */
	const char *const hdr[] = {"编号", "名称"};
	assert_int_equal(reply_table_begin(&r, 2, hdr), 0);
	text = reply_render_text(&r);
	assert_string_equal(text, "将除名：张三（记录号 4）\n编号 | 名称\n"
	                          "请回复“确认 123456”执行；回复“取消”放弃（10 分钟内有效）。");
	free(text);
	assert_int_equal(reply_add_fallback(&r, "第二行"), 0);
	text = reply_render_text(&r);
	assert_non_null(strstr(text, "有效）。\n第二行"));
	free(text);
	/* Empty or too many actions are refused; the reply is not failed. */
	assert_int_equal(reply_add_action(&r, "", "x", REPLY_ACTION_DEFAULT), -EINVAL);
	assert_int_equal(reply_add_action(&r, "x", "", REPLY_ACTION_DEFAULT), -EINVAL);
	assert_int_equal(reply_add_action(&r, "甲", "甲", REPLY_ACTION_DEFAULT), 0);
	assert_int_equal(reply_add_action(&r, "乙", "乙", REPLY_ACTION_DEFAULT), 0);
	assert_int_equal(reply_add_action(&r, "丙", "丙", REPLY_ACTION_DEFAULT), -EINVAL);
	assert_int_equal(r.n_actions, REPLY_ACTIONS_MAX);
	assert_int_equal(r.failure, REPLY_FAIL_NONE);
	reply_free(&r);
	assert_int_equal(r.n_actions, 0);
	assert_null(r.fallback);
}

static void test_feishu_card(void **state)
{
	struct reply r, ack;
	struct dest d;

	(void)state;
	confirm_reply(&r);
	ack_reply(&ack);
	/* IM API: an interactive, shared card; the buttons carry the command. */
	d = mkdest("feishu", DEST_USER, "ou_abc");
	expect_one(&d, &r, "ev1",
	           "{\"receive_id\":\"ou_abc\",\"msg_type\":\"interactive\",\"content\":\"{\\\"co"
	           "nfig\\\":{\\\"wide_screen_mode\\\":true,\\\"update_multi\\\":true},\\\"header"
	           "\\\":{\\\"template\\\":\\\"blue\\\",\\\"title\\\":{\\\"tag\\\":\\\"plain_text"
	           "\\\",\\\"content\\\":\\\"首席质量官助手\\\"}},\\\"elements\\\":[{\\\"t"
	           "ag\\\":\\\"div\\\",\\\"text\\\":{\\\"tag\\\":\\\"lark_md\\\",\\\"content\\\":"
	           "\\\"将除名：张三（记录号 4）\\\"}},{\\\"tag\\\":\\\"action\\\",\\\""
	           "actions\\\":[{\\\"tag\\\":\\\"button\\\",\\\"text\\\":{\\\"tag\\\":\\\"plain_"
	           "text\\\",\\\"content\\\":\\\"确认\\\"},\\\"type\\\":\\\"primary\\\",\\\"val"
	           "ue\\\":{\\\"cmd\\\":\\\"确认 123456\\\"}},{\\\"tag\\\":\\\"button\\\",\\\"t"
	           "ext\\\":{\\\"tag\\\":\\\"plain_text\\\",\\\"content\\\":\\\"取消\\\"},\\\"t"
	           "ype\\\":\\\"default\\\",\\\"value\\\":{\\\"cmd\\\":\\\"取消\\\"}}]}]}\",\"u"
	           "uid\":\"ev1-1\"}");
	d = mkdest("feishu", DEST_CHAT, "oc_1");
	expect_one(&d, &ack, NULL,
	           "{\"receive_id\":\"oc_1\",\"msg_type\":\"interactive\",\"content\":\"{\\\"conf"
	           "ig\\\":{\\\"wide_screen_mode\\\":true,\\\"update_multi\\\":true},\\\"header\\\""
	           ":{\\\"template\\\":\\\"blue\\\",\\\"title\\\":{\\\"tag\\\":\\\"plain_text\\\""
	           ",\\\"content\\\":\\\"任期提醒\\\"}},\\\"elements\\\":[{\\\"tag\\\":\\\"di"
	           "v\\\",\\\"text\\\":{\\\"tag\\\":\\\"lark_md\\\",\\\"content\\\":\\\"张三 任"
	           "期将于 2026-07-01 届满\\\"}},{\\\"tag\\\":\\\"action\\\",\\\"actions\\\""
	           ":[{\\\"tag\\\":\\\"button\\\",\\\"text\\\":{\\\"tag\\\":\\\"plain_text\\\",\\\""
	           "content\\\":\\\"收到\\\"},\\\"type\\\":\\\"primary\\\",\\\"value\\\":{\\\"c"
	           "md\\\":\\\"收到\\\"}}]}]}\"}");
	/* The custom bot calls nobody back: text with the fallback. */
	d = mkdest("feishu", DEST_ROBOT, "");
	expect_one(&d, &r, "ev1",
	           "{\"msg_type\":\"text\",\"content\":{\"text\":\"将除名：张三（记录号"
	           " 4）\\n请回复“确认 123456”执行；回复“取消”放弃（10 分"
	           "钟内有效）。\"}}");
	/* An error with actions keeps its red header. */
	ack.is_error = true;
	d = mkdest("feishu", DEST_REPLY, "om_1");
	{
		struct rendered out;

		assert_int_equal(render_message(&d, &ack, NULL, &out), 0);
		assert_int_equal(out.n, 1);
		assert_non_null(strstr(out.bodies[0], "\\\"template\\\":\\\"red\\\""));
		assert_non_null(strstr(out.bodies[0], "\\\"cmd\\\":\\\"收到\\\""));
		rendered_free(&out);
	}
	reply_free(&r);
	reply_free(&ack);
}

/* An event's card is everyone's: its buttons say so, and a press leaves it. */
static void test_feishu_shared_card(void **state)
{
	struct reply r;
	struct dest d = mkdest("feishu", DEST_CHAT, "oc_1");

	(void)state;
	reply_init(&r);
	assert_int_equal(reply_set_title(&r, "质量沙龙"), 0);
	assert_int_equal(reply_add_action(&r, "报名", "报名 12", REPLY_ACTION_PRIMARY), 0);
	r.shared = true;
	expect_one(&d, &r, NULL,
	           "{\"receive_id\":\"oc_1\",\"msg_type\":\"interactive\",\"content\":\"{\\\"conf"
	           "ig\\\":{\\\"wide_screen_mode\\\":true,\\\"update_multi\\\":true},\\\"header\\\""
	           ":{\\\"template\\\":\\\"blue\\\",\\\"title\\\":{\\\"tag\\\":\\\"plain_text\\\""
	           ",\\\"content\\\":\\\"质量沙龙\\\"}},\\\"elements\\\":[{\\\"tag\\\":\\\"di"
	           "v\\\",\\\"text\\\":{\\\"tag\\\":\\\"lark_md\\\",\\\"content\\\":\\\"\\\"}},"
	           "{\\\"tag\\\":\\\"action\\\",\\\"actions\\\":[{\\\"tag\\\":\\\"button\\\","
	           "\\\"text\\\":{\\\"tag\\\":\\\"plain_text\\\",\\\"content\\\":\\\"报名\\\"}"
	           ",\\\"type\\\":\\\"primary\\\",\\\"value\\\":{\\\"cmd\\\":\\\"报名 12\\\","
	           "\\\"card\\\":\\\"shared\\\"}}]}]}\"}");
	/* Shown anew (PATCH im/v1/messages/<id>): the content alone, no uuid. */
	d = mkdest("feishu", DEST_CARD, "om_9");
	expect_one(&d, &r, "card:1:1",
	           "{\"content\":\"{\\\"config\\\":{\\\"wide_screen_mode\\\":true,\\\"update_mul"
	           "ti\\\":true},\\\"header\\\":{\\\"template\\\":\\\"blue\\\",\\\"title\\\":{"
	           "\\\"tag\\\":\\\"plain_text\\\",\\\"content\\\":\\\"质量沙龙\\\"}},\\\"e"
	           "lements\\\":[{\\\"tag\\\":\\\"div\\\",\\\"text\\\":{\\\"tag\\\":\\\"lark"
	           "_md\\\",\\\"content\\\":\\\"\\\"}},{\\\"tag\\\":\\\"action\\\",\\\"acti"
	           "ons\\\":[{\\\"tag\\\":\\\"button\\\",\\\"text\\\":{\\\"tag\\\":\\\"plain_"
	           "text\\\",\\\"content\\\":\\\"报名\\\"},\\\"type\\\":\\\"primary\\\",\\\"v"
	           "alue\\\":{\\\"cmd\\\":\\\"报名 12\\\",\\\"card\\\":\\\"shared\\\"}}]}]}\"}");
	/* Without buttons (a cancellation) it stays shared, as it was sent. */
	{
		struct rendered out = {0};
		struct reply plain;

		reply_init(&plain);
		reply_add_line(&plain, "活动已取消");
		expect_one(&d, &plain, "k",
		           "{\"content\":\"{\\\"config\\\":{\\\"wide_screen_mode\\\":true,\\\"update"
		           "_multi\\\":true},\\\"header\\\":{\\\"template\\\":\\\"blue\\\",\\\"tit"
		           "le\\\":{\\\"tag\\\":\\\"plain_text\\\",\\\"content\\\":\\\"首席质量官助手"
		           "\\\"}},\\\"elements\\\":[{\\\"tag\\\":\\\"div\\\",\\\"text\\\":{\\\"tag"
		           "\\\":\\\"lark_md\\\",\\\"content\\\":\\\"活动已取消\\\"}}]}\"}");
		/* One card or nothing. */
		for (int i = 0; i < 60; i++)
			reply_add_line(&plain, "%01000d", i);
		assert_int_equal(render_message(&d, &plain, "k", &out), -EMSGSIZE);
		rendered_free(&out);
		reply_free(&plain);
		/* Feishu only. */
		d = mkdest("wecom", DEST_CARD, "rc-1");
		assert_true(render_message(&d, &r, "k", &out) < 0);
		rendered_free(&out);
	}
	reply_free(&r);
}

/* A long card is split; only its last part has the buttons, and every part
 * stays within the 30 KB card limit. */
static void test_feishu_card_split(void **state)
{
	struct reply r;
	struct rendered out;
	struct dest d = mkdest("feishu", DEST_USER, "ou_abc");
	char line[1001];

	(void)state;
	memset(line, 'a', 1000);
	line[1000] = '\0';
	reply_init(&r);
	for (int i = 0; i < 60; i++)
		assert_int_equal(reply_add_line(&r, "%s", line), 0);
	assert_int_equal(reply_add_action(&r, "下一页", "下一页", REPLY_ACTION_DEFAULT), 0);
	assert_int_equal(render_message(&d, &r, "k", &out), 0);
	assert_true(out.n >= 2);
	for (size_t i = 0; i < out.n; i++) {
		assert_true(strlen(out.bodies[i]) <= 30 * 1024);
		assert_int_equal(strstr(out.bodies[i], "下一页") != NULL, i + 1 == out.n);
	}
	rendered_free(&out);
	reply_free(&r);
}

static void test_wecom_card(void **state)
{
	struct reply r;
	struct dest d;
	char *text;

	(void)state;
	confirm_reply(&r);
	/* The app to one user: the whole reply as one template card. */
	d = mkdest("wecom", DEST_USER, "zhangsan");
	expect_one(&d, &r, "k1",
	           "{\"touser\":\"zhangsan\",\"msgtype\":\"template_card\",\"template_card\":{"
	           "\"card_type\":\"button_interaction\",\"main_title\":{\"title\":"
	           "\"首席质量官助手\"},\"sub_title_text\":\"将除名：张三（记录号 4）\","
	           "\"task_id\":\"cqod-6ab9f1eb8f7d3388f4f9d586f66e99fd54080df2\",\"button_list\":["
	           "{\"text\":\"确认\",\"style\":1,\"key\":\"确认 123456\"},"
	           "{\"text\":\"取消\",\"style\":2,\"key\":\"取消\"}]}}");
	/* appchat/send takes no template card; without a key there is no task_id. */
	d = mkdest("wecom", DEST_CHAT, "wrk");
	expect_one(&d, &r, "k1",
	           "{\"chatid\":\"wrk\",\"msgtype\":\"text\",\"text\":{\"content\":\"将除名："
	           "张三（记录号 4）\\n请回复“确认 123456”执行；回复“取消"
	           "”放弃（10 分钟内有效）。\"}}");
	d = mkdest("wecom", DEST_USER, "zhangsan");
	expect_one(&d, &r, NULL,
	           "{\"touser\":\"zhangsan\",\"msgtype\":\"text\",\"text\":{\"content\":\"将除名"
	           "：张三（记录号 4）\\n请回复“确认 123456”执行；回复“取"
	           "消”放弃（10 分钟内有效）。\"}}");
	/* Too long for a card: text, with the fallback. */
	{
		struct reply big;
		struct rendered out;
		char line[601];

		memset(line, 'a', 600);
		line[600] = '\0';
		confirm_reply(&big);
		assert_int_equal(reply_add_line(&big, "%s", line), 0);
		assert_int_equal(reply_add_line(&big, "%s", line), 0);
		assert_int_equal(render_message(&d, &big, "k1", &out), 0);
		assert_int_equal(out.n, 1);
		assert_non_null(strstr(out.bodies[0], "\"msgtype\":\"text\""));
		assert_non_null(strstr(out.bodies[0], "回复“取消”放弃"));
		rendered_free(&out);
		reply_free(&big);
	}
	/* The passive reply is text: with the fallback. */
	text = render_wecom_text(&r);
	assert_string_equal(text, "将除名：张三（记录号 4）\n"
	                          "请回复“确认 123456”执行；回复“取消”放弃（10 分钟内有效）。");
	free(text);
	reply_free(&r);
}

/* An event's announcement as a WeCom card: 剩余名额 and two buttons. */
static void event_reply(struct reply *r, const char *left)
{
	reply_init(r);
	assert_int_equal(reply_set_title(r, "【沙龙】质量沙龙"), 0);
	assert_int_equal(reply_add_field(r, "剩余名额", "%s", left), 0);
	assert_int_equal(reply_add_fallback(r, "回复“报名 12”报名。"), 0);
	assert_int_equal(reply_add_action(r, "报名", "报名 12", REPLY_ACTION_PRIMARY), 0);
	assert_int_equal(reply_add_action(r, "取消报名", "取消报名 12", REPLY_ACTION_DEFAULT), 0);
	r->shared = true;
}

static void expect_update(const struct reply *r, const struct wecom_card_update *u,
                          const char *want)
{
	struct rendered out;

	assert_int_equal(render_wecom_card_update(r, u, &out), 0);
	assert_int_equal(out.n, 1);
	if (strcmp(out.bodies[0], want) != 0)
		fprintf(stderr, " got: %s\nwant: %s\n", out.bodies[0], want);
	assert_string_equal(out.bodies[0], want);
	rendered_free(&out);
}

/* update_template_card, byte for byte: the whole card again for everyone
 * it went to (atall), under the task_id it was sent with, with the code;
 * or the presser's buttons replaced. */
static void test_wecom_card_update(void **state)
{
	char task_id[WECOM_TASK_ID_MAX];
	struct wecom_card_update u = {.response_code = "rc-7"};
	struct rendered out = {0};
	struct reply r, plain;
	struct dest d = mkdest("wecom", DEST_USER, "zhangsan");

	(void)state;
	/* The task_id is the one the card was sent with. */
	assert_int_equal(wecom_task_id("k1", task_id), 0);
	assert_string_equal(task_id, "cqod-6ab9f1eb8f7d3388f4f9d586f66e99fd54080df2");
	u.task_id = task_id;
	event_reply(&r, "8 人");
	expect_one(&d, &r, "k1",
	           "{\"touser\":\"zhangsan\",\"msgtype\":\"template_card\",\"template_card\":{"
	           "\"card_type\":\"button_interaction\",\"main_title\":{\"title\":"
	           "\"【沙龙】质量沙龙\"},\"sub_title_text\":\"剩余名额：8 人\","
	           "\"task_id\":\"cqod-6ab9f1eb8f7d3388f4f9d586f66e99fd54080df2\",\"button_list\":["
	           "{\"text\":\"报名\",\"style\":1,\"key\":\"报名 12\"},"
	           "{\"text\":\"取消报名\",\"style\":2,\"key\":\"取消报名 12\"}]}}");
	expect_update(&r, &u,
	              "{\"atall\":1,\"response_code\":\"rc-7\",\"template_card\":{"
	              "\"card_type\":\"button_interaction\",\"main_title\":{\"title\":"
	              "\"【沙龙】质量沙龙\"},\"sub_title_text\":\"剩余名额：8 人\","
	              "\"task_id\":\"cqod-6ab9f1eb8f7d3388f4f9d586f66e99fd54080df2\","
	              "\"button_list\":[{\"text\":\"报名\",\"style\":1,\"key\":\"报名 12\"},"
	              "{\"text\":\"取消报名\",\"style\":2,\"key\":\"取消报名 12\"}]}}");
	/* Without buttons (a cancellation): one grey button. */
	reply_init(&plain);
	assert_int_equal(reply_set_title(&plain, "【活动取消】质量沙龙"), 0);
	assert_int_equal(reply_add_line(&plain, "已报名的无需前往"), 0);
	expect_update(&plain, &u,
	              "{\"atall\":1,\"response_code\":\"rc-7\",\"template_card\":{"
	              "\"card_type\":\"button_interaction\",\"main_title\":{\"title\":"
	              "\"【活动取消】质量沙龙\"},\"sub_title_text\":\"已报名的无需前往\","
	              "\"task_id\":\"cqod-6ab9f1eb8f7d3388f4f9d586f66e99fd54080df2\","
	              "\"replace_text\":\"已关闭\"}}");
	/* The presser's buttons only. */
	u.userid = "zhangsan";
	u.replace_name = "已处理";
	expect_update(&r, &u,
	              "{\"userids\":[\"zhangsan\"],\"response_code\":\"rc-7\","
	              "\"button\":{\"replace_name\":\"已处理\"}}");
	/* Too long for a card: the card keeps its face. */
	u.replace_name = NULL;
	for (int i = 0; i < 20; i++)
		assert_int_equal(reply_add_line(&plain, "%0100d", i), 0);
	assert_int_equal(render_wecom_card_update(&plain, &u, &out), -E2BIG);
	assert_int_equal(out.n, 0);
	/* No code, no update. */
	u.response_code = "";
	assert_int_equal(render_wecom_card_update(&r, &u, &out), -EINVAL);
	assert_int_equal(out.n, 0);
	reply_free(&plain);
	reply_free(&r);
}

static void test_dingtalk_card(void **state)
{
	struct reply r, ack;
	struct dest d;

	(void)state;
	confirm_reply(&r);
	ack_reply(&ack);
	/* OpenAPI to one user: sampleActionCard<n>, the buttons type the command. */
	d = mkdest("dingtalk", DEST_USER, "manager4220");
	expect_one(&d, &r, NULL,
	           "{\"userIds\":[\"manager4220\"],\"msgKey\":\"sampleActionCard2\",\"msgParam\":"
	           "\"{\\\"title\\\":\\\"首席质量官助手\\\",\\\"text\\\":\\\"将除名：张"
	           "三（记录号 4）\\\",\\\"actionTitle1\\\":\\\"确认\\\",\\\"actionURL1\\\""
	           ":\\\"dtmd://dingtalkclient/sendMessage?content=%E7%A1%AE%E8%AE%A4%20123456\\\""
	           ",\\\"actionTitle2\\\":\\\"取消\\\",\\\"actionURL2\\\":\\\"dtmd://dingtalkcl"
	           "ient/sendMessage?content=%E5%8F%96%E6%B6%88\\\"}\"}");
	expect_one(&d, &ack, NULL,
	           "{\"userIds\":[\"manager4220\"],\"msgKey\":\"sampleActionCard\",\"msgParam\":\""
	           "{\\\"title\\\":\\\"任期提醒\\\",\\\"text\\\":\\\"**任期提醒**\\\\n\\\\n"
	           "张三 任期将于 2026-07-01 届满\\\",\\\"singleTitle\\\":\\\"收到\\\","
	           "\\\"singleURL\\\":\\\"dtmd://dingtalkclient/sendMessage?content=%E6%94%B6%E5%"
	           "88%B0\\\"}\"}");
	/* A session may be a group: buttons, and the fallback stays. */
	d = mkdest("dingtalk", DEST_SESSION,
	           "https://oapi.dingtalk.com/robot/sendBySession?session=s");
	expect_one(&d, &r, NULL,
	           "{\"msgtype\":\"actionCard\",\"actionCard\":{\"title\":\"首席质量官助手"
	           "\",\"text\":\"将除名：张三（记录号 4）\\n\\n请回复“确认 123"
	           "456”执行；回复“取消”放弃（10 分钟内有效）。\",\"btnOri"
	           "entation\":\"1\",\"btns\":[{\"title\":\"确认\",\"actionURL\":\"dtmd://dingt"
	           "alkclient/sendMessage?content=%E7%A1%AE%E8%AE%A4%20123456\"},{\"title\":\"取"
	           "消\",\"actionURL\":\"dtmd://dingtalkclient/sendMessage?content=%E5%8F%96%E6%"
	           "B6%88\"}]}}");
	/* Group chats by the OpenAPI: no buttons. */
	d = mkdest("dingtalk", DEST_CHAT, "cid");
	expect_one(&d, &r, NULL,
	           "{\"openConversationId\":\"cid\",\"msgKey\":\"sampleText\",\"msgParam\":\"{\\\""
	           "content\\\":\\\"将除名：张三（记录号 4）\\\\n请回复“确认 12"
	           "3456”执行；回复“取消”放弃（10 分钟内有效）。\\\"}\"}");
	reply_free(&r);
	reply_free(&ack);
}

/* DingTalk instances: "x" with a card template in stream mode, "y" with a
 * template but in webhook mode (presses could not come back). */
static struct config *g_cards_cfg;

static int cards_setup(void **state)
{
	char path[] = "/tmp/cqod-render-cards-XXXXXX";
	int fd = mkstemp(path);
	struct config_errors errs = {0};
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	int rc;

	(void)state;
	if (!f)
		return -1;
	fputs("[dingtalk:x]\napp_key = k\napp_secret = s\nmode = stream\n"
	      "card_template_id = tpl.schema\n"
	      "[dingtalk:y]\napp_key = k\napp_secret = s\ncard_template_id = tpl.schema\n", f);
	fclose(f);
	rc = config_load(path, &g_cards_cfg, &errs);
	unlink(path);
	config_errors_free(&errs);
	dingtalk_cards_register(&g_cards_cfg);
	return rc;
}

static int cards_teardown(void **state)
{
	(void)state;
	dingtalk_cards_register(NULL);
	config_free(g_cards_cfg);
	g_cards_cfg = NULL;
	return 0;
}

/* The slots' variables of a card: buttons, then hidden empty ones. */
#define NO_BTN(i) ",\"btn" #i "_text\":\"\",\"btn" #i "_show\":\"false\",\"btn" #i \
	"_style\":\"default\",\"btn" #i "_cmd\":\"\""

static void test_dingtalk_interactive_card(void **state)
{
	struct reply r, ack;
	struct rendered out;
	struct dest d;

	(void)state;
	assert_string_equal(dingtalk_card_template("x"), "tpl.schema");
	assert_null(dingtalk_card_template("y"));
	confirm_reply(&r);
	ack_reply(&ack);
	/* To one user: createAndDeliver into the robot's chat with the user;
	 * the buttons by slot, and no fallback (the buttons say it). */
	d = mkdest("dingtalk", DEST_USER, "manager4220");
	expect_one(&d, &r, "k1",
	           "{\"outTrackId\":\"cqoda24f6537af04830f6ad173416617d683c368e97a\",\"callbackType\":"
	           "\"STREAM\",\"cardData\":{\"cardParamMap\":{\"title\":\"首席质量官助手\","
	           "\"markdown\":\"将除名：张三（记录号 4）\",\"note\":\"\",\"btn1_text\""
	           ":\"确认\",\"btn1_show\":\"true\",\"btn1_style\":\"primary\",\"btn1_cmd\":\"确认 "
	           "123456\",\"btn2_text\":\"取消\",\"btn2_show\":\"true\",\"btn2_style\":\"default\","
	           "\"btn2_cmd\":\"取消\"" NO_BTN(3) NO_BTN(4) "}},\"openSpaceId\":\"dtv1.card//IM_"
	           "ROBOT.manager4220\",\"imRobotOpenSpaceModel\":{\"supportForward\":false},"
	           "\"imRobotOpenDeliverModel\":{\"spaceType\":\"IM_ROBOT\"},\"userIdType\":1}");
	/* What the buttons stand for goes with it, for the store. */
	assert_int_equal(render_message(&d, &r, "k1", &out), 0);
	assert_non_null(out.track);
	assert_int_equal(strncmp(out.track->id, "cqod", 4), 0);
	assert_int_equal(strlen(out.track->id), 44);
	assert_int_equal(out.track->n, 2);
	assert_string_equal(out.track->commands[0], "确认 123456");
	assert_string_equal(out.track->commands[1], "取消");
	assert_false(out.track->shared);
	rendered_free(&out);
	assert_null(out.track);
	/* To a group the robot is in: IM_GROUP; the title in its variable. */
	d = mkdest("dingtalk", DEST_CHAT, "cidGroup==");
	expect_one(&d, &ack, "k2",
	           "{\"outTrackId\":\"cqodc9154ee546fd1eb68e1fe96e4c2142a2ff00bc99\","
	           "\"callbackType\":\"STREAM\",\"cardData\":{\"cardParamMap\":{\"title\":"
	           "\"任期提醒\",\"markdown\":\"张三 任期将于 2026-07-01 届满\","
	           "\"note\":\"\",\"btn1_text\":\"收到\",\"btn1_show\":\"true\",\"btn1_style\":"
	           "\"primary\",\"btn1_cmd\":\"收到\"" NO_BTN(2) NO_BTN(3) NO_BTN(4) "}},"
	           "\"openSpaceId\":\"dtv1.card//IM_GROUP.cidGroup==\",\"imGroupOpenSpaceModel\":"
	           "{\"supportForward\":false},\"imGroupOpenDeliverModel\":{},\"userIdType\":1}");
	/* No key to name the card by, or no template (webhook mode): today's
	 * actionCard. */
	d = mkdest("dingtalk", DEST_USER, "manager4220");
	assert_int_equal(render_message(&d, &ack, NULL, &out), 0);
	assert_non_null(strstr(out.bodies[0], "\"msgKey\":\"sampleActionCard\""));
	assert_null(out.track);
	rendered_free(&out);
	snprintf(d.instance, sizeof d.instance, "y");
	assert_int_equal(render_message(&d, &ack, "k1", &out), 0);
	assert_non_null(strstr(out.bodies[0], "\"msgKey\":\"sampleActionCard\""));
	assert_null(out.track);
	rendered_free(&out);
	/* A card shown anew: PUT with its outTrackId, the new buttons kept. */
	d = mkdest("dingtalk", DEST_CARD, "cqodtrack");
	ack.shared = true;
	expect_one(&d, &ack, NULL,
	           "{\"outTrackId\":\"cqodtrack\",\"cardData\":{\"cardParamMap\":{\"title\":\"任期"
	           "提醒\",\"markdown\":\"张三 任期将于 2026-07-01 届满\",\"note\":\"\","
	           "\"btn1_text\":\"收到\",\"btn1_show\":\"true\",\"btn1_style\":\"primary\","
	           "\"btn1_cmd\":\"收到\"" NO_BTN(2) NO_BTN(3) NO_BTN(4) "}},\"cardUpdateOptions\":"
	           "{\"updateCardDataByKey\":true},\"userIdType\":1}");
	assert_int_equal(render_message(&d, &ack, NULL, &out), 0);
	assert_string_equal(out.track->id, "cqodtrack");
	assert_true(out.track->shared);
	rendered_free(&out);
	reply_free(&r);
	reply_free(&ack);
}

/* The pressed card's new face: the answer, who pressed, no buttons. */
static void test_dingtalk_press_answer(void **state)
{
	struct reply r;
	char *face;

	(void)state;
	ack_reply(&r);
	face = dingtalk_press_answer(&r, "manager<4220>");
	assert_non_null(face);
	assert_string_equal(face,
	                    "{\"cardUpdateOptions\":{\"updateCardDataByKey\":true},\"cardData\":"
	                    "{\"cardParamMap\":{\"title\":\"任期提醒\",\"markdown\":\"张三 任期"
	                    "将于 2026-07-01 届满\",\"note\":\"办理人：manager＜4220＞\""
	                    NO_BTN(1) NO_BTN(2) NO_BTN(3) NO_BTN(4) "}}}");
	free(face);
	/* Everyone's card (no presser named), or a refusal: the card stays. */
	assert_null(dingtalk_press_answer(&r, NULL));
	r.is_error = true;
	assert_null(dingtalk_press_answer(&r, "manager4220"));
	reply_free(&r);
}

/* An answer with buttons leaves the session webhook for the OpenAPI where
 * the instance sends cards: the asker privately, or the group. */
static void test_dingtalk_card_dest(void **state)
{
	struct chat_msg m = {.platform = "dingtalk", .instance = "x", .chat_id = "cidG",
	                     .sender_id = "u1", .kind = CHAT_GROUP,
	                     .reply_handle = "https://oapi.dingtalk.com/robot/sendBySession?s=1"};
	struct dest d;

	(void)state;
	assert_int_equal(dest_for_actions(&m, &d), 0);
	assert_int_equal(d.kind, DEST_CHAT);
	assert_string_equal(d.target, "cidG");
	m.kind = CHAT_PRIVATE;
	assert_int_equal(dest_for_actions(&m, &d), 0);
	assert_int_equal(d.kind, DEST_USER);
	assert_string_equal(d.target, "u1");
	m.instance = "y";
	assert_int_equal(dest_for_actions(&m, &d), 0);
	assert_int_equal(d.kind, DEST_SESSION);
	m.platform = "feishu";
	m.reply_handle = "om_1";
	assert_int_equal(dest_for_actions(&m, &d), 0);
	assert_int_equal(d.kind, DEST_REPLY);
}

static void test_aibot_fallback(void **state)
{
	struct reply ack;
	struct dest d;

	(void)state;
	ack_reply(&ack);
	d = mkdest("wecom_aibot", DEST_USER, "u1");
	expect_one(&d, &ack, NULL,
	           "{\"chatid\":\"u1\",\"msgtype\":\"markdown\",\"markdown\":{\"content\":\"**任"
	           "期提醒**\\n张三 任期将于 2026-07-01 届满\\n回复“收到”确认"
	           "已阅。\"}}");
	reply_free(&ack);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_actions_and_text),
		cmocka_unit_test(test_feishu_card),
		cmocka_unit_test(test_feishu_card_split),
		cmocka_unit_test(test_feishu_shared_card),
		cmocka_unit_test(test_wecom_card),
		cmocka_unit_test(test_wecom_card_update),
		cmocka_unit_test(test_dingtalk_card),
		cmocka_unit_test(test_aibot_fallback),
		cmocka_unit_test_setup_teardown(test_dingtalk_interactive_card, cards_setup,
		                                cards_teardown),
		cmocka_unit_test_setup_teardown(test_dingtalk_press_answer, cards_setup,
		                                cards_teardown),
		cmocka_unit_test_setup_teardown(test_dingtalk_card_dest, cards_setup, cards_teardown),
	};

	if (platforms_register() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
