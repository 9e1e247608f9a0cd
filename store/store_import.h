/*
 * Bulk upserts for cqoctl import: enterprises by credit code, CQOs (person
 * and appointment) by person name within an enterprise, trainings by
 * person, kind and date, sanctions by record, kind and date.
 *
 * Nothing here begins or commits a transaction: the caller writes rows
 * inside its own (cqoctl writes a file in chunks of rows, one transaction
 * each), and a row that may fail while the others are kept runs between
 * store_import_row_begin and store_import_row_end, so that it leaves
 * nothing behind. Values must be validated already (handlers/import_row.c);
 * a value the schema still refuses gives -EINVAL. store_import_cqo_check
 * and store_import_record_check tell, reading only, whether a row would be
 * refused, so that a whole file is checked before anything is written.
 *
 * Given values replace stored ones; NULL (and -1 for numbers) keeps what is
 * stored. A row that changes nothing writes nothing: no update, no audit
 * row, so importing the same file twice changes nothing the second time.
 * Every change writes an audit row (store_audit_add) with snapshots before
 * and after, keyed as in the chat commands' rows; an enterprise's
 * snapshot also lists its categories ("tags").
 */
#ifndef CQOD_STORE_IMPORT_H
#define CQOD_STORE_IMPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "store_appoint.h"

struct store;
struct store_actor;

/* Enterprise categories (enterprise_tags.tag) as bits: 1u << index. */
#define STORE_IMPORT_TAGS 9
/* The tag at index i (0..STORE_IMPORT_TAGS-1), else NULL. */
const char *store_import_tag_name(int i);
/* The index of `tag`, or -1. */
int store_import_tag_index(const char *tag);

enum store_import_change {
	STORE_IMPORT_SAME = 0,
	STORE_IMPORT_CREATED,
	STORE_IMPORT_UPDATED,
};

/* Borrowed strings; NULL = not given. */
struct store_import_enterprise {
	const char *credit_code;       /* required */
	const char *name, *region_code, *industry_code, *size, *nature, *main_products;
	const char *contact_name, *contact_phone;
	long employees;                /* -1: not given */
	unsigned tags_add, tags_remove;
	int tags_year;                 /* the annual list the tags are of; 0: undated */
};

/* One row of the 信息表: enterprise, person and appointment. */
struct store_import_cqo {
	struct store_import_enterprise enterprise;
	struct store_appoint_person person;   /* name required */
	const char *doc_no, *start_date, *term_end, *end_reason, *remarks;
	const char *status;            /* active, ended, dismissed, removed; NULL = active
	                                * for a new record, unchanged for an existing one */
	const char *ended_on;          /* NULL for a record not in force: its term end */
	int term_months;               /* when term_end is NULL: the term from start_date */
	bool term_given;               /* term_months came from the file, not the policy */
};

struct store_import_training {
	const char *person_name, *credit_code;   /* whose: the CQO of that enterprise */
	const char *kind, *date;
	double hours;
	const char *certificate_no, *institution, *level, *tier;
};

struct store_import_sanction {
	const char *person_name, *credit_code;
	const char *kind, *ground, *reason, *issued_on;
	int64_t scheduled_at;          /* 约谈 only; 0 = not given */
	const char *place, *rectify_by;
	const char *status;            /* open, closed, revoked; NULL = open / unchanged */
};

struct store_import_result {
	enum store_import_change enterprise, person, record;
	int64_t id;                    /* the appointment, training or sanction; enterprise
	                                * for store_import_enterprise */
	int64_t conflict_id;           /* -EEXIST: the enterprise's active record */
	char conflict_name[64];        /* ... and its CQO's name */
	/* store_import_cqo_check only: */
	bool unchanged;                /* the row would write nothing at all */
	bool fresh;                    /* it would create its enterprise, person and record */
	int64_t person_id;             /* the person it would write (0: a new one) */
};

/* For a process with one thread that uses SQLite only through the store
 * (cqoctl): drops SQLite's mutexes and memory statistics. Call before
 * anything opens a database. 0, or -EINVAL when SQLite is already in use. */
int store_import_process_init(void);

/* Sets the connection up for many savepoints and for
 * store_import_cqos_new; once, before the import's first transaction. */
int store_import_setup(struct store *st);

/*
 * Deferred triggers. The name index's trigger (migration 22) makes every
 * enterprise row flush the index to a segment of its own, and each trigger
 * gives its row a statement journal; an import of many rows does that work
 * once per transaction instead. store_import_batch_begin, right after the
 * caller's BEGIN, turns the schema's triggers off on this connection, when
 * every trigger in the schema is one the import knows how to replay (a
 * trigger it does not know, such as one an operator or a test adds, keeps
 * them all on); store_import_batch_end, before the COMMIT, writes what the
 * triggers would have for the rows inserted since (the name index entries
 * of new enterprises, the first term of new records) in one statement
 * each, and turns the triggers back on. Renames and term changes, rare, are
 * replayed as each row writes them. Rows undone by store_import_row_end are
 * simply not there at the end.
 */
