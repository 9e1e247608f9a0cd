/* Appointment statistics and targets (store_stats.c) against a hand-computed
 * fixture. Run from the repository root (reads data/regions.csv). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../store/store.h"
#include "store_fresh.h"
#include "../../store/store_audit.h"
#include "../../store/store_internal.h"
#include "../../store/store_stats.h"
#include "../../store/store_target.h"

/*
 * 临沂市 3713 and one enterprise in 西安 610113; tags in brackets:
 *
 *   371302 兰山区  E1 [规上]      active P1 since 2024-03-01, 任职培训
 *                  E2 [规上]      active P2 since 2026-02-01, untrained
 *                  E3 [规上]      none (P3 2023-01-01, ended 2025-12-31)
 *                  E4 [链主]      active P4 since 2026-05-01, untrained
 *   371311 罗庄区  E5 [规上 链主] active P5 since 2026-03-01, 任职培训 (recorded
 *                                 under an earlier appointment); before it P6
 *                                 2026-01-10, dismissed 2026-02-28
 *                  E6, E7, E8 [规上] none
 *   371312 河东区  E9 [规上]      active P7 since 2025-06-01, untrained
 *   610113 雁塔区  E10 [规上]     active P8 since 2026-01-05, 任职培训
 *
 * Targets: 37 规上 2026 10%; 3713 规上 2026 60%, 2025 90%; 371311 规上 2026
 * 50%; 3713 链主 2026 100%.
 *
 * 统计 3713 规上 2026, by hand:
 *   region  ent appointed rate   target        gap   trained  new
 *   371302   3     2     66.7%   60% (3713)    met   1 of 2   1 (E2)
 *   371311   4     1     25.0%   50% (own)     25%   1 of 1   2 (E5: P6, P5)
 *   371312   1     1    100.0%   60% (3713)    met   0 of 1   0
 *   total    8     4     50.0%   60% (own)     10%   2 of 4   3
 */
static const char FIXTURE_SQL[] =
	"INSERT INTO enterprises (id, credit_code, name, region_code, created_at, updated_at)"
	" VALUES (1, '91371302TST000001A', 'E1', '371302', 0, 0),"
	" (2, '91371302TST000002A', 'E2', '371302', 0, 0),"
	" (3, '91371302TST000003A', 'E3', '371302', 0, 0),"
	" (4, '91371302TST000004A', 'E4', '371302', 0, 0),"
	" (5, '91371311TST000005A', 'E5', '371311', 0, 0),"
	" (6, '91371311TST000006A', 'E6', '371311', 0, 0),"
	" (7, '91371311TST000007A', 'E7', '371311', 0, 0),"
	" (8, '91371311TST000008A', 'E8', '371311', 0, 0),"
	" (9, '91371312TST000009A', 'E9', '371312', 0, 0),"
	" (10, '91610113TST000010A', 'E10', '610113', 0, 0);"
	"INSERT INTO enterprise_tags (enterprise_id, tag) VALUES"
	" (1, '规上'), (2, '规上'), (3, '规上'), (4, '链主'), (5, '规上'), (5, '链主'),"
	" (6, '规上'), (7, '规上'), (8, '规上'), (9, '规上'), (10, '规上');"
	"INSERT INTO people (id, name, created_at, updated_at) VALUES"
	" (1, 'P1', 0, 0), (2, 'P2', 0, 0), (3, 'P3', 0, 0), (4, 'P4', 0, 0),"
	" (5, 'P5', 0, 0), (6, 'P6', 0, 0), (7, 'P7', 0, 0), (8, 'P8', 0, 0);"
	"INSERT INTO appointments (id, enterprise_id, person_id, start_date, term_end, status,"
	" ended_on, filed_at, updated_at) VALUES"
	" (1, 1, 1, '2024-03-01', '2027-02-28', 'active', NULL, 0, 0),"
	" (2, 2, 2, '2026-02-01', '2029-01-31', 'active', NULL, 0, 0),"
	" (3, 3, 3, '2023-01-01', '2025-12-31', 'ended', '2025-12-31', 0, 0),"
	" (4, 4, 4, '2026-05-01', '2029-04-30', 'active', NULL, 0, 0),"
	" (5, 5, 6, '2026-01-10', '2029-01-09', 'dismissed', '2026-02-28', 0, 0),"
	" (6, 5, 5, '2026-03-01', '2029-02-28', 'active', NULL, 0, 0),"
	" (7, 9, 7, '2025-06-01', '2028-05-31', 'active', NULL, 0, 0),"
	" (8, 10, 8, '2026-01-05', '2029-01-04', 'active', NULL, 0, 0),"
	" (9, 3, 5, '2020-01-01', '2022-12-31', 'ended', '2022-12-31', 0, 0);"
	"INSERT INTO trainings (appointment_id, person_id, kind, date, hours, created_at) VALUES"
	" (1, 1, '任职培训', '2024-04-01', 16, 0),"
	" (2, 2, '继续教育', '2026-03-01', 30, 0),"
	" (9, 5, '任职培训', '2020-02-01', 16, 0),"
	" (7, 7, '线上自学', '2026-02-01', 40, 0),"
	" (8, 8, '任职培训', '2026-02-01', 24, 0);"
	"INSERT INTO targets (region_code, category, year, rate) VALUES"
	" ('37', '规上', 2026, 0.1), ('3713', '规上', 2026, 0.6), ('3713', '规上', 2025, 0.9),"
	" ('371311', '规上', 2026, 0.5), ('3713', '链主', 2026, 1.0);";

