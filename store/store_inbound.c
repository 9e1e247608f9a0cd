/* Inbound message dedupe: (platform, msg_id) pairs already seen. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

int store_inbound_record(struct store *st, const char *platform, const char *msg_id,
                         int64_t now)
{
	sqlite3_stmt *s = store_prepare(st,
		"INSERT INTO inbound (platform, msg_id, received_at) VALUES (?1, ?2, ?3)");
	if (!s)
		return -EIO;
	if (!platform || !msg_id)
		return -EINVAL;
	store_bind_text(s, 1, platform);
	store_bind_text(s, 2, msg_id);
	sqlite3_bind_int64(s, 3, now);
	int rc = sqlite3_step(s);
	store_stmt_done(s);
	if (rc == SQLITE_DONE)
		return 0;
	/* A duplicate is the expected outcome of a platform retry: not logged. */
	if (rc == SQLITE_CONSTRAINT_UNIQUE)
		return -EEXIST;
	return store_fail(st, "inbound record", rc);
}

int store_inbound_set_answer(struct store *st, const char *platform, const char *msg_id,
                             const char *answer)
{
	sqlite3_stmt *s = store_prepare(st,
		"UPDATE inbound SET answer = ?3 WHERE platform = ?1 AND msg_id = ?2");
	if (!s)
		return -EIO;
	store_bind_text(s, 1, platform);
	store_bind_text(s, 2, msg_id);
	store_bind_text(s, 3, answer);
	int rc = sqlite3_step(s);
	store_stmt_done(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, "inbound answer", rc);
	return sqlite3_changes(st->db) > 0 ? 0 : -ENOENT;
}

int store_inbound_answer(struct store *st, const char *platform, const char *msg_id,
                         char **answer)
{
	sqlite3_stmt *s = store_prepare(st,
		"SELECT answer FROM inbound WHERE platform = ?1 AND msg_id = ?2");
	*answer = NULL;
	if (!s)
		return -EIO;
	store_bind_text(s, 1, platform);
	store_bind_text(s, 2, msg_id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL) {
		*answer = strdup((const char *)sqlite3_column_text(s, 0));
		if (!*answer)
			rc = SQLITE_NOMEM;
	}
	store_stmt_done(s);
	if (rc == SQLITE_DONE)
		return -ENOENT;
	return rc == SQLITE_ROW ? 0 : store_fail(st, "inbound answer", rc);
}

int store_inbound_prune(struct store *st, int64_t before, int *deleted)
{
	sqlite3_stmt *s = store_prepare(st, "DELETE FROM inbound WHERE received_at < ?1");
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, before);
	int rc = sqlite3_step(s);
	store_stmt_done(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, "inbound prune", rc);
	if (deleted)
		*deleted = sqlite3_changes(st->db);
	return 0;
}
