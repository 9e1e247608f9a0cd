/* The outbox dispatcher; see outbox.h. */
#include "outbox.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "../lib/platform.h"
#include "../lib/clock.h"
#include "../lib/config.h"
#include "../lib/log.h"
#include "../lib/metrics.h"
#include "outbox_console.h"
#include "outbox_dests.h"
#include "outbox_dead_notice.h"
#include "outbox_file.h"
#include "outbox_policy.h"
#include "../store/store.h"
#include "../store/store_card.h"
#include "../store/store_outbox.h"

/* How often rows written by another process are looked for. */
#define POLL_MS 1000
/* After a failed pass (the database busy, say), the next try. */
#define RETRY_PASS_MS 1000
/* The longest the timer sleeps: rows are due by the wall clock, which may
 * be set meanwhile. */
#define MAX_SLEEP_MS (3600 * 1000)
/* Pacing entries idle this long are forgotten (the database restores them
 * as well, see outbox_pace_restore). */
#define PRUNE_IDLE_MS 5000
#define PRUNE_EVERY_MS 60000
/* Rows an unpaced destination claims at once (see struct job). */
#define BATCH_MAX 256
/* The longest a batch's outcomes wait for their commit (see struct job). */
#define SETTLE_MS 50

static const char *const outcome_names[] = {"ok", "rate_limited", "transient", "permanent"};

/* What a file row's attempt leaves of its upload for the next one. */
enum media_op {
	MEDIA_UNCHANGED = 0,
	MEDIA_KEEP = 1,      /* uploaded: keep media_id */
	MEDIA_FORGET = 2,    /* refused as expired or unknown: upload again */
};

/* A completed send waiting for the next pass to be written; or (unclaim)
 * a row of a batch put back unsent, due at not_before at the earliest. */
struct settlement {
	int64_t id;
	bool unclaim;
	enum store_outbox_fate fate;
	int64_t not_before;
	char error[160];
	enum media_op media;
	char media_id[256];
	char message_id[128];    /* the platform's id of what was sent; "" none */
	char response_code[256]; /* and the code that updates its card once; "" none */
	bool drop;               /* a card's update refused for its code: deleted */
};

/*
 * One send in flight, and for an unpaced destination the rows claimed with
 * it (a batch): they go out one after another on the same slot, each once
 * the one before was sent, so a destination still has one request in flight
 * and its order holds. Outcomes are written in groups (group commit): by
 * the next pass, at the latest SETTLE_MS after one waits, so a burst costs
 * a commit per tick rather than one per message.
 *
 * While it runs, a batch is on ob->batches and each pass tops it up: once
 * fewer than BATCH_MAX / 2 of its rows are left to start, the pass claims
 * the destination's next due rows behind them (still unpaced, in order,
 * never past a file row). So a destination with rows keeps its job, and
 * the passes of a drain are the ticks' (not one more per batch's end, each
 * a commit whose pages, spread over every destination, cost more than its
 * rows). The rows of a top-up are appended only once its pass commits.
 *
 * The guarantee is the same as for one row: every row of the batch is
 * committed inflight before its first request, and its outcome is written
 * by a later pass. When the process dies meanwhile, the next start makes
 * them all pending again: the rows sent but not yet settled (those of the
 * last SETTLE_MS or so) are sent again, the rest for the first time;
 * nothing is lost.
 * When a row is not sent (a failure, a shutdown), the rows behind it are
 * put back unsent (unclaimed), due no earlier than it, so they keep their
 * place behind it.
 */
struct job {
	struct outbox *ob;
	struct outbox_dest *entry;     /* pacing of its destination; busy while we live */
	struct dest dest;
	int64_t id, created_at;
	int attempts;
	uint64_t request_id;
	/* A file row (outbox_file.h): its spec, shown name and upload. */
	bool is_file;
	char *spec;
	char name[256];
	char media_id[256];
	enum media_op media;
	struct store_outbox_batch_row *batch; /* owned; rows after this one, in order */
	size_t n_batch, next;          /* next: the first not yet started */
	size_t cap_batch;              /* rows batch has room for */
	size_t n_committed;            /* rows whose claim is committed (a top-up's
	                                * pass may still fail) */
	bool batched;                  /* unpaced: on ob->batches while it runs */
	struct job *run_prev, *run_next;
};

/* A destination's next row, as the pass reads them. */
struct head {
	int64_t id, not_before;
	char *destination;   /* owned */
};

struct heads {
	struct head *v;
	size_t n, cap;
	size_t limit;            /* candidates worth reading in this pass */
	const struct outbox_dests *dests;
	uint64_t now_ms, wake_ms; /* wake_ms: when a skipped destination may send */
	int64_t now, next_due;   /* next_due: not_before of the first head not yet due; 0 none */
	bool truncated;          /* stopped at limit with due heads left unread */
	bool failed;
};

struct outbox {
	uv_loop_t *loop;
	struct store *st;
	struct config *const *cfgp;
	struct sender *sender;         /* NULL: console mode */
	uv_timer_t timer;              /* the next pass */
	uv_timer_t poll;               /* PRAGMA data_version */
	int64_t data_version;
	struct outbox_dests dests;
	struct job *batches;           /* running batches, topped up by each pass */
	struct settlement *settle;     /* owned; waiting for the next pass */
	size_t n_settle, cap_settle;
	size_t in_flight;
	struct outbox_dead_notice notice;
	int64_t notice_at;             /* unix seconds to check for dead rows to tell; 0 none */
	uint64_t next_prune_ms;
	uint32_t rng;
	int open_handles;
	int lock_fd;                   /* flock()ed: this process delivers; -1 none */
	bool passive;                  /* another process delivers: do nothing */
	bool stopping, closing;
	bool woken;                    /* kicked since the current pass began */
};

