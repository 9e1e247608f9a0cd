/*
 * Cards to show anew; see store_card.h.
 */
#include "store_card.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "../lib/clock.h"
#include "../lib/metrics.h"
#include "../lib/platform.h"
#include "store_internal.h"
#include "store_outbox.h"

/* WeCom's response_code is good for 72 hours. */
#define CARD_CODE_LIFE_S (72 * 3600)
/* How long a coded card's update waits for the changes after it. */
#define CARD_CODE_HOLD_S 5

static const char ROW_SQL[] =
	"SELECT idem_key, platform, instance, destination FROM outbox"
	" WHERE id = ?1 AND kind = 'message'";

/* ?7: the key of the message's second part, which a message of one part
 * (one card, the buttons on it) does not have. */
static const char KEEP_SQL[] =
	"INSERT INTO sent_cards (event_id, platform, instance, handle, outbox_id, created_at)"
	" SELECT ?1, ?2, ?3, ?4, ?5, ?6 WHERE EXISTS (SELECT 1 FROM events WHERE id = ?1)"
	" AND NOT EXISTS (SELECT 1 FROM outbox WHERE idem_key = ?7)"
	" ON CONFLICT (platform, instance, handle) DO NOTHING";

static const char CARDS_SQL[] =
	"SELECT id, platform, instance, handle, task_id, response_code, code_at, held_code"
	" FROM sent_cards WHERE event_id = ?1 ORDER BY id";

/* A card updated by one-use codes (WeCom): whom it went to, its task and
 * the code its send answered with. */
static const char CODE_SENT_SQL[] =
	"UPDATE sent_cards SET target = ?4, task_id = ?5, response_code = ?6, code_at = ?7"
	" WHERE platform = ?1 AND instance = ?2 AND handle = ?3";

/* A press's fresh code. */
static const char CODE_PRESSED_SQL[] =
	"UPDATE sent_cards SET response_code = ?4, code_at = ?5"
	" WHERE platform = ?1 AND instance = ?2 AND task_id = ?3";

/* The card's update still pending, when there is one: when it is due. */
static const char PENDING_SQL[] =
	"SELECT not_before FROM outbox WHERE destination = ?1 AND state = 'pending'"
	" AND kind = 'message' ORDER BY id LIMIT 1";

/* The code the queued update uses leaves the card: it is good once. */
static const char HOLD_SQL[] =
	"UPDATE sent_cards SET held_code = ?2, response_code = NULL, code_at = NULL WHERE id = ?1";

static const char BUMP_SQL[] =
	"UPDATE sent_cards SET version = version + 1 WHERE id = ?1 RETURNING version";

/* A newer face replaces one not yet sent. */
static const char SUPERSEDE_SQL[] =
	"DELETE FROM outbox WHERE destination = ?1 AND state = 'pending' AND kind = 'message'";

/* The event whose announcement a row's key names, 0 for any other row and
 * for a part after the first (a long announcement's parts are not kept:
 * shown anew it would not fit one card either). */
static int64_t announced_event(const char *key)
{
	size_t len = strlen(key);
	long long id;
	char what[8];
	int n = 0;

	if (len < 2 || strcmp(key + len - 2, "#1") != 0 ||
	    sscanf(key, "event:%lld:%7[a-z]:%n", &id, what, &n) != 2 || n == 0 || id <= 0)
		return 0;
	return strcmp(what, "publish") == 0 || strcmp(what, "update") == 0 ? (int64_t)id : 0;
}

/* store_card_sent, and with `code` (a WeCom card's response_code) what
 * updates it as well: the user it went to, its task_id, the code. */
