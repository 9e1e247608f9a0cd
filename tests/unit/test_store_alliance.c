/* Alliances in the store: creating and listing them (store_alliance.c),
 * members and who counts as one (store_alliance_member.c), their groups
 * (store_subscription.c) and annual campaigns (store_campaign.c), over a
 * small hand-built registry. Run from the repository root (reads
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

#include "../../store/store.h"
#include "store_fresh.h"
#include "../../store/store_alliance.h"
#include "../../store/store_audit.h"
#include "../../store/store_campaign.h"
#include "../../store/store_internal.h"
#include "../../store/store_subscription.h"

/*
 * Record k is person k at enterprise k:
 *  1 371302 active       2 371311 active       3 610113 active
 *  4 371302 removed (open 除名)                 5 371302 active, open 黑名单
 *  6 371312 active, a revoked 黑名单 (counts again)
 */
static const char FIXTURE_SQL[] =
	"INSERT INTO enterprises (id, credit_code, name, region_code, created_at, updated_at)"
	" VALUES (1, '91371302TST000001A', '甲公司', '371302', 0, 0),"
	" (2, '91371311TST000002A', '乙公司', '371311', 0, 0),"
	" (3, '91610113TST000003A', '丙公司', '610113', 0, 0),"
	" (4, '91371302TST000004A', '丁公司', '371302', 0, 0),"
	" (5, '91371302TST000005A', '戊公司', '371302', 0, 0),"
	" (6, '91371312TST000006A', '己公司', '371312', 0, 0);"
	"INSERT INTO people (id, name, created_at, updated_at) VALUES"
	" (1, '人一', 0, 0), (2, '人二', 0, 0), (3, '人三', 0, 0), (4, '人四', 0, 0),"
	" (5, '人五', 0, 0), (6, '人六', 0, 0);"
	"INSERT INTO appointments (id, enterprise_id, person_id, start_date, term_end, status,"
	" ended_on, filed_at, updated_at) VALUES"
	" (1, 1, 1, '2025-01-01', '2027-12-31', 'active', NULL, 0, 0),"
	" (2, 2, 2, '2025-01-01', '2027-12-31', 'active', NULL, 0, 0),"
	" (3, 3, 3, '2025-01-01', '2027-12-31', 'active', NULL, 0, 0),"
	" (4, 4, 4, '2025-01-01', '2027-12-31', 'removed', '2026-01-05', 0, 0),"
	" (5, 5, 5, '2025-01-01', '2027-12-31', 'active', NULL, 0, 0),"
	" (6, 6, 6, '2025-01-01', '2027-12-31', 'active', NULL, 0, 0);"
	"INSERT INTO sanctions (appointment_id, kind, issued_on, status, revoked_at, created_at)"
	" VALUES (4, '除名', '2026-01-05', 'open', NULL, 0),"
	" (5, '黑名单', '2026-01-06', 'open', NULL, 0),"
	" (6, '黑名单', '2026-01-07', 'revoked', 1, 0),"
	" (1, '警示', '2026-01-08', 'open', NULL, 0);";

static const struct store_actor actor = {
	.platform = "generic", .user_id = "u-admin", .chat_id = "c1", .command = "联盟",
};

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
	snprintf(f->dir, sizeof f->dir, "/tmp/cqod-test-alliance-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/cqod.db", f->dir);
	assert_int_equal(store_fresh_open(f->path, &f->st), 0);
	begin(f->st);
	assert_int_equal(store_regions_load_csv(f->st, "data/regions.csv", NULL), 0);
	commit(f->st);
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

