/* Filing, replacement, renewal, dismissal (daemon/store_appoint.c) and
 * binding codes (daemon/store_bind.c) on the demo registry.
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
#include "store_fresh.h"
#include "../../store/store_demo.h"
#include "../../store/store_appoint.h"
#include "../../store/store_audit.h"
#include "../../store/store_bind.h"
#include "../../store/store_internal.h"

#define TODAY "2026-06-15"
#define NOW 1781481600LL   /* 2026-06-15 08:00 CST */

/* Demo rows (daemon/store_demo.c): appointment 1 is 孙八's ended term at 示例精密机械,
 * 2 张三's active one there, 3 李四's in 371311; enterprise 6 (演示纺织) has no CQO. */
#define REC_ENDED 1
#define REC_ZHANG 2
#define REC_LI 3

static const struct store_actor clerk = {"generic", "u-clerk", "chat-1", "备案", "test"};
static const struct store_actor cqo_user = {"generic", "u-cqo", "chat-2", "绑定", "test"};

struct fixture {
	char dir[64];
	char path[96];
	struct store *st;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	assert_non_null(f);
	snprintf(f->dir, sizeof f->dir, "/tmp/cqod-test-appoint-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/cqod.db", f->dir);
	assert_int_equal(store_fresh_open(f->path, &f->st), 0);
	/* The fixture is one unit of work: its own transaction. */
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_regions_load_csv(f->st, "data/regions.csv", NULL), 0);
	assert_int_equal(store_demo_seed(f->st, TODAY), 0);
	assert_int_equal(store_commit(f->st), 0);
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

/* One integer from SQL with an optional integer parameter ?1. */
static int64_t q_int(struct store *st, const char *sql, int64_t arg)
{
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(st->db, sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_bind_parameter_count(s) > 0)
		sqlite3_bind_int64(s, 1, arg);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	int64_t v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* One text value (copied into a static buffer) from SQL with ?1. */
static const char *q_text(struct store *st, const char *sql, int64_t arg)
{
	static char buf[512];
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(st->db, sql, -1, &s, NULL), SQLITE_OK);
	sqlite3_bind_int64(s, 1, arg);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	const unsigned char *t = sqlite3_column_text(s, 0);
	snprintf(buf, sizeof buf, "%s", t ? (const char *)t : "(null)");
	sqlite3_finalize(s);
	return buf;
}

static void credit_code(const char *region, const char *org, char out[19])
{
	snprintf(out, 19, "91%s%s", region, org);
	out[17] = creditcode_check_char(out);
	out[18] = '\0';
}

/* A complete filing for a new enterprise in 371302 (bufs hold the code). */
static struct store_appoint_filing new_filing(char code[19])
{
	credit_code("371302", "TE0000001", code);
	return (struct store_appoint_filing){
		.person = {.name = "李雷", .gender = "男", .birth_date = "1985-04-01",
		           .education = "本科", .title = "工程师", .phone = "13900001111",
		           .email = "lilei@example.com", .quality_years = 5},
		.enterprise = {.credit_code = code, .name = "测试机械有限公司", .region_code = "371302",
		               .industry_code = "C34", .size = "中型", .employees = 120},
		.doc_no = "测聘〔2026〕1号",
		.start_date = "2026-01-01",
		.term_months = 36,
		.warnings = "示例警告",
		.now = NOW,
	};
}

static int file_in_tx(struct store *st, const struct store_appoint_filing *in,
                      struct store_appoint_filed *out)
{
	assert_int_equal(store_begin(st), 0);
	int rc = store_appoint_file(st, &clerk, in, out);
	if (rc == 0)
		assert_int_equal(store_commit(st), 0);
	else
		assert_int_equal(store_rollback(st), 0);
	return rc;
}

static int64_t audit_rows(struct store *st)
{
	return q_int(st, "SELECT count(*) FROM audit_log", 0);
}

