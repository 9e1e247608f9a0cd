/*
 * cqoctl policy show REGION | policy set REGION [options]: a jurisdiction's
 * rules (term length, annual hours, eligibility, reminders, binding-code
 * lifetime; daemon/store_policy.h). set starts from the policy in force
 * there (its own, inherited or built in) and changes what the options say,
 * with an audit row ("policy") in the same transaction.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "../lib/remind.h"
#include "../store/store.h"
#include "../store/store_audit.h"
#include "../store/store_policy.h"
#include "../handlers/eligibility.h"
#include "../handlers/text/cqoctl.h"
#include "../handlers/text/identity.h"
#include "ctl.h"

#define CMD "policy"

static void print_policy(struct ctl *c, const char *region, const char *name,
                         const struct store_policy *p)
{
	char from[128] = TXT_CTL_POL_BUILTIN, from_name[96];

	if (p->region_code[0]) {
		if (store_region_name(c->st, p->region_code, from_name, sizeof from_name) < 0)
			from_name[0] = '\0';
		snprintf(from, sizeof from, TXT_ROLE_DETAIL_REGION, from_name, p->region_code);
	}
	printf(TXT_CTL_POL_TITLE, name, region);
	printf(TXT_CTL_POL_FROM, from);
	printf(TXT_CTL_POL_TERM, p->term_months);
	if (p->annual_hours > 0) {
		printf(TXT_CTL_POL_HOURS, p->annual_hours);
		printf(TXT_CTL_POL_KINDS, p->hours_kinds);
		printf(TXT_CTL_POL_PRORATE,
		       p->hours_prorate ? TXT_CTL_POL_PRORATED : TXT_CTL_POL_FULL_YEAR);
	} else {
		printf(TXT_CTL_POL_HOURS_NONE);
	}
	printf(TXT_CTL_POL_YEARS, p->min_quality_years);
	printf(TXT_CTL_POL_EDUCATION, p->min_education[0] ? p->min_education : TXT_CTL_POL_NONE);
	printf(TXT_CTL_POL_TITLE_REQ, p->min_title[0] ? p->min_title : TXT_CTL_POL_NONE);
	printf(TXT_CTL_POL_MODE, p->eligibility_any ? TXT_CTL_POL_ANY : TXT_CTL_POL_ALL);
	printf(TXT_CTL_POL_POSITIONS, p->positions[0] ? p->positions : TXT_CTL_POL_ANY_POST,
	       p->positions[0] && p->positions_small_exempt ? TXT_CTL_POL_SMALL_EXEMPT : "");
	printf(TXT_CTL_POL_DISQ, p->disqualifications[0] ? p->disqualifications : TXT_CTL_POL_NONE);
	printf(TXT_CTL_POL_TRAINING,
	       p->require_appointment_training ? TXT_CTL_POL_REQUIRED : TXT_CTL_POL_NONE);
	printf(TXT_CTL_POL_REMIND, p->remind_term_days);
	/* Days are sent only where there is a quota (store_remind_hours_days). */
	if (p->annual_hours > 0)
		printf(TXT_CTL_POL_MONTH, p->hours_remind);
	else
		printf(TXT_CTL_POL_MONTH_NONE);
	printf(TXT_CTL_POL_BIND, p->bind_code_days);
}

/* The policy as JSON for the audit row; caller frees. */
static char *policy_json(const struct store_policy *p)
{
	cJSON *o = cJSON_CreateObject();
	char *text;

	cJSON_AddStringToObject(o, "region_code", p->region_code);
	cJSON_AddNumberToObject(o, "term_months", p->term_months);
	cJSON_AddNumberToObject(o, "annual_hours", p->annual_hours);
	cJSON_AddNumberToObject(o, "min_quality_years", p->min_quality_years);
	cJSON_AddStringToObject(o, "min_education", p->min_education);
	cJSON_AddStringToObject(o, "min_title", p->min_title);
	cJSON_AddStringToObject(o, "eligibility_mode", p->eligibility_any ? "any" : "all");
	cJSON_AddBoolToObject(o, "require_appointment_training", p->require_appointment_training);
	cJSON_AddStringToObject(o, "positions", p->positions);
	cJSON_AddBoolToObject(o, "positions_small_exempt", p->positions_small_exempt);
	cJSON_AddStringToObject(o, "disqualifications", p->disqualifications);
	cJSON_AddStringToObject(o, "remind_term_days", p->remind_term_days);
	cJSON_AddStringToObject(o, "hours_kinds", p->hours_kinds);
	cJSON_AddBoolToObject(o, "hours_prorate", p->hours_prorate);
	cJSON_AddStringToObject(o, "hours_remind_dates", p->hours_remind);
	cJSON_AddNumberToObject(o, "bind_code_days", p->bind_code_days);
	text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return text;
}

