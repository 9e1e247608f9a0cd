/* The store side of cqoctl (daemon/store_import*.c, store_export.c,
 * store_backup.c, store_calendar.c, store_target.c): upserts that report
 * created / updated / unchanged and write audit rows only for changes,
 * conflicts undone by the row savepoint, the read-only checks that
 * foresee them, rows read back out, the online
 * backup, checks and counts. Run from the repository root (reads
 * data/regions.csv). */
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

#include "../../lib/log.h"
#include "../../store/store.h"
#include "statement_count.h"
#include "store_fresh.h"
#include "../../store/store_appoint.h"
#include "../../store/store_audit.h"
#include "../../store/store_backup.h"
#include "../../store/store_calendar.h"
#include "../../store/store_export.h"
#include "../../store/store_import.h"
#include "../../store/store_internal.h"
#include "../../store/store_sanction.h"
#include "../../store/store_stats.h"
#include "../../store/store_target.h"

#define NOW 1790000000
#define CODE_A "91350100M000100Y43"
#define CODE_B "91110000600037341L"

static const struct store_actor who = {"cqoctl", "tester", NULL, "import", NULL};

struct fixture {
	char dir[64];
	char path[96];
	struct store *st;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);

	assert_non_null(f);
	snprintf(f->dir, sizeof f->dir, "/tmp/cqod-test-import-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/cqod.db", f->dir);
	assert_int_equal(store_fresh_open(f->path, &f->st), 0);
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_regions_load_csv(f->st, "data/regions.csv", NULL), 0);
	assert_int_equal(store_commit(f->st), 0);
	*state = f;
	return 0;
}

static void remove_db(const char *dir, const char *base)
{
	static const char *const suffixes[] = {"", "-wal", "-shm", ".part"};
	char p[160];

	for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
		snprintf(p, sizeof p, "%s/%s%s", dir, base, suffixes[i]);
		unlink(p);
	}
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	store_close(f->st);
	remove_db(f->dir, "cqod.db");
	remove_db(f->dir, "backup.db");
	rmdir(f->dir);
	free(f);
	return 0;
}

static struct store *st_of(void **state)
{
	return ((struct fixture *)*state)->st;
}

