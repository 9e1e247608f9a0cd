/*
 * The registry store. All SQL lives behind these functions (daemon/store*.c),
 * as prepared statements with bound parameters, so handlers never see SQL and
 * a second backend could be added behind the same functions.
 *
 * SQLite in WAL mode, foreign_keys=ON, synchronous=FULL, busy_timeout set.
 * The schema is a list of numbered migrations (daemon/migrations.c) applied at
 * open, tracked in PRAGMA user_version; a released migration is never edited.
 *
 * Errors: functions return 0 on success or a negative errno-style code:
 * -ENOENT (no such row), -EEXIST (unique conflict), -EIO (SQLite failure,
 * logged once without parameters), -ENOMEM, -EINVAL.
 */
#ifndef CQOD_STORE_H
#define CQOD_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;

/* Opens (creating if needed) and migrates the database at `path`.
 * *out is freed by store_close. */
int store_open(const char *path, struct store **out);
/* Finalizes statements and closes; a WAL checkpoint is attempted. */
void store_close(struct store *st);

/* Schema version after migrations (PRAGMA user_version), and the number of
 * migrations compiled in. */
int store_schema_version(struct store *st);
int store_migrations_count(void);
/* Applies migrations up to `target` only (tests of upgrades). */
int store_open_at_version(const char *path, int target, struct store **out);

/* Transactions (BEGIN IMMEDIATE / COMMIT / ROLLBACK). Not nestable. */
int store_begin(struct store *st);
int store_commit(struct store *st);
int store_rollback(struct store *st);

/* 0 when the database accepts a write (a write-lock probe inside a
 * transaction that is rolled back), negative otherwise. */
int store_check_writable(struct store *st);

/* Describes the store's metrics: cqod_store_transaction_seconds{outcome}
 * (BEGIN to COMMIT or ROLLBACK; the /healthz probe is not counted) and
 * cqod_store_errors_total{kind} (every failure store_fail logs). */
void store_metrics_init(void);

/* ---- inbound dedupe ---- */

/* Records (platform, msg_id) as seen at `now`. Returns 0 if new, -EEXIST if
 * already recorded, other negatives on failure. Call inside a transaction
 * for group commit. */
int store_inbound_record(struct store *st, const char *platform, const char *msg_id,
                         int64_t now);
/* Deletes records older than `before` (unix seconds); *deleted may be NULL. */
int store_inbound_prune(struct store *st, int64_t before, int *deleted);

/* ---- regions (GB/T 2260) ---- */

/* Loads data/regions.csv (code,name,parent_code,level); idempotent upsert.
 * *loaded may be NULL. */
int store_regions_load_csv(struct store *st, const char *path, int *loaded);
/* Region name for a code, into buf; -ENOENT if unknown. */
int store_region_name(struct store *st, const char *code, char *buf, size_t len);
int store_regions_count(struct store *st);

/* ---- identities ---- */

struct store_identity {
	char role[16];         /* "admin", "clerk", "organizer", "cqo" */
	char scope[16];        /* clerk region code, else "" */
	int64_t person_id;     /* cqo, else 0 */
	int64_t alliance_id;   /* organizer, else 0 */
	char instance[33];     /* the config instance ([wecom:NAME] ...) it was bound or
	                        * granted through, where reminders reach it; "" unknown
	                        * (store_identity_set then keeps the stored one) */
};
/* The identity bound to (platform, user_id); -ENOENT if none (a guest). */
int store_identity_get(struct store *st, const char *platform, const char *user_id,
                       struct store_identity *out);
/* Creates or replaces the role of (platform, user_id). */
int store_identity_set(struct store *st, const char *platform, const char *user_id,
                       const char *display_name, const struct store_identity *id);

/* ---- registry search and record card ---- */

/* One line of a search result. */
struct store_cqo_hit {
	int64_t appointment_id;   /* the record number (记录号) */
	char person_name[64];
	char enterprise_name[192];
	char region_code[16];
	char status[16];          /* "active", "ended", "dismissed", "removed" */
	char term_end[11];        /* YYYY-MM-DD */
};

/* Finds appointments matching `term`: an appointment id (digits), an exact
 * unified social credit code (18 chars), an exact person name, or an
 * enterprise name (exact, else substring). Only enterprises whose region
 * lies within `scope` (region-code prefix; "" = everywhere) are returned.
 * Writes up to `max` hits, newest appointment first; *total is the number
 * of matches in scope (may exceed max). */
int store_cqo_search(struct store *st, const char *term, const char *scope,
                     struct store_cqo_hit *out, size_t max, size_t *total);

struct store_sanction_brief {
	int64_t id;
	char kind[24];            /* 约谈, 警示, 除名, 黑名单, 建议解聘 */
	char issued_on[11];
	char reason[256];
};

/* The record card of one appointment. */
struct store_cqo_record {
	int64_t appointment_id;
	int64_t person_id;
	int64_t enterprise_id;
	char person_name[64];
	char gender[8];
	char birth_date[11];
	char education[32];
	char title[64];            /* professional title 职称 */
	char position[96];
	char phone[32];
	char email[128];
	char enterprise_name[192];
	char credit_code[19];
	char region_code[16];
	char region_name[96];
	char doc_no[96];           /* appointment document number */
	char start_date[11];
	char term_end[11];
	char status[16];
	double hours_this_year;    /* training hours in `year` */
	int n_sanctions;           /* open sanctions, at most 8 listed */
	struct store_sanction_brief sanctions[8];
};

/* Fills the card of appointment `id` with training hours summed for `year`.
 * -ENOENT if there is no such appointment. Scope is checked by the caller
 * through region_code (store_region_in_scope). */
int store_cqo_record_get(struct store *st, int64_t id, int year, struct store_cqo_record *out);

/* The name of person `person_id` into name[len] and their newest
 * appointment (record number) into *appointment_id, 0 when they have none.
 * -ENOENT if there is no such person. */
int store_person_brief(struct store *st, int64_t person_id, char *name, size_t len,
                       int64_t *appointment_id);

/* true when `region` equals or lies below `scope` ("" = everywhere). */
bool store_region_in_scope(const char *region, const char *scope);

#endif
