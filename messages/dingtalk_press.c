/* The press of a DingTalk interactive card, decoded (dingtalk_card.h): on
 * its own, so the fuzz target and the stream decoder need no configuration. */
#include "dingtalk_card.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/textenc.h"

/* Ids are short; a longer one is not DingTalk's. */
#define FIELD_MAX 256

static const char *str_member(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	if (!cJSON_IsString(v) || !v->valuestring[0] || strlen(v->valuestring) > FIELD_MAX)
		return NULL;
	return v->valuestring;
}

/* "btn1".."btn4" as 1..4, else 0. */
static int slot_of(const char *action)
{
	if (!action || strncmp(action, "btn", 3) != 0 || action[3] < '1' ||
	    action[3] > '0' + REPLY_ACTIONS_MAX || action[4])
		return 0;
	return action[3] - '0';
}

int dingtalk_press_decode(const char *data, size_t len, struct dingtalk_press *out,
                          const char **why)
{
	const cJSON *content, *priv, *ids, *params, *cmd;
	cJSON *root;

	memset(out, 0, sizeof *out);
	*why = "not a JSON object";
	if (!textenc_utf8_valid(data, len, NULL))
		return -EINVAL;
	root = cJSON_ParseWithLength(data, len);
	if (!cJSON_IsObject(root)) {
		cJSON_Delete(root);
		return -EINVAL;
	}
	out->json = root;
	out->out_track_id = str_member(root, "outTrackId");
	out->user_id = str_member(root, "userId");
	out->corp_id = str_member(root, "corpId");
	out->space_id = str_member(root, "spaceId");
	if (!out->out_track_id || !out->user_id) {
		*why = "outTrackId or userId missing";
		return -EINVAL;
	}
	/* content is JSON in a string, as the robot message's data is. */
	content = cJSON_GetObjectItemCaseSensitive(root, "content");
	if (cJSON_IsString(content)) {
		out->content = cJSON_Parse(content->valuestring);
		content = out->content;
	}
	priv = cJSON_GetObjectItemCaseSensitive(content, "cardPrivateData");
	ids = cJSON_GetObjectItemCaseSensitive(priv, "actionIds");
	params = cJSON_GetObjectItemCaseSensitive(priv, "params");
	out->slot = cJSON_IsArray(ids) && cJSON_GetArraySize(ids) == 1
	                    ? slot_of(cJSON_GetStringValue(cJSON_GetArrayItem(ids, 0)))
	                    : 0;
	if (!out->slot) {
		*why = "no button of cqod's pressed";
		return -EINVAL;
	}
	cmd = cJSON_GetObjectItemCaseSensitive(params, "cmd");
	out->cmd = cJSON_IsString(cmd) ? cmd->valuestring : NULL;
	*why = NULL;
	return 0;
}

void dingtalk_press_free(struct dingtalk_press *p)
{
	if (!p)
		return;
	cJSON_Delete(p->json);
	cJSON_Delete(p->content);
	memset(p, 0, sizeof *p);
}
