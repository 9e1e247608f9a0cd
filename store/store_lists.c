/*
 * The clerks' work lists; see store_lists.h.
 *
 * Each list has a count statement and a page statement sharing one layout of
 * parameters: ?1 and ?2 the region-code range of the scope, ?3 and ?4 the
 * list's own (dates, a category), ?5 and ?6 the page's LIMIT and OFFSET.
 * Most lists have two versions fixing the join order (CROSS JOIN): within a
 * region they start from its enterprises by the region index, so a county's
 * list costs what the county holds; everywhere they start from the table or
 * index that leads best over the whole registry. 未培训 depends on
 * per-region policy, so it is filtered in C instead (store_list_untrained).
 */
#include "store_lists.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/clock.h"
#include "../lib/remind.h"
#include "store_internal.h"
#include "store_policy.h"

#define IN_SCOPE "e.region_code >= ?1 AND e.region_code < ?2"
#define CQO_COLUMNS "a.id, p.name, e.name, e.region_code, coalesce(r.name, ''), a.term_end"
#define CQO_JOINS \
	" CROSS JOIN people p ON p.id = a.person_id LEFT JOIN regions r ON r.code = e.region_code"
/* Join orders: from the appointments (everywhere, or led by another index)
 * or from the scope's enterprises (the region index). */
#define FROM_APPOINTMENTS " FROM appointments a CROSS JOIN enterprises e ON e.id = a.enterprise_id"
#define FROM_REGION " FROM enterprises e CROSS JOIN appointments a ON a.enterprise_id = e.id"
#define PAGE " LIMIT ?5 OFFSET ?6"

static const char *const categories[] = {
	"规上", "链主", "好品", "质量奖", "专精特新", "标杆", "食品", "药品", "特种设备",
};

bool store_category_valid(const char *category)
{
	for (size_t i = 0; category && i < sizeof categories / sizeof categories[0]; i++) {
		if (strcmp(category, categories[i]) == 0)
			return true;
	}
	return false;
}

int store_scope_range(const char *scope, char lo[8], char hi[8])
{
	size_t len = scope ? strlen(scope) : 7;

	if (len != 0 && len != 2 && len != 4 && len != 6)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		if (scope[i] < '0' || scope[i] > '9')
			return -EINVAL;
	}
	memcpy(lo, scope, len + 1);
	if (len == 0) {
		hi[0] = ':';
		hi[1] = '\0';
		return 0;
	}
	memcpy(hi, scope, len + 1);
	hi[len - 1]++;
	return 0;
}

/* A list's count and page statements. */
struct list_sql {
	const char *count, *page;
};
enum { EVERYWHERE, IN_REGION };

/* One list: its statements for everywhere and for a region, its own
 * parameters, and how a row is read. */
struct list_query {
	const struct list_sql *sql[2];                   /* [EVERYWHERE], [IN_REGION] */
	const char *p3, *p4;                             /* ?3, ?4 or NULL */
	void (*read)(sqlite3_stmt *s, void *out, size_t i);
};

static int bind_common(sqlite3_stmt *s, const char *lo, const char *hi,
                       const struct list_query *q)
{
	int rc = store_bind_text(s, 1, lo);
	if (rc == SQLITE_OK)
		rc = store_bind_text(s, 2, hi);
	if (rc == SQLITE_OK && q->p3)
		rc = store_bind_text(s, 3, q->p3);
	if (rc == SQLITE_OK && q->p4)
		rc = store_bind_text(s, 4, q->p4);
	return rc;
}

