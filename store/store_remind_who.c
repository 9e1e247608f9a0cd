/* What a reminder shows and whom it reaches; see store_remind.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"
#include "store_remind.h"

static const char RECORD_SQL[] =
	"SELECT p.name, e.name, a.term_end, e.region_code, a.person_id, a.enterprise_id"
	" FROM appointments a"
	" JOIN people p ON p.id = a.person_id JOIN enterprises e ON e.id = a.enterprise_id"
	" WHERE a.id = ?1";
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
	out->appointment_id = appointment_id;
	store_col_text(s, 0, out->person_name, sizeof out->person_name);
	store_col_text(s, 1, out->enterprise_name, sizeof out->enterprise_name);
	store_col_text(s, 2, out->term_end, sizeof out->term_end);
	store_col_text(s, 3, out->region, sizeof out->region);
	out->person_id = sqlite3_column_int64(s, 4);
	out->enterprise_id = sqlite3_column_int64(s, 5);
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

static void read_identity(sqlite3_stmt *s, struct store_remind_identity *id, bool with_scope)
{
	memset(id, 0, sizeof *id);
	store_col_text(s, 0, id->platform, sizeof id->platform);
	store_col_text(s, 1, id->user_id, sizeof id->user_id);
	store_col_text(s, 2, id->instance, sizeof id->instance);
	if (with_scope)
		store_col_text(s, 3, id->scope, sizeof id->scope);
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
			read_identity(s, &out[(*n)++], false);
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
			read_identity(s, &ids[*n], false);
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
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (!s)
		return -EIO;
	store_bind_text(s, 1, role);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n == cap) {
			struct store_remind_identity *v = realloc(*out, (cap = cap ? cap * 2 : 16) *
			                                                        sizeof *v);
			if (!v) {
				rc = SQLITE_NOMEM;
				break;
			}
			*out = v;
		}
		read_identity(s, &(*out)[(*n)++], true);
	}
	store_stmt_done(s);
	if (rc == SQLITE_DONE)
		return 0;
	free(*out);
	*out = NULL;
	*n = 0;
	return rc == SQLITE_NOMEM ? -ENOMEM : store_fail(st, "role identities", rc);
}

int store_remind_mutes(struct store *st, int64_t person_id, unsigned *mask)
{
	sqlite3_stmt *s = store_prepare(st, MUTES_SQL);
	int rc;

	*mask = 0;
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, person_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int i = remind_category_index((const char *)sqlite3_column_text(s, 0));
		if (i >= 0)
			*mask |= 1u << i;
	}
	store_stmt_done(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, "reminder mutes", rc);
}
