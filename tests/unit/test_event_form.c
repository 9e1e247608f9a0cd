/* The 活动 发布 / 活动 修改 form (handlers/event_form.c): every field, every
 * problem reported at once, and a change applied over an event. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../../handlers/args.h"
#include "../../handlers/event_form.h"

#define NOW 1790000000   /* 2026-09-21 22:13 China Standard Time */

/* 2026-12-01 14:00 and 17:00 CST. */
#define DEC1_1400 1796104800
#define DEC1_1700 1796115600
/* 2026-11-28 23:59 CST. */
#define NOV28_2359 1795881540

/* The reply's lines joined, for substring checks. */
static char *lines(const struct reply *r)
{
	char *out = reply_render_text(r);

	assert_non_null(out);
	return out;
}

/* Reads a form as the tokenizer hands it over (full-width colons folded). */
static int read_form(const char *text, bool creating, struct store_event *ev, char *alliance,
                     unsigned *changed, struct reply *r)
{
	char *body = args_normalize(text);
	int rc;

	assert_non_null(body);
	rc = event_form_read(body, creating, NOW, ev, alliance, 128, changed, r);
	free(body);
	return rc;
}

static int read_new(const char *text, struct store_event *ev, char *alliance, unsigned *changed,
                    char **errors)
{
	struct reply r;
	int rc;

	reply_init(&r);
	rc = read_form(text, true, ev, alliance, changed, &r);
	*errors = lines(&r);
	reply_free(&r);
	return rc;
}

static void test_full_form(void **state)
{
	struct store_event ev;
	char alliance[128], *errors;
	unsigned changed;

	(void)state;
	assert_int_equal(read_new("类型：沙龙\n标题：质量提升交流\n开始时间：2026-12-01 14:00\n"
	                          "结束时间：2026-12-01 17:00\n地点：会展中心\n"
	                          "线上链接：https://meeting.example.com/a\n人数上限：40\n"
	                          "报名截止：2026-11-28\n简介：交流经验\n第二行\n开放报名：是\n"
	                          "联盟：示例联盟",
	                          &ev, alliance, &changed, &errors), 0);
	free(errors);
	assert_string_equal(ev.kind, "沙龙");
	assert_string_equal(ev.title, "质量提升交流");
	assert_int_equal(ev.starts_at, DEC1_1400);
	assert_int_equal(ev.ends_at, DEC1_1700);
	assert_string_equal(ev.place, "会展中心");
	assert_string_equal(ev.link, "https://meeting.example.com/a");
	assert_int_equal(ev.capacity, 40);
	assert_int_equal(ev.signup_deadline, NOV28_2359);
	assert_string_equal(ev.description, "交流经验\n第二行");
	assert_true(ev.is_open);
	assert_string_equal(alliance, "示例联盟");
	assert_int_equal(changed, EVENT_F_KIND | EVENT_F_TITLE | EVENT_F_TIME | EVENT_F_PLACE |
	                          EVENT_F_CAPACITY | EVENT_F_DEADLINE | EVENT_F_DESCRIPTION |
	                          EVENT_F_OPEN);
}

static void test_minimal_form(void **state)
{
	struct store_event ev;
	char alliance[128], *errors;
	unsigned changed;

	(void)state;
	/* English names, online only, no limit, members only by default. */
	assert_int_equal(read_new("type: 论坛\ntitle: 线上论坛\nstart: 2026-12-01 14:00\n"
	                          "link: http://x.example.com\ncapacity: 不限",
	                          &ev, alliance, &changed, &errors), 0);
	free(errors);
	assert_string_equal(ev.kind, "论坛");
	assert_string_equal(ev.place, "");
	assert_int_equal(ev.capacity, 0);
	assert_int_equal(ev.signup_deadline, 0);
	assert_false(ev.is_open);
	assert_string_equal(alliance, "");
	assert_int_equal(read_new("", &ev, alliance, &changed, &errors), -ENODATA);
	free(errors);
}

