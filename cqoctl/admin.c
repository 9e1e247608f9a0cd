/*
 * cqoctl grant | revoke | roles: the chat's 授权, 撤销授权 and 角色 for the
 * administrator at the server, first of all to make the first admin before
 * anyone can chat. The arguments are checked as the chat checks them (the
 * region, alliance or record must exist; the last admin stays an admin);
 * the answers are the chat's texts.
 *
 * The user is named in <platform>:<instance> (the plain platform where the
 * configuration has exactly one instance of it): the instance tells the
 * tenant (tenant.h) where the configuration knows it, else the identity is
 * pending on that instance until its first message (store.h). grant and
 * revoke are audited like the chat's, actor cqoctl and the Unix user.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "../lib/clock.h"
#include "../lib/config.h"
#include "../store/store.h"
#include "../store/store_alliance.h"
#include "../store/store_identity.h"
#include "../handlers/argtext.h"
#include "../handlers/tenant.h"
#include "../handlers/handler.h"
#include "../handlers/role_text.h"
#include "../handlers/validate.h"
#include "../messages/platforms.h"
#include "../handlers/text/cqoctl.h"
#include "../handlers/text/identity.h"
#include "../handlers/text/records.h"
#include "../messages/text.h"
#include "ctl.h"

#define USER_ID_MAX 127   /* as the chat's 授权 */
#define PAGE 200

/* "@u1" or "u1" -> "u1"; NULL when empty or too long. */
static const char *user_arg(const char *arg)
{
	if (arg[0] == '@')
		arg++;
	size_t n = strlen(arg);
	return n > 0 && n <= USER_ID_MAX ? arg : NULL;
}

/* Fills the identity's scope from the role's argument, with the detail the
 * answer shows. Returns CTL_OK or the exit status after one line. */
static int resolve(struct ctl *c, enum role r, const char *arg, struct store_identity *id,
                   char *detail, size_t len)
{
	char why[VALIDATE_WHY_MAX], name[128];
	struct store_alliance al;
	struct store_cqo_record rec;
	int64_t record;
	int rc;

	switch (r) {
	case ROLE_ADMIN:
		snprintf(detail, len, "%s", TXT_ROLE_DETAIL_ALL);
		return CTL_OK;
	case ROLE_CLERK:
		if (validate_region_code(arg, why, sizeof why) < 0)
			return ctl_usage("grant", "%s", why);
		if ((rc = store_region_name(c->st, arg, name, sizeof name)) == -ENOENT)
			return ctl_fail("grant", TXT_GRANT_NO_REGION, arg);
		if (rc < 0)
			return ctl_store_fail("grant", rc);
		snprintf(id->scope, sizeof id->scope, "%s", arg);
		snprintf(detail, len, TXT_ROLE_DETAIL_REGION, name, arg);
		return CTL_OK;
	case ROLE_ORGANIZER:
		if ((rc = store_alliance_find(c->st, arg, &al)) == -ENOENT)
			return ctl_fail("grant", TXT_GRANT_NO_ALLIANCE, arg);
		if (rc < 0)
			return ctl_store_fail("grant", rc);
		id->alliance_id = al.id;
		snprintf(detail, len, TXT_ROLE_DETAIL_ALLIANCE, al.name, (long long)al.id);
		return CTL_OK;
	default:
		/* The 记录号, as the chat's 授权 takes it: the person is whoever
		 * holds that record (of any status, as there). */
		if (!argtext_id(arg, &record))
			return ctl_usage("grant", TXT_RECREF_BAD_ID);
		rc = store_cqo_record_get(c->st, record, clock_cst_year(clock_now()), &rec);
		if (rc == -ENOENT)
			return ctl_fail("grant", TXT_CTL_GRANT_NO_RECORD, (long long)record);
		if (rc < 0)
			return ctl_store_fail("grant", rc);
		id->person_id = rec.person_id;
		snprintf(detail, len, TXT_ROLE_DETAIL_PERSON, rec.person_name, (long long)record);
		return CTL_OK;
	}
}

/* Where a user is named: "platform[:instance]" resolved against the
 * configuration. */
struct target {
	char platform[16];
	const char *instance;   /* NULL: the console */
	const char *tenant;     /* NULL: pending until the user's first message */
};

