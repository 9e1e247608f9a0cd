/* The generic webhook adapter; see generic.h. */
#include "generic.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/crypto.h"
#include "../lib/digits.h"
#include "../lib/strbuf.h"
#include "render_internal.h"

/* The platform's name, here once: the codec row (platforms.c) and every
 * decoded message carry it. */
const char generic_platform_name[] = "generic";

#define SIG_PREFIX "sha256="
#define TS_DIGITS_MAX 12

int generic_verify(const char *secret, const char *timestamp, const char *signature,
                   const char *body, size_t len, int64_t now)
{
	uint8_t want[CRYPTO_SHA256_LEN], got[CRYPTO_SHA256_LEN];
	size_t plen = strlen(SIG_PREFIX), tlen;
	int64_t ts;
	char *msg;
	int rc;

	if (digits_parse(timestamp, TS_DIGITS_MAX, &ts) < 0)
		return -ETIME;
	if (!signature || strncmp(signature, SIG_PREFIX, plen) != 0 ||
	    crypto_unhex(signature + plen, strlen(signature + plen), got, sizeof got) < 0)
		return -EACCES;
	tlen = strlen(timestamp);
	msg = malloc(tlen + 1 + len);
	if (!msg)
		return -ENOMEM;
	memcpy(msg, timestamp, tlen);
	msg[tlen] = '.';
	if (len)
		memcpy(msg + tlen + 1, body, len);
	rc = crypto_hmac_sha256(secret, strlen(secret), msg, tlen + 1 + len, want);
	free(msg);
	if (rc < 0 || !crypto_equal(want, got, sizeof want))
		return -EACCES;
	/* The window is judged after the signature, so a well-formed but stale
	 * timestamp was signed with the secret: a replay or a wrong clock. */
	if (ts < now - GENERIC_MAX_SKEW_S || ts > now + GENERIC_MAX_SKEW_S)
		return -ETIME;
	return 0;
}

/* A required non-empty string member, or NULL. */
static const char *member(const cJSON *obj, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
	return cJSON_IsString(v) && v->valuestring[0] ? v->valuestring : NULL;
}

int generic_decode(const char *body, size_t len, const char *instance,
                   struct generic_msg *out, const char **why)
{
	cJSON *root = cJSON_ParseWithLength(body, len);
	const char *kind;

	memset(out, 0, sizeof *out);
	if (!cJSON_IsObject(root)) {
		*why = "body is not a JSON object";
		goto bad;
	}
	struct chat_msg *m = &out->msg;
	m->platform = generic_platform_name;
	m->instance = instance;
	/* The signing secret is the instance's: it vouches for its senders. */
	m->tenant = instance;
	m->msg_id = member(root, "msg_id");
	m->chat_id = member(root, "chat_id");
	m->sender_id = member(root, "sender_id");
	kind = member(root, "chat_type");
	const cJSON *text = cJSON_GetObjectItemCaseSensitive(root, "text");
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(root, "sender_name");
	if (!m->msg_id || !m->chat_id || !m->sender_id || !kind || !cJSON_IsString(text)) {
		*why = "msg_id, chat_id, chat_type, sender_id and text are required strings";
		goto bad;
	}
	if (strcmp(kind, "private") == 0) {
		m->kind = CHAT_PRIVATE;
	} else if (strcmp(kind, "group") == 0) {
		m->kind = CHAT_GROUP;
	} else {
		*why = "chat_type must be \"private\" or \"group\"";
		goto bad;
	}
	if (name && !cJSON_IsString(name)) {
		*why = "sender_name must be a string";
		goto bad;
	}
	m->sender_name = name ? name->valuestring : "";
	m->text = text->valuestring;
	if (strlen(m->msg_id) > 128 || strlen(m->chat_id) > 256 || strlen(m->sender_id) > 128) {
		*why = "msg_id, chat_id or sender_id too long";
		goto bad;
	}
	out->json = root;
	return 0;
bad:
	cJSON_Delete(root);
	memset(out, 0, sizeof *out);
	return -EINVAL;
}

