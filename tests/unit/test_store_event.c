/* Alliance events in the store: events (store_event.c), sign-ups with the
 * waiting list (store_signup.c), fan-out through the outbox and delivery
 * reports (store_broadcast*.c), and the timed work that sends reports and
 * campaigns (alliance_tick.c). Run from the repository root (reads
 * data/regions.csv). */
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

#include "../../daemon/alliance_tick.h"
#include "../../lib/config.h"
#include "../../store/store.h"
#include "store_fresh.h"
#include "../../store/store_alliance.h"
#include "../../store/store_audit.h"
#include "../../store/store_broadcast.h"
#include "../../store/store_campaign.h"
#include "../../store/store_event.h"
#include "../../store/store_internal.h"
#include "../../store/store_signup.h"
#include "../../store/store_subscription.h"
#include "../../messages/platforms.h"

#define NOW 1790000000   /* 2026-09-21 22:13 China Standard Time */
#define DAY 86400

/*
 * Persons 1-5 hold records 1-5 (all active, 3713), members of alliance 1
 * (甲联盟); person 5 is blacklisted. Person 6 (record 6, 610113) is no
 * member. Identities: person 1 on WeCom (bound through w1) and on the
 * generic webhook (unreachable), person 2 on DingTalk (instance unknown:
 * the first DingTalk instance), person 3 on Feishu through an instance no
 * longer configured (the first Feishu one), person 4 none.
 */
static const char FIXTURE_SQL[] =
	"INSERT INTO enterprises (id, credit_code, name, region_code, created_at, updated_at)"
	" VALUES (1, '91371302TST000001A', '甲公司', '371302', 0, 0),"
	" (2, '91371311TST000002A', '乙公司', '371311', 0, 0),"
	" (3, '91371302TST000003A', '丙公司', '371302', 0, 0),"
	" (4, '91371302TST000004A', '丁公司', '371302', 0, 0),"
	" (5, '91371302TST000005A', '戊公司', '371302', 0, 0),"
	" (6, '91610113TST000006A', '己公司', '610113', 0, 0);"
	"INSERT INTO people (id, name, created_at, updated_at) VALUES"
	" (1, '人一', 0, 0), (2, '人二', 0, 0), (3, '人三', 0, 0), (4, '人四', 0, 0),"
	" (5, '人五', 0, 0), (6, '人六', 0, 0);"
	"INSERT INTO appointments (id, enterprise_id, person_id, start_date, term_end, status,"
	" filed_at, updated_at) SELECT id, id, id, '2025-01-01', '2027-12-31', 'active', 0, 0"
	" FROM people;"
	"INSERT INTO sanctions (appointment_id, kind, issued_on, status, created_at)"
	" VALUES (5, '黑名单', '2026-01-06', 'open', 0);"
	"INSERT INTO alliances (id, name, region_code, created_at) VALUES"
	" (1, '甲联盟', '3713', 0), (2, '乙联盟', NULL, 0);"
	"INSERT INTO alliance_members (alliance_id, appointment_id, joined_at)"
	" SELECT 1, id, 0 FROM appointments WHERE id <= 5;"
	"INSERT INTO identities (platform, user_id, role, person_id, instance, created_at,"
	" updated_at) VALUES ('wecom', 'u1', 'cqo', 1, 'w1', 0, 0),"
	" ('generic', 'g1', 'cqo', 1, 'test', 0, 0),"
	" ('dingtalk', 'staff2', 'cqo', 2, NULL, 0, 0),"
	" ('feishu', 'ou_3', 'cqo', 3, 'gone', 0, 0);";

static const char CONFIG_TEXT[] =
	"[wecom:w1]\ncorp_id = ww1\nagent_id = 1000002\nsecret = s\ntoken = t\n"
	"aes_key = abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG\n\n"
	"[dingtalk:d1]\napp_key = k\napp_secret = s\n\n"
	"[dingtalk:d2]\napp_key = k2\napp_secret = s2\n\n"
	"[feishu:f1]\napp_id = a\napp_secret = s\nverification_token = v\n\n"
	"[wecom_robot:alerts]\nkey = k\n";