static void test_every_problem(void **state)
{
	struct store_event ev;
	char alliance[128], *errors;
	unsigned changed;

	(void)state;
	assert_int_equal(read_new("类型：茶话会\n开始时间：2026-09-01 09:00\n"
	                          "结束时间：明天\n线上链接：ftp://x\n人数上限：0\n"
	                          "报名截止：2026-02-30\n开放报名：也许\n颜色：红",
	                          &ev, alliance, &changed, &errors), -EINVAL);
	assert_non_null(strstr(errors, "未知字段“颜色”"));
	assert_non_null(strstr(errors, "缺少必填字段“标题”"));
	assert_non_null(strstr(errors, "类型：应为 沙龙"));
	assert_non_null(strstr(errors, "开始时间：不能早于现在"));
	assert_non_null(strstr(errors, "结束时间：时间格式不正确"));
	assert_non_null(strstr(errors, "线上链接：应为 http:// 或 https://"));
	assert_non_null(strstr(errors, "人数上限应为 1 到 100000 之间的整数"));
	assert_non_null(strstr(errors, "报名截止：格式不正确"));
	assert_non_null(strstr(errors, "开放报名：应为 是 或 否"));
	free(errors);

	/* Checks between fields, once each field is right. */
	assert_int_equal(read_new("类型：沙龙\n标题：甲\n开始时间：2026-12-01 14:00\n"
	                          "结束时间：2026-12-01 13:00\n报名截止：2026-12-02",
	                          &ev, alliance, &changed, &errors), -EINVAL);
	assert_non_null(strstr(errors, "请填写地点或线上链接"));
	assert_non_null(strstr(errors, "结束时间不能早于开始时间"));
	assert_non_null(strstr(errors, "报名截止不能晚于开始时间"));
	free(errors);

	/* Lengths count characters. */
	assert_int_equal(read_new("类型：沙龙\n标题：一二三四五六七八九十一二三四五六七八九十"
	                          "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十"
	                          "一二三四五六七八九十一\n开始时间：2026-12-01 14:00\n地点：甲",
	                          &ev, alliance, &changed, &errors), -EINVAL);
	assert_non_null(strstr(errors, "标题：过长，最多 60 个字"));
	free(errors);
}

static void test_change(void **state)
{
	struct store_event ev = {
		.id = 3, .alliance_id = 1, .kind = "沙龙", .title = "旧标题", .starts_at = DEC1_1400,
		.place = "旧地点", .capacity = 10, .signup_deadline = NOV28_2359,
	};
	char alliance[128], *errors;
	unsigned changed;
	struct reply r;

	(void)state;
	reply_init(&r);
	assert_int_equal(read_form("地点：新地点\n人数上限：20\n报名截止：无", false, &ev, alliance,
	                           &changed, &r), 0);
	assert_int_equal(r.n_items, 0);
	assert_string_equal(ev.place, "新地点");
	assert_string_equal(ev.title, "旧标题");
	assert_int_equal(ev.capacity, 20);
	assert_int_equal(ev.signup_deadline, 0);
	assert_int_equal(ev.id, 3);
	assert_int_equal(changed, EVENT_F_PLACE | EVENT_F_CAPACITY | EVENT_F_DEADLINE);

	/* The place cleared with no link left, or the alliance named: refused. */
	assert_int_equal(read_form("地点：无", false, &ev, alliance, &changed, &r), -EINVAL);
	assert_int_equal(read_form("联盟：乙", false, &ev, alliance, &changed, &r), -EINVAL);
	errors = lines(&r);
	assert_non_null(strstr(errors, "请填写地点或线上链接"));
	assert_non_null(strstr(errors, "活动不能改到其他联盟"));
	free(errors);
	reply_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_form),
		cmocka_unit_test(test_minimal_form),
		cmocka_unit_test(test_every_problem),
		cmocka_unit_test(test_change),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
