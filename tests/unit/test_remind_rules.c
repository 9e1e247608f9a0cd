/* The reminder rules as pure functions (daemon/remind_rules.c): which
 * milestone days a sweep covers on a weekday, before a weekend, before a
 * week of holidays, on a make-up working day and after downtime; where a
 * milestone is sent; policy offsets; the annual-hours days. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "../../lib/calendar.h"
#include "../../lib/clock.h"
#include "../../lib/remind.h"

static int64_t D(const char *date)
{
	int64_t day;
	assert_int_equal(clock_parse_date(date, &day), 0);
	return day;
}

/* The autumn of 2026 as the State Council set it. */
static void autumn_2026(struct calendar *cal)
{
	static const char *const off[] = {"2026-09-25", "2026-09-26", "2026-09-27", "2026-10-01",
	                                  "2026-10-02", "2026-10-03", "2026-10-04", "2026-10-05",
	                                  "2026-10-06", "2026-10-07"};
	for (size_t i = 0; i < sizeof off / sizeof off[0]; i++)
		assert_int_equal(calendar_set(cal, D(off[i]), CALENDAR_HOLIDAY), 0);
	assert_int_equal(calendar_set(cal, D("2026-09-20"), CALENDAR_WORKDAY), 0);
	assert_int_equal(calendar_set(cal, D("2026-10-10"), CALENDAR_WORKDAY), 0);
}

static void expect_window(const struct calendar *cal, const char *today, const char *last,
                          unsigned catch_up, const char *from, const char *to)
{
	int64_t f, t;

	assert_true(remind_window(cal, D(today), last ? D(last) : -1, catch_up, &f, &t));
	assert_int_equal(f, D(from));
	assert_int_equal(t, D(to));
}

static void test_windows(void **state)
{
	struct calendar cal = {0};
	int64_t f, t;

	(void)state;
	autumn_2026(&cal);
	/* A weekday after a weekday's sweep: that day only. */
	expect_window(&cal, "2026-11-19", "2026-11-18", 31, "2026-11-19", "2026-11-19");
	/* Friday covers the weekend; Monday then only itself. */
	expect_window(&cal, "2026-11-20", "2026-11-19", 31, "2026-11-20", "2026-11-22");
	expect_window(&cal, "2026-11-23", "2026-11-20", 31, "2026-11-23", "2026-11-23");
	/* The last working day before National Day covers the whole week off. */
	expect_window(&cal, "2026-09-30", "2026-09-29", 31, "2026-09-30", "2026-10-07");
	/* Before 中秋 (Friday to Sunday off). */
	expect_window(&cal, "2026-09-24", "2026-09-23", 31, "2026-09-24", "2026-09-27");
	/* The make-up Saturday is a working day of its own, and covers Sunday. */
	expect_window(&cal, "2026-10-09", "2026-10-08", 31, "2026-10-09", "2026-10-09");
	expect_window(&cal, "2026-10-10", "2026-10-09", 31, "2026-10-10", "2026-10-11");
	/* The first sweep ever starts today. */
	expect_window(&cal, "2026-11-20", NULL, 31, "2026-11-20", "2026-11-22");
	/* A week of downtime: once, from the day after the last window. */
	expect_window(&cal, "2026-11-23", "2026-11-13", 31, "2026-11-16", "2026-11-23");
	/* Months of downtime: only catch_up_days back. */
	expect_window(&cal, "2026-11-23", "2026-03-02", 31, "2026-10-23", "2026-11-23");
	expect_window(&cal, "2026-11-23", "2026-11-13", 3, "2026-11-20", "2026-11-23");
	/* Already swept today, or a clock gone back: nothing. */
	assert_false(remind_window(&cal, D("2026-11-23"), D("2026-11-23"), 31, &f, &t));
	assert_false(remind_window(&cal, D("2026-11-23"), D("2026-11-24"), 31, &f, &t));
	/* Friday's sweep covered Saturday and Sunday: a Monday start after it
	 * does not repeat them. */
	assert_false(remind_window(&cal, D("2026-11-20"), D("2026-11-20"), 31, &f, &t));
	calendar_free(&cal);
}

static void test_due_day(void **state)
{
	struct calendar cal = {0};

	(void)state;
	autumn_2026(&cal);
	assert_int_equal(remind_due_day(&cal, D("2026-11-23")), D("2026-11-23"));
	assert_int_equal(remind_due_day(&cal, D("2026-11-22")), D("2026-11-20"));
	assert_int_equal(remind_due_day(&cal, D("2026-10-03")), D("2026-09-30"));
	assert_int_equal(remind_due_day(&cal, D("2026-10-10")), D("2026-10-10"));
	assert_int_equal(remind_due_day(&cal, D("2026-10-11")), D("2026-10-10"));
	assert_int_equal(remind_due_day(&cal, D("2026-09-20")), D("2026-09-20"));
	calendar_free(&cal);
}