static void test_file_new(void **state)
{
	struct store *st = st_of(state);
	struct store_appoint_filed out;
	char code[19];
	struct store_appoint_filing in = new_filing(code);
	int64_t people = q_int(st, "SELECT count(*) FROM people", 0);

	assert_int_equal(file_in_tx(st, &in, &out), 0);
	assert_true(out.id > REC_LI);
	assert_string_equal(out.term_end, "2028-12-31");
	assert_false(out.person_reused);
	assert_int_equal(q_int(st, "SELECT count(*) FROM people", 0), people + 1);
	assert_string_equal(q_text(st, "SELECT status || '|' || doc_no || '|' ||"
	                               " eligibility_warnings || '|' || filed_by"
	                               " FROM appointments WHERE id = ?1", out.id),
	                    "active|测聘〔2026〕1号|示例警告|generic:u-clerk");
	assert_string_equal(q_text(st, "SELECT e.name || '|' || e.region_code || '|' || e.size"
	                               " FROM appointments a JOIN enterprises e"
	                               " ON e.id = a.enterprise_id WHERE a.id = ?1", out.id),
	                    "测试机械有限公司|371302|中型");
	/* Enterprise, person and appointment: one audit row each, all on the record. */
	assert_int_equal(q_int(st, "SELECT count(*) FROM audit_log WHERE record_id = ?1", out.id), 3);
	assert_string_equal(q_text(st, "SELECT group_concat(entity, ',') FROM (SELECT entity"
	                               " FROM audit_log WHERE record_id = ?1 ORDER BY id)", out.id),
	                    "enterprise,person,appointment");
	assert_int_equal(q_int(st, "SELECT count(*) FROM audit_log WHERE record_id = ?1"
	                           " AND before_json IS NULL AND command = '备案'"
	                           " AND actor_user = 'u-clerk' AND chat_id = 'chat-1'", out.id), 3);
}

static void test_file_second_active_refused(void **state)
{
	struct store *st = st_of(state);
	struct store_appoint_filed out;
	char code[19];
	struct store_appoint_filing in = new_filing(code);
	int64_t audits = audit_rows(st), appts = q_int(st, "SELECT count(*) FROM appointments", 0);

	/* 示例精密机械 already has 张三. */
	snprintf(code, sizeof code, "%s", q_text(st, "SELECT credit_code FROM enterprises"
	                                             " WHERE id = 1", 0));
	assert_int_equal(file_in_tx(st, &in, &out), -EEXIST);
	assert_int_equal(out.active_id, REC_ZHANG);
	assert_int_equal(audit_rows(st), audits);
	assert_int_equal(q_int(st, "SELECT count(*) FROM appointments", 0), appts);
	assert_int_equal(q_int(st, "SELECT count(*) FROM people WHERE name = '李雷'", 0), 0);
	/* The enterprise's name was not touched either. */
	assert_string_equal(q_text(st, "SELECT name FROM enterprises WHERE id = 1", 0),
	                    "示例精密机械有限公司");
}

static void test_file_existing_enterprise_and_person(void **state)
{
	struct store *st = st_of(state);
	struct store_appoint_filed out;
	char code[19];
	struct store_appoint_filing in = new_filing(code);
	int64_t people = q_int(st, "SELECT count(*) FROM people", 0);

	/* 演示纺织 (enterprise 6, no CQO); 孙八 with his phone is reused. */
	snprintf(code, sizeof code, "%s", q_text(st, "SELECT credit_code FROM enterprises"
	                                             " WHERE id = 6", 0));
	in.enterprise = (struct store_appoint_enterprise){.credit_code = code,
	                                                  .name = "演示纺织集团有限公司",
	                                                  .employees = -1};
	in.person = (struct store_appoint_person){.name = "孙八", .phone = "13800000006",
	                                          .title = "高级工程师", .quality_years = -1};
	assert_int_equal(file_in_tx(st, &in, &out), 0);
	assert_true(out.person_reused);
	assert_int_equal(out.person_id, 6);
	assert_int_equal(q_int(st, "SELECT count(*) FROM people", 0), people);
	/* Given fields replace, omitted ones stay. */
	assert_string_equal(q_text(st, "SELECT title || '|' || education || '|' || quality_years"
	                               " FROM people WHERE id = 6", 0), "高级工程师|大专|20");
	assert_string_equal(q_text(st, "SELECT name || '|' || region_code || '|' || employees"
	                               " FROM enterprises WHERE id = 6", 0),
	                    "演示纺织集团有限公司|371302|60");
	assert_int_equal(q_int(st, "SELECT count(*) FROM audit_log WHERE record_id = ?1"
	                           " AND entity IN ('person', 'enterprise')"
	                           " AND before_json IS NOT NULL", out.id), 2);

	/* Same name, other phone: a new person. */
	in.enterprise = new_filing(code).enterprise;
	in.person.phone = "13900009999";
	assert_int_equal(file_in_tx(st, &in, &out), 0);
	assert_false(out.person_reused);
	assert_int_equal(q_int(st, "SELECT count(*) FROM people", 0), people + 1);
}

