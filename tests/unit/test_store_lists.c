/* The clerks' work lists (store_lists.c): membership, order, scope and
 * paging over a small hand-built registry. Run from the repository root
 * (reads data/regions.csv). */
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

#include "../../store/store.h"
#include "store_fresh.h"
#include "../../lib/remind.h"
#include "../../store/store_internal.h"
#include "../../store/store_lists.h"
#include "../../store/store_policy.h"

#define TODAY "2026-06-15"
#define YEAR 2026

/*
 * Enterprise k holds appointment k (person k) unless noted:
 *  1 371302 active, term ends 06-20, trained, 10.1 + 19.9 h this year
 *  2 371311 active, ends 07-01, trained this year 8 h (county policy: 10 h)
 *  3 371302 active, ends today, trained last year, 12 h this year
 *  4 371302 active, ends 12-31, never trained for appointment, 40 h
 *  5 610113 active, ends 06-16, no appointment training (not required
 *    there), 20 h (required 20)
 *  6 371302 active, ended yesterday (lapsed), no training at all
 *  7 371311 ended 01-31, no successor
 *  8 371311 ended 2025-12-31, succeeded by appointment 9 (active, 12 h trained)
 *  9 371311 dismissed (appointment 10), term past
 * 10 371302 two ended terms (appointments 11 and 12, the newer ends 03-01)
 * 11 371302 never filed
 */
static const char FIXTURE_SQL[] =
	"INSERT INTO enterprises (id, credit_code, name, region_code, created_at, updated_at)"
	" VALUES (1, '91371302TST000001A', '甲一公司', '371302', 0, 0),"
	" (2, '91371311TST000002A', '乙二公司', '371311', 0, 0),"
	" (3, '91371302TST000003A', '丙三公司', '371302', 0, 0),"
	" (4, '91371302TST000004A', '丁四公司', '371302', 0, 0),"
	" (5, '91610113TST000005A', '戊五公司', '610113', 0, 0),"
	" (6, '91371302TST000006A', '己六公司', '371302', 0, 0),"
	" (7, '91371311TST000007A', '庚七公司', '371311', 0, 0),"
	" (8, '91371311TST000008A', '辛八公司', '371311', 0, 0),"
	" (9, '91371311TST000009A', '壬九公司', '371311', 0, 0),"
	" (10, '91371302TST000010A', '癸十公司', '371302', 0, 0),"
	" (11, '91371302TST000011A', '子十一公司', '371302', 0, 0);"
	"INSERT INTO people (id, name, created_at, updated_at) VALUES"
	" (1, '人一', 0, 0), (2, '人二', 0, 0), (3, '人三', 0, 0), (4, '人四', 0, 0),"
	" (5, '人五', 0, 0), (6, '人六', 0, 0), (7, '人七', 0, 0), (8, '人八', 0, 0),"
	" (9, '人九', 0, 0), (10, '人十', 0, 0), (11, '人十一', 0, 0), (12, '人十二', 0, 0);"
	"INSERT INTO appointments (id, enterprise_id, person_id, start_date, term_end, status,"
	" ended_on, filed_at, updated_at) VALUES"
	" (1, 1, 1, '2023-06-21', '2026-06-20', 'active', NULL, 0, 0),"
	" (2, 2, 2, '2023-07-02', '2026-07-01', 'active', NULL, 0, 0),"
	" (3, 3, 3, '2023-06-16', '2026-06-15', 'active', NULL, 0, 0),"
	" (4, 4, 4, '2024-01-01', '2026-12-31', 'active', NULL, 0, 0),"
	" (5, 5, 5, '2023-06-17', '2026-06-16', 'active', NULL, 0, 0),"
	" (6, 6, 6, '2023-06-15', '2026-06-14', 'active', NULL, 0, 0),"
	" (7, 7, 7, '2023-02-01', '2026-01-31', 'ended', '2026-01-31', 0, 0),"
	" (8, 8, 8, '2023-01-01', '2025-12-31', 'ended', '2025-12-31', 0, 0),"
	" (9, 8, 9, '2026-01-01', '2028-12-31', 'active', NULL, 0, 0),"
	" (10, 9, 10, '2023-01-01', '2026-01-01', 'dismissed', '2025-06-01', 0, 0),"
	" (11, 10, 11, '2021-03-02', '2024-03-01', 'ended', '2024-03-01', 0, 0),"
	" (12, 10, 12, '2023-03-02', '2026-03-01', 'ended', '2026-03-01', 0, 0);"
	"INSERT INTO trainings (appointment_id, person_id, kind, date, hours, created_at) VALUES"
	" (1, 1, '任职培训', '2024-05-01', 16, 0),"
	" (1, 1, '继续教育', '2026-02-01', 10.1, 0),"
	" (1, 1, '线上自学', '2026-03-01', 19.9, 0),"
	" (2, 2, '任职培训', '2026-03-01', 8, 0),"
	" (2, 2, '继续教育', '2025-05-01', 20, 0),"
	" (3, 3, '任职培训', '2025-05-01', 16, 0),"
	" (3, 3, '继续教育', '2025-12-31', 30, 0),"
	" (3, 3, '继续教育', '2026-04-01', 12, 0),"
	" (4, 4, '继续教育', '2026-02-01', 40, 0),"
	" (5, 5, '线上自学', '2026-01-10', 20, 0),"
	" (9, 9, '任职培训', '2026-02-01', 12, 0);"
	"INSERT INTO sanctions (id, appointment_id, kind, ground, issued_on, status, revoked_at,"
	" created_at) VALUES"
	" (1, 1, '警示', '违法违规', '2026-05-01', 'open', NULL, 0),"
	" (2, 2, '约谈', NULL, '2026-06-01', 'open', NULL, 0),"
	" (3, 5, '警示', '知情不报', '2026-06-10', 'open', NULL, 0),"
	" (4, 1, '警示', '违法违规', '2026-04-01', 'closed', NULL, 0),"
	" (5, 3, '除名', '违法违规', '2026-06-12', 'revoked', 1, 0);"
	"INSERT INTO enterprise_tags (enterprise_id, tag) VALUES"
	" (1, '规上'), (5, '规上'), (7, '规上'), (9, '规上'), (10, '规上'), (11, '规上'),"
	" (8, '链主'), (11, '链主');";

