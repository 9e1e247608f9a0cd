/* Filing and term changes; see store_appoint.h. */
#include "store_appoint.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_audit.h"
#include "store_import.h"
#include "store_internal.h"

/* Audit snapshots. updated_at is left out so that an update which changes
 * nothing gives the same text and writes no audit row. */
static const char APPOINT_SNAPSHOT_SQL[] =
	"SELECT json_object('id', id, 'enterprise_id', enterprise_id, 'person_id', person_id,"
	" 'doc_no', doc_no, 'start_date', start_date, 'term_end', term_end, 'status', status,"
	" 'ended_on', ended_on, 'end_reason', end_reason, 'predecessor_id', predecessor_id,"
	" 'eligibility_warnings', eligibility_warnings, 'remarks', remarks)"
	" FROM appointments WHERE id = ?";
static const char ENTERPRISE_SNAPSHOT_SQL[] =
	"SELECT json_object('id', id, 'credit_code', credit_code, 'name', name,"
	" 'region_code', region_code, 'industry_code', industry_code, 'size', size,"
	" 'nature', nature, 'employees', employees, 'main_products', main_products)"
	" FROM enterprises WHERE id = ?";
const char STORE_PERSON_SNAPSHOT_SQL[] =
	"SELECT json_object('id', id, 'name', name, 'gender', gender, 'birth_date', birth_date,"
	" 'education', education, 'major', major, 'quality_years', quality_years,"
	" 'position', position, 'title', title, 'phone', phone, 'email', email, 'resume', resume)"
	" FROM people WHERE id = ?";

/* The chat sets undated categories (year 0); the annual lists are cqoctl
 * import's. */
static const char TAGS_SNAPSHOT_SQL[] =
	"SELECT json_object('categories', json((SELECT json_group_array(tag) FROM"
	" (SELECT tag FROM enterprise_tags WHERE enterprise_id = e.id AND year = 0"
	" ORDER BY tag))))"
	" FROM enterprises e WHERE e.id = ?";
static const char TAGS_GET_SQL[] =
	"SELECT tag FROM enterprise_tags WHERE enterprise_id = ?1 AND year = 0";
static const char TAG_ADD_SQL[] =
	"INSERT OR IGNORE INTO enterprise_tags (enterprise_id, tag) VALUES (?1, ?2)";
static const char TAG_DROP_SQL[] =
	"DELETE FROM enterprise_tags WHERE enterprise_id = ?1 AND tag = ?2 AND year = 0";

static const char ENTERPRISE_FIND_SQL[] =
	"SELECT id, region_code FROM enterprises WHERE credit_code = ?1";
/* ?1 is the credit code (insert) or the id (update); NULL keeps a value. */
static const char ENTERPRISE_INSERT_SQL[] =
	"INSERT INTO enterprises (credit_code, name, region_code, industry_code, size, nature,"
	" employees, main_products, created_at, updated_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)";
static const char ENTERPRISE_UPDATE_SQL[] =
	"UPDATE enterprises SET name = coalesce(?2, name), region_code = coalesce(?3, region_code),"
	" industry_code = coalesce(?4, industry_code), size = coalesce(?5, size),"
	" nature = coalesce(?6, nature), employees = coalesce(?7, employees),"
	" main_products = coalesce(?8, main_products), updated_at = ?9 WHERE id = ?1";

/* A person another region also files for is not the filer's to change:
 * every record of theirs, and their 人才库 entry, must lie in scope ?3 (""
 * everywhere). */
static const char PERSON_FIND_SQL[] =
	"SELECT p.id FROM people p WHERE p.name = ?1 AND p.phone = ?2"
	" AND NOT EXISTS (SELECT 1 FROM appointments a JOIN enterprises e ON e.id = a.enterprise_id"
	"  WHERE a.person_id = p.id"
	"  AND (e.region_code IS NULL OR substr(e.region_code, 1, length(?3)) <> ?3))"
	" AND NOT EXISTS (SELECT 1 FROM talent_pool tp WHERE tp.person_id = p.id"
	"  AND substr(tp.region_code, 1, length(?3)) <> ?3)"
	" ORDER BY p.id LIMIT 1";
