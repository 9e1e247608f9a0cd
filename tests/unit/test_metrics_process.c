/* Process gauges: RSS from /proc/self/statm, open fds, start time. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../lib/metrics.h"
#include "../../daemon/metrics_process.h"

/* The value of an unlabelled sample `name` in the exposition text. */
static double sample(const char *text, const char *name)
{
	char key[96];
	snprintf(key, sizeof key, "\n%s ", name);
	const char *p = strstr(text, key);
	assert_non_null(p);
	return strtod(p + strlen(key), NULL);
}

static void test_rss_grows_with_touched_memory(void **state)
{
	(void)state;
	long long before = metrics_process_rss();
	assert_true(before > 0);
	size_t big = 32u << 20;
	char *p = malloc(big);
	assert_non_null(p);
	memset(p, 1, big);
	long long after = metrics_process_rss();
	assert_true(after >= before + (long long)(big / 2));
	free(p);
}

static void test_gauges_rendered(void **state)
{
	(void)state;
	metrics_process_init();
	char *text = metrics_render();
	assert_non_null(strstr(text, "# TYPE process_resident_memory_bytes gauge\n"));
	assert_true(sample(text, "process_resident_memory_bytes") > 0);
	/* stdin, stdout and stderr at least. */
	assert_true(sample(text, "process_open_fds") >= 3);
	double start = sample(text, "process_start_time_seconds");
	assert_true(start > 1.6e9 && start <= (double)time(NULL) + 1);
	free(text);
	metrics_reset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rss_grows_with_touched_memory),
		cmocka_unit_test(test_gauges_rendered),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
