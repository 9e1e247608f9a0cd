/* Binding codes, CQO and enterprise-contact identities; see store_bind.h. */
#include "store_bind.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "store_audit.h"
#include "store_identity.h"
#include "store_internal.h"

static const char CODES_EXPIRE_SQL[] =
	"UPDATE bind_codes SET expires_at = ?2"
	" WHERE person_id = ?1 AND used_at IS NULL AND expires_at > ?2";
static const char CODE_INSERT_SQL[] =
	"INSERT INTO bind_codes (code_hash, person_id, appointment_id, expires_at, created_by,"
	" created_at) VALUES (?1, ?2, nullif(?3, 0), ?4, ?5, ?6)";
static const char ENTERPRISE_CODES_EXPIRE_SQL[] =
	"UPDATE bind_codes SET expires_at = ?2"
	" WHERE enterprise_id = ?1 AND used_at IS NULL AND expires_at > ?2";
static const char ENTERPRISE_CODE_INSERT_SQL[] =
	"INSERT INTO bind_codes (code_hash, enterprise_id, expires_at, created_by, created_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5)";
static const char CODE_USE_SQL[] =
	"UPDATE bind_codes SET used_at = ?2"
	" WHERE code_hash = ?1 AND used_at IS NULL AND expires_at > ?2"
	" RETURNING coalesce(person_id, 0), coalesce(appointment_id, 0),"
	"  coalesce(enterprise_id, 0)";
static const char IDENTITY_REMOVE_SQL[] =
	"DELETE FROM identities WHERE id = " STORE_IDENTITY_KEY_ROW
	" AND role IN ('cqo', 'contact')"
	" RETURNING coalesce(person_id, 0), coalesce(enterprise_id, 0)";
static const char PERSON_NAME_SQL[] = "SELECT name FROM people WHERE id = ?1";
static const char ENTERPRISE_NAME_SQL[] = "SELECT name FROM enterprises WHERE id = ?1";
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
	store_actor_label(who, by, sizeof by);
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

int store_bind_issue_enterprise(struct store *st, const struct store_actor *who,
                                int64_t enterprise_id, const char *code_hash,
                                int64_t expires_at, int64_t now)
{
	char by[192], after[128];
	sqlite3_stmt *s = store_prepare(st, ENTERPRISE_CODES_EXPIRE_SQL);
	int rc;

	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, enterprise_id);
	sqlite3_bind_int64(s, 2, now);
	rc = sqlite3_step(s);
	store_stmt_done(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, "enterprise bind codes expire", rc);
	int expired = sqlite3_changes(st->db);

	if (!(s = store_prepare(st, ENTERPRISE_CODE_INSERT_SQL)))
		return -EIO;
	store_actor_label(who, by, sizeof by);
	store_bind_text(s, 1, code_hash);
	sqlite3_bind_int64(s, 2, enterprise_id);
	sqlite3_bind_int64(s, 3, expires_at);
	store_bind_text(s, 4, by);
	sqlite3_bind_int64(s, 5, now);
	rc = sqlite3_step(s);
	store_stmt_done(s);
	if (rc != SQLITE_DONE)
		return (rc & 0xff) == SQLITE_CONSTRAINT ? store_errno(rc)
		                                        : store_fail(st, "enterprise bind code", rc);
	snprintf(after, sizeof after,
	         "{\"enterprise_id\":%lld,\"expires_at\":%lld,\"expired_unused\":%d}",
	         (long long)enterprise_id, (long long)expires_at, expired);
	return store_audit_add(st, who, "enterprise_bind_code", enterprise_id, 0, NULL, after);
}

static const char ENTERPRISE_GET_SQL[] =
	"SELECT id, name, credit_code, region_code FROM enterprises"
	" WHERE (?1 <> 0 AND id = ?1) OR (?1 = 0 AND credit_code = ?2)";

int store_bind_enterprise_get(struct store *st, int64_t id, const char *credit_code,
                              struct store_bind_enterprise *out)
{
	sqlite3_stmt *s = store_prepare(st, ENTERPRISE_GET_SQL);

	memset(out, 0, sizeof *out);
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, credit_code ? credit_code : "");
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		out->id = sqlite3_column_int64(s, 0);
		store_col_text(s, 1, out->name, sizeof out->name);
		store_col_text(s, 2, out->credit_code, sizeof out->credit_code);
		store_col_text(s, 3, out->region_code, sizeof out->region_code);
	}
	store_stmt_done(s);
	if (rc == SQLITE_ROW)
		return 0;
	return rc == SQLITE_DONE ? -ENOENT : store_fail(st, "bind enterprise", rc);
}

