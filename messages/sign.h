/*
 * Signatures of the custom group robots, and percent-encoding for the query
 * strings they (and the token requests) go in.
 *
 *   DingTalk custom robot (PROTOCOLS.md §2.3): timestamp in milliseconds,
 *     sign = Base64(HMAC-SHA256(key = secret, msg = timestamp "\n" secret)),
 *     percent-encoded into the query.
 *   Feishu custom bot (§3.6): timestamp in seconds,
 *     sign = Base64(HMAC-SHA256(key = timestamp "\n" secret, msg = "")),
 *     put into the JSON body as is. Key and message are the other way round
 *     from DingTalk's; mixing them up is the classic bug.
 */
#ifndef CQOD_SIGN_H
#define CQOD_SIGN_H

#include <stdint.h>

#include "../lib/strbuf.h"

/* *out is the Base64 signature (caller frees). 0, -ENOMEM or -EIO. */
int sign_dingtalk_robot(const char *secret, int64_t ts_ms, char **out);
int sign_feishu_bot(const char *secret, int64_t ts_s, char **out);

/* Appends s with every byte outside A-Z a-z 0-9 - . _ ~ as %XX. */
void sign_urlencode(struct strbuf *sb, const char *s);

#endif
