/* The words of reminder messages; see remind_text.h. */
#include "remind_text.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "timefmt.h"
#include "text/records.h"
#include "text/remind.h"
#include "../lib/clock.h"
#include "../store/store_remind.h"

#define LINE_MAX_BYTES 1024

/* Whether items a and b are milestones of the same rule and record: a
 * message shows one line for them (the latest milestone). */
static bool same_line(const struct remind_item *a, const struct remind_item *b)
{
	return a->rule == b->rule && a->record_id == b->record_id && a->event_id == b->event_id &&
	       a->person_id == b->person_id;
}

/* Whether items[i] is the last (latest) of its run in a sorted list. */
static bool last_of_run(const struct remind_item *items, size_t n, size_t i)
{
	return i + 1 == n || !same_line(&items[i], &items[i + 1]);
}

/* Where the texts read what they show: the store, and the records a
 * caller already read for many items (NULL: none). */
struct src {
	struct store *st;
	const struct remind_known *known;
};

static int cmp_record(const void *key, const void *elem)
{
	int64_t a = *(const int64_t *)key;
	int64_t b = ((const struct store_remind_record *)elem)->appointment_id;

	return (a > b) - (a < b);
}

static int record_get(const struct src *src, int64_t appointment_id,
                      struct store_remind_record *rec)
{
	const struct store_remind_record *hit = NULL;

	if (src->known && src->known->n)
		hit = bsearch(&appointment_id, src->known->v, src->known->n, sizeof *hit, cmp_record);
	if (!hit)
		return store_remind_record_get(src->st, appointment_id, rec);
	*rec = *hit;
	return 0;
}

/* "示例精密机械有限公司（记录号 2）" */
static int record_at(const struct src *src, int64_t appointment_id,
                     struct store_remind_record *rec, char *buf, size_t len)
{
	int rc = record_get(src, appointment_id, rec);

	if (rc == 0)
		snprintf(buf, len, TXT_RMD_AT, rec->enterprise_name, (long long)appointment_id);
	return rc;
}

static int term_line(const struct src *src, const struct remind_item *it, int64_t today,
                     char *buf, size_t len)
{
	struct store_remind_record rec;
	char at[256];
	int rc = record_at(src, it->appointment_id, &rec, at, sizeof at);
	long long left = (long long)(it->at - today);

	if (rc < 0)
		return rc;
	if (it->rule == REMIND_OVERDUE)
		snprintf(buf, len, TXT_RMD_OVERDUE, at, rec.term_end, -left);
	else if (left > 0)
		snprintf(buf, len, TXT_RMD_TERM_LEFT, at, rec.term_end, left);
	else if (left == 0)
		snprintf(buf, len, TXT_RMD_TERM_TODAY, at, rec.term_end);
	else
		snprintf(buf, len, TXT_RMD_TERM_PAST, at, rec.term_end);
	return 0;
}

/* The summons' time said from today: 明天 14:30, 今天 14:30, or the date. */
static void summons_when(const struct store_remind_sanction *s, int64_t today, char *line,
                         size_t len, int64_t id, const char *at)
{
	char when[32];
	int64_t day = clock_cst_day(s->scheduled_at);

	timefmt_cst_minute(s->scheduled_at, when, sizeof when);
	if (day == today || day == today + 1)
		snprintf(line, len, day == today ? TXT_RMD_SUMMONS_TODAY : TXT_RMD_SUMMONS_TOMORROW,
		         (long long)id, at, when + 11, s->place);
	else
		snprintf(line, len, TXT_RMD_SUMMONS_ON, (long long)id, at, when, s->place);
}

static int sanction_line(const struct src *src, const struct remind_item *it, int64_t today,
                         char *buf, size_t len)
{
	struct store_remind_sanction s;
	struct store_remind_record rec;
	char at[256];
	int rc = store_remind_sanction_get(src->st, it->record_id, &s);

	if (rc == 0)
		rc = record_at(src, s.appointment_id, &rec, at, sizeof at);
	if (rc < 0)
		return rc;
	if (it->rule == REMIND_SUMMONS)
		summons_when(&s, today, buf, len, it->record_id, at);
	else
		snprintf(buf, len, TXT_RMD_RECTIFY, (long long)it->record_id, at, s.rectify_by);
	return 0;
}

