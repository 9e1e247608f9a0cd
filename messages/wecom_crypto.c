/* WeCom's WXBizMsgCrypt scheme; see wecom_crypto.h. */
#include "wecom_crypto.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include "../lib/crypto.h"

#define LEN_FIELD 4
#define HEADER_LEN (WECOM_RANDOM_LEN + LEN_FIELD)
/* Far above any callback WeCom sends, far below int overflow in OpenSSL. */
#define MAX_PLAIN (16u << 20)

int wecom_crypto_key(const char *encoding_aes_key, uint8_t key[WECOM_KEY_LEN])
{
	return crypto_key43_decode(encoding_aes_key, key);
}

int wecom_crypto_key_check(const char *encoding_aes_key)
{
	uint8_t key[WECOM_KEY_LEN];
	int rc = wecom_crypto_key(encoding_aes_key, key);

	OPENSSL_cleanse(key, sizeof key);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* SHA1 of the sorted strings into out[20]. */
static int sign_raw(const char *token, const char *timestamp, const char *nonce,
                    const char *encrypt, uint8_t out[SHA_DIGEST_LENGTH])
{
	const char *parts[4] = {token, timestamp, nonce, encrypt};
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned int out_len = 0;
	bool ok;

	if (!ctx)
		return -ENOMEM;
	/* strcmp compares as unsigned char: the byte-wise order WeCom uses. */
	qsort(parts, 4, sizeof parts[0], cmp_str);
	ok = EVP_DigestInit_ex(ctx, EVP_sha1(), NULL) == 1;
	for (size_t i = 0; ok && i < 4; i++)
		ok = EVP_DigestUpdate(ctx, parts[i], strlen(parts[i])) == 1;
	ok = ok && EVP_DigestFinal_ex(ctx, out, &out_len) == 1 && out_len == SHA_DIGEST_LENGTH;
	EVP_MD_CTX_free(ctx);
	return ok ? 0 : -EIO;
}

int wecom_crypto_sign(const char *token, const char *timestamp, const char *nonce,
                      const char *encrypt, char out[WECOM_SIG_HEX_LEN + 1])
{
	uint8_t md[SHA_DIGEST_LENGTH];
	int rc = sign_raw(token, timestamp, nonce, encrypt, md);

	if (rc == 0)
		crypto_hex(md, sizeof md, out);
	return rc;
}

int wecom_crypto_verify(const char *token, const char *timestamp, const char *nonce,
                        const char *encrypt, const char *signature)
{
	uint8_t want[SHA_DIGEST_LENGTH], got[SHA_DIGEST_LENGTH];

	if (!signature || crypto_unhex(signature, strlen(signature), got, sizeof got) < 0)
		return -EACCES;
	if (sign_raw(token, timestamp, nonce, encrypt, want) < 0)
		return -EACCES;
	return crypto_equal(want, got, sizeof want) ? 0 : -EACCES;
}

/* AES-256-CBC without OpenSSL's padding; out has room for len bytes. */
static int aes_cbc(const uint8_t key[WECOM_KEY_LEN], bool enc, const uint8_t *in, size_t len,
                   uint8_t *out)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int n1 = 0, n2 = 0;
	bool ok;

	if (!ctx)
		return -ENOMEM;
	ok = EVP_CipherInit_ex(ctx, EVP_aes_256_cbc(), NULL, key, key, enc ? 1 : 0) == 1 &&
	     EVP_CIPHER_CTX_set_padding(ctx, 0) == 1 &&
	     EVP_CipherUpdate(ctx, out, &n1, in, (int)len) == 1 &&
	     EVP_CipherFinal_ex(ctx, out + n1, &n2) == 1 && (size_t)(n1 + n2) == len;
	EVP_CIPHER_CTX_free(ctx);
	return ok ? 0 : -EIO;
}

