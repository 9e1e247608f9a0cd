/* Eligibility at filing (handlers/eligibility.c): how education and titles
 * are ranked, and which warnings each policy gives. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "../../store/store_policy.h"
#include "../../handlers/eligibility.h"

static void test_education_rank(void **state)
{
	(void)state;
	assert_int_equal(eligibility_education_rank(NULL), 0);
	assert_int_equal(eligibility_education_rank(""), 0);
	assert_int_equal(eligibility_education_rank("高中"), 0);
	assert_int_equal(eligibility_education_rank("中专"), 0);
	assert_int_equal(eligibility_education_rank("大专"), 1);
	assert_int_equal(eligibility_education_rank("大学专科"), 1);
	assert_int_equal(eligibility_education_rank("本科"), 2);
	assert_int_equal(eligibility_education_rank("大学本科"), 2);
	assert_int_equal(eligibility_education_rank("大学"), 2);
	assert_int_equal(eligibility_education_rank("硕士研究生"), 3);
	assert_int_equal(eligibility_education_rank("研究生"), 3);
	assert_int_equal(eligibility_education_rank("博士研究生"), 4);
	assert_int_equal(eligibility_education_rank("博士"), 4);
}

static void test_title_rank(void **state)
{
	(void)state;
	assert_int_equal(eligibility_title_rank(NULL), 0);
	assert_int_equal(eligibility_title_rank("无"), 0);
	assert_int_equal(eligibility_title_rank("初级"), 1);
	assert_int_equal(eligibility_title_rank("助理工程师"), 1);
	assert_int_equal(eligibility_title_rank("技术员"), 1);
	assert_int_equal(eligibility_title_rank("中级"), 2);
	assert_int_equal(eligibility_title_rank("工程师"), 2);
	assert_int_equal(eligibility_title_rank("经济师"), 2);
	assert_int_equal(eligibility_title_rank("主管药师"), 2);
	assert_int_equal(eligibility_title_rank("副高级"), 3);
	assert_int_equal(eligibility_title_rank("高级工程师"), 3);
	assert_int_equal(eligibility_title_rank("副主任药师"), 3);
	assert_int_equal(eligibility_title_rank("副教授"), 3);
	assert_int_equal(eligibility_title_rank("正高级工程师"), 4);
	assert_int_equal(eligibility_title_rank("教授级高级工程师"), 4);
	assert_int_equal(eligibility_title_rank("主任药师"), 4);
	assert_int_equal(eligibility_title_rank("研究员"), 4);
}

/* Shandong: 3 years and 大专, both required. */
static void shandong(struct store_policy *p)
{
	memset(p, 0, sizeof *p);
	p->min_quality_years = 3;
	snprintf(p->min_education, sizeof p->min_education, "大专");
}

/* Shaanxi: 3 years, and 本科 or a 中级 title. */
static void shaanxi(struct store_policy *p)
{
	shandong(p);
	snprintf(p->min_education, sizeof p->min_education, "本科");
	snprintf(p->min_title, sizeof p->min_title, "中级");
	p->eligibility_any = true;
}

static void test_all_met(void **state)
{
	struct store_policy p;
	struct eligibility_input in = {.quality_years = 3, .education = "本科", .title = "工程师"};
	char out[512] = "x";
	(void)state;

	shandong(&p);
	assert_int_equal(eligibility_check(&p, &in, out, sizeof out), 0);
	assert_string_equal(out, "");
	shaanxi(&p);
	assert_int_equal(eligibility_check(&p, &in, out, sizeof out), 0);
}

static void test_shandong_warnings(void **state)
{
	struct store_policy p;
	struct eligibility_input in = {.quality_years = 2, .education = "中专"};
	char out[512];
	(void)state;

	shandong(&p);
	assert_int_equal(eligibility_check(&p, &in, out, sizeof out), 2);
	assert_string_equal(out, "质量工作年限 2 年，少于要求的 3 年；学历“中专”未达到大专及以上");
	in = (struct eligibility_input){.quality_years = -1};
	assert_int_equal(eligibility_check(&p, &in, out, sizeof out), 2);
	assert_string_equal(out, "未填写质量工作年限（要求不少于 3 年）；未填写学历（要求大专及以上）");
}

static void test_shaanxi_either(void **state)
{
	struct store_policy p;
	struct eligibility_input in = {.quality_years = 5, .education = "大专", .title = "工程师"};
	char out[512];
	(void)state;

	shaanxi(&p);
	/* The title suffices although the education does not. */
	assert_int_equal(eligibility_check(&p, &in, out, sizeof out), 0);
	in.title = "助理工程师";
	assert_int_equal(eligibility_check(&p, &in, out, sizeof out), 1);
	assert_string_equal(out, "学历、职称均未达到要求（本科及以上学历或中级及以上职称，满足其一即可）");
	in.education = "硕士研究生";
	assert_int_equal(eligibility_check(&p, &in, out, sizeof out), 0);
	/* In "all" mode both are needed. */
	p.eligibility_any = false;
	in = (struct eligibility_input){.quality_years = 5, .education = "硕士", .title = "助理工程师"};
	assert_int_equal(eligibility_check(&p, &in, out, sizeof out), 1);
	assert_string_equal(out, "职称“助理工程师”未达到中级及以上");
	in.title = NULL;
	assert_int_equal(eligibility_check(&p, &in, out, sizeof out), 1);
	assert_string_equal(out, "未填写职称（要求中级及以上）");
}

static void test_no_requirements(void **state)
{
	struct store_policy p = {0};
	struct eligibility_input in = {.quality_years = -1};
	char out[64];
	(void)state;

	assert_int_equal(eligibility_check(&p, &in, out, sizeof out), 0);
	assert_string_equal(out, "");
}

/* A short buffer is truncated, never overrun; the count stays right. */
static void test_truncated(void **state)
{
	struct store_policy p;
	struct eligibility_input in = {.quality_years = 0, .education = "高中"};
	char out[16];
	(void)state;

	shandong(&p);
	memset(out, 'x', sizeof out);
	assert_int_equal(eligibility_check(&p, &in, out, sizeof out), 2);
	assert_true(memchr(out, '\0', sizeof out) != NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_education_rank),
		cmocka_unit_test(test_title_rank),
		cmocka_unit_test(test_all_met),
		cmocka_unit_test(test_shandong_warnings),
		cmocka_unit_test(test_shaanxi_either),
		cmocka_unit_test(test_no_requirements),
		cmocka_unit_test(test_truncated),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
