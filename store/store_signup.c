/* Sign-ups for alliance events; see store_signup.h. */
#include "store_signup.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "store_alliance_internal.h"
#include "store_audit.h"

static const char GET_SQL[] =
	"SELECT s.status, CASE s.status WHEN 'waitlist' THEN"
	" (SELECT count(*) FROM signups w WHERE w.event_id = s.event_id AND w.status = 'waitlist'"
	"  AND w.position <= s.position) ELSE 0 END"
	" FROM signups s WHERE s.event_id = ?1 AND s.person_id = ?2";

static const char CONFIRMED_SQL[] =
	"SELECT count(*) FROM signups WHERE event_id = ?1 AND status = 'confirmed'";

/* New or again after a cancellation: either way at the end of the line. */
static const char UPSERT_SQL[] =
	"INSERT INTO signups (event_id, person_id, status, created_at, position)"
	" VALUES (?1, ?2, ?3, ?4,"
	"  (SELECT coalesce(max(position), 0) + 1 FROM signups WHERE event_id = ?1))"
	" ON CONFLICT (event_id, person_id) DO UPDATE SET status = excluded.status,"
	"  created_at = excluded.created_at, position = excluded.position"
	"  WHERE signups.status = 'cancelled'";

static const char CANCEL_SQL[] =
	"UPDATE signups SET status = 'cancelled'"
	" WHERE event_id = ?1 AND person_id = ?2 AND status <> 'cancelled'";

static const char NEXT_WAITING_SQL[] =
	"SELECT person_id FROM signups WHERE event_id = ?1 AND status = 'waitlist'"
	" ORDER BY position LIMIT 1";

static const char CONFIRM_SQL[] =
	"UPDATE signups SET status = 'confirmed' WHERE event_id = ?1 AND person_id = ?2";

/* The audit rows' snapshot of one sign-up. */
static void signup_json(int64_t event_id, int64_t person_id, const char *status, char *buf,
                        size_t len)
{
	snprintf(buf, len, "{\"event_id\":%" PRId64 ",\"person_id\":%" PRId64 ",\"status\":\"%s\"}",
	         event_id, person_id, status);
}

static int audit(struct store *st, const struct store_actor *who, int64_t event_id,
                 int64_t person_id, const char *before, const char *after)
{
	char b[128], a[128];

	if (before)
		signup_json(event_id, person_id, before, b, sizeof b);
	signup_json(event_id, person_id, after, a, sizeof a);
	return store_audit_add(st, who, "signup", event_id, 0, before ? b : NULL, a);
}

int store_signup_get(struct store *st, int64_t event_id, int64_t person_id,
                     struct store_signup_state *out)
{
	sqlite3_stmt *s = store_prepare(st, GET_SQL);
	int rc;

	memset(out, 0, sizeof *out);
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, event_id);
	sqlite3_bind_int64(s, 2, person_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		store_col_text(s, 0, out->status, sizeof out->status);
		out->rank = (size_t)sqlite3_column_int64(s, 1);
	}
	store_stmt_done(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_fail(st, "signup get", rc);
}

static int confirmed_count(struct store *st, int64_t event_id, int64_t *n)
{
	sqlite3_stmt *s = store_prepare(st, CONFIRMED_SQL);

	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, event_id);
	return store_step_count(st, s, "signup count", n);
}

struct add_args {
	const struct store_actor *who;
	int64_t event_id, person_id, capacity, now;
	struct store_signup_state *out;
};

static int add_txn(struct store *st, void *arg)
{
	struct add_args *a = arg;
	struct store_signup_state prev;
	const char *status;
	sqlite3_stmt *s;
	int64_t held = 0;
	int changes = 0;
	int rc = store_signup_get(st, a->event_id, a->person_id, &prev);

	if (rc)
		return rc;
	if (prev.status[0] && strcmp(prev.status, "cancelled") != 0) {
		*a->out = prev;
		return -EEXIST;
	}
	rc = confirmed_count(st, a->event_id, &held);
	if (rc)
		return rc;
	status = a->capacity == 0 || held < a->capacity ? "confirmed" : "waitlist";
	if (!(s = store_prepare(st, UPSERT_SQL)))
		return -EIO;
	sqlite3_bind_int64(s, 1, a->event_id);
	sqlite3_bind_int64(s, 2, a->person_id);
	store_bind_text(s, 3, status);
	sqlite3_bind_int64(s, 4, a->now);
	rc = store_step_done(st, s, "signup add", &changes);
	if (rc == 0 && changes == 0)
		rc = -EEXIST;
	if (rc == 0)
		rc = audit(st, a->who, a->event_id, a->person_id,
		           prev.status[0] ? prev.status : NULL, status);
	if (rc == 0)
		rc = store_signup_get(st, a->event_id, a->person_id, a->out);
	return rc;
}

