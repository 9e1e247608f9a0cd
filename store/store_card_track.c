/*
 * The buttons of cards that call back by slot; see store_card_track.h.
 */
#include "store_card_track.h"

#include <errno.h>
#include <string.h>

#include "store_internal.h"

static const char KEEP_SQL[] =
	"INSERT INTO card_tracks (platform, instance, track_id, cmd1, cmd2, cmd3, cmd4, shared,"
	" updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
	" ON CONFLICT (platform, instance, track_id) DO UPDATE SET cmd1 = ?4, cmd2 = ?5,"
	" cmd3 = ?6, cmd4 = ?7, shared = ?8, updated_at = ?9";

static const char FIND_SQL[] =
	"SELECT CASE ?4 WHEN 1 THEN cmd1 WHEN 2 THEN cmd2 WHEN 3 THEN cmd3 WHEN 4 THEN cmd4 END,"
	" shared FROM card_tracks WHERE platform = ?1 AND instance = ?2 AND track_id = ?3";

int store_card_track_keep(struct store *st, const struct dest *d, const struct card_track *t,
                          int64_t now)
{
	sqlite3_stmt *s;

	if (!t->id[0] || t->n > REPLY_ACTIONS_MAX)
		return -EINVAL;
	if (!(s = store_prepare(st, KEEP_SQL)))
		return -EIO;
	store_bind_text(s, 1, d->platform);
	store_bind_text(s, 2, d->instance);
	store_bind_text(s, 3, t->id);
	for (int i = 0; i < REPLY_ACTIONS_MAX; i++)
		store_bind_text(s, 4 + i, (size_t)i < t->n ? t->commands[i] : NULL);
	sqlite3_bind_int(s, 8, t->shared);
	sqlite3_bind_int64(s, 9, now);
	return store_step_done(st, s, "card track", NULL);
}

int store_card_track_command(struct store *st, const char *platform, const char *instance,
                             const char *track_id, int slot, const char *want, char *cmd,
                             size_t len, bool *shared)
{
	sqlite3_stmt *s;
	const unsigned char *text;
	int rc;

	if (slot < 1 || slot > REPLY_ACTIONS_MAX)
		return -ENOENT;
	if (!(s = store_prepare(st, FIND_SQL)))
		return -EIO;
	store_bind_text(s, 1, platform);
	store_bind_text(s, 2, instance);
	store_bind_text(s, 3, track_id);
	sqlite3_bind_int(s, 4, slot);
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		store_stmt_done(s);
		return rc == SQLITE_DONE ? -ENOENT : store_fail(st, "card track", rc);
	}
	text = sqlite3_column_text(s, 0);
	if (!text || (want && strcmp((const char *)text, want) != 0)) {
		rc = -ENOENT;
	} else if (strlen((const char *)text) >= len) {
		rc = -ENOSPC;
	} else {
		memcpy(cmd, text, strlen((const char *)text) + 1);
		*shared = sqlite3_column_int(s, 1) != 0;
		rc = 0;
	}
	store_stmt_done(s);
	return rc;
}
