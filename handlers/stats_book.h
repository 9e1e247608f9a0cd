/*
 * The 《企业首席质量官基本情况统计表》 as an Excel workbook (lib/xlsx.h):
 * one sheet per enterprise category with the chat's 统计 cells as numbers,
 * the date counted underneath and a bar chart of each sub-region's rate
 * beside its target. Written by cqoctl export stats --format xlsx and by the
 * daemon's file worker for 导出 统计, so both files are the same.
 */
#ifndef CQOD_STATS_BOOK_H
#define CQOD_STATS_BOOK_H

#include <stdbool.h>
#include <stdint.h>

#include "../lib/xlsx.h"

struct store;
struct store_stats;

/* Whether the block has a total row (not for a county's one row, which is
 * the county itself; always for a category with no enterprises). */
bool stats_book_wants_total(const struct store_stats *s);

/* One category's sheet of book. 0 or -errno. */
int stats_book_sheet(struct xlsx *book, const struct store_stats *s);

/* The sheets of `region` ("" the whole country), `year` counted as of
 * `today`: every enterprise tag's, or only `category`'s when not NULL (a
 * tag or STORE_STATS_SME).
 * *enterprises gets how many enterprises they count (0: nothing to send).
 * 0 or -errno (store or workbook). */
int stats_book_write(struct store *st, const char *region, const char *category, int year,
                     const char *today, struct xlsx *book, int64_t *enterprises);

#endif
