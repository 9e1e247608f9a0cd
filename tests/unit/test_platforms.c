/* The platform tables: every codec row (messages/platforms.c) has a
 * transport row (daemon/transports.c) and the two agree; names are unique;
 * every instance section and key the loader knows (what cqod -n checks)
 * comes from a row; a row's per-key check is what the loader applies; and
 * destinations, tenants and pacing follow the rows. Config files go to a
 * mkdtemp() directory removed at the end. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../daemon/outbox_policy.h"
#include "../../daemon/send_internal.h"
#include "../../daemon/transports.h"
#include "../../handlers/tenant.h"
#include "../../lib/config.h"
#include "../../lib/platform.h"
#include "../../messages/platforms.h"

static char g_dir[64];
static char g_conf[128];

static void write_conf(const char *text)
{
	FILE *f = fopen(g_conf, "w");

	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

/* Loads `text`; returns config_load's answer, errs filled (caller frees). */
static int load(const char *text, struct config **cfg, struct config_errors *errs)
{
	write_conf(text);
	memset(errs, 0, sizeof *errs);
	*cfg = NULL;
	return config_load(g_conf, cfg, errs);
}

/* Whether errs holds "<file>:<line>: <msg>". */
static bool has_error(const struct config_errors *errs, int line, const char *msg)
{
	char want[1024];

	snprintf(want, sizeof want, "%s:%d: %s", g_conf, line, msg);
	for (size_t i = 0; i < errs->n; i++)
		if (strcmp(errs->msgs[i], want) == 0)
			return true;
	return false;
}

/* Whether any message of errs contains `part`. */
static bool error_contains(const struct config_errors *errs, const char *part)
{
	for (size_t i = 0; i < errs->n; i++)
		if (strstr(errs->msgs[i], part))
			return true;
	return false;
}

static void test_rows_pair_up(void **state)
{
	(void)state;
	assert_true(platform_n_codecs > 0);
	assert_int_equal(transports_n, platform_n_codecs);
	for (size_t i = 0; i < platform_n_codecs; i++) {
		const struct platform_codec *c = platform_codecs[i];
		const struct transport *t = transport_find(c->name);

		assert_non_null(c->name);
		assert_true(c->name[0] != '\0');
		/* Names are unique, and find gives back the row. */
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(platform_codecs[j]->name, c->name);
		assert_ptr_equal(platform_find(c->name), c);
		/* Each codec row has exactly its transport row. */
		assert_non_null(t);
		assert_ptr_equal(t->codec, c);
		assert_ptr_equal(transports[i]->codec, c);
		/* Reachable out of band: a reply rule, a renderer and a sender
		 * (HTTP, or frames over the long connection), all or none; the
		 * sender is the same platform's. */
		assert_int_equal(c->reply_dest != NULL, c->render != NULL);
		assert_int_equal(c->reply_dest != NULL, t->send != NULL || t->send_frame != NULL);
		assert_int_equal(platform_has_dest(c->name), t->send != NULL || t->send_frame != NULL);
		assert_false(t->send && t->send_frame);
		if (t->send)
			assert_ptr_equal(t->send->codec, c);
		if (t->send_frame)
			assert_non_null(t->stream_start);
		/* Pacing only where there is something to pace. */
		if (t->pace_ms)
			assert_non_null(t->send);
		/* Messages come in through instances, and so through a webhook
		 * with a route label or a long connection; a robot section only
		 * beside a sender. */
		assert_int_equal(c->section != NULL, t->webhook != NULL || t->stream_start != NULL);
		if (t->webhook) {
			assert_non_null(t->route);
			assert_true(t->methods != 0);
		}
		if (c->robot_section) {
			assert_non_null(t->send);
			assert_non_null(c->robot_word);
		}
		if (t->send || t->send_frame)
			assert_non_null(c->group_word);
		/* The tenant source names what it needs. */
		assert_int_equal(c->tenant == TENANT_FIXED, c->fixed_tenant != NULL);
		assert_int_equal(c->tenant == TENANT_FROM_KEY, c->tenant_key != NULL);
		assert_int_equal(c->tenant == TENANT_FROM_INSTANCE || c->tenant == TENANT_FROM_KEY ||
		                         c->tenant == TENANT_FROM_MESSAGE,
		                 c->section != NULL);
	}
	assert_null(platform_find("slack"));
	assert_null(platform_find(NULL));
	assert_null(transport_find("slack"));
}

