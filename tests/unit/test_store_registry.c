/* Registry search, the record card, scope rules and the sample data.
 * Run from the repository root (reads data/regions.csv). */
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

#include "../../lib/creditcode.h"
#include "../../store/store.h"
#include "statement_count.h"
#include "store_fresh.h"
#include "../../store/store_demo.h"
#include "../../store/store_internal.h"

#define TODAY "2026-06-15"

struct fixture {
	char dir[64];
	char path[96];
	struct store *st;
};

static int open_store(void **state, bool seed)
{
	struct fixture *f = calloc(1, sizeof *f);
	assert_non_null(f);
	snprintf(f->dir, sizeof f->dir, "/tmp/cqod-test-registry-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/cqod.db", f->dir);
	assert_int_equal(store_fresh_open(f->path, &f->st), 0);
	if (seed) {
		assert_int_equal(store_begin(f->st), 0);
		assert_int_equal(store_regions_load_csv(f->st, "data/regions.csv", NULL), 0);
		assert_int_equal(store_demo_seed(f->st, TODAY), 0);
		assert_int_equal(store_commit(f->st), 0);
	}
	*state = f;
	return 0;
}

/* n generated CQOs as cqoctl seed writes them: a few calls, each in its own
 * transaction. */
static int bench_seed(struct store *st, size_t n, const char *today)
{
	struct store_bench *b;
	int rc = store_bench_open(st, n, today, &b);

	for (size_t left = n; rc == 0;) {
		size_t step = left < 256 ? left : 256;
		assert_int_equal(store_begin(st), 0);
		rc = store_bench_add(b, step);
		if (rc == 0)
			assert_int_equal(store_commit(st), 0);
		else
			assert_int_equal(store_rollback(st), 0);
		if ((left -= step) == 0)
			break;
	}
	store_bench_close(b);
	return rc;
}

static int setup_demo(void **state)
{
	return open_store(state, true);
}

