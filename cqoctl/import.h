/*
 * cqoctl import, in three steps over one in-memory copy of the file:
 *   import.c          options, reading, decoding to UTF-8, splitting CSV;
 *   import_prepare.c  checking every row (field rules, repeats within the
 *                     file, what the database would refuse) before
 *                     anything is written;
 *   import_apply.c    the reject file, writing the good rows in short
 *                     transactions, and the summary.
 * A transaction holds the write lock, so everything that can be done
 * before one is done before it.
 */
#ifndef CQOCTL_IMPORT_H
#define CQOCTL_IMPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "../lib/textenc.h"
#include "../handlers/import_row.h"
#include "ctl.h"

/* One problem line, printed with the others in file order at the end. */
struct import_report {
	unsigned line;
	size_t seq;                  /* order found, among problems of one line */
	char *text;                  /* owned: the whole line */
};

/* One CSV record: fields[first .. first+n) of the job. */
struct import_record {
	unsigned line;
	size_t first, n;
};

#define IMPORT_MAX_IGNORE 32   /* --ignore-column options */

struct import_job {
	struct ctl *ctl;
	enum import_kind kind;
	const char *path;
	char *reject_path;           /* owned */
	enum textenc encoding;       /* asked for; then the one read */
	unsigned tags;               /* --tag bits for every enterprise */
	int tags_year;               /* --year: the categories are that year's list; 0: undated */
	bool skip_bad, dry_run;
	const char *ignore[IMPORT_MAX_IGNORE];   /* --ignore-column names (argv's) */
	size_t n_ignore;

	char *text;                  /* owned: the file as UTF-8 */
	size_t text_len;
	char **fields;               /* owned array; the strings are in text */
	size_t n_fields;
	struct import_record *recs;  /* owned; recs[0] is the header */
	size_t n_recs;

	struct import_header header;
	/* Row i is record i + 1. */
	struct import_row *rows;     /* owned */
	char **reasons;              /* owned: NULL for a good row, else its problems */
	bool *blank;                 /* owned: an empty row, skipped */
	/* Owned: a good row the checks found would write nothing, which no
	 * earlier row that writes shares an enterprise or person with: counted
	 * as unchanged, not written. */
	bool *same;
	/* Owned: a row of `same` the full check found unchanged (it was not
	 * known so, store_import_cqo_known): remembered after the writes
	 * (store_import_cqo_confirm), so that the next import knows it. */
	bool *confirm;
	/* Owned: a good CQO row that creates its enterprise, person and record,
	 * the first row of the file with its credit code and with its name and
	 * phone: written together with its neighbours of the same kind
	 * (store_import_cqos_new). */
	bool *fresh;
	size_t n_rows, n_bad;
	size_t current;              /* the row being checked or written */
	struct import_report *report;   /* owned; the problems found */
	size_t n_report, cap_report;
	bool out_of_memory;          /* a problem could not be kept: fail */
};

/* Reports one problem of job->current: keeps its line for the report and
 * its reason for the reject file. `column` "" for a problem of the whole
 * row. */
void import_problem(void *job, const char *column, const char *value, const char *why);

/* Prints the problems found so far to stderr, in file order. */
void import_report_flush(struct import_job *job);

/* The same for a problem found in the cells of row i after its field
 * checks: in column `col` (its cell is quoted). */
void import_row_problem(struct import_job *job, size_t i, enum import_col col, const char *fmt,
                        ...) __attribute__((format(printf, 4, 5)));

/* Checks every row, reading the database; 0, or CTL_FAILED after printing
 * why (out of memory, database). Bad rows are counted in n_bad with their
 * reasons. */
int import_prepare(struct import_job *job);

/* Prints the problems found; then, unless bad rows remain and --skip-bad
 * is not given, writes the reject file, the good rows and the summary.
 * Returns the exit status. */
int import_apply(struct import_job *job);

#endif
