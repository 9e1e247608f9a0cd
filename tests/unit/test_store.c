/* The store: open, migrations, pragmas, audit log, inbound dedupe, regions,
 * identities, transactions. Run from the repository root (reads data/). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../lib/clock.h"
#include "../../messages/platforms.h"
#include "../../store/store.h"
#include "../../store/store_card.h"
#include "../../store/store_card_track.h"
#include "../../store/store_import.h"
#include "../../store/store_outbox.h"
#include "../../store/store_policy.h"
#include "../../store/store_pool.h"
#include "../../store/store_remind.h"
#include "../../store/store_internal.h"
#include "store_fresh.h"

#define REGIONS_CSV "data/regions.csv"

struct fixture {
	char dir[64];
	char path[96];
	struct store *st;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	assert_non_null(f);
	snprintf(f->dir, sizeof f->dir, "/tmp/cqod-test-store-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/cqod.db", f->dir);
	*state = f;
	return 0;
}

/* Removes the database, its WAL files and any file a test wrote. */
static int teardown(void **state)
{
	static const char *const names[] = {"cqod.db", "cqod.db-wal", "cqod.db-shm", "bad.csv",
	                                    "quoted.csv"};
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

static struct store *open_fresh(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(store_fresh_open(f->path, &f->st), 0);
	return f->st;
}

/* One integer from a parameterless query on the store's own connection. */
static int64_t query_int(struct store *st, const char *sql)
{
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(st->db, sql, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	int64_t v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* One text from a parameterless query into buf; 0 when it returned a row. */
static int query_text(struct store *st, const char *sql, char *buf, size_t len)
{
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(st->db, sql, -1, &s, NULL), SQLITE_OK);
	int rc = sqlite3_step(s) == SQLITE_ROW ? 0 : -1;
	snprintf(buf, len, "%s", rc == 0 ? (const char *)sqlite3_column_text(s, 0) : "");
	sqlite3_finalize(s);
	return rc;
}

/* The plan SQLite would run sql with, its steps joined by ';' into buf
 * (cut to fit). */
static void query_plan(struct store *st, const char *sql, char *buf, size_t len)
{
	sqlite3_stmt *s;
	size_t used = 0;

	buf[0] = '\0';
	assert_int_equal(sqlite3_prepare_v2(st->db, sql, -1, &s, NULL), SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW && used < len - 1) {
		int n = snprintf(buf + used, len - used, "%s;", (const char *)sqlite3_column_text(s, 3));
		used = n < 0 ? len : used + (size_t)n;
	}
	sqlite3_finalize(s);
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

static int exec(struct store *st, const char *sql)
{
	return sqlite3_exec(st->db, sql, NULL, NULL, NULL);
}

static bool has_object(struct store *st, const char *type, const char *name)
{
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(st->db,
		"SELECT 1 FROM sqlite_schema WHERE type = ?1 AND name = ?2", -1, &s, NULL), SQLITE_OK);
	sqlite3_bind_text(s, 1, type, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
	bool found = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_finalize(s);
	return found;
}

static void test_fresh_open(void **state)
{
	static const char *const tables[] = {
		"regions", "enterprises", "enterprise_tags", "people", "appointments", "trainings",
		"sanctions", "honours", "policies", "targets", "alliances", "alliance_members",
		"events", "signups", "identities", "bind_codes", "subscriptions", "confirmations",
		"audit_log", "access_log", "inbound", "outbox", "reminder_ledger", "reminder_mutes",
		"calendar", "appointment_terms",
	};
	struct store *st = open_fresh(state);
	assert_true(store_migrations_count() >= 2);
	assert_int_equal(store_schema_version(st), store_migrations_count());
	for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
		if (!has_object(st, "table", tables[i]))
			fail_msg("missing table %s", tables[i]);
	}
	assert_true(has_object(st, "index", "appointments_one_active"));
	assert_true(has_object(st, "index", "people_name"));
	assert_true(has_object(st, "index", "enterprises_region"));
	assert_true(has_object(st, "view", "active_appointments"));
	assert_null(store_migration_sql(0));
	assert_null(store_migration_sql(store_migrations_count() + 1));
}

static void test_upgrade(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(store_open_at_version(f->path, 1, &f->st), 0);
	assert_int_equal(store_schema_version(f->st), 1);
	assert_false(has_object(f->st, "view", "active_appointments"));
	assert_int_equal(exec(f->st,
		"INSERT INTO regions VALUES ('37', '山东省', NULL, 1), ('3713', '临沂市', '37', 2),"
		" ('371302', '兰山区', '3713', 3);"
		"INSERT INTO enterprises (credit_code, name, region_code, created_at, updated_at)"
		" VALUES ('91371302DEM0000013', '示例升级有限公司', '371302', 1, 1);"
		"INSERT INTO people (name, created_at, updated_at) VALUES ('张三', 1, 1);"
		"INSERT INTO appointments (enterprise_id, person_id, start_date, term_end, filed_at,"
		" updated_at) VALUES (1, 1, '2025-01-01', '2027-12-31', 1, 1);"), SQLITE_OK);
	store_close(f->st);
	f->st = NULL;

	assert_int_equal(store_open(f->path, &f->st), 0);
	assert_int_equal(store_schema_version(f->st), store_migrations_count());
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM regions"), 3);
	assert_int_equal(query_int(f->st,
		"SELECT count(*) FROM active_appointments WHERE person_name = '张三'"
		" AND enterprise_name = '示例升级有限公司' AND region_code = '371302'"), 1);
}

/* Schema 13 keys identities by (platform, tenant, user): a database made at
 * schema 12 keeps its identities, each with the tenant SQL can tell or
 * pending on the instance it came through. */
static void test_upgrade_identities_to_tenants(void **state)
{
	struct fixture *f = *state;
	struct store_identity got;

	assert_int_equal(store_open_at_version(f->path, 12, &f->st), 0);
	assert_int_equal(exec(f->st,
		"INSERT INTO regions VALUES ('37', '山东省', NULL, 1), ('3713', '临沂市', '37', 2);"
		"INSERT INTO identities (platform, user_id, role, scope_region, created_at,"
		" updated_at, instance) VALUES"
		" ('generic', 'u-ci', 'admin', NULL, 1, 1, 'ci'),"
		" ('generic', 'u-old', 'clerk', '3713', 1, 1, NULL),"
		" ('wecom', 'ZhangWei', 'admin', NULL, 1, 1, 'office'),"
		" ('wecom', 'LiNa', 'clerk', '3713', 1, 1, NULL),"
		" ('console', 'boss', 'admin', NULL, 1, 1, NULL);"
		"INSERT INTO confirmations VALUES ('123456', 'wecom', 'ZhangWei', '除名 2 x', NULL, 9e9);"
		"INSERT INTO audit_log (at, actor_platform, actor_user, command) VALUES"
		" (1, 'wecom', 'ZhangWei', '授权');"), SQLITE_OK);
	store_close(f->st);
	f->st = NULL;

	assert_int_equal(store_open(f->path, &f->st), 0);
	assert_int_equal(store_schema_version(f->st), store_migrations_count());
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM identities"), 5);
	/* Filled where SQL can tell: the generic instance, the console. */
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM identities WHERE"
	                                  " (user_id = 'u-ci' AND tenant = 'ci')"
	                                  " OR (user_id = 'boss' AND tenant = 'console')"), 2);
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM identities WHERE tenant IS NULL"), 3);
	/* Pending: found through the instance it came from, with the tenant of
	 * the message, and through no other instance. */
	const struct store_identity_key office_a = {"wecom", "corp-a", "ZhangWei", "office"};
	const struct store_identity_key branch_b = {"wecom", "corp-b", "ZhangWei", "branch"};
	assert_int_equal(store_identity_get(f->st, &office_a, &got), 0);
	assert_string_equal(got.role, "admin");
	assert_string_equal(got.tenant, "");
	assert_int_equal(store_identity_get(f->st, &branch_b, &got), -ENOENT);
	const struct store_identity_key ci = {"generic", "ci", "u-ci", "ci"};
	const struct store_identity_key ci2 = {"generic", "ci2", "u-ci", "ci2"};
	assert_int_equal(store_identity_get(f->st, &ci, &got), 0);
	assert_string_equal(got.tenant, "ci");
	assert_int_equal(store_identity_get(f->st, &ci2, &got), -ENOENT);
	/* Pending confirmations are dropped; old audit rows name no tenant. */
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM confirmations"), 0);
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM audit_log"
	                                  " WHERE actor_tenant IS NULL"), 1);

	/* At start the daemon settles what the configuration tells: the first
	 * wecom instance takes the rows that name none, a corp id its rows. */
	begin(f->st);
	int settled = -1;
	assert_int_equal(store_identity_settle(f->st, "wecom", "office", "corp-a", true,
	                                       &settled), 0);
	assert_int_equal(settled, 2);
	assert_int_equal(store_identity_settle(f->st, "generic", "ci", "ci", true, &settled), 0);
	assert_int_equal(settled, 1);
	commit(f->st);
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM identities WHERE tenant IS NULL"), 0);
	const struct store_identity_key li_a = {"wecom", "corp-a", "LiNa", "office"};
	const struct store_identity_key li_b = {"wecom", "corp-b", "LiNa", "office"};
	assert_int_equal(store_identity_get(f->st, &li_a, &got), 0);
	assert_string_equal(got.tenant, "corp-a");
	assert_string_equal(got.instance, "office");
	/* Settled, the row answers to its corp only, whatever the instance. */
	assert_int_equal(store_identity_get(f->st, &li_b, &got), -ENOENT);
}

/* Schema 15 states the annual hours per jurisdiction: rows made at schema
 * 13 keep their hours and rules; Shaanxi's count 线上自学 only, others
 * continuing education; a reminder month set by hand becomes its first day
 * (as it was shown), the default month the days really sent. */
static void test_upgrade_policies_training_hours(void **state)
{
	struct fixture *f = *state;
	struct store_policy p;

	assert_int_equal(store_open_at_version(f->path, 13, &f->st), 0);
	assert_int_equal(exec(f->st,
		"INSERT INTO regions VALUES ('37', '山东省', NULL, 1), ('61', '陕西省', NULL, 1),"
		" ('6101', '西安市', '61', 2), ('32', '江苏省', NULL, 1);"
		"INSERT INTO policies (region_code, term_months, annual_hours, min_education,"
		" eligibility_mode, remind_training_month) VALUES"
		" ('37', 36, 30, '大专', 'all', 10), ('61', 36, 30, '本科', 'any', 10),"
		" ('6101', 24, 40, NULL, 'all', 6), ('32', 36, 0, NULL, 'all', 10);"), SQLITE_OK);
	store_close(f->st);
	f->st = NULL;

	assert_int_equal(store_open(f->path, &f->st), 0);
	assert_int_equal(store_schema_version(f->st), store_migrations_count());
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM policies"), 4);
	assert_int_equal(store_policy_for_region(f->st, "371302", &p), 0);
	assert_true(p.annual_hours == 30 && p.term_months == 36 && !p.hours_prorate);
	assert_string_equal(p.min_education, "大专");
	assert_string_equal(p.hours_kinds, "继续教育,线上自学");
	assert_string_equal(p.hours_remind, "09-01,11-01,12-01");
	assert_int_equal(store_policy_for_region(f->st, "610201", &p), 0);
	assert_true(p.annual_hours == 30 && p.eligibility_any);
	assert_string_equal(p.hours_kinds, "线上自学");
	assert_int_equal(store_policy_for_region(f->st, "610112", &p), 0);
	assert_true(p.annual_hours == 40 && p.term_months == 24);
	assert_string_equal(p.region_code, "6101");
	assert_string_equal(p.hours_kinds, "线上自学");
	assert_string_equal(p.hours_remind, "06-01");
	assert_int_equal(store_policy_for_region(f->st, "320602", &p), 0);
	assert_true(p.annual_hours == 0);
	/* A region without a row no longer gets 30 hours. */
	assert_int_equal(store_policy_for_region(f->st, "110101", &p), 0);
	assert_true(p.annual_hours == 0 && p.region_code[0] == '\0');
}

/* Schema 16 states the post and the disqualifications per jurisdiction:
 * rows made at schema 15 keep every rule they had; Shaanxi's, Nantong's
 * and Xiangshan's get their seed's post rule, Nantong's its art. 6
 * checklist, others none. */
