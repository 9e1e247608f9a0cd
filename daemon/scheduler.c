/* The daily reminder sweep on the event loop; see scheduler.h. */
#include "scheduler.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/calendar.h"
#include "../lib/clock.h"
#include "../lib/config.h"
#include "../lib/log.h"
#include "../lib/metrics.h"
#include "../lib/remind.h"
#include "remind_sweep.h"
#include "../store/store.h"
#include "../store/store_remind.h"
#include "../store/store_workdays.h"

#define CALENDAR_FILE "cn-workcalendar.csv"
/* The longest sleep: a changed clock or calendar is noticed within it. */
#define MAX_SLEEP_S 3600
/* After a failed sweep step, the next attempt. */
#define RETRY_S 600
#define SECONDS_PER_DAY 86400
#define CST_OFFSET (8 * 3600)
/* Test hook: holds the collecting read on its worker this many
 * milliseconds, standing in for a large registry's. */
#define COLLECT_DELAY_ENV "CQOD_TEST_SWEEP_COLLECT_DELAY_MS"

struct scheduler {
	uv_timer_t timer;
	struct store *st;
	struct config *const *cfgp;
	struct calendar cal;
	struct remind_sweep *sweep;   /* the sweep in progress, or NULL */
	bool collecting;              /* its collect runs on a worker, which owns it */
	bool closed;                  /* the timer closed meanwhile: the worker's end frees */
	int64_t sweep_day;
	uint64_t sweep_started_ns;
	uint64_t sweep_busy_ns;       /* spent in the sweep's own steps */
	uint64_t collect_ns;          /* its collect on the worker */
};

/* Loads the data directory's calendar file into the table (a missing file
 * is not an error: the table may come from cqoctl), then reads the table. */
static void load_calendar(struct scheduler *s)
{
	const struct config *cfg = *s->cfgp;
	struct store_workdays_load res;
	char path[4096], until[11];

	snprintf(path, sizeof path, "%s/%s", cfg->data_dir, CALENDAR_FILE);
	int rc = store_begin(s->st);
	if (rc == 0)
		rc = store_workdays_load_csv(s->st, path, &res);
	rc = store_end(s->st, rc);
	if (rc == 0)
		log_info("calendar: %d days from %s (%d new or changed)", res.rows, path, res.changed);
	else if (rc == -EINVAL)
		log_warn("calendar: %s:%u: not a date,kind[,name] line; file not loaded", path,
		         res.bad_line);
	else if (rc == -ENOENT)
		log_info("calendar: %s: %s; using the calendar already in the database", path,
		         strerror(-rc));
	else
		log_warn("calendar: %s: %s; using the calendar already in the database", path,
		         strerror(-rc));
	struct calendar fresh = {0};
	if (store_workdays_read(s->st, &fresh) < 0) {
		log_warn("calendar: cannot read the calendar table; keeping the one loaded before");
	} else {
		calendar_free(&s->cal);
		s->cal = fresh;
	}
	int64_t last = calendar_covered_until(&s->cal);
	if (last < 0) {
		log_warn("calendar: no holidays loaded; reminders go on Monday to Friday");
		return;
	}
	remind_day_str(last, until);
	log_info("calendar: covers working days until %s", until);
}

/* Seconds from `now` to the next time a sweep may be due. */
static int64_t seconds_to_next(const struct scheduler *s, int64_t now, unsigned send_at)
{
	int64_t today = clock_cst_day(now);
	int64_t minute = ((now + CST_OFFSET) % SECONDS_PER_DAY) / 60;
	int64_t day = calendar_is_workday(&s->cal, today) && minute < send_at
	                      ? today : calendar_next_workday(&s->cal, today);
	int64_t wait = remind_day_start(day) + (int64_t)send_at * 60 - now;

	return wait < 1 ? 1 : wait > MAX_SLEEP_S ? MAX_SLEEP_S : wait;
}

static void on_timer(uv_timer_t *t);

static void arm(struct scheduler *s, int64_t seconds)
{
	uv_timer_start(&s->timer, on_timer, (uint64_t)seconds * 1000, 0);
}

