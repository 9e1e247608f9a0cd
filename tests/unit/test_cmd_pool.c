/* 人才库 on the fixture registry (fixture.h): who is in it (trained, not in
 * office, not removed or blacklisted), by scope; 查询 with masking; 加入
 * and 移出 with their audit rows; and appointment from the pool by 备案
 * with the same name and phone.
 *
 * Facts: today is 2026-06-15. 孙八 (person 6) held record 1 in 兰山区
 * 371302, ended; the demo records no 任职培训 for him, the tests add one.
 * 张三 (person 1) is trained and in office (record 2). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "fixture.h"
#include "../../lib/creditcode.h"

#define TRAIN_SUNBA "INSERT INTO trainings (appointment_id, person_id, kind, date, hours," \
	" certificate_no, created_at) VALUES (1, 6, '任职培训', '2022-05-10', 16, 'LY-2022-016', 0)"

static const char *say(struct fixture *fx, const char *who, const char *text, bool *err)
{
	return fixture_say_in(fx, who, false, text, err);
}

static void assert_has(const char *text, const char *want)
{
	if (!fixture_has(text, want))
		fail_msg("\"%s\" not in:\n%s", want, text);
}

static const char ADD_WANGFANG[] =
	"人才库 加入\n"
	"姓名：王芳\n"
	"手机：13900005555\n"
	"学历：本科\n"
	"职称：工程师\n"
	"职务：质量部部长\n"
	"所在地区：371302\n"
	"所在企业：示例精密机械有限公司\n"
	"培训日期：2026-03-01\n"
	"学时：24\n"
	"证书号：LY-2026-001";

static void test_pool_former_cqo_by_scope(void **state)
{
	struct fixture *fx = *state;
	bool err;

	const char *text = say(fx, FX_CLERK_LS, "人才库", &err);
	assert_true(!err);
	assert_has(text, "辖区内人才库暂无人员。");
	fixture_exec(fx, TRAIN_SUNBA);
	text = say(fx, FX_CLERK_LS, "人才库", &err);
	assert_true(!err);
	assert_has(text, "人才库（1 人）");
	assert_has(text, "编号 6　孙八　兰山区　任职培训 2022-05-10");
	/* 张三 is trained but in office. */
	assert_false(fixture_has(text, "张三"));
	text = say(fx, FX_CLERK_LY, "人才库 列表", &err);
	assert_has(text, "编号 6　孙八");
	text = say(fx, FX_CLERK_XA, "人才库", &err);
	assert_has(text, "辖区内人才库暂无人员。");
	assert_false(fixture_has(text, "孙八"));

	/* 查询: full in private (and logged), masked in a group, and "not
	 * found" alike outside the scope. */
	char phone[32];
	fixture_text(fx, "SELECT phone FROM people WHERE id = 6", phone, sizeof phone);
	int64_t logged = fixture_int(fx, "SELECT count(*) FROM access_log WHERE person_id = 6");
	text = say(fx, FX_CLERK_LS, "人才库 查询 孙八", &err);
	assert_true(!err);
	assert_has(text, "人才库 · 编号 6");
	assert_has(text, "任职培训：2022-05-10（证书号 LY-2022-016）");
	assert_has(text, "曾任记录号：1");
	assert_has(text, phone);
	assert_int_equal(fixture_int(fx, "SELECT count(*) FROM access_log WHERE person_id = 6"),
	                 logged + 1);
	text = fixture_say_in(fx, FX_CLERK_LS, true, "人才库 查询 6", &err);
	assert_true(!err);
	assert_has(text, "人才库 · 编号 6");
	assert_false(fixture_has(text, phone));
	text = say(fx, FX_CLERK_XA, "人才库 查询 6", &err);
	assert_true(err);
	assert_string_equal(text, "人才库中未找到“6”（或不在您的管辖范围内）。");
	text = say(fx, FX_CLERK_LS, "人才库 查询 张三", &err);
	assert_true(err);
	assert_string_equal(text, "人才库中未找到“张三”（或不在您的管辖范围内）。");

	/* Staff only. */
	for (const char *const *who = (const char *const[]){FX_CQO, FX_ORG, FX_GUEST, NULL}; *who;
	     who++) {
		text = say(fx, *who, "人才库", &err);
		assert_true(err && !fixture_has(text, "孙八"));
	}
}

