/* The outbox's rules (daemon/outbox_policy.c): rate intervals per platform,
 * the one-token bucket, backoff with jitter, what each send result does to
 * a row; the destinations table; and the text the console shows. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/config.h"
#include "../../daemon/outbox_console.h"
#include "../../daemon/outbox_dests.h"
#include "../../daemon/outbox_policy.h"

static struct dest mk(const char *platform, enum dest_kind kind)
{
	struct dest d = {.kind = kind, .instance = "x"};
	snprintf(d.platform, sizeof d.platform, "%s", platform);
	if (kind != DEST_ROBOT)
		snprintf(d.target, sizeof d.target, "t");
	return d;
}

static void test_intervals_default(void **state)
{
	(void)state;
	struct config *cfg = config_defaults();
	assert_non_null(cfg);
	/* 20 a minute per group robot; 30 a minute and 1,000 an hour per WeCom
	 * member (the hour binds); 5 a second per Feishu chat; a Feishu bot's
	 * 100 a minute dominates its 5/s. */
	struct dest wr = mk("wecom", DEST_ROBOT), wu = mk("wecom", DEST_USER),
	            wc = mk("wecom", DEST_CHAT), dr = mk("dingtalk", DEST_ROBOT),
	            ds = mk("dingtalk", DEST_SESSION), fu = mk("feishu", DEST_USER),
	            fr = mk("feishu", DEST_REPLY), fb = mk("feishu", DEST_ROBOT);
	assert_int_equal(outbox_interval_ms(cfg, &wr), 3000);
	assert_int_equal(outbox_interval_ms(cfg, &wu), 3600);
	assert_int_equal(outbox_interval_ms(cfg, &wc), 3000);
	assert_int_equal(outbox_interval_ms(cfg, &dr), 3000);
	assert_int_equal(outbox_interval_ms(cfg, &ds), 3000);
	assert_int_equal(outbox_interval_ms(cfg, &fu), 200);
	assert_int_equal(outbox_interval_ms(cfg, &fr), 200);
	assert_int_equal(outbox_interval_ms(cfg, &fb), 600);
	/* A WeCom card's update goes at its member's pace. */
	struct dest wk = mk("wecom", DEST_CARD);
	assert_int_equal(outbox_interval_ms(cfg, &wk), 3600);
	config_free(cfg);
}

static void test_intervals_configured(void **state)
{
	(void)state;
	struct config *cfg = config_defaults();
	assert_non_null(cfg);
	struct dest wr = mk("wecom", DEST_ROBOT), fb = mk("feishu", DEST_ROBOT);
	/* Rounded up: 7 a minute is one every 8572 ms, never 8571. */
	cfg->outbox_robot_per_minute = 7;
	assert_int_equal(outbox_interval_ms(cfg, &wr), 8572);
	/* 0 turns a limit off. */
	cfg->outbox_robot_per_minute = 0;
	assert_int_equal(outbox_interval_ms(cfg, &wr), 0);
	/* A bot's per-second limit binds when its per-minute one is generous. */
	cfg->outbox_feishu_bot_per_minute = 6000;
	cfg->outbox_feishu_per_second = 2;
	assert_int_equal(outbox_interval_ms(cfg, &fb), 500);
	cfg->outbox_feishu_bot_per_minute = 0;
	cfg->outbox_feishu_per_second = 0;
	assert_int_equal(outbox_interval_ms(cfg, &fb), 0);
	config_free(cfg);
}

/* WeCom silently drops messages to a member beyond 1,000 an hour as well as
 * 30 a minute: the member's spacing is the longer of the two, so no hour
 * holds more than 1,000 either (3600 ms apart by default). */
