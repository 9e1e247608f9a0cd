/* Field validation (handlers/validate.c): accepted values, their normalized
 * form, and the Chinese explanation of each refusal. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "../../handlers/category.h"
#include "../../handlers/validate.h"
#include "../../store/store_import.h"
#include "../../handlers/text/common.h"

static char why[VALIDATE_WHY_MAX];

static void test_credit_code_good(void **state)
{
	static const char *const good[] = {"91350100M000100Y43", "91110000600037341L"};
	char out[19];
	(void)state;

	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		assert_int_equal(validate_credit_code(good[i], out, why, sizeof why), 0);
		assert_string_equal(out, good[i]);
	}
	/* Lower case is accepted and upcased. */
	assert_int_equal(validate_credit_code("91110000600037341l", out, why, sizeof why), 0);
	assert_string_equal(out, "91110000600037341L");
}

static void test_credit_code_bad(void **state)
{
	char out[19];
	(void)state;

	assert_int_equal(validate_credit_code("91350100M000100Y44", out, why, sizeof why), -EINVAL);
	assert_string_equal(why, "统一社会信用代码校验位错误：应为 3");
	assert_int_equal(validate_credit_code("91110000600037341X", out, why, sizeof why), -EINVAL);
	assert_string_equal(why, "统一社会信用代码校验位错误：应为 L");
	/* I, O, S, V and Z are not in the charset. */
	assert_int_equal(validate_credit_code("91350100I000100Y43", out, why, sizeof why), -EINVAL);
	assert_string_equal(why, TXT_V_CREDIT_CHARS);
	assert_int_equal(validate_credit_code("9135010", out, why, sizeof why), -EINVAL);
	assert_string_equal(why, "统一社会信用代码应为 18 位，实际为 7 位");
	assert_int_equal(validate_credit_code("91350100M000100Y433", out, why, sizeof why), -EINVAL);
	assert_non_null(strstr(why, "实际为 19 位"));
	/* Counted in characters, not bytes. */
	assert_int_equal(validate_credit_code("统一社会信用代码", out, why, sizeof why), -EINVAL);
	assert_non_null(strstr(why, "实际为 8 位"));
	assert_int_equal(validate_credit_code("", out, why, sizeof why), -EINVAL);
}

static void test_phone(void **state)
{
	char out[32];
	(void)state;

	assert_int_equal(validate_phone("13800001111", out, why, sizeof why), 0);
	assert_string_equal(out, "13800001111");
	assert_int_equal(validate_phone("138 0000 1111", out, why, sizeof why), 0);
	assert_string_equal(out, "13800001111");
	assert_int_equal(validate_phone("138-0000-1111", out, why, sizeof why), 0);
	assert_string_equal(out, "13800001111");
	assert_int_equal(validate_phone("0539-1234567", out, why, sizeof why), 0);
	assert_string_equal(out, "0539-1234567");
	assert_int_equal(validate_phone("010-12345678-123", out, why, sizeof why), 0);
	assert_string_equal(out, "010-12345678-123");

	static const char *const bad[] = {
		"12800001111",      /* 12x is not a mobile prefix */
		"1380000111",       /* 10 digits */
		"138000011112",     /* 12 digits */
		"1380000111a",
		"0539-123456",      /* number too short */
		"0539-123456789",   /* too long */
		"05391-1234567",    /* area code too long */
		"0539-1234567-",    /* empty extension */
		"0539-1234567-1234567",
		"",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(validate_phone(bad[i], out, why, sizeof why), -EINVAL);
		assert_string_equal(why, TXT_V_PHONE);
	}
}

static void test_email(void **state)
{
	(void)state;
	assert_int_equal(validate_email("zhangsan@example.com", why, sizeof why), 0);
	assert_int_equal(validate_email("a.b+c@mail.example.cn", why, sizeof why), 0);

	static const char *const bad[] = {
		"zhangsan", "@example.com", "a@b@example.com", "a@example", "a@.com", "a@example.c",
		"a b@example.com", "a@example.com,b@example.com", "",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(validate_email(bad[i], why, sizeof why), -EINVAL);
		assert_string_equal(why, TXT_V_EMAIL);
	}
}

