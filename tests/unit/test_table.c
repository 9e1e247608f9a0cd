/* Unit tests for the command table, suggestions, roles and 帮助. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../../handlers/table.h"
#include "../../handlers/text/common.h"
#include "../../messages/text.h"

/* Every entry is complete, and no name or alias is claimed twice: a clash
 * would make one command unreachable. */
static void test_table_integrity(void **state)
{
	(void)state;
	assert_ptr_equal(handler_table[0], &handler_help);
	for (size_t i = 0; handler_table[i]; i++) {
		const struct handler_entry *e = handler_table[i];
		assert_non_null(e->name);
		assert_non_null(e->usage);
		assert_non_null(e->help);
		assert_true(e->roles != 0);
		assert_true(e->min_args >= 0 && e->min_args <= e->max_args);
		/* A command runs itself or one of its sub-commands, not both. */
		assert_true((e->run != NULL) != (e->subs != NULL));
		assert_ptr_equal(handler_find(e->name), e);
		for (const char *const *a = e->aliases; a && *a; a++)
			assert_ptr_equal(handler_find(*a), e);
		for (size_t j = i + 1; handler_table[j]; j++)
			assert_ptr_not_equal(handler_table[j], e);
	}
}

/* Every sub-command is a complete entry of its own: usage (starting with
 * its command's word), help, run, counts, and roles its command allows. Its
 * names are unique within the command, and it has no subs of its own. */
static void test_sub_integrity(void **state)
{
	size_t commands = 0;

	(void)state;
	for (size_t i = 0; handler_table[i]; i++) {
		const struct handler_entry *e = handler_table[i];
		size_t len = strlen(e->name);

		if (!e->subs)
			continue;
		commands++;
		for (const struct handler_entry *s = e->subs; s->name; s++) {
			assert_non_null(s->usage);
			assert_non_null(s->help);
			assert_non_null(s->run);
			assert_null(s->subs);
			assert_int_equal(strncmp(s->usage, e->name, len), 0);
			assert_int_equal(s->usage[len], ' ');
			assert_true(s->min_args >= 0 && s->min_args <= s->max_args);
			assert_true(s->roles != 0);
			assert_int_equal(s->roles & ~e->roles, 0);
			assert_ptr_equal(handler_sub_find(e, s->name), s);
			for (const char *const *a = s->aliases; a && *a; a++)
				assert_ptr_equal(handler_sub_find(e, *a), s);
		}
		/* A bare command runs its first sub-command: it takes no
		 * arguments and everyone who may run the command may run it. */
		assert_int_equal(e->subs[0].min_args, 0);
		assert_int_equal(e->subs[0].roles, e->roles);
	}
	assert_int_equal(commands, 4);   /* 联盟, 活动, 人才库, 导出 */
}

static void test_args_fit(void **state)
{
	(void)state;
	assert_true(handler_args_fit(&handler_query, 1));
	assert_false(handler_args_fit(&handler_query, 0));
	assert_true(handler_args_fit(&handler_query, 2));   /* 查询 <词> 简历 */
	assert_false(handler_args_fit(&handler_query, 3));
	assert_true(handler_args_fit(&handler_whoami, 0));
	assert_false(handler_args_fit(&handler_whoami, 1));
	assert_true(handler_args_fit(handler_sub_find(&handler_alliance, "新建"), 2));
	assert_false(handler_args_fit(handler_sub_find(&handler_alliance, "新建"), 3));
}

static void test_find(void **state)
{
	(void)state;
	assert_ptr_equal(handler_find("帮助"), &handler_help);
	assert_ptr_equal(handler_find("help"), &handler_help);
	assert_ptr_equal(handler_find("HeLP"), &handler_help);
	assert_ptr_equal(handler_find("?"), &handler_help);
	assert_ptr_equal(handler_find("我是谁"), &handler_whoami);
	assert_ptr_equal(handler_find("whoami"), &handler_whoami);
	assert_ptr_equal(handler_find("WHOAMI"), &handler_whoami);
	assert_ptr_equal(handler_find("查询"), &handler_query);
	assert_ptr_equal(handler_find("Query"), &handler_query);
}

