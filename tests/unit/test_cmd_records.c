/* Trainings, sanctions, honours and 我的 on the fixture registry
 * (fixture.h): success, every validation error, every role, masking, the
 * confirmation of 除名/黑名单 (confirm, cancel, another person, expiry) and
 * 撤销 restoring a removed record. Moved from tests/integration/
 * test_records.py with every assertion (the console test stays there).
 *
 * Facts: today is 2026-06-15. 张三 (person 1) holds record 2 in 兰山区
 * 371302, term 2023-07-05 .. 2026-07-04, 20 training hours this year
 * (12 + 8), 任职培训 on 2023-04-11. 李四 (person 2) holds record 3 in 罗庄区
 * 371311 with an open 警示 (处理号 1, 未完成继续教育). 孙八 (person 6) held
 * record 1, ended. Alliance 1 is the organizer's. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "../../lib/calendar.h"
#include "../../lib/clock.h"
#include "../../lib/remind.h"
#include "../../store/store_remind.h"
#include "../../handlers/remind_text.h"
#include "../../lib/reply.h"

#define PHONE "13800000001"
#define EMAIL "zhangsan@example.com"
#define GROUNDS "事由须以下列之一开头"

/* What a refused command must leave untouched. */
#define COUNTS "SELECT (SELECT count(*) FROM trainings) || ',' ||" \
	" (SELECT count(*) FROM sanctions) || ',' || (SELECT count(*) FROM honours) || ',' ||" \
	" (SELECT count(*) FROM audit_log) || ',' ||" \
	" (SELECT group_concat(status) FROM appointments) || ',' ||" \
	" (SELECT group_concat(status) FROM sanctions)"

struct counts {
	char v[256];
};

static struct counts counts(struct fixture *fx)
{
	struct counts c;

	fixture_text(fx, COUNTS, c.v, sizeof c.v);
	return c;
}

static void assert_counts(struct fixture *fx, const struct counts *before)
{
	struct counts now = counts(fx);

	assert_string_equal(now.v, before->v);
}

static const char *say(struct fixture *fx, const char *text, const char *who, bool *err)
{
	return fixture_say_in(fx, who, false, text, err);
}

static void assert_usage(const char *text, bool err, const char *usage_start,
                         const char *const *reasons)
{
	char want[128];

	snprintf(want, sizeof want, "用法：%s", usage_start);
	assert_true(err);
	if (!fixture_has(text, want))
		fail_msg("\"%s\" not in:\n%s", want, text);
	for (; reasons && *reasons; reasons++) {
		if (!fixture_has(text, *reasons))
			fail_msg("\"%s\" not in:\n%s", *reasons, text);
	}
}

static void assert_denied(struct fixture *fx, const char *text, const char *sender,
                          const char *name)
{
	char want[96];
	bool err;
	const char *out = say(fx, text, sender, &err);

	snprintf(want, sizeof want, "您没有权限使用“%s”。", name);
	assert_true(err && fixture_has(out, want));
	assert_false(fixture_has(out, "张三"));
}

static void assert_not_found(const char *text, bool err, const char *record)
{
	char want[128];

	snprintf(want, sizeof want, "未找到记录号 %s，或该记录不在您的管辖范围内。", record);
	assert_true(err);
	assert_string_equal(text, want);
}

/* The six digits after "确认 " in text. */
static const char *confirm_code(const char *text, char code[7])
{
	for (const char *p = strstr(text, "确认 "); p; p = strstr(p + 1, "确认 ")) {
		const char *d = p + strlen("确认 ");
		size_t n = strspn(d, "0123456789");

		if (n == 6) {
			memcpy(code, d, 6);
			code[6] = '\0';
			return code;
		}
	}
	fail_msg("no confirmation code in:\n%s", text);
	return NULL;
}

/* Confirms the code text asked for, as `who`. */
static const char *confirm(struct fixture *fx, const char *text, const char *who, bool *err)
{
	char code[7], cmd[32];

	snprintf(cmd, sizeof cmd, "确认 %s", confirm_code(text, code));
	return say(fx, cmd, who, err);
}

/* head, unit n times, tail into buf. */
static const char *repeated(char *buf, size_t len, const char *head, const char *unit, int n,
                            const char *tail)
{
	size_t at = (size_t)snprintf(buf, len, "%s", head);

	for (int i = 0; i < n && at < len; i++)
		at += (size_t)snprintf(buf + at, len - at, "%s", unit);
	if (at < len)
		snprintf(buf + at, len - at, "%s", tail);
	return buf;
}

static void assert_query(struct fixture *fx, const char *sql, const char *want)
{
	char got[2048];

	fixture_text(fx, sql, got, sizeof got);
	assert_string_equal(got, want);
}

/* ---- 培训 ---- */

static void test_training_success_hours_and_audit(void **state)
{
	struct fixture *fx = *state;
	bool err;
	const char *text = say(fx, "培训 2 继续教育 2026-06-01 6 证书A 示例学院 省级 高级",
	                       FX_CLERK_LS, &err);

	assert_false(err);
	assert_true(fixture_has(text, "已登记培训 · 记录号 2") &&
	            fixture_has(text, "张三（示例精密机械有限公司）"));
	assert_true(fixture_has(text, "继续教育，2026-06-01，6.0 学时") &&
	            fixture_has(text, "证书号：证书A"));
	assert_true(fixture_has(text, "培训机构：示例学院") && fixture_has(text, "级别：省级") &&
	            fixture_has(text, "层次：高级"));
	assert_true(fixture_has(text, "2026 年累计：26.0 学时，年度要求 30.0 学时，还差 4.0 学时"));
	/* Alias, another date form, skipped optional arguments, admin. */
	text = say(fx, "train 2 线上自学 2026年6月2日 4.5 - - 市", FX_ADMIN, &err);
	assert_true(!err && fixture_has(text, "30.5 学时，已达到年度要求 30.0 学时"));
	/* A city clerk reaches a county below. */
	text = say(fx, "培训 3 任职培训 2026-06-10 16", FX_CLERK_LY, &err);
	/* Appointment training is recorded but is not annual hours (issue 15). */
	assert_true(!err && fixture_has(text, "李四") && fixture_has(text, "任职培训，2026-06-10，16.0 学时"));
	assert_true(fixture_has(text, "6.0 学时，年度要求 30.0 学时，还差 24.0 学时（计入：继续教育、线上自学）"));
	assert_query(fx, "SELECT group_concat(r, ';') FROM (SELECT kind || '|' || date || '|' ||"
	                 " printf('%.1f', hours) || '|' || coalesce(certificate_no, 'NULL') || '|' ||"
	                 " coalesce(institution, 'NULL') || '|' || coalesce(level, 'NULL') || '|' ||"
	                 " coalesce(tier, 'NULL') AS r FROM trainings WHERE appointment_id = 2"
	                 " AND date >= '2026-06-01' ORDER BY id)",
	             "继续教育|2026-06-01|6.0|证书A|示例学院|省|高级;"
	             "线上自学|2026-06-02|4.5|NULL|NULL|市|NULL");
	assert_query(fx, "SELECT group_concat(r, ';') FROM (SELECT actor_platform || '|' ||"
	                 " actor_user || '|' || chat_id || '|' || command || '|' || entity AS r"
	                 " FROM audit_log WHERE record_id = 2 AND actor_platform <> 'cqoctl'"
	                 " ORDER BY id)",
	             "generic|clerk-ls|chat-1|培训|training;generic|u-admin|chat-1|培训|training");
}

