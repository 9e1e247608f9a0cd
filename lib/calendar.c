/* The working-day calendar; see calendar.h. */
#include "calendar.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"

/* No real calendar has this many days off in a row; the bound only keeps a
 * corrupt one (every day a holiday) from looping forever. */
#define MAX_DAYS_OFF 400

/* Index of the first entry with day >= `day` (n when none). */
static size_t lower_bound(const struct calendar *c, int64_t day)
{
	size_t lo = 0, hi = c->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c->days[mid].day < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int calendar_set(struct calendar *c, int64_t day, enum calendar_kind kind)
{
	size_t i = lower_bound(c, day);

	if (i < c->n && c->days[i].day == day) {
		c->days[i].kind = kind;
		return 0;
	}
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		struct calendar_day *d = realloc(c->days, cap * sizeof *d);

		if (!d)
			return -ENOMEM;
		c->days = d;
		c->cap = cap;
	}
	memmove(&c->days[i + 1], &c->days[i], (c->n - i) * sizeof *c->days);
	c->days[i] = (struct calendar_day){.day = day, .kind = kind};
	c->n++;
	return 0;
}

void calendar_free(struct calendar *c)
{
	free(c->days);
	*c = (struct calendar){0};
}

int calendar_copy(struct calendar *to, const struct calendar *from)
{
	calendar_free(to);
	if (from->n == 0)
		return 0;
	to->days = malloc(from->n * sizeof *to->days);
	if (!to->days)
		return -ENOMEM;
	memcpy(to->days, from->days, from->n * sizeof *to->days);
	to->n = to->cap = from->n;
	return 0;
}

int calendar_weekday(int64_t day)
{
	/* 1970-01-01 was a Thursday. */
	int64_t w = (day + 4) % 7;
	return (int)(w < 0 ? w + 7 : w);
}

bool calendar_is_workday(const struct calendar *c, int64_t day)
{
	size_t i = lower_bound(c, day);

	if (i < c->n && c->days[i].day == day)
		return c->days[i].kind == CALENDAR_WORKDAY;
	int w = calendar_weekday(day);
	return w != 0 && w != 6;
}

int64_t calendar_workday_on_or_before(const struct calendar *c, int64_t day)
{
	for (int64_t d = day; d > day - MAX_DAYS_OFF; d--) {
		if (calendar_is_workday(c, d))
			return d;
	}
	return day;
}

int64_t calendar_next_workday(const struct calendar *c, int64_t day)
{
	for (int64_t d = day + 1; d <= day + MAX_DAYS_OFF; d++) {
		if (calendar_is_workday(c, d))
			return d;
	}
	return day + 1;
}

int64_t calendar_covered_until(const struct calendar *c)
{
	char last[16];
	int64_t day;

	if (c->n == 0)
		return -1;
	/* Day d starts at unix time d * 86400 UTC, which is still d in CST. */
	snprintf(last, sizeof last, "%04d-12-31", clock_cst_year(c->days[c->n - 1].day * 86400));
	return clock_parse_date(last, &day) == 0 ? day : -1;
}
