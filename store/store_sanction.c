/* Sanctions; see store_sanction.h. */
#include "store_sanction.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_audit.h"
#include "store_internal.h"

static const char SANCTION_INSERT_SQL[] =
	"INSERT INTO sanctions (appointment_id, kind, ground, reason, issued_on, scheduled_at,"
	" place, rectify_by, status, created_by, created_at)"
	" SELECT id, ?2, ?3, ?4, ?5, ?6, ?7, ?10, 'open', ?8, ?9 FROM appointments WHERE id = ?1";

static const char SANCTION_JSON_SQL[] =
	"SELECT json_object('id', id, 'appointment_id', appointment_id, 'kind', kind,"
	" 'ground', ground, 'reason', reason, 'issued_on', issued_on,"
	" 'scheduled_at', scheduled_at, 'place', place, 'rectify_by', rectify_by,"
	" 'status', status,"
	" 'revoked_by', revoked_by, 'revoked_at', revoked_at, 'revoke_note', revoke_note)"
	" FROM sanctions WHERE id = ?";

static const char APPOINTMENT_JSON_SQL[] =
	"SELECT json_object('id', id, 'enterprise_id', enterprise_id, 'person_id', person_id,"
	" 'start_date', start_date, 'term_end', term_end, 'status', status,"
	" 'ended_on', ended_on, 'end_reason', end_reason)"
	" FROM appointments WHERE id = ?";

static const char REMOVE_SQL[] =
	"UPDATE appointments SET status = 'removed', ended_on = ?2, end_reason = ?3 || '：' || ?4,"
	" updated_at = ?5 WHERE id = ?1 AND status = 'active'";

#define SANCTION_COLUMNS \
	"SELECT id, appointment_id, kind, coalesce(ground, ''), coalesce(reason, ''), issued_on," \
	" coalesce(scheduled_at, 0), coalesce(place, ''), status FROM sanctions"

static const char SANCTION_GET_SQL[] = SANCTION_COLUMNS " WHERE id = ?";

static const char SANCTION_OPEN_SQL[] =
	SANCTION_COLUMNS " WHERE appointment_id = ? AND status = 'open'"
	" ORDER BY issued_on DESC, id DESC";

static const char REVOKE_SQL[] =
	"UPDATE sanctions SET status = 'revoked', revoked_by = ?2, revoked_at = ?3,"
	" revoke_note = ?4 WHERE id = ?1 AND status <> 'revoked'";

/* Whether a revoked removal may put its record back in force: is it
 * removed, how many removals stay open, does the enterprise have another
 * active CQO. */
static const char RESTORE_CHECK_SQL[] =
	"SELECT a.status = 'removed',"
	" (SELECT count(*) FROM sanctions s WHERE s.appointment_id = a.id AND s.status = 'open'"
	"   AND s.kind IN ('除名', '黑名单')),"
	" (SELECT count(*) FROM appointments b WHERE b.enterprise_id = a.enterprise_id"
	"   AND b.status = 'active')"
	" FROM appointments a WHERE a.id = ?";

static const char RESTORE_SQL[] =
	"UPDATE appointments SET status = 'active', ended_on = NULL, end_reason = NULL,"
	" updated_at = ?2 WHERE id = ?1 AND status = 'removed'";

static bool is_removal(const char *kind)
{
	return strcmp(kind, "除名") == 0 || strcmp(kind, "黑名单") == 0;
}

