/* 查询: the record card, search lists, scope (out of scope reads exactly like
 * missing), masking in groups, organizers' names-only view and the access
 * log of every full display. On the fixture registry (fixture.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "fixture.h"

#define PHONE "13800000001"
#define EMAIL "zhangsan@example.com"
#define BIRTH "1980-03-15"
#define ACCESS "SELECT count(*) FROM access_log"

static void assert_full(const char *text)
{
	assert_true(fixture_has(text, "记录号 2") && fixture_has(text, "张三"));
	assert_true(fixture_has(text, "手机：" PHONE) && fixture_has(text, "邮箱：" EMAIL));
	assert_true(fixture_has(text, "出生日期：" BIRTH) && fixture_has(text, "性别：男"));
}

static void assert_masked(const char *text)
{
	assert_true(fixture_has(text, "记录号 2") && fixture_has(text, "张三"));
	assert_true(fixture_has(text, "手机：138****0001"));
	assert_true(fixture_has(text, "邮箱：z***@example.com"));
	assert_true(fixture_has(text, "出生日期：1980 年") && fixture_has(text, "性别：男"));
	assert_false(fixture_has(text, PHONE) || fixture_has(text, EMAIL) ||
	             fixture_has(text, BIRTH));
}

static void assert_not_found(struct fixture *fx, const char *who, bool group, const char *term)
{
	char cmd[128], want[192];
	bool err;

	snprintf(cmd, sizeof cmd, "查询 %s", term);
	snprintf(want, sizeof want, "未找到与“%s”匹配的记录（或不在您的管辖范围内）。", term);
	const char *text = fixture_say_in(fx, who, group, cmd, &err);
	assert_false(err);
	assert_string_equal(text, want);
}

/* An access row by (user, person, record), all from chat-1 of generic. */
static int64_t access_rows(struct fixture *fx, const char *user, int person, int record)
{
	char sql[256];

	snprintf(sql, sizeof sql,
	         "SELECT count(*) FROM access_log WHERE actor_platform = 'generic'"
	         " AND actor_user = '%s' AND chat_id = 'chat-1' AND person_id = %d"
	         " AND appointment_id = %d", user, person, record);
	return fixture_int(fx, sql);
}

static void test_card_by_every_key(void **state)
{
	struct fixture *fx = *state;
	uint64_t before = fixture_digest(fx);
	const char *keys[] = {"查询 张三", "查询 2", "query 2"};

	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		const char *text = fixture_say(fx, FX_ADMIN, keys[i]);

		assert_true(fixture_has(text, "首席质量官备案记录 · 记录号 2\n"));
		assert_true(fixture_has(text, "企业：示例精密机械有限公司"));
		assert_true(fixture_has(text, "所在地区：兰山区（371302）"));
		assert_true(fixture_has(text, "任期：2023-07-05 至 2026-07-04"));
		assert_true(fixture_has(text, "状态：在任（剩余 19 天）"));
		assert_true(fixture_has(text, "2026 年培训学时：20.0 学时"));
		assert_true(fixture_has(text, "未结处理：无"));
	}
	/* The enterprise's records, its predecessor's too. */
	assert_string_equal(fixture_say(fx, FX_ADMIN, "查询 91371302DEM0000013"),
	                    "找到 2 条记录，请用记录号查询详情：\n"
	                    "1. 记录号 2　张三　示例精密机械有限公司　在任\n"
	                    "2. 记录号 1　孙八　示例精密机械有限公司　任期结束");
	const char *text = fixture_say(fx, FX_ADMIN, "查询 3");
	assert_true(fixture_has(text, "未结处理：警示（2026-06-05）示例：上年度继续教育学时未达到30学时"));
	/* Read-only: only the access log grew, one row per full card. */
	assert_true(fixture_digest(fx) == before);
	assert_int_equal(fixture_int(fx, ACCESS), 4);
	assert_int_equal(access_rows(fx, FX_ADMIN, 1, 2), 3);
}

/* The card lists every term (dates, document, evaluation), and for a
 * record no longer in force, when and why it ended. */