/* "90,30,7,0": whole days 0..3650, separated by commas. */
static bool remind_days_ok(const char *s)
{
	long v;
	char part[8];

	if (!*s || strlen(s) >= sizeof ((struct store_policy *)0)->remind_term_days)
		return false;
	for (const char *p = s; *p;) {
		size_t n = strcspn(p, ",");
		if (n == 0 || n >= sizeof part)
			return false;
		snprintf(part, sizeof part, "%.*s", (int)n, p);
		if (!ctl_parse_long(part, 0, 3650, &v))
			return false;
		p += n;
		if (*p == ',' && *++p == '\0')
			return false;
	}
	return true;
}

/* A plain decimal 0..1000. */
static bool hours_ok(const char *s, double *out)
{
	size_t whole = strspn(s, "0123456789");
	const char *p = s + whole;

	if (*p == '.')
		p += 1 + strspn(p + 1, "0123456789");
	if (whole == 0 || whole > 4 || *p)
		return false;
	*out = strtod(s, NULL);
	return *out >= 0 && *out <= 1000;
}

static bool yes_no(const char *s, bool *out)
{
	if (strcmp(s, "yes") == 0 || strcmp(s, "是") == 0) {
		*out = true;
		return true;
	}
	if (strcmp(s, "no") == 0 || strcmp(s, "否") == 0) {
		*out = false;
		return true;
	}
	return false;
}

static bool cleared(const char *s)
{
	return strcmp(s, "none") == 0 || strcmp(s, "无") == 0;
}

/* "none" or "无" clears a requirement; otherwise the word must be one
 * eligibility.c ranks. */
static bool requirement(const char *s, int (*rank)(const char *), char *out, size_t len)
{
	if (cleared(s)) {
		out[0] = '\0';
		return true;
	}
	if (rank(s) <= 0 || strlen(s) >= len)
		return false;
	snprintf(out, len, "%s", s);
	return true;
}

/* "高层副职,质量部门负责人": classes eligibility.c knows, each once. */
static bool positions_ok(const char *s, char *out, size_t len)
{
	char part[32];
	unsigned seen = 0;

	if (cleared(s)) {
		out[0] = '\0';
		return true;
	}
	if (!*s || strlen(s) >= len)
		return false;
	for (const char *p = s; *p;) {
		size_t n = strcspn(p, ",");
		if (n == 0 || n >= sizeof part)
			return false;
		snprintf(part, sizeof part, "%.*s", (int)n, p);
		enum elig_position c = eligibility_position_parse(part);
		if (c == ELIG_POS_NONE || (seen & (1u << c)))
			return false;
		seen |= 1u << c;
		p += n;
		if (*p == ',' && *++p == '\0')
			return false;
	}
	snprintf(out, len, "%s", s);
	return true;
}

/* Items split by '|', none empty, at most 160 characters in all (the
 * schema's CHECK). */
static bool disqualifications_ok(const char *s, char *out, size_t len)
{
	size_t chars = 0;

	if (cleared(s)) {
		out[0] = '\0';
		return true;
	}
	for (const char *p = s; *p; p++)
		chars += ((unsigned char)*p & 0xC0) != 0x80;
	if (!*s || chars > 160 || strlen(s) >= len || *s == '|' || s[strlen(s) - 1] == '|' ||
	    strstr(s, "||"))
		return false;
	snprintf(out, len, "%s", s);
	return true;
}

/* Applies one option to p; false when its value is bad. */
static bool apply_option(int opt, const char *v, struct store_policy *p)
{
	long n;

	switch (opt) {
	case 't': return ctl_parse_long(v, 1, 120, &n) && ((p->term_months = (int)n), true);
	case 'h': return hours_ok(v, &p->annual_hours);
	case 'y': return ctl_parse_long(v, 0, 50, &n) && ((p->min_quality_years = (int)n), true);
	case 'e':
		return requirement(v, eligibility_education_rank, p->min_education,
		                   sizeof p->min_education);
	case 'T':
		return requirement(v, eligibility_title_rank, p->min_title, sizeof p->min_title);
	case 'm':
		if (strcmp(v, "any") != 0 && strcmp(v, "all") != 0)
			return false;
		p->eligibility_any = strcmp(v, "any") == 0;
		return true;
	case 'a': return yes_no(v, &p->require_appointment_training);
	case 'P': return positions_ok(v, p->positions, sizeof p->positions);
	case 'S': return yes_no(v, &p->positions_small_exempt);
	case 'X':
		return disqualifications_ok(v, p->disqualifications, sizeof p->disqualifications);
	case 'r':
		if (!remind_days_ok(v))
			return false;
		snprintf(p->remind_term_days, sizeof p->remind_term_days, "%s", v);
		return true;
	case 'M':
		if (!ctl_parse_long(v, 1, 12, &n))
			return false;
		snprintf(p->hours_remind, sizeof p->hours_remind, "%02ld-01", n);
		return true;
	case 'D':
		if (remind_hours_dates_valid(v) < 0 || strlen(v) >= sizeof p->hours_remind)
			return false;
		snprintf(p->hours_remind, sizeof p->hours_remind, "%s", v);
		return true;
	case 'k':
		if (!remind_hours_kinds(v) || strlen(v) >= sizeof p->hours_kinds)
			return false;
		snprintf(p->hours_kinds, sizeof p->hours_kinds, "%s", v);
		return true;
	case 'p': return yes_no(v, &p->hours_prorate);
	case 'b': return ctl_parse_long(v, 1, 365, &n) && ((p->bind_code_days = (int)n), true);
	default: return false;
	}
}

