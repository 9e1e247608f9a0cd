/* Appointment statistics; see store_stats.h. */
#include "store_stats.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_audit.h"
#include "store_internal.h"
#include "store_lists.h"
#include "store_target.h"

/* ?1, ?2 the region-code range; ?3 the length of a row's code; ?4 the date
 * counted; ?5, ?6 the first days of the year and of the next; ?7 the
 * category; ?8 the annual list's year.
 *
 * One pass over the members' appointments and terms, grouped by enterprise,
 * gives each its CQO and its terms starting in the year by kind: the CQO is
 * the person of the latest-starting term that covers the date of an
 * appointment not ended before it (cqo_start NULL: none). With exactly one
 * max() in the group, SQLite takes the bare a.person_id from the row that
 * max() chose, and never from a row whose value it ignored as NULL once
 * one was chosen. Each appointment and term is read once (a subquery per
 * figure read them four times, and the CQO's ran once per use). A CQO
 * counts as trained by the person's 任职培训 up to the date, wherever it
 * was recorded. */
#define COVERS \
	"t.start_date <= ?4 AND t.term_end >= ?4 AND (a.ended_on IS NULL OR a.ended_on >= ?4)"
#define STARTS "t.start_date >= ?5 AND t.start_date < ?6 AND "
#define STATS_PER_ENTERPRISE \
	"SELECT substr(e.region_code, 1, ?3) AS child, a.person_id AS cqo," \
	" max(CASE WHEN " COVERS " THEN t.start_date END) AS cqo_start," \
	" sum(" STARTS "t.term_no = 1 AND a.predecessor_id IS NULL) AS firsts," \
	" sum(" STARTS "t.term_no >= 2) AS renewals," \
	" sum(" STARTS "t.term_no = 1 AND a.predecessor_id IS NOT NULL) AS replacements" \
	" FROM enterprises e LEFT JOIN appointments a ON a.enterprise_id = e.id" \
	" LEFT JOIN appointment_terms t ON t.appointment_id = a.id" \
	" WHERE e.region_code >= ?1 AND e.region_code < ?2"
/* `group` follows the order the members come in, so no sort is needed. */
#define STATS_SQL(members, group) \
	"SELECT c.child, coalesce(r.name, ''), c.n, c.appointed, c.trained, c.firsts," \
	" c.renewals, c.replacements FROM (SELECT x.child, count(*) AS n," \
	" count(x.cqo_start) AS appointed, coalesce(sum(x.cqo_start IS NOT NULL AND EXISTS" \
	"  (SELECT 1 FROM trainings tr WHERE tr.person_id = x.cqo AND tr.kind = '任职培训'" \
	"   AND tr.date <= ?4)), 0) AS trained, coalesce(sum(x.firsts), 0) AS firsts," \
	" coalesce(sum(x.renewals), 0) AS renewals," \
	" coalesce(sum(x.replacements), 0) AS replacements" \
	" FROM (" STATS_PER_ENTERPRISE members " GROUP BY " group ") x GROUP BY x.child) c" \
	" LEFT JOIN regions r ON r.code = c.child ORDER BY c.child"
/* Of the category in the year: an undated tag or on the list used. */
#define TAGGED "g.tag = ?7 AND g.year IN (0, ?8)"

/* Within a region, start from its enterprises (region index, in region
 * order); for the whole country, from the category's (tag index, in record
 * order). */
static const char STATS_REGION_SQL[] = STATS_SQL(
	" AND EXISTS (SELECT 1 FROM enterprise_tags g WHERE g.enterprise_id = e.id"
	" AND " TAGGED ")", "e.region_code, e.id");
static const char STATS_COUNTRY_SQL[] = STATS_SQL(
	" AND e.id IN (SELECT g.enterprise_id FROM enterprise_tags g WHERE " TAGGED ")", "e.id");
/* 中小企业 by size. */
static const char STATS_SME_SQL[] = STATS_SQL(" AND e.size IN ('中型', '小微')", "e.id");

