/* Audit trail, access log batching, pending confirmations and policies. */
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
#include "../../store/store_audit.h"
#include "../../store/store_confirm.h"
#include "../../store/store_policy.h"

static char dir[64], db[128];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/cqod-audit-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(db, sizeof db, "%s/t.db", dir);
	return 0;
}

static int teardown(void **state)
{
	char cmd[160];
	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd);
}

/* Counts rows with a separate connection, as another process would see them. */
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

static const struct store_actor actor = {"generic", "u1", "chat-1", "培训", "test"};

static void test_audit_add_and_list(void **state)
{
	struct store *st;
	struct store_audit_row rows[2];
	size_t n, total;
	(void)state;
	assert_int_equal(store_fresh_open(db, &st), 0);
	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_audit_add(st, &actor, "training", 10, 7, NULL, "{\"hours\":8}"), 0);
	assert_int_equal(store_audit_add(st, &actor, "appointment", 7, 7, "{\"status\":\"active\"}",
	                                 "{\"status\":\"ended\"}"), 0);
	assert_int_equal(store_audit_add(st, &actor, "identity", 1, 0, NULL, "{}"), 0);
	assert_int_equal(store_commit(st), 0);

	assert_int_equal(store_audit_list(st, 7, 0, rows, 2, &n, &total), 0);
	assert_int_equal(total, 2);
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].entity, "appointment");      /* newest first */
	assert_string_equal(rows[0].after_json, "{\"status\":\"ended\"}");
	assert_string_equal(rows[1].entity, "training");
	assert_string_equal(rows[1].before_json, "");
	assert_string_equal(rows[1].command, "培训");
	assert_string_equal(rows[1].chat_id, "chat-1");
	assert_int_equal(store_audit_list(st, 7, 1, rows, 2, &n, &total), 0);
	assert_int_equal(n, 1);
	assert_int_equal(store_audit_list(st, 99, 0, rows, 2, &n, &total), 0);
	assert_int_equal(total, 0);

	char *json = NULL;
	static const char SNAP[] = "SELECT json_object('n', ?1 * 2)";
	assert_int_equal(store_snapshot_json(st, SNAP, 21, &json), 0);
	assert_string_equal(json, "{\"n\":42}");
	free(json);
	static const char NONE[] = "SELECT 1 WHERE ?1 < 0";
	assert_int_equal(store_snapshot_json(st, NONE, 1, &json), 0);
	assert_null(json);
	store_close(st);
}

/* Access-log rows belong to the command that showed the record: written in
 * its transaction, gone with it when it rolls back, and not counted as a
 * change to the registry. */
static void test_access_log_in_the_commands_transaction(void **state)
{
	struct store *st;
	(void)state;
	assert_int_equal(store_fresh_open(db, &st), 0);
	assert_int_equal(store_begin(st), 0);
	int64_t effects = store_effects(st);
	for (int i = 0; i < 100; i++)
		assert_int_equal(store_access_log_add(st, &actor, 3, 4, 1000 + i), 0);
	assert_int_equal(store_effects(st), effects);
	assert_int_equal(store_rollback(st), 0);
	assert_int_equal(count_rows("SELECT count(*) FROM access_log"), 0);
	assert_int_equal(store_begin(st), 0);
	for (int i = 0; i < 100; i++)
		assert_int_equal(store_access_log_add(st, &actor, 3, 4, 1000 + i), 0);
	assert_int_equal(store_commit(st), 0);
	assert_int_equal(count_rows("SELECT count(*) FROM access_log WHERE actor_user = 'u1'"
	                            " AND person_id = 3 AND appointment_id = 4"), 100);
	store_close(st);
}