static int64_t one_int(struct store *st, const char *sql)
{
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(st->db, sql, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	int64_t v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* The text of the first column of the first row ("" for NULL). */
static void one_text(struct store *st, const char *sql, char *buf, size_t len)
{
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(st->db, sql, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	const unsigned char *t = sqlite3_column_text(s, 0);
	snprintf(buf, len, "%s", t ? (const char *)t : "");
	sqlite3_finalize(s);
}

static int64_t audit_rows(struct store *st)
{
	return one_int(st, "SELECT count(*) FROM audit_log");
}

static unsigned tag(const char *name)
{
	return 1u << store_import_tag_index(name);
}

static struct store_import_enterprise enterprise(const char *code, const char *name)
{
	struct store_import_enterprise e = {
		.credit_code = code, .name = name, .region_code = "371302", .employees = -1,
	};
	return e;
}

static struct store_import_cqo cqo(const char *code, const char *person, const char *phone)
{
	struct store_import_cqo q = {
		.enterprise = enterprise(code, "示例精密机械有限公司"),
		.person = {.name = person, .phone = phone, .quality_years = -1},
		.start_date = "2024-03-01",
		.term_months = 36,
	};
	return q;
}

static void test_tags(void **state)
{
	(void)state;
	assert_string_equal(store_import_tag_name(0), "规上");
	assert_string_equal(store_import_tag_name(8), "特种设备");
	assert_null(store_import_tag_name(9));
	assert_int_equal(store_import_tag_index("专精特新"), 4);
	assert_int_equal(store_import_tag_index("上市"), -1);
}

static void test_enterprise_upsert(void **state)
{
	struct store *st = st_of(state);
	struct store_import_enterprise e = enterprise(CODE_A, "示例精密机械有限公司");
	struct store_import_result r;
	char json[1024];

	e.tags_add = tag("规上") | tag("专精特新");
	e.employees = 320;
	assert_int_equal(store_import_enterprise(st, &who, &e, NOW, &r), 0);
	assert_int_equal(r.enterprise, STORE_IMPORT_CREATED);
	assert_true(r.id > 0);
	assert_int_equal(audit_rows(st), 1);
	one_text(st, "SELECT after_json FROM audit_log", json, sizeof json);
	assert_non_null(strstr(json, "\"employees\":320"));
	assert_non_null(strstr(json, "\"tags\":[\"规上\",\"专精特新\"]"));
	one_text(st, "SELECT actor_platform || ':' || actor_user || ':' || command FROM audit_log",
	         json, sizeof json);
	assert_string_equal(json, "cqoctl:tester:import");

	/* The same again: nothing written. Not given keeps what is stored. */
	e.employees = -1;
	assert_int_equal(store_import_enterprise(st, &who, &e, NOW + 60, &r), 0);
	assert_int_equal(r.enterprise, STORE_IMPORT_SAME);
	assert_int_equal(audit_rows(st), 1);
	assert_int_equal(one_int(st, "SELECT updated_at FROM enterprises"), NOW);

	/* A new name and a category less: one audit row with both. */
	e.name = "示例精密机械股份有限公司";
	e.tags_add = 0;
	e.tags_remove = tag("专精特新");
	assert_int_equal(store_import_enterprise(st, &who, &e, NOW + 60, &r), 0);
	assert_int_equal(r.enterprise, STORE_IMPORT_UPDATED);
	assert_int_equal(audit_rows(st), 2);
	one_text(st, "SELECT before_json FROM audit_log ORDER BY id DESC", json, sizeof json);
	assert_non_null(strstr(json, "\"name\":\"示例精密机械有限公司\""));
	assert_non_null(strstr(json, "\"tags\":[\"规上\",\"专精特新\"]"));
	one_text(st, "SELECT after_json FROM audit_log ORDER BY id DESC", json, sizeof json);
	assert_non_null(strstr(json, "\"name\":\"示例精密机械股份有限公司\""));
	assert_non_null(strstr(json, "\"tags\":[\"规上\"]"));
	assert_int_equal(one_int(st, "SELECT count(*) FROM enterprise_tags"), 1);

	/* Tags alone change too. */
	e.tags_add = tag("链主");
	e.tags_remove = 0;
	assert_int_equal(store_import_enterprise(st, &who, &e, NOW + 60, &r), 0);
	assert_int_equal(r.enterprise, STORE_IMPORT_UPDATED);
	assert_int_equal(audit_rows(st), 3);
}

/* --year: the categories go to that year's list, beside the undated ones
 * and other years' lists; importing the list again changes nothing. */
static void test_enterprise_annual_list(void **state)
{
	struct store *st = st_of(state);
	struct store_import_enterprise e = enterprise(CODE_A, "示例精密机械有限公司");
	struct store_import_result r;
	char json[1024];

	e.tags_add = tag("链主");
	assert_int_equal(store_import_enterprise(st, &who, &e, NOW, &r), 0);
	e.tags_add = tag("规上");
	e.tags_year = 2024;
	assert_int_equal(store_import_enterprise(st, &who, &e, NOW, &r), 0);
	assert_int_equal(r.enterprise, STORE_IMPORT_UPDATED);
	e.tags_year = 2025;
	assert_int_equal(store_import_enterprise(st, &who, &e, NOW, &r), 0);
	assert_int_equal(r.enterprise, STORE_IMPORT_UPDATED);
	one_text(st, "SELECT after_json FROM audit_log ORDER BY id DESC", json, sizeof json);
	assert_non_null(strstr(json, "\"tags\":[\"规上\"],\"tags_year\":2025"));
	one_text(st, "SELECT before_json FROM audit_log ORDER BY id DESC", json, sizeof json);
	assert_non_null(strstr(json, "\"tags\":[],\"tags_year\":2025"));
	assert_int_equal(audit_rows(st), 3);
	assert_int_equal(store_import_enterprise(st, &who, &e, NOW, &r), 0);
	assert_int_equal(r.enterprise, STORE_IMPORT_SAME);
	assert_int_equal(audit_rows(st), 3);
	one_text(st, "SELECT group_concat(tag || year, ' ') FROM (SELECT tag, year"
	             " FROM enterprise_tags ORDER BY year, tag)", json, sizeof json);
	assert_string_equal(json, "链主0 规上2024 规上2025");
	/* Taken off one year's list, the others stay. */
	e.tags_add = 0;
	e.tags_remove = tag("规上");
	assert_int_equal(store_import_enterprise(st, &who, &e, NOW, &r), 0);
	one_text(st, "SELECT group_concat(tag || year, ' ') FROM (SELECT tag, year"
	             " FROM enterprise_tags ORDER BY year, tag)", json, sizeof json);
	assert_string_equal(json, "链主0 规上2024");
}

static void test_cqo_create_same_update(void **state)
{
	struct store *st = st_of(state);
	struct store_import_cqo q = cqo(CODE_A, "张三", "13800000001");
	struct store_import_result r;
	char buf[1024];

	q.person.gender = "男";
	q.doc_no = "示聘字〔2024〕第1号";
	assert_int_equal(store_import_cqo(st, &who, &q, NOW, &r), 0);
	assert_int_equal(r.enterprise, STORE_IMPORT_CREATED);
	assert_int_equal(r.person, STORE_IMPORT_CREATED);
	assert_int_equal(r.record, STORE_IMPORT_CREATED);
	int64_t id = r.id;
	assert_int_equal(audit_rows(st), 3);
	assert_int_equal(one_int(st, "SELECT count(*) FROM audit_log WHERE record_id = 1"), 3);
	one_text(st, "SELECT term_end || ' ' || status || ' ' || filed_by FROM appointments", buf,
	         sizeof buf);
	assert_string_equal(buf, "2027-02-28 active cqoctl:tester");

	/* Again: nothing changes, nothing is written. */
	assert_int_equal(store_import_cqo(st, &who, &q, NOW + 60, &r), 0);
	assert_int_equal(r.enterprise, STORE_IMPORT_SAME);
	assert_int_equal(r.person, STORE_IMPORT_SAME);
	assert_int_equal(r.record, STORE_IMPORT_SAME);
	assert_int_equal(r.id, id);
	assert_int_equal(audit_rows(st), 3);

	/* The term ended: its end date defaults to the term end. */
	q.status = "ended";
	q.person.title = "高级工程师";
	assert_int_equal(store_import_cqo(st, &who, &q, NOW + 60, &r), 0);
	assert_int_equal(r.enterprise, STORE_IMPORT_SAME);
	assert_int_equal(r.person, STORE_IMPORT_UPDATED);
	assert_int_equal(r.record, STORE_IMPORT_UPDATED);
	assert_int_equal(audit_rows(st), 5);
	one_text(st, "SELECT status || ' ' || ended_on FROM appointments", buf, sizeof buf);
	assert_string_equal(buf, "ended 2027-02-28");
	one_text(st, "SELECT before_json FROM audit_log WHERE entity = 'appointment'"
	             " ORDER BY id DESC", buf, sizeof buf);
	assert_non_null(strstr(buf, "\"status\":\"active\""));

	/* Without status and term the stored ones stay. */
	q.status = NULL;
	q.term_months = 60;
	assert_int_equal(store_import_cqo(st, &who, &q, NOW + 60, &r), 0);
	assert_int_equal(r.record, STORE_IMPORT_SAME);
	/* A term from the file is applied. */
	q.term_given = true;
	assert_int_equal(store_import_cqo(st, &who, &q, NOW + 60, &r), 0);
	assert_int_equal(r.record, STORE_IMPORT_UPDATED);
	one_text(st, "SELECT term_end FROM appointments", buf, sizeof buf);
	assert_string_equal(buf, "2029-02-28");
}

static void test_person_reused_by_phone(void **state)
{
	struct store *st = st_of(state);
	struct store_import_cqo a = cqo(CODE_A, "张三", "13800000001");
	struct store_import_cqo b = cqo(CODE_B, "张三", "13800000001");
	struct store_import_result r;

	a.status = "ended";
	assert_int_equal(store_import_cqo(st, &who, &a, NOW, &r), 0);
	assert_int_equal(store_import_cqo(st, &who, &b, NOW, &r), 0);
	assert_int_equal(r.enterprise, STORE_IMPORT_CREATED);
	assert_int_equal(r.person, STORE_IMPORT_SAME);
	assert_int_equal(r.record, STORE_IMPORT_CREATED);
	assert_int_equal(one_int(st, "SELECT count(*) FROM people"), 1);
	assert_int_equal(one_int(st, "SELECT count(*) FROM appointments"), 2);
}

static void test_active_conflict_undone(void **state)
{
	struct store *st = st_of(state);
	struct store_import_cqo a = cqo(CODE_A, "张三", "13800000001");
	struct store_import_cqo b = cqo(CODE_A, "李四", "13800000002");
	struct store_import_result r;

	assert_int_equal(store_import_cqo(st, &who, &a, NOW, &r), 0);
	int64_t audits = audit_rows(st);
	assert_int_equal(store_import_setup(st), 0);
	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_import_row_begin(st), 0);
	b.enterprise.name = "改了名的企业";
	assert_int_equal(store_import_cqo(st, &who, &b, NOW, &r), -EEXIST);
	assert_int_equal(r.conflict_id, 1);
	assert_string_equal(r.conflict_name, "张三");
	assert_int_equal(store_import_row_end(st, false), 0);
	/* The next row of the same transaction goes in. */
	assert_int_equal(store_import_row_begin(st), 0);
	b.status = "ended";
	b.enterprise.name = NULL;
	assert_int_equal(store_import_cqo(st, &who, &b, NOW, &r), 0);
	assert_int_equal(store_import_row_end(st, true), 0);
	assert_int_equal(store_commit(st), 0);
	assert_int_equal(one_int(st, "SELECT count(*) FROM enterprises WHERE name = '改了名的企业'"), 0);
	assert_int_equal(one_int(st, "SELECT count(*) FROM appointments"), 2);
	assert_int_equal(audit_rows(st), audits + 2);
}

/* Two batches on `st`: two new CQOs, then a renamed enterprise and a
 * changed term; with the triggers deferred when `defer`. */
static void two_batches(struct store *st, bool defer)
{
	struct store_import_cqo a = cqo(CODE_A, "张三", "13800000001");
	struct store_import_cqo b = cqo(CODE_B, "李四", "13800000002");
	struct store_import_batch batch = {0};
	struct store_import_result r;

	a.doc_no = "示聘字〔2024〕第1号";
	for (int round = 0; round < 2; round++) {
		assert_int_equal(store_begin(st), 0);
		if (defer) {
			assert_int_equal(store_import_batch_begin(st, &batch), 0);
			assert_true(batch.deferred);
		}
		assert_int_equal(store_import_cqo(st, &who, &a, NOW, &r), 0);
		assert_int_equal(store_import_cqo(st, &who, &b, NOW, &r), 0);
		if (defer)
			assert_int_equal(store_import_batch_end(st, &batch, 0), 0);
		assert_int_equal(store_commit(st), 0);
		a.enterprise.name = "改名精密机械有限公司";
		a.start_date = "2024-05-01";
		a.doc_no = "示聘字〔2024〕第9号";
	}
}

static const char TERMS_SQL[] =
	"SELECT group_concat(t, ';') FROM (SELECT id || ' ' || appointment_id || ' ' || term_no"
	" || ' ' || start_date || ' ' || term_end || ' ' || coalesce(doc_no, '') AS t"
	" FROM appointment_terms ORDER BY id)";
static const char NAMES_FOUND_SQL[] =
	"SELECT group_concat(rowid, ',') FROM enterprise_name_index"
	" WHERE enterprise_name_index MATCH '示例'";

/* Deferred triggers: what the chunk's end and the replays write is what
 * the triggers write row by row, and the triggers are back on after. */
static void test_triggers_deferred(void **state)
{
	struct fixture *f = *state;
	struct store *ref;
	char path[128], got[512], want[512], found[64];

	snprintf(path, sizeof path, "%s/backup.db", f->dir);
	assert_int_equal(store_fresh_open(path, &ref), 0);
	assert_int_equal(store_begin(ref), 0);
	assert_int_equal(store_regions_load_csv(ref, "data/regions.csv", NULL), 0);
	assert_int_equal(store_commit(ref), 0);
	two_batches(ref, false);
	two_batches(f->st, true);

	one_text(ref, TERMS_SQL, want, sizeof want);
	one_text(f->st, TERMS_SQL, got, sizeof got);
	assert_string_equal(got, want);
	assert_non_null(strstr(got, "1 1 1 2024-05-01 2027-04-30 示聘字〔2024〕第9号"));
	/* The index holds exactly the names the table does, renamed included. */
	assert_int_equal(store_exec(f->st, "INSERT INTO enterprise_name_index"
	                                   " (enterprise_name_index) VALUES ('integrity-check')",
	                            "check"), 0);
	one_text(f->st, NAMES_FOUND_SQL, found, sizeof found);
	assert_string_equal(found, "2");
	one_text(ref, NAMES_FOUND_SQL, found, sizeof found);
	assert_string_equal(found, "2");
	assert_int_equal(one_int(f->st, "SELECT rowid FROM enterprise_name_index"
	                                " WHERE enterprise_name_index MATCH '改名'"), 1);
	/* Triggers fire again outside a batch. */
	struct store_import_cqo c = cqo("91350100M000200Y5X", "王五", "13800000003");
	struct store_import_result r;
	assert_int_equal(store_import_cqo(f->st, &who, &c, NOW, &r), 0);
	assert_int_equal(one_int(f->st, "SELECT count(*) FROM appointment_terms"), 3);
	store_close(ref);
}

/* A trigger the import does not know (an operator's, a test's) keeps
 * every trigger on, so it still refuses its rows. */
static void test_unknown_trigger_not_deferred(void **state)
{
	struct store *st = st_of(state);
	struct store_import_cqo a = cqo(CODE_A, "张三", "13800000001");
	struct store_import_batch batch;
	struct store_import_result r;

	assert_int_equal(store_exec(st, "CREATE TRIGGER refuse BEFORE INSERT ON appointments"
	                                 " BEGIN SELECT RAISE(ABORT, 'test'); END", "trigger"), 0);
	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_import_batch_begin(st, &batch), 0);
	assert_false(batch.deferred);
	assert_int_equal(store_import_cqo(st, &who, &a, NOW, &r), -EINVAL);
	assert_int_equal(store_import_batch_end(st, &batch, -EINVAL), -EINVAL);
	assert_int_equal(store_rollback(st), 0);
	assert_int_equal(one_int(st, "SELECT count(*) FROM appointments"), 0);
}

/* The check says whether a row would write nothing, as the write would:
 * each of the enterprise, its categories, the person and the record. */
static void test_check_unchanged(void **state)
{
	struct store *st = st_of(state);
	struct store_import_cqo a = cqo(CODE_A, "张三", "13800000001");
	struct store_import_cqo other = cqo(CODE_B, "张三", "13800000001");
	struct store_import_result r, w;

	a.enterprise.tags_add = tag("规上");
	assert_int_equal(store_import_cqo_check(st, &a, &r), 0);
	assert_false(r.unchanged);
	assert_int_equal(r.person_id, 0);
	assert_int_equal(store_import_cqo(st, &who, &a, NOW, &w), 0);
	assert_int_equal(store_import_cqo_check(st, &a, &r), 0);
	assert_true(r.unchanged);
	assert_int_equal(r.id, w.id);
	assert_int_equal(r.person_id, 1);
	/* A new record at another enterprise reuses the person by phone. */
	assert_int_equal(store_import_cqo_check(st, &other, &r), 0);
	assert_false(r.unchanged);
	assert_int_equal(r.person_id, 1);

	struct store_import_cqo c = a;
	c.enterprise.employees = 80;
	assert_int_equal(store_import_cqo_check(st, &c, &r), 0);
	assert_false(r.unchanged);
	c = a;
	c.enterprise.tags_add = tag("链主");
	assert_int_equal(store_import_cqo_check(st, &c, &r), 0);
	assert_false(r.unchanged);
	c = a;
	c.person.email = "zs@example.com";
	assert_int_equal(store_import_cqo_check(st, &c, &r), 0);
	assert_false(r.unchanged);
	c = a;
	c.remarks = "备注";
	assert_int_equal(store_import_cqo_check(st, &c, &r), 0);
	assert_false(r.unchanged);
	/* Each of those writes, as the check said; the row as it was does not. */
	c.enterprise.employees = 80;
	assert_int_equal(store_import_cqo(st, &who, &c, NOW, &w), 0);
	assert_int_equal(w.record, STORE_IMPORT_UPDATED);
	assert_int_equal(w.enterprise, STORE_IMPORT_UPDATED);
	assert_int_equal(store_import_cqo_check(st, &c, &r), 0);
	assert_true(r.unchanged);
}

/* The checks say what the writes would, and write nothing. */
static void test_checks_read_only(void **state)
{
	struct store *st = st_of(state);
	struct store_import_cqo a = cqo(CODE_A, "张三", "13800000001");
	struct store_import_cqo b = cqo(CODE_A, "李四", "13800000002");
	struct store_import_result r;

	/* A new enterprise: no record, no conflict. */
	assert_int_equal(store_import_cqo_check(st, &a, &r), 0);
	assert_int_equal(r.id, 0);
	assert_int_equal(store_import_record_check(st, CODE_A, "张三"), -ENOENT);
	assert_int_equal(store_import_cqo(st, &who, &a, NOW, &r), 0);
	int64_t record = r.id, changes = sqlite3_total_changes(st->db);

	/* Its own record is found; another active one conflicts, as the write
	 * would say; one that is not in force does not. */
	assert_int_equal(store_import_cqo_check(st, &a, &r), 0);
	assert_int_equal(r.id, record);
	assert_int_equal(store_import_cqo_check(st, &b, &r), -EEXIST);
	assert_int_equal(r.conflict_id, record);
	assert_string_equal(r.conflict_name, "张三");
	assert_int_equal(r.id, 0);
	b.status = "ended";
	assert_int_equal(store_import_cqo_check(st, &b, &r), 0);
	assert_int_equal(store_import_record_check(st, CODE_A, "张三"), 0);
	assert_int_equal(store_import_record_check(st, CODE_A, "李四"), -ENOENT);
	assert_int_equal(store_import_record_check(st, CODE_B, "张三"), -ENOENT);
	assert_int_equal(sqlite3_total_changes(st->db), changes);

	/* Once 张三's term has ended, 李四 may be in force. */
	a.status = "ended";
	assert_int_equal(store_import_cqo(st, &who, &a, NOW, &r), 0);
	b.status = NULL;
	assert_int_equal(store_import_cqo_check(st, &b, &r), 0);
	assert_int_equal(store_import_cqo(st, &who, &b, NOW, &r), 0);
}

/* The statements one check runs. */
static int check_statements(struct store *st, const struct store_import_cqo *in,
                            struct store_import_result *r, int expect_rc)
{
	int statements = 0;

	statement_count_start(st, &statements);
	assert_int_equal(store_import_cqo_check(st, in, r), expect_rc);
	statement_count_stop(st);
	return statements;
}

/* A re-import checks every row of its file: an unchanged row whose record
 * is in force looks for no other record in force (appointments_one_active
 * is unique), six lookups; a row that would put its record in force still
 * does, and finds the conflict; a new enterprise's row looks for its
 * person by phone. */
static void test_check_statements(void **state)
{
	struct store *st = st_of(state);
	struct store_import_cqo a = cqo(CODE_A, "张三", "13800000001");
	struct store_import_cqo b = cqo(CODE_A, "李四", "13800000002");
	struct store_import_result r, w;

	a.enterprise.tags_add = tag("规上");
	assert_int_equal(check_statements(st, &a, &r, 0), 2);
	assert_true(r.fresh);
	assert_int_equal(store_import_cqo(st, &who, &a, NOW, &w), 0);
	assert_int_equal(check_statements(st, &a, &r, 0), 6);
	assert_true(r.unchanged);
	assert_int_equal(r.id, w.id);
	assert_int_equal(r.person_id, 1);
	assert_int_equal(check_statements(st, &b, &r, -EEXIST), 3);
	assert_int_equal(r.conflict_id, w.id);
	assert_string_equal(r.conflict_name, "张三");
	/* Ended, the record put back in force by a row meets no other one. */
	a.status = "ended";
	assert_int_equal(store_import_cqo(st, &who, &a, NOW, &w), 0);
	a.status = "active";
	assert_int_equal(check_statements(st, &a, &r, 0), 7);
	assert_false(r.unchanged);
}

/* Whether the row is known unchanged from its digest, and then the record
 * and person it names. */
static bool known(struct store *st, const struct store_import_cqo *in, int64_t *id)
{
	struct store_import_result r;
	int rc = store_import_cqo_known(st, in, &r);

	assert_true(rc == 0 || rc == 1);
	assert_true(r.unchanged == (rc == 1));
	if (id)
		*id = r.id;
	return rc == 1;
}

/* A row written is known unchanged, with the record and person the check
 * gives; the same row with any value changed is not, and the check says
 * it would write. */
static void test_digest_known(void **state)
{
	struct store *st = st_of(state);
	struct store_import_cqo a = cqo(CODE_A, "张三", "13800000001");
	struct store_import_result r, w, k;
	int64_t id;

	a.enterprise.tags_add = tag("规上");
	a.person.email = "zs@example.com";
	a.remarks = "备注";
	assert_false(known(st, &a, NULL));
	assert_int_equal(store_import_cqo(st, &who, &a, NOW, &w), 0);
	assert_true(known(st, &a, &id));
	assert_int_equal(id, w.id);
	/* One lookup, where the check runs six statements. */
	int statements = 0;
	statement_count_start(st, &statements);
	assert_int_equal(store_import_cqo_known(st, &a, &k), 1);
	statement_count_stop(st);
	assert_int_equal(statements, 1);
	assert_int_equal(store_import_cqo_check(st, &a, &r), 0);
	assert_true(r.unchanged);
	assert_int_equal(k.id, r.id);
	assert_int_equal(k.person_id, r.person_id);

	struct store_import_cqo c[9];
	for (size_t i = 0; i < 9; i++)
		c[i] = a;
	c[0].enterprise.employees = 80;
	c[1].enterprise.tags_add = tag("链主");
	c[2].enterprise.name = "改名有限公司";
	c[3].person.email = "other@example.com";
	c[4].person.quality_years = 9;
	c[5].remarks = "另一条备注";
	c[6].start_date = "2024-04-01";
	c[7].term_months = 24;
	c[7].term_given = true;
	c[8].status = "ended";
	for (size_t i = 0; i < 9; i++) {
		assert_false(known(st, &c[i], NULL));
		assert_int_equal(store_import_cqo_check(st, &c[i], &r), 0);
		assert_false(r.unchanged);
	}
	/* The term a policy lends a row counts: a changed policy, a changed row. */
	c[0] = a;
	c[0].term_months = 24;
	assert_false(known(st, &c[0], NULL));
	/* Written, the new values are the known ones. */
	assert_int_equal(store_import_cqo(st, &who, &c[3], NOW, &w), 0);
	assert_true(known(st, &c[3], NULL));
	assert_false(known(st, &a, NULL));
}

/* A change made in chat (备案, 更换, 续聘, 解聘, 除名, 企业类别) to what the
 * check reads drops the digest of every row it touches: the re-import
 * checks the row in full and says what it said before there were
 * digests. Each change is rolled back after, and the digest is back. */
static void test_digests_forgotten_by_chat(void **state)
{
	struct store *st = st_of(state);
	struct store_import_cqo a = cqo(CODE_A, "张三", "13800000001");
	struct store_import_result r, w;
	int64_t id, enterprise;
	char region[16];

	a.enterprise.tags_add = tag("规上");
	a.enterprise.employees = 100;
	a.person.email = "zs@example.com";
	a.status = "active";
	assert_int_equal(store_import_cqo(st, &who, &a, NOW, &w), 0);
	id = w.id;
	assert_int_equal(store_appoint_enterprise_find(st, CODE_A, &enterprise, region), 0);

	for (int change = 0; change < 7; change++) {
		struct store_appoint_filing f = {
			.person = {.name = "李四", .phone = "13800000002", .quality_years = -1},
			.enterprise = {.credit_code = CODE_A, .employees = -1},
			.start_date = "2025-01-01", .term_months = 36, .now = NOW,
		};
		struct store_appoint_filed filed;
		struct store_sanction_new san = {
			.appointment_id = id, .kind = "除名", .ground = "违法违规",
			.issued_on = "2025-06-01", .now = NOW,
		};
		char term_end[11];
		int term_no, expect = 0;
		int64_t sid;

		assert_true(known(st, &a, NULL));
		assert_int_equal(store_begin(st), 0);
		switch (change) {
		case 0:   /* 企业类别: a category dropped */
			assert_int_equal(store_enterprise_tags_change(st, &who, enterprise, id, 0,
			                                              tag("规上"), NULL), 0);
			break;
		case 1:   /* 备案 of the person elsewhere, with a new email */
			f.person = a.person;
			f.person.email = "new@example.com";
			f.enterprise = (struct store_appoint_enterprise){.credit_code = CODE_B,
				.name = "另一有限公司", .region_code = "371302", .employees = -1};
			assert_int_equal(store_appoint_file(st, &who, &f, &filed), 0);
			break;
		case 2:   /* 更换: a successor, the enterprise's employees changed */
			f.enterprise.employees = 200;
			f.replaces = id;
			assert_int_equal(store_appoint_file(st, &who, &f, &filed), 0);
			expect = -EEXIST;
			break;
		case 3:   /* 续聘 */
			assert_int_equal(store_appoint_renew(st, &who, id, "2027-03-01", 36, NULL, NOW,
			                                     term_end, &term_no), 0);
			break;
		case 4:   /* 解聘 */
			assert_int_equal(store_appoint_dismiss(st, &who, id, "2025-06-01", "调离",
			                                       NOW), 0);
			break;
		case 5:   /* 除名 */
			assert_int_equal(store_sanction_issue(st, &who, &san, &sid, NULL), 0);
			break;
		default:   /* the person renamed: the row names nobody there, and
		            * the renamed one's record is in force */
			assert_int_equal(store_exec(st, "UPDATE people SET name = '张叁'", "rename"), 0);
			expect = -EEXIST;
			break;
		}
		assert_false(known(st, &a, NULL));
		assert_int_equal(store_import_cqo_check(st, &a, &r), expect);
		assert_false(r.unchanged);
		/* Confirming a row that would change leaves it unknown. */
		assert_int_equal(store_import_cqo_confirm(st, &a), 0);
		assert_false(known(st, &a, NULL));
		assert_int_equal(store_rollback(st), 0);
	}
	/* Forgotten otherwise (as after the upgrade), a row found unchanged is
	 * remembered by its confirmation. */
	assert_int_equal(store_exec(st, "DELETE FROM import_digests", "forget"), 0);
	assert_false(known(st, &a, NULL));
	assert_int_equal(store_import_cqo_confirm(st, &a), 0);
	assert_true(known(st, &a, &id));
	assert_int_equal(id, w.id);
}

/* An import with its triggers off drops the digests the triggers would:
 * two batches of rows that write each other's enterprise and person, and
 * a 除名, leave the same digests either way. */
static void digest_batches(struct store *st, bool defer)
{
	struct store_import_cqo a = cqo(CODE_A, "张三", "13800000001");
	struct store_import_cqo b = cqo(CODE_B, "李四", "13800000002");
	struct store_import_cqo c = cqo("91350100M000200Y5X", "李四", "13800000002");
	struct store_import_cqo d = cqo(CODE_A, "王五", "13800000003");
	struct store_import_cqo e = cqo("91350100M000300Y6J", "孙七", "13800000007");
	struct store_import_sanction san = {
		.person_name = "孙七", .credit_code = "91350100M000300Y6J", .kind = "除名",
		.ground = "违法违规", .issued_on = "2025-06-01",
	};
	struct store_import_batch batch = {0};
	struct store_import_result r;

	c.enterprise.name = "示例精密机械二厂";
	c.person.email = "ls@example.com";
	d.status = "ended";
	e.enterprise.name = "示例精密机械三厂";
	const struct store_import_cqo *rounds[2][3] = {{&a, &b, &e}, {&c, &d, NULL}};
	for (int round = 0; round < 3; round++) {
		assert_int_equal(store_begin(st), 0);
		if (defer) {
			assert_int_equal(store_import_batch_begin(st, &batch), 0);
			assert_true(batch.deferred);
		}
		for (int i = 0; round < 2 && i < 3 && rounds[round][i]; i++)
			assert_int_equal(store_import_cqo(st, &who, rounds[round][i], NOW, &r), 0);
		if (round == 2)
			assert_int_equal(store_import_sanction(st, &who, &san, NOW, &r), 0);
		if (defer)
			assert_int_equal(store_import_batch_end(st, &batch, 0), 0);
		assert_int_equal(store_commit(st), 0);
	}
	/* b's person and a's enterprise were written after them, e's record
	 * was taken out of force. */
	assert_false(known(st, &a, NULL));
	assert_false(known(st, &b, NULL));
	assert_false(known(st, &e, NULL));
	assert_true(known(st, &c, NULL));
	assert_true(known(st, &d, NULL));
}

static const char DIGESTS_SQL[] =
	"SELECT group_concat(t, ';') FROM (SELECT credit_code || ' ' || name || ' ' || enterprise_id"
	" || ' ' || person_id || ' ' || appointment_id || ' ' || hex(digest) AS t"
	" FROM import_digests ORDER BY 1)";

static void test_digests_replayed_when_deferred(void **state)
{
	struct fixture *f = *state;
	struct store *ref;
	char path[128];
	static char got[4096], want[4096];

	snprintf(path, sizeof path, "%s/backup.db", f->dir);
	assert_int_equal(store_fresh_open(path, &ref), 0);
	assert_int_equal(store_begin(ref), 0);
	assert_int_equal(store_regions_load_csv(ref, "data/regions.csv", NULL), 0);
	assert_int_equal(store_commit(ref), 0);
	digest_batches(ref, false);
	digest_batches(f->st, true);
	one_text(ref, DIGESTS_SQL, want, sizeof want);
	one_text(f->st, DIGESTS_SQL, got, sizeof got);
	assert_string_equal(got, want);
	assert_int_equal(one_int(f->st, "SELECT count(*) FROM import_digests"), 2);
	store_close(ref);
}

/* Every row of every table an import writes, as text ("|" between
 * columns, "\n" between rows), audit rows without their time. */
static void dump(struct store *st, char *buf, size_t len)
{
	static const char *const sql[] = {
		"SELECT * FROM enterprises ORDER BY id",
		"SELECT * FROM enterprise_tags ORDER BY 1, 2, 3",
		"SELECT * FROM people ORDER BY id",
		"SELECT * FROM appointments ORDER BY id",
		"SELECT * FROM appointment_terms ORDER BY id",
		"SELECT id, actor_platform, actor_user, chat_id, command, entity, entity_id,"
		" record_id, before_json, after_json, actor_tenant FROM audit_log ORDER BY id",
		"SELECT rowid FROM enterprise_name_index WHERE enterprise_name_index MATCH '精密'"
		" ORDER BY rowid",
		"SELECT credit_code, name, enterprise_id, person_id, appointment_id, hex(digest)"
		" FROM import_digests ORDER BY 1, 2",
	};
	size_t n = 0;

	for (size_t q = 0; q < sizeof sql / sizeof sql[0]; q++) {
		sqlite3_stmt *s;
		assert_int_equal(sqlite3_prepare_v2(st->db, sql[q], -1, &s, NULL), SQLITE_OK);
		while (sqlite3_step(s) == SQLITE_ROW) {
			for (int c = 0; c < sqlite3_column_count(s); c++) {
				const unsigned char *t = sqlite3_column_text(s, c);
				n += (size_t)snprintf(buf + n, len - n, "%s|", t ? (const char *)t : "~");
				assert_true(n < len);
			}
			n += (size_t)snprintf(buf + n, len - n, "\n");
		}
		sqlite3_finalize(s);
	}
}

/* New CQOs written set-based are what store_import_cqo writes row by row,
 * ids, audit rows, tags, terms and the name index included; rows that are
 * no longer new write nothing and say so. */
static void test_cqos_new_as_row_by_row(void **state)
{
	struct fixture *f = *state;
	struct store_import_cqo a = cqo(CODE_A, "张三", "13800000001");
	struct store_import_cqo b = cqo(CODE_B, "李四", NULL);
	struct store_import_cqo c = cqo("91350100M000200Y5X", "王五", "13800000003");
	const struct store_import_cqo *rows[] = {&a, &b, &c};
	struct store_import_batch batch;
	struct store_import_result r;
	struct store *ref;
	char path[128];
	static char got[16384], want[16384];

	a.enterprise.tags_add = tag("规上") | tag("链主") | tag("特种设备");
	a.enterprise.tags_year = 2025;
	a.enterprise.employees = 320;
	a.person.gender = "男";
	a.person.quality_years = 12;
	a.person.resume = "2010年起从事质量管理工作，\n主持\"零缺陷\"项目";
	a.doc_no = "示聘字〔2024〕第1号";
	b.enterprise.name = "示例食品有限公司";
	b.enterprise.tags_add = tag("食品") | tag("规上");
	b.enterprise.tags_remove = tag("规上");
	b.status = "ended";
	b.end_reason = "任期届满";
	c.enterprise.name = "示例精密机械二厂";
	c.term_end = "2026-12-31";
	c.status = "dismissed";
	c.ended_on = "2025-01-31";
	c.remarks = "备注";

	/* One CQO already in, so the ids start above 1. */
	struct store_import_cqo first = cqo("91110000600037342J", "赵六", "13800000009");
	snprintf(path, sizeof path, "%s/backup.db", f->dir);
	assert_int_equal(store_fresh_open(path, &ref), 0);
	assert_int_equal(store_begin(ref), 0);
	assert_int_equal(store_regions_load_csv(ref, "data/regions.csv", NULL), 0);
	assert_int_equal(store_import_cqo(ref, &who, &first, NOW, &r), 0);
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(store_import_cqo(ref, &who, rows[i], NOW, &r), 0);
	assert_int_equal(store_commit(ref), 0);

	assert_int_equal(store_import_cqo(f->st, &who, &first, NOW, &r), 0);
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(store_import_cqo_check(f->st, rows[i], &r), 0);
		assert_true(r.fresh);
	}
	assert_int_equal(store_import_setup(f->st), 0);
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_import_batch_begin(f->st, &batch), 0);
	assert_true(batch.deferred);
	assert_int_equal(store_import_cqos_new(f->st, &who, rows, 3, NOW), 0);
	assert_int_equal(store_import_batch_end(f->st, &batch, 0), 0);
	assert_int_equal(store_commit(f->st), 0);

	dump(ref, want, sizeof want);
	dump(f->st, got, sizeof got);
	assert_string_equal(got, want);
	assert_non_null(strstr(got, "\"tags\":[\"规上\",\"链主\",\"特种设备\"],\"tags_year\":2025}"));
	assert_int_equal(audit_rows(f->st), 12);

	/* Not new any more: nothing written, the caller writes them one by one. */
	assert_int_equal(store_import_cqo_check(f->st, &a, &r), 0);
	assert_false(r.fresh);
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_import_cqos_new(f->st, &who, rows, 3, NOW), -EAGAIN);
	struct store_import_cqo twice = cqo("91350100M000300Y6J", "孙七", "13800000007");
	struct store_import_cqo again = cqo("91350100M000400Y7N", "孙七", "13800000007");
	const struct store_import_cqo *same_person[] = {&twice, &again};
	assert_int_equal(store_import_cqos_new(f->st, &who, same_person, 2, NOW), -EAGAIN);
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(audit_rows(f->st), 12);
	assert_int_equal(one_int(f->st, "SELECT count(*) FROM enterprises"), 4);
	store_close(ref);
}

