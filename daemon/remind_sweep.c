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

/* What a page knows of its persons, read for all of them at once. */
struct page_people {
	int64_t *ids;              /* distinct, ascending */
	unsigned *masks;           /* their muted categories */
	size_t *dest_at, *n_dests; /* where each one's destinations are in dests, how many */
	size_t n;
	struct dest *dests;        /* by person: those of their first MAX_DESTS identities */
};

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
	/* Read with the collect, for the persons' pages (page_people, read_known):
	 * the persons of `persons`, their mutes and destinations, and what their
	 * messages show of their records. */
	struct page_people people;
	struct store_remind_record *shown;
	struct remind_known known;
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

int remind_sweep_new(struct store *st, const struct remind_sweep_opts *o,
                     struct remind_sweep **out)
{
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
	if (rc < 0) {
		remind_sweep_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

void remind_sweep_stats(const struct remind_sweep *s, struct remind_sweep_stats *out)
{
	*out = s->stats;
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

/* Keeps, in place, the items of v[0..*n) (sorted) not recorded in the
 * ledger, each milestone once; *n becomes their number. A statement per
 * 32 items; their ledger rows are written with the messages
 * (store_remind_ledger_claim_many), in the same transaction. */
static int fresh_only(struct remind_sweep *s, struct remind_item *v, size_t *n)
{
	bool *claimed = *n ? malloc(*n * sizeof *claimed) : NULL;
	size_t kept = 0;
	int rc;

	if (*n && !claimed)
		return -ENOMEM;
	rc = store_remind_ledger_claimed_many(s->st, v, *n, claimed);
	for (size_t i = 0; rc == 0 && i < *n; i++) {
		const struct remind_item *last = kept ? &v[kept - 1] : NULL;

		if (claimed[i] || (last && last->rule == v[i].rule &&
		                   last->event_id == v[i].event_id &&
		                   last->record_id == v[i].record_id &&
		                   last->milestone == v[i].milestone))
			continue;
		v[kept++] = v[i];
	}
	free(claimed);
	if (rc == 0)
		*n = kept;
	return rc;
}

/* Reads the records of the items v[0..n) through st with fn (store_remind_records_many
 * for what the digests show in full, store_remind_records_shown for the
 * persons' messages): *out (caller frees), sorted by appointment id, as
 * *known shows them to the texts. */
static int read_known(struct store *st,
                      int (*fn)(struct store *, const struct remind_item *, size_t,
                                struct store_remind_record *, size_t *),
                      const struct remind_item *v, size_t n, struct store_remind_record **out,
                      struct remind_known *known)
{
	size_t n_recs = 0;
	int rc;

	*out = NULL;
	*known = (struct remind_known){0};
	if (n == 0)
		return 0;
	if (!(*out = malloc(n * sizeof **out)))
		return -ENOMEM;
	rc = fn(st, v, n, *out, &n_recs);
	if (rc < 0) {
		free(*out);
		*out = NULL;
		return rc;
	}
	*known = (struct remind_known){.v = *out, .n = n_recs};
	return 0;
}

static void page_people_free(struct page_people *pp)
{
	free(pp->ids);
	free(pp->masks);
	free(pp->dest_at);
	free(pp->n_dests);
	free(pp->dests);
}

/* Each person's destinations, from their cqo identities (sorted by
 * person, as pp->ids are). */
static int page_dests(struct remind_sweep *s, struct page_people *pp,
                      const struct store_remind_identity *idents, size_t n_idents)
{
	size_t i = 0, nd = 0;

	if (n_idents && !(pp->dests = malloc(n_idents * sizeof *pp->dests)))
		return -ENOMEM;
	for (size_t p = 0; p < pp->n; p++) {
		size_t seen = 0;

		pp->dest_at[p] = nd;
		while (i < n_idents && idents[i].person_id < pp->ids[p])
			i++;
		for (; i < n_idents && idents[i].person_id == pp->ids[p]; i++) {
			struct dest *d = &pp->dests[nd];

			if (seen++ < MAX_DESTS && remind_dest_for(&s->inst, &idents[i], d) == 0)
				nd++;
		}
		pp->n_dests[p] = nd - pp->dest_at[p];
	}
	return 0;
}

/* The persons of v[0..n) (sorted by person), their mutes and destinations,
 * read through st. */
static int page_people_read(struct remind_sweep *s, struct store *st, const struct remind_item *v,
                            size_t n, struct page_people *pp)
{
	struct store_remind_identity *idents = NULL;   /* owned here */
	size_t n_idents = 0;

	*pp = (struct page_people){0};
	pp->ids = n ? malloc(n * sizeof *pp->ids) : NULL;
	pp->masks = n ? malloc(n * sizeof *pp->masks) : NULL;
	pp->dest_at = n ? malloc(n * sizeof *pp->dest_at) : NULL;
	pp->n_dests = n ? malloc(n * sizeof *pp->n_dests) : NULL;
	if (n && (!pp->ids || !pp->masks || !pp->dest_at || !pp->n_dests))
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		if (i == 0 || v[i].person_id != v[i - 1].person_id)
			pp->ids[pp->n++] = v[i].person_id;
	int rc = store_remind_persons_mutes(st, pp->ids, pp->n, pp->masks);
	if (rc == 0)
		rc = store_remind_persons_identities(st, pp->ids, pp->n, &idents, &n_idents);
	if (rc == 0)
		rc = page_dests(s, pp, idents, n_idents);
	free(idents);
	return rc;
}

/* The collected persons from person_id on: a view of s->people (nothing
 * owned), as page_people_read reads a page's. */
static struct page_people people_from(const struct remind_sweep *s, int64_t person_id)
{
	const struct page_people *all = &s->people;
	size_t lo = 0, hi = all->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (all->ids[mid] < person_id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (struct page_people){.ids = all->ids + lo, .masks = all->masks + lo,
	                            .dest_at = all->dest_at + lo, .n_dests = all->n_dests + lo,
	                            .n = all->n - lo, .dests = all->dests};
}

void remind_sweep_free(struct remind_sweep *s)
{
	if (!s)
		return;
	calendar_free(&s->cal);
	remind_instances_free(&s->inst);
	remind_items_free(&s->persons);
	remind_items_free(&s->digest);
	page_people_free(&s->people);
	free(s->shown);
	free(s);
}

int remind_sweep_collect(struct remind_sweep *s, struct store *reader)
{
	struct remind_items all = {0};
	struct store_remind_span sp = span(s);
	int rc = store_remind_collect(reader, &sp, &all);

	for (size_t i = 0; rc == 0 && i < all.n; i++)
		rc = remind_items_push(remind_is_digest(all.v[i].rule) ? &s->digest : &s->persons,
		                       &all.v[i]);
	remind_items_free(&all);
	if (rc == 0) {
		remind_items_sort(&s->persons);
		rc = store_remind_hours_days(reader, s->o.from, s->o.to, s->hours, HOURS_DAYS_MAX,
		                             &s->n_hours);
	}
	if (rc == 0)
		rc = page_people_read(s, reader, s->persons.v, s->persons.n, &s->people);
	if (rc == 0)
		rc = read_known(reader, store_remind_records_shown, s->persons.v, s->persons.n,
		                &s->shown, &s->known);
	s->hours_left = s->n_hours > 0;
	return rc;
}

int remind_sweep_begin(struct store *st, const struct remind_sweep_opts *o,
                       struct remind_sweep **out)
{
	int rc = remind_sweep_new(st, o, out);

	if (rc == 0 && (rc = remind_sweep_collect(*out, st)) < 0) {
		remind_sweep_free(*out);
		*out = NULL;
	}
	return rc;
}

/* Keeps, in place, the items of v[0..*n) its persons did not mute and can
 * receive; those of persons without a chat identity go to the clerks'
 * digest when they need binding. */
static int keep_receivable(struct remind_sweep *s, const struct page_people *pp,
                           struct remind_item *v, size_t *n)
{
	size_t kept = 0, p = 0;
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < *n;) {
		size_t j = i + 1, from = kept;

		while (j < *n && v[j].person_id == v[i].person_id)
			j++;
		while (pp->ids[p] != v[i].person_id)
			p++;
		for (size_t k = i; k < j; k++) {
			int c = remind_category_index(remind_category(v[k].rule));
			if (c < 0 || !(pp->masks[p] & (1u << c)))
				v[kept++] = v[k];
		}
		if (kept > from && pp->n_dests[p] == 0) {
			for (size_t k = from; rc == 0 && k < kept; k++) {
				if (!remind_needs_binding(v[k].rule))
					continue;
				rc = remind_items_push(&s->digest, &v[k]);
				s->stats.unbound++;
			}
			kept = from;
		}
		i = j;
	}
	*n = kept;
	return rc;
}

/* One person's reminders v[0..n) of the day: one message to each of their
 * destinations dests[0..n_dests); outbox[0..n) get the first message's row. */
static int send_person(struct remind_sweep *s, const struct dest *dests, size_t n_dests,
                       const struct remind_known *known, const struct remind_item *v, size_t n,
                       int64_t *outbox)
{
	struct reply r;
	char key[KEY_MAX];
	int64_t first = 0, id;
	int rc;

	reply_init(&r);
	rc = remind_text_person(s->st, known, v, n, s->o.today, &r);
	for (size_t i = 0; rc == 0 && i < n_dests; i++) {
		if (!dest_key(key, "", s->today, &dests[i]))
			continue;
		rc = deliver(s, &dests[i], &r, key, &id);
		if (!first)
			first = id;
	}
	reply_free(&r);
	for (size_t i = 0; i < n; i++)
		outbox[i] = first;
	if (rc == 0)
		s->stats.items += n;
	return rc;
}

/* A page's persons (v sorted by person), set-based: their mutes and
 * identities and the names of the enterprises their messages show are
 * read for the whole page in one statement each, what the ledger holds 32
 * items to a statement; then each person's message is rendered and enqueued (one row
 * per identity), and the page's ledger rows are written, 32 to a
 * statement, pointing at those rows, in the same transaction: a milestone
 * is recorded exactly when its message is queued. */
static int send_page(struct remind_sweep *s, struct remind_item *v, size_t n, bool collected)
{
	struct page_people pp;
	struct store_remind_record *recs = NULL;   /* owned here */
	struct remind_known known = collected ? s->known : (struct remind_known){0};
	int64_t *outbox = NULL;
	int rc;

	if (n == 0)
		return 0;
	if (collected) {
		pp = people_from(s, v[0].person_id);
		rc = 0;
	} else {
		rc = page_people_read(s, s->st, v, n, &pp);
	}
	if (rc == 0)
		rc = keep_receivable(s, &pp, v, &n);
	if (rc == 0)
		rc = fresh_only(s, v, &n);
	if (rc == 0 && n && !collected)
		rc = read_known(s->st, store_remind_records_shown, v, n, &recs, &known);
	if (rc == 0 && n && !(outbox = calloc(n, sizeof *outbox)))
		rc = -ENOMEM;
	for (size_t i = 0, p = 0; rc == 0 && i < n;) {
		size_t j = i + 1;
		while (j < n && v[j].person_id == v[i].person_id)
			j++;
		while (pp.ids[p] != v[i].person_id)
			p++;
		rc = send_person(s, &pp.dests[pp.dest_at[p]], pp.n_dests[p], &known, &v[i], j - i,
		                 &outbox[i]);
		i = j;
	}
	if (rc == 0 && !dry(s))
		rc = store_remind_ledger_claim_many(s->st, v, n, outbox, s->o.now);
	free(outbox);
	free(recs);
	if (!collected)
		page_people_free(&pp);
	return rc;
}

/* The page of the persons step: the next annual-hours page (on those
 * days) and the dated reminders of the persons it covers, read now, or
 * the next batch of the persons collected (*collected). */
static int next_page(struct remind_sweep *s, struct remind_items *page, bool *collected)
{
	int64_t upto = INT64_MAX;
	int rc = 0;

	*collected = !s->hours_left;
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
	bool collected;
	int rc = next_page(s, &page, &collected);

	if (rc == 0)
		rc = send_page(s, page.v, page.n, collected);
	remind_items_free(&page);
	if (rc == 0 && !s->hours_left && s->pos >= s->persons.n)
		s->phase = PHASE_DIGEST;
	return rc;
}

/* One clerk's digest of the lines in their scope (s->digest is sorted, so
 * theirs are too); first[i] gets the digest's row for a digest line
 * s->digest.v[i] that no earlier digest holds. */
static int send_digest(struct remind_sweep *s, const struct store_remind_identity *clerk,
                       const struct remind_known *known, int64_t *first)
{
	struct remind_items mine = {0};
	size_t *from = NULL;   /* the position in s->digest of each of mine */
	struct dest d;
	struct reply r;
	char key[KEY_MAX];
	size_t lines = 0;
	int64_t id = 0;
	int rc = 0;

	if (remind_dest_for(&s->inst, clerk, &d) < 0 || !clerk->scope[0] || s->digest.n == 0)
		return 0;
	if (!(from = malloc(s->digest.n * sizeof *from)))
		return -ENOMEM;
	for (size_t i = 0; rc == 0 && i < s->digest.n; i++) {
		if (!store_region_in_scope(s->digest.v[i].region, clerk->scope))
			continue;
		from[mine.n] = i;
		rc = remind_items_push(&mine, &s->digest.v[i]);
	}
	if (rc == 0 && mine.n) {
		reply_init(&r);
		rc = remind_text_digest(s->st, known, mine.v, mine.n, s->o.today, &r, &lines);
		if (rc == 0 && lines && dest_key(key, "digest:", s->today, &d))
			rc = deliver(s, &d, &r, key, &id);
		reply_free(&r);
		/* A reminder the person could not receive keeps no outbox row:
		 * it was not delivered to them. */
		for (size_t i = 0; rc == 0 && lines && i < mine.n; i++)
			if (remind_is_digest(mine.v[i].rule) && !first[from[i]])
				first[from[i]] = id;
		if (rc == 0 && lines)
			s->stats.digests++;
	}
	free(from);
	remind_items_free(&mine);
	return rc;
}

/* The digest lines and the undelivered reminders, each claimed once in
 * the ledger with the first digest that lists it. */
static int step_digest(struct remind_sweep *s)
{
	struct store_remind_identity *clerks = NULL;   /* owned here */
	struct store_remind_record *recs = NULL;       /* owned here */
	struct remind_known known = {0};
	int64_t *first = NULL;
	size_t n_clerks = 0;
	int rc;

	remind_items_sort(&s->digest);
	rc = fresh_only(s, s->digest.v, &s->digest.n);
	if (rc == 0 && s->digest.n) {
		rc = store_remind_role_identities(s->st, "clerk", &clerks, &n_clerks);
		if (rc == 0)
			rc = read_known(s->st, store_remind_records_many, s->digest.v, s->digest.n, &recs,
			                &known);
		if (rc == 0 && !(first = calloc(s->digest.n, sizeof *first)))
			rc = -ENOMEM;
	}
	for (size_t i = 0; rc == 0 && i < n_clerks; i++)
		rc = send_digest(s, &clerks[i], &known, first);
	if (rc == 0 && !dry(s))
		rc = store_remind_ledger_claim_many(s->st, s->digest.v, s->digest.n, first, s->o.now);
	free(first);
	free(recs);
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
	int64_t first = 0;
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
	if ((rc = fresh_only(s, &it, &n)) < 0 || n == 0)
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
		if (rc == 0 && !first)
			first = id;
		reply_free(&r);
		sent++;
	}
	free(admins);
	if (rc == 0 && !dry(s))
		rc = store_remind_ledger_claim_many(s->st, &it, 1, &first, s->o.now);
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

/* Whether the phase is small enough to run in the transaction of the step
 * that ended the phase before it (one disk flush less): the finish, and
 * digests with nothing to list. */
static bool light(const struct remind_sweep *s)
{
	return s->phase == PHASE_FINISH || (s->phase == PHASE_DIGEST && s->digest.n == 0);
}

int remind_sweep_step(struct remind_sweep *s, bool *done)
{
	int rc = dry(s) ? 0 : store_begin(s->st);

	if (rc < 0)
		return rc;
	for (bool first = true; rc == 0 && (first || light(s)); first = false) {
		switch (s->phase) {
		case PHASE_PERSONS: rc = step_persons(s); break;
		case PHASE_DIGEST: rc = step_digest(s); break;
		case PHASE_FINISH: rc = step_finish(s); break;
		case PHASE_DONE: break;
		}
	}
	if (!dry(s))
		rc = store_end(s->st, rc);
	*done = rc == 0 && s->phase == PHASE_DONE;
	return rc;
}
