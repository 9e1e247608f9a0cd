/* The access-token cache; see tokens.h. */
#include "tokens.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/log.h"
#include "../lib/crypto.h"

struct waiter {
	struct waiter *next;
	tokens_fn cb;
	void *arg;
};

struct entry {
	struct entry *next;
	struct tokens *t;
	char *key;
	uint8_t fp[CRYPTO_SHA256_LEN];  /* of the fetch request: the credentials */
	char *token;                    /* NULL when none; wiped when dropped */
	uint64_t refresh_at;            /* uv_now() after which it is not handed out */
	uint64_t gen;                   /* counts fetches started */
	bool fetching;                  /* fetch `gen` is in flight, made with fp */
	int early_s;
	int (*parse)(const struct httpout_response *, char **, long *, struct send_result *);
	struct waiter *waiters, **tail;
};

/* One fetch in flight. Its answer is kept only if it is still the entry's
 * latest fetch with the entry's credentials: a reload may have changed them
 * meanwhile, and a token of the old app must not be filed under the new. */
struct fetch {
	struct entry *e;
	uint64_t gen;
};

struct tokens {
	uv_loop_t *loop;
	struct httpout *h;
	struct entry *entries;
};

static void drop_token(struct entry *e)
{
	if (e->token) {
		explicit_bzero(e->token, strlen(e->token));
		free(e->token);
		e->token = NULL;
	}
}

static int fingerprint(const struct token_fetch *f, uint8_t out[CRYPTO_SHA256_LEN])
{
	size_t ul = strlen(f->url), bl = f->body ? strlen(f->body) : 0;
	char *buf = malloc(ul + bl + 2);
	int rc;

	if (!buf)
		return -ENOMEM;
	buf[0] = (char)('0' + f->method);
	memcpy(buf + 1, f->url, ul + 1);
	if (bl)
		memcpy(buf + ul + 2, f->body, bl);
	rc = crypto_sha256(buf, ul + bl + 2, out);
	explicit_bzero(buf, ul + bl + 2);
	free(buf);
	return rc;
}

static struct entry *entry_get(struct tokens *t, const char *key)
{
	struct entry *e;

	for (e = t->entries; e; e = e->next)
		if (strcmp(e->key, key) == 0)
			return e;
	e = calloc(1, sizeof *e);
	if (!e || !(e->key = strdup(key))) {
		free(e);
		return NULL;
	}
	e->t = t;
	e->tail = &e->waiters;
	e->next = t->entries;
	t->entries = e;
	return e;
}

/* Milliseconds a token valid for expires_in seconds is handed out. */
static uint64_t lifetime_ms(long expires_in, int early_s)
{
	long keep = expires_in > 2L * early_s ? expires_in - early_s : expires_in / 2;

	return (uint64_t)(keep > 0 ? keep : 0) * 1000;
}

static void on_fetched(void *arg, const struct httpout_response *res)
{
	struct fetch *fx = arg;
	struct entry *e = fx->e;
	bool current = e->fetching && fx->gen == e->gen;
	struct send_result err = {0};
	struct waiter *w = e->waiters;
	char *token = NULL;
	long expires_in = 0;
	int rc;

	free(fx);
	if (current) {
		rc = e->parse(res, &token, &expires_in, &err);
	} else {
		log_info("access token for %s: fetched with credentials since replaced; dropped",
		         e->key);
		/* The fetch with the new credentials serves the waiters; when none
		 * could start, they are told to try again. */
		if (e->fetching || !w)
			return;
		err.outcome = SEND_TRANSIENT;
		snprintf(err.detail, sizeof err.detail, "credentials changed during the token fetch");
		rc = -EAGAIN;
	}
	e->fetching = false;
	e->waiters = NULL;
	e->tail = &e->waiters;
	if (rc == 0) {
		drop_token(e);
		e->token = token;
		e->refresh_at = uv_now(e->t->loop) + lifetime_ms(expires_in, e->early_s);
		log_info("access token for %s obtained, valid %ld s", e->key, expires_in);
	} else {
		log_warn("access token for %s: %s", e->key, err.detail);
	}
	/* The list was detached: callbacks may ask again and start a new fetch. */
	while (w) {
		struct waiter *next = w->next;

		if (rc == 0)
			w->cb(w->arg, e->token, NULL);
		else
			w->cb(w->arg, NULL, &err);
		free(w);
		w = next;
	}
}

int tokens_get(struct tokens *t, const struct token_fetch *f, const char *stale,
               const char **token, tokens_fn cb, void *arg)
{
	const char *headers[] = {"Content-Type: application/json; charset=utf-8", NULL};
	uint8_t fp[CRYPTO_SHA256_LEN];
	struct entry *e;
	struct waiter *w;
	int rc;

	*token = NULL;
	rc = fingerprint(f, fp);
	if (rc < 0)
		return rc;
	e = entry_get(t, f->key);
	if (!e)
		return -ENOMEM;
	if (memcmp(e->fp, fp, sizeof fp) != 0) {
		/* New credentials: the token in hand, and the answer of a fetch in
		 * flight, belong to the old ones. */
		drop_token(e);
		memcpy(e->fp, fp, sizeof fp);
		e->fetching = false;
	}
	if (e->token && uv_now(t->loop) < e->refresh_at && (!stale || strcmp(stale, e->token) != 0)) {
		*token = e->token;
		return 1;
	}
	w = calloc(1, sizeof *w);
	if (!w)
		return -ENOMEM;
	w->cb = cb;
	w->arg = arg;
	if (!e->fetching) {
		struct fetch *fx = malloc(sizeof *fx);
		struct httpout_req req = {
			.method = f->method, .url = f->url, .headers = headers, .body = f->body,
			.body_len = f->body ? strlen(f->body) : 0, .timeout_ms = f->timeout_ms,
			.ca_file = f->ca_file,
		};

		/* The token in hand is stale or expiring: nobody gets it again. */
		if (!fx) {
			free(w);
			return -ENOMEM;
		}
		drop_token(e);
		e->parse = f->parse;
		e->early_s = f->early_s;
		fx->e = e;
		fx->gen = ++e->gen;
		rc = httpout_request(t->h, &req, on_fetched, fx);
		if (rc < 0) {
			free(fx);
			free(w);
			return rc;
		}
		e->fetching = true;
	}
	*e->tail = w;
	e->tail = &w->next;
	return 0;
}

int tokens_open(uv_loop_t *loop, struct httpout *h, struct tokens **out)
{
	struct tokens *t = calloc(1, sizeof *t);

	*out = t;
	if (!t)
		return -ENOMEM;
	t->loop = loop;
	t->h = h;
	return 0;
}

void tokens_free(struct tokens *t)
{
	struct entry *e, *next;

	if (!t)
		return;
	for (e = t->entries; e; e = next) {
		next = e->next;
		drop_token(e);
		free(e->key);
		free(e);
	}
	free(t);
}
