/*
 * The daily reminder sweep on the event loop.
 *
 * Once a working day, at [reminders] send_at (China Standard Time), the
 * scheduler runs the reminder sweep (remind_sweep.h): what is due is
 * collected on a worker thread over a read-only connection, then the steps
 * run one per loop iteration, and the day is recorded as swept. The day swept last is kept in
 * the database, so a daemon started after downtime sweeps once, at start
 * (or at send_at, if it starts earlier that day), covering every milestone
 * missed since, instead of once per missed day; on a day off it waits for
 * the next working day. One libuv timer does it all: it sleeps until the
 * next send time, but never more than an hour, so a changed clock or
 * calendar is noticed.
 *
 * The working-day calendar is loaded from data_dir/cn-workcalendar.csv at
 * start and on SIGHUP (a newer year's file dropped in is picked up); the
 * table may also have been loaded by cqoctl calendar load.
 */
#ifndef CQOD_SCHEDULER_H
#define CQOD_SCHEDULER_H

#include <uv.h>

struct store;
struct config;
struct scheduler;

/* Starts the timer; reads the configuration through *cfgp at each sweep, so
 * a SIGHUP that swaps it is picked up. *out is freed by scheduler_close. */
int scheduler_start(uv_loop_t *loop, struct store *st, struct config *const *cfgp,
                    struct scheduler **out);

/* SIGHUP: reloads the calendar file and plans the next sweep again. */
void scheduler_reload(struct scheduler *s);

/* The clock moved (a test's fake clock): decides again whether a sweep is
 * due now. A sweep in progress goes on. */
void scheduler_replan(struct scheduler *s);

/* Stops; a sweep in progress is abandoned between two steps (what it sent
 * is in the ledger, the rest is sent by the next start's catch-up). Frees
 * once the timer is closed and a collect on the worker is done (the loop
 * must run). */
void scheduler_close(struct scheduler *s);

#endif
