/* The clerks' lists (到期, 逾期, 未培训, 处理名单, 空缺) and the statistics
 * (统计, 目标) on the fixture registry (fixture.h), numbers computed by hand.
 * Moved from tests/integration/test_lists.py with every assertion (the
 * console test stays there).
 *
 * Facts: today is 2026-06-15. 张三 holds record 2 in 兰山区 371302 (规上,
 * 链主), has appointment training, term ending 2026-07-04 (19 days left);
 * 李四 holds record 3 in 罗庄区 371311 (规上) since 2025, untrained, with
 * the one open sanction (警示, 未完成继续教育); 演示纺织有限公司 (兰山区,
 * 规上) never filed a CQO; 王五 (雁塔区) and 钱七 (碑林区) are in 西安.
 * Targets: 37 规上 2025 is 10%, none for 2026. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture.h"

#define DENIED "您没有权限使用“%s”。"
#define EXPIRING_LINE "1. 记录号 2　张三　示例精密机械有限公司　兰山区　任期至 2026-07-04（剩余 19 天）"
#define STATS_HEAD "地区 | 企业数 | 已聘任 | 聘任率 | 目标 | 差距 | 已任职培训 | 当年新备案 | 续聘 | 更换"
/* The date each year is counted on: its last day, today for 2026. */
#define AS_OF_2025 "按 2025-12-31 的在任情况统计。\n"
#define AS_OF_2026 "按 2026-06-15 的在任情况统计。\n"

/* The numbers of the items ("12. ...", at the start of a line) into out;
 * their count. */
static size_t items(const char *text, int *out, size_t max)
{
	size_t n = 0;

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		char *end;
		long v = strtol(p, &end, 10);

		if (end != p && *p >= '0' && *p <= '9' && end[0] == '.' && end[1] == ' ' && n < max)
			out[n++] = (int)v;
	}
	return n;
}

/* The items of text are exactly first..last. */
static void assert_items(const char *text, int first, int last)
{
	int v[64];
	size_t n = items(text, v, 64);

	assert_int_equal(n, (size_t)(last - first + 1));
	for (size_t i = 0; i < n; i++)
		assert_int_equal(v[i], first + (int)i);
}

/* Adds every "记录号 N" of text to seen[] (a set by record number). */
static void collect_records(const char *text, bool *seen, size_t max)
{
	for (const char *p = strstr(text, "记录号 "); p; p = strstr(p + 1, "记录号 ")) {
		long v = strtol(p + strlen("记录号 "), NULL, 10);

		if (v > 0 && (size_t)v < max)
			seen[v] = true;
	}
}

static void assert_refused_to_others(struct fixture *fx, const char *command)
{
	const char *who[] = {FX_CQO, FX_ORG, FX_GUEST};
	char word[64], want[128];
	bool err;

	snprintf(word, sizeof word, "%s", command);
	word[strcspn(word, " ")] = '\0';
	snprintf(want, sizeof want, DENIED, word);
	for (size_t i = 0; i < 3; i++) {
		const char *text = fixture_say_in(fx, who[i], false, command, &err);

		assert_true(err && fixture_has(text, want));
		assert_false(fixture_has(text, "记录号"));
	}
}

/* A reply that is not an error and equals want. */
static void assert_answer(struct fixture *fx, const char *who, const char *command,
                          const char *want)
{
	bool err;
	const char *text = fixture_say_in(fx, who, false, command, &err);

	assert_false(err);
	assert_string_equal(text, want);
}

/* A reply that is not an error and contains want. */
static void assert_says(struct fixture *fx, const char *who, const char *command,
                        const char *want)
{
	bool err;
	const char *text = fixture_say_in(fx, who, false, command, &err);

	assert_false(err);
	if (!fixture_has(text, want))
		fail_msg("%s: \"%s\" not in:\n%s", command, want, text);
}

