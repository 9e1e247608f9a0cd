/* Pending confirmations; see store_confirm.h. */
#include "store_confirm.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

static const char CONFIRM_PURGE_SQL[] = "DELETE FROM confirmations WHERE expires_at <= ?";
static const char CONFIRM_DROP_SQL[] =
	"DELETE FROM confirmations WHERE platform = ?1 AND tenant = ?2 AND user_id = ?3"
	" AND expires_at > ?4";
static const char CONFIRM_PUT_SQL[] =
	"INSERT INTO confirmations (code, platform, tenant, user_id, command, expires_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char CONFIRM_TAKE_SQL[] =
	"DELETE FROM confirmations WHERE code = ?1 AND platform = ?2 AND tenant = ?3"
	" AND user_id = ?4 AND expires_at > ?5 RETURNING command";

/* Steps a write to the confirmations, which is bookkeeping, not an effect
 * (store_effects); *changed (may be NULL) tells whether it changed a row. */
static int step_bookkeeping(struct store *st, sqlite3_stmt *s, const char *what, int *changed)
{
	int changes = 0;
	int rc = store_step_done(st, s, what, &changes);

	if (rc == 0)
		store_note_bookkeeping(st);
	if (changed)
		*changed = changes > 0;
	return rc;
}

static int purge(struct store *st, int64_t now)
{
	sqlite3_stmt *s = store_prepare(st, CONFIRM_PURGE_SQL);
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, now);
	return step_bookkeeping(st, s, "confirm purge", NULL);
}

int store_confirm_drop(struct store *st, const char *platform, const char *tenant,
                      const char *user_id,
                       int64_t now, int *dropped)
{
	sqlite3_stmt *s = store_prepare(st, CONFIRM_DROP_SQL);
	if (!s)
		return -EIO;
	store_bind_text(s, 1, platform);
	store_bind_text(s, 2, tenant);
	store_bind_text(s, 3, user_id);
	sqlite3_bind_int64(s, 4, now);
	return step_bookkeeping(st, s, "confirm drop", dropped);
}

int store_confirm_put(struct store *st, const char *platform, const char *tenant,
                      const char *user_id,
                      const char *code, const char *command, int64_t now,
                      int64_t expires_at)
{
	int rc = purge(st, now);
	if (rc == 0)
		rc = store_confirm_drop(st, platform, tenant, user_id, now, NULL);
	if (rc < 0)
		return rc;
	sqlite3_stmt *s = store_prepare(st, CONFIRM_PUT_SQL);
	if (!s)
		return -EIO;
	store_bind_text(s, 1, code);
	store_bind_text(s, 2, platform);
	store_bind_text(s, 3, tenant);
	store_bind_text(s, 4, user_id);
	store_bind_text(s, 5, command);
	sqlite3_bind_int64(s, 6, expires_at);
	rc = step_bookkeeping(st, s, "confirm put", NULL);
	/* Any constraint: the code is taken. */
	return rc == -EINVAL ? -EEXIST : rc;
}

int store_confirm_take(struct store *st, const char *platform, const char *tenant,
                      const char *user_id,
                       const char *code, int64_t now, char **command)
{
	sqlite3_stmt *s = store_prepare(st, CONFIRM_TAKE_SQL);

	*command = NULL;
	if (!s)
		return -EIO;
	store_bind_text(s, 1, code);
	store_bind_text(s, 2, platform);
	store_bind_text(s, 3, tenant);
	store_bind_text(s, 4, user_id);
	sqlite3_bind_int64(s, 5, now);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*command = strdup((const char *)sqlite3_column_text(s, 0));
	/* RETURNING rows must be stepped to the end for the DELETE to finish. */
	while (rc == SQLITE_ROW)
		rc = sqlite3_step(s);
	store_stmt_done(s);
	if (rc == SQLITE_DONE)
		store_note_bookkeeping(st);
	if (rc != SQLITE_DONE) {
		free(*command);
		*command = NULL;
		return store_fail(st, "confirm take", rc);
	}
	return *command ? 0 : -ENOENT;
}
