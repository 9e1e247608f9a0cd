/* Trainings, sanctions (issue, removal, revocation and restoring), honours
 * and a CQO's own record, on the demo registry. Run from the repository
 * root (reads data/regions.csv). */
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
#include "../../store/store_demo.h"
#include "../../store/store_audit.h"
#include "../../store/store_honour.h"
#include "../../store/store_internal.h"
#include "../../store/store_mine.h"
#include "../../store/store_sanction.h"
#include "../../store/store_training.h"

#define TODAY "2026-06-15"
#define NOW 1781500000   /* 2026-06-15 in China Standard Time */

static const struct store_actor actor = {
	.platform = "generic", .user_id = "u-clerk", .chat_id = "chat-1", .command = "测试",
};

struct fixture {
	char dir[64];
	char path[96];
	struct store *st;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	assert_non_null(f);
	snprintf(f->dir, sizeof f->dir, "/tmp/cqod-test-records-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/cqod.db", f->dir);
	assert_int_equal(store_fresh_open(f->path, &f->st), 0);
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
static int64_t query_int(struct store *st, const char *sql, int64_t p1)
{
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(st->db, sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_bind_parameter_count(s) > 0)
		sqlite3_bind_int64(s, 1, p1);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	int64_t v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

static void query_text(struct store *st, const char *sql, int64_t p1, char *buf, size_t len)
{
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(st->db, sql, -1, &s, NULL), SQLITE_OK);
	sqlite3_bind_int64(s, 1, p1);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	store_col_text(s, 0, buf, len);
	sqlite3_finalize(s);
}

/* The (newest) appointment of a demo person. */
static int64_t record_of(struct store *st, const char *person)
{
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(st->db,
		"SELECT a.id FROM appointments a JOIN people p ON p.id = a.person_id"
		" WHERE p.name = ? ORDER BY a.id DESC LIMIT 1", -1, &s, NULL), SQLITE_OK);
	sqlite3_bind_text(s, 1, person, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	int64_t id = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return id;
}

static int64_t person_of(struct store *st, int64_t appointment)
{
	return query_int(st, "SELECT person_id FROM appointments WHERE id = ?", appointment);
}

static int64_t audit_rows(struct store *st, int64_t record)
{
	return query_int(st, "SELECT count(*) FROM audit_log WHERE record_id = ?", record);
}

static void status_of(struct store *st, int64_t appointment, char buf[16])
{
	query_text(st, "SELECT status FROM appointments WHERE id = ?", appointment, buf, 16);
}

/* Each write below is a unit of work of its own, as one chat command: begun
 * and committed here, also when refused (a refusal leaves the transaction
 * usable and must have written nothing). */
static int training_add_in_tx(struct store *st, const struct store_actor *who,
                              const struct store_training_new *t, int64_t *id)
{
	assert_int_equal(store_begin(st), 0);
	int rc = store_training_add(st, who, t, id);
	assert_int_equal(store_commit(st), 0);
	return rc;
}

static int sanction_issue_in_tx(struct store *st, const struct store_actor *who,
                                const struct store_sanction_new *n, int64_t *id, bool *removed)
{
	assert_int_equal(store_begin(st), 0);
	int rc = store_sanction_issue(st, who, n, id, removed);
	assert_int_equal(store_commit(st), 0);
	return rc;
}

static int sanction_revoke_in_tx(struct store *st, const struct store_actor *who, int64_t id,
                                 const char *note, int64_t now, struct store_sanction *out,
                                 enum store_revoke_effect *effect)
{
	assert_int_equal(store_begin(st), 0);
	int rc = store_sanction_revoke(st, who, id, note, now, out, effect);
	assert_int_equal(store_commit(st), 0);
	return rc;
}

static int honour_add_in_tx(struct store *st, const struct store_actor *who, int64_t rec,
                            const char *name, int year, int64_t now, int64_t *id)
{
	assert_int_equal(store_begin(st), 0);
	int rc = store_honour_add(st, who, rec, name, year, now, id);
	assert_int_equal(store_commit(st), 0);
	return rc;
}

static int64_t issue(struct store *st, int64_t appointment, const char *kind, bool *removed)
{
	struct store_sanction_new n = {
		.appointment_id = appointment, .kind = kind, .ground = "违法违规",
		.reason = "测试详情", .issued_on = TODAY, .now = NOW,
	};
	int64_t id = 0;
	assert_int_equal(sanction_issue_in_tx(st, &actor, &n, &id, removed), 0);
	assert_true(id > 0);
	return id;
}

static void test_training_add_and_hours(void **state)
{
	struct store *st = st_of(state);
	int64_t rec = record_of(st, "张三"), person = person_of(st, rec), id = 0;
	double hours;

	/* Demo: 12 + 8 hours this year for 张三. */
	assert_int_equal(store_training_hours(st, person, 2026, NULL, &hours), 0);
	assert_true(hours > 19.99 && hours < 20.01);
	int64_t audits = audit_rows(st, rec);

	struct store_training_new t = {
		.appointment_id = rec, .kind = "继续教育", .date = "2026-05-01", .hours = 5.5,
		.certificate_no = "", .institution = "示例学院", .level = "省", .tier = "高级",
		.created_at = NOW,
	};
	assert_int_equal(training_add_in_tx(st, &actor, &t, &id), 0);
	assert_true(id > 0);
	assert_int_equal(store_training_hours(st, person, 2026, NULL, &hours), 0);
	assert_true(hours > 25.49 && hours < 25.51);
	/* Other years are not counted. */
	assert_int_equal(store_training_hours(st, person, 2024, NULL, &hours), 0);
	assert_true(hours < 0.01);
	assert_int_equal(audit_rows(st, rec), audits + 1);
	assert_int_equal(query_int(st,
		"SELECT count(*) FROM audit_log WHERE entity = 'training' AND entity_id = ?"
		" AND before_json IS NULL AND json_extract(after_json, '$.hours') = 5.5"
		" AND actor_user = 'u-clerk' AND chat_id = 'chat-1'", id), 1);
	/* Optional "" is stored as NULL. */
	assert_int_equal(query_int(st,
		"SELECT certificate_no IS NULL AND tier = '高级' FROM trainings WHERE id = ?", id), 1);
}

static void test_training_errors_change_nothing(void **state)
{
	struct store *st = st_of(state);
	int64_t rec = record_of(st, "张三"), id = 0;
	int64_t trainings = query_int(st, "SELECT count(*) FROM trainings", 0);
	int64_t audits = query_int(st, "SELECT count(*) FROM audit_log", 0);

	struct store_training_new t = {
		.appointment_id = 9999, .kind = "继续教育", .date = "2026-05-01", .hours = 2,
		.created_at = NOW,
	};
	assert_int_equal(training_add_in_tx(st, &actor, &t, &id), -ENOENT);
	t.appointment_id = rec;
	t.level = "乡";   /* not a level the schema allows */
	assert_int_equal(training_add_in_tx(st, &actor, &t, &id), -EINVAL);
	assert_int_equal(query_int(st, "SELECT count(*) FROM trainings", 0), trainings);
	assert_int_equal(query_int(st, "SELECT count(*) FROM audit_log", 0), audits);
}

static void test_training_first_appointment(void **state)
{
	struct store *st = st_of(state);
	char date[11];

	/* 张三's 任职培训: day 100 of three years ago. */
	assert_int_equal(store_training_first_appointment(st, person_of(st, record_of(st, "张三")),
	                                                  date), 0);
	assert_string_equal(date, "2023-04-11");
	/* 钱七 has none. */
	assert_int_equal(store_training_first_appointment(st, person_of(st, record_of(st, "钱七")),
	                                                  date), -ENOENT);
	assert_string_equal(date, "");
}

static void test_warning_keeps_status(void **state)
{
	struct store *st = st_of(state);
	int64_t rec = record_of(st, "张三");
	struct store_sanction list[4], one;
	size_t n, total;
	bool removed = true;
	char status[16];

	int64_t id = issue(st, rec, "警示", &removed);
	assert_false(removed);
	status_of(st, rec, status);
	assert_string_equal(status, "active");
	assert_int_equal(store_sanction_list_open(st, rec, list, 4, &n, &total), 0);
	assert_int_equal(n, 1);
	assert_int_equal(total, 1);
	assert_int_equal(list[0].id, id);
	assert_string_equal(list[0].kind, "警示");
	assert_string_equal(list[0].ground, "违法违规");
	assert_string_equal(list[0].reason, "测试详情");
	assert_int_equal(store_sanction_get(st, id, &one), 0);
	assert_string_equal(one.status, "open");
	assert_int_equal(one.appointment_id, rec);
	assert_string_equal(one.issued_on, TODAY);
	assert_int_equal(query_int(st,
		"SELECT count(*) FROM sanctions WHERE id = ? AND created_by = 'generic:u-clerk'", id), 1);
	assert_int_equal(store_sanction_get(st, 9999, &one), -ENOENT);
}

static void test_summons_keeps_time_and_place(void **state)
{
	struct store *st = st_of(state);
	struct store_sanction one;
	struct store_sanction_new n = {
		.appointment_id = record_of(st, "张三"), .kind = "约谈", .ground = "拖延缓报",
		.issued_on = TODAY, .scheduled_at = NOW + 86400, .place = "三楼会议室", .now = NOW,
	};
	int64_t id;

	assert_int_equal(sanction_issue_in_tx(st, &actor, &n, &id, NULL), 0);
	assert_int_equal(store_sanction_get(st, id, &one), 0);
	assert_int_equal(one.scheduled_at, NOW + 86400);
	assert_string_equal(one.place, "三楼会议室");
	assert_string_equal(one.reason, "");
	/* The schema keeps times for summons only. */
	n.kind = "警示";
	assert_int_equal(sanction_issue_in_tx(st, &actor, &n, &id, NULL), -EINVAL);
	n.appointment_id = 9999;
	n.kind = "约谈";
	assert_int_equal(sanction_issue_in_tx(st, &actor, &n, &id, NULL), -ENOENT);
}

static void test_removal_and_revoke_restores(void **state)
{
	struct store *st = st_of(state);
	int64_t rec = record_of(st, "张三");
	enum store_revoke_effect effect;
	struct store_sanction old;
	bool removed = false;
	char status[16], ended[16];

	int64_t audits = audit_rows(st, rec);
	int64_t id = issue(st, rec, "除名", &removed);
	assert_true(removed);
	status_of(st, rec, status);
	assert_string_equal(status, "removed");
	query_text(st, "SELECT ended_on FROM appointments WHERE id = ?", rec, ended, sizeof ended);
	assert_string_equal(ended, TODAY);
	/* The sanction and the appointment's change. */
	assert_int_equal(audit_rows(st, rec), audits + 2);
	assert_int_equal(query_int(st,
		"SELECT count(*) FROM audit_log WHERE entity = 'appointment' AND record_id = ?"
		" AND json_extract(before_json, '$.status') = 'active'"
		" AND json_extract(after_json, '$.status') = 'removed'", rec), 1);

	assert_int_equal(sanction_revoke_in_tx(st, &actor, id, "误操作", NOW, &old, &effect), 0);
	assert_int_equal(effect, STORE_REVOKE_RESTORED);
	assert_string_equal(old.kind, "除名");
	assert_int_equal(old.appointment_id, rec);
	status_of(st, rec, status);
	assert_string_equal(status, "active");
	assert_int_equal(query_int(st,
		"SELECT ended_on IS NULL AND end_reason IS NULL FROM appointments WHERE id = ?", rec), 1);
	assert_int_equal(query_int(st,
		"SELECT status = 'revoked' AND revoked_by = 'generic:u-clerk' AND revoked_at = 1781500000"
		" AND revoke_note = '误操作' FROM sanctions WHERE id = ?", id), 1);
	assert_int_equal(audit_rows(st, rec), audits + 4);

	assert_int_equal(sanction_revoke_in_tx(st, &actor, id, NULL, NOW, NULL, &effect), -EALREADY);
	assert_int_equal(sanction_revoke_in_tx(st, &actor, 9999, NULL, NOW, NULL, &effect), -ENOENT);
	assert_int_equal(audit_rows(st, rec), audits + 4);
}

static void test_revoke_with_other_removal_open(void **state)
{
	struct store *st = st_of(state);
	int64_t rec = record_of(st, "张三");
	enum store_revoke_effect effect;
	bool removed;
	char status[16];

	int64_t a = issue(st, rec, "除名", &removed);
	assert_true(removed);
	int64_t b = issue(st, rec, "黑名单", &removed);
	assert_false(removed);   /* already out of the pool */
	assert_int_equal(sanction_revoke_in_tx(st, &actor, a, NULL, NOW, NULL, &effect), 0);
	assert_int_equal(effect, STORE_REVOKE_OTHER_REMOVAL);
	status_of(st, rec, status);
	assert_string_equal(status, "removed");
	assert_int_equal(sanction_revoke_in_tx(st, &actor, b, NULL, NOW, NULL, &effect), 0);
	assert_int_equal(effect, STORE_REVOKE_RESTORED);
	status_of(st, rec, status);
	assert_string_equal(status, "active");
}

static void test_revoke_after_successor(void **state)
{
	struct store *st = st_of(state);
	int64_t rec = record_of(st, "张三");
	enum store_revoke_effect effect;
	bool removed;
	char status[16];

	int64_t id = issue(st, rec, "除名", &removed);
	assert_true(removed);
	/* The enterprise files a successor (李四's person) meanwhile. */
	assert_int_equal(store_exec(st,
		"INSERT INTO appointments (enterprise_id, person_id, start_date, term_end, filed_at,"
		" updated_at) SELECT enterprise_id, 2, '2026-06-15', '2029-06-14', 0, 0"
		" FROM appointments WHERE id = 2", "test"), 0);
	assert_int_equal(sanction_revoke_in_tx(st, &actor, id, NULL, NOW, NULL, &effect), 0);
	assert_int_equal(effect, STORE_REVOKE_SUCCESSOR);
	status_of(st, rec, status);
	assert_string_equal(status, "removed");
}

static void test_non_removal_revoke_and_ended_record(void **state)
{
	struct store *st = st_of(state);
	int64_t ended = record_of(st, "孙八");
	enum store_revoke_effect effect = STORE_REVOKE_RESTORED;
	bool removed = true;
	char status[16];

	/* A blacklist after the term ended leaves the status alone. */
	int64_t id = issue(st, ended, "黑名单", &removed);
	assert_false(removed);
	status_of(st, ended, status);
	assert_string_equal(status, "ended");
	assert_int_equal(sanction_revoke_in_tx(st, &actor, id, NULL, NOW, NULL, &effect), 0);
	assert_int_equal(effect, STORE_REVOKE_PLAIN);
	status_of(st, ended, status);
	assert_string_equal(status, "ended");

	int64_t warn = issue(st, record_of(st, "张三"), "警示", &removed);
	effect = STORE_REVOKE_RESTORED;
	assert_int_equal(sanction_revoke_in_tx(st, &actor, warn, NULL, NOW, NULL, &effect), 0);
	assert_int_equal(effect, STORE_REVOKE_PLAIN);
}

static void test_removal_failure_rolls_back(void **state)
{
	struct store *st = st_of(state);
	int64_t rec = record_of(st, "张三");
	struct store_sanction_new n = {
		.appointment_id = rec, .kind = "除名", .ground = "违法违规", .issued_on = TODAY,
		.now = NOW,
	};
	int64_t id;
	bool removed = true;
	char status[16];

	int64_t sanctions = query_int(st, "SELECT count(*) FROM sanctions", 0);
	int64_t audits = query_int(st, "SELECT count(*) FROM audit_log", 0);
	/* The status change fails after the sanction row is written. */
	assert_int_equal(store_exec(st,
		"CREATE TRIGGER test_no_removal BEFORE UPDATE OF status ON appointments"
		" BEGIN SELECT RAISE(ABORT, 'test'); END", "test"), 0);
	assert_true(sanction_issue_in_tx(st, &actor, &n, &id, &removed) < 0);
	assert_false(removed);
	assert_int_equal(query_int(st, "SELECT count(*) FROM sanctions", 0), sanctions);
	assert_int_equal(query_int(st, "SELECT count(*) FROM audit_log", 0), audits);
	status_of(st, rec, status);
	assert_string_equal(status, "active");
}

static void test_honours(void **state)
{
	struct store *st = st_of(state);
	int64_t rec = record_of(st, "王五"), id;
	struct store_honour list[2];
	size_t n, total;

	int64_t audits = audit_rows(st, rec);
	assert_int_equal(honour_add_in_tx(st, &actor, rec, "质量专家人才库", 2026, NOW, &id), 0);
	assert_int_equal(audit_rows(st, rec), audits + 1);
	assert_int_equal(honour_add_in_tx(st, &actor, rec, "质量专家人才库", 2026, NOW, &id), -EEXIST);
	assert_int_equal(honour_add_in_tx(st, &actor, 9999, "质量专家人才库", 2026, NOW, &id),
	                 -ENOENT);
	assert_int_equal(honour_add_in_tx(st, &actor, rec, "太早", 1900, NOW, &id), -EINVAL);
	assert_int_equal(audit_rows(st, rec), audits + 1);

	/* Newest year first; the demo has one from last year. */
	assert_int_equal(store_honour_list(st, person_of(st, rec), list, 1, &n, &total), 0);
	assert_int_equal(n, 1);
	assert_int_equal(total, 2);
	assert_string_equal(list[0].name, "质量专家人才库");
	assert_int_equal(list[0].year, 2026);
	assert_int_equal(store_honour_list(st, person_of(st, record_of(st, "张三")), list, 2, &n,
	                                   &total), 0);
	assert_int_equal(total, 0);
}

static void test_mine_record(void **state)
{
	struct store *st = st_of(state);
	int64_t id;
	bool removed;

	int64_t rec = record_of(st, "张三");
	assert_int_equal(store_mine_record(st, person_of(st, rec), &id), 0);
	assert_int_equal(id, rec);
	/* 孙八's only record has ended: still found. */
	int64_t ended = record_of(st, "孙八");
	assert_int_equal(store_mine_record(st, person_of(st, ended), &id), 0);
	assert_int_equal(id, ended);
	assert_int_equal(store_mine_record(st, 9999, &id), -ENOENT);
	/* An older active record wins over a newer ended one... */
	assert_int_equal(store_exec(st,
		"INSERT INTO appointments (enterprise_id, person_id, start_date, term_end, status,"
		" ended_on, filed_at, updated_at)"
		" VALUES (6, 1, '2026-01-01', '2028-12-31', 'ended', '2026-03-01', 0, 0)", "test"), 0);
	int64_t newer = record_of(st, "张三");
	assert_true(newer > rec);
	assert_int_equal(store_mine_record(st, person_of(st, rec), &id), 0);
	assert_int_equal(id, rec);
	/* ...and without an active one the newest is the answer. */
	issue(st, rec, "除名", &removed);
	assert_int_equal(store_mine_record(st, person_of(st, rec), &id), 0);
	assert_int_equal(id, newer);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_training_add_and_hours, setup, teardown),
		cmocka_unit_test_setup_teardown(test_training_errors_change_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_training_first_appointment, setup, teardown),
		cmocka_unit_test_setup_teardown(test_warning_keeps_status, setup, teardown),
		cmocka_unit_test_setup_teardown(test_summons_keeps_time_and_place, setup, teardown),
		cmocka_unit_test_setup_teardown(test_removal_and_revoke_restores, setup, teardown),
		cmocka_unit_test_setup_teardown(test_revoke_with_other_removal_open, setup, teardown),
		cmocka_unit_test_setup_teardown(test_revoke_after_successor, setup, teardown),
		cmocka_unit_test_setup_teardown(test_non_removal_revoke_and_ended_record, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_removal_failure_rolls_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_honours, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mine_record, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
