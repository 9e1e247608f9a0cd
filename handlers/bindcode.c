/* Binding codes; see bindcode.h. */
#include "bindcode.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../lib/clock.h"
#include "../store/store_bind.h"
#include "../lib/crypto.h"

/* A fresh code colliding with a stored hash is drawn again; with 2^40
 * codes one retry is already unlikely. */
#define ISSUE_TRIES 3

/* 32 symbols, so a random byte masked to 5 bits picks one without bias. */
static const char alphabet[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

static int hash_code(const char code[BINDCODE_LEN], char hash[BINDCODE_HASH_LEN + 1])
{
	uint8_t digest[CRYPTO_SHA256_LEN];

	if (crypto_sha256(code, BINDCODE_LEN, digest) < 0)
		return -EIO;
	crypto_hex(digest, sizeof digest, hash);
	return 0;
}

int bindcode_new(char code[BINDCODE_LEN + 1], char hash[BINDCODE_HASH_LEN + 1])
{
	uint8_t r[BINDCODE_LEN];

	if (crypto_random(r, sizeof r) < 0)
		return -EIO;
	for (size_t i = 0; i < BINDCODE_LEN; i++)
		code[i] = alphabet[r[i] & 31];
	code[BINDCODE_LEN] = '\0';
	return hash_code(code, hash);
}

int bindcode_hash(const char *typed, char hash[BINDCODE_HASH_LEN + 1])
{
	char code[BINDCODE_LEN];
	size_t n = 0;

	for (const char *p = typed; *p; p++) {
		if (*p == ' ' || *p == '-')
			continue;
		char c = (char)toupper((unsigned char)*p);
		if (n == BINDCODE_LEN || !strchr(alphabet, c))
			return -EINVAL;
		code[n++] = c;
	}
	if (n != BINDCODE_LEN)
		return -EINVAL;
	return hash_code(code, hash);
}

/* Issues a code for the person (enterprise_id 0) or the enterprise. */
static int issue(struct store *st, const struct store_actor *who, int64_t person_id,
                 int64_t appointment_id, int64_t enterprise_id, int days, int64_t now,
                 char code[BINDCODE_LEN + 1], char expires[BINDCODE_EXPIRES_LEN])
{
	char hash[BINDCODE_HASH_LEN + 1], date[11];
	int64_t expires_at = now + (int64_t)days * 86400;
	/* Minute of the day in China Standard Time (times are never negative). */
	unsigned minute = (unsigned)((expires_at + 8 * 3600) % 86400 / 60);
	int rc = -EEXIST;

	for (int i = 0; i < ISSUE_TRIES && rc == -EEXIST; i++) {
		rc = bindcode_new(code, hash);
		if (rc == 0)
			rc = enterprise_id
			             ? store_bind_issue_enterprise(st, who, enterprise_id, hash,
			                                           expires_at, now)
			             : store_bind_issue(st, who, person_id, appointment_id, hash,
			                                expires_at, now);
	}
	if (rc < 0)
		return rc;
	clock_cst_date(expires_at, date);
	snprintf(expires, BINDCODE_EXPIRES_LEN, "%.10s %02u:%02u", date, minute / 60 % 24,
	         minute % 60);
	return 0;
}

int bindcode_issue(struct store *st, const struct store_actor *who, int64_t person_id,
                   int64_t appointment_id, int days, int64_t now,
                   char code[BINDCODE_LEN + 1], char expires[BINDCODE_EXPIRES_LEN])
{
	return issue(st, who, person_id, appointment_id, 0, days, now, code, expires);
}

int bindcode_issue_enterprise(struct store *st, const struct store_actor *who,
                              int64_t enterprise_id, int days, int64_t now,
                              char code[BINDCODE_LEN + 1], char expires[BINDCODE_EXPIRES_LEN])
{
	return enterprise_id ? issue(st, who, 0, 0, enterprise_id, days, now, code, expires)
	                     : -EINVAL;
}
