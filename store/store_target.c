/* Targets: reading, setting, listing; see store_target.h. */
#include "store_target.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "store_audit.h"
#include "store_internal.h"
#include "store_lists.h"
#include "store_stats.h"

/* targets.metric, in enum store_target_metric order. */
static const char *const metrics[STORE_TARGET_METRICS] = {"rate", "trained", "new_filings"};

static const char TARGET_GET_SQL[] =
	"SELECT coalesce(rate, count), region_code FROM targets"
	" WHERE region_code IN (?1, substr(?1, 1, 4), substr(?1, 1, 2))"
	" AND category = ?2 AND year = ?3 AND metric = ?4"
	" ORDER BY length(region_code) DESC LIMIT 1";

static bool metric_valid(enum store_target_metric m)
{
	return (int)m >= 0 && (int)m < STORE_TARGET_METRICS;
}

int store_target_get(struct store *st, const char *region, const char *category, int year,
                     enum store_target_metric metric, double *value, char *from)
{
	if (!metric_valid(metric))
		return -EINVAL;
	sqlite3_stmt *s = store_prepare(st, TARGET_GET_SQL);
	if (!s)
		return -EIO;
	store_bind_text(s, 1, region);
	store_bind_text(s, 2, category);
	sqlite3_bind_int(s, 3, year);
	store_bind_text(s, 4, metrics[metric]);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*value = sqlite3_column_double(s, 0);
		if (from)
			store_col_text(s, 1, from, 16);
	}
	store_stmt_done(s);
	if (rc == SQLITE_DONE)
		return -ENOENT;
	return rc == SQLITE_ROW ? 0 : store_fail(st, "target", rc);
}

/* ?1..?4 the key; the rate metrics' value is ?5, a count's ?6. */
static const char TARGET_SNAPSHOT_SQL[] =
	"SELECT json_object('region_code', region_code, 'category', category, 'year', year,"
	" 'metric', metric, 'rate', rate, 'count', count), coalesce(rate, count) FROM targets"
	" WHERE region_code = ?1 AND category = ?2 AND year = ?3 AND metric = ?4";
static const char TARGET_UPSERT_SQL[] =
	"INSERT INTO targets (region_code, category, year, metric, rate, count)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
	" ON CONFLICT (region_code, category, year, metric) DO UPDATE SET rate = excluded.rate,"
	" count = excluded.count";

struct target_key {
	const char *region, *category;
	int year;
	enum store_target_metric metric;
};

static void bind_key(sqlite3_stmt *s, const struct target_key *k)
{
	store_bind_text(s, 1, k->region);
	store_bind_text(s, 2, k->category);
	sqlite3_bind_int(s, 3, k->year);
	store_bind_text(s, 4, metrics[k->metric]);
}

/* The target row as JSON in *json (caller frees; NULL when there is none),
 * its value in *value. */
static int target_snapshot(struct store *st, const struct target_key *k, char **json,
                           double *value)
{
	sqlite3_stmt *s = store_prepare(st, TARGET_SNAPSHOT_SQL);

	*json = NULL;
	if (!s)
		return -EIO;
	bind_key(s, k);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*json = strdup((const char *)sqlite3_column_text(s, 0));
		*value = sqlite3_column_double(s, 1);
	}
	store_stmt_done(s);
	if (rc == SQLITE_ROW)
		return *json ? 0 : -ENOMEM;
	return rc == SQLITE_DONE ? 0 : store_fail(st, "target snapshot", rc);
}

static int target_upsert(struct store *st, const struct target_key *k, double value)
{
	sqlite3_stmt *s = store_prepare(st, TARGET_UPSERT_SQL);
	if (!s)
		return -EIO;
	bind_key(s, k);
	if (k->metric == STORE_TARGET_NEW_FILINGS) {
		sqlite3_bind_null(s, 5);
		sqlite3_bind_int64(s, 6, (sqlite3_int64)value);
	} else {
		sqlite3_bind_double(s, 5, value);
		sqlite3_bind_null(s, 6);
	}
	int rc = sqlite3_step(s);
	store_stmt_done(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, "target set", rc);
}