static int list_run(struct store *st, const struct list_query *q, const char *scope,
                    size_t offset, void *out, size_t max, size_t *n, size_t *total)
{
	char lo[8], hi[8];
	sqlite3_stmt *s;
	int rc;

	*n = *total = 0;
	if (store_scope_range(scope, lo, hi) < 0 || (max > 0 && !out))
		return -EINVAL;
	const struct list_sql *sql = q->sql[*scope ? IN_REGION : EVERYWHERE];
	if (!(s = store_prepare(st, sql->count)))
		return -EIO;
	rc = bind_common(s, lo, hi, q);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*total = (size_t)sqlite3_column_int64(s, 0);
	store_stmt_done(s);
	if (rc != SQLITE_ROW)
		return store_fail(st, "list count", rc);
	if (max == 0 || offset >= *total)
		return 0;

	if (!(s = store_prepare(st, sql->page)))
		return -EIO;
	rc = bind_common(s, lo, hi, q);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(s, 5, max > INT32_MAX ? INT32_MAX : (sqlite3_int64)max);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(s, 6, (sqlite3_int64)offset);
	while (rc == SQLITE_OK && *n < max && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		q->read(s, out, (*n)++);
		rc = SQLITE_OK;
	}
	store_stmt_done(s);
	return rc == SQLITE_OK || rc == SQLITE_DONE ? 0 : store_fail(st, "list page", rc);
}

/* Columns col.. col+5 as laid out by CQO_COLUMNS. */
static void read_cqo_at(sqlite3_stmt *s, int col, struct store_list_cqo *c)
{
	c->appointment_id = sqlite3_column_int64(s, col);
	store_col_text(s, col + 1, c->person_name, sizeof c->person_name);
	store_col_text(s, col + 2, c->enterprise_name, sizeof c->enterprise_name);
	store_col_text(s, col + 3, c->region_code, sizeof c->region_code);
	store_col_text(s, col + 4, c->region_name, sizeof c->region_name);
	store_col_text(s, col + 5, c->term_end, sizeof c->term_end);
}

static void read_cqo(sqlite3_stmt *s, void *out, size_t i)
{
	read_cqo_at(s, 0, (struct store_list_cqo *)out + i);
}

/* ---- 到期 ---- */

/* The index on the active terms' end leads in both cases. */
#define EXPIRING_WHERE \
	" WHERE a.status = 'active' AND a.term_end >= ?3 AND a.term_end <= ?4 AND " IN_SCOPE

static const struct list_sql expiring_sql = {
	"SELECT count(*)" FROM_APPOINTMENTS EXPIRING_WHERE,
	"SELECT " CQO_COLUMNS FROM_APPOINTMENTS CQO_JOINS EXPIRING_WHERE
	" ORDER BY a.term_end, a.id" PAGE,
};

int store_list_expiring(struct store *st, const char *scope, const char *from, const char *to,
                        size_t offset, struct store_list_cqo *out, size_t max, size_t *n,
                        size_t *total)
{
	const struct list_query q = {{&expiring_sql, &expiring_sql}, from, to, read_cqo};

	if (!store_is_date(from) || !store_is_date(to)) {
		*n = *total = 0;
		return -EINVAL;
	}
	return list_run(st, &q, scope, offset, out, max, n, total);
}

/* ---- 逾期 ---- */

/* The newest filing of its enterprise: a successor would be newer. */
#define OVERDUE_WHERE \
	" WHERE a.status IN ('active', 'ended') AND a.term_end < ?3 AND " IN_SCOPE \
	" AND NOT EXISTS (SELECT 1 FROM appointments b" \
	"  WHERE b.enterprise_id = a.enterprise_id AND b.id > a.id)"
#define OVERDUE_SQL(from) { \
	"SELECT count(*)" from OVERDUE_WHERE, \
	"SELECT " CQO_COLUMNS from CQO_JOINS OVERDUE_WHERE " ORDER BY a.term_end, a.id" PAGE}

static const struct list_sql overdue_all_sql = OVERDUE_SQL(FROM_APPOINTMENTS);
static const struct list_sql overdue_region_sql = OVERDUE_SQL(FROM_REGION);

int store_list_overdue(struct store *st, const char *scope, const char *today, size_t offset,
                       struct store_list_cqo *out, size_t max, size_t *n, size_t *total)
{
	const struct list_query q = {{&overdue_all_sql, &overdue_region_sql}, today, NULL,
	                             read_cqo};

	if (!store_is_date(today)) {
		*n = *total = 0;
		return -EINVAL;
	}
	return list_run(st, &q, scope, offset, out, max, n, total);
}

/* ---- 处理名单 ---- */

