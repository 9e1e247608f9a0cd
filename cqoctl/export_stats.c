/*
 * cqoctl export stats: the 《企业首席质量官基本情况统计表》 for a region and
 * year, one block per enterprise category, from the same store function
 * (store/store_stats.h) and with the same cells as the chat command 统计,
 * so the table sent upward and the one in the chat always agree. JSON gives
 * the numbers unformatted; xlsx has one sheet per category with the numbers
 * formatted by Excel and a bar chart of each sub-region's rate and target.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "../lib/csv.h"
#include "../store/store.h"
#include "../store/store_import.h"
#include "../store/store_stats.h"
#include "../handlers/category.h"
#include "../handlers/stats_book.h"
#include "../handlers/text/cqoctl.h"
#include "../handlers/text/lists.h"
#include "../handlers/text/registry.h"
#include "export.h"

#define CMD "export"
#define CELL_MAX 64

/* The chat's cells (handlers/stats.c): 地区 企业数 已聘任 聘任率 目标 差距
 * 已任职培训 当年新备案 续聘 更换. */
enum {
	C_LABEL, C_ENTERPRISES, C_APPOINTED, C_RATE, C_TARGET, C_GAP, C_TRAINED, C_NEW,
	C_RENEWED, C_REPLACED, N_CELLS
};

static void percent(char *buf, double fraction)
{
	snprintf(buf, CELL_MAX, TXT_STATS_PERCENT, fraction * 100.0);
}

static void cells_of(const struct store_stats_row *r, const char *label, char cells[][CELL_MAX])
{
	snprintf(cells[C_LABEL], CELL_MAX, "%s", label);
	snprintf(cells[C_ENTERPRISES], CELL_MAX, "%lld", (long long)r->enterprises);
	snprintf(cells[C_APPOINTED], CELL_MAX, "%lld", (long long)r->appointed);
	if (r->enterprises > 0)
		percent(cells[C_RATE], store_stats_rate(r));
	else
		snprintf(cells[C_RATE], CELL_MAX, "%s", TXT_UNKNOWN_VALUE);
	if (!r->has_target) {
		snprintf(cells[C_TARGET], CELL_MAX, "%s", TXT_STATS_NO_TARGET);
		snprintf(cells[C_GAP], CELL_MAX, "%s", TXT_UNKNOWN_VALUE);
	} else {
		percent(cells[C_TARGET], r->target);
		if (store_stats_gap(r) > 0)
			snprintf(cells[C_GAP], CELL_MAX, TXT_STATS_GAP, store_stats_gap(r) * 100.0);
		else
			snprintf(cells[C_GAP], CELL_MAX, "%s", TXT_STATS_MET);
	}
	if (r->appointed > 0)
		percent(cells[C_TRAINED], store_stats_trained_share(r));
	else
		snprintf(cells[C_TRAINED], CELL_MAX, "%s", TXT_UNKNOWN_VALUE);
	snprintf(cells[C_NEW], CELL_MAX, "%lld", (long long)r->new_filings);
	snprintf(cells[C_RENEWED], CELL_MAX, "%lld", (long long)r->renewals);
	snprintf(cells[C_REPLACED], CELL_MAX, "%lld", (long long)r->replacements);
}

static void csv_row(struct csv_writer *w, const struct store_stats *s,
                    const struct store_stats_row *r, const char *label)
{
	char cells[N_CELLS][CELL_MAX], year[8];

	cells_of(r, label, cells);
	snprintf(year, sizeof year, "%d", s->year);
	csv_write_field(w, r->region_code);
	csv_write_field(w, cells[C_LABEL]);
	csv_write_field(w, s->category);
	csv_write_field(w, year);
	for (size_t i = C_ENTERPRISES; i < N_CELLS; i++)
		csv_write_field(w, cells[i]);
	csv_end_record(w);
}

static cJSON *json_row(const struct store_stats_row *r)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "region_code", r->region_code);
	cJSON_AddStringToObject(o, "region_name", r->region_name);
	cJSON_AddNumberToObject(o, "enterprises", (double)r->enterprises);
	cJSON_AddNumberToObject(o, "appointed", (double)r->appointed);
	cJSON_AddNumberToObject(o, "rate", store_stats_rate(r));
	if (r->has_target) {
		cJSON_AddNumberToObject(o, "target", r->target);
		cJSON_AddStringToObject(o, "target_region", r->target_region);
	} else {
		cJSON_AddNullToObject(o, "target");
		cJSON_AddNullToObject(o, "target_region");
	}
	cJSON_AddNumberToObject(o, "gap", store_stats_gap(r));
	if (r->trained_goal.set) {
		cJSON_AddNumberToObject(o, "trained_target", r->trained_goal.value);
		cJSON_AddNumberToObject(o, "trained_gap", store_stats_trained_gap(r));
	} else {
		cJSON_AddNullToObject(o, "trained_target");
		cJSON_AddNullToObject(o, "trained_gap");
	}
	if (r->new_goal.set) {
		cJSON_AddNumberToObject(o, "new_filings_target", r->new_goal.value);
		cJSON_AddNumberToObject(o, "new_filings_gap", (double)store_stats_new_gap(r));
	} else {
		cJSON_AddNullToObject(o, "new_filings_target");
		cJSON_AddNullToObject(o, "new_filings_gap");
	}
	cJSON_AddNumberToObject(o, "trained", (double)r->trained);
	cJSON_AddNumberToObject(o, "trained_share", store_stats_trained_share(r));
	cJSON_AddNumberToObject(o, "new_filings", (double)r->new_filings);
	cJSON_AddNumberToObject(o, "renewals", (double)r->renewals);
	cJSON_AddNumberToObject(o, "replacements", (double)r->replacements);
	return o;
}

