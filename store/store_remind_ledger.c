/*
 * The reminder ledger and the last sweep's day; see store_remind.h. The
 * ledger is read and written for 32 or 8 items at a time by one statement
 * (and the rest, and the single milestones of sanction notices, one by
 * one), with bound values: a JSON array of them would be parsed again for
 * each value of each row. Nothing references reminder_ledger, so a
 * statement of many rows checks no child table.
 */
#include <errno.h>
#include <string.h>

#include "../lib/clock.h"
#include "store_internal.h"
#include "store_remind.h"

#define SWEEP_NAME "reminders"

#define ROWS_2(r) r ", " r
#define ROWS_8(r) ROWS_2(ROWS_2(ROWS_2(r)))
#define ROWS_32(r) ROWS_2(ROWS_2(ROWS_8(r)))
#define CHUNK_MAX 32

/* The positions, among a chunk's keys, of those already claimed. */
#define KEY_ROW "(?, ?, ?, ?)"
#define CLAIMED_WITH "WITH k (i, rule, record_id, milestone_date) AS (VALUES "
#define CLAIMED_SELECT \
	") SELECT k.i FROM k WHERE EXISTS (SELECT 1 FROM reminder_ledger l" \
	" WHERE l.rule = k.rule AND l.record_id = k.record_id" \
	" AND l.milestone_date = k.milestone_date)"
static const char *const CLAIMED_SQL[3] = {
	CLAIMED_WITH KEY_ROW CLAIMED_SELECT,
	CLAIMED_WITH ROWS_8(KEY_ROW) CLAIMED_SELECT,
	CLAIMED_WITH ROWS_32(KEY_ROW) CLAIMED_SELECT,
};

#define CLAIM_ROW "(?, ?, ?, nullif(?, 0), nullif(?, 0), ?)"
#define CLAIM_INTO \
	"INSERT INTO reminder_ledger (rule, record_id, milestone_date, person_id, outbox_id," \
	" created_at) VALUES "
#define CLAIM_CONFLICT " ON CONFLICT (rule, record_id, milestone_date) DO NOTHING"
static const char *const CLAIM_SQL[3] = {
	CLAIM_INTO CLAIM_ROW CLAIM_CONFLICT,
	CLAIM_INTO ROWS_8(CLAIM_ROW) CLAIM_CONFLICT,
	CLAIM_INTO ROWS_32(CLAIM_ROW) CLAIM_CONFLICT,
};

static const char LINK_SQL[] =
	"UPDATE reminder_ledger SET outbox_id = ?2 WHERE id = ?1 AND outbox_id IS NULL";
static const char LAST_SWEEP_SQL[] = "SELECT last_date FROM reminder_sweeps WHERE name = ?1";
static const char SET_SWEEP_SQL[] =
	"INSERT INTO reminder_sweeps (name, last_date, swept_at) VALUES (?1, ?2, ?3)"
	" ON CONFLICT (name) DO UPDATE SET last_date = excluded.last_date,"
	" swept_at = excluded.swept_at";

/* The statement of sql[3] for the next chunk of `left` items; *rows gets
 * how many it takes. */
static sqlite3_stmt *chunk(struct store *st, const char *const sql[3], size_t left,
                           size_t *rows)
{
	int which = left >= CHUNK_MAX ? 2 : left >= 8 ? 1 : 0;

	*rows = which == 2 ? CHUNK_MAX : which == 1 ? 8 : 1;
	return store_prepare(st, sql[which]);
}

/* A chunk's ledger keys: rule, record and milestone date of items[k] at
 * parameters first + 1.. (stride: parameters per row). The texts live in
 * rules and dates until the statement is done. */
static void bind_keys(sqlite3_stmt *s, const struct remind_item *items, size_t rows, int first,
                      int stride, char rules[][32], char dates[][11])
{
	for (size_t k = 0; k < rows; k++) {
		int p = first + (int)k * stride;

		remind_ledger_rule(&items[k], rules[k]);
		remind_day_str(items[k].milestone, dates[k]);
		store_bind_text(s, p + 1, rules[k]);
		sqlite3_bind_int64(s, p + 2, items[k].record_id);
		store_bind_text(s, p + 3, dates[k]);
	}
}

/* A chunk of CLAIM_SQL's rows: the keys, then the person, the outbox row
 * (outbox_ids NULL: none) and `now`. */
static void bind_claims(sqlite3_stmt *s, const struct remind_item *items, size_t rows,
                        const int64_t *outbox_ids, int64_t now, char rules[][32],
                        char dates[][11])
{
	bind_keys(s, items, rows, 0, 6, rules, dates);
	for (size_t k = 0; k < rows; k++) {
		int p = (int)k * 6;

		sqlite3_bind_int64(s, p + 4, items[k].person_id);
		sqlite3_bind_int64(s, p + 5, outbox_ids ? outbox_ids[k] : 0);
		sqlite3_bind_int64(s, p + 6, now);
	}
}

int store_remind_ledger_claim(struct store *st, struct remind_item *it, int64_t now,
                              bool *fresh)
{
	sqlite3_stmt *s = store_prepare(st, CLAIM_SQL[0]);
	char rule[1][32], date[1][11];

	*fresh = false;
	if (!s)
		return -EIO;
	bind_claims(s, it, 1, NULL, now, rule, date);
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
	return store_remind_ledger_claimed_many(st, it, 1, exists);
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

int store_remind_ledger_claimed_many(struct store *st, const struct remind_item *v, size_t n,
                                     bool *claimed)
{
	char rules[CHUNK_MAX][32], dates[CHUNK_MAX][11];
	int rc = SQLITE_DONE;

	if (n == 0)
		return 0;
	memset(claimed, 0, n * sizeof *claimed);
	for (size_t at = 0, rows; rc == SQLITE_DONE && at < n; at += rows) {
		sqlite3_stmt *s = chunk(st, CLAIMED_SQL, n - at, &rows);

		if (!s)
			return -EIO;
		for (size_t k = 0; k < rows; k++)
			sqlite3_bind_int64(s, (int)k * 4 + 1, (int64_t)k);
		bind_keys(s, &v[at], rows, 1, 4, rules, dates);
		while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
			int64_t k = sqlite3_column_int64(s, 0);
			if (k >= 0 && (size_t)k < rows)
				claimed[at + (size_t)k] = true;
		}
		store_stmt_done(s);
	}
	return rc == SQLITE_DONE ? 0 : store_fail(st, "ledger claimed", rc);
}

int store_remind_ledger_claim_many(struct store *st, const struct remind_item *v, size_t n,
                                   const int64_t *outbox_ids, int64_t now)
{
	char rules[CHUNK_MAX][32], dates[CHUNK_MAX][11];
	int rc = 0;

	for (size_t at = 0, rows; rc == 0 && at < n; at += rows) {
		sqlite3_stmt *s = chunk(st, CLAIM_SQL, n - at, &rows);

		if (!s)
			return -EIO;
		bind_claims(s, &v[at], rows, &outbox_ids[at], now, rules, dates);
		rc = store_step_done(st, s, "ledger claim", NULL);
	}
	return rc;
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
