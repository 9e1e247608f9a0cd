/* Acknowledging, listing and muting reminders; see store_remind_ack.h. */
#include "store_remind_ack.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "store_audit.h"
#include "store_internal.h"

/* The registry record (appointment) a ledger row l is about, where it has
 * one: sanction rules name the sanction, hours and events the person. */
#define LEDGER_RECORD \
	"CASE WHEN l.rule IN ('sanction', 'summons', 'rectify', 'digest_sanction')" \
	" THEN (SELECT s.appointment_id FROM sanctions s WHERE s.id = l.record_id)" \
	" WHEN l.rule IN ('term', 'term_overdue', 'training', 'digest_term', 'digest_overdue'," \
	"  'digest_training') THEN l.record_id END"

#define IN_SCOPE(record) \
	"EXISTS (SELECT 1 FROM appointments a JOIN enterprises e ON e.id = a.enterprise_id" \
	" WHERE a.id = (" record ") AND substr(e.region_code, 1, length(?1)) = ?1)"

/* Sanction notices are counted as sanctions (the sanctions table). */
static const char ACK_LEDGER_SQL[] =
	"UPDATE reminder_ledger SET acknowledged_at = ?2"
	" WHERE person_id = ?1 AND acknowledged_at IS NULL"
	" AND rule NOT LIKE 'digest%' AND rule NOT IN ('calendar', 'sanction')";
static const char ACK_NOTICES_SQL[] =
	"UPDATE reminder_ledger SET acknowledged_at = ?2"
	" WHERE person_id = ?1 AND acknowledged_at IS NULL AND rule = 'sanction'";
static const char ACK_SANCTIONS_SQL[] =
	"UPDATE sanctions SET acknowledged_at = ?2"
	" WHERE status = 'open' AND acknowledged_at IS NULL"
	" AND appointment_id IN (SELECT id FROM appointments WHERE person_id = ?1)";
static const char NEWEST_RECORD_SQL[] =
	"SELECT coalesce(max(id), 0) FROM appointments WHERE person_id = ?1";
/* The digest's lines, and the reminders it showed because they could not
 * be delivered (no outbox row). */
static const char ACK_SCOPE_SQL[] =
	"UPDATE reminder_ledger AS l SET acknowledged_at = ?2"
	" WHERE l.acknowledged_at IS NULL"
	" AND (l.rule LIKE 'digest%' OR (l.outbox_id IS NULL"
	"  AND l.rule IN ('term', 'term_overdue', 'training', 'summons', 'rectify')))"
	" AND " IN_SCOPE(LEDGER_RECORD);

#define UNACKED_SANCTIONS \
	"SELECT a.id, p.name, e.name, '', s.kind, s.id, s.issued_on" \
	" FROM sanctions s JOIN appointments a ON a.id = s.appointment_id" \
	" JOIN people p ON p.id = a.person_id JOIN enterprises e ON e.id = a.enterprise_id" \
	" WHERE s.status = 'open' AND s.acknowledged_at IS NULL" \
	" AND substr(e.region_code, 1, length(?1)) = ?1"
#define UNACKED_REMINDERS \
	"SELECT a.id, p.name, e.name, l.rule, '', 0, l.milestone_date" \
	" FROM reminder_ledger l JOIN appointments a ON a.id = (" LEDGER_RECORD ")" \
	" JOIN people p ON p.id = a.person_id JOIN enterprises e ON e.id = a.enterprise_id" \
	" WHERE l.acknowledged_at IS NULL AND l.milestone_date >= ?2 AND l.outbox_id IS NOT NULL" \
	" AND l.rule IN ('term', 'term_overdue', 'training', 'summons', 'rectify')" \
	" AND substr(e.region_code, 1, length(?1)) = ?1"

static const char UNACKED_COUNT_SQL[] =
	"SELECT (SELECT count(*) FROM (" UNACKED_SANCTIONS "))"
	" + (SELECT count(*) FROM (" UNACKED_REMINDERS "))";
static const char UNACKED_SQL[] =
	"SELECT * FROM (" UNACKED_SANCTIONS " UNION ALL " UNACKED_REMINDERS ")"
	" ORDER BY 7 DESC, 6 DESC, 1 LIMIT ?3 OFFSET ?4";

static const char MUTE_SQL[] =
	"INSERT INTO reminder_mutes (person_id, category, created_at) VALUES (?1, ?2, ?3)"
	" ON CONFLICT (person_id, category) DO NOTHING";
static const char UNMUTE_SQL[] =
	"DELETE FROM reminder_mutes WHERE person_id = ?1 AND category = ?2";

/* Runs a change bound with ?1 text-or-integer and ?2 now; *changes rows. */
static int change(struct store *st, const char *sql, const char *text, int64_t id, int64_t now,
                  int *changes, const char *what)
{
	sqlite3_stmt *s = store_prepare(st, sql);

	if (!s)
		return -EIO;
	if (text)
		store_bind_text(s, 1, text);
	else
		sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, now);
	int rc = sqlite3_step(s);
	store_stmt_done(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, what, rc);
	*changes = sqlite3_changes(st->db);
	return 0;
}

static int newest_record(struct store *st, int64_t person_id, int64_t *out)
{
	sqlite3_stmt *s = store_prepare(st, NEWEST_RECORD_SQL);

	*out = 0;
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, person_id);
	return store_step_count(st, s, "newest record", out);
}

/* Runs body() under a savepoint of the caller's transaction. */
static int in_tx(struct store *st, int (*body)(struct store *st, void *arg), void *arg)
{
	int rc = store_savepoint(st);

	if (rc < 0)
		return rc;
	rc = body(st, arg);
	return store_savepoint_end(st, rc);
}

