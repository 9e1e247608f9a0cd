/*
 * The outbox dispatcher: delivers the rows of the outbox table (written by
 * store_outbox_enqueue) on the libuv loop.
 *
 * One timer, set to the next moment something can be done (a row falls due,
 * a destination's rate-limit token comes back, a dead-letter notice is
 * owed); woken early by the store after a commit that enqueued rows, by a
 * send completing, and by a once-a-second look at PRAGMA data_version for
 * rows another process (cqoctl) wrote. Each pass runs in one transaction:
 * it settles the sends that completed since the last pass, then claims the
 * next rows (committed as inflight before any request goes out), so a busy
 * outbox costs one commit per pass rather than two per message.
 *
 * Per destination one send at a time, in (not_before, id) order, paced by
 * outbox_policy.h; at most [outbound] max_in_flight sends in all. A
 * destination without a rate limit claims its due rows in a batch, sent
 * one after another, their outcomes committed by the batch's end or a
 * 50 ms tick (outbox.c, struct job). Results:
 * sent; rate limited: the destination waits for the platform's window, the
 * attempt not counted; transient: exponential backoff with jitter until
 * [outbox] max_age_hours, then dead; permanent: dead at once. Dead rows are
 * reported by outbox_dead_notice.h.
 *
 * Without a sender (console mode) due rows are printed to stdout
 * (outbox_console.h) and settled as sent.
 *
 * A row of kind file (导出) is a workbook to send: built off the loop
 * (outbox_file.h), uploaded unless an earlier attempt's media id is kept
 * with the row, then its file message sent at the destination's pace; the
 * media id is written with the attempt's outcome, forgotten when the
 * platform refuses it, and the file removed once the row is sent or dead.
 * At the console the file is written and its path printed.
 */
#ifndef CQOD_OUTBOX_H
#define CQOD_OUTBOX_H

#include <stddef.h>
#include <uv.h>

#include "../lib/platform.h"
#include "../store/store_outbox.h"

struct config;
struct sender;
struct store;
struct outbox;

/* Starts the dispatcher: rows a crash left inflight become pending again,
 * the metrics are registered, the first pass is scheduled. store and sender
 * (NULL: console mode) must outlive it; the configuration is read through
 * *cfgp at each pass (SIGHUP). *out is freed by outbox_close. */
int outbox_open(uv_loop_t *loop, struct store *st, struct config *const *cfgp,
                struct sender *sender, struct outbox **out);

/*
 * The fast path's side. An answer to a message is written as outbox rows
 * already claimed (store_outbox_enqueue_claimed) in the message's
 * transaction; after the COMMIT the webhook flow sends them itself and
 * settles each here. The outcomes are written by the next pass, like the
 * dispatcher's own; a row whose outcome never got written (the process
 * died) is made pending at the next start and delivered by the dispatcher.
 * So an answer is never lost, and is sent twice at most when the process
 * dies between the send and the pass that records it.
 */
struct send_result;

/* What the dispatcher's rules make of a failed first attempt: the fate and,
 * for a retry or a wait, *not_before (unix seconds). */
enum store_outbox_fate outbox_fate_of(struct outbox *ob, const struct send_result *res,
                                      int64_t *not_before);

/* The fast path's sends to a destination take the same rate token as the
 * outbox's own (messages/platform.h, struct send_pace): a fast pace for d,
 * filled by outbox_fast_pace_init and used as the pace of
 * sender_send_paced; it must live until that send is done. */
struct outbox_fast_pace {
	struct outbox *ob;
	struct dest dest;
	char key[STORE_OUTBOX_DEST_MAX];
};
/* 0, or -EINVAL when d has no text form (then send unpaced). */
int outbox_fast_pace_init(struct outbox *ob, const struct dest *d, struct outbox_fast_pace *fp,
                          struct send_pace *pace);

/* Settles claimed row `id` (see above); `why` is a short English reason,
 * NULL when sent. */
void outbox_settle_claimed(struct outbox *ob, int64_t id, enum store_outbox_fate fate,
                           int64_t not_before, const char *why);

/* A claimed row not needed after all (what it would show was shown
 * another way): deleted by the next pass. */
void outbox_drop_claimed(struct outbox *ob, int64_t id);

/* A claimed row the fast path leaves to the dispatcher: pending again, due
 * now, no attempt counted (store_outbox_unclaim). */
void outbox_release_claimed(struct outbox *ob, int64_t id);

/* Stops claiming rows (a shutdown); sends in flight still settle. */
void outbox_stop(struct outbox *ob);

/* Sends in flight. */
size_t outbox_in_flight(const struct outbox *ob);

/* Writes the settlements still queued, then frees the dispatcher once its
 * handles are closed (the loop must run). Close the sender first: its
 * cancelled sends settle here. */
void outbox_close(struct outbox *ob);

#endif