/* Today, as in the chat fixture: 2026 is counted on this day. */
#define TODAY "2026-06-15"
#define RATE STORE_TARGET_RATE

/*
 * Three years of 临沂市 规上 as an annual list (issue 15), apart from the
 * fixture above. Lists: 2023 A8; 2024 A1 A2 A3 A4; 2025 A1 A2 A3 A5 A6;
 * none for 2026 (the 2025 list holds); A7 undated (every year).
 *
 *   兰山区 371302
 *     A1  P1 term 1 2023-03-01..2026-02-28, renewed: term 2 2026-03-01..
 *         2029-02-28; 任职培训 2023-05-01
 *     A2  P2 2022-01-01..2024-12-31, never renewed (lapsed, still 'active')
 *     A6  P7 2025-03-01..2028-02-29, left 2025-11-30, no successor
 *     A7  P8 2023-01-01..2025-12-31, ended 2025-12-31; replaced by P9
 *         2026-01-01..2028-12-31 (predecessor P8); P9 任职培训 2026-03-01
 *     A8  P10 2024-01-01..2026-12-31 (on the 2023 list only: never counted)
 *   罗庄区 371311
 *     A3  P3 2024-02-01..2027-01-31, dismissed 2025-06-30; replaced by P4
 *         2025-08-01..2028-07-31; P4 任职培训 2026-01-10
 *     A4  P5 2024-06-01..2027-05-31; 任职培训 2024-07-01
 *     A5  P6 2026-10-01..2029-09-30 (filed ahead of its start)
 *
 * Target: 3713 规上 2025 80%.
 *
 * By hand (ent = enterprises, appt = 已聘任 on the date counted, trn =
 * trained by then, new/ren/rep = first terms, renewals, replacements
 * starting in the year):
 *   year  date        region  ent appt trn new ren rep  list
 *   2024  2024-12-31  371302   3   3    1   0   0   0   2024 (A1 A2 A7)
 *                     371311   2   2    1   2   0   0        (A3 A4)
 *                     total    5   5    2   2   0   0
 *   2025  2025-12-31  371302   4   2    1   1   0   0   2025 (A1 A7; A6 new)
 *                     371311   2   1    0   0   0   1        (A3 by P4)
 *                     total    6   3    1   1   0   1   rate 50%, gap 30 points
 *   2026  2026-06-15  371302   4   2    2   0   1   1   2025 (A1 renewal, A7 P9)
 *                     371311   2   1    1   1   0   0        (A5 not yet)
 *                     total    6   3    3   1   1   1
 *   2026  2026-12-31  371311   2   2    1   1   0   0   once the year is over
 */
