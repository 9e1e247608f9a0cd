/*
 * The words of reminder messages (handlers/text/remind.h): a person's message of
 * the day, a clerk's digest, a sanction's notice on issuance (to the CQO;
 * a 建议解聘 also to the enterprise), the admins' calendar warning.
 * Details (names, places, times) are read from the store as the lines are
 * written; only what the items name is shown.
 */
#ifndef CQOD_REMIND_TEXT_H
#define CQOD_REMIND_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "../lib/reply.h"
#include "../lib/remind.h"

struct store;
struct store_remind_record;

/* Records a caller read for many items at once (store_remind_records_many),
 * sorted by appointment id: the texts look a record up here first and read
 * it from the store only when it is not among them. Borrowed; NULL: none. */
struct remind_known {
	const struct store_remind_record *v;
	size_t n;
};

/* Most lines a clerk's digest lists; the rest are counted. */
#define REMIND_DIGEST_MAX_LINES 40

/* A person's message for `today`: one line per (rule, record), the latest
 * milestone of each, late ones marked. items are one person's, sorted
 * (remind_items_sort). 0, -ENOMEM or a store error. */
int remind_text_person(struct store *st, const struct remind_known *known,
                       const struct remind_item *items, size_t n, int64_t today,
                       struct reply *r);

/* A clerk's digest: lines for the digest rules, and for the reminders that
 * could not reach an unbound person ("未绑定，无法提醒"); items sorted.
 * *lines (may be NULL) gets the number of lines it has, the "……另有" one
 * aside; 0 lines means there is nothing to send. */
int remind_text_digest(struct store *st, const struct remind_known *known,
                       const struct remind_item *items, size_t n, int64_t today,
                       struct reply *r, size_t *lines);

/* The notice of sanction `sanction_id` to its CQO. */
int remind_text_notice(struct store *st, int64_t sanction_id, struct reply *r);

/* The notice of 建议解聘 `sanction_id` to its enterprise's contact,
 * addressed to the enterprise (贵单位). */
int remind_text_notice_enterprise(struct store *st, int64_t sanction_id, struct reply *r);

/* The admins' warning that the calendar ends on day `covered_until`. */
int remind_text_calendar(int64_t covered_until, struct reply *r);

#endif
