/*
 * Reminders: the rules that turn the registry's dates into messages, as pure
 * functions over day numbers (clock.h) and the working-day calendar.
 *
 * A rule fires at a milestone: a day (term end minus 90, 30, 7 and 0 days,
 * filing plus 30 days, the day before a summons, ...). A milestone is sent
 * on the last working day on or before it (one falling on a holiday goes out
 * the working day before), so the sweep on working day D covers every
 * milestone from D up to the day before the next working day. After
 * downtime the first sweep covers, once, everything since the last sweep's
 * window (within catch_up_days), and what it sends late says so.
 *
 * Each milestone is recorded in the reminder ledger under (rule, record,
 * milestone date) in the same transaction as its outbox row, so it is sent
 * once whatever restarts happen (daemon/remind_sweep.c).
 */
#ifndef CQOD_REMIND_H
#define CQOD_REMIND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct calendar;

enum remind_rule {
	REMIND_TERM = 0,        /* the term ends in N days (policy's remind_term_days) */
	REMIND_OVERDUE,         /* the term lapsed, no renewal or successor: weekly */
	REMIND_TRAINING,        /* no appointment training 30 days after filing */
	REMIND_HOURS,           /* annual hours short on the policy's days */
	REMIND_SANCTION,        /* a sanction, on issuance (handlers/sanction_notice.c) */
	REMIND_SUMMONS,         /* 约谈: the day before and the day itself */
	REMIND_RECTIFY,         /* a rectification deadline: the day before */
	REMIND_EVENT,           /* an alliance event: the day before, to those signed up */
	REMIND_SANCTION_ENTERPRISE, /* a 建议解聘, to the enterprise's contacts: on issuance,
	                             * or when the first contact binds */
	/* Lines of a clerk's digest (one message per clerk per working day). */
	REMIND_DIGEST_TERM,     /* a term ends within 30 days */
	REMIND_DIGEST_OVERDUE,  /* a term lapsed: weekly */
	REMIND_DIGEST_TRAINING, /* no appointment training 60 days after filing */
	REMIND_DIGEST_SANCTION, /* a sanction not yet acknowledged: a day after, then weekly */
	REMIND_DIGEST_ENTERPRISE, /* a 建议解聘 not yet delivered to the enterprise (no
	                           * contact bound): a day after, then weekly */
	REMIND_CALENDAR,        /* to the admins: the holiday calendar runs out */
	REMIND_N_RULES
};

/* One milestone due. */
struct remind_item {
	enum remind_rule rule;
	int64_t record_id;       /* the ledger's record: appointment (term, overdue, training
	                          * and their digest lines), person (hours, event), sanction
	                          * (sanction, summons, rectify, digest, enterprise), the
	                          * calendar's last day (calendar) */
	int64_t event_id;        /* REMIND_EVENT: the event; else 0 */
	int64_t person_id;       /* whom it concerns; 0 for the calendar */
	int64_t appointment_id;  /* the registry record (记录号) it is about; 0 if none */
	int64_t enterprise_id;   /* that record's enterprise, whose name a person's message
	                          * shows; 0 when the message shows none */
	int64_t milestone;       /* day number */
	int64_t due;             /* the working day it is sent on; before today: late */
	int64_t at;              /* term end, deadline or event day (day number), or the
	                          * summons' unix time */
	double done, required;   /* REMIND_HOURS: hours this year and the policy's */
	int days;                /* REMIND_TERM: days before the end; REMIND_OVERDUE: days
	                          * since it; REMIND_TRAINING: days since filing */
	char region[8];          /* the record's region, for the clerks' scope */
	int64_t ledger_id;       /* its reminder_ledger row once claimed, else 0 */
};

/* A growing list of items; owned, freed with remind_items_free. */
struct remind_items {
	struct remind_item *v;
	size_t n, cap;
};

/* Appends a copy of *it. 0 or -ENOMEM. */
int remind_items_push(struct remind_items *l, const struct remind_item *it);
void remind_items_free(struct remind_items *l);
/* Orders by person, then rule, record and milestone: a person's items
 * become adjacent, and one rule's milestones of one record too. */
void remind_items_sort(struct remind_items *l);

/* The ledger's name of a rule ("term", "digest_overdue", ...); events are
 * keyed per event: remind_ledger_rule() gives "event:<id>". */
const char *remind_rule_name(enum remind_rule rule);
/* The ledger rule of an item into buf[32]. */
void remind_ledger_rule(const struct remind_item *it, char buf[32]);
/* The category a person may mute ("term", "training", "hours", "event"),
 * or NULL: sanctions, digests and the calendar cannot be muted. */
const char *remind_category(enum remind_rule rule);
/* The categories a person may mute, in mask bit order: "term",
 * "training", "hours", "event". */
#define REMIND_N_CATEGORIES 4
extern const char *const remind_mute_categories[REMIND_N_CATEGORIES];
/* The index of a category name, or -1. */
int remind_category_index(const char *category);

/* Whether a rule goes to the clerks' digest rather than to a person. */
bool remind_is_digest(enum remind_rule rule);
/* Whether a person's reminder that cannot be delivered (no chat identity)
 * goes to the clerks' digest instead ("未绑定，无法提醒"). */
bool remind_needs_binding(enum remind_rule rule);

/* The milestone days the sweep on working day `today` covers, [*from,
 * *to]: from the day after the last sweep's window (last < 0: never swept:
 * from today), at most catch_up_days back, to the day before the next
 * working day. false when there is nothing to cover (already swept). */
bool remind_window(const struct calendar *c, int64_t today, int64_t last,
                   unsigned catch_up_days, int64_t *from, int64_t *to);

/* The working day a milestone is sent on. */
int64_t remind_due_day(const struct calendar *c, int64_t milestone);

/* Parses a policy's "90,30,7,0" into out[max] (each 0..3650, no repeats);
 * the count, or -EINVAL. */
int remind_offsets_parse(const char *s, int *out, int max);

/* The annual-hours reminder days of a policy: "MM-DD" dates separated by
 * commas, at most REMIND_HOURS_DATES_MAX, none repeated. */
#define REMIND_HOURS_DATES "09-01,11-01,12-01"
#define REMIND_HOURS_DATES_MAX 12
/* 0 when `dates` is such a list, else -EINVAL. */
int remind_hours_dates_valid(const char *dates);
/* The milestones of `dates` in [from, to], into out[max], in the order of
 * the list (then by year); the count, 0 for an invalid list. */
size_t remind_hours_milestones(const char *dates, int64_t from, int64_t to, int64_t *out,
                               size_t max);

/* The training kinds a policy counts toward the annual hours, "继续教育,线上自学",
 * as a mask: bit 0 任职培训, 1 继续教育, 2 线上自学; 0 when the list is empty
 * or names an unknown kind or one twice. */
#define REMIND_HOURS_KINDS "继续教育,线上自学"
unsigned remind_hours_kinds(const char *kinds);

/* The hours a CQO whose appointment started on `start_day` owes in `year`:
 * `annual`, or when `prorate` and the appointment started during that year,
 * annual x the months left counting the starting one / 12, rounded up to
 * whole hours. 0 when annual is 0 (no quota). */
double remind_hours_required(double annual, bool prorate, int64_t start_day, int year);

/* The first weekly milestone start + 7k (k >= 1) on or after `from`. */
int64_t remind_first_weekly(int64_t start, int64_t from);

/* "YYYY-MM-DD" of day number `day`. */
void remind_day_str(int64_t day, char out[11]);
/* Unix time of 00:00 China Standard Time on `day`. */
int64_t remind_day_start(int64_t day);

#endif