static const struct store_actor actor = {
	.platform = "generic", .user_id = "org", .chat_id = "c1", .command = "活动",
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

struct fixture {
	char dir[64];
	char path[96];
	struct store *st;
	struct config *cfg;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	struct config_errors errs = {0};
	char *err = NULL, conf[128];
	FILE *fp;

	assert_non_null(f);
	snprintf(f->dir, sizeof f->dir, "/tmp/cqod-test-event-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/cqod.db", f->dir);
	snprintf(conf, sizeof conf, "%s/cqod.conf", f->dir);
	assert_non_null(fp = fopen(conf, "w"));
	fputs(CONFIG_TEXT, fp);
	fclose(fp);
	if (config_load(conf, &f->cfg, &errs) < 0)
		fail_msg("config: %s", errs.n ? errs.msgs[0] : "?");
	unlink(conf);
	assert_int_equal(store_fresh_open(f->path, &f->st), 0);
	begin(f->st);
	assert_int_equal(store_regions_load_csv(f->st, "data/regions.csv", NULL), 0);
	commit(f->st);
	if (sqlite3_exec(f->st->db, FIXTURE_SQL, NULL, NULL, &err) != SQLITE_OK)
		fail_msg("fixture: %s", err);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	static const char *const names[] = {"cqod.db", "cqod.db-wal", "cqod.db-shm"};
	struct fixture *f = *state;
	char p[128];

	store_close(f->st);
	config_free(f->cfg);
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		snprintf(p, sizeof p, "%s/%s", f->dir, names[i]);
		unlink(p);
	}
	rmdir(f->dir);
	free(f);
	return 0;
}

static struct fixture *fx(void **state)
{
	return *state;
}

static int64_t count(struct store *st, const char *sql)
{
	sqlite3_stmt *s;
	int64_t n = -1;

	assert_int_equal(sqlite3_prepare_v2(st->db, sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return n;
}

static void exec(struct store *st, const char *sql)
{
	char *err = NULL;

	if (sqlite3_exec(st->db, sql, NULL, NULL, &err) != SQLITE_OK)
		fail_msg("%s: %s", sql, err);
}

/* Publishes a salon of alliance 1 starting in `days` days, in its own
 * transaction like 活动 发布; returns its id. */
static int64_t add_event(struct store *st, int days, int64_t capacity, bool open)
{
	struct store_event ev = {
		.alliance_id = 1, .kind = "沙龙", .title = "交流沙龙", .starts_at = NOW + days * DAY,
		.place = "会议室", .capacity = capacity, .is_open = open,
	};
	int64_t id;

	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_event_insert(st, &actor, &ev, NOW, &id), 0);
	assert_int_equal(store_commit(st), 0);
	return id;
}

static void test_events(void **state)
{
	struct store *st = fx(state)->st;
	struct store_event ev, rows[4];
	struct store_event_filter f = {0};
	size_t n, total;
	int64_t a = add_event(st, 5, 10, false), b = add_event(st, 2, 0, true);
	int64_t c = add_event(st, -1, 0, false);

	assert_int_equal(store_event_get(st, a, &ev), 0);
	assert_string_equal(ev.status, "published");
	assert_string_equal(ev.alliance_name, "甲联盟");
	assert_string_equal(ev.alliance_region, "3713");
	assert_int_equal(ev.capacity, 10);
	assert_int_equal(ev.ends_at, 0);
	assert_string_equal(ev.link, "");
	assert_int_equal(store_event_get(st, 999, &ev), -ENOENT);

	/* Upcoming only (c started yesterday), soonest first. */
	assert_int_equal(store_event_list(st, &f, NOW, 0, rows, 4, &n, &total), 0);
	assert_int_equal(total, 2);
	assert_int_equal(rows[0].id, b);
	assert_int_equal(rows[1].id, a);
	/* Person 6 is no member: open events only. */
	f.person_id = 6;
	assert_int_equal(store_event_list(st, &f, NOW, 0, rows, 4, &n, &total), 0);
	assert_int_equal(total, 1);
	assert_int_equal(rows[0].id, b);
	f.person_id = 1;
	assert_int_equal(store_event_list(st, &f, NOW, 0, rows, 4, &n, &total), 0);
	assert_int_equal(total, 2);
	f = (struct store_event_filter){.scope = "610113"};
	assert_int_equal(store_event_list(st, &f, NOW, 0, rows, 4, &n, &total), 0);
	assert_int_equal(total, 0);
	f = (struct store_event_filter){.alliance_id = 2};
	assert_int_equal(store_event_list(st, &f, NOW, 0, rows, 4, &n, &total), 0);
	assert_int_equal(total, 0);

	/* Change and cancel, inside a transaction each, audited. */
	assert_int_equal(store_event_get(st, a, &ev), 0);
	snprintf(ev.title, sizeof ev.title, "%s", "改名沙龙");
	snprintf(ev.link, sizeof ev.link, "%s", "https://meeting.example.com/1");
	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_event_update(st, &actor, &ev, NOW + 1), 0);
	assert_int_equal(store_event_cancel(st, &actor, a, NOW + 2), 0);
	assert_int_equal(store_event_cancel(st, &actor, a, NOW + 3), -ENOENT);
	assert_int_equal(store_event_update(st, &actor, &ev, NOW + 4), -ENOENT);
	assert_int_equal(store_commit(st), 0);
	assert_int_equal(store_event_get(st, a, &ev), 0);
	assert_string_equal(ev.title, "改名沙龙");
	assert_string_equal(ev.status, "cancelled");
	assert_int_equal(count(st, "SELECT count(*) FROM audit_log WHERE entity = 'event'"), 5);
	(void)c;
}