/* The newest annual list of the category up to the year among the region's
 * enterprises. */
static const char LIST_YEAR_SQL[] =
	"SELECT coalesce(max(g.year), 0) FROM enterprise_tags g"
	" JOIN enterprises e ON e.id = g.enterprise_id"
	" WHERE g.tag = ?1 AND g.year BETWEEN 1 AND ?2 AND e.region_code >= ?3"
	" AND e.region_code < ?4";

bool store_stats_category_valid(const char *category)
{
	return store_category_valid(category) ||
	       (category && strcmp(category, STORE_STATS_SME) == 0);
}

static int goal_get(struct store *st, const struct store_stats *s, const char *region,
                    enum store_target_metric m, struct store_stats_goal *g)
{
	int rc = store_target_get(st, region, s->category, s->year, m, &g->value, g->region);
	g->set = rc == 0;
	return rc == -ENOENT ? 0 : rc;
}

static int row_target(struct store *st, const struct store_stats *s, struct store_stats_row *r)
{
	struct store_stats_goal rate = {0};
	int rc = goal_get(st, s, r->region_code, STORE_TARGET_RATE, &rate);

	r->has_target = rate.set;
	r->target = rate.value;
	memcpy(r->target_region, rate.region, sizeof r->target_region);
	if (rc == 0)
		rc = goal_get(st, s, r->region_code, STORE_TARGET_TRAINED, &r->trained_goal);
	if (rc == 0)
		rc = goal_get(st, s, r->region_code, STORE_TARGET_NEW_FILINGS, &r->new_goal);
	return rc;
}

static int append_row(struct store_stats *s, size_t *cap, sqlite3_stmt *q)
{
	if (s->n_rows == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		struct store_stats_row *rows = realloc(s->rows, ncap * sizeof *rows);
		if (!rows)
			return -ENOMEM;
		s->rows = rows;
		*cap = ncap;
	}
	struct store_stats_row *r = &s->rows[s->n_rows++];
	memset(r, 0, sizeof *r);
	store_col_text(q, 0, r->region_code, sizeof r->region_code);
	store_col_text(q, 1, r->region_name, sizeof r->region_name);
	r->enterprises = sqlite3_column_int64(q, 2);
	r->appointed = sqlite3_column_int64(q, 3);
	r->trained = sqlite3_column_int64(q, 4);
	r->new_filings = sqlite3_column_int64(q, 5);
	r->renewals = sqlite3_column_int64(q, 6);
	r->replacements = sqlite3_column_int64(q, 7);
	return 0;
}

static int list_year(struct store *st, struct store_stats *s, const char *lo, const char *hi)
{
	if (strcmp(s->category, STORE_STATS_SME) == 0)
		return 0;
	sqlite3_stmt *q = store_prepare(st, LIST_YEAR_SQL);
	if (!q)
		return -EIO;
	store_bind_text(q, 1, s->category);
	sqlite3_bind_int(q, 2, s->year);
	store_bind_text(q, 3, lo);
	store_bind_text(q, 4, hi);
	int64_t y = 0;
	int rc = store_step_count(st, q, "stats list year", &y);
	s->list_year = (int)y;
	return rc;
}

