/* The event form; see event_form.h. */
#include "event_form.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../lib/clock.h"
#include "text/alliance.h"
#include "text/common.h"
#include "argtext.h"
#include "form.h"
#include "validate.h"

#define TITLE_MAX ((size_t)60)        /* characters */
#define PLACE_MAX ((size_t)80)
#define DESCRIPTION_MAX ((size_t)500)
#define LINK_MAX 500          /* bytes */
#define CAPACITY_MAX 100000
#define CST_OFFSET (8 * 3600)
#define DAY_SECONDS 86400
#define DAY_END (23 * 3600 + 59 * 60)

#define FIELDS(req) { \
	{"alliance", TXT_EV_F_ALLIANCE, false}, \
	{"kind", TXT_EV_F_KIND, req}, \
	{"title", TXT_EV_F_TITLE, req}, \
	{"start", TXT_EV_F_START, req}, \
	{"end", TXT_EV_F_END, false}, \
	{"place", TXT_EV_F_PLACE, false}, \
	{"link", TXT_EV_F_LINK, false}, \
	{"capacity", TXT_EV_F_CAPACITY, false}, \
	{"deadline", TXT_EV_F_DEADLINE, false}, \
	{"description", TXT_EV_F_DESCRIPTION, false}, \
	{"open", TXT_EV_F_OPEN, false}, \
}

static const struct form_spec create_spec[] = FIELDS(true);
/* Changing: nothing required; naming an alliance is refused (an event
 * stays in its alliance), so the field is known to say so. */
static const struct form_spec change_spec[] = FIELDS(false);
#define N_FIELDS (sizeof create_spec / sizeof create_spec[0])

static const char *const kinds[] = {
	"沙龙", "论坛", "围炉会", "大会", "现场会", "研讨会", "首席质量官日", "质量月",
};

struct reader {
	const struct form *f;
	struct store_event *ev;
	struct reply *errors;
	int64_t now;
	unsigned changed;
	bool ok;
};

static void bad_line(struct reader *r, const char *line)
{
	reply_add_line(r->errors, "%s", line);
	r->ok = false;
}

static void bad(struct reader *r, const char *field, const char *why)
{
	reply_add_line(r->errors, TXT_EV_WHY, field, why);
	r->ok = false;
}

/* A value that must fit in one line of at most max characters. */
static bool text_ok(struct reader *r, const char *v, const char *field, size_t max)
{
	char why[VALIDATE_WHY_MAX];

	if (strchr(v, '\n')) {
		bad(r, field, TXT_EV_ONE_LINE);
		return false;
	}
	if (argtext_chars(v) > max) {
		snprintf(why, sizeof why, TXT_EV_TOO_LONG, max);
		bad(r, field, why);
		return false;
	}
	return true;
}

/* A time "2026-12-01 14:30"; with date_ok, a date alone means 23:59. */
static bool time_of(struct reader *r, const char *v, const char *field, bool date_ok,
                    int64_t *out)
{
	char why[VALIDATE_WHY_MAX], date[11];
	long long t;
	int64_t day;

	if (validate_datetime(v, &t, why, sizeof why) == 0) {
		*out = t;
		return true;
	}
	if (date_ok && validate_date(v, date, why, sizeof why) == 0 &&
	    clock_parse_date(date, &day) == 0) {
		*out = day * DAY_SECONDS - CST_OFFSET + DAY_END;
		return true;
	}
	bad(r, field, date_ok ? TXT_EV_BAD_DEADLINE : TXT_V_DATETIME);
	return false;
}

static void read_kind_title(struct reader *r)
{
	const char *kind = form_get(r->f, "kind"), *title = form_get(r->f, "title");

	if (kind) {
		size_t i, n = sizeof kinds / sizeof kinds[0];

		for (i = 0; i < n && strcmp(kind, kinds[i]) != 0; i++)
			;
		if (i == n)
			bad(r, TXT_EV_K_KIND, TXT_EV_BAD_KIND);
		else
			snprintf(r->ev->kind, sizeof r->ev->kind, "%s", kinds[i]);
		r->changed |= EVENT_F_KIND;
	}
	if (title) {
		if (text_ok(r, title, TXT_EV_K_TITLE, TITLE_MAX))
			snprintf(r->ev->title, sizeof r->ev->title, "%s", title);
		r->changed |= EVENT_F_TITLE;
	}
}

static void read_times(struct reader *r)
{
	const char *start = form_get(r->f, "start"), *end = form_get(r->f, "end");
	const char *deadline = form_get(r->f, "deadline");

	if (start) {
		if (time_of(r, start, TXT_EV_K_START, false, &r->ev->starts_at) &&
		    r->ev->starts_at <= r->now)
			bad(r, TXT_EV_K_START, TXT_EV_PAST);
		r->changed |= EVENT_F_TIME;
	}
	if (end) {
		if (argtext_skipped(end))
			r->ev->ends_at = 0;
		else
			time_of(r, end, TXT_EV_K_END, false, &r->ev->ends_at);
		r->changed |= EVENT_F_TIME;
	}
	if (deadline) {
		if (argtext_skipped(deadline))
			r->ev->signup_deadline = 0;
		else if (time_of(r, deadline, TXT_EV_K_DEADLINE, true, &r->ev->signup_deadline) &&
		         r->ev->signup_deadline <= r->now)
			bad(r, TXT_EV_K_DEADLINE, TXT_EV_PAST);
		r->changed |= EVENT_F_DEADLINE;
	}
}

