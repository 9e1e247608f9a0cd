/* Listing targets; see store_target.h. */
#include "store_target.h"

#include <errno.h>
#include <string.h>

#include "store_internal.h"
#include "store_lists.h"

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
