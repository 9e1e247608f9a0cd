/*
 * DingTalk (PROTOCOLS.md §2.2-2.3). Two hosts:
 *   api.dingtalk.com (api_base): the token, POST v1.0/oauth2/accessToken
 *     {"appKey","appSecret"} -> {"accessToken","expireIn"}, and the robot
 *     OpenAPI: DEST_USER robot/oToMessages/batchSend, DEST_CHAT
 *     robot/groupMessages/send, with header x-acs-dingtalk-access-token and
 *     the instance's robotCode (robot_code, or app_key when unset) added to
 *     the body. Errors come as HTTP 4xx/5xx {"code","message"}: 401 or code
 *     InvalidAuthentication means the token is bad (refresh, retry once);
 *     429 or a throttling code means wait; other 4xx are permanent. A 200
 *     answer may still list the user in flowControlledStaffIdList (rate
 *     limited) or invalidStaffIdList (unknown user) [the API reference's
 *     field names; behaviour not confirmed against a live endpoint].
 *     Interactive cards (an instance with card_template_id; bodies from
 *     render_dingtalk): a DEST_USER or DEST_CHAT body naming an
 *     outTrackId goes to card/instances/createAndDeliver with the
 *     instance's cardTemplateId and, in its deliver model, robotCode;
 *     DEST_CARD is PUT card/instances (a card shown anew). Both answer
 *     {"success":true,"result":...}; createAndDeliver's result names the
 *     outTrackId (kept as the message id: an event's card is updated by
 *     it) and a deliverResults entry per space, whose success false is a
 *     permanent failure.
 *   oapi.dingtalk.com (oapi_base): DEST_SESSION posts to the
 *     sessionWebhook URL itself, which must lie under oapi_base so a forged
 *     message cannot make us post elsewhere; the custom robot
 *     ([dingtalk_robot:NAME]) posts to robot/send?access_token=, signed with
 *     timestamp (ms) and sign when it has a secret. Answers are HTTP 200
 *     with errcode: 0 ok; 130101 too fast, the robot is throttled for 10
 *     minutes; 90030 and -1 transient; anything else (310000 security
 *     check, 300005 unknown token, ...) permanent.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/clock.h"
#include "send_internal.h"
#include "../messages/sign.h"

#define DINGTALK_API "https://api.dingtalk.com"
#define DINGTALK_OAPI "https://oapi.dingtalk.com"
#define EARLY_S 300
#define ROBOT_BAN_S 600
#define THROTTLE_WAIT_S 1

static bool kind_ok(enum dest_kind k)
{
	return k == DEST_USER || k == DEST_CHAT || k == DEST_ROBOT || k == DEST_SESSION ||
	       k == DEST_CARD;
}

static bool needs_token(enum dest_kind k)
{
	return k == DEST_USER || k == DEST_CHAT || k == DEST_CARD;
}

/* Throttling codes of the v1.0 gateway, e.g. Forbidden.AccessDenied.QpsLimitForApi
 * [seen in community clients, not in the reference]. */
static bool throttled(const char *code)
{
	return code && (strstr(code, "QpsLimit") || strstr(code, "QpmLimit") ||
	                strstr(code, "Throttling"));
}

/* An error answer of the v1.0 API (HTTP >= 400). */
static enum send_verdict v1_error(const struct httpout_response *r, const cJSON *root,
                                  bool token_kind, struct send_result *res)
{
	const char *code = root ? send_json_str(root, "code") : NULL;
	char clean_code[64], clean_msg[80];

	send_clean_msg(code, clean_code, sizeof clean_code);
	send_clean_msg(root ? send_json_str(root, "message") : NULL, clean_msg, sizeof clean_msg);
	if (token_kind && (r->status == 401 || (code && strcmp(code, "InvalidAuthentication") == 0))) {
		send_result_set(res, SEND_TRANSIENT, 0, r->status, 0, "dingtalk %s", clean_code);
		return VERDICT_TOKEN_INVALID;
	}
	if (r->status == 429 || throttled(code))
		send_result_set(res, SEND_RATE_LIMITED, THROTTLE_WAIT_S, r->status, 0,
		                "dingtalk %s: %s", clean_code, clean_msg);
	else
		send_result_set(res, SEND_PERMANENT, 0, r->status, 0, "dingtalk HTTP %ld %s: %s",
		                r->status, clean_code, clean_msg);
	return VERDICT_DONE;
}

static int parse_token(const struct httpout_response *r, char **token, long *expires_in,
                       struct send_result *err)
{
	cJSON *root;
	const char *tok;

