/* Where reminders go; see remind_dest.h. */
#include "remind_dest.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/config.h"
#include "../messages/platforms.h"
#include "../store/store_remind.h"

int remind_instances_from_config(const struct config *cfg, struct remind_instances *out)
{
	*out = (struct remind_instances){0};
	if (!cfg || cfg->n_instances == 0)
		return 0;
	out->v = calloc(cfg->n_instances, sizeof *out->v);
	if (!out->v)
		return -ENOMEM;
	for (size_t i = 0; i < cfg->n_instances; i++) {
		const struct config_instance *ci = &cfg->instances[i];

		if (!ci->platform || !ci->name || !platform_has_dest(ci->platform))
			continue;
		snprintf(out->v[out->n].platform, sizeof out->v[out->n].platform, "%s", ci->platform);
		snprintf(out->v[out->n].name, sizeof out->v[out->n].name, "%s", ci->name);
		out->n++;
	}
	return 0;
}

void remind_instances_free(struct remind_instances *in)
{
	free(in->v);
	*in = (struct remind_instances){0};
}

int remind_dest_for(const struct remind_instances *in, const struct store_remind_identity *id,
                    struct dest *out)
{
	const struct remind_instance *pick = NULL;

	for (size_t i = 0; i < in->n && (!pick || id->instance[0]); i++) {
		if (strcmp(in->v[i].platform, id->platform) != 0)
			continue;
		if (!pick)
			pick = &in->v[i];
		if (strcmp(in->v[i].name, id->instance) == 0) {
			pick = &in->v[i];
			break;
		}
	}
	if (!pick || !id->user_id[0] || strlen(id->user_id) >= sizeof out->target)
		return -ENOENT;
	memset(out, 0, sizeof *out);
	snprintf(out->platform, sizeof out->platform, "%s", pick->platform);
	snprintf(out->instance, sizeof out->instance, "%s", pick->name);
	out->kind = DEST_USER;
	snprintf(out->target, sizeof out->target, "%s", id->user_id);
	return 0;
}
