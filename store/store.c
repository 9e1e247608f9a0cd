/*
 * Opening, migrating and closing the store; transactions; the statement
 * cache and the helpers the other store_*.c files share.
 *
 * Migrations: each numbered script runs in its own BEGIN IMMEDIATE
 * transaction together with "PRAGMA user_version = N", so a crash leaves the
 * database at a whole version. Foreign keys stay on during migrations and a
 * foreign_key_check must come back empty before the commit.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/clock.h"
#include "../lib/log.h"
#include "../lib/metrics.h"
#include "store_audit.h"
#include "store_internal.h"

#define OPEN_BUSY_TIMEOUT_MS 5000
/* 1 GiB of address space, not memory: a 1,000,000-CQO registry fits. */
#define STORE_MMAP_SIZE "1073741824"

int store_errno(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_DONE:
	case SQLITE_ROW:
		return 0;
	case SQLITE_CONSTRAINT:
		if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
			return -EEXIST;
		return -EINVAL;
	case SQLITE_NOMEM:
		return -ENOMEM;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return -EBUSY;
	case SQLITE_FULL:
		return -ENOSPC;
	default:
		return -EIO;
	}
}

/* Which failures may pass when the same work is tried again. */
static enum store_fault fault_of(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_CONSTRAINT:
		return STORE_FAULT_NONE;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
	case SQLITE_FULL:
	case SQLITE_IOERR:
	case SQLITE_NOMEM:
	case SQLITE_CANTOPEN:
	case SQLITE_PROTOCOL:
		return STORE_FAULT_TRANSIENT;
	default:
		return STORE_FAULT_PERMANENT;
	}
}

/* Follows whether writes reach the disk (readiness). */
static void note_write(struct store *st, bool failed)
{
	st->write_failed = failed;
	if (!failed)
		st->last_commit = clock_now();
}

/* A small fixed vocabulary for the errors metric's label. */
static const char *error_kind(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED: return "kind=\"busy\"";
	case SQLITE_CONSTRAINT: return "kind=\"constraint\"";
	case SQLITE_FULL: return "kind=\"full\"";
	case SQLITE_IOERR: return "kind=\"io\"";
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB: return "kind=\"corrupt\"";
	case SQLITE_READONLY:
	case SQLITE_CANTOPEN:
	case SQLITE_PERM: return "kind=\"readonly\"";
	case SQLITE_NOMEM: return "kind=\"nomem\"";
	default: return "kind=\"other\"";
	}
}

int store_fail(struct store *st, const char *what, int rc)
{
	/* sqlite3_errmsg names constraints and columns, never bound values. */
	log_warn("store: %s: %s", what, sqlite3_errmsg(st->db));
	/* A read-only connection lives on a worker thread, and the metrics
	 * registry is the loop's, unlocked: those failures are logged only. */
	if (!st->readonly)
		metrics_add("cqod_store_errors_total", error_kind(rc), 1);
	enum store_fault f = fault_of(rc);
	if (f > st->fault)
		st->fault = f;
	if ((rc & 0xff) == SQLITE_FULL || (rc & 0xff) == SQLITE_IOERR)
		note_write(st, true);
	return store_errno(rc);
}

enum store_fault store_fault_take(struct store *st)
{
	enum store_fault f = st->fault;

	st->fault = STORE_FAULT_NONE;
	return f;
}

bool store_write_ok(const struct store *st, int64_t *last_commit)
{
	if (last_commit)
		*last_commit = st->last_commit;
	return !st->write_failed;
}

int64_t store_effects(struct store *st)
{
	return sqlite3_total_changes64(st->db) - st->bookkeeping;
}

void store_note_bookkeeping(struct store *st)
{
	st->bookkeeping += sqlite3_changes64(st->db);
}

void store_set_busy_timeout(struct store *st, int ms)
{
	sqlite3_busy_timeout(st->db, ms > 0 ? ms : 0);
}

void store_metrics_init(void)
{
	metrics_histogram("cqod_store_transaction_seconds",
	                  "Store transactions from BEGIN to COMMIT or ROLLBACK, by outcome.");
	metrics_describe("cqod_store_errors_total", "counter",
	                 "Failed store operations, by kind of SQLite error.");
	metrics_describe("cqod_card_updates_skipped_total", "counter",
	                 "Card updates not queued: the card had no unused code left, by platform.");
}

/* Ends the timing of the transaction begun by store_begin, if timed. */
static void txn_observe(struct store *st, const char *labels)
{
	if (st->txn_start_ns)
		metrics_observe("cqod_store_transaction_seconds", labels,
		                metrics_since(st->txn_start_ns));
	st->txn_start_ns = 0;
}

int store_exec(struct store *st, const char *sql, const char *what)
{
	int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? 0 : store_fail(st, what, rc);
}

