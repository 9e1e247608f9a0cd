/* 授权, 撤销授权 and 角色 on the fixture registry (fixture.h): who may grant
 * and revoke what, that every change is audited and every refusal changes
 * nothing, and that the last admin is never removed. Moved from
 * tests/integration/test_identity.py with every assertion (the console
 * test stays there).
 *
 * The moved tests were written for an admin, clerks of 兰山区 (371302),
 * 临沂市 (3713) and 雁塔区 (610113), an organizer of alliance 1 and 张三
 * (person 1) as cqo: staffed() leaves the fixture with just those. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "fixture.h"

#define USAGE_GRANT "用法：授权"
#define USAGE_REVOKE "用法：撤销授权"
/* Audit rows the chat wrote (the template's grants are cqoctl's). */
#define AUDITS "SELECT count(*) FROM audit_log WHERE actor_platform <> 'cqoctl'"

static void staffed(struct fixture *fx)
{
	fixture_exec(fx, "DELETE FROM identities WHERE user_id IN"
	                 " ('" FX_CLERK_SD "', '" FX_CLERK_LZ "', '" FX_CQO_LS "', '" FX_CQO_SB "')");
}

static const char *say(struct fixture *fx, const char *text, const char *sender, bool *err)
{
	return fixture_say_in(fx, sender, false, text, err);
}

/* The generic identity of user as "role|scope|alliance|person" (NULL for
 * what is not set), or "" when there is none. */
static const char *identity(struct fixture *fx, const char *user, char buf[128])
{
	char sql[384];

	snprintf(sql, sizeof sql,
	         "SELECT coalesce((SELECT role || '|' || coalesce(scope_region, 'NULL') || '|' ||"
	         " coalesce(alliance_id, 'NULL') || '|' || coalesce(person_id, 'NULL')"
	         " FROM identities WHERE platform = 'generic' AND user_id = '%s'), '')", user);
	fixture_text(fx, sql, buf, 128);
	return buf;
}

static void assert_identity(struct fixture *fx, const char *user, const char *want)
{
	char buf[128];

	assert_string_equal(identity(fx, user, buf), want);
}

/* The role alone ("" when none). */
static const char *role_of(struct fixture *fx, const char *user, char buf[128])
{
	identity(fx, user, buf);
	buf[strcspn(buf, "|")] = '\0';
	return buf;
}

/* The role is shown as 工作人员 and typed so; 办事员, a civil-service rank,
 * stays an input alias. */
static void test_clerk_role_named_staff(void **state)
{
	struct fixture *fx = *state;
	bool err;
	const char *text;

	staffed(fx);
	text = say(fx, "授权 @k5 工作人员 371311", FX_ADMIN, &err);
	assert_true(!err && fixture_has(text, "已将 k5 授权为工作人员：罗庄区（371311）。"));
	assert_identity(fx, "k5", "clerk|371311|NULL|NULL");
	text = say(fx, "授权 @k6 办事员 371302", FX_ADMIN, &err);
	assert_true(!err && fixture_has(text, "已将 k6 授权为工作人员：兰山区（371302）。"));
	assert_identity(fx, "k6", "clerk|371302|NULL|NULL");
	text = say(fx, "角色", FX_ADMIN, &err);
	assert_true(!err && fixture_has(text, "k6　工作人员　兰山区（371302）") &&
	            !fixture_has(text, "办事员"));
}