/* 孙八 (person 6, records in 371302 only) is reused by a filer whose scope
 * holds all his records, and never by one elsewhere (a new person, his row
 * untouched); a change to him is audited on each of his records. */
static void test_file_reuses_a_person_only_in_scope(void **state)
{
	struct store *st = st_of(state);
	struct store_appoint_filed out;
	char code[19];
	struct store_appoint_filing in = new_filing(code);
	int64_t people = q_int(st, "SELECT count(*) FROM people", 0);
	int64_t records = q_int(st, "SELECT count(*) FROM appointments WHERE person_id = ?1", 6);

	credit_code("610113", "TE0000009", code);
	in.enterprise.region_code = "610113";
	in.person = (struct store_appoint_person){.name = "孙八", .phone = "13800000006",
	                                          .email = "x@example.com", .quality_years = -1};
	in.scope = "610113";
	assert_int_equal(file_in_tx(st, &in, &out), 0);
	assert_false(out.person_reused);
	assert_int_not_equal(out.person_id, 6);
	assert_int_equal(q_int(st, "SELECT count(*) FROM people", 0), people + 1);
	assert_int_equal(q_int(st, "SELECT count(*) FROM people WHERE id = ?1"
	                           " AND email IS 'x@example.com'", 6), 0);

	in = new_filing(code);
	credit_code("371302", "TE0000010", code);
	in.person = (struct store_appoint_person){.name = "孙八", .phone = "13800000006",
	                                          .email = "sb@example.com", .quality_years = -1};
	in.scope = "3713";
	assert_int_equal(file_in_tx(st, &in, &out), 0);
	assert_true(out.person_reused);
	assert_int_equal(out.person_id, 6);
	assert_int_equal(q_int(st, "SELECT count(DISTINCT record_id) FROM audit_log"
	                           " WHERE entity = 'person' AND entity_id = ?1", 6), records + 1);
}

static void test_file_refused_values(void **state)
{
	struct store *st = st_of(state);
	struct store_appoint_filed out;
	char code[19];
	struct store_appoint_filing in = new_filing(code);
	int64_t audits = audit_rows(st);

	in.enterprise.region_code = "999999";   /* no such region */
	assert_int_equal(file_in_tx(st, &in, &out), -EINVAL);
	in = new_filing(code);
	in.term_months = 0;
	assert_int_equal(file_in_tx(st, &in, &out), -EINVAL);
	in = new_filing(code);
	in.enterprise.name = NULL;              /* a new enterprise needs its name */
	assert_int_equal(file_in_tx(st, &in, &out), -EINVAL);
	assert_int_equal(audit_rows(st), audits);
	assert_int_equal(q_int(st, "SELECT count(*) FROM enterprises"
	                           " WHERE name = '测试机械有限公司'", 0), 0);
}

