/*
 * libFuzzer target for Feishu's inbound decoders: the envelope, the
 * decryption of an "encrypt" text, the signature check, and the event JSON
 * (mentions, JSON-in-JSON content), directly and after decryption.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../messages/feishu.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void decode(const char *json, size_t len)
{
	struct feishu_event ev;
	const char *why = NULL;

	if (feishu_decode(json, len, "fuzz", &ev, &why) == 0) {
		feishu_check_token(&ev, "fuzz-token");
		if (ev.kind == FEISHU_CHALLENGE)
			free(feishu_render_challenge(&ev));
	}
	feishu_event_free(&ev);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t key[FEISHU_KEY_LEN];
	char *buf = malloc(size + 1), *s = NULL;
	size_t len = 0;

	if (!buf || feishu_key("test key", key) < 0)
		abort();
	memcpy(buf, data, size);
	buf[size] = '\0';

	decode(buf, size);
	feishu_verify_signature("1700000000", "nonce", "test key", buf, size,
	                        "002a272a435d056759149cce18e88064ff320d38d91a09432445c344c4296949");
	if (feishu_envelope(buf, size, &s) == 0) {
		char *plain = NULL;

		if (feishu_decrypt(key, s, strlen(s), &plain, &len) == 0) {
			decode(plain, len);
			free(plain);
		}
		free(s);
	}
	if (feishu_decrypt(key, buf, size, &s, &len) == 0) {
		decode(s, len);
		free(s);
	}
	free(buf);
	return 0;
}
