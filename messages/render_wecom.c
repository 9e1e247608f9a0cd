/*
 * WeCom bodies (PROTOCOLS.md §1.6):
 *   DEST_USER   message/send   {"touser":U,"msgtype":...}; the sender adds
 *               "agentid" from the instance, so bodies carry no config
 *   DEST_CHAT   appchat/send   {"chatid":C,"msgtype":...}
 *   DEST_ROBOT  webhook/send   {"msgtype":...}
 * A reply with only plain lines goes as "text"; one with a title, fields or
 * a table as "markdown" (bold title and keys). Limits are on the content's
 * UTF-8 bytes: text 2048; markdown 2048 for app messages, 4096 for robots.
 *
 * A reply with actions, sent by the app to one user (DEST_USER) under an
 * idempotency key, goes as one template card (button_interaction): the
 * reply's title (or the bot's name) as main_title, its lines as plain
 * sub_title_text, one button per action whose key is the command text,
 * which WeCom sends back as the EventKey of template_card_event; task_id is
 * "cqod-" and 40 hex digits of the key's SHA-256 (unique per message, as
 * WeCom requires). A reply too long for a card, group chats (appchat/send)
 * and robots take text: there the fallback lines end it.
 *
 * Reply text is made inert (render_fullwidth): in markdown every markup
 * character, <@userid> mentions included; in text the tags (text messages
 * take <a href> links) and entities.
 */
#include "render_internal.h"

#include <errno.h>
#include <string.h>

#include "../lib/crypto.h"
#include "text.h"

#define WECOM_TEXT_MAX 2048
#define WECOM_APP_MARKDOWN_MAX 2048
#define WECOM_ROBOT_MARKDOWN_MAX 4096

static void wecom_escape(struct strbuf *sb, const char *s, size_t n, enum render_markup markup)
{
	render_fullwidth(sb, s, n, markup == MARKUP_MARKDOWN ? RENDER_MARKDOWN_CHARS : "<>&");
}

/* Button styles 1-4 (WeCom's picture of them: 1 blue, 2 white, 3 red). */
static const int button_styles[] = {
	[REPLY_ACTION_DEFAULT] = 2,
	[REPLY_ACTION_PRIMARY] = 1,
	[REPLY_ACTION_DANGER] = 3,
};

#define TASK_ID_HEX 40
/* The card's text (sub_title_text) is kept to this many bytes: WeCom
 * suggests short texts and documents no hard limit; a longer reply goes as
 * text with its fallback. */
#define WECOM_CARD_TEXT_MAX 1200

int wecom_task_id(const char *idem_key, char out[WECOM_TASK_ID_MAX])
{
	uint8_t sum[CRYPTO_SHA256_LEN];
	char hex[2 * CRYPTO_SHA256_LEN + 1];

	if (crypto_sha256(idem_key, strlen(idem_key), sum) < 0)
		return -ENOMEM;
	crypto_hex(sum, sizeof sum, hex);
	memcpy(out, "cqod-", 5);
	memcpy(out + 5, hex, TASK_ID_HEX);
	out[5 + TASK_ID_HEX] = '\0';
	return 0;
}

/* Appends the template card of r under task_id (the same object sends and
 * updates it); without actions its button turns grey (replace_text).
 * -E2BIG when its text is too long for a card. */
static int append_card(struct strbuf *sb, const struct reply *r, const char *task_id)
{
	struct render_doc doc;
	struct strbuf text;
	int rc;

	rc = render_doc_build(r, MARKUP_PLAIN, false, false, wecom_escape, &doc);
	if (rc < 0) {
		render_doc_free(&doc);
		return rc;
	}
	strbuf_init(&text);
	for (size_t i = 0; i < doc.n; i++) {
		if (i)
			strbuf_append(&text, "\n", 1);
		strbuf_appends(&text, doc.lines[i]);
	}
	if (text.len > WECOM_CARD_TEXT_MAX) {
		strbuf_free(&text);
		render_doc_free(&doc);
		return -E2BIG;
	}
	strbuf_appends(sb, "{\"card_type\":\"button_interaction\",\"main_title\":{\"title\":");
	render_json_str(sb, doc.title ? doc.title : TXT_BOT_NAME);
	strbuf_append(sb, "}", 1);
	if (text.len) {
		strbuf_appends(sb, ",\"sub_title_text\":");
		render_json_str(sb, text.buf);
	}
	strbuf_appendf(sb, ",\"task_id\":\"%s\"", task_id);
	if (!r->n_actions)
		strbuf_appends(sb, ",\"replace_text\":\"" TXT_CARD_CLOSED "\"");
	else
		strbuf_appends(sb, ",\"button_list\":[");
	for (size_t i = 0; i < r->n_actions; i++) {
		strbuf_appends(sb, i ? ",{\"text\":" : "{\"text\":");
		render_json_str(sb, r->actions[i].label);
		strbuf_appendf(sb, ",\"style\":%d,\"key\":", button_styles[r->actions[i].style]);
		render_json_str(sb, r->actions[i].command);
		strbuf_append(sb, "}", 1);
	}
	strbuf_appends(sb, r->n_actions ? "]}" : "}");
	strbuf_free(&text);
	render_doc_free(&doc);
	return 0;
}