/* The identity of the actor on `instance`. */
static struct store_identity_key actor_key(const struct store_actor *who, const char *instance)
{
	return (struct store_identity_key){.platform = who->platform, .tenant = who->tenant,
	                                   .user_id = who->user_id, .instance = instance};
}

/* Audits an identity change of key from `before` to now. */
static int identity_audit(struct store *st, const struct store_actor *who,
                          const struct store_identity_key *key, int64_t person_id,
                          int64_t record_id, const char *before)
{
	char *after = NULL;   /* owned here */
	int rc = store_identity_json(st, key, &after);

	if (rc == 0)
		rc = store_audit_add(st, who, "identity", person_id, record_id, before, after);
	free(after);
	return rc;
}

/* The name `sql` reads for `id` into name[len]. */
static int name_of(struct store *st, const char *sql, int64_t id, char *name, size_t len)
{
	sqlite3_stmt *s = store_prepare(st, sql);

	name[0] = '\0';
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		store_col_text(s, 0, name, len);
	store_stmt_done(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_fail(st, "bound name", rc);
}

int store_bind_redeem(struct store *st, const struct store_actor *who, const char *instance,
                      const char *display_name, const char *code_hash, int64_t now,
                      struct store_bind_redeemed *out)
{
	struct store_identity_key key = actor_key(who, instance);
	struct store_identity id = {0};
	int64_t record_id = 0;
	char *before = NULL;   /* owned here */
	sqlite3_stmt *s = store_prepare(st, CODE_USE_SQL);
	int rc;

	memset(out, 0, sizeof *out);
	if (!s)
		return -EIO;
	store_bind_text(s, 1, code_hash);
	sqlite3_bind_int64(s, 2, now);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		out->person_id = sqlite3_column_int64(s, 0);
		record_id = sqlite3_column_int64(s, 1);
		out->enterprise_id = sqlite3_column_int64(s, 2);
		rc = sqlite3_step(s);
	}
	store_stmt_done(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, "bind code use", rc);
	if (out->person_id == 0 && out->enterprise_id == 0)
		return -ENOENT;

	rc = store_identity_json(st, &key, &before);
	if (rc == 0) {
		snprintf(id.role, sizeof id.role, "%s", out->person_id ? "cqo" : "contact");
		id.person_id = out->person_id;
		id.enterprise_id = out->enterprise_id;
		/* Reminders go back through the instance the code came in on. */
		snprintf(id.instance, sizeof id.instance, "%s", instance ? instance : "");
		rc = store_identity_set(st, &key, display_name, &id);
	}
	if (rc == 0)
		rc = identity_audit(st, who, &key,
		                    out->person_id ? out->person_id : out->enterprise_id, record_id,
		                    before);
	if (rc == 0)
		rc = out->person_id
		             ? name_of(st, PERSON_NAME_SQL, out->person_id, out->name, sizeof out->name)
		             : name_of(st, ENTERPRISE_NAME_SQL, out->enterprise_id, out->name,
		                       sizeof out->name);
	free(before);
	return rc;
}

int store_bind_remove(struct store *st, const struct store_actor *who, const char *instance)
{
	struct store_identity_key key = actor_key(who, instance);
	int64_t person_id = 0, enterprise_id = 0, record_id = 0;
	char *before = NULL;   /* owned here */
	int rc = store_identity_json(st, &key, &before);
	sqlite3_stmt *s = rc == 0 ? store_prepare(st, IDENTITY_REMOVE_SQL) : NULL;

	if (!s) {
		free(before);
		return rc < 0 ? rc : -EIO;
	}
	store_identity_bind_key(s, &key);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		person_id = sqlite3_column_int64(s, 0);
		enterprise_id = sqlite3_column_int64(s, 1);
		rc = sqlite3_step(s);
	}
	store_stmt_done(s);
	if (rc != SQLITE_DONE)
		rc = store_fail(st, "identity remove", rc);
	else if (person_id == 0 && enterprise_id == 0)
		rc = -ENOENT;
	else if (person_id == 0)
		rc = identity_audit(st, who, &key, enterprise_id, 0, before);
	else if ((s = store_prepare(st, LATEST_RECORD_SQL))) {
		sqlite3_bind_int64(s, 1, person_id);
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW)
			record_id = sqlite3_column_int64(s, 0);
		store_stmt_done(s);
		rc = rc == SQLITE_ROW ? identity_audit(st, who, &key, person_id, record_id, before)
		                      : store_fail(st, "latest record", rc);
	} else {
		rc = -EIO;
	}
	free(before);
	return rc;
}

