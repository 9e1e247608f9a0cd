/* Alliance lookups; see store_alliance.h. */
#include "store_alliance.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/digits.h"
#include "store_alliance_internal.h"
#include "store_audit.h"

#define ALLIANCE_COLUMNS "SELECT id, name, region_code FROM alliances"

static const char BY_ID_SQL[] = ALLIANCE_COLUMNS " WHERE id = ?1";
static const char BY_NAME_SQL[] = ALLIANCE_COLUMNS " WHERE name = ?1";

/* Steps a bound lookup statement and fills *out from its row. */
static int read_one(struct store *st, sqlite3_stmt *s, struct store_alliance *out)
{
	int rc = sqlite3_step(s);

	if (rc == SQLITE_ROW) {
		memset(out, 0, sizeof *out);
		out->id = sqlite3_column_int64(s, 0);
		store_col_text(s, 1, out->name, sizeof out->name);
		store_col_text(s, 2, out->region_code, sizeof out->region_code);
	}
	store_stmt_done(s);
	if (rc == SQLITE_ROW)
		return 0;
	return rc == SQLITE_DONE ? -ENOENT : store_fail(st, "alliance get", rc);
}

int store_alliance_get(struct store *st, int64_t id, struct store_alliance *out)
{
	sqlite3_stmt *s = store_prepare(st, BY_ID_SQL);

	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	return read_one(st, s, out);
}

/* Folds s the way chat input reaches the handlers (handlers/args.h):
 * full-width ASCII (U+FF01..U+FF5E) to ASCII, U+3000, U+2005 and U+00A0 to
 * a space. Folding only shrinks text; out holds strlen(s) + 1 bytes. */
static void fold(const char *s, char *out)
{
	const unsigned char *p = (const unsigned char *)s;
	char *w = out;

	while (*p) {
		if (p[0] == 0xEF && p[1] == 0xBC && p[2] >= 0x81 && p[2] <= 0xBF) {
			*w++ = (char)(p[2] - 0x60);
			p += 3;
		} else if (p[0] == 0xEF && p[1] == 0xBD && p[2] >= 0x80 && p[2] <= 0x9E) {
			*w++ = (char)(p[2] - 0x20);
			p += 3;
		} else if ((p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80) ||
		           (p[0] == 0xE2 && p[1] == 0x80 && p[2] == 0x85)) {
			*w++ = ' ';
			p += 3;
		} else if (p[0] == 0xC2 && p[1] == 0xA0) {
			*w++ = ' ';
			p += 2;
		} else {
			*w++ = (char)*p++;
		}
	}
	*w = '\0';
}

static const char ALL_SQL[] = ALLIANCE_COLUMNS " ORDER BY id";

/* Chat input never holds full-width brackets (the tokenizer folds them),
 * while stored names often do, so names are also compared folded. There
 * are few alliances: a scan is cheap. */
static int find_folded(struct store *st, const char *name, struct store_alliance *out)
{
	size_t cap = sizeof out->name;
	char want[sizeof out->name], have[sizeof out->name];
	sqlite3_stmt *s;
	int rc;

	if (strlen(name) >= cap)
		return -ENOENT;
	fold(name, want);
	if (!(s = store_prepare(st, ALL_SQL)))
		return -EIO;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		store_col_text(s, 1, have, sizeof have);
		fold(have, have);
		if (strcmp(have, want) == 0) {
			memset(out, 0, sizeof *out);
			out->id = sqlite3_column_int64(s, 0);
			store_col_text(s, 1, out->name, sizeof out->name);
			store_col_text(s, 2, out->region_code, sizeof out->region_code);
			break;
		}
	}
	store_stmt_done(s);
	if (rc == SQLITE_ROW)
		return 0;
	return rc == SQLITE_DONE ? -ENOENT : store_fail(st, "alliance scan", rc);
}

int store_alliance_find(struct store *st, const char *name_or_id, struct store_alliance *out)
{
	sqlite3_stmt *s;
	int rc;

	if (!name_or_id || !*name_or_id)
		return -EINVAL;
	if (digits_only(name_or_id) && strlen(name_or_id) < 19) {
		rc = store_alliance_get(st, strtoll(name_or_id, NULL, 10), out);
		if (rc != -ENOENT)
			return rc;
	}
	if (!(s = store_prepare(st, BY_NAME_SQL)))
		return -EIO;
	store_bind_text(s, 1, name_or_id);
	rc = read_one(st, s, out);
	return rc == -ENOENT ? find_folded(st, name_or_id, out) : rc;
}

static const char MEMBER_SQL[] =
	"SELECT 1 FROM alliance_members WHERE alliance_id = ?1 AND appointment_id = ?2";

