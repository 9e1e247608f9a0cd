/* The outbox store: enqueue (parts, idempotency, savepoints, the wake-up),
 * the dispatcher's claim/settle/recover, and the operator's functions. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../lib/clock.h"
#include "../../store/store.h"
#include "store_fresh.h"
#include "../../store/store_internal.h"
#include "../../store/store_outbox.h"
#include "../../daemon/outbox_dead_notice.h"
#include "../../lib/config.h"
#include "../../messages/platforms.h"

struct fixture {
	char dir[64];
	char path[96];
	struct store *st;
	int wakes;
};

static void on_wake(void *arg)
{
	struct fixture *f = arg;
	f->wakes++;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	assert_non_null(f);
	snprintf(f->dir, sizeof f->dir, "/tmp/cqod-test-outbox-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/cqod.db", f->dir);
	assert_int_equal(store_fresh_open(f->path, &f->st), 0);
	store_outbox_set_wake(f->st, on_wake, f);
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

static int64_t query_int(struct store *st, const char *sql)
{
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(st->db, sql, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	int64_t v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

static struct dest robot(const char *instance)
{
	struct dest d = {.platform = "wecom", .kind = DEST_ROBOT};
	snprintf(d.instance, sizeof d.instance, "%s", instance);
	return d;
}

static struct dest user(const char *id)
{
	struct dest d = {.platform = "wecom", .instance = "office", .kind = DEST_USER};
	snprintf(d.target, sizeof d.target, "%s", id);
	return d;
}

static int enqueue_text(struct store *st, const struct dest *d, const char *key,
                        int64_t not_before)
{
	struct reply r;
	reply_init(&r);
	assert_int_equal(reply_add_line(&r, "hello %s", key), 0);
	int rc = store_outbox_enqueue(st, d, &r, key, not_before, 7);
	reply_free(&r);
	return rc;
}

/* enqueue_text as a unit of work of its own: begun and committed here
 * (also when refused: a refusal leaves the transaction usable and writes
 * nothing). */
static int enqueue_in_tx(struct store *st, const struct dest *d, const char *key,
                         int64_t not_before)
{
	assert_int_equal(store_begin(st), 0);
	int rc = enqueue_text(st, d, key, not_before);
	assert_int_equal(store_commit(st), 0);
	return rc;
}

static void test_enqueue_once(void **state)
{
	struct fixture *f = *state;
	struct dest d = user("zhangsan");

	assert_int_equal(enqueue_in_tx(f->st, &d, "k1", 0), 0);
	assert_int_equal(f->wakes, 1);
	assert_int_equal(enqueue_in_tx(f->st, &d, "k1", 0), -EEXIST);
	assert_int_equal(f->wakes, 1);
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM outbox"), 1);
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM outbox WHERE idem_key = 'k1#1'"
	                                  " AND state = 'pending' AND chat_kind = 'private'"
	                                  " AND destination = 'wecom|office|user|0|zhangsan'"
	                                  " AND request_id = '7' AND platform = 'wecom'"
	                                  " AND instance = 'office'"),
	                 1);
	assert_true(query_int(f->st, "SELECT not_before FROM outbox") >= clock_now() - 5);
}

static void test_enqueue_rejects(void **state)
{
	struct fixture *f = *state;
	struct dest d = user("zhangsan");
	struct dest bad = {.platform = "console", .instance = "x", .kind = DEST_USER,
	                   .target = "u"};
	struct reply r;

	reply_init(&r);
	/* Inside a transaction, so that -EINVAL is the refusal of the values,
	 * not of a missing transaction. */
	assert_int_equal(store_begin(f->st), 0);
	/* An empty reply renders to nothing. */
	assert_int_equal(store_outbox_enqueue(f->st, &d, &r, "k", 0, 0), -EINVAL);
	assert_int_equal(reply_add_line(&r, "x"), 0);
	assert_int_equal(store_outbox_enqueue(f->st, &d, &r, NULL, 0, 0), -EINVAL);
	assert_int_equal(store_outbox_enqueue(f->st, &d, &r, "", 0, 0), -EINVAL);
	assert_int_equal(store_outbox_enqueue(f->st, &bad, &r, "k", 0, 0), -EINVAL);
	assert_int_equal(store_commit(f->st), 0);
	reply_free(&r);
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM outbox"), 0);
	assert_int_equal(f->wakes, 0);
}

/* A reply longer than one WeCom text (2048 bytes) becomes several rows,
 * keyed #1, #2, ... in order. */