/* head, n times unit, tail into buf, which must hold them all. */
static void repeat(char *buf, size_t len, const char *head, const char *unit, int n,
                   const char *tail)
{
	size_t used = (size_t)snprintf(buf, len, "%s", head);

	for (int i = 0; i < n && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s", unit);
	if (used < len)
		used += (size_t)snprintf(buf + used, len - used, "%s", tail);
	assert_true(used < len);
}

static void test_expiring_scope_and_roles(void **state)
{
	struct fixture *fx = *state;
	char end[16];

	fixture_text(fx, "SELECT term_end FROM appointments WHERE id = 2", end, sizeof end);
	assert_string_equal(end, "2026-07-04");
	assert_says(fx, FX_ADMIN, "到期", "90 天内任期届满的首席质量官（共 1 人）");
	assert_says(fx, FX_ADMIN, "到期", EXPIRING_LINE);
	/* A city clerk and the county clerk see it; a clerk of 西安 does not. */
	assert_says(fx, FX_CLERK_LY, "到期 30", EXPIRING_LINE);
	assert_says(fx, FX_CLERK_LS, "到期 30", EXPIRING_LINE);
	assert_answer(fx, FX_CLERK_XA, "到期", "90 天内没有任期届满的首席质量官。");
	/* Shorter than the term's remaining days: nothing; the alias works. */
	assert_says(fx, FX_ADMIN, "expiring 18", "没有任期届满");
	assert_says(fx, FX_ADMIN, "到期 19", EXPIRING_LINE);
	assert_refused_to_others(fx, "到期");
}

/* A term ending today reads 今日届满, not 剩余 0 天. */
static void test_expiring_today(void **state)
{
	struct fixture *fx = *state;

	fixture_set_now("2026-07-04 09:00:00");
	assert_says(fx, FX_ADMIN, "到期 1",
	            "1. 记录号 2　张三　示例精密机械有限公司　兰山区　任期至 2026-07-04（今日届满）");
	assert_false(fixture_has(fixture_say(fx, FX_ADMIN, "到期"), "剩余 0 天"));
}

static void test_expiring_group_chat_same_and_no_contact_details(void **state)
{
	struct fixture *fx = *state;
	char private[1024];
	bool err;

	snprintf(private, sizeof private, "%s", fixture_say(fx, FX_CLERK_LS, "到期"));
	const char *group = fixture_say_in(fx, FX_CLERK_LS, true, "到期", &err);
	assert_false(err);
	assert_string_equal(group, private);
	assert_false(fixture_has(group, "13800000001") || fixture_has(group, "example.com"));
}

/* Bad arguments get the usage, are logged without the words typed; and
 * the lists change nothing. */
static void test_bad_arguments_get_usage_and_are_logged(void **state)
{
	struct fixture *fx = *state;
	static const struct {
		const char *command, *why, *usage;
	} cases[] = {
		{"到期 0", "天数应为 1 到 3650 之间的整数", "到期 [天数]"},
		{"到期 3651", "天数应为 1 到 3650 之间的整数", "到期 [天数]"},
		{"到期 abc", "天数应为 1 到 3650 之间的整数", "到期 [天数]"},
		{"到期 30 60", NULL, "到期 [天数]"},
		{"逾期 全部", NULL, "逾期"},
		{"未培训 2026", NULL, "未培训"},
		{"处理名单 1", NULL, "处理名单"},
		{"空缺 大企业", "企业类别应为：规上、链主", "空缺 [类别]"},
		{"空缺 规上 链主", NULL, "空缺 [类别]"},
	};
	uint64_t before = fixture_digest(fx);
	char usage[64];
	bool err;

	fixture_log_start(fx);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *text = fixture_say_in(fx, FX_CLERK_LS, false, cases[i].command, &err);

		snprintf(usage, sizeof usage, "用法：%s", cases[i].usage);
		assert_true(err && fixture_has(text, usage));
		assert_false(fixture_has(text, "记录号"));
		if (cases[i].why)
			assert_true(fixture_has(text, cases[i].why));
	}
	const char *log = fixture_log(fx);
	assert_true(fixture_has(log, "ran 到期 (usage"));
	assert_false(fixture_has(log, "大企业") || fixture_has(log, "abc"));
	const char *lists[] = {"到期", "逾期", "未培训", "处理名单", "空缺", "统计"};
	for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++)
		fixture_say(fx, FX_ADMIN, lists[i]);
	assert_true(fixture_digest(fx) == before);
}

static void test_overdue_lapsed_term(void **state)
{
	struct fixture *fx = *state;
	const char *line = "1. 记录号 3　李四　演示食品股份有限公司　罗庄区　任期至 2026-06-05（已逾期 10 天）";

	/* 李四's term ended ten days ago and was neither renewed nor succeeded. */
	fixture_exec(fx, "UPDATE appointments SET term_end = '2026-06-05' WHERE id = 3");
	assert_says(fx, FX_ADMIN, "逾期", "任期已满未续聘或更换（共 1 人）");
	assert_says(fx, FX_ADMIN, "逾期", line);
	assert_says(fx, FX_CLERK_LY, "overdue", line);
	assert_answer(fx, FX_CLERK_LS, "逾期", "没有任期已满未续聘或更换的首席质量官。");
	assert_answer(fx, FX_CLERK_XA, "逾期", "没有任期已满未续聘或更换的首席质量官。");
	/* The succeeded predecessor of 张三 (record 1) is never listed. */
	assert_false(fixture_has(fixture_say(fx, FX_ADMIN, "逾期"), "记录号 1　"));
	assert_refused_to_others(fx, "逾期");
}

static void test_untrained_reasons_and_scope(void **state)
{
	struct fixture *fx = *state;
	char text[2048];

	snprintf(text, sizeof text, "%s\n", fixture_say(fx, FX_ADMIN, "未培训"));
	assert_true(fixture_has(text, "培训未达标的首席质量官（2026 年，共 5 人）"));
	assert_true(fixture_has(text, "1. 记录号 2　张三　示例精密机械有限公司　兰山区　本年学时 20.0/30.0"));
	assert_true(fixture_has(text, "2. 记录号 3　李四　演示食品股份有限公司　罗庄区　未参加任职培训；本年学时 6.0/30.0"));
	/* 王五 has his 30 hours (32) but no appointment training. */
	assert_true(fixture_has(text, "记录号 5　王五　示例电子科技有限公司　雁塔区　未参加任职培训\n"));
	const char *t = fixture_say(fx, FX_CLERK_LS, "untrained");
	assert_true(fixture_has(t, "共 1 人") && fixture_has(t, "张三") && !fixture_has(t, "李四"));
	t = fixture_say(fx, FX_CLERK_XA, "未培训");
	assert_true(fixture_has(t, "共 1 人") && fixture_has(t, "王五"));
	assert_false(fixture_has(t, "钱七") || fixture_has(t, "张三"));
	assert_refused_to_others(fx, "未培训");
}

/* 未培训 counts what the policy counts (issue 15): Shaanxi's 30 h are
 * online self-study, so 钱七's continuing education leaves him short; a
 * region whose policy sets no quota lists only missing appointment
 * training. */