/* Takes an active appointment out of the talent pool. */
static int remove_appointment(struct store *st, const struct store_actor *who,
                              const struct store_sanction_new *n, bool *removed)
{
	char *before = NULL;   /* owned here */
	sqlite3_stmt *s;
	int changes = 0;
	int rc = store_snapshot_json(st, APPOINTMENT_JSON_SQL, n->appointment_id, &before);

	if (rc == 0 && !(s = store_prepare(st, REMOVE_SQL)))
		rc = -EIO;
	if (rc == 0) {
		sqlite3_bind_int64(s, 1, n->appointment_id);
		store_bind_text(s, 2, n->issued_on);
		store_bind_text(s, 3, n->kind);
		store_bind_text(s, 4, n->ground);
		sqlite3_bind_int64(s, 5, n->now);
		rc = store_step_done(st, s, "sanction remove", &changes);
	}
	if (rc == 0 && changes > 0) {
		*removed = true;
		rc = store_audit_after(st, who, "appointment", APPOINTMENT_JSON_SQL,
		                       n->appointment_id, n->appointment_id, before);
	}
	free(before);
	return rc;
}

static int sanction_insert(struct store *st, const struct store_actor *who,
                           const struct store_sanction_new *n, int64_t *id, bool *removed)
{
	sqlite3_stmt *s = store_prepare(st, SANCTION_INSERT_SQL);
	char by[256];
	int changes = 0, rc;

	if (!s)
		return -EIO;
	store_actor_label(who, by, sizeof by);
	sqlite3_bind_int64(s, 1, n->appointment_id);
	store_bind_text(s, 2, n->kind);
	store_bind_text(s, 3, n->ground);
	store_bind_text_or_null(s, 4, n->reason);
	store_bind_text(s, 5, n->issued_on);
	if (n->scheduled_at)
		sqlite3_bind_int64(s, 6, n->scheduled_at);
	store_bind_text_or_null(s, 7, n->place);
	store_bind_text(s, 8, by);
	sqlite3_bind_int64(s, 9, n->now);
	store_bind_text_or_null(s, 10, n->rectify_by);
	rc = store_step_done(st, s, "sanction insert", &changes);
	if (rc == 0 && changes == 0)
		rc = -ENOENT;
	if (rc)
		return rc;
	*id = sqlite3_last_insert_rowid(st->db);
	rc = store_audit_after(st, who, "sanction", SANCTION_JSON_SQL, *id, n->appointment_id, NULL);
	if (rc == 0 && is_removal(n->kind))
		rc = remove_appointment(st, who, n, removed);
	if (rc == 0 && n->on_issued)
		rc = n->on_issued(st, *id, n->on_issued_arg);
	return rc;
}

int store_sanction_issue(struct store *st, const struct store_actor *who,
                         const struct store_sanction_new *s, int64_t *id, bool *removed)
{
	bool changed = false;
	int rc = store_savepoint(st);

	if (rc)
		return rc;
	rc = sanction_insert(st, who, s, id, &changed);
	rc = store_savepoint_end(st, rc);
	if (rc)
		changed = false;
	if (removed)
		*removed = changed;
	return rc;
}

static void read_sanction(sqlite3_stmt *s, struct store_sanction *out)
{
	out->id = sqlite3_column_int64(s, 0);
	out->appointment_id = sqlite3_column_int64(s, 1);
	store_col_text(s, 2, out->kind, sizeof out->kind);
	store_col_text(s, 3, out->ground, sizeof out->ground);
	store_col_text(s, 4, out->reason, sizeof out->reason);
	store_col_text(s, 5, out->issued_on, sizeof out->issued_on);
	out->scheduled_at = sqlite3_column_int64(s, 6);
	store_col_text(s, 7, out->place, sizeof out->place);
	store_col_text(s, 8, out->status, sizeof out->status);
}

int store_sanction_get(struct store *st, int64_t id, struct store_sanction *out)
{
	sqlite3_stmt *s = store_prepare(st, SANCTION_GET_SQL);

	memset(out, 0, sizeof *out);
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		read_sanction(s, out);
	store_stmt_done(s);
	if (rc == SQLITE_DONE)
		return -ENOENT;
	return rc == SQLITE_ROW ? 0 : store_fail(st, "sanction get", rc);
}

int store_sanction_list_open(struct store *st, int64_t appointment_id,
                             struct store_sanction *out, size_t max, size_t *n, size_t *total)
{
	sqlite3_stmt *s = store_prepare(st, SANCTION_OPEN_SQL);
	int rc;

