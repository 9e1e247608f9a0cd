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

/* ?1, ?2 the region-code range; ?3 the length of a row's code; ?4 the
 * category; ?5, ?6 the first days of the year and of the next. A CQO counts
 * as trained by the person's 任职培训, wherever it was recorded. */
#define STATS_COLUMNS \
	"SELECT substr(e.region_code, 1, ?3) AS child, count(*) AS n, count(a.id) AS appointed," \
	" coalesce(sum(a.id IS NOT NULL AND EXISTS (SELECT 1 FROM trainings t" \
	"   WHERE t.person_id = a.person_id AND t.kind = '任职培训')), 0) AS trained," \
	" coalesce(sum((SELECT count(*) FROM appointments b WHERE b.enterprise_id = e.id" \
	"   AND b.start_date >= ?5 AND b.start_date < ?6)), 0) AS new_filings"
#define STATS_TAIL \
	" LEFT JOIN appointments a ON a.enterprise_id = e.id AND a.status = 'active'" \
	" WHERE e.region_code >= ?1 AND e.region_code < ?2 GROUP BY child"
#define STATS_SQL(from) \
	"SELECT c.child, coalesce(r.name, ''), c.n, c.appointed, c.trained, c.new_filings" \
	" FROM (" STATS_COLUMNS from STATS_TAIL ") c" \
	" LEFT JOIN regions r ON r.code = c.child ORDER BY c.child"

/* Within a region, start from its enterprises (region index); for the whole
 * country, from the category's (tag index). */
static const char STATS_REGION_SQL[] = STATS_SQL(
	" FROM enterprises e CROSS JOIN enterprise_tags g ON g.enterprise_id = e.id AND g.tag = ?4");
static const char STATS_COUNTRY_SQL[] = STATS_SQL(
	" FROM enterprise_tags g CROSS JOIN enterprises e ON e.id = g.enterprise_id AND g.tag = ?4");

/* 中小企业 by size; ?4 names the category in every variant. */
static const char STATS_SME_SQL[] = STATS_SQL(
	" FROM enterprises e CROSS JOIN (SELECT ?4 AS tag) g ON e.size IN ('中型', '小微')");

bool store_stats_category_valid(const char *category)
{
	return store_category_valid(category) ||
	       (category && strcmp(category, STORE_STATS_SME) == 0);
}

static int row_target(struct store *st, const struct store_stats *s, struct store_stats_row *r)
{
	int rc = store_target_get(st, r->region_code, s->category, s->year, &r->target,
	                          r->target_region);
	r->has_target = rc == 0;
	return rc == -ENOENT ? 0 : rc;
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
	return 0;
}

/* Runs the aggregate query into s->rows. */
static int stats_rows(struct store *st, struct store_stats *s)
{
	char lo[8], hi[8], from[24], to[24];
	size_t len = strlen(s->region_code), cap = 0;
	int rc;

	if (store_scope_range(s->region_code, lo, hi) < 0)
		return -EINVAL;
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
	store_bind_text(q, 4, s->category);
	store_bind_text(q, 5, from);
	store_bind_text(q, 6, to);
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
                        struct store_stats *out)
{
	memset(out, 0, sizeof *out);
	if (!region || strlen(region) >= sizeof out->region_code ||
	    !store_stats_category_valid(category) || year < 1000 || year > 9998)
		return -EINVAL;
	snprintf(out->region_code, sizeof out->region_code, "%s", region);
	snprintf(out->category, sizeof out->category, "%s", category);
	out->year = year;

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
