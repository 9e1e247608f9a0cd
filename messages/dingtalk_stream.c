/* DingTalk Stream mode frames and gateway calls (dingtalk_stream.h). */
#include "dingtalk_stream.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/strbuf.h"
#include "../lib/textenc.h"
#include "dingtalk_card.h"

/* Ids and topics are short; a longer one is not DingTalk's. */
#define FIELD_MAX 256

static cJSON *parse(const char *buf, size_t len, int *err)
{
	cJSON *root;

	if (len > DINGTALK_STREAM_MAX) {
		*err = -EMSGSIZE;
		return NULL;
	}
	/* cJSON copies bytes as they come: refuse what is not UTF-8 here. */
	if (!textenc_utf8_valid(buf, len, NULL)) {
		*err = -EINVAL;
		return NULL;
	}
	root = cJSON_ParseWithLength(buf, len);
	if (!cJSON_IsObject(root)) {
		cJSON_Delete(root);
		*err = -EINVAL;
		return NULL;
	}
	return root;
}

/* A member that is a string of 1..max bytes, else NULL. */
static const char *str_member(const cJSON *o, const char *name, size_t max)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	if (!cJSON_IsString(v) || !v->valuestring[0] || strlen(v->valuestring) > max)
		return NULL;
	return v->valuestring;
}

/* Appends {"type":"CALLBACK","topic":topic} to subs. */
static bool subscribe(cJSON *subs, const char *topic)
{
	cJSON *sub = cJSON_CreateObject();

	/* Once in the array, sub is freed with it. */
	if (!sub || !cJSON_AddItemToArray(subs, sub)) {
		cJSON_Delete(sub);
		return false;
	}
	return cJSON_AddStringToObject(sub, "type", "CALLBACK") &&
	       cJSON_AddStringToObject(sub, "topic", topic);
}

int dingtalk_stream_open_request(const char *client_id, const char *client_secret,
                                 const char *ua, char **out)
{
	return dingtalk_stream_open_request_cards(client_id, client_secret, ua, false, out);
}

int dingtalk_stream_open_request_cards(const char *client_id, const char *client_secret,
                                       const char *ua, bool cards, char **out)
{
	cJSON *o, *subs = NULL;
	bool ok;

	*out = NULL;
	if (!client_id || !client_id[0] || !client_secret || !client_secret[0])
		return -EINVAL;
	/* Members in the SDK's order. */
	o = cJSON_CreateObject();
	ok = o && cJSON_AddStringToObject(o, "clientId", client_id) &&
	     cJSON_AddStringToObject(o, "clientSecret", client_secret) &&
	     cJSON_AddStringToObject(o, "ua", ua ? ua : "") &&
	     (subs = cJSON_AddArrayToObject(o, "subscriptions"));
	ok = ok && subscribe(subs, DINGTALK_STREAM_TOPIC_ROBOT) &&
	     (!cards || subscribe(subs, DINGTALK_CARD_TOPIC));
	if (ok)
		*out = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return *out ? 0 : -ENOMEM;
}

static bool unreserved(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_' || c == '.' || c == '~';
}

int dingtalk_stream_open_parse(const char *body, size_t len, char **url)
{
	static const char hex[] = "0123456789ABCDEF";
	int err = -EINVAL;
	cJSON *root = parse(body, len, &err);
	const char *endpoint, *ticket;
	struct strbuf sb;

	*url = NULL;
	if (!root)
		return err == -EMSGSIZE ? -EINVAL : err;
	endpoint = str_member(root, "endpoint", 2048);
	ticket = str_member(root, "ticket", 2048);
	if (!endpoint || !ticket) {
		/* An error answer is {"code":"...","message":"..."}. */
		err = cJSON_GetObjectItemCaseSensitive(root, "code") ? -EPROTO : -EINVAL;
		cJSON_Delete(root);
		return err;
	}
	if ((strncmp(endpoint, "wss://", 6) != 0 && strncmp(endpoint, "ws://", 5) != 0) ||
	    strpbrk(endpoint, "?# \t\r\n")) {
		cJSON_Delete(root);
		return -EINVAL;
	}
	strbuf_init(&sb);
	strbuf_appends(&sb, endpoint);
	strbuf_appends(&sb, "?ticket=");
	for (const unsigned char *p = (const unsigned char *)ticket; *p; p++) {
		if (unreserved(*p)) {
			strbuf_append(&sb, (const char *)p, 1);
		} else {
			char esc[3] = { '%', hex[*p >> 4], hex[*p & 15] };

			strbuf_append(&sb, esc, 3);
		}
	}
	cJSON_Delete(root);
	*url = strbuf_detach(&sb);
	return *url ? 0 : -ENOMEM;
}

static int classify(struct dingtalk_stream_frame *out, const char *type)
{
	if (strcmp(type, "SYSTEM") == 0) {
		if (strcmp(out->topic, "ping") == 0)
			out->kind = DINGTALK_STREAM_PING;
		else if (strcmp(out->topic, "disconnect") == 0)
			out->kind = DINGTALK_STREAM_DISCONNECT;
		else
			out->kind = DINGTALK_STREAM_SYSTEM;
		return 0;
	}
	if (!out->message_id)
		return -EINVAL;
	if (strcmp(type, "EVENT") == 0) {
		out->kind = DINGTALK_STREAM_EVENT;
		return 0;
	}
	if (strcmp(type, "CALLBACK") == 0) {
		if (strcmp(out->topic, DINGTALK_CARD_TOPIC) == 0) {
			out->kind = DINGTALK_STREAM_CARD;
			return 0;
		}
		out->kind = DINGTALK_STREAM_ROBOT;
		return strcmp(out->topic, DINGTALK_STREAM_TOPIC_ROBOT) == 0 ? 0 : -ENOENT;
	}
	return -EINVAL;
}