/* The change and its audit row; the caller owns the transaction. */
static int target_change(struct store *st, const struct store_actor *who,
                         const struct target_key *k, double value, bool *had_old,
                         double *old_value)
{
	char *before = NULL, *after = NULL;   /* owned here */
	double old = 0, now = 0;
	int rc = target_snapshot(st, k, &before, &old);

	if (rc == 0)
		rc = target_upsert(st, k, value);
	if (rc == 0)
		rc = target_snapshot(st, k, &after, &now);
	if (rc == 0)
		rc = store_audit_add(st, who, "target", 0, 0, before, after);
	if (rc == 0 && had_old)
		*had_old = before != NULL;
	if (rc == 0 && old_value)
		*old_value = old;
	free(before);
	free(after);
	return rc;
}

/* A share 0..1, or a whole number of filings. */
static bool value_valid(enum store_target_metric m, double v)
{
	if (m == STORE_TARGET_NEW_FILINGS)
		return v >= 0 && v <= STORE_TARGET_COUNT_MAX && v == floor(v);
	return v >= 0 && v <= 1;
}

int store_target_set(struct store *st, const struct store_actor *who, const char *region,
                     const char *category, int year, enum store_target_metric metric,
                     double value, bool *had_old, double *old_value)
{
	const struct target_key k = {region, category, year, metric};
	char name[96];

	if (!region || !store_stats_category_valid(category) || year < 2000 || year > 2200 ||
	    !metric_valid(metric) || !value_valid(metric, value))
		return -EINVAL;
	int rc = store_region_name(st, region, name, sizeof name);
	if (rc < 0)
		return rc == -ENOENT ? -EINVAL : rc;
	rc = store_savepoint(st);
	if (rc < 0)
		return rc;
	rc = target_change(st, who, &k, value, had_old, old_value);
	return store_savepoint_end(st, rc);
}

static const char TARGET_LIST_SQL[] =
	"SELECT t.region_code, coalesce(r.name, ''), t.category, t.year,"
	" coalesce(t.rate, t.count), t.metric"
	" FROM targets t LEFT JOIN regions r ON r.code = t.region_code"
	" WHERE t.region_code >= ?1 AND t.region_code < ?2"
	" AND (?3 IS NULL OR t.category = ?3) AND (?4 = 0 OR t.year = ?4)"
	" ORDER BY t.region_code, t.category, t.year, t.metric = 'rate' DESC, t.metric";

int store_target_each(struct store *st, const char *scope, const char *category, int year,
                      store_target_fn fn, void *arg)
{
	struct store_target_row row;
	char lo[8], hi[8];
	sqlite3_stmt *s;
	int rc, stop = 0;

	if (store_scope_range(scope, lo, hi) < 0)
		return -EINVAL;
	if (!(s = store_prepare(st, TARGET_LIST_SQL)))
		return -EIO;
	store_bind_text(s, 1, lo);
	store_bind_text(s, 2, hi);
	store_bind_text(s, 3, category);
	sqlite3_bind_int(s, 4, year);
	while (!stop && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&row, 0, sizeof row);
		store_col_text(s, 0, row.region_code, sizeof row.region_code);
		store_col_text(s, 1, row.region_name, sizeof row.region_name);
		store_col_text(s, 2, row.category, sizeof row.category);
		row.year = sqlite3_column_int(s, 3);
		row.value = sqlite3_column_double(s, 4);
		for (int m = 0; m < STORE_TARGET_METRICS; m++)
			if (strcmp((const char *)sqlite3_column_text(s, 5), metrics[m]) == 0)
				row.metric = (enum store_target_metric)m;
		stop = fn(arg, &row);
	}
	store_stmt_done(s);
	if (stop)
		return stop;
	return rc == SQLITE_DONE ? 0 : store_fail(st, "target list", rc);
}
