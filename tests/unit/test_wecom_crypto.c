/* WeCom's WXBizMsgCrypt scheme: Tencent's published sample values (Sample.cpp
 * of the official C++ library: token QDG6eK, corp id wx5823bf96d3bd56c7),
 * 32-byte-block padding edge cases, and malformed ciphertexts. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>

#include "../../lib/crypto.h"
#include "../../messages/wecom_crypto.h"

#define TOKEN "QDG6eK"
#define CORP "wx5823bf96d3bd56c7"
#define AESKEY "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"

/* URL verification sample (GET). */
#define V_SIG "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3"
#define V_TS "1409659589"
#define V_NONCE "263014780"
#define V_ECHO                                                                                 \
	"P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ=="
#define V_RANDOM "c41b64491c2468d0"
#define V_PLAIN "1616140317555161061"

/* Encrypted message sample (POST). */
#define M_SIG "477715d11cdb4164915debcba66cb864d751f3e6"
#define M_TS "1409659813"
#define M_NONCE "1372623149"
#define M_ENC                                                                                  \
	"RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3Qczc" \
	"dCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLj" \
	"vd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMn" \
	"vw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k" \
	"22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2Yoy" \
	"yH2uyPIGHBZZIs2pDBS8R07+qN+E7Q=="
#define M_RANDOM "0960688932c47ef1"
#define M_PLAIN                                                                                \
	"<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n"                           \
	"<FromUserName><![CDATA[mycreate]]></FromUserName>\n"                                      \
	"<CreateTime>1409659813</CreateTime>\n"                                                    \
	"<MsgType><![CDATA[text]]></MsgType>\n"                                                    \
	"<Content><![CDATA[hello]]></Content>\n"                                                   \
	"<MsgId>4561255354251345929</MsgId>\n"                                                     \
	"<AgentID>218</AgentID>\n"                                                                 \
	"</xml>"

static void sample_key(uint8_t key[WECOM_KEY_LEN])
{
	assert_int_equal(wecom_crypto_key(AESKEY, key), 0);
}

static void test_key(void **state)
{
	uint8_t key[WECOM_KEY_LEN], want[WECOM_KEY_LEN];

	(void)state;
	/* base64 -d of AESKEY "=", computed independently. */
	assert_int_equal(crypto_unhex("8d69989bbaabe67328014c194631ad07"
	                              "19b3dca035b64023df292447aab60760", 64, want, sizeof want), 0);
	sample_key(key);
	assert_memory_equal(key, want, sizeof key);
	assert_int_equal(wecom_crypto_key(AESKEY "A", key), -EINVAL);
	assert_int_equal(wecom_crypto_key("jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2", key), -EINVAL);
	assert_int_equal(wecom_crypto_key("jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2+", key),
	                 -EINVAL);
	assert_int_equal(wecom_crypto_key("jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2=", key),
	                 -EINVAL);
	assert_int_equal(wecom_crypto_key("", key), -EINVAL);
}

static void test_sign_samples(void **state)
{
	char sig[WECOM_SIG_HEX_LEN + 1];

	(void)state;
	assert_int_equal(wecom_crypto_sign(TOKEN, V_TS, V_NONCE, V_ECHO, sig), 0);
	assert_string_equal(sig, V_SIG);
	assert_int_equal(wecom_crypto_sign(TOKEN, M_TS, M_NONCE, M_ENC, sig), 0);
	assert_string_equal(sig, M_SIG);
}

static void test_verify(void **state)
{
	char upper[] = V_SIG;

	(void)state;
	assert_int_equal(wecom_crypto_verify(TOKEN, V_TS, V_NONCE, V_ECHO, V_SIG), 0);
	for (char *p = upper; *p; p++)
		*p = (char)(*p >= 'a' && *p <= 'f' ? *p - 32 : *p);
	assert_int_equal(wecom_crypto_verify(TOKEN, V_TS, V_NONCE, V_ECHO, upper), 0);
	assert_int_equal(wecom_crypto_verify(TOKEN, V_TS, V_NONCE, V_ECHO, NULL), -EACCES);
	assert_int_equal(wecom_crypto_verify(TOKEN, V_TS, V_NONCE, V_ECHO, ""), -EACCES);
	assert_int_equal(wecom_crypto_verify(TOKEN, V_TS, V_NONCE, V_ECHO, V_SIG "00"), -EACCES);
	assert_int_equal(wecom_crypto_verify(TOKEN, V_TS, V_NONCE, V_ECHO,
	                                     "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd4"), -EACCES);
	assert_int_equal(wecom_crypto_verify("QDG6eL", V_TS, V_NONCE, V_ECHO, V_SIG), -EACCES);
	assert_int_equal(wecom_crypto_verify(TOKEN, "1409659590", V_NONCE, V_ECHO, V_SIG), -EACCES);
	/* '+' read as a space by form-style decoding changes the signed text. */
	char spaced[] = V_ECHO;
	*strchr(spaced, '+') = ' ';
	assert_int_equal(wecom_crypto_verify(TOKEN, V_TS, V_NONCE, spaced, V_SIG), -EACCES);
}