/* The annual hours follow the region's policy (issue 15): Shaanxi counts
 * online self-study only, Shandong's demo policy continuing education and
 * online study; a region whose policy sets no quota shows none. 查询 and
 * 我的 say the same. */
static void test_training_hours_follow_the_policy(void **state)
{
	struct fixture *fx = *state;
	bool err;

	/* 王五 (雁塔区) has 32 h of 线上自学: continuing education adds nothing. */
	const char *text = say(fx, "培训 5 继续教育 2026-06-01 10", FX_CLERK_XA, &err);
	assert_false(err);
	assert_true(fixture_has(text, "2026 年累计：32.0 学时，已达到年度要求 30.0 学时（计入：线上自学）"));
	text = say(fx, "查询 5", FX_CLERK_XA, &err);
	assert_true(!err && fixture_has(text, "2026 年培训学时：32.0 学时，已达到年度要求 30.0 学时（计入：线上自学）"));
	text = say(fx, "查询 2", FX_CLERK_LS, &err);
	assert_true(fixture_has(text, "2026 年培训学时：20.0 学时，年度要求 30.0 学时，还差 10.0 学时（计入：继续教育、线上自学）"));
	/* Shandong sets no quota: nothing owed, anywhere. */
	fixture_exec(fx, "DELETE FROM policies WHERE region_code = '37'");
	text = say(fx, "培训 2 线上自学 2026-06-02 2", FX_CLERK_LS, &err);
	assert_true(!err && fixture_has(text, "2026 年累计：22.0 学时（本地无年度学时要求）"));
	text = say(fx, "我的", FX_CQO, &err);
	assert_true(fixture_has(text, "2026 年培训学时：22.0 学时（本地无年度学时要求）"));
	/* Pro rata: 张三 appointed 2026-06-01 owes 30 x 7 / 12 = 17.5, so 18 h. */
	fixture_exec(fx, "INSERT INTO policies (region_code, annual_hours, hours_prorate)"
	                 " VALUES ('37', 30, 1); UPDATE appointments SET start_date = '2026-06-01'"
	                 " WHERE id = 2");
	text = say(fx, "查询 2", FX_CLERK_LS, &err);
	assert_true(fixture_has(text, "22.0 学时，已达到年度要求 18.0 学时"));
}

static void test_training_validation_errors_change_nothing(void **state)
{
	struct fixture *fx = *state;
	char cert[256], inst[256];

	repeated(cert, sizeof cert, "培训 2 继续教育 2026-06-01 6 ", "证", 65, "");
	repeated(inst, sizeof inst, "培训 2 继续教育 2026-06-01 6 - ", "机", 65, "");
	const struct {
		const char *cmd;
		const char *reasons[5];
	} cases[] = {
		{"培训 2 外出考察 2026-06-01 6", {"培训类型“外出考察”无效，应为：任职培训、继续教育、线上自学"}},
		{"培训 2 继续教育 2026-06-16 6", {"培训日期不能晚于今天（2026-06-15）"}},
		{"培训 2 继续教育 2026-13-01 6", {"日期不存在"}},
		{"培训 2 继续教育 2026-6 6", {"日期格式不正确"}},
		{"培训 2 继续教育 2026-02-30 6", {"日期不存在"}},
		{"培训 2 继续教育 昨天 6", {"日期格式不正确"}},
		{"培训 2 继续教育 2026-06-01 0", {"学时应为大于 0"}},
		{"培训 2 继续教育 2026-06-01 1.25", {"学时应为大于 0"}},
		{"培训 2 继续教育 2026-06-01 1001", {"学时应为大于 0"}},
		/* More than 200 hours in one entry is a slip, said plainly. */
		{"培训 2 继续教育 2026-06-01 200.5", {"单次培训 200.5 学时不合常理，请核对后重新登记"}},
		{"培训 2 继续教育 2026-06-01 六", {"学时应为大于 0"}},
		{"培训 2 继续教育 2026-06-01 6 - - 乡", {"级别“乡”无效"}},
		{"培训 2 继续教育 2026-06-01 6 - - 省 初级", {"层次“初级”无效"}},
		{cert, {"证书号不能超过 64 个字"}},
		{inst, {"培训机构不能超过 64 个字"}},
		{"培训 abc 继续教育 2026-06-01 6", {"记录号应为正整数"}},
		{"培训 2 继续教育 2026-06-01", {NULL}},
		{"培训 2 继续教育 2026-06-01 6 a b 省 高级 多余", {NULL}},
		/* Every problem is reported, not just the first. */
		{"培训 x 考察 2026-06-31 -1", {"记录号应为正整数", "培训类型“考察”无效", "日期不存在",
		                              "学时应为大于 0"}},
	};
	struct counts before = counts(fx);
	bool err;
	const char *text;

	fixture_log_start(fx);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		text = say(fx, cases[i].cmd, FX_CLERK_LS, &err);
		assert_usage(text, err, "培训 <记录号>", cases[i].reasons);
	}
	text = say(fx, "培训 99 继续教育 2026-06-01 6", FX_CLERK_LS, &err);
	assert_not_found(text, err, "99");
	/* 孙八's record has ended. */
	text = say(fx, "培训 1 继续教育 2026-06-01 6", FX_CLERK_LS, &err);
	assert_true(err && fixture_has(text, "记录号 1 当前状态为“任期结束”，不能办理培训"));
	assert_counts(fx, &before);
	assert_true(fixture_has(fixture_log(fx), "ran 培训 (usage"));
}