static void test_admin_grants_every_role(void **state)
{
	struct fixture *fx = *state;
	char buf[512];
	bool err;
	const char *text;

	staffed(fx);
	text = say(fx, "授权 @k1 办事员 371302", FX_ADMIN, &err);
	assert_true(!err && fixture_has(text, "已将 k1 授权为工作人员") &&
	            fixture_has(text, "兰山区（371302）"));
	assert_identity(fx, "k1", "clerk|371302|NULL|NULL");

	text = say(fx, "grant o1 organizer 示例市首席质量官联盟（演示）", FX_ADMIN, &err);
	assert_true(!err && fixture_has(text, "示例市首席质量官联盟（演示）"));
	say(fx, "授权 o2 组织者 1", FX_ADMIN, &err);
	assert_false(err);
	assert_identity(fx, "o1", "organizer|NULL|1|NULL");
	assert_identity(fx, "o2", "organizer|NULL|1|NULL");

	/* A CQO is named by their record number; the identity binds the person. */
	text = say(fx, "授权 @z1 首席质量官 2", FX_ADMIN, &err);
	assert_true(!err && fixture_has(text, "张三（记录号 2）"));
	assert_identity(fx, "z1", "cqo|NULL|NULL|1");

	text = say(fx, "授权 a2 admin", FX_ADMIN, &err);
	assert_true(!err && fixture_has(text, "管理员"));
	assert_string_equal(role_of(fx, "a2", buf), "admin");

	/* Re-granting replaces the role. */
	text = say(fx, "授权 k1 首席质量官 3", FX_ADMIN, &err);
	assert_true(!err && fixture_has(text, "李四"));
	assert_identity(fx, "k1", "cqo|NULL|NULL|2");

	/* Each change is audited with actor, chat and command, before and after. */
#define IDENTITY_AUDITS " FROM audit_log WHERE entity = 'identity' AND actor_platform <> 'cqoctl'"
	assert_int_equal(fixture_int(fx, "SELECT count(*)" IDENTITY_AUDITS), 6);
	assert_int_equal(fixture_int(fx, "SELECT count(*)" IDENTITY_AUDITS
	                                 " AND actor_platform = 'generic' AND actor_user = 'u-admin'"
	                                 " AND chat_id = 'chat-1'"),
	                 6);
	/* The first two were typed as 授权 and "grant": both are 授权. */
	fixture_text(fx, "SELECT group_concat(command) FROM (SELECT command" IDENTITY_AUDITS
	                 " ORDER BY id LIMIT 2)", buf, sizeof buf);
	assert_string_equal(buf, "授权,授权");
	fixture_text(fx, "SELECT coalesce(before_json, 'NULL') || ' ' || after_json" IDENTITY_AUDITS
	                 " ORDER BY id LIMIT 1", buf, sizeof buf);
	assert_true(strncmp(buf, "NULL ", 5) == 0 && fixture_has(buf, "\"scope_region\":\"371302\""));
	fixture_text(fx, "SELECT before_json" IDENTITY_AUDITS " ORDER BY id DESC LIMIT 1", buf,
	             sizeof buf);
	assert_true(fixture_has(buf, "\"role\":\"clerk\""));
	fixture_text(fx, "SELECT after_json" IDENTITY_AUDITS " ORDER BY id DESC LIMIT 1", buf,
	             sizeof buf);
	assert_true(fixture_has(buf, "\"role\":\"cqo\""));

	/* The new identities work at once. */
	text = fixture_say(fx, "o1", "我是谁");
	assert_true(fixture_has(text, "组织者") && fixture_has(text, "示例市首席质量官联盟（演示）"));
	text = fixture_say(fx, "z1", "whoami");
	assert_true(fixture_has(text, "首席质量官") && fixture_has(text, "张三（记录号 2）"));
}

