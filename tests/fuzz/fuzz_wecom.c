/*
 * libFuzzer target for WeCom's inbound decoders: the query string, the XML
 * envelope, the decryption of an Encrypt text, and the inner message XML
 * (also reached through an encrypt/decrypt round trip, which must give the
 * input back).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/urlquery.h"
#include "../../messages/wecom.h"
#include "../../messages/wecom_crypto.h"

#define AESKEY "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
#define CORP "wx5823bf96d3bd56c7"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void decode_inner(const char *xml, size_t len)
{
	struct wecom_msg m;
	const char *why = NULL;

	wecom_decode(xml, len, "fuzz", &m, &why);
	wecom_msg_free(&m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t key[WECOM_KEY_LEN], rnd[WECOM_RANDOM_LEN];
	char *buf = malloc(size + 1), *s = NULL, *b64 = NULL;
	size_t len = 0;

	if (!buf || wecom_crypto_key(AESKEY, key) < 0)
		abort();
	memcpy(buf, data, size);
	buf[size] = '\0';
	memset(rnd, 0x5a, sizeof rnd);

	if (urlquery_get(buf, "echostr", &s) == 0)
		free(s);
	if (wecom_envelope_parse(buf, size, &s) == 0)
		free(s);
	decode_inner(buf, size);
	if (wecom_crypto_decrypt(key, buf, size, CORP, &s, &len) == 0) {
		decode_inner(s, len);
		free(s);
	}
	if (wecom_crypto_encrypt_with(key, rnd, buf, size, CORP, &b64) == 0) {
		if (wecom_crypto_decrypt(key, b64, strlen(b64), CORP, &s, &len) != 0 || len != size ||
		    memcmp(s, data, size) != 0)
			abort();
		free(s);
		free(b64);
	}
	free(buf);
	return 0;
}
