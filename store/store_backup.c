/* Online backup, integrity checks and counts; see store_backup.h. */
#include "store_backup.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/log.h"
#include "store_internal.h"

#define BUSY_SLEEP_US 20000

/* fsync of a file or directory by path. */
static int sync_path(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	int rc = fsync(fd) < 0 ? -errno : 0;
	close(fd);
	return rc;
}

static int sync_dir_of(const char *path)
{
	char *copy = strdup(path);
	if (!copy)
		return -ENOMEM;
	int rc = sync_path(dirname(copy), O_RDONLY | O_DIRECTORY);
	free(copy);
	return rc;
}

/* Copies main into the open destination in steps. */
static int copy_steps(struct store *st, sqlite3 *dst, int pages, store_backup_progress progress,
                      void *arg)
{
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", st->db, "main");
	int rc;

	if (!b) {
		log_warn("store: backup: %s", sqlite3_errmsg(dst));
		return -EIO;
	}
	do {
		rc = sqlite3_backup_step(b, pages);
		if (progress)
			progress(arg, sqlite3_backup_remaining(b), sqlite3_backup_pagecount(b));
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			usleep(BUSY_SLEEP_US);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		log_warn("store: backup step: %s", sqlite3_errstr(rc));
		return store_errno(rc) ? store_errno(rc) : -EIO;
	}
	return 0;
}

/* A read transaction on the source fixes the snapshot the steps copy. */
static int copy_snapshot(struct store *st, sqlite3 *dst, int pages,
                         store_backup_progress progress, void *arg)
{
	int rc = store_exec(st, "BEGIN", "backup begin");
	if (rc < 0)
		return rc;
	rc = store_exec(st, "SELECT count(*) FROM sqlite_master", "backup snapshot");
	if (rc == 0)
		rc = copy_steps(st, dst, pages, progress, arg);
	int end = store_exec(st, "COMMIT", "backup end");
	return rc < 0 ? rc : end;
}

int store_backup(struct store *st, const char *path, int pages_per_step,
                 store_backup_progress progress, void *arg)
{
	size_t len = strlen(path) + sizeof ".part";
	char *part = malloc(len);
	sqlite3 *dst = NULL;
	int rc;

	if (!part)
		return -ENOMEM;
	snprintf(part, len, "%s.part", path);
	unlink(part);
	if (sqlite3_open_v2(part, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		/* The system's reason (no such directory, no permission) says
		 * more than SQLite's "unable to open database file". */
		int err = dst ? sqlite3_system_errno(dst) : ENOMEM;
		log_warn("store: backup open: %s", dst ? sqlite3_errmsg(dst) : "out of memory");
		rc = err > 0 ? -err : -EIO;
	} else {
		rc = copy_snapshot(st, dst, pages_per_step > 0 ? pages_per_step : 256, progress, arg);
	}
	/* Closing folds any journal of the copy into the file itself. */
	if (dst && sqlite3_close(dst) != SQLITE_OK && rc == 0)
		rc = -EIO;
	if (rc == 0)
		rc = sync_path(part, O_RDONLY);
	if (rc == 0 && rename(part, path) < 0)
		rc = -errno;
	if (rc == 0)
		rc = sync_dir_of(path);
	if (rc < 0)
		unlink(part);
	free(part);
	return rc;
}

int store_integrity_check(struct store *st, int *problems, char *first, size_t len)
{
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(st->db, "PRAGMA integrity_check", -1, &s, NULL);

	*problems = 0;
	first[0] = '\0';
	if (rc != SQLITE_OK)
		return store_fail(st, "integrity_check", rc);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *msg = (const char *)sqlite3_column_text(s, 0);
		if (msg && strcmp(msg, "ok") == 0)
			continue;
		if ((*problems)++ == 0)
			snprintf(first, len, "%s", msg ? msg : "");
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, "integrity_check", rc);
}

int store_foreign_key_check(struct store *st, int *violations, char *table, size_t len)
{
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(st->db, "PRAGMA foreign_key_check", -1, &s, NULL);

	*violations = 0;
	table[0] = '\0';
	if (rc != SQLITE_OK)
		return store_fail(st, "foreign_key_check", rc);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if ((*violations)++ == 0)
			store_col_text(s, 0, table, len);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, "foreign_key_check", rc);
}

static const char COUNTS_SQL[] =
	"SELECT (SELECT count(*) FROM regions), (SELECT count(*) FROM enterprises),"
	" (SELECT count(DISTINCT enterprise_id) FROM enterprise_tags), (SELECT count(*) FROM people),"
	" (SELECT count(*) FROM appointments),"
	" (SELECT count(*) FROM appointments WHERE status = 'active'),"
	" (SELECT count(*) FROM appointments WHERE status = 'ended'),"
	" (SELECT count(*) FROM appointments WHERE status = 'dismissed'),"
	" (SELECT count(*) FROM appointments WHERE status = 'removed'),"
	" (SELECT count(*) FROM trainings), (SELECT count(*) FROM sanctions),"
	" (SELECT count(*) FROM sanctions WHERE status = 'open'), (SELECT count(*) FROM honours),"
	" (SELECT count(*) FROM identities), (SELECT count(*) FROM alliances),"
	" (SELECT count(*) FROM events), (SELECT count(*) FROM signups),"
	" (SELECT count(*) FROM calendar), (SELECT count(*) FROM audit_log)";

int store_counts(struct store *st, struct store_counts *out)
{
	int64_t *f[] = {
		&out->regions, &out->enterprises, &out->tagged_enterprises, &out->people,
		&out->appointments, &out->active, &out->ended, &out->dismissed, &out->removed,
		&out->trainings, &out->sanctions, &out->open_sanctions, &out->honours,
		&out->identities, &out->alliances, &out->events, &out->signups,
		&out->calendar_days, &out->audit_rows,
	};
	sqlite3_stmt *s = store_prepare(st, COUNTS_SQL);

	memset(out, 0, sizeof *out);
	if (!s)
		return -EIO;
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
			*f[i] = sqlite3_column_int64(s, (int)i);
	store_stmt_done(s);
	return rc == SQLITE_ROW ? 0 : store_fail(st, "counts", rc);
}