static void test_find_unknown(void **state)
{
	(void)state;
	assert_null(handler_find("天气预报"));
	assert_null(handler_find("帮"));
	assert_null(handler_find("helpme"));
	assert_null(handler_find(""));
	assert_null(handler_find(NULL));
}

/* The command word glued to its argument: the longest Chinese name or
 * alias wins; ASCII aliases, exact words and non-words never match. */
static void test_find_prefix(void **state)
{
	const char *cmd = "unset";

	(void)state;
	assert_ptr_equal(handler_find_prefix("查询张三", &cmd), &handler_query);
	assert_string_equal(cmd, "查询");
	assert_ptr_equal(handler_find_prefix("取消报名12", &cmd), &handler_withdraw);
	assert_string_equal(cmd, "取消报名");
	assert_ptr_equal(handler_find_prefix("取消12", &cmd), &handler_cancel);
	assert_string_equal(cmd, "取消");
	assert_ptr_equal(handler_find_prefix("报名名单3", &cmd), &handler_roster);
	assert_ptr_equal(handler_find_prefix("报名3", &cmd), &handler_signup);
	assert_ptr_equal(handler_find_prefix("撤销授权u1", &cmd), &handler_revoke);
	assert_ptr_equal(handler_find_prefix("撤销3", &cmd), &handler_revoke_sanction);
	assert_ptr_equal(handler_find_prefix("绑定码2", &cmd), &handler_bindcode);
	assert_ptr_equal(handler_find_prefix("绑定ABC123", &cmd), &handler_bind);
	assert_ptr_equal(handler_find_prefix("联盟列表", &cmd), &handler_alliance);
	assert_ptr_equal(handler_find_prefix("查询张三", NULL), &handler_query);
	/* The whole word is a command (handler_find's), or no command starts it. */
	cmd = "unset";
	assert_null(handler_find_prefix("查询", &cmd));
	assert_null(cmd);
	assert_null(handler_find_prefix("天气预报", &cmd));
	assert_null(handler_find_prefix("帮", &cmd));
	assert_null(handler_find_prefix("", &cmd));
	assert_null(handler_find_prefix(NULL, &cmd));
	/* English aliases do not glue: "queryx" is a typo, not query x. */
	assert_null(handler_find_prefix("queryzhang", &cmd));
	assert_null(handler_find_prefix("helpme", &cmd));
	assert_null(handler_find_prefix("?查询", &cmd));
}

/* Suggestions for word with every role allowed; the first, or NULL. */
static const struct handler_entry *suggest_first(const char *word, unsigned roles)
{
	const struct handler_entry *out[4];

	return handler_suggest(word, roles, out, 4) ? out[0] : NULL;
}

static void test_suggest(void **state)
{
	(void)state;
	assert_ptr_equal(suggest_first("查讯", ROLES_ANY), &handler_query);
	assert_ptr_equal(suggest_first("halp", ROLES_ANY), &handler_help);
	assert_ptr_equal(suggest_first("HALP", ROLES_ANY), &handler_help);
	assert_ptr_equal(suggest_first("whoami2", ROLES_ANY), &handler_whoami);
	assert_ptr_equal(suggest_first("帮", ROLES_ANY), &handler_help);
	assert_ptr_equal(suggest_first("我是", ROLES_ANY), &handler_whoami);
}

static void test_suggest_nothing(void **state)
{
	const struct handler_entry *out[4];
	char long_word[300];

	(void)state;
	assert_int_equal(handler_suggest("天气预报", ROLES_ANY, out, 4), 0);
	/* One character must not "match" the one-character alias "?". */
	assert_int_equal(handler_suggest("x", ROLES_ANY, out, 4), 0);
	assert_int_equal(handler_suggest("", ROLES_ANY, out, 4), 0);
	assert_int_equal(handler_suggest("查讯", ROLES_ANY, out, 0), 0);
	memset(long_word, 'q', sizeof long_word - 1);
	long_word[sizeof long_word - 1] = '\0';
	assert_int_equal(handler_suggest(long_word, ROLES_ANY, out, 4), 0);
}

