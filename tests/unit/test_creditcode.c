/* GB 32100 check character of unified social credit codes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "../../lib/creditcode.h"

/* Known-good codes, used only as checksum vectors. */
static const char *const good[] = {
	"91350100M000100Y43",
	"91110000600037341L",
};

static void test_known_good(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		char expected = '?';
		assert_int_equal(creditcode_validate(good[i], &expected), 0);
		assert_int_equal(expected, good[i][17]);
		assert_int_equal(creditcode_check_char(good[i]), good[i][17]);
	}
}

static void test_wrong_check_char(void **state)
{
	char expected = '?';
	(void)state;
	assert_int_equal(creditcode_validate("91350100M000100Y44", &expected), -EINVAL);
	assert_int_equal(expected, '3');
	assert_int_equal(creditcode_validate("91110000600037341X", NULL), -EINVAL);
}

static void test_malformed(void **state)
{
	char expected = '?';
	(void)state;
	/* Letters outside the charset (I, O, S, V, Z) and lower case. */
	assert_int_equal(creditcode_validate("91350100I000100Y43", &expected), -EINVAL);
	assert_int_equal(expected, '\0');
	assert_int_equal(creditcode_validate("91350100m000100Y43", NULL), -EINVAL);
	assert_int_equal(creditcode_validate("91350100O000100Y43", NULL), -EINVAL);
	/* Wrong lengths. */
	assert_int_equal(creditcode_validate("91350100M000100Y4", NULL), -EINVAL);
	assert_int_equal(creditcode_validate("91350100M000100Y433", NULL), -EINVAL);
	assert_int_equal(creditcode_validate("9135", &expected), -EINVAL);
	assert_int_equal(expected, '\0');
	assert_int_equal(creditcode_validate("", NULL), -EINVAL);
	assert_int_equal(creditcode_validate(NULL, NULL), -EINVAL);
}

/* A check value of 0 (sum ≡ 0 mod 31) must give '0', not index 31. */
static void test_check_zero(void **state)
{
	(void)state;
	assert_int_equal(creditcode_check_char("00000000000000000"), '0');
	assert_int_equal(creditcode_validate("000000000000000000", NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_good),
		cmocka_unit_test(test_wrong_check_char),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_check_zero),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