/* The instances of `platform` in cfg as "a、b" into buf; their number. */
static size_t instance_list(const struct config *cfg, const char *platform, char *buf,
                            size_t len)
{
	size_t n = 0, used = 0;

	buf[0] = '\0';
	for (size_t i = 0; cfg && i < cfg->n_instances; i++) {
		const struct config_instance *ci = &cfg->instances[i];

		if (strcmp(ci->platform, platform) != 0)
			continue;
		if (used < len)
			used += (size_t)snprintf(buf + used, len - used, "%s%s:%s",
			                         n ? TXT_LIST_SEP : "", platform, ci->name);
		n++;
	}
	return n;
}

/* Resolves argv's "platform[:instance]". Returns CTL_OK or the exit status
 * after one line. */
static int target_parse(struct ctl *c, const char *cmd, const char *spec, struct target *t)
{
	const char *colon = strchr(spec, ':');
	size_t plen = colon ? (size_t)(colon - spec) : strlen(spec);
	const struct config_instance *ci = NULL;
	const struct platform_codec *p;
	char list[512];

	memset(t, 0, sizeof *t);
	if (plen == 0 || plen >= sizeof t->platform)
		return ctl_usage(cmd, TXT_CTL_UNKNOWN_PLATFORM, spec);
	memcpy(t->platform, spec, plen);
	p = platform_find(t->platform);
	if (p && p->tenant == TENANT_FIXED && !colon) {
		t->tenant = p->fixed_tenant;
		return CTL_OK;
	}
	if (!tenant_chat_platform(t->platform))
		return ctl_usage(cmd, TXT_CTL_UNKNOWN_PLATFORM, spec);
	size_t n = instance_list(c->cfg, t->platform, list, sizeof list);
	if (colon) {
		ci = config_instance_find(c->cfg, t->platform, colon + 1);
		if (!ci && n)
			return ctl_fail(cmd, TXT_CTL_UNKNOWN_INSTANCE, spec, list);
		if (!ci)
			return ctl_fail(cmd, TXT_CTL_NO_INSTANCE, spec, t->platform);
	} else {
		if (n == 0)
			return ctl_fail(cmd, TXT_CTL_NO_INSTANCE, spec, t->platform);
		if (n > 1)
			return ctl_fail(cmd, TXT_CTL_AMBIGUOUS_INSTANCE, t->platform, list);
		for (size_t i = 0; !ci && i < c->cfg->n_instances; i++)
			if (strcmp(c->cfg->instances[i].platform, t->platform) == 0)
				ci = &c->cfg->instances[i];
	}
	t->instance = ci->name;
	t->tenant = tenant_of_instance(ci);
	return CTL_OK;
}

static struct store_identity_key target_key(const struct target *t, const char *user)
{
	return (struct store_identity_key){.platform = t->platform, .tenant = t->tenant,
	                                   .user_id = user, .instance = t->instance};
}

/* Settles pending identities first (the daemon does at start), so a grant
 * finds the row it would settle, then runs fn's change; one transaction. */
static int in_txn(struct ctl *c, int (*fn)(struct ctl *c, void *arg), void *arg)
{
	int rc = store_begin(c->st);

	if (rc == 0)
		rc = tenant_settle(c->st, c->cfg, NULL);
	if (rc == 0)
		rc = fn(c, arg);
	if (rc == 0)
		rc = store_commit(c->st);
	if (rc < 0)
		store_rollback(c->st);
	return rc;
}

struct change {
	struct store_identity_key key;
	const struct store_identity *id;   /* NULL: revoke */
	struct store_identity cur;         /* revoke: the role it had */
	const char *command;
};

static int change_run(struct ctl *c, void *arg)
{
	struct change *ch = arg;
	struct store_actor actor;
	int rc = 0;

	ctl_actor(c, ch->command, &actor);
	if (!ch->id)
		rc = store_identity_get(c->st, &ch->key, &ch->cur);
	if (rc == 0)
		rc = ch->id ? store_identity_grant(c->st, &actor, &ch->key, ch->id)
		            : store_identity_revoke(c->st, &actor, &ch->key);
	return rc;
}

