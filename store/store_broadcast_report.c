/* Delivery reports of alliance fan-outs, read from the outbox rows under
 * each fan-out's key prefix; see store_broadcast.h. */
#include "store_broadcast.h"

#include <errno.h>
#include <string.h>

#include "store_alliance_internal.h"
#include "store_outbox.h"
#include "store_subscription.h"

static const char GET_SQL[] =
	"SELECT id, alliance_id, coalesce(event_id, 0), kind, key_prefix, n_groups, n_people,"
	" created_at, coalesce(report_to, '') FROM broadcasts WHERE id = ?1";

/* Every part of every message of one fan-out, parts of a message next to
 * each other ('#' sorts below the characters keys are made of). */
static const char ROWS_SQL[] =
	"SELECT idem_key, destination, state FROM outbox"
	" WHERE idem_key >= ?1 AND idem_key < ?2 ORDER BY idem_key";

static const char OF_EVENT_SQL[] =
	"SELECT id FROM broadcasts WHERE event_id = ?1 ORDER BY id DESC LIMIT ?2";

static const char UNREPORTED_SQL[] =
	"SELECT id FROM broadcasts WHERE reported_at IS NULL AND report_to IS NOT NULL"
	" AND id > ?1 ORDER BY id LIMIT 1";

static const char MARK_SQL[] = "UPDATE broadcasts SET reported_at = ?2 WHERE id = ?1";

static const char *const kinds[] = {"publish", "update", "cancel", "notice", "campaign"};

static int load(struct store *st, int64_t id, struct store_broadcast *b, char *to, size_t len)
{
	sqlite3_stmt *s = store_prepare(st, GET_SQL);
	char kind[16];
	int rc;

	memset(b, 0, sizeof *b);
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		b->id = sqlite3_column_int64(s, 0);
		b->alliance_id = sqlite3_column_int64(s, 1);
		b->event_id = sqlite3_column_int64(s, 2);
		store_col_text(s, 3, kind, sizeof kind);
		for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
			if (strcmp(kind, kinds[i]) == 0)
				b->kind = (enum store_broadcast_kind)i;
		store_col_text(s, 4, b->prefix, sizeof b->prefix);
		b->groups = (size_t)sqlite3_column_int64(s, 5);
		b->people = (size_t)sqlite3_column_int64(s, 6);
		b->created_at = sqlite3_column_int64(s, 7);
		store_col_text(s, 8, to, len);
	}
	store_stmt_done(s);
	if (rc == SQLITE_ROW)
		return 0;
	return rc == SQLITE_DONE ? -ENOENT : store_fail(st, "broadcast get", rc);
}

/* One message while its parts are read. */
struct message {
	char key[512];        /* idem_key without "#<part>" */
	char destination[STORE_OUTBOX_DEST_MAX];
	bool pending, dead;
};

static void key_base(const char *idem_key, char *out, size_t len)
{
	const char *hash = strrchr(idem_key, '#');
	size_t n = hash ? (size_t)(hash - idem_key) : strlen(idem_key);

	if (n >= len)
		n = len - 1;
	memcpy(out, idem_key, n);
	out[n] = '\0';
}

static void name_group(struct store *st, struct store_broadcast_report *r, const char *dest)
{
	struct store_broadcast_group *g;
	struct store_subscription sub;

	if (r->n_failed_groups >= STORE_BROADCAST_FAILED_MAX)
		return;
	g = &r->failed_groups[r->n_failed_groups];
	memset(g, 0, sizeof *g);
	if (dest_parse(dest, &g->dest) < 0)
		return;
	if (store_subscription_find(st, r->b.alliance_id, &g->dest, &sub) == 0)
		memcpy(g->label, sub.label, sizeof g->label);
	r->n_failed_groups++;
}

