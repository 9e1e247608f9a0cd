/*
 * Shared by daemon/store_import*.c only: stepping statements that return
 * an id and a JSON snapshot, audit rows, the enterprise upsert that CQO
 * rows reuse, and finding a CQO by enterprise and name.
 */
#ifndef CQOD_STORE_IMPORT_INTERNAL_H
#define CQOD_STORE_IMPORT_INTERNAL_H

#include "store_import.h"
#include "store_internal.h"

/* Steps a query `s` (then resets it): 1 when it returned a row, whose
 * integer column id_col goes to *id (id_col < 0: none) and text column
 * json_col to *json (a copy the caller frees; json_col < 0: none); 0 when
 * no row; a negative errno on failure. */
int import_step(struct store *st, sqlite3_stmt *s, const char *what, int id_col, int64_t *id,
                int json_col, char **json);

/* Runs an INSERT or UPDATE that returns no rows, then resets it. For an
 * insert *id gets the new row's id. When a row was written and
 * snapshot_sql is given (SELECT <json> FROM t WHERE id = ?), *json gets
 * that row's snapshot (caller frees), else NULL. Constraint failures are
 * not logged. 0 or a negative errno. */
int import_write(struct store *st, sqlite3_stmt *s, const char *what, bool insert, int64_t *id,
                 const char *snapshot_sql, char **json);

/* Binds a row's values to a statement (parameters from ?2; ?1 is the id). */
typedef void (*import_bind_fn)(sqlite3_stmt *s, const void *arg);

/* Updates row `id` only when a value would change. before_sql selects the
 * row's snapshot under the update's own condition, so an unchanged row
 * costs one lookup and builds no snapshot; update_sql writes it and
 * snapshot_sql reads it back. bind() binds the same values to both.
 * *before and *after (caller frees) are the snapshots, both NULL when
 * nothing changed. 0 or a negative errno. */
int import_update(struct store *st, const char *before_sql, const char *update_sql,
                  const char *snapshot_sql, int64_t id, import_bind_fn bind, const void *arg,
                  const char *what, char **before, char **after);

/* Binds text or NULL for NULL / "", and a number or NULL for -1. */
void import_bind_text(sqlite3_stmt *s, int idx, const char *text);
void import_bind_long(sqlite3_stmt *s, int idx, long v);

/* An enterprise upserted by store_import_*: whether it is new, its
 * snapshots before and after when its fields changed (else NULL), and its
 * tags before and after. Strings owned; released by
 * import_enterprise_audit. */
struct import_enterprise_done {
	int64_t id;
	bool created;
	char *before, *after;
	unsigned tags_before, tags_after;
};

/* The id of the enterprise with this credit code: 1, or 0 when there is
 * none. */
int import_enterprise_find(struct store *st, const char *credit_code, int64_t *id);

/* Upserts the enterprise and its tags without audit rows. */
int import_enterprise_put(struct store *st, const struct store_import_enterprise *in, int64_t now,
                          struct import_enterprise_done *out);
/* Writes the audit rows of what import_enterprise_put changed (record_id:
 * the registry record they belong to, or 0), frees its strings and says
 * what happened in *change. */
int import_enterprise_audit(struct store *st, const struct store_actor *who,
                            struct import_enterprise_done *d, int64_t record_id,
                            enum store_import_change *change);
void import_enterprise_done_free(struct import_enterprise_done *d);

/* The newest appointment at the enterprise with this credit code whose
 * person has this name: its id and person id. -ENOENT if none. */
int import_find_cqo(struct store *st, const char *credit_code, const char *name,
                    int64_t *appointment_id, int64_t *person_id);

#endif
