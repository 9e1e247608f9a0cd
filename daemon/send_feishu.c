/*
 * Feishu / Lark (PROTOCOLS.md §3.5-3.6): tenant_access_token/internal (POST
 * {"app_id","app_secret"}), then im/v1/messages?receive_id_type= (DEST_USER,
 * DEST_CHAT), im/v1/messages/<id>/reply (DEST_REPLY) or PATCH
 * im/v1/messages/<id> (DEST_CARD: a sent card shown anew) with
 * "Authorization: Bearer <token>"; the bot's own open_id comes from GET
 * bot/v3/info with the same token (sender_bot_fetch). The custom bot
 * ([feishu_bot:NAME]) posts to bot/v2/hook/<hook_id> with no token; with a
 * secret, "timestamp" (seconds) and "sign" go into the body.
 *
 * The token is refreshed 3 minutes before it expires, as the Node SDK does
 * (asking again within 30 minutes of expiry returns a new token).
 *
 * Answers carry "code" (the custom bot's older answers "StatusCode"):
 *   0 ok
 *   99991663 invalid/expired token, 99991677 token expired, 99991661 token
 *     missing, 99991668 invalid token (sources disagree whether it is also
 *     a permission error): refresh and retry once
 *   HTTP 429 (gateway), 99991400 (app rate limit, HTTP 400), 11232 (message
 *     rate), 230020 (per chat rate): wait x-ogw-ratelimit-reset seconds when
 *     the gateway says so, else a short while
 *   anything else, e.g. 19021 bad signature, 19022 IP not allowed, 19024
 *     keyword missing, 9499 bad request: permanent (5xx: transient)
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/clock.h"
#include "outbox_policy.h"
#include "send_internal.h"
#include "../messages/sign.h"

#define FEISHU_API "https://open.feishu.cn"
#define EARLY_S 180
#define RATE_WAIT_S 1
#define RATE_WAIT_MAX_S 3600
#define BOT_ID_MAX 256

static bool kind_ok(enum dest_kind k)
{
	return k == DEST_USER || k == DEST_CHAT || k == DEST_ROBOT || k == DEST_REPLY ||
	       k == DEST_CARD;
}

static bool needs_token(enum dest_kind k)
{
	return k == DEST_USER || k == DEST_CHAT || k == DEST_REPLY || k == DEST_CARD;
}

static bool token_code(long code)
{
	return code == 99991663 || code == 99991677 || code == 99991661 || code == 99991668;
}

static bool rate_code(long code)
{
	return code == 99991400 || code == 11232 || code == 230020;
}

/* Seconds the gateway asks us to wait, or the default. */
static int rate_wait(const struct httpout_response *r)
{
	const char *v = httpout_response_header(r, "x-ogw-ratelimit-reset");
	char *end;
	long s;

	if (!v)
		return RATE_WAIT_S;
	s = strtol(v, &end, 10);
	if (end == v || s < 1)
		return RATE_WAIT_S;
	return s > RATE_WAIT_MAX_S ? RATE_WAIT_MAX_S : (int)s;
}

/* code of an answer; false when the body has none. */
static bool answer_code(const cJSON *root, long *code)
{
	return root && (send_json_long(root, "code", code) || send_json_long(root, "StatusCode", code));
}

/* Outcome of an answer that is not a success or a token problem. */
static void failure(const struct httpout_response *r, const cJSON *root, bool has_code,
                    long code, struct send_result *res)
{
	char clean[96];

	send_clean_msg(root ? send_json_str(root, "msg") : NULL, clean, sizeof clean);
	if (has_code && strcasestr(clean, "file_key")) {
		/* A file message whose key is refused (expired, or not this
		 * bot's): upload the file again. Feishu's codes for it are not
		 * listed in one place; its message names the key. */
		send_result_set(res, SEND_TRANSIENT, 0, r->status, code, "feishu code %ld: %s", code,
		                clean);
		res->media_invalid = true;
	} else if (r->status == 429 || (has_code && rate_code(code)))
		send_result_set(res, SEND_RATE_LIMITED, rate_wait(r), r->status, code,
		                "feishu code %ld: %s", code, clean);
	else if (has_code)
		send_result_set(res, SEND_PERMANENT, 0, r->status, code, "feishu code %ld: %s", code,
		                clean);
	else
		send_result_set(res, r->status >= 400 ? SEND_PERMANENT : SEND_TRANSIENT, 0, r->status,
		                0, "unexpected answer (HTTP %ld)", r->status);
}

static int parse_token(const struct httpout_response *r, char **token, long *expires_in,
                       struct send_result *err)
{
	cJSON *root;
	const char *tok;
	bool has_code;
	long code = 0;

