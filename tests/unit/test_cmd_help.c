/* 帮助 and 我是谁: the command list filtered by role, a command's own help,
 * suggestions for an unknown word, and who the asker is. On the fixture
 * registry (fixture.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>

#include "fixture.h"

#define HELP_TITLE "首席质量官助手 · 可用命令\n"
#define HELP_FOOT "发送“帮助 命令”查看某个命令的详细用法"
#define LINE_QUERY "查询 <姓名|企业名|统一社会信用代码|记录号> [简历] — 查询首席质量官备案记录"

static void test_guest_sees_only_what_a_guest_may_do(void **state)
{
	struct fixture *fx = *state;

	assert_string_equal(fixture_say(fx, FX_GUEST, "help"),
	                    HELP_TITLE
	                    "帮助 [命令] — 列出可用命令，或查看某个命令的用法\n"
	                    "我是谁 — 查看您的身份与角色\n"
	                    "绑定 <绑定码> — 首席质量官或企业联系人用市场监管部门提供的绑定码绑定身份\n"
	                    "下一页 — 查看上一个列表的下一页\n"
	                    HELP_FOOT);
	/* Commands the asker may not run are not even named. */
	assert_string_equal(fixture_say(fx, FX_GUEST, "帮助 查询"),
	                    "未知命令\n没有“查询”这个命令\n发送“帮助”查看全部可用命令");
}

static void test_each_role_gets_its_own_list(void **state)
{
	struct fixture *fx = *state;
	const char *text = fixture_say(fx, FX_ADMIN, "帮助");

	assert_true(fixture_has(text, HELP_TITLE) && fixture_has(text, HELP_FOOT));
	assert_true(fixture_has(text, LINE_QUERY));
	assert_true(fixture_has(text, "\n撤销 <处理号> [说明] — 撤销一项处理"));
	assert_true(fixture_has(text, "\n目标 <地区> <类别> <年份> [聘任率|培训率|新备案] <目标值>"));
	assert_true(fixture_has(text, "\n队列 — 查看待发送消息的队列"));
	assert_false(fixture_has(text, "\n我的 —"));

	text = fixture_say(fx, FX_CLERK_LS, "帮助");
	assert_true(fixture_has(text, "\n培训 <记录号>") && fixture_has(text, "\n除名 <记录号>") &&
	            fixture_has(text, "\n荣誉 <记录号>") && fixture_has(text, "\n收到 —"));
	assert_false(fixture_has(text, "\n撤销 <处理号>") || fixture_has(text, "\n目标 <") ||
	             fixture_has(text, "\n队列 —") || fixture_has(text, "\n通知 <联盟>"));

	text = fixture_say(fx, FX_CQO, "帮助");
	assert_true(fixture_has(text, "\n我的 — 查看本人任期、年度培训学时、未结处理与荣誉"));
	assert_true(fixture_has(text, "\n报名 <活动编号>") && fixture_has(text, "\n解绑 —"));
	assert_false(fixture_has(text, "\n培训 <记录号>") || fixture_has(text, "\n授权 <") ||
	             fixture_has(text, "\n到期 ["));

	text = fixture_say(fx, FX_ORG, "帮助");
	assert_true(fixture_has(text, "\n通知 <联盟> <正文>") && fixture_has(text, "\n报名名单 <"));
	assert_false(fixture_has(text, "\n报名 <") || fixture_has(text, "\n培训 <"));
}

static void test_help_for_one_command(void **state)
{
	struct fixture *fx = *state;

	assert_string_equal(fixture_say(fx, FX_ADMIN, "帮助 查询"),
	                    "命令：查询\n"
	                    "用法：查询 <姓名|企业名|统一社会信用代码|记录号> [简历]\n"
	                    "说明：查询首席质量官备案记录\n"
	                    "别名：query、find\n"
	                    "可用角色：管理员、工作人员、组织者、首席质量官、企业联系人");
	assert_string_equal(fixture_say(fx, FX_ADMIN, "帮助 查讯"),
	                    "未知命令\n没有“查讯”这个命令\n您是不是要找：\n" LINE_QUERY);
}

static void test_unknown_words_get_suggestions(void **state)
{
	struct fixture *fx = *state;
	uint64_t before = fixture_digest(fx);
	bool err;

	const char *text = fixture_say_in(fx, FX_ADMIN, false, "querry 张三", &err);
	assert_true(err);
	assert_string_equal(text, "没有“querry”这个命令\n您是不是要找：\n" LINE_QUERY
	                          "\n队列 — 查看待发送消息的队列：积压、最早到期、投递失败");
	text = fixture_say_in(fx, FX_ADMIN, false, "xyz", &err);
	assert_true(err);
	assert_string_equal(text, "没有“xyz”这个命令\n发送“帮助”查看全部可用命令");
	/* Only what the asker may run is suggested. */
	assert_true(fixture_has(fixture_say(fx, FX_ADMIN, "queu"), "您是不是要找：\n队列 — "));
	assert_string_equal(fixture_say(fx, FX_CQO, "queu"),
	                    "没有“queu”这个命令\n您是不是要找：\n" LINE_QUERY);
	/* A command named exactly, but not the asker's: refused by name. */
	assert_string_equal(fixture_say(fx, FX_CQO, "queue"), "您没有权限使用“队列”。");
	assert_true(fixture_digest(fx) == before);
}