	if (send_classify_http(r, err))
		return -EIO;
	root = send_json_parse(r);
	if (r->status >= 400) {
		v1_error(r, root, false, err);
		cJSON_Delete(root);
		return -EIO;
	}
	tok = root ? send_json_str(root, "accessToken") : NULL;
	if (!tok || !*tok || !send_json_long(root, "expireIn", expires_in) || *expires_in <= 0) {
		send_result_set(err, SEND_TRANSIENT, 0, r->status, 0, "accessToken: unexpected answer");
		cJSON_Delete(root);
		return -EIO;
	}
	*token = strdup(tok);
	cJSON_Delete(root);
	if (!*token) {
		send_result_set(err, SEND_TRANSIENT, 0, r->status, 0, "out of memory");
		return -ENOMEM;
	}
	return 0;
}

static int token_fetch(const struct config_instance *in, struct token_fetch *f, char **url,
                       char **body)
{
	int rc = send_token_post(in, DINGTALK_API, "/v1.0/oauth2/accessToken", "appKey", "app_key",
	                         "appSecret", "app_secret", f, url, body);
	f->early_s = EARLY_S;
	f->parse = parse_token;
	return rc;
}

static int build_session(const struct config_instance *in, const struct dest *d,
                         struct send_http *out, const char **why)
{
	char *base = send_base(in, "oapi_base", DINGTALK_OAPI);
	size_t n;
	bool under;

	if (!base)
		return -ENOMEM;
	n = strlen(base);
	under = strncmp(d->target, base, n) == 0 && d->target[n] == '/';
	free(base);
	if (!under || strpbrk(d->target, " \t\r\n")) {
		*why = "sessionWebhook is not under oapi_base";
		return -EINVAL;
	}
	if (d->expires_at && clock_now() >= d->expires_at) {
		*why = "sessionWebhook expired";
		return -EINVAL;
	}
	out->url = strdup(d->target);
	return out->url ? 0 : -ENOMEM;
}

static int build_robot(const struct config_instance *in, struct send_http *out)
{
	char *base = send_base(in, "api_base", DINGTALK_OAPI);
	const char *secret = config_instance_get(in, "secret");
	struct strbuf sb;
	int rc = 0;

	if (!base)
		return -ENOMEM;
	strbuf_init(&sb);
	strbuf_appends(&sb, base);
	strbuf_appends(&sb, "/robot/send?access_token=");
	sign_urlencode(&sb, config_instance_get(in, "access_token"));
	free(base);
	if (secret) {
		int64_t ts = clock_now() * 1000;
		char *sig;

		rc = sign_dingtalk_robot(secret, ts, &sig);
		if (rc == 0) {
			strbuf_appendf(&sb, "&timestamp=%" PRId64 "&sign=", ts);
			sign_urlencode(&sb, sig);
			free(sig);
		}
	}
	out->url = strbuf_detach(&sb);
	if (rc < 0) {
		free(out->url);
		out->url = NULL;
		return rc;
	}
	return out->url ? 0 : -ENOMEM;
}

static int build_openapi(const struct config_instance *in, const struct dest *d,
                         const char *body, const char *token, struct send_http *out,
                         const char **why)
{
	const char *code = config_instance_get(in, "robot_code");
	char *base = send_base(in, "api_base", DINGTALK_API);
	char *quoted = send_json_quote(code ? code : config_instance_get(in, "app_key"));
	char *field = NULL;

	if (base && quoted && asprintf(&field, "\"robotCode\":%s", quoted) < 0)
		field = NULL;
	if (field && asprintf(&out->url, "%s/v1.0/robot/%s", base,
	                      d->kind == DEST_USER ? "oToMessages/batchSend"
	                                           : "groupMessages/send") < 0)
		out->url = NULL;
	if (out->url && asprintf(&out->auth, "x-acs-dingtalk-access-token: %s", token) < 0)
		out->auth = NULL;
	if (out->auth) {
		out->body = send_splice(body, field);
		if (!out->body)
			*why = "the body is not a JSON object";
	}
	free(base);
	free(quoted);
	free(field);
	if (!out->auth)
		return -ENOMEM;
	return out->body ? 0 : -EINVAL;
}

/* A card (its body names an outTrackId): createAndDeliver with the
 * template and robotCode, or, for DEST_CARD, PUT as rendered. */