static int64_t count(struct store *st, const char *sql)
{
	sqlite3_stmt *s;
	int64_t n = -1;

	assert_int_equal(sqlite3_prepare_v2(st->db, sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return n;
}

/* Alliance "甲联盟" (3713) with records 1, 2, 4, 5 and 6; "乙联盟" (61, no
 * members yet); "丙联盟" without a region. */
static void make_alliances(struct store *st, int64_t ids[3])
{
	begin(st);
	assert_int_equal(store_alliance_create(st, &actor, "甲联盟", "3713", 100, &ids[0]), 0);
	assert_int_equal(store_alliance_create(st, &actor, "乙联盟", "61", 100, &ids[1]), 0);
	assert_int_equal(store_alliance_create(st, &actor, "丙联盟（演示）", "", 100, &ids[2]), 0);
	for (int64_t rec = 1; rec <= 6; rec++)
		if (rec != 3)
			assert_int_equal(store_alliance_member_add(st, &actor, ids[0], rec, 200), 0);
	commit(st);
}

static void test_create(void **state)
{
	struct store *st = st_of(state);
	struct store_alliance al;
	int64_t ids[3], id;

	make_alliances(st, ids);
	begin(st);
	assert_int_equal(store_alliance_create(st, &actor, "甲联盟", "", 100, &id), -EEXIST);
	/* Names are compared as chat input reaches them: folded brackets. */
	assert_int_equal(store_alliance_create(st, &actor, "丙联盟(演示)", "", 100, &id), -EEXIST);
	assert_int_equal(store_alliance_create(st, &actor, "丁联盟", "379999", 100, &id), -EINVAL);
	commit(st);
	assert_int_equal(store_alliance_find(st, "丙联盟(演示)", &al), 0);
	assert_int_equal(al.id, ids[2]);
	assert_string_equal(al.region_code, "");
	assert_int_equal(store_alliance_get(st, ids[0], &al), 0);
	assert_string_equal(al.region_code, "3713");
	/* Each creation and each membership is audited. */
	assert_int_equal(count(st, "SELECT count(*) FROM audit_log WHERE entity = 'alliance'"), 3);
	assert_int_equal(count(st, "SELECT count(*) FROM audit_log WHERE entity = 'alliance_member'"
	                           " AND record_id = 5"), 1);
}

static void test_region_overlap(void **state)
{
	(void)state;
	assert_true(store_alliance_region_overlaps("3713", "371302"));
	assert_true(store_alliance_region_overlaps("371302", "37"));
	assert_true(store_alliance_region_overlaps("", "610113"));
	assert_false(store_alliance_region_overlaps("3713", "610113"));
	assert_false(store_alliance_region_overlaps("371302", "371311"));
}

static void test_list_filters(void **state)
{
	struct store *st = st_of(state);
	struct store_alliance_row rows[4];
	struct store_alliance_filter f = {0};
	size_t n, total;
	int64_t ids[3];

	make_alliances(st, ids);
	assert_int_equal(store_alliance_list(st, &f, 0, rows, 4, &n, &total), 0);
	assert_int_equal(total, 3);
	/* Records 1, 2 and 6 count; 4 (removed) and 5 (blacklisted) do not. */
	assert_int_equal(rows[0].members, 3);
	assert_int_equal(rows[1].members, 0);
	/* A clerk of 371302 sees the city's alliance and the one without a region. */
	f.scope = "371302";
	assert_int_equal(store_alliance_list(st, &f, 0, rows, 4, &n, &total), 0);
	assert_int_equal(total, 2);
	assert_int_equal(rows[0].al.id, ids[0]);
	assert_int_equal(rows[1].al.id, ids[2]);
	f.scope = "610113";
	assert_int_equal(store_alliance_list(st, &f, 1, rows, 4, &n, &total), 0);
	assert_int_equal(total, 2);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].al.id, ids[2]);
	/* A person: only where they count as a member. */
	f = (struct store_alliance_filter){.person_id = 1};
	assert_int_equal(store_alliance_list(st, &f, 0, rows, 4, &n, &total), 0);
	assert_int_equal(total, 1);
	assert_true(rows[0].private_notices);
	f.person_id = 5;
	assert_int_equal(store_alliance_list(st, &f, 0, rows, 4, &n, &total), 0);
	assert_int_equal(total, 0);
	f = (struct store_alliance_filter){.alliance_id = ids[1]};
	assert_int_equal(store_alliance_list(st, &f, 0, rows, 4, &n, &total), 0);
	assert_int_equal(total, 1);
	assert_string_equal(rows[0].al.name, "乙联盟");
}