int store_alliance_has_member(struct store *st, int64_t alliance_id, int64_t appointment_id,
                              bool *out)
{
	sqlite3_stmt *s = store_prepare(st, MEMBER_SQL);

	*out = false;
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, alliance_id);
	sqlite3_bind_int64(s, 2, appointment_id);
	int rc = sqlite3_step(s);
	*out = rc == SQLITE_ROW;
	store_stmt_done(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_fail(st, "alliance member", rc);
}

/* ---- creating and listing ---- */

static const char CREATE_SQL[] =
	"INSERT INTO alliances (name, region_code, created_at) VALUES (?1, nullif(?2, ''), ?3)";
static const char ALLIANCE_JSON_SQL[] =
	"SELECT json_object('id', id, 'name', name, 'region_code', region_code)"
	" FROM alliances WHERE id = ?";
static const char REGION_EXISTS_SQL[] = "SELECT count(*) FROM regions WHERE code = ?1";

struct create_args {
	const struct store_actor *who;
	const char *name, *region;
	int64_t now, id;
};

static int create_txn(struct store *st, void *arg)
{
	struct create_args *c = arg;
	sqlite3_stmt *s;
	int64_t n = 1;
	int rc = 0;

	if (c->region[0]) {
		if (!(s = store_prepare(st, REGION_EXISTS_SQL)))
			return -EIO;
		store_bind_text(s, 1, c->region);
		rc = store_step_count(st, s, "alliance region", &n);
		if (rc == 0 && n == 0)
			rc = -EINVAL;
	}
	if (rc)
		return rc;
	if (!(s = store_prepare(st, CREATE_SQL)))
		return -EIO;
	store_bind_text(s, 1, c->name);
	store_bind_text(s, 2, c->region);
	sqlite3_bind_int64(s, 3, c->now);
	rc = store_step_done(st, s, "alliance create", NULL);
	if (rc)
		return rc;
	c->id = sqlite3_last_insert_rowid(st->db);
	return store_audit_after(st, c->who, "alliance", ALLIANCE_JSON_SQL, c->id, 0,
	                         NULL);
}

int store_alliance_create(struct store *st, const struct store_actor *who, const char *name,
                          const char *region_code, int64_t now, int64_t *id)
{
	struct store_alliance existing;
	struct create_args c = {who, name, region_code ? region_code : "", now, 0};
	int rc;

	/* Names are compared folded, as chat input finds them: "联盟(甲)" and
	 * "联盟（甲）" would be two alliances no one could tell apart. */
	rc = find_folded(st, name, &existing);
	if (rc == 0)
		return -EEXIST;
	if (rc != -ENOENT)
		return rc;
	rc = store_savepoint_run(st, create_txn, &c);
	if (rc == 0)
		*id = c.id;
	return rc;
}

bool store_alliance_region_overlaps(const char *alliance_region, const char *scope)
{
	if (!alliance_region[0])
		return true;
	return store_region_in_scope(alliance_region, scope) ||
	       store_region_in_scope(scope, alliance_region);
}

/* Counts come with each row; the filters that need C (region overlap) are
 * applied while reading, so paging counts in C too. There are few
 * alliances. */
static const char LIST_SQL[] =
	"SELECT al.id, al.name, coalesce(al.region_code, ''),"
	" (SELECT count(*) FROM " ALLIANCE_SQL_MEMBERS("al.id") "),"
	" (SELECT count(*) FROM subscriptions sub WHERE sub.alliance_id = al.id),"
	" (SELECT max(m.private_notices) FROM alliance_members m"
	"   JOIN appointments a ON a.id = m.appointment_id"
	"   WHERE m.alliance_id = al.id AND a.person_id = ?2)"
	" FROM alliances al"
	" WHERE (?1 = 0 OR al.id = ?1)"
	" AND (?2 = 0 OR EXISTS (SELECT 1 FROM " ALLIANCE_SQL_MEMBERS("al.id")
	"   AND a.person_id = ?2))"
	" ORDER BY al.id";

int store_alliance_list(struct store *st, const struct store_alliance_filter *f,
                        size_t offset, struct store_alliance_row *out, size_t max, size_t *n,
                        size_t *total)
{
	sqlite3_stmt *s = store_prepare(st, LIST_SQL);
	int rc;

	*n = *total = 0;
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, f->alliance_id);
	sqlite3_bind_int64(s, 2, f->person_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_alliance_row row;

		memset(&row, 0, sizeof row);
		row.al.id = sqlite3_column_int64(s, 0);
		store_col_text(s, 1, row.al.name, sizeof row.al.name);
		store_col_text(s, 2, row.al.region_code, sizeof row.al.region_code);
		if (f->scope && !store_alliance_region_overlaps(row.al.region_code, f->scope))
			continue;
		row.members = (size_t)sqlite3_column_int64(s, 3);
		row.groups = (size_t)sqlite3_column_int64(s, 4);
		row.private_notices = sqlite3_column_int(s, 5) != 0;
		if (*total >= offset && *n < max)
			out[(*n)++] = row;
		(*total)++;
	}
	store_stmt_done(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, "alliance list", rc);
}
