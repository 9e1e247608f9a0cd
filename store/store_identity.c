/* Chat identities: (platform, tenant, user_id) → role, scope, person,
 * alliance; see store.h and store_identity.h. */
#include "store_identity.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/clock.h"
#include "store_audit.h"
#include "store_internal.h"

void store_identity_bind_key(sqlite3_stmt *s, const struct store_identity_key *key)
{
	store_bind_text(s, 1, key->platform);
	store_bind_text(s, 2, key->tenant);
	store_bind_text(s, 3, key->user_id);
	store_bind_text(s, 4, key->instance);
}

static bool key_ok(const struct store_identity_key *key)
{
	return key && key->platform && key->user_id;
}

/* The row id of key into *row (0 when none) and, when out is not NULL,
 * the identity. */
static int find_row(struct store *st, const struct store_identity_key *key, int64_t *row,
                    struct store_identity *out)
{
	sqlite3_stmt *s = store_prepare(st,
		"SELECT id, role, scope_region, person_id, alliance_id, instance, tenant,"
		" enterprise_id FROM identities WHERE id = " STORE_IDENTITY_KEY_ROW);

	*row = 0;
	if (!s)
		return -EIO;
	store_identity_bind_key(s, key);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*row = sqlite3_column_int64(s, 0);
		if (out) {
			memset(out, 0, sizeof *out);
			store_col_text(s, 1, out->role, sizeof out->role);
			store_col_text(s, 2, out->scope, sizeof out->scope);
			out->person_id = sqlite3_column_int64(s, 3);
			out->alliance_id = sqlite3_column_int64(s, 4);
			store_col_text(s, 5, out->instance, sizeof out->instance);
			store_col_text(s, 6, out->tenant, sizeof out->tenant);
			out->enterprise_id = sqlite3_column_int64(s, 7);
		}
	}
	store_stmt_done(s);
	if (rc == SQLITE_ROW)
		return 0;
	return rc == SQLITE_DONE ? 0 : store_fail(st, "identity get", rc);
}

int store_identity_get(struct store *st, const struct store_identity_key *key,
                       struct store_identity *out)
{
	int64_t row;

	if (!key_ok(key) || !out)
		return -EINVAL;
	int rc = find_row(st, key, &row, out);
	return rc < 0 ? rc : row ? 0 : -ENOENT;
}

int store_identity_set(struct store *st, const struct store_identity_key *key,
                       const char *display_name, const struct store_identity *id)
{
	/* The schema's CHECKs tie each role to its scope, person or alliance;
	 * "" and 0 mean "none" and are stored as NULL. A NULL display name
	 * keeps the one already stored, as a NULL instance keeps the stored
	 * instance. */
	static const char update_sql[] =
		"UPDATE identities SET tenant = coalesce(tenant, ?1),"
		"  display_name = coalesce(?3, display_name), instance = coalesce(?9, instance),"
		"  role = ?4, scope_region = nullif(?5, ''), alliance_id = nullif(?6, 0),"
		"  person_id = nullif(?7, 0), enterprise_id = nullif(?12, 0), updated_at = ?8"
		" WHERE id = ?2";
	static const char insert_sql[] =
		"INSERT INTO identities (tenant, platform, user_id, display_name, role,"
		"  scope_region, alliance_id, person_id, created_at, updated_at, instance,"
		"  enterprise_id)"
		" VALUES (?1, ?10, ?11, ?3, ?4, nullif(?5, ''), nullif(?6, 0), nullif(?7, 0),"
		"  ?8, ?8, ?9, nullif(?12, 0))";
	int64_t row;
	int rc;

	if (!key_ok(key) || !id)
		return -EINVAL;
	const char *instance = id->instance[0] ? id->instance : key->instance;
	/* A pending row nobody can reach would be a role without an owner. */
	if (!key->tenant && !instance)
		return -EINVAL;
	if ((rc = find_row(st, key, &row, NULL)) < 0)
		return rc;
	sqlite3_stmt *s = store_prepare(st, row ? update_sql : insert_sql);
	if (!s)
		return -EIO;
	store_bind_text(s, 1, key->tenant);
	if (row)
		sqlite3_bind_int64(s, 2, row);
	store_bind_text_or_null(s, 3, display_name);
	store_bind_text(s, 4, id->role);
	store_bind_text(s, 5, id->scope);
	sqlite3_bind_int64(s, 6, id->alliance_id);
	sqlite3_bind_int64(s, 7, id->person_id);
	sqlite3_bind_int64(s, 8, clock_now());
	store_bind_text_or_null(s, 9, instance);
	sqlite3_bind_int64(s, 12, id->enterprise_id);
	if (!row) {
		store_bind_text(s, 10, key->platform);
		store_bind_text(s, 11, key->user_id);
	}
	rc = sqlite3_step(s);
	store_stmt_done(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, "identity set", rc);
}