static void test_intervals_wecom_hour(void **state)
{
	(void)state;
	struct config *cfg = config_defaults();
	assert_non_null(cfg);
	struct dest wu = mk("wecom", DEST_USER), wc = mk("wecom", DEST_CHAT);
	assert_int_equal(cfg->outbox_wecom_app_per_hour, 1000);
	assert_int_equal(outbox_interval_ms(cfg, &wu), 3600);
	/* Group chats go by the group robots' rate alone. */
	assert_int_equal(outbox_interval_ms(cfg, &wc), 3000);
	/* The minute binds when the hour is generous; either alone applies. */
	cfg->outbox_wecom_app_per_hour = 3600;
	assert_int_equal(outbox_interval_ms(cfg, &wu), 2000);
	cfg->outbox_wecom_app_per_minute = 0;
	cfg->outbox_wecom_app_per_hour = 7;
	assert_int_equal(outbox_interval_ms(cfg, &wu), 514286);
	cfg->outbox_wecom_app_per_hour = 0;
	assert_int_equal(outbox_interval_ms(cfg, &wu), 0);
	config_free(cfg);
}

/* A one-token bucket: sends are spaced by the interval, however late each
 * goes, so no window of the platform's length holds more than its limit. */
static void test_bucket(void **state)
{
	(void)state;
	struct outbox_pace p = {0};

	assert_int_equal(outbox_pace_wait(&p, 1000), 0);
	outbox_pace_take(&p, 1000, 3000);
	assert_int_equal(outbox_pace_wait(&p, 1000), 3000);
	assert_int_equal(outbox_pace_wait(&p, 3999), 1);
	assert_int_equal(outbox_pace_wait(&p, 4000), 0);
	/* Sent late: no credit for the idle time. */
	outbox_pace_take(&p, 10000, 3000);
	assert_int_equal(outbox_pace_wait(&p, 12000), 1000);

	/* 1,000 queued for one group at 20 a minute: any 60 s holds 20. */
	uint64_t now = 0, sends[1000];
	struct outbox_pace q = {0};
	for (int i = 0; i < 1000; i++) {
		now += outbox_pace_wait(&q, now);
		sends[i] = now;
		outbox_pace_take(&q, now, 3000);
		now += (uint64_t)(i % 7);   /* the loop is a little late now and then */
	}
	for (int i = 20; i < 1000; i++)
		assert_true(sends[i] - sends[i - 20] >= 60000);

	/* A rate-limit answer holds the destination; a shorter hold does not
	 * shorten it. */
	outbox_pace_hold(&p, 20000, 600000);
	assert_int_equal(outbox_pace_wait(&p, 20000), 600000);
	outbox_pace_hold(&p, 20000, 1000);
	assert_int_equal(outbox_pace_wait(&p, 20000), 600000);
}

/* Feishu limits message sending per app as well (1,000 a minute, 50 a
 * second: one every 60 ms keeps within both), over all its chats and users;
 * its custom bots are not the app. */
static void test_intervals_feishu_app(void **state)
{
	(void)state;
	struct config *cfg = config_defaults();
	assert_non_null(cfg);
	struct dest fu = mk("feishu", DEST_USER), fc = mk("feishu", DEST_CHAT),
	            fr = mk("feishu", DEST_REPLY), fb = mk("feishu", DEST_ROBOT),
	            wu = mk("wecom", DEST_USER), dr = mk("dingtalk", DEST_ROBOT);
	assert_int_equal(cfg->outbox_feishu_app_per_minute, 1000);
	assert_int_equal(outbox_app_interval_ms(cfg, &fu), 60);
	assert_int_equal(outbox_app_interval_ms(cfg, &fc), 60);
	assert_int_equal(outbox_app_interval_ms(cfg, &fr), 60);
	assert_int_equal(outbox_app_interval_ms(cfg, &fb), 0);
	assert_int_equal(outbox_app_interval_ms(cfg, &wu), 0);
	assert_int_equal(outbox_app_interval_ms(cfg, &dr), 0);
	cfg->outbox_feishu_app_per_minute = 0;
	assert_int_equal(outbox_app_interval_ms(cfg, &fu), 0);
	config_free(cfg);
}

/* Two buckets, the destination's and its app's: a request takes both
 * tokens or neither, and waits for the later of the two. */
