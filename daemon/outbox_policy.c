/* The outbox's rules; see outbox_policy.h. */
#include "outbox_policy.h"

#include <string.h>

#include "../lib/config.h"
#include "transports.h"

unsigned outbox_spacing_ms(unsigned unit_ms, unsigned rate)
{
	return rate ? (unit_ms + rate - 1) / rate : 0;
}

unsigned outbox_interval_ms(const struct config *cfg, const struct dest *d)
{
	const struct transport *t = transport_find(d->platform);

	if (t && t->pace_ms)
		return t->pace_ms(cfg, d);
	return outbox_spacing_ms(60000, cfg->outbox_robot_per_minute);
}

unsigned outbox_app_interval_ms(const struct config *cfg, const struct dest *d)
{
	const struct transport *t = transport_find(d->platform);

	return t && t->app_pace_ms ? t->app_pace_ms(cfg, d) : 0;
}

int64_t outbox_backoff_s(int attempts, uint32_t jitter)
{
	int64_t base = OUTBOX_BACKOFF_MAX_S;
	int64_t half;

	if (attempts < 1)
		attempts = 1;
	if (attempts < 10 && ((int64_t)1 << attempts) < base)
		base = (int64_t)1 << attempts;
	/* "Equal jitter": never less than half, so a failing platform is not
	 * hit again at once, yet rows that failed together spread out. */
	half = base / 2;
	base = half + (int64_t)(jitter % (uint32_t)(base - half + 1));
	return base < 1 ? 1 : base;
}

enum store_outbox_fate outbox_fate(const struct send_result *res, int attempts,
                                   int64_t created_at, int64_t now, int64_t max_age_s,
                                   uint32_t jitter, int64_t *not_before)
{
	switch (res->outcome) {
	case SEND_OK:
		return OUTBOX_SENT;
	case SEND_RATE_LIMITED:
		*not_before = now + (res->retry_after_s > 0 ? res->retry_after_s : 1);
		return OUTBOX_WAIT;
	case SEND_TRANSIENT:
		*not_before = now + outbox_backoff_s(attempts + 1, jitter);
		return *not_before - created_at > max_age_s ? OUTBOX_DEAD : OUTBOX_RETRY;
	case SEND_PERMANENT:
		break;
	}
	return OUTBOX_DEAD;
}

uint64_t outbox_pace_wait(const struct outbox_pace *p, uint64_t now_ms)
{
	return p->ready_ms > now_ms ? p->ready_ms - now_ms : 0;
}

void outbox_pace_take(struct outbox_pace *p, uint64_t now_ms, unsigned interval_ms)
{
	/* A late send earns no credit: the next one still waits a whole
	 * interval after it. */
	p->ready_ms = now_ms + interval_ms;
}

uint64_t outbox_pace_try(struct outbox_pace *p, uint64_t now_ms, unsigned interval_ms)
{
	uint64_t wait = outbox_pace_wait(p, now_ms);

	if (!wait)
		outbox_pace_take(p, now_ms, interval_ms);
	return wait;
}

uint64_t outbox_pace_try_both(struct outbox_pace *d, unsigned d_ms, struct outbox_pace *app,
                              unsigned app_ms, uint64_t now_ms)
{
	uint64_t wait, app_wait;

	if (!app)
		return outbox_pace_try(d, now_ms, d_ms);
	wait = outbox_pace_wait(d, now_ms);
	app_wait = outbox_pace_wait(app, now_ms);
	if (wait || app_wait)
		return wait > app_wait ? wait : app_wait;
	outbox_pace_take(d, now_ms, d_ms);
	outbox_pace_take(app, now_ms, app_ms);
	return 0;
}

void outbox_pace_hold(struct outbox_pace *p, uint64_t now_ms, uint64_t wait_ms)
{
	if (p->ready_ms < now_ms + wait_ms)
		p->ready_ms = now_ms + wait_ms;
}

void outbox_pace_restore(struct outbox_pace *p, uint64_t now_ms, int64_t now_s, int64_t last_s,
                         unsigned interval_ms)
{
	/* The attempt started somewhere within second last_s, so at the latest
	 * at last_s + 1; "now" is at least now_s. */
	int64_t wait_ms = last_s > 0 && interval_ms ? (last_s + 1 - now_s) * 1000 + (int64_t)interval_ms
	                                            : 0;

	p->ready_ms = wait_ms > 0 ? now_ms + (uint64_t)wait_ms : now_ms;
}
