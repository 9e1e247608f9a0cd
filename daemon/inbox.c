/* Inbound dedupe with group commit; see inbox.h. */
#include "inbox.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "log.h"
#include "metrics.h"
#include "store.h"

#define PRUNE_INTERVAL_MS (10 * 60 * 1000)

struct pending {
	struct pending *next;
	inbox_done_fn done;
	void *arg;
	int status;
	char *platform;
	char *msg_id;
};

struct inbox {
	uv_check_t check;     /* commits at the end of the loop iteration */
	uv_idle_t idle;       /* keeps poll from blocking while work is queued */
	uv_timer_t prune;
	struct store *st;
	unsigned batch_max;
	unsigned dedupe_hours;
	struct pending *head, **tail;
	unsigned n_pending;
	int handles_open;
	bool closing;
};

static void pending_free(struct pending *p)
{
	free(p->platform);
	free(p->msg_id);
	free(p);
}

/* Takes up to batch_max queued messages, records them in one transaction and
 * then reports to each submitter. Callbacks run after the commit, and may
 * submit again: those land in the next batch. */
static void inbox_flush(struct inbox *ib)
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
		return;

	int64_t now = clock_now();
	uint64_t t0 = clock_mono_ns();
	int rc = store_begin(ib->st);
	for (struct pending *p = batch; p && rc == 0; p = p->next) {
		p->status = store_inbound_record(ib->st, p->platform, p->msg_id, now);
		if (p->status != 0 && p->status != -EEXIST)
			rc = p->status;
	}
	if (rc == 0)
		rc = store_commit(ib->st);
	else
		store_rollback(ib->st);
	if (rc != 0)
		log_error("inbox: group commit of %u messages failed: %s", n, strerror(-rc));
	metrics_observe("cqod_inbox_commit_seconds", "", metrics_since(t0));
	metrics_add("cqod_inbox_commits_total", "", 1);
	metrics_add("cqod_inbox_messages_total", "", n);

	while (batch) {
		struct pending *p = batch;
		batch = p->next;
		p->done(p->arg, rc != 0 ? rc : p->status);
		pending_free(p);
	}
}

static void on_check(uv_check_t *h)
{
	struct inbox *ib = h->data;

	inbox_flush(ib);
	if (!ib->head)
		uv_idle_stop(&ib->idle);
}

static void on_idle(uv_idle_t *h)
{
	(void)h;
}

static void on_prune(uv_timer_t *t)
{
	struct inbox *ib = t->data;
	int deleted = 0;
	int64_t before = clock_now() - (int64_t)ib->dedupe_hours * 3600;

	if (store_inbound_prune(ib->st, before, &deleted) == 0 && deleted > 0)
		log_debug("inbox: pruned %d dedupe records", deleted);
}

int inbox_open(uv_loop_t *loop, struct store *st, unsigned batch_max, unsigned dedupe_hours,
               struct inbox **out)
{
	struct inbox *ib = calloc(1, sizeof *ib);
	if (!ib)
		return -ENOMEM;
	ib->st = st;
	ib->tail = &ib->head;
	inbox_set_limits(ib, batch_max, dedupe_hours);
	uv_check_init(loop, &ib->check);
	uv_idle_init(loop, &ib->idle);
	uv_timer_init(loop, &ib->prune);
	ib->check.data = ib->idle.data = ib->prune.data = ib;
	ib->handles_open = 3;
	uv_check_start(&ib->check, on_check);
	uv_timer_start(&ib->prune, on_prune, 0, PRUNE_INTERVAL_MS);
	/* The check handle must not keep the loop alive on its own. */
	uv_unref((uv_handle_t *)&ib->check);
	uv_unref((uv_handle_t *)&ib->prune);
	*out = ib;
	return 0;
}

void inbox_set_limits(struct inbox *ib, unsigned batch_max, unsigned dedupe_hours)
{
	ib->batch_max = batch_max ? batch_max : 1;
	ib->dedupe_hours = dedupe_hours;
}

int inbox_submit(struct inbox *ib, const char *platform, const char *msg_id,
                 inbox_done_fn done, void *arg)
{
	if (ib->closing)
		return -ESHUTDOWN;
	struct pending *p = calloc(1, sizeof *p);
	if (!p)
		return -ENOMEM;
	p->platform = strdup(platform);
	p->msg_id = strdup(msg_id);
	if (!p->platform || !p->msg_id) {
		pending_free(p);
		return -ENOMEM;
	}
	p->done = done;
	p->arg = arg;
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
	while (ib->head)
		inbox_flush(ib);
	ib->closing = true;
	uv_close((uv_handle_t *)&ib->check, on_handle_closed);
	uv_close((uv_handle_t *)&ib->idle, on_handle_closed);
	uv_close((uv_handle_t *)&ib->prune, on_handle_closed);
}
