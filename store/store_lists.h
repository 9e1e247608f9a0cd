/*
 * The clerks' work lists: terms ending soon (到期), terms ended without
 * renewal or successor (逾期), CQOs short of training (未培训), open
 * sanctions (处理名单) and enterprises of a category without a CQO (空缺).
 *
 * Every list is limited to a scope (a GB/T 2260 region-code prefix, "" =
 * everywhere; enterprises are selected by an index range on their region
 * code) and read a page at a time: from `offset`, up to `max` rows into
 * `out`, *n rows written, *total rows in the whole list. Rows are copied
 * into the caller's array; nothing is left for the caller to free.
 * Returns 0, -EINVAL (bad scope, date or category) or a store error.
 */
#ifndef CQOD_STORE_LISTS_H
#define CQOD_STORE_LISTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;

/* A registry record as a list line shows it. */
struct store_list_cqo {
	int64_t appointment_id;     /* the record number (记录号) */
	char person_name[64];
	char enterprise_name[192];
	char region_code[16];
	char region_name[96];
	char term_end[11];          /* YYYY-MM-DD */
};

/* Active appointments with term_end in [from, to] (YYYY-MM-DD), soonest
 * first. */
int store_list_expiring(struct store *st, const char *scope, const char *from, const char *to,
                        size_t offset, struct store_list_cqo *out, size_t max, size_t *n,
                        size_t *total);

/* Appointments whose term ended before `today` that were neither renewed
 * nor succeeded: the newest filing of their enterprise, still 'active' past
 * its term or 'ended'. Longest overdue first. */
int store_list_overdue(struct store *st, const char *scope, const char *today, size_t offset,
                       struct store_list_cqo *out, size_t max, size_t *n, size_t *total);

struct store_list_untrained {
	struct store_list_cqo cqo;
	bool no_appointment_training;   /* policy requires 任职培训 and none is recorded */
	bool hours_short;               /* hours < required_hours */
	double hours;                   /* hours in the year of the kinds that count */
	double required_hours;          /* the region policy's quota, pro rata if it says */
};

/* Active appointments whose person has no 任职培训 (where the region's
 * policy requires one) or fewer training hours in `year`, of the kinds the
 * policy counts, than its annual hours (remind_hours_required); by record
 * number. */
int store_list_untrained(struct store *st, const char *scope, int year, size_t offset,
                         struct store_list_untrained *out, size_t max, size_t *n,
                         size_t *total);

struct store_list_sanction {
	struct store_list_cqo cqo;
	int64_t sanction_id;            /* 处理号 */
	char kind[24];                  /* 约谈, 警示, 除名, 黑名单, 建议解聘 */
	char ground[32];                /* "" when none was given */
	char issued_on[11];
};

/* Open sanctions, newest first. */
int store_list_sanctions(struct store *st, const char *scope, size_t offset,
                         struct store_list_sanction *out, size_t max, size_t *n,
                         size_t *total);

struct store_list_vacant {
	int64_t enterprise_id;
	char enterprise_name[192];
	char credit_code[19];
	char region_code[16];
	char region_name[96];
	int64_t last_appointment_id;    /* the enterprise's newest filing; 0 = never filed */
	char last_person[64];
	char last_ended_on[11];
};

/* Enterprises tagged `category` (规上, 链主, ...) with no active
 * appointment, by region then enterprise. */
int store_list_vacant(struct store *st, const char *scope, const char *category, size_t offset,
                      struct store_list_vacant *out, size_t max, size_t *n, size_t *total);

/* true for an enterprise category (enterprise_tags.tag). */
bool store_category_valid(const char *category);

/* The index range [lo, hi) of the region codes within `scope` (a 2-, 4- or
 * 6-digit code, or "" for everywhere): lo is the scope itself and hi the
 * scope with its last digit raised by one (':' follows '9'). 0 or -EINVAL. */
int store_scope_range(const char *scope, char lo[8], char hi[8]);

#endif