static const char YEARS_SQL[] =
	"INSERT INTO enterprises (id, credit_code, name, region_code, created_at, updated_at)"
	" VALUES (1, '91371302TST000001A', 'A1', '371302', 0, 0),"
	" (2, '91371302TST000002A', 'A2', '371302', 0, 0),"
	" (3, '91371311TST000003A', 'A3', '371311', 0, 0),"
	" (4, '91371311TST000004A', 'A4', '371311', 0, 0),"
	" (5, '91371311TST000005A', 'A5', '371311', 0, 0),"
	" (6, '91371302TST000006A', 'A6', '371302', 0, 0),"
	" (7, '91371302TST000007A', 'A7', '371302', 0, 0),"
	" (8, '91371302TST000008A', 'A8', '371302', 0, 0);"
	"INSERT INTO enterprise_tags (enterprise_id, tag, year) VALUES (8, '规上', 2023),"
	" (1, '规上', 2024), (2, '规上', 2024), (3, '规上', 2024), (4, '规上', 2024),"
	" (1, '规上', 2025), (2, '规上', 2025), (3, '规上', 2025), (5, '规上', 2025),"
	" (6, '规上', 2025), (7, '规上', 0);"
	"INSERT INTO people (id, name, created_at, updated_at) VALUES"
	" (1, 'P1', 0, 0), (2, 'P2', 0, 0), (3, 'P3', 0, 0), (4, 'P4', 0, 0), (5, 'P5', 0, 0),"
	" (6, 'P6', 0, 0), (7, 'P7', 0, 0), (8, 'P8', 0, 0), (9, 'P9', 0, 0), (10, 'P10', 0, 0);"
	"INSERT INTO appointments (id, enterprise_id, person_id, start_date, term_end, status,"
	" ended_on, predecessor_id, filed_at, updated_at) VALUES"
	" (1, 1, 1, '2023-03-01', '2026-02-28', 'active', NULL, NULL, 0, 0),"
	" (2, 2, 2, '2022-01-01', '2024-12-31', 'active', NULL, NULL, 0, 0),"
	" (3, 3, 3, '2024-02-01', '2027-01-31', 'dismissed', '2025-06-30', NULL, 0, 0),"
	" (4, 3, 4, '2025-08-01', '2028-07-31', 'active', NULL, 3, 0, 0),"
	" (5, 4, 5, '2024-06-01', '2027-05-31', 'active', NULL, NULL, 0, 0),"
	" (6, 5, 6, '2026-10-01', '2029-09-30', 'active', NULL, NULL, 0, 0),"
	" (7, 6, 7, '2025-03-01', '2028-02-29', 'ended', '2025-11-30', NULL, 0, 0),"
	" (8, 7, 8, '2023-01-01', '2025-12-31', 'ended', '2025-12-31', NULL, 0, 0),"
	" (9, 7, 9, '2026-01-01', '2028-12-31', 'active', NULL, 8, 0, 0),"
	" (10, 8, 10, '2024-01-01', '2026-12-31', 'active', NULL, NULL, 0, 0);"
	/* 续聘 as the chat writes it: a second term, the row follows it. */
	"INSERT INTO appointment_terms (appointment_id, term_no, start_date, term_end, created_at)"
	" VALUES (1, 2, '2026-03-01', '2029-02-28', 0);"
	"UPDATE appointments SET start_date = '2026-03-01', term_end = '2029-02-28' WHERE id = 1;"
	"INSERT INTO trainings (appointment_id, person_id, kind, date, hours, created_at) VALUES"
	" (1, 1, '任职培训', '2023-05-01', 16, 0), (9, 9, '任职培训', '2026-03-01', 16, 0),"
	" (4, 4, '任职培训', '2026-01-10', 16, 0), (5, 5, '任职培训', '2024-07-01', 16, 0),"
	" (2, 2, '继续教育', '2024-05-01', 30, 0);"
	"INSERT INTO targets (region_code, category, year, rate) VALUES ('3713', '规上', 2025, 0.8);";

struct fixture {
	char dir[64];
	char path[96];
	struct store *st;
};

static int setup_with(void **state, const char *sql)
{
	struct fixture *f = calloc(1, sizeof *f);
	char *err = NULL;

	assert_non_null(f);
	snprintf(f->dir, sizeof f->dir, "/tmp/cqod-test-stats-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/cqod.db", f->dir);
	assert_int_equal(store_fresh_open(f->path, &f->st), 0);
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_regions_load_csv(f->st, "data/regions.csv", NULL), 0);
	assert_int_equal(store_commit(f->st), 0);
	if (sqlite3_exec(f->st->db, sql, NULL, NULL, &err) != SQLITE_OK)
		fail_msg("fixture: %s", err);
	*state = f;
	return 0;
}

static int setup(void **state)
{
	return setup_with(state, FIXTURE_SQL);
}

static int setup_years(void **state)
{
	return setup_with(state, YEARS_SQL);
}

static int teardown(void **state)
{
	static const char *const names[] = {"cqod.db", "cqod.db-wal", "cqod.db-shm"};
	struct fixture *f = *state;
	char p[128];

	store_close(f->st);
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		snprintf(p, sizeof p, "%s/%s", f->dir, names[i]);
		unlink(p);
	}
	rmdir(f->dir);
	free(f);
	return 0;
}

static struct store *st_of(void **state)
{
	return ((struct fixture *)*state)->st;
}

static void assert_near(double got, double want)
{
	if (fabs(got - want) > 1e-9)
		fail_msg("got %.12f, want %.12f", got, want);
}

/* One row: code, counts, and the target (negative: none) with its origin. */
static void expect_row(const struct store_stats_row *r, const char *code, const char *name,
                       int64_t ent, int64_t appointed, int64_t trained, int64_t filings,
                       double target, const char *target_region)
{
	assert_string_equal(r->region_code, code);
	assert_string_equal(r->region_name, name);
	assert_int_equal(r->enterprises, ent);
	assert_int_equal(r->appointed, appointed);
	assert_int_equal(r->trained, trained);
	assert_int_equal(r->new_filings, filings);
	if (target < 0) {
		assert_false(r->has_target);
		return;
	}
	assert_true(r->has_target);
	assert_near(r->target, target);
	assert_string_equal(r->target_region, target_region);
}

/* The terms starting in the year, by kind. */
static void expect_flow(const struct store_stats_row *r, int64_t firsts, int64_t renewals,
                        int64_t replacements)
{
	assert_int_equal(r->new_filings, firsts);
	assert_int_equal(r->renewals, renewals);
	assert_int_equal(r->replacements, replacements);
}