struct fixture {
	char dir[64];
	char path[96];
	struct store *st;
};

static void set_policy(struct store *st, const char *region, double hours, bool require)
{
	struct store_policy p;
	assert_int_equal(store_policy_for_region(st, region, &p), 0);
	snprintf(p.region_code, sizeof p.region_code, "%s", region);
	p.annual_hours = hours;
	p.require_appointment_training = require;
	/* One unit of work, in the test's own transaction. */
	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_policy_set(st, &p), 0);
	assert_int_equal(store_commit(st), 0);
}

/* Which kinds the region's own row counts toward its hours, and pro rata. */
static void set_counting(struct store *st, const char *region, const char *kinds,
                         bool prorate)
{
	struct store_policy p;
	assert_int_equal(store_policy_for_region(st, region, &p), 0);
	assert_string_equal(p.region_code, region);
	snprintf(p.hours_kinds, sizeof p.hours_kinds, "%s", kinds);
	p.hours_prorate = prorate;
	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_policy_set(st, &p), 0);
	assert_int_equal(store_commit(st), 0);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	char *err = NULL;

	assert_non_null(f);
	snprintf(f->dir, sizeof f->dir, "/tmp/cqod-test-lists-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/cqod.db", f->dir);
	assert_int_equal(store_fresh_open(f->path, &f->st), 0);
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_regions_load_csv(f->st, "data/regions.csv", NULL), 0);
	assert_int_equal(store_commit(f->st), 0);
	if (sqlite3_exec(f->st->db, FIXTURE_SQL, NULL, NULL, &err) != SQLITE_OK)
		fail_msg("fixture: %s", err);
	set_policy(f->st, "37", 30, true);
	set_policy(f->st, "371311", 10, true);
	/* The county counts its appointment training toward the hours. */
	set_counting(f->st, "371311", "任职培训,继续教育,线上自学", false);
	set_policy(f->st, "61", 20, false);
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