static void test_grant_validation_errors_change_nothing(void **state)
{
	struct fixture *fx = *state;
	char long_user[256];
	static const struct {
		const char *cmd, *why;
	} cases[] = {
		{"授权", NULL},
		{"授权 k1", NULL},
		{"授权 k1 办事员 371302 多余", NULL},
		{"授权 @ 办事员 371302", "用户应写作 @用户ID 或用户ID"},
		{NULL, "用户应写作"},   /* a user id of 200 characters */
		{"授权 k1 国王", "未知角色“国王”"},
		{"授权 k1 访客", "未知角色“访客”"},
		{"授权 k1 管理员 37", "管理员角色不带范围"},
		{"授权 k1 办事员", "工作人员需要管辖地区代码"},
		{"授权 k1 办事员 37130", "地区代码应为 2、4 或 6 位数字"},
		{"授权 k1 办事员 兰山区", "地区代码应为 2、4 或 6 位数字"},
		{"授权 k1 办事员 999999", "地区代码 999999 不存在"},
		{"授权 k1 组织者", "组织者需要联盟名称或编号"},
		{"授权 k1 组织者 不存在的联盟", "没有名称或编号为“不存在的联盟”的联盟"},
		{"授权 k1 组织者 42", "没有名称或编号为“42”的联盟"},
		{"授权 k1 首席质量官", "首席质量官需要其备案记录号"},
		{"授权 k1 首席质量官 张三", "记录号应为正整数"},
		{"授权 k1 首席质量官 0", "记录号应为正整数"},
		{"授权 k1 首席质量官 999", "未找到记录号 999"},
	};
	uint64_t before;
	bool err;
	const char *text;

	staffed(fx);
	before = fixture_digest(fx);
	size_t at = (size_t)snprintf(long_user, sizeof long_user, "授权 ");
	memset(long_user + at, 'x', 200);
	snprintf(long_user + at + 200, sizeof long_user - at - 200, " 办事员 371302");
	fixture_log_start(fx);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		text = say(fx, cases[i].cmd ? cases[i].cmd : long_user, FX_ADMIN, &err);
		assert_true(err && fixture_has(text, USAGE_GRANT));
		if (cases[i].why && !fixture_has(text, cases[i].why))
			fail_msg("\"%s\" not in:\n%s", cases[i].why, text);
	}
	text = say(fx, "撤销授权", FX_ADMIN, &err);
	assert_true(err && fixture_has(text, USAGE_REVOKE));
	text = say(fx, "撤销授权 @", FX_ADMIN, &err);
	assert_true(err && fixture_has(text, "用户应写作") && fixture_has(text, USAGE_REVOKE));
	assert_true(fixture_digest(fx) == before);
	assert_int_equal(fixture_int(fx, AUDITS), 0);
	/* Bad input is logged at info without the values typed. */
	const char *log = fixture_log(fx);
	assert_true(fixture_has(log, "ran 授权 (usage") && !fixture_has(log, "不存在的联盟") &&
	            !fixture_has(log, "国王"));
}

static void test_clerk_grants_clerks_inside_own_scope_only(void **state)
{
	struct fixture *fx = *state;
	static const struct {
		const char *sender, *cmd;
	} refused[] = {
		{FX_CLERK_LY, "授权 k3 办事员 37"},           /* wider than own scope */
		{FX_CLERK_LY, "授权 k3 办事员 610113"},       /* another province */
		{FX_CLERK_LS, "授权 k3 办事员 3713"},         /* county clerk: not the city */
		{FX_CLERK_LS, "授权 k3 办事员 371311"},       /* county clerk: not a neighbour */
		{FX_CLERK_LY, "授权 k3 管理员"},
		{FX_CLERK_LY, "授权 k3 组织者 1"},
		{FX_CLERK_LY, "授权 k3 首席质量官 2"},
		{FX_CLERK_LY, "授权 u-admin 办事员 3713"},    /* would demote an admin */
		{FX_CLERK_LY, "授权 clerk-xa 办事员 3713"},   /* a clerk outside the scope */
		{FX_CLERK_LY, "授权 org 办事员 3713"},        /* an organizer */
		{FX_CLERK_LY, "授权 cqo-zs 办事员 3713"},     /* a cqo */
	};
	char buf[128];
	bool err;
	const char *text;

	staffed(fx);
	/* The city clerk may grant a county clerk of the city, and re-scope
	 * them inside the city. */
	say(fx, "授权 k1 办事员 371302", FX_CLERK_LY, &err);
	assert_false(err);
	say(fx, "授权 k1 办事员 371311", FX_CLERK_LY, &err);
	assert_false(err);
	assert_identity(fx, "k1", "clerk|371311|NULL|NULL");
	say(fx, "授权 k2 办事员 3713", FX_CLERK_LY, &err);
	assert_false(err);
	int64_t n = fixture_int(fx, AUDITS);
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		text = say(fx, refused[i].cmd, refused[i].sender, &err);
		assert_true(err && fixture_has(text, "工作人员只能在本人管辖范围"));
	}
	assert_identity(fx, "k3", "");
	assert_string_equal(role_of(fx, FX_ADMIN, buf), "admin");
	assert_identity(fx, FX_CLERK_XA, "clerk|610113|NULL|NULL");
	assert_string_equal(role_of(fx, FX_ORG, buf), "organizer");
	assert_string_equal(role_of(fx, FX_CQO, buf), "cqo");
	assert_int_equal(fixture_int(fx, AUDITS), n);
	/* A county clerk inside their own county is fine. */
	say(fx, "授权 k4 办事员 371302", FX_CLERK_LS, &err);
	assert_false(err);
}

