/* The reminder rules as pure functions; see remind.h. */
#include "remind.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "clock.h"

#define OFFSET_MAX 3650
#define CST_OFFSET (8 * 3600)

static const struct {
	const char *name;
	const char *category;   /* mutable category, or NULL */
	bool digest;
	bool needs_binding;
} rules[REMIND_N_RULES] = {
	[REMIND_TERM] = {"term", "term", false, true},
	[REMIND_OVERDUE] = {"term_overdue", "term", false, true},
	[REMIND_TRAINING] = {"training", "training", false, true},
	[REMIND_HOURS] = {"hours", "hours", false, false},
	[REMIND_SANCTION] = {"sanction", NULL, false, true},
	[REMIND_SUMMONS] = {"summons", NULL, false, true},
	[REMIND_RECTIFY] = {"rectify", NULL, false, true},
	[REMIND_EVENT] = {"event", "event", false, false},
	[REMIND_SANCTION_ENTERPRISE] = {"sanction_enterprise", NULL, false, false},
	[REMIND_DIGEST_TERM] = {"digest_term", NULL, true, false},
	[REMIND_DIGEST_OVERDUE] = {"digest_overdue", NULL, true, false},
	[REMIND_DIGEST_TRAINING] = {"digest_training", NULL, true, false},
	[REMIND_DIGEST_SANCTION] = {"digest_sanction", NULL, true, false},
	[REMIND_DIGEST_ENTERPRISE] = {"digest_enterprise", NULL, true, false},
	[REMIND_CALENDAR] = {"calendar", NULL, false, false},
};

int remind_items_push(struct remind_items *l, const struct remind_item *it)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct remind_item *v = realloc(l->v, cap * sizeof *v);

		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *it;
	return 0;
}

void remind_items_free(struct remind_items *l)
{
	free(l->v);
	*l = (struct remind_items){0};
}

static int cmp_i64(int64_t a, int64_t b)
{
	return (a > b) - (a < b);
}

static int item_cmp(const void *pa, const void *pb)
{
	const struct remind_item *a = pa, *b = pb;
	int c = cmp_i64(a->person_id, b->person_id);

	if (!c)
		c = cmp_i64(a->rule, b->rule);
	if (!c)
		c = cmp_i64(a->event_id, b->event_id);
	if (!c)
		c = cmp_i64(a->record_id, b->record_id);
	return c ? c : cmp_i64(a->milestone, b->milestone);
}

void remind_items_sort(struct remind_items *l)
{
	if (l->n > 1)
		qsort(l->v, l->n, sizeof *l->v, item_cmp);
}

const char *remind_rule_name(enum remind_rule rule)
{
	return (unsigned)rule < REMIND_N_RULES ? rules[rule].name : "";
}

void remind_ledger_rule(const struct remind_item *it, char buf[32])
{
	/* One person per row: the record is the person, the event is in the
	 * rule, so (rule, record, date) stays unique per person and event. */
	if (it->rule == REMIND_EVENT)
		snprintf(buf, 32, "event:%lld", (long long)it->event_id);
	else
		snprintf(buf, 32, "%s", remind_rule_name(it->rule));
}

const char *const remind_mute_categories[REMIND_N_CATEGORIES] = {
	"term", "training", "hours", "event",
};

int remind_category_index(const char *category)
{
	for (int i = 0; category && i < REMIND_N_CATEGORIES; i++)
		if (strcmp(category, remind_mute_categories[i]) == 0)
			return i;
	return -1;
}

const char *remind_category(enum remind_rule rule)
{
	return (unsigned)rule < REMIND_N_RULES ? rules[rule].category : NULL;
}

bool remind_is_digest(enum remind_rule rule)
{
	return (unsigned)rule < REMIND_N_RULES && rules[rule].digest;
}

bool remind_needs_binding(enum remind_rule rule)
{
	return (unsigned)rule < REMIND_N_RULES && rules[rule].needs_binding;
}

bool remind_window(const struct calendar *c, int64_t today, int64_t last,
                   unsigned catch_up_days, int64_t *from, int64_t *to)
{
	*to = calendar_next_workday(c, today) - 1;
	*from = last < 0 ? today : calendar_next_workday(c, last);
	if (*from < today - (int64_t)catch_up_days)
		*from = today - (int64_t)catch_up_days;
	return *from <= *to;
}

int64_t remind_due_day(const struct calendar *c, int64_t milestone)
{
	return calendar_workday_on_or_before(c, milestone);
}