static void test_enqueue_parts(void **state)
{
	struct fixture *f = *state;
	struct dest d = robot("grp");
	struct reply r;

	reply_init(&r);
	for (int i = 0; i < 100; i++)
		assert_int_equal(reply_add_line(&r, "第%03d行：一些足够长的文字内容", i), 0);
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_outbox_enqueue(f->st, &d, &r, "long", 1000, 0), 0);
	assert_int_equal(store_commit(f->st), 0);
	reply_free(&r);
	int64_t n = query_int(f->st, "SELECT count(*) FROM outbox");
	assert_true(n >= 2);
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM outbox WHERE chat_kind = 'group'"
	                                  " AND not_before = 1000 AND request_id IS NULL"),
	                 n);
	assert_int_equal(query_int(f->st, "SELECT min(id) FROM outbox WHERE idem_key = 'long#1'"),
	                 query_int(f->st, "SELECT min(id) FROM outbox"));
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM outbox WHERE idem_key = 'long#2'"),
	                 1);
}

/* The enqueue that gives the first part's row id (the reminder ledger links
 * to it): the id of "<key>#1", for one part and for several; 0 and -EEXIST
 * when the key is taken; refused outside a transaction. */
static void test_enqueue_id(void **state)
{
	struct fixture *f = *state;
	struct dest d = user("wangwu");
	struct reply one, many;
	int64_t id = -1;

	reply_init(&one);
	reply_init(&many);
	assert_int_equal(reply_add_line(&one, "一行"), 0);
	for (int i = 0; i < 100; i++)
		assert_int_equal(reply_add_line(&many, "第%03d行：一些足够长的文字内容", i), 0);
	assert_int_equal(store_outbox_enqueue_id(f->st, &d, &one, "one", &id), -EINVAL);
	assert_int_equal(id, 0);
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM outbox"), 0);
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(enqueue_text(f->st, &d, "before", 0), 0);
	assert_int_equal(store_outbox_enqueue_id(f->st, &d, &one, "one", &id), 0);
	assert_int_equal(id, query_int(f->st, "SELECT id FROM outbox WHERE idem_key = 'one#1'"));
	assert_int_equal(store_outbox_enqueue_id(f->st, &d, &one, "one", &id), -EEXIST);
	assert_int_equal(id, 0);
	assert_int_equal(store_outbox_enqueue_id(f->st, &d, &many, "many", &id), 0);
	assert_int_equal(id, query_int(f->st, "SELECT id FROM outbox WHERE idem_key = 'many#1'"));
	assert_int_equal(store_commit(f->st), 0);
	reply_free(&one);
	reply_free(&many);
	assert_true(query_int(f->st, "SELECT count(*) FROM outbox WHERE idem_key LIKE 'many#%'") >=
	            2);
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM outbox WHERE idem_key = 'one#1'"
	                                  " AND state = 'pending' AND request_id IS NULL"),
	                 1);
	assert_int_equal(f->wakes, 1);
}

/* Inside a caller's transaction: the wake-up waits for the commit, and a
 * rollback takes the rows (and the wake-up) away. Outside one it refuses:
 * it never makes its own. */
static void test_enqueue_in_transaction(void **state)
{
	struct fixture *f = *state;
	struct dest d = user("lisi");

	assert_int_equal(enqueue_text(f->st, &d, "t0", 0), -EINVAL);
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM outbox"), 0);
	assert_int_equal(f->wakes, 0);

	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(enqueue_text(f->st, &d, "t1", 0), 0);
	assert_int_equal(enqueue_text(f->st, &d, "t1", 0), -EEXIST);
	assert_int_equal(f->wakes, 0);
	assert_int_equal(store_rollback(f->st), 0);
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM outbox"), 0);
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(f->wakes, 0);

	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(enqueue_text(f->st, &d, "t1", 0), 0);
	assert_int_equal(enqueue_text(f->st, &d, "t2", 0), 0);
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(f->wakes, 1);
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM outbox"), 2);
}

struct heads {
	int64_t ids[8];
	char dests[8][64];
	int64_t not_before[8];
	int n;
};

static int on_head(void *arg, int64_t id, const char *destination, int64_t not_before)
{
	struct heads *h = arg;
	if (h->n == 8)
		return 1;
	h->ids[h->n] = id;
	snprintf(h->dests[h->n], sizeof h->dests[h->n], "%s", destination);
	h->not_before[h->n++] = not_before;
	return 0;
}

