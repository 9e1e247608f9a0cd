/* The audit trail and the access log; see store_audit.h. */
#include "store_audit.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/clock.h"
#include "../lib/log.h"
#include "store_internal.h"

static const char AUDIT_INSERT_SQL[] =
	"INSERT INTO audit_log (at, actor_platform, actor_user, chat_id, command, entity,"
	" entity_id, record_id, before_json, after_json, actor_tenant)"
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

int store_audit_add(struct store *st, const struct store_actor *who, const char *entity,
                    int64_t entity_id, int64_t record_id, const char *before_json,
                    const char *after_json)
{
	sqlite3_stmt *s = store_prepare(st, AUDIT_INSERT_SQL);
	if (!s)
		return -EIO;
	/* The daemon's clock, not SQLite's, so tests with a fixed time agree. */
	sqlite3_bind_int64(s, 1, clock_now());
	store_bind_text(s, 2, who->platform);
	store_bind_text(s, 3, who->user_id);
	store_bind_text(s, 4, who->chat_id);
	store_bind_text(s, 5, who->command ? who->command : "");
	store_bind_text(s, 6, entity);
	sqlite3_bind_int64(s, 7, entity_id);
	if (record_id)
		sqlite3_bind_int64(s, 8, record_id);
	store_bind_text(s, 9, before_json);
	store_bind_text(s, 10, after_json);
	store_bind_text(s, 11, who->tenant);
	int rc = sqlite3_step(s);
	store_stmt_done(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, "audit insert", rc);
}

int store_snapshot_json(struct store *st, const char *sql, int64_t id, char **out)
{
	sqlite3_stmt *s = store_prepare(st, sql);

	*out = NULL;
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL) {
		*out = strdup((const char *)sqlite3_column_text(s, 0));
		store_stmt_done(s);
		return *out ? 0 : -ENOMEM;
	}
	store_stmt_done(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_fail(st, "snapshot", rc);
}

static const char AUDIT_COUNT_SQL[] = "SELECT count(*) FROM audit_log WHERE record_id = ?";
static const char AUDIT_LIST_SQL[] =
	"SELECT id, at, actor_platform, actor_user, chat_id, command, entity, entity_id,"
	" before_json, after_json, actor_tenant FROM audit_log WHERE record_id = ?"
	" ORDER BY id DESC LIMIT ? OFFSET ?";

int store_audit_list(struct store *st, int64_t appointment_id, size_t offset,
                     struct store_audit_row *out, size_t max, size_t *n, size_t *total)
{
	sqlite3_stmt *s = store_prepare(st, AUDIT_COUNT_SQL);
	int rc;

	*n = *total = 0;
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, appointment_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*total = (size_t)sqlite3_column_int64(s, 0);
	store_stmt_done(s);
	if (rc != SQLITE_ROW)
		return store_fail(st, "audit count", rc);

	if (!(s = store_prepare(st, AUDIT_LIST_SQL)))
		return -EIO;
	sqlite3_bind_int64(s, 1, appointment_id);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)max);
	sqlite3_bind_int64(s, 3, (sqlite3_int64)offset);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < max) {
		struct store_audit_row *r = &out[(*n)++];
		r->id = sqlite3_column_int64(s, 0);
		r->at = sqlite3_column_int64(s, 1);
		store_col_text(s, 2, r->actor_platform, sizeof r->actor_platform);
		store_col_text(s, 3, r->actor_user, sizeof r->actor_user);
		store_col_text(s, 4, r->chat_id, sizeof r->chat_id);
		store_col_text(s, 5, r->command, sizeof r->command);
		store_col_text(s, 6, r->entity, sizeof r->entity);
		r->entity_id = sqlite3_column_int64(s, 7);
		store_col_text(s, 8, r->before_json, sizeof r->before_json);
		store_col_text(s, 9, r->after_json, sizeof r->after_json);
		store_col_text(s, 10, r->actor_tenant, sizeof r->actor_tenant);
	}
	store_stmt_done(s);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : store_fail(st, "audit list", rc);
}

static const char ACCESS_INSERT_SQL[] =
	"INSERT INTO access_log (at, actor_platform, actor_user, chat_id, person_id,"
	" appointment_id, actor_tenant) VALUES (?, ?, ?, ?, ?, ?, ?)";

int store_access_log_add(struct store *st, const struct store_actor *who, int64_t person_id,
                         int64_t appointment_id, int64_t at)
{
	sqlite3_stmt *s = store_prepare(st, ACCESS_INSERT_SQL);
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, at);
	store_bind_text(s, 2, who->platform ? who->platform : "");
	store_bind_text(s, 3, who->user_id ? who->user_id : "");
	store_bind_text(s, 4, who->chat_id ? who->chat_id : "");
	sqlite3_bind_int64(s, 5, person_id);
	sqlite3_bind_int64(s, 6, appointment_id);
	store_bind_text(s, 7, who->tenant);
	int rc = sqlite3_step(s);
	store_stmt_done(s);
	if (rc == SQLITE_DONE)
		store_note_bookkeeping(st);
	return rc == SQLITE_DONE ? 0 : store_fail(st, "access log insert", rc);
}