/* The person's other records, each told of a change to the person. */
static const char PERSON_RECORDS_SQL[] =
	"SELECT id FROM appointments WHERE person_id = ?1 AND id <> ?2 ORDER BY id";
/* ?1 is the name (insert) or the id (update); NULL keeps a value. */
static const char PERSON_INSERT_SQL[] =
	"INSERT INTO people (name, gender, birth_date, education, major, quality_years,"
	" position, title, phone, email, resume, created_at, updated_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)";
static const char PERSON_UPDATE_SQL[] =
	"UPDATE people SET gender = coalesce(?2, gender), birth_date = coalesce(?3, birth_date),"
	" education = coalesce(?4, education), major = coalesce(?5, major),"
	" quality_years = coalesce(?6, quality_years), position = coalesce(?7, position),"
	" title = coalesce(?8, title), phone = coalesce(?9, phone), email = coalesce(?10, email),"
	" resume = coalesce(?11, resume), updated_at = ?12 WHERE id = ?1";

static const char ACTIVE_FIND_SQL[] =
	"SELECT id FROM appointments WHERE enterprise_id = ?1 AND status = 'active'";
static const char APPOINT_END_SQL[] =
	"UPDATE appointments SET status = 'ended', ended_on = min(term_end, date(?3, '-1 day')),"
	" end_reason = '更换', updated_at = ?4"
	" WHERE id = ?1 AND enterprise_id = ?2 AND status = 'active' RETURNING ended_on";
/* ?5 is the term as an SQLite modifier ("+36 months"). */
static const char APPOINT_INSERT_SQL[] =
	"INSERT INTO appointments (enterprise_id, person_id, doc_no, start_date, term_end,"
	" predecessor_id, eligibility_warnings, remarks, filed_by, filed_at, updated_at)"
	" VALUES (?1, ?2, ?3, ?4, date(?4, ?5, '-1 day'), nullif(?6, 0), ?7, ?8, ?9, ?10, ?10)"
	" RETURNING id, term_end";
/* 续聘 writes the new term first, then makes it the appointment's current
 * term: the trigger that keeps the newest term equal to the appointment
 * (migration 14) then finds it so already. ?5 is the new document number. */
static const char TERM_NEXT_SQL[] =
	"INSERT INTO appointment_terms (appointment_id, term_no, start_date, term_end, doc_no,"
	" created_at)"
	" SELECT id, (SELECT coalesce(max(term_no), 0) + 1 FROM appointment_terms"
	"  WHERE appointment_id = ?1), ?2, date(?2, ?3, '-1 day'), ?5, ?4"
	" FROM appointments WHERE id = ?1 AND status = 'active' RETURNING term_no";
static const char APPOINT_RENEW_SQL[] =
	"UPDATE appointments SET start_date = ?2, term_end = date(?2, ?3, '-1 day'), doc_no = ?5,"
	" updated_at = ?4 WHERE id = ?1 AND status = 'active' RETURNING term_end";
static const char HISTORY_SQL[] =
	"SELECT coalesce(ended_on, ''), coalesce(end_reason, ''),"
	" (SELECT count(*) FROM appointment_terms WHERE appointment_id = ?1)"
	" FROM appointments WHERE id = ?1";
static const char TERMS_SQL[] =
	"SELECT term_no, start_date, term_end, coalesce(doc_no, ''), coalesce(evaluation, '')"
	" FROM appointment_terms WHERE appointment_id = ?1 ORDER BY term_no DESC LIMIT ?2";
/* ?2 a term number, or 0 for the newest term begun by ?3. */
static const char TERM_PICK_SQL[] =
	"SELECT id, term_no, start_date > ?3 FROM appointment_terms WHERE appointment_id = ?1"
	" AND (term_no = ?2 OR (?2 = 0 AND start_date <= ?3)) ORDER BY term_no DESC LIMIT 1";
static const char TERM_SNAPSHOT_SQL[] =
	"SELECT json_object('appointment_id', appointment_id, 'term_no', term_no,"
	" 'start_date', start_date, 'term_end', term_end, 'doc_no', doc_no,"
	" 'evaluation', evaluation) FROM appointment_terms WHERE id = ?";
static const char TERM_EVALUATE_SQL[] =
	"UPDATE appointment_terms SET evaluation = ?2, evaluated_at = ?3 WHERE id = ?1";