static void test_trainings(void **state)
{
	struct store *st = st_of(state);
	struct store_import_cqo a = cqo(CODE_A, "张三", "13800000001");
	struct store_import_training t = {
		.person_name = "张三", .credit_code = CODE_A, .kind = "任职培训",
		.date = "2024-04-01", .hours = 16, .level = "省",
	};
	struct store_import_result r;

	assert_int_equal(store_import_training(st, &who, &t, NOW, &r), -ENOENT);
	assert_int_equal(store_import_cqo(st, &who, &a, NOW, &r), 0);
	int64_t record = r.id, audits = audit_rows(st);
	assert_int_equal(store_import_training(st, &who, &t, NOW, &r), 0);
	assert_int_equal(r.record, STORE_IMPORT_CREATED);
	assert_int_equal(audit_rows(st), audits + 1);
	assert_int_equal(one_int(st, "SELECT record_id FROM audit_log ORDER BY id DESC"), record);
	assert_int_equal(store_import_training(st, &who, &t, NOW, &r), 0);
	assert_int_equal(r.record, STORE_IMPORT_SAME);
	t.hours = 24;
	assert_int_equal(store_import_training(st, &who, &t, NOW, &r), 0);
	assert_int_equal(r.record, STORE_IMPORT_UPDATED);
	assert_int_equal(audit_rows(st), audits + 2);
	assert_int_equal(one_int(st, "SELECT hours FROM trainings"), 24);
	t.person_name = "李四";
	assert_int_equal(store_import_training(st, &who, &t, NOW, &r), -ENOENT);
}