/* The whole reply as one template card carrying its buttons; -E2BIG when
 * its text is too long for a card. */
static int render_card(const struct dest *d, const struct reply *r, const char *idem_key,
                       struct rendered *out)
{
	char task_id[WECOM_TASK_ID_MAX];
	struct strbuf sb;
	int rc;

	if (wecom_task_id(idem_key, task_id) < 0)
		return -ENOMEM;
	strbuf_init(&sb);
	strbuf_appends(&sb, "{\"touser\":");
	render_json_str(&sb, d->target);
	strbuf_appends(&sb, ",\"msgtype\":\"template_card\",\"template_card\":");
	rc = append_card(&sb, r, task_id);
	if (rc < 0) {
		strbuf_free(&sb);
		return rc;
	}
	strbuf_append(&sb, "}", 1);
	return render_push(out, strbuf_detach(&sb));
}

int render_wecom_card_update(const struct reply *r, const struct wecom_card_update *u,
                             struct rendered *out)
{
	struct strbuf sb;
	int rc = 0;

	memset(out, 0, sizeof *out);
	if (!u->task_id || !*u->task_id || !u->response_code || !*u->response_code ||
	    (u->replace_name && (!u->userid || !*u->userid)))
		return -EINVAL;
	strbuf_init(&sb);
	strbuf_append(&sb, "{", 1);
	if (u->replace_name) {
		strbuf_appends(&sb, "\"userids\":[");
		render_json_str(&sb, u->userid);
		strbuf_append(&sb, "]", 1);
	} else {
		strbuf_appends(&sb, "\"atall\":1");
	}
	strbuf_appends(&sb, ",\"response_code\":");
	render_json_str(&sb, u->response_code);
	if (u->replace_name) {
		strbuf_appends(&sb, ",\"button\":{\"replace_name\":");
		render_json_str(&sb, u->replace_name);
		strbuf_append(&sb, "}", 1);
	} else {
		strbuf_appends(&sb, ",\"template_card\":");
		rc = append_card(&sb, r, u->task_id);
	}
	if (rc < 0) {
		strbuf_free(&sb);
		return rc;
	}
	strbuf_append(&sb, "}", 1);
	rc = render_push(out, strbuf_detach(&sb));
	if (rc < 0)
		rendered_free(out);
	return rc;
}

/* WeCom answers the sender, by the app. */
int wecom_reply_dest(const struct chat_msg *msg, struct dest *out)
{
	return dest_fill(out, msg, DEST_USER, msg->sender_id);
}

int render_wecom(const struct dest *d, const struct reply *r, const char *idem_key,
                 struct rendered *out)
{
	struct render_limit lim = {.level = 0, .sep = 1};
	struct render_parts parts;
	struct render_doc doc;
	bool md = render_structured(r);
	const char *type = md ? "markdown" : "text";
	int rc;

	if (d->kind != DEST_USER && d->kind != DEST_CHAT && d->kind != DEST_ROBOT)
		return -EINVAL;
	/* WeCom's bodies have no idempotency field; the key names the card. */
	if (r->n_actions && d->kind == DEST_USER && idem_key) {
		rc = render_card(d, r, idem_key, out);
		if (rc != -E2BIG)
			return rc;
	}
	rc = render_doc_build(r, md ? MARKUP_MARKDOWN : MARKUP_PLAIN, true, true, wecom_escape,
	                      &doc);
	if (rc < 0) {
		render_doc_free(&doc);
		return rc;
	}
	lim.budget = !md                    ? WECOM_TEXT_MAX
	             : d->kind == DEST_ROBOT ? WECOM_ROBOT_MARKDOWN_MAX
	                                     : WECOM_APP_MARKDOWN_MAX;
	rc = render_split(&doc, &lim, &parts);
	for (size_t i = 0; rc == 0 && i < parts.n_parts; i++) {
		struct strbuf sb;

		strbuf_init(&sb);
		strbuf_append(&sb, "{", 1);
		if (d->kind == DEST_USER) {
			strbuf_appends(&sb, "\"touser\":");
			render_json_str(&sb, d->target);
			strbuf_append(&sb, ",", 1);
		} else if (d->kind == DEST_CHAT) {
			strbuf_appends(&sb, "\"chatid\":");
			render_json_str(&sb, d->target);
			strbuf_append(&sb, ",", 1);
		}
		strbuf_appendf(&sb, "\"msgtype\":\"%s\",\"%s\":{\"content\":\"", type, type);
		render_json_part(&sb, &parts, i, "\n");
		strbuf_appends(&sb, "\"}}");
		rc = render_push(out, strbuf_detach(&sb));
	}
	render_parts_free(&parts);
	render_doc_free(&doc);
	return rc;
}

char *render_wecom_text(const struct reply *r)
{
	struct render_doc doc;
	struct strbuf sb;

	if (render_doc_build(r, MARKUP_PLAIN, true, true, wecom_escape, &doc) < 0) {
		render_doc_free(&doc);
		return NULL;
	}
	strbuf_init(&sb);
	for (size_t i = 0; i < doc.n; i++) {
		if (i)
			strbuf_append(&sb, "\n", 1);
		strbuf_appends(&sb, doc.lines[i]);
	}
	render_doc_free(&doc);
	return strbuf_detach(&sb);
}