static void test_decrypt_samples(void **state)
{
	uint8_t key[WECOM_KEY_LEN];
	char *msg;
	size_t len;

	(void)state;
	sample_key(key);
	/* The URL check's echostr ends in 7 pad bytes. */
	assert_int_equal(wecom_crypto_decrypt(key, V_ECHO, strlen(V_ECHO), CORP, &msg, &len), 0);
	assert_int_equal(len, strlen(V_PLAIN));
	assert_string_equal(msg, V_PLAIN);
	free(msg);
	/* The message sample ends in 30 pad bytes: beyond ordinary PKCS#7. */
	assert_int_equal(wecom_crypto_decrypt(key, M_ENC, strlen(M_ENC), CORP, &msg, &len), 0);
	assert_int_equal(len, strlen(M_PLAIN));
	assert_string_equal(msg, M_PLAIN);
	free(msg);
	/* Same blob, someone else's corp id. */
	assert_int_equal(wecom_crypto_decrypt(key, M_ENC, strlen(M_ENC), "wx5823bf96d3bd56c8", &msg,
	                                      &len), -EPERM);
	assert_null(msg);
	assert_int_equal(wecom_crypto_decrypt(key, M_ENC, strlen(M_ENC), "", &msg, &len), -EPERM);
	assert_int_equal(wecom_crypto_decrypt(key, M_ENC, strlen(M_ENC), CORP "x", &msg, &len),
	                 -EPERM);
}

/* With the sample's own random bytes, encryption gives the sample back. */
static void test_encrypt_known_answer(void **state)
{
	uint8_t key[WECOM_KEY_LEN];
	char *b64;

	(void)state;
	sample_key(key);
	assert_int_equal(wecom_crypto_encrypt_with(key, (const uint8_t *)M_RANDOM, M_PLAIN,
	                                           strlen(M_PLAIN), CORP, &b64), 0);
	assert_string_equal(b64, M_ENC);
	free(b64);
	assert_int_equal(wecom_crypto_encrypt_with(key, (const uint8_t *)V_RANDOM, V_PLAIN,
	                                           strlen(V_PLAIN), CORP, &b64), 0);
	assert_string_equal(b64, V_ECHO);
	free(b64);
}

/* Raw AES-256-CBC (IV = key[0:16]) without padding, by OpenSSL directly. */
static void raw_cbc(const uint8_t *key, int enc, const uint8_t *in, size_t len, uint8_t *out)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int n1 = 0, n2 = 0;

	assert_non_null(ctx);
	assert_int_equal(EVP_CipherInit_ex(ctx, EVP_aes_256_cbc(), NULL, key, key, enc), 1);
	EVP_CIPHER_CTX_set_padding(ctx, 0);
	assert_int_equal(EVP_CipherUpdate(ctx, out, &n1, in, (int)len), 1);
	assert_int_equal(EVP_CipherFinal_ex(ctx, out + n1, &n2), 1);
	assert_int_equal(n1 + n2, (int)len);
	EVP_CIPHER_CTX_free(ctx);
}

/* Encrypts msg, checks the pad bytes by raw decryption, decrypts it back. */
static void check_pad(const uint8_t *key, size_t msg_len, unsigned want_pad)
{
	char msg[64], *b64, *out;
	uint8_t *ct, pt[128];
	size_t ct_len, out_len;

	memset(msg, 'm', msg_len);
	msg[msg_len] = '\0';
	assert_int_equal(wecom_crypto_encrypt(key, msg, msg_len, CORP, &b64), 0);
	assert_int_equal(crypto_base64_decode(b64, strlen(b64), &ct, &ct_len), 0);
	assert_int_equal(ct_len, 20 + msg_len + strlen(CORP) + want_pad);
	assert_int_equal(ct_len % 32, 0);
	raw_cbc(key, 0, ct, ct_len, pt);
	for (size_t i = ct_len - want_pad; i < ct_len; i++)
		assert_int_equal(pt[i], want_pad);
	assert_int_equal(wecom_crypto_decrypt(key, b64, strlen(b64), CORP, &out, &out_len), 0);
	assert_int_equal(out_len, msg_len);
	assert_memory_equal(out, msg, msg_len);
	free(out);
	free(ct);
	free(b64);
}

static void test_padding_edges(void **state)
{
	uint8_t key[WECOM_KEY_LEN];

	(void)state;
	sample_key(key);
	/* 20 + len + 18 (CORP) bytes before padding. */
	check_pad(key, 25, 1);
	check_pad(key, 26, 32);   /* already aligned: a whole block of 0x20 */
	check_pad(key, 19, 7);
	check_pad(key, 28, 30);
	check_pad(key, 0, 26);
}