static void expect_state(struct store *st, int64_t ev, int64_t person, const char *status,
                         size_t rank)
{
	struct store_signup_state s;

	assert_int_equal(store_signup_get(st, ev, person, &s), 0);
	assert_string_equal(s.status, status);
	assert_int_equal(s.rank, rank);
}

static void test_capacity_and_waitlist(void **state)
{
	struct store *st = fx(state)->st;
	struct store_signup_row rows[8];
	struct store_signup_state s;
	int64_t ev = add_event(st, 5, 2, false), promoted[4];
	size_t n, total;
	bool held;

	begin(st);
	for (int64_t p = 1; p <= 4; p++)
		assert_int_equal(store_signup_add(st, &actor, ev, p, 2, NOW + p, &s), 0);
	commit(st);
	expect_state(st, ev, 1, "confirmed", 0);
	expect_state(st, ev, 2, "confirmed", 0);
	expect_state(st, ev, 3, "waitlist", 1);
	expect_state(st, ev, 4, "waitlist", 2);
	begin(st);
	assert_int_equal(store_signup_add(st, &actor, ev, 3, 2, NOW, &s), -EEXIST);
	commit(st);
	assert_string_equal(s.status, "waitlist");
	assert_int_equal(s.rank, 1);

	/* A place freed moves the first waiting up, only one. */
	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_signup_cancel(st, &actor, ev, 1, &held), 0);
	assert_true(held);
	assert_int_equal(store_signup_promote(st, &actor, ev, 2, promoted, 4, &n), 0);
	assert_int_equal(store_commit(st), 0);
	assert_int_equal(n, 1);
	assert_int_equal(promoted[0], 3);
	expect_state(st, ev, 3, "confirmed", 0);
	expect_state(st, ev, 4, "waitlist", 1);
	expect_state(st, ev, 1, "cancelled", 0);

	/* A waiting person leaving frees no place. */
	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_signup_cancel(st, &actor, ev, 4, &held), 0);
	assert_false(held);
	assert_int_equal(store_signup_cancel(st, &actor, ev, 4, &held), -ENOENT);
	assert_int_equal(store_signup_cancel(st, &actor, ev, 6, &held), -ENOENT);
	assert_int_equal(store_commit(st), 0);

	/* Signing up again goes to the end of the line. */
	begin(st);
	assert_int_equal(store_signup_add(st, &actor, ev, 1, 2, NOW + 10, &s), 0);
	assert_string_equal(s.status, "waitlist");
	assert_int_equal(store_signup_add(st, &actor, ev, 4, 2, NOW + 11, &s), 0);
	commit(st);
	expect_state(st, ev, 1, "waitlist", 1);
	expect_state(st, ev, 4, "waitlist", 2);

	/* More room (a change of capacity) moves several up; no limit, all. */
	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_signup_promote(st, &actor, ev, 3, promoted, 4, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(promoted[0], 1);
	assert_int_equal(store_signup_promote(st, &actor, ev, 0, promoted, 4, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(promoted[0], 4);
	assert_int_equal(store_commit(st), 0);

	/* The roster: places in sign-up order, then the waiting list. */
	begin(st);
	assert_int_equal(store_signup_add(st, &actor, ev, 5, 5, NOW + 12, &s), 0);
	assert_int_equal(store_signup_add(st, &actor, ev, 6, 5, NOW + 13, &s), 0);
	commit(st);
	assert_string_equal(s.status, "waitlist");
	assert_int_equal(store_signup_list(st, ev, 0, rows, 8, &n, &total), 0);
	assert_int_equal(total, 6);
	assert_int_equal(rows[0].person_id, 2);
	assert_string_equal(rows[0].enterprise_name, "乙公司");
	assert_int_equal(rows[1].person_id, 3);
	assert_int_equal(rows[2].person_id, 1);
	assert_int_equal(rows[3].person_id, 4);
	assert_int_equal(rows[4].person_id, 5);
	assert_true(rows[4].barred);
	assert_false(rows[4].waiting);
	assert_int_equal(rows[5].person_id, 6);
	assert_true(rows[5].waiting);
	assert_int_equal(store_signup_list(st, ev, 5, rows, 8, &n, &total), 0);
	assert_int_equal(n, 1);
	assert_int_equal(count(st, "SELECT count(*) FROM audit_log WHERE entity = 'signup'"), 13);
}

/* Alliance 1's groups: a DingTalk chat, a WeCom robot, a Feishu chat. */
static void subscribe_groups(struct store *st)
{
	static const struct {
		const char *platform, *instance, *target;
		enum dest_kind kind;
	} g[] = {
		{"dingtalk", "d1", "cid-1", DEST_CHAT},
		{"wecom", "alerts", "", DEST_ROBOT},
		{"feishu", "f1", "oc_1", DEST_CHAT},
	};
	int64_t id;

	begin(st);
	for (size_t i = 0; i < sizeof g / sizeof g[0]; i++) {
		struct dest d = {.kind = g[i].kind};

		snprintf(d.platform, sizeof d.platform, "%s", g[i].platform);
		snprintf(d.instance, sizeof d.instance, "%s", g[i].instance);
		snprintf(d.target, sizeof d.target, "%s", g[i].target);
		assert_int_equal(store_subscription_add(st, &actor, 1, &d, i == 0 ? "机械群" : "", 0,
		                                        &id), 0);
	}
	commit(st);
}

static void publish(struct fixture *f, int64_t ev, enum store_broadcast_kind kind,
                    const struct dest *report_to, struct store_broadcast *b)
{
	struct store_audience aud = {1, ev};
	struct reply r;

	reply_init(&r);
	reply_set_title(&r, "%s", "【沙龙】交流沙龙");
	reply_add_line(&r, "%s", "报名请私聊发送“报名 1”");
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_broadcast_open(f->st, &actor, kind, &aud, report_to, NOW, b), 0);
	assert_int_equal(store_broadcast_send(f->st, &actor, f->cfg, &aud, b, &r, 7), 0);
	assert_int_equal(store_commit(f->st), 0);
	reply_free(&r);
}

static void test_fan_out(void **state)
{
	struct fixture *f = fx(state);
	struct store_broadcast b, again;
	struct store_audience aud = {1, 0};
	size_t groups, people;
	int64_t ev = add_event(f->st, 5, 0, false);
	struct store_signup_state s;

	subscribe_groups(f->st);
	/* Persons 1 (WeCom), 2 (DingTalk d1) and 3 (Feishu f1) are reachable;
	 * 4 has no identity, 5 is blacklisted. */
	assert_int_equal(store_broadcast_count(f->st, f->cfg, &aud, &groups, &people), 0);
	assert_int_equal(groups, 3);
	assert_int_equal(people, 3);
	publish(f, ev, BROADCAST_PUBLISH, NULL, &b);
	assert_string_equal(b.prefix, "event:1:publish:");
	assert_int_equal(b.groups, 3);
	assert_int_equal(b.people, 3);
	assert_int_equal(count(f->st, "SELECT count(*) FROM outbox"), 6);
	assert_int_equal(count(f->st, "SELECT count(*) FROM outbox WHERE idem_key ="
	                              " 'event:1:publish:g2#1' AND destination = 'wecom|alerts|robot|0|'"
	                              " AND chat_kind = 'group'"), 1);
	assert_int_equal(count(f->st, "SELECT count(*) FROM outbox WHERE idem_key ="
	                              " 'event:1:publish:u1:wecom:u1#1'"
	                              " AND destination = 'wecom|w1|user|0|u1'"), 1);
	assert_int_equal(count(f->st, "SELECT count(*) FROM outbox WHERE destination ="
	                              " 'dingtalk|d1|user|0|staff2'"), 1);
	assert_int_equal(count(f->st, "SELECT count(*) FROM outbox WHERE destination ="
	                              " 'feishu|f1|user|0|ou_3'"), 1);
	/* Groups first, in the order they subscribed. */
	assert_int_equal(count(f->st, "SELECT min(id) FROM outbox WHERE idem_key LIKE '%g1#1'"),
	                 count(f->st, "SELECT min(id) FROM outbox"));
	assert_int_equal(count(f->st, "SELECT n_groups * 10 + n_people FROM broadcasts"), 33);
	assert_int_equal(count(f->st, "SELECT count(*) FROM audit_log WHERE entity = 'broadcast'"),
	                 1);

	/* An event is published once: a second publish is refused whole. */
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_broadcast_open(f->st, &actor, BROADCAST_PUBLISH,
	                                      &(struct store_audience){1, ev}, NULL, NOW, &again),
	                 -EEXIST);
	assert_int_equal(store_rollback(f->st), 0);

	/* A change also reaches those signed up who took no private notices,
	 * and nobody twice. */
	exec(f->st, "UPDATE alliance_members SET private_notices = 0 WHERE appointment_id = 1");
	begin(f->st);
	assert_int_equal(store_signup_add(f->st, &actor, ev, 2, 0, NOW, &s), 0);
	commit(f->st);
	aud.event_id = ev;
	assert_int_equal(store_broadcast_count(f->st, f->cfg, &aud, &groups, &people), 0);
	assert_int_equal(people, 2);
	begin(f->st);
	assert_int_equal(store_signup_add(f->st, &actor, ev, 1, 0, NOW, &s), 0);
	commit(f->st);
	assert_int_equal(store_broadcast_count(f->st, f->cfg, &aud, &groups, &people), 0);
	assert_int_equal(people, 3);
	publish(f, ev, BROADCAST_UPDATE, NULL, &b);
	assert_string_equal(b.prefix, "event:1:update:2:");
	assert_int_equal(count(f->st, "SELECT count(*) FROM outbox"), 12);
}

