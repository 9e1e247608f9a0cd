/* The command-test fixture; see fixture.h. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../handlers/dispatch.h"
#include "../../lib/clock.h"
#include "../../lib/config.h"
#include "../../lib/log.h"
#include "../../lib/strbuf.h"
#include "../../messages/platforms.h"
#include "../../store/store.h"
#include "../../store/store_audit.h"
#include "../../store/store_demo.h"
#include "../../store/store_identity.h"
#include "../../store/store_internal.h"
#include "fixture.h"
#include "store_fresh.h"

#define INSTANCE "test"

/* The template: built once per binary, copied for every test. */
static char template_dir[64];
static char template_db[96];
static char template_conf[96];

/* Who the template knows, as cqoctl grant would have made them. */
static const struct fixture_grant {
	const char *user, *role, *scope;
	int64_t person_id, alliance_id;
} grants[] = {
	{FX_ADMIN, "admin", "", 0, 0},
	{FX_CLERK_SD, "clerk", "37", 0, 0},
	{FX_CLERK_LY, "clerk", "3713", 0, 0},
	{FX_CLERK_LS, "clerk", "371302", 0, 0},
	{FX_CLERK_LZ, "clerk", "371311", 0, 0},
	{FX_CLERK_XA, "clerk", "610113", 0, 0},
	{FX_CQO, "cqo", "", 1, 0},
	{FX_CQO_LS, "cqo", "", 2, 0},
	{FX_CQO_SB, "cqo", "", 6, 0},
	{FX_ORG, "organizer", "", 0, 1},
};

static int write_config(const char *path, const char *db)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -errno;
	fprintf(f, "[daemon]\ndatabase = %s\ndata_dir = data\n\n"
	           "[generic:" INSTANCE "]\nsecret = fixture-secret-0123456789\n", db);
	return fclose(f) == 0 ? 0 : -EIO;
}

static int seed(struct store *st)
{
	/* What cqoctl grant writes. */
	struct store_actor actor = {.platform = "cqoctl", .user_id = "fixture", .command = "grant"};
	int rc = store_regions_load_csv(st, "data/regions.csv", NULL);

	if (rc == 0)
		rc = store_demo_seed(st, FIXTURE_TODAY);
	for (size_t i = 0; rc == 0 && i < sizeof grants / sizeof grants[0]; i++) {
		const struct fixture_grant *g = &grants[i];
		struct store_identity_key key = {.platform = "generic", .tenant = INSTANCE,
		                                 .user_id = g->user, .instance = INSTANCE};
		struct store_identity id = {.person_id = g->person_id, .alliance_id = g->alliance_id};

		snprintf(id.role, sizeof id.role, "%s", g->role);
		snprintf(id.scope, sizeof id.scope, "%s", g->scope);
		snprintf(id.instance, sizeof id.instance, INSTANCE);
		rc = store_identity_grant(st, &actor, &key, &id);
	}
	return rc;
}

int fixture_group_setup(void **state)
{
	struct store *st;
	int rc;

	(void)state;
	log_init(LOG_LEVEL_WARN);
	fixture_set_now(FIXTURE_NOW);
	if (platforms_register() < 0)
		return -1;
	snprintf(template_dir, sizeof template_dir, "/tmp/cqod-fixture-XXXXXX");
	if (!mkdtemp(template_dir))
		return -1;
	snprintf(template_db, sizeof template_db, "%s/template.db", template_dir);
	snprintf(template_conf, sizeof template_conf, "%s/cqod.conf", template_dir);
	rc = store_open(template_db, &st);
	if (rc)
		return -1;
	/* A file written once and only copied needs no fsync either. */
	rc = sqlite3_exec(st->db, "PRAGMA synchronous = OFF", NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
	if (rc == 0)
		rc = store_begin(st);
	if (rc == 0)
		rc = seed(st);
	rc = store_end(st, rc);
	/* Closing checkpoints the WAL into the file, so the file alone is
	 * the whole database. */
	store_close(st);
	if (rc == 0)
		rc = write_config(template_conf, template_db);
	return rc == 0 ? 0 : -1;
}

static void remove_dir(const char *dir)
{
	char cmd[128];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "fixture: could not remove %s\n", dir);
}

int fixture_group_teardown(void **state)
{
	(void)state;
	remove_dir(template_dir);
	return 0;
}

void fixture_set_now(const char *when)
{
	assert_int_equal(setenv("CQOD_FAKE_NOW", when, 1), 0);
	assert_int_equal(clock_init(), 0);
}

int fixture_setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof *fx);
	struct config_errors errs = {0};

	assert_non_null(fx);
	snprintf(fx->dir, sizeof fx->dir, "/tmp/cqod-cmd-XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	snprintf(fx->path, sizeof fx->path, "%s/t.db", fx->dir);
	assert_int_equal(store_fresh_copy_file(template_db, fx->path), 0);
	assert_int_equal(store_open(fx->path, &fx->st), 0);
	/* A copy thrown away after the test needs no fsync per message. */
	assert_int_equal(sqlite3_exec(fx->st->db, "PRAGMA synchronous = OFF", NULL, NULL, NULL),
	                 SQLITE_OK);
	assert_int_equal(config_load(template_conf, &fx->cfg, &errs), 0);
	config_errors_free(&errs);
	assert_int_equal(sqlite3_open_v2(fx->path, &fx->peek, SQLITE_OPEN_READONLY, NULL),
	                 SQLITE_OK);
	fixture_set_now(FIXTURE_NOW);
	*state = fx;
	return 0;
}

