/*
 * The reminder sweep's queries for due milestones; see store_remind.h.
 *
 * Each rule turns the window [from, to] of milestone days into a range of
 * its due date and reads it through an index (migration 11): the term
 * milestones term_end - N through appointments_active_term_end, which
 * holds all they read of a record (migration 31: no row of a due record
 * is read), training through appointments_active_filed, summonses,
 * rectifications, unacknowledged sanctions and 建议解聘 not yet sent to
 * the enterprise through the partial indexes on sanctions (migrations 11
 * and 23), events through events_status_starts. Lapsed terms and
 * unacknowledged sanctions are read whole: each of them is due (weekly)
 * until it is dealt with.
 *
 * Policies (most specific region row first, built-in defaults last) are
 * joined in SQL so that no query per row is needed.
 */
#include "store_remind.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/calendar.h"
#include "../lib/clock.h"
#include "store_internal.h"
#include "store_policy.h"

#define MAX_OFFSETS 32
#define TRAINING_CQO_DAYS 30
#define TRAINING_DIGEST_DAYS 60
#define DIGEST_TERM_DAYS 30

#define POLICY_JOINS \
	" LEFT JOIN policies p6 ON p6.region_code = e.region_code" \
	" LEFT JOIN policies p4 ON p4.region_code = substr(e.region_code, 1, 4)" \
	" LEFT JOIN policies p2 ON p2.region_code = substr(e.region_code, 1, 2)"
#define POLICY(col) "coalesce(p6." col ", p4." col ", p2." col ")"

static const char OFFSETS_SQL[] = "SELECT DISTINCT remind_term_days FROM policies";

/* ?1..?2: term_end range; ?3: the built-in remind_term_days. */
static const char TERM_SQL[] =
	"SELECT a.id, a.person_id, a.term_end, e.region_code,"
	" coalesce(" POLICY("remind_term_days") ", ?3), a.enterprise_id"
	" FROM appointments a JOIN enterprises e ON e.id = a.enterprise_id" POLICY_JOINS
	" WHERE a.status = 'active' AND a.term_end BETWEEN ?1 AND ?2";

/* ?1: the latest term end with a weekly milestone in the window. A
 * milestone after the term end acknowledged by the CQO (or a clerk) stops
 * that side's notices until the term changes. */
static const char OVERDUE_SQL[] =
	"SELECT a.id, a.person_id, a.term_end, e.region_code,"
	" EXISTS (SELECT 1 FROM reminder_ledger l WHERE l.rule = 'term_overdue'"
	"  AND l.record_id = a.id AND l.milestone_date > a.term_end"
	"  AND l.acknowledged_at IS NOT NULL),"
	" EXISTS (SELECT 1 FROM reminder_ledger l WHERE l.rule = 'digest_overdue'"
	"  AND l.record_id = a.id AND l.milestone_date > a.term_end"
	"  AND l.acknowledged_at IS NOT NULL), a.enterprise_id"
	" FROM appointments a JOIN enterprises e ON e.id = a.enterprise_id"
	" WHERE a.status = 'active' AND a.term_end <= ?1";

/* ?1..?2: filed_at range; ?3: the built-in require_appointment_training. */
static const char TRAINING_SQL[] =
	"SELECT a.id, a.person_id, a.filed_at, e.region_code, a.enterprise_id"
	" FROM appointments a JOIN enterprises e ON e.id = a.enterprise_id" POLICY_JOINS
	" WHERE a.status = 'active' AND a.filed_at >= ?1 AND a.filed_at < ?2"
	" AND coalesce(" POLICY("require_appointment_training") ", ?3) = 1"
	" AND NOT EXISTS (SELECT 1 FROM trainings t WHERE t.person_id = a.person_id"
	"  AND t.kind = '任职培训')";

/* Column 5 of each: the record's enterprise. */
#define SANCTION_FROM \
	", a.enterprise_id FROM sanctions s JOIN appointments a ON a.id = s.appointment_id" \
	" JOIN enterprises e ON e.id = a.enterprise_id"

static const char SUMMONS_SQL[] =
	"SELECT s.id, a.id, a.person_id, e.region_code, s.scheduled_at" SANCTION_FROM
	" WHERE s.status = 'open' AND s.scheduled_at IS NOT NULL"
	" AND s.scheduled_at >= ?1 AND s.scheduled_at < ?2";

