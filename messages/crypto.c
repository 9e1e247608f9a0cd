/* OpenSSL wrappers; see crypto.h. */
#include "crypto.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

int crypto_hmac_sha256(const void *key, size_t key_len, const void *data, size_t len,
                       uint8_t out[CRYPTO_SHA256_LEN])
{
	unsigned int out_len = 0;

	if (!HMAC(EVP_sha256(), key, (int)key_len, data, len, out, &out_len) ||
	    out_len != CRYPTO_SHA256_LEN)
		return -EIO;
	return 0;
}

int crypto_sha256(const void *data, size_t len, uint8_t out[CRYPTO_SHA256_LEN])
{
	unsigned int out_len = 0;

	if (!EVP_Digest(data, len, out, &out_len, EVP_sha256(), NULL) ||
	    out_len != CRYPTO_SHA256_LEN)
		return -EIO;
	return 0;
}

void crypto_hex(const uint8_t *in, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * len] = '\0';
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int crypto_unhex(const char *hex, size_t hex_len, uint8_t *out, size_t out_len)
{
	if (hex_len != 2 * out_len)
		return -EINVAL;
	for (size_t i = 0; i < out_len; i++) {
		int hi = hex_value(hex[2 * i]), lo = hex_value(hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -EINVAL;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

bool crypto_equal(const void *a, const void *b, size_t len)
{
	return CRYPTO_memcmp(a, b, len) == 0;
}

int crypto_random(void *buf, size_t len)
{
	return RAND_bytes(buf, (int)len) == 1 ? 0 : -EIO;
}
