/*
 * WeCom (PROTOCOLS.md §1.6): gettoken (GET, per corp_id + secret), then
 * message/send (DEST_USER, with the instance's agentid),
 * message/update_template_card (DEST_CARD, agentid too) and appchat/send
 * (DEST_CHAT) with ?access_token=; the group robot posts to
 * webhook/send?key= with no token. Answers are HTTP 200 with errcode:
 *   0 ok (message/send: a non-empty invaliduser means the user is unknown;
 *     msgid and, for a card with buttons, response_code are kept)
 *   40014, 42001 token invalid/expired, 41001 token missing: refresh, retry once
 *   45009 frequency limit (also the robot's 20/min): wait for the next minute
 *   45033 too many concurrent calls: a short wait
 *   -1 system busy: transient
 *   anything else (40001 bad secret, 60020 IP not trusted, 93000 bad robot
 *   key, ...): permanent; for a card's update, whose response_code was
 *   spent or has expired (WeCom documents no code of its own for that),
 *   the row is dropped: the code cannot become good again
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "outbox_policy.h"
#include "send_internal.h"
#include "../messages/sign.h"

#define WECOM_API "https://qyapi.weixin.qq.com"
#define EARLY_S 60          /* the official plugin refreshes 60 s early */
#define CONCURRENCY_WAIT_S 2

static bool kind_ok(enum dest_kind k)
{
	return k == DEST_USER || k == DEST_CHAT || k == DEST_ROBOT || k == DEST_CARD;
}

static bool needs_token(enum dest_kind k)
{
	return k == DEST_USER || k == DEST_CHAT || k == DEST_CARD;
}

/* The paths of the app's sends, by kind. */
static const char *app_path(enum dest_kind k)
{
	return k == DEST_USER   ? "/cgi-bin/message/send?access_token="
	       : k == DEST_CARD ? "/cgi-bin/message/update_template_card?access_token="
	                        : "/cgi-bin/appchat/send?access_token=";
}

/* Outcome of a non-zero errcode (token codes excluded). */
static void code_result(long code, const char *msg, long status, struct send_result *res)
{
	char clean[96];

	send_clean_msg(msg, clean, sizeof clean);
	if (code == 45009)
		send_result_set(res, SEND_RATE_LIMITED, send_until_next_minute(), status, code,
		                "wecom errcode 45009: %s", clean);
	else if (code == 45033)
		send_result_set(res, SEND_RATE_LIMITED, CONCURRENCY_WAIT_S, status, code,
		                "wecom errcode 45033: %s", clean);
	else if (code == -1)
		send_result_set(res, SEND_TRANSIENT, 0, status, code, "wecom system busy");
	else if (code == 40007) {
		/* A media id past its 3 days or unknown: upload the file again. */
		send_result_set(res, SEND_TRANSIENT, 0, status, code, "wecom errcode 40007: %s",
		                clean);
		res->media_invalid = true;
	}
	else
		send_result_set(res, SEND_PERMANENT, 0, status, code, "wecom errcode %ld: %s", code,
		                clean);
}

/* A body without errcode: an error page of some proxy, or a 4xx. */
static void no_code_result(long status, struct send_result *res)
{
	if (status >= 400)
		send_result_set(res, SEND_PERMANENT, 0, status, 0, "HTTP %ld", status);
	else
		send_result_set(res, SEND_TRANSIENT, 0, status, 0, "unexpected answer (HTTP %ld)",
		                status);
}

static int parse_token(const struct httpout_response *r, char **token, long *expires_in,
                       struct send_result *err)
{
	cJSON *root;
	const char *tok;
	long code;

	if (send_classify_http(r, err))
		return -EIO;
	root = send_json_parse(r);
	if (!root || !send_json_long(root, "errcode", &code)) {
		no_code_result(r->status, err);
		cJSON_Delete(root);
		return -EIO;
	}
	tok = send_json_str(root, "access_token");
	if (code == 0 && tok && *tok && send_json_long(root, "expires_in", expires_in) &&
	    *expires_in > 0) {
		*token = strdup(tok);
		cJSON_Delete(root);
		if (!*token) {
			send_result_set(err, SEND_TRANSIENT, 0, r->status, 0, "out of memory");
			return -ENOMEM;
		}
		return 0;
	}
	if (code == 0)
		send_result_set(err, SEND_TRANSIENT, 0, r->status, 0, "gettoken: no access_token");
	else
		code_result(code, send_json_str(root, "errmsg"), r->status, err);
	cJSON_Delete(root);
	return -EIO;
}

static int token_fetch(const struct config_instance *in, struct token_fetch *f, char **url,
                       char **body)
{
	char *base = send_base(in, "api_base", WECOM_API);
	const char *corp = config_instance_get(in, "corp_id");
	const char *secret = config_instance_get(in, "secret");
	struct strbuf sb;

	*body = NULL;
	if (!base)
		return -ENOMEM;
	strbuf_init(&sb);
	strbuf_appends(&sb, base);
	strbuf_appends(&sb, "/cgi-bin/gettoken?corpid=");
	sign_urlencode(&sb, corp ? corp : "");
	strbuf_appends(&sb, "&corpsecret=");
	sign_urlencode(&sb, secret ? secret : "");
	free(base);
	*url = strbuf_detach(&sb);
	if (!*url)
		return -ENOMEM;
	f->method = HTTPOUT_GET;
	f->url = *url;
	f->body = NULL;
	f->early_s = EARLY_S;
	f->parse = parse_token;
	return 0;
}