static void test_bucket_try_both(void **state)
{
	(void)state;
	struct outbox_pace a = {0}, b = {0}, app = {0};

	/* Chat a and chat b at 200 ms each, the app at 60 ms. */
	assert_int_equal(outbox_pace_try_both(&a, 200, &app, 60, 1000), 0);
	assert_int_equal(outbox_pace_wait(&a, 1000), 200);
	assert_int_equal(outbox_pace_wait(&app, 1000), 60);
	/* Another chat waits for the app's token, and takes nothing meanwhile. */
	assert_int_equal(outbox_pace_try_both(&b, 200, &app, 60, 1010), 50);
	assert_int_equal(outbox_pace_wait(&b, 1010), 0);
	assert_int_equal(outbox_pace_try_both(&b, 200, &app, 60, 1060), 0);
	/* The app's token back, the chat's not: the chat's wait, nothing taken. */
	assert_int_equal(outbox_pace_try_both(&a, 200, &app, 60, 1120), 80);
	assert_int_equal(outbox_pace_wait(&app, 1120), 0);
	/* No app-wide limit: the destination's bucket alone. */
	assert_int_equal(outbox_pace_try_both(&a, 200, NULL, 0, 1200), 0);
	assert_int_equal(outbox_pace_wait(&a, 1200), 200);
	assert_int_equal(outbox_pace_wait(&app, 1200), 0);

	/* 100 chats, one message each, at the app's 1,000 a minute: no minute
	 * holds more than 1,000 (20 ms a lap of the loop late now and then). */
	struct outbox_pace chats[100] = {{0}};
	uint64_t now = 0, sends[3000];
	for (int i = 0; i < 3000; i++) {
		uint64_t wait;
		while ((wait = outbox_pace_try_both(&chats[i % 100], 200, &app, 60, now)))
			now += wait;
		sends[i] = now;
		now += (uint64_t)(i % 3);
	}
	for (int i = 1000; i < 3000; i++)
		assert_true(sends[i] - sends[i - 1000] >= 60000);
}

/* What the sender asks before each request (the first attempt and the
 * retry after a refused token alike): the token when it is back, else how
 * long until it is, taking nothing. */
static void test_bucket_try(void **state)
{
	(void)state;
	struct outbox_pace p = {0};

	assert_int_equal(outbox_pace_try(&p, 1000, 3000), 0);
	/* The retry right after: it waits, and waiting does not push the
	 * token further away. */
	assert_int_equal(outbox_pace_try(&p, 1200, 3000), 2800);
	assert_int_equal(outbox_pace_try(&p, 3999, 3000), 1);
	assert_int_equal(outbox_pace_try(&p, 4000, 3000), 0);
	assert_int_equal(outbox_pace_wait(&p, 4000), 3000);
	/* A hold counts the same. */
	outbox_pace_hold(&p, 5000, 10000);
	assert_int_equal(outbox_pace_try(&p, 7000, 3000), 8000);
	assert_int_equal(outbox_pace_try(&p, 15000, 3000), 0);
}

/* After a restart the bucket starts from the last attempt in the database,
 * which is known to the second only. */
static void test_bucket_restore(void **state)
{
	(void)state;
	struct outbox_pace p = {0};

	/* Never sent: at once. */
	outbox_pace_restore(&p, 500, 1000, 0, 3000);
	assert_int_equal(outbox_pace_wait(&p, 500), 0);
	/* Last attempt in second 999, now second 1000: it may have started at
	 * 999.999, so the next waits until 1000 + 3 s. */
	outbox_pace_restore(&p, 500, 1000, 999, 3000);
	assert_int_equal(outbox_pace_wait(&p, 500), 3000);
	/* Long ago: at once. */
	outbox_pace_restore(&p, 500, 1000, 900, 3000);
	assert_int_equal(outbox_pace_wait(&p, 500), 0);
	/* Limits off: at once. */
	outbox_pace_restore(&p, 500, 1000, 1000, 0);
	assert_int_equal(outbox_pace_wait(&p, 500), 0);
}