static void test_unpad(void **state)
{
	uint8_t buf[64];
	size_t n = 99;

	(void)state;
	memset(buf, 0x20, sizeof buf);
	assert_int_equal(crypto_pkcs7_unpad(buf, 32, WECOM_BLOCK, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(crypto_pkcs7_unpad(buf, 64, WECOM_BLOCK, &n), 0);
	assert_int_equal(n, 32);
	memset(buf, 'x', sizeof buf);
	buf[63] = 1;
	assert_int_equal(crypto_pkcs7_unpad(buf, 64, WECOM_BLOCK, &n), 0);
	assert_int_equal(n, 63);
	buf[63] = 0;
	assert_int_equal(crypto_pkcs7_unpad(buf, 64, WECOM_BLOCK, &n), -EBADMSG);
	buf[63] = 33;
	assert_int_equal(crypto_pkcs7_unpad(buf, 64, WECOM_BLOCK, &n), -EBADMSG);
	/* Every pad byte is checked, not just the last. */
	memset(buf + 57, 7, 7);
	buf[63] = 7;
	assert_int_equal(crypto_pkcs7_unpad(buf, 64, WECOM_BLOCK, &n), 0);
	assert_int_equal(n, 57);
	buf[57] = 6;
	assert_int_equal(crypto_pkcs7_unpad(buf, 64, WECOM_BLOCK, &n), -EBADMSG);
	buf[57] = 7;
	buf[60] = 8;
	assert_int_equal(crypto_pkcs7_unpad(buf, 64, WECOM_BLOCK, &n), -EBADMSG);
	assert_int_equal(crypto_pkcs7_unpad(buf, 0, WECOM_BLOCK, &n), -EBADMSG);
	assert_int_equal(crypto_pkcs7_unpad(buf, 48, WECOM_BLOCK, &n), -EBADMSG);
}

/* Encrypts an arbitrary plaintext (already a multiple of 32 bytes). */
static char *forge(const uint8_t *key, const uint8_t *pt, size_t len)
{
	uint8_t ct[256];
	char *b64;

	assert_true(len <= sizeof ct);
	raw_cbc(key, 1, pt, len, ct);
	assert_int_equal(crypto_base64_encode(ct, len, &b64), 0);
	return b64;
}

static void expect_bad(const uint8_t *key, const char *b64, int want)
{
	char *msg = (char *)1;
	size_t len = 1;

	assert_int_equal(wecom_crypto_decrypt(key, b64, strlen(b64), CORP, &msg, &len), want);
	assert_null(msg);
	assert_int_equal(len, 0);
}

static void test_decrypt_rejects(void **state)
{
	uint8_t key[WECOM_KEY_LEN], other[WECOM_KEY_LEN], pt[64];
	char *b64;

	(void)state;
	sample_key(key);
	expect_bad(key, "", -EBADMSG);
	expect_bad(key, "not base64!", -EBADMSG);
	expect_bad(key, "P9nAzCzyDtyTWESHep1vC5X9xho", -EBADMSG);      /* not a multiple of 4 */
	expect_bad(key, "AAAAAAAAAAAAAAAAAAAAAA==", -EBADMSG);          /* 16 bytes: half a block */
	/* Truncated by one block. */
	char trunc[sizeof M_ENC];
	uint8_t *ct;
	size_t ct_len;
	assert_int_equal(crypto_base64_decode(M_ENC, strlen(M_ENC), &ct, &ct_len), 0);
	assert_int_equal(crypto_base64_encode(ct, ct_len - 32, &b64), 0);
	snprintf(trunc, sizeof trunc, "%s", b64);
	free(b64);
	free(ct);
	expect_bad(key, trunc, -EBADMSG);

	/* Pad byte 0, and pad bytes that disagree. */
	memset(pt, 'a', sizeof pt);
	pt[63] = 0;
	b64 = forge(key, pt, 64);
	expect_bad(key, b64, -EBADMSG);
	free(b64);
	memset(pt + 40, 24, 24);
	pt[45] = 23;
	b64 = forge(key, pt, 64);
	expect_bad(key, b64, -EBADMSG);
	free(b64);

	/* Length field larger than what follows it. */
	memset(pt, 32, 64);
	memset(pt, 'r', 16);
	pt[16] = 0, pt[17] = 0, pt[18] = 0, pt[19] = 13;   /* 13 > 32 - 20 */
	b64 = forge(key, pt, 64);
	expect_bad(key, b64, -EBADMSG);
	free(b64);
	/* Only 20 bytes of plaintext: no room for anything. */
	memset(pt + 20, 12, 12);
	pt[19] = 0;
	b64 = forge(key, pt, 32);
	expect_bad(key, b64, -EBADMSG);
	free(b64);
	/* Length field 0xffffffff must not wrap around. */
	memset(pt, 'r', 32);
	memset(pt + 16, 0xff, 4);
	memset(pt + 32, 32, 32);
	b64 = forge(key, pt, 64);
	expect_bad(key, b64, -EBADMSG);
	free(b64);

	/* The wrong key garbles the padding of the sample. */
	memcpy(other, key, sizeof other);
	other[31] ^= 1;
	expect_bad(other, M_ENC, -EBADMSG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key),
		cmocka_unit_test(test_sign_samples),
		cmocka_unit_test(test_verify),
		cmocka_unit_test(test_decrypt_samples),
		cmocka_unit_test(test_encrypt_known_answer),
		cmocka_unit_test(test_padding_edges),
		cmocka_unit_test(test_unpad),
		cmocka_unit_test(test_decrypt_rejects),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
