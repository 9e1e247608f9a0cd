/* Reading rows out for cqoctl export; see store_export.h. Column aliases
 * are the keys of handlers/import_row.c. */
#include "store_export.h"

#include <errno.h>
#include <string.h>

#include "store_internal.h"
#include "store_lists.h"

#define MAX_COLUMNS 40

/* An enterprise's categories as "规上;专精特新", in the schema's order. */
#define CATEGORIES(E) \
	"(SELECT group_concat(tag, ';') FROM (SELECT DISTINCT tag FROM enterprise_tags" \
	" WHERE enterprise_id = " E ".id ORDER BY CASE tag WHEN '规上' THEN 1 WHEN '链主' THEN 2" \
	" WHEN '好品' THEN 3 WHEN '质量奖' THEN 4 WHEN '专精特新' THEN 5 WHEN '标杆' THEN 6" \
	" WHEN '食品' THEN 7 WHEN '药品' THEN 8 ELSE 9 END))"
/* Unix seconds as China Standard Time "YYYY-MM-DD HH:MM". */
#define CST_MINUTE(X) \
	"CASE WHEN " X " IS NULL THEN NULL" \
	" ELSE strftime('%Y-%m-%d %H:%M', " X " + 28800, 'unixepoch') END"
#define IN_SCOPE " e.region_code >= ?1 AND e.region_code < ?2"

static const char ENTERPRISES_SQL[] =
	"SELECT e.credit_code AS credit_code, e.name AS enterprise, e.region_code AS region_code,"
	" r.name AS region_name, e.industry_code AS industry_code, e.employees AS employees,"
	" e.nature AS nature, e.size AS size, e.main_products AS main_products,"
	" e.contact_name AS contact_name, e.contact_phone AS contact_phone,"
	" " CATEGORIES("e") " AS categories"
	" FROM enterprises e LEFT JOIN regions r ON r.code = e.region_code"
	" WHERE" IN_SCOPE " ORDER BY e.credit_code";

static const char REGISTRY_SQL[] =
	"SELECT a.id AS record_id, p.name AS name, p.gender AS gender, p.birth_date AS birth_date,"
	" p.education AS education, p.major AS major, p.quality_years AS quality_years,"
	" p.position AS position, p.title AS title, p.phone AS phone, p.email AS email,"
	" e.name AS enterprise, e.credit_code AS credit_code, e.region_code AS region_code,"
	" r.name AS region_name, e.industry_code AS industry_code, e.employees AS employees,"
	" e.nature AS nature, e.size AS size, e.main_products AS main_products,"
	" " CATEGORIES("e") " AS categories, a.doc_no AS doc_no, a.start_date AS start_date,"
	" a.term_end AS term_end, a.status AS status, a.ended_on AS ended_on,"
	" a.end_reason AS end_reason, a.remarks AS remarks, p.resume AS resume"
	" FROM appointments a JOIN enterprises e ON e.id = a.enterprise_id"
	" JOIN people p ON p.id = a.person_id LEFT JOIN regions r ON r.code = e.region_code"
	" WHERE" IN_SCOPE " ORDER BY a.id";

/* A training recorded without a record counts under its person's newest. */
static const char TRAININGS_SQL[] =
	"SELECT a.id AS record_id, p.name AS name, e.credit_code AS credit_code,"
	" e.name AS enterprise, t.kind AS kind, t.date AS date, t.hours AS hours,"
	" t.certificate_no AS certificate_no, t.institution AS institution, t.level AS level,"
	" t.tier AS tier"
	" FROM trainings t JOIN people p ON p.id = t.person_id"
	" JOIN appointments a ON a.id = coalesce(t.appointment_id,"
	"   (SELECT max(b.id) FROM appointments b WHERE b.person_id = t.person_id))"
	" JOIN enterprises e ON e.id = a.enterprise_id"
	" WHERE" IN_SCOPE " ORDER BY a.id, t.date, t.kind, t.id";

static const char SANCTIONS_SQL[] =
	"SELECT s.id AS sanction_id, a.id AS record_id, p.name AS name,"
	" e.credit_code AS credit_code, e.name AS enterprise, s.kind AS kind, s.ground AS ground,"
	" s.reason AS reason, s.issued_on AS issued_on,"
	" " CST_MINUTE("s.scheduled_at") " AS scheduled_at, s.place AS place,"
	" s.rectify_by AS rectify_by, s.status AS status"
	" FROM sanctions s JOIN appointments a ON a.id = s.appointment_id"
	" JOIN people p ON p.id = a.person_id JOIN enterprises e ON e.id = a.enterprise_id"
	" WHERE" IN_SCOPE " ORDER BY s.id";

/* The enterprise shown beside a sign-up: the person's record in force,
 * else their newest. */
static const char SIGNUPS_SQL[] =
	"SELECT ev.id AS event_id, ev.title AS event_title, ev.kind AS event_kind,"
	" " CST_MINUTE("ev.starts_at") " AS starts_at, al.name AS alliance, p.name AS name,"
	" p.phone AS phone,"
	" (SELECT e.name FROM appointments a JOIN enterprises e ON e.id = a.enterprise_id"
	"   WHERE a.person_id = p.id ORDER BY a.status = 'active' DESC, a.id DESC LIMIT 1)"
	"   AS enterprise,"
	" s.status AS status, s.position AS position,"
	" " CST_MINUTE("s.created_at") " AS signed_up_at"
	" FROM signups s JOIN events ev ON ev.id = s.event_id"
	" JOIN alliances al ON al.id = ev.alliance_id JOIN people p ON p.id = s.person_id"
	" WHERE ?1 = 0 OR ev.id = ?1"
	" ORDER BY ev.starts_at, ev.id,"
	" CASE s.status WHEN 'confirmed' THEN 0 WHEN 'waitlist' THEN 1 ELSE 2 END,"
	" s.position, s.created_at, p.id";

static const char *sql_of(enum store_export_what what)
{
	switch (what) {
	case STORE_EXPORT_ENTERPRISES: return ENTERPRISES_SQL;
	case STORE_EXPORT_REGISTRY: return REGISTRY_SQL;
	case STORE_EXPORT_TRAININGS: return TRAININGS_SQL;
	case STORE_EXPORT_SANCTIONS: return SANCTIONS_SQL;
	default: return SIGNUPS_SQL;
	}
}

int store_export(struct store *st, enum store_export_what what, const char *scope,
                 int64_t event_id, store_export_fn fn, void *arg)
{
	const char *keys[MAX_COLUMNS], *values[MAX_COLUMNS];
	char lo[8], hi[8];
	sqlite3_stmt *s;
	int rc, stop = 0;

	if (what != STORE_EXPORT_SIGNUPS && store_scope_range(scope, lo, hi) < 0)
		return -EINVAL;
	if (!(s = store_prepare(st, sql_of(what))))
		return -EIO;
	if (what == STORE_EXPORT_SIGNUPS) {
		sqlite3_bind_int64(s, 1, event_id);
	} else {
		store_bind_text(s, 1, lo);
		store_bind_text(s, 2, hi);
	}
	size_t n = (size_t)sqlite3_column_count(s);
	if (n > MAX_COLUMNS)
		n = MAX_COLUMNS;
	for (size_t i = 0; i < n; i++)
		keys[i] = sqlite3_column_name(s, (int)i);
	while (!stop && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		for (size_t i = 0; i < n; i++)
			values[i] = (const char *)sqlite3_column_text(s, (int)i);
		stop = fn(arg, n, keys, values);
	}
	store_stmt_done(s);
	if (stop)
		return stop;
	return rc == SQLITE_DONE ? 0 : store_fail(st, "export", rc);
}
