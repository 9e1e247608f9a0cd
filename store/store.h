/*
 * The registry store. All SQL lives behind these functions (store/store*.c),
 * as prepared statements with bound parameters, so handlers never see SQL and
 * a second backend could be added behind the same functions.
 *
 * SQLite in WAL mode, foreign_keys=ON, synchronous=FULL. No busy timeout by
 * default: the daemon's connection lives on the event loop, which must never
 * sleep on a lock, so a busy database comes back at once as -EBUSY and the
 * caller retries on a timer (opening and migrating, before any loop runs,
 * wait up to 5 s). Tools (cqoctl) set one (store_set_busy_timeout).
 * The schema is a list of numbered migrations (store/migrations.c) applied at
 * open, tracked in PRAGMA user_version; a released migration is never edited.
 *
 * Errors: functions return 0 on success or a negative errno-style code:
 * -ENOENT (no such row), -EEXIST (unique conflict), -EBUSY (locked by
 * another connection), -ENOSPC (disk full), -EIO (other SQLite failure,
 * logged once without parameters), -ENOMEM, -EINVAL.
 *
 * The transaction rule: the owner of a unit of work begins and ends its
 * transaction — the inbox batch (one transaction per loop iteration, one
 * savepoint per message, see daemon/inbox.h), an outbox pass, the reminder
 * sweep, an alliance tick, each cqoctl command. Store functions and
 * handlers never BEGIN: a store function that writes more than one row runs
 * them under a savepoint of the caller's transaction (store_savepoint), and
 * refuses to run without one (-EINVAL, logged as a bug).
 */
#ifndef CQOD_STORE_H
#define CQOD_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;

/* For a process that writes many rows in one statement inside a larger
 * transaction (the daemon's outbox settles hundreds at once): keeps each
 * statement's journal of the pages it changes in memory rather than
 * spilling it to a temporary file past 64 KiB (a file created, written and
 * closed per transaction). Call before anything opens a
 * database. 0, or -EINVAL when SQLite is already in use. */
int store_process_init(void);

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

/* Opens the database at `path`, already at this build's schema, for
 * reading only (the daemon's workers off the loop, which never write): no
 * migration, and statements wait up to 5 s for a lock. -EINVAL when the
 * schema differs. *out is freed by store_close. */
int store_open_readonly(const char *path, struct store **out);
/* A read transaction on such a connection, so several queries see one
 * state of the database; off the loop only: begin may wait while the
 * checkpoint worker restarts the WAL (it does not start one while a read
 * is open). 0 or -errno. */
int store_read_begin(struct store *st);
int store_read_end(struct store *st);
/* Opens `path` as store_open_readonly does, runs fn(arg, ro) in one read
 * transaction and closes: fn's result, or the store's error (then fn did
 * not run). Off the loop only. */
int store_read_snapshot(const char *path, int (*fn)(void *arg, struct store *ro), void *arg);

/* Moves WAL checkpoints off the caller's thread: a worker thread with its
 * own connection runs a passive checkpoint as the WAL grows past 1,000
 * pages and when commits pause (a RESTART one past 4,000, which may make the
 * caller's BEGIN fail with -EBUSY for a moment, never while a read of
 * store_read_begin is open), and the caller's commits no longer checkpoint
 * (for the daemon's event loop). store_close stops it
 * (store_checkpoint_stop, which restores the automatic checkpoint).
 * -EALREADY when started twice. */
int store_checkpoint_offload(struct store *st);
void store_checkpoint_stop(struct store *st);
/* fn(arg) is called on the worker's thread each time a RESTART checkpoint
 * lets writers go again (NULL: no longer); a caller whose BEGIN failed with
 * -EBUSY meanwhile may try again then. */
void store_checkpoint_on_release(struct store *st, void (*fn)(void *arg), void *arg);
/* Checkpoints the worker has run (0 without one). */
uint64_t store_checkpoint_runs(const struct store *st);

/* Checkpoints by hand, for a writer of many transactions in a row
 * (cqoctl's chunks): store_autocheckpoint(st, false) keeps this
 * connection's COMMITs from checkpointing (true restores SQLite's automatic
 * checkpoint); store_checkpoint_passive copies what it can of the WAL into
 * the database outside any transaction, without taking the write lock, so
 * other writers go on meanwhile. 0 or -errno (-EBUSY: another checkpoint
 * runs). Not for a connection whose checkpoints are offloaded (both set
 * its WAL hook). */
int store_autocheckpoint(struct store *st, bool on);
int store_checkpoint_passive(struct store *st);

/* How long a statement waits for another connection's lock before it
 * fails with -EBUSY; 0 (the default) fails at once. Only for processes that
 * are not an event loop (cqoctl), or a daemon's start before its loop
 * runs. */
void store_set_busy_timeout(struct store *st, int ms);