static void test_training_roles(void **state)
{
	struct fixture *fx = *state;
	struct counts before = counts(fx);
	const char *senders[] = {FX_ORG, FX_CQO, "stranger"};
	bool err;
	const char *text = say(fx, "培训 2 继续教育 2026-06-01 6", FX_CLERK_LZ, &err);

	/* Out of scope reads exactly like a missing record. */
	assert_not_found(text, err, "2");
	text = say(fx, "培训 99 继续教育 2026-06-01 6", FX_CLERK_LZ, &err);
	assert_not_found(text, err, "99");
	for (size_t i = 0; i < 3; i++)
		assert_denied(fx, "培训 2 继续教育 2026-06-01 6", senders[i], "培训");
	assert_counts(fx, &before);
	text = fixture_say(fx, FX_CLERK_LS, "帮助");
	assert_true(fixture_has(text, "培训") && fixture_has(text, "除名") &&
	            fixture_has(text, "荣誉") && !fixture_has(text, "撤销 <处理号>"));
	text = fixture_say(fx, FX_CQO, "帮助");
	assert_true(fixture_has(text, "我的") && !fixture_has(text, "培训 <记录号>"));
}

/* ---- sanctions ---- */

static void test_sanctions_issue_with_ground_and_details(void **state)
{
	struct fixture *fx = *state;
	bool err;
	const char *text = say(fx, "警示 2 违法违规，未按期整改质量问题", FX_CLERK_LS, &err);

	assert_true(!err && fixture_has(text, "已作出警示 · 处理号 3"));
	assert_true(fixture_has(text, "事由：违法违规，未按期整改质量问题") &&
	            fixture_has(text, "日期：2026-06-15"));
	text = say(fx, "warn 2 虚假报告", FX_ADMIN, &err);
	assert_true(!err && fixture_has(text, "已作出警示 · 处理号 4") &&
	            fixture_has(text, "事由：虚假报告"));
	/* The time as a date and a time token, and as one quoted token. */
	text = say(fx, "约谈 2 2026-06-20 14:30 三楼会议室 知情不报 隐瞒重大质量风险", FX_CLERK_LS, &err);
	assert_true(!err && fixture_has(text, "已安排约谈 · 处理号 5"));
	assert_true(fixture_has(text, "约谈时间：2026-06-20 14:30") &&
	            fixture_has(text, "约谈地点：三楼会议室"));
	text = say(fx, "summon 3 \"2026年6月21日 09:05\" 会议室 拖延缓报", FX_CLERK_LY, &err);
	assert_true(!err && fixture_has(text, "约谈时间：2026-06-21 09:05"));
	text = say(fx, "建议解聘 2 重大质量事故：致使产品召回", FX_CLERK_LS, &err);
	assert_true(!err && fixture_has(text, "已向企业提出建议解聘 · 处理号 7"));
	text = say(fx, "advise-dismissal 2 未完成继续教育", FX_ADMIN, &err);
	assert_true(!err && fixture_has(text, "建议解聘"));
	/* scheduled_at: unix seconds of the China Standard Time given. */
	assert_query(fx, "SELECT group_concat(r, ';') FROM (SELECT id || '|' || appointment_id"
	                 " || '|' || kind || '|' || ground || '|' || coalesce(reason, 'NULL') || '|'"
	                 " || issued_on || '|' || coalesce(datetime(scheduled_at, 'unixepoch',"
	                 " '+8 hours'), 'NULL') || '|' || coalesce(place, 'NULL') || '|' || status"
	                 " || '|' || created_by AS r FROM sanctions WHERE id >= 3 ORDER BY id)",
	             "3|2|警示|违法违规|未按期整改质量问题|2026-06-15|NULL|NULL|open|generic:clerk-ls;"
	             "4|2|警示|虚假报告|NULL|2026-06-15|NULL|NULL|open|generic:u-admin;"
	             "5|2|约谈|知情不报|隐瞒重大质量风险|2026-06-15|2026-06-20 14:30:00|三楼会议室|open|"
	             "generic:clerk-ls;"
	             "6|3|约谈|拖延缓报|NULL|2026-06-15|2026-06-21 09:05:00|会议室|open|"
	             "generic:clerk-ly;"
	             "7|2|建议解聘|重大质量事故|致使产品召回|2026-06-15|NULL|NULL|open|generic:clerk-ls;"
	             "8|2|建议解聘|未完成继续教育|NULL|2026-06-15|NULL|NULL|open|generic:u-admin");
	/* Nothing of this takes the CQO out of the pool. */
	assert_query(fx, "SELECT status FROM appointments WHERE id = 2", "active");
	assert_int_equal(fixture_int(fx, "SELECT count(*) FROM audit_log WHERE entity = 'sanction'"
	                                 " AND record_id = 2 AND after_json IS NOT NULL"),
	                 5);
}

