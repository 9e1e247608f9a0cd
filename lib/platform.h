/*
 * Outbound messaging to the chat platforms (WeCom, DingTalk, Feishu).
 *
 * Two steps, so the outbox can store what it will send:
 *   1. render_message(): a neutral reply -> one or more platform request
 *      bodies (JSON) for a destination, split at the platform's size limit on
 *      line boundaries, never inside a UTF-8 character (messages/render_*.c);
 *   2. sender_send(): one rendered body -> one HTTP request through the
 *      curl-on-libuv glue (daemon/httpout.c), with the instance's access token
 *      (cached, refreshed before expiry with one request in flight, refreshed
 *      and retried once on the token-invalid codes) or the robot signature,
 *      and the platform's answer classified (messages/send_*.c); with
 *      sender_send_paced, every request of the send (the retry too) first
 *      takes its destination's rate token.
 *
 * Destinations name a config instance ([wecom:NAME], [dingtalk:NAME],
 * [feishu:NAME], and robot sections) so credentials never travel with them.
 * Rendered bodies hold no configuration either: what comes from the instance
 * (WeCom's agentid, DingTalk's robotCode, the Feishu bot's timestamp and
 * signature) is added by the sender at each attempt, so a stored body stays
 * valid across a reload and a signature is never stale.
 */
#ifndef CQOD_PLATFORM_H
#define CQOD_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chat.h"
#include "reply.h"

struct config;
struct uv_loop_s;

enum dest_kind {
	DEST_USER = 0,    /* app message to one user: WeCom message/send (UserID), DingTalk
	                   * robot oToMessages/batchSend (staff userid), Feishu
	                   * im/v1/messages (receive_id_type from the id: "ou_" open_id,
	                   * "on_" union_id, with '@' email, else user_id) */
	DEST_CHAT = 1,    /* app message to a group chat: WeCom appchat/send, DingTalk
	                   * robot groupMessages/send, Feishu im/v1/messages (chat_id) */
	DEST_ROBOT = 2,   /* a custom group robot webhook configured as an instance: the
	                   * instance names a [wecom_robot:NAME], [dingtalk_robot:NAME] or
	                   * [feishu_bot:NAME] section (platform stays "wecom", ...):
	                   * WeCom webhook/send?key=, DingTalk robot/send (signed),
	                   * Feishu bot/v2/hook (signed body) */
	DEST_SESSION = 3, /* DingTalk sessionWebhook (target = URL, which must lie under
	                   * the instance's oapi_base), until expires_at (0: none) */
	DEST_REPLY = 4,   /* Feishu reply API (target = message id) */
	DEST_CARD = 5,    /* a card cqod sent, shown anew: Feishu PATCH im/v1/messages/<id>
	                   * (target = message id), DingTalk PUT v1.0/card/instances
	                   * (target = the card's outTrackId), WeCom
	                   * message/update_template_card (target = msgid, or the
	                   * task_id for a press's update; bodies by
	                   * render_wecom_card_update) */
};

struct dest {
	char platform[16];    /* a platform with a sender (messages/platforms.c) */
	char instance[33];    /* config section name */
	enum dest_kind kind;
	char target[512];     /* user id, chat id, URL or message id; "" for DEST_ROBOT */
	int64_t expires_at;   /* DEST_SESSION only; 0 otherwise */
};

/* "platform|instance|kind|expires|target" and back, for storing a dest in a
 * text column; kind is spelled user, chat, robot, session, reply or card, e.g.
 * "dingtalk|office|session|1700000000|https://oapi.dingtalk.com/robot/...".
 * dest_format returns 0, -EINVAL (not a valid dest) or -ENOSPC (buf too
 * small); dest_parse returns 0 or -EINVAL. */
int dest_format(const struct dest *d, char *buf, size_t len);
int dest_parse(const char *s, struct dest *out);

/* Which platform names a destination may carry: those the platforms' table
 * (messages/platforms.c) gives a sender; registered once at start, `known`
 * lives for the process. Until then every destination is invalid. */
void dest_platforms_register(bool (*known)(const char *platform));

/* *out as a destination of `kind` to `target` through msg's platform and
 * instance (expires_at 0): 0, or -EINVAL when a field is missing, too long
 * or the result is not a valid destination. The platforms' reply rules
 * (dest_for_reply, messages/platforms.h) are built on it. */
int dest_fill(struct dest *out, const struct chat_msg *msg, enum dest_kind kind,
              const char *target);

/* A card whose buttons call back with the card's id and the button's slot
 * rather than a command (DingTalk's interactive cards): what each button
 * stands for, kept by the store with the outbox rows (store_card_track.h),
 * so a press runs only a command the card shows. */
