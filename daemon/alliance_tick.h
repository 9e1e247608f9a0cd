/*
 * The alliances' own timed work, on the event loop:
 *  - delivery reports: once every message of a fan-out that asked for one
 *    (活动 发布/修改/取消, 通知 from a chat platform) is settled, its
 *    organizer gets the report (delivered, pending, failed, failed groups
 *    named) as a private message — checked every few seconds;
 *  - annual campaigns (联盟 年度): on their day, from [reminders] send_at
 *    (China Standard Time), fanned out to the alliance's groups and the
 *    members who take private notices; a daemon that was down on the day
 *    sends within a week after. Checked once a minute.
 * Campaigns keep their calendar date whatever the weekday, so they do not
 * ride on the working-day reminder sweep (scheduler.h).
 *
 * Each send is one transaction that also records it (broadcasts.reported_at,
 * alliance_campaigns.sent_year), so nothing goes out twice across restarts.
 */
#ifndef CQOD_ALLIANCE_TICK_H
#define CQOD_ALLIANCE_TICK_H

#include <stdint.h>
#include <uv.h>

struct store;
struct config;
struct alliance_tick;

/* Starts the timer (it does not keep the loop alive); the configuration is
 * read through *cfgp at each tick. *out is freed by alliance_tick_close. */
int alliance_tick_start(uv_loop_t *loop, struct store *st, struct config *const *cfgp,
                        struct alliance_tick **out);

/* Runs a round now (the clock moved), then every tick as before. */
void alliance_tick_now(struct alliance_tick *t);

/* Stops and frees once the timer is closed (the loop must run). */
void alliance_tick_close(struct alliance_tick *t);

/* One round of the work above at `now`, without the timer (tests and the
 * timer itself). *reports and *campaigns (may be NULL) count what was sent.
 * 0 or a negative store error. */
int alliance_tick_run(struct store *st, const struct config *cfg, int64_t now,
                      int *reports, int *campaigns);

#endif