static void test_untrained_follows_the_policy(void **state)
{
	struct fixture *fx = *state;
	char text[2048];

	fixture_say(fx, FX_ADMIN, "培训 6 继续教育 2026-06-01 30");
	snprintf(text, sizeof text, "%s\n", fixture_say(fx, FX_ADMIN, "未培训"));
	assert_true(fixture_has(text, "记录号 6　钱七　示例医药有限公司　未央区　未参加任职培训；本年学时 4.0/30.0"));
	fixture_exec(fx, "DELETE FROM policies WHERE region_code = '37'");
	snprintf(text, sizeof text, "%s\n", fixture_say(fx, FX_ADMIN, "未培训"));
	assert_false(fixture_has(text, "张三"));
	assert_true(fixture_has(text, "记录号 3　李四　演示食品股份有限公司　罗庄区　未参加任职培训\n"));
	assert_true(fixture_has(text, "钱七"));
}

static void test_sanction_list(void **state)
{
	struct fixture *fx = *state;
	const char *line = "1. 处理号 1　警示　2026-06-05　依据：未完成继续教育　记录号 3　李四"
	                   "　演示食品股份有限公司　罗庄区";

	assert_says(fx, FX_ADMIN, "处理名单", "未结处理（共 1 条）");
	assert_says(fx, FX_ADMIN, "处理名单", line);
	assert_says(fx, FX_CLERK_LY, "sanctions", line);
	assert_answer(fx, FX_CLERK_LS, "处理名单", "没有未结的处理。");
	assert_answer(fx, FX_CLERK_XA, "处理名单", "没有未结的处理。");
	assert_refused_to_others(fx, "处理名单");
}

static void test_vacant_by_category(void **state)
{
	struct fixture *fx = *state;
	const char *line = "1. 演示纺织有限公司　91371302DEM000006J　兰山区　从未备案";

	assert_says(fx, FX_ADMIN, "空缺", "未聘任首席质量官的规上企业（共 1 家）");
	assert_says(fx, FX_ADMIN, "空缺", line);
	assert_says(fx, FX_CLERK_LS, "vacant 规上", line);
	assert_answer(fx, FX_CLERK_XA, "空缺", "规上企业均已聘任首席质量官。");
	assert_answer(fx, FX_ADMIN, "空缺 食品", "食品企业均已聘任首席质量官。");
	/* The category as the seeds write it. */
	assert_says(fx, FX_CLERK_LS, "空缺 规模以上企业", line);
	assert_answer(fx, FX_ADMIN, "空缺 好品山东", "好品山东品牌企业均已聘任首席质量官。");
	/* Named in full, however typed. */
	assert_answer(fx, FX_ADMIN, "空缺 好品", "好品山东品牌企业均已聘任首席质量官。");
	assert_answer(fx, FX_ADMIN, "空缺 质量奖", "获政府质量奖企业均已聘任首席质量官。");
	assert_refused_to_others(fx, "空缺");
}

static void test_vacant_names_the_last_cqo(void **state)
{
	struct fixture *fx = *state;

	/* 张三 dismissed: his enterprise is vacant and the line says since when. */
	fixture_exec(fx, "UPDATE appointments SET status = 'dismissed', ended_on = '2026-06-01'"
	                 " WHERE id = 2");
	assert_says(fx, FX_CLERK_LS, "空缺 链主", "共 1 家");
	const char *text = fixture_say(fx, FX_CLERK_LS, "空缺 链主");
	assert_true(fixture_has(text, "1. 示例精密机械有限公司　91371302DEM000001") &&
	            fixture_has(text, "兰山区　原首席质量官 张三（记录号 2）2026-06-01 离任"));
}

static void test_long_lists_page(void **state)
{
	struct fixture *fx = *state;
	bool seen[512] = {false};
	const char *text;
	bool err;

	fixture_seed_bench(fx, 30);
	text = fixture_say_in(fx, FX_ADMIN, false, "到期 3650", &err);
	assert_false(err);
	assert_true(fixture_has(text, "3650 天内任期届满的首席质量官（共 35 人）"));
	assert_items(text, 1, 10);
	assert_true(fixture_has(text, "第 1–10 条，共 35 条") &&
	            fixture_has(text, "发送“下一页”查看更多"));
	collect_records(text, seen, 512);
	for (int first = 11; first <= 21; first += 10) {
		text = fixture_say_in(fx, FX_ADMIN, false, "下一页", &err);
		assert_false(err);
		assert_items(text, first, first + 9);
		collect_records(text, seen, 512);
	}
	text = fixture_say_in(fx, FX_ADMIN, false, "next", &err);
	assert_false(err);
	assert_items(text, 31, 35);
	assert_true(fixture_has(text, "第 31–35 条，共 35 条") && !fixture_has(text, "下一页"));
	collect_records(text, seen, 512);
	int distinct = 0;
	for (size_t i = 0; i < 512; i++)
		distinct += seen[i];
	assert_int_equal(distinct, 35);
	assert_true(fixture_has(fixture_say(fx, FX_ADMIN, "下一页"), "没有可翻页的列表"));
	/* Another person's 下一页 does not continue this list; a clerk of
	 * 兰山区 gets no generated CQOs (they are in 北京). */
	text = fixture_say(fx, FX_ADMIN, "未培训");
	assert_true(fixture_has(text, "共 35 人") && fixture_has(text, "第 1–10 条"));
	assert_true(fixture_has(fixture_say(fx, FX_CLERK_LS, "下一页"), "没有可翻页的列表"));
	text = fixture_say(fx, FX_CLERK_LS, "未培训");
	assert_true(fixture_has(text, "共 1 人") && !fixture_has(text, "下一页"));
	assert_items(fixture_say(fx, FX_ADMIN, "下一页"), 11, 20);
}

/* 下一页 is a button on every page with more after it; pressing it is
 * typing it. */
