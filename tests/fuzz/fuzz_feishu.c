/*
 * libFuzzer target for Feishu's inbound decoders: the envelope, the
 * decryption of an "encrypt" text, the signature check, opening a request
 * (signed and unsigned: authentication before decryption), and the event
 * JSON (mentions with and without the bot's open_id, JSON-in-JSON content),
 * directly and after decryption.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../messages/feishu.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void decode(const char *json, size_t len)
{
	static const char *const bots[] = {NULL, "ou_bot"};

	for (size_t i = 0; i < sizeof bots / sizeof bots[0]; i++) {
		struct feishu_event ev;
		const char *why = NULL;

		if (feishu_decode(json, len, "fuzz", bots[i], &ev, &why) == 0) {
			feishu_check_token(&ev, "fuzz-token");
			if (ev.kind == FEISHU_CHALLENGE)
				free(feishu_render_challenge(&ev));
		}
		feishu_event_free(&ev);
	}
}

static void open_request(const char *body, size_t size, const char *signature)
{
	struct feishu_request rq = {.timestamp = "1700000000", .nonce = "nonce",
	                            .signature = signature, .body = body, .len = size};
	struct feishu_event ch;
	const char *why = NULL;
	char *plain = NULL;
	size_t len = 0;

	if (feishu_open(&rq, "test key", "fuzz-token", &plain, &len, &ch, &why) ==
	    FEISHU_OPENED_EVENT)
		decode(plain, len);
	free(plain);
	feishu_event_free(&ch);
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
	open_request(buf, size, NULL);
	open_request(buf, size, "002a272a435d056759149cce18e88064ff320d38d91a09432445c344c4296949");
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
