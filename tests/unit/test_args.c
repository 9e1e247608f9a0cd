/* Unit tests for the command tokenizer (handlers/args.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../../handlers/args.h"

/* Tokenizes text expecting success and exactly the `n` arguments given. */
static void expect_args(const char *text, int n, ...)
{
	struct args a;
	va_list ap;

	assert_int_equal(args_tokenize(text, &a), 0);
	assert_int_equal(a.argc, n);
	va_start(ap, n);
	for (int i = 0; i < n; i++)
		assert_string_equal(a.argv[i], va_arg(ap, const char *));
	va_end(ap);
	assert_null(a.argv[n]);
	assert_non_null(a.body);
	args_free(&a);
}

/* Tokenizes text expecting the error rc and an empty, freeable result. */
static void expect_error(const char *text, int rc)
{
	struct args a;

	assert_int_equal(args_tokenize(text, &a), rc);
	assert_int_equal(a.argc, 0);
	assert_null(a.argv);
	assert_null(a.body);
	args_free(&a);
}

static void test_plain(void **state)
{
	(void)state;
	expect_args("查询 张三", 2, "查询", "张三");
	expect_args("  查询\t\t张三  ", 2, "查询", "张三");
	expect_args("whoami", 1, "whoami");
}

static void test_fullwidth(void **state)
{
	(void)state;
	/* U+3000 separates; digits, letters and the colon become ASCII. */
	expect_args("查询\u3000张三\u3000\u3000１２３", 3, "查询", "张三", "123");
	expect_args("ａｂｃ ＡＢＣ　ｋｅｙ：ｖａｌ", 3, "abc", "ABC", "key:val");
	expect_args("！～＃", 1, "!~#");
	/* The full-width quote normalizes to '"' and then groups. */
	expect_args("查询 ＂张　三＂", 2, "查询", "张 三");
	expect_args("查询 ＇张 三＇", 2, "查询", "张 三");
}

static void test_quote_styles(void **state)
{
	(void)state;
	expect_args("q \"a b\" 'c d' “e f” ‘g h’ 「i j」 『k l』", 7,
	            "q", "a b", "c d", "e f", "g h", "i j", "k l");
	expect_args("查询 “北京 某某 有限公司”", 2, "查询", "北京 某某 有限公司");
	/* Full-width spaces inside quotes are kept, as spaces. */
	expect_args("「甲\u3000乙」", 1, "甲 乙");
	expect_args("q \"\" ''", 3, "q", "", "");
}

static void test_nested_quotes(void **state)
{
	(void)state;
	/* Inside a quote only its own closer ends it. */
	expect_args("“他说'你好 世界'”", 1, "他说'你好 世界'");
	expect_args("「A“B C”D」", 1, "A“B C”D");
	expect_args("『x「y z」w』 \"a 「b」 c\"", 2, "x「y z」w", "a 「b」 c");
	expect_args("'say \"hi there\"'", 1, "say \"hi there\"");
	expect_args("‘引号“套”引号’", 1, "引号“套”引号");
}

static void test_quotes_inside_words(void **state)
{
	(void)state;
	/* A quote opens only at the start of an argument. */
	expect_args("查询 McDonald's 公司", 3, "查询", "McDonald's", "公司");
	expect_args("查询 张\"三", 2, "查询", "张\"三");
	/* Text right after the closer continues the same argument. */
	expect_args("“中国”质量 x", 2, "中国质量", "x");
}

static void test_unclosed_quote(void **state)
{
	(void)state;
	expect_error("查询 \"张三", -EINVAL);
	expect_error("查询 '张三", -EINVAL);
	expect_error("查询 “张三", -EINVAL);
	expect_error("查询 「张三』", -EINVAL);
	expect_error("查询 “张三\"", -EINVAL);
	/* A quote does not continue onto the body lines. */
	expect_error("查询 \"张\n三\"", -EINVAL);
}

static void test_mentions(void **state)
{
	(void)state;
	expect_args("@cqod 查询 张三", 2, "查询", "张三");
	expect_args("@cqod @机器人 查询 张三", 2, "查询", "张三");
	expect_args("＠机器人　查询　张三", 2, "查询", "张三");
	expect_args("  @cqod\t@b  帮助", 1, "帮助");
	/* A mention on its own line before the command. */
	expect_args("@cqod\n查询 张三", 2, "查询", "张三");
	/* Only leading mentions are dropped. */
	expect_args("查询 @张三", 2, "查询", "@张三");
	/* WeCom separates a mention with U+2005; pasted text brings U+00A0. */
	expect_args("@机器人\u2005查询\u00A0张三", 2, "查询", "张三");
}

