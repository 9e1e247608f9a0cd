/*
 * Alliances (首席质量官联盟): finding one (授权 … 组织者, 我是谁, every
 * alliance command), creating and listing them, and their members.
 *
 * Members are registry records (appointments). A member counts — is listed,
 * receives notices, may sign up as a member — only while the record is in
 * force and the person has no open 除名 or 黑名单 sanction, so a removed or
 * blacklisted CQO drops off every alliance list at once and comes back if
 * the sanction is revoked (the membership row itself is kept for that).
 *
 * Changes run atomically (a savepoint of the caller's transaction) with
 * their audit rows ("alliance",
 * "alliance_member"). Rows are copied into the caller's structs.
 */
#ifndef CQOD_STORE_ALLIANCE_H
#define CQOD_STORE_ALLIANCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;

struct store_alliance {
	int64_t id;
	char name[128];
	char region_code[16];   /* "" when not tied to a region */
};

/* The alliance with this id; -ENOENT if none. */
int store_alliance_get(struct store *st, int64_t id, struct store_alliance *out);

/* By id (all digits) or else by name, exact or with full-width ASCII and
 * spaces folded as chat input is (so "联盟(演示)" finds "联盟（演示）");
 * -ENOENT if nothing matches. */
int store_alliance_find(struct store *st, const char *name_or_id, struct store_alliance *out);

/* *out: appointment `appointment_id` is a member of alliance `alliance_id`. */
int store_alliance_has_member(struct store *st, int64_t alliance_id, int64_t appointment_id,
                              bool *out);

struct store_actor;

/* Creates an alliance (region_code "" for none) and sets *id. -EEXIST when
 * the name is taken, -EINVAL when the region does not exist. */
int store_alliance_create(struct store *st, const struct store_actor *who, const char *name,
                          const char *region_code, int64_t now, int64_t *id);

/* Which alliances a list shows: every one (admin), those whose region
 * overlaps a clerk's scope (either lies within the other; alliances without
 * a region too), one alliance (an organizer's), or a person's (cqo). */
struct store_alliance_filter {
	const char *scope;      /* non-NULL: clerk scope */
	int64_t alliance_id;    /* non-zero: only this one */
	int64_t person_id;      /* non-zero: alliances the person is a member of */
};

struct store_alliance_row {
	struct store_alliance al;
	size_t members;          /* members that count (see above) */
	size_t groups;           /* subscribed groups and robots */
	bool private_notices;    /* person filter: the person gets private notices */
};

/* Alliances by id, from `offset`, up to max into out; *total counts all. */
int store_alliance_list(struct store *st, const struct store_alliance_filter *f,
                        size_t offset, struct store_alliance_row *out, size_t max, size_t *n,
                        size_t *total);

/* true when `region` and an alliance's region overlap (see the filter);
 * an alliance without a region overlaps every scope. */
bool store_alliance_region_overlaps(const char *alliance_region, const char *scope);

/* ---- members (store_alliance_member.c) ---- */

/* Adds record `appointment_id` to the alliance. -EEXIST when it is a member
 * already, -ENOENT when there is no such record or alliance. */
int store_alliance_member_add(struct store *st, const struct store_actor *who,
                              int64_t alliance_id, int64_t appointment_id, int64_t now);

/* Removes it; -ENOENT when it was not a member. */
int store_alliance_member_remove(struct store *st, const struct store_actor *who,
                                 int64_t alliance_id, int64_t appointment_id);

struct store_alliance_member {
	int64_t appointment_id;
	int64_t person_id;
	char person_name[64];
	char enterprise_name[192];
	bool private_notices;
};

/* The members that count, by record number, from `offset`. */
int store_alliance_members(struct store *st, int64_t alliance_id, size_t offset,
                           struct store_alliance_member *out, size_t max, size_t *n,
                           size_t *total);

/* *out: person `person_id` is a member that counts of the alliance. */
int store_alliance_person_member(struct store *st, int64_t alliance_id, int64_t person_id,
                                 bool *out);

/* Turns private notices on or off for the person's memberships: of one
 * alliance, or of all (alliance_id 0). *changed counts the memberships
 * whose setting changed; -ENOENT when the person is a member of none. */
int store_alliance_private_set(struct store *st, const struct store_actor *who,
                               int64_t person_id, int64_t alliance_id, bool on, int *changed);

/* *out: the person may not take part (an open 除名 or 黑名单 sanction on
 * any of their records). */
int store_alliance_person_barred(struct store *st, int64_t person_id, bool *out);

#endif
