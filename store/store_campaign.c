/* Annual campaigns; see store_campaign.h. */
#include "store_campaign.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "store_alliance_internal.h"
#include "store_audit.h"

static const char FIND_SQL[] =
	"SELECT id FROM alliance_campaigns WHERE alliance_id = ?1 AND kind = ?2";
static const char UPSERT_SQL[] =
	"INSERT INTO alliance_campaigns (alliance_id, kind, month_day, body, created_by,"
	" created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)"
	" ON CONFLICT (alliance_id, kind) DO UPDATE SET month_day = excluded.month_day,"
	" body = excluded.body, updated_at = excluded.updated_at";
static const char DELETE_SQL[] = "DELETE FROM alliance_campaigns WHERE id = ?1";
static const char JSON_SQL[] =
	"SELECT json_object('id', id, 'alliance_id', alliance_id, 'kind', kind,"
	" 'month_day', month_day, 'body', body) FROM alliance_campaigns WHERE id = ?";

#define COLUMNS \
	"SELECT c.id, c.alliance_id, al.name, c.kind, c.month_day, c.body," \
	" coalesce(c.sent_year, 0) FROM alliance_campaigns c JOIN alliances al" \
	" ON al.id = c.alliance_id"

static const char LIST_SQL[] = COLUMNS " WHERE c.alliance_id = ?1 ORDER BY c.month_day, c.id";

/* The day this year, between late_days before today and today. */
static const char DUE_SQL[] =
	COLUMNS " WHERE c.id > ?3"
	" AND date(substr(?1, 1, 5) || c.month_day) BETWEEN date(?1, '-' || ?2 || ' days') AND ?1"
	" AND coalesce(c.sent_year, 0) < CAST(substr(?1, 1, 4) AS INTEGER)"
	" ORDER BY c.id LIMIT 1";

static const char MARK_SQL[] = "UPDATE alliance_campaigns SET sent_year = ?2 WHERE id = ?1";

static int find(struct store *st, int64_t alliance_id, const char *kind, int64_t *id)
{
	sqlite3_stmt *s = store_prepare(st, FIND_SQL);

	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, alliance_id);
	store_bind_text(s, 2, kind);
	return store_step_count(st, s, "campaign find", id);
}

struct set_args {
	const struct store_actor *who;
	int64_t alliance_id;
	const char *kind, *month_day, *body;
	int64_t now;
};

static int set_txn(struct store *st, void *arg)
{
	struct set_args *a = arg;
	char *before = NULL, by[256];   /* before: owned here */
	sqlite3_stmt *s;
	int64_t id = 0;
	int rc = find(st, a->alliance_id, a->kind, &id);

	if (rc == 0 && id)
		rc = store_snapshot_json(st, JSON_SQL, id, &before);
	if (rc == 0 && !(s = store_prepare(st, UPSERT_SQL)))
		rc = -EIO;
	if (rc == 0) {
		store_actor_label(a->who, by, sizeof by);
		sqlite3_bind_int64(s, 1, a->alliance_id);
		store_bind_text(s, 2, a->kind);
		store_bind_text(s, 3, a->month_day);
		store_bind_text(s, 4, a->body);
		store_bind_text(s, 5, by);
		sqlite3_bind_int64(s, 6, a->now);
		rc = store_step_done(st, s, "campaign set", NULL);
	}
	if (rc == 0 && !id)
		rc = find(st, a->alliance_id, a->kind, &id);
	if (rc == 0)
		rc = store_audit_after(st, a->who, "campaign", JSON_SQL, id, 0, before);
	free(before);
	return rc;
}

int store_campaign_set(struct store *st, const struct store_actor *who, int64_t alliance_id,
                       const char *kind, const char *month_day, const char *body, int64_t now)
{
	struct set_args a = {who, alliance_id, kind, month_day, body, now};

	return store_savepoint_run(st, set_txn, &a);
}

struct delete_args {
	const struct store_actor *who;
	int64_t alliance_id;
	const char *kind;
};

static int delete_txn(struct store *st, void *arg)
{
	struct delete_args *a = arg;
	char *before = NULL;   /* owned here */
	sqlite3_stmt *s;
	int64_t id = 0;
	int rc = find(st, a->alliance_id, a->kind, &id);

	if (rc == 0 && !id)
		rc = -ENOENT;
	if (rc == 0)
		rc = store_snapshot_json(st, JSON_SQL, id, &before);
	if (rc == 0 && !(s = store_prepare(st, DELETE_SQL)))
		rc = -EIO;
	if (rc == 0) {
		sqlite3_bind_int64(s, 1, id);
		rc = store_step_done(st, s, "campaign delete", NULL);
	}
	if (rc == 0)
		rc = store_audit_add(st, a->who, "campaign", id, 0, before, NULL);
	free(before);
	return rc;
}

int store_campaign_delete(struct store *st, const struct store_actor *who, int64_t alliance_id,
                          const char *kind)
{
	struct delete_args a = {who, alliance_id, kind};

	return store_savepoint_run(st, delete_txn, &a);
}

static void read_row(sqlite3_stmt *s, struct store_campaign *out)
{
	memset(out, 0, sizeof *out);
	out->id = sqlite3_column_int64(s, 0);
	out->alliance_id = sqlite3_column_int64(s, 1);
	store_col_text(s, 2, out->alliance_name, sizeof out->alliance_name);
	store_col_text(s, 3, out->kind, sizeof out->kind);
	store_col_text(s, 4, out->month_day, sizeof out->month_day);
	store_col_text(s, 5, out->body, sizeof out->body);
	out->sent_year = sqlite3_column_int(s, 6);
}

int store_campaign_list(struct store *st, int64_t alliance_id, struct store_campaign *out,
                        size_t max, size_t *n)
{
	sqlite3_stmt *s = store_prepare(st, LIST_SQL);
	int rc;

	*n = 0;
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, alliance_id);
	rc = SQLITE_DONE;   /* max may be 0 */
	while (*n < max && (rc = sqlite3_step(s)) == SQLITE_ROW)
		read_row(s, &out[(*n)++]);
	store_stmt_done(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_fail(st, "campaign list", rc);
}

int store_campaign_next_due(struct store *st, const char *today, int late_days,
                            int64_t after_id, struct store_campaign *out)
{
	sqlite3_stmt *s = store_prepare(st, DUE_SQL);
	int rc;

	if (!s)
		return -EIO;
	store_bind_text(s, 1, today);
	sqlite3_bind_int(s, 2, late_days);
	sqlite3_bind_int64(s, 3, after_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		read_row(s, out);
	store_stmt_done(s);
	if (rc == SQLITE_ROW)
		return 0;
	return rc == SQLITE_DONE ? -ENOENT : store_fail(st, "campaign due", rc);
}

int store_campaign_mark_sent(struct store *st, int64_t id, int year)
{
	sqlite3_stmt *s = store_prepare(st, MARK_SQL);

	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int(s, 2, year);
	return store_step_done(st, s, "campaign sent", NULL);
}
