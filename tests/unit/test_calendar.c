/* The working-day calendar (daemon/calendar.c) and its table
 * (daemon/store_workdays.c), over the official 2026 calendar in
 * data/cn-workcalendar.csv: National Day 10-01..10-07 off, Saturday 10-10
 * and Sunday 09-20 worked. Run from the repository root. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../lib/calendar.h"
#include "../../lib/clock.h"
#include "../../store/store.h"
#include "store_fresh.h"
#include "../../store/store_workdays.h"

#define DATA_FILE "data/cn-workcalendar.csv"

static char g_dir[64];

static int64_t D(const char *date)
{
	int64_t day;
	assert_int_equal(clock_parse_date(date, &day), 0);
	return day;
}

static void path_in_dir(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", g_dir, name);
}

static void write_file(const char *name, const char *text)
{
	char path[128];
	path_in_dir(path, sizeof path, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static struct store *open_store(void)
{
	char path[128];
	struct store *st;
	path_in_dir(path, sizeof path, "cqod.db");
	unlink(path);
	assert_int_equal(store_fresh_open(path, &st), 0);
	return st;
}

/* The test owns its unit of work: it begins and ends the transaction the
 * store's writes run in. */
static void begin(struct store *st)
{
	assert_int_equal(store_begin(st), 0);
}

static void commit(struct store *st)
{
	assert_int_equal(store_commit(st), 0);
}

/* The official calendar, read back from the table. */
static void load_official(struct store *st, struct calendar *cal)
{
	struct store_workdays_load res;
	begin(st);
	assert_int_equal(store_workdays_load_csv(st, DATA_FILE, &res), 0);
	commit(st);
	assert_true(res.rows > 200);
	assert_int_equal(store_workdays_read(st, cal), 0);
}

static void test_weekdays(void **state)
{
	(void)state;
	assert_int_equal(calendar_weekday(0), 4);              /* 1970-01-01, a Thursday */
	assert_int_equal(calendar_weekday(-1), 3);
	assert_int_equal(calendar_weekday(D("2026-11-23")), 1); /* Monday */
	assert_int_equal(calendar_weekday(D("2026-11-22")), 0); /* Sunday */
	assert_int_equal(calendar_weekday(D("2026-10-10")), 6); /* Saturday */
}

/* Without entries only Monday to Friday work, and nothing is covered. */
static void test_empty(void **state)
{
	struct calendar cal = {0};

	(void)state;
	assert_true(calendar_is_workday(&cal, D("2026-10-01")));
	assert_false(calendar_is_workday(&cal, D("2026-10-10")));
	assert_int_equal(calendar_workday_on_or_before(&cal, D("2026-11-22")), D("2026-11-20"));
	assert_int_equal(calendar_next_workday(&cal, D("2026-11-20")), D("2026-11-23"));
	assert_int_equal(calendar_covered_until(&cal), -1);
	calendar_free(&cal);
}

static void test_set_and_copy(void **state)
{
	struct calendar cal = {0}, copy = {0};

	(void)state;
	assert_int_equal(calendar_set(&cal, D("2026-10-02"), CALENDAR_HOLIDAY), 0);
	assert_int_equal(calendar_set(&cal, D("2025-01-01"), CALENDAR_HOLIDAY), 0);
	assert_int_equal(calendar_set(&cal, D("2026-10-10"), CALENDAR_WORKDAY), 0);
	/* Replacing keeps one entry per day. */
	assert_int_equal(calendar_set(&cal, D("2026-10-02"), CALENDAR_WORKDAY), 0);
	assert_int_equal(cal.n, 3);
	for (size_t i = 1; i < cal.n; i++)
		assert_true(cal.days[i - 1].day < cal.days[i].day);
	assert_true(calendar_is_workday(&cal, D("2026-10-02")));
	assert_int_equal(calendar_covered_until(&cal), D("2026-12-31"));
	assert_int_equal(calendar_copy(&copy, &cal), 0);
	calendar_free(&cal);
	assert_int_equal(copy.n, 3);
	assert_true(calendar_is_workday(&copy, D("2026-10-10")));
	assert_int_equal(calendar_copy(&copy, &cal), 0);
	assert_int_equal(copy.n, 0);
	calendar_free(&copy);
}