int ctl_cmd_grant(struct ctl *c, int argc, char **argv)
{
	struct store_identity id = {0};
	char detail[256], who[192];
	struct target t;
	const char *user;
	enum role r;

	if (argc < 4 || argc > 5)
		return ctl_usage("grant", TXT_CTL_ARGS);
	if (!(user = user_arg(argv[2])))
		return ctl_usage("grant", TXT_GRANT_BAD_USER, USER_ID_MAX);
	if (role_parse(argv[3], &r) < 0 || r == ROLE_GUEST)
		return ctl_usage("grant", TXT_GRANT_BAD_ROLE, argv[3]);
	/* A contact is whoever the enterprise hands its code to. */
	if (r == ROLE_CONTACT)
		return ctl_usage("grant", "%s", TXT_GRANT_CONTACT_BY_CODE);
	if (r == ROLE_ADMIN && argc == 5)
		return ctl_usage("grant", TXT_GRANT_ADMIN_NO_ARG);
	if (r != ROLE_ADMIN && argc == 4)
		return ctl_usage("grant", "%s", r == ROLE_CLERK ? TXT_GRANT_NEED_REGION
		                                : r == ROLE_ORGANIZER ? TXT_GRANT_NEED_ALLIANCE
		                                                      : TXT_GRANT_NEED_RECORD);
	int rc = target_parse(c, "grant", argv[1], &t);
	if (rc != CTL_OK)
		return rc;
	rc = resolve(c, r, argc == 5 ? argv[4] : "", &id, detail, sizeof detail);
	if (rc != CTL_OK)
		return rc;
	snprintf(who, sizeof who, "%s:%s", argv[1], user);
	snprintf(id.role, sizeof id.role, "%s", role_name(r));
	snprintf(id.instance, sizeof id.instance, "%s", t.instance ? t.instance : "");
	struct change ch = {.key = target_key(&t, user), .id = &id, .command = "grant"};
	rc = in_txn(c, change_run, &ch);
	if (rc == -EPERM)
		return ctl_fail("grant", TXT_GRANT_LAST_ADMIN, who);
	if (rc < 0)
		return ctl_store_fail("grant", rc);
	printf(TXT_GRANT_DONE "\n", who, role_display(r), detail);
	return CTL_OK;
}

int ctl_cmd_revoke(struct ctl *c, int argc, char **argv)
{
	char who[192];
	struct target t;
	const char *user;
	enum role r;

	if (argc != 3)
		return ctl_usage("revoke", TXT_CTL_ARGS);
	if (!(user = user_arg(argv[2])))
		return ctl_usage("revoke", TXT_GRANT_BAD_USER, USER_ID_MAX);
	int rc = target_parse(c, "revoke", argv[1], &t);
	if (rc != CTL_OK)
		return rc;
	snprintf(who, sizeof who, "%s:%s", argv[1], user);
	struct change ch = {.key = target_key(&t, user), .command = "revoke"};
	rc = in_txn(c, change_run, &ch);
	if (rc == -ENOENT)
		return ctl_fail("revoke", TXT_REVOKE_NONE, who);
	if (rc == -EPERM)
		return ctl_fail("revoke", TXT_GRANT_LAST_ADMIN, who);
	if (rc < 0)
		return ctl_store_fail("revoke", rc);
	printf(TXT_REVOKE_DONE "\n", who,
	       role_parse(ch.cur.role, &r) == 0 ? role_display(r) : ch.cur.role);
	return CTL_OK;
}

int ctl_cmd_roles(struct ctl *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"role", required_argument, NULL, 'r'},
		{"scope", required_argument, NULL, 's'},
		{NULL, 0, NULL, 0},
	};
	struct store_identity_row rows[PAGE];
	const char *role = "", *scope = "";
	size_t n, total, shown = 0;
	char why[VALIDATE_WHY_MAX];
	enum role r;
	int opt, rc;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 'r':
			if (role_parse(optarg, &r) < 0 || r == ROLE_GUEST)
				return ctl_usage("roles", TXT_GRANT_BAD_ROLE, optarg);
			role = role_name(r);
			break;
		case 's':
			if (validate_region_code(optarg, why, sizeof why) < 0)
				return ctl_usage("roles", "%s", why);
			scope = optarg;
			break;
		default:
			return ctl_usage("roles", TXT_CTL_BAD_OPTION);
		}
	}
	if (optind != argc)
		return ctl_usage("roles", TXT_CTL_ARGS);
	do {
		if ((rc = store_identity_list(c->st, role, scope, shown, rows, PAGE, &n, &total)) < 0)
			return ctl_store_fail("roles", rc);
		if (shown == 0 && total == 0)
			puts(TXT_ROLES_NONE);
		else if (shown == 0)
			printf(TXT_ROLES_TITLE "\n", total);
		for (size_t i = 0; i < n; i++) {
			char line[ROLE_LINE_MAX];

			role_line(&rows[i], shown + i + 1, line, sizeof line);
			puts(line);
		}
		shown += n;
	} while (n > 0 && shown < total);
	return CTL_OK;
}