static int event_line(const struct src *src, const struct remind_item *it, char *buf, size_t len)
{
	struct store_remind_event ev;
	char when[32];
	int rc = store_remind_event_get(src->st, it->event_id, &ev);

	if (rc < 0)
		return rc;
	timefmt_cst_minute(ev.starts_at, when, sizeof when);
	snprintf(buf, len, TXT_RMD_EVENT, ev.kind, ev.title, when,
	         ev.place[0] ? TXT_RMD_EVENT_PLACE_SEP : "", ev.place);
	return 0;
}

/* The line of one of a person's items into buf; -ENOENT when what it is
 * about is gone (nothing to say). */
static int person_line(const struct src *src, const struct remind_item *it, int64_t today,
                       char *buf, size_t len)
{
	struct store_remind_record rec;
	char at[256];
	int rc;

	switch (it->rule) {
	case REMIND_TERM:
	case REMIND_OVERDUE:
		return term_line(src, it, today, buf, len);
	case REMIND_TRAINING:
		if ((rc = record_at(src, it->appointment_id, &rec, at, sizeof at)) == 0)
			snprintf(buf, len, TXT_RMD_TRAINING, at, (long long)(today - it->at));
		return rc;
	case REMIND_HOURS:
		snprintf(buf, len, TXT_RMD_HOURS, clock_cst_year(it->milestone * 86400), it->done,
		         it->required - it->done, it->required);
		return 0;
	case REMIND_SUMMONS:
	case REMIND_RECTIFY:
		return sanction_line(src, it, today, buf, len);
	case REMIND_EVENT:
		return event_line(src, it, buf, len);
	default:
		return -ENOENT;
	}
}

/* The 收到 button (and 未确认 for a digest), with `fallback` saying what to
 * type where buttons do not show. */
static int ack_actions(struct reply *r, const char *fallback, bool unacked)
{
	int rc = reply_add_fallback(r, "%s", fallback);

	if (rc == 0)
		rc = reply_add_action(r, TXT_ACK_NAME, TXT_ACK_NAME, REPLY_ACTION_PRIMARY);
	if (rc == 0 && unacked)
		rc = reply_add_action(r, TXT_UNACKED_NAME, TXT_UNACKED_NAME, REPLY_ACTION_DEFAULT);
	return rc;
}

/* Appends the late mark when the item's working day has passed. */
static void mark_late(const struct remind_item *it, int64_t today, char *buf, size_t len)
{
	char due[11];
	size_t used = strlen(buf);

	if (it->due >= today || used >= len)
		return;
	remind_day_str(it->due, due);
	snprintf(buf + used, len - used, TXT_RMD_LATE, due);
}

int remind_text_person(struct store *st, const struct remind_known *known,
                       const struct remind_item *items, size_t n, int64_t today,
                       struct reply *r)
{
	const struct src src_ = {.st = st, .known = known}, *src = &src_;
	char date[11], line[LINE_MAX_BYTES];
	int rc = 0;

	remind_day_str(today, date);
	if (reply_set_title(r, TXT_RMD_TITLE, date) < 0)
		return -ENOMEM;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		if (!last_of_run(items, n, i))
			continue;
		rc = person_line(src, &items[i], today, line, sizeof line);
		if (rc == -ENOENT) {
			rc = 0;
			continue;
		}
		if (rc == 0) {
			mark_late(&items[i], today, line, sizeof line);
			rc = reply_add_line(r, "%s", line);
		}
	}
	if (rc == 0)
		rc = reply_add_line(r, TXT_RMD_OFF_HINT);
	if (rc == 0)
		rc = ack_actions(r, TXT_RMD_FOOTER, false);
	return rc;
}

/* "张三（示例精密机械有限公司，记录号 2）" and the record. */
static int digest_who(const struct src *src, int64_t appointment_id,
                      struct store_remind_record *rec, char *buf, size_t len)
{
	int rc = record_get(src, appointment_id, rec);

	if (rc == 0)
		snprintf(buf, len, TXT_DIGEST_WHO, rec->person_name, rec->enterprise_name,
		         (long long)appointment_id);
	return rc;
}

