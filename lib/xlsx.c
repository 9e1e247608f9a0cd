/* Excel workbooks with libxlsxwriter (see xlsx.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "path.h"
#include "xlsx.h"

#define FIRST_DATA 2            /* row 0: title, row 1: header */
#define MIN_WIDTH 6.0
#define MAX_WIDTH 50.0

struct xlsx {
	lxw_workbook *wb;
	lxw_format *title, *header, *count, *percent, *note;
	char *path;                 /* the target */
	char *tmp;                  /* the workbook until it is complete */
	char *dir;                  /* libxlsxwriter's temporary files */
	lxw_worksheet *ws;
	char sheet[128];            /* the current sheet's name, for chart ranges */
	const struct xlsx_column *cols;
	size_t n_cols;
	double *widths;             /* per column: the widest cell, in characters */
	size_t rows;                /* data rows of the current sheet */
	size_t notes;
	size_t charts;
	int err;                    /* the first failure */
};

static int fail(struct xlsx *x, int rc)
{
	if (rc < 0 && x->err == 0)
		x->err = rc;
	return x->err;
}

static int lxw_rc(struct xlsx *x, lxw_error e)
{
	if (e == LXW_NO_ERROR)
		return x->err;
	return fail(x, e == LXW_ERROR_MEMORY_MALLOC_FAILED ? -ENOMEM : -EIO);
}

/* Display width: CJK characters (three- and four-byte UTF-8) take two. */
static double text_width(const char *s)
{
	double w = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p & 0xC0) == 0x80)
			continue;
		w += *p >= 0xE0 ? 2 : 1;
	}
	return w;
}

static void widen(struct xlsx *x, size_t col, double w)
{
	if (w > x->widths[col])
		x->widths[col] = w;
}

static void finish_sheet(struct xlsx *x)
{
	for (size_t c = 0; x->ws && c < x->n_cols; c++) {
		double w = x->widths[c] + 2;
		w = w < MIN_WIDTH ? MIN_WIDTH : w > MAX_WIDTH ? MAX_WIDTH : w;
		lxw_rc(x, worksheet_set_column(x->ws, (lxw_col_t)c, (lxw_col_t)c, w, NULL));
	}
	free(x->widths);
	x->widths = NULL;
	x->ws = NULL;
}

static void make_formats(struct xlsx *x)
{
	x->title = workbook_add_format(x->wb);
	format_set_bold(x->title);
	format_set_font_size(x->title, 14);
	format_set_align(x->title, LXW_ALIGN_CENTER);
	x->header = workbook_add_format(x->wb);
	format_set_bold(x->header);
	format_set_border(x->header, LXW_BORDER_THIN);
	format_set_bg_color(x->header, 0xD9E1F2);
	format_set_align(x->header, LXW_ALIGN_CENTER);
	x->count = workbook_add_format(x->wb);
	format_set_num_format(x->count, "0");
	x->percent = workbook_add_format(x->wb);
	format_set_num_format(x->percent, "0.0%");
	x->note = workbook_add_format(x->wb);
	format_set_italic(x->note);
}

int xlsx_open(const char *path, struct xlsx **out)
{
	struct xlsx *x = calloc(1, sizeof *x);
	const char *base = strrchr(path, '/');
	int fd;

	if (!x)
		return -ENOMEM;
	base = base ? base + 1 : path;
	x->path = strdup(path);
	x->dir = path_dir(path);
	if (!x->path || !x->dir || asprintf(&x->tmp, "%s/.%s.XXXXXX", x->dir, base) < 0) {
		x->tmp = NULL;
		xlsx_close(x, false);
		return -ENOMEM;
	}
	/* mkstemp makes it 0600 whatever the umask; libxlsxwriter's fopen
	 * truncates it and keeps the mode. */
	if ((fd = mkstemp(x->tmp)) < 0) {
		int rc = -errno;
		free(x->tmp);
		x->tmp = NULL;
		xlsx_close(x, false);
		return rc;
	}
	close(fd);
	lxw_workbook_options opts = {.tmpdir = x->dir};
	if (!(x->wb = workbook_new_opt(x->tmp, &opts))) {
		xlsx_close(x, false);
		return -ENOMEM;
	}
	make_formats(x);
	*out = x;
	return 0;
}