int fixture_teardown(void **state)
{
	struct fixture *fx = *state;

	sqlite3_close(fx->peek);
	store_close(fx->st);
	config_free(fx->cfg);
	free(fx->last);
	free(fx->actions);
	free(fx->log);
	log_set_level(LOG_LEVEL_WARN);
	remove_dir(fx->dir);
	free(fx);
	return 0;
}

static void log_path(const struct fixture *fx, char *buf, size_t len)
{
	snprintf(buf, len, "%s/log", fx->dir);
}

/* Points stderr at the fixture's log file; returns the saved stderr. */
static int log_divert(const struct fixture *fx)
{
	char path[128];
	int fd, saved;

	log_path(fx, path, sizeof path);
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	assert_true(saved >= 0 && fd >= 0);
	assert_true(dup2(fd, STDERR_FILENO) >= 0);
	close(fd);
	return saved;
}

static void log_restore(int saved)
{
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
}

void fixture_log_start(struct fixture *fx)
{
	fx->logging = true;
	log_set_level(LOG_LEVEL_INFO);
}

const char *fixture_log(struct fixture *fx)
{
	char path[128], buf[4096];
	size_t len = 0, n;
	FILE *f;

	log_path(fx, path, sizeof path);
	free(fx->log);
	fx->log = calloc(1, 1);
	assert_non_null(fx->log);
	f = fopen(path, "r");
	while (f && (n = fread(buf, 1, sizeof buf, f)) > 0) {
		fx->log = realloc(fx->log, len + n + 1);
		assert_non_null(fx->log);
		memcpy(fx->log + len, buf, n);
		len += n;
		fx->log[len] = '\0';
	}
	if (f)
		fclose(f);
	return fx->log;
}

/* Keeps r's actions for fixture_actions. */
static void keep_actions(struct fixture *fx, const struct reply *r)
{
	struct strbuf sb;

	strbuf_init(&sb);
	for (size_t i = 0; i < r->n_actions; i++)
		strbuf_appendf(&sb, "%s%s=%s", i ? "\n" : "", r->actions[i].label,
		               r->actions[i].command);
	free(fx->actions);
	fx->actions = strbuf_detach(&sb);
	assert_non_null(fx->actions);
}

const char *fixture_actions(struct fixture *fx)
{
	return fx->actions ? fx->actions : "";
}

/* One message as the inbox runs it; the reply's text (heap) into
 * *reply_text. */
static void send_message(struct fixture *fx, const char *platform, const char *who, bool group,
                         const char *text, char **reply_text, bool *error)
{
	char id[32];
	struct chat_msg msg = {
		.platform = platform, .instance = INSTANCE, .tenant = INSTANCE,
		.chat_id = "chat-1", .kind = group ? CHAT_GROUP : CHAT_PRIVATE,
		.sender_id = who, .sender_name = "测试用户", .text = text,
		.received_at = clock_now(),
	};
	struct dispatch_env env = {.store = fx->st, .cfg = fx->cfg};
	struct dispatch_unit u = {.source = "generic:" INSTANCE, .dedupe_id = id,
	                          .run_command = true, .supported = true};
	struct reply r;

	snprintf(id, sizeof id, "fx-%u", ++fx->seq);
	msg.msg_id = id;
	msg.request_id = fx->seq;
	reply_init(&r);
	/* The inbox's shape: its transaction around the message's unit. The
	 * log goes to a file meanwhile, so that assertions are never lost. */
	int saved = fx->logging ? log_divert(fx) : -1;
	int begun = store_begin(fx->st);
	enum dispatch_outcome o = begun == 0 ? dispatch_unit(&env, &msg, &u, &r) : DISPATCH_RETRY;
	int committed = begun == 0 ? store_commit(fx->st) : begun;
	if (saved >= 0)
		log_restore(saved);
	assert_int_equal(begun, 0);
	assert_int_equal(o, DISPATCH_DONE);
	assert_int_equal(committed, 0);
	*reply_text = reply_render_text(&r);
	assert_non_null(*reply_text);
	*error = r.is_error;
	keep_actions(fx, &r);
	reply_free(&r);
}

const char *fixture_say_in(struct fixture *fx, const char *who, bool group, const char *text,
                           bool *error)
{
	bool is_error;

	free(fx->last);
	fx->last = NULL;
	send_message(fx, "generic", who, group, text, &fx->last, &is_error);
	if (error)
		*error = is_error;
	return fx->last;
}

const char *fixture_say(struct fixture *fx, const char *who, const char *text)
{
	return fixture_say_in(fx, who, false, text, NULL);
}

