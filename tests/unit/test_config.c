/* The configuration loader: defaults, every key, every error path, secrets
 * from files, the shipped example, and which loaded files may replace the
 * running configuration. Files are written to a mkdtemp() directory removed
 * at the end. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../lib/config.h"
#include "../../messages/platforms.h"

/* Tencent's sample EncodingAESKey: 43 characters from A-Z a-z 0-9. */
#define AES_KEY "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"

static char g_dir[64];    /* the temporary directory */
static char g_conf[128];  /* g_dir/cqod.conf, the file most tests load */

static void path_in_dir(char *buf, size_t len, const char *name)
{
	int n = snprintf(buf, len, "%s/%s", g_dir, name);

	assert_true(n > 0 && (size_t)n < len);
}

/* Writes len bytes to `name` (relative to g_dir unless absolute). */
static void write_bytes(const char *name, const char *data, size_t len)
{
	char path[PATH_MAX];
	FILE *f;

	if (name[0] == '/')
		snprintf(path, sizeof path, "%s", name);
	else
		path_in_dir(path, sizeof path, name);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void write_file(const char *name, const char *text)
{
	write_bytes(name, text, strlen(text));
}

static int load(const char *text, struct config **cfg, struct config_errors *errs)
{
	write_file("cqod.conf", text);
	memset(errs, 0, sizeof *errs);
	return config_load(g_conf, cfg, errs);
}

static void dump(const struct config_errors *e)
{
	for (size_t i = 0; i < e->n; i++)
		fprintf(stderr, "  error: %s\n", e->msgs[i]);
}

static bool has_error(const struct config_errors *e, int line, const char *msg)
{
	char want[4096];

	snprintf(want, sizeof want, "%s:%d: %s", g_conf, line, msg);
	for (size_t i = 0; i < e->n; i++)
		if (strcmp(e->msgs[i], want) == 0)
			return true;
	return false;
}

static void expect_error(const struct config_errors *e, int line, const char *msg)
{
	if (!has_error(e, line, msg)) {
		fprintf(stderr, "missing: %s:%d: %s\n", g_conf, line, msg);
		dump(e);
		fail();
	}
}

/* Loading `text` must fail with exactly this one error. */
static void expect_only(const char *text, int line, const char *msg)
{
	struct config_errors errs;
	struct config *cfg = (struct config *)1;
	int rc = load(text, &cfg, &errs);

	if (rc != -EINVAL || errs.n != 1) {
		fprintf(stderr, "for:\n%s\nrc=%d, want one error: %d: %s\n", text, rc, line, msg);
		dump(&errs);
		fail();
	}
	assert_null(cfg);
	expect_error(&errs, line, msg);
	config_errors_free(&errs);
}

/* Loading `text` must succeed with no error. */
static struct config *expect_ok(const char *text)
{
	struct config_errors errs;
	struct config *cfg = NULL;
	int rc = load(text, &cfg, &errs);

	if (rc != 0 || errs.n != 0) {
		fprintf(stderr, "for:\n%s\nrc=%d\n", text, rc);
		dump(&errs);
		fail();
	}
	assert_non_null(cfg);
	config_errors_free(&errs);
	return cfg;
}

static void assert_defaults(const struct config *c)
{
	assert_string_equal(c->listen, "127.0.0.1:8080");
	assert_string_equal(c->database, "/var/lib/cqod/cqod.db");
	assert_string_equal(c->data_dir, "/usr/share/cqod");
	assert_int_equal(c->log_level, LOG_LEVEL_INFO);
	assert_string_equal(c->console_role, "admin");
	assert_null(c->console_scope);
	assert_int_equal(c->shutdown_timeout_ms, 5000);
	assert_int_equal(c->max_header_bytes, 8192);
	assert_int_equal(c->max_body_bytes, 1048576);
	assert_int_equal(c->idle_timeout_ms, 30000);
	assert_int_equal(c->request_timeout_ms, 10000);
	assert_int_equal(c->max_connections, 1024);
	assert_int_equal(c->max_connections_per_address, 64);
	assert_int_equal(c->max_body_memory, 33554432);
	assert_null(c->trusted_proxies);
	assert_int_equal(c->dedupe_hours, 8);
	assert_int_equal(c->commit_batch_max, 256);
	assert_null(c->ca_file);
	assert_int_equal(c->outbound_timeout_ms, 10000);
	assert_int_equal(c->max_in_flight, 16);
	assert_int_equal(c->remind_send_at, 9 * 60);
	assert_int_equal(c->remind_catch_up_days, 31);
	assert_int_equal(c->alliance_confirm_above, 20);
	assert_int_equal(c->n_instances, 0);
	assert_null(c->instances);
}

/* ---- success ---- */

static void test_defaults(void **state)
{
	struct config *c = config_defaults();

	(void)state;
	assert_non_null(c);
	assert_defaults(c);
	assert_null(c->path);
	assert_null(config_instance_find(c, "generic", "ci"));
	config_free(c);
	config_free(NULL);
}

static void test_empty_file(void **state)
{
	struct config *c = expect_ok("");

	(void)state;
	assert_defaults(c);
	assert_string_equal(c->path, g_conf);
	config_free(c);

	c = expect_ok("# only a comment\n; and another\n\n   \n[daemon]\n[http]\n[inbox]\n");
	assert_defaults(c);
	config_free(c);
}

static void test_every_key(void **state)
{
	const struct config_instance *in;
	struct config *c = expect_ok(
		"[daemon]\n"
		"listen = 0.0.0.0:80\n"
		"database = /srv/cqod.db\n"
		"data_dir = /srv/data\n"
		"log_level = debug\n"
		"console_role = clerk\n"
		"console_scope = 110101\n"
		"shutdown_timeout_ms = 100\n"
		"[http]\n"
		"max_header_bytes = 1024\n"
		"max_body_bytes = 67108864\n"
		"idle_timeout_ms = 3600000\n"
		"request_timeout_ms = 600000\n"
		"max_connections = 100000\n"
		"[inbox]\n"
		"dedupe_hours = 720\n"
		"commit_batch_max = 1\n"
		"[generic:ci]\n"
		"secret = s-ci ; an inline comment\n"
		"[wecom:w]\n"
		"corp_id = ww1\n"
		"agent_id = 1000002\n"
		"secret = s-w\n"
		"token = t-w\n"
		"aes_key = " AES_KEY "\n"
		"api_base = https://qyapi.example\n"
		"[dingtalk:d]\n"
		"app_key = k-d\n"
		"app_secret = s-d\n"
		"robot_code = r-d\n"
		"api_base = http://dingtalk.example\n"
		"[feishu:f]\n"
		"app_id = i-f\n"
		"app_secret = s-f\n"
		"verification_token = v-f\n"
		"encrypt_key = e-f\n"
		"api_base = https://feishu.example\n"
		/* A fixed section may come back: keys added later go here, so the
		 * lines above keep their numbers. */
		"[http]\n"
		"max_connections_per_address = 100000\n"
		"max_body_memory = 68719476736\n"
		"trusted_proxies = 127.0.0.1, ::1 10.0.0.0/8\n");

	(void)state;
	assert_string_equal(c->listen, "0.0.0.0:80");
	assert_string_equal(c->database, "/srv/cqod.db");
	assert_string_equal(c->data_dir, "/srv/data");
	assert_int_equal(c->log_level, LOG_LEVEL_DEBUG);
	assert_string_equal(c->console_role, "clerk");
	assert_string_equal(c->console_scope, "110101");
	assert_int_equal(c->shutdown_timeout_ms, 100);
	assert_int_equal(c->max_header_bytes, 1024);
	assert_int_equal(c->max_body_bytes, 67108864);
	assert_int_equal(c->idle_timeout_ms, 3600000);
	assert_int_equal(c->request_timeout_ms, 600000);
	assert_int_equal(c->max_connections, 100000);
	assert_int_equal(c->max_connections_per_address, 100000);
	assert_int_equal(c->max_body_memory, 68719476736ULL);
	assert_string_equal(c->trusted_proxies, "127.0.0.1, ::1 10.0.0.0/8");
	assert_int_equal(c->dedupe_hours, 720);
	assert_int_equal(c->commit_batch_max, 1);
	assert_int_equal(c->n_instances, 4);

	in = config_instance_find(c, "generic", "ci");
	assert_non_null(in);
	assert_int_equal(in->line, 18);
	assert_int_equal(in->n_kv, 1);
	assert_string_equal(config_instance_get(in, "secret"), "s-ci");
	assert_int_equal(in->kv[0].line, 19);

	in = config_instance_find(c, "wecom", "w");
	assert_non_null(in);
	assert_int_equal(in->n_kv, 6);
	assert_string_equal(config_instance_get(in, "corp_id"), "ww1");
	assert_string_equal(config_instance_get(in, "agent_id"), "1000002");
	assert_string_equal(config_instance_get(in, "secret"), "s-w");
	assert_string_equal(config_instance_get(in, "token"), "t-w");
	assert_string_equal(config_instance_get(in, "aes_key"), AES_KEY);
	assert_string_equal(config_instance_get(in, "api_base"), "https://qyapi.example");
	assert_null(config_instance_get(in, "app_key"));

	in = config_instance_find(c, "dingtalk", "d");
	assert_non_null(in);
	assert_string_equal(config_instance_get(in, "app_key"), "k-d");
	assert_string_equal(config_instance_get(in, "app_secret"), "s-d");
	assert_string_equal(config_instance_get(in, "robot_code"), "r-d");
	assert_string_equal(config_instance_get(in, "api_base"), "http://dingtalk.example");

	in = config_instance_find(c, "feishu", "f");
	assert_non_null(in);
	assert_string_equal(config_instance_get(in, "app_id"), "i-f");
	assert_string_equal(config_instance_get(in, "app_secret"), "s-f");
	assert_string_equal(config_instance_get(in, "verification_token"), "v-f");
	assert_string_equal(config_instance_get(in, "encrypt_key"), "e-f");

	assert_null(config_instance_find(c, "generic", "w"));
	assert_null(config_instance_find(c, "feishu", "ci"));
	assert_null(config_instance_get(NULL, "secret"));
	config_free(c);
}

static void test_listen_forms(void **state)
{
	static const char *const good[] = {
		"127.0.0.1:8080", "0.0.0.0:0", "10.1.2.3:65535", "[::1]:8080", "[::]:0",
		"[2001:db8::1]:65535", "[::ffff:192.0.2.1]:443",
	};
	char text[256];

	(void)state;
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		struct config *c;

		snprintf(text, sizeof text, "[daemon]\nlisten = %s\n", good[i]);
		c = expect_ok(text);
		assert_string_equal(c->listen, good[i]);
		config_free(c);
	}
}

