/* Fan-out of alliance messages; see store_broadcast.h. Reports are in
 * store_broadcast_report.c. */
#include "store_broadcast.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "../lib/config.h"
#include "../lib/log.h"
#include "store_alliance_internal.h"
#include "store_audit.h"
#include "store_outbox.h"

static const char *const kind_names[] = {
	[BROADCAST_PUBLISH] = "publish", [BROADCAST_UPDATE] = "update",
	[BROADCAST_CANCEL] = "cancel",   [BROADCAST_NOTICE] = "notice",
	[BROADCAST_CAMPAIGN] = "campaign",
};

static const char NEXT_ID_SQL[] = "SELECT coalesce(max(id), 0) + 1 FROM broadcasts";
static const char OPEN_SQL[] =
	"INSERT INTO broadcasts (id, alliance_id, event_id, kind, key_prefix, report_to,"
	" created_by, created_at) VALUES (?1, ?2, nullif(?3, 0), ?4, ?5, ?6, ?7, ?8)";
static const char COUNTS_SQL[] =
	"UPDATE broadcasts SET n_groups = ?2, n_people = ?3 WHERE id = ?1";
static const char JSON_SQL[] =
	"SELECT json_object('id', id, 'alliance_id', alliance_id, 'event_id', event_id,"
	" 'kind', kind, 'key_prefix', key_prefix, 'n_groups', n_groups, 'n_people', n_people,"
	" 'report_to', report_to) FROM broadcasts WHERE id = ?";

static const char GROUPS_SQL[] =
	"SELECT id, platform, instance, chat_id, kind FROM subscriptions WHERE alliance_id = ?1"
	" ORDER BY id";

/* Members who asked for private notices, and (?2) everyone signed up. */
static const char PEOPLE_SQL[] =
	"SELECT a.person_id FROM " ALLIANCE_SQL_MEMBERS("?1") " AND m.private_notices = 1"
	" UNION SELECT person_id FROM signups WHERE ?2 <> 0 AND event_id = ?2"
	" AND status IN ('confirmed', 'waitlist')"
	" ORDER BY 1";

static const char IDENTITIES_SQL[] =
	"SELECT platform, user_id, coalesce(instance, '') FROM identities"
	" WHERE person_id = ?1 AND role = 'cqo' AND platform IN ('wecom', 'dingtalk', 'feishu')"
	" ORDER BY platform, user_id";

/* The config instance to reach a user of `platform` through: the one
 * their identity came through while it is still configured, else the
 * platform's first. NULL when the platform has none. */
static const char *reach_instance(const struct config *cfg, const char *platform,
                                  const char *stored)
{
	if (stored[0] && config_instance_find(cfg, platform, stored))
		return stored;
	for (size_t i = 0; i < cfg->n_instances; i++)
		if (strcmp(cfg->instances[i].platform, platform) == 0)
			return cfg->instances[i].name;
	return NULL;
}

/* Queues r for d under key; a message already queued under the key counts
 * as queued. A dest the platform cannot take (an over-long id) is skipped
 * with a warning rather than failing the whole fan-out. 1 queued, 0
 * skipped, negative on store failure. */
static int queue(struct store *st, const struct dest *d, const struct reply *r, const char *key,
                 uint64_t request_id)
{
	int rc;

	if (!r)
		return 1;
	rc = store_outbox_enqueue(st, d, r, key, 0, request_id);
	if (rc == 0 || rc == -EEXIST)
		return 1;
	if (rc == -EINVAL) {
		log_warn("broadcast: %s:%s cannot take a message; skipped", d->platform,
		         d->instance);
		return 0;
	}
	return rc;
}

/* Queues r (NULL: only counts) to one person's reachable identities. */
static int person(struct store *st, const struct config *cfg, int64_t person_id,
                  const char *prefix, const struct reply *r, uint64_t request_id,
                  bool *reached)
{
	sqlite3_stmt *s = store_prepare(st, IDENTITIES_SQL);
	int rc = SQLITE_DONE;

	*reached = false;
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, person_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		char platform[16], user[128], stored[33], key[320];
		const char *instance;
		struct dest d;
		int q;

		store_col_text(s, 0, platform, sizeof platform);
		store_col_text(s, 1, user, sizeof user);
		store_col_text(s, 2, stored, sizeof stored);
		if (!(instance = reach_instance(cfg, platform, stored)))
			continue;
		memset(&d, 0, sizeof d);
		d.kind = DEST_USER;
		snprintf(d.platform, sizeof d.platform, "%s", platform);
		snprintf(d.instance, sizeof d.instance, "%s", instance);
		snprintf(d.target, sizeof d.target, "%s", user);
		snprintf(key, sizeof key, "%su%" PRId64 ":%s:%s", prefix, person_id, platform,
		         user);
		q = queue(st, &d, r, key, request_id);
		if (q < 0) {
			store_stmt_done(s);
			return q;
		}
		*reached = *reached || q > 0;
	}
	store_stmt_done(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, "broadcast identities", rc);
}

int store_broadcast_person(struct store *st, const struct config *cfg, int64_t person_id,
                           const char *key_prefix, const struct reply *r,
                           uint64_t request_id, bool *reached)
{
	bool any = false;
	int rc = person(st, cfg, person_id, key_prefix, r, request_id, &any);

	if (reached)
		*reached = any;
	return rc;
}

