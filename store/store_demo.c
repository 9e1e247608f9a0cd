/*
 * Sample data: a small, clearly fictional registry for demos and tests
 * (every enterprise is named 示例 or 演示, every e-mail is at example.com,
 * credit codes carry the made-up organisation codes DEM... and T...), and a
 * generator of many CQOs for benchmarks; see store_demo.h. Everything runs
 * inside the caller's transaction.
 *
 * Dates are computed by SQLite from the bound `today`, so the sample stays
 * current: one term ends about 20 days after `today`, trainings fall in this
 * year and last.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/clock.h"
#include "../lib/creditcode.h"
#include "../lib/log.h"
#include "store_demo.h"
#include "store_internal.h"

/* One bound argument of seed_row(): text, integer or real; kind 0 ends. */
struct seed_arg {
	char kind;
	const char *t;
	int64_t i;
	double d;
};
#define ARG_T(x) {.kind = 't', .t = (x)}
#define ARG_I(x) {.kind = 'i', .i = (x)}
#define ARG_D(x) {.kind = 'd', .d = (x)}
#define ARG_END {.kind = 0}

/* Binds args to ?1, ?2, ...; args past the statement's last parameter are
 * ignored, so statements sharing one list may use only its first few. */
static int bind_args(sqlite3_stmt *s, const struct seed_arg *args)
{
	int rc = SQLITE_OK, n = sqlite3_bind_parameter_count(s);
	for (int i = 0; rc == SQLITE_OK && i < n && args[i].kind; i++) {
		if (args[i].kind == 't')
			rc = store_bind_text(s, i + 1, args[i].t);
		else if (args[i].kind == 'i')
			rc = sqlite3_bind_int64(s, i + 1, args[i].i);
		else
			rc = sqlite3_bind_double(s, i + 1, args[i].d);
	}
	return rc;
}

/* Binds, steps and resets a prepared statement that returns no rows;
 * *rowid (may be NULL) gets the inserted row id. */
static int run_prepared(struct store *st, sqlite3_stmt *s, const struct seed_arg *args,
                        int64_t *rowid)
{
	int rc = bind_args(s, args);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(s);
	if (rc == SQLITE_DONE && rowid)
		*rowid = sqlite3_last_insert_rowid(st->db);
	rc = rc == SQLITE_DONE ? 0 : store_fail(st, "seed", rc);
	store_stmt_done(s);
	return rc;
}

/* Prepares, runs and finalizes one statement (the demo's few rows). */
static int seed_row(struct store *st, const char *sql, const struct seed_arg *args,
                    int64_t *rowid)
{
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
	if (rc != SQLITE_OK)
		return store_fail(st, "seed prepare", rc);
	rc = run_prepared(st, s, args, rowid);
	sqlite3_finalize(s);
	return rc;
}

/* Reads one integer from a query with `args`. */
static int seed_int(struct store *st, const char *sql, const struct seed_arg *args,
                    int64_t *out)
{
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
	if (rc != SQLITE_OK)
		return store_fail(st, "seed prepare", rc);
	rc = bind_args(s, args);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(s, 0);
	rc = rc == SQLITE_ROW ? 0 : store_fail(st, "seed query", rc);
	sqlite3_finalize(s);
	return rc;
}

/* "91" + region + 9-character organisation code + check character. */
static int make_credit_code(const char *region, const char *org, char out[19])
{
	int n = snprintf(out, 19, "91%s%s", region, org);
	if (n != 17)
		return -EINVAL;
	out[17] = creditcode_check_char(out);
	out[18] = '\0';
	return out[17] ? 0 : -EINVAL;
}