const char *fixture_say_on(struct fixture *fx, const char *platform, const char *who,
                           bool group, const char *text)
{
	bool is_error;

	free(fx->last);
	fx->last = NULL;
	send_message(fx, platform, who, group, text, &fx->last, &is_error);
	return fx->last;
}

void fixture_exec(struct fixture *fx, const char *sql)
{
	sqlite3 *db;
	char *why = NULL;

	assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
	/* Enterprises written here are indexed by the store's tokenizer. */
	assert_int_equal(store_name_index_register(db), 0);
	if (sqlite3_exec(db, sql, NULL, NULL, &why) != SQLITE_OK)
		fail_msg("fixture: %s: %s", sql, why ? why : "?");
	sqlite3_close(db);
}

void fixture_seed_bench(struct fixture *fx, size_t n)
{
	struct store_bench *b;

	assert_int_equal(store_begin(fx->st), 0);
	assert_int_equal(store_bench_open(fx->st, n, FIXTURE_TODAY, &b), 0);
	assert_int_equal(store_bench_add(b, n), 0);
	store_bench_close(b);
	assert_int_equal(store_commit(fx->st), 0);
}

const char *fixture_console(struct fixture *fx, const char *text)
{
	struct identity admin = {.role = ROLE_ADMIN};
	struct dispatch_env env = {.store = fx->st, .cfg = fx->cfg, .fixed_identity = &admin};
	struct chat_msg msg = {
		.platform = "console", .chat_id = "console", .kind = CHAT_PRIVATE,
		.tenant = "console", .sender_id = "operator", .sender_name = "", .text = text,
		.received_at = clock_now(), .request_id = ++fx->seq,
	};
	struct reply r;

	reply_init(&r);
	dispatch_alone(&env, &msg, &r);
	free(fx->last);
	fx->last = reply_render_text(&r);
	keep_actions(fx, &r);
	reply_free(&r);
	assert_non_null(fx->last);
	return fx->last;
}

static sqlite3_stmt *query(struct fixture *fx, const char *sql)
{
	sqlite3_stmt *s = NULL;

	if (sqlite3_prepare_v2(fx->peek, sql, -1, &s, NULL) != SQLITE_OK)
		fail_msg("fixture: %s: %s", sql, sqlite3_errmsg(fx->peek));
	if (sqlite3_step(s) != SQLITE_ROW)
		fail_msg("fixture: no row from %s", sql);
	return s;
}

int64_t fixture_int(struct fixture *fx, const char *sql)
{
	sqlite3_stmt *s = query(fx, sql);
	int64_t v = sqlite3_column_int64(s, 0);

	sqlite3_finalize(s);
	return v;
}

void fixture_text(struct fixture *fx, const char *sql, char *buf, size_t len)
{
	sqlite3_stmt *s = query(fx, sql);
	const unsigned char *t = sqlite3_column_text(s, 0);

	snprintf(buf, len, "%s", t ? (const char *)t : "");
	sqlite3_finalize(s);
}

/* FNV-1a over bytes. */
static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++) {
		h ^= b[i];
		h *= 1099511628211ull;
	}
	return h;
}

/* The rows' hashes summed, so that the digest does not depend on the order
 * rows come in (some tables have no rowid). */
static uint64_t digest_table(struct fixture *fx, const char *table)
{
	char sql[128];
	sqlite3_stmt *s;
	uint64_t sum = 0;

	snprintf(sql, sizeof sql, "SELECT * FROM \"%s\"", table);
	assert_int_equal(sqlite3_prepare_v2(fx->peek, sql, -1, &s, NULL), SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW) {
		uint64_t h = 14695981039346656037ull;

		for (int c = 0; c < sqlite3_column_count(s); c++) {
			const void *v = sqlite3_column_blob(s, c);
			int n = sqlite3_column_bytes(s, c);

			h = fnv(h, v ? v : "", v ? (size_t)n : 0);
			h = fnv(h, "\x1f", 1);
		}
		sum += h;
	}
	sqlite3_finalize(s);
	return fnv(fnv(14695981039346656037ull, table, strlen(table)), &sum, sizeof sum);
}

uint64_t fixture_digest(struct fixture *fx)
{
	sqlite3_stmt *s;
	uint64_t h = 14695981039346656037ull;

	assert_int_equal(sqlite3_prepare_v2(fx->peek,
	                                    "SELECT name FROM sqlite_schema WHERE type = 'table'"
	                                    " AND name NOT IN ('access_log', 'inbound',"
	                                    " 'confirmations', 'store_probe')"
	                                    " AND name NOT LIKE 'sqlite%'"
	                                    /* The name index: its shadow tables count. */
	                                    " AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'"
	                                    " ORDER BY name",
	                                    -1, &s, NULL),
	                 SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW) {
		uint64_t t = digest_table(fx, (const char *)sqlite3_column_text(s, 0));

		h = fnv(h, &t, sizeof t);
	}
	sqlite3_finalize(s);
	return h;
}

bool fixture_has(const char *hay, const char *needle)
{
	return hay && strstr(hay, needle) != NULL;
}