static void test_file_forms(void **state)
{
	struct config *c;

	(void)state;
	/* UTF-8 BOM, CRLF line ends, indentation, "key: value", comments. */
	c = expect_ok("\xEF\xBB\xBF# c\r\n"
	              "  [ daemon ]  ; comment\r\n"
	              "\tlisten = [::1]:9000  \r\n"
	              "    database: /tmp/x.db\r\n"
	              "; x\r\n"
	              "[http] # comment\n"
	              "max_connections=7\n");
	assert_string_equal(c->listen, "[::1]:9000");
	assert_string_equal(c->database, "/tmp/x.db");
	assert_int_equal(c->max_connections, 7);
	config_free(c);

	/* A section may be repeated; its keys still count once. */
	c = expect_ok("[daemon]\nlisten = 1.2.3.4:5\n[http]\n[daemon]\ndatabase = /d\n");
	assert_string_equal(c->listen, "1.2.3.4:5");
	assert_string_equal(c->database, "/d");
	config_free(c);

	/* Longest line accepted: 198 characters. */
	{
		char text[512];
		char line[199];

		memset(line, 'a', sizeof line - 1);
		line[sizeof line - 1] = '\0';
		memcpy(line, "data_dir = /", 12);
		snprintf(text, sizeof text, "[daemon]\n%s\n", line);
		c = expect_ok(text);
		assert_int_equal(strlen(c->data_dir), 198 - 11);
		config_free(c);
	}
}

static void test_instance_names(void **state)
{
	struct config *c;

	(void)state;
	c = expect_ok("[generic:AZaz09_-]\nsecret = x\n"
	              "[generic:abcdefghijklmnopqrstuvwxyz012345]\nsecret = y\n"
	              "[wecom:ci]\ncorp_id=a\nagent_id=b\nsecret=c\ntoken=d\naes_key=" AES_KEY "\n"
	              "[generic:ci]\nsecret = z\n");
	assert_int_equal(c->n_instances, 4);
	assert_string_equal(config_instance_get(config_instance_find(c, "generic", "AZaz09_-"),
	                                        "secret"), "x");
	assert_non_null(config_instance_find(c, "generic", "abcdefghijklmnopqrstuvwxyz012345"));
	/* Same name on two platforms is two instances. */
	assert_string_equal(config_instance_get(config_instance_find(c, "generic", "ci"), "secret"),
	                    "z");
	assert_string_equal(config_instance_get(config_instance_find(c, "wecom", "ci"), "secret"),
	                    "c");
	config_free(c);
}

static void test_console_scope_ok(void **state)
{
	static const char *const scopes[] = {"11", "1101", "110101"};
	char text[128];

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		struct config *c;

		snprintf(text, sizeof text, "[daemon]\nconsole_scope = %s\nconsole_role = clerk\n",
		         scopes[i]);
		c = expect_ok(text);
		assert_string_equal(c->console_scope, scopes[i]);
		config_free(c);
	}
}

/* ---- secrets from files ---- */

static void test_secret_file(void **state)
{
	static const struct {
		const char *content;
		const char *want;
	} cases[] = {
		{"tok\n", "tok"},
		{"tok\r\n", "tok"},
		{"tok", "tok"},
		{"tok\n\n", "tok\n"},
		{" spaced tok \n", " spaced tok "},
		{"a;b = c\n", "a;b = c"},
	};
	char text[1024], abs[256];
	const struct config_instance *in;
	struct config *c;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		write_file("s.secret", cases[i].content);
		c = expect_ok("[generic:ci]\nsecret_file = s.secret\n");
		in = config_instance_find(c, "generic", "ci");
		assert_string_equal(config_instance_get(in, "secret"), cases[i].want);
		assert_null(config_instance_get(in, "secret_file"));
		assert_int_equal(in->kv[0].line, 2);
		config_free(c);
	}

	/* Absolute path; exactly 4096 bytes plus a newline. */
	{
		char big[4098];

		memset(big, 'x', 4096);
		big[4096] = '\n';
		big[4097] = '\0';
		write_file("big.secret", big);
		path_in_dir(abs, sizeof abs, "big.secret");
		snprintf(text, sizeof text, "[feishu:f]\napp_id = i\napp_secret_file = %s\n"
		         "verification_token_file = s.secret\nencrypt_key_file=s.secret\n", abs);
		c = expect_ok(text);
		in = config_instance_find(c, "feishu", "f");
		assert_int_equal(strlen(config_instance_get(in, "app_secret")), 4096);
		assert_string_equal(config_instance_get(in, "verification_token"), "a;b = c");
		assert_string_equal(config_instance_get(in, "encrypt_key"), "a;b = c");
		config_free(c);
	}
}

