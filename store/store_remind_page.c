/*
 * The reminder sweep's reads for a whole page of due persons;
 * see store_remind.h. The persons' and records' reads are one statement
 * each over the page's ids, passed as one JSON array read with json_each
 * (the ledger, up to 32 items to a statement: store_remind_ledger.c). A
 * page of hundreds of persons costs a few dozen statements, not several per
 * person.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/strbuf.h"
#include "store_internal.h"
#include "store_remind.h"

static const char RECORDS_SQL[] =
	"SELECT a.id, p.name, e.name, a.term_end, e.region_code, a.person_id, a.enterprise_id"
	" FROM appointments a"
	" JOIN people p ON p.id = a.person_id JOIN enterprises e ON e.id = a.enterprise_id"
	" WHERE a.id IN (SELECT value FROM json_each(?1)) ORDER BY a.id";
/* Asked by IN, each id is looked up in ascending order, so the rows leave
 * identities_person (person, role, platform, user) in the order asked for:
 * a join from json_each sorted them in a temporary b-tree, half the cost
 * of the statement. */
static const char IDENTITIES_SQL[] =
	"SELECT i.person_id, i.platform, i.user_id, coalesce(i.instance, '')"
	" FROM identities i WHERE i.person_id IN (SELECT value FROM json_each(?1))"
	" AND i.role = 'cqo' ORDER BY i.person_id, i.platform, i.user_id";
static const char MUTES_SQL[] =
	"SELECT m.person_id, m.category FROM json_each(?1) j"
	" JOIN reminder_mutes m ON m.person_id = j.value";
/* ids[0..n) as a JSON array into sb (caller frees); -ENOMEM. */
static int ids_json(const int64_t *ids, size_t n, struct strbuf *sb)
{
	strbuf_init(sb);
	strbuf_append(sb, "[", 1);
	for (size_t i = 0; i < n; i++)
		strbuf_appendf(sb, i ? ",%lld" : "%lld", (long long)ids[i]);
	strbuf_append(sb, "]", 1);
	if (!sb->failed)
		return 0;
	strbuf_free(sb);
	return -ENOMEM;
}

/* Prepares sql and binds ?1 to the JSON in sb (kept alive by the caller
 * until store_stmt_done); NULL when it cannot be prepared. */
static sqlite3_stmt *prepare_json(struct store *st, const char *sql, const struct strbuf *sb)
{
	sqlite3_stmt *s = store_prepare(st, sql);

	if (s)
		sqlite3_bind_text(s, 1, sb->buf, (int)sb->len, SQLITE_STATIC);
	return s;
}

int store_remind_records_many(struct store *st, const int64_t *ids, size_t n,
                              struct store_remind_record *out, size_t *n_out)
{
	struct strbuf sb;
	sqlite3_stmt *s;
	int rc;

	*n_out = 0;
	if (n == 0)
		return 0;
	if ((rc = ids_json(ids, n, &sb)) < 0)
		return rc;
	if (!(s = prepare_json(st, RECORDS_SQL, &sb))) {
		strbuf_free(&sb);
		return -EIO;
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n_out < n) {
		struct store_remind_record *r = &out[(*n_out)++];

		memset(r, 0, sizeof *r);
		r->appointment_id = sqlite3_column_int64(s, 0);
		store_col_text(s, 1, r->person_name, sizeof r->person_name);
		store_col_text(s, 2, r->enterprise_name, sizeof r->enterprise_name);
		store_col_text(s, 3, r->term_end, sizeof r->term_end);
		store_col_text(s, 4, r->region, sizeof r->region);
		r->person_id = sqlite3_column_int64(s, 5);
		r->enterprise_id = sqlite3_column_int64(s, 6);
	}
	store_stmt_done(s);
	strbuf_free(&sb);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : store_fail(st, "remind records", rc);
}

int store_remind_persons_identities(struct store *st, const int64_t *ids, size_t n,
                                    struct store_remind_identity **out, size_t *n_out)
{
	struct strbuf sb;
	sqlite3_stmt *s;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n_out = 0;
	if (n == 0)
		return 0;
	if ((rc = ids_json(ids, n, &sb)) < 0)
		return rc;
	if (!(s = prepare_json(st, IDENTITIES_SQL, &sb))) {
		strbuf_free(&sb);
		return -EIO;
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n_out == cap) {
			struct store_remind_identity *v = realloc(*out, (cap = cap ? cap * 2 : n) *
			                                                        sizeof *v);
			if (!v) {
				rc = SQLITE_NOMEM;
				break;
			}
			*out = v;
		}
		struct store_remind_identity *id = &(*out)[(*n_out)++];
		memset(id, 0, sizeof *id);
		id->person_id = sqlite3_column_int64(s, 0);
		store_col_text(s, 1, id->platform, sizeof id->platform);
		store_col_text(s, 2, id->user_id, sizeof id->user_id);
		store_col_text(s, 3, id->instance, sizeof id->instance);
	}
	store_stmt_done(s);
	strbuf_free(&sb);
	if (rc == SQLITE_DONE)
		return 0;
	free(*out);
	*out = NULL;
	*n_out = 0;
	return rc == SQLITE_NOMEM ? -ENOMEM : store_fail(st, "persons identities", rc);
}

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

int store_remind_persons_mutes(struct store *st, const int64_t *ids, size_t n, unsigned *masks)
{
	struct strbuf sb;
	sqlite3_stmt *s;
	int rc;

	if (n == 0)
		return 0;
	memset(masks, 0, n * sizeof *masks);
	if ((rc = ids_json(ids, n, &sb)) < 0)
		return rc;
	if (!(s = prepare_json(st, MUTES_SQL, &sb))) {
		strbuf_free(&sb);
		return -EIO;
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t person = sqlite3_column_int64(s, 0);
		const int64_t *at = bsearch(&person, ids, n, sizeof *ids, cmp_id);
		int c = remind_category_index((const char *)sqlite3_column_text(s, 1));

		if (at && c >= 0)
			masks[at - ids] |= 1u << c;
	}
	store_stmt_done(s);
	strbuf_free(&sb);
	return rc == SQLITE_DONE ? 0 : store_fail(st, "persons mutes", rc);
}