struct card_track {
	char id[48];                            /* the card's id (outTrackId) */
	char *commands[REPLY_ACTIONS_MAX];      /* by slot; NULL past n; owned */
	size_t n;
	bool shared;                            /* the reply's `shared` */
};

struct rendered {
	char **bodies;   /* n JSON request bodies, each owned */
	size_t n;
	struct card_track *track;   /* the last body's card, or NULL; owned */
};
void rendered_free(struct rendered *r);

/* Renders `r` for `d`. idem_key (may be NULL) is carried where the platform
 * has an idempotency field (Feishu uuid; one per part: key + "-N", N from 1;
 * a key over 40 bytes is replaced by 40 hex digits of its SHA-256). Plain
 * replies (lines only) go as text; replies with a title, fields or a table
 * in the platform's rich format (markdown; Feishu post, or an interactive
 * card for is_error); replies with actions as the platform's card where the
 * destination takes one, else with the fallback lines (lib/reply.h).
 * Deterministic: the same input gives the same bytes.
 * Returns 0, -EINVAL (unknown platform/kind, empty target or empty reply) or
 * -ENOMEM; on failure *out is empty. */
int render_message(const struct dest *d, const struct reply *r, const char *idem_key,
                   struct rendered *out);

/* The whole reply as one WeCom text message (WeCom's passive reply): lines
 * as reply_render_text() makes them, with WeCom's text markup made inert.
 * Caller frees; NULL on ENOMEM or an empty reply. */
char *render_wecom_text(const struct reply *r);

/* The task_id of the WeCom template card sent under idem_key: "cqod-" and
 * the first 40 hex digits of the key's SHA-256 (unique per message, as
 * WeCom requires). 0, or -ENOMEM. */
#define WECOM_TASK_ID_MAX 46
int wecom_task_id(const char *idem_key, char out[WECOM_TASK_ID_MAX]);

/* How a sent WeCom template card is shown anew (update_template_card).
 * Borrowed. response_code is the card's one-use code (72 h); with
 * replace_name the presser's (userid's) buttons become one that reads it,
 * else every recipient (atall) sees r as the whole card again, under the
 * same task_id. */
struct wecom_card_update {
	const char *task_id;
	const char *response_code;
	const char *userid;        /* replace_name only */
	const char *replace_name;  /* NULL: the whole card from r */
};

/* The update_template_card body for u (the sender adds agentid): 0, -E2BIG
 * (r is too long for one card: leave the card as it is), -EINVAL, -ENOMEM;
 * on success out holds one body. */
int render_wecom_card_update(const struct reply *r, const struct wecom_card_update *u,
                             struct rendered *out);

enum send_outcome {
	SEND_OK = 0,
	SEND_RATE_LIMITED = 1,  /* wait retry_after_s, then retry */
	SEND_TRANSIENT = 2,     /* network error, timeout, 5xx, busy: back off, retry */
	SEND_PERMANENT = 3,     /* bad key, unknown user, signature refused: never retry */
};

struct send_result {
	enum send_outcome outcome;
	int retry_after_s;      /* RATE_LIMITED: how long to wait (platform's value or default) */
	int http_status;        /* 0 when no HTTP answer */
	long platform_code;     /* errcode / code from the body, 0 if none */
	char detail[160];       /* short English description for logs; no secrets */
	/* Files (sender_upload, sender_file_body): the upload's media id when
	 * it succeeded; and a file message refused for its media id (expired
	 * or unknown: WeCom 40007, Feishu's file key errors), to upload again. */
	char media_id[256];
	bool media_invalid;
	/* The id of the message a send made, where the answer tells it
	 * (Feishu's data.message_id), so its card can be updated; "" none. */
	char message_id[128];
	/* WeCom's response_code of a template card sent with buttons, the one
	 * code that updates it (update_template_card); "" none. */
	char response_code[256];
	/* A card's update refused for its code (spent or expired): the row is
	 * dropped, not dead; another attempt would only be refused again. */
	bool drop;
};

struct sender;
typedef void (*send_done_fn)(void *arg, const struct send_result *res);

/* The sender reads instance credentials (and the [outbound] settings: CA
 * bundle, timeouts, transfers in flight) through *cfgp at each send, so a
 * SIGHUP that swaps the config is picked up. *out is freed by sender_close. */
int sender_open(struct uv_loop_s *loop, struct config *const *cfgp, struct sender **out);

/* Sends one rendered body to d. Returns 0 and later calls done exactly once
 * (never from inside sender_send); or returns a negative error and never
 * calls done: -EINVAL (unknown platform or kind, or the instance or dest
 * cannot be used: agent_id not a number, sessionWebhook not under oapi_base
 * or expired), -ENOENT (no such instance), -ESHUTDOWN (closing), -ENOMEM.
 * body and d are copied. Never blocks. Unpaced: the caller answers for the
 * destination's rate (see sender_send_paced). */