/* Writes the region's own row and its audit row in one transaction. */
static int save(struct ctl *c, const struct store_policy *before, const struct store_policy *p)
{
	struct store_actor who;
	char *b = before ? policy_json(before) : NULL, *a = policy_json(p);
	int rc = (before && !b) || !a ? -ENOMEM : store_begin(c->st);

	if (rc == 0)
		rc = store_policy_set(c->st, p);
	ctl_actor(c, CMD, &who);
	if (rc == 0)
		rc = store_audit_add(c->st, &who, "policy", 0, 0, b, a);
	rc = store_end(c->st, rc);
	free(b);
	free(a);
	return rc;
}

static int policy_set(struct ctl *c, const char *region, const char *name, int argc,
                      char **argv)
{
	static const struct option opts[] = {
		{"term-months", required_argument, NULL, 't'},
		{"annual-hours", required_argument, NULL, 'h'},
		{"min-years", required_argument, NULL, 'y'},
		{"education", required_argument, NULL, 'e'},
		{"title", required_argument, NULL, 'T'},
		{"mode", required_argument, NULL, 'm'},
		{"appointment-training", required_argument, NULL, 'a'},
		{"positions", required_argument, NULL, 'P'},
		{"positions-small-exempt", required_argument, NULL, 'S'},
		{"disqualifications", required_argument, NULL, 'X'},
		{"remind-days", required_argument, NULL, 'r'},
		{"training-month", required_argument, NULL, 'M'},
		{"hours-remind", required_argument, NULL, 'D'},
		{"hours-kinds", required_argument, NULL, 'k'},
		{"prorate", required_argument, NULL, 'p'},
		{"bind-code-days", required_argument, NULL, 'b'},
		{NULL, 0, NULL, 0},
	};
	struct store_policy before, p;
	int opt, idx, changes = 0;

	int rc = store_policy_for_region(c->st, region, &before);
	if (rc < 0)
		return ctl_store_fail(CMD, rc);
	p = before;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", opts, &idx)) != -1) {
		if (opt == '?' || opt == ':')
			return ctl_usage(CMD, TXT_CTL_BAD_OPTION);
		if (!apply_option(opt, optarg, &p))
			return ctl_usage(CMD, TXT_CTL_POL_BAD_VALUE, opts[idx].name, optarg);
		changes++;
	}
	if (optind != argc - 2)
		return ctl_usage(CMD, TXT_CTL_ARGS);
	if (!changes)
		return ctl_usage(CMD, TXT_CTL_POL_NOTHING);
	snprintf(p.region_code, sizeof p.region_code, "%s", region);
	rc = save(c, strcmp(before.region_code, region) == 0 ? &before : NULL, &p);
	if (rc == -EINVAL)
		return ctl_fail(CMD, TXT_CTL_POL_REFUSED);
	if (rc < 0)
		return ctl_store_fail(CMD, rc);
	print_policy(c, region, name, &p);
	return CTL_OK;
}

int ctl_cmd_policy(struct ctl *c, int argc, char **argv)
{
	struct store_policy p;
	char name[96];
	int pos = 0;

	/* The action and region are the first two words that are not options. */
	const char *words[2] = {NULL, NULL};
	for (int i = 1; i < argc && pos < 2; i++) {
		if (argv[i][0] != '-')
			words[pos++] = argv[i];
		else if (!strchr(argv[i], '='))
			i++;
	}
	if (pos < 2)
		return ctl_usage(CMD, TXT_CTL_ARGS);
	if (strcmp(words[0], "show") != 0 && strcmp(words[0], "set") != 0)
		return ctl_usage(CMD, TXT_CTL_POL_ACTION);
	int rc = store_region_name(c->st, words[1], name, sizeof name);
	if (rc == -ENOENT)
		return ctl_usage(CMD, TXT_CTL_BAD_REGION, words[1]);
	if (rc < 0)
		return ctl_store_fail(CMD, rc);
	if (strcmp(words[0], "set") == 0)
		return policy_set(c, words[1], name, argc, argv);
	if (argc != 3)
		return ctl_usage(CMD, TXT_CTL_ARGS);
	if ((rc = store_policy_for_region(c->st, words[1], &p)) < 0)
		return ctl_store_fail(CMD, rc);
	print_policy(c, words[1], name, &p);
	return CTL_OK;
}
