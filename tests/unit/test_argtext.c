/* Argument helpers: row ids, joined free text, character counts, skipped
 * optional arguments. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>

#include "../../handlers/argtext.h"

static void test_id(void **state)
{
	int64_t id = -1;
	(void)state;

	assert_true(argtext_id("2", &id));
	assert_int_equal(id, 2);
	assert_true(argtext_id("000123", &id));
	assert_int_equal(id, 123);
	assert_true(argtext_id("999999999999999999", &id));
	assert_int_equal(id, 999999999999999999LL);
	id = -1;
	assert_false(argtext_id("0", &id));
	assert_false(argtext_id("", &id));
	assert_false(argtext_id("-2", &id));
	assert_false(argtext_id("2a", &id));
	assert_false(argtext_id("记录2", &id));
	assert_false(argtext_id("1000000000000000000", &id));   /* 19 digits */
}

static void test_join(void **state)
{
	char *argv[] = {"警示", "2", "违法违规", "未按期", "整改", NULL};
	struct args a = {.argc = 5, .argv = argv, .body = ""};
	char *s;
	(void)state;

	s = argtext_join(&a, 2);
	assert_string_equal(s, "违法违规 未按期 整改");
	free(s);
	s = argtext_join(&a, 4);
	assert_string_equal(s, "整改");
	free(s);
	s = argtext_join(&a, 5);
	assert_string_equal(s, "");
	free(s);
}

static void test_chars(void **state)
{
	(void)state;
	assert_int_equal(argtext_chars(""), 0);
	assert_int_equal(argtext_chars("abc"), 3);
	assert_int_equal(argtext_chars("优秀首席质量官"), 7);
	assert_int_equal(argtext_chars("A级\xF0\x9F\x98\x80"), 3);   /* a 4-byte character */
}

static void test_skipped(void **state)
{
	(void)state;
	assert_true(argtext_skipped("-"));
	assert_true(argtext_skipped("\u2014"));
	assert_true(argtext_skipped("无"));
	assert_false(argtext_skipped(""));
	assert_false(argtext_skipped("--"));
	assert_false(argtext_skipped("证书001"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_id),
		cmocka_unit_test(test_join),
		cmocka_unit_test(test_chars),
		cmocka_unit_test(test_skipped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
