/*
 * Long writes in short transactions, so that the daemon, whose event loop
 * must not wait on a lock, is held up by cqoctl for a tenth of a second at
 * most rather than for the whole job.
 *
 * chunk_run writes rows [0, n) of a job by calling apply() on consecutive
 * ranges of at most `step` rows, grouped into chunks: each chunk is one
 * transaction (BEGIN IMMEDIATE ... COMMIT). It guarantees:
 *   - a chunk commits all its rows or none (a failed apply() rolls the
 *     chunk back), so rows [0, done) are in the database whatever happens
 *     after, a crash included;
 *   - a chunk holds the write lock for at most max_rows rows and about
 *     CHUNK_MS: it takes another step only when the time since its BEGIN
 *     (monotonic clock), that step (as long as the step before) and the
 *     COMMIT it expects (as long per row as the last chunk's) stay under
 *     CHUNK_MS, so it overruns only by a step slower than the one before
 *     and a misjudged COMMIT;
 *   - between two chunks the lock is free for CHUNK_GAP_MS, so that any
 *     writer that retries at least that often (SQLite's busy handler
 *     retries within 25 ms during its first 128 ms of waiting, and within
 *     50 ms up to 228 ms) gets in after one chunk at most;
 *   - a chunk's COMMIT only appends to the WAL: the WAL is copied into the
 *     database (a passive checkpoint, which takes no write lock) in the
 *     gap after it, so the lock is held for the rows, not for the copy.
 * The job's rows must be idempotent for a cut-short job to be finished by
 * running it again; that is the caller's to ensure.
 */
#ifndef CQOCTL_CHUNK_H
#define CQOCTL_CHUNK_H

#include <stddef.h>
#include <stdint.h>

#include "progress.h"

#define CHUNK_MS 100
#define CHUNK_GAP_MS 50

struct store;

/* Writes rows [from, to) inside the chunk's transaction: 0 or a negative
 * errno, which ends the job. */
typedef int (*chunk_apply_fn)(void *arg, size_t from, size_t to);

/* What a job does with its chunks; arg is passed to each. */
struct chunk_job {
	chunk_apply_fn apply;
	/* May be NULL. opened runs right after BEGIN; closing before the COMMIT,
	 * with the chunk's outcome so far (0, or the failure that will roll it
	 * back), and returns the outcome. Each is called once per chunk. */
	int (*opened)(void *arg);
	int (*closing)(void *arg, int rc);
	void *arg;
};

struct chunk_limits {
	size_t max_rows;             /* rows in one chunk at most */
	size_t step;                 /* rows per apply() call, between looks at the clock */
};

struct chunk_stats {
	size_t done;                 /* rows [0, done) are committed */
	size_t chunks;               /* chunks committed */
	uint64_t max_ms, total_ms;   /* their time from BEGIN to COMMIT */
};

/* Runs the job as above, drawing `bar` (may be NULL) as rows are written
 * and logging each chunk (cqoctl -v). 0, or the negative errno of apply()
 * or of the store. */
int chunk_run(struct store *st, size_t n, const struct chunk_limits *lim,
              const struct chunk_job *job, struct progress *bar, struct chunk_stats *out);

#endif