/* The instance's agent_id as the JSON field, or NULL when it is not a number. */
static char *agentid_field(const struct config_instance *in)
{
	const char *id = config_instance_get(in, "agent_id");
	char *out;

	if (!id || !*id || strlen(id) > 10 || strspn(id, "0123456789") != strlen(id))
		return NULL;
	return asprintf(&out, "\"agentid\":%s", id) < 0 ? NULL : out;
}

static int build(const struct config_instance *in, const struct dest *d, const char *body,
                 const char *token, struct send_http *out, const char **why)
{
	char *base = send_base(in, "api_base", WECOM_API);
	struct strbuf sb;

	if (!base)
		return -ENOMEM;
	strbuf_init(&sb);
	strbuf_appends(&sb, base);
	free(base);
	out->method = HTTPOUT_POST;
	if (d->kind == DEST_ROBOT) {
		strbuf_appends(&sb, "/cgi-bin/webhook/send?key=");
		sign_urlencode(&sb, config_instance_get(in, "key"));
	} else {
		strbuf_appends(&sb, app_path(d->kind));
		sign_urlencode(&sb, token);
	}
	out->url = strbuf_detach(&sb);
	if (!out->url)
		return -ENOMEM;
	if (d->kind == DEST_USER || d->kind == DEST_CARD) {
		char *field = agentid_field(in);

		if (!field) {
			*why = "agent_id is not a number";
			return -EINVAL;
		}
		out->body = send_splice(body, field);
		free(field);
		if (!out->body) {
			*why = "the body is not a JSON object";
			return -EINVAL;
		}
	}
	return 0;
}

/* What a sent message's answer says about its card: msgid, and the
 * response_code that updates it once (only for a card with buttons). */
static void keep_card(const cJSON *root, struct send_result *res)
{
	const char *id = send_json_str(root, "msgid");
	const char *code = send_json_str(root, "response_code");

	if (id && strlen(id) < sizeof res->message_id && code && *code &&
	    strlen(code) < sizeof res->response_code) {
		memcpy(res->message_id, id, strlen(id) + 1);
		memcpy(res->response_code, code, strlen(code) + 1);
	}
}

static enum send_verdict classify(const struct dest *d, const struct httpout_response *r,
                                  struct send_result *res)
{
	cJSON *root;
	long code;

	if (send_classify_http(r, res))
		return VERDICT_DONE;
	root = send_json_parse(r);
	if (!root || !send_json_long(root, "errcode", &code)) {
		no_code_result(r->status, res);
		cJSON_Delete(root);
		return VERDICT_DONE;
	}
	if (code == 0) {
		const char *invalid = send_json_str(root, "invaliduser");

		if (invalid && *invalid)
			send_result_set(res, SEND_PERMANENT, 0, r->status, 0, "wecom: unknown user");
		else
			send_result_set(res, SEND_OK, 0, r->status, 0, "ok");
		if (d->kind == DEST_USER && res->outcome == SEND_OK)
			keep_card(root, res);
	} else if ((code == 40014 || code == 42001 || code == 41001) && needs_token(d->kind)) {
		send_result_set(res, SEND_TRANSIENT, 0, r->status, code, "wecom errcode %ld", code);
		cJSON_Delete(root);
		return VERDICT_TOKEN_INVALID;
	} else {
		code_result(code, send_json_str(root, "errmsg"), r->status, res);
		if (d->kind == DEST_CARD && res->outcome == SEND_PERMANENT) {
			/* errmsg may quote the code: only the number is kept. */
			send_result_set(res, SEND_PERMANENT, 0, r->status, code,
			                "wecom errcode %ld: card update refused (code spent or"
			                " expired)", code);
			res->drop = true;
		}
	}
	cJSON_Delete(root);
	return VERDICT_DONE;
}

/* media/upload?access_token=&type=file, the file as the "media" part;
 * the answer is {"errcode":0,"type":"file","media_id":...,"created_at":...}
 * and the id lasts 3 days. */
static int upload_build(const struct config_instance *in, const struct dest *d,
                        const char *token, const char *name, const char *data, size_t len,
                        struct send_http *out, struct send_form *form)
{
	(void)d;
	return send_media_upload(in, "api_base", WECOM_API, "/cgi-bin/media/upload?type=file&access_token=", token, name, data, len, out, form);
}

/* message/send (agentid added by build) or appchat/send, msgtype file. */
static char *file_body(const struct dest *d, const char *media_id, const char *name)
{
	char *target = send_json_quote(d->target), *id = send_json_quote(media_id), *out = NULL;

	(void)name;
	if (target && id &&
	    asprintf(&out, "{\"%s\":%s,\"msgtype\":\"file\",\"file\":{\"media_id\":%s}}",
	             d->kind == DEST_USER ? "touser" : "chatid", target, id) < 0)
		out = NULL;
	free(target);
	free(id);
	return out;
}

unsigned send_wecom_pace_ms(const struct config *cfg, const struct dest *d)
{
	unsigned per_minute, per_hour;

	/* A card's update goes at its member's pace, like a message to them. */
	if (d->kind != DEST_USER && d->kind != DEST_CARD)
		return outbox_spacing_ms(60000, cfg->outbox_robot_per_minute);
	/* WeCom drops, without an error, a member's messages beyond either
	 * limit: the longer spacing keeps within both. */
	per_minute = outbox_spacing_ms(60000, cfg->outbox_wecom_app_per_minute);
	per_hour = outbox_spacing_ms(3600000, cfg->outbox_wecom_app_per_hour);
	return per_hour > per_minute ? per_hour : per_minute;
}

const struct send_platform send_wecom = {
	.codec = &platform_wecom,
	.kind_ok = kind_ok,
	.needs_token = needs_token,
	.token_fetch = token_fetch,
	.build = build,
	.classify = classify,
	.upload_build = upload_build,
	.media_read = send_media_id,
	.file_body = file_body,
};
