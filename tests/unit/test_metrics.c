/* Metrics: counters by label, gauges, exposition format. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../daemon/metrics.h"

static double forty_two(void *arg)
{
	(void)arg;
	return 42;
}

static void test_render(void **state)
{
	(void)state;
	metrics_describe("t_total", "counter", "Test counter.");
	metrics_gauge("t_gauge", "Test gauge.", forty_two, NULL);
	metrics_add("t_total", "a=\"1\"", 2);
	metrics_add("t_total", "a=\"2\"", 1);
	metrics_add("t_total", "a=\"1\"", 3);
	char *s = metrics_render();
	assert_string_equal(s, "# HELP t_total Test counter.\n# TYPE t_total counter\n"
	                       "t_total{a=\"1\"} 5\nt_total{a=\"2\"} 1\n"
	                       "# HELP t_gauge Test gauge.\n# TYPE t_gauge gauge\nt_gauge 42\n");
	free(s);
	metrics_reset();
}

static void test_many_series_grow(void **state)
{
	char labels[32];
	(void)state;
	metrics_describe("g_total", "counter", "Growth.");
	for (int round = 0; round < 2; round++)
		for (int i = 0; i < 1000; i++) {
			snprintf(labels, sizeof labels, "i=\"%d\"", i);
			metrics_add("g_total", labels, 1);
		}
	char *s = metrics_render();
	assert_non_null(strstr(s, "g_total{i=\"0\"} 2\n"));
	assert_non_null(strstr(s, "g_total{i=\"999\"} 2\n"));
	free(s);
	metrics_reset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_many_series_grow),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
