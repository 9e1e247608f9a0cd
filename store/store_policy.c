/* Jurisdiction policies; see store_policy.h. */
#include "store_policy.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../lib/remind.h"
#include "store_internal.h"

static const char POLICY_GET_SQL[] =
	"SELECT region_code, term_months, annual_hours, min_quality_years,"
	" coalesce(min_education, ''), coalesce(min_title, ''), eligibility_mode,"
	" require_appointment_training, remind_term_days, bind_code_days, hours_kinds,"
	" hours_prorate, hours_remind_dates, positions, positions_small_exempt,"
	" disqualifications FROM policies"
	/* The most specific of the region, its city, its province: three key
	 * lookups in that order (an IN list sorted by length took a sorter per
	 * lookup, and every 查询 card makes one). */
	" WHERE region_code = coalesce((SELECT region_code FROM policies WHERE region_code = ?1),"
	" (SELECT region_code FROM policies WHERE region_code = substr(?1, 1, 4)),"
	" (SELECT region_code FROM policies WHERE region_code = substr(?1, 1, 2)))";

static void policy_defaults(struct store_policy *p)
{
	memset(p, 0, sizeof *p);
	p->term_months = 36;
	/* No quota unless a jurisdiction sets one: only Shaanxi's text names hours. */
	p->annual_hours = 0;
	snprintf(p->hours_kinds, sizeof p->hours_kinds, "%s", REMIND_HOURS_KINDS);
	snprintf(p->hours_remind, sizeof p->hours_remind, "%s", REMIND_HOURS_DATES);
	p->min_quality_years = 3;
	p->require_appointment_training = true;
	snprintf(p->remind_term_days, sizeof p->remind_term_days, "90,30,7,0");
	p->bind_code_days = 14;
}

int store_policy_for_region(struct store *st, const char *region_code, struct store_policy *out)
{
	char mode[8];
	sqlite3_stmt *s = store_prepare(st, POLICY_GET_SQL);

	policy_defaults(out);
	if (!s)
		return -EIO;
	store_bind_text(s, 1, region_code);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		store_col_text(s, 0, out->region_code, sizeof out->region_code);
		out->term_months = sqlite3_column_int(s, 1);
		out->annual_hours = sqlite3_column_double(s, 2);
		out->min_quality_years = sqlite3_column_int(s, 3);
		store_col_text(s, 4, out->min_education, sizeof out->min_education);
		store_col_text(s, 5, out->min_title, sizeof out->min_title);
		store_col_text(s, 6, mode, sizeof mode);
		out->eligibility_any = strcmp(mode, "any") == 0;
		out->require_appointment_training = sqlite3_column_int(s, 7) != 0;
		store_col_text(s, 8, out->remind_term_days, sizeof out->remind_term_days);
		out->bind_code_days = sqlite3_column_int(s, 9);
		store_col_text(s, 10, out->hours_kinds, sizeof out->hours_kinds);
		out->hours_prorate = sqlite3_column_int(s, 11) != 0;
		store_col_text(s, 12, out->hours_remind, sizeof out->hours_remind);
		store_col_text(s, 13, out->positions, sizeof out->positions);
		out->positions_small_exempt = sqlite3_column_int(s, 14) != 0;
		store_col_text(s, 15, out->disqualifications, sizeof out->disqualifications);
	}
	store_stmt_done(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_fail(st, "policy", rc);
}

static const char POLICY_SET_SQL[] =
	"INSERT INTO policies (region_code, term_months, annual_hours, min_quality_years,"
	" min_education, min_title, eligibility_mode, require_appointment_training,"
	" remind_term_days, bind_code_days, hours_kinds, hours_prorate, hours_remind_dates,"
	" positions, positions_small_exempt, disqualifications, updated_at)"
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, strftime('%s','now'))"
	" ON CONFLICT (region_code) DO UPDATE SET term_months = excluded.term_months,"
	" annual_hours = excluded.annual_hours, min_quality_years = excluded.min_quality_years,"
	" min_education = excluded.min_education, min_title = excluded.min_title,"
	" eligibility_mode = excluded.eligibility_mode,"
	" require_appointment_training = excluded.require_appointment_training,"
	" remind_term_days = excluded.remind_term_days,"
	" bind_code_days = excluded.bind_code_days, hours_kinds = excluded.hours_kinds,"
	" hours_prorate = excluded.hours_prorate,"
	" hours_remind_dates = excluded.hours_remind_dates, positions = excluded.positions,"
	" positions_small_exempt = excluded.positions_small_exempt,"
	" disqualifications = excluded.disqualifications, updated_at = excluded.updated_at";

int store_policy_set(struct store *st, const struct store_policy *p)
{
	sqlite3_stmt *s = store_prepare(st, POLICY_SET_SQL);
	if (!s)
		return -EIO;
	store_bind_text(s, 1, p->region_code);
	sqlite3_bind_int(s, 2, p->term_months);
	sqlite3_bind_double(s, 3, p->annual_hours);
	sqlite3_bind_int(s, 4, p->min_quality_years);
	store_bind_text_or_null(s, 5, p->min_education);
	store_bind_text_or_null(s, 6, p->min_title);
	store_bind_text(s, 7, p->eligibility_any ? "any" : "all");
	sqlite3_bind_int(s, 8, p->require_appointment_training);
	store_bind_text(s, 9, p->remind_term_days);
	sqlite3_bind_int(s, 10, p->bind_code_days);
	store_bind_text(s, 11, p->hours_kinds);
	sqlite3_bind_int(s, 12, p->hours_prorate);
	store_bind_text(s, 13, p->hours_remind);
	store_bind_text(s, 14, p->positions);
	sqlite3_bind_int(s, 15, p->positions_small_exempt);
	store_bind_text(s, 16, p->disqualifications);
	int rc = sqlite3_step(s);
	store_stmt_done(s);
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return -EINVAL;
	return rc == SQLITE_DONE ? 0 : store_fail(st, "policy set", rc);
}