static void test_credentials_directory(void **state)
{
	char creds[PATH_MAX], msg[3 * PATH_MAX];
	const struct config_instance *in;
	struct config_errors errs;
	struct config *c;

	(void)state;
	path_in_dir(creds, sizeof creds, "creds");
	assert_int_equal(mkdir(creds, 0700), 0);
	write_file("creds/ci.secret", "from-creds\n");
	write_file("creds/both.secret", "creds-copy\n");
	write_file("both.secret", "config-dir-copy\n");
	assert_int_equal(setenv("CREDENTIALS_DIRECTORY", creds, 1), 0);

	c = expect_ok("[generic:ci]\nsecret_file = ci.secret\n"
	              "[generic:both]\nsecret_file = both.secret\n");
	in = config_instance_find(c, "generic", "ci");
	assert_string_equal(config_instance_get(in, "secret"), "from-creds");
	/* The config file's directory comes first. */
	in = config_instance_find(c, "generic", "both");
	assert_string_equal(config_instance_get(in, "secret"), "config-dir-copy");
	config_free(c);

	/* Missing from both: the message names both places. */
	snprintf(msg, sizeof msg,
	         "secret_file: cannot open \"%s/nope\" or \"%s/nope\": No such file or directory",
	         g_dir, creds);
	expect_only("[generic:ci]\nsecret_file = nope\n", 2, msg);

	/* Absolute paths are never looked up in the credentials directory. */
	expect_only("[generic:ci]\nsecret_file = /nonexistent-cqod/ci.secret\n", 2,
	            "secret_file: cannot open \"/nonexistent-cqod/ci.secret\": "
	            "No such file or directory");

	assert_int_equal(unsetenv("CREDENTIALS_DIRECTORY"), 0);
	assert_int_equal(load("[generic:ci]\nsecret_file = ci.secret\n", &c, &errs), -EINVAL);
	assert_int_equal(errs.n, 1);
	config_errors_free(&errs);
}

/* ---- errors ---- */

static void test_missing_file(void **state)
{
	char path[PATH_MAX], want[PATH_MAX + 64];
	struct config_errors errs = {0};
	struct config *c = (struct config *)1;

	(void)state;
	path_in_dir(path, sizeof path, "does-not-exist.conf");
	assert_int_equal(config_load(path, &c, &errs), -ENOENT);
	assert_null(c);
	assert_int_equal(errs.n, 1);
	snprintf(want, sizeof want, "%s: cannot open: No such file or directory", path);
	assert_string_equal(errs.msgs[0], want);
	config_errors_free(&errs);
	assert_int_equal(errs.n, 0);
	assert_null(errs.msgs);
	config_errors_free(&errs);
}

struct bad_value {
	const char *section, *key, *value, *expected;
};

static void check_bad_value(const struct bad_value *b)
{
	char text[512], msg[512];

	snprintf(text, sizeof text, "# leading comment\n[%s]\n%s = %s\n", b->section, b->key,
	         b->value);
	snprintf(msg, sizeof msg, "%s: %s, got \"%s\"", b->key, b->expected, b->value);
	expect_only(text, 3, msg);
}

#define PROXIES_WANT "expected IPv4 or IPv6 addresses or networks such as 127.0.0.1, ::1 " \
                     "or 10.0.0.0/8, separated by commas or spaces"

static void test_bad_values(void **state)
{
	static const char listen_want[] =
		"expected \"IPv4:port\" or \"[IPv6]:port\" with a numeric address and a port "
		"from 0 to 65535";
	static const char *const bad_listen[] = {
		"127.0.0.1", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:-1", "127.0.0.1:+80",
		"127.0.0.1:80x", "::1:80", "[::1]80", "[::1", "[::1]:", "localhost:80",
		"[1.2.3.4]:80", "256.0.0.1:80", ":80", "[]:80", "1.2.3.4:80:90",
		"127.0.0.1:99999999999999999999999",
	};
	static const struct bad_value other[] = {
		{"daemon", "database", "", "expected a path"},
		{"daemon", "data_dir", "", "expected a path"},
		{"daemon", "log_level", "verbose", "expected one of error, warn, info, debug"},
		{"daemon", "log_level", "", "expected one of error, warn, info, debug"},
		{"daemon", "console_role", "root", "expected one of admin, clerk, organizer, cqo, guest"},
		{"daemon", "console_role", "", "expected one of admin, clerk, organizer, cqo, guest"},
		{"daemon", "console_scope", "1", "expected a region code of 2, 4 or 6 digits"},
		{"daemon", "console_scope", "123", "expected a region code of 2, 4 or 6 digits"},
		{"daemon", "console_scope", "1234567", "expected a region code of 2, 4 or 6 digits"},
		{"daemon", "console_scope", "11a1", "expected a region code of 2, 4 or 6 digits"},
		{"daemon", "console_scope", "", "expected a region code of 2, 4 or 6 digits"},
		{"daemon", "console_scope", "+11", "expected a region code of 2, 4 or 6 digits"},
		{"outbound", "ca_file", "", "expected a path"},
		{"http", "trusted_proxies", "nginx", PROXIES_WANT},
		{"http", "trusted_proxies", "127.0.0.1, 10.0.0.0/33", PROXIES_WANT},
		{"http", "trusted_proxies", "127.0.0.1:8080", PROXIES_WANT},
		{"reminders", "send_at", "", "expected a time of day as HH:MM, from 00:00 to 23:59"},
		{"reminders", "send_at", "9", "expected a time of day as HH:MM, from 00:00 to 23:59"},
		{"reminders", "send_at", "24:00", "expected a time of day as HH:MM, from 00:00 to 23:59"},
		{"reminders", "send_at", "09:60", "expected a time of day as HH:MM, from 00:00 to 23:59"},
		{"reminders", "send_at", "09:5", "expected a time of day as HH:MM, from 00:00 to 23:59"},
		{"reminders", "send_at", "009:00", "expected a time of day as HH:MM, from 00:00 to 23:59"},
		{"reminders", "send_at", "+9:00", "expected a time of day as HH:MM, from 00:00 to 23:59"},
		{"reminders", "send_at", "09:00:00", "expected a time of day as HH:MM, from 00:00 to 23:59"},
		{"reminders", "send_at", ":30", "expected a time of day as HH:MM, from 00:00 to 23:59"},
	};
	static const struct {
		const char *section, *key;
		unsigned long long min, max;
	} ints[] = {
		{"daemon", "shutdown_timeout_ms", 100, 600000},
		{"http", "max_header_bytes", 1024, 1048576},
		{"http", "max_body_bytes", 1024, 67108864},
		{"http", "idle_timeout_ms", 100, 3600000},
		{"http", "request_timeout_ms", 100, 600000},
		{"http", "max_connections", 1, 100000},
		{"http", "max_connections_per_address", 1, 100000},
		{"http", "max_body_memory", 2048, 68719476736ULL},
		{"inbox", "dedupe_hours", 8, 720},
		{"inbox", "commit_batch_max", 1, 10000},
		{"outbound", "timeout_ms", 100, 600000},
		{"outbound", "max_in_flight", 1, 1024},
		{"reminders", "catch_up_days", 1, 366},
		{"alliances", "confirm_above", 0, 1000000},
	};
	static const char *const bad_ints[] = {
		"abc", "", "-1", "+5", "1.5", "0x10", "1e3", "12abc", "5 6", "18446744073709551616",
		"99999999999999999999999",
	};

	(void)state;
	for (size_t i = 0; i < sizeof bad_listen / sizeof bad_listen[0]; i++) {
		struct bad_value b = {"daemon", "listen", bad_listen[i], listen_want};
		check_bad_value(&b);
	}
	for (size_t i = 0; i < sizeof other / sizeof other[0]; i++)
		check_bad_value(&other[i]);
	for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
		char want[128], below[32], above[32];

		snprintf(want, sizeof want, "expected an integer from %llu to %llu", ints[i].min,
		         ints[i].max);
		for (size_t j = 0; j < sizeof bad_ints / sizeof bad_ints[0]; j++) {
			struct bad_value b = {ints[i].section, ints[i].key, bad_ints[j], want};
			check_bad_value(&b);
		}
		snprintf(below, sizeof below, "%llu", ints[i].min - 1);
		snprintf(above, sizeof above, "%llu", ints[i].max + 1);
		struct bad_value lo = {ints[i].section, ints[i].key, below, want};
		struct bad_value hi = {ints[i].section, ints[i].key, above, want};
		check_bad_value(&lo);
		check_bad_value(&hi);
	}
	/* The example message from the design, verbatim. */
	expect_only("[http]\nmax_connections = abc\n", 2,
	            "max_connections: expected an integer from 1 to 100000, got \"abc\"");
	/* Control characters in a shown value are escaped. */
	expect_only("[daemon]\nlog_level = a\"b\x01\n", 2,
	            "log_level: expected one of error, warn, info, debug, got \"a\\\"b\\x01\"");
}

