/*
 * Command tests on a real registry: one pre-seeded template database per
 * test binary, a fresh copy of it for every test, and messages driven
 * through the real dispatcher (dispatch_unit inside a transaction the test
 * owns, as daemon/inbox.c does).
 *
 * The template (built by fixture_group_setup) holds the schema, the GB/T
 * 2260 regions of data/regions.csv (so run from the repository root) and
 * the demo registry (store_demo.h) dated FIXTURE_TODAY, with the clock
 * pinned to FIXTURE_NOW. Facts the tests rely on:
 *   records: 1 孙八 (ended, predecessor of 2), 2 张三 示例精密机械 兰山区
 *   371302 (term 2023-07-05 to 2026-07-04, 19 days left; 20 training
 *   hours this year), 3 李四 演示食品 罗庄区 371311 (open 警示), 4 赵六 演示特种设备 河东区 371312, 5 王五 示例电子 雁塔区
 *   610113, 6 钱七 示例医药 碑林区 610112; 演示纺织 (兰山区) has no CQO.
 *   people: 1 张三 ... as store_demo.c lists them.
 *   alliance 1 示例市首席质量官联盟（演示） (3713) with records 2, 3 and 4,
 *   one published event.
 * Identities (platform generic, instance and tenant "test"), by user id:
 *   FX_ADMIN admin; FX_CLERK_SD clerk 37 (山东省); FX_CLERK_LY clerk 3713
 *   (临沂市); FX_CLERK_LS clerk 371302 (兰山区); FX_CLERK_LZ clerk 371311
 *   (罗庄区); FX_CLERK_XA clerk 610113 (雁塔区); FX_CQO cqo bound to person 1
 *   (张三, record 2); FX_CQO_LS cqo bound to person 2 (李四, record 3);
 *   FX_CQO_SB cqo bound to person 6 (孙八, whose record 1 has ended);
 *   FX_ORG organizer of alliance 1. Any other user id is a guest. Every
 *   message comes from chat "chat-1" (private or group).
 */
#ifndef CQOD_TEST_FIXTURE_H
#define CQOD_TEST_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FIXTURE_TODAY "2026-06-15"
#define FIXTURE_NOW "2026-06-15 10:00:00"

#define FX_ADMIN "u-admin"
#define FX_CLERK_SD "clerk-sd"
#define FX_CLERK_LY "clerk-ly"
#define FX_CLERK_LS "clerk-ls"
#define FX_CLERK_LZ "clerk-lz"
#define FX_CLERK_XA "clerk-xa"
#define FX_CQO "cqo-zs"
#define FX_CQO_LS "cqo-ls"
#define FX_CQO_SB "cqo-sb"
#define FX_ORG "org"
#define FX_GUEST "guest-1"

struct store;
struct config;
struct sqlite3;

struct fixture {
	char dir[64];
	char path[96];
	struct store *st;          /* the copy's store, as the daemon would hold it */
	struct config *cfg;
	struct sqlite3 *peek;      /* read-only second connection: what was committed */
	unsigned seq;              /* message ids */
	char *last;                /* fixture_say's answer; owned */
	char *actions;             /* its actions, as fixture_actions says; owned */
	bool logging;              /* fixture_log_start was called */
	char *log;                 /* fixture_log's text; owned */
};

/* cmocka group setup and teardown: build the template once, remove it. */
int fixture_group_setup(void **state);
int fixture_group_teardown(void **state);

/* cmocka per-test setup and teardown: *state becomes a struct fixture
 * on a fresh copy of the template; teardown closes and deletes it. */
int fixture_setup(void **state);
int fixture_teardown(void **state);

/* Sends `text` from user `who` in a private chat, as one message of its
 * own transaction (BEGIN, dispatch_unit, COMMIT, as the inbox does); fails
 * the test unless the unit is DISPATCH_DONE. Returns the reply's plain
 * text, valid until the next message on fx or the end of the test. */
const char *fixture_say(struct fixture *fx, const char *who, const char *text);
/* As fixture_say, in a group chat when `group`; *error (may be NULL) tells
 * whether the reply was marked as an error. */
const char *fixture_say_in(struct fixture *fx, const char *who, bool group, const char *text,
                           bool *error);

/* As fixture_say_in, through `platform` (instance and tenant "test",
 * chat "chat-1"): the fixture's identities are generic ones, so the test
 * grants the sender on that platform first (fixture_exec). */
const char *fixture_say_on(struct fixture *fx, const char *platform, const char *who,
                           bool group, const char *text);

/* The actions (buttons) of the last answer, one "label=command" line
 * each ("" when none); valid until the next message on fx. */
const char *fixture_actions(struct fixture *fx);

/* Runs `text` as the console's operator does (daemon/console.c): platform
 * and tenant "console", user "operator", with the fixed identity of an
 * admin, in a transaction of its own (dispatch_alone). Returns the reply
 * text like fixture_say. */
const char *fixture_console(struct fixture *fx, const char *text);

/* Changes the copy behind the store's back, through a connection of its
 * own (as an operator editing the file would): for states the demo lacks. */
void fixture_exec(struct fixture *fx, const char *sql);
/* Adds n generated CQOs (store_bench_add, in 北京, dated FIXTURE_TODAY). */
void fixture_seed_bench(struct fixture *fx, size_t n);

/* Moves the clock to `when` ("YYYY-MM-DD HH:MM:SS", China Standard Time),
 * as a daemon restarted with CQOD_FAKE_NOW would see it; every test starts
 * at FIXTURE_NOW. */
void fixture_set_now(const char *when);

/* From now on, keeps what the log says (at level info and above) while
 * messages run. */
void fixture_log_start(struct fixture *fx);
/* Everything logged since fixture_log_start; valid until the next call. */
const char *fixture_log(struct fixture *fx);

/* The integer the read-only query `sql` returns (first column of its
 * first row; the test fails when there is none). */
int64_t fixture_int(struct fixture *fx, const char *sql);
/* The text it returns into buf ("" for NULL). */
void fixture_text(struct fixture *fx, const char *sql, char *buf, size_t len);

/* A digest of every row of every table except the access log, inbound
 * message ids and conversation state (pending confirmations): equal before
 * and after a command that changes nothing. */
uint64_t fixture_digest(struct fixture *fx);

/* true when `needle` occurs in `hay`. */
bool fixture_has(const char *hay, const char *needle);

#endif