/* Identity row `row` as JSON for the audit log; *out = NULL when there is
 * none. Caller frees *out. */
static int identity_json(struct store *st, int64_t row, char **out)
{
	static const char sql[] =
		"SELECT json_object('platform', platform, 'tenant', tenant, 'user_id', user_id,"
		"  'role', role, 'scope_region', scope_region, 'alliance_id', alliance_id,"
		"  'person_id', person_id, 'enterprise_id', enterprise_id)"
		" FROM identities WHERE id = ?1";

	*out = NULL;
	return row ? store_snapshot_json(st, sql, row, out) : 0;
}

int store_identity_json(struct store *st, const struct store_identity_key *key, char **out)
{
	int64_t row;
	int rc = find_row(st, key, &row, NULL);

	*out = NULL;
	return rc < 0 ? rc : identity_json(st, row, out);
}

/* Admins other than row `row` (0: every admin). */
static int other_admins(struct store *st, int64_t row, int *out)
{
	static const char sql[] =
		"SELECT count(*) FROM identities WHERE role = 'admin' AND id <> ?1";
	sqlite3_stmt *s = store_prepare(st, sql);

	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, row);
	int rc = sqlite3_step(s);
	*out = rc == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
	store_stmt_done(s);
	return rc == SQLITE_ROW ? 0 : store_fail(st, "admin count", rc);
}

int store_identity_count_admins(struct store *st, int *out)
{
	return other_admins(st, 0, out);
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

static int identity_delete(struct store *st, int64_t row)
{
	sqlite3_stmt *s = store_prepare(st, "DELETE FROM identities WHERE id = ?1");

	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, row);
	int rc = sqlite3_step(s);
	store_stmt_done(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, "identity delete", rc);
}

/* The audit row of a change of identity `person`'s row from `before` to
 * row `after_row` (0: deleted). */
static int identity_audit(struct store *st, const struct store_actor *who, int64_t person,
                          const char *before, int64_t after_row)
{
	char *after = NULL;   /* owned here */
	int64_t record = 0;
	int rc = identity_json(st, after_row, &after);

	/* A cqo identity concerns the person's record. Identities have no
	 * number of their own: the person's id stands in, as for 绑定
	 * (store_bind.c). */
	if (rc == 0)
		rc = newest_appointment(st, person, &record);
	if (rc == 0)
		rc = store_audit_add(st, who, "identity", person, record, before, after);
	free(after);
	return rc;
}

/* The change itself, inside the caller's transaction: `id` NULL deletes.
 * The before snapshot is owned here. */
