/*
 * The inbound batch: exactly once, with group commit.
 *
 * Platforms resend messages they think were lost, and the process may die
 * at any moment. The guarantee: a message's id, its effect (registry rows,
 * audit rows, access-log rows) and its answer (outbox rows, or the answer
 * text kept with the id) commit in one transaction, or none of them do; the
 * platform is answered only after that COMMIT succeeded. A retry of a
 * committed message finds its id and runs nothing; a message whose
 * transaction did not commit left no trace, so its retry runs it.
 *
 * Group commit: the messages submitted during one loop iteration are run in
 * the loop's check phase inside ONE transaction, each as its own unit
 * (handlers/dispatch.h: a savepoint per message, so a failing command rolls
 * back alone), and one COMMIT (one fsync) serves the batch. The batch is one
 * unit handed to the store: nothing of it is visible to the platform until
 * its done callbacks run after the COMMIT.
 *
 * The loop never waits on a lock: when another process holds the write lock
 * (BEGIN fails with -EBUSY at once, there is no busy timeout), the batch is
 * tried again on a short timer, or as soon as the store's checkpoint worker
 * says its RESTART, which holds writers off, is over; a message still not run INBOX_WAIT_MS after
 * it arrived is answered INBOX_RETRY, which the flows turn into the answer
 * that makes their platform send it again.
 */
#ifndef CQOD_INBOX_H
#define CQOD_INBOX_H

#include <stdint.h>
#include <uv.h>

struct store;
struct inbox;

/* How long a message may wait for a busy database before its platform is
 * told to retry: within the shortest callback deadline (Feishu's 3 s). */
#define INBOX_WAIT_MS 2000

enum inbox_result {
	INBOX_DONE = 0,        /* committed: answer it */
	INBOX_DUPLICATE = 1,   /* committed before: acknowledge, nothing ran */
	INBOX_RETRY = 2,       /* not recorded: the platform must send it again */
};

/* One message's work. run() is called inside the batch's transaction and
 * returns an inbox_result (it must leave the transaction open and every
 * savepoint it opened closed); done() is called once, after the COMMIT,
 * with run's result — or with INBOX_RETRY when the batch did not commit or
 * the message was never run. arg is the caller's until done() returns. */
struct inbox_job {
	int (*run)(void *arg, struct store *st);
	void (*done)(void *arg, int result);
	void *arg;
};

/* *out is freed by inbox_close. */
int inbox_open(uv_loop_t *loop, struct store *st, unsigned batch_max, unsigned dedupe_hours,
               struct inbox **out);
void inbox_set_limits(struct inbox *ib, unsigned batch_max, unsigned dedupe_hours);

/* Queues job (copied) for the next batch. Returns 0, or -ENOMEM /
 * -ESHUTDOWN (then neither callback is ever called). */
int inbox_submit(struct inbox *ib, const struct inbox_job *job);

/* Messages waiting for a batch (metrics, shutdown). */
unsigned inbox_pending(const struct inbox *ib);

/* Runs what is queued (callbacks run; what cannot run now is answered
 * INBOX_RETRY), then closes the handles and frees the inbox once they are
 * closed. */
void inbox_close(struct inbox *ib);

#endif
