/* Import of trainings and sanctions; see store_import.h. Both name their
 * CQO by name within an enterprise (credit code). A training is the same
 * one when the person, kind and date are; a sanction when the record, kind
 * and date are. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_audit.h"
#include "store_import_internal.h"

/* Keyed as in store_training.c and store_sanction.c. */
#define TRAINING_JSON \
	"json_object('id', id, 'appointment_id', appointment_id, 'person_id', person_id," \
	" 'kind', kind, 'date', date, 'hours', hours, 'certificate_no', certificate_no," \
	" 'institution', institution, 'level', level, 'tier', tier)"
#define SANCTION_JSON \
	"json_object('id', id, 'appointment_id', appointment_id, 'kind', kind," \
	" 'ground', ground, 'reason', reason, 'issued_on', issued_on," \
	" 'scheduled_at', scheduled_at, 'place', place, 'rectify_by', rectify_by," \
	" 'status', status, 'revoked_by', revoked_by, 'revoked_at', revoked_at," \
	" 'revoke_note', revoke_note)"
#define APPOINTMENT_JSON \
	"json_object('id', id, 'enterprise_id', enterprise_id, 'person_id', person_id," \
	" 'start_date', start_date, 'term_end', term_end, 'status', status," \
	" 'ended_on', ended_on, 'end_reason', end_reason)"
#define KEEP(col, n) col " IS NOT coalesce(?" #n ", " col ")"

static const char TRAINING_FIND_SQL[] =
	"SELECT id FROM trainings WHERE person_id = ?1 AND kind = ?2 AND date = ?3"
	" ORDER BY id LIMIT 1";
static const char TRAINING_INSERT_SQL[] =
	"INSERT INTO trainings (appointment_id, person_id, kind, date, hours, certificate_no,"
	" institution, level, tier, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
/* ?1 is the id here; NULL keeps a value. */
#define TRAINING_CHANGES \
	" WHERE id = ?1 AND (hours IS NOT ?5 OR " KEEP("certificate_no", 6) \
	" OR " KEEP("institution", 7) " OR " KEEP("level", 8) " OR " KEEP("tier", 9) ")"
static const char TRAINING_BEFORE_SQL[] =
	"SELECT " TRAINING_JSON " FROM trainings" TRAINING_CHANGES;
static const char TRAINING_UPDATE_SQL[] =
	"UPDATE trainings SET hours = ?5, certificate_no = coalesce(?6, certificate_no),"
	" institution = coalesce(?7, institution), level = coalesce(?8, level),"
	" tier = coalesce(?9, tier)" TRAINING_CHANGES;
static const char TRAINING_SNAPSHOT_SQL[] =
	"SELECT " TRAINING_JSON " FROM trainings WHERE id = ?1";

/* The id of the row with keys ?1..?3, for the upserts below: 1, or 0 when
 * there is none. */
static int upsert_find(struct store *st, const char *sql, const char *what, int64_t a,
                       const char *b, const char *c, int64_t *id)
{
	sqlite3_stmt *s = store_prepare(st, sql);
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, a);
	store_bind_text(s, 2, b);
	store_bind_text(s, 3, c);
	return store_step_row(st, s, what, 0, id, -1, NULL);
}

struct training_values {
	const struct store_import_training *in;
	int64_t person_id, now;
};

static void bind_training(sqlite3_stmt *s, const void *arg)
{
	const struct training_values *v = arg;
	const struct store_import_training *in = v->in;

	sqlite3_bind_int64(s, 2, v->person_id);
	store_bind_text(s, 3, in->kind);
	store_bind_text(s, 4, in->date);
	sqlite3_bind_double(s, 5, in->hours);
	store_bind_text_or_null(s, 6, in->certificate_no);
	store_bind_text_or_null(s, 7, in->institution);
	store_bind_text_or_null(s, 8, in->level);
	store_bind_text_or_null(s, 9, in->tier);
	sqlite3_bind_int64(s, 10, v->now);
}

/* Inserts the training (found = 0) or updates training *id. */
static int training_put(struct store *st, const struct training_values *v,
                        int64_t appointment_id, int found, int64_t *id, char **before,
                        char **after)
{
	if (found)
		return import_update(st, TRAINING_BEFORE_SQL, TRAINING_UPDATE_SQL,
		                     TRAINING_SNAPSHOT_SQL, *id, bind_training, v,
		                     "import training update", before, after);
	sqlite3_stmt *s = store_prepare(st, TRAINING_INSERT_SQL);
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, appointment_id);
	bind_training(s, v);
	return store_step_write(st, s, "import training insert", true, id, TRAINING_SNAPSHOT_SQL,
	                        after);
}

