/*
 * What a reminder shows and whom it reaches; see store_remind.h. Each is
 * read for one record or person, or for a whole page of the sweep's due
 * persons in one statement over the page's ids, passed as one JSON array
 * read with json_each (the ledger, up to 32 items to a statement:
 * store_remind_ledger.c): a page of hundreds of persons costs a few dozen
 * statements, not several per person. What a person's message shows of a
 * record comes with its items (the collect's index holds it) and from its
 * enterprise's row, so a page reads no record and no person again.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"
#include "store_remind.h"

/* The columns read_record reads. */
#define RECORD_SELECT \
	"SELECT a.id, p.name, e.name, a.term_end, e.region_code, a.person_id, a.enterprise_id" \
	" FROM appointments a" \
	" JOIN people p ON p.id = a.person_id JOIN enterprises e ON e.id = a.enterprise_id"
static const char RECORD_SQL[] = RECORD_SELECT " WHERE a.id = ?1";
static const char RECORDS_SQL[] =
	RECORD_SELECT " WHERE a.id IN (SELECT value FROM json_each(?1)) ORDER BY a.id";
/* A page's enterprises, by id, for the names the persons' messages show. */
static const char ENTERPRISE_NAMES_SQL[] =
	"SELECT id, name FROM enterprises WHERE id IN (SELECT value FROM json_each(?1)) ORDER BY id";
static const char SANCTION_SQL[] =
	"SELECT appointment_id, kind, coalesce(ground, ''), coalesce(reason, ''), issued_on,"
	" coalesce(scheduled_at, 0), coalesce(place, ''), coalesce(rectify_by, '')"
	" FROM sanctions WHERE id = ?1";
static const char EVENT_SQL[] =
	"SELECT kind, title, starts_at, coalesce(place, '') FROM events WHERE id = ?1";

static const char PERSON_IDS_SQL[] =
	"SELECT platform, user_id, coalesce(instance, '') FROM identities"
	" WHERE person_id = ?1 AND role = 'cqo' ORDER BY platform, user_id";
static const char CONTACT_IDS_SQL[] =
	"SELECT platform, user_id, coalesce(instance, '') FROM identities"
	" WHERE enterprise_id = ?1 AND role = 'contact' ORDER BY platform, user_id";
/* An enterprise's open 建议解聘 of an appointment still in force that its
 * contacts have not been sent. */
static const char ENTERPRISE_PENDING_SQL[] =
	"SELECT s.id FROM sanctions s JOIN appointments a ON a.id = s.appointment_id"
	" WHERE a.enterprise_id = ?1 AND s.kind = '建议解聘' AND s.status = 'open'"
	" AND a.status = 'active'"
	" AND NOT EXISTS (SELECT 1 FROM reminder_ledger l WHERE l.rule = 'sanction_enterprise'"
	"  AND l.record_id = s.id)"
	" ORDER BY s.id";
static const char ROLE_IDS_SQL[] =
	"SELECT platform, user_id, coalesce(instance, ''), coalesce(scope_region, '')"
	" FROM identities WHERE role = ?1 ORDER BY platform, user_id";
static const char MUTES_SQL[] = "SELECT category FROM reminder_mutes WHERE person_id = ?1";
/* Asked by IN, each id is looked up in ascending order, so the rows leave
 * identities_person (person, role, platform, user) in the order asked for:
 * a join from json_each sorted them in a temporary b-tree, half the cost
 * of the statement. */
static const char PERSONS_IDS_SQL[] =
	"SELECT i.platform, i.user_id, coalesce(i.instance, ''), i.person_id"
	" FROM identities i WHERE i.person_id IN (SELECT value FROM json_each(?1))"
	" AND i.role = 'cqo' ORDER BY i.person_id, i.platform, i.user_id";
static const char PERSONS_MUTES_SQL[] =
	"SELECT m.person_id, m.category FROM json_each(?1) j"
	" JOIN reminder_mutes m ON m.person_id = j.value";

/* Steps a statement bound with integer ?1 = id once; ROW → 0. */
static int one_row(struct store *st, sqlite3_stmt *s, int64_t id, const char *what)
{
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		return 0;
	store_stmt_done(s);
	return rc == SQLITE_DONE ? -ENOENT : store_fail(st, what, rc);
}