int store_signup_add(struct store *st, const struct store_actor *who, int64_t event_id,
                     int64_t person_id, int64_t capacity, int64_t now,
                     struct store_signup_state *out)
{
	struct add_args a = {who, event_id, person_id, capacity, now, out};

	memset(out, 0, sizeof *out);
	return store_savepoint_run(st, add_txn, &a);
}

int store_signup_cancel(struct store *st, const struct store_actor *who, int64_t event_id,
                        int64_t person_id, bool *was_confirmed)
{
	struct store_signup_state prev;
	sqlite3_stmt *s;
	int changes = 0;
	int rc = store_signup_get(st, event_id, person_id, &prev);

	*was_confirmed = false;
	if (rc)
		return rc;
	if (!prev.status[0] || strcmp(prev.status, "cancelled") == 0)
		return -ENOENT;
	if (!(s = store_prepare(st, CANCEL_SQL)))
		return -EIO;
	sqlite3_bind_int64(s, 1, event_id);
	sqlite3_bind_int64(s, 2, person_id);
	rc = store_step_done(st, s, "signup cancel", &changes);
	if (rc == 0 && changes == 0)
		rc = -ENOENT;
	if (rc == 0)
		rc = audit(st, who, event_id, person_id, prev.status, "cancelled");
	*was_confirmed = rc == 0 && strcmp(prev.status, "confirmed") == 0;
	return rc;
}

/* The next person waiting, 0 when nobody is. */
static int next_waiting(struct store *st, int64_t event_id, int64_t *person_id)
{
	sqlite3_stmt *s = store_prepare(st, NEXT_WAITING_SQL);

	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, event_id);
	return store_step_count(st, s, "signup next", person_id);
}

int store_signup_promote(struct store *st, const struct store_actor *who, int64_t event_id,
                         int64_t capacity, int64_t *promoted, size_t max, size_t *n)
{
	int64_t held = 0, person = 0;
	int rc = confirmed_count(st, event_id, &held);

	*n = 0;
	while (rc == 0 && *n < max && (capacity == 0 || held < capacity)) {
		sqlite3_stmt *s;

		rc = next_waiting(st, event_id, &person);
		if (rc || person == 0)
			break;
		if (!(s = store_prepare(st, CONFIRM_SQL)))
			return -EIO;
		sqlite3_bind_int64(s, 1, event_id);
		sqlite3_bind_int64(s, 2, person);
		rc = store_step_done(st, s, "signup promote", NULL);
		if (rc == 0)
			rc = audit(st, who, event_id, person, "waitlist", "confirmed");
		if (rc == 0) {
			promoted[(*n)++] = person;
			held++;
		}
	}
	return rc;
}

static const char COUNT_SQL[] =
	"SELECT count(*) FROM signups WHERE event_id = ?1 AND status <> 'cancelled'";

static const char LIST_SQL[] =
	"SELECT s.person_id, p.name,"
	" (SELECT e.name FROM appointments a JOIN enterprises e ON e.id = a.enterprise_id"
	"   WHERE a.person_id = s.person_id ORDER BY a.status = 'active' DESC, a.id DESC LIMIT 1),"
	" s.status = 'waitlist', " ALLIANCE_SQL_BARRED("s.person_id")
	" FROM signups s JOIN people p ON p.id = s.person_id"
	" WHERE s.event_id = ?1 AND s.status <> 'cancelled'"
	" ORDER BY s.status = 'waitlist', s.position LIMIT ?2 OFFSET ?3";

int store_signup_list(struct store *st, int64_t event_id, size_t offset,
                      struct store_signup_row *out, size_t max, size_t *n, size_t *total)
{
	sqlite3_stmt *s = store_prepare(st, COUNT_SQL);
	int64_t count = 0;
	int rc;

	*n = *total = 0;
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, event_id);
	rc = store_step_count(st, s, "signup count", &count);
	if (rc)
		return rc;
	*total = (size_t)count;
	if (!(s = store_prepare(st, LIST_SQL)))
		return -EIO;
	sqlite3_bind_int64(s, 1, event_id);
	sqlite3_bind_int64(s, 2, (int64_t)max);
	sqlite3_bind_int64(s, 3, (int64_t)offset);
	rc = SQLITE_DONE;   /* max may be 0 */
	while (*n < max && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_signup_row *r = &out[(*n)++];

		memset(r, 0, sizeof *r);
		r->person_id = sqlite3_column_int64(s, 0);
		store_col_text(s, 1, r->person_name, sizeof r->person_name);
		store_col_text(s, 2, r->enterprise_name, sizeof r->enterprise_name);
		r->waiting = sqlite3_column_int(s, 3) != 0;
		r->barred = sqlite3_column_int(s, 4) != 0;
	}
	store_stmt_done(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_fail(st, "signup list", rc);
}