/* Removed or blacklisted people are out of the pool. */
static void test_pool_excludes_barred(void **state)
{
	struct fixture *fx = *state;
	bool err;

	fixture_exec(fx, TRAIN_SUNBA);
	fixture_exec(fx, "INSERT INTO sanctions (appointment_id, kind, reason, issued_on,"
	                 " created_at) VALUES (1, '黑名单', '示例', '2026-06-01', 0)");
	const char *text = say(fx, FX_CLERK_LS, "人才库", &err);
	assert_has(text, "辖区内人才库暂无人员。");
	fixture_exec(fx, "UPDATE sanctions SET status = 'revoked', revoked_at = 1"
	                 " WHERE kind = '黑名单'");
	text = say(fx, FX_CLERK_LS, "人才库", &err);
	assert_has(text, "编号 6　孙八");
}

static void test_pool_add_and_file_from_it(void **state)
{
	struct fixture *fx = *state;
	char form[1024], code[19];
	bool err;

	const char *text = say(fx, FX_CLERK_LS, ADD_WANGFANG, &err);
	assert_true(!err);
	assert_has(text, "已纳入人才库 · 编号 ");
	assert_has(text, "任职培训：2026-03-01（证书号 LY-2026-001）");
	int64_t id = fixture_int(fx, "SELECT id FROM people WHERE name = '王芳'");
	assert_int_equal(fixture_int(fx, "SELECT count(*) FROM trainings WHERE person_id ="
	                                 " (SELECT id FROM people WHERE name = '王芳')"
	                                 " AND kind = '任职培训' AND appointment_id IS NULL"
	                                 " AND hours = 24"), 1);
	assert_int_equal(fixture_int(fx, "SELECT count(*) FROM audit_log"
	                                 " WHERE entity = 'talent_pool'"), 1);
	text = say(fx, FX_CLERK_LS, "人才库", &err);
	char want[96];
	snprintf(want, sizeof want, "编号 %lld　王芳　兰山区　任职培训 2026-03-01　示例精密机械有限公司",
	         (long long)id);
	assert_has(text, want);
	/* Once is enough. */
	text = say(fx, FX_CLERK_LS, ADD_WANGFANG, &err);
	assert_true(err);
	assert_has(text, "王芳 已在人才库中");
	/* Another region cannot enter someone in 兰山区, nor see her. */
	text = say(fx, FX_CLERK_XA, ADD_WANGFANG, &err);
	assert_true(err);
	assert_has(text, "所在地区 371302 不存在或不在您的管辖范围内。");
	text = say(fx, FX_CLERK_XA, "人才库 查询 王芳", &err);
	assert_true(err);
	/* Bad values are named, nothing is written. */
	int64_t audits = fixture_int(fx, "SELECT count(*) FROM audit_log");
	text = say(fx, FX_CLERK_LS, "人才库 加入\n姓名：韩梅\n手机：123\n所在地区：371302\n"
	                            "培训日期：2026-07-01\n学时：8", &err);
	assert_true(err);
	assert_has(text, "手机：");
	assert_has(text, "培训日期：培训日期不能晚于今天");
	assert_int_equal(fixture_int(fx, "SELECT count(*) FROM audit_log"), audits);
	/* A CQO in office is not entered. */
	char phone[32], add[512];
	fixture_text(fx, "SELECT phone FROM people WHERE id = 1", phone, sizeof phone);
	snprintf(add, sizeof add, "人才库 加入\n姓名：张三\n手机：%s\n所在地区：371302\n"
	         "培训日期：2026-03-01\n学时：8", phone);
	text = say(fx, FX_CLERK_LS, add, &err);
	assert_true(err);
	assert_has(text, "张三 是在任首席质量官，不纳入人才库。");
	assert_int_equal(fixture_int(fx, "SELECT count(*) FROM audit_log"), audits);

	/* Appointed from the pool: 备案 with her name and phone reuses her,
	 * her 任职培训 counts, and she leaves the list. */
	snprintf(code, sizeof code, "91371302TE0000006");
	code[17] = creditcode_check_char(code);
	code[18] = '\0';
	snprintf(form, sizeof form, "备案\n姓名：王芳\n手机：13900005555\n学历：本科\n"
	         "质量工作年限：5\n企业名称：测试精工有限公司\n统一社会信用代码：%s\n"
	         "所在地区：371302\n聘任文件号：测聘〔2026〕9号\n聘任日期：2026-06-01", code);
	text = say(fx, FX_CLERK_LS, form, &err);
	assert_true(!err);
	assert_has(text, "备案成功");
	assert_has(text, "已关联已有人员档案");
	assert_int_equal(fixture_int(fx, "SELECT count(*) FROM people WHERE name = '王芳'"), 1);
	assert_int_equal(fixture_int(fx, "SELECT person_id FROM appointments"
	                                 " WHERE doc_no = '测聘〔2026〕9号'"), id);
	text = say(fx, FX_CLERK_LS, "人才库", &err);
	assert_false(fixture_has(text, "王芳"));
	text = say(fx, FX_CLERK_LS, "未培训", &err);
	/* Listed for this year's hours only: her 任职培训 counts. */
	assert_has(text, "王芳　测试精工有限公司　兰山区　本年学时 0.0/30.0");
	assert_false(fixture_has(text, "未参加任职培训"));
}