/* Bodies are counted with their NUL: the memory for all of them must take
 * the largest one. Checked whichever of the two keys the file sets. */
static void test_body_memory_over_body_bytes(void **state)
{
	struct config *c;

	(void)state;
	expect_only("[http]\nmax_body_bytes = 67108864\n", 2,
	            "max_body_memory (33554432) must be more than max_body_bytes (67108864), or "
	            "no body of the largest allowed size could be taken");
	expect_only("[http]\nmax_body_bytes = 4096\nmax_body_memory = 4096\n", 3,
	            "max_body_memory (4096) must be more than max_body_bytes (4096), or no body of "
	            "the largest allowed size could be taken");
	c = expect_ok("[http]\nmax_body_bytes = 67108864\nmax_body_memory = 67108865\n");
	assert_int_equal(c->max_body_memory, 67108865);
	config_free(c);
	c = expect_ok("[http]\ntrusted_proxies =\n");
	assert_string_equal(c->trusted_proxies, "");
	config_free(c);
}

static void test_instance_bad_values(void **state)
{
	static const char wecom[] =
		"[wecom:w]\ncorp_id = c\nagent_id = 1\nsecret = s\ntoken = t\naes_key = " AES_KEY "\n";
	char text[512];

	(void)state;
	snprintf(text, sizeof text, "%sapi_base = ftp://x\n", wecom);
	expect_only(text, 7, "api_base: expected an http:// or https:// URL, got \"ftp://x\"");
	snprintf(text, sizeof text, "%sapi_base =\n", wecom);
	expect_only(text, 7, "api_base: must not be empty");
	expect_only("[wecom:w]\ncorp_id =\nagent_id = 1\nsecret = s\ntoken = t\n"
	            "aes_key = " AES_KEY "\n", 2,
	            "corp_id: must not be empty");
	expect_only("[generic:ci]\nsecret =\n", 2, "secret: must not be empty");
	expect_only("[generic:ci]\nsecret = ; only a comment\n", 2, "secret: must not be empty");
	expect_only("[generic:ci]\nsecret_file =\n", 2, "secret_file: expected a file path, got \"\"");
}

static void test_wecom_aes_key(void **state)
{
	static const char head[] = "[wecom:w]\ncorp_id = c\nagent_id = 1\nsecret = s\ntoken = t\n";
	static const char *const bad[] = {
		AES_KEY "x",                                        /* 44 characters */
		"jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2",       /* 42 */
		"jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2+",      /* Base64, not the alphabet */
		"jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2=",
		"S3CRET-aes-jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj",      /* '-' */
	};
	char text[512];
	struct config *c;

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(text, sizeof text, "%saes_key = %s\n", head, bad[i]);
		/* The value is a secret: the message never shows it. */
		expect_only(text, 6, "aes_key: expected an EncodingAESKey: 43 characters from "
		                     "A-Z a-z 0-9");
	}
	/* A key read from a file is checked the same way. */
	write_file("aes.bad", "S3CRET-aes-jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj\n");
	snprintf(text, sizeof text, "%saes_key_file = aes.bad\n", head);
	expect_only(text, 6, "aes_key_file: expected an EncodingAESKey: 43 characters from "
	                     "A-Z a-z 0-9");
	write_file("aes.good", AES_KEY "\n");
	snprintf(text, sizeof text, "%saes_key_file = aes.good\n", head);
	c = expect_ok(text);
	assert_string_equal(config_instance_get(config_instance_find(c, "wecom", "w"), "aes_key"),
	                    AES_KEY);
	config_free(c);
}

static void test_unknown_keys(void **state)
{
	(void)state;
	expect_only("[daemon]\nlisten_addr = 1.2.3.4:5\n", 2, "unknown key \"listen_addr\" in [daemon]");
	expect_only("[http]\n\nmax_conns = 5\n", 3, "unknown key \"max_conns\" in [http]");
	expect_only("[inbox]\nListen = 1\n", 2, "unknown key \"Listen\" in [inbox]");
	expect_only("[daemon]\nmax_connections = 5\n", 2,
	            "unknown key \"max_connections\" in [daemon]");
	expect_only("[generic:ci]\nsecret = s\ntoken = t\n", 3,
	            "unknown key \"token\" in [generic:ci]");
	/* Only secrets have a _file form. */
	expect_only("[dingtalk:d]\napp_key = k\napp_secret = s\napi_base_file = f\n", 4,
	            "unknown key \"api_base_file\" in [dingtalk:d]");
	expect_only("[dingtalk:d]\napp_key_file = k\napp_secret = s\napp_key = k\n", 2,
	            "unknown key \"app_key_file\" in [dingtalk:d]");
	expect_only("[generic:ci]\nsecret = s\n_file = x\n", 3, "unknown key \"_file\" in [generic:ci]");
	expect_only("listen = 1.2.3.4:5\n[daemon]\n", 1, "key \"listen\" is outside any section");
}

static void test_unknown_sections(void **state)
{
	(void)state;
	/* The keys of a bad section are not reported again. */
	expect_only("[server]\nlisten = x\nfoo = bar\n", 1, "unknown section [server]");
	expect_only("[]\nfoo = bar\n", 1, "unknown section []");
	expect_only("[Daemon]\n", 1, "unknown section [Daemon]");
	expect_only("[slack:team]\ntoken = x\n", 1,
	            "unknown platform \"slack\" in [slack:team] (known: generic, wecom, dingtalk, "
	            "feishu, wecom_aibot, wecom_robot, dingtalk_robot, feishu_bot)");
	expect_only("[:ci]\n", 1,
	            "unknown platform \"\" in [:ci] (known: generic, wecom, dingtalk, feishu, "
	            "wecom_aibot, wecom_robot, dingtalk_robot, feishu_bot)");
}

static void test_bad_instance_names(void **state)
{
	static const char *const names[] = {
		"", "a b", "a.b", "a:b", "a/b", "café", "abcdefghijklmnopqrstuvwxyz0123456",
	};
	char text[256], msg[256];

	(void)state;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		snprintf(text, sizeof text, "[generic:%s]\nsecret = s\n", names[i]);
		snprintf(msg, sizeof msg,
		         "bad instance name \"%s\" in [generic:%s]: use 1 to 32 characters from "
		         "A-Z a-z 0-9 _ -",
		         names[i], names[i]);
		expect_only(text, 1, msg);
	}
}