static void test_upgrade_policies_positions(void **state)
{
	struct fixture *f = *state;
	struct store_policy p;

	assert_int_equal(store_open_at_version(f->path, 15, &f->st), 0);
	assert_int_equal(exec(f->st,
		"INSERT INTO regions VALUES ('37', '山东省', NULL, 1), ('61', '陕西省', NULL, 1),"
		" ('6101', '西安市', '61', 2), ('32', '江苏省', NULL, 1), ('3206', '南通市', '32', 2),"
		" ('34', '安徽省', NULL, 1), ('3406', '淮北市', '34', 2),"
		" ('340603', '相山区', '3406', 3);"
		"INSERT INTO policies (region_code, term_months, annual_hours, min_education, min_title,"
		" eligibility_mode, hours_kinds) VALUES"
		" ('37', 36, 30, '大专', NULL, 'all', '继续教育,线上自学'),"
		" ('61', 36, 30, '本科', '中级', 'any', '线上自学'),"
		" ('6101', 24, 40, NULL, NULL, 'all', '线上自学'),"
		" ('3206', 36, 0, '大专', '中级', 'any', '继续教育'),"
		" ('340603', 36, 0, NULL, NULL, 'all', '继续教育');"), SQLITE_OK);
	store_close(f->st);
	f->st = NULL;

	assert_int_equal(store_open(f->path, &f->st), 0);
	assert_int_equal(store_schema_version(f->st), store_migrations_count());
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM policies"), 5);
	assert_int_equal(store_policy_for_region(f->st, "371302", &p), 0);
	assert_true(p.annual_hours == 30 && p.term_months == 36 && !p.eligibility_any);
	assert_string_equal(p.min_education, "大专");
	assert_string_equal(p.positions, "");
	assert_string_equal(p.disqualifications, "");
	assert_int_equal(store_policy_for_region(f->st, "610201", &p), 0);
	assert_true(p.annual_hours == 30 && p.eligibility_any && p.positions_small_exempt);
	assert_string_equal(p.min_title, "中级");
	assert_string_equal(p.hours_kinds, "线上自学");
	assert_string_equal(p.positions, "主要负责人,高层副职");
	assert_int_equal(store_policy_for_region(f->st, "610112", &p), 0);
	assert_true(p.annual_hours == 40 && p.term_months == 24 && p.positions_small_exempt);
	assert_string_equal(p.region_code, "6101");
	assert_string_equal(p.positions, "主要负责人,高层副职");
	assert_int_equal(store_policy_for_region(f->st, "320602", &p), 0);
	assert_true(p.eligibility_any && !p.positions_small_exempt);
	assert_string_equal(p.min_education, "大专");
	assert_string_equal(p.positions, "高层副职,质量部门负责人");
	assert_string_equal(p.disqualifications,
	                    "违反法律法规，在质量岗位工作中造成重大失误或者受刑事处罚|"
	                    "利用履行职责之便谋取不正当利益|滥用职权，干预企业正常经营秩序|"
	                    "泄露企业秘密或者合作伙伴信息等违反职业道德和社会信用的行为|"
	                    "其他损害合作伙伴和企业合法权益的行为");
	assert_int_equal(store_policy_for_region(f->st, "340603", &p), 0);
	assert_string_equal(p.positions, "主要负责人,高层副职");
	assert_string_equal(p.disqualifications, "");
	/* Written back whole, the new rules survive a round trip. */
	snprintf(p.positions, sizeof p.positions, "质量部门负责人");
	assert_int_equal(store_policy_set(f->st, &p), 0);
	assert_int_equal(store_policy_for_region(f->st, "340603", &p), 0);
	assert_string_equal(p.positions, "质量部门负责人");
}

/* Schema 17 adds the 人才库: a database at schema 16 keeps its people,
 * records and trainings as they were, and its former CQO with a 任职培训
 * is in the pool by their records; the one in office and the untrained are
 * not. */
static void test_upgrade_talent_pool(void **state)
{
	struct fixture *f = *state;
	struct store_pool_person p[4];
	size_t n, total;
	const char *rows = "SELECT (SELECT group_concat(id || name, ',') FROM people) || ';' ||"
	                   " (SELECT group_concat(id || status, ',') FROM appointments) || ';' ||"
	                   " (SELECT group_concat(person_id || kind || date, ',') FROM trainings)";

	assert_int_equal(store_open_at_version(f->path, 16, &f->st), 0);
	assert_int_equal(exec(f->st,
		"INSERT INTO regions VALUES ('37', '山东省', NULL, 1), ('3713', '临沂市', '37', 2),"
		" ('371302', '兰山区', '3713', 3);"
		"INSERT INTO enterprises (credit_code, name, region_code, created_at, updated_at)"
		" VALUES ('91371302DEM0000013', '示例升级有限公司', '371302', 1, 1);"
		"INSERT INTO people (name, phone, created_at, updated_at) VALUES"
		" ('张三', '13800000001', 1, 1), ('孙八', '13800000006', 1, 1),"
		" ('周九', '13800000009', 1, 1);"
		"INSERT INTO appointments (enterprise_id, person_id, doc_no, start_date, term_end,"
		" status, ended_on, end_reason, filed_at, updated_at) VALUES"
		" (1, 2, '旧聘〔2020〕1号', '2020-01-01', '2022-12-31', 'ended', '2022-12-31', '更换',"
		"  100, 100),"
		" (1, 3, '旧聘〔2019〕1号', '2019-01-01', '2019-12-31', 'ended', '2019-12-31', '更换',"
		"  90, 90),"
		" (1, 1, NULL, '2023-01-01', '2025-12-31', 'active', NULL, NULL, 200, 300);"
		"INSERT INTO trainings (appointment_id, person_id, kind, date, hours, certificate_no,"
		" created_at) VALUES (1, 2, '任职培训', '2019-10-01', 16, 'C-1', 1),"
		" (3, 1, '任职培训', '2022-10-01', 16, 'C-2', 1),"
		" (2, 3, '继续教育', '2019-06-01', 8, NULL, 1);"), SQLITE_OK);
	char before[512], after[512];
	assert_int_equal(query_text(f->st, rows, before, sizeof before), 0);
	store_close(f->st);
	f->st = NULL;

	assert_int_equal(store_open(f->path, &f->st), 0);
	assert_int_equal(store_schema_version(f->st), store_migrations_count());
	assert_int_equal(query_text(f->st, rows, after, sizeof after), 0);
	assert_string_equal(after, before);
	assert_int_equal(store_pool_list(f->st, "37", 0, NULL, 0, p, 4, &n, &total), 0);
	assert_int_equal(n, 1);
	assert_int_equal(total, 1);
	assert_int_equal(p[0].person_id, 2);
	assert_string_equal(p[0].name, "孙八");
	assert_string_equal(p[0].region_code, "371302");
	assert_string_equal(p[0].enterprise, "示例升级有限公司");
	assert_string_equal(p[0].trained_on, "2019-10-01");
	assert_string_equal(p[0].certificate_no, "C-1");
	assert_int_equal(p[0].last_record, 1);
	assert_int_equal(store_pool_list(f->st, "61", 0, NULL, 0, p, 4, &n, &total), 0);
	assert_int_equal(total, 0);
}

/* Schema 21 gives the outbox files: the rows of a database at schema 20
 * keep every column and are messages, without an upload; the claim reads
 * them as before. A file row then claims as a file, and its upload is kept
 * for the next attempt and forgotten on request. */
static void test_upgrade_outbox_files(void **state)
{
	struct fixture *f = *state;
	struct store_outbox_row row;
	const char *rows = "SELECT group_concat(id || idem_key || destination || payload || state ||"
	                   " attempts || coalesce(last_error, '-') || not_before, ';')"
	                   " FROM (SELECT * FROM outbox ORDER BY id)";
	char before[1024], after[1024];

	assert_int_equal(platforms_register(), 0);
	assert_int_equal(store_open_at_version(f->path, 20, &f->st), 0);
	assert_int_equal(exec(f->st,
		"INSERT INTO outbox (idem_key, platform, instance, destination, chat_kind, payload,"
		" not_before, state, attempts, last_error, created_at, updated_at, sent_at)"
		" VALUES ('remind:1#1', 'wecom', 'office', 'wecom|office|user|0|zs', 'private',"
		"  '{\"msgtype\":\"text\"}', 100, 'pending', 2, 'wecom system busy', 50, 60, 55),"
		" ('remind:2#1', 'feishu', 'app', 'feishu|app|chat|0|oc_1', 'group', '{}', 90,"
		"  'sent', 0, NULL, 40, 45, 45);"), SQLITE_OK);
	assert_int_equal(query_text(f->st, rows, before, sizeof before), 0);
	store_close(f->st);
	f->st = NULL;

	assert_int_equal(store_open(f->path, &f->st), 0);
	assert_int_equal(store_schema_version(f->st), store_migrations_count());
	assert_int_equal(query_text(f->st, rows, after, sizeof after), 0);
	assert_string_equal(after, before);
	assert_int_equal(query_text(f->st, "SELECT group_concat(kind || coalesce(media_id, '-') ||"
	                                   " coalesce(media_at, '-'), ';') FROM outbox",
	                            after, sizeof after), 0);
	assert_string_equal(after, "message--;message--");
	begin(f->st);
	assert_int_equal(store_outbox_claim(f->st, 1, 200, &row), 0);
	assert_false(row.is_file);
	assert_string_equal(row.payload, "{\"msgtype\":\"text\"}");
	assert_string_equal(row.media_id, "");
	free(row.payload);
	assert_int_equal(store_outbox_set_media(f->st, 1, "m-1", 200), -ENOENT);

	struct dest d;
	int64_t id = 0;
	assert_int_equal(dest_parse("feishu|app|chat|0|oc_2", &d), 0);
	assert_int_equal(store_outbox_enqueue_file(f->st, &d, "{\"what\":\"stats\"}", "export:1",
	                                           7, &id), 0);
	assert_int_equal(store_outbox_enqueue_file(f->st, &d, "{\"what\":\"stats\"}", "export:1",
	                                           7, NULL), -EEXIST);
	assert_int_equal(store_outbox_claim(f->st, id, 300, &row), 0);
	assert_true(row.is_file);
	assert_string_equal(row.payload, "{\"what\":\"stats\"}");
	assert_int_equal(row.request_id, 7);
	free(row.payload);
	assert_int_equal(store_outbox_set_media(f->st, id, "file_v2_abc", 301), 0);
	assert_int_equal(store_outbox_settle(f->st, id, OUTBOX_RETRY, 302, "send failed", 301), 0);
	assert_int_equal(store_outbox_claim(f->st, id, 400, &row), 0);
	assert_string_equal(row.media_id, "file_v2_abc");
	assert_int_equal(row.media_at, 301);
	free(row.payload);
	assert_int_equal(store_outbox_set_media(f->st, id, NULL, 0), 0);
	assert_int_equal(store_outbox_settle(f->st, id, OUTBOX_RETRY, 402, "media expired", 401), 0);
	assert_int_equal(store_outbox_claim(f->st, id, 500, &row), 0);
	assert_string_equal(row.media_id, "");
	free(row.payload);
	commit(f->st);
}

/* Schema 19 dates enterprise categories (an annual list such as 规上): the
 * tags of a database at schema 18 survive as undated ones (every year), and
 * one enterprise may then be on the lists of several years. */
static void test_upgrade_tags_by_year(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(store_open_at_version(f->path, 18, &f->st), 0);
	assert_int_equal(exec(f->st,
		"INSERT INTO regions VALUES ('37', '山东省', NULL, 1), ('3713', '临沂市', '37', 2),"
		" ('371302', '兰山区', '3713', 3);"
		"INSERT INTO enterprises (credit_code, name, region_code, created_at, updated_at)"
		" VALUES ('91371302DEM0000013', '甲', '371302', 1, 1),"
		" ('91371302DEM0000021', '乙', '371302', 1, 1);"
		"INSERT INTO enterprise_tags (enterprise_id, tag) VALUES (1, '规上'), (1, '链主'),"
		" (2, '食品');"), SQLITE_OK);
	store_close(f->st);
	f->st = NULL;

	assert_int_equal(store_open(f->path, &f->st), 0);
	assert_int_equal(store_schema_version(f->st), store_migrations_count());
	const char *tags = "SELECT group_concat(r, ';') FROM (SELECT enterprise_id || '|' || tag"
	                   " || '|' || year AS r FROM enterprise_tags ORDER BY 1)";
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(f->st->db, tags, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(s, 0),
	                    "1|规上|0;1|链主|0;2|食品|0");
	sqlite3_finalize(s);
	begin(f->st);
	assert_int_equal(exec(f->st, "INSERT INTO enterprise_tags (enterprise_id, tag, year)"
	                             " VALUES (1, '规上', 2025), (1, '规上', 2026);"), SQLITE_OK);
	assert_int_not_equal(exec(f->st, "INSERT INTO enterprise_tags (enterprise_id, tag, year)"
	                                 " VALUES (2, '规上', 1999);"), SQLITE_OK);
	commit(f->st);
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM enterprise_tags"), 5);
}

/* Schema 25 keeps inbound ids in a rowid table: the ids and answers of a
 * database at schema 24 are kept, a retry of one is still a duplicate, and
 * the open sanctions of a card come in order from the index, unsorted. */
