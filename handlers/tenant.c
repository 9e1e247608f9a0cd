/* Tenants from the configuration; see tenant.h. */
#include "tenant.h"

#include <string.h>

#include "../lib/config.h"
#include "../store/store.h"

static const char *const chat_platforms[] = {"wecom", "dingtalk", "feishu", "generic"};

bool tenant_chat_platform(const char *platform)
{
	for (size_t i = 0; platform && i < sizeof chat_platforms / sizeof chat_platforms[0]; i++)
		if (strcmp(platform, chat_platforms[i]) == 0)
			return true;
	return false;
}

const char *tenant_of_instance(const struct config_instance *ci)
{
	if (!ci || !ci->platform)
		return NULL;
	if (strcmp(ci->platform, "wecom") == 0 || strcmp(ci->platform, "dingtalk") == 0)
		return config_instance_get(ci, "corp_id");
	if (strcmp(ci->platform, "generic") == 0)
		return ci->name;
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