static void test_members(void **state)
{
	struct store *st = st_of(state);
	struct store_alliance_member m[4];
	size_t n, total;
	int64_t ids[3];
	bool yes;

	make_alliances(st, ids);
	begin(st);
	assert_int_equal(store_alliance_member_add(st, &actor, ids[0], 1, 300), -EEXIST);
	assert_int_equal(store_alliance_member_add(st, &actor, ids[0], 99, 300), -ENOENT);
	assert_int_equal(store_alliance_member_add(st, &actor, 99, 1, 300), -ENOENT);
	commit(st);
	assert_int_equal(store_alliance_members(st, ids[0], 0, m, 2, &n, &total), 0);
	assert_int_equal(total, 3);
	assert_int_equal(n, 2);
	assert_int_equal(m[0].appointment_id, 1);
	assert_string_equal(m[0].person_name, "人一");
	assert_string_equal(m[0].enterprise_name, "甲公司");
	assert_int_equal(m[1].appointment_id, 2);
	assert_int_equal(store_alliance_members(st, ids[0], 2, m, 2, &n, &total), 0);
	assert_int_equal(n, 1);
	assert_int_equal(m[0].appointment_id, 6);

	assert_int_equal(store_alliance_person_member(st, ids[0], 2, &yes), 0);
	assert_true(yes);
	assert_int_equal(store_alliance_person_member(st, ids[0], 5, &yes), 0);
	assert_false(yes);
	assert_int_equal(store_alliance_person_member(st, ids[0], 3, &yes), 0);
	assert_false(yes);
	assert_int_equal(store_alliance_person_barred(st, 4, &yes), 0);
	assert_true(yes);
	assert_int_equal(store_alliance_person_barred(st, 5, &yes), 0);
	assert_true(yes);
	assert_int_equal(store_alliance_person_barred(st, 6, &yes), 0);
	assert_false(yes);
	assert_int_equal(store_alliance_person_barred(st, 1, &yes), 0);
	assert_false(yes);

	begin(st);
	assert_int_equal(store_alliance_member_remove(st, &actor, ids[0], 2), 0);
	assert_int_equal(store_alliance_member_remove(st, &actor, ids[0], 2), -ENOENT);
	commit(st);
	assert_int_equal(store_alliance_person_member(st, ids[0], 2, &yes), 0);
	assert_false(yes);
	assert_int_equal(count(st, "SELECT count(*) FROM audit_log WHERE entity = 'alliance_member'"
	                           " AND record_id = 2 AND after_json IS NULL"), 1);
}

static void test_private_notices(void **state)
{
	struct store *st = st_of(state);
	struct store_alliance_member m[4];
	size_t n, total;
	int64_t ids[3];
	int changed;

	make_alliances(st, ids);
	begin(st);
	assert_int_equal(store_alliance_member_add(st, &actor, ids[2], 1, 300), 0);
	assert_int_equal(store_alliance_private_set(st, &actor, 1, ids[0], false, &changed), 0);
	assert_int_equal(changed, 1);
	assert_int_equal(store_alliance_private_set(st, &actor, 1, ids[0], false, &changed), 0);
	assert_int_equal(changed, 0);
	commit(st);
	assert_int_equal(store_alliance_members(st, ids[0], 0, m, 4, &n, &total), 0);
	assert_false(m[0].private_notices);
	assert_true(m[1].private_notices);
	/* All of the person's alliances at once. */
	begin(st);
	assert_int_equal(store_alliance_private_set(st, &actor, 1, 0, false, &changed), 0);
	assert_int_equal(changed, 1);
	assert_int_equal(store_alliance_private_set(st, &actor, 1, 0, true, &changed), 0);
	assert_int_equal(changed, 2);
	assert_int_equal(store_alliance_private_set(st, &actor, 3, 0, true, &changed), -ENOENT);
	assert_int_equal(store_alliance_private_set(st, &actor, 1, ids[1], true, &changed), -ENOENT);
	commit(st);
	assert_int_equal(count(st, "SELECT count(*) FROM audit_log WHERE entity = 'alliance_private'"
	                           " AND entity_id = 1"), 3);
}

static struct dest chat(const char *platform, const char *instance, const char *target)
{
	struct dest d;

	memset(&d, 0, sizeof d);
	snprintf(d.platform, sizeof d.platform, "%s", platform);
	snprintf(d.instance, sizeof d.instance, "%s", instance);
	snprintf(d.target, sizeof d.target, "%s", target);
	d.kind = target[0] ? DEST_CHAT : DEST_ROBOT;
	return d;
}

