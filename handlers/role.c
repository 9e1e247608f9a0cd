/* Role names: the English form is what the store and logs use; the Chinese
 * display names (messages/text.h) are accepted too, since staff type them. */
#include "handler.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "../messages/text.h"

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
	return -EINVAL;
}