static const char GATE_SQL[] =
	"SELECT coalesce((SELECT until FROM bind_locks WHERE platform = ?1 AND tenant = ?2"
	"  AND user_id = ?3 AND until > ?4), 0),"
	" coalesce((SELECT until FROM bind_pause WHERE id = 1 AND until > ?4), 0)";
static const char FAIL_PRUNE_SQL[] = "DELETE FROM bind_failures WHERE at <= ?1";
static const char FAIL_INSERT_SQL[] =
	"INSERT INTO bind_failures (platform, tenant, user_id, at) VALUES (?1, ?2, ?3, ?4)";
static const char FAIL_COUNT_SQL[] =
	"SELECT (SELECT count(*) FROM bind_failures WHERE platform = ?1 AND tenant = ?2"
	"  AND user_id = ?3 AND at > ?4),"
	" (SELECT count(*) FROM bind_failures WHERE at > ?5)";
static const char LOCK_SQL[] =
	"INSERT INTO bind_locks (platform, tenant, user_id, until) VALUES (?1, ?2, ?3, ?4)"
	" ON CONFLICT (platform, tenant, user_id) DO UPDATE SET until = excluded.until";
static const char PAUSE_SQL[] =
	"INSERT INTO bind_pause (id, until, since, failures) VALUES (1, ?1, ?2, ?3)"
	" ON CONFLICT (id) DO UPDATE SET until = excluded.until, since = excluded.since,"
	"  failures = excluded.failures";

/* Binds the actor's identity as ?1 platform, ?2 tenant ("" when the actor
 * has none), ?3 user. */
static void bind_actor(sqlite3_stmt *s, const struct store_actor *who)
{
	store_bind_text(s, 1, who->platform);
	store_bind_text(s, 2, who->tenant ? who->tenant : "");
	store_bind_text(s, 3, who->user_id);
}

int store_bind_gate(struct store *st, const struct store_actor *who, int64_t now,
                    int64_t *locked_until, int64_t *paused_until)
{
	sqlite3_stmt *s = store_prepare(st, GATE_SQL);

	*locked_until = *paused_until = 0;
	if (!s)
		return -EIO;
	bind_actor(s, who);
	sqlite3_bind_int64(s, 4, now);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*locked_until = sqlite3_column_int64(s, 0);
		*paused_until = sqlite3_column_int64(s, 1);
	}
	store_stmt_done(s);
	return rc == SQLITE_ROW ? 0 : store_fail(st, "bind gate", rc);
}

/* Runs a statement that takes the actor (and ?4 `at`) and returns no row. */
static int run_actor(struct store *st, const char *sql, const struct store_actor *who,
                     int64_t at, const char *what)
{
	sqlite3_stmt *s = store_prepare(st, sql);

	if (!s)
		return -EIO;
	bind_actor(s, who);
	sqlite3_bind_int64(s, 4, at);
	int rc = sqlite3_step(s);
	store_stmt_done(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, what, rc);
}

int store_bind_fail(struct store *st, const struct store_actor *who, int64_t now,
                    int64_t window_s, int64_t total_window_s, int *recent, int *total)
{
	sqlite3_stmt *s = store_prepare(st, FAIL_PRUNE_SQL);
	int rc;

	*recent = *total = 0;
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, now - total_window_s);
	rc = sqlite3_step(s);
	store_stmt_done(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, "bind failures prune", rc);
	if ((rc = run_actor(st, FAIL_INSERT_SQL, who, now, "bind failure")) < 0)
		return rc;
	if (!(s = store_prepare(st, FAIL_COUNT_SQL)))
		return -EIO;
	bind_actor(s, who);
	sqlite3_bind_int64(s, 4, now - window_s);
	sqlite3_bind_int64(s, 5, now - total_window_s);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*recent = sqlite3_column_int(s, 0);
		*total = sqlite3_column_int(s, 1);
	}
	store_stmt_done(s);
	return rc == SQLITE_ROW ? 0 : store_fail(st, "bind failures count", rc);
}

int store_bind_lock(struct store *st, const struct store_actor *who, int64_t until)
{
	return run_actor(st, LOCK_SQL, who, until, "bind lock");
}

int store_bind_pause(struct store *st, int64_t now, int64_t until, int failures)
{
	sqlite3_stmt *s = store_prepare(st, PAUSE_SQL);

	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, until);
	sqlite3_bind_int64(s, 2, now);
	sqlite3_bind_int(s, 3, failures);
	int rc = sqlite3_step(s);
	store_stmt_done(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, "bind pause", rc);
}
