/*
 * Feishu bodies (PROTOCOLS.md §3.5-3.6):
 *   DEST_USER, DEST_CHAT  im/v1/messages   {"receive_id":X,"msg_type":T,"content":"<JSON>","uuid":K}
 *                         (the sender puts receive_id_type in the query)
 *   DEST_REPLY            im/v1/messages/<id>/reply   {"msg_type":T,"content":"<JSON>","uuid":K}
 *   DEST_CARD             PATCH im/v1/messages/<id>   {"content":"<card JSON>"}: a sent
 *                         card shown anew, shared as it was, one card (else -EMSGSIZE)
 *   DEST_ROBOT            custom bot   {"msg_type":"text","content":{...}}, post as
 *                         {"content":{"post":{...}}}, card as {"card":{...}}; the sender
 *                         adds "timestamp" and "sign" when the bot has a secret
 * For the IM API, content is a JSON string holding JSON (escaped twice); for
 * the custom bot it is a plain object. uuid (the idempotency key + "-N", N
 * counting parts from 1) only exists on the IM API; a key longer than
 * IDEM_KEY_MAX bytes is replaced by the first 40 hex digits of its SHA-256.
 *
 * Plain replies go as text; structured ones as post (rich text: the title,
 * one paragraph per line); structured error replies as an interactive card
 * with a red header, so a refusal stands out. A reply with actions goes to
 * the IM API as an interactive card (blue header, red for an error): its
 * last part ends with an action block of buttons, each carrying
 * value {"cmd":"<command text>"}, which Feishu sends back in
 * card.action.trigger; config.update_multi makes it a shared card, so the
 * answer to a press can replace it for everyone in a group. The custom bot's
 * cards call nobody back: there the fallback lines say what to type. Limits are on the whole body:
 * IM text 150 KB, IM post and card 30 KB, custom bot 20 KB; the splitter
 * counts the content's escaped bytes, and FRAME_MARGIN covers the rest
 * (field names, receive_id, uuid).
 *
 * Reply text is made inert (render_fullwidth): in text and post the tags
 * (<at user_id="all"> would mention everyone), links, emphasis and
 * entities; in the card's lark_md every markdown character as well. The
 * card's header is plain_text and shows the title as it is.
 */
#include "render_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/crypto.h"
#include "feishu.h"
#include "text.h"

#define IM_TEXT_MAX (150 * 1024)
#define IM_RICH_MAX (30 * 1024)
#define BOT_MAX (20 * 1024)
#define FRAME_MARGIN 512
/* uuid is at most 50 characters: the key (or its hash) and "-N". */
#define IDEM_KEY_MAX 40
/* One post paragraph: [{"tag":"text","text":""}], */
#define PARAGRAPH "[{\"tag\":\"text\",\"text\":\"\"}],"
#define PARAGRAPH_QUOTES 8
/* Feishu's open_ids are "ou_" and 32 hex digits; room to spare. */
#define OPEN_ID_MAX 64

enum fs_format { FS_TEXT, FS_POST, FS_CARD };

static const char *const type_names[] = {"text", "post", "interactive"};

static const char *const button_types[] = {
	[REPLY_ACTION_DEFAULT] = "default",
	[REPLY_ACTION_PRIMARY] = "primary",
	[REPLY_ACTION_DANGER] = "danger",
};

/* The card's action block: ,{"tag":"action","actions":[buttons]} (JSON,
 * escaped once); nothing when the reply has no actions. */
static void action_block(struct strbuf *sb, const struct reply *r)
{
	if (!r->n_actions)
		return;
	strbuf_appends(sb, ",{\"tag\":\"action\",\"actions\":[");
	for (size_t i = 0; i < r->n_actions; i++) {
		const struct reply_action *a = &r->actions[i];

		strbuf_appends(sb, i ? ",{\"tag\":\"button\",\"text\":{\"tag\":\"plain_text\","
		                       "\"content\":"
		                     : "{\"tag\":\"button\",\"text\":{\"tag\":\"plain_text\","
		                       "\"content\":");
		render_json_str(sb, a->label);
		strbuf_appendf(sb, "},\"type\":\"%s\",\"value\":{\"cmd\":", button_types[a->style]);
		render_json_str(sb, a->command);
		strbuf_appends(sb, r->shared ? ",\"card\":\"shared\"}}" : "}}");
	}
	strbuf_appends(sb, "]}");
}