static const struct demo_enterprise {
	const char *name, *region, *org, *industry, *size, *nature, *products, *tags[3];
	int employees;
} demo_enterprises[] = {
	{"示例精密机械有限公司", "371302", "DEM000001", "C34", "中型", "有限责任公司",
	 "数控机床零部件（示例）", {"规上", "链主"}, 320},
	{"演示食品股份有限公司", "371311", "DEM000002", "C14", "大型", "股份有限公司",
	 "速冻食品（演示）", {"规上", "食品", "好品"}, 1200},
	{"演示特种设备制造有限公司", "371312", "DEM000003", "C34", "中型", "有限责任公司",
	 "压力容器（演示）", {"特种设备", "质量奖"}, 450},
	{"示例电子科技有限公司", "610113", "DEM000004", "C39", "小微", "有限责任公司",
	 "传感器模组（示例）", {"专精特新"}, 85},
	{"示例医药有限公司", "610112", "DEM000005", "C27", "中型", "有限责任公司",
	 "中成药（示例）", {"规上", "药品"}, 600},
	/* No CQO yet: keeps the appointment rate below 100%. */
	{"演示纺织有限公司", "371302", "DEM000006", "C17", "小微", "有限责任公司",
	 "家纺（演示）", {"规上"}, 60},
};
#define N_DEMO_ENT (sizeof demo_enterprises / sizeof demo_enterprises[0])

static const struct demo_person {
	const char *name, *gender, *birth, *education, *major, *position, *title, *phone, *email;
	int quality_years;
} demo_people[] = {
	{"张三", "男", "1980-03-15", "本科", "机械工程", "副总经理", "高级工程师",
	 "13800000001", "zhangsan@example.com", 12},
	{"李四", "女", "1985-07-02", "大专", "食品科学与工程", "质量部部长", "工程师",
	 "13800000002", "lisi@example.com", 8},
	{"王五", "男", "1978-11-20", "硕士研究生", "电子信息工程", "副总经理", "正高级工程师",
	 "13800000003", "wangwu@example.com", 18},
	{"赵六", "男", "1983-05-09", "本科", "过程装备与控制工程", "质量总监", "高级工程师",
	 "13800000004", "zhaoliu@example.com", 10},
	{"钱七", "女", "1988-01-25", "本科", "药学", "质量受权人", "主管药师",
	 "13800000005", "qianqi@example.com", 7},
	{"孙八", "男", "1970-09-30", "大专", "机械制造", "质量部部长", "工程师",
	 "13800000006", "sunba@example.com", 20},
};
#define N_DEMO_PEOPLE (sizeof demo_people / sizeof demo_people[0])

/* Appointments in filing order; start is in days relative to today; terms
 * run 36 months. The first is 张三's predecessor (孙八, ended). */
static const struct demo_appointment {
	int enterprise, person, start_days, predecessor;   /* predecessor: index + 1 */
	const char *doc_no;
} demo_appointments[] = {
	{0, 5, -2172, 0, "示例企聘字〔示例〕第1号"},   /* term ended about today - 1077 */
	{0, 0, -1076, 1, "示例企聘字〔示例〕第2号"},   /* term ends about today + 20 */
	{1, 1, -400, 0, "演示食聘字〔演示〕第1号"},
	{2, 3, -200, 0, "演示特聘字〔演示〕第1号"},
	{3, 2, -700, 0, "示例电聘字〔示例〕第1号"},
	{4, 4, -60, 0, "示例医聘字〔示例〕第1号"},
};
#define N_DEMO_APPT (sizeof demo_appointments / sizeof demo_appointments[0])

/* Trainings; years is 0 (this year) or negative; never dated after today. */
static const struct demo_training {
	int appointment, years, day;
	const char *kind, *level, *institution;
	double hours;
} demo_trainings[] = {
	{1, -3, 100, "任职培训", "市", "示例市质量协会", 16},
	{1, -1, 60, "继续教育", "省", "示例省质量协会", 30},
	{1, 0, 40, "继续教育", "市", "示例市质量协会", 12},
	{1, 0, 20, "线上自学", NULL, "示例在线学习平台", 8},
	{2, -1, 200, "继续教育", "市", "示例市质量协会", 10},
	{2, 0, 30, "继续教育", "县", "示例区市场监管局", 6},
	{4, 0, 25, "线上自学", NULL, "示例在线学习平台", 32},
	{3, -1, 150, "任职培训", "省", "示例省质量协会", 24},
	{5, -1, 300, "继续教育", "省", "示例省质量协会", 30},
	{5, 0, 10, "线上自学", NULL, "示例在线学习平台", 4},
};
#define N_DEMO_TRAINING (sizeof demo_trainings / sizeof demo_trainings[0])

