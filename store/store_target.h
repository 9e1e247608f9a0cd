/*
 * Appointment-rate targets (聘任率目标): the target in force for a region
 * (statistics, the chat's 目标), setting one (目标, cqoctl target set) and
 * listing them (cqoctl target list).
 */
#ifndef CQOD_STORE_TARGET_H
#define CQOD_STORE_TARGET_H

#include <stdbool.h>

struct store;
struct store_actor;

struct store_target_row {
	char region_code[16];
	char region_name[96];      /* "" when the code is not in regions */
	char category[16];
	int year;
	double rate;               /* 0..1 */
};

/* Called per target; a non-zero return stops the listing and is returned. */
typedef int (*store_target_fn)(void *arg, const struct store_target_row *row);

/* The targets set for regions within `scope` (a region-code prefix, "" =
 * everywhere), of `category` (NULL = any) and `year` (0 = any), by region,
 * category and year. -EINVAL for a bad scope. */
int store_target_each(struct store *st, const char *scope, const char *category, int year,
                      store_target_fn fn, void *arg);

/* The target in force for (region, category, year): the region's own or its
 * nearest ancestor's. *rate in 0..1; `from` (16 bytes, may be NULL) gets
 * the region the target is set for. -ENOENT when none applies. */
int store_target_get(struct store *st, const char *region, const char *category, int year,
                     double *rate, char *from);

/* Sets or replaces the target of exactly (region, category, year), with an
 * audit row (entity "target") in the same transaction. *had_old (may be
 * NULL) says whether one was replaced and *old_rate (may be NULL) its rate.
 * -EINVAL for an unknown region, a bad category, year (2000..2200) or rate
 * (0..1). */
int store_target_set(struct store *st, const struct store_actor *who, const char *region,
                     const char *category, int year, double rate, bool *had_old,
                     double *old_rate);

#endif
