/* Alliance events; see store_event.h. */
#include "store_event.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "store_alliance.h"
#include "store_alliance_internal.h"
#include "store_audit.h"

#define COLUMNS \
	"SELECT ev.id, ev.alliance_id, al.name, coalesce(al.region_code, ''), ev.kind, ev.title," \
	" ev.starts_at, coalesce(ev.ends_at, 0), coalesce(ev.place, ''), coalesce(ev.link, '')," \
	" coalesce(ev.capacity, 0), coalesce(ev.signup_deadline, 0)," \
	" coalesce(ev.description, ''), ev.is_open, ev.status," \
	" (SELECT count(*) FROM signups s WHERE s.event_id = ev.id AND s.status = 'confirmed')," \
	" (SELECT count(*) FROM signups s WHERE s.event_id = ev.id AND s.status = 'waitlist')" \
	" FROM events ev JOIN alliances al ON al.id = ev.alliance_id"

static const char GET_SQL[] = COLUMNS " WHERE ev.id = ?1";

static const char JSON_SQL[] =
	"SELECT json_object('id', id, 'alliance_id', alliance_id, 'kind', kind, 'title', title,"
	" 'starts_at', starts_at, 'ends_at', ends_at, 'place', place, 'link', link,"
	" 'capacity', capacity, 'signup_deadline', signup_deadline, 'description', description,"
	" 'is_open', is_open, 'status', status) FROM events WHERE id = ?";

static const char INSERT_SQL[] =
	"INSERT INTO events (alliance_id, kind, title, starts_at, ends_at, place, link, capacity,"
	" signup_deadline, description, is_open, status, created_by, created_at, updated_at)"
	" VALUES (?1, ?2, ?3, ?4, nullif(?5, 0), nullif(?6, ''), nullif(?7, ''), nullif(?8, 0),"
	" nullif(?9, 0), nullif(?10, ''), ?11, 'published', ?12, ?13, ?13)";

static const char UPDATE_SQL[] =
	"UPDATE events SET kind = ?2, title = ?3, starts_at = ?4, ends_at = nullif(?5, 0),"
	" place = nullif(?6, ''), link = nullif(?7, ''), capacity = nullif(?8, 0),"
	" signup_deadline = nullif(?9, 0), description = nullif(?10, ''), is_open = ?11,"
	" updated_at = ?13 WHERE id = ?1 AND status = 'published'";

static const char CANCEL_SQL[] =
	"UPDATE events SET status = 'cancelled', updated_at = ?2"
	" WHERE id = ?1 AND status = 'published'";

/* Upcoming published events; who may see which is decided in C. */
static const char UPCOMING_SQL[] =
	COLUMNS " WHERE ev.status = 'published' AND coalesce(ev.ends_at, ev.starts_at) >= ?1"
	" AND (?2 = 0 OR ev.alliance_id = ?2)"
	" AND (?3 = 0 OR ev.is_open = 1 OR EXISTS (SELECT 1 FROM "
	ALLIANCE_SQL_MEMBERS("ev.alliance_id") " AND a.person_id = ?3))"
	" ORDER BY ev.starts_at, ev.id";

static void read_event(sqlite3_stmt *s, struct store_event *out)
{
	memset(out, 0, sizeof *out);
	out->id = sqlite3_column_int64(s, 0);
	out->alliance_id = sqlite3_column_int64(s, 1);
	store_col_text(s, 2, out->alliance_name, sizeof out->alliance_name);
	store_col_text(s, 3, out->alliance_region, sizeof out->alliance_region);
	store_col_text(s, 4, out->kind, sizeof out->kind);
	store_col_text(s, 5, out->title, sizeof out->title);
	out->starts_at = sqlite3_column_int64(s, 6);
	out->ends_at = sqlite3_column_int64(s, 7);
	store_col_text(s, 8, out->place, sizeof out->place);
	store_col_text(s, 9, out->link, sizeof out->link);
	out->capacity = sqlite3_column_int64(s, 10);
	out->signup_deadline = sqlite3_column_int64(s, 11);
	store_col_text(s, 12, out->description, sizeof out->description);
	out->is_open = sqlite3_column_int(s, 13) != 0;
	store_col_text(s, 14, out->status, sizeof out->status);
	out->confirmed = (size_t)sqlite3_column_int64(s, 15);
	out->waitlist = (size_t)sqlite3_column_int64(s, 16);
}