static int seed_enterprises(struct store *st, int64_t now, int64_t *ids)
{
	for (size_t i = 0; i < N_DEMO_ENT; i++) {
		const struct demo_enterprise *e = &demo_enterprises[i];
		char code[19];
		int rc = make_credit_code(e->region, e->org, code);
		if (rc == 0)
			rc = seed_row(st,
				"INSERT INTO enterprises (credit_code, name, region_code, industry_code,"
				"  size, nature, employees, main_products, contact_name, contact_phone,"
				"  created_at, updated_at)"
				" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, '示例联系人', '13800009999', ?9, ?9)",
				(struct seed_arg[]){ARG_T(code), ARG_T(e->name), ARG_T(e->region),
				                    ARG_T(e->industry), ARG_T(e->size), ARG_T(e->nature),
				                    ARG_I(e->employees), ARG_T(e->products), ARG_I(now),
				                    ARG_END},
				&ids[i]);
		for (size_t t = 0; rc == 0 && t < 3 && e->tags[t]; t++)
			rc = seed_row(st, "INSERT INTO enterprise_tags (enterprise_id, tag) VALUES (?1, ?2)",
			              (struct seed_arg[]){ARG_I(ids[i]), ARG_T(e->tags[t]), ARG_END},
			              NULL);
		if (rc)
			return rc;
	}
	return 0;
}

static int seed_people(struct store *st, int64_t now, int64_t *ids)
{
	for (size_t i = 0; i < N_DEMO_PEOPLE; i++) {
		const struct demo_person *p = &demo_people[i];
		int rc = seed_row(st,
			"INSERT INTO people (name, gender, birth_date, education, major, quality_years,"
			"  position, title, phone, email, resume, created_at, updated_at)"
			" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
			"  '示例履历：本记录为演示数据，不对应真实人员。', ?11, ?11)",
			(struct seed_arg[]){ARG_T(p->name), ARG_T(p->gender), ARG_T(p->birth),
			                    ARG_T(p->education), ARG_T(p->major), ARG_I(p->quality_years),
			                    ARG_T(p->position), ARG_T(p->title), ARG_T(p->phone),
			                    ARG_T(p->email), ARG_I(now), ARG_END},
			&ids[i]);
		if (rc)
			return rc;
	}
	return 0;
}

static int seed_appointments(struct store *st, const char *today, int64_t now,
                             const int64_t *ent, const int64_t *people, int64_t *ids)
{
	for (size_t i = 0; i < N_DEMO_APPT; i++) {
		const struct demo_appointment *a = &demo_appointments[i];
		/* A predecessor's term closed the day before its successor's began. */
		bool ended = i + 1 < N_DEMO_APPT && demo_appointments[i + 1].predecessor == (int)i + 1;
		int next_start = ended ? demo_appointments[i + 1].start_days : 0;
		int rc = seed_row(st,
			"INSERT INTO appointments (enterprise_id, person_id, doc_no, start_date, term_end,"
			"  status, ended_on, end_reason, predecessor_id, filed_by, filed_at, updated_at)"
			" VALUES (?1, ?2, ?3, date(?4, ?5 || ' days'),"
			"  date(?4, ?5 || ' days', '+36 months', '-1 day'),"
			"  iif(?6, 'ended', 'active'), iif(?6, date(?4, (?7 - 1) || ' days'), NULL),"
			"  iif(?6, '任期届满（示例）', NULL), nullif(?8, 0), 'demo', ?9, ?9)",
			(struct seed_arg[]){ARG_I(ent[a->enterprise]), ARG_I(people[a->person]),
			                    ARG_T(a->doc_no), ARG_T(today), ARG_I(a->start_days),
			                    ARG_I(ended), ARG_I(next_start),
			                    ARG_I(a->predecessor ? ids[a->predecessor - 1] : 0),
			                    ARG_I(now), ARG_END},
			&ids[i]);
		if (rc)
			return rc;
	}
	return 0;
}

