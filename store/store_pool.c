/* The 人才库; see store_pool.h. */
#include "store_pool.h"

#include <errno.h>
#include <stdlib.h>

#include "store_audit.h"
#include "store_internal.h"

/* The latest appointment of person p (newest start, then newest record). */
#define LATEST(col) \
	"(SELECT " col " FROM appointments a JOIN enterprises e ON e.id = a.enterprise_id" \
	" WHERE a.person_id = p.id ORDER BY a.start_date DESC, a.id DESC LIMIT 1)"

/* Trained, not in office, neither removed nor blacklisted, not taken out. */
#define POOL_CTE \
	"WITH pool AS (SELECT p.id, p.name, p.phone, p.birth_date, p.education, p.title," \
	"  p.position, coalesce(tp.region_code, " LATEST("e.region_code") ") AS region," \
	"  coalesce(tp.enterprise, " LATEST("e.name") ") AS enterprise," \
	"  (SELECT max(a.id) FROM appointments a WHERE a.person_id = p.id) AS last_record," \
	"  t.date AS trained_on, t.certificate_no" \
	" FROM people p" \
	" JOIN trainings t ON t.id = (SELECT t2.id FROM trainings t2 WHERE t2.person_id = p.id" \
	"  AND t2.kind = '任职培训' ORDER BY t2.date, t2.id LIMIT 1)" \
	" LEFT JOIN talent_pool tp ON tp.person_id = p.id" \
	" WHERE tp.left_at IS NULL" \
	" AND NOT EXISTS (SELECT 1 FROM appointments a WHERE a.person_id = p.id" \
	"  AND a.status = 'active')" \
	" AND NOT EXISTS (SELECT 1 FROM appointments a JOIN sanctions s" \
	"  ON s.appointment_id = a.id WHERE a.person_id = p.id" \
	"  AND s.kind IN ('除名', '黑名单') AND s.status <> 'revoked'))"

/* ?1 scope, ?2 person id (0: any), ?3 name (NULL: any), ?4 limit, ?5 offset. */
static const char POOL_LIST_SQL[] =
	POOL_CTE
	" SELECT pool.id, pool.name, pool.phone, pool.birth_date, pool.education, pool.title,"
	" pool.position, pool.region, r.name, pool.enterprise, pool.trained_on,"
	" pool.certificate_no, pool.last_record, count(*) OVER ()"
	" FROM pool LEFT JOIN regions r ON r.code = pool.region"
	" WHERE pool.region IS NOT NULL AND substr(pool.region, 1, length(?1)) = ?1"
	" AND (?2 = 0 OR pool.id = ?2) AND (?3 IS NULL OR pool.name = ?3)"
	" ORDER BY pool.id LIMIT ?4 OFFSET ?5";

static const char OFFICE_SQL[] =
	"SELECT count(*) FROM appointments WHERE person_id = ? AND status = 'active'";
static const char BARRED_SQL[] =
	"SELECT count(*) FROM appointments a JOIN sanctions s ON s.appointment_id = a.id"
	" WHERE a.person_id = ? AND s.kind IN ('除名', '黑名单') AND s.status <> 'revoked'";

/* The 任职培训 of that day is recorded once. */
static const char TRAINING_ADD_SQL[] =
	"INSERT INTO trainings (appointment_id, person_id, kind, date, hours, certificate_no,"
	" institution, created_at)"
	" SELECT NULL, ?1, '任职培训', ?2, ?3, ?4, ?5, ?6 WHERE NOT EXISTS (SELECT 1 FROM"
	" trainings WHERE person_id = ?1 AND kind = '任职培训' AND date = ?2)";
static const char TRAINING_JSON_SQL[] =
	"SELECT json_object('id', id, 'person_id', person_id, 'kind', kind, 'date', date,"
	" 'hours', hours, 'certificate_no', certificate_no, 'institution', institution)"
	" FROM trainings WHERE id = ?";

