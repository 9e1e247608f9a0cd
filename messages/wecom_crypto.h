/*
 * WeCom's callback cryptography (the WXBizMsgCrypt scheme, PROTOCOLS.md §1.2).
 *
 *   key        = Base64Decode(EncodingAESKey + "="), 32 bytes; IV = key[0:16]
 *   cipher     = AES-256-CBC, OpenSSL padding off, PKCS#7 with a 32-byte block
 *                (pad bytes 1..32, a whole extra block when already aligned)
 *   plaintext  = random[16] || len (uint32, big-endian) || msg[len] || receiveid
 *   signature  = lowercase hex SHA1 of the byte-wise sorted concatenation of
 *                {token, timestamp, nonce, Encrypt}, Encrypt being the Base64 text
 *
 * Ownership: strings returned through `char **` are heap-allocated,
 * NUL-terminated, and freed by the caller.
 */
#ifndef CQOD_WECOM_CRYPTO_H
#define CQOD_WECOM_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#define WECOM_KEY_LEN 32
#define WECOM_BLOCK 32
#define WECOM_RANDOM_LEN 16
#define WECOM_SIG_HEX_LEN 40

/* An EncodingAESKey (exactly 43 characters [A-Za-z0-9]) into the 32-byte AES
 * key. Returns 0 or -EINVAL. */
int wecom_crypto_key(const char *encoding_aes_key, uint8_t key[WECOM_KEY_LEN]);

/* The aes_key check of WeCom's config row: whether wecom_crypto_key takes
 * the value. A key that cannot decrypt anything is better refused at load
 * time than at the first callback. Returns 0 or -EINVAL. */
int wecom_crypto_key_check(const char *encoding_aes_key);

/* The msg_signature of the four strings into out (40 hex digits + NUL).
 * Returns 0, -ENOMEM or -EIO. */
int wecom_crypto_sign(const char *token, const char *timestamp, const char *nonce,
                      const char *encrypt, char out[WECOM_SIG_HEX_LEN + 1]);

/* 0 when `signature` (hex, either case) is the msg_signature of the four
 * strings, compared in constant time; -EACCES otherwise (NULL included). */
int wecom_crypto_verify(const char *token, const char *timestamp, const char *nonce,
                        const char *encrypt, const char *signature);

/* Decrypts the Base64 text `b64` and checks that the trailing receiveid equals
 * `receive_id`. On success *msg holds the *msg_len message bytes (plus a NUL).
 * Returns 0; -EBADMSG (not Base64, not whole blocks, bad padding, length field
 * out of range); -EPERM (receiveid differs); -ENOMEM or -EIO. */
int wecom_crypto_decrypt(const uint8_t key[WECOM_KEY_LEN], const char *b64, size_t b64_len,
                         const char *receive_id, char **msg, size_t *msg_len);

/* Encrypts msg for receive_id with 16 random bytes from the CSPRNG into the
 * Base64 text *b64. Returns 0, -EINVAL (too long), -ENOMEM or -EIO. */
int wecom_crypto_encrypt(const uint8_t key[WECOM_KEY_LEN], const char *msg, size_t len,
                         const char *receive_id, char **b64);

/* The same with the caller's 16 "random" bytes, for known-answer tests. */
int wecom_crypto_encrypt_with(const uint8_t key[WECOM_KEY_LEN],
                              const uint8_t random[WECOM_RANDOM_LEN], const char *msg,
                              size_t len, const char *receive_id, char **b64);

#endif