static int seed_trainings(struct store *st, const char *today, int64_t now,
                          const int64_t *appt)
{
	for (size_t i = 0; i < N_DEMO_TRAINING; i++) {
		const struct demo_training *t = &demo_trainings[i];
		int rc = seed_row(st,
			"INSERT INTO trainings (appointment_id, person_id, kind, date, hours,"
			"  certificate_no, institution, level, created_at)"
			" SELECT id, person_id, ?2,"
			"  min(date(?3, 'start of year', ?4 || ' years', ?5 || ' days'), ?3), ?6,"
			"  iif(?2 = '任职培训', '示例证书' || id, NULL), ?7, ?8, ?9"
			" FROM appointments WHERE id = ?1",
			(struct seed_arg[]){ARG_I(appt[t->appointment]), ARG_T(t->kind), ARG_T(today),
			                    ARG_I(t->years), ARG_I(t->day), ARG_D(t->hours),
			                    ARG_T(t->institution), ARG_T(t->level), ARG_I(now), ARG_END},
			NULL);
		if (rc)
			return rc;
	}
	return 0;
}

/* Sanctions, honours, policies, targets, an alliance and an event: fixed
 * rows whose dates hang off ?1 (today) and whose timestamps are ?2 (now);
 * ?3 is 李四's appointment, ?4 王五's. */
static const char *const demo_rest[] = {
	"INSERT INTO sanctions (appointment_id, kind, ground, reason, issued_on, rectify_by,"
	"  status, created_by, created_at)"
	" VALUES (?3, '警示', '未完成继续教育', '示例：上年度继续教育学时未达到30学时',"
	"  date(?1, '-10 days'), date(?1, '+50 days'), 'open', 'demo', ?2)",
	"INSERT INTO sanctions (appointment_id, kind, ground, reason, issued_on, scheduled_at,"
	"  place, status, created_by, created_at)"
	" VALUES (?4, '约谈', '其他', '示例：质量投诉处理情况约谈（已结束）',"
	"  date(?1, '-40 days'), ?2 - 35 * 86400, '示例区市场监管局三楼会议室', 'closed',"
	"  'demo', ?2)",
	"INSERT INTO honours (person_id, appointment_id, name, year, created_at)"
	" SELECT person_id, id, '优秀首席质量官（示例）', CAST(strftime('%Y', ?1) AS INTEGER) - 1,"
	"  ?2 FROM appointments WHERE id = ?4",
	/* Shaanxi's 30 hours are online self-study (seed 003); Shandong's text
	 * asks for annual continuing education without a number: the demo's
	 * 30 hours there are an example a jurisdiction would set. Shaanxi's
	 * 规上 CQO is a 副总经理 or above, small firms at their discretion;
	 * Shandong names no post. */
	"INSERT INTO policies (region_code, term_months, annual_hours, min_quality_years,"
	"  min_education, min_title, eligibility_mode, hours_kinds, positions,"
	"  positions_small_exempt, updated_by, updated_at)"
	" VALUES ('37', 36, 30, 3, '大专', NULL, 'all', '继续教育,线上自学', '', 0, 'demo', ?2),"
	"  ('61', 36, 30, 3, '本科', '中级', 'any', '线上自学', '主要负责人,高层副职', 1, 'demo',"
	"   ?2)",
	"INSERT INTO targets (region_code, category, year, rate) VALUES"
	"  ('37', '质量奖', 2023, 1.0), ('37', '链主', 2023, 0.3), ('37', '规上', 2023, 0.05),"
	"  ('37', '好品', 2025, 1.0), ('37', '链主', 2025, 0.6), ('37', '规上', 2025, 0.1),"
	"  ('61', '质量奖', 2022, 1.0), ('61', '规上', 2023, 0.8), ('61', '规上', 2025, 1.0)",
	"INSERT INTO alliances (name, region_code, created_at)"
	" VALUES ('示例市首席质量官联盟（演示）', '3713', ?2)",
	"INSERT INTO alliance_members (alliance_id, appointment_id, joined_at)"
	" SELECT (SELECT max(id) FROM alliances), a.id, ?2 FROM appointments a"
	" JOIN enterprises e ON e.id = a.enterprise_id"
	" WHERE a.status = 'active' AND e.region_code LIKE '3713%'",
	/* 14:00-17:00 China Standard Time (06:00 UTC) two weeks from today. */
	"INSERT INTO events (alliance_id, kind, title, starts_at, ends_at, place, capacity,"
	"  signup_deadline, description, status, created_by, created_at, updated_at)"
	" SELECT max(id), '沙龙', '示例：质量提升经验交流沙龙',"
	"  CAST(strftime('%s', ?1, '+14 days', '+6 hours') AS INTEGER),"
	"  CAST(strftime('%s', ?1, '+14 days', '+9 hours') AS INTEGER),"
	"  '示例会展中心二楼', 40, CAST(strftime('%s', ?1, '+11 days') AS INTEGER),"
	"  '演示数据：首席质量官交流质量管理经验。', 'published', 'demo', ?2, ?2"
	" FROM alliances",
};

