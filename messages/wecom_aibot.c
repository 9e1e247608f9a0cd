/* WeCom intelligent robot long-connection frames (wecom_aibot.h). */
#include "wecom_aibot.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/textenc.h"

const char wecom_aibot_platform_name[] = "wecom_aibot";

/* Ids are short; a longer one is not WeCom's. */
#define ID_MAX 256

static bool filled(const char *s)
{
	return s && s[0];
}

int wecom_aibot_req_id(const char *cmd, int64_t now_ms, uint64_t seq, char *buf, size_t size)
{
	int n = snprintf(buf, size, "%s_%" PRId64 "_%" PRIu64, cmd, now_ms, seq);

	return n < 0 || (size_t)n >= size ? -ENOSPC : 0;
}

/* {"cmd":cmd,"headers":{"req_id":req_id},"body":body}; takes body (freed on
 * failure too; NULL for none). */
static int frame(const char *cmd, const char *req_id, cJSON *body, bool want_body, char **out)
{
	cJSON *o = cJSON_CreateObject();
	cJSON *h = NULL;
	bool ok;

	/* Members in the SDK's order: cmd, headers, body. */
	*out = NULL;
	ok = o && (body || !want_body) && cJSON_AddStringToObject(o, "cmd", cmd) &&
	     (h = cJSON_AddObjectToObject(o, "headers")) &&
	     cJSON_AddStringToObject(h, "req_id", req_id);
	if (ok && body) {
		ok = cJSON_AddItemToObject(o, "body", body);
		body = ok ? NULL : body;
	}
	cJSON_Delete(body);
	if (ok)
		*out = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return *out ? 0 : -ENOMEM;
}

int wecom_aibot_subscribe(const char *req_id, const char *bot_id, const char *secret,
                          char **out)
{
	cJSON *b;

	*out = NULL;
	if (!filled(req_id) || !filled(bot_id) || !filled(secret))
		return -EINVAL;
	b = cJSON_CreateObject();
	if (b && (!cJSON_AddStringToObject(b, "bot_id", bot_id) ||
	          !cJSON_AddStringToObject(b, "secret", secret))) {
		cJSON_Delete(b);
		b = NULL;
	}
	return frame("aibot_subscribe", req_id, b, true, out);
}

int wecom_aibot_ping(const char *req_id, char **out)
{
	*out = NULL;
	if (!filled(req_id))
		return -EINVAL;
	return frame("ping", req_id, NULL, false, out);
}

int wecom_aibot_respond(const char *req_id, const char *stream_id, const char *markdown,
                        char **out)
{
	cJSON *b, *st = NULL;

	*out = NULL;
	if (!filled(req_id) || !filled(stream_id) || !markdown)
		return -EINVAL;
	b = cJSON_CreateObject();
	if (b && (!cJSON_AddStringToObject(b, "msgtype", "stream") ||
	          !(st = cJSON_AddObjectToObject(b, "stream")) ||
	          !cJSON_AddStringToObject(st, "id", stream_id) ||
	          !cJSON_AddBoolToObject(st, "finish", 1) ||
	          !cJSON_AddStringToObject(st, "content", markdown))) {
		cJSON_Delete(b);
		b = NULL;
	}
	return frame("aibot_respond_msg", req_id, b, true, out);
}

int wecom_aibot_send(const char *req_id, const char *chatid, const char *markdown, char **out)
{
	cJSON *b, *md = NULL;

	*out = NULL;
	if (!filled(req_id) || !filled(chatid) || !markdown)
		return -EINVAL;
	b = cJSON_CreateObject();
	if (b && (!cJSON_AddStringToObject(b, "chatid", chatid) ||
	          !cJSON_AddStringToObject(b, "msgtype", "markdown") ||
	          !(md = cJSON_AddObjectToObject(b, "markdown")) ||
	          !cJSON_AddStringToObject(md, "content", markdown))) {
		cJSON_Delete(b);
		b = NULL;
	}
	return frame("aibot_send_msg", req_id, b, true, out);
}

int wecom_aibot_wrap(const char *cmd, const char *req_id, const char *body, char **out)
{
	cJSON *b;

	*out = NULL;
	if (!filled(cmd) || !filled(req_id) || !body)
		return -EINVAL;
	b = cJSON_Parse(body);
	if (!cJSON_IsObject(b)) {
		cJSON_Delete(b);
		return -EINVAL;
	}
	return frame(cmd, req_id, b, true, out);
}

int wecom_aibot_url_check(const char *value)
{
	return strncmp(value, "ws://", 5) == 0 || strncmp(value, "wss://", 6) == 0 ? 0 : -EINVAL;
}

int wecom_aibot_ping_check(const char *value)
{
	char *end;
	long v = strtol(value, &end, 10);

	return value[0] >= '0' && value[0] <= '9' && !*end && v >= 1 && v <= 3600 ? 0 : -EINVAL;
}