static void on_timer(uv_timer_t *t);

static uint32_t next_random(struct outbox *ob)
{
	/* xorshift32: jitter only needs to differ between rows. */
	uint32_t x = ob->rng;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	ob->rng = x;
	return x;
}

/* Runs a pass on the next loop iteration; many kicks make one pass. */
static void kick(struct outbox *ob)
{
	ob->woken = true;
	if (!ob->closing && !ob->passive)
		uv_timer_start(&ob->timer, on_timer, 0, 0);
}

/* A pass within SETTLE_MS, unless one is due sooner: the outcomes waiting
 * get their commit. */
static void settle_soon(struct outbox *ob)
{
	if (!ob->closing && !ob->passive &&
	    (!uv_is_active((uv_handle_t *)&ob->timer) || uv_timer_get_due_in(&ob->timer) > SETTLE_MS))
		uv_timer_start(&ob->timer, on_timer, SETTLE_MS, 0);
}

static void on_wake(void *arg)
{
	kick(arg);
}

static int push_settlement(struct outbox *ob, int64_t id, enum store_outbox_fate fate,
                           int64_t not_before, const char *error)
{
	if (ob->n_settle == ob->cap_settle) {
		size_t cap = ob->cap_settle ? ob->cap_settle * 2 : 32;
		struct settlement *v = realloc(ob->settle, cap * sizeof *v);

		if (!v)
			return -ENOMEM;
		ob->settle = v;
		ob->cap_settle = cap;
	}
	struct settlement *s = &ob->settle[ob->n_settle++];
	s->id = id;
	s->unclaim = false;
	s->fate = fate;
	s->not_before = not_before;
	snprintf(s->error, sizeof s->error, "%s", error ? error : "");
	s->media = MEDIA_UNCHANGED;
	s->media_id[0] = '\0';
	s->message_id[0] = '\0';
	s->response_code[0] = '\0';
	s->drop = false;
	return 0;
}

/* A plain send: its row only becomes sent (no media id to keep, no sent
 * card to record). */
static bool plain_sent(const struct settlement *s)
{
	return !s->unclaim && s->fate == OUTBOX_SENT && s->media == MEDIA_UNCHANGED &&
	       !s->message_id[0] && !s->drop;
}

/* Writes the queued settlements (inside the pass's transaction): the plain
 * sends in one statement (each touches its own row only), then the rest in
 * order, so rows put back behind a failed one follow its hold. */
static int flush_settlements(struct outbox *ob, int64_t now)
{
	size_t n_sent = 0;

	for (size_t i = 0; i < ob->n_settle; i++)
		n_sent += plain_sent(&ob->settle[i]);
	if (n_sent) {
		int64_t *ids = malloc(n_sent * sizeof *ids);
		size_t k = 0;
		int rc;

		if (!ids)
			return -ENOMEM;
		for (size_t i = 0; i < ob->n_settle; i++)
			if (plain_sent(&ob->settle[i]))
				ids[k++] = ob->settle[i].id;
		rc = store_outbox_settle_sent(ob->st, ids, k, now);
		free(ids);
		if (rc < 0)
			return rc;
	}
	for (size_t i = 0; i < ob->n_settle; i++) {
		const struct settlement *s = &ob->settle[i];

		if (plain_sent(s))
			continue;
		if (s->unclaim) {
			int rc = store_outbox_unclaim(ob->st, s->id, s->not_before, now);

			if (rc < 0 && rc != -ENOENT)
				return rc;
			continue;
		}
		/* Its code cannot become good again: no retry, no dead letter. */
		if (s->drop) {
			int rc = store_outbox_drop(ob->st, s->id);

			if (rc < 0 && rc != -ENOENT)
				return rc;
			continue;
		}
		int rc = s->media == MEDIA_UNCHANGED ? 0
		         : store_outbox_set_media(ob->st, s->id,
		                                  s->media == MEDIA_KEEP ? s->media_id : NULL, now);

		if (rc == 0 || rc == -ENOENT)
			rc = store_outbox_settle(ob->st, s->id, s->fate, s->not_before,
			                         s->fate == OUTBOX_SENT ? NULL : s->error, now);
		/* An event's card is kept to be shown anew as places change. */
		if (rc == 0 && s->message_id[0])
			rc = s->response_code[0]
			             ? store_card_sent_code(ob->st, s->id, s->message_id,
			                                    s->response_code, now)
			             : store_card_sent(ob->st, s->id, s->message_id, now);

		/* Gone: an operator dropped it while it was on the wire. */
		if (rc < 0 && rc != -ENOENT)
			return rc;
		if (s->fate == OUTBOX_DEAD && !ob->notice_at)
			ob->notice_at = now;
	}
	return 0;
}

enum store_outbox_fate outbox_fate_of(struct outbox *ob, const struct send_result *res,
                                      int64_t *not_before)
{
	const struct config *cfg = *ob->cfgp;
	int64_t now = clock_now();

	*not_before = 0;
	return outbox_fate(res, 0, now, now, (int64_t)cfg->outbox_max_age_hours * 3600,
	                   next_random(ob), not_before);
}

static struct outbox_dest *entry_for(struct outbox *ob, const char *destination,
                                     unsigned interval_ms, uint64_t now_ms, int64_t now);

/* The pacing of the app d goes through, shared by all its destinations,
 * keyed "<platform>|<instance>" (no destination's text has so few fields);
 * NULL when it has no app-wide limit, or without memory for it (then only
 * the destination's pace holds). Looked up at each take, as entries are
 * pruned when idle; it starts with its token there. */
