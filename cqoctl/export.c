/*
 * cqoctl export registry|enterprises|trainings|sanctions|stats|signups:
 * CSV (UTF-8 with BOM) or JSON on stdout or into a file, or an Excel
 * workbook into a file. The registry,
 * enterprise, training and sanction files have the columns of the import
 * files (handlers/import_row.c), so an export imports again unchanged.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "../lib/csv.h"
#include "../store/store.h"
#include "../store/store_export.h"
#include "../handlers/category.h"
#include "../handlers/import_row.h"
#include "../handlers/text/cqoctl.h"
#include "../handlers/text/registry.h"
#include "export.h"

#define CMD "export"

/* Sign-ups are exported only; their columns live here. */
static const struct import_column signup_cols[] = {
	{IC_COUNT, "event_id", TXT_CTL_SIGNUP_EVENT_ID, 0},
	{IC_COUNT, "event_title", TXT_CTL_SIGNUP_EVENT, 0},
	{IC_COUNT, "event_kind", TXT_CTL_SIGNUP_KIND, 0},
	{IC_COUNT, "starts_at", TXT_CTL_SIGNUP_STARTS, 0},
	{IC_COUNT, "alliance", TXT_CTL_SIGNUP_ALLIANCE, 0},
	{IC_COUNT, "name", TXT_APPT_F_NAME, 0},
	{IC_COUNT, "phone", TXT_APPT_F_PHONE, 0},
	{IC_COUNT, "enterprise", TXT_APPT_F_ENTERPRISE, 0},
	{IC_COUNT, "status", TXT_COL_STATUS, 0},
	{IC_COUNT, "position", TXT_CTL_SIGNUP_POSITION, 0},
	{IC_COUNT, "signed_up_at", TXT_CTL_SIGNUP_AT, 0},
};

/* Keys whose values are numbers in JSON and Excel; "position" is a number
 * (the place on the waiting list) only in sign-ups: in the registry it is
 * the CQO's post. */
static const char *const numeric_keys[] = {
	"record_id", "sanction_id", "event_id", "quality_years", "employees", "hours",
};

struct row_writer {
	const struct export_opts *o;
	enum store_export_what what;
	FILE *out;
	struct csv_writer csv;
	const struct import_column *cols[IC_COUNT];
	size_t n_cols;
	int at[IC_COUNT];            /* each column's index among the row's keys */
	struct xlsx_column xcols[IC_COUNT];
	char headers[IC_COUNT][64];
	bool mapped;
	size_t rows;
};

static bool is_numeric(const struct row_writer *w, const char *key)
{
	if (w->what == STORE_EXPORT_SIGNUPS && strcmp(key, "position") == 0)
		return true;
	for (size_t i = 0; i < sizeof numeric_keys / sizeof numeric_keys[0]; i++)
		if (strcmp(key, numeric_keys[i]) == 0)
			return true;
	return false;
}

static void map_keys(struct row_writer *w, size_t n, const char *const *keys)
{
	for (size_t c = 0; c < w->n_cols; c++) {
		w->at[c] = -1;
		for (size_t k = 0; k < n; k++)
			if (strcmp(keys[k], w->cols[c]->key) == 0)
				w->at[c] = (int)k;
	}
	w->mapped = true;
}

static int write_json_row(struct row_writer *w, const char *const *values)
{
	cJSON *o = cJSON_CreateObject();
	char *text;

	for (size_t c = 0; o && c < w->n_cols; c++) {
		const char *v = w->at[c] >= 0 ? values[w->at[c]] : NULL;
		const char *key = w->cols[c]->key;
		cJSON *item = !v ? cJSON_CreateNull()
		              : is_numeric(w, key) ? cJSON_CreateNumber(strtod(v, NULL))
		                                : cJSON_CreateString(v);
		if (!item || !cJSON_AddItemToObject(o, key, item)) {
			cJSON_Delete(item);
			cJSON_Delete(o);
			return -ENOMEM;
		}
	}
	if (!o || !(text = cJSON_PrintUnformatted(o))) {
		cJSON_Delete(o);
		return -ENOMEM;
	}
	fprintf(w->out, "%s%s", w->rows ? ",\n" : "", text);
	cJSON_free(text);
	cJSON_Delete(o);
	return 0;
}

static int write_xlsx_row(struct row_writer *w, const char *const *values)
{
	struct xlsx_cell cells[IC_COUNT];

	for (size_t c = 0; c < w->n_cols; c++) {
		const char *v = w->at[c] >= 0 ? values[w->at[c]] : NULL;
		if (v && strcmp(w->cols[c]->key, "status") == 0)
			v = import_status_text(v);
		if (v && *v && w->xcols[c].kind == XLSX_INT)
			cells[c] = (struct xlsx_cell){.num = strtod(v, NULL)};
		else
			cells[c] = (struct xlsx_cell){.text = v ? v : ""};
	}
	return xlsx_row(w->o->book, cells);
}