static void test_three_years(void **state)
{
	struct store *st = st_of(state);
	struct store_stats s;

	assert_int_equal(store_stats_compute(st, "3713", "规上", 2024, TODAY, &s), 0);
	assert_string_equal(s.as_of, "2024-12-31");
	assert_int_equal(s.list_year, 2024);
	assert_int_equal(s.n_rows, 2);
	expect_row(&s.rows[0], "371302", "兰山区", 3, 3, 1, 0, -1, NULL);
	expect_flow(&s.rows[0], 0, 0, 0);
	expect_row(&s.rows[1], "371311", "罗庄区", 2, 2, 1, 2, -1, NULL);
	expect_flow(&s.rows[1], 2, 0, 0);
	expect_row(&s.total, "3713", "临沂市", 5, 5, 2, 2, -1, NULL);
	expect_flow(&s.total, 2, 0, 0);
	store_stats_free(&s);

	assert_int_equal(store_stats_compute(st, "3713", "规上", 2025, TODAY, &s), 0);
	assert_string_equal(s.as_of, "2025-12-31");
	assert_int_equal(s.list_year, 2025);
	assert_int_equal(s.n_rows, 2);
	expect_row(&s.rows[0], "371302", "兰山区", 4, 2, 1, 1, 0.8, "3713");
	expect_flow(&s.rows[0], 1, 0, 0);
	expect_row(&s.rows[1], "371311", "罗庄区", 2, 1, 0, 0, 0.8, "3713");
	expect_flow(&s.rows[1], 0, 0, 1);
	expect_row(&s.total, "3713", "临沂市", 6, 3, 1, 1, 0.8, "3713");
	expect_flow(&s.total, 1, 0, 1);
	assert_near(store_stats_rate(&s.total), 0.5);
	assert_near(store_stats_gap(&s.total), 0.3);
	store_stats_free(&s);

	/* No 2026 list: the 2025 one holds; counted today. */
	assert_int_equal(store_stats_compute(st, "3713", "规上", 2026, TODAY, &s), 0);
	assert_string_equal(s.as_of, TODAY);
	assert_int_equal(s.list_year, 2025);
	assert_int_equal(s.n_rows, 2);
	expect_row(&s.rows[0], "371302", "兰山区", 4, 2, 2, 0, -1, NULL);
	expect_flow(&s.rows[0], 0, 1, 1);
	expect_row(&s.rows[1], "371311", "罗庄区", 2, 1, 1, 1, -1, NULL);
	expect_flow(&s.rows[1], 1, 0, 0);
	expect_row(&s.total, "3713", "临沂市", 6, 3, 3, 1, -1, NULL);
	expect_flow(&s.total, 1, 1, 1);
	store_stats_free(&s);

	/* Once 2026 is over, the CQO whose term began in October counts. */
	assert_int_equal(store_stats_compute(st, "371311", "规上", 2026, "2027-03-01", &s), 0);
	assert_string_equal(s.as_of, "2026-12-31");
	assert_int_equal(s.n_rows, 1);
	expect_row(&s.rows[0], "371311", "罗庄区", 2, 2, 1, 1, -1, NULL);
	expect_flow(&s.rows[0], 1, 0, 0);
	store_stats_free(&s);

	/* 2023 has its own list (A8) besides the undated A7. */
	assert_int_equal(store_stats_compute(st, "3713", "规上", 2023, TODAY, &s), 0);
	assert_int_equal(s.list_year, 2023);
	expect_row(&s.total, "3713", "临沂市", 2, 1, 0, 1, -1, NULL);
	expect_flow(&s.total, 1, 0, 0);
	store_stats_free(&s);
	/* Before any list, the undated tags alone. */
	assert_int_equal(store_stats_compute(st, "3713", "规上", 2022, TODAY, &s), 0);
	assert_int_equal(s.list_year, 0);
	expect_row(&s.total, "3713", "临沂市", 1, 0, 0, 0, -1, NULL);
	store_stats_free(&s);
	assert_int_equal(store_stats_compute(st, "3713", "规上", 2026, "today", &s), -EINVAL);
}

static void test_city_table(void **state)
{
	struct store_stats s;

	assert_int_equal(store_stats_compute(st_of(state), "3713", "规上", 2026, TODAY, &s), 0);
	assert_string_equal(s.region_code, "3713");
	assert_string_equal(s.category, "规上");
	assert_int_equal(s.year, 2026);
	assert_int_equal(s.n_rows, 3);
	expect_row(&s.rows[0], "371302", "兰山区", 3, 2, 1, 1, 0.6, "3713");
	expect_row(&s.rows[1], "371311", "罗庄区", 4, 1, 1, 2, 0.5, "371311");
	expect_row(&s.rows[2], "371312", "河东区", 1, 1, 0, 0, 0.6, "3713");
	expect_row(&s.total, "3713", "临沂市", 8, 4, 2, 3, 0.6, "3713");

	assert_near(store_stats_rate(&s.rows[0]), 2.0 / 3.0);
	assert_near(store_stats_gap(&s.rows[0]), 0);
	assert_near(store_stats_trained_share(&s.rows[0]), 0.5);
	assert_near(store_stats_rate(&s.rows[1]), 0.25);
	assert_near(store_stats_gap(&s.rows[1]), 0.25);
	assert_near(store_stats_trained_share(&s.rows[1]), 1.0);
	assert_near(store_stats_rate(&s.rows[2]), 1.0);
	assert_near(store_stats_gap(&s.rows[2]), 0);
	assert_near(store_stats_trained_share(&s.rows[2]), 0);
	assert_near(store_stats_rate(&s.total), 0.5);
	assert_near(store_stats_gap(&s.total), 0.1);
	assert_near(store_stats_trained_share(&s.total), 0.5);
	store_stats_free(&s);
	assert_null(s.rows);
}