static void test_unknown_platform_and_bad_name(void **state)
{
	struct config_errors errs;
	struct config *c;

	(void)state;
	assert_int_equal(load("[irc:a b]\n", &c, &errs), -EINVAL);
	assert_int_equal(errs.n, 2);
	expect_error(&errs, 1,
	             "unknown platform \"irc\" in [irc:a b] (known: generic, wecom, dingtalk, "
	             "feishu, wecom_aibot, wecom_robot, dingtalk_robot, feishu_bot)");
	expect_error(&errs, 1,
	             "bad instance name \"a b\" in [irc:a b]: use 1 to 32 characters from "
	             "A-Z a-z 0-9 _ -");
	config_errors_free(&errs);
}

static void test_duplicates(void **state)
{
	(void)state;
	expect_only("[generic:ci]\nsecret = a\n\n[generic:ci]\nsecret = b\nbogus = 1\n", 4,
	            "duplicate section [generic:ci] (first on line 1)");
	expect_only("[daemon]\nlisten = 1.2.3.4:5\nlisten = 1.2.3.4:6\n", 3,
	            "duplicate key \"listen\" in [daemon] (first set on line 2)");
	expect_only("[inbox]\ndedupe_hours = 9\n[daemon]\n[inbox]\ndedupe_hours = 10\n", 5,
	            "duplicate key \"dedupe_hours\" in [inbox] (first set on line 2)");
	/* A bad value still counts as set. */
	{
		struct config_errors errs;
		struct config *c;

		assert_int_equal(load("[http]\nmax_connections = 0\nmax_connections = 1\n", &c, &errs),
		                 -EINVAL);
		assert_int_equal(errs.n, 2);
		expect_error(&errs, 3, "duplicate key \"max_connections\" in [http] (first set on line 2)");
		config_errors_free(&errs);
	}
	expect_only("[generic:ci]\nsecret = a\nsecret = b\n", 3,
	            "duplicate key \"secret\" in [generic:ci] (first set on line 2)");
	write_file("dup.secret", "x\n");
	expect_only("[generic:ci]\nsecret_file = dup.secret\nsecret_file = dup.secret\n", 3,
	            "duplicate key \"secret_file\" in [generic:ci] (first set on line 2)");
}

static void test_missing_required(void **state)
{
	struct config_errors errs;
	struct config *c;

	(void)state;
	expect_only("[generic:ci]\n", 1, "[generic:ci]: missing required key \"secret\" (or \"secret_file\")");
	expect_only("[daemon]\n[generic:ci]\n# nothing\n[http]\n", 2,
	            "[generic:ci]: missing required key \"secret\" (or \"secret_file\")");

	assert_int_equal(load("[wecom:w]\napi_base = https://x\n[dingtalk:d]\n[feishu:f]\n"
	                      "encrypt_key = e\n",
	                      &c, &errs),
	                 -EINVAL);
	assert_null(c);
	assert_int_equal(errs.n, 10);
	expect_error(&errs, 1, "[wecom:w]: missing required key \"corp_id\"");
	expect_error(&errs, 1, "[wecom:w]: missing required key \"agent_id\"");
	expect_error(&errs, 1, "[wecom:w]: missing required key \"secret\" (or \"secret_file\")");
	expect_error(&errs, 1, "[wecom:w]: missing required key \"token\" (or \"token_file\")");
	expect_error(&errs, 1, "[wecom:w]: missing required key \"aes_key\" (or \"aes_key_file\")");
	expect_error(&errs, 3, "[dingtalk:d]: missing required key \"app_key\"");
	expect_error(&errs, 3,
	             "[dingtalk:d]: missing required key \"app_secret\" (or \"app_secret_file\")");
	expect_error(&errs, 4, "[feishu:f]: missing required key \"app_id\"");
	expect_error(&errs, 4,
	             "[feishu:f]: missing required key \"app_secret\" (or \"app_secret_file\")");
	expect_error(&errs, 4, "[feishu:f]: missing required key \"verification_token\" "
	                       "(or \"verification_token_file\")");
	config_errors_free(&errs);

	/* Feishu's long connection needs no verification token; webhook mode
	 * (said or not) does. */
	assert_int_equal(load("[feishu:f]\nmode = stream\napp_id = a\napp_secret = s\n", &c, &errs),
	                 0);
	config_free(c);
	expect_only("[feishu:f]\nmode = webhook\napp_id = a\napp_secret = s\n", 1,
	            "[feishu:f]: missing required key \"verification_token\" "
	            "(or \"verification_token_file\")");
	expect_only("[feishu:f]\nmode = socket\napp_id = a\napp_secret = s\n"
	            "verification_token = t\n", 2,
	            "mode: expected webhook or stream, got \"socket\"");
}

static void test_secret_and_file(void **state)
{
	(void)state;
	write_file("both.secret", "x\n");
	expect_only("[generic:ci]\nsecret = inline\nsecret_file = both.secret\n", 3,
	            "secret and secret_file are both given (the other on line 2); use one");
	expect_only("[generic:ci]\nsecret_file = both.secret\n\nsecret = inline\n", 4,
	            "secret and secret_file are both given (the other on line 2); use one");
}

static void test_secret_file_errors(void **state)
{
	char msg[PATH_MAX + 128], sub[PATH_MAX];
	char big[4100];

	(void)state;
	snprintf(msg, sizeof msg, "secret_file: cannot open \"%s/absent\": No such file or directory",
	         g_dir);
	expect_only("[generic:ci]\nsecret_file = absent\n", 2, msg);

	path_in_dir(sub, sizeof sub, "adir");
	assert_int_equal(mkdir(sub, 0700), 0);
	snprintf(msg, sizeof msg, "secret_file: \"%s/adir\" is not a regular file", g_dir);
	expect_only("[generic:ci]\nsecret_file = adir\n", 2, msg);

	snprintf(msg, sizeof msg, "secret_file: \"%s/empty\" is empty", g_dir);
	write_file("empty", "");
	expect_only("[generic:ci]\nsecret_file = empty\n", 2, msg);
	write_file("empty", "\n");
	expect_only("[generic:ci]\nsecret_file = empty\n", 2, msg);
	write_file("empty", "\r\n");
	expect_only("[generic:ci]\nsecret_file = empty\n", 2, msg);

	snprintf(msg, sizeof msg, "secret_file: \"%s/big\" is larger than 4096 bytes", g_dir);
	memset(big, 'x', sizeof big);
	write_bytes("big", big, 4097);
	expect_only("[generic:ci]\nsecret_file = big\n", 2, msg);
	big[4097] = '\n';
	write_bytes("big", big, 4098);
	expect_only("[generic:ci]\nsecret_file = big\n", 2, msg);
	write_bytes("big", big, sizeof big);
	expect_only("[generic:ci]\nsecret_file = big\n", 2, msg);

	snprintf(msg, sizeof msg, "app_secret_file: \"%s/nul\" contains a NUL byte", g_dir);
	write_bytes("nul", "ab\0cd\n", 6);
	expect_only("[dingtalk:d]\napp_key = k\napp_secret_file = nul\n", 3, msg);

	/* Unreadable for lack of permission (root reads anything, so only as a user). */
	if (geteuid() != 0) {
		write_file("locked", "x\n");
		path_in_dir(sub, sizeof sub, "locked");
		assert_int_equal(chmod(sub, 0), 0);
		snprintf(msg, sizeof msg, "secret_file: cannot open \"%s/locked\": Permission denied",
		         g_dir);
		expect_only("[generic:ci]\nsecret_file = locked\n", 2, msg);
	}
}

