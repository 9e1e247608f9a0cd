/*
 * Targets (目标) of a region, category and year: the appointment rate
 * (聘任率), as most seeds set them, and the others the seeds set: the share
 * of the CQOs in office trained (培训率, seed 001) and the number of first
 * filings in the year (新备案, seed 003). The target in force for a region
 * (statistics, the chat's 目标), setting one (目标, cqoctl target set) and
 * listing them (cqoctl target list).
 */
#ifndef CQOD_STORE_TARGET_H
#define CQOD_STORE_TARGET_H

#include <stdbool.h>

struct store;
struct store_actor;

enum store_target_metric {
	STORE_TARGET_RATE = 0,         /* appointed / enterprises, 0..1 */
	STORE_TARGET_TRAINED,          /* trained / appointed, 0..1 */
	STORE_TARGET_NEW_FILINGS,      /* first filings in the year, a whole number */
};
#define STORE_TARGET_METRICS 3
#define STORE_TARGET_COUNT_MAX 1000000

struct store_target_row {
	char region_code[16];
	char region_name[96];      /* "" when the code is not in regions */
	char category[16];
	int year;
	enum store_target_metric metric;
	double value;              /* a share 0..1, or the number of filings */
};

/* Called per target; a non-zero return stops the listing and is returned. */
typedef int (*store_target_fn)(void *arg, const struct store_target_row *row);

/* The targets set for regions within `scope` (a region-code prefix, "" =
 * everywhere), of `category` (NULL = any) and `year` (0 = any), by region,
 * category, year and metric. -EINVAL for a bad scope. */
int store_target_each(struct store *st, const char *scope, const char *category, int year,
                      store_target_fn fn, void *arg);

/* The target of `metric` in force for (region, category, year): the
 * region's own or its nearest ancestor's. `from` (16 bytes, may be NULL)
 * gets the region the target is set for. -ENOENT when none applies. */
int store_target_get(struct store *st, const char *region, const char *category, int year,
                     enum store_target_metric metric, double *value, char *from);

/* Sets or replaces the target of exactly (region, category, year, metric),
 * with an audit row (entity "target") in the same transaction. *had_old
 * (may be NULL) says whether one was replaced and *old_value (may be NULL)
 * its value. -EINVAL for an unknown region, a bad category, year
 * (2000..2200), metric or value (a share 0..1; a whole number of filings
 * 0..STORE_TARGET_COUNT_MAX). */
int store_target_set(struct store *st, const struct store_actor *who, const char *region,
                     const char *category, int year, enum store_target_metric metric,
                     double value, bool *had_old, double *old_value);

#endif
