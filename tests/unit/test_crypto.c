/* messages/crypto.c: Base64 (RFC 4648 vectors, strict decoding, WeCom's
 * 43-character EncodingAESKey form) and the HMAC/hex helpers it sits next to. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/crypto.h"

static const struct {
	const char *plain, *b64;
} vectors[] = {
	{"", ""},           {"f", "Zg=="},         {"fo", "Zm8="},         {"foo", "Zm9v"},
	{"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"},
};

static void test_rfc4648_vectors(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
		const char *p = vectors[i].plain, *b = vectors[i].b64;
		uint8_t *dec;
		size_t n;
		char *enc;

		assert_int_equal(crypto_base64_encode((const uint8_t *)p, strlen(p), &enc), 0);
		assert_string_equal(enc, b);
		free(enc);
		assert_int_equal(crypto_base64_decode(b, strlen(b), &dec, &n), 0);
		assert_non_null(dec);
		assert_int_equal(n, strlen(p));
		assert_memory_equal(dec, p, n);
		free(dec);
	}
}

static void test_binary_round_trip(void **state)
{
	uint8_t in[256], *dec;
	size_t n;
	char *enc;

	(void)state;
	for (size_t i = 0; i < sizeof in; i++)
		in[i] = (uint8_t)(255 - i);
	for (size_t len = 0; len <= sizeof in; len += 37) {
		assert_int_equal(crypto_base64_encode(in, len, &enc), 0);
		assert_int_equal(strlen(enc), (len + 2) / 3 * 4);
		assert_int_equal(crypto_base64_decode(enc, strlen(enc), &dec, &n), 0);
		assert_int_equal(n, len);
		assert_memory_equal(dec, in, len);
		free(dec);
		free(enc);
	}
	/* "+" and "/" both appear in this encoding. */
	const uint8_t hi[] = {0xfb, 0xff, 0xbf};
	assert_int_equal(crypto_base64_encode(hi, sizeof hi, &enc), 0);
	assert_string_equal(enc, "+/+/");
	free(enc);
}

static void test_decode_rejects(void **state)
{
	static const char *const bad[] = {
		"Zg=",      /* length not a multiple of 4 */
		"Zg",       /* unpadded */
		"Zm9v\n",   /* whitespace */
		" Zm9v",    /* leading whitespace */
		"Zm 9",     /* inner space */
		"Zm-_",     /* URL-safe alphabet */
		"Z===",     /* three padding characters */
		"====",     /* nothing but padding */
		"Zg==Zg==", /* padding in the middle */
		"Z=g=",     /* padding before data */
		"Zm9\x80",  /* a non-ASCII byte */
	};
	uint8_t *dec = (uint8_t *)"x";
	size_t n = 7;

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(crypto_base64_decode(bad[i], strlen(bad[i]), &dec, &n), -EINVAL);
		assert_null(dec);
		assert_int_equal(n, 0);
	}
	/* The length given is what is decoded, not up to a NUL. */
	assert_int_equal(crypto_base64_decode("Zm9v\0Zm9v", 9, &dec, &n), -EINVAL);
	assert_int_equal(crypto_base64_decode("Zm9vYmFy", 4, &dec, &n), 0);
	assert_int_equal(n, 3);
	assert_memory_equal(dec, "foo", 3);
	free(dec);
}

/* WeCom's EncodingAESKey: 43 characters, decoded with "=" appended to a
 * 32-byte AES key even when the last character carries non-zero spare bits. */
static void test_wecom_aes_key(void **state)
{
	static const char key[] = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG=";
	uint8_t *dec;
	size_t n;

	(void)state;
	assert_int_equal(strlen(key), 44);
	assert_int_equal(crypto_base64_decode(key, strlen(key), &dec, &n), 0);
	assert_int_equal(n, 32);
	assert_int_equal(dec[0], 0x69);
	assert_int_equal(dec[1], 0xb7);
	free(dec);
}

static void test_hmac_and_hex(void **state)
{
	/* RFC 4231 test case 2. */
	static const char want[] =
		"5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
	uint8_t mac[CRYPTO_SHA256_LEN], back[CRYPTO_SHA256_LEN];
	char hex[2 * CRYPTO_SHA256_LEN + 1];

	(void)state;
	assert_int_equal(crypto_hmac_sha256("Jefe", 4, "what do ya want for nothing?", 28, mac), 0);
	crypto_hex(mac, sizeof mac, hex);
	assert_string_equal(hex, want);
	assert_int_equal(crypto_unhex(hex, strlen(hex), back, sizeof back), 0);
	assert_true(crypto_equal(mac, back, sizeof mac));
}

/* Feishu's 16-byte blocks (WeCom's 32 are in test_wecom_crypto.c). */
static void test_pkcs7_unpad_16(void **state)
{
	uint8_t buf[32];
	size_t n = 99;

	(void)state;
	memset(buf, 'x', sizeof buf);
	memset(buf + 16, 16, 16);
	assert_int_equal(crypto_pkcs7_unpad(buf, 32, 16, &n), 0);
	assert_int_equal(n, 16);
	buf[31] = 3;
	buf[29] = buf[30] = 3;
	assert_int_equal(crypto_pkcs7_unpad(buf, 32, 16, &n), 0);
	assert_int_equal(n, 29);
	buf[29] = 4;
	assert_int_equal(crypto_pkcs7_unpad(buf, 32, 16, &n), -EBADMSG);
	buf[31] = 17;
	assert_int_equal(crypto_pkcs7_unpad(buf, 32, 16, &n), -EBADMSG);
	buf[31] = 0;
	assert_int_equal(crypto_pkcs7_unpad(buf, 32, 16, &n), -EBADMSG);
	assert_int_equal(crypto_pkcs7_unpad(buf, 24, 16, &n), -EBADMSG);
	assert_int_equal(crypto_pkcs7_unpad(buf, 0, 16, &n), -EBADMSG);
	assert_int_equal(n, 29);   /* untouched on failure */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc4648_vectors),
		cmocka_unit_test(test_binary_round_trip),
		cmocka_unit_test(test_decode_rejects),
		cmocka_unit_test(test_wecom_aes_key),
		cmocka_unit_test(test_hmac_and_hex),
		cmocka_unit_test(test_pkcs7_unpad_16),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