static void test_console_role_scope(void **state)
{
	(void)state;
	expect_only("[daemon]\n\nconsole_role = clerk\n", 3,
	            "console_scope is required when console_role = clerk");
	expect_only("[daemon]\nconsole_scope = 11\n", 2,
	            "console_scope is only used when console_role = clerk");
	expect_only("[daemon]\nconsole_role = cqo\nconsole_scope = 1101\n", 3,
	            "console_scope is only used when console_role = clerk");
	/* A bad role is reported once, not again as a scope mismatch. */
	expect_only("[daemon]\nconsole_role = boss\nconsole_scope = 1101\n", 2,
	            "console_role: expected one of admin, clerk, organizer, cqo, guest, got \"boss\"");
}

static void test_syntax_errors(void **state)
{
	static const char expect_kv[] =
		"syntax error: expected \"key = value\", \"[section]\" or a comment";
	struct config_errors errs;
	struct config *c;

	(void)state;
	assert_int_equal(load("[daemon]\n"                 /* 1 */
	                      "this is not valid\n"        /* 2 */
	                      "listen = 0.0.0.0:80\n"      /* 3 */
	                      "[http\n"                    /* 4 */
	                      "max_connections = x\n"      /* 5: in the bad section, ignored */
	                      "[inbox] trailing\n"         /* 6 */
	                      "= 5\n"                      /* 7 */
	                      "dedupe_hours 9\n"           /* 8 */
	                      "[daemon]\n"                 /* 9 */
	                      "log_level = debug\n"        /* 10 */
	                      ": x\n"                      /* 11 */
	                      "  indented no value\n"      /* 12 */
	                      "# fine ; really\n"          /* 13 */
	                      "key ; = comment hides =\n"  /* 14 */
	                      "database = /ok\n",          /* 15 */
	                      &c, &errs),
	                 -EINVAL);
	assert_null(c);
	if (errs.n != 8)
		dump(&errs);
	assert_int_equal(errs.n, 8);
	expect_error(&errs, 2, expect_kv);
	expect_error(&errs, 4, "syntax error: '[' without a closing ']'");
	expect_error(&errs, 6, "syntax error: unexpected text after ']'");
	expect_error(&errs, 7, "syntax error: missing key name before '='");
	expect_error(&errs, 8, expect_kv);
	expect_error(&errs, 11, "syntax error: missing key name before ':'");
	expect_error(&errs, 12, expect_kv);
	expect_error(&errs, 14, expect_kv);
	config_errors_free(&errs);

	/* Errors of every kind are collected together, each with its line. */
	assert_int_equal(load("[daemon]\nlisten = x\nnope\n[bogus]\n[http]\nidle_timeout_ms = 1\n"
	                      "[generic:ci]\n",
	                      &c, &errs),
	                 -EINVAL);
	assert_int_equal(errs.n, 5);
	expect_error(&errs, 2, "listen: expected \"IPv4:port\" or \"[IPv6]:port\" with a numeric "
	                       "address and a port from 0 to 65535, got \"x\"");
	expect_error(&errs, 3, expect_kv);
	expect_error(&errs, 4, "unknown section [bogus]");
	expect_error(&errs, 6, "idle_timeout_ms: expected an integer from 100 to 3600000, got \"1\"");
	expect_error(&errs, 7, "[generic:ci]: missing required key \"secret\" (or \"secret_file\")");
	config_errors_free(&errs);
}

static void test_long_and_nul_lines(void **state)
{
	char text[1024];
	int n;

	(void)state;
	n = snprintf(text, sizeof text, "[daemon]\ndata_dir = /%0188d\n", 0);
	assert_true(n > 0);
	expect_only(text, 2, "line too long (at most 198 characters; put long secrets in a <key>_file)");
	write_bytes("cqod.conf", "[daemon]\nlisten\0 = x\n", 21);
	{
		struct config_errors errs = {0};
		struct config *c;

		assert_int_equal(config_load(g_conf, &c, &errs), -EINVAL);
		assert_int_equal(errs.n, 1);
		expect_error(&errs, 2, "syntax error: NUL byte in line");
		config_errors_free(&errs);
	}
}

static void test_no_secret_in_messages(void **state)
{
	char longline[400], text[4096 + 600], big[5000];
	struct config_errors errs;
	struct config *c;

	(void)state;
	write_file("sfile", "S3CRET-3\n");
	memset(big, 'S', sizeof big);
	memcpy(big, "S3CRET-8", 8);
	write_bytes("bigfile", big, sizeof big);
	write_bytes("nulfile", "S3CRET-7\0x", 10);
	snprintf(longline, sizeof longline, "secret = S3CRET-9%0250d", 0);
	snprintf(text, sizeof text,
	         "[generic:ci]\n"
	         "secret = S3CRET-1\n"
	         "secret = S3CRET-2\n"
	         "secret_file = sfile\n"
	         "S3CRET-4\n"
	         "S3CRET-5 ; =\n"
	         "[wecom:w]\n"
	         "corp_id = c\n"
	         "agent_id = 1\n"
	         "secret = S3CRET-6\n"
	         "token =\n"
	         "aes_key_file = bigfile\n"
	         "secret_file = sfile\n"
	         "[generic:x]\n"
	         "secret_file = nulfile\n"
	         "[generic:y]\n"
	         "%s\n"
	         "[bogus]\n"
	         "S3CRET-10\n",
	         longline);
	assert_int_equal(load(text, &c, &errs), -EINVAL);
	assert_null(c);
	assert_true(errs.n >= 9);
	for (size_t i = 0; i < errs.n; i++) {
		if (strstr(errs.msgs[i], "S3CRET")) {
			fprintf(stderr, "leaked: %s\n", errs.msgs[i]);
			fail();
		}
	}
	config_errors_free(&errs);
}

/* [reminders]: the sweep's time of day, in either hour form. */
static void test_reminders(void **state)
{
	static const struct {
		const char *text;
		unsigned minutes;
	} good[] = {{"00:00", 0}, {"9:05", 545}, {"09:05", 545}, {"17:30", 1050}, {"23:59", 1439}};
	char text[128];

	(void)state;
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		snprintf(text, sizeof text, "[reminders]\nsend_at = %s\ncatch_up_days = 7\n",
		         good[i].text);
		struct config *c = expect_ok(text);
		assert_int_equal(c->remind_send_at, good[i].minutes);
		assert_int_equal(c->remind_catch_up_days, 7);
		config_free(c);
	}
	expect_only("[reminders]\nsend_at = 8:00\nsend_at = 9:00\n", 3,
	            "duplicate key \"send_at\" in [reminders] (first set on line 2)");
	expect_only("[reminders]\nsend_on = 8:00\n", 2, "unknown key \"send_on\" in [reminders]");
}

/* [alliances]: when a 通知 asks for 确认 first. */
static void test_alliances(void **state)
{
	struct config *c;

	(void)state;
	c = expect_ok("[alliances]\nconfirm_above = 0\n");
	assert_int_equal(c->alliance_confirm_above, 0);
	config_free(c);
	c = expect_ok("[alliances]\nconfirm_above = 500\n");
	assert_int_equal(c->alliance_confirm_above, 500);
	config_free(c);
	expect_only("[alliances]\nconfirm_below = 5\n", 2,
	            "unknown key \"confirm_below\" in [alliances]");
}

