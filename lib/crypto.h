/*
 * Small wrappers over OpenSSL libcrypto used by the platform adapters.
 * All compare functions run in constant time over the expected length.
 */
#ifndef CQOD_CRYPTO_H
#define CQOD_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CRYPTO_SHA256_LEN 32

/* HMAC-SHA256(key, data) into out[32]. Returns 0 or -EIO. */
int crypto_hmac_sha256(const void *key, size_t key_len, const void *data, size_t len,
                       uint8_t out[CRYPTO_SHA256_LEN]);

/* SHA-256 of data into out[32]. Returns 0 or -EIO. */
int crypto_sha256(const void *data, size_t len, uint8_t out[CRYPTO_SHA256_LEN]);

/* Lowercase hex of `len` bytes into out (2*len+1 bytes). */
void crypto_hex(const uint8_t *in, size_t len, char *out);

/* Decodes exactly out_len bytes of hex (either case) from `hex`, which must
 * be 2*out_len characters long; returns 0 or -EINVAL. */
int crypto_unhex(const char *hex, size_t hex_len, uint8_t *out, size_t out_len);

/* Strict PKCS#7 over `block`-byte blocks (the platforms' AES-CBC: WeCom
 * pads to 32, Feishu to 16): len must be a positive multiple of block, the
 * last byte n in 1..block, and all n pad bytes equal to n. *out_len =
 * len - n. Returns 0 or -EBADMSG. */
int crypto_pkcs7_unpad(const uint8_t *buf, size_t len, size_t block, size_t *out_len);

/* Constant-time equality of two equal-length buffers. */
bool crypto_equal(const void *a, const void *b, size_t len);

/* Fills buf with cryptographically random bytes; 0 or -EIO. */
int crypto_random(void *buf, size_t len);

/* Standard Base64 (RFC 4648 alphabet, '=' padding, no line breaks) of `len`
 * bytes. On success *out is a NUL-terminated string the caller frees.
 * Returns 0, -EINVAL (len too large) or -ENOMEM. */
int crypto_base64_encode(const uint8_t *in, size_t len, char **out);

/* Decodes exactly `len` characters of standard Base64. Strict: the length must
 * be a multiple of 4, only the alphabet is allowed (no whitespace, no URL-safe
 * "-_"), and '=' only as one or two final padding characters. The unused low
 * bits of the last character are not checked, because WeCom's EncodingAESKey
 * is 43 random alphabet characters that the protocol decodes with one "="
 * appended. On success *out (caller frees; always allocated, even for empty
 * input) holds *out_len bytes. Returns 0, -EINVAL or -ENOMEM. */
int crypto_base64_decode(const char *in, size_t len, uint8_t **out, size_t *out_len);

#define CRYPTO_KEY43_LEN 32
/* A 32-byte key written as exactly 43 characters [A-Za-z0-9] of unpadded
 * base64 (WeCom's EncodingAESKey) into key. Returns 0, -EINVAL or -ENOMEM;
 * nothing is left in memory but key. */
int crypto_key43_decode(const char *text, uint8_t key[CRYPTO_KEY43_LEN]);

#endif