static void test_revoke_matrix(void **state)
{
	struct fixture *fx = *state;
	static const struct {
		const char *sender, *user;
	} refused[] = {
		{FX_CLERK_LS, "k2"}, {FX_CLERK_LS, FX_CLERK_LY}, {FX_CLERK_LS, FX_ADMIN},
		{FX_CLERK_LY, FX_CLERK_XA}, {FX_CLERK_LY, FX_ORG}, {FX_CLERK_LY, FX_CQO},
		{FX_CLERK_LY, "nobody"},
	};
	static const struct {
		const char *user, *role;
	} revoked[] = {{FX_ORG, "组织者"}, {FX_CQO, "首席质量官"}, {FX_CLERK_XA, "工作人员"}};
	char cmd[64], want[96];
	bool err;
	const char *text;

	staffed(fx);
	fixture_say(fx, FX_ADMIN, "授权 k1 办事员 371302");
	fixture_say(fx, FX_ADMIN, "授权 k2 办事员 371311");
	/* Clerks revoke clerks inside their scope only. */
	text = say(fx, "撤销授权 @k1", FX_CLERK_LS, &err);
	assert_true(!err && fixture_has(text, "已撤销 k1 的工作人员角色"));
	assert_identity(fx, "k1", "");
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		snprintf(cmd, sizeof cmd, "撤销授权 %s", refused[i].user);
		text = say(fx, cmd, refused[i].sender, &err);
		assert_true(err && fixture_has(text, "工作人员只能在本人管辖范围"));
	}
	assert_int_equal(fixture_int(fx, "SELECT count(*) FROM identities WHERE user_id = 'k2'"), 1);
	assert_int_equal(fixture_int(fx, "SELECT count(*) FROM identities WHERE user_id = 'clerk-ly'"),
	                 1);
	say(fx, "revoke-role k2", FX_CLERK_LY, &err);
	assert_false(err);
	assert_identity(fx, "k2", "");
	/* Admins revoke anyone but themselves. */
	for (size_t i = 0; i < 3; i++) {
		snprintf(cmd, sizeof cmd, "撤销授权 %s", revoked[i].user);
		snprintf(want, sizeof want, "已撤销 %s 的%s角色", revoked[i].user, revoked[i].role);
		text = say(fx, cmd, FX_ADMIN, &err);
		assert_true(!err && fixture_has(text, want));
		assert_identity(fx, revoked[i].user, "");
	}
	text = say(fx, "撤销授权 nobody", FX_ADMIN, &err);
	assert_true(err && fixture_has(text, "用户 nobody 没有任何授权"));
	/* The revoked are guests now. */
	text = say(fx, "查询 张三", FX_CQO, &err);
	assert_true(err && fixture_has(text, "您没有权限"));
