/* Dead-letter notices; see outbox_dead_notice.h. */
#include "outbox_dead_notice.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "../lib/platform.h"
#include "../lib/reply.h"
#include "../handlers/text/outbox.h"
#include "../lib/config.h"
#include "../lib/log.h"
#include "../store/store.h"
#include "../store/store_outbox.h"

static int tell(const struct config *cfg, struct store *st, int64_t recent, int64_t total,
                int64_t now)
{
	char key[64];
	struct dest d;
	struct reply r;
	int rc;

	if (dest_parse(cfg->outbox_admin_dest, &d) < 0)
		return -EINVAL;
	snprintf(key, sizeof key, OUTBOX_DEAD_NOTICE_PREFIX "%" PRId64, now);
	reply_init(&r);
	rc = reply_set_title(&r, TXT_OUTBOX_NOTICE_TITLE);
	if (rc == 0)
		rc = reply_add_field(&r, TXT_OUTBOX_NOTICE_NEW, TXT_QUEUE_COUNT, (long long)recent);
	if (rc == 0)
		rc = reply_add_field(&r, TXT_OUTBOX_NOTICE_TOTAL, TXT_QUEUE_COUNT, (long long)total);
	if (rc == 0)
		rc = reply_add_line(&r, TXT_QUEUE_DEAD_HINT);
	if (rc == 0)
		rc = store_begin(st);
	if (rc == 0) {
		rc = store_outbox_enqueue(st, &d, &r, key, now, 0);
		rc = store_end(st, rc);
	}
	reply_free(&r);
	return rc;
}

int64_t outbox_dead_notice_check(struct outbox_dead_notice *n, struct store *st,
                            const struct config *cfg, int64_t now)
{
	int64_t since_last, total, from_now, unused;
	int rc;

	if (!n->loaded && cfg->outbox_admin_dest) {
		if (store_outbox_last_keyed(st, OUTBOX_DEAD_NOTICE_PREFIX, &n->last_at) < 0)
			return now + OUTBOX_DEAD_NOTICE_EVERY_S;
	}
	n->loaded = true;
	if (store_outbox_dead_counts(st, n->last_at, OUTBOX_DEAD_NOTICE_PREFIX, &since_last, &total) < 0 ||
	    store_outbox_dead_counts(st, now, OUTBOX_DEAD_NOTICE_PREFIX, &from_now, &unused) < 0)
		return now + OUTBOX_DEAD_NOTICE_EVERY_S;
	/* Rows of this very second belong to the next notice. */
	if (since_last == from_now)
		return from_now ? now + 1 : 0;
	if (now < n->last_at + OUTBOX_DEAD_NOTICE_EVERY_S)
		return n->last_at + OUTBOX_DEAD_NOTICE_EVERY_S;
	if (cfg->outbox_admin_dest) {
		rc = tell(cfg, st, since_last - from_now, total, now);
		if (rc < 0) {
			log_warn("outbox: cannot queue the notice about %" PRId64
			         " messages given up: %s", since_last - from_now, strerror(-rc));
			/* Not told: the same rows again in a second when the write
			 * lock was another's, else in a minute (a full disk). */
			return now + (rc == -EBUSY ? 1 : OUTBOX_DEAD_NOTICE_RETRY_S);
		}
	} else {
		log_warn("outbox: %" PRId64 " messages given up since the last report, %" PRId64
		         " in all (cqoctl outbox --state dead); set [outbox] admin_dest to tell"
		         " the administrators in a chat", since_last - from_now, total);
	}
	n->last_at = now;
	return from_now ? now + OUTBOX_DEAD_NOTICE_EVERY_S : 0;
}