static const char POOL_JSON_SQL[] =
	"SELECT json_object('person_id', person_id, 'region_code', region_code,"
	" 'enterprise', enterprise, 'left_at', left_at, 'left_reason', left_reason)"
	" FROM talent_pool WHERE person_id = ?";
static const char POOL_ENTER_SQL[] =
	"INSERT INTO talent_pool (person_id, region_code, enterprise, added_by, added_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (person_id) DO UPDATE SET"
	" region_code = excluded.region_code, enterprise = excluded.enterprise,"
	" added_by = excluded.added_by, added_at = excluded.added_at, left_at = NULL,"
	" left_reason = NULL";
/* A former CQO taken out gets a row in their records' region. */
static const char POOL_LEAVE_SQL[] =
	"INSERT INTO talent_pool (person_id, region_code, added_by, added_at, left_at,"
	" left_reason) VALUES (?1, ?2, ?3, ?4, ?4, ?5) ON CONFLICT (person_id) DO UPDATE SET"
	" left_at = excluded.left_at, left_reason = excluded.left_reason";

int store_pool_list(struct store *st, const char *scope, int64_t person_id, const char *name,
                    size_t offset, struct store_pool_person *out, size_t max, size_t *n,
                    size_t *total)
{
	sqlite3_stmt *s = store_prepare(st, POOL_LIST_SQL);
	int rc;

	*n = *total = 0;
	if (!s)
		return -EIO;
	store_bind_text(s, 1, scope ? scope : "");
	sqlite3_bind_int64(s, 2, person_id);
	store_bind_text(s, 3, name);
	/* One row at least, so the window's count comes back past the end. */
	sqlite3_bind_int64(s, 4, max ? (int64_t)max : 1);
	sqlite3_bind_int64(s, 5, (int64_t)offset);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*total = (size_t)sqlite3_column_int64(s, 13);
		if (*n >= max)
			continue;
		struct store_pool_person *p = &out[(*n)++];
		p->person_id = sqlite3_column_int64(s, 0);
		store_col_text(s, 1, p->name, sizeof p->name);
		store_col_text(s, 2, p->phone, sizeof p->phone);
		store_col_text(s, 3, p->birth_date, sizeof p->birth_date);
		store_col_text(s, 4, p->education, sizeof p->education);
		store_col_text(s, 5, p->title, sizeof p->title);
		store_col_text(s, 6, p->position, sizeof p->position);
		store_col_text(s, 7, p->region_code, sizeof p->region_code);
		store_col_text(s, 8, p->region_name, sizeof p->region_name);
		store_col_text(s, 9, p->enterprise, sizeof p->enterprise);
		store_col_text(s, 10, p->trained_on, sizeof p->trained_on);
		store_col_text(s, 11, p->certificate_no, sizeof p->certificate_no);
		p->last_record = sqlite3_column_int64(s, 12);
	}
	store_stmt_done(s);
	if (rc == SQLITE_DONE && *n == 0 && offset > 0)
		return store_pool_list(st, scope, person_id, name, 0, NULL, 0, n, total);
	return rc == SQLITE_DONE ? 0 : store_fail(st, "pool list", rc);
}

static int person_count(struct store *st, const char *sql, int64_t person_id, int64_t *out)
{
	sqlite3_stmt *s = store_prepare(st, sql);

	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, person_id);
	return store_step_count(st, s, "pool check", out);
}

/* Whether the person may enter: not in it yet, not in office, not barred. */
static int pool_admissible(struct store *st, int64_t person_id)
{
	struct store_pool_person have;
	int64_t office = 0, barred = 0;
	size_t n, total;
	int rc = store_pool_list(st, "", person_id, NULL, 0, &have, 1, &n, &total);

	if (rc == 0 && n > 0)
		return -EEXIST;
	if (rc == 0)
		rc = person_count(st, OFFICE_SQL, person_id, &office);
	if (rc == 0 && office > 0)
		return -EBUSY;
	if (rc == 0)
		rc = person_count(st, BARRED_SQL, person_id, &barred);
	if (rc == 0 && barred > 0)
		return -EPERM;
	return rc;
}

