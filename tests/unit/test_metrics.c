/* Metrics: counters by label, gauges, histograms, exposition format. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/clock.h"
#include "../../lib/metrics.h"

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

/* Gauges by label: set, not added; one per long connection. */
static void test_set(void **state)
{
	(void)state;
	metrics_describe("t_up", "gauge", "Test labelled gauge.");
	metrics_set("t_up", "i=\"a\"", 1);
	metrics_set("t_up", "i=\"b\"", 1);
	metrics_set("t_up", "i=\"a\"", 0);
	char *s = metrics_render();
	assert_string_equal(s, "# HELP t_up Test labelled gauge.\n# TYPE t_up gauge\n"
	                       "t_up{i=\"a\"} 0\nt_up{i=\"b\"} 1\n");
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

static void test_histogram(void **state)
{
	(void)state;
	metrics_histogram("h_seconds", "Test histogram.");
	metrics_observe("h_seconds", "", 0.0002);
	metrics_observe("h_seconds", "", 0.003);
	metrics_observe("h_seconds", "", 0.003);
	metrics_observe("h_seconds", "", 42);
	metrics_observe("h_seconds", "route=\"/x\"", 0.00001);
	char *s = metrics_render();
	assert_non_null(strstr(s, "# TYPE h_seconds histogram\n"));
	assert_non_null(strstr(s, "h_seconds_bucket{le=\"0.0001\"} 0\n"));
	assert_non_null(strstr(s, "h_seconds_bucket{le=\"0.00025\"} 1\n"));
	assert_non_null(strstr(s, "h_seconds_bucket{le=\"0.0025\"} 1\n"));
	assert_non_null(strstr(s, "h_seconds_bucket{le=\"0.005\"} 3\n"));
	assert_non_null(strstr(s, "h_seconds_bucket{le=\"10\"} 3\n"));
	assert_non_null(strstr(s, "h_seconds_bucket{le=\"+Inf\"} 4\n"));
	assert_non_null(strstr(s, "h_seconds_sum 42.0062\n"));
	assert_non_null(strstr(s, "h_seconds_count 4\n"));
	assert_non_null(strstr(s, "h_seconds_bucket{route=\"/x\",le=\"0.0001\"} 1\n"));
	assert_non_null(strstr(s, "h_seconds_count{route=\"/x\"} 1\n"));
	free(s);
	metrics_reset();
}

static void test_since(void **state)
{
	(void)state;
	double t = metrics_since(clock_mono_ns());
	assert_true(t >= 0 && t < 60);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_set),
		cmocka_unit_test(test_many_series_grow),
		cmocka_unit_test(test_histogram),
		cmocka_unit_test(test_since),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