/* Settles every outbox row of a fan-out whose key contains `like`. */
static void settle(struct store *st, const char *like, const char *state)
{
	char sql[256];

	snprintf(sql, sizeof sql, "UPDATE outbox SET state = '%s' WHERE idem_key LIKE '%s'", state,
	         like);
	exec(st, sql);
}

static void test_report(void **state)
{
	struct fixture *f = fx(state);
	struct store_broadcast_report rep;
	struct store_broadcast b;
	struct dest to = {.platform = "dingtalk", .instance = "d1", .kind = DEST_USER,
	                  .target = "organizer"}, got;
	int64_t ev = add_event(f->st, 5, 0, false), ids[4];
	size_t n;

	subscribe_groups(f->st);
	publish(f, ev, BROADCAST_PUBLISH, &to, &b);
	assert_int_equal(store_broadcast_report(f->st, b.id, &rep), 0);
	assert_int_equal(rep.pending, 6);
	assert_int_equal(store_broadcast_next_settled(f->st, 0, &rep, &got), -ENOENT);

	settle(f->st, "event:1:publish:%", "sent");
	settle(f->st, "event:1:publish:g2#%", "dead");
	settle(f->st, "event:1:publish:g1#%", "dead");
	settle(f->st, "event:1:publish:u2:%", "inflight");
	assert_int_equal(store_broadcast_report(f->st, b.id, &rep), 0);
	assert_int_equal(rep.delivered, 3);
	assert_int_equal(rep.pending, 1);
	assert_int_equal(rep.failed, 2);
	assert_int_equal(rep.n_failed_groups, 2);
	assert_string_equal(rep.failed_groups[0].dest.target, "cid-1");
	assert_string_equal(rep.failed_groups[0].label, "机械群");
	assert_int_equal(rep.failed_groups[1].dest.kind, DEST_ROBOT);
	assert_string_equal(rep.failed_groups[1].dest.instance, "alerts");
	assert_int_equal(store_broadcast_next_settled(f->st, 0, &rep, &got), -ENOENT);

	settle(f->st, "event:1:publish:u2:%", "dead");
	assert_int_equal(store_broadcast_next_settled(f->st, 0, &rep, &got), 0);
	assert_int_equal(rep.b.id, b.id);
	assert_int_equal(rep.failed, 3);
	assert_int_equal(rep.failed_people, 1);
	assert_string_equal(got.target, "organizer");
	begin(f->st);
	assert_int_equal(store_broadcast_mark_reported(f->st, b.id, NOW), 0);
	commit(f->st);
	assert_int_equal(store_broadcast_next_settled(f->st, 0, &rep, &got), -ENOENT);

	/* Reports of an event, newest first; a fan-out without report_to is
	 * never reported on its own. */
	publish(f, ev, BROADCAST_UPDATE, NULL, &b);
	settle(f->st, "event:1:update:%", "sent");
	assert_int_equal(store_broadcast_next_settled(f->st, 0, &rep, &got), -ENOENT);
	assert_int_equal(store_broadcast_of_event(f->st, ev, ids, 4, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(ids[0], b.id);
	assert_int_equal(store_broadcast_report(f->st, b.id, &rep), 0);
	assert_int_equal(rep.delivered, 6);
	assert_int_equal(store_broadcast_report(f->st, 99, &rep), -ENOENT);
}

static void test_tick(void **state)
{
	struct fixture *f = fx(state);
	struct store_broadcast b;
	struct dest to = {.platform = "wecom", .instance = "w1", .kind = DEST_USER, .target = "org"};
	int64_t ev = add_event(f->st, 5, 0, false);
	int reports, campaigns;

	subscribe_groups(f->st);
	publish(f, ev, BROADCAST_PUBLISH, &to, &b);
	assert_int_equal(alliance_tick_run(f->st, f->cfg, NOW, &reports, &campaigns), 0);
	assert_int_equal(reports, 0);
	settle(f->st, "event:1:publish:%", "sent");
	settle(f->st, "event:1:publish:g3#%", "dead");
	assert_int_equal(alliance_tick_run(f->st, f->cfg, NOW, &reports, &campaigns), 0);
	assert_int_equal(reports, 1);
	assert_int_equal(count(f->st, "SELECT count(*) FROM outbox WHERE idem_key = 'report:1#1'"
	                              " AND destination = 'wecom|w1|user|0|org'"), 1);
	assert_int_equal(alliance_tick_run(f->st, f->cfg, NOW, &reports, &campaigns), 0);
	assert_int_equal(reports, 0);

	/* A campaign on 09-21 goes out from send_at (09:00) that day, once. */
	begin(f->st);
	assert_int_equal(store_campaign_set(f->st, &actor, 1, "质量月", "09-21", "质量月开始", 0), 0);
	commit(f->st);
	exec(f->st, "DELETE FROM outbox");
	assert_int_equal(alliance_tick_run(f->st, f->cfg, NOW - 14 * 3600, &reports, &campaigns),
	                 0);
	assert_int_equal(campaigns, 0);
	assert_int_equal(alliance_tick_run(f->st, f->cfg, NOW, &reports, &campaigns), 0);
	assert_int_equal(campaigns, 1);
	assert_int_equal(count(f->st, "SELECT count(*) FROM outbox WHERE idem_key LIKE 'campaign:%'"),
	                 6);
	assert_int_equal(alliance_tick_run(f->st, f->cfg, NOW + 60, &reports, &campaigns), 0);
	assert_int_equal(campaigns, 0);
	assert_int_equal(count(f->st, "SELECT sent_year FROM alliance_campaigns"), 2026);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_events, setup, teardown),
		cmocka_unit_test_setup_teardown(test_capacity_and_waitlist, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fan_out, setup, teardown),
		cmocka_unit_test_setup_teardown(test_report, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tick, setup, teardown),
	};
	/* The loader and the destinations learn the platforms from their rows. */
	if (platforms_register() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
