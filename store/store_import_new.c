/* New CQOs set-based (store_import_cqos_new); see store_import.h. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../lib/clock.h"
#include "store_audit.h"
#include "store_import_internal.h"

/* The staged rows, one per CQO, seq 1..n in the caller's order. Column
 * names carry a prefix so that they never shadow the tables' own in the
 * statements that join them. NULL stands for a value not given, as the
 * row-by-row statements bind it. */
static const char STAGE_CREATE_SQL[] =
	"CREATE TEMP TABLE IF NOT EXISTS import_new (seq INTEGER PRIMARY KEY,"
	" i_code, i_ename, i_region, i_industry, i_size, i_nature, i_employees, i_products,"
	" i_contact, i_contact_phone, i_tags, i_tags_year, i_tags_suffix,"
	" i_pname, i_gender, i_birth, i_education, i_major, i_years, i_position, i_title,"
	" i_phone, i_email, i_resume,"
	" i_doc_no, i_start, i_term_end, i_term, i_status, i_ended_on, i_end_reason, i_remarks,"
	" i_digest)";
static const char STAGE_CLEAR_SQL[] = "DELETE FROM temp.import_new";
static const char STAGE_INSERT_SQL[] =
	"INSERT INTO temp.import_new VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
	" ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29,"
	" ?30, ?31, ?32, ?33, ?34)";

/* Rows that are not new any more, or that repeat a person of an earlier
 * row (as store_import_cqo's person_find sees it: by name and phone, only
 * when a phone is given). */
static const char STAGE_NOT_NEW_SQL[] =
	"SELECT (SELECT count(*) FROM temp.import_new n WHERE EXISTS (SELECT 1 FROM enterprises e"
	" WHERE e.credit_code = n.i_code) OR (n.i_phone IS NOT NULL AND EXISTS (SELECT 1 FROM"
	" people p WHERE p.name = n.i_pname AND p.phone = n.i_phone)))"
	" + (SELECT count(i_phone) - count(DISTINCT i_pname || char(31) || i_phone)"
	" FROM temp.import_new)";

/* ?1, ?2, ?3: the highest enterprise, person and record ids before. */
static const char ENTERPRISES_SQL[] =
	"INSERT INTO enterprises (id, credit_code, name, region_code, industry_code, size, nature,"
	" employees, main_products, contact_name, contact_phone, created_at, updated_at)"
	" SELECT ?1 + seq, i_code, i_ename, i_region, i_industry, i_size, i_nature, i_employees,"
	" i_products, i_contact, i_contact_phone, ?4, ?4 FROM temp.import_new ORDER BY seq";
/* The bits of i_tags, in IMPORT_TAG_LIST's order (the last row, of no
 * bit, only ends the list). */
#define TAG_ROW(i, name) "(" #i ", '" name "'), "
static const char TAGS_SQL[] =
	"INSERT INTO enterprise_tags (enterprise_id, tag, year)"
	" SELECT ?1 + n.seq, t.column2, n.i_tags_year FROM temp.import_new n,"
	" (VALUES " IMPORT_TAG_LIST(TAG_ROW) "(NULL, NULL)) t"
	" WHERE n.i_tags != 0 AND (n.i_tags >> t.column1) & 1";
static const char PEOPLE_SQL[] =
	"INSERT INTO people (id, name, gender, birth_date, education, major, quality_years,"
	" position, title, phone, email, resume, created_at, updated_at)"
	" SELECT ?2 + seq, i_pname, i_gender, i_birth, i_education, i_major, i_years, i_position,"
	" i_title, i_phone, i_email, i_resume, ?4, ?4 FROM temp.import_new ORDER BY seq";
/* ?5: filed_by. */
static const char APPOINTMENTS_SQL[] =
	"INSERT INTO appointments (id, enterprise_id, person_id, doc_no, start_date, term_end,"
	" status, ended_on, end_reason, remarks, filed_by, filed_at, updated_at)"
	" SELECT ?3 + seq, ?1 + seq, ?2 + seq, i_doc_no, i_start,"
	" " IMPORT_TERM_NEW("i_start", "i_term_end", "i_term") ","
	" " IMPORT_STATUS_NEW("i_status") ","
	" " IMPORT_ENDED_NEW("i_start", "i_term_end", "i_term", "i_status", "i_ended_on") ","
	" " IMPORT_REASON_NEW("i_status", "i_end_reason") ","
	" i_remarks, ?5, ?4, ?4 FROM temp.import_new ORDER BY seq";