/* The last day of a term and a term run over, as a 市场监管局 writes them. */
static void test_card_term_today_and_over(void **state)
{
	struct fixture *fx = *state;
	const char *text;

	fixture_set_now("2026-07-04 09:00:00");
	text = fixture_say(fx, FX_ADMIN, "查询 2");
	assert_true(fixture_has(text, "状态：在任（今日届满）"));
	assert_false(fixture_has(text, "剩余 0 天"));
	fixture_set_now("2026-09-08 09:00:00");
	text = fixture_say(fx, FX_ADMIN, "查询 2");
	assert_true(fixture_has(text, "状态：任期已届满 66 天，尚未续聘或更换"));
	assert_false(fixture_has(text, "已过期"));
}

static void test_card_lists_terms_and_end(void **state)
{
	struct fixture *fx = *state;
	char ended[16], want[256];
	const char *text = fixture_say(fx, FX_CLERK_LS, "查询 2");

	assert_true(fixture_has(text, "历届任期：第 1 届 2023-07-05 至 2026-07-04，"
	                              "聘任文件 示例企聘字〔示例〕第2号，考核结果 未登记"));
	assert_false(fixture_has(text, "终止："));
	fixture_say(fx, FX_CLERK_LS, "续聘 2 - 示例企聘字〔2026〕第9号");
	fixture_say(fx, FX_CLERK_LS, "考核 2 合格");
	text = fixture_say(fx, FX_CLERK_LS, "查询 2");
	assert_true(fixture_has(text, "任期：2026-07-05 至 2029-07-04"));
	assert_true(fixture_has(text, "历届任期：第 1 届 2023-07-05 至 2026-07-04，"
	                              "聘任文件 示例企聘字〔示例〕第2号，考核结果 合格\n"
	                              "历届任期：第 2 届 2026-07-05 至 2029-07-04，"
	                              "聘任文件 示例企聘字〔2026〕第9号，考核结果 未登记"));
	/* Ended by its term (the demo's predecessor) and dismissed. */
	fixture_text(fx, "SELECT ended_on FROM appointments WHERE id = 1", ended, sizeof ended);
	snprintf(want, sizeof want, "终止：%s，原因：任期届满（示例）", ended);
	assert_true(fixture_has(fixture_say(fx, FX_CLERK_LS, "查询 1"), want));
	fixture_exec(fx, "UPDATE appointments SET status = 'dismissed', ended_on = '2026-06-10',"
	                 " end_reason = '个人原因' WHERE id = 3");
	text = fixture_say(fx, FX_ADMIN, "查询 3");
	assert_true(fixture_has(text, "状态：已解聘") &&
	            fixture_has(text, "终止：2026-06-10，原因：个人原因"));
}

/* The card shows what a clerk fills in on the 信息表; the long 工作简历 only
 * when asked for, and in a group chat not at all. */
static void test_card_form_fields_and_resume(void **state)
{
	struct fixture *fx = *state;
	const char *text = fixture_say(fx, FX_ADMIN, "查询 2");

	static const char *const lines[] = {
		"专业：机械工程", "质量工作年限：12 年", "职务：副总经理",
		"所属行业：C34（制造业）", "企业规模：中型", "企业员工数：320 人",
		"企业性质：有限责任公司", "主营业务/主要产品：数控机床零部件（示例）",
	};
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
		if (!fixture_has(text, lines[i]))
			fail_msg("\"%s\" not in:\n%s", lines[i], text);
	assert_false(fixture_has(text, "工作简历"));
	text = fixture_say(fx, FX_ADMIN, "查询 张三 简历");
	assert_true(fixture_has(text, "首席质量官备案记录 · 记录号 2\n"));
	assert_true(fixture_has(text, "工作简历：示例履历：本记录为演示数据，不对应真实人员。"));
	text = fixture_say(fx, FX_CQO, "query 2 resume");
	assert_true(fixture_has(text, "工作简历：示例履历"));
	bool err;
	text = fixture_say_in(fx, FX_ADMIN, true, "查询 2 简历", &err);
	assert_false(err);
	assert_true(fixture_has(text, "工作简历：请在私聊中查询"));
	assert_false(fixture_has(text, "示例履历"));
	/* An organizer sees names only, whatever is asked. */
	text = fixture_say(fx, FX_ORG, "查询 2 简历");
	assert_false(fixture_has(text, "工作简历") || fixture_has(text, "专业"));
	/* Anything else after the search term is a usage error. */
	text = fixture_say_in(fx, FX_ADMIN, false, "查询 2 履历", &err);
	assert_true(err && fixture_has(text, "用法：查询"));
}

