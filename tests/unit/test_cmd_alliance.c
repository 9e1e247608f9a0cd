/* 联盟 列表/新建, 活动 (list, view, publish with 确认), 报名, 取消报名 and
 * 报名名单 on the fixture registry (fixture.h): each role, refusals that
 * change nothing, audit rows, capacity, the waiting list and the deadline.
 * Delivery of what is published is tested in Python against the fake
 * platforms (test_alliance*.py).
 *
 * Facts: alliance 1 示例市首席质量官联盟（演示） (临沂市 3713) has records 2
 * (张三), 3 (李四) and 4 (赵六) as members; its event 1, open to every bound
 * CQO, starts 2026-06-29 14:00 with 40 places, sign-up until 2026-06-26
 * 08:00. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/config.h"
#include "fixture.h"

#define EVENT_FORM "活动 发布\n类型：沙龙\n标题：质量沙龙\n开始时间：2026-07-01 14:00\n" \
	"结束时间：2026-07-01 17:00\n地点：示例会展中心\n人数上限：2\n报名截止：2026-06-28 18:00\n" \
	"简介：交流质量管理经验\n开放报名：否"
#define AUDITS(entity) "SELECT count(*) FROM audit_log WHERE entity = '" entity "'"

static const char *say(struct fixture *fx, const char *text, const char *who, bool *err)
{
	return fixture_say_in(fx, who, false, text, err);
}

static void assert_answer(struct fixture *fx, const char *who, const char *text,
                          const char *want)
{
	bool err;
	const char *out = say(fx, text, who, &err);

	assert_false(err);
	assert_string_equal(out, want);
}

static void assert_refused(struct fixture *fx, const char *who, const char *text,
                           const char *want)
{
	bool err;
	const char *out = say(fx, text, who, &err);

	assert_true(err);
	if (!fixture_has(out, want))
		fail_msg("%s: \"%s\" not in:\n%s", text, want, out);
}

/* Confirms what `asked` asks for, as who. */
static const char *confirm(struct fixture *fx, const char *asked, const char *who, bool *err)
{
	char cmd[32];
	const char *p = strstr(asked, "确认 ");

	while (p && strspn(p + strlen("确认 "), "0123456789") != 6)
		p = strstr(p + 1, "确认 ");
	assert_non_null(p);
	snprintf(cmd, sizeof cmd, "确认 %.6s", p + strlen("确认 "));
	return say(fx, cmd, who, err);
}

/* Publishes EVENT_FORM as the organizer; its number. */
static long publish(struct fixture *fx)
{
	char asked[2048];
	bool err;

	snprintf(asked, sizeof asked, "%s", say(fx, EVENT_FORM, FX_ORG, &err));
	assert_false(err);
	const char *done = confirm(fx, asked, FX_ORG, &err);
	assert_false(err);
	const char *p = strstr(done, "已发布活动 ");
	assert_non_null(p);
	return strtol(p + strlen("已发布活动 "), NULL, 10);
}

static void test_alliance_list_by_role(void **state)
{
	struct fixture *fx = *state;
	const char *one = "联盟 1 个\n1. 示例市首席质量官联盟（演示）　临沂市　成员 3 人　群 0 个";
	uint64_t before = fixture_digest(fx);

	assert_answer(fx, FX_ADMIN, "联盟 列表", one);
	assert_answer(fx, FX_CLERK_LS, "联盟", one);
	assert_answer(fx, FX_ORG, "alliance list", one);
	/* Another province's clerk sees none; a member sees their notices. */
	assert_answer(fx, FX_CLERK_XA, "联盟 列表", "没有可查看的联盟。");
	assert_answer(fx, FX_CQO, "联盟 列表",
	              "联盟 1 个\n1. 示例市首席质量官联盟（演示）　私信通知：开启");
	assert_answer(fx, FX_CQO_SB, "联盟 列表", "您还不是任何联盟的成员。");
	assert_refused(fx, FX_GUEST, "联盟 列表", "您没有权限使用“联盟”。");
	assert_true(fixture_digest(fx) == before);
}