static void test_date(void **state)
{
	static const char *const good[][2] = {
		{"2026-11-21", "2026-11-21"}, {"2026/11/21", "2026-11-21"},
		{"2026.11.21", "2026-11-21"}, {"2026年11月21日", "2026-11-21"},
		{"2026-1-5", "2026-01-05"},   {"2024-02-29", "2024-02-29"},
	};
	char out[11];
	(void)state;

	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		assert_int_equal(validate_date(good[i][0], out, why, sizeof why), 0);
		assert_string_equal(out, good[i][1]);
	}
	static const char *const malformed[] = {
		"20261121", "2026-11", "2026-11-21 10:00", "2026-11-21x", "26-11-21", "2026- 1- 5",
		"2026-+1-05", "1899-01-01", "2026年11月21", "", "明天",
	};
	for (size_t i = 0; i < sizeof malformed / sizeof malformed[0]; i++) {
		assert_int_equal(validate_date(malformed[i], out, why, sizeof why), -EINVAL);
		assert_string_equal(why, TXT_V_DATE);
	}
	static const char *const unreal[] = {"2026-02-29", "2026-13-01", "2026-04-31", "2026-00-10"};
	for (size_t i = 0; i < sizeof unreal / sizeof unreal[0]; i++) {
		assert_int_equal(validate_date(unreal[i], out, why, sizeof why), -EINVAL);
		assert_string_equal(why, TXT_V_DATE_REAL);
	}
}

/* The edges of the calendar and of the forms, as validate_date has
 * always drawn them: what it accepts and what it says of the rest. */
static void test_date_edges(void **state)
{
	static const char *const good[][2] = {
		{"2000-02-29", "2000-02-29"}, {"2096-2-29", "2096-02-29"},
		{"1900-01-01", "1900-01-01"}, {"2100-12-31", "2100-12-31"},
		{"2026年1月5日", "2026-01-05"}, {"2026.1.31", "2026-01-31"},
		{"2026/12/1", "2026-12-01"},  {"2026-04-30", "2026-04-30"},
		{"2026-01-09", "2026-01-09"},
	};
	static const char *const malformed[] = {
		" 2026-11-21", "2026-11-21 ", "2026-11-21\t", "\t2026-11-21", "2026-011-21",
		"2026-11-211", "2026-11/21", "2026年11-21", "2026年11月21", "1899-12-31", "2101-01-01",
		"02026-1-1", "2026--11-21", "2026-11-", "-2026-11-21", "２０２６-11-21", "2026-1 1-21",
		"2026年11月21日 ", "0900-1-1x",
	};
	static const char *const unreal[] = {
		"2023-02-29", "1900-02-29", "2100-02-29", "2026-13-01", "2026-00-01", "2026-01-00",
		"2026-01-32", "2026-06-31", "2026-11-31", "2026-99-99", "2026年2月30日", "2026.9.31",
		"2026/02/29",
	};
	char out[11];
	(void)state;

	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		assert_int_equal(validate_date(good[i][0], out, why, sizeof why), 0);
		assert_string_equal(out, good[i][1]);
	}
	for (size_t i = 0; i < sizeof malformed / sizeof malformed[0]; i++) {
		assert_int_equal(validate_date(malformed[i], out, why, sizeof why), -EINVAL);
		assert_string_equal(why, TXT_V_DATE);
	}
	for (size_t i = 0; i < sizeof unreal / sizeof unreal[0]; i++) {
		assert_int_equal(validate_date(unreal[i], out, why, sizeof why), -EINVAL);
		assert_string_equal(why, TXT_V_DATE_REAL);
	}
}

static void test_datetime(void **state)
{
	long long t;
	(void)state;

	/* 2026-11-21 14:30 CST = 06:30 UTC. */
	assert_int_equal(validate_datetime("2026-11-21 14:30", &t, why, sizeof why), 0);
	assert_int_equal(t, 1795242600LL);
	assert_int_equal(validate_datetime("2026年11月21日 14:30", &t, why, sizeof why), 0);
	assert_int_equal(t, 1795242600LL);
	assert_int_equal(validate_datetime("2026-11-21", &t, why, sizeof why), -EINVAL);
	assert_string_equal(why, TXT_V_DATETIME);
	assert_int_equal(validate_datetime("2026-11-21 24:00", &t, why, sizeof why), -EINVAL);
	assert_int_equal(validate_datetime("2026-02-30 10:00", &t, why, sizeof why), -EINVAL);
	assert_string_equal(why, TXT_V_DATE_REAL);
}

static void test_size(void **state)
{
	char out[16];
	(void)state;

	assert_int_equal(validate_size("大型", out, why, sizeof why), 0);
	assert_string_equal(out, "大型");
	assert_int_equal(validate_size("中型", out, why, sizeof why), 0);
	assert_string_equal(out, "中型");
	assert_int_equal(validate_size("小型", out, why, sizeof why), 0);
	assert_string_equal(out, "小微");
	assert_int_equal(validate_size("微型", out, why, sizeof why), 0);
	assert_string_equal(out, "小微");
	/* As the 信息表's 填表说明 words them. */
	assert_int_equal(validate_size("大型企业", out, why, sizeof why), 0);
	assert_string_equal(out, "大型");
	assert_int_equal(validate_size("小微企业", out, why, sizeof why), 0);
	assert_string_equal(out, "小微");
	assert_int_equal(validate_size("巨型", out, why, sizeof why), -EINVAL);
	assert_string_equal(why, TXT_V_SIZE);
	assert_int_equal(validate_size("", out, why, sizeof why), -EINVAL);
}