static void test_sanctions(void **state)
{
	struct store *st = st_of(state);
	struct store_import_cqo a = cqo(CODE_A, "张三", "13800000001");
	struct store_import_sanction s = {
		.person_name = "张三", .credit_code = CODE_A, .kind = "警示", .ground = "其他",
		.issued_on = "2026-01-05",
	};
	struct store_import_result r;
	char buf[256];

	assert_int_equal(store_import_cqo(st, &who, &a, NOW, &r), 0);
	assert_int_equal(store_import_sanction(st, &who, &s, NOW, &r), 0);
	assert_int_equal(r.record, STORE_IMPORT_CREATED);
	assert_int_equal(store_import_sanction(st, &who, &s, NOW, &r), 0);
	assert_int_equal(r.record, STORE_IMPORT_SAME);
	s.status = "revoked";
	assert_int_equal(store_import_sanction(st, &who, &s, NOW, &r), 0);
	assert_int_equal(r.record, STORE_IMPORT_UPDATED);
	one_text(st, "SELECT status || ' ' || revoked_by FROM sanctions", buf, sizeof buf);
	assert_string_equal(buf, "revoked cqoctl:tester");

	/* An open removal takes the record out of force, as 除名 does. */
	struct store_import_sanction rm = {
		.person_name = "张三", .credit_code = CODE_A, .kind = "除名", .ground = "违法违规",
		.issued_on = "2026-02-01",
	};
	int64_t audits = audit_rows(st);
	assert_int_equal(store_import_sanction(st, &who, &rm, NOW, &r), 0);
	one_text(st, "SELECT status || ' ' || ended_on || ' ' || end_reason FROM appointments", buf,
	         sizeof buf);
	assert_string_equal(buf, "removed 2026-02-01 除名：违法违规");
	assert_int_equal(audit_rows(st), audits + 2);
	assert_int_equal(store_import_sanction(st, &who, &rm, NOW, &r), 0);
	assert_int_equal(r.record, STORE_IMPORT_SAME);
	assert_int_equal(audit_rows(st), audits + 2);
}

