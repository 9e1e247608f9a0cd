/*
 * What the reminder sweep reads and writes (daemon/remind_sweep.c):
 *
 *  - the due milestones of a window of days, each rule one query over an
 *    index on its due date (term_end, filed_at, scheduled_at, rectify_by,
 *    starts_at, the unacknowledged sanctions), so a sweep costs what is due
 *    and not the registry's size; the annual hours, due for every CQO on
 *    the days of their policy (09-01, 11-01, 12-01 unless it says
 *    otherwise), in pages by person;
 *  - the details a message shows (record, sanction, event);
 *  - who receives them: a person's cqo identities, the clerks, the admins,
 *    and the categories a person muted;
 *  - the reminder ledger (one row per milestone, UNIQUE (rule, record,
 *    milestone date), written in the transaction of the outbox row), and the
 *    last sweep's day.
 *
 * Days are day numbers (clock.h). Strings in the out structs are copies.
 */
#ifndef CQOD_STORE_REMIND_H
#define CQOD_STORE_REMIND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../lib/remind.h"

struct store;
struct calendar;

/* The window being swept. */
struct store_remind_span {
	int64_t from, to;              /* milestone days covered */
	int64_t now;                   /* unix seconds: stale summonses and events are left out */
	const struct calendar *cal;    /* for each item's due day; borrowed */
};

/* Appends every milestone in the window except the annual hours: term
 * (and the digest line for offsets of 30 days or less), lapsed terms
 * (weekly, unless acknowledged since the term ended), missing appointment
 * training (30 days: the CQO; 60 days: the digest), summonses, rectification
 * deadlines, unacknowledged sanctions (digest), 建议解聘 not yet delivered
 * to the enterprise (digest, "待送达企业") and events. */
int store_remind_collect(struct store *st, const struct store_remind_span *sp,
                         struct remind_items *out);

/* The annual-hours milestones in [from, to]: the days of every policy that
 * sets a quota, each once, in order, at most max into out. */
int store_remind_hours_days(struct store *st, int64_t from, int64_t to, int64_t *out,
                            size_t max, size_t *n);

/* The annual-hours milestone `milestone` for the next page of active CQOs
 * after person `after` (0 to start): appends those whose policy sets a
 * quota and names the milestone's day, and who are short of it (the kinds
 * it counts, pro rata where it says). *next is the last person the page covered, or -1
 * when no person is left after it. */
int store_remind_hours_page(struct store *st, const struct store_remind_span *sp,
                            int64_t milestone, int64_t after, int limit,
                            struct remind_items *out, int64_t *next);

/* ---- details shown in the messages ---- */

struct store_remind_record {
	int64_t appointment_id;
	int64_t person_id;
	char person_name[64];
	char enterprise_name[192];
	char term_end[11];
	char region[16];
	int64_t enterprise_id;
};
/* -ENOENT when there is no such appointment. */
int store_remind_record_get(struct store *st, int64_t appointment_id,
                            struct store_remind_record *out);

struct store_remind_sanction {
	int64_t appointment_id;
	char kind[16];
	char ground[32];
	char reason[324];
	char issued_on[11];
	int64_t scheduled_at;      /* 0: none */
	char place[260];
	char rectify_by[11];       /* "" when none */
};
int store_remind_sanction_get(struct store *st, int64_t id, struct store_remind_sanction *out);

struct store_remind_event {
	char kind[24];
	char title[256];
	int64_t starts_at;
	char place[256];
};
int store_remind_event_get(struct store *st, int64_t id, struct store_remind_event *out);

/* ---- recipients ---- */

struct store_remind_identity {
	int64_t person_id;         /* store_remind_persons_identities; else 0 */
	char platform[16];
	char user_id[128];
	char instance[33];         /* "" unknown */
	char scope[16];            /* clerks */
};

/* The cqo identities of a person: up to max into out, *n written. */
int store_remind_person_identities(struct store *st, int64_t person_id,
                                   struct store_remind_identity *out, size_t max, size_t *n);
