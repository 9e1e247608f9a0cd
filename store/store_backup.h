/*
 * Backup and health of the database file, for cqoctl backup and check.
 *
 * The backup is SQLite's online backup API, copied a number of
 * pages per step from inside one read transaction: in WAL mode that
 * snapshot stays fixed while the daemon goes on writing (readers never
 * block writers), so the copy is the database as of one moment and the
 * steps never start over. The copy is written beside the target as
 * "<path>.part", synced, and renamed over the target, so a target that
 * exists is only ever a whole backup.
 */
#ifndef CQOD_STORE_BACKUP_H
#define CQOD_STORE_BACKUP_H

#include <stddef.h>
#include <stdint.h>

struct store;

/* Called after each step with the pages still to copy and the total. */
typedef void (*store_backup_progress)(void *arg, int remaining, int total);

/* Copies the database to `path` (see above), `pages_per_step` pages at a
 * time. 0, or a negative errno: the system's when the copy cannot be
 * created, else -EIO with the reason logged. */
int store_backup(struct store *st, const char *path, int pages_per_step,
                 store_backup_progress progress, void *arg);

/* PRAGMA integrity_check: *problems rows other than "ok"; the first one
 * into first[len] ("" when none). */
int store_integrity_check(struct store *st, int *problems, char *first, size_t len);

/* PRAGMA foreign_key_check: the number of rows violating a foreign key,
 * and the table of the first one into table[len]. */
int store_foreign_key_check(struct store *st, int *violations, char *table, size_t len);

/* What the registry holds. */
struct store_counts {
	int64_t regions, enterprises, tagged_enterprises, people;
	int64_t appointments, active, ended, dismissed, removed;
	int64_t trainings, sanctions, open_sanctions, honours;
	int64_t identities, alliances, events, signups, calendar_days, audit_rows;
};

int store_counts(struct store *st, struct store_counts *out);

#endif