static void test_industry(void **state)
{
	char out[8];
	(void)state;

	assert_int_equal(validate_industry("C3411", out, why, sizeof why), 0);
	assert_string_equal(out, "C3411");
	assert_int_equal(validate_industry("c34", out, why, sizeof why), 0);
	assert_string_equal(out, "C34");
	assert_int_equal(validate_industry("3411", out, why, sizeof why), 0);
	assert_string_equal(out, "3411");
	/* A section (门类) by its letter or its name in GB/T 4754-2017. */
	assert_int_equal(validate_industry("C", out, why, sizeof why), 0);
	assert_string_equal(out, "C");
	assert_int_equal(validate_industry("制造业", out, why, sizeof why), 0);
	assert_string_equal(out, "C");
	assert_int_equal(validate_industry("农、林、牧、渔业", out, why, sizeof why), 0);
	assert_string_equal(out, "A");
	assert_int_equal(validate_industry("国际组织", out, why, sizeof why), 0);
	assert_string_equal(out, "T");
	static const char *const bad[] = {"3", "C34111", "U34", "C3a", "制造", "Z", ""};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(validate_industry(bad[i], out, why, sizeof why), -EINVAL);
		assert_string_equal(why, TXT_V_INDUSTRY);
	}
}

static void test_years(void **state)
{
	long v;
	(void)state;

	assert_int_equal(validate_years("5", 0, 80, &v, "质量工作年限", why, sizeof why), 0);
	assert_int_equal(v, 5);
	assert_int_equal(validate_years("12年", 0, 80, &v, "质量工作年限", why, sizeof why), 0);
	assert_int_equal(v, 12);
	assert_int_equal(validate_years("3 年", 1, 10, &v, "任期（年）", why, sizeof why), 0);
	assert_int_equal(v, 3);
	static const char *const bad[] = {"年", "五年", "5年半", "-1年", "81年", ""};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(validate_years(bad[i], 0, 80, &v, "质量工作年限", why, sizeof why),
		                 -EINVAL);
		assert_string_equal(why, "质量工作年限应为 0 到 80 之间的整数");
	}
}

/* Categories as the seeds write them, in the store's tag order. */
static void test_categories(void **state)
{
	unsigned bits;
	char bad[64], list[128];
	(void)state;

	for (int i = 0; i < STORE_IMPORT_TAGS; i++) {
		assert_int_equal(category_tag(store_import_tag_name(i)), i);
		assert_string_equal(category_find(store_import_tag_name(i), false),
		                    store_import_tag_name(i));
	}
	assert_string_equal(category_find("规模以上", false), "规上");
	assert_string_equal(category_find("好品山东", false), "好品");
	assert_string_equal(category_find("Above_Scale", false), "规上");
	assert_null(category_find("中小企业", false));
	assert_string_equal(category_find("中小企业", true), "中小企业");
	assert_null(category_find("上市", true));
	assert_int_equal(category_parse_list("规模以上、专精特新；食品 药品", &bits, bad, sizeof bad), 0);
	category_join(bits, list, sizeof list);
	assert_string_equal(list, "规上企业、专精特新企业、食品企业、药品企业");
	/* Shown in full; the full names are read back too. */
	assert_string_equal(category_full("好品"), "好品山东品牌企业");
	assert_string_equal(category_full("质量奖"), "获政府质量奖企业");
	assert_string_equal(category_full("中小企业"), "中小企业");
	for (int i = 0; i < STORE_IMPORT_TAGS; i++)
		assert_int_equal(category_tag(category_full(store_import_tag_name(i))), i);
	assert_int_equal(category_parse_list("规上,上市", &bits, bad, sizeof bad), -EINVAL);
	assert_string_equal(bad, "上市");
	assert_string_equal(category_stem("中小企业"), "中小");
	assert_string_equal(category_stem("规上"), "规上");
}

static void test_gender(void **state)
{
	char out[8];
	(void)state;

	assert_int_equal(validate_gender("男", out, why, sizeof why), 0);
	assert_string_equal(out, "男");
	assert_int_equal(validate_gender("f", out, why, sizeof why), 0);
	assert_string_equal(out, "女");
	assert_int_equal(validate_gender("未知", out, why, sizeof why), -EINVAL);
	assert_string_equal(why, TXT_V_GENDER);
}