/* Collects the values of one key from every exported row. */
struct picked {
	const char *key;
	char values[8][128];
	size_t n;
};

static int pick(void *arg, size_t n, const char *const *keys, const char *const *values)
{
	struct picked *p = arg;
	for (size_t i = 0; i < n; i++)
		if (strcmp(keys[i], p->key) == 0 && p->n < 8)
			snprintf(p->values[p->n++], sizeof p->values[0], "%s",
			         values[i] ? values[i] : "(null)");
	return 0;
}

static int stop_at_first(void *arg, size_t n, const char *const *keys, const char *const *values)
{
	(void)arg;
	(void)n;
	(void)keys;
	(void)values;
	return 42;
}

static void test_export(void **state)
{
	struct store *st = st_of(state);
	struct store_import_cqo a = cqo(CODE_A, "张三", "13800000001");
	struct store_import_cqo b = cqo(CODE_B, "李四", NULL);
	struct store_import_result r;

	a.enterprise.tags_add = tag("专精特新") | tag("规上");
	b.enterprise.region_code = "110101";
	assert_int_equal(store_import_cqo(st, &who, &a, NOW, &r), 0);
	assert_int_equal(store_import_cqo(st, &who, &b, NOW, &r), 0);

	struct picked cats = {.key = "categories"};
	assert_int_equal(store_export(st, STORE_EXPORT_REGISTRY, "", 0, pick, &cats), 0);
	assert_int_equal(cats.n, 2);
	assert_string_equal(cats.values[0], "规上;专精特新");
	assert_string_equal(cats.values[1], "(null)");

	struct picked names = {.key = "name"};
	assert_int_equal(store_export(st, STORE_EXPORT_REGISTRY, "37", 0, pick, &names), 0);
	assert_int_equal(names.n, 1);
	assert_string_equal(names.values[0], "张三");

	struct picked region = {.key = "region_name"};
	assert_int_equal(store_export(st, STORE_EXPORT_ENTERPRISES, "", 0, pick, &region), 0);
	assert_int_equal(region.n, 2);
	assert_string_equal(region.values[0], "东城区");   /* ordered by credit code */
	assert_string_equal(region.values[1], "兰山区");

	assert_int_equal(store_export(st, STORE_EXPORT_REGISTRY, "", 0, stop_at_first, NULL), 42);
	assert_int_equal(store_export(st, STORE_EXPORT_REGISTRY, "3x", 0, pick, &names), -EINVAL);
	struct picked none = {.key = "name"};
	assert_int_equal(store_export(st, STORE_EXPORT_SIGNUPS, "", 0, pick, &none), 0);
	assert_int_equal(none.n, 0);
}

