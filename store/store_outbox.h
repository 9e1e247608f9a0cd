/*
 * The outbox: every message cqod decides to send to someone who is not
 * waiting on the line (reminders, broadcasts, replies that could not go
 * inline) is a row here, written in the same transaction as the decision,
 * and delivered at least once by the dispatcher (daemon/outbox.c).
 *
 * Ownership: all pointers are borrowed for the call, except the payload a
 * claim returns (struct store_outbox_row).
 */
#ifndef CQOD_STORE_OUTBOX_H
#define CQOD_STORE_OUTBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../lib/platform.h"
#include "../lib/reply.h"

struct store;

/* Renders `r` for `d` (render_message) and inserts one pending row per part,
 * due at not_before (unix seconds; 0 = now). Call inside the transaction that
 * made the decision. idem_key must be unique per message (e.g.
 * "remind:term90:<record>:<date>"); a second enqueue with the same key
 * changes nothing and returns -EEXIST. request_id ties log lines together
 * (0 if none). The dispatcher is woken when the transaction commits.
 * Returns 0, -EEXIST, -EINVAL (dest not renderable) or -EIO. */
int store_outbox_enqueue(struct store *st, const struct dest *d, const struct reply *r,
                         const char *idem_key, int64_t not_before, uint64_t request_id);

/* store_outbox_enqueue due now, with no request id, that gives the row id
 * of the message's first part in *id (0 unless it returns 0), for a caller
 * that links its own rows to the message (the reminder ledger). */
int store_outbox_enqueue_id(struct store *st, const struct dest *d, const struct reply *r,
                            const char *idem_key, int64_t *id);

/* The same for bodies already rendered for d: parts->bodies[first..n)
 * become parts first + 1 .. n of the message (keys "<idem_key>#<n>"), so a
 * reply whose first parts went out directly queues the rest. -EEXIST when
 * part first + 1 is already queued; -EINVAL when there is nothing to queue. */
int store_outbox_enqueue_rendered(struct store *st, const struct dest *d,
                                  const struct rendered *parts, size_t first,
                                  const char *idem_key, int64_t not_before,
                                  uint64_t request_id);

/* The rows of an answer a fast path sends itself (a passive reply, a
 * session webhook, the reply API): inserted like store_outbox_enqueue_rendered
 * from part 1, but already inflight (claimed), so the dispatcher leaves
 * them to the fast path, which settles them through outbox_settle once
 * sent. If the process dies first, store_outbox_recover at the next start
 * makes them pending and the dispatcher delivers them. ids[parts->n] gets
 * the row ids. -EEXIST when the key is taken (nothing inserted). */
int store_outbox_enqueue_claimed(struct store *st, const struct dest *d,
                                 const struct rendered *parts, const char *idem_key,
                                 uint64_t request_id, int64_t *ids);

/* A file to build, upload and send to d as one row of kind "file"
 * (key "<idem_key>#1"): spec says what to build (a JSON object the daemon's
 * file worker reads, daemon/outbox_file.h), in the caller's transaction.
 * *id (may be NULL) gets the row id. 0, -EEXIST (the key is taken: nothing
 * inserted), -EINVAL, -EIO. */
int store_outbox_enqueue_file(struct store *st, const struct dest *d, const char *spec,
                              const char *idem_key, uint64_t request_id, int64_t *id);

/* Where a file row's file is kept, beside the database: the directory
 * "<database's directory>/cqod-files" (0700, the daemon's alone) and in it
 * "outbox-<id>-<16 hex digits of the SHA-256 of the row's spec>.xlsx", into
 * buf. The spec is in the name because row ids are reused when the newest
 * rows are dropped: a file left behind by a dropped row (its removal failed,
 * or cqoctl died first) must never be sent for another row, which may be
 * another asker's scope. 0, -EINVAL, -ENAMETOOLONG or -ENOMEM. The daemon
 * builds and removes the file (daemon/outbox_file.h); cqoctl outbox drop
 * removes every file of the row's id with the row. */
int store_outbox_files_dir(const char *database, char *buf, size_t len);
int store_outbox_file_path(const char *database, int64_t id, const char *spec, char *buf,
                           size_t len);
/* Whether `name` (an entry of that directory) is a file of row id, for
 * whatever spec: what cqoctl outbox drop removes. */
bool store_outbox_file_of(const char *name, int64_t id);

/* The dispatcher's wake-up: called once after a commit that enqueued rows
 * (on the thread that committed). NULL to unset. */
void store_outbox_set_wake(struct store *st, void (*wake)(void *arg), void *arg);

/* Room for a destination in its text form (dest_format), NUL included. */
#define STORE_OUTBOX_DEST_MAX 640

/* ---- the dispatcher's side (store_outbox_dispatch.c) ----
 * Row states: pending -> inflight (committed before the request) -> sent,
 * back to pending (retry) or dead. sent_at is when the latest attempt
 * started: every attempt counts against the platform's rate limit. */

/* Calls fn for the next pending row of every destination (the lowest
 * (not_before, id)), in (not_before, id) order, due or not; fn returns
 * nonzero to stop. The destination text is borrowed for the call, and fn
 * must not use the store. */
int store_outbox_heads(struct store *st,
                       int (*fn)(void *arg, int64_t id, const char *destination,
                                 int64_t not_before),
                       void *arg);

