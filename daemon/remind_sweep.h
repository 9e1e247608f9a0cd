/*
 * The reminder sweep of one working day, in steps.
 *
 * What it guarantees, and why it is built this way:
 *  - Once per milestone. Every milestone sent is claimed in the reminder
 *    ledger (UNIQUE (rule, record, milestone date)) in the transaction that
 *    enqueues its outbox row, so a sweep repeated after a crash, a restart or
 *    a second daemon finds it claimed and sends nothing twice.
 *  - One message per person per day. A person's milestones of the day are
 *    merged into one message before anything is enqueued (one line per rule
 *    and record; every milestone keeps its ledger row, all pointing at that
 *    message's outbox row). Muted categories are left out.
 *  - No one forgotten. A person's term, training or sanction reminder that no
 *    chat identity can receive becomes a line of the clerks' digest instead
 *    ("未绑定，无法提醒"); each clerk gets one digest a day, with only the
 *    records in their scope.
 *  - The loop keeps serving. The collect reads what is due and, for the
 *    persons due, their mutes, chat identities and the enterprise names
 *    their messages show, set-based (a few statements in all), through a
 *    connection of the caller's choice: the daemon's is read-only, on a
 *    worker thread. Then each step is one short transaction (a batch of
 *    persons, then the digests, then the end: the calendar warning and the
 *    day recorded as swept; the end, and digests with nothing to list, join
 *    the step before them); the caller runs the next step on a later loop
 *    iteration. A batch of persons reads only the ledger (what an earlier
 *    run already sent), then writes one outbox row per message and the
 *    ledger rows. Its cost follows what is due: dated milestones come from
 *    index ranges (store_remind.h), the annual hours, due for everyone three
 *    times a year, in pages of persons that their steps read.
 *
 * A dry run (cqoctl remind --dry-run) takes the same path but writes
 * nothing: the ledger is only read, and messages go to a print callback.
 */
#ifndef CQOD_REMIND_SWEEP_H
#define CQOD_REMIND_SWEEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../lib/platform.h"
#include "../lib/reply.h"

struct store;
struct config;
struct calendar;
struct remind_sweep;

struct remind_sweep_opts {
	int64_t today;                  /* the working day swept (day number) */
	int64_t from, to;               /* the milestones covered (remind_window) */
	int64_t now;                    /* unix seconds */
	const struct calendar *cal;     /* copied */
	const struct config *cfg;       /* its app instances are copied */
	int batch;                      /* persons per step; 0: a default */
	/* Dry run when set: nothing is written, each message is printed. */
	void (*print)(void *arg, const struct dest *d, const struct reply *r);
	void *print_arg;
};

struct remind_sweep_stats {
	size_t items;       /* milestones sent (or that would be) */
	size_t messages;    /* messages enqueued (or printed) */
	size_t unbound;     /* reminders for persons without a chat identity */
	size_t digests;     /* clerks' digests among the messages */
};

/* A sweep that will write through st (its steps), with nothing collected
 * yet: copies of o's calendar and instances, so the configuration may be
 * swapped meanwhile. *out is freed by remind_sweep_free. 0 or -ENOMEM. */
int remind_sweep_new(struct store *st, const struct remind_sweep_opts *o,
                     struct remind_sweep **out);
/* Collects what is due (the milestones in the window, the annual-hours
 * days) through `reader`: the sweep's own store, or a read-only connection
 * on another thread (the daemon's worker), for this reads nothing of the
 * process but the sweep itself, which nobody else may touch meanwhile.
 * Once per sweep: 0, or a store error or -ENOMEM, after which the sweep is
 * only to be freed. */
int remind_sweep_collect(struct remind_sweep *s, struct store *reader);
/* remind_sweep_new and remind_sweep_collect through st; *out is NULL on
 * an error. */
int remind_sweep_begin(struct store *st, const struct remind_sweep_opts *o,
                       struct remind_sweep **out);
/* Runs the next step in a transaction of its own; *done once the sweep is
 * complete (then the day is recorded as swept, except in a dry run). On an
 * error the step is rolled back; what earlier steps sent stays sent. */
int remind_sweep_step(struct remind_sweep *s, bool *done);
void remind_sweep_stats(const struct remind_sweep *s, struct remind_sweep_stats *out);
void remind_sweep_free(struct remind_sweep *s);

#endif