/* A successor for 张三 at the same enterprise. */
static struct store_appoint_filing successor(struct store *st, char code[19])
{
	struct store_appoint_filing in = new_filing(code);
	snprintf(code, 19, "%s", q_text(st, "SELECT credit_code FROM enterprises WHERE id = 1", 0));
	in.enterprise = (struct store_appoint_enterprise){.credit_code = code, .employees = -1};
	in.start_date = "2026-06-01";
	in.replaces = REC_ZHANG;
	return in;
}

static void test_replace(void **state)
{
	struct store *st = st_of(state);
	struct store_appoint_filed out;
	char code[19];
	struct store_appoint_filing in = successor(st, code);

	assert_int_equal(file_in_tx(st, &in, &out), 0);
	assert_string_equal(out.ended_on, "2026-05-31");
	assert_string_equal(q_text(st, "SELECT status || '|' || ended_on || '|' || end_reason"
	                               " FROM appointments WHERE id = ?1", REC_ZHANG),
	                    "ended|2026-05-31|更换");
	assert_int_equal(q_int(st, "SELECT predecessor_id FROM appointments WHERE id = ?1", out.id),
	                 REC_ZHANG);
	assert_int_equal(q_int(st, "SELECT count(*) FROM audit_log WHERE record_id = ?1"
	                           " AND entity = 'appointment' AND before_json LIKE '%active%'"
	                           " AND after_json LIKE '%更换%'", REC_ZHANG), 1);
	/* The enterprise kept its stored fields. */
	assert_string_equal(q_text(st, "SELECT name FROM enterprises WHERE id = 1", 0),
	                    "示例精密机械有限公司");
	/* The old record can no longer be replaced. */
	assert_int_equal(file_in_tx(st, &in, &out), -ESTALE);
}

static void test_replace_after_expiry_ends_at_term_end(void **state)
{
	struct store *st = st_of(state);
	struct store_appoint_filed out;
	char code[19];
	struct store_appoint_filing in = successor(st, code);
	char term_end[11];

	snprintf(term_end, sizeof term_end, "%s",
	         q_text(st, "SELECT term_end FROM appointments WHERE id = ?1", REC_ZHANG));
	in.start_date = "2030-01-01";
	assert_int_equal(file_in_tx(st, &in, &out), 0);
	assert_string_equal(out.ended_on, term_end);
}

/* A failure in the middle of 更换 (after the old appointment was ended)
 * leaves both as they were once the transaction is rolled back. */
static void test_replace_atomic(void **state)
{
	struct store *st = st_of(state);
	struct store_appoint_filed out;
	char code[19];
	struct store_appoint_filing in = successor(st, code);
	char before[512];

	assert_int_equal(sqlite3_exec(st->db,
		"CREATE TRIGGER fail_insert BEFORE INSERT ON appointments"
		" WHEN NEW.doc_no = 'FAIL' BEGIN SELECT RAISE(ABORT, 'injected'); END",
		NULL, NULL, NULL), SQLITE_OK);
	snprintf(before, sizeof before, "%s",
	         q_text(st, "SELECT group_concat(id || status || coalesce(ended_on, '-'), ',')"
	                    " FROM appointments", 0));
	int64_t audits = audit_rows(st), people = q_int(st, "SELECT count(*) FROM people", 0);

	in.doc_no = "FAIL";
	assert_int_not_equal(file_in_tx(st, &in, &out), 0);
	assert_string_equal(q_text(st, "SELECT group_concat(id || status || coalesce(ended_on, '-'),"
	                               " ',') FROM appointments", 0), before);
	assert_string_equal(q_text(st, "SELECT status FROM appointments WHERE id = ?1", REC_ZHANG),
	                    "active");
	assert_int_equal(audit_rows(st), audits);
	assert_int_equal(q_int(st, "SELECT count(*) FROM people", 0), people);

	/* Without the fault the same replacement goes through. */
	in.doc_no = "测聘〔2026〕2号";
	assert_int_equal(file_in_tx(st, &in, &out), 0);
}

