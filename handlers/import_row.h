/*
 * The rows of cqoctl's CSV files: which columns each kind of file has (the
 * 信息表's Chinese names first, then other names and English aliases — the
 * same names exports write, so an export imports again), matching a header
 * to them, and checking one row with the chat commands' field rules
 * (validate.h) into the values daemon/store_import.h takes.
 *
 * Checks that need the database (does the region exist, which term does
 * its policy give) are the caller's, as in the chat handlers.
 */
#ifndef CQOD_IMPORT_ROW_H
#define CQOD_IMPORT_ROW_H

#include <stdbool.h>
#include <stddef.h>

#include "../store/store_import.h"

enum import_kind {
	IMPORT_ENTERPRISES = 0,
	IMPORT_CQOS,
	IMPORT_TRAININGS,
	IMPORT_SANCTIONS,
};

/* Every column any kind of file has. */
enum import_col {
	IC_RECORD, IC_NAME, IC_GENDER, IC_BIRTH, IC_EDUCATION, IC_MAJOR, IC_YEARS,
	IC_POSITION, IC_TITLE, IC_PHONE, IC_EMAIL, IC_RESUME,
	IC_ENTERPRISE, IC_CREDIT, IC_REGION, IC_REGION_NAME, IC_INDUSTRY, IC_EMPLOYEES,
	IC_NATURE, IC_SIZE, IC_PRODUCTS, IC_CONTACT_NAME, IC_CONTACT_PHONE, IC_CATEGORY,
	IC_TAG_FIRST,                                   /* one per tag, store_import_tag_name order */
	IC_DOC = IC_TAG_FIRST + STORE_IMPORT_TAGS, IC_START, IC_TERM_END, IC_TERM, IC_STATUS,
	IC_ENDED_ON, IC_END_REASON, IC_REMARKS,
	IC_TRAIN_KIND, IC_TRAIN_DATE, IC_HOURS, IC_CERTIFICATE, IC_INSTITUTION, IC_LEVEL, IC_TIER,
	IC_SANCTION_ID, IC_SAN_KIND, IC_GROUND, IC_REASON, IC_ISSUED_ON, IC_SCHEDULED_AT,
	IC_PLACE, IC_RECTIFY_BY, IC_SAN_STATUS,
	IC_ERRORS,                                      /* the reasons in a reject file */
	IC_COUNT,
};

#define IMPORT_COL_REQUIRED 1u   /* the file must have it and every row fill it */
#define IMPORT_COL_IGNORED  2u   /* exports write it; imports read past it */
#define IMPORT_COL_NO_EXPORT 4u  /* imports take it; exports do not write it */

struct import_column {
	enum import_col col;
	const char *key;     /* English name: JSON key of exports */
	const char *names;   /* '|'-separated; the first is the header exports write */
	unsigned flags;
};

/* "enterprises", "cqos" (or "registry"), "trainings", "sanctions". */
int import_kind_parse(const char *word, enum import_kind *out);

/* The columns of `kind` in export order; *n entries. */
const struct import_column *import_columns(enum import_kind kind, size_t *n);

/* The first of a column's names (its header) into buf. */
void import_column_header(const struct import_column *c, char *buf, size_t len);

/* A file's header matched to its kind's columns. */
struct import_header {
	enum import_kind kind;
	int at[IC_COUNT];            /* file column of each column, -1 when absent */
	char *const *cells;          /* the header cells (borrowed, trimmed) */
	size_t n_cells;
};

/* Trims the header cells in place and matches them. 0, or -EINVAL with one
 * reason in why (a required column missing, two cells for one column).
 * Cells that match nothing are listed in `unknown` (joined by "、", cut
 * short at ulen). */
int import_header_read(enum import_kind kind, char **cells, size_t n, struct import_header *h,
                       char *why, size_t wlen, char *unknown, size_t ulen);

/* Receives each problem of a row: the column as the file names it, the
 * value as written and the reason. */
struct import_sink {
	void (*problem)(void *arg, const char *column, const char *value, const char *why);
	void *arg;
};

/* One checked row. The store structs point into the row's own buffers and
 * into the file's cells, so a row must not move once read. */
struct import_row {
	unsigned line;
	char credit_code[19], industry[8], size[16], contact_phone[32];
	char gender[8], birth_date[11], phone[32];
	char start_date[11], term_end[11], ended_on[11], date[11], rectify_by[11];
	char region[16];             /* the code a region name resolves to */
	bool region_by_name;         /* the enterprise's region_code is still a name */
	union {
		struct store_import_enterprise enterprise;
		struct store_import_cqo cqo;
		struct store_import_training training;
		struct store_import_sanction sanction;
	} in;
};

/* The enterprise part of a row of either kind that has one, else NULL. */
struct store_import_enterprise *import_row_enterprise(enum import_kind kind,
                                                      struct import_row *row);

/* Trims the row's cells in place (and takes off csv.h's formula guard),
 * then checks them. A region given by name is left in region_code with
 * region_by_name set, for the caller to resolve into region. `today` is "YYYY-MM-DD" (no birth, training or
 * sanction date after it). cqo.term_months is left 0 unless the file gives
 * a 任期; the caller sets the policy's. Returns 0, or -EINVAL after
 * reporting every problem to `sink`. */
int import_row_read(const struct import_header *h, char **cells, size_t n, const char *today,
                    struct import_row *row, const struct import_sink *sink);

/* Cuts ASCII blanks and the ideographic space (U+3000) off both ends of s,
 * in place; returns the start of what is left. */
char *import_trim(char *s);

/* true when header cell i is a column of none of the kind's names (blank
 * cells are not columns). */
bool import_header_unknown(const struct import_header *h, size_t i);

/* The column's header as the file writes it, for reports ("" if absent). */
const char *import_header_name(const struct import_header *h, enum import_col col);

/* The display name of a stored appointment or sanction status (在任, 未结
 * ...), as exports write it and imports read it; the value itself when
 * unknown. */
const char *import_status_text(const char *status);

#endif
