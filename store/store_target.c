/* Appointment-rate targets: reading, setting, listing; see store_target.h. */
#include "store_target.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "store_audit.h"
#include "store_internal.h"
#include "store_lists.h"
#include "store_stats.h"

static const char TARGET_GET_SQL[] =
	"SELECT rate, region_code FROM targets"
	" WHERE region_code IN (?1, substr(?1, 1, 4), substr(?1, 1, 2))"
	" AND category = ?2 AND year = ?3 ORDER BY length(region_code) DESC LIMIT 1";

int store_target_get(struct store *st, const char *region, const char *category, int year,
                     double *rate, char *from)
{
	sqlite3_stmt *s = store_prepare(st, TARGET_GET_SQL);
	if (!s)
		return -EIO;
	store_bind_text(s, 1, region);
	store_bind_text(s, 2, category);
	sqlite3_bind_int(s, 3, year);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*rate = sqlite3_column_double(s, 0);
		if (from)
			store_col_text(s, 1, from, 16);
	}
	store_stmt_done(s);
	if (rc == SQLITE_DONE)
		return -ENOENT;
	return rc == SQLITE_ROW ? 0 : store_fail(st, "target", rc);
}

static const char TARGET_SNAPSHOT_SQL[] =
	"SELECT json_object('region_code', region_code, 'category', category, 'year', year,"
	" 'rate', rate), rate FROM targets WHERE region_code = ?1 AND category = ?2 AND year = ?3";
static const char TARGET_UPSERT_SQL[] =
	"INSERT INTO targets (region_code, category, year, rate) VALUES (?1, ?2, ?3, ?4)"
	" ON CONFLICT (region_code, category, year) DO UPDATE SET rate = excluded.rate";

/* The target row as JSON in *json (caller frees; NULL when there is none),
 * its rate in *rate. */
static int target_snapshot(struct store *st, const char *region, const char *category,
                           int year, char **json, double *rate)
{
	sqlite3_stmt *s = store_prepare(st, TARGET_SNAPSHOT_SQL);

	*json = NULL;
	if (!s)
		return -EIO;
	store_bind_text(s, 1, region);
	store_bind_text(s, 2, category);
	sqlite3_bind_int(s, 3, year);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*json = strdup((const char *)sqlite3_column_text(s, 0));
		*rate = sqlite3_column_double(s, 1);
	}
	store_stmt_done(s);
	if (rc == SQLITE_ROW)
		return *json ? 0 : -ENOMEM;
	return rc == SQLITE_DONE ? 0 : store_fail(st, "target snapshot", rc);
}

static int target_upsert(struct store *st, const char *region, const char *category, int year,
                         double rate)
{
	sqlite3_stmt *s = store_prepare(st, TARGET_UPSERT_SQL);
	if (!s)
		return -EIO;
	store_bind_text(s, 1, region);
	store_bind_text(s, 2, category);
	sqlite3_bind_int(s, 3, year);
	sqlite3_bind_double(s, 4, rate);
	int rc = sqlite3_step(s);
	store_stmt_done(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, "target set", rc);
}

/* The change and its audit row; the caller owns the transaction. */
static int target_change(struct store *st, const struct store_actor *who, const char *region,
                         const char *category, int year, double rate, bool *had_old,
                         double *old_rate)
{
	char *before = NULL, *after = NULL;   /* owned here */
	double old = 0, now = 0;
	int rc = target_snapshot(st, region, category, year, &before, &old);

	if (rc == 0)
		rc = target_upsert(st, region, category, year, rate);
	if (rc == 0)
		rc = target_snapshot(st, region, category, year, &after, &now);
	if (rc == 0)
		rc = store_audit_add(st, who, "target", 0, 0, before, after);
	if (rc == 0 && had_old)
		*had_old = before != NULL;
	if (rc == 0 && old_rate)
		*old_rate = old;
	free(before);
	free(after);
	return rc;
}

int store_target_set(struct store *st, const struct store_actor *who, const char *region,
                     const char *category, int year, double rate, bool *had_old,
                     double *old_rate)
{
	char name[96];

	if (!region || !store_stats_category_valid(category) || year < 2000 || year > 2200 ||
	    !(rate >= 0 && rate <= 1))
		return -EINVAL;
	int rc = store_region_name(st, region, name, sizeof name);
	if (rc < 0)
		return rc == -ENOENT ? -EINVAL : rc;
	rc = store_savepoint(st);
	if (rc < 0)
		return rc;
	rc = target_change(st, who, region, category, year, rate, had_old, old_rate);
	return store_savepoint_end(st, rc);
}

static const char TARGET_LIST_SQL[] =
	"SELECT t.region_code, coalesce(r.name, ''), t.category, t.year, t.rate"
	" FROM targets t LEFT JOIN regions r ON r.code = t.region_code"
	" WHERE t.region_code >= ?1 AND t.region_code < ?2"
	" AND (?3 IS NULL OR t.category = ?3) AND (?4 = 0 OR t.year = ?4)"
	" ORDER BY t.region_code, t.category, t.year";

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
		row.rate = sqlite3_column_double(s, 4);
		stop = fn(arg, &row);
	}
	store_stmt_done(s);
	if (stop)
		return stop;
	return rc == SQLITE_DONE ? 0 : store_fail(st, "target list", rc);
}
