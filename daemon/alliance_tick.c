/* The alliances' timed work: delivery reports and annual campaigns; see
 * alliance_tick.h. */
#include "alliance_tick.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../handlers/alliance_msg.h"
#include "../handlers/text/alliance.h"
#include "../lib/clock.h"
#include "../lib/config.h"
#include "../lib/log.h"
#include "../lib/metrics.h"
#include "../store/store.h"
#include "../store/store_audit.h"
#include "../store/store_broadcast.h"
#include "../store/store_campaign.h"
#include "../store/store_outbox.h"

#define TICK_MS 2000
#define CAMPAIGN_EVERY_S 60
/* A campaign missed while cqod was down still goes this many days late. */
#define CAMPAIGN_LATE_DAYS 7
/* Per tick, so a backlog never holds the loop long. */
#define REPORTS_PER_TICK 20
#define CAMPAIGNS_PER_TICK 20
#define CST_OFFSET (8 * 3600)
#define SECONDS_PER_DAY 86400

struct alliance_tick {
	uv_timer_t timer;
	struct store *st;
	struct config *const *cfgp;
	int64_t campaigns_checked;   /* unix seconds of the last campaign check */
};

/* The daemon acting on its own, as audit rows name it. */
static const struct store_actor daemon_actor = {
	.platform = "cqod", .user_id = "", .chat_id = "", .command = TXT_BC_KIND_CAMPAIGN,
};

/* Sends one settled fan-out's report to whoever asked for it. */
static int send_report(struct store *st, const struct store_broadcast_report *rep,
                       const struct dest *to, int64_t now)
{
	char key[64];
	struct reply r;
	int rc = store_begin(st);

	if (rc)
		return rc;
	reply_init(&r);
	alliance_msg_report(&r, rep);
	snprintf(key, sizeof key, "report:%" PRId64, rep->b.id);
	rc = store_outbox_enqueue(st, to, &r, key, 0, 0);
	/* A report the platform cannot take is given up rather than retried
	 * at every tick. */
	if (rc == -EEXIST || rc == -EINVAL) {
		if (rc == -EINVAL)
			log_warn("alliances: the report of broadcast %" PRId64 " cannot be rendered",
			         rep->b.id);
		rc = 0;
	}
	if (rc == 0)
		rc = store_broadcast_mark_reported(st, rep->b.id, now);
	rc = store_end(st, rc);
	reply_free(&r);
	return rc;
}

static int reports(struct store *st, int64_t now, int *sent)
{
	struct store_broadcast_report *rep = malloc(sizeof *rep);
	int64_t after = 0;
	struct dest to;
	int rc = 0;

	if (!rep)
		return -ENOMEM;
	while (*sent < REPORTS_PER_TICK &&
	       (rc = store_broadcast_next_settled(st, after, rep, &to)) == 0) {
		after = rep->b.id;
		if ((rc = send_report(st, rep, &to, now)) < 0)
			break;
		(*sent)++;
	}
	free(rep);
	return rc == -ENOENT ? 0 : rc;
}

/* Fans one campaign out and records the year, in one transaction. */
static int send_campaign(struct store *st, const struct config *cfg,
                         const struct store_campaign *c, int year, int64_t now)
{
	struct store_audience aud = {c->alliance_id, 0};
	struct store_broadcast b;
	struct reply r;
	int rc = store_begin(st);

	if (rc)
		return rc;
	reply_init(&r);
	alliance_msg_campaign(&r, c);
	rc = store_broadcast_open(st, &daemon_actor, BROADCAST_CAMPAIGN, &aud, NULL, now, &b);
	if (rc == 0)
		rc = store_broadcast_send(st, &daemon_actor, cfg, &aud, &b, &r, 0);
	if (rc == 0)
		rc = store_campaign_mark_sent(st, c->id, year);
	rc = store_end(st, rc);
	if (rc == 0)
		log_info("alliances: campaign %" PRId64 " sent to %zu groups and %zu people", c->id,
		         b.groups, b.people);
	reply_free(&r);
	return rc;
}

static int campaigns(struct store *st, const struct config *cfg, int64_t now, int *sent)
{
	struct store_campaign *c = malloc(sizeof *c);
	int64_t minute = ((now + CST_OFFSET) % SECONDS_PER_DAY) / 60, after = 0;
	char today[11];
	int rc = 0;

	if (!c)
		return -ENOMEM;
	clock_cst_date(now, today);
	while (minute >= cfg->remind_send_at && *sent < CAMPAIGNS_PER_TICK &&
	       (rc = store_campaign_next_due(st, today, CAMPAIGN_LATE_DAYS, after, c)) == 0) {
		after = c->id;
		if ((rc = send_campaign(st, cfg, c, clock_cst_year(now), now)) < 0)
			break;
		(*sent)++;
	}
	free(c);
	return rc == -ENOENT ? 0 : rc;
}

int alliance_tick_run(struct store *st, const struct config *cfg, int64_t now,
                      int *n_reports, int *n_campaigns)
{
	int r = 0, c = 0;
	int rc = reports(st, now, &r);

	if (rc == 0)
		rc = campaigns(st, cfg, now, &c);
	if (n_reports)
		*n_reports = r;
	if (n_campaigns)
		*n_campaigns = c;
	return rc;
}

static void on_tick(uv_timer_t *timer)
{
	struct alliance_tick *t = timer->data;
	int64_t now = clock_now();
	int sent = 0, rc = reports(t->st, now, &sent);

	if (rc == 0 && now - t->campaigns_checked >= CAMPAIGN_EVERY_S) {
		t->campaigns_checked = now;
		rc = campaigns(t->st, *t->cfgp, now, &sent);
	}
	if (rc < 0)
		log_warn("alliances: timed work failed (%s); trying again", strerror(-rc));
	metrics_add("cqod_alliance_ticks_total", "", 1);
}

void alliance_tick_now(struct alliance_tick *t)
{
	uv_timer_start(&t->timer, on_tick, 0, TICK_MS);
}

int alliance_tick_start(uv_loop_t *loop, struct store *st, struct config *const *cfgp,
                        struct alliance_tick **out)
{
	struct alliance_tick *t = calloc(1, sizeof *t);

	if (!t)
		return -ENOMEM;
	t->st = st;
	t->cfgp = cfgp;
	metrics_describe("cqod_alliance_ticks_total", "counter",
	                 "Rounds of the alliances' timed work (delivery reports, campaigns).");
	uv_timer_init(loop, &t->timer);
	t->timer.data = t;
	uv_timer_start(&t->timer, on_tick, TICK_MS, TICK_MS);
	uv_unref((uv_handle_t *)&t->timer);
	*out = t;
	return 0;
}

static void on_closed(uv_handle_t *h)
{
	free(h->data);
}

void alliance_tick_close(struct alliance_tick *t)
{
	if (t)
		uv_close((uv_handle_t *)&t->timer, on_closed);
}