static void csv_block(struct csv_writer *w, const struct store_stats *s)
{
	for (size_t i = 0; i < s->n_rows; i++) {
		const struct store_stats_row *r = &s->rows[i];
		csv_row(w, s, r, r->region_name[0] ? r->region_name : r->region_code);
	}
	if (stats_book_wants_total(s))
		csv_row(w, s, &s->total, TXT_STATS_TOTAL);
}

static cJSON *json_block(const struct store_stats *s)
{
	cJSON *o = cJSON_CreateObject(), *rows = cJSON_AddArrayToObject(o, "rows");

	cJSON_AddStringToObject(o, "category", s->category);
	cJSON_AddStringToObject(o, "as_of", s->as_of);
	if (s->list_year)
		cJSON_AddNumberToObject(o, "list_year", s->list_year);
	else
		cJSON_AddNullToObject(o, "list_year");
	for (size_t i = 0; i < s->n_rows; i++)
		cJSON_AddItemToArray(rows, json_row(&s->rows[i]));
	cJSON_AddItemToObject(o, "total", json_row(&s->total));
	return o;
}

static void csv_header(struct csv_writer *w)
{
	static const char *const header[] = {
		TXT_CTL_STATS_CODE, TXT_STATS_COL_REGION, TXT_CTL_STATS_CATEGORY, TXT_CTL_STATS_YEAR,
		TXT_STATS_COL_ENTERPRISES, TXT_STATS_COL_APPOINTED, TXT_STATS_COL_RATE,
		TXT_STATS_COL_TARGET, TXT_STATS_COL_GAP, TXT_STATS_COL_TRAINED, TXT_STATS_COL_NEW,
		TXT_STATS_COL_RENEWED, TXT_STATS_COL_REPLACED,
	};
	for (size_t i = 0; i < sizeof header / sizeof header[0]; i++)
		csv_write_field(w, header[i]);
	csv_end_record(w);
}

int export_stats(struct ctl *c, const struct export_opts *o, FILE *out)
{
	struct csv_writer w;
	cJSON *root = NULL, *blocks = NULL;
	char name[96] = "";
	int64_t enterprises = 0;
	int rc = 0;

	if (*o->region && store_region_name(c->st, o->region, name, sizeof name) < 0)
		name[0] = '\0';
	if (o->json) {
		root = cJSON_CreateObject();
		cJSON_AddStringToObject(root, "region_code", o->region);
		cJSON_AddStringToObject(root, "region_name", name);
		cJSON_AddNumberToObject(root, "year", o->year);
		blocks = cJSON_AddArrayToObject(root, "categories");
	} else if (!o->book) {
		fputs(EXPORT_BOM, out);
		csv_writer_init(&w, out);
		csv_header(&w);
	}
	/* Every tag; 中小企业, which is no tag, only when asked for. */
	for (int i = 0; rc == 0 && i <= STORE_IMPORT_TAGS; i++) {
		const char *cat = i < STORE_IMPORT_TAGS ? store_import_tag_name(i) : STORE_STATS_SME;
		struct store_stats s;

		if (o->category ? strcmp(o->category, cat) != 0 : i == STORE_IMPORT_TAGS)
			continue;
		if ((rc = store_stats_compute(c->st, o->region, cat, o->year, c->today, &s)) < 0)
			break;
		enterprises += s.total.enterprises;
		if (o->book)
			rc = stats_book_sheet(o->book, &s);
		else if (o->json)
			cJSON_AddItemToArray(blocks, json_block(&s));
		else
			csv_block(&w, &s);
		store_stats_free(&s);
	}
	if (rc == 0 && o->json) {
		char *text = cJSON_Print(root);
		if (text)
			fprintf(out, "%s\n", text);
		else
			rc = -ENOMEM;
		cJSON_free(text);
	}
	cJSON_Delete(root);
	if (rc < 0)
		return ctl_store_fail(CMD, rc);
	return o->book && enterprises == 0 ? ctl_fail(CMD, TXT_CTL_EXP_NO_DATA) : CTL_OK;
}