struct ack_person {
	const struct store_actor *who;
	int64_t person_id, now;
	int reminders, sanctions;
};

static int ack_person_body(struct store *st, void *arg)
{
	struct ack_person *a = arg;
	char after[96];
	int64_t record;
	int notices;
	int rc = change(st, ACK_LEDGER_SQL, NULL, a->person_id, a->now, &a->reminders,
	                "reminder ack");

	if (rc == 0)
		rc = change(st, ACK_NOTICES_SQL, NULL, a->person_id, a->now, &notices, "notice ack");

	if (rc == 0)
		rc = change(st, ACK_SANCTIONS_SQL, NULL, a->person_id, a->now, &a->sanctions,
		            "sanction ack");
	if (rc < 0 || a->reminders + a->sanctions == 0)
		return rc;
	if ((rc = newest_record(st, a->person_id, &record)) < 0)
		return rc;
	snprintf(after, sizeof after, "{\"reminders\":%d,\"sanctions\":%d}", a->reminders,
	         a->sanctions);
	return store_audit_add(st, a->who, "reminder_ack", a->person_id, record, NULL, after);
}

int store_remind_ack_person(struct store *st, const struct store_actor *who, int64_t person_id,
                            int64_t now, int *reminders, int *sanctions)
{
	struct ack_person a = {.who = who, .person_id = person_id, .now = now};
	int rc = in_tx(st, ack_person_body, &a);

	*reminders = rc == 0 ? a.reminders : 0;
	*sanctions = rc == 0 ? a.sanctions : 0;
	return rc;
}

struct ack_scope {
	const struct store_actor *who;
	const char *scope;
	int64_t now;
	int n;
};

static int ack_scope_body(struct store *st, void *arg)
{
	struct ack_scope *a = arg;
	char after[48];
	int rc = change(st, ACK_SCOPE_SQL, a->scope, 0, a->now, &a->n, "digest ack");

	if (rc < 0 || a->n == 0)
		return rc;
	snprintf(after, sizeof after, "{\"reminders\":%d}", a->n);
	return store_audit_add(st, a->who, "reminder_ack", 0, 0, NULL, after);
}

int store_remind_ack_scope(struct store *st, const struct store_actor *who, const char *scope,
                           int64_t now, int *n)
{
	struct ack_scope a = {.who = who, .scope = scope ? scope : "", .now = now};
	int rc = in_tx(st, ack_scope_body, &a);

	*n = rc == 0 ? a.n : 0;
	return rc;
}

int store_remind_unacked(struct store *st, const char *scope, const char *since, size_t offset,
                         struct store_remind_unacked *out, size_t max, size_t *n, size_t *total)
{
	sqlite3_stmt *s = store_prepare(st, UNACKED_COUNT_SQL);
	int rc;

	*n = *total = 0;
	if (!s)
		return -EIO;
	store_bind_text(s, 1, scope);
	store_bind_text(s, 2, since);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*total = (size_t)sqlite3_column_int64(s, 0);
	store_stmt_done(s);
	if (rc != SQLITE_ROW)
		return store_fail(st, "unacked count", rc);
	if (max == 0 || offset >= *total)
		return 0;
	if (!(s = store_prepare(st, UNACKED_SQL)))
		return -EIO;
	store_bind_text(s, 1, scope);
	store_bind_text(s, 2, since);
	sqlite3_bind_int64(s, 3, (sqlite3_int64)max);
	sqlite3_bind_int64(s, 4, (sqlite3_int64)offset);
	while (*n < max && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_remind_unacked *u = &out[(*n)++];

		memset(u, 0, sizeof *u);
		u->appointment_id = sqlite3_column_int64(s, 0);
		store_col_text(s, 1, u->person_name, sizeof u->person_name);
		store_col_text(s, 2, u->enterprise_name, sizeof u->enterprise_name);
		store_col_text(s, 3, u->rule, sizeof u->rule);
		store_col_text(s, 4, u->kind, sizeof u->kind);
		u->sanction_id = sqlite3_column_int64(s, 5);
		store_col_text(s, 6, u->date, sizeof u->date);
	}
	store_stmt_done(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_fail(st, "unacked list", rc);
}

struct mute {
	const struct store_actor *who;
	int64_t person_id;
	const char *category;
	int64_t now;
	bool mute, changed;
};

static int mute_body(struct store *st, void *arg)
{
	struct mute *m = arg;
	sqlite3_stmt *s = store_prepare(st, m->mute ? MUTE_SQL : UNMUTE_SQL);
	char after[96];
	int64_t record;

	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, m->person_id);
	store_bind_text(s, 2, m->category);
	if (m->mute)
		sqlite3_bind_int64(s, 3, m->now);
	int rc = sqlite3_step(s);
	store_stmt_done(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, "reminder mute", rc);
	m->changed = sqlite3_changes(st->db) > 0;
	if (!m->changed)
		return 0;
	if ((rc = newest_record(st, m->person_id, &record)) < 0)
		return rc;
	snprintf(after, sizeof after, "{\"category\":\"%s\",\"muted\":%s}", m->category,
	         m->mute ? "true" : "false");
	return store_audit_add(st, m->who, "reminder_mute", m->person_id, record, NULL, after);
}

int store_remind_mute_set(struct store *st, const struct store_actor *who, int64_t person_id,
                          const char *category, bool mute, int64_t now, bool *changed)
{
	struct mute m = {.who = who, .person_id = person_id, .category = category, .now = now,
	                 .mute = mute};
	int rc = in_tx(st, mute_body, &m);

	*changed = rc == 0 && m.changed;
	return rc;
}
