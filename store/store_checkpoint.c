/*
 * WAL checkpoints on a worker thread (issue 17): with SQLite's automatic
 * checkpoint, the COMMIT that takes the WAL past 1,000 pages copies them
 * into the database file and syncs it on the event loop, which showed in
 * the p99. Here the loop's connection only notes the WAL's size after each
 * commit (its WAL hook, which replaces the automatic checkpoint) and wakes
 * the worker, whose own connection checkpoints.
 *
 * Guarantee: under steady writes the WAL stays near RESTART_PAGES; the
 * loop itself never waits, and its messages wait for the worker only while
 * a RESTART copies the WAL's last few frames, once per RESTART_PAGES (at
 * most WORKER_BUSY_MS more when a reader must finish first).
 *
 * - Past CHECKPOINT_PAGES, a PASSIVE checkpoint each time the WAL has grown
 *   by CHECKPOINT_STEP pages (not after every commit: each checkpoint syncs
 *   the WAL and the database file, beside the loop's own fsyncs), and once
 *   commits pause for IDLE_NS, at any size. A passive checkpoint takes no lock: the loop
 *   writes and reads on meanwhile.
 * - A complete checkpoint does not shorten the WAL: SQLite starts it again
 *   from its beginning only in a write transaction that began after the
 *   checkpoint ended, and under steady load the loop's next BEGIN always
 *   comes first (the WAL reached 54 MB in a 10 s bench). So past
 *   RESTART_PAGES the worker follows a complete passive checkpoint with a
 *   RESTART one, which holds writers off while it copies the few frames
 *   committed since and waits for readers; the loop's BEGIN fails with BUSY
 *   meanwhile and its batch runs again as soon as the RESTART ends
 *   (store_checkpoint_on_release). When a reader kept the passive checkpoint
 *   from completing, the RESTART would wait for that reader with writers
 *   held off: it waits for a later wake instead. So would it for a read of
 *   this process's worker threads (an off-loop 统计, a workbook) that began
 *   after the passive checkpoint, or before it without reading yet: such
 *   reads pass a gate (store_checkpoint_reader_enter/leave) that the RESTART
 *   holds while it runs, and it is skipped while one is open. A read that
 *   comes during a RESTART waits for it on its worker thread, not the loop.
 * - The WAL file is reused from its beginning, not cut back: cutting 16 MiB
 *   off it took 20-30 ms under a lock on this machine, and the appends that
 *   grew it again cost more per fsync than overwrites. Only a file longer
 *   than WAL_LIMIT_BYTES (after a burst) is cut, by the first commit after
 *   the log starts again.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

#include "../lib/log.h"
#include "store_internal.h"

/* SQLite's own automatic checkpoint threshold, in pages. */
#define CHECKPOINT_PAGES 1000
/* Pages the WAL grows by between two checkpoints past the threshold. */
#define CHECKPOINT_STEP 256
/* WAL frames after which the log must start again (16 MiB of 4 KiB pages). */
#define RESTART_PAGES (4 * CHECKPOINT_PAGES)
/* How long the worker waits for the loop's transaction to end (the loop's
 * transactions last milliseconds), or, holding writers off in a RESTART,
 * for a reader (an off-loop 统计 may read for 0.4 s): past it the RESTART
 * gives up until the next wake. */
#define WORKER_BUSY_MS 20
/* Its sleep between two tries: the loop's gaps between transactions last
 * about a millisecond under load, and SQLite's own busy timeout, which
 * sleeps up to 100 ms between tries, missed them for 140 ms and more. */
#define BUSY_POLL_US 100
/* Four times the log under steady writes. */
#define WAL_LIMIT_BYTES "67108864"
/* A pause in the commits after which the worker copies what is left. */
#define IDLE_NS (100 * 1000000L)

/* The gate between this process's off-loop reads and RESTARTs; one per
 * process, whatever the database (an unrelated read only defers a RESTART). */
static pthread_mutex_t reader_gate = PTHREAD_MUTEX_INITIALIZER;
static int open_readers;      /* under reader_gate */

void store_checkpoint_reader_enter(void)
{
	pthread_mutex_lock(&reader_gate);
	open_readers++;
	pthread_mutex_unlock(&reader_gate);
}