/* One head per destination, the lowest (not_before, id), in that order. */
static void test_heads(void **state)
{
	struct fixture *f = *state;
	struct dest a = robot("a"), b = robot("b"), c = user("c");
	struct heads h = {0};

	assert_int_equal(enqueue_in_tx(f->st, &a, "a1", 300), 0);   /* id 1 */
	assert_int_equal(enqueue_in_tx(f->st, &a, "a2", 100), 0);   /* id 2 */
	assert_int_equal(enqueue_in_tx(f->st, &a, "a3", 100), 0);   /* id 3 */
	assert_int_equal(enqueue_in_tx(f->st, &b, "b1", 200), 0);   /* id 4 */
	assert_int_equal(enqueue_in_tx(f->st, &c, "c1", 50), 0);    /* id 5 */
	assert_int_equal(store_outbox_heads(f->st, on_head, &h), 0);
	assert_int_equal(h.n, 3);
	assert_int_equal(h.ids[0], 5);
	assert_string_equal(h.dests[0], "wecom|office|user|0|c");
	assert_int_equal(h.ids[1], 2);
	assert_int_equal(h.not_before[1], 100);
	assert_string_equal(h.dests[1], "wecom|a|robot|0|");
	assert_int_equal(h.ids[2], 4);

	/* A claimed row is no longer a head; its destination's next one is. */
	struct store_outbox_row row;
	assert_int_equal(store_outbox_claim(f->st, 2, 1000, &row), 0);
	free(row.payload);
	memset(&h, 0, sizeof h);
	assert_int_equal(store_outbox_heads(f->st, on_head, &h), 0);
	assert_int_equal(h.n, 3);
	assert_int_equal(h.ids[1], 3);
}

static void test_claim_and_settle(void **state)
{
	struct fixture *f = *state;
	struct dest a = robot("a");
	struct store_outbox_row row;

	assert_int_equal(enqueue_in_tx(f->st, &a, "x", 100), 0);
	assert_int_equal(enqueue_in_tx(f->st, &a, "y", 100), 0);
	assert_int_equal(store_outbox_claim(f->st, 1, 500, &row), 0);
	assert_int_equal(row.id, 1);
	assert_string_equal(row.destination, "wecom|a|robot|0|");
	assert_non_null(strstr(row.payload, "hello x"));
	assert_int_equal(row.attempts, 0);
	assert_int_equal(row.request_id, 7);
	free(row.payload);
	/* Twice: it is no longer pending. */
	assert_int_equal(store_outbox_claim(f->st, 1, 500, &row), -ENOENT);
	assert_null(row.payload);
	assert_int_equal(store_outbox_claim(f->st, 99, 500, &row), -ENOENT);

	/* A retry counts an attempt and holds the destination's other rows. */
	assert_int_equal(store_outbox_settle(f->st, 1, OUTBOX_RETRY, 900, "HTTP 500", 510), 0);
	assert_int_equal(query_int(f->st, "SELECT attempts FROM outbox WHERE id = 1"), 1);
	assert_int_equal(query_int(f->st, "SELECT not_before FROM outbox WHERE id = 2"), 900);
	assert_int_equal(query_int(f->st, "SELECT sent_at FROM outbox WHERE id = 1"), 500);
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM outbox WHERE id = 1"
	                                  " AND last_error = 'HTTP 500' AND state = 'pending'"),
	                 1);
	/* Only an inflight row can be settled. */
	assert_int_equal(store_outbox_settle(f->st, 1, OUTBOX_SENT, 0, NULL, 520), -ENOENT);

	/* Waiting (rate limited) counts no attempt. */
	assert_int_equal(store_outbox_claim(f->st, 1, 900, &row), 0);
	free(row.payload);
	assert_int_equal(store_outbox_settle(f->st, 1, OUTBOX_WAIT, 1500, "45009", 901), 0);
	assert_int_equal(query_int(f->st, "SELECT attempts FROM outbox WHERE id = 1"), 1);
	assert_int_equal(query_int(f->st, "SELECT not_before FROM outbox WHERE id = 2"), 1500);

	assert_int_equal(store_outbox_claim(f->st, 1, 1500, &row), 0);
	free(row.payload);
	assert_int_equal(store_outbox_settle(f->st, 1, OUTBOX_SENT, 0, NULL, 1501), 0);
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM outbox WHERE id = 1"
	                                  " AND state = 'sent' AND last_error IS NULL"
	                                  " AND sent_at = 1500"),
	                 1);
	int64_t at;
	assert_int_equal(store_outbox_last_attempt(f->st, "wecom|a|robot|0|", &at), 0);
	assert_int_equal(at, 1500);
	assert_int_equal(store_outbox_last_attempt(f->st, "wecom|b|robot|0|", &at), 0);
	assert_int_equal(at, 0);

	assert_int_equal(store_outbox_claim(f->st, 2, 1600, &row), 0);
	free(row.payload);
	/* An attempt in flight is paced by its sender, not restored as a past
	 * one: a fast path's claimed answer would otherwise wait a whole
	 * interval for itself. */
	assert_int_equal(store_outbox_last_attempt(f->st, "wecom|a|robot|0|", &at), 0);
	assert_int_equal(at, 1500);
	assert_int_equal(store_outbox_settle(f->st, 2, OUTBOX_DEAD, 0, "93000", 1601), 0);
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM outbox WHERE id = 2"
	                                  " AND state = 'dead' AND attempts = 1"),
	                 1);
}

