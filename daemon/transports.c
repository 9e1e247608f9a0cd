/* The platforms' transport rows; see transports.h. */
#include "transports.h"

#include <string.h>

#include "app.h"
#include "send_internal.h"
#include "streams.h"

/*
 * The transport rows. To add a platform: its codec file and row in
 * messages/ (platforms.c), then its transport file here in daemon/
 * (webhook adapter, sender, pacing) and one row below, listed in
 * `transports`. Nothing else in the tree compares platform names.
 */
static const struct transport generic = {
	.codec = &platform_generic,
	.webhook = webhook_generic,
	.methods = TRANSPORT_POST,
	.route = "/webhook/generic",
};

/* WeCom checks its callback URL with a GET. */
static const struct transport wecom = {
	.codec = &platform_wecom,
	.webhook = webhook_wecom,
	.methods = TRANSPORT_GET | TRANSPORT_POST,
	.route = "/webhook/wecom",
	.send = &send_wecom,
	.pace_ms = send_wecom_pace_ms,
};

/* Everything a DingTalk robot sends goes by the group robots' rate. */
static const struct transport dingtalk = {
	.codec = &platform_dingtalk,
	.webhook = webhook_dingtalk,
	.methods = TRANSPORT_POST,
	.route = "/webhook/dingtalk",
	.send = &send_dingtalk,
	.stream_start = stream_dingtalk_start,
	.stream_stop = stream_dingtalk_stop,
};

static const struct transport feishu = {
	.codec = &platform_feishu,
	.webhook = webhook_feishu,
	.methods = TRANSPORT_POST,
	.route = "/webhook/feishu",
	.send = &send_feishu,
	.pace_ms = send_feishu_pace_ms,
	.app_pace_ms = send_feishu_app_pace_ms,
	.stream_start = stream_feishu_start,
	.stream_stop = stream_feishu_stop,
};

/* The intelligent robot: no webhook, its long connection for everything. */
static const struct transport wecom_aibot = {
	.codec = &platform_wecom_aibot,
	.send_frame = stream_wecom_aibot_send,
	.stream_start = stream_wecom_aibot_start,
	.stream_stop = stream_wecom_aibot_stop,
};

static const struct transport console = {
	.codec = &platform_console,
};

const struct transport *const transports[] = {&generic, &wecom, &dingtalk, &feishu, &wecom_aibot,
                                        &console};
const size_t transports_n = sizeof transports / sizeof transports[0];

const struct transport *transport_find(const char *name)
{
	for (size_t i = 0; name && i < transports_n; i++)
		if (strcmp(transports[i]->codec->name, name) == 0)
			return transports[i];
	return NULL;
}
