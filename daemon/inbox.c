/* The inbound batch; see inbox.h. */
#include "inbox.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/clock.h"
#include "../lib/log.h"
#include "../lib/metrics.h"
#include "../store/store.h"
#include "webhook.h"

#define PRUNE_INTERVAL_MS (10 * 60 * 1000)
/* Retries of a batch while another process holds the write lock: from
 * BUSY_FIRST_MS, doubling up to BUSY_MAX_MS, which stays well under the
 * pause cqoctl leaves between its chunks (cqoctl/chunk.h). */
#define BUSY_FIRST_MS 5
#define BUSY_MAX_MS 20

struct pending {
	struct pending *next;
	struct inbox_job job;
	uint64_t deadline_ms;   /* loop time after which it is answered INBOX_RETRY */
	int result;
};

struct inbox {
	uv_loop_t *loop;
	uv_check_t check;     /* runs the batch at the end of the loop iteration */
	uv_idle_t idle;       /* keeps poll from blocking while work is queued */
	uv_timer_t busy;      /* the next try while the database is locked */
	uv_async_t released;  /* the checkpoint worker let writers go again */
	uv_timer_t prune;
	struct store *st;
	unsigned batch_max;
	unsigned dedupe_hours;
	struct pending *head, **tail;
	unsigned n_pending;
	unsigned busy_ms;     /* 0: not waiting for a lock */
	int handles_open;
	bool closing;
};

static void answer_all(struct pending *batch, bool retry)
{
	while (batch) {
		struct pending *p = batch;
		batch = p->next;
		p->job.done(p->job.arg, retry ? INBOX_RETRY : p->result);
		free(p);
	}
}

/* Puts batch back at the head of the queue, in order. */
static void requeue(struct inbox *ib, struct pending *batch, unsigned n)
{
	struct pending *last = batch;

	while (last->next)
		last = last->next;
	last->next = ib->head;
	if (!ib->head)
		ib->tail = &last->next;
	ib->head = batch;
	ib->n_pending += n;
}

/* Answers INBOX_RETRY to queued messages past their deadline. */
static void expire(struct inbox *ib)
{
	uint64_t now = uv_now(ib->loop);
	struct pending **pp = &ib->head, *gone = NULL, **gt = &gone;

	while (*pp) {
		struct pending *p = *pp;
		if (now < p->deadline_ms) {
			pp = &p->next;
			continue;
		}
		*pp = p->next;
		p->next = NULL;
		*gt = p;
		gt = &p->next;
		ib->n_pending--;
	}
	ib->tail = &ib->head;
	while (*ib->tail)
		ib->tail = &(*ib->tail)->next;
	if (gone) {
		log_warn("inbox: the database stayed locked; messages answered with a retry");
		metrics_add("cqod_inbox_busy_retries_total", "", 1);
	}
	answer_all(gone, true);
}

static void on_busy(uv_timer_t *t);

/* The database is locked by another process: try again soon, never wait. */
static void wait_for_lock(struct inbox *ib)
{
	ib->busy_ms = ib->busy_ms ? ib->busy_ms * 2 : BUSY_FIRST_MS;
	if (ib->busy_ms > BUSY_MAX_MS)
		ib->busy_ms = BUSY_MAX_MS;
	uv_timer_start(&ib->busy, on_busy, ib->busy_ms, 0);
}

/* Takes up to batch_max queued messages and runs them in one transaction,
 * then reports to each submitter. Callbacks run after the commit, and may
 * submit again: those land in the next batch. Returns false when the batch
 * could not start because the database is locked. */
static bool inbox_flush(struct inbox *ib)
{
	struct pending *batch = NULL, **bt = &batch;
	unsigned n = 0;

	while (ib->head && n < ib->batch_max) {
		struct pending *p = ib->head;
		ib->head = p->next;
		p->next = NULL;
		*bt = p;
		bt = &p->next;
		n++;
	}
	if (!ib->head)
		ib->tail = &ib->head;
	ib->n_pending -= n;
	if (!batch)
		return true;

	uint64_t t0 = clock_mono_ns();
	int rc = store_begin(ib->st);
	if (rc == -EBUSY) {
		requeue(ib, batch, n);
		return false;
	}
	bool lost = false;
	for (struct pending *p = batch; p && rc == 0; p = p->next) {
		p->result = p->job.run(p->job.arg, ib->st);
		/* A disk-full or I/O error may roll the whole transaction back:
		 * then nothing of the batch so far is kept. */
		if (!store_in_txn(ib->st)) {
			lost = true;
			break;
		}
	}
	/* A failed COMMIT leaves the transaction open: store_end closes it. */
	rc = store_end(ib->st, lost ? -ECANCELED : rc);
	if (rc != 0) {
		log_error("inbox: batch of %u message(s) not committed (%s); the platforms will"
		          " send them again", n, lost ? "transaction lost" : strerror(-rc));
		metrics_add("cqod_inbox_failed_batches_total", "", 1);
	}
	metrics_observe("cqod_inbox_commit_seconds", "", metrics_since(t0));
	metrics_add("cqod_inbox_commits_total", "", 1);
	metrics_add("cqod_inbox_messages_total", "", n);
	answer_all(batch, rc != 0);
	return true;
}

static void on_idle(uv_idle_t *h)
{
	(void)h;
}

/* Runs one batch (requests that arrive meanwhile join the next one, and
 * the loop stays responsive); when the database is locked, answers what
 * waited too long and sets the timer for the next try. */
