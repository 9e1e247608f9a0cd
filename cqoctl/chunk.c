/* Long writes in short transactions; see chunk.h. */
#include "chunk.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>

#include "../lib/clock.h"
#include "../lib/log.h"
#include "../store/store.h"

/* What a chunk aims at from BEGIN to the end of COMMIT, less a margin for
 * the step that crosses it. */
#define CHUNK_AIM_MS (CHUNK_MS - 10)

static void pause_ms(unsigned ms)
{
	struct timespec ts = {0, (long)ms * 1000000L};
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Whether a chunk that has run `ms` with `rows` rows should take another
 * step: that step is expected to take as long as the last one (step_ms),
 * and the COMMIT (writing and syncing the pages the rows changed) as long
 * per row as the last one did. Before any COMMIT, half the time is kept
 * for it. */
static bool room_for_more(uint64_t ms, uint64_t step_ms, size_t rows, size_t step_rows,
                          double commit_ms_per_row)
{
	double commit = commit_ms_per_row < 0 ? CHUNK_AIM_MS / 2.0
	                                       : commit_ms_per_row * (double)(rows + step_rows);
	return (double)(ms + step_ms) + commit < CHUNK_AIM_MS;
}

/* The gap between two chunks: the WAL the chunk before wrote is copied into
 * the database here, while the write lock is free, instead of in the
 * COMMIT that holds it (there it was up to half a chunk's time). A
 * checkpoint that fails leaves its pages to a later one. */
static void gap(struct store *st)
{
	uint64_t t0 = clock_mono_ms();
	int rc = store_checkpoint_passive(st);

	if (rc < 0 && rc != -EBUSY)
		log_warn("cqoctl: checkpoint between chunks failed: %s", strerror(-rc));
	uint64_t spent = clock_mono_ms() - t0;
	if (spent < CHUNK_GAP_MS)
		pause_ms((unsigned)(CHUNK_GAP_MS - spent));
}

static int run(struct store *st, size_t n, const struct chunk_limits *lim,
               const struct chunk_job *job, struct progress *bar, struct chunk_stats *out)
{
	double commit_ms_per_row = -1;

	while (out->done < n) {
		if (out->chunks)
			gap(st);
		int rc = store_begin(st);
		if (rc < 0)
			return rc;
		/* The lock is ours from here: BEGIN may have waited for it. */
		uint64_t t0 = clock_mono_ms();
		size_t i = out->done;
		size_t last = n - i > lim->max_rows ? i + lim->max_rows : n;
		if (job->opened)
			rc = job->opened(job->arg);
		while (rc == 0) {
			size_t j = last - i > lim->step ? i + lim->step : last;
			uint64_t s0 = clock_mono_ms();
			rc = job->apply(job->arg, i, j);
			uint64_t s1 = clock_mono_ms();
			i = j;
			if (bar)
				progress_update(bar, i);
			if (i == last || !room_for_more(s1 - t0, s1 - s0, i - out->done, lim->step,
			                                commit_ms_per_row))
				break;
		}
		if (job->closing)
			rc = job->closing(job->arg, rc);
		uint64_t t1 = clock_mono_ms();
		rc = store_end(st, rc);
		if (rc < 0)
			return rc;
		uint64_t t2 = clock_mono_ms();
		log_info("cqoctl: chunk %zu: %zu rows in %llu ms, COMMIT %llu ms", out->chunks + 1,
		         i - out->done, (unsigned long long)(t2 - t0), (unsigned long long)(t2 - t1));
		commit_ms_per_row = (double)(t2 - t1) / (double)(i - out->done);
		out->done = i;
		out->chunks++;
		out->total_ms += t2 - t0;
		if (t2 - t0 > out->max_ms)
			out->max_ms = t2 - t0;
	}
	return 0;
}

int chunk_run(struct store *st, size_t n, const struct chunk_limits *lim,
              const struct chunk_job *job, struct progress *bar, struct chunk_stats *out)
{
	memset(out, 0, sizeof *out);
	int rc = store_autocheckpoint(st, false);
	if (rc == 0)
		rc = run(st, n, lim, job, bar, out);
	int on = store_autocheckpoint(st, true);
	return rc ? rc : on;
}
