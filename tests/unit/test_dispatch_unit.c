/* One message as one unit of the caller's transaction (handlers/dispatch.h):
 * id, effect and answer together or not at all. Run from the repository root
 * (reads data/regions.csv). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdbool.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../lib/config.h"
#include "../../store/store.h"
#include "store_fresh.h"
#include "../../store/store_internal.h"
#include "../../handlers/dispatch.h"
#include "../../handlers/table.h"
#include "../../handlers/text/alliance.h"
#include "../../handlers/text/common.h"
#include "../../handlers/text/lists.h"
#include "../../handlers/text/registry.h"

/* Allocation failure on demand: the reply's formatting goes through
 * vasprintf (lib/reply.c), which these definitions take the place of (the
 * second is what a build with _FORTIFY_SOURCE calls). The `fail_at`-th call
 * from now fails (0: none), or every call from then on when fail_all is set. */
static int vasprintf_calls, fail_at;
static bool fail_all;

int vasprintf(char **strp, const char *fmt, va_list ap)
{
	va_list again;
	int n;

	if (fail_at && ++vasprintf_calls >= fail_at && (fail_all || vasprintf_calls == fail_at))
		return -1;
	va_copy(again, ap);
	n = vsnprintf(NULL, 0, fmt, again);
	va_end(again);
	if (n < 0 || !(*strp = malloc((size_t)n + 1)))
		return -1;
	return vsnprintf(*strp, (size_t)n + 1, fmt, ap);
}

int __vasprintf_chk(char **strp, int flag, const char *fmt, va_list ap);
int __vasprintf_chk(char **strp, int flag, const char *fmt, va_list ap)
{
	(void)flag;
	return vasprintf(strp, fmt, ap);
}

static void fail_alloc(int at, bool all)
{
	vasprintf_calls = 0;
	fail_at = at;
	fail_all = all;
}

#define SET_TARGET "目标 61 规上 2026 80%"
#define TARGETS "SELECT count(*) FROM targets"
#define IDS "SELECT count(*) FROM inbound"

struct fixture {
	char dir[64], path[96];
	struct store *st;
	sqlite3 *peek;             /* a second connection: what was committed */
	struct config *cfg;
	struct identity admin;
	struct dispatch_env env;
};

/* What the flow's answer writer saw and does. */
struct answer {
	int calls;
	int fail;                  /* returned instead of writing */
	char text[512];
};

static int write_answer(void *arg, struct store *st, const struct reply *r)
{
	struct answer *a = arg;
	char *text = reply_render_text(r);

	(void)st;
	a->calls++;
	snprintf(a->text, sizeof a->text, "%s", text ? text : "");
	free(text);
	return a->fail;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);

	snprintf(f->dir, sizeof f->dir, "/tmp/cqod-unit-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/t.db", f->dir);
	assert_int_equal(store_fresh_open(f->path, &f->st), 0);
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_regions_load_csv(f->st, "data/regions.csv", NULL), 0);
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(sqlite3_open(f->path, &f->peek), SQLITE_OK);
	f->cfg = config_defaults();
	assert_non_null(f->cfg);
	f->admin.role = ROLE_ADMIN;
	f->env = (struct dispatch_env){.store = f->st, .cfg = f->cfg, .fixed_identity = &f->admin};
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	sqlite3_close(f->peek);
	store_close(f->st);
	config_free(f->cfg);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