static void test_calendar(void **state)
{
	struct store *st = st_of(state);
	enum store_import_change ch;

	assert_int_equal(store_calendar_put(st, "2026-10-01", "holiday", "国庆节", &ch), 0);
	assert_int_equal(ch, STORE_IMPORT_CREATED);
	assert_int_equal(store_calendar_put(st, "2026-10-01", "holiday", "国庆节", &ch), 0);
	assert_int_equal(ch, STORE_IMPORT_SAME);
	assert_int_equal(store_calendar_put(st, "2026-10-01", "holiday", "国庆", &ch), 0);
	assert_int_equal(ch, STORE_IMPORT_UPDATED);
	assert_int_equal(store_calendar_put(st, "2026-09-28", "workday", NULL, &ch), 0);
	assert_int_equal(ch, STORE_IMPORT_CREATED);
	assert_int_equal(store_calendar_put(st, "2026-02-30", "holiday", NULL, &ch), -EINVAL);
	assert_int_equal(store_calendar_put(st, "2026-10-02", "rest", NULL, &ch), -EINVAL);
	assert_int_equal(one_int(st, "SELECT count(*) FROM calendar"), 2);
}

static int count_target(void *arg, const struct store_target_row *t)
{
	char (*seen)[64] = arg;
	size_t n = strlen(*seen);
	snprintf(*seen + n, sizeof *seen - n, "%s%s/%s/%d/%.2f", n ? " " : "", t->region_code,
	         t->category, t->year, t->value);
	return 0;
}