static void test_other_levels(void **state)
{
	struct store *st = st_of(state);
	struct store_stats s;

	/* Province: one row per city; the city's own target, the province's in
	 * the total (met: 50% against 10%). */
	assert_int_equal(store_stats_compute(st, "37", "规上", 2026, TODAY, &s), 0);
	assert_int_equal(s.n_rows, 1);
	expect_row(&s.rows[0], "3713", "临沂市", 8, 4, 2, 3, 0.6, "3713");
	expect_row(&s.total, "37", "山东省", 8, 4, 2, 3, 0.1, "37");
	assert_near(store_stats_gap(&s.total), 0);
	store_stats_free(&s);

	/* The whole country: provinces, no target for the total. */
	assert_int_equal(store_stats_compute(st, "", "规上", 2026, TODAY, &s), 0);
	assert_int_equal(s.n_rows, 2);
	expect_row(&s.rows[0], "37", "山东省", 8, 4, 2, 3, 0.1, "37");
	expect_row(&s.rows[1], "61", "陕西省", 1, 1, 1, 1, -1, NULL);
	expect_row(&s.total, "", "", 9, 5, 3, 4, -1, NULL);
	assert_near(store_stats_gap(&s.rows[1]), 0);
	store_stats_free(&s);

	/* A county is its own one row. */
	assert_int_equal(store_stats_compute(st, "371311", "规上", 2026, TODAY, &s), 0);
	assert_int_equal(s.n_rows, 1);
	expect_row(&s.rows[0], "371311", "罗庄区", 4, 1, 1, 2, 0.5, "371311");
	expect_row(&s.total, "371311", "罗庄区", 4, 1, 1, 2, 0.5, "371311");
	store_stats_free(&s);

	/* A county without enterprises of the category: no rows, zero total. */
	assert_int_equal(store_stats_compute(st, "371321", "规上", 2026, TODAY, &s), 0);
	assert_int_equal(s.n_rows, 0);
	expect_row(&s.total, "371321", "沂南县", 0, 0, 0, 0, 0.6, "3713");
	assert_near(store_stats_rate(&s.total), 0);
	store_stats_free(&s);
}

static void test_category_and_year(void **state)
{
	struct store *st = st_of(state);
	struct store_stats s;

	assert_int_equal(store_stats_compute(st, "3713", "链主", 2026, TODAY, &s), 0);
	assert_int_equal(s.n_rows, 2);
	expect_row(&s.rows[0], "371302", "兰山区", 1, 1, 0, 1, 1.0, "3713");
	expect_row(&s.rows[1], "371311", "罗庄区", 1, 1, 1, 2, 1.0, "3713");
	expect_row(&s.total, "3713", "临沂市", 2, 2, 1, 3, 1.0, "3713");
	assert_near(store_stats_gap(&s.total), 0);
	store_stats_free(&s);

	/* 2025, counted on 2025-12-31: the county has no 2025 target of its
	 * own and inherits the city's; the filings of 2025 are E9's only. E3's
	 * P3 was in office that day (term and record ended on it), E2's and
	 * E5's CQOs not yet (both began in 2026). */
	assert_int_equal(store_stats_compute(st, "3713", "规上", 2025, TODAY, &s), 0);
	assert_int_equal(s.n_rows, 3);
	expect_row(&s.rows[0], "371302", "兰山区", 3, 2, 1, 0, 0.9, "3713");
	expect_row(&s.rows[1], "371311", "罗庄区", 4, 0, 0, 0, 0.9, "3713");
	expect_row(&s.rows[2], "371312", "河东区", 1, 1, 0, 1, 0.9, "3713");
	expect_row(&s.total, "3713", "临沂市", 8, 3, 1, 1, 0.9, "3713");
	assert_near(store_stats_gap(&s.total), 0.525);
	store_stats_free(&s);

	/* No target anywhere for 2024; E1 was filed that year. On 2024-12-31
	 * E1 (trained) and E3 (P3) had a CQO. */
	assert_int_equal(store_stats_compute(st, "3713", "规上", 2024, TODAY, &s), 0);
	expect_row(&s.total, "3713", "临沂市", 8, 2, 1, 1, -1, NULL);
	assert_near(store_stats_gap(&s.total), 0);
	store_stats_free(&s);

	/* 中小企业 counts by 企业规模, which none of these enterprises gives
	 * (test_cmd_lists counts it on the fixture); no tag is valid too. */
	assert_int_equal(store_stats_compute(st, "3713", "中小企业", 2026, TODAY, &s), 0);
	assert_int_equal(s.n_rows, 0);
	store_stats_free(&s);
	assert_int_equal(store_stats_compute(st, "3713", "上市", 2026, TODAY, &s), -EINVAL);
	assert_int_equal(store_stats_compute(st, "371", "规上", 2026, TODAY, &s), -EINVAL);
	assert_int_equal(store_stats_compute(st, "3713", "规上", 99, TODAY, &s), -EINVAL);
}

