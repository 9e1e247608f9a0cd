/*
 * Shared by the alliance store files only (store_alliance*.c,
 * store_subscription.c, store_event.c, store_signup.c, store_broadcast.c,
 * store_campaign.c): SQL fragments, so "who counts as a member" is written
 * once, and small statement helpers.
 */
#ifndef CQOD_STORE_ALLIANCE_INTERNAL_H
#define CQOD_STORE_ALLIANCE_INTERNAL_H

#include "store_internal.h"

struct store_actor;

/* The person (an SQL expression) has an open 除名 or 黑名单 sanction on
 * any of their records: taken off alliance lists, no sign-up. */
#define ALLIANCE_SQL_BARRED(person) \
	"EXISTS (SELECT 1 FROM appointments xb JOIN sanctions xs ON xs.appointment_id = xb.id" \
	" WHERE xb.person_id = " person " AND xs.status = 'open'" \
	" AND xs.kind IN ('除名', '黑名单'))"

/* Rows `m` of alliance_members joined to their appointment `a` that count:
 * the record is in force and its person is not barred. */
#define ALLIANCE_SQL_MEMBER_COUNTS \
	"a.status = 'active' AND NOT " ALLIANCE_SQL_BARRED("a.person_id")

/* The members that count of alliance `alliance` (an SQL expression), as
 * alliance_members m JOIN appointments a. */
#define ALLIANCE_SQL_MEMBERS(alliance) \
	"alliance_members m JOIN appointments a ON a.id = m.appointment_id" \
	" WHERE m.alliance_id = " alliance " AND " ALLIANCE_SQL_MEMBER_COUNTS

/* Steps a statement that returns no rows, then resets it; *changes (may
 * be NULL) gets the rows it changed. Constraint failures map without a log
 * line (-EEXIST, -EINVAL); other failures are logged as `what`. */
int store_alliance_step_done(struct store *st, sqlite3_stmt *s, const char *what,
                             int *changes);

/* Steps a statement expected to return one integer (a count); *out gets it
 * (0 when there is no row). */
int store_alliance_step_count(struct store *st, sqlite3_stmt *s, const char *what,
                              int64_t *out);

/* Appends an audit row whose after-snapshot is taken by `json_sql` (one
 * integer parameter: id) and whose before-snapshot is `before` (may be
 * NULL). */
int store_alliance_audit_after(struct store *st, const struct store_actor *who,
                               const char *entity, const char *json_sql, int64_t id,
                               int64_t record_id, const char *before);

/* "platform:user" of the actor, for created_by columns. */
void store_alliance_actor_label(const struct store_actor *who, char *buf, size_t len);

/* Runs fn under a savepoint of the caller's transaction (rolled back when
 * fn fails). */
int store_alliance_in_txn(struct store *st, int (*fn)(struct store *st, void *arg),
                          void *arg);

#endif