static void test_upgrade_inbound_rows(void **state)
{
	struct fixture *f = *state;
	char *answer = NULL;
	char plan[512] = "";

	assert_int_equal(store_open_at_version(f->path, 24, &f->st), 0);
	assert_int_equal(exec(f->st,
		"INSERT INTO inbound (platform, msg_id, received_at, answer) VALUES"
		" ('generic:ci', 'm-2', 20, '{\"text\":\"二\"}'), ('wecom', 'm-1', 10, NULL);"),
		SQLITE_OK);
	store_close(f->st);
	f->st = NULL;

	assert_int_equal(store_open(f->path, &f->st), 0);
	assert_int_equal(store_schema_version(f->st), store_migrations_count());
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM inbound"), 2);
	/* A rowid table, oldest first. */
	assert_int_equal(query_int(f->st, "SELECT rowid FROM inbound WHERE msg_id = 'm-1'"), 1);
	assert_int_equal(store_inbound_answer(f->st, "generic:ci", "m-2", &answer), 0);
	assert_string_equal(answer, "{\"text\":\"二\"}");
	free(answer);
	begin(f->st);
	assert_int_equal(store_inbound_record(f->st, "generic:ci", "m-2", 30), -EEXIST);
	assert_int_equal(store_inbound_record(f->st, "wecom", "m-2", 30), 0);
	assert_int_equal(store_inbound_set_answer(f->st, "wecom", "m-2", "{}"), 0);
	commit(f->st);
	assert_int_equal(store_inbound_answer(f->st, "wecom", "m-2", &answer), 0);
	assert_string_equal(answer, "{}");
	free(answer);

	query_plan(f->st,
		"EXPLAIN QUERY PLAN SELECT id, kind, issued_on, reason FROM sanctions"
		" WHERE appointment_id = 1 AND status = 'open'"
		" ORDER BY issued_on DESC, id DESC LIMIT 8",
		plan, sizeof plan);
	assert_null(strstr(plan, "TEMP B-TREE"));
}

/* Schema 20 adds targets other than the appointment rate: the rates of a
 * database at schema 19 stay as they were, now of the metric 'rate'; a
 * number of filings is a count, never a share. */
static void test_upgrade_target_metrics(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(store_open_at_version(f->path, 19, &f->st), 0);
	assert_int_equal(exec(f->st,
		"INSERT INTO regions VALUES ('37', '山东省', NULL, 1), ('3713', '临沂市', '37', 2);"
		"INSERT INTO targets (region_code, category, year, rate) VALUES"
		" ('37', '规上', 2025, 0.1), ('3713', '链主', 2025, 0.6);"), SQLITE_OK);
	store_close(f->st);
	f->st = NULL;

	assert_int_equal(store_open(f->path, &f->st), 0);
	assert_int_equal(store_schema_version(f->st), store_migrations_count());
	const char *targets = "SELECT group_concat(r, ';') FROM (SELECT region_code || '|' ||"
	                      " category || '|' || year || '|' || metric || '|' || rate || '|' ||"
	                      " coalesce(count, '-') AS r FROM targets ORDER BY 1)";
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(f->st->db, targets, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(s, 0),
	                    "3713|链主|2025|rate|0.6|-;37|规上|2025|rate|0.1|-");
	sqlite3_finalize(s);
	begin(f->st);
	assert_int_equal(exec(f->st, "INSERT INTO targets (region_code, category, year, metric,"
	                             " count) VALUES ('3713', '规上', 2025, 'new_filings', 500);"
	                             "INSERT INTO targets (region_code, category, year, metric,"
	                             " rate) VALUES ('3713', '规上', 2025, 'trained', 1);"),
	                 SQLITE_OK);
	assert_int_not_equal(exec(f->st, "INSERT INTO targets (region_code, category, year,"
	                                 " metric, rate) VALUES ('37', '规上', 2026,"
	                                 " 'new_filings', 0.5);"), SQLITE_OK);
	commit(f->st);
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM targets"), 4);
}

/* Schema 26 keeps what the buttons of DingTalk's interactive cards stand
 * for: a database at schema 25 keeps its cards and outbox rows as they
 * were; a card's outbox rows then bring its buttons, a newer face replaces
 * them, and a press finds only a button its card shows. */
static void test_upgrade_card_tracks(void **state)
{
	struct fixture *f = *state;
	const char *rows = "SELECT group_concat(id || idem_key || destination || payload || state ||"
	                   " attempts || not_before || kind, ';') FROM (SELECT * FROM outbox"
	                   " ORDER BY id)";
	const char *cards = "SELECT group_concat(event_id || platform || instance || handle ||"
	                    " outbox_id || version || created_at) FROM sent_cards";
	char before[1024], after[1024], cards_before[256], cards_after[256], cmd[64];
	char *bodies[] = {"{\"outTrackId\":\"cqodt1\"}"};
	struct card_track t = {.id = "cqodt1", .commands = {"确认 123456", "取消"}, .n = 2};
	struct rendered parts = {.bodies = bodies, .n = 1, .track = &t};
	struct dest d = {.platform = "dingtalk", .instance = "d1", .kind = DEST_USER,
	                 .target = "manager4220"};
	int64_t ids[1];
	bool shared = true;

	assert_int_equal(platforms_register(), 0);
	assert_int_equal(store_open_at_version(f->path, 25, &f->st), 0);
	assert_int_equal(exec(f->st,
		"INSERT INTO alliances (id, name, created_at) VALUES (1, '示例联盟', 1);"
		"INSERT INTO events (id, alliance_id, kind, title, starts_at, capacity, status,"
		" created_at, updated_at) VALUES (1, 1, '沙龙', '质量沙龙', 2000, 3, 'published', 1, 1);"
		"INSERT INTO outbox (idem_key, platform, instance, destination, chat_kind, payload,"
		" not_before, state, created_at, updated_at, sent_at) VALUES"
		" ('event:1:publish:g1#1', 'feishu', 'app', 'feishu|app|chat|0|oc_1', 'group', '{}',"
		"  10, 'sent', 10, 11, 11),"
		" ('remind:1#1', 'dingtalk', 'd1', 'dingtalk|d1|user|0|u5', 'private', '{}', 10,"
		"  'pending', 10, 10, NULL);"
		"INSERT INTO sent_cards (event_id, platform, instance, handle, outbox_id, version,"
		" created_at) VALUES (1, 'feishu', 'app', 'om_1', 1, 2, 11);"), SQLITE_OK);
	assert_int_equal(query_text(f->st, rows, before, sizeof before), 0);
	assert_int_equal(query_text(f->st, cards, cards_before, sizeof cards_before), 0);
	store_close(f->st);
	f->st = NULL;

	assert_int_equal(store_open(f->path, &f->st), 0);
	assert_int_equal(store_schema_version(f->st), store_migrations_count());
	assert_int_equal(query_text(f->st, rows, after, sizeof after), 0);
	assert_string_equal(after, before);
	assert_int_equal(query_text(f->st, cards, cards_after, sizeof cards_after), 0);
	assert_string_equal(cards_after, cards_before);
	assert_string_equal(cards_after, "1feishuappom_11211");
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM card_tracks"), 0);

	begin(f->st);
	assert_int_equal(store_outbox_enqueue_claimed(f->st, &d, &parts, "reply:dingtalk:d1:m1", 0,
	                                              ids), 0);
	assert_int_equal(store_card_track_command(f->st, "dingtalk", "d1", "cqodt1", 1, NULL, cmd,
	                                          sizeof cmd, &shared), 0);
	assert_string_equal(cmd, "确认 123456");
	assert_false(shared);
	assert_int_equal(store_card_track_command(f->st, "dingtalk", "d1", "cqodt1", 2, "取消", cmd,
	                                          sizeof cmd, &shared), 0);
	assert_string_equal(cmd, "取消");
	/* Another button's command, an empty slot, another card or instance. */
	assert_int_equal(store_card_track_command(f->st, "dingtalk", "d1", "cqodt1", 2,
	                                          "确认 123456", cmd, sizeof cmd, &shared), -ENOENT);
	assert_int_equal(store_card_track_command(f->st, "dingtalk", "d1", "cqodt1", 3, NULL, cmd,
	                                          sizeof cmd, &shared), -ENOENT);
	assert_int_equal(store_card_track_command(f->st, "dingtalk", "d1", "cqodt2", 1, NULL, cmd,
	                                          sizeof cmd, &shared), -ENOENT);
	assert_int_equal(store_card_track_command(f->st, "dingtalk", "d2", "cqodt1", 1, NULL, cmd,
	                                          sizeof cmd, &shared), -ENOENT);
	assert_int_equal(store_card_track_command(f->st, "dingtalk", "d1", "cqodt1", 1, NULL, cmd,
	                                          4, &shared), -ENOSPC);
	/* A second enqueue of the message changes nothing; a new face of the
	 * card (everyone's, one button) replaces its buttons. */
	t.commands[0] = "改";
	assert_int_equal(store_outbox_enqueue_claimed(f->st, &d, &parts, "reply:dingtalk:d1:m1", 0,
	                                              ids), -EEXIST);
	assert_int_equal(store_card_track_command(f->st, "dingtalk", "d1", "cqodt1", 1, NULL, cmd,
	                                          sizeof cmd, &shared), 0);
	assert_string_equal(cmd, "确认 123456");
	t.commands[0] = "报名 1";
	t.n = 1;
	t.shared = true;
	assert_int_equal(store_outbox_enqueue_claimed(f->st, &d, &parts, "card:9:1", 0, ids), 0);
	assert_int_equal(store_card_track_command(f->st, "dingtalk", "d1", "cqodt1", 1, "报名 1",
	                                          cmd, sizeof cmd, &shared), 0);
	assert_true(shared);
	assert_int_equal(store_card_track_command(f->st, "dingtalk", "d1", "cqodt1", 2, NULL, cmd,
	                                          sizeof cmd, &shared), -ENOENT);
	commit(f->st);
}

/* Schema 23 keeps the cards cqod sent for updates: a database at schema 22
 * keeps its events and outbox rows as they were; a row of an event's
 * announcement sent afterwards is kept as a card (other rows are not), and
 * an update to it is queued as one row, a newer one replacing one pending. */
static void test_upgrade_sent_cards(void **state)
{
	struct fixture *f = *state;
	struct reply r;
	const char *rows = "SELECT group_concat(id || idem_key || destination || payload || state ||"
	                   " attempts || not_before || kind, ';') FROM (SELECT * FROM outbox"
	                   " ORDER BY id)";
	const char *events = "SELECT group_concat(id || title || capacity || status, ';') FROM events";
	const char *cards = "SELECT group_concat(idem_key || '=' || destination || '=' || state, ';')"
	                    " FROM (SELECT * FROM outbox WHERE idem_key LIKE 'card:%' ORDER BY id)";
	char before[1024], after[1024], ev_before[256], ev_after[256];

	assert_int_equal(platforms_register(), 0);
	assert_int_equal(store_open_at_version(f->path, 22, &f->st), 0);
	assert_int_equal(exec(f->st,
		"INSERT INTO alliances (id, name, created_at) VALUES (1, '示例联盟', 1);"
		"INSERT INTO events (id, alliance_id, kind, title, starts_at, capacity, status,"
		" created_at, updated_at) VALUES (1, 1, '沙龙', '质量沙龙', 2000, 3, 'published', 1, 1);"
		"INSERT INTO outbox (idem_key, platform, instance, destination, chat_kind, payload,"
		" not_before, state, created_at, updated_at, sent_at) VALUES"
		" ('event:1:publish:g1#1', 'feishu', 'app', 'feishu|app|chat|0|oc_1', 'group', '{}',"
		"  10, 'sent', 10, 11, 11),"
		" ('event:1:promoted:4:5:u4:feishu:ou_4#1', 'feishu', 'app',"
		"  'feishu|app|user|0|ou_4', 'private', '{}', 10, 'sent', 10, 11, 11),"
		" ('remind:1#1', 'feishu', 'app', 'feishu|app|user|0|ou_5', 'private', '{}', 10,"
		"  'pending', 10, 10, NULL),"
		" ('event:1:update:3:g1#1', 'feishu', 'app', 'feishu|app|chat|0|oc_1', 'group', '{}',"
		"  10, 'sent', 10, 11, 11),"
		" ('event:1:update:3:g1#2', 'feishu', 'app', 'feishu|app|chat|0|oc_1', 'group', '{}',"
		"  10, 'sent', 10, 11, 11);"), SQLITE_OK);
	assert_int_equal(query_text(f->st, rows, before, sizeof before), 0);
	assert_int_equal(query_text(f->st, events, ev_before, sizeof ev_before), 0);
	store_close(f->st);
	f->st = NULL;

	assert_int_equal(store_open(f->path, &f->st), 0);
	assert_int_equal(store_schema_version(f->st), store_migrations_count());
	assert_int_equal(query_text(f->st, rows, after, sizeof after), 0);
	assert_string_equal(after, before);
	assert_int_equal(query_text(f->st, events, ev_after, sizeof ev_after), 0);
	assert_string_equal(ev_after, ev_before);
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM sent_cards"), 0);

	begin(f->st);
	assert_int_equal(store_card_sent(f->st, 1, "om_1", 100), 0);
	assert_int_equal(store_card_sent(f->st, 1, "om_1", 101), 0);
	assert_int_equal(store_card_sent(f->st, 2, "om_2", 100), 0);
	assert_int_equal(store_card_sent(f->st, 3, "om_3", 100), 0);
	assert_int_equal(store_card_sent(f->st, 1, "", 100), -EINVAL);
	/* A long announcement's parts: not one card, not kept. */
	assert_int_equal(store_card_sent(f->st, 4, "om_4", 100), 0);
	assert_int_equal(store_card_sent(f->st, 5, "om_5", 100), 0);
	assert_int_equal(query_text(f->st, "SELECT group_concat(event_id || platform || instance ||"
	                                   " handle || outbox_id || version || created_at)"
	                                   " FROM sent_cards", after, sizeof after), 0);
	assert_string_equal(after, "1feishuappom_110100");

	reply_init(&r);
	reply_set_title(&r, "沙龙：质量沙龙");
	reply_add_field(&r, "剩余名额", "2 人");
	reply_add_action(&r, "报名", "报名 1", REPLY_ACTION_PRIMARY);
	assert_int_equal(store_card_update(f->st, 1, &r, 7), 0);
	assert_int_equal(query_text(f->st, cards, after, sizeof after), 0);
	assert_string_equal(after, "card:1:1#1=feishu|app|card|0|om_1=pending");
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM outbox WHERE idem_key = 'card:1:1#1'"
	                                  " AND payload LIKE '{\"content\":%2 人%'"), 1);
	/* A newer face replaces the one still pending. */
	reply_free(&r);
	reply_init(&r);
	reply_set_title(&r, "沙龙：质量沙龙");
	reply_add_field(&r, "剩余名额", "1 人");
	reply_add_action(&r, "报名", "报名 1", REPLY_ACTION_PRIMARY);
	assert_int_equal(store_card_update(f->st, 1, &r, 8), 0);
	assert_int_equal(query_text(f->st, cards, after, sizeof after), 0);
	assert_string_equal(after, "card:1:2#1=feishu|app|card|0|om_1=pending");
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM outbox WHERE idem_key = 'card:1:2#1'"
	                                  " AND payload LIKE '%1 人%'"), 1);
	/* Another event has no cards. */
	assert_int_equal(store_card_update(f->st, 2, &r, 9), 0);
	commit(f->st);
	reply_free(&r);
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM outbox"), 6);
}