static void test_search_lists_newest_first(void **state)
{
	struct fixture *fx = *state;
	const char *text = fixture_say(fx, FX_ADMIN, "查询 示例");

	assert_string_equal(text, "找到 4 条记录，请用记录号查询详情：\n"
	                          "1. 记录号 6　钱七　示例医药有限公司　在任\n"
	                          "2. 记录号 5　王五　示例电子科技有限公司　在任\n"
	                          "3. 记录号 2　张三　示例精密机械有限公司　在任\n"
	                          "4. 记录号 1　孙八　示例精密机械有限公司　任期结束");
	/* A list shows nobody's details: nothing is logged. */
	assert_int_equal(fixture_int(fx, ACCESS), 0);
}

/* A city clerk reaches the counties below; another city's clerk gets for
 * a record out of scope exactly what a missing one gets. */
static void test_scope_hides_like_missing(void **state)
{
	struct fixture *fx = *state;
	char out[1024], missing[1024];

	assert_true(fixture_has(fixture_say(fx, FX_CLERK_LY, "查询 张三"), "手机：" PHONE));
	assert_true(fixture_has(fixture_say(fx, FX_CLERK_SD, "查询 2"), "记录号 2"));
	assert_true(fixture_has(fixture_say(fx, FX_CLERK_XA, "查询 5"), "姓名：王五"));
	snprintf(out, sizeof out, "%s", fixture_say(fx, FX_CLERK_XA, "查询 2"));
	snprintf(missing, sizeof missing, "%s", fixture_say(fx, FX_CLERK_XA, "查询 99"));
	assert_string_equal(out, "未找到与“2”匹配的记录（或不在您的管辖范围内）。");
	assert_string_equal(missing, "未找到与“99”匹配的记录（或不在您的管辖范围内）。");
	/* The province clerk of 山东 does not see 西安. */
	assert_not_found(fx, FX_CLERK_SD, false, "王五");
	assert_not_found(fx, FX_CLERK_XA, false, "示例精密机械有限公司");
	assert_int_equal(access_rows(fx, FX_CLERK_XA, 1, 2), 0);
}

static void test_usage_and_guest(void **state)
{
	struct fixture *fx = *state;
	uint64_t before = fixture_digest(fx);
	bool err;
	const char *text = fixture_say_in(fx, FX_ADMIN, false, "查询", &err);

	assert_true(err);
	assert_string_equal(text, "用法：查询 <姓名|企业名|统一社会信用代码|记录号> [简历]");
	text = fixture_say_in(fx, FX_ADMIN, false, "查询 1 2", &err);
	assert_true(err && fixture_has(text, "用法：查询"));
	text = fixture_say_in(fx, FX_GUEST, false, "查询 张三", &err);
	assert_true(err);
	assert_string_equal(text, "您没有权限使用“查询”。\n"
	                          "您尚未绑定身份：首席质量官请发送“绑定 <绑定码>”，"
	                          "工作人员请联系管理员授权。");
	assert_true(fixture_digest(fx) == before);
}

/* Moved from tests/integration/test_privacy.py with every assertion. */
static void test_entitled_staff_and_self_see_full_in_private_masked_in_group(void **state)
{
	struct fixture *fx = *state;
	const char *senders[] = {FX_ADMIN, FX_CLERK_LS, FX_CLERK_LY, FX_CQO};
	const char *text = NULL;
	bool err;

	for (size_t i = 0; i < 4; i++) {
		text = fixture_say_in(fx, senders[i], false, "查询 张三", &err);
		assert_false(err);
		assert_full(text);
		text = fixture_say_in(fx, senders[i], true, "查询 张三", &err);
		assert_false(err);
		assert_masked(text);
	}
	/* The rest of the card is there in both. */
	assert_true(fixture_has(text, "示例精密机械有限公司") && fixture_has(text, "任期") &&
	            fixture_has(text, "学时"));
	/* One access row per private display, in order; none for the masked ones. */
	assert_int_equal(fixture_int(fx, ACCESS), 4);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(access_rows(fx, senders[i], 1, 2), 1);
	char order[128];
	fixture_text(fx, "SELECT group_concat(actor_user, ',') FROM"
	                 " (SELECT actor_user FROM access_log ORDER BY id)", order, sizeof order);
	assert_string_equal(order, "u-admin,clerk-ls,clerk-ly,cqo-zs");
}

