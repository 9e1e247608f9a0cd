/* Tenants from the configuration; see tenant.h. */
#include "tenant.h"

#include <string.h>

#include "../lib/config.h"
#include "../messages/platforms.h"
#include "../store/store.h"

bool tenant_chat_platform(const char *platform)
{
	const struct platform_codec *p = platform_find(platform);

	/* Chat messages come through instances; the console has none. */
	return p && p->section;
}

const char *tenant_of_instance(const struct config_instance *ci)
{
	const struct platform_codec *p = ci ? platform_find(ci->platform) : NULL;

	if (!p || !p->section)
		return NULL;
	switch (p->tenant) {
	case TENANT_FROM_KEY:
		return config_instance_get(ci, p->tenant_key);
	case TENANT_FROM_INSTANCE:
		return ci->name;
	case TENANT_FROM_MESSAGE:
	case TENANT_FIXED:
		break;
	}
	return NULL;
}

/* Whether ci is the first instance of its platform in cfg. */
static bool first_of_platform(const struct config *cfg, const struct config_instance *ci)
{
	for (const struct config_instance *p = cfg->instances; p < ci; p++)
		if (strcmp(p->platform, ci->platform) == 0)
			return false;
	return true;
}

int tenant_settle(struct store *st, const struct config *cfg, int *settled)
{
	int rc = 0, n;

	if (settled)
		*settled = 0;
	for (size_t i = 0; rc == 0 && cfg && i < cfg->n_instances; i++) {
		const struct config_instance *ci = &cfg->instances[i];

		if (!tenant_chat_platform(ci->platform))
			continue;
		rc = store_identity_settle(st, ci->platform, ci->name, tenant_of_instance(ci),
		                           first_of_platform(cfg, ci), &n);
		if (rc == 0 && settled)
			*settled += n;
	}
	return rc;
}