static const char *str_member(const cJSON *o, const char *name, size_t max)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	if (!cJSON_IsString(v) || !v->valuestring[0] || strlen(v->valuestring) > max)
		return NULL;
	return v->valuestring;
}

static int decode_msg(const cJSON *body, struct wecom_aibot_frame *out)
{
	const char *chattype = str_member(body, "chattype", 16);
	const cJSON *text, *content;

	out->kind = WECOM_AIBOT_MSG;
	out->msgid = str_member(body, "msgid", ID_MAX);
	out->aibotid = str_member(body, "aibotid", ID_MAX);
	out->msgtype = str_member(body, "msgtype", 32);
	out->chatid = str_member(body, "chatid", ID_MAX);
	out->from_userid = str_member(cJSON_GetObjectItemCaseSensitive(body, "from"), "userid",
	                              ID_MAX);
	if (!out->msgid || !out->aibotid || !out->msgtype || !out->from_userid || !chattype)
		return -EINVAL;
	if (strcmp(chattype, "single") == 0) {
		out->chat_kind = CHAT_PRIVATE;
	} else if (strcmp(chattype, "group") == 0) {
		out->chat_kind = CHAT_GROUP;
		if (!out->chatid)
			return -EINVAL;
	} else {
		return -EINVAL;
	}
	if (strcmp(out->msgtype, "text") != 0)
		return 0;
	text = cJSON_GetObjectItemCaseSensitive(body, "text");
	content = cJSON_GetObjectItemCaseSensitive(text, "content");
	if (!cJSON_IsString(content))
		return -EINVAL;
	out->text = content->valuestring;
	return 0;
}

static int decode_event(const cJSON *body, struct wecom_aibot_frame *out)
{
	const cJSON *ev = cJSON_GetObjectItemCaseSensitive(body, "event");

	out->msgid = str_member(body, "msgid", ID_MAX);
	out->aibotid = str_member(body, "aibotid", ID_MAX);
	out->event_type = str_member(ev, "eventtype", 64);
	if (!out->event_type)
		return -EINVAL;
	out->kind = strcmp(out->event_type, "disconnected_event") == 0 ? WECOM_AIBOT_KICKED
	                                                               : WECOM_AIBOT_EVENT;
	return 0;
}

int wecom_aibot_decode(const char *buf, size_t len, struct wecom_aibot_frame *out)
{
	cJSON *root;
	const cJSON *cmd, *body, *code;

	memset(out, 0, sizeof(*out));
	if (len > WECOM_AIBOT_MAX)
		return -EMSGSIZE;
	if (!textenc_utf8_valid(buf, len, NULL))
		return -EINVAL;
	root = cJSON_ParseWithLength(buf, len);
	out->json = root;
	if (!cJSON_IsObject(root))
		return -EINVAL;
	out->req_id = str_member(cJSON_GetObjectItemCaseSensitive(root, "headers"), "req_id",
	                         ID_MAX);
	if (!out->req_id)
		return -EINVAL;
	cmd = cJSON_GetObjectItemCaseSensitive(root, "cmd");
	body = cJSON_GetObjectItemCaseSensitive(root, "body");
	if (!cmd || (cJSON_IsString(cmd) && !cmd->valuestring[0])) {
		code = cJSON_GetObjectItemCaseSensitive(root, "errcode");
		if (!cJSON_IsNumber(code))
			return -EINVAL;
		out->kind = WECOM_AIBOT_ANSWER;
		out->errcode = code->valuedouble > 2e9 || code->valuedouble < -2e9
		                   ? -1 : (long)code->valuedouble;
		out->errmsg = str_member(root, "errmsg", 1024);
		return 0;
	}
	if (!cJSON_IsString(cmd) || !cJSON_IsObject(body))
		return -EINVAL;
	if (strcmp(cmd->valuestring, "aibot_msg_callback") == 0)
		return decode_msg(body, out);
	if (strcmp(cmd->valuestring, "aibot_event_callback") == 0)
		return decode_event(body, out);
	return -EINVAL;
}

void wecom_aibot_frame_free(struct wecom_aibot_frame *f)
{
	if (!f)
		return;
	cJSON_Delete(f->json);
	memset(f, 0, sizeof(*f));
}

int wecom_aibot_chat_msg(const struct wecom_aibot_frame *f, const char *instance,
                         const char *corp_id, struct chat_msg *out)
{
	const char *t = f->text;

	memset(out, 0, sizeof(*out));
	if (f->kind != WECOM_AIBOT_MSG)
		return -EINVAL;
	out->platform = "wecom_aibot";
	out->instance = instance;
	out->tenant = corp_id;
	out->kind = f->chat_kind;
	out->chat_id = f->chat_kind == CHAT_GROUP ? f->chatid : f->from_userid;
	out->sender_id = f->from_userid;
	out->sender_name = "";
	while (t && (*t == ' ' || *t == '\t' || *t == '\n' || *t == '\r'))
		t++;
	out->text = t;
	out->msg_id = f->msgid;
	out->reply_handle = f->req_id;
	return 0;
}