static void test_pool_remove(void **state)
{
	struct fixture *fx = *state;
	char phone[32], add[512];
	bool err;

	fixture_exec(fx, TRAIN_SUNBA);
	const char *text = say(fx, FX_CLERK_XA, "人才库 移出 6 已调离", &err);
	assert_true(err);
	assert_string_equal(text, "人才库中未找到“6”（或不在您的管辖范围内）。");
	text = say(fx, FX_CLERK_LS, "人才库 移出 6", &err);
	assert_true(err);
	assert_has(text, "用法：人才库 移出 <编号> <原因>");
	text = say(fx, FX_CLERK_LS, "人才库 移出 6 已调离本市", &err);
	assert_true(!err);
	assert_string_equal(text, "编号 6：孙八 已移出人才库，原因：已调离本市。");
	text = say(fx, FX_CLERK_LS, "人才库", &err);
	assert_has(text, "辖区内人才库暂无人员。");
	assert_int_equal(fixture_int(fx, "SELECT count(*) FROM audit_log WHERE entity ="
	                                 " 'talent_pool' AND entity_id = 6 AND record_id = 1"), 1);
	/* His records keep their state; 审计 of record 1 tells of it. */
	text = say(fx, FX_CLERK_LS, "审计 1", &err);
	assert_has(text, "人才库");
	/* Entered again, he is back. */
	fixture_text(fx, "SELECT phone FROM people WHERE id = 6", phone, sizeof phone);
	snprintf(add, sizeof add, "人才库 加入\n姓名：孙八\n手机：%s\n所在地区：371302\n"
	         "培训日期：2022-05-10\n学时：16", phone);
	text = say(fx, FX_CLERK_LS, add, &err);
	assert_true(!err);
	assert_has(text, "已纳入人才库 · 编号 6");
	assert_has(text, "已关联已有人员档案");
	/* The same day's 任职培训 is not recorded twice. */
	assert_int_equal(fixture_int(fx, "SELECT count(*) FROM trainings WHERE person_id = 6"
	                                 " AND kind = '任职培训'"), 1);
	text = say(fx, FX_CLERK_LS, "人才库", &err);
	assert_has(text, "编号 6　孙八");
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, fixture_setup, fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(test_pool_former_cqo_by_scope),
		T(test_pool_excludes_barred),
		T(test_pool_add_and_file_from_it),
		T(test_pool_remove),
	};
	return cmocka_run_group_tests(tests, fixture_group_setup, fixture_group_teardown);
}