int remind_offsets_parse(const char *s, int *out, int max)
{
	int n = 0;

	if (!s || !*s)
		return -EINVAL;
	for (const char *p = s;;) {
		char *end;
		long v;

		if (*p < '0' || *p > '9')
			return -EINVAL;
		v = strtol(p, &end, 10);
		if (v > OFFSET_MAX || n == max)
			return -EINVAL;
		for (int i = 0; i < n; i++)
			if (out[i] == (int)v)
				return -EINVAL;
		out[n++] = (int)v;
		if (*end == '\0')
			return n;
		if (*end != ',')
			return -EINVAL;
		p = end + 1;
	}
}

/* Calls fn(month, day) for each "MM-DD" of `dates`; -EINVAL at the first
 * malformed or impossible one (a day checked against 2001, so 02-29 is
 * refused: a reminder that skipped three years in four would mislead). */
static int each_month_day(const char *dates, int (*fn)(int month, int day, void *arg),
                          void *arg)
{
	if (!dates || !*dates)
		return -EINVAL;
	for (const char *p = dates;;) {
		char date[16];
		int64_t day;

		if (strspn(p, "0123456789") != 2 || p[2] != '-' || strspn(p + 3, "0123456789") != 2 ||
		    (p[5] != ',' && p[5] != '\0'))
			return -EINVAL;
		snprintf(date, sizeof date, "2001-%.5s", p);
		if (clock_parse_date(date, &day) < 0)
			return -EINVAL;
		int rc = fn(atoi(p), atoi(p + 3), arg);
		if (rc)
			return rc;
		if (p[5] == '\0')
			return 0;
		p += 6;
	}
}

struct dates_seen {
	int seen[REMIND_HOURS_DATES_MAX];
	size_t n;
};

static int date_unique(int month, int day, void *arg)
{
	struct dates_seen *d = arg;

	for (size_t i = 0; i < d->n; i++)
		if (d->seen[i] == month * 100 + day)
			return -EINVAL;
	if (d->n == REMIND_HOURS_DATES_MAX)
		return -EINVAL;
	d->seen[d->n++] = month * 100 + day;
	return 0;
}

int remind_hours_dates_valid(const char *dates)
{
	struct dates_seen d = {.n = 0};

	return each_month_day(dates, date_unique, &d);
}

struct milestones {
	int64_t from, to, *out;
	size_t max, n;
};

static int date_milestones(int month, int day, void *arg)
{
	struct milestones *m = arg;

	for (int y = clock_cst_year(m->from * 86400); y <= clock_cst_year(m->to * 86400); y++) {
		char date[16];
		int64_t d;

		snprintf(date, sizeof date, "%04d-%02d-%02d", y, month, day);
		if (clock_parse_date(date, &d) == 0 && d >= m->from && d <= m->to && m->n < m->max)
			m->out[m->n++] = d;
	}
	return 0;
}

size_t remind_hours_milestones(const char *dates, int64_t from, int64_t to, int64_t *out,
                               size_t max)
{
	struct milestones m = {.from = from, .to = to, .out = out, .max = max, .n = 0};

	if (from > to || remind_hours_dates_valid(dates) < 0)
		return 0;
	each_month_day(dates, date_milestones, &m);
	return m.n;
}

unsigned remind_hours_kinds(const char *kinds)
{
	static const char *const names[] = {"任职培训", "继续教育", "线上自学"};
	unsigned mask = 0;

	if (!kinds || !*kinds)
		return 0;
	for (const char *p = kinds;;) {
		size_t n = strcspn(p, ","), i;

		for (i = 0; i < sizeof names / sizeof names[0]; i++)
			if (strlen(names[i]) == n && strncmp(p, names[i], n) == 0)
				break;
		if (i == sizeof names / sizeof names[0] || mask & (1u << i))
			return 0;
		mask |= 1u << i;
		if (p[n] == '\0')
			return mask;
		p += n + 1;
	}
}

double remind_hours_required(double annual, bool prorate, int64_t start_day, int year)
{
	char date[11];

	if (annual <= 0)
		return 0;
	if (!prorate)
		return annual;
	remind_day_str(start_day, date);
	if (atoi(date) != year)
		return annual;
	int months = 13 - atoi(date + 5);
	/* Rounded up to whole hours; the tolerance keeps 30 x 6 / 12 at 15. */
	return ceil(annual * months / 12 - 1e-9);
}

int64_t remind_first_weekly(int64_t start, int64_t from)
{
	int64_t k = from > start ? (from - start + 6) / 7 : 1;

	return start + 7 * (k < 1 ? 1 : k);
}

void remind_day_str(int64_t day, char out[11])
{
	clock_cst_date(day * 86400, out);
}

int64_t remind_day_start(int64_t day)
{
	return day * 86400 - CST_OFFSET;
}