int sender_send(struct sender *s, const struct dest *d, const char *body, send_done_fn done,
                void *arg);

/*
 * Pacing: the platforms limit the messages each destination receives (a
 * group robot 20 a minute, a WeCom member 30, a Feishu chat 5 a second), and
 * the outbox keeps one rate token per destination for it
 * (daemon/outbox_policy.h). The sender consults that token, through
 * send_pace, before every request a paced send makes to its destination:
 * the first attempt and the instant retry after a refused access token
 * alike. A request starts only once it has taken the token; while the token
 * is out the request waits for it on a timer of the loop (the loop never
 * blocks, and the send stays pending: sender_close cancels it). Hence, for
 * a destination whose every send is paced by one token, no two requests,
 * retries included, start closer together than its interval, and no window
 * of the platform's length holds more than its documented limit. An attempt
 * that never gets as far as a request (refused, cancelled, no access token)
 * takes nothing; fetching an access token is not a request to the
 * destination and takes nothing.
 */
struct send_pace {
	/* Takes the rate token at now_ms (loop milliseconds, uv_now) and
	 * returns 0, or takes nothing and returns the milliseconds until the
	 * token is back. Called only from the loop, never after done. */
	uint64_t (*take)(void *arg, uint64_t now_ms);
	void *arg;              /* borrowed: must live until done is called */
};

/* sender_send, each of whose requests first takes a rate token from pace
 * (copied; NULL: unpaced, as sender_send). */
int sender_send_paced(struct sender *s, const struct dest *d, const char *body,
                      const struct send_pace *pace, send_done_fn done, void *arg);

/*
 * Files: a file message is an upload (multipart, on the same curl multi,
 * with the instance's token; unpaced, as it reaches no one) whose answer
 * carries a media id, then a message naming it, sent like any body
 * (sender_send_paced) and built by sender_file_body. WeCom: media/upload
 * (type=file) then msgtype "file"; DingTalk: the oapi media/upload then the
 * robot's "sampleFile"; Feishu: im/v1/files (file_type xls) then msg_type
 * "file". Robots, session webhooks, reply handles and the long
 * connections take no files.
 */

/* Uploads `len` bytes of data (copied) as the file `name` for d. Returns 0
 * and later calls done exactly once, with res->media_id on success; or
 * -ENOTSUP (d takes no files) and the errors of sender_send. */
int sender_upload(struct sender *s, const struct dest *d, const char *name, const char *data,
                  size_t len, send_done_fn done, void *arg);

/* The body of the file message of media_id (named `name`) to d, for
 * sender_send_paced: 0 and *out (caller frees), -ENOTSUP, -ENOMEM. */
int sender_file_body(const struct dest *d, const char *media_id, const char *name, char **out);

/* Sends accepted and not yet done (shutdown lets them finish). */
size_t sender_pending(const struct sender *s);

/*
 * The bot's own id, on platforms whose inbound messages name it only by id
 * (Feishu: mentions[] carry open_ids, and GET bot/v3/info with the app's
 * tenant_access_token says which one is the bot's). Cached per instance for
 * the sender's life and fetched once, on the loop, sharing the token cache
 * with the sends; a reload that changes the instance's credentials or
 * api_base forgets it; after a failed fetch none is started for
 * SENDER_BOT_RETRY_S seconds.
 */
#define SENDER_BOT_RETRY_S 10

/* bot_id is borrowed for the call; NULL when it could not be had. */
typedef void (*sender_bot_fn)(void *arg, const char *bot_id);

/* The cached id of the bot of `instance` of `platform`, or NULL. Starts
 * nothing. Borrowed until the loop runs again. */
const char *sender_bot_id(struct sender *s, const char *platform, const char *instance);

/* Starts fetching it unless it is known or being fetched. When cb is given,
 * it is called exactly once, later (never from inside this call), with the
 * id or NULL (the fetch failed, or the sender closed). Returns 1 when the id
 * is known (cb is not called), 0 when a fetch is under way; or a negative
 * errno, and cb is never called: -EAGAIN (the last fetch failed less than
 * SENDER_BOT_RETRY_S ago), -ENOTSUP (the platform has no such request),
 * -ENOENT (no such instance), -ESHUTDOWN (closing), -ENOMEM. */
int sender_bot_fetch(struct sender *s, const char *platform, const char *instance,
                     sender_bot_fn cb, void *arg);

/* Cancels transfers in flight (their done callbacks run now, with
 * SEND_TRANSIENT "cancelled"; bot id fetches call back with NULL), then
 * frees the sender once its handles are closed (the loop must run). May be
 * called from a done callback. */
void sender_close(struct sender *s);

#endif
