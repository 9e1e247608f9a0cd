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

struct fixture {
	char dir[64];
	char path[96];
	struct store *st;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	char *err = NULL;

	assert_non_null(f);
	snprintf(f->dir, sizeof f->dir, "/tmp/cqod-test-stats-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/cqod.db", f->dir);
	assert_int_equal(store_open(f->path, &f->st), 0);
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_regions_load_csv(f->st, "data/regions.csv", NULL), 0);
	assert_int_equal(store_commit(f->st), 0);
	if (sqlite3_exec(f->st->db, FIXTURE_SQL, NULL, NULL, &err) != SQLITE_OK)
		fail_msg("fixture: %s", err);
	*state = f;
	return 0;
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

static void test_city_table(void **state)
{
	struct store_stats s;

	assert_int_equal(store_stats_compute(st_of(state), "3713", "规上", 2026, &s), 0);
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
	assert_int_equal(store_stats_compute(st, "37", "规上", 2026, &s), 0);
	assert_int_equal(s.n_rows, 1);
	expect_row(&s.rows[0], "3713", "临沂市", 8, 4, 2, 3, 0.6, "3713");
	expect_row(&s.total, "37", "山东省", 8, 4, 2, 3, 0.1, "37");
	assert_near(store_stats_gap(&s.total), 0);
	store_stats_free(&s);

	/* The whole country: provinces, no target for the total. */
	assert_int_equal(store_stats_compute(st, "", "规上", 2026, &s), 0);
	assert_int_equal(s.n_rows, 2);
	expect_row(&s.rows[0], "37", "山东省", 8, 4, 2, 3, 0.1, "37");
	expect_row(&s.rows[1], "61", "陕西省", 1, 1, 1, 1, -1, NULL);
	expect_row(&s.total, "", "", 9, 5, 3, 4, -1, NULL);
	assert_near(store_stats_gap(&s.rows[1]), 0);
	store_stats_free(&s);

	/* A county is its own one row. */
	assert_int_equal(store_stats_compute(st, "371311", "规上", 2026, &s), 0);
	assert_int_equal(s.n_rows, 1);
	expect_row(&s.rows[0], "371311", "罗庄区", 4, 1, 1, 2, 0.5, "371311");
	expect_row(&s.total, "371311", "罗庄区", 4, 1, 1, 2, 0.5, "371311");
	store_stats_free(&s);

	/* A county without enterprises of the category: no rows, zero total. */
	assert_int_equal(store_stats_compute(st, "371321", "规上", 2026, &s), 0);
	assert_int_equal(s.n_rows, 0);
	expect_row(&s.total, "371321", "沂南县", 0, 0, 0, 0, 0.6, "3713");
	assert_near(store_stats_rate(&s.total), 0);
	store_stats_free(&s);
}

