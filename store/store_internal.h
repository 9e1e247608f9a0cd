/*
 * Shared by the store/store*.c files only, and the one header of the store
 * that speaks SQLite: the store object, its cache of prepared statements,
 * and the helper set every store file uses for binding, stepping, reading,
 * errors and audit rows.
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

struct store_actor;
struct store_appoint_person;
struct store_checkpointer;

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
	bool readonly;                       /* store_open_readonly: no checkpoint at close */
	bool reading;                        /* readonly, between store_read_begin and _end */
	/* Owned; the checkpoint worker (store_checkpoint.c), if started. */
	struct store_checkpointer *checkpointer;
};

/* Registers the tokenizer of the enterprise-name index on db
 * (store/store_name_index.c); 0 or a negative errno. */
int store_name_index_register(sqlite3 *db);
/* Bytes of the character at t (at most left), counted as SQLite's length()
 * and substr() count them: a lead byte and the continuation bytes after it. */
size_t store_char_len(const char *t, size_t left);

/* Migration scripts (store/migrations.c): the SQL that takes the schema
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

/* A read of a read-only connection opens and closes (store_read_begin and
 * _end): no RESTART checkpoint starts while one is open, and enter waits
 * for one that runs (store_checkpoint.c). Worker threads only. */
void store_checkpoint_reader_enter(void);
void store_checkpoint_reader_leave(void);

/* ---- the helpers every store file shares (store_shared.c) ---- */

/* Binds text without copying (SQLITE_STATIC: the caller keeps it alive until
 * store_stmt_done); a NULL pointer binds NULL. The _or_null form also binds
 * NULL for "" (optional columns). Return SQLite result codes. */
int store_bind_text(sqlite3_stmt *s, int idx, const char *text);
/* Binds ids[0..n) as a JSON array, "[1,2,3]", so that one statement
 * (json_each) takes any number of rows; the text is SQLite's to free.
 * Returns a SQLite result code (SQLITE_NOMEM without memory). */
int store_bind_ids(sqlite3_stmt *s, int idx, const int64_t *ids, size_t n);
int store_bind_text_or_null(sqlite3_stmt *s, int idx, const char *text);
/* Binds v, or NULL for a negative v (optional numbers). */
int store_bind_long_or_null(sqlite3_stmt *s, int idx, long v);
/* Binds a row's values to a statement. */
typedef void (*store_bind_fn)(sqlite3_stmt *s, const void *arg);
/* Copies column `col` into buf (NUL-terminated; "" for NULL), truncating at a
 * UTF-8 character boundary. */
void store_col_text(sqlite3_stmt *s, int col, char *buf, size_t len);

/* Steps a statement that returns no rows, then resets it; *changes (may
 * be NULL) gets the rows it changed. Constraint failures are the caller's
 * input: they map without a log line (-EEXIST, -EINVAL); other failures
 * are logged as `what`. */
int store_step_done(struct store *st, sqlite3_stmt *s, const char *what, int *changes);

/* Steps the cached statement for `sql`, which takes no parameters and
 * returns no rows, once (transaction control, savepoints); every failure
 * is logged as `what`. */
int store_run(struct store *st, const char *sql, const char *what);

/* store_step_done of the cached statement for `sql` with ?1 bound to v. */
int store_run_int(struct store *st, const char *sql, const char *what, int64_t v, int *changes);

/* Steps a statement expected to return one integer (a count); *out gets it
 * (0 when there is no row). */
int store_step_count(struct store *st, sqlite3_stmt *s, const char *what, int64_t *out);

/* Steps a query `s` (then resets it): 1 when it returned a row, whose
 * integer column id_col goes to *id (id_col < 0: none) and text column
 * json_col to *json (a copy the caller frees; json_col < 0: none); 0 when
 * no row; a negative errno on failure. */
int store_step_row(struct store *st, sqlite3_stmt *s, const char *what, int id_col, int64_t *id,
                   int json_col, char **json);

/* Runs an INSERT or UPDATE that returns no rows, then resets it. For an
 * insert *id gets the new row's id. When a row was written and
 * snapshot_sql is given (SELECT <json> FROM t WHERE id = ?), *json gets
 * that row's snapshot (caller frees), else NULL. Constraint failures are
 * not logged. 0 or a negative errno. */
int store_step_write(struct store *st, sqlite3_stmt *s, const char *what, bool insert,
                     int64_t *id, const char *snapshot_sql, char **json);

/* Runs fn under a savepoint of the caller's transaction (rolled back when
 * fn fails). */
int store_savepoint_run(struct store *st, int (*fn)(struct store *st, void *arg), void *arg);

/* Appends an audit row whose after-snapshot is taken by `json_sql` (one
 * integer parameter: id) and whose before-snapshot is `before` (may be
 * NULL: created). */
int store_audit_after(struct store *st, const struct store_actor *who, const char *entity,
                      const char *json_sql, int64_t id, int64_t record_id, const char *before);

/* Binds a person's fields to ?2..?11 and `now` to ?12, the parameters the
 * people INSERT and UPDATE statements share (?1: the name, or the id). */
void store_person_bind(sqlite3_stmt *s, const struct store_appoint_person *p, int64_t now);

/* The person with this name and phone whose records and 人才库 entry all
 * lie in `scope` ("" or NULL: anywhere), updated with the given fields, or
 * a new one: *id, *reused. *before gets the reused person's snapshot
 * (caller frees; NULL for a new one). 0 or a negative errno. */
int store_person_put(struct store *st, const struct store_appoint_person *p,
                     const char *scope, int64_t now, int64_t *id, char **before, bool *reused);
/* The snapshot of a person for audit rows (one parameter: the id). */
extern const char STORE_PERSON_SNAPSHOT_SQL[];

/* "platform:user" of the actor, for created_by / filed_by columns. */
void store_actor_label(const struct store_actor *who, char *buf, size_t len);

/* The identities row of a store_identity_key (store.h): its tenant's row,
 * else the pending row of its instance. Parameters ?1 platform, ?2 tenant,
 * ?3 user id, ?4 instance, bound by store_identity_bind_key. Two key
 * lookups, the tenant's first (an OR of both sorted by tenant took a
 * sorter on every message). */
#define STORE_IDENTITY_KEY_ROW \
	"coalesce((SELECT k.id FROM identities k WHERE k.platform = ?1 AND k.tenant = ?2" \
	" AND k.user_id = ?3), (SELECT k.id FROM identities k WHERE k.platform = ?1" \
	" AND k.tenant IS NULL AND k.instance = ?4 AND k.user_id = ?3))"
void store_identity_bind_key(sqlite3_stmt *s, const struct store_identity_key *key);

/* True for text shaped "YYYY-MM-DD" (the calendar is checked by SQLite). */
bool store_is_date(const char *s);

#endif
