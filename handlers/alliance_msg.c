/* Messages alliances push, and delivery reports; see alliance_msg.h. */
#include "alliance_msg.h"

#include <stdio.h>
#include <string.h>

#include "text/alliance.h"
#include "../messages/text.h"
#include "alliance_ref.h"
#include "event_form.h"
#include "timefmt.h"

/* "2026-12-01 14:00 至 17:00" (the end's date only when it differs). */
static void when(const struct store_event *ev, char *buf, size_t len)
{
	char start[32], end[32];

	timefmt_cst_minute(ev->starts_at, start, sizeof start);
	if (!ev->ends_at) {
		snprintf(buf, len, "%s", start);
		return;
	}
	timefmt_cst_minute(ev->ends_at, end, sizeof end);
	snprintf(buf, len, TXT_BC_WHEN_RANGE, start,
	         strncmp(start, end, 10) == 0 ? end + 11 : end);
}

/* The changed fields named, "时间、地点". */
static void changes(unsigned changed, char *buf, size_t len)
{
	static const struct {
		unsigned bit;
		const char *name;
	} names[] = {
		{EVENT_F_KIND, TXT_EV_K_KIND},         {EVENT_F_TITLE, TXT_EV_K_TITLE},
		{EVENT_F_TIME, TXT_EV_K_TIME},         {EVENT_F_PLACE, TXT_EV_K_PLACE},
		{EVENT_F_CAPACITY, TXT_EV_K_CAPACITY}, {EVENT_F_DEADLINE, TXT_EV_K_DEADLINE},
		{EVENT_F_DESCRIPTION, TXT_EV_K_DESCRIPTION}, {EVENT_F_OPEN, TXT_EV_K_OPEN},
	};
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		int n;

		if (!(changed & names[i].bit))
			continue;
		n = snprintf(buf + o, len - o, "%s%s", o ? TXT_LIST_SEP : "", names[i].name);
		if (n < 0 || (size_t)n >= len - o)
			return;
		o += (size_t)n;
	}
}

static void details(struct reply *r, const struct store_event *ev)
{
	char buf[96];

	when(ev, buf, sizeof buf);
	reply_add_field(r, TXT_EV_K_TIME, "%s", buf);
	if (ev->place[0])
		reply_add_field(r, TXT_EV_K_PLACE, "%s", ev->place);
	if (ev->link[0])
		reply_add_field(r, TXT_EV_K_LINK, "%s", ev->link);
	if (ev->capacity)
		reply_add_field(r, TXT_EV_K_CAPACITY, TXT_BC_PEOPLE, (long long)ev->capacity);
	else
		reply_add_field(r, TXT_EV_K_CAPACITY, "%s", TXT_EV_UNLIMITED);
	timefmt_cst_minute(ev->signup_deadline ? ev->signup_deadline : ev->starts_at, buf,
	                   sizeof buf);
	reply_add_field(r, TXT_EV_K_DEADLINE, "%s", buf);
	reply_add_field(r, TXT_EV_K_OPEN, "%s",
	                ev->is_open ? TXT_BC_OPEN_ALL : TXT_BC_OPEN_MEMBERS);
	if (ev->description[0])
		reply_add_field(r, TXT_EV_K_DESCRIPTION, "%s", ev->description);
}

/* 报名 and 取消报名 on the announcement, with the places left. */
static void signup_actions(struct reply *r, const struct store_event *ev)
{
	char command[64];

	if (ev->capacity) {
		int64_t left = ev->capacity - (int64_t)ev->confirmed;

		reply_add_field(r, TXT_EV_K_REMAINING, TXT_BC_PEOPLE,
		                (long long)(left > 0 ? left : 0));
	}
	reply_add_fallback(r, TXT_BC_SIGNUP_HINT, (long long)ev->id, (long long)ev->id);
	r->shared = true;
	snprintf(command, sizeof command, "%s %lld", TXT_SU_NAME, (long long)ev->id);
	reply_add_action(r, TXT_SU_NAME, command, REPLY_ACTION_PRIMARY);
	snprintf(command, sizeof command, "%s %lld", TXT_SU_WITHDRAW_NAME, (long long)ev->id);
	reply_add_action(r, TXT_SU_WITHDRAW_NAME, command, REPLY_ACTION_DEFAULT);
}