static const char RECTIFY_SQL[] =
	"SELECT s.id, a.id, a.person_id, e.region_code, s.rectify_by" SANCTION_FROM
	" WHERE s.status = 'open' AND s.rectify_by IS NOT NULL"
	" AND s.rectify_by BETWEEN ?1 AND ?2";

static const char UNACKED_SQL[] =
	"SELECT s.id, a.id, a.person_id, e.region_code, s.issued_on" SANCTION_FROM
	" WHERE s.status = 'open' AND s.acknowledged_at IS NULL AND s.issued_on <= ?1"
	" AND NOT EXISTS (SELECT 1 FROM reminder_ledger l WHERE l.rule = 'digest_sanction'"
	"  AND l.record_id = s.id AND l.acknowledged_at IS NOT NULL)";

/* A 建议解聘 stands in the digest until its enterprise's contacts were sent
 * it (store_remind_enterprise_pending), or the appointment it advised to
 * end is over. */
static const char UNDELIVERED_SQL[] =
	"SELECT s.id, a.id, a.person_id, e.region_code, s.issued_on" SANCTION_FROM
	" WHERE s.status = 'open' AND s.kind = '建议解聘' AND s.issued_on <= ?1"
	" AND a.status = 'active'"
	" AND NOT EXISTS (SELECT 1 FROM reminder_ledger l WHERE l.rule = 'sanction_enterprise'"
	"  AND l.record_id = s.id)";

static const char EVENTS_SQL[] =
	"SELECT ev.id, sg.person_id, ev.starts_at"
	" FROM events ev JOIN signups sg ON sg.event_id = ev.id"
	" WHERE ev.status = 'published' AND ev.starts_at >= ?1 AND ev.starts_at < ?2"
	" AND sg.status = 'confirmed'";

/* ?1: the person the page starts after; ?2: how many active records. */
static const char HOURS_BOUND_SQL[] =
	"SELECT person_id FROM appointments WHERE status = 'active' AND person_id > ?1"
	" ORDER BY person_id LIMIT 1 OFFSET ?2";

/* The reminder days of every policy that sets a quota. */
static const char HOURS_DATES_SQL[] =
	"SELECT DISTINCT hours_remind_dates FROM policies WHERE annual_hours > 0";

/* ?1 < person <= ?2; ?3: the built-in annual_hours; ?4..?5: the year; ?6,
 * ?7, ?8: the built-in kinds, pro rata and days; ?9: the milestone's
 * "MM-DD". Only CQOs whose policy sets a quota and names that day. */
#define POLICY_OR(col, def) "coalesce(" POLICY(col) ", " def ")"
#define IN_LIST(list, item) "instr(',' || " list " || ',', ',' || " item " || ',') > 0"
static const char HOURS_SQL[] =
	"SELECT a.person_id, a.id, e.region_code, " POLICY_OR("annual_hours", "?3") ","
	" coalesce((SELECT sum(t.hours) FROM trainings t WHERE t.person_id = a.person_id"
	"  AND t.date BETWEEN ?4 AND ?5 AND " IN_LIST(POLICY_OR("hours_kinds", "?6"), "t.kind")
	"), 0), " POLICY_OR("hours_prorate", "?7") ", a.start_date"
	" FROM appointments a JOIN enterprises e ON e.id = a.enterprise_id" POLICY_JOINS
	" WHERE a.status = 'active' AND a.person_id > ?1 AND a.person_id <= ?2"
	" AND " POLICY_OR("annual_hours", "?3") " > 0"
	" AND " IN_LIST(POLICY_OR("hours_remind_dates", "?8"), "?9")
	" ORDER BY a.person_id, a.id";

/* Binds day number `day` as "YYYY-MM-DD" (copied by SQLite). */
static int bind_day(sqlite3_stmt *s, int idx, int64_t day)
{
	char date[11];

	remind_day_str(day, date);
	return sqlite3_bind_text(s, idx, date, -1, SQLITE_TRANSIENT);
}

/* A date column as a day number; -1 when it is not a date. */
static int64_t col_day(sqlite3_stmt *s, int col)
{
	char date[11];
	int64_t day;

	store_col_text(s, col, date, sizeof date);
	return clock_parse_date(date, &day) == 0 ? day : -1;
}

