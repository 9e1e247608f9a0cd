/*
 * WAL checkpoints on a worker thread (issue 17): with SQLite's automatic
 * checkpoint, the COMMIT that takes the WAL past 1,000 pages copies them
 * into the database file and syncs it on the event loop, which showed in
 * the p99. Here the loop's connection only notes the WAL's size after each
 * commit (its WAL hook, which replaces the automatic checkpoint) and wakes
 * the worker, whose own connection runs a PASSIVE checkpoint: it never
 * waits for a lock and blocks neither the loop's writes nor its reads. The
 * next write transaction after a complete checkpoint starts the WAL from
 * its beginning again, so the file stays near the threshold.
 *
 * Under steady load a passive checkpoint is never complete: commits land
 * while it copies, and the WAL would grow without end (362 MB in a 10 s
 * bench). Past RESTART_PAGES the worker finishes with a RESTART checkpoint,
 * which holds off writers while it copies the few frames the passive one
 * left: the loop's BEGIN then fails with BUSY and the inbox retries on its
 * timer, so the loop still never waits.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "../lib/log.h"
#include "store_internal.h"

/* SQLite's own automatic checkpoint threshold, in pages. */
#define CHECKPOINT_PAGES 1000
/* WAL frames after which the log must start again (16 MiB of 4 KiB pages). */
#define RESTART_PAGES (4 * CHECKPOINT_PAGES)
/* What the WAL file is cut back to once the log starts again (4 MiB, about
 * CHECKPOINT_PAGES frames of 4 KiB). */
#define WAL_LIMIT_BYTES "4194304"
/* How long the worker waits for the loop's transaction to end (its own
 * thread may wait; the loop's transactions last milliseconds). */
#define WORKER_BUSY_MS 200

struct store_checkpointer {
	sqlite3 *db;                /* owned; the worker's own connection */
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool pending, stop;         /* under lock */
	atomic_uint_fast64_t runs;  /* checkpoints done */
	atomic_int last_rc;         /* of the latest checkpoint */
};

/* After each commit on the loop's connection, with the WAL's size. */
static int on_wal(void *arg, sqlite3 *db, const char *name, int pages)
{
	struct store_checkpointer *cp = arg;

	(void)db;
	(void)name;
	if (pages < CHECKPOINT_PAGES)
		return SQLITE_OK;
	pthread_mutex_lock(&cp->lock);
	cp->pending = true;
	pthread_cond_signal(&cp->wake);
	pthread_mutex_unlock(&cp->lock);
	return SQLITE_OK;
}

static void *worker(void *arg)
{
	struct store_checkpointer *cp = arg;

	pthread_mutex_lock(&cp->lock);
	for (;;) {
		while (!cp->pending && !cp->stop)
			pthread_cond_wait(&cp->wake, &cp->lock);
		if (cp->stop)
			break;
		cp->pending = false;
		pthread_mutex_unlock(&cp->lock);
		/* BUSY (another process's checkpoint runs) is retried at the
		 * next commit past the threshold. */
		int log = 0, done = 0;
		int rc = sqlite3_wal_checkpoint_v2(cp->db, NULL, SQLITE_CHECKPOINT_PASSIVE, &log,
		                                   &done);
		if (rc == SQLITE_OK && done < log && log >= RESTART_PAGES)
			rc = sqlite3_wal_checkpoint_v2(cp->db, NULL, SQLITE_CHECKPOINT_RESTART, NULL,
			                               NULL);
		atomic_store(&cp->last_rc, rc);
		atomic_fetch_add(&cp->runs, 1);
		pthread_mutex_lock(&cp->lock);
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
	sqlite3_busy_timeout(cp->db, WORKER_BUSY_MS);
	pthread_mutex_init(&cp->lock, NULL);
	pthread_cond_init(&cp->wake, NULL);
	rc = pthread_create(&cp->thread, NULL, worker, cp);
	if (rc != 0) {
		pthread_cond_destroy(&cp->wake);
		pthread_mutex_destroy(&cp->lock);
		sqlite3_close(cp->db);
		free(cp);
		return -rc;
	}
	/* After a burst the WAL starts again from its beginning at a size it
	 * keeps: the first commit after that cuts it back to the limit. */
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