/* Whether an open_id may stand in lark_md's <at id=...> as it is. */
static bool plain_id(const char *id)
{
	size_t n = strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-");

	return n && n <= OPEN_ID_MAX && !id[n];
}

/* The note naming who pressed: ,{"tag":"note",...} (JSON, escaped once). */
static void done_note(struct strbuf *sb, const char *done_by)
{
	strbuf_appends(sb, ",{\"tag\":\"note\",\"elements\":[{\"tag\":\"lark_md\","
	                   "\"content\":\"" TXT_CARD_DONE_BY "<at id=");
	strbuf_appends(sb, done_by);
	strbuf_appends(sb, "></at>\"}]}");
}

/* The content object of part i (JSON, escaped once); with `cards` (the IM
 * API) the card's buttons go on the last part. With `replaces` the card
 * takes the place of one cqod sent with buttons, so it is shared like that
 * one was; done_by (an open_id, or NULL) names who pressed it. */
static void content(struct strbuf *sb, enum fs_format f, const struct render_doc *doc,
                    const struct render_parts *parts, size_t i, const struct reply *r,
                    bool cards, bool replaces, const char *done_by)
{
	bool shared = cards && (r->n_actions || replaces);

	switch (f) {
	case FS_TEXT:
		strbuf_appends(sb, "{\"text\":\"");
		render_json_part(sb, parts, i, "\n");
		strbuf_appends(sb, "\"}");
		break;
	case FS_POST:
		strbuf_appends(sb, "{\"zh_cn\":{");
		if (doc->title) {
			strbuf_appends(sb, "\"title\":");
			render_json_str(sb, doc->title);
			strbuf_append(sb, ",", 1);
		}
		strbuf_appends(sb, "\"content\":[");
		for (size_t j = parts->starts[i]; j < parts->starts[i + 1]; j++) {
			strbuf_appends(sb, j > parts->starts[i] ? ",[{\"tag\":\"text\",\"text\":\""
			                                        : "[{\"tag\":\"text\",\"text\":\"");
			render_json_escape(sb, parts->slices[j].p, parts->slices[j].n);
			strbuf_appends(sb, "\"}]");
		}
		strbuf_appends(sb, "]}}");
		break;
	case FS_CARD:
		strbuf_appendf(sb, "{\"config\":{\"wide_screen_mode\":true%s},\"header\":{"
		                   "\"template\":\"%s\",\"title\":{\"tag\":\"plain_text\","
		                   "\"content\":",
		               shared ? ",\"update_multi\":true" : "",
		               r->is_error ? "red" : "blue");
		render_json_str(sb, doc->title ? doc->title : TXT_BOT_NAME);
		strbuf_appends(sb, "}},\"elements\":[{\"tag\":\"div\",\"text\":{\"tag\":\"lark_md\","
		                   "\"content\":\"");
		render_json_part(sb, parts, i, "\n");
		strbuf_appends(sb, "\"}}");
		if (done_by)
			done_note(sb, done_by);
		if (cards && i + 1 == parts->n_parts)
			action_block(sb, r);
		strbuf_appends(sb, "]}");
		break;
	}
}

static char *bot_body(enum fs_format f, const struct render_doc *doc,
                      const struct render_parts *parts, size_t i, const struct reply *r)
{
	struct strbuf sb;

	strbuf_init(&sb);
	strbuf_appendf(&sb, "{\"msg_type\":\"%s\",", type_names[f]);
	if (f == FS_CARD) {
		strbuf_appends(&sb, "\"card\":");
	} else if (f == FS_POST) {
		strbuf_appends(&sb, "\"content\":{\"post\":");
	} else {
		strbuf_appends(&sb, "\"content\":");
	}
	content(&sb, f, doc, parts, i, r, false, false, NULL);
	strbuf_appends(&sb, f == FS_POST ? "}}" : "}");
	return strbuf_detach(&sb);
}

