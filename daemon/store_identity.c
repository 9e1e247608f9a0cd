/* Chat identities: (platform, user_id) → role, scope, person, alliance;
 * see store.h and store_identity.h. */
#include "store_identity.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "store_audit.h"
#include "store_internal.h"

int store_identity_get(struct store *st, const char *platform, const char *user_id,
                       struct store_identity *out)
{
	sqlite3_stmt *s = store_prepare(st,
		"SELECT role, scope_region, person_id, alliance_id, instance FROM identities"
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
		store_col_text(s, 4, out->instance, sizeof out->instance);
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
	 * "" and 0 mean "none" and are stored as NULL. A NULL display name
	 * keeps the one already stored. */
	sqlite3_stmt *s = store_prepare(st,
		"INSERT INTO identities (platform, user_id, display_name, role, scope_region,"
		"  alliance_id, person_id, created_at, updated_at, instance)"
		" VALUES (?1, ?2, ?3, ?4, ?5, nullif(?6, 0), nullif(?7, 0), ?8, ?8, ?9)"
		" ON CONFLICT (platform, user_id) DO UPDATE SET"
		"  display_name = coalesce(excluded.display_name, identities.display_name),"
		"  instance = coalesce(excluded.instance, identities.instance),"
		"  role = excluded.role,"
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
	store_bind_text_or_null(s, 9, id->instance);
	int rc = sqlite3_step(s);
	store_stmt_done(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, "identity set", rc);
}

int store_identity_set_instance(struct store *st, const char *platform, const char *user_id,
                                const char *instance)
{
	sqlite3_stmt *s = store_prepare(st,
		"UPDATE identities SET instance = ?3 WHERE platform = ?1 AND user_id = ?2");

	if (!s)
		return -EIO;
	store_bind_text(s, 1, platform);
	store_bind_text(s, 2, user_id);
	store_bind_text_or_null(s, 3, instance);
	int rc = sqlite3_step(s);
	store_stmt_done(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, "identity instance", rc);
	return sqlite3_changes(st->db) > 0 ? 0 : -ENOENT;
}

/* The identity as JSON for the audit log; *out = NULL when there is none.
 * Caller frees *out. */
static int identity_json(struct store *st, const char *platform, const char *user_id, char **out)
{
	static const char sql[] =
		"SELECT json_object('platform', platform, 'user_id', user_id, 'role', role,"
		"  'scope_region', scope_region, 'alliance_id', alliance_id, 'person_id', person_id)"
		" FROM identities WHERE platform = ?1 AND user_id = ?2";
	sqlite3_stmt *s = store_prepare(st, sql);

	*out = NULL;
	if (!s)
		return -EIO;
	store_bind_text(s, 1, platform);
	store_bind_text(s, 2, user_id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = strdup((const char *)sqlite3_column_text(s, 0));
	store_stmt_done(s);
	if (rc == SQLITE_ROW)
		return *out ? 0 : -ENOMEM;
	return rc == SQLITE_DONE ? 0 : store_fail(st, "identity snapshot", rc);
}

/* Admins other than (platform, user_id). */
static int other_admins(struct store *st, const char *platform, const char *user_id, int *out)
{
	static const char sql[] =
		"SELECT count(*) FROM identities WHERE role = 'admin'"
		" AND NOT (platform = ?1 AND user_id = ?2)";
	sqlite3_stmt *s = store_prepare(st, sql);

	if (!s)
		return -EIO;
	store_bind_text(s, 1, platform);
	store_bind_text(s, 2, user_id);
	int rc = sqlite3_step(s);
	*out = rc == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
	store_stmt_done(s);
	return rc == SQLITE_ROW ? 0 : store_fail(st, "admin count", rc);
}

int store_identity_count_admins(struct store *st, int *out)
{
	/* No identity has an empty platform name, so none is left out. */
	return other_admins(st, "", "", out);
}

/* The newest appointment of a person (0 when none): the record a cqo
 * identity's audit row belongs to. */
static int newest_appointment(struct store *st, int64_t person_id, int64_t *out)
{
	static const char sql[] = "SELECT coalesce(max(id), 0) FROM appointments WHERE person_id = ?1";
	sqlite3_stmt *s;

	*out = 0;
	if (person_id == 0)
		return 0;
	if (!(s = store_prepare(st, sql)))
		return -EIO;
	sqlite3_bind_int64(s, 1, person_id);
	int rc = sqlite3_step(s);
	*out = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	store_stmt_done(s);
	return rc == SQLITE_ROW ? 0 : store_fail(st, "newest appointment", rc);
}

static const char DELETE_SQL[] = "DELETE FROM identities WHERE platform = ?1 AND user_id = ?2";

static int identity_delete(struct store *st, const char *platform, const char *user_id)
{
	sqlite3_stmt *s = store_prepare(st, DELETE_SQL);

	if (!s)
		return -EIO;
	store_bind_text(s, 1, platform);
	store_bind_text(s, 2, user_id);
	int rc = sqlite3_step(s);
	store_stmt_done(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, "identity delete", rc);
}

/* The change itself, inside the caller's transaction: `id` NULL deletes.
 * before/after snapshots are owned here. */
static int identity_change(struct store *st, const struct store_actor *who, const char *platform,
                           const char *user_id, const struct store_identity *id)
{
	struct store_identity old = {0};
	char *before = NULL, *after = NULL;
	int64_t record = 0;
	int admins, rc = store_identity_get(st, platform, user_id, &old);

	if (rc == -ENOENT && !id)
		return -ENOENT;
	if (rc < 0 && rc != -ENOENT)
		return rc;
	if (rc == 0 && strcmp(old.role, "admin") == 0 && (!id || strcmp(id->role, "admin") != 0)) {
		if ((rc = other_admins(st, platform, user_id, &admins)) < 0)
			return rc;
		if (admins == 0)
			return -EPERM;
	}
	rc = identity_json(st, platform, user_id, &before);
	if (rc == 0)
		rc = id ? store_identity_set(st, platform, user_id, NULL, id)
		        : identity_delete(st, platform, user_id);
	if (rc == 0)
		rc = identity_json(st, platform, user_id, &after);
	/* A cqo identity concerns the person's record; so does the one it
	 * replaces. Identities have no number of their own: the person's id
	 * stands in, as for 绑定 (store_bind.c). */
	int64_t person = id && id->person_id ? id->person_id : old.person_id;
	if (rc == 0)
		rc = newest_appointment(st, person, &record);
	if (rc == 0)
		rc = store_audit_add(st, who, "identity", person, record, before, after);
	free(before);
	free(after);
	return rc;
}

/* Runs identity_change under a savepoint of the caller's transaction. */
static int identity_change_tx(struct store *st, const struct store_actor *who,
                              const char *platform, const char *user_id,
                              const struct store_identity *id)
{
	if (!st || !who || !platform || !user_id)
		return -EINVAL;
	int rc = store_savepoint(st);
	if (rc < 0)
		return rc;
	rc = identity_change(st, who, platform, user_id, id);
	return store_savepoint_end(st, rc);
}

int store_identity_grant(struct store *st, const struct store_actor *who, const char *platform,
                         const char *user_id, const struct store_identity *id)
{
	if (!id)
		return -EINVAL;
	return identity_change_tx(st, who, platform, user_id, id);
}

int store_identity_revoke(struct store *st, const struct store_actor *who, const char *platform,
                          const char *user_id)
{
	return identity_change_tx(st, who, platform, user_id, NULL);
}

/* ?1 role ("" = all), ?2 scope prefix ("" = no filter). */
#define LIST_WHERE \
	" WHERE (?1 = '' OR i.role = ?1)" \
	" AND (?2 = '' OR substr(i.scope_region, 1, length(?2)) = ?2)"

static const char LIST_COUNT_SQL[] = "SELECT count(*) FROM identities i" LIST_WHERE;
static const char LIST_SQL[] =
	"SELECT i.platform, i.user_id, i.display_name, i.role, i.scope_region, i.alliance_id,"
	"  i.person_id, r.name, al.name, p.name,"
	"  (SELECT coalesce(max(a.id), 0) FROM appointments a WHERE a.person_id = i.person_id)"
	" FROM identities i"
	" LEFT JOIN regions r ON r.code = i.scope_region"
	" LEFT JOIN alliances al ON al.id = i.alliance_id"
	" LEFT JOIN people p ON p.id = i.person_id"
	LIST_WHERE
	" ORDER BY CASE i.role WHEN 'admin' THEN 0 WHEN 'clerk' THEN 1 WHEN 'organizer' THEN 2"
	"  ELSE 3 END, i.platform, i.user_id LIMIT ?3 OFFSET ?4";

static void list_row(sqlite3_stmt *s, struct store_identity_row *r)
{
	memset(r, 0, sizeof *r);
	store_col_text(s, 0, r->platform, sizeof r->platform);
	store_col_text(s, 1, r->user_id, sizeof r->user_id);
	store_col_text(s, 2, r->display_name, sizeof r->display_name);
	store_col_text(s, 3, r->id.role, sizeof r->id.role);
	store_col_text(s, 4, r->id.scope, sizeof r->id.scope);
	r->id.alliance_id = sqlite3_column_int64(s, 5);
	r->id.person_id = sqlite3_column_int64(s, 6);
	store_col_text(s, 7, r->scope_name, sizeof r->scope_name);
	store_col_text(s, 8, r->alliance_name, sizeof r->alliance_name);
	store_col_text(s, 9, r->person_name, sizeof r->person_name);
	r->appointment_id = sqlite3_column_int64(s, 10);
}

int store_identity_list(struct store *st, const char *role, const char *scope, size_t offset,
                        struct store_identity_row *out, size_t max, size_t *n, size_t *total)
{
	sqlite3_stmt *s;
	int rc;

	*n = *total = 0;
	if (!role || !scope || (max > 0 && !out))
		return -EINVAL;
	if (!(s = store_prepare(st, LIST_COUNT_SQL)))
		return -EIO;
	store_bind_text(s, 1, role);
	store_bind_text(s, 2, scope);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*total = (size_t)sqlite3_column_int64(s, 0);
	store_stmt_done(s);
	if (rc != SQLITE_ROW)
		return store_fail(st, "identity count", rc);
	if (max == 0 || offset >= *total)
		return 0;

	if (!(s = store_prepare(st, LIST_SQL)))
		return -EIO;
	store_bind_text(s, 1, role);
	store_bind_text(s, 2, scope);
	sqlite3_bind_int64(s, 3, max > INT32_MAX ? INT32_MAX : (sqlite3_int64)max);
	sqlite3_bind_int64(s, 4, offset > INT64_MAX ? INT64_MAX : (sqlite3_int64)offset);
	while (*n < max && (rc = sqlite3_step(s)) == SQLITE_ROW)
		list_row(s, &out[(*n)++]);
	store_stmt_done(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_fail(st, "identity list", rc);
}