static void test_next_page_button(void **state)
{
	struct fixture *fx = *state;
	const char *text;

	fixture_seed_bench(fx, 30);
	text = fixture_say(fx, FX_ADMIN, "到期 3650");
	assert_true(fixture_has(text, "第 1–10 条，共 35 条"));
	assert_string_equal(fixture_actions(fx), "下一页=下一页");
	for (int first = 11; first <= 31; first += 10) {
		text = fixture_say(fx, FX_ADMIN, "下一页");
		assert_items(text, first, first + 9 < 35 ? first + 9 : 35);
		assert_string_equal(fixture_actions(fx), first < 31 ? "下一页=下一页" : "");
	}
	/* A short list has no button. */
	fixture_say(fx, FX_CLERK_LS, "未培训");
	assert_string_equal(fixture_actions(fx), "");
}

static void test_stats_hand_computed(void **state)
{
	struct fixture *fx = *state;
	const char *city = "临沂市（3713） · 规上企业首席质量官统计（2025 年）\n" AS_OF_2025 STATS_HEAD "\n"
	                   "兰山区 | 2 | 1 | 50.0% | 10.0% | 已达标 | 100.0% | 0 | 0 | 0\n"
	                   "罗庄区 | 1 | 1 | 100.0% | 10.0% | 已达标 | 0.0% | 1 | 0 | 0\n"
	                   "合计 | 3 | 2 | 66.7% | 10.0% | 已达标 | 50.0% | 1 | 0 | 0";
	uint64_t before = fixture_digest(fx);

	assert_answer(fx, FX_ADMIN, "统计 3713 2025", city);
	/* Any order, alias, and the default year and category for a clerk. */
	assert_answer(fx, FX_CLERK_LY, "stats 规上 2025 3713", city);
	assert_answer(fx, FX_CLERK_LS, "统计",
	              "兰山区（371302） · 规上企业首席质量官统计（2026 年）\n" AS_OF_2026 STATS_HEAD "\n"
	              "兰山区 | 2 | 1 | 50.0% | 未设定 | — | 100.0% | 0 | 0 | 0");
	assert_answer(fx, FX_ADMIN, "统计",
	              "全国 · 规上企业首席质量官统计（2026 年）\n" AS_OF_2026 STATS_HEAD "\n"
	              "山东省 | 3 | 2 | 66.7% | 未设定 | — | 50.0% | 0 | 0 | 0\n"
	              "陕西省 | 1 | 1 | 100.0% | 未设定 | — | 0.0% | 1 | 0 | 0\n"
	              "合计 | 4 | 3 | 75.0% | 未设定 | — | 33.3% | 1 | 0 | 0");
	assert_says(fx, FX_ADMIN, "统计 371312", "该地区暂无规上企业。");
	assert_true(fixture_digest(fx) == before);
}

/* Places by name, categories as the seeds write them, and 中小企业 (by
 * 企业规模: 兰山区 has 示例精密机械 中型 with a CQO and 演示纺织 小微 without). */
static void test_stats_by_name_alias_and_sme(void **state)
{
	struct fixture *fx = *state;
	const char *city = "临沂市（3713） · 规上企业首席质量官统计（2025 年）\n" AS_OF_2025 STATS_HEAD "\n"
	                   "兰山区 | 2 | 1 | 50.0% | 10.0% | 已达标 | 100.0% | 0 | 0 | 0\n"
	                   "罗庄区 | 1 | 1 | 100.0% | 10.0% | 已达标 | 0.0% | 1 | 0 | 0\n"
	                   "合计 | 3 | 2 | 66.7% | 10.0% | 已达标 | 50.0% | 1 | 0 | 0";
	bool err;

	assert_answer(fx, FX_ADMIN, "统计 临沂市 规模以上 2025", city);
	assert_answer(fx, FX_CLERK_LY, "统计 2025 山东省临沂市 above_scale", city);
	assert_answer(fx, FX_CLERK_LS, "统计 兰山区",
	              "兰山区（371302） · 规上企业首席质量官统计（2026 年）\n" AS_OF_2026 STATS_HEAD "\n"
	              "兰山区 | 2 | 1 | 50.0% | 未设定 | — | 100.0% | 0 | 0 | 0");
	const char *text = fixture_say_in(fx, FX_CLERK_LS, false, "统计 临沂市", &err);
	assert_true(err && fixture_has(text, "地区 3713 不在您的管辖范围内"));
	text = fixture_say_in(fx, FX_ADMIN, false, "统计 鼓楼区", &err);
	assert_true(err && fixture_has(text, "地区“鼓楼区”对应 ") &&
	            fixture_has(text, "320106 江苏省南京市鼓楼区") &&
	            fixture_has(text, "用法：统计 [地区] [类别] [年份]"));
	text = fixture_say_in(fx, FX_ADMIN, false, "统计 临沂市 3713", &err);
	assert_true(err && fixture_has(text, "参数“3713”重复"));

	text = fixture_say(fx, FX_ADMIN, "统计 中小企业 临沂市 2025");
	assert_true(fixture_has(text, "临沂市（3713） · 中小企业首席质量官统计（2025 年）\n"));
	assert_true(fixture_has(text, "兰山区 | 2 | 1 | 50.0% | 未设定 | — | 100.0% | 0 | 0 | 0\n"));
	assert_false(fixture_has(text, "罗庄区"));   /* 演示食品 is 大型 */
	assert_answer(fx, FX_ADMIN, "目标 临沂市 中小企业 2025 50%",
	              "已设定 临沂市（3713）中小企业 2025 年聘任率目标：50.0%");
	assert_answer(fx, FX_ADMIN, "目标 兰山区 规模以上企业 2025 20%",
	              "已设定 兰山区（371302）规上企业 2025 年聘任率目标：20.0%");
	text = fixture_say(fx, FX_ADMIN, "统计 3713 sme 2025");
	assert_true(fixture_has(text, "兰山区 | 2 | 1 | 50.0% | 50.0% | 已达标 | 100.0% | 0 | 0 | 0\n"));
	assert_int_equal(fixture_int(fx, "SELECT count(*) FROM targets WHERE category = '中小企业'"
	                                 " AND region_code = '3713'"), 1);
	text = fixture_say_in(fx, FX_ADMIN, false, "目标 鼓楼区 规上 2025 50%", &err);
	assert_true(err && fixture_has(text, "350102 福建省福州市鼓楼区") &&
	            fixture_has(text, "用法：目标"));
	text = fixture_say_in(fx, FX_ADMIN, false, "目标 火星 规上 2025 50%", &err);
	assert_true(err && fixture_has(text, "地区“火星”不是已知的行政区划名称"));
}

