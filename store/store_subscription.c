/* An alliance's groups; see store_subscription.h. */
#include "store_subscription.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "store_alliance_internal.h"
#include "store_audit.h"

static const char ADD_SQL[] =
	"INSERT INTO subscriptions (alliance_id, platform, instance, chat_id, kind, label,"
	" created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, nullif(?6, ''), ?7, ?8)";
static const char REMOVE_SQL[] = "DELETE FROM subscriptions WHERE id = ?1";
static const char JSON_SQL[] =
	"SELECT json_object('id', id, 'alliance_id', alliance_id, 'platform', platform,"
	" 'instance', instance, 'chat_id', chat_id, 'kind', kind, 'label', label)"
	" FROM subscriptions WHERE id = ?";

#define COLUMNS "SELECT id, alliance_id, platform, instance, chat_id, kind, coalesce(label, '')" \
	" FROM subscriptions"

static const char FIND_SQL[] =
	COLUMNS " WHERE alliance_id = ?1 AND platform = ?2 AND instance = ?3 AND chat_id = ?4"
	" AND kind = ?5";
static const char COUNT_SQL[] = "SELECT count(*) FROM subscriptions WHERE alliance_id = ?1";
static const char LIST_SQL[] = COLUMNS " WHERE alliance_id = ?1 ORDER BY id LIMIT ?2 OFFSET ?3";

static const char *kind_text(const struct dest *d)
{
	return d->kind == DEST_ROBOT ? "robot" : "chat";
}

static void read_row(sqlite3_stmt *s, struct store_subscription *out)
{
	char kind[8];

	memset(out, 0, sizeof *out);
	out->id = sqlite3_column_int64(s, 0);
	out->alliance_id = sqlite3_column_int64(s, 1);
	store_col_text(s, 2, out->dest.platform, sizeof out->dest.platform);
	store_col_text(s, 3, out->dest.instance, sizeof out->dest.instance);
	store_col_text(s, 4, out->dest.target, sizeof out->dest.target);
	store_col_text(s, 5, kind, sizeof kind);
	out->dest.kind = strcmp(kind, "robot") == 0 ? DEST_ROBOT : DEST_CHAT;
	store_col_text(s, 6, out->label, sizeof out->label);
}

int store_subscription_find(struct store *st, int64_t alliance_id, const struct dest *d,
                            struct store_subscription *out)
{
	sqlite3_stmt *s = store_prepare(st, FIND_SQL);
	int rc;

	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, alliance_id);
	store_bind_text(s, 2, d->platform);
	store_bind_text(s, 3, d->instance);
	store_bind_text(s, 4, d->target);
	store_bind_text(s, 5, kind_text(d));
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		read_row(s, out);
	store_stmt_done(s);
	if (rc == SQLITE_ROW)
		return 0;
	return rc == SQLITE_DONE ? -ENOENT : store_fail(st, "subscription find", rc);
}

struct add_args {
	const struct store_actor *who;
	int64_t alliance_id;
	const struct dest *d;
	const char *label;
	int64_t now, id;
};

static int add_txn(struct store *st, void *arg)
{
	struct add_args *a = arg;
	sqlite3_stmt *s = store_prepare(st, ADD_SQL);
	char by[256];
	int rc;

	if (!s)
		return -EIO;
	store_actor_label(a->who, by, sizeof by);
	sqlite3_bind_int64(s, 1, a->alliance_id);
	store_bind_text(s, 2, a->d->platform);
	store_bind_text(s, 3, a->d->instance);
	store_bind_text(s, 4, a->d->target);
	store_bind_text(s, 5, kind_text(a->d));
	store_bind_text(s, 6, a->label ? a->label : "");
	store_bind_text(s, 7, by);
	sqlite3_bind_int64(s, 8, a->now);
	rc = store_step_done(st, s, "subscription add", NULL);
	if (rc)
		return rc;
	a->id = sqlite3_last_insert_rowid(st->db);
	return store_audit_after(st, a->who, "subscription", JSON_SQL, a->id, 0, NULL);
}

int store_subscription_add(struct store *st, const struct store_actor *who,
                           int64_t alliance_id, const struct dest *d, const char *label,
                           int64_t now, int64_t *id)
{
	struct add_args a = {who, alliance_id, d, label, now, 0};
	int rc = store_savepoint_run(st, add_txn, &a);

	if (rc == 0)
		*id = a.id;
	return rc;
}

struct remove_args {
	const struct store_actor *who;
	int64_t alliance_id;
	const struct dest *d;
};

static int remove_txn(struct store *st, void *arg)
{
	struct remove_args *a = arg;
	struct store_subscription sub;
	char *before = NULL;   /* owned here */
	sqlite3_stmt *s;
	int rc = store_subscription_find(st, a->alliance_id, a->d, &sub);

	if (rc == 0)
		rc = store_snapshot_json(st, JSON_SQL, sub.id, &before);
	if (rc == 0 && !(s = store_prepare(st, REMOVE_SQL)))
		rc = -EIO;
	if (rc == 0) {
		sqlite3_bind_int64(s, 1, sub.id);
		rc = store_step_done(st, s, "subscription remove", NULL);
	}
	if (rc == 0)
		rc = store_audit_add(st, a->who, "subscription", sub.id, 0, before, NULL);
	free(before);
	return rc;
}

int store_subscription_remove(struct store *st, const struct store_actor *who,
                              int64_t alliance_id, const struct dest *d)
{
	struct remove_args a = {who, alliance_id, d};

	return store_savepoint_run(st, remove_txn, &a);
}

int store_subscription_list(struct store *st, int64_t alliance_id, size_t offset,
                            struct store_subscription *out, size_t max, size_t *n,
                            size_t *total)
{
	sqlite3_stmt *s = store_prepare(st, COUNT_SQL);
	int64_t count = 0;
	int rc;

	*n = *total = 0;
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, alliance_id);
	rc = store_step_count(st, s, "subscription count", &count);
	if (rc)
		return rc;
	*total = (size_t)count;
	if (!(s = store_prepare(st, LIST_SQL)))
		return -EIO;
	sqlite3_bind_int64(s, 1, alliance_id);
	sqlite3_bind_int64(s, 2, (int64_t)max);
	sqlite3_bind_int64(s, 3, (int64_t)offset);
	rc = SQLITE_DONE;   /* max may be 0 */
	while (*n < max && (rc = sqlite3_step(s)) == SQLITE_ROW)
		read_row(s, &out[(*n)++]);
	store_stmt_done(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_fail(st, "subscription list", rc);
}