static int training_add(struct store *st, const struct store_actor *who,
                        const struct store_pool_entry *in, int64_t person_id)
{
	sqlite3_stmt *s = store_prepare(st, TRAINING_ADD_SQL);
	int changes = 0;

	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, person_id);
	store_bind_text(s, 2, in->trained_on);
	sqlite3_bind_double(s, 3, in->hours);
	store_bind_text_or_null(s, 4, in->certificate_no);
	store_bind_text_or_null(s, 5, in->institution);
	sqlite3_bind_int64(s, 6, in->now);
	int rc = store_step_done(st, s, "pool training", &changes);
	if (rc == 0 && changes > 0)
		rc = store_audit_after(st, who, "training", TRAINING_JSON_SQL,
		                       sqlite3_last_insert_rowid(st->db), 0, NULL);
	return rc;
}

static int pool_add(struct store *st, const struct store_actor *who,
                    const struct store_pool_entry *in, int64_t *person_id, bool *reused)
{
	char label[160], *person_before = NULL, *pool_before = NULL;   /* owned here */
	sqlite3_stmt *s;
	int rc = store_person_put(st, &in->person, in->scope, in->now, person_id, &person_before,
	                          reused);

	if (rc == 0)
		rc = pool_admissible(st, *person_id);
	if (rc == 0)
		rc = store_audit_after(st, who, "person", STORE_PERSON_SNAPSHOT_SQL, *person_id, 0,
		                       person_before);
	if (rc == 0)
		rc = training_add(st, who, in, *person_id);
	if (rc == 0)
		rc = store_snapshot_json(st, POOL_JSON_SQL, *person_id, &pool_before);
	if (rc == 0 && !(s = store_prepare(st, POOL_ENTER_SQL)))
		rc = -EIO;
	if (rc == 0) {
		store_actor_label(who, label, sizeof label);
		sqlite3_bind_int64(s, 1, *person_id);
		store_bind_text(s, 2, in->region_code);
		store_bind_text_or_null(s, 3, in->enterprise);
		store_bind_text(s, 4, label);
		sqlite3_bind_int64(s, 5, in->now);
		rc = store_step_done(st, s, "pool enter", NULL);
	}
	if (rc == 0)
		rc = store_audit_after(st, who, "talent_pool", POOL_JSON_SQL, *person_id, 0,
		                       pool_before);
	free(person_before);
	free(pool_before);
	return rc;
}

int store_pool_add(struct store *st, const struct store_actor *who,
                   const struct store_pool_entry *in, int64_t *person_id, bool *reused)
{
	int rc = store_savepoint(st);

	if (rc)
		return rc;
	return store_savepoint_end(st, pool_add(st, who, in, person_id, reused));
}

int store_pool_remove(struct store *st, const struct store_actor *who, int64_t person_id,
                      const char *scope, const char *reason, int64_t now)
{
	struct store_pool_person p;
	char label[160], *before = NULL;   /* owned here */
	size_t n, total;
	sqlite3_stmt *s;
	int rc = store_pool_list(st, scope, person_id, NULL, 0, &p, 1, &n, &total);

	if (rc == 0 && n == 0)
		return -ENOENT;
	if (rc == 0)
		rc = store_snapshot_json(st, POOL_JSON_SQL, person_id, &before);
	if (rc == 0 && !(s = store_prepare(st, POOL_LEAVE_SQL)))
		rc = -EIO;
	if (rc == 0) {
		store_actor_label(who, label, sizeof label);
		sqlite3_bind_int64(s, 1, person_id);
		store_bind_text(s, 2, p.region_code);
		store_bind_text(s, 3, label);
		sqlite3_bind_int64(s, 4, now);
		store_bind_text(s, 5, reason);
		rc = store_step_done(st, s, "pool leave", NULL);
	}
	if (rc == 0)
		rc = store_audit_after(st, who, "talent_pool", POOL_JSON_SQL, person_id,
		                       p.last_record, before);
	free(before);
	return rc;
}