static void test_backoff(void **state)
{
	(void)state;
	/* Between half and all of 2^attempts, capped at 15 minutes. */
	for (uint32_t j = 0; j < 2000; j += 7) {
		for (int a = 1; a <= 40; a++) {
			int64_t full = a < 10 && (1 << a) < OUTBOX_BACKOFF_MAX_S ? (1 << a)
			                                                         : OUTBOX_BACKOFF_MAX_S;
			int64_t s = outbox_backoff_s(a, j * 2654435761u);
			assert_true(s >= full / 2 && s <= full);
			assert_true(s >= 1);
		}
	}
	assert_int_equal(outbox_backoff_s(1, 0), 1);
	assert_int_equal(outbox_backoff_s(1, 1), 2);
	assert_int_equal(outbox_backoff_s(3, 0), 4);
	assert_int_equal(outbox_backoff_s(3, 4), 8);
	assert_int_equal(outbox_backoff_s(30, 0), 450);
	assert_int_equal(outbox_backoff_s(0, 0), 1);
	/* Jitter spreads rows that failed together. */
	assert_true(outbox_backoff_s(8, 1) != outbox_backoff_s(8, 100));
}

static void test_fate(void **state)
{
	(void)state;
	struct send_result ok = {.outcome = SEND_OK};
	struct send_result rate = {.outcome = SEND_RATE_LIMITED, .retry_after_s = 600};
	struct send_result rate0 = {.outcome = SEND_RATE_LIMITED};
	struct send_result tr = {.outcome = SEND_TRANSIENT};
	struct send_result perm = {.outcome = SEND_PERMANENT};
	int64_t nb = -1;
	const int64_t day = 86400;

	assert_int_equal(outbox_fate(&ok, 3, 0, 1000, day, 0, &nb), OUTBOX_SENT);
	/* Rate limited: wait the platform's window, whatever the age. */
	assert_int_equal(outbox_fate(&rate, 3, 0, 1000, day, 0, &nb), OUTBOX_WAIT);
	assert_int_equal(nb, 1600);
	assert_int_equal(outbox_fate(&rate0, 0, 0, 1000, day, 0, &nb), OUTBOX_WAIT);
	assert_int_equal(nb, 1001);
	/* Transient: the backoff of the attempt to come. */
	assert_int_equal(outbox_fate(&tr, 0, 1000, 1000, day, 0, &nb), OUTBOX_RETRY);
	assert_int_equal(nb, 1001);
	assert_int_equal(outbox_fate(&tr, 2, 1000, 1000, day, 0, &nb), OUTBOX_RETRY);
	assert_int_equal(nb, 1004);
	/* ... until the retry would fall past the maximum age. */
	assert_int_equal(outbox_fate(&tr, 20, 1000, 1000 + day - 451, day, 0, &nb), OUTBOX_RETRY);
	assert_int_equal(outbox_fate(&tr, 20, 1000, 1000 + day - 449, day, 0, &nb), OUTBOX_DEAD);
	/* Permanent: dead at once, even on the first attempt. */
	assert_int_equal(outbox_fate(&perm, 0, 1000, 1000, day, 0, &nb), OUTBOX_DEAD);
}

static void test_dests(void **state)
{
	(void)state;
	struct outbox_dests t = {0};
	bool created;
	char key[32];

	struct outbox_dest *a = outbox_dests_get(&t, "wecom|a|robot|0|", &created);
	assert_non_null(a);
	assert_true(created);
	assert_int_equal(a->pace.ready_ms, 0);
	a->pace.ready_ms = 5000;
	assert_ptr_equal(outbox_dests_get(&t, "wecom|a|robot|0|", &created), a);
	assert_false(created);
	/* Growing keeps every entry reachable. */
	for (int i = 0; i < 500; i++) {
		snprintf(key, sizeof key, "wecom|x|user|0|u%d", i);
		struct outbox_dest *e = outbox_dests_get(&t, key, &created);
		assert_non_null(e);
		assert_true(created);
		e->pace.ready_ms = (uint64_t)i;
		e->pace.busy = i == 7;
	}
	assert_int_equal(t.n, 501);
	assert_ptr_equal(outbox_dests_get(&t, "wecom|a|robot|0|", &created), a);
	/* Idle entries go; busy ones and those not ready yet stay. */
	outbox_dests_prune(&t, 100);
	assert_int_equal(t.n, 501 - 99);
	outbox_dests_get(&t, "wecom|x|user|0|u7", &created);
	assert_false(created);
	outbox_dests_get(&t, "wecom|x|user|0|u8", &created);
	assert_true(created);
	outbox_dests_free(&t);
}