/* The contact (企业联系人) identities of an enterprise: up to max into out. */
int store_remind_contact_identities(struct store *st, int64_t enterprise_id,
                                    struct store_remind_identity *out, size_t max, size_t *n);
/* The enterprise's open 建议解聘 of appointments still in force not yet
 * sent to its contacts (no "sanction_enterprise" ledger row), oldest
 * first: up to max ids into out. */
int store_remind_enterprise_pending(struct store *st, int64_t enterprise_id, int64_t *out,
                                    size_t max, size_t *n);
/* Every identity of `role` ("clerk", "admin"), in *out (caller frees). */
int store_remind_role_identities(struct store *st, const char *role,
                                 struct store_remind_identity **out, size_t *n);
/* The categories (remind_category) person_id muted, as a bit mask of
 * 1u << index in remind_mute_categories. */
int store_remind_mutes(struct store *st, int64_t person_id, unsigned *mask);

/* ---- the ledger ---- */

/* Records the milestone of `it` at `now` (it->ledger_id gets the row);
 * *fresh is false when it was already recorded (then it must not be sent
 * again). */
int store_remind_ledger_claim(struct store *st, struct remind_item *it, int64_t now,
                              bool *fresh);
/* Whether the milestone of `it` is recorded (the dry run's claim). */
int store_remind_ledger_exists(struct store *st, const struct remind_item *it, bool *exists);
/* Points the milestone of `it`, claimed, at outbox row `outbox_id`,
 * unless it points at one already. */
int store_remind_ledger_link(struct store *st, const struct remind_item *it, int64_t outbox_id);
/* claimed[i]: whether the milestone of v[i] is recorded. */
int store_remind_ledger_claimed_many(struct store *st, const struct remind_item *v, size_t n,
                                     bool *claimed);
/* Records the milestones of v[0..n) at `now`, each pointing at outbox row
 * outbox_ids[i] (0: none); one already recorded is left as it is. Call it
 * in the transaction that wrote those rows, after store_remind_ledger_
 * claimed_many in the same transaction left out what was recorded. */
int store_remind_ledger_claim_many(struct store *st, const struct remind_item *v, size_t n,
                                   const int64_t *outbox_ids, int64_t now);

/* ---- a page of due persons, one statement each ---- */

/* The records (appointments) the items v[0..n) name (repeats allowed;
 * items with no record skipped), each once, into out (room for n), sorted
 * by appointment id; records that do not exist are left out. */
int store_remind_records_many(struct store *st, const struct remind_item *v, size_t n,
                              struct store_remind_record *out, size_t *n_out);
/* The records the persons' messages of v[0..n) show, each once, into out
 * (room for n), sorted by appointment id: of each item with a record and
 * its enterprise, the record, person, enterprise and region as the item
 * has them, the term's end as a term item has it ("" otherwise), and the
 * enterprise's name, read in one statement over the enterprises alone;
 * person_name is "" (those messages do not name the person). Records of
 * an enterprise that does not exist are left out. */
int store_remind_records_shown(struct store *st, const struct remind_item *v, size_t n,
                               struct store_remind_record *out, size_t *n_out);
/* The cqo identities of the persons ids[0..n), in *out (caller frees),
 * ordered by person, platform and user, each with its person_id. */
int store_remind_persons_identities(struct store *st, const int64_t *ids, size_t n,
                                    struct store_remind_identity **out, size_t *n_out);
/* The categories each of the persons ids[0..n) (sorted, distinct) muted:
 * masks[i] as store_remind_mutes gives it. */
int store_remind_persons_mutes(struct store *st, const int64_t *ids, size_t n, unsigned *masks);

/* The day of the last sweep; -1 when there was none. */
int store_remind_last_sweep(struct store *st, int64_t *day);
int store_remind_set_last_sweep(struct store *st, int64_t day, int64_t now);

#endif
