/*
 * Counting and managing outbox rows: the operator's view (cqoctl outbox,
 * 队列, /metrics) and the dead-letter notices. See store_outbox.h.
 */
#include "store_outbox.h"

#include <errno.h>
#include <string.h>

#include "store_internal.h"

/* "state <> 'sent'": the rows of outbox_unsent, the index of the rows not
 * sent (the planner uses a partial index only for a query naming its
 * condition). */
static const char STATS_SQL[] =
	"SELECT (SELECT count(*) FROM outbox WHERE state = 'pending' AND state <> 'sent'),"
	"       (SELECT count(*) FROM outbox WHERE state = 'inflight' AND state <> 'sent'),"
	"       (SELECT count(*) FROM outbox WHERE state = 'dead' AND state <> 'sent'),"
	"       (SELECT min(not_before) FROM outbox WHERE state = 'pending' AND state <> 'sent'"
	"        AND not_before <= ?1)";

/* Key prefixes are matched as the range [prefix, prefix with its last byte
 * raised), which the unique index on idem_key serves. */
static const char DEAD_COUNTS_SQL[] =
	"SELECT count(*) FILTER (WHERE updated_at >= ?1), count(*) FROM outbox"
	" WHERE state = 'dead' AND state <> 'sent' AND NOT (ifnull(idem_key, '') >= ?2 AND ifnull(idem_key, '') < ?3)";

static const char LAST_KEYED_SQL[] =
	"SELECT max(created_at) FROM outbox WHERE idem_key >= ?1 AND idem_key < ?2";

static const char LIST_ANY_SQL[] =
	"SELECT id, state, destination, idem_key, attempts, not_before, created_at, sent_at,"
	" last_error FROM outbox ORDER BY id DESC LIMIT ?1";

/* Sent rows are most rows: the newest are found walking ids back. */
static const char LIST_SENT_SQL[] =
	"SELECT id, state, destination, idem_key, attempts, not_before, created_at, sent_at,"
	" last_error FROM outbox WHERE state = 'sent' ORDER BY id DESC LIMIT ?1";

static const char LIST_UNSENT_SQL[] =
	"SELECT id, state, destination, idem_key, attempts, not_before, created_at, sent_at,"
	" last_error FROM outbox WHERE state = ?2 AND state <> 'sent' ORDER BY id DESC LIMIT ?1";

static const char STATE_SQL[] = "SELECT state FROM outbox WHERE id = ?1";

static const char RETRY_SQL[] =
	"UPDATE outbox SET state = 'pending', not_before = ?2, updated_at = ?2"
	" WHERE id = ?1 AND state IN ('pending', 'dead')";

static const char RETRY_DEAD_SQL[] =
	"UPDATE outbox SET state = 'pending', not_before = ?1, updated_at = ?1"
	" WHERE state = 'dead' AND state <> 'sent'";

/* reminder_ledger.outbox_id points here: the ledger keeps its milestone
 * (the reminder was decided) without the message. */
static const char UNLINK_SQL[] = "UPDATE reminder_ledger SET outbox_id = NULL WHERE outbox_id = ?1";
static const char DROP_SQL[] = "DELETE FROM outbox WHERE id = ?1";

int store_outbox_stats(struct store *st, int64_t now, struct store_outbox_stats *out)
{
	sqlite3_stmt *s = store_prepare(st, STATS_SQL);
	int rc;

	memset(out, 0, sizeof *out);
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, now);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		out->pending = sqlite3_column_int64(s, 0);
		out->inflight = sqlite3_column_int64(s, 1);
		out->dead = sqlite3_column_int64(s, 2);
		out->oldest_due = sqlite3_column_int64(s, 3);
	}
	store_stmt_done(s);
	return rc == SQLITE_ROW ? 0 : store_fail(st, "outbox stats", rc);
}

/* The end of the key range starting with prefix: the prefix with its last
 * byte raised. 0, or -EINVAL for an empty or too long prefix. */
static int prefix_end(const char *prefix, char *end, size_t len)
{
	size_t n = strlen(prefix);

	if (n == 0 || n >= len || (unsigned char)prefix[n - 1] == 0xff)
		return -EINVAL;
	memcpy(end, prefix, n + 1);
	end[n - 1] = (char)((unsigned char)end[n - 1] + 1);
	return 0;
}

