/* OpenSSL wrappers; see crypto.h. */
#include "crypto.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "digits.h"

/* SHA-256 fetched once: with EVP_sha256() every digest looks the algorithm
 * up in OpenSSL's provider store again, under its lock, which costs more
 * than hashing a short text (a reminder sweep hashes a key per message).
 * The fetched method lives as long as the process. */
static EVP_MD *sha256_md;
static pthread_once_t sha256_once = PTHREAD_ONCE_INIT;

static void sha256_fetch(void)
{
	sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL);
}

static const EVP_MD *sha256(void)
{
	pthread_once(&sha256_once, sha256_fetch);
	return sha256_md ? sha256_md : EVP_sha256();
}

int crypto_hmac_sha256(const void *key, size_t key_len, const void *data, size_t len,
                       uint8_t out[CRYPTO_SHA256_LEN])
{
	unsigned int out_len = 0;

	if (!HMAC(sha256(), key, (int)key_len, data, len, out, &out_len) ||
	    out_len != CRYPTO_SHA256_LEN)
		return -EIO;
	return 0;
}

int crypto_sha256(const void *data, size_t len, uint8_t out[CRYPTO_SHA256_LEN])
{
	unsigned int out_len = 0;

	if (!EVP_Digest(data, len, out, &out_len, sha256(), NULL) ||
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

int crypto_unhex(const char *hex, size_t hex_len, uint8_t *out, size_t out_len)
{
	if (hex_len != 2 * out_len)
		return -EINVAL;
	for (size_t i = 0; i < out_len; i++) {
		int hi = digits_hex_value(hex[2 * i]), lo = digits_hex_value(hex[2 * i + 1]);
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

int crypto_base64_encode(const uint8_t *in, size_t len, char **out)
{
	size_t n;
	char *s;

	*out = NULL;
	/* EVP_EncodeBlock takes an int length. */
	if (len > (size_t)INT_MAX / 4 * 3 - 3)
		return -EINVAL;
	n = (len + 2) / 3 * 4;
	s = malloc(n + 1);
	if (!s)
		return -ENOMEM;
	if ((size_t)EVP_EncodeBlock((unsigned char *)s, in, (int)len) != n) {
		free(s);
		return -EINVAL;
	}
	s[n] = '\0';
	*out = s;
	return 0;
}

static bool base64_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '+' || c == '/';
}

int crypto_base64_decode(const char *in, size_t len, uint8_t **out, size_t *out_len)
{
	size_t pad = 0, n;
	uint8_t *buf;

	*out = NULL;
	*out_len = 0;
	if (len % 4 != 0 || len > (size_t)INT_MAX)
		return -EINVAL;
	if (len && in[len - 1] == '=')
		pad = len >= 2 && in[len - 2] == '=' ? 2 : 1;
	for (size_t i = 0; i < len - pad; i++)
		if (!base64_char(in[i]))
			return -EINVAL;
	/* EVP_DecodeBlock would skip leading and trailing whitespace and accept
	 * '=' only as padding; the checks above leave it nothing to be lax about. */
	buf = malloc(len / 4 * 3 + 1);
	if (!buf)
		return -ENOMEM;
	if (len && EVP_DecodeBlock(buf, (const unsigned char *)in, (int)len) < 0) {
		free(buf);
		return -EINVAL;
	}
	n = len / 4 * 3 - pad;
	*out = buf;
	*out_len = n;
	return 0;
}

#define KEY43_TEXT_LEN 43

int crypto_key43_decode(const char *encoding_aes_key, uint8_t key[CRYPTO_KEY43_LEN])
{
	char padded[KEY43_TEXT_LEN + 2];
	uint8_t *raw;
	size_t n;
	int rc;

	if (strlen(encoding_aes_key) != KEY43_TEXT_LEN ||
	    strspn(encoding_aes_key, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	                             "0123456789") != KEY43_TEXT_LEN)
		return -EINVAL;
	memcpy(padded, encoding_aes_key, KEY43_TEXT_LEN);
	padded[KEY43_TEXT_LEN] = '=';
	padded[KEY43_TEXT_LEN + 1] = '\0';
	rc = crypto_base64_decode(padded, KEY43_TEXT_LEN + 1, &raw, &n);
	if (rc < 0)
		return rc == -ENOMEM ? rc : -EINVAL;
	rc = n == CRYPTO_KEY43_LEN ? 0 : -EINVAL;
	if (rc == 0)
		memcpy(key, raw, CRYPTO_KEY43_LEN);
	OPENSSL_cleanse(raw, n);
	free(raw);
	return rc;
}

int crypto_pkcs7_unpad(const uint8_t *buf, size_t len, size_t block, size_t *out_len)
{
	unsigned n, bad = 0;

	if (len == 0 || block == 0 || block > 255 || len % block != 0)
		return -EBADMSG;
	n = buf[len - 1];
	if (n < 1 || n > block)
		return -EBADMSG;
	for (size_t i = len - n; i < len; i++)
		bad |= buf[i] ^ n;
	if (bad)
		return -EBADMSG;
	*out_len = len - n;
	return 0;
}
