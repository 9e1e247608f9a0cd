/* Multi-line "键：值" forms and masking of personal data. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../../handlers/form.h"
#include "../../handlers/mask.h"

static const struct form_spec spec[] = {
	{"name", "姓名|name", true},
	{"code", "统一社会信用代码|credit_code", true},
	{"resume", "工作简历|resume", false},
	{"phone", "手机|phone", false},
};
#define N_SPEC (sizeof spec / sizeof spec[0])

static void test_parse_ok(void **state)
{
	struct form f;
	struct reply errs;
	(void)state;
	reply_init(&errs);
	assert_int_equal(form_parse("姓名:张三\n  NAME_IGNORED_LINE_IS_CONTINUATION\n"
	                            "credit_code : 91350100M000100Y43 \n\n工作简历:2001 入职\n2010 任质量部长\n",
	                            spec, N_SPEC, &f, &errs), 0);
	assert_string_equal(form_get(&f, "name"), "张三\nNAME_IGNORED_LINE_IS_CONTINUATION");
	assert_string_equal(form_get(&f, "code"), "91350100M000100Y43");
	assert_string_equal(form_get(&f, "resume"), "2001 入职\n2010 任质量部长");
	assert_null(form_get(&f, "phone"));
	assert_null(form_get(&f, "nosuch"));
	assert_int_equal(errs.n_items, 0);
	form_free(&f);
	reply_free(&errs);
}

static void test_parse_reports_every_error(void **state)
{
	struct form f;
	struct reply errs;
	(void)state;
	reply_init(&errs);
	assert_int_equal(form_parse("没有冒号的开头\n姓名:甲\n姓名:乙\n年龄:30\n手机:\n", spec, N_SPEC,
	                            &f, &errs),
	                 -EINVAL);
	char *text = reply_render_text(&errs);
	assert_non_null(strstr(text, "第 2 行缺少冒号"));
	assert_non_null(strstr(text, "第 4 行：字段“姓名”重复填写"));
	assert_non_null(strstr(text, "第 5 行：未知字段“年龄”"));
	assert_non_null(strstr(text, "缺少必填字段“统一社会信用代码”"));
	assert_int_equal(errs.n_items, 4);
	free(text);
	form_free(&f);
	reply_free(&errs);
}

static void test_empty_body_lists_missing(void **state)
{
	struct form f;
	struct reply errs;
	(void)state;
	reply_init(&errs);
	assert_int_equal(form_parse("", spec, N_SPEC, &f, &errs), -EINVAL);
	assert_int_equal(errs.n_items, 2);
	form_free(&f);
	reply_free(&errs);
	reply_init(&errs);
	form_describe(spec, N_SPEC, &errs);
	assert_string_equal(errs.items[0].text, "姓名：（必填）");
	assert_string_equal(errs.items[2].text, "工作简历：");
	reply_free(&errs);
}

static void test_masking(void **state)
{
	char out[64];
	(void)state;
	mask_phone("13812345678", out, sizeof out);
	assert_string_equal(out, "138****5678");
	mask_phone("0539-1234567", out, sizeof out);
	assert_string_equal(out, "053****4567");
	mask_phone("123", out, sizeof out);
	assert_string_equal(out, "****");
	mask_email("zhang@example.com", out, sizeof out);
	assert_string_equal(out, "z***@example.com");
	mask_email("张@example.com", out, sizeof out);
	assert_string_equal(out, "****@example.com");
	mask_email("nobody", out, sizeof out);
	assert_string_equal(out, "***");
	mask_birth_date("1980-05-01", out, sizeof out);
	assert_string_equal(out, "1980 年");
	mask_birth_date("", out, sizeof out);
	assert_string_equal(out, "****");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_ok),
		cmocka_unit_test(test_parse_reports_every_error),
		cmocka_unit_test(test_empty_body_lists_missing),
		cmocka_unit_test(test_masking),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
