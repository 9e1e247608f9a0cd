/*
 * cqoctl grant | revoke | roles: the chat's 授权, 撤销授权 and 角色 for the
 * administrator at the server, first of all to make the first admin before
 * anyone can chat. The arguments are checked as the chat checks them (the
 * region, alliance or person must exist; the last admin stays an admin);
 * the answers are the chat's texts.
 *
 * grant writes through store_identity_set without an audit row, as cqoctl
 * always has (store.h); revoke is audited by store_identity_revoke, actor
 * cqoctl and the Unix user.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "../daemon/store.h"
#include "../daemon/store_alliance.h"
#include "../daemon/store_identity.h"
#include "../handlers/handler.h"
#include "../handlers/validate.h"
#include "../messages/text.h"
#include "../messages/textclean.h"
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
	long person;
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
		if (!ctl_parse_long(arg, 1, 2147483647L, &person))
			return ctl_usage("grant", TXT_CTL_GRANT_PERSON);
		rc = store_person_brief(c->st, person, name, sizeof name, &record);
		if (rc == -ENOENT)
			return ctl_fail("grant", TXT_CTL_GRANT_NO_PERSON, person);
		if (rc < 0)
			return ctl_store_fail("grant", rc);
		id->person_id = person;
		snprintf(detail, len, TXT_ROLE_DETAIL_PERSON, name, (long long)record);
		return CTL_OK;
	}
}

/* -EPERM when (platform, user) is the last admin and would stop being one. */
static int last_admin(struct ctl *c, const char *platform, const char *user, enum role r)
{
	struct store_identity cur;
	int admins, rc = store_identity_get(c->st, platform, user, &cur);

	if (rc == -ENOENT || (rc == 0 && (strcmp(cur.role, "admin") != 0 || r == ROLE_ADMIN)))
		return 0;
	if (rc < 0 || (rc = store_identity_count_admins(c->st, &admins)) < 0)
		return rc;
	return admins <= 1 ? -EPERM : 0;
}

int ctl_cmd_grant(struct ctl *c, int argc, char **argv)
{
	struct store_identity id = {0};
	char detail[256], who[192];
	const char *user;
	enum role r;

	if (argc < 4 || argc > 5)
		return ctl_usage("grant", TXT_CTL_ARGS);
	if (!(user = user_arg(argv[2])))
		return ctl_usage("grant", TXT_GRANT_BAD_USER, USER_ID_MAX);
	if (role_parse(argv[3], &r) < 0 || r == ROLE_GUEST)
		return ctl_usage("grant", TXT_GRANT_BAD_ROLE, argv[3]);
	if (r == ROLE_ADMIN && argc == 5)
		return ctl_usage("grant", TXT_GRANT_ADMIN_NO_ARG);
	if (r != ROLE_ADMIN && argc == 4)
		return ctl_usage("grant", "%s", r == ROLE_CLERK ? TXT_GRANT_NEED_REGION
		                                : r == ROLE_ORGANIZER ? TXT_GRANT_NEED_ALLIANCE
		                                                      : TXT_CTL_GRANT_PERSON);
	int rc = resolve(c, r, argc == 5 ? argv[4] : "", &id, detail, sizeof detail);
	if (rc != CTL_OK)
		return rc;
	snprintf(who, sizeof who, "%s:%s", argv[1], user);
	snprintf(id.role, sizeof id.role, "%s", role_name(r));
	/* The last-admin check and the change in one transaction. */
	if ((rc = store_begin(c->st)) < 0)
		return ctl_store_fail("grant", rc);
	rc = last_admin(c, argv[1], user, r);
	if (rc == 0)
		rc = store_identity_set(c->st, argv[1], user, NULL, &id);
	if (rc == 0)
		rc = store_commit(c->st);
	if (rc < 0)
		store_rollback(c->st);
	if (rc == -EPERM)
		return ctl_fail("grant", TXT_GRANT_LAST_ADMIN, who);
	if (rc < 0)
		return ctl_store_fail("grant", rc);
	printf(TXT_GRANT_DONE "\n", who, role_display(r), detail);
	return CTL_OK;
}

int ctl_cmd_revoke(struct ctl *c, int argc, char **argv)
{
	struct store_identity cur;
	struct store_actor actor;
	char who[192];
	const char *user;
	enum role r;

	if (argc != 3)
		return ctl_usage("revoke", TXT_CTL_ARGS);
	if (!(user = user_arg(argv[2])))
		return ctl_usage("revoke", TXT_GRANT_BAD_USER, USER_ID_MAX);
	snprintf(who, sizeof who, "%s:%s", argv[1], user);
	int rc = store_begin(c->st);
	if (rc == 0)
		rc = store_identity_get(c->st, argv[1], user, &cur);
	if (rc == 0) {
		ctl_actor(c, "revoke", &actor);
		rc = store_identity_revoke(c->st, &actor, argv[1], user);
	}
	if (rc == 0)
		rc = store_commit(c->st);
	if (rc < 0)
		store_rollback(c->st);
	if (rc == -ENOENT)
		return ctl_fail("revoke", TXT_REVOKE_NONE, who);
	if (rc == -EPERM)
		return ctl_fail("revoke", TXT_GRANT_LAST_ADMIN, who);
	if (rc < 0)
		return ctl_store_fail("revoke", rc);
	printf(TXT_REVOKE_DONE "\n", who,
	       role_parse(cur.role, &r) == 0 ? role_display(r) : cur.role);
	return CTL_OK;
}

static void describe(const struct store_identity_row *row, enum role r, char *buf, size_t len)
{
	switch (r) {
	case ROLE_CLERK:
		snprintf(buf, len, TXT_ROLE_DETAIL_REGION,
		         row->scope_name[0] ? row->scope_name : TXT_UNKNOWN_VALUE, row->id.scope);
		break;
	case ROLE_ORGANIZER:
		snprintf(buf, len, TXT_ROLE_DETAIL_ALLIANCE,
		         row->alliance_name[0] ? row->alliance_name : TXT_UNKNOWN_VALUE,
		         (long long)row->id.alliance_id);
		break;
	case ROLE_CQO:
		snprintf(buf, len, TXT_ROLE_DETAIL_PERSON,
		         row->person_name[0] ? row->person_name : TXT_UNKNOWN_VALUE,
		         (long long)row->appointment_id);
		break;
	default:
		snprintf(buf, len, "%s", TXT_ROLE_DETAIL_ALL);
		break;
	}
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
			char name[96] = "", clean[sizeof rows[i].display_name];
			char user[sizeof rows[i].user_id], detail[256];
			enum role ri = ROLE_GUEST;

			role_parse(rows[i].id.role, &ri);
			describe(&rows[i], ri, detail, sizeof detail);
			/* Names came from chat messages: no line breaks, and no escape
			 * sequences for the administrator's terminal. */
			if (textclean_line(clean, sizeof clean, rows[i].display_name))
				snprintf(name, sizeof name, TXT_ROLES_USER_NAME, clean);
			textclean_line(user, sizeof user, rows[i].user_id);
			printf(TXT_ROLES_LINE "\n", shown + i + 1, rows[i].platform, user, name,
			       role_display(ri), detail);
		}
		shown += n;
	} while (n > 0 && shown < total);
	return CTL_OK;
}