static void test_offsets(void **state)
{
	int out[8];

	(void)state;
	assert_int_equal(remind_offsets_parse("90,30,7,0", out, 8), 4);
	assert_int_equal(out[0], 90);
	assert_int_equal(out[3], 0);
	assert_int_equal(remind_offsets_parse("7", out, 8), 1);
	assert_int_equal(remind_offsets_parse("3650,0", out, 8), 2);
	assert_int_equal(remind_offsets_parse("", out, 8), -EINVAL);
	assert_int_equal(remind_offsets_parse(NULL, out, 8), -EINVAL);
	assert_int_equal(remind_offsets_parse("90,,7", out, 8), -EINVAL);
	assert_int_equal(remind_offsets_parse("90,", out, 8), -EINVAL);
	assert_int_equal(remind_offsets_parse(",90", out, 8), -EINVAL);
	assert_int_equal(remind_offsets_parse("90,90", out, 8), -EINVAL);
	assert_int_equal(remind_offsets_parse("3651", out, 8), -EINVAL);
	assert_int_equal(remind_offsets_parse("-1", out, 8), -EINVAL);
	assert_int_equal(remind_offsets_parse("1,2,3", out, 2), -EINVAL);
}

static void test_hours_days(void **state)
{
	int64_t out[8];

	(void)state;
	assert_int_equal(remind_hours_milestones(REMIND_HOURS_DATES, D("2026-08-28"), D("2026-08-31"), out, 8), 0);
	assert_int_equal(remind_hours_milestones(REMIND_HOURS_DATES, D("2026-08-28"), D("2026-09-01"), out, 8), 1);
	assert_int_equal(out[0], D("2026-09-01"));
	assert_int_equal(remind_hours_milestones(REMIND_HOURS_DATES, D("2026-10-30"), D("2026-11-01"), out, 8), 1);
	assert_int_equal(out[0], D("2026-11-01"));
	assert_int_equal(remind_hours_milestones(REMIND_HOURS_DATES, D("2026-09-01"), D("2026-12-01"), out, 8), 3);
	assert_int_equal(remind_hours_milestones(REMIND_HOURS_DATES, D("2026-12-02"), D("2027-09-01"), out, 8), 1);
	assert_int_equal(out[0], D("2027-09-01"));
	assert_int_equal(remind_hours_milestones(REMIND_HOURS_DATES, D("2026-12-01"), D("2026-11-01"), out, 8), 0);
}

/* A policy's own days: what `policy set` shows is what is sent. */
static void test_hours_days_of_policy(void **state)
{
	int64_t out[8];

	(void)state;
	assert_int_equal(remind_hours_milestones("06-01", D("2026-05-29"), D("2026-06-01"), out, 8),
	                 1);
	assert_int_equal(out[0], D("2026-06-01"));
	assert_int_equal(remind_hours_milestones("06-01", D("2026-08-28"), D("2026-09-01"), out, 8),
	                 0);
	assert_int_equal(remind_hours_milestones("12-31,01-15", D("2026-12-30"), D("2027-01-15"),
	                                         out, 8), 2);
	assert_int_equal(out[0], D("2026-12-31"));
	assert_int_equal(out[1], D("2027-01-15"));
	assert_int_equal(remind_hours_dates_valid("09-01,11-01,12-01"), 0);
	assert_int_equal(remind_hours_dates_valid("06-01"), 0);
	static const char *const bad[] = {"", "6-01", "06-1", "13-01", "02-30", "02-29",
	                                  "06-01,", ",06-01", "06-01,06-01", "06-01;07-01",
	                                  "01-01,02-01,03-01,04-01,05-01,06-01,07-01,08-01,"
	                                  "09-01,10-01,11-01,12-01,12-15"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(remind_hours_dates_valid(bad[i]), -EINVAL);
		assert_int_equal(remind_hours_milestones(bad[i], D("2026-01-01"), D("2026-12-31"),
		                                         out, 8), 0);
	}
	assert_int_equal(remind_hours_dates_valid(NULL), -EINVAL);
}

static void test_hours_kinds(void **state)
{
	(void)state;
	assert_int_equal(remind_hours_kinds("线上自学"), 4);
	assert_int_equal(remind_hours_kinds(REMIND_HOURS_KINDS), 6);
	assert_int_equal(remind_hours_kinds("任职培训,继续教育,线上自学"), 7);
	assert_int_equal(remind_hours_kinds(""), 0);
	assert_int_equal(remind_hours_kinds(NULL), 0);
	assert_int_equal(remind_hours_kinds("线上自学,线上自学"), 0);
	assert_int_equal(remind_hours_kinds("外出考察"), 0);
	assert_int_equal(remind_hours_kinds("线上自学,"), 0);
	assert_int_equal(remind_hours_kinds("线上"), 0);
}