/* Asserts the record numbers of a page of cqo rows. */
static void expect_ids(const struct store_list_cqo *rows, size_t n, const int64_t *ids,
                       size_t n_ids)
{
	assert_int_equal(n, n_ids);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(rows[i].appointment_id, ids[i]);
}

#define EXPECT_IDS(rows, n, ...) \
	expect_ids(rows, n, (const int64_t[]){__VA_ARGS__}, \
	           sizeof((const int64_t[]){__VA_ARGS__}) / sizeof(int64_t))

static void test_scope_range(void **state)
{
	char lo[8], hi[8];
	(void)state;

	assert_int_equal(store_scope_range("", lo, hi), 0);
	assert_string_equal(lo, "");
	assert_string_equal(hi, ":");
	assert_int_equal(store_scope_range("3713", lo, hi), 0);
	assert_string_equal(lo, "3713");
	assert_string_equal(hi, "3714");
	assert_int_equal(store_scope_range("371309", lo, hi), 0);
	assert_string_equal(hi, "37130:");
	assert_int_equal(store_scope_range("371", lo, hi), -EINVAL);
	assert_int_equal(store_scope_range("37x3", lo, hi), -EINVAL);
	assert_int_equal(store_scope_range("37130200", lo, hi), -EINVAL);
	assert_int_equal(store_scope_range(NULL, lo, hi), -EINVAL);
	assert_true(store_category_valid("规上") && store_category_valid("特种设备"));
	assert_false(store_category_valid("中小企业") || store_category_valid("") ||
	             store_category_valid(NULL));
}

static void test_expiring(void **state)
{
	struct store *st = st_of(state);
	struct store_list_cqo r[8];
	size_t n, total;

	assert_int_equal(store_list_expiring(st, "", TODAY, "2026-07-15", 0, r, 8, &n, &total), 0);
	assert_int_equal(total, 4);
	EXPECT_IDS(r, n, 3, 5, 1, 2);
	assert_string_equal(r[0].person_name, "人三");
	assert_string_equal(r[0].enterprise_name, "丙三公司");
	assert_string_equal(r[0].region_code, "371302");
	assert_string_equal(r[0].region_name, "兰山区");
	assert_string_equal(r[0].term_end, "2026-06-15");

	assert_int_equal(store_list_expiring(st, "", TODAY, "2026-12-31", 0, r, 8, &n, &total), 0);
	EXPECT_IDS(r, n, 3, 5, 1, 2, 4);
	assert_int_equal(store_list_expiring(st, "37", TODAY, "2026-12-31", 0, r, 8, &n, &total), 0);
	EXPECT_IDS(r, n, 3, 1, 2, 4);
	assert_int_equal(store_list_expiring(st, "371302", TODAY, "2026-07-15", 0, r, 8, &n, &total),
	                 0);
	EXPECT_IDS(r, n, 3, 1);
	assert_int_equal(store_list_expiring(st, "6101", TODAY, "2026-07-15", 0, r, 8, &n, &total),
	                 0);
	EXPECT_IDS(r, n, 5);
	assert_int_equal(store_list_expiring(st, "3714", TODAY, "2026-12-31", 0, r, 8, &n, &total),
	                 0);
	assert_int_equal(total, 0);
	assert_int_equal(n, 0);
	assert_int_equal(store_list_expiring(st, "", "2026-6-15", TODAY, 0, r, 8, &n, &total),
	                 -EINVAL);
	assert_int_equal(store_list_expiring(st, "3x", TODAY, TODAY, 0, r, 8, &n, &total), -EINVAL);
}

static void test_expiring_paging(void **state)
{
	struct store *st = st_of(state);
	struct store_list_cqo r[2];
	size_t n, total;

	assert_int_equal(store_list_expiring(st, "", TODAY, "2026-12-31", 0, r, 2, &n, &total), 0);
	assert_int_equal(total, 5);
	EXPECT_IDS(r, n, 3, 5);
	assert_int_equal(store_list_expiring(st, "", TODAY, "2026-12-31", 2, r, 2, &n, &total), 0);
	EXPECT_IDS(r, n, 1, 2);
	assert_int_equal(store_list_expiring(st, "", TODAY, "2026-12-31", 4, r, 2, &n, &total), 0);
	EXPECT_IDS(r, n, 4);
	assert_int_equal(store_list_expiring(st, "", TODAY, "2026-12-31", 5, r, 2, &n, &total), 0);
	assert_int_equal(n, 0);
	assert_int_equal(total, 5);
	/* Only the count. */
	assert_int_equal(store_list_expiring(st, "", TODAY, "2026-12-31", 0, NULL, 0, &n, &total), 0);
	assert_int_equal(total, 5);
}