static void test_stats_refusals_and_bad_arguments(void **state)
{
	struct fixture *fx = *state;
	static const struct {
		const char *command, *why;
	} cases[] = {
		{"统计 foo", "无法识别的参数“foo”"},
		{"统计 3713 371302", "参数“371302”重复"},
		{"统计 2025 2026", "参数“2026”重复"},
		{"统计 379999", "地区代码 379999 不存在"},
		{"统计 371", "无法识别的参数“371”"},
	};
	char cmd[512], want[128];
	bool err;
	const char *text = fixture_say_in(fx, FX_CLERK_LS, false, "统计 3713", &err);

	assert_true(err && fixture_has(text, "地区 3713 不在您的管辖范围内") &&
	            !fixture_has(text, "兰山区 |"));
	text = fixture_say_in(fx, FX_CLERK_XA, false, "统计 37", &err);
	assert_true(err && fixture_has(text, "不在您的管辖范围内"));
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		text = fixture_say_in(fx, FX_ADMIN, false, cases[i].command, &err);
		assert_true(err && fixture_has(text, cases[i].why) &&
		            fixture_has(text, "用法：统计 [地区] [类别] [年份]"));
	}
	/* A long unknown word is quoted back only in part, whole characters. */
	repeat(cmd, sizeof cmd, "统计 ", "很", 100, "");
	repeat(want, sizeof want, "“", "很", 16, "”");
	text = fixture_say_in(fx, FX_ADMIN, false, cmd, &err);
	assert_true(err && fixture_has(text, want));
	assert_refused_to_others(fx, "统计");
}

/*
 * Statistics over three years on the fixture plus, by hand:
 *   X  测试化工 罗庄区, on the 2024 规上 list only, no CQO;
 *   Y  测试建材 兰山区, on the 2025 list only: Y甲 2025-03-01..2028-02-29,
 *      dismissed 2026-01-31, replaced (predecessor) by Y乙 from 2026-04-01;
 *   张三 (record 2) renewed: term 2 from 2026-07-05, after today.
 * No 2026 list: the 2025 one holds. Counted on each year's last day
 * (today for 2026); 李四 (罗庄区) was filed in 2025; 张三 is trained.
 *   year  region  ent appt rate   trained new ren rep
 *   2024  兰山区   2   1   50.0%  1 of 1    0   0   0
 *         罗庄区   2   0    0.0%  —         0   0   0   (演示食品, X)
 *         合计     4   1   25.0%  1 of 1    0   0   0
 *   2025  兰山区   3   2   66.7%  1 of 2    1   0   0   (Y甲 new)
 *         罗庄区   1   1  100.0%  0 of 1    1   0   0
 *         合计     4   3   75.0%  1 of 3    2   0   0   target 10%: met
 *   2026  兰山区   3   2   66.7%  1 of 2    0   1   1   (张三 term 1 still, Y乙)
 *         罗庄区   1   1  100.0%  0 of 1    0   0   0
 *         合计     4   3   75.0%  1 of 3    0   1   1
 */
static void test_stats_three_years(void **state)
{
	struct fixture *fx = *state;

	fixture_exec(fx,
		"INSERT INTO enterprises (id, credit_code, name, region_code, created_at, updated_at)"
		" VALUES (901, '91371311TST000901A', '测试化工有限公司', '371311', 0, 0),"
		" (902, '91371302TST000902A', '测试建材有限公司', '371302', 0, 0);"
		"INSERT INTO enterprise_tags (enterprise_id, tag, year) VALUES (901, '规上', 2024),"
		" (902, '规上', 2025);"
		"INSERT INTO people (id, name, created_at, updated_at) VALUES (901, 'Y甲', 0, 0),"
		" (902, 'Y乙', 0, 0);"
		"INSERT INTO appointments (id, enterprise_id, person_id, start_date, term_end, status,"
		" ended_on, predecessor_id, filed_at, updated_at) VALUES"
		" (901, 902, 901, '2025-03-01', '2028-02-29', 'dismissed', '2026-01-31', NULL, 0, 0),"
		" (902, 902, 902, '2026-04-01', '2029-03-31', 'active', NULL, 901, 0, 0);"
		"INSERT INTO appointment_terms (appointment_id, term_no, start_date, term_end,"
		" created_at) VALUES (2, 2, '2026-07-05', '2029-07-04', 0);"
		"UPDATE appointments SET start_date = '2026-07-05', term_end = '2029-07-04'"
		" WHERE id = 2;");
	assert_answer(fx, FX_ADMIN, "统计 3713 2024",
	              "临沂市（3713） · 规上企业首席质量官统计（2024 年）\n"
	              "按 2024-12-31 的在任情况统计。\n" STATS_HEAD "\n"
	              "兰山区 | 2 | 1 | 50.0% | 未设定 | — | 100.0% | 0 | 0 | 0\n"
	              "罗庄区 | 2 | 0 | 0.0% | 未设定 | — | — | 0 | 0 | 0\n"
	              "合计 | 4 | 1 | 25.0% | 未设定 | — | 100.0% | 0 | 0 | 0");
	assert_answer(fx, FX_ADMIN, "统计 3713 2025",
	              "临沂市（3713） · 规上企业首席质量官统计（2025 年）\n" AS_OF_2025 STATS_HEAD "\n"
	              "兰山区 | 3 | 2 | 66.7% | 10.0% | 已达标 | 50.0% | 1 | 0 | 0\n"
	              "罗庄区 | 1 | 1 | 100.0% | 10.0% | 已达标 | 0.0% | 1 | 0 | 0\n"
	              "合计 | 4 | 3 | 75.0% | 10.0% | 已达标 | 33.3% | 2 | 0 | 0");
	assert_answer(fx, FX_ADMIN, "统计 3713 2026",
	              "临沂市（3713） · 规上企业首席质量官统计（2026 年）\n" AS_OF_2026
	              "2026 年尚无规上企业名单，沿用 2025 年名单。\n" STATS_HEAD "\n"
	              "兰山区 | 3 | 2 | 66.7% | 未设定 | — | 50.0% | 0 | 1 | 1\n"
	              "罗庄区 | 1 | 1 | 100.0% | 未设定 | — | 0.0% | 0 | 0 | 0\n"
	              "合计 | 4 | 3 | 75.0% | 未设定 | — | 33.3% | 0 | 1 | 1");
	/* 空缺 reads the newest list: Y has a CQO, X is no longer listed. */
	assert_says(fx, FX_ADMIN, "空缺", "未聘任首席质量官的规上企业（共 1 家）");
}