static struct outbox_pace *app_pace(struct outbox *ob, const struct dest *d, unsigned *ms)
{
	char key[sizeof d->platform + sizeof d->instance + 1];
	struct outbox_dest *e;
	bool created;

	*ms = outbox_app_interval_ms(*ob->cfgp, d);
	if (!*ms)
		return NULL;
	snprintf(key, sizeof key, "%s|%s", d->platform, d->instance);
	e = outbox_dests_get(&ob->dests, key, &created);
	return e ? &e->pace : NULL;
}

/* A request to d takes its destination's token at `interval` and its
 * app's, both or neither (outbox_pace_try_both). */
static uint64_t take_both(struct outbox *ob, const struct dest *d, struct outbox_pace *p,
                          unsigned interval, uint64_t now_ms)
{
	unsigned app_ms;
	struct outbox_pace *app = app_pace(ob, d, &app_ms);

	return outbox_pace_try_both(p, interval, app, app_ms, now_ms);
}

/* The destination's entry is looked up at each take, not kept: entries
 * are pruned when idle. Without memory for one, the request goes unpaced
 * rather than never. */
static uint64_t fast_take(void *arg, uint64_t now_ms)
{
	struct outbox_fast_pace *fp = arg;
	struct outbox *ob = fp->ob;
	unsigned interval = outbox_interval_ms(*ob->cfgp, &fp->dest);
	struct outbox_dest *e = entry_for(ob, fp->key, interval, now_ms, clock_now());

	return e ? take_both(ob, &fp->dest, &e->pace, interval, now_ms) : 0;
}

int outbox_fast_pace_init(struct outbox *ob, const struct dest *d, struct outbox_fast_pace *fp,
                          struct send_pace *pace)
{
	fp->ob = ob;
	fp->dest = *d;
	if (dest_format(d, fp->key, sizeof fp->key) < 0)
		return -EINVAL;
	*pace = (struct send_pace){.take = fast_take, .arg = fp};
	return 0;
}

void outbox_settle_claimed(struct outbox *ob, int64_t id, enum store_outbox_fate fate,
                           int64_t not_before, const char *why)
{
	if (push_settlement(ob, id, fate, not_before, why) < 0) {
		/* It stays inflight and is sent again at the next start. */
		log_error("outbox %" PRId64 ": out of memory recording its outcome", id);
		return;
	}
	if (fate == OUTBOX_DEAD && !ob->notice_at)
		ob->notice_at = clock_now();
	kick(ob);
}

void outbox_drop_claimed(struct outbox *ob, int64_t id)
{
	if (push_settlement(ob, id, OUTBOX_SENT, 0, NULL) < 0) {
		/* It stays inflight and is sent at the next start: shown twice. */
		log_error("outbox %" PRId64 ": out of memory dropping it", id);
		return;
	}
	ob->settle[ob->n_settle - 1].drop = true;
	kick(ob);
}

void outbox_release_claimed(struct outbox *ob, int64_t id)
{
	int64_t now = clock_now();

	if (push_settlement(ob, id, OUTBOX_WAIT, now, NULL) < 0) {
		log_error("outbox %" PRId64 ": out of memory; it is sent at the next start", id);
		return;
	}
	ob->settle[ob->n_settle - 1].unclaim = true;
	kick(ob);
}

static void on_sent(void *arg, const struct send_result *res);
static uint64_t job_take(void *arg, uint64_t now_ms);
static void job_done(struct outbox *ob, struct job *job, const struct send_result *res);

/* Starts the batch's next row on job's slot. */
static void batch_next(struct outbox *ob, struct job *job)
{
	struct store_outbox_batch_row *r = &job->batch[job->next++];
	struct send_pace pace = {.take = job_take, .arg = job};
	struct send_result res = {0};
	int rc;

	job->id = r->id;
	job->created_at = r->created_at;
	job->attempts = r->attempts;
	job->request_id = r->request_id;
	rc = sender_send_paced(ob->sender, &job->dest, r->payload, &pace, on_sent, job);
	free(r->payload);
	r->payload = NULL;
	if (rc == 0)
		return;
	/* As in start_job: refused before any request. */
	res.outcome = rc == -EINVAL || rc == -ENOENT ? SEND_PERMANENT : SEND_TRANSIENT;
	snprintf(res.detail, sizeof res.detail, "not sent: %s", strerror(-rc));
	job_done(ob, job, &res);
}

/* Puts the batch's rows not started back, due at not_before or later. */
static void batch_unclaim(struct outbox *ob, struct job *job, int64_t not_before)
{
	for (; job->next < job->n_batch; job->next++) {
		struct store_outbox_batch_row *r = &job->batch[job->next];

		if (push_settlement(ob, r->id, OUTBOX_WAIT, not_before, NULL) == 0)
			ob->settle[ob->n_settle - 1].unclaim = true;
		else
			log_error("outbox %" PRId64 ": out of memory putting it back; it is sent at"
			          " the next start", r->id);
		free(r->payload);
	}
	free(job->batch);
	job->batch = NULL;
	job->n_batch = job->cap_batch = job->n_committed = 0;
}

static void batch_link(struct outbox *ob, struct job *job)
{
	job->run_prev = NULL;
	job->run_next = ob->batches;
	if (ob->batches)
		ob->batches->run_prev = job;
	ob->batches = job;
}

static void batch_unlink(struct outbox *ob, struct job *job)
{
	if (job->run_prev)
		job->run_prev->run_next = job->run_next;
	else
		ob->batches = job->run_next;
	if (job->run_next)
		job->run_next->run_prev = job->run_prev;
	job->run_prev = job->run_next = NULL;
}