static void test_alliance_create_by_admins_only(void **state)
{
	struct fixture *fx = *state;
	static const struct {
		const char *text, *want;
	} refused[] = {
		{"联盟 新建 丙联盟", "已有名为“丙联盟”的联盟。"},
		{"联盟 新建 丁联盟 379999", "地区代码 379999 不存在"},
		{"联盟 新建 丁联盟 3x", "地区代码应为 2、4 或 6 位数字"},
		{"联盟 新建 12345", "联盟名称不能全是数字（数字用作联盟编号）"},
		{"联盟 新建", "用法：联盟 新建 <名称> [地区代码]"},
	};
	const char *others[] = {FX_CLERK_SD, FX_ORG, FX_CQO};

	assert_answer(fx, FX_ADMIN, "联盟 新建 丙联盟 3713",
	              "已新建联盟“丙联盟” · 编号 2\n地区：临沂市（3713）\n"
	              "下一步：发送“授权 <用户> 组织者 2”指定组织者；组织者在群里发送“订阅 2”。");
	assert_int_equal(fixture_int(fx, AUDITS("alliance")), 1);
	assert_int_equal(fixture_int(fx, "SELECT count(*) FROM audit_log WHERE entity = 'alliance'"
	                                 " AND actor_user = 'u-admin' AND command = '联盟'"
	                                 " AND before_json IS NULL"),
	                 1);
	uint64_t before = fixture_digest(fx);
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
		assert_refused(fx, FX_ADMIN, refused[i].text, refused[i].want);
	for (size_t i = 0; i < 3; i++)
		assert_refused(fx, others[i], "联盟 新建 戊联盟", "您没有权限使用“联盟 新建”。");
	assert_true(fixture_digest(fx) == before);
	/* The new one is seen within its region. */
	assert_answer(fx, FX_CLERK_LS, "联盟",
	              "联盟 2 个\n1. 示例市首席质量官联盟（演示）　临沂市　成员 3 人　群 0 个\n"
	              "2. 丙联盟　临沂市　成员 0 人　群 0 个");
	assert_answer(fx, FX_CLERK_XA, "联盟 列表", "没有可查看的联盟。");
}

static void test_events_list_and_view(void **state)
{
	struct fixture *fx = *state;
	const char *list = "近期活动 1 个\n1.【沙龙】示例：质量提升经验交流沙龙　2026-06-29 14:00　"
	                   "示例市首席质量官联盟（演示）　报名 0/40";
	uint64_t before = fixture_digest(fx);

	assert_answer(fx, FX_CQO, "活动", list);
	assert_answer(fx, FX_ORG, "活动 列表", list);
	assert_answer(fx, FX_CLERK_LY, "活动 列表", list);
	assert_answer(fx, FX_CLERK_XA, "活动", "近期没有您可查看的活动。");
	assert_answer(fx, FX_CQO, "活动 查看 1",
	              "【沙龙】示例：质量提升经验交流沙龙\n联盟：示例市首席质量官联盟（演示）\n"
	              "时间：2026-06-29 14:00 至 17:00\n地点：示例会展中心二楼\n人数上限：40 人\n"
	              "报名截止：2026-06-26 08:00\n开放报名：所有已绑定的首席质量官均可报名\n"
	              "简介：演示数据：首席质量官交流质量管理经验。\n"
	              "报名请私聊发送“报名 1”，取消请发送“取消报名 1”。\n报名：0/40");
	assert_refused(fx, FX_CQO, "活动 查看 x", "活动编号应为正整数");
	assert_refused(fx, FX_GUEST, "活动 列表", "您没有权限使用");
	assert_true(fixture_digest(fx) == before);
}

static void test_publish_needs_confirmation_by_the_same_person(void **state)
{
	struct fixture *fx = *state;
	char asked[2048];
	bool err;

	snprintf(asked, sizeof asked, "%s", say(fx, EVENT_FORM, FX_ORG, &err));
	assert_false(err);
	assert_true(fixture_has(asked, "【沙龙】质量沙龙\n联盟：示例市首席质量官联盟（演示）\n"
	                               "时间：2026-07-01 14:00 至 17:00\n"));
	assert_true(fixture_has(asked, "开放报名：仅限联盟成员"));
	assert_true(fixture_has(asked, "确认后将发送到 0 个群、0 人（私信）。"));
	assert_int_equal(fixture_int(fx, "SELECT count(*) FROM events"), 1);
	/* 确认 belongs to whoever asked. */
	const char *out = confirm(fx, asked, FX_ADMIN, &err);
	assert_true(err);
	assert_string_equal(out, "没有待确认的操作，或确认码错误、已过期、已使用。");
	assert_int_equal(fixture_int(fx, "SELECT count(*) FROM events"), 1);
	out = confirm(fx, asked, FX_ORG, &err);
	assert_false(err);
	assert_string_equal(out, "已发布活动 2：【沙龙】质量沙龙\n"
	                         "已排队发送到 0 个群、0 人。发送“活动 报告 2”查看送达情况。");
	assert_int_equal(fixture_int(fx, "SELECT count(*) FROM events WHERE status = 'published'"), 2);
	assert_int_equal(fixture_int(fx, "SELECT count(*) FROM audit_log WHERE entity = 'event'"
	                                 " AND entity_id = 2 AND actor_user = 'org'"),
	                 1);
	/* Others may not publish. */
	assert_refused(fx, FX_CQO, EVENT_FORM, "您没有权限使用“活动 发布”");
	assert_refused(fx, FX_CLERK_LS, EVENT_FORM, "您没有权限使用“活动 发布”");
	assert_int_equal(fixture_int(fx, "SELECT count(*) FROM events"), 2);
}

