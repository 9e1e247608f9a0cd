/* cqoctl's keyset: keys found after growing; reserved room takes a file's
 * rows without rehashing. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>

#include "../../cqoctl/keyset.c"

static void test_put_get_grow(void **state)
{
	struct keyset ks;
	char key[32];
	size_t v;

	(void)state;
	keyset_init(&ks);
	assert_false(keyset_get(&ks, "a", &v));
	for (size_t i = 0; i < 5000; i++) {
		snprintf(key, sizeof key, "k%zu", i);
		assert_int_equal(keyset_put(&ks, key, i), 0);
	}
	assert_int_equal(ks.n, 5000);
	for (size_t i = 0; i < 5000; i++) {
		snprintf(key, sizeof key, "k%zu", i);
		assert_true(keyset_get(&ks, key, &v));
		assert_int_equal(v, i);
	}
	assert_false(keyset_get(&ks, "k5000", &v));
	assert_int_equal(keyset_put(&ks, "k7", 70), 0);
	assert_true(keyset_get(&ks, "k7", &v));
	assert_int_equal(v, 70);
	assert_int_equal(ks.n, 5000);
	keyset_free(&ks);
	assert_null(ks.slots);
}

/* Room for n keys up front: n puts never move the slots. */
static void test_reserve(void **state)
{
	struct keyset ks;
	char key[32];
	size_t v;

	(void)state;
	keyset_init(&ks);
	assert_int_equal(keyset_reserve(&ks, 100000), 0);
	const struct keyset_slot *slots = ks.slots;
	for (size_t i = 0; i < 100000; i++) {
		snprintf(key, sizeof key, "%zu\x1f名", i);
		assert_int_equal(keyset_put(&ks, key, i), 0);
	}
	assert_ptr_equal(ks.slots, slots);
	assert_true(keyset_get(&ks, "99999\x1f名", &v));
	assert_int_equal(v, 99999);
	/* Reserving less than is there changes nothing. */
	assert_int_equal(keyset_reserve(&ks, 10), 0);
	assert_ptr_equal(ks.slots, slots);
	keyset_free(&ks);
}

/* Adding keeps the first value of a key and says which it was. */
static void test_add_first(void **state)
{
	struct keyset ks;
	size_t v = 99;

	(void)state;
	keyset_init(&ks);
	assert_int_equal(keyset_add(&ks, "91350100M000100Y43\x1f张三", 4, &v), 1);
	assert_int_equal(v, 99);
	assert_int_equal(keyset_add(&ks, "91350100M000100Y43\x1f张三", 7, &v), 0);
	assert_int_equal(v, 4);
	assert_true(keyset_get(&ks, "91350100M000100Y43\x1f张三", &v));
	assert_int_equal(v, 4);
	assert_int_equal(ks.n, 1);
	keyset_free(&ks);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_put_get_grow),
		cmocka_unit_test(test_reserve),
		cmocka_unit_test(test_add_first),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