/* Schema 27 keeps what updates a WeCom card: a database at schema 26 keeps
 * its cards and outbox rows as they were (the new columns empty); a WeCom
 * announcement sent afterwards keeps its user, task_id and code; an update
 * takes the code along (held, not reusable), a newer update takes over the
 * held code and the moment it is due, a press's code is the freshest, and
 * with no unused code (or one past its 72 hours) nothing is queued. */
static void test_upgrade_wecom_card_codes(void **state)
{
	struct fixture *f = *state;
	struct reply r;
	char before[1024], after[1024], task_id[WECOM_TASK_ID_MAX];
	const char *kept = "SELECT group_concat(id || event_id || platform || instance || handle ||"
	                   " outbox_id || version || created_at, ';') FROM sent_cards";
	const char *wecom = "SELECT group_concat(idem_key || '=' || destination || '=' || state, ';')"
	                    " FROM (SELECT * FROM outbox WHERE destination LIKE 'wecom|w1|card|%'"
	                    " ORDER BY id)";
	const char *codes = "SELECT ifnull(response_code, '-') || '/' || ifnull(held_code, '-')"
	                    " FROM sent_cards WHERE platform = 'wecom'";
	int64_t now = clock_now(), due;

	assert_int_equal(platforms_register(), 0);
	assert_int_equal(store_open_at_version(f->path, 26, &f->st), 0);
	assert_int_equal(exec(f->st,
		"INSERT INTO alliances (id, name, created_at) VALUES (1, '示例联盟', 1);"
		"INSERT INTO events (id, alliance_id, kind, title, starts_at, capacity, status,"
		" created_at, updated_at) VALUES (1, 1, '沙龙', '质量沙龙', 2000, 3, 'published', 1, 1);"
		"INSERT INTO outbox (idem_key, platform, instance, destination, chat_kind, payload,"
		" not_before, state, created_at, updated_at, sent_at) VALUES"
		" ('event:1:publish:g1#1', 'feishu', 'app', 'feishu|app|chat|0|oc_1', 'group', '{}',"
		"  10, 'sent', 10, 11, 11),"
		" ('event:1:publish:p1:wecom:zhangsan#1', 'wecom', 'w1', 'wecom|w1|user|0|zhangsan',"
		"  'private', '{}', 10, 'sent', 10, 11, 11);"
		"INSERT INTO sent_cards (event_id, platform, instance, handle, outbox_id, version,"
		" created_at) VALUES (1, 'feishu', 'app', 'om_1', 1, 2, 11);"), SQLITE_OK);
	assert_int_equal(query_text(f->st, kept, before, sizeof before), 0);
	assert_string_equal(before, "11feishuappom_11211");
	store_close(f->st);
	f->st = NULL;

	assert_int_equal(store_open(f->path, &f->st), 0);
	assert_int_equal(store_schema_version(f->st), store_migrations_count());
	assert_int_equal(query_text(f->st, kept, after, sizeof after), 0);
	assert_string_equal(after, before);
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM sent_cards WHERE target IS NULL AND"
	                                  " task_id IS NULL AND response_code IS NULL AND code_at"
	                                  " IS NULL AND held_code IS NULL"), 1);

	begin(f->st);
	assert_int_equal(store_card_sent_code(f->st, 2, "msg-1", "rc-1", now), 0);
	assert_int_equal(wecom_task_id("event:1:publish:p1:wecom:zhangsan", task_id), 0);
	assert_int_equal(query_text(f->st, "SELECT target || '|' || task_id || '|' || response_code"
	                                   " || '|' || (code_at = strftime('%s', 'now') OR code_at"
	                                   " > 0) FROM sent_cards WHERE handle = 'msg-1'",
	                            after, sizeof after), 0);
	snprintf(before, sizeof before, "zhangsan|%s|rc-1|1", task_id);
	assert_string_equal(after, before);
	/* The Feishu card is updated as before; the WeCom one with its code,
	 * a few seconds later. */
	reply_init(&r);
	reply_set_title(&r, "沙龙：质量沙龙");
	reply_add_field(&r, "剩余名额", "2 人");
	reply_add_action(&r, "报名", "报名 1", REPLY_ACTION_PRIMARY);
	assert_int_equal(store_card_update(f->st, 1, &r, 7), 0);
	assert_int_equal(query_text(f->st, wecom, after, sizeof after), 0);
	assert_string_equal(after, "card:2:1#1=wecom|w1|card|0|msg-1=pending");
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM outbox WHERE idem_key = 'card:1:3#1'"),
	                 1);
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM outbox WHERE idem_key = 'card:2:1#1'"
	                                  " AND payload LIKE '{\"atall\":1,\"response_code\":"
	                                  "\"rc-1\",%2 人%'"), 1);
	due = query_int(f->st, "SELECT not_before FROM outbox WHERE idem_key = 'card:2:1#1'");
	assert_true(due >= now + 5 && due <= now + 7);
	assert_int_equal(query_text(f->st, codes, after, sizeof after), 0);
	assert_string_equal(after, "-/rc-1");
	/* A newer count replaces it, with the code it held and its moment. */
	reply_free(&r);
	reply_init(&r);
	reply_set_title(&r, "沙龙：质量沙龙");
	reply_add_field(&r, "剩余名额", "1 人");
	reply_add_action(&r, "报名", "报名 1", REPLY_ACTION_PRIMARY);
	assert_int_equal(store_card_update(f->st, 1, &r, 8), 0);
	assert_int_equal(query_text(f->st, wecom, after, sizeof after), 0);
	assert_string_equal(after, "card:2:2#1=wecom|w1|card|0|msg-1=pending");
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM outbox WHERE idem_key = 'card:2:2#1'"
	                                  " AND payload LIKE '%\"rc-1\"%1 人%'"), 1);
	assert_int_equal(query_int(f->st, "SELECT not_before FROM outbox WHERE idem_key ="
	                                  " 'card:2:2#1'"), due);
	/* Sent: its code is spent, and the next change finds none. */
	assert_int_equal(exec(f->st, "UPDATE outbox SET state = 'sent' WHERE state = 'pending'"),
	                 SQLITE_OK);
	assert_int_equal(store_card_update(f->st, 1, &r, 9), 0);
	assert_int_equal(query_text(f->st, wecom, after, sizeof after), 0);
	assert_string_equal(after, "card:2:2#1=wecom|w1|card|0|msg-1=sent");
	/* A press brings a fresh one: the next change uses it. */
	assert_int_equal(store_card_code(f->st, "wecom", "w1", task_id, "rc-2", now), 0);
	assert_int_equal(store_card_code(f->st, "wecom", "w1", "cqod-other", "rc-9", now), 0);
	assert_int_equal(store_card_code(f->st, "wecom", "w1", task_id, "", now), -EINVAL);
	assert_int_equal(query_text(f->st, codes, after, sizeof after), 0);
	assert_string_equal(after, "rc-2/rc-1");
	assert_int_equal(store_card_update(f->st, 1, &r, 10), 0);
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM outbox WHERE idem_key = 'card:2:3#1'"
	                                  " AND payload LIKE '%\"rc-2\"%' AND state = 'pending'"), 1);
	/* A code past its 72 hours is none. */
	assert_int_equal(exec(f->st, "UPDATE outbox SET state = 'sent' WHERE state = 'pending';"
	                             "UPDATE sent_cards SET response_code = 'rc-3',"
	                             " code_at = strftime('%s', 'now') - 72 * 3600 - 60"
	                             " WHERE platform = 'wecom'"), SQLITE_OK);
	assert_int_equal(store_card_update(f->st, 1, &r, 11), 0);
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM outbox WHERE idem_key LIKE 'card:2:%'"
	                                  " AND state = 'pending'"), 0);
	commit(f->st);
	reply_free(&r);
}

/* Schema 22 indexes enterprise names by their two-character pieces: the
 * names of a database at schema 21 are indexed by the migration (lower
 * case, the last character alone), a part of a name finds its record, and
 * later inserts and renames keep the index. */
static void test_upgrade_name_index(void **state)
{
	struct fixture *f = *state;
	struct store_cqo_hit h[2];
	size_t total = 0;
	const char *check = "INSERT INTO enterprise_name_index (enterprise_name_index)"
	                    " VALUES ('integrity-check')";

	assert_int_equal(store_open_at_version(f->path, 21, &f->st), 0);
	assert_int_equal(exec(f->st,
		"INSERT INTO regions VALUES ('37', '山东省', NULL, 1), ('3713', '临沂市', '37', 2),"
		" ('371302', '兰山区', '3713', 3);"
		"INSERT INTO enterprises (credit_code, name, region_code, created_at, updated_at)"
		" VALUES ('91371302DEM0000013', '示例ABC精密', '371302', 1, 1),"
		" ('91371302DEM0000021', '精密精密', '371302', 1, 1),"
		" ('91371302DEM0000030', '甲', '371302', 1, 1);"
		"INSERT INTO people (id, name, created_at, updated_at) VALUES (1, '张三', 1, 1);"
		"INSERT INTO appointments (enterprise_id, person_id, start_date, term_end, filed_at,"
		" updated_at) VALUES (1, 1, '2026-01-01', '2028-12-31', 1, 1);"), SQLITE_OK);
	store_close(f->st);
	f->st = NULL;

	assert_int_equal(store_open(f->path, &f->st), 0);
	assert_int_equal(store_schema_version(f->st), store_migrations_count());
	assert_int_equal(exec(f->st, check), SQLITE_OK);
	assert_int_equal(query_int(f->st, "SELECT group_concat(rowid) FROM enterprise_name_index"
	                                  " WHERE enterprise_name_index MATCH '\"精密\"'"), 1);
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM enterprise_name_index"
	                                  " WHERE enterprise_name_index MATCH '\"精密\"'"), 2);
	assert_int_equal(query_int(f->st, "SELECT rowid FROM enterprise_name_index"
	                                  " WHERE enterprise_name_index MATCH '\"bc\" AND \"c精\"'"),
	                 1);
	assert_int_equal(query_int(f->st, "SELECT rowid FROM enterprise_name_index"
	                                  " WHERE enterprise_name_index MATCH '\"甲\" *'"), 3);
	assert_int_equal(store_cqo_search(f->st, "精密", "", h, 2, &total), 0);
	assert_int_equal(total, 1);
	assert_int_equal(store_cqo_search(f->st, "abc", "37", h, 2, &total), 0);
	assert_int_equal(total, 1);
	assert_string_equal(h[0].enterprise_name, "示例ABC精密");

	begin(f->st);
	assert_int_equal(exec(f->st, "UPDATE enterprises SET name = '样板' WHERE id = 1;"
	                             "INSERT INTO enterprises (credit_code, name, region_code,"
	                             " created_at, updated_at) VALUES ('91371302DEM0000048',"
	                             " '乙丙', '371302', 1, 1);"), SQLITE_OK);
	commit(f->st);
	assert_int_equal(exec(f->st, check), SQLITE_OK);
	assert_int_equal(query_int(f->st, "SELECT rowid FROM enterprise_name_index"
	                                  " WHERE enterprise_name_index MATCH '\"乙丙\"'"), 4);
	assert_int_equal(store_cqo_search(f->st, "精密", "", h, 2, &total), 0);
	assert_int_equal(total, 0);
	assert_int_equal(store_cqo_search(f->st, "样", "", h, 2, &total), 0);
	assert_int_equal(total, 1);
}