int store_import_training(struct store *st, const struct store_actor *who,
                          const struct store_import_training *in, int64_t now,
                          struct store_import_result *out)
{
	int64_t appointment_id, person_id, id = 0;
	char *before = NULL, *after = NULL;   /* owned here */

	memset(out, 0, sizeof *out);
	if (!in->person_name || !in->credit_code || !in->kind || !in->date)
		return -EINVAL;
	int rc = import_find_cqo(st, in->credit_code, in->person_name, &appointment_id, &person_id);
	struct training_values v = {in, person_id, now};
	if (rc == 0)
		rc = upsert_find(st, TRAINING_FIND_SQL, "import training find", person_id, in->kind,
		                 in->date, &id);
	if (rc >= 0)
		rc = training_put(st, &v, appointment_id, rc, &id, &before, &after);
	if (rc == 0 && after)
		rc = store_audit_add(st, who, "training", id, appointment_id, before, after);
	out->record = import_change_of(before, after);
	out->id = id;
	free(before);
	free(after);
	return rc;
}

static const char SANCTION_FIND_SQL[] =
	"SELECT id FROM sanctions WHERE appointment_id = ?1 AND kind = ?2 AND issued_on = ?3"
	" ORDER BY id LIMIT 1";
/* ?10 "platform:user", ?11 now: creator, and revoker of a revoked one. */
static const char SANCTION_INSERT_SQL[] =
	"INSERT INTO sanctions (appointment_id, kind, ground, reason, issued_on, scheduled_at,"
	" place, rectify_by, status, revoked_by, revoked_at, created_by, created_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, coalesce(?9, 'open'),"
	" CASE WHEN ?9 = 'revoked' THEN ?10 END, CASE WHEN ?9 = 'revoked' THEN ?11 END, ?10, ?11)";
#define SAN_STATUS "coalesce(?9, status)"
#define SAN_REVOKED_BY "CASE WHEN " SAN_STATUS " = 'revoked' THEN coalesce(revoked_by, ?10) END"
#define SAN_REVOKED_AT "CASE WHEN " SAN_STATUS " = 'revoked' THEN coalesce(revoked_at, ?11) END"
#define SANCTION_CHANGES \
	" WHERE id = ?1 AND (" KEEP("ground", 3) " OR " KEEP("reason", 4) \
	" OR " KEEP("scheduled_at", 6) " OR " KEEP("place", 7) " OR " KEEP("rectify_by", 8) \
	" OR status IS NOT " SAN_STATUS " OR revoked_by IS NOT " SAN_REVOKED_BY \
	" OR revoked_at IS NOT " SAN_REVOKED_AT ")"
static const char SANCTION_BEFORE_SQL[] =
	"SELECT " SANCTION_JSON " FROM sanctions" SANCTION_CHANGES;
static const char SANCTION_UPDATE_SQL[] =
	"UPDATE sanctions SET ground = coalesce(?3, ground), reason = coalesce(?4, reason),"
	" scheduled_at = coalesce(?6, scheduled_at), place = coalesce(?7, place),"
	" rectify_by = coalesce(?8, rectify_by), status = " SAN_STATUS ","
	" revoked_by = " SAN_REVOKED_BY ", revoked_at = " SAN_REVOKED_AT SANCTION_CHANGES;
static const char SANCTION_SNAPSHOT_SQL[] =
	"SELECT " SANCTION_JSON " FROM sanctions WHERE id = ?1";
/* As 除名 / 黑名单 in chat (store_sanction.c). */
static const char REMOVE_BEFORE_SQL[] =
	"SELECT " APPOINTMENT_JSON " FROM appointments WHERE id = ?1 AND status = 'active'";
static const char REMOVE_SQL[] =
	"UPDATE appointments SET status = 'removed', ended_on = ?2, end_reason = ?3 || '：' || ?4,"
	" updated_at = ?5 WHERE id = ?1 AND status = 'active'";
static const char APPOINTMENT_SNAPSHOT_SQL[] =
	"SELECT " APPOINTMENT_JSON " FROM appointments WHERE id = ?1";

struct sanction_values {
	const struct store_import_sanction *in;
	int64_t now;
	char by[192];
};

