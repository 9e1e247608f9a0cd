/* The store's metrics: transaction latencies by outcome (the /healthz probe
 * not among them) and errors by kind. */
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

#include "../../lib/metrics.h"
#include "../../store/store.h"
#include "../../store/store_internal.h"

static char dir[64], path[96];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/cqod-test-storem-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/cqod.db", dir);
	return 0;
}

static int teardown(void **state)
{
	static const char *const names[] = {"cqod.db", "cqod.db-wal", "cqod.db-shm"};
	char p[128];
	(void)state;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		snprintf(p, sizeof p, "%s/%s", dir, names[i]);
		unlink(p);
	}
	rmdir(dir);
	metrics_reset();
	return 0;
}

/* The value of one series line in the exposition text, or -1 if absent. */
static long long value_of(const char *series)
{
	char *text = metrics_render();
	char key[160];
	long long v = -1;

	assert_non_null(text);
	snprintf(key, sizeof key, "\n%s ", series);
	const char *p = strstr(text, key);
	if (p)
		v = atoll(p + strlen(key));
	free(text);
	return v;
}

static void test_transactions_and_errors(void **state)
{
	struct store *st;
	(void)state;
	store_metrics_init();
	assert_int_equal(store_open(path, &st), 0);
	/* Opening runs migrations, each its own committed transaction. */
	long long migrations = value_of("cqod_store_transaction_seconds_count{outcome=\"commit\"}");
	assert_int_equal(migrations, store_migrations_count());

	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_commit(st), 0);
	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_rollback(st), 0);
	assert_int_equal(value_of("cqod_store_transaction_seconds_count{outcome=\"commit\"}"),
	                 migrations + 1);
	assert_int_equal(value_of("cqod_store_transaction_seconds_count{outcome=\"rollback\"}"), 1);

	/* The health probe is not work: counted nowhere. */
	assert_int_equal(store_check_writable(st), 0);
	assert_int_equal(value_of("cqod_store_transaction_seconds_count{outcome=\"rollback\"}"), 1);
	/* A rollback with nothing begun counts nothing either. */
	assert_int_equal(store_rollback(st), 0);
	assert_int_equal(value_of("cqod_store_transaction_seconds_count{outcome=\"rollback\"}"), 1);

	assert_int_equal(value_of("cqod_store_errors_total{kind=\"other\"}"), -1);
	assert_int_equal(store_exec(st, "SELECT FROM nothing", "bad sql"), -EIO);
	assert_int_equal(value_of("cqod_store_errors_total{kind=\"other\"}"), 1);
	assert_int_equal(store_exec(st, "CREATE TABLE t(x UNIQUE); INSERT INTO t VALUES (1);"
	                                "INSERT INTO t VALUES (1)", "dup"), -EEXIST);
	assert_int_equal(value_of("cqod_store_errors_total{kind=\"constraint\"}"), 1);

	/* A read-only connection is a worker thread's, and the registry is the
	 * loop's: its failures are logged, not counted. */
	struct store *ro;
	assert_int_equal(store_open_readonly(path, &ro), 0);
	assert_int_equal(store_exec(ro, "SELECT FROM nothing", "bad sql off the loop"), -EIO);
	assert_int_equal(value_of("cqod_store_errors_total{kind=\"other\"}"), 1);
	store_close(ro);
	store_close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_transactions_and_errors, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