#define REVOKES " FROM audit_log WHERE before_json IS NOT NULL AND after_json IS NULL"
	assert_int_equal(fixture_int(fx, "SELECT count(*)" REVOKES), 5);
	assert_int_equal(fixture_int(fx, "SELECT count(*)" REVOKES " AND command <> '撤销授权'"), 0);
}

static void test_other_roles_may_not_manage_identities(void **state)
{
	struct fixture *fx = *state;
	const char *senders[] = {FX_ORG, FX_CQO, "stranger"};
	const char *cmds[] = {"授权 k1 办事员 371302", "撤销授权 clerk-ls", "角色", "审计 2"};
	bool err;
	const char *text;

	staffed(fx);
	for (size_t s = 0; s < 3; s++) {
		for (size_t c = 0; c < 4; c++) {
			text = say(fx, cmds[c], senders[s], &err);
			assert_true(err && fixture_has(text, "您没有权限使用"));
		}
		text = fixture_say(fx, senders[s], "帮助");
		assert_false(fixture_has(text, "授权 <") || fixture_has(text, "角色 — ") ||
		             fixture_has(text, "审计 <"));
	}
	assert_identity(fx, "k1", "");
	assert_int_equal(fixture_int(fx, "SELECT count(*) FROM identities WHERE user_id = 'clerk-ls'"),
	                 1);
	assert_int_equal(fixture_int(fx, AUDITS), 0);
	text = fixture_say(fx, FX_ADMIN, "帮助");
	assert_true(fixture_has(text, "授权 <") && fixture_has(text, "撤销授权 <") &&
	            fixture_has(text, "角色 — ") && fixture_has(text, "审计 <"));
}

static void test_nobody_changes_their_own_role(void **state)
{
	struct fixture *fx = *state;
	static const struct {
		const char *sender, *cmd;
	} cases[] = {
		{FX_ADMIN, "授权 u-admin 办事员 37"},
		{FX_ADMIN, "授权 @u-admin 管理员"},
		{FX_ADMIN, "撤销授权 u-admin"},
		{FX_CLERK_LY, "授权 clerk-ly 办事员 371302"},
		{FX_CLERK_LY, "撤销授权 @clerk-ly"},
	};
	char buf[128];
	bool err;

	staffed(fx);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *text = say(fx, cases[i].cmd, cases[i].sender, &err);

		assert_true(err && fixture_has(text, "不能更改自己的角色"));
	}
	assert_string_equal(role_of(fx, FX_ADMIN, buf), "admin");
	assert_identity(fx, FX_CLERK_LY, "clerk|3713|NULL|NULL");
	assert_int_equal(fixture_int(fx, AUDITS), 0);
}

/* Only the console, which runs as its configured role rather than a stored
 * identity, can reach the last stored admin: it stays. */
static void test_last_admin_stays(void **state)
{
	struct fixture *fx = *state;
	int64_t audits;

	assert_string_equal(fixture_console(fx, "授权 boss 管理员"),
	                    "已将 boss 授权为管理员：全部地区。");
	fixture_exec(fx, "DELETE FROM identities WHERE user_id = 'u-admin'");
	audits = fixture_int(fx, AUDITS);
	assert_true(fixture_has(fixture_console(fx, "撤销授权 boss"), "boss 是最后一位管理员"));
	assert_true(fixture_has(fixture_console(fx, "授权 boss 办事员 371302"),
	                        "boss 是最后一位管理员"));
	assert_int_equal(fixture_int(fx, "SELECT count(*) FROM identities WHERE role = 'admin'"), 1);
	assert_int_equal(fixture_int(fx, AUDITS), audits);
}

