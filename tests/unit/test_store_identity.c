/* Identity management (grant, revoke, last admin, list), alliance lookups
 * and the person brief, on the demo registry. Run from the repository root
 * (reads data/). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../store/store.h"
#include "store_fresh.h"
#include "../../store/store_demo.h"
#include "../../store/store_alliance.h"
#include "../../store/store_audit.h"
#include "../../store/store_identity.h"

static char dir[64], db[128];

static const struct store_actor actor = {"generic", "boss", "chat-9", "授权", "test"};

/* The demo registry: 张三 is person 1 with record 2 (371302); alliance 1
 * has the active records of 3713 (2, 3, 4) as members. */
static int setup(void **state)
{
	struct store *st;

	snprintf(dir, sizeof dir, "/tmp/cqod-identity-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(db, sizeof db, "%s/t.db", dir);
	assert_int_equal(store_fresh_open(db, &st), 0);
	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_regions_load_csv(st, "data/regions.csv", NULL), 0);
	assert_int_equal(store_demo_seed(st, "2026-06-01"), 0);
	assert_int_equal(store_commit(st), 0);
	*state = st;
	return 0;
}

static int teardown(void **state)
{
	char cmd[160];

	store_close(*state);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd);
}

static int count_rows(const char *sql)
{
	sqlite3 *h;
	sqlite3_stmt *s;
	int n = -1;
	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(h);
	return n;
}

/* Each grant and revoke is a unit of work of its own, as one 授权 command:
 * begun and committed here (also when refused: the refusal must have
 * written nothing), so another connection sees its outcome. */
/* The identity of user in the tests' one tenant of each platform. */
static struct store_identity_key key_of(const char *platform, const char *user)
{
	return (struct store_identity_key){platform, "test", user, "test"};
}

static int get(struct store *st, const char *platform, const char *user,
               struct store_identity *out)
{
	struct store_identity_key key = key_of(platform, user);
	return store_identity_get(st, &key, out);
}

static int grant_in_tx(struct store *st, const char *platform, const char *user,
                       const struct store_identity *id)
{
	struct store_identity_key key = key_of(platform, user);
	assert_int_equal(store_begin(st), 0);
	int rc = store_identity_grant(st, &actor, &key, id);
	assert_int_equal(store_commit(st), 0);
	return rc;
}

static int revoke_in_tx(struct store *st, const char *platform, const char *user)
{
	struct store_identity_key key = key_of(platform, user);
	assert_int_equal(store_begin(st), 0);
	int rc = store_identity_revoke(st, &actor, &key);
	assert_int_equal(store_commit(st), 0);
	return rc;
}

static struct store_identity role(const char *name, const char *scope, int64_t alliance,
                                  int64_t person)
{
	struct store_identity id = {.alliance_id = alliance, .person_id = person};
	snprintf(id.role, sizeof id.role, "%s", name);
	snprintf(id.scope, sizeof id.scope, "%s", scope);
	return id;
}

static void test_grant_writes_identity_and_audit(void **state)
{
	struct store *st = *state;
	struct store_identity got, clerk = role("clerk", "371302", 0, 0);

	assert_int_equal(grant_in_tx(st, "generic", "u1", &clerk), 0);
	assert_int_equal(get(st, "generic", "u1", &got), 0);
	assert_string_equal(got.role, "clerk");
	assert_string_equal(got.scope, "371302");
	assert_int_equal(count_rows("SELECT count(*) FROM audit_log WHERE entity = 'identity'"
	                            " AND before_json IS NULL AND command = '授权'"
	                            " AND actor_user = 'boss' AND chat_id = 'chat-9'"
	                            " AND json_extract(after_json, '$.scope_region') = '371302'"), 1);

	/* Replacing keeps one row and audits before and after. */
	struct store_identity wider = role("clerk", "3713", 0, 0);
	assert_int_equal(grant_in_tx(st, "generic", "u1", &wider), 0);
	assert_int_equal(get(st, "generic", "u1", &got), 0);
	assert_string_equal(got.scope, "3713");
	assert_int_equal(count_rows("SELECT count(*) FROM audit_log WHERE entity = 'identity'"
	                            " AND json_extract(before_json, '$.scope_region') = '371302'"
	                            " AND json_extract(after_json, '$.scope_region') = '3713'"), 1);
	assert_int_equal(count_rows("SELECT count(*) FROM identities"), 1);
}

