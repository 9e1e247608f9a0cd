/* The 备案 / 更换 form (handlers/appoint_form.c): field names and aliases,
 * normalized values, optional enterprise fields for 更换, and one reply
 * listing every problem. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "../../handlers/appoint_form.h"
#include "../../handlers/args.h"

#define NOW 1781488800LL   /* 2026-06-15 10:00 CST */

struct run {
	struct args args;
	struct reply reply;
	struct cmd_ctx ctx;
	struct appoint_form form;
	int rc;
	char *text;   /* the rendered reply */
};

static void run_form(struct run *r, const char *text, bool replace)
{
	memset(r, 0, sizeof *r);
	assert_int_equal(args_tokenize(text, &r->args), 0);
	reply_init(&r->reply);
	r->ctx.args = &r->args;
	r->ctx.reply = &r->reply;
	r->ctx.now = NOW;
	r->rc = appoint_form_read(&r->ctx, replace, &r->form);
	r->text = reply_render_text(&r->reply);
	assert_non_null(r->text);
}

static void run_free(struct run *r)
{
	appoint_form_free(&r->form);
	reply_free(&r->reply);
	args_free(&r->args);
	free(r->text);
}

static void test_full_form_normalized(void **state)
{
	struct run r;
	(void)state;

	run_form(&r, "备案\n"
	             "name: 李雷\n"
	             "性别：m\n"
	             "出生年月：1985年4月1日\n"
	             "学历：本科\n"
	             "质量工作年限：5\n"
	             "职称：工程师\n"
	             "电话：139 0000 1111\n"
	             "email：lilei@example.com\n"
	             "企业：测试机械有限公司\n"
	             "信用代码：91350100m000100y43\n"
	             "region：371302\n"
	             "行业代码：c3411\n"
	             "职工人数：120\n"
	             "规模：小型\n"
	             "工作简历：2010年起从事质量工作\n"
	             "  2018年任质量总监\n"
	             "聘任文件号：测聘〔2026〕1号\n"
	             "start：2026/1/1\n"
	             "任期：5\n", false);
	assert_int_equal(r.rc, 0);
	const struct store_appoint_filing *in = &r.form.filing;
	assert_string_equal(in->person.name, "李雷");
	assert_string_equal(in->person.gender, "男");
	assert_string_equal(in->person.birth_date, "1985-04-01");
	assert_int_equal(in->person.quality_years, 5);
	assert_string_equal(in->person.phone, "13900001111");
	assert_string_equal(in->person.resume, "2010年起从事质量工作\n2018年任质量总监");
	assert_null(in->person.major);
	assert_string_equal(in->enterprise.credit_code, "91350100M000100Y43");
	assert_string_equal(in->enterprise.region_code, "371302");
	assert_string_equal(in->enterprise.industry_code, "C3411");
	assert_string_equal(in->enterprise.size, "小微");
	assert_int_equal(in->enterprise.employees, 120);
	assert_null(in->enterprise.nature);
	assert_string_equal(in->start_date, "2026-01-01");
	assert_int_equal(r.form.term_years, 5);
	assert_string_equal(r.text, "");
	run_free(&r);
}

/* The 企业首席质量官信息表 (seed 000) as printed: its labels, its notes in
 * brackets, "5年", 所在地 and 所属行业 by name, 企业规模 as 填表说明 words it. */