#define SANCTIONS_WHERE " WHERE s.status = 'open' AND " IN_SCOPE
#define SANCTIONS_SQL(from) { \
	"SELECT count(*)" from SANCTIONS_WHERE, \
	"SELECT " CQO_COLUMNS ", s.id, s.kind, coalesce(s.ground, ''), s.issued_on" \
	from CQO_JOINS SANCTIONS_WHERE " ORDER BY s.issued_on DESC, s.id DESC" PAGE}

static const struct list_sql sanctions_all_sql = SANCTIONS_SQL(
	" FROM sanctions s CROSS JOIN appointments a ON a.id = s.appointment_id"
	" CROSS JOIN enterprises e ON e.id = a.enterprise_id");
static const struct list_sql sanctions_region_sql = SANCTIONS_SQL(
	FROM_REGION " CROSS JOIN sanctions s ON s.appointment_id = a.id");

static void read_sanction(sqlite3_stmt *s, void *out, size_t i)
{
	struct store_list_sanction *r = (struct store_list_sanction *)out + i;

	read_cqo_at(s, 0, &r->cqo);
	r->sanction_id = sqlite3_column_int64(s, 6);
	store_col_text(s, 7, r->kind, sizeof r->kind);
	store_col_text(s, 8, r->ground, sizeof r->ground);
	store_col_text(s, 9, r->issued_on, sizeof r->issued_on);
}

int store_list_sanctions(struct store *st, const char *scope, size_t offset,
                         struct store_list_sanction *out, size_t max, size_t *n,
                         size_t *total)
{
	const struct list_query q = {{&sanctions_all_sql, &sanctions_region_sql}, NULL, NULL,
	                             read_sanction};
	return list_run(st, &q, scope, offset, out, max, n, total);
}

/* ---- 空缺 ---- */

/* Within a region, walk its enterprises in region order (the region index
 * gives that order) and keep those with the tag; everywhere, start from the
 * tag's enterprises (tag index) and sort the few vacant ones. */
#define VACANT_WHERE(member) \
	" WHERE " IN_SCOPE member " AND NOT EXISTS (SELECT 1 FROM appointments x" \
	"  WHERE x.enterprise_id = e.id AND x.status = 'active')"
#define VACANT_SQL(from, member) { \
	"SELECT count(*)" from VACANT_WHERE(member), \
	"SELECT e.id, e.name, e.credit_code, e.region_code, coalesce(r.name, '')," \
	" coalesce(l.id, 0), coalesce(lp.name, ''), coalesce(l.ended_on, '')" \
	from \
	" LEFT JOIN appointments l" \
	"  ON l.id = (SELECT max(y.id) FROM appointments y WHERE y.enterprise_id = e.id)" \
	" LEFT JOIN people lp ON lp.id = l.person_id" \
	" LEFT JOIN regions r ON r.code = e.region_code" \
	VACANT_WHERE(member) " ORDER BY e.region_code, e.id" PAGE}

/* Of the category today: an undated tag, or on the newest annual list. */
#define VACANT_LIST_YEARS \
	" year IN (0, (SELECT max(year) FROM enterprise_tags WHERE tag = ?3))"
static const struct list_sql vacant_all_sql = VACANT_SQL(
	" FROM (SELECT DISTINCT enterprise_id FROM enterprise_tags WHERE tag = ?3 AND"
	VACANT_LIST_YEARS ") g CROSS JOIN enterprises e ON e.id = g.enterprise_id", "");
static const struct list_sql vacant_region_sql = VACANT_SQL(
	" FROM enterprises e", " AND EXISTS (SELECT 1 FROM enterprise_tags g"
	" WHERE g.enterprise_id = e.id AND g.tag = ?3 AND" VACANT_LIST_YEARS ")");

