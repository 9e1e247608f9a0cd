/* DingTalk interactive cards: which instances send them (dingtalk_card.h;
 * a press is decoded in dingtalk_press.c). */
#include "dingtalk_card.h"

#include <string.h>

#include "dingtalk.h"

static struct config *const *cards_cfg;

void dingtalk_cards_register(struct config *const *cfgp)
{
	cards_cfg = cfgp;
}

const char *dingtalk_card_template(const char *instance)
{
	const struct config_instance *in;
	const char *tpl, *mode;

	if (!cards_cfg || !*cards_cfg || !instance)
		return NULL;
	in = config_instance_find(*cards_cfg, dingtalk_platform_name, instance);
	tpl = in ? config_instance_get(in, "card_template_id") : NULL;
	mode = in ? config_instance_get(in, "mode") : NULL;
	return tpl && *tpl && mode && strcmp(mode, "stream") == 0 ? tpl : NULL;
}