static void test_replace_stale(void **state)
{
	struct store *st = st_of(state);
	struct store_appoint_filed out;
	char code[19];
	struct store_appoint_filing in = successor(st, code);

	in.replaces = REC_ENDED;          /* already ended */
	assert_int_equal(file_in_tx(st, &in, &out), -ESTALE);
	in.replaces = REC_LI;             /* another enterprise's */
	assert_int_equal(file_in_tx(st, &in, &out), -ESTALE);
	assert_string_equal(q_text(st, "SELECT status FROM appointments WHERE id = ?1", REC_LI),
	                    "active");
}

static int renew_in_tx(struct store *st, int64_t id, const char *start, char term_end[11])
{
	assert_int_equal(store_begin(st), 0);
	int term_no;
	int rc = store_appoint_renew(st, &clerk, id, start, 36, NULL, NOW, term_end, &term_no);
	if (rc == 0)
		assert_int_equal(store_commit(st), 0);
	else
		assert_int_equal(store_rollback(st), 0);
	return rc;
}

static void test_renew(void **state)
{
	struct store *st = st_of(state);
	char term_end[11];
	int64_t audits = audit_rows(st);

	assert_int_equal(renew_in_tx(st, REC_ZHANG, "2026-07-05", term_end), 0);
	assert_string_equal(term_end, "2029-07-04");
	assert_string_equal(q_text(st, "SELECT start_date || '|' || term_end || '|' || status"
	                               " FROM appointments WHERE id = ?1", REC_ZHANG),
	                    "2026-07-05|2029-07-04|active");
	assert_int_equal(audit_rows(st), audits + 1);
	assert_int_equal(q_int(st, "SELECT count(*) FROM audit_log WHERE record_id = ?1"
	                           " AND after_json LIKE '%2029-07-04%'"
	                           " AND before_json NOT LIKE '%2029-07-04%'", REC_ZHANG), 1);
	/* A leap day start ends on the 28th three years later. */
	assert_int_equal(renew_in_tx(st, REC_ZHANG, "2028-02-29", term_end), 0);
	assert_string_equal(term_end, "2031-02-28");

	assert_int_equal(renew_in_tx(st, REC_ENDED, "2026-07-05", term_end), -ESTALE);
	assert_int_equal(renew_in_tx(st, 999, "2026-07-05", term_end), -ENOENT);
	assert_int_equal(renew_in_tx(st, REC_ZHANG, "2026-02-30", term_end), -EINVAL);
}

static int dismiss_in_tx(struct store *st, int64_t id, const char *on)
{
	assert_int_equal(store_begin(st), 0);
	int rc = store_appoint_dismiss(st, &clerk, id, on, "个人原因", NOW);
	if (rc == 0)
		assert_int_equal(store_commit(st), 0);
	else
		assert_int_equal(store_rollback(st), 0);
	return rc;
}

static void test_dismiss(void **state)
{
	struct store *st = st_of(state);
	int64_t audits = audit_rows(st);

	assert_int_equal(dismiss_in_tx(st, REC_LI, "2026-06-10"), 0);
	assert_string_equal(q_text(st, "SELECT status || '|' || ended_on || '|' || end_reason"
	                               " FROM appointments WHERE id = ?1", REC_LI),
	                    "dismissed|2026-06-10|个人原因");
	assert_int_equal(audit_rows(st), audits + 1);
	assert_int_equal(dismiss_in_tx(st, REC_LI, "2026-06-10"), -ESTALE);
	assert_int_equal(dismiss_in_tx(st, 999, "2026-06-10"), -ENOENT);
	assert_int_equal(dismiss_in_tx(st, REC_ZHANG, "not a date"), -EINVAL);
	assert_string_equal(q_text(st, "SELECT status FROM appointments WHERE id = ?1", REC_ZHANG),
	                    "active");
	assert_int_equal(audit_rows(st), audits + 1);
}

/* sha256 hex stand-ins; the store never sees the codes themselves. */
#define HASH_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define HASH_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

