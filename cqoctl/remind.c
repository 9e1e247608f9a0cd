/*
 * cqoctl remind --dry-run [--date YYYY-MM-DD]: what the daemon's reminder
 * sweep would send on that day (by default today), each message with its
 * destination, computed by the very code the daemon runs (remind_sweep.h)
 * in its dry-run mode, which writes nothing: no outbox row, no ledger row,
 * no sweep date. Milestones already in the ledger are not listed, since
 * they would not be sent again; after downtime the catch-up is included.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/calendar.h"
#include "../lib/clock.h"
#include "../lib/config.h"
#include "../lib/remind.h"
#include "../daemon/remind_sweep.h"
#include "../store/store_outbox.h"
#include "../store/store_remind.h"
#include "../store/store_workdays.h"
#include "../lib/platform.h"
#include "../handlers/text/cqoctl.h"
#include "../handlers/text/registry.h"
#include "../handlers/text/remind.h"
#include "ctl.h"

#define CMD "remind"

static void print_message(void *arg, const struct dest *d, const struct reply *r)
{
	char to[STORE_OUTBOX_DEST_MAX];
	char *text = reply_render_text(r);

	(void)arg;
	if (dest_format(d, to, sizeof to) < 0)
		snprintf(to, sizeof to, "%s:%s", d->platform, d->instance);
	printf(TXT_CTL_REMIND_TO, to);
	if (text)
		printf("%s\n", text);
	free(text);
}

/* The sweep of `day` as the daemon would run it, printed. */
static int dry_run(struct ctl *c, const struct calendar *cal, int64_t day)
{
	struct remind_sweep_opts o = {.today = day, .cal = cal, .cfg = c->cfg,
	                              .print = print_message};
	struct remind_sweep_stats stats;
	struct remind_sweep *s;
	char date[11], from[11], to[11], last_date[11];
	int64_t last;
	bool done = false;
	int rc = store_remind_last_sweep(c->st, &last);

	if (rc < 0)
		return ctl_store_fail(CMD, rc);
	/* A day already swept is shown as a first sweep of it would be. */
	if (last >= day)
		last = -1;
	o.now = day == clock_cst_day(c->now) ? c->now
	                                     : remind_day_start(day) + c->cfg->remind_send_at * 60;
	remind_window(cal, day, last, c->cfg->remind_catch_up_days, &o.from, &o.to);
	remind_day_str(day, date);
	remind_day_str(o.from, from);
	remind_day_str(o.to, to);
	printf(TXT_CTL_REMIND_HEAD, date, from, to);
	if (o.from < day && last >= 0) {
		remind_day_str(last, last_date);
		printf(TXT_CTL_REMIND_LATE_HEAD, last_date);
	}
	if ((rc = remind_sweep_begin(c->st, &o, &s)) < 0)
		return ctl_store_fail(CMD, rc);
	while (rc == 0 && !done)
		rc = remind_sweep_step(s, &done);
	remind_sweep_stats(s, &stats);
	remind_sweep_free(s);
	if (rc < 0)
		return ctl_store_fail(CMD, rc);
	printf(TXT_CTL_REMIND_SUMMARY, stats.messages, stats.items);
	return CTL_OK;
}

int ctl_cmd_remind(struct ctl *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"dry-run", no_argument, NULL, 'n'},
		{"date", required_argument, NULL, 'd'},
		{NULL, 0, NULL, 0},
	};
	struct calendar cal = {0};
	const char *date = NULL;
	bool dry = false;
	int64_t day, until;
	char next[11], last[11];
	int opt, rc;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		switch (opt) {
		case 'n': dry = true; break;
		case 'd': date = optarg; break;
		default: return ctl_usage(CMD, TXT_CTL_BAD_OPTION);
		}
	}
	if (optind != argc)
		return ctl_usage(CMD, TXT_CTL_ARGS);
	if (!dry)
		return ctl_usage(CMD, TXT_CTL_REMIND_DRY);
	day = clock_cst_day(c->now);
	if (date && clock_parse_date(date, &day) < 0)
		return ctl_usage(CMD, TXT_CTL_REMIND_DATE, date);
	if ((rc = store_workdays_read(c->st, &cal)) < 0)
		return ctl_store_fail(CMD, rc);
	until = calendar_covered_until(&cal);
	if (until < day) {
		remind_day_str(until, last);
		printf(TXT_CTL_REMIND_NO_CAL, until < 0 ? TXT_UNKNOWN_VALUE : last);
	}
	if (calendar_is_workday(&cal, day)) {
		rc = dry_run(c, &cal, day);
	} else {
		remind_day_str(day, last);
		remind_day_str(calendar_next_workday(&cal, day), next);
		printf(TXT_CTL_REMIND_OFF_DAY, last, next);
		rc = CTL_OK;
	}
	calendar_free(&cal);
	return rc;
}
