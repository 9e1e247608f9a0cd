/*
 * The fast path of an answer: its rows were written claimed (inflight) in
 * the message's transaction; after the COMMIT they are sent here, part by
 * part, each after the previous one is done, so a long answer arrives in
 * order. Each outcome is settled with the outbox (daemon/outbox.h). A part
 * that fails ends the fast path: it goes to the outbox's rules (a retry
 * later, a wait for the platform's rate limit, or dead), and the parts
 * after it follow it (due with it, or dead with it: the rest would read out
 * of context). Nothing here is lost when the process dies: unsettled rows
 * are delivered by the outbox after the restart. Every request, the retry
 * after a refused access token too, takes the destination's rate token
 * shared with the outbox (outbox_fast_pace_init).
 */
#include "webhook.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "../lib/clock.h"
#include "../lib/log.h"
#include "outbox.h"

struct outgoing {
	struct sender *sender;
	struct outbox *outbox;
	struct dest dest;
	struct outbox_fast_pace fast;   /* the destination's rate token, shared */
	struct send_pace pace;          /* over `fast`; unused when !paced */
	bool paced;
	struct rendered parts;
	int64_t *row_ids;     /* owned; by part, 0 where the part has no row */
	size_t next;
	uint64_t request_id;
};

static void outgoing_free(struct outgoing *o)
{
	rendered_free(&o->parts);
	free(o->row_ids);
	free(o);
}

static void settle(struct outgoing *o, size_t part, enum store_outbox_fate fate,
                   int64_t not_before, const char *why)
{
	if (o->row_ids[part])
		outbox_settle_claimed(o->outbox, o->row_ids[part], fate, not_before, why);
}

/* Part `failed` (from 0) did not go: it and the rest go by the outbox. */
static void hand_over(struct outgoing *o, size_t failed, enum store_outbox_fate fate,
                      int64_t not_before, const char *why)
{
	settle(o, failed, fate, not_before, why);
	for (size_t i = failed + 1; i < o->parts.n; i++)
		settle(o, i, fate == OUTBOX_DEAD ? OUTBOX_DEAD : OUTBOX_WAIT, not_before,
		       "an earlier part of this answer was not delivered");
	if (fate == OUTBOX_DEAD)
		log_warn("req %llu: %s:%s: reply part %zu of %zu given up: %s",
		         (unsigned long long)o->request_id, o->dest.platform, o->dest.instance,
		         failed + 1, o->parts.n, why);
	else
		log_info("req %llu: %s:%s: reply part %zu of %zu queued in the outbox: %s",
		         (unsigned long long)o->request_id, o->dest.platform, o->dest.instance,
		         failed + 1, o->parts.n, why);
}

static void send_next(struct outgoing *o);

static void on_sent(void *arg, const struct send_result *res)
{
	struct outgoing *o = arg;
	size_t part = o->next - 1;
	int64_t not_before = 0;

	if (res->outcome == SEND_OK) {
		settle(o, part, OUTBOX_SENT, 0, NULL);
		send_next(o);
		return;
	}
	enum store_outbox_fate fate = outbox_fate_of(o->outbox, res, &not_before);
	hand_over(o, part, fate, not_before, res->detail);
	outgoing_free(o);
}

static void send_next(struct outgoing *o)
{
	while (o->next < o->parts.n && !o->row_ids[o->next])
		o->next++;
	if (o->next == o->parts.n) {
		log_debug("req %llu: %s:%s: reply delivered in %zu part(s)",
		          (unsigned long long)o->request_id, o->dest.platform, o->dest.instance,
		          o->parts.n);
		outgoing_free(o);
		return;
	}
	size_t part = o->next++;
	int rc = sender_send_paced(o->sender, &o->dest, o->parts.bodies[part],
	                           o->paced ? &o->pace : NULL, on_sent, o);
	if (rc == 0)
		return;
	/* Refused outright (no such instance, unusable destination) stays
	 * refused; anything else (memory, a shutdown) may pass later. */
	char why[96];
	snprintf(why, sizeof why, "not sent: %s", strerror(-rc));
	hand_over(o, part, rc == -EINVAL || rc == -ENOENT ? OUTBOX_DEAD : OUTBOX_WAIT, clock_now(),
	          why);
	outgoing_free(o);
}

void webhook_deliver(struct webhook_msg *wm)
{
	struct app *app = wm->app;
	struct outgoing *o;

	if (wm->parts.n == 0)
		return;
	o = calloc(1, sizeof *o);
	if (!o) {
		/* The rows stay claimed: delivered after the next start. */
		log_warn("req %llu: %s: out of memory; the answer waits for the next start",
		         (unsigned long long)wm->msg->request_id, wm->source);
		return;
	}
	*o = (struct outgoing){.sender = app->sender, .outbox = app->outbox, .dest = wm->dest,
	                       .parts = wm->parts, .row_ids = wm->row_ids,
	                       .request_id = wm->msg->request_id};
	wm->parts = (struct rendered){0};
	wm->row_ids = NULL;
	o->paced = outbox_fast_pace_init(o->outbox, &o->dest, &o->fast, &o->pace) == 0;
	send_next(o);
}

void webhook_delivered(struct webhook_msg *wm)
{
	for (size_t i = 0; i < wm->parts.n; i++) {
		if (wm->row_ids[i])
			outbox_settle_claimed(wm->app->outbox, wm->row_ids[i], OUTBOX_SENT, 0, NULL);
	}
}