static int keep(struct store *st, int64_t outbox_id, const char *handle, const char *code,
                int64_t now)
{
	char key[512], platform[16], instance[33], dest_text[STORE_OUTBOX_DEST_MAX];
	char task_id[WECOM_TASK_ID_MAX];
	struct dest d;
	sqlite3_stmt *s;
	int64_t event_id;
	int rc;

	if (!handle || !*handle)
		return -EINVAL;
	if (!(s = store_prepare(st, ROW_SQL)))
		return -EIO;
	sqlite3_bind_int64(s, 1, outbox_id);
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		store_stmt_done(s);
		return rc == SQLITE_DONE ? 0 : store_fail(st, "sent card row", rc);
	}
	store_col_text(s, 0, key, sizeof key);
	store_col_text(s, 1, platform, sizeof platform);
	store_col_text(s, 2, instance, sizeof instance);
	store_col_text(s, 3, dest_text, sizeof dest_text);
	store_stmt_done(s);
	event_id = announced_event(key);
	if (!event_id)
		return 0;
	key[strlen(key) - 1] = '2';
	if (!(s = store_prepare(st, KEEP_SQL)))
		return -EIO;
	sqlite3_bind_int64(s, 1, event_id);
	store_bind_text(s, 2, platform);
	store_bind_text(s, 3, instance);
	store_bind_text(s, 4, handle);
	sqlite3_bind_int64(s, 5, outbox_id);
	sqlite3_bind_int64(s, 6, now);
	store_bind_text(s, 7, key);
	rc = store_step_done(st, s, "sent card", NULL);
	if (rc || !code || !*code)
		return rc;
	/* The task_id the card was rendered with: its message's key, "#1" off. */
	key[strlen(key) - 2] = '\0';
	if (dest_parse(dest_text, &d) < 0)
		return 0;
	if (wecom_task_id(key, task_id) < 0)
		return -ENOMEM;
	if (!(s = store_prepare(st, CODE_SENT_SQL)))
		return -EIO;
	store_bind_text(s, 1, platform);
	store_bind_text(s, 2, instance);
	store_bind_text(s, 3, handle);
	store_bind_text(s, 4, d.target);
	store_bind_text(s, 5, task_id);
	store_bind_text(s, 6, code);
	sqlite3_bind_int64(s, 7, now);
	return store_step_done(st, s, "sent card code", NULL);
}

int store_card_sent(struct store *st, int64_t outbox_id, const char *handle, int64_t now)
{
	return keep(st, outbox_id, handle, NULL, now);
}

int store_card_sent_code(struct store *st, int64_t outbox_id, const char *handle,
                         const char *code, int64_t now)
{
	return keep(st, outbox_id, handle, code, now);
}

int store_card_code(struct store *st, const char *platform, const char *instance,
                    const char *task_id, const char *code, int64_t now)
{
	sqlite3_stmt *s;

	if (!platform || !instance || !task_id || !*task_id || !code || !*code)
		return -EINVAL;
	if (!(s = store_prepare(st, CODE_PRESSED_SQL)))
		return -EIO;
	store_bind_text(s, 1, platform);
	store_bind_text(s, 2, instance);
	store_bind_text(s, 3, task_id);
	store_bind_text(s, 4, code);
	sqlite3_bind_int64(s, 5, now);
	return store_step_done(st, s, "pressed card code", NULL);
}

/* Queues r for one kept card, in place of its pending update. */
static int update_one(struct store *st, int64_t id, const struct dest *d, const struct reply *r,
                      uint64_t request_id)
{
	char text[STORE_OUTBOX_DEST_MAX], key[64];
	sqlite3_stmt *s;
	int64_t version = 0;
	int rc;

	if (dest_format(d, text, sizeof text) < 0)
		return 0;
	if (!(s = store_prepare(st, BUMP_SQL)))
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	rc = store_step_count(st, s, "card version", &version);
	if (rc)
		return rc;
	if (!(s = store_prepare(st, SUPERSEDE_SQL)))
		return -EIO;
	store_bind_text(s, 1, text);
	rc = store_step_done(st, s, "card update superseded", NULL);
	if (rc)
		return rc;
	snprintf(key, sizeof key, "card:%" PRId64 ":%" PRId64, id, version);
	rc = store_outbox_enqueue(st, d, r, key, 0, request_id);
	/* Not renderable as one card: the card keeps its last face. */
	return rc == -EINVAL || rc == -EEXIST ? 0 : rc;
}

/* What a kept card is updated with. */
struct kept_card {
	int64_t id;
	const char *task_id;        /* NULL: updated by its handle alone (Feishu) */
	const char *response_code;  /* the freshest unused code, NULL none */
	int64_t code_at;
	const char *held_code;      /* the code its pending update would use */
};