/* As APPOINT_INSERT_SQL computes it. */
static const char TERM_END_SQL[] = "SELECT date(?1, ?2, '-1 day')";
/* The same person in any region: name and phone, and birth date when both
 * sides have one (?1 name, ?2 phone, ?3 birth date or NULL). */
#define PERSON_MATCH \
	" p.name = ?1 AND p.phone = ?2 AND (p.birth_date IS NULL OR ?3 IS NULL" \
	" OR p.birth_date = ?3)"
/* ?4 is the enterprise filed for: its own record is no conflict. */
static const char ACTIVE_ELSEWHERE_SQL[] =
	"SELECT a.id, e.region_code, coalesce(r.name, '') FROM people p"
	" JOIN appointments a ON a.person_id = p.id AND a.status = 'active'"
	" JOIN enterprises e ON e.id = a.enterprise_id"
	" LEFT JOIN regions r ON r.code = e.region_code"
	" WHERE" PERSON_MATCH " AND e.credit_code IS NOT ?4 ORDER BY a.id LIMIT 1";
static const char BLACKLISTED_SQL[] =
	"SELECT coalesce(r.name, '') || '（' || e.region_code || '）', s.issued_on FROM people p"
	" JOIN appointments a ON a.person_id = p.id"
	" JOIN sanctions s ON s.appointment_id = a.id AND s.kind = '黑名单'"
	"  AND s.status <> 'revoked'"
	" JOIN enterprises e ON e.id = a.enterprise_id"
	" LEFT JOIN regions r ON r.code = e.region_code"
	" WHERE" PERSON_MATCH " ORDER BY s.issued_on DESC, s.id DESC LIMIT 1";
static const char APPOINT_EXISTS_SQL[] = "SELECT 1 FROM appointments WHERE id = ?1";
static const char APPOINT_DISMISS_SQL[] =
	"UPDATE appointments SET status = 'dismissed', ended_on = ?2, end_reason = ?3,"
	" updated_at = ?4 WHERE id = ?1 AND status = 'active'";

int store_appoint_enterprise_find(struct store *st, const char *credit_code, int64_t *id,
                                  char region[16])
{
	sqlite3_stmt *s = store_prepare(st, ENTERPRISE_FIND_SQL);

	*id = 0;
	region[0] = '\0';
	if (!s)
		return -EIO;
	store_bind_text(s, 1, credit_code);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(s, 0);
		store_col_text(s, 1, region, 16);
	}
	store_stmt_done(s);
	if (rc == SQLITE_ROW)
		return 0;
	return rc == SQLITE_DONE ? -ENOENT : store_fail(st, "enterprise find", rc);
}

/* Writes an audit row when the snapshot changed (before NULL: created). */
static int audit_if_changed(struct store *st, const struct store_actor *who, const char *entity,
                            int64_t id, int64_t record_id, const char *snapshot_sql,
                            const char *before)
{
	char *after = NULL;   /* owned here */
	int rc = store_snapshot_json(st, snapshot_sql, id, &after);

	if (rc == 0 && (!before || !after || strcmp(before, after) != 0))
		rc = store_audit_add(st, who, entity, id, record_id, before, after);
	free(after);
	return rc;
}

/* The audit rows of a change to a person: one on the new record and one on
 * each of the person's other records, so every region that files for them
 * sees it in its 审计. Nothing when nothing changed. */