static void test_confirmations(void **state)
{
	struct store *st;
	char *cmd = NULL;
	int dropped = 0;
	(void)state;
	assert_int_equal(store_fresh_open(db, &st), 0);
	assert_int_equal(store_confirm_put(st, "generic", "t", "u1", "123456", "除名 5 违法违规", 1000, 1600), 0);
	/* Another person, a wrong code, or too late: nothing. */
	assert_int_equal(store_confirm_take(st, "generic", "t", "u2", "123456", 1001, &cmd), -ENOENT);
	assert_int_equal(store_confirm_take(st, "generic", "t", "u1", "654321", 1001, &cmd), -ENOENT);
	assert_int_equal(store_confirm_take(st, "generic", "t", "u1", "123456", 1600, &cmd), -ENOENT);
	assert_int_equal(store_confirm_take(st, "generic", "t", "u1", "123456", 1599, &cmd), 0);
	assert_string_equal(cmd, "除名 5 违法违规");
	free(cmd);
	/* Once only. */
	assert_int_equal(store_confirm_take(st, "generic", "t", "u1", "123456", 1002, &cmd), -ENOENT);
	/* A new request replaces the pending one. */
	assert_int_equal(store_confirm_put(st, "generic", "t", "u1", "111111", "a", 2000, 2600), 0);
	assert_int_equal(store_confirm_put(st, "generic", "t", "u1", "222222", "b", 2001, 2601), 0);
	assert_int_equal(store_confirm_take(st, "generic", "t", "u1", "111111", 2002, &cmd), -ENOENT);
	/* Codes are unique across people while pending. */
	assert_int_equal(store_confirm_put(st, "generic", "t", "u3", "222222", "c", 2002, 2602), -EEXIST);
	assert_int_equal(store_confirm_drop(st, "generic", "t", "u1", 2003, &dropped), 0);
	assert_int_equal(dropped, 1);
	assert_int_equal(store_confirm_drop(st, "generic", "t", "u1", 2003, &dropped), 0);
	assert_int_equal(dropped, 0);
	/* The same user id in another tenant (generic:t2) is another person:
	 * it cannot confirm, and a drop there leaves this one pending. */
	assert_int_equal(store_confirm_put(st, "generic", "t", "u1", "333333", "d", 3000, 3600), 0);
	assert_int_equal(store_confirm_take(st, "generic", "t2", "u1", "333333", 3001, &cmd),
	                 -ENOENT);
	assert_int_equal(store_confirm_drop(st, "generic", "t2", "u1", 3001, &dropped), 0);
	assert_int_equal(dropped, 0);
	assert_int_equal(store_confirm_take(st, "generic", "t", "u1", "333333", 3002, &cmd), 0);
	assert_string_equal(cmd, "d");
	free(cmd);
	store_close(st);
}

static void test_policy_inheritance(void **state)
{
	struct store *st;
	struct store_policy p;
	(void)state;
	assert_int_equal(store_fresh_open(db, &st), 0);
	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_regions_load_csv(st, "data/regions.csv", NULL), 0);
	assert_int_equal(store_commit(st), 0);
	assert_int_equal(store_policy_for_region(st, "371302", &p), 0);
	assert_string_equal(p.region_code, "");
	assert_int_equal(p.term_months, 36);
	assert_int_equal(p.bind_code_days, 14);

	struct store_policy prov = p, city;
	snprintf(prov.region_code, sizeof prov.region_code, "37");
	prov.annual_hours = 24;
	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_policy_set(st, &prov), 0);
	city = prov;
	snprintf(city.region_code, sizeof city.region_code, "3713");
	city.term_months = 24;
	snprintf(city.min_education, sizeof city.min_education, "大专");
	city.eligibility_any = true;
	assert_int_equal(store_policy_set(st, &city), 0);
	assert_int_equal(store_commit(st), 0);

	assert_int_equal(store_policy_for_region(st, "371302", &p), 0);
	assert_string_equal(p.region_code, "3713");
	assert_int_equal(p.term_months, 24);
	assert_string_equal(p.min_education, "大专");
	assert_true(p.eligibility_any);
	assert_int_equal(store_policy_for_region(st, "370102", &p), 0);
	assert_string_equal(p.region_code, "37");
	assert_true(p.annual_hours == 24);
	assert_int_equal(store_policy_for_region(st, "61", &p), 0);
	assert_string_equal(p.region_code, "");
	/* The schema refuses nonsense. */
	city.term_months = 0;
	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_policy_set(st, &city), -EINVAL);
	assert_int_equal(store_commit(st), 0);
	store_close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_audit_add_and_list, setup, teardown),
		cmocka_unit_test_setup_teardown(test_access_log_in_the_commands_transaction, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_confirmations, setup, teardown),
		cmocka_unit_test_setup_teardown(test_policy_inheritance, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