/* Transactions (BEGIN IMMEDIATE / COMMIT / ROLLBACK), for the owners of a
 * unit of work only (see the transaction rule above). Not nestable. */
int store_begin(struct store *st);
int store_commit(struct store *st);
int store_rollback(struct store *st);
/* Ends the transaction store_begin opened: commits when rc is 0, else
 * rolls back, and rolls back too when the COMMIT fails, so no path leaves
 * the connection inside a transaction. Returns rc, or the COMMIT's error. */
int store_end(struct store *st, int rc);
/* true while a transaction is open. */
bool store_in_txn(struct store *st);
/* For owners of a small unit of work: begin, fn(st, arg), commit; rolled
 * back when fn or the commit fails. Returns fn's or the commit's error. */
int store_txn(struct store *st, int (*fn)(struct store *st, void *arg), void *arg);

/* Savepoints nest inside the open transaction: store_savepoint opens one
 * (-EINVAL, logged, when no transaction is open); store_savepoint_end
 * closes the innermost: with rc == 0 it is released (its writes join the
 * transaction), otherwise rolled back and released. Returns rc, or the
 * error of ending it when rc was 0. */
int store_savepoint(struct store *st);
int store_savepoint_end(struct store *st, int rc);

/* What the store met since the last store_fault_take, the worst first:
 * TRANSIENT (busy, locked, disk full, I/O error, out of memory: may pass if
 * the same work is tried again later), PERMANENT (corruption, misuse, a
 * schema error: will not pass by retrying). Constraint failures are not
 * faults: they are answers (-EEXIST, -EINVAL) the caller turns into a
 * refusal. The dispatcher takes it after each command. */
enum store_fault {
	STORE_FAULT_NONE = 0,
	STORE_FAULT_PERMANENT = 1,
	STORE_FAULT_TRANSIENT = 2,
};
enum store_fault store_fault_take(struct store *st);

/* Rows changed through this connection so far, leaving out conversation
 * state (pending confirmations) and access-log rows: the difference
 * across a command tells whether it changed the registry. */
int64_t store_effects(struct store *st);

/* Whether the last write reached the disk: false from a write (statement or
 * COMMIT) that failed for lack of space or an I/O error until one succeeds
 * again. *last_commit gets the unix time of the last successful COMMIT, 0
 * none (may be NULL). */
bool store_write_ok(const struct store *st, int64_t *last_commit);
/* A cheap durable write that tells whether the disk takes writes now
 * (store_write_ok follows it); for idle readiness probes, at most every
 * few seconds. Needs no open transaction (returns -EBUSY inside one). */
int store_probe_write(struct store *st);

/* true when the database file can only be read (write-protected). */
bool store_read_only(struct store *st);
/* 0 when the database accepts a write (a write-lock probe inside a
 * transaction that is rolled back: nothing reaches the disk), -EBUSY
 * inside a transaction or while another connection writes, -EROFS. */
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
/* Keeps `answer` (the text the platform reads from the HTTP response) with
 * the record of (platform, msg_id), in the message's transaction. */
int store_inbound_set_answer(struct store *st, const char *platform, const char *msg_id,
                             const char *answer);
/* The answer kept with (platform, msg_id) into *answer (caller frees; NULL
 * when none was kept). -ENOENT when the id is not recorded. */
int store_inbound_answer(struct store *st, const char *platform, const char *msg_id,
                         char **answer);
/* Deletes records older than `before` (unix seconds); *deleted may be NULL. */
int store_inbound_prune(struct store *st, int64_t before, int *deleted);

/* ---- regions (GB/T 2260) ---- */

/* Loads data/regions.csv (code,name,parent_code,level); idempotent upsert.
 * *loaded may be NULL. */
int store_regions_load_csv(struct store *st, const char *path, int *loaded);
/* Region name for a code, into buf; -ENOENT if unknown. */
int store_region_name(struct store *st, const char *code, char *buf, size_t len);
int store_regions_count(struct store *st);

/* A region found by name: its code and its name with its parents' in front
 * (临沂市兰山区). */
struct store_region_match {
	char code[16];
	char full_name[192];
};

/* The regions of `level` (1-3; 0 any) called `name`: by their own name
 * (兰山区), or with their parents' names in front (临沂市兰山区, 山东省临沂市兰山区,
 * 北京市东城区 past the 市辖区 level). Up to max matches into out, by code;
 * *n counts them all (it may exceed max). */
int store_regions_by_name(struct store *st, const char *name, int level,
                          struct store_region_match *out, size_t max, size_t *n);

/* ---- identities ---- */

/*
 * An identity is (platform, tenant, user id): the tenant is the organisation
 * the platform vouches for (chat.h), so the same user id in two corps is two
 * people, and two apps of one corp share an identity. A row whose tenant is
 * not known yet ("pending": rows from before schema 13, cqoctl grants where
 * the configuration cannot tell the tenant) belongs to the config instance
 * it was granted or bound through: it answers only to messages through that
 * instance, and the first of them gives it its tenant (store_identity_adopt).
 * Guarantee: a tenanted row answers only to its own tenant, and a pending
 * row only to its own instance; a tenanted row is preferred to a pending one.
 */
