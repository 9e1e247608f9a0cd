/*
 * The working-day calendar: which days reminders may be sent on.
 *
 * China's State Council publishes each year the public holidays and the
 * make-up working days (调休: a Saturday or Sunday worked in exchange). A day
 * is a working day when it is a make-up working day, or when it is Monday to
 * Friday and not a holiday. The calendar holds only those exceptions, as day
 * numbers (clock.h: days since 1970-01-01 in China Standard Time), sorted;
 * it is loaded from the store's calendar table (store_calendar.h) and these
 * functions only read it, so they are pure and cheap.
 *
 * Outside the years it covers only the weekdays rule applies: the calendar
 * then "runs out", which calendar_covered_until() tells the caller so the
 * admins can be warned before it happens.
 */
#ifndef CQOD_CALENDAR_H
#define CQOD_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum calendar_kind {
	CALENDAR_HOLIDAY = 0,   /* no work, whatever the weekday */
	CALENDAR_WORKDAY = 1,   /* a make-up working day on a weekend */
};

struct calendar_day {
	int64_t day;
	enum calendar_kind kind;
};

struct calendar {
	struct calendar_day *days;   /* owned; sorted by day, no duplicates */
	size_t n, cap;
};

/* Adds or replaces the entry of `day`; keeps the order. 0 or -ENOMEM. */
int calendar_set(struct calendar *c, int64_t day, enum calendar_kind kind);
/* Frees the entries; the calendar is empty (and usable) afterwards. */
void calendar_free(struct calendar *c);
/* Copies `from` into *to (emptied first). 0 or -ENOMEM. */
int calendar_copy(struct calendar *to, const struct calendar *from);

/* 0 = Sunday ... 6 = Saturday. */
int calendar_weekday(int64_t day);
bool calendar_is_workday(const struct calendar *c, int64_t day);
/* The last working day on or before `day`: where a milestone falling on a
 * holiday or weekend is sent. */
int64_t calendar_workday_on_or_before(const struct calendar *c, int64_t day);
/* The first working day after `day`. */
int64_t calendar_next_workday(const struct calendar *c, int64_t day);

/* The last day (31 December) of the last year the calendar has an entry
 * in, or -1 when it is empty. */
int64_t calendar_covered_until(const struct calendar *c);

#endif