static void read_place(struct reader *r)
{
	const char *place = form_get(r->f, "place"), *link = form_get(r->f, "link");

	if (place) {
		if (argtext_skipped(place))
			r->ev->place[0] = '\0';
		else if (text_ok(r, place, TXT_EV_K_PLACE, PLACE_MAX))
			snprintf(r->ev->place, sizeof r->ev->place, "%s", place);
		r->changed |= EVENT_F_PLACE;
	}
	if (link) {
		if (argtext_skipped(link))
			r->ev->link[0] = '\0';
		else if (strlen(link) > LINK_MAX || strchr(link, ' ') || strchr(link, '\n') ||
		         (strncmp(link, "https://", 8) != 0 && strncmp(link, "http://", 7) != 0))
			bad(r, TXT_EV_K_LINK, TXT_EV_BAD_LINK);
		else
			snprintf(r->ev->link, sizeof r->ev->link, "%s", link);
		r->changed |= EVENT_F_PLACE;
	}
}

static void read_rest(struct reader *r)
{
	const char *cap = form_get(r->f, "capacity"), *desc = form_get(r->f, "description");
	const char *open = form_get(r->f, "open");
	char why[VALIDATE_WHY_MAX];
	long n;

	if (cap) {
		if (argtext_skipped(cap) || strcmp(cap, TXT_EV_UNLIMITED) == 0)
			r->ev->capacity = 0;
		else if (validate_int(cap, 1, CAPACITY_MAX, &n, TXT_EV_K_CAPACITY, why,
		                      sizeof why) < 0)
			bad_line(r, why);
		else
			r->ev->capacity = n;
		r->changed |= EVENT_F_CAPACITY;
	}
	if (desc) {
		if (argtext_skipped(desc)) {
			r->ev->description[0] = '\0';
		} else if (argtext_chars(desc) > DESCRIPTION_MAX) {
			snprintf(why, sizeof why, TXT_EV_TOO_LONG, DESCRIPTION_MAX);
			bad(r, TXT_EV_K_DESCRIPTION, why);
		} else {
			snprintf(r->ev->description, sizeof r->ev->description, "%s", desc);
		}
		r->changed |= EVENT_F_DESCRIPTION;
	}
	if (open) {
		if (strcmp(open, TXT_EV_YES) == 0 || strcasecmp(open, "yes") == 0)
			r->ev->is_open = true;
		else if (strcmp(open, TXT_EV_NO) == 0 || strcasecmp(open, "no") == 0)
			r->ev->is_open = false;
		else
			bad(r, TXT_EV_K_OPEN, TXT_EV_BAD_OPEN);
		r->changed |= EVENT_F_OPEN;
	}
}

/* What must hold between fields, whichever of them the form set. */
static void cross_check(struct reader *r)
{
	const struct store_event *ev = r->ev;

	if (!ev->place[0] && !ev->link[0])
		bad_line(r, TXT_EV_NO_PLACE);
	if (ev->ends_at && ev->ends_at < ev->starts_at)
		bad_line(r, TXT_EV_END_BEFORE);
	if (ev->signup_deadline && ev->signup_deadline > ev->starts_at)
		bad_line(r, TXT_EV_DEADLINE_AFTER);
}

int event_form_read(const char *body, bool creating, int64_t now, struct store_event *ev,
                    char *alliance, size_t len, unsigned *changed, struct reply *errors)
{
	struct form f = {0};
	struct reader r = {.f = &f, .ev = ev, .errors = errors, .now = now, .ok = true};
	const char *al;
	int rc;

	*changed = 0;
	alliance[0] = '\0';
	if (!body || !*body)
		return -ENODATA;
	if (creating)
		memset(ev, 0, sizeof *ev);
	rc = form_parse(body, creating ? create_spec : change_spec, N_FIELDS, &f, errors);
	if (rc == -ENOMEM) {
		form_free(&f);
		return rc;
	}
	r.ok = rc == 0;
	if ((al = form_get(&f, "alliance")) != NULL) {
		if (!creating)
			bad_line(&r, TXT_EV_NO_MOVE);
		snprintf(alliance, len, "%s", al);
	}
	/* Every field is checked even after a problem, so one reply lists all. */
	read_kind_title(&r);
	read_times(&r);
	read_place(&r);
	read_rest(&r);
	if (r.ok && !creating && r.changed == 0)
		bad_line(&r, TXT_EV_NOTHING);
	if (r.ok)
		cross_check(&r);
	form_free(&f);
	*changed = r.changed;
	return r.ok ? 0 : -EINVAL;
}

void event_form_describe(bool creating, struct reply *r)
{
	reply_add_line(r, creating ? TXT_EV_FORM_INTRO : TXT_EV_FORM_CHANGE_INTRO);
	/* A change cannot name an alliance (the first field). */
	if (creating)
		form_describe(create_spec, N_FIELDS, r);
	else
		form_describe(change_spec + 1, N_FIELDS - 1, r);
	reply_add_line(r, TXT_EV_FORM_EXAMPLE);
}
