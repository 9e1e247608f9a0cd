/* The reminder sweep of one working day; see remind_sweep.h. */
#include "remind_sweep.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/calendar.h"
#include "../lib/log.h"
#include "../lib/remind.h"
#include "../handlers/remind_dest.h"
#include "../handlers/remind_text.h"
#include "../store/store.h"
#include "../store/store_outbox.h"
#include "../store/store_remind.h"

/* Persons per step: one transaction (one disk flush) each, a few tens of
 * milliseconds of the loop. */
#define DEFAULT_BATCH 500
#define MAX_DESTS 8
#define KEY_MAX 640
/* The admins are warned this many days before the calendar runs out. */
#define CALENDAR_WARN_DAYS 30

/* Every day of the longest window (366 days of catch-up and a holiday
 * run) could be some policy's reminder day. */
#define HOURS_DAYS_MAX 400

enum phase { PHASE_PERSONS, PHASE_DIGEST, PHASE_FINISH, PHASE_DONE };

struct remind_sweep {
	struct store *st;
	struct remind_sweep_opts o;
	struct calendar cal;             /* owned copy */
	struct remind_instances inst;    /* owned copy */
	struct remind_items persons;     /* a person's reminders, sorted by person */
	size_t pos;                      /* next of them to send */
	struct remind_items digest;      /* digest lines and undelivered reminders */
	int64_t hours[HOURS_DAYS_MAX];   /* annual-hours milestones in the window */
	size_t n_hours;
	int64_t hours_after;             /* the persons paged through so far */
	bool hours_left;
	enum phase phase;
	struct remind_sweep_stats stats;
	char today[11];
};

static bool dry(const struct remind_sweep *s)
{
	return s->o.print != NULL;
}

static struct store_remind_span span(const struct remind_sweep *s)
{
	return (struct store_remind_span){.from = s->o.from, .to = s->o.to, .now = s->o.now,
	                                  .cal = &s->cal};
}

int remind_sweep_begin(struct store *st, const struct remind_sweep_opts *o,
                       struct remind_sweep **out)
{
	struct remind_items all = {0};
	struct remind_sweep *s = calloc(1, sizeof *s);
	int rc;

	*out = NULL;
	if (!s)
		return -ENOMEM;
	s->st = st;
	s->o = *o;
	s->o.cal = NULL;
	s->o.cfg = NULL;
	if (s->o.batch <= 0)
		s->o.batch = DEFAULT_BATCH;
	remind_day_str(o->today, s->today);
	rc = calendar_copy(&s->cal, o->cal);
	if (rc == 0)
		rc = remind_instances_from_config(o->cfg, &s->inst);
	if (rc == 0) {
		struct store_remind_span sp = span(s);
		rc = store_remind_collect(st, &sp, &all);
	}
	for (size_t i = 0; rc == 0 && i < all.n; i++)
		rc = remind_items_push(remind_is_digest(all.v[i].rule) ? &s->digest : &s->persons,
		                       &all.v[i]);
	remind_items_free(&all);
	if (rc < 0) {
		remind_sweep_free(s);
		return rc;
	}
	remind_items_sort(&s->persons);
	rc = store_remind_hours_days(st, o->from, o->to, s->hours, HOURS_DAYS_MAX, &s->n_hours);
	if (rc < 0) {
		remind_sweep_free(s);
		return rc;
	}
	s->hours_left = s->n_hours > 0;
	*out = s;
	return 0;
}

void remind_sweep_free(struct remind_sweep *s)
{
	if (!s)
		return;
	calendar_free(&s->cal);
	remind_instances_free(&s->inst);
	remind_items_free(&s->persons);
	remind_items_free(&s->digest);
	free(s);
}

void remind_sweep_stats(const struct remind_sweep *s, struct remind_sweep_stats *out)
{
	*out = s->stats;
}

/* Claims each item in the ledger (a dry run only looks) and keeps, in
 * place, those not sent before; *n becomes their number. */