void alliance_msg_event(struct reply *r, const struct store_event *ev, bool buttons,
                        enum store_broadcast_kind kind, unsigned changed)
{
	char buf[160];

	if (kind == BROADCAST_CANCEL) {
		reply_set_title(r, TXT_BC_CANCEL_TITLE, ev->kind, ev->title);
		when(ev, buf, sizeof buf);
		reply_add_line(r, TXT_BC_CANCEL_LINE, ev->alliance_name, buf, (long long)ev->id);
		return;
	}
	if (kind == BROADCAST_UPDATE) {
		reply_set_title(r, TXT_BC_UPDATE_TITLE, ev->kind, ev->title);
		changes(changed, buf, sizeof buf);
		reply_add_line(r, TXT_BC_UPDATE_LINE, buf);
	} else {
		reply_set_title(r, TXT_BC_EVENT_TITLE, ev->kind, ev->title);
	}
	reply_add_field(r, TXT_EV_K_ALLIANCE, "%s", ev->alliance_name);
	details(r, ev);
	/* A preview has no number yet. */
	if (ev->id && buttons)
		signup_actions(r, ev);
	else if (ev->id)
		reply_add_line(r, TXT_BC_SIGNUP_HINT, (long long)ev->id, (long long)ev->id);
}

void alliance_msg_promoted(struct reply *r, const struct store_event *ev)
{
	char buf[96];

	reply_set_title(r, TXT_BC_PROMOTED_TITLE, ev->kind, ev->title);
	when(ev, buf, sizeof buf);
	reply_add_line(r, TXT_BC_PROMOTED_LINE, (long long)ev->id);
	reply_add_field(r, TXT_EV_K_TIME, "%s", buf);
	if (ev->place[0])
		reply_add_field(r, TXT_EV_K_PLACE, "%s", ev->place);
	if (ev->link[0])
		reply_add_field(r, TXT_EV_K_LINK, "%s", ev->link);
}

void alliance_msg_notice(struct reply *r, const char *alliance_name, const char *body)
{
	reply_set_title(r, TXT_BC_NOTICE_TITLE, alliance_name);
	reply_add_line(r, "%s", body);
}

void alliance_msg_campaign(struct reply *r, const struct store_campaign *c)
{
	reply_set_title(r, TXT_BC_CAMPAIGN_TITLE, c->kind, c->alliance_name);
	reply_add_line(r, "%s", c->body);
}

void alliance_msg_what(const struct store_broadcast *b, char *buf, size_t len)
{
	static const char *const kinds[] = {
		[BROADCAST_PUBLISH] = TXT_BC_KIND_PUBLISH, [BROADCAST_UPDATE] = TXT_BC_KIND_UPDATE,
		[BROADCAST_CANCEL] = TXT_BC_KIND_CANCEL,   [BROADCAST_NOTICE] = TXT_BC_KIND_NOTICE,
		[BROADCAST_CAMPAIGN] = TXT_BC_KIND_CAMPAIGN,
	};

	if (b->event_id)
		snprintf(buf, len, TXT_BC_WHAT_EVENT, (long long)b->event_id, kinds[b->kind]);
	else
		snprintf(buf, len, TXT_BC_WHAT_OTHER, kinds[b->kind], (long long)b->id);
}

void alliance_msg_report_lines(struct reply *r, const struct store_broadcast_report *rep)
{
	char at[32], what[96];

	alliance_msg_what(&rep->b, what, sizeof what);
	timefmt_cst_minute(rep->b.created_at, at, sizeof at);
	reply_add_line(r, TXT_BC_REPORT_LINE, what, at, rep->b.groups, rep->b.people,
	               rep->delivered, rep->pending, rep->failed);
	for (size_t i = 0; i < rep->n_failed_groups; i++) {
		char name[640];

		const struct store_broadcast_group *g = &rep->failed_groups[i];

		alliance_ref_group_name(&g->dest, g->label, name, sizeof name);
		reply_add_line(r, TXT_BC_FAILED_GROUP, name);
	}
	if (rep->failed_people)
		reply_add_line(r, TXT_BC_FAILED_PEOPLE, rep->failed_people);
}

void alliance_msg_report(struct reply *r, const struct store_broadcast_report *rep)
{
	reply_set_title(r, TXT_BC_REPORT_TITLE);
	alliance_msg_report_lines(r, rep);
}
