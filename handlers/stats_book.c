/* The 统计表 as a workbook; see stats_book.h. */
#include "stats_book.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../store/store_import.h"
#include "../store/store_stats.h"
#include "category.h"
#include "text/cqoctl.h"
#include "text/lists.h"
#include "text/registry.h"

bool stats_book_wants_total(const struct store_stats *s)
{
	return strlen(s->region_code) < 6 || s->n_rows == 0;
}

/* The CSV's columns less category and year, which name the sheet. */
enum {
	X_CODE, X_LABEL, X_ENTERPRISES, X_APPOINTED, X_RATE, X_TARGET, X_GAP, X_TRAINED, X_NEW,
	X_RENEWED, X_REPLACED, N_XCOLS
};

static const struct xlsx_column xlsx_cols[N_XCOLS] = {
	{TXT_CTL_STATS_CODE, XLSX_TEXT},        {TXT_STATS_COL_REGION, XLSX_TEXT},
	{TXT_STATS_COL_ENTERPRISES, XLSX_INT},  {TXT_STATS_COL_APPOINTED, XLSX_INT},
	{TXT_STATS_COL_RATE, XLSX_PERCENT},     {TXT_STATS_COL_TARGET, XLSX_PERCENT},
	{TXT_STATS_COL_GAP, XLSX_PERCENT},      {TXT_STATS_COL_TRAINED, XLSX_PERCENT},
	{TXT_STATS_COL_NEW, XLSX_INT},          {TXT_STATS_COL_RENEWED, XLSX_INT},
	{TXT_STATS_COL_REPLACED, XLSX_INT},
};

static struct xlsx_cell num(double v)
{
	return (struct xlsx_cell){.num = v};
}

static struct xlsx_cell text(const char *t)
{
	return (struct xlsx_cell){.text = t};
}

/* The chat's cells as numbers; words where the chat has no number. */
static int xlsx_stats_row(struct xlsx *x, const struct store_stats_row *r, const char *label)
{
	struct xlsx_cell v[N_XCOLS] = {
		[X_CODE] = text(r->region_code),
		[X_LABEL] = text(label),
		[X_ENTERPRISES] = num((double)r->enterprises),
		[X_APPOINTED] = num((double)r->appointed),
		[X_RATE] = r->enterprises > 0 ? num(store_stats_rate(r)) : text(TXT_UNKNOWN_VALUE),
		[X_TARGET] = r->has_target ? num(r->target) : text(TXT_STATS_NO_TARGET),
		[X_GAP] = !r->has_target           ? text(TXT_UNKNOWN_VALUE)
		          : store_stats_gap(r) > 0 ? num(store_stats_gap(r))
		                                   : text(TXT_STATS_MET),
		[X_TRAINED] = r->appointed > 0 ? num(store_stats_trained_share(r))
		                               : text(TXT_UNKNOWN_VALUE),
		[X_NEW] = num((double)r->new_filings),
		[X_RENEWED] = num((double)r->renewals),
		[X_REPLACED] = num((double)r->replacements),
	};
	return xlsx_row(x, v);
}

int stats_book_sheet(struct xlsx *x, const struct store_stats *s)
{
	static const size_t bars[] = {X_RATE, X_TARGET};
	char place[128], title[256], line[256];
	int rc;

	if (s->region_code[0])
		snprintf(place, sizeof place, TXT_STATS_REGION_FMT, s->total.region_name,
		         s->region_code);
	else
		snprintf(place, sizeof place, "%s", TXT_STATS_ALL_REGIONS);
	snprintf(title, sizeof title, TXT_STATS_TITLE, place, category_stem(s->category), s->year);
	if ((rc = xlsx_sheet(x, s->category, title, xlsx_cols, N_XCOLS)) < 0)
		return rc;
	for (size_t i = 0; rc == 0 && i < s->n_rows; i++) {
		const struct store_stats_row *r = &s->rows[i];
		rc = xlsx_stats_row(x, r, r->region_name[0] ? r->region_name : r->region_code);
	}
	if (rc == 0 && stats_book_wants_total(s))
		rc = xlsx_stats_row(x, &s->total, TXT_STATS_TOTAL);
	snprintf(line, sizeof line, TXT_STATS_AS_OF, s->as_of);
	if (rc == 0)
		rc = xlsx_note(x, line);
	if (rc == 0 && s->list_year && s->list_year != s->year) {
		snprintf(line, sizeof line, TXT_STATS_LIST_EARLIER, s->year,
		         category_stem(s->category), s->list_year);
		rc = xlsx_note(x, line);
	}
	if (rc == 0 && s->n_rows > 0) {
		struct xlsx_chart chart = {
			.title = TXT_CTL_XLSX_CHART, .label_col = X_LABEL, .value_cols = bars,
			.n_values = sizeof bars / sizeof bars[0], .n_rows = s->n_rows,
		};
		rc = xlsx_chart(x, &chart);
	}
	return rc;
}

static int book_category(struct store *st, const char *region, const char *category, int year,
                         const char *today, struct xlsx *book, int64_t *enterprises)
{
	struct store_stats s;
	int rc = store_stats_compute(st, region, category, year, today, &s);

	if (rc < 0)
		return rc;
	*enterprises += s.total.enterprises;
	rc = stats_book_sheet(book, &s);
	store_stats_free(&s);
	return rc;
}

int stats_book_write(struct store *st, const char *region, const char *category, int year,
                     const char *today, struct xlsx *book, int64_t *enterprises)
{
	int rc = 0;

	*enterprises = 0;
	/* One category may also be 中小企业, which is no tag. */
	if (category)
		return book_category(st, region, category, year, today, book, enterprises);
	for (int i = 0; rc == 0 && i < STORE_IMPORT_TAGS; i++)
		rc = book_category(st, region, store_import_tag_name(i), year, today, book,
		                   enterprises);
	return rc;
}