static void test_sanction_validation_errors_change_nothing(void **state)
{
	struct fixture *fx = *state;
	char detail[512], place[512];

	repeated(detail, sizeof detail, "警示 2 违法违规 ", "详", 81, "");
	repeated(place, sizeof place, "约谈 2 2026-06-20 14:30 ", "室", 65, " 违法违规");
	const struct {
		const char *cmd, *usage;
		const char *reasons[2];
	} cases[] = {
		{"警示 2", "警示 <记录号>", {GROUNDS}},
		{"警示 2 其他原因", "警示 <记录号>", {GROUNDS}},
		{"除名 2 严重违规", "除名 <记录号>", {GROUNDS}},
		{"黑名单 2 质量事故", "黑名单 <记录号>", {GROUNDS}},
		{"建议解聘 2", "建议解聘 <记录号>", {GROUNDS}},
		{detail, "警示 <记录号>", {"事由说明不能超过 80 个字"}},
		{"警示 二 违法违规", "警示 <记录号>", {"记录号应为正整数"}},
		{"警示", "警示 <记录号>", {NULL}},
		{"约谈 2 明天 会议室 违法违规", "约谈 <记录号>", {"时间格式不正确"}},
		{"约谈 2 2026-06-20 会议室 违法违规", "约谈 <记录号>", {"时间格式不正确"}},
		{"约谈 2 2026-06-20 25:00 会议室 违法违规", "约谈 <记录号>", {"时间格式不正确"}},
		{"约谈 2 2026-06-14 09:00 会议室 违法违规", "约谈 <记录号>", {"约谈时间应晚于当前时间"}},
		{"约谈 2 2026-06-20 14:30 会议室", "约谈 <记录号>", {GROUNDS}},
		{"约谈 2 2026-06-20 14:30", "约谈 <记录号>", {NULL}},
		{"约谈 2", "约谈 <记录号>", {NULL}},
		{"约谈", "约谈 <记录号>", {NULL}},
		{"summon 2 2026-06-20", "约谈 <记录号>", {"时间格式不正确"}},
		{place, "约谈 <记录号>", {"约谈地点不能超过 64 个字"}},
	};
	const char *missing[] = {"警示 99 违法违规", "除名 99 违法违规",
	                         "约谈 99 2026-06-20 14:30 会议室 违法违规"};
	struct counts before = counts(fx);
	bool err;
	const char *text;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		text = say(fx, cases[i].cmd, FX_CLERK_LS, &err);
		assert_usage(text, err, cases[i].usage, cases[i].reasons);
		assert_false(fixture_has(text, "确认"));
	}
	for (size_t i = 0; i < 3; i++) {
		text = say(fx, missing[i], FX_CLERK_LS, &err);
		assert_not_found(text, err, "99");
	}
	/* Not in force: nothing but 黑名单 applies. */
	text = say(fx, "警示 1 违法违规", FX_CLERK_LS, &err);
	assert_true(err && fixture_has(text, "记录号 1 当前状态为“任期结束”，不能办理警示"));
	assert_counts(fx, &before);
}

/* The rectification reminders due on `day` (sanction ids, comma
 * separated, into buf), as the sweep collects them. */
static void rectify_due(struct fixture *fx, const char *day, char *buf, size_t len)
{
	struct calendar cal = {0};
	struct remind_items items = {0};
	struct store_remind_span sp = {.now = clock_now(), .cal = &cal};
	size_t used = 0;

	assert_int_equal(clock_parse_date(day, &sp.from), 0);
	sp.to = sp.from;
	assert_int_equal(store_remind_collect(fx->st, &sp, &items), 0);
	buf[0] = '\0';
	for (size_t i = 0; i < items.n; i++) {
		if (items.v[i].rule == REMIND_RECTIFY)
			used += (size_t)snprintf(buf + used, len - used, "%s%lld", used ? "," : "",
			                         (long long)items.v[i].record_id);
	}
	remind_items_free(&items);
}

/* 约谈 for 其他 with its description, and a 整改期限 for 约谈 and 警示 in
 * every written form: stored, shown, in the notice, and reminded the
 * working day before. */
static void test_summon_other_and_rectify_deadline(void **state)
{
	struct fixture *fx = *state;
	bool err;
	char due[64];
	const char *text = say(fx, "约谈 2 2026-06-20 14:30 三楼会议室 其他 未按要求报送质量分析报告"
	                           " 整改期限 2026-06-30", FX_CLERK_LS, &err);

	assert_true(!err && fixture_has(text, "已安排约谈 · 处理号 3"));
	assert_true(fixture_has(text, "事由：其他，未按要求报送质量分析报告") &&
	            fixture_has(text, "整改期限：2026-06-30"));
	text = say(fx, "警示 2 违法违规，未按期整改质量问题 整改期限：2026年7月3日", FX_CLERK_LS, &err);
	assert_true(!err && fixture_has(text, "处理号 4") && fixture_has(text, "整改期限：2026-07-03"));
	text = say(fx, "warn 3 虚假报告 整改期限2026-07-03", FX_ADMIN, &err);
	assert_true(!err && fixture_has(text, "处理号 5") && fixture_has(text, "整改期限：2026-07-03"));
	text = say(fx, "约谈 3 2026-06-22 09:00 会议室 其他：质量月活动未参加", FX_CLERK_LY, &err);
	assert_true(!err && fixture_has(text, "处理号 6") && !fixture_has(text, "整改期限"));
	assert_query(fx, "SELECT group_concat(r, ';') FROM (SELECT id || '|' || kind || '|' || ground"
	                 " || '|' || coalesce(reason, 'NULL') || '|' || coalesce(rectify_by, 'NULL')"
	                 " AS r FROM sanctions WHERE id >= 3 ORDER BY id)",
	             "3|约谈|其他|未按要求报送质量分析报告|2026-06-30;"
	             "4|警示|违法违规|未按期整改质量问题|2026-07-03;"
	             "5|警示|虚假报告|NULL|2026-07-03;"
	             "6|约谈|其他|质量月活动未参加|NULL");
	/* The audit row and the CQO's notice carry the deadline. */
	assert_int_equal(fixture_int(fx, "SELECT count(*) FROM audit_log WHERE entity = 'sanction'"
	                                 " AND after_json LIKE '%\"rectify_by\":\"2026-06-30\"%'"), 1);
	struct reply notice;
	reply_init(&notice);
	assert_int_equal(remind_text_notice(fx->st, 3, &notice), 0);
	char *notice_text = reply_render_text(&notice);
	assert_true(fixture_has(notice_text, "（记录号 2），事由：其他，未按要求报送质量分析报告") &&
	            fixture_has(notice_text, "请于 2026-06-30 前完成整改。"));
	free(notice_text);
	reply_free(&notice);
	/* Reminded the day before: 2026-06-29 (Monday) for 06-30; 07-03 is a
	 * Friday, so 07-02. */
	rectify_due(fx, "2026-06-29", due, sizeof due);
	assert_string_equal(due, "3");
	rectify_due(fx, "2026-07-02", due, sizeof due);
	assert_string_equal(due, "4,5");
}

