/*
 * Jurisdiction policies: term length, annual training hours (how many,
 * which kinds count, pro rata or not, the reminder days), eligibility
 * rules (years, education, title, the posts a CQO is chosen from, the
 * disqualifications the filer declares), reminder offsets and binding-code
 * lifetime. Policy differs by place (Shandong, Shaanxi, Nantong...), so it
 * is data in the policies table keyed by region code; a county without its
 * own row inherits its city's, a city its province's, and a province
 * without one gets the built-in defaults.
 */
#ifndef CQOD_STORE_POLICY_H
#define CQOD_STORE_POLICY_H

#include <stdbool.h>

struct store;

struct store_policy {
	char region_code[16];      /* the row that applied; "" = built-in defaults */
	int term_months;           /* 36 */
	double annual_hours;       /* 0 = no annual-hours quota */
	char hours_kinds[64];      /* kinds that count toward it: "继续教育,线上自学" */
	bool hours_prorate;        /* appointed during the year: pro rata by months left */
	int min_quality_years;     /* 3 */
	char min_education[32];    /* e.g. "大专"; "" = no requirement */
	char min_title[32];        /* e.g. "中级"; "" = no requirement */
	bool eligibility_any;      /* true: education OR title suffices ("any") */
	bool require_appointment_training;
	char positions[64];        /* accepted posts: "高层副职,质量部门负责人"; "" = any */
	bool positions_small_exempt; /* 小微 firms need not meet it (Shaanxi) */
	char disqualifications[512]; /* declared checklist, items split by '|'; "" = none */
	char remind_term_days[64]; /* "90,30,7,0" */
	char hours_remind[80];     /* annual-hours reminder days: "09-01,11-01,12-01" */
	int bind_code_days;        /* 14 */
};

/* The policy in force for `region_code` (any level). 0, or -EIO. */
int store_policy_for_region(struct store *st, const char *region_code, struct store_policy *out);

/* Creates or replaces the policy row of `region_code` (admin tools). */
int store_policy_set(struct store *st, const struct store_policy *p);

#endif
