/* lib/digits.c: decimal numbers from the platforms and digit codes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>

#include "../../lib/digits.h"

static void test_parse(void **state)
{
	int64_t v = -1;

	(void)state;
	assert_int_equal(digits_parse("1700000000", 10, &v), 0);
	assert_int_equal(v, 1700000000);
	assert_int_equal(digits_parse("007", 3, &v), 0);
	assert_int_equal(v, 7);
	assert_int_equal(digits_parse("999999999999999999", 18, &v), 0);
	assert_int_equal(v, 999999999999999999LL);
	v = 42;
	assert_int_equal(digits_parse(NULL, 10, &v), -EINVAL);
	assert_int_equal(digits_parse("", 10, &v), -EINVAL);
	assert_int_equal(digits_parse("12345", 4, &v), -EINVAL);
	assert_int_equal(digits_parse("1", 19, &v), -EINVAL);
	assert_int_equal(digits_parse("-1", 10, &v), -EINVAL);
	assert_int_equal(digits_parse(" 1", 10, &v), -EINVAL);
	assert_int_equal(digits_parse("1e3", 10, &v), -EINVAL);
	assert_int_equal(v, 42);   /* untouched on failure */
}

static void test_only(void **state)
{
	(void)state;
	assert_true(digits_only("0"));
	assert_true(digits_only("330100"));
	assert_true(digits_only("00000000000000000000000000"));
	assert_false(digits_only(""));
	assert_false(digits_only("33a1"));
	assert_false(digits_only("+1"));
	assert_false(digits_only("1 "));
	assert_false(digits_only("１２"));   /* full-width digits are not ASCII */
}

static void test_hex_value(void **state)
{
	(void)state;
	assert_int_equal(digits_hex_value('0'), 0);
	assert_int_equal(digits_hex_value('9'), 9);
	assert_int_equal(digits_hex_value('a'), 10);
	assert_int_equal(digits_hex_value('F'), 15);
	assert_int_equal(digits_hex_value('g'), -1);
	assert_int_equal(digits_hex_value('%'), -1);
	assert_int_equal(digits_hex_value('\0'), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_only),
		cmocka_unit_test(test_hex_value),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