/* A weekend, a week of holidays and the make-up days around it. */
static void test_official(void **state)
{
	struct store *st = open_store();
	struct calendar cal = {0};

	(void)state;
	load_official(st, &cal);
	assert_false(calendar_is_workday(&cal, D("2026-11-21")));
	assert_true(calendar_is_workday(&cal, D("2026-11-23")));
	assert_false(calendar_is_workday(&cal, D("2026-10-01")));
	assert_false(calendar_is_workday(&cal, D("2026-10-07")));
	assert_true(calendar_is_workday(&cal, D("2026-10-10")));   /* Saturday, worked */
	assert_true(calendar_is_workday(&cal, D("2026-09-20")));   /* Sunday, worked */
	assert_false(calendar_is_workday(&cal, D("2026-09-25")));  /* Friday, 中秋 */

	assert_int_equal(calendar_workday_on_or_before(&cal, D("2026-11-22")), D("2026-11-20"));
	assert_int_equal(calendar_workday_on_or_before(&cal, D("2026-10-05")), D("2026-09-30"));
	assert_int_equal(calendar_workday_on_or_before(&cal, D("2026-10-11")), D("2026-10-10"));
	assert_int_equal(calendar_workday_on_or_before(&cal, D("2026-10-10")), D("2026-10-10"));
	assert_int_equal(calendar_workday_on_or_before(&cal, D("2026-09-27")), D("2026-09-24"));

	assert_int_equal(calendar_next_workday(&cal, D("2026-11-20")), D("2026-11-23"));
	assert_int_equal(calendar_next_workday(&cal, D("2026-09-30")), D("2026-10-08"));
	assert_int_equal(calendar_next_workday(&cal, D("2026-10-09")), D("2026-10-10"));
	assert_int_equal(calendar_next_workday(&cal, D("2026-09-19")), D("2026-09-20"));

	assert_int_equal(calendar_covered_until(&cal), D("2026-12-31"));
	calendar_free(&cal);
	store_close(st);
}

/* Loading again changes nothing; a newer year's file adds to the table. */
static void test_reload_and_newer_year(void **state)
{
	struct store *st = open_store();
	struct store_workdays_load res;
	struct calendar cal = {0};
	char path[128];

	(void)state;
	load_official(st, &cal);
	begin(st);
	assert_int_equal(store_workdays_load_csv(st, DATA_FILE, &res), 0);
	commit(st);
	assert_int_equal(res.changed, 0);

	write_file("2027.csv", "\xEF\xBB\xBF" "date,kind,name\r\n"
	                       "2027-01-01,holiday,元旦\r\n"
	                       "\r\n"
	                       "2027-02-07,workday,\"春节\"\r\n"
	                       "2026-10-10,workday,国庆节\r\n");
	path_in_dir(path, sizeof path, "2027.csv");
	begin(st);
	assert_int_equal(store_workdays_load_csv(st, path, &res), 0);
	commit(st);
	assert_int_equal(res.rows, 3);
	assert_int_equal(res.changed, 2);
	assert_int_equal(store_workdays_read(st, &cal), 0);
	assert_int_equal(calendar_covered_until(&cal), D("2027-12-31"));
	assert_false(calendar_is_workday(&cal, D("2027-01-01")));
	assert_true(calendar_is_workday(&cal, D("2027-02-07")));
	/* What the newer file does not list stays. */
	assert_false(calendar_is_workday(&cal, D("2026-10-01")));
	calendar_free(&cal);
	store_close(st);
}

/* A bad line refuses the whole file and says where; the table is kept. */
static void test_bad_files(void **state)
{
	static const struct {
		const char *text;
		unsigned line;
	} bad[] = {
		{"date,kind,name\n2027-01-01,holiday,元旦\n2027-02-30,holiday,x\n", 3},
		{"date,kind,name\n2027-01-01,off,元旦\n", 2},
		{"date,kind,name\n2027-01-01\n", 2},
		{"date,kind,name\n2027-01-01,holiday,a,b\n", 2},
		{"2027-01-01,holiday,元旦\n", 1},
		{"", 1},
		{"date,kind,name\n\"2027-01-01,holiday\n", 2},
	};
	struct store *st = open_store();
	struct store_workdays_load res;
	struct calendar cal = {0};
	char path[128];

	(void)state;
	load_official(st, &cal);
	size_t before = cal.n;
	path_in_dir(path, sizeof path, "bad.csv");
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		write_file("bad.csv", bad[i].text);
		begin(st);
		assert_int_equal(store_workdays_load_csv(st, path, &res), -EINVAL);
		/* Committed: the refused file itself left nothing behind. */
		commit(st);
		assert_int_equal(res.bad_line, bad[i].line);
		assert_int_equal(res.rows, 0);
	}
	assert_int_equal(store_workdays_read(st, &cal), 0);
	assert_int_equal(cal.n, before);
	path_in_dir(path, sizeof path, "missing.csv");
	begin(st);
	assert_int_equal(store_workdays_load_csv(st, path, &res), -ENOENT);
	commit(st);
	calendar_free(&cal);
	store_close(st);
}

static int setup(void **state)
{
	(void)state;
	snprintf(g_dir, sizeof g_dir, "/tmp/cqod-test-calendar-XXXXXX");
	return mkdtemp(g_dir) ? 0 : -1;
}

static int teardown(void **state)
{
	static const char *const names[] = {"cqod.db", "cqod.db-wal", "cqod.db-shm", "2027.csv",
	                                    "bad.csv"};
	char p[128];

	(void)state;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		path_in_dir(p, sizeof p, names[i]);
		unlink(p);
	}
	return rmdir(g_dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_weekdays),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_set_and_copy),
		cmocka_unit_test(test_official),
		cmocka_unit_test(test_reload_and_newer_year),
		cmocka_unit_test(test_bad_files),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