int store_outbox_dead_counts(struct store *st, int64_t since, const char *skip_prefix,
                             int64_t *recent, int64_t *total)
{
	char end[128];
	sqlite3_stmt *s;
	int rc;

	*recent = *total = 0;
	if (prefix_end(skip_prefix, end, sizeof end) < 0)
		return -EINVAL;
	s = store_prepare(st, DEAD_COUNTS_SQL);
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, since);
	store_bind_text(s, 2, skip_prefix);
	store_bind_text(s, 3, end);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*recent = sqlite3_column_int64(s, 0);
		*total = sqlite3_column_int64(s, 1);
	}
	store_stmt_done(s);
	return rc == SQLITE_ROW ? 0 : store_fail(st, "outbox dead counts", rc);
}

int store_outbox_last_keyed(struct store *st, const char *prefix, int64_t *at)
{
	char end[128];
	sqlite3_stmt *s;
	int rc;

	*at = 0;
	if (prefix_end(prefix, end, sizeof end) < 0)
		return -EINVAL;
	s = store_prepare(st, LAST_KEYED_SQL);
	if (!s)
		return -EIO;
	store_bind_text(s, 1, prefix);
	store_bind_text(s, 2, end);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*at = sqlite3_column_int64(s, 0);
	store_stmt_done(s);
	return rc == SQLITE_ROW ? 0 : store_fail(st, "outbox last keyed", rc);
}

int store_outbox_list(struct store *st, const char *state, int limit,
                      int (*fn)(void *arg, const struct store_outbox_entry *e), void *arg)
{
	sqlite3_stmt *s = store_prepare(st, !state ? LIST_ANY_SQL
	                                    : strcmp(state, "sent") == 0 ? LIST_SENT_SQL
	                                                                 : LIST_UNSENT_SQL);
	struct store_outbox_entry e;
	int rc;

	if (!s)
		return -EIO;
	sqlite3_bind_int(s, 1, limit);
	if (state && strcmp(state, "sent") != 0)
		store_bind_text(s, 2, state);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&e, 0, sizeof e);
		e.id = sqlite3_column_int64(s, 0);
		store_col_text(s, 1, e.state, sizeof e.state);
		store_col_text(s, 2, e.destination, sizeof e.destination);
		store_col_text(s, 3, e.idem_key, sizeof e.idem_key);
		e.attempts = sqlite3_column_int(s, 4);
		e.not_before = sqlite3_column_int64(s, 5);
		e.created_at = sqlite3_column_int64(s, 6);
		e.sent_at = sqlite3_column_int64(s, 7);
		store_col_text(s, 8, e.last_error, sizeof e.last_error);
		if (fn(arg, &e))
			break;
	}
	store_stmt_done(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_fail(st, "outbox list", rc);
}

/* The state of row id into buf; -ENOENT if there is none. */
static int row_state(struct store *st, int64_t id, char *buf, size_t len)
{
	sqlite3_stmt *s = store_prepare(st, STATE_SQL);
	int rc;

	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		store_col_text(s, 0, buf, len);
	store_stmt_done(s);
	if (rc == SQLITE_DONE)
		return -ENOENT;
	return rc == SQLITE_ROW ? 0 : store_fail(st, "outbox state", rc);
}

int store_outbox_retry(struct store *st, int64_t id, int64_t now)
{
	sqlite3_stmt *s = store_prepare(st, RETRY_SQL);
	char state[12];
	int changed = 0, rc;

	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, now);
	rc = store_step_done(st, s, "outbox retry", &changed);
	if (rc < 0 || changed)
		return rc;
	rc = row_state(st, id, state, sizeof state);
	if (rc < 0)
		return rc;
	return strcmp(state, "inflight") == 0 ? -EBUSY : -EALREADY;
}

int store_outbox_retry_dead(struct store *st, int64_t now, int *n)
{
	return store_run_int(st, RETRY_DEAD_SQL, "outbox retry dead", now, n);
}

int store_outbox_drop(struct store *st, int64_t id)
{
	int changed = 0;
	int rc = store_savepoint(st);

	if (rc)
		return rc;
	rc = store_run_int(st, UNLINK_SQL, "outbox unlink", id, NULL);
	if (rc == 0)
		rc = store_run_int(st, DROP_SQL, "outbox drop", id, &changed);
	if (rc == 0 && !changed)
		rc = -ENOENT;
	return store_savepoint_end(st, rc);
}