static void test_overdue(void **state)
{
	struct store *st = st_of(state);
	struct store_list_cqo r[8];
	size_t n, total;

	/* Lapsed or ended without successor, longest overdue first; not the
	 * succeeded (8), the dismissed (10) nor the older of two ended (11). */
	assert_int_equal(store_list_overdue(st, "", TODAY, 0, r, 8, &n, &total), 0);
	assert_int_equal(total, 3);
	EXPECT_IDS(r, n, 7, 12, 6);
	assert_string_equal(r[0].term_end, "2026-01-31");
	assert_string_equal(r[1].person_name, "人十二");
	assert_int_equal(store_list_overdue(st, "371311", TODAY, 0, r, 8, &n, &total), 0);
	EXPECT_IDS(r, n, 7);
	assert_int_equal(store_list_overdue(st, "3713", TODAY, 1, r, 1, &n, &total), 0);
	assert_int_equal(total, 3);
	EXPECT_IDS(r, n, 12);
	assert_int_equal(store_list_overdue(st, "61", TODAY, 0, r, 8, &n, &total), 0);
	assert_int_equal(total, 0);
	/* The day a term ends it is not yet overdue. */
	assert_int_equal(store_list_overdue(st, "", "2026-06-14", 0, r, 8, &n, &total), 0);
	EXPECT_IDS(r, n, 7, 12);
	assert_int_equal(store_list_overdue(st, "", "today", 0, r, 8, &n, &total), -EINVAL);
}

static void test_untrained(void **state)
{
	struct store *st = st_of(state);
	struct store_list_untrained u[8];
	size_t n, total;

	/* 1 has 30 h in tenths; 5 needs no appointment training and has its 20 h;
	 * 9 meets its county's 10 h. */
	assert_int_equal(store_list_untrained(st, "", YEAR, 0, u, 8, &n, &total), 0);
	assert_int_equal(total, 4);
	assert_int_equal(n, 4);
	assert_int_equal(u[0].cqo.appointment_id, 2);
	assert_false(u[0].no_appointment_training);
	assert_true(u[0].hours_short);
	assert_true(u[0].hours > 7.99 && u[0].hours < 8.01);
	assert_true(u[0].required_hours > 9.99 && u[0].required_hours < 10.01);
	assert_string_equal(u[0].cqo.person_name, "人二");
	assert_string_equal(u[0].cqo.region_name, "罗庄区");

	assert_int_equal(u[1].cqo.appointment_id, 3);
	assert_false(u[1].no_appointment_training);
	assert_true(u[1].hours_short);
	assert_true(u[1].hours > 11.99 && u[1].hours < 12.01);   /* not last year's 30 */
	assert_true(u[1].required_hours > 29.99 && u[1].required_hours < 30.01);

	assert_int_equal(u[2].cqo.appointment_id, 4);
	assert_true(u[2].no_appointment_training);
	assert_false(u[2].hours_short);
	assert_string_equal(u[2].cqo.enterprise_name, "丁四公司");

	assert_int_equal(u[3].cqo.appointment_id, 6);
	assert_true(u[3].no_appointment_training && u[3].hours_short);
	assert_true(u[3].hours < 0.01);

	assert_int_equal(store_list_untrained(st, "371311", YEAR, 0, u, 8, &n, &total), 0);
	assert_int_equal(total, 1);
	assert_int_equal(u[0].cqo.appointment_id, 2);
	assert_int_equal(store_list_untrained(st, "61", YEAR, 0, u, 8, &n, &total), 0);
	assert_int_equal(total, 0);
	assert_int_equal(n, 0);

	/* Paging: the page's names are filled, the count covers the list. */
	assert_int_equal(store_list_untrained(st, "37", YEAR, 1, u, 2, &n, &total), 0);
	assert_int_equal(total, 4);
	assert_int_equal(n, 2);
	assert_int_equal(u[0].cqo.appointment_id, 3);
	assert_int_equal(u[1].cqo.appointment_id, 4);
	assert_string_equal(u[1].cqo.person_name, "人四");
	assert_int_equal(store_list_untrained(st, "37", YEAR, 4, u, 2, &n, &total), 0);
	assert_int_equal(n, 0);
	assert_int_equal(total, 4);

	/* Another year: 1 had 16 h in 2024, short then. */
	assert_int_equal(store_list_untrained(st, "371302", 2024, 0, u, 8, &n, &total), 0);
	assert_int_equal(total, 4);
	assert_int_equal(u[0].cqo.appointment_id, 1);
	assert_int_equal(store_list_untrained(st, "37x", YEAR, 0, u, 8, &n, &total), -EINVAL);
}