static void test_gap_edges(void **state)
{
	struct store_stats_row r = {.enterprises = 20, .appointed = 1, .has_target = true,
	                            .target = 0.05};
	(void)state;

	/* 1 of 20 meets 5% exactly, whatever the binary rounding. */
	assert_near(store_stats_gap(&r), 0);
	r.appointed = 0;
	assert_near(store_stats_gap(&r), 0.05);
	r.enterprises = 0;
	assert_near(store_stats_rate(&r), 0);
	assert_near(store_stats_gap(&r), 0);
	assert_near(store_stats_trained_share(&r), 0);
	r.has_target = false;
	r.enterprises = 10;
	assert_near(store_stats_gap(&r), 0);
}

static int64_t audit_rows(struct store *st)
{
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(st->db, "SELECT count(*) FROM audit_log"
		" WHERE entity = 'target' AND command = '目标' AND actor_user = 'u-admin'",
		-1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	int64_t n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return n;
}

static void test_target_set(void **state)
{
	struct store *st = st_of(state);
	struct store_actor who = {"generic", "u-admin", "chat-1", "目标", "test"};
	char from[16];
	double rate = -1, old = -1;
	bool had = true;

	/* A new county target overrides the inherited one. */
	assert_int_equal(store_target_get(st, "371302", "规上", 2026, RATE, &rate, from), 0);
	assert_near(rate, 0.6);
	assert_string_equal(from, "3713");
	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_target_set(st, &who, "371302", "规上", 2026, RATE, 0.75, &had, &old),
	                 0);
	assert_int_equal(store_commit(st), 0);
	assert_false(had);
	assert_int_equal(store_target_get(st, "371302", "规上", 2026, RATE, &rate, from), 0);
	assert_near(rate, 0.75);
	assert_string_equal(from, "371302");
	assert_int_equal(audit_rows(st), 1);

	/* Replacing reports the old rate and audits again. */
	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_target_set(st, &who, "3713", "规上", 2026, RATE, 0.8, &had, &old), 0);
	assert_int_equal(store_commit(st), 0);
	assert_true(had);
	assert_near(old, 0.6);
	assert_int_equal(store_target_get(st, "371311", "规上", 2026, RATE, &rate, NULL), 0);
	assert_near(rate, 0.5);
	assert_int_equal(store_target_get(st, "371312", "规上", 2026, RATE, &rate, NULL), 0);
	assert_near(rate, 0.8);
	assert_int_equal(audit_rows(st), 2);

	assert_int_equal(store_target_get(st, "610113", "规上", 2026, RATE, &rate, NULL), -ENOENT);
	assert_int_equal(store_target_get(st, "", "规上", 2026, RATE, &rate, NULL), -ENOENT);

	/* Bad arguments change nothing. */
	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_target_set(st, &who, "379999", "规上", 2026, RATE, 0.5, NULL, NULL),
	                 -EINVAL);
	assert_int_equal(store_target_set(st, &who, "3713", "大企业", 2026, RATE, 0.5, NULL, NULL),
	                 -EINVAL);
	assert_int_equal(store_target_set(st, &who, "3713", "规上", 1999, RATE, 0.5, NULL, NULL),
	                 -EINVAL);
	assert_int_equal(store_target_set(st, &who, "3713", "规上", 2026, RATE, 1.01, NULL, NULL),
	                 -EINVAL);
	assert_int_equal(store_target_set(st, &who, "3713", "规上", 2026, RATE, NAN, NULL, NULL),
	                 -EINVAL);
	assert_int_equal(store_commit(st), 0);
	assert_int_equal(audit_rows(st), 2);
	assert_int_equal(store_target_get(st, "3713", "规上", 2026, RATE, &rate, NULL), 0);
	assert_near(rate, 0.8);
}

/* Targets of the trained share and of first filings, per row as the rate's
 * (inherited from the nearest ancestor), with their gaps: 3713 规上 2026 of
 * the fixture has 2 of 4 trained and 3 first filings (371302: 1 of 2, 1;
 * 371311: 1 of 1, 2; 371312: 0 of 1, 0). */