static void free_batch(struct store_outbox_batch_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(rows[i].payload);
}

static void test_claim_batch_settle_sent_unclaim(void **state)
{
	struct fixture *f = *state;
	struct dest a = robot("a"), b = robot("b");
	struct store_outbox_row row;
	struct store_outbox_batch_row rows[8];
	int64_t file_id;
	size_t n;

	assert_int_equal(enqueue_in_tx(f->st, &a, "x", 100), 0);          /* id 1 */
	assert_int_equal(enqueue_in_tx(f->st, &a, "y", 50), 0);           /* id 2 */
	assert_int_equal(enqueue_in_tx(f->st, &b, "w", 10), 0);           /* id 3 */
	assert_int_equal(enqueue_in_tx(f->st, &a, "late", 900), 0);       /* id 4 */
	assert_int_equal(store_begin(f->st), 0);                          /* id 5, due now */
	assert_int_equal(store_outbox_enqueue_file(f->st, &a, "export|x", "f", 0, &file_id), 0);
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(enqueue_in_tx(f->st, &a, "after", 2900000000), 0); /* id 6 */
	assert_int_equal(file_id, 5);

	/* Due ones only, at most max, in send order, claimed. */
	assert_int_equal(store_outbox_claim_batch(f->st, "wecom|a|robot|0|", 500, 1, rows, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].id, 2);
	assert_non_null(strstr(rows[0].payload, "hello y"));
	assert_int_equal(rows[0].request_id, 7);
	free_batch(rows, n);
	assert_int_equal(store_outbox_claim_batch(f->st, "wecom|a|robot|0|", 500, 8, rows, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].id, 1);
	free_batch(rows, n);
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM outbox WHERE state = 'inflight'"
	                                  " AND sent_at = 500"),
	                 2);
	/* Never past a file row, though a row behind it is due. */
	assert_int_equal(store_outbox_claim_batch(f->st, "wecom|a|robot|0|", 3000000000, 8, rows,
	                                          &n),
	                 0);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].id, 4);
	free_batch(rows, n);
	assert_int_equal(store_outbox_claim_batch(f->st, "wecom|a|robot|0|", 3000000000, 8, rows,
	                                          &n),
	                 0);
	assert_int_equal(n, 0);
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM outbox WHERE state = 'pending'"),
	                 3);

	/* Sent together; a row not inflight is passed over. */
	int64_t sent[] = {4, 3};
	assert_int_equal(store_outbox_settle_sent(f->st, sent, 2, 3000000001), 0);
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM outbox WHERE state = 'sent'"
	                                  " AND id = 4 AND last_error IS NULL"),
	                 1);
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM outbox WHERE state = 'pending'"
	                                  " AND id = 3"),
	                 1);

	/* Put back unsent: pending, due no earlier than asked, never attempted. */
	assert_int_equal(store_outbox_unclaim(f->st, 2, 700, 610), 0);
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM outbox WHERE id = 2"
	                                  " AND state = 'pending' AND not_before = 700"
	                                  " AND attempts = 0 AND sent_at IS NULL"),
	                 1);
	assert_int_equal(store_outbox_unclaim(f->st, 2, 700, 610), -ENOENT);
	/* A row retried before keeps its attempts, error, later not_before and
	 * the time of its last claim (its rate counts from there). */
	assert_int_equal(store_outbox_settle(f->st, 1, OUTBOX_RETRY, 800, "HTTP 500", 601), 0);
	assert_int_equal(store_outbox_claim(f->st, 1, 800, &row), 0);
	free(row.payload);
	assert_int_equal(store_outbox_unclaim(f->st, 1, 10, 810), 0);
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM outbox WHERE id = 1"
	                                  " AND state = 'pending' AND not_before = 800"
	                                  " AND attempts = 1 AND last_error = 'HTTP 500'"
	                                  " AND sent_at = 800"),
	                 1);
}