static void test_category_and_year(void **state)
{
	struct store *st = st_of(state);
	struct store_stats s;

	assert_int_equal(store_stats_compute(st, "3713", "链主", 2026, &s), 0);
	assert_int_equal(s.n_rows, 2);
	expect_row(&s.rows[0], "371302", "兰山区", 1, 1, 0, 1, 1.0, "3713");
	expect_row(&s.rows[1], "371311", "罗庄区", 1, 1, 1, 2, 1.0, "3713");
	expect_row(&s.total, "3713", "临沂市", 2, 2, 1, 3, 1.0, "3713");
	assert_near(store_stats_gap(&s.total), 0);
	store_stats_free(&s);

	/* 2025: the county has no 2025 target of its own and inherits the
	 * city's; the filings of 2025 are E9's only. */
	assert_int_equal(store_stats_compute(st, "3713", "规上", 2025, &s), 0);
	assert_int_equal(s.n_rows, 3);
	expect_row(&s.rows[0], "371302", "兰山区", 3, 2, 1, 0, 0.9, "3713");
	expect_row(&s.rows[1], "371311", "罗庄区", 4, 1, 1, 0, 0.9, "3713");
	expect_row(&s.rows[2], "371312", "河东区", 1, 1, 0, 1, 0.9, "3713");
	expect_row(&s.total, "3713", "临沂市", 8, 4, 2, 1, 0.9, "3713");
	assert_near(store_stats_gap(&s.total), 0.4);
	store_stats_free(&s);

	/* No target anywhere for 2024; E1 was filed that year. */
	assert_int_equal(store_stats_compute(st, "3713", "规上", 2024, &s), 0);
	expect_row(&s.total, "3713", "临沂市", 8, 4, 2, 1, -1, NULL);
	assert_near(store_stats_gap(&s.total), 0);
	store_stats_free(&s);

	/* 中小企业 counts by 企业规模, which none of these enterprises gives
	 * (test_cmd_lists counts it on the fixture); no tag is valid too. */
	assert_int_equal(store_stats_compute(st, "3713", "中小企业", 2026, &s), 0);
	assert_int_equal(s.n_rows, 0);
	store_stats_free(&s);
	assert_int_equal(store_stats_compute(st, "3713", "上市", 2026, &s), -EINVAL);
	assert_int_equal(store_stats_compute(st, "371", "规上", 2026, &s), -EINVAL);
	assert_int_equal(store_stats_compute(st, "3713", "规上", 99, &s), -EINVAL);
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
	assert_int_equal(store_target_get(st, "371302", "规上", 2026, &rate, from), 0);
	assert_near(rate, 0.6);
	assert_string_equal(from, "3713");
	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_target_set(st, &who, "371302", "规上", 2026, 0.75, &had, &old), 0);
	assert_int_equal(store_commit(st), 0);
	assert_false(had);
	assert_int_equal(store_target_get(st, "371302", "规上", 2026, &rate, from), 0);
	assert_near(rate, 0.75);
	assert_string_equal(from, "371302");
	assert_int_equal(audit_rows(st), 1);

	/* Replacing reports the old rate and audits again. */
	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_target_set(st, &who, "3713", "规上", 2026, 0.8, &had, &old), 0);
	assert_int_equal(store_commit(st), 0);
	assert_true(had);
	assert_near(old, 0.6);
	assert_int_equal(store_target_get(st, "371311", "规上", 2026, &rate, NULL), 0);
	assert_near(rate, 0.5);
	assert_int_equal(store_target_get(st, "371312", "规上", 2026, &rate, NULL), 0);
	assert_near(rate, 0.8);
	assert_int_equal(audit_rows(st), 2);

	assert_int_equal(store_target_get(st, "610113", "规上", 2026, &rate, NULL), -ENOENT);
	assert_int_equal(store_target_get(st, "", "规上", 2026, &rate, NULL), -ENOENT);

	/* Bad arguments change nothing. */
	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_target_set(st, &who, "379999", "规上", 2026, 0.5, NULL, NULL), -EINVAL);
	assert_int_equal(store_target_set(st, &who, "3713", "大企业", 2026, 0.5, NULL, NULL), -EINVAL);
	assert_int_equal(store_target_set(st, &who, "3713", "规上", 1999, 0.5, NULL, NULL), -EINVAL);
	assert_int_equal(store_target_set(st, &who, "3713", "规上", 2026, 1.01, NULL, NULL), -EINVAL);
	assert_int_equal(store_target_set(st, &who, "3713", "规上", 2026, NAN, NULL, NULL), -EINVAL);
	assert_int_equal(store_commit(st), 0);
	assert_int_equal(audit_rows(st), 2);
	assert_int_equal(store_target_get(st, "3713", "规上", 2026, &rate, NULL), 0);
	assert_near(rate, 0.8);
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
	assert_int_equal(store_stats_compute(f->st, "3713", "规上", 2026, &s), 0);
	store_stats_free(&s);
	for (size_t i = 0; i < f->st->n_slots; i++) {
		sqlite3_stmt *stmt = f->st->slots[i].stmt, *plan;
		if (!stmt)
			continue;
		snprintf(sql, sizeof sql, "EXPLAIN QUERY PLAN %s", sqlite3_sql(stmt));
		assert_int_equal(sqlite3_prepare_v2(f->st->db, sql, -1, &plan, NULL), SQLITE_OK);
		while (sqlite3_step(plan) == SQLITE_ROW) {
			const char *detail = (const char *)sqlite3_column_text(plan, 3);
			/* "SCAN c" walks the aggregate's own result rows. */
			if (strncmp(detail, "SCAN", 4) == 0 && strcmp(detail, "SCAN c") != 0)
				fail_msg("%s\nscans: %s", sqlite3_sql(stmt), detail);
		}
		sqlite3_finalize(plan);
		checked++;
	}
	assert_true(checked >= 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_city_table, setup, teardown),
		cmocka_unit_test_setup_teardown(test_other_levels, setup, teardown),
		cmocka_unit_test_setup_teardown(test_category_and_year, setup, teardown),
		cmocka_unit_test(test_gap_edges),
		cmocka_unit_test_setup_teardown(test_target_set, setup, teardown),
		cmocka_unit_test_setup_teardown(test_region_stats_use_indexes, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
