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

/* Constant-time equality of two equal-length buffers. */
bool crypto_equal(const void *a, const void *b, size_t len);

/* Fills buf with cryptographically random bytes; 0 or -EIO. */
int crypto_random(void *buf, size_t len);

#endif
