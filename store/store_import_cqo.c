/* Import of 信息表 rows: enterprise, person and appointment; see
 * store_import.h. A row names its CQO by name within the enterprise: the
 * newest record of a person of that name there is updated, else a new
 * record is filed, reusing a person with the same name and phone (as 备案
 * does) or creating one. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_audit.h"
#include "store_import_internal.h"

static const char RECORD_FIND_SQL[] =
	"SELECT a.id, a.person_id, a.status FROM appointments a JOIN people p ON p.id = a.person_id"
	" WHERE a.enterprise_id = ?1 AND p.name = ?2 ORDER BY a.id DESC LIMIT 1";
static const char ACTIVE_OTHER_SQL[] =
	"SELECT a.id, p.name FROM appointments a JOIN people p ON p.id = a.person_id"
	" WHERE a.enterprise_id = ?1 AND a.status = 'active' AND a.id IS NOT ?2 LIMIT 1";

static const char PERSON_FIND_SQL[] =
	"SELECT id FROM people WHERE name = ?1 AND phone = ?2 ORDER BY id LIMIT 1";
static const char PERSON_INSERT_SQL[] =
	"INSERT INTO people (name, gender, birth_date, education, major, quality_years,"
	" position, title, phone, email, resume, created_at, updated_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)";
#define KEEP(col, n) col " IS NOT coalesce(?" #n ", " col ")"
/* ?1 is the id here; NULL keeps a value. */
#define PERSON_CHANGES \
	" WHERE id = ?1 AND (" KEEP("gender", 2) " OR " KEEP("birth_date", 3) \
	" OR " KEEP("education", 4) " OR " KEEP("major", 5) " OR " KEEP("quality_years", 6) \
	" OR " KEEP("position", 7) " OR " KEEP("title", 8) " OR " KEEP("phone", 9) \
	" OR " KEEP("email", 10) " OR " KEEP("resume", 11) ")"
static const char PERSON_BEFORE_SQL[] = "SELECT " PERSON_JSON("") " FROM people" PERSON_CHANGES;
static const char PERSON_UPDATE_SQL[] =
	"UPDATE people SET gender = coalesce(?2, gender), birth_date = coalesce(?3, birth_date),"
	" education = coalesce(?4, education), major = coalesce(?5, major),"
	" quality_years = coalesce(?6, quality_years), position = coalesce(?7, position),"
	" title = coalesce(?8, title), phone = coalesce(?9, phone), email = coalesce(?10, email),"
	" resume = coalesce(?11, resume), updated_at = ?12" PERSON_CHANGES;
static const char PERSON_SNAPSHOT_SQL[] = "SELECT " PERSON_JSON("") " FROM people WHERE id = ?1";

/* ?4 start, ?5 term end or NULL, ?6 the term as a modifier ("+36 months"),
 * ?7 status or NULL, ?8 ended_on or NULL, ?9 end reason. */
static const char APPOINT_INSERT_SQL[] =
	"INSERT INTO appointments (enterprise_id, person_id, doc_no, start_date, term_end, status,"
	" ended_on, end_reason, remarks, filed_by, filed_at, updated_at)"
	" VALUES (?1, ?2, ?3, ?4, " IMPORT_TERM_NEW("?4", "?5", "?6") ", " IMPORT_STATUS_NEW("?7") ","
	" " IMPORT_ENDED_NEW("?4", "?5", "?6", "?7", "?8") ", " IMPORT_REASON_NEW("?7", "?9") ","
	" ?10, ?11, ?12, ?12)";
/* An update keeps the stored term end when neither it, the start nor the
 * term length (?13 = 1 when the file gave one) is new. */
#define TERM_UPD \
	"coalesce(?5, CASE WHEN ?13 = 0 AND ?4 = start_date THEN term_end" \
	" ELSE date(?4, ?6, '-1 day') END)"
#define STATUS_UPD "coalesce(?7, status)"
#define ENDED_UPD \
	"CASE WHEN " STATUS_UPD " = 'active' THEN NULL ELSE coalesce(?8, ended_on, " TERM_UPD ") END"
#define REASON_UPD \
	"CASE WHEN " STATUS_UPD " = 'active' THEN NULL ELSE coalesce(?9, end_reason) END"