static int claim(struct remind_sweep *s, struct remind_item *v, size_t *n)
{
	size_t kept = 0;

	for (size_t i = 0; i < *n; i++) {
		bool fresh = false;
		int rc;

		if (dry(s)) {
			bool exists;
			rc = store_remind_ledger_exists(s->st, &v[i], &exists);
			fresh = !exists;
		} else {
			rc = store_remind_ledger_claim(s->st, &v[i], s->o.now, &fresh);
		}
		if (rc < 0)
			return rc;
		if (fresh)
			v[kept++] = v[i];
	}
	*n = kept;
	return 0;
}

/* The outbox key of a message: one per kind, day and chat identity, so
 * a repeated step never enqueues it twice. false when it does not fit. */
static bool dest_key(char key[KEY_MAX], const char *kind, const char *day, const struct dest *d)
{
	int n = snprintf(key, KEY_MAX, "remind:%s%s:%s:%s:%s", kind, day, d->platform, d->instance,
	                 d->target);
	return n > 0 && n < KEY_MAX;
}

/* Enqueues (or prints) r for d under `key`; *outbox_id gets its row (0 in
 * a dry run, or when the key was taken). A destination the platform code
 * refuses is logged and skipped, so it cannot stop everyone else's. */
static int deliver(struct remind_sweep *s, const struct dest *d, const struct reply *r,
                   const char *key, int64_t *outbox_id)
{
	*outbox_id = 0;
	if (dry(s)) {
		s->o.print(s->o.print_arg, d, r);
		s->stats.messages++;
		return 0;
	}
	int rc = store_outbox_enqueue_id(s->st, d, r, key, outbox_id);
	if (rc == -EINVAL) {
		log_warn("reminders: a %s:%s destination cannot be rendered; skipped", d->platform,
		         d->instance);
		return 0;
	}
	if (rc == -EEXIST)
		return 0;
	if (rc == 0)
		s->stats.messages++;
	return rc;
}

static int link_all(struct remind_sweep *s, const struct remind_item *v, size_t n,
                    int64_t outbox_id)
{
	int rc = 0;

	for (size_t i = 0; rc == 0 && outbox_id && !dry(s) && i < n; i++)
		rc = store_remind_ledger_link(s->st, &v[i], outbox_id);
	return rc;
}

/* The destinations of a person's cqo identities, into d[MAX_DESTS]. */
static int person_dests(struct remind_sweep *s, int64_t person_id, struct dest *d, size_t *n)
{
	struct store_remind_identity ids[MAX_DESTS];
	size_t n_ids;
	int rc = store_remind_person_identities(s->st, person_id, ids, MAX_DESTS, &n_ids);

	*n = 0;
	for (size_t i = 0; rc == 0 && i < n_ids; i++)
		if (remind_dest_for(&s->inst, &ids[i], &d[*n]) == 0)
			(*n)++;
	return rc;
}

/* Leaves out, in place, the items of categories the person muted. */
static int drop_muted(struct remind_sweep *s, struct remind_item *v, size_t *n)
{
	unsigned mask;
	size_t kept = 0;
	int rc = store_remind_mutes(s->st, v[0].person_id, &mask);

	for (size_t i = 0; rc == 0 && i < *n; i++) {
		int c = remind_category_index(remind_category(v[i].rule));
		if (c < 0 || !(mask & (1u << c)))
			v[kept++] = v[i];
	}
	*n = kept;
	return rc;
}

/* One person's reminders of the day: one message to each of their chat
 * identities, or lines for the clerks when they have none. */
