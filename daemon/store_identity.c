/* Chat identities: (platform, user_id) → role, scope, person, alliance. */
#include <errno.h>
#include <string.h>

#include "clock.h"
#include "store_internal.h"

int store_identity_get(struct store *st, const char *platform, const char *user_id,
                       struct store_identity *out)
{
	sqlite3_stmt *s = store_stmt(st, STMT_IDENTITY_GET,
		"SELECT role, scope_region, person_id, alliance_id FROM identities"
		" WHERE platform = ?1 AND user_id = ?2");
	if (!s)
		return -EIO;
	if (!platform || !user_id)
		return -EINVAL;
	store_bind_text(s, 1, platform);
	store_bind_text(s, 2, user_id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		memset(out, 0, sizeof *out);
		store_col_text(s, 0, out->role, sizeof out->role);
		store_col_text(s, 1, out->scope, sizeof out->scope);
		out->person_id = sqlite3_column_int64(s, 2);
		out->alliance_id = sqlite3_column_int64(s, 3);
	}
	store_stmt_done(s);
	if (rc == SQLITE_ROW)
		return 0;
	return rc == SQLITE_DONE ? -ENOENT : store_fail(st, "identity get", rc);
}

int store_identity_set(struct store *st, const char *platform, const char *user_id,
                       const char *display_name, const struct store_identity *id)
{
	/* The schema's CHECKs tie each role to its scope, person or alliance;
	 * "" and 0 mean "none" and are stored as NULL. */
	sqlite3_stmt *s = store_stmt(st, STMT_IDENTITY_SET,
		"INSERT INTO identities (platform, user_id, display_name, role, scope_region,"
		"  alliance_id, person_id, created_at, updated_at)"
		" VALUES (?1, ?2, ?3, ?4, ?5, nullif(?6, 0), nullif(?7, 0), ?8, ?8)"
		" ON CONFLICT (platform, user_id) DO UPDATE SET"
		"  display_name = excluded.display_name, role = excluded.role,"
		"  scope_region = excluded.scope_region, alliance_id = excluded.alliance_id,"
		"  person_id = excluded.person_id, updated_at = excluded.updated_at");
	if (!s)
		return -EIO;
	if (!platform || !user_id || !id)
		return -EINVAL;
	store_bind_text(s, 1, platform);
	store_bind_text(s, 2, user_id);
	store_bind_text_or_null(s, 3, display_name);
	store_bind_text(s, 4, id->role);
	store_bind_text_or_null(s, 5, id->scope);
	sqlite3_bind_int64(s, 6, id->alliance_id);
	sqlite3_bind_int64(s, 7, id->person_id);
	sqlite3_bind_int64(s, 8, clock_now());
	int rc = sqlite3_step(s);
	store_stmt_done(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, "identity set", rc);
}