static void job_done(struct outbox *ob, struct job *job, const struct send_result *res)
{
	const struct config *cfg = *ob->cfgp;
	uint64_t now_ms = uv_now(ob->loop);
	int64_t now = clock_now(), not_before = 0;
	enum store_outbox_fate fate;
	char labels[96];

	fate = outbox_fate(res, job->attempts, job->created_at, now,
	                   (int64_t)cfg->outbox_max_age_hours * 3600, next_random(ob), &not_before);
	/* Cancelled by a shutdown: not the row's fault, no attempt counted. */
	if (ob->stopping && res->outcome == SEND_TRANSIENT) {
		fate = OUTBOX_WAIT;
		not_before = now;
	}
	/* New rows for this destination wait too, behind the held ones. */
	if (fate == OUTBOX_WAIT || fate == OUTBOX_RETRY)
		outbox_pace_hold(&job->entry->pace, now_ms, (uint64_t)(not_before - now) * 1000);
	/* Shown at the console is not sent to a platform. */
	if (ob->sender) {
		snprintf(labels, sizeof labels, "platform=\"%s\",outcome=\"%s\"",
		         job->dest.platform, outcome_names[res->outcome]);
		metrics_add("cqod_outbox_sends_total", labels, 1);
	}
	/* "req N: " ties a queued reply to the request that made it. */
	char req[32] = "";
	if (job->request_id)
		snprintf(req, sizeof req, "req %" PRIu64 ": ", job->request_id);
	if (fate == OUTBOX_SENT) {
		log_debug("%soutbox %" PRId64 " sent to %s/%s", req, job->id, job->dest.platform,
		          job->dest.instance);
	} else if (res->drop) {
		metrics_add("cqod_card_updates_dropped_total", "", 1);
		log_warn("%soutbox %" PRId64 " to %s/%s dropped: %s", req, job->id,
		         job->dest.platform, job->dest.instance, res->detail);
	} else if (fate == OUTBOX_DEAD) {
		metrics_add("cqod_outbox_dead_total", "", 1);
		log_warn("%soutbox %" PRId64 " to %s/%s given up after %d attempt(s): %s", req,
		         job->id, job->dest.platform, job->dest.instance, job->attempts + 1,
		         res->detail);
	} else {
		metrics_add("cqod_outbox_retries_total", "", 1);
		log_info("%soutbox %" PRId64 " to %s/%s: %s, again in %" PRId64 " s", req, job->id,
		         job->dest.platform, job->dest.instance, res->detail, not_before - now);
	}
	if (push_settlement(ob, job->id, fate, not_before, res->detail) < 0) {
		/* It stays inflight and is sent again at the next start. */
		log_error("outbox %" PRId64 ": out of memory recording its outcome", job->id);
	} else {
		struct settlement *st = &ob->settle[ob->n_settle - 1];

		if (job->media != MEDIA_UNCHANGED) {
			st->media = job->media;
			snprintf(st->media_id, sizeof st->media_id, "%s", job->media_id);
		}
		if (fate == OUTBOX_SENT) {
			snprintf(st->message_id, sizeof st->message_id, "%s", res->message_id);
			snprintf(st->response_code, sizeof st->response_code, "%s",
			         res->response_code);
		}
		st->drop = res->drop;
	}
	/* A file sent or given up is not needed again; the console's is what
	 * the operator was given. */
	if (job->is_file && ob->sender && (fate == OUTBOX_SENT || fate == OUTBOX_DEAD))
		outbox_file_remove(ob->loop, (*ob->cfgp)->database, job->id, job->spec);
	/* Its outcome waits for the next pass. */
	if (fate == OUTBOX_SENT && job->next < job->n_batch && !ob->stopping) {
		settle_soon(ob);
		batch_next(ob, job);
		return;
	}
	batch_unclaim(ob, job, fate == OUTBOX_WAIT || fate == OUTBOX_RETRY ? not_before : now);
	if (job->batched)
		batch_unlink(ob, job);
	job->entry->pace.busy = false;
	ob->in_flight--;
	free(job->spec);
	free(job);
	kick(ob);
}

static void on_sent(void *arg, const struct send_result *res)
{
	struct job *job = arg;

	job_done(job->ob, job, res);
}

/* The job's destination's rate token and its app's, for the sender
 * (send_pace), at the rates of the current configuration. */
static uint64_t job_take(void *arg, uint64_t now_ms)
{
	struct job *job = arg;

	return take_both(job->ob, &job->dest, &job->entry->pace,
	                 outbox_interval_ms(*job->ob->cfgp, &job->dest), now_ms);
}

/* A file job holds the outbox (open_handles) while it may call back: a
 * build on the thread pool can outlive outbox_close. */
static void outbox_release(struct outbox *ob)
{
	if (--ob->open_handles == 0) {
		if (ob->lock_fd >= 0)
			close(ob->lock_fd);
		outbox_dests_free(&ob->dests);
		free(ob->settle);
		free(ob);
	}
}

static void file_end(struct job *job, const struct send_result *res)
{
	struct outbox *ob = job->ob;

	job_done(ob, job, res);
	outbox_release(ob);
}

/* Ends a file job that failed before any answer came. */
static void file_fail(struct job *job, enum send_outcome outcome, const char *what, int rc)
{
	struct send_result res = {.outcome = outcome};

	snprintf(res.detail, sizeof res.detail, "%s: %s", what, strerror(-rc));
	file_end(job, &res);
}

static void on_file_sent(void *arg, const struct send_result *res)
{
	struct job *job = arg;

	if (res->media_invalid) {
		job->media = MEDIA_FORGET;
		job->media_id[0] = '\0';
	}
	file_end(job, res);
}