#define APPOINT_CHANGES \
	" WHERE id = ?1 AND (" KEEP("doc_no", 3) " OR start_date IS NOT ?4" \
	" OR term_end IS NOT " TERM_UPD " OR status IS NOT " STATUS_UPD \
	" OR ended_on IS NOT " ENDED_UPD " OR end_reason IS NOT " REASON_UPD \
	" OR " KEEP("remarks", 10) ")"
static const char APPOINT_BEFORE_SQL[] =
	"SELECT " APPOINT_JSON("") " FROM appointments" APPOINT_CHANGES;
static const char APPOINT_UPDATE_SQL[] =
	"UPDATE appointments SET doc_no = coalesce(?3, doc_no), start_date = ?4,"
	" term_end = " TERM_UPD ", status = " STATUS_UPD ", ended_on = " ENDED_UPD ","
	" end_reason = " REASON_UPD ", remarks = coalesce(?10, remarks), updated_at = ?12"
	APPOINT_CHANGES;
static const char APPOINT_SNAPSHOT_SQL[] =
	"SELECT " APPOINT_JSON("") " FROM appointments WHERE id = ?1";
/* appointment_terms_current, replayed when the triggers are deferred: the
 * update above always sets the term's three columns. */
static const char TERM_CURRENT_SQL[] =
	"UPDATE appointment_terms SET (start_date, term_end, doc_no) ="
	" (SELECT start_date, term_end, doc_no FROM appointments WHERE id = ?1)"
	" WHERE appointment_id = ?1 AND term_no = (SELECT max(term_no)"
	" FROM appointment_terms WHERE appointment_id = ?1)";

/* What the row found and changed; strings owned. */
struct cqo_work {
	struct import_enterprise_done ent;
	int64_t appointment_id, person_id;
	char status[16];
	char *appoint_before, *appoint_after, *person_before, *person_after;
};

static void work_free(struct cqo_work *w)
{
	import_enterprise_done_free(&w->ent);
	free(w->appoint_before);
	free(w->appoint_after);
	free(w->person_before);
	free(w->person_after);
}

/* The enterprise's newest record of a person of this name. */
static int record_find(struct store *st, const char *name, struct cqo_work *w)
{
	sqlite3_stmt *s = store_prepare(st, RECORD_FIND_SQL);
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, w->ent.id);
	store_bind_text(s, 2, name);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		w->appointment_id = sqlite3_column_int64(s, 0);
		w->person_id = sqlite3_column_int64(s, 1);
		store_col_text(s, 2, w->status, sizeof w->status);
	}
	store_stmt_done(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_fail(st, "import record find", rc);
}

/* -EEXIST when another record of the enterprise is in force. */
static int active_conflict(struct store *st, const struct cqo_work *w,
                           struct store_import_result *out)
{
	sqlite3_stmt *s = store_prepare(st, ACTIVE_OTHER_SQL);
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, w->ent.id);
	if (w->appointment_id)
		sqlite3_bind_int64(s, 2, w->appointment_id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		out->conflict_id = sqlite3_column_int64(s, 0);
		store_col_text(s, 1, out->conflict_name, sizeof out->conflict_name);
	}
	store_stmt_done(s);
	if (rc == SQLITE_ROW)
		return -EEXIST;
	return rc == SQLITE_DONE ? 0 : store_fail(st, "import active check", rc);
}

struct person_values {
	const struct store_appoint_person *p;
	int64_t now;
};

static void bind_person(sqlite3_stmt *s, const void *arg)
{
	const struct person_values *v = arg;

	store_person_bind(s, v->p, v->now);
}

/* The person with this name and phone, if any, into w->person_id. */
static int person_find(struct store *st, const struct store_appoint_person *p,
                       struct cqo_work *w)
{
	sqlite3_stmt *s;

	if (!p->phone)
		return 0;
	if (!(s = store_prepare(st, PERSON_FIND_SQL)))
		return -EIO;
	store_bind_text(s, 1, p->name);
	store_bind_text(s, 2, p->phone);
	return store_step_row(st, s, "import person find", 0, &w->person_id, -1, NULL);
}

/* The person of an existing record, or the one with this name and phone,
 * updated; else a new person. */
static int person_put(struct store *st, const struct store_appoint_person *p, int64_t now,
                      struct cqo_work *w)
{
	struct person_values v = {p, now};
	sqlite3_stmt *s;
	int rc;

