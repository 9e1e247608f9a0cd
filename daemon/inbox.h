/*
 * Inbound dedupe with group commit.
 *
 * Platforms resend messages they think were lost, so every inbound message is
 * recorded as (platform, message id) before it runs, and a message already
 * recorded is acknowledged without running again. The record is durable
 * (synchronous=FULL) before the message is acknowledged, so a restart does not
 * forget it; records are kept `dedupe_hours` and then pruned.
 *
 * Group commit: submissions made during one loop iteration are written in a
 * single transaction in the loop's check phase, so N concurrent requests cost
 * one disk flush, not N. Each submitter's callback then runs with the outcome.
 */
#ifndef CQOD_INBOX_H
#define CQOD_INBOX_H

#include <stdint.h>
#include <uv.h>

struct store;
struct inbox;

/* status: 0 new and committed (run it), -EEXIST already seen (acknowledge
 * only), other negative: not recorded (answer 503 so the platform retries). */
typedef void (*inbox_done_fn)(void *arg, int status);

/* *out is freed by inbox_close. */
int inbox_open(uv_loop_t *loop, struct store *st, unsigned batch_max, unsigned dedupe_hours,
               struct inbox **out);
void inbox_set_limits(struct inbox *ib, unsigned batch_max, unsigned dedupe_hours);

/* Queues (platform, msg_id); `done` runs after the next group commit. The
 * strings are copied. Returns 0, or -ENOMEM / -ESHUTDOWN (then done is never
 * called). */
int inbox_submit(struct inbox *ib, const char *platform, const char *msg_id,
                 inbox_done_fn done, void *arg);

/* Messages waiting for a commit (metrics, shutdown). */
unsigned inbox_pending(const struct inbox *ib);

/* Commits what is queued (callbacks run), then closes the handles and frees
 * the inbox once they are closed. */
void inbox_close(struct inbox *ib);

#endif
