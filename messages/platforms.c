/* The platforms' codec rows; see platforms.h. */
#include "platforms.h"

#include <errno.h>
#include <string.h>

#include "dingtalk.h"
#include "feishu.h"
#include "generic.h"
#include "render_internal.h"
#include "text.h"
#include "wecom.h"
#include "wecom_aibot.h"
#include "wecom_crypto.h"

#define N(a) (sizeof a / sizeof a[0])

/* `mode`: how an instance receives (daemon/streams.h): callbacks to our
 * URL, or its own outbound long connection. */
static int mode_check(const char *value)
{
	return strcmp(value, "webhook") == 0 || strcmp(value, "stream") == 0 ? 0 : -EINVAL;
}

/* Instance keys: key, required, secret, URL (then the extra check). */
static const struct config_key_def generic_keys[] = {
	{"secret", true, true, false, NULL, NULL, false},
};

static const struct config_key_def wecom_keys[] = {
	{"corp_id", true, false, false, NULL, NULL, false},
	{"agent_id", true, false, false, NULL, NULL, false},
	{"secret", true, true, false, NULL, NULL, false},
	{"token", true, true, false, NULL, NULL, false},
	{"aes_key", true, true, false, wecom_crypto_key_check,
	 "expected an EncodingAESKey: 43 characters from A-Z a-z 0-9", false},
	{"api_base", false, false, true, NULL, NULL, false},
};

static const struct config_key_def dingtalk_keys[] = {
	{"app_key", true, false, false, NULL, NULL, false},
	{"app_secret", true, true, false, NULL, NULL, false},
	{"robot_code", false, false, false, NULL, NULL, false},
	{"corp_id", false, false, false, NULL, NULL, false},
	{"api_base", false, false, true, NULL, NULL, false},
	{"oapi_base", false, false, true, NULL, NULL, false},
	{"mode", false, false, false, mode_check, "expected webhook or stream", false},
	{"card_template_id", false, false, false, NULL, NULL, false},
};

static const struct config_key_def feishu_keys[] = {
	{"app_id", true, false, false, NULL, NULL, false},
	{"app_secret", true, true, false, NULL, NULL, false},
	{"verification_token", true, true, false, NULL, NULL, true},
	{"encrypt_key", false, true, false, NULL, NULL, false},
	{"api_base", false, false, true, NULL, NULL, false},
	{"bot_open_id", false, false, false, NULL, NULL, false},
	{"mode", false, false, false, mode_check, "expected webhook or stream", false},
};

/* The intelligent robot has only its long connection: no mode, no
 * callback secrets; the corp id is the tenant (frames do not carry it). */
static const struct config_key_def wecom_aibot_keys[] = {
	{"bot_id", true, false, false, NULL, NULL, false},
	{"secret", true, true, false, NULL, NULL, false},
	{"corp_id", true, false, false, NULL, NULL, false},
	{"api_base", false, false, false, wecom_aibot_url_check, "expected a ws:// or wss:// URL",
	 false},
	{"ping_interval", false, false, false, wecom_aibot_ping_check,
	 "expected whole seconds, 1 to 3600", false},
};

/* Group robots: send-only webhooks, no inbound messages. */
static const struct config_key_def wecom_robot_keys[] = {
	{"key", true, true, false, NULL, NULL, false},
	{"api_base", false, false, true, NULL, NULL, false},
};

static const struct config_key_def dingtalk_robot_keys[] = {
	{"access_token", true, true, false, NULL, NULL, false},
	{"secret", false, true, false, NULL, NULL, false},
	{"api_base", false, false, true, NULL, NULL, false},
};

static const struct config_key_def feishu_bot_keys[] = {
	{"hook_id", true, true, false, NULL, NULL, false},
	{"secret", false, true, false, NULL, NULL, false},
	{"api_base", false, false, true, NULL, NULL, false},
};

static const struct config_section_def generic_section = {generic_platform_name, generic_keys,
                                                          N(generic_keys)};
static const struct config_section_def wecom_section = {wecom_platform_name, wecom_keys,
                                                        N(wecom_keys)};
static const struct config_section_def dingtalk_section = {dingtalk_platform_name, dingtalk_keys,
                                                           N(dingtalk_keys)};
static const struct config_section_def feishu_section = {feishu_platform_name, feishu_keys,
                                                         N(feishu_keys)};
static const struct config_section_def wecom_aibot_section = {
	wecom_aibot_platform_name, wecom_aibot_keys, N(wecom_aibot_keys)};
static const struct config_section_def wecom_robot_section = {"wecom_robot", wecom_robot_keys,
                                                              N(wecom_robot_keys)};
static const struct config_section_def dingtalk_robot_section = {
	"dingtalk_robot", dingtalk_robot_keys, N(dingtalk_robot_keys)};
static const struct config_section_def feishu_bot_section = {"feishu_bot", feishu_bot_keys,
                                                             N(feishu_bot_keys)};

/*
 * The codec rows. To add a platform: write its codec file here in
 * messages/ (decode and verify what its webhook receives; render and
 * reply_dest when the daemon can message it), add its row below and to
 * platform_codecs, then its transport file and row in daemon/transports.c.
 * That is all: nothing else compares platform names.
 */
const struct platform_codec platform_generic = {
	.name = generic_platform_name,
	.section = &generic_section,
	.tenant = TENANT_FROM_INSTANCE,
};