static void test_targets(void **state)
{
	struct store *st = st_of(state);
	char seen[64] = "";

	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_target_set(st, &who, "3713", "规上", 2026, STORE_TARGET_RATE, 0.6,
	                                  NULL, NULL), 0);
	assert_int_equal(store_target_set(st, &who, "371302", "链主", 2025, STORE_TARGET_RATE, 0.3,
	                                  NULL, NULL), 0);
	assert_int_equal(store_target_set(st, &who, "61", "规上", 2026, STORE_TARGET_RATE, 1, NULL,
	                                  NULL), 0);
	assert_int_equal(store_commit(st), 0);
	assert_int_equal(store_target_each(st, "37", NULL, 0, count_target, &seen), 0);
	assert_string_equal(seen, "3713/规上/2026/0.60 371302/链主/2025/0.30");
	seen[0] = '\0';
	assert_int_equal(store_target_each(st, "", "规上", 2026, count_target, &seen), 0);
	assert_string_equal(seen, "3713/规上/2026/0.60 61/规上/2026/1.00");
	assert_int_equal(store_target_each(st, "x", NULL, 0, count_target, &seen), -EINVAL);
}

static void on_step(void *arg, int remaining, int total)
{
	int *calls = arg;
	assert_true(remaining >= 0 && remaining <= total);
	(*calls)++;
}