int xlsx_sheet(struct xlsx *x, const char *name, const char *title,
               const struct xlsx_column *cols, size_t n_cols)
{
	finish_sheet(x);
	if (x->err)
		return x->err;
	if (n_cols == 0 || strlen(name) >= sizeof x->sheet ||
	    workbook_validate_sheet_name(x->wb, name) != LXW_NO_ERROR)
		return fail(x, -EINVAL);
	if (!(x->widths = calloc(n_cols, sizeof *x->widths)) ||
	    !(x->ws = workbook_add_worksheet(x->wb, name)))
		return fail(x, -ENOMEM);
	snprintf(x->sheet, sizeof x->sheet, "%s", name);
	x->cols = cols;
	x->n_cols = n_cols;
	x->rows = x->notes = x->charts = 0;
	if (n_cols > 1)
		lxw_rc(x, worksheet_merge_range(x->ws, 0, 0, 0, (lxw_col_t)(n_cols - 1), title,
		                                x->title));
	else
		lxw_rc(x, worksheet_write_string(x->ws, 0, 0, title, x->title));
	lxw_rc(x, worksheet_set_row(x->ws, 0, 24, NULL));
	for (size_t c = 0; c < n_cols; c++) {
		lxw_rc(x, worksheet_write_string(x->ws, 1, (lxw_col_t)c, cols[c].header, x->header));
		widen(x, c, text_width(cols[c].header));
	}
	worksheet_freeze_panes(x->ws, FIRST_DATA, 0);
	return x->err;
}

int xlsx_row(struct xlsx *x, const struct xlsx_cell *cells)
{
	char digits[32];

	if (x->err || !x->ws)
		return fail(x, -EINVAL);
	lxw_row_t row = (lxw_row_t)(FIRST_DATA + x->rows++);
	for (size_t c = 0; c < x->n_cols; c++) {
		const struct xlsx_cell *v = &cells[c];
		lxw_col_t col = (lxw_col_t)c;
		if (v->text) {
			if (*v->text)
				lxw_rc(x, worksheet_write_string(x->ws, row, col, v->text, NULL));
			widen(x, c, text_width(v->text));
		} else if (x->cols[c].kind == XLSX_PERCENT) {
			lxw_rc(x, worksheet_write_number(x->ws, row, col, v->num, x->percent));
			widen(x, c, 6);
		} else {
			lxw_rc(x, worksheet_write_number(x->ws, row, col, v->num,
			                                 x->cols[c].kind == XLSX_INT ? x->count : NULL));
			widen(x, c, (double)snprintf(digits, sizeof digits, "%.15g", v->num));
		}
	}
	return x->err;
}

int xlsx_note(struct xlsx *x, const char *text)
{
	if (x->err || !x->ws)
		return fail(x, -EINVAL);
	/* A blank row between the data and the first note. */
	lxw_row_t row = (lxw_row_t)(FIRST_DATA + x->rows + 1 + x->notes++);
	return lxw_rc(x, worksheet_write_string(x->ws, row, 0, text, x->note));
}

int xlsx_chart(struct xlsx *x, const struct xlsx_chart *c)
{
	if (x->err || !x->ws || c->n_rows == 0 || c->n_values == 0 || c->label_col >= x->n_cols)
		return fail(x, -EINVAL);
	lxw_chart *chart = workbook_add_chart(x->wb, LXW_CHART_COLUMN);
	if (!chart)
		return fail(x, -ENOMEM);
	lxw_row_t first = (lxw_row_t)(FIRST_DATA + c->first_row);
	lxw_row_t last = (lxw_row_t)(first + c->n_rows - 1);
	for (size_t i = 0; i < c->n_values; i++) {
		lxw_col_t col = (lxw_col_t)c->value_cols[i];
		lxw_chart_series *s = col < x->n_cols ? chart_add_series(chart, NULL, NULL) : NULL;
		if (!s)
			return fail(x, -EINVAL);
		chart_series_set_categories(s, x->sheet, first, (lxw_col_t)c->label_col, last,
		                            (lxw_col_t)c->label_col);
		chart_series_set_values(s, x->sheet, first, col, last, col);
		chart_series_set_name_range(s, x->sheet, 1, col);
	}
	chart_title_set_name(chart, c->title);
	if (x->cols[c->value_cols[0]].kind == XLSX_PERCENT)
		chart_axis_set_num_format(chart->y_axis, "0%");
	chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
	/* Wider with more regions, so their names stay legible. */
	lxw_chart_options opts = {.x_scale = c->n_rows > 8 ? (double)c->n_rows / 8 : 1.0,
	                          .y_scale = 1.2};
	lxw_row_t at = (lxw_row_t)(FIRST_DATA + x->rows + 1 + x->notes + (x->notes ? 1 : 0) +
	                           x->charts++ * 20);
	return lxw_rc(x, worksheet_insert_chart_opt(x->ws, at, 0, chart, &opts));
}

int xlsx_close(struct xlsx *x, bool keep)
{
	int rc;

	finish_sheet(x);
	if (x->wb) {
		if (keep && !x->err)
			lxw_rc(x, workbook_close(x->wb));
		else
			lxw_workbook_free(x->wb);
	}
	rc = keep ? x->err : 0;
	if (x->tmp && keep && rc == 0 && rename(x->tmp, x->path) != 0)
		rc = -errno;
	if (x->tmp && (!keep || rc != 0))
		unlink(x->tmp);
	free(x->tmp);
	free(x->dir);
	free(x->path);
	free(x);
	return rc;
}