static int send_person(struct remind_sweep *s, struct remind_item *v, size_t n)
{
	struct dest dests[MAX_DESTS];
	size_t n_dests;
	struct reply r;
	char key[KEY_MAX];
	int64_t first = 0, id;
	int rc = drop_muted(s, v, &n);

	if (rc == 0 && n)
		rc = person_dests(s, v[0].person_id, dests, &n_dests);
	if (rc < 0 || n == 0)
		return rc;
	if (n_dests == 0) {
		for (size_t i = 0; rc == 0 && i < n; i++) {
			if (!remind_needs_binding(v[i].rule))
				continue;
			rc = remind_items_push(&s->digest, &v[i]);
			s->stats.unbound++;
		}
		return rc;
	}
	if ((rc = claim(s, v, &n)) < 0 || n == 0)
		return rc;
	reply_init(&r);
	rc = remind_text_person(s->st, v, n, s->o.today, &r);
	for (size_t i = 0; rc == 0 && i < n_dests; i++) {
		if (!dest_key(key, "", s->today, &dests[i]))
			continue;
		rc = deliver(s, &dests[i], &r, key, &id);
		if (!first)
			first = id;
	}
	reply_free(&r);
	if (rc == 0)
		rc = link_all(s, v, n, first);
	if (rc == 0)
		s->stats.items += n;
	return rc;
}

/* The page of the persons step: the next annual-hours page (on those
 * days) and the dated reminders of the persons it covers, or the next
 * batch of persons. */
static int next_page(struct remind_sweep *s, struct remind_items *page)
{
	int64_t upto = INT64_MAX;
	int rc = 0;

	if (s->hours_left) {
		struct store_remind_span sp = span(s);
		int64_t next = -1;

		for (size_t i = 0; rc == 0 && i < s->n_hours; i++)
			rc = store_remind_hours_page(s->st, &sp, s->hours[i], s->hours_after, s->o.batch,
			                             page, &next);
		if (rc < 0)
			return rc;
		s->hours_left = next >= 0;
		s->hours_after = next;
		if (next >= 0)
			upto = next;
	} else {
		int persons = 0;
		for (size_t i = s->pos; i < s->persons.n; i++) {
			if (i == s->pos || s->persons.v[i].person_id != s->persons.v[i - 1].person_id) {
				if (persons++ == s->o.batch) {
					upto = s->persons.v[i - 1].person_id;
					break;
				}
			}
		}
	}
	while (rc == 0 && s->pos < s->persons.n && s->persons.v[s->pos].person_id <= upto)
		rc = remind_items_push(page, &s->persons.v[s->pos++]);
	if (rc == 0)
		remind_items_sort(page);
	return rc;
}

static int step_persons(struct remind_sweep *s)
{
	struct remind_items page = {0};
	int rc = next_page(s, &page);

	for (size_t i = 0; rc == 0 && i < page.n;) {
		size_t j = i + 1;
		while (j < page.n && page.v[j].person_id == page.v[i].person_id)
			j++;
		rc = send_person(s, &page.v[i], j - i);
		i = j;
	}
	remind_items_free(&page);
	if (rc == 0 && !s->hours_left && s->pos >= s->persons.n)
		s->phase = PHASE_DIGEST;
	return rc;
}

/* One clerk's digest of the lines in their scope. */
static int send_digest(struct remind_sweep *s, const struct store_remind_identity *clerk)
{
	struct remind_items mine = {0};
	struct dest d;
	struct reply r;
	char key[KEY_MAX];
	size_t lines = 0;
	int64_t id = 0;
	int rc = 0;

	if (remind_dest_for(&s->inst, clerk, &d) < 0)
		return 0;
	for (size_t i = 0; rc == 0 && i < s->digest.n; i++)
		if (clerk->scope[0] && store_region_in_scope(s->digest.v[i].region, clerk->scope))
			rc = remind_items_push(&mine, &s->digest.v[i]);
	if (rc == 0 && mine.n) {
		remind_items_sort(&mine);
		reply_init(&r);
		rc = remind_text_digest(s->st, mine.v, mine.n, s->o.today, &r, &lines);
		if (rc == 0 && lines && dest_key(key, "digest:", s->today, &d))
			rc = deliver(s, &d, &r, key, &id);
		reply_free(&r);
		/* A reminder the person could not receive keeps no outbox row:
		 * it was not delivered to them. */
		for (size_t i = 0; rc == 0 && lines && i < mine.n; i++)
			if (remind_is_digest(mine.v[i].rule))
				rc = link_all(s, &mine.v[i], 1, id);
		if (rc == 0 && lines)
			s->stats.digests++;
	}
	remind_items_free(&mine);
	return rc;
}