static int identity_change(struct store *st, const struct store_actor *who,
                           const struct store_identity_key *key, const struct store_identity *id)
{
	struct store_identity old = {0};
	char *before = NULL;
	int64_t row, after_row = 0;
	int admins, rc = find_row(st, key, &row, &old);

	if (rc < 0)
		return rc;
	if (!row && !id)
		return -ENOENT;
	if (row && strcmp(old.role, "admin") == 0 && (!id || strcmp(id->role, "admin") != 0)) {
		if ((rc = other_admins(st, row, &admins)) < 0)
			return rc;
		if (admins == 0)
			return -EPERM;
	}
	rc = identity_json(st, row, &before);
	if (rc == 0)
		rc = id ? store_identity_set(st, key, NULL, id) : identity_delete(st, row);
	if (rc == 0 && id)
		rc = find_row(st, key, &after_row, NULL);
	/* The person the identity is about: the new one, or the one it replaces. */
	if (rc == 0)
		rc = identity_audit(st, who, id && id->person_id ? id->person_id : old.person_id,
		                    before, after_row);
	free(before);
	return rc;
}

/* Runs identity_change under a savepoint of the caller's transaction. */
static int identity_change_tx(struct store *st, const struct store_actor *who,
                              const struct store_identity_key *key,
                              const struct store_identity *id)
{
	if (!st || !who || !key_ok(key))
		return -EINVAL;
	int rc = store_savepoint(st);
	if (rc < 0)
		return rc;
	rc = identity_change(st, who, key, id);
	return store_savepoint_end(st, rc);
}

int store_identity_grant(struct store *st, const struct store_actor *who,
                         const struct store_identity_key *key, const struct store_identity *id)
{
	if (!id)
		return -EINVAL;
	return identity_change_tx(st, who, key, id);
}

int store_identity_revoke(struct store *st, const struct store_actor *who,
                          const struct store_identity_key *key)
{
	return identity_change_tx(st, who, key, NULL);
}

/* The pending row of key's instance and user, and whether key's tenant has
 * a row of its own for the user. */
static int pending_row(struct store *st, const struct store_identity_key *key, int64_t *row,
                       int64_t *person, bool *taken)
{
	static const char sql[] =
		"SELECT p.id, coalesce(p.person_id, 0), EXISTS (SELECT 1 FROM identities t"
		"  WHERE t.platform = ?1 AND t.tenant = ?2 AND t.user_id = ?3)"
		" FROM identities p WHERE p.platform = ?1 AND p.user_id = ?3 AND p.tenant IS NULL"
		" AND p.instance = ?4";
	sqlite3_stmt *s = store_prepare(st, sql);

	*row = *person = 0;
	*taken = false;
	if (!s)
		return -EIO;
	store_identity_bind_key(s, key);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*row = sqlite3_column_int64(s, 0);
		*person = sqlite3_column_int64(s, 1);
		*taken = sqlite3_column_int(s, 2) != 0;
	}
	store_stmt_done(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_fail(st, "pending identity", rc);
}

static int adopt(struct store *st, const struct store_identity_key *key, const char *chat_id)
{
	struct store_actor who = {.platform = key->platform, .user_id = key->user_id,
	                          .chat_id = chat_id, .command = "upgrade",
	                          .tenant = key->tenant};
	char *before = NULL;   /* owned here */
	int64_t row, person;
	bool taken;
	int rc = pending_row(st, key, &row, &person, &taken);

	if (rc < 0)
		return rc;
	if (!row)
		return -ENOENT;
	if (taken)
		return -EEXIST;
	sqlite3_stmt *s = store_prepare(st,
		"UPDATE identities SET tenant = ?2, updated_at = ?3 WHERE id = ?1");
	if (!s)
		return -EIO;
	rc = identity_json(st, row, &before);
	if (rc == 0) {
		sqlite3_bind_int64(s, 1, row);
		store_bind_text(s, 2, key->tenant);
		sqlite3_bind_int64(s, 3, clock_now());
		int step = sqlite3_step(s);
		rc = step == SQLITE_DONE ? 0 : store_fail(st, "identity adopt", step);
	}
	store_stmt_done(s);
	if (rc == 0)
		rc = identity_audit(st, &who, person, before, row);
	free(before);
	return rc;
}