#define TARGET_AUDITS "SELECT count(*) FROM audit_log WHERE entity = 'target'"

static void test_target_sets_and_feeds_stats(void **state)
{
	struct fixture *fx = *state;
	char buf[256];
	bool err;
	const char *text;

	assert_answer(fx, FX_ADMIN, "目标 3713 规上 2025 80%",
	              "已设定 临沂市（3713）规上企业 2025 年聘任率目标：80.0%");
	text = fixture_say(fx, FX_CLERK_LY, "统计 3713 2025");
	assert_true(fixture_has(text, "兰山区 | 2 | 1 | 50.0% | 80.0% | 差 30.0 个百分点 | 100.0% | 0 | 0 | 0"));
	assert_true(fixture_has(text, "罗庄区 | 1 | 1 | 100.0% | 80.0% | 已达标 | 0.0% | 1 | 0 | 0"));
	assert_true(fixture_has(text, "合计 | 3 | 2 | 66.7% | 80.0% | 差 13.3 个百分点 | 50.0% | 1 | 0 | 0"));
	/* A county of its own; the city's target stays for the others. */
	text = fixture_say_in(fx, FX_ADMIN, true, "target 371311 规上 2025 0.5", &err);
	assert_true(!err && fixture_has(text, "50.0%") && !fixture_has(text, "原目标"));
	text = fixture_say_in(fx, FX_ADMIN, false, "目标 3713 规上 2025 60", &err);
	assert_true(!err && fixture_has(text, "60.0%") && fixture_has(text, "原目标为 80.0%。"));
	text = fixture_say(fx, FX_ADMIN, "统计 3713 2025");
	assert_true(fixture_has(text, "兰山区 | 2 | 1 | 50.0% | 60.0% | 差 10.0 个百分点 | 100.0% | 0 | 0 | 0"));
	assert_true(fixture_has(text, "罗庄区 | 1 | 1 | 100.0% | 50.0% | 已达标"));
	assert_true(fixture_has(text, "合计 | 3 | 2 | 66.7% | 60.0% | 已达标"));
	/* One audit row per change, by the admin, with before and after. */
	assert_int_equal(fixture_int(fx, TARGET_AUDITS), 3);
	assert_int_equal(fixture_int(fx, "SELECT count(*) FROM audit_log WHERE entity = 'target'"
	                                 " AND actor_user = 'u-admin'"
	                                 " AND command IN ('目标', 'target')"),
	                 3);
	fixture_text(fx, "SELECT coalesce(before_json, 'NULL') FROM audit_log"
	                 " WHERE entity = 'target' ORDER BY id LIMIT 1", buf, sizeof buf);
	assert_string_equal(buf, "NULL");
	fixture_text(fx, "SELECT after_json FROM audit_log"
	                 " WHERE entity = 'target' ORDER BY id LIMIT 1", buf, sizeof buf);
	assert_true(fixture_has(buf, "\"rate\":0.8"));
	fixture_text(fx, "SELECT before_json FROM audit_log"
	                 " WHERE entity = 'target' ORDER BY id DESC LIMIT 1", buf, sizeof buf);
	assert_true(fixture_has(buf, "\"rate\":0.8"));
	fixture_text(fx, "SELECT after_json FROM audit_log"
	                 " WHERE entity = 'target' ORDER BY id DESC LIMIT 1", buf, sizeof buf);
	assert_true(fixture_has(buf, "\"rate\":0.6"));
}

/* Targets other than the rate (seeds 001, 003): the share of the CQOs in
 * office trained and the year's first filings, each with its gap under the
 * title. 临沂市 2025: 张三 trained, 李四 not (50.0%); one first filing (李四). */