/* What 其他 and 整改期限 refuse, changing nothing. */
static void test_summon_other_and_rectify_errors(void **state)
{
	struct fixture *fx = *state;
	const struct {
		const char *cmd, *usage, *reason;
	} cases[] = {
		{"约谈 2 2026-06-20 14:30 会议室 其他", "约谈 <记录号>", "事由为“其他”时须写明具体情况"},
		{"约谈 2 2026-06-20 14:30 会议室 其他：", "约谈 <记录号>", "事由为“其他”时须写明具体情况"},
		{"约谈 2 2026-06-20 14:30 会议室 其他原因", "约谈 <记录号>",
		 "其他事由请写“其他 <具体情况>”"},
		{"约谈 2 2026-06-20 14:30 会议室 整改期限 2026-06-30", "约谈 <记录号>",
		 "其他事由请写“其他 <具体情况>”"},
		{"警示 2 其他 未按要求报送", "警示 <记录号>", GROUNDS},
		{"警示 2 违法违规 整改期限 2026-06-15", "警示 <记录号>", "整改期限应晚于今天"},
		{"警示 2 违法违规 整改期限 下月底", "警示 <记录号>", "整改期限：日期格式不正确"},
		{"警示 2 违法违规 整改期限", "警示 <记录号>", "整改期限：日期格式不正确"},
		{"警示 2 违法违规 整改期限:2026-02-30", "警示 <记录号>", "整改期限：日期不存在"},
		{"警示 2 整改期限 2026-07-01", "警示 <记录号>", GROUNDS},
	};
	struct counts before = counts(fx);
	bool err;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *reasons[] = {cases[i].reason, NULL};
		const char *text = say(fx, cases[i].cmd, FX_CLERK_LS, &err);

		assert_usage(text, err, cases[i].usage, reasons);
	}
	/* Other measures take neither: the words are part of their 事由. */
	const char *text = say(fx, "建议解聘 2 其他 另有安排", FX_CLERK_LS, &err);
	assert_usage(text, err, "建议解聘 <记录号>", (const char *const[]){GROUNDS, NULL});
	assert_counts(fx, &before);
}

static void test_sanction_roles(void **state)
{
	struct fixture *fx = *state;
	static const struct {
		const char *cmd, *name;
	} commands[] = {
		{"约谈 2 2026-06-20 14:30 会议室 违法违规", "约谈"}, {"警示 2 违法违规", "警示"},
		{"除名 2 违法违规", "除名"}, {"黑名单 2 违法违规", "黑名单"},
		{"建议解聘 2 违法违规", "建议解聘"},
	};
	const char *senders[] = {FX_ORG, FX_CQO, "stranger"};
	struct counts before = counts(fx);
	bool err;

	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		const char *out = say(fx, commands[i].cmd, FX_CLERK_LZ, &err);

		assert_not_found(out, err, "2");
		for (size_t s = 0; s < 3; s++)
			assert_denied(fx, commands[i].cmd, senders[s], commands[i].name);
	}
	assert_counts(fx, &before);
}

/* The confirmation offers 确认 <码> and 取消 as buttons, and still says
 * what to type; pressing 取消 is typing it. */
static void test_confirmation_buttons(void **state)
{
	struct fixture *fx = *state;
	char asked[1024], code[7], want[64];
	bool err;
	const char *text = say(fx, "除名 2 违法违规 伪造检验报告", FX_CLERK_LS, &err);

	assert_false(err);
	snprintf(asked, sizeof asked, "%s", text);
	snprintf(want, sizeof want, "确认=确认 %s\n取消=取消", confirm_code(asked, code));
	assert_string_equal(fixture_actions(fx), want);
	assert_true(fixture_has(asked, "请回复“确认 "));
	text = say(fx, "取消", FX_CLERK_LS, &err);
	assert_true(!err && fixture_has(text, "已取消"));
	assert_string_equal(fixture_actions(fx), "");
	text = confirm(fx, asked, FX_CLERK_LS, &err);
	assert_true(err && fixture_has(text, "没有待确认的操作"));
	assert_query(fx, "SELECT status FROM appointments WHERE id = 2", "active");
}

static void test_remove_needs_confirmation_from_the_same_person(void **state)
{
	struct fixture *fx = *state;
	struct counts before = counts(fx);
	char asked[1024];
	bool err;
	const char *text = say(fx, "除名 2 违法违规 伪造检验报告", FX_CLERK_LS, &err);

	assert_false(err);
	assert_true(fixture_has(text, "将对记录号 2 张三（示例精密机械有限公司）作出除名处理：备案状态改为“已除名”，"
	                              "移出首席质量官人才库。事由：违法违规，伪造检验报告"));
	assert_true(fixture_has(text, "10 分钟内有效"));
	snprintf(asked, sizeof asked, "%s", text);
	assert_counts(fx, &before);
	/* Someone else cannot confirm it. */
	text = confirm(fx, asked, FX_ADMIN, &err);
	assert_true(err && fixture_has(text, "没有待确认的操作"));
	assert_counts(fx, &before);
	text = confirm(fx, asked, FX_CLERK_LS, &err);
	assert_true(!err && fixture_has(text, "已作出除名决定 · 处理号 3"));
	assert_true(fixture_has(text, "备案状态：已除名，已移出人才库"));
	assert_query(fx, "SELECT status || ' ' || ended_on || ' ' || end_reason"
	                 " FROM appointments WHERE id = 2", "removed 2026-06-15 除名：违法违规");
	assert_query(fx, "SELECT kind || '|' || ground || '|' || reason || '|' || status"
	                 " FROM sanctions WHERE id = 3", "除名|违法违规|伪造检验报告|open");
	assert_query(fx, "SELECT group_concat(entity) FROM (SELECT entity FROM audit_log"
	                 " WHERE record_id = 2 AND actor_platform <> 'cqoctl' ORDER BY id)",
	             "sanction,appointment");
	/* Once only. */
	text = confirm(fx, asked, FX_CLERK_LS, &err);
	assert_true(err && fixture_has(text, "没有待确认的操作"));
	assert_int_equal(fixture_int(fx, "SELECT count(*) FROM sanctions WHERE kind = '除名'"), 1);
	/* A removed record takes no further 除名. */
	text = say(fx, "remove 2 违法违规", FX_CLERK_LS, &err);
	assert_true(err && fixture_has(text, "当前状态为“已除名”，不能办理除名"));
}