static int write_row(void *arg, size_t n, const char *const *keys, const char *const *values)
{
	struct row_writer *w = arg;

	if (!w->mapped)
		map_keys(w, n, keys);
	if (w->o->json) {
		int rc = write_json_row(w, values);
		w->rows++;
		return rc;
	}
	if (w->o->book) {
		w->rows++;
		return write_xlsx_row(w, values);
	}
	for (size_t c = 0; c < w->n_cols; c++) {
		const char *v = w->at[c] >= 0 ? values[w->at[c]] : NULL;
		if (v && strcmp(w->cols[c]->key, "status") == 0)
			v = import_status_text(v);
		csv_write_field(&w->csv, v);
	}
	csv_end_record(&w->csv);
	w->rows++;
	return ferror(w->out) ? -EIO : 0;
}

static int write_xlsx_header(struct ctl *c, struct row_writer *w, enum store_export_what what)
{
	static const char *const sheets[] = {
		[STORE_EXPORT_ENTERPRISES] = TXT_CTL_XLSX_ENTERPRISES,
		[STORE_EXPORT_REGISTRY] = TXT_CTL_XLSX_REGISTRY,
		[STORE_EXPORT_TRAININGS] = TXT_CTL_XLSX_TRAININGS,
		[STORE_EXPORT_SANCTIONS] = TXT_CTL_XLSX_SANCTIONS,
		[STORE_EXPORT_SIGNUPS] = TXT_CTL_XLSX_SIGNUPS,
	};
	char title[128];

	for (size_t i = 0; i < w->n_cols; i++) {
		import_column_header(w->cols[i], w->headers[i], sizeof w->headers[i]);
		w->xcols[i].header = w->headers[i];
		w->xcols[i].kind = is_numeric(w, w->cols[i]->key) ? XLSX_INT : XLSX_TEXT;
	}
	snprintf(title, sizeof title, TXT_CTL_XLSX_TITLE, sheets[what], c->today);
	return xlsx_sheet(w->o->book, sheets[what], title, w->xcols, w->n_cols);
}

static void write_header(struct row_writer *w)
{
	char name[64];

	if (w->o->json) {
		fputs("[\n", w->out);
		return;
	}
	fputs(EXPORT_BOM, w->out);
	for (size_t c = 0; c < w->n_cols; c++) {
		import_column_header(w->cols[c], name, sizeof name);
		csv_write_field(&w->csv, name);
	}
	csv_end_record(&w->csv);
}

static int export_rows(struct ctl *c, const struct export_opts *o, enum store_export_what what,
                       FILE *out)
{
	static const enum import_kind kinds[] = {
		[STORE_EXPORT_ENTERPRISES] = IMPORT_ENTERPRISES,
		[STORE_EXPORT_REGISTRY] = IMPORT_CQOS,
		[STORE_EXPORT_TRAININGS] = IMPORT_TRAININGS,
		[STORE_EXPORT_SANCTIONS] = IMPORT_SANCTIONS,
	};
	struct row_writer w = {.o = o, .what = what, .out = out};
	const struct import_column *cols;
	size_t n;

	if (what == STORE_EXPORT_SIGNUPS) {
		cols = signup_cols;
		n = sizeof signup_cols / sizeof signup_cols[0];
	} else {
		cols = import_columns(kinds[what], &n);
	}
	for (size_t i = 0; i < n; i++)
		if (!(cols[i].flags & IMPORT_COL_NO_EXPORT))
			w.cols[w.n_cols++] = &cols[i];
	if (o->book) {
		int rc = write_xlsx_header(c, &w, what);
		if (rc == 0)
			rc = store_export(c->st, what, o->region, o->event_id, write_row, &w);
		if (rc < 0)
			return ctl_store_fail(CMD, rc);
		return w.rows ? CTL_OK : ctl_fail(CMD, TXT_CTL_EXP_NO_DATA);
	}
	csv_writer_init(&w.csv, out);
	write_header(&w);
	int rc = store_export(c->st, what, o->region, o->event_id, write_row, &w);
	if (o->json)
		fputs(w.rows ? "\n]\n" : "]\n", out);
	return rc < 0 ? ctl_store_fail(CMD, rc) : CTL_OK;
}