static void test_signup_capacity_waitlist_and_deadline(void **state)
{
	struct fixture *fx = *state;
	bool err;
	const char *out;

	/* 赵六, the third member, as a CQO too. */
	fixture_say(fx, FX_ADMIN, "授权 zl 首席质量官 4");
	long ev = publish(fx);
	assert_int_equal(ev, 2);
	uint64_t before = fixture_digest(fx);
	assert_answer(fx, FX_CQO, "报名 2", "报名成功：【沙龙】质量沙龙\n时间：2026-07-01 14:00\n"
	                                    "地点：示例会展中心\n如不能参加，请发送“取消报名 2”。");
	assert_false(fixture_digest(fx) == before);
	assert_refused(fx, FX_CQO, "报名 2", "您已报名活动 2。");
	say(fx, "报名 2", FX_CQO_LS, &err);
	assert_false(err);
	assert_answer(fx, "zl", "报名 2",
	              "已进入候补：【沙龙】质量沙龙\n"
	              "名额（2 人）已满，您在候补第 1 位；有人取消时将按顺序自动递补并通知您。\n"
	              "如不能参加，请发送“取消报名 2”。");
	/* Members only: 孙八 is none, as if the event did not exist. */
	assert_refused(fx, FX_CQO_SB, "报名 2", "没有编号为 2 的活动（或您无权查看）。");
	assert_refused(fx, FX_CQO, "报名 999", "没有编号为 999 的活动（或您无权查看）。");
	assert_refused(fx, FX_CQO, "报名 abc", "活动编号应为正整数\n用法：报名 <活动编号>");
	const char *staff[] = {FX_ORG, FX_ADMIN, FX_CLERK_LS, FX_GUEST};
	for (size_t i = 0; i < 4; i++)
		assert_refused(fx, staff[i], "报名 2", "您没有权限使用“报名”。");
	/* The roster: names and enterprises only, the same in a group chat. */
	const char *roster = "活动 2 “质量沙龙”报名名单：正式 2 人，候补 1 人\n"
	                     "1. 张三　示例精密机械有限公司\n2. 李四　演示食品股份有限公司\n"
	                     "3. 赵六　演示特种设备制造有限公司（候补）";
	assert_answer(fx, FX_ORG, "报名名单 2", roster);
	assert_string_equal(fixture_say_in(fx, FX_ORG, true, "报名名单 2", NULL), roster);
	assert_answer(fx, FX_ADMIN, "报名名单 2", roster);
	assert_refused(fx, FX_CLERK_LS, "报名名单 2", "您没有权限使用“报名名单”。");
	assert_refused(fx, FX_CQO, "报名名单 2", "您没有权限使用“报名名单”。");
	/* A place freed: the first waiting moves up. */
	assert_answer(fx, FX_CQO, "取消报名 2", "已取消报名：活动 2【沙龙】质量沙龙。");
	assert_true(fixture_has(fixture_say(fx, "zl", "活动 查看 2"), "报名：2/2\n（您已报名）"));
	assert_refused(fx, FX_CQO, "取消报名 2", "您没有报名活动 2。");
	/* Back in line, at the end. */
	assert_true(fixture_has(fixture_say(fx, FX_CQO, "报名 2"), "您在候补第 1 位"));
	/* Past the deadline: no sign-up, cancelling still possible. */
	fixture_set_now("2026-06-28 18:01:00");
	assert_refused(fx, FX_CQO_SB, "报名 1", "活动 1 的报名已于 2026-06-26 08:00 截止。");
	assert_answer(fx, FX_CQO, "取消报名 2", "已取消报名：活动 2【沙龙】质量沙龙。");
	/* Once started, neither. */
	fixture_set_now("2026-07-01 14:30:00");
	assert_refused(fx, FX_CQO_LS, "取消报名 2", "活动 2 已经开始或结束。");
	out = fixture_say(fx, FX_ORG, "报名名单 2");
	assert_true(fixture_has(out, "正式 2 人，候补 0 人"));
	/* Every sign-up and cancellation left its audit row: three sign-ups,
	 * a cancellation and the promotion it caused, the sign-up again and
	 * its cancellation. */
	assert_int_equal(fixture_int(fx, AUDITS("signup")), 7);
	assert_int_equal(fixture_int(fx, AUDITS("signup") " AND command = '取消报名'"
	                                 " AND actor_user = 'cqo-zs'"
	                                 " AND json_extract(before_json, '$.person_id') = 4"
	                                 " AND json_extract(before_json, '$.status') = 'waitlist'"
	                                 " AND json_extract(after_json, '$.status') = 'confirmed'"),
	                 1);
}

