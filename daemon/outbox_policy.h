/*
 * The outbox's rules, free of I/O so they can be tested alone: how fast a
 * destination may be sent to, how long to wait after a failure, and what a
 * send's result does to its row.
 *
 * Rate limits are token buckets of one token per destination: every request
 * to the destination takes the token (the sender asks for it through
 * send_pace, messages/platform.h, before the first attempt and before the
 * retry after a refused access token alike), and it comes back `interval`
 * later. With a capacity of one, requests to a destination are spaced
 * evenly, so no window of the platform's length (a minute, a second) ever
 * holds more than its limit, whatever was queued and however often a token
 * was refused; a larger capacity would let a burst through at the start of
 * a window and the refill then break the limit within it.
 *
 * A platform that limits an app over all its destinations as well (Feishu)
 * has one more bucket per instance: a request takes both tokens or none.
 */
#ifndef CQOD_OUTBOX_POLICY_H
#define CQOD_OUTBOX_POLICY_H

#include <stdbool.h>
#include <stdint.h>

#include "../lib/platform.h"
#include "../store/store_outbox.h"

struct config;

/* Transient failures wait 2^attempts seconds (with jitter), at most this. */
#define OUTBOX_BACKOFF_MAX_S 900

/* Milliseconds between two sends to d under cfg's [outbox] rates, rounded
 * up (never faster); 0 when that rate is turned off. The platform's
 * transport row says which rates apply (transports.h). */
unsigned outbox_interval_ms(const struct config *cfg, const struct dest *d);

/* Milliseconds between two sends through d's app (its instance), to any of
 * its destinations; 0 when the platform has no app-wide limit or it is
 * turned off. */
unsigned outbox_app_interval_ms(const struct config *cfg, const struct dest *d);

/* unit_ms / rate rounded up, 0 when rate is 0: the spacing of `rate` sends
 * per unit_ms. */
unsigned outbox_spacing_ms(unsigned unit_ms, unsigned rate);

/* Seconds to wait before attempt number `attempts` + 1 after `attempts`
 * failures (from 1): between half and all of min(2^attempts,
 * OUTBOX_BACKOFF_MAX_S), picked by `jitter` (any random value), at least 1. */
int64_t outbox_backoff_s(int attempts, uint32_t jitter);

/* What a result does to a row that had failed `attempts` times before and
 * was queued at created_at: SENT; WAIT until the platform's window reopens
 * (rate limited: the attempt is not counted); RETRY after the backoff; DEAD
 * when permanent, or when the retry would come later than max_age_s after
 * created_at. *not_before is set for WAIT and RETRY. */
enum store_outbox_fate outbox_fate(const struct send_result *res, int attempts,
                                   int64_t created_at, int64_t now, int64_t max_age_s,
                                   uint32_t jitter, int64_t *not_before);

/* One destination's pacing. Times are loop milliseconds (uv_now). */
struct outbox_pace {
	uint64_t ready_ms;    /* the token is back at this time */
	bool busy;            /* a send is in flight: one at a time, in order */
};

/* Milliseconds until p may send at now_ms; 0 when it may now. */
uint64_t outbox_pace_wait(const struct outbox_pace *p, uint64_t now_ms);
/* A send starts at now_ms: the token comes back interval_ms later. */
void outbox_pace_take(struct outbox_pace *p, uint64_t now_ms, unsigned interval_ms);
/* A request would start at now_ms: when the token is back, takes it (as
 * outbox_pace_take) and returns 0; else returns outbox_pace_wait and takes
 * nothing. */
uint64_t outbox_pace_try(struct outbox_pace *p, uint64_t now_ms, unsigned interval_ms);
/* A request to a destination (bucket d, interval d_ms) through an app with
 * its own bucket (app, app_ms; NULL for none) would start at now_ms: when
 * both tokens are back, takes both and returns 0; else returns the longer
 * wait and takes neither, so neither bucket loses a token to a request
 * that does not go. */
uint64_t outbox_pace_try_both(struct outbox_pace *d, unsigned d_ms, struct outbox_pace *app,
                              unsigned app_ms, uint64_t now_ms);
/* The platform said to wait wait_ms: no send before now_ms + wait_ms. */
void outbox_pace_hold(struct outbox_pace *p, uint64_t now_ms, uint64_t wait_ms);
/* After a restart: the last attempt started during unix second last_s (0:
 * never), it is now now_s: the first send may go once a whole interval has
 * surely passed since then. */
void outbox_pace_restore(struct outbox_pace *p, uint64_t now_ms, int64_t now_s, int64_t last_s,
                         unsigned interval_ms);

#endif
