/* The reminder sweep (daemon/remind_sweep.c) over the store: each rule at
 * its milestones with fixed clocks across a weekend, National Day 2026 and
 * its make-up Saturday; once only across a repeated sweep and a week of
 * downtime; a person's reminders merged into one message; acknowledgement
 * and muting; the clerks' digests and their scope; sanction notices on
 * issuance; the calendar warning; the dry run. Fixtures are written with
 * SQL; the calendar is data/cn-workcalendar.csv. Run from the repository
 * root. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../lib/calendar.h"
#include "../../lib/clock.h"
#include "../../lib/config.h"
#include "../../lib/remind.h"
#include "../../handlers/sanction_notice.h"
#include "../../daemon/remind_sweep.h"
#include "../../store/store.h"
#include "statement_count.h"
#include "store_fresh.h"
#include "../../store/store_audit.h"
#include "../../store/store_internal.h"
#include "../../store/store_remind.h"
#include "../../store/store_remind_ack.h"
#include "../../store/store_sanction.h"
#include "../../store/store_workdays.h"
#include "../../messages/platforms.h"

#define SEND_AT (9 * 3600 + 30 * 60)   /* the sweeps run at 09:30 */

static const struct store_actor actor = {
	.platform = "wecom", .user_id = "u", .chat_id = "c", .command = "测试",
};

struct fixture {
	char dir[64];
	struct store *st;
	struct calendar cal;
	struct config cfg;
	struct config_instance inst[3];
	int batch;
	int serial;                 /* makes credit codes unique */
	size_t printed;             /* dry run */
	int steps;                  /* the last sweep's steps (transactions) */
};

/* The test owns its unit of work: it begins and ends the transaction the
 * store's writes run in. */
static void begin(struct store *st)
{
	assert_int_equal(store_begin(st), 0);
}

static void commit(struct store *st)
{
	assert_int_equal(store_commit(st), 0);
}

static struct fixture *F(void **state)
{
	return *state;
}

static int64_t D(const char *date)
{
	int64_t day;
	assert_int_equal(clock_parse_date(date, &day), 0);
	return day;
}

static void exec(struct store *st, const char *sql)
{
	char *err = NULL;
	if (sqlite3_exec(st->db, sql, NULL, NULL, &err) != SQLITE_OK) {
		fprintf(stderr, "%s\n%s\n", sql, err);
		sqlite3_free(err);
		fail();
	}
}