static void test_mention_only(void **state)
{
	struct args a;

	(void)state;
	expect_args("@cqod", 0);
	expect_args("@cqod @机器人　 ", 0);
	assert_int_equal(args_tokenize("@cqod", &a), 0);
	assert_string_equal(a.body, "");
	args_free(&a);
}

static void test_empty(void **state)
{
	struct args a;

	(void)state;
	assert_int_equal(args_tokenize("", &a), 0);
	assert_int_equal(a.argc, 0);
	assert_non_null(a.argv);
	assert_null(a.argv[0]);
	assert_string_equal(a.body, "");
	args_free(&a);
	expect_args(" \t\u3000 ", 0);
	expect_args("\n\r\n  \n", 0);
	expect_error(NULL, -EINVAL);
}

static void test_huge(void **state)
{
	char *big = malloc(ARGS_MAX_TEXT + 2);
	struct args a;

	(void)state;
	assert_non_null(big);
	memset(big, 'x', ARGS_MAX_TEXT);
	big[ARGS_MAX_TEXT] = '\0';
	assert_int_equal(args_tokenize(big, &a), 0);
	assert_int_equal(a.argc, 1);
	assert_int_equal(strlen(a.argv[0]), ARGS_MAX_TEXT);
	args_free(&a);

	big[ARGS_MAX_TEXT] = 'x';
	big[ARGS_MAX_TEXT + 1] = '\0';
	expect_error(big, -E2BIG);
	free(big);
}

/* Builds "a a a ..." with n arguments; caller frees. */
static char *repeat_args(int n)
{
	char *s = malloc((size_t)n * 2 + 1);

	assert_non_null(s);
	for (int i = 0; i < n; i++) {
		s[2 * i] = 'a';
		s[2 * i + 1] = ' ';
	}
	s[2 * n] = '\0';
	return s;
}

static void test_too_many_args(void **state)
{
	char *s = repeat_args(ARGS_MAX_ARGC);
	struct args a;

	(void)state;
	assert_int_equal(args_tokenize(s, &a), 0);
	assert_int_equal(a.argc, ARGS_MAX_ARGC);
	assert_null(a.argv[ARGS_MAX_ARGC]);
	args_free(&a);
	free(s);

	s = repeat_args(ARGS_MAX_ARGC + 1);
	expect_error(s, -E2BIG);
	free(s);
}

static void test_invalid_utf8(void **state)
{
	(void)state;
	expect_error("\xff", -EINVAL);
	expect_error("查询 \xc0\xaf", -EINVAL);           /* overlong '/' */
	expect_error("查询 \xe4\xb8", -EINVAL);           /* truncated */
	expect_error("查询 \xed\xa0\x80", -EINVAL);       /* surrogate */
	expect_error("查询 \xf4\x90\x80\x80", -EINVAL);   /* past U+10FFFF */
	expect_error("查询 \x80", -EINVAL);               /* lone continuation */
	expect_error("登记\n姓名：\xfe", -EINVAL);        /* in the body too */
	expect_args("\xf0\x9f\x98\x80", 1, "\xf0\x9f\x98\x80");
}

static void test_body(void **state)
{
	struct args a;

	(void)state;
	assert_int_equal(args_tokenize("登记　张三\n姓名：张三\n企业：某某　公司\n\n备注：无", &a), 0);
	assert_int_equal(a.argc, 2);
	assert_string_equal(a.argv[0], "登记");
	assert_string_equal(a.argv[1], "张三");
	assert_string_equal(a.body, "姓名:张三\n企业:某某 公司\n\n备注:无");
	args_free(&a);

	/* Quotes in the body are not interpreted. */
	assert_int_equal(args_tokenize("登记\n备注：“未闭合", &a), 0);
	assert_string_equal(a.body, "备注:“未闭合");
	args_free(&a);
}