static int digest_sanction_line(const struct src *src, const struct remind_item *it, char *buf,
                                size_t len)
{
	struct store_remind_sanction s;
	struct store_remind_record rec;
	char who[320], when[32];
	int rc = store_remind_sanction_get(src->st, it->record_id, &s);

	if (rc == 0)
		rc = digest_who(src, s.appointment_id, &rec, who, sizeof who);
	if (rc < 0)
		return rc;
	if (it->rule == REMIND_SUMMONS) {
		timefmt_cst_minute(s.scheduled_at, when, sizeof when);
		snprintf(buf, len, TXT_DIGEST_SUMMONS, who, (long long)it->record_id, when);
	} else if (it->rule == REMIND_DIGEST_ENTERPRISE) {
		snprintf(buf, len, TXT_DIGEST_ENTERPRISE, who, (long long)it->record_id, s.issued_on,
		         (long long)s.appointment_id);
	} else if (it->rule == REMIND_RECTIFY) {
		snprintf(buf, len, TXT_DIGEST_RECTIFY, who, (long long)it->record_id, s.rectify_by);
	} else {
		snprintf(buf, len, TXT_DIGEST_SANCTION, who, s.kind, (long long)it->record_id,
		         s.issued_on);
	}
	return 0;
}

/* The digest's line of one item (a digest rule, or a person's reminder
 * that could not be delivered). */
static int digest_line(const struct src *src, const struct remind_item *it, int64_t today,
                       char *buf, size_t len)
{
	struct store_remind_record rec;
	char who[320];
	int rc;

	switch (it->rule) {
	case REMIND_DIGEST_SANCTION:
	case REMIND_DIGEST_ENTERPRISE:
	case REMIND_SUMMONS:
	case REMIND_RECTIFY:
		return digest_sanction_line(src, it, buf, len);
	case REMIND_HOURS:
	case REMIND_EVENT:
	case REMIND_SANCTION:
	case REMIND_SANCTION_ENTERPRISE:
	case REMIND_CALENDAR:
	case REMIND_N_RULES:
		return -ENOENT;
	default:
		break;
	}
	if ((rc = digest_who(src, it->appointment_id, &rec, who, sizeof who)) < 0)
		return rc;
	long long left = (long long)(it->at - today);
	if (it->rule == REMIND_OVERDUE || it->rule == REMIND_DIGEST_OVERDUE)
		snprintf(buf, len, TXT_DIGEST_OVERDUE, who, rec.term_end, -left);
	else if (it->rule == REMIND_TRAINING || it->rule == REMIND_DIGEST_TRAINING)
		snprintf(buf, len, TXT_DIGEST_TRAINING, who, -left);
	else if (left == 0)
		snprintf(buf, len, TXT_DIGEST_TERM_TODAY, who, rec.term_end);
	else if (left > 0)
		snprintf(buf, len, TXT_DIGEST_TERM, who, rec.term_end, left);
	else
		snprintf(buf, len, TXT_DIGEST_TERM_PAST, who, rec.term_end);
	return 0;
}

/* The digest rule that says the same as a person's undelivered reminder. */
static enum remind_rule counterpart(enum remind_rule rule)
{
	switch (rule) {
	case REMIND_TERM: return REMIND_DIGEST_TERM;
	case REMIND_OVERDUE: return REMIND_DIGEST_OVERDUE;
	case REMIND_DIGEST_TERM: return REMIND_TERM;
	case REMIND_DIGEST_OVERDUE: return REMIND_OVERDUE;
	default: return REMIND_N_RULES;
	}
}

/* Whether the list holds `rule` for the same record and milestone as it. */
static bool holds(const struct remind_item *items, size_t n, const struct remind_item *it,
                  enum remind_rule rule)
{
	for (size_t i = 0; rule != REMIND_N_RULES && i < n; i++)
		if (items[i].rule == rule && items[i].record_id == it->record_id &&
		    items[i].milestone == it->milestone)
			return true;
	return false;
}

/* The digest's sections, in order: its own rules, then what could not be
 * delivered. */
static const enum remind_rule digest_order[] = {
	REMIND_DIGEST_TERM, REMIND_DIGEST_OVERDUE, REMIND_DIGEST_TRAINING, REMIND_DIGEST_SANCTION,
	REMIND_DIGEST_ENTERPRISE,
	REMIND_TERM, REMIND_OVERDUE, REMIND_TRAINING, REMIND_SUMMONS, REMIND_RECTIFY,
};

int remind_text_digest(struct store *st, const struct remind_known *known,
                       const struct remind_item *items, size_t n, int64_t today,
                       struct reply *r, size_t *lines)
{
	const struct src src_ = {.st = st, .known = known}, *src = &src_;
	char date[11], line[LINE_MAX_BYTES], shown[LINE_MAX_BYTES + 64];
	size_t count = 0, more = 0;
	int rc = 0;