void store_checkpoint_reader_leave(void)
{
	pthread_mutex_lock(&reader_gate);
	open_readers--;
	pthread_mutex_unlock(&reader_gate);
}

struct store_checkpointer {
	sqlite3 *db;                /* owned; the worker's own connection */
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool pending, stop;         /* under lock */
	void (*released)(void *);   /* under lock */
	void *released_arg;
	int woken_at;               /* the loop's thread only: WAL pages at the last wake */
	atomic_int wal_pages;       /* after the latest commit */
	atomic_uint commits;        /* the loop's, counted by its WAL hook */
	atomic_uint_fast64_t runs;  /* checkpoints done */
	atomic_int last_rc;         /* of the latest checkpoint */
};

/* After each commit on the loop's connection, with the WAL's size. */
static int on_wal(void *arg, sqlite3 *db, const char *name, int pages)
{
	struct store_checkpointer *cp = arg;

	(void)db;
	(void)name;
	atomic_store(&cp->wal_pages, pages);
	atomic_fetch_add(&cp->commits, 1);
	/* pages below woken_at: the log started again since. */
	if (pages < CHECKPOINT_PAGES ||
	    (pages >= cp->woken_at && pages < cp->woken_at + CHECKPOINT_STEP))
		return SQLITE_OK;
	cp->woken_at = pages;
	pthread_mutex_lock(&cp->lock);
	cp->pending = true;
	pthread_cond_signal(&cp->wake);
	pthread_mutex_unlock(&cp->lock);
	return SQLITE_OK;
}

/* The worker connection's busy handler: tries again every BUSY_POLL_US
 * for WORKER_BUSY_MS. */
static int worker_busy(void *arg, int tries)
{
	const struct timespec pause = {0, BUSY_POLL_US * 1000L};

	(void)arg;
	if (tries >= WORKER_BUSY_MS * 1000 / BUSY_POLL_US)
		return 0;
	nanosleep(&pause, NULL);
	return 1;
}

/* Waits under cp->lock for a wake or, when commits came after the last
 * checkpoint began (seen: the count then), for a pause in them, whatever
 * the WAL's size: a complete checkpoint then lets the next commit start
 * the log again, so a quiet daemon's log is short (and a burst that ended
 * just below the threshold is not left to grow from there). */
static void wait_for_work(struct store_checkpointer *cp, unsigned seen)
{
	while (!cp->pending && !cp->stop) {
		if (atomic_load(&cp->commits) == seen || atomic_load(&cp->wal_pages) == 0) {
			pthread_cond_wait(&cp->wake, &cp->lock);
			continue;
		}
		struct timespec until;
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_nsec += IDLE_NS;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		if (pthread_cond_timedwait(&cp->wake, &cp->lock, &until) == ETIMEDOUT)
			cp->pending = true;
	}
}

/* One checkpoint; returns whether writers were held off. */
static bool checkpoint(struct store_checkpointer *cp)
{
	int log = 0, done = 0;

	/* BUSY (another process's checkpoint runs) is retried at the next
	 * wake. */
	int rc = sqlite3_wal_checkpoint_v2(cp->db, NULL, SQLITE_CHECKPOINT_PASSIVE, &log, &done);
	atomic_fetch_add(&cp->runs, 1);
	bool hold = rc == SQLITE_OK && done == log && log >= RESTART_PAGES;
	if (hold) {
		pthread_mutex_lock(&reader_gate);
		hold = open_readers == 0;
		if (hold) {
			rc = sqlite3_wal_checkpoint_v2(cp->db, NULL, SQLITE_CHECKPOINT_RESTART, NULL,
			                               NULL);
			atomic_fetch_add(&cp->runs, 1);
		}
		pthread_mutex_unlock(&reader_gate);
	}
	atomic_store(&cp->last_rc, rc);
	return hold;
}

