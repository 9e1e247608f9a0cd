/* DingTalk app robot, HTTP mode; see dingtalk.h. */
#include "dingtalk.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "strbuf.h"

#define DINGTALK_HOST "https://oapi.dingtalk.com/"
#define TS_DIGITS_MAX 15
#define ID_MAX 256

static int parse_ms(const char *s, int64_t *out)
{
	size_t n = s ? strlen(s) : 0;
	int64_t v = 0;

	if (n == 0 || n > TS_DIGITS_MAX || strspn(s, "0123456789") != n)
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	*out = v;
	return 0;
}

int dingtalk_verify(const char *app_secret, const char *timestamp, const char *sign,
                    int64_t now_ms)
{
	uint8_t want[CRYPTO_SHA256_LEN];
	uint8_t *got = NULL;
	size_t got_len = 0;
	struct strbuf msg;
	int64_t ts;
	char *m;
	int rc;

	if (!sign || crypto_base64_decode(sign, strlen(sign), &got, &got_len) < 0)
		return -EACCES;
	if (parse_ms(timestamp, &ts) < 0 || ts > now_ms + DINGTALK_MAX_SKEW_MS ||
	    ts < now_ms - DINGTALK_MAX_SKEW_MS) {
		free(got);
		return -ETIME;
	}
	strbuf_init(&msg);
	strbuf_appendf(&msg, "%s\n%s", timestamp, app_secret);
	m = strbuf_detach(&msg);
	rc = m && crypto_hmac_sha256(app_secret, strlen(app_secret), m, strlen(m), want) == 0 &&
	             got_len == sizeof want && crypto_equal(want, got, sizeof want)
	     ? 0
	     : -EACCES;
	free(m);
	free(got);
	return rc;
}

static bool under(const char *url, const char *base)
{
	size_t n;

	if (!base || !*base)
		return false;
	n = strlen(base);
	/* "https://x.example" must not admit "https://x.example.evil/". */
	while (n && base[n - 1] == '/')
		n--;
	return strncmp(url, base, n) == 0 && url[n] == '/';
}

bool dingtalk_webhook_allowed(const char *url, const char *api_base, const char *oapi_base)
{
	for (const unsigned char *p = (const unsigned char *)url; *p; p++)
		if (*p <= ' ' || *p == 0x7f)
			return false;
	return strncmp(url, DINGTALK_HOST, strlen(DINGTALK_HOST)) == 0 || under(url, api_base) ||
	       under(url, oapi_base);
}

/* A non-empty string member no longer than max, or NULL. */
static const char *member(const cJSON *obj, const char *name, size_t max)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

	if (!cJSON_IsString(v) || !v->valuestring[0] || strlen(v->valuestring) > max)
		return NULL;
	return v->valuestring;
}

static int decode_text(const cJSON *root, struct dingtalk_msg *out, const char **why)
{
	const cJSON *text = cJSON_GetObjectItemCaseSensitive(root, "text");
	const cJSON *content = cJSON_GetObjectItemCaseSensitive(text, "content");
	const char *s;

	if (!cJSON_IsString(content)) {
		*why = "text.content is required for a text message";
		return -EINVAL;
	}
	s = content->valuestring;
	s += strspn(s, " \t\r\n");
	out->text = strdup(s);
	return out->text ? 0 : -ENOMEM;
}

int dingtalk_decode(const char *body, size_t len, const char *instance,
                    struct dingtalk_msg *out, const char **why)
{
	cJSON *root = cJSON_ParseWithLength(body, len);
	struct chat_msg *m = &out->msg;
	const char *conv, *type, *hook;
	const cJSON *expires, *nick;

	memset(out, 0, sizeof *out);
	out->json = root;
	if (!cJSON_IsObject(root)) {
		*why = "body is not a JSON object";
		return -EINVAL;
	}
	m->platform = "dingtalk";
	m->instance = instance;
	m->msg_id = member(root, "msgId", ID_MAX);
	m->chat_id = member(root, "conversationId", ID_MAX);
	m->tenant = member(root, "senderCorpId", ID_MAX);
	m->sender_id = member(root, "senderStaffId", ID_MAX);
	if (!m->sender_id)
		m->sender_id = member(root, "senderId", ID_MAX);
	conv = member(root, "conversationType", 8);
	type = member(root, "msgtype", 64);
	if (!m->msg_id || !m->chat_id || !m->sender_id || !conv || !type) {
		*why = "msgId, conversationId, conversationType, msgtype and a sender id are "
		       "required strings";
		return -EINVAL;
	}
	if (strcmp(conv, "1") == 0) {
		m->kind = CHAT_PRIVATE;
	} else if (strcmp(conv, "2") == 0) {
		m->kind = CHAT_GROUP;
	} else {
		*why = "conversationType must be \"1\" or \"2\"";
		return -EINVAL;
	}
	nick = cJSON_GetObjectItemCaseSensitive(root, "senderNick");
	m->sender_name = cJSON_IsString(nick) ? nick->valuestring : "";
	out->robot_code = member(root, "robotCode", ID_MAX);
	hook = member(root, "sessionWebhook", 2048);
	if (hook) {
		m->reply_handle = hook;
		expires = cJSON_GetObjectItemCaseSensitive(root, "sessionWebhookExpiredTime");
		if (cJSON_IsNumber(expires) && expires->valuedouble > 0 &&
		    expires->valuedouble < 1e15)
			m->reply_handle_expires = (int64_t)(expires->valuedouble / 1000);
	}
	out->is_text = strcmp(type, "text") == 0;
	if (out->is_text) {
		int rc = decode_text(root, out, why);
		if (rc < 0)
			return rc;
		m->text = out->text;
	} else {
		m->text = "";
	}
	return 0;
}

void dingtalk_msg_free(struct dingtalk_msg *m)
{
	cJSON_Delete(m->json);
	free(m->text);
	memset(m, 0, sizeof *m);
}