static void test_out_of_scope_and_other_cqo_learn_nothing(void **state)
{
	struct fixture *fx = *state;
	const char *senders[] = {FX_CLERK_LZ, FX_CQO_LS};
	const char *terms[] = {"张三", "2", "91371302DEM0000013", "示例精密机械有限公司"};
	const char *text;

	for (size_t s = 0; s < 2; s++) {
		for (int group = 0; group < 2; group++) {
			for (size_t t = 0; t < 4; t++)
				assert_not_found(fx, senders[s], group, terms[t]);
			/* Exactly what a record that does not exist gets. */
			assert_not_found(fx, senders[s], group, "张三丰");
		}
	}
	/* 李四 is 李四's own and in 罗庄区's scope. */
	text = fixture_say(fx, FX_CQO_LS, "查询 李四");
	assert_true(fixture_has(text, "lisi@example.com"));
	text = fixture_say_in(fx, FX_CLERK_LZ, true, "查询 李四", NULL);
	assert_true(fixture_has(text, "l***@example.com") && !fixture_has(text, "13800000002"));
	assert_int_equal(fixture_int(fx, ACCESS), 1);
	assert_int_equal(access_rows(fx, FX_CQO_LS, 2, 3), 1);
}

static void test_organizer_sees_members_names_only(void **state)
{
	struct fixture *fx = *state;
	const char *hidden[] = {"手机", "邮箱", "出生日期", "性别", "138", "example.com", "1980",
	                        "统一社会信用代码", "职务"};
	const char *text;
	bool err;

	for (int group = 0; group < 2; group++) {
		text = fixture_say_in(fx, FX_ORG, group, "查询 张三", &err);
		assert_false(err);
		assert_true(fixture_has(text, "记录号 2"));
		assert_true(fixture_has(text, "姓名：张三") &&
		            fixture_has(text, "企业：示例精密机械有限公司"));
		for (size_t i = 0; i < sizeof hidden / sizeof hidden[0]; i++)
			assert_false(fixture_has(text, hidden[i]));
		/* Members only: 王五 (雁塔区) is not in the alliance. */
		assert_not_found(fx, FX_ORG, group, "王五");
		assert_not_found(fx, FX_ORG, group, "5");
	}
	/* A search listing only shows members. */
	text = fixture_say_in(fx, FX_ORG, false, "查询 示例", &err);
	assert_false(err);
	assert_true(fixture_has(text, "张三") && !fixture_has(text, "王五") &&
	            !fixture_has(text, "钱七"));
	text = fixture_say(fx, FX_ORG, "我是谁");
	assert_true(fixture_has(text, "示例市首席质量官联盟（演示）"));
	assert_int_equal(fixture_int(fx, ACCESS), 0);
}

static void test_guest_sees_nothing(void **state)
{
	struct fixture *fx = *state;
	bool err;

	for (int group = 0; group < 2; group++) {
		const char *text = fixture_say_in(fx, "stranger", group, "查询 张三", &err);

		assert_true(err && fixture_has(text, "您没有权限使用“查询”") &&
		            !fixture_has(text, "张三"));
	}
	assert_int_equal(fixture_int(fx, ACCESS), 0);
}

#define T(f) cmocka_unit_test_setup_teardown(f, fixture_setup, fixture_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_card_by_every_key),
		T(test_card_term_today_and_over),
		T(test_card_lists_terms_and_end),
		T(test_card_form_fields_and_resume),
		T(test_search_lists_newest_first),
		T(test_scope_hides_like_missing),
		T(test_usage_and_guest),
		T(test_entitled_staff_and_self_see_full_in_private_masked_in_group),
		T(test_out_of_scope_and_other_cqo_learn_nothing),
		T(test_organizer_sees_members_names_only),
		T(test_guest_sees_nothing),
	};
	return cmocka_run_group_tests(tests, fixture_group_setup, fixture_group_teardown);
}