static void test_target_trained_and_new_filings(void **state)
{
	struct fixture *fx = *state;
	const char *text;

	assert_answer(fx, FX_ADMIN, "目标 临沂市 规上 2025 培训率 100%",
	              "已设定 临沂市（3713）规上企业 2025 年首席质量官任职培训目标：100.0%");
	assert_answer(fx, FX_ADMIN, "目标 3713 规模以上 2025 新备案 500",
	              "已设定 临沂市（3713）规上企业 2025 年当年新备案目标：500 名");
	text = fixture_say(fx, FX_CLERK_LY, "统计 3713 2025");
	assert_true(fixture_has(text, AS_OF_2025 "任职培训目标 100.0%：现为 50.0%，差 50.0 个百分点。\n"
	                              "当年新备案目标 500 名：现为 1 名，差 499 名。\n" STATS_HEAD));
	/* The rate target stays the province's 10%. */
	assert_true(fixture_has(text, "合计 | 3 | 2 | 66.7% | 10.0% | 已达标 | 50.0% | 1 | 0 | 0"));
	text = fixture_say(fx, FX_ADMIN, "target 3713 规上 2025 new_filings 1");
	assert_true(fixture_has(text, "当年新备案目标：1 名") && fixture_has(text, "原目标为 500 名。"));
	text = fixture_say(fx, FX_ADMIN, "目标 3713 规上 2025 培训率 0.5");
	assert_true(fixture_has(text, "原目标为 100.0%。"));
	text = fixture_say(fx, FX_ADMIN, "统计 3713 2025");
	assert_true(fixture_has(text, "任职培训目标 50.0%：现为 50.0%，已达标。\n"
	                              "当年新备案目标 1 名：现为 1 名，已达标。\n"));
	/* 兰山区 inherits the city's targets; other years have none. */
	text = fixture_say(fx, FX_ADMIN, "统计 兰山区 2025");
	assert_true(fixture_has(text, "任职培训目标 50.0%：现为 100.0%，已达标。"));
	text = fixture_say(fx, FX_ADMIN, "统计 3713 2026");
	assert_false(fixture_has(text, "任职培训目标") || fixture_has(text, "当年新备案目标"));
	assert_int_equal(fixture_int(fx, TARGET_AUDITS), 4);
	assert_int_equal(fixture_int(fx, "SELECT count(*) FROM targets WHERE region_code = '3713'"
	                                 " AND metric IN ('trained', 'new_filings')"), 2);
}

static void test_target_refusals_and_bad_arguments(void **state)
{
	struct fixture *fx = *state;
	static const struct {
		const char *command, *why;
	} cases[] = {
		{"目标 3713 规上 2025", NULL},
		{"目标 37x3 规上 2025 80%", "地区代码应为 2、4 或 6 位数字"},
		{"目标 379999 规上 2025 80%", "地区代码 379999 不存在"},
		{"目标 3713 大企业 2025 80%", "企业类别应为"},
		{"目标 3713 规上 1999 80%", "年份应为 2000 到 2200 之间的整数"},
		{"目标 3713 规上 2025 150", "比例应为 0 到 100% 之间"},
		{"目标 3713 规上 2025 1e2", "比例应为 0 到 100% 之间"},
		{"目标 3713 规上 2025 -5%", "比例应为 0 到 100% 之间"},
		{"目标 3713 规上 2025 人数 500", "目标类型“人数”无法识别"},
		{"目标 3713 规上 2025 新备案 50.5", "新备案目标应为 0 到 1000000 之间的整数"},
		{"目标 3713 规上 2025 新备案 80%", "新备案目标应为 0 到 1000000 之间的整数"},
		{"目标 3713 规上 2025 培训率 150", "比例应为 0 到 100% 之间"},
	};
	const char *others[] = {FX_CLERK_LY, FX_CQO, FX_ORG, FX_GUEST};
	uint64_t before = fixture_digest(fx);
	bool err;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *text = fixture_say_in(fx, FX_ADMIN, false, cases[i].command, &err);

		assert_true(err && fixture_has(text, "用法：目标 <地区> <类别> <年份>"
		                                      " [聘任率|培训率|新备案] <目标值>"));
		if (cases[i].why)
			assert_true(fixture_has(text, cases[i].why));
	}
	for (size_t i = 0; i < 4; i++) {
		const char *text = fixture_say_in(fx, others[i], false, "目标 3713 规上 2025 80%", &err);

		assert_true(err && fixture_has(text, "您没有权限使用“目标”。"));
	}
	assert_int_equal(fixture_int(fx, TARGET_AUDITS), 0);
	assert_true(fixture_digest(fx) == before);
}

/* The file rows 导出 committed: "destination|payload" lines by id. */
#define FILE_ROWS "SELECT coalesce(group_concat(destination || '|' || payload, char(10)), '')" \
                  " FROM (SELECT * FROM outbox WHERE kind = 'file' ORDER BY id)"
#define EXPORT_AUDITS "SELECT count(*) FROM audit_log WHERE entity = 'export'"

/* 导出 统计 commits one outbox row of kind file describing the workbook,
 * its audit row, and answers that it is on its way; the console's file
 * goes to the operator. */
