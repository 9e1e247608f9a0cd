/*
 * Alliance events (沙龙, 论坛, 围炉会 ...): what 活动 发布 / 修改 / 取消 / 列表
 * read and write. An event is written 'published' by the transaction that
 * also fans its announcement out (store_broadcast.h), so the insert, update
 * and cancel functions run inside the caller's transaction (store_begin)
 * and add their "event" audit row there.
 *
 * Times are unix seconds. Rows are copied into the caller's structs.
 */
#ifndef CQOD_STORE_EVENT_H
#define CQOD_STORE_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;
struct store_actor;

struct store_event {
	int64_t id;
	int64_t alliance_id;
	char alliance_name[128];
	char alliance_region[16];
	char kind[24];             /* 沙龙, 论坛, 围炉会, 大会, 现场会, 研讨会,
	                            * 首席质量官日, 质量月 */
	char title[256];
	int64_t starts_at;
	int64_t ends_at;           /* 0: not given */
	char place[320];           /* "" when online only */
	char link[512];            /* "" when on site only */
	int64_t capacity;          /* 0: no limit */
	int64_t signup_deadline;   /* 0: until the event starts */
	char description[2048];
	bool is_open;              /* anyone bound may sign up, not only members */
	char status[16];           /* draft, published, cancelled */
	size_t confirmed;          /* sign-ups holding a place */
	size_t waitlist;           /* sign-ups waiting for one */
};

/* Event `id` with its sign-up counts; -ENOENT if none. */
int store_event_get(struct store *st, int64_t id, struct store_event *out);

/* Inside a transaction: inserts ev (id, counts and status ignored) as
 * published and sets *id. */
int store_event_insert(struct store *st, const struct store_actor *who,
                       const struct store_event *ev, int64_t now, int64_t *id);

/* Inside a transaction: writes every field of ev over event ev->id (not
 * its alliance or status). -ENOENT when it is not published. */
int store_event_update(struct store *st, const struct store_actor *who,
                       const struct store_event *ev, int64_t now);

/* Inside a transaction: marks event `id` cancelled. -ENOENT when it is not
 * published. */
int store_event_cancel(struct store *st, const struct store_actor *who, int64_t id,
                       int64_t now);

/* Which events 活动 列表 shows (published, not yet over at `now`): every
 * one (admin), those of alliances overlapping a clerk's scope, one
 * alliance's (organizer), or for a person those of the alliances they are a
 * member of plus the open ones. */
struct store_event_filter {
	const char *scope;      /* non-NULL: clerk scope */
	int64_t alliance_id;    /* non-zero: only this alliance */
	int64_t person_id;      /* non-zero: member alliances and open events */
};

/* Upcoming events, soonest first, from `offset`; *total counts all. */
int store_event_list(struct store *st, const struct store_event_filter *f, int64_t now,
                     size_t offset, struct store_event *out, size_t max, size_t *n,
                     size_t *total);

#endif