/*
 * Collecting off the loop.
 *
 * What a sweep sends is decided from what is due in its window: index
 * ranges over the whole registry (every term ending, filing, sanction and
 * event in the window), and for the persons due their mutes, chat
 * identities and enterprise names: tens of milliseconds at a million
 * records, more after days of downtime. That read runs on libuv's thread
 * pool, over a read-only connection of its own in one read transaction (as
 * the heavy reads of webhook.c do), into the sweep, which nothing on the
 * loop touches until the work is done: no step runs, a SIGHUP's calendar
 * goes to the scheduler's copy, and a close waits for the worker to hand
 * it back. The steps then run on the loop as before. Nothing changes for
 * exactly once: the items are a snapshot taken a moment before the steps,
 * as they were when the loop read them, and each step's ledger check
 * inside its write transaction decides what is sent. A chat identity
 * bound or a category muted while the sweep runs counts from the next
 * day's sweep, as one bound after its page always did.
 */
struct collect {
	uv_work_t work;
	struct scheduler *s;
	struct remind_sweep *sweep;
	char *database;               /* owned copy: a SIGHUP may replace the config */
	uint64_t took_ns;
	int rc;
};

static void scheduler_free(struct scheduler *s)
{
	remind_sweep_free(s->sweep);
	calendar_free(&s->cal);
	free(s);
}

static int collect_read(void *arg, struct store *ro)
{
	struct collect *c = arg;
	const char *delay = getenv(COLLECT_DELAY_ENV);

	if (delay)
		uv_sleep((unsigned)strtoul(delay, NULL, 10));
	return remind_sweep_collect(c->sweep, ro);
}

static void collect_work(uv_work_t *w)
{
	struct collect *c = w->data;
	uint64_t t0 = clock_mono_ns();

	c->rc = store_read_snapshot(c->database, collect_read, c);
	c->took_ns = clock_mono_ns() - t0;
}

static void collect_done(uv_work_t *w, int status)
{
	struct collect *c = w->data;
	struct scheduler *s = c->s;
	int rc = status < 0 ? status : c->rc;
	char day[11];

	s->collect_ns = c->took_ns;
	free(c->database);
	free(c);
	s->collecting = false;
	if (s->closed) {
		scheduler_free(s);
		return;
	}
	if (rc < 0) {
		remind_day_str(s->sweep_day, day);
		log_warn("reminders: sweep of %s cannot start: %s; retrying in %d s", day,
		         strerror(-rc), RETRY_S);
		remind_sweep_free(s->sweep);
		s->sweep = NULL;
		arm(s, RETRY_S);
		return;
	}
	uv_timer_start(&s->timer, on_timer, 0, 0);
}

/* Hands s->sweep to a worker to collect; 0, or a negative error (then
 * nothing was started). */
static int collect_start(struct scheduler *s, const char *database)
{
	struct collect *c = calloc(1, sizeof *c);

	if (!c)
		return -ENOMEM;
	c->s = s;
	c->sweep = s->sweep;
	c->database = strdup(database);
	c->work.data = c;
	int rc = c->database ? uv_queue_work(s->timer.loop, &c->work, collect_work, collect_done)
	                     : -ENOMEM;
	if (rc < 0) {
		free(c->database);
		free(c);
		return rc;
	}
	s->collecting = true;
	return 0;
}

/* Begins today's sweep, its collect started on a worker (whose end runs
 * the steps); false when there is nothing to do now. */
static bool begin_sweep(struct scheduler *s, int64_t now, int64_t today, int64_t last)
{
	const struct config *cfg = *s->cfgp;
	struct remind_sweep_opts o = {.today = today, .now = now, .cal = &s->cal, .cfg = cfg};
	char day[11], from[11];
	int rc;

	if (!remind_window(&s->cal, today, last, cfg->remind_catch_up_days, &o.from, &o.to)) {
		store_remind_set_last_sweep(s->st, today, now);
		return false;
	}
	remind_day_str(today, day);
	remind_day_str(o.from, from);
	if (o.from < today)
		log_info("reminders: catching up once on milestones since %s", from);
	s->sweep_started_ns = clock_mono_ns();
	rc = remind_sweep_new(s->st, &o, &s->sweep);
	if (rc == 0 && (rc = collect_start(s, cfg->database)) < 0) {
		remind_sweep_free(s->sweep);
		s->sweep = NULL;
	}
	s->sweep_busy_ns = clock_mono_ns() - s->sweep_started_ns;
	if (rc < 0) {
		log_warn("reminders: sweep of %s cannot start: %s; retrying later", day, strerror(-rc));
		return false;
	}
	s->sweep_day = today;
	return true;
}

