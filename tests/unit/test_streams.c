/* daemon/streams.c: the reconnect backoff's range and jitter, and the
 * `mode` key. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include "../../daemon/streams.h"
#include "../../lib/config.h"

static void test_backoff(void **state)
{
	static const unsigned top[] = {250, 500, 1000, 2000, 4000, 4000, 4000};
	bool varied = false;

	(void)state;
	for (unsigned a = 0; a < sizeof top / sizeof top[0]; a++) {
		unsigned first = stream_backoff_ms(a);

		for (int i = 0; i < 200; i++) {
			unsigned ms = stream_backoff_ms(a);

			/* Jittered down by at most half; never over the cap, so a
			 * server back up is tried again within 4 s. */
			assert_true(ms <= top[a] && ms >= top[a] / 2);
			varied |= ms != first;
		}
	}
	assert_true(varied);
	assert_true(stream_backoff_ms(1000) <= 4000);
}

static void test_mode(void **state)
{
	struct config_kv kv[] = {{"mode", "stream", 1}};
	struct config_instance inst = {"dingtalk", "d1", 1, kv, 1};

	(void)state;
	assert_true(stream_mode(&inst));
	kv[0].value = "webhook";
	assert_false(stream_mode(&inst));
	inst.n_kv = 0;
	assert_false(stream_mode(&inst));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backoff),
		cmocka_unit_test(test_mode),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