/* WeCom's appchat/send reaches only group chats the app created itself
 * (and cqod creates none, nor knows which those are): an ordinary WeCom
 * group named by id would dead-letter every broadcast, so 订阅 refuses it
 * and says why and what to do; a DingTalk or Feishu chat by id is taken,
 * and a WeCom chat subscribed before can still be 退订. */
static void test_subscribe_wecom_chat_by_id_refused(void **state)
{
	struct fixture *fx = *state;
	struct config_errors errs = {0};
	struct config *cfg = NULL;
	char path[128];
	uint64_t before;
	FILE *f;

	snprintf(path, sizeof path, "%s/apps.conf", fx->dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "[daemon]\ndatabase = %s\ndata_dir = data\n"
	           "[generic:test]\nsecret = fixture-secret-0123456789\n"
	           "[wecom:wx]\ncorp_id = ww-fixture\nagent_id = 1000002\nsecret = s\ntoken = t\n"
	           "aes_key = abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG\n"
	           "[feishu:fs]\napp_id = cli_fx\napp_secret = s\nverification_token = v\n",
	        fx->path);
	fclose(f);
	assert_int_equal(config_load(path, &cfg, &errs), 0);
	config_errors_free(&errs);
	config_free(fx->cfg);
	fx->cfg = cfg;

	before = fixture_digest(fx);
	assert_refused(fx, FX_ADMIN, "订阅 1 群 wecom:wx wrchat-1",
	               "企业微信应用只能向本应用创建的群聊推送消息");
	assert_refused(fx, FX_ADMIN, "订阅 1 群 wecom:wx wrchat-1", "appchat/create");
	assert_refused(fx, FX_ADMIN, "订阅 1 群 wecom:wx wrchat-1", "订阅 <联盟> 机器人 wecom:");
	assert_true(fixture_digest(fx) == before);
	assert_int_equal(fixture_int(fx, "SELECT count(*) FROM subscriptions"), 0);

	assert_answer(fx, FX_ADMIN, "订阅 1 群 feishu:fs oc_by_id",
	              "已订阅：飞书群 oc_by_id（fs） 将收到“示例市首席质量官联盟（演示）”的活动与通知。");
	/* One made before the rule (rows in today's databases) can go. */
	fixture_exec(fx, "INSERT INTO subscriptions (alliance_id, platform, instance, chat_id, kind,"
	                 " created_at) VALUES (1, 'wecom', 'wx', 'wrchat-old', 'chat', 0)");
	assert_answer(fx, FX_ADMIN, "退订 1 群 wecom:wx wrchat-old",
	              "已退订：企业微信群 wrchat-old（wx） 不再收到“示例市首席质量官联盟（演示）”的活动与通知。");
}

/* The announcement in a Feishu group is a card with 报名 and 取消报名 and
 * the places left; its preview (a confirmation) offers only 确认/取消. */