/* A row of RECORD_SELECT into *out. */
static void read_record(sqlite3_stmt *s, struct store_remind_record *out)
{
	memset(out, 0, sizeof *out);
	out->appointment_id = sqlite3_column_int64(s, 0);
	store_col_text(s, 1, out->person_name, sizeof out->person_name);
	store_col_text(s, 2, out->enterprise_name, sizeof out->enterprise_name);
	store_col_text(s, 3, out->term_end, sizeof out->term_end);
	store_col_text(s, 4, out->region, sizeof out->region);
	out->person_id = sqlite3_column_int64(s, 5);
	out->enterprise_id = sqlite3_column_int64(s, 6);
}

/* What column 3 of an identity row holds, after platform, user and
 * instance. */
enum ident_extra { IDENT_PLAIN, IDENT_SCOPE, IDENT_PERSON };

static void read_identity(sqlite3_stmt *s, struct store_remind_identity *id,
                          enum ident_extra extra)
{
	memset(id, 0, sizeof *id);
	store_col_text(s, 0, id->platform, sizeof id->platform);
	store_col_text(s, 1, id->user_id, sizeof id->user_id);
	store_col_text(s, 2, id->instance, sizeof id->instance);
	if (extra == IDENT_SCOPE)
		store_col_text(s, 3, id->scope, sizeof id->scope);
	else if (extra == IDENT_PERSON)
		id->person_id = sqlite3_column_int64(s, 3);
}

/* Every identity row of the bound statement s into *out (caller frees),
 * grown from room for `cap` rows; statement done. */
static int read_identities(struct store *st, sqlite3_stmt *s, size_t cap, enum ident_extra extra,
                           struct store_remind_identity **out, size_t *n, const char *what)
{
	size_t room = 0;
	int rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n == room) {
			struct store_remind_identity *v = realloc(*out, (room = room ? room * 2 : cap) *
			                                                        sizeof *v);
			if (!v) {
				rc = SQLITE_NOMEM;
				break;
			}
			*out = v;
		}
		read_identity(s, &(*out)[(*n)++], extra);
	}
	store_stmt_done(s);
	if (rc == SQLITE_DONE)
		return 0;
	free(*out);
	*out = NULL;
	*n = 0;
	return rc == SQLITE_NOMEM ? -ENOMEM : store_fail(st, what, rc);
}

int store_remind_record_get(struct store *st, int64_t appointment_id,
                            struct store_remind_record *out)
{
	sqlite3_stmt *s = store_prepare(st, RECORD_SQL);
	int rc;

	memset(out, 0, sizeof *out);
	if (!s)
		return -EIO;
	if ((rc = one_row(st, s, appointment_id, "remind record")) < 0)
		return rc;
	read_record(s, out);
	store_stmt_done(s);
	return 0;
}

int store_remind_sanction_get(struct store *st, int64_t id, struct store_remind_sanction *out)
{
	sqlite3_stmt *s = store_prepare(st, SANCTION_SQL);
	int rc;

	memset(out, 0, sizeof *out);
	if (!s)
		return -EIO;
	if ((rc = one_row(st, s, id, "remind sanction")) < 0)
		return rc;
	out->appointment_id = sqlite3_column_int64(s, 0);
	store_col_text(s, 1, out->kind, sizeof out->kind);
	store_col_text(s, 2, out->ground, sizeof out->ground);
	store_col_text(s, 3, out->reason, sizeof out->reason);
	store_col_text(s, 4, out->issued_on, sizeof out->issued_on);
	out->scheduled_at = sqlite3_column_int64(s, 5);
	store_col_text(s, 6, out->place, sizeof out->place);
	store_col_text(s, 7, out->rectify_by, sizeof out->rectify_by);
	store_stmt_done(s);
	return 0;
}

int store_remind_event_get(struct store *st, int64_t id, struct store_remind_event *out)
{
	sqlite3_stmt *s = store_prepare(st, EVENT_SQL);
	int rc;

	memset(out, 0, sizeof *out);
	if (!s)
		return -EIO;
	if ((rc = one_row(st, s, id, "remind event")) < 0)
		return rc;
	store_col_text(s, 0, out->kind, sizeof out->kind);
	store_col_text(s, 1, out->title, sizeof out->title);
	out->starts_at = sqlite3_column_int64(s, 2);
	store_col_text(s, 3, out->place, sizeof out->place);
	store_stmt_done(s);
	return 0;
}

int store_remind_person_identities(struct store *st, int64_t person_id,
                                   struct store_remind_identity *out, size_t max, size_t *n)
{
	sqlite3_stmt *s = store_prepare(st, PERSON_IDS_SQL);
	int rc;

