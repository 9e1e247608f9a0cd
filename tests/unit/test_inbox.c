/* Inbound dedupe with group commit, on a real SQLite store. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "../../daemon/inbox.h"
#include "../../lib/metrics.h"
#include "../../store/store.h"
#include "store_fresh.h"
#include "../../store/store_internal.h"

struct result {
	bool orphan_region;     /* also write a row whose deferred key fails at COMMIT */
	int calls;
	int status;
	const char *source;
	char msg_id[32];
	int runs;
};

/* The least a unit does: record the id (dispatch_unit does more). */
static int on_run(void *arg, struct store *st)
{
	struct result *r = arg;
	int rc = store_inbound_record(st, r->source, r->msg_id, (int64_t)time(NULL));

	r->runs++;
	if (rc == 0 && r->orphan_region)
		rc = store_exec(st, "INSERT INTO regions (code, name, parent_code, level)"
		                    " VALUES ('9901', 'x', '99', 2)", "orphan region");
	return rc == 0 ? INBOX_DONE : rc == -EEXIST ? INBOX_DUPLICATE : INBOX_RETRY;
}

static void on_done(void *arg, int status)
{
	struct result *r = arg;
	r->calls++;
	r->status = status;
}

static int submit(struct inbox *ib, const char *source, const char *msg_id, struct result *r)
{
	struct inbox_job job = {.run = on_run, .done = on_done, .arg = r};

	r->source = source;
	snprintf(r->msg_id, sizeof r->msg_id, "%s", msg_id);
	return inbox_submit(ib, &job);
}

static char dbpath[256];

static int setup(void **state)
{
	char dir[] = "/tmp/cqod-inbox-XXXXXX";
	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(dbpath, sizeof dbpath, "%s/t.db", dir);
	return 0;
}

static int teardown(void **state)
{
	char cmd[300];
	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf \"$(dirname '%s')\"", dbpath);
	assert_int_equal(system(cmd), 0);
	metrics_reset();
	return 0;
}

static unsigned commits(void)
{
	char *s = metrics_render();
	unsigned n = 0;
	const char *p = s ? strstr(s, "\ncqod_inbox_commits_total ") : NULL;
	if (p)
		n = (unsigned)atoi(p + strlen("\ncqod_inbox_commits_total "));
	free(s);
	return n;
}

static void test_group_commit_and_dedupe(void **state)
{
	uv_loop_t loop;
	struct store *st;
	struct inbox *ib;
	struct result a = {0}, b = {0}, dup = {0}, other = {0};
	(void)state;

	metrics_describe("cqod_inbox_commits_total", "counter", "t");
	assert_int_equal(uv_loop_init(&loop), 0);
	assert_int_equal(store_fresh_open(dbpath, &st), 0);
	assert_int_equal(inbox_open(&loop, st, 256, 8, &ib), 0);
	assert_int_equal(submit(ib, "generic:t", "m1", &a), 0);
	assert_int_equal(submit(ib, "generic:t", "m2", &b), 0);
	assert_int_equal(submit(ib, "generic:t", "m1", &dup), 0);
	assert_int_equal(submit(ib, "generic:u", "m1", &other), 0);
	assert_int_equal(inbox_pending(ib), 4);
	assert_int_equal(a.calls, 0);   /* nothing acknowledged before the commit */
	uv_run(&loop, UV_RUN_NOWAIT);
	assert_int_equal(a.calls, 1);
	assert_int_equal(a.status, INBOX_DONE);
	assert_int_equal(b.status, INBOX_DONE);
	assert_int_equal(dup.status, INBOX_DUPLICATE);
	assert_int_equal(other.status, INBOX_DONE);
	assert_int_equal(commits(), 1);  /* four messages, one transaction */
	assert_int_equal(inbox_pending(ib), 0);

	/* Batches are bounded. */
	struct result r[5] = {{0}};
	inbox_set_limits(ib, 2, 8);
	for (int i = 0; i < 5; i++) {
		char id[16];
		snprintf(id, sizeof id, "b%d", i);
		assert_int_equal(submit(ib, "generic:t", id, &r[i]), 0);
	}
	for (int i = 0; i < 10 && inbox_pending(ib); i++)
		uv_run(&loop, UV_RUN_NOWAIT);
	assert_int_equal(commits(), 4);
	for (int i = 0; i < 5; i++)
		assert_int_equal(r[i].calls, 1);

	/* Closing flushes what is queued. */
	struct result last = {0};
	assert_int_equal(submit(ib, "generic:t", "last", &last), 0);
	inbox_close(ib);
	assert_int_equal(last.calls, 1);
	assert_int_equal(last.status, INBOX_DONE);
	uv_run(&loop, UV_RUN_DEFAULT);
	assert_int_equal(uv_loop_close(&loop), 0);
	store_close(st);

	/* Persisted: a new process still knows m1. */
	assert_int_equal(uv_loop_init(&loop), 0);
	assert_int_equal(store_open(dbpath, &st), 0);
	assert_int_equal(inbox_open(&loop, st, 256, 8, &ib), 0);
	struct result again = {0};
	assert_int_equal(submit(ib, "generic:t", "m1", &again), 0);
	uv_run(&loop, UV_RUN_NOWAIT);
	assert_int_equal(again.status, INBOX_DUPLICATE);
	inbox_close(ib);
	assert_int_equal(submit(ib, "generic:t", "x", &again), -ESHUTDOWN);
	uv_run(&loop, UV_RUN_DEFAULT);
	assert_int_equal(uv_loop_close(&loop), 0);
	store_close(st);
}

