/*
 * How roles are named and described, for the chat's commands and cqoctl
 * alike. Role names: the English form is what the store and logs use; the
 * Chinese display names are accepted too, since staff type them.
 */
#include "role_text.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../store/store_identity.h"
#include "../lib/textclean.h"

#include "text/common.h"
#include "text/identity.h"
#include "text/registry.h"

struct role_names {
	const char *en;
	const char *zh;
};

/* Indexed by enum role. */
static const struct role_names role_names[] = {
	[ROLE_GUEST] = { "guest", TXT_ROLE_GUEST },
	[ROLE_CQO] = { "cqo", TXT_ROLE_CQO },
	[ROLE_ORGANIZER] = { "organizer", TXT_ROLE_ORGANIZER },
	[ROLE_CLERK] = { "clerk", TXT_ROLE_CLERK },
	[ROLE_ADMIN] = { "admin", TXT_ROLE_ADMIN },
	[ROLE_CONTACT] = { "contact", TXT_ROLE_CONTACT },
};

#define N_ROLES (sizeof role_names / sizeof role_names[0])

const char *role_name(enum role r)
{
	if ((unsigned)r >= N_ROLES)
		return "unknown";
	return role_names[r].en;
}

const char *role_display(enum role r)
{
	if ((unsigned)r >= N_ROLES)
		return TXT_ROLE_GUEST;
	return role_names[r].zh;
}

int role_parse(const char *name, enum role *out)
{
	if (!name || !out)
		return -EINVAL;
	for (size_t i = 0; i < N_ROLES; i++) {
		if (strcasecmp(name, role_names[i].en) == 0 ||
		    strcmp(name, role_names[i].zh) == 0) {
			*out = (enum role)i;
			return 0;
		}
	}
	if (strcmp(name, TXT_ROLE_CLERK_ALIAS) == 0) {
		*out = ROLE_CLERK;
		return 0;
	}
	return -EINVAL;
}

/* The row's tenant, or that it is still pending and where it will be set. */
static void tenant_note(const struct store_identity_row *row, char *buf, size_t len)
{
	if (row->id.tenant[0])
		snprintf(buf, len, TXT_ROLES_TENANT, row->id.tenant);
	else if (row->id.instance[0])
		snprintf(buf, len, TXT_ROLES_PENDING, row->id.instance);
	else
		snprintf(buf, len, "%s", TXT_ROLES_PENDING_ANY);
}

/* What the row's role r covers: a region, an alliance, a record, an
 * enterprise, or everything. */
static void detail(const struct store_identity_row *row, enum role r, char *buf, size_t len)
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
	case ROLE_CONTACT:
		snprintf(buf, len, TXT_ROLE_DETAIL_ENTERPRISE,
		         row->enterprise_name[0] ? row->enterprise_name : TXT_UNKNOWN_VALUE,
		         row->enterprise_credit);
		break;
	default:
		snprintf(buf, len, "%s", TXT_ROLE_DETAIL_ALL);
		break;
	}
}

void role_line(const struct store_identity_row *row, size_t number, char *buf, size_t len)
{
	char name[96] = "", shown[sizeof row->display_name];
	char user[sizeof row->user_id], what[256], tenant[256];
	enum role r = ROLE_GUEST;

	role_parse(row->id.role, &r);
	detail(row, r, what, sizeof what);
	tenant_note(row, tenant, sizeof tenant);
	/* One line per identity, safe for a chat and a terminal alike: names
	 * stored before they were cleaned on arrival, and ids from the generic
	 * adapter, may hold line breaks or escape sequences. */
	if (textclean_line(shown, sizeof shown, row->display_name))
		snprintf(name, sizeof name, TXT_ROLES_USER_NAME, shown);
	textclean_line(user, sizeof user, row->user_id);
	snprintf(buf, len, TXT_ROLES_LINE, number, row->platform, user, name, role_display(r),
	         what, tenant);
}
