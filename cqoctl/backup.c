/*
 * cqoctl backup FILE: an online copy of the database while cqod runs
 * (daemon/store_backup.h); cqoctl check: integrity and foreign-key checks
 * and what the registry holds. Restoring is stopping cqod, copying a backup
 * over the database file (removing its -wal and -shm files) and starting
 * cqod again; README.md and cqoctl(8) say so.
 */
#include <stdio.h>
#include <string.h>

#include "../store/store_backup.h"
#include "../handlers/text/cqoctl.h"
#include "ctl.h"
#include "progress.h"

#define PAGES_PER_STEP 1024

static void on_step(void *arg, int remaining, int total)
{
	struct progress *bar = arg;
	if (bar->total == 0)
		progress_start(bar, TXT_CTL_BACKUP_STEP, (size_t)total);
	progress_update(bar, (size_t)(total - remaining));
}

int ctl_cmd_backup(struct ctl *c, int argc, char **argv)
{
	struct progress bar = {0};

	if (argc != 2)
		return ctl_usage("backup", TXT_CTL_ARGS);
	int rc = store_backup(c->st, argv[1], PAGES_PER_STEP, on_step, &bar);
	progress_end(&bar);
	if (rc < 0)
		return ctl_fail("backup", TXT_CTL_BACKUP_FAILED, argv[1], strerror(-rc));
	printf(TXT_CTL_BACKUP_DONE, argv[1], bar.total);
	return CTL_OK;
}

static void print_counts(const struct store_counts *n)
{
	printf(TXT_CTL_CHECK_COUNTS_1, (long long)n->enterprises, (long long)n->tagged_enterprises,
	       (long long)n->people, (long long)n->regions);
	printf(TXT_CTL_CHECK_COUNTS_2, (long long)n->appointments, (long long)n->active,
	       (long long)n->ended, (long long)n->dismissed, (long long)n->removed);
	printf(TXT_CTL_CHECK_COUNTS_3, (long long)n->trainings, (long long)n->sanctions,
	       (long long)n->open_sanctions, (long long)n->honours);
	printf(TXT_CTL_CHECK_COUNTS_4, (long long)n->identities, (long long)n->alliances,
	       (long long)n->events, (long long)n->signups);
	printf(TXT_CTL_CHECK_COUNTS_5, (long long)n->calendar_days, (long long)n->audit_rows);
}

int ctl_cmd_check(struct ctl *c, int argc, char **argv)
{
	struct store_counts n;
	char first[512], table[64];
	int problems, violations;
	(void)argv;

	if (argc != 1)
		return ctl_usage("check", TXT_CTL_ARGS);
	int rc = store_integrity_check(c->st, &problems, first, sizeof first);
	if (rc == 0)
		rc = store_foreign_key_check(c->st, &violations, table, sizeof table);
	if (rc == 0)
		rc = store_counts(c->st, &n);
	if (rc < 0)
		return ctl_store_fail("check", rc);
	printf(TXT_CTL_CHECK_INTEGRITY, problems ? TXT_CTL_CHECK_BAD : TXT_CTL_CHECK_OK);
	printf(TXT_CTL_CHECK_FKEYS, violations ? TXT_CTL_CHECK_BAD : TXT_CTL_CHECK_OK);
	print_counts(&n);
	if (problems)
		return ctl_fail("check", TXT_CTL_CHECK_INTEGRITY_FAIL, problems, first);
	if (violations)
		return ctl_fail("check", TXT_CTL_CHECK_FKEYS_FAIL, violations, table);
	return CTL_OK;
}
