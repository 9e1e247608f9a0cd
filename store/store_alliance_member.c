/* Alliance members; see store_alliance.h. */
#include "store_alliance.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "store_alliance_internal.h"
#include "store_audit.h"

static const char ADD_SQL[] =
	"INSERT INTO alliance_members (alliance_id, appointment_id, joined_at)"
	" SELECT al.id, a.id, ?3 FROM alliances al, appointments a WHERE al.id = ?1 AND a.id = ?2";
static const char REMOVE_SQL[] =
	"DELETE FROM alliance_members WHERE alliance_id = ?1 AND appointment_id = ?2";

/* The membership as the audit log shows it. */
static void member_json(int64_t alliance_id, int64_t appointment_id, char *buf, size_t len)
{
	snprintf(buf, len, "{\"alliance_id\":%" PRId64 ",\"appointment_id\":%" PRId64 "}",
	         alliance_id, appointment_id);
}

struct member_args {
	const struct store_actor *who;
	int64_t alliance_id, appointment_id, now;
	bool add;
};

static int member_txn(struct store *st, void *arg)
{
	struct member_args *m = arg;
	sqlite3_stmt *s = store_prepare(st, m->add ? ADD_SQL : REMOVE_SQL);
	char json[96];
	int changes = 0, rc;

	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, m->alliance_id);
	sqlite3_bind_int64(s, 2, m->appointment_id);
	if (m->add)
		sqlite3_bind_int64(s, 3, m->now);
	rc = store_step_done(st, s, "alliance member", &changes);
	if (rc == 0 && changes == 0)
		rc = -ENOENT;
	if (rc)
		return rc;
	member_json(m->alliance_id, m->appointment_id, json, sizeof json);
	return store_audit_add(st, m->who, "alliance_member", m->alliance_id, m->appointment_id,
	                       m->add ? NULL : json, m->add ? json : NULL);
}

int store_alliance_member_add(struct store *st, const struct store_actor *who,
                              int64_t alliance_id, int64_t appointment_id, int64_t now)
{
	struct member_args m = {who, alliance_id, appointment_id, now, true};

	return store_savepoint_run(st, member_txn, &m);
}

int store_alliance_member_remove(struct store *st, const struct store_actor *who,
                                 int64_t alliance_id, int64_t appointment_id)
{
	struct member_args m = {who, alliance_id, appointment_id, 0, false};

	return store_savepoint_run(st, member_txn, &m);
}

static const char MEMBERS_COUNT_SQL[] =
	"SELECT count(*) FROM " ALLIANCE_SQL_MEMBERS("?1");
/* The fragment ends in its WHERE, so names come through correlated
 * lookups rather than more JOINs. */
static const char MEMBERS_PAGE_SQL[] =
	"SELECT a.id, a.person_id,"
	" (SELECT p.name FROM people p WHERE p.id = a.person_id),"
	" (SELECT e.name FROM enterprises e WHERE e.id = a.enterprise_id),"
	" m.private_notices"
	" FROM " ALLIANCE_SQL_MEMBERS("?1") " ORDER BY a.id LIMIT ?2 OFFSET ?3";

int store_alliance_members(struct store *st, int64_t alliance_id, size_t offset,
                           struct store_alliance_member *out, size_t max, size_t *n,
                           size_t *total)
{
	sqlite3_stmt *s = store_prepare(st, MEMBERS_COUNT_SQL);
	int64_t count = 0;
	int rc;

	*n = *total = 0;
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, alliance_id);
	rc = store_step_count(st, s, "alliance members", &count);
	if (rc)
		return rc;
	*total = (size_t)count;
	if (!(s = store_prepare(st, MEMBERS_PAGE_SQL)))
		return -EIO;
	sqlite3_bind_int64(s, 1, alliance_id);
	sqlite3_bind_int64(s, 2, (int64_t)max);
	sqlite3_bind_int64(s, 3, (int64_t)offset);
	rc = SQLITE_DONE;   /* max may be 0 */
	while (*n < max && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_alliance_member *m = &out[(*n)++];

		memset(m, 0, sizeof *m);
		m->appointment_id = sqlite3_column_int64(s, 0);
		m->person_id = sqlite3_column_int64(s, 1);
		store_col_text(s, 2, m->person_name, sizeof m->person_name);
		store_col_text(s, 3, m->enterprise_name, sizeof m->enterprise_name);
		m->private_notices = sqlite3_column_int(s, 4) != 0;
	}
	store_stmt_done(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_fail(st, "alliance members", rc);
}