/* Schema 24 indexes the open 建议解聘 by issue date, a person's chat
 * identities and the identities by role: a database at schema 23 keeps its sanctions and identities as
 * they were, the sweep's query for 建议解聘 not yet sent to their enterprise
 * starts from the index instead of walking every active appointment, and a
 * person's identities come from the index alone, in order. */
static void test_upgrade_open_advice_index(void **state)
{
	struct fixture *f = *state;
	char plan[512] = "";

	assert_int_equal(store_open_at_version(f->path, 23, &f->st), 0);
	assert_int_equal(exec(f->st,
		"INSERT INTO regions VALUES ('37', '山东省', NULL, 1), ('3713', '临沂市', '37', 2),"
		" ('371302', '兰山区', '3713', 3);"
		"INSERT INTO enterprises (credit_code, name, region_code, created_at, updated_at)"
		" VALUES ('91371302DEM0000013', '示例精密', '371302', 1, 1);"
		"INSERT INTO people (id, name, created_at, updated_at) VALUES (1, '张三', 1, 1);"
		"INSERT INTO appointments (enterprise_id, person_id, start_date, term_end, filed_at,"
		" updated_at) VALUES (1, 1, '2026-01-01', '2028-12-31', 1, 1);"
		"INSERT INTO sanctions (appointment_id, kind, ground, issued_on, status, revoked_at,"
		" created_at) VALUES (1, '建议解聘', '违法违规', '2026-03-01', 'open', NULL, 1),"
		" (1, '建议解聘', '违法违规', '2026-02-01', 'revoked', 5, 1),"
		" (1, '警示', '知情不报', '2026-03-02', 'open', NULL, 1);"
		"INSERT INTO identities (platform, tenant, user_id, role, person_id, scope_region,"
		" instance, created_at, updated_at)"
		" VALUES ('wecom', 'ww1', 'zs-b', 'cqo', 1, NULL, 'a', 1, 1),"
		" ('dingtalk', 'd1', 'zs-a', 'cqo', 1, NULL, 'b', 1, 1),"
		" ('wecom', 'ww1', 'clerk', 'clerk', NULL, '3713', 'a', 1, 1);"), SQLITE_OK);
	store_close(f->st);
	f->st = NULL;

	assert_int_equal(store_open(f->path, &f->st), 0);
	assert_int_equal(store_schema_version(f->st), store_migrations_count());
	assert_true(has_object(f->st, "index", "sanctions_open_advice"));
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM sanctions"), 3);
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM sanctions INDEXED BY"
	                                  " sanctions_open_advice WHERE status = 'open' AND"
	                                  " kind = '建议解聘' AND issued_on <= '2026-06-15'"), 1);
	query_plan(f->st,
		"EXPLAIN QUERY PLAN SELECT s.id FROM sanctions s"
		" JOIN appointments a ON a.id = s.appointment_id"
		" JOIN enterprises e ON e.id = a.enterprise_id"
		" WHERE s.status = 'open' AND s.kind = '建议解聘' AND s.issued_on <= '2026-06-15'"
		" AND a.status = 'active'",
		plan, sizeof plan);
	assert_non_null(strstr(plan, "SEARCH s USING INDEX sanctions_open_advice"));

	struct store_remind_identity ids[4];
	size_t n_ids = 0;
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM identities"), 3);
	assert_int_equal(store_remind_person_identities(f->st, 1, ids, 4, &n_ids), 0);
	assert_int_equal(n_ids, 2);
	assert_string_equal(ids[0].platform, "dingtalk");
	assert_string_equal(ids[0].user_id, "zs-a");
	assert_string_equal(ids[1].user_id, "zs-b");
	query_plan(f->st,
		"EXPLAIN QUERY PLAN SELECT platform, user_id, coalesce(instance, '') FROM identities"
		" WHERE person_id = 1 AND role = 'cqo' ORDER BY platform, user_id",
		plan, sizeof plan);
	assert_non_null(strstr(plan, "COVERING INDEX identities_person"));
	assert_null(strstr(plan, "TEMP B-TREE"));

	struct store_remind_identity *clerks = NULL;
	assert_int_equal(store_remind_role_identities(f->st, "clerk", &clerks, &n_ids), 0);
	assert_int_equal(n_ids, 1);
	assert_string_equal(clerks[0].scope, "3713");
	free(clerks);
	query_plan(f->st,
		"EXPLAIN QUERY PLAN SELECT platform, user_id FROM identities WHERE role = 'clerk'"
		" ORDER BY platform, user_id",
		plan, sizeof plan);
	assert_non_null(strstr(plan, "INDEX identities_role"));
	assert_null(strstr(plan, "TEMP B-TREE"));
}

/* Schema 14 makes every term a row: a database at schema 13 keeps its
 * appointments as they were, each now with its first term, and later
 * inserts and corrections keep the current term and the row equal. */
static void test_upgrade_terms_as_rows(void **state)
{
	struct fixture *f = *state;
	sqlite3_stmt *s;

	assert_int_equal(store_open_at_version(f->path, 13, &f->st), 0);
	assert_int_equal(exec(f->st,
		"INSERT INTO regions VALUES ('37', '山东省', NULL, 1), ('3713', '临沂市', '37', 2),"
		" ('371302', '兰山区', '3713', 3);"
		"INSERT INTO enterprises (credit_code, name, region_code, created_at, updated_at)"
		" VALUES ('91371302DEM0000013', '示例升级有限公司', '371302', 1, 1);"
		"INSERT INTO people (name, created_at, updated_at) VALUES ('张三', 1, 1), ('孙八', 1, 1);"
		"INSERT INTO appointments (enterprise_id, person_id, doc_no, start_date, term_end,"
		" status, ended_on, end_reason, filed_at, updated_at) VALUES"
		" (1, 2, '旧聘〔2020〕1号', '2020-01-01', '2022-12-31', 'ended', '2022-12-31', '更换',"
		"  100, 100),"
		" (1, 1, NULL, '2023-01-01', '2025-12-31', 'active', NULL, NULL, 200, 300);"), SQLITE_OK);
	const char *rows = "SELECT group_concat(r, ';') FROM (SELECT id || '|' || enterprise_id"
	                   " || '|' || person_id || '|' || coalesce(doc_no, '-') || '|' ||"
	                   " start_date || '|' || term_end || '|' || status || '|' ||"
	                   " coalesce(ended_on, '-') || '|' || coalesce(end_reason, '-') || '|' ||"
	                   " filed_at || '|' || updated_at AS r FROM appointments ORDER BY id)";
	char before[512];
	assert_int_equal(sqlite3_prepare_v2(f->st->db, rows, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	snprintf(before, sizeof before, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	store_close(f->st);
	f->st = NULL;

	assert_int_equal(store_open(f->path, &f->st), 0);
	assert_int_equal(store_schema_version(f->st), store_migrations_count());
	assert_int_equal(sqlite3_prepare_v2(f->st->db, rows, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(s, 0), before);
	sqlite3_finalize(s);
	const char *terms = "SELECT group_concat(r, ';') FROM (SELECT appointment_id || '|' ||"
	                    " term_no || '|' || start_date || '|' || term_end || '|' ||"
	                    " coalesce(doc_no, '-') || '|' || coalesce(evaluation, '-') || '|' ||"
	                    " created_at AS r FROM appointment_terms"
	                    " ORDER BY appointment_id, term_no)";
	assert_int_equal(sqlite3_prepare_v2(f->st->db, terms, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(s, 0),
	                    "1|1|2020-01-01|2022-12-31|旧聘〔2020〕1号|-|100;"
	                    "2|1|2023-01-01|2025-12-31|-|-|200");
	sqlite3_finalize(s);

	/* However an appointment is inserted it gets its first term; a
	 * correction of the row reaches its newest term only. */
	begin(f->st);
	assert_int_equal(exec(f->st,
		"INSERT INTO appointment_terms (appointment_id, term_no, start_date, term_end,"
		" created_at) VALUES (2, 2, '2026-01-01', '2028-12-31', 400);"
		"UPDATE appointments SET start_date = '2026-01-01', term_end = '2028-12-30',"
		" doc_no = '新聘〔2026〕2号' WHERE id = 2;"
		"INSERT INTO enterprises (credit_code, name, region_code, created_at, updated_at)"
		" VALUES ('91371302DEM0000021', '示例新设有限公司', '371302', 1, 1);"
		"INSERT INTO appointments (enterprise_id, person_id, doc_no, start_date, term_end,"
		" filed_at, updated_at) VALUES (2, 2, '新设聘1号', '2026-03-01', '2029-02-28', 500,"
		" 500);"), SQLITE_OK);
	commit(f->st);
	assert_int_equal(sqlite3_prepare_v2(f->st->db, terms, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(s, 0),
	                    "1|1|2020-01-01|2022-12-31|旧聘〔2020〕1号|-|100;"
	                    "2|1|2023-01-01|2025-12-31|-|-|200;"
	                    "2|2|2026-01-01|2028-12-30|新聘〔2026〕2号|-|400;"
	                    "3|1|2026-03-01|2029-02-28|新设聘1号|-|500");
	sqlite3_finalize(s);
}

/* A string of the rows `sql` concatenates (group_concat), "" for none. */
static void rows_text(struct store *st, const char *sql, char *buf, size_t len)
{
	sqlite3_stmt *s;

	assert_int_equal(sqlite3_prepare_v2(st->db, sql, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	snprintf(buf, len, "%s", sqlite3_column_text(s, 0) ? (const char *)sqlite3_column_text(s, 0)
	                                                    : "");
	sqlite3_finalize(s);
}

/* Schema 18 adds the enterprise contact (企业联系人): identities and bind
 * codes of a database at schema 17 survive unchanged, ids included, and
 * afterwards a contact of an enterprise and an enterprise's code can be
 * stored, a contact without an enterprise cannot. */
static void test_upgrade_enterprise_contacts(void **state)
{
	struct fixture *f = *state;
	const char *ids = "SELECT group_concat(r, ';') FROM (SELECT id || '|' || platform || '|' ||"
	                  " coalesce(tenant, '-') || '|' || user_id || '|' ||"
	                  " coalesce(display_name, '-') || '|' || role || '|' ||"
	                  " coalesce(scope_region, '-') || '|' || coalesce(alliance_id, '-') || '|' ||"
	                  " coalesce(person_id, '-') || '|' || coalesce(instance, '-') || '|' ||"
	                  " created_at || '|' || updated_at AS r FROM identities ORDER BY id)";
	const char *codes = "SELECT group_concat(r, ';') FROM (SELECT substr(code_hash, 1, 4) || '|'"
	                    " || person_id || '|' || coalesce(appointment_id, '-') || '|' ||"
	                    " expires_at || '|' || coalesce(used_at, '-') || '|' ||"
	                    " coalesce(created_by, '-') || '|' || created_at AS r FROM bind_codes"
	                    " ORDER BY code_hash)";
	char before_ids[1024], before_codes[512], after[1024];

	assert_int_equal(store_open_at_version(f->path, 17, &f->st), 0);
	assert_int_equal(exec(f->st,
		"INSERT INTO regions VALUES ('37', '山东省', NULL, 1), ('3713', '临沂市', '37', 2),"
		" ('371302', '兰山区', '3713', 3);"
		"INSERT INTO enterprises (credit_code, name, region_code, created_at, updated_at)"
		" VALUES ('91371302DEM0000016', '示例联系人有限公司', '371302', 1, 1);"
		"INSERT INTO people (name, created_at, updated_at) VALUES ('张三', 1, 1);"
		"INSERT INTO appointments (enterprise_id, person_id, start_date, term_end, filed_at,"
		" updated_at) VALUES (1, 1, '2024-01-01', '2026-12-31', 10, 10);"
		"INSERT INTO alliances (name, region_code, created_at)"
		" VALUES ('示例联盟', '3713', 1);"
		"INSERT INTO identities (id, platform, tenant, user_id, display_name, role,"
		" scope_region, alliance_id, person_id, created_at, updated_at, instance) VALUES"
		" (3, 'wecom', 'corp1', 'boss', '王局', 'admin', NULL, NULL, NULL, 5, 6, 'w1'),"
		" (7, 'wecom', NULL, 'ls', NULL, 'clerk', '371302', NULL, NULL, 7, 8, 'w1'),"
		" (9, 'generic', 'test', 'org', NULL, 'organizer', NULL, 1, NULL, 9, 9, 'test'),"
		" (11, 'feishu', 'tk', 'ou_1', '张三', 'cqo', NULL, NULL, 1, 11, 12, 'f1');"
		"INSERT INTO bind_codes (code_hash, person_id, appointment_id, expires_at, used_at,"
		" created_by, created_at) VALUES"
		" ('aaaa' || substr(hex(zeroblob(30)), 1, 60), 1, 1, 1000, 500, 'wecom:ls', 400),"
		" ('bbbb' || substr(hex(zeroblob(30)), 1, 60), 1, NULL, 2000, NULL, NULL, 600);"),
	                 SQLITE_OK);
	rows_text(f->st, ids, before_ids, sizeof before_ids);
	rows_text(f->st, codes, before_codes, sizeof before_codes);
	assert_non_null(strstr(before_ids, "11|feishu|tk|ou_1|张三|cqo|-|-|1|f1|11|12"));
	assert_non_null(strstr(before_codes, "bbbb|1|-|2000|-|-|600"));
	store_close(f->st);
	f->st = NULL;

	assert_int_equal(store_open(f->path, &f->st), 0);
	assert_int_equal(store_schema_version(f->st), store_migrations_count());
	rows_text(f->st, ids, after, sizeof after);
	assert_string_equal(after, before_ids);
	rows_text(f->st, codes, after, sizeof after);
	assert_string_equal(after, before_codes);
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM identities"
	                                  " WHERE enterprise_id IS NOT NULL"), 0);
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM sqlite_schema WHERE name IN"
	                                  " ('identities_key', 'identities_pending', 'identities_user',"
	                                  " 'identities_person', 'bind_codes_person')"), 5);
	/* The new role and codes; a contact names its enterprise, a code names
	 * a person or an enterprise, never both. */
	assert_int_equal(exec(f->st,
		"INSERT INTO identities (platform, tenant, user_id, role, enterprise_id, created_at,"
		" updated_at, instance) VALUES ('wecom', 'corp1', 'ent', 'contact', 1, 1, 1, 'w1');"
		"INSERT INTO bind_codes (code_hash, enterprise_id, expires_at, created_at)"
		" VALUES ('cccc' || substr(hex(zeroblob(30)), 1, 60), 1, 3000, 700);"), SQLITE_OK);
	assert_int_not_equal(exec(f->st,
		"INSERT INTO identities (platform, tenant, user_id, role, created_at, updated_at)"
		" VALUES ('wecom', 'corp1', 'ent2', 'contact', 1, 1)"), SQLITE_OK);
	assert_int_not_equal(exec(f->st,
		"INSERT INTO identities (platform, tenant, user_id, role, person_id, enterprise_id,"
		" created_at, updated_at) VALUES ('wecom', 'corp1', 'ent3', 'cqo', 1, 1, 1, 1)"),
	                     SQLITE_OK);
	assert_int_not_equal(exec(f->st,
		"INSERT INTO bind_codes (code_hash, person_id, enterprise_id, expires_at, created_at)"
		" VALUES ('dddd' || substr(hex(zeroblob(30)), 1, 60), 1, 1, 3000, 700)"), SQLITE_OK);
	assert_int_not_equal(exec(f->st,
		"INSERT INTO bind_codes (code_hash, expires_at, created_at)"
		" VALUES ('eeee' || substr(hex(zeroblob(30)), 1, 60), 3000, 700)"), SQLITE_OK);
}

/* Size of the database's WAL file in bytes. */
static long long wal_bytes(const struct fixture *f)
{
	char wal[128];
	struct stat sb;

	snprintf(wal, sizeof wal, "%s-wal", f->path);
	assert_int_equal(stat(wal, &sb), 0);
	return (long long)sb.st_size;
}

/* Migration 28: the outbox's state index keeps the rows not sent only,
 * existing ones included; what reads it (counts, listing, recovery) finds
 * the same rows as before, through it. */
static void test_upgrade_outbox_unsent(void **state)
{
	struct fixture *f = *state;
	struct store_outbox_stats stats;
	char plan[512] = "";
	int n = 0;

	assert_int_equal(store_open_at_version(f->path, 27, &f->st), 0);
	assert_true(has_object(f->st, "index", "outbox_state_not_before"));
	assert_int_equal(exec(f->st,
		"INSERT INTO outbox (idem_key, platform, instance, destination, chat_kind, payload,"
		" not_before, state, created_at, updated_at, sent_at) VALUES"
		" ('a#1', 'wecom', 'r', 'wecom|r|robot|0|', 'group', '{}', 10, 'sent', 10, 11, 11),"
		" ('b#1', 'wecom', 'r', 'wecom|r|robot|0|', 'group', '{}', 20, 'inflight', 10, 12, 12),"
		" ('c#1', 'wecom', 'r', 'wecom|r|robot|0|', 'group', '{}', 30, 'pending', 10, 10, NULL),"
		" ('d#1', 'wecom', 's', 'wecom|s|robot|0|', 'group', '{}', 5, 'dead', 10, 13, 13);"),
		SQLITE_OK);
	store_close(f->st);
	f->st = NULL;

	assert_int_equal(store_open(f->path, &f->st), 0);
	assert_int_equal(store_schema_version(f->st), store_migrations_count());
	assert_false(has_object(f->st, "index", "outbox_state_not_before"));
	assert_true(has_object(f->st, "index", "outbox_unsent"));
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM outbox INDEXED BY outbox_unsent"
	                                  " WHERE state <> 'sent'"), 3);
	assert_int_equal(store_outbox_stats(f->st, 100, &stats), 0);
	assert_int_equal(stats.pending, 1);
	assert_int_equal(stats.inflight, 1);
	assert_int_equal(stats.dead, 1);
	assert_int_equal(stats.oldest_due, 30);
	query_plan(f->st,
		"EXPLAIN QUERY PLAN SELECT count(*) FROM outbox WHERE state = 'dead'"
		" AND state <> 'sent'",
		plan, sizeof plan);
	assert_non_null(strstr(plan, "outbox_unsent"));
	assert_int_equal(store_outbox_recover(f->st, 200, &n), 0);
	assert_int_equal(n, 1);
	/* A row sent leaves the index. */
	assert_int_equal(exec(f->st, "UPDATE outbox SET state = 'sent' WHERE idem_key = 'b#1'"),
	                 SQLITE_OK);
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM outbox INDEXED BY outbox_unsent"
	                                  " WHERE state <> 'sent'"), 2);
}