/* Adds `it` with its due day when its milestone lies in the window. */
static int add(const struct store_remind_span *sp, struct remind_item *it,
               struct remind_items *out)
{
	if (it->milestone < sp->from || it->milestone > sp->to)
		return 0;
	it->due = remind_due_day(sp->cal, it->milestone);
	return remind_items_push(out, it);
}

/* Steps a bound statement, calling row() for each row; resets it. */
static int each_row(struct store *st, sqlite3_stmt *s, const char *what,
                    int (*row)(sqlite3_stmt *s, const struct store_remind_span *sp,
                               const void *arg, struct remind_items *out),
                    const struct store_remind_span *sp, const void *arg,
                    struct remind_items *out)
{
	int rc, err = 0;

	while (!err && (rc = sqlite3_step(s)) == SQLITE_ROW)
		err = row(s, sp, arg, out);
	store_stmt_done(s);
	if (err)
		return err;
	return rc == SQLITE_DONE ? 0 : store_fail(st, what, rc);
}

/* The offsets (days before a term ends) any policy or the defaults use. */
static int all_offsets(struct store *st, const char *defaults, int *out, int *n)
{
	sqlite3_stmt *s = store_prepare(st, OFFSETS_SQL);
	int parsed[MAX_OFFSETS], rc;

	*n = remind_offsets_parse(defaults, out, MAX_OFFSETS);
	if (*n < 0)
		*n = 0;
	if (!s)
		return -EIO;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int k = remind_offsets_parse((const char *)sqlite3_column_text(s, 0), parsed,
		                             MAX_OFFSETS);
		for (int i = 0; i < k; i++) {
			bool seen = false;
			for (int j = 0; j < *n && !seen; j++)
				seen = out[j] == parsed[i];
			if (!seen && *n < MAX_OFFSETS)
				out[(*n)++] = parsed[i];
		}
	}
	store_stmt_done(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, "remind offsets", rc);
}

static int term_row(sqlite3_stmt *s, const struct store_remind_span *sp, const void *arg,
                    struct remind_items *out)
{
	int offset = *(const int *)arg, offsets[MAX_OFFSETS];
	int n = remind_offsets_parse((const char *)sqlite3_column_text(s, 4), offsets,
	                             MAX_OFFSETS);
	bool applies = false;
	int rc;

	for (int i = 0; i < n && !applies; i++)
		applies = offsets[i] == offset;
	if (!applies)
		return 0;
	struct remind_item it = {
		.rule = REMIND_TERM,
		.record_id = sqlite3_column_int64(s, 0),
		.person_id = sqlite3_column_int64(s, 1),
		.appointment_id = sqlite3_column_int64(s, 0),
		.enterprise_id = sqlite3_column_int64(s, 5),
		.at = col_day(s, 2),
		.days = offset,
	};
	store_col_text(s, 3, it.region, sizeof it.region);
	it.milestone = it.at - offset;
	rc = add(sp, &it, out);
	if (rc == 0 && offset <= DIGEST_TERM_DAYS) {
		it.rule = REMIND_DIGEST_TERM;
		rc = add(sp, &it, out);
	}
	return rc;
}

static int collect_terms(struct store *st, const struct store_remind_span *sp,
                         const struct store_policy *def, struct remind_items *out)
{
	int offsets[MAX_OFFSETS], n = 0;
	int rc = all_offsets(st, def->remind_term_days, offsets, &n);

	for (int i = 0; rc == 0 && i < n; i++) {
		sqlite3_stmt *s = store_prepare(st, TERM_SQL);
		if (!s)
			return -EIO;
		bind_day(s, 1, sp->from + offsets[i]);
		bind_day(s, 2, sp->to + offsets[i]);
		store_bind_text(s, 3, def->remind_term_days);
		rc = each_row(st, s, "remind terms", term_row, sp, &offsets[i], out);
	}
	return rc;
}

