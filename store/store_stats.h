/*
 * Appointment statistics (统计), as structured rows for the chat command
 * and for exports. The targets they are measured against are
 * store_target.h's.
 *
 * A year is counted as it stood on its last day (today, for the current
 * year): an enterprise is 已聘任 when a term of one of its appointments
 * covers that date and the appointment had not ended before it, so a
 * lapsed term or a later filing never counts. Of the terms starting in the
 * year, first filings (term 1 of an appointment without a predecessor),
 * renewals (terms 2 and later) and replacements (term 1 of an appointment
 * with a predecessor, 更换) are counted apart.
 *
 * A category holds for a year: an undated tag every year, an annual list
 * (enterprise_tags.year) for its year; a year without its own list uses
 * the nearest earlier one (list_year says which).
 *
 * For a region and an enterprise category, one row per region directly below
 * it (a county: the county itself) that has enterprises of the category,
 * with the appointment-rate target of that region, category and year (a
 * region without its own target inherits its nearest ancestor's). The total
 * row sums the rows and carries the chosen region's own target; the targets
 * of the trained share and of the year's first filings come the same way.
 */
#ifndef CQOD_STORE_STATS_H
#define CQOD_STORE_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;

/* A target other than the rate, as in force for a row (store_target.h). */
struct store_stats_goal {
	bool set;
	double value;               /* a share 0..1, or a number of filings */
	char region[16];            /* the region it is set for */
};

struct store_stats_row {
	char region_code[16];       /* "" in the total row of the whole country */
	char region_name[96];       /* "" when the code is not in regions (or "") */
	int64_t enterprises;        /* enterprises of the category in the year */
	int64_t appointed;          /* ... with a CQO on the date counted */
	int64_t trained;            /* ... whose CQO had a 任职培训 by then */
	int64_t new_filings;        /* first terms starting in the year (当年新备案) */
	int64_t renewals;           /* terms 2.. starting in the year (续聘) */
	int64_t replacements;       /* appointments with a predecessor starting in it (更换) */
	bool has_target;
	double target;              /* 0..1, when has_target */
	char target_region[16];     /* the region whose target applies */
	struct store_stats_goal trained_goal;   /* share of the appointed trained */
	struct store_stats_goal new_goal;       /* first filings in the year */
};

struct store_stats {
	char region_code[16];       /* as asked; "" = the whole country */
	char category[16];
	int year;
	char as_of[11];             /* the date counted, YYYY-MM-DD */
	int list_year;              /* the annual list used; 0: none, undated tags only */
	struct store_stats_row *rows;   /* owned; n_rows, by region code */
	size_t n_rows;
	struct store_stats_row total;
};

/* 中小企业: no tag but the enterprises whose 企业规模 is 中型 or 小微 (统计上
 * 大中小微型企业划分办法), a category targets are set for (seed 001). */
#define STORE_STATS_SME "中小企业"

/* true for an enterprise tag (store_category_valid) or STORE_STATS_SME. */
bool store_stats_category_valid(const char *category);

/* Computes the statistics of `region` ("" or a 2/4/6-digit code), `category`
 * (an enterprise tag: 规上, 链主, ..., or STORE_STATS_SME) and `year`, counted
 * on the year's last day or `today` (YYYY-MM-DD), whichever is earlier.
 * -EINVAL for a bad argument. On success free *out with store_stats_free. */
int store_stats_compute(struct store *st, const char *region, const char *category, int year,
                        const char *today, struct store_stats *out);
void store_stats_free(struct store_stats *s);

/* The appointment rate appointed/enterprises (0 when there are none). */
double store_stats_rate(const struct store_stats_row *r);
/* target - rate when the target is set and not met, else 0. */
double store_stats_gap(const struct store_stats_row *r);
/* trained/appointed (0 when none is appointed). */
double store_stats_trained_share(const struct store_stats_row *r);
/* The trained-share target less the share when set and not met, else 0
 * (met when none is appointed). */
double store_stats_trained_gap(const struct store_stats_row *r);
/* The first filings the year's target still wants, 0 when met or unset. */
int64_t store_stats_new_gap(const struct store_stats_row *r);

#endif