/* Pro rata: annual x months left (counting the starting one) / 12, up. */
static void test_hours_required(void **state)
{
	(void)state;
	assert_true(remind_hours_required(30, false, D("2026-07-10"), 2026) == 30);
	assert_true(remind_hours_required(30, true, D("2026-07-10"), 2026) == 15);
	assert_true(remind_hours_required(30, true, D("2026-01-01"), 2026) == 30);
	assert_true(remind_hours_required(30, true, D("2026-12-31"), 2026) == 3);   /* 2.5 up */
	assert_true(remind_hours_required(30, true, D("2026-11-02"), 2026) == 5);
	assert_true(remind_hours_required(40, true, D("2026-06-15"), 2026) == 24);  /* 23.3 up */
	/* Appointed in an earlier year: the whole quota. */
	assert_true(remind_hours_required(30, true, D("2025-07-10"), 2026) == 30);
	assert_true(remind_hours_required(0, true, D("2026-07-10"), 2026) == 0);
	assert_true(remind_hours_required(0, false, D("2026-07-10"), 2026) == 0);
}

static void test_weekly(void **state)
{
	(void)state;
	/* A term ended 11-01: notices on 11-08, 11-15, ... */
	assert_int_equal(remind_first_weekly(D("2026-11-01"), D("2026-10-20")), D("2026-11-08"));
	assert_int_equal(remind_first_weekly(D("2026-11-01"), D("2026-11-01")), D("2026-11-08"));
	assert_int_equal(remind_first_weekly(D("2026-11-01"), D("2026-11-08")), D("2026-11-08"));
	assert_int_equal(remind_first_weekly(D("2026-11-01"), D("2026-11-09")), D("2026-11-15"));
}

static void test_rule_names(void **state)
{
	struct remind_item it = {.rule = REMIND_EVENT, .event_id = 17, .record_id = 5};
	char rule[32];

	(void)state;
	remind_ledger_rule(&it, rule);
	assert_string_equal(rule, "event:17");
	it.rule = REMIND_OVERDUE;
	remind_ledger_rule(&it, rule);
	assert_string_equal(rule, "term_overdue");
	assert_string_equal(remind_category(REMIND_OVERDUE), "term");
	assert_string_equal(remind_category(REMIND_EVENT), "event");
	assert_null(remind_category(REMIND_SUMMONS));
	assert_null(remind_category(REMIND_SANCTION));
	assert_null(remind_category(REMIND_DIGEST_TERM));
	assert_int_equal(remind_category_index("hours"), 2);
	assert_int_equal(remind_category_index("sanction"), -1);
	assert_int_equal(remind_category_index(NULL), -1);
	assert_true(remind_is_digest(REMIND_DIGEST_SANCTION));
	assert_false(remind_is_digest(REMIND_TERM));
	assert_true(remind_needs_binding(REMIND_TRAINING));
	assert_true(remind_needs_binding(REMIND_SUMMONS));
	assert_false(remind_needs_binding(REMIND_HOURS));
	assert_false(remind_needs_binding(REMIND_EVENT));
}

/* Sorting puts a person's items together, one record's milestones in
 * order. */
static void test_items_sort(void **state)
{
	struct remind_items l = {0};
	struct remind_item a = {.rule = REMIND_TERM, .person_id = 2, .record_id = 9, .milestone = 5};
	struct remind_item b = {.rule = REMIND_TERM, .person_id = 1, .record_id = 9, .milestone = 7};
	struct remind_item c = {.rule = REMIND_OVERDUE, .person_id = 1, .record_id = 3};
	struct remind_item d = {.rule = REMIND_TERM, .person_id = 1, .record_id = 9, .milestone = 6};

	(void)state;
	assert_int_equal(remind_items_push(&l, &a), 0);
	assert_int_equal(remind_items_push(&l, &b), 0);
	assert_int_equal(remind_items_push(&l, &c), 0);
	assert_int_equal(remind_items_push(&l, &d), 0);
	remind_items_sort(&l);
	assert_int_equal(l.v[0].milestone, 6);
	assert_int_equal(l.v[1].milestone, 7);
	assert_int_equal(l.v[2].rule, REMIND_OVERDUE);
	assert_int_equal(l.v[3].person_id, 2);
	remind_items_free(&l);
	assert_int_equal(l.n, 0);
}

static void test_days(void **state)
{
	char s[11];

	(void)state;
	remind_day_str(D("2026-02-28"), s);
	assert_string_equal(s, "2026-02-28");
	/* 00:00 China Standard Time is 16:00 UTC the day before. */
	assert_int_equal(remind_day_start(D("2026-11-23")), 1795363200);
	assert_int_equal(clock_cst_day(remind_day_start(D("2026-11-23"))), D("2026-11-23"));
	assert_int_equal(clock_cst_day(remind_day_start(D("2026-11-23")) - 1), D("2026-11-22"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_windows),
		cmocka_unit_test(test_due_day),
		cmocka_unit_test(test_offsets),
		cmocka_unit_test(test_hours_days),
		cmocka_unit_test(test_hours_days_of_policy),
		cmocka_unit_test(test_hours_kinds),
		cmocka_unit_test(test_hours_required),
		cmocka_unit_test(test_weekly),
		cmocka_unit_test(test_rule_names),
		cmocka_unit_test(test_items_sort),
		cmocka_unit_test(test_days),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