/* -ENOENT unless every demo region is loaded. */
static int demo_regions_present(struct store *st)
{
	char name[96];
	for (size_t i = 0; i < N_DEMO_ENT; i++) {
		int rc = store_region_name(st, demo_enterprises[i].region, name, sizeof name);
		if (rc == -ENOENT)
			log_warn("store: demo seed needs the regions (load data/regions.csv first)");
		if (rc)
			return rc;
	}
	return 0;
}

static int demo_fill(struct store *st, const char *today, int64_t now)
{
	int64_t ent[N_DEMO_ENT], people[N_DEMO_PEOPLE], appt[N_DEMO_APPT];
	int rc = seed_enterprises(st, now, ent);
	if (rc == 0)
		rc = seed_people(st, now, people);
	if (rc == 0)
		rc = seed_appointments(st, today, now, ent, people, appt);
	if (rc == 0)
		rc = seed_trainings(st, today, now, appt);
	for (size_t i = 0; rc == 0 && i < sizeof demo_rest / sizeof demo_rest[0]; i++)
		rc = seed_row(st, demo_rest[i],
		              (struct seed_arg[]){ARG_T(today), ARG_I(now), ARG_I(appt[2]),
		                                  ARG_I(appt[4]), ARG_END},
		              NULL);
	return rc;
}

int store_demo_seed(struct store *st, const char *today)
{
	int64_t existing = 0;
	if (!store_is_date(today))
		return -EINVAL;
	int rc = seed_int(st, "SELECT (SELECT count(*) FROM enterprises) + (SELECT count(*) FROM people)",
	                  (struct seed_arg[]){ARG_END}, &existing);
	if (rc)
		return rc;
	if (existing > 0)
		return -EEXIST;
	rc = demo_regions_present(st);
	return rc ? rc : demo_fill(st, today, clock_now());
}

/* ---- benchmark data ----
 *
 * Number k (continuing after the newest enterprise) makes enterprise id k,
 * with a credit code built from k, and one person. Enterprises and people
 * are inserted row by row from C (the credit code's check character and the
 * names come from here); records, trainings and tags then follow from each
 * call's range of enterprises in one INSERT ... SELECT each, which cut
 * 100,000 CQOs from about 5 s to 3 s compared with 300,000 more single-row
 * statements. */

/* Generated names: mostly unique, every 50th one of a few common names so
 * that name searches also meet many hits. */
static const char *const common_names[] = {"王伟", "李娜", "张伟", "刘洋", "王芳"};
static const char *const educations[] = {"大专", "本科", "硕士研究生", "博士研究生"};
static const char *const sizes[] = {"大型", "中型", "小微", "小微"};