static int parse_what(const char *word, enum store_export_what *what, bool *stats)
{
	static const struct {
		const char *word;
		enum store_export_what what;
	} names[] = {
		{"enterprises", STORE_EXPORT_ENTERPRISES}, {"registry", STORE_EXPORT_REGISTRY},
		{"cqos", STORE_EXPORT_REGISTRY},           {"trainings", STORE_EXPORT_TRAININGS},
		{"sanctions", STORE_EXPORT_SANCTIONS},     {"signups", STORE_EXPORT_SIGNUPS},
	};
	*stats = strcmp(word, "stats") == 0;
	for (size_t i = 0; !*stats && i < sizeof names / sizeof names[0]; i++) {
		if (strcmp(word, names[i].word) == 0) {
			*what = names[i].what;
			return 0;
		}
	}
	return *stats ? 0 : -EINVAL;
}

static int parse_options(struct ctl *c, struct export_opts *o, int argc, char **argv)
{
	static const struct option opts[] = {
		{"output", required_argument, NULL, 'o'},
		{"format", required_argument, NULL, 'f'},
		{"region", required_argument, NULL, 'r'},
		{"year", required_argument, NULL, 'y'},
		{"category", required_argument, NULL, 'k'},
		{"event", required_argument, NULL, 'e'},
		{NULL, 0, NULL, 0},
	};
	char name[96];
	long v;
	int opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		switch (opt) {
		case 'o': o->output = optarg; break;
		case 'f':
			if (strcmp(optarg, "json") != 0 && strcmp(optarg, "csv") != 0 &&
			    strcmp(optarg, "xlsx") != 0)
				return ctl_usage(CMD, TXT_CTL_BAD_FORMAT);
			o->json = strcmp(optarg, "json") == 0;
			o->xlsx = strcmp(optarg, "xlsx") == 0;
			break;
		case 'r':
			if (store_region_name(c->st, optarg, name, sizeof name) < 0)
				return ctl_usage(CMD, TXT_CTL_BAD_REGION, optarg);
			o->region = optarg;
			break;
		case 'y':
			if (!ctl_parse_long(optarg, 2000, 2200, &v))
				return ctl_usage(CMD, TXT_CTL_BAD_YEAR);
			o->year = (int)v;
			break;
		case 'k':
			/* The chat's 统计 words (规模以上, sme …) and 中小企业. */
			if (!(o->category = category_find(optarg, true)))
				return ctl_usage(CMD, TXT_CTL_BAD_CATEGORY);
			break;
		case 'e':
			if (!ctl_parse_long(optarg, 1, 2147483647L, &v))
				return ctl_usage(CMD, TXT_CTL_BAD_NUMBER, "--event", 1L, 2147483647L);
			o->event_id = v;
			break;
		default: return ctl_usage(CMD, TXT_CTL_BAD_OPTION);
		}
	}
	if (argc - optind != 1)
		return ctl_usage(CMD, TXT_CTL_ARGS);
	o->what = argv[optind];
	return 0;
}

/* The workbook is written to a temporary file and renamed into place only
 * when complete and not empty (lib/xlsx.h). */
static int export_xlsx(struct ctl *c, struct export_opts *o, enum store_export_what what,
                       bool stats)
{
	int rc;

	if (!o->output || strcmp(o->output, "-") == 0)
		return ctl_usage(CMD, TXT_CTL_XLSX_FILE);
	if ((rc = xlsx_open(o->output, &o->book)) < 0)
		return ctl_fail(CMD, TXT_CTL_FILE, o->output, strerror(-rc));
	rc = stats ? export_stats(c, o, NULL) : export_rows(c, o, what, NULL);
	int closed = xlsx_close(o->book, rc == CTL_OK);
	o->book = NULL;
	if (rc)
		return rc;
	return closed < 0 ? ctl_fail(CMD, TXT_CTL_WRITE, o->output, strerror(-closed)) : CTL_OK;
}

int ctl_cmd_export(struct ctl *c, int argc, char **argv)
{
	struct export_opts o = {.region = "", .year = atoi(c->today)};
	enum store_export_what what = STORE_EXPORT_REGISTRY;
	bool stats;
	int rc = parse_options(c, &o, argc, argv);

	if (rc)
		return rc;
	if (parse_what(o.what, &what, &stats) < 0)
		return ctl_usage(CMD, TXT_CTL_EXP_WHAT);
	if (o.xlsx)
		return export_xlsx(c, &o, what, stats);
	FILE *out = ctl_open_out(CMD, o.output);
	if (!out)
		return CTL_FAILED;
	rc = stats ? export_stats(c, &o, out) : export_rows(c, &o, what, out);
	int closed = ctl_close_out(CMD, out, o.output);
	return rc ? rc : closed;
}
