/* Robot signatures and percent-encoding; see sign.h. */
#include "sign.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/crypto.h"

static int b64_mac(const char *key, size_t key_len, const char *msg, size_t len, char **out)
{
	uint8_t mac[CRYPTO_SHA256_LEN];
	int rc = crypto_hmac_sha256(key, key_len, msg, len, mac);

	if (rc < 0)
		return rc;
	return crypto_base64_encode(mac, sizeof mac, out);
}

int sign_dingtalk_robot(const char *secret, int64_t ts_ms, char **out)
{
	char *msg;
	int rc;

	*out = NULL;
	if (asprintf(&msg, "%" PRId64 "\n%s", ts_ms, secret) < 0)
		return -ENOMEM;
	rc = b64_mac(secret, strlen(secret), msg, strlen(msg), out);
	explicit_bzero(msg, strlen(msg));
	free(msg);
	return rc;
}

int sign_feishu_bot(const char *secret, int64_t ts_s, char **out)
{
	char *key;
	int rc;

	*out = NULL;
	if (asprintf(&key, "%" PRId64 "\n%s", ts_s, secret) < 0)
		return -ENOMEM;
	rc = b64_mac(key, strlen(key), "", 0, out);
	explicit_bzero(key, strlen(key));
	free(key);
	return rc;
}

void sign_urlencode(struct strbuf *sb, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		char esc[3] = {'%', hex[c >> 4], hex[c & 15]};

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_' || c == '~')
			strbuf_append(sb, (const char *)&c, 1);
		else
			strbuf_append(sb, esc, 3);
	}
}