/* One integer from SQL with %-formatted parameters (test values only). */
static int64_t num(struct store *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int64_t num(struct store *st, const char *fmt, ...)
{
	char sql[1024];
	sqlite3_stmt *s;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof sql, fmt, ap);
	va_end(ap);
	assert_int_equal(sqlite3_prepare_v2(st->db, sql, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	int64_t v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* Every message enqueued for `target` (a user id), concatenated. */
static char *texts_for(struct store *st, const char *target)
{
	static char buf[65536];
	sqlite3_stmt *s;
	size_t used = 0;

	buf[0] = '\0';
	assert_int_equal(sqlite3_prepare_v2(st->db,
		"SELECT payload FROM outbox WHERE destination LIKE '%|user|0|' || ?1 ORDER BY id",
		-1, &s, NULL), SQLITE_OK);
	sqlite3_bind_text(s, 1, target, -1, SQLITE_STATIC);
	while (sqlite3_step(s) == SQLITE_ROW && used < sizeof buf - 1)
		used += (size_t)snprintf(buf + used, sizeof buf - used, "%s\n",
		                         (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	return buf;
}

static int64_t messages_for(struct store *st, const char *target)
{
	return num(st, "SELECT count(*) FROM outbox WHERE destination LIKE '%%|user|0|%s'", target);
}

/* How often `needle` occurs in `hay`. */
static int occurrences(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

/* A CQO with an active record in `region`; returns the record (记录号).
 * filed_on is when it was filed; every CQO has had appointment training
 * unless `untrained`, and has done 40 hours of continuing education in
 * 2026 (so the annual hours are due only where a test wants them). */
static int64_t add_cqo(struct fixture *f, const char *name, const char *region,
                       const char *term_end, const char *filed_on, bool untrained)
{
	char sql[2048];
	int64_t filed = remind_day_start(D(filed_on)) + 10 * 3600;

	f->serial++;
	snprintf(sql, sizeof sql,
	         "INSERT INTO enterprises (credit_code, name, region_code, created_at, updated_at)"
	         " VALUES ('91%s%09dX', '%s的测试企业', '%s', 0, 0);"
	         "INSERT INTO people (name, created_at, updated_at) VALUES ('%s', 0, 0);"
	         "INSERT INTO appointments (enterprise_id, person_id, start_date, term_end, filed_at,"
	         " updated_at) VALUES ((SELECT max(id) FROM enterprises), (SELECT max(id) FROM people),"
	         " date('%s', '-3 years'), '%s', %lld, 0);",
	         region, f->serial, name, region, name, term_end, term_end, (long long)filed);
	exec(f->st, sql);
	int64_t id = num(f->st, "SELECT max(id) FROM appointments");
	snprintf(sql, sizeof sql,
	         "INSERT INTO trainings (person_id, kind, date, hours, created_at)"
	         " SELECT person_id, '继续教育', '2026-01-15', 40, 0 FROM appointments WHERE id = %lld",
	         (long long)id);
	exec(f->st, sql);
	if (!untrained) {
		snprintf(sql, sizeof sql,
		         "INSERT INTO trainings (appointment_id, person_id, kind, date, hours, created_at)"
		         " SELECT id, person_id, '任职培训', '%s', 8, 0 FROM appointments WHERE id = %lld",
		         filed_on, (long long)id);
		exec(f->st, sql);
	}
	return id;
}

static int64_t person_of(struct fixture *f, int64_t record)
{
	return num(f->st, "SELECT person_id FROM appointments WHERE id = %lld", (long long)record);
}

/* A chat identity: a cqo bound to record's person, or a clerk or admin. */
static void add_identity(struct fixture *f, const char *platform, const char *user,
                         const char *role, const char *scope, int64_t record,
                         const char *instance)
{
	char sql[1024];
	snprintf(sql, sizeof sql,
	         "INSERT INTO identities (platform, user_id, role, scope_region, person_id, instance,"
	         " created_at, updated_at) VALUES ('%s', '%s', '%s', nullif('%s', ''),"
	         " (SELECT person_id FROM appointments WHERE id = %lld), nullif('%s', ''), 0, 0)",
	         platform, user, role, scope ? scope : "", (long long)record,
	         instance ? instance : "");
	exec(f->st, sql);
}

static void on_print(void *arg, const struct dest *d, const struct reply *r)
{
	(void)d;
	(void)r;
	((struct fixture *)arg)->printed++;
}

/* The daemon's sweep of `today` at 09:30 (or a dry run); returns what it
 * did. A day already swept does nothing. */
static struct remind_sweep_stats sweep_opt(struct fixture *f, const char *today, bool dry)
{
	struct remind_sweep_stats stats = {0};
	struct remind_sweep_opts o = {.today = D(today), .now = remind_day_start(D(today)) + SEND_AT,
	                              .cal = &f->cal, .cfg = &f->cfg, .batch = f->batch};
	struct remind_sweep *s;
	int64_t last;
	bool done = false;

	if (dry) {
		o.print = on_print;
		o.print_arg = f;
	}
	assert_true(calendar_is_workday(&f->cal, o.today));
	assert_int_equal(store_remind_last_sweep(f->st, &last), 0);
	if (!remind_window(&f->cal, o.today, last, 31, &o.from, &o.to))
		return stats;
	assert_int_equal(remind_sweep_begin(f->st, &o, &s), 0);
	for (f->steps = 0; !done; f->steps++)
		assert_int_equal(remind_sweep_step(s, &done), 0);
	remind_sweep_stats(s, &stats);
	remind_sweep_free(s);
	return stats;
}

static struct remind_sweep_stats sweep(struct fixture *f, const char *today)
{
	return sweep_opt(f, today, false);
}

static void set_last(struct fixture *f, const char *day)
{
	begin(f->st);
	assert_int_equal(store_remind_set_last_sweep(f->st, D(day), 0), 0);
	commit(f->st);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	struct store_workdays_load res;
	char path[128];

	assert_non_null(f);
	snprintf(f->dir, sizeof f->dir, "/tmp/cqod-test-remind-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(path, sizeof path, "%s/cqod.db", f->dir);
	assert_int_equal(store_fresh_open(path, &f->st), 0);
	begin(f->st);
	assert_int_equal(store_regions_load_csv(f->st, "data/regions.csv", NULL), 0);
	assert_int_equal(store_workdays_load_csv(f->st, "data/cn-workcalendar.csv", &res), 0);
	commit(f->st);
	assert_int_equal(store_workdays_read(f->st, &f->cal), 0);
	f->inst[0] = (struct config_instance){.platform = "wecom", .name = "w1"};
	f->inst[1] = (struct config_instance){.platform = "wecom", .name = "w2"};
	f->inst[2] = (struct config_instance){.platform = "feishu", .name = "f1"};
	f->cfg.instances = f->inst;
	f->cfg.n_instances = 3;
	f->batch = 2;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	static const char *const names[] = {"cqod.db", "cqod.db-wal", "cqod.db-shm"};
	struct fixture *f = *state;
	char p[128];

	store_close(f->st);
	calendar_free(&f->cal);
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		snprintf(p, sizeof p, "%s/%s", f->dir, names[i]);
		unlink(p);
	}
	rmdir(f->dir);
	free(f);
	return 0;
}

/* 90, 30, 7 and 0 days before a term ends on a Saturday: the Saturday
 * milestones go out on the Fridays before, through the identity's own
 * instance. */
static void test_term_weekend(void **state)
{
	struct fixture *f = F(state);
	int64_t a = add_cqo(f, "甲", "371302", "2026-11-28", "2023-11-01", false);

	add_identity(f, "wecom", "jia", "cqo", NULL, a, "w2");
	sweep(f, "2026-08-27");
	assert_int_equal(messages_for(f->st, "jia"), 0);
	sweep(f, "2026-08-28");   /* 90 days before: Sunday 08-30 */
	assert_int_equal(messages_for(f->st, "jia"), 1);
	assert_non_null(strstr(texts_for(f->st, "jia"), "还有 92 天"));
	/* 收到 is a button; how to mute stays in the text. */
	assert_non_null(strstr(texts_for(f->st, "jia"), "\"key\":\"收到\""));
	assert_non_null(strstr(texts_for(f->st, "jia"), "可关闭该类提醒；处理通知不能关闭"));
	assert_int_equal(num(f->st, "SELECT count(*) FROM outbox WHERE destination ="
	                            " 'wecom|w2|user|0|jia'"), 1);
	sweep(f, "2026-10-29");   /* 30 days before, a Thursday */
	assert_int_equal(messages_for(f->st, "jia"), 2);
	sweep(f, "2026-11-19");
	assert_int_equal(messages_for(f->st, "jia"), 2);
	sweep(f, "2026-11-20");   /* 7 days before: Saturday 11-21 */
	assert_int_equal(messages_for(f->st, "jia"), 3);
	assert_non_null(strstr(texts_for(f->st, "jia"), "还有 8 天"));
	sweep(f, "2026-11-23");
	sweep(f, "2026-11-26");
	assert_int_equal(messages_for(f->st, "jia"), 3);
	sweep(f, "2026-11-27");   /* the end itself: Saturday 11-28 */
	assert_int_equal(messages_for(f->st, "jia"), 4);
	assert_non_null(strstr(texts_for(f->st, "jia"), "还有 1 天"));
	assert_int_equal(num(f->st, "SELECT count(*) FROM reminder_ledger WHERE rule = 'term'"
	                            " AND record_id = %lld AND outbox_id IS NOT NULL", (long long)a), 4);
	assert_null(strstr(texts_for(f->st, "jia"), "补发"));
}

/* National Day 2026: a term ending on 10-05 is reminded on 09-30; the
 * make-up Saturday 10-10 sends its own and Sunday's milestones. */
static void test_term_holiday_and_makeup(void **state)
{
	struct fixture *f = F(state);
	int64_t b = add_cqo(f, "乙", "371302", "2026-10-05", "2023-10-01", false);
	int64_t c = add_cqo(f, "丙", "371302", "2026-10-17", "2023-10-01", false);
	int64_t d = add_cqo(f, "丁", "371302", "2026-10-18", "2023-10-01", false);

	add_identity(f, "wecom", "yi", "cqo", NULL, b, NULL);
	add_identity(f, "wecom", "bing", "cqo", NULL, c, NULL);
	add_identity(f, "wecom", "ding", "cqo", NULL, d, NULL);
	sweep(f, "2026-09-28");   /* 乙: 7 days before, a Monday */
	assert_int_equal(messages_for(f->st, "yi"), 1);
	/* Without a known instance, the platform's first one. */
	assert_int_equal(num(f->st, "SELECT count(*) FROM outbox WHERE destination ="
	                            " 'wecom|w1|user|0|yi'"), 1);
	sweep(f, "2026-09-29");
	assert_int_equal(messages_for(f->st, "yi"), 1);
	sweep(f, "2026-09-30");   /* covers 09-30 to 10-07 */
	assert_int_equal(messages_for(f->st, "yi"), 2);
	assert_non_null(strstr(texts_for(f->st, "yi"), "还有 5 天"));
	sweep(f, "2026-10-08");
	sweep(f, "2026-10-09");
	assert_int_equal(messages_for(f->st, "bing"), 0);
	assert_int_equal(messages_for(f->st, "ding"), 0);
	sweep(f, "2026-10-10");   /* Saturday, worked: 丙's 10-10 and 丁's 10-11 */
	assert_int_equal(messages_for(f->st, "bing"), 1);
	assert_int_equal(messages_for(f->st, "ding"), 1);
	assert_non_null(strstr(texts_for(f->st, "ding"), "还有 8 天"));
	sweep(f, "2026-10-12");
	assert_int_equal(messages_for(f->st, "ding"), 1);
}

/* A jurisdiction's own offsets (policies.remind_term_days) replace the
 * defaults there, and only there. */
static void test_policy_offsets(void **state)
{
	struct fixture *f = F(state);
	int64_t xa = add_cqo(f, "陕甲", "610113", "2027-01-22", "2023-11-01", false);
	int64_t xb = add_cqo(f, "陕乙", "610113", "2027-02-21", "2023-11-01", false);
	int64_t sd = add_cqo(f, "鲁甲", "371302", "2027-02-21", "2023-11-01", false);

	exec(f->st, "INSERT INTO policies (region_code, remind_term_days) VALUES ('61', '60,14')");
	add_identity(f, "wecom", "xa", "cqo", NULL, xa, "w1");
	add_identity(f, "wecom", "xb", "cqo", NULL, xb, "w1");
	add_identity(f, "wecom", "sd", "cqo", NULL, sd, "w1");
	sweep(f, "2026-11-23");   /* 60 days before 01-22, 90 before 02-21 */
	assert_non_null(strstr(texts_for(f->st, "xa"), "还有 60 天"));
	assert_int_equal(messages_for(f->st, "xb"), 0);
	assert_non_null(strstr(texts_for(f->st, "sd"), "还有 90 天"));
}

/* A sweep repeated after a crash (the day not yet recorded) sends
 * nothing twice; a day already swept is not swept again. */
static void test_once_across_restart(void **state)
{
	struct fixture *f = F(state);
	int64_t a = add_cqo(f, "甲", "371302", "2026-11-28", "2023-11-01", false);
	int64_t g = add_cqo(f, "庚", "371302", "2026-11-27", "2023-11-01", false);

	add_identity(f, "wecom", "jia", "cqo", NULL, a, "w1");
	add_identity(f, "wecom", "clerk", "clerk", "3713", 0, "w1");
	(void)g;
	struct remind_sweep_stats st = sweep(f, "2026-11-20");
	int64_t rows = num(f->st, "SELECT count(*) FROM outbox");
	int64_t ledger = num(f->st, "SELECT count(*) FROM reminder_ledger");
	assert_int_equal(st.messages, 2);   /* 甲, and the clerk's digest with 庚 unbound */
	assert_int_equal(rows, 2);
	set_last(f, "2026-11-19");
	st = sweep(f, "2026-11-20");
	assert_int_equal(st.messages, 0);
	assert_int_equal(num(f->st, "SELECT count(*) FROM outbox"), rows);
	assert_int_equal(num(f->st, "SELECT count(*) FROM reminder_ledger"), ledger);
	st = sweep(f, "2026-11-20");
	assert_int_equal(st.items, 0);
}

/* A week of downtime: the first sweep after it catches up once, says what
 * is late, and a lapsed term's weekly notice comes once. */
static void test_week_downtime(void **state)
{
	struct fixture *f = F(state);
	int64_t a = add_cqo(f, "甲", "371302", "2026-11-28", "2023-11-01", false);
	int64_t e = add_cqo(f, "戊", "371302", "2026-11-01", "2023-11-01", false);

	add_identity(f, "wecom", "jia", "cqo", NULL, a, "w1");
	add_identity(f, "wecom", "wu", "cqo", NULL, e, "w1");
	set_last(f, "2026-11-13");
	sweep(f, "2026-11-23");
	assert_int_equal(messages_for(f->st, "jia"), 1);
	assert_non_null(strstr(texts_for(f->st, "jia"), "（补发：应于 2026-11-20 提醒）"));
	assert_int_equal(messages_for(f->st, "wu"), 1);
	assert_int_equal(occurrences(texts_for(f->st, "wu"), "任期逾期"), 1);
	assert_non_null(strstr(texts_for(f->st, "wu"), "已逾期 22 天"));
	sweep(f, "2026-11-24");
	sweep(f, "2026-11-25");
	assert_int_equal(messages_for(f->st, "jia"), 1);
	assert_int_equal(messages_for(f->st, "wu"), 1);
	/* The next week's notice is on time again. */
	sweep(f, "2026-11-27");
	assert_int_equal(messages_for(f->st, "wu"), 2);
	assert_int_equal(occurrences(texts_for(f->st, "wu"), "补发"), 1);
}

/* Two reminders for one person on one day are one message (to each of
 * their identities); each milestone keeps its ledger row, pointing at it. */
static void test_merge(void **state)
{
	struct fixture *f = F(state);
	int64_t p = add_cqo(f, "己", "371302", "2026-12-23", "2026-10-24", true);

	add_identity(f, "wecom", "ji", "cqo", NULL, p, "w1");
	add_identity(f, "feishu", "ou_ji", "cqo", NULL, p, NULL);
	struct remind_sweep_stats st = sweep(f, "2026-11-23");
	assert_int_equal(st.items, 3);   /* and the digest's line (no clerk to read it) */
	assert_int_equal(messages_for(f->st, "ji"), 1);
	assert_int_equal(messages_for(f->st, "ou_ji"), 1);
	const char *t = texts_for(f->st, "ji");
	assert_non_null(strstr(t, "任期提醒"));
	assert_non_null(strstr(t, "还有 30 天"));
	assert_non_null(strstr(t, "任职培训"));
	assert_int_equal(num(f->st, "SELECT count(DISTINCT outbox_id) FROM reminder_ledger"
	                            " WHERE person_id = %lld", (long long)person_of(f, p)), 1);
	assert_int_equal(num(f->st, "SELECT count(*) FROM reminder_ledger WHERE person_id = %lld"
	                            " AND outbox_id IS NOT NULL", (long long)person_of(f, p)), 2);
}

/* The digests' lines are claimed with the first digest that lists them
 * (the first clerk by platform and user); a reminder its person could not
 * receive, and a line no clerk's scope holds, are claimed with no outbox
 * row. A second sweep of the day then finds them all claimed: no second
 * digest, nothing counted. */
static void test_digest_ledger_first(void **state)
{
	struct fixture *f = F(state);
	int64_t g = add_cqo(f, "张测", "371302", "2026-12-23", "2023-11-01", false);
	int64_t h = add_cqo(f, "王测", "610113", "2026-12-23", "2023-11-01", false);

	add_identity(f, "wecom", "cb", "clerk", "3713", 0, "w1");
	add_identity(f, "wecom", "ca", "clerk", "37", 0, "w1");
	struct remind_sweep_stats st = sweep(f, "2026-11-23");
	assert_int_equal(st.digests, 2);
	assert_int_equal(st.items, 4);   /* each record's digest line and its unbound term */
	int64_t first = num(f->st, "SELECT id FROM outbox WHERE destination = 'wecom|w1|user|0|ca'");
	assert_int_equal(num(f->st, "SELECT outbox_id FROM reminder_ledger WHERE"
	                            " rule = 'digest_term' AND record_id = %lld", (long long)g),
	                 first);
	assert_int_equal(num(f->st, "SELECT count(*) FROM reminder_ledger WHERE rule = 'term'"
	                            " AND record_id = %lld AND outbox_id IS NULL", (long long)g), 1);
	assert_int_equal(num(f->st, "SELECT count(*) FROM reminder_ledger WHERE"
	                            " rule = 'digest_term' AND record_id = %lld"
	                            " AND outbox_id IS NULL", (long long)h), 1);
	assert_int_equal(num(f->st, "SELECT count(*) FROM reminder_ledger"), 4);
	set_last(f, "2026-11-20");
	st = sweep(f, "2026-11-23");
	assert_int_equal(st.digests, 0);
	assert_int_equal(st.items, 0);
	assert_int_equal(st.messages, 0);
	assert_int_equal(num(f->st, "SELECT count(*) FROM outbox"), 2);
	assert_int_equal(num(f->st, "SELECT count(*) FROM reminder_ledger"), 4);
}

/* A milestone already in the ledger is not sent again, while the same
 * person's other milestones of the day and other persons' still are. */
static void test_page_skips_claimed(void **state)
{
	struct fixture *f = F(state);
	int64_t a = add_cqo(f, "甲", "371302", "2027-02-21", "2026-10-24", true);
	int64_t b = add_cqo(f, "乙", "371302", "2027-02-21", "2023-11-01", false);
	int64_t c = add_cqo(f, "丙", "371302", "2027-02-21", "2023-11-01", false);
	bool fresh;

	add_identity(f, "wecom", "jia", "cqo", NULL, a, "w1");
	add_identity(f, "wecom", "yi", "cqo", NULL, b, "w1");
	add_identity(f, "wecom", "bing", "cqo", NULL, c, "w1");
	begin(f->st);
	for (int i = 0; i < 2; i++) {
		int64_t rec = i ? c : a;
		struct remind_item it = {.rule = REMIND_TERM, .record_id = rec,
		                         .person_id = person_of(f, rec),
		                         .milestone = D("2026-11-23")};
		assert_int_equal(store_remind_ledger_claim(f->st, &it, 0, &fresh), 0);
		assert_true(fresh);
	}
	commit(f->st);
	struct remind_sweep_stats st = sweep(f, "2026-11-23");   /* 90 days before */
	assert_int_equal(st.items, 2);   /* 甲's training, 乙's term */
	assert_int_equal(st.messages, 2);
	const char *t = texts_for(f->st, "jia");
	assert_non_null(strstr(t, "任职培训"));
	assert_null(strstr(t, "任期提醒"));
	assert_non_null(strstr(texts_for(f->st, "yi"), "任期提醒"));
	assert_int_equal(messages_for(f->st, "bing"), 0);
	/* The rows claimed before are left as they were. */
	assert_int_equal(num(f->st, "SELECT count(*) FROM reminder_ledger WHERE rule = 'term'"
	                            " AND outbox_id IS NULL"), 2);
	assert_int_equal(num(f->st, "SELECT count(*) FROM reminder_ledger"), 4);
}

/* The end of a sweep, and a digest phase with nothing to list, run in the
 * transaction of the step before them; a digest with lines is a step of
 * its own. */
static void test_light_phases_join(void **state)
{
	struct fixture *f = F(state);
	int64_t last;

	sweep(f, "2026-11-23");   /* nothing due: one step */
	assert_int_equal(f->steps, 1);
	assert_int_equal(store_remind_last_sweep(f->st, &last), 0);
	assert_int_equal(last, D("2026-11-23"));
	f->batch = 1;
	for (int i = 0; i < 2; i++) {
		int64_t rec = add_cqo(f, "轻", "371302", "2027-02-22", "2023-11-01", false);
		add_identity(f, "wecom", i ? "q1" : "q0", "cqo", NULL, rec, "w1");
	}
	sweep(f, "2026-11-24");   /* 90 days before: two pages, no digest */
	assert_int_equal(messages_for(f->st, "q0") + messages_for(f->st, "q1"), 2);
	assert_int_equal(f->steps, 2);
	add_cqo(f, "未绑", "371302", "2027-02-23", "2023-11-01", false);
	add_cqo(f, "轻", "371302", "2027-02-23", "2023-11-01", false);
	add_identity(f, "wecom", "clerk", "clerk", "3713", 0, "w1");
	add_identity(f, "wecom", "q2", "cqo", NULL, num(f->st, "SELECT max(id) FROM appointments"),
	             "w1");
	sweep(f, "2026-11-25");   /* two pages, then the digest (未绑) and the end */
	assert_int_equal(messages_for(f->st, "q2"), 1);
	assert_int_equal(messages_for(f->st, "clerk"), 1);
	assert_int_equal(f->steps, 3);
	assert_int_equal(store_remind_last_sweep(f->st, &last), 0);
	assert_int_equal(last, D("2026-11-25"));
}

/* A page of persons costs a few statements whatever its size, and one
 * outbox row per message (issue 17, P4: per-person statements were most
 * of the sweep's time): 30 persons due, each with one identity, one of
 * them muted and one with two identities, in one step. The ledger and the
 * outbox rows are those one statement per person wrote: each milestone
 * points at its person's first message (by platform, then user). */
static void test_page_statements(void **state)
{
	struct fixture *f = F(state);
	char user[16];
	int64_t rec[30];
	int statements = 0;

	for (int i = 0; i < 30; i++) {
		rec[i] = add_cqo(f, "批", "371302", "2026-11-26", "2023-11-01", false);
		snprintf(user, sizeof user, "p%d", i);
		add_identity(f, "wecom", user, "cqo", NULL, rec[i], "w1");
	}
	add_identity(f, "feishu", "ou_p1", "cqo", NULL, rec[1], "f1");
	exec(f->st, "INSERT INTO reminder_mutes (person_id, category)"
	            " SELECT person_id, 'term' FROM appointments WHERE id = (SELECT min(id) FROM"
	            " appointments)");
	f->batch = 100;
	statement_count_start(f->st, &statements);
	struct remind_sweep_stats st = sweep(f, "2026-08-28");   /* 90 days before 11-26 */
	statement_count_stop(f->st);
	assert_int_equal(st.items, 29);
	assert_int_equal(st.messages, 30);
	assert_int_equal(messages_for(f->st, "p0"), 0);
	assert_int_equal(messages_for(f->st, "p1"), 1);
	assert_int_equal(messages_for(f->st, "ou_p1"), 1);
	assert_non_null(strstr(texts_for(f->st, "p29"), "还有 90 天"));
	assert_int_equal(num(f->st, "SELECT count(*) FROM reminder_ledger l JOIN outbox o"
	                            " ON o.id = l.outbox_id WHERE l.rule = 'term'"), 29);
	assert_int_equal(num(f->st, "SELECT count(*) FROM reminder_ledger l JOIN outbox o"
	                            " ON o.id = l.outbox_id WHERE o.destination LIKE 'feishu|%%'"), 1);
	assert_int_equal(num(f->st, "SELECT count(*) FROM reminder_ledger"), 29);
	/* One insert per message; the rest grows by a statement per 8 items at
	 * most: collect's queries, the page's reads, its ledger reads and rows
	 * (32 or 8 to a statement), the finish, the transactions. It was 6 per
	 * person. */
	assert_in_range(statements, 30, 30 + 45);
}

/* A page of more than 32 due persons goes through the ledger's statements
 * of 32 and 8 items as well as the single ones: 75 persons, each claimed
 * once, each milestone pointing at that person's own message; a second
 * sweep of the day finds all 75 claimed and sends nothing. */
static void test_page_ledger_in_chunks(void **state)
{
	struct fixture *f = F(state);
	char user[16];

	for (int i = 0; i < 75; i++) {
		int64_t rec = add_cqo(f, "批", "371302", "2026-11-26", "2023-11-01", false);
		snprintf(user, sizeof user, "p%d", i);
		add_identity(f, "wecom", user, "cqo", NULL, rec, "w1");
	}
	f->batch = 100;
	struct remind_sweep_stats st = sweep(f, "2026-08-28");
	assert_int_equal(st.items, 75);
	assert_int_equal(st.messages, 75);
	assert_int_equal(num(f->st, "SELECT count(*) FROM reminder_ledger"), 75);
	assert_int_equal(num(f->st, "SELECT count(*) FROM reminder_ledger l"
	                            " JOIN outbox o ON o.id = l.outbox_id"
	                            " JOIN identities i ON i.person_id = l.person_id"
	                            " WHERE o.destination LIKE '%%|' || i.user_id"
	                            " AND l.milestone_date = '2026-08-28'"), 75);
	st = sweep(f, "2026-08-28");
	assert_int_equal(st.items, 0);
	assert_int_equal(st.messages, 0);
	assert_int_equal(num(f->st, "SELECT count(*) FROM outbox"), 75);
}

/* A page's reads come out of their indexes in the order the sweep walks
 * them (person, then platform and user): none of them sorts its rows
 * (issue 17, P4: a page's identities were sorted in a temporary b-tree,
 * half of reading them). */
static void test_page_reads_unsorted(void **state)
{
	struct fixture *f = F(state);
	char user[16];
	int reads = 0;

	for (int i = 0; i < 12; i++) {
		int64_t rec = add_cqo(f, "序", "371302", "2026-11-26", "2023-11-01", false);
		snprintf(user, sizeof user, "q%d", i);
		add_identity(f, "wecom", user, "cqo", NULL, rec, "w1");
		if (i % 3 == 0)
			add_identity(f, "feishu", user, "cqo", NULL, rec, "f1");
	}
	f->batch = 5;
	struct remind_sweep_stats st = sweep(f, "2026-08-28");   /* 90 days before 11-26 */
	assert_int_equal(st.items, 12);
	assert_int_equal(st.messages, 16);
	for (sqlite3_stmt *s = sqlite3_next_stmt(f->st->db, NULL); s;
	     s = sqlite3_next_stmt(f->st->db, s)) {
		if (!strstr(sqlite3_sql(s), "json_each"))
			continue;
		reads++;
		assert_int_equal(sqlite3_stmt_status(s, SQLITE_STMTSTATUS_SORT, 0), 0);
	}
	assert_int_equal(reads, 3);
}

/* 收到 stops a lapsed term's weekly notice; unacknowledged, it goes on. */
static void test_overdue_ack(void **state)
{
	struct fixture *f = F(state);
	int64_t e = add_cqo(f, "戊", "371302", "2026-11-01", "2023-11-01", false);
	int64_t h = add_cqo(f, "辛", "371302", "2026-11-01", "2023-11-01", false);
	int reminders, sanctions;

	add_identity(f, "wecom", "wu", "cqo", NULL, e, "w1");
	add_identity(f, "wecom", "xin", "cqo", NULL, h, "w1");
	add_identity(f, "wecom", "clerk", "clerk", "371302", 0, "w1");
	sweep(f, "2026-11-06");   /* covers Sunday 11-08, a week after the end */
	assert_int_equal(messages_for(f->st, "wu"), 1);
	assert_non_null(strstr(texts_for(f->st, "wu"), "已逾期 5 天"));
	assert_int_equal(occurrences(texts_for(f->st, "clerk"), "任期已逾期"), 2);
	begin(f->st);
	assert_int_equal(store_remind_ack_person(f->st, &actor, person_of(f, e),
	                                         remind_day_start(D("2026-11-06")) + 36000,
	                                         &reminders, &sanctions), 0);
	commit(f->st);
	assert_int_equal(reminders, 1);
	assert_int_equal(sanctions, 0);
	begin(f->st);
	assert_int_equal(store_remind_ack_person(f->st, &actor, person_of(f, e), 0, &reminders,
	                                         &sanctions), 0);
	commit(f->st);
	assert_int_equal(reminders, 0);
	sweep(f, "2026-11-13");
	assert_int_equal(messages_for(f->st, "wu"), 1);
	assert_int_equal(messages_for(f->st, "xin"), 2);
	/* The clerk did not acknowledge: both still in the digest. */
	assert_int_equal(occurrences(texts_for(f->st, "clerk"), "任期已逾期"), 4);
	int n;
	begin(f->st);
	assert_int_equal(store_remind_ack_scope(f->st, &actor, "371302", 0, &n), 0);
	commit(f->st);
	assert_int_equal(n, 4);
	sweep(f, "2026-11-20");
	assert_int_equal(occurrences(texts_for(f->st, "clerk"), "任期已逾期"), 4);
	assert_int_equal(messages_for(f->st, "xin"), 3);
}

/* A summons with its notice the day before and on the morning; a muted
 * category is left out, sanctions cannot be. */
static void test_mute_and_summons(void **state)
{
	struct fixture *f = F(state);
	int64_t p = add_cqo(f, "壬", "371302", "2026-11-30", "2023-11-01", false);
	int64_t meet = remind_day_start(D("2026-11-24")) + 14 * 3600 + 30 * 60;
	char sql[512];
	bool changed;

	add_identity(f, "wecom", "ren", "cqo", NULL, p, "w1");
	snprintf(sql, sizeof sql,
	         "INSERT INTO sanctions (appointment_id, kind, ground, issued_on, scheduled_at, place,"
	         " created_at) VALUES (%lld, '约谈', '其他', '2026-11-20', %lld, '三楼会议室', 0)",
	         (long long)p, (long long)meet);
	exec(f->st, sql);
	begin(f->st);
	assert_int_equal(store_remind_mute_set(f->st, &actor, person_of(f, p), "term", true, 0,
	                                       &changed), 0);
	assert_true(changed);
	assert_int_equal(store_remind_mute_set(f->st, &actor, person_of(f, p), "term", true, 0,
	                                       &changed), 0);
	assert_false(changed);
	commit(f->st);
	sweep(f, "2026-11-23");   /* term 7 days before, and the eve of the summons */
	const char *t = texts_for(f->st, "ren");
	assert_int_equal(messages_for(f->st, "ren"), 1);
	assert_non_null(strstr(t, "明天 14:30"));
	assert_non_null(strstr(t, "三楼会议室"));
	assert_null(strstr(t, "任期提醒"));
	sweep(f, "2026-11-24");
	assert_int_equal(messages_for(f->st, "ren"), 2);
	assert_non_null(strstr(texts_for(f->st, "ren"), "今天 14:30"));
	begin(f->st);
	assert_int_equal(store_remind_mute_set(f->st, &actor, person_of(f, p), "term", false, 0,
	                                       &changed), 0);
	commit(f->st);
	assert_true(changed);
	sweep(f, "2026-11-30");   /* the end */
	assert_non_null(strstr(texts_for(f->st, "ren"), "任期提醒"));
}

/* Each clerk's digest holds only what is in their scope; people without a
 * chat identity appear there ("未绑定，无法提醒"); one digest a day. */
static void test_digest_scope(void **state)
{
	struct fixture *f = F(state);
	int64_t g = add_cqo(f, "张测", "371302", "2026-12-23", "2023-11-01", false);
	int64_t h = add_cqo(f, "王测", "610113", "2026-12-23", "2023-11-01", false);

	add_identity(f, "wecom", "c3713", "clerk", "3713", 0, "w1");
	add_identity(f, "wecom", "c61", "clerk", "61", 0, "w2");
	add_identity(f, "wecom", "c11", "clerk", "11", 0, "w1");
	add_identity(f, "generic", "cgen", "clerk", "37", 0, NULL);
	(void)g;
	(void)h;
	struct remind_sweep_stats st = sweep(f, "2026-11-23");
	assert_int_equal(st.digests, 2);
	assert_int_equal(st.unbound, 2);
	const char *t = texts_for(f->st, "c3713");
	assert_non_null(strstr(t, "张测"));
	assert_non_null(strstr(t, "未绑定，无法提醒"));
	assert_null(strstr(t, "王测"));
	t = texts_for(f->st, "c61");
	assert_non_null(strstr(t, "王测"));
	assert_null(strstr(t, "张测"));
	assert_int_equal(messages_for(f->st, "c11"), 0);
	assert_int_equal(messages_for(f->st, "cgen"), 0);
	/* The digest line and the undelivered reminder are one line. */
	assert_int_equal(occurrences(texts_for(f->st, "c3713"), "张测（"), 1);
	set_last(f, "2026-11-20");
	sweep(f, "2026-11-23");
	assert_int_equal(messages_for(f->st, "c3713"), 1);
}

/* A term ending on the day of the sweep reads 今日届满 in the digest. */
static void test_digest_term_ends_today(void **state)
{
	struct fixture *f = F(state);

	add_cqo(f, "张测", "371302", "2026-11-23", "2023-11-24", false);
	add_identity(f, "wecom", "c3713", "clerk", "3713", 0, "w1");
	sweep(f, "2026-11-23");
	const char *t = texts_for(f->st, "c3713");
	assert_non_null(strstr(t, "任期今日届满：张测"));
	assert_null(strstr(t, "剩余 0 天"));
}

/* Appointment training: 30 days after filing to the CQO, 60 days to the
 * digest; a rectification deadline the day before; an unacknowledged
 * sanction a day after issuance, then weekly. */
static void test_training_rectify_unacked(void **state)
{
	struct fixture *f = F(state);
	int64_t t30 = add_cqo(f, "训甲", "371302", "2029-01-01", "2026-10-24", true);
	int64_t t60 = add_cqo(f, "训乙", "371302", "2029-01-01", "2026-09-24", true);
	int64_t done = add_cqo(f, "训丙", "371302", "2029-01-01", "2026-10-24", false);
	char sql[512];

	add_identity(f, "wecom", "t30", "cqo", NULL, t30, "w1");
	add_identity(f, "wecom", "t60", "cqo", NULL, t60, "w1");
	add_identity(f, "wecom", "done", "cqo", NULL, done, "w1");
	add_identity(f, "wecom", "clerk", "clerk", "37", 0, "w1");
	snprintf(sql, sizeof sql,
	         "INSERT INTO sanctions (appointment_id, kind, ground, issued_on, rectify_by,"
	         " created_at) VALUES (%lld, '警示', '其他', '2026-11-22', '2026-11-24', 0)",
	         (long long)done);
	exec(f->st, sql);
	sweep(f, "2026-11-23");
	assert_non_null(strstr(texts_for(f->st, "t30"), "备案已满 30 天"));
	assert_int_equal(messages_for(f->st, "t60"), 0);
	assert_non_null(strstr(texts_for(f->st, "done"), "整改期限为 2026-11-24"));
	const char *t = texts_for(f->st, "clerk");
	assert_non_null(strstr(t, "未参加任职培训：训乙"));
	assert_non_null(strstr(t, "备案已满 60 天"));
	assert_null(strstr(t, "训甲"));
	assert_non_null(strstr(t, "处理未确认：训丙"));
	/* A week later, still not acknowledged. */
	sweep(f, "2026-11-30");
	assert_int_equal(occurrences(texts_for(f->st, "clerk"), "处理未确认"), 2);
	int r, s;
	begin(f->st);
	assert_int_equal(store_remind_ack_person(f->st, &actor, person_of(f, done), 0, &r, &s), 0);
	commit(f->st);
	assert_int_equal(s, 1);
	sweep(f, "2026-12-07");
	assert_int_equal(occurrences(texts_for(f->st, "clerk"), "处理未确认"), 2);
}

/* Annual hours on 09-01, in pages of persons, merged with the same day's
 * other reminders. */
static void test_hours(void **state)
{
	struct fixture *f = F(state);
	int64_t j = add_cqo(f, "学甲", "371302", "2026-10-01", "2023-09-01", false);
	int64_t k = add_cqo(f, "学乙", "371302", "2029-01-01", "2023-09-01", false);
	int64_t l = add_cqo(f, "学丙", "610113", "2029-01-01", "2023-09-01", false);
	char sql[512];

	f->batch = 1;
	exec(f->st, "DELETE FROM trainings WHERE kind = '继续教育'");
	add_identity(f, "wecom", "xj", "cqo", NULL, j, "w1");
	add_identity(f, "wecom", "xk", "cqo", NULL, k, "w1");
	add_identity(f, "wecom", "xl", "cqo", NULL, l, "w1");
	snprintf(sql, sizeof sql,
	         "INSERT INTO trainings (person_id, kind, date, hours, created_at)"
	         " VALUES (%lld, '继续教育', '2026-03-01', 10, 0), (%lld, '线上自学', '2026-05-01', 30, 0),"
	         " (%lld, '继续教育', '2025-05-01', 40, 0)",
	         (long long)person_of(f, j), (long long)person_of(f, k), (long long)person_of(f, l));
	exec(f->st, sql);
	/* Shandong's policy asks for 30 hours, Shaanxi's for 40. */
	exec(f->st, "INSERT INTO policies (region_code, annual_hours) VALUES ('37', 30)");
	exec(f->st, "INSERT INTO policies (region_code, annual_hours) VALUES ('61', 40)");
	struct remind_sweep_stats st = sweep(f, "2026-09-01");
	assert_int_equal(messages_for(f->st, "xj"), 1);
	const char *t = texts_for(f->st, "xj");
	assert_non_null(strstr(t, "已完成 10.0 学时，还差 20.0 学时"));
	assert_non_null(strstr(t, "还有 30 天"));
	assert_int_equal(messages_for(f->st, "xk"), 0);
	assert_non_null(strstr(texts_for(f->st, "xl"), "要求 40.0 学时"));
	assert_int_equal(st.messages, 2);
	sweep(f, "2026-09-02");
	assert_int_equal(messages_for(f->st, "xj"), 1);
}

/* The policy's days are the days sent (`policy set --training-month 6`
 * showed "每年 6 月" and sent nothing on 06-01); only the kinds it names
 * count, pro rata for a CQO appointed this year; a region without a quota
 * gets no annual-hours reminder at all. */
static void test_hours_policy_days_and_kinds(void **state)
{
	struct fixture *f = F(state);
	int64_t j = add_cqo(f, "时甲", "610113", "2029-01-01", "2023-09-01", false);
	int64_t k = add_cqo(f, "时乙", "371302", "2029-01-01", "2023-09-01", false);
	int64_t l = add_cqo(f, "时丙", "110101", "2029-01-01", "2023-09-01", false);
	int64_t m = add_cqo(f, "时丁", "610113", "2029-01-01", "2023-09-01", false);
	char sql[512];

	add_identity(f, "wecom", "sj", "cqo", NULL, j, "w1");
	add_identity(f, "wecom", "sk", "cqo", NULL, k, "w1");
	add_identity(f, "wecom", "sl", "cqo", NULL, l, "w1");
	add_identity(f, "wecom", "sm", "cqo", NULL, m, "w1");
	/* Everyone has 40 h of continuing education (add_cqo) and nothing else
	 * this year; 时丁 was appointed on 2026-11-20 and studied 5 h online. */
	exec(f->st, "DELETE FROM trainings WHERE kind = '任职培训'");
	snprintf(sql, sizeof sql,
	         "UPDATE appointments SET start_date = '2026-11-20' WHERE id = %lld;"
	         "INSERT INTO trainings (person_id, kind, date, hours, created_at)"
	         " VALUES (%lld, '线上自学', '2026-05-01', 5, 0)",
	         (long long)m, (long long)person_of(f, m));
	exec(f->st, sql);
	exec(f->st, "INSERT INTO policies (region_code, annual_hours, hours_kinds, hours_prorate,"
	            " hours_remind_dates) VALUES ('61', 30, '线上自学', 1, '06-01'),"
	            " ('37', 30, '继续教育,线上自学', 0, '09-01,11-01,12-01')");
	sweep(f, "2026-06-01");
	/* Continuing education is not online study: 0 of 30 h. */
	assert_int_equal(messages_for(f->st, "sj"), 1);
	assert_non_null(strstr(texts_for(f->st, "sj"), "已完成 0.0 学时，还差 30.0 学时"));
	/* 2 months left of 30 h: 5 h, done. */
	assert_int_equal(messages_for(f->st, "sm"), 0);
	assert_int_equal(messages_for(f->st, "sk") + messages_for(f->st, "sl"), 0);
	/* 09-01 is Shandong's day, not Shaanxi's; 时乙 has his 40 h. */
	exec(f->st, "UPDATE policies SET annual_hours = 50 WHERE region_code = '37'");
	sweep(f, "2026-09-01");
	assert_int_equal(messages_for(f->st, "sj"), 1);
	assert_int_equal(messages_for(f->st, "sk"), 1);
	assert_non_null(strstr(texts_for(f->st, "sk"), "已完成 40.0 学时，还差 10.0 学时"));
	/* Beijing sets no quota: never reminded. */
	sweep(f, "2026-11-02");
	sweep(f, "2026-12-01");
	assert_int_equal(messages_for(f->st, "sl"), 0);
	assert_int_equal(messages_for(f->st, "sk"), 3);
}

/* The day before an event, to those signed up and confirmed. */
static void test_event(void **state)
{
	struct fixture *f = F(state);
	int64_t j = add_cqo(f, "会甲", "371302", "2029-01-01", "2023-09-01", false);
	int64_t k = add_cqo(f, "会乙", "371302", "2029-01-01", "2023-09-01", false);
	char sql[1024];

	add_identity(f, "wecom", "hj", "cqo", NULL, j, "w1");
	add_identity(f, "wecom", "hk", "cqo", NULL, k, "w1");
	snprintf(sql, sizeof sql,
	         "INSERT INTO alliances (name, created_at) VALUES ('测试联盟', 0);"
	         "INSERT INTO events (alliance_id, kind, title, starts_at, place, status, created_at,"
	         " updated_at) VALUES (1, '沙龙', '质量沙龙', %lld, '会展中心', 'published', 0, 0);"
	         "INSERT INTO signups (event_id, person_id, status, created_at) VALUES"
	         " (1, %lld, 'confirmed', 0), (1, %lld, 'waitlist', 0)",
	         (long long)(remind_day_start(D("2026-11-24")) + 14 * 3600), (long long)person_of(f, j),
	         (long long)person_of(f, k));
	exec(f->st, sql);
	sweep(f, "2026-11-20");
	assert_int_equal(messages_for(f->st, "hj"), 0);
	sweep(f, "2026-11-23");
	assert_non_null(strstr(texts_for(f->st, "hj"), "沙龙“质量沙龙”将于 2026-11-24 14:00"));
	assert_int_equal(messages_for(f->st, "hk"), 0);
}

/* A sanction's notice goes in the sanction's own transaction, once. */
static void test_sanction_notice(void **state)
{
	struct fixture *f = F(state);
	int64_t p = add_cqo(f, "处甲", "371302", "2029-01-01", "2023-09-01", false);
	int64_t q = add_cqo(f, "处乙", "371302", "2029-01-01", "2023-09-01", false);
	int64_t id;

	add_identity(f, "wecom", "cj", "cqo", NULL, p, "w2");
	struct store_sanction_new n = {
		.appointment_id = p, .kind = "警示", .ground = "违法违规", .reason = "测试",
		.issued_on = "2026-11-23", .now = 0, .on_issued = sanction_notice_sanction,
		.on_issued_arg = &f->cfg,
	};
	begin(f->st);
	assert_int_equal(store_sanction_issue(f->st, &actor, &n, &id, NULL), 0);
	commit(f->st);
	assert_int_equal(messages_for(f->st, "cj"), 1);
	const char *t = texts_for(f->st, "cj");
	assert_non_null(strstr(t, "处理通知 · 警示"));
	assert_non_null(strstr(t, "违法违规，测试"));
	/* A card with 收到 on it, the press sending 收到. */
	assert_non_null(strstr(t, "\"msgtype\":\"template_card\""));
	assert_non_null(strstr(t, "{\"text\":\"收到\",\"style\":1,\"key\":\"收到\"}"));
	assert_int_equal(num(f->st, "SELECT count(*) FROM reminder_ledger WHERE rule = 'sanction'"
	                            " AND record_id = %lld AND outbox_id IS NOT NULL", (long long)id),
	                 1);
	begin(f->st);
	assert_int_equal(sanction_notice_sanction(f->st, id, &f->cfg), 0);
	commit(f->st);
	assert_int_equal(messages_for(f->st, "cj"), 1);
	/* Nobody to tell: the sanction is still issued. */
	n.appointment_id = q;
	begin(f->st);
	assert_int_equal(store_sanction_issue(f->st, &actor, &n, &id, NULL), 0);
	commit(f->st);
	assert_int_equal(num(f->st, "SELECT count(*) FROM outbox"), 1);
}

/* An enterprise contact (企业联系人) of record's enterprise on WeCom `instance`. */
static void add_contact(struct fixture *f, const char *user, int64_t record, const char *instance)
{
	char sql[512];

	snprintf(sql, sizeof sql,
	         "INSERT INTO identities (platform, user_id, role, enterprise_id, instance,"
	         " created_at, updated_at) VALUES ('wecom', '%s', 'contact',"
	         " (SELECT enterprise_id FROM appointments WHERE id = %lld), '%s', 0, 0)",
	         user, (long long)record, instance);
	exec(f->st, sql);
}

static int64_t issue_kind(struct fixture *f, int64_t record, const char *kind, const char *day)
{
	struct store_sanction_new n = {
		.appointment_id = record, .kind = kind, .ground = "违法违规", .reason = "测试",
		.issued_on = day, .now = 0, .on_issued = sanction_notice_sanction,
		.on_issued_arg = &f->cfg,
	};
	int64_t id;

	begin(f->st);
	assert_int_equal(store_sanction_issue(f->st, &actor, &n, &id, NULL), 0);
	commit(f->st);
	return id;
}

/* A 建议解聘 reaches the enterprise: at once when a contact is bound, and
 * worded to the enterprise; otherwise it stands in the clerks' digest as
 * 待送达企业 until a contact binds and is sent it. Other kinds stay with the
 * CQO. */
static void test_advise_dismissal_reaches_enterprise(void **state)
{
	struct fixture *f = F(state);
	int64_t bound = add_cqo(f, "解甲", "371302", "2029-01-01", "2023-09-01", false);
	int64_t later = add_cqo(f, "解乙", "371302", "2029-01-01", "2023-09-01", false);
	int64_t never = add_cqo(f, "解丙", "371302", "2029-01-01", "2023-09-01", false);
	char sql[256];
	size_t sent;

	add_identity(f, "wecom", "clerk", "clerk", "3713", 0, "w1");
	add_identity(f, "wecom", "jj", "cqo", NULL, bound, "w1");
	add_contact(f, "ent-jia", bound, "w2");
	sweep(f, "2026-11-20");
	int64_t warn = issue_kind(f, bound, "警示", "2026-11-23");
	assert_int_equal(messages_for(f->st, "ent-jia"), 0);
	int64_t a = issue_kind(f, bound, "建议解聘", "2026-11-23");
	assert_int_equal(messages_for(f->st, "jj"), 2);
	assert_int_equal(messages_for(f->st, "ent-jia"), 1);
	assert_int_equal(num(f->st, "SELECT count(*) FROM outbox WHERE destination ="
	                            " 'wecom|w2|user|0|ent-jia'"), 1);
	const char *t = texts_for(f->st, "ent-jia");
	assert_non_null(strstr(t, "处理通知 · 建议解聘首席质量官"));
	assert_non_null(strstr(t, "解甲的测试企业：贵单位首席质量官解甲（记录号"));
	assert_non_null(strstr(t, "），事由：违法违规，测试。市场监管部门于 2026-11-23 建议贵单位依规解聘"));
	assert_null(strstr(t, "警示"));
	assert_int_equal(num(f->st, "SELECT count(*) FROM reminder_ledger WHERE"
	                            " rule = 'sanction_enterprise' AND record_id = %lld"
	                            " AND outbox_id IS NOT NULL AND person_id IS NULL",
	                            (long long)a), 1);
	assert_int_equal(num(f->st, "SELECT count(*) FROM reminder_ledger WHERE"
	                            " rule = 'sanction_enterprise' AND record_id = %lld",
	                            (long long)warn), 0);
	/* Sent once: a second call sends nothing. */
	begin(f->st);
	assert_int_equal(sanction_notice_sanction(f->st, a, &f->cfg), 0);
	assert_int_equal(sanction_notice_enterprise(f->st, num(f->st, "SELECT enterprise_id FROM"
	                                                           " appointments WHERE id = %lld",
	                                                           (long long)bound),
	                                            &f->cfg, &sent), 0);
	commit(f->st);
	assert_int_equal(sent, 0);
	assert_int_equal(messages_for(f->st, "ent-jia"), 1);

	/* No contact: nothing for the enterprise, a line in the digest. */
	int64_t b = issue_kind(f, later, "建议解聘", "2026-11-23");
	int64_t c = issue_kind(f, never, "建议解聘", "2026-11-23");
	sweep(f, "2026-11-23");
	assert_null(strstr(texts_for(f->st, "clerk"), "待送达企业"));
	sweep(f, "2026-11-24");
	t = texts_for(f->st, "clerk");
	assert_int_equal(occurrences(t, "待送达企业"), 2);
	assert_non_null(strstr(t, "待送达企业：解乙（解乙的测试企业，记录号"));
	assert_non_null(strstr(t, "尚未绑定企业联系人；请发送“绑定码 企业"));
	assert_null(strstr(t, "待送达企业：解甲"));
	(void)b;
	(void)c;

	/* A contact of 解乙's enterprise binds (through WeCom w1): it is sent
	 * what waited, and the digest no longer lists it. */
	add_contact(f, "ent-yi", later, "w1");
	begin(f->st);
	assert_int_equal(sanction_notice_enterprise(f->st, num(f->st, "SELECT enterprise_id FROM"
	                                                           " appointments WHERE id = %lld",
	                                                           (long long)later),
	                                            &f->cfg, &sent), 0);
	commit(f->st);
	assert_int_equal(sent, 1);
	assert_int_equal(num(f->st, "SELECT count(*) FROM outbox WHERE destination ="
	                            " 'wecom|w1|user|0|ent-yi'"), 1);
	assert_non_null(strstr(texts_for(f->st, "ent-yi"), "贵单位首席质量官解乙"));
	sweep(f, "2026-12-01");
	t = texts_for(f->st, "clerk");
	assert_int_equal(occurrences(t, "待送达企业"), 3);
	assert_int_equal(occurrences(t, "待送达企业：解丙"), 2);
	assert_int_equal(occurrences(t, "待送达企业：解乙"), 1);
	/* Once 解丙's appointment is over, the advice is moot: not listed. */
	snprintf(sql, sizeof sql, "UPDATE appointments SET status = 'dismissed',"
	         " ended_on = '2026-12-02', end_reason = '解聘' WHERE id = %lld", (long long)never);
	exec(f->st, sql);
	sweep(f, "2026-12-08");
	assert_int_equal(occurrences(texts_for(f->st, "clerk"), "待送达企业"), 3);
}

/* A month before the calendar runs out the admins are told, once. */
static void test_calendar_warning(void **state)
{
	struct fixture *f = F(state);

	add_identity(f, "wecom", "adm", "admin", NULL, 0, "w1");
	sweep(f, "2026-11-30");
	assert_int_equal(messages_for(f->st, "adm"), 0);
	sweep(f, "2026-12-01");
	assert_int_equal(messages_for(f->st, "adm"), 1);
	assert_non_null(strstr(texts_for(f->st, "adm"), "工作日日历只到 2026-12-31"));
	sweep(f, "2026-12-02");
	assert_int_equal(messages_for(f->st, "adm"), 1);
}

/* The dry run shows the messages and writes nothing. */
static void test_dry_run(void **state)
{
	struct fixture *f = F(state);
	int64_t a = add_cqo(f, "甲", "371302", "2026-11-28", "2023-11-01", false);

	add_identity(f, "wecom", "jia", "cqo", NULL, a, "w1");
	add_identity(f, "wecom", "clerk", "clerk", "37", 0, "w1");
	add_cqo(f, "无绑", "371302", "2026-11-27", "2023-11-01", false);
	int64_t changes = num(f->st, "SELECT total_changes()");
	struct remind_sweep_stats st = sweep_opt(f, "2026-11-20", true);
	assert_int_equal(st.messages, 2);
	assert_int_equal(f->printed, 2);
	assert_int_equal(num(f->st, "SELECT total_changes()"), changes);
	assert_int_equal(num(f->st, "SELECT count(*) FROM reminder_sweeps"), 0);
	/* Then the real one sends just that. */
	st = sweep(f, "2026-11-20");
	assert_int_equal(st.messages, 2);
}

/* 未确认: open sanctions and delivered reminders not acknowledged, in
 * scope only. */
static void test_unacked_list(void **state)
{
	struct fixture *f = F(state);
	int64_t a = add_cqo(f, "甲", "371302", "2026-11-28", "2023-11-01", false);
	int64_t w = add_cqo(f, "西", "610113", "2026-11-28", "2023-11-01", false);
	struct store_remind_unacked rows[10];
	size_t n, total;

	add_identity(f, "wecom", "jia", "cqo", NULL, a, "w1");
	add_identity(f, "wecom", "xi", "cqo", NULL, w, "w1");
	exec(f->st, "INSERT INTO sanctions (appointment_id, kind, ground, issued_on, created_at)"
	            " VALUES (1, '警示', '其他', '2026-11-19', 0)");
	sweep(f, "2026-11-20");
	assert_int_equal(store_remind_unacked(f->st, "3713", "2026-10-01", 0, rows, 10, &n, &total),
	                 0);
	assert_int_equal(total, 2);
	assert_string_equal(rows[0].person_name, "甲");
	assert_string_equal(rows[0].rule, "term");
	assert_int_equal(rows[1].sanction_id, 1);
	assert_int_equal(store_remind_unacked(f->st, "", "2026-10-01", 1, rows, 10, &n, &total), 0);
	assert_int_equal(total, 3);
	assert_int_equal(n, 2);
	int r, s;
	begin(f->st);
	assert_int_equal(store_remind_ack_person(f->st, &actor, person_of(f, a), 0, &r, &s), 0);
	commit(f->st);
	assert_int_equal(store_remind_unacked(f->st, "3713", "2026-10-01", 0, rows, 10, &n, &total),
	                 0);
	assert_int_equal(total, 0);
}

/* Whether the program of the statement `sql` opens table `table` (its
 * b-tree, not an index of it) to read. */
static bool opens_table(struct store *st, const char *sql, const char *table)
{
	char explain[8192];
	sqlite3_stmt *s;
	bool opens = false;
	int64_t root = num(st, "SELECT rootpage FROM sqlite_schema WHERE type = 'table'"
	                       " AND name = '%s'", table);

	snprintf(explain, sizeof explain, "EXPLAIN %s", sql);
	assert_int_equal(sqlite3_prepare_v2(st->db, explain, -1, &s, NULL), SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW)
		opens |= strcmp((const char *)sqlite3_column_text(s, 1), "OpenRead") == 0 &&
		         sqlite3_column_int64(s, 3) == root;
	sqlite3_finalize(s);
	return opens;
}

/* The term milestones and the lapsed terms come out of the index on the
 * active terms' end alone, which holds the record, person and enterprise
 * (issue 17, P4: each due record was a read of its table row, a random
 * page of the registry, for three of its columns). */
static void test_terms_from_index(void **state)
{
	struct fixture *f = F(state);
	int checked = 0;
	char sql[8192];

	add_cqo(f, "索", "371302", "2026-11-26", "2023-11-01", false);
	add_cqo(f, "逾", "371302", "2026-08-14", "2023-11-01", false);
	struct remind_sweep_stats st = sweep(f, "2026-08-28");   /* 90 days before 11-26 */
	assert_true(st.items > 0);
	for (size_t i = 0; i < f->st->n_slots; i++) {
		sqlite3_stmt *stmt = f->st->slots[i].stmt, *plan;
		bool covered = false;

		if (!stmt || (!strstr(sqlite3_sql(stmt), "a.term_end BETWEEN") &&
		              !strstr(sqlite3_sql(stmt), "a.term_end <= ?1")))
			continue;
		snprintf(sql, sizeof sql, "EXPLAIN QUERY PLAN %s", sqlite3_sql(stmt));
		assert_int_equal(sqlite3_prepare_v2(f->st->db, sql, -1, &plan, NULL), SQLITE_OK);
		while (sqlite3_step(plan) == SQLITE_ROW)
			covered |= strstr((const char *)sqlite3_column_text(plan, 3),
			                  "COVERING INDEX appointments_active_term_end") != NULL;
		sqlite3_finalize(plan);
		if (!covered)
			fail_msg("%s\nreads the table", sqlite3_sql(stmt));
		checked++;
	}
	assert_int_equal(checked, 2);
}

/* What a person's message shows of a record (its enterprise's name, the
 * term's end) comes with the milestone or from the enterprises: a page's
 * reads open neither the records nor the people (issue 17, P4: the page
 * read every due record again, and its person, for a name the persons'
 * messages do not show). The messages say what they said; the clerks'
 * digests, which name the persons, read them as before. */
static void test_page_reads_enterprises_only(void **state)
{
	struct fixture *f = F(state);
	int64_t a = add_cqo(f, "页", "371302", "2026-11-26", "2023-11-01", false);
	int64_t b = add_cqo(f, "训", "371302", "2026-12-30", "2026-07-29", true);
	int reads = 0;
	char want[256];

	add_identity(f, "wecom", "ye", "cqo", NULL, a, "w1");
	add_identity(f, "wecom", "xun", "cqo", NULL, b, "w1");
	f->batch = 100;
	struct remind_sweep_stats st = sweep(f, "2026-08-28");   /* 90 days before 11-26 */
	assert_int_equal(st.messages, 2);
	snprintf(want, sizeof want, "页的测试企业（记录号 %lld）", (long long)a);
	assert_non_null(strstr(texts_for(f->st, "ye"), want));
	assert_non_null(strstr(texts_for(f->st, "ye"), "2026-11-26"));
	assert_non_null(strstr(texts_for(f->st, "ye"), "还有 90 天"));
	snprintf(want, sizeof want, "训的测试企业（记录号 %lld）", (long long)b);
	assert_non_null(strstr(texts_for(f->st, "xun"), want));
	for (sqlite3_stmt *s = sqlite3_next_stmt(f->st->db, NULL); s;
	     s = sqlite3_next_stmt(f->st->db, s)) {
		if (!strstr(sqlite3_sql(s), "json_each"))
			continue;
		reads++;
		if (opens_table(f->st, sqlite3_sql(s), "appointments") ||
		    opens_table(f->st, sqlite3_sql(s), "people"))
			fail_msg("%s\nreads the records or the people", sqlite3_sql(s));
	}
	assert_int_equal(reads, 3);
}

/* Collected through another connection (the daemon's worker), the persons'
 * pages read nothing on the sweep's own: their mutes, chat identities and
 * enterprise names come with the collect, and the steps on the loop read
 * only the ledger before writing it and the outbox. The messages are the
 * same. */
static void test_collect_reads_what_pages_show(void **state)
{
	struct fixture *f = F(state);
	int64_t a = add_cqo(f, "页", "371302", "2026-11-26", "2023-11-01", false);
	int64_t b = add_cqo(f, "训", "371302", "2026-12-30", "2026-07-29", true);
	static const char *const shown[] = {"identities", "reminder_mutes", "enterprises",
	                                    "appointments", "people"};
	struct remind_sweep_opts o = {.today = D("2026-08-28"), .cal = &f->cal, .cfg = &f->cfg};
	struct remind_sweep *s;
	struct store *ro;
	char path[128], want[256];
	bool done = false;

	add_identity(f, "wecom", "ye", "cqo", NULL, a, "w1");
	add_identity(f, "wecom", "xun", "cqo", NULL, b, "w1");
	o.now = remind_day_start(o.today) + SEND_AT;
	assert_true(remind_window(&f->cal, o.today, -1, 31, &o.from, &o.to));
	snprintf(path, sizeof path, "%s/cqod.db", f->dir);
	assert_int_equal(store_open_readonly(path, &ro), 0);
	assert_int_equal(remind_sweep_new(f->st, &o, &s), 0);
	assert_int_equal(store_read_begin(ro), 0);
	assert_int_equal(remind_sweep_collect(s, ro), 0);
	assert_int_equal(store_read_end(ro), 0);
	store_close(ro);
	while (!done)
		assert_int_equal(remind_sweep_step(s, &done), 0);
	remind_sweep_free(s);
	snprintf(want, sizeof want, "页的测试企业（记录号 %lld）", (long long)a);
	assert_non_null(strstr(texts_for(f->st, "ye"), want));
	assert_non_null(strstr(texts_for(f->st, "ye"), "还有 90 天"));
	snprintf(want, sizeof want, "训的测试企业（记录号 %lld）", (long long)b);
	assert_non_null(strstr(texts_for(f->st, "xun"), want));
	for (sqlite3_stmt *st = sqlite3_next_stmt(f->st->db, NULL); st;
	     st = sqlite3_next_stmt(f->st->db, st))
		for (size_t i = 0; sqlite3_stmt_readonly(st) && i < sizeof shown / sizeof *shown; i++)
			if (opens_table(f->st, sqlite3_sql(st), shown[i]))
				fail_msg("%s\nreads %s on the sweep's connection", sqlite3_sql(st), shown[i]);
}

/* Migration 31 widens the index on the active terms' end: a database of
 * schema 29 keeps every record as it was, the index holds each active one
 * (none of the others) with its person and enterprise, and the sweep finds
 * the due ones in it; 到期 still walks it in its order, with no sort. */
static void test_upgrade_term_index(void **state)
{
	struct fixture *f = F(state);
	char path[128];
	struct remind_items items = {0};
	const struct store_remind_span sp = {.from = D("2026-08-28"), .to = D("2026-08-28"),
	                                     .now = remind_day_start(D("2026-08-28")) + SEND_AT,
	                                     .cal = &f->cal};
	sqlite3_stmt *s;
	int sorts = 0;

	store_close(f->st);
	snprintf(path, sizeof path, "%s/cqod.db", f->dir);
	unlink(path);
	assert_int_equal(store_open_at_version(path, 30, &f->st), 0);
	exec(f->st,
	     "INSERT INTO regions VALUES ('37', '山东省', NULL, 1), ('3713', '临沂市', '37', 2),"
	     " ('371302', '兰山区', '3713', 3);"
	     "INSERT INTO enterprises (id, credit_code, name, region_code, created_at, updated_at)"
	     " VALUES (7, '91371302MIG000007X', '迁移一', '371302', 1, 1),"
	     " (8, '91371302MIG000008X', '迁移二', '371302', 1, 1);"
	     "INSERT INTO people (id, name, created_at, updated_at) VALUES (40, '迁', 1, 1),"
	     " (41, '移', 1, 1), (42, '旧', 1, 1);"
	     "INSERT INTO appointments (id, enterprise_id, person_id, start_date, term_end, status,"
	     " ended_on, filed_at, updated_at) VALUES"
	     " (100, 7, 40, '2023-11-27', '2026-11-26', 'active', NULL, 1, 1),"
	     " (101, 8, 41, '2023-12-01', '2026-11-30', 'active', NULL, 1, 1),"
	     " (99, 7, 42, '2020-11-27', '2026-11-26', 'ended', '2023-11-26', 1, 1);");
	store_close(f->st);
	assert_int_equal(store_open(path, &f->st), 0);
	assert_int_equal(store_schema_version(f->st), store_migrations_count());
	assert_int_equal(num(f->st, "SELECT count(*) FROM appointments WHERE"
	                            " (id, enterprise_id, person_id, term_end, status) IN"
	                            " (VALUES (100, 7, 40, '2026-11-26', 'active'),"
	                            " (101, 8, 41, '2026-11-30', 'active'),"
	                            " (99, 7, 42, '2026-11-26', 'ended'))"), 3);
	assert_int_equal(sqlite3_prepare_v2(f->st->db,
		"SELECT group_concat(name, ',') FROM (SELECT name FROM"
		" pragma_index_info('appointments_active_term_end') ORDER BY seqno)", -1, &s, NULL),
		SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(s, 0),
	                    "term_end,id,person_id,enterprise_id,status");
	sqlite3_finalize(s);
	assert_int_equal(num(f->st, "SELECT count(*) FROM appointments INDEXED BY"
	                            " appointments_active_term_end WHERE status = 'active'"
	                            " AND term_end >= ''"), 2);
	assert_int_equal(num(f->st, "SELECT count(*) FROM pragma_integrity_check"
	                            " WHERE integrity_check <> 'ok'"), 0);
	assert_int_equal(store_remind_collect(f->st, &sp, &items), 0);
	assert_int_equal(items.n, 1);
	assert_int_equal(items.v[0].appointment_id, 100);
	assert_int_equal(items.v[0].person_id, 40);
	assert_int_equal(items.v[0].enterprise_id, 7);
	assert_string_equal(items.v[0].region, "371302");
	remind_items_free(&items);
	assert_int_equal(sqlite3_prepare_v2(f->st->db,
		"SELECT a.id FROM appointments a WHERE a.status = 'active' AND a.term_end >= ?1"
		" AND a.term_end <= ?2 ORDER BY a.term_end, a.id", -1, &s, NULL), SQLITE_OK);
	sqlite3_bind_text(s, 1, "2026-01-01", -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, "2026-12-31", -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int64(s, 0), 100);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int64(s, 0), 101);
	assert_int_equal(sqlite3_step(s), SQLITE_DONE);
	sorts = sqlite3_stmt_status(s, SQLITE_STMTSTATUS_SORT, 0);
	sqlite3_finalize(s);
	assert_int_equal(sorts, 0);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_term_weekend),
		T(test_term_holiday_and_makeup),
		T(test_policy_offsets),
		T(test_once_across_restart),
		T(test_week_downtime),
		T(test_merge),
		T(test_page_statements),
		T(test_page_ledger_in_chunks),
		T(test_page_reads_unsorted),
		T(test_terms_from_index),
		T(test_page_reads_enterprises_only),
		T(test_collect_reads_what_pages_show),
		T(test_upgrade_term_index),
		T(test_digest_ledger_first),
		T(test_page_skips_claimed),
		T(test_light_phases_join),
		T(test_overdue_ack),
		T(test_mute_and_summons),
		T(test_digest_scope),
		T(test_digest_term_ends_today),
		T(test_training_rectify_unacked),
		T(test_hours),
		T(test_hours_policy_days_and_kinds),
		T(test_event),
		T(test_sanction_notice),
		T(test_advise_dismissal_reaches_enterprise),
		T(test_calendar_warning),
		T(test_dry_run),
		T(test_unacked_list),
	};
#undef T
	/* The loader and the destinations learn the platforms from their rows. */
	if (platforms_register() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
