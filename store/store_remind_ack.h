/*
 * What people do with their reminders: 收到 (acknowledge), 未确认 (who has
 * not), 提醒 关闭|开启 (mute a category). Each change is audited in its own
 * transaction (store_audit_add; entity "reminder_ack" or "reminder_mute",
 * entity id the person, or 0 for a clerk's acknowledgement).
 */
#ifndef CQOD_STORE_REMIND_ACK_H
#define CQOD_STORE_REMIND_ACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;
struct store_actor;

/* A CQO's 收到: their reminders in the ledger and their records' open
 * sanctions not yet acknowledged are marked at `now`. *reminders and
 * *sanctions get how many. An acknowledged weekly notice (a lapsed term)
 * is not sent again until the term changes. */
int store_remind_ack_person(struct store *st, const struct store_actor *who, int64_t person_id,
                            int64_t now, int *reminders, int *sanctions);

/* A clerk's 收到: the digest lines about records in `scope` (region prefix;
 * "" everywhere), and the reminders shown there because they could not be
 * delivered. *n gets how many. */
int store_remind_ack_scope(struct store *st, const struct store_actor *who, const char *scope,
                           int64_t now, int *n);

/* One line of 未确认. */
struct store_remind_unacked {
	int64_t appointment_id;
	char person_name[64];
	char enterprise_name[192];
	char rule[32];          /* the ledger's rule, or "" for a sanction */
	char kind[16];          /* a sanction's kind */
	int64_t sanction_id;    /* a sanction, else 0 */
	char date[11];          /* issued on, or the milestone */
};

/* What is not acknowledged in `scope`: open sanctions, and the reminders
 * sent to CQOs with milestones on or after `since` (YYYY-MM-DD), newest
 * first; up to max from `offset`, *total all of them. */
int store_remind_unacked(struct store *st, const char *scope, const char *since, size_t offset,
                         struct store_remind_unacked *out, size_t max, size_t *n, size_t *total);

/* Mutes (mute true) or unmutes `category` (remind_mute_categories) for a
 * person at `now`; *changed is false when it already was so. */
int store_remind_mute_set(struct store *st, const struct store_actor *who, int64_t person_id,
                          const char *category, bool mute, int64_t now, bool *changed);

#endif