/* The dispatcher's statements find their rows by key, never by walking
 * rows of one state: while 64 destinations drain, thousands are inflight,
 * and a settle that scanned them would cost that much every pass. */
static void test_dispatch_plans(void **state)
{
	struct fixture *f = *state;
	struct dest a = robot("a");
	struct store_outbox_batch_row rows[4];
	struct store_outbox_row row;
	char sql[2048];
	size_t n, checked = 0;

	for (int i = 0; i < 4; i++) {
		char key[16];
		snprintf(key, sizeof key, "k%d", i);
		assert_int_equal(enqueue_in_tx(f->st, &a, key, 0), 0);
	}
	/* Only the dispatcher's statements in a fresh store's cache. */
	store_close(f->st);
	assert_int_equal(store_open(f->path, &f->st), 0);
	struct store *st = f->st;
	assert_int_equal(store_outbox_claim(st, 1, 3000000000, &row), 0);
	free(row.payload);
	assert_int_equal(store_outbox_claim_batch(st, "wecom|a|robot|0|", 3000000000, 2, rows, &n),
	                 0);
	assert_int_equal(n, 2);
	free_batch(rows, n);
	int64_t sent[] = {1, 2};
	assert_int_equal(store_outbox_settle_sent(st, sent, 2, 3000000001), 0);
	assert_int_equal(store_outbox_unclaim(st, 3, 3000000002, 3000000001), 0);

	for (size_t i = 0; i < st->n_slots; i++) {
		sqlite3_stmt *stmt = st->slots[i].stmt, *plan;
		bool by_key = false;
		if (!stmt || strncmp(sqlite3_sql(stmt), "UPDATE outbox", 13) != 0)
			continue;
		snprintf(sql, sizeof sql, "EXPLAIN QUERY PLAN %s", sqlite3_sql(stmt));
		assert_int_equal(sqlite3_prepare_v2(st->db, sql, -1, &plan, NULL), SQLITE_OK);
		while (sqlite3_step(plan) == SQLITE_ROW) {
			const char *detail = (const char *)sqlite3_column_text(plan, 3);
			if (strncmp(detail, "SEARCH outbox USING INTEGER PRIMARY KEY", 39) == 0)
				by_key = true;
		}
		sqlite3_finalize(plan);
		if (!by_key)
			fail_msg("%s\nfinds its rows otherwise than by id", sqlite3_sql(stmt));
		checked++;
	}
	assert_int_equal(checked, 4);
}

/* A batch is read once and claimed by id without RETURNING: SQLite keeps
 * returned rows in a temporary table filled by a program run per row,
 * which cost a seventh of each claim while 64 destinations drain. */
static void test_claim_batch_without_returning(void **state)
{
	struct fixture *f = *state;
	struct dest a = robot("a");
	struct store_outbox_batch_row rows[4];
	size_t n, updates = 0;

	for (int i = 0; i < 3; i++) {
		char key[16];
		snprintf(key, sizeof key, "k%d", i);
		assert_int_equal(enqueue_in_tx(f->st, &a, key, 0), 0);
	}
	store_close(f->st);
	assert_int_equal(store_open(f->path, &f->st), 0);
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_outbox_claim_batch(f->st, "wecom|a|robot|0|", 3000000000, 4, rows,
	                                          &n), 0);
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(n, 3);
	free_batch(rows, n);
	for (size_t i = 0; i < f->st->n_slots; i++) {
		sqlite3_stmt *stmt = f->st->slots[i].stmt;

		if (!stmt || strncmp(sqlite3_sql(stmt), "UPDATE outbox", 13) != 0)
			continue;
		if (strstr(sqlite3_sql(stmt), "RETURNING"))
			fail_msg("%s\nreturns its rows", sqlite3_sql(stmt));
		updates++;
	}
	assert_int_equal(updates, 1);
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM outbox WHERE state = 'inflight'"
	                                  " AND sent_at = 3000000000"),
	                 3);
}

/* Whether this process holds a temporary file of SQLite's (deleted once
 * opened, named etilqs_...). */
