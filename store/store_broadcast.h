/*
 * Fan-out of alliance messages through the outbox (store_outbox.h): one
 * message per subscribed group (app group chat or group robot) and one per
 * member who asked for private notices (alliance_members.private_notices),
 * plus, for an event's change or cancellation, one per person signed up.
 * A person is reached through each of their cqo identities on a chat
 * platform, by the config instance it came through (identities.instance),
 * else the platform's first configured instance.
 *
 * Each fan-out is a row in broadcasts; its outbox rows share a key prefix
 * ("event:7:publish:", "event:7:update:12:", "event:7:cancel:", "notice:12:",
 * "campaign:12:") followed by "g<subscription>" or "u<person>:<platform>:
 * <user>", so the same message is never queued twice for one destination
 * and delivery can be reported from the outbox rows alone.
 *
 * The outbox paces each destination by its platform's rate limit and keeps
 * its order, so this only enqueues, inside the caller's transaction.
 */
#ifndef CQOD_STORE_BROADCAST_H
#define CQOD_STORE_BROADCAST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../lib/platform.h"
#include "../lib/reply.h"

struct store;
struct store_actor;
struct config;

enum store_broadcast_kind {
	BROADCAST_PUBLISH = 0,
	BROADCAST_UPDATE,
	BROADCAST_CANCEL,
	BROADCAST_NOTICE,
	BROADCAST_CAMPAIGN,
};

/* Who a fan-out reaches. */
struct store_audience {
	int64_t alliance_id;
	int64_t event_id;        /* non-zero: also everyone signed up for it */
};

struct store_broadcast {
	int64_t id;
	int64_t alliance_id;
	int64_t event_id;        /* 0 for notices and campaigns */
	enum store_broadcast_kind kind;
	char prefix[64];         /* the outbox key prefix */
	size_t groups, people;   /* messages queued to groups, people reached */
	int64_t created_at;
};

/* How many groups and people a fan-out to `a` would reach now (people:
 * those with at least one reachable identity). */
int store_broadcast_count(struct store *st, const struct config *cfg,
                          const struct store_audience *a, size_t *groups, size_t *people);

/* Inside a transaction: records a new fan-out to the audience and fills
 * *out. report_to (may be NULL) is the dest told once every message is
 * settled. -EEXIST when this event was already published or cancelled. */
int store_broadcast_open(struct store *st, const struct store_actor *who,
                         enum store_broadcast_kind kind, const struct store_audience *a,
                         const struct dest *report_to, int64_t now,
                         struct store_broadcast *out);

/* Inside the same transaction: queues r to the audience, records the
 * counts in b and audits the fan-out ("broadcast"). request_id ties the
 * outbox's log lines to the command. */
int store_broadcast_send(struct store *st, const struct store_actor *who,
                         const struct config *cfg, const struct store_audience *a,
                         struct store_broadcast *b, const struct reply *r, uint64_t request_id);

/* Inside a transaction: queues r to one person's identities under
 * `key_prefix` + "u<person>:<platform>:<user>"; *reached (may be NULL) says
 * whether any identity could be reached. */
int store_broadcast_person(struct store *st, const struct config *cfg, int64_t person_id,
                           const char *key_prefix, const struct reply *r,
                           uint64_t request_id, bool *reached);

/* A failed group, as the report names it. */
struct store_broadcast_group {
	struct dest dest;
	char label[64];          /* the subscription's name; "" when none or unsubscribed */
};

#define STORE_BROADCAST_FAILED_MAX 20

/* Delivery so far, counted per message (a message split in parts is
 * delivered when every part is, failed when any part is dead). */
struct store_broadcast_report {
	struct store_broadcast b;
	size_t delivered, pending, failed;
	size_t failed_people;
	size_t n_failed_groups;  /* named below, at most STORE_BROADCAST_FAILED_MAX */
	struct store_broadcast_group failed_groups[STORE_BROADCAST_FAILED_MAX];
};

/* The report of fan-out `id`; -ENOENT if none. */
int store_broadcast_report(struct store *st, int64_t id, struct store_broadcast_report *out);

/* The ids of the newest fan-outs of event `event_id`, newest first. */
int store_broadcast_of_event(struct store *st, int64_t event_id, int64_t *ids, size_t max,
                             size_t *n);

/* The first fan-out after `after_id` that asked to be reported, is not
 * yet, and has every message settled: its report into *out and its
 * report_to into *to. -ENOENT when there is none. */
int store_broadcast_next_settled(struct store *st, int64_t after_id,
                                 struct store_broadcast_report *out, struct dest *to);

/* Marks fan-out `id` reported at `now`. */
int store_broadcast_mark_reported(struct store *st, int64_t id, int64_t now);

#endif