	*n = *total = 0;
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, appointment_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n < max)
			read_sanction(s, &out[(*n)++]);
		(*total)++;
	}
	store_stmt_done(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, "sanction list", rc);
}

/* After revoking a removal: puts the record back in force when nothing
 * else keeps it out. */
static int maybe_restore(struct store *st, const struct store_actor *who, int64_t appointment_id,
                         int64_t now, enum store_revoke_effect *effect)
{
	sqlite3_stmt *s = store_prepare(st, RESTORE_CHECK_SQL);
	int removed = 0, other = 0, active = 0, changes = 0, rc;
	char *before = NULL;   /* owned here */

	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, appointment_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		removed = sqlite3_column_int(s, 0);
		other = sqlite3_column_int(s, 1);
		active = sqlite3_column_int(s, 2);
	}
	store_stmt_done(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(st, "sanction restore check", rc);
	if (!removed)
		return 0;
	if (other > 0 || active > 0) {
		*effect = other > 0 ? STORE_REVOKE_OTHER_REMOVAL : STORE_REVOKE_SUCCESSOR;
		return 0;
	}
	rc = store_snapshot_json(st, APPOINTMENT_JSON_SQL, appointment_id, &before);
	if (rc == 0 && !(s = store_prepare(st, RESTORE_SQL)))
		rc = -EIO;
	if (rc == 0) {
		sqlite3_bind_int64(s, 1, appointment_id);
		sqlite3_bind_int64(s, 2, now);
		rc = store_step_done(st, s, "sanction restore", &changes);
	}
	if (rc == 0 && changes > 0) {
		*effect = STORE_REVOKE_RESTORED;
		rc = store_audit_after(st, who, "appointment", APPOINTMENT_JSON_SQL, appointment_id,
		                       appointment_id, before);
	}
	free(before);
	return rc;
}

static int revoke_in_tx(struct store *st, const struct store_actor *who, int64_t id,
                        const char *note, int64_t now, struct store_sanction *old,
                        enum store_revoke_effect *effect)
{
	char *before = NULL;   /* owned here */
	char by[256];
	sqlite3_stmt *s;
	int rc = store_sanction_get(st, id, old);

	if (rc)
		return rc;
	if (strcmp(old->status, "revoked") == 0)
		return -EALREADY;
	rc = store_snapshot_json(st, SANCTION_JSON_SQL, id, &before);
	if (rc == 0 && !(s = store_prepare(st, REVOKE_SQL)))
		rc = -EIO;
	if (rc == 0) {
		store_actor_label(who, by, sizeof by);
		sqlite3_bind_int64(s, 1, id);
		store_bind_text(s, 2, by);
		sqlite3_bind_int64(s, 3, now);
		store_bind_text_or_null(s, 4, note);
		rc = store_step_done(st, s, "sanction revoke", NULL);
	}
	if (rc == 0)
		rc = store_audit_after(st, who, "sanction", SANCTION_JSON_SQL, id,
		                       old->appointment_id, before);
	free(before);
	if (rc == 0 && is_removal(old->kind))
		rc = maybe_restore(st, who, old->appointment_id, now, effect);
	return rc;
}

int store_sanction_revoke(struct store *st, const struct store_actor *who, int64_t id,
                          const char *note, int64_t now, struct store_sanction *out,
                          enum store_revoke_effect *effect)
{
	struct store_sanction old;
	enum store_revoke_effect eff = STORE_REVOKE_PLAIN;
	int rc = store_savepoint(st);

	if (rc)
		return rc;
	rc = revoke_in_tx(st, who, id, note, now, &old, &eff);
	rc = store_savepoint_end(st, rc);
	if (rc)
		eff = STORE_REVOKE_PLAIN;
	if (out)
		*out = old;
	if (effect)
		*effect = eff;
	return rc;
}