static void test_blacklist_cancel_and_expiry(void **state)
{
	struct fixture *fx = *state;
	struct counts before = counts(fx);
	char asked[1024];
	bool err;
	const char *text = say(fx, "黑名单 2 虚假报告", FX_CLERK_LS, &err);

	assert_true(!err && fixture_has(text, "将把记录号 2 张三（示例精密机械有限公司）列入黑名单"));
	assert_true(fixture_has(text, "移出首席质量官人才库"));
	snprintf(asked, sizeof asked, "%s", text);
	text = say(fx, "取消", FX_CLERK_LS, &err);
	assert_true(fixture_has(text, "已取消"));
	text = confirm(fx, asked, FX_CLERK_LS, &err);
	assert_true(err && fixture_has(text, "没有待确认的操作"));
	assert_counts(fx, &before);
	/* Asked again, then confirmed only after the 10 minutes have passed. */
	snprintf(asked, sizeof asked, "%s", say(fx, "blacklist 2 虚假报告", FX_CLERK_LS, &err));
	fixture_set_now(FIXTURE_TODAY " 10:11:00");
	text = confirm(fx, asked, FX_CLERK_LS, &err);
	assert_true(err && fixture_has(text, "没有待确认的操作"));
	assert_counts(fx, &before);
	/* Within the time it goes through; an ended record keeps its status. */
	text = say(fx, "黑名单 1 违法违规", FX_CLERK_LS, &err);
	assert_true(fixture_has(text, "备案状态（任期结束）不变"));
	snprintf(asked, sizeof asked, "%s", text);
	text = confirm(fx, asked, FX_CLERK_LS, &err);
	assert_true(!err && fixture_has(text, "已列入黑名单 · 处理号") && !fixture_has(text, "已除名"));
	assert_query(fx, "SELECT status FROM appointments WHERE id = 1", "ended");
}

/* A record removed by a 黑名单 reads 已列入黑名单 wherever its status is
 * shown; one removed by a 除名 reads 已除名. */
static void test_blacklisted_status_reads_blacklisted(void **state)
{
	struct fixture *fx = *state;
	char asked[1024];
	bool err;
	const char *text = say(fx, "黑名单 2 虚假报告", FX_CLERK_LS, &err);

	assert_true(!err && fixture_has(text, "备案状态改为“已列入黑名单”"));
	snprintf(asked, sizeof asked, "%s", text);
	text = confirm(fx, asked, FX_CLERK_LS, &err);
	assert_true(!err && fixture_has(text, "已列入黑名单 · 处理号 3"));
	assert_true(fixture_has(text, "备案状态：已列入黑名单，已移出人才库"));
	text = say(fx, "查询 2", FX_ADMIN, &err);
	assert_true(!err && fixture_has(text, "状态：已列入黑名单") && !fixture_has(text, "已除名"));
	text = say(fx, "查询 91371302DEM0000013", FX_ADMIN, &err);
	assert_true(!err && fixture_has(text, "记录号 2　张三　示例精密机械有限公司　已列入黑名单"));
	text = say(fx, "警示 2 违法违规", FX_ADMIN, &err);
	assert_true(err && fixture_has(text, "当前状态为“已列入黑名单”，不能办理警示"));
	text = say(fx, "我的", FX_CQO, &err);
	assert_true(fixture_has(text, "状态：已列入黑名单"));
	snprintf(asked, sizeof asked, "%s", say(fx, "除名 3 违法违规", FX_ADMIN, &err));
	text = confirm(fx, asked, FX_ADMIN, &err);
	assert_true(!err && fixture_has(text, "已作出除名决定 · 处理号 4") &&
	            fixture_has(text, "备案状态：已除名，已移出人才库"));
	text = say(fx, "查询 3", FX_ADMIN, &err);
	assert_true(!err && fixture_has(text, "状态：已除名"));
	/* Blacklisted after a 除名, it reads 已列入黑名单 from then on. */
	text = say(fx, "黑名单 3 违法违规", FX_ADMIN, &err);
	assert_true(!err && fixture_has(text, "备案状态改为“已列入黑名单”"));
	snprintf(asked, sizeof asked, "%s", text);
	text = confirm(fx, asked, FX_ADMIN, &err);
	assert_true(!err && fixture_has(text, "已列入黑名单 · 处理号 5"));
	text = say(fx, "查询 3", FX_ADMIN, &err);
	assert_true(!err && fixture_has(text, "状态：已列入黑名单"));
	/* Its 黑名单 revoked, the 除名 stands. */
	text = say(fx, "撤销 5", FX_ADMIN, &err);
	assert_true(!err && fixture_has(text, "状态保持“已除名”"));
	text = say(fx, "查询 3", FX_ADMIN, &err);
	assert_true(!err && fixture_has(text, "状态：已除名"));
}

