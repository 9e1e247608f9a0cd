/*
 * cqoctl target set REGION CATEGORY YEAR [METRIC] VALUE | target list
 * [options]: targets (the appointment rate unless 培训率 or 新备案 is
 * named), set as the chat's 目标 sets them (store_target_set, audited) and
 * listed by region, category and year.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../store/store.h"
#include "../store/store_stats.h"
#include "../store/store_target.h"
#include "../handlers/category.h"
#include "../handlers/validate.h"
#include "../handlers/text/cqoctl.h"
#include "../handlers/text/lists.h"
#include "../handlers/text/registry.h"
#include "ctl.h"

#define CMD "target"

static int target_set(struct ctl *c, int argc, char **argv)
{
	char why[VALIDATE_WHY_MAX], name[96];
	struct store_actor who;
	double value, old = 0;
	bool had_old = false;
	long year, count;
	int metric = STORE_TARGET_RATE;

	if (argc != 6 && argc != 7)
		return ctl_usage(CMD, TXT_CTL_ARGS);
	const char *region = argv[2], *category = category_find(argv[3], true);
	if (validate_region_code(region, why, sizeof why) < 0)
		return ctl_usage(CMD, "%s", why);
	if (!category)
		return ctl_usage(CMD, TXT_STATS_CATEGORY_BAD);
	if (!ctl_parse_long(argv[4], 2000, 2200, &year))
		return ctl_usage(CMD, TXT_CTL_BAD_YEAR);
	if (argc == 7 && (metric = category_target_metric(argv[5])) < 0)
		return ctl_usage(CMD, TXT_TARGET_METRIC_BAD, argv[5]);
	if (metric == STORE_TARGET_NEW_FILINGS) {
		if (!ctl_parse_long(argv[argc - 1], 0, STORE_TARGET_COUNT_MAX, &count))
			return ctl_usage(CMD, "%s", TXT_TARGET_COUNT_BAD);
		value = (double)count;
	} else if (validate_rate(argv[argc - 1], &value) < 0) {
		return ctl_usage(CMD, "%s", TXT_TARGET_RATE_BAD);
	}
	int rc = store_region_name(c->st, region, name, sizeof name);
	if (rc == -ENOENT)
		return ctl_fail(CMD, TXT_CTL_BAD_REGION, region);
	if (rc < 0)
		return ctl_store_fail(CMD, rc);
	ctl_actor(c, CMD, &who);
	rc = store_begin(c->st);
	if (rc == 0)
		rc = store_target_set(c->st, &who, region, category, (int)year,
		                      (enum store_target_metric)metric, value, &had_old, &old);
	rc = store_end(c->st, rc);
	if (rc < 0)
		return ctl_store_fail(CMD, rc);
	const char *stem = category_stem(category);
	if (metric == STORE_TARGET_NEW_FILINGS) {
		printf(TXT_TARGET_DONE_NEW "\n", name, region, stem, (int)year, (long long)value);
		if (had_old)
			printf(TXT_TARGET_REPLACED_NEW "\n", (long long)old);
		return CTL_OK;
	}
	if (metric == STORE_TARGET_TRAINED)
		printf(TXT_TARGET_DONE_TRAINED "\n", name, region, stem, (int)year, value * 100.0);
	else
		printf(TXT_TARGET_DONE "\n", name, region, stem, (int)year, value * 100.0);
	if (had_old)
		printf(TXT_TARGET_REPLACED "\n", old * 100.0);
	return CTL_OK;
}

static int print_target(void *arg, const struct store_target_row *t)
{
	size_t *n = arg;
	const char *name = t->region_name[0] ? t->region_name : TXT_UNKNOWN_VALUE;
	const char *stem = category_stem(t->category);

	if (t->metric == STORE_TARGET_NEW_FILINGS)
		printf(TXT_CTL_TARGET_LINE_NEW, name, t->region_code, stem, t->year,
		       (long long)t->value);
	else if (t->metric == STORE_TARGET_TRAINED)
		printf(TXT_CTL_TARGET_LINE_TRAINED, name, t->region_code, stem, t->year,
		       t->value * 100.0);
	else
		printf(TXT_CTL_TARGET_LINE, name, t->region_code, stem, t->year, t->value * 100.0);
	(*n)++;
	return 0;
}

static int target_list(struct ctl *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"region", required_argument, NULL, 'r'},
		{"year", required_argument, NULL, 'y'},
		{"category", required_argument, NULL, 'k'},
		{NULL, 0, NULL, 0},
	};
	const char *region = "", *category = NULL;
	char name[96];
	long year = 0;
	size_t n = 0;
	int opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 'r':
			if (store_region_name(c->st, optarg, name, sizeof name) < 0)
				return ctl_usage(CMD, TXT_CTL_BAD_REGION, optarg);
			region = optarg;
			break;
		case 'y':
			if (!ctl_parse_long(optarg, 2000, 2200, &year))
				return ctl_usage(CMD, TXT_CTL_BAD_YEAR);
			break;
		case 'k':
			if (!(category = category_find(optarg, true)))
				return ctl_usage(CMD, TXT_STATS_CATEGORY_BAD);
			break;
		default:
			return ctl_usage(CMD, TXT_CTL_BAD_OPTION);
		}
	}
	if (optind != argc - 1)
		return ctl_usage(CMD, TXT_CTL_ARGS);
	int rc = store_target_each(c->st, region, category, (int)year, print_target, &n);
	if (rc < 0)
		return ctl_store_fail(CMD, rc);
	if (n == 0)
		fputs(TXT_CTL_TARGET_NONE, stdout);
	return CTL_OK;
}

int ctl_cmd_target(struct ctl *c, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "set") == 0)
		return target_set(c, argc, argv);
	if (argc >= 2 && strcmp(argv[1], "list") == 0)
		return target_list(c, argc, argv);
	return ctl_usage(CMD, TXT_CTL_TARGET_ACTION);
}