static int build_card(const struct config_instance *in, const struct dest *d, cJSON *root,
                      const char *token, struct send_http *out, const char **why)
{
	const char *tpl = config_instance_get(in, "card_template_id");
	const char *code = config_instance_get(in, "robot_code");
	cJSON *deliver = cJSON_GetObjectItemCaseSensitive(
		root, d->kind == DEST_USER ? "imRobotOpenDeliverModel" : "imGroupOpenDeliverModel");
	char *base;
	int rc;

	if (d->kind != DEST_CARD) {
		if (!tpl || !cJSON_IsObject(deliver)) {
			*why = !tpl ? "a card, and card_template_id is not set"
			            : "a card without its deliver model";
			return -EINVAL;
		}
		if (!cJSON_AddStringToObject(root, "cardTemplateId", tpl) ||
		    !cJSON_AddStringToObject(deliver, "robotCode",
		                             code ? code : config_instance_get(in, "app_key")))
			return -ENOMEM;
	}
	base = send_base(in, "api_base", DINGTALK_API);
	if (!base)
		return -ENOMEM;
	out->method = d->kind == DEST_CARD ? HTTPOUT_PUT : HTTPOUT_POST;
	rc = asprintf(&out->url, "%s/v1.0/card/instances%s", base,
	              d->kind == DEST_CARD ? "" : "/createAndDeliver");
	free(base);
	if (rc < 0) {
		out->url = NULL;
		return -ENOMEM;
	}
	if (asprintf(&out->auth, "x-acs-dingtalk-access-token: %s", token) < 0) {
		out->auth = NULL;
		return -ENOMEM;
	}
	out->body = cJSON_PrintUnformatted(root);
	return out->body ? 0 : -ENOMEM;
}

static int build(const struct config_instance *in, const struct dest *d, const char *body,
                 const char *token, struct send_http *out, const char **why)
{
	out->method = HTTPOUT_POST;
	if (d->kind == DEST_CARD || d->kind == DEST_USER || d->kind == DEST_CHAT) {
		cJSON *root = cJSON_Parse(body);
		bool card = cJSON_IsObject(root) && cJSON_GetObjectItemCaseSensitive(root, "outTrackId");
		int rc = 0;

		if (card) {
			rc = build_card(in, d, root, token, out, why);
		} else if (d->kind == DEST_CARD) {
			*why = "a card update without outTrackId";
			rc = -EINVAL;
		}
		cJSON_Delete(root);
		if (card || rc < 0)
			return rc;
	}
	if (d->kind == DEST_SESSION)
		return build_session(in, d, out, why);
	if (d->kind == DEST_ROBOT)
		return build_robot(in, out);
	return build_openapi(in, d, body, token, out, why);
}

static bool list_nonempty(const cJSON *root, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, name);

	return cJSON_IsArray(v) && cJSON_GetArraySize(v) > 0;
}

/* A card's answer (HTTP 200): {"success":true,"result":...}; a created
 * card's outTrackId becomes the message id. */
static void classify_card(const struct httpout_response *r, const cJSON *root,
                          struct send_result *res)
{
	const cJSON *result = cJSON_GetObjectItemCaseSensitive(root, "result");
	const cJSON *each, *list = cJSON_GetObjectItemCaseSensitive(result, "deliverResults");
	const char *id = cJSON_IsObject(result) ? send_json_str(result, "outTrackId") : NULL;
	char clean[80];

	if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(root, "success"))) {
		send_result_set(res, SEND_PERMANENT, 0, r->status, 0, "dingtalk card: not success");
		return;
	}
	cJSON_ArrayForEach(each, list) {
		if (cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(each, "success"))) {
			send_clean_msg(send_json_str(each, "errorMsg"), clean, sizeof clean);
			send_result_set(res, SEND_PERMANENT, 0, r->status, 0,
			                "dingtalk card not delivered: %s", clean);
			return;
		}
	}
	send_result_set(res, SEND_OK, 0, r->status, 0, "ok");
	if (id && strlen(id) < sizeof res->message_id)
		memcpy(res->message_id, id, strlen(id) + 1);
}

static enum send_verdict classify_openapi(const struct httpout_response *r, const cJSON *root,
                                          struct send_result *res)
{
	if (r->status >= 400)
		return v1_error(r, root, true, res);
	if (root && cJSON_GetObjectItemCaseSensitive(root, "success"))
		classify_card(r, root, res);
	else if (!root)
		send_result_set(res, SEND_TRANSIENT, 0, r->status, 0, "unexpected answer (HTTP %ld)",
		                r->status);
	else if (list_nonempty(root, "flowControlledStaffIdList"))
		send_result_set(res, SEND_RATE_LIMITED, 60, r->status, 0, "dingtalk: user flow-controlled");
	else if (list_nonempty(root, "invalidStaffIdList"))
		send_result_set(res, SEND_PERMANENT, 0, r->status, 0, "dingtalk: unknown user");
	else
		send_result_set(res, SEND_OK, 0, r->status, 0, "ok");
	return VERDICT_DONE;
}