/* The file message naming job->media_id, at the destination's pace. */
static void send_file_message(struct job *job)
{
	struct send_pace pace = {.take = job_take, .arg = job};
	char *body;
	int rc = sender_file_body(&job->dest, job->media_id, job->name, &body);

	if (rc == 0) {
		rc = sender_send_paced(job->ob->sender, &job->dest, body, &pace, on_file_sent, job);
		free(body);
	}
	if (rc < 0)
		file_fail(job, rc == -ENOMEM || rc == -ESHUTDOWN ? SEND_TRANSIENT : SEND_PERMANENT,
		          "file message not sent", rc);
}

static void on_uploaded(void *arg, const struct send_result *res)
{
	struct job *job = arg;

	if (res->outcome != SEND_OK) {
		file_end(job, res);
		return;
	}
	/* Kept with the row whatever the message's fate: a retry sends the
	 * message again without a second upload. */
	snprintf(job->media_id, sizeof job->media_id, "%s", res->media_id);
	job->media = MEDIA_KEEP;
	if (job->ob->stopping)
		file_fail(job, SEND_TRANSIENT, "file message not sent", -ESHUTDOWN);
	else
		send_file_message(job);
}

static void on_built(void *arg, int rc, const char *path, char *data, size_t len)
{
	struct job *job = arg;
	struct outbox *ob = job->ob;
	struct send_result res = {0};

	if (ob->closing) {
		/* Left inflight: sent again at the next start. */
		free(data);
		free(job->spec);
		free(job);
		outbox_release(ob);
		return;
	}
	if (rc < 0) {
		file_fail(job, SEND_TRANSIENT, "cannot build the file", rc);
	} else if (!ob->sender) {
		char dest[STORE_OUTBOX_DEST_MAX];

		if (dest_format(&job->dest, dest, sizeof dest) < 0)
			snprintf(dest, sizeof dest, "%s", job->dest.target);
		outbox_console_print_file(stdout, dest, job->name, path);
		snprintf(res.detail, sizeof res.detail, "written at the console");
		file_end(job, &res);
	} else if (ob->stopping) {
		file_fail(job, SEND_TRANSIENT, "not uploaded", -ESHUTDOWN);
	} else {
		rc = sender_upload(ob->sender, &job->dest, job->name, data, len, on_uploaded, job);
		if (rc < 0)
			file_fail(job, rc == -ENOTSUP || rc == -EINVAL ? SEND_PERMANENT : SEND_TRANSIENT,
			          "not uploaded", rc);
	}
	free(data);
}

/* A file row: built (or found) off the loop, uploaded unless the row keeps
 * an upload, then its file message; at the console the file is written
 * and its path shown. */
static void start_file(struct outbox *ob, struct job *job, const char *spec)
{
	int rc;

	ob->open_handles++;
	if (!(job->spec = strdup(spec))) {
		file_fail(job, SEND_TRANSIENT, "file not started", -ENOMEM);
		return;
	}
	if (outbox_file_name(spec, job->name, sizeof job->name) < 0) {
		file_fail(job, SEND_PERMANENT, "bad file description", -EINVAL);
		return;
	}
	if (ob->sender && job->media_id[0]) {
		send_file_message(job);
		return;
	}
	rc = outbox_file_build(ob->loop, (*ob->cfgp)->database, job->id, spec, ob->sender != NULL,
	                       on_built, job);
	if (rc < 0)
		file_fail(job, SEND_TRANSIENT, "file not started", rc);
}

/* Hands a claimed row to the sender (or the console). */
static void start_job(struct outbox *ob, struct job *job, const char *destination,
                      const char *payload)
{
	struct send_pace pace = {.take = job_take, .arg = job};
	struct send_result res = {0};
	int rc;

	ob->in_flight++;
	if (job->is_file) {
		start_file(ob, job, payload);
		return;
	}
	if (!ob->sender) {
		outbox_console_print(stdout, destination, payload);
		snprintf(res.detail, sizeof res.detail, "shown at the console");
		job_done(ob, job, &res);
		return;
	}
	/* The claim found the token there and the destination busy keeps it
	 * there; the sender takes it for each request of the send (the retry
	 * after a refused access token too) when that request really starts,
	 * after this pass's commit and any token fetch. */
	rc = sender_send_paced(ob->sender, &job->dest, payload, &pace, on_sent, job);
	if (rc == 0)
		return;
	/* Refused before any request: an unknown instance or an unusable
	 * destination (an expired session webhook) never gets better. */
	res.outcome = rc == -EINVAL || rc == -ENOENT ? SEND_PERMANENT : SEND_TRANSIENT;
	snprintf(res.detail, sizeof res.detail, "not sent: %s", strerror(-rc));
	job_done(ob, job, &res);
}

static int on_head(void *arg, int64_t id, const char *destination, int64_t not_before)
{
	struct heads *h = arg;

	if (not_before > h->now) {
		/* Heads come in not_before order: the rest are later still. */
		h->next_due = not_before;
		return 1;
	}
	/* Destinations known to be busy or paced are passed over here, so a
	 * pass reads only as many candidates as it has room for. */
	const struct outbox_dest *e = outbox_dests_find(h->dests, destination);
	if (e) {
		uint64_t wait = outbox_pace_wait(&e->pace, h->now_ms);

		if (!e->pace.busy && wait && wait < h->wake_ms)
			h->wake_ms = wait;
		if (e->pace.busy || wait)
			return 0;
	}
	if (h->n >= h->limit) {
		h->truncated = true;
		return 1;
	}
	if (h->n == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 64;
		struct head *v = realloc(h->v, cap * sizeof *v);

		if (!v) {
			h->failed = true;
			return 1;
		}
		h->v = v;
		h->cap = cap;
	}
	h->v[h->n].destination = strdup(destination);
	if (!h->v[h->n].destination) {
		h->failed = true;
		return 1;
	}
	h->v[h->n].id = id;
	h->v[h->n++].not_before = not_before;
	return 0;
}