static void group_dest(sqlite3_stmt *s, struct dest *d)
{
	char kind[8];

	memset(d, 0, sizeof *d);
	store_col_text(s, 1, d->platform, sizeof d->platform);
	store_col_text(s, 2, d->instance, sizeof d->instance);
	store_col_text(s, 3, d->target, sizeof d->target);
	store_col_text(s, 4, kind, sizeof kind);
	d->kind = strcmp(kind, "robot") == 0 ? DEST_ROBOT : DEST_CHAT;
}

/* Every group of the alliance, in the order they subscribed. */
static int groups(struct store *st, const struct store_audience *a, const char *prefix,
                  const struct reply *r, uint64_t request_id, size_t *n)
{
	sqlite3_stmt *s = store_prepare(st, GROUPS_SQL);
	int rc;

	*n = 0;
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, a->alliance_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		char key[96];
		struct dest d;
		int q;

		group_dest(s, &d);
		snprintf(key, sizeof key, "%sg%lld", prefix, (long long)sqlite3_column_int64(s, 0));
		q = queue(st, &d, r, key, request_id);
		if (q < 0) {
			store_stmt_done(s);
			return q;
		}
		*n += (size_t)q;
	}
	store_stmt_done(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, "broadcast groups", rc);
}

/* Every person of the audience; *n counts those reached. */
static int people(struct store *st, const struct config *cfg, const struct store_audience *a,
                  const char *prefix, const struct reply *r, uint64_t request_id, size_t *n)
{
	sqlite3_stmt *s = store_prepare(st, PEOPLE_SQL);
	int rc;

	*n = 0;
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, a->alliance_id);
	sqlite3_bind_int64(s, 2, a->event_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		bool reached = false;
		int64_t id = sqlite3_column_int64(s, 0);
		int p = person(st, cfg, id, prefix, r, request_id, &reached);

		if (p < 0) {
			store_stmt_done(s);
			return p;
		}
		*n += reached;
	}
	store_stmt_done(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, "broadcast people", rc);
}

int store_broadcast_count(struct store *st, const struct config *cfg,
                          const struct store_audience *a, size_t *n_groups, size_t *n_people)
{
	int rc = groups(st, a, "", NULL, 0, n_groups);

	return rc ? rc : people(st, cfg, a, "", NULL, 0, n_people);
}

static void make_prefix(enum store_broadcast_kind kind, int64_t event_id, int64_t id,
                        char *buf, size_t len)
{
	switch (kind) {
	case BROADCAST_PUBLISH:
	case BROADCAST_CANCEL:
		snprintf(buf, len, "event:%" PRId64 ":%s:", event_id, kind_names[kind]);
		break;
	case BROADCAST_UPDATE:
		snprintf(buf, len, "event:%" PRId64 ":update:%" PRId64 ":", event_id, id);
		break;
	default:
		snprintf(buf, len, "%s:%" PRId64 ":", kind_names[kind], id);
		break;
	}
}

int store_broadcast_open(struct store *st, const struct store_actor *who,
                         enum store_broadcast_kind kind, const struct store_audience *a,
                         const struct dest *report_to, int64_t now,
                         struct store_broadcast *out)
{
	char to[STORE_OUTBOX_DEST_MAX], by[256];
	sqlite3_stmt *s = store_prepare(st, NEXT_ID_SQL);
	int rc;

	memset(out, 0, sizeof *out);
	if (!s)
		return -EIO;
	rc = store_step_count(st, s, "broadcast id", &out->id);
	if (rc)
		return rc;
	if (report_to && dest_format(report_to, to, sizeof to) < 0)
		report_to = NULL;
	out->alliance_id = a->alliance_id;
	out->event_id = a->event_id;
	out->kind = kind;
	out->created_at = now;
	make_prefix(kind, a->event_id, out->id, out->prefix, sizeof out->prefix);
	store_actor_label(who, by, sizeof by);
	if (!(s = store_prepare(st, OPEN_SQL)))
		return -EIO;
	sqlite3_bind_int64(s, 1, out->id);
	sqlite3_bind_int64(s, 2, a->alliance_id);
	sqlite3_bind_int64(s, 3, a->event_id);
	store_bind_text(s, 4, kind_names[kind]);
	store_bind_text(s, 5, out->prefix);
	store_bind_text(s, 6, report_to ? to : NULL);
	store_bind_text(s, 7, by);
	sqlite3_bind_int64(s, 8, now);
	return store_step_done(st, s, "broadcast open", NULL);
}

int store_broadcast_send(struct store *st, const struct store_actor *who,
                         const struct config *cfg, const struct store_audience *a,
                         struct store_broadcast *b, const struct reply *r, uint64_t request_id)
{
	sqlite3_stmt *s;
	int rc = groups(st, a, b->prefix, r, request_id, &b->groups);

	if (rc == 0)
		rc = people(st, cfg, a, b->prefix, r, request_id, &b->people);
	if (rc)
		return rc;
	if (!(s = store_prepare(st, COUNTS_SQL)))
		return -EIO;
	sqlite3_bind_int64(s, 1, b->id);
	sqlite3_bind_int64(s, 2, (int64_t)b->groups);
	sqlite3_bind_int64(s, 3, (int64_t)b->people);
	rc = store_step_done(st, s, "broadcast counts", NULL);
	return rc ? rc : store_audit_after(st, who, "broadcast", JSON_SQL, b->id, 0, NULL);
}