/* Another process holds the write lock: the loop never sleeps on it (each
 * turn returns at once), nothing is acknowledged while it is held, a
 * message that waited past INBOX_WAIT_MS is answered INBOX_RETRY without
 * being recorded, and the next try after the lock is gone commits. */
static void test_locked_database_is_retried_not_waited_for(void **state)
{
	uv_loop_t loop;
	struct store *st;
	struct inbox *ib;
	sqlite3 *other;
	struct result early = {0}, late = {0};
	(void)state;

	assert_int_equal(uv_loop_init(&loop), 0);
	assert_int_equal(store_fresh_open(dbpath, &st), 0);
	assert_int_equal(inbox_open(&loop, st, 256, 8, &ib), 0);
	assert_int_equal(sqlite3_open(dbpath, &other), SQLITE_OK);
	assert_int_equal(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);

	assert_int_equal(submit(ib, "generic:t", "locked", &early), 0);
	int turns = 0;
	uint64_t t0 = uv_hrtime();
	while (early.calls == 0 && turns < 100000) {
		uv_run(&loop, UV_RUN_ONCE);
		turns++;
	}
	uint64_t waited_ms = (uv_hrtime() - t0) / 1000000;
	assert_int_equal(early.calls, 1);
	assert_int_equal(early.status, INBOX_RETRY);
	assert_int_equal(early.runs, 0);
	/* Many short turns (timer retries), not one long sleep. */
	assert_true(turns > 5);
	printf("# locked: answered retry after %llu ms and %d loop turns\n",
	       (unsigned long long)waited_ms, turns);

	assert_int_equal(sqlite3_exec(other, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(submit(ib, "generic:t", "locked", &late), 0);
	for (int i = 0; i < 100 && late.calls == 0; i++)
		uv_run(&loop, UV_RUN_ONCE);
	assert_int_equal(late.status, INBOX_DONE);   /* the first try left no trace */
	sqlite3_close(other);
	inbox_close(ib);
	uv_run(&loop, UV_RUN_DEFAULT);
	assert_int_equal(uv_loop_close(&loop), 0);
	store_close(st);
}

/* A COMMIT that fails (here a deferred foreign key with no parent row) must
 * leave no transaction open: the batch is answered INBOX_RETRY, nothing of
 * it is kept, and the next batch begins and commits as usual. */
static void test_failed_commit_rolls_back(void **state)
{
	uv_loop_t loop;
	struct store *st;
	struct inbox *ib;
	struct result good = {0}, bad = {.orphan_region = true}, again = {0}, next = {0};
	(void)state;

	assert_int_equal(uv_loop_init(&loop), 0);
	assert_int_equal(store_fresh_open(dbpath, &st), 0);
	assert_int_equal(inbox_open(&loop, st, 256, 8, &ib), 0);
	assert_int_equal(submit(ib, "generic:t", "c1", &good), 0);
	assert_int_equal(submit(ib, "generic:t", "c2", &bad), 0);
	uv_run(&loop, UV_RUN_NOWAIT);
	assert_int_equal(bad.runs, 1);
	assert_int_equal(good.calls, 1);
	assert_int_equal(bad.calls, 1);
	assert_int_equal(good.status, INBOX_RETRY);
	assert_int_equal(bad.status, INBOX_RETRY);
	assert_false(store_in_txn(st));

	/* Nothing was kept: c1 runs again; a new message commits. */
	assert_int_equal(submit(ib, "generic:t", "c1", &again), 0);
	assert_int_equal(submit(ib, "generic:t", "c3", &next), 0);
	uv_run(&loop, UV_RUN_NOWAIT);
	assert_int_equal(again.status, INBOX_DONE);
	assert_int_equal(next.status, INBOX_DONE);
	assert_false(store_in_txn(st));
	inbox_close(ib);
	uv_run(&loop, UV_RUN_DEFAULT);
	assert_int_equal(uv_loop_close(&loop), 0);
	store_close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_group_commit_and_dedupe, setup, teardown),
		cmocka_unit_test_setup_teardown(test_locked_database_is_retried_not_waited_for, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_failed_commit_rolls_back, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
