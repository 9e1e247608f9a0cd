/* The process-wide SQLite settings of store_process_init, as the daemon
 * runs with them (main calls it before any database is opened). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "../../store/store.h"
#include "store_fresh.h"
#include "../../store/store_internal.h"

/* A statement whose journal grows past any spill threshold, in a
 * transaction that changed the same pages before: what a migration that
 * rebuilds an index of a large registry does at the daemon's start. SQLite
 * 3.40 fails such a statement with "database or disk is full" when the
 * statement journal spills to a file under a threshold above 128 KiB (its
 * copy into the file ends with a zero-byte write), so the daemon could not
 * migrate a large registry that cqoctl migrated. */
static void test_statement_journal_spill_never_fails(void **state)
{
	char dir[] = "/tmp/cqod-process-XXXXXX", path[64];
	struct store *st;
	(void)state;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/t.db", dir);
	assert_int_equal(store_fresh_open(path, &st), 0);
	assert_int_equal(sqlite3_exec(st->db,
		"CREATE TABLE t (id INTEGER PRIMARY KEY, x TEXT, y INTEGER);"
		"WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 100000)"
		" INSERT INTO t SELECT i, hex(randomblob(20)), i % 97 FROM c;"
		"CREATE INDEX t_y ON t(y);", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(store_begin(st), 0);
	assert_int_equal(sqlite3_exec(st->db,
		"UPDATE t SET y = y + 1 WHERE id % 3 = 0;"
		"DROP INDEX t_y;"
		"CREATE INDEX t_y ON t(y, x, id);"
		"UPDATE t SET y = y + 1;", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(store_commit(st), 0);
	assert_int_equal(sqlite3_exec(st->db, "PRAGMA quick_check", NULL, NULL, NULL), SQLITE_OK);
	store_close(st);
	store_fresh_remove(path);
	rmdir(dir);
}

int main(void)
{
	if (store_process_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_statement_journal_spill_never_fails),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
