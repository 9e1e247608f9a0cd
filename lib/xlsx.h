/*
 * Excel workbooks (.xlsx) with libxlsxwriter, for the exports a clerk sends
 * upward: each sheet has a title row, a frozen header, columns as wide as
 * their text, whole numbers and percentages as numbers with their format,
 * and optionally a native bar chart of some columns.
 *
 * The workbook is written to a temporary file (mode 0600) beside the target
 * and renamed over it only when complete, so a failed export leaves neither
 * a half file nor a temporary one; libxlsxwriter's own temporary files go
 * into the same directory, not into a shared /tmp.
 */
#ifndef CQOD_XLSX_H
#define CQOD_XLSX_H

#include <stdbool.h>
#include <stddef.h>

struct xlsx;

enum xlsx_kind {
	XLSX_TEXT,
	XLSX_INT,      /* a count: "0" */
	XLSX_PERCENT,  /* a share 0..1 shown as "12.5%" */
};

struct xlsx_column {
	const char *header;
	enum xlsx_kind kind;
};

/* One cell: text when text is not NULL ("" leaves it blank), else num in
 * the column's format. */
struct xlsx_cell {
	const char *text;
	double num;
};

/* Two or more columns' values over data rows, one bar per row and column,
 * labelled by another column; series are named by their headers. */
struct xlsx_chart {
	const char *title;
	size_t label_col;
	const size_t *value_cols;
	size_t n_values;
	size_t first_row;          /* data rows, from 0 (below the header) */
	size_t n_rows;
};

/* Starts a workbook to become `path`. 0 and *out, or -errno (the directory
 * is missing or not writable). Finish it with xlsx_close. */
int xlsx_open(const char *path, struct xlsx **out);

/* A new sheet named `name` (at most 31 characters, none of []:*?/\) with
 * the title and the header; rows follow. The caller keeps cols alive until
 * the next xlsx_sheet or xlsx_close. 0, -EINVAL (a bad or repeated name),
 * -ENOMEM. */
int xlsx_sheet(struct xlsx *x, const char *name, const char *title,
               const struct xlsx_column *cols, size_t n_cols);

/* The next data row of the current sheet: one cell per column. */
int xlsx_row(struct xlsx *x, const struct xlsx_cell *cells);

/* A line of text below the data rows (a note on how they were counted). */
int xlsx_note(struct xlsx *x, const char *text);

/* The chart, placed below the data and notes of the current sheet. */
int xlsx_chart(struct xlsx *x, const struct xlsx_chart *c);

/* Writes the workbook and renames it to its path when keep is true and
 * nothing failed before; otherwise discards it. Frees x. 0 or -errno (the
 * first failure of any call since xlsx_open). */
int xlsx_close(struct xlsx *x, bool keep);

#endif
