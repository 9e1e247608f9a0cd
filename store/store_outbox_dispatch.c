/*
 * The dispatcher's side of the outbox: finding each destination's next
 * row, claiming it, settling it, and recovering after a crash. See
 * store_outbox.h.
 */
#include "store_outbox.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

/* A loose index scan: the recursive part seeks the next destination with
 * pending rows in outbox_pending, then each destination's first row is one
 * more seek. The cost grows with the number of destinations waiting, not
 * with the number of rows, so 1,000 queued messages for one group cost
 * what one does. INDEXED BY: without statistics the planner would rather
 * walk every pending row through the index of unsent rows. */
static const char HEADS_SQL[] =
	"WITH RECURSIVE d(dest) AS ("
	"  SELECT (SELECT min(destination) FROM outbox INDEXED BY outbox_pending"
	"          WHERE state = 'pending')"
	"  UNION ALL"
	"  SELECT (SELECT min(destination) FROM outbox INDEXED BY outbox_pending"
	"          WHERE state = 'pending' AND destination > d.dest)"
	"  FROM d WHERE d.dest IS NOT NULL"
	")"
	" SELECT o.id, o.destination, o.not_before FROM d JOIN outbox o"
	" ON o.id = (SELECT id FROM outbox INDEXED BY outbox_pending"
	"            WHERE state = 'pending' AND destination = d.dest"
	"            ORDER BY not_before, id LIMIT 1)"
	" WHERE d.dest IS NOT NULL"
	" ORDER BY o.not_before, o.id";

static const char CLAIM_SQL[] =
	"UPDATE outbox SET state = 'inflight', sent_at = ?2, updated_at = ?2"
	" WHERE id = ?1 AND state = 'pending'"
	" RETURNING destination, payload, attempts, created_at, request_id, kind = 'file',"
	"  media_id, media_at";

/* A batch's rows, read in send order up to the first file row. */
static const char DUE_SQL[] =
	"SELECT id, not_before, payload, attempts, created_at, request_id, kind = 'file'"
	" FROM outbox INDEXED BY outbox_pending"
	" WHERE state = 'pending' AND destination = ?1 AND not_before <= ?2"
	" ORDER BY not_before, id LIMIT ?3";

/* Claims exactly the rows DUE_SQL read (their ids as a JSON array), by
 * rowid. No RETURNING: SQLite keeps returned rows in a temporary table
 * filled by a program run per row, which cost a seventh of a claim on
 * top of reading them once more (issue 17). */
static const char CLAIM_BATCH_SQL[] =
	"UPDATE outbox SET state = 'inflight', sent_at = ?2, updated_at = ?2"
	" WHERE id IN (SELECT value FROM json_each(?1)) AND +state = 'pending'";

/* Each id is one seek by rowid: "+state" keeps the planner from walking
 * every inflight row (thousands while 64 destinations drain) through a
 * state index instead. */
static const char SENT_MANY_SQL[] =
	"UPDATE outbox SET state = 'sent', last_error = NULL, updated_at = ?2"
	" WHERE id IN (SELECT value FROM json_each(?1)) AND +state = 'inflight'";

static const char UNCLAIM_SQL[] =
	"UPDATE outbox SET state = 'pending', not_before = max(not_before, ?3), updated_at = ?2,"
	"  sent_at = CASE WHEN attempts > 0 THEN sent_at END"
	" WHERE id = ?1 AND state = 'inflight'";

static const char SENT_SQL[] =
	"UPDATE outbox SET state = 'sent', last_error = NULL, updated_at = ?2"
	" WHERE id = ?1 AND state = 'inflight'";

static const char RETRY_SQL[] =
	"UPDATE outbox SET state = 'pending', attempts = attempts + ?3, not_before = ?4,"
	" last_error = ?5, updated_at = ?2"
	" WHERE id = ?1 AND state = 'inflight'";

static const char DEAD_SQL[] =
	"UPDATE outbox SET state = 'dead', attempts = attempts + 1, last_error = ?3,"
	" updated_at = ?2"
	" WHERE id = ?1 AND state = 'inflight'";

static const char HOLD_SQL[] =
	"UPDATE outbox SET not_before = ?2"
	" WHERE state = 'pending' AND not_before < ?2"
	" AND destination = (SELECT destination FROM outbox WHERE id = ?1)";

static const char MEDIA_SQL[] =
	"UPDATE outbox SET media_id = ?2, media_at = ?3 WHERE id = ?1 AND kind = 'file'";

