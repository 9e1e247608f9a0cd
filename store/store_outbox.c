/*
 * Enqueueing into the outbox; see store_outbox.h. The dispatcher's side
 * (claiming and settling rows) is in store_outbox_dispatch.c, the
 * operator's (listing, retry, drop) in store_outbox_admin.c.
 *
 * One row per rendered part, keyed "<idem_key>#<n>" (n from 1), so the
 * parts of one message go out in order and a second enqueue of the same
 * message finds part 1 taken and changes nothing. The rows of one call are
 * inserted under a savepoint of the caller's transaction (one row: by one
 * statement, which is undone alone): on any failure none of them remain,
 * and the caller's own work is left as it was. The commit that makes them
 * visible wakes the dispatcher (store_commit calls the wake-up when
 * outbox_dirty is set).
 */
#include "store_outbox.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "../lib/clock.h"
#include "../lib/log.h"
#include "store_card_track.h"
#include "store_internal.h"

/* "platform|instance|kind|expires|target": the target is at most 511 bytes. */
#define DEST_TEXT_MAX 640

static const char ENQUEUE_FILE_SQL[] =
	"INSERT INTO outbox (idem_key, platform, instance, destination, chat_kind, payload,"
	" not_before, created_at, updated_at, request_id, kind)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?7, ?8, 'file')"
	" ON CONFLICT (idem_key) DO NOTHING";

static const char ENQUEUE_SQL[] =
	"INSERT INTO outbox (idem_key, platform, instance, destination, chat_kind, payload,"
	" not_before, created_at, updated_at, request_id, state, sent_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9,"
	"  CASE WHEN ?10 THEN 'inflight' ELSE 'pending' END, CASE WHEN ?10 THEN ?8 END)"
	" ON CONFLICT (idem_key) DO NOTHING";

void store_outbox_set_wake(struct store *st, void (*wake)(void *arg), void *arg)
{
	st->outbox_wake = wake;
	st->outbox_wake_arg = arg;
}

/* Who reads a message at d: one person, or a group (for the operator's
 * view; session webhooks and replies answer the one who asked). */
static const char *chat_kind_of(const struct dest *d)
{
	return d->kind == DEST_CHAT || d->kind == DEST_ROBOT ? "group" : "private";
}

/* How the rows of one message are written. */
struct enqueue_how {
	int64_t not_before, now;
	const char *request_id;   /* decimal text, NULL when none */
	bool claimed;             /* inflight for a fast path, not pending */
	int64_t *ids;             /* row ids by part, or NULL */
	int64_t *first_id;        /* the first part's row id, or NULL */
};