/* Runs the aggregate query into s->rows. */
static int stats_rows(struct store *st, struct store_stats *s)
{
	char lo[8], hi[8], from[24], to[24];
	size_t len = strlen(s->region_code), cap = 0;
	int rc;

	if (store_scope_range(s->region_code, lo, hi) < 0)
		return -EINVAL;
	if ((rc = list_year(st, s, lo, hi)) < 0)
		return rc;
	snprintf(from, sizeof from, "%04d-01-01", s->year);
	snprintf(to, sizeof to, "%04d-01-01", s->year + 1);
	const char *sql = strcmp(s->category, STORE_STATS_SME) == 0 ? STATS_SME_SQL
	                  : len ? STATS_REGION_SQL : STATS_COUNTRY_SQL;
	sqlite3_stmt *q = store_prepare(st, sql);
	if (!q)
		return -EIO;
	store_bind_text(q, 1, lo);
	store_bind_text(q, 2, hi);
	sqlite3_bind_int(q, 3, len < 6 ? (int)len + 2 : 6);
	store_bind_text(q, 4, s->as_of);
	store_bind_text(q, 5, from);
	store_bind_text(q, 6, to);
	store_bind_text(q, 7, s->category);
	sqlite3_bind_int(q, 8, s->list_year);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		rc = append_row(s, &cap, q);
		if (rc < 0)
			break;
	}
	store_stmt_done(q);
	if (rc == SQLITE_DONE)
		return 0;
	return rc == -ENOMEM ? rc : store_fail(st, "stats", rc);
}

int store_stats_compute(struct store *st, const char *region, const char *category, int year,
                        const char *today, struct store_stats *out)
{
	memset(out, 0, sizeof *out);
	if (!region || strlen(region) >= sizeof out->region_code ||
	    !store_stats_category_valid(category) || year < 1000 || year > 9998 || !today ||
	    strlen(today) != 10)
		return -EINVAL;
	snprintf(out->region_code, sizeof out->region_code, "%s", region);
	snprintf(out->category, sizeof out->category, "%s", category);
	out->year = year;
	snprintf(out->as_of, sizeof out->as_of, "%04d-12-31", year);
	if (strcmp(today, out->as_of) < 0)
		memcpy(out->as_of, today, sizeof out->as_of);

	int rc = stats_rows(st, out);
	struct store_stats_row *t = &out->total;
	snprintf(t->region_code, sizeof t->region_code, "%s", region);
	if (rc == 0 && *region) {
		rc = store_region_name(st, region, t->region_name, sizeof t->region_name);
		if (rc == -ENOENT)
			rc = 0;
	}
	for (size_t i = 0; rc == 0 && i < out->n_rows; i++) {
		const struct store_stats_row *r = &out->rows[i];
		t->enterprises += r->enterprises;
		t->appointed += r->appointed;
		t->trained += r->trained;
		t->new_filings += r->new_filings;
		t->renewals += r->renewals;
		t->replacements += r->replacements;
		rc = row_target(st, out, &out->rows[i]);
	}
	if (rc == 0)
		rc = row_target(st, out, t);
	if (rc < 0)
		store_stats_free(out);
	return rc;
}

void store_stats_free(struct store_stats *s)
{
	free(s->rows);
	s->rows = NULL;
	s->n_rows = 0;
}

double store_stats_rate(const struct store_stats_row *r)
{
	return r->enterprises > 0 ? (double)r->appointed / (double)r->enterprises : 0;
}

double store_stats_gap(const struct store_stats_row *r)
{
	if (!r->has_target)
		return 0;
	/* Met exactly when appointed >= target * enterprises; the small slack
	 * keeps a target such as 0.05 of 20 enterprises met by 1. */
	double need = r->target * (double)r->enterprises;
	if ((double)r->appointed + 1e-9 >= need)
		return 0;
	return r->target - store_stats_rate(r);
}

double store_stats_trained_share(const struct store_stats_row *r)
{
	return r->appointed > 0 ? (double)r->trained / (double)r->appointed : 0;
}

double store_stats_trained_gap(const struct store_stats_row *r)
{
	if (!r->trained_goal.set)
		return 0;
	/* As store_stats_gap: met when trained >= goal * appointed. */
	double need = r->trained_goal.value * (double)r->appointed;
	if ((double)r->trained + 1e-9 >= need)
		return 0;
	return r->trained_goal.value - store_stats_trained_share(r);
}

int64_t store_stats_new_gap(const struct store_stats_row *r)
{
	if (!r->new_goal.set)
		return 0;
	int64_t want = (int64_t)r->new_goal.value;
	return r->new_filings < want ? want - r->new_filings : 0;
}