static int overdue_row(sqlite3_stmt *s, const struct store_remind_span *sp, const void *arg,
                       struct remind_items *out)
{
	struct remind_item it = {
		.record_id = sqlite3_column_int64(s, 0),
		.person_id = sqlite3_column_int64(s, 1),
		.appointment_id = sqlite3_column_int64(s, 0),
		.enterprise_id = sqlite3_column_int64(s, 6),
		.at = col_day(s, 2),
	};
	bool acked[2] = {sqlite3_column_int(s, 4) != 0, sqlite3_column_int(s, 5) != 0};
	static const enum remind_rule rule[2] = {REMIND_OVERDUE, REMIND_DIGEST_OVERDUE};
	int rc = 0;

	(void)arg;
	store_col_text(s, 3, it.region, sizeof it.region);
	for (int64_t m = remind_first_weekly(it.at, sp->from); rc == 0 && m <= sp->to; m += 7) {
		it.milestone = m;
		it.days = (int)(m - it.at);
		for (int i = 0; rc == 0 && i < 2; i++) {
			it.rule = rule[i];
			if (!acked[i])
				rc = add(sp, &it, out);
		}
	}
	return rc;
}

static int collect_overdue(struct store *st, const struct store_remind_span *sp,
                           struct remind_items *out)
{
	sqlite3_stmt *s = store_prepare(st, OVERDUE_SQL);

	if (!s)
		return -EIO;
	bind_day(s, 1, sp->to - 7);
	return each_row(st, s, "remind overdue", overdue_row, sp, NULL, out);
}

static int training_row(sqlite3_stmt *s, const struct store_remind_span *sp, const void *arg,
                        struct remind_items *out)
{
	int days = *(const int *)arg;
	struct remind_item it = {
		.rule = days == TRAINING_CQO_DAYS ? REMIND_TRAINING : REMIND_DIGEST_TRAINING,
		.record_id = sqlite3_column_int64(s, 0),
		.person_id = sqlite3_column_int64(s, 1),
		.appointment_id = sqlite3_column_int64(s, 0),
		.enterprise_id = sqlite3_column_int64(s, 4),
		.at = clock_cst_day(sqlite3_column_int64(s, 2)),
		.days = days,
	};

	store_col_text(s, 3, it.region, sizeof it.region);
	it.milestone = it.at + days;
	return add(sp, &it, out);
}

static int collect_training(struct store *st, const struct store_remind_span *sp,
                            const struct store_policy *def, struct remind_items *out)
{
	static const int days[] = {TRAINING_CQO_DAYS, TRAINING_DIGEST_DAYS};
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < sizeof days / sizeof days[0]; i++) {
		sqlite3_stmt *s = store_prepare(st, TRAINING_SQL);
		if (!s)
			return -EIO;
		sqlite3_bind_int64(s, 1, remind_day_start(sp->from - days[i]));
		sqlite3_bind_int64(s, 2, remind_day_start(sp->to - days[i] + 1));
		sqlite3_bind_int(s, 3, def->require_appointment_training);
		rc = each_row(st, s, "remind training", training_row, sp, &days[i], out);
	}
	return rc;
}

/* The common columns of the sanction queries: sanction, record, person,
 * region, and the record's enterprise. */
static void sanction_item(sqlite3_stmt *s, enum remind_rule rule, struct remind_item *it)
{
	*it = (struct remind_item){
		.rule = rule,
		.record_id = sqlite3_column_int64(s, 0),
		.appointment_id = sqlite3_column_int64(s, 1),
		.person_id = sqlite3_column_int64(s, 2),
		.enterprise_id = sqlite3_column_int64(s, 5),
	};
	store_col_text(s, 3, it->region, sizeof it->region);
}

/* The day before a summons and the day itself; none once it has begun. */
static int summons_row(sqlite3_stmt *s, const struct store_remind_span *sp, const void *arg,
                       struct remind_items *out)
{
	struct remind_item it;
	int rc = 0;

	(void)arg;
	sanction_item(s, REMIND_SUMMONS, &it);
	it.at = sqlite3_column_int64(s, 4);
	if (it.at <= sp->now)
		return 0;
	for (int before = 1; rc == 0 && before >= 0; before--) {
		it.milestone = clock_cst_day(it.at) - before;
		rc = add(sp, &it, out);
	}
	return rc;
}

/* The day before a rectification deadline; none once it has passed. */
static int rectify_row(sqlite3_stmt *s, const struct store_remind_span *sp, const void *arg,
                       struct remind_items *out)
{
	struct remind_item it;