static void test_export_stats_queues_a_file(void **state)
{
	struct fixture *fx = *state;
	char rows[2048];

	assert_string_equal(fixture_console(fx, "导出 统计 3713 2025"),
	                    "正在生成《临沂市首席质量官基本情况统计表（2025年）.xlsx》，"
	                    "生成后以文件消息发送到本会话，请稍候。");
	fixture_text(fx, FILE_ROWS, rows, sizeof rows);
	/* The request's key (the console's: its process, time and request
	 * number) names the file apart from any other request's. */
	char want[512];
	snprintf(want, sizeof want,
	         "console|console|user|0|operator|{\"what\":\"stats\",\"region\":\"3713\","
	         "\"year\":2025,\"today\":\"2026-06-15\",\"name\":\"临沂市首席质量官"
	         "基本情况统计表（2025年）.xlsx\",\"request\":\"export:console:console:%ld:",
	         (long)getpid());
	assert_int_equal(strncmp(rows, want, strlen(want)), 0);
	assert_string_equal(rows + strlen(rows) - 2, "\"}");
	assert_int_equal(fixture_int(fx, EXPORT_AUDITS), 1);
	assert_int_equal(fixture_int(fx, "SELECT count(*) FROM outbox WHERE kind = 'file'"
	                                 " AND state = 'pending' AND media_id IS NULL"), 1);

	/* A clerk on WeCom: the file goes to them; their region by default,
	 * this year, the category named (export = 导出, stats = 统计). */
	fixture_exec(fx, "INSERT INTO identities (platform, tenant, user_id, role, scope_region,"
	                 " created_at, updated_at, instance) VALUES ('wecom', 'test', 'clerk-wx',"
	                 " 'clerk', '371302', 1, 1, 'test')");
	assert_string_equal(fixture_say_on(fx, "wecom", "clerk-wx", false, "export stats 规模以上"),
	                    "正在生成《兰山区规上企业首席质量官基本情况统计表（2026年）.xlsx》，"
	                    "生成后以文件消息发送到本会话，请稍候。");
	assert_string_equal(fixture_say_on(fx, "wecom", "clerk-wx", false, "导出"),
	                    "正在生成《兰山区首席质量官基本情况统计表（2026年）.xlsx》，"
	                    "生成后以文件消息发送到本会话，请稍候。");
	fixture_text(fx, FILE_ROWS " ", rows, sizeof rows);
	assert_true(fixture_has(rows, "\nwecom|test|user|0|clerk-wx|{\"what\":\"stats\","
	                              "\"region\":\"371302\",\"category\":\"规上\",\"year\":2026,"));
	assert_true(fixture_has(rows, "\nwecom|test|user|0|clerk-wx|{\"what\":\"stats\","
	                              "\"region\":\"371302\",\"year\":2026,"));
	assert_int_equal(fixture_int(fx, EXPORT_AUDITS), 3);
	assert_int_equal(fixture_int(fx, "SELECT count(*) FROM audit_log WHERE entity = 'export'"
	                                 " AND actor_user = 'clerk-wx' AND command = '导出'"), 2);
}

/* Only clerks and admins; a region beyond the clerk's scope is answered
 * as one that does not exist; bad arguments get the usage; a platform
 * that takes no files is told so and how else to get the table. None of
 * these queues anything. */
static void test_export_stats_refusals(void **state)
{
	struct fixture *fx = *state;
	uint64_t before;
	bool err;
	const char *text;
	char missing[256];

	before = fixture_digest(fx);
	assert_refused_to_others(fx, "导出 统计");
	assert_refused_to_others(fx, "导出 统计 371302");
	text = fixture_say_in(fx, FX_CLERK_LS, false, "导出 统计 999999", &err);
	snprintf(missing, sizeof missing, "%s", text);
	assert_true(err && fixture_has(missing, "地区代码 999999 不存在"));
	text = fixture_say_in(fx, FX_CLERK_LS, false, "导出 统计 3713", &err);
	assert_true(err && fixture_has(text, "地区代码 3713 不存在"));
	assert_false(fixture_has(text, "管辖范围"));
	text = fixture_say_in(fx, FX_CLERK_LS, false, "导出 统计 610113", &err);
	assert_true(err && fixture_has(text, "地区代码 610113 不存在"));
	text = fixture_say_in(fx, FX_CLERK_LY, false, "导出 统计 临沂市 2025 2026", &err);
	assert_true(err && fixture_has(text, "参数“2026”重复"));
	assert_true(fixture_has(text, "用法：导出 统计 [地区] [类别] [年份]"));
	text = fixture_say_in(fx, FX_CLERK_LY, false, "导出 统计 3713 规上 2025 多余", &err);
	assert_true(err && fixture_has(text, "用法：导出 统计 [地区] [类别] [年份]"));
	/* The fixture's platform is the generic adapter: no files there. */
	text = fixture_say_in(fx, FX_CLERK_LS, false, "导出 统计", &err);
	assert_false(err);
	assert_string_equal(text, "当前平台不支持接收文件，无法在此发送统计表。请用“统计”命令查看，"
	                          "或请系统管理员在服务器上运行 cqoctl export stats --format xlsx"
	                          " 导出 Excel 文件。");
	assert_int_equal(fixture_int(fx, "SELECT count(*) FROM outbox WHERE kind = 'file'"), 0);
	assert_int_equal(fixture_int(fx, EXPORT_AUDITS), 0);
	assert_true(fixture_digest(fx) == before);
}

#define T(f) cmocka_unit_test_setup_teardown(f, fixture_setup, fixture_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_expiring_scope_and_roles),
		T(test_expiring_today),
		T(test_expiring_group_chat_same_and_no_contact_details),
		T(test_bad_arguments_get_usage_and_are_logged),
		T(test_overdue_lapsed_term),
		T(test_untrained_reasons_and_scope),
		T(test_untrained_follows_the_policy),
		T(test_sanction_list),
		T(test_vacant_by_category),
		T(test_vacant_names_the_last_cqo),
		T(test_long_lists_page),
		T(test_next_page_button),
		T(test_stats_hand_computed),
		T(test_stats_three_years),
		T(test_stats_by_name_alias_and_sme),
		T(test_stats_refusals_and_bad_arguments),
		T(test_target_sets_and_feeds_stats),
		T(test_target_trained_and_new_filings),
		T(test_target_refusals_and_bad_arguments),
		T(test_export_stats_queues_a_file),
		T(test_export_stats_refusals),
	};
	return cmocka_run_group_tests(tests, fixture_group_setup, fixture_group_teardown);
}