static int audit_person(struct store *st, const struct store_actor *who, int64_t person_id,
                        int64_t record_id, const char *before)
{
	char *after = NULL;   /* owned here */
	int rc = store_snapshot_json(st, STORE_PERSON_SNAPSHOT_SQL, person_id, &after);
	sqlite3_stmt *s;

	if (rc < 0 || (before && after && strcmp(before, after) == 0)) {
		free(after);
		return rc;
	}
	rc = store_audit_add(st, who, "person", person_id, record_id, before, after);
	s = rc == 0 && before ? store_prepare(st, PERSON_RECORDS_SQL) : NULL;
	if (s) {
		int64_t *others = NULL;   /* owned here; read first: the cursor ends before writing */
		size_t n = 0, cap = 0;

		sqlite3_bind_int64(s, 1, person_id);
		sqlite3_bind_int64(s, 2, record_id);
		while (rc == 0 && (rc = sqlite3_step(s)) == SQLITE_ROW) {
			if (n == cap) {
				size_t ncap = cap ? cap * 2 : 8;
				int64_t *v = realloc(others, ncap * sizeof *v);
				if (!v) {
					rc = SQLITE_NOMEM;
					break;
				}
				others = v;
				cap = ncap;
			}
			others[n++] = sqlite3_column_int64(s, 0);
			rc = 0;
		}
		store_stmt_done(s);
		rc = rc == SQLITE_DONE || rc == 0 ? 0 : store_fail(st, "person records", rc);
		for (size_t i = 0; rc == 0 && i < n; i++)
			rc = store_audit_add(st, who, "person", person_id, others[i], before, after);
		free(others);
	} else if (rc == 0 && before) {
		rc = -EIO;
	}
	free(after);
	return rc;
}

/* Inserts or updates the enterprise; *before is its snapshot before the
 * change (NULL when it is new; caller frees). */
static int enterprise_put(struct store *st, const struct store_appoint_enterprise *e,
                          int64_t now, int64_t *id, char **before)
{
	char region[16];
	int rc = store_appoint_enterprise_find(st, e->credit_code, id, region);

	*before = NULL;
	if (rc == 0)
		rc = store_snapshot_json(st, ENTERPRISE_SNAPSHOT_SQL, *id, before);
	if (rc != 0 && rc != -ENOENT)
		return rc;
	bool exists = rc == 0;
	sqlite3_stmt *s = store_prepare(st, exists ? ENTERPRISE_UPDATE_SQL : ENTERPRISE_INSERT_SQL);
	if (!s)
		return -EIO;
	if (exists)
		sqlite3_bind_int64(s, 1, *id);
	else
		store_bind_text(s, 1, e->credit_code);
	store_bind_text_or_null(s, 2, e->name);
	store_bind_text_or_null(s, 3, e->region_code);
	store_bind_text_or_null(s, 4, e->industry_code);
	store_bind_text_or_null(s, 5, e->size);
	store_bind_text_or_null(s, 6, e->nature);
	store_bind_long_or_null(s, 7, e->employees);
	store_bind_text_or_null(s, 8, e->main_products);
	sqlite3_bind_int64(s, 9, now);
	rc = store_step_done(st, s, "enterprise put", NULL);
	if (rc == 0 && !exists)
		*id = sqlite3_last_insert_rowid(st->db);
	return rc;
}

void store_person_bind(sqlite3_stmt *s, const struct store_appoint_person *p, int64_t now)
{
	store_bind_text_or_null(s, 2, p->gender);
	store_bind_text_or_null(s, 3, p->birth_date);
	store_bind_text_or_null(s, 4, p->education);
	store_bind_text_or_null(s, 5, p->major);
	store_bind_long_or_null(s, 6, p->quality_years);
	store_bind_text_or_null(s, 7, p->position);
	store_bind_text_or_null(s, 8, p->title);
	store_bind_text_or_null(s, 9, p->phone);
	store_bind_text_or_null(s, 10, p->email);
	store_bind_text_or_null(s, 11, p->resume);
	sqlite3_bind_int64(s, 12, now);
}

int store_person_put(struct store *st, const struct store_appoint_person *p,
                     const char *scope, int64_t now, int64_t *id, char **before, bool *reused)
{
	int rc = SQLITE_DONE;

	*before = NULL;
	*reused = false;
	if (p->phone && *p->phone) {
		sqlite3_stmt *f = store_prepare(st, PERSON_FIND_SQL);
		if (!f)
			return -EIO;
		store_bind_text(f, 1, p->name);
		store_bind_text(f, 2, p->phone);
		store_bind_text(f, 3, scope ? scope : "");
		rc = sqlite3_step(f);
		if (rc == SQLITE_ROW)
			*id = sqlite3_column_int64(f, 0);
		store_stmt_done(f);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return store_fail(st, "person find", rc);
	}
	*reused = rc == SQLITE_ROW;
	if (*reused && (rc = store_snapshot_json(st, STORE_PERSON_SNAPSHOT_SQL, *id, before)) < 0)
		return rc;
	sqlite3_stmt *s = store_prepare(st, *reused ? PERSON_UPDATE_SQL : PERSON_INSERT_SQL);
	if (!s)
		return -EIO;
	if (*reused)
		sqlite3_bind_int64(s, 1, *id);
	else
		store_bind_text(s, 1, p->name);
	store_person_bind(s, p, now);
	rc = store_step_done(st, s, "person put", NULL);
	if (rc == 0 && !*reused)
		*id = sqlite3_last_insert_rowid(st->db);
	return rc;
}

