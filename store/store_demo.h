/*
 * Sample data (store/store_demo.c): the fictional demo registry and
 * generated CQOs for benchmarks. Regions must be loaded first.
 *
 * Nothing here begins or commits a transaction: the caller writes inside
 * its own. cqoctl demo writes the demo in one (a few dozen rows); cqoctl
 * seed adds CQOs in chunks, one transaction each, so that the daemon's
 * writes get through in between.
 */
#ifndef CQOD_STORE_DEMO_H
#define CQOD_STORE_DEMO_H

#include <stddef.h>

struct store;

/* Fills an empty registry with clearly fictional sample data relative to
 * `today` (YYYY-MM-DD): a handful of enterprises, CQOs, trainings, one term
 * expiring within 30 days, one open sanction. -EEXIST if the registry already
 * has enterprises or people, -ENOENT without the regions. */
int store_demo_seed(struct store *st, const char *today);

/* A generator of `n` fictional CQOs dated from `today`: -EINVAL when n is
 * 0 or their numbers would pass eight digits, -ENOENT without the regions.
 * Freed by store_bench_close. */
struct store_bench;
int store_bench_open(struct store *st, size_t n, const char *today, struct store_bench **out);
/* Adds `count` (at least 1) CQOs, each whole with its enterprise, person,
 * record, a training and some categories, numbered on from the newest
 * enterprise, so that numbers (and credit codes) stay unique across calls
 * and runs. -EINVAL past the eight digits the numbers have. */
int store_bench_add(struct store_bench *b, size_t count);
void store_bench_close(struct store_bench *b);

#endif