	if (send_classify_http(r, err))
		return -EIO;
	root = send_json_parse(r);
	has_code = answer_code(root, &code);
	tok = root ? send_json_str(root, "tenant_access_token") : NULL;
	if (r->status == 200 && has_code && code == 0 && tok && *tok &&
	    send_json_long(root, "expire", expires_in) && *expires_in > 0) {
		*token = strdup(tok);
		cJSON_Delete(root);
		if (!*token) {
			send_result_set(err, SEND_TRANSIENT, 0, r->status, 0, "out of memory");
			return -ENOMEM;
		}
		return 0;
	}
	if (has_code && code == 0)
		send_result_set(err, SEND_TRANSIENT, 0, r->status, 0,
		                "tenant_access_token: unexpected answer");
	else
		failure(r, root, has_code, code, err);
	cJSON_Delete(root);
	return -EIO;
}

static int token_fetch(const struct config_instance *in, struct token_fetch *f, char **url,
                       char **body)
{
	int rc = send_token_post(in, FEISHU_API, "/open-apis/auth/v3/tenant_access_token/internal",
	                         "app_id", "app_id", "app_secret", "app_secret", f, url, body);
	f->early_s = EARLY_S;
	f->parse = parse_token;
	return rc;
}

/* receive_id_type for a DEST_USER target: open ids start "ou_", union ids
 * "on_"; an address is an email; anything else is a user_id. */
static const char *user_id_type(const char *target)
{
	if (strncmp(target, "ou_", 3) == 0)
		return "open_id";
	if (strncmp(target, "on_", 3) == 0)
		return "union_id";
	if (strchr(target, '@'))
		return "email";
	return "user_id";
}

static int build_bot(const struct config_instance *in, const char *body, struct send_http *out,
                     const char **why)
{
	const char *secret = config_instance_get(in, "secret");
	char *base = send_base(in, "api_base", FEISHU_API);
	struct strbuf sb;

	if (!base)
		return -ENOMEM;
	strbuf_init(&sb);
	strbuf_appends(&sb, base);
	strbuf_appends(&sb, "/open-apis/bot/v2/hook/");
	sign_urlencode(&sb, config_instance_get(in, "hook_id"));
	free(base);
	out->url = strbuf_detach(&sb);
	if (!out->url)
		return -ENOMEM;
	if (secret) {
		int64_t ts = clock_now();
		char *sig, *fields = NULL;
		int rc = sign_feishu_bot(secret, ts, &sig);

		if (rc < 0)
			return rc;
		if (asprintf(&fields, "\"timestamp\":\"%" PRId64 "\",\"sign\":\"%s\"", ts, sig) < 0)
			fields = NULL;
		free(sig);
		if (!fields)
			return -ENOMEM;
		out->body = send_splice(body, fields);
		free(fields);
		if (!out->body) {
			*why = "the body is not a JSON object";
			return -EINVAL;
		}
	}
	return 0;
}

static int build(const struct config_instance *in, const struct dest *d, const char *body,
                 const char *token, struct send_http *out, const char **why)
{
	char *base;
	struct strbuf sb;

	out->method = HTTPOUT_POST;
	if (d->kind == DEST_ROBOT)
		return build_bot(in, body, out, why);
	base = send_base(in, "api_base", FEISHU_API);
	if (!base)
		return -ENOMEM;
	strbuf_init(&sb);
	strbuf_appends(&sb, base);
	free(base);
	if (d->kind == DEST_REPLY || d->kind == DEST_CARD) {
		strbuf_appends(&sb, "/open-apis/im/v1/messages/");
		sign_urlencode(&sb, d->target);
		if (d->kind == DEST_REPLY)
			strbuf_appends(&sb, "/reply");
		else
			out->method = HTTPOUT_PATCH;
	} else {
		strbuf_appendf(&sb, "/open-apis/im/v1/messages?receive_id_type=%s",
		               d->kind == DEST_CHAT ? "chat_id" : user_id_type(d->target));
	}
	out->url = strbuf_detach(&sb);
	if (!out->url || asprintf(&out->auth, "Authorization: Bearer %s", token) < 0) {
		out->auth = NULL;
		return -ENOMEM;
	}
	return 0;
}

static enum send_verdict classify(const struct dest *d, const struct httpout_response *r,
                                  struct send_result *res)
{
	enum send_verdict v = VERDICT_DONE;
	cJSON *root;
	bool has_code;
	long code = 0;

	if (send_classify_http(r, res))
		return VERDICT_DONE;
	root = send_json_parse(r);
	has_code = answer_code(root, &code);
	if (has_code && code == 0 && r->status < 300) {
		const char *id = send_json_str(cJSON_GetObjectItemCaseSensitive(root, "data"),
		                               "message_id");

		send_result_set(res, SEND_OK, 0, r->status, 0, "ok");
		if (id && strlen(id) < sizeof res->message_id)
			memcpy(res->message_id, id, strlen(id) + 1);
	} else if (has_code && token_code(code) && needs_token(d->kind)) {
		send_result_set(res, SEND_TRANSIENT, 0, r->status, code, "feishu code %ld", code);
		v = VERDICT_TOKEN_INVALID;
	} else {
		failure(r, root, has_code, code, res);
	}
	cJSON_Delete(root);
	return v;
}