static bool holds_temp_file(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	bool found = false;

	assert_non_null(d);
	while (!found && (e = readdir(d))) {
		char link[300], target[512];
		ssize_t n;

		snprintf(link, sizeof link, "/proc/self/fd/%s", e->d_name);
		n = readlink(link, target, sizeof target - 1);
		if (n > 0) {
			target[n] = '\0';
			found = strstr(target, "etilqs_") != NULL;
		}
	}
	closedir(d);
	return found;
}

/* store_process_init (called by main): settling thousands of rows at once
 * keeps the statement's journal in memory, no temporary file. */
static void test_settle_many_in_memory(void **state)
{
	struct fixture *f = *state;
	struct dest a = robot("a");
	enum { N = 3000 };
	struct store_outbox_batch_row *rows = calloc(N, sizeof *rows);
	int64_t *ids = calloc(N, sizeof *ids);
	size_t n;

	assert_non_null(rows);
	assert_non_null(ids);
	assert_int_equal(store_begin(f->st), 0);
	for (int i = 0; i < N; i++) {
		char key[16];
		snprintf(key, sizeof key, "m%d", i);
		assert_int_equal(enqueue_text(f->st, &a, key, 0), 0);
	}
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_outbox_claim_batch(f->st, "wecom|a|robot|0|", 3000000000, N, rows,
	                                          &n), 0);
	assert_int_equal(n, N);
	assert_int_equal(store_commit(f->st), 0);
	for (size_t i = 0; i < n; i++)
		ids[i] = rows[i].id;
	free_batch(rows, n);

	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_outbox_settle_sent(f->st, ids, N, 3000000001), 0);
	/* The statement's journal lives until the transaction ends. */
	assert_false(holds_temp_file());
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM outbox WHERE state = 'sent'"), N);
	free(ids);
	free(rows);
}