static void test_other_targets(void **state)
{
	struct store *st = st_of(state);
	struct store_actor admin = {"generic", "u-admin", "chat-1", "目标", "test"};
	struct store_stats s;
	double v = -1;

	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_target_set(st, &admin, "3713", "规上", 2026, STORE_TARGET_TRAINED,
	                                  0.75, NULL, NULL), 0);
	assert_int_equal(store_target_set(st, &admin, "3713", "规上", 2026,
	                                  STORE_TARGET_NEW_FILINGS, 5, NULL, NULL), 0);
	assert_int_equal(store_target_set(st, &admin, "371311", "规上", 2026,
	                                  STORE_TARGET_NEW_FILINGS, 2, NULL, NULL), 0);
	/* A share is no number of filings and the other way round. */
	assert_int_equal(store_target_set(st, &admin, "3713", "规上", 2026, STORE_TARGET_TRAINED,
	                                  2, NULL, NULL), -EINVAL);
	assert_int_equal(store_target_set(st, &admin, "3713", "规上", 2026,
	                                  STORE_TARGET_NEW_FILINGS, 2.5, NULL, NULL), -EINVAL);
	assert_int_equal(store_target_set(st, &admin, "3713", "规上", 2026,
	                                  (enum store_target_metric)3, 1, NULL, NULL), -EINVAL);
	assert_int_equal(store_commit(st), 0);
	/* The rate target is untouched. */
	assert_int_equal(store_target_get(st, "3713", "规上", 2026, RATE, &v, NULL), 0);
	assert_near(v, 0.6);

	assert_int_equal(store_stats_compute(st, "3713", "规上", 2026, TODAY, &s), 0);
	const struct store_stats_row *lan = &s.rows[0], *luo = &s.rows[1], *he = &s.rows[2];
	assert_true(lan->trained_goal.set && lan->new_goal.set);
	assert_string_equal(lan->trained_goal.region, "3713");
	assert_near(store_stats_trained_gap(lan), 0.25);
	assert_int_equal(store_stats_new_gap(lan), 4);
	assert_near(store_stats_trained_gap(luo), 0);
	assert_string_equal(luo->new_goal.region, "371311");
	assert_int_equal(store_stats_new_gap(luo), 0);
	assert_near(store_stats_trained_gap(he), 0.75);
	assert_int_equal(store_stats_new_gap(he), 5);
	assert_near(store_stats_trained_gap(&s.total), 0.25);
	assert_int_equal(store_stats_new_gap(&s.total), 2);
	store_stats_free(&s);

	/* None set for 2025; none applies in 西安. */
	assert_int_equal(store_stats_compute(st, "3713", "规上", 2025, TODAY, &s), 0);
	assert_false(s.total.trained_goal.set || s.total.new_goal.set);
	assert_int_equal(store_stats_new_gap(&s.total), 0);
	assert_near(store_stats_trained_gap(&s.total), 0);
	store_stats_free(&s);
	assert_int_equal(store_target_get(st, "610113", "规上", 2026, STORE_TARGET_TRAINED, &v,
	                                  NULL), -ENOENT);
}

/* Within a region the statistics go through indexes only. */
static void test_region_stats_use_indexes(void **state)
{
	struct fixture *f = *state;
	struct store_stats s;
	char sql[4096];
	size_t checked = 0;

	store_close(f->st);
	assert_int_equal(store_open(f->path, &f->st), 0);
	assert_int_equal(store_stats_compute(f->st, "3713", "规上", 2026, TODAY, &s), 0);
	store_stats_free(&s);
	for (size_t i = 0; i < f->st->n_slots; i++) {
		sqlite3_stmt *stmt = f->st->slots[i].stmt, *plan;
		if (!stmt)
			continue;
		snprintf(sql, sizeof sql, "EXPLAIN QUERY PLAN %s", sqlite3_sql(stmt));
		assert_int_equal(sqlite3_prepare_v2(f->st->db, sql, -1, &plan, NULL), SQLITE_OK);
		while (sqlite3_step(plan) == SQLITE_ROW) {
			const char *detail = (const char *)sqlite3_column_text(plan, 3);
			/* "SCAN c" and "SCAN x" walk the aggregates' own result rows. */
			if (strncmp(detail, "SCAN", 4) == 0 && strcmp(detail, "SCAN c") != 0 &&
			    strcmp(detail, "SCAN x") != 0)
				fail_msg("%s\nscans: %s", sqlite3_sql(stmt), detail);
		}
		sqlite3_finalize(plan);
		checked++;
	}
	assert_true(checked >= 2);
}

/* The plan of the cached statement whose text holds `needle`, its steps
 * joined by ';' into buf (cut to fit). */
static void cached_plan(struct store *st, const char *needle, char *buf, size_t len)
{
	char sql[8192];
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < st->n_slots; i++) {
		sqlite3_stmt *stmt = st->slots[i].stmt, *plan;
		if (!stmt || !strstr(sqlite3_sql(stmt), needle))
			continue;
		snprintf(sql, sizeof sql, "EXPLAIN QUERY PLAN %s", sqlite3_sql(stmt));
		assert_int_equal(sqlite3_prepare_v2(st->db, sql, -1, &plan, NULL), SQLITE_OK);
		while (sqlite3_step(plan) == SQLITE_ROW && used < len - 1) {
			int n = snprintf(buf + used, len - used, "%s;",
			                 (const char *)sqlite3_column_text(plan, 3));
			used = n < 0 ? len : used + (size_t)n;
		}
		sqlite3_finalize(plan);
		return;
	}
	fail_msg("no cached statement holds %s", needle);
}