static void test_roles_list_pages_and_scopes(void **state)
{
	struct fixture *fx = *state;
	char cmd[64];
	bool err;
	const char *text;

	staffed(fx);
	for (int i = 0; i < 8; i++) {
		snprintf(cmd, sizeof cmd, "授权 extra%02d 办事员 371302", i);
		fixture_say(fx, FX_ADMIN, cmd);
	}
	uint64_t before = fixture_digest(fx);
	text = say(fx, "角色", FX_ADMIN, &err);
	assert_true(!err && fixture_has(text, "已授权用户（共 14 个）"));
	/* Ten numbered lines on the first page. */
	int lines = 0;
	for (const char *p = text; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		size_t digits = strspn(p, "0123456789");

		lines += digits > 0 && p[digits] == '.' && p[digits + 1] == ' ';
	}
	assert_int_equal(lines, 10);
	assert_true(fixture_has(text, "\n1. generic:u-admin　管理员　全部地区"));
	assert_true(fixture_has(text, "第 1–10 条，共 14 条") && fixture_has(text, "下一页"));
	text = say(fx, "下一页", FX_ADMIN, &err);
	assert_true(!err && fixture_has(text, "11. ") && fixture_has(text, "14. "));
	assert_true(fixture_has(text, "组织者　示例市首席质量官联盟（演示）（联盟编号 1）"));
	assert_true(fixture_has(text, "首席质量官　张三（记录号 2）"));
	/* A city clerk sees the clerks of the city, nobody else. */
	text = say(fx, "roles", FX_CLERK_LY, &err);
	assert_true(!err && fixture_has(text, "共 10 个"));
	assert_false(fixture_has(text, "clerk-xa") || fixture_has(text, "u-admin") ||
	             fixture_has(text, "org"));
	assert_true(fixture_has(text, "clerk-ls　工作人员　兰山区（371302）"));
	text = fixture_say(fx, FX_CLERK_XA, "角色");
	assert_true(fixture_has(text, "共 1 个") && fixture_has(text, "雁塔区（610113）"));
	text = say(fx, "角色 多余", FX_ADMIN, &err);
	assert_true(err && fixture_has(text, "用法：角色"));
	assert_true(fixture_digest(fx) == before);
}

/* The enterprise contact (企业联系人): sees its own enterprise's records,
 * personal details masked, and its identity; every other command is
 * refused and changes nothing. It is bound by code, never granted; the
 * admin's 角色 lists it and may revoke it. */