static void test_recover(void **state)
{
	struct fixture *f = *state;
	struct dest a = robot("a");
	struct store_outbox_row row;
	int n = -1;

	assert_int_equal(enqueue_in_tx(f->st, &a, "x", 0), 0);
	assert_int_equal(enqueue_in_tx(f->st, &a, "y", 0), 0);
	assert_int_equal(store_outbox_claim(f->st, 1, 100, &row), 0);
	free(row.payload);
	assert_int_equal(store_outbox_recover(f->st, 200, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM outbox WHERE state = 'pending'"),
	                 2);
	/* The interrupted attempt still counts for the rate limit. */
	assert_int_equal(query_int(f->st, "SELECT sent_at FROM outbox WHERE id = 1"), 100);
}

static void test_stats_and_dead_counts(void **state)
{
	struct fixture *f = *state;
	struct dest a = robot("a");
	struct store_outbox_stats s;
	struct store_outbox_row row;
	int64_t recent, total, at;

	assert_int_equal(enqueue_in_tx(f->st, &a, "x", 100), 0);
	assert_int_equal(enqueue_in_tx(f->st, &a, "y", 200), 0);
	assert_int_equal(enqueue_in_tx(f->st, &a, "outbox:dead:1", 300), 0);
	assert_int_equal(enqueue_in_tx(f->st, &a, "z", 5000), 0);
	assert_int_equal(store_outbox_stats(f->st, 1000, &s), 0);
	assert_int_equal(s.pending, 4);
	assert_int_equal(s.oldest_due, 100);
	for (int64_t id = 1; id <= 3; id++) {
		assert_int_equal(store_outbox_claim(f->st, id, 1000, &row), 0);
		free(row.payload);
		assert_int_equal(store_outbox_settle(f->st, id, OUTBOX_DEAD, 0, "x", 1000 + id), 0);
	}
	assert_int_equal(store_outbox_stats(f->st, 1000, &s), 0);
	assert_int_equal(s.pending, 1);
	assert_int_equal(s.inflight, 0);
	assert_int_equal(s.dead, 3);
	assert_int_equal(s.oldest_due, 0);
	assert_int_equal(store_outbox_dead_counts(f->st, 1002, "outbox:dead:", &recent, &total), 0);
	assert_int_equal(recent, 1);
	assert_int_equal(total, 2);
	assert_int_equal(store_outbox_last_keyed(f->st, "outbox:dead:", &at), 0);
	assert_true(at > 0);
	assert_int_equal(store_outbox_last_keyed(f->st, "nothing:", &at), 0);
	assert_int_equal(at, 0);
	assert_int_equal(store_outbox_last_keyed(f->st, "", &at), -EINVAL);
}

struct listing {
	int64_t ids[8];
	int n;
};

static int on_entry(void *arg, const struct store_outbox_entry *e)
{
	struct listing *l = arg;
	l->ids[l->n++] = e->id;
	return l->n == 8;
}

static void test_list_retry_drop(void **state)
{
	struct fixture *f = *state;
	struct dest a = robot("a");
	struct store_outbox_row row;
	struct listing l = {0};
	int n;

	for (int i = 0; i < 3; i++) {
		char key[16];
		snprintf(key, sizeof key, "m%d", i);
		assert_int_equal(enqueue_in_tx(f->st, &a, key, 100), 0);
	}
	assert_int_equal(store_outbox_list(f->st, NULL, 2, on_entry, &l), 0);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.ids[0], 3);
	assert_int_equal(l.ids[1], 2);

	assert_int_equal(store_outbox_claim(f->st, 1, 1000, &row), 0);
	free(row.payload);
	assert_int_equal(store_outbox_retry(f->st, 1, 2000), -EBUSY);
	assert_int_equal(store_outbox_settle(f->st, 1, OUTBOX_DEAD, 0, "x", 1001), 0);
	memset(&l, 0, sizeof l);
	assert_int_equal(store_outbox_list(f->st, "dead", 10, on_entry, &l), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.ids[0], 1);
	assert_int_equal(store_outbox_retry(f->st, 1, 2000), 0);
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM outbox WHERE id = 1"
	                                  " AND state = 'pending' AND not_before = 2000"),
	                 1);
	assert_int_equal(store_outbox_retry(f->st, 42, 2000), -ENOENT);

	assert_int_equal(store_outbox_claim(f->st, 2, 1000, &row), 0);
	free(row.payload);
	assert_int_equal(store_outbox_settle(f->st, 2, OUTBOX_SENT, 0, NULL, 1001), 0);
	assert_int_equal(store_outbox_retry(f->st, 2, 2000), -EALREADY);
	/* Sent rows are listed too, though the state index leaves them out. */
	memset(&l, 0, sizeof l);
	assert_int_equal(store_outbox_list(f->st, "sent", 10, on_entry, &l), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.ids[0], 2);
	memset(&l, 0, sizeof l);
	assert_int_equal(store_outbox_list(f->st, "pending", 10, on_entry, &l), 0);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.ids[0], 3);
	assert_int_equal(l.ids[1], 1);
	assert_int_equal(store_outbox_claim(f->st, 3, 1000, &row), 0);
	free(row.payload);
	assert_int_equal(store_outbox_settle(f->st, 3, OUTBOX_DEAD, 0, "x", 1001), 0);
	assert_int_equal(store_outbox_retry_dead(f->st, 3000, &n), 0);
	assert_int_equal(n, 1);

	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_outbox_drop(f->st, 2), 0);
	assert_int_equal(store_outbox_drop(f->st, 2), -ENOENT);
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM outbox"), 2);
}

/* A reminder that pointed at a dropped message keeps its milestone. */
static void test_drop_keeps_ledger(void **state)
{
	struct fixture *f = *state;
	struct dest a = robot("a");

	assert_int_equal(enqueue_in_tx(f->st, &a, "r", 0), 0);
	assert_int_equal(sqlite3_exec(f->st->db,
	                              "INSERT INTO reminder_ledger (rule, record_id, milestone_date,"
	                              " outbox_id, created_at) VALUES ('t', 1, '2026-01-01', 1, 0)",
	                              NULL, NULL, NULL),
	                 SQLITE_OK);
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_outbox_drop(f->st, 1), 0);
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM reminder_ledger"
	                                  " WHERE outbox_id IS NULL"),
	                 1);
}

static void test_data_version(void **state)
{
	struct fixture *f = *state;
	struct store *other;
	int64_t v1, v2, v3;

	assert_int_equal(store_outbox_data_version(f->st, &v1), 0);
	struct dest a = robot("a");
	assert_int_equal(enqueue_in_tx(f->st, &a, "own", 0), 0);
	assert_int_equal(store_outbox_data_version(f->st, &v2), 0);
	assert_int_equal(v1, v2);
	assert_int_equal(store_open(f->path, &other), 0);
	assert_int_equal(enqueue_in_tx(other, &a, "other", 0), 0);
	store_close(other);
	assert_int_equal(store_outbox_data_version(f->st, &v3), 0);
	assert_true(v3 != v2);
}

/* A notice that could not be queued (the write lock was another
 * connection's) is tried again a second later, counting the same rows:
 * it is not taken as told (the rows it was about were never reported). */