/* Whether `key` is one of sec's keys. */
static const struct config_key_def *key_of(const struct config_section_def *sec, const char *key)
{
	for (size_t i = 0; i < sec->n_keys; i++)
		if (strcmp(sec->keys[i].key, key) == 0)
			return &sec->keys[i];
	return NULL;
}

static void test_sections_come_from_rows(void **state)
{
	const struct config_section_def *const *defs;
	size_t n = config_sections(&defs), at = 0;

	(void)state;
	/* What the loader knows is the rows' instance sections, then their
	 * robot sections, and nothing else. */
	for (int robot = 0; robot < 2; robot++)
		for (size_t i = 0; i < platform_n_codecs; i++) {
			const struct platform_codec *c = platform_codecs[i];
			const struct config_section_def *s = robot ? c->robot_section : c->section;
			bool is_robot = !robot;

			if (!s)
				continue;
			assert_true(at < n);
			assert_ptr_equal(defs[at++], s);
			assert_ptr_equal(config_section_def_find(s->name), s);
			assert_ptr_equal(platform_find_section(s->name, &is_robot), c);
			assert_int_equal(is_robot, robot);
			if (!robot)
				assert_string_equal(s->name, c->name);
			if (c->tenant == TENANT_FROM_KEY)
				assert_non_null(key_of(c->section, c->tenant_key));
		}
	assert_int_equal(at, n);
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(defs[i]->name, defs[j]->name);
	assert_null(config_section_def_find("slack"));
}

static void test_loader_knows_row_keys_only(void **state)
{
	const struct config_section_def *const *defs;
	size_t n = config_sections(&defs);
	struct config_errors errs;
	struct config *cfg;
	char text[256], unknown[128];

	(void)state;
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < defs[i]->n_keys; k++) {
			/* A row's key is known: whatever else is said of the
			 * section, never "unknown key". */
			snprintf(text, sizeof text, "[%s:x]\n%s = x\n", defs[i]->name,
			         defs[i]->keys[k].key);
			load(text, &cfg, &errs);
			assert_false(error_contains(&errs, "unknown key"));
			config_free(cfg);
			config_errors_free(&errs);
		}
		/* A key no row has is not. */
		snprintf(text, sizeof text, "[%s:x]\nnot_in_the_row = x\n", defs[i]->name);
		snprintf(unknown, sizeof unknown, "unknown key \"not_in_the_row\" in [%s:x]",
		         defs[i]->name);
		assert_int_equal(load(text, &cfg, &errs), -EINVAL);
		assert_true(has_error(&errs, 2, unknown));
		config_errors_free(&errs);
	}
}

/* The aes_key row of WeCom carries the EncodingAESKey check, and the loader
 * applies it with the message cqod -n has always given. */
static void test_row_key_check_applied(void **state)
{
	const struct config_key_def *k = key_of(platform_wecom.section, "aes_key");
	struct config_errors errs;
	struct config *cfg;
	char want[256];

	(void)state;
	assert_non_null(k);
	assert_non_null(k->check);
	assert_true(k->is_secret && k->required);
	assert_int_equal(k->check("jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"), 0);
	assert_int_equal(k->check("jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2+"), -EINVAL);
	assert_int_equal(load("[wecom:w]\ncorp_id = ww1\nagent_id = 1\nsecret = s\ntoken = t\n"
	                      "aes_key = S3CRET-aes-jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj\n",
	                      &cfg, &errs),
	                 -EINVAL);
	assert_int_equal(errs.n, 1);
	assert_true(has_error(&errs, 6, "aes_key: expected an EncodingAESKey: 43 characters from "
	                                "A-Z a-z 0-9"));
	snprintf(want, sizeof want, "aes_key: %s", k->expects);
	assert_true(has_error(&errs, 6, want));
	/* The secret is never shown. */
	assert_false(error_contains(&errs, "S3CRET"));
	config_errors_free(&errs);
}

/* A section the loader is given as data is checked by its own rows. */
static int yes_only(const char *value)
{
	return strcmp(value, "yes") == 0 ? 0 : -EINVAL;
}

