/*
 * libFuzzer target for DingTalk's inbound decoders: the JSON body, the
 * timestamp and sign headers, and the sessionWebhook check.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../messages/dingtalk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dingtalk_msg m;
	const char *why = NULL;
	char *buf = malloc(size + 1);
	char *nl;

	if (!buf)
		abort();
	memcpy(buf, data, size);
	buf[size] = '\0';

	dingtalk_decode(buf, size, "fuzz", &m, &why);
	if (m.msg.reply_handle)
		dingtalk_webhook_allowed(m.msg.reply_handle, "http://127.0.0.1:9", NULL);
	dingtalk_msg_free(&m);
	dingtalk_webhook_allowed(buf, "http://127.0.0.1:9", "https://oapi.example/");
	/* "timestamp\nsign" as the two headers. */
	nl = strchr(buf, '\n');
	if (nl) {
		*nl = '\0';
		dingtalk_verify("fuzz-secret", buf, nl + 1, 1700000000000LL);
	}
	free(buf);
	return 0;
}