static int committed(struct fixture *f, const char *sql)
{
	sqlite3_stmt *s;
	int n = -1;

	assert_int_equal(sqlite3_prepare_v2(f->peek, sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return n;
}

/* Runs text as message `id` in a transaction of its own, like one batch. */
static enum dispatch_outcome run(struct fixture *f, const char *text, const char *id,
                                 struct answer *a, struct reply *out)
{
	struct chat_msg msg = {
		.platform = "generic", .instance = "t", .chat_id = "c", .kind = CHAT_PRIVATE,
		.sender_id = "u1", .sender_name = "", .text = text, .msg_id = id,
	};
	struct dispatch_unit u = {.source = "generic:t", .dedupe_id = id, .run_command = true,
	                          .supported = true, .answer = write_answer, .answer_arg = a};

	reply_init(out);
	assert_int_equal(store_begin(f->st), 0);
	enum dispatch_outcome o = dispatch_unit(&f->env, &msg, &u, out);
	/* The unit never ends the caller's transaction; only a disk-full or I/O
	 * error may have SQLite roll it back (the inbox then retries the batch). */
	if (o != DISPATCH_RETRY)
		assert_true(store_in_txn(f->st));
	if (store_in_txn(f->st))
		assert_int_equal(store_commit(f->st), 0);
	return o;
}

static void test_done_then_duplicate(void **state)
{
	struct fixture *f = *state;
	struct answer a = {0};
	struct reply r;

	assert_int_equal(run(f, SET_TARGET, "m1", &a, &r), DISPATCH_DONE);
	assert_int_equal(a.calls, 1);
	assert_non_null(strstr(a.text, "80"));
	reply_free(&r);
	assert_int_equal(committed(f, TARGETS), 1);
	assert_int_equal(committed(f, IDS), 1);

	/* The platform sends it again: nothing runs, nothing is answered anew. */
	a.calls = 0;
	assert_int_equal(run(f, "目标 61 规上 2026 90%", "m1", &a, &r), DISPATCH_DUPLICATE);
	assert_int_equal(a.calls, 0);
	reply_free(&r);
	assert_int_equal(committed(f, "SELECT count(*) FROM targets WHERE rate = 0.8"), 1);
}

/* What the flow's `before` saw and does. */
struct before {
	int calls;
	int fail;                  /* returned instead of 0 */
	int targets;               /* rows of targets it saw: the command's not yet */
};

static int before_command(void *arg, struct store *st)
{
	struct before *b = arg;
	sqlite3_stmt *s;

	b->calls++;
	assert_int_equal(sqlite3_prepare_v2(st->db, TARGETS, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	b->targets = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return b->fail;
}

/* A flow's `before` (a press's card code) runs in the unit, before the
 * command, never for a duplicate; its failure leaves nothing, like the
 * answer's. */
static void test_before_runs_first_and_once(void **state)
{
	struct fixture *f = *state;
	struct answer a = {0};
	struct before b = {.fail = -ENOSPC};
	struct chat_msg msg = {
		.platform = "generic", .instance = "t", .chat_id = "c", .kind = CHAT_PRIVATE,
		.sender_id = "u1", .sender_name = "", .text = SET_TARGET, .msg_id = "mb",
	};
	struct dispatch_unit u = {.source = "generic:t", .dedupe_id = "mb", .run_command = true,
	                          .supported = true, .answer = write_answer, .answer_arg = &a,
	                          .before = before_command, .before_arg = &b};
	struct reply r;

	for (int round = 0; round < 3; round++) {
		reply_init(&r);
		assert_int_equal(store_begin(f->st), 0);
		assert_int_equal(dispatch_unit(&f->env, &msg, &u, &r),
		                 round == 0 ? DISPATCH_RETRY : round == 1 ? DISPATCH_DONE
		                                                         : DISPATCH_DUPLICATE);
		assert_int_equal(store_commit(f->st), 0);
		reply_free(&r);
		if (round == 0) {
			assert_int_equal(a.calls, 0);
			assert_int_equal(committed(f, IDS), 0);
			b.fail = 0;
		}
	}
	assert_int_equal(b.calls, 2);
	assert_int_equal(b.targets, 0);
	assert_int_equal(a.calls, 1);
	assert_int_equal(committed(f, TARGETS), 1);
}

/* The answer could not be written (say the disk filled): the command's effect
 * and the id go with it, so the platform's retry runs it. */
static void test_answer_failure_leaves_nothing(void **state)
{
	struct fixture *f = *state;
	struct answer a = {.fail = -ENOSPC};
	struct reply r;

	assert_int_equal(run(f, SET_TARGET, "m2", &a, &r), DISPATCH_RETRY);
	reply_free(&r);
	assert_int_equal(committed(f, TARGETS), 0);
	assert_int_equal(committed(f, IDS), 0);
	a.fail = 0;
	assert_int_equal(run(f, SET_TARGET, "m2", &a, &r), DISPATCH_DONE);
	reply_free(&r);
	assert_int_equal(committed(f, TARGETS), 1);
	assert_int_equal(committed(f, IDS), 1);
}

/* The database is full when the command writes: a failure that may pass.
 * Nothing of the message remains and no answer was written. */
static void test_transient_store_failure_is_retried(void **state)
{
	struct fixture *f = *state;
	struct answer a = {0};
	struct reply r;
	sqlite3_stmt *s;
	int pages;

	assert_int_equal(sqlite3_prepare_v2(f->peek, "PRAGMA page_count", -1, &s, NULL), 0);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	pages = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	/* No page can be added: the first write that needs one fails FULL. The
	 * limit is the connection's: set on the store's own. */
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA max_page_count = %d", pages);
	assert_int_equal(sqlite3_exec(f->st->db, sql, NULL, NULL, NULL), SQLITE_OK);
	enum dispatch_outcome o = DISPATCH_DONE;
	char id[16];
	/* Fill until a page is needed (each target row is small). */
	for (int i = 0; i < 200 && o == DISPATCH_DONE; i++) {
		char text[64];

		snprintf(id, sizeof id, "f%d", i);
		snprintf(text, sizeof text, "目标 61 规上 %d 80%%", 2000 + i);
		a.calls = 0;
		o = run(f, text, id, &a, &r);
		reply_free(&r);
	}
	assert_int_equal(o, DISPATCH_RETRY);
	assert_int_equal(a.calls, 0);
	char q[96];
	snprintf(q, sizeof q, "SELECT count(*) FROM inbound WHERE msg_id = '%s'", id);
	assert_int_equal(committed(f, q), 0);
	assert_true(store_write_ok(f->st, NULL) == false);
}

/* A constraint the command did not expect (a trigger here) is a permanent
 * internal failure: its writes are rolled back, the id is recorded (a retry
 * would fail the same way) and the answer is the apology. */
static void test_permanent_failure_apologizes(void **state)
{
	struct fixture *f = *state;
	struct answer a = {0};
	struct reply r;

	assert_int_equal(sqlite3_exec(f->peek,
	                              "CREATE TRIGGER no_targets BEFORE INSERT ON targets"
	                              " BEGIN SELECT RAISE(ABORT, 'injected'); END;",
	                              NULL, NULL, NULL),
	                 SQLITE_OK);
	assert_int_equal(run(f, SET_TARGET, "m3", &a, &r), DISPATCH_DONE);
	assert_int_equal(a.calls, 1);
	assert_string_equal(a.text, TXT_INTERNAL_FAULT);
	assert_true(r.is_error);
	reply_free(&r);
	assert_int_equal(committed(f, TARGETS), 0);
	assert_int_equal(committed(f, IDS), 1);
}

/* A read-only command that wrote would be a wrong declaration: 查询 writes
 * only the access log, which does not count. */
static void test_write_declarations(void **state)
{
	const struct handler_entry *query = handler_find("查询");
	const struct handler_entry *alliance = handler_find("联盟");
	(void)state;

	assert_false(query->writes);
	assert_true(handler_find("培训")->writes);
	assert_false(handler_sub_find(alliance, "列表")->writes);
	assert_true(handler_sub_find(alliance, "新建")->writes);
	assert_true(handler_sub_find(alliance, "new")->writes);
	assert_null(handler_sub_find(alliance, "nonsense"));
}

/* Runs text through dispatch_message as `role`; returns its result and
 * the rendered answer in text (of size n). */
static int ask(struct fixture *f, enum role role, const char *text, struct reply *r,
               char *out, size_t n)
{
	struct identity who = {.role = role};
	struct dispatch_env env = f->env;
	struct chat_msg msg = {
		.platform = "generic", .instance = "t", .chat_id = "c", .kind = CHAT_PRIVATE,
		.sender_id = "u1", .sender_name = "", .text = text, .msg_id = "x",
	};
	char *s;
	int rc;

	env.fixed_identity = &who;
	reply_init(r);
	assert_int_equal(store_begin(f->st), 0);
	rc = dispatch_message(&env, &msg, r);
	assert_int_equal(store_commit(f->st), 0);
	s = reply_render_text(r);
	snprintf(out, n, "%s", s ? s : "");
	free(s);
	return rc;
}

/* A wrong number of arguments is answered from the table, with the entry's
 * usage, before the handler runs: a writing command writes nothing. */
static void test_arg_count_answers_usage(void **state)
{
	static const struct {
		const char *text, *usage;
	} cases[] = {
		{"查询", TXT_QUERY_USAGE},
		{"查询 张三 李四", TXT_QUERY_USAGE},
		{"我是谁 啊", TXT_WHOAMI_USAGE},
		{"帮助 查询 张三", TXT_HELP_USAGE},
		{"目标 61 规上 2026", TXT_TARGET_USAGE},
		{"联盟 新建", TXT_AL_CREATE_USAGE},
		{"联盟 列表 多余", TXT_AL_LIST_USAGE},
		{"活动 查看", TXT_EV_VIEW_USAGE},
		{"event cancel 1 2", TXT_EV_CANCEL_USAGE},
	};
	struct fixture *f = *state;
	char out[1024], want[512];
	struct reply r;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(ask(f, ROLE_ADMIN, cases[i].text, &r, out, sizeof out), 0);
		snprintf(want, sizeof want, "%s%s", TXT_USAGE_PREFIX, cases[i].usage);
		assert_string_equal(out, want);
		assert_true(r.is_error);
		assert_int_equal(r.failure, REPLY_FAIL_NONE);
		reply_free(&r);
	}
	assert_int_equal(committed(f, TARGETS), 0);
}

/* Sub-commands carry their own roles; an unknown one is answered with the
 * ones the asker may use. */
static void test_sub_roles_and_unknown_sub(void **state)
{
	struct fixture *f = *state;
	char out[2048], want[256];
	struct reply r;

	assert_int_equal(ask(f, ROLE_CQO, "联盟 新建 甲联盟", &r, out, sizeof out), 0);
	snprintf(want, sizeof want, TXT_DENIED, "联盟 新建");
	assert_string_equal(out, want);
	reply_free(&r);
	assert_int_equal(ask(f, ROLE_CLERK, "活动 发布", &r, out, sizeof out), 0);
	snprintf(want, sizeof want, TXT_DENIED, "活动 发布");
	assert_string_equal(out, want);
	reply_free(&r);

	assert_int_equal(ask(f, ROLE_CQO, "联盟 解散 1", &r, out, sizeof out), 0);
	assert_true(r.is_error);
	assert_non_null(strstr(out, TXT_AL_LIST_USAGE "\n"));
	assert_non_null(strstr(out, TXT_AL_PRIVATE_USAGE));
	assert_null(strstr(out, TXT_AL_CREATE_USAGE));
	assert_non_null(strstr(out, TXT_USAGE_PREFIX TXT_AL_USAGE));
	reply_free(&r);

	/* A bare command runs its first sub-command. */
	assert_int_equal(ask(f, ROLE_ADMIN, "联盟", &r, out, sizeof out), 0);
	assert_false(r.is_error);
	assert_string_equal(out, TXT_AL_LIST_NONE);
	reply_free(&r);
}

/* Out of memory half-way through an answer (帮助 lists every command): the
 * answer is the apology, never the lines that fitted. */
static void test_failed_reply_becomes_apology(void **state)
{
	struct fixture *f = *state;
	char out[4096];
	struct reply r;

	fail_alloc(5, false);
	assert_int_equal(ask(f, ROLE_ADMIN, "帮助", &r, out, sizeof out), 0);
	fail_alloc(0, false);
	assert_string_equal(out, TXT_INTERNAL_ERROR);
	assert_true(r.is_error);
	assert_int_equal(r.failure, REPLY_FAIL_TRANSIENT);
	reply_free(&r);

	/* Not even the apology fits: the promised negative return. */
	fail_alloc(5, true);
	assert_int_equal(ask(f, ROLE_ADMIN, "帮助", &r, out, sizeof out), -ENOMEM);
	fail_alloc(0, false);
	assert_int_equal(r.failure, REPLY_FAIL_TRANSIENT);
	reply_free(&r);

	/* The console's unit: the transient failure is answered "try again". */
	struct chat_msg msg = {.platform = "console", .chat_id = "c", .kind = CHAT_PRIVATE,
	                       .sender_id = "op", .sender_name = "", .text = "帮助"};
	reply_init(&r);
	fail_alloc(5, false);
	dispatch_alone(&f->env, &msg, &r);
	fail_alloc(0, false);
	char *text = reply_render_text(&r);
	assert_string_equal(text, TXT_INTERNAL_ERROR);
	free(text);
	reply_free(&r);
}

/* A heavy read (统计, 未培训) is answered by dispatch_read on a read-only
 * connection of its own, off the loop; the unit then records the id and
 * writes that answer without running the command again, and a retry of the
 * committed message is a duplicate like any other. */
static void test_heavy_read_answered_beforehand(void **state)
{
	struct fixture *f = *state;
	struct chat_msg msg = {
		.platform = "generic", .instance = "t", .chat_id = "c", .kind = CHAT_PRIVATE,
		.sender_id = "u1", .sender_name = "", .text = "统计 61 2026", .msg_id = "h1",
	};
	struct dispatch_unit u = {.source = "generic:t", .dedupe_id = "h1", .run_command = true,
	                          .supported = true, .answer = write_answer};
	struct dispatch_tally tl;
	struct answer a = {0};
	struct store *ro;
	struct reply r, direct;

	assert_true(dispatch_heavy_read("统计"));
	assert_true(dispatch_heavy_read("统计61"));
	assert_true(dispatch_heavy_read("stats 61 2026"));
	assert_true(dispatch_heavy_read("未培训"));
	assert_false(dispatch_heavy_read("查询 张三"));
	assert_false(dispatch_heavy_read(SET_TARGET));
	assert_false(dispatch_heavy_read("导出 统计"));

	/* The answer the loop would give. */
	reply_init(&direct);
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(dispatch_message(&f->env, &msg, &direct), 0);
	assert_int_equal(store_commit(f->st), 0);
	char *want = reply_render_text(&direct);

	assert_int_equal(store_open_readonly(f->path, &ro), 0);
	assert_int_equal(store_read_begin(ro), 0);
	struct dispatch_env env = {.store = ro, .fixed_identity = &f->admin};
	reply_init(&r);
	assert_int_equal(dispatch_read(&env, &msg, &r, &tl), 0);
	assert_int_equal(store_read_end(ro), 0);
	store_close(ro);
	char *got = reply_render_text(&r);
	assert_string_equal(got, want);
	free(got);
	assert_string_equal(tl.command, "统计");
	assert_true(tl.took >= 0);
	assert_int_equal(committed(f, IDS), 0);

	/* Committed with its id and that answer; the command does not run again. */
	assert_int_equal(store_begin(f->st), 0);
	u.answer_arg = &a;
	u.ready = &tl;
	assert_int_equal(dispatch_unit(&f->env, &msg, &u, &r), DISPATCH_DONE);
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(a.calls, 1);
	assert_string_equal(a.text, want);
	assert_int_equal(committed(f, IDS), 1);
	assert_int_equal(committed(f, TARGETS), 0);

	/* The platform's retry, computed again: a duplicate, not answered anew. */
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(dispatch_unit(&f->env, &msg, &u, &r), DISPATCH_DUPLICATE);
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(a.calls, 1);
	assert_int_equal(committed(f, IDS), 1);
	free(want);
	reply_free(&r);
	reply_free(&direct);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_done_then_duplicate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_before_runs_first_and_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_answer_failure_leaves_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_transient_store_failure_is_retried, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_permanent_failure_apologizes, setup, teardown),
		cmocka_unit_test(test_write_declarations),
		cmocka_unit_test_setup_teardown(test_arg_count_answers_usage, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sub_roles_and_unknown_sub, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_reply_becomes_apology, setup, teardown),
		cmocka_unit_test_setup_teardown(test_heavy_read_answered_beforehand, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