static void run_batch(struct inbox *ib)
{
	if (!ib->head) {
		ib->busy_ms = 0;
		return;
	}
	if (inbox_flush(ib)) {
		ib->busy_ms = 0;
		if (ib->head)
			uv_idle_start(&ib->idle, on_idle);
		return;
	}
	expire(ib);
	if (ib->head)
		wait_for_lock(ib);
	else
		ib->busy_ms = 0;
}

static void on_check(uv_check_t *h)
{
	struct inbox *ib = h->data;

	/* While waiting for a lock, the timer runs the next try. */
	if (!ib->busy_ms)
		run_batch(ib);
	if (!ib->head || ib->busy_ms)
		uv_idle_stop(&ib->idle);
}

static void on_busy(uv_timer_t *t)
{
	run_batch(t->data);
}

/* The worker's RESTART checkpoint, which holds writers off while it copies
 * the WAL's last frames, is over: a batch it turned away runs now rather
 * than at the timer's next try. */
static void on_released(uv_async_t *h)
{
	struct inbox *ib = h->data;

	if (!ib->busy_ms)
		return;
	uv_timer_stop(&ib->busy);
	run_batch(ib);
}

/* On the checkpoint worker's thread. */
static void wake_on_release(void *arg)
{
	struct inbox *ib = arg;

	uv_async_send(&ib->released);
}

static int prune(struct store *st, void *arg)
{
	const struct inbox *ib = arg;
	int deleted = 0;
	/* A Feishu event stamped up to WEBHOOK_MAX_SKEW_S ahead of our clock is
	 * fresh for dedupe_hours after its stamp: its id is kept that long. */
	int64_t before = clock_now() - (int64_t)ib->dedupe_hours * 3600 - WEBHOOK_MAX_SKEW_S;
	int rc = store_inbound_prune(st, before, &deleted);

	if (rc == 0 && deleted > 0)
		log_debug("inbox: pruned %d dedupe records", deleted);
	return rc;
}

static void on_prune(uv_timer_t *t)
{
	struct inbox *ib = t->data;

	/* Busy or failed: the records wait for the next round. */
	if (store_txn(ib->st, prune, ib) == -EBUSY)
		log_debug("inbox: database busy; pruning later");
}

int inbox_open(uv_loop_t *loop, struct store *st, unsigned batch_max, unsigned dedupe_hours,
               struct inbox **out)
{
	struct inbox *ib = calloc(1, sizeof *ib);
	if (!ib)
		return -ENOMEM;
	ib->loop = loop;
	ib->st = st;
	ib->tail = &ib->head;
	inbox_set_limits(ib, batch_max, dedupe_hours);
	uv_check_init(loop, &ib->check);
	uv_idle_init(loop, &ib->idle);
	uv_timer_init(loop, &ib->busy);
	uv_timer_init(loop, &ib->prune);
	uv_async_init(loop, &ib->released, on_released);
	ib->check.data = ib->idle.data = ib->busy.data = ib->prune.data = ib->released.data = ib;
	ib->handles_open = 5;
	uv_check_start(&ib->check, on_check);
	uv_timer_start(&ib->prune, on_prune, 0, PRUNE_INTERVAL_MS);
	/* The check handle must not keep the loop alive on its own. */
	uv_unref((uv_handle_t *)&ib->check);
	uv_unref((uv_handle_t *)&ib->prune);
	uv_unref((uv_handle_t *)&ib->released);
	store_checkpoint_on_release(st, wake_on_release, ib);
	metrics_describe("cqod_inbox_busy_retries_total", "counter",
	                 "Times messages were answered with a retry because the database stayed"
	                 " locked.");
	metrics_describe("cqod_inbox_failed_batches_total", "counter",
	                 "Inbound batches whose transaction did not commit (their messages are"
	                 " answered with a retry).");
	*out = ib;
	return 0;
}

void inbox_set_limits(struct inbox *ib, unsigned batch_max, unsigned dedupe_hours)
{
	ib->batch_max = batch_max ? batch_max : 1;
	ib->dedupe_hours = dedupe_hours;
}

int inbox_submit(struct inbox *ib, const struct inbox_job *job)
{
	if (ib->closing)
		return -ESHUTDOWN;
	struct pending *p = calloc(1, sizeof *p);
	if (!p)
		return -ENOMEM;
	p->job = *job;
	/* The loop's cached time may be a whole iteration old. */
	uv_update_time(ib->loop);
	p->deadline_ms = uv_now(ib->loop) + INBOX_WAIT_MS;
	*ib->tail = p;
	ib->tail = &p->next;
	ib->n_pending++;
	uv_idle_start(&ib->idle, on_idle);
	return 0;
}

unsigned inbox_pending(const struct inbox *ib)
{
	return ib->n_pending;
}

static void on_handle_closed(uv_handle_t *h)
{
	struct inbox *ib = h->data;

	if (--ib->handles_open == 0)
		free(ib);
}

void inbox_close(struct inbox *ib)
{
	while (ib->head && inbox_flush(ib))
		;
	/* Locked at the very end: these are not recorded, so their retry after
	 * the restart runs them. */
	struct pending *rest = ib->head;
	ib->head = NULL;
	ib->tail = &ib->head;
	ib->n_pending = 0;
	answer_all(rest, true);
	ib->closing = true;
	store_checkpoint_on_release(ib->st, NULL, NULL);
	uv_close((uv_handle_t *)&ib->released, on_handle_closed);
	uv_close((uv_handle_t *)&ib->check, on_handle_closed);
	uv_close((uv_handle_t *)&ib->idle, on_handle_closed);
	uv_close((uv_handle_t *)&ib->busy, on_handle_closed);
	uv_close((uv_handle_t *)&ib->prune, on_handle_closed);
}
