/* The holiday calendar; see store_calendar.h. */
#include "store_calendar.h"

#include <errno.h>

#include "store_internal.h"

static const char DAY_EXISTS_SQL[] = "SELECT 1 FROM calendar WHERE date = ?1";
/* A day that stays the same is not written. */
static const char DAY_PUT_SQL[] =
	"INSERT INTO calendar (date, kind, name) VALUES (?1, ?2, ?3)"
	" ON CONFLICT (date) DO UPDATE SET kind = excluded.kind, name = excluded.name"
	" WHERE kind IS NOT excluded.kind OR name IS NOT excluded.name";

int store_calendar_put(struct store *st, const char *date, const char *kind, const char *name,
                       enum store_import_change *change)
{
	sqlite3_stmt *s = store_prepare(st, DAY_EXISTS_SQL);
	int rc;

	*change = STORE_IMPORT_SAME;
	if (!s)
		return -EIO;
	store_bind_text(s, 1, date);
	rc = sqlite3_step(s);
	store_stmt_done(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(st, "calendar find", rc);
	bool existed = rc == SQLITE_ROW;
	if (!(s = store_prepare(st, DAY_PUT_SQL)))
		return -EIO;
	store_bind_text(s, 1, date);
	store_bind_text(s, 2, kind);
	store_bind_text_or_null(s, 3, name);
	rc = sqlite3_step(s);
	store_stmt_done(s);
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return store_errno(rc);
	if (rc != SQLITE_DONE)
		return store_fail(st, "calendar put", rc);
	if (sqlite3_changes(st->db) > 0)
		*change = existed ? STORE_IMPORT_UPDATED : STORE_IMPORT_CREATED;
	return 0;
}