static void classify_oapi(const struct httpout_response *r, const cJSON *root,
                          struct send_result *res)
{
	char clean[96];
	long code;

	if (!root || !send_json_long(root, "errcode", &code)) {
		send_result_set(res, r->status >= 400 ? SEND_PERMANENT : SEND_TRANSIENT, 0, r->status,
		                0, "unexpected answer (HTTP %ld)", r->status);
		return;
	}
	send_clean_msg(send_json_str(root, "errmsg"), clean, sizeof clean);
	if (code == 0)
		send_result_set(res, SEND_OK, 0, r->status, 0, "ok");
	else if (code == 130101)
		send_result_set(res, SEND_RATE_LIMITED, ROBOT_BAN_S, r->status, code,
		                "dingtalk errcode 130101: %s", clean);
	else if (code == 90030 || code == -1)
		send_result_set(res, SEND_TRANSIENT, 0, r->status, code, "dingtalk errcode %ld: %s",
		                code, clean);
	else
		send_result_set(res, SEND_PERMANENT, 0, r->status, code, "dingtalk errcode %ld: %s",
		                code, clean);
}

static enum send_verdict classify(const struct dest *d, const struct httpout_response *r,
                                  struct send_result *res)
{
	enum send_verdict v = VERDICT_DONE;
	cJSON *root;

	if (send_classify_http(r, res))
		return VERDICT_DONE;
	root = send_json_parse(r);
	if (needs_token(d->kind))
		v = classify_openapi(r, root, res);
	else
		classify_oapi(r, root, res);
	cJSON_Delete(root);
	return v;
}

/* Files: the oapi's media/upload?access_token=&type=file (the app's token
 * is good on both hosts), the file as the "media" part, answered
 * {"errcode":0,"type":"file","media_id":"@..."}; then the robot's
 * "sampleFile" message {"mediaId","fileName","fileType"} through
 * oToMessages or groupMessages like any other. */
static int upload_build(const struct config_instance *in, const struct dest *d,
                        const char *token, const char *name, const char *data, size_t len,
                        struct send_http *out, struct send_form *form)
{
	(void)d;
	return send_media_upload(in, "oapi_base", DINGTALK_OAPI, "/media/upload?type=file&access_token=", token, name, data, len, out, form);
}

/* The oapi's answer: errcode, with the token codes of the oapi (40014
 * invalid, 42001 expired) refreshed and retried once. */
static enum send_verdict upload_classify(const struct dest *d, const struct httpout_response *r,
                                         struct send_result *res)
{
	cJSON *root;
	long code;

	(void)d;
	if (send_classify_http(r, res))
		return VERDICT_DONE;
	root = send_json_parse(r);
	if (root && send_json_long(root, "errcode", &code) && (code == 40014 || code == 42001)) {
		send_result_set(res, SEND_TRANSIENT, 0, r->status, code, "dingtalk errcode %ld", code);
		cJSON_Delete(root);
		return VERDICT_TOKEN_INVALID;
	}
	classify_oapi(r, root, res);
	cJSON_Delete(root);
	return VERDICT_DONE;
}

static char *file_body(const struct dest *d, const char *media_id, const char *name)
{
	cJSON *param = cJSON_CreateObject(), *o = cJSON_CreateObject();
	char *text = NULL, *out = NULL;

	if (param && cJSON_AddStringToObject(param, "mediaId", media_id) &&
	    cJSON_AddStringToObject(param, "fileName", name) &&
	    cJSON_AddStringToObject(param, "fileType", "xlsx"))
		text = cJSON_PrintUnformatted(param);
	if (o && text) {
		cJSON *ok;

		if (d->kind == DEST_USER) {
			cJSON *ids = cJSON_AddArrayToObject(o, "userIds");
			ok = ids ? cJSON_CreateString(d->target) : NULL;
			if (ok)
				cJSON_AddItemToArray(ids, ok);
		} else {
			ok = cJSON_AddStringToObject(o, "openConversationId", d->target);
		}
		if (ok && cJSON_AddStringToObject(o, "msgKey", "sampleFile") &&
		    cJSON_AddStringToObject(o, "msgParam", text))
			out = cJSON_PrintUnformatted(o);
	}
	cJSON_free(text);
	cJSON_Delete(param);
	cJSON_Delete(o);
	return out;
}

const struct send_platform send_dingtalk = {
	.codec = &platform_dingtalk,
	.kind_ok = kind_ok,
	.needs_token = needs_token,
	.token_fetch = token_fetch,
	.build = build,
	.classify = classify,
	.upload_build = upload_build,
	.media_read = send_media_id,
	.file_body = file_body,
	.upload_classify = upload_classify,
};