static void test_revoke_restores_and_roles(void **state)
{
	struct fixture *fx = *state;
	const char *issue[] = {"除名 2 违法违规", "黑名单 2 知情不报"};
	const char *senders[] = {FX_CLERK_LS, FX_CLERK_LY, FX_ORG, FX_CQO, "stranger"};
	char long_note[512];

	repeated(long_note, sizeof long_note, "撤销 3 ", "说", 81, "");
	const struct {
		const char *cmd;
		const char *reasons[2];
	} bad[] = {
		{"撤销 abc", {"处理号应为正整数"}},
		{"撤销", {""}},
		{long_note, {"说明不能超过 80 个字"}},
	};
	char asked[1024];
	bool err;
	const char *text;

	for (size_t i = 0; i < 2; i++) {
		snprintf(asked, sizeof asked, "%s", say(fx, issue[i], FX_CLERK_LS, &err));
		confirm(fx, asked, FX_CLERK_LS, &err);
		assert_false(err);
	}
	assert_query(fx, "SELECT group_concat(r, ';') FROM (SELECT id || '|' || kind AS r"
	                 " FROM sanctions WHERE id >= 3 ORDER BY id)", "3|除名;4|黑名单");
	struct counts before = counts(fx);
	for (size_t i = 0; i < 5; i++)
		assert_denied(fx, "撤销 3", senders[i], "撤销");
	for (size_t i = 0; i < 3; i++) {
		text = say(fx, bad[i].cmd, FX_ADMIN, &err);
		assert_usage(text, err, "撤销 <处理号>", bad[i].reasons);
	}
	text = say(fx, "撤销 99", FX_ADMIN, &err);
	assert_true(err && fixture_has(text, "未找到处理号 99。"));
	assert_counts(fx, &before);

	text = say(fx, "撤销 3 复核后撤销", FX_ADMIN, &err);
	assert_true(!err && fixture_has(text, "已撤销处理号 3（除名，记录号 2）"));
	assert_true(fixture_has(text, "仍有其他除名或黑名单处理，状态保持“已列入黑名单”"));
	assert_query(fx, "SELECT status FROM appointments WHERE id = 2", "removed");
	text = say(fx, "revoke 4", FX_ADMIN, &err);
	assert_true(!err && fixture_has(text, "记录号 2 已恢复为“在任”"));
	assert_query(fx, "SELECT status || '|' || coalesce(ended_on, 'NULL') || '|' ||"
	                 " coalesce(end_reason, 'NULL') FROM appointments WHERE id = 2",
	             "active|NULL|NULL");
	assert_query(fx, "SELECT group_concat(r, ';') FROM (SELECT id || '|' || status || '|' ||"
	                 " revoked_by || '|' || (revoke_note IS NOT NULL) AS r FROM sanctions"
	                 " WHERE id IN (3, 4) ORDER BY id)",
	             "3|revoked|generic:u-admin|1;4|revoked|generic:u-admin|0");
	assert_query(fx, "SELECT revoke_note FROM sanctions WHERE id = 3", "复核后撤销");
	text = say(fx, "撤销 3", FX_ADMIN, &err);
	assert_true(err && fixture_has(text, "处理号 3 已撤销，无需重复操作"));
	/* A warning: revoked, nothing else to say. */
	text = say(fx, "撤销 1", FX_ADMIN, &err);
	assert_true(!err && fixture_has(text, "已撤销处理号 1（警示，记录号 3）") &&
	            !fixture_has(text, "恢复"));
	assert_query(fx, "SELECT group_concat(r, ';') FROM (SELECT command || '|' || entity AS r"
	                 " FROM audit_log WHERE record_id = 2 AND command IN ('撤销', 'revoke')"
	                 " ORDER BY id)",
	             "撤销|sanction;撤销|sanction;撤销|appointment");
}

/* ---- 荣誉 ---- */

static void test_honours(void **state)
{
	struct fixture *fx = *state;
	char long_name[512];

	repeated(long_name, sizeof long_name, "荣誉 2 ", "荣", 65, " 2026");
	const struct {
		const char *cmd;
		const char *reasons[2];
	} bad[] = {
		{"荣誉 2 优秀首席质量官 1999", {"年份应为 2000 到 2027 之间的整数"}},
		{"荣誉 2 优秀首席质量官 2028", {"年份应为 2000 到 2027"}},
		{"荣誉 2 优秀首席质量官 今年", {"年份应为"}},
		{"荣誉 2 \"\" 2026", {"荣誉名称不能为空"}},
		{long_name, {"荣誉名称不能超过 64 个字"}},
		{"荣誉 x 优秀首席质量官 2026", {"记录号应为正整数"}},
		{"荣誉 2 优秀首席质量官", {NULL}},
		{"荣誉 2 优秀 首席质量官 2026", {NULL}},
	};
	const char *senders[] = {FX_ORG, FX_CQO, "stranger"};
	bool err;
	const char *text = say(fx, "荣誉 2 优秀首席质量官 2026", FX_CLERK_LS, &err);

	assert_true(!err && fixture_has(text, "已登记荣誉 · 记录号 2") &&
	            fixture_has(text, "2026 年 优秀首席质量官"));
	text = say(fx, "honour 2 \"质量专家人才库 成员\" 2025", FX_ADMIN, &err);
	assert_true(!err && fixture_has(text, "2025 年 质量专家人才库 成员"));
	/* A past term's honour may be recorded too. */
	text = say(fx, "荣誉 1 市长质量奖个人奖 2021", FX_CLERK_LS, &err);
	assert_true(!err && fixture_has(text, "孙八"));
	assert_query(fx, "SELECT group_concat(r, ';') FROM (SELECT person_id || '|' ||"
	                 " appointment_id || '|' || name || '|' || year AS r FROM honours"
	                 " WHERE appointment_id IN (1, 2) ORDER BY id)",
	             "1|2|优秀首席质量官|2026;1|2|质量专家人才库 成员|2025;6|1|市长质量奖个人奖|2021");
	assert_int_equal(fixture_int(fx, "SELECT count(*) FROM audit_log WHERE entity = 'honour'"), 3);
	struct counts before = counts(fx);
	text = say(fx, "荣誉 2 优秀首席质量官 2026", FX_CLERK_LS, &err);
	assert_true(err && fixture_has(text, "张三已登记过 2026 年的“优秀首席质量官”"));
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		text = say(fx, bad[i].cmd, FX_CLERK_LS, &err);
		assert_usage(text, err, "荣誉 <记录号>", bad[i].reasons);
	}
	text = say(fx, "荣誉 99 优秀首席质量官 2026", FX_CLERK_LS, &err);
	assert_not_found(text, err, "99");
	text = say(fx, "荣誉 2 优秀首席质量官 2024", FX_CLERK_LZ, &err);
	assert_not_found(text, err, "2");
	for (size_t i = 0; i < 3; i++)
		assert_denied(fx, "荣誉 2 优秀首席质量官 2024", senders[i], "荣誉");
	assert_counts(fx, &before);
}

/* ---- 我的 ---- */

