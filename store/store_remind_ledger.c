/* The reminder ledger and the last sweep's day; see store_remind.h. */
#include <errno.h>
#include <string.h>

#include "../lib/clock.h"
#include "store_internal.h"
#include "store_remind.h"

#define SWEEP_NAME "reminders"

static const char CLAIM_SQL[] =
	"INSERT INTO reminder_ledger (rule, record_id, milestone_date, person_id, created_at)"
	" VALUES (?1, ?2, ?3, nullif(?4, 0), ?5)"
	" ON CONFLICT (rule, record_id, milestone_date) DO NOTHING";
static const char EXISTS_SQL[] =
	"SELECT 1 FROM reminder_ledger WHERE rule = ?1 AND record_id = ?2 AND milestone_date = ?3";
static const char LINK_SQL[] =
	"UPDATE reminder_ledger SET outbox_id = ?2 WHERE id = ?1 AND outbox_id IS NULL";
static const char LAST_SWEEP_SQL[] = "SELECT last_date FROM reminder_sweeps WHERE name = ?1";
static const char SET_SWEEP_SQL[] =
	"INSERT INTO reminder_sweeps (name, last_date, swept_at) VALUES (?1, ?2, ?3)"
	" ON CONFLICT (name) DO UPDATE SET last_date = excluded.last_date,"
	" swept_at = excluded.swept_at";

/* Binds the ledger key of `it`: ?1 rule, ?2 record, ?3 milestone date. */
static void bind_key(sqlite3_stmt *s, const struct remind_item *it)
{
	char rule[32], date[11];

	remind_ledger_rule(it, rule);
	remind_day_str(it->milestone, date);
	sqlite3_bind_text(s, 1, rule, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 2, it->record_id);
	sqlite3_bind_text(s, 3, date, -1, SQLITE_TRANSIENT);
}

int store_remind_ledger_claim(struct store *st, struct remind_item *it, int64_t now,
                              bool *fresh)
{
	sqlite3_stmt *s = store_prepare(st, CLAIM_SQL);

	*fresh = false;
	if (!s)
		return -EIO;
	bind_key(s, it);
	sqlite3_bind_int64(s, 4, it->person_id);
	sqlite3_bind_int64(s, 5, now);
	int rc = sqlite3_step(s);
	store_stmt_done(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, "ledger claim", rc);
	/* RETURNING would cost a temporary table per row; the row id of a
	 * row just inserted is at hand. */
	*fresh = sqlite3_changes(st->db) > 0;
	if (*fresh)
		it->ledger_id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

int store_remind_ledger_exists(struct store *st, const struct remind_item *it, bool *exists)
{
	sqlite3_stmt *s = store_prepare(st, EXISTS_SQL);

	*exists = false;
	if (!s)
		return -EIO;
	bind_key(s, it);
	int rc = sqlite3_step(s);
	store_stmt_done(s);
	*exists = rc == SQLITE_ROW;
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_fail(st, "ledger exists", rc);
}

int store_remind_ledger_link(struct store *st, const struct remind_item *it, int64_t outbox_id)
{
	sqlite3_stmt *s = store_prepare(st, LINK_SQL);

	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, it->ledger_id);
	sqlite3_bind_int64(s, 2, outbox_id);
	int rc = sqlite3_step(s);
	store_stmt_done(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, "ledger link", rc);
}

int store_remind_last_sweep(struct store *st, int64_t *day)
{
	sqlite3_stmt *s = store_prepare(st, LAST_SWEEP_SQL);
	char date[11];
	int rc;

	*day = -1;
	if (!s)
		return -EIO;
	store_bind_text(s, 1, SWEEP_NAME);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		store_col_text(s, 0, date, sizeof date);
		if (clock_parse_date(date, day) < 0)
			*day = -1;
	}
	store_stmt_done(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_fail(st, "last sweep", rc);
}

int store_remind_set_last_sweep(struct store *st, int64_t day, int64_t now)
{
	sqlite3_stmt *s = store_prepare(st, SET_SWEEP_SQL);
	char date[11];

	if (!s)
		return -EIO;
	remind_day_str(day, date);
	store_bind_text(s, 1, SWEEP_NAME);
	store_bind_text(s, 2, date);
	sqlite3_bind_int64(s, 3, now);
	int rc = sqlite3_step(s);
	store_stmt_done(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, "set last sweep", rc);
}