static void *worker(void *arg)
{
	struct store_checkpointer *cp = arg;
	unsigned seen = 0;

	pthread_mutex_lock(&cp->lock);
	for (;;) {
		wait_for_work(cp, seen);
		if (cp->stop)
			break;
		cp->pending = false;
		seen = atomic_load(&cp->commits);
		pthread_mutex_unlock(&cp->lock);
		bool held = checkpoint(cp);
		pthread_mutex_lock(&cp->lock);
		if (held && cp->released)
			cp->released(cp->released_arg);
	}
	pthread_mutex_unlock(&cp->lock);
	return NULL;
}

int store_checkpoint_offload(struct store *st)
{
	struct store_checkpointer *cp;
	const char *path = sqlite3_db_filename(st->db, "main");
	int rc;

	if (st->checkpointer)
		return -EALREADY;
	if (!path || !*path)
		return -EINVAL;
	cp = calloc(1, sizeof *cp);
	if (!cp)
		return -ENOMEM;
	rc = sqlite3_open_v2(path, &cp->db, SQLITE_OPEN_READWRITE, NULL);
	/* A connection sees the WAL only once it has read the database:
	 * until then a checkpoint does nothing. */
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(cp->db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		log_warn("store: checkpoint connection: %s",
		         cp->db ? sqlite3_errmsg(cp->db) : sqlite3_errstr(rc));
		sqlite3_close(cp->db);
		free(cp);
		return -EIO;
	}
	sqlite3_busy_handler(cp->db, worker_busy, NULL);
	pthread_mutex_init(&cp->lock, NULL);
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&cp->wake, &attr);
	pthread_condattr_destroy(&attr);
	rc = pthread_create(&cp->thread, NULL, worker, cp);
	if (rc != 0) {
		pthread_cond_destroy(&cp->wake);
		pthread_mutex_destroy(&cp->lock);
		sqlite3_close(cp->db);
		free(cp);
		return -rc;
	}
	/* Past the limit, the first commit after the log starts again cuts the
	 * file back. */
	if (sqlite3_exec(st->db, "PRAGMA journal_size_limit = " WAL_LIMIT_BYTES, NULL, NULL,
	                 NULL) != SQLITE_OK)
		log_warn("store: journal_size_limit: %s", sqlite3_errmsg(st->db));
	/* Replaces the automatic checkpoint, which is a WAL hook too. */
	sqlite3_wal_hook(st->db, on_wal, cp);
	st->checkpointer = cp;
	return 0;
}

void store_checkpoint_stop(struct store *st)
{
	struct store_checkpointer *cp = st->checkpointer;

	if (!cp)
		return;
	sqlite3_wal_autocheckpoint(st->db, CHECKPOINT_PAGES);
	pthread_mutex_lock(&cp->lock);
	cp->stop = true;
	pthread_cond_signal(&cp->wake);
	pthread_mutex_unlock(&cp->lock);
	pthread_join(cp->thread, NULL);
	int rc = atomic_load(&cp->last_rc);
	if (rc != SQLITE_OK && rc != SQLITE_BUSY)
		log_warn("store: the last checkpoint failed: %s", sqlite3_errstr(rc));
	pthread_cond_destroy(&cp->wake);
	pthread_mutex_destroy(&cp->lock);
	sqlite3_close(cp->db);
	free(cp);
	st->checkpointer = NULL;
}

void store_checkpoint_on_release(struct store *st, void (*fn)(void *arg), void *arg)
{
	struct store_checkpointer *cp = st->checkpointer;

	if (!cp)
		return;
	pthread_mutex_lock(&cp->lock);
	cp->released = fn;
	cp->released_arg = arg;
	pthread_mutex_unlock(&cp->lock);
}

uint64_t store_checkpoint_runs(const struct store *st)
{
	return st->checkpointer ? atomic_load(&st->checkpointer->runs) : 0;
}

int store_autocheckpoint(struct store *st, bool on)
{
	return sqlite3_wal_autocheckpoint(st->db, on ? CHECKPOINT_PAGES : 0) == SQLITE_OK
	               ? 0 : store_fail(st, "autocheckpoint", SQLITE_ERROR);
}

int store_checkpoint_passive(struct store *st)
{
	int rc = sqlite3_wal_checkpoint_v2(st->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	if (rc == SQLITE_BUSY)
		return -EBUSY;
	return rc == SQLITE_OK ? 0 : store_fail(st, "checkpoint", rc);
}
