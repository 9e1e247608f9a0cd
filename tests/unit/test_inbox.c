/* Inbound dedupe with group commit, on a real SQLite store. */
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

#include "../../daemon/inbox.h"
#include "../../daemon/metrics.h"
#include "../../daemon/store.h"

struct result {
	int calls;
	int status;
};

static void on_done(void *arg, int status)
{
	struct result *r = arg;
	r->calls++;
	r->status = status;
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
	assert_int_equal(store_open(dbpath, &st), 0);
	assert_int_equal(inbox_open(&loop, st, 256, 8, &ib), 0);
	assert_int_equal(inbox_submit(ib, "generic:t", "m1", on_done, &a), 0);
	assert_int_equal(inbox_submit(ib, "generic:t", "m2", on_done, &b), 0);
	assert_int_equal(inbox_submit(ib, "generic:t", "m1", on_done, &dup), 0);
	assert_int_equal(inbox_submit(ib, "generic:u", "m1", on_done, &other), 0);
	assert_int_equal(inbox_pending(ib), 4);
	assert_int_equal(a.calls, 0);   /* nothing acknowledged before the commit */
	uv_run(&loop, UV_RUN_NOWAIT);
	assert_int_equal(a.calls, 1);
	assert_int_equal(a.status, 0);
	assert_int_equal(b.status, 0);
	assert_int_equal(dup.status, -EEXIST);
	assert_int_equal(other.status, 0);
	assert_int_equal(commits(), 1);  /* four messages, one transaction */
	assert_int_equal(inbox_pending(ib), 0);

	/* Batches are bounded. */
	struct result r[5] = {{0}};
	inbox_set_limits(ib, 2, 8);
	for (int i = 0; i < 5; i++) {
		char id[16];
		snprintf(id, sizeof id, "b%d", i);
		assert_int_equal(inbox_submit(ib, "generic:t", id, on_done, &r[i]), 0);
	}
	for (int i = 0; i < 10 && inbox_pending(ib); i++)
		uv_run(&loop, UV_RUN_NOWAIT);
	assert_int_equal(commits(), 4);
	for (int i = 0; i < 5; i++)
		assert_int_equal(r[i].calls, 1);

	/* Closing flushes what is queued. */
	struct result last = {0};
	assert_int_equal(inbox_submit(ib, "generic:t", "last", on_done, &last), 0);
	inbox_close(ib);
	assert_int_equal(last.calls, 1);
	assert_int_equal(last.status, 0);
	uv_run(&loop, UV_RUN_DEFAULT);
	assert_int_equal(uv_loop_close(&loop), 0);
	store_close(st);

	/* Persisted: a new process still knows m1. */
	assert_int_equal(uv_loop_init(&loop), 0);
	assert_int_equal(store_open(dbpath, &st), 0);
	assert_int_equal(inbox_open(&loop, st, 256, 8, &ib), 0);
	struct result again = {0};
	assert_int_equal(inbox_submit(ib, "generic:t", "m1", on_done, &again), 0);
	uv_run(&loop, UV_RUN_NOWAIT);
	assert_int_equal(again.status, -EEXIST);
	inbox_close(ib);
	assert_int_equal(inbox_submit(ib, "generic:t", "x", on_done, &again), -ESHUTDOWN);
	uv_run(&loop, UV_RUN_DEFAULT);
	assert_int_equal(uv_loop_close(&loop), 0);
	store_close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_group_commit_and_dedupe, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