int store_identity_adopt(struct store *st, const struct store_identity_key *key,
                         const char *chat_id)
{
	if (!key_ok(key) || !key->tenant || !key->instance)
		return -EINVAL;
	int rc = store_savepoint(st);
	if (rc < 0)
		return rc;
	rc = adopt(st, key, chat_id);
	return store_savepoint_end(st, rc);
}

int store_identity_settle(struct store *st, const char *platform, const char *instance,
                          const char *tenant, bool first, int *settled)
{
	/* OR IGNORE: a row that would collide with one already there (the same
	 * user granted again since) stays pending, for cqoctl roles to show. */
	static const char first_sql[] =
		"UPDATE OR IGNORE identities SET instance = ?2"
		" WHERE platform = ?1 AND tenant IS NULL AND instance IS NULL";
	static const char tenant_sql[] =
		"UPDATE OR IGNORE identities SET tenant = ?3, updated_at = ?4"
		" WHERE platform = ?1 AND tenant IS NULL AND instance = ?2";
	sqlite3_stmt *s;
	int rc = SQLITE_DONE;

	if (settled)
		*settled = 0;
	if (!platform || !instance)
		return -EINVAL;
	if (first) {
		if (!(s = store_prepare(st, first_sql)))
			return -EIO;
		store_bind_text(s, 1, platform);
		store_bind_text(s, 2, instance);
		rc = sqlite3_step(s);
		store_stmt_done(s);
	}
	if (rc == SQLITE_DONE && tenant) {
		if (!(s = store_prepare(st, tenant_sql)))
			return -EIO;
		store_bind_text(s, 1, platform);
		store_bind_text(s, 2, instance);
		store_bind_text(s, 3, tenant);
		sqlite3_bind_int64(s, 4, clock_now());
		rc = sqlite3_step(s);
		if (rc == SQLITE_DONE && settled)
			*settled = sqlite3_changes(st->db);
		store_stmt_done(s);
	}
	return rc == SQLITE_DONE ? 0 : store_fail(st, "identity settle", rc);
}

/* ?1 role ("" = all), ?2 scope prefix ("" = no filter). */
#define LIST_WHERE \
	" WHERE (?1 = '' OR i.role = ?1)" \
	" AND (?2 = '' OR substr(i.scope_region, 1, length(?2)) = ?2)"

static const char LIST_COUNT_SQL[] = "SELECT count(*) FROM identities i" LIST_WHERE;
static const char LIST_SQL[] =
	"SELECT i.platform, i.user_id, i.display_name, i.role, i.scope_region, i.alliance_id,"
	"  i.person_id, r.name, al.name, p.name,"
	"  (SELECT coalesce(max(a.id), 0) FROM appointments a WHERE a.person_id = i.person_id),"
	"  i.tenant, i.instance, i.enterprise_id, e.name, e.credit_code"
	" FROM identities i"
	" LEFT JOIN regions r ON r.code = i.scope_region"
	" LEFT JOIN enterprises e ON e.id = i.enterprise_id"
	" LEFT JOIN alliances al ON al.id = i.alliance_id"
	" LEFT JOIN people p ON p.id = i.person_id"
	LIST_WHERE
	" ORDER BY CASE i.role WHEN 'admin' THEN 0 WHEN 'clerk' THEN 1 WHEN 'organizer' THEN 2"
	"  WHEN 'cqo' THEN 3 ELSE 4 END, i.platform, i.user_id, i.tenant LIMIT ?3 OFFSET ?4";

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
	store_col_text(s, 11, r->id.tenant, sizeof r->id.tenant);
	store_col_text(s, 12, r->id.instance, sizeof r->id.instance);
	r->id.enterprise_id = sqlite3_column_int64(s, 13);
	store_col_text(s, 14, r->enterprise_name, sizeof r->enterprise_name);
	store_col_text(s, 15, r->enterprise_credit, sizeof r->enterprise_credit);
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
