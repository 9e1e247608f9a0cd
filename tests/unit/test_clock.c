/* The clock: fake time, CST dates, date parsing. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "../../lib/clock.h"

static void test_fake_now_cst(void **state)
{
	char d[11];
	(void)state;
	setenv("CQOD_FAKE_NOW", "2026-01-01 07:59:59", 1);
	assert_int_equal(clock_init(), 0);
	int64_t t = clock_now();
	clock_cst_date(t, d);
	assert_string_equal(d, "2026-01-01");
	clock_cst_date(t - 8 * 3600, d);
	assert_string_equal(d, "2025-12-31");
	assert_int_equal(clock_cst_year(t), 2026);
	setenv("CQOD_FAKE_NOW", "1767225600", 1);   /* 2026-01-01T00:00:00Z = 08:00 CST */
	assert_int_equal(clock_init(), 0);
	clock_cst_date(clock_now(), d);
	assert_string_equal(d, "2026-01-01");
	setenv("CQOD_FAKE_NOW", "tomorrow", 1);
	assert_int_equal(clock_init(), -EINVAL);
	unsetenv("CQOD_FAKE_NOW");
	assert_int_equal(clock_init(), 0);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* CQOD_FAKE_NOW_FILE: read at start, and again on request when changed. */
static void test_fake_now_file(void **state)
{
	char path[] = "/tmp/cqod-clock-XXXXXX", d[11];
	int fd = mkstemp(path);
	(void)state;
	assert_true(fd >= 0);
	close(fd);
	write_file(path, "2026-06-19 10:00:00\n");
	setenv("CQOD_FAKE_NOW_FILE", path, 1);
	assert_int_equal(clock_init(), 0);
	assert_string_equal(clock_fake_file(), path);
	clock_cst_date(clock_now(), d);
	assert_string_equal(d, "2026-06-19");
	assert_int_equal(clock_reread(), 0);          /* unchanged */
	write_file(path, "2026-06-22 08:59:00");
	assert_int_equal(clock_reread(), 1);
	clock_cst_date(clock_now(), d);
	assert_string_equal(d, "2026-06-22");
	write_file(path, "");                          /* a writer half way */
	assert_int_equal(clock_reread(), -EINVAL);
	clock_cst_date(clock_now(), d);
	assert_string_equal(d, "2026-06-22");
	write_file(path, "soon");
	assert_int_equal(clock_init(), -EINVAL);
	unlink(path);
	unsetenv("CQOD_FAKE_NOW_FILE");
	assert_int_equal(clock_init(), 0);
	assert_null(clock_fake_file());
	assert_int_equal(clock_reread(), 0);
}

static void test_parse_date(void **state)
{
	int64_t a, b;
	(void)state;
	assert_int_equal(clock_parse_date("1970-01-01", &a), 0);
	assert_int_equal(a, 0);
	assert_int_equal(clock_parse_date("2024-02-29", &a), 0);
	assert_int_equal(clock_parse_date("2024-03-01", &b), 0);
	assert_int_equal(b - a, 1);
	assert_int_equal(clock_parse_date("2023-02-29", &a), -EINVAL);
	assert_int_equal(clock_parse_date("2023-13-01", &a), -EINVAL);
	assert_int_equal(clock_parse_date("2023-1-01", &a), -EINVAL);
	assert_int_equal(clock_parse_date("2023-01-011", &a), -EINVAL);
	assert_int_equal(clock_parse_date("", &a), -EINVAL);
	assert_int_equal(clock_cst_day(16 * 3600), 1);   /* 16:00Z is midnight CST */
	assert_int_equal(clock_cst_day(16 * 3600 - 1), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fake_now_cst),
		cmocka_unit_test(test_fake_now_file),
		cmocka_unit_test(test_parse_date),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