int wecom_crypto_decrypt(const uint8_t key[WECOM_KEY_LEN], const char *b64, size_t b64_len,
                         const char *receive_id, char **msg, size_t *msg_len)
{
	uint8_t *ct = NULL, *pt = NULL;
	size_t ct_len, pt_len, n;
	size_t rid_len = strlen(receive_id);
	uint32_t mlen;
	int rc;

	*msg = NULL;
	*msg_len = 0;
	if (b64_len > MAX_PLAIN / 3 * 4 + 4)
		return -EBADMSG;
	rc = crypto_base64_decode(b64, b64_len, &ct, &ct_len);
	if (rc < 0)
		return rc == -ENOMEM ? rc : -EBADMSG;
	if (ct_len == 0 || ct_len % WECOM_BLOCK != 0) {
		rc = -EBADMSG;
		goto out;
	}
	pt = malloc(ct_len + 1);
	if (!pt) {
		rc = -ENOMEM;
		goto out;
	}
	rc = aes_cbc(key, false, ct, ct_len, pt);
	if (rc < 0)
		goto out;
	rc = crypto_pkcs7_unpad(pt, ct_len, WECOM_BLOCK, &pt_len);
	if (rc < 0)
		goto out;
	rc = -EBADMSG;
	if (pt_len <= HEADER_LEN)
		goto out;
	mlen = (uint32_t)pt[16] << 24 | (uint32_t)pt[17] << 16 | (uint32_t)pt[18] << 8 | pt[19];
	if (mlen > pt_len - HEADER_LEN)
		goto out;
	n = pt_len - HEADER_LEN - mlen;
	if (n != rid_len || memcmp(pt + HEADER_LEN + mlen, receive_id, n) != 0) {
		rc = -EPERM;
		goto out;
	}
	/* The message moves to the front so the buffer can be handed over. */
	memmove(pt, pt + HEADER_LEN, mlen);
	pt[mlen] = '\0';
	*msg = (char *)pt;
	*msg_len = mlen;
	pt = NULL;
	rc = 0;
out:
	if (pt) {
		OPENSSL_cleanse(pt, ct_len);
		free(pt);
	}
	free(ct);
	return rc;
}

int wecom_crypto_encrypt_with(const uint8_t key[WECOM_KEY_LEN],
                              const uint8_t random[WECOM_RANDOM_LEN], const char *msg,
                              size_t len, const char *receive_id, char **b64)
{
	size_t rid_len = strlen(receive_id);
	size_t plain, total, pad;
	uint8_t *buf, *ct;
	int rc;

	*b64 = NULL;
	if (len > MAX_PLAIN || rid_len > MAX_PLAIN)
		return -EINVAL;
	plain = HEADER_LEN + len + rid_len;
	pad = WECOM_BLOCK - plain % WECOM_BLOCK;
	total = plain + pad;
	buf = malloc(2 * total);
	if (!buf)
		return -ENOMEM;
	ct = buf + total;
	memcpy(buf, random, WECOM_RANDOM_LEN);
	buf[16] = (uint8_t)(len >> 24);
	buf[17] = (uint8_t)(len >> 16);
	buf[18] = (uint8_t)(len >> 8);
	buf[19] = (uint8_t)len;
	memcpy(buf + HEADER_LEN, msg, len);
	memcpy(buf + HEADER_LEN + len, receive_id, rid_len);
	memset(buf + plain, (int)pad, pad);
	rc = aes_cbc(key, true, buf, total, ct);
	if (rc == 0)
		rc = crypto_base64_encode(ct, total, b64);
	OPENSSL_cleanse(buf, total);
	free(buf);
	return rc;
}

int wecom_crypto_encrypt(const uint8_t key[WECOM_KEY_LEN], const char *msg, size_t len,
                         const char *receive_id, char **b64)
{
	uint8_t random[WECOM_RANDOM_LEN];

	*b64 = NULL;
	if (crypto_random(random, sizeof random) < 0)
		return -EIO;
	return wecom_crypto_encrypt_with(key, random, msg, len, receive_id, b64);
}