static const char BENCH_ENT_SQL[] =
	"INSERT INTO enterprises (id, credit_code, name, region_code, industry_code, size,"
	"  employees, created_at, updated_at)"
	" VALUES (?1, ?2, ?3, ?4, 'C34', ?5, ?6, ?7, ?7)";
static const char BENCH_PERSON_SQL[] =
	"INSERT INTO people (id, name, gender, birth_date, education, quality_years,"
	"  position, title, phone, email, created_at, updated_at)"
	" VALUES (?1, ?2, ?3, date('1965-01-01', ?4 || ' days'), ?5, ?6, '质量总监',"
	"  '工程师', ?7, 'bench@example.com', ?8, ?8)";

/* ?1 first enterprise id, ?2 person id minus enterprise id, ?3 today, ?4 now,
 * ?5 the enterprise id after the last. Terms start up to 1000 days ago, so
 * some are about to end. */
static const char BENCH_APPOINT_SQL[] =
	"INSERT INTO appointments (enterprise_id, person_id, start_date, term_end, status,"
	"  filed_by, filed_at, updated_at)"
	" SELECT id, id + ?2, date(?3, -(id % 1000) || ' days'),"
	"  date(?3, -(id % 1000) || ' days', '+36 months', '-1 day'), 'active', 'bench', ?4, ?4"
	" FROM enterprises WHERE id >= ?1 AND id < ?5 ORDER BY id";
static const char BENCH_TRAINING_SQL[] =
	"INSERT INTO trainings (appointment_id, person_id, kind, date, hours, created_at)"
	" SELECT id, person_id, '继续教育', date(?3, -(enterprise_id % 300) || ' days'),"
	"  8 + enterprise_id % 24, ?4 FROM appointments"
	" WHERE enterprise_id >= ?1 AND enterprise_id < ?5";
static const char BENCH_TAG_SQL[] =
	"INSERT INTO enterprise_tags (enterprise_id, tag)"
	" SELECT id, '规上' FROM enterprises WHERE id >= ?1 AND id < ?5 AND id % 3 = 0";

struct store_bench {
	struct store *st;
	char today[11];
	int64_t now;
	char *codes;                 /* owned: county codes, 7 bytes each */
	size_t n_codes;
};

/* Runs one of the cached statements above. */
static int bench_run(struct store *st, const char *sql, const struct seed_arg *args)
{
	sqlite3_stmt *s = store_prepare(st, sql);
	return s ? run_prepared(st, s, args, NULL) : -EIO;
}

/* Inserts enterprise k and its person (id k + person_offset). */
static int bench_row(struct store_bench *b, int64_t k, int64_t person_offset)
{
	const char *region = b->codes + 7 * (size_t)(k % (int64_t)b->n_codes);
	/* Sized for any int64_t, so only the length check below can fail. */
	char code[40], ent_name[64], person_name[48], phone[32];
	int rc;

	if (snprintf(code, sizeof code, "91%sT%08lld", region, (long long)k) != 17)
		return -EINVAL;
	code[17] = creditcode_check_char(code);
	code[18] = '\0';
	snprintf(ent_name, sizeof ent_name, "测试企业%06lld有限公司", (long long)k);
	if (k % 50 == 0)
		snprintf(person_name, sizeof person_name, "%s", common_names[(k / 50) % 5]);
	else
		snprintf(person_name, sizeof person_name, "测试人员%06lld", (long long)k);
	snprintf(phone, sizeof phone, "139%08lld", (long long)k);

	rc = bench_run(b->st, BENCH_ENT_SQL,
	               (struct seed_arg[]){ARG_I(k), ARG_T(code), ARG_T(ent_name), ARG_T(region),
	                                   ARG_T(sizes[k % 4]), ARG_I(20 + k % 2000),
	                                   ARG_I(b->now), ARG_END});
	if (rc == 0)
		rc = bench_run(b->st, BENCH_PERSON_SQL,
		               (struct seed_arg[]){ARG_I(k + person_offset), ARG_T(person_name),
		                                   ARG_T(k % 2 ? "男" : "女"), ARG_I(k % 9000),
		                                   ARG_T(educations[k % 4]), ARG_I(3 + k % 20),
		                                   ARG_T(phone), ARG_I(b->now), ARG_END});
	return rc;
}