/* Schema 29 checks the outbox's states without an IN list (issue 17): the
 * rows of a database at schema 28, in every state, are kept as they were;
 * every state is still accepted and any other refused; an enqueue builds
 * no temporary table per row any more; the file is sound. */
static void test_upgrade_outbox_state_check(void **state)
{
	struct fixture *f = *state;
	const char *rows = "SELECT group_concat(id || idem_key || destination || payload || state ||"
	                   " attempts || not_before || coalesce(sent_at, '-') || kind, ';')"
	                   " FROM (SELECT * FROM outbox ORDER BY id)";
	const char *enqueue =
		"EXPLAIN INSERT INTO outbox (idem_key, platform, instance, destination, chat_kind,"
		" payload, not_before, created_at, updated_at) VALUES ('e#1', 'wecom', 'r',"
		" 'wecom|r|robot|0|', 'group', '{}', 1, 1, 1)";
	char before[1024], after[1024], check[64];
	sqlite3_stmt *s;
	int ephemeral = 0;

	assert_int_equal(store_open_at_version(f->path, 28, &f->st), 0);
	assert_int_equal(exec(f->st,
		"INSERT INTO outbox (idem_key, platform, instance, destination, chat_kind, payload,"
		" not_before, state, attempts, created_at, updated_at, sent_at, kind) VALUES"
		" ('a#1', 'wecom', 'r', 'wecom|r|robot|0|', 'group', '{}', 10, 'sent', 0, 10, 11, 11,"
		"  'message'),"
		" ('b#1', 'wecom', 'r', 'wecom|r|robot|0|', 'group', '{\"x\":1}', 20, 'inflight', 1, 10,"
		"  12, 12, 'message'),"
		" ('c#1', 'feishu', 'f', 'feishu|f|user|0|ou_1', 'private', '{}', 30, 'pending', 2, 10,"
		"  10, NULL, 'file'),"
		" ('d#1', 'wecom', 's', 'wecom|s|robot|0|', 'group', '{}', 5, 'dead', 9, 10, 13, 13,"
		"  'message');"), SQLITE_OK);
	assert_int_equal(query_text(f->st, rows, before, sizeof before), 0);
	store_close(f->st);
	f->st = NULL;

	assert_int_equal(store_open(f->path, &f->st), 0);
	assert_int_equal(store_schema_version(f->st), store_migrations_count());
	assert_int_equal(query_text(f->st, rows, after, sizeof after), 0);
	assert_string_equal(after, before);
	assert_int_equal(query_text(f->st, "SELECT quick_check FROM pragma_quick_check", check,
	                            sizeof check), 0);
	assert_string_equal(check, "ok");
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM sqlite_schema WHERE name = 'outbox'"
	                                  " AND sql LIKE '%state IN (%'"), 0);
	assert_int_equal(exec(f->st, "UPDATE outbox SET state = 'pending' WHERE idem_key = 'b#1';"
	                             "UPDATE outbox SET state = 'dead' WHERE idem_key = 'c#1';"
	                             "UPDATE outbox SET state = 'inflight' WHERE idem_key = 'd#1';"
	                             "UPDATE outbox SET state = 'sent' WHERE idem_key = 'b#1';"),
	                 SQLITE_OK);
	assert_int_not_equal(exec(f->st, "UPDATE outbox SET state = 'lost' WHERE idem_key = 'a#1'"),
	                     SQLITE_OK);
	assert_int_not_equal(exec(f->st, "UPDATE outbox SET state = NULL WHERE idem_key = 'a#1'"),
	                     SQLITE_OK);
	assert_int_not_equal(exec(f->st, "UPDATE outbox SET state = 'Sent' WHERE idem_key = 'a#1'"),
	                     SQLITE_OK);
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM outbox WHERE state = 'sent'"), 2);
	assert_int_equal(sqlite3_prepare_v2(f->st->db, enqueue, -1, &s, NULL), SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW)
		ephemeral += strcmp((const char *)sqlite3_column_text(s, 1), "OpenEphemeral") == 0;
	sqlite3_finalize(s);
	assert_int_equal(ephemeral, 0);
}

/* Schema 30 remembers what re-imports found unchanged (import_digests):
 * a registry made at schema 29 keeps every row as it was and starts with
 * no digest, so its first re-import checks every row in full; a row found
 * unchanged is then known, until a write of its enterprise drops it. */
static void test_upgrade_import_digests(void **state)
{
	struct fixture *f = *state;
	const char *registry =
		"SELECT group_concat(t, ';') FROM ("
		" SELECT id || credit_code || name || region_code || employees AS t FROM enterprises"
		" UNION ALL SELECT enterprise_id || tag || year FROM enterprise_tags"
		" UNION ALL SELECT id || name || phone || email FROM people"
		" UNION ALL SELECT id || enterprise_id || person_id || start_date || term_end || status"
		" FROM appointments"
		" UNION ALL SELECT appointment_id || term_no || term_end FROM appointment_terms)";
	const struct store_import_cqo row = {
		.enterprise = {.credit_code = "91371302DEM0000013", .name = "示例升级有限公司",
		               .region_code = "371302", .employees = 80,
		               .tags_add = 1u << store_import_tag_index("规上")},
		.person = {.name = "张三", .phone = "13800000001", .email = "zs@example.com",
		           .quality_years = -1},
		.start_date = "2025-01-01", .term_end = "2027-12-31", .term_months = 36,
	};
	struct store_import_result r;
	char before[1024], after[1024];

	assert_int_equal(store_open_at_version(f->path, 29, &f->st), 0);
	assert_int_equal(exec(f->st,
		"INSERT INTO regions VALUES ('37', '山东省', NULL, 1), ('3713', '临沂市', '37', 2),"
		" ('371302', '兰山区', '3713', 3);"
		"INSERT INTO enterprises (credit_code, name, region_code, employees, created_at,"
		" updated_at) VALUES ('91371302DEM0000013', '示例升级有限公司', '371302', 80, 1, 1);"
		"INSERT INTO enterprise_tags (enterprise_id, tag, year) VALUES (1, '规上', 0);"
		"INSERT INTO people (name, phone, email, created_at, updated_at)"
		" VALUES ('张三', '13800000001', 'zs@example.com', 1, 1);"
		"INSERT INTO appointments (enterprise_id, person_id, start_date, term_end, filed_at,"
		" updated_at) VALUES (1, 1, '2025-01-01', '2027-12-31', 1, 1);"), SQLITE_OK);
	assert_int_equal(query_text(f->st, registry, before, sizeof before), 0);
	store_close(f->st);
	f->st = NULL;

	assert_int_equal(store_open(f->path, &f->st), 0);
	assert_int_equal(store_schema_version(f->st), store_migrations_count());
	assert_int_equal(query_text(f->st, registry, after, sizeof after), 0);
	assert_string_equal(after, before);
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM import_digests"), 0);
	assert_int_equal(store_import_cqo_known(f->st, &row, &r), 0);
	assert_int_equal(store_import_cqo_check(f->st, &row, &r), 0);
	assert_true(r.unchanged);
	assert_int_equal(store_import_cqo_confirm(f->st, &row), 0);
	assert_int_equal(store_import_cqo_known(f->st, &row, &r), 1);
	assert_int_equal(r.id, 1);
	assert_int_equal(r.person_id, 1);
	assert_int_equal(exec(f->st, "UPDATE enterprises SET employees = 90"), SQLITE_OK);
	assert_int_equal(store_import_cqo_known(f->st, &row, &r), 0);
	assert_int_equal(query_text(f->st, registry, after, sizeof after), 0);
	assert_string_not_equal(after, before);
}