static int setup_empty(void **state)
{
	return open_store(state, false);
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

static int64_t query_int(struct store *st, const char *sql)
{
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(st->db, sql, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	int64_t v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* Searches and returns the total; hits go to out[max]. */
static size_t search(struct store *st, const char *term, const char *scope,
                     struct store_cqo_hit *out, size_t max)
{
	size_t total = 99;
	assert_int_equal(store_cqo_search(st, term, scope, out, max, &total), 0);
	return total;
}

/* The record number of the one appointment of a person in the demo. */
static int64_t record_of(struct store *st, const char *person)
{
	struct store_cqo_hit h;
	assert_int_equal(search(st, person, "", &h, 1), 1);
	return h.appointment_id;
}

static void test_demo_seed(void **state)
{
	struct store *st = st_of(state);
	sqlite3_stmt *s;

	assert_int_equal(query_int(st, "SELECT count(*) FROM enterprises"), 6);
	assert_int_equal(query_int(st, "SELECT count(*) FROM people"), 6);
	assert_int_equal(query_int(st, "SELECT count(*) FROM appointments WHERE status = 'active'"), 5);
	assert_int_equal(query_int(st,
		"SELECT count(*) FROM enterprises WHERE name LIKE '%示例%' OR name LIKE '%演示%'"), 6);
	assert_int_equal(query_int(st,
		"SELECT count(*) FROM appointments WHERE status = 'active'"
		" AND term_end BETWEEN '" TODAY "' AND date('" TODAY "', '+30 days')"), 1);
	assert_int_equal(query_int(st,
		"SELECT count(*) FROM sanctions WHERE status = 'open' AND kind = '警示'"), 1);
	assert_int_equal(query_int(st, "SELECT count(*) FROM enterprise_tags"), 11);
	assert_int_equal(query_int(st,
		"SELECT count(*) FROM policies WHERE region_code IN ('37', '61')"
		" AND term_months = 36 AND annual_hours = 30"), 2);
	assert_true(query_int(st, "SELECT count(*) FROM targets WHERE category = '规上'") >= 2);
	assert_int_equal(query_int(st, "SELECT count(*) FROM trainings WHERE date > '" TODAY "'"), 0);

	assert_int_equal(sqlite3_prepare_v2(st->db, "SELECT credit_code FROM enterprises", -1, &s,
	                                    NULL), SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW)
		assert_int_equal(creditcode_validate((const char *)sqlite3_column_text(s, 0), NULL), 0);
	sqlite3_finalize(s);

	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_demo_seed(st, TODAY), -EEXIST);
	assert_int_equal(store_demo_seed(st, "2026-6-15"), -EINVAL);
	assert_int_equal(store_commit(st), 0);
}

static void test_demo_needs_regions(void **state)
{
	struct store *st = st_of(state);
	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_demo_seed(st, TODAY), -ENOENT);
	assert_int_equal(store_commit(st), 0);
	assert_int_equal(bench_seed(st, 10, TODAY), -ENOENT);
	assert_int_equal(query_int(st, "SELECT count(*) FROM enterprises"), 0);
}

static void test_search_by_person_and_id(void **state)
{
	struct store *st = st_of(state);
	struct store_cqo_hit h[4];
	char num[32];

	assert_int_equal(search(st, "张三", "", h, 4), 1);
	assert_string_equal(h[0].person_name, "张三");
	assert_string_equal(h[0].enterprise_name, "示例精密机械有限公司");
	assert_string_equal(h[0].region_code, "371302");
	assert_string_equal(h[0].status, "active");
	assert_int_equal(strlen(h[0].term_end), 10);

	snprintf(num, sizeof num, "%lld", (long long)h[0].appointment_id);
	int64_t id = h[0].appointment_id;
	memset(h, 0, sizeof h);
	assert_int_equal(search(st, num, "", h, 4), 1);
	assert_int_equal(h[0].appointment_id, id);
	assert_string_equal(h[0].person_name, "张三");
	assert_int_equal(search(st, "999999", "", h, 4), 0);
	assert_int_equal(search(st, "99999999999999999999999", "", h, 4), 0);
	assert_int_equal(search(st, "无此人", "", h, 4), 0);
}

static void test_search_enterprise(void **state)
{
	struct store *st = st_of(state);
	struct store_cqo_hit h[8];

	/* Exact name: the current CQO and the predecessor, newest first. */
	assert_int_equal(search(st, "示例精密机械有限公司", "", h, 8), 2);
	assert_string_equal(h[0].person_name, "张三");
	assert_string_equal(h[0].status, "active");
	assert_string_equal(h[1].person_name, "孙八");
	assert_string_equal(h[1].status, "ended");
	assert_true(h[0].appointment_id > h[1].appointment_id);

	/* Substring. */
	assert_int_equal(search(st, "精密", "", h, 8), 2);
	assert_int_equal(search(st, "示例", "", h, 8), 4);
	/* Fewer slots than matches: total still counts all. */
	memset(h, 0, sizeof h);
	assert_int_equal(search(st, "示例", "", h, 2), 4);
	assert_true(h[0].appointment_id > h[1].appointment_id);
	assert_int_equal(h[2].appointment_id, 0);
	size_t total = 99;
	assert_int_equal(store_cqo_search(st, "示例", "", NULL, 0, &total), 0);
	assert_int_equal(total, 4);
	/* An enterprise without an appointment is not a hit. */
	assert_int_equal(search(st, "演示纺织", "", h, 8), 0);
}

/* '%', '_' and '\' in a term are literal characters, not wildcards. */
static void test_search_like_literal(void **state)
{
	struct store *st = st_of(state);
	struct store_cqo_hit h[4];
	static const char *const names[] = {
		"测试100%纯棉有限公司", "测试100纯棉有限公司", "测试A_B有限公司", "测试AxB有限公司",
		"测试C\\D有限公司",
	};
	sqlite3_stmt *s;

	assert_int_equal(sqlite3_exec(st->db,
		"INSERT INTO people (id, name, created_at, updated_at) VALUES (900, '示例周九', 1, 1)",
		NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(st->db,
		"INSERT INTO enterprises (id, credit_code, name, region_code, created_at, updated_at)"
		" VALUES (?1, '9137130200000' || ?1 || '0', ?2, '371302', 1, 1)", -1, &s, NULL),
		SQLITE_OK);
	for (int i = 0; i < 5; i++) {
		sqlite3_bind_int(s, 1, 9000 + i);
		sqlite3_bind_text(s, 2, names[i], -1, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(s), SQLITE_DONE);
		sqlite3_reset(s);
	}
	sqlite3_finalize(s);
	assert_int_equal(sqlite3_exec(st->db,
		"INSERT INTO appointments (enterprise_id, person_id, start_date, term_end, filed_at,"
		" updated_at) SELECT id, 900, '2026-01-01', '2028-12-31', 1, 1 FROM enterprises"
		" WHERE id >= 9000", NULL, NULL, NULL), SQLITE_OK);

	assert_int_equal(search(st, "100%", "", h, 4), 1);
	assert_string_equal(h[0].enterprise_name, "测试100%纯棉有限公司");
	assert_int_equal(search(st, "%", "", h, 4), 1);
	assert_int_equal(search(st, "A_B", "", h, 4), 1);
	assert_string_equal(h[0].enterprise_name, "测试A_B有限公司");
	assert_int_equal(search(st, "_", "", h, 4), 1);
	assert_int_equal(search(st, "C\\D", "", h, 4), 1);
	assert_int_equal(search(st, "100纯棉", "", h, 4), 1);
	assert_int_equal(search(st, "测试", "", h, 4), 5);
}

/* The substring search finds what LIKE '%term%' finds over every
 * enterprise name, whatever the term's length, case or characters, and
 * follows names as they are added, renamed and deleted. */
static void test_search_substring_as_like(void **state)
{
	struct store *st = st_of(state);
	static const char *const names[] = {
		"冯陈褚ABC有限公司", "ABC冯陈贸易", "陈褚陈褚科技", "Ab有限公司", "褚褚", "冯陈冯",
	};
	static const char *const terms[] = {
		"冯陈", "陈褚", "褚", "abc", "ABC", "bC", "a", "c有限", "陈褚陈", "褚陈褚科", "有限公司",
		"示例", "精密机", "科技", "无此", "Z", "C冯", "贸易", "\"", "a\"b",
	};
	sqlite3_stmt *s, *like;

	assert_int_equal(sqlite3_exec(st->db,
		"INSERT INTO people (id, name, created_at, updated_at) VALUES (901, '李十一', 1, 1)",
		NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(st->db,
		"INSERT INTO enterprises (id, credit_code, name, region_code, created_at, updated_at)"
		" VALUES (?1, '9137130200000' || ?1 || '0', ?2, '371302', 1, 1)", -1, &s, NULL),
		SQLITE_OK);
	for (int i = 0; i < 6; i++) {
		sqlite3_bind_int(s, 1, 9100 + i);
		sqlite3_bind_text(s, 2, names[i], -1, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(s), SQLITE_DONE);
		sqlite3_reset(s);
	}
	sqlite3_finalize(s);
	assert_int_equal(sqlite3_exec(st->db,
		"INSERT INTO appointments (enterprise_id, person_id, start_date, term_end, filed_at,"
		" updated_at) SELECT id, 901, '2026-01-01', '2028-12-31', 1, 1 FROM enterprises"
		" WHERE id BETWEEN 9100 AND 9104", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(st->db,
		"SELECT count(*) FROM appointments a JOIN enterprises e ON e.id = a.enterprise_id"
		" WHERE e.name LIKE '%' || ?1 || '%'", -1, &like, NULL), SQLITE_OK);
	for (int round = 0; round < 3; round++) {
		for (size_t i = 0; i < sizeof terms / sizeof terms[0]; i++) {
			sqlite3_bind_text(like, 1, terms[i], -1, SQLITE_STATIC);
			assert_int_equal(sqlite3_step(like), SQLITE_ROW);
			size_t want = (size_t)sqlite3_column_int64(like, 0);
			sqlite3_reset(like);
			if (search(st, terms[i], "", NULL, 0) != want)
				fail_msg("round %d, %s: %zu hits, LIKE finds %zu", round, terms[i],
				         search(st, terms[i], "", NULL, 0), want);
		}
		/* Renamed, then one without an appointment deleted. */
		if (round == 0)
			assert_int_equal(sqlite3_exec(st->db,
				"UPDATE enterprises SET name = '褚陈褚科技' WHERE id = 9102;"
				"UPDATE enterprises SET name = name WHERE id = 9103;"
				"UPDATE enterprises SET name = 'Abc贸易' WHERE id = 9100",
				NULL, NULL, NULL), SQLITE_OK);
		if (round == 1)
			assert_int_equal(query_int(st, "SELECT count(*) FROM enterprise_name_index"
			                                " WHERE enterprise_name_index MATCH '\"陈冯\"'"), 1);
		if (round == 1)
			assert_int_equal(sqlite3_exec(st->db,
				"DELETE FROM enterprises WHERE id = 9105", NULL, NULL, NULL), SQLITE_OK);
	}
	sqlite3_finalize(like);
	assert_int_equal(query_int(st, "SELECT count(*) FROM enterprise_name_index"
	                                " WHERE enterprise_name_index MATCH '\"陈冯\"'"), 0);
	/* The index holds exactly the names' pieces. */
	assert_int_equal(sqlite3_exec(st->db, "INSERT INTO enterprise_name_index"
	                                      " (enterprise_name_index) VALUES ('integrity-check')",
	                              NULL, NULL, NULL), SQLITE_OK);
}

static void test_search_credit_code(void **state)
{
	struct store *st = st_of(state);
	struct store_cqo_hit h[4];
	struct store_cqo_record r;
	char lower[19];

	assert_int_equal(store_cqo_record_get(st, record_of(st, "张三"), 2026, &r), 0);
	assert_int_equal(creditcode_validate(r.credit_code, NULL), 0);
	assert_int_equal(search(st, r.credit_code, "", h, 4), 2);
	assert_string_equal(h[0].person_name, "张三");
	for (int i = 0; i < 19; i++)
		lower[i] = (char)(r.credit_code[i] >= 'A' && r.credit_code[i] <= 'Z'
		                  ? r.credit_code[i] - 'A' + 'a' : r.credit_code[i]);
	assert_int_equal(search(st, lower, "", h, 4), 2);
	assert_int_equal(search(st, "91371302DEM0000999", "", h, 4), 0);
	assert_int_equal(search(st, r.credit_code, "61", h, 4), 0);
}

static void test_search_scope(void **state)
{
	struct store *st = st_of(state);
	struct store_cqo_hit h[4];
	size_t total;

	assert_int_equal(search(st, "张三", "37", h, 4), 1);
	assert_int_equal(search(st, "张三", "3713", h, 4), 1);
	assert_int_equal(search(st, "张三", "371302", h, 4), 1);
	assert_int_equal(search(st, "张三", "371311", h, 4), 0);
	assert_int_equal(search(st, "张三", "61", h, 4), 0);
	assert_int_equal(search(st, "王五", "61", h, 4), 1);
	assert_int_equal(search(st, "王五", "6101", h, 4), 1);
	assert_int_equal(search(st, "示例", "61", h, 4), 2);
	assert_int_equal(search(st, "示例", "37", h, 4), 2);
	/* A person's name found only outside the scope does not fall through
	 * to enterprise names that contain it. */
	assert_int_equal(sqlite3_exec(st->db,
		"INSERT INTO enterprises (id, credit_code, name, region_code, created_at, updated_at)"
		" VALUES (9100, '913713020000091000', '示例王五机电有限公司', '371302', 1, 1);"
		"INSERT INTO appointments (enterprise_id, person_id, start_date, term_end, filed_at,"
		" updated_at) SELECT 9100, id, '2026-01-01', '2028-12-31', 1, 1 FROM people"
		" WHERE name = '孙八'", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(search(st, "王五", "37", h, 4), 0);
	assert_int_equal(search(st, "王五", "", h, 4), 1);
	assert_string_equal(h[0].enterprise_name, "示例电子科技有限公司");
	assert_int_equal(search(st, "王五机电", "37", h, 4), 1);
	/* Out of scope by record number too. */
	char num[32];
	snprintf(num, sizeof num, "%lld", (long long)record_of(st, "张三"));
	assert_int_equal(search(st, num, "61", h, 4), 0);

	assert_int_equal(store_cqo_search(st, "张三", "37a", h, 4, &total), -EINVAL);
	assert_int_equal(store_cqo_search(st, "张三", NULL, h, 4, &total), -EINVAL);
	assert_int_equal(store_cqo_search(st, "", "", h, 4, &total), -EINVAL);
	assert_int_equal(store_cqo_search(st, "张三", "", NULL, 4, &total), -EINVAL);
}

static void test_record_card(void **state)
{
	struct store *st = st_of(state);
	struct store_cqo_record r;
	int64_t id = record_of(st, "张三");

	assert_int_equal(store_cqo_record_get(st, id, 2026, &r), 0);
	assert_int_equal(r.appointment_id, id);
	assert_true(r.person_id > 0 && r.enterprise_id > 0);
	assert_string_equal(r.person_name, "张三");
	assert_string_equal(r.gender, "男");
	assert_string_equal(r.birth_date, "1980-03-15");
	assert_string_equal(r.education, "本科");
	assert_string_equal(r.title, "高级工程师");
	assert_string_equal(r.position, "副总经理");
	assert_string_equal(r.phone, "13800000001");
	assert_string_equal(r.email, "zhangsan@example.com");
	assert_string_equal(r.enterprise_name, "示例精密机械有限公司");
	assert_int_equal(strlen(r.credit_code), 18);
	assert_string_equal(r.region_code, "371302");
	assert_string_equal(r.region_name, "兰山区");
	assert_string_equal(r.status, "active");
	assert_non_null(strstr(r.doc_no, "示例"));
	assert_string_equal(r.start_date, "2023-07-05");
	assert_string_equal(r.term_end, "2026-07-04");   /* 19 days after TODAY */
	assert_true(r.hours_this_year == 20.0);   /* 12 + 8 */
	assert_int_equal(r.n_sanctions, 0);

	assert_int_equal(store_cqo_record_get(st, id, 2025, &r), 0);
	assert_true(r.hours_this_year == 30.0);
	assert_int_equal(store_cqo_record_get(st, id, 2024, &r), 0);
	assert_true(r.hours_this_year == 0.0);

	assert_int_equal(store_cqo_record_get(st, 999999, 2026, &r), -ENOENT);
	assert_int_equal(store_cqo_record_get(st, id, 0, &r), -EINVAL);
}

static void test_record_sanctions(void **state)
{
	struct store *st = st_of(state);
	struct store_cqo_record r;
	int64_t li = record_of(st, "李四");

	assert_int_equal(store_cqo_record_get(st, li, 2026, &r), 0);
	assert_int_equal(r.n_sanctions, 1);
	assert_string_equal(r.sanctions[0].kind, "警示");
	assert_non_null(strstr(r.sanctions[0].reason, "继续教育"));
	assert_string_equal(r.sanctions[0].issued_on, "2026-06-05");
	assert_true(r.hours_this_year == 6.0);

	/* 王五's 约谈 is closed: not listed. */
	assert_int_equal(store_cqo_record_get(st, record_of(st, "王五"), 2026, &r), 0);
	assert_int_equal(r.n_sanctions, 0);

	/* At most 8 listed, newest first. */
	for (int i = 1; i <= 10; i++) {
		char sql[256];
		snprintf(sql, sizeof sql,
		         "INSERT INTO sanctions (appointment_id, kind, reason, issued_on, created_at)"
		         " VALUES (%lld, '约谈', '示例', date('2026-01-01', '+%d days'), 1)",
		         (long long)li, i);
		assert_int_equal(sqlite3_exec(st->db, sql, NULL, NULL, NULL), SQLITE_OK);
	}
	assert_int_equal(store_cqo_record_get(st, li, 2026, &r), 0);
	assert_int_equal(r.n_sanctions, 8);
	assert_string_equal(r.sanctions[0].issued_on, "2026-06-05");
	assert_string_equal(r.sanctions[1].issued_on, "2026-01-11");
	assert_true(strcmp(r.sanctions[1].issued_on, r.sanctions[2].issued_on) > 0);
}

static void test_region_in_scope(void **state)
{
	static const struct {
		const char *region, *scope;
		bool in;
	} cases[] = {
		{"371302", "", true},     {"37", "", true},
		{"371302", "37", true},   {"3713", "37", true},     {"37", "37", true},
		{"371302", "3713", true}, {"3713", "3713", true},   {"371302", "371302", true},
		{"371311", "371302", false}, {"3713", "371302", false}, {"37", "3713", false},
		{"610113", "37", false},  {"371302", "61", false},  {"", "37", false},
		{NULL, "", false},        {"371302", NULL, false},
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (store_region_in_scope(cases[i].region, cases[i].scope) != cases[i].in)
			fail_msg("case %zu: %s in %s", i, cases[i].region ? cases[i].region : "(null)",
			         cases[i].scope ? cases[i].scope : "(null)");
	}
}

/* Every statement the searches and the record card prepared is planned
 * without a table scan: by a part of a name too, from one character on
 * (issue 17: the substring search scanned every enterprise). */
static void test_search_uses_indexes(void **state)
{
	struct store *st = st_of(state);
	struct store_cqo_hit h[4];
	struct store_cqo_record r;
	char num[32], sql[2048];
	int64_t id = record_of(st, "张三");
	size_t checked = 0;

	/* Only these statements are in a fresh store's cache. */
	store_close(st);
	assert_int_equal(store_open(((struct fixture *)*state)->path, &st), 0);
	((struct fixture *)*state)->st = st;
	assert_int_equal(search(st, "张三", "37", h, 4), 1);
	assert_int_equal(store_cqo_record_get(st, id, 2026, &r), 0);
	snprintf(num, sizeof num, "%lld", (long long)id);
	assert_int_equal(search(st, num, "", h, 4), 1);
	assert_int_equal(search(st, r.credit_code, "", h, 4), 2);
	assert_int_equal(search(st, r.enterprise_name, "", h, 4), 2);
	assert_int_equal(search(st, "精密", "", h, 4), 2);
	assert_int_equal(search(st, "示例精密", "37", h, 4), 2);
	assert_int_equal(search(st, "精", "", h, 4), 2);
	/* Full and empty pages, so the count statements run too. */
	assert_int_equal(search(st, r.credit_code, "", h, 1), 2);
	assert_int_equal(search(st, r.enterprise_name, "", h, 1), 2);
	assert_int_equal(search(st, num, "61", h, 4), 0);

	for (size_t i = 0; i < st->n_slots; i++) {
		sqlite3_stmt *s = st->slots[i].stmt, *plan;
		if (!s)
			continue;
		snprintf(sql, sizeof sql, "EXPLAIN QUERY PLAN %s", sqlite3_sql(s));
		assert_int_equal(sqlite3_prepare_v2(st->db, sql, -1, &plan, NULL), SQLITE_OK);
		while (sqlite3_step(plan) == SQLITE_ROW) {
			const char *detail = (const char *)sqlite3_column_text(plan, 3);
			/* A full-text MATCH reads the index, not the table. */
			if (strncmp(detail, "SCAN", 4) == 0 && !strstr(detail, "VIRTUAL TABLE INDEX 0:M"))
				fail_msg("%s\nscans: %s", sqlite3_sql(s), detail);
		}
		sqlite3_finalize(plan);
		checked++;
	}
	/* Counts and pages of five modes, the card's three statements. */
	assert_true(checked >= 13);
}

/* A name with fewer records in scope than the page holds is answered by
 * the page statement alone; the count runs only for an empty page (is the
 * name somewhere else?) or a full one (how many more?). */
static void test_search_statements(void **state)
{
	struct store *st = st_of(state);
	struct store_cqo_hit h[4];
	char num[32];
	int n = 0;

	snprintf(num, sizeof num, "%lld", (long long)record_of(st, "张三"));
	statement_count_start(st, &n);
	assert_int_equal(search(st, "张三", "37", h, 4), 1);
	assert_int_equal(n, 1);
	assert_int_equal(search(st, num, "", h, 4), 1);
	assert_int_equal(n, 2);
	/* Full page: the count gives the total. */
	assert_int_equal(search(st, "示例精密机械有限公司", "", h, 1), 2);
	assert_int_equal(n, 2 + 2 + 2);
	/* Empty page in scope, the name elsewhere: no fall-through. */
	assert_int_equal(search(st, "张三", "61", h, 4), 0);
	assert_int_equal(n, 6 + 2);
	statement_count_stop(st);
}

static void test_bench_seed(void **state)
{
	struct fixture *f = *state;
	struct store_cqo_hit h[8];
	struct store_cqo_record r;

	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_regions_load_csv(f->st, "data/regions.csv", NULL), 0);
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(bench_seed(f->st, 1000, TODAY), 0);
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM appointments WHERE status = 'active'"),
	                 1000);
	/* Numbering continues on a second run; codes stay unique and valid. */
	assert_int_equal(sqlite3_exec(f->st->db, "INSERT INTO people (name, created_at, updated_at)"
	                                         " VALUES ('别人', 0, 0)", NULL, NULL, NULL),
	                 SQLITE_OK);
	assert_int_equal(bench_seed(f->st, 500, TODAY), 0);
	/* A person written by someone else in between only moves the ids on:
	 * every CQO still has its own person, record, training. */
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM appointments a"
	                                  " JOIN people p ON p.id = a.person_id"
	                                  " WHERE p.phone = printf('139%08d', a.enterprise_id)"),
	                 1500);
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM trainings"), 1500);
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM enterprise_tags"), 500);
	assert_int_equal(query_int(f->st, "SELECT count(DISTINCT credit_code) FROM enterprises"),
	                 1500);
	assert_int_equal(search(f->st, "测试人员000123", "", h, 8), 1);
	assert_int_equal(store_cqo_record_get(f->st, h[0].appointment_id, 2026, &r), 0);
	assert_int_equal(creditcode_validate(r.credit_code, NULL), 0);
	/* Every 50th is one of five common names: 王伟 is k = 250, 500, ... */
	size_t n = search(f->st, "王伟", "", h, 8);
	assert_int_equal(n, 6);
	for (int i = 1; i < 6; i++)
		assert_true(h[i - 1].appointment_id > h[i].appointment_id);
	/* Substring with many matches (pages by walking) and with few (sorts). */
	n = search(f->st, "测试企业", "", h, 8);
	assert_int_equal(n, 1500);
	assert_string_equal(h[0].enterprise_name, "测试企业001500有限公司");
	for (int i = 1; i < 8; i++)
		assert_true(h[i - 1].appointment_id > h[i].appointment_id);
	assert_int_equal(search(f->st, "测试企业0001", "", h, 8), 100);
	assert_string_equal(h[0].enterprise_name, "测试企业000199有限公司");
	for (int i = 1; i < 8; i++)
		assert_true(h[i - 1].appointment_id > h[i].appointment_id);
	assert_int_equal(search(f->st, "测试企业", "37", h, 8),
	                 (size_t)query_int(f->st, "SELECT count(*) FROM enterprises"
	                                          " WHERE region_code LIKE '37%'"));
	assert_true(store_region_in_scope(h[0].region_code, "37"));
	assert_int_equal(bench_seed(f->st, 0, TODAY), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_demo_seed, setup_demo, teardown),
		cmocka_unit_test_setup_teardown(test_demo_needs_regions, setup_empty, teardown),
		cmocka_unit_test_setup_teardown(test_search_by_person_and_id, setup_demo, teardown),
		cmocka_unit_test_setup_teardown(test_search_enterprise, setup_demo, teardown),
		cmocka_unit_test_setup_teardown(test_search_like_literal, setup_demo, teardown),
		cmocka_unit_test_setup_teardown(test_search_substring_as_like, setup_demo, teardown),
		cmocka_unit_test_setup_teardown(test_search_credit_code, setup_demo, teardown),
		cmocka_unit_test_setup_teardown(test_search_scope, setup_demo, teardown),
		cmocka_unit_test_setup_teardown(test_record_card, setup_demo, teardown),
		cmocka_unit_test_setup_teardown(test_record_sanctions, setup_demo, teardown),
		cmocka_unit_test(test_region_in_scope),
		cmocka_unit_test_setup_teardown(test_search_uses_indexes, setup_demo, teardown),
		cmocka_unit_test_setup_teardown(test_search_statements, setup_demo, teardown),
		cmocka_unit_test_setup_teardown(test_bench_seed, setup_empty, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
