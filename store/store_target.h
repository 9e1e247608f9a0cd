/*
 * Listing appointment-rate targets (聘任率目标) for cqoctl target list.
 * Reading the target in force and setting one are store_stats.h's
 * (store_target_get, store_target_set), shared with the chat's 目标.
 */
#ifndef CQOD_STORE_TARGET_H
#define CQOD_STORE_TARGET_H

struct store;

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

#endif