const struct platform_codec platform_wecom = {
	.name = wecom_platform_name,
	.section = &wecom_section,
	.robot_section = &wecom_robot_section,
	.group_word = TXT_AL_WECOM_GROUP,
	.robot_word = TXT_AL_WECOM_ROBOT,
	.app_chats_only = true,
	.tenant = TENANT_FROM_KEY,
	.tenant_key = "corp_id",
	.reply_dest = wecom_reply_dest,
	.file_dest = wecom_reply_dest,
	.render = render_wecom,
};

const struct platform_codec platform_dingtalk = {
	.name = dingtalk_platform_name,
	.section = &dingtalk_section,
	.robot_section = &dingtalk_robot_section,
	.group_word = TXT_AL_DINGTALK_GROUP,
	.robot_word = TXT_AL_DINGTALK_ROBOT,
	.tenant = TENANT_FROM_KEY,
	.tenant_key = "corp_id",
	.reply_dest = dingtalk_reply_dest,
	.file_dest = dingtalk_file_dest,
	.card_dest = dingtalk_card_dest,
	.render = render_dingtalk,
};

const struct platform_codec platform_feishu = {
	.name = feishu_platform_name,
	.section = &feishu_section,
	.robot_section = &feishu_bot_section,
	.group_word = TXT_AL_FEISHU_GROUP,
	.robot_word = TXT_AL_FEISHU_ROBOT,
	.tenant = TENANT_FROM_MESSAGE,
	.reply_dest = feishu_reply_dest,
	.file_dest = feishu_file_dest,
	.render = render_feishu,
};

const struct platform_codec platform_wecom_aibot = {
	.name = wecom_aibot_platform_name,
	.section = &wecom_aibot_section,
	.group_word = TXT_AL_WECOM_GROUP,
	.tenant = TENANT_FROM_KEY,
	.tenant_key = "corp_id",
	.reply_dest = wecom_aibot_reply_dest,
	.render = render_wecom_aibot,
};

/* The console's files go to the operator: the outbox at the console
 * writes them under the state directory and prints the path. */
static int console_file_dest(const struct chat_msg *msg, struct dest *out)
{
	struct chat_msg m = *msg;

	m.instance = "console";
	return dest_fill(out, &m, DEST_USER, msg->sender_id);
}

/* The local operator's console (cqod --console): no instances, one
 * conversation, its own tenant; it answers on the terminal. */
const struct platform_codec platform_console = {
	.name = "console",
	.tenant = TENANT_FIXED,
	.fixed_tenant = "console",
	.file_dest = console_file_dest,
};

const struct platform_codec *const platform_codecs[] = {
	&platform_generic, &platform_wecom, &platform_dingtalk,
	&platform_feishu, &platform_wecom_aibot, &platform_console,
};
const size_t platform_n_codecs = N(platform_codecs);

/* Every instance section, then every robot section (cqod.conf's order). */
static const struct config_section_def *sections[2 * N(platform_codecs)];

const struct platform_codec *platform_find(const char *name)
{
	for (size_t i = 0; name && i < platform_n_codecs; i++)
		if (strcmp(platform_codecs[i]->name, name) == 0)
			return platform_codecs[i];
	return NULL;
}

const struct platform_codec *platform_find_section(const char *section, bool *robot)
{
	for (size_t i = 0; section && i < platform_n_codecs; i++) {
		const struct platform_codec *p = platform_codecs[i];

		for (int r = 0; r < 2; r++) {
			const struct config_section_def *s = r ? p->robot_section : p->section;

			if (s && strcmp(s->name, section) == 0) {
				if (robot)
					*robot = r;
				return p;
			}
		}
	}
	return NULL;
}

bool platform_has_dest(const char *name)
{
	const struct platform_codec *p = platform_find(name);

	return p && p->reply_dest && p->render;
}

/* A destination may name a platform the daemon reaches out of band, or
 * one that only receives files (the console). */
static bool dest_known(const char *name)
{
	const struct platform_codec *p = platform_find(name);

	return platform_has_dest(name) || (p && p->file_dest);
}

int platforms_register(void)
{
	size_t n = 0;
	int rc;

	for (int r = 0; r < 2; r++)
		for (size_t i = 0; i < platform_n_codecs; i++) {
			const struct platform_codec *p = platform_codecs[i];
			const struct config_section_def *s = r ? p->robot_section : p->section;

			if (s)
				sections[n++] = s;
		}
	rc = config_sections_register(sections, n);
	if (rc < 0)
		return rc;
	dest_platforms_register(dest_known);
	return 0;
}

int dest_for_reply(const struct chat_msg *msg, struct dest *out)
{
	const struct platform_codec *p;

	memset(out, 0, sizeof *out);
	if (!msg->platform || !msg->instance)
		return -EINVAL;
	p = platform_find(msg->platform);
	if (!p || !p->reply_dest)
		return -ENOTSUP;
	return p->reply_dest(msg, out);
}

int dest_for_file(const struct chat_msg *msg, struct dest *out)
{
	const struct platform_codec *p;

	memset(out, 0, sizeof *out);
	if (!msg->platform)
		return -EINVAL;
	p = platform_find(msg->platform);
	if (!p || !p->file_dest)
		return -ENOTSUP;
	return p->file_dest(msg, out);
}

int dest_for_actions(const struct chat_msg *msg, struct dest *out)
{
	const struct platform_codec *p = msg->platform ? platform_find(msg->platform) : NULL;

	if (!p || !p->card_dest)
		return dest_for_reply(msg, out);
	memset(out, 0, sizeof *out);
	return p->card_dest(msg, out);
}
