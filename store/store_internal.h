/*
 * Shared by the daemon/store*.c files only: the store object, its cache of
 * prepared statements, and small helpers for binding, reading and errors.
 *
 * Statements are prepared on first use with SQLITE_PREPARE_PERSISTENT and
 * kept until store_close; after each use store_stmt_done() resets them and
 * clears their bindings, so text bound with SQLITE_STATIC never outlives
 * the caller's buffer.
 */
#ifndef CQOD_STORE_INTERNAL_H
#define CQOD_STORE_INTERNAL_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* A prepared statement cached under the address of its SQL text. */
struct store_stmt_slot {
	const char *sql;
	sqlite3_stmt *stmt;
};

struct store {
	sqlite3 *db;                         /* owned; closed by store_close */
	struct store_stmt_slot *slots;       /* owned; open addressing, power of 2 */
	size_t n_slots, n_stmts;
	uint64_t txn_start_ns;               /* clock_mono_ns() at BEGIN; 0: not timed */
	/* The outbox dispatcher's wake-up (store_outbox_set_wake), called after
	 * a commit that wrote outbox rows (outbox_dirty). */
	void (*outbox_wake)(void *arg);
	void *outbox_wake_arg;
	bool outbox_dirty;
	enum store_fault fault;              /* worst since store_fault_take */
	int savepoints;                      /* open savepoints (store_savepoint) */
	int64_t bookkeeping;                 /* rows store_effects leaves out */
	bool write_failed;                   /* the last write hit FULL or IOERR */
	int64_t last_commit;                 /* unix seconds of the last good COMMIT */
	int64_t changes_at_begin;            /* total changes when BEGIN ran */
};

/* Migration scripts (daemon/migrations.c): the SQL that takes the schema
 * from version-1 to `version` (1-based), or NULL when out of range. */
const char *store_migration_sql(int version);

/* The statement for `sql`, prepared on first use and cached under the
 * string's ADDRESS (so pass a static array or a literal used at one call
 * site: the same text at another address gets its own statement); NULL
 * (logged) if it cannot be prepared. Owned by the store. */
sqlite3_stmt *store_prepare(struct store *st, const char *sql);

/* Resets a statement and clears its bindings after use. */
void store_stmt_done(sqlite3_stmt *s);

/* Maps an SQLite result code to a negative errno without logging:
 * unique/primary key → -EEXIST, other constraints → -EINVAL,
 * NOMEM → -ENOMEM, anything else → -EIO. */
int store_errno(int rc);
/* Logs "store: <what>: <sqlite message>" once (never parameter values) and
 * returns store_errno(rc). */
int store_fail(struct store *st, const char *what, int rc);

/* Counts the rows the last statement changed as bookkeeping (left out of
 * store_effects). */
void store_note_bookkeeping(struct store *st);

/* Runs SQL without parameters (schema, pragmas); logs and maps failures. */
int store_exec(struct store *st, const char *sql, const char *what);

/* Binds text without copying (SQLITE_STATIC: the caller keeps it alive until
 * store_stmt_done); a NULL pointer binds NULL. The _or_null form also binds
 * NULL for "" (optional columns). Return SQLite result codes. */
int store_bind_text(sqlite3_stmt *s, int idx, const char *text);
int store_bind_text_or_null(sqlite3_stmt *s, int idx, const char *text);
/* Copies column `col` into buf (NUL-terminated; "" for NULL), truncating at a
 * UTF-8 character boundary. */
void store_col_text(sqlite3_stmt *s, int col, char *buf, size_t len);

/* The identities row of a store_identity_key (store.h): its tenant's row,
 * else the pending row of its instance. Parameters ?1 platform, ?2 tenant,
 * ?3 user id, ?4 instance, bound by store_identity_bind_key. */
#define STORE_IDENTITY_KEY_ROW \
	"(SELECT k.id FROM identities k WHERE k.platform = ?1 AND k.user_id = ?3" \
	" AND (k.tenant = ?2 OR (k.tenant IS NULL AND k.instance = ?4))" \
	" ORDER BY k.tenant IS NULL LIMIT 1)"
void store_identity_bind_key(sqlite3_stmt *s, const struct store_identity_key *key);

/* True for text shaped "YYYY-MM-DD" (the calendar is checked by SQLite). */
bool store_is_date(const char *s);

#endif