	if (!w->person_id && (rc = person_find(st, p, w)) < 0)
		return rc;
	if (w->person_id) {
		rc = import_update(st, PERSON_BEFORE_SQL, PERSON_UPDATE_SQL, PERSON_SNAPSHOT_SQL,
		                   w->person_id, bind_person, &v, "import person update",
		                   &w->person_before, &w->person_after);
		/* import_digests_person_update, replayed. */
		if (rc == 0 && w->person_after && import_triggers_deferred(st))
			rc = import_digests_forget_person(st, w->person_id);
		return rc;
	}
	if (!(s = store_prepare(st, PERSON_INSERT_SQL)))
		return -EIO;
	store_bind_text(s, 1, p->name);
	bind_person(s, &v);
	return store_step_write(st, s, "import person insert", true, &w->person_id,
	                        PERSON_SNAPSHOT_SQL, &w->person_after);
}

struct appoint_values {
	const struct store_import_cqo *in;
	int64_t person_id, now;
	char term[IMPORT_TERM_LEN], filed_by[192];
};

static void bind_appointment(sqlite3_stmt *s, const void *arg)
{
	const struct appoint_values *v = arg;
	const struct store_import_cqo *in = v->in;

	sqlite3_bind_int64(s, 2, v->person_id);
	store_bind_text_or_null(s, 3, in->doc_no);
	store_bind_text(s, 4, in->start_date);
	store_bind_text_or_null(s, 5, in->term_end);
	store_bind_text(s, 6, v->term);
	store_bind_text_or_null(s, 7, in->status);
	store_bind_text_or_null(s, 8, in->ended_on);
	store_bind_text_or_null(s, 9, in->end_reason);
	store_bind_text_or_null(s, 10, in->remarks);
	store_bind_text(s, 11, v->filed_by);
	sqlite3_bind_int64(s, 12, v->now);
	sqlite3_bind_int(s, 13, in->term_given);
}

int import_term_modifier(int months, char term[IMPORT_TERM_LEN])
{
	if (months < 1 || months > 120)
		return -EINVAL;
	snprintf(term, IMPORT_TERM_LEN, "+%d months", months);
	return 0;
}

static int appointment_put(struct store *st, const struct store_actor *who,
                           const struct store_import_cqo *in, int64_t now, struct cqo_work *w)
{
	struct appoint_values v = {.in = in, .person_id = w->person_id, .now = now};
	sqlite3_stmt *s;

	if (import_term_modifier(in->term_months, v.term) < 0)
		return -EINVAL;
	store_actor_label(who, v.filed_by, sizeof v.filed_by);
	if (w->appointment_id) {
		int rc = import_update(st, APPOINT_BEFORE_SQL, APPOINT_UPDATE_SQL,
		                       APPOINT_SNAPSHOT_SQL, w->appointment_id, bind_appointment, &v,
		                       "import appointment update", &w->appoint_before,
		                       &w->appoint_after);
		/* appointment_terms_current and import_digests_record_update,
		 * replayed. */
		if (rc == 0 && w->appoint_after && import_triggers_deferred(st)) {
			rc = store_run_int(st, TERM_CURRENT_SQL, "import term", w->appointment_id, NULL);
			if (rc == 0)
				rc = import_digests_forget(st, w->ent.id);
		}
		return rc;
	}
	if (!(s = store_prepare(st, APPOINT_INSERT_SQL)))
		return -EIO;
	sqlite3_bind_int64(s, 1, w->ent.id);
	bind_appointment(s, &v);
	int rc = store_step_write(st, s, "import appointment insert", true, &w->appointment_id,
	                          APPOINT_SNAPSHOT_SQL, &w->appoint_after);
	/* import_digests_record_insert, replayed (a new enterprise has none). */
	if (rc == 0 && !w->ent.created && import_triggers_deferred(st))
		rc = import_digests_forget(st, w->ent.id);
	return rc;
}

static int audit_all(struct store *st, const struct store_actor *who, struct cqo_work *w,
                     struct store_import_result *out)
{
	int64_t rec = w->appointment_id;
	int rc = import_enterprise_audit(st, who, &w->ent, rec, &out->enterprise);