static void heads_free(struct heads *h)
{
	for (size_t i = 0; i < h->n; i++)
		free(h->v[i].destination);
	free(h->v);
}

/* A claimed row waiting for the commit before it is sent. */
struct claimed {
	struct job *job;
	char *payload;
	const char *destination;   /* the entry's key */
};

struct claims {
	struct claimed *v;
	size_t n;
};

static void claims_free(struct claims *c, bool started)
{
	for (size_t i = 0; i < c->n; i++) {
		if (!started) {
			struct job *job = c->v[i].job;

			job->entry->pace.busy = false;
			for (size_t j = 0; j < job->n_batch; j++)
				free(job->batch[j].payload);
			free(job->batch);
			free(job);
		}
		free(c->v[i].payload);
	}
	free(c->v);
}

/* The pacing entry of a destination, its rate restored from the database
 * when first seen. NULL on failure. */
static struct outbox_dest *entry_for(struct outbox *ob, const char *destination,
                                     unsigned interval_ms, uint64_t now_ms, int64_t now)
{
	bool created;
	struct outbox_dest *e = outbox_dests_get(&ob->dests, destination, &created);
	int64_t last = 0;

	if (e && created) {
		if (store_outbox_last_attempt(ob->st, destination, &last) < 0)
			last = now;
		outbox_pace_restore(&e->pace, now_ms, now, last, interval_ms);
	}
	return e;
}

/* Claims the rows due behind job's (its batch) when its destination is
 * unpaced: a paced one sends one row per interval anyway, and a row would
 * wait inflight for its turn. 0 or a negative errno. */
static int claim_batch(struct outbox *ob, struct job *job, const char *destination,
                       unsigned interval, int64_t now)
{
	struct store_outbox_batch_row rows[BATCH_MAX - 1];
	size_t n = 0;
	int rc;

	if (!ob->sender || job->is_file || interval || outbox_app_interval_ms(*ob->cfgp, &job->dest))
		return 0;
	job->batched = true;
	rc = store_outbox_claim_batch(ob->st, destination, now, BATCH_MAX - 1, rows, &n);
	if (rc < 0 || n == 0)
		return rc;
	job->batch = malloc(n * sizeof *job->batch);
	if (!job->batch) {
		for (size_t i = 0; i < n; i++)
			free(rows[i].payload);
		return -ENOMEM;
	}
	memcpy(job->batch, rows, n * sizeof *rows);
	job->n_batch = job->n_committed = job->cap_batch = n;
	return 0;
}

/* Tops up each running batch (see struct job) inside the pass's
 * transaction; top_up_end keeps or drops what it claimed. 0 or a negative
 * errno. */
static int top_up(struct outbox *ob, int64_t now)
{
	const struct config *cfg = *ob->cfgp;

	for (struct job *job = ob->batches; job; job = job->run_next) {
		size_t left = job->n_batch - job->next, n = 0;
		int rc;

		/* A SIGHUP may have given the destination a pace meanwhile. */
		if (left >= BATCH_MAX / 2 || outbox_interval_ms(cfg, &job->dest) ||
		    outbox_app_interval_ms(cfg, &job->dest))
			continue;
		/* The rows started are gone (their payloads freed): make room. */
		if (left && job->next)
			memmove(job->batch, job->batch + job->next, left * sizeof *job->batch);
		job->n_batch = job->n_committed = left;
		job->next = 0;
		if (job->cap_batch < BATCH_MAX - 1) {
			struct store_outbox_batch_row *v =
				realloc(job->batch, (BATCH_MAX - 1) * sizeof *v);

			if (!v)
				return -ENOMEM;
			job->batch = v;
			job->cap_batch = BATCH_MAX - 1;
		}
		rc = store_outbox_claim_batch(ob->st, job->entry->key, now, BATCH_MAX - 1 - left,
		                              job->batch + left, &n);
		if (rc < 0)
			return rc;
		job->n_batch = left + n;
	}
	return 0;
}

/* After the pass's COMMIT (committed) or ROLLBACK: the rows topped up are
 * kept, or dropped unsent (their claim was rolled back). */
static void top_up_end(struct outbox *ob, bool committed)
{
	for (struct job *job = ob->batches; job; job = job->run_next) {
		for (size_t i = job->n_committed; !committed && i < job->n_batch; i++)
			free(job->batch[i].payload);
		if (committed)
			job->n_committed = job->n_batch;
		else
			job->n_batch = job->n_committed;
	}
}

/* Claims what may be sent now; *wake_ms is lowered to when a paced
 * destination may send next. 0 or a negative errno (the pass is redone). */