static void test_mine_for_each_cqo_and_masking(void **state)
{
	struct fixture *fx = *state;
	const char *senders[] = {FX_ADMIN, FX_CLERK_LS, FX_ORG, "stranger"};
	const char *no_reasons[] = {NULL};
	bool err;
	const char *text;

	for (int group = 0; group < 2; group++) {
		text = fixture_say_in(fx, FX_CQO, group, "我的", &err);
		assert_false(err);
		assert_true(fixture_has(text, "我的首席质量官档案 · 记录号 2") &&
		            fixture_has(text, "姓名：张三"));
		assert_true(fixture_has(text, "企业：示例精密机械有限公司"));
		assert_true(fixture_has(text, "任期：2023-07-05 至 2026-07-04") &&
		            fixture_has(text, "剩余：19 天"));
		assert_true(fixture_has(text, "2026 年培训学时：20.0 学时，年度要求 30.0 学时，还差 10.0 学时"));
		assert_true(fixture_has(text, "任职培训：已完成（2023-04-11）"));
		assert_true(fixture_has(text, "未结处理：无") && fixture_has(text, "荣誉：无"));
		/* Contact details are never part of it. */
		assert_false(fixture_has(text, PHONE) || fixture_has(text, EMAIL) ||
		             fixture_has(text, "138"));
	}
	fixture_say(fx, FX_CLERK_LS, "警示 2 未完成继续教育 上年度学时不足");
	fixture_say(fx, FX_CLERK_LS, "约谈 2 2026-06-20 14:30 三楼会议室 拖延缓报");
	fixture_say(fx, FX_CLERK_LS, "荣誉 2 优秀首席质量官 2025");
	fixture_say(fx, FX_CLERK_LS, "培训 2 继续教育 2026-06-01 10");
	text = fixture_say_in(fx, FX_CQO, true, "mine", &err);
	assert_false(err);
	assert_true(fixture_has(text, "30.0 学时，已达到年度要求 30.0 学时"));
	assert_true(fixture_has(text, "警示（2026-06-15，处理号 3）未完成继续教育，上年度学时不足"));
	assert_true(fixture_has(text, "约谈（2026-06-15，处理号 4）拖延缓报；约谈时间 2026-06-20 14:30，地点 三楼会议室"));
	assert_true(fixture_has(text, "荣誉：2025 年 优秀首席质量官"));
	/* 李四: the demo's open warning; no 任职培训 yet. */
	text = say(fx, "我的", FX_CQO_LS, &err);
	assert_true(fixture_has(text, "记录号 3") &&
	            fixture_has(text, "警示（2026-06-05，处理号 1）未完成继续教育，"));
	assert_true(fixture_has(text, "6.0 学时，年度要求 30.0 学时，还差 24.0 学时") &&
	            fixture_has(text, "任职培训：未登记"));
	/* 孙八's only record has ended. */
	text = say(fx, "我的", FX_CQO_SB, &err);
	assert_true(!err && fixture_has(text, "您目前没有在任的首席质量官备案记录。"));
	assert_true(fixture_has(text, "最近一条：记录号 1，示例精密机械有限公司，状态：任期结束"));
	text = say(fx, "我的 2", FX_CQO, &err);
	assert_usage(text, err, "我的", no_reasons);
	for (size_t i = 0; i < 4; i++)
		assert_denied(fx, "我的", senders[i], "我的");
}

static void test_mine_after_removal_and_term_over(void **state)
{
	struct fixture *fx = *state;
	char asked[1024];
	bool err;
	const char *text;

	fixture_set_now("2026-07-10 09:00:00");
	text = fixture_say(fx, FX_CQO, "我的");
	assert_true(fixture_has(text, "状态：任期已届满 6 天，尚未续聘或更换，请联系企业办理续聘"));
	snprintf(asked, sizeof asked, "%s", fixture_say(fx, FX_ADMIN, "除名 2 违法违规"));
	confirm(fx, asked, FX_ADMIN, &err);
	text = say(fx, "我的", FX_CQO, &err);
	assert_true(fixture_has(text, "您目前没有在任的首席质量官备案记录。") &&
	            fixture_has(text, "状态：已除名"));
}

/* 建议解聘 tells the clerk whether the enterprise got it: its contacts
 * reached, or 待送达 until one is bound (绑定码 企业); other kinds do not go
 * to the enterprise. */
static void test_advise_dismissal_enterprise_delivery(void **state)
{
	struct fixture *fx = *state;
	bool err;
	const char *text = say(fx, "建议解聘 2 违法违规", FX_CLERK_LS, &err);

	assert_false(err);
	assert_true(fixture_has(text, "\n送达企业：待送达：该企业尚未绑定企业联系人，"
	                              "请发送“绑定码 企业 2”签发绑定码并转交企业"));
	text = say(fx, "警示 2 违法违规", FX_CLERK_LS, &err);
	assert_true(!err && !fixture_has(text, "送达企业"));
	/* A contact on the generic adapter cannot be sent to: still waiting. */
	fixture_exec(fx, "INSERT INTO identities (platform, tenant, user_id, role, enterprise_id,"
	                 " instance, created_at, updated_at) SELECT 'generic', 'test', 'ent-zs',"
	                 " 'contact', enterprise_id, 'test', 1, 1 FROM appointments WHERE id = 2");
	text = say(fx, "建议解聘 2 未完成继续教育", FX_ADMIN, &err);
	assert_true(!err && fixture_has(text, "送达企业：待送达"));
	assert_int_equal(fixture_int(fx, "SELECT count(*) FROM reminder_ledger"
	                                 " WHERE rule = 'sanction_enterprise'"), 0);
}

#define T(f) cmocka_unit_test_setup_teardown(f, fixture_setup, fixture_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_training_success_hours_and_audit),
		T(test_training_validation_errors_change_nothing),
		T(test_training_hours_follow_the_policy),
		T(test_training_roles),
		T(test_sanctions_issue_with_ground_and_details),
		T(test_sanction_validation_errors_change_nothing),
		T(test_summon_other_and_rectify_deadline),
		T(test_summon_other_and_rectify_errors),
		T(test_sanction_roles),
		T(test_advise_dismissal_enterprise_delivery),
		T(test_remove_needs_confirmation_from_the_same_person),
		T(test_confirmation_buttons),
		T(test_blacklist_cancel_and_expiry),
		T(test_blacklisted_status_reads_blacklisted),
		T(test_revoke_restores_and_roles),
		T(test_honours),
		T(test_mine_for_each_cqo_and_masking),
		T(test_mine_after_removal_and_term_over),
	};
	return cmocka_run_group_tests(tests, fixture_group_setup, fixture_group_teardown);
}