static void bind_sanction(sqlite3_stmt *s, const void *arg)
{
	const struct sanction_values *v = arg;
	const struct store_import_sanction *in = v->in;

	store_bind_text(s, 2, in->kind);
	store_bind_text_or_null(s, 3, in->ground);
	store_bind_text_or_null(s, 4, in->reason);
	store_bind_text(s, 5, in->issued_on);
	if (in->scheduled_at)
		sqlite3_bind_int64(s, 6, in->scheduled_at);
	store_bind_text_or_null(s, 7, in->place);
	store_bind_text_or_null(s, 8, in->rectify_by);
	store_bind_text_or_null(s, 9, in->status);
	store_bind_text(s, 10, v->by);
	sqlite3_bind_int64(s, 11, v->now);
}

/* Inserts the sanction (found = 0) or updates sanction *id. */
static int sanction_put(struct store *st, const struct sanction_values *v,
                        int64_t appointment_id, int found, int64_t *id, char **before,
                        char **after)
{
	if (found)
		return import_update(st, SANCTION_BEFORE_SQL, SANCTION_UPDATE_SQL,
		                     SANCTION_SNAPSHOT_SQL, *id, bind_sanction, v,
		                     "import sanction update", before, after);
	sqlite3_stmt *s = store_prepare(st, SANCTION_INSERT_SQL);
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, appointment_id);
	bind_sanction(s, v);
	return store_step_write(st, s, "import sanction insert", true, id, SANCTION_SNAPSHOT_SQL,
	                        after);
}

/* An open 除名 or 黑名单 takes its record out of force. */
static int sanction_removal(struct store *st, const struct store_actor *who,
                            const struct store_import_sanction *in, int64_t appointment_id,
                            int64_t now)
{
	char *before = NULL, *after = NULL;   /* owned here */
	sqlite3_stmt *s;
	int rc;

	if (strcmp(in->kind, "除名") != 0 && strcmp(in->kind, "黑名单") != 0)
		return 0;
	if (!(s = store_prepare(st, REMOVE_BEFORE_SQL)))
		return -EIO;
	sqlite3_bind_int64(s, 1, appointment_id);
	rc = store_step_row(st, s, "import removal find", -1, NULL, 0, &before);
	if (rc <= 0)
		return rc;
	if (!(s = store_prepare(st, REMOVE_SQL))) {
		free(before);
		return -EIO;
	}
	sqlite3_bind_int64(s, 1, appointment_id);
	store_bind_text(s, 2, in->issued_on);
	store_bind_text(s, 3, in->kind);
	store_bind_text(s, 4, in->ground ? in->ground : "");
	sqlite3_bind_int64(s, 5, now);
	rc = store_step_write(st, s, "import removal", false, &appointment_id,
	                      APPOINTMENT_SNAPSHOT_SQL, &after);
	if (rc == 0 && after)
		rc = store_audit_add(st, who, "appointment", appointment_id, appointment_id, before,
		                     after);
	/* import_digests_record_update, replayed. */
	if (rc == 0 && after && import_triggers_deferred(st))
		rc = import_digests_forget_record(st, appointment_id);
	free(before);
	free(after);
	return rc < 0 ? rc : 0;
}

int store_import_sanction(struct store *st, const struct store_actor *who,
                          const struct store_import_sanction *in, int64_t now,
                          struct store_import_result *out)
{
	int64_t appointment_id, person_id, id = 0;
	char *before = NULL, *after = NULL;   /* owned here */

	memset(out, 0, sizeof *out);
	if (!in->person_name || !in->credit_code || !in->kind || !in->issued_on)
		return -EINVAL;
	struct sanction_values v = {.in = in, .now = now};
	store_actor_label(who, v.by, sizeof v.by);
	int rc = import_find_cqo(st, in->credit_code, in->person_name, &appointment_id, &person_id);
	if (rc == 0)
		rc = upsert_find(st, SANCTION_FIND_SQL, "import sanction find", appointment_id,
		                 in->kind, in->issued_on, &id);
	bool created = rc == 0;
	if (rc >= 0)
		rc = sanction_put(st, &v, appointment_id, rc, &id, &before, &after);
	if (rc == 0 && after)
		rc = store_audit_add(st, who, "sanction", id, appointment_id, before, after);
	/* An open removal, new or reopened, takes its record out of force. */
	bool open = in->status ? strcmp(in->status, "open") == 0 : created;
	if (rc == 0 && after && open)
		rc = sanction_removal(st, who, in, appointment_id, now);
	out->record = import_change_of(before, after);
	out->id = id;
	free(before);
	free(after);
	return rc;
}
