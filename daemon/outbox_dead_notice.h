/*
 * Telling the administrators about dead rows (messages given up): at most
 * once an hour, with counts, to [outbox] admin_dest through the outbox
 * itself; without admin_dest as a warning in the log. Each notice counts the
 * rows that went dead in [previous notice, this notice), so every dead row
 * is counted once. The time of the last notice is the newest row keyed
 * OUTBOX_DEAD_NOTICE_PREFIX, so a restart does not tell again within the hour;
 * those rows are left out of the counts, so a broken admin_dest does not
 * feed itself.
 */
#ifndef CQOD_OUTBOX_DEAD_NOTICE_H
#define CQOD_OUTBOX_DEAD_NOTICE_H

#include <stdbool.h>
#include <stdint.h>

struct config;
struct store;

#define OUTBOX_DEAD_NOTICE_PREFIX "outbox:dead:"
#define OUTBOX_DEAD_NOTICE_EVERY_S 3600
/* A notice that could not be queued for another reason than a busy write
 * lock waits this long before it is tried again. */
#define OUTBOX_DEAD_NOTICE_RETRY_S 60

struct outbox_dead_notice {
	int64_t last_at;   /* unix seconds of the last notice; 0 never */
	bool loaded;       /* last_at read from the store */
};

/* Tells about the rows that went dead since the last notice if there are
 * any and the hour has passed. Call outside a transaction. Returns when to
 * call again (unix seconds), or 0 when nothing is waiting to be told. */
int64_t outbox_dead_notice_check(struct outbox_dead_notice *n, struct store *st,
                            const struct config *cfg, int64_t now);

#endif