int dingtalk_stream_decode(const char *buf, size_t len, struct dingtalk_stream_frame *out)
{
	int err = -EINVAL;
	cJSON *root;
	const cJSON *headers, *data;
	const char *type;

	memset(out, 0, sizeof(*out));
	root = parse(buf, len, &err);
	if (!root)
		return err;
	out->json = root;
	headers = cJSON_GetObjectItemCaseSensitive(root, "headers");
	type = str_member(root, "type", 16);
	out->topic = str_member(headers, "topic", FIELD_MAX);
	out->message_id = str_member(headers, "messageId", FIELD_MAX);
	out->content_type = str_member(headers, "contentType", FIELD_MAX);
	data = cJSON_GetObjectItemCaseSensitive(root, "data");
	if (!cJSON_IsObject(headers) || !type || !out->topic)
		return -EINVAL;
	if (!data || cJSON_IsNull(data))
		out->data = "";
	else if (cJSON_IsString(data))
		out->data = data->valuestring;
	else
		return -EINVAL;
	return classify(out, type);
}

void dingtalk_stream_frame_free(struct dingtalk_stream_frame *f)
{
	if (!f)
		return;
	cJSON_Delete(f->json);
	memset(f, 0, sizeof(*f));
}

int dingtalk_stream_robot(const struct dingtalk_stream_frame *f, const char *instance,
                          struct dingtalk_msg *out, const char **why)
{
	if (f->kind != DINGTALK_STREAM_ROBOT || !f->topic ||
	    strcmp(f->topic, DINGTALK_STREAM_TOPIC_ROBOT) != 0) {
		memset(out, 0, sizeof(*out));
		*why = "not a robot message frame";
		return -EINVAL;
	}
	return dingtalk_decode(f->data, strlen(f->data), instance, out, why);
}

/* {"code":200,"headers":<headers>,"message":"OK","data":<data>}; takes
 * headers and data (freed on failure too). */
static int answer(cJSON *headers, cJSON *data, char **out)
{
	cJSON *o = cJSON_CreateObject();

	*out = NULL;
	if (!o || !headers || !data) {
		cJSON_Delete(headers);
		cJSON_Delete(data);
		cJSON_Delete(o);
		return -ENOMEM;
	}
	cJSON_AddNumberToObject(o, "code", 200);
	cJSON_AddItemToObject(o, "headers", headers);
	cJSON_AddStringToObject(o, "message", "OK");
	cJSON_AddItemToObject(o, "data", data);
	*out = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return *out ? 0 : -ENOMEM;
}

int dingtalk_stream_ack(const struct dingtalk_stream_frame *f, char **out)
{
	cJSON *h;

	*out = NULL;
	if (f->kind != DINGTALK_STREAM_ROBOT && f->kind != DINGTALK_STREAM_EVENT)
		return -EINVAL;
	if (!f->message_id)
		return -EINVAL;
	h = cJSON_CreateObject();
	if (h && (!cJSON_AddStringToObject(h, "contentType", "application/json") ||
	          !cJSON_AddStringToObject(h, "messageId", f->message_id))) {
		cJSON_Delete(h);
		h = NULL;
	}
	return answer(h,
	              cJSON_CreateString(f->kind == DINGTALK_STREAM_EVENT ? "{\"status\":\"SUCCESS\"}"
	                                                                  : "{\"response\":null}"),
	              out);
}

int dingtalk_stream_pong(const struct dingtalk_stream_frame *f, char **out)
{
	*out = NULL;
	if (f->kind != DINGTALK_STREAM_PING)
		return -EINVAL;
	return answer(cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(f->json, "headers"), true),
	              cJSON_CreateString(f->data), out);
}

int dingtalk_stream_ack_card(const struct dingtalk_stream_frame *f, const char *response,
                             char **out)
{
	cJSON *data, *h, *r;
	char *text;

	*out = NULL;
	if (f->kind != DINGTALK_STREAM_CARD || !f->message_id)
		return -EINVAL;
	r = response ? cJSON_Parse(response) : cJSON_CreateNull();
	if (!r)
		return response ? -EINVAL : -ENOMEM;
	data = cJSON_CreateObject();
	if (!data) {
		cJSON_Delete(r);
		return -ENOMEM;
	}
	cJSON_AddItemToObject(data, "response", r);
	text = cJSON_PrintUnformatted(data);
	cJSON_Delete(data);
	h = cJSON_CreateObject();
	if (h && (!cJSON_AddStringToObject(h, "contentType", "application/json") ||
	          !cJSON_AddStringToObject(h, "messageId", f->message_id))) {
		cJSON_Delete(h);
		h = NULL;
	}
	data = text ? cJSON_CreateString(text) : NULL;
	cJSON_free(text);
	return answer(h, data, out);
}