/* Ends the predecessor for 更换; its audit row belongs to its own record. */
static int end_predecessor(struct store *st, const struct store_actor *who,
                           const struct store_appoint_filing *in, int64_t enterprise_id,
                           char ended_on[11])
{
	char *before = NULL;   /* owned here */
	int rc = store_snapshot_json(st, APPOINT_SNAPSHOT_SQL, in->replaces, &before);
	sqlite3_stmt *s = rc == 0 ? store_prepare(st, APPOINT_END_SQL) : NULL;

	if (!s) {
		free(before);
		return rc < 0 ? rc : -EIO;
	}
	sqlite3_bind_int64(s, 1, in->replaces);
	sqlite3_bind_int64(s, 2, enterprise_id);
	store_bind_text(s, 3, in->start_date);
	sqlite3_bind_int64(s, 4, in->now);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		store_col_text(s, 0, ended_on, 11);
	store_stmt_done(s);
	if (rc == SQLITE_ROW)
		rc = audit_if_changed(st, who, "appointment", in->replaces, in->replaces,
		                      APPOINT_SNAPSHOT_SQL, before);
	else if (rc == SQLITE_DONE)
		rc = -ESTALE;
	else
		rc = (rc & 0xff) == SQLITE_CONSTRAINT ? store_errno(rc)
		                                      : store_fail(st, "appointment end", rc);
	free(before);
	return rc;
}

/* The enterprise's active appointment in *active (0 if none). */
static int active_of(struct store *st, int64_t enterprise_id, int64_t *active)
{
	sqlite3_stmt *s = store_prepare(st, ACTIVE_FIND_SQL);

	*active = 0;
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, enterprise_id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*active = sqlite3_column_int64(s, 0);
	store_stmt_done(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_fail(st, "active find", rc);
}

static int appointment_insert(struct store *st, const struct store_actor *who,
                              const struct store_appoint_filing *in, int64_t enterprise_id,
                              struct store_appoint_filed *out)
{
	char term[24], filed_by[192];
	sqlite3_stmt *s = store_prepare(st, APPOINT_INSERT_SQL);

	if (!s)
		return -EIO;
	if (in->term_months < 1 || in->term_months > 120)
		return -EINVAL;
	snprintf(term, sizeof term, "+%d months", in->term_months);
	store_actor_label(who, filed_by, sizeof filed_by);
	sqlite3_bind_int64(s, 1, enterprise_id);
	sqlite3_bind_int64(s, 2, out->person_id);
	store_bind_text_or_null(s, 3, in->doc_no);
	store_bind_text(s, 4, in->start_date);
	store_bind_text(s, 5, term);
	sqlite3_bind_int64(s, 6, in->replaces);
	store_bind_text_or_null(s, 7, in->warnings);
	store_bind_text_or_null(s, 8, in->remarks);
	store_bind_text(s, 9, filed_by);
	sqlite3_bind_int64(s, 10, in->now);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		out->id = sqlite3_column_int64(s, 0);
		store_col_text(s, 1, out->term_end, sizeof out->term_end);
		rc = sqlite3_step(s);
	}
	store_stmt_done(s);
	if (rc == SQLITE_DONE)
		return 0;
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return store_errno(rc);
	return store_fail(st, "appointment insert", rc);
}

static int tags_write(struct store *st, int64_t id, unsigned add, unsigned drop)
{
	int rc = 0;

	for (int i = 0; rc == 0 && i < STORE_IMPORT_TAGS; i++) {
		unsigned bit = 1u << i;
		if (!((add | drop) & bit))
			continue;
		sqlite3_stmt *s = store_prepare(st, add & bit ? TAG_ADD_SQL : TAG_DROP_SQL);
		if (!s)
			return -EIO;
		sqlite3_bind_int64(s, 1, id);
		store_bind_text(s, 2, store_import_tag_name(i));
		rc = store_step_done(st, s, "enterprise tag", NULL);
	}
	return rc;
}

