/*
 * Shared by send.c and the per-platform senders send_<platform>.c; nothing
 * else should include this (use platform.h).
 *
 * A platform is a table of functions: which destination kinds it serves and
 * which need a token, how to fetch and read the token, how to build the HTTP
 * request for one body, and how to classify the answer. send.c runs the
 * common flow (token, rate token, request, refresh and retry once, result,
 * metrics).
 */
#ifndef CQOD_SEND_INTERNAL_H
#define CQOD_SEND_INTERNAL_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "../lib/config.h"
#include "httpout.h"
#include "../lib/platform.h"
#include "../messages/platforms.h"
#include "tokens.h"

#define SEND_CONTENT_TYPE "Content-Type: application/json; charset=utf-8"

/* One HTTP request of a send. Owned strings; free with send_http_free. */
struct send_http {
	enum httpout_method method;
	char *url;       /* may hold a key or token: never logged */
	char *body;      /* NULL: the rendered body as given */
	char *auth;      /* a header line carrying the token, or NULL */
};
void send_http_free(struct send_http *h);

/* The fields of a multipart upload (httpout_part: borrowed). */
#define SEND_FORM_MAX 4
struct send_form {
	struct httpout_part parts[SEND_FORM_MAX];
	size_t n;
};

/* The Content-Type of the files cqod sends (.xlsx). */
#define SEND_XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/* What an answer means beyond send_result. */
enum send_verdict {
	VERDICT_DONE = 0,           /* res is final */
	VERDICT_TOKEN_INVALID = 1,  /* refresh the token and retry once */
};

struct send_platform {
	/* The platform's codec row: its name (dest platform), instance and
	 * robot sections (DEST_ROBOT instances). */
	const struct platform_codec *codec;
	bool (*kind_ok)(enum dest_kind k);
	bool (*needs_token)(enum dest_kind k);
	/* Fills f (its url and body are returned in *url and *body: the caller frees them). */
	int (*token_fetch)(const struct config_instance *in, struct token_fetch *f, char **url,
	                   char **body);
	/* Builds the request for `body` to d; token is NULL when none is needed.
	 * -EINVAL with *why (static English) when the instance or destination
	 * cannot be used, -ENOMEM. */
	int (*build)(const struct config_instance *in, const struct dest *d, const char *body,
	             const char *token, struct send_http *out, const char **why);
	enum send_verdict (*classify)(const struct dest *d, const struct httpout_response *r,
	                              struct send_result *res);
	/* Optional (sender_bot_fetch): the request for the bot's own id with
	 * the app's token, and the id in an answer `classify` found ok: 0 and
	 * *id (caller frees), or -EINVAL when it holds none, -ENOMEM. */
	int (*bot_build)(const struct config_instance *in, const char *token, struct send_http *out);
	int (*bot_read)(const struct httpout_response *r, char **id);
	/* Optional (sender_upload; all three or none): the upload of file
	 * `name` (data, len) for d with the token into out (url, auth) and
	 * form (its parts borrow name and data); the media id in an answer
	 * that classified ok (caller frees; NULL when there is none); and the
	 * file message's body (caller frees; NULL on ENOMEM). */
	int (*upload_build)(const struct config_instance *in, const struct dest *d,
	                    const char *token, const char *name, const char *data, size_t len,
	                    struct send_http *out, struct send_form *form);
	char *(*media_read)(const struct httpout_response *r);
	char *(*file_body)(const struct dest *d, const char *media_id, const char *name);
	/* Optional: classifies the upload's answer when `classify` cannot
	 * (another host's answers); NULL: classify does. */
	enum send_verdict (*upload_classify)(const struct dest *d, const struct httpout_response *r,
	                                     struct send_result *res);
};

extern const struct send_platform send_wecom, send_dingtalk, send_feishu;

/* The transport rows' pacing (transports.h): WeCom's 30 a minute and 1,000
 * an hour per member of an app (its groups and robots go by the group
 * robots' rate); Feishu's
 * per chat or user a second, and its custom bot's a minute as well. */
unsigned send_wecom_pace_ms(const struct config *cfg, const struct dest *d);
unsigned send_feishu_pace_ms(const struct config *cfg, const struct dest *d);
/* Feishu's app-wide limit on sending messages (1,000 a minute and 50 a
 * second per app: the minute's spacing keeps within both); its custom bots
 * are not the app. */
unsigned send_feishu_app_pace_ms(const struct config *cfg, const struct dest *d);

/* Fills res (detail formatted, cut to fit). */
void send_result_set(struct send_result *res, enum send_outcome outcome, int retry_after_s,
                     long http_status, long code, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* The common part of classifying: a failed exchange (no HTTP answer) or an
 * HTTP 5xx is transient; returns true when it decided. */
bool send_classify_http(const struct httpout_response *r, struct send_result *res);

/* Copies a platform's message into buf for `detail`: printable ASCII only,
 * cut to len - 1 bytes; "" for NULL. */
const char *send_clean_msg(const char *msg, char *buf, size_t len);

/* Seconds until the next full minute by clock_now(), at least 1. */
int send_until_next_minute(void);

/* The value of `key` of `in` (a base URL), or `def` when unset, without a
 * trailing '/'. Caller frees; NULL on ENOMEM. */
char *send_base(const struct config_instance *in, const char *key, const char *def);

/* The file upload WeCom and DingTalk's oapi share: a POST to base + path
 * + the URL-encoded token (base from the instance's base_key, else
 * base_def; path ends in "access_token="), the file as the "media" part.
 * out->url is the caller's to free. 0 or -ENOMEM. */
int send_media_upload(const struct config_instance *in, const char *base_key,
                      const char *base_def, const char *path, const char *token,
                      const char *name, const char *data, size_t len, struct send_http *out,
                      struct send_form *form);

/* The "media_id" of their upload's answer; caller frees, NULL when absent. */
char *send_media_id(const struct httpout_response *r);

/* The credential exchange DingTalk and Feishu share: f becomes a POST to
 * base + path (base from the instance's api_base, else base_def) with the
 * body {"<id_json>": <instance's id_key>, "<secret_json>": <its secret_key>}.
 * *url and *body hold what f points at (caller frees both, also on error).
 * 0 or -ENOMEM. */
int send_token_post(const struct config_instance *in, const char *base_def, const char *path,
                    const char *id_json, const char *id_key, const char *secret_json,
                    const char *secret_key, struct token_fetch *f, char **url, char **body);

/* body (a JSON object) with `fields` ("\"a\":1,...") inserted first. The
 * renderers leave out what comes from the instance (agentid, robotCode, the
 * bot signature) so stored bodies hold no configuration. Caller frees; NULL
 * when body is not an object or on ENOMEM. */
char *send_splice(const char *body, const char *fields);

/* s as a quoted, escaped JSON string. Caller frees; NULL on ENOMEM. */
char *send_json_quote(const char *s);

/* The answer's body as JSON (caller deletes), or NULL when it is not JSON. */
cJSON *send_json_parse(const struct httpout_response *r);
/* Number member `name` of o as a long; false when absent or not a number. */
bool send_json_long(const cJSON *o, const char *name, long *out);
/* String member `name` of o, or NULL. Borrowed from o. */
const char *send_json_str(const cJSON *o, const char *name);

#endif
