/* WeCom callback XML; see wecom.h. */
#include "wecom.h"

#include <errno.h>
#include <expat.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/strbuf.h"

/* The platform's name, here once: the codec row (platforms.c) and every
 * decoded message carry it. */
const char wecom_platform_name[] = "wecom";

/* Bounds on what one field may hold: WeCom's own limits are far lower
 * (2048 bytes of text, 64-byte user ids). */
#define FIELD_MAX 65536
#define ID_MAX 128
#define DIGITS_MAX 20

/* Collects the text of the listed direct children of the root <xml>. */
struct flat {
	XML_Parser parser;
	const char *const *names;
	size_t n;
	struct strbuf *vals;
	bool *seen;
	int depth;        /* open elements */
	int current;      /* index of the field being read, or -1 */
	bool bad;
};

static void stop(struct flat *f)
{
	f->bad = true;
	XML_StopParser(f->parser, XML_FALSE);
}

static void on_start(void *arg, const XML_Char *name, const XML_Char **attrs)
{
	struct flat *f = arg;
	(void)attrs;

	if (f->depth == 0 && strcmp(name, "xml") != 0) {
		stop(f);
		return;
	}
	if (f->depth == 1) {
		for (size_t i = 0; i < f->n; i++) {
			if (strcmp(name, f->names[i]) != 0)
				continue;
			/* A repeated field would make "which one counts" ambiguous. */
			if (f->seen[i]) {
				stop(f);
				return;
			}
			f->seen[i] = true;
			f->current = (int)i;
		}
	}
	f->depth++;
}

static void on_end(void *arg, const XML_Char *name)
{
	struct flat *f = arg;
	(void)name;

	f->depth--;
	if (f->depth == 1)
		f->current = -1;
}

static void on_text(void *arg, const XML_Char *s, int len)
{
	struct flat *f = arg;

	if (f->depth != 2 || f->current < 0)
		return;
	struct strbuf *sb = &f->vals[f->current];
	if (sb->len + (size_t)len > FIELD_MAX) {
		stop(f);
		return;
	}
	strbuf_append(sb, s, (size_t)len);
}

/* No DTDs: they are never sent by WeCom and are where entity tricks live. */
static void on_doctype(void *arg, const XML_Char *name, const XML_Char *sysid,
                       const XML_Char *pubid, int has_internal_subset)
{
	(void)name;
	(void)sysid;
	(void)pubid;
	(void)has_internal_subset;
	stop(arg);
}

/* The most fields flat_parse reads. */
#define FLAT_MAX 12

/* Parses xml; out[i] is the text of names[i] (heap) or NULL when absent.
 * Returns 0, -EINVAL or -ENOMEM; on error every out[i] is NULL. */
static int flat_parse(const char *xml, size_t len, const char *const *names, size_t n,
                      char **out)
{
	struct strbuf vals[FLAT_MAX];
	bool seen[FLAT_MAX] = {false};
	struct flat f = {.names = names, .n = n, .vals = vals, .seen = seen, .current = -1};
	int rc = 0;

	if (n > FLAT_MAX || len > INT_MAX)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		strbuf_init(&vals[i]);
		out[i] = NULL;
	}
	/* The encoding is forced: WeCom sends UTF-8, whatever a declaration says. */
	f.parser = XML_ParserCreate("UTF-8");
	if (!f.parser)
		return -ENOMEM;
	XML_SetUserData(f.parser, &f);
	XML_SetElementHandler(f.parser, on_start, on_end);
	XML_SetCharacterDataHandler(f.parser, on_text);
	XML_SetStartDoctypeDeclHandler(f.parser, on_doctype);
	if (XML_Parse(f.parser, xml, (int)len, 1) != XML_STATUS_OK || f.bad)
		rc = XML_GetErrorCode(f.parser) == XML_ERROR_NO_MEMORY ? -ENOMEM : -EINVAL;
	XML_ParserFree(f.parser);
	for (size_t i = 0; i < n; i++) {
		if (rc == 0 && seen[i]) {
			out[i] = strbuf_detach(&vals[i]);
			if (!out[i])
				rc = -ENOMEM;
		}
		strbuf_free(&vals[i]);
	}
	if (rc < 0)
		for (size_t i = 0; i < n; i++) {
			free(out[i]);
			out[i] = NULL;
		}
	return rc;
}