static struct store_stmt_slot *slot_for(struct store_stmt_slot *slots, size_t n, const char *sql)
{
	size_t i = ((uintptr_t)sql >> 3) * 0x9E3779B97F4A7C15ull & (n - 1);
	while (slots[i].sql && slots[i].sql != sql)
		i = (i + 1) & (n - 1);
	return &slots[i];
}

static int cache_grow(struct store *st)
{
	size_t n = st->n_slots ? st->n_slots * 2 : 64;
	struct store_stmt_slot *slots = calloc(n, sizeof *slots);
	if (!slots)
		return -ENOMEM;
	for (size_t i = 0; i < st->n_slots; i++)
		if (st->slots[i].sql)
			*slot_for(slots, n, st->slots[i].sql) = st->slots[i];
	free(st->slots);
	st->slots = slots;
	st->n_slots = n;
	return 0;
}

sqlite3_stmt *store_prepare(struct store *st, const char *sql)
{
	if ((st->n_stmts + 1) * 2 > st->n_slots && cache_grow(st) < 0)
		return NULL;
	struct store_stmt_slot *slot = slot_for(st->slots, st->n_slots, sql);
	if (slot->sql)
		return slot->stmt;
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL);
	if (rc != SQLITE_OK) {
		store_fail(st, "prepare", rc);
		return NULL;
	}
	slot->sql = sql;
	slot->stmt = s;
	st->n_stmts++;
	return s;
}

void store_stmt_done(sqlite3_stmt *s)
{
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
}

/* Reads an integer-valued pragma such as user_version. */
static int pragma_int(struct store *st, const char *sql, int *out)
{
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
	if (rc != SQLITE_OK)
		return store_fail(st, "pragma", rc);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? 0 : store_fail(st, "pragma", rc);
}

/* Sets the per-connection pragmas; WAL is persistent in the file but is
 * asked for on every open so a database created elsewhere is converted. */
static int configure(struct store *st)
{
	sqlite3_stmt *s;
	int rc;

	sqlite3_extended_result_codes(st->db, 1);
	/* Before the migrations: migration 22 indexes the names with it. */
	rc = store_name_index_register(st->db);
	if (rc) {
		log_error("store: cannot register the name index's tokenizer");
		return rc;
	}
	/* Opening and migrating happen before any event loop runs: they may
	 * wait for another process's lock; store_open clears it afterwards. */
	sqlite3_busy_timeout(st->db, OPEN_BUSY_TIMEOUT_MS);
	/* Reads go through mmap: pages are the OS's file cache, shared and
	 * reclaimable, not a private copy (issue 17: 8 MiB private page cache
	 * before, RssAnon 12.4 MiB under load). The private cache then holds
	 * only what was written since the last checkpoint, so it stays small. */
	rc = store_exec(st, "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;"
	                    " PRAGMA mmap_size = " STORE_MMAP_SIZE "; PRAGMA cache_size = -1024;",
	                "pragmas");
	if (rc)
		return rc;
	rc = sqlite3_prepare_v2(st->db, "PRAGMA journal_mode = WAL", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return store_fail(st, "journal_mode", rc);
	rc = sqlite3_step(s);
	const char *mode = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(s, 0) : NULL;
	bool wal = mode && strcmp(mode, "wal") == 0;
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW)
		return store_fail(st, "journal_mode", rc);
	if (!wal) {
		log_error("store: the database refused WAL journal mode");
		return -EIO;
	}
	return 0;
}

/* 0 when PRAGMA foreign_key_check reports no violation. */
static int foreign_keys_hold(struct store *st)
{
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(st->db, "PRAGMA foreign_key_check", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return store_fail(st, "foreign_key_check", rc);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc == SQLITE_ROW) {
		log_error("store: migration left foreign key violations");
		return -EINVAL;
	}
	return store_fail(st, "foreign_key_check", rc);
}

/* Applies migration `version` in one transaction. */
static int migrate_one(struct store *st, int version)
{
	char set_version[48];
	int rc = store_begin(st);
	if (rc)
		return rc;
	rc = store_exec(st, store_migration_sql(version), "migration");
	if (rc == 0)
		rc = foreign_keys_hold(st);
	if (rc == 0) {
		/* PRAGMA takes no bound parameters; the value is our own integer. */
		int n = snprintf(set_version, sizeof set_version, "PRAGMA user_version = %d", version);
		rc = n > 0 && (size_t)n < sizeof set_version
		             ? store_exec(st, set_version, "user_version") : -EINVAL;
	}
	rc = store_end(st, rc);
	if (rc) {
		log_error("store: migration %d failed", version);
		return rc;
	}
	log_info("store: schema migrated to version %d", version);
	return 0;
}