static void test_untrained_policy_change(void **state)
{
	struct store *st = st_of(state);
	struct store_list_untrained u[8];
	size_t n, total;

	/* A province that stops requiring appointment training and asks for 5 h
	 * leaves only 6 (no hours at all); the county keeps its own rule. */
	set_policy(st, "37", 5, false);
	assert_int_equal(store_list_untrained(st, "37", YEAR, 0, u, 8, &n, &total), 0);
	assert_int_equal(total, 2);
	assert_int_equal(u[0].cqo.appointment_id, 2);
	assert_int_equal(u[1].cqo.appointment_id, 6);
	assert_false(u[1].no_appointment_training);
	assert_true(u[1].required_hours > 4.99 && u[1].required_hours < 5.01);
}

/* Only the kinds the policy names count: by default continuing education
 * and online study, never 任职培训; Shaanxi-style online study only. A
 * CQO appointed during the year owes the months left, rounded up. */
static void test_untrained_kinds_and_pro_rata(void **state)
{
	struct store *st = st_of(state);
	struct store_list_untrained u[8];
	size_t n, total;

	/* 9's 12 h are appointment training: no longer its county's 10 h. */
	set_counting(st, "371311", REMIND_HOURS_KINDS, false);
	assert_int_equal(store_list_untrained(st, "371311", YEAR, 0, u, 8, &n, &total), 0);
	assert_int_equal(total, 2);
	assert_int_equal(u[1].cqo.appointment_id, 9);
	assert_true(u[1].hours_short && !u[1].no_appointment_training);
	assert_true(u[1].hours < 0.01 && u[1].required_hours > 9.99);
	/* 5's 20 h are online study: enough where only that counts, short
	 * where only continuing education does. */
	set_counting(st, "61", "线上自学", false);
	assert_int_equal(store_list_untrained(st, "61", YEAR, 0, u, 8, &n, &total), 0);
	assert_int_equal(total, 0);
	set_counting(st, "61", "继续教育", false);
	assert_int_equal(store_list_untrained(st, "61", YEAR, 0, u, 8, &n, &total), 0);
	assert_int_equal(total, 1);
	assert_true(u[0].hours < 0.01 && u[0].required_hours > 19.99);
	/* Appointed 2026-05-10 under 20 h a year pro rata: 8 months, 13.3 -> 14 h. */
	assert_int_equal(sqlite3_exec(st->db, "UPDATE appointments SET start_date = '2026-05-10'"
	                                      " WHERE id = 5", NULL, NULL, NULL), SQLITE_OK);
	set_counting(st, "61", "继续教育", true);
	assert_int_equal(store_list_untrained(st, "61", YEAR, 0, u, 8, &n, &total), 0);
	assert_int_equal(total, 1);
	assert_true(u[0].required_hours > 13.99 && u[0].required_hours < 14.01);
	set_counting(st, "61", "线上自学,继续教育", true);
	assert_int_equal(store_list_untrained(st, "61", YEAR, 0, u, 8, &n, &total), 0);
	assert_int_equal(total, 0);
	/* Without a row of its own a region has no quota at all. */
	assert_int_equal(sqlite3_exec(st->db, "DELETE FROM policies WHERE region_code = '61'",
	                              NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(st->db, "UPDATE appointments SET start_date = '2023-06-17'"
	                                      " WHERE id = 5", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(store_list_untrained(st, "61", YEAR, 0, u, 8, &n, &total), 0);
	assert_int_equal(total, 1);   /* only its missing appointment training */
	assert_true(u[0].no_appointment_training && !u[0].hours_short);
}

static void test_sanctions(void **state)
{
	struct store *st = st_of(state);
	struct store_list_sanction s[8];
	size_t n, total;

	assert_int_equal(store_list_sanctions(st, "", 0, s, 8, &n, &total), 0);
	assert_int_equal(total, 3);
	assert_int_equal(n, 3);
	assert_int_equal(s[0].sanction_id, 3);
	assert_int_equal(s[1].sanction_id, 2);
	assert_int_equal(s[2].sanction_id, 1);
	assert_string_equal(s[0].kind, "警示");
	assert_string_equal(s[0].ground, "知情不报");
	assert_string_equal(s[0].issued_on, "2026-06-10");
	assert_int_equal(s[0].cqo.appointment_id, 5);
	assert_string_equal(s[0].cqo.region_name, "雁塔区");
	assert_string_equal(s[1].ground, "");
	assert_string_equal(s[2].cqo.person_name, "人一");

	assert_int_equal(store_list_sanctions(st, "37", 0, s, 8, &n, &total), 0);
	assert_int_equal(total, 2);
	assert_int_equal(s[0].sanction_id, 2);
	assert_int_equal(s[1].sanction_id, 1);
	assert_int_equal(store_list_sanctions(st, "371302", 0, s, 8, &n, &total), 0);
	assert_int_equal(total, 1);
	assert_int_equal(s[0].sanction_id, 1);
	assert_int_equal(store_list_sanctions(st, "", 2, s, 8, &n, &total), 0);
	assert_int_equal(n, 1);
	assert_int_equal(s[0].sanction_id, 1);
}

static void test_vacant(void **state)
{
	struct store *st = st_of(state);
	struct store_list_vacant v[8];
	size_t n, total;

	/* By region then enterprise, everywhere and within a region alike. */
	assert_int_equal(store_list_vacant(st, "", "规上", 0, v, 8, &n, &total), 0);
	assert_int_equal(total, 4);
	assert_int_equal(n, 4);
	assert_int_equal(v[0].enterprise_id, 10);
	assert_int_equal(v[1].enterprise_id, 11);
	assert_int_equal(v[2].enterprise_id, 7);
	assert_int_equal(v[3].enterprise_id, 9);
	assert_string_equal(v[0].enterprise_name, "癸十公司");
	assert_string_equal(v[0].credit_code, "91371302TST000010A");
	assert_string_equal(v[0].region_name, "兰山区");
	assert_int_equal(v[0].last_appointment_id, 12);
	assert_string_equal(v[0].last_person, "人十二");
	assert_string_equal(v[0].last_ended_on, "2026-03-01");
	assert_int_equal(v[1].last_appointment_id, 0);
	assert_string_equal(v[1].last_person, "");
	assert_int_equal(v[3].last_appointment_id, 10);
	assert_string_equal(v[3].last_ended_on, "2025-06-01");

	assert_int_equal(store_list_vacant(st, "37", "规上", 0, v, 8, &n, &total), 0);
	assert_int_equal(total, 4);
	assert_int_equal(v[0].enterprise_id, 10);
	assert_int_equal(v[3].enterprise_id, 9);
	assert_int_equal(store_list_vacant(st, "371311", "规上", 1, v, 8, &n, &total), 0);
	assert_int_equal(total, 2);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].enterprise_id, 9);
	assert_int_equal(store_list_vacant(st, "", "链主", 0, v, 8, &n, &total), 0);
	assert_int_equal(total, 1);
	assert_int_equal(v[0].enterprise_id, 11);
	assert_int_equal(store_list_vacant(st, "", "食品", 0, v, 8, &n, &total), 0);
	assert_int_equal(total, 0);
	assert_int_equal(store_list_vacant(st, "", "大企业", 0, v, 8, &n, &total), -EINVAL);
}

/* Within a region every list goes through indexes: a county's list must not
 * cost a pass over the whole registry. */
static void test_region_lists_use_indexes(void **state)
{
	struct fixture *f = *state;
	struct store_list_cqo c[2];
	struct store_list_untrained u[2];
	struct store_list_sanction s[2];
	struct store_list_vacant v[2];
	size_t n, total, checked = 0;
	char sql[4096];

	/* Only these statements are in a fresh store's cache. */
	store_close(f->st);
	assert_int_equal(store_open(f->path, &f->st), 0);
	struct store *st = f->st;
	assert_int_equal(store_list_expiring(st, "3713", TODAY, "2026-12-31", 0, c, 2, &n, &total), 0);
	assert_int_equal(store_list_overdue(st, "3713", TODAY, 0, c, 2, &n, &total), 0);
	assert_int_equal(store_list_untrained(st, "3713", YEAR, 0, u, 2, &n, &total), 0);
	assert_int_equal(store_list_sanctions(st, "3713", 0, s, 2, &n, &total), 0);
	assert_int_equal(store_list_vacant(st, "3713", "规上", 0, v, 2, &n, &total), 0);

	for (size_t i = 0; i < st->n_slots; i++) {
		sqlite3_stmt *stmt = st->slots[i].stmt, *plan;
		if (!stmt)
			continue;
		snprintf(sql, sizeof sql, "EXPLAIN QUERY PLAN %s", sqlite3_sql(stmt));
		assert_int_equal(sqlite3_prepare_v2(st->db, sql, -1, &plan, NULL), SQLITE_OK);
		while (sqlite3_step(plan) == SQLITE_ROW) {
			const char *detail = (const char *)sqlite3_column_text(plan, 3);
			if (strncmp(detail, "SCAN", 4) == 0)
				fail_msg("%s\nscans: %s", sqlite3_sql(stmt), detail);
		}
		sqlite3_finalize(plan);
		checked++;
	}
	assert_true(checked >= 9);
}

/* 未培训 reads each CQO's trainings once: one lookup of the person's
 * trainings per appointment, no subquery per kind of hours. */
static void test_untrained_reads_trainings_once(void **state)
{
	static const char *const scopes[] = {"", "3713"};
	struct fixture *f = *state;
	struct store_list_untrained u[2];
	size_t n, total;
	char sql[4096];

	for (size_t k = 0; k < sizeof scopes / sizeof scopes[0]; k++) {
		store_close(f->st);
		assert_int_equal(store_open(f->path, &f->st), 0);
		struct store *st = f->st;
		size_t lookups = 0, subqueries = 0, checked = 0;
		assert_int_equal(store_list_untrained(st, scopes[k], YEAR, 0, u, 2, &n, &total), 0);
		for (size_t i = 0; i < st->n_slots; i++) {
			sqlite3_stmt *stmt = st->slots[i].stmt, *plan;
			if (!stmt || !strstr(sqlite3_sql(stmt), "trainings"))
				continue;
			snprintf(sql, sizeof sql, "EXPLAIN QUERY PLAN %s", sqlite3_sql(stmt));
			assert_int_equal(sqlite3_prepare_v2(st->db, sql, -1, &plan, NULL), SQLITE_OK);
			while (sqlite3_step(plan) == SQLITE_ROW) {
				const char *detail = (const char *)sqlite3_column_text(plan, 3);
				lookups += strstr(detail, "trainings_person_cover") != NULL;
				subqueries += strstr(detail, "SUBQUERY") != NULL;
			}
			sqlite3_finalize(plan);
			checked++;
		}
		assert_int_equal(checked, 1);
		assert_int_equal(lookups, 1);
		assert_int_equal(subqueries, 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scope_range),
		cmocka_unit_test_setup_teardown(test_expiring, setup, teardown),
		cmocka_unit_test_setup_teardown(test_expiring_paging, setup, teardown),
		cmocka_unit_test_setup_teardown(test_overdue, setup, teardown),
		cmocka_unit_test_setup_teardown(test_untrained, setup, teardown),
		cmocka_unit_test_setup_teardown(test_untrained_policy_change, setup, teardown),
		cmocka_unit_test_setup_teardown(test_untrained_kinds_and_pro_rata, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sanctions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vacant, setup, teardown),
		cmocka_unit_test_setup_teardown(test_region_lists_use_indexes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_untrained_reads_trainings_once, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