/* A claimed row. payload is owned by the caller (free()). */
struct store_outbox_row {
	int64_t id;
	char destination[STORE_OUTBOX_DEST_MAX];
	char *payload;
	int attempts;             /* failed attempts so far */
	int64_t created_at;
	uint64_t request_id;      /* 0 if none */
	bool is_file;             /* payload is a file's spec (store_outbox_enqueue_file) */
	char media_id[256];       /* a file's upload already made; "" none */
	int64_t media_at;         /* when it was uploaded */
};

/* A row claimed by store_outbox_claim_batch; payload owned by the caller. */
struct store_outbox_batch_row {
	int64_t id, not_before, created_at;
	int attempts;
	uint64_t request_id;
	char *payload;
};

/* Claims `destination`'s next due pending rows (not_before <= now) as
 * store_outbox_claim does, at most max, stopping before the first file row
 * (a file is built off the loop: a batch never runs past one): one
 * statement reads them, one claims those rows by id. rows[0..*n) in send
 * order. Call inside a transaction (the dispatcher's pass): outside one,
 * another connection could change a row between the two (-EIO then). */
int store_outbox_claim_batch(struct store *st, const char *destination, int64_t now, size_t max,
                             struct store_outbox_batch_row *rows, size_t *n);

/* Marks pending row `id` inflight with sent_at = now and reads it.
 * -ENOENT when it is no longer pending (dropped, or claimed elsewhere). */
int store_outbox_claim(struct store *st, int64_t id, int64_t now, struct store_outbox_row *out);

enum store_outbox_fate {
	OUTBOX_SENT = 0,
	OUTBOX_RETRY = 1,   /* failed: one more attempt counted, due again at not_before */
	OUTBOX_WAIT = 2,    /* rate limited: due again at not_before, no attempt counted */
	OUTBOX_DEAD = 3,    /* permanent failure or too old: never sent */
};

/* Settles inflight row `id`. RETRY and WAIT also hold the destination's
 * other pending rows until not_before, so they keep their order. error is a
 * short English description for the operator (NULL for SENT). -ENOENT when
 * the row is gone (dropped meanwhile). */
int store_outbox_settle(struct store *st, int64_t id, enum store_outbox_fate fate,
                        int64_t not_before, const char *error, int64_t now);

/* Settles inflight rows ids[0..n) as sent, in one statement; rows gone
 * meanwhile are passed over. */
int store_outbox_settle_sent(struct store *st, const int64_t *ids, size_t n, int64_t now);

/* Puts claimed row `id`, not attempted since its claim, back to pending:
 * due again at not_before or later, no attempt counted, its error kept, no
 * sent_at when it was never attempted. For the rows of a batch left unsent
 * behind a failed one, so they keep their order.
 * -ENOENT when the row is gone (dropped meanwhile). */
int store_outbox_unclaim(struct store *st, int64_t id, int64_t not_before, int64_t now);

/* Keeps (or, with media_id NULL or "", forgets) the upload of file row
 * `id`, so its next attempt sends the file message without uploading again.
 * -ENOENT when there is no such file row. */
int store_outbox_set_media(struct store *st, int64_t id, const char *media_id, int64_t at);

/* At start: rows left inflight by a crash become pending again (their
 * request may or may not have reached the platform). *n may be NULL. */
int store_outbox_recover(struct store *st, int64_t now, int *n);

/* When the latest finished attempt to `destination` started (unix
 * seconds), 0 if none: restores its rate limit after a restart or an idle
 * spell. Attempts in flight are left out: their sender paces them (and a
 * fast path's answer, claimed in its own transaction, must not wait an
 * interval for itself). */
int store_outbox_last_attempt(struct store *st, const char *destination, int64_t *at);

/* PRAGMA data_version: changes when another connection (cqoctl) commits. */
int store_outbox_data_version(struct store *st, int64_t *out);

/* ---- counts (store_outbox_admin.c) ---- */

struct store_outbox_stats {
	int64_t pending, inflight, dead;
	int64_t oldest_due;       /* not_before of the oldest pending row due at `now`; 0 none */
};
int store_outbox_stats(struct store *st, int64_t now, struct store_outbox_stats *out);

/* Dead rows settled at `since` or later (*recent) and all dead rows
 * (*total), leaving out rows whose key starts with skip_prefix (the notices
 * about dead rows themselves). */
int store_outbox_dead_counts(struct store *st, int64_t since, const char *skip_prefix,
                             int64_t *recent, int64_t *total);

/* created_at of the newest row whose key starts with `prefix`; 0 if none. */
int store_outbox_last_keyed(struct store *st, const char *prefix, int64_t *at);

/* ---- the operator's view (store_outbox_admin.c, cqoctl outbox) ---- */

struct store_outbox_entry {
	int64_t id;
	char state[12];
	char destination[STORE_OUTBOX_DEST_MAX];
	char idem_key[256];
	int attempts;
	int64_t not_before, created_at, sent_at;   /* sent_at 0: never attempted */
	char last_error[192];
};

/* Calls fn for up to `limit` rows in `state` (NULL: any), newest first; fn
 * returns nonzero to stop. The entry is borrowed for the call. */
int store_outbox_list(struct store *st, const char *state, int limit,
                      int (*fn)(void *arg, const struct store_outbox_entry *e), void *arg);

/* Makes a dead or pending row due now. -ENOENT no such row, -EBUSY inflight,
 * -EALREADY sent. */
int store_outbox_retry(struct store *st, int64_t id, int64_t now);
/* Makes every dead row due now; *n may be NULL. */
int store_outbox_retry_dead(struct store *st, int64_t now, int *n);
/* Deletes a row (a reminder that pointed at it keeps its ledger entry
 * without the link). -ENOENT no such row. */
int store_outbox_drop(struct store *st, int64_t id);

#endif
