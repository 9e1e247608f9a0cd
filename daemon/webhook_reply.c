/*
 * Out-of-band answers: a reply rendered for the platform and handed to the
 * sender part by part. Parts go one at a time, each after the previous one is
 * done, so a long answer arrives in order; a part that fails ends the answer
 * (the rest would read out of context). The rendered bodies stay alive until
 * the last callback, whatever the sender does with them.
 *
 * A part that could not go now (network trouble, a 5xx, the platform's rate
 * limit) is not lost: it and the parts after it go to the outbox, keyed
 * "reply:<platform>:<instance>:<message id>", which retries them in order
 * (a DingTalk session webhook only until it expires).
 */
#include "webhook.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../messages/platform.h"
#include "app.h"
#include "clock.h"
#include "log.h"
#include "store_outbox.h"

struct outgoing {
	struct sender *sender;
	struct store *store;
	struct dest dest;
	struct rendered parts;
	size_t next;
	uint64_t request_id;
	char *queue_key;      /* owned; the outbox key of this reply, NULL when none */
};

static void outgoing_free(struct outgoing *o)
{
	rendered_free(&o->parts);
	free(o->queue_key);
	free(o);
}

/* Queues part `from` (from 0) and the rest in the outbox, due at not_before. */
static void queue_rest(struct outgoing *o, size_t from, int64_t not_before)
{
	int rc = o->queue_key ? store_outbox_enqueue_rendered(o->store, &o->dest, &o->parts, from,
	                                                      o->queue_key, not_before,
	                                                      o->request_id)
	                      : -ENOKEY;

	if (rc == 0 || rc == -EEXIST)
		log_info("req %llu: %s:%s: reply part %zu of %zu queued in the outbox",
		         (unsigned long long)o->request_id, o->dest.platform, o->dest.instance, from + 1,
		         o->parts.n);
	else
		log_warn("req %llu: %s:%s: reply part %zu of %zu lost: cannot queue it: %s",
		         (unsigned long long)o->request_id, o->dest.platform, o->dest.instance, from + 1,
		         o->parts.n, strerror(-rc));
}

static void send_next(struct outgoing *o);

static void on_sent(void *arg, const struct send_result *res)
{
	struct outgoing *o = arg;

	if (res->outcome != SEND_OK) {
		log_warn("req %llu: %s:%s: reply part %zu of %zu not delivered: %s (HTTP %d, code %ld)",
		         (unsigned long long)o->request_id, o->dest.platform, o->dest.instance, o->next,
		         o->parts.n, res->detail, res->http_status, res->platform_code);
		if (res->outcome == SEND_TRANSIENT || res->outcome == SEND_RATE_LIMITED)
			queue_rest(o, o->next - 1,
			           clock_now() + (res->outcome == SEND_RATE_LIMITED ? res->retry_after_s : 0));
		outgoing_free(o);
		return;
	}
	send_next(o);
}

static void send_next(struct outgoing *o)
{
	if (o->next < o->parts.n) {
		int rc = sender_send(o->sender, &o->dest, o->parts.bodies[o->next], on_sent, o);

		o->next++;
		if (rc == 0)
			return;
		log_warn("req %llu: %s:%s: reply part %zu not sent: %s",
		         (unsigned long long)o->request_id, o->dest.platform, o->dest.instance, o->next,
		         strerror(-rc));
		/* Refused outright (no such instance, unusable destination) stays
		 * refused; anything else (memory, a shutdown) may pass later. */
		if (rc != -EINVAL && rc != -ENOENT)
			queue_rest(o, o->next - 1, clock_now());
	} else {
		log_debug("req %llu: %s:%s: reply delivered in %zu part(s)",
		          (unsigned long long)o->request_id, o->dest.platform, o->dest.instance,
		          o->parts.n);
	}
	outgoing_free(o);
}

int webhook_send_reply(struct app *app, const struct chat_msg *msg, const struct reply *r,
                       const char *idem_key)
{
	struct outgoing *o;
	int rc;

	if (!app->sender) {
		rc = -ENOTSUP;
		goto fail;
	}
	o = calloc(1, sizeof *o);
	if (!o) {
		rc = -ENOMEM;
		goto fail;
	}
	o->sender = app->sender;
	o->store = app->store;
	o->request_id = msg->request_id;
	/* A fresh key per message: the platform's own id where it has one. */
	if (idem_key || msg->msg_id) {
		if (asprintf(&o->queue_key, "reply:%s:%s:%s", msg->platform, msg->instance,
		             idem_key ? idem_key : msg->msg_id) < 0)
			o->queue_key = NULL;
	}
	rc = dest_for_reply(msg, &o->dest);
	if (rc == 0)
		rc = render_message(&o->dest, r, idem_key, &o->parts);
	if (rc < 0) {
		outgoing_free(o);
		goto fail;
	}
	send_next(o);
	return 0;
fail:
	log_warn("req %llu: %s:%s: cannot send the reply: %s", (unsigned long long)msg->request_id,
	         msg->platform, msg->instance, strerror(-rc));
	return rc;
}