int wecom_envelope_parse(const char *body, size_t len, char **encrypt)
{
	static const char *const names[] = {"Encrypt"};
	int rc = flat_parse(body, len, names, 1, encrypt);

	if (rc == 0 && (!*encrypt || !**encrypt)) {
		free(*encrypt);
		*encrypt = NULL;
		rc = -EINVAL;
	}
	return rc;
}

static bool all_digits(const char *s, size_t max)
{
	size_t n = strlen(s);
	return n >= 1 && n <= max && strspn(s, "0123456789") == n;
}

enum {
	F_TO, F_FROM, F_TIME, F_TYPE, F_CONTENT, F_MSGID, F_AGENT, F_EVENT, F_KEY, F_TASK, F_CODE,
	F_N
};

/* A button's key is at most 1024 bytes (WeCom's limit). */
#define EVENT_KEY_MAX 1024

int wecom_decode(const char *xml, size_t len, const char *instance, struct wecom_msg *out,
                 const char **why)
{
	static const char *const names[F_N] = {"ToUserName", "FromUserName", "CreateTime",
	                                       "MsgType",    "Content",      "MsgId",
	                                       "AgentID",    "Event",        "EventKey",
	                                       "TaskId",     "ResponseCode"};
	char *v[F_N];
	int rc;

	memset(out, 0, sizeof *out);
	rc = flat_parse(xml, len, names, F_N, v);
	if (rc < 0) {
		*why = "inner XML is malformed";
		return rc;
	}
	out->to_user = v[F_TO];
	out->from_user = v[F_FROM];
	out->create_time = v[F_TIME];
	out->msg_type = v[F_TYPE];
	out->msg_id = v[F_MSGID];
	out->agent_id = v[F_AGENT];
	out->content = v[F_CONTENT];
	out->event = v[F_EVENT];
	out->event_key = v[F_KEY];
	out->task_id = v[F_TASK];
	out->response_code = v[F_CODE];
	if (!out->to_user || !out->from_user || !out->create_time || !out->msg_type) {
		*why = "ToUserName, FromUserName, CreateTime and MsgType are required";
		return -EINVAL;
	}
	if (!*out->from_user || strlen(out->from_user) > ID_MAX ||
	    !all_digits(out->create_time, DIGITS_MAX) || !*out->msg_type) {
		*why = "FromUserName, CreateTime or MsgType is malformed";
		return -EINVAL;
	}
	if (out->msg_id && !all_digits(out->msg_id, DIGITS_MAX)) {
		*why = "MsgId is not a 64-bit number";
		return -EINVAL;
	}
	if (strcmp(out->msg_type, "event") == 0) {
		out->kind = out->event && strcmp(out->event, "template_card_event") == 0 &&
		                            out->event_key && *out->event_key &&
		                            strlen(out->event_key) <= EVENT_KEY_MAX
		                    ? WECOM_CARD
		                    : WECOM_EVENT;
	} else if (strcmp(out->msg_type, "text") == 0) {
		if (!out->content || !out->msg_id) {
			*why = "a text message needs Content and MsgId";
			return -EINVAL;
		}
		out->kind = WECOM_TEXT;
	} else {
		out->kind = WECOM_OTHER;
	}
	if (out->kind != WECOM_TEXT) {
		free(out->content);
		out->content = NULL;
	}
	if (out->kind != WECOM_CARD || (out->response_code && !*out->response_code)) {
		free(out->response_code);
		out->response_code = NULL;
	}
	/* Events carry no MsgId; the sender and second identify a retry (and
	 * the card, a press). */
	if (out->msg_id && out->kind != WECOM_EVENT && out->kind != WECOM_CARD) {
		out->dedupe_id = strdup(out->msg_id);
	} else {
		struct strbuf sb;
		strbuf_init(&sb);
		strbuf_appendf(&sb, "%s|%s", out->from_user, out->create_time);
		if (out->kind == WECOM_CARD)
			strbuf_appendf(&sb, "|%s", out->task_id ? out->task_id : "");
		out->dedupe_id = strbuf_detach(&sb);
	}
	if (!out->dedupe_id)
		return -ENOMEM;
	struct chat_msg *m = &out->msg;
	m->platform = wecom_platform_name;
	m->instance = instance;
	m->chat_id = out->from_user;
	m->kind = CHAT_PRIVATE;
	m->sender_id = out->from_user;
	m->sender_name = "";
	m->text = out->kind == WECOM_CARD ? out->event_key : out->content ? out->content : "";
	m->msg_id = out->dedupe_id;
	return 0;
}