static void test_int(void **state)
{
	long v = -1;
	(void)state;

	assert_int_equal(validate_int("12", 0, 80, &v, "质量工作年限", why, sizeof why), 0);
	assert_int_equal(v, 12);
	assert_int_equal(validate_int("0", 0, 80, &v, "质量工作年限", why, sizeof why), 0);
	assert_int_equal(v, 0);
	static const char *const bad[] = {"81", "-1", "1.5", "十", "", "99999999999999999999"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		v = 7;
		assert_int_equal(validate_int(bad[i], 0, 80, &v, "质量工作年限", why, sizeof why),
		                 -EINVAL);
		assert_string_equal(why, "质量工作年限应为 0 到 80 之间的整数");
		assert_int_equal(v, 7);
	}
}

static void test_hours(void **state)
{
	double h;
	(void)state;

	assert_int_equal(validate_hours("8", &h, why, sizeof why), 0);
	assert_true(h == 8.0);
	assert_int_equal(validate_hours("2.5", &h, why, sizeof why), 0);
	assert_true(h == 2.5);
	assert_int_equal(validate_hours("200", &h, why, sizeof why), 0);
	assert_true(h == 200.0);
	/* Over 200 hours in one entry is implausible, and said so. */
	static const char *const implausible[] = {"200.1", "1000", "1000.5", "1001"};
	for (size_t i = 0; i < sizeof implausible / sizeof implausible[0]; i++) {
		assert_int_equal(validate_hours(implausible[i], &h, why, sizeof why), -EINVAL);
		assert_non_null(strstr(why, "不合常理"));
		assert_non_null(strstr(why, implausible[i]));
	}
	/* Exponents, hex and specials would slip through a bare strtod. */
	static const char *const bad[] = {
		"0", "0.0", "2.55", "-3", "1e2", "0x10", "inf", "nan", ".5", "5.",
		" 5", "5 ", "",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(validate_hours(bad[i], &h, why, sizeof why), -EINVAL);
		assert_string_equal(why, TXT_V_HOURS);
	}
}

static void test_region_code(void **state)
{
	(void)state;
	assert_int_equal(validate_region_code("37", why, sizeof why), 0);
	assert_int_equal(validate_region_code("3713", why, sizeof why), 0);
	assert_int_equal(validate_region_code("371302", why, sizeof why), 0);
	static const char *const bad[] = {"3", "371", "3713020", "37130a", "兰山区", ""};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(validate_region_code(bad[i], why, sizeof why), -EINVAL);
		assert_string_equal(why, TXT_V_REGION);
	}
	/* A name goes to the database, a code with a typo stays a code. */
	assert_true(validate_region_is_name("兰山区"));
	assert_true(validate_region_is_name("临沂市兰山区"));
	assert_false(validate_region_is_name("37130a"));
	assert_false(validate_region_is_name("371302"));
}

/* A short `why` buffer is truncated, never overrun. */
static void test_why_truncated(void **state)
{
	char small[8], out[19];
	(void)state;

	memset(small, 'x', sizeof small);
	assert_int_equal(validate_credit_code("123", out, small, sizeof small), -EINVAL);
	assert_int_equal(small[sizeof small - 1], '\0');
}

/* One reading of a rate for 目标 and cqoctl target set. */
static void test_rate(void **state)
{
	static const struct {
		const char *in;
		double want;
	} ok[] = {{"80%", 0.8}, {"80", 0.8}, {"0.8", 0.8}, {"100", 1.0}, {"1", 1.0},
	          {"12.5%", 0.125}, {"0", 0.0}};
	static const char *const bad[] = {"", "%", "1e2", "0x10", "101", "-5", ".5", "1.2.3",
	                                  "80 %", "1234567890"};
	double v;

	(void)state;
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		assert_int_equal(validate_rate(ok[i].in, &v), 0);
		assert_true(v > ok[i].want - 1e-9 && v < ok[i].want + 1e-9);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(validate_rate(bad[i], &v), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_credit_code_good),
		cmocka_unit_test(test_credit_code_bad),
		cmocka_unit_test(test_phone),
		cmocka_unit_test(test_email),
		cmocka_unit_test(test_date),
		cmocka_unit_test(test_date_edges),
		cmocka_unit_test(test_datetime),
		cmocka_unit_test(test_size),
		cmocka_unit_test(test_industry),
		cmocka_unit_test(test_gender),
		cmocka_unit_test(test_int),
		cmocka_unit_test(test_hours),
		cmocka_unit_test(test_region_code),
		cmocka_unit_test(test_years),
		cmocka_unit_test(test_categories),
		cmocka_unit_test(test_why_truncated),
		cmocka_unit_test(test_rate),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