static int tags_read(struct store *st, int64_t id, unsigned *out)
{
	sqlite3_stmt *s = store_prepare(st, TAGS_GET_SQL);
	int rc;

	*out = 0;
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int i = store_import_tag_index((const char *)sqlite3_column_text(s, 0));
		if (i >= 0)
			*out |= 1u << i;
	}
	store_stmt_done(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, "enterprise tags", rc);
}

/* The change itself, in the caller's savepoint. */
static int tags_change(struct store *st, const struct store_actor *who, int64_t id,
                       int64_t record_id, unsigned add, unsigned drop)
{
	char *before = NULL;   /* owned here */
	int rc = store_snapshot_json(st, TAGS_SNAPSHOT_SQL, id, &before);

	if (rc == 0 && !before)
		rc = -ENOENT;
	if (rc == 0)
		rc = tags_write(st, id, add, drop & ~add);
	if (rc == 0)
		rc = audit_if_changed(st, who, "enterprise_tags", id, record_id, TAGS_SNAPSHOT_SQL,
		                      before);
	free(before);
	return rc;
}

int store_enterprise_tags_change(struct store *st, const struct store_actor *who,
                                 int64_t enterprise_id, int64_t record_id, unsigned add,
                                 unsigned drop, unsigned *after)
{
	int rc = store_savepoint(st);

	if (rc < 0)
		return rc;
	rc = tags_change(st, who, enterprise_id, record_id, add, drop);
	rc = store_savepoint_end(st, rc);
	if (rc == 0 && after)
		rc = tags_read(st, enterprise_id, after);
	return rc;
}

int store_appoint_file(struct store *st, const struct store_actor *who,
                       const struct store_appoint_filing *in, struct store_appoint_filed *out)
{
	char *ent_before = NULL, *person_before = NULL;   /* owned here */
	int64_t enterprise_id = 0, active = 0;
	int rc;

	memset(out, 0, sizeof *out);
	if (!in->enterprise.credit_code || !in->person.name || !in->start_date)
		return -EINVAL;
	rc = enterprise_put(st, &in->enterprise, in->now, &enterprise_id, &ent_before);
	if (rc == 0 && in->replaces)
		rc = end_predecessor(st, who, in, enterprise_id, out->ended_on);
	if (rc == 0)
		rc = active_of(st, enterprise_id, &active);
	if (rc == 0 && active) {
		out->active_id = active;
		rc = -EEXIST;
	}
	if (rc == 0)
		rc = store_person_put(st, &in->person, in->scope, in->now, &out->person_id,
		                      &person_before, &out->person_reused);
	if (rc == 0)
		rc = appointment_insert(st, who, in, enterprise_id, out);
	if (rc == 0)
		rc = audit_if_changed(st, who, "enterprise", enterprise_id, out->id,
		                      ENTERPRISE_SNAPSHOT_SQL, ent_before);
	if (rc == 0)
		rc = audit_person(st, who, out->person_id, out->id, person_before);
	if (rc == 0)
		rc = audit_if_changed(st, who, "appointment", out->id, out->id,
		                      APPOINT_SNAPSHOT_SQL, NULL);
	if (rc == 0 && in->enterprise.tags)
		rc = tags_change(st, who, enterprise_id, out->id, in->enterprise.tags, 0);
	free(ent_before);
	free(person_before);
	return rc;
}

/* -ENOENT or -ESTALE for an appointment a conditional update missed. */
static int why_missed(struct store *st, int64_t id)
{
	sqlite3_stmt *s = store_prepare(st, APPOINT_EXISTS_SQL);

	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	store_stmt_done(s);
	if (rc == SQLITE_ROW)
		return -ESTALE;
	return rc == SQLITE_DONE ? -ENOENT : store_fail(st, "appointment exists", rc);
}