	out->person = import_change_of(w->person_before, w->person_after);
	out->record = import_change_of(w->appoint_before, w->appoint_after);
	if (rc == 0 && w->person_after)
		rc = store_audit_add(st, who, "person", w->person_id, rec, w->person_before,
		                     w->person_after);
	if (rc == 0 && w->appoint_after)
		rc = store_audit_add(st, who, "appointment", rec, rec, w->appoint_before,
		                     w->appoint_after);
	return rc;
}

/* At a known enterprise (w->ent.id): the row's record, and -EEXIST when
 * the row would leave a record in force while another one is. A record in
 * force already has no other beside it (appointments_one_active is
 * unique), so a re-imported row looks for none. */
static int record_and_conflict(struct store *st, const struct store_import_cqo *in,
                               struct cqo_work *w, struct store_import_result *out)
{
	int rc = record_find(st, in->person.name, w);
	bool in_force = w->appointment_id && strcmp(w->status, "active") == 0;
	const char *status = in->status ? in->status : w->appointment_id ? w->status : "active";
	if (rc == 0 && !in_force && strcmp(status, "active") == 0)
		rc = active_conflict(st, w, out);
	return rc;
}

/* Whether the row would change its existing record w->appointment_id,
 * its person or its enterprise: 1, 0, or a negative errno. Each is
 * compared by the statement its update runs under. */
static int would_change(struct store *st, const struct store_import_cqo *in,
                        const struct cqo_work *w)
{
	struct person_values pv = {&in->person, 0};
	struct appoint_values av = {.in = in, .person_id = w->person_id};
	int rc = import_enterprise_would_change(st, &in->enterprise, w->ent.id);

	if (rc == 0)
		rc = import_would_change(st, PERSON_BEFORE_SQL, w->person_id, bind_person, &pv,
		                         "import person check");
	/* A term out of range is the write's to refuse. */
	if (rc == 0 && import_term_modifier(in->term_months, av.term) < 0)
		rc = 1;
	if (rc == 0)
		rc = import_would_change(st, APPOINT_BEFORE_SQL, w->appointment_id, bind_appointment,
		                         &av, "import appointment check");
	return rc;
}

int store_import_cqo_check(struct store *st, const struct store_import_cqo *in,
                           struct store_import_result *out)
{
	struct cqo_work w;

	memset(out, 0, sizeof *out);
	memset(&w, 0, sizeof w);
	if (!in->enterprise.credit_code || !in->person.name)
		return -EINVAL;
	int rc = import_enterprise_find(st, in->enterprise.credit_code, &w.ent.id);
	bool new_enterprise = rc == 0;
	/* A new enterprise has no records yet. */
	if (rc == 1)
		rc = record_and_conflict(st, in, &w, out);
	if (rc == 0 && !w.appointment_id) {
		rc = person_find(st, &in->person, &w);
		out->fresh = rc >= 0 && new_enterprise && !w.person_id;
	}
	else if (rc == 0 && in->start_date && (rc = would_change(st, in, &w)) >= 0)
		out->unchanged = rc == 0;
	out->id = w.appointment_id;
	out->person_id = w.person_id;
	return rc < 0 ? rc : 0;
}

int store_import_cqo(struct store *st, const struct store_actor *who,
                     const struct store_import_cqo *in, int64_t now,
                     struct store_import_result *out)
{
	struct cqo_work w;
	int rc;

	memset(out, 0, sizeof *out);
	memset(&w, 0, sizeof w);
	if (!in->enterprise.credit_code || !in->person.name || !in->start_date)
		return -EINVAL;
	rc = import_enterprise_put(st, &in->enterprise, now, &w.ent);
	/* An enterprise created just now has no records yet. */
	if (rc == 0 && !w.ent.created)
		rc = record_and_conflict(st, in, &w, out);
	if (rc == 0)
		rc = person_put(st, &in->person, now, &w);
	if (rc == 0)
		rc = appointment_put(st, who, in, now, &w);
	if (rc == 0)
		rc = audit_all(st, who, &w, out);
	/* Last, after the writes that drop digests: the row as it is now. */
	if (rc == 0)
		rc = import_digest_put(st, in, w.person_id, w.appointment_id);
	out->id = w.appointment_id;
	work_free(&w);
	return rc;
}
