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

/* The health series' 师 grade is 初级 (药师, 护师, 医师; 主管 is 中级), and
 * a position is no title at all, whatever its 副 or 高级 or 主任. */
static void test_title_ladder(void **state)
{
	(void)state;
	assert_int_equal(eligibility_title_rank("药师"), 1);
	assert_int_equal(eligibility_title_rank("护师"), 1);
	assert_int_equal(eligibility_title_rank("医师"), 1);
	assert_int_equal(eligibility_title_rank("中药师"), 1);
	assert_int_equal(eligibility_title_rank("检验技师"), 1);
	assert_int_equal(eligibility_title_rank("主管护师"), 2);
	assert_int_equal(eligibility_title_rank("主治医师"), 2);
	assert_int_equal(eligibility_title_rank("副主任护师"), 3);
	assert_int_equal(eligibility_title_rank("会计师"), 2);
	assert_int_equal(eligibility_title_rank("助理研究员"), 2);
	assert_int_equal(eligibility_title_rank("副研究员"), 3);
	assert_int_equal(eligibility_title_rank("高级经济师"), 3);
	assert_int_equal(eligibility_title_rank("副总经理"), 0);
	assert_int_equal(eligibility_title_rank("副总裁"), 0);
	assert_int_equal(eligibility_title_rank("副厂长"), 0);
	assert_int_equal(eligibility_title_rank("高级经理"), 0);
	assert_int_equal(eligibility_title_rank("主任"), 0);
	assert_int_equal(eligibility_title_rank("总经理助理"), 0);
}

static void test_position_class(void **state)
{
	(void)state;
	assert_int_equal(eligibility_position_class(NULL), ELIG_POS_NONE);
	assert_int_equal(eligibility_position_class("工程师"), ELIG_POS_NONE);
	assert_int_equal(eligibility_position_class("质量部副部长"), ELIG_POS_NONE);
	assert_int_equal(eligibility_position_class("车间主任"), ELIG_POS_NONE);
	assert_int_equal(eligibility_position_class("总经理"), ELIG_POS_HEAD);
	assert_int_equal(eligibility_position_class("董事长"), ELIG_POS_HEAD);
	assert_int_equal(eligibility_position_class("厂长"), ELIG_POS_HEAD);
	assert_int_equal(eligibility_position_class("副总经理"), ELIG_POS_DEPUTY);
	assert_int_equal(eligibility_position_class("副总裁"), ELIG_POS_DEPUTY);
	assert_int_equal(eligibility_position_class("副厂长"), ELIG_POS_DEPUTY);
	assert_int_equal(eligibility_position_class("总经理助理"), ELIG_POS_DEPUTY);
	assert_int_equal(eligibility_position_class("总裁助理"), ELIG_POS_DEPUTY);
	assert_int_equal(eligibility_position_class("质量总监"), ELIG_POS_DEPUTY);
	assert_int_equal(eligibility_position_class("质量部部长"), ELIG_POS_QUALITY_HEAD);
	assert_int_equal(eligibility_position_class("品质部经理"), ELIG_POS_QUALITY_HEAD);
	assert_int_equal(eligibility_position_class("质量管理部主任"), ELIG_POS_QUALITY_HEAD);
	/* A combined post counts as its highest part. */
	assert_int_equal(eligibility_position_class("质量部部长兼总经理助理"), ELIG_POS_DEPUTY);
	assert_string_equal(eligibility_position_name(ELIG_POS_DEPUTY), "高层副职");
	assert_int_equal(eligibility_position_parse("质量部门负责人"), ELIG_POS_QUALITY_HEAD);
	assert_int_equal(eligibility_position_parse("主要负责人"), ELIG_POS_HEAD);
	assert_int_equal(eligibility_position_parse("部长"), ELIG_POS_NONE);
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

/* Nantong (seed 002 art. 5): from the senior deputies or the head of the
 * quality department. */
static void nantong(struct store_policy *p)
{
	shandong(p);
	snprintf(p->min_title, sizeof p->min_title, "中级");
	p->eligibility_any = true;
	snprintf(p->positions, sizeof p->positions, "高层副职,质量部门负责人");
	snprintf(p->disqualifications, sizeof p->disqualifications,
	         "违法违规造成重大失误或受刑事处罚|利用职务谋取不正当利益");
}

static void test_position_rule(void **state)
{
	struct store_policy p;
	struct eligibility_input in = {.quality_years = 5, .education = "本科",
	                               .position = "质量部部长", .disqualify = "无"};
	char out[512];
	(void)state;

	nantong(&p);
	assert_int_equal(eligibility_check(&p, &in, out, sizeof out), 0);
	in.position = "总经理助理";
	assert_int_equal(eligibility_check(&p, &in, out, sizeof out), 0);
	in.position = "车间主任";
	assert_int_equal(eligibility_check(&p, &in, out, sizeof out), 1);
	assert_string_equal(out, "现任职务“车间主任”不符合任职岗位要求（高层副职或质量部门负责人）");
	in.position = NULL;
	assert_int_equal(eligibility_check(&p, &in, out, sizeof out), 1);
	assert_string_equal(out, "未填写现任职务（任职岗位要求：高层副职或质量部门负责人）");
	/* Shaanxi: 副总经理 or above in 规上 firms, small firms at discretion. */
	shaanxi(&p);
	snprintf(p.positions, sizeof p.positions, "主要负责人,高层副职");
	p.positions_small_exempt = true;
	in.position = "质量部部长";
	assert_int_equal(eligibility_check(&p, &in, out, sizeof out), 1);
	assert_string_equal(out, "现任职务“质量部部长”不符合任职岗位要求（主要负责人或高层副职）");
	in.small = true;
	assert_int_equal(eligibility_check(&p, &in, out, sizeof out), 0);
	in.position = "总经理";
	in.small = false;
	assert_int_equal(eligibility_check(&p, &in, out, sizeof out), 0);
}

/* Art. 6 is declared by the filer: not declared, or an item declared, is
 * a warning. */
static void test_disqualification_checklist(void **state)
{
	struct store_policy p;
	struct eligibility_input in = {.quality_years = 5, .education = "本科",
	                               .position = "副总经理"};
	char out[512];
	(void)state;

	nantong(&p);
	assert_int_equal(eligibility_check(&p, &in, out, sizeof out), 1);
	assert_string_equal(out, "未声明是否存在不得担任首席质量官的情形（1. 违法违规造成重大失误或"
	                         "受刑事处罚；2. 利用职务谋取不正当利益）");
	in.disqualify = "否";
	assert_int_equal(eligibility_check(&p, &in, out, sizeof out), 0);
	in.disqualify = "不存在";
	assert_int_equal(eligibility_check(&p, &in, out, sizeof out), 0);
	in.disqualify = "2";
	assert_int_equal(eligibility_check(&p, &in, out, sizeof out), 1);
	assert_string_equal(out, "申报存在不得担任首席质量官的情形：2");
	/* Without a checklist in the policy nothing is asked. */
	shandong(&p);
	in.disqualify = NULL;
	assert_int_equal(eligibility_check(&p, &in, out, sizeof out), 0);
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
		cmocka_unit_test(test_title_ladder),
		cmocka_unit_test(test_position_class),
		cmocka_unit_test(test_all_met),
		cmocka_unit_test(test_shandong_warnings),
		cmocka_unit_test(test_shaanxi_either),
		cmocka_unit_test(test_position_rule),
		cmocka_unit_test(test_disqualification_checklist),
		cmocka_unit_test(test_no_requirements),
		cmocka_unit_test(test_truncated),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
