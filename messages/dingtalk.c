/* DingTalk app robot, HTTP mode; see dingtalk.h. */
#include "dingtalk.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/crypto.h"
#include "../lib/digits.h"
#include "../lib/strbuf.h"

/* The platform's name, here once: the codec row (platforms.c) and every
 * decoded message carry it. */
const char dingtalk_platform_name[] = "dingtalk";

#define DINGTALK_HOST "https://oapi.dingtalk.com/"
#define TS_DIGITS_MAX 15
#define ID_MAX 256

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
	if (digits_parse(timestamp, TS_DIGITS_MAX, &ts) < 0 || ts > now_ms + DINGTALK_MAX_SKEW_MS ||
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

#define KEY_LEN 16             /* of the MAC and of the message digest: no collisions */
#define PRUNE_EVERY_MS 60000
#define MIN_SLOTS 64

struct sign_entry {
	uint8_t mac[KEY_LEN];
	uint8_t msg[KEY_LEN];     /* SHA-256 of source "\n" msgId */
	int64_t expires_ms;       /* last moment the timestamp passes; 0: empty slot */
};

/* Open addressing with linear probing; the MACs are HMAC outputs nobody
 * can choose, so their first bytes are the hash. Entries are removed only
 * by rebuilding the table, which keeps probing simple. */
struct dingtalk_signs {
	struct sign_entry *slots;
	size_t n_slots;           /* a power of two, at least twice count */
	size_t count;
	size_t max;
	int64_t next_prune_ms;
};

struct dingtalk_signs *dingtalk_signs_new(size_t max)
{
	struct dingtalk_signs *s = calloc(1, sizeof *s);

	if (!s)
		return NULL;
	s->slots = calloc(MIN_SLOTS, sizeof *s->slots);
	if (!s->slots) {
		free(s);
		return NULL;
	}
	s->n_slots = MIN_SLOTS;
	s->max = max ? max : 1;
	return s;
}

void dingtalk_signs_free(struct dingtalk_signs *s)
{
	if (!s)
		return;
	free(s->slots);
	free(s);
}

static struct sign_entry *slot_for(struct sign_entry *slots, size_t n_slots,
                                   const uint8_t mac[KEY_LEN])
{
	uint64_t h;
	size_t i;

	memcpy(&h, mac, sizeof h);
	for (i = (size_t)h & (n_slots - 1);; i = (i + 1) & (n_slots - 1))
		if (!slots[i].expires_ms || memcmp(slots[i].mac, mac, KEY_LEN) == 0)
			return &slots[i];
}

/* Moves the entries still fresh at now_ms, except `skip`, into a table of
 * n_slots. On ENOMEM the table is unchanged. */
static int rebuild(struct dingtalk_signs *s, size_t n_slots, int64_t now_ms,
                   const struct sign_entry *skip)
{
	struct sign_entry *slots = calloc(n_slots, sizeof *slots);
	size_t count = 0;

	if (!slots)
		return -ENOMEM;
	for (size_t i = 0; i < s->n_slots; i++) {
		const struct sign_entry *e = &s->slots[i];

		if (e->expires_ms && e->expires_ms >= now_ms && e != skip) {
			*slot_for(slots, n_slots, e->mac) = *e;
			count++;
		}
	}
	free(s->slots);
	s->slots = slots;
	s->n_slots = n_slots;
	s->count = count;
	return 0;
}

static const struct sign_entry *closest_to_expiry(const struct dingtalk_signs *s)
{
	const struct sign_entry *best = NULL;

	for (size_t i = 0; i < s->n_slots; i++)
		if (s->slots[i].expires_ms &&
		    (!best || s->slots[i].expires_ms < best->expires_ms))
			best = &s->slots[i];
	return best;
}

/* Room for one more entry: pruned, the oldest dropped when full, grown. */
static int make_room(struct dingtalk_signs *s, int64_t now_ms, bool *dropped)
{
	int rc = 0;

	if (s->count >= s->max)
		rc = rebuild(s, s->n_slots, now_ms, NULL);
	if (rc == 0 && s->count >= s->max) {
		rc = rebuild(s, s->n_slots, now_ms, closest_to_expiry(s));
		if (rc == 0 && dropped)
			*dropped = true;
	}
	if (rc == 0 && (s->count + 1) * 2 > s->n_slots)
		rc = rebuild(s, s->n_slots * 2, now_ms, NULL);
	return rc;
}

static int message_key(const char *source, const char *msg_id, uint8_t out[KEY_LEN])
{
	uint8_t digest[CRYPTO_SHA256_LEN];
	struct strbuf sb;
	char *m;
	int rc;

	strbuf_init(&sb);
	strbuf_appendf(&sb, "%s\n%s", source, msg_id);
	m = strbuf_detach(&sb);
	if (!m)
		return -ENOMEM;
	rc = crypto_sha256(m, strlen(m), digest);
	free(m);
	if (rc == 0)
		memcpy(out, digest, KEY_LEN);
	return rc;
}

int dingtalk_signs_claim(struct dingtalk_signs *s, const char *timestamp, const char *sign,
                         const char *source, const char *msg_id, int64_t now_ms,
                         bool *dropped)
{
	uint8_t mac[KEY_LEN], msg[KEY_LEN];
	struct sign_entry *e;
	uint8_t *raw = NULL;
	size_t raw_len = 0;
	int64_t ts;
	int rc;

	if (dropped)
		*dropped = false;
	if (digits_parse(timestamp, TS_DIGITS_MAX, &ts) < 0 || !sign)
		return -EINVAL;
	rc = crypto_base64_decode(sign, strlen(sign), &raw, &raw_len);
	if (rc < 0)
		return rc;
	if (raw_len != CRYPTO_SHA256_LEN) {
		free(raw);
		return -EINVAL;
	}
	memcpy(mac, raw, KEY_LEN);
	free(raw);
	rc = message_key(source, msg_id, msg);
	if (rc < 0)
		return rc;
	if (now_ms >= s->next_prune_ms) {
		if (rebuild(s, s->n_slots, now_ms, NULL) == 0)
			s->next_prune_ms = now_ms + PRUNE_EVERY_MS;
	}
	e = slot_for(s->slots, s->n_slots, mac);
	if (e->expires_ms && e->expires_ms >= now_ms)
		return memcmp(e->msg, msg, KEY_LEN) == 0 ? 0 : -EEXIST;
	if (!e->expires_ms) {
		rc = make_room(s, now_ms, dropped);
		if (rc < 0)
			return rc;
		e = slot_for(s->slots, s->n_slots, mac);
		s->count++;
	}
	memcpy(e->mac, mac, KEY_LEN);
	memcpy(e->msg, msg, KEY_LEN);
	e->expires_ms = ts + DINGTALK_MAX_SKEW_MS;
	return 0;
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

#define STAFF_ID_MAX 127   /* what a named user id may hold (handlers/grant.c) */
#define MENTIONS_MAX 64

/* The length of the white space at p: ASCII blanks and breaks, U+00A0,
 * U+2005 and U+3000 (chat clients put these around @names); 0 if none. */
static size_t space_at(const char *p)
{
	if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		return 1;
	if (strncmp(p, "\xc2\xa0", 2) == 0)
		return 2;
	if (strncmp(p, "\xe2\x80\x85", 3) == 0 || strncmp(p, "\xe3\x80\x80", 3) == 0)
		return 3;
	return 0;
}

/* The length of the @name token at p (text starts at `text`), or 0. */
static size_t mention_at(const char *text, const char *p)
{
	const char *q = p + 1;
	bool after_space = p == text || space_at(p - 1) ||
	                   (p - text >= 2 && space_at(p - 2) == 2) ||
	                   (p - text >= 3 && space_at(p - 3) == 3);

	if (*p != '@' || !after_space)
		return 0;
	while (*q && !space_at(q))
		q++;
	return q - p > 1 ? (size_t)(q - p) : 0;
}

/* A staff id fit to stand for a user in the text: no white space or control
 * bytes (it would split into two arguments), not too long. */
static const char *staff_id(const cJSON *user)
{
	const char *id = member(user, "staffId", STAFF_ID_MAX);

	for (const unsigned char *p = (const unsigned char *)id; p && *p; p++)
		if (*p <= ' ' || *p == 0x7f)
			return NULL;
	return id;
}

/* The text with its @names rewritten (see dingtalk.h); NULL on ENOMEM. */
static char *rewrite_mentions(const char *text, const cJSON *root)
{
	const cJSON *at_users = cJSON_GetObjectItemCaseSensitive(root, "atUsers");
	const cJSON *list = cJSON_IsArray(at_users) ? at_users : NULL;
	const char *bot = member(root, "chatbotUserId", ID_MAX);
	const char *ids[MENTIONS_MAX];
	size_t n_ids = 0, n_names = 0, k = 0;
	const cJSON *u;
	struct strbuf sb;

	cJSON_ArrayForEach(u, list) {
		const char *who = member(u, "dingtalkId", ID_MAX);

		if (bot && who && strcmp(who, bot) == 0)
			continue;
		if (n_ids == MENTIONS_MAX)
			return strdup(text);
		ids[n_ids++] = staff_id(u);
	}
	for (const char *p = text; *p; p++) {
		size_t n = mention_at(text, p);

		if (n) {
			n_names++;
			p += n - 1;
		}
	}
	if (n_ids == 0 || n_names != n_ids)
		return strdup(text);
	strbuf_init(&sb);
	for (const char *p = text; *p;) {
		size_t n = mention_at(text, p);
		const char *id = n ? ids[k++] : NULL;

		if (id)
			strbuf_appendf(&sb, "@%s", id);
		else
			strbuf_append(&sb, p, n ? n : 1);
		p += n ? n : 1;
	}
	return strbuf_detach(&sb);
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
	out->text = rewrite_mentions(s, root);
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
	m->platform = dingtalk_platform_name;
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
