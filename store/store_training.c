/* Trainings; see store_training.h. */
#include "store_training.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/clock.h"
#include "../lib/remind.h"

#include "store_audit.h"
#include "store_internal.h"
#include "store_policy.h"

/* The person comes from the appointment, so a missing appointment inserts
 * nothing (and is reported as -ENOENT). */
static const char TRAINING_INSERT_SQL[] =
	"INSERT INTO trainings (appointment_id, person_id, kind, date, hours, certificate_no,"
	" institution, level, tier, created_at)"
	" SELECT id, person_id, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9 FROM appointments WHERE id = ?1";

static const char TRAINING_JSON_SQL[] =
	"SELECT json_object('id', id, 'appointment_id', appointment_id, 'person_id', person_id,"
	" 'kind', kind, 'date', date, 'hours', hours, 'certificate_no', certificate_no,"
	" 'institution', institution, 'level', level, 'tier', tier)"
	" FROM trainings WHERE id = ?";

static const char TRAINING_HOURS_SQL[] =
	"SELECT total(hours) FROM trainings WHERE person_id = ?1 AND date >= ?2 AND date < ?3"
	" AND (?4 IS NULL OR instr(',' || ?4 || ',', ',' || kind || ',') > 0)";

static const char TRAINING_FIRST_SQL[] =
	"SELECT min(date) FROM trainings WHERE person_id = ? AND kind = '任职培训'";

static int training_insert(struct store *st, const struct store_actor *who,
                           const struct store_training_new *t, int64_t *id)
{
	sqlite3_stmt *s = store_prepare(st, TRAINING_INSERT_SQL);
	char *after = NULL;   /* owned here */
	int rc;

	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, t->appointment_id);
	store_bind_text(s, 2, t->kind);
	store_bind_text(s, 3, t->date);
	sqlite3_bind_double(s, 4, t->hours);
	store_bind_text_or_null(s, 5, t->certificate_no);
	store_bind_text_or_null(s, 6, t->institution);
	store_bind_text_or_null(s, 7, t->level);
	store_bind_text_or_null(s, 8, t->tier);
	sqlite3_bind_int64(s, 9, t->created_at);
	rc = sqlite3_step(s);
	store_stmt_done(s);
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return store_errno(rc);
	if (rc != SQLITE_DONE)
		return store_fail(st, "training insert", rc);
	if (sqlite3_changes(st->db) == 0)
		return -ENOENT;
	*id = sqlite3_last_insert_rowid(st->db);
	rc = store_snapshot_json(st, TRAINING_JSON_SQL, *id, &after);
	if (rc == 0)
		rc = store_audit_add(st, who, "training", *id, t->appointment_id, NULL, after);
	free(after);
	return rc;
}

int store_training_add(struct store *st, const struct store_actor *who,
                       const struct store_training_new *t, int64_t *id)
{
	int rc = store_savepoint(st);

	if (rc)
		return rc;
	rc = training_insert(st, who, t, id);
	return store_savepoint_end(st, rc);
}

int store_training_hours(struct store *st, int64_t person_id, int year, const char *kinds,
                         double *out)
{
	char from[16], to[16];
	sqlite3_stmt *s = store_prepare(st, TRAINING_HOURS_SQL);

	*out = 0;
	if (!s)
		return -EIO;
	if (year < 1 || year > 9998)
		return -EINVAL;
	snprintf(from, sizeof from, "%04d-01-01", year);
	snprintf(to, sizeof to, "%04d-01-01", year + 1);
	sqlite3_bind_int64(s, 1, person_id);
	store_bind_text(s, 2, from);
	store_bind_text(s, 3, to);
	store_bind_text_or_null(s, 4, kinds);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_double(s, 0);
	store_stmt_done(s);
	return rc == SQLITE_ROW ? 0 : store_fail(st, "training hours", rc);
}

int store_training_year(struct store *st, int64_t person_id, const char *region_code,
                        const char *start_date, int year, struct store_hours *out)
{
	struct store_policy p;
	int64_t start = 0;
	int rc = store_policy_for_region(st, region_code, &p);

	memset(out, 0, sizeof *out);
	if (rc)
		return rc;
	snprintf(out->kinds, sizeof out->kinds, "%s", p.hours_kinds);
	/* A start date that does not parse cannot shorten the year. */
	bool prorate = p.hours_prorate && clock_parse_date(start_date, &start) == 0;
	out->required = remind_hours_required(p.annual_hours, prorate, start, year);
	return store_training_hours(st, person_id, year, out->kinds, &out->done);
}

int store_training_first_appointment(struct store *st, int64_t person_id, char date[11])
{
	sqlite3_stmt *s = store_prepare(st, TRAINING_FIRST_SQL);

	date[0] = '\0';
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, person_id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		store_col_text(s, 0, date, 11);
	store_stmt_done(s);
	if (rc != SQLITE_ROW)
		return store_fail(st, "training first", rc);
	return date[0] ? 0 : -ENOENT;
}