/* The next term row of active appointment id; *term_no its number. */
static int term_next(struct store *st, int64_t id, const char *start_date, const char *term,
                     const char *doc_no, int64_t now, int *term_no)
{
	sqlite3_stmt *s = store_prepare(st, TERM_NEXT_SQL);

	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, start_date);
	store_bind_text(s, 3, term);
	sqlite3_bind_int64(s, 4, now);
	store_bind_text_or_null(s, 5, doc_no);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*term_no = sqlite3_column_int(s, 0);
		rc = sqlite3_step(s);
	}
	store_stmt_done(s);
	if (rc == SQLITE_DONE)
		return *term_no ? 0 : why_missed(st, id);
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return store_errno(rc);
	return store_fail(st, "term insert", rc);
}

int store_appoint_renew(struct store *st, const struct store_actor *who, int64_t id,
                        const char *start_date, int term_months, const char *doc_no,
                        int64_t now, char term_end[11], int *term_no)
{
	char term[24], *before = NULL;   /* before: owned here */
	int rc;

	term_end[0] = '\0';
	*term_no = 0;
	if (term_months < 1 || term_months > 120 || !start_date)
		return -EINVAL;
	snprintf(term, sizeof term, "+%d months", term_months);
	rc = store_snapshot_json(st, APPOINT_SNAPSHOT_SQL, id, &before);
	if (rc == 0)
		rc = term_next(st, id, start_date, term, doc_no, now, term_no);
	sqlite3_stmt *s = rc == 0 ? store_prepare(st, APPOINT_RENEW_SQL) : NULL;
	if (!s) {
		free(before);
		return rc < 0 ? rc : -EIO;
	}
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, start_date);
	store_bind_text(s, 3, term);
	sqlite3_bind_int64(s, 4, now);
	store_bind_text_or_null(s, 5, doc_no);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		store_col_text(s, 0, term_end, 11);
	store_stmt_done(s);
	if (rc == SQLITE_ROW)
		rc = audit_if_changed(st, who, "appointment", id, id, APPOINT_SNAPSHOT_SQL, before);
	else if (rc == SQLITE_DONE)
		rc = why_missed(st, id);
	else
		rc = (rc & 0xff) == SQLITE_CONSTRAINT ? store_errno(rc)
		                                      : store_fail(st, "appointment renew", rc);
	free(before);
	return rc;
}

/* Binds the person match of a filing (name, phone, birth date). */
static void bind_match(sqlite3_stmt *s, const struct store_appoint_filing *in)
{
	store_bind_text(s, 1, in->person.name);
	store_bind_text(s, 2, in->person.phone);
	store_bind_text_or_null(s, 3, in->person.birth_date);
}

int store_appoint_flags(struct store *st, const struct store_appoint_filing *in,
                        struct store_appoint_flags *out)
{
	char term[24];
	sqlite3_stmt *s;
	int rc;

	memset(out, 0, sizeof *out);
	if (in->term_months < 1 || in->term_months > 120 || !in->start_date)
		return -EINVAL;
	snprintf(term, sizeof term, "+%d months", in->term_months);
	if (!(s = store_prepare(st, TERM_END_SQL)))
		return -EIO;
	store_bind_text(s, 1, in->start_date);
	store_bind_text(s, 2, term);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		store_col_text(s, 0, out->term_end, sizeof out->term_end);
	store_stmt_done(s);
	if (rc != SQLITE_ROW)
		return store_fail(st, "term end", rc);
	if (!in->person.name || !in->person.phone || !*in->person.phone)
		return 0;
	if (!(s = store_prepare(st, ACTIVE_ELSEWHERE_SQL)))
		return -EIO;
	bind_match(s, in);
	store_bind_text_or_null(s, 4, in->enterprise.credit_code);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		out->active_id = sqlite3_column_int64(s, 0);
		store_col_text(s, 1, out->active_region, sizeof out->active_region);
		store_col_text(s, 2, out->active_region_name, sizeof out->active_region_name);
	}
	store_stmt_done(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(st, "active elsewhere", rc);
	if (!(s = store_prepare(st, BLACKLISTED_SQL)))
		return -EIO;
	bind_match(s, in);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		store_col_text(s, 0, out->blacklist_region, sizeof out->blacklist_region);
		store_col_text(s, 1, out->blacklist_on, sizeof out->blacklist_on);
	}
	store_stmt_done(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_fail(st, "blacklisted", rc);
}