static void test_whoami(void **state)
{
	struct fixture *fx = *state;
	uint64_t before = fixture_digest(fx);

	assert_string_equal(fixture_say(fx, FX_CLERK_LY, "我是谁"),
	                    "您的身份\n平台：generic:test\n组织：test\n"
	                    "用户：测试用户（clerk-ly）\n会话：私聊\n角色：工作人员\n"
	                    "管辖范围：临沂市（3713）");
	assert_true(fixture_has(fixture_say(fx, FX_ADMIN, "whoami"),
	                        "角色：管理员\n管辖范围：全部地区"));
	assert_true(fixture_has(fixture_say(fx, FX_CQO, "我是谁"),
	                        "角色：首席质量官\n绑定记录：张三（记录号 2）"));
	assert_true(fixture_has(fixture_say(fx, FX_GUEST, "我是谁"),
	                        "角色：访客\n您尚未绑定身份：首席质量官请发送“绑定 <绑定码>”，"
	                        "工作人员请联系管理员授权。"));
	assert_true(fixture_digest(fx) == before);
}

/* Moved from tests/integration/test_daemon.py with every assertion. */
static void test_guest_cannot_query_but_gets_help(void **state)
{
	struct fixture *fx = *state;
	bool err;
	const char *text = fixture_say_in(fx, "stranger", false, "查询 张三", &err);

	assert_true(err && !fixture_has(text, "张三"));
	text = fixture_say(fx, "stranger", "help");
	assert_true(fixture_has(text, "帮助") && !fixture_has(text, "查询"));
	text = fixture_say(fx, "stranger", "whoami");
	assert_true(fixture_has(text, "访客"));
}

/* Moved from tests/integration/test_daemon.py with every assertion. */
static void test_unknown_command_suggests(void **state)
{
	struct fixture *fx = *state;
	const char *text = fixture_say(fx, FX_ADMIN, "查讯 张三");

	assert_true(fixture_has(text, "您是不是要找") && fixture_has(text, "查询"));
}

/* A Chinese command word glued to its first argument runs the command, the
 * longest word winning (取消报名1 is 取消报名, not 取消 with "报名1"). */
static void test_command_word_glued_to_its_argument(void **state)
{
	struct fixture *fx = *state;
	char spaced[4096];
	bool err;

	snprintf(spaced, sizeof spaced, "%s", fixture_say(fx, FX_ADMIN, "查询 张三"));
	assert_true(fixture_has(spaced, "张三"));
	assert_string_equal(fixture_say(fx, FX_ADMIN, "查询张三"), spaced);
	assert_string_equal(fixture_say(fx, FX_ADMIN, "@cqod 查询张三"), spaced);
	assert_string_equal(fixture_say(fx, FX_CQO, "取消报名1"), "您没有报名活动 1。");
	assert_true(fixture_has(fixture_say(fx, FX_CQO, "报名名单1"),
	                        "您没有权限使用“报名名单”。"));
	assert_true(fixture_has(fixture_say(fx, FX_ADMIN, "联盟列表"), "示例市首席质量官联盟（演示）"));
	assert_true(fixture_has(fixture_say(fx, FX_ADMIN, "帮助查询"), "用法：查询 <姓名"));
	/* English aliases are words of their own. */
	assert_true(fixture_has(fixture_say_in(fx, FX_ADMIN, false, "query张三", &err),
	                        "没有“query张三”这个命令") && err);
	/* A mistyped word glued to its argument still gets the suggestion. */
	const char *text = fixture_say_in(fx, FX_ADMIN, false, "查讯张三", &err);
	assert_true(err);
	assert_string_equal(text, "没有“查讯张三”这个命令\n您是不是要找：\n" LINE_QUERY);
}

#define T(f) cmocka_unit_test_setup_teardown(f, fixture_setup, fixture_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_guest_sees_only_what_a_guest_may_do),
		T(test_each_role_gets_its_own_list),
		T(test_help_for_one_command),
		T(test_unknown_words_get_suggestions),
		T(test_whoami),
		T(test_guest_cannot_query_but_gets_help),
		T(test_unknown_command_suggests),
		T(test_command_word_glued_to_its_argument),
	};
	return cmocka_run_group_tests(tests, fixture_group_setup, fixture_group_teardown);
}