static void test_dead_notice_retried(void **state)
{
	struct fixture *f = *state;
	struct config cfg = {.outbox_admin_dest = "dingtalk|admins|robot|0|"};
	struct outbox_dead_notice n = {0};
	const int64_t t = 1780000000;
	sqlite3 *other;

	assert_int_equal(sqlite3_exec(f->st->db,
		"INSERT INTO outbox (idem_key, platform, instance, destination, chat_kind, payload,"
		" not_before, state, attempts, created_at, updated_at, kind) VALUES"
		" ('x#1', 'wecom', 'r', 'wecom|r|robot|0|', 'group', '{}', 1, 'dead', 9, 1, 1779999990,"
		"  'message')", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_open(f->path, &other), SQLITE_OK);
	assert_int_equal(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(outbox_dead_notice_check(&n, f->st, &cfg, t), t + 1);
	assert_int_equal(sqlite3_exec(other, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(other);
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM outbox WHERE idem_key LIKE"
	                                  " 'outbox:dead:%'"), 0);
	/* Told; nothing more is waiting. */
	assert_int_equal(outbox_dead_notice_check(&n, f->st, &cfg, t + 1), 0);
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM outbox WHERE idem_key LIKE"
	                                  " 'outbox:dead:%'"), 1);
}

/* A notice that fails for a reason a second does not mend (here a
 * destination that does not parse; in life a full disk) is tried again
 * a minute later, not every second on the loop. */
static void test_dead_notice_lasting_failure_waits(void **state)
{
	struct fixture *f = *state;
	struct config cfg = {.outbox_admin_dest = "not a destination"};
	struct outbox_dead_notice n = {0};
	const int64_t t = 1780000000;

	assert_int_equal(sqlite3_exec(f->st->db,
		"INSERT INTO outbox (idem_key, platform, instance, destination, chat_kind, payload,"
		" not_before, state, attempts, created_at, updated_at, kind) VALUES"
		" ('x#1', 'wecom', 'r', 'wecom|r|robot|0|', 'group', '{}', 1, 'dead', 9, 1, 1779999990,"
		"  'message')", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(outbox_dead_notice_check(&n, f->st, &cfg, t),
	                 t + OUTBOX_DEAD_NOTICE_RETRY_S);
}

/* A file row's files are told by id, whatever the spec: the name the
 * daemon gives them is one, another id's, a longer id's and a temporary
 * file's are not (cqoctl outbox drop removes what this matches). */
static void test_file_of(void **state)
{
	char path[512];
	const char *name;

	(void)state;
	assert_int_equal(store_outbox_file_path("/var/lib/cqod/cqod.db", 12, "{\"year\":2025}", path,
	                                        sizeof path), 0);
	name = strrchr(path, '/') + 1;
	assert_true(store_outbox_file_of(name, 12));
	assert_false(store_outbox_file_of(name, 1));
	assert_false(store_outbox_file_of(name, 123));
	assert_true(store_outbox_file_of("outbox-12-0123456789abcdef.xlsx", 12));
	assert_false(store_outbox_file_of("outbox-12-0123456789abcdef.xlsx.tmp", 12));
	assert_false(store_outbox_file_of("outbox-12-.xlsx", 12));
	assert_false(store_outbox_file_of("inbox-12-0123456789abcdef.xlsx", 12));
}

int main(void)
{
	/* As the daemon does, before any database is opened. */
	if (store_process_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_file_of),
		cmocka_unit_test_setup_teardown(test_dead_notice_retried, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dead_notice_lasting_failure_waits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_enqueue_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_enqueue_rejects, setup, teardown),
		cmocka_unit_test_setup_teardown(test_enqueue_parts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_enqueue_id, setup, teardown),
		cmocka_unit_test_setup_teardown(test_enqueue_in_transaction, setup, teardown),
		cmocka_unit_test_setup_teardown(test_heads, setup, teardown),
		cmocka_unit_test_setup_teardown(test_claim_and_settle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_claim_batch_settle_sent_unclaim, setup, teardown),
		cmocka_unit_test_setup_teardown(test_claim_batch_without_returning, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dispatch_plans, setup, teardown),
		cmocka_unit_test_setup_teardown(test_settle_many_in_memory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_recover, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stats_and_dead_counts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list_retry_drop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_drop_keeps_ledger, setup, teardown),
		cmocka_unit_test_setup_teardown(test_data_version, setup, teardown),
	};
	/* The loader and the destinations learn the platforms from their rows. */
	if (platforms_register() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
