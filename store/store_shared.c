/*
 * The helpers every store file shares (store_internal.h): binding and
 * reading values, stepping statements, audit rows, actor labels.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_audit.h"
#include "store_internal.h"

int store_bind_text(sqlite3_stmt *s, int idx, const char *text)
{
	if (!text)
		return sqlite3_bind_null(s, idx);
	return sqlite3_bind_text(s, idx, text, -1, SQLITE_STATIC);
}

int store_bind_ids(sqlite3_stmt *s, int idx, const int64_t *ids, size_t n)
{
	/* 20 digits, a sign and a comma each, the brackets and the NUL. */
	char *out = malloc(n * 22 + 3), *p = out;

	if (!out)
		return SQLITE_NOMEM;
	*p++ = '[';
	for (size_t i = 0; i < n; i++) {
		char digits[21];
		uint64_t v = ids[i] < 0 ? -(uint64_t)ids[i] : (uint64_t)ids[i];
		size_t k = 0;

		if (i)
			*p++ = ',';
		if (ids[i] < 0)
			*p++ = '-';
		do
			digits[k++] = (char)('0' + v % 10);
		while ((v /= 10));
		while (k)
			*p++ = digits[--k];
	}
	*p++ = ']';
	/* SQLite frees it: at the next bind or clear (store_stmt_done), or now
	 * if the bind fails. */
	return sqlite3_bind_text(s, idx, out, (int)(p - out), free);
}

int store_bind_text_or_null(sqlite3_stmt *s, int idx, const char *text)
{
	return store_bind_text(s, idx, text && *text ? text : NULL);
}

void store_col_text(sqlite3_stmt *s, int col, char *buf, size_t len)
{
	const unsigned char *t = sqlite3_column_text(s, col);
	size_t n = t ? (size_t)sqlite3_column_bytes(s, col) : 0;

	if (len == 0)
		return;
	if (n >= len) {
		/* Cut before a partial multi-byte character (continuation bytes
		 * are 10xxxxxx). */
		n = len - 1;
		while (n > 0 && (t[n] & 0xc0) == 0x80)
			n--;
	}
	if (n)
		memcpy(buf, t, n);
	buf[n] = '\0';
}

bool store_is_date(const char *s)
{
	static const char shape[] = "dddd-dd-dd";
	if (!s)
		return false;
	for (size_t i = 0; i < sizeof shape - 1; i++) {
		if (shape[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != '-')
			return false;
	}
	return s[sizeof shape - 1] == '\0';
}

int store_bind_long_or_null(sqlite3_stmt *s, int idx, long v)
{
	return v < 0 ? sqlite3_bind_null(s, idx) : sqlite3_bind_int64(s, idx, v);
}

int store_step_done(struct store *st, sqlite3_stmt *s, const char *what, int *changes)
{
	int rc = sqlite3_step(s);

	store_stmt_done(s);
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return store_errno(rc);
	if (rc != SQLITE_DONE)
		return store_fail(st, what, rc);
	if (changes)
		*changes = sqlite3_changes(st->db);
	return 0;
}

int store_step_count(struct store *st, sqlite3_stmt *s, const char *what, int64_t *out)
{
	int rc = sqlite3_step(s);

	*out = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	store_stmt_done(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_fail(st, what, rc);
}

int store_audit_after(struct store *st, const struct store_actor *who, const char *entity,
                      const char *json_sql, int64_t id, int64_t record_id, const char *before)
{
	char *after = NULL;   /* owned here */
	int rc = store_snapshot_json(st, json_sql, id, &after);

	if (rc == 0)
		rc = store_audit_add(st, who, entity, id, record_id, before, after);
	free(after);
	return rc;
}

void store_actor_label(const struct store_actor *who, char *buf, size_t len)
{
	snprintf(buf, len, "%s:%s", who->platform ? who->platform : "",
	         who->user_id ? who->user_id : "");
}

int store_savepoint_run(struct store *st, int (*fn)(struct store *st, void *arg), void *arg)
{
	int rc = store_savepoint(st);

	if (rc)
		return rc;
	return store_savepoint_end(st, fn(st, arg));
}

int store_run(struct store *st, const char *sql, const char *what)
{
	sqlite3_stmt *s = store_prepare(st, sql);
	int rc;

	if (!s)
		return -EIO;
	rc = sqlite3_step(s);
	store_stmt_done(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, what, rc);
}

int store_run_int(struct store *st, const char *sql, const char *what, int64_t v, int *changes)
{
	sqlite3_stmt *s = store_prepare(st, sql);

	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, v);
	return store_step_done(st, s, what, changes);
}

int store_step_row(struct store *st, sqlite3_stmt *s, const char *what, int id_col, int64_t *id,
                   int json_col, char **json)
{
	int rc = sqlite3_step(s), found = 0;

	if (json)
		*json = NULL;
	if (rc == SQLITE_ROW) {
		found = 1;
		if (id_col >= 0)
			*id = sqlite3_column_int64(s, id_col);
		if (json_col >= 0) {
			const unsigned char *t = sqlite3_column_text(s, json_col);
			if (t && !(*json = strdup((const char *)t))) {
				store_stmt_done(s);
				return -ENOMEM;
			}
		}
		rc = SQLITE_DONE;
	}
	store_stmt_done(s);
	if (rc == SQLITE_DONE)
		return found;
	if (json) {
		free(*json);
		*json = NULL;
	}
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return store_errno(rc);
	return store_fail(st, what, rc);
}

int store_step_write(struct store *st, sqlite3_stmt *s, const char *what, bool insert,
                     int64_t *id, const char *snapshot_sql, char **json)
{
	int rc = sqlite3_step(s);

	store_stmt_done(s);
	if (json)
		*json = NULL;
	if (rc != SQLITE_DONE)
		return (rc & 0xff) == SQLITE_CONSTRAINT ? store_errno(rc)
		                                        : store_fail(st, what, rc);
	/* RETURNING would give the snapshot in one statement, but builds a
	 * temporary table per row: twice the cost of this lookup by id. */
	bool written = sqlite3_changes(st->db) > 0;
	if (insert && written)
		*id = sqlite3_last_insert_rowid(st->db);
	if (!written || !snapshot_sql)
		return 0;
	return store_snapshot_json(st, snapshot_sql, *id, json);
}