/* GET bot/v3/info: {"code":0,"bot":{"open_id":"ou_...","app_name":...}}. */
static int bot_build(const struct config_instance *in, const char *token, struct send_http *out)
{
	char *base = send_base(in, "api_base", FEISHU_API);

	out->method = HTTPOUT_GET;
	if (!base || asprintf(&out->url, "%s/open-apis/bot/v3/info", base) < 0)
		out->url = NULL;
	free(base);
	if (!out->url || asprintf(&out->auth, "Authorization: Bearer %s", token) < 0) {
		out->auth = NULL;
		return -ENOMEM;
	}
	return 0;
}

static int bot_read(const struct httpout_response *r, char **id)
{
	cJSON *root = send_json_parse(r);
	const char *open_id = send_json_str(cJSON_GetObjectItemCaseSensitive(root, "bot"), "open_id");
	int rc = -EINVAL;

	*id = NULL;
	if (open_id && *open_id && strlen(open_id) <= BOT_ID_MAX)
		rc = (*id = strdup(open_id)) ? 0 : -ENOMEM;
	cJSON_Delete(root);
	return rc;
}

unsigned send_feishu_pace_ms(const struct config *cfg, const struct dest *d)
{
	unsigned per_second = outbox_spacing_ms(1000, cfg->outbox_feishu_per_second);
	unsigned per_minute;

	if (d->kind != DEST_ROBOT)
		return per_second;
	per_minute = outbox_spacing_ms(60000, cfg->outbox_feishu_bot_per_minute);
	return per_minute > per_second ? per_minute : per_second;
}

unsigned send_feishu_app_pace_ms(const struct config *cfg, const struct dest *d)
{
	return needs_token(d->kind) ? outbox_spacing_ms(60000, cfg->outbox_feishu_app_per_minute) : 0;
}

/* im/v1/files: the multipart fields file_type (xls: Excel), file_name and
 * the file; answered {"code":0,"data":{"file_key":"file_v2_..."}}. */
static int upload_build(const struct config_instance *in, const struct dest *d,
                        const char *token, const char *name, const char *data, size_t len,
                        struct send_http *out, struct send_form *form)
{
	char *base = send_base(in, "api_base", FEISHU_API);

	(void)d;
	out->method = HTTPOUT_POST;
	if (!base || asprintf(&out->url, "%s/open-apis/im/v1/files", base) < 0)
		out->url = NULL;
	free(base);
	if (!out->url || asprintf(&out->auth, "Authorization: Bearer %s", token) < 0) {
		out->auth = NULL;
		return -ENOMEM;
	}
	form->parts[0] = (struct httpout_part){"file_type", NULL, NULL, "xls", 3};
	form->parts[1] = (struct httpout_part){"file_name", NULL, NULL, name, strlen(name)};
	form->parts[2] = (struct httpout_part){"file", name, SEND_XLSX_TYPE, data, len};
	form->n = 3;
	return 0;
}

static char *media_read(const struct httpout_response *r)
{
	cJSON *root = send_json_parse(r);
	const char *key = send_json_str(cJSON_GetObjectItemCaseSensitive(root, "data"), "file_key");
	char *out = key ? strdup(key) : NULL;

	cJSON_Delete(root);
	return out;
}

/* {"receive_id","msg_type":"file","content":"{\"file_key\":...}"}; build
 * puts receive_id_type in the query. */
static char *file_body(const struct dest *d, const char *media_id, const char *name)
{
	cJSON *content = cJSON_CreateObject(), *o = cJSON_CreateObject();
	char *text = NULL, *out = NULL;

	(void)name;
	if (content && cJSON_AddStringToObject(content, "file_key", media_id))
		text = cJSON_PrintUnformatted(content);
	if (o && text && cJSON_AddStringToObject(o, "receive_id", d->target) &&
	    cJSON_AddStringToObject(o, "msg_type", "file") &&
	    cJSON_AddStringToObject(o, "content", text))
		out = cJSON_PrintUnformatted(o);
	cJSON_free(text);
	cJSON_Delete(content);
	cJSON_Delete(o);
	return out;
}

const struct send_platform send_feishu = {
	.codec = &platform_feishu,
	.kind_ok = kind_ok,
	.needs_token = needs_token,
	.token_fetch = token_fetch,
	.build = build,
	.classify = classify,
	.bot_build = bot_build,
	.bot_read = bot_read,
	.upload_build = upload_build,
	.media_read = media_read,
	.file_body = file_body,
};
