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

#include "store.h"

/* One slot per cached statement; the SQL text lives next to its user. */
enum store_stmt_id {
	STMT_BEGIN,
	STMT_COMMIT,
	STMT_ROLLBACK,
	STMT_INBOUND_INSERT,
	STMT_INBOUND_PRUNE,
	STMT_REGION_UPSERT,
	STMT_REGION_NAME,
	STMT_REGIONS_COUNT,
	STMT_IDENTITY_GET,
	STMT_IDENTITY_SET,
	STMT_SEARCH_ID_COUNT,
	STMT_SEARCH_ID_PAGE,
	STMT_SEARCH_CREDIT_COUNT,
	STMT_SEARCH_CREDIT_PAGE,
	STMT_SEARCH_PERSON_COUNT,
	STMT_SEARCH_PERSON_PAGE,
	STMT_SEARCH_ENT_COUNT,
	STMT_SEARCH_ENT_PAGE,
	STMT_SEARCH_LIKE_COUNT,
	STMT_SEARCH_LIKE_PAGE,
	STMT_CARD,
	STMT_CARD_HOURS,
	STMT_CARD_SANCTIONS,
	STMT__COUNT
};

struct store {
	sqlite3 *db;                         /* owned; closed by store_close */
	sqlite3_stmt *stmt[STMT__COUNT];     /* owned; NULL until first use */
};

/* Migration scripts (daemon/migrations.c): the SQL that takes the schema
 * from version-1 to `version` (1-based), or NULL when out of range. */
const char *store_migration_sql(int version);

/* The cached statement `id`, prepared from `sql` on first use; NULL (logged)
 * if it cannot be prepared. Owned by the store. */
sqlite3_stmt *store_stmt(struct store *st, enum store_stmt_id id, const char *sql);
/* Resets a statement and clears its bindings after use. */
void store_stmt_done(sqlite3_stmt *s);

/* Maps an SQLite result code to a negative errno without logging:
 * unique/primary key → -EEXIST, other constraints → -EINVAL,
 * NOMEM → -ENOMEM, anything else → -EIO. */
int store_errno(int rc);
/* Logs "store: <what>: <sqlite message>" once (never parameter values) and
 * returns store_errno(rc). */
int store_fail(struct store *st, const char *what, int rc);

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

/* True for text shaped "YYYY-MM-DD" (the calendar is checked by SQLite). */
bool store_is_date(const char *s);

#endif