static void test_grant_cqo_belongs_to_record(void **state)
{
	struct store *st = *state;
	struct store_identity cqo = role("cqo", "", 0, 1);
	struct store_audit_row rows[4];
	size_t n, total;

	assert_int_equal(grant_in_tx(st, "generic", "zs", &cqo), 0);
	assert_int_equal(store_audit_list(st, 2, 0, rows, 4, &n, &total), 0);
	assert_int_equal(total, 1);
	assert_string_equal(rows[0].entity, "identity");
	assert_int_equal(revoke_in_tx(st, "generic", "zs"), 0);
	assert_int_equal(store_audit_list(st, 2, 0, rows, 4, &n, &total), 0);
	assert_int_equal(total, 2);
	assert_string_equal(rows[0].after_json, "");   /* deleted */
}

static void test_grant_bad_references_change_nothing(void **state)
{
	struct store *st = *state;
	struct store_identity no_region = role("clerk", "999999", 0, 0);
	struct store_identity no_alliance = role("organizer", "", 99, 0);
	struct store_identity got;

	assert_int_equal(grant_in_tx(st, "generic", "u1", &no_region), -EINVAL);
	assert_int_equal(grant_in_tx(st, "generic", "u1", &no_alliance), -EINVAL);
	assert_int_equal(get(st, "generic", "u1", &got), -ENOENT);
	assert_int_equal(count_rows("SELECT count(*) FROM audit_log"), 0);
}

static void test_revoke(void **state)
{
	struct store *st = *state;
	struct store_identity got, org = role("organizer", "", 1, 0);

	assert_int_equal(revoke_in_tx(st, "generic", "nobody"), -ENOENT);
	assert_int_equal(grant_in_tx(st, "generic", "o1", &org), 0);
	/* Same user id on another platform is someone else. */
	assert_int_equal(revoke_in_tx(st, "wecom", "o1"), -ENOENT);
	assert_int_equal(revoke_in_tx(st, "generic", "o1"), 0);
	assert_int_equal(get(st, "generic", "o1", &got), -ENOENT);
	assert_int_equal(count_rows("SELECT count(*) FROM audit_log WHERE after_json IS NULL"
	                            " AND json_extract(before_json, '$.role') = 'organizer'"), 1);
}