static int issue(struct store *st, const char *hash, int64_t expires_at, int64_t now)
{
	assert_int_equal(store_begin(st), 0);
	int rc = store_bind_issue(st, &clerk, 1, REC_ZHANG, hash, expires_at, now);
	assert_int_equal(rc == 0 ? store_commit(st) : store_rollback(st), 0);
	return rc;
}

static int redeem(struct store *st, const char *hash, int64_t now, int64_t *person)
{
	struct store_bind_redeemed got;
	assert_int_equal(store_begin(st), 0);
	int rc = store_bind_redeem(st, &cqo_user, "test", "测试", hash, now, &got);
	assert_int_equal(rc == 0 ? store_commit(st) : store_rollback(st), 0);
	*person = got.person_id;
	if (rc == 0)
		assert_string_equal(got.name, "张三");
	return rc;
}

static const struct store_identity_key cqo_key = {"generic", "test", "u-cqo", "test"};

static void test_bind_single_use(void **state)
{
	struct store *st = st_of(state);
	struct store_identity id;
	int64_t person;

	assert_int_equal(issue(st, HASH_A, NOW + 86400, NOW), 0);
	assert_int_equal(issue(st, HASH_A, NOW + 86400, NOW), -EEXIST);
	assert_int_equal(q_int(st, "SELECT count(*) FROM audit_log WHERE entity = 'bind_code'"
	                           " AND record_id = ?1 AND after_json NOT LIKE '%aaaa%'",
	                           REC_ZHANG), 1);
	assert_int_equal(redeem(st, HASH_B, NOW + 10, &person), -ENOENT);
	assert_int_equal(redeem(st, HASH_A, NOW + 10, &person), 0);
	assert_int_equal(person, 1);
	assert_int_equal(store_identity_get(st, &cqo_key, &id), 0);
	assert_string_equal(id.role, "cqo");
	assert_int_equal(id.person_id, 1);
	assert_int_equal(q_int(st, "SELECT count(*) FROM audit_log WHERE entity = 'identity'"
	                           " AND record_id = ?1 AND before_json IS NULL", REC_ZHANG), 1);
	/* Used once: a second redemption, even by someone else, fails. */
	assert_int_equal(redeem(st, HASH_A, NOW + 20, &person), -ENOENT);

	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_bind_remove(st, &cqo_user, "test"), 0);
	assert_int_equal(store_commit(st), 0);
	assert_int_equal(store_identity_get(st, &cqo_key, &id), -ENOENT);
	assert_int_equal(q_int(st, "SELECT count(*) FROM audit_log WHERE entity = 'identity'"
	                           " AND record_id = ?1 AND after_json IS NULL", REC_ZHANG), 1);
	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_bind_remove(st, &cqo_user, "test"), -ENOENT);
	assert_int_equal(store_rollback(st), 0);
}

static void test_bind_expiry(void **state)
{
	struct store *st = st_of(state);
	int64_t person;

	assert_int_equal(issue(st, HASH_A, NOW + 86400, NOW), 0);
	assert_int_equal(redeem(st, HASH_A, NOW + 86400, &person), -ENOENT);
	assert_int_equal(redeem(st, HASH_A, NOW + 86399, &person), 0);
}

static void test_bind_reissue_expires_unused(void **state)
{
	struct store *st = st_of(state);
	int64_t person;

	assert_int_equal(issue(st, HASH_A, NOW + 86400, NOW), 0);
	assert_int_equal(issue(st, HASH_B, NOW + 86400, NOW + 100), 0);
	assert_int_equal(redeem(st, HASH_A, NOW + 200, &person), -ENOENT);
	assert_int_equal(redeem(st, HASH_B, NOW + 200, &person), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_file_new, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_second_active_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_existing_enterprise_and_person, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_file_reuses_a_person_only_in_scope, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_file_refused_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_replace, setup, teardown),
		cmocka_unit_test_setup_teardown(test_replace_after_expiry_ends_at_term_end, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_replace_atomic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_replace_stale, setup, teardown),
		cmocka_unit_test_setup_teardown(test_renew, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dismiss, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bind_single_use, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bind_expiry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bind_reissue_expires_unused, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