static int claim_due(struct outbox *ob, const struct heads *h, uint64_t now_ms, int64_t now,
                     uint64_t *wake_ms, struct claims *out)
{
	const struct config *cfg = *ob->cfgp;
	size_t slots = cfg->max_in_flight > ob->in_flight ? cfg->max_in_flight - ob->in_flight : 0;
	int rc = 0;

	out->v = calloc(slots ? slots : 1, sizeof *out->v);
	if (!out->v)
		return -ENOMEM;
	for (size_t i = 0; i < h->n && out->n < slots; i++) {
		struct store_outbox_row row;
		struct dest d;
		bool usable = dest_parse(h->v[i].destination, &d) == 0;
		unsigned interval = usable && ob->sender ? outbox_interval_ms(cfg, &d) : 0;
		struct outbox_dest *e = entry_for(ob, h->v[i].destination, interval, now_ms, now);
		uint64_t wait;

		if (!e)
			return -ENOMEM;
		if (e->pace.busy)
			continue;
		wait = outbox_pace_wait(&e->pace, now_ms);
		if (wait) {
			if (wait < *wake_ms)
				*wake_ms = wait;
			continue;
		}
		rc = store_outbox_claim(ob->st, h->v[i].id, now, &row);
		if (rc == -ENOENT)
			continue;
		if (rc < 0)
			return rc;
		if (!usable) {
			/* Only a hand-edited row gets here: enqueue checks dests. */
			free(row.payload);
			rc = store_outbox_settle(ob->st, row.id, OUTBOX_DEAD, 0, "bad destination", now);
			if (rc < 0)
				return rc;
			ob->notice_at = ob->notice_at ? ob->notice_at : now;
			continue;
		}
		struct job *job = calloc(1, sizeof *job);
		if (!job) {
			free(row.payload);
			return -ENOMEM;
		}
		*job = (struct job){.ob = ob, .entry = e, .dest = d, .id = row.id,
		                    .created_at = row.created_at, .attempts = row.attempts,
		                    .request_id = row.request_id, .is_file = row.is_file};
		snprintf(job->media_id, sizeof job->media_id, "%s", row.media_id);
		e->pace.busy = true;
		out->v[out->n++] = (struct claimed){job, row.payload, e->key};
		rc = claim_batch(ob, job, h->v[i].destination, interval, now);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* Sets the timer for the next pass. */
static void arm(struct outbox *ob, uint64_t wake_ms)
{
	if (ob->closing)
		return;
	if (wake_ms > MAX_SLEEP_MS)
		wake_ms = MAX_SLEEP_MS;
	uv_timer_start(&ob->timer, on_timer, wake_ms, 0);
}

/* Settles, claims and commits in one transaction, then starts the sends.
 * Returns when to run again (ms from now). */
static uint64_t run_pass(struct outbox *ob)
{
	uint64_t now_ms = uv_now(ob->loop), wake_ms = UINT64_MAX;
	int64_t now = clock_now();
	size_t max = (*ob->cfgp)->max_in_flight;
	/* New destinations may turn out paced once restored: read some spare. */
	struct heads h = {.now = now, .now_ms = now_ms, .wake_ms = UINT64_MAX, .dests = &ob->dests,
	                  .limit = max > ob->in_flight ? 2 * (max - ob->in_flight) : 0};
	struct claims claims = {0};
	int rc = store_begin(ob->st);

	if (rc == 0)
		rc = flush_settlements(ob, now);
	if (rc == 0 && !ob->stopping)
		rc = top_up(ob, now);
	/* With every slot taken, the next completion runs the next pass. */
	if (rc == 0 && !ob->stopping && h.limit) {
		rc = store_outbox_heads(ob->st, on_head, &h);
		if (rc == 0 && h.failed)
			rc = -ENOMEM;
		if (rc == 0)
			rc = claim_due(ob, &h, now_ms, now, &wake_ms, &claims);
	}
	rc = store_end(ob->st, rc);
	top_up_end(ob, rc == 0);
	if (rc < 0) {
		claims_free(&claims, false);
		heads_free(&h);
		log_warn("outbox: pass failed (%s); trying again", strerror(-rc));
		return RETRY_PASS_MS;
	}
	ob->n_settle = 0;
	heads_free(&h);
	for (size_t i = 0; i < claims.n; i++) {
		/* Linked first: a send refused at once ends the job inside. */
		if (claims.v[i].job->batched)
			batch_link(ob, claims.v[i].job);
		start_job(ob, claims.v[i].job, claims.v[i].destination, claims.v[i].payload);
	}
	/* Candidates that turned out paced left room: read further now (they
	 * are known next time, so each pass gets further). */
	if (h.truncated && claims.n < h.limit / 2)
		wake_ms = 0;
	claims_free(&claims, true);
	if (h.wake_ms < wake_ms)
		wake_ms = h.wake_ms;
	if (h.next_due) {
		uint64_t ms = (uint64_t)(h.next_due - now) * 1000;
		if (ms < wake_ms)
			wake_ms = ms;
	}
	return wake_ms;
}

static void on_timer(uv_timer_t *t)
{
	struct outbox *ob = t->data;
	uint64_t wake_ms;
	int64_t now;

	ob->woken = false;
	wake_ms = run_pass(ob);
	now = clock_now();

	if (ob->notice_at && now >= ob->notice_at)
		ob->notice_at = outbox_dead_notice_check(&ob->notice, ob->st, *ob->cfgp, now);
	if (ob->notice_at) {
		uint64_t ms = ob->notice_at > now ? (uint64_t)(ob->notice_at - now) * 1000 : 0;
		if (ms < wake_ms)
			wake_ms = ms;
	}
	if (uv_now(ob->loop) >= ob->next_prune_ms) {
		outbox_dests_prune(&ob->dests, uv_now(ob->loop) - PRUNE_IDLE_MS);
		ob->next_prune_ms = uv_now(ob->loop) + PRUNE_EVERY_MS;
	}
	/* Sends completed or rows were queued (the notice) during this pass:
	 * the kick's timer start was overridden above, so pass again now. */
	if (ob->woken)
		wake_ms = 0;
	/* Outcomes of a batch that came during the pass. */
	if (ob->n_settle && wake_ms > SETTLE_MS)
		wake_ms = SETTLE_MS;
	arm(ob, wake_ms);
}

static void on_poll(uv_timer_t *t)
{
	struct outbox *ob = t->data;
	int64_t v;

	if (store_outbox_data_version(ob->st, &v) == 0 && v != ob->data_version) {
		ob->data_version = v;
		kick(ob);
	}
}

/* Gauges read at each scrape of /metrics. */
static double gauge_stat(struct outbox *ob, int which)
{
	struct store_outbox_stats s;
	int64_t now = clock_now();

	if (store_outbox_stats(ob->st, now, &s) < 0)
		return 0;
	switch (which) {
	case 0: return (double)(s.pending + s.inflight);
	case 1: return s.oldest_due ? (double)(now - s.oldest_due) : 0;
	default: return (double)s.dead;
	}
}

static double gauge_depth(void *arg)
{
	return gauge_stat(arg, 0);
}

static double gauge_oldest(void *arg)
{
	return gauge_stat(arg, 1);
}

static double gauge_dead(void *arg)
{
	return gauge_stat(arg, 2);
}

static void metrics_init(struct outbox *ob)
{
	metrics_describe("cqod_outbox_sends_total", "counter",
	                 "Outbox sends, by platform and outcome (ok, rate_limited, transient, "
	                 "permanent).");
	metrics_describe("cqod_outbox_retries_total", "counter",
	                 "Outbox rows put back for a later attempt (rate limits included).");
	metrics_describe("cqod_outbox_dead_total", "counter",
	                 "Outbox rows given up (permanent failure or too old).");
	metrics_describe("cqod_card_updates_dropped_total", "counter",
	                 "Card updates dropped: the platform refused the card's code (spent or "
	                 "expired).");
	metrics_gauge("cqod_outbox_depth", "Outbox rows waiting or in flight.", gauge_depth, ob);
	metrics_gauge("cqod_outbox_oldest_age_seconds",
	              "How long the oldest due outbox row has been waiting.", gauge_oldest, ob);
	metrics_gauge("cqod_outbox_dead", "Outbox rows given up, in the database.", gauge_dead, ob);
}

/* One deliverer per database: a daemon and a console (or a second daemon)
 * on the same file would each take the other's inflight rows for crashed
 * ones and send them again, and a console would "show" the daemon's
 * messages instead of sending them. The lock file lives next to the
 * database and is held, never removed, while the process runs. Returns the
 * locked fd, -1 when another process holds it or it cannot be used. */
static int take_lock(const char *database, bool *busy)
{
	char path[4096];
	int fd, n = snprintf(path, sizeof path, "%s-outbox.lock", database);

	*busy = false;
	if (n < 0 || (size_t)n >= sizeof path)
		return -1;
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		log_warn("outbox: %s: %s; not guarding against a second deliverer", path,
		         strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		*busy = errno == EWOULDBLOCK;
		if (!*busy)
			log_warn("outbox: %s: %s; not guarding against a second deliverer", path,
			         strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

int outbox_open(uv_loop_t *loop, struct store *st, struct config *const *cfgp,
                struct sender *sender, struct outbox **out)
{
	struct outbox *ob = calloc(1, sizeof *ob);
	int recovered = 0;
	int rc = 0;

	*out = NULL;
	if (!ob)
		return -ENOMEM;
	ob->lock_fd = take_lock((*cfgp)->database, &ob->passive);
	if (ob->passive)
		log_warn("outbox: another cqod process delivers the messages queued in %s; this one"
		         " leaves them to it%s", (*cfgp)->database,
		         sender ? "" : " (pushes are not shown here)");
	if (!ob->passive)
		rc = store_outbox_recover(st, clock_now(), &recovered);
	if (rc == 0)
		rc = store_outbox_data_version(st, &ob->data_version);
	if (rc < 0) {
		if (ob->lock_fd >= 0)
			close(ob->lock_fd);
		free(ob);
		return rc;
	}
	if (recovered)
		log_warn("outbox: %d message(s) were being sent when cqod stopped; sending them again",
		         recovered);
	ob->loop = loop;
	ob->st = st;
	ob->cfgp = cfgp;
	ob->sender = sender;
	ob->rng = (uint32_t)(uv_hrtime() ^ ((uint64_t)getpid() << 16)) | 1u;
	/* At start: dead rows nobody was told about yet (a crash, a restart). */
	ob->notice_at = clock_now();
	uv_timer_init(loop, &ob->timer);
	uv_timer_init(loop, &ob->poll);
	ob->timer.data = ob->poll.data = ob;
	ob->open_handles = 2;
	metrics_init(ob);
	if (!ob->passive) {
		uv_timer_start(&ob->poll, on_poll, POLL_MS, POLL_MS);
		/* Only the pass timer, closed at shutdown, keeps the loop. */
		uv_unref((uv_handle_t *)&ob->poll);
		store_outbox_set_wake(st, on_wake, ob);
		kick(ob);
	}
	*out = ob;
	return 0;
}

void outbox_stop(struct outbox *ob)
{
	ob->stopping = true;
}

size_t outbox_in_flight(const struct outbox *ob)
{
	return ob->in_flight;
}

static void on_closed(uv_handle_t *h)
{
	outbox_release(h->data);
}

void outbox_close(struct outbox *ob)
{
	if (ob->closing)
		return;
	ob->stopping = true;
	if (ob->n_settle) {
		int64_t now = clock_now();
		int rc = store_begin(ob->st);

		if (rc == 0)
			rc = flush_settlements(ob, now);
		rc = store_end(ob->st, rc);
		if (rc < 0) {
			log_warn("outbox: %zu outcome(s) not recorded; those messages are sent again"
			         " at the next start", ob->n_settle);
		}
		ob->n_settle = 0;
	}
	ob->closing = true;
	store_outbox_set_wake(ob->st, NULL, NULL);
	uv_close((uv_handle_t *)&ob->timer, on_closed);
	uv_close((uv_handle_t *)&ob->poll, on_closed);
}