static char *im_body(const struct dest *d, enum fs_format f, const struct render_doc *doc,
                     const struct render_parts *parts, size_t i, const char *idem_key,
                     const struct reply *r)
{
	struct strbuf sb, inner;
	char *c;

	strbuf_init(&inner);
	content(&inner, f, doc, parts, i, r, true, false, NULL);
	c = strbuf_detach(&inner);
	if (!c)
		return NULL;
	strbuf_init(&sb);
	strbuf_append(&sb, "{", 1);
	if (d->kind != DEST_REPLY) {
		strbuf_appends(&sb, "\"receive_id\":");
		render_json_str(&sb, d->target);
		strbuf_append(&sb, ",", 1);
	}
	strbuf_appendf(&sb, "\"msg_type\":\"%s\",\"content\":", type_names[f]);
	render_json_str(&sb, c);
	free(c);
	if (idem_key) {
		strbuf_appends(&sb, ",\"uuid\":\"");
		render_json_escape(&sb, idem_key, strlen(idem_key));
		strbuf_appendf(&sb, "-%zu\"", i + 1);
	}
	strbuf_append(&sb, "}", 1);
	return strbuf_detach(&sb);
}

static void set_limit(struct render_limit *lim, enum fs_format f, bool bot,
                      const struct render_doc *doc, const struct dest *d, const struct reply *r)
{
	struct strbuf actions;

	size_t max = bot ? BOT_MAX : f == FS_TEXT ? IM_TEXT_MAX : IM_RICH_MAX;
	const char *title = doc->title ? doc->title : TXT_BOT_NAME;
	size_t fixed = FRAME_MARGIN + render_escaped_len(d->target, strlen(d->target), 1);

	lim->level = bot ? 1 : 2;
	lim->sep = f == FS_POST ? 0 : render_escaped_len("\n", 1, lim->level);
	lim->overhead = f == FS_POST ? sizeof PARAGRAPH - 1 + (bot ? 0 : PARAGRAPH_QUOTES) : 0;
	if (f != FS_TEXT)
		fixed += render_escaped_len(title, strlen(title), lim->level);
	/* The buttons ride in the last part: every part leaves room for them. */
	strbuf_init(&actions);
	if (f == FS_CARD && !bot)
		action_block(&actions, r);
	fixed += render_escaped_len(actions.buf ? actions.buf : "", actions.len, lim->level - 1);
	strbuf_free(&actions);
	lim->budget = max - fixed;
}

/* The key as used in uuid: as given when short enough, else hashed. */
static int idem_short(const char *key, char out[IDEM_KEY_MAX + 1])
{
	uint8_t sum[CRYPTO_SHA256_LEN];
	char hex[2 * CRYPTO_SHA256_LEN + 1];
	size_t n = strlen(key);
	int rc;

	if (n <= IDEM_KEY_MAX) {
		memcpy(out, key, n + 1);
		return 0;
	}
	rc = crypto_sha256(key, n, sum);
	if (rc < 0)
		return rc;
	crypto_hex(sum, sizeof sum, hex);
	memcpy(out, hex, IDEM_KEY_MAX);
	out[IDEM_KEY_MAX] = '\0';
	return 0;
}

static void feishu_escape(struct strbuf *sb, const char *s, size_t n, enum render_markup markup)
{
	render_fullwidth(sb, s, n, markup == MARKUP_MARKDOWN ? RENDER_MARKDOWN_CHARS : "<>[]*~&");
}

/* The reply API on the message, else the chat. */
int feishu_reply_dest(const struct chat_msg *msg, struct dest *out)
{
	if (msg->reply_handle && *msg->reply_handle)
		return dest_fill(out, msg, DEST_REPLY, msg->reply_handle);
	return dest_fill(out, msg, DEST_CHAT, msg->chat_id);
}