static int migrate(struct store *st, int target)
{
	int current;
	int rc = pragma_int(st, "PRAGMA user_version", &current);
	if (rc)
		return rc;
	if (current > store_migrations_count()) {
		log_error("store: database schema version %d is newer than this program's %d",
		          current, store_migrations_count());
		return -EINVAL;
	}
	for (int v = current + 1; v <= target; v++) {
		rc = migrate_one(st, v);
		if (rc)
			return rc;
	}
	return 0;
}

int store_open_at_version(const char *path, int target, struct store **out)
{
	struct store *st;
	int rc;

	*out = NULL;
	if (!path || target < 0 || target > store_migrations_count())
		return -EINVAL;
	st = calloc(1, sizeof *st);
	if (!st)
		return -ENOMEM;
	rc = sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK) {
		/* The path is configuration, not personal data. */
		log_error("store: cannot open %s: %s", path,
		          st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc));
		rc = rc == SQLITE_NOMEM ? -ENOMEM : -EIO;
	} else {
		rc = configure(st);
		if (rc == 0)
			rc = migrate(st, target);
		if (rc == 0)
			sqlite3_busy_timeout(st->db, 0);
	}
	if (rc) {
		store_close(st);
		return rc;
	}
	*out = st;
	return 0;
}

/* Statement journals never spill to a file (SQLite spills past 64 KiB by
 * default). A spill threshold above 128 KiB is unusable with SQLite 3.40:
 * a journal copied into its file past 1 MiB ends with a zero-byte write
 * that fails the statement as "database or disk is full", and with it a
 * migration that rebuilt an index of a large registry at the daemon's
 * start (test_store_process). The daemon's own statements journal a few
 * pages; a migration's may hold some MiB once, at start. */
#define STMT_JOURNAL_IN_MEMORY (-1)

int store_process_init(void)
{
	return sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, STMT_JOURNAL_IN_MEMORY) == SQLITE_OK
	       ? 0 : -EINVAL;
}

int store_open(const char *path, struct store **out)
{
	return store_open_at_version(path, store_migrations_count(), out);
}

/* The read of a read-only connection is over (or never began). */
static void read_done(struct store *st)
{
	if (st->reading) {
		st->reading = false;
		store_checkpoint_reader_leave();
	}
}

int store_open_readonly(const char *path, struct store **out)
{
	struct store *st;
	int rc, version = 0;

	*out = NULL;
	if (!path)
		return -EINVAL;
	st = calloc(1, sizeof *st);
	if (!st)
		return -ENOMEM;
	st->readonly = true;
	rc = sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READONLY, NULL);
	if (rc != SQLITE_OK) {
		log_error("store: cannot open %s read-only: %s", path,
		          st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc));
		rc = rc == SQLITE_NOMEM ? -ENOMEM : -EIO;
	} else {
		sqlite3_extended_result_codes(st->db, 1);
		/* Off the loop: waiting for a writer's checkpoint is fine here. */
		sqlite3_busy_timeout(st->db, OPEN_BUSY_TIMEOUT_MS);
		rc = pragma_int(st, "PRAGMA user_version", &version);
		if (rc == 0 && version != store_migrations_count()) {
			log_error("store: %s is at schema %d, not %d", path, version,
			          store_migrations_count());
			rc = -EINVAL;
		}
	}
	if (rc) {
		store_close(st);
		return rc;
	}
	*out = st;
	return 0;
}

int store_read_begin(struct store *st)
{
	if (st->readonly && !st->reading) {
		store_checkpoint_reader_enter();
		st->reading = true;
	}
	int rc = store_exec(st, "BEGIN DEFERRED", "begin read");
	if (rc < 0)
		read_done(st);
	return rc;
}

int store_read_end(struct store *st)
{
	int rc = store_exec(st, "COMMIT", "end read");

	read_done(st);
	return rc;
}