/* County codes to spread enterprises over; *codes (7 bytes each) is
 * malloc'ed and owned by the caller. */
static int county_codes(struct store *st, char **codes, size_t *n)
{
	int64_t count = 0;
	sqlite3_stmt *s;
	int rc = seed_int(st, "SELECT count(*) FROM regions WHERE level = 3",
	                  (struct seed_arg[]){ARG_END}, &count);
	*codes = NULL;
	*n = 0;
	if (rc)
		return rc;
	if (count == 0) {
		log_warn("store: bench seed needs the regions (load data/regions.csv first)");
		return -ENOENT;
	}
	rc = sqlite3_prepare_v2(st->db, "SELECT code FROM regions WHERE level = 3 ORDER BY code",
	                        -1, &s, NULL);
	if (rc != SQLITE_OK)
		return store_fail(st, "seed prepare", rc);
	*codes = calloc((size_t)count, 7);
	if (!*codes) {
		sqlite3_finalize(s);
		return -ENOMEM;
	}
	while (*n < (size_t)count && sqlite3_step(s) == SQLITE_ROW)
		store_col_text(s, 0, *codes + 7 * (*n)++, 7);
	sqlite3_finalize(s);
	return 0;
}

/* The organisation code holds eight digits of k. */
#define BENCH_END 100000000

/* The numbers `count` more CQOs would have: [*first, *first + count), and
 * the first person id; -EINVAL past eight digits. */
static int bench_numbers(struct store *st, size_t count, int64_t *first, int64_t *first_person)
{
	int rc = seed_int(st, "SELECT coalesce(max(id), 0) + 1 FROM enterprises",
	                  (struct seed_arg[]){ARG_END}, first);
	if (rc == 0)
		rc = seed_int(st, "SELECT coalesce(max(id), 0) + 1 FROM people",
		              (struct seed_arg[]){ARG_END}, first_person);
	if (rc)
		return rc;
	return count < 1 || count >= BENCH_END || *first + (int64_t)count > BENCH_END ? -EINVAL : 0;
}

int store_bench_open(struct store *st, size_t n, const char *today, struct store_bench **out)
{
	struct store_bench *b;
	int64_t first, first_person;

	*out = NULL;
	if (!store_is_date(today))
		return -EINVAL;
	int rc = bench_numbers(st, n, &first, &first_person);
	if (rc)
		return rc;
	if (!(b = calloc(1, sizeof *b)))
		return -ENOMEM;
	b->st = st;
	memcpy(b->today, today, sizeof b->today);
	b->now = clock_now();
	if ((rc = county_codes(st, &b->codes, &b->n_codes))) {
		free(b);
		return rc;
	}
	*out = b;
	return 0;
}

int store_bench_add(struct store_bench *b, size_t count)
{
	int64_t first, first_person;

	/* Read in the caller's transaction, so that rows others wrote between
	 * two calls only move the numbering on. */
	int rc = bench_numbers(b->st, count, &first, &first_person);
	if (rc)
		return rc;
	int64_t end = first + (int64_t)count;
	for (int64_t k = first; rc == 0 && k < end; k++)
		rc = bench_row(b, k, first_person - first);
	const struct seed_arg range[] = {ARG_I(first), ARG_I(first_person - first), ARG_T(b->today),
	                                 ARG_I(b->now), ARG_I(end), ARG_END};
	if (rc == 0)
		rc = bench_run(b->st, BENCH_APPOINT_SQL, range);
	if (rc == 0)
		rc = bench_run(b->st, BENCH_TRAINING_SQL, range);
	if (rc == 0)
		rc = bench_run(b->st, BENCH_TAG_SQL, range);
	return rc;
}

void store_bench_close(struct store_bench *b)
{
	if (!b)
		return;
	free(b->codes);
	free(b);
}