/* The console's text of r rendered for d holds every line of r. */
static void check_rendered(const char *platform, enum dest_kind kind, const struct reply *r)
{
	struct dest d = mk(platform, kind);
	struct rendered out;

	assert_int_equal(render_message(&d, r, "key", &out), 0);
	assert_int_equal(out.n, 1);
	char *text = outbox_console_text(out.bodies[0]);
	assert_non_null(text);
	for (size_t i = 0; i < r->n_items; i++)
		assert_non_null(strstr(text, r->items[i].text));
	if (r->title)
		assert_non_null(strstr(text, r->title));
	/* Nothing of the framing: ids, keys, message types. */
	assert_null(strstr(text, "msgtype"));
	assert_null(strstr(text, "key-1"));
	free(text);
	rendered_free(&out);
}

/* What the console shows of each platform's bodies, plain and structured. */
static void test_console_text(void **state)
{
	(void)state;
	static const enum dest_kind kinds[] = {DEST_USER, DEST_CHAT, DEST_ROBOT, DEST_SESSION,
	                                       DEST_REPLY};
	static const char *const platforms[] = {"wecom", "dingtalk", "feishu"};
	struct reply plain, rich, err, card;

	reply_init(&plain);
	reply_init(&card);
	/* With buttons: WeCom's template card, DingTalk's actionCard, Feishu's
	 * interactive card all show their text too. */
	assert_int_equal(reply_set_title(&card, "任期提醒"), 0);
	assert_int_equal(reply_add_line(&card, "还有 8 天"), 0);
	assert_int_equal(reply_add_fallback(&card, "回复“收到”确认已阅。"), 0);
	assert_int_equal(reply_add_action(&card, "收到", "收到", REPLY_ACTION_PRIMARY), 0);
	reply_init(&rich);
	reply_init(&err);
	assert_int_equal(reply_add_line(&plain, "任期将于 30 天后届满"), 0);
	assert_int_equal(reply_add_line(&plain, "第二行 \"引号\""), 0);
	assert_int_equal(reply_set_title(&rich, "到期提醒"), 0);
	assert_int_equal(reply_add_field(&rich, "姓名", "张三"), 0);
	assert_int_equal(reply_add_line(&rich, "请及时续聘"), 0);
	assert_int_equal(reply_set_title(&err, "出错了"), 0);
	assert_int_equal(reply_add_field(&err, "原因", "未知"), 0);
	err.is_error = true;
	for (size_t p = 0; p < 3; p++) {
		for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
			struct dest d = mk(platforms[p], kinds[k]);
			struct rendered probe;

			/* Only the kinds the platform serves. */
			if (render_message(&d, &plain, "key", &probe) < 0)
				continue;
			rendered_free(&probe);
			check_rendered(platforms[p], kinds[k], &plain);
			check_rendered(platforms[p], kinds[k], &rich);
			check_rendered(platforms[p], kinds[k], &err);
			check_rendered(platforms[p], kinds[k], &card);
		}
	}
	reply_free(&plain);
	reply_free(&rich);
	reply_free(&err);
	reply_free(&card);
	assert_null(outbox_console_text("not json"));
	assert_null(outbox_console_text("{\"msgtype\":\"text\"}"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_intervals_default),
		cmocka_unit_test(test_intervals_configured),
		cmocka_unit_test(test_intervals_wecom_hour),
		cmocka_unit_test(test_intervals_feishu_app),
		cmocka_unit_test(test_bucket_try_both),
		cmocka_unit_test(test_bucket),
		cmocka_unit_test(test_bucket_try),
		cmocka_unit_test(test_bucket_restore),
		cmocka_unit_test(test_backoff),
		cmocka_unit_test(test_fate),
		cmocka_unit_test(test_dests),
		cmocka_unit_test(test_console_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