/* "state <> 'sent'": through outbox_unsent, the index of rows not sent. */
static const char RECOVER_SQL[] =
	"UPDATE outbox SET state = 'pending', updated_at = ?1"
	" WHERE state = 'inflight' AND state <> 'sent'";

static const char LAST_ATTEMPT_SQL[] =
	"SELECT max(sent_at) FROM outbox WHERE destination = ?1 AND sent_at IS NOT NULL"
	"  AND state <> 'inflight'";

int store_outbox_heads(struct store *st,
                       int (*fn)(void *arg, int64_t id, const char *destination,
                                 int64_t not_before),
                       void *arg)
{
	sqlite3_stmt *s = store_prepare(st, HEADS_SQL);
	int rc;

	if (!s)
		return -EIO;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *dest = (const char *)sqlite3_column_text(s, 1);

		if (dest && fn(arg, sqlite3_column_int64(s, 0), dest, sqlite3_column_int64(s, 2)))
			break;
	}
	store_stmt_done(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_fail(st, "outbox heads", rc);
}

/* Reads destination's due rows into rows[0..*n), in send order, up to
 * max and stopping before the first file row. */
static int read_due(struct store *st, const char *destination, int64_t now, size_t max,
                    struct store_outbox_batch_row *rows, size_t *n)
{
	sqlite3_stmt *s = store_prepare(st, DUE_SQL);
	char req[24];
	int rc;

	*n = 0;
	if (!s)
		return -EIO;
	store_bind_text(s, 1, destination);
	sqlite3_bind_int64(s, 2, now);
	sqlite3_bind_int64(s, 3, (sqlite3_int64)max);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && !sqlite3_column_int(s, 6)) {
		struct store_outbox_batch_row *r = &rows[*n];
		const char *payload = (const char *)sqlite3_column_text(s, 2);

		r->id = sqlite3_column_int64(s, 0);
		r->not_before = sqlite3_column_int64(s, 1);
		r->attempts = sqlite3_column_int(s, 3);
		r->created_at = sqlite3_column_int64(s, 4);
		store_col_text(s, 5, req, sizeof req);
		r->request_id = strtoull(req, NULL, 10);
		if (!(r->payload = strdup(payload ? payload : ""))) {
			rc = SQLITE_NOMEM;
			break;
		}
		(*n)++;
	}
	store_stmt_done(s);
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return 0;
	for (size_t i = 0; i < *n; i++)
		free(rows[i].payload);
	*n = 0;
	return rc == SQLITE_NOMEM ? -ENOMEM : store_fail(st, "outbox due", rc);
}

/* Runs sql with ?1 the JSON array of ids[0..n) and ?2 now: 0, or a
 * negative error (what names it in the log). */
static int run_ids(struct store *st, const char *sql, const int64_t *ids, size_t n, int64_t now,
                   const char *what)
{
	sqlite3_stmt *s = store_prepare(st, sql);
	int rc;

	if (!s)
		return -EIO;
	rc = store_bind_ids(s, 1, ids, n);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(s, 2, now);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(s);
	store_stmt_done(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, what, rc);
}

int store_outbox_claim_batch(struct store *st, const char *destination, int64_t now, size_t max,
                             struct store_outbox_batch_row *rows, size_t *n)
{
	int64_t *ids;
	size_t got;
	int rc = read_due(st, destination, now, max, rows, &got);

	*n = 0;
	if (rc < 0 || got == 0)
		return rc;
	rc = -ENOMEM;
	if ((ids = malloc(got * sizeof *ids))) {
		for (size_t i = 0; i < got; i++)
			ids[i] = rows[i].id;
		rc = run_ids(st, CLAIM_BATCH_SQL, ids, got, now, "outbox claim batch");
		/* Read and claimed in the caller's transaction: every row read is
		 * still pending. */
		if (rc == 0 && (size_t)sqlite3_changes(st->db) != got)
			rc = -EIO;
		free(ids);
	}
	if (rc < 0) {
		for (size_t i = 0; i < got; i++)
			free(rows[i].payload);
		return rc;
	}
	*n = got;
	return 0;
}

int store_outbox_settle_sent(struct store *st, const int64_t *ids, size_t n, int64_t now)
{
	return run_ids(st, SENT_MANY_SQL, ids, n, now, "outbox settle sent");
}

int store_outbox_unclaim(struct store *st, int64_t id, int64_t not_before, int64_t now)
{
	sqlite3_stmt *s = store_prepare(st, UNCLAIM_SQL);
	int rc;

	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, now);
	sqlite3_bind_int64(s, 3, not_before);
	rc = sqlite3_step(s);
	store_stmt_done(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, "outbox unclaim", rc);
	return sqlite3_changes(st->db) ? 0 : -ENOENT;
}

