/*
 * Counting the statements a store connection starts, for tests that pin
 * how many a store function runs (a trigger's statements are not counted).
 */
#ifndef CQOD_TEST_STATEMENT_COUNT_H
#define CQOD_TEST_STATEMENT_COUNT_H

struct store;

/* From now on, each statement st's connection starts adds one to *count
 * (the caller's, alive until statement_count_stop). */
void statement_count_start(struct store *st, int *count);
void statement_count_stop(struct store *st);

#endif