/* Files go to the chat (a private chat has its chat_id too). */
int feishu_file_dest(const struct chat_msg *msg, struct dest *out)
{
	return dest_fill(out, msg, DEST_CHAT, msg->chat_id);
}

/* A sent card shown anew (DEST_CARD): PATCH's {"content":"<card JSON>"},
 * one card or nothing. */
static int card_update(const struct reply *r, struct rendered *out)
{
	struct strbuf sb;
	char *card = render_feishu_card(r, NULL);

	if (!card)
		return -EMSGSIZE;
	strbuf_init(&sb);
	strbuf_appends(&sb, "{\"content\":");
	render_json_str(&sb, card);
	strbuf_append(&sb, "}", 1);
	free(card);
	return render_push(out, strbuf_detach(&sb));
}

int render_feishu(const struct dest *d, const struct reply *r, const char *idem_key,
                  struct rendered *out)
{
	char key[IDEM_KEY_MAX + 1];
	bool bot = d->kind == DEST_ROBOT;
	enum fs_format f = r->n_actions && !bot        ? FS_CARD
	                   : !render_structured(r) ? FS_TEXT
	                   : r->is_error           ? FS_CARD
	                                           : FS_POST;
	struct render_limit lim;
	struct render_parts parts;
	struct render_doc doc;
	int rc;

	if (d->kind == DEST_CARD)
		return card_update(r, out);
	if (d->kind != DEST_USER && d->kind != DEST_CHAT && d->kind != DEST_ROBOT &&
	    d->kind != DEST_REPLY)
		return -EINVAL;
	if (idem_key) {
		rc = idem_short(idem_key, key);
		if (rc < 0)
			return rc;
		idem_key = key;
	}
	/* Post and card show the title in their own field. */
	rc = render_doc_build(r, f == FS_CARD ? MARKUP_MARKDOWN : MARKUP_PLAIN, f == FS_TEXT,
	                      bot || !r->n_actions, feishu_escape, &doc);
	if (rc < 0) {
		render_doc_free(&doc);
		return rc;
	}
	set_limit(&lim, f, bot, &doc, d, r);
	rc = render_split(&doc, &lim, &parts);
	for (size_t i = 0; rc == 0 && i < parts.n_parts; i++)
		rc = render_push(out, bot ? bot_body(f, &doc, &parts, i, r)
		                          : im_body(d, f, &doc, &parts, i, idem_key, r));
	render_parts_free(&parts);
	render_doc_free(&doc);
	return rc;
}

char *render_feishu_card(const struct reply *r, const char *done_by)
{
	static const struct dest none = {.kind = DEST_REPLY};
	struct render_limit lim;
	struct render_parts parts = {0};
	struct render_doc doc;
	struct strbuf sb;
	char *card = NULL;
	int rc;

	if (done_by && !plain_id(done_by))
		done_by = NULL;
	rc = render_doc_build(r, MARKUP_MARKDOWN, false, !r->n_actions, feishu_escape, &doc);
	if (rc == 0) {
		set_limit(&lim, FS_CARD, false, &doc, &none, r);
		/* The note takes its room from the text's. */
		lim.budget -= done_by ? 2 * (sizeof TXT_CARD_DONE_BY + OPEN_ID_MAX + 64) : 0;
		rc = render_split(&doc, &lim, &parts);
	}
	if (rc == 0 && parts.n_parts == 1) {
		strbuf_init(&sb);
		content(&sb, FS_CARD, &doc, &parts, 0, r, true, true, done_by);
		card = strbuf_detach(&sb);
	}
	render_parts_free(&parts);
	render_doc_free(&doc);
	return card;
}

char *feishu_press_answer(const struct reply *r, const char *done_by)
{
	char *card = done_by && !r->is_error ? render_feishu_card(r, done_by) : NULL;
	char *answer = feishu_render_card_answer(r, card);

	free(card);
	return answer;
}