	*n = 0;
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, person_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (*n < max)
			read_identity(s, &out[(*n)++], IDENT_PLAIN);
	store_stmt_done(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, "person identities", rc);
}

/* Up to max rows of the integer-or-identity statement s bound with ?1 =
 * id: identities into ids, or integers into ints. */
static int read_ids(struct store *st, sqlite3_stmt *s, int64_t id,
                    struct store_remind_identity *ids, int64_t *ints, size_t max, size_t *n,
                    const char *what)
{
	int rc;

	*n = 0;
	sqlite3_bind_int64(s, 1, id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n >= max)
			continue;
		if (ids)
			read_identity(s, &ids[*n], IDENT_PLAIN);
		else
			ints[*n] = sqlite3_column_int64(s, 0);
		(*n)++;
	}
	store_stmt_done(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, what, rc);
}

int store_remind_contact_identities(struct store *st, int64_t enterprise_id,
                                    struct store_remind_identity *out, size_t max, size_t *n)
{
	sqlite3_stmt *s = store_prepare(st, CONTACT_IDS_SQL);

	*n = 0;
	return s ? read_ids(st, s, enterprise_id, out, NULL, max, n, "contact identities") : -EIO;
}

int store_remind_enterprise_pending(struct store *st, int64_t enterprise_id, int64_t *out,
                                    size_t max, size_t *n)
{
	sqlite3_stmt *s = store_prepare(st, ENTERPRISE_PENDING_SQL);

	*n = 0;
	return s ? read_ids(st, s, enterprise_id, NULL, out, max, n, "enterprise pending") : -EIO;
}

int store_remind_role_identities(struct store *st, const char *role,
                                 struct store_remind_identity **out, size_t *n)
{
	sqlite3_stmt *s = store_prepare(st, ROLE_IDS_SQL);

	*out = NULL;
	*n = 0;
	if (!s)
		return -EIO;
	store_bind_text(s, 1, role);
	return read_identities(st, s, 16, IDENT_SCOPE, out, n, "role identities");
}

/* The bit of the category muted in text column `col`; 0 for one unknown. */
static unsigned mute_bit(sqlite3_stmt *s, int col)
{
	int c = remind_category_index((const char *)sqlite3_column_text(s, col));

	return c >= 0 ? 1u << c : 0;
}

int store_remind_mutes(struct store *st, int64_t person_id, unsigned *mask)
{
	sqlite3_stmt *s = store_prepare(st, MUTES_SQL);
	int rc;

	*mask = 0;
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, person_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		*mask |= mute_bit(s, 0);
	store_stmt_done(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, "reminder mutes", rc);
}

/* Prepares sql with ?1 bound to ids[0..n) as a JSON array: *out, or
 * -ENOMEM or -EIO. */
static int prepare_ids(struct store *st, const char *sql, const int64_t *ids, size_t n,
                       sqlite3_stmt **out)
{
	int rc;

	if (!(*out = store_prepare(st, sql)))
		return -EIO;
	rc = store_bind_ids(*out, 1, ids, n);
	if (rc == SQLITE_OK)
		return 0;
	store_stmt_done(*out);
	return rc == SQLITE_NOMEM ? -ENOMEM : -EIO;
}

int store_remind_records_many(struct store *st, const struct remind_item *v, size_t n,
                              struct store_remind_record *out, size_t *n_out)
{
	int64_t *ids = n ? malloc(n * sizeof *ids) : NULL;
	size_t n_ids = 0;
	sqlite3_stmt *s;
	int rc;

	*n_out = 0;
	if (n && !ids)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		if (v[i].appointment_id)
			ids[n_ids++] = v[i].appointment_id;
	rc = n_ids ? prepare_ids(st, RECORDS_SQL, ids, n_ids, &s) : 0;
	free(ids);
	if (rc < 0 || n_ids == 0)
		return rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n_out < n)
		read_record(s, &out[(*n_out)++]);
	store_stmt_done(s);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : store_fail(st, "remind records", rc);
}

int store_remind_persons_identities(struct store *st, const int64_t *ids, size_t n,
                                    struct store_remind_identity **out, size_t *n_out)
{
	sqlite3_stmt *s;
	int rc;

	*out = NULL;
	*n_out = 0;
	if (n == 0)
		return 0;
	if ((rc = prepare_ids(st, PERSONS_IDS_SQL, ids, n, &s)) < 0)
		return rc;
	rc = read_identities(st, s, n, IDENT_PERSON, out, n_out, "persons identities");
	return rc;
}

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static int cmp_record_id(const void *a, const void *b)
{
	const struct store_remind_record *x = a, *y = b;

	return cmp_id(&x->appointment_id, &y->appointment_id);
}

