/* Honours; see store_honour.h. */
#include "store_honour.h"

#include <errno.h>
#include <stdlib.h>

#include "store_audit.h"
#include "store_internal.h"

static const char HONOUR_EXISTS_SQL[] =
	"SELECT count(*) FROM honours h JOIN appointments a ON a.person_id = h.person_id"
	" WHERE a.id = ?1 AND h.name = ?2 AND h.year = ?3";

static const char HONOUR_INSERT_SQL[] =
	"INSERT INTO honours (person_id, appointment_id, name, year, created_at)"
	" SELECT person_id, id, ?2, ?3, ?4 FROM appointments WHERE id = ?1";

static const char HONOUR_JSON_SQL[] =
	"SELECT json_object('id', id, 'person_id', person_id, 'appointment_id', appointment_id,"
	" 'name', name, 'year', year) FROM honours WHERE id = ?";

static const char HONOUR_LIST_SQL[] =
	"SELECT id, name, year FROM honours WHERE person_id = ? ORDER BY year DESC, id DESC";

static int honour_exists(struct store *st, int64_t appointment_id, const char *name, int year,
                         bool *exists)
{
	sqlite3_stmt *s = store_prepare(st, HONOUR_EXISTS_SQL);

	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, appointment_id);
	store_bind_text(s, 2, name);
	sqlite3_bind_int(s, 3, year);
	int rc = sqlite3_step(s);
	*exists = rc == SQLITE_ROW && sqlite3_column_int64(s, 0) > 0;
	store_stmt_done(s);
	return rc == SQLITE_ROW ? 0 : store_fail(st, "honour exists", rc);
}

static int honour_insert(struct store *st, const struct store_actor *who, int64_t appointment_id,
                         const char *name, int year, int64_t now, int64_t *id)
{
	char *after = NULL;   /* owned here */
	bool exists = false;
	sqlite3_stmt *s;
	int rc = honour_exists(st, appointment_id, name, year, &exists);

	if (rc)
		return rc;
	if (exists)
		return -EEXIST;
	if (!(s = store_prepare(st, HONOUR_INSERT_SQL)))
		return -EIO;
	sqlite3_bind_int64(s, 1, appointment_id);
	store_bind_text(s, 2, name);
	sqlite3_bind_int(s, 3, year);
	sqlite3_bind_int64(s, 4, now);
	rc = sqlite3_step(s);
	store_stmt_done(s);
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return store_errno(rc);
	if (rc != SQLITE_DONE)
		return store_fail(st, "honour insert", rc);
	if (sqlite3_changes(st->db) == 0)
		return -ENOENT;
	*id = sqlite3_last_insert_rowid(st->db);
	rc = store_snapshot_json(st, HONOUR_JSON_SQL, *id, &after);
	if (rc == 0)
		rc = store_audit_add(st, who, "honour", *id, appointment_id, NULL, after);
	free(after);
	return rc;
}

int store_honour_add(struct store *st, const struct store_actor *who, int64_t appointment_id,
                     const char *name, int year, int64_t now, int64_t *id)
{
	int rc = store_savepoint(st);

	if (rc)
		return rc;
	rc = honour_insert(st, who, appointment_id, name, year, now, id);
	return store_savepoint_end(st, rc);
}

int store_honour_list(struct store *st, int64_t person_id, struct store_honour *out, size_t max,
                      size_t *n, size_t *total)
{
	sqlite3_stmt *s = store_prepare(st, HONOUR_LIST_SQL);
	int rc;

	*n = *total = 0;
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, person_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n < max) {
			struct store_honour *h = &out[(*n)++];
			h->id = sqlite3_column_int64(s, 0);
			store_col_text(s, 1, h->name, sizeof h->name);
			h->year = sqlite3_column_int(s, 2);
		}
		(*total)++;
	}
	store_stmt_done(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, "honour list", rc);
}