static void test_loader_takes_sections_as_data(void **state)
{
	static const struct config_key_def keys[] = {
		{"answer", true, false, false, yes_only, "expected yes", false},
	};
	static const struct config_section_def demo = {"demo", keys, 1};
	static const struct config_section_def *const only[] = {&demo};
	static const struct config_section_def *const twice[] = {&demo, &demo};
	struct config_errors errs;
	struct config *cfg;

	(void)state;
	assert_int_equal(config_sections_register(twice, 2), -EINVAL);
	assert_int_equal(config_sections_register(only, 1), 0);
	assert_int_equal(load("[demo:x]\nanswer = no\n", &cfg, &errs), -EINVAL);
	assert_true(has_error(&errs, 2, "answer: expected yes, got \"no\""));
	config_errors_free(&errs);
	assert_int_equal(load("[demo:x]\nanswer = yes\n", &cfg, &errs), 0);
	config_free(cfg);
	config_errors_free(&errs);
	assert_int_equal(load("[wecom:x]\n", &cfg, &errs), -EINVAL);
	assert_true(has_error(&errs, 1, "unknown platform \"wecom\" in [wecom:x] (known: demo)"));
	config_errors_free(&errs);
	assert_int_equal(platforms_register(), 0);
}

/* Destinations, tenants and pacing ask the rows. */
static void test_rows_drive_behaviour(void **state)
{
	struct dest d;
	struct config *cfg = config_defaults();
	struct config_kv corp = {"corp_id", "ww1", 2};
	struct config_instance wecom = {"wecom", "w", 1, &corp, 1};
	struct config_instance generic = {"generic", "ci", 1, NULL, 0};
	struct config_instance feishu = {"feishu", "f", 1, NULL, 0};
	struct chat_msg m = {.platform = "generic", .instance = "ci", .sender_id = "u"};

	(void)state;
	assert_non_null(cfg);
	for (size_t i = 0; i < platform_n_codecs; i++) {
		const struct platform_codec *c = platform_codecs[i];
		char text[128];

		snprintf(text, sizeof text, "%s|x|user|0|u", c->name);
		/* A destination names a platform with a sender, or one that
		 * takes only files (the console's operator). */
		assert_int_equal(dest_parse(text, &d) == 0,
		                 platform_has_dest(c->name) || c->file_dest != NULL);
		assert_int_equal(tenant_chat_platform(c->name), c->section != NULL);
	}
	assert_int_equal(dest_for_reply(&m, &d), -ENOTSUP);
	assert_int_equal(dest_for_file(&m, &d), -ENOTSUP);
	assert_false(platform_has_dest("console"));
	assert_string_equal(tenant_of_instance(&wecom), "ww1");
	assert_string_equal(tenant_of_instance(&generic), "ci");
	assert_null(tenant_of_instance(&feishu));
	/* WeCom members by the app's rates (the hour's 1,000 binds), the rest
	 * by the robots'. */
	assert_int_equal(dest_parse("wecom|w|user|0|u", &d), 0);
	assert_int_equal(outbox_interval_ms(cfg, &d), 3600);
	assert_int_equal(dest_parse("dingtalk|d|chat|0|c", &d), 0);
	assert_int_equal(outbox_interval_ms(cfg, &d), 3000);
	assert_int_equal(dest_parse("feishu|f|chat|0|oc", &d), 0);
	assert_int_equal(outbox_interval_ms(cfg, &d), 200);
	/* Feishu's app-wide bucket, from its transport row. */
	assert_int_equal(outbox_app_interval_ms(cfg, &d), 60);
	config_free(cfg);
}

static int setup(void **state)
{
	(void)state;
	snprintf(g_dir, sizeof g_dir, "/tmp/test_platforms.XXXXXX");
	if (!mkdtemp(g_dir))
		return -1;
	snprintf(g_conf, sizeof g_conf, "%s/cqod.conf", g_dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(g_conf);
	return rmdir(g_dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows_pair_up),
		cmocka_unit_test(test_sections_come_from_rows),
		cmocka_unit_test(test_loader_knows_row_keys_only),
		cmocka_unit_test(test_row_key_check_applied),
		cmocka_unit_test(test_loader_takes_sections_as_data),
		cmocka_unit_test(test_rows_drive_behaviour),
	};

	if (platforms_register() < 0)
		return 1;
	return cmocka_run_group_tests(tests, setup, teardown);
}