static void test_backup_check_counts(void **state)
{
	struct fixture *f = *state;
	struct store_import_cqo a = cqo(CODE_A, "张三", "13800000001");
	struct store_import_result r;
	struct store_counts n, m;
	struct store *copy;
	char path[128], first[256], table[64];
	int calls = 0, problems = -1, violations = -1;

	assert_int_equal(store_import_cqo(f->st, &who, &a, NOW, &r), 0);
	snprintf(path, sizeof path, "%s/backup.db", f->dir);
	assert_int_equal(store_backup(f->st, path, 4, on_step, &calls), 0);
	assert_true(calls > 1);
	assert_int_equal(access(path, F_OK), 0);
	snprintf(first, sizeof first, "%s.part", path);
	assert_int_equal(access(first, F_OK), -1);

	assert_int_equal(store_open(path, &copy), 0);
	assert_int_equal(store_integrity_check(copy, &problems, first, sizeof first), 0);
	assert_int_equal(problems, 0);
	assert_string_equal(first, "");
	assert_int_equal(store_foreign_key_check(copy, &violations, table, sizeof table), 0);
	assert_int_equal(violations, 0);
	assert_int_equal(store_counts(copy, &m), 0);
	assert_int_equal(store_counts(f->st, &n), 0);
	assert_memory_equal(&n, &m, sizeof n);
	assert_int_equal(n.enterprises, 1);
	assert_int_equal(n.active, 1);
	assert_int_equal(n.audit_rows, 3);
	assert_true(n.regions > 3000);
	store_close(copy);

	/* A backup replaces an older one whole. */
	assert_int_equal(store_backup(f->st, path, 0, NULL, NULL), 0);
	assert_int_equal(store_backup(f->st, "/nonexistent-dir/x.db", 0, NULL, NULL), -ENOENT);
}

int main(void)
{
	log_init(LOG_LEVEL_ERROR);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tags),
		cmocka_unit_test_setup_teardown(test_enterprise_upsert, setup, teardown),
		cmocka_unit_test_setup_teardown(test_enterprise_annual_list, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cqo_create_same_update, setup, teardown),
		cmocka_unit_test_setup_teardown(test_person_reused_by_phone, setup, teardown),
		cmocka_unit_test_setup_teardown(test_active_conflict_undone, setup, teardown),
		cmocka_unit_test_setup_teardown(test_triggers_deferred, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_trigger_not_deferred, setup, teardown),
		cmocka_unit_test_setup_teardown(test_check_unchanged, setup, teardown),
		cmocka_unit_test_setup_teardown(test_checks_read_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_check_statements, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cqos_new_as_row_by_row, setup, teardown),
		cmocka_unit_test_setup_teardown(test_digest_known, setup, teardown),
		cmocka_unit_test_setup_teardown(test_digests_forgotten_by_chat, setup, teardown),
		cmocka_unit_test_setup_teardown(test_digests_replayed_when_deferred, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trainings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sanctions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_export, setup, teardown),
		cmocka_unit_test_setup_teardown(test_calendar, setup, teardown),
		cmocka_unit_test_setup_teardown(test_targets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_backup_check_counts, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