static void test_last_admin_is_kept(void **state)
{
	struct store *st = *state;
	struct store_identity admin = role("admin", "", 0, 0), clerk = role("clerk", "37", 0, 0);
	struct store_identity got;
	int n;

	assert_int_equal(store_identity_count_admins(st, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(grant_in_tx(st, "generic", "a1", &admin), 0);
	assert_int_equal(revoke_in_tx(st, "generic", "a1"), -EPERM);
	assert_int_equal(grant_in_tx(st, "generic", "a1", &clerk), -EPERM);
	assert_int_equal(get(st, "generic", "a1", &got), 0);
	assert_string_equal(got.role, "admin");
	/* Re-granting admin to the last admin is fine. */
	assert_int_equal(grant_in_tx(st, "generic", "a1", &admin), 0);

	/* An admin on another platform counts. */
	assert_int_equal(grant_in_tx(st, "wecom", "a1", &admin), 0);
	assert_int_equal(store_identity_count_admins(st, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(grant_in_tx(st, "generic", "a1", &clerk), 0);
	assert_int_equal(revoke_in_tx(st, "wecom", "a1"), -EPERM);
	/* Refusals wrote no audit rows: two grants, one re-grant, one demotion. */
	assert_int_equal(count_rows("SELECT count(*) FROM audit_log"), 4);
}

static void test_list(void **state)
{
	struct store *st = *state;
	struct store_identity_row rows[3];
	size_t n, total;
	struct store_identity ids[] = {
		role("cqo", "", 0, 1), role("clerk", "371302", 0, 0), role("clerk", "610113", 0, 0),
		role("admin", "", 0, 0), role("organizer", "", 1, 0), role("clerk", "3713", 0, 0),
	};
	const char *users[] = {"c1", "k1", "k2", "a1", "o1", "k3"};

	for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
		assert_int_equal(grant_in_tx(st, "generic", users[i], &ids[i]), 0);

	assert_int_equal(store_identity_list(st, "", "", 0, rows, 3, &n, &total), 0);
	assert_int_equal(total, 6);
	assert_int_equal(n, 3);
	assert_string_equal(rows[0].user_id, "a1");   /* admins first, then clerks */
	assert_string_equal(rows[1].user_id, "k1");
	assert_string_equal(rows[1].scope_name, "兰山区");
	assert_int_equal(store_identity_list(st, "", "", 3, rows, 3, &n, &total), 0);
	assert_int_equal(n, 3);
	assert_string_equal(rows[0].user_id, "k3");
	assert_string_equal(rows[1].user_id, "o1");
	assert_string_equal(rows[1].alliance_name, "示例市首席质量官联盟（演示）");
	assert_string_equal(rows[2].user_id, "c1");
	assert_string_equal(rows[2].person_name, "张三");
	assert_int_equal(rows[2].appointment_id, 2);
	assert_int_equal(store_identity_list(st, "", "", 6, rows, 3, &n, &total), 0);
	assert_int_equal(n, 0);

	/* A city clerk's view: clerks of the city and its counties. */
	assert_int_equal(store_identity_list(st, "clerk", "3713", 0, rows, 3, &n, &total), 0);
	assert_int_equal(total, 2);
	assert_string_equal(rows[0].user_id, "k1");
	assert_string_equal(rows[1].user_id, "k3");
	/* A county clerk does not see the city clerk above them. */
	assert_int_equal(store_identity_list(st, "clerk", "371302", 0, rows, 3, &n, &total), 0);
	assert_int_equal(total, 1);
	assert_int_equal(store_identity_list(st, "clerk", "44", 0, rows, 3, &n, &total), 0);
	assert_int_equal(total, 0);
}

/* Two WeCom corps each have a ZhangWei: a role of one is not the other's. */
static void test_tenants_are_separate(void **state)
{
	struct store *st = *state;
	struct store_identity got, admin = role("admin", "", 0, 0);
	struct store_identity_key a = {"wecom", "corp-a", "ZhangWei", "office"};
	struct store_identity_key b = {"wecom", "corp-b", "ZhangWei", "branch"};
	/* Two apps of corp A share the identity. */
	struct store_identity_key a_hr = {"wecom", "corp-a", "ZhangWei", "hr"};

	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_identity_grant(st, &actor, &a, &admin), 0);
	assert_int_equal(store_identity_get(st, &b, &got), -ENOENT);
	assert_int_equal(store_identity_revoke(st, &actor, &b), -ENOENT);
	assert_int_equal(store_identity_get(st, &a_hr, &got), 0);
	assert_string_equal(got.role, "admin");
	assert_string_equal(got.tenant, "corp-a");
	assert_string_equal(got.instance, "office");
	assert_int_equal(store_commit(st), 0);
	assert_int_equal(count_rows("SELECT count(*) FROM audit_log WHERE entity = 'identity'"
	                            " AND json_extract(after_json, '$.tenant') = 'corp-a'"), 1);
}

/* A pending identity (tenant unknown: granted where the configuration
 * cannot tell it) answers only on its instance, and its first message
 * there gives it its tenant, audited; then no other tenant matches it. */
static void test_pending_identity_takes_first_tenant(void **state)
{
	struct store *st = *state;
	struct store_identity got, admin = role("admin", "", 0, 0);
	struct store_identity_key pending = {"feishu", NULL, "ou_1", "office"};
	struct store_identity_key on_office = {"feishu", "tk-a", "ou_1", "office"};
	struct store_identity_key on_other = {"feishu", "tk-a", "ou_1", "other"};
	struct store_identity_key other_tenant = {"feishu", "tk-b", "ou_1", "office"};
	struct store_identity_key nowhere = {"feishu", NULL, "ou_2", NULL};

	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_identity_set(st, &nowhere, NULL, &admin), -EINVAL);
	assert_int_equal(store_identity_grant(st, &actor, &pending, &admin), 0);
	assert_int_equal(store_identity_get(st, &on_other, &got), -ENOENT);
	assert_int_equal(store_identity_get(st, &on_office, &got), 0);
	assert_string_equal(got.tenant, "");
	assert_int_equal(store_identity_adopt(st, &on_other, "c"), -ENOENT);
	assert_int_equal(store_identity_adopt(st, &on_office, "c"), 0);
	assert_int_equal(store_identity_adopt(st, &on_office, "c"), -ENOENT);
	assert_int_equal(store_identity_get(st, &on_office, &got), 0);
	assert_string_equal(got.tenant, "tk-a");
	assert_int_equal(store_identity_get(st, &other_tenant, &got), -ENOENT);
	assert_int_equal(store_commit(st), 0);
	assert_int_equal(count_rows("SELECT count(*) FROM audit_log WHERE command = 'upgrade'"
	                            " AND actor_tenant = 'tk-a' AND actor_user = 'ou_1'"
	                            " AND json_extract(before_json, '$.tenant') IS NULL"
	                            " AND json_extract(after_json, '$.tenant') = 'tk-a'"), 1);

	/* A pending row whose tenant already has the user is left alone. */
	struct store_identity_key pending2 = {"feishu", NULL, "ou_3", "office"};
	struct store_identity_key tenanted2 = {"feishu", "tk-a", "ou_3", "office"};
	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_identity_grant(st, &actor, &tenanted2, &admin), 0);
	assert_int_equal(store_identity_set(st, &pending2, NULL, &admin), 0);
	assert_int_equal(store_identity_adopt(st, &tenanted2, "c"), -EEXIST);
	assert_int_equal(store_commit(st), 0);
	assert_int_equal(count_rows("SELECT count(*) FROM identities WHERE user_id = 'ou_3'"
	                            " AND tenant IS NULL"), 1);
}

static void test_alliance(void **state)
{
	struct store *st = *state;
	struct store_alliance al;
	bool member;

	assert_int_equal(store_alliance_get(st, 1, &al), 0);
	assert_string_equal(al.name, "示例市首席质量官联盟（演示）");
	assert_string_equal(al.region_code, "3713");
	assert_int_equal(store_alliance_get(st, 2, &al), -ENOENT);
	assert_int_equal(store_alliance_find(st, "1", &al), 0);
	assert_int_equal(al.id, 1);
	assert_int_equal(store_alliance_find(st, "示例市首席质量官联盟（演示）", &al), 0);
	assert_int_equal(al.id, 1);
	/* As typed in chat: the tokenizer folds full-width brackets. */
	assert_int_equal(store_alliance_find(st, "示例市首席质量官联盟(演示)", &al), 0);
	assert_int_equal(al.id, 1);
	assert_string_equal(al.name, "示例市首席质量官联盟（演示）");
	assert_int_equal(store_alliance_find(st, "示例市", &al), -ENOENT);
	assert_int_equal(store_alliance_find(st, "示例市首席质量官联盟(演示", &al), -ENOENT);
	assert_int_equal(store_alliance_find(st, "99999999999999999999", &al), -ENOENT);
	assert_int_equal(store_alliance_find(st, "", &al), -EINVAL);

	assert_int_equal(store_alliance_has_member(st, 1, 2, &member), 0);
	assert_true(member);
	assert_int_equal(store_alliance_has_member(st, 1, 5, &member), 0);   /* 王五, Xi'an */
	assert_false(member);
	assert_int_equal(store_alliance_has_member(st, 1, 1, &member), 0);   /* ended */
	assert_false(member);
}

static void test_person_brief(void **state)
{
	struct store *st = *state;
	char name[64];
	int64_t record;

	assert_int_equal(store_person_brief(st, 1, name, sizeof name, &record), 0);
	assert_string_equal(name, "张三");
	assert_int_equal(record, 2);
	assert_int_equal(store_person_brief(st, 6, name, sizeof name, &record), 0);
	assert_string_equal(name, "孙八");
	assert_int_equal(record, 1);
	assert_int_equal(store_person_brief(st, 99, name, sizeof name, &record), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_grant_writes_identity_and_audit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_grant_cqo_belongs_to_record, setup, teardown),
		cmocka_unit_test_setup_teardown(test_grant_bad_references_change_nothing, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_revoke, setup, teardown),
		cmocka_unit_test_setup_teardown(test_last_admin_is_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tenants_are_separate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pending_identity_takes_first_tenant, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_alliance, setup, teardown),
		cmocka_unit_test_setup_teardown(test_person_brief, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
