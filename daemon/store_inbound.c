/* Inbound message dedupe: (platform, msg_id) pairs already seen. */
#include <errno.h>

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
	if (rc == SQLITE_CONSTRAINT_PRIMARYKEY)
		return -EEXIST;
	return store_fail(st, "inbound record", rc);
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