static const char PERSON_MEMBER_SQL[] =
	"SELECT count(*) FROM " ALLIANCE_SQL_MEMBERS("?1") " AND a.person_id = ?2";

int store_alliance_person_member(struct store *st, int64_t alliance_id, int64_t person_id,
                                 bool *out)
{
	sqlite3_stmt *s = store_prepare(st, PERSON_MEMBER_SQL);
	int64_t n = 0;
	int rc;

	*out = false;
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, alliance_id);
	sqlite3_bind_int64(s, 2, person_id);
	rc = store_step_count(st, s, "alliance person member", &n);
	*out = n > 0;
	return rc;
}

static const char BARRED_SQL[] = "SELECT " ALLIANCE_SQL_BARRED("?1");

int store_alliance_person_barred(struct store *st, int64_t person_id, bool *out)
{
	sqlite3_stmt *s = store_prepare(st, BARRED_SQL);
	int64_t n = 0;
	int rc;

	*out = false;
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, person_id);
	rc = store_step_count(st, s, "person barred", &n);
	*out = n != 0;
	return rc;
}

/* Memberships of the person's records, in one alliance or all (?2 = 0). */
#define PERSON_ROWS \
	" (?2 = 0 OR alliance_id = ?2) AND appointment_id IN" \
	" (SELECT id FROM appointments WHERE person_id = ?1)"

static const char PRIVATE_COUNT_SQL[] = "SELECT count(*) FROM alliance_members WHERE" PERSON_ROWS;
static const char PRIVATE_UPDATE_SQL[] =
	"UPDATE alliance_members SET private_notices = ?3 WHERE private_notices <> ?3 AND"
	PERSON_ROWS;

struct private_args {
	const struct store_actor *who;
	int64_t person_id, alliance_id;
	bool on;
	int changed;
};

static int private_txn(struct store *st, void *arg)
{
	struct private_args *p = arg;
	sqlite3_stmt *s = store_prepare(st, PRIVATE_COUNT_SQL);
	char before[80], after[80];
	int64_t n = 0;
	int rc;

	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, p->person_id);
	sqlite3_bind_int64(s, 2, p->alliance_id);
	rc = store_step_count(st, s, "private notices", &n);
	if (rc == 0 && n == 0)
		rc = -ENOENT;
	if (rc == 0 && !(s = store_prepare(st, PRIVATE_UPDATE_SQL)))
		rc = -EIO;
	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, p->person_id);
	sqlite3_bind_int64(s, 2, p->alliance_id);
	sqlite3_bind_int(s, 3, p->on);
	rc = store_step_done(st, s, "private notices", &p->changed);
	if (rc || p->changed == 0)
		return rc;
	snprintf(before, sizeof before, "{\"alliance_id\":%" PRId64 ",\"private_notices\":%d}",
	         p->alliance_id, !p->on);
	snprintf(after, sizeof after, "{\"alliance_id\":%" PRId64 ",\"private_notices\":%d}",
	         p->alliance_id, p->on);
	return store_audit_add(st, p->who, "alliance_private", p->person_id, 0, before, after);
}

int store_alliance_private_set(struct store *st, const struct store_actor *who,
                               int64_t person_id, int64_t alliance_id, bool on, int *changed)
{
	struct private_args p = {who, person_id, alliance_id, on, 0};
	int rc = store_savepoint_run(st, private_txn, &p);

	*changed = rc == 0 ? p.changed : 0;
	return rc;
}
