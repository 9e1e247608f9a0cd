/* Binding codes (handlers/bindcode.c): shape, randomness and the hash a
 * typed code is looked up by. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "../../handlers/bindcode.h"

static void test_new_code_shape(void **state)
{
	char code[BINDCODE_LEN + 1], hash[BINDCODE_HASH_LEN + 1], again[BINDCODE_HASH_LEN + 1];
	(void)state;

	for (int i = 0; i < 200; i++) {
		assert_int_equal(bindcode_new(code, hash), 0);
		assert_int_equal(strlen(code), BINDCODE_LEN);
		/* No look-alikes: 0/O and 1/I are never drawn. */
		assert_int_equal(strcspn(code, "01IO"), BINDCODE_LEN);
		assert_int_equal(strspn(code, "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"), BINDCODE_LEN);
		assert_int_equal(strlen(hash), BINDCODE_HASH_LEN);
		assert_int_equal(strspn(hash, "0123456789abcdef"), BINDCODE_HASH_LEN);
		/* The typed code finds the same hash. */
		assert_int_equal(bindcode_hash(code, again), 0);
		assert_string_equal(again, hash);
	}
}

static void test_codes_differ(void **state)
{
	char a[BINDCODE_LEN + 1], b[BINDCODE_LEN + 1], h[BINDCODE_HASH_LEN + 1];
	(void)state;

	assert_int_equal(bindcode_new(a, h), 0);
	assert_int_equal(bindcode_new(b, h), 0);
	assert_string_not_equal(a, b);
}

static void test_typed_forms(void **state)
{
	char want[BINDCODE_HASH_LEN + 1], got[BINDCODE_HASH_LEN + 1];
	(void)state;

	/* sha256("ABCD2345") */
	assert_int_equal(bindcode_hash("ABCD2345", want), 0);
	assert_string_equal(want, "a00d76646eba91b057841554d5c8334f498dc592ed744bce404f21fe271cd36e");
	assert_int_equal(bindcode_hash("abcd2345", got), 0);
	assert_string_equal(got, want);
	assert_int_equal(bindcode_hash("ABCD 2345", got), 0);
	assert_string_equal(got, want);
	assert_int_equal(bindcode_hash("abcd-2345", got), 0);
	assert_string_equal(got, want);
}

static void test_typed_bad(void **state)
{
	static const char *const bad[] = {
		"", "ABCD234", "ABCD23456", "ABCD0345", "ABCD1345", "ABCDO345", "ABCDI345", "绑定码",
		"ABCD_345",
	};
	char h[BINDCODE_HASH_LEN + 1];
	(void)state;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(bindcode_hash(bad[i], h), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_code_shape),
		cmocka_unit_test(test_codes_differ),
		cmocka_unit_test(test_typed_forms),
		cmocka_unit_test(test_typed_bad),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