	(void)arg;
	sanction_item(s, REMIND_RECTIFY, &it);
	it.at = col_day(s, 4);
	if (it.at < clock_cst_day(sp->now))
		return 0;
	it.milestone = it.at - 1;
	return add(sp, &it, out);
}

/* A day after issuance, then weekly, while nobody has acknowledged it (arg
 * NULL), or while the enterprise has not been sent it (arg: its rule). */
static int unacked_row(sqlite3_stmt *s, const struct store_remind_span *sp, const void *arg,
                       struct remind_items *out)
{
	const enum remind_rule *rule = arg;
	struct remind_item it;
	int rc = 0;

	sanction_item(s, rule ? *rule : REMIND_DIGEST_SANCTION, &it);
	it.at = col_day(s, 4);
	for (int64_t m = remind_first_weekly(it.at - 6, sp->from); rc == 0 && m <= sp->to; m += 7) {
		it.milestone = m;
		it.days = (int)(m - it.at);
		rc = add(sp, &it, out);
	}
	return rc;
}

static int collect_sanctions(struct store *st, const struct store_remind_span *sp,
                             struct remind_items *out)
{
	sqlite3_stmt *s = store_prepare(st, SUMMONS_SQL);
	int rc;

	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, remind_day_start(sp->from));
	sqlite3_bind_int64(s, 2, remind_day_start(sp->to + 2));
	rc = each_row(st, s, "remind summons", summons_row, sp, NULL, out);
	if (rc == 0 && !(s = store_prepare(st, RECTIFY_SQL)))
		rc = -EIO;
	if (rc == 0) {
		bind_day(s, 1, sp->from + 1);
		bind_day(s, 2, sp->to + 1);
		rc = each_row(st, s, "remind rectify", rectify_row, sp, NULL, out);
	}
	if (rc == 0 && !(s = store_prepare(st, UNACKED_SQL)))
		rc = -EIO;
	if (rc == 0) {
		bind_day(s, 1, sp->to - 1);
		rc = each_row(st, s, "remind unacknowledged", unacked_row, sp, NULL, out);
	}
	if (rc == 0 && !(s = store_prepare(st, UNDELIVERED_SQL)))
		rc = -EIO;
	if (rc == 0) {
		static const enum remind_rule undelivered = REMIND_DIGEST_ENTERPRISE;

		bind_day(s, 1, sp->to - 1);
		rc = each_row(st, s, "remind undelivered", unacked_row, sp, &undelivered, out);
	}
	return rc;
}

/* The day before an event, to each person signed up; none once it began. */
static int event_row(sqlite3_stmt *s, const struct store_remind_span *sp, const void *arg,
                     struct remind_items *out)
{
	struct remind_item it = {
		.rule = REMIND_EVENT,
		.event_id = sqlite3_column_int64(s, 0),
		.person_id = sqlite3_column_int64(s, 1),
		.at = sqlite3_column_int64(s, 2),
	};

	(void)arg;
	if (it.at <= sp->now)
		return 0;
	it.record_id = it.person_id;
	it.milestone = clock_cst_day(it.at) - 1;
	return add(sp, &it, out);
}

static int collect_events(struct store *st, const struct store_remind_span *sp,
                          struct remind_items *out)
{
	sqlite3_stmt *s = store_prepare(st, EVENTS_SQL);

	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, remind_day_start(sp->from + 1));
	sqlite3_bind_int64(s, 2, remind_day_start(sp->to + 2));
	return each_row(st, s, "remind events", event_row, sp, NULL, out);
}

int store_remind_collect(struct store *st, const struct store_remind_span *sp,
                         struct remind_items *out)
{
	struct store_policy def;
	/* No region matches "": the built-in defaults. */
	int rc = store_policy_for_region(st, "", &def);

	if (rc == 0)
		rc = collect_terms(st, sp, &def, out);
	if (rc == 0)
		rc = collect_overdue(st, sp, out);
	if (rc == 0)
		rc = collect_training(st, sp, &def, out);
	if (rc == 0)
		rc = collect_sanctions(st, sp, out);
	if (rc == 0)
		rc = collect_events(st, sp, out);
	return rc;
}