static int cmp_enterprise(const void *a, const void *b)
{
	const struct store_remind_record *x = a, *y = b;

	return cmp_id(&x->enterprise_id, &y->enterprise_id);
}

/* Whether the item's day is its record's term end. */
static bool term_item(const struct remind_item *it)
{
	return it->rule == REMIND_TERM || it->rule == REMIND_OVERDUE ||
	       it->rule == REMIND_DIGEST_TERM || it->rule == REMIND_DIGEST_OVERDUE;
}

/* out[0..*n) (sorted by appointment) each once, keeping a term's end. */
static void unique_records(struct store_remind_record *out, size_t *n)
{
	size_t kept = 0;

	for (size_t i = 0; i < *n; i++) {
		if (kept && out[kept - 1].appointment_id == out[i].appointment_id) {
			if (!out[kept - 1].term_end[0])
				memcpy(out[kept - 1].term_end, out[i].term_end, sizeof out[i].term_end);
			continue;
		}
		out[kept++] = out[i];
	}
	*n = kept;
}

/* Names out[0..*n) (sorted by enterprise) from the rows of s (id, name,
 * by id), leaving out those of an enterprise with no row; statement done. */
static int name_records(struct store *st, sqlite3_stmt *s, struct store_remind_record *out,
                        size_t *n)
{
	size_t i = 0, kept = 0;
	int rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(s, 0);

		for (; i < *n && out[i].enterprise_id <= id; i++) {
			if (out[i].enterprise_id < id)
				continue;
			out[kept] = out[i];
			store_col_text(s, 1, out[kept].enterprise_name, sizeof out[kept].enterprise_name);
			kept++;
		}
	}
	store_stmt_done(s);
	*n = kept;
	return rc == SQLITE_DONE ? 0 : store_fail(st, "remind enterprise names", rc);
}

int store_remind_records_shown(struct store *st, const struct remind_item *v, size_t n,
                               struct store_remind_record *out, size_t *n_out)
{
	int64_t *ids = n ? malloc(n * sizeof *ids) : NULL;
	size_t n_recs = 0, n_ids = 0;
	sqlite3_stmt *s;
	int rc;

	*n_out = 0;
	if (n && !ids)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		struct store_remind_record *r = &out[n_recs];

		if (!v[i].appointment_id || !v[i].enterprise_id)
			continue;
		memset(r, 0, sizeof *r);
		r->appointment_id = v[i].appointment_id;
		r->person_id = v[i].person_id;
		r->enterprise_id = v[i].enterprise_id;
		memcpy(r->region, v[i].region, sizeof v[i].region);
		if (term_item(&v[i]))
			remind_day_str(v[i].at, r->term_end);
		n_recs++;
	}
	qsort(out, n_recs, sizeof *out, cmp_record_id);
	unique_records(out, &n_recs);
	/* By enterprise, to meet the names in the order they are read. */
	qsort(out, n_recs, sizeof *out, cmp_enterprise);
	for (size_t i = 0; i < n_recs; i++)
		if (n_ids == 0 || ids[n_ids - 1] != out[i].enterprise_id)
			ids[n_ids++] = out[i].enterprise_id;
	rc = n_ids ? prepare_ids(st, ENTERPRISE_NAMES_SQL, ids, n_ids, &s) : 0;
	free(ids);
	if (rc < 0 || n_ids == 0)
		return rc;
	rc = name_records(st, s, out, &n_recs);
	if (rc < 0)
		return rc;
	qsort(out, n_recs, sizeof *out, cmp_record_id);
	*n_out = n_recs;
	return 0;
}

int store_remind_persons_mutes(struct store *st, const int64_t *ids, size_t n, unsigned *masks)
{
	sqlite3_stmt *s;
	int rc;

	if (n == 0)
		return 0;
	memset(masks, 0, n * sizeof *masks);
	if ((rc = prepare_ids(st, PERSONS_MUTES_SQL, ids, n, &s)) < 0)
		return rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t person = sqlite3_column_int64(s, 0);
		const int64_t *at = bsearch(&person, ids, n, sizeof *ids, cmp_id);

		if (at)
			masks[at - ids] |= mute_bit(s, 1);
	}
	store_stmt_done(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, "persons mutes", rc);
}