/* Counts a finished message into the report. */
static void tally(struct store *st, struct store_broadcast_report *r, const struct message *m)
{
	size_t plen = strlen(r->b.prefix);

	if (!m->key[0])
		return;
	if (m->dead) {
		r->failed++;
		if (m->key[plen] == 'g')
			name_group(st, r, m->destination);
		else
			r->failed_people++;
	} else if (m->pending) {
		r->pending++;
	} else {
		r->delivered++;
	}
}

static int count_rows(struct store *st, struct store_broadcast_report *r)
{
	sqlite3_stmt *s = store_prepare(st, ROWS_SQL);
	struct message m;
	char hi[sizeof r->b.prefix];
	size_t plen = strlen(r->b.prefix);
	int rc;

	if (!s)
		return -EIO;
	/* Prefixes end in ':'; ';' is the next character. */
	memcpy(hi, r->b.prefix, plen + 1);
	hi[plen - 1] = ';';
	memset(&m, 0, sizeof m);
	store_bind_text(s, 1, r->b.prefix);
	store_bind_text(s, 2, hi);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		char key[sizeof m.key], state[16];

		key_base((const char *)sqlite3_column_text(s, 0), key, sizeof key);
		if (strcmp(key, m.key) != 0) {
			tally(st, r, &m);
			memset(&m, 0, sizeof m);
			memcpy(m.key, key, sizeof key);
			store_col_text(s, 1, m.destination, sizeof m.destination);
		}
		store_col_text(s, 2, state, sizeof state);
		m.dead = m.dead || strcmp(state, "dead") == 0;
		m.pending = m.pending || strcmp(state, "pending") == 0 ||
		            strcmp(state, "inflight") == 0;
	}
	store_stmt_done(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, "broadcast rows", rc);
	tally(st, r, &m);
	return 0;
}

/* The report of `id`; the report_to text into to[len]. */
static int report(struct store *st, int64_t id, struct store_broadcast_report *out, char *to,
                  size_t len)
{
	int rc;

	memset(out, 0, sizeof *out);
	rc = load(st, id, &out->b, to, len);
	return rc ? rc : count_rows(st, out);
}

int store_broadcast_report(struct store *st, int64_t id, struct store_broadcast_report *out)
{
	char to[STORE_OUTBOX_DEST_MAX];

	return report(st, id, out, to, sizeof to);
}

int store_broadcast_of_event(struct store *st, int64_t event_id, int64_t *ids, size_t max,
                             size_t *n)
{
	sqlite3_stmt *s = store_prepare(st, OF_EVENT_SQL);
	int rc;

	*n = 0;
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, event_id);
	sqlite3_bind_int64(s, 2, (int64_t)max);
	rc = SQLITE_DONE;   /* max may be 0 */
	while (*n < max && (rc = sqlite3_step(s)) == SQLITE_ROW)
		ids[(*n)++] = sqlite3_column_int64(s, 0);
	store_stmt_done(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_fail(st, "broadcast of event", rc);
}

int store_broadcast_next_settled(struct store *st, int64_t after_id,
                                 struct store_broadcast_report *out, struct dest *to)
{
	char text[STORE_OUTBOX_DEST_MAX];

	for (;;) {
		sqlite3_stmt *s = store_prepare(st, UNREPORTED_SQL);
		int64_t id = 0;
		int rc;

		if (!s)
			return -EIO;
		sqlite3_bind_int64(s, 1, after_id);
		rc = store_step_count(st, s, "broadcast unreported", &id);
		if (rc)
			return rc;
		if (id == 0)
			return -ENOENT;
		rc = report(st, id, out, text, sizeof text);
		if (rc)
			return rc;
		if (out->pending == 0 && dest_parse(text, to) == 0)
			return 0;
		after_id = id;
	}
}

int store_broadcast_mark_reported(struct store *st, int64_t id, int64_t now)
{
	sqlite3_stmt *s = store_prepare(st, MARK_SQL);

	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, now);
	return store_step_done(st, s, "broadcast reported", NULL);
}