static void test_subscriptions(void **state)
{
	struct store *st = st_of(state);
	struct store_subscription subs[4], one;
	struct dest g1 = chat("dingtalk", "d1", "cid-1"), r1 = chat("wecom", "alerts", "");
	struct dest g2 = chat("feishu", "f1", "oc_2");
	int64_t ids[3], id;
	size_t n, total;

	make_alliances(st, ids);
	begin(st);
	assert_int_equal(store_subscription_add(st, &actor, ids[0], &g1, "机械群", 10, &id), 0);
	assert_int_equal(store_subscription_add(st, &actor, ids[0], &r1, NULL, 11, &id), 0);
	assert_int_equal(store_subscription_add(st, &actor, ids[0], &g2, "", 12, &id), 0);
	assert_int_equal(store_subscription_add(st, &actor, ids[0], &g1, "又一次", 13, &id), -EEXIST);
	/* The same group may serve several alliances. */
	assert_int_equal(store_subscription_add(st, &actor, ids[1], &g1, NULL, 14, &id), 0);
	commit(st);

	assert_int_equal(store_subscription_list(st, ids[0], 0, subs, 4, &n, &total), 0);
	assert_int_equal(total, 3);
	assert_int_equal(subs[0].dest.kind, DEST_CHAT);
	assert_string_equal(subs[0].dest.target, "cid-1");
	assert_string_equal(subs[0].label, "机械群");
	assert_int_equal(subs[1].dest.kind, DEST_ROBOT);
	assert_string_equal(subs[1].dest.instance, "alerts");
	assert_string_equal(subs[1].dest.target, "");
	assert_string_equal(subs[2].label, "");

	assert_int_equal(store_subscription_find(st, ids[0], &r1, &one), 0);
	assert_int_equal(one.id, subs[1].id);
	begin(st);
	assert_int_equal(store_subscription_remove(st, &actor, ids[0], &r1), 0);
	assert_int_equal(store_subscription_remove(st, &actor, ids[0], &r1), -ENOENT);
	commit(st);
	assert_int_equal(store_subscription_find(st, ids[0], &r1, &one), -ENOENT);
	assert_int_equal(store_subscription_list(st, ids[0], 1, subs, 4, &n, &total), 0);
	assert_int_equal(total, 2);
	assert_int_equal(n, 1);
	assert_string_equal(subs[0].dest.target, "oc_2");
	assert_int_equal(count(st, "SELECT count(*) FROM audit_log WHERE entity = 'subscription'"),
	                 5);
	/* The alliance list counts groups. */
	struct store_alliance_row rows[3];
	struct store_alliance_filter f = {0};
	assert_int_equal(store_alliance_list(st, &f, 0, rows, 3, &n, &total), 0);
	assert_int_equal(rows[0].groups, 2);
	assert_int_equal(rows[1].groups, 1);
}

static void test_campaigns(void **state)
{
	struct store *st = st_of(state);
	struct store_campaign c[4];
	int64_t ids[3];
	size_t n;

	make_alliances(st, ids);
	begin(st);
	assert_int_equal(store_campaign_set(st, &actor, ids[0], "质量月", "09-01", "九月质量月", 1),
	                 0);
	assert_int_equal(store_campaign_set(st, &actor, ids[0], "首席质量官日", "06-15", "节日", 1),
	                 0);
	assert_int_equal(store_campaign_set(st, &actor, ids[0], "质量月", "09-02", "改了", 2), 0);
	assert_int_equal(store_campaign_set(st, &actor, ids[1], "质量月", "02-30", "x", 2), -EINVAL);
	assert_int_equal(store_campaign_set(st, &actor, ids[1], "植树节", "03-12", "x", 2), -EINVAL);
	commit(st);
	assert_int_equal(store_campaign_list(st, ids[0], c, 4, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(c[0].kind, "首席质量官日");
	assert_string_equal(c[1].month_day, "09-02");
	assert_string_equal(c[1].body, "改了");
	assert_string_equal(c[1].alliance_name, "甲联盟");

	/* Due on its day and up to 7 days after, once a year. */
	assert_int_equal(store_campaign_next_due(st, "2026-09-01", 7, 0, c), -ENOENT);
	assert_int_equal(store_campaign_next_due(st, "2026-09-02", 7, 0, c), 0);
	assert_string_equal(c[0].kind, "质量月");
	assert_int_equal(store_campaign_next_due(st, "2026-09-09", 7, 0, c), 0);
	assert_int_equal(store_campaign_next_due(st, "2026-09-10", 7, 0, c), -ENOENT);
	assert_int_equal(store_campaign_next_due(st, "2026-09-02", 7, c[0].id, c), -ENOENT);
	begin(st);
	assert_int_equal(store_campaign_mark_sent(st, c[0].id, 2026), 0);
	commit(st);
	assert_int_equal(store_campaign_next_due(st, "2026-09-03", 7, 0, c), -ENOENT);
	assert_int_equal(store_campaign_next_due(st, "2027-09-03", 7, 0, c), 0);

	begin(st);
	assert_int_equal(store_campaign_delete(st, &actor, ids[0], "首席质量官日"), 0);
	assert_int_equal(store_campaign_delete(st, &actor, ids[0], "首席质量官日"), -ENOENT);
	commit(st);
	assert_int_equal(store_campaign_list(st, ids[0], c, 4, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(count(st, "SELECT count(*) FROM audit_log WHERE entity = 'campaign'"), 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_create, setup, teardown),
		cmocka_unit_test(test_region_overlap),
		cmocka_unit_test_setup_teardown(test_list_filters, setup, teardown),
		cmocka_unit_test_setup_teardown(test_members, setup, teardown),
		cmocka_unit_test_setup_teardown(test_private_notices, setup, teardown),
		cmocka_unit_test_setup_teardown(test_subscriptions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_campaigns, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