/* The checkpoint worker (issue 17): commits in small transactions, as the
 * loop makes them, run no checkpoint themselves, yet the worker keeps the
 * WAL well below the 20,000 pages written (80 MB) while they run, and once
 * the commits pause it copies the rest, so the next commit writes the log
 * from its beginning. Stopping it hands checkpoints back to commits. */
static void test_checkpoint_worker(void **state)
{
	struct fixture *f = *state;
	struct store *st = open_fresh(state);
	long long peak = 0;
	uint64_t runs;
	int log = -1, done = -1;

	assert_int_equal(store_checkpoint_runs(st), 0);
	assert_int_equal(store_checkpoint_offload(st), 0);
	assert_int_equal(store_checkpoint_offload(st), -EALREADY);
	/* No fsync per commit: the test is about the WAL's size, not the disk. */
	assert_int_equal(exec(st, "PRAGMA synchronous = OFF; CREATE TABLE bulk (x BLOB)"),
	                 SQLITE_OK);
	for (int i = 0; i < 2500; i++) {
		int rc;
		/* A RESTART checkpoint holds writers off for a moment. */
		while ((rc = store_begin(st)) == -EBUSY)
			usleep(1000);
		assert_int_equal(rc, 0);
		assert_int_equal(exec(st, "INSERT INTO bulk SELECT randomblob(3900)"
		                          " FROM (VALUES (1), (2), (3), (4), (5), (6), (7), (8))"), SQLITE_OK);
		commit(st);
		if (i % 50 == 49 && wal_bytes(f) > peak)
			peak = wal_bytes(f);
		usleep(200);
	}
	if (peak > 50000000)
		fail_msg("WAL of %lld bytes under load", peak);
	/* Caught up: no more runs for 200 ms. Then one commit writes a short log. */
	do {
		runs = store_checkpoint_runs(st);
		usleep(200000);
	} while (store_checkpoint_runs(st) != runs);
	assert_true(runs > 0);
	begin(st);
	assert_int_equal(exec(st, "DELETE FROM bulk WHERE rowid = 1"), SQLITE_OK);
	commit(st);
	assert_int_equal(sqlite3_wal_checkpoint_v2(st->db, NULL, SQLITE_CHECKPOINT_PASSIVE, &log,
	                                           &done), SQLITE_OK);
	assert_in_range(log, 1, 100);

	/* Stopped: the automatic checkpoint is back on commits. */
	store_checkpoint_stop(st);
	assert_int_equal(store_checkpoint_runs(st), 0);
	assert_int_equal(query_int(st, "PRAGMA wal_autocheckpoint"), 1000);
}

static atomic_int releases;

static void on_release(void *arg)
{
	(void)arg;
	atomic_fetch_add(&releases, 1);
}

/* Waits until the checkpoint worker has run and then stayed quiet for
 * 200 ms; returns its runs. */
static uint64_t worker_settled(struct store *st)
{
	uint64_t runs;

	while (store_checkpoint_runs(st) == 0)
		usleep(1000);
	do {
		runs = store_checkpoint_runs(st);
		usleep(200000);
	} while (store_checkpoint_runs(st) != runs);
	return runs;
}

/* Past 4,000 pages a passive checkpoint that copied everything is followed
 * by a RESTART: a complete checkpoint alone leaves the log as long as it
 * was (SQLite starts it again only in a write transaction begun after the
 * checkpoint ended, and the loop's next BEGIN comes sooner under load). The
 * RESTART holds writers off, so it tells the writer when it is over. */
static void test_checkpoint_restart_releases_writers(void **state)
{
	struct store *st = open_fresh(state);
	int log = -1, done = -1;

	atomic_store(&releases, 0);
	/* Before the worker starts: it checkpoints after any pause in commits,
	 * and only the one below is counted. */
	assert_int_equal(exec(st, "PRAGMA synchronous = OFF; CREATE TABLE bulk (x BLOB)"),
	                 SQLITE_OK);
	assert_int_equal(store_checkpoint_offload(st), 0);
	store_checkpoint_on_release(st, on_release, NULL);
	begin(st);
	assert_int_equal(exec(st, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
	                          " WHERE i < 4200) INSERT INTO bulk SELECT randomblob(3900) FROM n"),
	                 SQLITE_OK);
	commit(st);
	/* The passive checkpoint, then the RESTART. */
	assert_int_equal(worker_settled(st), 2);
	assert_int_equal(atomic_load(&releases), 1);
	/* The next commit writes the log from its beginning. */
	begin(st);
	assert_int_equal(exec(st, "DELETE FROM bulk WHERE rowid = 1"), SQLITE_OK);
	commit(st);
	assert_int_equal(sqlite3_wal_checkpoint_v2(st->db, NULL, SQLITE_CHECKPOINT_PASSIVE, &log,
	                                           &done), SQLITE_OK);
	assert_in_range(log, 1, 100);
	store_checkpoint_on_release(st, NULL, NULL);
}

/* A RESTART waits for every reader of the log with writers held off, so it
 * is not started while a read of the daemon's own (an off-loop 统计, a
 * workbook) is open, even one that has not read yet: it would hold the loop
 * up to 20 ms. Once the read has ended, the log starts again anyway. */
static void test_checkpoint_restart_waits_for_no_reader(void **state)
{
	struct fixture *f = *state;
	struct store *st = open_fresh(state), *ro = NULL;
	int log = -1, done = -1;

	atomic_store(&releases, 0);
	assert_int_equal(exec(st, "PRAGMA synchronous = OFF; CREATE TABLE bulk (x BLOB)"),
	                 SQLITE_OK);
	assert_int_equal(store_open_readonly(f->path, &ro), 0);
	assert_int_equal(store_read_begin(ro), 0);
	assert_int_equal(store_checkpoint_offload(st), 0);
	store_checkpoint_on_release(st, on_release, NULL);
	begin(st);
	assert_int_equal(exec(st, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
	                          " WHERE i < 4200) INSERT INTO bulk SELECT randomblob(3900) FROM n"),
	                 SQLITE_OK);
	commit(st);
	/* The passive checkpoint copied everything; no RESTART. */
	assert_int_equal(worker_settled(st), 1);
	assert_int_equal(atomic_load(&releases), 0);
	assert_int_equal(store_read_end(ro), 0);
	store_close(ro);
	/* Nothing is left to copy and no one reads: the next commit writes the
	 * log from its beginning without a RESTART. */
	begin(st);
	assert_int_equal(exec(st, "DELETE FROM bulk WHERE rowid = 1"), SQLITE_OK);
	commit(st);
	assert_int_equal(sqlite3_wal_checkpoint_v2(st->db, NULL, SQLITE_CHECKPOINT_PASSIVE, &log,
	                                           &done), SQLITE_OK);
	assert_in_range(log, 1, 100);
	store_checkpoint_on_release(st, NULL, NULL);
}

/* Size of the database file in bytes. */
static long long db_bytes(const struct fixture *f)
{
	struct stat sb;

	assert_int_equal(stat(f->path, &sb), 0);
	return (long long)sb.st_size;
}

/* Writes about 1,200 pages (over the automatic checkpoint's 1,000) in one
 * transaction. */
static void write_pages(struct store *st)
{
	begin(st);
	assert_int_equal(exec(st, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
	                          " WHERE i < 1200) INSERT INTO bulk SELECT randomblob(3900) FROM n"),
	                 SQLITE_OK);
	commit(st);
}

/* Checkpoints by hand (cqoctl's chunks, issue 17): with the automatic one
 * off, a COMMIT past 1,000 pages leaves the WAL as it is (the next
 * transaction appends to it rather than starting it again) and the
 * database file unchanged; the passive checkpoint then copies the pages
 * into the file. Turned on again, it is SQLite's 1,000 pages. */
static void test_checkpoint_by_hand(void **state)
{
	struct fixture *f = *state;
	struct store *st = open_fresh(state);

	assert_int_equal(exec(st, "PRAGMA synchronous = OFF; CREATE TABLE bulk (x BLOB)"),
	                 SQLITE_OK);
	assert_int_equal(store_checkpoint_passive(st), 0);
	long long file = db_bytes(f);
	assert_int_equal(store_autocheckpoint(st, false), 0);
	assert_int_equal(query_int(st, "PRAGMA wal_autocheckpoint"), 0);
	write_pages(st);
	long long wal = wal_bytes(f);
	write_pages(st);
	if (wal_bytes(f) < wal * 3 / 2)
		fail_msg("the WAL started again (%lld, then %lld bytes): a COMMIT checkpointed", wal,
		         wal_bytes(f));
	assert_int_equal(db_bytes(f), file);
	assert_int_equal(store_checkpoint_passive(st), 0);
	if (db_bytes(f) < file + 2 * 1200 * 3900LL)
		fail_msg("database of %lld bytes after the checkpoint", db_bytes(f));
	assert_int_equal(store_autocheckpoint(st, true), 0);
	assert_int_equal(query_int(st, "PRAGMA wal_autocheckpoint"), 1000);
}

static void test_reopen_idempotent(void **state)
{
	struct fixture *f = *state;
	struct store *st = open_fresh(state);
	int64_t objects = query_int(st, "SELECT count(*) FROM sqlite_schema");
	assert_int_equal(store_inbound_record(st, "wecom", "m1", 100), 0);
	for (int i = 0; i < 2; i++) {
		store_close(f->st);
		f->st = NULL;
		assert_int_equal(store_open(f->path, &f->st), 0);
		assert_int_equal(store_schema_version(f->st), store_migrations_count());
		assert_int_equal(query_int(f->st, "SELECT count(*) FROM sqlite_schema"), objects);
		assert_int_equal(store_inbound_record(f->st, "wecom", "m1", 100), -EEXIST);
	}
	/* Opening at an older version than the file's leaves it alone. */
	store_close(f->st);
	assert_int_equal(store_open_at_version(f->path, 1, &f->st), 0);
	assert_int_equal(store_schema_version(f->st), store_migrations_count());
}

static void test_newer_schema_refused(void **state)
{
	struct fixture *f = *state;
	struct store *st = open_fresh(state);
	assert_int_equal(exec(st, "PRAGMA user_version = 99"), SQLITE_OK);
	store_close(st);
	f->st = NULL;
	assert_int_equal(store_open(f->path, &f->st), -EINVAL);
	assert_null(f->st);
	assert_int_equal(store_open_at_version(f->path, store_migrations_count() + 1, &f->st),
	                 -EINVAL);
}