/* [outbound] and the group robot sections. */
static void test_outbound_and_robots(void **state)
{
	const struct config_instance *in;
	struct config *c;

	(void)state;
	write_file("robot.secret", "SECabc\n");
	c = expect_ok("[outbound]\n"
	              "ca_file = /etc/cqod/ca.pem\n"
	              "timeout_ms = 100\n"
	              "max_in_flight = 1024\n"
	              "[dingtalk:d]\n"
	              "app_key = k\n"
	              "app_secret = s\n"
	              "oapi_base = http://127.0.0.1:9\n"
	              "[wecom_robot:w]\n"
	              "key = k-w\n"
	              "[dingtalk_robot:d]\n"
	              "access_token = t-d\n"
	              "secret_file = robot.secret\n"
	              "api_base = https://oapi.example\n"
	              "[feishu_bot:f]\n"
	              "hook_id = h-f\n"
	              "secret = s-f\n"
	              "api_base = https://open.example\n");
	assert_string_equal(c->ca_file, "/etc/cqod/ca.pem");
	assert_int_equal(c->outbound_timeout_ms, 100);
	assert_int_equal(c->max_in_flight, 1024);
	assert_int_equal(c->n_instances, 4);
	assert_string_equal(config_instance_get(config_instance_find(c, "dingtalk", "d"),
	                                        "oapi_base"),
	                    "http://127.0.0.1:9");
	in = config_instance_find(c, "wecom_robot", "w");
	assert_non_null(in);
	assert_string_equal(config_instance_get(in, "key"), "k-w");
	assert_null(config_instance_get(in, "api_base"));
	in = config_instance_find(c, "dingtalk_robot", "d");
	assert_string_equal(config_instance_get(in, "access_token"), "t-d");
	assert_string_equal(config_instance_get(in, "secret"), "SECabc");
	assert_string_equal(config_instance_get(in, "api_base"), "https://oapi.example");
	in = config_instance_find(c, "feishu_bot", "f");
	assert_string_equal(config_instance_get(in, "hook_id"), "h-f");
	assert_string_equal(config_instance_get(in, "secret"), "s-f");
	assert_null(config_instance_find(c, "wecom", "w"));
	config_free(c);

	/* The signing secrets are optional. */
	c = expect_ok("[dingtalk_robot:d]\naccess_token = t\n[feishu_bot:f]\nhook_id = h\n");
	assert_null(config_instance_get(config_instance_find(c, "dingtalk_robot", "d"), "secret"));
	config_free(c);
}

static void test_robot_errors(void **state)
{
	struct config_errors errs;
	struct config *c;

	(void)state;
	assert_int_equal(load("[wecom_robot:w]\n[dingtalk_robot:d]\nsecret = SECx\n"
	                      "[feishu_bot:f]\napi_base = https://x\n",
	                      &c, &errs),
	                 -EINVAL);
	assert_null(c);
	assert_int_equal(errs.n, 3);
	expect_error(&errs, 1, "[wecom_robot:w]: missing required key \"key\" (or \"key_file\")");
	expect_error(&errs, 2, "[dingtalk_robot:d]: missing required key \"access_token\" "
	                       "(or \"access_token_file\")");
	expect_error(&errs, 4, "[feishu_bot:f]: missing required key \"hook_id\" "
	                       "(or \"hook_id_file\")");
	config_errors_free(&errs);

	expect_only("[wecom_robot:w]\nkey = k\napi_base = ftp://x\n", 3,
	            "api_base: expected an http:// or https:// URL, got \"ftp://x\"");
	expect_only("[dingtalk:d]\napp_key = k\napp_secret = s\noapi_base = oapi.dingtalk.com\n", 4,
	            "oapi_base: expected an http:// or https:// URL, got \"oapi.dingtalk.com\"");
	expect_only("[feishu_bot:f]\nhook_id = h\nsecret =\n", 3, "secret: must not be empty");
	/* Secrets are never quoted, even when rejected. */
	expect_only("[feishu_bot:f]\nhook_id = h\nsecret = s1\nsecret = s2\n", 4,
	            "duplicate key \"secret\" in [feishu_bot:f] (first set on line 3)");
	expect_only("[wecom_robot:w]\nkey = k\nsecret = s\n", 3,
	            "unknown key \"secret\" in [wecom_robot:w]");
	expect_only("[dingtalk_robot:d]\naccess_token = t\nrobot_code = r\n", 3,
	            "unknown key \"robot_code\" in [dingtalk_robot:d]");
	expect_only("[feishu_bot:f]\nhook_id = h\napi_base_file = x\n", 3,
	            "unknown key \"api_base_file\" in [feishu_bot:f]");
	expect_only("[dingtalk_robot:d]\naccess_token = t\naccess_token_file = none\n", 3,
	            "access_token and access_token_file are both given (the other on line 2); use one");
	expect_only("[outbound]\ntimeout_ms = 5\n", 2,
	            "timeout_ms: expected an integer from 100 to 600000, got \"5\"");
	expect_only("[outbound]\nretries = 5\n", 2, "unknown key \"retries\" in [outbound]");
	expect_only("[outbound]\nca_file = a\nca_file = b\n", 3,
	            "duplicate key \"ca_file\" in [outbound] (first set on line 2)");
}

static void test_example_file(void **state)
{
	static const char *const candidates[] = {
		"cqod.conf.example", "../cqod.conf.example", "../../cqod.conf.example",
	};
	const char *path = NULL;
	struct config_errors errs = {0};
	struct config *c = NULL, *def;
	char line[512], out[PATH_MAX];
	bool in_instances = false;
	FILE *in, *o;

	(void)state;
	for (size_t i = 0; i < 3 && !path; i++)
		if (access(candidates[i], R_OK) == 0)
			path = candidates[i];
	assert_non_null(path);
	assert_int_equal(config_load(path, &c, &errs), 0);
	assert_int_equal(errs.n, 0);
	assert_defaults(c);
	config_free(c);

	/* Uncommenting every documented default of [daemon], [http], [inbox] and
	 * [outbound] must give the built-in defaults (console_scope and ca_file
	 * have none). */
	in = fopen(path, "r");
	assert_non_null(in);
	path_in_dir(out, sizeof out, "example-uncommented.conf");
	o = fopen(out, "w");
	assert_non_null(o);
	while (fgets(line, sizeof line, in)) {
		if (strncmp(line, "#[", 2) == 0)
			in_instances = true;
		if (!in_instances && line[0] == '#' && line[1] >= 'a' && line[1] <= 'z' &&
		    strstr(line, " = ") && strncmp(line, "#console_scope", 14) != 0 &&
		    strncmp(line, "#ca_file", 8) != 0)
			fputs(line + 1, o);
		else
			fputs(line, o);
	}
	fclose(in);
	assert_int_equal(fclose(o), 0);
	assert_int_equal(config_load(out, &c, &errs), 0);
	assert_int_equal(errs.n, 0);
	def = config_defaults();
	assert_defaults(c);
	assert_string_equal(c->listen, def->listen);
	config_free(def);
	config_free(c);
}

/* ---- replacing the running configuration: SIGHUP and cqod -n ---- */

/* What the running daemon was started with. listen is not the default, so a
 * file that leaves it out changes it. */
#define RUNNING                                                                           \
	"[daemon]\nlisten = 127.0.0.1:9000\ndatabase = /srv/cqod.db\n[generic:ci]\nsecret = s-ci\n"

/* Loading `text` succeeds, but config_reload_check() refuses it as a
 * replacement for `running` (NULL: cqod -n) with exactly "<file>: want". */
