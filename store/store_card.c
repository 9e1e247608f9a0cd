/*
 * Cards to show anew; see store_card.h.
 */
#include "store_card.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "../lib/platform.h"
#include "store_internal.h"
#include "store_outbox.h"

static const char ROW_SQL[] =
	"SELECT idem_key, platform, instance FROM outbox WHERE id = ?1 AND kind = 'message'";

/* ?7: the key of the message's second part, which a message of one part
 * (one card, the buttons on it) does not have. */
static const char KEEP_SQL[] =
	"INSERT INTO sent_cards (event_id, platform, instance, handle, outbox_id, created_at)"
	" SELECT ?1, ?2, ?3, ?4, ?5, ?6 WHERE EXISTS (SELECT 1 FROM events WHERE id = ?1)"
	" AND NOT EXISTS (SELECT 1 FROM outbox WHERE idem_key = ?7)"
	" ON CONFLICT (platform, instance, handle) DO NOTHING";

static const char CARDS_SQL[] =
	"SELECT id, platform, instance, handle FROM sent_cards WHERE event_id = ?1 ORDER BY id";

static const char BUMP_SQL[] =
	"UPDATE sent_cards SET version = version + 1 WHERE id = ?1 RETURNING version";

/* A newer face replaces one not yet sent. */
static const char SUPERSEDE_SQL[] =
	"DELETE FROM outbox WHERE destination = ?1 AND state = 'pending' AND kind = 'message'";

/* The event whose announcement a row's key names, 0 for any other row and
 * for a part after the first (a long announcement's parts are not kept:
 * shown anew it would not fit one card either). */
static int64_t announced_event(const char *key)
{
	size_t len = strlen(key);
	long long id;
	char what[8];
	int n = 0;

	if (len < 2 || strcmp(key + len - 2, "#1") != 0 ||
	    sscanf(key, "event:%lld:%7[a-z]:%n", &id, what, &n) != 2 || n == 0 || id <= 0)
		return 0;
	return strcmp(what, "publish") == 0 || strcmp(what, "update") == 0 ? (int64_t)id : 0;
}

int store_card_sent(struct store *st, int64_t outbox_id, const char *handle, int64_t now)
{
	char key[512], platform[16], instance[33];
	sqlite3_stmt *s;
	int64_t event_id;
	int rc;

	if (!handle || !*handle)
		return -EINVAL;
	if (!(s = store_prepare(st, ROW_SQL)))
		return -EIO;
	sqlite3_bind_int64(s, 1, outbox_id);
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		store_stmt_done(s);
		return rc == SQLITE_DONE ? 0 : store_fail(st, "sent card row", rc);
	}
	store_col_text(s, 0, key, sizeof key);
	store_col_text(s, 1, platform, sizeof platform);
	store_col_text(s, 2, instance, sizeof instance);
	store_stmt_done(s);
	event_id = announced_event(key);
	if (!event_id)
		return 0;
	key[strlen(key) - 1] = '2';
	if (!(s = store_prepare(st, KEEP_SQL)))
		return -EIO;
	sqlite3_bind_int64(s, 1, event_id);
	store_bind_text(s, 2, platform);
	store_bind_text(s, 3, instance);
	store_bind_text(s, 4, handle);
	sqlite3_bind_int64(s, 5, outbox_id);
	sqlite3_bind_int64(s, 6, now);
	store_bind_text(s, 7, key);
	return store_step_done(st, s, "sent card", NULL);
}

/* Queues r for one kept card, in place of its pending update. */
static int update_one(struct store *st, int64_t id, const struct dest *d, const struct reply *r,
                      uint64_t request_id)
{
	char text[STORE_OUTBOX_DEST_MAX], key[64];
	sqlite3_stmt *s;
	int64_t version = 0;
	int rc;

	if (dest_format(d, text, sizeof text) < 0)
		return 0;
	if (!(s = store_prepare(st, BUMP_SQL)))
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	rc = store_step_count(st, s, "card version", &version);
	if (rc)
		return rc;
	if (!(s = store_prepare(st, SUPERSEDE_SQL)))
		return -EIO;
	store_bind_text(s, 1, text);
	rc = store_step_done(st, s, "card update superseded", NULL);
	if (rc)
		return rc;
	snprintf(key, sizeof key, "card:%" PRId64 ":%" PRId64, id, version);
	rc = store_outbox_enqueue(st, d, r, key, 0, request_id);
	/* Not renderable as one card: the card keeps its last face. */
	return rc == -EINVAL || rc == -EEXIST ? 0 : rc;
}

int store_card_update(struct store *st, int64_t event_id, const struct reply *r,
                      uint64_t request_id)
{
	sqlite3_stmt *s = store_prepare(st, CARDS_SQL);
	int rc;

	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, event_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct dest d = {.kind = DEST_CARD};
		int u;

		store_col_text(s, 1, d.platform, sizeof d.platform);
		store_col_text(s, 2, d.instance, sizeof d.instance);
		store_col_text(s, 3, d.target, sizeof d.target);
		u = update_one(st, sqlite3_column_int64(s, 0), &d, r, request_id);
		if (u < 0) {
			store_stmt_done(s);
			return u;
		}
	}
	store_stmt_done(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, "sent cards", rc);
}