static void test_contact_sees_only_its_enterprise(void **state)
{
	struct fixture *fx = *state;
	char credit[32], want[256];
	bool err;
	const char *text;

	fixture_exec(fx, "INSERT INTO identities (platform, tenant, user_id, display_name, role,"
	                 " enterprise_id, instance, created_at, updated_at) SELECT 'generic', 'test',"
	                 " 'ent-zs', '王经理', 'contact', enterprise_id, 'test', 1, 1"
	                 " FROM appointments WHERE id = 2");
	fixture_text(fx, "SELECT credit_code FROM enterprises WHERE name = '示例精密机械有限公司'",
	             credit, sizeof credit);
	uint64_t before = fixture_digest(fx);

	text = say(fx, "我是谁", "ent-zs", &err);
	snprintf(want, sizeof want, "所在企业：示例精密机械有限公司（统一社会信用代码 %s）", credit);
	assert_true(!err && fixture_has(text, "角色：企业联系人") && fixture_has(text, want));
	/* Its enterprise's record, by number, name or credit code; masked. */
	text = say(fx, "查询 2", "ent-zs", &err);
	assert_true(!err && fixture_has(text, "张三") && fixture_has(text, "示例精密机械有限公司"));
	assert_false(fixture_has(text, "13800000001"));
	assert_true(fixture_has(say(fx, "查询 张三", "ent-zs", &err), "记录号 2"));
	snprintf(want, sizeof want, "查询 %s", credit);
	assert_true(fixture_has(say(fx, want, "ent-zs", &err), "张三"));
	/* Nobody else's: the answer of a record that does not exist. */
	const char *others[] = {"3", "李四", "5", "示例医药有限公司"};
	for (size_t i = 0; i < 4; i++) {
		char cmd[64], none[128];

		snprintf(cmd, sizeof cmd, "查询 %s", others[i]);
		snprintf(none, sizeof none, "未找到与“%s”匹配的记录（或不在您的管辖范围内）。",
		         others[i]);
		assert_string_equal(say(fx, cmd, "ent-zs", &err), none);
	}
	/* Help lists what it may run, and nothing else runs. */
	text = fixture_say(fx, "ent-zs", "帮助");
	assert_true(fixture_has(text, "\n查询 <") && fixture_has(text, "\n我是谁 — ") &&
	            fixture_has(text, "\n解绑 — ") && fixture_has(text, "\n绑定 <"));
	assert_false(fixture_has(text, "\n我的 —") || fixture_has(text, "\n确认 <") ||
	             fixture_has(text, "\n收到 —") || fixture_has(text, "\n联盟 "));
	const char *denied[] = {
		"我的", "确认 ABCD2345", "取消", "收到", "未确认", "提醒", "联盟", "活动",
		"报名 1", "取消报名 1", "培训 2 继续教育 2026-06-01 8", "警示 2 违法违规",
		"建议解聘 2 违法违规", "绑定码 2", "绑定码 企业 2", "审计 2", "角色", "授权 x 管理员",
		"撤销授权 clerk-ls", "到期", "逾期", "未培训", "处理名单", "统计", "空缺", "队列",
		"备案", "续聘 2", "解聘 2 离职", "荣誉 2 优秀首席质量官 2026", "通知 1 测试",
	};
	for (size_t i = 0; i < sizeof denied / sizeof denied[0]; i++) {
		text = say(fx, denied[i], "ent-zs", &err);
		assert_true(err);
		if (!fixture_has(text, "您没有权限使用"))
			fail_msg("%s: %s", denied[i], text);
	}
	assert_true(fixture_digest(fx) == before);

	/* Never granted, by anyone. */
	text = say(fx, "授权 k1 企业联系人 2", FX_ADMIN, &err);
	assert_true(err && fixture_has(text, "企业联系人不能授权") &&
	            fixture_has(text, "绑定码 企业"));
	text = say(fx, "授权 k1 contact 2", FX_CLERK_LS, &err);
	assert_true(err && fixture_has(text, "企业联系人不能授权"));
	assert_identity(fx, "k1", "");
	assert_true(fixture_digest(fx) == before);
	/* Listed for the admin, with its enterprise; revoked like any role. */
	text = say(fx, "角色", FX_ADMIN, &err);
	assert_true(!err && fixture_has(text, "共 11 个") && !fixture_has(text, "ent-zs"));
	text = say(fx, "下一页", FX_ADMIN, &err);
	snprintf(want, sizeof want, "11. generic:ent-zs（王经理）　企业联系人　示例精密机械有限公司"
	         "（统一社会信用代码 %s）　组织 test", credit);
	assert_true(!err && fixture_has(text, want));
	text = say(fx, "撤销授权 ent-zs", FX_ADMIN, &err);
	assert_true(!err && fixture_has(text, "已撤销 ent-zs 的企业联系人角色"));
	assert_identity(fx, "ent-zs", "");
}

#define T(f) cmocka_unit_test_setup_teardown(f, fixture_setup, fixture_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_admin_grants_every_role),
		T(test_clerk_role_named_staff),
		T(test_grant_validation_errors_change_nothing),
		T(test_clerk_grants_clerks_inside_own_scope_only),
		T(test_revoke_matrix),
		T(test_other_roles_may_not_manage_identities),
		T(test_nobody_changes_their_own_role),
		T(test_last_admin_stays),
		T(test_roles_list_pages_and_scopes),
		T(test_contact_sees_only_its_enterprise),
	};
	return cmocka_run_group_tests(tests, fixture_group_setup, fixture_group_teardown);
}