int store_appoint_history(struct store *st, int64_t id, struct store_appoint_history *out)
{
	sqlite3_stmt *s = store_prepare(st, HISTORY_SQL);

	memset(out, 0, sizeof *out);
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		store_col_text(s, 0, out->ended_on, sizeof out->ended_on);
		store_col_text(s, 1, out->end_reason, sizeof out->end_reason);
		out->total_terms = (size_t)sqlite3_column_int64(s, 2);
	}
	store_stmt_done(s);
	if (rc == SQLITE_DONE)
		return -ENOENT;
	if (rc != SQLITE_ROW)
		return store_fail(st, "appointment history", rc);
	if (!(s = store_prepare(st, TERMS_SQL)))
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int(s, 2, STORE_APPOINT_TERMS_MAX);
	/* Read newest first (the limit keeps the newest), listed oldest first. */
	size_t n = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && n < STORE_APPOINT_TERMS_MAX) {
		struct store_appoint_term *t = &out->terms[STORE_APPOINT_TERMS_MAX - 1 - n++];

		t->term_no = sqlite3_column_int(s, 0);
		store_col_text(s, 1, t->start_date, sizeof t->start_date);
		store_col_text(s, 2, t->term_end, sizeof t->term_end);
		store_col_text(s, 3, t->doc_no, sizeof t->doc_no);
		store_col_text(s, 4, t->evaluation, sizeof t->evaluation);
	}
	store_stmt_done(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, "appointment terms", rc);
	memmove(out->terms, out->terms + STORE_APPOINT_TERMS_MAX - n, n * sizeof out->terms[0]);
	out->n_terms = n;
	return 0;
}

int store_appoint_evaluate(struct store *st, const struct store_actor *who, int64_t id,
                           int *term_no, const char *result, const char *today,
                           int64_t now)
{
	char *before = NULL;   /* owned here */
	int64_t term_id = 0;
	sqlite3_stmt *s = store_prepare(st, TERM_PICK_SQL);

	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int(s, 2, *term_no);
	store_bind_text(s, 3, today);
	int rc = sqlite3_step(s), ahead = 0;
	if (rc == SQLITE_ROW) {
		term_id = sqlite3_column_int64(s, 0);
		*term_no = sqlite3_column_int(s, 1);
		ahead = sqlite3_column_int(s, 2);
	}
	store_stmt_done(s);
	if (rc == SQLITE_DONE)
		return -ENOENT;
	if (rc != SQLITE_ROW)
		return store_fail(st, "term pick", rc);
	if (ahead)
		return -EAGAIN;
	rc = store_snapshot_json(st, TERM_SNAPSHOT_SQL, term_id, &before);
	s = rc == 0 ? store_prepare(st, TERM_EVALUATE_SQL) : NULL;
	if (!s) {
		free(before);
		return rc < 0 ? rc : -EIO;
	}
	sqlite3_bind_int64(s, 1, term_id);
	store_bind_text(s, 2, result);
	sqlite3_bind_int64(s, 3, now);
	rc = store_step_done(st, s, "term evaluate", NULL);
	if (rc == 0)
		rc = audit_if_changed(st, who, "term", term_id, id, TERM_SNAPSHOT_SQL, before);
	free(before);
	return rc;
}

int store_appoint_dismiss(struct store *st, const struct store_actor *who, int64_t id,
                          const char *ended_on, const char *reason, int64_t now)
{
	char *before = NULL;   /* owned here */
	int rc = store_snapshot_json(st, APPOINT_SNAPSHOT_SQL, id, &before);
	sqlite3_stmt *s = rc == 0 ? store_prepare(st, APPOINT_DISMISS_SQL) : NULL;

	if (!s) {
		free(before);
		return rc < 0 ? rc : -EIO;
	}
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, ended_on);
	store_bind_text_or_null(s, 3, reason);
	sqlite3_bind_int64(s, 4, now);
	rc = store_step_done(st, s, "appointment dismiss", NULL);
	if (rc == 0 && sqlite3_changes(st->db) == 0)
		rc = why_missed(st, id);
	else if (rc == 0)
		rc = audit_if_changed(st, who, "appointment", id, id, APPOINT_SNAPSHOT_SQL, before);
	free(before);
	return rc;
}
