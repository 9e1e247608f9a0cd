/*
 * Access tokens of the platform apps (WeCom gettoken, DingTalk
 * oauth2/accessToken, Feishu tenant_access_token), cached per instance.
 *
 * A token is reused until `early_s` before the expiry the platform gave
 * (half its lifetime when that is shorter), so a send never presents a token
 * about to lapse. Refreshes are single-flight: while one fetch is in flight,
 * every other request for that instance waits for it instead of starting its
 * own. A caller whose token was refused passes it as `stale` to get a
 * different one (the refresh-and-retry-once rule is the sender's). The
 * credentials are fingerprinted with the request that fetches the token, so
 * a reload that changes a secret or api_base drops the old token, and the
 * answer of a fetch made with the old credentials that is still in flight:
 * a new fetch starts with the new ones and serves every waiter.
 *
 * Tokens are secrets: they are never logged, and wiped when dropped.
 */
#ifndef CQOD_TOKENS_H
#define CQOD_TOKENS_H

#include <uv.h>

#include "httpout.h"
#include "../lib/platform.h"

struct tokens;

/* How to fetch one instance's token. Borrowed for the duration of the call. */
struct token_fetch {
	const char *key;            /* "platform/instance": cache key, and for logs */
	enum httpout_method method;
	const char *url;            /* holds credentials: never logged */
	const char *body;           /* POST body, or NULL */
	unsigned timeout_ms;
	const char *ca_file;        /* NULL: the system's bundle */
	int early_s;                /* refresh this long before expiry */
	/* Reads an answer: 0 with *token (caller frees) and *expires_in
	 * (seconds), or a negative value with *err filled in. */
	int (*parse)(const struct httpout_response *res, char **token, long *expires_in,
	             struct send_result *err);
};

/* token is borrowed for the call; err is NULL on success, token NULL on failure. */
typedef void (*tokens_fn)(void *arg, const char *token, const struct send_result *err);

/* *out is freed with tokens_free. 0 or -ENOMEM. */
int tokens_open(uv_loop_t *loop, struct httpout *h, struct tokens **out);

/* Returns 1 with *token (borrowed until the loop runs again) when a fresh
 * cached token other than `stale` (may be NULL) exists; 0 when cb will be
 * called later, exactly once, with a token or an error; or a negative errno
 * when no fetch could be started (cb is never called). */
int tokens_get(struct tokens *t, const struct token_fetch *f, const char *stale,
               const char **token, tokens_fn cb, void *arg);

/* Frees the cache. No fetch may be in flight: close the httpout first (its
 * cancellation completes them). */
void tokens_free(struct tokens *t);

#endif