static int step_digest(struct remind_sweep *s)
{
	struct store_remind_identity *clerks = NULL;   /* owned here */
	size_t n_clerks = 0;
	int rc = claim(s, s->digest.v, &s->digest.n);

	if (rc == 0 && s->digest.n)
		rc = store_remind_role_identities(s->st, "clerk", &clerks, &n_clerks);
	for (size_t i = 0; rc == 0 && i < n_clerks; i++)
		rc = send_digest(s, &clerks[i]);
	free(clerks);
	if (rc == 0) {
		s->stats.items += s->digest.n;
		s->phase = PHASE_FINISH;
	}
	return rc;
}

/* A month before the calendar runs out, once: the admins are told to load
 * next year's. */
static int calendar_warning(struct remind_sweep *s)
{
	int64_t until = calendar_covered_until(&s->cal);
	struct store_remind_identity *admins = NULL;   /* owned here */
	size_t n_admins = 0, sent = 0, n = 1;
	char last[11], key[KEY_MAX];
	int rc = 0;

	if (until < 0 || s->o.today > until) {
		if (!dry(s))
			log_warn("reminders: the holiday calendar does not cover %s; working days are "
			         "Monday to Friday until a newer cn-workcalendar.csv is loaded",
			         s->today);
		return 0;
	}
	if (s->o.today < until - CALENDAR_WARN_DAYS)
		return 0;
	remind_day_str(until, last);
	struct remind_item it = {.rule = REMIND_CALENDAR, .record_id = until,
	                         .milestone = until - CALENDAR_WARN_DAYS};
	if ((rc = claim(s, &it, &n)) < 0 || n == 0)
		return rc;
	rc = store_remind_role_identities(s->st, "admin", &admins, &n_admins);
	for (size_t i = 0; rc == 0 && i < n_admins; i++) {
		struct dest d;
		struct reply r;
		int64_t id;

		if (remind_dest_for(&s->inst, &admins[i], &d) < 0 ||
		    !dest_key(key, "calendar:", last, &d))
			continue;
		reply_init(&r);
		rc = remind_text_calendar(until, &r);
		if (rc == 0)
			rc = deliver(s, &d, &r, key, &id);
		if (rc == 0)
			rc = link_all(s, &it, 1, id);
		reply_free(&r);
		sent++;
	}
	free(admins);
	if (rc == 0 && sent == 0 && !dry(s))
		log_warn("reminders: the holiday calendar ends on %s and no admin can be told in a "
		         "chat; load next year's cn-workcalendar.csv", last);
	return rc;
}

static int step_finish(struct remind_sweep *s)
{
	int rc = calendar_warning(s);

	if (rc == 0 && !dry(s))
		rc = store_remind_set_last_sweep(s->st, s->o.today, s->o.now);
	if (rc == 0)
		s->phase = PHASE_DONE;
	return rc;
}

int remind_sweep_step(struct remind_sweep *s, bool *done)
{
	int rc = dry(s) ? 0 : store_begin(s->st);

	if (rc < 0)
		return rc;
	switch (s->phase) {
	case PHASE_PERSONS: rc = step_persons(s); break;
	case PHASE_DIGEST: rc = step_digest(s); break;
	case PHASE_FINISH: rc = step_finish(s); break;
	case PHASE_DONE: break;
	}
	if (!dry(s))
		rc = store_end(s->st, rc);
	*done = rc == 0 && s->phase == PHASE_DONE;
	return rc;
}
