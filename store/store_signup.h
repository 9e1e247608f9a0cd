/*
 * Sign-ups for alliance events (报名, 取消报名, 报名名单). A sign-up holds a
 * place ('confirmed') while the event has room, else waits ('waitlist');
 * `position` orders sign-ups as they came, so the waiting list moves up in
 * that order. A cancelled sign-up keeps its row ('cancelled') and may sign
 * up again, at the end of the line.
 *
 * Every change adds a "signup" audit row (entity id: the event).
 */
#ifndef CQOD_STORE_SIGNUP_H
#define CQOD_STORE_SIGNUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;
struct store_actor;

/* A person's sign-up for one event. */
struct store_signup_state {
	char status[16];   /* "confirmed", "waitlist", "cancelled"; "" when none */
	size_t rank;       /* waitlist: 1 for the next to move up; else 0 */
};

int store_signup_get(struct store *st, int64_t event_id, int64_t person_id,
                     struct store_signup_state *out);

/* Signs the person up (atomically, in the caller's transaction): a place while fewer than
 * `capacity` hold one (0: no limit), else the waiting list. -EEXIST when
 * they are signed up already (*out tells how). */
int store_signup_add(struct store *st, const struct store_actor *who, int64_t event_id,
                     int64_t person_id, int64_t capacity, int64_t now,
                     struct store_signup_state *out);

/* Inside a transaction: cancels the person's sign-up (-ENOENT when there
 * is none to cancel); *was_confirmed says whether it held a place. */
int store_signup_cancel(struct store *st, const struct store_actor *who, int64_t event_id,
                        int64_t person_id, bool *was_confirmed);

/* Inside a transaction: moves the waiting list up while fewer than
 * `capacity` (0: no limit) hold a place; the people moved up go to
 * promoted[0..*n) (at most max; the rest stay waiting until next time). */
int store_signup_promote(struct store *st, const struct store_actor *who, int64_t event_id,
                         int64_t capacity, int64_t *promoted, size_t max, size_t *n);

/* One line of 报名名单: names and enterprises only. */
struct store_signup_row {
	int64_t person_id;
	char person_name[64];
	char enterprise_name[192];   /* of the person's newest record in force, else newest */
	bool waiting;                /* on the waiting list (else holds a place) */
	bool barred;                 /* since removed or blacklisted */
};

/* Sign-ups holding a place, then the waiting list, each in order; from
 * `offset`; *total counts all. */
int store_signup_list(struct store *st, int64_t event_id, size_t offset,
                      struct store_signup_row *out, size_t max, size_t *n, size_t *total);

#endif