static void test_suggest_order(void **state)
{
	const struct handler_entry *out[4];

	(void)state;
	/* "查询" itself is distance 0, so it comes first whatever else is near. */
	assert_true(handler_suggest("查询", ROLES_ANY, out, 4) >= 1);
	assert_ptr_equal(out[0], &handler_query);
	assert_int_equal(handler_suggest("查讯", ROLES_ANY, out, 1), 1);
	assert_ptr_equal(out[0], &handler_query);
}

static void test_suggest_roles(void **state)
{
	(void)state;
	assert_null(suggest_first("查讯", ROLE_BIT(ROLE_GUEST)));
	assert_ptr_equal(suggest_first("查讯", ROLE_BIT(ROLE_CQO)), &handler_query);
	assert_ptr_equal(suggest_first("查讯", ROLE_BIT(ROLE_CLERK)), &handler_query);
	assert_ptr_equal(suggest_first("halp", ROLE_BIT(ROLE_GUEST)), &handler_help);
	assert_null(suggest_first("halp", 0));
}

static void test_roles(void **state)
{
	static const struct {
		const char *name;
		enum role role;
	} cases[] = {
		{ "admin", ROLE_ADMIN }, { "ADMIN", ROLE_ADMIN }, { TXT_ROLE_ADMIN, ROLE_ADMIN },
		{ "clerk", ROLE_CLERK }, { "Clerk", ROLE_CLERK }, { "办事员", ROLE_CLERK },
		{ "工作人员", ROLE_CLERK },
		{ "organizer", ROLE_ORGANIZER }, { "组织者", ROLE_ORGANIZER },
		{ "cqo", ROLE_CQO }, { "CQO", ROLE_CQO }, { "首席质量官", ROLE_CQO },
		{ "guest", ROLE_GUEST }, { "访客", ROLE_GUEST }, { "管理员", ROLE_ADMIN },
	};
	enum role r;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(role_parse(cases[i].name, &r), 0);
		assert_int_equal(r, cases[i].role);
	}
	assert_string_equal(role_display(ROLE_CLERK), "工作人员");
	assert_int_equal(role_parse("root", &r), -EINVAL);
	assert_int_equal(role_parse("", &r), -EINVAL);
	assert_int_equal(role_parse("管理", &r), -EINVAL);
	assert_int_equal(role_parse(NULL, &r), -EINVAL);

	assert_string_equal(role_name(ROLE_ADMIN), "admin");
	assert_string_equal(role_name(ROLE_CLERK), "clerk");
	assert_string_equal(role_name(ROLE_ORGANIZER), "organizer");
	assert_string_equal(role_name(ROLE_CQO), "cqo");
	assert_string_equal(role_name(ROLE_GUEST), "guest");
	assert_string_equal(role_name(ROLE_CONTACT), "contact");
	assert_string_equal(role_display(ROLE_CONTACT), "企业联系人");
	assert_int_equal(role_parse("企业联系人", &r), 0);
	assert_int_equal(r, ROLE_CONTACT);
	for (int i = ROLE_GUEST; i <= ROLE_CONTACT; i++) {
		assert_int_equal(role_parse(role_name((enum role)i), &r), 0);
		assert_int_equal(r, i);
	}
}

/* Runs the help handler on `text` as `role`; returns the handler result and
 * the rendered reply in *text_out (caller frees). */
static int run_help(const char *text, enum role role, struct reply *reply, char **text_out)
{
	struct identity who = { .role = role };
	struct args args;
	struct cmd_ctx ctx = { .who = &who, .args = &args, .reply = reply };
	int rc;

	reply_init(reply);
	assert_int_equal(args_tokenize(text, &args), 0);
	assert_ptr_equal(handler_find(args.argv[0]), &handler_help);
	rc = handler_help.run(&ctx);
	args_free(&args);
	*text_out = reply_render_text(reply);
	assert_non_null(*text_out);
	return rc;
}

