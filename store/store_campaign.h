/*
 * Annual campaigns: broadcasts an admin sets once per alliance and kind
 * (质量月 from 09-01, 首席质量官日 on its day), sent every year on that day
 * (alliance_campaigns). sent_year records the last year one went out, in
 * the transaction that queued it, so a day is never sent twice.
 */
#ifndef CQOD_STORE_CAMPAIGN_H
#define CQOD_STORE_CAMPAIGN_H

#include <stddef.h>
#include <stdint.h>

struct store;
struct store_actor;

struct store_campaign {
	int64_t id;
	int64_t alliance_id;
	char alliance_name[128];
	char kind[24];           /* 质量月, 首席质量官日 */
	char month_day[6];       /* "09-01" */
	char body[2048];
	int sent_year;           /* 0: never sent */
};

/* Sets (creates or replaces) the alliance's campaign of `kind` (own
 * transaction, audited as "campaign"). -EINVAL for a kind or day the
 * schema refuses. */
int store_campaign_set(struct store *st, const struct store_actor *who, int64_t alliance_id,
                       const char *kind, const char *month_day, const char *body, int64_t now);

/* Deletes it; -ENOENT if there is none. */
int store_campaign_delete(struct store *st, const struct store_actor *who, int64_t alliance_id,
                          const char *kind);

/* The alliance's campaigns, by day. */
int store_campaign_list(struct store *st, int64_t alliance_id, struct store_campaign *out,
                        size_t max, size_t *n);

/* The first campaign after `after_id` due on `today` (YYYY-MM-DD): its day
 * this year lies in the `late_days` days up to today and it was not sent
 * this year. -ENOENT when there is none. */
int store_campaign_next_due(struct store *st, const char *today, int late_days,
                            int64_t after_id, struct store_campaign *out);

/* Inside a transaction: records that campaign `id` went out in `year`. */
int store_campaign_mark_sent(struct store *st, int64_t id, int year);

#endif