	remind_day_str(today, date);
	if (reply_set_title(r, TXT_DIGEST_TITLE, date) < 0)
		return -ENOMEM;
	for (size_t k = 0; rc == 0 && k < sizeof digest_order / sizeof digest_order[0]; k++) {
		for (size_t i = 0; rc == 0 && i < n; i++) {
			const struct remind_item *it = &items[i];
			bool own = remind_is_digest(it->rule);

			if (it->rule != digest_order[k] || !last_of_run(items, n, i))
				continue;
			/* An undelivered reminder the digest already lists is a mark on
			 * that line, not a line of its own. */
			if (!own && holds(items, n, it, counterpart(it->rule)))
				continue;
			if (count + more >= REMIND_DIGEST_MAX_LINES) {
				more++;
				continue;
			}
			rc = digest_line(src, it, today, line, sizeof line);
			if (rc == -ENOENT) {
				rc = 0;
				continue;
			}
			if (rc < 0)
				break;
			if (!own || holds(items, n, it, counterpart(it->rule)))
				snprintf(shown, sizeof shown, TXT_DIGEST_UNBOUND, line);
			else
				snprintf(shown, sizeof shown, "%s", line);
			mark_late(it, today, shown, sizeof shown);
			rc = reply_add_line(r, "%s", shown);
			count++;
		}
	}
	if (rc == 0 && more)
		rc = reply_add_line(r, TXT_DIGEST_MORE, more);
	if (rc == 0 && count)
		rc = ack_actions(r, TXT_DIGEST_FOOTER, true);
	if (lines)
		*lines = count;
	return rc;
}

int remind_text_notice(struct store *st, int64_t sanction_id, struct reply *r)
{
	const struct src src = {.st = st};
	struct store_remind_sanction s;
	struct store_remind_record rec;
	char at[256], reason[512], when[32];
	int rc = store_remind_sanction_get(st, sanction_id, &s);

	if (rc == 0)
		rc = record_at(&src, s.appointment_id, &rec, at, sizeof at);
	if (rc < 0)
		return rc;
	if (s.reason[0])
		snprintf(reason, sizeof reason, TXT_SAN_REASON_FMT, s.ground, s.reason);
	else
		snprintf(reason, sizeof reason, "%s", s.ground);
	rc = reply_set_title(r, TXT_RMD_NOTICE_TITLE, s.kind);
	if (rc == 0)
		rc = reply_add_line(r, TXT_RMD_SANCTION, s.kind, (long long)sanction_id, at, reason,
		                    s.issued_on);
	if (rc == 0 && s.scheduled_at) {
		timefmt_cst_minute(s.scheduled_at, when, sizeof when);
		rc = reply_add_line(r, TXT_RMD_SANCTION_TIME, when, s.place);
	}
	if (rc == 0 && s.rectify_by[0])
		rc = reply_add_line(r, TXT_RMD_SANCTION_RECTIFY, s.rectify_by);
	if (rc == 0)
		rc = ack_actions(r, TXT_RMD_NOTICE_FOOTER, false);
	return rc;
}

int remind_text_notice_enterprise(struct store *st, int64_t sanction_id, struct reply *r)
{
	struct store_remind_sanction s;
	struct store_remind_record rec;
	char reason[512];
	int rc = store_remind_sanction_get(st, sanction_id, &s);

	if (rc == 0)
		rc = store_remind_record_get(st, s.appointment_id, &rec);
	if (rc < 0)
		return rc;
	if (s.reason[0])
		snprintf(reason, sizeof reason, TXT_SAN_REASON_FMT, s.ground, s.reason);
	else
		snprintf(reason, sizeof reason, "%s", s.ground);
	rc = reply_set_title(r, TXT_RMD_ENT_NOTICE_TITLE);
	if (rc == 0)
		rc = reply_add_line(r, TXT_RMD_ENT_SANCTION, rec.enterprise_name, rec.person_name,
		                    (long long)s.appointment_id, reason, s.issued_on,
		                    (long long)sanction_id);
	if (rc == 0)
		rc = reply_add_line(r, TXT_RMD_ENT_FOOTER);
	return rc;
}

int remind_text_calendar(int64_t covered_until, struct reply *r)
{
	char last[11];
	int next = clock_cst_year(covered_until * 86400) + 1;

	remind_day_str(covered_until, last);
	if (reply_set_title(r, TXT_CAL_WARN_TITLE) < 0)
		return -ENOMEM;
	return reply_add_line(r, TXT_CAL_WARN, last, next, next);
}
