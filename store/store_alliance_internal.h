/*
 * Shared by the alliance store files only (store_alliance*.c,
 * store_subscription.c, store_event.c, store_signup.c, store_broadcast.c,
 * store_campaign.c): SQL fragments, so "who counts as a member" is written
 * once.
 */
#ifndef CQOD_STORE_ALLIANCE_INTERNAL_H
#define CQOD_STORE_ALLIANCE_INTERNAL_H

#include "store_internal.h"

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

#endif