void wecom_msg_free(struct wecom_msg *m)
{
	free(m->to_user);
	free(m->from_user);
	free(m->create_time);
	free(m->msg_type);
	free(m->content);
	free(m->msg_id);
	free(m->agent_id);
	free(m->event);
	free(m->event_key);
	free(m->task_id);
	free(m->response_code);
	free(m->dedupe_id);
	memset(m, 0, sizeof *m);
}

/* s as one or more CDATA sections: "]]>" cannot appear inside one, so it is
 * split across two; control bytes XML 1.0 forbids are dropped. */
static void append_cdata(struct strbuf *sb, const char *s)
{
	strbuf_appends(sb, "<![CDATA[");
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
			continue;
		if (strncmp(s, "]]>", 3) == 0) {
			strbuf_appends(sb, "]]]]><![CDATA[>");
			s += 2;
			continue;
		}
		strbuf_append(sb, s, 1);
	}
	strbuf_appends(sb, "]]>");
}

static void append_field(struct strbuf *sb, const char *name, const char *value)
{
	strbuf_appendf(sb, "<%s>", name);
	append_cdata(sb, value);
	strbuf_appendf(sb, "</%s>", name);
}

/* Starts sb with a passive reply's <xml> and its addressing fields. */
static void reply_head(struct strbuf *sb, const char *to_user, const char *corp_id,
                       int64_t create_time, const char *msg_type)
{
	strbuf_init(sb);
	strbuf_appends(sb, "<xml>");
	append_field(sb, "ToUserName", to_user);
	append_field(sb, "FromUserName", corp_id);
	strbuf_appendf(sb, "<CreateTime>%lld</CreateTime>", (long long)create_time);
	append_field(sb, "MsgType", msg_type);
}

char *wecom_render_text(const char *to_user, const char *corp_id, int64_t create_time,
                        const char *content)
{
	struct strbuf sb;

	reply_head(&sb, to_user, corp_id, create_time, "text");
	append_field(&sb, "Content", content);
	strbuf_appends(&sb, "</xml>");
	return strbuf_detach(&sb);
}

char *wecom_render_update_button(const char *to_user, const char *corp_id, int64_t create_time,
                                 const char *replace_name)
{
	struct strbuf sb;

	reply_head(&sb, to_user, corp_id, create_time, "update_button");
	strbuf_appends(&sb, "<Button>");
	append_field(&sb, "ReplaceName", replace_name);
	strbuf_appends(&sb, "</Button></xml>");
	return strbuf_detach(&sb);
}

/* Official samples show TimeStamp both bare and in CDATA; this follows
 * Tencent's C++ library, which wraps every value in CDATA. */
char *wecom_render_envelope(const char *encrypt, const char *signature, const char *timestamp,
                            const char *nonce)
{
	struct strbuf sb;

	strbuf_init(&sb);
	strbuf_appends(&sb, "<xml>");
	append_field(&sb, "Encrypt", encrypt);
	append_field(&sb, "MsgSignature", signature);
	append_field(&sb, "TimeStamp", timestamp);
	append_field(&sb, "Nonce", nonce);
	strbuf_appends(&sb, "</xml>");
	return strbuf_detach(&sb);
}