/* What store_import_cqo leaves last (import_digest_put). */
static const char DIGESTS_SQL[] =
	"INSERT OR REPLACE INTO import_digests (credit_code, name, enterprise_id, person_id,"
	" appointment_id, digest) SELECT i_code, i_pname, ?1 + seq, ?2 + seq, ?3 + seq, i_digest"
	" FROM temp.import_new ORDER BY seq";
/* Each row's three audit rows in store_import_cqo's order (enterprise,
 * person, record), snapshots read back from the rows written. ?4: at;
 * ?5..?9: the actor's platform, user, chat, command and tenant. */
static const char AUDIT_SQL[] =
	"INSERT INTO audit_log (at, actor_platform, actor_user, chat_id, command, entity,"
	" entity_id, record_id, before_json, after_json, actor_tenant)"
	" SELECT ?4, ?5, ?6, ?7, ?8, entity, entity_id, ?3 + seq, NULL, after, ?9 FROM ("
	" SELECT seq, 0 AS k, 'enterprise' AS entity, id AS entity_id,"
	" substr(j, 1, length(j) - 1) || i_tags_suffix AS after FROM (SELECT n.seq, e.id,"
	" n.i_tags_suffix, " ENTERPRISE_JSON("e.") " AS j FROM temp.import_new n"
	" JOIN enterprises e ON e.id = ?1 + n.seq)"
	" UNION ALL SELECT n.seq, 1, 'person', p.id, " PERSON_JSON("p.")
	" FROM temp.import_new n JOIN people p ON p.id = ?2 + n.seq"
	" UNION ALL SELECT n.seq, 2, 'appointment', a.id, " APPOINT_JSON("a.")
	" FROM temp.import_new n JOIN appointments a ON a.id = ?3 + n.seq)"
	" ORDER BY seq, k";

int import_new_setup(struct store *st)
{
	return store_exec(st, STAGE_CREATE_SQL, "import stage");
}

/* Stages row `in` as seq; 0, -EAGAIN for a term store_import_cqo refuses,
 * or a negative errno. */
static int stage(struct store *st, sqlite3_stmt *s, int64_t seq,
                 const struct store_import_cqo *in)
{
	const struct store_import_enterprise *e = &in->enterprise;
	const struct store_appoint_person *p = &in->person;
	unsigned tags = e->tags_add & ~e->tags_remove;
	char suffix[IMPORT_TAGS_SUFFIX_MAX], term[IMPORT_TERM_LEN];
	uint8_t digest[IMPORT_DIGEST_LEN];

	if (import_term_modifier(in->term_months, term) < 0 || !e->credit_code || !p->name ||
	    !in->start_date)
		return -EAGAIN;
	int rc = import_digest_of(in, digest);
	if (rc < 0)
		return rc;
	size_t n = import_tags_suffix(suffix, sizeof suffix, tags, e->tags_year);
	sqlite3_bind_int64(s, 1, seq);
	store_bind_text(s, 2, e->credit_code);
	store_bind_text_or_null(s, 3, e->name);
	store_bind_text_or_null(s, 4, e->region_code);
	store_bind_text_or_null(s, 5, e->industry_code);
	store_bind_text_or_null(s, 6, e->size);
	store_bind_text_or_null(s, 7, e->nature);
	store_bind_long_or_null(s, 8, e->employees);
	store_bind_text_or_null(s, 9, e->main_products);
	store_bind_text_or_null(s, 10, e->contact_name);
	store_bind_text_or_null(s, 11, e->contact_phone);
	sqlite3_bind_int(s, 12, (int)tags);
	sqlite3_bind_int(s, 13, e->tags_year);
	sqlite3_bind_text(s, 14, suffix, (int)n, SQLITE_TRANSIENT);
	store_bind_text(s, 15, p->name);
	store_bind_text_or_null(s, 16, p->gender);
	store_bind_text_or_null(s, 17, p->birth_date);
	store_bind_text_or_null(s, 18, p->education);
	store_bind_text_or_null(s, 19, p->major);
	store_bind_long_or_null(s, 20, p->quality_years);
	store_bind_text_or_null(s, 21, p->position);
	store_bind_text_or_null(s, 22, p->title);
	store_bind_text_or_null(s, 23, p->phone);
	store_bind_text_or_null(s, 24, p->email);
	store_bind_text_or_null(s, 25, p->resume);
	store_bind_text_or_null(s, 26, in->doc_no);
	store_bind_text(s, 27, in->start_date);
	store_bind_text_or_null(s, 28, in->term_end);
	sqlite3_bind_text(s, 29, term, -1, SQLITE_TRANSIENT);
	store_bind_text_or_null(s, 30, in->status);
	store_bind_text_or_null(s, 31, in->ended_on);
	store_bind_text_or_null(s, 32, in->end_reason);
	store_bind_text_or_null(s, 33, in->remarks);
	sqlite3_bind_blob(s, 34, digest, sizeof digest, SQLITE_TRANSIENT);
	return store_step_done(st, s, "import stage row", NULL);
}