int store_outbox_claim(struct store *st, int64_t id, int64_t now, struct store_outbox_row *out)
{
	sqlite3_stmt *s = store_prepare(st, CLAIM_SQL);
	char req[24];
	int rc;

	memset(out, 0, sizeof *out);
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, now);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		const char *payload = (const char *)sqlite3_column_text(s, 1);

		out->id = id;
		store_col_text(s, 0, out->destination, sizeof out->destination);
		out->payload = strdup(payload ? payload : "");
		out->attempts = sqlite3_column_int(s, 2);
		out->created_at = sqlite3_column_int64(s, 3);
		store_col_text(s, 4, req, sizeof req);
		out->request_id = strtoull(req, NULL, 10);
		out->is_file = sqlite3_column_int(s, 5) != 0;
		store_col_text(s, 6, out->media_id, sizeof out->media_id);
		out->media_at = sqlite3_column_int64(s, 7);
		/* RETURNING: the update is only complete once stepped to the end. */
		rc = sqlite3_step(s);
	}
	store_stmt_done(s);
	if (rc != SQLITE_DONE) {
		free(out->payload);
		out->payload = NULL;
		return store_fail(st, "outbox claim", rc);
	}
	if (!out->id)
		return -ENOENT;
	if (!out->payload)
		return -ENOMEM;
	return 0;
}

/* Holds the destination's other pending rows until not_before. */
static int hold_destination(struct store *st, int64_t id, int64_t not_before)
{
	sqlite3_stmt *s = store_prepare(st, HOLD_SQL);
	int rc;

	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, not_before);
	rc = sqlite3_step(s);
	store_stmt_done(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, "outbox hold", rc);
}

int store_outbox_settle(struct store *st, int64_t id, enum store_outbox_fate fate,
                        int64_t not_before, const char *error, int64_t now)
{
	const char *sql = fate == OUTBOX_SENT ? SENT_SQL : fate == OUTBOX_DEAD ? DEAD_SQL : RETRY_SQL;
	sqlite3_stmt *s = store_prepare(st, sql);
	int rc;

	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, now);
	if (fate == OUTBOX_DEAD) {
		store_bind_text(s, 3, error);
	} else if (fate != OUTBOX_SENT) {
		sqlite3_bind_int(s, 3, fate == OUTBOX_RETRY);
		sqlite3_bind_int64(s, 4, not_before);
		store_bind_text(s, 5, error);
	}
	rc = sqlite3_step(s);
	store_stmt_done(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, "outbox settle", rc);
	if (sqlite3_changes(st->db) == 0)
		return -ENOENT;
	if (fate == OUTBOX_RETRY || fate == OUTBOX_WAIT)
		return hold_destination(st, id, not_before);
	return 0;
}

int store_outbox_recover(struct store *st, int64_t now, int *n)
{
	return store_run_int(st, RECOVER_SQL, "outbox recover", now, n);
}

int store_outbox_last_attempt(struct store *st, const char *destination, int64_t *at)
{
	sqlite3_stmt *s = store_prepare(st, LAST_ATTEMPT_SQL);
	int rc;

	*at = 0;
	if (!s)
		return -EIO;
	store_bind_text(s, 1, destination);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*at = sqlite3_column_int64(s, 0);
	store_stmt_done(s);
	return rc == SQLITE_ROW ? 0 : store_fail(st, "outbox last attempt", rc);
}

int store_outbox_data_version(struct store *st, int64_t *out)
{
	sqlite3_stmt *s = store_prepare(st, "PRAGMA data_version");
	int rc;

	if (!s)
		return -EIO;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(s, 0);
	store_stmt_done(s);
	return rc == SQLITE_ROW ? 0 : store_fail(st, "data_version", rc);
}

int store_outbox_set_media(struct store *st, int64_t id, const char *media_id, int64_t at)
{
	sqlite3_stmt *s = store_prepare(st, MEDIA_SQL);
	int rc;

	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, media_id && *media_id ? media_id : NULL);
	if (media_id && *media_id)
		sqlite3_bind_int64(s, 3, at);
	else
		sqlite3_bind_null(s, 3);
	rc = sqlite3_step(s);
	store_stmt_done(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, "outbox media", rc);
	return sqlite3_changes(st->db) ? 0 : -ENOENT;
}