static size_t occurrences(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

/* Each member's appointments and terms are read in one pass: one lookup of
 * its appointments, one of their terms, whatever the figures (the whole
 * country by the category's list, a region, 中小企业 by size). */
static void test_stats_read_terms_once(void **state)
{
	static const char *const cases[][2] = {{"", "规上"}, {"3713", "规上"}, {"", "中小企业"}};
	struct fixture *f = *state;
	struct store_stats s;
	char plan[4096];

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		store_close(f->st);
		assert_int_equal(store_open(f->path, &f->st), 0);
		assert_int_equal(store_stats_compute(f->st, cases[i][0], cases[i][1], 2026, TODAY, &s),
		                 0);
		store_stats_free(&s);
		cached_plan(f->st, "appointment_terms", plan, sizeof plan);
		if (occurrences(plan, "SEARCH a ") != 1 || occurrences(plan, "SEARCH t ") != 1)
			fail_msg("%s %s: %s", cases[i][0], cases[i][1], plan);
	}
}

/*
 * Corners of the CQO counted, in 沂南县 371321 (规上, 2026, today):
 *   E11  P9 2025-01-01.., 任职培训, dismissed today; P10 succeeds him today,
 *        untrained: both terms cover the day, the newer one counts, once
 *   E12  P11 term 1 2024-07-01..2026-06-30, 任职培训; renewed, term 2 from
 *        2026-07-01 (not yet): term 1 counts
 */
static const char CORNERS_SQL[] =
	"INSERT INTO enterprises (id, credit_code, name, region_code, created_at, updated_at)"
	" VALUES (11, '91371321TST000011A', 'E11', '371321', 0, 0),"
	" (12, '91371321TST000012A', 'E12', '371321', 0, 0);"
	"INSERT INTO enterprise_tags (enterprise_id, tag) VALUES (11, '规上'), (12, '规上');"
	"INSERT INTO people (id, name, created_at, updated_at) VALUES"
	" (9, 'P9', 0, 0), (10, 'P10', 0, 0), (11, 'P11', 0, 0);"
	"INSERT INTO appointments (id, enterprise_id, person_id, start_date, term_end, status,"
	" ended_on, predecessor_id, filed_at, updated_at) VALUES"
	" (10, 11, 9, '2025-01-01', '2027-12-31', 'dismissed', '2026-06-15', NULL, 0, 0),"
	" (11, 11, 10, '2026-06-15', '2029-06-14', 'active', NULL, 10, 0, 0),"
	" (12, 12, 11, '2024-07-01', '2026-06-30', 'active', NULL, NULL, 0, 0);"
	"INSERT INTO appointment_terms (appointment_id, term_no, start_date, term_end, created_at)"
	" VALUES (12, 2, '2026-07-01', '2029-06-30', 0);"
	"UPDATE appointments SET start_date = '2026-07-01', term_end = '2029-06-30' WHERE id = 12;"
	"INSERT INTO trainings (appointment_id, person_id, kind, date, hours, created_at) VALUES"
	" (10, 9, '任职培训', '2025-02-01', 16, 0), (12, 11, '任职培训', '2024-08-01', 16, 0);";

static void test_stats_cqo_corners(void **state)
{
	struct store *st = st_of(state);
	struct store_stats s;

	assert_int_equal(sqlite3_exec(st->db, CORNERS_SQL, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(store_stats_compute(st, "371321", "规上", 2026, TODAY, &s), 0);
	assert_int_equal(s.n_rows, 1);
	expect_row(&s.rows[0], "371321", "沂南县", 2, 2, 1, 0, 0.6, "3713");
	expect_flow(&s.rows[0], 0, 1, 1);
	store_stats_free(&s);

	/* Trained the other way round: the successor's training counts. */
	assert_int_equal(sqlite3_exec(st->db, "UPDATE trainings SET person_id = 10"
	                              " WHERE person_id = 9", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(store_stats_compute(st, "371321", "规上", 2026, TODAY, &s), 0);
	expect_row(&s.rows[0], "371321", "沂南县", 2, 2, 2, 0, 0.6, "3713");
	store_stats_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_city_table, setup, teardown),
		cmocka_unit_test_setup_teardown(test_three_years, setup_years, teardown),
		cmocka_unit_test_setup_teardown(test_other_levels, setup, teardown),
		cmocka_unit_test_setup_teardown(test_category_and_year, setup, teardown),
		cmocka_unit_test(test_gap_edges),
		cmocka_unit_test_setup_teardown(test_target_set, setup, teardown),
		cmocka_unit_test_setup_teardown(test_other_targets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_region_stats_use_indexes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stats_read_terms_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stats_cqo_corners, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