static void expect_refused(const struct config *running, const char *text, const char *want)
{
	struct config *next = expect_ok(text);
	char full[4096];
	char *why = NULL;
	int rc = config_reload_check(running, next, &why);

	snprintf(full, sizeof full, "%s: %s", g_conf, want);
	if (rc != -EINVAL || !why || strcmp(why, full) != 0) {
		fprintf(stderr, "for:\n%s\nrc=%d, why=%s\nwant -EINVAL and: %s\n", text, rc,
		        why ? why : "(null)", full);
		fail();
	}
	free(why);
	config_free(next);
}

/* Loading `text` succeeds and config_reload_check() lets it replace `running`. */
static void expect_accepted(const struct config *running, const char *text)
{
	struct config *next = expect_ok(text);
	char *why = NULL;
	int rc = config_reload_check(running, next, &why);

	if (rc != 0 || why) {
		fprintf(stderr, "for:\n%s\nrc=%d, why=%s\n", text, rc, why ? why : "(null)");
		fail();
	}
	config_free(next);
}

static void test_reload_refuses_empty_file(void **state)
{
	static const char *const texts[] = {"", "\n", "# only a comment\n; and another\n\n   \n"};
	struct config *running = expect_ok(RUNNING);

	(void)state;
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		/* Said before anything else: its defaults change listen too. */
		expect_refused(running, texts[i], "the file is empty (no section or key)");
		expect_refused(NULL, texts[i], "the file is empty (no section or key)");
	}
	config_free(running);
}

static void test_reload_refuses_no_daemon_section(void **state)
{
	static const char *const texts[] = {
		"[generic:ci]\nsecret = s-ci\n",
		"[http]\nmax_connections = 7\n[inbox]\ndedupe_hours = 9\n",
		"; [daemon]\n[generic:ci]\nsecret = s-ci\n",
	};
	struct config *running = expect_ok(RUNNING);

	(void)state;
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		expect_refused(running, texts[i], "no [daemon] section (is the file truncated?)");
		expect_refused(NULL, texts[i], "no [daemon] section (is the file truncated?)");
	}
	config_free(running);
}

static void test_reload_refuses_new_listen(void **state)
{
	static const char *const changed =
		"[daemon]\nlisten = 0.0.0.0:9000\ndatabase = /srv/cqod.db\n[generic:ci]\nsecret = s-ci\n";
	static const char *const omitted =
		"[daemon]\ndatabase = /srv/cqod.db\n[generic:ci]\nsecret = s-ci\n";
	struct config *running = expect_ok(RUNNING);

	(void)state;
	expect_refused(running, changed,
	               "listen changed from \"127.0.0.1:9000\" to \"0.0.0.0:9000\"; "
	               "that needs a restart of cqod");
	expect_refused(running, omitted,
	               "listen changed from \"127.0.0.1:9000\" to \"127.0.0.1:8080\"; "
	               "that needs a restart of cqod");
	/* cqod -n has nothing running to compare with. */
	expect_accepted(NULL, changed);
	expect_accepted(NULL, omitted);
	config_free(running);
}

static void test_reload_refuses_new_database(void **state)
{
	static const char *const changed =
		"[daemon]\nlisten = 127.0.0.1:9000\ndatabase = /srv/other.db\n"
		"[generic:ci]\nsecret = s-ci\n";
	struct config *running = expect_ok(RUNNING);

	(void)state;
	expect_refused(running, changed,
	               "database changed from \"/srv/cqod.db\" to \"/srv/other.db\"; "
	               "that needs a restart of cqod");
	expect_refused(running, "[daemon]\nlisten = 127.0.0.1:9000\n[generic:ci]\nsecret = s\n",
	               "database changed from \"/srv/cqod.db\" to \"/var/lib/cqod/cqod.db\"; "
	               "that needs a restart of cqod");
	expect_accepted(NULL, changed);
	config_free(running);
}

static void test_reload_refuses_no_instance_left(void **state)
{
	static const char *const none =
		"[daemon]\nlisten = 127.0.0.1:9000\ndatabase = /srv/cqod.db\n[http]\n";
	struct config *running = expect_ok(RUNNING);
	struct config *bare;

	(void)state;
	expect_refused(running, none,
	               "no platform instance ([<platform>:<name>] section) left while 1 is "
	               "running; restart cqod to run without any");
	config_free(running);
	running = expect_ok(RUNNING "[generic:cd]\nsecret = s-cd\n");
	expect_refused(running, none,
	               "no platform instance ([<platform>:<name>] section) left while 2 are "
	               "running; restart cqod to run without any");
	/* Nothing to lose: a daemon running without instances may reload without. */
	bare = expect_ok(none);
	expect_accepted(bare, none);
	expect_accepted(NULL, none);
	config_free(bare);
	config_free(running);
}

static void test_reload_accepted(void **state)
{
	struct config *running = expect_ok(RUNNING);

	(void)state;
	expect_accepted(running, RUNNING);
	expect_accepted(NULL, RUNNING);
	/* Everything but listen and database may change, instances included as
	 * long as one is left; the order of sections does not matter. */
	expect_accepted(running, "[http]\nmax_connections = 7\n"
	                         "[feishu_bot:alerts]\nhook_id = h-alerts\n"
	                         "[daemon]\nlog_level = debug\ndatabase = /srv/cqod.db\n"
	                         "data_dir = /srv/data\nlisten = 127.0.0.1:9000\n"
	                         "[inbox]\ndedupe_hours = 9\n");
	config_free(running);
}

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	chmod(p, 0700);
	return remove(p);
}

static int setup(void **state)
{
	(void)state;
	snprintf(g_dir, sizeof g_dir, "/tmp/test_config.XXXXXX");
	if (!mkdtemp(g_dir))
		return -1;
	snprintf(g_conf, sizeof g_conf, "%s/cqod.conf", g_dir);
	unsetenv("CREDENTIALS_DIRECTORY");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return nftw(g_dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_empty_file),
		cmocka_unit_test(test_every_key),
		cmocka_unit_test(test_listen_forms),
		cmocka_unit_test(test_file_forms),
		cmocka_unit_test(test_instance_names),
		cmocka_unit_test(test_console_scope_ok),
		cmocka_unit_test(test_secret_file),
		cmocka_unit_test(test_credentials_directory),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_body_memory_over_body_bytes),
		cmocka_unit_test(test_instance_bad_values),
		cmocka_unit_test(test_wecom_aes_key),
		cmocka_unit_test(test_unknown_keys),
		cmocka_unit_test(test_unknown_sections),
		cmocka_unit_test(test_bad_instance_names),
		cmocka_unit_test(test_unknown_platform_and_bad_name),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_missing_required),
		cmocka_unit_test(test_secret_and_file),
		cmocka_unit_test(test_secret_file_errors),
		cmocka_unit_test(test_console_role_scope),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_long_and_nul_lines),
		cmocka_unit_test(test_no_secret_in_messages),
		cmocka_unit_test(test_outbound_and_robots),
		cmocka_unit_test(test_reminders),
		cmocka_unit_test(test_alliances),
		cmocka_unit_test(test_robot_errors),
		cmocka_unit_test(test_example_file),
		cmocka_unit_test(test_reload_refuses_empty_file),
		cmocka_unit_test(test_reload_refuses_no_daemon_section),
		cmocka_unit_test(test_reload_refuses_new_listen),
		cmocka_unit_test(test_reload_refuses_new_database),
		cmocka_unit_test(test_reload_refuses_no_instance_left),
		cmocka_unit_test(test_reload_accepted),
	};
	/* The loader and the destinations learn the platforms from their rows. */
	if (platforms_register() < 0)
		return 1;
	return cmocka_run_group_tests(tests, setup, teardown);
}
