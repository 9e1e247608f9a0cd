/* Binding codes and CQO identities; see store_bind.h. */
#include "store_bind.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "store_audit.h"
#include "store_internal.h"

static const char CODES_EXPIRE_SQL[] =
	"UPDATE bind_codes SET expires_at = ?2"
	" WHERE person_id = ?1 AND used_at IS NULL AND expires_at > ?2";
static const char CODE_INSERT_SQL[] =
	"INSERT INTO bind_codes (code_hash, person_id, appointment_id, expires_at, created_by,"
	" created_at) VALUES (?1, ?2, nullif(?3, 0), ?4, ?5, ?6)";
static const char CODE_USE_SQL[] =
	"UPDATE bind_codes SET used_at = ?2"
	" WHERE code_hash = ?1 AND used_at IS NULL AND expires_at > ?2"
	" RETURNING person_id, coalesce(appointment_id, 0)";
static const char IDENTITY_SNAPSHOT_SQL[] =
	"SELECT json_object('platform', platform, 'user_id', user_id, 'role', role,"
	" 'scope_region', scope_region, 'alliance_id', alliance_id, 'person_id', person_id)"
	" FROM identities WHERE platform = ?1 AND user_id = ?2";
static const char IDENTITY_REMOVE_SQL[] =
	"DELETE FROM identities WHERE platform = ?1 AND user_id = ?2 AND role = 'cqo'"
	" RETURNING person_id";
static const char PERSON_NAME_SQL[] = "SELECT name FROM people WHERE id = ?1";
static const char LATEST_RECORD_SQL[] =
	"SELECT coalesce(max(id), 0) FROM appointments WHERE person_id = ?1";

int store_bind_issue(struct store *st, const struct store_actor *who, int64_t person_id,
                     int64_t appointment_id, const char *code_hash, int64_t expires_at,
                     int64_t now)
{
	char by[192], after[160];
	sqlite3_stmt *s = store_prepare(st, CODES_EXPIRE_SQL);
	int rc;

	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, person_id);
	sqlite3_bind_int64(s, 2, now);
	rc = sqlite3_step(s);
	store_stmt_done(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, "bind codes expire", rc);
	int expired = sqlite3_changes(st->db);

	if (!(s = store_prepare(st, CODE_INSERT_SQL)))
		return -EIO;
	snprintf(by, sizeof by, "%s:%s", who->platform ? who->platform : "",
	         who->user_id ? who->user_id : "");
	store_bind_text(s, 1, code_hash);
	sqlite3_bind_int64(s, 2, person_id);
	sqlite3_bind_int64(s, 3, appointment_id);
	sqlite3_bind_int64(s, 4, expires_at);
	store_bind_text(s, 5, by);
	sqlite3_bind_int64(s, 6, now);
	rc = sqlite3_step(s);
	store_stmt_done(s);
	if (rc != SQLITE_DONE)
		return (rc & 0xff) == SQLITE_CONSTRAINT ? store_errno(rc)
		                                        : store_fail(st, "bind code insert", rc);
	/* Never the code or its hash: the audit trail is read by people. */
	snprintf(after, sizeof after,
	         "{\"person_id\":%lld,\"appointment_id\":%lld,\"expires_at\":%lld,"
	         "\"expired_unused\":%d}",
	         (long long)person_id, (long long)appointment_id, (long long)expires_at, expired);
	return store_audit_add(st, who, "bind_code", person_id, appointment_id, NULL, after);
}

/* The identity row of (platform, user) as JSON in *out (NULL if none;
 * caller frees). */
static int identity_snapshot(struct store *st, const struct store_actor *who, char **out)
{
	sqlite3_stmt *s = store_prepare(st, IDENTITY_SNAPSHOT_SQL);

	*out = NULL;
	if (!s)
		return -EIO;
	store_bind_text(s, 1, who->platform);
	store_bind_text(s, 2, who->user_id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW && !(*out = strdup((const char *)sqlite3_column_text(s, 0))))
		rc = SQLITE_NOMEM;
	store_stmt_done(s);
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return 0;
	return rc == SQLITE_NOMEM ? -ENOMEM : store_fail(st, "identity snapshot", rc);
}

/* Audits an identity change of (platform, user) from `before` to now. */
static int identity_audit(struct store *st, const struct store_actor *who, int64_t person_id,
                          int64_t record_id, const char *before)
{
	char *after = NULL;   /* owned here */
	int rc = identity_snapshot(st, who, &after);

	if (rc == 0)
		rc = store_audit_add(st, who, "identity", person_id, record_id, before, after);
	free(after);
	return rc;
}

/* The person's name into name[64]. */
static int person_name(struct store *st, int64_t person_id, char name[64])
{
	sqlite3_stmt *s = store_prepare(st, PERSON_NAME_SQL);

	name[0] = '\0';
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, person_id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		store_col_text(s, 0, name, 64);
	store_stmt_done(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_fail(st, "person name", rc);
}

int store_bind_redeem(struct store *st, const struct store_actor *who, const char *display_name,
                      const char *code_hash, int64_t now, int64_t *person_id, char name[64])
{
	struct store_identity id = {0};
	int64_t record_id = 0;
	char *before = NULL;   /* owned here */
	sqlite3_stmt *s = store_prepare(st, CODE_USE_SQL);
	int rc;

	*person_id = 0;
	name[0] = '\0';
	if (!s)
		return -EIO;
	store_bind_text(s, 1, code_hash);
	sqlite3_bind_int64(s, 2, now);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*person_id = sqlite3_column_int64(s, 0);
		record_id = sqlite3_column_int64(s, 1);
		rc = sqlite3_step(s);
	}
	store_stmt_done(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, "bind code use", rc);
	if (*person_id == 0)
		return -ENOENT;

	rc = identity_snapshot(st, who, &before);
	if (rc == 0) {
		snprintf(id.role, sizeof id.role, "cqo");
		id.person_id = *person_id;
		rc = store_identity_set(st, who->platform, who->user_id, display_name, &id);
	}
	if (rc == 0)
		rc = identity_audit(st, who, *person_id, record_id, before);
	if (rc == 0)
		rc = person_name(st, *person_id, name);
	free(before);
	return rc;
}

int store_bind_remove(struct store *st, const struct store_actor *who)
{
	int64_t person_id = 0, record_id = 0;
	char *before = NULL;   /* owned here */
	int rc = identity_snapshot(st, who, &before);
	sqlite3_stmt *s = rc == 0 ? store_prepare(st, IDENTITY_REMOVE_SQL) : NULL;

	if (!s) {
		free(before);
		return rc < 0 ? rc : -EIO;
	}
	store_bind_text(s, 1, who->platform);
	store_bind_text(s, 2, who->user_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		person_id = sqlite3_column_int64(s, 0);
		rc = sqlite3_step(s);
	}
	store_stmt_done(s);
	if (rc != SQLITE_DONE)
		rc = store_fail(st, "identity remove", rc);
	else if (person_id == 0)
		rc = -ENOENT;
	else if ((s = store_prepare(st, LATEST_RECORD_SQL))) {
		sqlite3_bind_int64(s, 1, person_id);
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW)
			record_id = sqlite3_column_int64(s, 0);
		store_stmt_done(s);
		rc = rc == SQLITE_ROW ? identity_audit(st, who, person_id, record_id, before)
		                      : store_fail(st, "latest record", rc);
	} else {
		rc = -EIO;
	}
	free(before);
	return rc;
}