/* Whether some line of the reply reads "usage — help" for e. */
static bool lists(const struct reply *r, const struct handler_entry *e)
{
	for (size_t i = 0; i < r->n_items; i++) {
		const char *t = r->items[i].text;
		size_t n = strlen(e->usage);

		if (r->items[i].kind == REPLY_LINE && strncmp(t, e->usage, n) == 0 &&
		    strstr(t + n, e->help))
			return true;
	}
	return false;
}

static void test_help_guest(void **state)
{
	struct reply r;
	char *out;

	(void)state;
	assert_int_equal(run_help("帮助", ROLE_GUEST, &r, &out), HANDLER_OK);
	assert_non_null(r.title);
	assert_non_null(strstr(r.title, TXT_BOT_NAME));
	assert_false(r.is_error);
	assert_true(lists(&r, &handler_help));
	assert_true(lists(&r, &handler_whoami));
	assert_false(lists(&r, &handler_query));
	assert_null(strstr(out, handler_query.usage));
	free(out);
	reply_free(&r);
}

static void test_help_admin(void **state)
{
	struct reply r;
	char *out;

	(void)state;
	assert_int_equal(run_help("@cqod ｈｅｌｐ", ROLE_ADMIN, &r, &out), HANDLER_OK);
	assert_true(lists(&r, &handler_help));
	assert_true(lists(&r, &handler_whoami));
	assert_true(lists(&r, &handler_query));
	/* Table order. */
	assert_true(strstr(out, handler_help.usage) < strstr(out, handler_query.usage));
	free(out);
	reply_free(&r);
}

/* The text of field `key`, or NULL. */
static const char *field(const struct reply *r, const char *key)
{
	for (size_t i = 0; i < r->n_items; i++) {
		if (r->items[i].kind == REPLY_FIELD && strcmp(r->items[i].key, key) == 0)
			return r->items[i].text;
	}
	return NULL;
}

static void test_help_command(void **state)
{
	struct reply r;
	char *out;

	(void)state;
	assert_int_equal(run_help("帮助 查询", ROLE_CLERK, &r, &out), HANDLER_OK);
	assert_false(r.is_error);
	assert_non_null(strstr(r.title, handler_query.name));
	assert_string_equal(field(&r, TXT_HELP_KEY_USAGE), handler_query.usage);
	assert_string_equal(field(&r, TXT_HELP_KEY_DESC), handler_query.help);
	assert_non_null(strstr(field(&r, TXT_HELP_KEY_ROLES), TXT_ROLE_CQO));
	assert_null(strstr(field(&r, TXT_HELP_KEY_ROLES), TXT_ROLE_GUEST));
	free(out);
	reply_free(&r);

	/* By alias, with aliases and roles listed. */
	assert_int_equal(run_help("帮助 HELP", ROLE_GUEST, &r, &out), HANDLER_OK);
	assert_string_equal(field(&r, TXT_HELP_KEY_USAGE), handler_help.usage);
	assert_string_equal(field(&r, TXT_HELP_KEY_ALIASES), "help" TXT_LIST_SEP "?");
	assert_string_equal(field(&r, TXT_HELP_KEY_ROLES), TXT_HELP_ROLES_ANY);
	free(out);
	reply_free(&r);
}

static void test_help_hidden_command(void **state)
{
	struct reply r;
	char *out;

	(void)state;
	/* A guest asking about 查询 is told it does not exist. */
	assert_int_equal(run_help("帮助 查询", ROLE_GUEST, &r, &out), HANDLER_OK);
	assert_true(r.is_error);
	assert_null(field(&r, TXT_HELP_KEY_USAGE));
	assert_null(strstr(out, handler_query.usage));
	free(out);
	reply_free(&r);
}