struct store_import_batch {
	bool deferred;                 /* triggers are off until the end */
	int64_t enterprises_after, appointments_after;   /* highest ids at the begin */
};

int store_import_batch_begin(struct store *st, struct store_import_batch *b);
/* Also when the batch failed, before the ROLLBACK: the triggers go back on
 * (rc != 0: nothing is written). Returns rc, or the failure of the end's
 * own statements. */
int store_import_batch_end(struct store *st, const struct store_import_batch *b, int rc);

/* Starts and ends one row (a savepoint inside the caller's transaction);
 * keep=false undoes the row. */
int store_import_row_begin(struct store *st);
int store_import_row_end(struct store *st, bool keep);

int store_import_enterprise(struct store *st, const struct store_actor *who,
                            const struct store_import_enterprise *in, int64_t now,
                            struct store_import_result *out);

/* -EEXIST when the record would be in force while the enterprise has
 * another active record (out->conflict_id, conflict_name). */
int store_import_cqo(struct store *st, const struct store_actor *who,
                     const struct store_import_cqo *in, int64_t now,
                     struct store_import_result *out);

/*
 * New CQOs set-based. Rows that each create their enterprise, their person
 * and their record (store_import_cqo_check said `fresh`) are written
 * together: staged in a temporary table, then one INSERT ... SELECT per
 * table and one for their audit rows. It writes exactly what
 * store_import_cqo would write for them in that order, ids included (a
 * new row's id is the highest before plus one, so each row's ids are
 * given up front), so a file written partly one way and partly the other
 * is the same database. store_import_setup must have run on st.
 *
 * Before writing it checks, in the caller's transaction, that every row
 * is still new: no enterprise with its credit code and no person with its
 * name and phone, in the database or earlier in `rows`. When one is not,
 * or the schema refuses a value, nothing is written and -EAGAIN says to
 * write the rows one by one with store_import_cqo (which sees why). Else 0
 * (every row created its three) or a negative errno. Rows are borrowed.
 */
int store_import_cqos_new(struct store *st, const struct store_actor *who,
                          const struct store_import_cqo *const *rows, size_t n, int64_t now);

/* What store_import_cqo would say of another record in force, reading
 * only: -EEXIST with out->conflict_id and conflict_name, else 0; out->id
 * is the row's own record (0: a new one), out->person_id its person,
 * out->unchanged whether the row would change nothing (its enterprise,
 * categories, person and record as they are), compared as the write would,
 * and out->fresh whether it would create all three (no enterprise with its
 * credit code, no person with its name and phone).
 * Another row of the same file that takes the conflicting record out of
 * force first, or changes the same enterprise or person, is the caller's
 * to see. */
int store_import_cqo_check(struct store *st, const struct store_import_cqo *in,
                           struct store_import_result *out);

/*
 * The check remembered (import_digests, store_import_digest.c). Every row
 * store_import_cqo or store_import_cqos_new writes, and every row
 * store_import_cqo_confirm finds unchanged, leaves a digest of its values
 * with the record it names; any write of what the check reads drops the
 * digests of that enterprise. So a row whose digest is there would be
 * found unchanged by store_import_cqo_check, and is known so from one
 * lookup.
 *
 * store_import_cqo_known, reading only: 1 when the row is known unchanged
 * (out->unchanged, out->id and out->person_id as the check would give
 * them), 0 when it is not known (check it with store_import_cqo_check),
 * or a negative errno.
 */
int store_import_cqo_known(struct store *st, const struct store_import_cqo *in,
                           struct store_import_result *out);

/* In the caller's write transaction: checks the row again
 * (store_import_cqo_check) and, when it would change nothing, remembers
 * so. 0 (whatever the check said) or a negative errno. */
int store_import_cqo_confirm(struct store *st, const struct store_import_cqo *in);

/* 0 when the enterprise has a record of a CQO of that name, else -ENOENT
 * (what store_import_training and store_import_sanction would say). */
int store_import_record_check(struct store *st, const char *credit_code, const char *person_name);

/* -ENOENT when the enterprise has no record of a CQO of that name. */
int store_import_training(struct store *st, const struct store_actor *who,
                          const struct store_import_training *in, int64_t now,
                          struct store_import_result *out);

/* -ENOENT as for trainings. An open 除名 or 黑名单 takes an active record
 * out of force ('removed'), as the chat command does. */
int store_import_sanction(struct store *st, const struct store_actor *who,
                          const struct store_import_sanction *in, int64_t now,
                          struct store_import_result *out);

#endif
