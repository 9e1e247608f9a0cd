/*
 * Query-string parameters of a webhook URL (WeCom's msg_signature, timestamp,
 * nonce, echostr). Only %XX escapes are decoded: '+' stays '+', because
 * echostr is Base64 and form-style decoding would turn its '+' into a space.
 */
#ifndef CQOD_URLQUERY_H
#define CQOD_URLQUERY_H

/* The value of the first `name=` parameter of `query` (the raw text after
 * '?'), percent-decoded into *out (NUL-terminated; caller frees). Returns 0,
 * -ENOENT (absent), -EINVAL (a malformed %-escape, or one that decodes to NUL)
 * or -ENOMEM. */
int urlquery_get(const char *query, const char *name, char **out);

#endif