static void test_crlf(void **state)
{
	struct args a;

	(void)state;
	assert_int_equal(args_tokenize("登记 甲\r\n姓名：张三\r\n电话：１３８\r\n", &a), 0);
	assert_int_equal(a.argc, 2);
	assert_string_equal(a.argv[1], "甲");
	assert_string_equal(a.body, "姓名:张三\n电话:138\n");
	args_free(&a);

	assert_int_equal(args_tokenize("登记\r姓名：张三", &a), 0);
	assert_int_equal(a.argc, 1);
	assert_string_equal(a.body, "姓名:张三");
	args_free(&a);
}

static void test_normalize(void **state)
{
	char *s;

	(void)state;
	s = args_normalize("ＡＢＣ　１２３！～＠");
	assert_string_equal(s, "ABC 123!~@");
	free(s);
	/* Outside U+FF01..U+FF5E nothing changes. */
	s = args_normalize("中文“引号”\uFF00\uFF5F。");
	assert_string_equal(s, "中文“引号”\uFF00\uFF5F。");
	free(s);
	s = args_normalize("a\u00A0b\u2005c");
	assert_string_equal(s, "a b c");
	free(s);
	s = args_normalize("");
	assert_string_equal(s, "");
	free(s);
	/* Not a validator: stray bytes pass through. */
	s = args_normalize("a\xff１");
	assert_string_equal(s, "a\xff" "1");
	free(s);
}

/* args_tokenize_cmd with cmd, expecting exactly the `n` arguments given. */
static void expect_cmd_args(const char *text, const char *cmd, int n, ...)
{
	struct args a;
	va_list ap;

	assert_int_equal(args_tokenize_cmd(text, cmd, &a), 0);
	assert_int_equal(a.argc, n);
	va_start(ap, n);
	for (int i = 0; i < n; i++)
		assert_string_equal(a.argv[i], va_arg(ap, const char *));
	va_end(ap);
	assert_null(a.argv[n]);
	assert_non_null(a.body);
	args_free(&a);
}

/* A command word glued to its first argument is split off; the rest of the
 * line is split as usual, mentions, full-width text, quotes and the body
 * included. */
static void test_cmd_glued(void **state)
{
	struct args a;

	(void)state;
	expect_cmd_args("查询张三", "查询", 2, "查询", "张三");
	expect_cmd_args("取消报名12", "取消报名", 2, "取消报名", "12");
	expect_cmd_args("@cqod 培训２ 继续教育 2026-06-01 8", "培训", 5,
	                "培训", "2", "继续教育", "2026-06-01", "8");
	expect_cmd_args("查询“张 三”", "查询", 2, "查询", "张 三");
	expect_cmd_args("联盟列表", "联盟", 2, "联盟", "列表");
	/* Not glued, or not starting with cmd: split as args_tokenize does. */
	expect_cmd_args("查询 张三", "查询", 2, "查询", "张三");
	expect_cmd_args("查询", "查询", 1, "查询");
	expect_cmd_args("\"查询张三\"", "查询", 1, "查询张三");
	expect_cmd_args("天气 晴", "查询", 2, "天气", "晴");
	expect_cmd_args("查询张三", NULL, 1, "查询张三");
	assert_int_equal(args_tokenize_cmd("活动发布\n标题:沙龙", "活动", &a), 0);
	assert_int_equal(a.argc, 2);
	assert_string_equal(a.argv[1], "发布");
	assert_string_equal(a.body, "标题:沙龙");
	args_free(&a);
	/* The limits hold as for args_tokenize. */
	assert_int_equal(args_tokenize_cmd("查询\"张三", "查询", &a), -EINVAL);
	assert_int_equal(a.argc, 0);
	args_free(&a);
}

static void test_free_is_idempotent(void **state)
{
	struct args a;

	(void)state;
	assert_int_equal(args_tokenize("查询 张三", &a), 0);
	args_free(&a);
	args_free(&a);
	args_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_fullwidth),
		cmocka_unit_test(test_quote_styles),
		cmocka_unit_test(test_nested_quotes),
		cmocka_unit_test(test_quotes_inside_words),
		cmocka_unit_test(test_unclosed_quote),
		cmocka_unit_test(test_mentions),
		cmocka_unit_test(test_mention_only),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_huge),
		cmocka_unit_test(test_too_many_args),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_body),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_cmd_glued),
		cmocka_unit_test(test_free_is_idempotent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