static void read_vacant(sqlite3_stmt *s, void *out, size_t i)
{
	struct store_list_vacant *v = (struct store_list_vacant *)out + i;

	v->enterprise_id = sqlite3_column_int64(s, 0);
	store_col_text(s, 1, v->enterprise_name, sizeof v->enterprise_name);
	store_col_text(s, 2, v->credit_code, sizeof v->credit_code);
	store_col_text(s, 3, v->region_code, sizeof v->region_code);
	store_col_text(s, 4, v->region_name, sizeof v->region_name);
	v->last_appointment_id = sqlite3_column_int64(s, 5);
	store_col_text(s, 6, v->last_person, sizeof v->last_person);
	store_col_text(s, 7, v->last_ended_on, sizeof v->last_ended_on);
}

int store_list_vacant(struct store *st, const char *scope, const char *category, size_t offset,
                      struct store_list_vacant *out, size_t max, size_t *n, size_t *total)
{
	const struct list_query q = {{&vacant_all_sql, &vacant_region_sql}, category, NULL,
	                             read_vacant};

	if (!store_category_valid(category)) {
		*n = *total = 0;
		return -EINVAL;
	}
	return list_run(st, &q, scope, offset, out, max, n, total);
}

/* ---- 未培训 ----
 *
 * The annual hours and the appointment-training rule come from the policy of
 * each enterprise's region (store_policy_for_region), so the filter runs in
 * C with the policies cached per region code: one pass over the active
 * appointments of the scope reads their region, hours and training only,
 * and the names of the rows on the page are fetched afterwards by record
 * number. Everywhere, the pass walks appointments in record order; within a
 * scope it starts from the scope's enterprises (region index) and sorts
 * those few. */

/* The year's hours per kind, in the order of remind_hours_kinds' bits (which
 * of them count is the policy's, known in C), and whether the person has a
 * 任职培训 at all: one join of the person's trainings (covering index),
 * grouped by appointment, reads each training once, where a subquery per
 * figure read them four times. */
#define UNTRAINED_HOURS(kind) \
	" total(CASE WHEN t.date >= ?3 AND t.date < ?4 AND t.kind = '" kind "'" \
	"  THEN t.hours END),"
#define UNTRAINED_COLUMNS \
	"SELECT a.id, e.region_code," \
	UNTRAINED_HOURS("任职培训") UNTRAINED_HOURS("继续教育") UNTRAINED_HOURS("线上自学") \
	" coalesce(max(t.kind = '任职培训'), 0), a.start_date"
#define UNTRAINED_WHERE \
	" LEFT JOIN trainings t ON t.person_id = a.person_id" \
	" WHERE a.status = 'active' AND " IN_SCOPE " GROUP BY a.id ORDER BY a.id"

static const char UNTRAINED_ALL_SQL[] = UNTRAINED_COLUMNS FROM_APPOINTMENTS UNTRAINED_WHERE;
static const char UNTRAINED_SCOPE_SQL[] = UNTRAINED_COLUMNS FROM_REGION UNTRAINED_WHERE;

static const char CQO_BY_ID_SQL[] =
	"SELECT " CQO_COLUMNS FROM_APPOINTMENTS CQO_JOINS " WHERE a.id = ?1";

/* More regions than GB/T 2260 has, so the table never fills in practice;
 * a region that finds it full is looked up uncached. */
#define POLICY_SLOTS 4096

struct policy_slot {
	char code[8];        /* "" = free */
	double hours;
	unsigned kinds;      /* remind_hours_kinds() */
	bool prorate;
	bool require_training;
};