int store_read_snapshot(const char *path, int (*fn)(void *arg, struct store *ro), void *arg)
{
	struct store *ro;
	int rc = store_open_readonly(path, &ro);

	if (rc == 0 && (rc = store_read_begin(ro)) == 0) {
		rc = fn(arg, ro);
		store_read_end(ro);
	}
	store_close(ro);
	return rc;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	read_done(st);
	store_checkpoint_stop(st);
	for (size_t i = 0; i < st->n_slots; i++)
		sqlite3_finalize(st->slots[i].stmt);
	free(st->slots);
	if (st->db) {
		/* Folds the WAL into the main file so a copied .db is complete;
		 * readers elsewhere only make this partial, which is harmless. */
		if (!st->readonly)
			sqlite3_wal_checkpoint_v2(st->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
		if (sqlite3_close(st->db) != SQLITE_OK)
			log_warn("store: close: %s", sqlite3_errmsg(st->db));
	}
	free(st);
}

int store_schema_version(struct store *st)
{
	int v;
	return pragma_int(st, "PRAGMA user_version", &v) == 0 ? v : -EIO;
}

int store_begin(struct store *st)
{
	if (!sqlite3_get_autocommit(st->db)) {
		log_error("store: begin inside a transaction (not nestable)");
		return -EINVAL;
	}
	uint64_t t0 = clock_mono_ns();
	int rc = store_run(st, "BEGIN IMMEDIATE", "begin");
	st->txn_start_ns = rc == 0 ? t0 : 0;
	st->savepoints = 0;
	st->changes_at_begin = sqlite3_total_changes64(st->db);
	return rc;
}

int store_commit(struct store *st)
{
	bool wrote = sqlite3_total_changes64(st->db) != st->changes_at_begin;
	int rc = store_run(st, "COMMIT", "commit");
	if (rc == 0) {
		/* Only a commit that wrote something shows the disk takes writes. */
		if (wrote)
			note_write(st, false);
		txn_observe(st, "outcome=\"commit\"");
		/* Rows are visible now: the dispatcher may pick them up. */
		if (st->outbox_dirty && st->outbox_wake)
			st->outbox_wake(st->outbox_wake_arg);
		st->outbox_dirty = false;
	}
	return rc;
}

int store_rollback(struct store *st)
{
	/* SQLite may already have rolled back (e.g. after SQLITE_FULL), and
	 * callers roll back after a failed begin or commit: a COMMIT that
	 * failed with SQLITE_BUSY leaves the transaction open, so this is what
	 * ends it then. */
	int rc = sqlite3_get_autocommit(st->db) ? 0 : store_run(st, "ROLLBACK", "rollback");
	txn_observe(st, "outcome=\"rollback\"");
	st->outbox_dirty = false;
	st->savepoints = 0;
	return rc;
}

int store_end(struct store *st, int rc)
{
	if (rc == 0)
		rc = store_commit(st);
	if (rc != 0)
		store_rollback(st);
	return rc;
}

bool store_in_txn(struct store *st)
{
	return !sqlite3_get_autocommit(st->db);
}

int store_txn(struct store *st, int (*fn)(struct store *st, void *arg), void *arg)
{
	int rc = store_begin(st);

	if (rc == 0)
		rc = store_end(st, fn(st, arg));
	return rc;
}

int store_savepoint(struct store *st)
{
	if (sqlite3_get_autocommit(st->db)) {
		log_error("store: a savepoint needs the caller's transaction");
		return -EINVAL;
	}
	int rc = store_run(st, "SAVEPOINT unit", "savepoint");
	if (rc == 0)
		st->savepoints++;
	return rc;
}

int store_savepoint_end(struct store *st, int rc)
{
	int end = 0;

	/* A statement that failed with FULL or IOERR may have rolled the whole
	 * transaction back already: then there is no savepoint left to end. */
	if (st->savepoints == 0 || sqlite3_get_autocommit(st->db)) {
		st->savepoints = 0;
		return rc ? rc : -EIO;
	}
	if (rc != 0)
		end = store_run(st, "ROLLBACK TO unit", "rollback to savepoint");
	if (end == 0)
		end = store_run(st, "RELEASE unit", "release savepoint");
	if (end == 0)
		st->savepoints--;
	return rc ? rc : end;
}

static const char PROBE_SQL[] =
	"INSERT INTO store_probe (id, at) VALUES (1, ?1)"
	" ON CONFLICT (id) DO UPDATE SET at = excluded.at";

int store_probe_write(struct store *st)
{
	if (!sqlite3_get_autocommit(st->db))
		return -EBUSY;
	int rc = store_begin(st);
	if (rc)
		return rc;
	/* A probe, not work: kept out of the transaction latencies. */
	st->txn_start_ns = 0;
	sqlite3_stmt *s = store_prepare(st, PROBE_SQL);
	if (!s) {
		store_rollback(st);
		return -EIO;
	}
	sqlite3_bind_int64(s, 1, clock_now());
	int step = sqlite3_step(s);
	store_stmt_done(s);
	rc = step == SQLITE_DONE ? 0 : store_fail(st, "write probe", step);
	rc = store_end(st, rc);
	/* A probe's failure is no command's fault. */
	st->fault = STORE_FAULT_NONE;
	return rc;
}

bool store_read_only(struct store *st)
{
	/* A write-protected file opens read-only without an error. */
	return sqlite3_db_readonly(st->db, "main") == 1;
}

int store_check_writable(struct store *st)
{
	if (!sqlite3_get_autocommit(st->db))
		return -EBUSY;
	if (store_read_only(st))
		return -EROFS;
	int rc = store_begin(st);
	if (rc)
		return rc;
	/* A probe, not work: kept out of the transaction latencies. */
	st->txn_start_ns = 0;
	return store_rollback(st);
}