static void test_event_notice_buttons(void **state)
{
	struct fixture *fx = *state;
	bool err;

	fixture_exec(fx, "INSERT INTO subscriptions (alliance_id, platform, instance, chat_id, kind,"
	                 " created_at) VALUES (1, 'feishu', 'fs', 'oc_by_id', 'chat', 0)");
	say(fx, EVENT_FORM, FX_ORG, &err);
	assert_false(err);
	assert_true(fixture_has(fixture_actions(fx), "确认=确认 ") &&
	            !fixture_has(fixture_actions(fx), "报名"));
	long ev = publish(fx);
	char card[8192], want[64];

	fixture_text(fx, "SELECT payload FROM outbox WHERE destination = 'feishu|fs|chat|0|oc_by_id'",
	             card, sizeof card);
	assert_true(fixture_has(card, "\"msg_type\":\"interactive\""));
	assert_true(fixture_has(card, "**剩余名额**：2 人"));
	assert_false(fixture_has(card, "报名请私聊"));
	snprintf(want, sizeof want, "\\\"cmd\\\":\\\"报名 %ld\\\"", ev);
	assert_true(fixture_has(card, want));
	snprintf(want, sizeof want, "\\\"cmd\\\":\\\"取消报名 %ld\\\"", ev);
	assert_true(fixture_has(card, want));
	/* The card is the group's: a press must not replace it for everyone. */
	snprintf(want, sizeof want, "\\\"cmd\\\":\\\"报名 %ld\\\",\\\"card\\\":\\\"shared\\\"}", ev);
	assert_true(fixture_has(card, want));
	/* Pressing 报名 is typing it. */
	char sql[256];
	snprintf(sql, sizeof sql, "INSERT INTO sent_cards (event_id, platform, instance, handle,"
	                          " created_at) VALUES (%ld, 'feishu', 'fs', 'om_ev', 0)", ev);
	fixture_exec(fx, sql);
	snprintf(want, sizeof want, "报名 %ld", ev);
	say(fx, want, FX_CQO, &err);
	assert_false(err);
	assert_int_equal(fixture_int(fx, "SELECT count(*) FROM signups"
	                                 " WHERE status = 'confirmed'"),
	                 1);
	/* The card sent shows the place taken. */
	fixture_text(fx, "SELECT payload FROM outbox WHERE destination = 'feishu|fs|card|0|om_ev'",
	             card, sizeof card);
	assert_true(fixture_has(card, "**剩余名额**：1 人"));
	assert_true(fixture_has(card, want));
	/* Withdrawn: the place is back, in place of the update not yet sent. */
	snprintf(want, sizeof want, "取消报名 %ld", ev);
	say(fx, want, FX_CQO, &err);
	assert_false(err);
	assert_int_equal(fixture_int(fx, "SELECT count(*) FROM outbox"
	                                 " WHERE destination = 'feishu|fs|card|0|om_ev'"),
	                 1);
	fixture_text(fx, "SELECT payload FROM outbox WHERE destination = 'feishu|fs|card|0|om_ev'",
	             card, sizeof card);
	assert_true(fixture_has(card, "**剩余名额**：2 人"));
	/* Changed: the card shows the event as it is now. */
	snprintf(want, sizeof want, "活动 修改 %ld\n地点：新会场\n人数上限：5", ev);
	confirm(fx, say(fx, want, FX_ORG, &err), FX_ORG, &err);
	assert_false(err);
	fixture_text(fx, "SELECT payload FROM outbox WHERE destination = 'feishu|fs|card|0|om_ev'",
	             card, sizeof card);
	assert_true(fixture_has(card, "新会场"));
	assert_true(fixture_has(card, "**剩余名额**：5 人"));
	/* Cancelled: the card says so, and has no buttons left to press. */
	snprintf(want, sizeof want, "活动 取消 %ld", ev);
	confirm(fx, say(fx, want, FX_ORG, &err), FX_ORG, &err);
	assert_false(err);
	assert_int_equal(fixture_int(fx, "SELECT count(*) FROM outbox"
	                                 " WHERE destination = 'feishu|fs|card|0|om_ev'"),
	                 1);
	fixture_text(fx, "SELECT payload FROM outbox WHERE destination = 'feishu|fs|card|0|om_ev'",
	             card, sizeof card);
	assert_true(fixture_has(card, "【活动取消】"));
	assert_true(fixture_has(card, "update_multi"));
	assert_false(fixture_has(card, "cmd"));
}

#define T(f) cmocka_unit_test_setup_teardown(f, fixture_setup, fixture_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_alliance_list_by_role),
		T(test_alliance_create_by_admins_only),
		T(test_events_list_and_view),
		T(test_publish_needs_confirmation_by_the_same_person),
		T(test_signup_capacity_waitlist_and_deadline),
		T(test_subscribe_wecom_chat_by_id_refused),
		T(test_event_notice_buttons),
	};
	return cmocka_run_group_tests(tests, fixture_group_setup, fixture_group_teardown);
}