int store_event_get(struct store *st, int64_t id, struct store_event *out)
{
	sqlite3_stmt *s = store_prepare(st, GET_SQL);
	int rc;

	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		read_event(s, out);
	store_stmt_done(s);
	if (rc == SQLITE_ROW)
		return 0;
	return rc == SQLITE_DONE ? -ENOENT : store_fail(st, "event get", rc);
}

/* Binds ?2..?11 and ?13 from ev, shared by insert and update. */
static void bind_fields(sqlite3_stmt *s, const struct store_event *ev, int64_t now)
{
	store_bind_text(s, 2, ev->kind);
	store_bind_text(s, 3, ev->title);
	sqlite3_bind_int64(s, 4, ev->starts_at);
	sqlite3_bind_int64(s, 5, ev->ends_at);
	store_bind_text(s, 6, ev->place);
	store_bind_text(s, 7, ev->link);
	sqlite3_bind_int64(s, 8, ev->capacity);
	sqlite3_bind_int64(s, 9, ev->signup_deadline);
	store_bind_text(s, 10, ev->description);
	sqlite3_bind_int(s, 11, ev->is_open);
	sqlite3_bind_int64(s, 13, now);
}

int store_event_insert(struct store *st, const struct store_actor *who,
                       const struct store_event *ev, int64_t now, int64_t *id)
{
	sqlite3_stmt *s = store_prepare(st, INSERT_SQL);
	char by[256];
	int rc;

	if (!s)
		return -EIO;
	store_actor_label(who, by, sizeof by);
	sqlite3_bind_int64(s, 1, ev->alliance_id);
	bind_fields(s, ev, now);
	store_bind_text(s, 12, by);
	rc = store_step_done(st, s, "event insert", NULL);
	if (rc)
		return rc;
	*id = sqlite3_last_insert_rowid(st->db);
	return store_audit_after(st, who, "event", JSON_SQL, *id, 0, NULL);
}

/* Runs an UPDATE of event `id` bound by the caller and audits it against
 * the snapshot taken before. */
static int change(struct store *st, const struct store_actor *who, sqlite3_stmt *s, int64_t id,
                  const char *what)
{
	char *before = NULL;   /* owned here */
	int changes = 0;
	int rc = store_snapshot_json(st, JSON_SQL, id, &before);

	if (rc == 0)
		rc = store_step_done(st, s, what, &changes);
	else
		store_stmt_done(s);
	if (rc == 0 && changes == 0)
		rc = -ENOENT;
	if (rc == 0)
		rc = store_audit_after(st, who, "event", JSON_SQL, id, 0, before);
	free(before);
	return rc;
}

int store_event_update(struct store *st, const struct store_actor *who,
                       const struct store_event *ev, int64_t now)
{
	sqlite3_stmt *s = store_prepare(st, UPDATE_SQL);

	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, ev->id);
	bind_fields(s, ev, now);
	return change(st, who, s, ev->id, "event update");
}

int store_event_cancel(struct store *st, const struct store_actor *who, int64_t id,
                       int64_t now)
{
	sqlite3_stmt *s = store_prepare(st, CANCEL_SQL);

	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, now);
	return change(st, who, s, id, "event cancel");
}

int store_event_list(struct store *st, const struct store_event_filter *f, int64_t now,
                     size_t offset, struct store_event *out, size_t max, size_t *n,
                     size_t *total)
{
	sqlite3_stmt *s = store_prepare(st, UPCOMING_SQL);
	int rc;

	*n = *total = 0;
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, now);
	sqlite3_bind_int64(s, 2, f->alliance_id);
	sqlite3_bind_int64(s, 3, f->person_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		char region[16];

		if (f->scope) {
			store_col_text(s, 3, region, sizeof region);
			if (!store_alliance_region_overlaps(region, f->scope))
				continue;
		}
		if (*total >= offset && *n < max)
			read_event(s, &out[(*n)++]);
		(*total)++;
	}
	store_stmt_done(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, "event list", rc);
}
