/*
 * libFuzzer target for DingTalk's inbound decoders: the JSON body (with its
 * @mentions), the timestamp and sign headers, the registry of signs seen,
 * and the sessionWebhook check.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../messages/dingtalk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Small, so inputs reach the full registry's dropping too. */
	static struct dingtalk_signs *signs;
	struct dingtalk_msg m;
	const char *why = NULL;
	char *buf = malloc(size + 1);
	char *nl;

	if (!signs)
		signs = dingtalk_signs_new(4);
	if (!buf || !signs)
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
		dingtalk_signs_claim(signs, buf, nl + 1, "dingtalk:fuzz", "m", 1700000000000LL,
		                     NULL);
	}
	free(buf);
	return 0;
}