static void test_pragmas(void **state)
{
	struct fixture *f = *state;
	struct store *st;
	sqlite3_stmt *s;

	/* What store_open itself sets, on a database it creates. */
	assert_int_equal(store_open(f->path, &f->st), 0);
	st = f->st;
	assert_int_equal(sqlite3_prepare_v2(st->db, "PRAGMA journal_mode", -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(s, 0), "wal");
	sqlite3_finalize(s);
	assert_int_equal(query_int(st, "PRAGMA foreign_keys"), 1);
	assert_int_equal(query_int(st, "PRAGMA synchronous"), 2);   /* FULL */
	/* No busy timeout by default (the event loop must never sleep on a
	 * lock); a tool sets one. */
	assert_int_equal(query_int(st, "PRAGMA busy_timeout"), 0);
	store_set_busy_timeout(st, 5000);
	assert_int_equal(query_int(st, "PRAGMA busy_timeout"), 5000);
	/* Foreign keys are enforced, not merely declared. */
	assert_int_not_equal(exec(st,
		"INSERT INTO enterprises (credit_code, name, region_code, created_at, updated_at)"
		" VALUES ('91371302DEM0000013', '示例', '999999', 1, 1)"), SQLITE_OK);
}

static void test_audit_log_append_only(void **state)
{
	struct store *st = open_fresh(state);
	assert_int_equal(exec(st, "INSERT INTO audit_log (at, command, entity, entity_id)"
	                          " VALUES (1, '备案', 'appointment', 7)"), SQLITE_OK);
	assert_int_not_equal(exec(st, "UPDATE audit_log SET command = 'x'"), SQLITE_OK);
	assert_non_null(strstr(sqlite3_errmsg(st->db), "append-only"));
	assert_int_not_equal(exec(st, "DELETE FROM audit_log WHERE id = 1"), SQLITE_OK);
	assert_int_not_equal(exec(st, "DELETE FROM audit_log"), SQLITE_OK);
	assert_int_equal(query_int(st, "SELECT count(*) FROM audit_log WHERE command = '备案'"), 1);
}

static void test_inbound(void **state)
{
	struct store *st = open_fresh(state);
	int deleted = -1;
	assert_int_equal(store_inbound_record(st, "wecom", "abc", 1000), 0);
	assert_int_equal(store_inbound_record(st, "wecom", "abc", 1001), -EEXIST);
	assert_int_equal(store_inbound_record(st, "dingtalk", "abc", 1002), 0);
	assert_int_equal(store_inbound_record(st, "wecom", "def", 2000), 0);
	assert_int_equal(store_inbound_prune(st, 1500, &deleted), 0);
	assert_int_equal(deleted, 2);
	assert_int_equal(store_inbound_prune(st, 1500, NULL), 0);
	assert_int_equal(store_inbound_record(st, "wecom", "def", 2001), -EEXIST);
	assert_int_equal(store_inbound_record(st, "wecom", "abc", 2002), 0);
	assert_int_equal(store_inbound_record(st, NULL, "abc", 2002), -EINVAL);
}

/* Lines in data/regions.csv, header included. */
static int count_lines(const char *path)
{
	FILE *fp = fopen(path, "r");
	int n = 0, c;
	assert_non_null(fp);
	while ((c = fgetc(fp)) != EOF)
		n += c == '\n';
	fclose(fp);
	return n;
}

static void write_file(const char *dir, const char *name, const char *text, char *path,
                       size_t len)
{
	snprintf(path, len, "%s/%s", dir, name);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	assert_int_equal(fputs(text, fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
}

static void test_regions(void **state)
{
	struct fixture *f = *state;
	struct store *st = open_fresh(state);
	int expected = count_lines(REGIONS_CSV) - 1, loaded = 0;
	char name[96], path[128];

	begin(st);
	assert_int_equal(store_regions_load_csv(st, REGIONS_CSV, &loaded), 0);
	commit(st);
	assert_int_equal(loaded, expected);
	assert_int_equal(store_regions_count(st), expected);
	begin(st);
	assert_int_equal(store_regions_load_csv(st, REGIONS_CSV, NULL), 0);
	commit(st);
	assert_int_equal(store_regions_count(st), expected);
	assert_int_equal(store_region_name(st, "371302", name, sizeof name), 0);
	assert_string_equal(name, "兰山区");
	assert_int_equal(store_region_name(st, "3713", name, sizeof name), 0);
	assert_string_equal(name, "临沂市");
	assert_int_equal(store_region_name(st, "999999", name, sizeof name), -ENOENT);
	/* Truncation keeps whole UTF-8 characters: 兰 is 3 bytes. */
	assert_int_equal(store_region_name(st, "371302", name, 5), 0);
	assert_string_equal(name, "兰");

	/* A bad line rejects the whole file and changes nothing: the refused
	 * loads leave the caller's transaction usable, and committing it
	 * writes nothing of them. */
	write_file(f->dir, "bad.csv", "code,name,parent_code,level\n99,示例省,,1\n9901,x,99\n",
	           path, sizeof path);
	begin(st);
	assert_int_equal(store_regions_load_csv(st, path, &loaded), -EINVAL);
	assert_int_equal(store_region_name(st, "99", name, sizeof name), -ENOENT);
	write_file(f->dir, "bad.csv", "code,name,parent_code,level\n99,\"示例省,,1\n", path,
	           sizeof path);
	assert_int_equal(store_regions_load_csv(st, path, NULL), -EINVAL);
	write_file(f->dir, "bad.csv", "code,name\n99,示例省\n", path, sizeof path);
	assert_int_equal(store_regions_load_csv(st, path, NULL), -EINVAL);
	commit(st);
	/* (A parent that does not exist: test_regions_dangling_parent.) */
	assert_int_equal(store_regions_count(st), expected);
	begin(st);
	assert_int_equal(store_regions_load_csv(st, "/nonexistent/regions.csv", NULL), -ENOENT);
	commit(st);

	/* Quoted fields, CRLF line ends and a doubled quote. */
	write_file(f->dir, "quoted.csv",
	           "code,name,parent_code,level\r\n\"98\",\"示例,省\",,\"1\"\r\n"
	           "9801,\"示例\"\"市\"\"\",98,2\r\n", path, sizeof path);
	begin(st);
	assert_int_equal(store_regions_load_csv(st, path, &loaded), 0);
	commit(st);
	assert_int_equal(loaded, 2);
	assert_int_equal(store_region_name(st, "98", name, sizeof name), 0);
	assert_string_equal(name, "示例,省");
	assert_int_equal(store_region_name(st, "9801", name, sizeof name), 0);
	assert_string_equal(name, "示例\"市\"");
}

/* A parent that does not exist fails the deferred foreign key: the load is
 * refused and leaves the caller's transaction usable. */
static void test_regions_dangling_parent(void **state)
{
	struct fixture *f = *state;
	struct store *st = open_fresh(state);
	int expected = count_lines(REGIONS_CSV) - 1;
	char path[128];

	begin(st);
	assert_int_equal(store_regions_load_csv(st, REGIONS_CSV, NULL), 0);
	commit(st);
	write_file(f->dir, "bad.csv", "code,name,parent_code,level\n9901,示例市,99,2\n", path,
	           sizeof path);
	begin(st);
	assert_int_equal(store_regions_load_csv(st, path, NULL), -EINVAL);
	commit(st);
	assert_int_equal(store_regions_count(st), expected);
}

static void test_identity(void **state)
{
	struct store *st = open_fresh(state);
	struct store_identity id = {.role = "clerk", .scope = "3713"}, got;
	const struct store_identity_key u1 = {"wecom", "corp-a", "u1", "office"};
	const struct store_identity_key u1_ding = {"dingtalk", "corp-a", "u1", "office"};
	const struct store_identity_key u1_corp_b = {"wecom", "corp-b", "u1", "branch"};
	const struct store_identity_key u2 = {"wecom", "corp-a", "u2", "office"};

	begin(st);
	assert_int_equal(store_regions_load_csv(st, REGIONS_CSV, NULL), 0);
	commit(st);
	assert_int_equal(store_identity_get(st, &u1, &got), -ENOENT);
	assert_int_equal(store_identity_set(st, &u1, "示例办事员", &id), 0);
	assert_int_equal(store_identity_get(st, &u1, &got), 0);
	assert_string_equal(got.role, "clerk");
	assert_string_equal(got.scope, "3713");
	assert_string_equal(got.tenant, "corp-a");
	assert_int_equal(got.person_id, 0);
	assert_int_equal(got.alliance_id, 0);
	/* Same user id on another platform is someone else. */
	assert_int_equal(store_identity_get(st, &u1_ding, &got), -ENOENT);
	/* So is the same user id in another corp. */
	assert_int_equal(store_identity_get(st, &u1_corp_b, &got), -ENOENT);

	struct store_identity admin = {.role = "admin"};
	assert_int_equal(store_identity_set(st, &u1, NULL, &admin), 0);
	assert_int_equal(store_identity_get(st, &u1, &got), 0);
	assert_string_equal(got.role, "admin");
	assert_string_equal(got.scope, "");
	/* No display name given: the stored one stays. */
	assert_int_equal(query_int(st, "SELECT count(*) FROM identities"
	                               " WHERE display_name = '示例办事员'"), 1);

	/* Invalid: unknown role, a clerk without scope, a cqo without person,
	 * a scope that is not a region. */
	struct store_identity bad = {.role = "boss"};
	assert_int_equal(store_identity_set(st, &u2, NULL, &bad), -EINVAL);
	struct store_identity clerk = {.role = "clerk"};
	assert_int_equal(store_identity_set(st, &u2, NULL, &clerk), -EINVAL);
	struct store_identity cqo = {.role = "cqo"};
	assert_int_equal(store_identity_set(st, &u2, NULL, &cqo), -EINVAL);
	struct store_identity nowhere = {.role = "clerk", .scope = "999999"};
	assert_int_equal(store_identity_set(st, &u2, NULL, &nowhere), -EINVAL);
	assert_int_equal(store_identity_get(st, &u2, &got), -ENOENT);
}

static void test_transactions(void **state)
{
	struct store *st = open_fresh(state);

	assert_int_equal(store_check_writable(st), 0);
	assert_int_equal(store_rollback(st), 0);   /* nothing open: a no-op */

	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_begin(st), -EINVAL);   /* not nestable */
	assert_int_equal(store_check_writable(st), -EBUSY);
	assert_int_equal(store_inbound_record(st, "wecom", "t1", 1), 0);
	assert_int_equal(store_rollback(st), 0);
	assert_int_equal(query_int(st, "SELECT count(*) FROM inbound"), 0);

	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_inbound_record(st, "wecom", "t1", 1), 0);
	assert_int_equal(store_inbound_record(st, "wecom", "t2", 1), 0);
	assert_int_equal(store_commit(st), 0);
	assert_int_equal(query_int(st, "SELECT count(*) FROM inbound"), 2);

	/* The regions loader joins an open transaction, so it rolls back too. */
	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_regions_load_csv(st, REGIONS_CSV, NULL), 0);
	assert_int_equal(store_rollback(st), 0);
	assert_int_equal(store_regions_count(st), 0);
	/* Outside a transaction it refuses: it never begins one itself. */
	assert_int_equal(store_regions_load_csv(st, REGIONS_CSV, NULL), -EINVAL);
	assert_int_equal(store_regions_count(st), 0);
	assert_int_equal(store_check_writable(st), 0);
}

/* store_end closes every transaction it is given: committed on success,
 * rolled back on any other result, and rolled back when the COMMIT itself
 * fails (a deferred foreign key with no parent row fails only there). */
static void test_end(void **state)
{
	struct store *st = open_fresh(state);

	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_inbound_record(st, "wecom", "e1", 1), 0);
	assert_int_equal(store_end(st, 0), 0);
	assert_false(store_in_txn(st));
	assert_int_equal(query_int(st, "SELECT count(*) FROM inbound"), 1);

	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_inbound_record(st, "wecom", "e2", 1), 0);
	assert_int_equal(store_end(st, -ENOENT), -ENOENT);
	assert_false(store_in_txn(st));
	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_inbound_record(st, "wecom", "e3", 1), 0);
	assert_int_equal(store_end(st, 1), 1);   /* not 0: not committed either */
	assert_false(store_in_txn(st));
	assert_int_equal(query_int(st, "SELECT count(*) FROM inbound"), 1);

	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_inbound_record(st, "wecom", "e4", 1), 0);
	assert_int_equal(store_exec(st, "INSERT INTO regions (code, name, parent_code, level)"
	                                " VALUES ('9901', 'x', '99', 2)", "orphan"), 0);
	assert_int_equal(store_end(st, 0), -EINVAL);
	assert_false(store_in_txn(st));
	assert_int_equal(query_int(st, "SELECT count(*) FROM inbound"), 1);
	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_end(st, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_fresh_open, setup, teardown),
		cmocka_unit_test_setup_teardown(test_upgrade, setup, teardown),
		cmocka_unit_test_setup_teardown(test_upgrade_policies_training_hours, setup, teardown),
		cmocka_unit_test_setup_teardown(test_upgrade_policies_positions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_upgrade_talent_pool, setup, teardown),
		cmocka_unit_test_setup_teardown(test_upgrade_tags_by_year, setup, teardown),
		cmocka_unit_test_setup_teardown(test_upgrade_outbox_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_upgrade_target_metrics, setup, teardown),
		cmocka_unit_test_setup_teardown(test_upgrade_terms_as_rows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_upgrade_name_index, setup, teardown),
		cmocka_unit_test_setup_teardown(test_upgrade_sent_cards, setup, teardown),
		cmocka_unit_test_setup_teardown(test_upgrade_card_tracks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_upgrade_wecom_card_codes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_upgrade_open_advice_index, setup, teardown),
		cmocka_unit_test_setup_teardown(test_upgrade_inbound_rows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_upgrade_enterprise_contacts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_upgrade_identities_to_tenants, setup, teardown),
		cmocka_unit_test_setup_teardown(test_upgrade_outbox_unsent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_upgrade_outbox_state_check, setup, teardown),
		cmocka_unit_test_setup_teardown(test_upgrade_import_digests, setup, teardown),
		cmocka_unit_test_setup_teardown(test_checkpoint_worker, setup, teardown),
		cmocka_unit_test_setup_teardown(test_checkpoint_restart_releases_writers, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_checkpoint_restart_waits_for_no_reader, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_checkpoint_by_hand, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reopen_idempotent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_newer_schema_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pragmas, setup, teardown),
		cmocka_unit_test_setup_teardown(test_audit_log_append_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_inbound, setup, teardown),
		cmocka_unit_test_setup_teardown(test_regions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_regions_dangling_parent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_identity, setup, teardown),
		cmocka_unit_test_setup_teardown(test_transactions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_end, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