/* Inserts part n (from 1); 0, -EEXIST when the key is taken, or -EIO. */
static int insert_part(struct store *st, const struct dest *d, const char *dest_text,
                       const char *key, size_t n, const char *payload,
                       const struct enqueue_how *how)
{
	char part_key[512];
	int len = snprintf(part_key, sizeof part_key, "%s#%zu", key, n);

	if (len < 0 || (size_t)len >= sizeof part_key)
		return -EINVAL;
	sqlite3_stmt *s = store_prepare(st, ENQUEUE_SQL);
	if (!s)
		return -EIO;
	store_bind_text(s, 1, part_key);
	store_bind_text(s, 2, d->platform);
	store_bind_text(s, 3, d->instance);
	store_bind_text(s, 4, dest_text);
	store_bind_text(s, 5, chat_kind_of(d));
	store_bind_text(s, 6, payload);
	sqlite3_bind_int64(s, 7, how->not_before);
	sqlite3_bind_int64(s, 8, how->now);
	store_bind_text(s, 9, how->request_id);
	sqlite3_bind_int(s, 10, how->claimed);
	int rc = sqlite3_step(s);
	store_stmt_done(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, "outbox enqueue", rc);
	if (sqlite3_changes(st->db) == 0)
		return -EEXIST;
	if (how->ids)
		how->ids[n - 1] = sqlite3_last_insert_rowid(st->db);
	if (how->first_id && n == 1)
		*how->first_id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

/* Inserts parts first..n under a savepoint of the caller's transaction;
 * one part is one statement, which SQLite undoes alone if it fails, so it
 * needs none (most messages: a reminder sweep enqueues thousands). */
static int insert_parts(struct store *st, const struct dest *d, const struct rendered *parts,
                        size_t first, const char *idem_key, uint64_t request_id,
                        struct enqueue_how *how)
{
	char dest_text[DEST_TEXT_MAX], req[24];
	int rc = dest_format(d, dest_text, sizeof dest_text);

	if (rc < 0)
		return -EINVAL;
	snprintf(req, sizeof req, "%" PRIu64, request_id);
	how->request_id = request_id ? req : NULL;
	/* A card's button record is a second statement: that needs the savepoint. */
	if (parts->n - first == 1 && !parts->track) {
		if (!store_in_txn(st)) {
			log_error("store: an enqueue needs the caller's transaction");
			return -EINVAL;
		}
		rc = insert_part(st, d, dest_text, idem_key, first + 1, parts->bodies[first], how);
		if (rc == 0)
			st->outbox_dirty = true;
		return rc;
	}
	rc = store_savepoint(st);
	if (rc)
		return rc;
	for (size_t i = first; rc == 0 && i < parts->n; i++) {
		rc = insert_part(st, d, dest_text, idem_key, i + 1, parts->bodies[i], how);
		/* Only the first part decides whether the message is new: a later
		 * part's key can only be taken by a different message's odd key;
		 * then that part has no row of this message. */
		if (rc == -EEXIST && i > first) {
			if (how->ids)
				how->ids[i] = 0;
			rc = 0;
		}
	}
	/* A card that calls back by slot: what its buttons stand for. */
	if (rc == 0 && parts->track)
		rc = store_card_track_keep(st, d, parts->track, how->now);
	rc = store_savepoint_end(st, rc);
	if (rc == 0)
		st->outbox_dirty = true;
	return rc;
}

int store_outbox_enqueue_claimed(struct store *st, const struct dest *d,
                                 const struct rendered *parts, const char *idem_key,
                                 uint64_t request_id, int64_t *ids)
{
	int64_t now = clock_now();
	struct enqueue_how how = {.not_before = now, .now = now, .claimed = true, .ids = ids};

	if (!st || !d || !parts || parts->n == 0 || !idem_key || !*idem_key || !ids)
		return -EINVAL;
	return insert_parts(st, d, parts, 0, idem_key, request_id, &how);
}

int store_outbox_enqueue_rendered(struct store *st, const struct dest *d,
                                  const struct rendered *parts, size_t first,
                                  const char *idem_key, int64_t not_before,
                                  uint64_t request_id)
{
	int64_t now = clock_now();
	struct enqueue_how how = {.not_before = not_before > 0 ? not_before : now, .now = now};

	if (!st || !d || !parts || first >= parts->n || !idem_key || !*idem_key || not_before < 0)
		return -EINVAL;
	return insert_parts(st, d, parts, first, idem_key, request_id, &how);
}

/* Renders r for d and inserts its parts as `how` says. */
static int enqueue_reply(struct store *st, const struct dest *d, const struct reply *r,
                         const char *idem_key, uint64_t request_id, struct enqueue_how *how)
{
	struct rendered parts;
	int rc = render_message(d, r, idem_key, &parts);

	if (rc < 0)
		return rc == -ENOMEM ? rc : -EINVAL;
	rc = parts.n ? insert_parts(st, d, &parts, 0, idem_key, request_id, how) : -EINVAL;
	rendered_free(&parts);
	return rc;
}

int store_outbox_enqueue(struct store *st, const struct dest *d, const struct reply *r,
                         const char *idem_key, int64_t not_before, uint64_t request_id)
{
	int64_t now = clock_now();
	struct enqueue_how how = {.not_before = not_before > 0 ? not_before : now, .now = now};

	if (!st || !d || !r || !idem_key || !*idem_key || not_before < 0)
		return -EINVAL;
	return enqueue_reply(st, d, r, idem_key, request_id, &how);
}

int store_outbox_enqueue_id(struct store *st, const struct dest *d, const struct reply *r,
                            const char *idem_key, int64_t *id)
{
	int64_t now = clock_now();
	struct enqueue_how how = {.not_before = now, .now = now, .first_id = id};

	*id = 0;
	if (!st || !d || !r || !idem_key || !*idem_key)
		return -EINVAL;
	int rc = enqueue_reply(st, d, r, idem_key, 0, &how);
	if (rc < 0)
		*id = 0;
	return rc;
}

int store_outbox_enqueue_file(struct store *st, const struct dest *d, const char *spec,
                              const char *idem_key, uint64_t request_id, int64_t *id)
{
	char dest_text[DEST_TEXT_MAX], key[512], req[24];
	sqlite3_stmt *s;
	int rc, len;

	if (!st || !d || !spec || !*spec || !idem_key || !*idem_key ||
	    dest_format(d, dest_text, sizeof dest_text) < 0)
		return -EINVAL;
	len = snprintf(key, sizeof key, "%s#1", idem_key);
	if (len < 0 || (size_t)len >= sizeof key)
		return -EINVAL;
	snprintf(req, sizeof req, "%" PRIu64, request_id);
	if (!(s = store_prepare(st, ENQUEUE_FILE_SQL)))
		return -EIO;
	store_bind_text(s, 1, key);
	store_bind_text(s, 2, d->platform);
	store_bind_text(s, 3, d->instance);
	store_bind_text(s, 4, dest_text);
	store_bind_text(s, 5, chat_kind_of(d));
	store_bind_text(s, 6, spec);
	sqlite3_bind_int64(s, 7, clock_now());
	store_bind_text(s, 8, request_id ? req : NULL);
	rc = sqlite3_step(s);
	store_stmt_done(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, "outbox enqueue file", rc);
	if (sqlite3_changes(st->db) == 0)
		return -EEXIST;
	if (id)
		*id = sqlite3_last_insert_rowid(st->db);
	st->outbox_dirty = true;
	return 0;
}