static void test_form_as_written(void **state)
{
	struct run r;
	(void)state;

	run_form(&r, "备案\n"
	             "首席质量官姓名：李雷\n"
	             "性别：男\n"
	             "出生日期：1985年4月1日\n"
	             "学历：本科\n"
	             "专业：机械工程\n"
	             "质量工作年限：12年\n"
	             "现任职务：质量副总\n"
	             "职称：高级工程师\n"
	             "联系电话/手机：13900001111\n"
	             "Email：lilei@example.com\n"
	             "所在企业名称：测试机械有限公司\n"
	             "统一社会信用代码：91350100M000100Y43\n"
	             "所属行业：制造业\n"
	             "所在地：临沂市兰山区\n"
	             "企业员工数：120\n"
	             "企业性质：民营\n"
	             "企业规模：中型企业\n"
	             "主营业务/主要产品：轴承\n"
	             "首席质量官工作简历 (包括取得的质量管理成果及经验、获奖情况等)：2010年起从事质量工作\n"
	             "首席质量官聘任时间：2026年1月1日\n"
	             "聘任文件号：测聘〔2026〕1号\n"
	             "备注：无\n", false);
	assert_string_equal(r.text, "");
	assert_int_equal(r.rc, 0);
	const struct store_appoint_filing *in = &r.form.filing;
	assert_string_equal(in->person.name, "李雷");
	assert_string_equal(in->person.major, "机械工程");
	assert_int_equal(in->person.quality_years, 12);
	assert_string_equal(in->person.position, "质量副总");
	assert_string_equal(in->person.phone, "13900001111");
	assert_string_equal(in->person.email, "lilei@example.com");
	assert_string_equal(in->person.resume, "2010年起从事质量工作");
	assert_string_equal(in->enterprise.name, "测试机械有限公司");
	assert_string_equal(in->enterprise.industry_code, "C");
	assert_int_equal(in->enterprise.employees, 120);
	assert_string_equal(in->enterprise.size, "中型");
	assert_string_equal(in->enterprise.main_products, "轴承");
	assert_string_equal(in->start_date, "2026-01-01");
	/* 所在地 by name is the handler's to look up. */
	assert_string_equal(r.form.region_name, "临沂市兰山区");
	assert_null(in->enterprise.region_code);
	run_free(&r);

	/* A code stays a code; a name too long for any region is refused. */
	run_form(&r, "备案\n姓名：李雷\n企业名称：测\n统一社会信用代码：91350100M000100Y43\n"
	             "所在地：371302\n聘任文件号：X\n聘任日期：2026-01-01\n任期：3年", false);
	assert_int_equal(r.rc, 0);
	assert_null(r.form.region_name);
	assert_string_equal(r.form.filing.enterprise.region_code, "371302");
	assert_int_equal(r.form.term_years, 3);
	run_free(&r);
	run_form(&r, "备案\n姓名：李雷\n企业名称：测\n统一社会信用代码：91350100M000100Y43\n"
	             "所在地：山东省临沂市兰山区兰山区兰山区兰山区兰山区兰山区兰山区兰山区兰山区兰山区兰山区兰山区\n"
	             "聘任文件号：X\n聘任日期：2026-01-01", false);
	assert_int_equal(r.rc, HANDLER_USAGE);
	assert_non_null(strstr(r.text, "所在地区过长：最多 40 个字"));
	run_free(&r);
}

static void test_replace_needs_no_enterprise(void **state)
{
	struct run r;
	(void)state;

	run_form(&r, "更换 2\n姓名：韩梅梅\n聘任文件号：X1\n聘任日期：2026-06-01", true);
	assert_int_equal(r.rc, 0);
	assert_null(r.form.filing.enterprise.credit_code);
	assert_null(r.form.filing.enterprise.region_code);
	assert_int_equal(r.form.filing.person.quality_years, -1);
	assert_int_equal(r.form.filing.enterprise.employees, -1);
	assert_int_equal(r.form.term_years, -1);
	run_free(&r);

	/* 备案 needs them. */
	run_form(&r, "备案\n姓名：韩梅梅\n聘任文件号：X1\n聘任日期：2026-06-01", false);
	assert_int_equal(r.rc, HANDLER_USAGE);
	assert_non_null(strstr(r.text, "缺少必填字段“企业名称”"));
	assert_non_null(strstr(r.text, "缺少必填字段“统一社会信用代码”"));
	assert_non_null(strstr(r.text, "缺少必填字段“所在地区”"));
	run_free(&r);
}

static void test_every_problem_listed(void **state)
{
	struct run r;
	(void)state;

	run_form(&r, "备案\n"
	             "姓名：李雷\n"
	             "出生日期：2027-01-01\n"
	             "手机：123\n"
	             "企业名称：测试\n"
	             "统一社会信用代码：91350100M000100Y44\n"
	             "所在地区：3713\n"
	             "职务：总监\n"
	             "  兼质量部部长\n"
	             "聘任文件号：X1\n"
	             "聘任日期：2026-02-30\n"
	             "爱好：钓鱼\n", false);
	assert_int_equal(r.rc, HANDLER_USAGE);
	static const char *const want[] = {
		"第 12 行：未知字段“爱好”",
		"职务应写在一行内",
		"出生日期不能晚于今天",
		"手机：电话格式不正确",
		"统一社会信用代码校验位错误：应为 3",
		"所在地区应为 6 位县级行政区划代码",
		"聘任日期：日期不存在",
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		assert_non_null(strstr(r.text, want[i]));
	run_free(&r);
}

static void test_empty_form_lists_fields(void **state)
{
	struct run r;
	(void)state;

	run_form(&r, "备案", false);
	assert_int_equal(r.rc, HANDLER_USAGE);
	assert_non_null(strstr(r.text, "姓名：（必填）"));
	assert_non_null(strstr(r.text, "统一社会信用代码：（必填）"));
	assert_non_null(strstr(r.text, "\n备注："));
	run_free(&r);
	run_form(&r, "更换 2", true);
	assert_int_equal(r.rc, HANDLER_USAGE);
	assert_null(strstr(r.text, "统一社会信用代码：（必填）"));
	run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_form_normalized),
		cmocka_unit_test(test_form_as_written),
		cmocka_unit_test(test_replace_needs_no_enterprise),
		cmocka_unit_test(test_every_problem_listed),
		cmocka_unit_test(test_empty_form_lists_fields),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