/* When the card's update still pending is due (0: none), in *due. */
static int pending_due(struct store *st, const char *dest_text, int64_t *due)
{
	sqlite3_stmt *s = store_prepare(st, PENDING_SQL);
	int rc;

	*due = 0;
	if (!s)
		return -EIO;
	store_bind_text(s, 1, dest_text);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*due = sqlite3_column_int64(s, 0);
	store_stmt_done(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_fail(st, "card update pending", rc);
}

/* Runs `sql` with `text` bound to ?1 (id > 0: id to ?1, text to ?2). */
static int step_text(struct store *st, const char *sql, const char *what, int64_t id,
                     const char *text)
{
	sqlite3_stmt *s = store_prepare(st, sql);

	if (!s)
		return -EIO;
	if (id > 0)
		sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, id > 0 ? 2 : 1, text);
	return store_step_done(st, s, what, NULL);
}

/* Queues r for a card updated by one-use codes (WeCom's response_code),
 * in place of its pending update, which hands its code on; a fresher code
 * a press brought is used instead. Without any, the update is skipped
 * and counted: the card keeps its face until the next press brings one.
 * The update waits CARD_CODE_HOLD_S for the changes that follow (a newer
 * one keeps that moment), so the one code shows the latest count. */
static int update_coded(struct store *st, const struct kept_card *c, const struct dest *d,
                        const struct reply *r, uint64_t request_id)
{
	char text[STORE_OUTBOX_DEST_MAX], key[64];
	struct wecom_card_update u = {.task_id = c->task_id};
	struct rendered parts;
	int64_t now = clock_now(), due, version = 0;
	sqlite3_stmt *s;
	int rc;

	if (dest_format(d, text, sizeof text) < 0)
		return 0;
	rc = pending_due(st, text, &due);
	if (rc)
		return rc;
	if (c->response_code && *c->response_code && c->code_at + CARD_CODE_LIFE_S > now)
		u.response_code = c->response_code;
	else if (due && c->held_code && *c->held_code)
		u.response_code = c->held_code;
	if (!u.response_code) {
		metrics_add("cqod_card_updates_skipped_total", "platform=\"wecom\"", 1);
		return 0;
	}
	rc = render_wecom_card_update(r, &u, &parts);
	if (rc < 0)
		return rc == -ENOMEM ? rc : 0;
	rc = step_text(st, SUPERSEDE_SQL, "card update superseded", 0, text);
	if (rc == 0 && (s = store_prepare(st, BUMP_SQL))) {
		sqlite3_bind_int64(s, 1, c->id);
		rc = store_step_count(st, s, "card version", &version);
	} else if (rc == 0) {
		rc = -EIO;
	}
	if (rc == 0)
		rc = step_text(st, HOLD_SQL, "card code held", c->id, u.response_code);
	if (rc == 0) {
		snprintf(key, sizeof key, "card:%" PRId64 ":%" PRId64, c->id, version);
		rc = store_outbox_enqueue_rendered(st, d, &parts, 0, key,
		                                   due ? due : now + CARD_CODE_HOLD_S, request_id);
		rc = rc == -EEXIST ? 0 : rc;
	}
	rendered_free(&parts);
	return rc;
}

int store_card_update(struct store *st, int64_t event_id, const struct reply *r,
                      uint64_t request_id)
{
	sqlite3_stmt *s = store_prepare(st, CARDS_SQL);
	int rc;

	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, event_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct dest d = {.kind = DEST_CARD};
		int u;

		store_col_text(s, 1, d.platform, sizeof d.platform);
		store_col_text(s, 2, d.instance, sizeof d.instance);
		store_col_text(s, 3, d.target, sizeof d.target);
		struct kept_card c = {
			.id = sqlite3_column_int64(s, 0),
			.task_id = (const char *)sqlite3_column_text(s, 4),
			.response_code = (const char *)sqlite3_column_text(s, 5),
			.code_at = sqlite3_column_int64(s, 6),
			.held_code = (const char *)sqlite3_column_text(s, 7),
		};
		u = c.task_id ? update_coded(st, &c, &d, r, request_id)
		              : update_one(st, c.id, &d, r, request_id);
		if (u < 0) {
			store_stmt_done(s);
			return u;
		}
	}
	store_stmt_done(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, "sent cards", rc);
}