/* Whether a sweep is due now (a working day, send_at passed, not swept). */
static void plan(struct scheduler *s)
{
	const struct config *cfg = *s->cfgp;
	int64_t now = clock_now(), today = clock_cst_day(now), last;
	int64_t minute = ((now + CST_OFFSET) % SECONDS_PER_DAY) / 60;

	if (store_remind_last_sweep(s->st, &last) < 0) {
		arm(s, RETRY_S);
		return;
	}
	if (calendar_is_workday(&s->cal, today) && minute >= cfg->remind_send_at && last < today &&
	    begin_sweep(s, now, today, last))
		return;
	int64_t wait = seconds_to_next(s, now, cfg->remind_send_at);
	log_debug("reminders: no sweep due; next check in %lld s", (long long)wait);
	arm(s, wait);
}

static void finish_sweep(struct scheduler *s)
{
	struct remind_sweep_stats st;
	char day[11];

	remind_sweep_stats(s->sweep, &st);
	remind_day_str(s->sweep_day, day);
	/* Its own work on the loop, its collect on the worker, and the time
	 * until it ended: meanwhile the loop serves requests and the outbox. */
	log_info("reminders: swept %s: %zu reminders in %zu messages (%zu clerks' digests, "
	         "%zu for persons without a chat identity) in %.1f ms on the loop (collected "
	         "off it in %.1f ms; %.1f ms until done)",
	         day, st.items, st.messages, st.digests, st.unbound, s->sweep_busy_ns / 1e6,
	         s->collect_ns / 1e6, metrics_since(s->sweep_started_ns) * 1000);
	metrics_add("cqod_reminder_sweeps_total", "", 1);
	metrics_add("cqod_reminders_total", "kind=\"person\"", st.items);
	metrics_add("cqod_reminder_messages_total", "", st.messages);
	metrics_add("cqod_reminders_total", "kind=\"digest\"", st.digests);
	metrics_add("cqod_reminders_total", "kind=\"unbound\"", st.unbound);
	metrics_add("cqod_reminder_sweep_busy_microseconds_total", "", s->sweep_busy_ns / 1000);
	remind_sweep_free(s->sweep);
	s->sweep = NULL;
}

static void scheduler_metrics_init(void)
{
	metrics_describe("cqod_reminder_sweeps_total", "counter", "Daily reminder sweeps completed.");
	metrics_describe("cqod_reminders_total", "counter",
	                 "Reminder milestones claimed by sweeps, by kind (person, digest line, "
	                 "person without a chat identity).");
	metrics_describe("cqod_reminder_messages_total", "counter",
	                 "Reminder messages enqueued (a person's milestones of a day are one).");
	metrics_describe("cqod_reminder_sweep_busy_microseconds_total", "counter",
	                 "Time the sweeps spent on the loop.");
}

static void on_timer(uv_timer_t *t)
{
	struct scheduler *s = t->data;
	bool done = false;

	if (!s->sweep) {
		plan(s);
		return;
	}
	uint64_t t0 = clock_mono_ns();
	int rc = remind_sweep_step(s->sweep, &done);
	s->sweep_busy_ns += clock_mono_ns() - t0;
	if (rc < 0) {
		log_warn("reminders: sweep step failed (%s); retrying in %d s", strerror(-rc),
		         RETRY_S);
		remind_sweep_free(s->sweep);
		s->sweep = NULL;
		arm(s, RETRY_S);
		return;
	}
	if (!done) {
		/* The next step on the next loop iteration: requests go first. */
		uv_timer_start(&s->timer, on_timer, 0, 0);
		return;
	}
	finish_sweep(s);
	plan(s);
}

int scheduler_start(uv_loop_t *loop, struct store *st, struct config *const *cfgp,
                    struct scheduler **out)
{
	struct scheduler *s = calloc(1, sizeof *s);

	*out = NULL;
	if (!s)
		return -ENOMEM;
	s->st = st;
	s->cfgp = cfgp;
	scheduler_metrics_init();
	uv_timer_init(loop, &s->timer);
	s->timer.data = s;
	load_calendar(s);
	uv_timer_start(&s->timer, on_timer, 0, 0);
	*out = s;
	return 0;
}

void scheduler_reload(struct scheduler *s)
{
	load_calendar(s);
	scheduler_replan(s);
}

void scheduler_replan(struct scheduler *s)
{
	if (!s->sweep)
		uv_timer_start(&s->timer, on_timer, 0, 0);
}

static void on_closed(uv_handle_t *h)
{
	struct scheduler *s = h->data;

	if (s->collecting)
		s->closed = true;
	else
		scheduler_free(s);
}

void scheduler_close(struct scheduler *s)
{
	if (!s)
		return;
	uv_timer_stop(&s->timer);
	uv_close((uv_handle_t *)&s->timer, on_closed);
}