static void test_help_unknown(void **state)
{
	struct reply r;
	char *out;

	(void)state;
	assert_int_equal(run_help("帮助 不存在", ROLE_ADMIN, &r, &out), HANDLER_OK);
	assert_true(r.is_error);
	assert_non_null(strstr(out, "不存在"));
	assert_non_null(strstr(out, TXT_HELP_SEE_ALL));
	free(out);
	reply_free(&r);

	assert_int_equal(run_help("帮助 查讯", ROLE_CQO, &r, &out), HANDLER_OK);
	assert_true(r.is_error);
	assert_non_null(strstr(out, TXT_HELP_SUGGEST));
	assert_true(lists(&r, &handler_query));
	free(out);
	reply_free(&r);

	/* Suggestions follow the asker's role. */
	assert_int_equal(run_help("帮助 查讯", ROLE_GUEST, &r, &out), HANDLER_OK);
	assert_false(lists(&r, &handler_query));
	assert_null(strstr(out, TXT_HELP_SUGGEST));
	free(out);
	reply_free(&r);
}

/* 帮助 takes at most one argument: the table says so and the dispatcher
 * answers "帮助 查询 张三" with the usage (tests/unit/test_dispatch_unit.c). */
static void test_help_usage(void **state)
{
	struct args args;

	(void)state;
	assert_int_equal(args_tokenize("帮助 查询 张三", &args), 0);
	assert_false(handler_args_fit(handler_find(args.argv[0]), args.argc - 1));
	args_free(&args);
}

/* Whether some line of the reply starts with `usage`. */
static bool has_line(const struct reply *r, const char *usage)
{
	for (size_t i = 0; i < r->n_items; i++) {
		if (r->items[i].kind == REPLY_LINE &&
		    strncmp(r->items[i].text, usage, strlen(usage)) == 0)
			return true;
	}
	return false;
}

/* 帮助 联盟 lists the sub-commands the asker may use, from the table. */
static void test_help_subs_by_role(void **state)
{
	const struct handler_entry *create = handler_sub_find(&handler_alliance, "新建");
	const struct handler_entry *private = handler_sub_find(&handler_alliance, "私信");
	const struct handler_entry *list = handler_sub_find(&handler_alliance, "列表");
	struct reply r;
	char *out;

	(void)state;
	assert_int_equal(run_help("帮助 联盟", ROLE_ADMIN, &r, &out), HANDLER_OK);
	assert_true(lists(&r, list));
	assert_true(lists(&r, create));
	assert_false(has_line(&r, private->usage));
	free(out);
	reply_free(&r);

	assert_int_equal(run_help("帮助 alliance", ROLE_CQO, &r, &out), HANDLER_OK);
	assert_true(lists(&r, list));
	assert_true(lists(&r, private));
	assert_false(has_line(&r, create->usage));
	assert_null(strstr(out, create->usage));
	free(out);
	reply_free(&r);

	assert_int_equal(run_help("帮助 活动", ROLE_CQO, &r, &out), HANDLER_OK);
	assert_true(lists(&r, handler_sub_find(&handler_event, "查看")));
	assert_false(has_line(&r, handler_sub_find(&handler_event, "发布")->usage));
	free(out);
	reply_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_integrity),
		cmocka_unit_test(test_sub_integrity),
		cmocka_unit_test(test_args_fit),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_find_unknown),
		cmocka_unit_test(test_find_prefix),
		cmocka_unit_test(test_suggest),
		cmocka_unit_test(test_suggest_nothing),
		cmocka_unit_test(test_suggest_order),
		cmocka_unit_test(test_suggest_roles),
		cmocka_unit_test(test_roles),
		cmocka_unit_test(test_help_guest),
		cmocka_unit_test(test_help_admin),
		cmocka_unit_test(test_help_command),
		cmocka_unit_test(test_help_hidden_command),
		cmocka_unit_test(test_help_unknown),
		cmocka_unit_test(test_help_usage),
		cmocka_unit_test(test_help_subs_by_role),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
