#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "../../lib/names.h"

static void test_has(void **state)
{
	(void)state;
	assert_true(names_has("规上|规模以上|above", "规上", strlen("规上")));
	assert_true(names_has("规上|规模以上|above", "规模以上", strlen("规模以上")));
	assert_true(names_has("规上|规模以上|above", "ABOVE", 5));
	assert_true(names_has("姓名", "姓名：张三", strlen("姓名")));   /* a prefix, by length */
	assert_false(names_has("规上|规模以上|above", "规", strlen("规")));
	assert_false(names_has("规上|规模以上|above", "abov", 4));
	assert_false(names_has("规上|规模以上|above", "", 0));
	assert_false(names_has("", "x", 1));
}

static void test_first(void **state)
{
	(void)state;
	assert_int_equal(names_first_len("规上|规模以上"), strlen("规上"));
	assert_int_equal(names_first_len("姓名"), strlen("姓名"));
	assert_int_equal(names_first_len(""), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_has),
		cmocka_unit_test(test_first),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