struct store_identity_key {
	const char *platform;
	const char *tenant;     /* NULL: not known (only a pending row matches) */
	const char *user_id;
	const char *instance;   /* the instance the message or grant came through, which
	                         * a pending row must have been granted on; NULL: none */
};

struct store_identity {
	char role[16];         /* "admin", "clerk", "organizer", "cqo", "contact" */
	char scope[16];        /* clerk region code, else "" */
	int64_t person_id;     /* cqo, else 0 */
	int64_t alliance_id;   /* organizer, else 0 */
	int64_t enterprise_id; /* contact, else 0 */
	char instance[33];     /* the config instance ([wecom:NAME] ...) it was bound or
	                        * granted through, where reminders reach it; "" unknown
	                        * (store_identity_set then keeps the stored one) */
	char tenant[129];      /* read only: "" while pending */
};
/* The identity of key (its tenant's row, else the pending row of its
 * instance); -ENOENT if none (a guest). */
int store_identity_get(struct store *st, const struct store_identity_key *key,
                       struct store_identity *out);
/* Creates or replaces the role of key (the row store_identity_get finds, a
 * pending one taking key's tenant; else a new row, pending when key has no
 * tenant). Not audited: callers audit (store_identity_grant does). */
int store_identity_set(struct store *st, const struct store_identity_key *key,
                       const char *display_name, const struct store_identity *id);
/* Gives the pending row of key's instance and user id key's tenant, once:
 * 0 when it did (an "identity" audit row, command "upgrade", records it),
 * -ENOENT when there is no such row, -EEXIST when key's tenant already has
 * a row for the user (the pending one is left alone). Inside the caller's
 * transaction. */
int store_identity_adopt(struct store *st, const struct store_identity_key *key,
                         const char *chat_id);
/* What the configuration knows about instance [platform:instance] (daemon
 * start, cqoctl grant): `first` (it is the platform's first instance) gives
 * it the pending rows that name no instance (where reminders already went);
 * a known `tenant` (NULL: none) is given to the pending rows of the
 * instance, except where that tenant already has a row for the user.
 * *settled (may be NULL) counts the rows that got a tenant. */
int store_identity_settle(struct store *st, const char *platform, const char *instance,
                          const char *tenant, bool first, int *settled);

/* ---- registry search and record card ---- */

/* One line of a search result. */
struct store_cqo_hit {
	int64_t appointment_id;   /* the record number (记录号) */
	char person_name[64];
	char enterprise_name[192];
	char region_code[16];
	char status[16];          /* "active", "ended", "dismissed", "removed" */
	char term_end[11];        /* YYYY-MM-DD */
	bool blacklisted;         /* "removed" by a 黑名单, not a 除名 */
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
	char major[96];
	int quality_years;         /* -1 when not given */
	char title[64];            /* professional title 职称 */
	char position[96];
	char phone[32];
	char email[128];
	char enterprise_name[192];
	char credit_code[19];
	char region_code[16];
	char region_name[96];
	char industry_code[8];
	char size[16];
	char nature[96];
	int64_t employees;         /* -1 when not given */
	char main_products[640];
	char doc_no[96];           /* appointment document number */
	char start_date[11];
	char term_end[11];
	char status[16];
	bool blacklisted;          /* "removed" by a 黑名单, not a 除名 */
	double hours_this_year;    /* training hours in `year` of the kinds that count */
	double hours_required;     /* the region policy's quota for it; 0 = none */
	char hours_kinds[64];      /* the kinds that count, "继续教育,线上自学" */
	int n_sanctions;           /* open sanctions, at most 8 listed */
	struct store_sanction_brief sanctions[8];
};

/* Fills the card of appointment `id` with training hours summed for `year`
 * as the region's policy counts them (store_training_year).
 * -ENOENT if there is no such appointment. Scope is checked by the caller
 * through region_code (store_region_in_scope). */
int store_cqo_record_get(struct store *st, int64_t id, int year, struct store_cqo_record *out);

/* The résumé (工作简历) of person `person_id` into *out (heap, the caller
 * frees; NULL when none is on file). -ENOENT if there is no such person. */
int store_person_resume(struct store *st, int64_t person_id, char **out);

/* The name of person `person_id` into name[len] and their newest
 * appointment (record number) into *appointment_id, 0 when they have none.
 * -ENOENT if there is no such person. */
int store_person_brief(struct store *st, int64_t person_id, char *name, size_t len,
                       int64_t *appointment_id);

/* true when `region` equals or lies below `scope` ("" = everywhere). */
bool store_region_in_scope(const char *region, const char *scope);

#endif