void generic_msg_free(struct generic_msg *m)
{
	cJSON_Delete(m->json);
	memset(m, 0, sizeof *m);
}

/* The reply object, written member by member in the order the adapter has
 * always printed it (lines, fields, title, table, error, text): stored
 * answers are replayed verbatim, so the bytes must not drift. */
char *generic_render_reply_body(const struct reply *r)
{
	struct strbuf sb, text;

	strbuf_init(&sb);
	strbuf_appends(&sb, "{\"lines\":[");
	const char *sep = "";
	for (size_t i = 0; i < r->n_items; i++) {
		if (r->items[i].kind != REPLY_LINE)
			continue;
		strbuf_appends(&sb, sep);
		render_json_str(&sb, r->items[i].text);
		sep = ",";
	}
	strbuf_appends(&sb, "],\"fields\":[");
	sep = "";
	for (size_t i = 0; i < r->n_items; i++) {
		if (r->items[i].kind != REPLY_FIELD)
			continue;
		strbuf_appends(&sb, sep);
		strbuf_appends(&sb, "{\"key\":");
		render_json_str(&sb, r->items[i].key);
		strbuf_appends(&sb, ",\"value\":");
		render_json_str(&sb, r->items[i].text);
		strbuf_appends(&sb, "}");
		sep = ",";
	}
	strbuf_appends(&sb, "]");
	if (r->title) {
		strbuf_appends(&sb, ",\"title\":");
		render_json_str(&sb, r->title);
	}
	if (r->table_cols) {
		strbuf_appends(&sb, ",\"table\":[");
		for (size_t row = 0; row < r->table_rows; row++) {
			strbuf_appends(&sb, row ? ",[" : "[");
			for (size_t c = 0; c < r->table_cols; c++) {
				if (c)
					strbuf_appends(&sb, ",");
				render_json_str(&sb, r->table_cells[row * r->table_cols + c]);
			}
			strbuf_appends(&sb, "]");
		}
		strbuf_appends(&sb, "]");
	}
	strbuf_appends(&sb, r->is_error ? ",\"error\":true,\"text\":" : ",\"error\":false,\"text\":");
	strbuf_init(&text);
	reply_render_text_to(r, &text);
	if (text.failed)
		sb.failed = true;
	render_json_str(&sb, text.buf ? text.buf : "");
	strbuf_free(&text);
	strbuf_appends(&sb, "}");
	return strbuf_detach(&sb);
}

char *generic_render_answer(const char *body, bool duplicate)
{
	/* The body is kept verbatim (it was printed by generic_render_reply_body),
	 * so it is spliced in, not parsed and printed again: that round trip was
	 * a tenth of the signed path's CPU. An object cut short or damaged in the
	 * store is refused rather than passed on. */
	static const char head_first[] = "{\"ok\":true,\"duplicate\":false,\"reply\":";
	static const char head_again[] = "{\"ok\":true,\"duplicate\":true,\"reply\":";
	const char *head = duplicate ? head_again : head_first;
	size_t head_len = duplicate ? sizeof head_again - 1 : sizeof head_first - 1;
	size_t len = body ? strlen(body) : 0;

	if (len < 2 || body[0] != '{' || body[len - 1] != '}')
		return NULL;
	char *s = malloc(head_len + len + 2);
	if (!s)
		return NULL;
	memcpy(s, head, head_len);
	memcpy(s + head_len, body, len);
	s[head_len + len] = '}';
	s[head_len + len + 1] = '\0';
	return s;
}

char *generic_render_reply(const struct reply *r)
{
	char *body = generic_render_reply_body(r);
	char *s = body ? generic_render_answer(body, false) : NULL;

	free(body);
	return s;
}

char *generic_render_error(const char *why)
{
	cJSON *root = cJSON_CreateObject();
	cJSON_AddBoolToObject(root, "ok", 0);
	cJSON_AddStringToObject(root, "error", why);
	char *s = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	return s;
}