/* The last person of the page after `after`; -1 when fewer remain. */
static int page_bound(struct store *st, int64_t after, int limit, int64_t *bound)
{
	sqlite3_stmt *s = store_prepare(st, HOURS_BOUND_SQL);
	int rc;

	*bound = -1;
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, after);
	sqlite3_bind_int(s, 2, limit - 1);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*bound = sqlite3_column_int64(s, 0);
	store_stmt_done(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_fail(st, "remind hours page", rc);
}

struct hours_arg {
	int64_t milestone;
	int year;
	int64_t last_person;
};

static int hours_row(sqlite3_stmt *s, const struct store_remind_span *sp, const void *arg,
                     struct remind_items *out)
{
	struct hours_arg *h = (struct hours_arg *)arg;
	struct remind_item it = {
		.rule = REMIND_HOURS,
		.person_id = sqlite3_column_int64(s, 0),
		.appointment_id = sqlite3_column_int64(s, 1),
		.milestone = h->milestone,
		.done = sqlite3_column_double(s, 4),
	};
	int64_t start = 0;
	bool prorate = sqlite3_column_int(s, 5) != 0 &&
	               clock_parse_date((const char *)sqlite3_column_text(s, 6), &start) == 0;

	it.required = remind_hours_required(sqlite3_column_double(s, 3), prorate, start, h->year);
	/* Hours belong to the person: one item even with two records. Sums of
	 * tenths are not exact in binary: allow for the rounding. */
	if (it.person_id == h->last_person || it.done + 1e-6 >= it.required)
		return 0;
	h->last_person = it.person_id;
	it.record_id = it.person_id;
	it.at = it.milestone;
	store_col_text(s, 2, it.region, sizeof it.region);
	return add(sp, &it, out);
}

int store_remind_hours_page(struct store *st, const struct store_remind_span *sp,
                            int64_t milestone, int64_t after, int limit,
                            struct remind_items *out, int64_t *next)
{
	struct store_policy def;
	struct hours_arg h = {.milestone = milestone, .last_person = -1};
	char first[16], last[16], month_day[11];
	int64_t bound;
	int rc = store_policy_for_region(st, "", &def);

	*next = -1;
	if (rc == 0)
		rc = page_bound(st, after, limit > 0 ? limit : 1, &bound);
	if (rc)
		return rc;
	sqlite3_stmt *s = store_prepare(st, HOURS_SQL);
	if (!s)
		return -EIO;
	int year = clock_cst_year(milestone * 86400);
	h.year = year;
	remind_day_str(milestone, month_day);
	snprintf(first, sizeof first, "%04d-01-01", year);
	snprintf(last, sizeof last, "%04d-12-31", year);
	sqlite3_bind_int64(s, 1, after);
	sqlite3_bind_int64(s, 2, bound < 0 ? INT64_MAX : bound);
	sqlite3_bind_double(s, 3, def.annual_hours);
	store_bind_text(s, 4, first);
	store_bind_text(s, 5, last);
	store_bind_text(s, 6, def.hours_kinds);
	sqlite3_bind_int(s, 7, def.hours_prorate);
	store_bind_text(s, 8, def.hours_remind);
	store_bind_text(s, 9, month_day + 5);
	rc = each_row(st, s, "remind hours", hours_row, sp, &h, out);
	if (rc == 0)
		*next = bound;
	return rc;
}

static int cmp_day(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

int store_remind_hours_days(struct store *st, int64_t from, int64_t to, int64_t *out,
                            size_t max, size_t *n)
{
	sqlite3_stmt *s = store_prepare(st, HOURS_DATES_SQL);
	int rc;

	*n = 0;
	if (!s)
		return -EIO;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		char dates[96];
		int64_t days[2 * REMIND_HOURS_DATES_MAX];

		store_col_text(s, 0, dates, sizeof dates);
		size_t k = remind_hours_milestones(dates, from, to, days,
		                                   sizeof days / sizeof days[0]);
		for (size_t i = 0; i < k; i++) {
			size_t j = 0;
			while (j < *n && out[j] != days[i])
				j++;
			if (j == *n && *n < max)
				out[(*n)++] = days[i];
		}
	}
	store_stmt_done(s);
	qsort(out, *n, sizeof *out, cmp_day);
	return rc == SQLITE_DONE ? 0 : store_fail(st, "remind hours days", rc);
}