static int stage_all(struct store *st, const struct store_import_cqo *const *rows, size_t n)
{
	sqlite3_stmt *s = store_prepare(st, STAGE_INSERT_SQL);
	int rc = store_run(st, STAGE_CLEAR_SQL, "import stage clear");

	if (!s)
		return -EIO;
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = stage(st, s, (int64_t)i + 1, rows[i]);
	return rc;
}

/* The highest ids of enterprises, people and records, bound as ?1..?3 of
 * every statement that writes. */
struct highest {
	int64_t id[3];
};

/* Runs one of the writing statements; a constraint the schema still
 * enforces gives -EAGAIN. */
static int write_all(struct store *st, const char *sql, const struct highest *h, int64_t at,
                     const struct store_actor *who, const char *filed_by)
{
	sqlite3_stmt *s = store_prepare(st, sql);

	if (!s)
		return -EIO;
	for (int i = 0; i < 3; i++)
		sqlite3_bind_int64(s, i + 1, h->id[i]);
	sqlite3_bind_int64(s, 4, at);
	if (sql == AUDIT_SQL) {
		store_bind_text(s, 5, who->platform);
		store_bind_text(s, 6, who->user_id);
		store_bind_text(s, 7, who->chat_id);
		store_bind_text(s, 8, who->command ? who->command : "");
		store_bind_text(s, 9, who->tenant);
	} else if (sql == APPOINTMENTS_SQL) {
		store_bind_text(s, 5, filed_by);
	}
	int rc = store_step_done(st, s, "import new rows", NULL);
	return rc == -EEXIST || rc == -EINVAL ? -EAGAIN : rc;
}

static int write_new(struct store *st, const struct store_actor *who,
                     const struct store_import_cqo *const *rows, size_t n, int64_t now)
{
	static const char *const sql[] = {ENTERPRISES_SQL, TAGS_SQL, PEOPLE_SQL, APPOINTMENTS_SQL,
	                                  DIGESTS_SQL};
	struct highest h;
	char filed_by[192];
	int64_t not_new;
	sqlite3_stmt *s;
	int rc = stage_all(st, rows, n);

	if (rc == 0 && !(s = store_prepare(st, STAGE_NOT_NEW_SQL)))
		rc = -EIO;
	if (rc == 0 && (rc = store_step_count(st, s, "import stage check", &not_new)) == 0 &&
	    not_new > 0)
		rc = -EAGAIN;
	if (rc == 0)
		rc = import_highest_ids(st, h.id);
	store_actor_label(who, filed_by, sizeof filed_by);
	for (size_t i = 0; rc == 0 && i < sizeof sql / sizeof sql[0]; i++)
		rc = write_all(st, sql[i], &h, now, who, filed_by);
	/* The daemon's clock, as store_audit_add stamps audit rows. */
	if (rc == 0)
		rc = write_all(st, AUDIT_SQL, &h, clock_now(), who, filed_by);
	return rc;
}

int store_import_cqos_new(struct store *st, const struct store_actor *who,
                          const struct store_import_cqo *const *rows, size_t n, int64_t now)
{
	if (n == 0)
		return 0;
	int rc = store_savepoint(st);

	return rc ? rc : store_savepoint_end(st, write_new(st, who, rows, n, now));
}