static size_t code_hash(const char *s)
{
	size_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static int policy_fetch(struct store *st, const char *code, struct policy_slot *out)
{
	struct store_policy p;
	int rc = store_policy_for_region(st, code, &p);
	if (rc == 0) {
		out->hours = p.annual_hours;
		out->kinds = remind_hours_kinds(p.hours_kinds);
		out->prorate = p.hours_prorate;
		out->require_training = p.require_appointment_training;
	}
	return rc;
}

/* The policy numbers of region `code`, from the cache `slots` or the store. */
static int policy_of(struct store *st, struct policy_slot *slots, const char *code,
                     struct policy_slot *out)
{
	size_t h = code_hash(code), len = strlen(code);

	if (len >= sizeof slots->code)
		return policy_fetch(st, code, out);
	for (size_t i = 0; i < POLICY_SLOTS; i++) {
		struct policy_slot *p = &slots[(h + i) & (POLICY_SLOTS - 1)];
		if (p->code[0] && strcmp(p->code, code) == 0) {
			*out = *p;
			return 0;
		}
		if (!p->code[0]) {
			int rc = policy_fetch(st, code, p);
			if (rc == 0) {
				memcpy(p->code, code, len + 1);
				*out = *p;
			}
			return rc;
		}
	}
	return policy_fetch(st, code, out);
}

static int cqo_by_id(struct store *st, int64_t id, struct store_list_cqo *out)
{
	sqlite3_stmt *s = store_prepare(st, CQO_BY_ID_SQL);
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		read_cqo_at(s, 0, out);
	store_stmt_done(s);
	if (rc == SQLITE_DONE)
		return -ENOENT;
	return rc == SQLITE_ROW ? 0 : store_fail(st, "list record", rc);
}

/* The pass over the scope: counts every short row and keeps the numbers of
 * those on the page. `slots` is the caller's zeroed policy cache. */
static int untrained_pass(struct store *st, sqlite3_stmt *s, struct policy_slot *slots,
                          int year, size_t offset, struct store_list_untrained *out,
                          size_t max, size_t *n, size_t *total)
{
	int rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct policy_slot pol = {.hours = 0};
		char code[16];
		double hours = 0, required;
		bool trained = sqlite3_column_int(s, 5) != 0;
		int64_t start = 0;
		char start_date[16];

		store_col_text(s, 1, code, sizeof code);
		int prc = policy_of(st, slots, code, &pol);
		if (prc < 0)
			return prc;
		for (int k = 0; k < 3; k++)
			if (pol.kinds & (1u << k))
				hours += sqlite3_column_double(s, 2 + k);
		store_col_text(s, 6, start_date, sizeof start_date);
		bool prorate = pol.prorate && clock_parse_date(start_date, &start) == 0;
		required = remind_hours_required(pol.hours, prorate, start, year);
		bool missing = pol.require_training && !trained;
		/* Sums of tenths are not exact in binary: allow for the rounding. */
		bool short_hours = hours + 1e-6 < required;
		if (!missing && !short_hours)
			continue;
		if (*total >= offset && *n < max) {
			struct store_list_untrained *u = &out[(*n)++];
			memset(u, 0, sizeof *u);
			u->cqo.appointment_id = sqlite3_column_int64(s, 0);
			u->no_appointment_training = missing;
			u->hours_short = short_hours;
			u->hours = hours;
			u->required_hours = required;
		}
		(*total)++;
	}
	return rc == SQLITE_DONE ? 0 : store_fail(st, "untrained", rc);
}

int store_list_untrained(struct store *st, const char *scope, int year, size_t offset,
                         struct store_list_untrained *out, size_t max, size_t *n,
                         size_t *total)
{
	char lo[8], hi[8], from[24], to[24];
	int rc;

	*n = *total = 0;
	if (store_scope_range(scope, lo, hi) < 0 || year < 1000 || year > 9998 ||
	    (max > 0 && !out))
		return -EINVAL;
	snprintf(from, sizeof from, "%04d-01-01", year);
	snprintf(to, sizeof to, "%04d-01-01", year + 1);
	sqlite3_stmt *s = store_prepare(st, *scope ? UNTRAINED_SCOPE_SQL : UNTRAINED_ALL_SQL);
	struct policy_slot *slots = calloc(POLICY_SLOTS, sizeof *slots);   /* owned here */
	if (!s || !slots) {
		free(slots);
		return s ? -ENOMEM : -EIO;
	}
	store_bind_text(s, 1, lo);
	store_bind_text(s, 2, hi);
	store_bind_text(s, 3, from);
	store_bind_text(s, 4, to);
	rc = untrained_pass(st, s, slots, year, offset, out, max, n, total);
	store_stmt_done(s);
	free(slots);
	for (size_t i = 0; rc == 0 && i < *n; i++)
		rc = cqo_by_id(st, out[i].cqo.appointment_id, &out[i].cqo);
	if (rc < 0)
		*n = *total = 0;
	return rc;
}
